//! Every kind of bad input to `metrics` is a typed error naming what is wrong.

use chrono::{DateTime, TimeZone, Utc};
use retention_core::events::{Event, EventKind, EventLog, LogOptions};
use retention_core::metrics::*;
use retention_core::time::{Calendar, Period};
use retention_core::{Error, IssueKind};

fn at(m: u32, d: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2024, m, d, 12, 0, 0).unwrap()
}

/// `(row, field, value, kind)` of every issue of an `InvalidRows` error.
fn issues(err: Error) -> Vec<(usize, &'static str, String, IssueKind)> {
    match err {
        Error::InvalidRows { issues } => issues
            .into_iter()
            .map(|i| (i.row, i.field, i.value, i.kind))
            .collect(),
        other => panic!("expected InvalidRows, got {other:?}"),
    }
}

/// `(name, value)` of an `InvalidParameter` error.
fn parameter(err: Error) -> (&'static str, String) {
    match err {
        Error::InvalidParameter { name, value, .. } => (name, value),
        other => panic!("expected InvalidParameter, got {other:?}"),
    }
}

const NPS_SCALE: IssueKind = IssueKind::OutOfRange {
    min: 0.0,
    max: 10.0,
};

#[test]
fn nps_lists_every_bad_answer() {
    let err = nps(&[9.0, f64::NAN, 11.0, -1.0, 7.5, f64::INFINITY, 10.0]).unwrap_err();
    assert_eq!(
        issues(err),
        vec![
            (1, "score", "NaN".into(), IssueKind::NotFinite),
            (2, "score", "11".into(), NPS_SCALE),
            (3, "score", "-1".into(), NPS_SCALE),
            (4, "score", "7.5".into(), IssueKind::NotInteger),
            (5, "score", "inf".into(), IssueKind::NotFinite),
        ]
    );
    assert!(nps(&[9.0, 11.0])
        .unwrap_err()
        .to_string()
        .contains("row 1: field `score` = \"11\""));
}

#[test]
fn empty_inputs() {
    assert_eq!(
        nps(&[]).unwrap_err(),
        Error::EmptyInput {
            what: "NPS answers"
        }
    );
    assert!(matches!(
        csat(&[], CsatOptions::default()),
        Err(Error::EmptyInput { .. })
    ));
    assert!(matches!(ces(&[], 7), Err(Error::EmptyInput { .. })));
    assert_eq!(
        customer_loyalty_index(&[9.0], &[], &[9.0]).unwrap_err(),
        Error::EmptyInput {
            what: "loyalty answers: repurchase"
        }
    );
}

#[test]
fn csat_and_ces_scales() {
    let err = csat(&[5.0, 6.0, 0.0, 4.5], CsatOptions::default()).unwrap_err();
    let scale = IssueKind::OutOfRange { min: 1.0, max: 5.0 };
    assert_eq!(
        issues(err),
        vec![
            (1, "score", "6".into(), scale.clone()),
            (2, "score", "0".into(), scale),
            (3, "score", "4.5".into(), IssueKind::NotInteger),
        ]
    );
    let bad_scale = CsatOptions {
        scale: 1,
        satisfied_threshold: None,
    };
    assert_eq!(parameter(csat(&[1.0], bad_scale).unwrap_err()).0, "scale");
    let bad_threshold = CsatOptions {
        scale: 5,
        satisfied_threshold: Some(6),
    };
    assert_eq!(
        parameter(csat(&[1.0], bad_threshold).unwrap_err()),
        ("satisfied_threshold", "6".into())
    );
    let zero_threshold = CsatOptions {
        satisfied_threshold: Some(0),
        ..CsatOptions::default()
    };
    assert!(csat(&[1.0], zero_threshold).is_err());

    assert_eq!(
        issues(ces(&[1.0, 8.0], 7).unwrap_err()),
        vec![(
            1,
            "score",
            "8".into(),
            IssueKind::OutOfRange { min: 1.0, max: 7.0 }
        )]
    );
    assert_eq!(
        parameter(ces(&[1.0], 1).unwrap_err()),
        ("choices", "1".into())
    );
}

#[test]
fn loyalty_index_names_the_question() {
    let err = customer_loyalty_index(&[10.0, 12.0], &[f64::NAN], &[3.0, 2.5]).unwrap_err();
    assert_eq!(
        issues(err),
        vec![
            (0, "repurchase", "NaN".into(), IssueKind::NotFinite),
            (1, "recommend", "12".into(), NPS_SCALE),
            (1, "other_products", "2.5".into(), IssueKind::NotInteger),
        ]
    );
}

#[test]
fn clv_parameters() {
    assert_eq!(
        parameter(simple_clv(-50.0, 3.0, 5.0).unwrap_err()),
        ("aov", "-50.0".into())
    );
    assert_eq!(
        parameter(simple_clv(50.0, f64::NAN, 5.0).unwrap_err()),
        ("purchases_per_unit", "NaN".into())
    );
    assert_eq!(
        parameter(simple_clv(50.0, 3.0, f64::INFINITY).unwrap_err()),
        ("lifespan_units", "inf".into())
    );
    // Finite inputs whose product overflows.
    assert_eq!(
        parameter(simple_clv(1e200, 1e200, 1.0).unwrap_err()).0,
        "clv"
    );
    assert_eq!(
        parameter(clv_with_margin(50.0, 3.0, 5.0, 1.5).unwrap_err()),
        ("margin", "1.5".into())
    );
    assert_eq!(
        parameter(clv_with_margin(50.0, 3.0, 5.0, -0.1).unwrap_err()).0,
        "margin"
    );
    assert_eq!(
        parameter(retention_clv(f64::NAN, 0.5, 0.1).unwrap_err()).0,
        "margin_per_period"
    );
    assert_eq!(
        parameter(retention_clv(10.0, 1.2, 0.1).unwrap_err()),
        ("retention", "1.2".into())
    );
    assert_eq!(
        parameter(retention_clv(10.0, 0.5, -0.1).unwrap_err()),
        ("discount", "-0.1".into())
    );
    // r = 1, d = 0: 1 + d − r = 0.
    assert_eq!(
        parameter(retention_clv(10.0, 1.0, 0.0).unwrap_err()).0,
        "discount"
    );
}

#[test]
fn inconsistent_counts_and_rates() {
    assert_eq!(
        parameter(churn_rate(11, 10).unwrap_err()),
        ("lost", "11".into())
    );
    // N > E.
    assert_eq!(
        parameter(customer_retention_rate(10, 5, 6).unwrap_err()),
        ("new", "6".into())
    );
    // E − N > S.
    assert_eq!(
        parameter(customer_retention_rate(10, 20, 5).unwrap_err()),
        ("end", "20".into())
    );
    assert_eq!(
        parameter(lifespan_from_churn(f64::NAN).unwrap_err()),
        ("churn_rate", "NaN".into())
    );
    assert!(lifespan_from_churn(1.5).is_err());
    assert!(lifespan_from_churn(-0.5).is_err());
}

#[test]
fn windows() {
    // Zero-length window.
    let (name, value) = parameter(Window::new(at(3, 1), at(3, 1)).unwrap_err());
    assert_eq!(
        (name, value.as_str()),
        ("end", "\"2024-03-01T12:00:00+00:00\"")
    );
    // Start after end.
    assert_eq!(
        parameter(Window::new(at(3, 2), at(3, 1)).unwrap_err()).0,
        "end"
    );
    assert!(Window::from_micros(5, 5).is_err());
    assert!(Window::from_micros(i64::MIN, i64::MAX).is_ok());

    let log = EventLog::default();
    let w = Window::new(at(3, 1), at(4, 1)).unwrap();
    // Zero-day activity window.
    let zero = ActivityOptions {
        window_days: 0,
        ..ActivityOptions::default()
    };
    assert_eq!(
        parameter(period_activity(&log, w, &zero).unwrap_err()),
        ("window_days", "0".into())
    );
    assert!(active_customer_count(&log, at(3, 1), &zero).is_err());
    // Absurdly long activity window: an error, not an overflow.
    let huge = ActivityOptions {
        window_days: u32::MAX,
        ..ActivityOptions::default()
    };
    assert_eq!(
        parameter(period_activity(&log, w, &huge).unwrap_err()).0,
        "window_days"
    );

    // Period ranges.
    let cal = Calendar::utc(Period::Month);
    let opts = ActivityOptions::default();
    assert_eq!(
        parameter(period_activity_series(&log, &cal, 5, 4, &opts).unwrap_err()).0,
        "last"
    );
    assert_eq!(
        parameter(period_activity_series(&log, &cal, i64::MIN, 0, &opts).unwrap_err()).0,
        "first"
    );
    assert!(period_activity_series(&log, &cal, 0, 200_000, &opts).is_err());
    assert!(period_over_period_retention(&log, &cal, i64::MAX).is_err());
    assert!(period_over_period_retention_series(&log, &cal, 3, 1).is_err());
    assert!(Window::period(&cal, i64::MIN).is_err());
    // Extreme but accepted indices do not panic.
    let week = Calendar::utc(Period::ISO_WEEK);
    assert!(period_over_period_retention(&log, &week, MAX_PERIOD_INDEX).is_ok());
    // Year −10⁷ lies before the first representable instant: both bounds
    // saturate, so the window is empty and rejected rather than wrapped.
    assert!(Window::period(&Calendar::utc(Period::Year), -MAX_PERIOD_INDEX).is_err());
    for period in [
        Period::Day,
        Period::ISO_WEEK,
        Period::Month,
        Period::Quarter,
    ] {
        let cal = Calendar::with_offset(period, -18 * 3600).unwrap();
        for index in [-MAX_PERIOD_INDEX, 0, MAX_PERIOD_INDEX] {
            let _ = Window::period(&cal, index);
            let _ = period_activity_series(&log, &cal, index, index, &opts);
        }
    }
}

#[test]
fn events_after_as_of() {
    let log = EventLog::from_events(
        &[
            Event::new(1, at(3, 1), EventKind::Session),
            Event::new(2, at(3, 20), EventKind::EmailOpen),
            Event::order(1, at(3, 25), 5.0),
        ],
        LogOptions::default(),
    )
    .unwrap();
    let err = engagement(&log, at(3, 10)).unwrap_err();
    assert_eq!(
        issues(err),
        vec![
            (
                1,
                "timestamp",
                "2024-03-20T12:00:00+00:00".into(),
                IssueKind::AfterAsOf
            ),
            (
                2,
                "timestamp",
                "2024-03-25T12:00:00+00:00".into(),
                IssueKind::AfterAsOf
            ),
        ]
    );
    assert!(customer_engagement(&log, &1.into(), at(3, 10)).is_err());
    assert!(engagement(&log, at(3, 25)).is_ok());
    assert_eq!(
        customer_engagement(&log, &"nobody".into(), at(3, 25)).unwrap_err(),
        Error::UnknownCustomer {
            customer: "nobody".into()
        }
    );
}

#[test]
fn mrr_bridge_validation() {
    let ok = MrrBridge {
        starting: 10.0,
        ending: 10.0,
        ..MrrBridge::default()
    };
    ok.validate().unwrap();
    let nan = MrrBridge {
        expansion: f64::NAN,
        ..ok
    };
    assert_eq!(
        parameter(nan.validate().unwrap_err()),
        ("expansion", "NaN".into())
    );
    let negative = MrrBridge {
        churned: -5.0,
        ..ok
    };
    assert_eq!(
        parameter(negative.validate().unwrap_err()),
        ("churned", "-5.0".into())
    );
}

#[test]
fn hand_edited_result_structs_never_leave_the_unit_interval() {
    let a = PeriodActivity {
        start: 0,
        end: 1,
        start_count: 2,
        end_count: 9,
        retained: 0,
        joined: 0,
        new: 1,
        lost: 5,
        lost_including_new: 5,
    };
    assert_eq!(a.retention_rate(), None); // E − N = 8 > S = 2
    assert_eq!(a.churn_rate(ChurnVariant::StartingCustomers), None); // 5 > 2
    let p = PeriodRetention {
        period: 0,
        customers: 1,
        retained: 3,
    };
    assert_eq!(p.rate(), None);
}
