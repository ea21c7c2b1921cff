//! The two parametric baselines: the cumulative baseline hazard `G(t; a)`
//! and the log baseline hazard `log g(t; a)` of one stratum, each with its
//! gradient and Hessian in that stratum's parameters `a` (see the
//! [module overview](super) for the formulas).

use crate::error::{Error, Result};

/// Resolved baseline of a fitted model: where the pieces break or where the
/// spline's knots sit.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum PhBaseline {
    /// Piecewise-constant hazard with jumps at `breakpoints` (positive,
    /// strictly increasing). One parameter per breakpoint: the log ratio of
    /// the hazard on each later piece to the hazard on the first piece.
    Piecewise {
        /// Interior breakpoints `τ₀ < τ₁ < …`.
        breakpoints: Vec<f64>,
    },
    /// Royston–Parmar restricted cubic spline in `log t` for the log
    /// cumulative hazard, with `n_phi` parameters.
    Spline {
        /// Knots on the time scale, `n_phi + 1` of them, increasing: the
        /// first and last are the boundary knots, `knots[1..n_phi]` those of
        /// the non-linear terms.
        knots: Vec<f64>,
        /// Number of spline parameters (`φ₁` on `log t`, then one per basis
        /// function).
        n_phi: usize,
    },
}

/// Smallest hazard used in a log (a hazard at or below it is clipped to it,
/// as lifelines does).
pub(crate) const MIN_HAZARD: f64 = 1e-20;

impl PhBaseline {
    /// Parameters per stratum.
    pub fn n_params(&self) -> usize {
        match self {
            PhBaseline::Piecewise { breakpoints } => breakpoints.len(),
            PhBaseline::Spline { n_phi, .. } => *n_phi,
        }
    }

    /// Checks the resolved description (used for deserialised models too).
    pub(crate) fn validate(&self) -> Result<()> {
        match self {
            PhBaseline::Piecewise { breakpoints } => {
                if breakpoints.is_empty() {
                    return Err(Error::parameter(
                        "breakpoints",
                        breakpoints,
                        "at least one breakpoint is needed",
                    ));
                }
                let ok = breakpoints.iter().all(|b| b.is_finite() && *b > 0.0)
                    && breakpoints.windows(2).all(|w| w[0] < w[1]);
                if !ok {
                    return Err(Error::parameter(
                        "breakpoints",
                        breakpoints,
                        "breakpoints must be positive, finite and strictly increasing",
                    ));
                }
            }
            PhBaseline::Spline { knots, n_phi } => {
                if *n_phi < 2 {
                    return Err(Error::parameter(
                        "n_baseline_knots",
                        n_phi,
                        "the spline baseline needs at least 2 knots",
                    ));
                }
                let ok = knots.len() == *n_phi + 1
                    && knots.iter().all(|k| k.is_finite() && *k > 0.0)
                    && knots.windows(2).all(|w| w[0] < w[1]);
                if !ok {
                    return Err(Error::parameter(
                        "knots",
                        knots,
                        "knots must be positive, finite, strictly increasing, \
                         and one more than the spline parameters",
                    ));
                }
            }
        }
        Ok(())
    }

    /// `G(t; a)`; with `deriv`, also writes `∇G` into `grad` (length k) and
    /// `∇²G` into `hess` (k × k, row-major).
    pub(crate) fn cumulative(
        &self,
        a: &[f64],
        t: f64,
        deriv: Option<(&mut [f64], &mut [f64])>,
    ) -> f64 {
        let k = a.len();
        match self {
            PhBaseline::Piecewise { breakpoints } => {
                let mut g = 0.0;
                let mut prev = 0.0;
                let mut grads = deriv;
                if let Some((gr, he)) = grads.as_mut() {
                    gr.iter_mut().for_each(|v| *v = 0.0);
                    he.iter_mut().for_each(|v| *v = 0.0);
                }
                for j in 0..=k {
                    let end = if j < k { breakpoints[j].min(t) } else { t };
                    let m = (end - prev).max(0.0);
                    prev = end.max(prev);
                    if j == 0 {
                        g += m;
                    } else {
                        let v = a[j - 1].exp() * m;
                        g += v;
                        if let Some((gr, he)) = grads.as_mut() {
                            gr[j - 1] = v;
                            he[(j - 1) * k + (j - 1)] = v;
                        }
                    }
                }
                g
            }
            PhBaseline::Spline { knots, .. } => {
                let u = t.ln();
                let basis = spline_basis(knots, k, u);
                let g = dot(a, &basis.value).exp();
                if let Some((gr, he)) = deriv {
                    for i in 0..k {
                        gr[i] = g * basis.value[i];
                        for j in 0..k {
                            he[i * k + j] = g * basis.value[i] * basis.value[j];
                        }
                    }
                }
                g
            }
        }
    }

    /// `log g(t; a)`, or `None` where the baseline hazard is not positive;
    /// with `deriv`, also its gradient and Hessian in `a`.
    pub(crate) fn log_hazard(
        &self,
        a: &[f64],
        t: f64,
        deriv: Option<(&mut [f64], &mut [f64])>,
    ) -> Option<f64> {
        let k = a.len();
        match self {
            PhBaseline::Piecewise { breakpoints } => {
                // Weights of the pieces at t: one piece, or half each of the
                // two pieces meeting at a breakpoint t (the midpoint of the
                // jump, lifelines' convention).
                let mut weights = vec![0.0; k + 1];
                match breakpoints.iter().position(|&b| t <= b) {
                    Some(j) if t == breakpoints[j] => {
                        weights[j] = 0.5;
                        weights[j + 1] = 0.5;
                    }
                    Some(j) => weights[j] = 1.0,
                    None => weights[k] = 1.0,
                }
                let rates: Vec<f64> = (0..=k)
                    .map(|j| weights[j] * if j == 0 { 1.0 } else { a[j - 1].exp() })
                    .collect();
                let s: f64 = rates.iter().sum();
                if let Some((gr, he)) = deriv {
                    for i in 0..k {
                        let pi = rates[i + 1] / s;
                        gr[i] = pi;
                        for j in 0..k {
                            let pj = rates[j + 1] / s;
                            he[i * k + j] = if i == j { pi - pi * pj } else { -pi * pj };
                        }
                    }
                }
                Some(s.ln())
            }
            PhBaseline::Spline { knots, .. } => {
                let u = t.ln();
                let basis = spline_basis(knots, k, u);
                let slope = dot(a, &basis.slope);
                if slope.is_nan() || slope <= 0.0 {
                    return None;
                }
                let value = dot(a, &basis.value) + slope.ln() - u;
                if let Some((gr, he)) = deriv {
                    for i in 0..k {
                        gr[i] = basis.value[i] + basis.slope[i] / slope;
                        for j in 0..k {
                            he[i * k + j] = -basis.slope[i] * basis.slope[j] / (slope * slope);
                        }
                    }
                }
                Some(value)
            }
        }
    }
}

fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

/// The spline terms `B(u) = [u, v₂(u), …]` and their derivatives in `u`.
struct SplineBasis {
    value: Vec<f64>,
    slope: Vec<f64>,
}

/// Royston–Parmar basis at `u = log t` with knots `log knots`: `v_j(u) =
/// (u − k_j)₊³ − λ_j (u − k_min)₊³ − (1 − λ_j)(u − k_max)₊³`,
/// `λ_j = (k_max − k_j)/(k_max − k_min)`, `k_j = log knots[j − 1]`.
fn spline_basis(knots: &[f64], k: usize, u: f64) -> SplineBasis {
    let lo = knots[0].ln();
    let hi = knots[knots.len() - 1].ln();
    let mut value = vec![0.0; k];
    let mut slope = vec![0.0; k];
    value[0] = u;
    slope[0] = 1.0;
    let cube = |x: f64| if x > 0.0 { x * x * x } else { 0.0 };
    let square = |x: f64| if x > 0.0 { x * x } else { 0.0 };
    for j in 1..k {
        let kj = knots[j].ln();
        let lambda = (hi - kj) / (hi - lo);
        value[j] = cube(u - kj) - lambda * cube(u - lo) - (1.0 - lambda) * cube(u - hi);
        slope[j] =
            3.0 * (square(u - kj) - lambda * square(u - lo) - (1.0 - lambda) * square(u - hi));
    }
    SplineBasis { value, slope }
}

/// Linear-interpolation percentile of sorted values (numpy's default).
fn percentile(sorted: &[f64], q: f64) -> f64 {
    let pos = q / 100.0 * (sorted.len() - 1) as f64;
    let lo = pos.floor() as usize;
    let hi = (lo + 1).min(sorted.len() - 1);
    let frac = pos - lo as f64;
    sorted[lo] + (sorted[hi] - sorted[lo]) * frac
}

/// Knots of an `n`-parameter spline: `n + 1` percentiles, evenly spaced from
/// the 5th to the 95th, of the durations of observed events (of all
/// durations when there are at most 4 events), as lifelines places them.
pub(crate) fn spline_knots(durations: &[f64], events: &[bool], n: usize) -> Vec<f64> {
    let observed = events.iter().filter(|&&e| e).count();
    let mut values: Vec<f64> = durations
        .iter()
        .zip(events)
        .filter(|(_, &e)| e || observed <= 4)
        .map(|(&d, _)| d)
        .collect();
    values.sort_by(f64::total_cmp);
    (0..=n)
        .map(|i| percentile(&values, 5.0 + 90.0 * i as f64 / n as f64))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn numeric_check(b: &PhBaseline, a: &[f64], t: f64) {
        let k = a.len();
        let mut gr = vec![0.0; k];
        let mut he = vec![0.0; k * k];
        let mut lg = vec![0.0; k];
        let mut lh = vec![0.0; k * k];
        b.cumulative(a, t, Some((&mut gr, &mut he)));
        b.log_hazard(a, t, Some((&mut lg, &mut lh))).unwrap();
        let h = 1e-6;
        for i in 0..k {
            let mut up = a.to_vec();
            let mut dn = a.to_vec();
            up[i] += h;
            dn[i] -= h;
            let num = (b.cumulative(&up, t, None) - b.cumulative(&dn, t, None)) / (2.0 * h);
            assert!(
                (num - gr[i]).abs() < 1e-6 * (1.0 + num.abs()),
                "{num} {}",
                gr[i]
            );
            let num = (b.log_hazard(&up, t, None).unwrap() - b.log_hazard(&dn, t, None).unwrap())
                / (2.0 * h);
            assert!((num - lg[i]).abs() < 1e-6 * (1.0 + num.abs()));
            let mut g_up = vec![0.0; k];
            let mut g_dn = vec![0.0; k];
            let mut scratch = vec![0.0; k * k];
            b.log_hazard(&up, t, Some((&mut g_up, &mut scratch)));
            b.log_hazard(&dn, t, Some((&mut g_dn, &mut scratch)));
            for j in 0..k {
                let num = (g_up[j] - g_dn[j]) / (2.0 * h);
                assert!((num - lh[j * k + i]).abs() < 1e-5 * (1.0 + num.abs()));
            }
        }
    }

    #[test]
    fn derivatives_match_finite_differences() {
        let spline = PhBaseline::Spline {
            knots: vec![2.0, 5.0, 9.0, 20.0],
            n_phi: 3,
        };
        for t in [1.0, 3.0, 7.0, 15.0, 30.0] {
            numeric_check(&spline, &[1.2, 0.1, -0.05], t);
        }
        let pieces = PhBaseline::Piecewise {
            breakpoints: vec![2.0, 5.0],
        };
        for t in [1.0, 2.0, 3.0, 5.0, 7.0] {
            numeric_check(&pieces, &[0.3, -0.4], t);
        }
    }

    #[test]
    fn piecewise_cumulative_by_hand() {
        let b = PhBaseline::Piecewise {
            breakpoints: vec![2.0, 5.0],
        };
        // 2·1 + 3·e^0.5 + 1·e^-1 at t = 6.
        let g = b.cumulative(&[0.5, -1.0], 6.0, None);
        assert!((g - (2.0 + 3.0 * 0.5f64.exp() + (-1.0f64).exp())).abs() < 1e-12);
        // At a breakpoint the hazard is the mean of the two pieces.
        let lh = b.log_hazard(&[0.5, -1.0], 2.0, None).unwrap();
        assert!((lh - ((1.0 + 0.5f64.exp()) / 2.0).ln()).abs() < 1e-12);
    }

    #[test]
    fn knots_are_numpy_percentiles() {
        let d = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0];
        let e = [true; 6];
        // np.percentile([1..6], [5, 50, 95]) = [1.25, 3.5, 5.75]
        let k = spline_knots(&d, &e, 2);
        assert_eq!(k.len(), 3);
        for (x, y) in k.iter().zip([1.25, 3.5, 5.75]) {
            assert!((x - y).abs() < 1e-12);
        }
    }
}
