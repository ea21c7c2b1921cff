//! Cohort retention with breakdowns, brackets and rolling windows
//! (`retention_core::cohorts::retention`), and the customer / event
//! properties it breaks down by.

use std::sync::Arc;

use arrow_array::RecordBatch;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};
use pyo3_arrow::input::AnyRecordBatch;
use pyo3_arrow::PyTable;
use retention_core::cohorts::retention::{cohort_retention as core_retention, RetentionOptions};
use retention_core::events::EventLog;
use retention_core::time::{from_micros, Period};
use retention_core::Error;

use crate::api::calendar;
use crate::arrow::to_table;
use crate::cells;
use crate::dicts::{option_dict, to_list};
use crate::errors::{to_py, Coded, CoreResult};
use crate::log::{one_batch, PyEventLog};

/// The one record batch of an Arrow table-like object.
fn batch_of(data: AnyRecordBatch) -> PyResult<RecordBatch> {
    let table = data.into_table()?;
    let (batches, schema) = table.into_inner();
    one_batch(&schema, &batches)
}

/// A copy of `log` with every column of `data` as an event property (one
/// row per input row of the log, in input order).
#[pyfunction]
pub fn with_event_properties(
    py: Python<'_>,
    log: &PyEventLog,
    data: AnyRecordBatch,
) -> PyResult<PyEventLog> {
    let batch = batch_of(data)?;
    let schema = batch.schema();
    let mut out: EventLog = (*log.inner).clone();
    for (i, field) in schema.fields().iter().enumerate() {
        let owned = cells::details(field.name(), batch.column(i))?;
        let views = owned.views();
        let cells = owned.cells(&views);
        py.detach(|| out.set_event_property_cells(field.name(), &cells))
            .py()?;
    }
    Ok(PyEventLog {
        inner: Arc::new(out),
    })
}

/// A copy of `log` with every column of `data` but the id column
/// (`customer_id`, by default named `"customer_id"` as in the log's input)
/// as a customer property.
#[pyfunction]
#[pyo3(signature = (log, data, customer_id=None))]
pub fn with_customer_properties(
    py: Python<'_>,
    log: &PyEventLog,
    data: AnyRecordBatch,
    customer_id: Option<String>,
) -> PyResult<PyEventLog> {
    let customer_id = customer_id.unwrap_or_else(|| "customer_id".to_owned());
    let batch = batch_of(data)?;
    let schema = batch.schema();
    let id_pos = schema.index_of(&customer_id).map_err(|_| {
        to_py(Error::InvalidParameter {
            name: "customer_id",
            value: format!("{customer_id:?}"),
            reason: "no such column in the input",
        })
    })?;
    let ids = cells::customer_ids(&customer_id, batch.column(id_pos))?;
    let id_views = ids.views();
    let id_cells = ids.cells(&id_views);
    let mut out: EventLog = (*log.inner).clone();
    for (i, field) in schema.fields().iter().enumerate() {
        if i == id_pos {
            continue;
        }
        let owned = cells::details(field.name(), batch.column(i))?;
        let views = owned.views();
        let cells = owned.cells(&views);
        py.detach(|| out.set_customer_property_cells(field.name(), &id_cells, &cells))
            .py()?;
    }
    Ok(PyEventLog {
        inner: Arc::new(out),
    })
}

/// Cohort retention: the cells and mean rows as tables, the columns and the
/// customers without a start event.
#[pyfunction]
#[pyo3(signature = (log, as_of, *, period=None, options=None))]
pub fn cohort_retention<'py>(
    py: Python<'py>,
    log: &PyEventLog,
    as_of: i64,
    period: Option<Coded<Period>>,
    options: Option<&Bound<'py, PyDict>>,
) -> PyResult<(PyTable, PyTable, Bound<'py, PyList>, u64)> {
    let mut o: RetentionOptions = option_dict("options", options)?;
    o.calendar = calendar(period);
    let r = py
        .detach(|| core_retention(&log.inner, from_micros(as_of), &o))
        .py()?;
    Ok((
        to_table(&r.cells[..])?,
        to_table(&r.means[..])?,
        to_list(py, &r.columns)?,
        r.unstarted,
    ))
}
