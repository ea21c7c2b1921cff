//! Pareto/NBD, BG/NBD and GGompertz/NBD with time-invariant covariates
//! (the core's `models::covariates`, CLVTools' parameterisation; the
//! formulas are in that module's documentation): one export that fits from
//! columns and returns the parameter summary as a core table.

use retention_core::models::covariates::{
    fit_transaction_columns, Covariate, CovariateModelKind, CovariateSettings,
};
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
    let n = frequency.len();
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
    let columns: Vec<Covariate<'_>> = names
        .iter()
        .enumerate()
        .map(|(k, name)| Covariate::new(name, &values[k * n..(k + 1) * n]))
        .collect();
    let mut data = TransactionSummary::new(&frequency, &recency, &age);
    if let Some(w) = weights.as_deref() {
        data = data.with_weights(w);
    }
    let (fit, summary) = fit_transaction_columns(kind, &data, &columns, &settings).or_throw()?;
    table_with(
        summary.as_slice(),
        &[
            ("log_likelihood", JsValue::from_f64(fit.log_likelihood)),
            ("aic", JsValue::from_f64(fit.aic())),
            ("bic", JsValue::from_f64(fit.bic())),
        ],
    )
}
