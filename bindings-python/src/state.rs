//! The summary state (`retention_core::summary::SummaryState`) as Arrow.
//!
//! The schema is generated from the core's field list (`state_fields`): each
//! `StateType` has one Arrow type, and each field carries its merge rule in
//! the field metadata (`merge`, and `partner` for the two columns of a latest
//! survey answer), so that engines merging rows with their own aggregates
//! (Spark) read the rules from the schema. Money is `decimal128(38, 6)`:
//! the core's exact fixed-point value.

use std::collections::HashMap;
use std::sync::Arc;

use arrow_array::builder::{
    Date32Builder, Decimal128Builder, Int64Builder, ListBuilder, StructBuilder,
};
use arrow_array::cast::AsArray;
use arrow_array::types::{Date32Type, Decimal128Type, Float64Type, Int64Type};
use arrow_array::{
    Array, ArrayRef, Decimal128Array, Float64Array, Int64Array, RecordBatch, StringArray,
    TimestampMicrosecondArray,
};
use arrow_cast::cast_with_options;
use arrow_schema::{DataType, Field, Fields, Schema, SchemaRef, TimeUnit};
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3_arrow::PyTable;
use retention_core::events::CustomerId;
use retention_core::summary::{
    state_fields, DayTotal, Money, StateColumn, StateField, StateType, SummaryState,
};
use retention_core::time::Micros;
use retention_core::{Error, IssueKind, RowIssue};

use crate::arrow::strict;
use crate::errors::column_type;

/// Precision and scale of money columns.
const MONEY: DataType = DataType::Decimal128(38, 6);

fn utc() -> DataType {
    DataType::Timestamp(TimeUnit::Microsecond, Some("UTC".into()))
}

/// The fields of one order day (nullable in the schema, as Spark's
/// aggregates declare them; a null is reported as missing when read).
fn day_fields() -> Fields {
    Fields::from(vec![
        Field::new("day", DataType::Date32, true),
        Field::new("orders", DataType::Int64, true),
        Field::new("revenue", MONEY, true),
    ])
}

fn day_item() -> Field {
    Field::new("element", DataType::Struct(day_fields()), true)
}

/// The Arrow type of a state type (`text_ids`: customer ids as text).
fn arrow_type(ty: StateType, text_ids: bool) -> DataType {
    match ty {
        StateType::CustomerId if text_ids => DataType::Utf8,
        StateType::CustomerId => DataType::Int64,
        StateType::Instant => utc(),
        StateType::Count => DataType::Int64,
        StateType::Money => MONEY,
        StateType::Score => DataType::Float64,
        StateType::OrderDays => DataType::List(Arc::new(day_item())),
    }
}

fn arrow_field(f: &StateField, text_ids: bool) -> Field {
    let mut meta = HashMap::from([("merge".to_owned(), f.merge.as_str().to_owned())]);
    if let Some(p) = f.partner {
        meta.insert("partner".to_owned(), p.to_owned());
    }
    let nullable = matches!(f.ty, StateType::Instant | StateType::Score);
    Field::new(f.name, arrow_type(f.ty, text_ids), nullable).with_metadata(meta)
}

/// The state's Arrow schema.
pub fn schema(text_ids: bool) -> SchemaRef {
    let fields: Vec<Field> = state_fields()
        .iter()
        .map(|f| arrow_field(f, text_ids))
        .collect();
    Arc::new(Schema::new(fields))
}

fn err(e: impl std::fmt::Display) -> PyErr {
    PyTypeError::new_err(e.to_string())
}

fn ids_array(ids: &[CustomerId], text: bool) -> ArrayRef {
    let ints: Option<Vec<i64>> = ids
        .iter()
        .map(|c| match c {
            CustomerId::Int(i) if !text => Some(*i),
            _ => None,
        })
        .collect();
    match ints {
        Some(v) => Arc::new(Int64Array::from(v)),
        None => Arc::new(StringArray::from_iter_values(
            ids.iter().map(|c| c.to_string()),
        )),
    }
}

fn money_array(v: impl IntoIterator<Item = Money>) -> PyResult<Decimal128Array> {
    Decimal128Array::from_iter_values(v.into_iter().map(|m| m.0))
        .with_precision_and_scale(38, 6)
        .map_err(err)
}

fn days_array(days: &[Vec<DayTotal>]) -> PyResult<ArrayRef> {
    let inner = StructBuilder::new(
        day_fields(),
        vec![
            Box::new(Date32Builder::new()),
            Box::new(Int64Builder::new()),
            Box::new(Decimal128Builder::new().with_data_type(MONEY)),
        ],
    );
    let mut b = ListBuilder::new(inner).with_field(Arc::new(day_item()));
    for set in days {
        let s = b.values();
        for d in set {
            let day = i32::try_from(d.day).map_err(err)?;
            s.field_builder::<Date32Builder>(0)
                .ok_or_else(|| err("day builder"))?
                .append_value(day);
            s.field_builder::<Int64Builder>(1)
                .ok_or_else(|| err("orders builder"))?
                .append_value(i64::from(d.orders));
            s.field_builder::<Decimal128Builder>(2)
                .ok_or_else(|| err("revenue builder"))?
                .append_value(d.revenue.0);
            s.append(true);
        }
        b.append(true);
    }
    Ok(Arc::new(b.finish()))
}

/// The state as one Arrow record batch of [`schema`].
/// Ids are text when `text_ids` is set or when any id is text.
pub fn to_batch(state: &SummaryState, text_ids: bool) -> PyResult<RecordBatch> {
    let text_ids = text_ids
        || matches!(state.columns.first(), Some(StateColumn::Ids(ids))
            if ids.iter().any(|c| matches!(c, CustomerId::Str(_))));
    let schema = schema(text_ids);
    let mut arrays: Vec<ArrayRef> = Vec::with_capacity(state.columns.len());
    for c in &state.columns {
        arrays.push(match c {
            StateColumn::Ids(v) => ids_array(v, text_ids),
            StateColumn::Instants(v) => {
                Arc::new(TimestampMicrosecondArray::from(v.clone()).with_timezone("UTC"))
            }
            StateColumn::Counts(v) => Arc::new(Int64Array::from_iter_values(
                v.iter().map(|&x| i64::try_from(x).unwrap_or(i64::MAX)),
            )),
            StateColumn::Money(v) => Arc::new(money_array(v.iter().copied())?),
            StateColumn::Scores(v) => Arc::new(Float64Array::from(v.clone())),
            StateColumn::OrderDays(v) => days_array(v)?,
        });
    }
    RecordBatch::try_new(schema, arrays).map_err(err)
}

/// The state as a Python Arrow table.
pub fn to_table(state: &SummaryState, text_ids: bool) -> PyResult<PyTable> {
    let batch = to_batch(state, text_ids)?;
    let schema = batch.schema();
    PyTable::try_new(vec![batch], schema)
}

/// Reads one column into the core's layout, collecting row issues.
struct Reader<'a> {
    issues: &'a mut Vec<RowIssue>,
}

impl Reader<'_> {
    fn cast(
        &self,
        f: &StateField,
        arr: &ArrayRef,
        to: &DataType,
        want: &str,
    ) -> PyResult<ArrayRef> {
        cast_with_options(arr, to, &strict())
            .map_err(|_| column_type(f.name, f.name, arr.data_type(), want))
    }

    fn missing(&mut self, f: &StateField, row: usize) {
        self.issues
            .push(RowIssue::new(row, f.name, "", IssueKind::Missing));
    }

    fn instants(&mut self, f: &StateField, arr: &ArrayRef) -> PyResult<Vec<Option<Micros>>> {
        let DataType::Timestamp(_, tz) = arr.data_type() else {
            return Err(column_type(
                f.name,
                f.name,
                arr.data_type(),
                "UTC timestamps",
            ));
        };
        // Same zone: the stored values stay the UTC instants, only the unit changes.
        let to = DataType::Timestamp(TimeUnit::Microsecond, tz.clone());
        let a = self.cast(f, arr, &to, "UTC timestamps")?;
        let a = a.as_primitive::<arrow_array::types::TimestampMicrosecondType>();
        Ok(a.iter().collect())
    }

    fn counts(&mut self, f: &StateField, arr: &ArrayRef) -> PyResult<Vec<u64>> {
        let a = self.cast(f, arr, &DataType::Int64, "whole numbers")?;
        let a = a.as_primitive::<Int64Type>();
        let mut out = Vec::with_capacity(a.len());
        for (row, v) in a.iter().enumerate() {
            match v {
                Some(v) if v >= 0 => out.push(v as u64),
                Some(v) => {
                    self.issues
                        .push(RowIssue::new(row, f.name, v, IssueKind::Negative));
                    out.push(0);
                }
                None => {
                    self.missing(f, row);
                    out.push(0);
                }
            }
        }
        Ok(out)
    }

    fn money(&mut self, f: &StateField, arr: &ArrayRef) -> PyResult<Vec<Money>> {
        let a = self.cast(f, arr, &MONEY, "decimal(38, 6) amounts")?;
        let a = a.as_primitive::<Decimal128Type>();
        let mut out = Vec::with_capacity(a.len());
        for (row, v) in a.iter().enumerate() {
            if v.is_none() {
                self.missing(f, row);
            }
            out.push(Money(v.unwrap_or(0)));
        }
        Ok(out)
    }

    fn scores(&mut self, f: &StateField, arr: &ArrayRef) -> PyResult<Vec<Option<f64>>> {
        let a = self.cast(f, arr, &DataType::Float64, "numbers")?;
        Ok(a.as_primitive::<Float64Type>().iter().collect())
    }

    fn days(&mut self, f: &StateField, arr: &ArrayRef) -> PyResult<Vec<Vec<DayTotal>>> {
        let want = "lists of (day, orders, revenue)";
        let a = self.cast(f, arr, &arrow_type(StateType::OrderDays, false), want)?;
        let list = a.as_list::<i32>();
        let values = list.values().as_struct();
        let day = values.column(0).as_primitive::<Date32Type>();
        let orders = values.column(1).as_primitive::<Int64Type>();
        let revenue = values.column(2).as_primitive::<Decimal128Type>();
        let mut out = Vec::with_capacity(list.len());
        for row in 0..list.len() {
            let mut set = Vec::new();
            if list.is_valid(row) {
                let offsets = list.value_offsets();
                for i in offsets[row] as usize..offsets[row + 1] as usize {
                    let bad = values.is_null(i)
                        || day.is_null(i)
                        || orders.is_null(i)
                        || revenue.is_null(i);
                    let n = u32::try_from(orders.value(i));
                    if bad || n.is_err() {
                        let value = if bad {
                            String::new()
                        } else {
                            orders.value(i).to_string()
                        };
                        let kind = if bad {
                            IssueKind::Missing
                        } else {
                            IssueKind::OutOfRange {
                                min: 0.0,
                                max: f64::from(u32::MAX),
                            }
                        };
                        self.issues.push(RowIssue::new(row, f.name, value, kind));
                        continue;
                    }
                    set.push(DayTotal {
                        day: i64::from(day.value(i)),
                        orders: n.unwrap_or_default(),
                        revenue: Money(revenue.value(i)),
                    });
                }
            }
            out.push(set);
        }
        Ok(out)
    }
}

/// The state in one record batch (any column order; extra columns ignored).
pub fn from_batch(batch: &RecordBatch) -> PyResult<Result<SummaryState, Error>> {
    let schema = batch.schema();
    let mut issues = Vec::new();
    let mut columns = Vec::new();
    for f in state_fields() {
        let Ok(i) = schema.index_of(f.name) else {
            return Ok(Err(Error::InvalidParameter {
                name: f.name,
                value: format!("{:?}", f.name),
                reason: "no such column in the summary state",
            }));
        };
        let arr = batch.column(i);
        let mut r = Reader {
            issues: &mut issues,
        };
        columns.push(match f.ty {
            StateType::CustomerId => {
                let owned = crate::cells::customer_ids(f.name, arr)?;
                let views = owned.views();
                match owned.cells(&views).customer_ids(f.name) {
                    Ok(ids) => StateColumn::Ids(ids),
                    Err(e) => return Ok(Err(e)),
                }
            }
            StateType::Instant => StateColumn::Instants(r.instants(&f, arr)?),
            StateType::Count => StateColumn::Counts(r.counts(&f, arr)?),
            StateType::Money => StateColumn::Money(r.money(&f, arr)?),
            StateType::Score => StateColumn::Scores(r.scores(&f, arr)?),
            StateType::OrderDays => StateColumn::OrderDays(r.days(&f, arr)?),
        });
    }
    if !issues.is_empty() {
        issues.sort_by_key(|i| i.row);
        return Ok(Err(Error::InvalidRows { issues }));
    }
    Ok(Ok(SummaryState { columns }))
}
