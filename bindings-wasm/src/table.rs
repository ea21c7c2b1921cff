//! Any core [`Table`] as a JS value: the one conversion of per-row results.
//!
//! The core decides every table's column names (snake_case) and types
//! ([`Column`]); this module only picks a JS representation per column
//! type, and the wrapper (`js/index.js`, `table()`) finishes it with one
//! generic expansion. The wrapper turns the names into camelCase
//! (`customer_id` → `customerId`) and gives these values:
//!
//! | core column                        | JS value                                   |
//! |------------------------------------|--------------------------------------------|
//! | `Ids`                              | `Array` of numbers or strings              |
//! | `F64`, `OptF64`                    | `Float64Array`, `NaN` when absent          |
//! | `Count`, `OptCount`, `U64`         | `Float64Array`, `NaN` when absent          |
//! | `OptU8` (scores, ≥ 1 when present) | `Uint8Array`, `0` when absent              |
//! | `Instants`                         | `Float64Array` of ms since the epoch, `NaN` when absent |
//! | `Bool`, `OptBool`                  | `Array` of booleans (`null` when absent)   |
//! | `Text`, `OptText`, `Codes`         | `Array` of strings (`null` when absent)    |
//! | `TextLists`                        | `Array` of `Array`s of strings             |
//!
//! What crosses the wasm boundary is `{ columns: [[name, data, how], …] }`
//! (plus any extra, non-table fields of the result next to `columns`).
//! Without `how`, `data` is the final value. Crossing 100,000s of strings
//! one by one is slow, so text crosses once per distinct value: with `how`
//! an `Array` (a dictionary), `data` is a `Uint32Array` (`Uint8Array` for
//! flags) of indices into it. Text lists cross as one string: with `how` a
//! `Uint32Array` (the number of items of each row), `data` holds every item
//! of every row, in order, separated by U+001F (should an item contain
//! U+001F itself, the column crosses without `how`, as arrays of strings).

use std::collections::HashMap;

use js_sys::{Array, Float64Array, Object, Reflect, Uint32Array, Uint8Array};
use retention_core::table::{Column, Table};
use retention_core::time::Micros;
use wasm_bindgen::JsValue;

use crate::convert::{ids_to_js, millis};
use crate::error::{invalid_input, JsResult};

/// Separates the items of a packed text-list column.
const SEPARATOR: char = '\u{1f}';

/// A core table as `{ columns }` (see the module documentation).
pub fn table_to_js<T: Table + ?Sized>(table: &T) -> JsResult<JsValue> {
    table_with(table, &[])
}

/// A core table with extra fields of the result beside `columns` (values
/// already converted, usually with [`crate::convert::to_js`]; snake_case
/// keys, which the wrapper turns into camelCase like every key).
pub fn table_with<T: Table + ?Sized>(table: &T, extras: &[(&str, JsValue)]) -> JsResult<JsValue> {
    let columns: Array = table
        .columns()
        .iter()
        .map(|(name, column)| entry(name, column))
        .collect();
    let out = Object::new();
    let set = |key: &str, value: &JsValue| {
        Reflect::set(&out, &JsValue::from_str(key), value)
            .map(|_| ())
            .map_err(|_| invalid_input("result", format!("cannot set `{key}`")))
    };
    set("columns", &columns)?;
    for (key, value) in extras {
        set(key, value)?;
    }
    Ok(out.into())
}

/// A core table with the serialisable fields of `result` beside `columns`
/// (each field as [`crate::convert::to_js`] gives it).
pub fn table_and<T: Table + ?Sized, R: serde::Serialize>(
    table: &T,
    result: &R,
) -> JsResult<JsValue> {
    let fields = crate::convert::to_js(result)?;
    let extras: Vec<(String, JsValue)> = Object::entries(&Object::from(fields))
        .iter()
        .map(|pair| {
            let pair = Array::from(&pair);
            (pair.get(0).as_string().unwrap_or_default(), pair.get(1))
        })
        .collect();
    let extras: Vec<(&str, JsValue)> = extras
        .iter()
        .map(|(k, v)| (k.as_str(), v.clone()))
        .collect();
    table_with(table, &extras)
}

/// `[name, data]` or `[name, data, how]` of one column.
fn entry(name: &str, column: &Column<'_>) -> Array {
    let name = JsValue::from_str(name);
    let numbers = |v: Vec<f64>| -> JsValue { Float64Array::from(v.as_slice()).into() };
    let data: JsValue = match column {
        Column::Ids(v) => ids_to_js(v).into(),
        Column::F64(v) => Float64Array::from(&v[..]).into(),
        Column::OptF64(v) => numbers(v.iter().map(|x| x.unwrap_or(f64::NAN)).collect()),
        Column::OptU8(v) => {
            let scores: Vec<u8> = v.iter().map(|x| x.unwrap_or(0)).collect();
            Uint8Array::from(scores.as_slice()).into()
        }
        Column::Count(v) => numbers(v.iter().map(|&n| n as f64).collect()),
        Column::OptCount(v) => {
            numbers(v.iter().map(|n| n.map_or(f64::NAN, |n| n as f64)).collect())
        }
        Column::U64(v) => numbers(v.iter().map(|&n| n as f64).collect()),
        Column::Instants(v) => numbers(v.iter().map(|&t| instant_ms(t)).collect()),
        Column::Bool(v) => return flags(name, v.iter().map(|&b| Some(b))),
        Column::OptBool(v) => return flags(name, v.iter().copied()),
        Column::Text(v) => return coded(name, v.iter().map(|s| Some(s.as_str()))),
        Column::OptText(v) => return coded(name, v.iter().map(|s| s.as_deref())),
        Column::Codes(v) => return coded(name, v.iter().map(|&s| Some(s))),
        Column::TextLists(v) => return text_lists(name, v),
    };
    Array::of2(&name, &data)
}

/// Lists of text as one string and the item count of each row (see the
/// module documentation); an item holding the separator itself (no text
/// the core writes does) sends the column as arrays of strings instead.
fn text_lists(name: JsValue, lists: &[&[String]]) -> Array {
    let mut packed = String::new();
    let mut lengths = Vec::with_capacity(lists.len());
    let mut first = true;
    for row in lists {
        for item in row.iter() {
            if item.contains(SEPARATOR) {
                let rows: Array = lists
                    .iter()
                    .map(|row| row.iter().map(|s| JsValue::from_str(s)).collect::<Array>())
                    .collect();
                return Array::of2(&name, &rows);
            }
            if !first {
                packed.push(SEPARATOR);
            }
            first = false;
            packed.push_str(item);
        }
        lengths.push(row.len() as u32);
    }
    let lengths = Uint32Array::from(lengths.as_slice());
    Array::of3(&name, &packed.into(), &lengths.into())
}

fn instant_ms(t: Option<Micros>) -> f64 {
    t.map_or(f64::NAN, millis)
}

/// Flags as indices into `[false, true, null]`.
fn flags(name: JsValue, values: impl Iterator<Item = Option<bool>>) -> Array {
    let codes: Vec<u8> = values
        .map(|b| match b {
            Some(false) => 0,
            Some(true) => 1,
            None => 2,
        })
        .collect();
    let dictionary = Array::of3(&JsValue::FALSE, &JsValue::TRUE, &JsValue::NULL);
    Array::of3(
        &name,
        &Uint8Array::from(codes.as_slice()).into(),
        &dictionary,
    )
}

/// Text as indices into its distinct values (`null` for absent text).
fn coded<'s>(name: JsValue, values: impl Iterator<Item = Option<&'s str>>) -> Array {
    let mut names: Vec<Option<&str>> = Vec::new();
    let mut index: HashMap<Option<&str>, u32> = HashMap::new();
    let mut codes = Vec::with_capacity(values.size_hint().0);
    let mut last: Option<(Option<&str>, u32)> = None;
    for v in values {
        let code = match last {
            // Runs of one value (a segment, a stage) skip the map.
            Some((l, c)) if l == v => c,
            _ => *index.entry(v).or_insert_with(|| {
                names.push(v);
                names.len() as u32 - 1
            }),
        };
        last = Some((v, code));
        codes.push(code);
    }
    let dictionary: Array = names
        .iter()
        .map(|s| s.map_or(JsValue::NULL, JsValue::from_str))
        .collect();
    Array::of3(
        &name,
        &Uint32Array::from(codes.as_slice()).into(),
        &dictionary,
    )
}
