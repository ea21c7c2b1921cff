//! Customers, events and the validated, columnar [`EventLog`].
//!
//! An [`Event`] is `(customer, timestamp, kind)`. Logs are built either from
//! rows ([`EventLog::from_events`]) or from columns ([`EventLog::from_columns`],
//! the fast path used by the bindings and by CSV input). Both paths validate
//! every row and report *all* bad rows in one [`Error::InvalidRows`], each
//! with its row index, field, value and reason. Nothing is dropped or clamped
//! silently.
//!
//! Validation rules (row-level):
//!
//! * order and refund `amount`, loyalty `points`: finite, `≥ 0`, at most
//!   [`MAX_AMOUNT`];
//! * subscription `mrr_delta`: finite, non-zero, `|Δ| ≤ MAX_AMOUNT`, positive for
//!   `New`/`Expansion`/`Reactivation`, negative for `Contraction`/`Churn`;
//! * survey `score`: finite and a whole number in `0..=10` (the metric that
//!   consumes an answer checks it against its own scale);
//! * fields that do not apply to a row's kind must be absent (or `0` for the
//!   numeric `amount` column, which pandas users often fill with zeros).
//!
//! # Duplicates
//!
//! Two rows are *exact duplicates* when customer, timestamp, kind and every
//! payload field are equal. [`DuplicatePolicy`] decides what happens:
//! `Keep` (default: two identical orders at the same instant can be genuine),
//! `Drop` (keep the first, drop the rest, and count them in
//! [`EventLog::duplicates_dropped`]), or `Reject` (an [`IssueKind::Duplicate`]
//! issue per repeated row, naming the first occurrence).
//!
//! # Layout
//!
//! The log is a structure of arrays ordered by customer, then timestamp, then
//! input row. Customers are interned: [`EventLog::customers`] is the sorted
//! list of distinct ids (integers before strings), and the events of the
//! customer at dense index `c` occupy the index range
//! [`EventLog::customer_range`]`(c)`. Money is kept as `f64` in the log; the
//! summaries convert to exact fixed-point (see [`crate::summary`]).
//!
//! [`Error::InvalidRows`]: crate::Error::InvalidRows
//! [`IssueKind::Duplicate`]: crate::IssueKind::Duplicate

mod cells;
mod columns;
mod dedup;
mod group;
mod ids;
mod kinds;
mod log;
mod properties;
pub mod raw;
mod validation;

pub use cells::{CellKind, Cells, Coded, InstantUnit, Mixed, NO_CODE};
pub use columns::{CustomerColumn, DuplicatePolicy, EventColumns, LogOptions};
pub use ids::CustomerId;
pub(crate) use ids::{intern_ints, intern_strs};
pub use kinds::{Event, EventKind, EventType, Severity, SubscriptionChange, SurveyKind};
pub use log::{EventLog, EventRef};
pub use properties::{Properties, PropertyColumn, MAX_PROPERTY_KEY};
pub use raw::RawEvents;
pub use validation::MAX_AMOUNT;
