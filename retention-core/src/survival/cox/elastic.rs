//! The elastic-net (L1 + L2) penalised fit, on lifelines' smoothed
//! objective and iteration schedule.
//!
//! lifelines (0.30, `CoxPHFitter` with `l1_ratio > 0`) maximises, on the
//! standardised coefficients,
//! `ℓ(β) − n Σⱼ cⱼ (ρ |βⱼ|ₐ + (1 − ρ)/2 βⱼ²)` with `ρ` the `l1_ratio`,
//! `cⱼ` the penalty of covariate `j` and the smooth absolute value
//! `|x|ₐ = (log(1 + e^{−ax}) + log(1 + e^{ax})) / a` (Schmidt, Fung &
//! Rosales 2009, "Optimization methods for L1-regularization", UBC
//! TR-2009-19), whose sharpness `a = 1.3^i` grows with the Newton iteration
//! `i`. The objective therefore changes at every step, and the estimate is
//! the iterate at which the schedule stops: this module replays that
//! schedule (the iterations of the `newton` module, without its safeguard:
//! lifelines' step sizes and stopping rules) so that the coefficients are
//! lifelines'.
//! The derivatives of `|x|ₐ` are `tanh(ax/2)` and `(a/2) sech²(ax/2)`.

use super::fit::{Design, Evaluation, Fit};
use super::newton::iterate;
use super::CoxOptions;
use crate::error::Result;

/// Growth of the smoothing sharpness per iteration (lifelines' `1.3`).
const SHARPNESS_BASE: f64 = 1.3;

/// Smooth absolute value `|x|ₐ` and its first two derivatives.
fn soft_abs(x: f64, a: f64) -> (f64, f64, f64) {
    let ax = a * x;
    // log(1 + e^{−ax}) + log(1 + e^{ax}) = |ax| + 2 log(1 + e^{−|ax|}).
    let value = (ax.abs() + 2.0 * (-ax.abs()).exp().ln_1p()) / a;
    let slope = (0.5 * ax).tanh();
    let curvature = 0.5 * a * (1.0 - slope * slope);
    (value, slope, curvature)
}

/// Subtracts the smoothed elastic-net penalty at sharpness `a` from `eval`.
fn penalise(eval: &mut Evaluation, beta: &[f64], penalty: &[f64], l1: f64, n: f64, a: f64) {
    let p = beta.len();
    for (j, (&b, &c)) in beta.iter().zip(penalty).enumerate() {
        let c = c * n;
        let (value, slope, curvature) = soft_abs(b, a);
        eval.ll -= c * (l1 * value + 0.5 * (1.0 - l1) * b * b);
        eval.score[j] -= c * (l1 * slope + (1.0 - l1) * b);
        eval.info[j * p + j] += c * (l1 * curvature + (1.0 - l1));
    }
}

/// The elastic-net fit with `l1_ratio = l1 > 0` and one penalty per
/// covariate, started at `start` (standardised; `β = 0` when empty);
/// `options.tolerance` is lifelines' `precision`,
/// `options.max_iterations` its `max_steps`, `options.step_size` and
/// `options.r_precision` its options of the same names.
pub(super) fn elastic_net_newton(
    design: &Design,
    options: &CoxOptions,
    penalty: &[f64],
    l1: f64,
    start: &[f64],
) -> Result<Fit> {
    let p = design.p;
    let n = design.n as f64;
    let beta = if start.is_empty() {
        vec![0.0; p]
    } else {
        start.to_vec()
    };
    // The unpenalised log-likelihood at β = 0.
    let null_log_likelihood = design.evaluate(&vec![0.0; p], options.ties, &[]).ll;
    // The objective changes with the iteration, so the iterations are
    // lifelines' own, without the safeguard.
    let outcome = iterate(beta, options, false, |b, iteration| {
        let mut eval = design.evaluate(b, options.ties, &[]);
        let sharpness = SHARPNESS_BASE.powi(iteration as i32);
        penalise(&mut eval, b, penalty, l1, n, sharpness);
        eval
    })?;
    Ok(Fit {
        beta: outcome.beta,
        eval: outcome.eval,
        null_log_likelihood,
        iterations: outcome.iterations,
        trace: outcome.trace,
        warning: outcome.warning,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn soft_abs_approaches_the_absolute_value() {
        for &x in &[-2.0, -0.3, 0.0, 0.7, 5.0] {
            let (v, s, c) = soft_abs(x, 1e4);
            assert!((v - f64::abs(x)).abs() < 1e-3);
            if x != 0.0 {
                assert!((s - x.signum()).abs() < 1e-12 && c.abs() < 1e-12);
            }
        }
        // At 0: 2 log 2 / a, slope 0, curvature a / 2.
        let (v, s, c) = soft_abs(0.0, 1.3);
        assert!((v - 2.0 * 2f64.ln() / 1.3).abs() < 1e-15 && s == 0.0 && (c - 0.65).abs() < 1e-15);
        // Derivatives by finite differences.
        let (x, a, h) = (0.37, 3.1, 1e-6);
        let (_, s, c) = soft_abs(x, a);
        assert!(((soft_abs(x + h, a).0 - soft_abs(x - h, a).0) / (2.0 * h) - s).abs() < 1e-8);
        assert!(((soft_abs(x + h, a).1 - soft_abs(x - h, a).1) / (2.0 * h) - c).abs() < 1e-6);
    }
}
