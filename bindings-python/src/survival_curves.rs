//! Kaplan-Meier and Nelson-Aalen with weights, entry times and a timeline,
//! and the step-curve queries behind `retention.compat.lifelines`.

use pyo3::prelude::*;
use pyo3_arrow::{PyArray, PyTable};
use retention_core::survival::{
    greenwood_bounds, EventTable, KaplanMeierOptions, NelsonAalen, NelsonAalenOptions,
    NelsonAalenTies, ProductLimit, SampleWeights, StepCurve,
};

use crate::arrow::{bool_vec, f64_array, f64_vec, opt_f64_vec, to_table};
use crate::errors::{coded, Coded, CoreResult};

/// The columns of an event table, moved into Arrow arrays without a copy:
/// `(event_at, removed, observed, censored, entrance, at_risk)` and whether
/// every count is a whole number (lifelines shows them as integers then).
pub type EventColumns = ((PyArray, PyArray, PyArray, PyArray, PyArray, PyArray), bool);

/// See [`EventColumns`].
pub fn event_columns(table: EventTable) -> EventColumns {
    let removed = table.removed();
    (
        (
            f64_array(table.times),
            f64_array(removed),
            f64_array(table.observed),
            f64_array(table.censored),
            f64_array(table.entrance),
            f64_array(table.at_risk),
        ),
        table.whole_counts,
    )
}

/// Kaplan-Meier fit without bounds: event table and, on the timeline, the
/// times, survival and Greenwood's sum (bounds: [`km_greenwood_bounds`]).
type KmFit = (EventColumns, (PyArray, PyArray, PyArray));

/// Kaplan-Meier (product limit and Greenwood's sum) with optional case
/// weights, entry times and timeline.
#[pyfunction]
#[pyo3(signature = (durations, event_observed, *, weights=None, entry=None, timeline=None))]
pub fn kaplan_meier_fit(
    py: Python<'_>,
    durations: PyArray,
    event_observed: PyArray,
    weights: Option<PyArray>,
    entry: Option<PyArray>,
    timeline: Option<PyArray>,
) -> PyResult<KmFit> {
    let d = f64_vec("durations", durations)?;
    let e = bool_vec("event_observed", event_observed)?;
    let w = opt_f64_vec("weights", weights)?;
    let a = opt_f64_vec("entry", entry)?;
    let tl = opt_f64_vec("timeline", timeline)?;
    let extra = SampleWeights {
        weights: w.as_deref(),
        entry: a.as_deref(),
    };
    let (table, times, survival, greenwood) = py
        .detach(|| ProductLimit::fit(&d, &e, &extra)?.into_timeline(tl.as_deref()))
        .py()?;
    let columns = (f64_array(times), f64_array(survival), f64_array(greenwood));
    Ok((event_columns(table), columns))
}

/// lifelines' (exponential Greenwood) bounds of survival values with their
/// Greenwood sums.
#[pyfunction]
#[pyo3(signature = (survival, greenwood, *, alpha=None))]
pub fn km_greenwood_bounds(
    py: Python<'_>,
    survival: PyArray,
    greenwood: PyArray,
    alpha: Option<f64>,
) -> PyResult<(PyArray, PyArray)> {
    let s = f64_vec("survival", survival)?;
    let g = f64_vec("greenwood", greenwood)?;
    let options = KaplanMeierOptions {
        alpha: alpha.unwrap_or(KaplanMeierOptions::default().alpha),
        ..Default::default()
    };
    let (lower, upper) = py.detach(|| greenwood_bounds(&s, &g, &options)).py()?;
    Ok((f64_array(lower), f64_array(upper)))
}

/// Nelson-Aalen with optional case weights, entry times and timeline:
/// event table and curve (with variance) on the timeline.
#[pyfunction]
#[pyo3(signature = (durations, event_observed, *, alpha=None, ties=None, weights=None,
    entry=None, timeline=None))]
#[allow(clippy::too_many_arguments)]
pub fn nelson_aalen_fit(
    py: Python<'_>,
    durations: PyArray,
    event_observed: PyArray,
    alpha: Option<f64>,
    ties: Option<Coded<NelsonAalenTies>>,
    weights: Option<PyArray>,
    entry: Option<PyArray>,
    timeline: Option<PyArray>,
) -> PyResult<(EventColumns, PyTable)> {
    let d = f64_vec("durations", durations)?;
    let e = bool_vec("event_observed", event_observed)?;
    let w = opt_f64_vec("weights", weights)?;
    let a = opt_f64_vec("entry", entry)?;
    let tl = opt_f64_vec("timeline", timeline)?;
    let options = NelsonAalenOptions {
        alpha: alpha.unwrap_or(NelsonAalenOptions::default().alpha),
        ties: coded(ties),
    };
    let extra = SampleWeights {
        weights: w.as_deref(),
        entry: a.as_deref(),
    };
    let (na, curve) = py
        .detach(|| {
            let na = NelsonAalen::fit_weighted(&d, &e, &extra, &options)?;
            let curve = na.curve(tl.as_deref())?;
            Ok::<_, retention_core::Error>((na, curve))
        })
        .py()?;
    let curve = to_table(&curve)?;
    Ok((event_columns(na.table), curve))
}

fn step_curve(times: PyArray, values: PyArray, variance: Option<PyArray>) -> PyResult<StepCurve> {
    let t = f64_vec("times", times)?;
    let v = f64_vec("values", values)?;
    let var = opt_f64_vec("variance", variance)?.unwrap_or_default();
    StepCurve::from_steps(t, v, var).py()
}

/// First time a step curve is at or below `q`; `None` if never.
#[pyfunction]
pub fn step_percentile(times: PyArray, values: PyArray, q: f64) -> PyResult<Option<f64>> {
    step_curve(times, values, None)?.percentile(q).py()
}

/// Median remaining time to the event given survival to each time of a
/// survival curve (lifelines' `conditional_time_to_event_`).
#[pyfunction]
pub fn step_conditional_time_to_event(times: PyArray, values: PyArray) -> PyResult<PyArray> {
    Ok(f64_array(
        step_curve(times, values, None)?.conditional_time_to_event(),
    ))
}

/// A step curve linearly interpolated at `at` (lifelines'
/// `predict(..., interpolate=True)`).
#[pyfunction]
pub fn step_interpolate(times: PyArray, values: PyArray, at: PyArray) -> PyResult<PyArray> {
    let at = f64_vec("times", at)?;
    Ok(f64_array(
        step_curve(times, values, None)?.interpolate(&at).py()?,
    ))
}

/// Epanechnikov-smoothed hazard of a cumulative hazard curve and lifelines'
/// pair of bounds.
#[pyfunction]
pub fn smoothed_hazard(
    times: PyArray,
    cumulative_hazard: PyArray,
    variance: PyArray,
    bandwidth: f64,
    alpha: f64,
) -> PyResult<(Vec<f64>, Vec<f64>, Vec<f64>)> {
    let curve = step_curve(times, cumulative_hazard, Some(variance))?;
    let hazard = curve.smoothed_hazard(bandwidth).py()?;
    let (first, second) = curve.smoothed_hazard_bounds(bandwidth, alpha).py()?;
    Ok((hazard, first, second))
}

/// Two step curves on the union of their times.
#[pyfunction]
pub fn step_union(
    times_a: PyArray,
    values_a: PyArray,
    times_b: PyArray,
    values_b: PyArray,
    before: f64,
) -> PyResult<(Vec<f64>, Vec<f64>, Vec<f64>)> {
    let a = step_curve(times_a, values_a, None)?;
    let b = step_curve(times_b, values_b, None)?;
    Ok(a.union_with(&b, before))
}
