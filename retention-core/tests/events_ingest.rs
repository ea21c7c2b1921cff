//! Ingestion: the columnar path (with its fast path for plain rows) and the
//! event path build the same log, order rows by (customer, time, input row),
//! and treat duplicates as a plain reference implementation does.

use proptest::prelude::*;
use retention_core::events::{
    CustomerColumn, CustomerId, DuplicatePolicy, Event, EventColumns, EventKind, EventLog,
    EventType, LogOptions,
};
use retention_core::time::{from_micros, Micros};
use retention_core::Error;

/// One input row: customer, instant (seconds), kind code, amount.
type Row = (i64, i64, usize, f64);

const KINDS: [EventType; 5] = [
    EventType::Order,
    EventType::Refund,
    EventType::Session,
    EventType::Signup,
    EventType::PointsEarned,
];

fn amount() -> impl Strategy<Value = f64> {
    prop_oneof![
        6 => (0u32..4).prop_map(|c| f64::from(c) * 2.5),
        1 => Just(-1.0),
        1 => Just(-0.0),
        1 => Just(f64::NAN),
        1 => Just(f64::INFINITY),
        1 => Just(2e12),
    ]
}

fn rows(ids: i64) -> impl Strategy<Value = Vec<Row>> {
    proptest::collection::vec((0..ids, 0i64..6, 0usize..5, amount()), 0..120)
}

fn event_kind(code: usize, amount: f64) -> EventKind {
    match KINDS[code] {
        EventType::Order => EventKind::Order {
            amount,
            items: None,
        },
        EventType::Refund => EventKind::Refund { amount },
        EventType::Session => EventKind::Session,
        EventType::Signup => EventKind::Signup,
        _ => EventKind::PointsEarned { points: amount },
    }
}

/// Amount column value: the amount for kinds that carry one, absent otherwise.
fn column_amount(code: usize, amount: f64) -> f64 {
    match KINDS[code] {
        EventType::Session | EventType::Signup => f64::NAN,
        _ => amount,
    }
}

fn micros(seconds: i64) -> Micros {
    1_700_000_000_000_000 + seconds * 1_000_000
}

/// The two builds, as comparable outcomes: the log, or the rows named by the
/// error (the columnar path reports a NaN amount as missing, the event path as
/// not finite, so only the rows are compared), plus the columnar log.
fn both(
    rows: &[Row],
    scale: i64,
    policy: DuplicatePolicy,
    threads: usize,
) -> (String, String, Option<EventLog>) {
    let ids: Vec<i64> = rows.iter().map(|r| r.0 * scale).collect();
    let times: Vec<Micros> = rows.iter().map(|r| micros(r.1)).collect();
    let kinds: Vec<EventType> = rows.iter().map(|r| KINDS[r.2]).collect();
    let amounts: Vec<f64> = rows.iter().map(|r| column_amount(r.2, r.3)).collect();
    let columns = EventColumns {
        customer: CustomerColumn::Int(&ids),
        timestamp: &times,
        kind: Some(&kinds),
        amount: Some(&amounts),
        items: None,
        score: None,
        detail: None,
        resolved: None,
    };
    let options = LogOptions {
        duplicates: policy,
        threads,
    };
    let from_columns = EventLog::from_columns(&columns, options);
    let events: Vec<Event> = rows
        .iter()
        .zip(&ids)
        .map(|(r, &id)| Event::new(id, from_micros(micros(r.1)), event_kind(r.2, r.3)))
        .collect();
    let from_events = EventLog::from_events(&events, options);
    let outcome = |r: &Result<EventLog, Error>| match r {
        Ok(log) => format!("{log:?}"),
        Err(Error::InvalidRows { issues }) => {
            let mut rows: Vec<usize> = issues.iter().map(|i| i.row).collect();
            rows.dedup();
            format!("rows {rows:?}")
        }
        Err(e) => format!("{e:?}"),
    };
    (
        outcome(&from_columns),
        outcome(&from_events),
        from_columns.ok(),
    )
}

/// Reference order: input rows sorted by (customer, time, row), with rows that
/// repeat an earlier kept row (same customer, instant, kind and amount bits)
/// removed under `Drop`.
fn reference(rows: &[Row], drop_duplicates: bool) -> (Vec<usize>, usize) {
    let mut order: Vec<usize> = (0..rows.len()).collect();
    order.sort_by_key(|&i| (rows[i].0, rows[i].1, i));
    let payload = |i: usize| (rows[i].2, column_amount(rows[i].2, rows[i].3).to_bits());
    let mut kept: Vec<usize> = Vec::new();
    let mut dropped = 0;
    // Kept rows of the current (customer, instant) group.
    let mut group: Vec<usize> = Vec::new();
    for &i in &order {
        if group
            .first()
            .is_some_and(|&g| (rows[g].0, rows[g].1) != (rows[i].0, rows[i].1))
        {
            group.clear();
        }
        let repeat = group.iter().any(|&k| payload(k) == payload(i));
        if drop_duplicates && repeat {
            dropped += 1;
        } else {
            kept.push(i);
            group.push(i);
        }
    }
    (kept, dropped)
}

fn check_against_reference(rows: &[Row], log: &EventLog, drop_duplicates: bool) {
    let (kept, dropped) = reference(rows, drop_duplicates);
    assert_eq!(log.duplicates_dropped(), dropped);
    let got: Vec<usize> = log.input_rows().iter().map(|&r| r as usize).collect();
    assert_eq!(got, kept);
    for (i, &row) in got.iter().enumerate() {
        assert_eq!(log.times()[i], micros(rows[row].1));
        assert_eq!(log.event_types()[i], KINDS[rows[row].2]);
    }
    let mut ids: Vec<i64> = rows.iter().map(|r| r.0).collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(log.customers().len(), ids.len());
    for (c, id) in log.customers().iter().enumerate() {
        for i in log.customer_range(c) {
            assert_eq!(id, &CustomerId::Int(rows[got[i]].0));
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn columns_and_events_build_the_same_log(rows in rows(8), sparse in any::<bool>()) {
        // Sparse ids leave the dense-range interning path.
        let scale = if sparse { 1_000_000_007 } else { 1 };
        for policy in [DuplicatePolicy::Keep, DuplicatePolicy::Drop, DuplicatePolicy::Reject] {
            let (columns, events, log) = both(&rows, scale, policy, 1);
            prop_assert_eq!(&columns, &events);
            if let (Some(log), 1) = (log, scale) {
                match policy {
                    DuplicatePolicy::Keep => check_against_reference(&rows, &log, false),
                    DuplicatePolicy::Drop => check_against_reference(&rows, &log, true),
                    DuplicatePolicy::Reject => prop_assert_eq!(reference(&rows, true).1, 0),
                }
            }
        }
    }
}

#[test]
fn many_customers_span_several_buckets() {
    // 200,000 valid rows over 20,000 customers: the grouping cuts customers
    // into buckets of several customers each, and is large enough to be split
    // between threads.
    let mut state = 11_u64;
    let mut next = |m: u64| {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (state >> 33) % m
    };
    let rows: Vec<Row> = (0..200_000)
        .map(|_| {
            let code = next(3) as usize;
            (
                next(20_000) as i64,
                next(40) as i64,
                code,
                1.0 + next(4) as f64,
            )
        })
        .collect();
    for (policy, drop) in [
        (DuplicatePolicy::Keep, false),
        (DuplicatePolicy::Drop, true),
    ] {
        for threads in [1, 2, 3] {
            let (columns, events, log) = both(&rows, 1, policy, threads);
            assert_eq!(columns, events);
            let log = log.expect("valid rows");
            check_against_reference(&rows, &log, drop);
            if drop {
                assert!(log.duplicates_dropped() > 0);
            }
        }
    }
}
