//! Buy-till-you-die models with time-invariant covariates (the core's
//! `models::covariates`): one class, `CovariateModel`, holding a fitted
//! Pareto/NBD, BG/NBD, GGompertz/NBD or Gamma-Gamma model with covariates.
//!
//! Covariates cross as lists of `(name, column)` pairs per process; results
//! cross generically (the core's serde shapes as dicts).

use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};
use pyo3_arrow::PyArray;
use retention_core::models::covariates::gamma_gamma::{self, SpendCovariates};
use retention_core::models::covariates::{
    fit_transaction_columns, predict_transaction, Covariate, CovariateFit, CovariateModelKind,
    CovariateOptions, CovariateSettings,
};
use retention_core::models::gamma_gamma::MonetarySummary;
use retention_core::models::TransactionSummary;

use crate::arrow::{f64_array, f64_vec, f64_with_nan, to_f64};
use crate::dicts::{from_dict, to_dict, to_list};
use crate::errors::{Coded, CoreResult};

/// Registers the class of this module.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PyCovariateModel>()
}

/// Named covariate columns of one process, converted; a null becomes NaN,
/// which the core reports as `name=NaN` at its row.
fn columns(
    field: &'static str,
    given: Vec<(String, PyArray)>,
) -> PyResult<Vec<(String, Vec<f64>)>> {
    given
        .into_iter()
        .map(|(name, arr)| {
            let (arr, _) = arr.into_inner();
            let values = f64_with_nan(&to_f64(field, &name, &arr)?);
            Ok((name, values))
        })
        .collect()
}

/// Borrowed core covariates of converted columns.
fn borrowed(cols: &[(String, Vec<f64>)]) -> Vec<Covariate<'_>> {
    cols.iter().map(|(n, v)| Covariate::new(n, v)).collect()
}

/// Optimiser options; absent values are the core's defaults.
fn options(tolerance: Option<f64>, max_iterations: Option<usize>) -> CovariateOptions {
    let d = CovariateOptions::default();
    CovariateOptions {
        tolerance: tolerance.unwrap_or(d.tolerance),
        max_iterations: max_iterations.unwrap_or(d.max_iterations),
    }
}

/// A fitted buy-till-you-die model with covariates.
#[pyclass(name = "CovariateModel", module = "retention._retention", frozen)]
pub struct PyCovariateModel {
    inner: CovariateFit,
}

#[pymethods]
impl PyCovariateModel {
    /// Fits Pareto/NBD, BG/NBD or GGompertz/NBD with covariates: `columns`
    /// are `(name, column)` pairs, `settings` a dict of the core's
    /// `CovariateSettings` (which names go to `trans` and `life`, penalties,
    /// constrained names, optimiser settings; missing keys take the core's
    /// defaults, unknown keys are refused).
    #[staticmethod]
    #[pyo3(signature = (model, frequency, recency, age, columns, settings, weights=None))]
    #[allow(clippy::too_many_arguments)]
    fn fit(
        py: Python<'_>,
        model: Coded<CovariateModelKind>,
        frequency: PyArray,
        recency: PyArray,
        age: PyArray,
        columns: Vec<(String, PyArray)>,
        settings: &Bound<'_, PyAny>,
        weights: Option<PyArray>,
    ) -> PyResult<Self> {
        let x = f64_vec("frequency", frequency)?;
        let t_x = f64_vec("recency", recency)?;
        let t = f64_vec("age", age)?;
        let w = weights.map(|w| f64_vec("weights", w)).transpose()?;
        let cols = self::columns("covariates", columns)?;
        let settings: CovariateSettings = from_dict("settings", settings)?;
        let (inner, _) = py
            .detach(|| {
                let mut data = TransactionSummary::new(&x, &t_x, &t);
                if let Some(w) = &w {
                    data = data.with_weights(w);
                }
                fit_transaction_columns(model.0, &data, &borrowed(&cols), &settings)
            })
            .py()?;
        Ok(PyCovariateModel { inner })
    }

    #[staticmethod]
    #[pyo3(signature = (frequency, monetary_value, spend, weights=None, *, reg_lambda=None,
        tolerance=None, max_iterations=None))]
    #[allow(clippy::too_many_arguments)]
    fn fit_gamma_gamma(
        py: Python<'_>,
        frequency: PyArray,
        monetary_value: PyArray,
        spend: Vec<(String, PyArray)>,
        weights: Option<PyArray>,
        reg_lambda: Option<f64>,
        tolerance: Option<f64>,
        max_iterations: Option<usize>,
    ) -> PyResult<Self> {
        let x = f64_vec("frequency", frequency)?;
        let m = f64_vec("monetary_value", monetary_value)?;
        let w = weights.map(|w| f64_vec("weights", w)).transpose()?;
        let spend = columns("spend_covariates", spend)?;
        let opts = options(tolerance, max_iterations);
        let inner = py
            .detach(|| {
                let mut data = MonetarySummary::new(&x, &m);
                if let Some(w) = &w {
                    data = MonetarySummary {
                        weights: Some(w),
                        ..data
                    };
                }
                let sc = borrowed(&spend);
                let cov = SpendCovariates {
                    spend: &sc,
                    reg_lambda: reg_lambda.unwrap_or(SpendCovariates::default().reg_lambda),
                };
                gamma_gamma::fit(&data, &cov, &opts)
            })
            .py()?;
        Ok(PyCovariateModel { inner })
    }

    /// The model's code: `"pareto_nbd"`, `"bg_nbd"`, `"ggom_nbd"` or `"gamma_gamma"`.
    #[getter]
    fn model(&self) -> &'static str {
        self.inner.model.as_str()
    }

    /// The whole fit (the core's `CovariateFit` fields) plus `aic` and `bic`.
    fn result<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let d = to_dict(py, &self.inner)?;
        d.set_item("aic", self.inner.aic())?;
        d.set_item("bic", self.inner.bic())?;
        Ok(d)
    }

    /// One dict per parameter: name, estimate, std_error, lower, upper
    /// (Wald interval at `level`, by default the core's `CovariateSettings`
    /// level).
    #[pyo3(signature = (level=None))]
    fn summary<'py>(&self, py: Python<'py>, level: Option<f64>) -> PyResult<Bound<'py, PyList>> {
        let level = level.unwrap_or(CovariateSettings::default().level);
        to_list(py, &self.inner.summary(level).py()?)
    }

    /// P(alive) and conditional expected purchases in the next `horizon`
    /// for every customer (transaction models), as a dict of lists.
    #[pyo3(signature = (frequency, recency, age, trans, life, horizon))]
    #[allow(clippy::too_many_arguments)]
    fn predict<'py>(
        &self,
        py: Python<'py>,
        frequency: PyArray,
        recency: PyArray,
        age: PyArray,
        trans: Vec<(String, PyArray)>,
        life: Vec<(String, PyArray)>,
        horizon: f64,
    ) -> PyResult<Bound<'py, PyDict>> {
        let x = f64_vec("frequency", frequency)?;
        let t_x = f64_vec("recency", recency)?;
        let t = f64_vec("age", age)?;
        let trans = columns("trans_covariates", trans)?;
        let life = columns("life_covariates", life)?;
        let out = py
            .detach(|| {
                let data = TransactionSummary::new(&x, &t_x, &t);
                predict_transaction(
                    &self.inner,
                    &data,
                    &borrowed(&trans),
                    &borrowed(&life),
                    horizon,
                )
            })
            .py()?;
        to_dict(py, &out)
    }

    /// Conditional expected average spend of every customer (Gamma-Gamma).
    fn conditional_expected_average_spend(
        &self,
        py: Python<'_>,
        frequency: PyArray,
        monetary_value: PyArray,
        spend: Vec<(String, PyArray)>,
    ) -> PyResult<PyArray> {
        let x = f64_vec("frequency", frequency)?;
        let m = f64_vec("monetary_value", monetary_value)?;
        let spend = columns("spend_covariates", spend)?;
        let out = py
            .detach(|| {
                gamma_gamma::conditional_expected_average_spend(
                    &self.inner,
                    &x,
                    &m,
                    &borrowed(&spend),
                )
            })
            .py()?;
        Ok(f64_array(out))
    }

    fn __repr__(&self) -> String {
        let params: Vec<String> = self
            .inner
            .parameter_names
            .iter()
            .zip(&self.inner.estimates)
            .map(|(n, v)| format!("{n}={v:.6}"))
            .collect();
        format!(
            "CovariateModel({}, {})",
            self.inner.model.as_str(),
            params.join(", ")
        )
    }
}
