//! Series of periods: activity counts.

use super::{gather, Column, Table};
use crate::metrics::{ChurnVariant, PeriodActivity};

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
