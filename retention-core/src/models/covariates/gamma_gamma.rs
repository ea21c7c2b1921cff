//! Gamma-Gamma with time-invariant covariates in the spend process.
//!
//! # Parameterisation
//!
//! Transaction values of customer `i` are i.i.d. `Gamma(p, νᵢ)` and
//! `νᵢ ~ Gamma(q, γᵢ)` (Fader & Hardie 2013) with
//!
//! ```text
//! γᵢ = γ · exp(γ_spend · zᵢ),        p, q common.
//! ```
//!
//! No reference implementation has covariates here; this choice is ours.
//! Reasons: the population mean spend per transaction is `E[M | zᵢ] =
//! p γᵢ/(q − 1) = pγ/(q−1) · exp(γ_spend·zᵢ)`, so a coefficient is the
//! log of a multiplicative effect on expected spend, the familiar reading
//! of a log-linear regression, and `exp(γ_spend)` is a spend ratio. `γ` is
//! a pure scale parameter (spend in another currency multiplies it), so
//! covariates acting on it change the level of spend but leave its shape —
//! the coefficient of variation of a transaction (`1/√p`) and the
//! heterogeneity of `ν` (`q`) — common, exactly as the transaction models
//! above let covariates act on the scale parameters `α`, `β`. At
//! covariates zero it is the plain model.
//!
//! # Likelihood and prediction
//!
//! Customer `i`'s likelihood is that of [`crate::models::gamma_gamma`] at
//! `(p, q, γᵢ)` (Fader & Hardie 2013, eq. 3); customers with `x = 0` carry
//! no information and are skipped, as in the plain fit. The conditional
//! expected average spend is eq. 5 at `γᵢ`:
//! `E[M | x, m̄ₓ, zᵢ] = p(γᵢ + x m̄ₓ)/(px + q − 1)`.

use super::design::{self, RowModel};
use super::{names, Covariate, CovariateFit, CovariateModelKind, CovariateOptions};
use crate::error::Issues;
use crate::models::gamma_gamma::{
    self as plain, check_monetary, GammaGammaParams, MonetarySummary,
};
use crate::models::validate::check_columns;
use crate::models::FitOptions;
use crate::special::{digamma, ln_gamma};
use crate::{Error, Result};

/// The spend covariates of a Gamma-Gamma fit.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct SpendCovariates<'a> {
    /// Covariates of the spend process (coefficients `spend.<name>`).
    pub spend: &'a [Covariate<'a>],
    /// L2 penalty `λ ≥ 0` on their coefficients.
    pub reg_lambda: f64,
}

struct Model;

impl RowModel for Model {
    const KIND: CovariateModelKind = CovariateModelKind::GammaGamma;
    const BASE: &'static [&'static str] = &["p", "q", "gamma"];
    const FIRST_SHIFT: &'static [(usize, f64)] = &[(2, 1.0)];
    const SECOND_SHIFT: &'static [(usize, f64)] = &[];

    fn row(params: &[f64], obs: &[f64; 3], dlog: &mut [f64]) -> Option<f64> {
        let &[p, q, gamma] = params else { return None };
        let [x, m, _] = *obs;
        let px = p * x;
        let (ln_m, ln_x, ln_den) = (m.ln(), x.ln(), (gamma + x * m).ln());
        let ll = ln_gamma(px + q) - ln_gamma(px) - ln_gamma(q)
            + q * gamma.ln()
            + (px - 1.0) * ln_m
            + px * ln_x
            - (px + q) * ln_den;
        let psi = digamma(px + q);
        let g = [
            px * (psi - digamma(px) + ln_m + ln_x - ln_den),
            q * (psi - digamma(q) + gamma.ln() - ln_den),
            q - (px + q) * gamma / (gamma + x * m),
        ];
        dlog.copy_from_slice(&g);
        (ll.is_finite() && g.iter().all(|v| v.is_finite())).then_some(ll)
    }
}

/// Validates the monetary columns; returns the row weights (0 for rows
/// without repeat transactions).
fn weights(data: &MonetarySummary<'_>) -> Result<Vec<f64>> {
    let n = data.frequency.len();
    check_columns(
        n,
        &[
            ("monetary_value", data.monetary_value.len()),
            ("weights", data.weights.map_or(n, <[f64]>::len)),
        ],
    )?;
    let mut issues = Issues::default();
    let mut out = Vec::with_capacity(n);
    for (i, (&x, &m)) in data.frequency.iter().zip(data.monetary_value).enumerate() {
        let w = data.weights.and_then(|w| w.get(i).copied()).unwrap_or(1.0);
        let mut ok = check_monetary(&mut issues, i, x, m);
        ok &= crate::error::check_non_negative(&mut issues, i, "weights", w);
        out.push(if ok && x > 0.0 { w } else { 0.0 });
    }
    issues.finish()?;
    if !out.iter().any(|w| *w > 0.0) {
        return Err(Error::EmptyInput {
            what: "repeat buyers (rows with frequency ≥ 1 and positive weight)",
        });
    }
    Ok(out)
}

/// Fits Gamma-Gamma with spend covariates by (penalised) maximum
/// likelihood on the repeat buyers of `data`.
///
/// Errors: those of [`crate::models::gamma_gamma::fit`]'s input checks,
/// the covariate checks of the [parent module](super), and
/// [`Error::FitNotConverged`].
pub fn fit(
    data: &MonetarySummary<'_>,
    covariates: &SpendCovariates<'_>,
    options: &CovariateOptions,
) -> Result<CovariateFit> {
    let w = weights(data)?;
    let n = w.len();
    let spend = design::Process {
        prefix: "spend",
        field: "spend_covariates",
        columns: covariates.spend,
        lambda: covariates.reg_lambda,
    };
    let none = design::Process {
        prefix: "life",
        field: "life_covariates",
        columns: &[],
        lambda: 0.0,
    };
    design::check_process(&spend, n, "reg_lambda")?;
    let layout = design::Layout::new(Model::BASE, &spend, &none, &[])?;
    design::check_identifiable(
        &spend,
        &w,
        "spend covariates (constant or collinear column)",
    )?;
    let obs: Vec<[f64; 3]> = (0..n)
        .map(|i| [data.frequency[i], data.monetary_value[i], 0.0])
        .collect();
    let rows = design::Rows::new(&obs, &w, covariates.spend, &[]);
    let mut starts = Vec::new();
    if let Ok(f) = plain::fit(data, &FitOptions::default()) {
        starts.push(vec![f.params.p, f.params.q, f.params.gamma]);
    }
    let total: f64 = w.iter().sum();
    let mean_m = (0..n).map(|i| w[i] * data.monetary_value[i]).sum::<f64>() / total;
    let m = if mean_m.is_finite() && mean_m > 0.0 {
        mean_m
    } else {
        1.0
    };
    starts.push(vec![1.0, 1.0, 1.0]);
    starts.push(vec![2.0, 2.0, m]);
    starts.push(vec![5.0, 3.0, 0.5 * m]);
    design::fit::<Model>(
        &rows,
        layout,
        [covariates.reg_lambda, 0.0],
        [names(covariates.spend), Vec::new()],
        n,
        starts,
        options,
    )
}

/// Each customer's `(p, q, γᵢ)` from the fit and her spend covariates
/// (matched to the fit's by name).
pub fn customer_params(
    fit: &CovariateFit,
    rows: usize,
    spend: &[Covariate<'_>],
) -> Result<Vec<GammaGammaParams>> {
    design::customer_params::<Model>(
        fit,
        rows,
        spend,
        &[],
        ["spend_covariates", "life_covariates"],
    )?
    .into_iter()
    .map(|p| GammaGammaParams::new(p[0], p[1], p[2]))
    .collect()
}

/// Conditional expected average spend per transaction of every customer,
/// at her own `γᵢ` (module docs). Errors: invalid monetary rows (all
/// reported at once), covariates as for [`customer_params`], and `q ≤ 1`.
pub fn conditional_expected_average_spend(
    fit: &CovariateFit,
    frequency: &[f64],
    monetary_value: &[f64],
    spend: &[Covariate<'_>],
) -> Result<Vec<f64>> {
    crate::error::check_len("monetary_value", frequency.len(), monetary_value.len())?;
    let mut issues = Issues::default();
    for (row, (&x, &m)) in frequency.iter().zip(monetary_value).enumerate() {
        check_monetary(&mut issues, row, x, m);
    }
    issues.finish()?;
    let params = customer_params(fit, frequency.len(), spend)?;
    params
        .iter()
        .zip(frequency.iter().zip(monetary_value))
        .enumerate()
        .map(|(row, (p, (&x, &m)))| {
            p.conditional_expected_average_spend(x, m)
                .map_err(|e| match e {
                    Error::NonFiniteResult { what, .. } => Error::NonFiniteResult {
                        what,
                        row: Some(row),
                    },
                    other => other,
                })
        })
        .collect()
}
