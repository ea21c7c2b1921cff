//! Comparing Kaplan–Meier curves at one time (Klein et al. 2007) and the
//! restricted mean survival time.
//!
//! See the [module overview](super) for the formulas and references.

use super::kaplan_meier::{KaplanMeier, KaplanMeierOptions};
use crate::error::{Error, Result};
use crate::special::chi_square_sf;

/// Result of [`survival_difference_at_fixed_point_in_time_test`].
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct FixedPointTest {
    /// The chi-square statistic (1 degree of freedom).
    pub test_statistic: f64,
    /// Degrees of freedom: always 1.
    pub degrees_of_freedom: usize,
    /// `P(χ²₁ > statistic)`.
    pub p_value: f64,
    /// `Ŝ_A(t)`.
    pub survival_a: f64,
    /// `Ŝ_B(t)`.
    pub survival_b: f64,
}

/// Restricted mean survival time and the variance of the restricted
/// lifetime (see [`restricted_mean_survival_time`]).
#[derive(Debug, Clone, Copy, PartialEq)]
#[non_exhaustive]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Rmst {
    /// `∫₀ᵗ Ŝ(u) du`.
    pub mean: f64,
    /// `2 ∫₀ᵗ u Ŝ(u) du − mean²`.
    pub variance: f64,
}

/// Greenwood's sum at `t`, linearly interpolated between the table times and
/// held constant outside them (lifelines interpolates it this way).
fn greenwood_interpolated(km: &KaplanMeier, t: f64) -> f64 {
    let times = km.times();
    let g = &km.greenwood;
    let k = times.partition_point(|&x| x <= t);
    if k == 0 {
        return g[0];
    }
    if k == times.len() {
        return g[k - 1];
    }
    let (t0, t1) = (times[k - 1], times[k]);
    g[k - 1] + (g[k] - g[k - 1]) * (t - t0) / (t1 - t0)
}

/// Tests `S_A(t) = S_B(t)` for two Kaplan–Meier curves at one time `t`
/// on the complementary log-log scale (lifelines'
/// `survival_difference_at_fixed_point_in_time_test` for two
/// `KaplanMeierFitter`s).
///
/// # Errors
/// The errors of [`KaplanMeier::fit`] for either sample (field names without
/// a group suffix) and [`Error::InvalidParameter`] when `t` is not finite
/// or a curve is 0 or 1 there (the statistic is undefined; lifelines
/// returns NaN).
pub fn survival_difference_at_fixed_point_in_time_test(
    t: f64,
    durations_a: &[f64],
    event_observed_a: &[bool],
    durations_b: &[f64],
    event_observed_b: &[bool],
) -> Result<FixedPointTest> {
    if !t.is_finite() {
        return Err(Error::parameter("point_in_time", t, "must be finite"));
    }
    let options = KaplanMeierOptions::default();
    let a = KaplanMeier::fit(durations_a, event_observed_a, &options)?;
    let b = KaplanMeier::fit(durations_b, event_observed_b, &options)?;
    let (sa, sb) = (a.survival_at(t)?, b.survival_at(t)?);
    let (la, lb) = (sa.ln(), sb.ln());
    let num = ((-la).ln() - (-lb).ln()).powi(2);
    let den = greenwood_interpolated(&a, t) / (la * la) + greenwood_interpolated(&b, t) / (lb * lb);
    let statistic = num / den;
    if !statistic.is_finite() {
        // A curve at 0 or 1 (or without variance) at `t`: the complementary
        // log-log scale has no finite value there.
        return Err(Error::parameter(
            "point_in_time",
            t,
            "both curves must lie strictly between 0 and 1, with variance, at this time",
        ));
    }
    Ok(FixedPointTest {
        test_statistic: statistic,
        degrees_of_freedom: 1,
        p_value: chi_square_sf(statistic, 1),
        survival_a: sa,
        survival_b: sb,
    })
}

/// Restricted mean survival time of a fitted Kaplan–Meier curve up to `t`,
/// integrated exactly over the step function, with the variance of the
/// restricted lifetime `min(T, t)` under that curve (lifelines'
/// `restricted_mean_survival_time(kmf, t, return_variance=True)`).
///
/// `t = ∞` integrates to the last time: finite when the curve reaches 0,
/// otherwise infinite (mean and variance `∞`).
///
/// # Errors
/// [`Error::InvalidParameter`] when `t` is NaN or negative;
/// [`Error::NonFiniteResult`] when a finite `t` gives a mean or variance
/// that overflows (times beyond about 10¹⁵⁴ in magnitude).
pub fn km_restricted_mean_survival_time(km: &KaplanMeier, t: f64) -> Result<Rmst> {
    if t.is_nan() || t < 0.0 {
        return Err(Error::parameter("t", t, "must be a non-negative number"));
    }
    let times = km.times();
    let s = &km.survival;
    let (mut mean, mut second) = (0.0, 0.0);
    for k in 0..times.len() {
        if times[k] >= t {
            break;
        }
        let end = times.get(k + 1).map_or(t, |&next| next.min(t));
        if end.is_infinite() {
            if s[k] > 0.0 {
                return Ok(Rmst {
                    mean: f64::INFINITY,
                    variance: f64::INFINITY,
                });
            }
            break;
        }
        mean += s[k] * (end - times[k]);
        second += s[k] * (end * end - times[k] * times[k]);
    }
    // Before the first table time (only when it is positive) Ŝ = 1.
    let first = times[0].min(t);
    mean += first;
    second += first * first;
    let variance = second - mean * mean;
    if !(mean.is_finite() && variance.is_finite()) {
        // Squares of times beyond ~1e154 overflow (∞ − ∞ is NaN).
        return Err(Error::NonFiniteResult {
            what: "restricted mean survival time",
            row: None,
        });
    }
    Ok(Rmst { mean, variance })
}

/// [`km_restricted_mean_survival_time`] of the Kaplan–Meier curve of the
/// given durations.
///
/// # Errors
/// Those of [`KaplanMeier::fit`] and [`km_restricted_mean_survival_time`].
pub fn restricted_mean_survival_time(
    durations: &[f64],
    event_observed: &[bool],
    t: f64,
) -> Result<Rmst> {
    let km = KaplanMeier::fit(durations, event_observed, &KaplanMeierOptions::default())?;
    km_restricted_mean_survival_time(&km, t)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Durations 1, 2+, 3, 4: Ŝ = 1 on [0,1), 3/4 on [1,3), 3/8 on [3,4), 0 after.
    #[test]
    fn rmst_by_hand() {
        let d = [1.0, 2.0, 3.0, 4.0];
        let e = [true, false, true, true];
        let r = restricted_mean_survival_time(&d, &e, 3.5).unwrap();
        let mean = 1.0 + 0.75 * 2.0 + 0.375 * 0.5;
        let second = 1.0 + 0.75 * (9.0 - 1.0) + 0.375 * (3.5f64.powi(2) - 9.0);
        assert!((r.mean - mean).abs() < 1e-12);
        assert!((r.variance - (second - mean * mean)).abs() < 1e-12);
        let full = restricted_mean_survival_time(&d, &e, f64::INFINITY).unwrap();
        assert!((full.mean - (1.0 + 1.5 + 0.375)).abs() < 1e-12);
        let open = restricted_mean_survival_time(&d, &[true, true, true, false], f64::INFINITY);
        assert_eq!(open.unwrap().mean, f64::INFINITY);
        assert_eq!(
            restricted_mean_survival_time(&d, &e, 0.0).unwrap().mean,
            0.0
        );
        assert!(restricted_mean_survival_time(&d, &e, -1.0).is_err());
    }

    /// A: 1, 2, 3, 4 (all events); B: 2, 4, 6, 8. At t = 2.5:
    /// Ŝ_A = 1/2; Greenwood sum 1/(4·3) + 1/(3·2) = 1/4 at t = 2 and
    /// 1/4 + 1/(2·1) at t = 3, interpolated to 1/2;
    /// Ŝ_B = 3/4, sum 1/12 at t = 2 and 1/12 + 1/6 at t = 4, interpolated to
    /// 1/12 + 1/6 · 1/4.
    #[test]
    fn fixed_point_by_hand() {
        let a = [1.0, 2.0, 3.0, 4.0];
        let b = [2.0, 4.0, 6.0, 8.0];
        let e = [true; 4];
        let r = survival_difference_at_fixed_point_in_time_test(2.5, &a, &e, &b, &e).unwrap();
        let (sa, sb) = (0.5f64, 0.75f64);
        let (va, vb) = (0.5, 1.0 / 12.0 + 1.0 / 24.0);
        let x = ((-sa.ln()).ln() - (-sb.ln()).ln()).powi(2)
            / (va / sa.ln().powi(2) + vb / sb.ln().powi(2));
        assert!((r.test_statistic - x).abs() < 1e-12, "{r:?} {x}");
        assert!((r.p_value - chi_square_sf(x, 1)).abs() < 1e-15);
        assert_eq!((r.survival_a, r.survival_b), (sa, sb));
        // Before the first event both curves are 1: no statistic, an error.
        let err = survival_difference_at_fixed_point_in_time_test(0.5, &a, &e, &b, &e);
        assert!(matches!(
            err,
            Err(Error::InvalidParameter {
                name: "point_in_time",
                ..
            })
        ));
    }
}
