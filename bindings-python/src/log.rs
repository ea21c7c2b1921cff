//! `EventLog` and `Summaries`: ingestion from Arrow, CSV and the sample shop.

use std::str::FromStr;
use std::sync::Arc;

use arrow_array::cast::AsArray;
use arrow_array::{Array, ArrayRef, RecordBatch};
use arrow_schema::DataType;
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3_arrow::input::AnyRecordBatch;
use pyo3_arrow::PyTable;
use retention_core::csv_input::parse_csv;
use retention_core::events::{
    CustomerColumn, DuplicatePolicy, EventColumns, EventLog, EventType, LogOptions,
};
use retention_core::sample::{generate_columns, SampleOptions};
use retention_core::summary::{OrderDays, Summaries};
use retention_core::time::Micros;
use retention_core::{Error, IssueKind, RowIssue};

use crate::arrow::{
    f64_with_nan, ids_from_array, is_text, micros_from_array, strict, to_f64, IdColumn,
    TableBuilder,
};
use crate::errors::{column_type, parameter, to_py, CoreResult};

fn duplicate_policy(name: &str) -> PyResult<DuplicatePolicy> {
    match name {
        "keep" => Ok(DuplicatePolicy::Keep),
        "drop" => Ok(DuplicatePolicy::Drop),
        "reject" => Ok(DuplicatePolicy::Reject),
        other => Err(parameter(
            "duplicates",
            other,
            "must be one of \"keep\", \"drop\", \"reject\"",
        )),
    }
}

/// A validated, columnar event log (see `retention_core::events`).
#[pyclass(module = "retention._retention", name = "EventLog", frozen)]
pub struct PyEventLog {
    pub inner: Arc<EventLog>,
}

/// Which input column feeds which field.
struct ColumnNames {
    names: [(&'static str, Option<String>, bool); 8],
}

/// Columns gathered from all record batches, owned.
#[derive(Default)]
struct Gathered {
    int_ids: Vec<i64>,
    str_ids: Vec<ArrayRef>,
    timestamp: Vec<Micros>,
    kind: Option<Vec<EventType>>,
    amount: Option<Vec<f64>>,
    items: Option<Vec<Option<u32>>>,
    score: Option<Vec<f64>>,
    detail: Option<Vec<ArrayRef>>,
    resolved: Option<Vec<Option<bool>>>,
}

fn gather(
    schema: &arrow_schema::Schema,
    batches: &[RecordBatch],
    cols: &ColumnNames,
) -> PyResult<(Gathered, Vec<RowIssue>)> {
    let mut g = Gathered::default();
    let mut issues = Vec::new();
    let mut offset = 0;
    // Resolve names to positions once.
    let mut pos: [Option<usize>; 8] = [None; 8];
    {
        for (k, (field, name, explicit)) in cols.names.iter().enumerate() {
            let name = name.as_deref().unwrap_or(field);
            match schema.index_of(name) {
                Ok(i) => pos[k] = Some(i),
                Err(_) if *explicit || k < 2 => {
                    return Err(to_py(Error::InvalidParameter {
                        name: field,
                        value: format!("{name:?}"),
                        reason: "no such column in the input",
                    }))
                }
                Err(_) => {}
            }
        }
    }
    let colname = |k: usize| {
        cols.names[k]
            .1
            .clone()
            .unwrap_or_else(|| cols.names[k].0.to_owned())
    };
    let mut ids_are_text: Option<bool> = None;
    for batch in batches {
        let n = batch.num_rows();
        let c = |k: usize| pos[k].map(|i| batch.column(i).clone());
        match ids_from_array(
            "customer_id",
            &colname(0),
            &c(0).unwrap(),
            offset,
            &mut issues,
        )? {
            IdColumn::Int(v) => {
                if ids_are_text == Some(true) {
                    return Err(PyTypeError::new_err(
                        "customer_id changes type between batches",
                    ));
                }
                ids_are_text = Some(false);
                g.int_ids.extend(v);
            }
            IdColumn::Str(a) => {
                if ids_are_text == Some(false) {
                    return Err(PyTypeError::new_err(
                        "customer_id changes type between batches",
                    ));
                }
                ids_are_text = Some(true);
                g.str_ids.push(a);
            }
        }
        g.timestamp.extend(micros_from_array(
            "timestamp",
            &colname(1),
            &c(1).unwrap(),
            offset,
            &mut issues,
        )?);
        if let Some(a) = c(2) {
            let dt = a.data_type();
            if !(is_text(dt) || matches!(dt, DataType::Dictionary(..) | DataType::Null)) {
                return Err(column_type("event", &colname(2), dt, "event names as text"));
            }
            let a = arrow_cast::cast_with_options(&a, &DataType::Utf8, &strict())
                .map_err(|e| PyTypeError::new_err(e.to_string()))?;
            let s = a.as_string::<i32>();
            let out = g.kind.get_or_insert_with(Vec::new);
            for i in 0..n {
                if s.is_null(i) || s.value(i).trim().is_empty() {
                    out.push(EventType::Order);
                } else {
                    match EventType::from_str(s.value(i)) {
                        Ok(t) => out.push(t),
                        Err(()) => {
                            let v = s.value(i);
                            issues.push(RowIssue::new(
                                offset + i,
                                "event",
                                v,
                                IssueKind::UnknownKind,
                            ));
                            out.push(EventType::Order);
                        }
                    }
                }
            }
        }
        if let Some(a) = c(3) {
            let a = to_f64("amount", &colname(3), &a)?;
            g.amount
                .get_or_insert_with(Vec::new)
                .extend(f64_with_nan(&a));
        }
        if let Some(a) = c(4) {
            let a = to_f64("items", &colname(4), &a)?;
            let out = g.items.get_or_insert_with(Vec::new);
            for (i, x) in f64_with_nan(&a).into_iter().enumerate() {
                if x.is_nan() {
                    out.push(None);
                } else if x.fract() != 0.0 || !(0.0..=u32::MAX as f64 - 1.0).contains(&x) {
                    let kind = if x.fract() != 0.0 {
                        IssueKind::NotInteger
                    } else {
                        IssueKind::OutOfRange {
                            min: 0.0,
                            max: u32::MAX as f64 - 1.0,
                        }
                    };
                    issues.push(RowIssue::new(offset + i, "items", x, kind));
                    out.push(None);
                } else {
                    out.push(Some(x as u32));
                }
            }
        }
        if let Some(a) = c(5) {
            let a = to_f64("score", &colname(5), &a)?;
            g.score
                .get_or_insert_with(Vec::new)
                .extend(f64_with_nan(&a));
        }
        if let Some(a) = c(6) {
            let dt = a.data_type();
            let a = if dt.is_integer()
                || is_text(dt)
                || matches!(dt, DataType::Dictionary(..) | DataType::Null)
            {
                arrow_cast::cast_with_options(&a, &DataType::Utf8, &strict())
                    .map_err(|e| PyTypeError::new_err(e.to_string()))?
            } else {
                return Err(column_type("detail", &colname(6), dt, "text"));
            };
            g.detail.get_or_insert_with(Vec::new).push(a);
        }
        if let Some(a) = c(7) {
            let dt = a.data_type();
            let out = g.resolved.get_or_insert_with(Vec::new);
            match dt {
                DataType::Boolean => out.extend(a.as_boolean().iter()),
                DataType::Null => out.extend(std::iter::repeat_n(None, n)),
                _ if dt.is_numeric() => {
                    let f = to_f64("resolved", &colname(7), &a)?;
                    for (i, x) in f64_with_nan(&f).into_iter().enumerate() {
                        if x.is_nan() {
                            out.push(None);
                        } else if x == 0.0 || x == 1.0 {
                            out.push(Some(x == 1.0));
                        } else {
                            let kind = IssueKind::OutOfRange { min: 0.0, max: 1.0 };
                            issues.push(RowIssue::new(offset + i, "resolved", x, kind));
                            out.push(None);
                        }
                    }
                }
                _ => return Err(column_type("resolved", &colname(7), dt, "booleans")),
            }
        }
        offset += n;
    }
    Ok((g, issues))
}

fn build_log(g: &Gathered, options: LogOptions) -> retention_core::Result<EventLog> {
    let strs: Vec<&str>;
    let customer = if g.str_ids.is_empty() {
        CustomerColumn::Int(&g.int_ids)
    } else {
        strs = g
            .str_ids
            .iter()
            .flat_map(|a| a.as_string::<i32>().iter().map(|s| s.unwrap_or("")))
            .collect();
        CustomerColumn::Str(&strs)
    };
    let detail: Option<Vec<Option<&str>>> = g
        .detail
        .as_ref()
        .map(|v| v.iter().flat_map(|a| a.as_string::<i32>().iter()).collect());
    let columns = EventColumns {
        customer,
        timestamp: &g.timestamp,
        kind: g.kind.as_deref(),
        amount: g.amount.as_deref(),
        items: g.items.as_deref(),
        score: g.score.as_deref(),
        detail: detail.as_deref(),
        resolved: g.resolved.as_deref(),
    };
    EventLog::from_columns(&columns, options)
}

#[pymethods]
impl PyEventLog {
    /// Builds a log from any Arrow table-like object (PyCapsule interface).
    #[staticmethod]
    #[pyo3(signature = (data, *, customer_id=None, timestamp=None, event=None, amount=None,
        items=None, score=None, detail=None, resolved=None, duplicates="keep"))]
    #[allow(clippy::too_many_arguments)]
    fn from_arrow(
        py: Python<'_>,
        data: AnyRecordBatch,
        customer_id: Option<String>,
        timestamp: Option<String>,
        event: Option<String>,
        amount: Option<String>,
        items: Option<String>,
        score: Option<String>,
        detail: Option<String>,
        resolved: Option<String>,
        duplicates: &str,
    ) -> PyResult<Self> {
        let options = LogOptions {
            duplicates: duplicate_policy(duplicates)?,
        };
        let table = data.into_table()?;
        let (batches, schema) = table.into_inner();
        let mk = |f: &'static str, n: Option<String>| {
            let explicit = n.is_some();
            (f, n, explicit)
        };
        let cols = ColumnNames {
            names: [
                mk("customer_id", customer_id),
                mk("timestamp", timestamp),
                mk("event", event),
                mk("amount", amount),
                mk("items", items),
                mk("score", score),
                mk("detail", detail),
                mk("resolved", resolved),
            ],
        };
        let log = py.detach(|| -> PyResult<EventLog> {
            let (g, mut issues) = gather(&schema, &batches, &cols)?;
            if !issues.is_empty() {
                issues.sort_by_key(|i| i.row);
                return Err(to_py(Error::InvalidRows { issues }));
            }
            build_log(&g, options).py()
        })?;
        Ok(PyEventLog {
            inner: Arc::new(log),
        })
    }

    /// Parses CSV text (see `retention_core::csv_input` for the format).
    #[staticmethod]
    #[pyo3(signature = (text, *, duplicates="keep"))]
    fn from_csv_text(py: Python<'_>, text: &str, duplicates: &str) -> PyResult<Self> {
        let options = LogOptions {
            duplicates: duplicate_policy(duplicates)?,
        };
        let log = py.detach(|| parse_csv(text, options)).py()?;
        Ok(PyEventLog {
            inner: Arc::new(log),
        })
    }

    /// Number of events.
    fn __len__(&self) -> usize {
        self.inner.len()
    }

    /// Number of distinct customers.
    #[getter]
    fn n_customers(&self) -> usize {
        self.inner.customers().len()
    }

    /// Exact duplicate rows dropped (with `duplicates="drop"`).
    #[getter]
    fn duplicates_dropped(&self) -> usize {
        self.inner.duplicates_dropped()
    }

    /// First and last instant (µs), or `None` for an empty log.
    #[getter]
    fn time_range(&self) -> Option<(i64, i64)> {
        self.inner.time_range()
    }

    /// Raises `InvalidRowsError` naming events after `as_of` (µs).
    fn check_as_of(&self, as_of: i64) -> PyResult<()> {
        self.inner.check_as_of(as_of).py()
    }

    /// The events up to and including `as_of` (µs).
    fn up_to(&self, py: Python<'_>, as_of: i64) -> Self {
        let log = py.detach(|| self.inner.up_to(as_of));
        PyEventLog {
            inner: Arc::new(log),
        }
    }

    /// The log as CSV text.
    fn to_csv_text(&self, py: Python<'_>) -> String {
        py.detach(|| retention_core::csv_input::to_csv_string(&self.inner))
    }

    fn __repr__(&self) -> String {
        format!(
            "EventLog({} events, {} customers)",
            self.inner.len(),
            self.inner.customers().len()
        )
    }
}

/// The sample shop's events as an Arrow table with the CSV columns.
#[pyfunction]
#[pyo3(signature = (*, seed=42, customers=2000, months=24, start=None, as_of=None))]
pub fn sample_events(
    py: Python<'_>,
    seed: u64,
    customers: usize,
    months: u32,
    start: Option<i64>,
    as_of: Option<i64>,
) -> PyResult<PyTable> {
    let mut options = SampleOptions {
        seed,
        customers,
        months,
        ..SampleOptions::default()
    };
    if let Some(s) = start {
        options.start = s;
    }
    if let Some(a) = as_of {
        options.as_of = a;
    }
    let cols = py.detach(|| generate_columns(&options)).py()?;
    let nan_null = |v: &[f64]| v.iter().map(|x| (!x.is_nan()).then_some(*x)).collect();
    let kinds: Vec<&str> = cols.kind.iter().map(|k| k.as_str()).collect();
    TableBuilder::new()
        .i64("customer_id", cols.customer.clone())
        .time(
            "timestamp",
            cols.timestamp.iter().map(|t| Some(*t)).collect(),
        )
        .str("event", &kinds)
        .opt_f64("amount", nan_null(&cols.amount))
        .opt_i64(
            "items",
            cols.items.iter().map(|i| i.map(i64::from)).collect(),
        )
        .opt_f64("score", nan_null(&cols.score))
        .opt_str(
            "detail",
            cols.detail
                .iter()
                .map(|d| d.as_ref().map(|s| s.to_string()))
                .collect(),
        )
        .col(
            "resolved",
            Arc::new(arrow_array::BooleanArray::from(cols.resolved.clone())),
        )
        .finish()
}

/// Per-customer summaries and order days, mergeable across partitions.
#[pyclass(module = "retention._retention", name = "Summaries", frozen)]
pub struct PySummaries {
    pub summaries: Summaries,
    pub order_days: OrderDays,
}

#[pymethods]
impl PySummaries {
    /// One pass over a log.
    #[staticmethod]
    fn from_log(py: Python<'_>, log: &PyEventLog) -> Self {
        let log = log.inner.clone();
        py.detach(|| PySummaries {
            summaries: Summaries::from_log(&log),
            order_days: OrderDays::from_log(&log),
        })
    }

    /// The summaries of the union of both inputs' events.
    fn merge(&self, py: Python<'_>, other: &PySummaries) -> Self {
        py.detach(|| PySummaries {
            summaries: self.summaries.merge(&other.summaries),
            order_days: self.order_days.merge(&other.order_days),
        })
    }

    fn __len__(&self) -> usize {
        self.summaries.len()
    }

    fn __eq__(&self, other: &PySummaries) -> bool {
        self.summaries == other.summaries && self.order_days == other.order_days
    }

    /// One row per customer.
    fn to_arrow(&self, py: Python<'_>) -> PyResult<PyTable> {
        py.detach(|| {
            let s = self.summaries.summaries();
            let f = |g: &dyn Fn(&retention_core::summary::CustomerSummary) -> f64| {
                s.iter().map(g).collect::<Vec<f64>>()
            };
            TableBuilder::new()
                .ids("customer_id", self.summaries.ids())
                .time("first_order", s.iter().map(|c| c.first_order()).collect())
                .time("last_order", s.iter().map(|c| c.last_order()).collect())
                .i64("orders", s.iter().map(|c| i64::from(c.orders())).collect())
                .i64(
                    "refund_count",
                    s.iter().map(|c| i64::from(c.refund_count())).collect(),
                )
                .f64("revenue", f(&|c| c.revenue()))
                .f64("refunds", f(&|c| c.refunds()))
                .f64("net_revenue", f(&|c| c.net_revenue()))
                .time("first_seen", s.iter().map(|c| c.first_seen()).collect())
                .time("last_seen", s.iter().map(|c| c.last_seen()).collect())
                .opt_f64(
                    "lifespan_days",
                    s.iter().map(|c| c.lifespan_days()).collect(),
                )
                .finish()
        })
    }

    fn __repr__(&self) -> String {
        format!("Summaries({} customers)", self.summaries.len())
    }
}
