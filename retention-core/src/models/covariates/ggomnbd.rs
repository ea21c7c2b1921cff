//! GGompertz/NBD with time-invariant covariates, parameterised as CLVTools
//! does (`src/ggomnbd_staticcov_LL_ind.cpp`, which builds
//! `αᵢ = α₀·exp(−γ_trans·zᵢ)` and `βᵢ = β₀·exp(−γ_life·wᵢ)` and hands them
//! to the plain per-customer likelihood): `r`, `b` and `s` are common to
//! everyone (see the [parent module](super) for the penalty, constraints and
//! standard errors).
//!
//! # Likelihood and predictions
//!
//! Customer `i`'s likelihood is the GGompertz/NBD one of
//! [`crate::models::ggomnbd`] (Bemmaor & Glady 2012, eq. 6, its integral by
//! adaptive Gauss–Kronrod quadrature) at `(r, αᵢ, b, s, βᵢ)`, with the
//! gradient of that module in `(r, α, b, s, β)`; the chain rule through
//! `ln αᵢ = ln α − γ_trans·zᵢ`, `ln βᵢ = ln β − γ_life·wᵢ` is the shared
//! driver's. `P(alive)` and the conditional expected number of purchases are
//! the plain model's at each customer's parameters.
//!
//! Since `η ~ Gamma(s, βᵢ)` scales the Gompertz hazard `η b e^{bt}`, a
//! positive life coefficient shortens lifetimes, as in Pareto/NBD with
//! covariates, which this model approaches as `b → 0` with `βᵢ/b` fixed.
//! On data without visible ageing the estimate drifts along that ridge
//! (`b`, `β` small, only `β/b` identified), as the plain fit does; the
//! standard errors are then `None`.
//!
//! # References
//!
//! * Bemmaor, A. C. & Glady, N. (2012). Modeling purchasing behavior with
//!   sudden "death": a flexible customer lifetime model. *Management
//!   Science* 58(5), 1012–1021.
//! * Meierer, P., Bachmann, P., Haubner, J. & Kollmann, M. CLVTools (R
//!   package), `ggomnbd` with static covariates.

use super::design::RowModel;
use super::{
    plain_start, Covariate, CovariateFit, CovariateModelKind, CovariateOptions,
    CustomerPredictions, TransactionCovariates,
};
use crate::models::ggomnbd::{self as plain, likelihood, GgomNbdParams};
use crate::models::{pareto_nbd, FitOptions, TransactionSummary};
use crate::Result;

struct Model;

impl RowModel for Model {
    const KIND: CovariateModelKind = CovariateModelKind::GgomNbd;
    const BASE: &'static [&'static str] = &["r", "alpha", "b", "s", "beta"];
    const FIRST_SHIFT: &'static [(usize, f64)] = &[(1, -1.0)];
    const SECOND_SHIFT: &'static [(usize, f64)] = &[(4, -1.0)];

    fn row(p: &[f64], obs: &[f64; 3], dlog: &mut [f64]) -> Option<f64> {
        let &[r, alpha, b, s, beta] = p else {
            return None;
        };
        let params = GgomNbdParams {
            r,
            alpha,
            b,
            s,
            beta,
        };
        let (ll, g) = likelihood::ln_row_likelihood_gradient(&params, obs[0], obs[1], obs[2])?;
        for (j, out) in dlog.iter_mut().enumerate() {
            *out = g[j] * p[j];
        }
        ll.is_finite().then_some(ll)
    }
}

impl super::TransactionRowModel for Model {
    type Params = GgomNbdParams;
    fn params(p: &[f64]) -> Result<GgomNbdParams> {
        GgomNbdParams::new(p[0], p[1], p[2], p[3], p[4])
    }
}

/// Fits GGompertz/NBD with covariates by (penalised) maximum likelihood.
///
/// Starts: the plain GGompertz/NBD fit, and a point near the Pareto/NBD
/// limit built from the plain Pareto/NBD fit (`b = 10⁻³/T̄`,
/// `β = b·β_P`), both with coefficients 0, so that data without ageing
/// reach at least the Pareto/NBD-with-covariates likelihood.
///
/// Errors: those of the plain model's input checks, the covariate checks of
/// the [parent module](super), and
/// [`Error::FitNotConverged`](crate::Error::FitNotConverged).
pub fn fit(
    data: &TransactionSummary<'_>,
    covariates: &TransactionCovariates<'_>,
    options: &CovariateOptions,
) -> Result<CovariateFit> {
    super::fit_transaction_model::<Model>(data, covariates, options, |data, scale| {
        let mut starts = Vec::new();
        starts.extend(plain_start(data, |d| {
            let f = plain::fit(d, &FitOptions::default()).ok()?;
            let p = f.params;
            Some(vec![p.r, p.alpha, p.b, p.s, p.beta])
        }));
        starts.extend(plain_start(data, |d| {
            let p = pareto_nbd::fit(d, &FitOptions::default()).ok()?.params;
            let b = 1e-3 / scale;
            Some(vec![p.r, p.alpha, b, p.s, b * p.beta])
        }));
        starts.push(vec![0.5, 0.25 * scale, 1.0 / scale, 0.5, 1.0]);
        starts
    })
}

/// Each customer's `(r, αᵢ, b, s, βᵢ)` from the fit and her covariates
/// (columns matched to the fit's by name; extra columns are ignored).
pub fn customer_params(
    fit: &CovariateFit,
    rows: usize,
    trans: &[Covariate<'_>],
    life: &[Covariate<'_>],
) -> Result<Vec<GgomNbdParams>> {
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
            vec![-0.5, 2.3, -3.0, -0.4, 0.4, 0.3, -0.2, 0.5],
            vec![0.2, 0.1, -2.0, 0.3, -1.0, -1.0, 0.7, -0.3],
        ]);
    }
}
