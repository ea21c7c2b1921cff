//! Nelson–Aalen estimator of the cumulative hazard.
//!
//! See the [module overview](super) for the formulas and references.

use super::kaplan_meier::{check_time, z_for_alpha};
use super::table::{validate_sample, EventTable, SampleWeights};
use crate::error::Result;
use crate::special::{digamma, trigamma};

crate::vocab::codes! {
    /// How tied event times contribute to the cumulative hazard.
    #[non_exhaustive]
    #[derive(Default)]
    pub enum NelsonAalenTies as "nelson_aalen_ties" {
        /// Ties are broken as if the `d` events happened one after another:
        /// increment `Σ_{k=0}^{d−1} 1/(n−k)`, variance increment
        /// `Σ_{k=0}^{d−1} 1/(n−k)²`. lifelines' default
        /// (`nelson_aalen_smoothing=True`).
        #[default]
        Smoothed = "smoothed",
        /// The textbook estimator: increment `d/n`, variance increment
        /// `d (n−d) / n³`.
        Discrete = "discrete",
    }
}

/// Options for [`NelsonAalen::fit`].
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(default, deny_unknown_fields))]
pub struct NelsonAalenOptions {
    /// Significance level of the intervals, strictly between 0 and 1.
    /// Default 0.05.
    pub alpha: f64,
    /// Tie handling. Default [`NelsonAalenTies::Smoothed`].
    pub ties: NelsonAalenTies,
}

impl Default for NelsonAalenOptions {
    fn default() -> Self {
        NelsonAalenOptions {
            alpha: 0.05,
            ties: NelsonAalenTies::Smoothed,
        }
    }
}

/// A fitted Nelson–Aalen cumulative hazard, aligned with
/// [`EventTable::times`].
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct NelsonAalen {
    /// The life table the estimate is built from.
    pub table: EventTable,
    /// `Ĥ(t)` at each table time.
    pub cumulative_hazard: Vec<f64>,
    /// Estimated variance of `Ĥ(t)`.
    pub variance: Vec<f64>,
    /// Lower confidence bound, `Ĥ exp(−z σ / Ĥ)` (log transform).
    pub lower: Vec<f64>,
    /// Upper confidence bound, `Ĥ exp(z σ / Ĥ)`.
    pub upper: Vec<f64>,
    /// Significance level of the bounds.
    pub alpha: f64,
    /// Tie handling used.
    pub ties: NelsonAalenTies,
}

impl NelsonAalen {
    /// Fits the Nelson–Aalen estimator to right-censored durations.
    ///
    /// # Errors
    /// [`Error::LengthMismatch`](crate::Error::LengthMismatch),
    /// [`Error::EmptyInput`](crate::Error::EmptyInput),
    /// [`Error::InvalidRows`](crate::Error::InvalidRows) for non-finite
    /// durations, and
    /// [`Error::InvalidParameter`](crate::Error::InvalidParameter) for
    /// `alpha` outside `(0, 1)`.
    pub fn fit(
        durations: &[f64],
        event_observed: &[bool],
        options: &NelsonAalenOptions,
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
    /// As [`NelsonAalen::fit`], plus
    /// [`Error::LengthMismatch`](crate::Error::LengthMismatch) and
    /// [`Error::InvalidRows`](crate::Error::InvalidRows) for bad weights or
    /// entry times.
    pub fn fit_weighted(
        durations: &[f64],
        event_observed: &[bool],
        extra: &SampleWeights<'_>,
        options: &NelsonAalenOptions,
    ) -> Result<Self> {
        let z = z_for_alpha(options.alpha)?;
        validate_sample(durations, event_observed, extra)?;
        let table = EventTable::build_sample(durations, event_observed, extra);
        let m = table.len();
        let mut cumulative_hazard = Vec::with_capacity(m);
        let mut variance = Vec::with_capacity(m);
        let mut lower = Vec::with_capacity(m);
        let mut upper = Vec::with_capacity(m);
        let (mut h, mut v) = (0.0_f64, 0.0_f64);
        for i in 0..m {
            let n = table.population(i);
            let d = table.observed[i];
            if d > 0.0 && n > 0.0 {
                let (dh, dv) = match options.ties {
                    NelsonAalenTies::Smoothed => smoothed_increment(n, d.min(n)),
                    NelsonAalenTies::Discrete => (d / n, (n - d) * d / (n * n * n)),
                };
                h += dh;
                v += dv;
            }
            let half = if h > 0.0 { z * v.sqrt() / h } else { 0.0 };
            cumulative_hazard.push(h);
            variance.push(v);
            lower.push(h * (-half).exp());
            upper.push(h * half.exp());
        }
        Ok(NelsonAalen {
            table,
            cumulative_hazard,
            variance,
            lower,
            upper,
            alpha: options.alpha,
            ties: options.ties,
        })
    }

    /// Times at which the estimate is tabulated.
    pub fn times(&self) -> &[f64] {
        &self.table.times
    }

    /// `Ĥ(t)` as a right-continuous step function (0 before the origin).
    ///
    /// # Errors
    /// [`Error::InvalidParameter`](crate::Error::InvalidParameter) when `t`
    /// is NaN.
    pub fn cumulative_hazard_at(&self, t: f64) -> Result<f64> {
        check_time(t)?;
        Ok(self
            .table
            .row_at(t)
            .map_or(0.0, |i| self.cumulative_hazard[i]))
    }
}

/// Tied events counted one after another: `(Σ_{k=0}^{d−1} 1/(n−k),
/// Σ_{k=0}^{d−1} 1/(n−k)²)` for `0 < d ≤ n`.
///
/// For whole `n` and `d` (up to [`DIRECT_SUM`] terms) the terms are summed,
/// smallest first. Otherwise the sums are written with the digamma and
/// trigamma functions, `ψ(n+1) − ψ(n−d+1)` and `ψ₁(n−d+1) − ψ₁(n+1)`, which
/// equal the sums for whole numbers and extend them to fractional weights.
fn smoothed_increment(n: f64, d: f64) -> (f64, f64) {
    if n.fract() == 0.0 && d.fract() == 0.0 && d <= DIRECT_SUM {
        let (mut h, mut v) = (0.0, 0.0);
        let mut k = n - d + 1.0;
        while k <= n {
            let r = 1.0 / k;
            h += r;
            v += r * r;
            k += 1.0;
        }
        (h, v)
    } else {
        (
            digamma(n + 1.0) - digamma(n - d + 1.0),
            trigamma(n - d + 1.0) - trigamma(n + 1.0),
        )
    }
}

/// Largest number of tied events whose smoothed increment is summed term by
/// term.
const DIRECT_SUM: f64 = 4096.0;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hand_computed_with_a_tie() {
        // Times 1, 2, 2, 3+, 4: at t = 2 there are 4 at risk and 2 events.
        let durations = [1.0, 2.0, 2.0, 3.0, 4.0];
        let events = [true, true, true, false, true];
        let smooth = NelsonAalen::fit(&durations, &events, &NelsonAalenOptions::default()).unwrap();
        let at2 = 1.0 / 5.0 + 1.0 / 4.0 + 1.0 / 3.0;
        assert!((smooth.cumulative_hazard_at(2.5).unwrap() - at2).abs() < 1e-15);
        let var2 = 1.0 / 25.0 + 1.0 / 16.0 + 1.0 / 9.0;
        assert!((smooth.variance[2] - var2).abs() < 1e-15);
        assert!((smooth.cumulative_hazard[4] - (at2 + 1.0)).abs() < 1e-15);

        let discrete = NelsonAalen::fit(
            &durations,
            &events,
            &NelsonAalenOptions {
                ties: NelsonAalenTies::Discrete,
                ..Default::default()
            },
        )
        .unwrap();
        assert!((discrete.cumulative_hazard[2] - (0.2 + 0.5)).abs() < 1e-15);
        let var = 4.0 / 125.0 + 2.0 * 2.0 / 64.0;
        assert!((discrete.variance[2] - var).abs() < 1e-15);
        assert_eq!(discrete.cumulative_hazard_at(-3.0).unwrap(), 0.0);
        assert_eq!((discrete.lower[0], discrete.upper[0]), (0.0, 0.0));
    }
}

#[cfg(test)]
mod weighted_tests {
    use super::*;

    #[test]
    fn smoothed_increment_extends_harmonic_sums() {
        let (h, v) = smoothed_increment(5.0, 2.0);
        assert!((h - (0.2 + 0.25)).abs() < 1e-15);
        assert!((v - (0.04 + 0.0625)).abs() < 1e-15);
        // Digamma form agrees with the direct sum for whole numbers.
        let (h2, v2) = (digamma(6.0) - digamma(4.0), trigamma(4.0) - trigamma(6.0));
        assert!((h - h2).abs() < 1e-14 && (v - v2).abs() < 1e-14);
        // One event at fractional weight n: ψ(n+1) − ψ(n) = 1/n.
        let (h3, _) = smoothed_increment(2.5, 1.0);
        assert!((h3 - 0.4).abs() < 1e-14);
    }

    #[test]
    fn weighted_discrete_by_hand() {
        // Weights 2, 1, 1 on times 1, 2, 2+: at t = 1 n = 4, d = 2;
        // at t = 2 n = 2, d = 1.
        let na = NelsonAalen::fit_weighted(
            &[1.0, 2.0, 2.0],
            &[true, true, false],
            &SampleWeights {
                weights: Some(&[2.0, 1.0, 1.0]),
                entry: None,
            },
            &NelsonAalenOptions {
                ties: NelsonAalenTies::Discrete,
                ..Default::default()
            },
        )
        .unwrap();
        assert_eq!(na.cumulative_hazard, vec![0.0, 0.5, 1.0]);
        assert!((na.variance[2] - (2.0 * 2.0 / 64.0 + 1.0 / 8.0)).abs() < 1e-15);
    }
}
