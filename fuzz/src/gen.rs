//! Arbitrary inputs biased towards the values that break numerical code:
//! numbers (any bit pattern, small counts, fractions, tiny, huge and special
//! values), instants (near a fixed day, anywhere, at chrono's limits) and
//! event logs (a few customers, a few weeks, every event kind).

use arbitrary::Arbitrary;
use chrono::{DateTime, Utc};
use retention_core::events::{
    CustomerId, Event, EventKind, EventLog, LogOptions, Severity, SubscriptionChange, SurveyKind,
};
use retention_core::time::Micros;

/// At most this many rows (customers, durations, cohorts…) per input, so
/// that every input runs in well under the 2 s timeout.
pub const MAX_ROWS: usize = 48;

/// 2023-11-14T22:13:20Z, the instant "near" times are relative to.
pub const BASE: Micros = 1_700_000_000_000_000;

/// Picks `all[i mod len]`.
pub fn pick<T: Copy>(all: &[T], i: u8) -> T {
    all[usize::from(i) % all.len()]
}

/// Truncates to [`MAX_ROWS`].
pub fn cap<T>(v: &[T]) -> &[T] {
    &v[..v.len().min(MAX_ROWS)]
}

/// A number: mostly valid-looking, sometimes hostile.
#[derive(Arbitrary, Debug, Clone, Copy)]
pub enum Num {
    /// Any bit pattern.
    Any(f64),
    /// A small whole number, 0–255.
    Small(u8),
    /// A fraction in [0, 1].
    Frac(u16),
    /// A value in (0, 100] with a fractional part.
    Mid(u16),
    /// 10^-k, k in 0–329 (down to subnormals).
    Tiny(u16),
    /// 10^k, k in 0–308.
    Huge(u16),
    /// One of the special values ([`SPECIAL`]).
    Special(u8),
}

/// Values that are often mishandled.
pub const SPECIAL: [f64; 14] = [
    0.0,
    -0.0,
    -1.0,
    1.0,
    0.5,
    f64::NAN,
    f64::INFINITY,
    f64::NEG_INFINITY,
    f64::MIN_POSITIVE,
    5e-324,
    f64::MAX,
    f64::EPSILON,
    1.0 - f64::EPSILON,
    1e15,
];

impl Num {
    /// The number.
    pub fn get(self) -> f64 {
        match self {
            Num::Any(x) => x,
            Num::Small(k) => f64::from(k),
            Num::Frac(k) => f64::from(k) / f64::from(u16::MAX),
            Num::Mid(k) => f64::from(k) / 655.35 + 1e-3,
            Num::Tiny(k) => 10f64.powi(-i32::from(k % 330)),
            Num::Huge(k) => 10f64.powi(i32::from(k % 309)),
            Num::Special(i) => SPECIAL[usize::from(i) % SPECIAL.len()],
        }
    }
}

/// The numbers of a slice.
pub fn nums(v: &[Num]) -> Vec<f64> {
    cap(v).iter().map(|n| n.get()).collect()
}

/// A count: mostly small, sometimes anything.
#[derive(Arbitrary, Debug, Clone, Copy)]
pub enum Count {
    /// 0–255.
    Small(u8),
    /// Any `u64`.
    Any(u64),
    /// 2^k, k in 0–63.
    Pow(u8),
}

impl Count {
    /// The count.
    pub fn get(self) -> u64 {
        match self {
            Count::Small(k) => u64::from(k),
            Count::Any(k) => k,
            Count::Pow(k) => 1u64 << (k % 64),
        }
    }
    /// The count as a `u32`, saturated.
    pub fn get_u32(self) -> u32 {
        u32::try_from(self.get()).unwrap_or(u32::MAX)
    }
}

/// An instant in microseconds.
#[derive(Arbitrary, Debug, Clone, Copy)]
pub enum Instant {
    /// [`BASE`] plus k hours (k up to ~7.5 years).
    Near(u16),
    /// Any microsecond count (most lie outside chrono's range).
    Any(i64),
    /// chrono's earliest or latest instant.
    Limit(bool),
}

impl Instant {
    /// The instant, in microseconds.
    pub fn micros(self) -> Micros {
        match self {
            Instant::Near(k) => BASE + i64::from(k) * 3_600_000_000,
            Instant::Any(t) => t,
            Instant::Limit(false) => DateTime::<Utc>::MIN_UTC.timestamp_micros(),
            Instant::Limit(true) => DateTime::<Utc>::MAX_UTC.timestamp_micros(),
        }
    }
    /// The instant as a `DateTime` (the epoch when out of chrono's range).
    pub fn datetime(self) -> DateTime<Utc> {
        DateTime::from_timestamp_micros(self.micros()).unwrap_or(DateTime::<Utc>::UNIX_EPOCH)
    }
}

/// A customer id: a few small integers (so that rows collide), or any.
#[derive(Arbitrary, Debug, Clone)]
pub enum Id {
    /// One of 8 customers.
    Small(u8),
    /// Any integer.
    Int(i64),
    /// A short string.
    Str(String),
}

impl Id {
    /// The id.
    pub fn id(&self) -> CustomerId {
        match self {
            Id::Small(i) => CustomerId::Int(i64::from(*i % 8)),
            Id::Int(i) => CustomerId::Int(*i),
            Id::Str(s) => CustomerId::Str(s.chars().take(8).collect()),
        }
    }
}

/// What a row records.
#[derive(Arbitrary, Debug, Clone)]
pub enum Kind {
    /// A signup.
    Signup,
    /// An order.
    Order(Num),
    /// A refund.
    Refund(Num),
    /// A session.
    Session,
    /// An email open.
    EmailOpen,
    /// An email click.
    EmailClick,
    /// A support ticket.
    Ticket(u8, bool),
    /// A survey answer.
    Survey(u8, Num),
    /// A referral.
    Referral(Id),
    /// A subscription change.
    Subscription(u8, Num),
    /// Loyalty points earned.
    PointsEarned(Num),
    /// Loyalty points redeemed.
    PointsRedeemed(Num),
}

/// One event row.
#[derive(Arbitrary, Debug, Clone)]
pub struct Row {
    /// Who.
    pub customer: Id,
    /// When.
    pub time: Instant,
    /// What.
    pub kind: Kind,
}

impl Row {
    /// The event.
    pub fn event(&self) -> Event {
        let kind = match &self.kind {
            Kind::Signup => EventKind::Signup,
            Kind::Order(a) => EventKind::Order {
                amount: a.get(),
                items: None,
            },
            Kind::Refund(a) => EventKind::Refund { amount: a.get() },
            Kind::Session => EventKind::Session,
            Kind::EmailOpen => EventKind::EmailOpen,
            Kind::EmailClick => EventKind::EmailClick,
            Kind::Ticket(s, resolved) => EventKind::SupportTicket {
                severity: pick(Severity::ALL, *s),
                resolved: *resolved,
            },
            Kind::Survey(k, score) => EventKind::Survey {
                kind: pick(SurveyKind::ALL, *k),
                score: score.get(),
            },
            Kind::Referral(id) => EventKind::Referral { referred: id.id() },
            Kind::Subscription(c, mrr) => EventKind::Subscription {
                change: pick(SubscriptionChange::ALL, *c),
                mrr_delta: mrr.get(),
            },
            Kind::PointsEarned(p) => EventKind::PointsEarned { points: p.get() },
            Kind::PointsRedeemed(p) => EventKind::PointsRedeemed { points: p.get() },
        };
        Event::new(self.customer.id(), self.time.datetime(), kind)
    }
}

/// The event log of at most [`MAX_ROWS`] rows, or `None` when the rows are
/// invalid (that path is the `ingest_rows` target's).
pub fn event_log(rows: &[Row]) -> Option<EventLog> {
    let events: Vec<Event> = cap(rows).iter().map(Row::event).collect();
    EventLog::from_events(&events, LogOptions::default()).ok()
}
