//! Nelson–Aalen estimator of the cumulative hazard.
//!
//! See the [module overview](super) for the formulas and references.

use super::kaplan_meier::{check_time, z_for_alpha};
use super::table::{validate_durations, EventTable};
use crate::error::Result;

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
    /// [`Error::InvalidRows`](crate::Error::InvalidRows) for negative or
    /// non-finite durations, and
    /// [`Error::InvalidParameter`](crate::Error::InvalidParameter) for
    /// `alpha` outside `(0, 1)`.
    pub fn fit(
        durations: &[f64],
        event_observed: &[bool],
        options: &NelsonAalenOptions,
    ) -> Result<Self> {
        let z = z_for_alpha(options.alpha)?;
        validate_durations(durations, event_observed)?;
        let table = EventTable::build(durations, event_observed);
        let m = table.len();
        let mut cumulative_hazard = Vec::with_capacity(m);
        let mut variance = Vec::with_capacity(m);
        let mut lower = Vec::with_capacity(m);
        let mut upper = Vec::with_capacity(m);
        let (mut h, mut v) = (0.0_f64, 0.0_f64);
        for i in 0..m {
            let n = table.at_risk[i];
            let d = table.observed[i];
            if d > 0 {
                match options.ties {
                    NelsonAalenTies::Smoothed => {
                        // Smallest terms first for a slightly better sum.
                        for k in ((n - d + 1)..=n).rev() {
                            let r = 1.0 / k as f64;
                            h += r;
                            v += r * r;
                        }
                    }
                    NelsonAalenTies::Discrete => {
                        let (nf, df) = (n as f64, d as f64);
                        h += df / nf;
                        v += (nf - df) * df / (nf * nf * nf);
                    }
                }
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
