//! The penalised negative log-likelihood with its gradient and Hessian, and
//! the damped Newton iteration that minimises it.

use super::baseline::{PhBaseline, MIN_HAZARD};
use crate::error::{Error, Result};
use crate::linalg::{cholesky, cholesky_inverse, cholesky_solve};

/// Training (or scoring) data in the model's layout.
pub(crate) struct Data<'a> {
    pub durations: &'a [f64],
    pub events: &'a [bool],
    /// Covariate columns, without the intercept.
    pub covariates: &'a [Vec<f64>],
    pub weights: Option<&'a [f64]>,
    pub entries: Option<&'a [f64]>,
    /// Position of each row's stratum among the model's strata.
    pub strata: Option<&'a [usize]>,
    /// Lower bounds of interval-censored rows (then `durations` are the
    /// upper bounds, `∞` for right-censored rows); `None` for right
    /// censoring.
    pub lower: Option<&'a [f64]>,
}

impl Data<'_> {
    pub(crate) fn weight(&self, i: usize) -> f64 {
        self.weights.map_or(1.0, |w| w[i])
    }
    pub(crate) fn stratum(&self, i: usize) -> usize {
        self.strata.map_or(0, |s| s[i])
    }
    pub(crate) fn total_weight(&self) -> f64 {
        self.weights
            .map_or(self.durations.len() as f64, |w| w.iter().sum())
    }
}

/// Layout of the parameter vector: `p` covariates, the intercept, then `k`
/// baseline parameters per stratum.
#[derive(Clone, Copy)]
pub(crate) struct Layout {
    pub p: usize,
    pub k: usize,
    pub n_strata: usize,
}

impl Layout {
    pub(crate) fn dim(&self) -> usize {
        self.p + 1 + self.k * self.n_strata
    }
    pub(crate) fn block(&self, stratum: usize) -> usize {
        self.p + 1 + self.k * stratum
    }
    /// `x̃ᵀβ` of row `i` (covariates then the intercept).
    pub(crate) fn eta(&self, theta: &[f64], covariates: &[Vec<f64>], i: usize) -> f64 {
        let mut eta = theta[self.p];
        for (j, col) in covariates.iter().enumerate() {
            eta += theta[j] * col[i];
        }
        eta
    }
}

/// Value, gradient and Hessian (row-major) of the objective.
pub(crate) struct Evaluation {
    pub value: f64,
    pub gradient: Vec<f64>,
    pub hessian: Vec<f64>,
}

/// Unpenalised log-likelihood `Σ wᵢ [δᵢ log hᵢ(Tᵢ) − Hᵢ(Tᵢ) + Hᵢ(entryᵢ)]`.
pub(crate) fn log_likelihood(
    baseline: &PhBaseline,
    layout: Layout,
    theta: &[f64],
    data: &Data<'_>,
) -> f64 {
    let mut ll = 0.0;
    for i in 0..data.durations.len() {
        let w = data.weight(i);
        let eta = layout.eta(theta, data.covariates, i);
        let b = layout.block(data.stratum(i));
        let a = &theta[b..b + layout.k];
        let t = data.durations[i];
        match data.lower {
            Some(lower) if !data.events[i] => {
                let cum = |u: f64| {
                    if u > 0.0 {
                        eta.exp() * baseline.cumulative(a, u, None)
                    } else {
                        0.0
                    }
                };
                let diff = (-cum(lower[i])).exp() - (-cum(t)).exp();
                ll += w * diff.clamp(MIN_INTERVAL, 1.0 - MIN_INTERVAL).ln();
            }
            _ => ll -= w * eta.exp() * baseline.cumulative(a, t, None),
        }
        if let Some(entry) = data.entries.map(|e| e[i]).filter(|&e| e > 0.0) {
            ll += w * eta.exp() * baseline.cumulative(a, entry, None);
        }
        if data.events[i] {
            let lh = baseline
                .log_hazard(a, t, None)
                .map_or(MIN_HAZARD.ln(), |lg| (eta + lg).max(MIN_HAZARD.ln()));
            ll += w * lh;
        }
    }
    ll
}

/// Negative log-likelihood plus `W/2 · Σ c_j θ_j²`, with derivatives.
pub(crate) fn evaluate(
    baseline: &PhBaseline,
    layout: Layout,
    theta: &[f64],
    data: &Data<'_>,
    penalty: &[f64],
    total_weight: f64,
) -> Evaluation {
    let d = layout.dim();
    let (p, k) = (layout.p, layout.k);
    let mut value = 0.0;
    let mut grad = vec![0.0; d];
    let mut hess = vec![0.0; d * d];
    let mut gr = vec![0.0; k];
    let mut he = vec![0.0; k * k];
    let mut x = vec![0.0; p + 1];
    x[p] = 1.0;
    for i in 0..data.durations.len() {
        let w = data.weight(i);
        for (j, col) in data.covariates.iter().enumerate() {
            x[j] = col[i];
        }
        let eta = layout.eta(theta, data.covariates, i);
        let e_eta = eta.exp();
        let b = layout.block(data.stratum(i));
        let a = &theta[b..b + k];
        // +H(T) (or the interval term) and −H(entry).
        let t = data.durations[i];
        let interval = data.lower.filter(|_| !data.events[i]).map(|l| l[i]);
        if let Some(lo) = interval {
            value -= w * interval_term(
                baseline,
                layout,
                (e_eta, &x, a, b),
                (lo, t),
                w,
                (&mut grad, &mut hess),
            );
        }
        let first = if interval.is_some() {
            None
        } else {
            Some((t, 1.0))
        };
        let entry = data.entries.map(|e| e[i]).filter(|&e| e > 0.0);
        for (time, sign) in first.into_iter().chain(entry.map(|e| (e, -1.0))) {
            let g = baseline.cumulative(a, time, Some((&mut gr, &mut he)));
            let s = sign * w * e_eta;
            let h = s * g;
            value += h;
            for r in 0..=p {
                grad[r] += h * x[r];
                for c in 0..=p {
                    hess[r * d + c] += h * x[r] * x[c];
                }
                for c in 0..k {
                    let v = s * x[r] * gr[c];
                    hess[r * d + b + c] += v;
                    hess[(b + c) * d + r] += v;
                }
            }
            for r in 0..k {
                grad[b + r] += s * gr[r];
                for c in 0..k {
                    hess[(b + r) * d + b + c] += s * he[r * k + c];
                }
            }
        }
        if data.events[i] {
            match baseline.log_hazard(a, t, Some((&mut gr, &mut he))) {
                Some(lg) if eta + lg > MIN_HAZARD.ln() => {
                    value -= w * (eta + lg);
                    for r in 0..=p {
                        grad[r] -= w * x[r];
                    }
                    for r in 0..k {
                        grad[b + r] -= w * gr[r];
                        for c in 0..k {
                            hess[(b + r) * d + b + c] -= w * he[r * k + c];
                        }
                    }
                }
                _ => value -= w * MIN_HAZARD.ln(),
            }
        }
    }
    for j in 0..d {
        let c = penalty[j] * total_weight;
        value += 0.5 * c * theta[j] * theta[j];
        grad[j] += c * theta[j];
        hess[j * d + j] += c;
    }
    Evaluation {
        value,
        gradient: grad,
        hessian: hess,
    }
}

/// Bounds of `S(l) − S(u)` in the log (lifelines' clip).
pub(crate) const MIN_INTERVAL: f64 = 1e-25;

/// Local derivatives of `H(t)` in `(β̃, a)`: value, gradient (length
/// `p + 1 + k`) and Hessian.
fn local_cumulative(
    baseline: &PhBaseline,
    e_eta: f64,
    x: &[f64],
    a: &[f64],
    t: f64,
) -> (f64, Vec<f64>, Vec<f64>) {
    let (q, k) = (x.len(), a.len());
    let m = q + k;
    let mut g = vec![0.0; m];
    let mut hm = vec![0.0; m * m];
    if t.is_nan() || t <= 0.0 {
        return (0.0, g, hm);
    }
    if t.is_infinite() {
        return (f64::INFINITY, g, hm);
    }
    let mut gr = vec![0.0; k];
    let mut he = vec![0.0; k * k];
    let gv = baseline.cumulative(a, t, Some((&mut gr, &mut he)));
    let h = e_eta * gv;
    for r in 0..q {
        g[r] = h * x[r];
        for c in 0..q {
            hm[r * m + c] = h * x[r] * x[c];
        }
        for c in 0..k {
            hm[r * m + q + c] = e_eta * x[r] * gr[c];
            hm[(q + c) * m + r] = e_eta * x[r] * gr[c];
        }
    }
    for r in 0..k {
        g[q + r] = e_eta * gr[r];
        for c in 0..k {
            hm[(q + r) * m + q + c] = e_eta * he[r * k + c];
        }
    }
    (h, g, hm)
}

/// `log(S(l) − S(u))` of one row, adding `−w ∇` and `−w ∇²` of it to the
/// global gradient and Hessian; returns the value.
fn interval_term(
    baseline: &PhBaseline,
    layout: Layout,
    (e_eta, x, a, b): (f64, &[f64], &[f64], usize),
    (lower, upper): (f64, f64),
    w: f64,
    (grad, hess): (&mut [f64], &mut [f64]),
) -> f64 {
    let d = layout.dim();
    let q = x.len();
    let m = q + a.len();
    let (hl, gl, ql) = local_cumulative(baseline, e_eta, x, a, lower);
    let (hu, gu, qu) = local_cumulative(baseline, e_eta, x, a, upper);
    let (sa, sb) = ((-hl).exp(), (-hu).exp());
    let diff = sa - sb;
    if !(MIN_INTERVAL..=1.0 - MIN_INTERVAL).contains(&diff) {
        return diff.clamp(MIN_INTERVAL, 1.0 - MIN_INTERVAL).ln();
    }
    let global = |r: usize| if r < q { r } else { b + r - q };
    let df: Vec<f64> = (0..m).map(|r| (-sa * gl[r] + sb * gu[r]) / diff).collect();
    for r in 0..m {
        grad[global(r)] -= w * df[r];
        for c in 0..m {
            let d2 = (sa * (gl[r] * gl[c] - ql[r * m + c]) - sb * (gu[r] * gu[c] - qu[r * m + c]))
                / diff;
            hess[global(r) * d + global(c)] -= w * (d2 - df[r] * df[c]);
        }
    }
    diff.ln()
}

/// Result of [`newton`].
pub(crate) struct Optimum {
    pub theta: Vec<f64>,
    pub evaluation: Evaluation,
    pub iterations: usize,
}

/// Minimises the objective by Newton's method, damped (Levenberg) where
/// the Hessian is not positive definite, with a backtracking line search.
/// Converged when the largest Newton step, in units of the parameters'
/// scales, is below `tolerance`, or the Newton decrement `−∇Fᵀδ` is below
/// `1e-10 (1 + |F|)` (the full step then taken leaves an error far below
/// rounding).
#[allow(clippy::too_many_arguments)]
pub(crate) fn newton(
    baseline: &PhBaseline,
    layout: Layout,
    start: Vec<f64>,
    data: &Data<'_>,
    penalty: &[f64],
    scales: &[f64],
    max_iterations: usize,
    tolerance: f64,
) -> Result<Optimum> {
    let d = layout.dim();
    let w = data.total_weight();
    let objective = |theta: &[f64]| evaluate(baseline, layout, theta, data, penalty, w);
    let mut theta = start;
    let mut ev = objective(&theta);
    if !ev.value.is_finite() {
        return Err(Error::NonFiniteResult {
            what: "parametric Cox log-likelihood at the starting point",
            row: None,
        });
    }
    let mut last_step = f64::INFINITY;
    for iteration in 1..=max_iterations {
        // Jacobi scaling keeps the factorisation's pivot test meaningful
        // when the parameters live on very different scales.
        let jacobi: Vec<f64> = (0..d)
            .map(|j| {
                let h = ev.hessian[j * d + j].abs();
                if h > 0.0 && h.is_finite() {
                    1.0 / h.sqrt()
                } else {
                    1.0
                }
            })
            .collect();
        let mut mu = 0.0;
        let step = loop {
            let mut a = ev.hessian.clone();
            for r in 0..d {
                for c in 0..d {
                    a[r * d + c] *= jacobi[r] * jacobi[c];
                }
                a[r * d + r] += mu;
            }
            if let Ok(l) = cholesky(&a, d, 0.0) {
                let neg: Vec<f64> = (0..d).map(|j| -ev.gradient[j] * jacobi[j]).collect();
                let y = cholesky_solve(&l, d, &neg);
                break (0..d).map(|j| y[j] * jacobi[j]).collect::<Vec<f64>>();
            }
            mu = if mu == 0.0 { 1e-8 } else { mu * 10.0 };
            if !mu.is_finite() || mu > 1e30 {
                return Err(Error::SingularMatrix {
                    what: "parametric Cox Hessian",
                    index: 0,
                });
            }
        };
        let slope: f64 = step.iter().zip(&ev.gradient).map(|(s, g)| s * g).sum();
        // Near the optimum (Newton decrement at the objective's rounding
        // level) a line search cannot see a decrease: take the full Newton
        // step, which leaves a quadratically small error, and stop.
        let flat = -slope <= 1e-10 * (1.0 + ev.value.abs());
        if flat && mu == 0.0 {
            let cand: Vec<f64> = theta.iter().zip(&step).map(|(x, s)| x + s).collect();
            let cev = objective(&cand);
            if cev.value.is_finite() {
                return Ok(Optimum {
                    theta: cand,
                    evaluation: cev,
                    iterations: iteration,
                });
            }
        }
        let mut t = 1.0;
        let mut accepted = None;
        for _ in 0..60 {
            let cand: Vec<f64> = theta.iter().zip(&step).map(|(x, s)| x + t * s).collect();
            let cev = objective(&cand);
            if cev.value.is_finite() && cev.value <= ev.value + 1e-4 * t * slope.min(0.0) {
                accepted = Some((cand, cev));
                break;
            }
            t *= 0.5;
        }
        last_step = step
            .iter()
            .zip(scales)
            .map(|(s, c)| (s * c).abs())
            .fold(0.0_f64, f64::max);
        match accepted {
            Some((cand, cev)) => {
                theta = cand;
                ev = cev;
            }
            None if last_step < tolerance.max(1e-7) => last_step = 0.0,
            None => break,
        }
        if last_step < tolerance && mu == 0.0 {
            return Ok(Optimum {
                theta,
                evaluation: ev,
                iterations: iteration,
            });
        }
    }
    Err(Error::NotConverged {
        what: "parametric Cox proportional hazards",
        iterations: max_iterations,
        last_step,
    })
}

/// Inverse of the symmetric positive definite `h` (d × d), factorised after
/// Jacobi scaling; `Err(index)` names the failing pivot.
pub(crate) fn scaled_inverse(h: &[f64], d: usize) -> std::result::Result<Vec<f64>, usize> {
    let jacobi: Vec<f64> = (0..d)
        .map(|j| {
            let v = h[j * d + j];
            if v > 0.0 && v.is_finite() {
                1.0 / v.sqrt()
            } else {
                1.0
            }
        })
        .collect();
    let mut a = h.to_vec();
    for r in 0..d {
        for c in 0..d {
            a[r * d + c] *= jacobi[r] * jacobi[c];
        }
    }
    let l = cholesky(&a, d, 0.0)?;
    let mut inv = cholesky_inverse(&l, d);
    for r in 0..d {
        for c in 0..d {
            inv[r * d + c] *= jacobi[r] * jacobi[c];
        }
    }
    Ok(inv)
}
