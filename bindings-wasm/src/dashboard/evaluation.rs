//! The calibration-period frequency distribution against a transaction
//! model's (the core's `models::evaluation::period_transactions`; Fader,
//! Hardie & Lee 2005, "Counting your customers the easy way", Figure 3):
//! customers by number of repeat purchases, observed and expected
//! `Σᵢ wᵢ · P(X(Tᵢ) = n)` from the model's exact purchase-count
//! distribution at each customer's age `Tᵢ`.
//!
//! It links every model's `P(X(t) = n)`, which is why it lives in the
//! dashboard module (4.7 KB gzipped over the storefront module's budget).

use retention_core::models::evaluation::{self, EvaluationOptions};
use retention_core::models::TransactionSummary;
use wasm_bindgen::prelude::*;

use crate::convert::options;
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
