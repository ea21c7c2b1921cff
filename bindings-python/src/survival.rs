//! Survival analysis: Kaplan-Meier, Nelson-Aalen, log-rank, Cox, concordance.

use pyo3::prelude::*;
use pyo3::types::PyDict;
use pyo3_arrow::{PyArray, PyTable};
use retention_core::survival::{
    concordance_index as core_concordance, logrank_test as core_logrank,
    multivariate_logrank_test as core_multi_logrank, CoxModel, CoxOptions, CoxTies, KaplanMeier,
    KaplanMeierOptions, KmConfidenceTransform, LogRankTest, NelsonAalen, NelsonAalenOptions,
    NelsonAalenTies, SampleWeights,
};

use crate::arrow::{bool_vec, f64_vec, id_list, opt_f64_vec, to_table};
use crate::dicts::to_dict;
use crate::errors::{coded, Coded, CoreResult};

/// Kaplan-Meier result: curve table, median, median confidence interval.
type KmResult = (PyTable, Option<f64>, (Option<f64>, Option<f64>));

/// A fitted Kaplan-Meier estimate: tables of the curve and its bounds.
#[pyfunction]
#[pyo3(signature = (durations, event_observed, *, alpha=None, transform=None, weights=None))]
pub fn kaplan_meier(
    py: Python<'_>,
    durations: PyArray,
    event_observed: PyArray,
    alpha: Option<f64>,
    transform: Option<Coded<KmConfidenceTransform>>,
    weights: Option<PyArray>,
) -> PyResult<KmResult> {
    let d = f64_vec("durations", durations)?;
    let e = bool_vec("event_observed", event_observed)?;
    let w = opt_f64_vec("weights", weights)?;
    let options = KaplanMeierOptions {
        alpha: alpha.unwrap_or(KaplanMeierOptions::default().alpha),
        transform: coded(transform),
    };
    let extra = SampleWeights {
        weights: w.as_deref(),
        entry: None,
    };
    let km = py
        .detach(|| KaplanMeier::fit_weighted(&d, &e, &extra, &options))
        .py()?;
    let table = to_table(&km)?;
    Ok((
        table,
        km.median_survival_time(),
        km.median_confidence_interval(),
    ))
}

/// A fitted Nelson-Aalen cumulative hazard.
#[pyfunction]
#[pyo3(signature = (durations, event_observed, *, alpha=None, ties=None))]
pub fn nelson_aalen(
    py: Python<'_>,
    durations: PyArray,
    event_observed: PyArray,
    alpha: Option<f64>,
    ties: Option<Coded<NelsonAalenTies>>,
) -> PyResult<PyTable> {
    let d = f64_vec("durations", durations)?;
    let e = bool_vec("event_observed", event_observed)?;
    let options = NelsonAalenOptions {
        alpha: alpha.unwrap_or(NelsonAalenOptions::default().alpha),
        ties: coded(ties),
    };
    let na = py.detach(|| NelsonAalen::fit(&d, &e, &options)).py()?;
    to_table(&na)
}

pub(crate) fn logrank_dict<'py>(py: Python<'py>, r: LogRankTest) -> PyResult<Bound<'py, PyDict>> {
    to_dict(py, &r)
}

/// Two-group log-rank test.
#[pyfunction]
pub fn logrank_test<'py>(
    py: Python<'py>,
    durations_a: PyArray,
    event_observed_a: PyArray,
    durations_b: PyArray,
    event_observed_b: PyArray,
) -> PyResult<Bound<'py, PyDict>> {
    let da = f64_vec("durations_A", durations_a)?;
    let ea = bool_vec("event_observed_A", event_observed_a)?;
    let db = f64_vec("durations_B", durations_b)?;
    let eb = bool_vec("event_observed_B", event_observed_b)?;
    let r = py.detach(|| core_logrank(&da, &ea, &db, &eb)).py()?;
    logrank_dict(py, r)
}

/// Log-rank test over any number of groups (int or str labels).
#[pyfunction]
pub fn multivariate_logrank_test<'py>(
    py: Python<'py>,
    durations: PyArray,
    groups: PyArray,
    event_observed: PyArray,
) -> PyResult<Bound<'py, PyDict>> {
    let d = f64_vec("durations", durations)?;
    let g = id_list("groups", groups)?;
    let e = bool_vec("event_observed", event_observed)?;
    let r = py.detach(|| core_multi_logrank(&d, &e, &g)).py()?;
    logrank_dict(py, r)
}

/// Harrell's concordance index.
#[pyfunction]
pub fn concordance_index(
    py: Python<'_>,
    event_times: PyArray,
    predicted_scores: PyArray,
    event_observed: PyArray,
) -> PyResult<f64> {
    let t = f64_vec("event_times", event_times)?;
    let s = f64_vec("predicted_scores", predicted_scores)?;
    let e = bool_vec("event_observed", event_observed)?;
    py.detach(|| core_concordance(&t, &s, &e)).py()
}

/// Cox proportional hazards; covariates are given column by column.
#[pyfunction]
#[pyo3(signature = (durations, event_observed, covariates, *, ties=None, penalizer=None,
    max_iterations=None, tolerance=None))]
#[allow(clippy::too_many_arguments)]
pub fn cox_ph<'py>(
    py: Python<'py>,
    durations: PyArray,
    event_observed: PyArray,
    covariates: Vec<(String, PyArray)>,
    ties: Option<Coded<CoxTies>>,
    penalizer: Option<f64>,
    max_iterations: Option<usize>,
    tolerance: Option<f64>,
) -> PyResult<Bound<'py, PyDict>> {
    let d = f64_vec("durations", durations)?;
    let e = bool_vec("event_observed", event_observed)?;
    let mut names = Vec::new();
    let mut cols = Vec::new();
    for (name, arr) in covariates {
        cols.push(f64_vec("covariates", arr)?);
        names.push(name);
    }
    let d0 = CoxOptions::default();
    let options = CoxOptions {
        ties: coded(ties),
        penalizer: penalizer.unwrap_or(d0.penalizer),
        max_iterations: max_iterations.unwrap_or(d0.max_iterations),
        tolerance: tolerance.unwrap_or(d0.tolerance),
        ..d0
    };
    let m = py.detach(|| CoxModel::fit(&d, &e, &cols, &options)).py()?;
    let mut m = m;
    m.baseline.times = Vec::new();
    m.baseline.hazard = Vec::new();
    let dict = to_dict(py, &m)?;
    // The baseline and the robust flag belong to `compat.lifelines` (see `cox.rs`).
    dict.del_item("baseline")?;
    dict.del_item("robust")?;
    dict.set_item("covariates", names)?;
    dict.set_item("aic_partial", m.aic_partial())?;
    Ok(dict)
}
