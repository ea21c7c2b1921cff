//! Monthly acquisition-cohort retention matrix over 10 million order events.
//!
//! Measures [`acquisition_cohorts`] (default options: calendar months in UTC,
//! "return on" retention, orders qualify, net revenue) on a log of 1 million
//! customers with 10 orders each, spread over about four and a half years,
//! and the same matrix from the customers' mergeable [`OrderDays`]
//! ([`acquisition_cohorts_from_order_days`], gross revenue). Building the log
//! and the order days is setup, not measured. The events come from an inline
//! deterministic generator (SplitMix64), so every run sees the same data.
//! Target: under 1 s on one core.
//!
//! Run with `cargo bench -p retention-benches --bench cohorts`.

use criterion::{criterion_group, criterion_main, Criterion};
use retention_core::cohorts::{
    acquisition_cohorts, acquisition_cohorts_from_order_days, CohortOptions, RevenueBasis,
};
use retention_core::events::{CustomerColumn, EventColumns, EventLog, LogOptions};
use retention_core::summary::OrderDays;
use retention_core::time::{days, from_micros, Micros, MICROS_PER_SECOND};
use std::hint::black_box;

const CUSTOMERS: i64 = 1_000_000;
const ORDERS_PER_CUSTOMER: usize = 10;

/// SplitMix64: a tiny, deterministic generator.
struct SplitMix(u64);

impl SplitMix {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// 2021-01-01T00:00:00Z.
const START: Micros = 1_609_459_200 * MICROS_PER_SECOND;

/// 10M orders, sorted by customer then time; returns the log and an `as_of`
/// (µs) after the last event.
fn generate() -> (EventLog, Micros) {
    let start = START;
    let n = CUSTOMERS as usize * ORDERS_PER_CUSTOMER;
    let mut rng = SplitMix(42);
    let mut customers = Vec::with_capacity(n);
    let mut times = Vec::with_capacity(n);
    let mut amounts = Vec::with_capacity(n);
    let mut last = start;
    for c in 0..CUSTOMERS {
        // First order within three years, then gaps of up to 60 days.
        let mut t = start + (rng.below(3 * 365 * 86_400) as i64) * MICROS_PER_SECOND;
        for _ in 0..ORDERS_PER_CUSTOMER {
            customers.push(c);
            times.push(t);
            amounts.push((rng.below(20_000) as f64) / 100.0);
            last = last.max(t);
            t += days(1) + (rng.below(59 * 86_400) as i64) * MICROS_PER_SECOND;
        }
    }
    let columns = EventColumns::orders(CustomerColumn::Int(&customers), &times, &amounts);
    let log = EventLog::from_columns(&columns, LogOptions::default()).expect("valid columns");
    (log, last + MICROS_PER_SECOND)
}

fn cohorts(c: &mut Criterion) {
    let (log, as_of) = generate();
    let as_of = from_micros(as_of);
    let options = CohortOptions::default();
    let matrix = acquisition_cohorts(&log, as_of, &options).expect("cohorts");
    eprintln!(
        "{} events, {} cohorts × {} ages",
        log.len(),
        matrix.cohorts(),
        matrix.ages()
    );
    let mut group = c.benchmark_group("cohorts");
    group.sample_size(10);
    group.bench_function("monthly_matrix_10M_orders_from_log", |b| {
        b.iter(|| acquisition_cohorts(black_box(&log), as_of, &options).expect("cohorts"))
    });
    let days = OrderDays::from_log(&log);
    drop(log);
    let gross = CohortOptions {
        revenue: RevenueBasis::Gross,
        ..CohortOptions::default()
    };
    group.bench_function("monthly_matrix_10M_orders_from_order_days", |b| {
        b.iter(|| {
            acquisition_cohorts_from_order_days(black_box(&days), as_of, &gross).expect("cohorts")
        })
    });
    group.finish();
}

criterion_group!(benches, cohorts);
criterion_main!(benches);
