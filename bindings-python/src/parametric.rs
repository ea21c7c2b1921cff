//! Parametric survival models as fitted objects, behind the parametric
//! fitters of `retention.compat.lifelines`: `ParametricFit` (exponential,
//! piecewise exponential, Weibull, log-normal, log-logistic without
//! covariates) and `AftFit` (AFT regression). Each method converts its
//! arguments and calls one core function.

use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PyTuple};
use pyo3_arrow::PyArray;
use retention_core::survival::{
    AftModel, AftOptions, ParametricCurve, ParametricFamily, SampleWeights, UnivariateModel,
    UnivariateParametric,
};

use crate::arrow::{bool_vec, f64_array, f64_vec, opt_f64_vec};
use crate::dicts::{from_dict, to_dict, to_list};
use crate::errors::{Coded, CoreResult};

/// Registers the classes.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PyParametricFit>()?;
    m.add_class::<PyAftFit>()
}

fn fit_univariate(
    py: Python<'_>,
    model: UnivariateModel,
    durations: PyArray,
    event_observed: PyArray,
    weights: Option<PyArray>,
    entry: Option<PyArray>,
) -> PyResult<PyParametricFit> {
    let d = f64_vec("durations", durations)?;
    let e = bool_vec("event_observed", event_observed)?;
    let w = opt_f64_vec("weights", weights)?;
    let a = opt_f64_vec("entry", entry)?;
    let extra = SampleWeights {
        weights: w.as_deref(),
        entry: a.as_deref(),
    };
    let inner = py
        .detach(|| UnivariateParametric::fit(&model, &d, &e, &extra))
        .py()?;
    Ok(PyParametricFit { inner })
}

/// A fitted univariate parametric model (core `UnivariateParametric`).
#[pyclass(module = "retention._retention", name = "ParametricFit", frozen)]
pub struct PyParametricFit {
    inner: UnivariateParametric,
}

#[pymethods]
impl PyParametricFit {
    /// Rebuilds a fitted model from its `state` (used by pickle).
    #[staticmethod]
    fn from_state(state: &Bound<'_, PyAny>) -> PyResult<Self> {
        let inner: UnivariateParametric = from_dict("UnivariateParametric", state)?;
        inner.check().py()?;
        Ok(PyParametricFit { inner })
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

    /// Fits a Weibull, log-normal or log-logistic model.
    #[staticmethod]
    #[pyo3(signature = (family, durations, event_observed, *, weights=None, entry=None))]
    fn fit(
        py: Python<'_>,
        family: Coded<ParametricFamily>,
        durations: PyArray,
        event_observed: PyArray,
        weights: Option<PyArray>,
        entry: Option<PyArray>,
    ) -> PyResult<Self> {
        let model = UnivariateModel::LogLocationScale(family.0);
        fit_univariate(py, model, durations, event_observed, weights, entry)
    }

    /// Fits the exponential model `H(t) = t/λ`.
    #[staticmethod]
    #[pyo3(signature = (durations, event_observed, *, weights=None, entry=None))]
    fn fit_exponential(
        py: Python<'_>,
        durations: PyArray,
        event_observed: PyArray,
        weights: Option<PyArray>,
        entry: Option<PyArray>,
    ) -> PyResult<Self> {
        let model = UnivariateModel::Exponential;
        fit_univariate(py, model, durations, event_observed, weights, entry)
    }

    /// Fits the piecewise exponential model with the given breakpoints.
    #[staticmethod]
    #[pyo3(signature = (breakpoints, durations, event_observed, *, weights=None, entry=None))]
    fn fit_piecewise_exponential(
        py: Python<'_>,
        breakpoints: Vec<f64>,
        durations: PyArray,
        event_observed: PyArray,
        weights: Option<PyArray>,
        entry: Option<PyArray>,
    ) -> PyResult<Self> {
        let model = UnivariateModel::PiecewiseExponential { breakpoints };
        fit_univariate(py, model, durations, event_observed, weights, entry)
    }

    /// Every field of the core model (serde shape), plus lifelines'
    /// `parameter_names`, `aic`, `bic` and the `median` survival time.
    fn result<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let m = &self.inner;
        let dict = to_dict(py, m)?;
        dict.set_item("parameter_names", m.parameter_names())?;
        dict.set_item("aic", m.aic())?;
        dict.set_item("bic", m.bic())?;
        dict.set_item("median", m.median())?;
        Ok(dict)
    }

    /// Wald table: one dict per parameter (the core's `ParameterSummary`).
    fn summary<'py>(&self, py: Python<'py>, alpha: f64) -> PyResult<Bound<'py, PyList>> {
        to_list(py, &self.inner.summary(alpha).py()?)
    }

    /// The time `t` with `S(t) = p`.
    fn percentile(&self, p: f64) -> PyResult<f64> {
        self.inner.percentile(p).py()
    }

    /// `S(t)` at each time.
    fn survival(&self, times: PyArray) -> PyResult<PyArray> {
        let t = f64_vec("times", times)?;
        Ok(f64_array(self.inner.survival_at(&t).py()?))
    }

    /// `H(t)` at each time.
    fn cumulative_hazard(&self, times: PyArray) -> PyResult<PyArray> {
        let t = f64_vec("times", times)?;
        Ok(f64_array(self.inner.cumulative_hazard_at(&t).py()?))
    }

    /// `h(t)` at each time.
    fn hazard(&self, times: PyArray) -> PyResult<PyArray> {
        let t = f64_vec("times", times)?;
        Ok(f64_array(self.inner.hazard_at(&t).py()?))
    }

    /// `f(t)` at each time.
    fn density(&self, times: PyArray) -> PyResult<PyArray> {
        let t = f64_vec("times", times)?;
        Ok(f64_array(self.inner.density_at(&t).py()?))
    }

    /// Wald bounds of `H(t)` (lower, upper) at each time.
    fn cumulative_hazard_interval(
        &self,
        times: PyArray,
        alpha: f64,
    ) -> PyResult<(PyArray, PyArray)> {
        self.bounds(ParametricCurve::CumulativeHazard, times, alpha)
    }

    /// Wald bounds of `S(t)` (lower, upper) at each time.
    fn survival_interval(&self, times: PyArray, alpha: f64) -> PyResult<(PyArray, PyArray)> {
        self.bounds(ParametricCurve::Survival, times, alpha)
    }

    /// Wald bounds of `h(t)` (lower, upper) at each time.
    fn hazard_interval(&self, times: PyArray, alpha: f64) -> PyResult<(PyArray, PyArray)> {
        self.bounds(ParametricCurve::Hazard, times, alpha)
    }

    /// Wald bounds of `f(t)` (lower, upper) at each time.
    fn density_interval(&self, times: PyArray, alpha: f64) -> PyResult<(PyArray, PyArray)> {
        self.bounds(ParametricCurve::Density, times, alpha)
    }

    /// Wald bounds of `1 − S(t)` (lower, upper) at each time.
    fn cumulative_density_interval(
        &self,
        times: PyArray,
        alpha: f64,
    ) -> PyResult<(PyArray, PyArray)> {
        self.bounds(ParametricCurve::CumulativeDensity, times, alpha)
    }
}

impl PyParametricFit {
    fn bounds(
        &self,
        curve: ParametricCurve,
        times: PyArray,
        alpha: f64,
    ) -> PyResult<(PyArray, PyArray)> {
        let t = f64_vec("times", times)?;
        let (lo, hi) = self.inner.intervals(curve, &t, alpha).py()?;
        Ok((f64_array(lo), f64_array(hi)))
    }
}

/// Row-major matrix from covariate columns.
fn row_major(field: &'static str, columns: Vec<PyArray>) -> PyResult<(Vec<f64>, usize)> {
    let cols: Vec<Vec<f64>> = columns
        .into_iter()
        .map(|a| f64_vec(field, a))
        .collect::<PyResult<_>>()?;
    let k = cols.len();
    Ok((retention_core::survival::parametric::interleave(&cols), k))
}

/// Covariates, times and optional elapsed times of a curve prediction.
type CurveInputs = (Vec<f64>, Vec<f64>, Vec<f64>, Option<Vec<f64>>);

fn curve_inputs(
    location: Vec<PyArray>,
    ancillary: Vec<PyArray>,
    times: PyArray,
    conditional_after: Option<PyArray>,
) -> PyResult<CurveInputs> {
    let (x1, _) = row_major("location covariates", location)?;
    let (x2, _) = row_major("ancillary covariates", ancillary)?;
    let t = f64_vec("times", times)?;
    let after = opt_f64_vec("conditional_after", conditional_after)?;
    Ok((x1, x2, t, after))
}

/// A fitted AFT model (core `AftModel`).
#[pyclass(module = "retention._retention", name = "AftFit", frozen)]
pub struct PyAftFit {
    inner: AftModel,
}

#[pymethods]
impl PyAftFit {
    /// Rebuilds a fitted model from its `state` (used by pickle).
    #[staticmethod]
    fn from_state(state: &Bound<'_, PyAny>) -> PyResult<Self> {
        let inner: AftModel = from_dict("AftModel", state)?;
        inner.check().py()?;
        Ok(PyAftFit { inner })
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

    /// Fits on covariate columns of the first (`location`) and the second
    /// (`ancillary`) parameter.
    #[staticmethod]
    #[pyo3(signature = (family, durations, event_observed, location, ancillary, *, weights=None,
        entry=None, penalizer=None, fit_intercept=None, robust=None))]
    #[allow(clippy::too_many_arguments)]
    fn fit(
        py: Python<'_>,
        family: Coded<ParametricFamily>,
        durations: PyArray,
        event_observed: PyArray,
        location: Vec<PyArray>,
        ancillary: Vec<PyArray>,
        weights: Option<PyArray>,
        entry: Option<PyArray>,
        penalizer: Option<f64>,
        fit_intercept: Option<bool>,
        robust: Option<bool>,
    ) -> PyResult<Self> {
        let d = f64_vec("durations", durations)?;
        let e = bool_vec("event_observed", event_observed)?;
        let w = opt_f64_vec("weights", weights)?;
        let a = opt_f64_vec("entry", entry)?;
        let (x1, k1) = row_major("location covariates", location)?;
        let (x2, k2) = row_major("ancillary covariates", ancillary)?;
        let defaults = AftOptions::default();
        let options = AftOptions {
            penalizer: penalizer.unwrap_or(defaults.penalizer),
            fit_intercept: fit_intercept.unwrap_or(defaults.fit_intercept),
            robust: robust.unwrap_or(defaults.robust),
        };
        let extra = SampleWeights {
            weights: w.as_deref(),
            entry: a.as_deref(),
        };
        let inner = py
            .detach(|| AftModel::fit(family.0, &d, &e, &extra, &x1, k1, &x2, k2, &options))
            .py()?;
        Ok(PyAftFit { inner })
    }

    /// Every field of the core model (serde shape), plus the
    /// `standard_errors` (robust when fitted with `robust`), `aic` and
    /// lifelines' regression `bic`.
    fn result<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let m = &self.inner;
        let dict = to_dict(py, m)?;
        dict.set_item("standard_errors", m.standard_errors())?;
        dict.set_item("aic", m.aic())?;
        dict.set_item("bic", m.bic())?;
        Ok(dict)
    }

    /// Concordance of the predicted medians with the durations.
    fn concordance_index(
        &self,
        py: Python<'_>,
        durations: PyArray,
        event_observed: PyArray,
        location: Vec<PyArray>,
        ancillary: Vec<PyArray>,
    ) -> PyResult<f64> {
        let d = f64_vec("durations", durations)?;
        let e = bool_vec("event_observed", event_observed)?;
        let (x1, _) = row_major("location covariates", location)?;
        let (x2, _) = row_major("ancillary covariates", ancillary)?;
        py.detach(|| self.inner.concordance_index(&d, &e, &x1, &x2))
            .py()
    }

    /// Wald table: one dict per parameter (the core's `ParameterSummary`).
    fn summary<'py>(&self, py: Python<'py>, alpha: f64) -> PyResult<Bound<'py, PyList>> {
        to_list(py, &self.inner.summary(alpha).py()?)
    }

    /// Average log-likelihood of new data (no penalty).
    #[pyo3(signature = (durations, event_observed, location, ancillary, *, weights=None, entry=None))]
    fn mean_log_likelihood(
        &self,
        durations: PyArray,
        event_observed: PyArray,
        location: Vec<PyArray>,
        ancillary: Vec<PyArray>,
        weights: Option<PyArray>,
        entry: Option<PyArray>,
    ) -> PyResult<f64> {
        let d = f64_vec("durations", durations)?;
        let e = bool_vec("event_observed", event_observed)?;
        let w = opt_f64_vec("weights", weights)?;
        let a = opt_f64_vec("entry", entry)?;
        let (x1, _) = row_major("location covariates", location)?;
        let (x2, _) = row_major("ancillary covariates", ancillary)?;
        let extra = SampleWeights {
            weights: w.as_deref(),
            entry: a.as_deref(),
        };
        self.inner
            .mean_log_likelihood(&d, &e, &extra, &x1, &x2)
            .py()
    }

    /// Time at which each row's survival is `p` (remaining time after
    /// `conditional_after`, when given).
    #[pyo3(signature = (location, ancillary, p, conditional_after=None))]
    fn predict_percentile(
        &self,
        location: Vec<PyArray>,
        ancillary: Vec<PyArray>,
        p: f64,
        conditional_after: Option<PyArray>,
    ) -> PyResult<PyArray> {
        let (x1, _) = row_major("location covariates", location)?;
        let (x2, _) = row_major("ancillary covariates", ancillary)?;
        let after = opt_f64_vec("conditional_after", conditional_after)?;
        let out = self
            .inner
            .predict_percentile(&x1, &x2, p, after.as_deref())
            .py()?;
        Ok(f64_array(out))
    }

    /// Expected lifetime of each row.
    fn predict_expectation(
        &self,
        location: Vec<PyArray>,
        ancillary: Vec<PyArray>,
    ) -> PyResult<PyArray> {
        let (x1, _) = row_major("location covariates", location)?;
        let (x2, _) = row_major("ancillary covariates", ancillary)?;
        Ok(f64_array(self.inner.predict_expectation(&x1, &x2).py()?))
    }

    /// Survival of each row at each time (time-major flat).
    #[pyo3(signature = (location, ancillary, times, conditional_after=None))]
    fn predict_survival(
        &self,
        location: Vec<PyArray>,
        ancillary: Vec<PyArray>,
        times: PyArray,
        conditional_after: Option<PyArray>,
    ) -> PyResult<PyArray> {
        let (x1, x2, t, after) = curve_inputs(location, ancillary, times, conditional_after)?;
        let out = self
            .inner
            .predict_survival(&x1, &x2, &t, after.as_deref())
            .py()?;
        Ok(f64_array(out))
    }

    /// Hazard of each row at each time (time-major flat).
    #[pyo3(signature = (location, ancillary, times, conditional_after=None))]
    fn predict_hazard(
        &self,
        location: Vec<PyArray>,
        ancillary: Vec<PyArray>,
        times: PyArray,
        conditional_after: Option<PyArray>,
    ) -> PyResult<PyArray> {
        let (x1, x2, t, after) = curve_inputs(location, ancillary, times, conditional_after)?;
        let out = self
            .inner
            .predict_hazard(&x1, &x2, &t, after.as_deref())
            .py()?;
        Ok(f64_array(out))
    }

    /// Cumulative hazard of each row at each time (time-major flat).
    #[pyo3(signature = (location, ancillary, times, conditional_after=None))]
    fn predict_cumulative_hazard(
        &self,
        location: Vec<PyArray>,
        ancillary: Vec<PyArray>,
        times: PyArray,
        conditional_after: Option<PyArray>,
    ) -> PyResult<PyArray> {
        let (x1, x2, t, after) = curve_inputs(location, ancillary, times, conditional_after)?;
        let out = self
            .inner
            .predict_cumulative_hazard(&x1, &x2, &t, after.as_deref())
            .py()?;
        Ok(f64_array(out))
    }

    /// Likelihood-ratio test against no covariates: (statistic, df, p).
    fn likelihood_ratio_test(&self) -> (f64, usize, f64) {
        self.inner.likelihood_ratio_test()
    }
}
