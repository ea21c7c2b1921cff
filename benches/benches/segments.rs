//! Segmentation benchmarks: RFM scores and named segments for about one
//! million customers (target: under 0.5 s on one core), and lifecycle stages
//! for the same customers.
//!
//! Run: `cargo bench -p retention-benches --bench segments`.
//!
//! The customers come from the sample shop's order process
//! (`retention_core::sample::generate_orders`); summaries and order days are
//! built once, outside the timed part.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use retention_core::events::LogOptions;
use retention_core::sample::{generate_orders, SampleOptions};
use retention_core::segments::lifecycle::{lifecycle, LifecycleOptions};
use retention_core::segments::rfm::{rfm, FrequencyBasis, RfmOptions};
use retention_core::summary::{OrderDays, Summaries};

fn bench(c: &mut Criterion) {
    // 85 % of generated customers buy: 1.18M customers → about 1M buyers.
    let options = SampleOptions {
        customers: 1_180_000,
        ..SampleOptions::default()
    };
    let log = generate_orders(&options)
        .and_then(|o| o.to_log(LogOptions::default()))
        .expect("valid sample");
    let summaries = Summaries::from_log(&log);
    let days = OrderDays::from_log(&log);
    eprintln!(
        "{} customers with orders, {} orders",
        summaries.len(),
        log.len()
    );

    let mut g = c.benchmark_group("segments_1M_customers");
    g.sample_size(10);
    g.throughput(Throughput::Elements(summaries.len() as u64));
    let by_orders = RfmOptions::new(options.as_of);
    g.bench_function("rfm_scores_and_segments", |b| {
        b.iter(|| rfm(&summaries, None, &by_orders).expect("valid"))
    });
    let by_days = RfmOptions {
        frequency: FrequencyBasis::OrderDays,
        ..RfmOptions::new(options.as_of)
    };
    g.bench_function("rfm_by_order_days", |b| {
        b.iter(|| rfm(&summaries, Some(&days), &by_days).expect("valid"))
    });
    g.bench_function("lifecycle_stages", |b| {
        b.iter(|| {
            lifecycle(
                &summaries,
                &days,
                options.as_of,
                &LifecycleOptions::default(),
            )
            .expect("valid")
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
