//! A small unconstrained minimiser for negative log-likelihoods of models
//! whose parameters must all be strictly positive.
//!
//! # Parameterisation
//!
//! The optimiser works on `θ = ln(parameters)`, so every step stays inside
//! the admissible region. The objective that is minimised is
//!
//! ```text
//! f(θ) = −(1/W) Σᵢ wᵢ ℓᵢ(e^θ) + c Σⱼ e^{2θⱼ}
//! ```
//!
//! — the weighted mean negative log-likelihood plus an L2 penalty `c` on the
//! natural parameters (the convention of `lifetimes`' `penalizer_coef`).
//! Dividing by the total weight `W` keeps the scale of `f` and of its
//! gradient independent of the sample size, so one set of tolerances fits
//! every data set.
//!
//! # Algorithm
//!
//! 1. **BFGS** (Nocedal & Wright, *Numerical Optimization*, 2nd ed., §6.1)
//!    with an inverse-Hessian approximation, the initial scaling of eq. 6.20,
//!    and a backtracking line search enforcing the Armijo condition with
//!    cubic/quadratic step interpolation (§3.5). Updates whose curvature
//!    `sᵀy` is not positive are skipped. Gradients are analytic where a model
//!    provides them, otherwise central finite differences with step
//!    `ε^{1/3} max(1, |θⱼ|)`.
//! 2. If BFGS does not converge from a start, **Nelder–Mead** (Nelder & Mead
//!    1965, with the standard coefficients 1, 2, ½, ½) is run from the same
//!    start, with `4 × max_iterations × dimension` evaluations at most, and
//!    BFGS polishes its result.
//! 3. If that fails too, the next starting point is tried.
//!
//! Convergence means `‖∇f‖∞ ≤ tolerance`. When nothing converges the caller
//! receives every [`OptimAttempt`] (method, start, iterations, final
//! objective, gradient norm and outcome) inside
//! [`Error::FitNotConverged`](crate::Error::FitNotConverged).
//!
//! # Standard errors
//!
//! [`observed_information`] returns the Hessian of the *total* (not mean)
//! penalised negative log-likelihood at the optimum in the natural
//! parameterisation, by central differences of the gradient (or second
//! differences of the value); [`invert_spd`] inverts it by Cholesky
//! factorisation, and the standard errors are the square roots of the
//! diagonal of that inverse (the asymptotic covariance of the MLE).

use std::fmt;

crate::vocab::codes! {
    /// Which algorithm produced an attempt or the final estimate.
    #[non_exhaustive]
    pub enum OptimMethod as "optim_method" {
        /// Quasi-Newton BFGS with a backtracking line search.
        Bfgs = "bfgs",
        /// Nelder–Mead simplex followed by a BFGS polish.
        NelderMeadThenBfgs = "nelder_mead_then_bfgs",
    }
}

impl OptimMethod {
    /// The name in words, e.g. `"Nelder-Mead then BFGS"` (for messages).
    pub fn label(self) -> &'static str {
        match self {
            OptimMethod::Bfgs => "BFGS",
            OptimMethod::NelderMeadThenBfgs => "Nelder-Mead then BFGS",
        }
    }
}

crate::vocab::codes! {
    /// How one optimisation attempt ended.
    #[non_exhaustive]
    pub enum AttemptOutcome as "attempt_outcome" {
        /// The gradient norm fell below the tolerance.
        Converged = "converged",
        /// The iteration limit was reached first.
        MaxIterations = "max_iterations",
        /// The line search could not find a decrease along a descent direction.
        LineSearchFailed = "line_search_failed",
        /// The objective is not finite at the starting point.
        NonFiniteStart = "non_finite_start",
    }
}

impl AttemptOutcome {
    /// The outcome in words (for messages).
    pub fn label(self) -> &'static str {
        match self {
            AttemptOutcome::Converged => "converged",
            AttemptOutcome::MaxIterations => "iteration limit reached",
            AttemptOutcome::LineSearchFailed => "line search failed",
            AttemptOutcome::NonFiniteStart => "objective not finite at the start",
        }
    }
}

/// One optimisation attempt, reported when no attempt converged.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct OptimAttempt {
    /// The algorithm used.
    pub method: OptimMethod,
    /// Starting point, in natural (positive) parameters.
    pub start: Vec<f64>,
    /// Iterations performed.
    pub iterations: usize,
    /// Objective (mean penalised negative log-likelihood) at the end.
    pub objective: f64,
    /// Largest absolute gradient component (with respect to log-parameters)
    /// at the end.
    pub gradient_norm: f64,
    /// How the attempt ended.
    pub outcome: AttemptOutcome,
}

impl fmt::Display for OptimAttempt {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} from {:?}: {} after {} iterations (objective {}, gradient {:e})",
            self.method.label(),
            self.start,
            self.outcome.label(),
            self.iterations,
            self.objective,
            self.gradient_norm
        )
    }
}

/// Tuning knobs of [`minimize`].
#[derive(Debug, Clone, PartialEq)]
pub struct OptimOptions {
    /// Convergence threshold on `‖∇f‖∞` (gradient with respect to
    /// log-parameters of the mean objective).
    pub tolerance: f64,
    /// Iteration limit per BFGS run (Nelder–Mead gets 4 × this × dimension
    /// evaluations; 0 means no iterations at all).
    pub max_iterations: usize,
}

impl Default for OptimOptions {
    fn default() -> Self {
        OptimOptions {
            tolerance: 1e-8,
            max_iterations: 500,
        }
    }
}

/// A function to minimise over `ℝⁿ`. Non-finite values mark points outside
/// the region where the model can be evaluated; the optimiser backs away.
pub trait Objective {
    /// Number of variables.
    fn dim(&self) -> usize;
    /// The objective at `x`.
    fn value(&self, x: &[f64]) -> f64;
    /// The objective and its gradient at `x`; defaults to central
    /// differences.
    fn value_and_gradient(&self, x: &[f64], grad: &mut [f64]) -> f64 {
        central_gradient(|y| self.value(y), x, grad);
        self.value(x)
    }
}

/// Central finite-difference gradient of `f` at `x`.
pub fn central_gradient<F: Fn(&[f64]) -> f64>(f: F, x: &[f64], grad: &mut [f64]) {
    let mut y = x.to_vec();
    for (j, g) in grad.iter_mut().enumerate() {
        let xj = x.get(j).copied().unwrap_or(0.0);
        let h = 6e-6 * xj.abs().max(1.0);
        if let Some(slot) = y.get_mut(j) {
            *slot = xj + h;
        }
        let up = f(&y);
        if let Some(slot) = y.get_mut(j) {
            *slot = xj - h;
        }
        let down = f(&y);
        if let Some(slot) = y.get_mut(j) {
            *slot = xj;
        }
        *g = (up - down) / (2.0 * h);
    }
}

/// The minimiser found by [`minimize`].
#[derive(Debug, Clone, PartialEq)]
pub struct Minimum {
    /// The minimising point.
    pub x: Vec<f64>,
    /// The objective there.
    pub value: f64,
    /// Algorithm of the successful attempt.
    pub method: OptimMethod,
    /// Iterations of the successful attempt.
    pub iterations: usize,
    /// Number of attempts made, including the successful one.
    pub attempts: usize,
}

fn inf_norm(v: &[f64]) -> f64 {
    v.iter().fold(0.0_f64, |m, x| m.max(x.abs()))
}

fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

struct RunResult {
    x: Vec<f64>,
    value: f64,
    gradient_norm: f64,
    iterations: usize,
    outcome: AttemptOutcome,
}

/// Largest change of any coordinate in one line-search step; on the log
/// scale this is a factor of e⁴ in a parameter, which keeps exp() in range.
const MAX_STEP: f64 = 4.0;

fn bfgs<O: Objective + ?Sized>(obj: &O, start: &[f64], opts: &OptimOptions) -> RunResult {
    bfgs_from(obj, start, None, opts)
}

/// BFGS from `start`, with `inv_hessian` (row-major `n × n`) as the initial
/// inverse-Hessian approximation when given, otherwise the scaled identity.
fn bfgs_from<O: Objective + ?Sized>(
    obj: &O,
    start: &[f64],
    inv_hessian: Option<&[f64]>,
    opts: &OptimOptions,
) -> RunResult {
    let n = obj.dim();
    let mut x = start.to_vec();
    let mut g = vec![0.0; n];
    let mut f = obj.value_and_gradient(&x, &mut g);
    if !f.is_finite() || g.iter().any(|v| !v.is_finite()) {
        return RunResult {
            gradient_norm: f64::INFINITY,
            value: f,
            x,
            iterations: 0,
            outcome: AttemptOutcome::NonFiniteStart,
        };
    }
    // Inverse Hessian approximation, row-major.
    let (mut h, mut first) = match inv_hessian {
        Some(h0) if h0.len() == n * n && h0.iter().all(|v| v.is_finite()) => (h0.to_vec(), false),
        _ => (identity(n), true),
    };
    let mut x_new = vec![0.0; n];
    let mut g_new = vec![0.0; n];
    for iter in 0..opts.max_iterations {
        let gnorm = inf_norm(&g);
        if gnorm <= opts.tolerance {
            return RunResult {
                x,
                value: f,
                gradient_norm: gnorm,
                iterations: iter,
                outcome: AttemptOutcome::Converged,
            };
        }
        let mut d: Vec<f64> = (0..n)
            .map(|i| -(0..n).map(|j| h[i * n + j] * g[j]).sum::<f64>())
            .collect();
        let mut slope = dot(&g, &d);
        if slope.is_nan() || slope >= 0.0 || d.iter().any(|v| !v.is_finite()) {
            h = identity(n);
            first = true;
            d = g.iter().map(|v| -v).collect();
            slope = dot(&g, &d);
        }
        let dmax = inf_norm(&d);
        let mut step = if dmax > MAX_STEP {
            MAX_STEP / dmax
        } else {
            1.0
        };
        // Backtracking line search with the Armijo condition.
        let mut accepted = None;
        let mut prev: Option<(f64, f64)> = None;
        for _ in 0..60 {
            for i in 0..n {
                x_new[i] = x[i] + step * d[i];
            }
            let f_try = obj.value_and_gradient(&x_new, &mut g_new);
            if f_try.is_finite()
                && g_new.iter().all(|v| v.is_finite())
                && f_try <= f + 1e-4 * step * slope
            {
                accepted = Some(f_try);
                break;
            }
            let next = if f_try.is_finite() {
                interpolate_step(f, slope, step, f_try, prev)
            } else {
                0.25 * step
            };
            prev = Some((step, f_try));
            step = next.clamp(0.05 * step, 0.5 * step);
            if step * dmax < 1e-16 {
                break;
            }
        }
        let Some(f_next) = accepted else {
            let outcome = if gnorm <= 1e3 * opts.tolerance {
                // Rounding limits further progress; the point is as good as
                // the objective can resolve.
                AttemptOutcome::Converged
            } else {
                AttemptOutcome::LineSearchFailed
            };
            return RunResult {
                x,
                value: f,
                gradient_norm: gnorm,
                iterations: iter,
                outcome,
            };
        };
        let s: Vec<f64> = (0..n).map(|i| x_new[i] - x[i]).collect();
        let y: Vec<f64> = (0..n).map(|i| g_new[i] - g[i]).collect();
        let sy = dot(&s, &y);
        if sy > 1e-12 * dot(&s, &s).sqrt() * dot(&y, &y).sqrt() {
            if first {
                // Nocedal & Wright eq. 6.20: scale the initial matrix.
                let scale = sy / dot(&y, &y);
                h.iter_mut().for_each(|v| *v *= scale);
                first = false;
            }
            bfgs_update(&mut h, &s, &y, sy);
        }
        let f_change = (f - f_next).abs();
        x.copy_from_slice(&x_new);
        g.copy_from_slice(&g_new);
        f = f_next;
        if f_change <= 1e-15 * f.abs().max(1e-300) && inf_norm(&g) <= 1e3 * opts.tolerance {
            return RunResult {
                gradient_norm: inf_norm(&g),
                x,
                value: f,
                iterations: iter + 1,
                outcome: AttemptOutcome::Converged,
            };
        }
    }
    let gnorm = inf_norm(&g);
    RunResult {
        x,
        value: f,
        gradient_norm: gnorm,
        iterations: opts.max_iterations,
        outcome: if gnorm <= opts.tolerance {
            AttemptOutcome::Converged
        } else {
            AttemptOutcome::MaxIterations
        },
    }
}

/// Minimiser of the quadratic (first backtrack) or cubic (later backtracks)
/// model of `φ(step)` along the search direction (Nocedal & Wright §3.5).
fn interpolate_step(f0: f64, slope: f64, step: f64, f_step: f64, prev: Option<(f64, f64)>) -> f64 {
    match prev {
        Some((s_prev, f_prev)) if f_prev.is_finite() => {
            let r1 = f_step - f0 - slope * step;
            let r2 = f_prev - f0 - slope * s_prev;
            let denom = step - s_prev;
            let a = (r1 / (step * step) - r2 / (s_prev * s_prev)) / denom;
            let b = (-s_prev * r1 / (step * step) + step * r2 / (s_prev * s_prev)) / denom;
            let candidate = if a == 0.0 {
                -slope / (2.0 * b)
            } else {
                let disc = b * b - 3.0 * a * slope;
                if disc < 0.0 {
                    0.5 * step
                } else {
                    (-b + disc.sqrt()) / (3.0 * a)
                }
            };
            if candidate.is_finite() {
                candidate
            } else {
                0.5 * step
            }
        }
        _ => {
            let candidate = -slope * step * step / (2.0 * (f_step - f0 - slope * step));
            if candidate.is_finite() {
                candidate
            } else {
                0.5 * step
            }
        }
    }
}

fn identity(n: usize) -> Vec<f64> {
    let mut h = vec![0.0; n * n];
    for i in 0..n {
        h[i * n + i] = 1.0;
    }
    h
}

/// `H ← (I − ρ s yᵀ) H (I − ρ y sᵀ) + ρ s sᵀ`, `ρ = 1 / sᵀy`.
fn bfgs_update(h: &mut [f64], s: &[f64], y: &[f64], sy: f64) {
    let n = s.len();
    let rho = 1.0 / sy;
    let hy: Vec<f64> = (0..n)
        .map(|i| (0..n).map(|j| h[i * n + j] * y[j]).sum())
        .collect();
    let yhy = dot(y, &hy);
    for i in 0..n {
        for j in 0..n {
            h[i * n + j] +=
                -rho * (hy[i] * s[j] + s[i] * hy[j]) + (rho * rho * yhy + rho) * s[i] * s[j];
        }
    }
}

fn nelder_mead<O: Objective + ?Sized>(obj: &O, start: &[f64], max_evals: usize) -> Vec<f64> {
    let n = obj.dim();
    let eval = |x: &[f64]| {
        let v = obj.value(x);
        if v.is_finite() {
            v
        } else {
            f64::INFINITY
        }
    };
    let mut simplex: Vec<(Vec<f64>, f64)> = Vec::with_capacity(n + 1);
    simplex.push((start.to_vec(), eval(start)));
    for j in 0..n {
        let mut p = start.to_vec();
        p[j] += 0.5;
        let v = eval(&p);
        simplex.push((p, v));
    }
    let mut evals = n + 1;
    while evals < max_evals {
        simplex.sort_by(|a, b| a.1.total_cmp(&b.1));
        let best = simplex[0].1;
        let worst = simplex[n].1;
        let spread = simplex
            .iter()
            .skip(1)
            .map(|(p, _)| {
                p.iter()
                    .zip(&simplex[0].0)
                    .fold(0.0_f64, |m, (a, b)| m.max((a - b).abs()))
            })
            .fold(0.0_f64, f64::max);
        if (worst - best).abs() <= 1e-13 * best.abs().max(1e-300) && spread < 1e-9 {
            break;
        }
        let centroid: Vec<f64> = (0..n)
            .map(|j| simplex[..n].iter().map(|(p, _)| p[j]).sum::<f64>() / n as f64)
            .collect();
        let along = |t: f64| -> Vec<f64> {
            (0..n)
                .map(|j| centroid[j] + t * (simplex[n].0[j] - centroid[j]))
                .collect()
        };
        let reflected = along(-1.0);
        let fr = eval(&reflected);
        evals += 1;
        if fr < simplex[0].1 {
            let expanded = along(-2.0);
            let fe = eval(&expanded);
            evals += 1;
            simplex[n] = if fe < fr {
                (expanded, fe)
            } else {
                (reflected, fr)
            };
        } else if fr < simplex[n - 1].1 {
            simplex[n] = (reflected, fr);
        } else {
            let (contracted, fc) = if fr < worst {
                let c = along(-0.5);
                let v = eval(&c);
                (c, v)
            } else {
                let c = along(0.5);
                let v = eval(&c);
                (c, v)
            };
            evals += 1;
            if fc < fr.min(worst) {
                simplex[n] = (contracted, fc);
            } else {
                let best_point = simplex[0].0.clone();
                for (p, v) in simplex.iter_mut().skip(1) {
                    for j in 0..n {
                        p[j] = best_point[j] + 0.5 * (p[j] - best_point[j]);
                    }
                    *v = eval(p);
                }
                evals += n;
            }
        }
    }
    simplex.sort_by(|a, b| a.1.total_cmp(&b.1));
    simplex.swap_remove(0).0
}

/// Minimises `obj`, trying each start in turn as described in the module
/// docs. `starts` are points in the optimiser's own coordinates (θ); the
/// `to_natural` map converts them for error reports.
///
/// Returns every attempt when none converged.
pub fn minimize<O: Objective + ?Sized>(
    obj: &O,
    starts: &[Vec<f64>],
    opts: &OptimOptions,
    to_natural: impl Fn(&[f64]) -> Vec<f64>,
) -> std::result::Result<Minimum, Vec<OptimAttempt>> {
    let mut attempts = Vec::new();
    for start in starts.iter().filter(|s| s.len() == obj.dim()) {
        let run = bfgs(obj, start, opts);
        let converged = run.outcome == AttemptOutcome::Converged;
        attempts.push(OptimAttempt {
            method: OptimMethod::Bfgs,
            start: to_natural(start),
            iterations: run.iterations,
            objective: run.value,
            gradient_norm: run.gradient_norm,
            outcome: run.outcome,
        });
        if converged {
            return Ok(Minimum {
                x: run.x,
                value: run.value,
                method: OptimMethod::Bfgs,
                iterations: run.iterations,
                attempts: attempts.len(),
            });
        }
        // The fallback gets an evaluation budget in proportion to the
        // iteration limit (2,000 per parameter at the default 500).
        let budget = opts.max_iterations.saturating_mul(4 * obj.dim().max(1));
        let simplex_end = nelder_mead(obj, start, budget);
        let polish = bfgs(obj, &simplex_end, opts);
        let converged = polish.outcome == AttemptOutcome::Converged;
        attempts.push(OptimAttempt {
            method: OptimMethod::NelderMeadThenBfgs,
            start: to_natural(start),
            iterations: polish.iterations,
            objective: polish.value,
            gradient_norm: polish.gradient_norm,
            outcome: polish.outcome,
        });
        if converged {
            return Ok(Minimum {
                x: polish.x,
                value: polish.value,
                method: OptimMethod::NelderMeadThenBfgs,
                iterations: polish.iterations,
                attempts: attempts.len(),
            });
        }
    }
    Err(attempts)
}

/// One BFGS run from `start` with a known approximation `inv_hessian` of
/// the inverse Hessian at the minimum (row-major `n × n`), as when the
/// minimum of a closely related objective is known; `None` unless it
/// converges.
pub fn minimize_from<O: Objective + ?Sized>(
    obj: &O,
    start: &[f64],
    inv_hessian: &[f64],
    opts: &OptimOptions,
) -> Option<Minimum> {
    if start.len() != obj.dim() {
        return None;
    }
    let run = bfgs_from(obj, start, Some(inv_hessian), opts);
    (run.outcome == AttemptOutcome::Converged).then_some(Minimum {
        x: run.x,
        value: run.value,
        method: OptimMethod::Bfgs,
        iterations: run.iterations,
        attempts: 1,
    })
}

/// Gradient callback of [`observed_information`]: fills the gradient and
/// returns whether it could be computed.
pub type GradientFn<'a> = &'a dyn Fn(&[f64], &mut [f64]) -> bool;

/// Hessian of `f` at `p` (natural parameters, all `> 0`) by central
/// differences: of the gradient when `grad` is given, otherwise of the
/// values. Steps are relative (`1e-4 pⱼ` and `1e-3 pⱼ` respectively), so
/// they never leave the positive orthant. The result is symmetrised.
pub fn observed_information(
    f: &dyn Fn(&[f64]) -> f64,
    grad: Option<GradientFn<'_>>,
    p: &[f64],
) -> Option<Vec<f64>> {
    let n = p.len();
    let mut hess = vec![0.0; n * n];
    let mut x = p.to_vec();
    match grad {
        Some(grad) => {
            let mut gp = vec![0.0; n];
            let mut gm = vec![0.0; n];
            for j in 0..n {
                let h = 1e-4 * p[j];
                x[j] = p[j] + h;
                let ok_p = grad(&x, &mut gp);
                x[j] = p[j] - h;
                let ok_m = grad(&x, &mut gm);
                x[j] = p[j];
                if !(ok_p && ok_m) {
                    return None;
                }
                for i in 0..n {
                    hess[i * n + j] = (gp[i] - gm[i]) / (2.0 * h);
                }
            }
        }
        None => {
            let f0 = f(p);
            let steps: Vec<f64> = p.iter().map(|v| 1e-3 * v).collect();
            for i in 0..n {
                for j in i..n {
                    let (hi, hj) = (steps[i], steps[j]);
                    let value = if i == j {
                        x[i] = p[i] + hi;
                        let up = f(&x);
                        x[i] = p[i] - hi;
                        let down = f(&x);
                        x[i] = p[i];
                        (up - 2.0 * f0 + down) / (hi * hi)
                    } else {
                        let mut corner = |si: f64, sj: f64| {
                            x[i] = p[i] + si * hi;
                            x[j] = p[j] + sj * hj;
                            let v = f(&x);
                            x[i] = p[i];
                            x[j] = p[j];
                            v
                        };
                        (corner(1.0, 1.0) - corner(1.0, -1.0) - corner(-1.0, 1.0)
                            + corner(-1.0, -1.0))
                            / (4.0 * hi * hj)
                    };
                    hess[i * n + j] = value;
                    hess[j * n + i] = value;
                }
            }
        }
    }
    for i in 0..n {
        for j in 0..i {
            let avg = 0.5 * (hess[i * n + j] + hess[j * n + i]);
            hess[i * n + j] = avg;
            hess[j * n + i] = avg;
        }
    }
    hess.iter().all(|v| v.is_finite()).then_some(hess)
}

/// Inverse of a symmetric positive-definite `n × n` matrix (row-major) by
/// Cholesky factorisation; `None` if it is not positive definite.
pub fn invert_spd(a: &[f64], n: usize) -> Option<Vec<f64>> {
    if a.len() != n * n {
        return None;
    }
    let l = crate::linalg::cholesky(a, n, 0.0).ok()?;
    let inv = crate::linalg::cholesky_inverse(&l, n);
    inv.iter().all(|v| v.is_finite()).then_some(inv)
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Rosenbrock;
    impl Objective for Rosenbrock {
        fn dim(&self) -> usize {
            2
        }
        fn value(&self, x: &[f64]) -> f64 {
            (1.0 - x[0]).powi(2) + 100.0 * (x[1] - x[0] * x[0]).powi(2)
        }
    }

    #[test]
    fn bfgs_solves_rosenbrock() {
        let min = minimize(
            &Rosenbrock,
            &[vec![-1.2, 1.0]],
            &OptimOptions {
                tolerance: 1e-7,
                max_iterations: 1000,
            },
            |x| x.to_vec(),
        )
        .unwrap();
        assert!((min.x[0] - 1.0).abs() < 1e-5, "{:?}", min);
        assert!((min.x[1] - 1.0).abs() < 1e-5, "{:?}", min);
    }

    struct Nowhere;
    impl Objective for Nowhere {
        fn dim(&self) -> usize {
            1
        }
        fn value(&self, _x: &[f64]) -> f64 {
            f64::NAN
        }
    }

    #[test]
    fn failure_reports_attempts() {
        let err = minimize(
            &Nowhere,
            &[vec![0.0], vec![1.0]],
            &OptimOptions::default(),
            |x| x.to_vec(),
        )
        .unwrap_err();
        assert_eq!(err.len(), 4);
        assert!(err
            .iter()
            .all(|a| a.outcome == AttemptOutcome::NonFiniteStart));
    }

    #[test]
    fn hessian_and_inverse_of_quadratic() {
        // f = 2x² + xy + y², Hessian [[4, 1], [1, 2]].
        let f = |p: &[f64]| 2.0 * p[0] * p[0] + p[0] * p[1] + p[1] * p[1];
        let h = observed_information(&f, None, &[1.0, 2.0]).unwrap();
        for (got, want) in h.iter().zip([4.0, 1.0, 1.0, 2.0]) {
            assert!((got - want).abs() < 1e-5, "{h:?}");
        }
        let inv = invert_spd(&[4.0, 1.0, 1.0, 2.0], 2).unwrap();
        let want = [2.0 / 7.0, -1.0 / 7.0, -1.0 / 7.0, 4.0 / 7.0];
        for (got, want) in inv.iter().zip(want) {
            assert!((got - want).abs() < 1e-14);
        }
        assert!(invert_spd(&[1.0, 2.0, 2.0, 1.0], 2).is_none());
    }
}
