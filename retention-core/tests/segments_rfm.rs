//! RFM on hand-built fixtures: known quantiles with ties, thresholds returned,
//! every default segment reachable.

use chrono::{Duration, TimeZone, Utc};
use retention_core::events::{Event, EventKind, EventLog, LogOptions};
use retention_core::segments::rfm::{
    rfm, Binning, FrequencyBasis, MonetaryBasis, RfmOptions, RfmThresholds, SegmentTable,
    DEFAULT_SEGMENTS, OTHERS, PROSPECTS,
};
use retention_core::summary::{OrderDays, Summaries};
use retention_core::time::to_micros;
use retention_core::Error;

fn as_of() -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2024, 12, 31, 0, 0, 0).unwrap()
}

/// Customer `id` with `orders` orders of `amount` each, the last `recency` days before as_of,
/// one order per day going back.
fn customer(id: i64, recency: i64, orders: i64, amount: f64, events: &mut Vec<Event>) {
    for k in 0..orders {
        events.push(Event::order(
            id,
            as_of() - Duration::days(recency + k),
            amount,
        ));
    }
}

#[test]
fn quantiles_with_ties_match_hand_computation() {
    // Frequencies 1,1,1,1,1,1,2,2,3,10 for ids 0..10; recency = 10 × id days; spend = 10 per order.
    let freqs = [1, 1, 1, 1, 1, 1, 2, 2, 3, 10];
    let mut events = Vec::new();
    for (id, &f) in freqs.iter().enumerate() {
        customer(id as i64, 10 * id as i64 + 1, f, 10.0, &mut events);
    }
    events.push(Event::new(
        99,
        as_of() - Duration::days(3),
        EventKind::Session,
    )); // a prospect
    let summaries =
        Summaries::from_log(&EventLog::from_events(&events, LogOptions::default()).unwrap());
    let scores = rfm(&summaries, None, &RfmOptions::new(to_micros(as_of()))).unwrap();

    // Rank-first: tied frequencies are split by id order, never collapsing bins
    // (pandas: qcut(rank(method="first"), 5)).
    let f: Vec<u8> = scores.f[..10].iter().map(|s| s.unwrap()).collect();
    assert_eq!(f, vec![1, 1, 2, 2, 3, 3, 4, 4, 5, 5]);
    assert_eq!(scores.thresholds.frequency, vec![1.0, 1.0, 1.0, 2.0]);
    // Recency 1, 11, ..., 91 days: most recent two score 5.
    let r: Vec<u8> = scores.r[..10].iter().map(|s| s.unwrap()).collect();
    assert_eq!(r, vec![5, 5, 4, 4, 3, 3, 2, 2, 1, 1]);
    assert_eq!(scores.thresholds.recency, vec![11.0, 31.0, 51.0, 71.0]);
    // Monetary = 10 × orders: same ranks as frequency.
    assert_eq!(scores.m[9], Some(5));
    assert_eq!(scores.monetary[9], Some(100.0));
    // Segments from (R, F): 0 → 51 New, 1 → 51 New, 2 → 42 Potential Loyalists, 4 → 33 Need Attention,
    // 6 → 24 At Risk, 8 → 15 Can't Lose Them.
    assert_eq!(scores.segment[0], "New Customers");
    assert_eq!(scores.segment[2], "Potential Loyalists");
    assert_eq!(scores.segment[4], "Need Attention");
    assert_eq!(scores.segment[6], "At Risk");
    assert_eq!(scores.segment[8], "Can't Lose Them");
    assert_eq!(
        (scores.segment[10].as_str(), scores.r[10]),
        (PROSPECTS, None)
    );
}

#[test]
fn every_default_segment_is_reachable_with_thresholds() {
    // One customer per (R, F) cell; thresholds put recency r-days and frequency f at exact scores.
    let thresholds = RfmThresholds {
        // R score 5 ⇔ recency ≤ 10; 4 ⇔ ≤ 20; … (bins are reversed for recency).
        recency: vec![10.0, 20.0, 30.0, 40.0],
        frequency: vec![1.0, 2.0, 3.0, 4.0],
        monetary: vec![100.0, 200.0, 300.0, 400.0],
    };
    let mut events = Vec::new();
    let mut id = 0;
    let mut cells = Vec::new();
    for r in 1..=5u8 {
        for f in 1..=5u8 {
            let recency = 10 * (5 - i64::from(r)) + 5; // 45 → R1, ..., 5 → R5
            customer(id, recency, i64::from(f), 50.0, &mut events);
            cells.push((id, r, f));
            id += 1;
        }
    }
    events.push(Event::new(
        1000,
        as_of() - Duration::days(1),
        EventKind::Signup,
    ));
    let summaries =
        Summaries::from_log(&EventLog::from_events(&events, LogOptions::default()).unwrap());
    let options = RfmOptions {
        binning: Binning::Thresholds(thresholds.clone()),
        ..RfmOptions::new(to_micros(as_of()))
    };
    let scores = rfm(&summaries, None, &options).unwrap();
    assert_eq!(scores.thresholds, thresholds);
    let table = SegmentTable::default();
    for &(id, r, f) in &cells {
        let i = id as usize;
        assert_eq!(
            (scores.r[i], scores.f[i]),
            (Some(r), Some(f)),
            "customer {id}"
        );
        assert_eq!(scores.segment[i], table.classify(r, f, 1));
    }
    let sizes = scores.segment_sizes(&table);
    for (name, _) in DEFAULT_SEGMENTS {
        let n = sizes.iter().find(|s| s.name == *name).unwrap().customers;
        assert!(n > 0, "{name} unreachable");
    }
    assert_eq!(
        sizes
            .iter()
            .find(|s| s.name == PROSPECTS)
            .unwrap()
            .customers,
        1
    );
    // The defaults leave nothing for "Others"; a caller table does.
    assert_eq!(
        sizes.iter().find(|s| s.name == OTHERS).unwrap().customers,
        0
    );
    let custom = RfmOptions {
        segments: SegmentTable::from_patterns(&[("Best", "55")]).unwrap(),
        ..options.clone()
    };
    let scores = rfm(&summaries, None, &custom).unwrap();
    assert_eq!(scores.segment[24], "Best");
    assert_eq!(scores.segment[0], OTHERS);
}

#[test]
fn frequency_by_order_days_and_mean_spend() {
    let t = as_of() - Duration::days(5);
    let events = vec![
        Event::order(1, t, 10.0),
        Event::order(1, t, 30.0), // same day
        Event::order(1, t - Duration::days(3), 20.0),
        Event::new(1, t, EventKind::Refund { amount: 6.0 }),
        Event::order(2, t, 5.0),
    ];
    let log = EventLog::from_events(&events, LogOptions::default()).unwrap();
    let summaries = Summaries::from_log(&log);
    let days = OrderDays::from_log(&log);
    let options = RfmOptions {
        frequency: FrequencyBasis::OrderDays,
        monetary: MonetaryBasis::Mean,
        bins: 2,
        ..RfmOptions::new(to_micros(as_of()))
    };
    let scores = rfm(&summaries, Some(&days), &options).unwrap();
    assert_eq!(scores.frequency, vec![Some(2.0), Some(1.0)]);
    assert_eq!(scores.monetary, vec![Some(18.0), Some(5.0)]); // (60 − 6) / 3
    assert_eq!(scores.recency_days, vec![Some(5.0), Some(5.0)]);
    // Order days are required for that basis.
    assert!(matches!(
        rfm(&summaries, None, &options),
        Err(Error::InvalidParameter { .. })
    ));
}

#[test]
fn bad_options_and_orders_after_as_of() {
    let events = vec![Event::order(1, as_of(), 10.0)];
    let summaries =
        Summaries::from_log(&EventLog::from_events(&events, LogOptions::default()).unwrap());
    let early = RfmOptions::new(to_micros(as_of() - Duration::days(1)));
    let Err(Error::InvalidRows { issues }) = rfm(&summaries, None, &early) else {
        panic!()
    };
    assert_eq!((issues[0].row, issues[0].field), (0, "last_order"));
    for bins in [0, 1, 10] {
        let o = RfmOptions {
            bins,
            ..RfmOptions::new(to_micros(as_of()))
        };
        assert!(rfm(&summaries, None, &o).is_err());
    }
    let o = RfmOptions {
        binning: Binning::Thresholds(RfmThresholds {
            recency: vec![1.0, 2.0],
            frequency: vec![],
            monetary: vec![],
        }),
        ..RfmOptions::new(to_micros(as_of()))
    };
    assert!(rfm(&summaries, None, &o).is_err());
}
