//! Exports of the merchant-dashboard module only (cargo feature
//! `dashboard`; npm entry `retention-wasm/dashboard`).
//!
//! The storefront module is downloaded by every shopper and held to
//! 300 KiB gzipped; analytics that only a merchant's dashboard runs (model
//! fits with covariates, evaluation tables that link every model's
//! purchase-count distribution, and the like) go here instead. The
//! dashboard module holds every storefront export as well, so a page loads
//! one of the two.
//!
//! Adding an export: a `#[wasm_bindgen]` function in a file of this module
//! (converting its arguments, calling one core function, mapping the
//! error, like every export), its JS wrapper in `js/dashboard/index.js`
//! (built on the storefront wrapper's shared helpers), its declaration in
//! `js/dashboard/index.d.ts`, a node test importing
//! `retention-wasm/dashboard`, and a typed use in `tests/dashboard_usage.ts`.

pub mod cohorts;
pub mod contractual;
pub mod covariates;
pub mod evaluation;
pub mod holdout;
pub mod lifecycle;
