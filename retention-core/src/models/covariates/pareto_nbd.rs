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
//!
//! The fit evaluates the hypergeometric part by its series only: a point
//! where some customer has `max(αᵢ, βᵢ) > 200 (min(αᵢ, βᵢ) + tₓ)` (series
//! variable `z > 0.995`, where the plain model falls back to adaptive
//! quadrature, thousands of times slower) is treated as inadmissible and the
//! optimiser backs away from it. Such ratios are far from the usual
//! estimates (CDNOW in weeks: `α ≈ 10.6`, `β ≈ 11.7`; apparel: 93 and 50);
//! on data whose plain fit degenerates towards them (tiny samples where
//! `r, α → ∞`, or no visible dropout, where `s, β → ∞`) the fit ends in
//! [`Error::FitNotConverged`](crate::Error::FitNotConverged) rather than in
//! a search of minutes.

use super::design::RowModel;
use super::plain_start;
use super::{
    Covariate, CovariateFit, CovariateModelKind, CovariateOptions, CustomerPredictions,
    TransactionCovariates,
};
use crate::models::pareto_nbd::{self as plain, ParetoNbdParams};
use crate::models::{FitOptions, TransactionSummary};
use crate::Result;

struct Model;

/// Largest `z = (m − k)/(m + tₓ)` at which a row is evaluated (that of the
/// plain model's series, beyond which it integrates numerically).
const SERIES_MAX_Z: f64 = 0.995;

impl RowModel for Model {
    const KIND: CovariateModelKind = CovariateModelKind::ParetoNbd;
    const BASE: &'static [&'static str] = &["r", "alpha", "s", "beta"];
    const FIRST_SHIFT: &'static [(usize, f64)] = &[(1, -1.0)];
    const SECOND_SHIFT: &'static [(usize, f64)] = &[(3, -1.0)];

    fn row(p: &[f64], obs: &[f64; 3], dlog: &mut [f64]) -> Option<f64> {
        let &[r, alpha, s, beta] = p else { return None };
        let (m, k) = (alpha.max(beta), alpha.min(beta));
        if obs[1] < obs[2] && (m - k) / (m + obs[1]) > SERIES_MAX_Z {
            // Outside the series' domain (see the module docs).
            return None;
        }
        let params = ParetoNbdParams { r, alpha, s, beta };
        let (ll, g) = plain::row_log_likelihood_gradient(&params, obs[0], obs[1], obs[2])?;
        for (j, out) in dlog.iter_mut().enumerate() {
            *out = g[j] * p[j];
        }
        Some(ll)
    }
}

impl super::TransactionRowModel for Model {
    type Params = ParetoNbdParams;
    fn params(p: &[f64]) -> Result<ParetoNbdParams> {
        ParetoNbdParams::new(p[0], p[1], p[2], p[3])
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
    super::fit_transaction_model::<Model>(data, covariates, options, |data, scale| {
        let mut starts = Vec::new();
        starts.extend(plain_start(data, |d| {
            let f = plain::fit(d, &FitOptions::default()).ok()?;
            Some(vec![f.params.r, f.params.alpha, f.params.s, f.params.beta])
        }));
        starts.push(vec![1.0, 1.0, 1.0, 1.0]);
        starts.push(vec![0.5, 0.25 * scale, 0.5, 0.25 * scale]);
        starts
    })
}

/// Each customer's `(r, αᵢ, s, βᵢ)` from the fit and her covariates (columns
/// matched to the fit's by name; extra columns are ignored).
pub fn customer_params(
    fit: &CovariateFit,
    rows: usize,
    trans: &[Covariate<'_>],
    life: &[Covariate<'_>],
) -> Result<Vec<ParetoNbdParams>> {
    super::transaction_customer_params::<Model>(fit, rows, trans, life)
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
    super::transaction_predict::<Model>(fit, data, trans, life, horizon)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::models::covariates::test_support::assert_objective_gradient;

    /// The analytic gradient of the penalised objective (free, constrained
    /// and penalised coefficients) against central differences of its value.
    #[test]
    fn objective_gradient_matches_finite_differences() {
        assert_objective_gradient::<Model>(&[
            vec![-0.5, 2.3, -0.4, 2.4, 0.3, -0.2, 0.5],
            vec![0.2, 0.1, 0.3, 3.0, -1.0, 0.7, -0.3],
        ]);
    }
}
