//! Buy-till-you-die models with time-invariant customer covariates:
//! Pareto/NBD, BG/NBD and GGompertz/NBD with covariates in the purchase ("trans") and
//! attrition ("life") processes, and Gamma-Gamma with covariates in the
//! spend process.
//!
//! # Parameterisation
//!
//! Each customer `i` has a covariate vector per process, `zᵢ` (trans) and
//! `wᵢ` (life); a covariate may be in one process or in both. Following
//! CLVTools (Bachmann, Meierer & Näf, R package `CLVTools`, static-covariate
//! models; source `src/pnbd.cpp` `pnbd_staticcov_alpha_i`/`_beta_i` and
//! `src/bgnbd.cpp` `bgnbd_staticcov_alpha_i`/`_a_i`/`_b_i`, releases
//! 0.11–0.12), the gamma/beta mixing parameters become customer-specific:
//!
//! | model | purchase process | attrition process |
//! |---|---|---|
//! | Pareto/NBD ([`pareto_nbd`]) | `αᵢ = α·exp(−γ_trans·zᵢ)` | `βᵢ = β·exp(−γ_life·wᵢ)` |
//! | BG/NBD ([`bgnbd`]) | `αᵢ = α·exp(−γ_trans·zᵢ)` | `aᵢ = a·exp(γ_life·wᵢ)`, `bᵢ = b·exp(γ_life·wᵢ)` |
//! | GGompertz/NBD ([`ggomnbd`]) | `αᵢ = α·exp(−γ_trans·zᵢ)` | `βᵢ = β·exp(−γ_life·wᵢ)` |
//! | Gamma-Gamma ([`gamma_gamma`]) | spend: `γᵢ = γ·exp(γ_spend·zᵢ)` | — |
//!
//! `r` and `s` (Pareto/NBD), `r` (BG/NBD) and `p`, `q` (Gamma-Gamma) are
//! common to everyone. Since the gamma rate `αᵢ` scales the purchase rate
//! `λ ~ Gamma(r, αᵢ)`, `E[λ | zᵢ] = r/α · exp(γ_trans·zᵢ)`: a positive
//! coefficient means more purchases (Pareto/NBD's life coefficients act on
//! the dropout rate the same way; Schmittlein et al. 1987; Fader & Hardie
//! 2007, "Incorporating time-invariant covariates into the Pareto/NBD and
//! BG/NBD models"). Each customer's likelihood is the model's own at her
//! parameters, so with all covariates zero every model reduces to the plain
//! one.
//!
//! # Fitting
//!
//! The estimates maximise `ℓ = Σᵢ wᵢ ln Lᵢ` minus an optional L2 penalty on
//! the coefficients; the optimiser minimises (CLVTools' `reg.lambdas`)
//!
//! ```text
//! −ℓ/W + λ_trans Σₖ γ_trans,ₖ² + λ_life Σₖ γ_life,ₖ²,     W = Σᵢ wᵢ,
//! ```
//!
//! over `(ln r, ln α, …, γ)`, with the analytic gradient (see `design`).
//! A covariate named in `constrained` (CLVTools' `names.cov.constr`) has one
//! coefficient `constr.<name>` used in both processes (it is penalised in
//! both). Parameters are named and ordered as in CLVTools: the model's,
//! then `life.<name>`, then `trans.<name>`, then `constr.<name>`
//! (Gamma-Gamma: `spend.<name>`). Fits start from the model without
//! covariates and coefficients 0.
//!
//! Standard errors are the square roots of the diagonal of the inverse
//! observed information, the Hessian of `−ℓ + W·penalty` at the estimate
//! (forward differences of the analytic gradient on the optimiser's scale,
//! transformed to the natural parameters by the Jacobian, exact at a
//! stationary point). Identical rows (history and covariates) are merged
//! into weights before fitting, which changes nothing but the work.
//!
//! # Bad input
//!
//! Non-finite covariate values are reported together as
//! [`Error::InvalidRows`] with the process's field (`trans_covariates`,
//! `life_covariates`, `spend_covariates`) and the value written
//! `name=value`; a column of the wrong length is
//! [`Error::LengthMismatch`]; an unpenalised process whose covariates are
//! constant (indistinguishable from the intercept) or collinear is
//! [`Error::SingularMatrix`] naming the column index; a constrained name
//! missing from either process is [`Error::InvalidParameter`].
//!
//! # References
//!
//! * Fader, P. S. & Hardie, B. G. S. (2007). Incorporating time-invariant
//!   covariates into the Pareto/NBD and BG/NBD models.
//! * Schmittlein, D. C., Morrison, D. G. & Colombo, R. (1987). Counting your
//!   customers: who are they and what will they do next? *Management
//!   Science* 33(1), 1–24.
//! * Bachmann, P., Meierer, M. & Näf, J. (2021). The role of time-varying
//!   contextual factors in latent attrition models for customer base
//!   analysis. *Marketing Science* 40(4), 783–809 (CLVTools).
//! * Fader, P. S. & Hardie, B. G. S. (2013). The Gamma-Gamma model of
//!   monetary value.

pub mod bgnbd;
mod design;
pub mod gamma_gamma;
pub mod ggomnbd;
pub mod pareto_nbd;

use crate::error::{Error, Result};

crate::vocab::codes! {
    /// Which model a [`CovariateFit`] belongs to.
    pub enum CovariateModelKind as "covariate_model" {
        /// Pareto/NBD with covariates ([`pareto_nbd`]).
        ParetoNbd = "pareto_nbd",
        /// BG/NBD with covariates ([`bgnbd`]).
        BgNbd = "bg_nbd",
        /// Gamma-Gamma with covariates ([`gamma_gamma`]).
        GammaGamma = "gamma_gamma",
        /// GGompertz/NBD with covariates ([`ggomnbd`]).
        GgomNbd = "ggom_nbd",
    }
}

impl CovariateModelKind {
    /// The model's name in words (for messages).
    pub fn label(self) -> &'static str {
        match self {
            CovariateModelKind::ParetoNbd => "Pareto/NBD with covariates",
            CovariateModelKind::BgNbd => "BG/NBD with covariates",
            CovariateModelKind::GammaGamma => "Gamma-Gamma with covariates",
            CovariateModelKind::GgomNbd => "GGompertz/NBD with covariates",
        }
    }
}

/// One named covariate column: a value per customer, in the rows' order.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Covariate<'a> {
    /// Column name, used in parameter names (`trans.<name>`).
    pub name: &'a str,
    /// One finite value per row.
    pub values: &'a [f64],
}

impl<'a> Covariate<'a> {
    /// A named column.
    pub fn new(name: &'a str, values: &'a [f64]) -> Self {
        Covariate { name, values }
    }
}

/// The covariates of a transaction model (Pareto/NBD, BG/NBD).
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct TransactionCovariates<'a> {
    /// Covariates of the purchase process.
    pub trans: &'a [Covariate<'a>],
    /// Covariates of the attrition process.
    pub life: &'a [Covariate<'a>],
    /// L2 penalty `λ_trans ≥ 0` on the purchase coefficients.
    pub reg_lambda_trans: f64,
    /// L2 penalty `λ_life ≥ 0` on the attrition coefficients.
    pub reg_lambda_life: f64,
    /// Covariates (in both processes) whose coefficient is shared.
    pub constrained: &'a [String],
}

/// Optimiser settings of the covariate fits.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(default, deny_unknown_fields))]
pub struct CovariateOptions {
    /// Convergence threshold on the largest gradient component of the
    /// mean penalised objective. Default `1e-9`, tight because these
    /// likelihoods are flat near the optimum.
    pub tolerance: f64,
    /// Iteration limit of each BFGS run. Default 1,000.
    pub max_iterations: usize,
}

impl Default for CovariateOptions {
    fn default() -> Self {
        CovariateOptions {
            tolerance: 1e-9,
            max_iterations: 1000,
        }
    }
}

/// A fitted covariate model.
///
/// The vectors `estimates`, `standard_errors` and the rows of `covariance`
/// follow `parameter_names`. `covariate_names[0]`/`coefficients[0]` are the
/// first process's columns (trans; spend for Gamma-Gamma) with their
/// coefficients (a constrained one repeated), `[1]` the attrition process's.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct CovariateFit {
    /// Which model.
    pub model: CovariateModelKind,
    /// Parameter names in CLVTools' style and order.
    pub parameter_names: Vec<String>,
    /// Maximum-likelihood (or penalised) estimates.
    pub estimates: Vec<f64>,
    /// Standard errors; `None` when the information is not positive definite.
    pub standard_errors: Option<Vec<f64>>,
    /// Covariance matrix, row-major `k × k`.
    pub covariance: Option<Vec<f64>>,
    /// Log-likelihood `Σ wᵢ ln Lᵢ` at the estimate (without the penalty).
    pub log_likelihood: f64,
    /// The minimised mean penalised objective.
    pub objective: f64,
    /// Input rows.
    pub rows: usize,
    /// Distinct rows after merging identical ones.
    pub distinct_rows: usize,
    /// Total weight (number of customers used).
    pub total_weight: f64,
    /// `[λ_trans, λ_life]` (Gamma-Gamma: `[λ_spend, 0]`).
    pub reg_lambdas: [f64; 2],
    /// Covariate names per process.
    pub covariate_names: [Vec<String>; 2],
    /// Coefficient of each covariate column per process.
    pub coefficients: [Vec<f64>; 2],
    /// BFGS iterations of the successful attempt.
    pub iterations: usize,
    /// Optimisation attempts made.
    pub attempts: usize,
}

/// One row of [`CovariateFit::summary`].
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct CovariateParameter {
    /// Parameter name, e.g. `trans.Gender`.
    pub name: String,
    /// Estimate.
    pub estimate: f64,
    /// Standard error, when available.
    pub std_error: Option<f64>,
    /// Lower Wald bound `estimate − z·se`.
    pub lower: Option<f64>,
    /// Upper Wald bound `estimate + z·se`.
    pub upper: Option<f64>,
}

impl CovariateFit {
    /// The model's own parameters (`r, α, s, β`; `r, α, a, b`;
    /// `r, α, b, s, β`; `p, q, γ`)
    /// at covariates zero.
    pub fn base_params(&self) -> &[f64] {
        let k = match self.model {
            CovariateModelKind::GammaGamma => 3,
            CovariateModelKind::GgomNbd => 5,
            _ => 4,
        };
        &self.estimates[..k.min(self.estimates.len())]
    }

    /// Estimate of the parameter called `name`.
    pub fn estimate(&self, name: &str) -> Option<f64> {
        let i = self.parameter_names.iter().position(|n| n == name)?;
        self.estimates.get(i).copied()
    }

    /// Standard error of the parameter called `name`.
    pub fn standard_error(&self, name: &str) -> Option<f64> {
        let i = self.parameter_names.iter().position(|n| n == name)?;
        self.standard_errors.as_ref()?.get(i).copied()
    }

    /// Akaike's information criterion `2k − 2ℓ`.
    pub fn aic(&self) -> f64 {
        2.0 * self.parameter_names.len() as f64 - 2.0 * self.log_likelihood
    }

    /// Bayesian information criterion `k ln W − 2ℓ`.
    pub fn bic(&self) -> f64 {
        self.parameter_names.len() as f64 * self.total_weight.ln() - 2.0 * self.log_likelihood
    }

    /// Estimates, standard errors and Wald intervals at `level` (e.g.
    /// 0.95), one row per parameter. Errors: a level outside `(0, 1)`.
    pub fn summary(&self, level: f64) -> Result<Vec<CovariateParameter>> {
        let bounds = match &self.standard_errors {
            Some(se) => Some(crate::models::wald_intervals(&self.estimates, se, level)?),
            None => {
                crate::models::wald_intervals(&[], &[], level)?;
                None
            }
        };
        Ok(self
            .parameter_names
            .iter()
            .enumerate()
            .map(|(i, name)| CovariateParameter {
                name: name.clone(),
                estimate: self.estimates[i],
                std_error: self.standard_errors.as_ref().map(|s| s[i]),
                lower: bounds.as_ref().map(|b| b[i].0),
                upper: bounds.as_ref().map(|b| b[i].1),
            })
            .collect())
    }
}

/// Per-customer predictions of a transaction model with covariates.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct CustomerPredictions {
    /// Probability that the customer is still alive at the end of
    /// observation.
    pub probability_alive: Vec<f64>,
    /// Conditional expected number of purchases in the next `horizon`.
    pub conditional_expected_purchases: Vec<f64>,
    /// The horizon used.
    pub horizon: f64,
}

/// Fits transaction model `M` with covariates: validates the data and
/// covariates ([`transaction_setup`]), takes the starting points of the
/// base parameters from `starts` (given the data and their mean age, the
/// time scale of the start values; 1 if that is not a positive number),
/// and runs the shared penalised fit.
pub(crate) fn fit_transaction_model<M: design::RowModel>(
    data: &crate::models::TransactionSummary<'_>,
    covariates: &TransactionCovariates<'_>,
    options: &CovariateOptions,
    starts: impl FnOnce(&crate::models::TransactionSummary<'_>, f64) -> Vec<Vec<f64>>,
) -> Result<CovariateFit> {
    let (rows, layout, n) = transaction_setup(data, covariates, M::BASE)?;
    let scale = data.age.iter().sum::<f64>() / n as f64;
    let scale = if scale.is_finite() && scale > 0.0 {
        scale
    } else {
        1.0
    };
    design::fit::<M>(
        &rows,
        layout,
        [covariates.reg_lambda_trans, covariates.reg_lambda_life],
        [names(covariates.trans), names(covariates.life)],
        n,
        starts(data, scale),
        options,
    )
}

/// Checks the covariates of a transaction model and builds its layout and
/// merged rows.
pub(crate) fn transaction_setup<'a>(
    data: &crate::models::TransactionSummary<'_>,
    cov: &TransactionCovariates<'a>,
    base: &[&str],
) -> Result<(design::Rows, design::Layout, usize)> {
    data.validate(false)?;
    let n = data.len();
    let trans = design::Process {
        prefix: "trans",
        field: "trans_covariates",
        columns: cov.trans,
        lambda: cov.reg_lambda_trans,
    };
    let life = design::Process {
        prefix: "life",
        field: "life_covariates",
        columns: cov.life,
        lambda: cov.reg_lambda_life,
    };
    design::check_process(&trans, n, "reg_lambda_trans")?;
    design::check_process(&life, n, "reg_lambda_life")?;
    let layout = design::Layout::new(base, &trans, &life, cov.constrained)?;
    let weights: Vec<f64> = (0..n).map(|i| data.weight(i)).collect();
    design::check_identifiable(
        &trans,
        &weights,
        "trans covariates (constant or collinear column)",
    )?;
    design::check_identifiable(
        &life,
        &weights,
        "life covariates (constant or collinear column)",
    )?;
    let obs: Vec<[f64; 3]> = (0..n)
        .map(|i| [data.frequency[i], data.recency[i], data.age[i]])
        .collect();
    let rows = design::Rows::new(&obs, &weights, cov.trans, cov.life);
    if rows.obs.is_empty() {
        return Err(Error::EmptyInput {
            what: "rows with positive weight",
        });
    }
    Ok((rows, layout, n))
}

/// The names of a process's columns.
pub(crate) fn names(columns: &[Covariate<'_>]) -> Vec<String> {
    columns.iter().map(|c| c.name.to_string()).collect()
}

/// A transaction model's base parameters as its parameter type, for the
/// per-customer parameters and predictions shared by the covariate models.
pub(crate) trait TransactionRowModel: design::RowModel {
    /// The plain model's parameters.
    type Params: crate::models::TransactionModel;
    /// The parameters from the base values in [`design::RowModel::BASE`] order.
    fn params(p: &[f64]) -> Result<Self::Params>;
}

/// Each customer's parameters under `M` from the fit and her covariates
/// (columns matched to the fit's by name; extra columns are ignored).
pub(crate) fn transaction_customer_params<M: TransactionRowModel>(
    fit: &CovariateFit,
    rows: usize,
    trans: &[Covariate<'_>],
    life: &[Covariate<'_>],
) -> Result<Vec<M::Params>> {
    design::customer_params::<M>(
        fit,
        rows,
        trans,
        life,
        ["trans_covariates", "life_covariates"],
    )?
    .iter()
    .map(|p| M::params(p))
    .collect()
}

/// `P(alive)` and the conditional expected purchases in the next `horizon`
/// for every customer of `data`, each at her own parameters under `M`.
pub(crate) fn transaction_predict<M: TransactionRowModel>(
    fit: &CovariateFit,
    data: &crate::models::TransactionSummary<'_>,
    trans: &[Covariate<'_>],
    life: &[Covariate<'_>],
    horizon: f64,
) -> Result<CustomerPredictions> {
    let horizon = crate::models::validate::check_horizon("horizon", horizon)?;
    data.validate(false)?;
    let params = transaction_customer_params::<M>(fit, data.len(), trans, life)?;
    predict_each(&params, data, horizon)
}

/// Predictions of every row of validated `data` with its own model.
pub(crate) fn predict_each<P: crate::models::TransactionModel>(
    params: &[P],
    data: &crate::models::TransactionSummary<'_>,
    horizon: f64,
) -> Result<CustomerPredictions> {
    let mut alive = Vec::with_capacity(params.len());
    let mut expected = Vec::with_capacity(params.len());
    let mut row = 0;
    crate::models::map_rows(data, false, |x, t_x, age| {
        let p = params.get(row).ok_or(Error::NonFiniteResult {
            what: "customer parameters",
            row: Some(row),
        })?;
        row += 1;
        alive.push(p.probability_alive(x, t_x, age)?);
        let e = p.conditional_expected_purchases(horizon, x, t_x, age)?;
        expected.push(e);
        Ok(e)
    })?;
    Ok(CustomerPredictions {
        probability_alive: alive,
        conditional_expected_purchases: expected,
        horizon,
    })
}

/// A starting point from the plain model `fit_plain`, fitted on all of
/// `data` or, above 40,000 rows, on a systematic subsample of about 10,000
/// (a start need not be exact, and the full fit would cost more than the
/// covariate fit it starts).
pub(crate) fn plain_start(
    data: &crate::models::TransactionSummary<'_>,
    fit_plain: impl Fn(&crate::models::TransactionSummary<'_>) -> Option<Vec<f64>>,
) -> Option<Vec<f64>> {
    let n = data.len();
    if n <= crate::models::fitting::SUBSAMPLE_ABOVE {
        return fit_plain(data);
    }
    let step = n.div_ceil(crate::models::fitting::SUBSAMPLE_ROWS);
    let pick = |col: &[f64]| -> Vec<f64> { col.iter().step_by(step).copied().collect() };
    let (x, t_x, age) = (pick(data.frequency), pick(data.recency), pick(data.age));
    let w: Vec<f64> = (0..n).step_by(step).map(|i| data.weight(i)).collect();
    fit_plain(&crate::models::TransactionSummary::new(&x, &t_x, &age).with_weights(&w))
}

/// Fits the transaction model `kind` (Pareto/NBD, BG/NBD or GGompertz/NBD)
/// with covariates: [`pareto_nbd::fit`], [`bgnbd::fit`] or [`ggomnbd::fit`]. Errors: those, and
/// `kind` = Gamma-Gamma, which is fitted by [`gamma_gamma::fit`].
pub fn fit_transaction(
    kind: CovariateModelKind,
    data: &crate::models::TransactionSummary<'_>,
    covariates: &TransactionCovariates<'_>,
    options: &CovariateOptions,
) -> Result<CovariateFit> {
    match kind {
        CovariateModelKind::ParetoNbd => pareto_nbd::fit(data, covariates, options),
        CovariateModelKind::BgNbd => bgnbd::fit(data, covariates, options),
        CovariateModelKind::GgomNbd => ggomnbd::fit(data, covariates, options),
        CovariateModelKind::GammaGamma => Err(not_transaction()),
    }
}

/// Per-customer predictions of a fitted transaction model with covariates
/// ([`pareto_nbd::predict`], [`bgnbd::predict`] or [`ggomnbd::predict`],
/// by `fit.model`).
pub fn predict_transaction(
    fit: &CovariateFit,
    data: &crate::models::TransactionSummary<'_>,
    trans: &[Covariate<'_>],
    life: &[Covariate<'_>],
    horizon: f64,
) -> Result<CustomerPredictions> {
    match fit.model {
        CovariateModelKind::ParetoNbd => pareto_nbd::predict(fit, data, trans, life, horizon),
        CovariateModelKind::BgNbd => bgnbd::predict(fit, data, trans, life, horizon),
        CovariateModelKind::GgomNbd => ggomnbd::predict(fit, data, trans, life, horizon),
        CovariateModelKind::GammaGamma => Err(not_transaction()),
    }
}

fn not_transaction() -> Error {
    Error::parameter(
        "model",
        CovariateModelKind::GammaGamma.as_str(),
        "not a transaction model: use gamma_gamma::fit",
    )
}

/// Everything a transaction-model fit with covariates takes besides the
/// data, by covariate name (for the doors that receive covariates as named
/// columns): which columns go to which process, the penalties, the
/// constraints, the optimiser settings and the level of the summary's
/// intervals.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(default, deny_unknown_fields))]
pub struct CovariateSettings {
    /// Names of the purchase-process covariates.
    pub trans: Vec<String>,
    /// Names of the attrition-process covariates.
    pub life: Vec<String>,
    /// L2 penalty on the purchase coefficients. Default 0.
    pub reg_lambda_trans: f64,
    /// L2 penalty on the attrition coefficients. Default 0.
    pub reg_lambda_life: f64,
    /// Covariates with one coefficient shared by both processes.
    pub constrained: Vec<String>,
    /// Confidence level of [`CovariateFit::summary`]. Default 0.95.
    pub level: f64,
    /// See [`CovariateOptions::tolerance`].
    pub tolerance: f64,
    /// See [`CovariateOptions::max_iterations`].
    pub max_iterations: usize,
}

impl Default for CovariateSettings {
    fn default() -> Self {
        let o = CovariateOptions::default();
        CovariateSettings {
            trans: Vec::new(),
            life: Vec::new(),
            reg_lambda_trans: 0.0,
            reg_lambda_life: 0.0,
            constrained: Vec::new(),
            level: 0.95,
            tolerance: o.tolerance,
            max_iterations: o.max_iterations,
        }
    }
}

/// [`fit_transaction`] with the covariates picked by name from `columns`
/// as `settings` says; returns the fit and its summary at
/// `settings.level`. Errors: those of [`fit_transaction`] and of
/// [`CovariateFit::summary`], and a name in `trans` or `life` that is not
/// among `columns` (an [`Error::InvalidParameter`] naming the field).
pub fn fit_transaction_columns(
    kind: CovariateModelKind,
    data: &crate::models::TransactionSummary<'_>,
    columns: &[Covariate<'_>],
    settings: &CovariateSettings,
) -> Result<(CovariateFit, Vec<CovariateParameter>)> {
    let fit: TransactionFitFn = match kind {
        CovariateModelKind::ParetoNbd => pareto_nbd::fit,
        CovariateModelKind::BgNbd => bgnbd::fit,
        CovariateModelKind::GgomNbd => ggomnbd::fit,
        CovariateModelKind::GammaGamma => return Err(not_transaction()),
    };
    fit_columns_with(fit, data, columns, settings)
}

/// The `fit` function of a transaction model with covariates.
pub type TransactionFitFn = fn(
    &crate::models::TransactionSummary<'_>,
    &TransactionCovariates<'_>,
    &CovariateOptions,
) -> Result<CovariateFit>;

/// [`fit_transaction_columns`] with the model's `fit` function given (a
/// door that offers one model links only that one).
pub fn fit_columns_with(
    fit: TransactionFitFn,
    data: &crate::models::TransactionSummary<'_>,
    columns: &[Covariate<'_>],
    settings: &CovariateSettings,
) -> Result<(CovariateFit, Vec<CovariateParameter>)> {
    let pick = |names: &[String], field: &'static str| -> Result<Vec<Covariate<'_>>> {
        names
            .iter()
            .map(|n| {
                columns
                    .iter()
                    .find(|c| c.name == n)
                    .copied()
                    .ok_or_else(|| Error::parameter(field, n, "no covariate column of that name"))
            })
            .collect()
    };
    let (trans, life) = (
        pick(&settings.trans, "trans")?,
        pick(&settings.life, "life")?,
    );
    let cov = TransactionCovariates {
        trans: &trans,
        life: &life,
        reg_lambda_trans: settings.reg_lambda_trans,
        reg_lambda_life: settings.reg_lambda_life,
        constrained: &settings.constrained,
    };
    let options = CovariateOptions {
        tolerance: settings.tolerance,
        max_iterations: settings.max_iterations,
    };
    let fit = fit(data, &cov, &options)?;
    let summary = fit.summary(settings.level)?;
    Ok((fit, summary))
}

impl crate::table::Table for [CovariateParameter] {
    fn columns(&self) -> Vec<(&'static str, crate::table::Column<'_>)> {
        use crate::table::Column;
        use std::borrow::Cow;
        let f = |g: fn(&CovariateParameter) -> f64| Cow::Owned(self.iter().map(g).collect());
        let o =
            |g: fn(&CovariateParameter) -> Option<f64>| Cow::Owned(self.iter().map(g).collect());
        vec![
            (
                "name",
                Column::Text(Cow::Owned(self.iter().map(|p| p.name.clone()).collect())),
            ),
            ("estimate", Column::F64(f(|p| p.estimate))),
            ("std_error", Column::OptF64(o(|p| p.std_error))),
            ("lower", Column::OptF64(o(|p| p.lower))),
            ("upper", Column::OptF64(o(|p| p.upper))),
        ]
    }
}

/// Test support shared by the transaction covariate models.
#[cfg(test)]
pub(crate) mod test_support {
    use super::*;
    use crate::models::optim::Objective;
    use crate::models::TransactionSummary;

    /// Checks the analytic gradient of `M`'s penalised objective (free,
    /// constrained and penalised coefficients) against central differences
    /// of its value at each of `thetas`, on a small data set with two
    /// covariates in both processes, the second constrained equal.
    pub(crate) fn assert_objective_gradient<M: TransactionRowModel>(thetas: &[Vec<f64>]) {
        let x = [0.0, 1.0, 5.0, 2.0, 40.0, 3.0, 0.0];
        let tx = [0.0, 3.0, 20.0, 30.0, 38.0, 38.0, 0.0];
        let age = [38.0, 30.0, 35.0, 38.0, 38.5, 38.0, 10.0];
        let z1 = [0.0, 1.0, 1.0, 0.0, 1.0, 0.0, 1.0];
        let z2 = [0.3, -1.2, 0.5, 2.0, 0.1, -0.4, 0.9];
        let cols = [Covariate::new("a", &z1), Covariate::new("b", &z2)];
        let constrained = ["b".to_string()];
        let data = TransactionSummary::new(&x, &tx, &age);
        let cov = TransactionCovariates {
            trans: &cols,
            life: &cols,
            reg_lambda_trans: 0.3,
            reg_lambda_life: 0.1,
            constrained: &constrained,
        };
        let (rows, layout, _) = transaction_setup(&data, &cov, M::BASE).unwrap();
        let obj = design::CovObjective::<M> {
            rows: &rows,
            layout: &layout,
            lambdas: [0.3, 0.1],
            total_weight: 7.0,
            _model: std::marker::PhantomData,
        };
        for theta in thetas {
            let mut g = vec![0.0; theta.len()];
            obj.value_and_gradient(theta, &mut g);
            for j in 0..theta.len() {
                let h = 1e-6;
                let mut up = theta.clone();
                up[j] += h;
                let mut down = theta.clone();
                down[j] -= h;
                let fd = (obj.value(&up) - obj.value(&down)) / (2.0 * h);
                assert!(
                    (fd - g[j]).abs() < 1e-6 * fd.abs().max(1.0),
                    "{j}: {fd} vs {}",
                    g[j]
                );
            }
        }
    }
}
