//! Supervised churn model (`retention_core::churn::supervised`) and the
//! traffic light for a given risk (`retention_core::churn::traffic_light`).

use pyo3::prelude::*;
use pyo3::types::{PyDict, PyTuple};
use pyo3_arrow::{PyArray, PyTable};
use retention_core::churn::supervised::{
    churn_features as core_features, churn_labels as core_labels, evaluate as core_evaluate,
    LogisticModel, LogisticOptions, FEATURE_NAMES, N_FEATURES,
};
use retention_core::churn::traffic_light::{
    traffic_light as core_light, LightThresholds, RiskSource, TicketFacts,
};
use retention_core::Error;

use crate::arrow::{bool_vec, f64_vec, id_list, to_table};
use crate::dicts::to_dict;
use crate::errors::{coded, to_py, Coded, CoreResult};
use crate::log::PyEventLog;

/// The feature names, in the order the model expects its columns.
#[pyfunction]
pub fn churn_feature_names() -> Vec<&'static str> {
    FEATURE_NAMES.to_vec()
}

/// Point-in-time features of every customer whose first order precedes `cutoff`.
#[pyfunction]
pub fn churn_features(py: Python<'_>, log: &PyEventLog, cutoff: i64) -> PyResult<PyTable> {
    let f = py.detach(|| core_features(&log.inner, cutoff));
    to_table(&f)
}

/// `True` when the customer has no order in `[cutoff, cutoff + horizon_days)`.
#[pyfunction]
pub fn churn_labels(
    py: Python<'_>,
    log: &PyEventLog,
    customers: PyArray,
    cutoff: i64,
    horizon_days: u32,
    observation_end: i64,
) -> PyResult<Vec<bool>> {
    let ids = id_list("customer_id", customers)?;
    py.detach(|| core_labels(&log.inner, &ids, cutoff, horizon_days, observation_end))
        .py()
}

/// Feature rows from one array per feature, in [`FEATURE_NAMES`] order.
fn rows(columns: Vec<PyArray>) -> PyResult<Vec<[f64; N_FEATURES]>> {
    if columns.len() != N_FEATURES {
        return Err(to_py(Error::LengthMismatch {
            field: "features",
            expected: N_FEATURES,
            actual: columns.len(),
        }));
    }
    let mut cols = Vec::with_capacity(N_FEATURES);
    for (name, arr) in FEATURE_NAMES.iter().zip(columns) {
        cols.push(f64_vec(name, arr)?);
    }
    let n = cols[0].len();
    for (name, c) in FEATURE_NAMES.iter().zip(&cols) {
        if c.len() != n {
            return Err(to_py(Error::LengthMismatch {
                field: name,
                expected: n,
                actual: c.len(),
            }));
        }
    }
    let mut out = vec![[0.0; N_FEATURES]; n];
    for (j, c) in cols.iter().enumerate() {
        for (row, v) in out.iter_mut().zip(c) {
            row[j] = *v;
        }
    }
    // Name the first non-finite cell by its row (the core's predict does not know rows).
    let issues: Vec<_> = out
        .iter()
        .enumerate()
        .flat_map(|(i, r)| {
            r.iter()
                .enumerate()
                .filter(|(_, v)| !v.is_finite())
                .map(move |(j, v)| {
                    retention_core::RowIssue::new(
                        i,
                        FEATURE_NAMES[j],
                        v,
                        retention_core::IssueKind::NotFinite,
                    )
                })
        })
        .collect();
    if !issues.is_empty() {
        return Err(to_py(Error::InvalidRows { issues }));
    }
    Ok(out)
}

/// A fitted L2 logistic churn model on standardised features.
#[pyclass(module = "retention._retention", name = "LogisticModel", frozen)]
pub struct PyLogisticModel {
    inner: LogisticModel,
}

#[pymethods]
impl PyLogisticModel {
    /// Rebuilds a fitted model from its parameters (used by pickle).
    #[new]
    fn new(
        intercept: f64,
        weights: Vec<f64>,
        means: Vec<f64>,
        scales: Vec<f64>,
        iterations: usize,
    ) -> PyResult<Self> {
        for (field, v) in [
            ("weights", &weights),
            ("means", &means),
            ("scales", &scales),
        ] {
            if v.len() != N_FEATURES {
                return Err(to_py(Error::LengthMismatch {
                    field,
                    expected: N_FEATURES,
                    actual: v.len(),
                }));
            }
        }
        Ok(PyLogisticModel {
            inner: LogisticModel {
                intercept,
                weights,
                means,
                scales,
                iterations,
            },
        })
    }

    /// Fits on feature columns (in `churn_feature_names()` order) and labels.
    #[staticmethod]
    #[pyo3(signature = (features, labels, *, l2=None, max_iterations=None, tolerance=None))]
    fn fit(
        py: Python<'_>,
        features: Vec<PyArray>,
        labels: PyArray,
        l2: Option<f64>,
        max_iterations: Option<usize>,
        tolerance: Option<f64>,
    ) -> PyResult<Self> {
        let x = rows(features)?;
        let y = bool_vec("labels", labels)?;
        let d = LogisticOptions::default();
        let options = LogisticOptions {
            l2: l2.unwrap_or(d.l2),
            max_iterations: max_iterations.unwrap_or(d.max_iterations),
            tolerance: tolerance.unwrap_or(d.tolerance),
        };
        let inner = py.detach(|| LogisticModel::fit(&x, &y, &options)).py()?;
        Ok(PyLogisticModel { inner })
    }

    /// Churn probabilities of feature rows (columns in `churn_feature_names()` order).
    fn predict(&self, py: Python<'_>, features: Vec<PyArray>) -> PyResult<Vec<f64>> {
        let x = rows(features)?;
        py.detach(|| self.inner.predict_many(&x)).py()
    }

    #[getter]
    fn intercept(&self) -> f64 {
        self.inner.intercept
    }

    #[getter]
    fn weights(&self) -> Vec<f64> {
        self.inner.weights.clone()
    }

    #[getter]
    fn means(&self) -> Vec<f64> {
        self.inner.means.clone()
    }

    #[getter]
    fn scales(&self) -> Vec<f64> {
        self.inner.scales.clone()
    }

    #[getter]
    fn iterations(&self) -> usize {
        self.inner.iterations
    }

    #[getter]
    fn feature_names(&self) -> Vec<&'static str> {
        FEATURE_NAMES.to_vec()
    }

    fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyTuple>> {
        let py = slf.py();
        let m = &slf.get().inner;
        let args = (
            m.intercept,
            m.weights.clone(),
            m.means.clone(),
            m.scales.clone(),
            m.iterations,
        );
        (slf.get_type(), args).into_pyobject(py)
    }

    fn __repr__(&self) -> String {
        format!(
            "LogisticModel(intercept={:.4}, {} features, {} iterations)",
            self.inner.intercept,
            self.inner.weights.len(),
            self.inner.iterations
        )
    }
}

/// ROC-AUC, PR-AUC, top-decile lift, Brier score and the calibration table.
#[pyfunction]
pub fn evaluate<'py>(
    py: Python<'py>,
    scores: PyArray,
    labels: PyArray,
) -> PyResult<(Bound<'py, PyDict>, PyTable)> {
    let s = f64_vec("scores", scores)?;
    let y = bool_vec("labels", labels)?;
    let e = py.detach(|| core_evaluate(&s, &y)).py()?;
    // The calibration bins come back as a table of their own.
    let d = to_dict(py, &e)?;
    d.del_item("calibration")?;
    let table = to_table(&e.calibration[..])?;
    Ok((d, table))
}

/// Green / amber / red for a given risk, with reasons.
#[pyfunction]
#[pyo3(signature = (risk, *, source=None, reasons=Vec::new(), open_critical=0,
    open_other=0, amber=None, red=None))]
#[allow(clippy::too_many_arguments)]
pub fn traffic_light<'py>(
    py: Python<'py>,
    risk: f64,
    source: Option<Coded<RiskSource>>,
    reasons: Vec<String>,
    open_critical: u64,
    open_other: u64,
    amber: Option<f64>,
    red: Option<f64>,
) -> PyResult<Bound<'py, PyDict>> {
    let d = LightThresholds::default();
    let l = core_light(
        risk,
        coded(source),
        &reasons,
        TicketFacts {
            open_critical,
            open_other,
        },
        LightThresholds {
            amber: amber.unwrap_or(d.amber),
            red: red.unwrap_or(d.red),
        },
    )
    .py()?;
    to_dict(py, &l)
}
