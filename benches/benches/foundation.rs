//! Foundation benchmarks: ingestion, summaries and descriptive metrics on
//! 1M and 10M generated order events (the sample shop's order process,
//! `retention_core::sample::generate_orders`).
//!
//! Run: `cargo bench -p retention-benches --bench foundation`
//! (set `RETENTION_BENCH_SIZES=1000000` to skip the 10M case).
//!
//! Measured:
//! * `ingest_columns`: validating and ordering columnar orders into an `EventLog`
//!   (`_2_threads`: with `LogOptions::threads = 2`);
//! * `summaries_from_log`: one pass building the mergeable per-customer
//!   summaries (target ≥ 30M order events/s on one core);
//! * `merge_summaries`: merging the summaries of two halves;
//! * `period_activity` and `order_stats`: CRR/churn counts and AOV/repeat rate
//!   for one month.
//!
//! The per-customer state is printed once before the timings.

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use retention_core::events::{EventLog, LogOptions};
use retention_core::metrics::{order_stats, period_activity, ActivityOptions, Window};
use retention_core::sample::{generate_orders, OrderColumns, SampleOptions};
use retention_core::summary::{CustomerSummary, Summaries};
use retention_core::time::{Calendar, Period};

fn sizes() -> Vec<usize> {
    std::env::var("RETENTION_BENCH_SIZES")
        .ok()
        .map(|s| s.split(',').filter_map(|x| x.trim().parse().ok()).collect())
        .unwrap_or_else(|| vec![1_000_000, 10_000_000])
}

/// About `target` orders from the sample shop's purchase process.
fn orders(target: usize) -> (SampleOptions, OrderColumns) {
    // The default process yields a little over two orders per customer.
    let mut options = SampleOptions {
        customers: target / 2,
        ..SampleOptions::default()
    };
    let mut cols = generate_orders(&options).expect("valid options");
    while cols.len() > target {
        options.customers = options.customers * 9 / 10;
        cols = generate_orders(&options).expect("valid options");
    }
    (options, cols)
}

fn bench(c: &mut Criterion) {
    for n in sizes() {
        let (options, cols) = orders(n);
        let events = cols.len() as u64;
        let log = cols.to_log(LogOptions::default()).expect("valid sample");
        let customers = log.customers().len();
        eprintln!(
            "{events} orders, {customers} customers; summary state: {} bytes per order-only customer (+ a copy of its id, {} bytes inline)",
            std::mem::size_of::<CustomerSummary>(),
            std::mem::size_of::<retention_core::events::CustomerId>(),
        );

        let mut g = c.benchmark_group(format!("foundation_{}M", events / 1_000_000));
        g.sample_size(10);
        g.throughput(Throughput::Elements(events));
        g.bench_function(BenchmarkId::new("ingest_columns", events), |b| {
            b.iter(|| {
                EventLog::from_columns(&cols.columns(), LogOptions::default()).expect("valid")
            })
        });
        let two = LogOptions {
            threads: 2,
            ..LogOptions::default()
        };
        g.bench_function(BenchmarkId::new("ingest_columns_2_threads", events), |b| {
            b.iter(|| EventLog::from_columns(&cols.columns(), two).expect("valid"))
        });
        g.bench_function(BenchmarkId::new("summaries_from_log", events), |b| {
            b.iter(|| Summaries::from_log(&log))
        });

        let half = cols.len() / 2;
        let a = EventLog::from_columns(
            &retention_core::events::EventColumns::orders(
                retention_core::events::CustomerColumn::Int(&cols.customer[..half]),
                &cols.timestamp[..half],
                &cols.amount[..half],
            ),
            LogOptions::default(),
        )
        .expect("valid");
        let b_log = EventLog::from_columns(
            &retention_core::events::EventColumns::orders(
                retention_core::events::CustomerColumn::Int(&cols.customer[half..]),
                &cols.timestamp[half..],
                &cols.amount[half..],
            ),
            LogOptions::default(),
        )
        .expect("valid");
        let (sa, sb) = (Summaries::from_log(&a), Summaries::from_log(&b_log));
        g.bench_function(BenchmarkId::new("merge_summaries", events), |b| {
            b.iter(|| sa.merge(&sb))
        });

        let month = Calendar::utc(Period::Month);
        let window =
            Window::period(&month, month.last_complete(options.as_of)).expect("valid period");
        g.bench_function(BenchmarkId::new("period_activity", events), |b| {
            b.iter(|| period_activity(&log, window, &ActivityOptions::default()).expect("valid"))
        });
        g.bench_function(BenchmarkId::new("order_stats", events), |b| {
            b.iter(|| order_stats(&log, window))
        });
        g.finish();
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
