//! Buy-till-you-die models with time-invariant covariates (the core's
//! `models::covariates`, CLVTools' parameterisation; the formulas are in
//! that module's documentation): Pareto/NBD, BG/NBD and GGompertz/NBD
//! (covariates in the purchase and attrition processes) and Gamma-Gamma
//! (covariates in the spend process). Each export fits from columns and
//! returns the parameter summary as a core table.

use retention_core::models::covariates::gamma_gamma::{self, SpendCovariates};
use retention_core::models::covariates::{
    fit_transaction_columns, Covariate, CovariateModelKind, CovariateOptions, CovariateSettings,
};
use retention_core::models::gamma_gamma::MonetarySummary;
use retention_core::models::TransactionSummary;
use wasm_bindgen::prelude::*;

use crate::convert::options;
use crate::error::{invalid_input, JsResult, OrThrow};
use crate::table::table_with;

/// Fits a transaction model with covariates (`kind` a `covariate_model`
/// code: `pareto_nbd`, `bg_nbd` or `ggom_nbd`; `gamma_gamma` is the core's
/// typed error) on frequency / recency / `T` columns.
///
/// The covariate columns are `names[k]` with values
/// `values[k·n .. (k+1)·n]` (`n` customers); the settings (the core's
/// `CovariateSettings`, JSON) say which names go to the `trans` and `life`
/// processes, the penalties, constrained names, optimiser settings and the
/// confidence level. Returns the summary table (`name`, `estimate`,
/// `std_error`, `lower`, `upper`) with `log_likelihood`, `aic` and `bic`
/// beside it.
#[wasm_bindgen(js_name = fitCovariateModel)]
#[allow(clippy::too_many_arguments)]
pub fn fit_covariate_model(
    kind: &str,
    frequency: Vec<f64>,
    recency: Vec<f64>,
    age: Vec<f64>,
    names: Vec<String>,
    values: Vec<f64>,
    weights: Option<Vec<f64>>,
    opts: Option<String>,
) -> JsResult<JsValue> {
    let kind: CovariateModelKind = kind.parse().or_throw()?;
    let settings: CovariateSettings = options(opts, "options")?;
    let columns = covariates(&names, &values, frequency.len())?;
    let mut data = TransactionSummary::new(&frequency, &recency, &age);
    if let Some(w) = weights.as_deref() {
        data = data.with_weights(w);
    }
    let (fit, summary) = fit_transaction_columns(kind, &data, &columns, &settings).or_throw()?;
    summary_table(&fit, &summary)
}

/// The covariate columns `names[k]` with values `values[k·n .. (k+1)·n]`.
fn covariates<'a>(
    names: &'a [String],
    values: &'a [f64],
    n: usize,
) -> JsResult<Vec<Covariate<'a>>> {
    if values.len() != names.len() * n {
        return Err(invalid_input(
            "values",
            format!(
                "expected {} values ({} columns of {n})",
                names.len() * n,
                names.len()
            ),
        ));
    }
    Ok(names
        .iter()
        .enumerate()
        .map(|(k, name)| Covariate::new(name, &values[k * n..(k + 1) * n]))
        .collect())
}

/// The summary table with the fit's log-likelihood, AIC and BIC beside it.
fn summary_table(
    fit: &retention_core::models::covariates::CovariateFit,
    summary: &[retention_core::models::covariates::CovariateParameter],
) -> JsResult<JsValue> {
    table_with(
        summary,
        &[
            ("log_likelihood", JsValue::from_f64(fit.log_likelihood)),
            ("aic", JsValue::from_f64(fit.aic())),
            ("bic", JsValue::from_f64(fit.bic())),
        ],
    )
}

/// Options of [`fit_gamma_gamma_covariates`]: the spend covariates' names,
/// their L2 penalty, the summary's confidence level and the optimiser
/// settings; what is left out takes the core's defaults
/// (`SpendCovariates`, `CovariateSettings::level`, `CovariateOptions`).
#[derive(serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
struct SpendSettings {
    spend: Vec<String>,
    reg_lambda: f64,
    level: f64,
    tolerance: f64,
    max_iterations: usize,
}

impl Default for SpendSettings {
    fn default() -> Self {
        let o = CovariateOptions::default();
        SpendSettings {
            spend: Vec::new(),
            reg_lambda: SpendCovariates::default().reg_lambda,
            level: CovariateSettings::default().level,
            tolerance: o.tolerance,
            max_iterations: o.max_iterations,
        }
    }
}

/// Fits Gamma-Gamma with covariates in the spend process (the core's
/// `covariates::gamma_gamma::fit`: `γᵢ = γ·exp(γ_spend·zᵢ)`) on frequency
/// and mean repeat spend columns; rows without repeat purchases are
/// skipped by the fit.
///
/// The covariate columns cross as in [`fit_covariate_model`]; the options
/// (JSON) name the `spend` columns and set `reg_lambda`, `level`,
/// `tolerance` and `max_iterations`. Returns the summary table (`p`, `q`,
/// `gamma`, `spend.<name>`) with `log_likelihood`, `aic` and `bic`.
#[wasm_bindgen(js_name = fitGammaGammaCovariates)]
pub fn fit_gamma_gamma_covariates(
    frequency: Vec<f64>,
    monetary_value: Vec<f64>,
    names: Vec<String>,
    values: Vec<f64>,
    weights: Option<Vec<f64>>,
    opts: Option<String>,
) -> JsResult<JsValue> {
    let settings: SpendSettings = options(opts, "options")?;
    let columns = covariates(&names, &values, frequency.len())?;
    let spend: Vec<Covariate<'_>> = settings
        .spend
        .iter()
        .map(|n| {
            columns
                .iter()
                .find(|c| c.name == n)
                .copied()
                .ok_or_else(|| invalid_input(n, "no covariate column of that name"))
        })
        .collect::<JsResult<_>>()?;
    let data = MonetarySummary {
        weights: weights.as_deref(),
        ..MonetarySummary::new(&frequency, &monetary_value)
    };
    let cov = SpendCovariates {
        spend: &spend,
        reg_lambda: settings.reg_lambda,
    };
    let opts = CovariateOptions {
        tolerance: settings.tolerance,
        max_iterations: settings.max_iterations,
    };
    let fit = gamma_gamma::fit(&data, &cov, &opts).or_throw()?;
    let summary = fit.summary(settings.level).or_throw()?;
    summary_table(&fit, &summary)
}
