//! A fitted step function read on a chosen timeline, and what lifelines
//! derives from one: percentiles, the conditional median time to event,
//! kernel-smoothed hazards, and two curves on their joint timeline.
//!
//! See the [module overview](super) for the formulas and references.

use super::kaplan_meier::{check_time, z_for_alpha, KaplanMeier};
use super::nelson_aalen::NelsonAalen;
use crate::error::{positive, Error, Result};

/// A right-continuous step function with pointwise bounds, tabulated at
/// `times` (strictly: the value at `times[i]` holds until `times[i+1]`).
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct StepCurve {
    /// Times, non-decreasing.
    pub times: Vec<f64>,
    /// The estimate at each time (survival or cumulative hazard).
    pub estimate: Vec<f64>,
    /// Lower bound at each time.
    pub lower: Vec<f64>,
    /// Upper bound at each time.
    pub upper: Vec<f64>,
    /// Variance of the estimate at each time, where the estimator provides
    /// one on this scale (Nelson–Aalen); empty otherwise.
    pub variance: Vec<f64>,
}

/// Reads the step function `(times, values)` at each of the sorted points
/// `at` (one merge walk); points before `times[0]` take `before`.
pub(crate) fn sample(times: &[f64], values: &[f64], at: &[f64], before: f64) -> Vec<f64> {
    if at == times {
        return values.to_vec();
    }
    let mut i = 0;
    at.iter()
        .map(|&t| {
            while i < times.len() && times[i] <= t {
                i += 1;
            }
            if i == 0 {
                before
            } else {
                values[i - 1]
            }
        })
        .collect()
}

/// The times to read a curve at: `timeline`, checked for NaN and sorted,
/// or the event-table `times` when `None`.
pub(crate) fn timeline_or(timeline: Option<&[f64]>, times: &[f64]) -> Result<Vec<f64>> {
    let Some(timeline) = timeline else {
        return Ok(times.to_vec());
    };
    for &t in timeline {
        check_time(t)?;
    }
    let mut out = timeline.to_vec();
    out.sort_unstable_by(f64::total_cmp);
    Ok(out)
}

impl KaplanMeier {
    /// The survival curve and its bounds read at `timeline` (sorted; the
    /// event-table times when `None`), as lifelines' `fit(timeline=…)` does.
    /// Before the first table time survival and both bounds are 1.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] when a timeline point is NaN.
    pub fn curve(&self, timeline: Option<&[f64]>) -> Result<StepCurve> {
        if timeline.is_none() {
            return Ok(StepCurve {
                times: self.table.times.clone(),
                estimate: self.survival.clone(),
                lower: self.lower.clone(),
                upper: self.upper.clone(),
                variance: Vec::new(),
            });
        }
        let at = timeline_or(timeline, &self.table.times)?;
        let times = &self.table.times;
        Ok(StepCurve {
            estimate: sample(times, &self.survival, &at, 1.0),
            lower: sample(times, &self.lower, &at, 1.0),
            upper: sample(times, &self.upper, &at, 1.0),
            variance: Vec::new(),
            times: at,
        })
    }
}

impl NelsonAalen {
    /// The cumulative hazard, its variance and bounds read at `timeline`
    /// (sorted; the event-table times when `None`). Before the first table
    /// time all are 0.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] when a timeline point is NaN.
    pub fn curve(&self, timeline: Option<&[f64]>) -> Result<StepCurve> {
        let at = timeline_or(timeline, &self.table.times)?;
        let times = &self.table.times;
        Ok(StepCurve {
            estimate: sample(times, &self.cumulative_hazard, &at, 0.0),
            lower: sample(times, &self.lower, &at, 0.0),
            upper: sample(times, &self.upper, &at, 0.0),
            variance: sample(times, &self.variance, &at, 0.0),
            times: at,
        })
    }
}

/// Relative slack when comparing a survival value with a level (see
/// [`KaplanMeier::median_survival_time`]).
const LEVEL_SLACK: f64 = 1e-12;

/// Epanechnikov kernel `K(u) = ¾ (1 − u²)` on `|u| < 1`, 0 elsewhere.
fn epanechnikov(u: f64) -> f64 {
    if u.abs() < 1.0 {
        0.75 * (1.0 - u * u)
    } else {
        0.0
    }
}

/// Differences of a step function: the first value, then each change.
fn increments(values: &[f64]) -> Vec<f64> {
    let mut prev = 0.0;
    values
        .iter()
        .map(|&v| {
            let d = v - prev;
            prev = v;
            d
        })
        .collect()
}

/// Kernel-weighted sum `Σ_j K((t − t_j)/b)^power · jumps_j` at each curve
/// time, over the times with a non-zero jump.
fn kernel_sum(times: &[f64], jumps: &[f64], bandwidth: f64, power: i32) -> Vec<f64> {
    let points: Vec<(f64, f64)> = times
        .iter()
        .zip(jumps)
        .filter(|(_, &j)| j != 0.0)
        .map(|(&t, &j)| (t, j))
        .collect();
    times
        .iter()
        .map(|&t| {
            // Only jumps within one bandwidth contribute.
            let from = points.partition_point(|p| p.0 <= t - bandwidth);
            points[from..]
                .iter()
                .take_while(|p| p.0 < t + bandwidth)
                .map(|&(tj, j)| epanechnikov((t - tj) / bandwidth).powi(power) * j)
                .sum()
        })
        .collect()
}

impl StepCurve {
    /// A curve from its times and values (for example one read back from
    /// storage), with no bounds; `variance` may be empty.
    ///
    /// # Errors
    /// [`Error::LengthMismatch`] when the columns differ in length and
    /// [`Error::InvalidParameter`] when the times are NaN or decrease.
    pub fn from_steps(times: Vec<f64>, estimate: Vec<f64>, variance: Vec<f64>) -> Result<Self> {
        crate::error::check_len("estimate", times.len(), estimate.len())?;
        if !variance.is_empty() {
            crate::error::check_len("variance", times.len(), variance.len())?;
        }
        for w in times.windows(2) {
            if w[0].is_nan() || w[1].is_nan() || w[1] < w[0] {
                return Err(Error::parameter(
                    "times",
                    w[1],
                    "must be non-decreasing numbers",
                ));
            }
        }
        Ok(StepCurve {
            times,
            estimate,
            lower: Vec::new(),
            upper: Vec::new(),
            variance,
        })
    }

    /// The first time at which the estimate is `≤ q` (lifelines'
    /// `percentile`/`qth_survival_time` on a survival curve), `None` when it
    /// never gets that low. As for the median, a value within a relative
    /// `1e-12` of `q` counts as reaching it.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] unless `0 ≤ q ≤ 1`.
    pub fn percentile(&self, q: f64) -> Result<Option<f64>> {
        crate::error::in_range("q", q, 0.0, 1.0, "must lie in [0, 1]")?;
        let level = q * (1.0 + LEVEL_SLACK);
        Ok(self
            .estimate
            .iter()
            .position(|&v| v <= level)
            .map(|i| self.times[i]))
    }

    /// lifelines' `conditional_time_to_event_` of a survival curve: at each
    /// time `t_i`, the first curve time `t` with `S(t) ≤ S(t_i)/2`, minus
    /// `t_i` (infinite when the curve never falls that low).
    ///
    /// Where `S(t_i) = 0` the level is 0 and the first time the curve
    /// reached 0 is used, so the value is that time minus `t_i`, which is
    /// `≤ 0`; lifelines reports the same.
    pub fn conditional_time_to_event(&self) -> Vec<f64> {
        // Levels fall along the curve, so the crossing index only moves on.
        let mut j = 0;
        self.estimate
            .iter()
            .zip(&self.times)
            .map(|(&s, &t)| {
                let level = 0.5 * s * (1.0 + LEVEL_SLACK);
                while j < self.estimate.len() && self.estimate[j] > level {
                    j += 1;
                }
                self.times.get(j).map_or(f64::INFINITY, |&tj| tj - t)
            })
            .collect()
    }

    /// The curve linearly interpolated between its points at each of `at`
    /// (lifelines' `predict(..., interpolate=True)`, numpy's `interp`):
    /// before the first time the first value, after the last the last.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] when a point is NaN or the curve is empty.
    pub fn interpolate(&self, at: &[f64]) -> Result<Vec<f64>> {
        let (t, v) = (&self.times, &self.estimate);
        let (Some(&first), Some(&last)) = (v.first(), v.last()) else {
            return Err(Error::parameter("times", 0, "the curve has no points"));
        };
        at.iter()
            .map(|&x| {
                check_time(x)?;
                let j = t.partition_point(|&u| u <= x);
                Ok(if j == 0 {
                    first
                } else if j == t.len() {
                    last
                } else {
                    let (x0, x1) = (t[j - 1], t[j]);
                    let slope = (v[j] - v[j - 1]) / (x1 - x0);
                    v[j - 1] + slope * (x - x0)
                })
            })
            .collect()
    }

    /// Kernel-smoothed hazard of a cumulative hazard curve (lifelines'
    /// `smoothed_hazard_`): at each time `t`,
    /// `(1/b) Σ_j K((t − t_j)/b) ΔĤ_j` over the jumps `ΔĤ_j` of the curve,
    /// with the Epanechnikov kernel `K` and bandwidth `b`.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] unless `bandwidth` is finite and `> 0`.
    pub fn smoothed_hazard(&self, bandwidth: f64) -> Result<Vec<f64>> {
        let b = positive("bandwidth", bandwidth)?;
        let jumps = increments(&self.estimate);
        Ok(kernel_sum(&self.times, &jumps, b, 1)
            .into_iter()
            .map(|s| s / b)
            .collect())
    }

    /// Bounds of [`StepCurve::smoothed_hazard`] as lifelines'
    /// `smoothed_hazard_confidence_intervals_` builds them: with
    /// `σ(t)² = (1/b²) Σ_j K((t − t_j)/b)² ΔVar_j`, the pair
    /// `(h exp(z σ / h), h exp(−z σ / h))`, in that order (lifelines labels
    /// the first `lower` although it is the larger); both 0 where the
    /// smoothed hazard is 0.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] for a bad `bandwidth` or `alpha`, or when
    /// the curve carries no variance.
    pub fn smoothed_hazard_bounds(
        &self,
        bandwidth: f64,
        alpha: f64,
    ) -> Result<(Vec<f64>, Vec<f64>)> {
        let z = z_for_alpha(alpha)?;
        if self.variance.len() != self.times.len() {
            return Err(Error::parameter(
                "variance",
                self.variance.len(),
                "the curve has no variance (only cumulative hazards do)",
            ));
        }
        let hazard = self.smoothed_hazard(bandwidth)?;
        let b = bandwidth;
        // lifelines takes the first variance value as 0.
        let mut var = self.variance.clone();
        var[0] = 0.0;
        let sums = kernel_sum(&self.times, &increments(&var), b, 2);
        let (mut first, mut second) = (Vec::new(), Vec::new());
        for (&h, s) in hazard.iter().zip(sums) {
            let sigma = (s / (b * b)).sqrt();
            if h > 0.0 {
                first.push(h * (z * sigma / h).exp());
                second.push(h * (-z * sigma / h).exp());
            } else {
                // No event within a bandwidth: the smoothed hazard and its
                // variance are both 0, and so are the bounds (lifelines
                // gives NaN here, from 0 · exp(0/0)).
                first.push(0.0);
                second.push(0.0);
            }
        }
        Ok((first, second))
    }

    /// Both curves on the union of their times, each carried forward
    /// (lifelines' `subtract` and `divide` reindex this way). Before its
    /// first time a curve takes `before` (1 for survival, 0 for cumulative
    /// hazard).
    pub fn union_with(&self, other: &StepCurve, before: f64) -> (Vec<f64>, Vec<f64>, Vec<f64>) {
        let mut times: Vec<f64> = self.times.iter().chain(&other.times).copied().collect();
        times.sort_unstable_by(f64::total_cmp);
        times.dedup();
        let a = sample(&self.times, &self.estimate, &times, before);
        let b = sample(&other.times, &other.estimate, &times, before);
        (times, a, b)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::survival::{KaplanMeierOptions, NelsonAalenOptions};

    fn km() -> KaplanMeier {
        // Times 1, 2+, 3, 3, 4+, 5: S = 1, 5/6, 5/6, 5/12, 5/12, 0.
        KaplanMeier::fit(
            &[1.0, 2.0, 3.0, 3.0, 4.0, 5.0],
            &[true, false, true, true, false, true],
            &KaplanMeierOptions::default(),
        )
        .unwrap()
    }

    #[test]
    fn interpolation_is_linear_between_points_and_flat_outside() {
        let c =
            StepCurve::from_steps(vec![0.0, 1.0, 3.0], vec![1.0, 0.5, 0.0], Vec::new()).unwrap();
        let got = c.interpolate(&[-1.0, 0.5, 2.0, 3.0, 9.0]).unwrap();
        assert_eq!(got, vec![1.0, 0.75, 0.25, 0.0, 0.0]);
        assert!(c.interpolate(&[f64::NAN]).is_err());
    }

    #[test]
    fn timeline_and_percentiles() {
        let c = km().curve(Some(&[3.5, -1.0, 0.5, 5.0])).unwrap();
        assert_eq!(c.times, vec![-1.0, 0.5, 3.5, 5.0]);
        assert_eq!(c.estimate[0], 1.0);
        assert_eq!(c.estimate[1], 1.0);
        assert!((c.estimate[2] - 5.0 / 12.0).abs() < 1e-15);
        assert_eq!(c.estimate[3], 0.0);
        let c = km().curve(None).unwrap();
        assert_eq!(c.percentile(0.5).unwrap(), Some(3.0));
        assert_eq!(c.percentile(0.9).unwrap(), Some(1.0));
        assert_eq!(c.percentile(1.0).unwrap(), Some(0.0));
        assert!(c.percentile(1.5).is_err());
    }

    #[test]
    fn conditional_time_by_hand() {
        // t=0: S=1, half 0.5 → first S ≤ 0.5 at 3 → 3. t=1: S=5/6, half
        // 5/12 → 3 − 1 = 2. t=2: 3 − 2 = 1. t=3: S=5/12, half 5/24 → 5 − 3.
        // t=4: 5 − 4. t=5: S=0, level 0 → 5 − 5 = 0.
        let c = km().curve(None).unwrap();
        assert_eq!(
            c.conditional_time_to_event(),
            vec![3.0, 2.0, 1.0, 2.0, 1.0, 0.0]
        );
        // A curve that never halves again: infinite.
        let km =
            KaplanMeier::fit(&[1.0, 2.0, 3.0], &[true, false, false], &Default::default()).unwrap();
        let c = km.curve(None).unwrap();
        assert!(c.conditional_time_to_event()[1].is_infinite());
    }

    #[test]
    fn smoothed_hazard_by_hand() {
        // Jumps (unsmoothed ties): 1/5 at t=1, 1/4 + 1/3 at t=2, 1 at t=4.
        let na = NelsonAalen::fit(
            &[1.0, 2.0, 2.0, 3.0, 4.0],
            &[true, true, true, false, true],
            &NelsonAalenOptions::default(),
        )
        .unwrap();
        let c = na.curve(None).unwrap();
        let h = c.smoothed_hazard(1.5).unwrap();
        // At t = 2: jumps at 1 (u = 2/3) and 2 (u = 0); 4 is too far.
        let k = |u: f64| 0.75 * (1.0 - u * u);
        let expected = (k(1.0 / 1.5) * 0.2 + k(0.0) * (0.25 + 1.0 / 3.0)) / 1.5;
        assert!((h[2] - expected).abs() < 1e-15);
        // At t = 0: only the jump at 1 (u = −2/3).
        assert!((h[0] - k(1.0 / 1.5) * 0.2 / 1.5).abs() < 1e-15);
        assert!(c.smoothed_hazard(0.0).is_err());
        let (hi, lo) = c.smoothed_hazard_bounds(1.5, 0.05).unwrap();
        assert!(hi[2] > h[2] && lo[2] < h[2]);
        // A narrow bandwidth leaves t = 3 without events nearby: hazard and
        // bounds are 0 there, not NaN.
        let h = c.smoothed_hazard(0.5).unwrap();
        let (hi, lo) = c.smoothed_hazard_bounds(0.5, 0.05).unwrap();
        assert_eq!((h[3], hi[3], lo[3]), (0.0, 0.0, 0.0));
        assert!(hi.iter().chain(&lo).all(|x| x.is_finite()));
    }

    #[test]
    fn union_carries_values_forward() {
        let a = km().curve(None).unwrap();
        let b = km().curve(Some(&[0.0, 2.5])).unwrap();
        let (t, va, vb) = a.union_with(&b, 1.0);
        assert_eq!(t, vec![0.0, 1.0, 2.0, 2.5, 3.0, 4.0, 5.0]);
        assert_eq!(va[3], 5.0 / 6.0);
        assert_eq!(vb[3], 5.0 / 6.0);
        assert_eq!(vb[6], 5.0 / 6.0);
    }
}
