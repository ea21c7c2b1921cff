//! Churn results: supervised-model features and calibration, health scores
//! with their traffic lights.

use super::{gather, Column, PerCustomer, Table};
use crate::churn::health::HealthScore;
use crate::churn::supervised::{CalibrationBin, ChurnFeatures, FEATURE_NAMES};
use crate::churn::traffic_light::TrafficLight;
use std::borrow::Cow;

/// The customer, then one column per feature under its [`FEATURE_NAMES`] name.
impl Table for ChurnFeatures {
    fn columns(&self) -> Vec<(&'static str, Column<'_>)> {
        let mut cols = Vec::with_capacity(FEATURE_NAMES.len() + 1);
        cols.push(("customer_id", Column::Ids(Cow::Borrowed(&self.ids))));
        for (j, &name) in FEATURE_NAMES.iter().enumerate() {
            let values = gather(&self.rows, |r| r.get(j).copied().unwrap_or(f64::NAN));
            cols.push((name, Column::F64(values)));
        }
        cols
    }
}

/// The calibration table of [`crate::churn::supervised::evaluate`], one row per bin.
impl Table for [CalibrationBin] {
    fn columns(&self) -> Vec<(&'static str, Column<'_>)> {
        vec![
            ("lower", Column::F64(gather(self, |b| b.lower))),
            ("upper", Column::F64(gather(self, |b| b.upper))),
            ("count", Column::Count(gather(self, |b| b.count))),
            (
                "mean_predicted",
                Column::OptF64(gather(self, |b| b.mean_predicted)),
            ),
            (
                "observed_rate",
                Column::OptF64(gather(self, |b| b.observed_rate)),
            ),
        ]
    }
}

/// Health scores and their traffic lights
/// ([`crate::churn::health::health_traffic_lights`]) with the customers
/// they belong to.
impl Table for PerCustomer<'_, [(HealthScore, TrafficLight)]> {
    fn columns(&self) -> Vec<(&'static str, Column<'_>)> {
        let rows = self.rows;
        vec![
            ("customer_id", Column::Ids(Cow::Borrowed(self.ids))),
            ("risk", Column::F64(gather(rows, |(h, _)| h.risk))),
            (
                "reasons",
                Column::TextLists(rows.iter().map(|(h, _)| &h.reasons[..]).collect()),
            ),
            (
                "light",
                Column::Codes(rows.iter().map(|(_, l)| l.light.as_str()).collect()),
            ),
            (
                "light_reasons",
                Column::TextLists(rows.iter().map(|(_, l)| &l.reasons[..]).collect()),
            ),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::churn::traffic_light::Light;
    use crate::events::CustomerId;

    #[test]
    fn features_are_named_columns() {
        let mut row = [0.0; FEATURE_NAMES.len()];
        row[0] = 12.0;
        row[13] = 1.0;
        let f = ChurnFeatures {
            cutoff: 0,
            ids: vec![5.into()],
            rows: vec![row],
        };
        let cols = f.columns();
        assert_eq!(cols.len(), 15);
        assert_eq!(cols[0].0, "customer_id");
        assert_eq!(
            cols[1],
            ("recency_days", Column::F64(Cow::Owned(vec![12.0])))
        );
        assert_eq!(
            cols[14],
            ("answered_nps", Column::F64(Cow::Owned(vec![1.0])))
        );
    }

    #[test]
    fn calibration_bins_read_as_rows() {
        let bins = [
            CalibrationBin {
                lower: 0.0,
                upper: 0.5,
                count: 2,
                mean_predicted: Some(0.25),
                observed_rate: Some(0.5),
            },
            CalibrationBin {
                lower: 0.5,
                upper: 1.0,
                count: 0,
                mean_predicted: None,
                observed_rate: None,
            },
        ];
        let cols = bins.columns();
        let names: Vec<&str> = cols.iter().map(|(n, _)| *n).collect();
        assert_eq!(
            names,
            ["lower", "upper", "count", "mean_predicted", "observed_rate"]
        );
        assert_eq!(cols[2].1, Column::Count(Cow::Owned(vec![2, 0])));
        assert_eq!(cols[4].1, Column::OptF64(Cow::Owned(vec![Some(0.5), None])));
    }

    #[test]
    fn health_lights_carry_their_customers() {
        let rows = [(
            HealthScore {
                risk: 0.75,
                components: Vec::new(),
                reasons: vec!["no recent orders".to_owned()],
            },
            TrafficLight {
                light: Light::Red,
                risk: 0.75,
                reasons: vec!["risk 0.75".to_owned(), "open ticket".to_owned()],
            },
        )];
        let ids = [CustomerId::from("x")];
        let table = PerCustomer {
            ids: &ids,
            rows: &rows[..],
        };
        let cols = table.columns();
        let names: Vec<&str> = cols.iter().map(|(n, _)| *n).collect();
        assert_eq!(
            names,
            ["customer_id", "risk", "reasons", "light", "light_reasons"]
        );
        assert_eq!(cols[1].1, Column::F64(Cow::Owned(vec![0.75])));
        assert_eq!(cols[3].1, Column::Codes(vec!["red"]));
        assert!(matches!(&cols[4].1, Column::TextLists(v) if v[0].len() == 2));
    }
}
