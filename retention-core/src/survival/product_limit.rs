//! The Kaplan–Meier estimate split in two steps, for callers that want the
//! curve now and its confidence bounds only later (or never): the
//! product-limit estimate with Greenwood's sum ([`ProductLimit`]), then the
//! pointwise bounds of any `(Ŝ, σ²)` pairs ([`greenwood_bounds`]).
//!
//! See the [module overview](super) for the formulas; the numbers are those
//! of [`KaplanMeier`](super::KaplanMeier).

use super::curve::{sample, timeline_or};
use super::kaplan_meier::{
    bounds, greenwood_term, z_for_alpha, KaplanMeierOptions, KmConfidenceTransform,
};
use super::table::{validate_sample, EventTable, SampleWeights};
use crate::error::{check_len, Result};

/// Product-limit estimate `Ŝ` and Greenwood's sum, aligned with
/// [`EventTable::times`], without confidence bounds.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct ProductLimit {
    /// The life table.
    pub table: EventTable,
    /// `Ŝ(t)` at each table time.
    pub survival: Vec<f64>,
    /// Greenwood's sum (variance of `log Ŝ`) at each table time.
    pub greenwood: Vec<f64>,
}

impl ProductLimit {
    /// Fits the estimate as [`KaplanMeier::fit_weighted`](super::KaplanMeier::fit_weighted)
    /// does, without the bounds.
    ///
    /// # Errors
    /// As [`KaplanMeier::fit_weighted`](super::KaplanMeier::fit_weighted)
    /// except for `alpha`, which is not used here.
    pub fn fit(
        durations: &[f64],
        event_observed: &[bool],
        extra: &SampleWeights<'_>,
    ) -> Result<Self> {
        validate_sample(durations, event_observed, extra)?;
        Ok(Self::from_table(EventTable::build_sample(
            durations,
            event_observed,
            extra,
        )))
    }

    pub(crate) fn from_table(table: EventTable) -> Self {
        let m = table.len();
        let mut survival = Vec::with_capacity(m);
        let mut greenwood = Vec::with_capacity(m);
        let (mut s, mut g) = (1.0_f64, 0.0_f64);
        for i in 0..m {
            let n = table.population(i);
            let d = table.observed[i];
            if d > 0.0 && n > 0.0 && n >= d {
                s *= (n - d) / n;
            }
            g += greenwood_term(n, d);
            survival.push(s);
            greenwood.push(g);
        }
        ProductLimit {
            table,
            survival,
            greenwood,
        }
    }

    /// The table and `(times, Ŝ, σ²)` read at `timeline` (sorted; the table
    /// times, moved rather than copied, when `None`); before the first
    /// table time `Ŝ = 1` and `σ² = 0`.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`](crate::Error::InvalidParameter) when a
    /// timeline point is NaN.
    #[allow(clippy::type_complexity)]
    pub fn into_timeline(
        self,
        timeline: Option<&[f64]>,
    ) -> Result<(EventTable, Vec<f64>, Vec<f64>, Vec<f64>)> {
        if timeline.is_none() {
            let times = self.table.times.clone();
            return Ok((self.table, times, self.survival, self.greenwood));
        }
        let at = timeline_or(timeline, &self.table.times)?;
        let s = sample(&self.table.times, &self.survival, &at, 1.0);
        let g = sample(&self.table.times, &self.greenwood, &at, 0.0);
        Ok((self.table, at, s, g))
    }
}

/// Pointwise confidence bounds `(lower, upper)` of survival values with
/// their Greenwood sums, as [`KaplanMeier`](super::KaplanMeier) builds them
/// (`options.transform`, level `1 − options.alpha`).
///
/// # Errors
/// [`Error::LengthMismatch`](crate::Error::LengthMismatch) and
/// [`Error::InvalidParameter`](crate::Error::InvalidParameter) for `alpha`
/// outside `(0, 1)`.
pub fn greenwood_bounds(
    survival: &[f64],
    greenwood: &[f64],
    options: &KaplanMeierOptions,
) -> Result<(Vec<f64>, Vec<f64>)> {
    check_len("greenwood", survival.len(), greenwood.len())?;
    let z = z_for_alpha(options.alpha)?;
    Ok(bounds_with_z(survival, greenwood, z, options.transform))
}

/// [`greenwood_bounds`] with `z` known.
pub(crate) fn bounds_with_z(
    survival: &[f64],
    greenwood: &[f64],
    z: f64,
    transform: KmConfidenceTransform,
) -> (Vec<f64>, Vec<f64>) {
    let mut lower = Vec::with_capacity(survival.len());
    let mut upper = Vec::with_capacity(survival.len());
    let mut last: Option<(f64, f64, (f64, f64))> = None;
    for (&s, &g) in survival.iter().zip(greenwood) {
        // Runs of equal (Ŝ, σ²) (censorings only) share their bounds.
        let b = match last {
            Some((ls, lg, b)) if ls == s && lg == g => b,
            _ => bounds(s, g, z, transform),
        };
        last = Some((s, g, b));
        lower.push(b.0);
        upper.push(b.1);
    }
    (lower, upper)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::survival::KaplanMeier;

    #[test]
    fn two_steps_equal_the_one_step_fit() {
        let d = [1.0, 2.0, 2.0, 3.0, 4.0, 4.0, 7.0, 9.0];
        let e = [true, false, true, true, false, true, true, false];
        let km = KaplanMeier::fit(&d, &e, &KaplanMeierOptions::default()).unwrap();
        let pl = ProductLimit::fit(&d, &e, &SampleWeights::default()).unwrap();
        assert_eq!(pl.survival, km.survival);
        assert_eq!(pl.greenwood, km.greenwood);
        let (lo, hi) =
            greenwood_bounds(&pl.survival, &pl.greenwood, &KaplanMeierOptions::default()).unwrap();
        assert_eq!((lo, hi), (km.lower.clone(), km.upper.clone()));
        let at = [-1.0, 2.5, 8.0];
        let (_, t, s, g) = pl.into_timeline(Some(&at)).unwrap();
        let curve = km.curve(Some(&at)).unwrap();
        assert_eq!((&t, &s), (&curve.times, &curve.estimate));
        let (lo, hi) =
            greenwood_bounds(&curve.estimate, &g, &KaplanMeierOptions::default()).unwrap();
        assert_eq!((lo, hi), (curve.lower, curve.upper));
    }
}
