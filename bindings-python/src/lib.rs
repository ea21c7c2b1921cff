//! Python bindings for `retention-core` (module `retention._retention`).
use pyo3::prelude::*;

/// The compiled extension module.
#[pymodule]
fn _retention(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
