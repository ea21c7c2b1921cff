//! Proportional hazards with a parametric (piecewise or spline) baseline as
//! a fitted object (`ParametricCoxFit`), behind
//! `retention.compat.lifelines.CoxPHFitter(baseline_estimation_method=
//! "piecewise" | "spline")`. Each method converts its arguments and calls
//! one core function.

use pyo3::prelude::*;
use pyo3::types::{PyDict, PyTuple};
use pyo3_arrow::PyArray;
use retention_core::survival::{
    ParametricCoxModel, ParametricCoxOptions, ParametricCoxRows, PhBaselineSpec,
};
use retention_core::Error;

use crate::arrow::{bool_vec, f64_array, f64_vec, opt_f64_vec};
use crate::cox::{codes, columns};
use crate::dicts::{from_dict, to_dict};
use crate::errors::{to_py, CoreResult};

/// Registers the class.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PyParametricCoxFit>()
}

/// A fitted parametric-baseline proportional hazards model (core
/// `ParametricCoxModel`).
#[pyclass(module = "retention._retention", name = "ParametricCoxFit", frozen)]
pub struct PyParametricCoxFit {
    inner: ParametricCoxModel,
}

/// The baseline the caller asked for: `breakpoints` (piecewise) or
/// `n_knots` with optional `knots` (spline), exactly one of the two.
fn baseline_spec(
    breakpoints: Option<Vec<f64>>,
    n_knots: Option<usize>,
    knots: Option<Vec<f64>>,
) -> PyResult<PhBaselineSpec> {
    match (breakpoints, n_knots) {
        (Some(breakpoints), None) if knots.is_none() => {
            Ok(PhBaselineSpec::Piecewise { breakpoints })
        }
        (None, Some(n_knots)) => Ok(PhBaselineSpec::Spline { n_knots, knots }),
        _ => Err(to_py(Error::parameter(
            "baseline",
            "breakpoints and n_knots",
            "give either breakpoints (piecewise) or n_knots (spline)",
        ))),
    }
}

#[pymethods]
impl PyParametricCoxFit {
    /// Fits on covariate columns (without an intercept; the model adds
    /// one); `strata` are integer codes.
    #[staticmethod]
    /// With `lower_bounds`, `durations` are the upper bounds of
    /// interval-censored rows; with `left_censored`, censored rows are left
    /// censored at their duration.
    #[pyo3(signature = (durations, event_observed, covariates, *, breakpoints=None, n_knots=None,
        knots=None, weights=None, strata=None, entries=None, penalizer=None, max_iterations=None,
        tolerance=None, lower_bounds=None, left_censored=false))]
    #[allow(clippy::too_many_arguments)]
    fn fit(
        py: Python<'_>,
        durations: PyArray,
        event_observed: PyArray,
        covariates: Vec<PyArray>,
        breakpoints: Option<Vec<f64>>,
        n_knots: Option<usize>,
        knots: Option<Vec<f64>>,
        weights: Option<PyArray>,
        strata: Option<PyArray>,
        entries: Option<PyArray>,
        penalizer: Option<f64>,
        max_iterations: Option<usize>,
        tolerance: Option<f64>,
        lower_bounds: Option<PyArray>,
        left_censored: bool,
    ) -> PyResult<Self> {
        let d = f64_vec("durations", durations)?;
        let lower = opt_f64_vec("lower_bounds", lower_bounds)?;
        let e = bool_vec("event_observed", event_observed)?;
        let cols = columns(covariates)?;
        let w = opt_f64_vec("weights", weights)?;
        let s = codes("strata", strata)?;
        let en = opt_f64_vec("entries", entries)?;
        let mut options = ParametricCoxOptions::new(baseline_spec(breakpoints, n_knots, knots)?);
        options.penalizer = penalizer.unwrap_or(options.penalizer);
        options.max_iterations = max_iterations.unwrap_or(options.max_iterations);
        options.tolerance = tolerance.unwrap_or(options.tolerance);
        let rows = ParametricCoxRows {
            weights: w.as_deref(),
            strata: s.as_deref(),
            entries: en.as_deref(),
        };
        let inner = py
            .detach(|| match (&lower, left_censored) {
                (Some(l), false) => {
                    ParametricCoxModel::fit_interval(l, &d, &e, &cols, rows, &options)
                }
                (None, true) => {
                    ParametricCoxModel::fit_left_censored(&d, &e, &cols, rows, &options)
                }
                (None, false) => ParametricCoxModel::fit(&d, &e, &cols, rows, &options),
                (Some(_), true) => Err(Error::parameter(
                    "left_censored",
                    true,
                    "lower_bounds already describe the censoring",
                )),
            })
            .py()?;
        Ok(PyParametricCoxFit { inner })
    }

    /// Rebuilds a fitted model from [`PyParametricCoxFit::state`] (pickle).
    #[staticmethod]
    fn from_state(state: &Bound<'_, PyAny>) -> PyResult<Self> {
        Ok(PyParametricCoxFit {
            inner: from_dict("ParametricCoxModel", state)?,
        })
    }

    /// The core model's fields (serde shape), enough to rebuild it.
    fn state<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        to_dict(py, &self.inner)
    }

    fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyTuple>> {
        let py = slf.py();
        let rebuild = slf.get_type().getattr("from_state")?;
        let state = to_dict(py, &slf.get().inner)?;
        (rebuild, (state,)).into_pyobject(py)
    }

    /// Every field of the core model, plus `aic` and the likelihood-ratio
    /// test (`None` without covariates).
    fn result<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let m = &self.inner;
        let dict = to_dict(py, m)?;
        dict.set_item("aic", m.aic())?;
        dict.set_item("lr_test", m.likelihood_ratio_test().ok())?;
        Ok(dict)
    }

    /// Cumulative hazards, `len(times) × n_rows`, flattened by time.
    #[pyo3(signature = (covariates, n_rows, strata, times, conditional_after=None))]
    fn cumulative_hazard(
        &self,
        py: Python<'_>,
        covariates: Vec<PyArray>,
        n_rows: usize,
        strata: Option<PyArray>,
        times: Vec<f64>,
        conditional_after: Option<Vec<f64>>,
    ) -> PyResult<PyArray> {
        let cols = columns(covariates)?;
        let s = codes("strata", strata)?;
        let v = py
            .detach(|| {
                self.inner.cumulative_hazard(
                    &cols,
                    n_rows,
                    s.as_deref(),
                    &times,
                    conditional_after.as_deref(),
                )
            })
            .py()?;
        Ok(f64_array(v))
    }

    /// Hazards, laid out as `cumulative_hazard`.
    #[pyo3(signature = (covariates, n_rows, strata, times, conditional_after=None))]
    fn hazard(
        &self,
        py: Python<'_>,
        covariates: Vec<PyArray>,
        n_rows: usize,
        strata: Option<PyArray>,
        times: Vec<f64>,
        conditional_after: Option<Vec<f64>>,
    ) -> PyResult<PyArray> {
        let cols = columns(covariates)?;
        let s = codes("strata", strata)?;
        let v = py
            .detach(|| {
                self.inner.hazard(
                    &cols,
                    n_rows,
                    s.as_deref(),
                    &times,
                    conditional_after.as_deref(),
                )
            })
            .py()?;
        Ok(f64_array(v))
    }

    /// First time of `times` where each row's survival is `≤ q` (`inf` if none).
    #[pyo3(signature = (covariates, n_rows, strata, times, q, conditional_after=None))]
    #[allow(clippy::too_many_arguments)]
    fn percentile(
        &self,
        py: Python<'_>,
        covariates: Vec<PyArray>,
        n_rows: usize,
        strata: Option<PyArray>,
        times: Vec<f64>,
        q: f64,
        conditional_after: Option<Vec<f64>>,
    ) -> PyResult<PyArray> {
        let cols = columns(covariates)?;
        let s = codes("strata", strata)?;
        let v = py
            .detach(|| {
                self.inner.percentile(
                    &cols,
                    n_rows,
                    s.as_deref(),
                    &times,
                    q,
                    conditional_after.as_deref(),
                )
            })
            .py()?;
        Ok(f64_array(v))
    }

    /// Trapezoidal integral of each row's survival over `times`.
    #[pyo3(signature = (covariates, n_rows, strata, times, conditional_after=None))]
    fn expectation(
        &self,
        py: Python<'_>,
        covariates: Vec<PyArray>,
        n_rows: usize,
        strata: Option<PyArray>,
        times: Vec<f64>,
        conditional_after: Option<Vec<f64>>,
    ) -> PyResult<PyArray> {
        let cols = columns(covariates)?;
        let s = codes("strata", strata)?;
        let v = py
            .detach(|| {
                self.inner.expectation(
                    &cols,
                    n_rows,
                    s.as_deref(),
                    &times,
                    conditional_after.as_deref(),
                )
            })
            .py()?;
        Ok(f64_array(v))
    }

    /// Mean unpenalised log-likelihood of new data at the fitted parameters.
    #[pyo3(signature = (durations, event_observed, covariates, *, weights=None, strata=None,
        entries=None))]
    #[allow(clippy::too_many_arguments)]
    fn score_log_likelihood(
        &self,
        py: Python<'_>,
        durations: PyArray,
        event_observed: PyArray,
        covariates: Vec<PyArray>,
        weights: Option<PyArray>,
        strata: Option<PyArray>,
        entries: Option<PyArray>,
    ) -> PyResult<f64> {
        let d = f64_vec("durations", durations)?;
        let e = bool_vec("event_observed", event_observed)?;
        let cols = columns(covariates)?;
        let w = opt_f64_vec("weights", weights)?;
        let s = codes("strata", strata)?;
        let en = opt_f64_vec("entries", entries)?;
        let rows = ParametricCoxRows {
            weights: w.as_deref(),
            strata: s.as_deref(),
            entries: en.as_deref(),
        };
        py.detach(|| self.inner.score_log_likelihood(&d, &e, &cols, rows))
            .py()
    }

    fn __repr__(&self) -> String {
        format!(
            "ParametricCoxFit(n_params={}, log_likelihood={})",
            self.inner.n_params(),
            self.inner.log_likelihood
        )
    }
}
