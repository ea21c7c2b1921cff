//! Simulation tests of the contractual models: parameters recovered from
//! generated cohorts, projections of the predictive cohort matrix against a
//! holdout, and the one-call path from an event log.

mod common;

use chrono::{DateTime, TimeZone, Utc};
use common::Rng;
use retention_core::cohorts::{acquisition_cohorts, CohortOptions, RetentionMode};
use retention_core::events::{Event, EventLog, LogOptions};
use retention_core::models::contractual::matrix::SurvivorOptions;
use retention_core::models::contractual::{
    fit, predictive_cohort_matrix, predictive_cohort_matrix_from_log, CohortPooling,
    CohortSurvivors, ContractualModelKind, ContractualParams, MatrixOptions,
};
use retention_core::models::predictions::intervals::IntervalMethod;
use retention_core::models::FitOptions;

/// Period of cancellation `T ≥ 1` of one subscriber drawn from the model:
/// `θ ~ Beta(α, β)`, then `P(T > t | θ) = (1 − θ)^{t^c}`, so `T` is the
/// first whole `t` with `t^c > ln U / ln(1 − θ)`.
fn lifetime(rng: &mut Rng, p: &ContractualParams) -> f64 {
    let theta = rng.beta(p.alpha, p.beta);
    let x = rng.uniform().ln() / (-theta).ln_1p();
    (x.powf(1.0 / p.c)).floor() + 1.0
}

/// Survivor counts at ages `0..=age` of a cohort of `size`.
fn cohort(rng: &mut Rng, p: &ContractualParams, size: usize, age: usize) -> Vec<u64> {
    let mut counts = vec![0u64; age + 1];
    for _ in 0..size {
        let t = lifetime(rng, p);
        for (k, n) in counts.iter_mut().enumerate() {
            if t > k as f64 {
                *n += 1;
            }
        }
    }
    counts
}

/// 30 cohorts of 1,500, the `i`-th observed to age `36 − i`: a recent
/// cohort matrix's triangle. Each estimate must lie within 4 standard
/// errors of the truth: the estimator is asymptotically normal with those
/// standard errors (45,000 subscribers), so a correct fit fails this with
/// probability below 10⁻⁴ per parameter, while a biased likelihood or
/// wrong censoring would be off by many standard errors (they are about
/// 1–3 % of the values here). The seeds are fixed, so the test is
/// deterministic.
fn recovers(truth: ContractualParams, seed: u64) {
    let mut rng = Rng(seed);
    let counts: Vec<Vec<u64>> = (0..30)
        .map(|i| cohort(&mut rng, &truth, 1500, 36 - i))
        .collect();
    let data = CohortSurvivors::from_counts(counts).unwrap();
    let fitted = fit(truth.model, &data, &FitOptions::default()).unwrap();
    let se = fitted.diagnostics.standard_errors.clone().unwrap();
    for ((est, want), s) in fitted.params.values().iter().zip(truth.values()).zip(&se) {
        assert!(
            (est - want).abs() < 4.0 * s,
            "{:?}: {est} vs {want} (se {s})",
            truth.model
        );
        assert!(*s < 0.1 * want, "se {s} too wide for {want}");
    }
}

#[test]
fn sbg_parameters_are_recovered() {
    recovers(ContractualParams::sbg(0.8, 2.5).unwrap(), 7);
    recovers(ContractualParams::sbg(3.0, 12.0).unwrap(), 8);
}

#[test]
fn bdw_parameters_are_recovered() {
    recovers(ContractualParams::bdw(1.2, 3.0, 0.6).unwrap(), 9);
    recovers(ContractualParams::bdw(0.7, 5.0, 1.5).unwrap(), 10);
}

/// 12 cohorts of 800 simulated to age 24; cohort `i` is shown only to age
/// `24 − 2i`. The filled matrix keeps every shown cell exactly and its
/// projections agree with the hidden cells: mean absolute error below 0.02
/// (the binomial noise of one cell is about √(0.25/800) ≈ 0.018 at most)
/// and at least 75 % of the hidden cells inside the 90 % intervals (cells
/// of one cohort share its future, so the observed coverage varies more
/// than a binomial count would; 75 % leaves room for that).
fn holdout(model: ContractualModelKind, truth: ContractualParams, method: IntervalMethod) {
    let mut rng = Rng(42);
    let full: Vec<Vec<u64>> = (0..12).map(|_| cohort(&mut rng, &truth, 800, 24)).collect();
    let shown: Vec<Vec<u64>> = full
        .iter()
        .enumerate()
        .map(|(i, c)| c[..=24 - 2 * i].to_vec())
        .collect();
    let data = CohortSurvivors::from_counts(shown.clone()).unwrap();
    let options = MatrixOptions {
        model,
        method,
        ages: Some(25),
        ..MatrixOptions::default()
    };
    let m = predictive_cohort_matrix(&data, &options).unwrap();
    let (mut cells, mut covered, mut abs_error) = (0, 0, 0.0);
    for (i, row) in full.iter().enumerate() {
        let size = row[0] as f64;
        for (t, &n) in row.iter().enumerate() {
            let actual = n as f64 / size;
            if t < shown[i].len() {
                assert!(!m.projected[i][t]);
                assert_eq!(m.share[i][t], actual);
                assert!(m.lower[i][t] <= actual && actual <= m.upper[i][t]);
            } else {
                assert!(m.projected[i][t]);
                assert!(m.lower[i][t] <= m.share[i][t] && m.share[i][t] <= m.upper[i][t]);
                cells += 1;
                abs_error += (m.share[i][t] - actual).abs();
                if m.lower[i][t] <= actual && actual <= m.upper[i][t] {
                    covered += 1;
                }
            }
        }
    }
    let coverage = covered as f64 / cells as f64;
    let mae = abs_error / cells as f64;
    println!(
        "{model:?} {method:?}: {cells} hidden cells, MAE {mae:.4}, 90 % coverage {coverage:.3}"
    );
    assert!(mae < 0.02, "{mae}");
    assert!(coverage >= 0.75, "{coverage}");
}

#[test]
fn projections_agree_with_a_holdout() {
    let sbg = ContractualParams::sbg(0.9, 2.0).unwrap();
    holdout(ContractualModelKind::Sbg, sbg, IntervalMethod::Delta);
    holdout(ContractualModelKind::Sbg, sbg, IntervalMethod::Bootstrap);
    let bdw = ContractualParams::bdw(1.1, 2.5, 0.7).unwrap();
    holdout(ContractualModelKind::Bdw, bdw, IntervalMethod::Delta);
}

#[test]
fn per_cohort_pooling_fills_each_cohort_from_its_own_fit() {
    let mut rng = Rng(5);
    let a = ContractualParams::sbg(0.7, 1.5).unwrap();
    let b = ContractualParams::sbg(3.0, 10.0).unwrap();
    let counts = vec![
        cohort(&mut rng, &a, 3000, 12),
        cohort(&mut rng, &b, 3000, 10),
    ];
    let data = CohortSurvivors::from_counts(counts).unwrap();
    let options = MatrixOptions {
        pooling: CohortPooling::PerCohort,
        ages: Some(20),
        ..MatrixOptions::default()
    };
    let m = predictive_cohort_matrix(&data, &options).unwrap();
    assert_eq!(m.fits.len(), 2);
    for (i, truth) in [a, b].iter().enumerate() {
        let p = m.fits[i].params;
        let k = m.observed_ages[i] as u64 - 1;
        let base = m.share[i][k as usize];
        let want = base * p.survival(19).unwrap() / p.survival(k).unwrap();
        assert!((m.share[i][19] - want).abs() < 1e-12);
        // Each cohort's own fit is near its own truth (15 %).
        assert!((p.alpha - truth.alpha).abs() < 0.15 * truth.alpha, "{p:?}");
    }
}

fn month(y: i32, m: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, m, 3, 10, 0, 0).unwrap()
}

/// Subscribers who renew monthly (an order per month) until they cancel:
/// the filled matrix equals the observed survivor matrix on every mature
/// cell and projects exactly the immature ones.
#[test]
fn filled_matrix_from_an_event_log_agrees_with_the_observed_matrix() {
    let truth = ContractualParams::sbg(1.0, 3.0).unwrap();
    let mut rng = Rng(11);
    let mut events = Vec::new();
    let mut id = 0i64;
    for cohort in 0..18u32 {
        for _ in 0..150 {
            id += 1;
            let life = lifetime(&mut rng, &truth).min(60.0) as u32;
            for k in 0..life {
                let m = cohort + k;
                let (y, mo) = (2022 + (m / 12) as i32, m % 12 + 1);
                if (y, mo) > (2023, 6) {
                    break;
                }
                events.push(Event::order(id, month(y, mo), 9.99));
            }
        }
    }
    let log = EventLog::from_events(&events, LogOptions::default()).unwrap();
    let as_of = Utc.with_ymd_and_hms(2023, 7, 1, 0, 0, 0).unwrap();
    let observed = acquisition_cohorts(
        &log,
        as_of,
        &CohortOptions {
            mode: RetentionMode::ReturnOnOrAfter,
            ..CohortOptions::default()
        },
    )
    .unwrap();
    let filled = predictive_cohort_matrix_from_log(
        &log,
        as_of,
        &SurvivorOptions::default(),
        &MatrixOptions::default(),
    )
    .unwrap();
    assert_eq!(filled.labels, observed.labels());
    let mut projected = 0;
    for (i, row) in observed.retention().iter().enumerate() {
        for (t, cell) in row.iter().enumerate() {
            match cell {
                Some(v) => {
                    assert!(!filled.projected[i][t]);
                    assert_eq!(filled.share[i][t], *v, "cohort {i} age {t}");
                }
                None => {
                    assert!(filled.projected[i][t]);
                    assert!(filled.share[i][t] <= filled.share[i][t - 1]);
                    projected += 1;
                }
            }
        }
    }
    assert_eq!(projected, 17 * 18 / 2);
    // The sBG fit on these 2,700 subscribers is near the truth (20 %).
    let p = filled.fits[0].params;
    assert!(
        (p.alpha - 1.0).abs() < 0.2 && (p.beta - 3.0).abs() < 0.6,
        "{p:?}"
    );
}
