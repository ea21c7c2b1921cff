//! Covariate model benchmarks.
//!
//! What is measured (target < 2 s each, release):
//!
//! * `pareto_cov_apparel_100k` — Pareto/NBD with `Gender` and `Channel` in
//!   both processes on 100,000 customers drawn with replacement from the
//!   600 apparel customers (`retention-core/tests/fixtures/apparel_model_input.csv`),
//!   standard errors included. Identical rows are merged before fitting,
//!   so this is at most 600 distinct rows of work;
//! * `pareto_cov_continuous_100k` — the same model on 100,000 simulated
//!   customers with one 0/1 and one standard-normal covariate per process,
//!   where (almost) no rows merge: the per-row cost of the likelihood.
//!
//! ```text
//! cargo bench -p retention-benches --bench covariates
//! ```

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion};
use retention_core::models::covariates::{
    pareto_nbd, Covariate, CovariateOptions, TransactionCovariates,
};
use retention_core::models::TransactionSummary;

const APPAREL: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../retention-core/tests/fixtures/apparel_model_input.csv"
));

/// SplitMix64 uniform, normal and gamma draws.
struct Rng(u64);

impl Rng {
    fn uniform(&mut self) -> f64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        (((z ^ (z >> 31)) >> 11) as f64 + 0.5) / (1u64 << 53) as f64
    }

    fn normal(&mut self) -> f64 {
        let (u1, u2) = (self.uniform(), self.uniform());
        (-2.0 * u1.ln()).sqrt() * (2.0 * std::f64::consts::PI * u2).cos()
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
            let x = self.normal();
            let v = (1.0 + c * x).powi(3);
            if v > 0.0 && self.uniform().ln() < 0.5 * x * x + d - d * v + d * v.ln() {
                return d * v / rate;
            }
        }
    }
}

/// Columns `x, t_x, T, z₁, z₂` of `n` customers.
type Sample = [Vec<f64>; 5];

fn apparel_100k() -> Sample {
    let rows: Vec<Vec<f64>> = APPAREL
        .lines()
        .skip(1)
        .map(|l| {
            l.split(',')
                .skip(1)
                .map(|v| v.parse().unwrap_or(0.0))
                .collect()
        })
        .collect();
    let mut rng = Rng(3);
    let mut out: Sample = Default::default();
    for _ in 0..100_000 {
        let row = &rows[((rng.uniform() * rows.len() as f64) as usize).min(rows.len() - 1)];
        for (col, v) in out.iter_mut().zip(row) {
            col.push(*v);
        }
    }
    out
}

fn continuous_100k() -> Sample {
    let (r, alpha, s, beta) = (0.6, 8.0, 0.8, 12.0);
    let mut rng = Rng(5);
    let mut out: Sample = Default::default();
    for _ in 0..100_000 {
        let d = f64::from(rng.uniform() < 0.4);
        let c = rng.normal();
        let lambda = rng.gamma(r, alpha * (-(0.5 * d - 0.3 * c)).exp());
        let mu = rng.gamma(s, beta * (-(-0.4 * d + 0.3 * c)).exp());
        let t_end = 20.0 + 32.0 * rng.uniform();
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
        for (col, v) in out.iter_mut().zip([x, tx, t_end, d, c]) {
            col.push(v);
        }
    }
    out
}

fn fit(sample: &Sample) {
    let [x, tx, t, z1, z2] = sample;
    let cols = [Covariate::new("z1", z1), Covariate::new("z2", z2)];
    let cov = TransactionCovariates {
        trans: &cols,
        life: &cols,
        ..Default::default()
    };
    let data = TransactionSummary::new(x, tx, t);
    let fit = pareto_nbd::fit(black_box(&data), &cov, &CovariateOptions::default());
    assert!(fit.is_ok_and(|f| f.standard_errors.is_some()));
}

fn fits(c: &mut Criterion) {
    let mut group = c.benchmark_group("covariates_fit");
    group.sample_size(10);
    let apparel = apparel_100k();
    group.bench_function("pareto_cov_apparel_100k", |b| b.iter(|| fit(&apparel)));
    let continuous = continuous_100k();
    group.bench_function("pareto_cov_continuous_100k", |b| {
        b.iter(|| fit(&continuous))
    });
    group.finish();
}

criterion_group!(benches, fits);
criterion_main!(benches);
