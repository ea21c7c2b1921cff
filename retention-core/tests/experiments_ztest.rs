//! Two-proportion z-test against textbook examples, and the retention-count
//! helper on a hand-built log.
//!
//! Source: D. Diez, M. Çetinkaya-Rundel, C. Barr, *OpenIntro Statistics*,
//! 4th edition (2019), §6.2 "Difference of two proportions":
//!
//! * CPR / blood-thinner study: 14 of 40 treated and 11 of 50 control patients
//!   survived; the book's 90 % confidence interval for the difference is
//!   0.13 ± 1.65 × 0.095 ≈ (−0.026, 0.286).
//! * Mammogram study: 500 of 44 925 (mammogram) and 505 of 44 910 (control)
//!   died of breast cancer; pooled proportion 0.0112, SE ≈ 0.00070, Z ≈ −0.17
//!   and a two-sided p-value of about 0.87.
//!
//! The book rounds intermediate values; the 4-decimal figures below were
//! recomputed with `statsmodels` 0.14 (`proportions_ztest`,
//! `confint_proportions_2indep(method="wald")`) and `scipy.stats.norm`.

use chrono::{DateTime, TimeZone, Utc};
use retention_core::events::{CustomerId, Event, EventKind, EventLog, LogOptions};
use retention_core::experiments::{
    retention_counts, two_proportion_z_test, Proportion, RetentionWindow, ZTestOptions,
};
use retention_core::{Error, IssueKind};

fn close(actual: f64, expected: f64, tol: f64) {
    assert!(
        (actual - expected).abs() < tol,
        "{actual} differs from {expected} by more than {tol}"
    );
}

#[test]
fn openintro_cpr_confidence_interval() {
    let r = two_proportion_z_test(
        Proportion::new(14, 40),
        Proportion::new(11, 50),
        &ZTestOptions { confidence: 0.90 },
    )
    .unwrap();
    // Book: 0.35 − 0.22 = 0.13, SE = 0.095, 90 % CI (−0.026, 0.286).
    close(r.treatment_rate, 0.35, 1e-12);
    close(r.control_rate, 0.22, 1e-12);
    close(r.difference, 0.13, 1e-12);
    close(r.standard_error, 0.095, 5e-4);
    close(r.ci_low, -0.026, 2e-3);
    close(r.ci_high, 0.286, 2e-3);
    // statsmodels, to 4 decimals.
    close(r.standard_error, 0.0955, 5e-5);
    close(r.ci_low, -0.0271, 5e-5);
    close(r.ci_high, 0.2871, 5e-5);
    close(r.pooled_standard_error, 0.0950, 5e-5);
    close(r.z.unwrap(), 1.3682, 5e-5);
    close(r.p_value.unwrap(), 0.1712, 5e-5);
}

#[test]
fn openintro_mammogram_hypothesis_test() {
    let r = two_proportion_z_test(
        Proportion::new(500, 44_925),
        Proportion::new(505, 44_910),
        &ZTestOptions::default(),
    )
    .unwrap();
    // Book: pooled SE 0.00070, Z = −0.17, p ≈ 0.87.
    close(r.pooled_standard_error, 0.00070, 5e-6);
    close(r.z.unwrap(), -0.17, 0.01);
    close(r.p_value.unwrap(), 0.87, 0.01);
    // statsmodels, to 4 decimals (and a little more).
    close(r.difference, -0.000115051, 1e-9);
    close(r.z.unwrap(), -0.1639, 5e-5);
    close(r.p_value.unwrap(), 0.8698, 5e-5);
    close(r.ci_low, -0.0014906, 5e-7);
    close(r.ci_high, 0.0012605, 5e-7);
    assert_eq!(r.confidence, 0.95);
}

#[test]
fn churn_is_the_mirror_image() {
    let t = Proportion::new(14, 40);
    let c = Proportion::new(11, 50);
    let opts = ZTestOptions::default();
    let retention = two_proportion_z_test(t, c, &opts).unwrap();
    let churn = two_proportion_z_test(t.complement(), c.complement(), &opts).unwrap();
    close(churn.difference, -retention.difference, 1e-15);
    close(churn.z.unwrap(), -retention.z.unwrap(), 1e-12);
    close(churn.p_value.unwrap(), retention.p_value.unwrap(), 1e-12);
}

#[test]
fn degenerate_and_invalid_inputs() {
    // Everybody retained in both groups: z undefined, not NaN.
    let r = two_proportion_z_test(
        Proportion::new(10, 10),
        Proportion::new(20, 20),
        &ZTestOptions::default(),
    )
    .unwrap();
    assert_eq!((r.z, r.p_value), (None, None));
    assert_eq!((r.difference, r.ci_low, r.ci_high), (0.0, 0.0, 0.0));
    // All versus nothing: unpooled SE 0, pooled SE > 0.
    let r = two_proportion_z_test(
        Proportion::new(10, 10),
        Proportion::new(0, 10),
        &ZTestOptions::default(),
    )
    .unwrap();
    assert_eq!((r.ci_low, r.ci_high), (1.0, 1.0));
    assert!(r.p_value.unwrap() < 1e-4);

    assert_eq!(
        two_proportion_z_test(
            Proportion::new(0, 0),
            Proportion::new(1, 2),
            &ZTestOptions::default()
        )
        .unwrap_err(),
        Error::EmptyInput {
            what: "treatment group"
        }
    );
    assert!(matches!(
        two_proportion_z_test(
            Proportion::new(3, 2),
            Proportion::new(1, 2),
            &ZTestOptions::default()
        ),
        Err(Error::InvalidParameter {
            name: "treatment.successes",
            ..
        })
    ));
    for confidence in [0.0, 1.0, -0.5, 1.5, f64::NAN, f64::INFINITY] {
        assert!(matches!(
            two_proportion_z_test(
                Proportion::new(1, 2),
                Proportion::new(1, 2),
                &ZTestOptions { confidence }
            ),
            Err(Error::InvalidParameter {
                name: "confidence",
                ..
            })
        ));
    }
}

fn d(day: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2024, 6, day, 9, 0, 0).unwrap()
}

#[test]
fn retention_counts_from_a_log() {
    // Window: June 10 (inclusive) to June 24 (exclusive).
    let events = vec![
        Event::order(1, d(1), 10.0),
        Event::order(1, d(10), 10.0), // at the window start: counts
        Event::order(2, d(2), 10.0),
        Event::new(2, d(12), EventKind::Session), // not an order
        Event::order(3, d(3), 10.0),
        Event::order(3, d(24), 10.0), // at the window end: excluded
        Event::order(4, d(4), 10.0),
        Event::order(4, d(23), 10.0),
        Event::order(5, d(5), 10.0),
        Event::order(5, d(15), 10.0), // unlabelled group: ignored
    ];
    let log = EventLog::from_events(&events, LogOptions::default()).unwrap();
    let ids: Vec<CustomerId> = [1, 2, 3, 4, 5].into_iter().map(CustomerId::Int).collect();
    let labels = ["offer", "offer", "control", "control", "holdout"];
    let window = RetentionWindow {
        start: d(10),
        days: 14,
    };
    let counts = retention_counts(&log, &ids, &labels, "offer", "control", window, d(28)).unwrap();
    assert_eq!(counts.treatment, Proportion::new(1, 2));
    assert_eq!(counts.control, Proportion::new(1, 2));

    // The window must be complete at as_of; events after as_of are rejected.
    assert!(matches!(
        retention_counts(&log, &ids, &labels, "offer", "control", window, d(23)),
        Err(Error::InvalidParameter { name: "window", .. })
    ));
    let late = RetentionWindow {
        start: d(1),
        days: 5,
    };
    let Err(Error::InvalidRows { issues }) =
        retention_counts(&log, &ids, &labels, "offer", "control", late, d(6))
    else {
        panic!("expected rows after as_of to be rejected")
    };
    assert!(issues.iter().all(|i| i.kind == IssueKind::AfterAsOf));
    assert!(matches!(
        retention_counts(
            &log,
            &ids,
            &labels,
            "offer",
            "control",
            RetentionWindow {
                start: d(10),
                days: 0
            },
            d(28)
        ),
        Err(Error::InvalidParameter {
            name: "window.days",
            ..
        })
    ));
    assert!(matches!(
        retention_counts(&log, &ids, &labels, "offer", "offer", window, d(28)),
        Err(Error::InvalidParameter {
            name: "control",
            ..
        })
    ));
    let ghost = vec![CustomerId::from("ghost")];
    assert_eq!(
        retention_counts(&log, &ghost, &["offer"], "offer", "control", window, d(28)).unwrap_err(),
        Error::UnknownCustomer {
            customer: "ghost".into()
        }
    );
}

#[test]
fn log_rank_between_labelled_groups_matches_the_direct_test() {
    use chrono::{Duration, TimeZone, Utc};
    use retention_core::events::{CustomerId, Event, EventLog, LogOptions};
    use retention_core::experiments::survival_comparison;
    use retention_core::survival::{churn_durations, logrank_test, ChurnBasis};
    let as_of = Utc.with_ymd_and_hms(2024, 12, 31, 0, 0, 0).unwrap();
    let mut events = Vec::new();
    let mut ids = Vec::new();
    let mut labels = Vec::new();
    // Treatment customers keep buying longer than control customers.
    for c in 0..40_i64 {
        let treated = c % 2 == 0;
        let life = if treated { 30 + 7 * c } else { 10 + 3 * c };
        let first = as_of - Duration::days(400 - c);
        events.push(Event::order(c, first, 20.0));
        events.push(Event::order(c, first + Duration::days(life), 20.0));
        ids.push(CustomerId::Int(c));
        labels.push(if treated { "offer" } else { "control" });
    }
    let log = EventLog::from_events(&events, LogOptions::default()).unwrap();
    let basis = ChurnBasis::Orders { inactive_days: 60 };
    let test = survival_comparison(&log, &ids, &labels, "offer", "control", as_of, basis).unwrap();
    // The same test by hand from the durations.
    let lives = churn_durations(&log, retention_core::time::to_micros(as_of), basis).unwrap();
    let pick = |even: bool| -> (Vec<f64>, Vec<bool>) {
        (0..40)
            .filter(|c| (c % 2 == 0) == even)
            .map(|c| (lives.durations[c], lives.churned[c]))
            .unzip()
    };
    let (td, te) = pick(true);
    let (cd, ce) = pick(false);
    let direct = logrank_test(&td, &te, &cd, &ce).unwrap();
    assert_eq!(test, direct);
    assert!(test.p_value < 0.01, "{}", test.p_value);
    assert!(survival_comparison(&log, &ids, &labels, "offer", "offer", as_of, basis).is_err());
}
