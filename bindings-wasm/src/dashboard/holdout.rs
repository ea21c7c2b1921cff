//! Holdout evaluation of a transaction model (the core's
//! `models::evaluation`): the tracking series of a log's orders, the
//! conditional calibration-vs-holdout table as core tables; the
//! customer-level error metrics and the tracking MAPE. The frequency
//! buckets (`periodTransactions`) link every model's purchase-count
//! distribution, 4.7 KB gzipped over the storefront module's 300 KiB
//! budget: they are in the dashboard module (`src/dashboard/`, cargo
//! feature `dashboard`).
//!
//! Options cross as JSON text read into the core's `EvaluationOptions`
//! (`unit`, `multiplier`, `group_by`, `max_groups`; unknown keys rejected).

use retention_core::models::evaluation::{self, EvaluationOptions, HoldoutData};
use retention_core::models::TransactionSummary;
use retention_core::summary::OrderDays;
use wasm_bindgen::prelude::*;

use crate::convert::options;
use crate::convert::to_js;
use crate::error::{JsResult, OrThrow};
use crate::log::EventLog;
use crate::models::model;
use crate::table::table_to_js;

/// Actual and expected repeat transactions per model time unit over the
/// first `periods` periods of the log's orders (`{ period, periodStart,
/// actualCumulative, expectedCumulative, actualIncremental,
/// expectedIncremental }`).
#[wasm_bindgen(js_name = trackingSeries)]
pub fn tracking_series(
    model_json: String,
    log: &EventLog,
    periods: u32,
    opts: Option<String>,
) -> JsResult<JsValue> {
    let m = model(model_json)?;
    let o: EvaluationOptions = options(opts, "options")?;
    let days = OrderDays::from_log(&log.inner);
    let rows =
        evaluation::tracking(&m, &days, o.unit, periods as usize, o.multiplier).or_throw()?;
    table_to_js(&rows[..])
}

/// Mean actual and expected holdout purchases by distinct value of a
/// calibration figure (`{ value, customers, actualMean, expectedMean }`).
#[wasm_bindgen(js_name = conditionalHoldoutTable)]
pub fn conditional_holdout_table(
    model_json: String,
    frequency_cal: Vec<f64>,
    recency_cal: Vec<f64>,
    t_cal: Vec<f64>,
    frequency_holdout: Vec<f64>,
    duration_holdout: f64,
    opts: Option<String>,
) -> JsResult<JsValue> {
    let m = model(model_json)?;
    let o: EvaluationOptions = options(opts, "options")?;
    let data = HoldoutData {
        calibration: TransactionSummary::new(&frequency_cal, &recency_cal, &t_cal),
        frequency_holdout: &frequency_holdout,
        duration_holdout,
    };
    let rows =
        evaluation::conditional_holdout_table(&m, &data, o.group_by, o.max_groups).or_throw()?;
    table_to_js(&rows[..])
}

/// Customer-level accuracy (MAE, RMSE, correlation, totals) of the model's
/// conditional expectations against the holdout purchases (the core's
/// `evaluation::holdout_metrics`).
#[wasm_bindgen(js_name = holdoutMetrics)]
pub fn holdout_metrics(
    model_json: String,
    frequency_cal: Vec<f64>,
    recency_cal: Vec<f64>,
    t_cal: Vec<f64>,
    frequency_holdout: Vec<f64>,
    duration_holdout: f64,
) -> JsResult<JsValue> {
    let m = model(model_json)?;
    let data = HoldoutData {
        calibration: TransactionSummary::new(&frequency_cal, &recency_cal, &t_cal),
        frequency_holdout: &frequency_holdout,
        duration_holdout,
    };
    to_js(&evaluation::holdout_metrics(&m, &data).or_throw()?)
}

/// Mean absolute percentage error of a cumulative tracking series (the
/// core's `evaluation::tracking_mape`).
#[wasm_bindgen(js_name = trackingMape)]
pub fn tracking_mape(actual_cumulative: Vec<f64>, expected_cumulative: Vec<f64>) -> JsResult<f64> {
    evaluation::tracking_mape(&actual_cumulative, &expected_cumulative).or_throw()
}
