//! `EventLog` and `Summaries`: ingestion from Arrow, CSV and the sample shop.

use std::sync::Arc;

use arrow_array::RecordBatch;
use arrow_schema::SchemaRef;
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3_arrow::input::AnyRecordBatch;
use pyo3_arrow::PyTable;
use retention_core::csv_input::parse_csv;
use retention_core::events::{DuplicatePolicy, EventLog, LogOptions, RawEvents};
use retention_core::sample::{generate_columns, SampleOptions};
use retention_core::summary::{OrderDays, Summaries, SummaryState};
use retention_core::Error;

use crate::arrow::to_table;
use crate::cells::{self, Owned};
use crate::errors::{coded, to_py, Coded, CoreResult};

/// Threads for grouping rows: every core the process may use.
fn all_threads() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
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

/// The log of one record batch's columns (`pos`: column index per field,
/// resolved from the names): each column converted into the core's cell
/// layout, every cell then read and every row validated by the core.
fn build_log(
    batch: &RecordBatch,
    pos: &[Option<usize>; 8],
    colname: &dyn Fn(usize) -> String,
    options: LogOptions,
) -> PyResult<retention_core::Result<EventLog>> {
    let c = |k: usize| pos[k].map(|i| batch.column(i));
    let required = |k: usize| c(k).ok_or_else(|| PyTypeError::new_err("missing required column"));
    let customer = cells::customer_ids(&colname(0), required(0)?)?;
    let (timestamp, unit) = cells::instants(&colname(1), required(1)?)?;
    let threads = options.threads;
    let event = c(2)
        .map(|a| cells::event_names(&colname(2), a, threads))
        .transpose()?;
    let amount = c(3)
        .map(|a| cells::numbers("amount", &colname(3), a))
        .transpose()?;
    let items = c(4)
        .map(|a| cells::numbers("items", &colname(4), a))
        .transpose()?;
    let score = c(5)
        .map(|a| cells::numbers("score", &colname(5), a))
        .transpose()?;
    let detail = c(6).map(|a| cells::details(&colname(6), a)).transpose()?;
    let resolved = c(7).map(|a| cells::flags(&colname(7), a)).transpose()?;
    let owned = [
        Some(&customer),
        Some(&timestamp),
        event.as_ref(),
        amount.as_ref(),
        items.as_ref(),
        score.as_ref(),
        detail.as_ref(),
        resolved.as_ref(),
    ];
    let views = owned.map(|o| o.map(Owned::views));
    let slots = std::array::from_fn(|k| owned[k].zip(views[k].as_ref()).map(|(o, v)| o.cells(v)));
    let raw = match RawEvents::from_slots(slots, unit) {
        Ok(raw) => raw,
        Err(e) => return Ok(Err(e)),
    };
    Ok(EventLog::from_cells(&raw, options))
}

/// The batches as one (columns concatenated when there are several).
pub(crate) fn one_batch(schema: &SchemaRef, batches: &[RecordBatch]) -> PyResult<RecordBatch> {
    match batches {
        [one] => Ok(one.clone()),
        _ => arrow_select::concat::concat_batches(schema, batches)
            .map_err(|e| PyTypeError::new_err(e.to_string())),
    }
}

#[pymethods]
impl PyEventLog {
    /// Builds a log from any Arrow table-like object (PyCapsule interface).
    #[staticmethod]
    #[pyo3(signature = (data, *, customer_id=None, timestamp=None, event=None, amount=None,
        items=None, score=None, detail=None, resolved=None, duplicates=None))]
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
        duplicates: Option<Coded<DuplicatePolicy>>,
    ) -> PyResult<Self> {
        let options = LogOptions {
            duplicates: coded(duplicates),
            threads: all_threads(),
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
        // Resolve names to positions once.
        let mut pos: [Option<usize>; 8] = [None; 8];
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
        let colname = |k: usize| {
            cols.names[k]
                .1
                .clone()
                .unwrap_or_else(|| cols.names[k].0.to_owned())
        };
        let log = py.detach(|| -> PyResult<EventLog> {
            let batch = one_batch(&schema, &batches)?;
            build_log(&batch, &pos, &colname, options)?.py()
        })?;
        Ok(PyEventLog {
            inner: Arc::new(log),
        })
    }

    /// Parses CSV text (see `retention_core::csv_input` for the format).
    #[staticmethod]
    #[pyo3(signature = (text, *, duplicates=None))]
    fn from_csv_text(
        py: Python<'_>,
        text: &str,
        duplicates: Option<Coded<DuplicatePolicy>>,
    ) -> PyResult<Self> {
        let options = LogOptions {
            duplicates: coded(duplicates),
            threads: all_threads(),
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
#[pyo3(signature = (*, seed=None, customers=None, months=None, start=None, as_of=None))]
pub fn sample_events(
    py: Python<'_>,
    seed: Option<u64>,
    customers: Option<usize>,
    months: Option<u32>,
    start: Option<i64>,
    as_of: Option<i64>,
) -> PyResult<PyTable> {
    let d = SampleOptions::default();
    let options = SampleOptions {
        seed: seed.unwrap_or(d.seed),
        customers: customers.unwrap_or(d.customers),
        months: months.unwrap_or(d.months),
        start: start.unwrap_or(d.start),
        as_of: as_of.unwrap_or(d.as_of),
        ..d
    };
    let cols = py.detach(|| generate_columns(&options)).py()?;
    to_table(&cols)
}

/// An empty summary state table: its schema (`text_ids`: customer ids as text).
#[pyfunction]
#[pyo3(signature = (*, text_ids=false))]
pub fn summary_state_schema(text_ids: bool) -> PyResult<PyTable> {
    let schema = crate::state::schema(text_ids);
    PyTable::try_new(vec![RecordBatch::new_empty(schema.clone())], schema)
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
        py.detach(|| to_table(&self.summaries))
    }

    /// The full mergeable state, one row per customer (`crate::state`).
    #[pyo3(signature = (*, text_ids=false))]
    fn to_state(&self, py: Python<'_>, text_ids: bool) -> PyResult<PyTable> {
        py.detach(|| {
            let state = SummaryState::from_summaries(&self.summaries, &self.order_days);
            crate::state::to_table(&state, text_ids)
        })
    }

    /// Summaries from a state table (rows of one customer are merged).
    #[staticmethod]
    fn from_state(py: Python<'_>, data: AnyRecordBatch) -> PyResult<Self> {
        let (batches, schema) = data.into_table()?.into_inner();
        py.detach(|| {
            let batch = one_batch(&schema, &batches)?;
            let state = crate::state::from_batch(&batch)?.py()?;
            let (summaries, order_days) = state.into_summaries().py()?;
            Ok(PySummaries {
                summaries,
                order_days,
            })
        })
    }

    fn __repr__(&self) -> String {
        format!("Summaries({} customers)", self.summaries.len())
    }
}
