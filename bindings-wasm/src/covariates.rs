//! Pareto/NBD and BG/NBD with time-invariant covariates (the core's
//! `models::covariates`): one export that fits from columns and returns the
//! parameter summary as a core table.

use retention_core::models::covariates::{
    fit_columns_with, pareto_nbd, Covariate, CovariateModelKind, CovariateSettings,
};
use retention_core::models::TransactionSummary;
use wasm_bindgen::prelude::*;

use crate::convert::options;
use crate::error::{invalid_input, JsResult, OrThrow};
use crate::table::table_with;

/// Fits Pareto/NBD with covariates (`kind` a `covariate_model` code; only
/// `pareto_nbd` is offered here) on frequency / recency / `T` columns.
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
    if kind != CovariateModelKind::ParetoNbd {
        // One model keeps the module small (each costs ~10 KB gzipped);
        // BG/NBD and Gamma-Gamma with covariates are in the Python package.
        return Err(invalid_input(
            "kind",
            format!("{kind} with covariates is not in the npm package (only pareto_nbd)"),
        ));
    }
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
    let (fit, summary) =
        fit_columns_with(pareto_nbd::fit, &data, &columns, &settings).or_throw()?;
    table_with(
        summary.as_slice(),
        &[
            ("log_likelihood", JsValue::from_f64(fit.log_likelihood)),
            ("aic", JsValue::from_f64(fit.aic())),
            ("bic", JsValue::from_f64(fit.bic())),
        ],
    )
}
