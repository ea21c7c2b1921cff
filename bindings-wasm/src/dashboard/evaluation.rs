//! Evaluation tables of a transaction model for dashboards (the core's
//! `models::evaluation`, whose documentation states the definitions):
//!
//! * the calibration-period frequency distribution against the model's
//!   (`period_transactions`; Fader, Hardie & Lee 2005, "Counting your
//!   customers the easy way", Figure 3): customers by number of repeat
//!   purchases, observed and expected `Σᵢ wᵢ · P(X(Tᵢ) = n)` from the
//!   model's exact purchase-count distribution at each customer's age
//!   `Tᵢ`. It links every model's `P(X(t) = n)` (4.7 KB gzipped over the
//!   storefront module's budget);
//! * one customer's P(alive) along her history (`alive_path`);
//! * the densities of the model's mixing distributions (`heterogeneity`):
//!   the gamma purchase rate, the beta dropout probability or gamma
//!   dropout rate.

use retention_core::models::evaluation::{self, EvaluationOptions, MixingProcess};
use retention_core::models::TransactionSummary;
use wasm_bindgen::prelude::*;

use crate::convert::{micros, options, to_js};
use crate::error::{JsResult, OrThrow};
use crate::models::model;
use crate::table::table_to_js;

/// Observed and expected customers with `0, 1, …, max_frequency − 1` and
/// `max_frequency` or more repeat purchases (`{ frequency, open, actual,
/// expected }`; `max_frequency` from the options, the core's
/// `EvaluationOptions`, default 7, at most 1,000).
#[wasm_bindgen(js_name = periodTransactions)]
pub fn period_transactions(
    model_json: String,
    frequency: Vec<f64>,
    recency: Vec<f64>,
    age: Vec<f64>,
    weights: Option<Vec<f64>>,
    opts: Option<String>,
) -> JsResult<JsValue> {
    let m = model(model_json)?;
    let o: EvaluationOptions = options(opts, "options")?;
    let mut data = TransactionSummary::new(&frequency, &recency, &age);
    if let Some(w) = weights.as_deref() {
        data = data.with_weights(w);
    }
    let rows = evaluation::period_transactions(&m, &data, o.max_frequency).or_throw()?;
    table_to_js(&rows[..])
}

/// P(alive) at ages `0, 1, …` periods of `unit` (the options' `unit`,
/// default day, in the model's time unit) since the period of one
/// customer's first order, given all her order instants (ms since the
/// epoch; the core's `evaluation::alive_path`, lifetimes'
/// `calculate_alive_path`): `max(periods, span) + 1` values, at most
/// 20,000.
#[wasm_bindgen(js_name = alivePath)]
pub fn alive_path(
    model_json: String,
    instants: Vec<f64>,
    periods: u32,
    opts: Option<String>,
) -> JsResult<Vec<f64>> {
    let m = model(model_json)?;
    let o: EvaluationOptions = options(opts, "options")?;
    let instants = instants
        .iter()
        .map(|&ms| micros(ms, "instants"))
        .collect::<JsResult<Vec<_>>>()?;
    evaluation::alive_path(&m, &instants, o.unit, periods as usize).or_throw()
}

/// The density of a mixing distribution of the model (`process` a
/// `mixing_process` code: the purchase rate, or the dropout probability or
/// rate) on `points` values from 0 to its 99th percentile, with its mean
/// and variance (the core's `evaluation::heterogeneity`, lifetimes'
/// rate-heterogeneity plots; 2 to 100,000 points).
#[wasm_bindgen]
pub fn heterogeneity(model_json: String, process: &str, points: u32) -> JsResult<JsValue> {
    let m = model(model_json)?;
    let process: MixingProcess = process.parse().or_throw()?;
    to_js(&evaluation::heterogeneity(&m, process, points as usize).or_throw()?)
}
