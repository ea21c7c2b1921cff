//! Checked instant and money arithmetic (issue 17, item 3): instants at
//! chrono's limits are up to 2⁶⁴ µs apart, which `as_of - last` in `i64`
//! wraps (a recency of −22 million days); money beyond 2⁶³ fixed-point
//! units (9.2·10¹²) was capped there. Each test states the answer computed
//! another way (chrono's own date difference, the input itself).

use chrono::{DateTime, Utc};
use retention_core::churn::health::{health_scores, Component, ComponentDetail, HealthOptions};
use retention_core::churn::supervised::churn_features;
use retention_core::events::{CustomerId, Event, EventKind, EventLog, LogOptions};
use retention_core::loyalty::{tier_for_value, LoyaltyConfig, Tier};
use retention_core::metrics::engagement;
use retention_core::model_input::{model_input, ModelInputOptions};
use retention_core::segments::rfm::{rfm_values, RfmOptions};
use retention_core::summary::{Money, OrderDays, Summaries};
use retention_core::survival::{churn_durations, ChurnBasis};
use retention_core::time::{elapsed_days, to_micros};
use retention_core::Error;

const MIN: DateTime<Utc> = DateTime::<Utc>::MIN_UTC;
const MAX: DateTime<Utc> = DateTime::<Utc>::MAX_UTC;

/// Days from chrono's earliest to its latest instant, by chrono's own date
/// arithmetic (≈ 524 286 years ≈ 1.9·10⁸ days).
fn whole_range_days() -> f64 {
    let d = MAX.signed_duration_since(MIN);
    d.num_microseconds()
        .map_or(d.num_seconds() as f64 / 86_400.0, |u| u as f64 / 86_400e6)
}

fn one_order_at_min() -> EventLog {
    let events = vec![
        Event::order(1, MIN, 10.0),
        Event::new(1, MIN, EventKind::Session),
    ];
    EventLog::from_events(&events, LogOptions::default()).unwrap()
}

fn close(a: f64, b: f64) {
    assert!((a - b).abs() <= 1e-9 * b.abs(), "{a} vs {b}");
}

#[test]
fn elapsed_days_spans_the_whole_range_of_instants() {
    let want = whole_range_days();
    assert!(want > 1.9e8, "{want}");
    close(elapsed_days(to_micros(MIN), to_micros(MAX)), want);
    close(elapsed_days(to_micros(MAX), to_micros(MIN)), -want);
}

/// RFM recency with the last order at chrono's earliest instant and `as_of`
/// at its latest wrapped to −22 million days.
#[test]
fn rfm_recency_at_chrono_limits_is_exact() {
    let summaries = Summaries::from_log(&one_order_at_min());
    let v = rfm_values(&summaries, None, &RfmOptions::new(to_micros(MAX))).unwrap();
    close(v.recency_days[0].unwrap(), whole_range_days());
}

/// The health score's recency component: the wrapped difference gave a
/// risk of 0 to a customer silent for 500 000 years.
#[test]
fn health_recency_at_chrono_limits_is_exact() {
    let scores = health_scores(
        &one_order_at_min(),
        to_micros(MAX),
        &HealthOptions::default(),
    )
    .unwrap();
    let recency = &scores[0].components[0];
    assert_eq!(recency.component, Component::Recency);
    assert_eq!(recency.risk, 1.0, "{:?}", scores[0]);
    match recency.detail {
        ComponentDetail::Recency {
            days_since_last_order,
            ..
        } => close(days_since_last_order, whole_range_days()),
        other => panic!("{other:?}"),
    }
}

#[test]
fn churn_features_and_durations_at_chrono_limits_are_exact() {
    let log = one_order_at_min();
    let f = churn_features(&log, to_micros(MAX));
    close(f.rows[0][0], whole_range_days()); // recency_days
    close(f.rows[0][1], whole_range_days()); // tenure_days
    let d = churn_durations(
        &log,
        to_micros(MAX),
        ChurnBasis::Orders { inactive_days: 30 },
    )
    .unwrap();
    assert_eq!(d.churned, vec![true]);
    assert_eq!(d.durations, vec![0.0]);
    let e = engagement(&log, MAX).unwrap();
    close(e[0].days_since_last_activity.unwrap(), whole_range_days());
}

/// A time multiplier of 10⁻³²⁰ (a subnormal) gave recency and `T` of
/// infinity inside an `Ok`.
#[test]
fn tiny_multiplier_is_a_typed_error() {
    let events = vec![
        Event::order(1, DateTime::<Utc>::UNIX_EPOCH, 10.0),
        Event::order(1, MAX, 10.0),
    ];
    let log = EventLog::from_events(&events, LogOptions::default()).unwrap();
    let days = OrderDays::from_log(&log);
    for multiplier in [1e-320, 1e-300, 1e-101] {
        let options = ModelInputOptions {
            multiplier,
            ..ModelInputOptions::new(to_micros(MAX))
        };
        match model_input(&days, &options) {
            Err(Error::InvalidParameter { name, .. }) => assert_eq!(name, "multiplier"),
            other => panic!("{multiplier}: {other:?}"),
        }
    }
    // The smallest multiplier accepted still gives finite answers.
    let options = ModelInputOptions {
        multiplier: retention_core::model_input::MIN_MULTIPLIER,
        ..ModelInputOptions::new(to_micros(MAX))
    };
    let m = model_input(&days, &options).unwrap();
    assert!(m.t.iter().chain(&m.recency).all(|x| x.is_finite()), "{m:?}");
}

fn whale_tiers() -> LoyaltyConfig {
    LoyaltyConfig {
        tiers: vec![Tier::new("Bronze", 0.0, 1.0), Tier::new("Whale", 1e13, 2.0)],
        ..LoyaltyConfig::default()
    }
}

/// A customer worth 5·10¹³ was capped at 9.22·10¹² (2⁶³ fixed-point units),
/// placed below a 10¹³ tier and reported at the cap.
#[test]
fn money_above_nine_trillion_is_not_capped() {
    let s = tier_for_value(5e13, &whale_tiers()).unwrap();
    assert_eq!((s.name.as_str(), s.value), ("Whale", 5e13));
    assert_eq!(Money::from_f64(5e13).to_f64(), 5e13);
    assert_eq!(Money::from_f64(-5e13).to_f64(), -5e13);
    assert_eq!(Money::from_f64(1e30).to_f64(), 1e30);
    match tier_for_value(1e40, &whale_tiers()) {
        Err(Error::InvalidParameter { name, .. }) => assert_eq!(name, "value"),
        other => panic!("{other:?}"),
    }
}

/// Configured amounts beyond the exact fixed point, and earn rates whose
/// points per order could not be summed exactly, are typed errors.
#[test]
fn loyalty_amounts_beyond_the_fixed_point_are_typed_errors() {
    let cases: [(&str, LoyaltyConfig); 3] = [
        (
            "welcome_points",
            LoyaltyConfig {
                welcome_points: 1e31,
                ..LoyaltyConfig::default()
            },
        ),
        (
            "tiers.threshold",
            LoyaltyConfig {
                tiers: vec![Tier::new("Bronze", 0.0, 1.0), Tier::new("Top", 1e35, 2.0)],
                ..LoyaltyConfig::default()
            },
        ),
        (
            "points_per_unit",
            LoyaltyConfig {
                points_per_unit: 1e300,
                ..LoyaltyConfig::default()
            },
        ),
    ];
    for (want, config) in cases {
        match config.validate() {
            Err(Error::InvalidParameter { name, .. }) => assert_eq!(name, want),
            other => panic!("{want}: {other:?}"),
        }
    }
    assert!(LoyaltyConfig {
        points_per_unit: 5e7,
        ..LoyaltyConfig::default()
    }
    .validate()
    .is_ok());
}

#[test]
fn customer_ids_at_the_limits_do_not_matter() {
    // Instants, not ids, are the arithmetic here; ids at i64's limits were
    // covered by the grouping tests. This pins that a log mixing both
    // limits still scores.
    let events = vec![
        Event::order(CustomerId::Int(i64::MIN), MIN, 1.0),
        Event::order(CustomerId::Int(i64::MAX), MAX, 1e12),
    ];
    let log = EventLog::from_events(&events, LogOptions::default()).unwrap();
    let scores = health_scores(&log, to_micros(MAX), &HealthOptions::default()).unwrap();
    assert!(scores.iter().all(|s| s.risk.is_finite()));
}

// ---------------------------------------------------------------------------
// Bounded work outside the models (issue 17, item 2): iteration limits and
// grid sizes of the survival fits and the churn model.
// ---------------------------------------------------------------------------

use retention_core::churn::supervised::{LogisticModel, LogisticOptions};
use retention_core::models::MAX_FIT_ITERATIONS;
use retention_core::survival::{
    turnbull, CoxModel, CoxOptions, ParametricCoxModel, ParametricCoxOptions, PhBaselineSpec,
    TurnbullOptions,
};

fn names_parameter<T: std::fmt::Debug>(result: retention_core::Result<T>, want: &str) {
    match result {
        Err(Error::InvalidParameter { name, .. }) => assert_eq!(name, want),
        other => panic!("{want}: {other:?}"),
    }
}

const DURATIONS: [f64; 6] = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0];
const EVENTS: [bool; 6] = [true, false, true, true, false, true];
const X: [f64; 6] = [0.3, -0.1, 0.8, 0.1, -0.6, 0.4];

/// `max_iterations = usize::MAX` set the work of a Cox, parametric Cox,
/// Turnbull or churn-model fit that does not converge.
#[test]
fn fit_iterations_outside_the_models_are_bounded() {
    for bad in [0, MAX_FIT_ITERATIONS + 1, usize::MAX] {
        let cox = CoxOptions {
            max_iterations: bad,
            ..CoxOptions::default()
        };
        names_parameter(
            CoxModel::fit(&DURATIONS, &EVENTS, &[X.to_vec()], &cox),
            "max_iterations",
        );
        let tb = TurnbullOptions {
            max_iterations: bad,
            ..TurnbullOptions::default()
        };
        names_parameter(
            turnbull(&[0.0, 1.0], &[2.0, 3.0], None, None, &tb),
            "max_iterations",
        );
    }
    // Zero iterations stays a valid request of these two ("not converged").
    for bad in [MAX_FIT_ITERATIONS + 1, usize::MAX] {
        let pcox = ParametricCoxOptions {
            max_iterations: bad,
            ..ParametricCoxOptions::new(PhBaselineSpec::Piecewise {
                breakpoints: vec![3.0],
            })
        };
        names_parameter(
            ParametricCoxModel::fit(
                &DURATIONS,
                &EVENTS,
                &[X.to_vec()],
                Default::default(),
                &pcox,
            ),
            "max_iterations",
        );
        let rows: Vec<[f64; 1]> = X.iter().map(|&x| [x]).collect();
        let lo = LogisticOptions {
            max_iterations: bad,
            ..LogisticOptions::default()
        };
        names_parameter(LogisticModel::fit(&rows, &EVENTS, &lo), "max_iterations");
    }
}

/// A spline baseline with 10⁶ knots asked for a 10¹² -entry information
/// matrix (an abort in a door).
#[test]
fn spline_baseline_knots_are_bounded() {
    let options = ParametricCoxOptions::new(PhBaselineSpec::Spline {
        n_knots: 1_000_000,
        knots: None,
    });
    names_parameter(
        ParametricCoxModel::fit(
            &DURATIONS,
            &EVENTS,
            &[X.to_vec()],
            Default::default(),
            &options,
        ),
        "n_baseline_knots",
    );
}
