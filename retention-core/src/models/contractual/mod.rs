//! Contractual retention models: the shifted-beta-geometric (sBG) and the
//! beta-discrete-Weibull (BdW), fitted to the survivor counts of cohorts of
//! subscribers, with the predictions a subscription business asks for and
//! the predictive cohort matrix.
//!
//! # Setting
//!
//! A subscriber pays at the start of every period until she cancels. The
//! period in which she cancels is `T ∈ {1, 2, …}`; she is *active at age
//! `t`* when `T > t`, and the survival function is `S(t) = P(T > t)`,
//! `S(0) = 1`.
//!
//! * **sBG** (Fader & Hardie 2007): each subscriber cancels at the end of
//!   every period with her own probability `θ`, constant over time, and
//!   `θ ~ Beta(α, β)` across subscribers. Then
//!
//!   ```text
//!   S(t)     = B(α, β + t) / B(α, β)
//!   P(T = t) = B(α + 1, β + t − 1) / B(α, β)
//!   r(t)     = S(t) / S(t − 1) = (β + t − 1) / (α + β + t − 1)
//!   ```
//!
//!   The retention rate `r(t)` rises with `t` although no subscriber's
//!   propensity changes: the heavy cancellers leave first.
//! * **BdW** (Fader, Hardie, Liu, Davin & Steenburgh 2018): within a
//!   subscriber the time to cancellation is discrete Weibull,
//!   `P(T > t | θ) = (1 − θ)^{t^c}`, with the same beta mixing, so
//!
//!   ```text
//!   S(t) = B(α, β + t^c) / B(α, β),   P(T = t) = S(t − 1) − S(t).
//!   ```
//!
//!   `c = 1` is the sBG; `c < 1` means each subscriber's cancellation
//!   probability falls with tenure, `c > 1` that it rises.
//!
//! # Likelihood
//!
//! A cohort of `n₀` subscribers observed for `k` periods gives survivor
//! counts `n₀ ≥ n₁ ≥ … ≥ n_k` (`n_t` = still active at age `t`). The
//! `n_{t−1} − n_t` who cancelled in period `t` contribute `P(T = t)` each;
//! the `n_k` still active are right-censored and contribute `S(k)`:
//!
//! ```text
//! ℓ(α, β[, c]) = Σ_{t=1}^{k} (n_{t−1} − n_t) ln P(T = t) + n_k ln S(k)
//! ```
//!
//! (Fader & Hardie 2007, eq. 6). With several cohorts each is censored at
//! its own age and the log-likelihoods add up (one set of parameters,
//! [`CohortPooling::Pooled`]), or each cohort gets its own parameters
//! ([`CohortPooling::PerCohort`]). Identical terms are grouped, so a fit
//! costs `O(largest age)` per evaluation however many cohorts there are.
//! The maximisation, the standard errors (inverse observed information) and
//! the error reporting are those of the other models ([`super::optim`],
//! the shared fitting driver); the gradient is analytic (digamma
//! functions). [`likelihood_ratio_test`] compares the sBG with the BdW:
//! `2 (ℓ_BdW − ℓ_sBG)` is asymptotically `χ²₁` under the sBG (`c = 1` is an
//! interior point of `c > 0`).
//!
//! # Predictions
//!
//! See [`predict`] (survival, retention rate, churn per period, expected
//! lifetime, DEL and DERL of Fader & Hardie 2010, residual value) and
//! [`matrix`] (the cohort matrix with its immature cells projected, with
//! intervals); [`prediction`] gathers every prediction over a horizon in
//! one result.
//!
//! # Numerics
//!
//! `ln S(t) = D(β, α) − D(β + t^c, α)` with `D(x, a) = ln Γ(x + a) − ln Γ(x)`
//! evaluated without cancellation (recurrence up to `x ≥ 10`, then the
//! difference of Stirling series), so `S(t)` keeps full relative accuracy
//! for large `t` and for `α → 0`, and costs the same for every `t`.
//!
//! # References
//!
//! * Fader, P. S. & Hardie, B. G. S. (2007). How to project customer
//!   retention. *Journal of Interactive Marketing* 21(1), 76–90.
//! * Fader, P. S. & Hardie, B. G. S. (2010). Customer-base valuation in a
//!   contractual setting: the perils of ignoring heterogeneity. *Marketing
//!   Science* 29(1), 85–93.
//! * Fader, P. S., Hardie, B. G. S., Liu, Y., Davin, J. & Steenburgh, T.
//!   (2018). "How to project customer retention" revisited: the role of
//!   duration dependence. *Journal of Interactive Marketing* 43, 1–16.

mod curve;
pub mod data;
pub mod fit;
mod likelihood;
pub mod matrix;
pub mod predict;
pub mod prediction;

pub use data::CohortSurvivors;
pub use fit::{fit, fit_cohorts, fit_per_cohort, likelihood_ratio_test, LikelihoodRatioTest};
pub use matrix::{
    predictive_cohort_matrix, predictive_cohort_matrix_from_log, MatrixOptions,
    PredictiveCohortMatrix,
};
pub use prediction::{ContractualPrediction, PredictionOptions};

use crate::{Error, Result};

crate::vocab::codes! {
    /// Which contractual retention model.
    #[derive(Default)]
    pub enum ContractualModelKind as "contractual_model" {
        /// Shifted-beta-geometric (Fader & Hardie 2007): parameters `α, β`.
        #[default]
        Sbg = "sbg",
        /// Beta-discrete-Weibull (Fader et al. 2018): parameters `α, β, c`.
        Bdw = "bdw",
    }
}

crate::vocab::codes! {
    /// One set of parameters for all cohorts, or one per cohort.
    #[derive(Default)]
    pub enum CohortPooling as "cohort_pooling" {
        /// One set of parameters fitted to every cohort together.
        #[default]
        Pooled = "pooled",
        /// Each cohort fitted on its own.
        PerCohort = "per_cohort",
    }
}

/// Parameters of a contractual model: `θ ~ Beta(α, β)` and the
/// discrete-Weibull shape `c` (exactly 1 for the sBG).
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct ContractualParams {
    /// Which model: [`ContractualModelKind::Sbg`] has `c = 1`.
    pub model: ContractualModelKind,
    /// First beta parameter of the cancellation probability.
    pub alpha: f64,
    /// Second beta parameter of the cancellation probability.
    pub beta: f64,
    /// Discrete-Weibull shape (1 for the sBG).
    pub c: f64,
}

impl ContractualParams {
    /// sBG parameters; `α` and `β` finite and `> 0`.
    pub fn sbg(alpha: f64, beta: f64) -> Result<Self> {
        Self::new(ContractualModelKind::Sbg, alpha, beta, 1.0)
    }

    /// BdW parameters; `α`, `β` and `c` finite and `> 0`.
    pub fn bdw(alpha: f64, beta: f64, c: f64) -> Result<Self> {
        Self::new(ContractualModelKind::Bdw, alpha, beta, c)
    }

    /// Parameters of `model`; for the sBG `c` must be 1.
    pub fn new(model: ContractualModelKind, alpha: f64, beta: f64, c: f64) -> Result<Self> {
        crate::error::positive("alpha", alpha)?;
        crate::error::positive("beta", beta)?;
        crate::error::positive("c", c)?;
        if model == ContractualModelKind::Sbg && c != 1.0 {
            return Err(Error::parameter("c", c, "the sBG has c = 1; use the BdW"));
        }
        Ok(ContractualParams {
            model,
            alpha,
            beta,
            c,
        })
    }

    /// The same parameters, validated (for values built field by field or
    /// read with serde).
    pub fn validated(self) -> Result<Self> {
        Self::new(self.model, self.alpha, self.beta, self.c)
    }

    /// Parameter names of a model, in the order of [`Self::values`] and of
    /// a fit's standard errors.
    pub fn names(model: ContractualModelKind) -> &'static [&'static str] {
        match model {
            ContractualModelKind::Sbg => &["alpha", "beta"],
            ContractualModelKind::Bdw => &["alpha", "beta", "c"],
        }
    }

    /// Parameter values in [`Self::names`] order.
    pub fn values(&self) -> Vec<f64> {
        match self.model {
            ContractualModelKind::Sbg => vec![self.alpha, self.beta],
            ContractualModelKind::Bdw => vec![self.alpha, self.beta, self.c],
        }
    }

    /// Parameters of `model` from values in [`Self::names`] order.
    pub fn from_values(model: ContractualModelKind, values: &[f64]) -> Result<Self> {
        match (model, values) {
            (ContractualModelKind::Sbg, &[a, b]) => Self::sbg(a, b),
            (ContractualModelKind::Bdw, &[a, b, c]) => Self::bdw(a, b, c),
            _ => Err(Error::parameter(
                "params",
                values,
                "must hold one value per parameter of the model",
            )),
        }
    }
}
