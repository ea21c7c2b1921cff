//! Buy-till-you-die models: predictions from given parameters (BG/NBD,
//! MBG/NBD, Pareto/NBD; Gamma-Gamma spend), fitting from frequency /
//! recency / `T` columns, and those columns from an [`EventLog`] through the
//! core's `model_input`.
//!
//! Model parameters cross as JSON text (`{"model": "bg_nbd", "r": …}`) so
//! that unknown keys are rejected; columns cross as `Float64Array`s. Every
//! export takes columns; for one shopper the wrapper passes one-row columns
//! with `single = true`, which calls the core's one-customer function (its
//! errors then carry no row).

use js_sys::Float64Array;
use retention_core::model_input::{model_input_of_log, ModelInputOptions};
use retention_core::models::clv::{predictive_clv, ClvOptions};
use retention_core::models::gamma_gamma::{GammaGammaParams, MonetarySummary};
use retention_core::models::{
    gamma_gamma, FitOptions, TransactionModel, TransactionModelKind, TransactionModelParams,
    TransactionSummary,
};
use wasm_bindgen::prelude::*;

use crate::convert::{micros, options, to_js};
use crate::error::{invalid_input, JsResult, OrThrow};
use crate::log::EventLog;
use crate::table::table_to_js;

/// Transaction-model parameters from the wrapper's JSON (`{"model":
/// "bg_nbd", "r": …}`), validated like the core's constructors.
pub(crate) fn model(json: String) -> JsResult<TransactionModelParams> {
    /// The model's code alone, read first so that a wrong one is the core's
    /// `unknown_code` error (serde's tagged enums only say "unknown variant").
    #[derive(serde::Deserialize, Default)]
    struct Tag {
        #[allow(dead_code)]
        model: Option<TransactionModelKind>,
    }
    options::<Option<Tag>>(Some(json.clone()), "model")?;
    options::<Option<TransactionModelParams>>(Some(json), "model")?
        .ok_or_else(|| invalid_input("model", "expected model parameters"))?
        .validated()
        .or_throw()
}

/// Gamma-Gamma parameters from the wrapper's JSON (`{p, q, gamma}`).
pub(crate) fn spend_model(json: String) -> JsResult<GammaGammaParams> {
    let s = options::<Option<GammaGammaParams>>(Some(json), "spend")?
        .ok_or_else(|| invalid_input("spend", "expected Gamma-Gamma parameters"))?;
    GammaGammaParams::new(s.p, s.q, s.gamma).or_throw()
}

/// The one shopper's value (NaN, rejected by the core, if none was given).
pub(crate) fn first(v: &[f64]) -> f64 {
    v.first().copied().unwrap_or(f64::NAN)
}

fn column(v: Vec<f64>) -> Float64Array {
    Float64Array::from(v.as_slice())
}

/// P(alive) per row (or of the one shopper with `single`).
#[wasm_bindgen(js_name = probabilityAlive)]
pub fn probability_alive(
    model_json: String,
    frequency: Vec<f64>,
    recency: Vec<f64>,
    age: Vec<f64>,
    single: bool,
) -> JsResult<Float64Array> {
    let m = model(model_json)?;
    if single {
        let p = m
            .probability_alive(first(&frequency), first(&recency), first(&age))
            .or_throw()?;
        return Ok(column(vec![p]));
    }
    let data = TransactionSummary::new(&frequency, &recency, &age);
    Ok(column(m.probability_alive_batch(&data).or_throw()?))
}

/// Expected repeat purchases of a new customer in `(0, t]` for each `t`.
#[wasm_bindgen(js_name = expectedPurchases)]
pub fn expected_purchases(model_json: String, t: Vec<f64>) -> JsResult<Float64Array> {
    let m = model(model_json)?;
    let v = t
        .iter()
        .map(|&t| m.expected_purchases(t))
        .collect::<retention_core::Result<Vec<f64>>>()
        .or_throw()?;
    Ok(column(v))
}

/// Expected purchases in the next `t` per row (or of the one shopper).
#[wasm_bindgen(js_name = conditionalExpectedPurchases)]
pub fn conditional_expected_purchases(
    model_json: String,
    t: f64,
    frequency: Vec<f64>,
    recency: Vec<f64>,
    age: Vec<f64>,
    single: bool,
) -> JsResult<Float64Array> {
    let m = model(model_json)?;
    if single {
        let v = m
            .conditional_expected_purchases(t, first(&frequency), first(&recency), first(&age))
            .or_throw()?;
        return Ok(column(vec![v]));
    }
    let data = TransactionSummary::new(&frequency, &recency, &age);
    Ok(column(
        m.conditional_expected_purchases_batch(t, &data)
            .or_throw()?,
    ))
}

/// Gamma-Gamma conditional expected average spend per row.
#[wasm_bindgen(js_name = expectedAverageSpend)]
pub fn expected_average_spend(
    spend_json: String,
    frequency: Vec<f64>,
    monetary_value: Vec<f64>,
) -> JsResult<Float64Array> {
    let s = spend_model(spend_json)?;
    if frequency.len() != monetary_value.len() {
        return Err(crate::error::to_js(
            &retention_core::Error::LengthMismatch {
                field: "monetaryValue",
                expected: frequency.len(),
                actual: monetary_value.len(),
            },
        ));
    }
    let v = frequency
        .iter()
        .zip(&monetary_value)
        .enumerate()
        .map(|(i, (&x, &m))| {
            s.conditional_expected_average_spend(x, m)
                .map_err(|e| match e {
                    retention_core::Error::InvalidRows { mut issues } if frequency.len() > 1 => {
                        issues.iter_mut().for_each(|issue| issue.row = i);
                        retention_core::Error::InvalidRows { issues }
                    }
                    other => other,
                })
        })
        .collect::<retention_core::Result<Vec<f64>>>()
        .or_throw()?;
    Ok(column(v))
}

/// Population mean spend per transaction of a Gamma-Gamma model.
#[wasm_bindgen(js_name = populationAverageSpend)]
pub fn population_average_spend(spend_json: String) -> JsResult<f64> {
    spend_model(spend_json)?.expected_average_spend().or_throw()
}

/// Predictive CLV per row: Gamma-Gamma spend × discounted expected purchases.
#[wasm_bindgen(js_name = predictiveClv)]
#[allow(clippy::too_many_arguments)]
pub fn predictive_clv_js(
    model_json: String,
    spend_json: String,
    frequency: Vec<f64>,
    recency: Vec<f64>,
    age: Vec<f64>,
    monetary_value: Vec<f64>,
    opts: Option<String>,
) -> JsResult<Float64Array> {
    let m = model(model_json)?;
    let s = spend_model(spend_json)?;
    let o: ClvOptions = options(opts, "options")?;
    let data = TransactionSummary::new(&frequency, &recency, &age);
    Ok(column(
        predictive_clv(&m, &s, &data, &monetary_value, &o).or_throw()?,
    ))
}

/// Fits a transaction model (a `transaction_model` code: `bg_nbd`,
/// `mbg_nbd`, `pareto_nbd`) by maximum likelihood on frequency / recency /
/// `T` columns with optional weights.
#[wasm_bindgen(js_name = fitTransactionModel)]
pub fn fit_transaction_model(
    kind: &str,
    frequency: Vec<f64>,
    recency: Vec<f64>,
    age: Vec<f64>,
    weights: Option<Vec<f64>>,
    opts: Option<String>,
) -> JsResult<JsValue> {
    let kind: TransactionModelKind = kind.parse().or_throw()?;
    let o: FitOptions = options(opts, "options")?;
    let mut data = TransactionSummary::new(&frequency, &recency, &age);
    if let Some(w) = weights.as_deref() {
        data = data.with_weights(w);
    }
    to_js(&TransactionModelParams::fit(kind, &data, &o).or_throw()?)
}

/// Fits Gamma-Gamma on frequency and mean repeat spend (repeat buyers only).
#[wasm_bindgen(js_name = fitGammaGamma)]
pub fn fit_gamma_gamma(
    frequency: Vec<f64>,
    monetary_value: Vec<f64>,
    weights: Option<Vec<f64>>,
    opts: Option<String>,
) -> JsResult<JsValue> {
    let o: FitOptions = options(opts, "options")?;
    let mut data = MonetarySummary::new(&frequency, &monetary_value);
    data.weights = weights.as_deref();
    to_js(&gamma_gamma::fit(&data, &o).or_throw()?)
}

/// Frequency, recency, `T` and monetary value per customer of the log, as
/// of the (inclusive) observation end.
#[wasm_bindgen(js_name = modelInput)]
pub fn model_input_js(
    log: &EventLog,
    observation_end_ms: f64,
    opts: Option<String>,
) -> JsResult<JsValue> {
    let end = micros(observation_end_ms, "observationEnd")?;
    let core = ModelInputOptions {
        observation_end: end,
        ..options(opts, "options")?
    };
    table_to_js(&model_input_of_log(&log.inner, &core).or_throw()?)
}
