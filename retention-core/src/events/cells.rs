//! The cell layouts of untyped input ([`Cells`]: [`Coded`] text, [`Mixed`]
//! cells tagged by [`CellKind`]) and the unit of numeric instants
//! ([`InstantUnit`]); how they are read is in [`super::raw`].

use super::raw::{customers_as, Found};
use super::CustomerId;
use crate::error::{check_len, Error, Result};
use crate::time::Micros;

/// The code of a missing cell in a [`Coded`] column.
pub const NO_CODE: u32 = u32::MAX;

/// Text cells coded against a dictionary: row `i` holds
/// `dictionary[codes[i]]`, or nothing when the code is [`NO_CODE`]. A
/// dictionary may repeat an entry.
#[derive(Debug, Clone, Copy)]
pub struct Coded<'a> {
    /// One code per row.
    pub codes: &'a [u32],
    /// The distinct texts.
    pub dictionary: &'a [&'a str],
}

crate::vocab::codes! {
    /// What one cell of a [`Cells::Mixed`] column holds.
    pub enum CellKind as "cell_kind" {
        /// No value (`null`, `undefined`, `None`).
        Missing = "missing",
        /// A number, in `numbers`.
        Number = "number",
        /// Text, coded in `text`.
        Text = "text",
        /// The boolean `true`.
        True = "true",
        /// The boolean `false`.
        False = "false",
        /// Any other value; its description is coded in `text`.
        Other = "other",
    }
}

impl CellKind {
    /// The kind of tag byte `tag` (the index in [`CellKind::ALL`]).
    pub fn from_tag(tag: u8) -> Option<CellKind> {
        CellKind::ALL.get(usize::from(tag)).copied()
    }

    /// This kind's tag byte.
    pub fn tag(self) -> u8 {
        CellKind::ALL.iter().position(|&k| k == self).unwrap_or(0) as u8
    }
}

/// Cells of mixed types, as a dynamically typed door holds them: row `i`
/// is `tags[i]` (a [`CellKind::tag`]), its number in `numbers[i]`, its text
/// (or description) in `text`.
#[derive(Debug, Clone, Copy)]
pub struct Mixed<'a> {
    /// One [`CellKind`] tag per row.
    pub tags: &'a [u8],
    /// Numbers of `Number` cells (anything elsewhere).
    pub numbers: &'a [f64],
    /// Texts of `Text` and `Other` cells ([`NO_CODE`] elsewhere).
    pub text: Coded<'a>,
}

/// One input column in the layout its door holds it in.
#[derive(Debug, Clone, Copy)]
pub enum Cells<'a> {
    /// Whole numbers; `valid[i] == false` marks a missing cell.
    Int {
        /// The numbers.
        values: &'a [i64],
        /// Which cells are present (`None`: all).
        valid: Option<&'a [bool]>,
    },
    /// Numbers; `NaN` marks a missing cell.
    Float(&'a [f64]),
    /// Text; `None` marks a missing cell.
    Text(&'a [Option<&'a str>]),
    /// Dictionary-coded text.
    Coded(Coded<'a>),
    /// Booleans; `None` marks a missing cell.
    Bool(&'a [Option<bool>]),
    /// Cells of any type.
    Mixed(Mixed<'a>),
}

/// One cell, whatever the column layout.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Cell<'a> {
    Missing,
    Int(i64),
    Number(f64),
    Text(&'a str),
    Bool(bool),
    Other(&'a str),
}

impl<'a> Cell<'a> {
    /// The cell as an issue shows it (`""` when missing).
    pub(super) fn shown(self) -> String {
        match self {
            Cell::Missing => String::new(),
            Cell::Int(x) => x.to_string(),
            Cell::Number(x) => x.to_string(),
            Cell::Text(s) | Cell::Other(s) => s.to_owned(),
            Cell::Bool(b) => b.to_string(),
        }
    }
}

impl<'a> Coded<'a> {
    fn get(&self, i: usize) -> Option<&'a str> {
        let code = *self.codes.get(i)?;
        self.dictionary.get(code as usize).copied()
    }

    fn check(&self, field: &'static str, n: usize) -> Result<()> {
        check_len(field, n, self.codes.len())?;
        let size = self.dictionary.len();
        match self
            .codes
            .iter()
            .position(|&c| c != NO_CODE && c as usize >= size)
        {
            Some(i) => Err(Error::InvalidParameter {
                name: field,
                value: format!("code {} at row {i}", self.codes[i]),
                reason: "text codes index the column's dictionary",
            }),
            None => Ok(()),
        }
    }
}

impl<'a> Cells<'a> {
    /// The cells as a list of customer ids, by the `customer_id` rules of
    /// the [module docs](crate::events::raw); issues name `field`.
    ///
    /// ```
    /// use retention_core::events::{Cells, CustomerId};
    ///
    /// let ids = Cells::Float(&[7.0, 8.0]).customer_ids("customers")?;
    /// assert_eq!(ids, [CustomerId::Int(7), CustomerId::Int(8)]);
    /// let err = Cells::Float(&[7.5]).customer_ids("customers").unwrap_err();
    /// assert!(err.to_string().contains("row 0: field `customers` = \"7.5\": not a whole number"));
    /// # Ok::<(), retention_core::Error>(())
    /// ```
    pub fn customer_ids(&self, field: &'static str) -> Result<Vec<CustomerId>> {
        let n = self.len();
        self.check(field, n)?;
        let mut found = Found(Vec::new());
        let (ints, strs) = customers_as(field, self, n, &mut found);
        if !found.0.is_empty() {
            return Err(Error::InvalidRows { issues: found.0 });
        }
        Ok(match strs {
            Some(s) => s
                .into_iter()
                .map(|s| CustomerId::Str(s.to_owned()))
                .collect(),
            None => ints.into_iter().map(CustomerId::Int).collect(),
        })
    }

    /// Number of rows.
    pub fn len(&self) -> usize {
        match self {
            Cells::Int { values, .. } => values.len(),
            Cells::Float(v) => v.len(),
            Cells::Text(v) => v.len(),
            Cells::Coded(c) => c.codes.len(),
            Cells::Bool(v) => v.len(),
            Cells::Mixed(m) => m.tags.len(),
        }
    }

    /// Whether the column has no rows.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Checks the layout itself (lengths, codes, tags), not the cells.
    pub(crate) fn check(&self, field: &'static str, n: usize) -> Result<()> {
        check_len(field, n, self.len())?;
        match self {
            Cells::Int {
                valid: Some(valid), ..
            } => check_len(field, n, valid.len()),
            Cells::Coded(c) => c.check(field, n),
            Cells::Mixed(m) => {
                check_len(field, n, m.numbers.len())?;
                m.text.check(field, n)?;
                match m.tags.iter().position(|&t| CellKind::from_tag(t).is_none()) {
                    Some(i) => Err(Error::InvalidParameter {
                        name: field,
                        value: format!("tag {} at row {i}", m.tags[i]),
                        reason: "cell tags are CellKind::tag values",
                    }),
                    None => Ok(()),
                }
            }
            _ => Ok(()),
        }
    }

    /// Cell `i` (missing past the end; lengths are checked before).
    pub(super) fn cell(&self, i: usize) -> Cell<'a> {
        match *self {
            Cells::Int { values, valid } => match (values.get(i), valid.map(|v| v.get(i))) {
                (Some(&x), None | Some(Some(true))) => Cell::Int(x),
                _ => Cell::Missing,
            },
            Cells::Float(v) => v
                .get(i)
                .filter(|x| !x.is_nan())
                .map_or(Cell::Missing, |&x| Cell::Number(x)),
            Cells::Text(v) => v
                .get(i)
                .copied()
                .flatten()
                .map_or(Cell::Missing, Cell::Text),
            Cells::Coded(c) => c.get(i).map_or(Cell::Missing, Cell::Text),
            Cells::Bool(v) => v
                .get(i)
                .copied()
                .flatten()
                .map_or(Cell::Missing, Cell::Bool),
            Cells::Mixed(m) => match m.tags.get(i).copied().and_then(CellKind::from_tag) {
                None | Some(CellKind::Missing) => Cell::Missing,
                Some(CellKind::Number) => {
                    m.numbers.get(i).map_or(Cell::Missing, |&x| Cell::Number(x))
                }
                Some(CellKind::Text) => m.text.get(i).map_or(Cell::Missing, Cell::Text),
                Some(CellKind::Other) => Cell::Other(m.text.get(i).unwrap_or("")),
                Some(CellKind::True) => Cell::Bool(true),
                Some(CellKind::False) => Cell::Bool(false),
            },
        }
    }
}

crate::vocab::codes! {
    /// The unit of instants given as numbers.
    #[derive(Default)]
    pub enum InstantUnit as "instant_unit" {
        /// Seconds since the epoch.
        Seconds = "s",
        /// Milliseconds since the epoch (a JavaScript `Date`'s time value).
        Millis = "ms",
        /// Microseconds since the epoch (the core's [`Micros`]).
        #[default]
        Micros = "us",
        /// Nanoseconds since the epoch (numpy's `datetime64[ns]`), rounded
        /// down to the microsecond.
        Nanos = "ns",
    }
}

impl InstantUnit {
    /// Whole microseconds of `x` units, if they fit.
    pub(super) fn micros_of_int(self, x: i64) -> Option<Micros> {
        match self {
            InstantUnit::Seconds => x.checked_mul(1_000_000),
            InstantUnit::Millis => x.checked_mul(1_000),
            InstantUnit::Micros => Some(x),
            InstantUnit::Nanos => Some(x.div_euclid(1_000)),
        }
    }

    /// Microseconds of `x` units (rounded to the nearest), if finite and in range.
    pub(super) fn micros_of_float(self, x: f64) -> Option<Micros> {
        let scale = match self {
            InstantUnit::Seconds => 1e6,
            InstantUnit::Millis => 1e3,
            InstantUnit::Micros => 1.0,
            InstantUnit::Nanos => 1e-3,
        };
        let us = (x * scale).round();
        // 2⁶³ (i64::MAX + 1) is exact as a float; the range is half-open.
        const LIMIT: f64 = 9_223_372_036_854_775_808.0;
        (-LIMIT..LIMIT).contains(&us).then_some(us as Micros)
    }
}
