//! WebAssembly bindings for `retention-core`, packaged for npm.
//!
//! The crate is deliberately thin: every export converts its JS arguments,
//! calls one core function and converts the result or maps the error (in
//! [`error`], the single place where core errors become JS `Error` objects).
//! The npm package's hand-written ESM wrapper (`js/index.js`) turns plain
//! objects and typed arrays into the raw columns taken here, accepts `Date`s
//! and ISO strings for instants, and gives errors the `RetentionError`
//! prototype.
//!
//! Nothing here panics on any JS input: wrong types and shapes become
//! `invalid_input` errors, everything else is validated by the core.
//!
//! Two modules are built from this crate: the storefront module (default
//! features; the package's main entry, held to 300 KiB gzipped) and the
//! merchant-dashboard module (feature `dashboard`: everything in the
//! storefront module plus the analytics exports of `dashboard`, entry
//! `retention-wasm/dashboard`).

use wasm_bindgen::prelude::*;

pub mod api;
pub mod cohorts;
pub mod convert;
#[cfg(feature = "dashboard")]
pub mod dashboard;
pub mod error;
pub mod log;
pub mod metrics;
pub mod models;
pub mod predictions;
pub mod table;

/// Version of the package.
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}

/// Event type names, in the order of the numeric codes taken by the raw
/// column constructor.
#[wasm_bindgen(js_name = eventTypes)]
pub fn event_types() -> Vec<String> {
    retention_core::events::EventType::ALL
        .iter()
        .map(|t| t.as_str().to_owned())
        .collect()
}

/// Every vocabulary of the core with its codes, as `[name, codes]` pairs
/// (the codes every option takes and every result is spelled with).
#[wasm_bindgen]
pub fn vocabulary() -> error::JsResult<JsValue> {
    convert::to_js(&retention_core::vocab::vocabulary())
}

/// Every option struct's default as the core defines it (snake_case keys;
/// the wrapper turns them into camelCase).
#[wasm_bindgen]
pub fn defaults() -> error::JsResult<JsValue> {
    convert::to_js(&retention_core::defaults::Defaults::default())
}

/// Milliseconds since the epoch of ISO 8601 text, by the core's one rule
/// (`retention_core::time::parse_instant`: a date-time without an offset is
/// UTC); `NaN` when the text is not an instant.
#[wasm_bindgen(js_name = parseInstant)]
pub fn parse_instant(text: &str) -> f64 {
    retention_core::time::parse_instant(text).map_or(f64::NAN, convert::millis)
}
