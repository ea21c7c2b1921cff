//! Results as Python dicts, converted generically from the core's serde
//! shape (`pythonize`): the keys are the core's field names, ratios
//! included, so a field added to a core result appears here unchanged.

use pyo3::prelude::*;
use pyo3::types::PyDict;
use pythonize::pythonize;
use serde::Serialize;

/// A core result struct as a Python dict.
pub fn to_dict<'py, T: Serialize>(py: Python<'py>, value: &T) -> PyResult<Bound<'py, PyDict>> {
    Ok(pythonize(py, value)?.cast_into::<PyDict>()?)
}
