//! Kaplan-Meier for left-censored data, Turnbull's NPMLE for
//! interval-censored data and the Aalen-Johansen cumulative incidence of
//! competing risks, behind `retention.compat.lifelines`.

use pyo3::prelude::*;
use pyo3_arrow::PyArray;
use retention_core::survival::{
    turnbull, AalenJohansen, KaplanMeierOptions, LeftCensoredKaplanMeier, SampleWeights,
    TurnbullOptions,
};

use crate::arrow::{bool_vec, f64_array, f64_vec, opt_f64_vec};
use crate::errors::CoreResult;
use crate::survival_curves::{event_columns, EventColumns};

/// Four float columns handed back to Python.
type Columns4 = (PyArray, PyArray, PyArray, PyArray);

/// Left-censored Kaplan-Meier: event table and the curve on the timeline
/// (times, cumulative density, lifelines' two survival bounds).
#[pyfunction]
#[pyo3(signature = (durations, event_observed, *, alpha=None, weights=None, entry=None,
    timeline=None))]
pub fn kaplan_meier_left_fit(
    py: Python<'_>,
    durations: PyArray,
    event_observed: PyArray,
    alpha: Option<f64>,
    weights: Option<PyArray>,
    entry: Option<PyArray>,
    timeline: Option<PyArray>,
) -> PyResult<(EventColumns, Columns4)> {
    let d = f64_vec("durations", durations)?;
    let e = bool_vec("event_observed", event_observed)?;
    let w = opt_f64_vec("weights", weights)?;
    let a = opt_f64_vec("entry", entry)?;
    let tl = opt_f64_vec("timeline", timeline)?;
    let options = KaplanMeierOptions {
        alpha: alpha.unwrap_or(KaplanMeierOptions::default().alpha),
        ..Default::default()
    };
    let extra = SampleWeights {
        weights: w.as_deref(),
        entry: a.as_deref(),
    };
    let (fit, curve) = py
        .detach(|| {
            let fit = LeftCensoredKaplanMeier::fit(&d, &e, &extra, &options)?;
            let curve = fit.curve(tl.as_deref())?;
            Ok::<_, retention_core::Error>((fit, curve))
        })
        .py()?;
    let columns = (
        f64_array(curve.times),
        f64_array(curve.estimate),
        f64_array(curve.lower),
        f64_array(curve.upper),
    );
    Ok((event_columns(fit.table), columns))
}

/// Turnbull fit: the intervals and their probabilities, log-likelihood,
/// iterations, whether it converged, and the (upper, lower) survival curves
/// on the timeline.
type TurnbullFit = (
    (PyArray, PyArray, PyArray),
    f64,
    usize,
    bool,
    (PyArray, PyArray, PyArray),
);

/// Turnbull's NPMLE of interval-censored data.
#[pyfunction]
#[pyo3(signature = (lower_bound, upper_bound, *, weights=None, event_observed=None,
    timeline=None, tol=None, max_iterations=None))]
#[allow(clippy::too_many_arguments)]
pub fn turnbull_fit(
    py: Python<'_>,
    lower_bound: PyArray,
    upper_bound: PyArray,
    weights: Option<PyArray>,
    event_observed: Option<PyArray>,
    timeline: Option<PyArray>,
    tol: Option<f64>,
    max_iterations: Option<usize>,
) -> PyResult<TurnbullFit> {
    let l = f64_vec("lower_bound", lower_bound)?;
    let u = f64_vec("upper_bound", upper_bound)?;
    let w = opt_f64_vec("weights", weights)?;
    let e = event_observed
        .map(|a| bool_vec("event_observed", a))
        .transpose()?;
    let tl = opt_f64_vec("timeline", timeline)?;
    let defaults = TurnbullOptions::default();
    let options = TurnbullOptions {
        tol: tol.unwrap_or(defaults.tol),
        max_iterations: max_iterations.unwrap_or(defaults.max_iterations),
    };
    let (fit, curve) = py
        .detach(|| {
            let fit = turnbull(&l, &u, w.as_deref(), e.as_deref(), &options)?;
            let curve = fit.survival(tl.as_deref())?;
            Ok::<_, retention_core::Error>((fit, curve))
        })
        .py()?;
    Ok((
        (
            f64_array(fit.left),
            f64_array(fit.right),
            f64_array(fit.probabilities),
        ),
        fit.log_likelihood,
        fit.iterations,
        fit.converged,
        (
            f64_array(curve.times),
            f64_array(curve.upper),
            f64_array(curve.lower),
        ),
    ))
}

/// Aalen-Johansen fit: all-cause event table and, per table time, the
/// events of interest, the cumulative incidence, its variance and
/// lifelines' two bounds.
type AjFit = (EventColumns, (PyArray, PyArray, PyArray, PyArray, PyArray));

/// Aalen-Johansen cumulative incidence of one cause among competing risks.
#[pyfunction]
#[pyo3(signature = (durations, event_codes, event_of_interest, *, weights=None, alpha=None))]
pub fn aalen_johansen_fit(
    py: Python<'_>,
    durations: PyArray,
    event_codes: PyArray,
    event_of_interest: i64,
    weights: Option<PyArray>,
    alpha: Option<f64>,
) -> PyResult<AjFit> {
    let d = f64_vec("durations", durations)?;
    let c = f64_vec("event_observed", event_codes)?;
    let w = opt_f64_vec("weights", weights)?;
    let alpha = alpha.unwrap_or(KaplanMeierOptions::default().alpha);
    let fit = py
        .detach(|| AalenJohansen::fit(&d, &c, event_of_interest, w.as_deref(), alpha))
        .py()?;
    Ok((
        event_columns(fit.table),
        (
            f64_array(fit.observed_of_interest),
            f64_array(fit.cumulative_incidence),
            f64_array(fit.variance),
            f64_array(fit.first_bound),
            f64_array(fit.second_bound),
        ),
    ))
}
