//! Lifecycle counts per period and stickiness (the core's
//! `segments::period_lifecycle`), in a calendar that may be in a named IANA
//! time zone (the dashboard module carries the tz database; the storefront
//! module does not).
//!
//! Options cross as JSON text: `period` (a period code, the core calendar's
//! default when absent), `time_zone` (an IANA name) or `utc_offset_seconds`;
//! unknown keys are rejected.

use retention_core::segments::period_lifecycle as core;
use retention_core::table::InCalendar;
use retention_core::time::{Calendar, Period};
use serde::Deserialize;
use wasm_bindgen::prelude::*;

use crate::convert::{micros, options, to_js};
use crate::error::{JsResult, OrThrow};
use crate::log::EventLog;
use crate::table::table_to_js;

/// The calendar options of both exports.
#[derive(Deserialize, Default)]
#[serde(default, deny_unknown_fields)]
struct CalendarJs {
    period: Option<Period>,
    time_zone: Option<String>,
    utc_offset_seconds: i32,
}

/// The calendar and the periods containing `start_ms` and `end_ms`.
fn range(opts: Option<String>, start_ms: f64, end_ms: f64) -> JsResult<(Calendar, i64, i64)> {
    let o: CalendarJs = options(opts, "options")?;
    let (start, end) = (micros(start_ms, "start")?, micros(end_ms, "end")?);
    let cal = Calendar::with_zone_or_offset(
        o.period.unwrap_or(Calendar::default().period),
        o.time_zone.as_deref(),
        o.utc_offset_seconds,
    )
    .or_throw()?;
    Ok((cal, cal.index(start), cal.index(end)))
}

/// New, returning, resurrecting and dormant customers for every period from
/// the one containing `start` to the one containing `end` (`{ periodStart,
/// new, returning, resurrecting, dormant, active }`).
#[wasm_bindgen(js_name = lifecycleCounts)]
pub fn lifecycle_counts(
    log: &EventLog,
    start_ms: f64,
    end_ms: f64,
    opts: Option<String>,
) -> JsResult<JsValue> {
    let (cal, first, last) = range(opts, start_ms, end_ms)?;
    let rows = core::lifecycle_counts(&log.inner, &cal, first, last).or_throw()?;
    table_to_js(&InCalendar {
        calendar: &cal,
        rows: &rows[..],
    })
}

/// Stickiness of the customers active in the periods from the one containing
/// `start` to the one containing `end`.
#[wasm_bindgen]
pub fn stickiness(
    log: &EventLog,
    start_ms: f64,
    end_ms: f64,
    opts: Option<String>,
) -> JsResult<JsValue> {
    let (cal, first, last) = range(opts, start_ms, end_ms)?;
    to_js(&core::stickiness(&log.inner, &cal, first, last).or_throw()?)
}
