//! Survival results: churn durations, Kaplan-Meier and Nelson-Aalen tables.

use std::borrow::Cow;

use super::{Column, Table};
use crate::survival::{ChurnDurations, KaplanMeier, NelsonAalen};

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
