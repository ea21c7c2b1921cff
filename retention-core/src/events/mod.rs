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

use std::fmt;
use std::ops::Range;
use std::str::FromStr;

use chrono::{DateTime, Utc};

use crate::error::{check_len, check_non_negative, Error, IssueKind, Issues, Result, RowIssue};
use crate::time::{from_micros, to_micros, Micros};

mod group;

/// Largest accepted money (or points) amount for one event: 10¹².
///
/// Keeps every sum exactly representable in the summaries' fixed-point money.
pub const MAX_AMOUNT: f64 = 1e12;

/// A customer identifier, as the caller has it: an integer or a string.
///
/// Ordering puts every integer before every string; integers compare
/// numerically and strings lexicographically (bytewise).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(untagged))]
pub enum CustomerId {
    /// Integer id.
    Int(i64),
    /// String id.
    Str(String),
}

impl fmt::Display for CustomerId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CustomerId::Int(i) => write!(f, "{i}"),
            CustomerId::Str(s) => f.write_str(s),
        }
    }
}

impl From<i64> for CustomerId {
    fn from(v: i64) -> Self {
        CustomerId::Int(v)
    }
}

impl From<&str> for CustomerId {
    fn from(v: &str) -> Self {
        CustomerId::Str(v.to_owned())
    }
}

impl From<String> for CustomerId {
    fn from(v: String) -> Self {
        CustomerId::Str(v)
    }
}

/// The value at `index` of a code enum's `ALL` (the first for an
/// out-of-range index, which the log's own encoding never produces).
fn from_index<T: Copy>(all: &[T], index: u32) -> T {
    all.get(index as usize).copied().unwrap_or(all[0])
}

crate::vocab::codes! {
    /// Severity of a support ticket.
    pub enum Severity as "severity" {
        /// Minor issue.
        Minor = "minor",
        /// Major issue.
        Major = "major",
        /// Critical issue (or a formal complaint): turns the churn traffic light red while open.
        Critical = "critical",
    }
}

crate::vocab::codes! {
    /// Which survey question an answer belongs to.
    pub enum SurveyKind as "survey_kind" {
        /// Net Promoter Score question, 0–10.
        Nps = "nps",
        /// Customer satisfaction, 1..=scale (default 5).
        Csat = "csat",
        /// Customer effort score, 1..=number of options.
        Ces = "ces",
        /// Loyalty index question "how likely to recommend", 0–10.
        LoyaltyRecommend = "loyalty_recommend",
        /// Loyalty index question "how likely to buy again", 0–10.
        LoyaltyRepurchase = "loyalty_repurchase",
        /// Loyalty index question "how likely to try other products", 0–10.
        LoyaltyOtherProducts = "loyalty_other_products",
    }
}

crate::vocab::codes! {
    /// Kind of a subscription MRR movement.
    pub enum SubscriptionChange as "subscription_change" {
        /// A new subscriber (`mrr_delta > 0`).
        New = "new",
        /// An existing subscriber pays more (`mrr_delta > 0`).
        Expansion = "expansion",
        /// An existing subscriber pays less (`mrr_delta < 0`).
        Contraction = "contraction",
        /// A subscriber cancels (`mrr_delta < 0`, down to zero MRR).
        Churn = "churn",
        /// A former subscriber comes back (`mrr_delta > 0`).
        Reactivation = "reactivation",
    }
}

crate::vocab::codes! {
    /// The kind of an event without its payload (the `event` column).
    pub enum EventType as "event_type" {
        /// Account creation.
        Signup = "signup",
        /// A purchase.
        Order = "order",
        /// Money returned to the customer.
        Refund = "refund",
        /// A visit / session.
        Session = "session",
        /// A marketing email was opened.
        EmailOpen = "email_open",
        /// A link in a marketing email was clicked.
        EmailClick = "email_click",
        /// A support ticket was opened or resolved.
        SupportTicket = "support_ticket",
        /// A survey answer.
        Survey = "survey",
        /// The customer referred somebody.
        Referral = "referral",
        /// A subscription MRR movement.
        Subscription = "subscription",
        /// Loyalty points credited.
        PointsEarned = "points_earned",
        /// Loyalty points spent.
        PointsRedeemed = "points_redeemed",
    }
}

/// What happened, with its payload.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(tag = "type", rename_all = "snake_case"))]
pub enum EventKind {
    /// Account creation.
    Signup,
    /// A purchase of `amount` (≥ 0) in account currency, optionally with an item count.
    Order {
        /// Order value.
        amount: f64,
        /// Number of items, when known.
        items: Option<u32>,
    },
    /// A refund of `amount` (≥ 0).
    Refund {
        /// Refunded value.
        amount: f64,
    },
    /// A visit.
    Session,
    /// A marketing email opened.
    EmailOpen,
    /// A marketing email clicked.
    EmailClick,
    /// A support ticket event: `resolved: false` records a ticket being opened,
    /// `resolved: true` records one being resolved. Open tickets per severity are
    /// `opened − resolved` (never below zero).
    SupportTicket {
        /// Ticket severity.
        severity: Severity,
        /// Whether this event resolves a ticket (true) or opens one (false).
        resolved: bool,
    },
    /// A survey answer.
    Survey {
        /// Which question.
        kind: SurveyKind,
        /// The answer (a whole number on the question's scale).
        score: f64,
    },
    /// The customer referred `referred`.
    Referral {
        /// The referred person.
        referred: CustomerId,
    },
    /// A subscription MRR movement (`mrr_delta` signed, see [`SubscriptionChange`]).
    Subscription {
        /// Kind of movement.
        change: SubscriptionChange,
        /// Signed change of monthly recurring revenue.
        mrr_delta: f64,
    },
    /// Loyalty points credited.
    PointsEarned {
        /// Points (≥ 0).
        points: f64,
    },
    /// Loyalty points redeemed.
    PointsRedeemed {
        /// Points (≥ 0).
        points: f64,
    },
}

impl EventKind {
    /// The payload-free type of this event.
    pub fn event_type(&self) -> EventType {
        match self {
            EventKind::Signup => EventType::Signup,
            EventKind::Order { .. } => EventType::Order,
            EventKind::Refund { .. } => EventType::Refund,
            EventKind::Session => EventType::Session,
            EventKind::EmailOpen => EventType::EmailOpen,
            EventKind::EmailClick => EventType::EmailClick,
            EventKind::SupportTicket { .. } => EventType::SupportTicket,
            EventKind::Survey { .. } => EventType::Survey,
            EventKind::Referral { .. } => EventType::Referral,
            EventKind::Subscription { .. } => EventType::Subscription,
            EventKind::PointsEarned { .. } => EventType::PointsEarned,
            EventKind::PointsRedeemed { .. } => EventType::PointsRedeemed,
        }
    }
}

/// One event, as a row.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Event {
    /// Who.
    pub customer: CustomerId,
    /// When (UTC).
    pub timestamp: DateTime<Utc>,
    /// What.
    pub kind: EventKind,
}

impl Event {
    /// Builds an event.
    pub fn new(customer: impl Into<CustomerId>, timestamp: DateTime<Utc>, kind: EventKind) -> Self {
        Event {
            customer: customer.into(),
            timestamp,
            kind,
        }
    }

    /// Shorthand for an order without item count.
    pub fn order(customer: impl Into<CustomerId>, timestamp: DateTime<Utc>, amount: f64) -> Self {
        Event::new(
            customer,
            timestamp,
            EventKind::Order {
                amount,
                items: None,
            },
        )
    }
}

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

/// Options for building an [`EventLog`].
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
    fn len(&self) -> usize {
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

/// Payload codes stored in the `aux` column.
const NO_ITEMS: u32 = u32::MAX;

/// A validated row in compact form, before sorting.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Compact {
    kind: EventType,
    value: f64,
    aux: u32,
}

/// A validated, columnar event log ordered by customer, then time, then input row.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct EventLog {
    customers: Vec<CustomerId>,
    offsets: Vec<usize>,
    time: Vec<Micros>,
    kind: Vec<EventType>,
    value: Vec<f64>,
    aux: Vec<u32>,
    /// Input row numbers (logs hold fewer than 2^32 rows).
    row: Vec<u32>,
    referred: Vec<CustomerId>,
    duplicates_dropped: usize,
}

/// A borrowed view of one event in an [`EventLog`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct EventRef<'a> {
    log: &'a EventLog,
    index: usize,
}

impl<'a> EventRef<'a> {
    /// Position in the log.
    pub fn index(&self) -> usize {
        self.index
    }
    /// Index of the row in the caller's input.
    pub fn input_row(&self) -> usize {
        self.log.row[self.index] as usize
    }
    /// Instant in microseconds.
    pub fn time(&self) -> Micros {
        self.log.time[self.index]
    }
    /// Instant as a datetime.
    pub fn timestamp(&self) -> DateTime<Utc> {
        from_micros(self.time())
    }
    /// Payload-free type.
    pub fn event_type(&self) -> EventType {
        self.log.kind[self.index]
    }
    /// Amount of an order or refund, signed MRR change, points or survey score; 0 otherwise.
    pub fn value(&self) -> f64 {
        self.log.value[self.index]
    }
    /// The full event kind with its payload.
    pub fn kind(&self) -> EventKind {
        let value = self.value();
        let aux = self.log.aux[self.index];
        match self.event_type() {
            EventType::Signup => EventKind::Signup,
            EventType::Order => EventKind::Order {
                amount: value,
                items: (aux != NO_ITEMS).then_some(aux),
            },
            EventType::Refund => EventKind::Refund { amount: value },
            EventType::Session => EventKind::Session,
            EventType::EmailOpen => EventKind::EmailOpen,
            EventType::EmailClick => EventKind::EmailClick,
            EventType::SupportTicket => EventKind::SupportTicket {
                severity: from_index(Severity::ALL, aux >> 1),
                resolved: aux & 1 == 1,
            },
            EventType::Survey => EventKind::Survey {
                kind: from_index(SurveyKind::ALL, aux),
                score: value,
            },
            EventType::Referral => EventKind::Referral {
                referred: self
                    .log
                    .referred
                    .get(aux as usize)
                    .cloned()
                    .unwrap_or(CustomerId::Int(0)),
            },
            EventType::Subscription => EventKind::Subscription {
                change: from_index(SubscriptionChange::ALL, aux),
                mrr_delta: value,
            },
            EventType::PointsEarned => EventKind::PointsEarned { points: value },
            EventType::PointsRedeemed => EventKind::PointsRedeemed { points: value },
        }
    }
}

impl EventLog {
    /// Builds a log from event rows, validating every row.
    ///
    /// ```
    /// use chrono::{TimeZone, Utc};
    /// use retention_core::events::{Event, EventKind, EventLog, LogOptions};
    ///
    /// let t = Utc.with_ymd_and_hms(2024, 3, 1, 12, 0, 0).unwrap();
    /// let log = EventLog::from_events(
    ///     &[Event::order(7, t, 25.0), Event::new("anna", t, EventKind::Session)],
    ///     LogOptions::default(),
    /// )?;
    /// assert_eq!(log.len(), 2);
    /// assert_eq!(log.customers().len(), 2);
    ///
    /// let bad = EventLog::from_events(&[Event::order(7, t, f64::NAN)], LogOptions::default());
    /// assert!(bad.unwrap_err().to_string().contains("row 0: field `amount`"));
    /// # Ok::<(), retention_core::Error>(())
    /// ```
    pub fn from_events(events: &[Event], options: LogOptions) -> Result<EventLog> {
        check_rows(events.len())?;
        let (customers, keys) = group::intern_ids(events.iter().map(|e| &e.customer));
        let times: Vec<Micros> = events.iter().map(|e| to_micros(e.timestamp)).collect();
        let staged = group::stage(&keys, customers.len(), &times, options.threads, |row, c| {
            compact_event(row, &events[row].kind, &mut c.referred, &mut c.issues)
        });
        assemble(customers, staged, options)
    }

    /// [`EventLog::from_columns`] for a door that has already read the
    /// caller's cells into columns and found `parse_issues` (cells it could
    /// not read: unparseable timestamps, unknown event names, missing ids…,
    /// with placeholders in the columns). The rows named there are not
    /// validated again; every other row is, and all issues come back in one
    /// [`Error::InvalidRows`], in row order (a row's parse issues first).
    /// This is how every front door reports the same issues for the same
    /// rows.
    ///
    /// ```
    /// use retention_core::events::{CustomerColumn, EventColumns, EventLog, LogOptions};
    /// use retention_core::{Error, IssueKind, RowIssue};
    ///
    /// let (ids, times, amounts) = ([1_i64, 2, 3], [0, 0, 0], [10.0, -1.0, 5.0]);
    /// let cols = EventColumns::orders(CustomerColumn::Int(&ids), &times, &amounts);
    /// // Say the door could not read row 2's timestamp (and put 0 there).
    /// let bad_time = RowIssue::new(2, "timestamp", "soon", IssueKind::Unparseable { expected: "a timestamp" });
    /// let err = EventLog::from_columns_after(&cols, LogOptions::default(), vec![bad_time]).unwrap_err();
    /// let Error::InvalidRows { issues } = err else { unreachable!() };
    /// assert_eq!(issues.iter().map(|i| (i.row, i.field)).collect::<Vec<_>>(), [(1, "amount"), (2, "timestamp")]);
    /// ```
    pub fn from_columns_after(
        columns: &EventColumns<'_>,
        options: LogOptions,
        parse_issues: Vec<RowIssue>,
    ) -> Result<EventLog> {
        if parse_issues.is_empty() {
            return EventLog::from_columns(columns, options);
        }
        let mut issues = parse_issues;
        let bad: std::collections::HashSet<usize> = issues.iter().map(|i| i.row).collect();
        match EventLog::from_columns(columns, options) {
            Ok(_) => {}
            Err(Error::InvalidRows { issues: found }) => {
                issues.extend(found.into_iter().filter(|i| !bad.contains(&i.row)));
            }
            Err(other) => return Err(other),
        }
        issues.sort_by_key(|i| i.row);
        Err(Error::InvalidRows { issues })
    }

    /// Builds a log from columns, validating every row.
    ///
    /// ```
    /// use retention_core::events::{CustomerColumn, EventColumns, EventLog, LogOptions};
    ///
    /// let customers = [3_i64, 1, 3];
    /// let times = [2_000_000, 1_000_000, 1_000_000];
    /// let amounts = [10.0, 5.0, 7.5];
    /// let cols = EventColumns::orders(CustomerColumn::Int(&customers), &times, &amounts);
    /// let log = EventLog::from_columns(&cols, LogOptions::default())?;
    /// // Sorted by customer, then time.
    /// assert_eq!(log.values(), &[5.0, 7.5, 10.0]);
    /// # Ok::<(), retention_core::Error>(())
    /// ```
    pub fn from_columns(columns: &EventColumns<'_>, options: LogOptions) -> Result<EventLog> {
        let n = columns.customer.len();
        check_len("timestamp", n, columns.timestamp.len())?;
        if let Some(k) = columns.kind {
            check_len("kind", n, k.len())?;
        }
        if let Some(v) = columns.amount {
            check_len("amount", n, v.len())?;
        }
        if let Some(v) = columns.items {
            check_len("items", n, v.len())?;
        }
        if let Some(v) = columns.score {
            check_len("score", n, v.len())?;
        }
        if let Some(v) = columns.detail {
            check_len("detail", n, v.len())?;
        }
        if let Some(v) = columns.resolved {
            check_len("resolved", n, v.len())?;
        }
        check_rows(n)?;
        let (customers, keys) = match columns.customer {
            CustomerColumn::Int(ids) => group::intern_ints(ids, options.threads),
            CustomerColumn::Str(ids) => group::intern_strs(ids),
        };
        let staged = group::stage(
            &keys,
            customers.len(),
            columns.timestamp,
            options.threads,
            |row, c| {
                let kind = columns.kind.map_or(EventType::Order, |k| k[row]);
                let fields = Fields {
                    amount: columns.amount.map_or(f64::NAN, |v| v[row]),
                    items: columns.items.and_then(|v| v[row]),
                    score: columns.score.map_or(f64::NAN, |v| v[row]),
                    detail: columns.detail.and_then(|v| v[row]),
                    resolved: columns.resolved.and_then(|v| v[row]),
                };
                plain_row(kind, &fields).unwrap_or_else(|| {
                    compact_fields(row, kind, fields, &mut c.referred, &mut c.issues)
                })
            },
        );
        assemble(customers, staged, options)
    }

    /// Number of events.
    pub fn len(&self) -> usize {
        self.time.len()
    }

    /// Whether the log holds no events.
    pub fn is_empty(&self) -> bool {
        self.time.is_empty()
    }

    /// Distinct customers, sorted; position = dense customer index.
    pub fn customers(&self) -> &[CustomerId] {
        &self.customers
    }

    /// Dense index of a customer id.
    pub fn customer_index(&self, id: &CustomerId) -> Option<usize> {
        self.customers.binary_search(id).ok()
    }

    /// Range of event positions belonging to dense customer `c` (empty if out of range).
    pub fn customer_range(&self, c: usize) -> Range<usize> {
        match (self.offsets.get(c), self.offsets.get(c + 1)) {
            (Some(&a), Some(&b)) => a..b,
            _ => 0..0,
        }
    }

    /// Event instants (µs), in log order.
    pub fn times(&self) -> &[Micros] {
        &self.time
    }

    /// Event types, in log order.
    pub fn event_types(&self) -> &[EventType] {
        &self.kind
    }

    /// Event values (amount / MRR change / points / survey score; 0 otherwise), in log order.
    pub fn values(&self) -> &[f64] {
        &self.value
    }

    /// Input row index of each event, in log order.
    pub fn input_rows(&self) -> &[u32] {
        &self.row
    }

    /// A view of the event at log position `i`, if any.
    pub fn get(&self, i: usize) -> Option<EventRef<'_>> {
        (i < self.len()).then_some(EventRef {
            log: self,
            index: i,
        })
    }

    /// Iterates `(customer, event)` pairs in log order.
    pub fn iter(&self) -> impl Iterator<Item = (&CustomerId, EventRef<'_>)> + '_ {
        self.customers.iter().enumerate().flat_map(move |(c, id)| {
            self.customer_range(c).map(move |i| {
                (
                    id,
                    EventRef {
                        log: self,
                        index: i,
                    },
                )
            })
        })
    }

    /// Owned event rows, in log order (mainly for tests and export).
    pub fn to_events(&self) -> Vec<Event> {
        self.iter()
            .map(|(id, e)| Event::new(id.clone(), e.timestamp(), e.kind()))
            .collect()
    }

    /// How many exact duplicates [`DuplicatePolicy::Drop`] removed.
    pub fn duplicates_dropped(&self) -> usize {
        self.duplicates_dropped
    }

    /// Earliest and latest event instants, if any.
    pub fn time_range(&self) -> Option<(Micros, Micros)> {
        let min = self.time.iter().copied().min()?;
        let max = self.time.iter().copied().max()?;
        Some((min, max))
    }

    /// A copy holding only the events at or before `as_of` (for describing the
    /// past from a log that goes on). Customers without remaining events are
    /// dropped; input row numbers are kept.
    pub fn up_to(&self, as_of: Micros) -> EventLog {
        let mut out = EventLog {
            referred: self.referred.clone(),
            duplicates_dropped: self.duplicates_dropped,
            ..EventLog::default()
        };
        out.offsets.push(0);
        for (c, id) in self.customers.iter().enumerate() {
            let before = out.time.len();
            for i in self.customer_range(c).filter(|&i| self.time[i] <= as_of) {
                out.time.push(self.time[i]);
                out.kind.push(self.kind[i]);
                out.value.push(self.value[i]);
                out.aux.push(self.aux[i]);
                out.row.push(self.row[i]);
            }
            if out.time.len() > before {
                out.customers.push(id.clone());
                out.offsets.push(out.time.len());
            }
        }
        out
    }

    /// Errors with [`IssueKind::AfterAsOf`] for every event later than `as_of`
    /// (naming the input row), for computations that describe the state at `as_of`.
    pub fn check_as_of(&self, as_of: Micros) -> Result<()> {
        let mut issues = Issues::default();
        for (i, &t) in self.time.iter().enumerate() {
            if t > as_of {
                issues.push(
                    self.row[i] as usize,
                    "timestamp",
                    from_micros(t).to_rfc3339(),
                    IssueKind::AfterAsOf,
                );
            }
        }
        issues.finish()
    }
}

/// Raw per-row fields from columnar input.
struct Fields<'a> {
    amount: f64,
    items: Option<u32>,
    score: f64,
    detail: Option<&'a str>,
    resolved: Option<bool>,
}

fn check_amount(issues: &mut Issues, row: usize, field: &'static str, v: f64) -> bool {
    if !check_non_negative(issues, row, field, v) {
        return false;
    }
    if v > MAX_AMOUNT {
        issues.push(
            row,
            field,
            v,
            IssueKind::OutOfRange {
                min: 0.0,
                max: MAX_AMOUNT,
            },
        );
        return false;
    }
    true
}

fn check_score(issues: &mut Issues, row: usize, v: f64) {
    if !v.is_finite() {
        issues.push(row, "score", v, IssueKind::NotFinite);
    } else if !(0.0..=10.0).contains(&v) {
        issues.push(
            row,
            "score",
            v,
            IssueKind::OutOfRange {
                min: 0.0,
                max: 10.0,
            },
        );
    } else if v.fract() != 0.0 {
        issues.push(row, "score", v, IssueKind::NotInteger);
    }
}

fn check_mrr(issues: &mut Issues, row: usize, change: SubscriptionChange, v: f64) {
    if !v.is_finite() {
        issues.push(row, "amount", v, IssueKind::NotFinite);
        return;
    }
    let positive = matches!(
        change,
        SubscriptionChange::New | SubscriptionChange::Expansion | SubscriptionChange::Reactivation
    );
    let (min, max) = if positive {
        (f64::MIN_POSITIVE, MAX_AMOUNT)
    } else {
        (-MAX_AMOUNT, -f64::MIN_POSITIVE)
    };
    if !(min..=max).contains(&v) {
        let (min, max) = if positive {
            (0.0, MAX_AMOUNT)
        } else {
            (-MAX_AMOUNT, 0.0)
        };
        issues.push(row, "amount", v, IssueKind::OutOfRange { min, max });
    }
}

fn compact_event(
    row: usize,
    kind: &EventKind,
    referred: &mut Vec<CustomerId>,
    issues: &mut Issues,
) -> Compact {
    let (t, value, aux) = match kind {
        EventKind::Signup => (EventType::Signup, 0.0, 0),
        EventKind::Session => (EventType::Session, 0.0, 0),
        EventKind::EmailOpen => (EventType::EmailOpen, 0.0, 0),
        EventKind::EmailClick => (EventType::EmailClick, 0.0, 0),
        EventKind::Order { amount, items } => {
            check_amount(issues, row, "amount", *amount);
            if *items == Some(NO_ITEMS) {
                issues.push(
                    row,
                    "items",
                    NO_ITEMS,
                    IssueKind::OutOfRange {
                        min: 0.0,
                        max: f64::from(NO_ITEMS - 1),
                    },
                );
            }
            (EventType::Order, *amount, items.unwrap_or(NO_ITEMS))
        }
        EventKind::Refund { amount } => {
            check_amount(issues, row, "amount", *amount);
            (EventType::Refund, *amount, 0)
        }
        EventKind::SupportTicket { severity, resolved } => (
            EventType::SupportTicket,
            0.0,
            (*severity as u32) << 1 | u32::from(*resolved),
        ),
        EventKind::Survey { kind, score } => {
            check_score(issues, row, *score);
            (EventType::Survey, *score, *kind as u32)
        }
        EventKind::Referral { referred: who } => {
            referred.push(who.clone());
            (EventType::Referral, 0.0, (referred.len() - 1) as u32)
        }
        EventKind::Subscription { change, mrr_delta } => {
            check_mrr(issues, row, *change, *mrr_delta);
            (EventType::Subscription, *mrr_delta, *change as u32)
        }
        EventKind::PointsEarned { points } => {
            check_amount(issues, row, "points", *points);
            (EventType::PointsEarned, *points, 0)
        }
        EventKind::PointsRedeemed { points } => {
            check_amount(issues, row, "points", *points);
            (EventType::PointsRedeemed, *points, 0)
        }
    };
    Compact {
        kind: t,
        value,
        aux,
    }
}

fn parse_detail<T: FromStr>(issues: &mut Issues, row: usize, detail: Option<&str>) -> Option<T> {
    match detail {
        None => {
            issues.push(row, "detail", "", IssueKind::Missing);
            None
        }
        Some(text) => match text.parse::<T>() {
            Ok(v) => Some(v),
            Err(_) => {
                issues.push(row, "detail", text, IssueKind::UnknownKind);
                None
            }
        },
    }
}

/// The compact form of a valid row of the common kinds (orders, refunds,
/// points with an amount and nothing else; sessions, signups and e-mail events
/// with nothing at all), or `None` for anything else, which then goes through
/// the full validation in [`compact_fields`]. Agrees with it on every row it
/// accepts.
#[inline]
fn plain_row(kind: EventType, f: &Fields<'_>) -> Option<Compact> {
    if f.items.is_some() || !f.score.is_nan() || f.detail.is_some() || f.resolved.is_some() {
        return None;
    }
    let a = f.amount;
    let (value, aux) = match kind {
        EventType::Order if (0.0..=MAX_AMOUNT).contains(&a) => (a, NO_ITEMS),
        EventType::Refund | EventType::PointsEarned | EventType::PointsRedeemed
            if (0.0..=MAX_AMOUNT).contains(&a) =>
        {
            (a, 0)
        }
        EventType::Signup | EventType::Session | EventType::EmailOpen | EventType::EmailClick
            if a.is_nan() || a == 0.0 =>
        {
            (0.0, 0)
        }
        _ => return None,
    };
    Some(Compact { kind, value, aux })
}

fn compact_fields(
    row: usize,
    kind: EventType,
    f: Fields<'_>,
    referred: &mut Vec<CustomerId>,
    issues: &mut Issues,
) -> Compact {
    // Fields that do not apply must be absent (amount may also be 0).
    let uses_amount = matches!(
        kind,
        EventType::Order
            | EventType::Refund
            | EventType::Subscription
            | EventType::PointsEarned
            | EventType::PointsRedeemed
    );
    let uses_detail = matches!(
        kind,
        EventType::SupportTicket
            | EventType::Survey
            | EventType::Referral
            | EventType::Subscription
    );
    if !uses_amount && !f.amount.is_nan() && f.amount != 0.0 {
        issues.push(row, "amount", f.amount, IssueKind::NotApplicable);
    }
    if kind != EventType::Order {
        if let Some(items) = f.items {
            issues.push(row, "items", items, IssueKind::NotApplicable);
        }
    }
    if kind != EventType::Survey && !f.score.is_nan() {
        issues.push(row, "score", f.score, IssueKind::NotApplicable);
    }
    if !uses_detail {
        if let Some(d) = f.detail {
            issues.push(row, "detail", d, IssueKind::NotApplicable);
        }
    }
    if kind != EventType::SupportTicket {
        if let Some(r) = f.resolved {
            issues.push(row, "resolved", r, IssueKind::NotApplicable);
        }
    }
    let required_amount = |issues: &mut Issues| {
        if f.amount.is_nan() {
            issues.push(row, "amount", "", IssueKind::Missing);
            false
        } else {
            true
        }
    };
    let event = match kind {
        EventType::Signup => EventKind::Signup,
        EventType::Session => EventKind::Session,
        EventType::EmailOpen => EventKind::EmailOpen,
        EventType::EmailClick => EventKind::EmailClick,
        EventType::Order => {
            required_amount(issues);
            EventKind::Order {
                amount: if f.amount.is_nan() { 0.0 } else { f.amount },
                items: f.items,
            }
        }
        EventType::Refund => {
            required_amount(issues);
            EventKind::Refund {
                amount: if f.amount.is_nan() { 0.0 } else { f.amount },
            }
        }
        EventType::PointsEarned | EventType::PointsRedeemed => {
            required_amount(issues);
            let points = if f.amount.is_nan() { 0.0 } else { f.amount };
            if kind == EventType::PointsEarned {
                EventKind::PointsEarned { points }
            } else {
                EventKind::PointsRedeemed { points }
            }
        }
        EventType::SupportTicket => {
            let severity =
                parse_detail::<Severity>(issues, row, f.detail).unwrap_or(Severity::Minor);
            if f.resolved.is_none() {
                issues.push(row, "resolved", "", IssueKind::Missing);
            }
            EventKind::SupportTicket {
                severity,
                resolved: f.resolved.unwrap_or(false),
            }
        }
        EventType::Survey => {
            let survey =
                parse_detail::<SurveyKind>(issues, row, f.detail).unwrap_or(SurveyKind::Nps);
            if f.score.is_nan() {
                issues.push(row, "score", "", IssueKind::Missing);
            }
            EventKind::Survey {
                kind: survey,
                score: if f.score.is_nan() { 0.0 } else { f.score },
            }
        }
        EventType::Referral => match f.detail {
            None => {
                issues.push(row, "detail", "", IssueKind::Missing);
                EventKind::Referral {
                    referred: CustomerId::Int(0),
                }
            }
            Some(text) => EventKind::Referral {
                referred: text
                    .trim()
                    .parse::<i64>()
                    .map(CustomerId::Int)
                    .unwrap_or_else(|_| CustomerId::Str(text.trim().to_owned())),
            },
        },
        EventType::Subscription => {
            let change = parse_detail::<SubscriptionChange>(issues, row, f.detail);
            let has_amount = required_amount(issues);
            match change {
                Some(change) if has_amount => EventKind::Subscription {
                    change,
                    mrr_delta: f.amount,
                },
                _ => EventKind::Subscription {
                    change: SubscriptionChange::New,
                    mrr_delta: 1.0,
                },
            }
        }
    };
    compact_event(row, &event, referred, issues)
}

fn same_payload(
    a: (EventType, f64, u32),
    b: (EventType, f64, u32),
    referred: &[CustomerId],
) -> bool {
    if a.0 != b.0 || a.1.to_bits() != b.1.to_bits() {
        return false;
    }
    if a.0 == EventType::Referral {
        referred.get(a.2 as usize) == referred.get(b.2 as usize)
    } else {
        a.2 == b.2
    }
}

/// Marks (or, under `Reject`, reports) rows that repeat an earlier kept row of
/// the same customer at the same instant with the same payload.
fn find_duplicates(
    offsets: &[usize],
    cols: &group::Columns,
    referred: &[CustomerId],
    policy: DuplicatePolicy,
) -> Result<Vec<bool>> {
    let payload = |i: usize| (cols.kind[i], cols.value[i], cols.aux[i]);
    let mut keep = vec![true; cols.time.len()];
    let mut issues = Issues::default();
    for w in offsets.windows(2) {
        let mut start = w[0];
        while start < w[1] {
            let mut end = start + 1;
            while end < w[1] && cols.time[end] == cols.time[start] {
                end += 1;
            }
            for j in start + 1..end {
                let first = (start..j)
                    .find(|&i| keep[i] && same_payload(payload(i), payload(j), referred))
                    .map(|i| cols.row[i] as usize);
                if let Some(first_row) = first {
                    if policy == DuplicatePolicy::Reject {
                        let row = cols.row[j] as usize;
                        issues.push(row, "row", row, IssueKind::Duplicate { first_row });
                    } else {
                        keep[j] = false;
                    }
                }
            }
            start = end;
        }
    }
    issues.finish()?;
    Ok(keep)
}

/// Distinct integer ids, sorted, and each row's index among them (for
/// computations that group rows by customer without building a log).
pub(crate) fn intern_ints(ids: &[i64]) -> (Vec<CustomerId>, Vec<u32>) {
    let (customers, keys) = group::intern_ints(ids, 1);
    (customers, keys.into_dense(ids.len()))
}

/// [`intern_ints`] for text ids.
pub(crate) fn intern_strs(ids: &[&str]) -> (Vec<CustomerId>, Vec<u32>) {
    let (customers, keys) = group::intern_strs(ids);
    (customers, keys.into_dense(ids.len()))
}

/// Errors unless a log of `n` rows fits the row numbering (u32).
fn check_rows(n: usize) -> Result<()> {
    if u32::try_from(n).is_err() {
        return Err(Error::parameter(
            "rows",
            n,
            "at most 2^32 − 1 rows in one log (merge summaries of smaller logs)",
        ));
    }
    Ok(())
}

/// Finishes a log from staged rows: reports the rows' issues, orders them,
/// applies the duplicate policy.
fn assemble(
    customers: Vec<CustomerId>,
    mut staged: group::Staged,
    options: LogOptions,
) -> Result<EventLog> {
    std::mem::take(&mut staged.checked.issues).finish()?;
    let referred = std::mem::take(&mut staged.checked.referred);
    let (mut cols, mut offsets) = group::place(staged);
    let n = cols.time.len();
    let mut dropped = 0;
    if options.duplicates != DuplicatePolicy::Keep {
        let keep = find_duplicates(&offsets, &cols, &referred, options.duplicates)?;
        dropped = keep.iter().filter(|&&k| !k).count();
        if dropped > 0 {
            let mut removed = 0;
            for c in 0..customers.len() {
                let removed_here = keep[offsets[c]..offsets[c + 1]]
                    .iter()
                    .filter(|&&k| !k)
                    .count();
                offsets[c] -= removed;
                removed += removed_here;
            }
            offsets[customers.len()] = n - removed;
            let mut flags = keep.iter();
            cols.time.retain(|_| *flags.next().unwrap_or(&true));
            let mut flags = keep.iter();
            cols.kind.retain(|_| *flags.next().unwrap_or(&true));
            let mut flags = keep.iter();
            cols.value.retain(|_| *flags.next().unwrap_or(&true));
            let mut flags = keep.iter();
            cols.aux.retain(|_| *flags.next().unwrap_or(&true));
            let mut flags = keep.iter();
            cols.row.retain(|_| *flags.next().unwrap_or(&true));
        }
    }
    Ok(EventLog {
        customers,
        offsets,
        time: cols.time,
        kind: cols.kind,
        value: cols.value,
        aux: cols.aux,
        row: cols.row,
        referred,
        duplicates_dropped: dropped,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn t(day: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2024, 1, day, 10, 0, 0).unwrap()
    }

    #[test]
    fn rows_are_sorted_by_customer_then_time() {
        let events = vec![
            Event::order("b", t(3), 1.0),
            Event::order(5, t(2), 2.0),
            Event::order("a", t(9), 3.0),
            Event::order("b", t(1), 4.0),
            Event::new(5, t(1), EventKind::Session),
        ];
        let log = EventLog::from_events(&events, LogOptions::default()).unwrap();
        assert_eq!(
            log.customers(),
            &[
                CustomerId::Int(5),
                CustomerId::from("a"),
                CustomerId::from("b")
            ]
        );
        assert_eq!(log.values(), &[0.0, 2.0, 3.0, 4.0, 1.0]);
        assert_eq!(log.input_rows(), &[4, 1, 2, 3, 0]);
        assert_eq!(log.customer_range(2), 3..5);
        assert_eq!(log.customer_range(9), 0..0);
        let back = log.to_events();
        assert_eq!(back[4], events[0]);
    }

    #[test]
    fn every_bad_row_is_reported() {
        let events = vec![
            Event::order(1, t(1), -5.0),
            Event::order(1, t(1), 5.0),
            Event::new(
                2,
                t(2),
                EventKind::Refund {
                    amount: f64::INFINITY,
                },
            ),
            Event::new(
                3,
                t(3),
                EventKind::Survey {
                    kind: SurveyKind::Nps,
                    score: 11.0,
                },
            ),
            Event::new(
                3,
                t(3),
                EventKind::Survey {
                    kind: SurveyKind::Nps,
                    score: 7.5,
                },
            ),
            Event::new(
                4,
                t(4),
                EventKind::Subscription {
                    change: SubscriptionChange::Churn,
                    mrr_delta: 20.0,
                },
            ),
        ];
        let err = EventLog::from_events(&events, LogOptions::default()).unwrap_err();
        let Error::InvalidRows { issues } = err else {
            panic!("{err:?}")
        };
        let summary: Vec<_> = issues
            .iter()
            .map(|i| (i.row, i.field, i.value.as_str()))
            .collect();
        assert_eq!(
            summary,
            vec![
                (0, "amount", "-5"),
                (2, "amount", "inf"),
                (3, "score", "11"),
                (4, "score", "7.5"),
                (5, "amount", "20")
            ]
        );
        assert_eq!(issues[0].kind, IssueKind::Negative);
        assert_eq!(
            issues[4].kind,
            IssueKind::OutOfRange {
                min: -MAX_AMOUNT,
                max: 0.0
            }
        );
    }

    #[test]
    fn columns_validate_kinds_and_fields() {
        let ids = ["x", "y", "x", "z"];
        let times = [1, 2, 3, 4];
        let kinds = [
            EventType::SupportTicket,
            EventType::Session,
            EventType::Survey,
            EventType::Referral,
        ];
        let amount = [f64::NAN, 3.0, f64::NAN, f64::NAN];
        let detail = [Some("urgent"), None, Some("csat"), None];
        let cols = EventColumns {
            customer: CustomerColumn::Str(&ids),
            timestamp: &times,
            kind: Some(&kinds),
            amount: Some(&amount),
            items: None,
            score: None,
            detail: Some(&detail),
            resolved: None,
        };
        let err = EventLog::from_columns(&cols, LogOptions::default()).unwrap_err();
        let Error::InvalidRows { issues } = err else {
            panic!()
        };
        let got: Vec<_> = issues
            .iter()
            .map(|i| (i.row, i.field, i.kind.clone()))
            .collect();
        assert_eq!(
            got,
            vec![
                (0, "detail", IssueKind::UnknownKind),
                (0, "resolved", IssueKind::Missing),
                (1, "amount", IssueKind::NotApplicable),
                (2, "score", IssueKind::Missing),
                (3, "detail", IssueKind::Missing),
            ]
        );
    }

    #[test]
    fn columns_length_mismatch() {
        let cols = EventColumns::orders(CustomerColumn::Int(&[1, 2]), &[1], &[1.0, 2.0]);
        assert_eq!(
            EventLog::from_columns(&cols, LogOptions::default()).unwrap_err(),
            Error::LengthMismatch {
                field: "timestamp",
                expected: 2,
                actual: 1
            }
        );
    }

    #[test]
    fn duplicate_policies() {
        let events = vec![
            Event::order(1, t(1), 5.0),
            Event::order(1, t(1), 5.0),
            Event::order(1, t(1), 6.0),
            Event::order(1, t(1), 5.0),
        ];
        let keep = EventLog::from_events(&events, LogOptions::default()).unwrap();
        assert_eq!((keep.len(), keep.duplicates_dropped()), (4, 0));
        let drop = EventLog::from_events(
            &events,
            LogOptions {
                duplicates: DuplicatePolicy::Drop,
                ..LogOptions::default()
            },
        )
        .unwrap();
        assert_eq!((drop.len(), drop.duplicates_dropped()), (2, 2));
        assert_eq!(drop.values(), &[5.0, 6.0]);
        let err = EventLog::from_events(
            &events,
            LogOptions {
                duplicates: DuplicatePolicy::Reject,
                ..LogOptions::default()
            },
        )
        .unwrap_err();
        let Error::InvalidRows { issues } = err else {
            panic!()
        };
        assert_eq!(issues.len(), 2);
        assert_eq!(issues[0].kind, IssueKind::Duplicate { first_row: 0 });
        assert_eq!(issues[1].row, 3);
    }

    #[test]
    fn payloads_round_trip() {
        let kinds = vec![
            EventKind::Signup,
            EventKind::Order {
                amount: 12.5,
                items: Some(3),
            },
            EventKind::Refund { amount: 2.5 },
            EventKind::Session,
            EventKind::EmailOpen,
            EventKind::EmailClick,
            EventKind::SupportTicket {
                severity: Severity::Critical,
                resolved: true,
            },
            EventKind::Survey {
                kind: SurveyKind::Ces,
                score: 4.0,
            },
            EventKind::Referral {
                referred: CustomerId::from("friend"),
            },
            EventKind::Subscription {
                change: SubscriptionChange::Contraction,
                mrr_delta: -10.0,
            },
            EventKind::PointsEarned { points: 100.0 },
            EventKind::PointsRedeemed { points: 40.0 },
        ];
        let events: Vec<_> = kinds
            .iter()
            .enumerate()
            .map(|(i, k)| Event::new(1, t(i as u32 + 1), k.clone()))
            .collect();
        let log = EventLog::from_events(&events, LogOptions::default()).unwrap();
        assert_eq!(log.to_events(), events);
    }

    #[test]
    fn as_of_check_names_rows() {
        let events = vec![Event::order(1, t(5), 1.0), Event::order(2, t(1), 1.0)];
        let log = EventLog::from_events(&events, LogOptions::default()).unwrap();
        assert!(log.check_as_of(to_micros(t(5))).is_ok());
        let early = log.up_to(to_micros(t(4)));
        assert_eq!(
            (early.len(), early.customers(), early.input_rows()),
            (1, &[CustomerId::Int(2)][..], &[1][..])
        );
        assert!(early.check_as_of(to_micros(t(4))).is_ok());
        assert_eq!(log.up_to(to_micros(t(5))), log);
        let err = log.check_as_of(to_micros(t(4))).unwrap_err();
        let Error::InvalidRows { issues } = err else {
            panic!()
        };
        assert_eq!(
            (issues[0].row, issues[0].field, issues[0].kind.clone()),
            (0, "timestamp", IssueKind::AfterAsOf)
        );
    }
}
