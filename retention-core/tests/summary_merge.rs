//! Property tests: summaries of any split of a log, merged in any order,
//! equal the summary of the whole log; streaming updates agree too.

use chrono::{TimeZone, Utc};
use proptest::prelude::*;
use retention_core::events::{
    CustomerId, Event, EventKind, EventLog, LogOptions, Severity, SubscriptionChange, SurveyKind,
};
use retention_core::summary::{OrderDays, Summaries};

fn kind() -> impl Strategy<Value = EventKind> {
    prop_oneof![
        4 => (0.0..500.0f64, proptest::option::of(1u32..5)).prop_map(|(amount, items)| EventKind::Order { amount, items }),
        1 => (0.0..100.0f64).prop_map(|amount| EventKind::Refund { amount }),
        1 => Just(EventKind::Session),
        1 => Just(EventKind::Signup),
        1 => Just(EventKind::EmailOpen),
        1 => Just(EventKind::EmailClick),
        1 => (0usize..3, any::<bool>()).prop_map(|(s, resolved)| EventKind::SupportTicket { severity: Severity::ALL[s], resolved }),
        // Few distinct scores and times make (time, score) ties likely.
        1 => (0usize..6, 0u8..=10).prop_map(|(k, s)| EventKind::Survey { kind: SurveyKind::ALL[k], score: f64::from(s) }),
        1 => (0i64..5).prop_map(|r| EventKind::Referral { referred: CustomerId::Int(100 + r) }),
        1 => (1.0..50.0f64, any::<bool>()).prop_map(|(m, up)| if up {
            EventKind::Subscription { change: SubscriptionChange::Expansion, mrr_delta: m }
        } else {
            EventKind::Subscription { change: SubscriptionChange::Contraction, mrr_delta: -m }
        }),
        1 => (0.0..1000.0f64).prop_map(|points| EventKind::PointsEarned { points }),
    ]
}

fn event() -> impl Strategy<Value = Event> {
    (
        prop_oneof![
            (0i64..6).prop_map(CustomerId::Int),
            "[a-c]".prop_map(CustomerId::Str)
        ],
        0i64..20,
        kind(),
    )
        .prop_map(|(customer, day, kind)| Event {
            customer,
            // Several events per day and per instant.
            timestamp: Utc.timestamp_opt(1_700_000_000 + day * 43_200, 0).unwrap(),
            kind,
        })
}

fn summarise(events: &[Event]) -> Summaries {
    Summaries::from_log(&EventLog::from_events(events, LogOptions::default()).unwrap())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn any_split_merged_in_any_order_equals_whole(
        events in proptest::collection::vec(event(), 0..80),
        parts in 1usize..5,
        assignment in proptest::collection::vec(0usize..5, 80),
        order in Just(()).prop_perturb(|_, mut rng| { let mut v: Vec<usize> = (0..5).collect(); for i in (1..5).rev() { v.swap(i, rng.random_range(0..=i)); } v }),
    ) {
        let whole = summarise(&events);
        let mut chunks = vec![Vec::new(); parts];
        for (i, e) in events.iter().enumerate() {
            chunks[assignment[i] % parts].push(e.clone());
        }
        let partial: Vec<Summaries> = chunks.iter().map(|c| summarise(c)).collect();
        // Left fold in a permuted order.
        let mut merged = Summaries::default();
        for &p in order.iter().filter(|&&p| p < parts) {
            merged = merged.merge(&partial[p]);
        }
        prop_assert_eq!(&merged, &whole);
        // A right-leaning tree gives the same answer (associativity).
        let tree = partial.iter().rev().fold(Summaries::default(), |acc, s| s.merge(&acc));
        prop_assert_eq!(&tree, &whole);

        // Streaming, one event at a time, in reverse input order.
        let mut streamed = Summaries::default();
        for e in events.iter().rev() {
            streamed.update(e).unwrap();
        }
        prop_assert_eq!(&streamed, &whole);

        // Order days: union of parts equals the whole.
        let days_whole = OrderDays::from_log(&EventLog::from_events(&events, LogOptions::default()).unwrap());
        let days_merged = chunks.iter().rev().fold(OrderDays::default(), |acc, c| {
            acc.merge(&OrderDays::from_log(&EventLog::from_events(c, LogOptions::default()).unwrap()))
        });
        prop_assert_eq!(days_merged, days_whole);
    }
}
