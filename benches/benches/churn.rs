//! Churn-scoring benchmarks: health scores with traffic lights for every
//! customer of a generated shop (about 100,000 customers and 1M events).
//!
//! Run: `cargo bench -p retention-benches --bench churn`.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use retention_core::churn::health::{health_traffic_lights, HealthOptions};
use retention_core::churn::traffic_light::LightThresholds;
use retention_core::sample::{generate_log, SampleOptions};

fn bench(c: &mut Criterion) {
    // The sample shop has about 29 events per customer; 35,000 customers ≈ 1M events.
    let options = SampleOptions {
        customers: 35_000,
        ..SampleOptions::default()
    };
    let log = generate_log(&options).expect("valid sample");
    eprintln!("{} customers, {} events", log.customers().len(), log.len());
    let mut g = c.benchmark_group("churn");
    g.sample_size(10);
    g.throughput(Throughput::Elements(log.len() as u64));
    g.bench_function("health_traffic_lights", |b| {
        b.iter(|| {
            health_traffic_lights(
                &log,
                options.as_of,
                &HealthOptions::default(),
                LightThresholds::default(),
            )
            .expect("valid")
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
