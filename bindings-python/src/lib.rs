//! Python bindings for `retention-core` (module `retention._retention`).
//!
//! Thin by design: each function converts its arguments (Arrow tables and
//! arrays through the PyCapsule interface, scalars), calls one core function
//! with the GIL released, and maps the core's error to the Python exception
//! classes of `retention.errors` (see [`errors`]). The pure-Python package
//! around this module turns the returned Arrow tables into pandas, polars or
//! pyarrow objects and converts dates.

pub mod api;
pub mod arrow;
pub mod errors;
pub mod log;
pub mod models;
pub mod survival;

use pyo3::prelude::*;

/// The compiled extension module.
#[pymodule]
fn _retention(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add_class::<log::PyEventLog>()?;
    m.add_class::<log::PySummaries>()?;
    m.add_function(wrap_pyfunction!(log::sample_events, m)?)?;
    m.add_function(wrap_pyfunction!(api::period_activity, m)?)?;
    m.add_function(wrap_pyfunction!(api::order_stats, m)?)?;
    m.add_function(wrap_pyfunction!(api::mrr_bridge, m)?)?;
    m.add_function(wrap_pyfunction!(api::customer_retention_rate, m)?)?;
    m.add_function(wrap_pyfunction!(api::churn_rate, m)?)?;
    m.add_function(wrap_pyfunction!(api::nps, m)?)?;
    m.add_function(wrap_pyfunction!(api::csat, m)?)?;
    m.add_function(wrap_pyfunction!(api::ces, m)?)?;
    m.add_function(wrap_pyfunction!(api::customer_loyalty_index, m)?)?;
    m.add_function(wrap_pyfunction!(api::simple_clv, m)?)?;
    m.add_function(wrap_pyfunction!(api::clv_with_margin, m)?)?;
    m.add_function(wrap_pyfunction!(api::retention_clv, m)?)?;
    m.add_function(wrap_pyfunction!(api::historic_clv, m)?)?;
    m.add_function(wrap_pyfunction!(api::average_lifespan_days, m)?)?;
    m.add_function(wrap_pyfunction!(api::rfm, m)?)?;
    m.add_function(wrap_pyfunction!(api::lifecycle, m)?)?;
    m.add_function(wrap_pyfunction!(api::cohort_matrix, m)?)?;
    m.add_function(wrap_pyfunction!(api::two_proportion_z_test_py, m)?)?;
    m.add_function(wrap_pyfunction!(api::health_scores, m)?)?;
    m.add_function(wrap_pyfunction!(api::model_input_table, m)?)?;
    m.add_function(wrap_pyfunction!(api::calibration_and_holdout_table, m)?)?;
    m.add_function(wrap_pyfunction!(survival::kaplan_meier, m)?)?;
    m.add_function(wrap_pyfunction!(survival::nelson_aalen, m)?)?;
    m.add_function(wrap_pyfunction!(survival::logrank_test, m)?)?;
    m.add_function(wrap_pyfunction!(survival::multivariate_logrank_test, m)?)?;
    m.add_function(wrap_pyfunction!(survival::concordance_index, m)?)?;
    m.add_function(wrap_pyfunction!(survival::cox_ph, m)?)?;
    models::register(m)?;
    Ok(())
}
