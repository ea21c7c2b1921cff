//! Predictions beyond calibration for the transaction models and intervals
//! around predictions (the core's `models::predictions`).
//!
//! Each function converts its Arrow columns, calls one core function with
//! the GIL released, and returns an Arrow array or a list of dicts (the
//! core's serialised result structs).

use pyo3::prelude::*;
use pyo3::types::PyList;
use pyo3_arrow::PyArray;
use retention_core::models::clv::ClvTimeUnit;
use retention_core::models::predictions::intervals::{
    clv_intervals as core_clv_intervals, prediction_intervals as core_intervals, IntervalOptions,
    Prediction,
};
use retention_core::Error;

use crate::arrow::{f64_array, f64_vec};
use crate::dicts::{from_dict, to_list};
use crate::errors::{Coded, CoreResult};
use crate::models::{clv_options, Columns, PyBgBbModel, PyGammaGammaModel, PyTransactionModel};

/// Registers the functions of this module.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(probability_alive_at, m)?)?;
    m.add_function(wrap_pyfunction!(conditional_probability_of_purchases, m)?)?;
    m.add_function(wrap_pyfunction!(dert, m)?)?;
    m.add_function(wrap_pyfunction!(next_purchase, m)?)?;
    m.add_function(wrap_pyfunction!(prediction_intervals, m)?)?;
    m.add_function(wrap_pyfunction!(clv_intervals, m)?)?;
    m.add_function(wrap_pyfunction!(
        bgbb_conditional_probability_of_transactions,
        m
    )?)?;
    m.add_function(wrap_pyfunction!(bgbb_dert, m)?)?;
    Ok(())
}

/// P(alive at `T + tau`) per customer: marginal over the purchases in
/// between, or, with `given_no_purchase`, given none.
#[pyfunction]
pub fn probability_alive_at(
    py: Python<'_>,
    model: &PyTransactionModel,
    tau: f64,
    frequency: PyArray,
    recency: PyArray,
    age: PyArray,
    given_no_purchase: bool,
) -> PyResult<PyArray> {
    let cols = Columns::new(frequency, recency, age, None)?;
    let m = model.inner;
    let v = py
        .detach(|| {
            if given_no_purchase {
                m.probability_alive_given_no_purchase_batch(tau, &cols.summary())
            } else {
                m.probability_alive_at_batch(tau, &cols.summary())
            }
        })
        .py()?;
    Ok(f64_array(v))
}

/// P(exactly `n` purchases in the next `t`) per customer.
#[pyfunction]
pub fn conditional_probability_of_purchases(
    py: Python<'_>,
    model: &PyTransactionModel,
    n: u64,
    t: f64,
    frequency: PyArray,
    recency: PyArray,
    age: PyArray,
) -> PyResult<PyArray> {
    let cols = Columns::new(frequency, recency, age, None)?;
    let m = model.inner;
    let v = py
        .detach(|| m.conditional_probability_of_purchases_batch(n, t, &cols.summary()))
        .py()?;
    Ok(f64_array(v))
}

/// Discounted expected residual transactions per customer.
#[pyfunction]
pub fn dert(
    py: Python<'_>,
    model: &PyTransactionModel,
    discount_rate: f64,
    frequency: PyArray,
    recency: PyArray,
    age: PyArray,
) -> PyResult<PyArray> {
    let cols = Columns::new(frequency, recency, age, None)?;
    let m = model.inner;
    let v = py
        .detach(|| m.dert_batch(discount_rate, &cols.summary()))
        .py()?;
    Ok(f64_array(v))
}

/// The next-purchase figures per customer, as dicts.
#[pyfunction]
pub fn next_purchase<'py>(
    py: Python<'py>,
    model: &PyTransactionModel,
    t: f64,
    frequency: PyArray,
    recency: PyArray,
    age: PyArray,
) -> PyResult<Bound<'py, PyList>> {
    let cols = Columns::new(frequency, recency, age, None)?;
    let m = model.inner;
    let v = py
        .detach(|| m.next_purchase_batch(t, &cols.summary()))
        .py()?;
    to_list(py, &v)
}

fn covariance(name: &'static str, cov: Option<Vec<f64>>) -> PyResult<Vec<f64>> {
    cov.ok_or(Error::InvalidParameter {
        name,
        value: "None".into(),
        reason: "intervals need the fit's covariance (a fitted model whose information is positive definite)",
    })
    .py()
}

/// Intervals around a prediction per customer, as dicts. `prediction` is a
/// dict read into the core's `Prediction` (`{"prediction": "dert",
/// "discount_rate": 0.01}`), `options` into `IntervalOptions`.
#[pyfunction]
#[allow(clippy::too_many_arguments)]
pub fn prediction_intervals<'py>(
    py: Python<'py>,
    model: &PyTransactionModel,
    covariance: Option<Vec<f64>>,
    prediction: &Bound<'py, PyAny>,
    frequency: PyArray,
    recency: PyArray,
    age: PyArray,
    options: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyList>> {
    let cov = self::covariance("covariance", covariance)?;
    let prediction: Prediction = from_dict("prediction", prediction)?;
    let options: IntervalOptions = from_dict("options", options)?;
    let cols = Columns::new(frequency, recency, age, None)?;
    let m = model.inner;
    let v = py
        .detach(|| core_intervals(&m, &cov, prediction, &cols.summary(), &options))
        .py()?;
    to_list(py, &v)
}

/// Intervals around predictive CLV per customer, as dicts (CLV options as
/// in `predictive_clv`, interval options a dict read into `IntervalOptions`).
#[pyfunction]
#[pyo3(signature = (model, covariance, spend, spend_covariance, frequency, recency, age,
    monetary_value, options, *, horizon_months=None, monthly_discount_rate=None,
    time_unit=None, unit_days=None))]
#[allow(clippy::too_many_arguments)]
pub fn clv_intervals<'py>(
    py: Python<'py>,
    model: &PyTransactionModel,
    covariance: Option<Vec<f64>>,
    spend: &PyGammaGammaModel,
    spend_covariance: Option<Vec<f64>>,
    frequency: PyArray,
    recency: PyArray,
    age: PyArray,
    monetary_value: PyArray,
    options: &Bound<'py, PyAny>,
    horizon_months: Option<u32>,
    monthly_discount_rate: Option<f64>,
    time_unit: Option<Coded<ClvTimeUnit>>,
    unit_days: Option<f64>,
) -> PyResult<Bound<'py, PyList>> {
    let cov = self::covariance("covariance", covariance)?;
    let spend_cov = self::covariance("spend_covariance", spend_covariance)?;
    let options: IntervalOptions = from_dict("options", options)?;
    let cols = Columns::new(frequency, recency, age, None)?;
    let mv = f64_vec("monetary_value", monetary_value)?;
    let clv = clv_options(horizon_months, monthly_discount_rate, time_unit, unit_days);
    let (m, gg) = (model.inner, spend.inner);
    let v = py
        .detach(|| {
            core_clv_intervals(
                &m,
                &cov,
                &gg,
                &spend_cov,
                &cols.summary(),
                &mv,
                &clv,
                &options,
            )
        })
        .py()?;
    to_list(py, &v)
}

/// BG/BB: P(exactly `transactions` in the next `future` opportunities) per
/// customer (`age` = opportunities observed).
#[pyfunction]
pub fn bgbb_conditional_probability_of_transactions(
    py: Python<'_>,
    model: &PyBgBbModel,
    transactions: u64,
    future: u64,
    frequency: PyArray,
    recency: PyArray,
    age: PyArray,
) -> PyResult<PyArray> {
    let cols = Columns::new(frequency, recency, age, None)?;
    let m = model.inner;
    let v = py
        .detach(|| {
            m.conditional_probability_of_transactions_batch(transactions, future, &cols.summary())
        })
        .py()?;
    Ok(f64_array(v))
}

/// BG/BB: discounted expected residual transactions per customer at a
/// discount rate per opportunity.
#[pyfunction]
pub fn bgbb_dert(
    py: Python<'_>,
    model: &PyBgBbModel,
    discount_rate: f64,
    frequency: PyArray,
    recency: PyArray,
    age: PyArray,
) -> PyResult<PyArray> {
    let cols = Columns::new(frequency, recency, age, None)?;
    let m = model.inner;
    let v = py
        .detach(|| m.dert_batch(discount_rate, &cols.summary()))
        .py()?;
    Ok(f64_array(v))
}
