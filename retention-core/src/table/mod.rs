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
use crate::time::Micros;

mod customers;
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
    /// Counts of events.
    U64(Cow<'a, [u64]>),
    /// Flags.
    Bool(Cow<'a, [bool]>),
    /// Text.
    Text(Cow<'a, [String]>),
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
            Column::U64(v) => v.len(),
            Column::Bool(v) => v.len(),
            Column::Text(v) => v.len(),
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
}

/// Gathers one column from the rows of an array-of-structs result.
fn gather<'a, R, T: Clone>(rows: &'a [R], f: impl Fn(&'a R) -> T) -> Cow<'a, [T]> {
    Cow::Owned(rows.iter().map(f).collect())
}
