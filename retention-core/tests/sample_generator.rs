//! The sample-data generator: determinism, validity, realism and a pinned
//! fingerprint that catches any accidental change of the model or the PRNG.

use std::collections::{BTreeMap, HashMap};

use retention_core::events::{CustomerId, Event, EventKind, EventLog, EventType, LogOptions};
use retention_core::sample::{generate, generate_columns, generate_orders, SampleOptions};
use retention_core::summary::Summaries;
use retention_core::time::{days, to_micros};
use retention_core::Error;

fn default_events() -> Vec<Event> {
    generate(&SampleOptions::default()).unwrap()
}

fn revenue_cents(events: &[Event]) -> i64 {
    events
        .iter()
        .map(|e| match e.kind {
            EventKind::Order { amount, .. } => (amount * 100.0).round() as i64,
            _ => 0,
        })
        .sum()
}

#[test]
fn same_seed_same_data_different_seed_different_data() {
    let small = SampleOptions {
        customers: 300,
        ..SampleOptions::default()
    };
    let a = generate(&small).unwrap();
    assert_eq!(a, generate(&small).unwrap());
    let b = generate(&SampleOptions { seed: 43, ..small }).unwrap();
    assert_ne!(a, b);
    assert_ne!(revenue_cents(&a), revenue_cents(&b));
}

#[test]
fn pinned_fingerprint_seed_42() {
    let events = default_events();
    let mut per_kind: BTreeMap<&str, usize> = BTreeMap::new();
    for e in &events {
        *per_kind.entry(e.kind.event_type().as_str()).or_default() += 1;
    }
    // If this changes, the model or the PRNG changed: every seeded data set
    // users have generated is different now. Update deliberately, with a
    // changelog entry.
    assert_eq!((events.len(), revenue_cents(&events)), (57_986, 27_192_376));
    let expected: BTreeMap<&str, usize> = [
        ("email_click", 3_985),
        ("email_open", 19_379),
        ("order", 4_452),
        ("points_earned", 3_895),
        ("points_redeemed", 213),
        ("referral", 140),
        ("refund", 237),
        ("session", 20_822),
        ("signup", 2_000),
        ("subscription", 458),
        ("support_ticket", 342),
        ("survey", 2_063),
    ]
    .into_iter()
    .collect();
    assert_eq!(per_kind, expected);
}

#[test]
fn every_kind_present_and_log_validates() {
    let events = default_events();
    let log = EventLog::from_events(&events, LogOptions::default()).unwrap();
    assert_eq!(log.len(), events.len());
    assert_eq!(log.customers().len(), 2_000);
    for t in EventType::ALL {
        assert!(log.event_types().contains(t), "no {} event", t.as_str());
    }
    let as_of = SampleOptions::default().as_of;
    log.check_as_of(as_of - 1).unwrap();
    // Sorted by time, then customer.
    let key = |e: &Event| (e.timestamp, e.customer.clone());
    assert!(events.windows(2).all(|w| key(&w[0]) <= key(&w[1])));
    // Whole seconds.
    assert!(events
        .iter()
        .all(|e| to_micros(e.timestamp) % 1_000_000 == 0));
}

#[test]
fn realistic_shop() {
    let options = SampleOptions::default();
    let events = default_events();
    let log = EventLog::from_events(&events, LogOptions::default()).unwrap();
    let summaries = Summaries::from_log(&log);
    let buyers = summaries
        .summaries()
        .iter()
        .filter(|s| s.orders() >= 1)
        .count();
    let repeat = summaries
        .summaries()
        .iter()
        .filter(|s| s.orders() >= 2)
        .count();
    let repeat_share = repeat as f64 / buyers as f64;
    let lapsed = summaries
        .summaries()
        .iter()
        .filter(|s| {
            s.last_order()
                .is_some_and(|t| t < options.as_of - days(180))
        })
        .count();
    let orders: u32 = summaries.summaries().iter().map(|s| s.orders()).sum();
    println!(
        "buyers {buyers}, repeat share {repeat_share:.3}, lapsed {lapsed}, orders {orders}, aov {:.2}",
        revenue_cents(&events) as f64 / 100.0 / f64::from(orders)
    );
    assert!((1_500..=1_900).contains(&buyers), "{buyers}");
    assert!((0.2..=0.8).contains(&repeat_share), "{repeat_share}");
    assert!(lapsed as f64 > 0.1 * buyers as f64, "{lapsed}");

    // Growing acquisition: more signups in the second year than in the first.
    let mid = options.start + (options.as_of - options.start) / 2;
    let (mut early, mut late) = (0, 0);
    for e in &events {
        if e.kind == EventKind::Signup {
            if to_micros(e.timestamp) < mid {
                early += 1;
            } else {
                late += 1;
            }
        }
    }
    assert!(late > early * 3 / 2, "{early} vs {late}");

    // Loyalty: no customer ever redeems more than it has earned so far;
    // subscriptions: MRR never negative; referrals name generated customers.
    let mut points: HashMap<&CustomerId, f64> = HashMap::new();
    let mut mrr: HashMap<&CustomerId, f64> = HashMap::new();
    let ids: std::collections::HashSet<&CustomerId> = log.customers().iter().collect();
    for e in &events {
        match &e.kind {
            EventKind::PointsEarned { points: p } => *points.entry(&e.customer).or_default() += p,
            EventKind::PointsRedeemed { points: p } => {
                let balance = points.entry(&e.customer).or_default();
                *balance -= p;
                assert!(*balance >= 0.0, "{e:?}");
            }
            EventKind::Subscription { mrr_delta, .. } => {
                let m = mrr.entry(&e.customer).or_default();
                *m += mrr_delta;
                assert!(*m >= -1e-9, "{e:?}");
            }
            EventKind::Referral { referred } => {
                assert!(ids.contains(referred));
                assert_ne!(referred, &e.customer);
            }
            _ => {}
        }
    }
}

#[test]
fn columns_and_orders_agree_with_rows() {
    let options = SampleOptions {
        customers: 400,
        seed: 9,
        ..SampleOptions::default()
    };
    let events = generate(&options).unwrap();
    let cols = generate_columns(&options).unwrap();
    assert_eq!(cols.len(), events.len());
    let from_rows = EventLog::from_events(&events, LogOptions::default()).unwrap();
    let from_cols = cols.to_log(LogOptions::default()).unwrap();
    assert_eq!(from_rows.to_events(), from_cols.to_events());

    let orders = generate_orders(&options).unwrap();
    let expected: Vec<(i64, i64, f64)> = events
        .iter()
        .filter_map(|e| match (&e.customer, &e.kind) {
            (CustomerId::Int(c), EventKind::Order { amount, .. }) => {
                Some((*c, to_micros(e.timestamp), *amount))
            }
            _ => None,
        })
        .collect();
    let got: Vec<(i64, i64, f64)> = (0..orders.len())
        .map(|i| (orders.customer[i], orders.timestamp[i], orders.amount[i]))
        .collect();
    assert_eq!(got, expected);
    orders.to_log(LogOptions::default()).unwrap();
}

#[test]
fn invalid_options_are_typed_errors() {
    let d = SampleOptions::default();
    let bad = [
        SampleOptions { customers: 0, ..d },
        SampleOptions { months: 0, ..d },
        SampleOptions {
            as_of: d.start,
            ..d
        },
        SampleOptions {
            as_of: d.start - days(3),
            ..d
        },
        SampleOptions {
            as_of: i64::MAX,
            start: i64::MIN,
            ..d
        },
        SampleOptions {
            loyalty_share: 1.5,
            ..d
        },
        SampleOptions {
            refund_share: f64::NAN,
            ..d
        },
        SampleOptions {
            acquisition_growth: -1.0,
            ..d
        },
        SampleOptions {
            purchase: retention_core::sample::BgNbdParams {
                r: 0.0,
                ..d.purchase
            },
            ..d
        },
        SampleOptions {
            spend: retention_core::sample::GammaGammaParams {
                gamma: f64::INFINITY,
                ..d.spend
            },
            ..d
        },
    ];
    for options in bad {
        match generate(&options) {
            Err(Error::InvalidParameter { .. }) => {}
            other => panic!("{options:?}: {other:?}"),
        }
        assert!(generate_orders(&options).is_err());
    }
}

#[test]
fn extreme_but_valid_options_do_not_panic() {
    let d = SampleOptions::default();
    let cases = [
        SampleOptions {
            customers: 3,
            as_of: d.start + days(1),
            ..d
        },
        SampleOptions {
            customers: 5,
            purchase: retention_core::sample::BgNbdParams {
                r: 1e6,
                alpha: 1e-3,
                a: 1e-3,
                b: 1e6,
            },
            spend: retention_core::sample::GammaGammaParams {
                p: 1e-3,
                q: 1e-3,
                gamma: 1e6,
            },
            ..d
        },
        SampleOptions {
            customers: 5,
            purchase: retention_core::sample::BgNbdParams {
                r: 1e-3,
                alpha: 1e6,
                a: 1e6,
                b: 1e-3,
            },
            spend: retention_core::sample::GammaGammaParams {
                p: 1e6,
                q: 1e6,
                gamma: 1e-3,
            },
            acquisition_growth: 1e6,
            ..d
        },
        SampleOptions {
            customers: 20,
            first_order_share: 0.0,
            subscription_share: 1.0,
            loyalty_share: 1.0,
            referral_share: 1.0,
            refund_share: 1.0,
            ..d
        },
    ];
    for options in cases {
        let events = generate(&options).unwrap();
        EventLog::from_events(&events, LogOptions::default()).unwrap();
        generate_orders(&options).unwrap();
    }
}
