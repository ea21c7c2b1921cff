//! Results as Python dicts, converted generically from the core's serde
//! shape (`pythonize`): the keys are the core's field names, ratios
//! included, so a field added to a core result appears here unchanged; and
//! option dicts read into the core's option structs the same way
//! (`depythonize`), their defaults and key names the core's.

use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};
use pythonize::{depythonize, pythonize};
use retention_core::Error;
use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::errors::to_py;

/// A core result struct as a Python dict.
pub fn to_dict<'py, T: Serialize>(py: Python<'py>, value: &T) -> PyResult<Bound<'py, PyDict>> {
    Ok(pythonize(py, value)?.cast_into::<PyDict>()?)
}

/// A list of core result structs as a Python list of dicts.
pub fn to_list<'py, T: Serialize>(py: Python<'py>, values: &[T]) -> PyResult<Bound<'py, PyList>> {
    Ok(pythonize(py, values)?.cast_into::<PyList>()?)
}

/// A core option struct from a Python dict (keys the struct's fields, any
/// left out keeping the core's default). An unknown key is an
/// `InvalidParameterError` naming `what`, a wrong code an
/// `UnknownCodeError`, a value of the wrong type a `TypeError`.
pub fn from_dict<T: DeserializeOwned>(what: &'static str, dict: &Bound<'_, PyAny>) -> PyResult<T> {
    depythonize::<T>(dict).map_err(|e| {
        let message = e.to_string();
        if let Some(unknown) = retention_core::vocab::unknown_code_in(&message) {
            to_py(unknown)
        } else if message.starts_with("unknown field") {
            to_py(Error::InvalidParameter {
                name: what,
                value: message,
                reason: "not a key of this configuration",
            })
        } else {
            pyo3::exceptions::PyTypeError::new_err(format!("`{what}`: {message}"))
        }
    })
}

/// [`from_dict`] for an optional dict: the core's defaults when absent.
pub fn option_dict<T: DeserializeOwned + Default>(
    what: &'static str,
    dict: Option<&Bound<'_, PyDict>>,
) -> PyResult<T> {
    dict.map_or_else(|| Ok(T::default()), |d| from_dict(what, d.as_any()))
}
