//! Metrics, segments, cohorts, experiments, churn and model inputs: one core
//! call per function, results as Arrow tables or dicts.

use pyo3::prelude::*;
use pyo3::types::PyDict;
use pyo3_arrow::{PyArray, PyTable};
use retention_core::churn::health::HealthOptions;
use retention_core::churn::traffic_light::LightThresholds;
use retention_core::cohorts::{
    acquisition_cohorts, CohortMatrix, CohortOptions, QualifyingEvents, RetentionMode, RevenueBasis,
};
use retention_core::experiments::{two_proportion_z_test, Proportion, ZTestOptions};
use retention_core::metrics::{self, ActivityBasis, ActivityOptions, CsatOptions, Window};
use retention_core::model_input::{self, ModelInputOptions, OrdersAfterEnd, TimeUnit};
use retention_core::segments::lifecycle::{lifecycle as core_lifecycle, LifecycleOptions};
use retention_core::segments::rfm::{
    rfm as core_rfm, FrequencyBasis, MonetaryBasis, RfmOptions, SegmentTable,
};
use retention_core::time::{from_micros, Calendar, Period};

use retention_core::table::{CohortCells, PerCustomer};

use crate::arrow::{f64_vec, to_table};
use crate::cells;
use crate::dicts::to_dict;
use crate::errors::{coded, Coded, CoreResult};
use crate::log::{PyEventLog, PySummaries};

pub(crate) fn window(start: i64, end: i64) -> PyResult<Window> {
    Window::from_micros(start, end).py()
}

/// A UTC calendar of a period (the core's default calendar when absent).
pub(crate) fn calendar(period: Option<Coded<Period>>) -> Calendar {
    period.map_or_else(Calendar::default, |p| Calendar::utc(p.0))
}

/// Activity options; absent values are the core's defaults.
pub(crate) fn activity(
    window_days: Option<u32>,
    basis: Option<Coded<ActivityBasis>>,
) -> ActivityOptions {
    let d = ActivityOptions::default();
    ActivityOptions {
        window_days: window_days.unwrap_or(d.window_days),
        basis: coded(basis),
    }
}

/// Activity counts and retention / churn rates for the window `[start, end)`.
#[pyfunction]
#[pyo3(signature = (log, start, end, *, window_days=None, basis=None))]
pub fn period_activity<'py>(
    py: Python<'py>,
    log: &PyEventLog,
    start: i64,
    end: i64,
    window_days: Option<u32>,
    basis: Option<Coded<ActivityBasis>>,
) -> PyResult<Bound<'py, PyDict>> {
    let options = activity(window_days, basis);
    let w = window(start, end)?;
    let a = py
        .detach(|| metrics::period_activity(&log.inner, w, &options))
        .py()?;
    let dict = to_dict(py, &a)?;
    // The core's serde writes instants as RFC 3339 text; this door's dicts
    // keep µs integers (the Python wrapper turns them into timestamps).
    dict.set_item("start", a.start)?;
    dict.set_item("end", a.end)?;
    Ok(dict)
}

/// Orders, customers, repeat customers and revenue in `[start, end)`.
#[pyfunction]
pub fn order_stats<'py>(
    py: Python<'py>,
    log: &PyEventLog,
    start: i64,
    end: i64,
) -> PyResult<Bound<'py, PyDict>> {
    let w = window(start, end)?;
    to_dict(py, &py.detach(|| metrics::order_stats(&log.inner, w)))
}

/// The MRR bridge of `[start, end)` with its ratios.
#[pyfunction]
pub fn mrr_bridge<'py>(
    py: Python<'py>,
    log: &PyEventLog,
    start: i64,
    end: i64,
) -> PyResult<Bound<'py, PyDict>> {
    let w = window(start, end)?;
    to_dict(py, &py.detach(|| metrics::mrr_bridge(&log.inner, w)))
}

/// `(E − N) / S`.
#[pyfunction]
pub fn customer_retention_rate(start: u64, end: u64, new: u64) -> PyResult<Option<f64>> {
    metrics::customer_retention_rate(start, end, new).py()
}

/// `lost / start`.
#[pyfunction]
pub fn churn_rate(lost: u64, start: u64) -> PyResult<Option<f64>> {
    metrics::churn_rate(lost, start).py()
}

/// Net Promoter Score of 0–10 answers.
#[pyfunction]
pub fn nps<'py>(py: Python<'py>, answers: PyArray) -> PyResult<Bound<'py, PyDict>> {
    let v = f64_vec("answers", answers)?;
    to_dict(py, &metrics::nps(&v).py()?)
}

/// Customer satisfaction (top-two-box by default).
#[pyfunction]
#[pyo3(signature = (answers, *, scale=None, satisfied_threshold=None))]
pub fn csat<'py>(
    py: Python<'py>,
    answers: PyArray,
    scale: Option<u32>,
    satisfied_threshold: Option<u32>,
) -> PyResult<Bound<'py, PyDict>> {
    let v = f64_vec("answers", answers)?;
    let options = CsatOptions {
        scale: scale.unwrap_or(CsatOptions::default().scale),
        satisfied_threshold,
    };
    to_dict(py, &metrics::csat(&v, options).py()?)
}

/// Customer effort score.
#[pyfunction]
#[pyo3(signature = (answers, *, choices=None))]
pub fn ces<'py>(
    py: Python<'py>,
    answers: PyArray,
    choices: Option<u32>,
) -> PyResult<Bound<'py, PyDict>> {
    let v = f64_vec("answers", answers)?;
    let choices = choices.unwrap_or(metrics::CesOptions::default().choices);
    to_dict(py, &metrics::ces(&v, choices).py()?)
}

/// Customer loyalty index from three 0–10 questions.
#[pyfunction]
pub fn customer_loyalty_index(
    recommend: PyArray,
    repurchase: PyArray,
    other_products: PyArray,
) -> PyResult<f64> {
    let a = f64_vec("recommend", recommend)?;
    let b = f64_vec("repurchase", repurchase)?;
    let c = f64_vec("other_products", other_products)?;
    metrics::customer_loyalty_index(&a, &b, &c).py()
}

/// `AOV × purchases per unit × lifespan in units`.
#[pyfunction]
pub fn simple_clv(aov: f64, purchases_per_unit: f64, lifespan_units: f64) -> PyResult<f64> {
    metrics::simple_clv(aov, purchases_per_unit, lifespan_units).py()
}

/// Simple CLV × gross margin.
#[pyfunction]
pub fn clv_with_margin(
    aov: f64,
    purchases_per_unit: f64,
    lifespan_units: f64,
    margin: f64,
) -> PyResult<f64> {
    metrics::clv_with_margin(aov, purchases_per_unit, lifespan_units, margin).py()
}

/// `m × r / (1 + d − r)`.
#[pyfunction]
pub fn retention_clv(margin_per_period: f64, retention: f64, discount: f64) -> PyResult<f64> {
    metrics::retention_clv(margin_per_period, retention, discount).py()
}

/// Net revenue to date per customer.
#[pyfunction]
pub fn historic_clv(py: Python<'_>, summaries: &PySummaries) -> PyResult<PyTable> {
    let rows = py.detach(|| metrics::historic_clv(&summaries.summaries));
    to_table(&rows[..])
}

/// Mean lifespan (last − first order) in days over customers with orders.
#[pyfunction]
pub fn average_lifespan_days(summaries: &PySummaries) -> Option<f64> {
    metrics::average_lifespan_days(&summaries.summaries)
}

/// RFM scores and segments; returns the table and the thresholds used.
#[pyfunction]
#[pyo3(signature = (summaries, as_of, *, bins=None, frequency=None, monetary=None, segments=None))]
pub fn rfm(
    py: Python<'_>,
    summaries: &PySummaries,
    as_of: i64,
    bins: Option<u8>,
    frequency: Option<Coded<FrequencyBasis>>,
    monetary: Option<Coded<MonetaryBasis>>,
    segments: Option<Vec<(String, String)>>,
) -> PyResult<(PyTable, Vec<Vec<f64>>)> {
    let mut options = RfmOptions::new(as_of);
    options.bins = bins.unwrap_or(options.bins);
    options.frequency = coded(frequency);
    options.monetary = coded(monetary);
    if let Some(rows) = segments {
        let pairs: Vec<(&str, &str)> = rows.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
        options.segments = SegmentTable::from_patterns(&pairs).py()?;
    }
    let s = py
        .detach(|| core_rfm(&summaries.summaries, Some(&summaries.order_days), &options))
        .py()?;
    let table = to_table(&s)?;
    let t = s.thresholds;
    Ok((table, vec![t.recency, t.frequency, t.monetary]))
}

/// Lifecycle stage per customer.
#[pyfunction]
#[pyo3(signature = (summaries, as_of, *, new_window_days=None, at_risk_gap_multiple=None,
    inactive_after_days=None, churn_window_days=None, loyal_orders=None))]
#[allow(clippy::too_many_arguments)]
pub fn lifecycle(
    py: Python<'_>,
    summaries: &PySummaries,
    as_of: i64,
    new_window_days: Option<u32>,
    at_risk_gap_multiple: Option<f64>,
    inactive_after_days: Option<u32>,
    churn_window_days: Option<u32>,
    loyal_orders: Option<u32>,
) -> PyResult<PyTable> {
    let mut o = LifecycleOptions::default();
    if let Some(v) = new_window_days {
        o.new_window_days = v;
    }
    if let Some(v) = at_risk_gap_multiple {
        o.at_risk_gap_multiple = v;
    }
    if let Some(v) = inactive_after_days {
        o.inactive_after_days = v;
    }
    if let Some(v) = churn_window_days {
        o.churn_window_days = v;
    }
    if let Some(v) = loyal_orders {
        o.loyal_orders = v;
    }
    let rows = py
        .detach(|| core_lifecycle(&summaries.summaries, &summaries.order_days, as_of, &o))
        .py()?;
    to_table(&rows[..])
}

/// One value matrix of `m` as a wide table (see `retention_core::table::CohortCells`).
pub(crate) fn wide(m: &CohortMatrix, values: &[Vec<Option<f64>>]) -> PyResult<PyTable> {
    to_table(&CohortCells { matrix: m, values })
}

/// Cohort options; absent values are the core's defaults.
pub(crate) fn cohort_options(
    period: Option<Coded<Period>>,
    mode: Option<Coded<RetentionMode>>,
    qualifying: Option<Coded<QualifyingEvents>>,
    revenue: Option<Coded<RevenueBasis>>,
    max_age: Option<u32>,
) -> CohortOptions {
    let d = CohortOptions::default();
    CohortOptions {
        calendar: calendar(period),
        mode: coded(mode),
        qualifying: coded(qualifying),
        revenue: coded(revenue),
        max_age: max_age.or(d.max_age),
    }
}

/// Acquisition cohorts: retention, churn, revenue and LTV matrices (wide).
#[pyfunction]
#[pyo3(signature = (log, as_of, *, period=None, mode=None, qualifying=None, revenue=None,
    max_age=None))]
#[allow(clippy::too_many_arguments)]
pub fn cohort_matrix(
    py: Python<'_>,
    log: &PyEventLog,
    as_of: i64,
    period: Option<Coded<Period>>,
    mode: Option<Coded<RetentionMode>>,
    qualifying: Option<Coded<QualifyingEvents>>,
    revenue: Option<Coded<RevenueBasis>>,
    max_age: Option<u32>,
) -> PyResult<Vec<(String, PyTable)>> {
    let options = cohort_options(period, mode, qualifying, revenue, max_age);
    let m = py
        .detach(|| acquisition_cohorts(&log.inner, from_micros(as_of), &options))
        .py()?;
    Ok(vec![
        ("retention".into(), wide(&m, m.retention())?),
        ("churn".into(), wide(&m, m.churn())?),
        ("revenue".into(), wide(&m, m.revenue())?),
        ("ltv".into(), wide(&m, m.ltv())?),
    ])
}

/// Two-proportion z-test (treatment vs control).
#[pyfunction]
#[pyo3(signature = (treatment_successes, treatment_total, control_successes, control_total, *, confidence=None))]
#[pyo3(name = "two_proportion_z_test")]
pub fn two_proportion_z_test_py<'py>(
    py: Python<'py>,
    treatment_successes: u64,
    treatment_total: u64,
    control_successes: u64,
    control_total: u64,
    confidence: Option<f64>,
) -> PyResult<Bound<'py, PyDict>> {
    let confidence = confidence.unwrap_or(ZTestOptions::default().confidence);
    let r = two_proportion_z_test(
        Proportion {
            successes: treatment_successes,
            total: treatment_total,
        },
        Proportion {
            successes: control_successes,
            total: control_total,
        },
        &ZTestOptions { confidence },
    )
    .py()?;
    to_dict(py, &r)
}

/// Health-score churn risk per customer with reasons and the traffic light.
#[pyfunction]
#[pyo3(signature = (log, as_of, *, window_days=None, max_reasons=None))]
pub fn health_scores(
    py: Python<'_>,
    log: &PyEventLog,
    as_of: i64,
    window_days: Option<u32>,
    max_reasons: Option<usize>,
) -> PyResult<PyTable> {
    let d = HealthOptions::default();
    let options = HealthOptions {
        window_days: window_days.unwrap_or(d.window_days),
        max_reasons: max_reasons.unwrap_or(d.max_reasons),
        ..d
    };
    let rows = py
        .detach(|| {
            retention_core::churn::health::health_traffic_lights(
                &log.inner,
                as_of,
                &options,
                LightThresholds::default(),
            )
        })
        .py()?;
    to_table(&PerCustomer {
        ids: log.inner.customers(),
        rows: &rows[..],
    })
}

/// Model-input options; absent values are the core's defaults.
fn model_input_options(
    observation_end: i64,
    unit: Option<Coded<TimeUnit>>,
    multiplier: Option<f64>,
    include_first: Option<bool>,
    after_end: Option<Coded<OrdersAfterEnd>>,
) -> ModelInputOptions {
    let d = ModelInputOptions::new(observation_end);
    ModelInputOptions {
        unit: coded(unit),
        multiplier: multiplier.unwrap_or(d.multiplier),
        include_first: include_first.unwrap_or(d.include_first),
        after_end: coded(after_end),
        ..d
    }
}

/// frequency / recency / T / monetary_value as lifetimes computes them.
#[pyfunction]
#[pyo3(signature = (summaries, observation_end, *, unit=None, multiplier=None, include_first=None,
    after_end=None))]
pub fn model_input_table(
    py: Python<'_>,
    summaries: &PySummaries,
    observation_end: i64,
    unit: Option<Coded<TimeUnit>>,
    multiplier: Option<f64>,
    include_first: Option<bool>,
    after_end: Option<Coded<OrdersAfterEnd>>,
) -> PyResult<PyTable> {
    let o = model_input_options(observation_end, unit, multiplier, include_first, after_end);
    let m = py
        .detach(|| model_input::model_input(&summaries.order_days, &o))
        .py()?;
    to_table(&m)
}

/// frequency / recency / T / monetary_value of a log's orders in any unit
/// (sub-daily ones from the order instants).
#[pyfunction]
#[pyo3(signature = (log, observation_end, *, unit=None, multiplier=None, include_first=None,
    after_end=None))]
pub fn model_input_of_log(
    py: Python<'_>,
    log: &PyEventLog,
    observation_end: i64,
    unit: Option<Coded<TimeUnit>>,
    multiplier: Option<f64>,
    include_first: Option<bool>,
    after_end: Option<Coded<OrdersAfterEnd>>,
) -> PyResult<PyTable> {
    let o = model_input_options(observation_end, unit, multiplier, include_first, after_end);
    let log = &log.inner;
    let m = py
        .detach(|| model_input::model_input_of_log(log, &o))
        .py()?;
    to_table(&m)
}

/// frequency / recency / T / monetary_value straight from order columns
/// (customer ids, instants, optional amounts), without an `EventLog`.
#[pyfunction]
#[pyo3(signature = (customer_id, timestamp, amount, observation_end, *, unit=None, multiplier=None,
    include_first=None, after_end=None))]
#[allow(clippy::too_many_arguments)]
pub fn model_input_from_orders(
    py: Python<'_>,
    customer_id: PyArray,
    timestamp: PyArray,
    amount: Option<PyArray>,
    observation_end: i64,
    unit: Option<Coded<TimeUnit>>,
    multiplier: Option<f64>,
    include_first: Option<bool>,
    after_end: Option<Coded<OrdersAfterEnd>>,
) -> PyResult<PyTable> {
    let o = model_input_options(observation_end, unit, multiplier, include_first, after_end);
    let ids = customer_id.into_inner().0;
    let times = timestamp.into_inner().0;
    let amounts = amount.map(|a| a.into_inner().0);
    let m = py.detach(|| -> PyResult<model_input::ModelInput> {
        let ids = cells::customer_ids("customer_id", &ids)?;
        let (times, unit) = cells::instants("timestamp", &times)?;
        let amounts = amounts
            .as_ref()
            .map(|a| cells::numbers("amount", "amount", a))
            .transpose()?;
        let (ids_view, times_view) = (ids.views(), times.views());
        let amounts_view = amounts.as_ref().map(|a| a.views());
        let amount_cells = amounts
            .as_ref()
            .zip(amounts_view.as_ref())
            .map(|(a, v)| a.cells(v));
        model_input::model_input_from_cells(
            ids.cells(&ids_view),
            times.cells(&times_view),
            unit,
            amount_cells,
            &o,
        )
        .py()
    })?;
    to_table(&m)
}

/// The calibration/holdout split, lifetimes' column names.
#[pyfunction]
#[pyo3(signature = (summaries, calibration_end, observation_end, *, unit=None, multiplier=None,
    include_first=None))]
pub fn calibration_and_holdout_table(
    py: Python<'_>,
    summaries: &PySummaries,
    calibration_end: i64,
    observation_end: i64,
    unit: Option<Coded<TimeUnit>>,
    multiplier: Option<f64>,
    include_first: Option<bool>,
) -> PyResult<PyTable> {
    let o = model_input_options(observation_end, unit, multiplier, include_first, None);
    let c = py
        .detach(|| {
            model_input::calibration_and_holdout(
                &summaries.order_days,
                calibration_end,
                observation_end,
                o.unit,
                o.multiplier,
                o.include_first,
            )
        })
        .py()?;
    to_table(&c)
}
