//! Analytics on an [`EventLog`]: summaries, RFM, lifecycle, health score and
//! traffic light, loyalty, the one-shopper view, the customers' survival
//! curve. Each function converts its
//! arguments, calls one core function and converts the result.

use retention_core::churn::health::health_traffic_lights;
use retention_core::churn::traffic_light::{traffic_light, LightCounts, RiskSource, TicketFacts};
use retention_core::loyalty::{
    points_ledger, programme_rules, tier_for_value, tier_status, LoyaltyConfig,
};
use retention_core::segments::lifecycle::{lifecycle, LifecycleOptions};
use retention_core::segments::rfm::{default_segment_patterns, rfm};
use retention_core::shopper::{shopper_view, ShopperOptions};
use retention_core::summary::{OrderDays, Summaries};
#[cfg(feature = "dashboard")]
use retention_core::survival::{churn_survival, ChurnSurvivalOptions};
use retention_core::table::PerCustomer;
use serde::Deserialize;
use wasm_bindgen::prelude::*;

use crate::convert::{customer_id, micros, options, to_js, RfmJs, RiskJs};
use crate::error::{JsResult, OrThrow};
use crate::log::EventLog;
use crate::table::{table_to_js, table_with};

/// Per-customer summaries (customer order).
#[wasm_bindgen]
pub fn summaries(log: &EventLog) -> JsResult<JsValue> {
    table_to_js(&Summaries::from_log(&log.inner))
}

/// RFM values, scores and segments per customer, with the thresholds used
/// and the segment sizes.
#[wasm_bindgen(js_name = rfm)]
pub fn rfm_scores(log: &EventLog, as_of_ms: f64, opts: Option<String>) -> JsResult<JsValue> {
    let as_of = micros(as_of_ms, "asOf")?;
    let o = options::<RfmJs>(opts, "options")?.to_core(as_of)?;
    let s = Summaries::from_log(&log.inner);
    let days = OrderDays::from_log(&log.inner);
    let scores = rfm(&s, Some(&days), &o).or_throw()?;
    let sizes = scores.segment_sizes(&o.segments);
    table_with(
        &scores,
        &[
            ("thresholds", to_js(&scores.thresholds)?),
            ("segment_sizes", to_js(&sizes)?),
        ],
    )
}

/// The default RFM segment table as `{ name, pattern }` rows.
#[wasm_bindgen(js_name = defaultSegments)]
pub fn default_segments() -> JsResult<JsValue> {
    to_js(&default_segment_patterns())
}

/// Lifecycle stage per customer.
#[wasm_bindgen(js_name = lifecycleStages)]
pub fn lifecycle_stages(log: &EventLog, as_of_ms: f64, opts: Option<String>) -> JsResult<JsValue> {
    let as_of = micros(as_of_ms, "asOf")?;
    let o: LifecycleOptions = options(opts, "options")?;
    let s = Summaries::from_log(&log.inner);
    let days = OrderDays::from_log(&log.inner);
    let rows = lifecycle(&s, &days, as_of, &o).or_throw()?;
    table_to_js(&rows[..])
}

/// Health-score risk and traffic light of every customer, with how many
/// customers have each colour.
#[wasm_bindgen(js_name = trafficLights)]
pub fn traffic_lights(log: &EventLog, as_of_ms: f64, opts: Option<String>) -> JsResult<JsValue> {
    let as_of = micros(as_of_ms, "asOf")?;
    let (health, lights) = options::<RiskJs>(opts, "options")?.split();
    let rows = health_traffic_lights(&log.inner, as_of, &health, lights).or_throw()?;
    let counts = LightCounts::of(rows.iter().map(|(_, t)| t));
    let table = PerCustomer {
        ids: log.inner.customers(),
        rows: &rows[..],
    };
    table_with(&table, &[("counts", to_js(&counts)?)])
}

#[derive(Deserialize, Default)]
#[serde(default, deny_unknown_fields)]
struct LightJs {
    source: RiskSource,
    reasons: Vec<String>,
    open_critical_tickets: u32,
    open_other_tickets: u32,
    amber: Option<f64>,
    red: Option<f64>,
}

/// The traffic light for one risk score in [0, 1].
#[wasm_bindgen(js_name = trafficLight)]
pub fn traffic_light_for(risk: f64, opts: Option<String>) -> JsResult<JsValue> {
    let o: LightJs = options(opts, "options")?;
    let defaults = retention_core::churn::traffic_light::LightThresholds::default();
    let t = traffic_light(
        risk,
        o.source,
        &o.reasons,
        TicketFacts {
            open_critical: u64::from(o.open_critical_tickets),
            open_other: u64::from(o.open_other_tickets),
        },
        retention_core::churn::traffic_light::LightThresholds {
            amber: o.amber.unwrap_or(defaults.amber),
            red: o.red.unwrap_or(defaults.red),
        },
    )
    .or_throw()?;
    to_js(&t)
}

fn loyalty(opts: Option<String>) -> JsResult<LoyaltyConfig> {
    options(opts, "loyalty")
}

/// The tier and progress a basis value (trailing spend or points) gives.
#[wasm_bindgen(js_name = tierForValue)]
pub fn tier_for_value_js(value: f64, opts: Option<String>) -> JsResult<JsValue> {
    let t = tier_for_value(value, &loyalty(opts)?).or_throw()?;
    to_js(&t)
}

/// The programme's ways to earn and redeem and its tiers, for the
/// storefront widget.
#[wasm_bindgen(js_name = loyaltyProgramme)]
pub fn loyalty_programme_js(opts: Option<String>) -> JsResult<JsValue> {
    to_js(&programme_rules(&loyalty(opts)?).or_throw()?)
}

/// A customer's tier and progress at an instant.
#[wasm_bindgen(js_name = tierStatus)]
pub fn tier_status_js(
    log: &EventLog,
    customer: JsValue,
    at_ms: f64,
    opts: Option<String>,
) -> JsResult<JsValue> {
    let id = customer_id(&customer)?;
    let at = retention_core::time::from_micros(micros(at_ms, "at")?);
    let t = tier_status(&log.inner, &id, at, &loyalty(opts)?).or_throw()?;
    to_js(&t)
}

/// A customer's points ledger at `as_of`.
#[wasm_bindgen(js_name = pointsLedger)]
pub fn points_ledger_js(
    log: &EventLog,
    customer: JsValue,
    as_of_ms: f64,
    opts: Option<String>,
) -> JsResult<JsValue> {
    let id = customer_id(&customer)?;
    let at = retention_core::time::from_micros(micros(as_of_ms, "asOf")?);
    let l = points_ledger(&log.inner, &id, at, &loyalty(opts)?).or_throw()?;
    to_js(&l)
}

#[derive(Deserialize, Default)]
#[serde(default, deny_unknown_fields)]
struct ShopperJs {
    loyalty: LoyaltyConfig,
    risk: RiskJs,
    lifecycle: LifecycleOptions,
    rfm: Option<RfmJs>,
}

/// One shopper's storefront view: tier and progress, points, risk badge
/// with reasons, lifecycle stage and (with RFM options) the RFM segment.
#[wasm_bindgen(js_name = shopperView)]
pub fn shopper_view_js(
    log: &EventLog,
    customer: JsValue,
    as_of_ms: f64,
    opts: Option<String>,
) -> JsResult<JsValue> {
    let id = customer_id(&customer)?;
    let as_of = micros(as_of_ms, "asOf")?;
    let o: ShopperJs = options(opts, "options")?;
    let (health, lights) = o.risk.split();
    let core = ShopperOptions {
        loyalty: o.loyalty,
        health,
        lights,
        lifecycle: o.lifecycle,
        rfm: o.rfm.map(|r| r.to_core(as_of)).transpose()?,
    };
    let v = shopper_view(&log.inner, &id, as_of, &core).or_throw()?;
    to_js(&v)
}

/// The Kaplan–Meier curve of the customers' time to churn (days since the
/// start of life), with its bounds, the life table's counts, the median
/// and its bounds (dashboard module).
#[cfg(feature = "dashboard")]
#[wasm_bindgen(js_name = churnSurvival)]
pub fn churn_survival_js(log: &EventLog, as_of_ms: f64, opts: Option<String>) -> JsResult<JsValue> {
    let as_of = micros(as_of_ms, "asOf")?;
    let o: ChurnSurvivalOptions = options(opts, "options")?;
    let s = churn_survival(&log.inner, as_of, &o).or_throw()?;
    crate::table::table_and(&s.curve, &s)
}
