//! Shared test vectors: numbers computed here by `retention-core` directly
//! (not through the bindings) and pinned in `vectors.json`, which the node
//! tests (`vectors.test.mjs`) compare with what the npm package returns for
//! the same data.
//!
//! Regenerate after an intended change with
//! `UPDATE_VECTORS=1 cargo test -p retention-wasm --test vectors`.

#![cfg(not(target_arch = "wasm32"))]

use chrono::{DateTime, TimeZone, Utc};
use retention_core::churn::health::{health_traffic_lights, HealthOptions};
use retention_core::churn::traffic_light::LightThresholds;
use retention_core::cohorts::{acquisition_cohorts, CohortOptions};
use retention_core::events::{Event, EventKind, EventLog, LogOptions, Severity, SurveyKind};
use retention_core::loyalty::{points_ledger, tier_status, LoyaltyConfig};
use retention_core::sample::{generate_log, SampleOptions};
use retention_core::segments::rfm::{rfm, Binning, RfmOptions, RfmThresholds};
use retention_core::shopper::{shopper_view, ShopperOptions};
use retention_core::summary::{OrderDays, Summaries};
use retention_core::time::{to_micros, Micros};
use serde_json::{json, Value};

fn day(m: u32, d: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2024, m, d, 10, 0, 0).unwrap()
}

fn ms(t: Micros) -> f64 {
    t as f64 / 1000.0
}

/// A small history with every field the storefront uses, as event rows.
fn shop_events() -> Vec<Event> {
    let mut ev = vec![Event::new("ana", day(1, 2), EventKind::Signup)];
    for (m, d, a) in [(1, 5, 120.0), (1, 28, 80.5), (2, 20, 310.0), (3, 15, 95.25)] {
        ev.push(Event::order("ana", day(m, d), a));
    }
    ev.push(Event::new(
        "ana",
        day(4, 1),
        EventKind::Survey {
            kind: SurveyKind::Nps,
            score: 6.0,
        },
    ));
    ev.push(Event::new(
        "ana",
        day(4, 20),
        EventKind::SupportTicket {
            severity: Severity::Major,
            resolved: false,
        },
    ));
    ev.push(Event::new(
        "ana",
        day(2, 1),
        EventKind::PointsRedeemed { points: 50.0 },
    ));
    for (m, d, a) in [(1, 10, 900.0), (2, 10, 850.0), (5, 1, 700.0), (5, 25, 40.0)] {
        ev.push(Event::order("ben", day(m, d), a));
    }
    ev.push(Event::new(
        "ben",
        day(5, 26),
        EventKind::Refund { amount: 40.0 },
    ));
    ev.push(Event::new("cy", day(5, 20), EventKind::Session));
    ev.push(Event::order("dee", day(3, 3), 15.0));
    ev
}

fn event_json(e: &Event) -> Value {
    let mut o = json!({
        "customer": e.customer.to_string(),
        "timestamp": e.timestamp.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
    });
    let (t, extra) = match &e.kind {
        EventKind::Signup => ("signup", json!({})),
        EventKind::Session => ("session", json!({})),
        EventKind::Order { amount, .. } => ("order", json!({ "amount": amount })),
        EventKind::Refund { amount } => ("refund", json!({ "amount": amount })),
        EventKind::PointsRedeemed { points } => ("points_redeemed", json!({ "amount": points })),
        EventKind::Survey { kind, score } => {
            ("survey", json!({ "score": score, "detail": kind.as_str() }))
        }
        EventKind::SupportTicket { severity, resolved } => (
            "support_ticket",
            json!({ "detail": severity.as_str(), "resolved": resolved }),
        ),
        other => panic!("not used in the vectors: {other:?}"),
    };
    o["type"] = json!(t);
    for (k, v) in extra.as_object().unwrap() {
        o[k] = v.clone();
    }
    o
}

fn vectors() -> Value {
    // Part 1: the small shop, from event objects.
    let events = shop_events();
    let log = EventLog::from_events(&events, LogOptions::default()).unwrap();
    let as_of = day(6, 1);
    let t = to_micros(as_of);
    let cfg = LoyaltyConfig::default();
    let thresholds = RfmThresholds {
        recency: vec![14.0, 30.0, 60.0, 120.0],
        frequency: vec![1.0, 2.0, 3.0, 5.0],
        monetary: vec![100.0, 300.0, 600.0, 1500.0],
    };
    let shopper_options = ShopperOptions {
        rfm: Some(RfmOptions {
            binning: Binning::Thresholds(thresholds.clone()),
            ..RfmOptions::new(t)
        }),
        ..ShopperOptions::default()
    };
    let mut shoppers = serde_json::Map::new();
    for id in ["ana", "ben", "cy", "dee"] {
        let v = shopper_view(&log, &id.into(), t, &shopper_options).unwrap();
        let rfm = v.rfm.unwrap();
        shoppers.insert(
            id.to_owned(),
            json!({
                "tier": v.tier.name,
                "tierValue": v.tier.value,
                "nextTier": v.tier.next.as_ref().map(|n| n.name.clone()),
                "missing": v.tier.next.as_ref().map(|n| n.missing),
                "fraction": v.tier.next.as_ref().map(|n| n.fraction),
                "points": v.points,
                "risk": v.health.risk,
                "light": v.light.light.as_str(),
                "reasons": v.light.reasons,
                "stage": v.lifecycle.stage.as_str(),
                "segment": rfm.segment,
                "rfm": [rfm.r, rfm.f, rfm.m],
            }),
        );
    }
    let ledger = points_ledger(&log, &"ana".into(), as_of, &cfg).unwrap();
    let tier_ben = tier_status(&log, &"ben".into(), as_of, &cfg).unwrap();
    let small = json!({
        "asOf": as_of.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        "events": events.iter().map(event_json).collect::<Vec<_>>(),
        "rfmThresholds": { "recency": thresholds.recency, "frequency": thresholds.frequency, "monetary": thresholds.monetary },
        "shoppers": shoppers,
        "anaLedger": { "balance": ledger.balance(), "earned": ledger.earned(), "redeemed": ledger.redeemed() },
        "benTier": { "name": tier_ben.name, "value": tier_ben.value },
    });

    // Part 2: the sample shop (seed 7, 400 customers).
    let options = SampleOptions {
        seed: 7,
        customers: 400,
        ..SampleOptions::default()
    };
    let log = generate_log(&options).unwrap();
    let summaries = Summaries::from_log(&log);
    let days = OrderDays::from_log(&log);
    let scores = rfm(&summaries, Some(&days), &RfmOptions::new(options.as_of)).unwrap();
    let sizes: Vec<Value> = scores
        .segment_sizes(&RfmOptions::new(0).segments)
        .into_iter()
        .map(|(name, n)| json!({ "name": name, "customers": n }))
        .collect();
    let lights = health_traffic_lights(
        &log,
        options.as_of,
        &HealthOptions::default(),
        LightThresholds::default(),
    )
    .unwrap();
    let m = acquisition_cohorts(
        &log,
        retention_core::time::from_micros(options.as_of),
        &CohortOptions::default(),
    )
    .unwrap();
    let count = |c: &str| lights.iter().filter(|(_, l)| l.light.as_str() == c).count();
    let first = 25;
    json!({
        "small": small,
        "sample": {
            "seed": options.seed,
            "customers": options.customers,
            "asOf": ms(options.as_of),
            "events": log.len(),
            "netRevenue": summaries.summaries().iter().take(first).map(|s| s.net_revenue()).collect::<Vec<_>>(),
            "orders": summaries.summaries().iter().take(first).map(|s| s.orders()).collect::<Vec<_>>(),
            "segment": scores.segment.iter().take(first).collect::<Vec<_>>(),
            "r": scores.r.iter().take(first).map(|x| x.unwrap_or(0)).collect::<Vec<_>>(),
            "f": scores.f.iter().take(first).map(|x| x.unwrap_or(0)).collect::<Vec<_>>(),
            "m": scores.m.iter().take(first).map(|x| x.unwrap_or(0)).collect::<Vec<_>>(),
            "thresholds": { "recency": scores.thresholds.recency, "frequency": scores.thresholds.frequency, "monetary": scores.thresholds.monetary },
            "segmentSizes": sizes,
            "risk": lights.iter().take(first).map(|(h, _)| h.risk).collect::<Vec<_>>(),
            "light": lights.iter().take(first).map(|(_, l)| l.light.as_str()).collect::<Vec<_>>(),
            "cohorts": { "labels": m.labels(), "sizes": m.sizes(), "retention": m.retention() },
            "lightCounts": { "green": count("green"), "amber": count("amber"), "red": count("red") },
        },
    })
}

#[test]
fn vectors_are_pinned() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/vectors.json");
    let fresh = serde_json::to_string_pretty(&vectors()).unwrap() + "\n";
    if std::env::var_os("UPDATE_VECTORS").is_some() {
        std::fs::write(path, &fresh).unwrap();
    }
    let pinned = std::fs::read_to_string(path).unwrap_or_default();
    assert!(
        pinned == fresh,
        "tests/vectors.json is stale: rerun with UPDATE_VECTORS=1 and review the diff"
    );
}
