//! Pareto/NBD with time-invariant covariates: `αᵢ = α·exp(−γ_trans·zᵢ)`,
//! `βᵢ = β·exp(−γ_life·wᵢ)`, `r` and `s` common (see the [parent
//! module](super) for the parameterisation, penalty, constraints and
//! standard errors).
//!
//! Customer `i`'s likelihood is the Pareto/NBD likelihood of
//! [`crate::models::pareto_nbd`] at `(r, αᵢ, s, βᵢ)` (Fader & Hardie 2005,
//! eq. 19, with the hypergeometric part as a series), and so are her
//! predictions: `P(alive)` (eq. 18) and the conditional expected number of
//! purchases (eq. 22) at her own `αᵢ`, `βᵢ`.

use super::design::{self, RowModel};
use super::predict_each;
use super::{
    names, transaction_setup, Covariate, CovariateFit, CovariateModelKind, CovariateOptions,
    CustomerPredictions, TransactionCovariates,
};
use crate::models::pareto_nbd::{self as plain, ParetoNbdParams};
use crate::models::validate::check_horizon;
use crate::models::{FitOptions, TransactionSummary};
use crate::Result;

struct Model;

impl RowModel for Model {
    const KIND: CovariateModelKind = CovariateModelKind::ParetoNbd;
    const BASE: &'static [&'static str] = &["r", "alpha", "s", "beta"];
    const FIRST_SHIFT: &'static [(usize, f64)] = &[(1, -1.0)];
    const SECOND_SHIFT: &'static [(usize, f64)] = &[(3, -1.0)];

    fn row(p: &[f64], obs: &[f64; 3], dlog: &mut [f64]) -> Option<f64> {
        let &[r, alpha, s, beta] = p else { return None };
        let params = ParetoNbdParams { r, alpha, s, beta };
        let (ll, g) = plain::row_log_likelihood_gradient(&params, obs[0], obs[1], obs[2])?;
        for (j, out) in dlog.iter_mut().enumerate() {
            *out = g[j] * p[j];
        }
        Some(ll)
    }
}

/// Fits Pareto/NBD with covariates by (penalised) maximum likelihood.
///
/// Errors: those of the plain model's input checks, the covariate checks of
/// the [parent module](super), and [`Error::FitNotConverged`](crate::Error::FitNotConverged).
pub fn fit(
    data: &TransactionSummary<'_>,
    covariates: &TransactionCovariates<'_>,
    options: &CovariateOptions,
) -> Result<CovariateFit> {
    let (rows, layout, n) = transaction_setup(data, covariates, Model::BASE)?;
    let mut starts = Vec::new();
    if let Ok(f) = plain::fit(data, &FitOptions::default()) {
        starts.push(vec![f.params.r, f.params.alpha, f.params.s, f.params.beta]);
    }
    let scale = data.age.iter().sum::<f64>() / n as f64;
    let scale = if scale.is_finite() && scale > 0.0 {
        scale
    } else {
        1.0
    };
    starts.push(vec![1.0, 1.0, 1.0, 1.0]);
    starts.push(vec![0.5, 0.25 * scale, 0.5, 0.25 * scale]);
    design::fit::<Model>(
        &rows,
        layout,
        [covariates.reg_lambda_trans, covariates.reg_lambda_life],
        [names(covariates.trans), names(covariates.life)],
        n,
        starts,
        options,
    )
}

/// Each customer's `(r, αᵢ, s, βᵢ)` from the fit and her covariates (columns
/// matched to the fit's by name; extra columns are ignored).
pub fn customer_params(
    fit: &CovariateFit,
    rows: usize,
    trans: &[Covariate<'_>],
    life: &[Covariate<'_>],
) -> Result<Vec<ParetoNbdParams>> {
    design::customer_params::<Model>(
        fit,
        rows,
        trans,
        life,
        ["trans_covariates", "life_covariates"],
    )?
    .into_iter()
    .map(|p| ParetoNbdParams::new(p[0], p[1], p[2], p[3]))
    .collect()
}

/// `P(alive)` and the conditional expected number of purchases in the next
/// `horizon` for every customer of `data`, each at her own parameters.
pub fn predict(
    fit: &CovariateFit,
    data: &TransactionSummary<'_>,
    trans: &[Covariate<'_>],
    life: &[Covariate<'_>],
    horizon: f64,
) -> Result<CustomerPredictions> {
    let horizon = check_horizon("horizon", horizon)?;
    data.validate(false)?;
    let params = customer_params(fit, data.len(), trans, life)?;
    predict_each(&params, data, horizon)
}
