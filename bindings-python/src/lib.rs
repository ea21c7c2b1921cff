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
pub mod cells;
pub mod churn;
pub mod cohort_retention;
pub mod contractual;
pub mod cox;
pub mod cox_parametric;
pub mod diagnostics;
pub mod dicts;
pub mod errors;
pub mod evaluation;
pub mod extra;
pub mod internals;
pub mod log;
pub mod loyalty;
pub mod models;
pub mod models_cov;
pub mod parametric;
pub mod period_lifecycle;
pub mod predictions;
pub mod segments;
pub mod simulate;
pub mod spark;
pub mod state;
pub mod statistics;
pub mod survival;
pub mod survival_censoring;
pub mod survival_curves;
pub mod vocab;

use pyo3::prelude::*;

/// The compiled extension module.
#[pymodule]
fn _retention(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add_class::<log::PyEventLog>()?;
    m.add_class::<log::PySummaries>()?;
    m.add_function(wrap_pyfunction!(log::sample_events, m)?)?;
    m.add_function(wrap_pyfunction!(
        cohort_retention::with_event_properties,
        m
    )?)?;
    m.add_function(wrap_pyfunction!(
        cohort_retention::with_customer_properties,
        m
    )?)?;
    m.add_function(wrap_pyfunction!(cohort_retention::cohort_retention, m)?)?;
    m.add_function(wrap_pyfunction!(log::summary_state_schema, m)?)?;
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
    // --- spark models and segments (sparkmod) ---
    m.add_function(wrap_pyfunction!(spark::rfm_values, m)?)?;
    m.add_function(wrap_pyfunction!(spark::rfm_cuts, m)?)?;
    m.add_function(wrap_pyfunction!(spark::rfm_score, m)?)?;
    m.add_function(wrap_pyfunction!(spark::cohort_cells, m)?)?;
    m.add_function(wrap_pyfunction!(spark::cohort_matrix_from_cells, m)?)?;
    m.add_function(wrap_pyfunction!(spark::customer_scores, m)?)?;
    // --- end spark models and segments ---
    m.add_function(wrap_pyfunction!(api::two_proportion_z_test_py, m)?)?;
    m.add_function(wrap_pyfunction!(api::health_scores, m)?)?;
    m.add_function(wrap_pyfunction!(api::model_input_table, m)?)?;
    m.add_function(wrap_pyfunction!(api::model_input_from_orders, m)?)?;
    m.add_function(wrap_pyfunction!(api::model_input_of_log, m)?)?;
    m.add_function(wrap_pyfunction!(api::calibration_and_holdout_table, m)?)?;
    m.add_function(wrap_pyfunction!(internals::check_model_inputs, m)?)?;
    m.add_function(wrap_pyfunction!(internals::pareto_nbd_ln_a0, m)?)?;
    m.add_function(wrap_pyfunction!(internals::purchase_periods_table, m)?)?;
    m.add_function(wrap_pyfunction!(survival::kaplan_meier, m)?)?;
    m.add_function(wrap_pyfunction!(survival::nelson_aalen, m)?)?;
    m.add_function(wrap_pyfunction!(survival_curves::kaplan_meier_fit, m)?)?;
    m.add_function(wrap_pyfunction!(survival_curves::km_greenwood_bounds, m)?)?;
    m.add_function(wrap_pyfunction!(survival_curves::nelson_aalen_fit, m)?)?;
    m.add_function(wrap_pyfunction!(
        survival_censoring::kaplan_meier_left_fit,
        m
    )?)?;
    m.add_function(wrap_pyfunction!(survival_censoring::turnbull_fit, m)?)?;
    m.add_function(wrap_pyfunction!(survival_censoring::aalen_johansen_fit, m)?)?;
    m.add_function(wrap_pyfunction!(survival_curves::step_percentile, m)?)?;
    m.add_function(wrap_pyfunction!(
        survival_curves::step_conditional_time_to_event,
        m
    )?)?;
    m.add_function(wrap_pyfunction!(survival_curves::smoothed_hazard, m)?)?;
    m.add_function(wrap_pyfunction!(survival_curves::step_union, m)?)?;
    m.add_function(wrap_pyfunction!(survival_curves::step_interpolate, m)?)?;
    m.add_function(wrap_pyfunction!(survival::logrank_test, m)?)?;
    m.add_function(wrap_pyfunction!(survival::multivariate_logrank_test, m)?)?;
    m.add_function(wrap_pyfunction!(survival::concordance_index, m)?)?;
    m.add_function(wrap_pyfunction!(survival::cox_ph, m)?)?;
    models::register(m)?;
    evaluation::register(m)?;
    simulate::register(m)?;
    predictions::register(m)?;
    models_cov::register(m)?;
    statistics::register(m)?;
    cox::register(m)?;
    diagnostics::register(m)?;
    cox_parametric::register(m)?;
    parametric::register(m)?;
    contractual::register(m)?;
    // --- extras: loyalty, supervised churn, segments, series, experiments ---
    m.add_class::<churn::PyLogisticModel>()?;
    for f in [
        wrap_pyfunction!(loyalty::points_ledger, m)?,
        wrap_pyfunction!(loyalty::points_balances, m)?,
        wrap_pyfunction!(loyalty::redeem_points, m)?,
        wrap_pyfunction!(loyalty::tier_status, m)?,
        wrap_pyfunction!(loyalty::tier_for_value, m)?,
        wrap_pyfunction!(loyalty::tier_history, m)?,
        wrap_pyfunction!(loyalty::loyalty_programme, m)?,
        wrap_pyfunction!(churn::churn_feature_names, m)?,
        wrap_pyfunction!(churn::churn_features, m)?,
        wrap_pyfunction!(churn::churn_labels, m)?,
        wrap_pyfunction!(churn::evaluate, m)?,
        wrap_pyfunction!(churn::traffic_light, m)?,
        wrap_pyfunction!(segments::historic_value_tiers, m)?,
        wrap_pyfunction!(segments::value_tiers, m)?,
        wrap_pyfunction!(segments::rule_segments, m)?,
        wrap_pyfunction!(extra::period_activity_series, m)?,
        wrap_pyfunction!(extra::period_over_period_retention, m)?,
        wrap_pyfunction!(extra::period_over_period_retention_series, m)?,
        wrap_pyfunction!(period_lifecycle::lifecycle_counts, m)?,
        wrap_pyfunction!(period_lifecycle::stickiness, m)?,
        wrap_pyfunction!(extra::referral_stats, m)?,
        wrap_pyfunction!(extra::engagement, m)?,
        wrap_pyfunction!(extra::labelled_cohorts, m)?,
        wrap_pyfunction!(extra::retention_counts, m)?,
        wrap_pyfunction!(extra::survival_comparison, m)?,
        wrap_pyfunction!(extra::churn_durations, m)?,
        wrap_pyfunction!(extra::log_to_arrow, m)?,
        wrap_pyfunction!(vocab::vocabulary, m)?,
        wrap_pyfunction!(vocab::defaults, m)?,
    ] {
        m.add_function(f)?;
    }
    Ok(())
}
