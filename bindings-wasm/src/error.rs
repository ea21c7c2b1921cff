//! The one place where errors become JavaScript `Error` objects.
//!
//! Every failure crosses the boundary as a JS `Error` whose `name` is
//! `"RetentionError"`, with a snake_case `code` (the core's
//! [`Error::code`](retention_core::Error::code), or `invalid_input` for
//! values of the wrong JS type) and the structured fields
//! of the core error: `field`, `row`, `value` and, for invalid rows, `issues`.
//! The package's JS wrapper gives these objects the `RetentionError`
//! prototype; they are already `instanceof Error` here.

use js_sys::{Array, Object, Reflect};
use retention_core::{Error, RowIssue};
use wasm_bindgen::JsValue;

/// Result of every exported function.
pub type JsResult<T> = Result<T, JsValue>;

fn set(target: &Object, key: &str, value: impl Into<JsValue>) {
    // Setting a property on a fresh plain object cannot fail.
    let _ = Reflect::set(target, &JsValue::from_str(key), &value.into());
}

fn error_object(code: &str, message: &str) -> js_sys::Error {
    let e = js_sys::Error::new(message);
    e.set_name("RetentionError");
    set(&e, "code", code);
    set(&e, "field", JsValue::NULL);
    set(&e, "row", JsValue::NULL);
    set(&e, "value", JsValue::NULL);
    set(&e, "issues", Array::new());
    e
}

fn issue_object(issue: &RowIssue) -> Object {
    let o = Object::new();
    set(&o, "row", issue.row as f64);
    set(&o, "field", issue.field);
    set(&o, "value", issue.value.as_str());
    set(&o, "kind", issue.kind.code().as_str());
    set(&o, "message", issue.to_string());
    o
}

/// Maps a core error to a `RetentionError`-named JS `Error`.
pub fn to_js(err: &Error) -> JsValue {
    let message = err.to_string();
    let (field, row, value): (Option<&str>, Option<usize>, Option<String>) = match err {
        Error::InvalidRows { issues } => {
            let first = issues.first();
            (
                first.map(|i| i.field),
                first.map(|i| i.row),
                first.map(|i| i.value.clone()),
            )
        }
        Error::LengthMismatch { field, actual, .. } => {
            (Some(field), None, Some(actual.to_string()))
        }
        Error::EmptyInput { what } => (Some(what), None, None),
        Error::InvalidParameter { name, value, .. } | Error::UnknownCode { name, value, .. } => {
            (Some(name), None, Some(value.clone()))
        }
        Error::UnknownCustomer { customer } => (Some("customer"), None, Some(customer.clone())),
        Error::InsufficientPoints { row, requested, .. } => {
            (Some("points"), *row, Some(requested.to_string()))
        }
        Error::SingularMatrix { what, index } => (Some(what), Some(*index), None),
        Error::NotConverged { what, .. } => (Some(what), None, None),
        Error::FitNotConverged { model, .. } => (Some(model), None, None),
        Error::NonFiniteResult { what, row } => (Some(what), *row, None),
        _ => (None, None, None),
    };
    let code = err.code().as_str();
    let e = error_object(code, &message);
    if let Some(f) = field {
        set(&e, "field", f);
    }
    if let Some(r) = row {
        set(&e, "row", r as f64);
    }
    if let Some(v) = value {
        set(&e, "value", v);
    }
    if let Error::InvalidRows { issues } = err {
        let list: Array = issues.iter().map(issue_object).collect();
        set(&e, "issues", list);
    }
    if let Error::UnknownCode { accepted, .. } = err {
        let list: Array = accepted.iter().map(|c| JsValue::from_str(c)).collect();
        set(&e, "accepted", list);
    }
    e.into()
}

/// A value of the wrong JS type or shape, caught at the boundary.
pub fn invalid_input(field: &str, message: impl std::fmt::Display) -> JsValue {
    let e = error_object("invalid_input", &format!("invalid `{field}`: {message}"));
    set(&e, "field", field);
    e.into()
}

/// `?`-friendly conversion of core results.
pub trait OrThrow<T> {
    /// Maps the error with [`to_js`].
    fn or_throw(self) -> JsResult<T>;
}

impl<T> OrThrow<T> for retention_core::Result<T> {
    fn or_throw(self) -> JsResult<T> {
        self.map_err(|e| to_js(&e))
    }
}
