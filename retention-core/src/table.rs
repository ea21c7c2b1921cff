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
use crate::metrics::{ChurnVariant, Engagement, PeriodActivity};
use crate::model_input::ModelInput;
use crate::segments::lifecycle::LifecycleStatus;
use crate::segments::rfm::RfmScores;
use crate::segments::tiers::ValueTier;
use crate::survival::{ChurnDurations, KaplanMeier, NelsonAalen};
use crate::time::Micros;

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

impl Table for RfmScores {
    fn columns(&self) -> Vec<(&'static str, Column<'_>)> {
        vec![
            ("customer_id", Column::Ids(Cow::Borrowed(&self.ids))),
            (
                "recency_days",
                Column::OptF64(Cow::Borrowed(&self.recency_days)),
            ),
            ("frequency", Column::OptF64(Cow::Borrowed(&self.frequency))),
            ("monetary", Column::OptF64(Cow::Borrowed(&self.monetary))),
            ("r", Column::OptU8(Cow::Borrowed(&self.r))),
            ("f", Column::OptU8(Cow::Borrowed(&self.f))),
            ("m", Column::OptU8(Cow::Borrowed(&self.m))),
            ("segment", Column::Text(Cow::Borrowed(&self.segment))),
        ]
    }
}

impl Table for ModelInput {
    fn columns(&self) -> Vec<(&'static str, Column<'_>)> {
        vec![
            ("customer_id", Column::Ids(Cow::Borrowed(&self.ids))),
            ("frequency", Column::F64(Cow::Borrowed(&self.frequency))),
            ("recency", Column::F64(Cow::Borrowed(&self.recency))),
            ("T", Column::F64(Cow::Borrowed(&self.t))),
            (
                "monetary_value",
                Column::F64(Cow::Borrowed(&self.monetary_value)),
            ),
        ]
    }
}

impl Table for ChurnDurations {
    fn columns(&self) -> Vec<(&'static str, Column<'_>)> {
        vec![
            ("customer_id", Column::Ids(Cow::Borrowed(&self.ids))),
            ("duration", Column::F64(Cow::Borrowed(&self.durations))),
            ("churned", Column::Bool(Cow::Borrowed(&self.churned))),
        ]
    }
}

impl Table for KaplanMeier {
    fn columns(&self) -> Vec<(&'static str, Column<'_>)> {
        vec![
            ("timeline", Column::F64(Cow::Borrowed(&self.table.times))),
            ("survival", Column::F64(Cow::Borrowed(&self.survival))),
            ("lower", Column::F64(Cow::Borrowed(&self.lower))),
            ("upper", Column::F64(Cow::Borrowed(&self.upper))),
            ("at_risk", Column::Count(Cow::Borrowed(&self.table.at_risk))),
            (
                "observed",
                Column::Count(Cow::Borrowed(&self.table.observed)),
            ),
            (
                "censored",
                Column::Count(Cow::Borrowed(&self.table.censored)),
            ),
        ]
    }
}

impl Table for NelsonAalen {
    fn columns(&self) -> Vec<(&'static str, Column<'_>)> {
        vec![
            ("timeline", Column::F64(Cow::Borrowed(&self.table.times))),
            (
                "cumulative_hazard",
                Column::F64(Cow::Borrowed(&self.cumulative_hazard)),
            ),
            ("variance", Column::F64(Cow::Borrowed(&self.variance))),
            ("lower", Column::F64(Cow::Borrowed(&self.lower))),
            ("upper", Column::F64(Cow::Borrowed(&self.upper))),
        ]
    }
}

/// Gathers one column from the rows of an array-of-structs result.
fn gather<'a, R, T: Clone>(rows: &'a [R], f: impl Fn(&'a R) -> T) -> Cow<'a, [T]> {
    Cow::Owned(rows.iter().map(f).collect())
}

/// A series of periods (one row per period).
impl Table for [PeriodActivity] {
    fn columns(&self) -> Vec<(&'static str, Column<'_>)> {
        let counts = |f: fn(&PeriodActivity) -> u64| Column::U64(gather(self, f));
        vec![
            (
                "period_start",
                Column::Instants(gather(self, |a| Some(a.start))),
            ),
            (
                "period_end",
                Column::Instants(gather(self, |a| Some(a.end))),
            ),
            ("start_count", counts(|a| a.start_count)),
            ("end_count", counts(|a| a.end_count)),
            ("retained", counts(|a| a.retained)),
            ("joined", counts(|a| a.joined)),
            ("new", counts(|a| a.new)),
            ("lost", counts(|a| a.lost)),
            ("lost_including_new", counts(|a| a.lost_including_new)),
            (
                "retention_rate",
                Column::OptF64(gather(self, PeriodActivity::retention_rate)),
            ),
            (
                "churn_rate",
                Column::OptF64(gather(self, |a| {
                    a.churn_rate(ChurnVariant::StartingCustomers)
                })),
            ),
            (
                "churn_rate_including_new",
                Column::OptF64(gather(self, |a| a.churn_rate(ChurnVariant::IncludingNew))),
            ),
        ]
    }
}

impl Table for [(CustomerId, LifecycleStatus)] {
    fn columns(&self) -> Vec<(&'static str, Column<'_>)> {
        vec![
            (
                "customer_id",
                Column::Ids(gather(self, |(id, _)| id.clone())),
            ),
            (
                "stage",
                Column::Codes(self.iter().map(|(_, s)| s.stage.as_str()).collect()),
            ),
            (
                "days_since_last_order",
                Column::OptF64(gather(self, |(_, s)| s.days_since_last_order)),
            ),
            (
                "typical_gap_days",
                Column::OptF64(gather(self, |(_, s)| s.typical_gap_days)),
            ),
            (
                "inactive_warning",
                Column::Bool(gather(self, |(_, s)| s.inactive_warning)),
            ),
        ]
    }
}

impl Table for [ValueTier] {
    fn columns(&self) -> Vec<(&'static str, Column<'_>)> {
        vec![
            ("customer_id", Column::Ids(gather(self, |t| t.id.clone()))),
            ("value", Column::F64(gather(self, |t| t.value))),
            ("rank", Column::Count(gather(self, |t| t.rank))),
            ("tier", Column::Text(gather(self, |t| t.tier.clone()))),
        ]
    }
}

impl Table for [Engagement] {
    fn columns(&self) -> Vec<(&'static str, Column<'_>)> {
        vec![
            (
                "customer_id",
                Column::Ids(gather(self, |e| e.customer.clone())),
            ),
            ("sessions", Column::U64(gather(self, |e| e.sessions))),
            ("email_opens", Column::U64(gather(self, |e| e.email_opens))),
            (
                "email_clicks",
                Column::U64(gather(self, |e| e.email_clicks)),
            ),
            (
                "click_through_rate",
                Column::OptF64(gather(self, Engagement::click_through_rate)),
            ),
            (
                "active_days_30",
                Column::Count(gather(self, |e| e.active_days_30 as usize)),
            ),
            (
                "last_activity",
                Column::Instants(gather(self, |e| e.last_activity)),
            ),
            (
                "days_since_last_activity",
                Column::OptF64(gather(self, |e| e.days_since_last_activity)),
            ),
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
        assert_eq!(cols[3], ("T", Column::F64(Cow::Borrowed(&[9.0, 9.0][..]))));
    }
}
