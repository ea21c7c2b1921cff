//! Survival-analysis benchmarks for `retention_core::survival`.
//!
//! What it measures (inputs generated in-process from a fixed seed, outside
//! the timed region; the timed region includes input validation):
//!
//! - `kaplan_meier_1m_days`: Kaplan–Meier with exponential-Greenwood bounds
//!   on 1,000,000 durations in whole days (heavy ties, ~30 % censored);
//! - `kaplan_meier_1m_continuous`: the same on continuous durations
//!   (nearly all distinct);
//! - `cox_efron_100k_x7` / `cox_breslow_100k_x7`: a Cox proportional
//!   hazards fit (Newton–Raphson to convergence, standard errors and
//!   concordance) on 100,000 rows × 7 covariates (5 Gaussian, 2 binary) with
//!   durations in whole days;
//! - `concordance_100k`: Harrell's C on 100,000 rows with tied times.
//!
//! Run with
//!
//! ```sh
//! cargo bench -p retention-benches --bench survival
//! ```
//!
//! and then `benches/compare_survival.py` (from a Python environment with
//! lifelines) times lifelines on data of the same shape and prints the
//! ratios against the criterion estimates left in `target/criterion/`.

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion};
use retention_core::survival::{
    concordance_index, CoxModel, CoxOptions, CoxTies, KaplanMeier, KaplanMeierOptions,
};

/// SplitMix64: a small deterministic generator, good enough for bench data.
struct Rng(u64);

impl Rng {
    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform on (0, 1).
    fn uniform(&mut self) -> f64 {
        ((self.next_u64() >> 11) as f64 + 0.5) / (1u64 << 53) as f64
    }

    fn exponential(&mut self, mean: f64) -> f64 {
        -mean * self.uniform().ln()
    }

    fn normal(&mut self) -> f64 {
        let (u, v) = (self.uniform(), self.uniform());
        (-2.0 * u.ln()).sqrt() * (std::f64::consts::TAU * v).cos()
    }
}

/// Event time ~ Exp(mean), censoring ~ U(0, horizon).
fn durations(rng: &mut Rng, n: usize, mean: f64, whole_days: bool) -> (Vec<f64>, Vec<bool>) {
    (0..n)
        .map(|_| {
            let event = rng.exponential(mean);
            let censor = 60.0 * rng.uniform();
            let t = event.min(censor);
            (if whole_days { t.ceil() } else { t }, event <= censor)
        })
        .unzip()
}

fn kaplan_meier(c: &mut Criterion) {
    let mut group = c.benchmark_group("survival");
    group.sample_size(20);
    for (name, whole_days) in [
        ("kaplan_meier_1m_days", true),
        ("kaplan_meier_1m_continuous", false),
    ] {
        let (d, e) = durations(&mut Rng(1), 1_000_000, 20.0, whole_days);
        let options = KaplanMeierOptions::default();
        group.bench_function(name, |b| {
            b.iter(|| KaplanMeier::fit(black_box(&d), black_box(&e), &options).unwrap())
        });
    }
    group.finish();
}

fn cox(c: &mut Criterion) {
    let mut rng = Rng(2);
    let n = 100_000;
    let mut columns: Vec<Vec<f64>> = (0..5)
        .map(|_| (0..n).map(|_| rng.normal()).collect())
        .collect();
    for _ in 0..2 {
        columns.push(
            (0..n)
                .map(|_| f64::from(u8::from(rng.uniform() < 0.4)))
                .collect(),
        );
    }
    let coef = [0.4, -0.3, 0.2, 0.0, 0.1, 0.5, -0.25];
    let (d, e): (Vec<f64>, Vec<bool>) = (0..n)
        .map(|i| {
            let lp: f64 = (0..7).map(|j| coef[j] * columns[j][i]).sum();
            let event = rng.exponential(20.0) * (-lp).exp();
            let censor = 60.0 * rng.uniform();
            (event.min(censor).ceil(), event <= censor)
        })
        .unzip();
    let mut group = c.benchmark_group("survival");
    group.sample_size(10);
    for (name, ties) in [
        ("cox_efron_100k_x7", CoxTies::Efron),
        ("cox_breslow_100k_x7", CoxTies::Breslow),
    ] {
        let options = CoxOptions {
            ties,
            ..Default::default()
        };
        group.bench_function(name, |b| {
            b.iter(|| CoxModel::fit(black_box(&d), black_box(&e), &columns, &options).unwrap())
        });
    }
    group.finish();
}

fn concordance(c: &mut Criterion) {
    let mut rng = Rng(3);
    let n = 100_000;
    let (t, e) = durations(&mut rng, n, 20.0, true);
    let scores: Vec<f64> = t.iter().map(|&t| t + 10.0 * rng.normal()).collect();
    let mut group = c.benchmark_group("survival");
    group.sample_size(20);
    group.bench_function("concordance_100k", |b| {
        b.iter(|| concordance_index(black_box(&t), black_box(&scores), black_box(&e)).unwrap())
    });
    group.finish();
}

criterion_group!(benches, kaplan_meier, cox, concordance);
criterion_main!(benches);
