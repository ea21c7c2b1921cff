//! `EventLog` and `Summaries`: ingestion from Arrow, CSV and the sample shop.

use std::borrow::Cow;
use std::str::FromStr;
use std::sync::Arc;

use arrow_array::cast::AsArray;
use arrow_array::{Array, ArrayRef, RecordBatch};
use arrow_schema::{DataType, SchemaRef};
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
    f64_column, f64_with_nan, ids_from_array, is_text, micros_column, strict, to_f64, to_table,
    IdColumn,
};
use crate::errors::{coded, column_type, to_py, Coded, CoreResult};

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

/// The input's columns, from one record batch: borrowed where the Arrow
/// layout already matches the core's, converted otherwise.
struct Gathered<'a> {
    int_ids: Cow<'a, [i64]>,
    str_ids: Option<ArrayRef>,
    timestamp: Cow<'a, [Micros]>,
    kind: Option<Vec<EventType>>,
    amount: Option<Cow<'a, [f64]>>,
    items: Option<Vec<Option<u32>>>,
    score: Option<Vec<f64>>,
    detail: Option<ArrayRef>,
    resolved: Option<Vec<Option<bool>>>,
}

/// An event-type name: the canonical spellings by a direct match, anything
/// else (case, surrounding blanks) through `EventType::from_str`. `Ok(None)`
/// is a blank name (an order); `Err(())` an unknown one.
fn event_type(name: &str) -> Result<Option<EventType>, ()> {
    Ok(Some(match name {
        "order" => EventType::Order,
        "session" => EventType::Session,
        "refund" => EventType::Refund,
        "email_open" => EventType::EmailOpen,
        "email_click" => EventType::EmailClick,
        "signup" => EventType::Signup,
        _ if name.trim().is_empty() => return Ok(None),
        _ => return EventType::from_str(name).map(Some).map_err(|_| ()),
    }))
}

/// Event types from a text or dictionary column; null or blank means order.
/// Dictionary values are parsed once each; long columns are parsed in parallel
/// slices.
fn event_types(
    column: &str,
    arr: &ArrayRef,
    issues: &mut Vec<RowIssue>,
) -> PyResult<Vec<EventType>> {
    let dt = arr.data_type();
    if !(is_text(dt) || matches!(dt, DataType::Dictionary(..) | DataType::Null)) {
        return Err(column_type("event", column, dt, "event names as text"));
    }
    let n = arr.len();
    let threads = if n < 1 << 17 { 1 } else { all_threads().min(8) };
    if threads == 1 {
        return event_types_from(arr, 0, issues);
    }
    let parts: Vec<(usize, ArrayRef)> = (0..threads)
        .map(|t| {
            let (a, b) = (n * t / threads, n * (t + 1) / threads);
            (a, arr.slice(a, b - a))
        })
        .collect();
    let results: Vec<PyResult<(Vec<EventType>, Vec<RowIssue>)>> = std::thread::scope(|s| {
        let handles: Vec<_> = parts
            .iter()
            .map(|(offset, part)| {
                s.spawn(move || {
                    let mut found = Vec::new();
                    event_types_from(part, *offset, &mut found).map(|v| (v, found))
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
            .collect()
    });
    let mut out = Vec::with_capacity(n);
    for r in results {
        let (types, found) = r?;
        out.extend(types);
        issues.extend(found);
    }
    Ok(out)
}

/// Event types already seen in a column, by a key that names a string
/// exactly (an inline string view, a masked load from an offsets buffer, a
/// dictionary index): a column holds a handful of distinct names, so most
/// rows cost a key and a short scan instead of a parse.
#[derive(Default)]
struct NameCache {
    entries: Vec<(u128, EventType)>,
}

impl NameCache {
    fn get(&self, key: Option<u128>) -> Option<EventType> {
        let key = key?;
        self.entries
            .iter()
            .find(|(k, _)| *k == key)
            .map(|&(_, t)| t)
    }

    /// Parses `name` (see [`event_type`]), remembering it under `key` unless
    /// it is unknown.
    fn parse(&mut self, key: Option<u128>, name: &str) -> Result<Option<EventType>, ()> {
        let parsed = event_type(name)?;
        if let Some(key) = key.filter(|_| self.entries.len() < 32) {
            self.entries.push((key, parsed.unwrap_or(EventType::Order)));
        }
        Ok(parsed)
    }
}

/// The key of row `i` of an offsets-based string column for [`NameCache`]:
/// names of up to 15 bytes, read with one 16-byte load from the value buffer,
/// masked to the name's length, with the length in the top byte.
fn offset_key<O: arrow_array::OffsetSizeTrait>(
    a: &arrow_array::GenericStringArray<O>,
    i: usize,
) -> Option<u128> {
    let offsets = a.value_offsets();
    let (start, end) = (offsets[i].as_usize(), offsets[i + 1].as_usize());
    let len = end - start;
    let chunk = a
        .value_data()
        .get(start..start + 16)
        .filter(|_| len <= 15)?;
    let chunk = <[u8; 16]>::try_from(chunk).ok()?;
    let mask = (1u128 << (8 * len)) - 1;
    Some((u128::from_le_bytes(chunk) & mask) | (len as u128) << 120)
}

/// [`event_types`] on one slice; `offset` is its first row's number.
fn event_types_from(
    arr: &ArrayRef,
    offset: usize,
    issues: &mut Vec<RowIssue>,
) -> PyResult<Vec<EventType>> {
    let mut cache = NameCache::default();
    // Row `i` with its cache key (if any) and name (`None` when null).
    let mut resolve = |i: usize, key: Option<u128>, name: Option<&str>| {
        if let Some(t) = cache.get(key) {
            return t;
        }
        match name.map(|n| cache.parse(key, n)) {
            None | Some(Ok(None)) => EventType::Order,
            Some(Ok(Some(t))) => t,
            Some(Err(())) => {
                let v = name.unwrap_or_default();
                issues.push(RowIssue::new(
                    offset + i,
                    "event",
                    v,
                    IssueKind::UnknownKind,
                ));
                EventType::Order
            }
        }
    };
    let n = arr.len();
    let out = match arr.data_type() {
        DataType::Utf8 => {
            let a = arr.as_string::<i32>();
            (0..n)
                .map(|i| match a.is_valid(i) {
                    true => resolve(i, offset_key(a, i), Some(a.value(i))),
                    false => resolve(i, None, None),
                })
                .collect()
        }
        DataType::LargeUtf8 => {
            let a = arr.as_string::<i64>();
            (0..n)
                .map(|i| match a.is_valid(i) {
                    true => resolve(i, offset_key(a, i), Some(a.value(i))),
                    false => resolve(i, None, None),
                })
                .collect()
        }
        DataType::Utf8View => {
            // Names of up to 12 bytes sit inside their 16-byte view, so the
            // view itself names them.
            let a = arr.as_string_view();
            a.views()
                .iter()
                .enumerate()
                .map(|(i, &view)| match a.is_valid(i) {
                    true => resolve(i, (view as u32 <= 12).then_some(view), Some(a.value(i))),
                    false => resolve(i, None, None),
                })
                .collect()
        }
        DataType::Dictionary(..) => {
            let keyed = DataType::Dictionary(Box::new(DataType::Int64), Box::new(DataType::Utf8));
            let dict = arrow_cast::cast_with_options(arr, &keyed, &strict())
                .map_err(|e| PyTypeError::new_err(e.to_string()))?;
            let dict = dict.as_dictionary::<arrow_array::types::Int64Type>();
            let names = dict.values().as_string::<i32>();
            dict.keys()
                .iter()
                .enumerate()
                .map(|(i, key)| {
                    let k = key.map(|k| k as usize).filter(|&k| names.is_valid(k));
                    resolve(i, k.map(|k| k as u128), k.map(|k| names.value(k)))
                })
                .collect()
        }
        _ => (0..n).map(|i| resolve(i, None, None)).collect(),
    };
    Ok(out)
}

/// Validates and converts one record batch's columns (`pos`: column index per
/// field, resolved from the names).
fn gather<'a>(
    batch: &'a RecordBatch,
    pos: &[Option<usize>; 8],
    colname: &dyn Fn(usize) -> String,
) -> PyResult<(Gathered<'a>, Vec<RowIssue>)> {
    let mut issues = Vec::new();
    let n = batch.num_rows();
    let c = |k: usize| pos[k].map(|i| batch.column(i));
    let required = |k: usize| c(k).ok_or_else(|| PyTypeError::new_err("missing required column"));
    let (int_ids, str_ids) =
        match ids_from_array("customer_id", &colname(0), required(0)?, 0, &mut issues)? {
            IdColumn::Int(v) => (v, None),
            IdColumn::Str(a) => (Cow::Borrowed(&[][..]), Some(a)),
        };
    let timestamp = micros_column("timestamp", &colname(1), required(1)?, 0, &mut issues)?;
    let kind = match c(2) {
        Some(a) => Some(event_types(&colname(2), a, &mut issues)?),
        None => None,
    };
    let amount = match c(3) {
        Some(a) => Some(f64_column("amount", &colname(3), a)?),
        None => None,
    };
    let mut g = Gathered {
        int_ids,
        str_ids,
        timestamp,
        kind,
        amount,
        items: None,
        score: None,
        detail: None,
        resolved: None,
    };
    if let Some(a) = c(4) {
        let a = to_f64("items", &colname(4), a)?;
        let out = g.items.insert(Vec::with_capacity(n));
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
                issues.push(RowIssue::new(i, "items", x, kind));
                out.push(None);
            } else {
                out.push(Some(x as u32));
            }
        }
    }
    if let Some(a) = c(5) {
        let a = to_f64("score", &colname(5), a)?;
        g.score = Some(f64_with_nan(&a));
    }
    if let Some(a) = c(6) {
        let dt = a.data_type();
        if !(dt.is_integer()
            || is_text(dt)
            || matches!(dt, DataType::Dictionary(..) | DataType::Null))
        {
            return Err(column_type("detail", &colname(6), dt, "text"));
        }
        let a = arrow_cast::cast_with_options(a, &DataType::Utf8, &strict())
            .map_err(|e| PyTypeError::new_err(e.to_string()))?;
        g.detail = Some(a);
    }
    if let Some(a) = c(7) {
        let dt = a.data_type();
        let out = g.resolved.insert(Vec::with_capacity(n));
        match dt {
            DataType::Boolean => out.extend(a.as_boolean().iter()),
            DataType::Null => out.extend(std::iter::repeat_n(None, n)),
            _ if dt.is_numeric() => {
                let f = to_f64("resolved", &colname(7), a)?;
                for (i, x) in f64_with_nan(&f).into_iter().enumerate() {
                    if x.is_nan() {
                        out.push(None);
                    } else if x == 0.0 || x == 1.0 {
                        out.push(Some(x == 1.0));
                    } else {
                        let kind = IssueKind::OutOfRange { min: 0.0, max: 1.0 };
                        issues.push(RowIssue::new(i, "resolved", x, kind));
                        out.push(None);
                    }
                }
            }
            _ => return Err(column_type("resolved", &colname(7), dt, "booleans")),
        }
    }
    Ok((g, issues))
}

/// The log of the gathered columns; `issues` are the cells `gather` could
/// not read (the core validates the other rows and reports all together).
fn build_log(
    g: &Gathered<'_>,
    options: LogOptions,
    issues: Vec<RowIssue>,
) -> retention_core::Result<EventLog> {
    let strs: Vec<&str>;
    let customer = match &g.str_ids {
        None => CustomerColumn::Int(&g.int_ids),
        Some(a) => {
            strs = a
                .as_string::<i32>()
                .iter()
                .map(|s| s.unwrap_or(""))
                .collect();
            CustomerColumn::Str(&strs)
        }
    };
    let detail: Option<Vec<Option<&str>>> = g
        .detail
        .as_ref()
        .map(|a| a.as_string::<i32>().iter().collect());
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
    EventLog::from_columns_after(&columns, options, issues)
}

/// The batches as one (columns concatenated when there are several).
fn one_batch(schema: &SchemaRef, batches: &[RecordBatch]) -> PyResult<RecordBatch> {
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
            let (g, issues) = gather(&batch, &pos, &colname)?;
            build_log(&g, options, issues).py()
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

    fn __repr__(&self) -> String {
        format!("Summaries({} customers)", self.summaries.len())
    }
}
