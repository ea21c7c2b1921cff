//! Columnar input ([`EventColumns`], [`CustomerColumn`]) and log options
//! ([`LogOptions`], [`DuplicatePolicy`]).

use super::EventType;
use crate::time::Micros;

crate::vocab::codes! {
    /// What to do with exact duplicate rows (see the module docs).
    #[derive(Default)]
    pub enum DuplicatePolicy as "duplicate_policy" {
        /// Keep every row (default).
        #[default]
        Keep = "keep",
        /// Keep the first of each group of identical rows; count the others.
        Drop = "drop",
        /// Reject the input, naming each repeated row and its first occurrence.
        Reject = "reject",
    }
}

/// Options for building an [`EventLog`](super::EventLog).
#[derive(Debug, Clone, Copy, PartialEq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(default, deny_unknown_fields))]
pub struct LogOptions {
    /// Duplicate handling.
    pub duplicates: DuplicatePolicy,
    /// Threads to group rows with (0 or 1: the calling thread only). The log
    /// is the same for any count; logs under 2^17 rows, and every log on wasm,
    /// use the calling thread.
    pub threads: usize,
}

/// The customer column of columnar input.
#[derive(Debug, Clone, Copy)]
pub enum CustomerColumn<'a> {
    /// Integer ids.
    Int(&'a [i64]),
    /// String ids.
    Str(&'a [&'a str]),
}

impl CustomerColumn<'_> {
    pub(super) fn len(&self) -> usize {
        match self {
            CustomerColumn::Int(v) => v.len(),
            CustomerColumn::Str(v) => v.len(),
        }
    }
}

/// Columnar input: one slice per field, all of the same length.
///
/// Only `customer` and `timestamp` are required. A missing `kind` column means
/// every row is an order. Missing numeric values are `NaN`, missing optional
/// values are `None`. Field meaning per kind:
///
/// | kind | amount | items | score | detail | resolved |
/// |---|---|---|---|---|---|
/// | order | value (required) | optional | – | – | – |
/// | refund | value (required) | – | – | – | – |
/// | support_ticket | – | – | – | severity (required) | required |
/// | survey | – | – | answer (required) | survey kind (required) | – |
/// | referral | – | – | – | referred id (required) | – |
/// | subscription | signed MRR change (required) | – | – | change kind (required) | – |
/// | points_earned / points_redeemed | points (required) | – | – | – | – |
/// | signup, session, email_open, email_click | – | – | – | – | – |
#[derive(Debug, Clone, Copy)]
pub struct EventColumns<'a> {
    /// Customer ids.
    pub customer: CustomerColumn<'a>,
    /// Instants in microseconds since the Unix epoch (UTC).
    pub timestamp: &'a [Micros],
    /// Event types; `None` means every row is an order.
    pub kind: Option<&'a [EventType]>,
    /// Money amount / signed MRR change / points.
    pub amount: Option<&'a [f64]>,
    /// Order item counts.
    pub items: Option<&'a [Option<u32>]>,
    /// Survey answers.
    pub score: Option<&'a [f64]>,
    /// Sub-kind or referred id, as text.
    pub detail: Option<&'a [Option<&'a str>]>,
    /// Ticket resolution flags.
    pub resolved: Option<&'a [Option<bool>]>,
}

impl<'a> EventColumns<'a> {
    /// Orders only: customers, instants and amounts.
    pub fn orders(
        customer: CustomerColumn<'a>,
        timestamp: &'a [Micros],
        amount: &'a [f64],
    ) -> Self {
        EventColumns {
            customer,
            timestamp,
            kind: None,
            amount: Some(amount),
            items: None,
            score: None,
            detail: None,
            resolved: None,
        }
    }
}
