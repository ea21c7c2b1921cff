//! Bad input to the contractual models: every case a typed error naming the
//! field (and the cohort, for bad rows); work limits enforced.

use chrono::{TimeZone, Utc};
use retention_core::cohorts::{acquisition_cohorts, CohortOptions};
use retention_core::events::{Event, EventLog, LogOptions};
use retention_core::models::contractual::data::MAX_AGES;
use retention_core::models::contractual::{
    fit, fit_per_cohort, predictive_cohort_matrix, CohortSurvivors, ContractualModelKind,
    ContractualParams, MatrixOptions,
};
use retention_core::models::predictions::intervals::IntervalMethod;
use retention_core::models::FitOptions;
use retention_core::{Error, IssueKind};

const HIGH_END: [u64; 8] = [1000, 869, 743, 653, 593, 551, 517, 491];

fn parameter_name(e: Error) -> &'static str {
    match e {
        Error::InvalidParameter { name, .. } => name,
        other => panic!("{other:?}"),
    }
}

#[test]
fn invalid_counts_name_the_cohort() {
    assert!(matches!(
        CohortSurvivors::from_counts(vec![]),
        Err(Error::EmptyInput { .. })
    ));
    assert!(matches!(
        CohortSurvivors::new(vec!["a".into()], vec![vec![3], vec![4]]),
        Err(Error::LengthMismatch {
            field: "labels",
            ..
        })
    ));
    let Err(Error::InvalidRows { issues }) =
        CohortSurvivors::from_counts(vec![HIGH_END.to_vec(), vec![10, 11]])
    else {
        panic!()
    };
    assert_eq!((issues[0].row, issues[0].field), (1, "survivors"));
    assert_eq!(
        issues[0].kind,
        IssueKind::OutOfRange {
            min: 0.0,
            max: 10.0
        }
    );
}

#[test]
fn unestimable_data_and_short_cohorts_are_typed_errors() {
    let flat = CohortSurvivors::from_series(&[50, 50, 50]).unwrap();
    let e = fit(ContractualModelKind::Sbg, &flat, &FitOptions::default()).unwrap_err();
    assert_eq!(parameter_name(e), "survivors");
    let data = CohortSurvivors::from_counts(vec![HIGH_END.to_vec(), vec![100, 90, 80]]).unwrap();
    let Err(Error::InvalidRows { issues }) =
        fit_per_cohort(ContractualModelKind::Bdw, &data, &FitOptions::default())
    else {
        panic!()
    };
    assert_eq!(issues.len(), 1);
    assert_eq!(issues[0].row, 1);
    let bad = FitOptions {
        tolerance: -1.0,
        ..FitOptions::default()
    };
    let series = CohortSurvivors::from_series(&HIGH_END).unwrap();
    let e = fit(ContractualModelKind::Sbg, &series, &bad).unwrap_err();
    assert_eq!(parameter_name(e), "tolerance");
}

#[test]
fn parameters_and_prediction_arguments_are_checked() {
    assert_eq!(
        parameter_name(ContractualParams::sbg(0.0, 1.0).unwrap_err()),
        "alpha"
    );
    assert_eq!(
        parameter_name(ContractualParams::bdw(1.0, f64::NAN, 1.0).unwrap_err()),
        "beta"
    );
    assert_eq!(
        parameter_name(
            ContractualParams::new(ContractualModelKind::Sbg, 1.0, 1.0, 2.0).unwrap_err()
        ),
        "c"
    );
    let p = ContractualParams::sbg(0.7, 1.2).unwrap();
    assert_eq!(parameter_name(p.retention_rate(0).unwrap_err()), "t");
    assert_eq!(parameter_name(p.curve(MAX_AGES + 1).unwrap_err()), "ages");
    assert_eq!(
        parameter_name(p.discounted_expected_lifetime(-0.1).unwrap_err()),
        "discount_rate"
    );
    assert_eq!(
        parameter_name(p.residual_value(f64::INFINITY, 0.1, 1).unwrap_err()),
        "margin"
    );
    // Fields set by hand are validated by every prediction.
    let hand = ContractualParams { alpha: -1.0, ..p };
    assert_eq!(parameter_name(hand.survival(3).unwrap_err()), "alpha");
}

#[test]
fn matrix_options_have_limits() {
    let data = CohortSurvivors::from_series(&HIGH_END).unwrap();
    let with = |o: MatrixOptions| parameter_name(predictive_cohort_matrix(&data, &o).unwrap_err());
    let d = MatrixOptions::default;
    assert_eq!(with(MatrixOptions { level: 1.0, ..d() }), "level");
    assert_eq!(
        with(MatrixOptions {
            ages: Some(0),
            ..d()
        }),
        "ages"
    );
    assert_eq!(
        with(MatrixOptions {
            ages: Some(MAX_AGES + 1),
            ..d()
        }),
        "ages"
    );
    let boot = |draws| MatrixOptions {
        method: IntervalMethod::Bootstrap,
        draws,
        ages: Some(40),
        ..d()
    };
    assert_eq!(with(boot(1)), "draws");
    assert_eq!(with(boot(20_000)), "draws");
    // 2,000 cohorts × 5,000 projected cells × 10,000 draws is beyond the
    // bootstrap's value budget.
    let many = CohortSurvivors::from_counts(vec![HIGH_END.to_vec(); 2000]).unwrap();
    let e = predictive_cohort_matrix(
        &many,
        &MatrixOptions {
            ages: Some(5000),
            ..boot(10_000)
        },
    )
    .unwrap_err();
    assert_eq!(parameter_name(e), "draws");
}

#[test]
fn cohort_matrices_must_hold_survivors() {
    let t = |m: u32| Utc.with_ymd_and_hms(2024, m, 5, 0, 0, 0).unwrap();
    let log = EventLog::from_events(
        &[Event::order(1, t(1), 5.0), Event::order(1, t(2), 5.0)],
        LogOptions::default(),
    )
    .unwrap();
    let m = acquisition_cohorts(&log, t(4), &CohortOptions::default()).unwrap();
    assert_eq!(
        parameter_name(CohortSurvivors::from_matrix(&m).unwrap_err()),
        "mode"
    );
}
