//! Arrow conversions: input columns to plain vectors, results to tables.
//!
//! Input reaches Rust through the Arrow PyCapsule interface (pyo3-arrow), so no
//! Python object is touched per row. Nulls are never guessed away: a null in a
//! required numeric input becomes a `Missing` row issue naming the row.

use std::borrow::Cow;
use std::sync::Arc;

use arrow_array::builder::{ListBuilder, StringBuilder};
use arrow_array::cast::AsArray;
use arrow_array::types::Float64Type;
use arrow_array::{
    Array, ArrayRef, BooleanArray, Float64Array, Int64Array, RecordBatch, StringArray,
    TimestampMicrosecondArray, UInt64Array,
};
use arrow_buffer::NullBuffer;
use arrow_cast::{cast_with_options, CastOptions};
use arrow_schema::{DataType, Field, Schema};
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3_arrow::{PyArray, PyTable};
use retention_core::events::CustomerId;
use retention_core::table::{Column, Table};
use retention_core::time::Micros;
use retention_core::{Error, IssueKind, RowIssue};

use crate::errors::{column_type, to_py};

/// Casts without silently turning failures into nulls.
pub fn strict() -> CastOptions<'static> {
    CastOptions {
        safe: false,
        ..Default::default()
    }
}

/// Casts a column to `Float64`; a `TypeError` names the field if impossible.
pub fn to_f64(field: &str, column: &str, arr: &ArrayRef) -> PyResult<ArrayRef> {
    let dt = arr.data_type();
    let ok = dt.is_numeric() || matches!(dt, DataType::Null | DataType::Boolean);
    if !ok {
        return Err(column_type(field, column, dt, "numbers"));
    }
    cast_with_options(arr, &DataType::Float64, &strict())
        .map_err(|e| PyTypeError::new_err(format!("column `{column}` (field `{field}`): {e}")))
}

/// Values of a numeric column, nulls as NaN.
pub fn f64_with_nan(arr: &ArrayRef) -> Vec<f64> {
    let a = arr.as_primitive::<Float64Type>();
    let mut out = a.values().to_vec();
    if let Some(nulls) = a.nulls() {
        for i in null_positions(nulls) {
            if let Some(v) = out.get_mut(i) {
                *v = f64::NAN;
            }
        }
    }
    out
}

/// Positions of the null slots, read from the validity bitmap a 64-row word
/// at a time (positions past the array's end, from the last word's padding,
/// may appear: callers index with `get`).
fn null_positions(nulls: &NullBuffer) -> impl Iterator<Item = usize> {
    let words: Vec<u64> = nulls.inner().bit_chunks().iter_padded().collect();
    words.into_iter().enumerate().flat_map(|(w, word)| {
        let mut missing = !word;
        std::iter::from_fn(move || {
            (missing != 0).then(|| {
                let bit = missing.trailing_zeros() as usize;
                missing &= missing - 1;
                w * 64 + bit
            })
        })
    })
}

/// [`f64_vec`] of an optional input (`weights`, `entry`…).
pub fn opt_f64_vec(field: &'static str, arr: Option<PyArray>) -> PyResult<Option<Vec<f64>>> {
    arr.map(|a| f64_vec(field, a)).transpose()
}

/// A vector of numbers as an Arrow array for Python.
pub fn f64_array(v: Vec<f64>) -> PyArray {
    PyArray::from_array_ref(Arc::new(Float64Array::from(v)))
}

/// A numeric input vector (`durations`, `answers`…), nulls reported as missing.
pub fn f64_vec(field: &'static str, arr: PyArray) -> PyResult<Vec<f64>> {
    let (arr, _) = arr.into_inner();
    let arr = to_f64(field, field, &arr)?;
    let a = arr.as_primitive::<Float64Type>();
    let issues: Vec<RowIssue> = (0..a.len())
        .filter(|&i| a.is_null(i))
        .map(|i| RowIssue::new(i, field, "", IssueKind::Missing))
        .collect();
    if !issues.is_empty() {
        return Err(to_py(Error::InvalidRows { issues }));
    }
    Ok(a.values().to_vec())
}

/// A boolean input vector; numbers 0/1 are accepted, nulls reported as missing.
pub fn bool_vec(field: &'static str, arr: PyArray) -> PyResult<Vec<bool>> {
    let (arr, _) = arr.into_inner();
    let dt = arr.data_type();
    if !(dt.is_numeric() || matches!(dt, DataType::Boolean | DataType::Null)) {
        return Err(column_type(field, field, dt, "booleans"));
    }
    let mut issues = Vec::new();
    let mut out = Vec::with_capacity(arr.len());
    if let DataType::Boolean = dt {
        let a = arr.as_boolean();
        for i in 0..a.len() {
            if a.is_null(i) {
                issues.push(RowIssue::new(i, field, "", IssueKind::Missing));
                out.push(false);
            } else {
                out.push(a.value(i));
            }
        }
    } else {
        let arr = to_f64(field, field, &arr)?;
        let a = arr.as_primitive::<Float64Type>();
        for i in 0..a.len() {
            if a.is_null(i) {
                issues.push(RowIssue::new(i, field, "", IssueKind::Missing));
                out.push(false);
            } else {
                let v = a.value(i);
                if v == 0.0 || v == 1.0 {
                    out.push(v == 1.0);
                } else {
                    let kind = IssueKind::OutOfRange { min: 0.0, max: 1.0 };
                    issues.push(RowIssue::new(i, field, v, kind));
                    out.push(false);
                }
            }
        }
    }
    if issues.is_empty() {
        Ok(out)
    } else {
        Err(to_py(Error::InvalidRows { issues }))
    }
}

/// Whether a type holds text.
pub fn is_text(dt: &DataType) -> bool {
    matches!(
        dt,
        DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View
    )
}

/// Values of a numeric column with nulls as NaN, borrowed when the column is
/// `Float64` and its null slots already hold NaN (as pyarrow leaves them when
/// converting pandas NaN), copied otherwise.
pub fn f64_column<'a>(field: &str, column: &str, arr: &'a ArrayRef) -> PyResult<Cow<'a, [f64]>> {
    if let DataType::Float64 = arr.data_type() {
        let a = arr.as_primitive::<Float64Type>();
        let values: &'a [f64] = a.values();
        let nan_at_nulls = a
            .nulls()
            .is_none_or(|n| null_positions(n).all(|i| values.get(i).is_none_or(|v| v.is_nan())));
        if nan_at_nulls {
            return Ok(Cow::Borrowed(values));
        }
    }
    let a = to_f64(field, column, arr)?;
    Ok(Cow::Owned(f64_with_nan(&a)))
}

/// Column builder for result tables.
#[derive(Default)]
struct TableBuilder {
    fields: Vec<Field>,
    columns: Vec<ArrayRef>,
}

impl TableBuilder {
    /// Starts an empty table.
    fn new() -> Self {
        Self::default()
    }

    /// Adds a column.
    fn col(mut self, name: &str, array: ArrayRef) -> Self {
        self.fields
            .push(Field::new(name, array.data_type().clone(), true));
        self.columns.push(array);
        self
    }

    /// Adds a float column.
    fn f64(self, name: &str, v: Vec<f64>) -> Self {
        self.col(name, Arc::new(Float64Array::from(v)))
    }

    /// Adds a nullable float column.
    fn opt_f64(self, name: &str, v: Vec<Option<f64>>) -> Self {
        self.col(name, Arc::new(Float64Array::from(v)))
    }

    /// Adds an integer column.
    fn i64(self, name: &str, v: Vec<i64>) -> Self {
        self.col(name, Arc::new(Int64Array::from(v)))
    }

    /// Adds a nullable integer column.
    fn opt_i64(self, name: &str, v: Vec<Option<i64>>) -> Self {
        self.col(name, Arc::new(Int64Array::from(v)))
    }

    /// Adds an unsigned count column.
    fn u64(self, name: &str, v: Vec<u64>) -> Self {
        self.col(name, Arc::new(UInt64Array::from(v)))
    }

    /// Adds a boolean column.
    fn bool(self, name: &str, v: Vec<bool>) -> Self {
        self.col(name, Arc::new(BooleanArray::from(v)))
    }

    /// Adds a text column.
    fn str<S: AsRef<str>>(self, name: &str, v: &[S]) -> Self {
        let a: StringArray = v.iter().map(|s| Some(s.as_ref())).collect();
        self.col(name, Arc::new(a))
    }

    /// Adds a nullable text column.
    fn opt_str(self, name: &str, v: Vec<Option<String>>) -> Self {
        let a: StringArray = v.into_iter().collect();
        self.col(name, Arc::new(a))
    }

    /// Adds a list-of-text column.
    fn str_lists(self, name: &str, v: &[&[String]]) -> Self {
        let mut b = ListBuilder::new(StringBuilder::new());
        for row in v {
            for s in row.iter() {
                b.values().append_value(s);
            }
            b.append(true);
        }
        self.col(name, Arc::new(b.finish()))
    }

    /// Adds a UTC timestamp column (µs).
    fn time(self, name: &str, v: Vec<Option<Micros>>) -> Self {
        let a = TimestampMicrosecondArray::from(v).with_timezone("UTC");
        self.col(name, Arc::new(a))
    }

    /// Adds the customer-id column: integers if every id is one, text otherwise.
    fn ids(self, name: &str, ids: &[CustomerId]) -> Self {
        let ints: Option<Vec<i64>> = ids
            .iter()
            .map(|c| match c {
                CustomerId::Int(i) => Some(*i),
                CustomerId::Str(_) => None,
            })
            .collect();
        match ints {
            Some(v) => self.i64(name, v),
            None => {
                let s: Vec<String> = ids.iter().map(|c| c.to_string()).collect();
                self.str(name, &s)
            }
        }
    }

    /// Adds every column of a core [`Table`], under the core's names.
    fn table<T: Table + ?Sized>(mut self, table: &T) -> Self {
        for (name, column) in table.columns() {
            self = self.column(name, column);
        }
        for (name, column) in table.data_named_columns() {
            self = self.column(&name, column);
        }
        self
    }

    /// One core column, as the Arrow type of its kind.
    fn column(self, name: &str, column: Column<'_>) -> Self {
        match column {
            Column::Ids(v) => self.ids(name, &v),
            Column::F64(v) => self.f64(name, v.into_owned()),
            Column::OptF64(v) => self.opt_f64(name, v.into_owned()),
            Column::OptU8(v) => self.opt_i64(name, v.iter().map(|x| x.map(i64::from)).collect()),
            Column::Count(v) => self.i64(name, v.iter().map(|&x| x as i64).collect()),
            Column::OptCount(v) => {
                self.opt_i64(name, v.iter().map(|x| x.map(|x| x as i64)).collect())
            }
            Column::U64(v) => self.u64(name, v.into_owned()),
            Column::Bool(v) => self.bool(name, v.into_owned()),
            Column::OptBool(v) => self.col(name, Arc::new(BooleanArray::from(v.into_owned()))),
            Column::Text(v) => self.str(name, &v),
            Column::OptText(v) => self.opt_str(name, v.into_owned()),
            Column::TextLists(v) => self.str_lists(name, &v),
            Column::Codes(v) => self.str(name, &v),
            Column::Instants(v) => self.time(name, v.into_owned()),
        }
    }

    /// The finished table.
    fn finish(self) -> PyResult<PyTable> {
        let schema = Arc::new(Schema::new(self.fields));
        let batch = RecordBatch::try_new(schema.clone(), self.columns)
            .map_err(|e| PyTypeError::new_err(e.to_string()))?;
        PyTable::try_new(vec![batch], schema)
    }
}

/// Customer ids given by the caller as an Arrow array (ints or text), read
/// by the core's `customer_id` rules.
pub fn id_list(field: &'static str, arr: PyArray) -> PyResult<Vec<CustomerId>> {
    let (arr, _) = arr.into_inner();
    let owned = crate::cells::customer_ids(field, &arr)?;
    let views = owned.views();
    owned.cells(&views).customer_ids(field).map_err(to_py)
}

/// A single customer id given as a Python int or str.
pub fn customer_id(obj: &Bound<'_, PyAny>) -> PyResult<CustomerId> {
    if let Ok(i) = obj.extract::<i64>() {
        Ok(CustomerId::Int(i))
    } else if let Ok(s) = obj.extract::<String>() {
        Ok(CustomerId::Str(s))
    } else {
        Err(PyTypeError::new_err(
            "customer id must be an int (64-bit) or a str",
        ))
    }
}

/// A core [`Table`] as an Arrow table (the one conversion for per-customer
/// results: the columns and their names are the core's).
pub fn to_table<T: Table + ?Sized>(table: &T) -> PyResult<PyTable> {
    TableBuilder::new().table(table).finish()
}
