//! Arrow columns in the core's cell layouts (`retention_core::events::Cells`):
//! a type conversion only. Which cells are valid, and the row issues of the
//! others, are decided by the core (`EventLog::from_cells`), the same for
//! every door. A column whose Arrow type can hold no valid cell at all (a list
//! of customer ids, a float column of event names) is a `TypeError` here.

use std::borrow::Cow;
use std::collections::HashMap;

use arrow_array::cast::AsArray;
use arrow_array::types::{
    Int64Type, TimestampMicrosecondType, TimestampMillisecondType, TimestampNanosecondType,
    TimestampSecondType,
};
use arrow_array::{Array, ArrayRef};
use arrow_cast::cast_with_options;
use arrow_schema::{DataType, TimeUnit};
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use retention_core::events::{Cells, Coded, InstantUnit, NO_CODE};

use crate::arrow::{f64_column, is_text, strict, to_f64};
use crate::errors::column_type;

/// A column converted into one of the cell layouts, owning what had to be
/// converted and borrowing the rest.
pub enum Owned<'a> {
    /// Whole numbers, with the validity of each cell when some are null.
    Int(Cow<'a, [i64]>, Option<Vec<bool>>),
    /// Numbers, nulls as NaN.
    Float(Cow<'a, [f64]>),
    /// A `Utf8` array.
    Utf8(ArrayRef),
    /// Dictionary-coded text.
    Coded(Vec<u32>, Vec<String>),
    /// Booleans.
    Bool(Vec<Option<bool>>),
}

/// The borrowed views a [`Cells`] value needs of an [`Owned`] column.
pub struct Views<'b> {
    text: Vec<Option<&'b str>>,
    dictionary: Vec<&'b str>,
}

impl<'a> Owned<'a> {
    /// The views of this column (text rows, dictionary entries).
    pub fn views(&self) -> Views<'_> {
        match self {
            Owned::Utf8(a) => Views {
                text: a.as_string::<i32>().iter().collect(),
                dictionary: Vec::new(),
            },
            Owned::Coded(_, d) => Views {
                text: Vec::new(),
                dictionary: d.iter().map(String::as_str).collect(),
            },
            _ => Views {
                text: Vec::new(),
                dictionary: Vec::new(),
            },
        }
    }

    /// The cells, reading text through `views` (from [`Owned::views`]).
    pub fn cells<'b>(&'b self, views: &'b Views<'b>) -> Cells<'b> {
        match self {
            Owned::Int(values, valid) => Cells::Int {
                values,
                valid: valid.as_deref(),
            },
            Owned::Float(v) => Cells::Float(v),
            Owned::Utf8(_) => Cells::Text(&views.text),
            Owned::Coded(codes, _) => Cells::Coded(Coded {
                codes,
                dictionary: &views.dictionary,
            }),
            Owned::Bool(v) => Cells::Bool(v),
        }
    }
}

fn cast(column: &str, arr: &ArrayRef, to: &DataType) -> PyResult<ArrayRef> {
    cast_with_options(arr, to, &strict())
        .map_err(|e| PyTypeError::new_err(format!("column `{column}`: {e}")))
}

/// Validity of each cell, when some are null.
fn validity(arr: &dyn Array) -> Option<Vec<bool>> {
    arr.nulls()
        .filter(|n| n.null_count() > 0)
        .map(|n| n.iter().collect())
}

/// Integers (an `Int64` column without nulls is borrowed), with nulls marked.
fn ints<'a>(column: &str, arr: &'a ArrayRef) -> PyResult<Owned<'a>> {
    if matches!(arr.data_type(), DataType::Int64) && arr.null_count() == 0 {
        return Ok(Owned::Int(
            Cow::Borrowed(arr.as_primitive::<Int64Type>().values()),
            None,
        ));
    }
    let a = cast(column, arr, &DataType::Int64)?;
    let valid = validity(&a);
    Ok(Owned::Int(
        Cow::Owned(a.as_primitive::<Int64Type>().values().to_vec()),
        valid,
    ))
}

/// Text of a text, dictionary or integer column.
fn utf8(column: &str, arr: &ArrayRef) -> PyResult<Owned<'static>> {
    Ok(Owned::Utf8(cast(column, arr, &DataType::Utf8)?))
}

/// Customer ids: integers, floats or text.
pub fn customer_ids<'a>(column: &str, arr: &'a ArrayRef) -> PyResult<Owned<'a>> {
    let dt = arr.data_type();
    if dt.is_integer() {
        ints(column, arr)
    } else if dt.is_floating() {
        Ok(Owned::Float(f64_column("customer_id", column, arr)?))
    } else if is_text(dt) || matches!(dt, DataType::Dictionary(..)) {
        utf8(column, arr).map_err(|_| column_type("customer_id", column, dt, "integers or strings"))
    } else if matches!(dt, DataType::Null) {
        Ok(Owned::Float(Cow::Owned(vec![f64::NAN; arr.len()])))
    } else {
        Err(column_type(
            "customer_id",
            column,
            dt,
            "integers or strings",
        ))
    }
}

/// Instants: a timestamp column in its own unit (borrowed when it has no
/// nulls), dates in milliseconds, or text. numpy's `NaT`
/// (the `i64` minimum) is a missing cell.
pub fn instants<'a>(column: &str, arr: &'a ArrayRef) -> PyResult<(Owned<'a>, InstantUnit)> {
    let dt = arr.data_type();
    let unit = match dt {
        DataType::Timestamp(TimeUnit::Second, _) => InstantUnit::Seconds,
        DataType::Timestamp(TimeUnit::Millisecond, _) => InstantUnit::Millis,
        DataType::Timestamp(TimeUnit::Microsecond, _) => InstantUnit::Micros,
        DataType::Timestamp(TimeUnit::Nanosecond, _) => InstantUnit::Nanos,
        DataType::Date32 | DataType::Date64 => {
            let ms = cast(
                column,
                &cast(column, arr, &DataType::Date64)?,
                &DataType::Int64,
            )?;
            return Ok((
                ints_with_nat(column, &ms)?.into_owned(),
                InstantUnit::Millis,
            ));
        }
        t if is_text(t) || matches!(t, DataType::Dictionary(..) | DataType::Null) => {
            return Ok((utf8(column, arr)?, InstantUnit::Micros));
        }
        other => {
            return Err(column_type(
                "timestamp",
                column,
                other,
                "datetimes (timestamp or date), or ISO 8601 text",
            ))
        }
    };
    if arr.null_count() == 0 {
        let values: &'a [i64] = match unit {
            InstantUnit::Seconds => arr.as_primitive::<TimestampSecondType>().values(),
            InstantUnit::Millis => arr.as_primitive::<TimestampMillisecondType>().values(),
            InstantUnit::Micros => arr.as_primitive::<TimestampMicrosecondType>().values(),
            InstantUnit::Nanos => arr.as_primitive::<TimestampNanosecondType>().values(),
        };
        if !values.contains(&i64::MIN) {
            return Ok((Owned::Int(Cow::Borrowed(values), None), unit));
        }
    }
    let ticks = cast(column, arr, &DataType::Int64)?;
    Ok((ints_with_nat(column, &ticks)?.into_owned(), unit))
}

/// An `Int64` column's values with nulls and `NaT` marked missing.
fn ints_with_nat<'a>(column: &str, arr: &'a ArrayRef) -> PyResult<Owned<'a>> {
    let Owned::Int(values, valid) = ints(column, arr)? else {
        return Err(PyTypeError::new_err(format!(
            "column `{column}`: not integers"
        )));
    };
    if valid.is_none() && !values.contains(&i64::MIN) {
        return Ok(Owned::Int(values, None));
    }
    let valid = (0..values.len())
        .map(|i| values[i] != i64::MIN && valid.as_ref().is_none_or(|v| v[i]))
        .collect();
    Ok(Owned::Int(values, Some(valid)))
}

impl Owned<'_> {
    fn into_owned(self) -> Owned<'static> {
        match self {
            Owned::Int(v, valid) => Owned::Int(Cow::Owned(v.into_owned()), valid),
            Owned::Float(v) => Owned::Float(Cow::Owned(v.into_owned())),
            Owned::Utf8(a) => Owned::Utf8(a),
            Owned::Coded(c, d) => Owned::Coded(c, d),
            Owned::Bool(b) => Owned::Bool(b),
        }
    }
}

/// Numbers (`amount`, `items`, `score`): any numeric or boolean column, nulls
/// as NaN (a `Float64` column whose nulls already hold NaN is borrowed).
pub fn numbers<'a>(field: &str, column: &str, arr: &'a ArrayRef) -> PyResult<Owned<'a>> {
    Ok(Owned::Float(f64_column(field, column, arr)?))
}

/// Detail text: text, dictionary or integer columns.
pub fn details(column: &str, arr: &ArrayRef) -> PyResult<Owned<'static>> {
    let dt = arr.data_type();
    if dt.is_integer() || is_text(dt) || matches!(dt, DataType::Dictionary(..) | DataType::Null) {
        utf8(column, arr)
    } else {
        Err(column_type("detail", column, dt, "text"))
    }
}

/// Ticket flags: booleans, or numbers (0 and 1).
pub fn flags(column: &str, arr: &ArrayRef) -> PyResult<Owned<'static>> {
    let dt = arr.data_type();
    match dt {
        DataType::Boolean => Ok(Owned::Bool(arr.as_boolean().iter().collect())),
        DataType::Null => Ok(Owned::Bool(vec![None; arr.len()])),
        _ if dt.is_numeric() => {
            let f = to_f64("resolved", column, arr)?;
            Ok(Owned::Float(Cow::Owned(crate::arrow::f64_with_nan(&f))))
        }
        _ => Err(column_type("resolved", column, dt, "booleans")),
    }
}

/// Event names, dictionary-coded: an Arrow dictionary column keeps its own
/// dictionary; a plain text column is coded here (a column holds a handful
/// of distinct names, so most rows cost a short key scan), in parallel slices
/// when long.
pub fn event_names(column: &str, arr: &ArrayRef, threads: usize) -> PyResult<Owned<'static>> {
    let dt = arr.data_type();
    if matches!(dt, DataType::Dictionary(..)) {
        let keyed = DataType::Dictionary(Box::new(DataType::Int64), Box::new(DataType::Utf8));
        let dict = cast(column, arr, &keyed)?;
        let dict = dict.as_dictionary::<Int64Type>();
        let names = dict.values().as_string::<i32>();
        let codes = dict
            .keys()
            .iter()
            .map(|k| match k {
                Some(k) if k >= 0 && names.is_valid(k as usize) => k as u32,
                _ => NO_CODE,
            })
            .collect();
        let dictionary = (0..names.len())
            .map(|i| names.value(i).to_owned())
            .collect();
        return Ok(Owned::Coded(codes, dictionary));
    }
    if matches!(dt, DataType::Null) {
        return Ok(Owned::Coded(vec![NO_CODE; arr.len()], Vec::new()));
    }
    if !is_text(dt) {
        return Err(column_type("event", column, dt, "event names as text"));
    }
    let n = arr.len();
    let threads = if n < 1 << 17 { 1 } else { threads.clamp(1, 8) };
    let parts: Vec<ArrayRef> = (0..threads)
        .map(|t| {
            let (a, b) = (n * t / threads, n * (t + 1) / threads);
            arr.slice(a, b - a)
        })
        .collect();
    let coded: Vec<(Vec<u32>, Vec<String>)> = if threads == 1 {
        parts.iter().map(encode).collect()
    } else {
        std::thread::scope(|s| {
            let handles: Vec<_> = parts.iter().map(|p| s.spawn(move || encode(p))).collect();
            handles
                .into_iter()
                .map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
                .collect()
        })
    };
    // One dictionary: the slices' dictionaries one after the other (an entry
    // may repeat), codes shifted by the entries before their slice.
    let mut codes = Vec::with_capacity(n);
    let mut dictionary = Vec::new();
    for (part, names) in coded {
        let shift = dictionary.len() as u32;
        codes.extend(
            part.into_iter()
                .map(|c| if c == NO_CODE { c } else { c + shift }),
        );
        dictionary.extend(names);
    }
    Ok(Owned::Coded(codes, dictionary))
}

/// Codes of one text slice against its own dictionary.
fn encode(arr: &ArrayRef) -> (Vec<u32>, Vec<String>) {
    let mut coder = Coder::default();
    let n = arr.len();
    let codes = match arr.data_type() {
        DataType::Utf8 => {
            let a = arr.as_string::<i32>();
            (0..n)
                .map(|i| match a.is_valid(i) {
                    true => coder.code(offset_key(a, i), a.value(i)),
                    false => NO_CODE,
                })
                .collect()
        }
        DataType::LargeUtf8 => {
            let a = arr.as_string::<i64>();
            (0..n)
                .map(|i| match a.is_valid(i) {
                    true => coder.code(offset_key(a, i), a.value(i)),
                    false => NO_CODE,
                })
                .collect()
        }
        _ => {
            // Names of up to 12 bytes sit inside their 16-byte view, so the
            // view itself names them.
            let a = arr.as_string_view();
            a.views()
                .iter()
                .enumerate()
                .map(|(i, &view)| match a.is_valid(i) {
                    true => coder.code((view as u32 <= 12).then_some(view), a.value(i)),
                    false => NO_CODE,
                })
                .collect()
        }
    };
    (codes, coder.dictionary)
}

/// Text to codes: a short list of exact keys (see [`offset_key`]) in front
/// of a map by name.
#[derive(Default)]
struct Coder {
    keyed: Vec<(u128, u32)>,
    by_name: HashMap<String, u32>,
    dictionary: Vec<String>,
}

impl Coder {
    fn code(&mut self, key: Option<u128>, name: &str) -> u32 {
        if let Some(&(_, c)) = key.and_then(|k| self.keyed.iter().find(|(x, _)| *x == k)) {
            return c;
        }
        let c = match self.by_name.get(name) {
            Some(&c) => c,
            None => {
                let c = self.dictionary.len() as u32;
                self.dictionary.push(name.to_owned());
                self.by_name.insert(name.to_owned(), c);
                c
            }
        };
        if let Some(k) = key.filter(|_| self.keyed.len() < 32) {
            self.keyed.push((k, c));
        }
        c
    }
}

/// The key of row `i` of an offsets-based string column for [`Coder`]:
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
