//! The contractual models (sBG, BdW) from arbitrary parameters and cohort
//! survivor counts: every prediction (survival, retention, churn, curve,
//! expected and discounted lifetimes, residual value), the fits (pooled,
//! per cohort, likelihood-ratio test) and the predictive cohort matrix.
//! Each answers `Ok` with finite numbers (probabilities in [0, 1], lifetimes
//! and values ≥ 0) or a typed error, in bounded time.

#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use retention_core::models::contractual::{
    fit_cohorts, likelihood_ratio_test, predictive_cohort_matrix, CohortPooling, CohortSurvivors,
    ContractualModelKind, ContractualParams, MatrixOptions,
};
use retention_core::models::FitOptions;
use retention_fuzz::{assert_non_negative, assert_probability, ok_finite, pick, Count, Num};

#[derive(Arbitrary, Debug)]
struct Input {
    op: u8,
    model: u8,
    params: [Num; 3],
    t: Count,
    ages: u16,
    rate: Num,
    margin: Num,
    /// Cohorts of survivor counts (at most 6 cohorts of 12 ages).
    counts: Vec<Vec<Count>>,
    draws: u16,
    level: Num,
}

fn predictions(input: &Input, m: &ContractualParams) {
    let t = input.t.get();
    match input.op % 4 {
        0 => {
            for (what, r) in [
                ("survival", m.survival(t)),
                ("retention_rate", m.retention_rate(t)),
                ("churn_probability", m.churn_probability(t)),
            ] {
                if let Some(p) = ok_finite(what, r) {
                    assert_probability(what, p);
                }
            }
        }
        1 => {
            if let Some(c) = ok_finite("curve", m.curve(usize::from(input.ages))) {
                let _ = c;
            }
        }
        2 => {
            if let Some(v) = ok_finite("expected_lifetime", m.expected_lifetime()) {
                assert_non_negative("expected_lifetime", v);
            }
            let r = m.discounted_expected_lifetime(input.rate.get());
            if let Some(v) = ok_finite("discounted_expected_lifetime", r) {
                assert_non_negative("discounted_expected_lifetime", v);
            }
        }
        _ => {
            let r = m.discounted_expected_residual_lifetime(input.rate.get(), t);
            if let Some(v) = ok_finite("discounted_expected_residual_lifetime", r) {
                assert_non_negative("discounted_expected_residual_lifetime", v);
            }
            let _ = ok_finite(
                "residual_value",
                m.residual_value(input.margin.get(), input.rate.get(), t),
            );
        }
    }
}

fn data(input: &Input) -> Option<CohortSurvivors> {
    let counts: Vec<Vec<u64>> = input
        .counts
        .iter()
        .take(6)
        .map(|c| c.iter().take(12).map(|n| n.get()).collect())
        .collect();
    ok_finite("cohort_survivors", CohortSurvivors::from_counts(counts))
}

fuzz_target!(|input: Input| {
    let kind = pick(ContractualModelKind::ALL, input.model);
    let values: Vec<f64> = input.params[..ContractualParams::names(kind).len()]
        .iter()
        .map(|n| n.get())
        .collect();
    match (input.op / 4) % 3 {
        0 => {
            if let Some(m) = ok_finite("params", ContractualParams::from_values(kind, &values)) {
                predictions(&input, &m);
            }
        }
        1 => {
            let Some(d) = data(&input) else { return };
            let options = FitOptions {
                max_iterations: 200,
                ..FitOptions::default()
            };
            let pooling = pick(CohortPooling::ALL, input.model / 2);
            if let Some(fits) = ok_finite("fit_cohorts", fit_cohorts(kind, &d, pooling, &options)) {
                for f in &fits {
                    let _ = f;
                }
            }
            if input.op % 2 == 0 {
                let _ = ok_finite("likelihood_ratio_test", likelihood_ratio_test(&d, &options));
            }
        }
        _ => {
            let Some(d) = data(&input) else { return };
            let options = MatrixOptions {
                model: kind,
                ages: (input.ages % 2 == 0).then_some(usize::from(input.ages)),
                level: input.level.get(),
                draws: usize::from(input.draws % 512),
                ..MatrixOptions::default()
            };
            let _ = ok_finite(
                "predictive_cohort_matrix",
                predictive_cohort_matrix(&d, &options),
            );
        }
    }
});
