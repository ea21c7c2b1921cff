//! Contractual retention benchmarks (issue 15's performance target).
//!
//! What is measured, on 36 monthly cohorts of 1,000 subscribers, cohort `i`
//! observed for `36 − i` ages (the triangle of a 36-month cohort matrix),
//! survivor counts `round(1000 · S(t))` of a BdW with `α = 0.9, β = 2.5,
//! c = 0.8`:
//!
//! * `bdw_fit_and_fill_36x36` — BdW maximum-likelihood fit (standard errors
//!   included) and the filled 36 × 36 matrix with delta-method 90 %
//!   intervals on the 630 projected cells and Wilson intervals on the rest
//!   (target: under 10 ms);
//! * `sbg_fit_and_fill_36x36` — the same with the sBG;
//! * `bdw_fit_and_fill_36x36_bootstrap` — the BdW with the parametric
//!   bootstrap (1,000 draws) instead of the delta method;
//! * `bdw_predict_36` — every prediction of the BdW over 36 ages in one
//!   call (`ContractualParams::predict`: curve, DERL and residual value per
//!   age, expected lifetime, DEL).
//!
//! Run (release profile, as the `bench` profile is):
//!
//! ```text
//! cargo bench -p retention-benches --bench contractual
//! ```

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion};
use retention_core::models::contractual::{
    predictive_cohort_matrix, CohortSurvivors, ContractualModelKind, ContractualParams,
    MatrixOptions, PredictionOptions,
};
use retention_core::models::predictions::intervals::IntervalMethod;

fn triangle() -> CohortSurvivors {
    let p = ContractualParams::bdw(0.9, 2.5, 0.8).unwrap_or_else(|e| panic!("{e}"));
    let counts = (0..36)
        .map(|i| {
            (0..36 - i)
                .map(|t| (1000.0 * p.survival(t as u64).unwrap_or(0.0)).round() as u64)
                .collect()
        })
        .collect();
    CohortSurvivors::from_counts(counts).unwrap_or_else(|e| panic!("{e}"))
}

fn bench(c: &mut Criterion) {
    let data = triangle();
    for (name, model, method) in [
        (
            "bdw_fit_and_fill_36x36",
            ContractualModelKind::Bdw,
            IntervalMethod::Delta,
        ),
        (
            "sbg_fit_and_fill_36x36",
            ContractualModelKind::Sbg,
            IntervalMethod::Delta,
        ),
        (
            "bdw_fit_and_fill_36x36_bootstrap",
            ContractualModelKind::Bdw,
            IntervalMethod::Bootstrap,
        ),
    ] {
        let options = MatrixOptions {
            model,
            method,
            ..MatrixOptions::default()
        };
        c.bench_function(name, |b| {
            b.iter(|| predictive_cohort_matrix(black_box(&data), &options).map(|m| m.share.len()))
        });
    }
    let params = ContractualParams::bdw(0.9, 2.5, 0.8).unwrap_or_else(|e| panic!("{e}"));
    let options = PredictionOptions::default();
    c.bench_function("bdw_predict_36", |b| {
        b.iter(|| {
            black_box(&params)
                .predict(&options)
                .map(|p| p.residual_value[0])
        })
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
