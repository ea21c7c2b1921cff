//! Native functions behind lifetimes' private helpers that its users and
//! tests call (`utils._check_inputs`, `ParetoNBDFitter._log_A_0`,
//! `utils._find_first_transactions`): each converts, calls one core
//! function and maps the error.

use pyo3::prelude::*;
use pyo3_arrow::{PyArray, PyTable};
use retention_core::model_input::{self, TimeUnit};
use retention_core::models::pareto_nbd::ParetoNbdParams;
use retention_core::models::{check_inputs, TransactionSummary};

use crate::arrow::{f64_array, f64_vec, to_table};
use crate::errors::{Coded, CoreResult};
use crate::log::PySummaries;

/// Checks summary columns without fitting (lifetimes' `_check_inputs`
/// rules); raises `InvalidRowsError` naming the bad rows.
#[pyfunction]
#[pyo3(signature = (frequency, recency=None, age=None, monetary_value=None))]
pub fn check_model_inputs(
    py: Python<'_>,
    frequency: PyArray,
    recency: Option<PyArray>,
    age: Option<PyArray>,
    monetary_value: Option<PyArray>,
) -> PyResult<()> {
    let x = f64_vec("frequency", frequency)?;
    let t_x = recency.map(|a| f64_vec("recency", a)).transpose()?;
    let t = age.map(|a| f64_vec("age", a)).transpose()?;
    let m = monetary_value
        .map(|a| f64_vec("monetary_value", a))
        .transpose()?;
    py.detach(|| check_inputs(&x, t_x.as_deref(), t.as_deref(), m.as_deref()))
        .py()
}

/// `ln A₀` of the Pareto/NBD likelihood per row, at `(r, alpha, s, beta)`.
#[pyfunction]
pub fn pareto_nbd_ln_a0(
    py: Python<'_>,
    params: [f64; 4],
    frequency: PyArray,
    recency: PyArray,
    age: PyArray,
) -> PyResult<PyArray> {
    let (x, t_x, t) = (
        f64_vec("frequency", frequency)?,
        f64_vec("recency", recency)?,
        f64_vec("age", age)?,
    );
    let v = py
        .detach(|| {
            let p = ParetoNbdParams::new(params[0], params[1], params[2], params[3])?;
            p.ln_a0(&TransactionSummary::new(&x, &t_x, &t))
        })
        .py()?;
    Ok(f64_array(v))
}

/// One row per customer and purchase period up to `observation_end`:
/// `customer_id`, `period_start`, `spend`, `orders`, `first`.
#[pyfunction]
#[pyo3(signature = (summaries, observation_end, *, unit=None))]
pub fn purchase_periods_table(
    py: Python<'_>,
    summaries: &PySummaries,
    observation_end: i64,
    unit: Option<Coded<TimeUnit>>,
) -> PyResult<PyTable> {
    let unit = unit.map(|u| u.0).unwrap_or_default();
    let p = py
        .detach(|| model_input::purchase_periods(&summaries.order_days, unit, observation_end))
        .py()?;
    to_table(&p)
}
