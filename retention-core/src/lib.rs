//! Customer-retention analytics in pure Rust.
#![forbid(unsafe_code)]
#![deny(missing_docs)]

pub mod csv_input;
pub mod error;
pub mod events;
pub mod sample;
pub mod summary;
pub mod time;

pub use error::{Error, IssueKind, Result, RowIssue};
