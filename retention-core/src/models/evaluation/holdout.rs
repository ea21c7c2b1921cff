//! Calibration vs holdout: the conditional-expectation table and the error
//! metrics (see the module docs).

use std::borrow::Cow;

use super::{check_count, MAX_GROUPS};
use crate::error::{check_len, check_non_negative, Issues};
use crate::models::validate::check_horizon;
use crate::models::{TransactionModel, TransactionSummary};
use crate::table::{Column, Table};
use crate::{Error, Result};

crate::vocab::codes! {
    /// The calibration figure that groups the customers of a
    /// [`conditional_holdout_table`] (lifetimes' `kind`).
    #[derive(Default)]
    pub enum HoldoutGroupBy as "holdout_group_by" {
        /// Repeat purchases in the calibration period, `x`.
        #[default]
        FrequencyCal = "frequency_cal",
        /// Recency in the calibration period, `tₓ`.
        RecencyCal = "recency_cal",
        /// Age at the end of the calibration period, `T`.
        TCal = "t_cal",
        /// Time since the last purchase, `T − tₓ`.
        TimeSinceLastPurchase = "time_since_last_purchase",
    }
}

/// Calibration histories and what the customers did in the holdout.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct HoldoutData<'a> {
    /// `(x, tₓ, T)` over the calibration period (weights are ignored).
    pub calibration: TransactionSummary<'a>,
    /// Repeat purchases in the holdout, per customer.
    pub frequency_holdout: &'a [f64],
    /// Holdout length `t*`, in the model's time unit.
    pub duration_holdout: f64,
}

impl HoldoutData<'_> {
    /// The model's `E[X(T, T + t*) | x, tₓ, T]` per customer, after checking
    /// the holdout column (lengths, finite and `≥ 0`) and the duration.
    fn predictions(&self, model: &dyn TransactionModel) -> Result<Vec<f64>> {
        let n = self.calibration.len();
        check_len("frequency_holdout", n, self.frequency_holdout.len())?;
        if n == 0 {
            return Err(Error::EmptyInput {
                what: "holdout customers",
            });
        }
        check_horizon("duration_holdout", self.duration_holdout)?;
        let mut issues = Issues::default();
        for (row, &v) in self.frequency_holdout.iter().enumerate() {
            check_non_negative(&mut issues, row, "frequency_holdout", v);
        }
        issues.finish()?;
        model.conditional_expected_purchases_batch(self.duration_holdout, &self.calibration)
    }
}

/// One group of a [`conditional_holdout_table`].
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct HoldoutGroup {
    /// The value of the grouping figure shared by the group.
    pub value: f64,
    /// Customers in the group.
    pub customers: usize,
    /// Their mean purchases in the holdout.
    pub actual_mean: f64,
    /// Their mean conditional expectation of holdout purchases.
    pub expected_mean: f64,
}

/// Actual against expected holdout purchases, by distinct value of
/// `group_by` ascending, the first `max_groups` groups (see the module docs).
///
/// Errors: no customers, columns of different lengths, invalid histories or
/// holdout counts ([`Error::InvalidRows`]), a negative or non-finite
/// duration, `max_groups` 0 or above [`MAX_GROUPS`], and the model's errors.
pub fn conditional_holdout_table(
    model: &dyn TransactionModel,
    data: &HoldoutData<'_>,
    group_by: HoldoutGroupBy,
    max_groups: usize,
) -> Result<Vec<HoldoutGroup>> {
    check_count(
        "max_groups",
        max_groups,
        MAX_GROUPS,
        "exceeds the limit of 100000 groups (MAX_GROUPS)",
    )?;
    let predicted = data.predictions(model)?;
    let c = &data.calibration;
    let key = |i: usize| match group_by {
        HoldoutGroupBy::FrequencyCal => c.frequency[i],
        HoldoutGroupBy::RecencyCal => c.recency[i],
        HoldoutGroupBy::TCal => c.age[i],
        HoldoutGroupBy::TimeSinceLastPurchase => c.age[i] - c.recency[i],
    };
    let mut order: Vec<usize> = (0..predicted.len()).collect();
    order.sort_by(|&a, &b| key(a).total_cmp(&key(b)));
    let mut out = Vec::new();
    for group in order.chunk_by(|&a, &b| key(a) == key(b)).take(max_groups) {
        let n = group.len() as f64;
        let actual: f64 = group.iter().map(|&i| data.frequency_holdout[i]).sum();
        let expected: f64 = group.iter().map(|&i| predicted[i]).sum();
        out.push(HoldoutGroup {
            value: key(group[0]),
            customers: group.len(),
            actual_mean: actual / n,
            expected_mean: expected / n,
        });
    }
    Ok(out)
}

/// Customer-level accuracy of holdout predictions (see the module docs).
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct HoldoutMetrics {
    /// Number of customers.
    pub customers: usize,
    /// Sum of the actual holdout purchases.
    pub actual_total: f64,
    /// Sum of the predictions.
    pub expected_total: f64,
    /// Mean absolute error.
    pub mae: f64,
    /// Root mean squared error.
    pub rmse: f64,
    /// Pearson correlation of predictions and actual purchases; `None` when
    /// either is constant.
    pub correlation: Option<f64>,
}

/// [`HoldoutMetrics`] of `model`'s conditional expectations against the
/// holdout purchases of `data`.
///
/// Errors: those of [`conditional_holdout_table`] other than `max_groups`.
pub fn holdout_metrics(
    model: &dyn TransactionModel,
    data: &HoldoutData<'_>,
) -> Result<HoldoutMetrics> {
    let predicted = data.predictions(model)?;
    Ok(error_metrics(&predicted, data.frequency_holdout))
}

/// The metrics of checked, finite, equally long, non-empty columns.
fn error_metrics(predicted: &[f64], actual: &[f64]) -> HoldoutMetrics {
    let n = predicted.len() as f64;
    let expected_total: f64 = predicted.iter().sum();
    let actual_total: f64 = actual.iter().sum();
    let (mut abs, mut sq) = (0.0, 0.0);
    for (p, a) in predicted.iter().zip(actual) {
        abs += (p - a).abs();
        sq += (p - a) * (p - a);
    }
    let (mp, ma) = (expected_total / n, actual_total / n);
    let (mut spp, mut saa, mut spa) = (0.0, 0.0, 0.0);
    for (p, a) in predicted.iter().zip(actual) {
        spp += (p - mp) * (p - mp);
        saa += (a - ma) * (a - ma);
        spa += (p - mp) * (a - ma);
    }
    let correlation = (spp > 0.0 && saa > 0.0)
        .then(|| (spa / (spp.sqrt() * saa.sqrt())).clamp(-1.0, 1.0))
        .filter(|r| r.is_finite());
    HoldoutMetrics {
        customers: predicted.len(),
        actual_total,
        expected_total,
        mae: abs / n,
        rmse: (sq / n).sqrt(),
        correlation,
    }
}

/// Mean absolute percentage error (in percent) of `expected_cumulative`
/// against `actual_cumulative`, over the rows where the actual value is
/// positive (see the module docs).
///
/// Errors: columns of different lengths, a negative or non-finite value
/// ([`Error::InvalidRows`]), and no row with a positive actual value.
pub fn tracking_mape(actual_cumulative: &[f64], expected_cumulative: &[f64]) -> Result<f64> {
    check_len(
        "expected_cumulative",
        actual_cumulative.len(),
        expected_cumulative.len(),
    )?;
    let mut issues = Issues::default();
    for (row, (&a, &e)) in actual_cumulative
        .iter()
        .zip(expected_cumulative)
        .enumerate()
    {
        check_non_negative(&mut issues, row, "actual_cumulative", a);
        check_non_negative(&mut issues, row, "expected_cumulative", e);
    }
    issues.finish()?;
    let (mut total, mut rows) = (0.0, 0usize);
    for (&a, &e) in actual_cumulative.iter().zip(expected_cumulative) {
        if a > 0.0 {
            total += (e - a).abs() / a;
            rows += 1;
        }
    }
    if rows == 0 {
        return Err(Error::EmptyInput {
            what: "tracking rows with a positive actual cumulative count",
        });
    }
    crate::models::validate::finite("tracking MAPE", None, 100.0 * total / rows as f64)
}

impl Table for [HoldoutGroup] {
    fn columns(&self) -> Vec<(&'static str, Column<'_>)> {
        let f = |g: fn(&HoldoutGroup) -> f64| Column::F64(Cow::Owned(self.iter().map(g).collect()));
        vec![
            ("value", f(|g| g.value)),
            (
                "customers",
                Column::Count(Cow::Owned(self.iter().map(|g| g.customers).collect())),
            ),
            ("actual_mean", f(|g| g.actual_mean)),
            ("expected_mean", f(|g| g.expected_mean)),
        ]
    }
}
