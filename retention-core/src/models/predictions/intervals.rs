//! Intervals around per-customer predictions from the uncertainty of the
//! fitted parameters.
//!
//! A fit's covariance `Σ` is the inverse observed information (see
//! [`FitDiagnostics::covariance`](crate::models::FitDiagnostics::covariance));
//! the estimate `θ̂` is asymptotically normal, `N(θ, Σ)`. For a prediction
//! `g(θ)` (one value per customer):
//!
//! * **delta method** ([`IntervalMethod::Delta`]): `se = √(∇gᵀ Σ ∇g)`,
//!   interval `g(θ̂) ± z·se` with `z = Φ⁻¹((1+level)/2)`, clipped to the
//!   range of the quantity (`[0, 1]` for probabilities, `[0, ∞)`
//!   otherwise). The gradient is numerical: central differences with step
//!   `hⱼ = 10⁻⁵ θ̂ⱼ` (all parameters are positive), truncation error
//!   `O(h²)`, i.e. about 10⁻¹⁰ relative — far below the standard errors.
//!   Cost: `2k + 1` evaluations of the prediction over all rows.
//! * **parametric bootstrap** ([`IntervalMethod::Bootstrap`]): `draws`
//!   parameter vectors `θ* = θ̂ + L z` (`Σ = L Lᵀ`, `z` standard normal from
//!   the portable xoshiro256** generator of [`crate::sample`], seeded by
//!   `seed`, so results are identical on every platform); draws with a
//!   non-positive parameter, or at which the prediction is undefined (e.g.
//!   Gamma-Gamma `q ≤ 1` for CLV), are redrawn, at most `20 × draws`
//!   attempts in all. The standard error is the standard deviation of
//!   `g(θ*)`, the interval its empirical `(1∓level)/2` quantiles (linear
//!   interpolation between order statistics); the estimate stays `g(θ̂)`.
//!   `draws` is between 2 and [`MAX_BOOTSTRAP_DRAWS`] and `draws × rows`
//!   at most [`MAX_BOOTSTRAP_VALUES`].
//!
//! For predictive CLV the transaction model's and Gamma-Gamma's parameters
//! are treated as independent (they are fitted separately): `Σ` is block
//! diagonal.

use super::super::clv::{predictive_clv, ClvOptions};
use super::super::gamma_gamma::GammaGammaParams;
use super::super::validate::{check_horizon, TransactionSummary};
use super::super::{TransactionModel, TransactionModelParams};
use super::check_discount;
use crate::linalg::cholesky;
use crate::sample::rng::Rng;
use crate::special::normal_quantile;
use crate::{Error, Result};

/// Most bootstrap draws.
pub const MAX_BOOTSTRAP_DRAWS: usize = 10_000;
/// Most predictions `draws × rows` a bootstrap keeps.
pub const MAX_BOOTSTRAP_VALUES: usize = 10_000_000;
/// Redraw allowance: at most this many attempts per requested draw.
const ATTEMPTS_PER_DRAW: usize = 20;
/// Relative step of the numerical gradient.
const GRADIENT_STEP: f64 = 1e-5;

crate::vocab::codes! {
    /// How a prediction interval is computed (module docs).
    #[derive(Default)]
    pub enum IntervalMethod as "interval_method" {
        /// Delta method with a numerical gradient.
        #[default]
        Delta = "delta",
        /// Parametric bootstrap from the asymptotic normal.
        Bootstrap = "bootstrap",
    }
}

/// Options of the interval functions.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(default, deny_unknown_fields))]
pub struct IntervalOptions {
    /// Coverage level in `(0, 1)`. Default 0.95.
    pub level: f64,
    /// Delta method (default) or parametric bootstrap.
    pub method: IntervalMethod,
    /// Bootstrap draws, 2 to [`MAX_BOOTSTRAP_DRAWS`]. Default 1000.
    pub draws: usize,
    /// Bootstrap seed. Default 0.
    pub seed: u64,
}

impl Default for IntervalOptions {
    fn default() -> Self {
        IntervalOptions {
            level: 0.95,
            method: IntervalMethod::Delta,
            draws: 1000,
            seed: 0,
        }
    }
}

/// A prediction with its standard error and interval.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct PredictionInterval {
    /// The prediction at the estimated parameters.
    pub estimate: f64,
    /// Its standard error.
    pub standard_error: f64,
    /// Lower end of the interval.
    pub lower: f64,
    /// Upper end of the interval.
    pub upper: f64,
}

/// Which per-customer prediction of a transaction model.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(
    feature = "serde",
    serde(tag = "prediction", rename_all = "snake_case", deny_unknown_fields)
)]
pub enum Prediction {
    /// P(alive) at the end of calibration.
    ProbabilityAlive,
    /// P(alive at `T + τ`) ([`TransactionModelParams::probability_alive_at`]).
    ProbabilityAliveAt {
        /// Time after the end of calibration.
        tau: f64,
    },
    /// Expected purchases in the next `t`.
    ConditionalExpectedPurchases {
        /// Horizon.
        t: f64,
    },
    /// Discounted expected residual transactions ([`TransactionModelParams::dert`]).
    Dert {
        /// Continuous discount rate per time unit.
        discount_rate: f64,
    },
}

impl Prediction {
    fn check(&self) -> Result<()> {
        match *self {
            Prediction::ProbabilityAlive => Ok(()),
            Prediction::ProbabilityAliveAt { tau } => check_horizon("tau", tau).map(drop),
            Prediction::ConditionalExpectedPurchases { t } => check_horizon("t", t).map(drop),
            Prediction::Dert { discount_rate } => check_discount(discount_rate).map(drop),
        }
    }

    fn is_probability(&self) -> bool {
        matches!(
            self,
            Prediction::ProbabilityAlive | Prediction::ProbabilityAliveAt { .. }
        )
    }

    fn evaluate(
        &self,
        model: &TransactionModelParams,
        data: &TransactionSummary<'_>,
    ) -> Result<Vec<f64>> {
        match *self {
            Prediction::ProbabilityAlive => model.probability_alive_batch(data),
            Prediction::ProbabilityAliveAt { tau } => model.probability_alive_at_batch(tau, data),
            Prediction::ConditionalExpectedPurchases { t } => {
                model.conditional_expected_purchases_batch(t, data)
            }
            Prediction::Dert { discount_rate } => model.dert_batch(discount_rate, data),
        }
    }
}

/// Intervals around `prediction` for every row of `data` (weights
/// ignored), from parameters `params` and their covariance `covariance`
/// (row-major `4 × 4`, in [`TransactionModelParams::names`] order, as a
/// fit reports it).
///
/// Errors: invalid rows or prediction arguments, a covariance of the wrong
/// size or not finite, invalid options (level outside `(0, 1)`, draws out
/// of range, too many values), a covariance that is not positive definite
/// (bootstrap), too many rejected draws.
pub fn prediction_intervals(
    params: &TransactionModelParams,
    covariance: &[f64],
    prediction: Prediction,
    data: &TransactionSummary<'_>,
    options: &IntervalOptions,
) -> Result<Vec<PredictionInterval>> {
    prediction.check()?;
    let kind = params.kind();
    let range = if prediction.is_probability() {
        (0.0, 1.0)
    } else {
        (0.0, f64::INFINITY)
    };
    let eval = |theta: &[f64]| {
        let model = TransactionModelParams::from_values(kind, theta)?;
        prediction.evaluate(&model, data)
    };
    intervals(
        &params.values(),
        covariance,
        &eval,
        range,
        data.len(),
        options,
    )
}

/// Intervals around predictive CLV ([`predictive_clv`]) for every row of
/// `data`, from the transaction model's parameters and covariance and
/// Gamma-Gamma's (`3 × 3`, order `p, q, gamma`), taken as independent.
///
/// Errors: those of [`predictive_clv`] and [`prediction_intervals`].
#[allow(clippy::too_many_arguments)]
pub fn clv_intervals(
    params: &TransactionModelParams,
    covariance: &[f64],
    spend: &GammaGammaParams,
    spend_covariance: &[f64],
    data: &TransactionSummary<'_>,
    monetary_value: &[f64],
    clv_options: &ClvOptions,
    options: &IntervalOptions,
) -> Result<Vec<PredictionInterval>> {
    check_covariance("covariance", covariance, 4)?;
    check_covariance("spend_covariance", spend_covariance, 3)?;
    let kind = params.kind();
    let mut theta = params.values();
    theta.extend([spend.p, spend.q, spend.gamma]);
    let mut joint = vec![0.0; 49];
    for i in 0..4 {
        for j in 0..4 {
            joint[i * 7 + j] = covariance[i * 4 + j];
        }
    }
    for i in 0..3 {
        for j in 0..3 {
            joint[(i + 4) * 7 + j + 4] = spend_covariance[i * 3 + j];
        }
    }
    let eval = |theta: &[f64]| {
        let model = TransactionModelParams::from_values(kind, &theta[..4])?;
        let spend = GammaGammaParams::new(theta[4], theta[5], theta[6])?;
        predictive_clv(model.model(), &spend, data, monetary_value, clv_options)
    };
    intervals(
        &theta,
        &joint,
        &eval,
        (0.0, f64::INFINITY),
        data.len(),
        options,
    )
}

fn check_covariance(name: &'static str, cov: &[f64], k: usize) -> Result<()> {
    crate::error::check_len(name, k * k, cov.len())?;
    if let Some(bad) = cov.iter().find(|v| !v.is_finite()) {
        return Err(Error::parameter(name, *bad, "must hold finite numbers"));
    }
    Ok(())
}

fn check_options(options: &IntervalOptions, rows: usize) -> Result<f64> {
    let level = options.level;
    let z = Some(level)
        .filter(|l| *l > 0.0 && *l < 1.0)
        .and_then(|l| normal_quantile(0.5 + l / 2.0))
        .ok_or_else(|| Error::parameter("level", level, "must be in (0, 1)"))?;
    if options.method == IntervalMethod::Bootstrap {
        if !(2..=MAX_BOOTSTRAP_DRAWS).contains(&options.draws) {
            return Err(Error::parameter(
                "draws",
                options.draws,
                "must be between 2 and MAX_BOOTSTRAP_DRAWS (10000)",
            ));
        }
        if options.draws.saturating_mul(rows) > MAX_BOOTSTRAP_VALUES {
            return Err(Error::parameter(
                "draws",
                options.draws,
                "draws × rows must be at most MAX_BOOTSTRAP_VALUES (10000000)",
            ));
        }
    }
    Ok(z)
}

type Eval<'a> = dyn Fn(&[f64]) -> Result<Vec<f64>> + 'a;

/// The shared engine: `eval(θ)` gives one prediction per row.
fn intervals(
    theta: &[f64],
    cov: &[f64],
    eval: &Eval<'_>,
    range: (f64, f64),
    rows: usize,
    options: &IntervalOptions,
) -> Result<Vec<PredictionInterval>> {
    let k = theta.len();
    check_covariance("covariance", cov, k)?;
    let z = check_options(options, rows)?;
    let estimate = eval(theta)?;
    let clip = |v: f64| v.clamp(range.0, range.1);
    match options.method {
        IntervalMethod::Delta => {
            let mut grads = vec![0.0; rows * k];
            for j in 0..k {
                let h = GRADIENT_STEP * theta[j].abs().max(f64::MIN_POSITIVE);
                let mut up = theta.to_vec();
                up[j] += h;
                let mut down = theta.to_vec();
                down[j] -= h;
                let (fu, fd) = (eval(&up)?, eval(&down)?);
                for i in 0..rows {
                    grads[i * k + j] = (fu[i] - fd[i]) / (2.0 * h);
                }
            }
            let mut out = Vec::with_capacity(rows);
            for (i, &e) in estimate.iter().enumerate() {
                let g = &grads[i * k..(i + 1) * k];
                let mut var = 0.0;
                for a in 0..k {
                    for b in 0..k {
                        var += g[a] * cov[a * k + b] * g[b];
                    }
                }
                let se = var.max(0.0).sqrt();
                if !se.is_finite() {
                    return Err(Error::NonFiniteResult {
                        what: "delta-method standard error",
                        row: Some(i),
                    });
                }
                out.push(PredictionInterval {
                    estimate: e,
                    standard_error: se,
                    lower: clip(e - z * se),
                    upper: clip(e + z * se),
                });
            }
            Ok(out)
        }
        IntervalMethod::Bootstrap => bootstrap(theta, cov, eval, &estimate, options),
    }
}

fn bootstrap(
    theta: &[f64],
    cov: &[f64],
    eval: &Eval<'_>,
    estimate: &[f64],
    options: &IntervalOptions,
) -> Result<Vec<PredictionInterval>> {
    let k = theta.len();
    let rows = estimate.len();
    let l = cholesky(cov, k, 0.0).map_err(|index| Error::SingularMatrix {
        what: "parameter covariance",
        index,
    })?;
    let mut rng = Rng::seeded(options.seed);
    let draws = options.draws;
    // values[i * draws + d]: row i, draw d.
    let mut values = vec![0.0; rows * draws];
    let mut accepted = 0;
    let mut attempts = 0;
    let mut star = vec![0.0; k];
    let mut zs = vec![0.0; k];
    while accepted < draws {
        if attempts >= ATTEMPTS_PER_DRAW * draws {
            return Err(Error::parameter(
                "draws",
                draws,
                "too many bootstrap draws were inadmissible (non-positive parameters or undefined predictions): the covariance is too wide for a normal approximation",
            ));
        }
        attempts += 1;
        zs.iter_mut().for_each(|z| *z = rng.normal());
        for i in 0..k {
            star[i] = theta[i] + (0..=i).map(|j| l[i * k + j] * zs[j]).sum::<f64>();
        }
        if star.iter().any(|v| !(v.is_finite() && *v > 0.0)) {
            continue;
        }
        let Ok(v) = eval(&star) else { continue };
        if v.iter().any(|x| !x.is_finite()) {
            continue;
        }
        for (i, x) in v.into_iter().enumerate() {
            values[i * draws + accepted] = x;
        }
        accepted += 1;
    }
    let lo_q = (1.0 - options.level) / 2.0;
    let hi_q = (1.0 + options.level) / 2.0;
    let mut out = Vec::with_capacity(rows);
    for (i, &e) in estimate.iter().enumerate() {
        let col = &mut values[i * draws..(i + 1) * draws];
        let mean = col.iter().sum::<f64>() / draws as f64;
        let var = col.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (draws - 1) as f64;
        col.sort_by(f64::total_cmp);
        out.push(PredictionInterval {
            estimate: e,
            standard_error: var.sqrt(),
            lower: quantile(col, lo_q),
            upper: quantile(col, hi_q),
        });
    }
    Ok(out)
}

/// Quantile of sorted values with linear interpolation between order
/// statistics (Hyndman & Fan type 7).
fn quantile(sorted: &[f64], q: f64) -> f64 {
    let h = (sorted.len() - 1) as f64 * q;
    let lo = h.floor() as usize;
    let hi = (lo + 1).min(sorted.len() - 1);
    sorted[lo] + (h - lo as f64) * (sorted[hi] - sorted[lo])
}
