//! Cox proportional hazards as a fitted object (`CoxFit`), behind
//! `retention.compat.lifelines.CoxPHFitter`: fit with weights, strata and
//! clusters, then predict for new subjects. Each method converts its
//! arguments and calls one core function.

use pyo3::prelude::*;
use pyo3::types::{PyDict, PyTuple};
use pyo3_arrow::PyArray;
use retention_core::survival::{
    CoxModel, CoxOptions, CoxResidualKind, CoxRows, CoxTies, CoxTimeTransform,
};
use retention_core::{Error, IssueKind, RowIssue};

use crate::arrow::{bool_vec, f64_array, f64_vec, opt_f64_vec};
use crate::diagnostics::warnings;
use crate::dicts::{from_dict, to_dict};
use crate::errors::{coded, to_py, Coded, CoreResult};

/// Registers the class.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PyCoxFit>()
}

pub(crate) fn columns(covariates: Vec<PyArray>) -> PyResult<Vec<Vec<f64>>> {
    covariates
        .into_iter()
        .map(|a| f64_vec("covariates", a))
        .collect()
}

/// Non-negative integer labels (stratum or cluster codes).
pub(crate) fn codes(field: &'static str, arr: Option<PyArray>) -> PyResult<Option<Vec<u32>>> {
    let Some(arr) = arr else { return Ok(None) };
    let values = f64_vec(field, arr)?;
    let mut issues = Vec::new();
    let mut out = Vec::with_capacity(values.len());
    for (row, &v) in values.iter().enumerate() {
        if v.fract() == 0.0 && (0.0..=u32::MAX as f64).contains(&v) {
            out.push(v as u32);
        } else {
            issues.push(RowIssue::new(row, field, v, IssueKind::NotInteger));
            out.push(0);
        }
    }
    if issues.is_empty() {
        Ok(Some(out))
    } else {
        Err(to_py(Error::InvalidRows { issues }))
    }
}

/// The training data of residuals and the proportional hazard test,
/// converted once.
struct Training {
    durations: Vec<f64>,
    events: Vec<bool>,
    covariates: Vec<Vec<f64>>,
    weights: Option<Vec<f64>>,
    strata: Option<Vec<u32>>,
}

impl Training {
    fn new(
        durations: PyArray,
        event_observed: PyArray,
        covariates: Vec<PyArray>,
        weights: Option<PyArray>,
        strata: Option<PyArray>,
    ) -> PyResult<Self> {
        Ok(Training {
            durations: f64_vec("durations", durations)?,
            events: bool_vec("event_observed", event_observed)?,
            covariates: columns(covariates)?,
            weights: opt_f64_vec("weights", weights)?,
            strata: codes("strata", strata)?,
        })
    }

    fn rows(&self) -> CoxRows<'_> {
        CoxRows {
            weights: self.weights.as_deref(),
            strata: self.strata.as_deref(),
            ..CoxRows::default()
        }
    }
}

/// A fitted Cox model (core `CoxModel`).
#[pyclass(module = "retention._retention", name = "CoxFit", frozen)]
pub struct PyCoxFit {
    inner: CoxModel,
}

#[pymethods]
impl PyCoxFit {
    /// Fits on covariate columns; `strata` and `clusters` are integer codes.
    #[staticmethod]
    #[pyo3(signature = (durations, event_observed, covariates, *, weights=None, strata=None,
        clusters=None, ties=None, penalizer=None, max_iterations=None, tolerance=None,
        robust=false, entries=None, penalizers=None, l1_ratio=None, initial_point=None,
        step_size=None, r_precision=None, return_unconverged=false))]
    #[allow(clippy::too_many_arguments)]
    fn fit(
        py: Python<'_>,
        durations: PyArray,
        event_observed: PyArray,
        covariates: Vec<PyArray>,
        weights: Option<PyArray>,
        strata: Option<PyArray>,
        clusters: Option<PyArray>,
        ties: Option<Coded<CoxTies>>,
        penalizer: Option<f64>,
        max_iterations: Option<usize>,
        tolerance: Option<f64>,
        robust: bool,
        entries: Option<PyArray>,
        penalizers: Option<Vec<f64>>,
        l1_ratio: Option<f64>,
        initial_point: Option<Vec<f64>>,
        step_size: Option<f64>,
        r_precision: Option<f64>,
        return_unconverged: bool,
    ) -> PyResult<Self> {
        let d = f64_vec("durations", durations)?;
        let entry = opt_f64_vec("entries", entries)?;
        let e = bool_vec("event_observed", event_observed)?;
        let cols = columns(covariates)?;
        let w = opt_f64_vec("weights", weights)?;
        let s = codes("strata", strata)?;
        let c = codes("clusters", clusters)?;
        let d0 = CoxOptions::default();
        let options = CoxOptions {
            ties: coded(ties),
            penalizer: penalizer.unwrap_or(d0.penalizer),
            l1_ratio: l1_ratio.unwrap_or(d0.l1_ratio),
            max_iterations: max_iterations.unwrap_or(d0.max_iterations),
            tolerance: tolerance.unwrap_or(d0.tolerance),
            step_size: step_size.unwrap_or(d0.step_size),
            r_precision: r_precision.unwrap_or(d0.r_precision),
            return_unconverged,
            robust,
        };
        let rows = CoxRows {
            weights: w.as_deref(),
            strata: s.as_deref(),
            clusters: c.as_deref(),
            entries: entry.as_deref(),
            penalizers: penalizers.as_deref(),
            initial_point: initial_point.as_deref(),
        };
        let inner = py
            .detach(|| CoxModel::fit_with(&d, &e, &cols, rows, &options))
            .py()?;
        Ok(PyCoxFit { inner })
    }

    /// Hazard ratios refitted at each follow-up time, `len(times) × p`
    /// flattened by time (lifelines' `compute_followup_hazard_ratios`).
    #[staticmethod]
    #[pyo3(signature = (durations, event_observed, covariates, times, *, weights=None, strata=None,
        penalizer=None, max_iterations=None, tolerance=None))]
    #[allow(clippy::too_many_arguments)]
    fn followup_hazard_ratios(
        py: Python<'_>,
        durations: PyArray,
        event_observed: PyArray,
        covariates: Vec<PyArray>,
        times: Vec<f64>,
        weights: Option<PyArray>,
        strata: Option<PyArray>,
        penalizer: Option<f64>,
        max_iterations: Option<usize>,
        tolerance: Option<f64>,
    ) -> PyResult<PyArray> {
        let d = f64_vec("durations", durations)?;
        let e = bool_vec("event_observed", event_observed)?;
        let cols = columns(covariates)?;
        let w = opt_f64_vec("weights", weights)?;
        let s = codes("strata", strata)?;
        let d0 = CoxOptions::default();
        let options = CoxOptions {
            penalizer: penalizer.unwrap_or(d0.penalizer),
            max_iterations: max_iterations.unwrap_or(d0.max_iterations),
            tolerance: tolerance.unwrap_or(d0.tolerance),
            ..d0
        };
        let rows = CoxRows {
            weights: w.as_deref(),
            strata: s.as_deref(),
            ..CoxRows::default()
        };
        let v = py
            .detach(|| CoxModel::followup_hazard_ratios(&d, &e, &cols, rows, &options, &times))
            .py()?;
        Ok(f64_array(v))
    }

    /// Rebuilds a fitted model from [`PyCoxFit::state`] (used by pickle).
    #[staticmethod]
    fn from_state(state: &Bound<'_, PyAny>) -> PyResult<Self> {
        Ok(PyCoxFit {
            inner: from_dict("CoxModel", state)?,
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

    /// Every field of the core model (`trace` a list of dicts, one per
    /// Newton iteration), plus `aic_partial`, the likelihood-ratio test, the
    /// cumulative baseline hazard and `fit_warnings`: the model's warnings
    /// as `(kind, column, message, undermines_estimate)` tuples, the shape
    /// of `fit_warnings()`.
    fn result<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let m = &self.inner;
        let dict = to_dict(py, m)?;
        dict.set_item("fit_warnings", warnings(&m.warnings, &[]))?;
        dict.set_item("aic_partial", m.aic_partial())?;
        // None without covariates (nothing to test).
        dict.set_item("lr_test", m.likelihood_ratio_test().ok())?;
        dict.set_item("baseline_cumulative_hazard", m.baseline.cumulative_hazard())?;
        Ok(dict)
    }

    /// `(x − x̄)ᵀβ` per row.
    fn log_partial_hazard(
        &self,
        py: Python<'_>,
        covariates: Vec<PyArray>,
        n_rows: usize,
    ) -> PyResult<PyArray> {
        let cols = columns(covariates)?;
        let v = py
            .detach(|| self.inner.log_partial_hazard(&cols, n_rows))
            .py()?;
        Ok(f64_array(v))
    }

    /// Cumulative hazards, `len(times) × n_rows`, flattened by time.
    #[pyo3(signature = (covariates, n_rows, strata, times, conditional_after=None))]
    #[allow(clippy::too_many_arguments)]
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
        let after = conditional_after;
        let v = py
            .detach(|| {
                self.inner.predict_cumulative_hazard(
                    &cols,
                    n_rows,
                    s.as_deref(),
                    &times,
                    after.as_deref(),
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
        let after = conditional_after;
        let v = py
            .detach(|| {
                self.inner.predict_percentile(
                    &cols,
                    n_rows,
                    s.as_deref(),
                    &times,
                    q,
                    after.as_deref(),
                )
            })
            .py()?;
        Ok(f64_array(v))
    }

    /// Trapezoidal integral of each row's survival over `times`.
    #[pyo3(signature = (covariates, n_rows, strata, times, conditional_after=None))]
    #[allow(clippy::too_many_arguments)]
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
        let after = conditional_after;
        let v = py
            .detach(|| {
                self.inner.predict_expectation(
                    &cols,
                    n_rows,
                    s.as_deref(),
                    &times,
                    after.as_deref(),
                )
            })
            .py()?;
        Ok(f64_array(v))
    }

    /// Mean partial log-likelihood of new data at the fitted coefficients.
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
        let entry = opt_f64_vec("entries", entries)?;
        let d = f64_vec("durations", durations)?;
        let e = bool_vec("event_observed", event_observed)?;
        let cols = columns(covariates)?;
        let w = opt_f64_vec("weights", weights)?;
        let s = codes("strata", strata)?;
        let rows = CoxRows {
            weights: w.as_deref(),
            strata: s.as_deref(),
            entries: entry.as_deref(),
            ..CoxRows::default()
        };
        py.detach(|| self.inner.score_log_likelihood(&d, &e, &cols, rows))
            .py()
    }

    /// Concordance of new data with the predicted partial hazards.
    fn score_concordance(
        &self,
        py: Python<'_>,
        durations: PyArray,
        event_observed: PyArray,
        covariates: Vec<PyArray>,
    ) -> PyResult<f64> {
        let d = f64_vec("durations", durations)?;
        let e = bool_vec("event_observed", event_observed)?;
        let cols = columns(covariates)?;
        py.detach(|| self.inner.score_concordance(&d, &e, &cols))
            .py()
    }

    /// Residuals on the training data (lifelines' `compute_residuals`):
    /// `n` values, or `n × p` flattened by row, in input order.
    #[pyo3(signature = (durations, event_observed, covariates, kind, *, weights=None, strata=None))]
    #[allow(clippy::too_many_arguments)]
    fn residuals(
        &self,
        py: Python<'_>,
        durations: PyArray,
        event_observed: PyArray,
        covariates: Vec<PyArray>,
        kind: Coded<CoxResidualKind>,
        weights: Option<PyArray>,
        strata: Option<PyArray>,
    ) -> PyResult<PyArray> {
        let t = Training::new(durations, event_observed, covariates, weights, strata)?;
        let v = py
            .detach(|| {
                let c = &t.covariates;
                self.inner
                    .residuals(&t.durations, &t.events, c, t.rows(), kind.0)
            })
            .py()?;
        Ok(f64_array(v))
    }

    /// Proportional hazard test per covariate, `[stat, p, stat, p, …]`.
    #[pyo3(signature = (durations, event_observed, covariates, transform, *, weights=None, strata=None))]
    #[allow(clippy::too_many_arguments)]
    fn proportional_hazard_test(
        &self,
        py: Python<'_>,
        durations: PyArray,
        event_observed: PyArray,
        covariates: Vec<PyArray>,
        transform: Coded<CoxTimeTransform>,
        weights: Option<PyArray>,
        strata: Option<PyArray>,
    ) -> PyResult<PyArray> {
        let t = Training::new(durations, event_observed, covariates, weights, strata)?;
        let v = py
            .detach(|| {
                let (c, rows) = (&t.covariates, t.rows());
                self.inner
                    .proportional_hazard_test(&t.durations, &t.events, c, rows, transform.0)
            })
            .py()?;
        Ok(f64_array(v.into_iter().flat_map(|(a, b)| [a, b]).collect()))
    }

    fn __repr__(&self) -> String {
        format!(
            "CoxFit({} covariates, {} subjects, {} strata)",
            self.inner.coefficients.len(),
            self.inner.n_observations,
            self.inner.baseline.strata.len()
        )
    }
}
