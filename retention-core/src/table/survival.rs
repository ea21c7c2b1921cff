//! Survival results: churn durations, Kaplan-Meier and Nelson-Aalen tables.

use std::borrow::Cow;

use super::{Column, Table};
use crate::survival::{ChurnDurations, EventTable, KaplanMeier, NelsonAalen, StepCurve};

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
            ("at_risk", counts(&self.table, &self.table.at_risk)),
            ("observed", counts(&self.table, &self.table.observed)),
            ("censored", counts(&self.table, &self.table.censored)),
        ]
    }
}

/// A count column: whole numbers when the table's counts are whole
/// (unweighted or whole weights), numbers otherwise.
fn counts<'a>(table: &EventTable, values: &'a [f64]) -> Column<'a> {
    if table.whole_counts {
        Column::Count(Cow::Owned(values.iter().map(|&v| v as usize).collect()))
    } else {
        Column::F64(Cow::Borrowed(values))
    }
}

/// lifelines' `event_table`: one row per distinct time.
impl Table for EventTable {
    fn columns(&self) -> Vec<(&'static str, Column<'_>)> {
        vec![
            ("event_at", Column::F64(Cow::Borrowed(&self.times))),
            ("removed", {
                let removed = self.removed();
                if self.whole_counts {
                    Column::Count(Cow::Owned(removed.iter().map(|&v| v as usize).collect()))
                } else {
                    Column::F64(Cow::Owned(removed))
                }
            }),
            ("observed", counts(self, &self.observed)),
            ("censored", counts(self, &self.censored)),
            ("entrance", counts(self, &self.entrance)),
            ("at_risk", counts(self, &self.at_risk)),
        ]
    }
}

/// A curve read on a timeline.
impl Table for StepCurve {
    fn columns(&self) -> Vec<(&'static str, Column<'_>)> {
        let mut cols = vec![
            ("timeline", Column::F64(Cow::Borrowed(&self.times))),
            ("estimate", Column::F64(Cow::Borrowed(&self.estimate))),
            ("lower", Column::F64(Cow::Borrowed(&self.lower))),
            ("upper", Column::F64(Cow::Borrowed(&self.upper))),
        ];
        if !self.variance.is_empty() {
            cols.push(("variance", Column::F64(Cow::Borrowed(&self.variance))));
        }
        cols
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
