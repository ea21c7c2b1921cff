//! Predictions beyond calibration for the transaction models (P(alive) at
//! a future time, the conditional purchase-count probabilities, DERT, the
//! next purchase) and intervals around predictions: the core's
//! `models::predictions`.
//!
//! Parameters cross as JSON text as in [`crate::models`]; columns as
//! `Float64Array`s; with `single` the one-customer core function is called
//! (its errors carry no row).

use js_sys::Float64Array;
use retention_core::models::clv::ClvOptions;
use retention_core::models::predictions::intervals::{
    clv_intervals as core_clv_intervals, prediction_intervals as core_intervals, IntervalOptions,
    Prediction,
};
use retention_core::models::TransactionSummary;
use wasm_bindgen::prelude::*;

use crate::convert::{options, to_js};
use crate::error::{invalid_input, JsResult, OrThrow};
use crate::models::{first, model, spend_model};

fn column(v: Vec<f64>) -> Float64Array {
    Float64Array::from(v.as_slice())
}

/// A purchase count given as a JS number: a whole number `≥ 0`.
fn count(n: f64) -> JsResult<u64> {
    if n.is_finite() && n >= 0.0 && n.fract() == 0.0 && n <= u64::MAX as f64 {
        Ok(n as u64)
    } else {
        Err(invalid_input("n", "must be a whole number ≥ 0"))
    }
}

/// P(alive at `T + tau`) per row (or of the one shopper): marginal over
/// the purchases in between, or given none with `given_no_purchase`.
#[wasm_bindgen(js_name = probabilityAliveAt)]
#[allow(clippy::too_many_arguments)]
pub fn probability_alive_at(
    model_json: String,
    tau: f64,
    frequency: Vec<f64>,
    recency: Vec<f64>,
    age: Vec<f64>,
    single: bool,
    given_no_purchase: bool,
) -> JsResult<Float64Array> {
    let m = model(model_json)?;
    if single {
        let (x, t_x, a) = (first(&frequency), first(&recency), first(&age));
        let v = if given_no_purchase {
            m.probability_alive_given_no_purchase(tau, x, t_x, a)
        } else {
            m.probability_alive_at(tau, x, t_x, a)
        };
        return Ok(column(vec![v.or_throw()?]));
    }
    let data = TransactionSummary::new(&frequency, &recency, &age);
    let v = if given_no_purchase {
        m.probability_alive_given_no_purchase_batch(tau, &data)
    } else {
        m.probability_alive_at_batch(tau, &data)
    };
    Ok(column(v.or_throw()?))
}

/// P(exactly `n` purchases in the next `t`) per row (or of the one shopper).
#[wasm_bindgen(js_name = conditionalProbabilityOfPurchases)]
pub fn conditional_probability_of_purchases(
    model_json: String,
    n: f64,
    t: f64,
    frequency: Vec<f64>,
    recency: Vec<f64>,
    age: Vec<f64>,
    single: bool,
) -> JsResult<Float64Array> {
    let m = model(model_json)?;
    let n = count(n)?;
    if single {
        let v = m
            .conditional_probability_of_purchases(
                n,
                t,
                first(&frequency),
                first(&recency),
                first(&age),
            )
            .or_throw()?;
        return Ok(column(vec![v]));
    }
    let data = TransactionSummary::new(&frequency, &recency, &age);
    Ok(column(
        m.conditional_probability_of_purchases_batch(n, t, &data)
            .or_throw()?,
    ))
}

/// Discounted expected residual transactions per row (or of the one shopper).
#[wasm_bindgen(js_name = dert)]
pub fn dert(
    model_json: String,
    discount_rate: f64,
    frequency: Vec<f64>,
    recency: Vec<f64>,
    age: Vec<f64>,
    single: bool,
) -> JsResult<Float64Array> {
    let m = model(model_json)?;
    if single {
        let v = m
            .dert(
                discount_rate,
                first(&frequency),
                first(&recency),
                first(&age),
            )
            .or_throw()?;
        return Ok(column(vec![v]));
    }
    let data = TransactionSummary::new(&frequency, &recency, &age);
    Ok(column(m.dert_batch(discount_rate, &data).or_throw()?))
}

/// The next-purchase figures per row, as objects (the core's `NextPurchase`).
#[wasm_bindgen(js_name = nextPurchase)]
pub fn next_purchase(
    model_json: String,
    t: f64,
    frequency: Vec<f64>,
    recency: Vec<f64>,
    age: Vec<f64>,
) -> JsResult<JsValue> {
    let m = model(model_json)?;
    let data = TransactionSummary::new(&frequency, &recency, &age);
    to_js(&m.next_purchase_batch(t, &data).or_throw()?)
}

/// The prediction named by the wrapper's JSON (`{"prediction": "dert",
/// "discount_rate": 0.01}`).
fn prediction(json: String) -> JsResult<Prediction> {
    options::<Option<Prediction>>(Some(json), "prediction")?
        .ok_or_else(|| invalid_input("prediction", "expected a prediction"))
}

/// Intervals around a prediction per row, as objects (the core's
/// `PredictionInterval`), from the fit's covariance.
#[wasm_bindgen(js_name = predictionIntervals)]
pub fn prediction_intervals(
    model_json: String,
    covariance: Vec<f64>,
    prediction_json: String,
    frequency: Vec<f64>,
    recency: Vec<f64>,
    age: Vec<f64>,
    opts: Option<String>,
) -> JsResult<JsValue> {
    let m = model(model_json)?;
    let p = prediction(prediction_json)?;
    let o: IntervalOptions = options(opts, "options")?;
    let data = TransactionSummary::new(&frequency, &recency, &age);
    to_js(&core_intervals(&m, &covariance, p, &data, &o).or_throw()?)
}

/// Intervals around predictive CLV per row, as objects.
#[wasm_bindgen(js_name = clvIntervals)]
#[allow(clippy::too_many_arguments)]
pub fn clv_intervals(
    model_json: String,
    covariance: Vec<f64>,
    spend_json: String,
    spend_covariance: Vec<f64>,
    frequency: Vec<f64>,
    recency: Vec<f64>,
    age: Vec<f64>,
    monetary_value: Vec<f64>,
    clv_opts: Option<String>,
    opts: Option<String>,
) -> JsResult<JsValue> {
    let m = model(model_json)?;
    let s = spend_model(spend_json)?;
    let clv: ClvOptions = options(clv_opts, "clvOptions")?;
    let o: IntervalOptions = options(opts, "options")?;
    let data = TransactionSummary::new(&frequency, &recency, &age);
    to_js(
        &core_clv_intervals(
            &m,
            &covariance,
            &s,
            &spend_covariance,
            &data,
            &monetary_value,
            &clv,
            &o,
        )
        .or_throw()?,
    )
}
