//! Per-customer results: scores, model inputs, stages, tiers and engagement.

use std::borrow::Cow;

use super::{gather, Column, Table};
use crate::events::CustomerId;
use crate::metrics::Engagement;
use crate::model_input::ModelInput;
use crate::segments::lifecycle::LifecycleStatus;
use crate::segments::rfm::RfmScores;
use crate::segments::tiers::ValueTier;

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
