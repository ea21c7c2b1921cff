//! The model inputs built from the raw CDNOW purchase log equal the published
//! CDNOW calibration summary (2,357 customers, 39 weeks to 1997-09-30), and the
//! inputs built from merged partitions equal the single-pass ones.

use chrono::NaiveDate;
use retention_core::events::{Event, EventLog, LogOptions};
use retention_core::model_input::{
    calibration_and_holdout, model_input, ModelInputOptions, OrdersAfterEnd, TimeUnit,
};
use retention_core::summary::OrderDays;
use retention_core::time::to_micros;

fn cdnow_events() -> Vec<Event> {
    let text = include_str!("fixtures/CDNOW_sample.txt");
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|line| {
            let f: Vec<&str> = line.split_whitespace().collect();
            // master_id sample_id yyyymmdd number_of_cds dollar_value; the summary uses sample_id.
            let id: i64 = f[1].parse().unwrap();
            let date = NaiveDate::parse_from_str(f[2], "%Y%m%d").unwrap();
            let amount: f64 = f[4].parse().unwrap();
            Event::order(id, date.and_hms_opt(0, 0, 0).unwrap().and_utc(), amount)
        })
        .collect()
}

fn published() -> Vec<(i64, f64, f64, f64)> {
    include_str!("fixtures/cdnow_customers_summary.csv")
        .lines()
        .skip(1)
        .map(|l| {
            let f: Vec<f64> = l.split(',').map(|x| x.parse().unwrap()).collect();
            (f[0] as i64, f[1], f[2], f[3])
        })
        .collect()
}

fn end() -> i64 {
    to_micros(
        NaiveDate::from_ymd_opt(1997, 9, 30)
            .unwrap()
            .and_hms_opt(0, 0, 0)
            .unwrap()
            .and_utc(),
    )
}

#[test]
fn cdnow_calibration_summary_matches_published() {
    let events = cdnow_events();
    assert_eq!(events.len(), 6919);
    let days = OrderDays::from_log(&EventLog::from_events(&events, LogOptions::default()).unwrap());
    let input = model_input(
        &days,
        &ModelInputOptions {
            multiplier: 7.0,
            after_end: OrdersAfterEnd::Ignore,
            ..ModelInputOptions::new(end())
        },
    )
    .unwrap();
    let expected = published();
    assert_eq!(input.len(), 2357);
    for (i, (id, x, tx, t)) in expected.iter().enumerate() {
        assert_eq!(input.ids[i], (*id).into());
        assert_eq!(input.frequency[i], *x, "customer {id}");
        // The published file rounds to two decimals.
        assert!(
            (input.recency[i] - tx).abs() < 0.006,
            "customer {id}: {} vs {tx}",
            input.recency[i]
        );
        assert!(
            (input.t[i] - t).abs() < 0.006,
            "customer {id}: {} vs {t}",
            input.t[i]
        );
    }
    let repeat_buyers = input.frequency.iter().filter(|&&x| x > 0.0).count();
    assert_eq!(repeat_buyers, 946);
}

#[test]
fn partitioned_inputs_equal_single_pass() {
    let events = cdnow_events();
    let whole =
        OrderDays::from_log(&EventLog::from_events(&events, LogOptions::default()).unwrap());
    // Interleaved split: the same customer-day lands in several partitions.
    let parts: Vec<OrderDays> = (0..3)
        .map(|k| {
            let part: Vec<Event> = events.iter().skip(k).step_by(3).cloned().collect();
            OrderDays::from_log(&EventLog::from_events(&part, LogOptions::default()).unwrap())
        })
        .collect();
    let merged = parts[2].merge(&parts[0]).merge(&parts[1]);
    assert_eq!(merged, whole);
    let opts = ModelInputOptions {
        unit: TimeUnit::Week,
        after_end: OrdersAfterEnd::Ignore,
        ..ModelInputOptions::new(end())
    };
    assert_eq!(
        model_input(&merged, &opts).unwrap(),
        model_input(&whole, &opts).unwrap()
    );
}

#[test]
fn cdnow_holdout_covers_39_weeks() {
    let days = OrderDays::from_log(
        &EventLog::from_events(&cdnow_events(), LogOptions::default()).unwrap(),
    );
    let obs = to_micros(
        NaiveDate::from_ymd_opt(1998, 6, 30)
            .unwrap()
            .and_hms_opt(0, 0, 0)
            .unwrap()
            .and_utc(),
    );
    let split = calibration_and_holdout(&days, end(), obs, TimeUnit::Day, 7.0, false).unwrap();
    assert_eq!(split.calibration.len(), 2357);
    assert!((split.duration_holdout - 39.0).abs() < 1e-12);
    // Independent count: distinct (customer, day) pairs after the calibration end
    // among customers who bought in the calibration period (all 2,357 did).
    let mut pairs: Vec<(String, i64)> = cdnow_events()
        .iter()
        .map(|e| {
            (
                e.customer.to_string(),
                retention_core::time::to_micros(e.timestamp),
            )
        })
        .filter(|(_, t)| *t > end() && *t <= obs)
        .collect();
    pairs.sort();
    pairs.dedup();
    let total: f64 = split.frequency_holdout.iter().sum();
    assert_eq!(total, pairs.len() as f64);
    assert!(total > 0.0);
}
