//! The core functions behind `retention.spark`'s models and segments that
//! the single-machine API does not already expose: RFM values, cut keys and
//! scoring with tie positions; cohort cells and the matrices from summed
//! cells. One core call per function.

use std::sync::Arc;

use arrow_array::cast::AsArray;
use arrow_array::types::{Decimal128Type, Float64Type, Int64Type};
use arrow_array::{
    Array, ArrayRef, Decimal128Array, Int32Array, Int64Array, RecordBatch, StringArray,
};
use arrow_cast::cast_with_options;
use arrow_schema::{DataType, Field, Schema};
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::PyDict;
use pyo3_arrow::{PyArray, PyTable};
use retention_core::cohort_cells::{
    acquisition_cohort_cells, acquisition_cohorts_from_cells, CohortCell,
};
use retention_core::cohorts::{period_label, QualifyingEvents, RetentionMode, RevenueBasis};
use retention_core::models::clv::ClvTimeUnit;
use retention_core::models::scores::{customer_scores as core_scores, SpendInput};
use retention_core::segments::rfm::{
    rfm_values as core_rfm_values, FrequencyBasis, MonetaryBasis, RfmOptions, RfmValues,
    SegmentTable,
};
use retention_core::segments::rfm_cuts::RfmCuts;
use retention_core::summary::Money;
use retention_core::time::{from_micros, Period};
use retention_core::{Error, IssueKind, RowIssue};

use crate::api::{cohort_options, wide};
use crate::arrow::{id_list, strict, to_f64, to_table};
use crate::dicts::{from_dict, to_dict};
use crate::errors::{coded, column_type, to_py, Coded, CoreResult};
use crate::log::{PyEventLog, PySummaries};
use crate::models::{clv_options, Columns, PyGammaGammaModel, PyTransactionModel};

/// `Ok` when a column has the expected length, else the core's
/// `LengthMismatch` naming it.
fn check_len(field: &'static str, expected: usize, actual: usize) -> PyResult<()> {
    if expected == actual {
        Ok(())
    } else {
        Err(to_py(Error::LengthMismatch {
            field,
            expected,
            actual,
        }))
    }
}

/// A numeric input column with its nulls kept (`None`).
fn opt_f64s(field: &'static str, arr: PyArray) -> PyResult<Vec<Option<f64>>> {
    let (arr, _) = arr.into_inner();
    let a = to_f64(field, field, &arr)?;
    Ok(a.as_primitive::<Float64Type>().iter().collect())
}

/// An integer input column (whole numbers; nulls kept as `None`).
fn opt_i64s(field: &'static str, arr: PyArray) -> PyResult<Vec<Option<i64>>> {
    let (arr, _) = arr.into_inner();
    if !arr.data_type().is_integer() && arr.data_type() != &DataType::Null {
        return Err(column_type(field, field, arr.data_type(), "integers"));
    }
    let a = cast_with_options(&arr, &DataType::Int64, &strict())
        .map_err(|e| PyTypeError::new_err(format!("`{field}`: {e}")))?;
    Ok(a.as_primitive::<Int64Type>().iter().collect())
}

/// A count column: whole numbers `≥ 0`, no nulls (all bad rows named).
fn counts(field: &'static str, arr: PyArray) -> PyResult<Vec<u64>> {
    let values = opt_i64s(field, arr)?;
    let mut issues = Vec::new();
    let out = values
        .iter()
        .enumerate()
        .map(|(i, v)| match v {
            Some(x) if *x >= 0 => *x as u64,
            Some(x) => {
                issues.push(RowIssue::new(i, field, x.to_string(), IssueKind::Negative));
                0
            }
            None => {
                issues.push(RowIssue::new(i, field, "", IssueKind::Missing));
                0
            }
        })
        .collect();
    if issues.is_empty() {
        Ok(out)
    } else {
        Err(to_py(Error::InvalidRows { issues }))
    }
}

fn rfm_options(
    as_of: i64,
    frequency: Option<Coded<FrequencyBasis>>,
    monetary: Option<Coded<MonetaryBasis>>,
) -> RfmOptions {
    let mut options = RfmOptions::new(as_of);
    options.frequency = coded(frequency);
    options.monetary = coded(monetary);
    options
}

/// RFM values per customer (no scores): `customer_id`, `recency_days`,
/// `frequency`, `monetary` (null without orders).
#[pyfunction]
#[pyo3(signature = (summaries, as_of, *, frequency=None, monetary=None))]
pub fn rfm_values(
    py: Python<'_>,
    summaries: &PySummaries,
    as_of: i64,
    frequency: Option<Coded<FrequencyBasis>>,
    monetary: Option<Coded<MonetaryBasis>>,
) -> PyResult<PyTable> {
    let options = rfm_options(as_of, frequency, monetary);
    let values = py
        .detach(|| core_rfm_values(&summaries.summaries, Some(&summaries.order_days), &options))
        .py()?;
    to_table(&values)
}

/// A `(value, count)` histogram from two columns.
fn histogram(
    field: &'static str,
    count_field: &'static str,
    values: PyArray,
    n: PyArray,
) -> PyResult<Vec<(f64, u64)>> {
    let v = crate::arrow::f64_vec(field, values)?;
    let c = counts(count_field, n)?;
    check_len(count_field, v.len(), c.len())?;
    Ok(v.into_iter().zip(c).collect())
}

/// RFM cut keys and thresholds from the value histograms (distinct value and
/// number of customers, per dimension), as a dict.
#[pyfunction]
#[pyo3(signature = (recency, recency_counts, frequency, frequency_counts, monetary,
    monetary_counts, *, bins=None))]
#[allow(clippy::too_many_arguments)]
pub fn rfm_cuts<'py>(
    py: Python<'py>,
    recency: PyArray,
    recency_counts: PyArray,
    frequency: PyArray,
    frequency_counts: PyArray,
    monetary: PyArray,
    monetary_counts: PyArray,
    bins: Option<u8>,
) -> PyResult<Bound<'py, PyDict>> {
    let r = histogram("recency_days", "recency_counts", recency, recency_counts)?;
    let f = histogram("frequency", "frequency_counts", frequency, frequency_counts)?;
    let m = histogram("monetary", "monetary_counts", monetary, monetary_counts)?;
    let bins = bins.unwrap_or(RfmOptions::new(0).bins);
    let cuts = py
        .detach(|| RfmCuts::from_histograms(&r, &f, &m, bins))
        .py()?;
    to_dict(py, &cuts)
}

/// RFM scores and segments of customers' values with their tie positions,
/// by the cut keys of [`rfm_cuts`]: the table of `retention.rfm`.
#[pyfunction]
#[pyo3(signature = (customer_id, recency_days, frequency, monetary, ties_recency,
    ties_frequency, ties_monetary, cuts, *, segments=None))]
#[allow(clippy::too_many_arguments)]
pub fn rfm_score(
    py: Python<'_>,
    customer_id: PyArray,
    recency_days: PyArray,
    frequency: PyArray,
    monetary: PyArray,
    ties_recency: PyArray,
    ties_frequency: PyArray,
    ties_monetary: PyArray,
    cuts: &Bound<'_, PyAny>,
    segments: Option<Vec<(String, String)>>,
) -> PyResult<PyTable> {
    let cuts: RfmCuts = from_dict("cuts", cuts)?;
    let values = RfmValues {
        ids: id_list("customer_id", customer_id)?,
        recency_days: opt_f64s("recency_days", recency_days)?,
        frequency: opt_f64s("frequency", frequency)?,
        monetary: opt_f64s("monetary", monetary)?,
    };
    let tie = |field, arr| -> PyResult<Vec<u64>> {
        Ok(opt_i64s(field, arr)?
            .into_iter()
            .map(|t| t.map_or(0, |t| t.max(0) as u64))
            .collect())
    };
    let (tr, tf, tm) = (
        tie("ties_recency", ties_recency)?,
        tie("ties_frequency", ties_frequency)?,
        tie("ties_monetary", ties_monetary)?,
    );
    let n = values.len();
    for (field, len) in [
        ("recency_days", values.recency_days.len()),
        ("frequency", values.frequency.len()),
        ("monetary", values.monetary.len()),
        ("ties_recency", tr.len()),
        ("ties_frequency", tf.len()),
        ("ties_monetary", tm.len()),
    ] {
        check_len(field, n, len)?;
    }
    let ties: Vec<(u64, u64, u64)> = (0..n).map(|i| (tr[i], tf[i], tm[i])).collect();
    let table = match segments {
        Some(rows) => {
            let pairs: Vec<(&str, &str)> =
                rows.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
            SegmentTable::from_patterns(&pairs).py()?
        }
        None => SegmentTable::default(),
    };
    let scores = py.detach(|| cuts.score(values, &ties, &table)).py()?;
    to_table(&scores)
}

/// Arrow schema of the cohort cells.
fn cells_schema() -> Arc<Schema> {
    Arc::new(Schema::new(vec![
        Field::new("cohort_period", DataType::Int64, false),
        Field::new("cohort", DataType::Utf8, false),
        Field::new("age", DataType::Int32, true),
        Field::new("customers", DataType::Int64, false),
        Field::new("retained", DataType::Int64, false),
        Field::new("revenue", DataType::Decimal128(38, 6), false),
    ]))
}

/// Cohort cells of a log's acquisition cohorts: `cohort_period` (calendar
/// index), `cohort` (label), `age` (null for the size cell), `customers`,
/// `retained` and `revenue` (decimal, exact).
#[pyfunction]
#[pyo3(signature = (log, as_of, *, period=None, mode=None, qualifying=None, revenue=None,
    max_age=None))]
#[allow(clippy::too_many_arguments)]
pub fn cohort_cells(
    py: Python<'_>,
    log: &PyEventLog,
    as_of: i64,
    period: Option<Coded<Period>>,
    mode: Option<Coded<RetentionMode>>,
    qualifying: Option<Coded<QualifyingEvents>>,
    revenue: Option<Coded<RevenueBasis>>,
    max_age: Option<u32>,
) -> PyResult<PyTable> {
    let options = cohort_options(period, mode, qualifying, revenue, max_age);
    let cells = py
        .detach(|| acquisition_cohort_cells(&log.inner, from_micros(as_of), &options))
        .py()?;
    let cal = options.calendar;
    let money: Decimal128Array = cells.iter().map(|c| Some(c.revenue.0)).collect();
    let money = money
        .with_precision_and_scale(38, 6)
        .map_err(|e| PyTypeError::new_err(e.to_string()))?;
    let columns: Vec<ArrayRef> = vec![
        Arc::new(Int64Array::from_iter_values(cells.iter().map(|c| c.cohort))),
        Arc::new(StringArray::from_iter_values(
            cells.iter().map(|c| period_label(&cal, c.cohort)),
        )),
        Arc::new(Int32Array::from_iter(
            cells.iter().map(|c| c.age.map(|a| a as i32)),
        )),
        Arc::new(Int64Array::from_iter_values(
            cells.iter().map(|c| c.customers as i64),
        )),
        Arc::new(Int64Array::from_iter_values(
            cells.iter().map(|c| c.retained as i64),
        )),
        Arc::new(money),
    ];
    let schema = cells_schema();
    let batch = RecordBatch::try_new(schema.clone(), columns)
        .map_err(|e| PyTypeError::new_err(e.to_string()))?;
    PyTable::try_new(vec![batch], schema)
}

/// Money in micro-units from a decimal column (cast to `decimal128(38, 6)`
/// exactly; a value that does not fit fails).
fn micros_column(field: &'static str, arr: PyArray) -> PyResult<Vec<Money>> {
    let (arr, _) = arr.into_inner();
    let dt = arr.data_type();
    if !(dt.is_numeric() || matches!(dt, DataType::Decimal128(..) | DataType::Decimal256(..))) {
        return Err(column_type(field, field, dt, "decimals"));
    }
    let a = cast_with_options(&arr, &DataType::Decimal128(38, 6), &strict())
        .map_err(|e| PyTypeError::new_err(format!("`{field}`: {e}")))?;
    let a = a.as_primitive::<Decimal128Type>();
    let issues: Vec<RowIssue> = (0..a.len())
        .filter(|&i| a.is_null(i))
        .map(|i| RowIssue::new(i, field, "", IssueKind::Missing))
        .collect();
    if !issues.is_empty() {
        return Err(to_py(Error::InvalidRows { issues }));
    }
    Ok(a.values().iter().map(|&v| Money(v)).collect())
}

/// Acquisition-cohort matrices (as `cohort_matrix`) from cells in any order
/// (equal `(cohort_period, age)` cells add up).
#[pyfunction]
#[pyo3(signature = (cohort_period, age, customers, retained, revenue, as_of, *, period=None,
    mode=None, qualifying=None, revenue_basis=None, max_age=None))]
#[allow(clippy::too_many_arguments)]
pub fn cohort_matrix_from_cells(
    py: Python<'_>,
    cohort_period: PyArray,
    age: PyArray,
    customers: PyArray,
    retained: PyArray,
    revenue: PyArray,
    as_of: i64,
    period: Option<Coded<Period>>,
    mode: Option<Coded<RetentionMode>>,
    qualifying: Option<Coded<QualifyingEvents>>,
    revenue_basis: Option<Coded<RevenueBasis>>,
    max_age: Option<u32>,
) -> PyResult<Vec<(String, PyTable)>> {
    let options = cohort_options(period, mode, qualifying, revenue_basis, max_age);
    let cohort = opt_i64s("cohort_period", cohort_period)?;
    let age = opt_i64s("age", age)?;
    let customers = counts("customers", customers)?;
    let retained = counts("retained", retained)?;
    let revenue = micros_column("revenue", revenue)?;
    let n = cohort.len();
    for (field, len) in [
        ("age", age.len()),
        ("customers", customers.len()),
        ("retained", retained.len()),
        ("revenue", revenue.len()),
    ] {
        check_len(field, n, len)?;
    }
    let mut issues = Vec::new();
    let cells: Vec<CohortCell> = (0..n)
        .filter_map(|i| {
            let Some(c) = cohort[i] else {
                issues.push(RowIssue::new(i, "cohort_period", "", IssueKind::Missing));
                return None;
            };
            let age = match age[i] {
                None => None,
                Some(a) => match u32::try_from(a) {
                    Ok(a) => Some(a),
                    Err(_) => {
                        issues.push(RowIssue::new(i, "age", a.to_string(), IssueKind::Negative));
                        return None;
                    }
                },
            };
            Some(CohortCell {
                cohort: c,
                age,
                customers: customers[i],
                retained: retained[i],
                revenue: revenue[i],
            })
        })
        .collect();
    if !issues.is_empty() {
        return Err(to_py(Error::InvalidRows { issues }));
    }
    let m = py
        .detach(|| acquisition_cohorts_from_cells(&cells, from_micros(as_of), &options))
        .py()?;
    Ok(vec![
        ("retention".into(), wide(&m, m.retention())?),
        ("churn".into(), wide(&m, m.churn())?),
        ("revenue".into(), wide(&m, m.revenue())?),
        ("ltv".into(), wide(&m, m.ltv())?),
    ])
}

/// P(alive), expected purchases over the next `t` and, with a spend model
/// and `monetary_value`, predictive CLV per row: one core call
/// (`models::scores::customer_scores`).
#[pyfunction]
#[pyo3(signature = (model, frequency, recency, age, t, *, spend=None, monetary_value=None,
    horizon_months=None, monthly_discount_rate=None, time_unit=None, unit_days=None))]
#[allow(clippy::too_many_arguments)]
pub fn customer_scores(
    py: Python<'_>,
    model: &PyTransactionModel,
    frequency: PyArray,
    recency: PyArray,
    age: PyArray,
    t: f64,
    spend: Option<&PyGammaGammaModel>,
    monetary_value: Option<PyArray>,
    horizon_months: Option<u32>,
    monthly_discount_rate: Option<f64>,
    time_unit: Option<Coded<ClvTimeUnit>>,
    unit_days: Option<f64>,
) -> PyResult<PyTable> {
    let cols = Columns::new(frequency, recency, age, None)?;
    let money = match (&spend, monetary_value) {
        (Some(_), Some(m)) => Some(crate::arrow::f64_vec("monetary_value", m)?),
        (Some(_), None) => {
            return Err(PyTypeError::new_err(
                "a spend model needs the monetary_value column",
            ))
        }
        (None, _) => None,
    };
    let opts = clv_options(horizon_months, monthly_discount_rate, time_unit, unit_days);
    let m = model.inner;
    let gg = spend.map(|s| s.inner);
    let scores = py
        .detach(|| {
            let spend = gg
                .as_ref()
                .zip(money.as_deref())
                .map(|(params, mv)| SpendInput {
                    params,
                    monetary_value: mv,
                    options: &opts,
                });
            core_scores(&m, &cols.summary(), t, spend)
        })
        .py()?;
    to_table(&scores)
}
