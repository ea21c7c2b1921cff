//! Buy-till-you-die model benchmarks.
//!
//! What is measured:
//!
//! * `bgnbd_fit_cdnow` — BG/NBD maximum-likelihood fit (analytic gradient,
//!   standard errors included) on the 2,357-customer CDNOW calibration
//!   summary shipped in `retention-core/tests/fixtures`;
//! * `pareto_nbd_fit_100k` — Pareto/NBD fit (analytic gradient; above 40,000
//!   rows the fit starts from a 10,000-row subsample fit, see
//!   `retention_core::models` fitting) on 100,000 customers simulated from
//!   known parameters, standard errors included (target < 1 s);
//! * `bgnbd_predict_1m` / `pareto_nbd_predict_1m` — P(alive) plus the
//!   conditional expected purchases in the next 39 weeks for 1,000,000
//!   customers (CDNOW histories repeated), through the batch API
//!   (target < 0.5 s);
//! * `summary_direct_1m` — frequency / recency / `T` / monetary value from
//!   1,000,000 orders straight from the columns
//!   (`model_input::model_input_from_orders`), the workload of
//!   `benches/compare_lifetimes.py`: customer ids Zipf(1.6) mod 50,000, days
//!   uniform over two years in random order, daily periods;
//!   `summary_via_log_1m` is the same through `EventLog` → `OrderDays` →
//!   `model_input`, for comparison.
//!
//! Run (release profile, as the `bench` profile is):
//!
//! ```text
//! cargo bench -p retention-benches --bench models
//! ```

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion};
use retention_core::events::{CustomerColumn, EventColumns, EventLog, LogOptions};
use retention_core::model_input::{model_input, model_input_from_orders, ModelInputOptions};
use retention_core::models::bgnbd::{self, BgNbdParams};
use retention_core::models::pareto_nbd::{self, ParetoNbdParams};
use retention_core::models::{FitOptions, TransactionModel, TransactionSummary};
use retention_core::summary::OrderDays;

const CDNOW: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../retention-core/tests/fixtures/cdnow_customers_summary.csv"
));

fn cdnow() -> (Vec<f64>, Vec<f64>, Vec<f64>) {
    let (mut x, mut tx, mut age) = (Vec::new(), Vec::new(), Vec::new());
    for line in CDNOW.lines().skip(1) {
        let f: Vec<f64> = line
            .split(',')
            .map(|v| v.trim().parse().unwrap_or(0.0))
            .collect();
        if let [_, fx, ftx, fage] = f.as_slice() {
            x.push(*fx);
            tx.push(*ftx);
            age.push(*fage);
        }
    }
    (x, tx, age)
}

/// SplitMix64 with the few distributions the simulation needs.
struct Rng(u64);

impl Rng {
    fn uniform(&mut self) -> f64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        (((z ^ (z >> 31)) >> 11) as f64 + 0.5) / (1u64 << 53) as f64
    }

    fn exponential(&mut self, rate: f64) -> f64 {
        -self.uniform().ln() / rate
    }

    /// Marsaglia & Tsang (2000).
    fn gamma(&mut self, shape: f64, rate: f64) -> f64 {
        if shape < 1.0 {
            let u = self.uniform();
            return self.gamma(shape + 1.0, rate) * u.powf(1.0 / shape);
        }
        let d = shape - 1.0 / 3.0;
        let c = 1.0 / (9.0 * d).sqrt();
        loop {
            let (u1, u2) = (self.uniform(), self.uniform());
            let x = (-2.0 * u1.ln()).sqrt() * (2.0 * std::f64::consts::PI * u2).cos();
            let v = (1.0 + c * x).powi(3);
            if v > 0.0 && self.uniform().ln() < 0.5 * x * x + d - d * v + d * v.ln() {
                return d * v / rate;
            }
        }
    }

    /// Zipf(`a`) on 1, 2, … by rejection (Devroye 1986, as numpy draws it).
    fn zipf(&mut self, a: f64) -> u64 {
        let am1 = a - 1.0;
        let b = 2f64.powf(am1);
        loop {
            let u = 1.0 - self.uniform();
            let v = self.uniform();
            let x = u.powf(-1.0 / am1).floor();
            if !(1.0..9.0e18).contains(&x) {
                continue;
            }
            let t = (1.0 + 1.0 / x).powf(am1);
            if v * x * (t - 1.0) / (b - 1.0) <= t / b {
                return x as u64;
            }
        }
    }
}

/// Orders as in `benches/compare_lifetimes.py`: (ids, µs instants, amounts).
fn transactions(n: usize) -> (Vec<i64>, Vec<i64>, Vec<f64>) {
    const DAY: i64 = 86_400_000_000;
    let start = 18_993; // 2022-01-01
    let mut rng = Rng(11);
    let mut ids = Vec::with_capacity(n);
    let mut times = Vec::with_capacity(n);
    let mut amounts = Vec::with_capacity(n);
    for _ in 0..n {
        ids.push((rng.zipf(1.6) % 50_000) as i64);
        let day = (rng.uniform() * 730.0) as i64;
        times.push((start + day) * DAY);
        amounts.push((rng.gamma(2.0, 1.0 / 20.0) * 100.0).round() / 100.0);
    }
    (ids, times, amounts)
}

fn simulate_pareto(n: usize) -> (Vec<f64>, Vec<f64>, Vec<f64>) {
    let (r, alpha, s, beta) = (0.55, 10.6, 0.61, 11.7);
    let mut rng = Rng(7);
    let (mut xs, mut txs, mut ts) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..n {
        let lambda = rng.gamma(r, alpha);
        let mu = rng.gamma(s, beta);
        let t_end = 27.0 + 12.0 * rng.uniform();
        let death = rng.exponential(mu).min(t_end);
        let (mut t, mut x, mut tx) = (0.0, 0.0, 0.0);
        loop {
            t += rng.exponential(lambda);
            if t > death {
                break;
            }
            x += 1.0;
            tx = t;
        }
        xs.push(x);
        txs.push(tx);
        ts.push(t_end);
    }
    (xs, txs, ts)
}

fn fits(c: &mut Criterion) {
    let (x, tx, age) = cdnow();
    let mut group = c.benchmark_group("models_fit");
    group.sample_size(10);
    group.bench_function("bgnbd_fit_cdnow", |b| {
        b.iter(|| {
            let data = TransactionSummary::new(&x, &tx, &age);
            black_box(bgnbd::fit(black_box(&data), &FitOptions::default()))
        })
    });
    let (px, ptx, page) = simulate_pareto(100_000);
    group.bench_function("pareto_nbd_fit_100k", |b| {
        b.iter(|| {
            let data = TransactionSummary::new(&px, &ptx, &page);
            black_box(pareto_nbd::fit(black_box(&data), &FitOptions::default()))
        })
    });
    group.finish();
}

fn predictions(c: &mut Criterion) {
    let (x, tx, age) = cdnow();
    let n = 1_000_000;
    let rep = |v: &[f64]| -> Vec<f64> { v.iter().copied().cycle().take(n).collect() };
    let (x, tx, age) = (rep(&x), rep(&tx), rep(&age));
    let bg = BgNbdParams::new(0.2426, 4.4136, 0.7929, 2.4259).ok();
    let pn = ParetoNbdParams::new(0.5532, 10.578, 0.6062, 11.669).ok();
    let mut group = c.benchmark_group("models_predict");
    group.sample_size(10);
    group.bench_function("bgnbd_predict_1m", |b| {
        b.iter(|| {
            let data = TransactionSummary::new(&x, &tx, &age);
            let m = bg.as_ref().map(|m| {
                (
                    m.probability_alive_batch(&data),
                    m.conditional_expected_purchases_batch(39.0, &data),
                )
            });
            black_box(m)
        })
    });
    group.bench_function("pareto_nbd_predict_1m", |b| {
        b.iter(|| {
            let data = TransactionSummary::new(&x, &tx, &age);
            let m = pn.as_ref().map(|m| {
                (
                    m.probability_alive_batch(&data),
                    m.conditional_expected_purchases_batch(39.0, &data),
                )
            });
            black_box(m)
        })
    });
    group.finish();
}

fn summaries(c: &mut Criterion) {
    let (ids, times, amounts) = transactions(1_000_000);
    let end = times.iter().copied().max().unwrap_or(0);
    let options = ModelInputOptions::new(end);
    let mut group = c.benchmark_group("model_input");
    group.sample_size(20);
    group.bench_function("summary_direct_1m", |b| {
        b.iter(|| {
            black_box(model_input_from_orders(
                CustomerColumn::Int(black_box(&ids)),
                &times,
                Some(&amounts),
                &options,
            ))
        })
    });
    group.bench_function("summary_via_log_1m", |b| {
        b.iter(|| {
            let cols = EventColumns::orders(CustomerColumn::Int(black_box(&ids)), &times, &amounts);
            let log = EventLog::from_columns(&cols, LogOptions::default()).expect("valid orders");
            black_box(model_input(&OrderDays::from_log(&log), &options))
        })
    });
    group.finish();
}

criterion_group!(benches, fits, predictions, summaries);
criterion_main!(benches);
