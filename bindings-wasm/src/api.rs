//! Analytics on an [`EventLog`]: summaries, RFM, lifecycle, health score and
//! traffic light, loyalty, the one-shopper view. Each function converts its
//! arguments, calls one core function and converts the result.

use js_sys::{Float64Array, Uint32Array, Uint8Array};
use retention_core::churn::health::health_traffic_lights;
use retention_core::churn::traffic_light::{traffic_light, Light, RiskSource, TicketFacts};
use retention_core::loyalty::{points_ledger, tier_for_value, tier_status, LoyaltyConfig};
use retention_core::segments::lifecycle::{lifecycle, LifecycleOptions};
use retention_core::segments::rfm::{default_segment_patterns, rfm};
use retention_core::shopper::{shopper_view, ShopperOptions};
use retention_core::summary::{OrderDays, Summaries};
use serde::Deserialize;
use wasm_bindgen::prelude::*;

use crate::convert::{customer_id, ids_to_js, micros, millis, options, to_js, RfmJs, RiskJs};
use crate::error::{JsResult, OrThrow};
use crate::log::EventLog;

fn put(target: &js_sys::Object, key: &str, value: impl Into<JsValue>) {
    let _ = js_sys::Reflect::set(target, &JsValue::from_str(key), &value.into());
}

fn opt_ms(t: Option<i64>) -> f64 {
    t.map_or(f64::NAN, millis)
}

/// Per-customer summaries as columns (customer order).
#[wasm_bindgen]
pub fn summaries(log: &EventLog) -> JsResult<JsValue> {
    let s = Summaries::from_log(&log.inner);
    let all = s.summaries();
    let out = js_sys::Object::new();
    put(&out, "customers", ids_to_js(s.ids()));
    let orders: Vec<u32> = all.iter().map(|c| c.orders()).collect();
    put(&out, "orders", Uint32Array::from(orders.as_slice()));
    let f = |g: &dyn Fn(&retention_core::summary::CustomerSummary) -> f64| -> Float64Array {
        let v: Vec<f64> = all.iter().map(g).collect();
        Float64Array::from(v.as_slice())
    };
    put(&out, "revenue", f(&|c| c.revenue()));
    put(&out, "refunds", f(&|c| c.refunds()));
    put(&out, "netRevenue", f(&|c| c.net_revenue()));
    put(&out, "firstOrder", f(&|c| opt_ms(c.first_order())));
    put(&out, "lastOrder", f(&|c| opt_ms(c.last_order())));
    put(&out, "firstSeen", f(&|c| opt_ms(c.first_seen())));
    put(&out, "lastSeen", f(&|c| opt_ms(c.last_seen())));
    Ok(out.into())
}

fn score_column(v: &[Option<u8>]) -> Uint8Array {
    let codes: Vec<u8> = v.iter().map(|s| s.unwrap_or(0)).collect();
    Uint8Array::from(codes.as_slice())
}

fn value_column(v: &[Option<f64>]) -> Float64Array {
    let x: Vec<f64> = v.iter().map(|s| s.unwrap_or(f64::NAN)).collect();
    Float64Array::from(x.as_slice())
}

/// RFM values, scores, segments, thresholds and segment sizes.
#[wasm_bindgen(js_name = rfm)]
pub fn rfm_scores(log: &EventLog, as_of_ms: f64, opts: Option<String>) -> JsResult<JsValue> {
    let as_of = micros(as_of_ms, "asOf")?;
    let o = options::<RfmJs>(opts, "options")?.to_core(as_of)?;
    let s = Summaries::from_log(&log.inner);
    let days = OrderDays::from_log(&log.inner);
    let scores = rfm(&s, Some(&days), &o).or_throw()?;
    let sizes = scores.segment_sizes(&o.segments);
    let out = js_sys::Object::new();
    put(&out, "customers", ids_to_js(&scores.ids));
    put(&out, "recencyDays", value_column(&scores.recency_days));
    put(&out, "frequency", value_column(&scores.frequency));
    put(&out, "monetary", value_column(&scores.monetary));
    put(&out, "r", score_column(&scores.r));
    put(&out, "f", score_column(&scores.f));
    put(&out, "m", score_column(&scores.m));
    // Segment names as codes into `segmentNames` (the wrapper expands them).
    let names: Vec<&str> = sizes.iter().map(|s| s.name.as_str()).collect();
    let codes: Vec<u16> = scores
        .segment
        .iter()
        .map(|s| names.iter().position(|n| n == s).unwrap_or(0) as u16)
        .collect();
    put(&out, "segmentNames", to_js(&names)?);
    put(
        &out,
        "segmentCodes",
        js_sys::Uint16Array::from(codes.as_slice()),
    );
    put(&out, "thresholds", to_js(&scores.thresholds)?);
    put(&out, "segmentSizes", to_js(&sizes)?);
    Ok(out.into())
}

/// The default RFM segment table as `{ name, pattern }` rows.
#[wasm_bindgen(js_name = defaultSegments)]
pub fn default_segments() -> JsResult<JsValue> {
    to_js(&default_segment_patterns())
}

/// Lifecycle stage per customer, as columns.
#[wasm_bindgen(js_name = lifecycleStages)]
pub fn lifecycle_stages(log: &EventLog, as_of_ms: f64, opts: Option<String>) -> JsResult<JsValue> {
    let as_of = micros(as_of_ms, "asOf")?;
    let o: LifecycleOptions = options(opts, "options")?;
    let s = Summaries::from_log(&log.inner);
    let days = OrderDays::from_log(&log.inner);
    let rows = lifecycle(&s, &days, as_of, &o).or_throw()?;
    let out = js_sys::Object::new();
    put(&out, "customers", ids_to_js(s.ids()));
    let stages: Vec<&str> = rows.iter().map(|(_, r)| r.stage.as_str()).collect();
    put(&out, "stage", to_js(&stages)?);
    let d: Vec<Option<f64>> = rows.iter().map(|(_, r)| r.days_since_last_order).collect();
    put(&out, "daysSinceLastOrder", value_column(&d));
    let g: Vec<Option<f64>> = rows.iter().map(|(_, r)| r.typical_gap_days).collect();
    put(&out, "typicalGapDays", value_column(&g));
    Ok(out.into())
}

/// Health-score traffic light of every customer, as columns.
#[wasm_bindgen(js_name = trafficLights)]
pub fn traffic_lights(log: &EventLog, as_of_ms: f64, opts: Option<String>) -> JsResult<JsValue> {
    let as_of = micros(as_of_ms, "asOf")?;
    let (health, lights) = options::<RiskJs>(opts, "options")?.split();
    let rows = health_traffic_lights(&log.inner, as_of, &health, lights).or_throw()?;
    let out = js_sys::Object::new();
    put(&out, "customers", ids_to_js(log.inner.customers()));
    // Colours as codes (0 green, 1 amber, 2 red) and every reason in one
    // string (reasons separated by U+001F, customers by U+001E): the wrapper
    // splits it, which is much faster than crossing 100,000s of strings.
    let colours: Vec<u8> = rows.iter().map(|(_, t)| t.light as u8).collect();
    put(&out, "lightCodes", Uint8Array::from(colours.as_slice()));
    let risk: Vec<f64> = rows.iter().map(|(h, _)| h.risk).collect();
    put(&out, "risk", Float64Array::from(risk.as_slice()));
    let mut packed = String::new();
    for (i, (_, t)) in rows.iter().enumerate() {
        if i > 0 {
            packed.push('\u{1e}');
        }
        for (j, reason) in t.reasons.iter().enumerate() {
            if j > 0 {
                packed.push('\u{1f}');
            }
            packed.push_str(reason);
        }
    }
    put(&out, "packedReasons", packed);
    let mut counts = [0u32; 3];
    for (_, t) in &rows {
        counts[match t.light {
            Light::Green => 0,
            Light::Amber => 1,
            Light::Red => 2,
        }] += 1;
    }
    let c = js_sys::Object::new();
    put(&c, "green", counts[0]);
    put(&c, "amber", counts[1]);
    put(&c, "red", counts[2]);
    put(&out, "counts", c);
    Ok(out.into())
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
