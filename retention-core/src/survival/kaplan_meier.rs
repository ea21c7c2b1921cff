//! Kaplan–Meier product-limit estimator with Greenwood confidence intervals.
//!
//! See the [module overview](super) for the formulas and references.

use super::product_limit::{bounds_with_z, ProductLimit};
use super::table::{validate_sample, EventTable, SampleWeights};
use crate::error::{Error, Result};
use crate::special::normal_quantile;

crate::vocab::codes! {
    /// How a pointwise confidence interval for `S(t)` is built from Greenwood's
    /// variance.
    #[non_exhaustive]
    #[derive(Default)]
    pub enum KmConfidenceTransform as "km_confidence_transform" {
        /// Exponential Greenwood interval: symmetric on `log(−log S)` and mapped
        /// back, `S^{exp(±z σ / log S)}`; stays inside `[0, 1]`. This is the
        /// lifelines default.
        #[default]
        LogLog = "log_log",
        /// Plain (linear) Greenwood interval `S ± z S σ`, clipped to `[0, 1]`.
        Linear = "linear",
    }
}

/// Options for [`KaplanMeier::fit`].
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(default, deny_unknown_fields))]
pub struct KaplanMeierOptions {
    /// Significance level: the intervals have coverage `1 − alpha`.
    /// Must lie strictly between 0 and 1. Default 0.05.
    pub alpha: f64,
    /// Interval construction. Default [`KmConfidenceTransform::LogLog`].
    pub transform: KmConfidenceTransform,
}

impl Default for KaplanMeierOptions {
    fn default() -> Self {
        KaplanMeierOptions {
            alpha: 0.05,
            transform: KmConfidenceTransform::LogLog,
        }
    }
}

/// A fitted Kaplan–Meier survival curve.
///
/// Every vector is aligned with [`EventTable::times`]: entry `i` is the
/// value on `[times[i], times[i+1])`.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct KaplanMeier {
    /// The life table the estimate is built from.
    pub table: EventTable,
    /// `Ŝ(t)` at each table time.
    pub survival: Vec<f64>,
    /// Greenwood's sum `Σ d/(n(n−d))` up to each time (the variance of
    /// `log Ŝ`; the variance of `Ŝ` is `Ŝ²` times this).
    pub greenwood: Vec<f64>,
    /// Lower confidence bound at each time.
    pub lower: Vec<f64>,
    /// Upper confidence bound at each time.
    pub upper: Vec<f64>,
    /// Significance level of the bounds.
    pub alpha: f64,
    /// How the bounds were built.
    pub transform: KmConfidenceTransform,
}

/// Validates a significance level `0 < alpha < 1` and returns `z_{1−α/2}`.
pub(crate) fn z_for_alpha(alpha: f64) -> Result<f64> {
    if !(alpha.is_finite() && alpha > 0.0 && alpha < 1.0) {
        return Err(Error::parameter(
            "alpha",
            alpha,
            "must lie strictly between 0 and 1",
        ));
    }
    match normal_quantile(1.0 - alpha / 2.0) {
        Some(z) if z.is_finite() => Ok(z),
        _ => Err(Error::parameter(
            "alpha",
            alpha,
            "is too small: 1 - alpha/2 rounds to 1",
        )),
    }
}

/// Rejects a NaN evaluation time.
pub(crate) fn check_time(t: f64) -> Result<()> {
    if t.is_nan() {
        Err(Error::parameter("t", t, "must be a number"))
    } else {
        Ok(())
    }
}

/// First table time at which `values` is `≤ q`, `None` if never.
pub(crate) fn first_time_at_or_below(times: &[f64], values: &[f64], q: f64) -> Option<f64> {
    values.iter().position(|&v| v <= q).map(|i| times[i])
}

/// Slack used when comparing the product-limit estimate with a quantile
/// level, so that an exact rational value such as `1/2` reached through
/// rounded factors still counts as reached.
const LEVEL_SLACK: f64 = 1e-12;

impl KaplanMeier {
    /// Fits the product-limit estimator to right-censored durations.
    ///
    /// # Errors
    /// [`Error::LengthMismatch`], [`Error::EmptyInput`],
    /// [`Error::InvalidRows`] (non-finite durations, all listed)
    /// and [`Error::InvalidParameter`] for `alpha` outside `(0, 1)`.
    pub fn fit(
        durations: &[f64],
        event_observed: &[bool],
        options: &KaplanMeierOptions,
    ) -> Result<Self> {
        Self::fit_weighted(
            durations,
            event_observed,
            &SampleWeights::default(),
            options,
        )
    }

    /// Fits the estimator to a sample with optional case weights and entry
    /// (left-truncation) times; see the [module overview](super).
    ///
    /// # Errors
    /// As [`KaplanMeier::fit`], plus [`Error::LengthMismatch`] and
    /// [`Error::InvalidRows`] for bad weights (negative, non-finite) or entry
    /// times (non-finite, after the duration).
    pub fn fit_weighted(
        durations: &[f64],
        event_observed: &[bool],
        extra: &SampleWeights<'_>,
        options: &KaplanMeierOptions,
    ) -> Result<Self> {
        let z = z_for_alpha(options.alpha)?;
        validate_sample(durations, event_observed, extra)?;
        let table = EventTable::build_sample(durations, event_observed, extra);
        Ok(Self::from_table(table, z, options))
    }

    fn from_table(table: EventTable, z: f64, options: &KaplanMeierOptions) -> Self {
        let ProductLimit {
            table,
            survival,
            greenwood,
        } = ProductLimit::from_table(table);
        let (lower, upper) = bounds_with_z(&survival, &greenwood, z, options.transform);
        KaplanMeier {
            table,
            survival,
            greenwood,
            lower,
            upper,
            alpha: options.alpha,
            transform: options.transform,
        }
    }

    /// Times at which the curve is tabulated (same as `self.table.times`).
    pub fn times(&self) -> &[f64] {
        &self.table.times
    }

    /// `Ŝ(t)`: the step function evaluated at `t` (right-continuous; 1 before
    /// the origin).
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] when `t` is NaN.
    pub fn survival_at(&self, t: f64) -> Result<f64> {
        check_time(t)?;
        Ok(self.table.row_at(t).map_or(1.0, |i| self.survival[i]))
    }

    /// The `q`-quantile survival time: the first time with `Ŝ(t) ≤ q`
    /// (lifelines' `percentile`/`qth_survival_time` convention), `None` when
    /// the curve never gets that low.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] unless `0 ≤ q ≤ 1`.
    pub fn survival_time_at(&self, q: f64) -> Result<Option<f64>> {
        crate::error::in_range("q", q, 0.0, 1.0, "must lie in [0, 1]")?;
        Ok(first_time_at_or_below(
            &self.table.times,
            &self.survival,
            q + LEVEL_SLACK * q.max(f64::MIN_POSITIVE),
        ))
    }

    /// Median survival time: the first time with `Ŝ(t) ≤ 0.5`, `None` when
    /// the curve stays above one half (lifelines reports `inf`).
    ///
    /// `Ŝ` is a product of rounded factors, so a value within a relative
    /// `1e-12` of one half counts as reaching it (`3/4 · 2/3` is exactly
    /// `1/2` even if its floating-point product is not).
    pub fn median_survival_time(&self) -> Option<f64> {
        first_time_at_or_below(&self.table.times, &self.survival, 0.5 * (1.0 + LEVEL_SLACK))
    }

    /// Confidence interval `(lower, upper)` of the median: the first times at
    /// which the lower and the upper pointwise bound reach 0.5 (what
    /// lifelines' `median_survival_times(confidence_interval_)` reports).
    /// `None` marks a bound that never reaches 0.5 (an infinite limit).
    pub fn median_confidence_interval(&self) -> (Option<f64>, Option<f64>) {
        (
            first_time_at_or_below(&self.table.times, &self.lower, 0.5),
            first_time_at_or_below(&self.table.times, &self.upper, 0.5),
        )
    }
}

/// One term of Greenwood's sum, `d / (n (n − d))`, as lifelines computes
/// it: the at-risk weight `n` is first truncated to a whole number (this
/// only matters for fractional weights), a term with `n = d` is 0, and an
/// undefined term (`0/0`, nobody at risk) adds nothing.
pub(crate) fn greenwood_term(n: f64, d: f64) -> f64 {
    let n = n.max(0.0).trunc();
    let term = d / (n * (n - d));
    if term.is_nan() || term == f64::INFINITY {
        0.0
    } else {
        term
    }
}

/// Pointwise bounds for survival `s` with Greenwood sum `g`.
///
/// The log-log bounds are `exp(−exp(log(−log s) ∓ z √g / log s))`, computed
/// as the equal `exp(log s · e^{∓k})` with `k = z √g / log s` (three
/// transcendental calls instead of five); where this is undefined (`s = 1`,
/// or a non-finite Greenwood sum) the bound is 1, as in lifelines. Where
/// `s = 0` both bounds are 0.
pub(crate) fn bounds(s: f64, g: f64, z: f64, transform: KmConfidenceTransform) -> (f64, f64) {
    match transform {
        KmConfidenceTransform::LogLog => {
            let v = s.ln();
            let grow = (z * g.sqrt() / v).exp();
            let bound = |x: f64| {
                let b = x.exp();
                if b.is_nan() {
                    1.0
                } else {
                    b
                }
            };
            (bound(v / grow), bound(v * grow))
        }
        KmConfidenceTransform::Linear => {
            if s >= 1.0 {
                return (1.0, 1.0);
            }
            if s <= 0.0 {
                return (0.0, 0.0);
            }
            let half = z * s * g.sqrt();
            ((s - half).max(0.0), (s + half).min(1.0))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() <= 1e-12 * b.abs().max(1.0)
    }

    /// Six subjects worked by hand: times 1, 2+, 3, 3, 4+, 5.
    ///
    /// | t | n | d | S                 | Greenwood sum            |
    /// |---|---|---|-------------------|--------------------------|
    /// | 1 | 6 | 1 | 5/6               | 1/30                     |
    /// | 2 | 5 | 0 | 5/6               | 1/30                     |
    /// | 3 | 4 | 2 | 5/6 · 2/4 = 5/12  | 1/30 + 2/8               |
    /// | 4 | 2 | 0 | 5/12              | 1/30 + 1/4               |
    /// | 5 | 1 | 1 | 0                 | (n = d: term dropped)    |
    #[test]
    fn six_subjects_by_hand() {
        let km = KaplanMeier::fit(
            &[1.0, 2.0, 3.0, 3.0, 4.0, 5.0],
            &[true, false, true, true, false, true],
            &KaplanMeierOptions::default(),
        )
        .unwrap();
        assert_eq!(km.times(), &[0.0, 1.0, 2.0, 3.0, 4.0, 5.0]);
        let expected = [1.0, 5.0 / 6.0, 5.0 / 6.0, 5.0 / 12.0, 5.0 / 12.0, 0.0];
        for (s, e) in km.survival.iter().zip(expected) {
            assert!(close(*s, e), "{s} vs {e}");
        }
        assert!(close(km.greenwood[3], 1.0 / 30.0 + 0.25));
        assert!(close(km.greenwood[5], 1.0 / 30.0 + 0.25));
        // Exponential Greenwood lower bound at t = 1, by hand.
        let z = 1.959_963_984_540_054;
        let (s, g) = (5.0_f64 / 6.0, 1.0_f64 / 30.0);
        let k = z * g.sqrt() / -s.ln();
        assert!(close(km.lower[1], s.powf(k.exp())));
        assert!(close(km.upper[1], s.powf((-k).exp())));
        assert_eq!((km.lower[0], km.upper[0]), (1.0, 1.0));
        assert_eq!((km.lower[5], km.upper[5]), (0.0, 0.0));
        assert_eq!(km.median_survival_time(), Some(3.0));
        assert_eq!(km.survival_at(2.9).unwrap(), km.survival[2]);
        assert_eq!(km.survival_at(-1.0).unwrap(), 1.0);
        assert!(km.survival_at(f64::NAN).is_err());
    }

    #[test]
    fn median_exactly_one_half_is_reached() {
        // S drops to exactly 1/2 at t = 2 (4 at risk, 2 events).
        let km = KaplanMeier::fit(
            &[2.0, 2.0, 7.0, 9.0],
            &[true, true, false, false],
            &KaplanMeierOptions::default(),
        )
        .unwrap();
        assert_eq!(km.median_survival_time(), Some(2.0));
        // 3/4 · 2/3 = 1/2 through rounded factors, reached at t = 2.
        let km = KaplanMeier::fit(
            &[1.0, 2.0, 5.0, 6.0],
            &[true, true, false, false],
            &KaplanMeierOptions::default(),
        )
        .unwrap();
        assert_eq!(km.median_survival_time(), Some(2.0));
        // Never below one half: no median.
        let km = KaplanMeier::fit(
            &[1.0, 2.0, 3.0, 3.0, 3.0, 4.0],
            &[false, false, true, false, false, false],
            &KaplanMeierOptions::default(),
        )
        .unwrap();
        assert!(km.median_survival_time().is_none());
        assert_eq!(km.median_confidence_interval().1, None);
    }

    #[test]
    fn linear_interval_is_clipped() {
        let km = KaplanMeier::fit(
            &[1.0, 2.0, 3.0],
            &[true, true, false],
            &KaplanMeierOptions {
                alpha: 0.05,
                transform: KmConfidenceTransform::Linear,
            },
        )
        .unwrap();
        for (lo, hi) in km.lower.iter().zip(&km.upper) {
            assert!((0.0..=1.0).contains(lo) && (0.0..=1.0).contains(hi) && lo <= hi);
        }
        // At t = 1: S = 2/3, Greenwood sum 1/(3·2), half-width z S σ.
        let (s, g) = (2.0_f64 / 3.0, 1.0_f64 / 6.0);
        let half = 1.959_963_984_540_054 * s * g.sqrt();
        assert!(close(km.lower[1], s - half));
        assert!(close(km.upper[1], (s + half).min(1.0)));
    }

    #[test]
    fn bad_alpha_is_rejected() {
        for alpha in [0.0, 1.0, -0.1, f64::NAN, 1e-300] {
            let err = KaplanMeier::fit(
                &[1.0],
                &[true],
                &KaplanMeierOptions {
                    alpha,
                    ..Default::default()
                },
            )
            .unwrap_err();
            assert!(matches!(err, Error::InvalidParameter { name: "alpha", .. }));
        }
    }
}

#[cfg(test)]
mod weighted_tests {
    use super::*;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() <= 1e-12 * b.abs().max(1.0)
    }

    #[test]
    fn whole_weights_equal_repeated_rows() {
        let weighted = KaplanMeier::fit_weighted(
            &[1.0, 3.0, 4.0],
            &[true, true, false],
            &SampleWeights {
                weights: Some(&[2.0, 1.0, 3.0]),
                entry: None,
            },
            &KaplanMeierOptions::default(),
        )
        .unwrap();
        let repeated = KaplanMeier::fit(
            &[1.0, 1.0, 3.0, 4.0, 4.0, 4.0],
            &[true, true, true, false, false, false],
            &KaplanMeierOptions::default(),
        )
        .unwrap();
        assert_eq!(weighted.survival, repeated.survival);
        assert_eq!(weighted.lower, repeated.lower);
        assert_eq!(weighted.table.at_risk, repeated.table.at_risk);
        assert!(weighted.table.whole_counts);
    }

    /// Fractional weights 0.5, 1.5, 2: at t = 1, n = 4, d = 0.5, S = 7/8;
    /// at t = 2, n = 3.5, d = 1.5, S = 7/8 · 2/3.5 = 1/2. Greenwood truncates
    /// the at-risk weight (lifelines): 0.5/(4·3.5) + 1.5/(3·1.5).
    #[test]
    fn fractional_weights_by_hand() {
        let km = KaplanMeier::fit_weighted(
            &[1.0, 2.0, 3.0],
            &[true, true, false],
            &SampleWeights {
                weights: Some(&[0.5, 1.5, 2.0]),
                entry: None,
            },
            &KaplanMeierOptions::default(),
        )
        .unwrap();
        assert!(!km.table.whole_counts);
        assert_eq!(km.table.at_risk, vec![4.0, 4.0, 3.5, 2.0]);
        assert!(close(km.survival[1], 7.0 / 8.0));
        assert!(close(km.survival[2], 0.5));
        assert!(close(km.greenwood[2], 0.5 / 14.0 + 1.5 / 4.5));
    }

    /// Entry times: A enters 0, dies 2; B enters 1, dies 3; C enters 2,
    /// censored 4. Rows 0, 1, 2, 3, 4. At t = 2 the population is A and B
    /// (C enters at 2 and counts from the next time): S = 1/2. At t = 3:
    /// B and C, S = 1/4.
    #[test]
    fn entry_times_by_hand() {
        let km = KaplanMeier::fit_weighted(
            &[2.0, 3.0, 4.0],
            &[true, true, false],
            &SampleWeights {
                weights: None,
                entry: Some(&[0.0, 1.0, 2.0]),
            },
            &KaplanMeierOptions::default(),
        )
        .unwrap();
        assert_eq!(km.times(), &[0.0, 1.0, 2.0, 3.0, 4.0]);
        assert_eq!(km.table.entrance, vec![1.0, 1.0, 1.0, 0.0, 0.0]);
        assert_eq!(km.table.at_risk, vec![1.0, 2.0, 3.0, 2.0, 1.0]);
        assert_eq!(km.survival, vec![1.0, 1.0, 0.5, 0.25, 0.25]);
        assert!(close(km.greenwood[3], 1.0 / 2.0 + 1.0 / 2.0));
    }

    #[test]
    fn bad_weights_and_entries_are_named() {
        let err = KaplanMeier::fit_weighted(
            &[2.0, 3.0, 4.0],
            &[true, true, false],
            &SampleWeights {
                weights: Some(&[1.0, -1.0, f64::NAN]),
                entry: Some(&[0.0, 5.0, 1.0]),
            },
            &KaplanMeierOptions::default(),
        )
        .unwrap_err();
        let Error::InvalidRows { issues } = err else {
            panic!("wrong variant")
        };
        let found: Vec<(usize, &str)> = issues.iter().map(|i| (i.row, i.field)).collect();
        assert_eq!(found, vec![(1, "weights"), (1, "entry"), (2, "weights")]);
        assert!(matches!(
            KaplanMeier::fit_weighted(
                &[1.0],
                &[true],
                &SampleWeights {
                    weights: Some(&[]),
                    entry: None
                },
                &KaplanMeierOptions::default()
            ),
            Err(Error::LengthMismatch { .. })
        ));
    }
}
