//! Storefront benchmarks: one shopper's view (tier, points, risk badge,
//! lifecycle) and points ledger from a 1,000-event history, the computation
//! the npm package runs in the browser per page view.
//!
//! Run: `cargo bench -p retention-benches --bench shopper`.

use chrono::{TimeZone, Utc};
use criterion::{criterion_group, criterion_main, Criterion};
use retention_core::events::{Event, EventKind, EventLog, LogOptions, Severity};
use retention_core::loyalty::{points_ledger, tier_status, LoyaltyConfig};
use retention_core::shopper::{shopper_view, ShopperOptions};
use retention_core::time::to_micros;

/// 1,000 events of one shopper over two years: 60 % orders, 30 % visits,
/// 7 % email opens, 3 % support tickets (a deterministic LCG).
fn history() -> Vec<Event> {
    let as_of = Utc.with_ymd_and_hms(2025, 1, 1, 0, 0, 0).unwrap();
    let mut s: u64 = 7;
    let mut rand = || {
        s = s
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (s >> 11) as f64 / (1u64 << 53) as f64
    };
    (0..1000)
        .map(|_| {
            let t = as_of - chrono::Duration::seconds((rand() * 700.0 * 86_400.0) as i64 + 1);
            let k = rand();
            let kind = if k < 0.6 {
                EventKind::Order {
                    amount: (rand() * 10_000.0).round() / 100.0,
                    items: None,
                }
            } else if k < 0.9 {
                EventKind::Session
            } else if k < 0.97 {
                EventKind::EmailOpen
            } else {
                EventKind::SupportTicket {
                    severity: Severity::Minor,
                    resolved: rand() < 0.5,
                }
            };
            Event::new("shopper-1", t, kind)
        })
        .collect()
}

fn bench(c: &mut Criterion) {
    let events = history();
    let as_of = Utc.with_ymd_and_hms(2025, 1, 1, 0, 0, 0).unwrap();
    let log = EventLog::from_events(&events, LogOptions::default()).expect("valid");
    let id = "shopper-1".into();
    let options = ShopperOptions::default();
    let config = LoyaltyConfig::default();
    let mut g = c.benchmark_group("shopper");
    g.bench_function("from_events_1000", |b| {
        b.iter(|| EventLog::from_events(&events, LogOptions::default()).expect("valid"))
    });
    g.bench_function("shopper_view_1000", |b| {
        b.iter(|| shopper_view(&log, &id, to_micros(as_of), &options).expect("valid"))
    });
    g.bench_function("points_ledger_1000", |b| {
        b.iter(|| points_ledger(&log, &id, as_of, &config).expect("valid"))
    });
    g.bench_function("tier_status_1000", |b| {
        b.iter(|| tier_status(&log, &id, as_of, &config).expect("valid"))
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
