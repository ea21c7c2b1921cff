//! The one place where core [`Error`] variants become Python exceptions.
//!
//! The exception classes are defined in `retention/errors.py` (so that they are
//! ordinary, picklable, typed Python classes); this module instantiates them
//! with keyword arguments carrying the variant's structured fields.

use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::pybacked::PyBackedStr;
use pyo3::types::{PyDict, PyList};
use retention_core::{Code, Error, RowIssue};

fn issue_dict<'py>(py: Python<'py>, issue: &RowIssue) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    d.set_item("row", issue.row)?;
    d.set_item("field", issue.field)?;
    d.set_item("value", &issue.value)?;
    d.set_item("reason", issue.kind.to_string())?;
    d.set_item("kind", issue.kind.code().as_str())?;
    Ok(d)
}

/// The exception class of an error code: `invalid_rows` → `InvalidRowsError`.
pub fn class_name(code: &str) -> String {
    let mut name: String = code
        .split('_')
        .map(|w| {
            let mut c = w.chars();
            c.next()
                .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
                .unwrap_or_default()
        })
        .collect();
    name.push_str("Error");
    name
}

fn build(py: Python<'_>, err: &Error) -> PyResult<PyErr> {
    let module = py.import("retention.errors")?;
    let kwargs = PyDict::new(py);
    match err {
        Error::InvalidRows { issues } => {
            let list = PyList::empty(py);
            for issue in issues {
                list.append(issue_dict(py, issue)?)?;
            }
            kwargs.set_item("issues", list)?;
        }
        Error::UnknownCode {
            name,
            value,
            accepted,
        } => {
            kwargs.set_item("name", name)?;
            kwargs.set_item("value", value)?;
            let listed: Vec<String> = accepted.iter().map(|c| format!("{c:?}")).collect();
            kwargs.set_item("reason", format!("expected one of {}", listed.join(", ")))?;
            kwargs.set_item("accepted", accepted.to_vec())?;
        }
        Error::LengthMismatch {
            field,
            expected,
            actual,
        } => {
            kwargs.set_item("field", field)?;
            kwargs.set_item("expected", expected)?;
            kwargs.set_item("actual", actual)?;
        }
        Error::EmptyInput { what } => {
            kwargs.set_item("what", what)?;
        }
        Error::InvalidParameter {
            name,
            value,
            reason,
        } => {
            kwargs.set_item("name", name)?;
            kwargs.set_item("value", value)?;
            kwargs.set_item("reason", reason)?;
        }
        Error::UnknownCustomer { customer } => {
            kwargs.set_item("customer", customer)?;
        }
        Error::InsufficientPoints {
            customer,
            row,
            requested,
            available,
        } => {
            kwargs.set_item("customer", customer)?;
            kwargs.set_item("row", row)?;
            kwargs.set_item("requested", requested)?;
            kwargs.set_item("available", available)?;
        }
        Error::SingularMatrix { what, index } => {
            kwargs.set_item("what", what)?;
            kwargs.set_item("index", index)?;
        }
        Error::NotConverged {
            what,
            iterations,
            last_step,
        } => {
            kwargs.set_item("what", what)?;
            kwargs.set_item("iterations", iterations)?;
            kwargs.set_item("last_step", last_step)?;
        }
        Error::FitNotConverged { model, attempts } => {
            kwargs.set_item("model", model)?;
            let texts: Vec<String> = attempts.iter().map(ToString::to_string).collect();
            kwargs.set_item("attempts", texts)?;
        }
        Error::NonFiniteResult { what, row } => {
            kwargs.set_item("what", what)?;
            kwargs.set_item("row", row)?;
        }
        // Variants added to the core later carry their message only.
        _ => {}
    }
    // The class named after the error's code; the base class for a code
    // that has no class of its own yet.
    let class = module
        .getattr(class_name(err.code().as_str()))
        .or_else(|_| module.getattr("RetentionError"))?;
    let instance = class.call((err.to_string(),), Some(&kwargs))?;
    Ok(PyErr::from_value(instance))
}

/// Converts a core error into the matching `retention.errors` exception.
pub fn to_py(err: Error) -> PyErr {
    Python::attach(|py| build(py, &err).unwrap_or_else(|e| e))
}

/// Extension trait: `core_result.py()?` maps the error.
pub trait CoreResult<T> {
    /// Maps a core error to its Python exception.
    fn py(self) -> PyResult<T>;
}

impl<T> CoreResult<T> for retention_core::Result<T> {
    fn py(self) -> PyResult<T> {
        self.map_err(to_py)
    }
}

/// A code of a core vocabulary read from a Python `str` (see
/// `retention_core::vocab`): an unknown one raises `UnknownCodeError`
/// listing the accepted codes, a non-string a `TypeError`.
pub struct Coded<T>(pub T);

impl<'a, 'py, T: Code> FromPyObject<'a, 'py> for Coded<T> {
    type Error = PyErr;

    fn extract(obj: Borrowed<'a, 'py, PyAny>) -> PyResult<Self> {
        let text: PyBackedStr = obj.extract().map_err(|_| {
            PyTypeError::new_err(format!(
                "a {} must be a str, one of {:?}",
                T::NAME,
                T::CODES
            ))
        })?;
        T::parse_code(&text).map(Coded).map_err(to_py)
    }
}

/// The value of an optional code argument: the core's default when absent.
pub fn coded<T: Code + Default>(value: Option<Coded<T>>) -> T {
    value.map_or_else(T::default, |c| c.0)
}

/// A `TypeError` for a column whose Arrow type cannot hold the field.
pub fn column_type(field: &str, column: &str, found: &impl std::fmt::Display, want: &str) -> PyErr {
    PyTypeError::new_err(format!(
        "column `{column}` (field `{field}`) has type {found}; expected {want}"
    ))
}
