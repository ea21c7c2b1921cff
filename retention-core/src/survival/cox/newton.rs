//! Damped Newton–Raphson on the (penalised) partial likelihood: the step
//! schedule, the stopping rules and the per-iteration trace.
//!
//! # Iteration
//!
//! Starting from `β₀` (0 unless an initial point is given), iteration
//! `i = 1, 2, …` moves to `βᵢ = βᵢ₋₁ + sᵢ δᵢ₋₁` (`δ₀ = 0`), evaluates the
//! log-likelihood `ℓ(βᵢ)`, the score `U(βᵢ)` and the information `I(βᵢ)`,
//! and solves `I(βᵢ) δᵢ = U(βᵢ)` by Cholesky. The reported estimate is the
//! last `βᵢ` evaluated (its information gives the variance): the step that
//! met the stopping rule is not taken, as in lifelines.
//!
//! # Step sizes
//!
//! `s₁` is [`CoxOptions::step_size`] (lifelines' `step_size`, default
//! `0.95`); afterwards, with `‖·‖` the Euclidean norm of `δᵢ`, lifelines'
//! `StepSizer` rule (0.30):
//!
//! 1. once a large step has been seen, `s ← min(1.3 s, s₁)` first;
//! 2. `‖δᵢ‖ ≥ 15`: `s ← 0.1 s`; `5 < ‖δᵢ‖ < 15`: `s ← 0.25 s` (and rule 1
//!    applies from then on);
//! 3. when the last three norms decrease strictly, `s ← min(1.3 s, 1)`,
//!    otherwise (from the third iteration) `s ← 0.98 s`.
//!
//! For the unpenalised and ridge fits a safeguard is added (lifelines has
//! none): a move whose log-likelihood is not finite, or lower than the
//! previous one (beyond `10⁻¹²` relative), is halved until it is not; the
//! trace records the step actually used. On the concave partial likelihood
//! this only acts far from the maximum, and leaves converging fits as
//! lifelines computes them.
//!
//! # Stopping
//!
//! With `ε` = [`CoxOptions::tolerance`] (lifelines' `precision`) and `r` =
//! [`CoxOptions::r_precision`], iteration `i` ends the fit, in this order:
//!
//! - converged when `‖δᵢ‖ < ε`, or `|ℓᵢ − ℓᵢ₋₁| / |ℓᵢ₋₁| < r` (`i ≥ 2`; the
//!   criterion of R's `coxph`, `coxph.control(eps = 1e-9)`, Therneau &
//!   Grambsch 2000, *Modeling Survival Data*, §3.3), or the Newton
//!   decrement `Uᵀ I⁻¹ U / 2 < ε`. If `‖δᵢ‖ > 0.1` at that point the
//!   likelihood is flat rather than peaked along `δᵢ` and the fit records
//!   [`FitWarning::NonUniqueSolution`];
//! - not converged after [`CoxOptions::max_iterations`] iterations, or
//!   when the step size has fallen to `10⁻⁵`: [`Error::NotConverged`], or,
//!   with [`CoxOptions::return_unconverged`], the last iterate with
//!   [`FitWarning::NotConverged`] (what lifelines returns, with a warning);
//! - stopped at the current iterate with [`FitWarning::MonotoneLikelihood`]
//!   when `|ℓᵢ| < 10⁻⁴` while `‖δᵢ‖ > 1`: the partial likelihood is
//!   approaching its supremum (1) along a direction of complete separation
//!   (Heinze & Schemper 2001, *Biometrics* 57, 114–119).
//!
//! # Singular information
//!
//! The information is refused ([`Error::SingularMatrix`]) only when it is
//! numerically not positive definite: a Cholesky pivot that is not finite
//! or at most `ε^{3/4} ≈ 1.8·10⁻¹²` times its own diagonal entry (R's
//! `coxph.control(toler.chol)`), which catches exactly collinear
//! covariates. Under separation the information shrinks towards 0 along
//! the separating direction while staying well conditioned column by
//! column, so the fit goes on and the standard errors come out large but
//! finite.

use super::fit::Evaluation;
use super::{CoxOptions, WHAT_FIT, WHAT_INFO};
use crate::error::{Error, Result};
use crate::linalg::{cholesky_own_scale, cholesky_solve};
use crate::survival::diagnostics::FitWarning;

/// One Newton–Raphson iteration of a Cox fit (a line of lifelines'
/// `show_progress` output).
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct NewtonStep {
    /// 1-based iteration number.
    pub iteration: usize,
    /// Euclidean norm of the Newton step `δ = I⁻¹ U` computed at this
    /// iterate (standardised coefficients).
    pub norm_delta: f64,
    /// Step size used to reach this iterate from the previous one.
    pub step_size: f64,
    /// (Penalised) partial log-likelihood at this iterate.
    pub log_likelihood: f64,
    /// Newton decrement `Uᵀ I⁻¹ U / 2` at this iterate.
    pub newton_decrement: f64,
}

/// Norm of the last step above which a converged fit is flagged
/// ([`FitWarning::NonUniqueSolution`]); lifelines' threshold.
const NON_UNIQUE_NORM: f64 = 0.1;
/// Log-likelihood magnitude and step norm of the monotone-likelihood stop.
const MONOTONE_LOG_LIKELIHOOD: f64 = 1e-4;
const MONOTONE_NORM: f64 = 1.0;
/// Step size at or below which the iterations give up.
const SMALLEST_STEP: f64 = 1e-5;

/// lifelines' step-size rule (see the module docs).
struct StepSizer {
    initial: f64,
    step: f64,
    temper_back_up: bool,
    norms: Vec<f64>,
}

impl StepSizer {
    fn new(initial: f64) -> Self {
        StepSizer {
            initial,
            step: initial,
            temper_back_up: false,
            norms: Vec::new(),
        }
    }

    fn update(&mut self, norm: f64) {
        self.norms.push(norm);
        if self.temper_back_up {
            self.step = (self.step * 1.3).min(self.initial);
        }
        if norm >= 15.0 {
            self.step *= 0.1;
            self.temper_back_up = true;
        } else if norm > 5.0 {
            self.step *= 0.25;
            self.temper_back_up = true;
        }
        if let [.., a, b, c] = self.norms[..] {
            if b < a && c < b {
                self.step = (self.step * 1.3).min(1.0);
            } else {
                self.step *= 0.98;
            }
        }
    }
}

/// What [`iterate`] found.
pub(super) struct Outcome {
    pub(super) beta: Vec<f64>,
    pub(super) eval: Evaluation,
    pub(super) iterations: usize,
    pub(super) trace: Vec<NewtonStep>,
    pub(super) warning: Option<FitWarning>,
}

fn finite(eval: &Evaluation) -> bool {
    eval.ll.is_finite()
        && eval.score.iter().all(|v| v.is_finite())
        && eval.info.iter().all(|v| v.is_finite())
}

/// Runs the iterations of the module docs from `start` (`p` standardised
/// coefficients); `evaluate(β, i)` gives the objective at iteration `i`.
/// `guard` turns on the safeguard against moves that lower the objective.
pub(super) fn iterate<F>(
    start: Vec<f64>,
    options: &CoxOptions,
    guard: bool,
    mut evaluate: F,
) -> Result<Outcome>
where
    F: FnMut(&[f64], usize) -> Evaluation,
{
    let p = start.len();
    let mut beta = start;
    let mut delta = vec![0.0; p];
    let mut sizer = StepSizer::new(options.step_size);
    let mut trace = Vec::new();
    let mut previous_ll: Option<f64> = None;
    let mut norm = f64::INFINITY;
    for iteration in 1..=options.max_iterations {
        let mut used = sizer.step;
        let eval = loop {
            let candidate: Vec<f64> = beta.iter().zip(&delta).map(|(b, d)| b + used * d).collect();
            let eval = evaluate(&candidate, iteration);
            let ok = finite(&eval);
            let accepted = match previous_ll {
                Some(prev) if guard => ok && eval.ll >= prev - 1e-12 * prev.abs().max(1.0),
                _ => ok,
            };
            if accepted {
                beta = candidate;
                break eval;
            }
            if !(guard && previous_ll.is_some()) {
                return Err(Error::NonFiniteResult {
                    what: WHAT_FIT,
                    row: None,
                });
            }
            used *= 0.5;
            if used < 1e-10 {
                return Err(Error::NotConverged {
                    what: WHAT_FIT,
                    iterations: iteration,
                    last_step: norm,
                });
            }
        };
        let l = cholesky_own_scale(&eval.info, p).map_err(|index| Error::SingularMatrix {
            what: WHAT_INFO,
            index,
        })?;
        delta = cholesky_solve(&l, p, &eval.score);
        if delta.iter().any(|v| !v.is_finite()) {
            return Err(Error::SingularMatrix {
                what: WHAT_INFO,
                index: 0,
            });
        }
        norm = delta.iter().map(|d| d * d).sum::<f64>().sqrt();
        let decrement = 0.5
            * eval
                .score
                .iter()
                .zip(&delta)
                .map(|(g, d)| g * d)
                .sum::<f64>();
        trace.push(NewtonStep {
            iteration,
            norm_delta: norm,
            step_size: used,
            log_likelihood: eval.ll,
            newton_decrement: decrement,
        });
        let relative_change = previous_ll
            .filter(|&prev| prev != 0.0)
            .map(|prev| (eval.ll - prev).abs() / prev.abs());
        let converged = norm < options.tolerance
            || relative_change.is_some_and(|r| r < options.r_precision)
            || decrement < options.tolerance;
        let stopped = !converged && (iteration >= options.max_iterations || used <= SMALLEST_STEP);
        if stopped && !options.return_unconverged {
            return Err(Error::NotConverged {
                what: WHAT_FIT,
                iterations: iteration,
                last_step: norm,
            });
        }
        let monotone = !converged
            && !stopped
            && eval.ll.abs() < MONOTONE_LOG_LIKELIHOOD
            && norm > MONOTONE_NORM;
        if converged || stopped || monotone {
            let warning = if stopped {
                Some(FitWarning::NotConverged {
                    iterations: iteration,
                    norm_delta: norm,
                })
            } else if monotone {
                Some(FitWarning::MonotoneLikelihood {
                    log_likelihood: eval.ll,
                    norm_delta: norm,
                })
            } else {
                (norm > NON_UNIQUE_NORM)
                    .then_some(FitWarning::NonUniqueSolution { norm_delta: norm })
            };
            return Ok(Outcome {
                beta,
                eval,
                iterations: iteration,
                trace,
                warning,
            });
        }
        previous_ll = Some(eval.ll);
        sizer.update(norm);
    }
    Err(Error::NotConverged {
        what: WHAT_FIT,
        iterations: trace.len(),
        last_step: norm,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn step_sizer_follows_lifelines_schedule() {
        // Decreasing norms: 0.98 shrink is skipped once three decrease.
        let mut s = StepSizer::new(0.95);
        s.update(3.0);
        assert_eq!(s.step, 0.95);
        s.update(2.0);
        assert_eq!(s.step, 0.95);
        s.update(1.0);
        assert_eq!(s.step, 1.0);
        s.update(1.5);
        assert!((s.step - 0.98).abs() < 1e-15);
        // A large norm cuts the step by 10, then it grows back by 1.3
        // towards the initial value.
        let mut s = StepSizer::new(0.5);
        s.update(20.0);
        assert!((s.step - 0.05).abs() < 1e-15);
        s.update(1.0);
        assert!((s.step - 0.065).abs() < 1e-15);
        // Third update: norms 20, 1, 0.5 decrease, so ×1.3 again after the
        // tempering ×1.3.
        s.update(0.5);
        assert!((s.step - 0.065 * 1.3 * 1.3).abs() < 1e-15);
        // 5 < norm < 15 quarters it.
        let mut s = StepSizer::new(0.95);
        s.update(6.0);
        assert!((s.step - 0.2375).abs() < 1e-15);
    }
}
