//! WebAssembly bindings for `retention-core`.
use wasm_bindgen::prelude::*;

/// Version of the package.
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}
