//! The serde shape of the results the doors pass through unchanged:
//! instants as RFC 3339 UTC text, computed values (ratios, labels,
//! reasons, period starts) as fields. Runs with `--features serde`.
#![cfg(feature = "serde")]

use chrono::{TimeZone, Utc};
use retention_core::cohorts::{acquisition_cohorts, CohortOptions};
use retention_core::events::{Event, EventKind, EventLog, LogOptions};
use retention_core::loyalty::{points_ledger, LoyaltyConfig};
use retention_core::metrics::{
    engagement, period_activity, ActivityOptions, PeriodActivity, Window,
};
use retention_core::model_input::ModelInputOptions;
use retention_core::models::{bgnbd, FitOptions, TransactionSummary};
use retention_core::sample::SampleOptions;
use retention_core::shopper::{shopper_view, ShopperOptions};
use retention_core::time::to_micros;
use serde_json::{json, Value};

fn log() -> EventLog {
    let at = |m, d| Utc.with_ymd_and_hms(2024, m, d, 9, 30, 0).unwrap();
    let events = vec![
        Event::new("ana", at(1, 2), EventKind::Signup),
        Event::order("ana", at(1, 5), 120.0),
        Event::order("ana", at(2, 20), 80.0),
        Event::order("ben", at(2, 1), 40.0),
        Event::new("ben", at(3, 1), EventKind::Session),
    ];
    EventLog::from_events(&events, LogOptions::default()).unwrap()
}

#[test]
fn instants_are_rfc3339_utc_text_and_read_back() {
    let start = to_micros(Utc.with_ymd_and_hms(2024, 3, 1, 0, 0, 0).unwrap());
    let w = Window::from_micros(start - 86_400_000_000 * 29, start).unwrap();
    let a = period_activity(&log(), w, &ActivityOptions::default()).unwrap();
    let v = serde_json::to_value(a).unwrap();
    assert_eq!(v["start"], json!("2024-02-01T00:00:00Z"));
    assert_eq!(v["end"], json!("2024-03-01T00:00:00Z"));
    assert!(v.get("retention_rate").is_some());
    // The ratios are ignored when reading back; the instants are parsed.
    let back: PeriodActivity = serde_json::from_value(v).unwrap();
    assert_eq!(back, a);

    // Fractional seconds only when not zero; any offset reads as UTC.
    let mut o = ModelInputOptions::new(1_500_000);
    let v = serde_json::to_value(o).unwrap();
    assert_eq!(v["observation_end"], json!("1970-01-01T00:00:01.500Z"));
    o.observation_end = 0;
    let mut v = serde_json::to_value(o).unwrap();
    assert_eq!(v["observation_end"], json!("1970-01-01T00:00:00Z"));
    v["observation_end"] = json!("2024-03-01T01:00:00+01:00");
    let back: ModelInputOptions = serde_json::from_value(v).unwrap();
    assert_eq!(
        back.observation_end,
        to_micros(Utc.with_ymd_and_hms(2024, 3, 1, 0, 0, 0).unwrap())
    );
    let s = serde_json::to_value(SampleOptions::default()).unwrap();
    assert_eq!(s["as_of"], json!("2025-01-01T00:00:00Z"));
}

#[test]
fn optional_instants_are_text_or_null() {
    let as_of = Utc.with_ymd_and_hms(2024, 4, 1, 0, 0, 0).unwrap();
    let rows = engagement(&log(), as_of).unwrap();
    let v = serde_json::to_value(&rows).unwrap();
    assert_eq!(v[1]["last_activity"], json!("2024-03-01T09:30:00Z"));
    let mut one = v[1].clone();
    one["last_activity"] = Value::Null;
    let back: retention_core::metrics::Engagement = serde_json::from_value(one.clone()).unwrap();
    assert_eq!(back.last_activity, None);
    one.as_object_mut().unwrap().remove("last_activity");
    let back: retention_core::metrics::Engagement = serde_json::from_value(one).unwrap();
    assert_eq!(back.last_activity, None);
}

#[test]
fn computed_fields_are_serialized() {
    let log = log();
    let as_of = Utc.with_ymd_and_hms(2024, 4, 1, 0, 0, 0).unwrap();
    let view = shopper_view(
        &log,
        &"ana".into(),
        to_micros(as_of),
        &ShopperOptions::default(),
    )
    .unwrap();
    let v = serde_json::to_value(&view).unwrap();
    assert_eq!(v["customer"], json!("ana"));
    assert_eq!(v["lifecycle"]["label"], json!(view.lifecycle.stage.label()));
    let components = v["health"]["components"].as_array().unwrap();
    assert!(!components.is_empty());
    for (c, core) in components.iter().zip(&view.health.components) {
        assert_eq!(c["reason"], json!(core.reason()));
        assert!(c["detail"].is_object());
    }

    let l = points_ledger(&log, &"ana".into(), as_of, &LoyaltyConfig::default()).unwrap();
    let v = serde_json::to_value(&l).unwrap();
    assert_eq!(v["as_of"], json!("2024-04-01T00:00:00Z"));
    assert_eq!(v["balance"], json!(l.balance()));
    assert_eq!(v["entries"][1]["time"], json!("2024-01-05T09:30:00Z"));
    let (t, p) = l.next_expiry().unwrap();
    assert_eq!(
        v["next_expiry"],
        json!([t.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true), p])
    );

    let m = acquisition_cohorts(&log, as_of, &CohortOptions::default()).unwrap();
    let v = serde_json::to_value(&m).unwrap();
    assert_eq!(
        v["period_starts"],
        json!(["2024-01-01T00:00:00Z", "2024-02-01T00:00:00Z"])
    );
    assert_eq!(v["labels"], json!(m.labels()));
}

#[test]
fn a_fit_is_its_params_and_diagnostics_side_by_side() {
    let (x, tx, t) = (
        [2.0, 0.0, 5.0, 1.0],
        [30.0, 0.0, 35.0, 10.0],
        [40.0, 38.0, 39.0, 20.0],
    );
    let f = bgnbd::fit(
        &TransactionSummary::new(&x, &tx, &t),
        &FitOptions::default(),
    )
    .unwrap();
    let v = serde_json::to_value(&f).unwrap();
    assert_eq!(v["params"]["r"], json!(f.params.r));
    assert_eq!(v["log_likelihood"], json!(f.diagnostics.log_likelihood));
    assert_eq!(v["parameter_names"], json!(["r", "alpha", "a", "b"]));
    assert_eq!(v["method"], json!(f.diagnostics.method.as_str()));
    assert!(v.get("diagnostics").is_none());
}
