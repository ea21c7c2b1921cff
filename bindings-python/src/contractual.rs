//! Contractual retention models (the core's `models::contractual`): sBG and
//! BdW fits on survivor counts, their predictions, and the predictive
//! cohort matrix. Each function converts its arguments, calls one core
//! function with the GIL released, and returns the core's result as a dict
//! (serde shape) or a number.

use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};
use retention_core::models::contractual::matrix::SurvivorOptions;
use retention_core::models::contractual::{
    self as core, CohortPooling, CohortSurvivors, ContractualModelKind, ContractualParams,
    MatrixOptions, PredictionOptions,
};
use retention_core::models::FitOptions;
use retention_core::time::from_micros;

use crate::dicts::{from_dict, option_dict, to_dict, to_list};
use crate::errors::{coded, Coded, CoreResult};
use crate::log::PyEventLog;

/// Registers the class and functions of this module.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PyContractualModel>()?;
    m.add_function(wrap_pyfunction!(contractual_fit, m)?)?;
    m.add_function(wrap_pyfunction!(contractual_lr_test, m)?)?;
    m.add_function(wrap_pyfunction!(predictive_cohort_matrix, m)?)?;
    m.add_function(wrap_pyfunction!(predictive_cohort_matrix_from_log, m)?)?;
    Ok(())
}

fn survivors(counts: Vec<Vec<u64>>, labels: Option<Vec<String>>) -> PyResult<CohortSurvivors> {
    match labels {
        Some(labels) => CohortSurvivors::new(labels, counts),
        None => CohortSurvivors::from_counts(counts),
    }
    .py()
}

/// Fits a contractual model to survivor counts (one list per cohort, from
/// age 0): a list of fit dicts, one when pooled, one per cohort otherwise.
#[pyfunction]
#[pyo3(signature = (counts, *, labels=None, model=None, pooling=None, fit_options=None))]
pub fn contractual_fit<'py>(
    py: Python<'py>,
    counts: Vec<Vec<u64>>,
    labels: Option<Vec<String>>,
    model: Option<Coded<ContractualModelKind>>,
    pooling: Option<Coded<CohortPooling>>,
    fit_options: Option<&Bound<'py, PyDict>>,
) -> PyResult<Bound<'py, PyList>> {
    let data = survivors(counts, labels)?;
    let options: FitOptions = option_dict("fit_options", fit_options)?;
    let (model, pooling) = (coded(model), coded(pooling));
    let fits = py
        .detach(|| core::fit_cohorts(model, &data, pooling, &options))
        .py()?;
    to_list(py, &fits)
}

/// Likelihood-ratio test of the sBG against the BdW (pooled fits).
#[pyfunction]
#[pyo3(signature = (counts, *, labels=None, fit_options=None))]
pub fn contractual_lr_test<'py>(
    py: Python<'py>,
    counts: Vec<Vec<u64>>,
    labels: Option<Vec<String>>,
    fit_options: Option<&Bound<'py, PyDict>>,
) -> PyResult<Bound<'py, PyDict>> {
    let data = survivors(counts, labels)?;
    let options: FitOptions = option_dict("fit_options", fit_options)?;
    let test = py
        .detach(|| core::likelihood_ratio_test(&data, &options))
        .py()?;
    to_dict(py, &test)
}

/// The predictive cohort matrix of survivor counts (`options`: the core's
/// `MatrixOptions` as a dict).
#[pyfunction]
#[pyo3(signature = (counts, *, labels=None, options=None))]
pub fn predictive_cohort_matrix<'py>(
    py: Python<'py>,
    counts: Vec<Vec<u64>>,
    labels: Option<Vec<String>>,
    options: Option<&Bound<'py, PyDict>>,
) -> PyResult<Bound<'py, PyDict>> {
    let data = survivors(counts, labels)?;
    let options: MatrixOptions = option_dict("options", options)?;
    let m = py
        .detach(|| core::predictive_cohort_matrix(&data, &options))
        .py()?;
    to_dict(py, &m)
}

/// The predictive cohort matrix straight from an event log: survivors read
/// as `survivors` says (the core's `SurvivorOptions` as a dict: `period`,
/// `utc_offset_seconds`, `qualifying`, `max_age`), `options` the core's
/// `MatrixOptions` as a dict.
#[pyfunction]
#[pyo3(signature = (log, as_of, *, survivors=None, options=None))]
pub fn predictive_cohort_matrix_from_log<'py>(
    py: Python<'py>,
    log: &PyEventLog,
    as_of: i64,
    survivors: Option<&Bound<'py, PyDict>>,
    options: Option<&Bound<'py, PyDict>>,
) -> PyResult<Bound<'py, PyDict>> {
    let survivors: SurvivorOptions = option_dict("survivors", survivors)?;
    let options: MatrixOptions = option_dict("options", options)?;
    let m = py
        .detach(|| {
            core::predictive_cohort_matrix_from_log(
                &log.inner,
                from_micros(as_of),
                &survivors,
                &options,
            )
        })
        .py()?;
    to_dict(py, &m)
}

/// An sBG or BdW model with known parameters, and its predictions.
#[pyclass(name = "ContractualModel", module = "retention._retention", frozen)]
pub struct PyContractualModel {
    inner: ContractualParams,
}

#[pymethods]
impl PyContractualModel {
    /// The model from its parameters dict (`model`, `alpha`, `beta`, `c`:
    /// the `params` of a fit).
    #[new]
    fn new(params: &Bound<'_, PyDict>) -> PyResult<Self> {
        let p: ContractualParams = from_dict("params", params.as_any())?;
        Ok(PyContractualModel {
            inner: p.validated().py()?,
        })
    }

    /// The parameters as a dict.
    #[getter]
    fn params<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        to_dict(py, &self.inner)
    }

    /// `S(t)`.
    fn survival(&self, t: u64) -> PyResult<f64> {
        self.inner.survival(t).py()
    }

    /// `r(t) = S(t)/S(t − 1)`, `t ≥ 1`.
    fn retention_rate(&self, t: u64) -> PyResult<f64> {
        self.inner.retention_rate(t).py()
    }

    /// `P(T = t)`, `t ≥ 1`.
    fn churn_probability(&self, t: u64) -> PyResult<f64> {
        self.inner.churn_probability(t).py()
    }

    /// Survival, retention rate and churn probability at ages `0..ages`,
    /// as a dict of columns.
    fn curve<'py>(&self, py: Python<'py>, ages: usize) -> PyResult<Bound<'py, PyDict>> {
        let c = py.detach(|| self.inner.curve(ages)).py()?;
        to_dict(py, &c)
    }

    /// `E[T] = Σ S(t)`.
    fn expected_lifetime(&self) -> PyResult<f64> {
        self.inner.expected_lifetime().py()
    }

    /// Discounted expected lifetime at `discount_rate` per period.
    fn discounted_expected_lifetime(&self, discount_rate: f64) -> PyResult<f64> {
        self.inner.discounted_expected_lifetime(discount_rate).py()
    }

    /// Discounted expected residual lifetime after `renewals` renewals.
    fn discounted_expected_residual_lifetime(
        &self,
        discount_rate: f64,
        renewals: u64,
    ) -> PyResult<f64> {
        self.inner
            .discounted_expected_residual_lifetime(discount_rate, renewals)
            .py()
    }

    /// Every prediction over a horizon in one dict (the core's
    /// `ContractualPrediction`; `options` its `PredictionOptions`: `ages`,
    /// `discount_rate`, `margin`).
    #[pyo3(signature = (options=None))]
    fn predict<'py>(
        &self,
        py: Python<'py>,
        options: Option<&Bound<'py, PyDict>>,
    ) -> PyResult<Bound<'py, PyDict>> {
        let options: PredictionOptions = option_dict("options", options)?;
        let p = py.detach(|| self.inner.predict(&options)).py()?;
        to_dict(py, &p)
    }

    /// `margin × DERL`.
    fn residual_value(&self, margin: f64, discount_rate: f64, renewals: u64) -> PyResult<f64> {
        self.inner
            .residual_value(margin, discount_rate, renewals)
            .py()
    }
}
