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
//! assert!(matches!(d.columns()[1].1, Column::F64(v) if v == [30.0]));
//! ```

use crate::events::CustomerId;
use crate::model_input::ModelInput;
use crate::segments::rfm::RfmScores;
use crate::survival::{ChurnDurations, KaplanMeier, NelsonAalen};

/// One column of a [`Table`], borrowed from the result.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Column<'a> {
    /// Customer ids (integers, or text when any id is text).
    Ids(&'a [CustomerId]),
    /// Numbers.
    F64(&'a [f64]),
    /// Numbers that may be absent (`None`: no value, e.g. no orders yet).
    OptF64(&'a [Option<f64>]),
    /// Small whole numbers that may be absent (scores).
    OptU8(&'a [Option<u8>]),
    /// Counts.
    Count(&'a [usize]),
    /// Flags.
    Bool(&'a [bool]),
    /// Text.
    Text(&'a [String]),
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
            Column::Bool(v) => v.len(),
            Column::Text(v) => v.len(),
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

impl Table for RfmScores {
    fn columns(&self) -> Vec<(&'static str, Column<'_>)> {
        vec![
            ("customer_id", Column::Ids(&self.ids)),
            ("recency_days", Column::OptF64(&self.recency_days)),
            ("frequency", Column::OptF64(&self.frequency)),
            ("monetary", Column::OptF64(&self.monetary)),
            ("r", Column::OptU8(&self.r)),
            ("f", Column::OptU8(&self.f)),
            ("m", Column::OptU8(&self.m)),
            ("segment", Column::Text(&self.segment)),
        ]
    }
}

impl Table for ModelInput {
    fn columns(&self) -> Vec<(&'static str, Column<'_>)> {
        vec![
            ("customer_id", Column::Ids(&self.ids)),
            ("frequency", Column::F64(&self.frequency)),
            ("recency", Column::F64(&self.recency)),
            ("T", Column::F64(&self.t)),
            ("monetary_value", Column::F64(&self.monetary_value)),
        ]
    }
}

impl Table for ChurnDurations {
    fn columns(&self) -> Vec<(&'static str, Column<'_>)> {
        vec![
            ("customer_id", Column::Ids(&self.ids)),
            ("duration", Column::F64(&self.durations)),
            ("churned", Column::Bool(&self.churned)),
        ]
    }
}

impl Table for KaplanMeier {
    fn columns(&self) -> Vec<(&'static str, Column<'_>)> {
        vec![
            ("timeline", Column::F64(&self.table.times)),
            ("survival", Column::F64(&self.survival)),
            ("lower", Column::F64(&self.lower)),
            ("upper", Column::F64(&self.upper)),
            ("at_risk", Column::Count(&self.table.at_risk)),
            ("observed", Column::Count(&self.table.observed)),
            ("censored", Column::Count(&self.table.censored)),
        ]
    }
}

impl Table for NelsonAalen {
    fn columns(&self) -> Vec<(&'static str, Column<'_>)> {
        vec![
            ("timeline", Column::F64(&self.table.times)),
            ("cumulative_hazard", Column::F64(&self.cumulative_hazard)),
            ("variance", Column::F64(&self.variance)),
            ("lower", Column::F64(&self.lower)),
            ("upper", Column::F64(&self.upper)),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_have_the_rows_of_the_result() {
        let m = ModelInput {
            ids: vec![1.into(), 2.into()],
            frequency: vec![0.0, 2.0],
            recency: vec![0.0, 5.0],
            t: vec![9.0, 9.0],
            monetary_value: vec![0.0, 12.5],
        };
        let cols = m.columns();
        assert!(cols.iter().all(|(_, c)| c.len() == 2 && !c.is_empty()));
        assert_eq!(cols[3], ("T", Column::F64(&[9.0, 9.0])));
    }
}
