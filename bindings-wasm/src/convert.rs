//! Conversions between JS values and core types: instants, customer ids,
//! options objects (camelCase, unknown keys rejected) and results.

use retention_core::churn::health::{HealthOptions, HealthWeights};
use retention_core::churn::traffic_light::LightThresholds;
use retention_core::events::CustomerId;
use retention_core::segments::rfm::{
    Binning, FrequencyBasis, MonetaryBasis, RfmOptions, RfmThresholds, SegmentPattern, SegmentTable,
};
use retention_core::time::Micros;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use wasm_bindgen::JsValue;

use crate::error::{invalid_input, JsResult, OrThrow};

/// Largest |milliseconds| a JS `Date` can hold.
const MAX_DATE_MS: f64 = 8.64e15;

/// Milliseconds since the epoch (a JS `Date`'s time value) to microseconds.
pub fn micros(ms: f64, field: &str) -> JsResult<Micros> {
    if ms.is_finite() && ms.abs() <= MAX_DATE_MS {
        Ok((ms * 1000.0).round() as Micros)
    } else {
        Err(invalid_input(
            field,
            format!("{ms} is not a valid time (milliseconds since 1970-01-01T00:00:00Z)"),
        ))
    }
}

/// Microseconds to milliseconds since the epoch.
pub fn millis(t: Micros) -> f64 {
    t as f64 / 1000.0
}

/// A customer id from JS: a safe integer or a string.
pub fn customer_id(value: &JsValue) -> JsResult<CustomerId> {
    if let Some(s) = value.as_string() {
        return Ok(CustomerId::Str(s));
    }
    match value.as_f64() {
        Some(x) if x.fract() == 0.0 && x.abs() <= 9_007_199_254_740_991.0 => {
            Ok(CustomerId::Int(x as i64))
        }
        _ => Err(invalid_input(
            "customer",
            "a customer id must be a safe integer or a string",
        )),
    }
}

/// A customer id as a JS number or string.
pub fn id_to_js(id: &CustomerId) -> JsValue {
    match id {
        CustomerId::Int(i) => JsValue::from_f64(*i as f64),
        CustomerId::Str(s) => JsValue::from_str(s),
    }
}

/// Customer ids as a JS array.
pub fn ids_to_js(ids: &[CustomerId]) -> js_sys::Array {
    ids.iter().map(id_to_js).collect()
}

/// An options object, as JSON text from the wrapper (which spells every
/// key in snake_case, the core's key case, so that core option structs are
/// read directly and unknown keys are rejected); `None` gives the core's
/// defaults. Keys quoted in an error are in camelCase again.
pub fn options<T: DeserializeOwned + Default>(json: Option<String>, field: &str) -> JsResult<T> {
    json.map_or_else(|| Ok(T::default()), |text| from_json(&text, field))
}

/// A core struct from the wrapper's JSON text (keys in snake_case), errors
/// as in [`options`]; for values with no default (e.g. model parameters).
pub fn from_json<T: DeserializeOwned>(text: &str, field: &str) -> JsResult<T> {
    serde_json::from_str(text).map_err(|e| {
        // The position in the wrapper's JSON text means nothing to a caller.
        let message = e.to_string();
        let message = message
            .rsplit_once(" at line ")
            .map_or(message.as_str(), |(m, _)| m);
        // A wrong code inside the options is the core's typed error again.
        match retention_core::vocab::unknown_code_in(message) {
            Some(e) => crate::error::to_js(&e),
            None => invalid_input(field, camel_keys(message)),
        }
    })
}

/// serde's messages about keys (`` unknown field `window_dayz`, expected one
/// of `window_days`, `basis` ``) with the keys in camelCase, as the caller
/// spelled them; other messages (codes of values) unchanged.
fn camel_keys(message: &str) -> String {
    let about_keys = ["unknown field `", "missing field `", "duplicate field `"]
        .iter()
        .any(|p| message.starts_with(p));
    if !about_keys {
        return message.to_owned();
    }
    message
        .split('`')
        .enumerate()
        .map(|(i, part)| {
            if i % 2 == 1 {
                camel(part)
            } else {
                part.to_owned()
            }
        })
        .collect::<Vec<_>>()
        .join("`")
}

/// `snake_case` → `camelCase` (the JS key-case rule).
pub fn camel(snake: &str) -> String {
    let mut out = String::with_capacity(snake.len());
    let mut upper = false;
    for c in snake.chars() {
        if c == '_' {
            upper = true;
        } else if upper {
            out.push(c.to_ascii_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

/// A result as a JS value (plain objects, `null` for `None`).
pub fn to_js<T: Serialize + ?Sized>(value: &T) -> JsResult<JsValue> {
    let s = serde_wasm_bindgen::Serializer::new()
        .serialize_missing_as_null(true)
        .serialize_maps_as_objects(true);
    value.serialize(&s).map_err(|e| invalid_input("result", e))
}

/// Health score and traffic-light options.
#[derive(Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RiskJs {
    weights: HealthWeights,
    window_days: u32,
    default_gap_days: f64,
    max_reasons: u32,
    amber: f64,
    red: f64,
}

impl Default for RiskJs {
    fn default() -> Self {
        let h = HealthOptions::default();
        let l = LightThresholds::default();
        RiskJs {
            weights: HealthWeights::default(),
            window_days: h.window_days,
            default_gap_days: h.default_gap_days,
            max_reasons: h.max_reasons as u32,
            amber: l.amber,
            red: l.red,
        }
    }
}

impl RiskJs {
    /// The core's health options and light thresholds.
    pub fn split(self) -> (HealthOptions, LightThresholds) {
        (
            HealthOptions {
                weights: self.weights,
                window_days: self.window_days,
                default_gap_days: self.default_gap_days,
                max_reasons: self.max_reasons as usize,
            },
            LightThresholds {
                amber: self.amber,
                red: self.red,
            },
        )
    }
}

/// RFM options; `thresholds` switches from quantile bins to fixed cut points.
#[derive(Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RfmJs {
    bins: u8,
    frequency: FrequencyBasis,
    monetary: MonetaryBasis,
    thresholds: Option<RfmThresholds>,
    segments: Option<Vec<SegmentPattern>>,
}

impl Default for RfmJs {
    fn default() -> Self {
        let d = RfmOptions::new(0);
        RfmJs {
            bins: d.bins,
            frequency: d.frequency,
            monetary: d.monetary,
            thresholds: None,
            segments: None,
        }
    }
}

impl RfmJs {
    /// Core options as of `as_of` (a bad segment pattern is a core error).
    pub fn to_core(self, as_of: Micros) -> JsResult<RfmOptions> {
        let segments = match self.segments {
            None => SegmentTable::default(),
            Some(rows) => {
                let pairs: Vec<(&str, &str)> = rows
                    .iter()
                    .map(|s| (s.name.as_str(), s.pattern.as_str()))
                    .collect();
                SegmentTable::from_patterns(&pairs).or_throw()?
            }
        };
        Ok(RfmOptions {
            as_of,
            bins: self.bins,
            frequency: self.frequency,
            monetary: self.monetary,
            binning: match self.thresholds {
                None => Binning::Quantiles,
                Some(t) => Binning::Thresholds(t),
            },
            segments,
        })
    }
}
