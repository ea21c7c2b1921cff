//! BG/NBD, Pareto/NBD and Gamma-Gamma with covariates: reduction to the
//! plain models at zero covariates, recovery of known coefficients from
//! simulated customers, predictions in range, and typed errors for bad
//! covariate input.
//!
//! Recovery tolerance: every estimate (base parameters and coefficients)
//! within 4 of its own standard errors of the truth. The estimates are
//! asymptotically normal with those standard errors, so a correct fit
//! misses a ±4 SE band with probability ≈ 6e-5 per parameter (the seeds are
//! fixed, so the tests are deterministic); a wrong likelihood, gradient or
//! sign convention shows up as a bias many SEs wide at these sample sizes
//! (20,000 customers; SEs of the coefficients ≈ 0.02–0.05). Each SE must
//! also be below 0.25 (coefficients) or half the true value (base
//! parameters), so that a huge SE cannot hide a broken fit.

use proptest::prelude::*;
use retention_core::models::covariates::gamma_gamma::SpendCovariates;
use retention_core::models::covariates::{
    bgnbd, gamma_gamma, pareto_nbd, Covariate, CovariateFit, CovariateOptions,
    TransactionCovariates,
};
use retention_core::models::gamma_gamma::MonetarySummary;
use retention_core::models::{self, FitOptions, TransactionModel, TransactionSummary};
use retention_core::{Error, IssueKind};

mod common;
use common::Rng;

fn cdnow() -> (Vec<f64>, Vec<f64>, Vec<f64>) {
    let (mut x, mut tx, mut t) = (Vec::new(), Vec::new(), Vec::new());
    for line in include_str!("fixtures/cdnow_customers_summary.csv")
        .lines()
        .skip(1)
    {
        let f: Vec<f64> = line.split(',').map(|v| v.parse().unwrap()).collect();
        x.push(f[1]);
        tx.push(f[2]);
        t.push(f[3]);
    }
    (x, tx, t)
}

fn check_recovery(fit: &CovariateFit, truth: &[(&str, f64)]) {
    for &(name, t) in truth {
        let e = fit.estimate(name).unwrap();
        let s = fit.standard_error(name).unwrap();
        let z = (e - t) / s;
        eprintln!("{name}: true {t}, estimate {e:.4}, se {s:.4}, z {z:.2}");
        assert!(z.abs() <= 4.0, "{name}: z = {z}");
        let limit = if name.contains('.') { 0.25 } else { 0.5 * t };
        assert!(s <= limit, "{name}: standard error {s} too large");
    }
}

#[test]
fn bgnbd_without_covariates_equals_plain_bgnbd() {
    let (x, tx, t) = cdnow();
    let data = TransactionSummary::new(&x, &tx, &t);
    let opts = FitOptions {
        tolerance: 1e-10,
        ..FitOptions::default()
    };
    let plain = models::bgnbd::fit(&data, &opts).unwrap();
    let fit = bgnbd::fit(
        &data,
        &TransactionCovariates::default(),
        &CovariateOptions::default(),
    )
    .unwrap();
    assert!((fit.log_likelihood - plain.diagnostics.log_likelihood).abs() < 1e-7);
    let p = plain.params;
    for (got, want) in fit.estimates.iter().zip([p.r, p.alpha, p.a, p.b]) {
        assert!(((got - want) / want).abs() < 1e-5, "{got} vs {want}");
    }
    let (se, se_plain) = (
        fit.standard_errors.unwrap(),
        plain.diagnostics.standard_errors.unwrap(),
    );
    for (got, want) in se.iter().zip(se_plain) {
        assert!(((got - want) / want).abs() < 1e-3, "{got} vs {want}");
    }
}

#[test]
fn zero_covariate_columns_reduce_to_the_plain_models() {
    let (x, tx, t) = cdnow();
    let data = TransactionSummary::new(&x, &tx, &t);
    let zero = vec![0.0; x.len()];
    let cols = [Covariate::new("z", &zero)];
    // Unpenalised, a zero column is not identifiable: a typed error.
    let cov = TransactionCovariates {
        trans: &cols,
        life: &cols,
        ..Default::default()
    };
    let err = bgnbd::fit(&data, &cov, &CovariateOptions::default()).unwrap_err();
    assert!(
        matches!(err, Error::SingularMatrix { index: 0, .. }),
        "{err}"
    );
    // Penalised, its coefficient is 0 and the rest is the plain fit.
    let cov = TransactionCovariates {
        reg_lambda_trans: 1.0,
        reg_lambda_life: 1.0,
        ..cov
    };
    let plain = models::bgnbd::fit(&data, &FitOptions::default()).unwrap();
    let fit = bgnbd::fit(&data, &cov, &CovariateOptions::default()).unwrap();
    assert_eq!(fit.coefficients, [vec![0.0], vec![0.0]]);
    assert!((fit.log_likelihood - plain.diagnostics.log_likelihood).abs() < 1e-6);
    // Each customer's parameters are the base ones, and so are the predictions.
    let each = bgnbd::customer_params(&fit, x.len(), &cols, &cols).unwrap();
    let base = models::bgnbd::BgNbdParams::new(
        fit.estimates[0],
        fit.estimates[1],
        fit.estimates[2],
        fit.estimates[3],
    )
    .unwrap();
    assert!(each.iter().all(|p| *p == base));
    let pred = bgnbd::predict(&fit, &data, &cols, &cols, 10.0).unwrap();
    let alive = base.probability_alive_batch(&data).unwrap();
    let expected = base
        .conditional_expected_purchases_batch(10.0, &data)
        .unwrap();
    assert_eq!(pred.probability_alive, alive);
    assert_eq!(pred.conditional_expected_purchases, expected);
    // Pareto/NBD likewise.
    let plain = models::pareto_nbd::fit(&data, &FitOptions::default()).unwrap();
    let fit = pareto_nbd::fit(&data, &cov, &CovariateOptions::default()).unwrap();
    assert_eq!(fit.coefficients, [vec![0.0], vec![0.0]]);
    assert!((fit.log_likelihood - plain.diagnostics.log_likelihood).abs() < 1e-6);
}

/// Two covariates per process: a 0/1 dummy and a standard normal.
fn covariates(rng: &mut Rng, n: usize) -> (Vec<f64>, Vec<f64>) {
    (0..n)
        .map(|_| (f64::from(rng.uniform() < 0.4), rng.normal()))
        .unzip()
}

#[test]
fn bgnbd_recovers_coefficients() {
    let (r, alpha, a, b) = (0.5, 5.0, 0.8, 2.5);
    let (gt, gl) = ([0.5, -0.3], [0.4, 0.25]);
    let mut rng = Rng(11);
    let n = 20_000;
    let (d, c) = covariates(&mut rng, n);
    let (mut xs, mut txs, mut ts) = (Vec::new(), Vec::new(), Vec::new());
    for i in 0..n {
        let alpha_i = alpha * (-(gt[0] * d[i] + gt[1] * c[i])).exp();
        let k = (gl[0] * d[i] + gl[1] * c[i]).exp();
        let lambda = rng.gamma(r, alpha_i);
        let p = rng.beta(a * k, b * k);
        let t_end = 20.0 + 32.0 * rng.uniform();
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
        xs.push(x);
        txs.push(tx);
        ts.push(t_end);
    }
    let cols = [Covariate::new("d", &d), Covariate::new("c", &c)];
    let cov = TransactionCovariates {
        trans: &cols,
        life: &cols,
        ..Default::default()
    };
    let data = TransactionSummary::new(&xs, &txs, &ts);
    let fit = bgnbd::fit(&data, &cov, &CovariateOptions::default()).unwrap();
    check_recovery(
        &fit,
        &[
            ("r", r),
            ("alpha", alpha),
            ("a", a),
            ("b", b),
            ("trans.d", gt[0]),
            ("trans.c", gt[1]),
            ("life.d", gl[0]),
            ("life.c", gl[1]),
        ],
    );
}

#[test]
fn pareto_nbd_recovers_coefficients() {
    let (r, alpha, s, beta) = (0.6, 8.0, 0.8, 12.0);
    let (gt, gl) = ([0.5, -0.3], [-0.4, 0.3]);
    let mut rng = Rng(12);
    let n = 20_000;
    let (d, c) = covariates(&mut rng, n);
    let (mut xs, mut txs, mut ts) = (Vec::new(), Vec::new(), Vec::new());
    for i in 0..n {
        let alpha_i = alpha * (-(gt[0] * d[i] + gt[1] * c[i])).exp();
        let beta_i = beta * (-(gl[0] * d[i] + gl[1] * c[i])).exp();
        let lambda = rng.gamma(r, alpha_i);
        let mu = rng.gamma(s, beta_i);
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
        xs.push(x);
        txs.push(tx);
        ts.push(t_end);
    }
    let cols = [Covariate::new("d", &d), Covariate::new("c", &c)];
    let cov = TransactionCovariates {
        trans: &cols,
        life: &cols,
        ..Default::default()
    };
    let data = TransactionSummary::new(&xs, &txs, &ts);
    let fit = pareto_nbd::fit(&data, &cov, &CovariateOptions::default()).unwrap();
    check_recovery(
        &fit,
        &[
            ("r", r),
            ("alpha", alpha),
            ("s", s),
            ("beta", beta),
            ("trans.d", gt[0]),
            ("trans.c", gt[1]),
            ("life.d", gl[0]),
            ("life.c", gl[1]),
        ],
    );
}

/// Draws `n` repeat buyers with spend covariates `(d, c)` and
/// `γᵢ = γ exp(δ·zᵢ)`.
fn spend_sample(rng: &mut Rng, n: usize, delta: [f64; 2]) -> [Vec<f64>; 4] {
    let (p, q, gamma) = (6.0, 3.5, 15.0);
    let (d, c) = covariates(rng, n);
    let (mut xs, mut ms) = (Vec::new(), Vec::new());
    for i in 0..n {
        let gamma_i = gamma * (delta[0] * d[i] + delta[1] * c[i]).exp();
        let nu = rng.gamma(q, gamma_i);
        let x = 1 + (rng.uniform() * 6.0) as u32;
        let total: f64 = (0..x).map(|_| rng.gamma(p, nu)).sum();
        xs.push(f64::from(x));
        ms.push(total / f64::from(x));
    }
    [xs, ms, d, c]
}

#[test]
fn gamma_gamma_recovers_coefficients() {
    let delta = [0.4, -0.2];
    let [xs, ms, d, c] = spend_sample(&mut Rng(13), 20_000, delta);
    let cols = [Covariate::new("d", &d), Covariate::new("c", &c)];
    let cov = SpendCovariates {
        spend: &cols,
        reg_lambda: 0.0,
    };
    let fit = gamma_gamma::fit(
        &MonetarySummary::new(&xs, &ms),
        &cov,
        &CovariateOptions::default(),
    )
    .unwrap();
    assert_eq!(
        fit.parameter_names,
        ["p", "q", "gamma", "spend.d", "spend.c"]
    );
    check_recovery(
        &fit,
        &[
            ("p", 6.0),
            ("q", 3.5),
            ("gamma", 15.0),
            ("spend.d", delta[0]),
            ("spend.c", delta[1]),
        ],
    );
    // A customer's expected spend is the plain model's at her own γᵢ.
    let first = [Covariate::new("d", &d[..3]), Covariate::new("c", &c[..3])];
    let spend =
        gamma_gamma::conditional_expected_average_spend(&fit, &xs[..3], &ms[..3], &first).unwrap();
    for i in 0..3 {
        let (p, q, g) = (fit.estimates[0], fit.estimates[1], fit.estimates[2]);
        let gi = g * (fit.coefficients[0][0] * d[i] + fit.coefficients[0][1] * c[i]).exp();
        let want = p * (gi + xs[i] * ms[i]) / (p * xs[i] + q - 1.0);
        assert!(
            (spend[i] - want).abs() < 1e-9 * want,
            "{} vs {want}",
            spend[i]
        );
    }
}

#[test]
fn gamma_gamma_without_covariates_equals_plain() {
    let [mut xs, ms, ..] = spend_sample(&mut Rng(14), 3_000, [0.0, 0.0]);
    // Some customers without repeat purchases, skipped by both fits.
    xs[0] = 0.0;
    xs[1] = 0.0;
    let data = MonetarySummary::new(&xs, &ms);
    let tight = FitOptions {
        tolerance: 1e-10,
        ..FitOptions::default()
    };
    let plain = models::gamma_gamma::fit(&data, &tight).unwrap();
    let fit = gamma_gamma::fit(
        &data,
        &SpendCovariates::default(),
        &CovariateOptions::default(),
    )
    .unwrap();
    assert_eq!(fit.total_weight, 2_998.0);
    assert!((fit.log_likelihood - plain.diagnostics.log_likelihood).abs() < 1e-7);
    let p = plain.params;
    for (got, want) in fit.estimates.iter().zip([p.p, p.q, p.gamma]) {
        assert!(((got - want) / want).abs() < 1e-5, "{got} vs {want}");
    }
    let spend = gamma_gamma::conditional_expected_average_spend(&fit, &xs, &ms, &[]).unwrap();
    let base = models::gamma_gamma::GammaGammaParams::new(
        fit.estimates[0],
        fit.estimates[1],
        fit.estimates[2],
    )
    .unwrap();
    assert_eq!(
        spend,
        base.conditional_expected_average_spend_batch(&xs, &ms)
            .unwrap()
    );
}

#[test]
fn bad_covariate_input_is_a_typed_error() {
    let (x, tx, t) = cdnow();
    let data = TransactionSummary::new(&x, &tx, &t);
    let n = x.len();
    let g: Vec<f64> = (0..n).map(|i| (i % 2) as f64).collect();
    let mut bad = g.clone();
    bad[7] = f64::NAN;
    bad[9] = f64::INFINITY;
    let opts = CovariateOptions::default();
    // Non-finite values: every one, with row, field and name=value.
    let cols = [Covariate::new("Gender", &bad)];
    let cov = TransactionCovariates {
        life: &cols,
        ..Default::default()
    };
    let Err(Error::InvalidRows { issues }) = pareto_nbd::fit(&data, &cov, &opts) else {
        panic!()
    };
    assert_eq!(issues.len(), 2);
    assert_eq!((issues[0].row, issues[0].field), (7, "life_covariates"));
    assert_eq!(issues[0].value, "Gender=NaN");
    assert_eq!(issues[1].value, "Gender=inf");
    assert_eq!(issues[0].kind, IssueKind::NotFinite);
    // Wrong length.
    let cols = [Covariate::new("Gender", &g[..10])];
    let cov = TransactionCovariates {
        trans: &cols,
        ..Default::default()
    };
    let err = bgnbd::fit(&data, &cov, &opts).unwrap_err();
    assert!(
        matches!(err, Error::LengthMismatch { field: "trans_covariates", expected, actual: 10 } if expected == n)
    );
    // Constant and collinear columns.
    let one = vec![1.0; n];
    let twice: Vec<f64> = g.iter().map(|v| 2.0 * v + 1.0).collect();
    for cols in [
        vec![Covariate::new("one", &one)],
        vec![Covariate::new("g", &g), Covariate::new("twice", &twice)],
    ] {
        let cov = TransactionCovariates {
            trans: &cols,
            ..Default::default()
        };
        let err = pareto_nbd::fit(&data, &cov, &opts).unwrap_err();
        assert!(
            matches!(err, Error::SingularMatrix { index, .. } if index == cols.len() - 1),
            "{err}"
        );
    }
    // Constraint on a covariate of one process only; duplicate names;
    // negative penalty.
    let cols = [Covariate::new("Gender", &g)];
    let constrained = ["Gender".to_string()];
    let cov = TransactionCovariates {
        trans: &cols,
        constrained: &constrained,
        ..Default::default()
    };
    let err = pareto_nbd::fit(&data, &cov, &opts).unwrap_err();
    assert!(
        matches!(
            err,
            Error::InvalidParameter {
                name: "constrained",
                ..
            }
        ),
        "{err}"
    );
    let twice_named = [Covariate::new("Gender", &g), Covariate::new("Gender", &g)];
    let cov = TransactionCovariates {
        trans: &twice_named,
        ..Default::default()
    };
    assert!(matches!(
        pareto_nbd::fit(&data, &cov, &opts).unwrap_err(),
        Error::InvalidParameter {
            name: "trans_covariates",
            ..
        }
    ));
    let cov = TransactionCovariates {
        trans: &cols,
        reg_lambda_trans: -1.0,
        ..Default::default()
    };
    assert!(matches!(
        pareto_nbd::fit(&data, &cov, &opts).unwrap_err(),
        Error::InvalidParameter {
            name: "reg_lambda_trans",
            ..
        }
    ));
    // Predictions need the fit's covariates.
    let cov = TransactionCovariates {
        trans: &cols,
        ..Default::default()
    };
    let fit = pareto_nbd::fit(&data, &cov, &opts).unwrap();
    let err = pareto_nbd::predict(&fit, &data, &[], &[], 10.0).unwrap_err();
    assert!(
        matches!(
            err,
            Error::InvalidParameter {
                name: "trans_covariates",
                ..
            }
        ),
        "{err}"
    );
    let err = bgnbd::predict(&fit, &data, &cols, &[], 10.0).unwrap_err();
    assert!(
        matches!(err, Error::InvalidParameter { name: "fit", .. }),
        "{err}"
    );
    let err = pareto_nbd::predict(&fit, &data, &cols, &[], -1.0).unwrap_err();
    assert!(
        matches!(
            err,
            Error::InvalidParameter {
                name: "horizon",
                ..
            }
        ),
        "{err}"
    );
}

fn history() -> impl Strategy<Value = (f64, f64, f64)> {
    (0u32..60, 0.0f64..1.0, 0.1f64..200.0).prop_map(|(x, u, t)| {
        let x = f64::from(x);
        let tx = if x == 0.0 { 0.0 } else { u * t };
        (x, tx, t)
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// BG/NBD with covariates: for any parameters, coefficients, covariate
    /// values and histories, P(alive) is in [0, 1] and the conditional
    /// expectation finite, ≥ 0 and non-decreasing in the horizon.
    #[test]
    fn bgnbd_predictions_are_finite_and_in_range(
        base in (0.05f64..5.0, 0.1f64..50.0, 0.05f64..5.0, 0.05f64..10.0),
        coef in prop::array::uniform2(-2.0f64..2.0),
        rows in prop::collection::vec((history(), -2.0f64..2.0, -2.0f64..2.0), 1..20),
        horizon in 0.0f64..100.0,
    ) {
        let x: Vec<f64> = rows.iter().map(|r| r.0 .0).collect();
        let tx: Vec<f64> = rows.iter().map(|r| r.0 .1).collect();
        let t: Vec<f64> = rows.iter().map(|r| r.0 .2).collect();
        let zt: Vec<f64> = rows.iter().map(|r| r.1).collect();
        let zl: Vec<f64> = rows.iter().map(|r| r.2).collect();
        let fit = CovariateFit {
            model: retention_core::models::covariates::CovariateModelKind::BgNbd,
            parameter_names: vec![],
            estimates: vec![base.0, base.1, base.2, base.3],
            standard_errors: None,
            covariance: None,
            log_likelihood: 0.0,
            objective: 0.0,
            rows: 0,
            distinct_rows: 0,
            total_weight: 0.0,
            reg_lambdas: [0.0, 0.0],
            covariate_names: [vec!["zt".into()], vec!["zl".into()]],
            coefficients: [vec![coef[0]], vec![coef[1]]],
            iterations: 0,
            attempts: 0,
        };
        let trans = [Covariate::new("zt", &zt)];
        let life = [Covariate::new("zl", &zl)];
        let data = TransactionSummary::new(&x, &tx, &t);
        let near = bgnbd::predict(&fit, &data, &trans, &life, horizon).unwrap();
        let far = bgnbd::predict(&fit, &data, &trans, &life, horizon + 10.0).unwrap();
        for i in 0..x.len() {
            let p = near.probability_alive[i];
            prop_assert!((0.0..=1.0).contains(&p), "{p}");
            let (e0, e1) = (near.conditional_expected_purchases[i], far.conditional_expected_purchases[i]);
            prop_assert!(e0.is_finite() && e0 >= 0.0 && e1 >= e0 * (1.0 - 1e-12), "{e0} {e1}");
        }
    }
}

/// Six customers whose plain Pareto/NBD fit degenerates (`r, α → ∞`): the
/// covariate fit ends in a typed error instead of searching where the
/// likelihood needs quadrature (see `covariates::pareto_nbd`).
#[test]
fn degenerate_tiny_data_is_a_typed_error() {
    let x = [2.0, 1.0, 0.0, 0.0, 5.0, 3.0];
    let tx = [30.4, 1.7, 0.0, 0.0, 35.0, 20.0];
    let t = [38.9; 6];
    let g = [0.0, 1.0, 0.0, 1.0, 1.0, 0.0];
    let data = TransactionSummary::new(&x, &tx, &t);
    let cols = [Covariate::new("g", &g)];
    let cov = TransactionCovariates {
        trans: &cols,
        reg_lambda_trans: 1.0,
        ..Default::default()
    };
    let err = pareto_nbd::fit(&data, &cov, &CovariateOptions::default()).unwrap_err();
    assert!(matches!(err, Error::FitNotConverged { .. }), "{err}");
}
