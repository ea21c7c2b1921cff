//! Descriptive and survey metrics: retention and churn (from counts or from
//! a log over a window), order statistics (repeat purchase rate, purchase
//! frequency, AOV), the MRR bridge with its ratios, NPS / CSAT / CES / CLI.
//! Rates are fractions in [0, 1]; undefined rates are `null`.

use retention_core::events::SurveyKind;
use retention_core::metrics::{
    ces, churn_rate, csat, customer_loyalty_index, customer_retention_rate, mrr_bridge, nps,
    order_stats, period_activity, survey_answers, ActivityOptions, ChurnVariant, CsatOptions,
    MrrBridge, Window,
};
use serde::{Deserialize, Serialize};
use wasm_bindgen::prelude::*;

use crate::convert::{micros, millis, options, to_js};
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

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ActivityOut {
    start: f64,
    end: f64,
    start_count: u64,
    end_count: u64,
    retained: u64,
    joined: u64,
    new: u64,
    lost: u64,
    lost_including_new: u64,
    retention_rate: Option<f64>,
    churn_rate: Option<f64>,
    churn_rate_including_new: Option<f64>,
}

/// S, E, N, lost… and the retention and churn rates of one period.
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
    to_js(&ActivityOut {
        start: millis(a.start),
        end: millis(a.end),
        start_count: a.start_count,
        end_count: a.end_count,
        retained: a.retained,
        joined: a.joined,
        new: a.new,
        lost: a.lost,
        lost_including_new: a.lost_including_new,
        retention_rate: a.retention_rate(),
        churn_rate: a.churn_rate(ChurnVariant::StartingCustomers),
        churn_rate_including_new: a.churn_rate(ChurnVariant::IncludingNew),
    })
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct OrderStatsOut {
    customers: u64,
    repeat_customers: u64,
    orders: u64,
    revenue: f64,
    repeat_purchase_rate: Option<f64>,
    purchase_frequency: Option<f64>,
    average_order_value: Option<f64>,
}

/// Orders, customers and revenue in a window, with repeat purchase rate,
/// purchase frequency and average order value.
#[wasm_bindgen(js_name = orderStats)]
pub fn order_stats_js(log: &EventLog, start_ms: f64, end_ms: f64) -> JsResult<JsValue> {
    let s = order_stats(&log.inner, window(start_ms, end_ms)?);
    to_js(&OrderStatsOut {
        customers: s.customers,
        repeat_customers: s.repeat_customers,
        orders: s.orders,
        revenue: s.revenue,
        repeat_purchase_rate: s.repeat_purchase_rate(),
        purchase_frequency: s.purchase_frequency(),
        average_order_value: s.average_order_value(),
    })
}

/// MRR figures (the bridge), as given by a caller or computed from a log.
#[derive(Deserialize, Serialize, Default)]
#[serde(default, deny_unknown_fields)]
struct BridgeJs {
    starting: f64,
    new: f64,
    expansion: f64,
    contraction: f64,
    churned: f64,
    reactivation: f64,
    ending: f64,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct BridgeOut {
    #[serde(flatten)]
    figures: BridgeJs,
    gross_mrr_churn: Option<f64>,
    net_mrr_churn: Option<f64>,
    net_revenue_retention: Option<f64>,
    gross_revenue_retention: Option<f64>,
    quick_ratio: Option<f64>,
}

fn bridge_out(b: MrrBridge) -> JsResult<JsValue> {
    to_js(&BridgeOut {
        figures: BridgeJs {
            starting: b.starting,
            new: b.new,
            expansion: b.expansion,
            contraction: b.contraction,
            churned: b.churned,
            reactivation: b.reactivation,
            ending: b.ending,
        },
        gross_mrr_churn: b.gross_mrr_churn(),
        net_mrr_churn: b.net_mrr_churn(),
        net_revenue_retention: b.net_revenue_retention(),
        gross_revenue_retention: b.gross_revenue_retention(),
        quick_ratio: b.quick_ratio(),
    })
}

/// The MRR bridge of a window from the log's subscription events, with its ratios.
#[wasm_bindgen(js_name = mrrBridge)]
pub fn mrr_bridge_js(log: &EventLog, start_ms: f64, end_ms: f64) -> JsResult<JsValue> {
    bridge_out(mrr_bridge(&log.inner, window(start_ms, end_ms)?))
}

/// The MRR ratios of caller-given bridge figures.
#[wasm_bindgen(js_name = mrrRatios)]
pub fn mrr_ratios(figures: String) -> JsResult<JsValue> {
    let f: BridgeJs = options(Some(figures), "figures")?;
    let b = MrrBridge {
        starting: f.starting,
        new: f.new,
        expansion: f.expansion,
        contraction: f.contraction,
        churned: f.churned,
        reactivation: f.reactivation,
        ending: f.ending,
    };
    b.validate().or_throw()?;
    bridge_out(b)
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
