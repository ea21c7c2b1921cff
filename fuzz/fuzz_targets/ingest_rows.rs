//! Arbitrary event rows (any floats, including NaN and infinities; any
//! instants; any ids) into `EventLog::from_events`: it must answer `Ok` or a
//! typed error, never panic. For valid logs, the summaries of any split of the
//! rows, merged, must equal the summaries of the whole, and rebuilding the log
//! from its own events must give the same events.

#![no_main]

use arbitrary::Arbitrary;
use chrono::{DateTime, Utc};
use libfuzzer_sys::fuzz_target;
use retention_core::events::{
    CustomerId, DuplicatePolicy, Event, EventKind, EventLog, LogOptions, Severity,
    SubscriptionChange, SurveyKind,
};
use retention_core::summary::{OrderDays, Summaries};
use retention_core::Error;

const MAX_ROWS: usize = 256;

#[derive(Arbitrary, Debug)]
enum Id {
    Int(i64),
    /// A few customers, so that rows collide.
    Small(u8),
    Str(String),
}

impl Id {
    fn to_id(&self) -> CustomerId {
        match self {
            Id::Int(i) => CustomerId::Int(*i),
            Id::Small(i) => CustomerId::Int(i64::from(*i % 8)),
            Id::Str(s) => CustomerId::Str(s.chars().take(16).collect()),
        }
    }
}

#[derive(Arbitrary, Debug)]
enum Kind {
    Signup,
    Order { amount: f64, items: Option<u32> },
    Refund { amount: f64 },
    Session,
    EmailOpen,
    EmailClick,
    Ticket { severity: u8, resolved: bool },
    Survey { kind: u8, score: f64 },
    Referral { referred: Id },
    Subscription { change: u8, mrr_delta: f64 },
    PointsEarned { points: f64 },
    PointsRedeemed { points: f64 },
}

#[derive(Arbitrary, Debug)]
enum Time {
    /// Any microsecond count (most are outside chrono's range).
    Any(i64),
    /// Within a few days, so that instants collide.
    Near(u16),
}

#[derive(Arbitrary, Debug)]
struct Row {
    customer: Id,
    time: Time,
    kind: Kind,
    /// Which part of the split this row goes to.
    part: u8,
}

#[derive(Arbitrary, Debug)]
struct Input {
    rows: Vec<Row>,
    policy: u8,
}

fn pick<T: Copy>(all: &[T], i: u8) -> T {
    all[usize::from(i) % all.len()]
}

fn event(row: &Row) -> Event {
    let micros = match row.time {
        Time::Any(t) => t,
        Time::Near(k) => 1_700_000_000_000_000 + i64::from(k) * 600_000_000,
    };
    let timestamp = DateTime::from_timestamp_micros(micros).unwrap_or(DateTime::<Utc>::UNIX_EPOCH);
    let kind = match &row.kind {
        Kind::Signup => EventKind::Signup,
        Kind::Order { amount, items } => EventKind::Order {
            amount: *amount,
            items: *items,
        },
        Kind::Refund { amount } => EventKind::Refund { amount: *amount },
        Kind::Session => EventKind::Session,
        Kind::EmailOpen => EventKind::EmailOpen,
        Kind::EmailClick => EventKind::EmailClick,
        Kind::Ticket { severity, resolved } => EventKind::SupportTicket {
            severity: pick(Severity::ALL, *severity),
            resolved: *resolved,
        },
        Kind::Survey { kind, score } => EventKind::Survey {
            kind: pick(SurveyKind::ALL, *kind),
            score: *score,
        },
        Kind::Referral { referred } => EventKind::Referral {
            referred: referred.to_id(),
        },
        Kind::Subscription { change, mrr_delta } => EventKind::Subscription {
            change: pick(SubscriptionChange::ALL, *change),
            mrr_delta: *mrr_delta,
        },
        Kind::PointsEarned { points } => EventKind::PointsEarned { points: *points },
        Kind::PointsRedeemed { points } => EventKind::PointsRedeemed { points: *points },
    };
    Event::new(row.customer.to_id(), timestamp, kind)
}

fuzz_target!(|input: Input| {
    let rows = &input.rows[..input.rows.len().min(MAX_ROWS)];
    let events: Vec<Event> = rows.iter().map(event).collect();
    let policy = pick(
        &[
            DuplicatePolicy::Keep,
            DuplicatePolicy::Drop,
            DuplicatePolicy::Reject,
        ],
        input.policy,
    );
    let log = match EventLog::from_events(
        &events,
        LogOptions {
            duplicates: policy,
            ..LogOptions::default()
        },
    ) {
        Ok(log) => log,
        Err(Error::InvalidRows { issues }) => {
            assert!(!issues.is_empty());
            assert!(issues.iter().all(|i| i.row < events.len()));
            assert!(issues.windows(2).all(|w| w[0].row <= w[1].row));
            return;
        }
        Err(other) => {
            // Any other typed error is acceptable, but there is none for rows today.
            panic!("unexpected error variant: {other:?}");
        }
    };
    assert!(log.len() <= events.len());

    // Rebuilding from the log's own events is lossless.
    let again = EventLog::from_events(&log.to_events(), LogOptions::default())
        .expect("a valid log's events are valid");
    assert_eq!(again.to_events(), log.to_events());

    // Summaries of a split, merged, equal the summaries of the whole (with
    // duplicates kept, so that each part keeps exactly its rows).
    if policy != DuplicatePolicy::Keep {
        return;
    }
    let whole = Summaries::from_log(&log);
    let days = OrderDays::from_log(&log);
    let mut parts: [Vec<Event>; 3] = Default::default();
    for (row, e) in rows.iter().zip(&events) {
        parts[usize::from(row.part % 3)].push(e.clone());
    }
    let mut merged = Summaries::default();
    let mut merged_days = OrderDays::default();
    for part in parts.iter().rev() {
        let part_log = EventLog::from_events(part, LogOptions::default())
            .expect("a subset of valid rows is valid");
        merged = merged.merge(&Summaries::from_log(&part_log));
        merged_days = merged_days.merge(&OrderDays::from_log(&part_log));
    }
    assert_eq!(merged, whole);
    assert_eq!(merged_days, days);
});
