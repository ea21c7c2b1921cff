//! Value tiers and rule segments (`retention_core::segments::{tiers, rules}`).
//!
//! Rule predicates arrive as plain Python data and map one to one onto the
//! core's `Predicate`:
//!
//! * `(field, op, value)` with `op` one of `==`, `!=`, `<`, `<=`, `>`, `>=`
//!   → `Compare`; `(field, "in", [values])` → `In`;
//! * `{"field": f, "op": op, "value": v}` → the same;
//! * `{"and": [p, …]}`, `{"or": [p, …]}`, `{"not": p}`;
//! * `True` or `"always"` → `Always`.
//!
//! A field is a summary field name (`orders`, `net_revenue`, …), or an
//! attribute: `"attribute:country"`, or any column of the attributes table.

use std::collections::BTreeSet;

use arrow_array::cast::AsArray;
use arrow_array::types::Float64Type;
use arrow_array::Array;
use arrow_schema::DataType;
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDict, PyList, PyString, PyTuple};
use pyo3_arrow::input::AnyRecordBatch;
use pyo3_arrow::{PyArray, PyTable};
use retention_core::events::CustomerId;
use retention_core::segments::rules::{
    rule_segments as core_rule_segments, Attributes, Field, Op, Predicate, RuleSegment, Value,
};
use retention_core::segments::tiers::{
    default_value_tiers, historic_value_tiers as core_historic, value_tiers as core_value_tiers,
    TierCut, ValueTier,
};
use retention_core::{Error, IssueKind, RowIssue};

use crate::arrow::{f64_vec, id_list, is_text, strict, to_f64, to_table};
use crate::errors::{column_type, to_py, CoreResult};
use crate::log::PySummaries;

fn cuts(tiers: Option<Vec<(String, f64)>>) -> Vec<TierCut> {
    match tiers {
        None => default_value_tiers(),
        Some(t) => t
            .into_iter()
            .map(|(name, top_share)| TierCut { name, top_share })
            .collect(),
    }
}

fn tiers_table(rows: &[ValueTier]) -> PyResult<PyTable> {
    to_table(rows)
}

/// Value tiers by historic CLV (net revenue), customers with orders, rank order.
#[pyfunction]
#[pyo3(signature = (summaries, tiers=None))]
pub fn historic_value_tiers(
    py: Python<'_>,
    summaries: &PySummaries,
    tiers: Option<Vec<(String, f64)>>,
) -> PyResult<PyTable> {
    let t = cuts(tiers);
    let rows = py.detach(|| core_historic(&summaries.summaries, &t)).py()?;
    tiers_table(&rows)
}

/// Value tiers from given `(customer, value)` columns, rank order.
#[pyfunction]
#[pyo3(signature = (customers, values, tiers=None))]
pub fn value_tiers(
    py: Python<'_>,
    customers: PyArray,
    values: PyArray,
    tiers: Option<Vec<(String, f64)>>,
) -> PyResult<PyTable> {
    let ids = id_list("customer_id", customers)?;
    let v = f64_vec("value", values)?;
    if ids.len() != v.len() {
        return Err(to_py(Error::LengthMismatch {
            field: "values",
            expected: ids.len(),
            actual: v.len(),
        }));
    }
    let t = cuts(tiers);
    let pairs: Vec<(CustomerId, f64)> = ids.into_iter().zip(v).collect();
    let rows = py.detach(|| core_value_tiers(&pairs, &t)).py()?;
    tiers_table(&rows)
}

fn field(name: &str, attributes: &BTreeSet<String>) -> PyResult<Field> {
    let names: Vec<&str> = attributes.iter().map(String::as_str).collect();
    Field::parse(name, &names).py()
}

fn value(v: &Bound<'_, PyAny>) -> PyResult<Value> {
    if v.is_instance_of::<PyBool>() {
        return Err(PyTypeError::new_err(
            "predicate value must be a number or a str, got bool",
        ));
    }
    if let Ok(s) = v.cast::<PyString>() {
        return Ok(Value::Text(s.to_string()));
    }
    v.extract::<f64>().map(Value::Num).map_err(|_| {
        PyTypeError::new_err(format!(
            "predicate value must be a number or a str, got {}",
            v.get_type()
                .name()
                .map(|n| n.to_string())
                .unwrap_or_default()
        ))
    })
}

fn comparison(
    f: &Bound<'_, PyAny>,
    o: &Bound<'_, PyAny>,
    v: &Bound<'_, PyAny>,
    attributes: &BTreeSet<String>,
) -> PyResult<Predicate> {
    let f: String = f
        .extract()
        .map_err(|_| PyTypeError::new_err("predicate field must be a str"))?;
    let o: String = o
        .extract()
        .map_err(|_| PyTypeError::new_err("predicate op must be a str"))?;
    let field = field(&f, attributes)?;
    if o == "in" {
        let items: Vec<Bound<'_, PyAny>> = v.extract().map_err(|_| {
            PyTypeError::new_err("the value of an `in` predicate must be a list of values")
        })?;
        let values = items.iter().map(value).collect::<PyResult<Vec<_>>>()?;
        return Ok(Predicate::In { field, values });
    }
    Ok(Predicate::Compare {
        field,
        op: o.parse::<Op>().py()?,
        value: value(v)?,
    })
}

/// A predicate from plain Python data (see the module docs).
fn predicate(obj: &Bound<'_, PyAny>, attributes: &BTreeSet<String>) -> PyResult<Predicate> {
    if obj.is_instance_of::<PyBool>() {
        return if obj.extract::<bool>()? {
            Ok(Predicate::Always)
        } else {
            Ok(Predicate::Not(Box::new(Predicate::Always)))
        };
    }
    if let Ok(s) = obj.cast::<PyString>() {
        if s.extract::<String>()? == "always" {
            return Ok(Predicate::Always);
        }
    }
    if let Ok(t) = obj.cast::<PyTuple>() {
        if t.len() == 3 {
            return comparison(
                &t.get_item(0)?,
                &t.get_item(1)?,
                &t.get_item(2)?,
                attributes,
            );
        }
    }
    if let Ok(l) = obj.cast::<PyList>() {
        if l.len() == 3 {
            return comparison(
                &l.get_item(0)?,
                &l.get_item(1)?,
                &l.get_item(2)?,
                attributes,
            );
        }
    }
    if let Ok(d) = obj.cast::<PyDict>() {
        if let (Some(f), Some(o), Some(v)) = (
            d.get_item("field")?,
            d.get_item("op")?,
            d.get_item("value")?,
        ) {
            if d.len() == 3 {
                return comparison(&f, &o, &v, attributes);
            }
        }
        if d.len() == 1 {
            let (k, v) = d.iter().next().expect("one item");
            let key: String = k.extract().unwrap_or_default();
            let many = |v: &Bound<'_, PyAny>| -> PyResult<Vec<Predicate>> {
                let items: Vec<Bound<'_, PyAny>> = v.extract().map_err(|_| {
                    PyTypeError::new_err(format!("`{key}` takes a list of predicates"))
                })?;
                items.iter().map(|p| predicate(p, attributes)).collect()
            };
            match key.as_str() {
                "and" | "all" => return Ok(Predicate::And(many(&v)?)),
                "or" | "any" => return Ok(Predicate::Or(many(&v)?)),
                "not" => return Ok(Predicate::Not(Box::new(predicate(&v, attributes)?))),
                _ => {}
            }
        }
    }
    Err(PyTypeError::new_err(format!(
        "cannot read a predicate from {}: expected (field, op, value), \
         {{\"field\", \"op\", \"value\"}}, {{\"and\": [...]}}, {{\"or\": [...]}}, {{\"not\": p}} or True",
        obj.repr().map(|r| r.to_string()).unwrap_or_default()
    )))
}

/// Customer attributes from a table with a `customer_id` column; nulls are unset.
fn attributes(data: Option<AnyRecordBatch>) -> PyResult<(Attributes, BTreeSet<String>)> {
    let mut out = Attributes::new();
    let mut names = BTreeSet::new();
    let Some(data) = data else {
        return Ok((out, names));
    };
    let (batches, schema) = data.into_table()?.into_inner();
    let id_pos = schema.index_of("customer_id").map_err(|_| {
        to_py(Error::InvalidParameter {
            name: "attributes",
            value: "customer_id".into(),
            reason: "the attributes table needs a customer_id column",
        })
    })?;
    for f in schema.fields() {
        if f.name() != "customer_id" {
            names.insert(f.name().clone());
        }
    }
    let mut issues: Vec<RowIssue> = Vec::new();
    let mut offset = 0;
    for batch in &batches {
        let owned = crate::cells::customer_ids("customer_id", batch.column(id_pos))?;
        let views = owned.views();
        let ids = match owned.cells(&views).customer_ids("customer_id") {
            Ok(ids) => ids,
            Err(Error::InvalidRows { issues: found }) => {
                issues.extend(found.into_iter().map(|mut i| {
                    i.row += offset;
                    i
                }));
                vec![CustomerId::Int(0); batch.num_rows()]
            }
            Err(e) => return Err(to_py(e)),
        };
        for (k, f) in schema.fields().iter().enumerate() {
            if k == id_pos {
                continue;
            }
            let col = batch.column(k);
            let dt = col.data_type();
            let vals: Vec<Option<Value>> = if is_text(dt) || matches!(dt, DataType::Dictionary(..))
            {
                let a = arrow_cast::cast_with_options(col, &DataType::Utf8, &strict())
                    .map_err(|e| PyTypeError::new_err(e.to_string()))?;
                a.as_string::<i32>()
                    .iter()
                    .map(|s| s.map(|s| Value::Text(s.to_owned())))
                    .collect()
            } else if dt.is_numeric() || matches!(dt, DataType::Null) {
                let a = to_f64(f.name(), f.name(), col)?;
                let a = a.as_primitive::<Float64Type>();
                (0..a.len())
                    .map(|i| {
                        let v = a.value(i);
                        if a.is_null(i) || v.is_nan() {
                            None
                        } else {
                            if !v.is_finite() {
                                issues.push(RowIssue::new(
                                    offset + i,
                                    "attributes",
                                    v,
                                    IssueKind::NotFinite,
                                ));
                            }
                            Some(Value::Num(v))
                        }
                    })
                    .collect()
            } else {
                return Err(column_type("attributes", f.name(), dt, "numbers or text"));
            };
            for (id, v) in ids.iter().zip(vals) {
                if let Some(v) = v {
                    out.entry(id.clone())
                        .or_default()
                        .insert(f.name().clone(), v);
                }
            }
        }
        offset += batch.num_rows();
    }
    if !issues.is_empty() {
        return Err(to_py(Error::InvalidRows { issues }));
    }
    Ok((out, names))
}

/// For each customer, every matching segment and the first one in table order.
#[pyfunction]
#[pyo3(signature = (summaries, as_of, segments, attributes=None))]
pub fn rule_segments(
    py: Python<'_>,
    summaries: &PySummaries,
    as_of: i64,
    segments: Vec<(String, Bound<'_, PyAny>)>,
    attributes: Option<AnyRecordBatch>,
) -> PyResult<PyTable> {
    let (attrs, names) = self::attributes(attributes)?;
    let segs = segments
        .iter()
        .map(|(name, p)| {
            Ok(RuleSegment {
                name: name.clone(),
                predicate: predicate(p, &names)?,
            })
        })
        .collect::<PyResult<Vec<_>>>()?;
    let rows = py
        .detach(|| core_rule_segments(summaries.summaries.iter(), &attrs, &segs, as_of))
        .py()?;
    to_table(&rows[..])
}
