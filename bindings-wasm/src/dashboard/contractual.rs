//! Contractual retention models (the core's `models::contractual`: sBG and
//! BdW on cohorts' survivor counts; the formulas are in that module's
//! documentation): the fits, every prediction of a fitted model over a
//! horizon, and the predictive cohort matrix (immature cells projected with
//! intervals) for the merchant dashboard.
//!
//! Survivor counts cross as one flat column of numbers with the length of
//! each cohort's sequence (`lengths`), in cohort order.

use retention_core::models::contractual::matrix::SurvivorOptions;
use retention_core::models::contractual::{
    self as core, CohortPooling, CohortSurvivors, ContractualModelKind, ContractualParams,
    MatrixOptions, PredictionOptions,
};
use retention_core::models::FitOptions;
use retention_core::time::from_micros;
use wasm_bindgen::prelude::*;

use crate::convert::{from_json, micros, options, to_js};
use crate::error::{invalid_input, JsResult, OrThrow};
use crate::log::EventLog;

/// The cohorts of `counts` split by `lengths`, validated by the core.
fn survivors(
    lengths: &[u32],
    counts: &[f64],
    labels: Option<Vec<String>>,
) -> JsResult<CohortSurvivors> {
    let total: usize = lengths.iter().map(|&n| n as usize).sum();
    if total != counts.len() {
        return Err(invalid_input(
            "counts",
            format!(
                "expected {total} values (the sum of lengths), got {}",
                counts.len()
            ),
        ));
    }
    let mut rest = counts;
    let cohorts: Vec<Vec<f64>> = lengths
        .iter()
        .map(|&n| {
            let (head, tail) = rest.split_at(n as usize);
            rest = tail;
            head.to_vec()
        })
        .collect();
    CohortSurvivors::from_f64(labels, &cohorts).or_throw()
}

/// Fits the sBG or BdW (`model` a `contractual_model` code; `pooling` a
/// `cohort_pooling` code; both default to the core's) with the core's
/// `FitOptions` (JSON): an array of fits, one when pooled.
#[wasm_bindgen(js_name = fitContractual)]
pub fn fit_contractual(
    lengths: Vec<u32>,
    counts: Vec<f64>,
    labels: Option<Vec<String>>,
    model: Option<String>,
    pooling: Option<String>,
    opts: Option<String>,
) -> JsResult<JsValue> {
    let data = survivors(&lengths, &counts, labels)?;
    let model = model
        .map_or(Ok(ContractualModelKind::default()), |m| m.parse())
        .or_throw()?;
    let pooling = pooling
        .map_or(Ok(CohortPooling::default()), |p| p.parse())
        .or_throw()?;
    let options: FitOptions = options(opts, "options")?;
    let fits = core::fit_cohorts(model, &data, pooling, &options).or_throw()?;
    to_js(&fits)
}

/// The predictive cohort matrix of survivor counts (`opts`: the core's
/// `MatrixOptions`, JSON).
#[wasm_bindgen(js_name = predictiveCohortMatrix)]
pub fn predictive_cohort_matrix(
    lengths: Vec<u32>,
    counts: Vec<f64>,
    labels: Option<Vec<String>>,
    opts: Option<String>,
) -> JsResult<JsValue> {
    let data = survivors(&lengths, &counts, labels)?;
    let options: MatrixOptions = options(opts, "options")?;
    to_js(&core::predictive_cohort_matrix(&data, &options).or_throw()?)
}

/// The predictive cohort matrix straight from an event log, as of `as_of`
/// (ms since the epoch); `survivors` the core's `SurvivorOptions` (JSON:
/// `period`, `utc_offset_seconds`, `qualifying`, `max_age`) and `opts` the
/// core's `MatrixOptions` (JSON).
#[wasm_bindgen(js_name = predictiveCohortMatrixFromLog)]
pub fn predictive_cohort_matrix_from_log(
    log: &EventLog,
    as_of: f64,
    survivors: Option<String>,
    opts: Option<String>,
) -> JsResult<JsValue> {
    let as_of = from_micros(micros(as_of, "asOf")?);
    let survivors: SurvivorOptions = options(survivors, "survivors")?;
    let options: MatrixOptions = options(opts, "options")?;
    to_js(
        &core::predictive_cohort_matrix_from_log(&log.inner, as_of, &survivors, &options)
            .or_throw()?,
    )
}

/// Every prediction of a model with known parameters (`params`: the core's
/// `ContractualParams` as JSON, e.g. a fit's `params`) over a horizon
/// (`opts`: the core's `PredictionOptions`, JSON): the core's
/// `ContractualPrediction` (survival, retention rate, churn probability,
/// DERL and residual value per age; expected lifetime and DEL).
#[wasm_bindgen(js_name = predictContractual)]
pub fn predict_contractual(params: String, opts: Option<String>) -> JsResult<JsValue> {
    let params: ContractualParams = from_json(&params, "params")?;
    let options: PredictionOptions = options(opts, "options")?;
    to_js(&params.predict(&options).or_throw()?)
}
