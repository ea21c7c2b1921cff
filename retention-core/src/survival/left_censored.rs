//! Kaplan–Meier for left-censored durations.
//!
//! See the [module overview](super) for the formulas and references.

use super::curve::{sample, timeline_or, StepCurve};
use super::kaplan_meier::{bounds, greenwood_term, z_for_alpha, KaplanMeierOptions};
use super::table::{validate_sample, EventTable, SampleWeights};
use crate::error::Result;

/// A fitted left-censored Kaplan–Meier estimate; vectors are aligned with
/// [`EventTable::times`].
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct LeftCensoredKaplanMeier {
    /// The life table.
    pub table: EventTable,
    /// `F̂(t)` at each table time.
    pub cumulative_density: Vec<f64>,
    /// Greenwood's sum (variance of `log F̂`) at each time.
    pub greenwood: Vec<f64>,
    /// lifelines' first bound of the survival function `1 − F̂`.
    pub lower: Vec<f64>,
    /// lifelines' second bound of the survival function `1 − F̂`.
    pub upper: Vec<f64>,
}

impl LeftCensoredKaplanMeier {
    /// Fits the estimator to left-censored durations (`event_observed`
    /// `false` = the event happened at or before the duration), with
    /// optional case weights and entry times; see the [module
    /// overview](super).
    ///
    /// # Errors
    /// As [`KaplanMeier::fit_weighted`](super::KaplanMeier::fit_weighted).
    pub fn fit(
        durations: &[f64],
        event_observed: &[bool],
        extra: &SampleWeights<'_>,
        options: &KaplanMeierOptions,
    ) -> Result<Self> {
        let z = z_for_alpha(options.alpha)?;
        validate_sample(durations, event_observed, extra)?;
        let table = EventTable::build_sample(durations, event_observed, extra);
        let m = table.len();
        let total: f64 = table.entrance.iter().sum();
        let mut cumulative_density = vec![1.0; m];
        let mut greenwood = vec![0.0; m];
        let (mut f, mut g, mut removed_after) = (1.0_f64, 0.0_f64, 0.0_f64);
        for j in (0..m).rev() {
            cumulative_density[j] = f;
            greenwood[j] = g;
            let r = total - removed_after;
            let d = table.observed[j];
            if r > 0.0 && r >= d {
                f *= (r - d) / r;
            }
            g += greenwood_term(r, d);
            removed_after += table.observed[j] + table.censored[j];
        }
        let (lower, upper) = cumulative_density
            .iter()
            .zip(&greenwood)
            .map(|(&f, &g)| {
                let (lo, hi) = bounds(f, g, z, options.transform);
                (1.0 - lo, 1.0 - hi)
            })
            .unzip();
        Ok(LeftCensoredKaplanMeier {
            table,
            cumulative_density,
            greenwood,
            lower,
            upper,
        })
    }

    /// The cumulative density and lifelines' survival bounds read at
    /// `timeline` (sorted; the table times when `None`); before the first
    /// table time all three are 0.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`](crate::Error::InvalidParameter) when a
    /// timeline point is NaN.
    pub fn curve(&self, timeline: Option<&[f64]>) -> Result<StepCurve> {
        let at = timeline_or(timeline, &self.table.times)?;
        let times = &self.table.times;
        Ok(StepCurve {
            estimate: sample(times, &self.cumulative_density, &at, 0.0),
            lower: sample(times, &self.lower, &at, 0.0),
            upper: sample(times, &self.upper, &at, 0.0),
            variance: Vec::new(),
            times: at,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dixon_example() {
        // Dixon's left-censored example (lifelines' test): F at 0, 3, 5, 6,
        // 10, 12 is 0, 7/16, 7/12, 7/8, 7/8, 1.
        let fit = LeftCensoredKaplanMeier::fit(
            &[3.0, 5.0, 5.0, 5.0, 6.0, 6.0, 10.0, 12.0],
            &[true, false, false, true, true, true, false, true],
            &SampleWeights::default(),
            &KaplanMeierOptions::default(),
        )
        .unwrap();
        assert_eq!(fit.table.times, vec![0.0, 3.0, 5.0, 6.0, 10.0, 12.0]);
        let expected = [0.0, 7.0 / 16.0, 7.0 / 12.0, 0.875, 0.875, 1.0];
        for (a, b) in fit.cumulative_density.iter().zip(expected) {
            assert!((a - b).abs() < 1e-12, "{a} vs {b}");
        }
        // Greenwood at 10: only t = 12 (r = 8, d = 1) lies after: 1/56.
        assert!((fit.greenwood[4] - 1.0 / 56.0).abs() < 1e-15);
        assert_eq!((fit.lower[5], fit.upper[5]), (0.0, 0.0));
    }
}
