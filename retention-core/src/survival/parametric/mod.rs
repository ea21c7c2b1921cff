//! Parametric survival models: univariate fits and accelerated failure
//! time (AFT) regression, by maximum likelihood, in the parametrisation of
//! lifelines 0.30 (Davidson-Pilon, *lifelines*, JOSS 2019; Kalbfleisch &
//! Prentice, *The Statistical Analysis of Failure Time Data*, 2nd ed.,
//! 2002, ch. 2–3).
//!
//! # Models
//!
//! | model | cumulative hazard / survival | parameters |
//! |---|---|---|
//! | exponential | `H(t) = t/λ` | `lambda_` |
//! | Weibull | `H(t) = (t/λ)^ρ` | `lambda_`, `rho_` |
//! | log-normal | `S(t) = 1 − Φ((log t − μ)/σ)` | `mu_`, `sigma_` |
//! | log-logistic | `S(t) = 1/(1 + (t/α)^β)` | `alpha_`, `beta_` |
//! | piecewise exponential | hazard `1/λⱼ` on `(b_{j−1}, b_j]` | `lambda_0_`, … |
//!
//! The Weibull, log-normal and log-logistic models are log-location-scale
//! families: `log T = η₁ + W/e^κ`, with `W` standard minimum extreme value,
//! normal or logistic. Each is written with two linear predictors
//! `η₁ = x₁ᵀβ₁`, `η₂ = x₂ᵀβ₂` and
//!
//! - Weibull: `λ = e^{η₁}`, `ρ = e^{η₂}`, `κ = η₂`;
//! - log-normal: `μ = η₁`, `σ = e^{η₂}`, `κ = −η₂`;
//! - log-logistic: `α = e^{η₁}`, `β = e^{η₂}`, `κ = η₂`.
//!
//! A univariate fit is the case `x₁ = x₂ = (1)`; the AFT models of lifelines
//! (`WeibullAFTFitter`, `LogNormalAFTFitter`, `LogLogisticAFTFitter`) put the
//! covariates (and an intercept) in `x₁` and, by default, only an intercept
//! in `x₂` (`ancillary=False`). One likelihood serves all of them.
//!
//! # Likelihood
//!
//! With `zᵢ = (log tᵢ − η₁ᵢ) e^{κᵢ}`, `g` the density and `S_W` the survival
//! function of `W`, case weights `wᵢ` and entry (left-truncation) times
//! `aᵢ`, the log-likelihood is
//!
//! ```text
//! ℓ = Σ wᵢ [ δᵢ (log g(zᵢ) + κᵢ − log tᵢ) + (1 − δᵢ) log S_W(zᵢ) − log S_W(z(aᵢ)) ]
//! ```
//!
//! (the last term only where `aᵢ > 0`: an entry at or before the origin,
//! negative ones included, truncates nothing, as in lifelines), i.e. `Σ wᵢ [δᵢ log h(tᵢ) − H(tᵢ) +
//! H(aᵢ)]` as lifelines writes it. The gradient and Hessian in `(η₁, κ)` are
//! analytic (`dz/dη₁ = −e^κ`, `dz/dκ = z`); the fit is Newton's method,
//! damped (step halving, Levenberg shift when the Hessian is not positive
//! definite), one pass over the rows per iteration (a last step shorter
//! than 1e-6 is taken without one: it lands within about its square of the
//! optimum), started for the AFT
//! models at the univariate fit (as lifelines does). The exponential and
//! piecewise exponential models have closed forms:
//! `λ̂ⱼ = (time at risk in interval j) / (events in interval j)`, variance
//! `λ̂ⱼ² / dⱼ`.
//!
//! # Penalty (AFT)
//!
//! lifelines' `penalizer` `c` (with `l1_ratio = 0`) adds `½ c Σ (sⱼ βⱼ)²`
//! to the *average* negative log-likelihood, `sⱼ` being the sample
//! standard deviation of covariate `j` (1 for a constant column). Every
//! coefficient is penalised except constant columns (the intercept) of a
//! parameter that has more than one column; an intercept-only ancillary
//! parameter is penalised too (lifelines' rule). The reported
//! log-likelihood is the penalised one, `ℓ − W·½ c Σ (sⱼ βⱼ)²` with `W = Σ wᵢ`,
//! and the covariance is the inverse Hessian of the penalised objective,
//! both as in lifelines.
//!
//! # Inference
//!
//! Standard errors are the square roots of the diagonal of the inverse
//! observed information (for univariate models in lifelines' natural
//! parameters, by the delta method from `(η₁, η₂)`, exact at the maximum);
//! Wald intervals `θ̂ ± z₁₋α/₂ se`, `z = (θ̂ − θ₀)/se`, two-sided normal
//! p-values. `AIC = −2ℓ + 2k`; `BIC = −2ℓ + k log n` (`n` rows; for AFT
//! models lifelines uses `k = 2`). Pointwise bands of the fitted curves
//! ([`ParametricCurve`]) are Wald intervals of the curve itself with the
//! delta-method variance `∇gᵀ V ∇g`. With `robust` (AFT), the covariance
//! is lifelines' sandwich `V J V`, `J = Σᵢ uᵢ uᵢᵀ` over the rows'
//! unweighted score vectors (Huber 1967; White 1980). The likelihood-ratio
//! test compares `2(ℓ − ℓ₀)` with χ² on `p − 2` degrees of freedom, `ℓ₀`
//! the fit without covariates.
//!
//! # Predictions
//!
//! For new rows, AFT models give the natural parameters, percentiles
//! `t_p = exp(η₁ + z_p e^{−κ})` with `S_W(z_p) = p`, expectations
//! (`λΓ(1 + 1/ρ)`, `exp(μ + σ²/2)`, `απ/β / sin(π/β)` for `β > 1`, else
//! `∞`) and curves; conditional on survival to `s` (lifelines'
//! `conditional_after`) the clock restarts at `s`: `S(t | s) = S(s+t)/S(s)`.
//!
//! An event exactly at a piecewise breakpoint counts in the interval that
//! ends there (lifelines, differentiating `min(t, b)` by automatic
//! differentiation, splits its hazard between both intervals).
//!
//! ```
//! use retention_core::survival::{ParametricFamily, SampleWeights, UnivariateModel, UnivariateParametric};
//!
//! let t = [2.0, 3.0, 5.0, 7.0, 11.0];
//! let d = [true, true, false, true, false];
//! let exp = UnivariateParametric::fit(&UnivariateModel::Exponential, &t, &d, &SampleWeights::default())?;
//! assert!((exp.params[0] - 28.0 / 3.0).abs() < 1e-12); // Σ t / Σ δ
//! let wb = UnivariateModel::LogLocationScale(ParametricFamily::Weibull);
//! let wb = UnivariateParametric::fit(&wb, &t, &d, &SampleWeights::default())?;
//! assert!((wb.survival(wb.median())? - 0.5).abs() < 1e-12);
//! # Ok::<(), retention_core::Error>(())
//! ```

mod aft;
mod family;
mod fit;
mod intervals;
mod predict;
mod univariate;

pub use aft::{AftModel, AftOptions};
pub use family::ParametricFamily;
pub use intervals::ParametricCurve;
pub use univariate::{UnivariateModel, UnivariateParametric};

use crate::error::{Error, Result};
use crate::special::{normal_quantile, normal_two_sided_p};

/// One row of a Wald summary table (lifelines' `summary`).
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct ParameterSummary {
    /// Estimate.
    pub estimate: f64,
    /// Standard error.
    pub std_error: f64,
    /// Lower Wald bound `estimate − z·se`.
    pub lower: f64,
    /// Upper Wald bound `estimate + z·se`.
    pub upper: f64,
    /// Null value tested (`cmp to`).
    pub compare_to: f64,
    /// `(estimate − compare_to) / se`.
    pub z: f64,
    /// Two-sided normal p-value of `z`.
    pub p_value: f64,
}

impl ParameterSummary {
    fn table(
        estimates: &[f64],
        std_errors: &[f64],
        compare_to: &[f64],
        alpha: f64,
    ) -> Result<Vec<ParameterSummary>> {
        let q = wald_z(alpha)?;
        Ok(estimates
            .iter()
            .zip(std_errors)
            .zip(compare_to)
            .map(|((&estimate, &se), &cmp)| {
                let z = (estimate - cmp) / se;
                ParameterSummary {
                    estimate,
                    std_error: se,
                    lower: estimate - q * se,
                    upper: estimate + q * se,
                    compare_to: cmp,
                    z,
                    p_value: normal_two_sided_p(z),
                }
            })
            .collect())
    }
}

/// `Φ⁻¹(1 − α/2)`.
fn wald_z(alpha: f64) -> Result<f64> {
    if alpha > 0.0 && alpha < 1.0 {
        normal_quantile(1.0 - alpha / 2.0)
            .ok_or_else(|| Error::parameter("alpha", alpha, "must lie strictly between 0 and 1"))
    } else {
        Err(Error::parameter(
            "alpha",
            alpha,
            "must lie strictly between 0 and 1",
        ))
    }
}

/// Row-major `n × k` matrix from `k` equally long columns (the layout
/// [`AftModel::fit`] takes); ragged columns are cut to the shortest.
pub fn interleave(columns: &[Vec<f64>]) -> Vec<f64> {
    let k = columns.len();
    let n = columns.iter().map(Vec::len).min().unwrap_or(0);
    let mut out = vec![0.0; n * k];
    for (j, col) in columns.iter().enumerate() {
        for (i, &v) in col.iter().take(n).enumerate() {
            out[i * k + j] = v;
        }
    }
    out
}
