//! Series metrics, referral and engagement, labelled cohorts, experiment
//! counts and survival comparison, survival input from a log, and the log
//! exported as a table.

use arrow_array::cast::AsArray;
use arrow_array::Array;
use arrow_schema::DataType;
use pyo3::prelude::*;
use pyo3::types::PyDict;
use pyo3_arrow::{PyArray, PyTable};
use retention_core::cohorts::{
    labelled_cohorts_from_slices, CohortMatrix, QualifyingEvents, RetentionMode, RevenueBasis,
};
use retention_core::experiments::{
    retention_counts as core_retention_counts, survival_comparison as core_survival_comparison,
    RetentionWindow,
};
use retention_core::metrics::{self, ActivityBasis};
use retention_core::survival::{churn_durations as core_churn_durations, ChurnBasis};
use retention_core::time::{from_micros, Period};
use retention_core::{Error, IssueKind, RowIssue};

use crate::api::{activity, cohort_options, wide, window};
use crate::arrow::{id_list, is_text, strict, to_table};
use crate::dicts::to_dict;
use crate::errors::{coded, column_type, to_py, Coded, CoreResult};
use crate::log::PyEventLog;
use crate::period_lifecycle::zoned_calendar;
use crate::survival::logrank_dict;
use retention_core::table::InCalendar;

/// Text labels, one per customer; nulls are reported as missing.
fn labels_vec(arr: PyArray) -> PyResult<Vec<String>> {
    let (arr, _) = arr.into_inner();
    let dt = arr.data_type();
    if !(is_text(dt) || dt.is_integer() || matches!(dt, DataType::Dictionary(..))) {
        return Err(column_type(
            "labels",
            "labels",
            dt,
            "text (or integer) labels",
        ));
    }
    let a = arrow_cast::cast_with_options(&arr, &DataType::Utf8, &strict())
        .map_err(|e| pyo3::exceptions::PyTypeError::new_err(e.to_string()))?;
    let s = a.as_string::<i32>();
    let issues: Vec<RowIssue> = (0..s.len())
        .filter(|&i| s.is_null(i))
        .map(|i| RowIssue::new(i, "labels", "", IssueKind::Missing))
        .collect();
    if !issues.is_empty() {
        return Err(to_py(Error::InvalidRows { issues }));
    }
    Ok(s.iter().map(|x| x.unwrap_or_default().to_owned()).collect())
}

/// Period indices `first..=last`: the periods containing `start` and `end`.
pub(crate) fn period_range(
    period: Option<Coded<Period>>,
    time_zone: Option<&str>,
    start: i64,
    end: i64,
) -> PyResult<(retention_core::time::Calendar, i64, i64)> {
    let cal = zoned_calendar(period, time_zone)?;
    Ok((cal, cal.index(start), cal.index(end)))
}

/// [`metrics::period_activity`] for every period from the one containing
/// `start` to the one containing `end`.
#[pyfunction]
#[pyo3(signature = (log, start, end, *, period=None, window_days=None, basis=None, time_zone=None))]
#[allow(clippy::too_many_arguments)]
pub fn period_activity_series(
    py: Python<'_>,
    log: &PyEventLog,
    start: i64,
    end: i64,
    period: Option<Coded<Period>>,
    window_days: Option<u32>,
    basis: Option<Coded<ActivityBasis>>,
    time_zone: Option<&str>,
) -> PyResult<PyTable> {
    let options = activity(window_days, basis);
    let (cal, first, last) = period_range(period, time_zone, start, end)?;
    let rows = py
        .detach(|| metrics::period_activity_series(&log.inner, &cal, first, last, &options))
        .py()?;
    to_table(&rows[..])
}

/// Of the customers with an order in the period containing `at`, how many
/// ordered in the next period.
#[pyfunction]
#[pyo3(signature = (log, at, *, period=None, time_zone=None))]
pub fn period_over_period_retention<'py>(
    py: Python<'py>,
    log: &PyEventLog,
    at: i64,
    period: Option<Coded<Period>>,
    time_zone: Option<&str>,
) -> PyResult<Bound<'py, PyDict>> {
    let cal = zoned_calendar(period, time_zone)?;
    let p = cal.index(at);
    let r = py
        .detach(|| metrics::period_over_period_retention(&log.inner, &cal, p))
        .py()?;
    let d = PyDict::new(py);
    d.set_item("period_start", cal.start(p))?;
    d.set_item("customers", r.customers)?;
    d.set_item("retained", r.retained)?;
    d.set_item("rate", r.rate())?;
    Ok(d)
}

/// [`period_over_period_retention`] for every period from the one containing
/// `start` to the one containing `end`.
#[pyfunction]
#[pyo3(signature = (log, start, end, *, period=None, time_zone=None))]
pub fn period_over_period_retention_series(
    py: Python<'_>,
    log: &PyEventLog,
    start: i64,
    end: i64,
    period: Option<Coded<Period>>,
    time_zone: Option<&str>,
) -> PyResult<PyTable> {
    let (cal, first, last) = period_range(period, time_zone, start, end)?;
    let rows = py
        .detach(|| metrics::period_over_period_retention_series(&log.inner, &cal, first, last))
        .py()?;
    to_table(&InCalendar {
        calendar: &cal,
        rows: &rows[..],
    })
}

/// Referral counts and rate in `[start, end)`.
#[pyfunction]
pub fn referral_stats<'py>(
    py: Python<'py>,
    log: &PyEventLog,
    start: i64,
    end: i64,
) -> PyResult<Bound<'py, PyDict>> {
    let w = window(start, end)?;
    to_dict(py, &py.detach(|| metrics::referral_stats(&log.inner, w)))
}

/// Engagement per customer as of `as_of`.
#[pyfunction]
pub fn engagement(py: Python<'_>, log: &PyEventLog, as_of: i64) -> PyResult<PyTable> {
    let rows = py
        .detach(|| metrics::engagement(&log.inner, from_micros(as_of)))
        .py()?;
    to_table(&rows[..])
}

fn matrices(m: &CohortMatrix) -> PyResult<Vec<(String, PyTable)>> {
    Ok(vec![
        ("retention".into(), wide(m, m.retention())?),
        ("churn".into(), wide(m, m.churn())?),
        ("revenue".into(), wide(m, m.revenue())?),
        ("ltv".into(), wide(m, m.ltv())?),
    ])
}

/// Cohorts by caller-given label (e.g. "offer" vs "control").
#[pyfunction]
#[pyo3(signature = (log, customers, labels, as_of, *, period=None, mode=None,
    qualifying=None, revenue=None, max_age=None))]
#[allow(clippy::too_many_arguments)]
pub fn labelled_cohorts(
    py: Python<'_>,
    log: &PyEventLog,
    customers: PyArray,
    labels: PyArray,
    as_of: i64,
    period: Option<Coded<Period>>,
    mode: Option<Coded<RetentionMode>>,
    qualifying: Option<Coded<QualifyingEvents>>,
    revenue: Option<Coded<RevenueBasis>>,
    max_age: Option<u32>,
) -> PyResult<Vec<(String, PyTable)>> {
    let options = cohort_options(period, mode, qualifying, revenue, max_age);
    let ids = id_list("customer_id", customers)?;
    let labels = labels_vec(labels)?;
    let m = py
        .detach(|| {
            labelled_cohorts_from_slices(&log.inner, &ids, &labels, from_micros(as_of), &options)
        })
        .py()?;
    matrices(&m)
}

/// Retained / total of the treatment and control groups in a window.
#[pyfunction]
#[pyo3(signature = (log, customers, labels, as_of, *, window_start, window_days,
    treatment="treatment", control="control"))]
#[allow(clippy::too_many_arguments)]
pub fn retention_counts<'py>(
    py: Python<'py>,
    log: &PyEventLog,
    customers: PyArray,
    labels: PyArray,
    as_of: i64,
    window_start: i64,
    window_days: u32,
    treatment: &str,
    control: &str,
) -> PyResult<Bound<'py, PyDict>> {
    let ids = id_list("customer_id", customers)?;
    let labels = labels_vec(labels)?;
    let w = RetentionWindow {
        start: from_micros(window_start),
        days: window_days,
    };
    let c = py
        .detach(|| {
            core_retention_counts(
                &log.inner,
                &ids,
                &labels,
                treatment,
                control,
                w,
                from_micros(as_of),
            )
        })
        .py()?;
    let d = PyDict::new(py);
    d.set_item("treatment_retained", c.treatment.successes)?;
    d.set_item("treatment_total", c.treatment.total)?;
    d.set_item("control_retained", c.control.successes)?;
    d.set_item("control_total", c.control.total)?;
    d.set_item("treatment_rate", c.treatment.rate())?;
    d.set_item("control_rate", c.control.rate())?;
    Ok(d)
}

fn churn_basis(
    basis: Option<Coded<ActivityBasis>>,
    inactive_days: Option<u32>,
) -> PyResult<ChurnBasis> {
    ChurnBasis::new(coded(basis), inactive_days).py()
}

/// Log-rank test of the treatment and control groups' time to churn.
#[pyfunction]
#[pyo3(signature = (log, customers, labels, as_of, *, treatment="treatment", control="control",
    basis=None, inactive_days=None))]
#[allow(clippy::too_many_arguments)]
pub fn survival_comparison<'py>(
    py: Python<'py>,
    log: &PyEventLog,
    customers: PyArray,
    labels: PyArray,
    as_of: i64,
    treatment: &str,
    control: &str,
    basis: Option<Coded<ActivityBasis>>,
    inactive_days: Option<u32>,
) -> PyResult<Bound<'py, PyDict>> {
    let basis = churn_basis(basis, inactive_days)?;
    let ids = id_list("customer_id", customers)?;
    let labels = labels_vec(labels)?;
    let r = py
        .detach(|| {
            core_survival_comparison(
                &log.inner,
                &ids,
                &labels,
                treatment,
                control,
                from_micros(as_of),
                basis,
            )
        })
        .py()?;
    logrank_dict(py, r)
}

/// Time to churn per customer (days), right-censored at `as_of`.
#[pyfunction]
#[pyo3(signature = (log, as_of, *, basis=None, inactive_days=None))]
pub fn churn_durations(
    py: Python<'_>,
    log: &PyEventLog,
    as_of: i64,
    basis: Option<Coded<ActivityBasis>>,
    inactive_days: Option<u32>,
) -> PyResult<PyTable> {
    let basis = churn_basis(basis, inactive_days)?;
    let d = py
        .detach(|| core_churn_durations(&log.inner, as_of, basis))
        .py()?;
    to_table(&d)
}

/// The log as a table with the CSV columns, in log order.
#[pyfunction]
pub fn log_to_arrow(py: Python<'_>, log: &PyEventLog) -> PyResult<PyTable> {
    let log = log.inner.clone();
    py.detach(move || to_table(&*log))
}
