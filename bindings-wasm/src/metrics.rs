//! Descriptive and survey metrics: retention and churn (from counts or from
//! a log over a window), order statistics (repeat purchase rate, purchase
//! frequency, AOV), the MRR bridge with its ratios, NPS / CSAT / CES / CLI.
//! Rates are fractions in [0, 1]; undefined rates are `null`.

use retention_core::events::SurveyKind;
use retention_core::metrics::{
    ces, churn_rate, csat, customer_loyalty_index, customer_retention_rate, mrr_bridge, nps,
    order_stats, period_activity, survey_answers, ActivityOptions, CsatOptions, MrrBridge, Window,
};
use wasm_bindgen::prelude::*;

use crate::convert::{micros, options, to_js};
use crate::error::{invalid_input, JsResult, OrThrow};
use crate::log::EventLog;

/// A whole, non-negative count from JS.
fn count(x: f64, field: &str) -> JsResult<u64> {
    if x.is_finite() && x >= 0.0 && x.fract() == 0.0 && x <= 9_007_199_254_740_991.0 {
        Ok(x as u64)
    } else {
        Err(invalid_input(
            field,
            format!("{x} is not a whole number ≥ 0"),
        ))
    }
}

fn window(start_ms: f64, end_ms: f64) -> JsResult<Window> {
    Window::from_micros(micros(start_ms, "start")?, micros(end_ms, "end")?).or_throw()
}

/// Customer retention rate `(E − N) / S` from counts; `null` when `S = 0`.
#[wasm_bindgen(js_name = customerRetentionRate)]
pub fn customer_retention_rate_js(start: f64, end: f64, new: f64) -> JsResult<Option<f64>> {
    customer_retention_rate(
        count(start, "start")?,
        count(end, "end")?,
        count(new, "new")?,
    )
    .or_throw()
}

/// Churn rate `lost / S` from counts; `null` when `S = 0`.
#[wasm_bindgen(js_name = churnRate)]
pub fn churn_rate_js(lost: f64, start: f64) -> JsResult<Option<f64>> {
    churn_rate(count(lost, "lost")?, count(start, "start")?).or_throw()
}

/// S, E, N, lost… and the retention and churn rates of one period (the
/// core's [`retention_core::metrics::PeriodActivity`], instants as text).
#[wasm_bindgen(js_name = periodActivity)]
pub fn period_activity_js(
    log: &EventLog,
    start_ms: f64,
    end_ms: f64,
    opts: Option<String>,
) -> JsResult<JsValue> {
    let w = window(start_ms, end_ms)?;
    let o: ActivityOptions = options(opts, "options")?;
    let a = period_activity(&log.inner, w, &o).or_throw()?;
    to_js(&a)
}

/// Orders, customers and revenue in a window, with repeat purchase rate,
/// purchase frequency and average order value.
#[wasm_bindgen(js_name = orderStats)]
pub fn order_stats_js(log: &EventLog, start_ms: f64, end_ms: f64) -> JsResult<JsValue> {
    to_js(&order_stats(&log.inner, window(start_ms, end_ms)?))
}

/// The MRR bridge of a window from the log's subscription events, with its ratios.
#[wasm_bindgen(js_name = mrrBridge)]
pub fn mrr_bridge_js(log: &EventLog, start_ms: f64, end_ms: f64) -> JsResult<JsValue> {
    to_js(&mrr_bridge(&log.inner, window(start_ms, end_ms)?))
}

/// The MRR ratios of caller-given bridge figures.
#[wasm_bindgen(js_name = mrrRatios)]
pub fn mrr_ratios(figures: String) -> JsResult<JsValue> {
    let b: MrrBridge = options(Some(figures), "figures")?;
    b.validate().or_throw()?;
    to_js(&b)
}

/// NPS of 0–10 answers: counts and score in [−100, 100].
#[wasm_bindgen(js_name = nps)]
pub fn nps_js(answers: Vec<f64>) -> JsResult<JsValue> {
    to_js(&nps(&answers).or_throw()?)
}

/// CSAT of 1..=scale answers: share satisfied (× 100) and the mean.
#[wasm_bindgen(js_name = csat)]
pub fn csat_js(answers: Vec<f64>, opts: Option<String>) -> JsResult<JsValue> {
    let o: CsatOptions = options(opts, "options")?;
    let c = csat(&answers, o).or_throw()?;
    to_js(&c)
}

/// CES of 1..=`choices` answers: `(mean / choices) × 100`.
#[wasm_bindgen(js_name = ces)]
pub fn ces_js(answers: Vec<f64>, choices: u32) -> JsResult<JsValue> {
    to_js(&ces(&answers, choices).or_throw()?)
}

/// Customer loyalty index: mean NPS of the three 0–10 loyalty questions.
#[wasm_bindgen(js_name = customerLoyaltyIndex)]
pub fn customer_loyalty_index_js(
    recommend: Vec<f64>,
    repurchase: Vec<f64>,
    other_products: Vec<f64>,
) -> JsResult<f64> {
    customer_loyalty_index(&recommend, &repurchase, &other_products).or_throw()
}

/// Survey answers of one kind in a window, in log order.
#[wasm_bindgen(js_name = surveyAnswers)]
pub fn survey_answers_js(
    log: &EventLog,
    kind: &str,
    start_ms: f64,
    end_ms: f64,
) -> JsResult<js_sys::Float64Array> {
    let k: SurveyKind = kind.parse().or_throw()?;
    let v = survey_answers(&log.inner, k, window(start_ms, end_ms)?);
    Ok(js_sys::Float64Array::from(v.as_slice()))
}
