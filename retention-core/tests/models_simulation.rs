//! Parameter recovery by simulation: customers are drawn from each model
//! with known parameters, the model is fitted, and every estimate must lie
//! within 4 of its own standard errors of the truth.
//!
//! Why 4 SE: the maximum-likelihood estimates are asymptotically normal with
//! the reported standard errors, so a correct implementation misses a
//! ±4 SE band with probability ≈ 6e-5 per parameter; the seeds are fixed,
//! so the tests are deterministic, and a wrong likelihood, gradient or
//! Hessian shows up as a bias or a mis-sized SE far beyond that band. Each
//! SE must also be below half the true value, so that a huge SE cannot hide
//! a broken fit.
//!
//! Sample size: 20,000 customers per model. The 4 SE band scales with the
//! sample size automatically.

use retention_core::models::gamma_gamma::{self, MonetarySummary};
use retention_core::models::{
    bgbb, bgnbd, mbgnbd, pareto_nbd, FitDiagnostics, FitOptions, ModelFit, TransactionSummary,
};
use retention_core::Result;

mod common;
use common::Rng;

fn check_recovery(model: &str, truth: &[f64], estimate: &[f64], diag: &FitDiagnostics) {
    let se = diag.standard_errors.as_ref().expect("standard errors");
    for (((name, t), e), s) in diag.parameter_names.iter().zip(truth).zip(estimate).zip(se) {
        let z = (e - t) / s;
        eprintln!("{model} {name}: true {t}, estimate {e:.4}, se {s:.4}, z {z:.2}");
        assert!(z.abs() <= 4.0, "{model} {name}: z = {z}");
        assert!(
            *s <= 0.5 * t,
            "{model} {name}: standard error {s} too large"
        );
    }
}

/// Ages spread uniformly over 20..52 time units (staggered acquisition).
fn age(rng: &mut Rng) -> f64 {
    20.0 + 32.0 * rng.uniform()
}

/// Draws 20,000 continuous-time customers, each `(x, tₓ, T)` from
/// `customer`, fits them with `fit` and checks the recovery of `truth`
/// (`estimate` lists the fitted parameters in the same order).
fn recover<P>(
    model: &str,
    truth: &[f64],
    seed: u64,
    mut customer: impl FnMut(&mut Rng) -> (f64, f64, f64),
    fit: impl Fn(&TransactionSummary<'_>, &FitOptions) -> Result<ModelFit<P>>,
    estimate: impl Fn(&P) -> Vec<f64>,
) {
    let mut rng = Rng(seed);
    let (mut xs, mut txs, mut ts) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..20_000 {
        let (x, tx, t_end) = customer(&mut rng);
        xs.push(x);
        txs.push(tx);
        ts.push(t_end);
    }
    let fit = fit(
        &TransactionSummary::new(&xs, &txs, &ts),
        &FitOptions::default(),
    )
    .unwrap();
    check_recovery(model, truth, &estimate(&fit.params), &fit.diagnostics);
}

#[test]
fn bgnbd_recovers_parameters() {
    let (r, alpha, a, b) = (0.5, 5.0, 0.8, 2.5);
    let customer = |rng: &mut Rng| {
        let lambda = rng.gamma(r, alpha);
        let p = rng.beta(a, b);
        let t_end = age(rng);
        let (mut t, mut x, mut tx) = (0.0, 0.0, 0.0);
        loop {
            t += rng.exponential(lambda);
            if t > t_end {
                break;
            }
            x += 1.0;
            tx = t;
            if rng.uniform() < p {
                break;
            }
        }
        (x, tx, t_end)
    };
    recover("BG/NBD", &[r, alpha, a, b], 1, customer, bgnbd::fit, |p| {
        vec![p.r, p.alpha, p.a, p.b]
    });
}

#[test]
fn mbgnbd_recovers_parameters() {
    let (r, alpha, a, b) = (0.5, 5.0, 0.8, 2.5);
    let customer = |rng: &mut Rng| {
        let lambda = rng.gamma(r, alpha);
        let p = rng.beta(a, b);
        let t_end = age(rng);
        let (mut t, mut x, mut tx) = (0.0, 0.0, 0.0);
        // The dropout coin is also tossed right after the first purchase.
        let mut alive = rng.uniform() >= p;
        while alive {
            t += rng.exponential(lambda);
            if t > t_end {
                break;
            }
            x += 1.0;
            tx = t;
            alive = rng.uniform() >= p;
        }
        (x, tx, t_end)
    };
    recover(
        "MBG/NBD",
        &[r, alpha, a, b],
        2,
        customer,
        mbgnbd::fit,
        |p| vec![p.r, p.alpha, p.a, p.b],
    );
}

#[test]
fn pareto_nbd_recovers_parameters() {
    let (r, alpha, s, beta) = (0.6, 8.0, 0.8, 12.0);
    let customer = |rng: &mut Rng| {
        let lambda = rng.gamma(r, alpha);
        let mu = rng.gamma(s, beta);
        let t_end = age(rng);
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
        (x, tx, t_end)
    };
    recover(
        "Pareto/NBD",
        &[r, alpha, s, beta],
        3,
        customer,
        pareto_nbd::fit,
        |p| vec![p.r, p.alpha, p.s, p.beta],
    );
}

#[test]
fn bgbb_recovers_parameters() {
    let (alpha, beta, gamma, delta) = (1.2, 0.75, 0.65, 2.8);
    let periods = 6;
    let mut rng = Rng(4);
    // Aggregate identical patterns with weights, as the model's data usually come.
    let mut counts = std::collections::BTreeMap::new();
    for _ in 0..20_000 {
        let p = rng.beta(alpha, beta);
        let theta = rng.beta(gamma, delta);
        let (mut x, mut tx) = (0u32, 0u32);
        for period in 1..=periods {
            // Dropout is decided at the start of every opportunity.
            if rng.uniform() < theta {
                break;
            }
            if rng.uniform() < p {
                x += 1;
                tx = period;
            }
        }
        *counts.entry((x, tx)).or_insert(0.0) += 1.0;
    }
    let (mut xs, mut txs, mut ns, mut ws) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for ((x, tx), w) in counts {
        xs.push(f64::from(x));
        txs.push(f64::from(tx));
        ns.push(f64::from(periods));
        ws.push(w);
    }
    let data = TransactionSummary::new(&xs, &txs, &ns).with_weights(&ws);
    let fit = bgbb::fit(&data, &FitOptions::default()).unwrap();
    let p = fit.params;
    check_recovery(
        "BG/BB",
        &[alpha, beta, gamma, delta],
        &[p.alpha, p.beta, p.gamma, p.delta],
        &fit.diagnostics,
    );
}

#[test]
fn gamma_gamma_recovers_parameters() {
    let (p, q, gamma) = (6.0, 3.5, 15.0);
    let mut rng = Rng(5);
    let (mut xs, mut ms) = (Vec::new(), Vec::new());
    for _ in 0..20_000 {
        let nu = rng.gamma(q, gamma);
        let x = 1 + (rng.uniform() * 6.0) as u32;
        let total: f64 = (0..x).map(|_| rng.gamma(p, nu)).sum();
        xs.push(f64::from(x));
        ms.push(total / f64::from(x));
    }
    let fit = gamma_gamma::fit(&MonetarySummary::new(&xs, &ms), &FitOptions::default()).unwrap();
    let e = fit.params;
    check_recovery(
        "Gamma-Gamma",
        &[p, q, gamma],
        &[e.p, e.q, e.gamma],
        &fit.diagnostics,
    );
}
