//! Events as rows with the CSV columns: a log exported, and the sample shop.

use std::borrow::Cow;

use super::{gather, Column, Table};
use crate::events::{EventKind, EventLog};
use crate::sample::SampleColumns;

/// The CSV columns of one event beyond its customer, instant and type; each
/// is `None` where the event's type does not use it.
#[derive(Default)]
struct Cells {
    amount: Option<f64>,
    items: Option<usize>,
    score: Option<f64>,
    detail: Option<String>,
    resolved: Option<bool>,
}

impl Cells {
    fn of(kind: EventKind) -> Cells {
        let none = Cells::default();
        match kind {
            EventKind::Signup
            | EventKind::Session
            | EventKind::EmailOpen
            | EventKind::EmailClick => none,
            EventKind::Order { amount, items } => Cells {
                amount: Some(amount),
                items: items.and_then(|n| usize::try_from(n).ok()),
                ..none
            },
            EventKind::Refund { amount }
            | EventKind::PointsEarned { points: amount }
            | EventKind::PointsRedeemed { points: amount } => Cells {
                amount: Some(amount),
                ..none
            },
            EventKind::SupportTicket { severity, resolved } => Cells {
                detail: Some(severity.as_str().to_owned()),
                resolved: Some(resolved),
                ..none
            },
            EventKind::Survey { kind, score } => Cells {
                detail: Some(kind.as_str().to_owned()),
                score: Some(score),
                ..none
            },
            EventKind::Referral { referred } => Cells {
                detail: Some(referred.to_string()),
                ..none
            },
            EventKind::Subscription { change, mrr_delta } => Cells {
                amount: Some(mrr_delta),
                detail: Some(change.as_str().to_owned()),
                ..none
            },
        }
    }
}

/// The log in log order, one row per event, with the columns
/// [`crate::csv_input`] reads (so the table reads back into the same log).
impl Table for EventLog {
    fn columns(&self) -> Vec<(&'static str, Column<'_>)> {
        let mut kinds = Vec::with_capacity(self.len());
        let mut cells = Vec::with_capacity(self.len());
        for (_, e) in self.iter() {
            let kind = e.kind();
            kinds.push(kind.event_type().as_str());
            cells.push(Cells::of(kind));
        }
        let ids = Cow::Owned(self.iter().map(|(id, _)| id.clone()).collect());
        vec![
            ("customer_id", Column::Ids(ids)),
            (
                "timestamp",
                Column::Instants(gather(self.times(), |&t| Some(t))),
            ),
            ("event", Column::Codes(kinds)),
            ("amount", Column::OptF64(gather(&cells, |c| c.amount))),
            ("items", Column::OptCount(gather(&cells, |c| c.items))),
            ("score", Column::OptF64(gather(&cells, |c| c.score))),
            (
                "detail",
                Column::OptText(gather(&cells, |c| c.detail.clone())),
            ),
            ("resolved", Column::OptBool(gather(&cells, |c| c.resolved))),
        ]
    }
}

/// The sample shop's events with the same columns as an exported log
/// (`NaN` amounts and scores read as absent).
impl Table for SampleColumns {
    fn columns(&self) -> Vec<(&'static str, Column<'_>)> {
        let present = |v: &f64| (!v.is_nan()).then_some(*v);
        vec![
            (
                "customer_id",
                Column::Ids(gather(&self.customer, |&id| id.into())),
            ),
            (
                "timestamp",
                Column::Instants(gather(&self.timestamp, |&t| Some(t))),
            ),
            (
                "event",
                Column::Codes(self.kind.iter().map(|k| k.as_str()).collect()),
            ),
            ("amount", Column::OptF64(gather(&self.amount, present))),
            (
                "items",
                Column::OptCount(gather(&self.items, |i| {
                    i.and_then(|n| usize::try_from(n).ok())
                })),
            ),
            ("score", Column::OptF64(gather(&self.score, present))),
            (
                "detail",
                Column::OptText(gather(&self.detail, |d| d.as_deref().map(str::to_owned))),
            ),
            ("resolved", Column::OptBool(Cow::Borrowed(&self.resolved))),
        ]
    }
}

#[cfg(test)]
mod tests {
    use chrono::{TimeZone, Utc};

    use super::*;
    use crate::events::{Event, EventType, LogOptions, Severity};
    use crate::time::to_micros;

    const NAMES: [&str; 8] = [
        "customer_id",
        "timestamp",
        "event",
        "amount",
        "items",
        "score",
        "detail",
        "resolved",
    ];

    #[test]
    fn a_log_reads_as_its_csv_columns() {
        let day = |d| Utc.with_ymd_and_hms(2024, 3, d, 8, 0, 0).unwrap();
        let events = [
            Event::new(
                "b",
                day(2),
                EventKind::Order {
                    amount: 25.0,
                    items: Some(3),
                },
            ),
            Event::new(
                "a",
                day(1),
                EventKind::SupportTicket {
                    severity: Severity::Critical,
                    resolved: false,
                },
            ),
        ];
        let log = EventLog::from_events(&events, LogOptions::default()).unwrap();
        let cols = log.columns();
        let names: Vec<&str> = cols.iter().map(|(n, _)| *n).collect();
        assert_eq!(names, NAMES);
        // Log order: customer "a" first.
        assert_eq!(
            cols[0].1,
            Column::Ids(Cow::Owned(vec!["a".into(), "b".into()]))
        );
        assert_eq!(
            cols[1].1,
            Column::Instants(Cow::Owned(vec![
                Some(to_micros(day(1))),
                Some(to_micros(day(2)))
            ]))
        );
        assert_eq!(cols[2].1, Column::Codes(vec!["support_ticket", "order"]));
        assert_eq!(
            cols[3].1,
            Column::OptF64(Cow::Owned(vec![None, Some(25.0)]))
        );
        assert_eq!(cols[4].1, Column::OptCount(Cow::Owned(vec![None, Some(3)])));
        assert_eq!(
            cols[6].1,
            Column::OptText(Cow::Owned(vec![Some("critical".to_owned()), None]))
        );
        assert_eq!(
            cols[7].1,
            Column::OptBool(Cow::Owned(vec![Some(false), None]))
        );
    }

    #[test]
    fn sample_columns_drop_nan() {
        let s = SampleColumns {
            customer: vec![4],
            timestamp: vec![1_000],
            kind: vec![EventType::Survey],
            amount: vec![f64::NAN],
            items: vec![None],
            score: vec![9.0],
            detail: vec![Some(Cow::Borrowed("nps"))],
            resolved: vec![None],
        };
        // `SampleColumns` has an inherent `columns` (borrowed event columns).
        let cols = Table::columns(&s);
        let names: Vec<&str> = cols.iter().map(|(n, _)| *n).collect();
        assert_eq!(names, NAMES);
        assert_eq!(cols[0].1, Column::Ids(Cow::Owned(vec![4.into()])));
        assert_eq!(cols[3].1, Column::OptF64(Cow::Owned(vec![None])));
        assert_eq!(cols[5].1, Column::OptF64(Cow::Owned(vec![Some(9.0)])));
        assert_eq!(
            cols[6].1,
            Column::OptText(Cow::Owned(vec![Some("nps".to_owned())]))
        );
    }
}
