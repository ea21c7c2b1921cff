//! Everything computed from an event log, on arbitrary logs (a few
//! customers and weeks, every event kind, hostile amounts) and arbitrary
//! instants and options: cohorts, RFM and the other segments, lifecycle,
//! loyalty ledgers and tiers, health scores and traffic lights, churn
//! features and labels, the shopper view, descriptive metrics and the MRR
//! bridge, churn survival, experiments on the log, and model input of a log.
//! Each answers `Ok` with finite numbers in their range or a typed error, in
//! bounded time.

#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use retention_core::churn::health::{health_scores, health_traffic_lights, HealthOptions};
use retention_core::churn::supervised::{churn_features, churn_labels, time_split};
use retention_core::churn::traffic_light::LightThresholds;
use retention_core::cohorts::{acquisition_cohorts, labelled_cohorts_from_slices, CohortOptions};
use retention_core::events::{CustomerId, EventLog};
use retention_core::experiments::{retention_counts, survival_comparison, RetentionWindow};
use retention_core::loyalty::{points_ledgers, tier_history, tier_status, LoyaltyConfig, Tier};
use retention_core::metrics::{
    active_customer_count, average_lifespan_days, engagement, historic_clv, mrr_bridge,
    order_stats, period_activity_series, period_over_period_retention_series, referral_stats,
    top_customers_by_historic_clv, ActivityOptions, Window,
};
use retention_core::model_input::{model_input_of_log, ModelInputOptions};
use retention_core::segments::lifecycle::{lifecycle, LifecycleOptions};
use retention_core::segments::rfm::{rfm, rfm_values, RfmOptions};
use retention_core::segments::tiers::{default_value_tiers, historic_value_tiers};
use retention_core::shopper::{shopper_view, ShopperOptions};
use retention_core::summary::{OrderDays, Summaries};
use retention_core::survival::{churn_survival, ChurnBasis, ChurnSurvivalOptions};
use retention_core::time::{Calendar, Period};
use retention_fuzz::{
    assert_non_negative, assert_probability, event_log, nums, ok_finite, ok_finite_debug, pick,
    Count, Id, Instant, Num, Row,
};

#[derive(Arbitrary, Debug)]
struct Input {
    op: u8,
    rows: Vec<Row>,
    as_of: Instant,
    other: Instant,
    days: Count,
    small: u8,
    x: Num,
    y: Num,
    customer: Id,
    offset: i32,
    numbers: Vec<Num>,
    first: i64,
    last: i64,
}

fn calendar(input: &Input) -> Calendar {
    let period = match input.small % 5 {
        0 => Period::Day,
        1 => Period::Week {
            starts_on: chrono::Weekday::Mon,
        },
        2 => Period::Month,
        3 => Period::Quarter,
        _ => Period::Year,
    };
    Calendar::with_offset(period, input.offset % 100_000).unwrap_or(Calendar {
        period,
        ..Calendar::default()
    })
}

fn loyalty(input: &Input) -> LoyaltyConfig {
    let n = nums(&input.numbers);
    let at = |i: usize, d: f64| n.get(i).copied().unwrap_or(d);
    LoyaltyConfig {
        points_per_unit: at(0, 1.0),
        welcome_points: at(1, 0.0),
        referral_bonus: at(2, 0.0),
        expiry_days: (input.small % 2 == 0).then(|| input.days.get_u32()),
        tiers: vec![
            Tier::new("base", 0.0, 1.0),
            Tier::new("gold", at(3, 100.0), at(4, 1.5)),
        ],
        ..LoyaltyConfig::default()
    }
}

fn segments(input: &Input, log: &EventLog, s: &Summaries, days: &OrderDays) {
    let as_of = input.as_of.micros();
    match input.op % 4 {
        0 => {
            let options = RfmOptions {
                bins: input.small,
                ..RfmOptions::new(as_of)
            };
            if let Ok(scores) = rfm(s, Some(days), &options) {
                if retention_fuzz::open_findings() {
                    retention_fuzz::check_finite_debug("rfm", &scores);
                } else {
                    // Open finding (README): the thresholds of a log where
                    // no customer has an order are ±∞.
                    let values = (&scores.recency_days, &scores.frequency, &scores.monetary);
                    retention_fuzz::check_finite_debug("rfm", &values);
                }
            }
            let _ = ok_finite_debug("rfm_values", rfm_values(s, Some(days), &options));
        }
        1 => {
            let options = LifecycleOptions {
                new_window_days: input.days.get_u32(),
                at_risk_gap_multiple: input.x.get(),
                ..LifecycleOptions::default()
            };
            let _ = ok_finite("lifecycle", lifecycle(s, days, as_of, &options));
        }
        2 => {
            let _ = ok_finite(
                "value_tiers",
                historic_value_tiers(s, &default_value_tiers()),
            );
            let _ = ok_finite("historic_clv", Ok(historic_clv(s)));
            let n = usize::from(input.small);
            let _ = ok_finite("top_clv", Ok(top_customers_by_historic_clv(s, n)));
            let _ = ok_finite("average_lifespan_days", Ok(average_lifespan_days(s)));
        }
        _ => {
            let options = ShopperOptions::default();
            let id = input.customer.id();
            let _ = ok_finite("shopper_view", shopper_view(log, &id, as_of, &options));
        }
    }
}

fn churn(input: &Input, log: &EventLog) {
    let as_of = input.as_of.micros();
    let other = input.other.micros();
    match input.op % 4 {
        0 => {
            let options = HealthOptions {
                window_days: input.days.get_u32(),
                default_gap_days: input.x.get(),
                ..HealthOptions::default()
            };
            if let Some(scores) = ok_finite("health", health_scores(log, as_of, &options)) {
                for s in &scores {
                    assert_probability("health.risk", s.risk);
                }
            }
            let lights = LightThresholds {
                amber: input.x.get(),
                red: input.y.get(),
            };
            let _ = ok_finite(
                "health_traffic_lights",
                health_traffic_lights(log, as_of, &HealthOptions::default(), lights),
            );
        }
        1 => {
            let _ = ok_finite_debug("churn_features", Ok(churn_features(log, as_of)));
            let ids = log.customers().to_vec();
            let horizon = input.days.get_u32();
            let _ = ok_finite(
                "churn_labels",
                churn_labels(log, &ids, as_of, horizon, other),
            );
        }
        2 => {
            let horizon = input.days.get_u32();
            let end = as_of.saturating_add(other.rem_euclid(1 << 40));
            let r = time_split(log, as_of, other, horizon, end);
            let _ = ok_finite_debug("time_split", r);
        }
        _ => {
            let options = ChurnSurvivalOptions {
                inactive_days: (input.small % 2 == 0).then(|| input.days.get_u32()),
                alpha: input.x.get(),
                ..ChurnSurvivalOptions::default()
            };
            let _ = ok_finite("churn_survival", churn_survival(log, as_of, &options));
        }
    }
}

fn metrics(input: &Input, log: &EventLog) {
    let as_of = input.as_of.datetime();
    let cal = calendar(input);
    let activity = ActivityOptions {
        window_days: input.days.get_u32(),
        ..ActivityOptions::default()
    };
    match input.op % 4 {
        0 => {
            let _ = ok_finite("active", active_customer_count(log, as_of, &activity));
            let _ = ok_finite("engagement", engagement(log, as_of));
            if let Ok(w) = Window::from_micros(input.as_of.micros(), input.other.micros()) {
                let _ = ok_finite("order_stats", Ok(order_stats(log, w)));
                let _ = ok_finite("referral_stats", Ok(referral_stats(log, w)));
                let _ = ok_finite("mrr_bridge", Ok(mrr_bridge(log, w)));
            }
        }
        1 => {
            let r = period_activity_series(log, &cal, input.first, input.last, &activity);
            let _ = ok_finite("period_activity_series", r);
        }
        2 => {
            let r = period_over_period_retention_series(log, &cal, input.first, input.last);
            if let Some(v) = ok_finite("period_over_period_retention_series", r) {
                for p in v.iter().filter_map(|p| p.rate()) {
                    assert_probability("period_over_period_retention", p);
                }
            }
        }
        _ => {
            let options = ModelInputOptions {
                multiplier: input.x.get(),
                observation_end: input.as_of.micros(),
                ..ModelInputOptions::default()
            };
            let _ = ok_finite_debug("model_input_of_log", model_input_of_log(log, &options));
        }
    }
}

fn cohorts(input: &Input, log: &EventLog) {
    let as_of = input.as_of.datetime();
    let options = CohortOptions {
        calendar: calendar(input),
        max_age: (input.small % 2 == 0).then(|| input.days.get_u32()),
        ..CohortOptions::default()
    };
    match input.op % 4 {
        0 | 1 => {
            if let Some(m) = ok_finite("cohorts", acquisition_cohorts(log, as_of, &options)) {
                for row in m.retention() {
                    for p in row.iter().flatten() {
                        assert_probability("cohorts.retention", *p);
                    }
                }
            }
        }
        2 => {
            let customers: Vec<CustomerId> = log.customers().to_vec();
            let labels: Vec<&str> = (0..customers.len())
                .map(|i| if i % 2 == 0 { "a" } else { "b" })
                .collect();
            let r = labelled_cohorts_from_slices(log, &customers, &labels, as_of, &options);
            let _ = ok_finite("labelled_cohorts", r);
            let window = RetentionWindow {
                start: input.other.datetime(),
                days: input.days.get_u32(),
            };
            let r = retention_counts(log, &customers, &labels, "a", "b", window, as_of);
            let _ = ok_finite("retention_counts", r);
            let basis = ChurnBasis::Orders {
                inactive_days: input.days.get_u32(),
            };
            let r = survival_comparison(log, &customers, &labels, "a", "b", as_of, basis);
            if let Some(t) = ok_finite("survival_comparison", r) {
                assert_probability("survival_comparison.p_value", t.p_value);
            }
        }
        _ => {
            let config = loyalty(input);
            let _ = ok_finite("points_ledgers", points_ledgers(log, as_of, &config));
            let id = input.customer.id();
            let _ = ok_finite("tier_status", tier_status(log, &id, as_of, &config));
            let _ = ok_finite("tier_history", tier_history(log, &id, as_of, &config));
            if let Ok(ledgers) = points_ledgers(log, as_of, &config) {
                for l in &ledgers {
                    assert_non_negative("ledger.balance", l.balance());
                }
            }
        }
    }
}

fuzz_target!(|input: Input| {
    let Some(log) = event_log(&input.rows) else {
        return;
    };
    let summaries = Summaries::from_log(&log);
    let days = OrderDays::from_log(&log);
    match (input.op / 4) % 4 {
        0 => segments(&input, &log, &summaries, &days),
        1 => churn(&input, &log),
        2 => metrics(&input, &log),
        _ => cohorts(&input, &log),
    }
    let _ = pick(&[0], 0);
});
