//! Customer-retention analytics in pure Rust.
#![forbid(unsafe_code)]
#![deny(missing_docs)]

pub mod error;
pub mod models;
pub mod time;

pub use error::{Error, IssueKind, Result, RowIssue};
