//! Property tests for `metrics`: rates stay in [0, 1] or are `None`, counts
//! satisfy their identities, scores stay on their scales, nothing panics.

use chrono::{TimeZone, Utc};
use proptest::prelude::*;
use retention_core::events::{Event, EventKind, EventLog, LogOptions, SubscriptionChange};
use retention_core::metrics::*;
use retention_core::summary::Summaries;
use retention_core::time::{Calendar, Period, MICROS_PER_DAY};

/// 2024-01-01T00:00:00Z in µs.
const T0: i64 = 1_704_067_200_000_000;

fn kind() -> impl Strategy<Value = EventKind> {
    prop_oneof![
        5 => (0.0..300.0f64).prop_map(|amount| EventKind::Order { amount, items: None }),
        1 => (0.0..50.0f64).prop_map(|amount| EventKind::Refund { amount }),
        1 => Just(EventKind::Session),
        1 => Just(EventKind::EmailOpen),
        1 => Just(EventKind::EmailClick),
        1 => (0i64..5).prop_map(|r| EventKind::Referral { referred: (100 + r).into() }),
        2 => (0usize..5, 1.0..80.0f64).prop_map(|(c, m)| {
            let change = SubscriptionChange::ALL[c];
            let mrr_delta = match change {
                SubscriptionChange::Contraction | SubscriptionChange::Churn => -m,
                _ => m,
            };
            EventKind::Subscription { change, mrr_delta }
        }),
    ]
}

fn events() -> impl Strategy<Value = Vec<Event>> {
    // Up to 8 customers over one year, to the second.
    prop::collection::vec((0i64..8, 0i64..366 * 86_400, kind()), 0..80).prop_map(|rows| {
        rows.into_iter()
            .map(|(c, s, k)| {
                let t = Utc.timestamp_micros(T0 + s * 1_000_000).unwrap();
                Event::new(c, t, k)
            })
            .collect()
    })
}

fn unit(r: Option<f64>) -> bool {
    r.is_none_or(|x| x.is_finite() && (0.0..=1.0).contains(&x))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn activity_rates_are_fractions(
        events in events(),
        start_day in 0i64..360,
        len_days in 1i64..120,
        window_days in 1u32..120,
        subscriptions in any::<bool>(),
    ) {
        let log = EventLog::from_events(&events, LogOptions::default()).unwrap();
        let w = Window::from_micros(
            T0 + start_day * MICROS_PER_DAY,
            T0 + (start_day + len_days) * MICROS_PER_DAY,
        ).unwrap();
        let opts = ActivityOptions {
            window_days,
            basis: if subscriptions { ActivityBasis::Subscriptions } else { ActivityBasis::Orders },
        };
        let a = period_activity(&log, w, &opts).unwrap();
        prop_assert_eq!(a.end_count, a.retained + a.new);
        prop_assert_eq!(a.start_count, a.retained + a.lost);
        prop_assert_eq!(a.lost_including_new + a.end_count, a.start_count + a.joined);
        prop_assert!(a.new <= a.joined);
        prop_assert!(unit(a.retention_rate()));
        prop_assert!(unit(a.churn_rate(ChurnVariant::StartingCustomers)));
        prop_assert!(unit(a.churn_rate(ChurnVariant::IncludingNew)));
        // CRR + churn = 1 whenever defined.
        if let (Some(r), Some(c)) = (a.retention_rate(), a.churn_rate(ChurnVariant::StartingCustomers)) {
            prop_assert!((r + c - 1.0).abs() < 1e-12);
        }
        // The count formula agrees with the struct.
        prop_assert_eq!(
            customer_retention_rate(a.start_count, a.end_count, a.new).unwrap(),
            a.retention_rate()
        );
        prop_assert_eq!(
            active_customer_count(&log, w.start_datetime(), &opts).unwrap(),
            a.start_count
        );
        prop_assert_eq!(
            active_customer_count(&log, w.end_datetime(), &opts).unwrap(),
            a.end_count
        );
    }

    #[test]
    fn window_rates_are_fractions(events in events(), start_day in 0i64..360, len_days in 1i64..200) {
        let log = EventLog::from_events(&events, LogOptions::default()).unwrap();
        let w = Window::from_micros(
            T0 + start_day * MICROS_PER_DAY,
            T0 + (start_day + len_days) * MICROS_PER_DAY,
        ).unwrap();
        let s = order_stats(&log, w);
        prop_assert!(unit(s.repeat_purchase_rate()));
        prop_assert!(s.purchase_frequency().is_none_or(|f| f >= 1.0));
        prop_assert!(s.average_order_value().is_none_or(|v| v.is_finite() && v >= 0.0));
        prop_assert!(unit(referral_stats(&log, w).rate()));
        let cal = Calendar::utc(Period::Month);
        for p in period_over_period_retention_series(&log, &cal, 24_288, 24_300).unwrap() {
            prop_assert!(p.retained <= p.customers);
            prop_assert!(unit(p.rate()));
        }
        let b = mrr_bridge(&log, w);
        b.validate().unwrap();
        let identity = b.starting + b.new + b.expansion + b.reactivation - b.contraction - b.churned;
        prop_assert!((identity - b.ending).abs() < 1e-6);
        for r in [b.gross_mrr_churn(), b.net_mrr_churn(), b.net_revenue_retention(),
                  b.gross_revenue_retention(), b.quick_ratio()] {
            prop_assert!(r.is_none_or(f64::is_finite));
        }
        let sums = Summaries::from_log(&log);
        prop_assert!(average_lifespan_days(&sums).is_none_or(|d| (0.0..=366.0).contains(&d)));
        let total: f64 = historic_clv(&sums).iter().map(|h| h.net_revenue).sum();
        let top = top_customers_by_historic_clv(&sums, 3);
        prop_assert!(top.windows(2).all(|p| p[0].net_revenue >= p[1].net_revenue));
        prop_assert!(total.is_finite());
    }

    #[test]
    fn engagement_is_consistent(events in events(), as_of_day in 366i64..400) {
        let log = EventLog::from_events(&events, LogOptions::default()).unwrap();
        let as_of = Utc.timestamp_micros(T0 + as_of_day * MICROS_PER_DAY).unwrap();
        for e in engagement(&log, as_of).unwrap() {
            prop_assert!(e.active_days_30 <= 31);
            prop_assert!(e.days_since_last_activity.is_some_and(|d| d >= 0.0));
            prop_assert!(e.click_through_rate().is_none_or(f64::is_finite));
        }
    }

    #[test]
    fn survey_scores_stay_on_scale(answers in prop::collection::vec(0u8..=10, 1..60)) {
        let a: Vec<f64> = answers.iter().map(|&x| f64::from(x)).collect();
        let n = nps(&a).unwrap();
        prop_assert!((-100.0..=100.0).contains(&n.score));
        prop_assert_eq!(n.promoters + n.passives + n.detractors, n.respondents);
        let cli = customer_loyalty_index(&a, &a[..1], &a).unwrap();
        prop_assert!((-100.0..=100.0).contains(&cli));
        let on_five: Vec<f64> = answers.iter().map(|&x| f64::from(x % 5 + 1)).collect();
        let c = csat(&on_five, CsatOptions::default()).unwrap();
        prop_assert!((0.0..=100.0).contains(&c.score));
        prop_assert!((1.0..=5.0).contains(&c.mean));
        let e = ces(&on_five, 5).unwrap();
        prop_assert!(e.score > 0.0 && e.score <= 100.0);
    }

    #[test]
    fn arbitrary_numbers_never_panic(xs in prop::collection::vec(any::<f64>(), 0..8), a in any::<f64>(), b in any::<f64>(), c in any::<f64>()) {
        let _ = nps(&xs);
        let _ = csat(&xs, CsatOptions::default());
        let _ = ces(&xs, 7);
        let _ = customer_loyalty_index(&xs, &xs, &xs);
        for v in [simple_clv(a, b, c), clv_with_margin(a, b, c, a), retention_clv(a, b, c)]
            .into_iter()
            .flatten()
        {
            prop_assert!(v.is_finite());
        }
        if let Ok(Some(v)) = lifespan_from_churn(a) { prop_assert!(v.is_finite() && v >= 1.0); }
        let bridge = MrrBridge { starting: a, new: b, expansion: c, contraction: a, churned: b, reactivation: c, ending: a };
        for r in [bridge.gross_mrr_churn(), bridge.net_mrr_churn(), bridge.net_revenue_retention(),
                  bridge.gross_revenue_retention(), bridge.quick_ratio()] {
            prop_assert!(r.is_none_or(f64::is_finite));
        }
    }

    #[test]
    fn count_formulas(s in 0u64..1000, e in 0u64..1000, n in 0u64..1000) {
        match customer_retention_rate(s, e, n) {
            Ok(r) => prop_assert!(unit(r)),
            Err(_) => prop_assert!(n > e || e - n > s),
        }
        match churn_rate(n, s) {
            Ok(r) => prop_assert!(unit(r)),
            Err(_) => prop_assert!(n > s),
        }
    }
}
