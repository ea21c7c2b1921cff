//! Series of periods: activity counts and period-over-period retention.

use std::borrow::Cow;

use super::{gather, CohortCells, Column, InCalendar, Table};
use crate::metrics::{ChurnVariant, PeriodActivity, PeriodRetention};
use crate::segments::period_lifecycle::PeriodLifecycle;

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

/// Period-over-period retention, one row per period `P`, dated by the
/// instant `P` starts.
impl Table for InCalendar<'_, [PeriodRetention]> {
    fn columns(&self) -> Vec<(&'static str, Column<'_>)> {
        let rows = self.rows;
        vec![
            (
                "period_start",
                Column::Instants(gather(rows, |r| Some(self.calendar.start(r.period)))),
            ),
            ("customers", Column::U64(gather(rows, |r| r.customers))),
            ("retained", Column::U64(gather(rows, |r| r.retained))),
            ("rate", Column::OptF64(gather(rows, PeriodRetention::rate))),
        ]
    }
}

/// Lifecycle counts, one row per period, dated by the instant it starts.
impl Table for InCalendar<'_, [PeriodLifecycle]> {
    fn columns(&self) -> Vec<(&'static str, Column<'_>)> {
        let rows = self.rows;
        let counts = |f: fn(&PeriodLifecycle) -> u64| Column::U64(gather(rows, f));
        vec![
            (
                "period_start",
                Column::Instants(gather(rows, |r| Some(self.calendar.start(r.period)))),
            ),
            ("new", counts(|r| r.new)),
            ("returning", counts(|r| r.returning)),
            ("resurrecting", counts(|r| r.resurrecting)),
            ("dormant", counts(|r| r.dormant)),
            ("active", counts(PeriodLifecycle::active)),
        ]
    }
}

impl Table for CohortCells<'_> {
    fn columns(&self) -> Vec<(&'static str, Column<'_>)> {
        let m = self.matrix;
        let calendar = m.calendar();
        vec![
            ("cohort", Column::Text(Cow::Borrowed(m.labels()))),
            (
                "period_start",
                Column::Instants(gather(m.periods(), |p| p.map(|p| calendar.start(p)))),
            ),
            ("size", Column::U64(Cow::Borrowed(m.sizes()))),
        ]
    }

    fn data_named_columns(&self) -> Vec<(String, Column<'_>)> {
        (0..self.matrix.ages())
            .map(|age| {
                let cells = gather(self.values, |row| row.get(age).copied().flatten());
                (age.to_string(), Column::OptF64(cells))
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use std::borrow::Cow;

    use super::*;
    use crate::time::{Calendar, Period};

    #[test]
    fn period_retention_is_dated_by_its_calendar() {
        let calendar = Calendar::utc(Period::Day);
        let rows = [
            PeriodRetention {
                period: 1,
                customers: 4,
                retained: 3,
            },
            PeriodRetention {
                period: 2,
                customers: 0,
                retained: 0,
            },
        ];
        let table = InCalendar {
            calendar: &calendar,
            rows: &rows[..],
        };
        let cols = table.columns();
        let names: Vec<&str> = cols.iter().map(|(n, _)| *n).collect();
        assert_eq!(names, ["period_start", "customers", "retained", "rate"]);
        // Day 1 after the epoch starts 86 400 s (in µs) after it.
        let day = 86_400_000_000;
        assert_eq!(
            cols[0].1,
            Column::Instants(Cow::Owned(vec![Some(day), Some(2 * day)]))
        );
        assert_eq!(
            cols[3].1,
            Column::OptF64(Cow::Owned(vec![Some(0.75), None]))
        );
    }
}
