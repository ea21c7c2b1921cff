//! Regression inputs for the fuzz targets in `fuzz/` (see `fuzz/README.md`).
//!
//! Every crash a fuzz target finds becomes a test here, with its input, so it
//! stays fixed on stable `cargo test`. No target has crashed so far; the
//! tests below pin the invariants the targets check on their hardest known
//! inputs (non-finite payloads, instants at chrono's limits, CSV timestamps
//! outside RFC 3339's years).

use chrono::{DateTime, Utc};
use retention_core::csv_input::{parse_csv, read_csv, to_csv_string};
use retention_core::events::{
    CustomerId, DuplicatePolicy, Event, EventKind, EventLog, LogOptions, SubscriptionChange,
    SurveyKind,
};
use retention_core::summary::Summaries;
use retention_core::Error;

#[test]
fn non_finite_payloads_are_row_issues() {
    let t = DateTime::<Utc>::UNIX_EPOCH;
    let events = vec![
        Event::new(
            1,
            t,
            EventKind::Order {
                amount: f64::NAN,
                items: Some(u32::MAX),
            },
        ),
        Event::new(
            1,
            t,
            EventKind::Refund {
                amount: f64::NEG_INFINITY,
            },
        ),
        Event::new(
            1,
            t,
            EventKind::Survey {
                kind: SurveyKind::Nps,
                score: f64::INFINITY,
            },
        ),
        Event::new(
            1,
            t,
            EventKind::Subscription {
                change: SubscriptionChange::Churn,
                mrr_delta: -0.0,
            },
        ),
        Event::new(1, t, EventKind::PointsRedeemed { points: f64::MAX }),
    ];
    for policy in [
        DuplicatePolicy::Keep,
        DuplicatePolicy::Drop,
        DuplicatePolicy::Reject,
    ] {
        match EventLog::from_events(
            &events,
            LogOptions {
                duplicates: policy,
                ..LogOptions::default()
            },
        ) {
            Err(Error::InvalidRows { issues }) => {
                let rows: Vec<usize> = issues.iter().map(|i| i.row).collect();
                assert_eq!(rows, vec![0, 0, 1, 2, 3, 4]);
            }
            other => panic!("{other:?}"),
        }
    }
}

#[test]
fn instants_at_chrono_limits_build_and_summarise() {
    let events = vec![
        Event::order(CustomerId::from(""), DateTime::<Utc>::MIN_UTC, 0.0),
        Event::order(CustomerId::from(""), DateTime::<Utc>::MAX_UTC, 1e12),
        Event::new(i64::MIN, DateTime::<Utc>::MAX_UTC, EventKind::Session),
    ];
    let log = EventLog::from_events(&events, LogOptions::default()).unwrap();
    let whole = Summaries::from_log(&log);
    let a =
        Summaries::from_log(&EventLog::from_events(&events[..1], LogOptions::default()).unwrap());
    let b =
        Summaries::from_log(&EventLog::from_events(&events[1..], LogOptions::default()).unwrap());
    assert_eq!(a.merge(&b), whole);
}

#[test]
fn csv_years_outside_rfc3339_are_read() {
    // Year −1 after applying the offset: readable, but RFC 3339 output cannot
    // express it, so the fuzz target skips the round trip for such logs.
    let log = parse_csv(
        "customer_id,timestamp,event\n1,0000-01-01T00:00:00+01:00,session\n",
        LogOptions::default(),
    )
    .unwrap();
    let text = to_csv_string(&log);
    assert!(text.contains("-0001-12-31T23:00:00Z"), "{text}");
    let _ = read_csv(text.as_bytes(), LogOptions::default());
}

#[test]
fn degenerate_csv_inputs_are_typed_errors() {
    for bytes in [
        &b""[..],
        b"\n\n",
        b"\"",
        b"customer_id,timestamp\n\"unterminated,2024-01-01\n",
        b"\xef\xbb\xbf",
        b"customer_id,customer_id\n",
        b"customer_id,timestamp\n1,2024-02-30\n",
        b"customer_id,timestamp,event\n1,+275760-01-01,session\n",
    ] {
        let _ = read_csv(bytes, LogOptions::default());
    }
}
