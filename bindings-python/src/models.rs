//! Buy-till-you-die models: BG/NBD, MBG/NBD, Pareto/NBD (one class,
//! `TransactionModel`), BG/BB, Gamma-Gamma, and predictive CLV.
//!
//! Each method converts its Arrow columns, calls one core function with the
//! GIL released, and returns Arrow arrays (or scalars / a diagnostics dict).

use pyo3::prelude::*;
use pyo3::types::PyDict;
use pyo3_arrow::PyArray;
use retention_core::models::bgbb::{self, BgBbParams};
use retention_core::models::clv::{predictive_clv as core_clv, ClvOptions, ClvTimeUnit};
use retention_core::models::gamma_gamma::{
    self, frequency_monetary_correlation as core_correlation, GammaGammaParams, MonetarySummary,
};
use retention_core::models::{
    wald_intervals, FitDiagnostics, FitOptions, TransactionModel, TransactionModelKind,
    TransactionModelParams, TransactionSummary,
};
use retention_core::Error;

use crate::arrow::{f64_array, f64_vec};
use crate::dicts::to_dict;
use crate::errors::{Coded, CoreResult};

/// Registers the classes and functions of this module.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PyTransactionModel>()?;
    m.add_class::<PyBgBbModel>()?;
    m.add_class::<PyGammaGammaModel>()?;
    m.add_function(wrap_pyfunction!(predictive_clv, m)?)?;
    m.add_function(wrap_pyfunction!(discounted_value, m)?)?;
    m.add_function(wrap_pyfunction!(frequency_monetary_correlation, m)?)?;
    m.add_function(wrap_pyfunction!(confidence_intervals, m)?)?;
    Ok(())
}

/// The `(frequency, recency, age[, weights])` columns as vectors.
pub(crate) struct Columns {
    x: Vec<f64>,
    t_x: Vec<f64>,
    age: Vec<f64>,
    w: Option<Vec<f64>>,
}

impl Columns {
    pub(crate) fn new(
        frequency: PyArray,
        recency: PyArray,
        age: PyArray,
        weights: Option<PyArray>,
    ) -> PyResult<Self> {
        Ok(Columns {
            x: f64_vec("frequency", frequency)?,
            t_x: f64_vec("recency", recency)?,
            age: f64_vec("age", age)?,
            w: weights.map(|w| f64_vec("weights", w)).transpose()?,
        })
    }

    pub(crate) fn summary(&self) -> TransactionSummary<'_> {
        let s = TransactionSummary::new(&self.x, &self.t_x, &self.age);
        match &self.w {
            Some(w) => s.with_weights(w),
            None => s,
        }
    }
}

/// Fit options; absent values are the core's defaults.
fn options(
    penalizer_coef: Option<f64>,
    initial_params: Option<Vec<f64>>,
    tolerance: Option<f64>,
    max_iterations: Option<usize>,
) -> FitOptions {
    let d = FitOptions::default();
    FitOptions {
        penalizer_coef: penalizer_coef.unwrap_or(d.penalizer_coef),
        initial_params: initial_params.or(d.initial_params),
        tolerance: tolerance.unwrap_or(d.tolerance),
        max_iterations: max_iterations.unwrap_or(d.max_iterations),
    }
}

/// The diagnostics as a dict, with the information criteria the core computes.
fn diagnostics_dict<'py>(py: Python<'py>, d: &FitDiagnostics) -> PyResult<Bound<'py, PyDict>> {
    let dict = to_dict(py, d)?;
    dict.set_item("aic", d.aic())?;
    dict.set_item("bic", d.bic())?;
    Ok(dict)
}

/// Normal (Wald) intervals `θ ± z·se` at `level` (the core's `wald_intervals`).
#[pyfunction]
#[pyo3(signature = (params, standard_errors, level=0.95))]
pub fn confidence_intervals(
    params: Vec<f64>,
    standard_errors: Vec<f64>,
    level: f64,
) -> PyResult<Vec<(f64, f64)>> {
    wald_intervals(&params, &standard_errors, level).py()
}

/// A BG/NBD, MBG/NBD, Pareto/NBD or GGompertz/NBD model with known parameters.
#[pyclass(name = "TransactionModel", module = "retention._retention", frozen)]
pub struct PyTransactionModel {
    pub(crate) inner: TransactionModelParams,
}

#[pymethods]
impl PyTransactionModel {
    /// Builds a model from its parameters (`r, alpha, a, b` for BG/NBD and
    /// MBG/NBD; `r, alpha, s, beta` for Pareto/NBD; `r, alpha, b, s, beta`
    /// for GGompertz/NBD).
    /// `params` is a list in that order or a dict by name.
    #[new]
    fn new(model: Coded<TransactionModelKind>, params: &Bound<'_, PyAny>) -> PyResult<Self> {
        let inner = match params.cast::<PyDict>() {
            Ok(d) => {
                let named: Vec<(String, f64)> = d.items().extract()?;
                TransactionModelParams::from_named(model.0, &named)
            }
            Err(_) => TransactionModelParams::from_values(model.0, &params.extract::<Vec<f64>>()?),
        }
        .py()?;
        Ok(PyTransactionModel { inner })
    }

    /// Fits a model by maximum likelihood; returns it with its diagnostics.
    ///
    /// With `time_scale`, times are multiplied by it for the optimiser and
    /// the result is reported in the data's unit (the core's `fit_rescaled`).
    #[staticmethod]
    #[pyo3(signature = (model, frequency, recency, age, weights=None, *, penalizer_coef=None,
        initial_params=None, tolerance=None, max_iterations=None, time_scale=None))]
    #[allow(clippy::too_many_arguments)]
    fn fit<'py>(
        py: Python<'py>,
        model: Coded<TransactionModelKind>,
        frequency: PyArray,
        recency: PyArray,
        age: PyArray,
        weights: Option<PyArray>,
        penalizer_coef: Option<f64>,
        initial_params: Option<Vec<f64>>,
        tolerance: Option<f64>,
        max_iterations: Option<usize>,
        time_scale: Option<f64>,
    ) -> PyResult<(Self, Bound<'py, PyDict>)> {
        let cols = Columns::new(frequency, recency, age, weights)?;
        let opts = options(penalizer_coef, initial_params, tolerance, max_iterations);
        let f = py
            .detach(|| match time_scale {
                None => TransactionModelParams::fit(model.0, &cols.summary(), &opts),
                Some(c) => TransactionModelParams::fit_rescaled(model.0, &cols.summary(), &opts, c),
            })
            .py()?;
        Ok((
            PyTransactionModel { inner: f.params },
            diagnostics_dict(py, &f.diagnostics)?,
        ))
    }

    /// The model's code: `"bg_nbd"`, `"mbg_nbd"`, `"pareto_nbd"` or `"ggom_nbd"`.
    #[getter]
    fn model(&self) -> &'static str {
        self.inner.kind().as_str()
    }

    /// Parameter names and values, in the model's order.
    #[getter]
    fn params(&self) -> Vec<(&'static str, f64)> {
        let names = TransactionModelParams::names(self.inner.kind());
        names.iter().copied().zip(self.inner.values()).collect()
    }

    /// Total (weighted) log-likelihood of the data at these parameters.
    #[pyo3(signature = (frequency, recency, age, weights=None))]
    fn log_likelihood(
        &self,
        py: Python<'_>,
        frequency: PyArray,
        recency: PyArray,
        age: PyArray,
        weights: Option<PyArray>,
    ) -> PyResult<f64> {
        let cols = Columns::new(frequency, recency, age, weights)?;
        let m = self.inner;
        py.detach(|| m.log_likelihood(&cols.summary())).py()
    }

    /// Expected repeat purchases in `(0, t]` of a new customer, per `t`.
    fn expected_purchases(&self, py: Python<'_>, t: PyArray) -> PyResult<PyArray> {
        let t = f64_vec("t", t)?;
        let m = self.inner;
        let v = py
            .detach(|| {
                t.iter()
                    .map(|&t| m.expected_purchases(t))
                    .collect::<Result<Vec<f64>, Error>>()
            })
            .py()?;
        Ok(f64_array(v))
    }

    /// Expected purchases in the next `t` of each customer (`t` one
    /// horizon, or an array of one horizon per customer).
    fn conditional_expected_purchases(
        &self,
        py: Python<'_>,
        t: &Bound<'_, PyAny>,
        frequency: PyArray,
        recency: PyArray,
        age: PyArray,
    ) -> PyResult<PyArray> {
        let cols = Columns::new(frequency, recency, age, None)?;
        let m = self.inner;
        let v = match t.extract::<f64>() {
            Ok(t) => py.detach(|| m.conditional_expected_purchases_batch(t, &cols.summary())),
            Err(_) => {
                let ts = f64_vec("t", t.extract()?)?;
                py.detach(|| m.conditional_expected_purchases_each(&ts, &cols.summary()))
            }
        }
        .py()?;
        Ok(f64_array(v))
    }

    /// P(alive) of each customer at the end of observation.
    fn probability_alive(
        &self,
        py: Python<'_>,
        frequency: PyArray,
        recency: PyArray,
        age: PyArray,
    ) -> PyResult<PyArray> {
        let cols = Columns::new(frequency, recency, age, None)?;
        let m = self.inner;
        let v = py
            .detach(|| m.probability_alive_batch(&cols.summary()))
            .py()?;
        Ok(f64_array(v))
    }

    /// P(exactly `n` repeat purchases in `(0, t]`) for a new customer.
    fn probability_of_purchases(&self, py: Python<'_>, n: u64, t: f64) -> PyResult<f64> {
        let m = self.inner;
        py.detach(|| m.probability_of_purchases(n, t)).py()
    }

    fn __repr__(&self) -> String {
        let params: Vec<String> = self
            .params()
            .iter()
            .map(|(n, v)| format!("{n}={v:.6}"))
            .collect();
        format!(
            "TransactionModel({:?}, {})",
            self.model(),
            params.join(", ")
        )
    }
}

/// A BG/BB model (discrete transaction opportunities).
#[pyclass(name = "BgBbModel", module = "retention._retention", frozen)]
pub struct PyBgBbModel {
    pub(crate) inner: BgBbParams,
}

#[pymethods]
impl PyBgBbModel {
    /// Builds a model from `alpha, beta, gamma, delta`.
    #[new]
    fn new(alpha: f64, beta: f64, gamma: f64, delta: f64) -> PyResult<Self> {
        Ok(PyBgBbModel {
            inner: BgBbParams::new(alpha, beta, gamma, delta).py()?,
        })
    }

    /// Fits BG/BB on `(frequency, recency, periods[, weights])`.
    #[staticmethod]
    #[pyo3(signature = (frequency, recency, periods, weights=None, *, penalizer_coef=None,
        initial_params=None, tolerance=None, max_iterations=None))]
    #[allow(clippy::too_many_arguments)]
    fn fit<'py>(
        py: Python<'py>,
        frequency: PyArray,
        recency: PyArray,
        periods: PyArray,
        weights: Option<PyArray>,
        penalizer_coef: Option<f64>,
        initial_params: Option<Vec<f64>>,
        tolerance: Option<f64>,
        max_iterations: Option<usize>,
    ) -> PyResult<(Self, Bound<'py, PyDict>)> {
        let cols = Columns::new(frequency, recency, periods, weights)?;
        let opts = options(penalizer_coef, initial_params, tolerance, max_iterations);
        let f = py.detach(|| bgbb::fit(&cols.summary(), &opts)).py()?;
        Ok((
            PyBgBbModel { inner: f.params },
            diagnostics_dict(py, &f.diagnostics)?,
        ))
    }

    /// Parameter names and values.
    #[getter]
    fn params(&self) -> Vec<(&'static str, f64)> {
        let p = self.inner;
        vec![
            ("alpha", p.alpha),
            ("beta", p.beta),
            ("gamma", p.gamma),
            ("delta", p.delta),
        ]
    }

    /// Total (weighted) log-likelihood.
    #[pyo3(signature = (frequency, recency, periods, weights=None))]
    fn log_likelihood(
        &self,
        py: Python<'_>,
        frequency: PyArray,
        recency: PyArray,
        periods: PyArray,
        weights: Option<PyArray>,
    ) -> PyResult<f64> {
        let cols = Columns::new(frequency, recency, periods, weights)?;
        let m = self.inner;
        py.detach(|| m.log_likelihood(&cols.summary())).py()
    }

    /// Expected transactions in the first `n` opportunities of a new customer.
    fn expected_transactions(&self, py: Python<'_>, n: u64) -> PyResult<f64> {
        let m = self.inner;
        py.detach(|| m.expected_transactions(n)).py()
    }

    /// P(exactly `x` transactions in the first `n` opportunities).
    fn probability_of_transactions(&self, py: Python<'_>, x: u64, n: u64) -> PyResult<f64> {
        let m = self.inner;
        py.detach(|| m.probability_of_transactions(x, n)).py()
    }

    /// Expected transactions in the next `future` opportunities, per customer.
    fn conditional_expected_transactions(
        &self,
        py: Python<'_>,
        future: u64,
        frequency: PyArray,
        recency: PyArray,
        periods: PyArray,
    ) -> PyResult<PyArray> {
        let cols = Columns::new(frequency, recency, periods, None)?;
        let m = self.inner;
        let v = py
            .detach(|| m.conditional_expected_transactions_batch(future, &cols.summary()))
            .py()?;
        Ok(f64_array(v))
    }

    /// P(alive at opportunity `n + future`), per customer.
    #[pyo3(signature = (frequency, recency, periods, future=1))]
    fn probability_alive(
        &self,
        py: Python<'_>,
        frequency: PyArray,
        recency: PyArray,
        periods: PyArray,
        future: u64,
    ) -> PyResult<PyArray> {
        let cols = Columns::new(frequency, recency, periods, None)?;
        let m = self.inner;
        let v = py
            .detach(|| m.probability_alive_batch(future, &cols.summary()))
            .py()?;
        Ok(f64_array(v))
    }

    fn __repr__(&self) -> String {
        let p = self.inner;
        format!(
            "BgBbModel(alpha={:.6}, beta={:.6}, gamma={:.6}, delta={:.6})",
            p.alpha, p.beta, p.gamma, p.delta
        )
    }
}

/// A Gamma-Gamma model of spend per transaction.
#[pyclass(name = "GammaGammaModel", module = "retention._retention", frozen)]
pub struct PyGammaGammaModel {
    pub(crate) inner: GammaGammaParams,
}

fn monetary_columns(frequency: PyArray, monetary_value: PyArray) -> PyResult<(Vec<f64>, Vec<f64>)> {
    Ok((
        f64_vec("frequency", frequency)?,
        f64_vec("monetary_value", monetary_value)?,
    ))
}

#[pymethods]
impl PyGammaGammaModel {
    /// Builds a model from `p, q, gamma`.
    #[new]
    fn new(p: f64, q: f64, gamma: f64) -> PyResult<Self> {
        Ok(PyGammaGammaModel {
            inner: GammaGammaParams::new(p, q, gamma).py()?,
        })
    }

    /// Fits Gamma-Gamma on the repeat buyers (rows with `frequency ≥ 1`).
    #[staticmethod]
    #[pyo3(signature = (frequency, monetary_value, weights=None, *, penalizer_coef=None,
        initial_params=None, tolerance=None, max_iterations=None))]
    #[allow(clippy::too_many_arguments)]
    fn fit<'py>(
        py: Python<'py>,
        frequency: PyArray,
        monetary_value: PyArray,
        weights: Option<PyArray>,
        penalizer_coef: Option<f64>,
        initial_params: Option<Vec<f64>>,
        tolerance: Option<f64>,
        max_iterations: Option<usize>,
    ) -> PyResult<(Self, Bound<'py, PyDict>)> {
        let (x, m) = monetary_columns(frequency, monetary_value)?;
        let w = weights.map(|w| f64_vec("weights", w)).transpose()?;
        let opts = options(penalizer_coef, initial_params, tolerance, max_iterations);
        let f = py
            .detach(|| {
                let data = MonetarySummary {
                    frequency: &x,
                    monetary_value: &m,
                    weights: w.as_deref(),
                };
                gamma_gamma::fit(&data, &opts)
            })
            .py()?;
        Ok((
            PyGammaGammaModel { inner: f.params },
            diagnostics_dict(py, &f.diagnostics)?,
        ))
    }

    /// Parameter names and values.
    #[getter]
    fn params(&self) -> Vec<(&'static str, f64)> {
        let p = self.inner;
        vec![("p", p.p), ("q", p.q), ("gamma", p.gamma)]
    }

    /// Total (weighted) log-likelihood of the repeat buyers.
    #[pyo3(signature = (frequency, monetary_value, weights=None))]
    fn log_likelihood(
        &self,
        py: Python<'_>,
        frequency: PyArray,
        monetary_value: PyArray,
        weights: Option<PyArray>,
    ) -> PyResult<f64> {
        let (x, m) = monetary_columns(frequency, monetary_value)?;
        let w = weights.map(|w| f64_vec("weights", w)).transpose()?;
        let p = self.inner;
        py.detach(|| {
            p.log_likelihood(&MonetarySummary {
                frequency: &x,
                monetary_value: &m,
                weights: w.as_deref(),
            })
        })
        .py()
    }

    /// Population mean spend per transaction, `p·gamma/(q−1)`.
    fn expected_average_spend(&self) -> PyResult<f64> {
        self.inner.expected_average_spend().py()
    }

    /// Conditional expected average spend per transaction, per customer.
    fn conditional_expected_average_spend(
        &self,
        py: Python<'_>,
        frequency: PyArray,
        monetary_value: PyArray,
    ) -> PyResult<PyArray> {
        let (x, m) = monetary_columns(frequency, monetary_value)?;
        let p = self.inner;
        let v = py
            .detach(|| p.conditional_expected_average_spend_batch(&x, &m))
            .py()?;
        Ok(f64_array(v))
    }

    fn __repr__(&self) -> String {
        let p = self.inner;
        format!(
            "GammaGammaModel(p={:.6}, q={:.6}, gamma={:.6})",
            p.p, p.q, p.gamma
        )
    }
}

/// Predictive CLV per customer (lifetimes' `customer_lifetime_value`).
///
/// `time_unit` is a `clv_time_unit` code (`"hour"`, `"day"`, `"week"`,
/// `"month"`); `unit_days` a number of days per model time unit instead.
#[pyfunction]
#[pyo3(signature = (model, spend, frequency, recency, age, monetary_value, *,
    horizon_months=None, monthly_discount_rate=None, time_unit=None, unit_days=None))]
#[allow(clippy::too_many_arguments)]
pub fn predictive_clv(
    py: Python<'_>,
    model: &PyTransactionModel,
    spend: &PyGammaGammaModel,
    frequency: PyArray,
    recency: PyArray,
    age: PyArray,
    monetary_value: PyArray,
    horizon_months: Option<u32>,
    monthly_discount_rate: Option<f64>,
    time_unit: Option<Coded<ClvTimeUnit>>,
    unit_days: Option<f64>,
) -> PyResult<PyArray> {
    let cols = Columns::new(frequency, recency, age, None)?;
    let mv = f64_vec("monetary_value", monetary_value)?;
    let (m, gg) = (model.inner, spend.inner);
    let opts = clv_options(horizon_months, monthly_discount_rate, time_unit, unit_days);
    let v = py
        .detach(|| core_clv(&m, &gg, &cols.summary(), &mv, &opts))
        .py()?;
    Ok(f64_array(v))
}

/// lifetimes' `utils._customer_lifetime_value`: the given spend per
/// purchase times the discounted expected purchases (core
/// `clv::discounted_value`).
#[pyfunction]
#[pyo3(signature = (model, frequency, recency, age, monetary_value, *, horizon_months=None,
    monthly_discount_rate=None, time_unit=None, unit_days=None))]
#[allow(clippy::too_many_arguments)]
pub fn discounted_value(
    py: Python<'_>,
    model: &PyTransactionModel,
    frequency: PyArray,
    recency: PyArray,
    age: PyArray,
    monetary_value: PyArray,
    horizon_months: Option<u32>,
    monthly_discount_rate: Option<f64>,
    time_unit: Option<Coded<ClvTimeUnit>>,
    unit_days: Option<f64>,
) -> PyResult<PyArray> {
    let cols = Columns::new(frequency, recency, age, None)?;
    let mv = f64_vec("monetary_value", monetary_value)?;
    let m = model.inner;
    let opts = clv_options(horizon_months, monthly_discount_rate, time_unit, unit_days);
    let v = py
        .detach(|| retention_core::models::clv::discounted_value(&m, &cols.summary(), &mv, &opts))
        .py()?;
    Ok(f64_array(v))
}

/// Pearson correlation of frequency and monetary value over repeat buyers
/// (the Gamma-Gamma independence check); `None` when undefined.
#[pyfunction]
pub fn frequency_monetary_correlation(
    py: Python<'_>,
    frequency: PyArray,
    monetary_value: PyArray,
) -> PyResult<Option<f64>> {
    let (x, m) = monetary_columns(frequency, monetary_value)?;
    py.detach(|| core_correlation(&x, &m)).py()
}

/// The CLV keyword arguments as the core's [`ClvOptions`] (a `None` takes
/// the core's default).
pub(crate) fn clv_options(
    horizon_months: Option<u32>,
    monthly_discount_rate: Option<f64>,
    time_unit: Option<Coded<ClvTimeUnit>>,
    unit_days: Option<f64>,
) -> ClvOptions {
    let d = ClvOptions::default();
    ClvOptions {
        horizon_months: horizon_months.unwrap_or(d.horizon_months),
        monthly_discount_rate: monthly_discount_rate.unwrap_or(d.monthly_discount_rate),
        time_unit: time_unit.map(|u| u.0),
        unit_days,
    }
}
