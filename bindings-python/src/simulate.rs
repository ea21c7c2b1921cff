//! Customers simulated from a model (`retention_core::models::simulate`),
//! returned as Arrow tables with the core's column names.

use pyo3::prelude::*;
use pyo3_arrow::{PyArray, PyTable};
use retention_core::models::simulate::{self, SimulatedPurchases};

use crate::arrow::{f64_vec, to_table};
use crate::errors::CoreResult;
use crate::models::{PyBgBbModel, PyTransactionModel};

/// Registers this module's functions.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(simulate_transactions, m)?)?;
    m.add_function(wrap_pyfunction!(simulate_bgbb, m)?)?;
    Ok(())
}

/// One simulated customer per entry of `ages` (`T`) from a BG/NBD,
/// MBG/NBD or Pareto/NBD model, with the stream of `seed`: the customers
/// table (`frequency, recency, age, rate, dropout, alive`) and the
/// purchases table (`customer, time`; empty unless `purchase_times`).
#[pyfunction]
#[pyo3(signature = (model, ages, seed, purchase_times = false))]
pub fn simulate_transactions(
    py: Python<'_>,
    model: &PyTransactionModel,
    ages: PyArray,
    seed: u64,
    purchase_times: bool,
) -> PyResult<(PyTable, PyTable)> {
    let ages = f64_vec("T", ages)?;
    let params = model.inner;
    let sim = py
        .detach(|| simulate::simulate_transactions(&params, &ages, seed, purchase_times))
        .py()?;
    Ok((to_table(&sim)?, to_table(&SimulatedPurchases(&sim))?))
}

/// One simulated BG/BB customer per entry of `periods` (`n`), with the
/// stream of `seed`: a table `frequency, recency, age, rate, dropout, alive`
/// (`rate` is `p`, `dropout` is `θ`).
#[pyfunction]
pub fn simulate_bgbb(
    py: Python<'_>,
    model: &PyBgBbModel,
    periods: PyArray,
    seed: u64,
) -> PyResult<PyTable> {
    let periods = f64_vec("n_periods", periods)?;
    let params = model.inner;
    let sim = py
        .detach(|| simulate::simulate_bgbb(&params, &periods, seed))
        .py()?;
    to_table(&sim)
}
