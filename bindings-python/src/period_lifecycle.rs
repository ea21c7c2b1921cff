//! Lifecycle counts per period and stickiness, in a calendar that may be in
//! a named time zone.

use pyo3::prelude::*;
use pyo3::types::PyDict;
use pyo3_arrow::PyTable;
use retention_core::segments::period_lifecycle as core;
use retention_core::table::InCalendar;
use retention_core::time::{Calendar, Period};

use crate::arrow::to_table;
use crate::dicts::to_dict;
use crate::errors::{Coded, CoreResult};
use crate::extra::period_range;
use crate::log::PyEventLog;

/// The calendar of a period code (the core's default period when absent),
/// in the named IANA time zone when one is given, else UTC.
pub(crate) fn zoned_calendar(
    period: Option<Coded<Period>>,
    time_zone: Option<&str>,
) -> PyResult<Calendar> {
    let period = period.map_or(Calendar::default().period, |p| p.0);
    Calendar::with_zone_or_offset(period, time_zone, 0).py()
}

/// New, returning, resurrecting and dormant customers for every period from
/// the one containing `start` to the one containing `end`.
#[pyfunction]
#[pyo3(signature = (log, start, end, *, period=None, time_zone=None))]
pub fn lifecycle_counts(
    py: Python<'_>,
    log: &PyEventLog,
    start: i64,
    end: i64,
    period: Option<Coded<Period>>,
    time_zone: Option<&str>,
) -> PyResult<PyTable> {
    let (cal, first, last) = period_range(period, time_zone, start, end)?;
    let rows = py
        .detach(|| core::lifecycle_counts(&log.inner, &cal, first, last))
        .py()?;
    to_table(&InCalendar {
        calendar: &cal,
        rows: &rows[..],
    })
}

/// Stickiness of the customers active in the periods from the one containing
/// `start` to the one containing `end`.
#[pyfunction]
#[pyo3(signature = (log, start, end, *, period=None, time_zone=None))]
pub fn stickiness<'py>(
    py: Python<'py>,
    log: &PyEventLog,
    start: i64,
    end: i64,
    period: Option<Coded<Period>>,
    time_zone: Option<&str>,
) -> PyResult<Bound<'py, PyDict>> {
    let (cal, first, last) = period_range(period, time_zone, start, end)?;
    let s = py
        .detach(|| core::stickiness(&log.inner, &cal, first, last))
        .py()?;
    let d = to_dict(py, &s)?;
    d.set_item("period_start", cal.start(first))?;
    d.set_item("period_end", cal.end(last))?;
    Ok(d)
}
