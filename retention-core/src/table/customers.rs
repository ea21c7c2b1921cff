//! Per-customer results: scores, model inputs, stages, tiers, engagement,
//! historic value, summaries and rule segments.

use std::borrow::Cow;

use super::{gather, Column, Table};
use crate::events::CustomerId;
use crate::metrics::{Engagement, HistoricClv};
use crate::model_input::{CalibrationHoldout, ModelInput};
use crate::models::scores::CustomerScores;
use crate::segments::lifecycle::LifecycleStatus;
use crate::segments::rfm::{RfmScores, RfmValues};
use crate::segments::tiers::ValueTier;
use crate::summary::Summaries;

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

impl Table for RfmValues {
    fn columns(&self) -> Vec<(&'static str, Column<'_>)> {
        vec![
            ("customer_id", Column::Ids(Cow::Borrowed(&self.ids))),
            (
                "recency_days",
                Column::OptF64(Cow::Borrowed(&self.recency_days)),
            ),
            ("frequency", Column::OptF64(Cow::Borrowed(&self.frequency))),
            ("monetary", Column::OptF64(Cow::Borrowed(&self.monetary))),
        ]
    }
}

/// `probability_alive`, `expected_purchases` and, when computed, `clv`.
impl Table for CustomerScores {
    fn columns(&self) -> Vec<(&'static str, Column<'_>)> {
        let mut cols = vec![
            (
                "probability_alive",
                Column::F64(Cow::Borrowed(&self.probability_alive)),
            ),
            (
                "expected_purchases",
                Column::F64(Cow::Borrowed(&self.expected_purchases)),
            ),
        ];
        if let Some(clv) = &self.clv {
            cols.push(("clv", Column::F64(Cow::Borrowed(clv))));
        }
        cols
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

/// Calibration inputs (`*_cal`) next to the holdout outcomes, as lifetimes
/// lays them out; the holdout length is repeated on every row.
impl Table for CalibrationHoldout {
    fn columns(&self) -> Vec<(&'static str, Column<'_>)> {
        let c = &self.calibration;
        vec![
            ("customer_id", Column::Ids(Cow::Borrowed(&c.ids))),
            ("frequency_cal", Column::F64(Cow::Borrowed(&c.frequency))),
            ("recency_cal", Column::F64(Cow::Borrowed(&c.recency))),
            ("T_cal", Column::F64(Cow::Borrowed(&c.t))),
            (
                "monetary_value_cal",
                Column::F64(Cow::Borrowed(&c.monetary_value)),
            ),
            (
                "frequency_holdout",
                Column::F64(Cow::Borrowed(&self.frequency_holdout)),
            ),
            (
                "monetary_value_holdout",
                Column::F64(Cow::Borrowed(&self.monetary_value_holdout)),
            ),
            (
                "duration_holdout",
                Column::F64(Cow::Owned(vec![self.duration_holdout; c.ids.len()])),
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

impl Table for [HistoricClv] {
    fn columns(&self) -> Vec<(&'static str, Column<'_>)> {
        vec![
            (
                "customer_id",
                Column::Ids(gather(self, |r| r.customer.clone())),
            ),
            ("net_revenue", Column::F64(gather(self, |r| r.net_revenue))),
        ]
    }
}

/// One row per customer, in id order.
impl Table for Summaries {
    fn columns(&self) -> Vec<(&'static str, Column<'_>)> {
        let s = self.summaries();
        let count = |n: u32| usize::try_from(n).unwrap_or(usize::MAX);
        vec![
            ("customer_id", Column::Ids(Cow::Borrowed(self.ids()))),
            (
                "first_order",
                Column::Instants(gather(s, |c| c.first_order())),
            ),
            (
                "last_order",
                Column::Instants(gather(s, |c| c.last_order())),
            ),
            ("orders", Column::Count(gather(s, |c| count(c.orders())))),
            (
                "refund_count",
                Column::Count(gather(s, |c| count(c.refund_count()))),
            ),
            ("revenue", Column::F64(gather(s, |c| c.revenue()))),
            ("refunds", Column::F64(gather(s, |c| c.refunds()))),
            ("net_revenue", Column::F64(gather(s, |c| c.net_revenue()))),
            (
                "first_seen",
                Column::Instants(gather(s, |c| c.first_seen())),
            ),
            ("last_seen", Column::Instants(gather(s, |c| c.last_seen()))),
            (
                "lifespan_days",
                Column::OptF64(gather(s, |c| c.lifespan_days())),
            ),
        ]
    }
}

/// Rule segments ([`crate::segments::rules::rule_segments`]): every matching
/// segment of a customer, and the first of them (`None` when none matches).
impl Table for [(CustomerId, Vec<String>)] {
    fn columns(&self) -> Vec<(&'static str, Column<'_>)> {
        vec![
            (
                "customer_id",
                Column::Ids(gather(self, |(id, _)| id.clone())),
            ),
            (
                "segments",
                Column::TextLists(self.iter().map(|(_, names)| &names[..]).collect()),
            ),
            (
                "segment",
                Column::OptText(gather(self, |(_, names)| names.first().cloned())),
            ),
        ]
    }
}

#[cfg(test)]
mod tests {
    use chrono::{TimeZone, Utc};

    use super::*;
    use crate::events::{Event, EventKind, EventLog, LogOptions};

    fn names(cols: &[(&'static str, Column<'_>)]) -> Vec<&'static str> {
        cols.iter().map(|(n, _)| *n).collect()
    }

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

    #[test]
    fn holdout_length_is_repeated_per_customer() {
        let c = CalibrationHoldout {
            calibration: ModelInput {
                ids: vec![1.into(), 2.into()],
                frequency: vec![1.0, 0.0],
                recency: vec![3.0, 0.0],
                t: vec![10.0, 4.0],
                monetary_value: vec![7.5, 0.0],
            },
            frequency_holdout: vec![2.0, 0.0],
            monetary_value_holdout: vec![4.0, 0.0],
            duration_holdout: 6.0,
        };
        let cols = c.columns();
        assert_eq!(
            names(&cols),
            [
                "customer_id",
                "frequency_cal",
                "recency_cal",
                "T_cal",
                "monetary_value_cal",
                "frequency_holdout",
                "monetary_value_holdout",
                "duration_holdout"
            ]
        );
        assert_eq!(cols[3].1, Column::F64(Cow::Owned(vec![10.0, 4.0])));
        assert_eq!(cols[7].1, Column::F64(Cow::Owned(vec![6.0, 6.0])));
    }

    #[test]
    fn historic_value_per_customer() {
        let rows = [
            HistoricClv {
                customer: "a".into(),
                net_revenue: 12.5,
            },
            HistoricClv {
                customer: "b".into(),
                net_revenue: -3.0,
            },
        ];
        let cols = rows.columns();
        assert_eq!(names(&cols), ["customer_id", "net_revenue"]);
        assert_eq!(
            cols[0].1,
            Column::Ids(Cow::Owned(vec!["a".into(), "b".into()]))
        );
        assert_eq!(cols[1].1, Column::F64(Cow::Owned(vec![12.5, -3.0])));
    }

    #[test]
    fn summaries_read_one_row_per_customer() {
        let day = |d| Utc.with_ymd_and_hms(2024, 5, d, 0, 0, 0).unwrap();
        let events = [
            Event::order(1, day(1), 30.0),
            Event::order(1, day(11), 20.0),
            Event::new(1, day(12), EventKind::Refund { amount: 5.0 }),
            Event::new(2, day(3), EventKind::Session),
        ];
        let log = EventLog::from_events(&events, LogOptions::default()).unwrap();
        let s = Summaries::from_log(&log);
        let cols = s.columns();
        assert_eq!(
            names(&cols),
            [
                "customer_id",
                "first_order",
                "last_order",
                "orders",
                "refund_count",
                "revenue",
                "refunds",
                "net_revenue",
                "first_seen",
                "last_seen",
                "lifespan_days"
            ]
        );
        let micros = |d| crate::time::to_micros(day(d));
        assert_eq!(
            cols[1].1,
            Column::Instants(Cow::Owned(vec![Some(micros(1)), None]))
        );
        assert_eq!(cols[3].1, Column::Count(Cow::Owned(vec![2, 0])));
        assert_eq!(cols[4].1, Column::Count(Cow::Owned(vec![1, 0])));
        assert_eq!(cols[7].1, Column::F64(Cow::Owned(vec![45.0, 0.0])));
        assert_eq!(
            cols[8].1,
            Column::Instants(Cow::Owned(vec![Some(micros(1)), Some(micros(3))]))
        );
        assert_eq!(
            cols[10].1,
            Column::OptF64(Cow::Owned(vec![Some(10.0), None]))
        );
    }

    #[test]
    fn rule_segments_name_the_first_match() {
        let rows = [
            (
                CustomerId::from(1),
                vec!["big".to_owned(), "all".to_owned()],
            ),
            (CustomerId::from(2), Vec::new()),
        ];
        let cols = rows[..].columns();
        assert_eq!(names(&cols), ["customer_id", "segments", "segment"]);
        assert_eq!(cols[1].1.len(), 2);
        assert_eq!(
            cols[2].1,
            Column::OptText(Cow::Owned(vec![Some("big".to_owned()), None]))
        );
    }
}
