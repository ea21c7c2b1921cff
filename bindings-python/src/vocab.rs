//! The core's vocabulary and defaults, as Python data (for introspection,
//! the stubs' tests and the `Literal` types).

use pyo3::prelude::*;
use pythonize::pythonize;
use retention_core::defaults::Defaults;
use retention_core::vocab::vocabulary as core_vocabulary;

/// Every vocabulary of the core with its codes: `{name: [code, …]}`.
#[pyfunction]
pub fn vocabulary(py: Python<'_>) -> PyResult<Bound<'_, PyAny>> {
    let map: std::collections::BTreeMap<&str, &[&str]> = core_vocabulary().into_iter().collect();
    Ok(pythonize(py, &map)?)
}

/// Every option struct's default, keyed like the core's fields:
/// `{"cohort": {"mode": "return_on", …}, …}`.
#[pyfunction]
pub fn defaults(py: Python<'_>) -> PyResult<Bound<'_, PyAny>> {
    let d = Defaults::default();
    let out = pythonize(py, &d)?;
    // The core's serde writes instants as RFC 3339 text; this door shows
    // the default instants as µs integers, as its functions take them.
    for (group, key, micros) in [
        ("rfm", "as_of", d.rfm.as_of),
        (
            "model_input",
            "observation_end",
            d.model_input.observation_end,
        ),
        ("sample", "start", d.sample.start),
        ("sample", "as_of", d.sample.as_of),
    ] {
        out.get_item(group)?.set_item(key, micros)?;
    }
    Ok(out)
}
