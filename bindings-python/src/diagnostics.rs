//! Warnings about survival data that a fit accepts but whose estimates may
//! mislead (`retention_core::survival::diagnostics`), for the lifelines door.

use pyo3::prelude::*;
use pyo3_arrow::PyArray;
use retention_core::survival::diagnostics;

use crate::arrow::{bool_vec, f64_vec, opt_f64_vec};
use crate::errors::CoreResult;

/// Registers the function.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(fit_warnings, m)?)
}

/// One warning: its kind tag, the covariate index it is about (if any), its
/// message and whether it undermines the estimate (`FitWarning::undermines_estimate`).
pub(crate) type Warning = (&'static str, Option<usize>, String, bool);

/// Every warning for one fit's data (`diagnostics::fit_warnings`; without
/// `separation` only the low-variance covariate checks), worded with the
/// covariates' `names`.
#[pyfunction]
#[pyo3(signature = (durations, event_observed, covariates, *, names=None, weights=None,
    entry=None, separation=true))]
pub fn fit_warnings(
    durations: PyArray,
    event_observed: PyArray,
    covariates: Vec<PyArray>,
    names: Option<Vec<String>>,
    weights: Option<PyArray>,
    entry: Option<PyArray>,
    separation: bool,
) -> PyResult<Vec<Warning>> {
    let d = f64_vec("durations", durations)?;
    let e = bool_vec("event_observed", event_observed)?;
    let x = covariates
        .into_iter()
        .map(|a| f64_vec("covariates", a))
        .collect::<PyResult<Vec<_>>>()?;
    let w = opt_f64_vec("weights", weights)?;
    let a = opt_f64_vec("entry", entry)?;
    let found =
        diagnostics::fit_warnings(&d, &e, &x, w.as_deref(), a.as_deref(), separation).py()?;
    let names = names.unwrap_or_default();
    let names: Vec<&str> = names.iter().map(String::as_str).collect();
    Ok(warnings(&found, &names))
}

/// The warnings as Python tuples, worded with the covariates' `names`.
pub(crate) fn warnings(found: &[diagnostics::FitWarning], names: &[&str]) -> Vec<Warning> {
    found
        .iter()
        .map(|w| {
            (
                w.kind(),
                w.column(),
                w.message(names),
                w.undermines_estimate(),
            )
        })
        .collect()
}
