//! The golden vectors: numbers computed here by `retention-core` directly
//! and pinned in `tests/golden/vectors.json`, which the npm package's node
//! tests (`bindings-wasm/tests/*.test.mjs`) and the Python package's tests
//! (`bindings-python/tests/test_golden.py`) compare with what their door
//! returns for the same data.
//!
//! Regenerate after an intended change with
//! `UPDATE_VECTORS=1 cargo test -p retention-core --test golden` and review
//! the diff.

use chrono::{DateTime, TimeZone, Utc};
use retention_core::churn::health::{health_traffic_lights, HealthOptions};
use retention_core::churn::traffic_light::LightThresholds;
use retention_core::cohorts::{acquisition_cohorts, CohortOptions};
use retention_core::events::{Event, EventKind, EventLog, LogOptions, Severity, SurveyKind};
use retention_core::loyalty::{
    points_ledger, tier_status, LoyaltyConfig, PointsLedger, TierStatus,
};
use retention_core::metrics::{
    csat, mrr_bridge, nps, order_stats, period_activity, period_activity_series, survey_answers,
    ActivityOptions, ChurnVariant, CsatOptions, MrrBridge, PeriodActivity, Window,
};
use retention_core::model_input::{model_input, ModelInputOptions, OrdersAfterEnd, TimeUnit};
use retention_core::models::clv::{predictive_clv, ClvOptions, ClvTimeUnit};
use retention_core::models::gamma_gamma::{self, GammaGammaParams, MonetarySummary};
use retention_core::models::{
    bgnbd, mbgnbd, pareto_nbd, FitOptions, TransactionModel, TransactionSummary,
};
use retention_core::sample::{generate_log, SampleOptions};
use retention_core::segments::lifecycle::LifecycleStatus;
use retention_core::segments::rfm::{rfm, Binning, RfmOptions, RfmThresholds};
use retention_core::shopper::{shopper_view, ShopperOptions};
use retention_core::summary::{OrderDays, Summaries};
use retention_core::time::{from_micros, to_micros, Calendar, Micros, Period};
use serde_json::{json, Value};

fn day(m: u32, d: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2024, m, d, 10, 0, 0).unwrap()
}

fn ms(t: Micros) -> f64 {
    t as f64 / 1000.0
}

/// An instant as the core's serde writes it: RFC 3339 UTC text, fractional
/// seconds only when they are not zero.
fn iso(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true)
}

// Whole results as the npm package shows them (the core's serde shape with
// camelCase keys, instants as text), written out field by field here so
// that a change of the serde shape shows up in the diff.

fn tier_json(t: &TierStatus) -> Value {
    json!({
        "index": t.index, "name": t.name, "multiplier": t.multiplier, "value": t.value,
        "next": t.next.as_ref().map(|n| json!({
            "index": n.index, "name": n.name, "threshold": n.threshold,
            "missing": n.missing, "fraction": n.fraction,
        })),
        "downgradeAt": t.downgrade_at.map(iso),
    })
}

fn ledger_json(l: &PointsLedger) -> Value {
    json!({
        "customer": l.customer().to_string(),
        "asOf": iso(l.as_of()),
        "balance": l.balance(), "earned": l.earned(), "redeemed": l.redeemed(), "expired": l.expired(),
        "nextExpiry": l.next_expiry().map(|(t, p)| json!([iso(t), p])),
        "entries": l.entries().iter().map(|e| json!({
            "time": iso(e.time), "kind": e.kind.as_str(), "points": e.points,
            "balance": e.balance, "row": e.row, "tier": e.tier,
        })).collect::<Vec<_>>(),
    })
}

fn lifecycle_json(s: &LifecycleStatus) -> Value {
    json!({
        "stage": s.stage.as_str(), "daysSinceLastOrder": s.days_since_last_order,
        "typicalGapDays": s.typical_gap_days, "inactiveWarning": s.inactive_warning,
        "label": s.stage.label(),
    })
}

fn activity_json(a: &PeriodActivity) -> Value {
    json!({
        "start": iso(from_micros(a.start)), "end": iso(from_micros(a.end)),
        "startCount": a.start_count, "endCount": a.end_count, "retained": a.retained,
        "joined": a.joined, "new": a.new, "lost": a.lost, "lostIncludingNew": a.lost_including_new,
        "retentionRate": a.retention_rate(),
        "churnRate": a.churn_rate(ChurnVariant::StartingCustomers),
        "churnRateIncludingNew": a.churn_rate(ChurnVariant::IncludingNew),
    })
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
    let mut lifecycles = serde_json::Map::new();
    for id in ["ana", "ben", "cy", "dee"] {
        let v = shopper_view(&log, &id.into(), t, &shopper_options).unwrap();
        lifecycles.insert(id.to_owned(), lifecycle_json(&v.lifecycle));
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
                "stage": v.lifecycle.stage.label(),
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
        "results": {
            "anaLedger": ledger_json(&ledger),
            "benLedger": ledger_json(&points_ledger(&log, &"ben".into(), as_of, &cfg).unwrap()),
            "benTier": tier_json(&tier_ben),
            "anaTier": tier_json(&tier_status(&log, &"ana".into(), as_of, &cfg).unwrap()),
            "lifecycle": lifecycles,
        },
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
        .map(|s| json!({ "name": s.name, "customers": s.customers }))
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
        "models": models(),
        "metrics": metrics(&log, options.as_of),
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

const CDNOW: &str = include_str!("fixtures/cdnow_customers_summary.csv");

/// The CDNOW summary columns (weeks).
fn cdnow() -> (Vec<f64>, Vec<f64>, Vec<f64>) {
    let (mut x, mut tx, mut age) = (Vec::new(), Vec::new(), Vec::new());
    for line in CDNOW.lines().skip(1) {
        let f: Vec<f64> = line.split(',').map(|v| v.parse().unwrap()).collect();
        x.push(f[1]);
        tx.push(f[2]);
        age.push(f[3]);
    }
    (x, tx, age)
}

/// Model predictions at the published CDNOW estimates, and fits.
fn models() -> Value {
    let (x, tx, age) = (2.0, 30.43, 38.86);
    let bg = bgnbd::BgNbdParams::new(0.2426, 4.4136, 0.7929, 2.4259).unwrap();
    let pareto = pareto_nbd::ParetoNbdParams::new(0.5532, 10.578, 0.6062, 11.669).unwrap();
    let mbg = mbgnbd::MbgNbdParams::new(0.525, 6.183, 0.891, 1.614).unwrap();
    let gg = GammaGammaParams::new(6.25, 3.74, 15.44).unwrap();
    let horizons = [1.0, 3.0, 32.0, 78.0];
    let predictions = |m: &dyn TransactionModel| {
        json!({
            "probabilityAlive": m.probability_alive(x, tx, age).unwrap(),
            "conditional39": m.conditional_expected_purchases(39.0, x, tx, age).unwrap(),
            "expected": horizons.iter().map(|&t| m.expected_purchases(t).unwrap()).collect::<Vec<_>>(),
        })
    };
    let (fx, ftx, fage) = cdnow();
    let data = TransactionSummary::new(&fx, &ftx, &fage);
    let bg_fit = bgnbd::fit(&data, &FitOptions::default()).unwrap();
    let pareto_fit = pareto_nbd::fit(&data, &FitOptions::default()).unwrap();
    let rows = 10;
    let head = TransactionSummary::new(&fx[..rows], &ftx[..rows], &fage[..rows]);
    let mv: Vec<f64> = (0..rows)
        .map(|i| {
            if fx[i] > 0.0 {
                10.0 + 5.5 * i as f64
            } else {
                0.0
            }
        })
        .collect();
    let clv_options = ClvOptions {
        horizon_months: 12,
        monthly_discount_rate: 0.01,
        time_unit: Some(ClvTimeUnit::Week),
        unit_days: None,
    };
    let (ox, otx, oage) = ([x], [tx], [age]);
    let one = TransactionSummary::new(&ox, &otx, &oage);
    json!({
        "customer": { "frequency": x, "recency": tx, "T": age },
        "horizons": horizons,
        "bgNbd": { "model": "bg_nbd", "r": bg.r, "alpha": bg.alpha, "a": bg.a, "b": bg.b },
        "paretoNbd": { "model": "pareto_nbd", "r": pareto.r, "alpha": pareto.alpha, "s": pareto.s, "beta": pareto.beta },
        "mbgNbd": { "model": "mbg_nbd", "r": mbg.r, "alpha": mbg.alpha, "a": mbg.a, "b": mbg.b },
        "gammaGamma": { "p": gg.p, "q": gg.q, "gamma": gg.gamma },
        "bgNbdPredictions": predictions(&bg),
        "paretoNbdPredictions": predictions(&pareto),
        "mbgNbdPredictions": predictions(&mbg),
        "spend25": gg.conditional_expected_average_spend(x, 25.0).unwrap(),
        "clv25": predictive_clv(&bg, &gg, &one, &[25.0], &clv_options).unwrap()[0],
        "head": {
            "monetaryValue": mv,
            "probabilityAlive": bg.probability_alive_batch(&head).unwrap(),
            "conditional39": bg.conditional_expected_purchases_batch(39.0, &head).unwrap(),
            "clv": predictive_clv(&bg, &gg, &head, &mv, &clv_options).unwrap(),
        },
        "bgNbdFit": {
            "r": bg_fit.params.r, "alpha": bg_fit.params.alpha, "a": bg_fit.params.a, "b": bg_fit.params.b,
            "logLikelihood": bg_fit.diagnostics.log_likelihood,
        },
        "paretoNbdFit": {
            "r": pareto_fit.params.r, "alpha": pareto_fit.params.alpha, "s": pareto_fit.params.s, "beta": pareto_fit.params.beta,
            "logLikelihood": pareto_fit.diagnostics.log_likelihood,
        },
    })
}

/// Descriptive and survey metrics of the sample shop, and model inputs.
fn metrics(log: &EventLog, as_of: Micros) -> Value {
    let day = 86_400_000_000;
    let month = Window::from_micros(as_of - 30 * day, as_of).unwrap();
    let year = Window::from_micros(as_of - 365 * day, as_of).unwrap();
    let a = period_activity(log, month, &ActivityOptions::default()).unwrap();
    let o = order_stats(log, year);
    let b = mrr_bridge(log, year);
    let answers = survey_answers(log, retention_core::events::SurveyKind::Nps, year);
    let n = nps(&answers).unwrap();
    let c = csat(
        &survey_answers(log, retention_core::events::SurveyKind::Csat, year),
        CsatOptions::default(),
    )
    .unwrap();
    let days = OrderDays::from_log(log);
    let mi = model_input(
        &days,
        &ModelInputOptions {
            unit: TimeUnit::Week,
            after_end: OrdersAfterEnd::Ignore,
            ..ModelInputOptions::new(as_of)
        },
    )
    .unwrap();
    let gg = gamma_gamma::fit(
        &MonetarySummary::new(&mi.frequency, &mi.monetary_value),
        &FitOptions::default(),
    )
    .unwrap();
    let given = MrrBridge {
        starting: 1000.0,
        new: 120.0,
        expansion: 80.0,
        contraction: 30.0,
        churned: 50.0,
        reactivation: 10.0,
        ending: 1130.0,
    };
    let ratios = |b: &MrrBridge| {
        json!({
            "grossMrrChurn": b.gross_mrr_churn(), "netMrrChurn": b.net_mrr_churn(),
            "netRevenueRetention": b.net_revenue_retention(), "grossRevenueRetention": b.gross_revenue_retention(),
            "quickRatio": b.quick_ratio(),
        })
    };
    let cal = Calendar::utc(Period::Month);
    let last = cal.index(as_of - 1);
    let series =
        period_activity_series(log, &cal, last - 2, last, &ActivityOptions::default()).unwrap();
    let first = 25;
    json!({
        "activityResult": activity_json(&a),
        "activitySeries": series.iter().map(activity_json).collect::<Vec<_>>(),
        "month": [ms(month.start()), ms(month.end())],
        "year": [ms(year.start()), ms(year.end())],
        "activity": {
            "startCount": a.start_count, "endCount": a.end_count, "retained": a.retained, "joined": a.joined,
            "new": a.new, "lost": a.lost, "lostIncludingNew": a.lost_including_new,
            "retentionRate": a.retention_rate(),
            "churnRate": a.churn_rate(ChurnVariant::StartingCustomers),
            "churnRateIncludingNew": a.churn_rate(ChurnVariant::IncludingNew),
        },
        "orderStats": {
            "customers": o.customers, "repeatCustomers": o.repeat_customers, "orders": o.orders, "revenue": o.revenue,
            "repeatPurchaseRate": o.repeat_purchase_rate(), "purchaseFrequency": o.purchase_frequency(),
            "averageOrderValue": o.average_order_value(),
        },
        "mrr": {
            "figures": { "starting": b.starting, "new": b.new, "expansion": b.expansion, "contraction": b.contraction,
                "churned": b.churned, "reactivation": b.reactivation, "ending": b.ending },
            "ratios": ratios(&b),
        },
        "givenMrr": {
            "figures": { "starting": given.starting, "new": given.new, "expansion": given.expansion, "contraction": given.contraction,
                "churned": given.churned, "reactivation": given.reactivation, "ending": given.ending },
            "ratios": ratios(&given),
        },
        "npsAnswers": answers.len(),
        "nps": { "promoters": n.promoters, "passives": n.passives, "detractors": n.detractors, "respondents": n.respondents, "score": n.score },
        "csat": { "respondents": c.respondents, "satisfied": c.satisfied, "threshold": c.threshold, "score": c.score, "mean": c.mean },
        "modelInput": {
            "customers": mi.len(),
            "frequency": mi.frequency.iter().take(first).collect::<Vec<_>>(),
            "recency": mi.recency.iter().take(first).collect::<Vec<_>>(),
            "T": mi.t.iter().take(first).collect::<Vec<_>>(),
            "monetaryValue": mi.monetary_value.iter().take(first).collect::<Vec<_>>(),
        },
        "gammaGammaFit": { "p": gg.params.p, "q": gg.params.q, "gamma": gg.params.gamma, "logLikelihood": gg.diagnostics.log_likelihood },
    })
}

#[test]
fn vectors_are_pinned() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/golden/vectors.json");
    let fresh = serde_json::to_string_pretty(&vectors()).unwrap() + "\n";
    if std::env::var_os("UPDATE_VECTORS").is_some() {
        std::fs::write(path, &fresh).unwrap();
    }
    let pinned = std::fs::read_to_string(path).unwrap_or_default();
    assert!(
        pinned == fresh,
        "tests/golden/vectors.json is stale: rerun with UPDATE_VECTORS=1 and review the diff"
    );
}
