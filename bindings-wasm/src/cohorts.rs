//! Acquisition-cohort matrices.

use retention_core::cohorts::{
    acquisition_cohorts, CohortOptions, QualifyingEvents, RetentionMode, RevenueBasis,
};
use retention_core::time::{from_micros, Calendar, Period};
use serde::{Deserialize, Serialize};
use wasm_bindgen::prelude::*;

use crate::convert::{micros, options, to_js};
use crate::error::{JsResult, OrThrow};
use crate::log::EventLog;

#[derive(Deserialize, Clone, Copy, Default)]
#[serde(rename_all = "snake_case")]
enum PeriodJs {
    Day,
    Week,
    #[default]
    Month,
    Quarter,
    Year,
}

#[derive(Deserialize, Clone, Copy, Default)]
#[serde(rename_all = "snake_case")]
enum ModeJs {
    #[default]
    ReturnOn,
    ReturnOnOrAfter,
}

#[derive(Deserialize, Clone, Copy, Default)]
#[serde(rename_all = "snake_case")]
enum QualifyingJs {
    #[default]
    Orders,
    AnyActivity,
}

#[derive(Deserialize, Clone, Copy, Default)]
#[serde(rename_all = "snake_case")]
enum RevenueJs {
    #[default]
    Net,
    Gross,
}

/// Cohort options (weeks start on Monday).
#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase", deny_unknown_fields)]
struct CohortJs {
    period: PeriodJs,
    utc_offset_seconds: i32,
    mode: ModeJs,
    qualifying: QualifyingJs,
    revenue: RevenueJs,
    max_age: Option<u32>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct MatrixOut<'a> {
    labels: &'a [String],
    period_starts: Vec<Option<f64>>,
    sizes: &'a [u64],
    retention: &'a [Vec<Option<f64>>],
    churn: &'a [Vec<Option<f64>>],
    revenue: &'a [Vec<Option<f64>>],
    ltv: &'a [Vec<Option<f64>>],
}

/// Acquisition cohorts by period of the first order: retention, churn,
/// revenue and LTV per (cohort, age); cells not complete at `asOf` are null.
#[wasm_bindgen]
pub fn cohorts(log: &EventLog, as_of_ms: f64, opts: Option<String>) -> JsResult<JsValue> {
    let as_of = micros(as_of_ms, "asOf")?;
    let o: CohortJs = options(opts, "options")?;
    let period = match o.period {
        PeriodJs::Day => Period::Day,
        PeriodJs::Week => Period::ISO_WEEK,
        PeriodJs::Month => Period::Month,
        PeriodJs::Quarter => Period::Quarter,
        PeriodJs::Year => Period::Year,
    };
    let core = CohortOptions {
        calendar: Calendar::with_offset(period, o.utc_offset_seconds).or_throw()?,
        mode: match o.mode {
            ModeJs::ReturnOn => RetentionMode::ReturnOn,
            ModeJs::ReturnOnOrAfter => RetentionMode::ReturnOnOrAfter,
        },
        qualifying: match o.qualifying {
            QualifyingJs::Orders => QualifyingEvents::Orders,
            QualifyingJs::AnyActivity => QualifyingEvents::AnyActivity,
        },
        revenue: match o.revenue {
            RevenueJs::Net => RevenueBasis::Net,
            RevenueJs::Gross => RevenueBasis::Gross,
        },
        max_age: o.max_age,
    };
    let m = acquisition_cohorts(&log.inner, from_micros(as_of), &core).or_throw()?;
    to_js(&MatrixOut {
        labels: m.labels(),
        period_starts: m
            .period_starts()
            .iter()
            .map(|t| t.map(|t| t.timestamp_millis() as f64))
            .collect(),
        sizes: m.sizes(),
        retention: m.retention(),
        churn: m.churn(),
        revenue: m.revenue(),
        ltv: m.ltv(),
    })
}
