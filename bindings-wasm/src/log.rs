//! The event log handle and its construction from columns.

use retention_core::events::{
    CustomerColumn, DuplicatePolicy, EventColumns, EventLog as CoreLog, EventType, LogOptions,
};
use retention_core::sample::{generate_log, SampleOptions};
use serde::Deserialize;
use wasm_bindgen::prelude::*;

use crate::convert::{ids_to_js, micros, millis, options};
use crate::error::{invalid_input, JsResult, OrThrow};

/// A validated, columnar event log living in wasm memory.
///
/// Built by the JS wrapper's `EventLog.fromEvents` / `EventLog.fromColumns`;
/// call `free()` when done with a large one.
#[wasm_bindgen]
pub struct EventLog {
    pub(crate) inner: CoreLog,
}

/// Per-row resolved flags: 0 false, 1 true, anything else missing.
fn flag(x: u8) -> Option<bool> {
    match x {
        0 => Some(false),
        1 => Some(true),
        _ => None,
    }
}

/// Item counts: NaN (or anything not a whole `u32`) is missing; the wrapper
/// reports non-integers before they get here.
fn count(x: f64) -> Option<u32> {
    (x.is_finite() && x >= 0.0 && x <= f64::from(u32::MAX) && x.fract() == 0.0).then_some(x as u32)
}

#[wasm_bindgen]
impl EventLog {
    /// Low-level constructor used by the JS wrapper: customer ids either per
    /// row as numbers (`int_ids`) or as codes into a string dictionary;
    /// instants in milliseconds; kinds as indices into `EVENT_TYPES`;
    /// `detail` as codes into a dictionary (0 = missing, k = `dict[k − 1]`);
    /// `resolved` as 0/1 (other = missing).
    #[wasm_bindgen(js_name = fromRawColumns)]
    #[allow(clippy::too_many_arguments)]
    pub fn from_raw_columns(
        int_ids: Option<Vec<f64>>,
        str_codes: Option<Vec<u32>>,
        str_dict: Option<Vec<String>>,
        time_ms: Vec<f64>,
        kind: Option<Vec<u8>>,
        amount: Option<Vec<f64>>,
        items: Option<Vec<f64>>,
        score: Option<Vec<f64>>,
        detail_codes: Option<Vec<u32>>,
        detail_dict: Option<Vec<String>>,
        resolved: Option<Vec<u8>>,
        duplicates: Option<String>,
    ) -> JsResult<EventLog> {
        let duplicates: DuplicatePolicy = match duplicates {
            None => DuplicatePolicy::default(),
            Some(code) => code.parse().or_throw()?,
        };
        let ints: Vec<i64>;
        let strs: Vec<&str>;
        let customer = match (&int_ids, &str_codes) {
            (Some(v), None) => {
                ints = v.iter().map(|&x| x as i64).collect();
                CustomerColumn::Int(&ints)
            }
            (None, Some(codes)) => {
                let dict = str_dict.as_deref().unwrap_or(&[]);
                strs = codes
                    .iter()
                    .map(|&c| dict.get(c as usize).map_or("", String::as_str))
                    .collect();
                CustomerColumn::Str(&strs)
            }
            _ => return Err(invalid_input("customer", "exactly one id column is needed")),
        };
        let timestamp = time_ms
            .iter()
            .map(|&ms| micros(ms, "timestamp"))
            .collect::<JsResult<Vec<_>>>()?;
        let kinds: Option<Vec<EventType>> = match kind {
            None => None,
            Some(codes) => Some(
                codes
                    .iter()
                    .map(|&c| EventType::ALL.get(usize::from(c)).copied())
                    .collect::<Option<_>>()
                    .ok_or_else(|| invalid_input("type", "unknown event type code"))?,
            ),
        };
        let items: Option<Vec<Option<u32>>> = items.map(|v| v.into_iter().map(count).collect());
        let resolved: Option<Vec<Option<bool>>> =
            resolved.map(|v| v.into_iter().map(flag).collect());
        let detail: Option<Vec<Option<&str>>> = detail_codes.as_ref().map(|codes| {
            let dict = detail_dict.as_deref().unwrap_or(&[]);
            codes
                .iter()
                .map(|&c| {
                    (c as usize)
                        .checked_sub(1)
                        .and_then(|i| dict.get(i))
                        .map(String::as_str)
                })
                .collect()
        });
        let columns = EventColumns {
            customer,
            timestamp: &timestamp,
            kind: kinds.as_deref(),
            amount: amount.as_deref(),
            items: items.as_deref(),
            score: score.as_deref(),
            detail: detail.as_deref(),
            resolved: resolved.as_deref(),
        };
        let inner = CoreLog::from_columns(
            &columns,
            LogOptions {
                duplicates,
                ..LogOptions::default()
            },
        )
        .or_throw()?;
        Ok(EventLog { inner })
    }

    /// Number of events.
    #[wasm_bindgen(getter)]
    pub fn length(&self) -> usize {
        self.inner.len()
    }

    /// Distinct customer ids, sorted (numbers before strings).
    pub fn customers(&self) -> js_sys::Array {
        ids_to_js(self.inner.customers())
    }

    /// Rows dropped as exact duplicates (with `duplicates: "drop"`).
    #[wasm_bindgen(js_name = duplicatesDropped)]
    pub fn duplicates_dropped(&self) -> usize {
        self.inner.duplicates_dropped()
    }

    /// The log as columns in log order (customer, then time), with
    /// instants in milliseconds and kinds as `EVENT_TYPES` names.
    #[wasm_bindgen(js_name = toColumns)]
    pub fn to_columns(&self) -> JsResult<JsValue> {
        let customer = js_sys::Array::new_with_length(self.inner.len() as u32);
        let mut kind = Vec::with_capacity(self.inner.len());
        let mut value = Vec::with_capacity(self.inner.len());
        let mut time = Vec::with_capacity(self.inner.len());
        for (i, (id, e)) in self.inner.iter().enumerate() {
            customer.set(i as u32, crate::convert::id_to_js(id));
            kind.push(e.event_type().as_str());
            value.push(e.value());
            time.push(millis(e.time()));
        }
        let out = js_sys::Object::new();
        let put = |k: &str, v: JsValue| {
            let _ = js_sys::Reflect::set(&out, &JsValue::from_str(k), &v);
        };
        put("customer", customer.into());
        put(
            "timestamp",
            js_sys::Float64Array::from(time.as_slice()).into(),
        );
        put("type", crate::convert::to_js(&kind)?);
        put("value", js_sys::Float64Array::from(value.as_slice()).into());
        Ok(out.into())
    }
}

/// Cap on the sample size, so that no option can exhaust wasm memory.
const MAX_SAMPLE_CUSTOMERS: u32 = 1_000_000;

/// Options of the sample shop.
#[derive(Deserialize)]
#[serde(default, rename_all = "camelCase", deny_unknown_fields)]
struct SampleJs {
    seed: f64,
    customers: u32,
    months: u32,
    as_of: Option<f64>,
}

impl Default for SampleJs {
    fn default() -> Self {
        let o = SampleOptions::default();
        SampleJs {
            seed: o.seed as f64,
            customers: o.customers as u32,
            months: o.months,
            as_of: None,
        }
    }
}

/// The seeded sample shop as an event log (identical in every language).
#[wasm_bindgen(js_name = sampleLog)]
pub fn sample_log(opts: Option<String>) -> JsResult<EventLog> {
    let o: SampleJs = options(opts, "options")?;
    if !(o.seed.is_finite() && o.seed >= 0.0 && o.seed.fract() == 0.0 && o.seed < 9.007e15) {
        return Err(invalid_input("seed", "must be a non-negative safe integer"));
    }
    let mut core = SampleOptions {
        seed: o.seed as u64,
        customers: o.customers as usize,
        months: o.months,
        ..SampleOptions::default()
    };
    if o.customers > MAX_SAMPLE_CUSTOMERS {
        return Err(invalid_input(
            "customers",
            format!("at most {MAX_SAMPLE_CUSTOMERS} sample customers in the browser"),
        ));
    }
    if let Some(ms) = o.as_of {
        core.as_of = micros(ms, "asOf")?;
    }
    Ok(EventLog {
        inner: generate_log(&core).or_throw()?,
    })
}

/// The sample shop's default `as_of` instant, in milliseconds.
#[wasm_bindgen(js_name = sampleAsOf)]
pub fn sample_as_of() -> f64 {
    millis(SampleOptions::default().as_of)
}
