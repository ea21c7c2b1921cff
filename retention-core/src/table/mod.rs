//! Per-customer results as named columns.
//!
//! A result that is a table (one row per customer or per period) implements
//! [`Table`]: its columns, named in snake_case and typed by [`Column`], in
//! the order a caller reads them. This is the one place where a table's
//! column names and types are decided; the front doors turn any [`Table`]
//! into their own table type generically (Arrow in Python) instead of
//! building each result column by column.
//!
//! ```
//! use retention_core::table::{Column, Table};
//! use retention_core::survival::ChurnDurations;
//!
//! let d = ChurnDurations { ids: vec![7.into()], durations: vec![30.0], churned: vec![true] };
//! let names: Vec<&str> = d.columns().iter().map(|(name, _)| *name).collect();
//! assert_eq!(names, ["customer_id", "duration", "churned"]);
//! assert!(matches!(&d.columns()[1].1, Column::F64(v) if v[..] == [30.0]));
//! ```

use std::borrow::Cow;

use crate::events::CustomerId;
use crate::loyalty::Tier;
use crate::time::{Calendar, Micros};

mod churn;
mod customers;
mod events;
mod loyalty;
mod series;
mod survival;

/// One column of a [`Table`]: borrowed from a struct-of-arrays result,
/// gathered from the rows of an array-of-structs one.
#[derive(Debug, Clone, PartialEq)]
pub enum Column<'a> {
    /// Customer ids (integers, or text when any id is text).
    Ids(Cow<'a, [CustomerId]>),
    /// Numbers.
    F64(Cow<'a, [f64]>),
    /// Numbers that may be absent (`None`: no value, e.g. no orders yet).
    OptF64(Cow<'a, [Option<f64>]>),
    /// Small whole numbers that may be absent (scores).
    OptU8(Cow<'a, [Option<u8>]>),
    /// Counts.
    Count(Cow<'a, [usize]>),
    /// Counts or positions that may be absent (item counts, input rows).
    OptCount(Cow<'a, [Option<usize>]>),
    /// Counts of events.
    U64(Cow<'a, [u64]>),
    /// Flags.
    Bool(Cow<'a, [bool]>),
    /// Flags that may be absent (`None`: not applicable to the row).
    OptBool(Cow<'a, [Option<bool>]>),
    /// Text.
    Text(Cow<'a, [String]>),
    /// Text that may be absent.
    OptText(Cow<'a, [Option<String>]>),
    /// A list of texts per row (reasons, segment names), possibly empty;
    /// borrowed from the result's rows (lists are many small strings, which
    /// are not worth copying for a table that is read once).
    TextLists(Vec<&'a [String]>),
    /// Codes of a vocabulary (see [`crate::vocab`]).
    Codes(Vec<&'static str>),
    /// Instants (µs since the epoch, UTC) that may be absent.
    Instants(Cow<'a, [Option<Micros>]>),
}

impl Column<'_> {
    /// Number of rows.
    pub fn len(&self) -> usize {
        match self {
            Column::Ids(v) => v.len(),
            Column::F64(v) => v.len(),
            Column::OptF64(v) => v.len(),
            Column::OptU8(v) => v.len(),
            Column::Count(v) => v.len(),
            Column::OptCount(v) => v.len(),
            Column::U64(v) => v.len(),
            Column::Bool(v) => v.len(),
            Column::OptBool(v) => v.len(),
            Column::Text(v) => v.len(),
            Column::OptText(v) => v.len(),
            Column::TextLists(v) => v.len(),
            Column::Codes(v) => v.len(),
            Column::Instants(v) => v.len(),
        }
    }

    /// Whether the column has no rows.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// A result that reads as a table: named columns of equal length.
pub trait Table {
    /// The columns, in reading order.
    fn columns(&self) -> Vec<(&'static str, Column<'_>)>;

    /// Columns named by the data rather than by the result type (the ages
    /// `"0"`, `"1"`, … of a cohort matrix), read after [`Table::columns`];
    /// none by default.
    fn data_named_columns(&self) -> Vec<(String, Column<'_>)> {
        Vec::new()
    }
}

/// Gathers one column from the rows of an array-of-structs result (owned,
/// so the rows may be a temporary of the caller).
fn gather<'a, 'b, R, T: Clone + 'b>(rows: &'a [R], f: impl Fn(&'a R) -> T) -> Cow<'b, [T]> {
    Cow::Owned(rows.iter().map(f).collect())
}

/// Rows of a result that does not carry its customers, read next to the
/// customer ids they belong to (same order, same length).
///
/// Used for health scores and traffic lights, which come in the log's
/// customer order ([`crate::events::EventLog::customers`]).
#[derive(Debug, Clone, Copy)]
pub struct PerCustomer<'a, R: ?Sized> {
    /// The customers, one per row.
    pub ids: &'a [CustomerId],
    /// The rows.
    pub rows: &'a R,
}

/// Loyalty rows that refer to tiers by index, read with the tier names of
/// the configuration they were computed with.
#[derive(Debug, Clone, Copy)]
pub struct WithTiers<'a, R: ?Sized> {
    /// The rows (a ledger, or a tier history).
    pub rows: &'a R,
    /// The configuration's tiers, in index order.
    pub tiers: &'a [Tier],
}

/// Rows that refer to periods by index, read with the calendar that dates
/// them (each period as the instant it starts).
#[derive(Debug, Clone, Copy)]
pub struct InCalendar<'a, R: ?Sized> {
    /// The calendar the period indices belong to.
    pub calendar: &'a Calendar,
    /// The rows.
    pub rows: &'a R,
}

/// One value matrix of a cohort matrix (retention, churn, revenue or
/// lifetime value: see [`crate::cohorts::CohortMatrix`]) read as a wide
/// table: a row per cohort (`cohort`, `period_start`, `size`), then one
/// column per age, named by the age (`"0"`, `"1"`, …).
#[derive(Debug, Clone, Copy)]
pub struct CohortCells<'a> {
    /// The matrix the cohorts and ages belong to.
    pub matrix: &'a crate::cohorts::CohortMatrix,
    /// Its values, one row per cohort (e.g. `matrix.retention()`).
    pub values: &'a [Vec<Option<f64>>],
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn length_counts_every_kind_of_column() {
        let x = ["x".to_owned()];
        let cols = [
            Column::OptCount(Cow::Owned(vec![Some(1), None])),
            Column::OptBool(Cow::Owned(vec![None, Some(true)])),
            Column::OptText(Cow::Owned(vec![None, Some("a".into())])),
            Column::TextLists(vec![&[], &x]),
        ];
        assert!(cols.iter().all(|c| c.len() == 2 && !c.is_empty()));
        assert!(Column::Codes(Vec::new()).is_empty());
    }
}
