//! The one place where core [`Error`] variants become Python exceptions.
//!
//! The exception classes are defined in `retention/errors.py` (so that they are
//! ordinary, picklable, typed Python classes); this module instantiates them
//! with keyword arguments carrying the variant's structured fields.

use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};
use retention_core::{Error, IssueKind, RowIssue};

/// Snake-case tag of an issue kind (stable, for programmatic use).
fn issue_kind_name(kind: &IssueKind) -> &'static str {
    match kind {
        IssueKind::NotFinite => "not_finite",
        IssueKind::Negative => "negative",
        IssueKind::OutOfRange { .. } => "out_of_range",
        IssueKind::NotInteger => "not_integer",
        IssueKind::Missing => "missing",
        IssueKind::Unparseable { .. } => "unparseable",
        IssueKind::UnknownKind => "unknown_kind",
        IssueKind::AfterAsOf => "after_as_of",
        IssueKind::Duplicate { .. } => "duplicate",
        IssueKind::NotApplicable => "not_applicable",
        _ => "other",
    }
}

fn issue_dict<'py>(py: Python<'py>, issue: &RowIssue) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    d.set_item("row", issue.row)?;
    d.set_item("field", issue.field)?;
    d.set_item("value", &issue.value)?;
    d.set_item("reason", issue.kind.to_string())?;
    d.set_item("kind", issue_kind_name(&issue.kind))?;
    Ok(d)
}

fn build(py: Python<'_>, err: &Error) -> PyResult<PyErr> {
    let module = py.import("retention.errors")?;
    let kwargs = PyDict::new(py);
    let class = match err {
        Error::InvalidRows { issues } => {
            let list = PyList::empty(py);
            for issue in issues {
                list.append(issue_dict(py, issue)?)?;
            }
            kwargs.set_item("issues", list)?;
            "InvalidRowsError"
        }
        Error::LengthMismatch {
            field,
            expected,
            actual,
        } => {
            kwargs.set_item("field", field)?;
            kwargs.set_item("expected", expected)?;
            kwargs.set_item("actual", actual)?;
            "LengthMismatchError"
        }
        Error::EmptyInput { what } => {
            kwargs.set_item("what", what)?;
            "EmptyInputError"
        }
        Error::InvalidParameter {
            name,
            value,
            reason,
        } => {
            kwargs.set_item("name", name)?;
            kwargs.set_item("value", value)?;
            kwargs.set_item("reason", reason)?;
            "InvalidParameterError"
        }
        Error::UnknownCustomer { customer } => {
            kwargs.set_item("customer", customer)?;
            "UnknownCustomerError"
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
            "InsufficientPointsError"
        }
        Error::SingularMatrix { what, index } => {
            kwargs.set_item("what", what)?;
            kwargs.set_item("index", index)?;
            "SingularMatrixError"
        }
        Error::NotConverged {
            what,
            iterations,
            last_step,
        } => {
            kwargs.set_item("what", what)?;
            kwargs.set_item("iterations", iterations)?;
            kwargs.set_item("last_step", last_step)?;
            "NotConvergedError"
        }
        Error::FitNotConverged { model, attempts } => {
            kwargs.set_item("model", model)?;
            let texts: Vec<String> = attempts.iter().map(ToString::to_string).collect();
            kwargs.set_item("attempts", texts)?;
            "FitNotConvergedError"
        }
        Error::NonFiniteResult { what, row } => {
            kwargs.set_item("what", what)?;
            kwargs.set_item("row", row)?;
            "NonFiniteResultError"
        }
        // Variants added to the core later surface as the base class until
        // they get their own subclass here.
        _ => "RetentionError",
    };
    let instance = module
        .getattr(class)?
        .call((err.to_string(),), Some(&kwargs))?;
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

/// An [`Error::InvalidParameter`] raised from the bindings (option names
/// spelled as text, for instance an unknown period name).
pub fn parameter(name: &'static str, value: &str, reason: &'static str) -> PyErr {
    to_py(Error::InvalidParameter {
        name,
        value: format!("{value:?}"),
        reason,
    })
}

/// A `TypeError` for a column whose Arrow type cannot hold the field.
pub fn column_type(field: &str, column: &str, found: &impl std::fmt::Display, want: &str) -> PyErr {
    PyTypeError::new_err(format!(
        "column `{column}` (field `{field}`) has type {found}; expected {want}"
    ))
}
