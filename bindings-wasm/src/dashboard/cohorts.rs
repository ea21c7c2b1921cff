//! Cohort retention with breakdowns, start/return events, brackets and
//! rolling windows (the core's `cohorts::retention`), and the customer and
//! event properties it breaks down by.
//!
//! Options cross as JSON text read into the core's `RetentionOptions`
//! (unknown keys rejected; `calendar` as `{ period, utc_offset_seconds }`).
//! Property cells cross in the core's mixed cell layout and are read by the
//! core's rules (text; whole numbers as their decimal text; missing is no
//! value).

use retention_core::cohorts::retention::{cohort_retention as core_retention, RetentionOptions};
use retention_core::events::{Cells, Coded, Mixed};
use retention_core::time::from_micros;
use wasm_bindgen::prelude::*;

use crate::convert::{micros, options, to_js};
use crate::error::{JsResult, OrThrow};
use crate::log::EventLog;

/// Cells of one column in the mixed layout, borrowing the dictionary.
fn mixed<'a>(
    tags: &'a [u8],
    numbers: &'a [f64],
    codes: &'a [u32],
    dictionary: &'a [&'a str],
) -> Cells<'a> {
    Cells::Mixed(Mixed {
        tags,
        numbers,
        text: Coded { codes, dictionary },
    })
}

/// Sets the customer property `key`: customer `ids[i]` has value
/// `values[i]` (both columns in the mixed cell layout).
#[wasm_bindgen(js_name = setCustomerProperty)]
#[allow(clippy::too_many_arguments)]
pub fn set_customer_property(
    log: &mut EventLog,
    key: String,
    id_tags: Vec<u8>,
    id_numbers: Vec<f64>,
    id_codes: Vec<u32>,
    id_dictionary: Vec<String>,
    tags: Vec<u8>,
    numbers: Vec<f64>,
    codes: Vec<u32>,
    dictionary: Vec<String>,
) -> JsResult<()> {
    let id_dict: Vec<&str> = id_dictionary.iter().map(String::as_str).collect();
    let dict: Vec<&str> = dictionary.iter().map(String::as_str).collect();
    let ids = mixed(&id_tags, &id_numbers, &id_codes, &id_dict);
    let values = mixed(&tags, &numbers, &codes, &dict);
    log.inner
        .set_customer_property_cells(&key, &ids, &values)
        .or_throw()
}

/// Sets the event property `key`: one value per input row of the log, in
/// the mixed cell layout.
#[wasm_bindgen(js_name = setEventProperty)]
pub fn set_event_property(
    log: &mut EventLog,
    key: String,
    tags: Vec<u8>,
    numbers: Vec<f64>,
    codes: Vec<u32>,
    dictionary: Vec<String>,
) -> JsResult<()> {
    let dict: Vec<&str> = dictionary.iter().map(String::as_str).collect();
    let values = mixed(&tags, &numbers, &codes, &dict);
    log.inner.set_event_property_cells(&key, &values).or_throw()
}

/// Cohort retention: `{ breakdown, columns, level, unstarted, cells, means }`
/// (see the core's `CohortRetention`).
#[wasm_bindgen(js_name = cohortRetention)]
pub fn cohort_retention(log: &EventLog, as_of_ms: f64, opts: Option<String>) -> JsResult<JsValue> {
    let as_of = micros(as_of_ms, "asOf")?;
    let o: RetentionOptions = options(opts, "options")?;
    let r = core_retention(&log.inner, from_micros(as_of), &o).or_throw()?;
    to_js(&r)
}
