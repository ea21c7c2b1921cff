//! The calibration-period frequency distribution: observed against the
//! model's expectation (see the module docs).

use std::borrow::Cow;

use super::{check_count, MAX_FREQUENCY};
use crate::models::{TransactionModelParams, TransactionSummary};
use crate::table::{Column, Table};
use crate::Result;

/// One bucket of [`period_transactions`]: customers with `frequency` repeat
/// purchases, or at least that many for the last (`open`) bucket.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct FrequencyBucket {
    /// Number of repeat purchases (the lower bound of an open bucket).
    pub frequency: usize,
    /// Whether the bucket holds every frequency from `frequency` on.
    pub open: bool,
    /// Customers observed (total weight of their rows).
    pub actual: f64,
    /// Customers the model expects: `Σᵢ wᵢ · P(X(Tᵢ) = frequency)` (the
    /// remaining probability for the open bucket).
    pub expected: f64,
}

/// Buckets `0, 1, …, max_frequency − 1` and `max_frequency+` of the
/// calibration frequencies in `data`, observed and expected under `model`
/// at each row's age `T` (weights count identical rows).
///
/// Errors: invalid rows ([`crate::Error::InvalidRows`]), no rows,
/// `max_frequency` 0 or above [`MAX_FREQUENCY`], and the model's errors.
pub fn period_transactions(
    model: &TransactionModelParams,
    data: &TransactionSummary<'_>,
    max_frequency: usize,
) -> Result<Vec<FrequencyBucket>> {
    check_count(
        "max_frequency",
        max_frequency,
        MAX_FREQUENCY,
        "exceeds the limit of 1000 buckets (MAX_FREQUENCY)",
    )?;
    data.validate(false)?;
    let mut out: Vec<FrequencyBucket> = (0..=max_frequency)
        .map(|n| FrequencyBucket {
            frequency: n,
            open: n == max_frequency,
            actual: 0.0,
            expected: 0.0,
        })
        .collect();
    let mut by_age: Vec<(f64, f64)> = Vec::with_capacity(data.len());
    for (i, (&x, &age)) in data.frequency.iter().zip(data.age).enumerate() {
        let w = data.weight(i);
        // Validated: whole and ≥ 0, so the cast is exact (or saturates).
        out[(x as usize).min(max_frequency)].actual += w;
        by_age.push((age, w));
    }
    by_age.sort_by(|a, b| a.0.total_cmp(&b.0));
    for group in by_age.chunk_by(|a, b| a.0 == b.0) {
        let w: f64 = group.iter().map(|g| g.1).sum();
        let mut closed = 0.0;
        for (n, bucket) in out.iter_mut().take(max_frequency).enumerate() {
            let p = model.probability_of_purchases(n as u64, group[0].0)?;
            closed += p;
            bucket.expected += w * p;
        }
        out[max_frequency].expected += w * (1.0 - closed).max(0.0);
    }
    Ok(out)
}

impl Table for [FrequencyBucket] {
    fn columns(&self) -> Vec<(&'static str, Column<'_>)> {
        vec![
            (
                "frequency",
                Column::Count(Cow::Owned(self.iter().map(|b| b.frequency).collect())),
            ),
            (
                "open",
                Column::Bool(Cow::Owned(self.iter().map(|b| b.open).collect())),
            ),
            (
                "actual",
                Column::F64(Cow::Owned(self.iter().map(|b| b.actual).collect())),
            ),
            (
                "expected",
                Column::F64(Cow::Owned(self.iter().map(|b| b.expected).collect())),
            ),
        ]
    }
}
