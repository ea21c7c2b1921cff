//! Holdout evaluation of transaction models (the core's
//! `models::evaluation`): each function converts its columns, calls one
//! core function with the GIL released, and returns an Arrow table, array,
//! number or dict.

use pyo3::prelude::*;
use pyo3::types::PyDict;
use pyo3_arrow::{PyArray, PyTable};
use retention_core::models::evaluation::{self, EvaluationOptions, HoldoutData, MixingProcess};
use retention_core::models::TransactionSummary;

use crate::arrow::{f64_array, f64_vec, opt_f64_vec, to_table};
use crate::dicts::{option_dict, to_dict};
use crate::errors::{Coded, CoreResult};
use crate::log::PySummaries;
use crate::models::PyTransactionModel;

/// Registers the functions of this module.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(tracking_series, m)?)?;
    m.add_function(wrap_pyfunction!(conditional_holdout_table, m)?)?;
    m.add_function(wrap_pyfunction!(holdout_metrics, m)?)?;
    m.add_function(wrap_pyfunction!(tracking_mape, m)?)?;
    m.add_function(wrap_pyfunction!(period_transactions, m)?)?;
    m.add_function(wrap_pyfunction!(alive_path, m)?)?;
    m.add_function(wrap_pyfunction!(heterogeneity, m)?)?;
    Ok(())
}

/// Actual and expected repeat transactions per model time unit over the
/// first `periods` periods of `unit` (the core's `evaluation::tracking`).
#[pyfunction]
#[pyo3(signature = (model, summaries, periods, *, options=None))]
pub fn tracking_series(
    py: Python<'_>,
    model: &PyTransactionModel,
    summaries: &PySummaries,
    periods: usize,
    options: Option<&Bound<'_, PyDict>>,
) -> PyResult<PyTable> {
    let m = model.inner;
    let o: EvaluationOptions = option_dict("options", options)?;
    let rows = py
        .detach(|| evaluation::tracking(&m, &summaries.order_days, o.unit, periods, o.multiplier))
        .py()?;
    to_table(&rows[..])
}

/// Calibration columns, holdout purchases and the holdout length.
struct Holdout {
    x: Vec<f64>,
    t_x: Vec<f64>,
    age: Vec<f64>,
    holdout: Vec<f64>,
    duration: f64,
}

impl Holdout {
    fn new(
        frequency_cal: PyArray,
        recency_cal: PyArray,
        t_cal: PyArray,
        frequency_holdout: PyArray,
        duration_holdout: f64,
    ) -> PyResult<Self> {
        Ok(Holdout {
            x: f64_vec("frequency_cal", frequency_cal)?,
            t_x: f64_vec("recency_cal", recency_cal)?,
            age: f64_vec("T_cal", t_cal)?,
            holdout: f64_vec("frequency_holdout", frequency_holdout)?,
            duration: duration_holdout,
        })
    }

    fn data(&self) -> HoldoutData<'_> {
        HoldoutData {
            calibration: TransactionSummary::new(&self.x, &self.t_x, &self.age),
            frequency_holdout: &self.holdout,
            duration_holdout: self.duration,
        }
    }
}

/// Mean actual and expected holdout purchases by calibration figure (the
/// core's `evaluation::conditional_holdout_table`).
#[pyfunction]
#[pyo3(signature = (model, frequency_cal, recency_cal, t_cal, frequency_holdout, duration_holdout,
    *, options=None))]
#[allow(clippy::too_many_arguments)]
pub fn conditional_holdout_table(
    py: Python<'_>,
    model: &PyTransactionModel,
    frequency_cal: PyArray,
    recency_cal: PyArray,
    t_cal: PyArray,
    frequency_holdout: PyArray,
    duration_holdout: f64,
    options: Option<&Bound<'_, PyDict>>,
) -> PyResult<PyTable> {
    let h = Holdout::new(
        frequency_cal,
        recency_cal,
        t_cal,
        frequency_holdout,
        duration_holdout,
    )?;
    let m = model.inner;
    let o: EvaluationOptions = option_dict("options", options)?;
    let rows = py
        .detach(|| evaluation::conditional_holdout_table(&m, &h.data(), o.group_by, o.max_groups))
        .py()?;
    to_table(&rows[..])
}

/// MAE, RMSE and correlation of the model's holdout predictions (the
/// core's `evaluation::holdout_metrics`).
#[pyfunction]
pub fn holdout_metrics<'py>(
    py: Python<'py>,
    model: &PyTransactionModel,
    frequency_cal: PyArray,
    recency_cal: PyArray,
    t_cal: PyArray,
    frequency_holdout: PyArray,
    duration_holdout: f64,
) -> PyResult<Bound<'py, PyDict>> {
    let h = Holdout::new(
        frequency_cal,
        recency_cal,
        t_cal,
        frequency_holdout,
        duration_holdout,
    )?;
    let m = model.inner;
    let metrics = py
        .detach(|| evaluation::holdout_metrics(&m, &h.data()))
        .py()?;
    to_dict(py, &metrics)
}

/// Mean absolute percentage error of a cumulative tracking series.
#[pyfunction]
pub fn tracking_mape(
    py: Python<'_>,
    actual_cumulative: PyArray,
    expected_cumulative: PyArray,
) -> PyResult<f64> {
    let a = f64_vec("actual_cumulative", actual_cumulative)?;
    let e = f64_vec("expected_cumulative", expected_cumulative)?;
    py.detach(|| evaluation::tracking_mape(&a, &e)).py()
}

/// Observed and expected customers by calibration frequency (the core's
/// `evaluation::period_transactions`).
#[pyfunction]
#[pyo3(signature = (model, frequency, recency, age, weights=None, *, options=None))]
pub fn period_transactions(
    py: Python<'_>,
    model: &PyTransactionModel,
    frequency: PyArray,
    recency: PyArray,
    age: PyArray,
    weights: Option<PyArray>,
    options: Option<&Bound<'_, PyDict>>,
) -> PyResult<PyTable> {
    let max_frequency = option_dict::<EvaluationOptions>("options", options)?.max_frequency;
    let x = f64_vec("frequency", frequency)?;
    let t_x = f64_vec("recency", recency)?;
    let age = f64_vec("age", age)?;
    let w = opt_f64_vec("weights", weights)?;
    let m = model.inner;
    let rows = py
        .detach(|| {
            let s = TransactionSummary::new(&x, &t_x, &age);
            let s = match &w {
                Some(w) => s.with_weights(w),
                None => s,
            };
            evaluation::period_transactions(&m, &s, max_frequency)
        })
        .py()?;
    to_table(&rows[..])
}

/// P(alive) at each period since one customer's first order, given their
/// orders at `instants` (µs since the epoch).
#[pyfunction]
#[pyo3(signature = (model, instants, periods, *, options=None))]
pub fn alive_path(
    py: Python<'_>,
    model: &PyTransactionModel,
    instants: Vec<i64>,
    periods: usize,
    options: Option<&Bound<'_, PyDict>>,
) -> PyResult<PyArray> {
    let m = model.inner;
    let unit = option_dict::<EvaluationOptions>("options", options)?.unit;
    let path = py
        .detach(|| evaluation::alive_path(&m, &instants, unit, periods))
        .py()?;
    Ok(f64_array(path))
}

/// The density of a mixing distribution of the model on `points` values
/// from 0 to its 99th percentile.
#[pyfunction]
pub fn heterogeneity<'py>(
    py: Python<'py>,
    model: &PyTransactionModel,
    process: Coded<MixingProcess>,
    points: usize,
) -> PyResult<Bound<'py, PyDict>> {
    let h = evaluation::heterogeneity(&model.inner, process.0, points).py()?;
    to_dict(py, &h)
}
