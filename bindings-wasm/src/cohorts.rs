//! Acquisition-cohort matrices.

use retention_core::cohorts::{
    acquisition_cohorts, CohortOptions, QualifyingEvents, RetentionMode, RevenueBasis,
};
use retention_core::time::{from_micros, Calendar, Period};
use serde::Deserialize;
use wasm_bindgen::prelude::*;

use crate::convert::{micros, options, to_js};
use crate::error::{JsResult, OrThrow};
use crate::log::EventLog;

/// Cohort options (`week` starts on Monday, `week_sun` etc. on that day;
/// `time_zone` needs the dashboard module's tz database).
#[derive(Deserialize)]
#[serde(default, deny_unknown_fields)]
struct CohortJs {
    period: Period,
    utc_offset_seconds: i32,
    time_zone: Option<String>,
    mode: RetentionMode,
    qualifying: QualifyingEvents,
    revenue: RevenueBasis,
    max_age: Option<u32>,
}

impl Default for CohortJs {
    fn default() -> Self {
        let d = CohortOptions::default();
        CohortJs {
            period: d.calendar.period,
            utc_offset_seconds: d.calendar.utc_offset_seconds,
            time_zone: None,
            mode: d.mode,
            qualifying: d.qualifying,
            revenue: d.revenue,
            max_age: d.max_age,
        }
    }
}

/// Acquisition cohorts by period of the first order: retention, churn,
/// revenue and LTV per (cohort, age); cells not complete at `asOf` are null.
#[wasm_bindgen]
pub fn cohorts(log: &EventLog, as_of_ms: f64, opts: Option<String>) -> JsResult<JsValue> {
    let as_of = micros(as_of_ms, "asOf")?;
    let o: CohortJs = options(opts, "options")?;
    let core = CohortOptions {
        calendar: Calendar::with_zone_or_offset(
            o.period,
            o.time_zone.as_deref(),
            o.utc_offset_seconds,
        )
        .or_throw()?,
        mode: o.mode,
        qualifying: o.qualifying,
        revenue: o.revenue,
        max_age: o.max_age,
    };
    let m = acquisition_cohorts(&log.inner, from_micros(as_of), &core).or_throw()?;
    to_js(&m)
}
