//! Survival statistics: weighted and pairwise log-rank tests, the
//! fixed-point Kaplan–Meier test, RMST, Brier scores and time-dependent AUC.

use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};
use pyo3_arrow::PyArray;
use retention_core::survival::{
    brier_score as core_brier, cumulative_dynamic_auc as core_auc,
    integrated_brier_score as core_ibs, multivariate_logrank_test_with,
    pairwise_logrank_test as core_pairwise, restricted_mean_survival_time as core_rmst,
    survival_difference_at_fixed_point_in_time_test as core_fixed_point, LogRankOptions,
    LogRankWeighting, DEFAULT_TIED_TOL,
};

use crate::arrow::{bool_vec, f64_vec, id_list, opt_f64_vec};
use crate::dicts::{to_dict, to_list};
use crate::errors::{coded, Coded, CoreResult};

fn options(
    weighting: Option<Coded<LogRankWeighting>>,
    p: Option<f64>,
    q: Option<f64>,
    t_0: Option<f64>,
) -> LogRankOptions {
    let mut o = LogRankOptions::new(coded(weighting));
    o.p = p.unwrap_or(o.p);
    o.q = q.unwrap_or(o.q);
    o.t_0 = t_0;
    o
}

/// (Weighted) log-rank test across groups, with case weights and `t_0`.
#[pyfunction]
#[pyo3(signature = (durations, groups, event_observed, weights=None, *, weighting=None, p=None,
    q=None, t_0=None))]
#[allow(clippy::too_many_arguments)]
pub fn weighted_logrank_test<'py>(
    py: Python<'py>,
    durations: PyArray,
    groups: PyArray,
    event_observed: PyArray,
    weights: Option<PyArray>,
    weighting: Option<Coded<LogRankWeighting>>,
    p: Option<f64>,
    q: Option<f64>,
    t_0: Option<f64>,
) -> PyResult<Bound<'py, PyDict>> {
    let d = f64_vec("durations", durations)?;
    let g = id_list("groups", groups)?;
    let e = bool_vec("event_observed", event_observed)?;
    let w = opt_f64_vec("weights", weights)?;
    let o = options(weighting, p, q, t_0);
    let r = py
        .detach(|| multivariate_logrank_test_with(&d, &e, &g, w.as_deref(), &o))
        .py()?;
    to_dict(py, &r)
}

/// The two-group test for every pair of groups: `[{a, b, test}, …]`.
#[pyfunction]
#[pyo3(signature = (durations, groups, event_observed, weights=None, *, weighting=None, p=None,
    q=None, t_0=None))]
#[allow(clippy::too_many_arguments)]
pub fn pairwise_logrank_test<'py>(
    py: Python<'py>,
    durations: PyArray,
    groups: PyArray,
    event_observed: PyArray,
    weights: Option<PyArray>,
    weighting: Option<Coded<LogRankWeighting>>,
    p: Option<f64>,
    q: Option<f64>,
    t_0: Option<f64>,
) -> PyResult<Bound<'py, PyList>> {
    let d = f64_vec("durations", durations)?;
    let g = id_list("groups", groups)?;
    let e = bool_vec("event_observed", event_observed)?;
    let w = opt_f64_vec("weights", weights)?;
    let o = options(weighting, p, q, t_0);
    let r = py
        .detach(|| core_pairwise(&d, &e, &g, w.as_deref(), &o))
        .py()?;
    to_list(py, &r)
}

/// Kaplan–Meier curves of two samples compared at one time.
#[pyfunction]
pub fn survival_difference_at_fixed_point_in_time_test<'py>(
    py: Python<'py>,
    point_in_time: f64,
    durations_a: PyArray,
    event_observed_a: PyArray,
    durations_b: PyArray,
    event_observed_b: PyArray,
) -> PyResult<Bound<'py, PyDict>> {
    let da = f64_vec("durations_A", durations_a)?;
    let ea = bool_vec("event_observed_A", event_observed_a)?;
    let db = f64_vec("durations_B", durations_b)?;
    let eb = bool_vec("event_observed_B", event_observed_b)?;
    let r = py
        .detach(|| core_fixed_point(point_in_time, &da, &ea, &db, &eb))
        .py()?;
    to_dict(py, &r)
}

/// Restricted mean survival time of the Kaplan–Meier curve: `(mean, variance)`.
#[pyfunction]
pub fn restricted_mean_survival_time(
    py: Python<'_>,
    durations: PyArray,
    event_observed: PyArray,
    t: f64,
) -> PyResult<(f64, f64)> {
    let d = f64_vec("durations", durations)?;
    let e = bool_vec("event_observed", event_observed)?;
    let r = py.detach(|| core_rmst(&d, &e, t)).py()?;
    Ok((r.mean, r.variance))
}

/// Training and test samples of the prediction metrics.
type Samples = (Vec<f64>, Vec<bool>, Vec<f64>, Vec<bool>);

fn samples(
    durations_train: PyArray,
    event_observed_train: PyArray,
    durations_test: PyArray,
    event_observed_test: PyArray,
) -> PyResult<Samples> {
    Ok((
        f64_vec("durations_train", durations_train)?,
        bool_vec("event_observed_train", event_observed_train)?,
        f64_vec("durations_test", durations_test)?,
        bool_vec("event_observed_test", event_observed_test)?,
    ))
}

/// Brier score at each time; `survival[k]` holds the predictions at `times[k]`.
#[pyfunction]
pub fn brier_score(
    py: Python<'_>,
    durations_train: PyArray,
    event_observed_train: PyArray,
    durations_test: PyArray,
    event_observed_test: PyArray,
    survival: Vec<Vec<f64>>,
    times: Vec<f64>,
) -> PyResult<Vec<f64>> {
    let (dt, et, ds, es) = samples(
        durations_train,
        event_observed_train,
        durations_test,
        event_observed_test,
    )?;
    py.detach(|| core_brier(&dt, &et, &ds, &es, &survival, &times))
        .py()
}

/// Integrated Brier score over `times`.
#[pyfunction]
pub fn integrated_brier_score(
    py: Python<'_>,
    durations_train: PyArray,
    event_observed_train: PyArray,
    durations_test: PyArray,
    event_observed_test: PyArray,
    survival: Vec<Vec<f64>>,
    times: Vec<f64>,
) -> PyResult<f64> {
    let (dt, et, ds, es) = samples(
        durations_train,
        event_observed_train,
        durations_test,
        event_observed_test,
    )?;
    py.detach(|| core_ibs(&dt, &et, &ds, &es, &survival, &times))
        .py()
}

/// Cumulative/dynamic AUC at each time and its mean: `(auc, mean_auc)`.
#[pyfunction]
#[pyo3(signature = (durations_train, event_observed_train, durations_test, event_observed_test,
    risk, times, tied_tol=None))]
#[allow(clippy::too_many_arguments)]
pub fn cumulative_dynamic_auc(
    py: Python<'_>,
    durations_train: PyArray,
    event_observed_train: PyArray,
    durations_test: PyArray,
    event_observed_test: PyArray,
    risk: Vec<Vec<f64>>,
    times: Vec<f64>,
    tied_tol: Option<f64>,
) -> PyResult<(Vec<f64>, f64)> {
    let tied_tol = tied_tol.unwrap_or(DEFAULT_TIED_TOL);
    let (dt, et, ds, es) = samples(
        durations_train,
        event_observed_train,
        durations_test,
        event_observed_test,
    )?;
    let r = py
        .detach(|| core_auc(&dt, &et, &ds, &es, &risk, &times, tied_tol))
        .py()?;
    Ok((r.auc, r.mean_auc))
}

/// Registers this file's functions.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    for f in [
        wrap_pyfunction!(weighted_logrank_test, m)?,
        wrap_pyfunction!(pairwise_logrank_test, m)?,
        wrap_pyfunction!(survival_difference_at_fixed_point_in_time_test, m)?,
        wrap_pyfunction!(restricted_mean_survival_time, m)?,
        wrap_pyfunction!(brier_score, m)?,
        wrap_pyfunction!(integrated_brier_score, m)?,
        wrap_pyfunction!(cumulative_dynamic_auc, m)?,
    ] {
        m.add_function(f)?;
    }
    Ok(())
}
