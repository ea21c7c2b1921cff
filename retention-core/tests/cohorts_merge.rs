//! Property test: cohort matrices built from merged partial order days equal
//! the single-pass matrices (from the whole log's order days and from the log).

use chrono::{TimeZone, Utc, Weekday};
use proptest::prelude::*;
use retention_core::cohorts::{
    acquisition_cohorts, acquisition_cohorts_from_order_days, CohortOptions, QualifyingEvents,
    RetentionMode, RevenueBasis,
};
use retention_core::events::{CustomerId, Event, EventKind, EventLog, LogOptions};
use retention_core::summary::OrderDays;
use retention_core::time::{Calendar, Period};

const START: i64 = 1_700_000_000;

fn event() -> impl Strategy<Value = Event> {
    (
        prop_oneof![
            (0i64..8).prop_map(CustomerId::Int),
            "[a-c]".prop_map(CustomerId::Str)
        ],
        // About 200 days, several events per day.
        0i64..800,
        prop_oneof![
            4 => (0.0..500.0f64).prop_map(|amount| EventKind::Order { amount, items: None }),
            1 => (0.0..100.0f64).prop_map(|amount| EventKind::Refund { amount }),
            1 => Just(EventKind::Session),
        ],
    )
        .prop_map(|(customer, slot, kind)| Event {
            customer,
            timestamp: Utc.timestamp_opt(START + slot * 21_600, 0).unwrap(),
            kind,
        })
}

fn calendar() -> impl Strategy<Value = Calendar> {
    prop_oneof![
        Just(Calendar::utc(Period::Day)),
        (0usize..7).prop_map(|d| Calendar::utc(Period::Week {
            starts_on: [
                Weekday::Mon,
                Weekday::Tue,
                Weekday::Wed,
                Weekday::Thu,
                Weekday::Fri,
                Weekday::Sat,
                Weekday::Sun
            ][d]
        })),
        Just(Calendar::utc(Period::Month)),
        Just(Calendar::utc(Period::Quarter)),
    ]
}

fn days_of(events: &[Event]) -> OrderDays {
    OrderDays::from_log(&EventLog::from_events(events, LogOptions::default()).unwrap())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn merged_partial_order_days_give_the_single_pass_matrix(
        events in proptest::collection::vec(event(), 0..120),
        parts in 1usize..5,
        assignment in proptest::collection::vec(0usize..5, 120),
        calendar in calendar(),
        on_or_after in any::<bool>(),
        extra_days in 0i64..60,
        max_age in proptest::option::of(0u32..10),
    ) {
        let options = CohortOptions {
            calendar,
            mode: if on_or_after { RetentionMode::ReturnOnOrAfter } else { RetentionMode::ReturnOn },
            qualifying: QualifyingEvents::Orders,
            revenue: RevenueBasis::Gross,
            max_age,
        };
        let as_of = Utc.timestamp_opt(START + 800 * 21_600 + extra_days * 86_400, 0).unwrap();
        let log = EventLog::from_events(&events, LogOptions::default()).unwrap();
        let single = acquisition_cohorts(&log, as_of, &options).unwrap();

        let mut chunks = vec![Vec::new(); parts];
        for (i, e) in events.iter().enumerate() {
            chunks[assignment[i] % parts].push(e.clone());
        }
        let merged = chunks
            .iter()
            .rev()
            .map(|c| days_of(c))
            .fold(OrderDays::default(), |acc, d| d.merge(&acc));
        let from_merged = acquisition_cohorts_from_order_days(&merged, as_of, &options).unwrap();
        prop_assert_eq!(&from_merged, &single);
        let from_whole = acquisition_cohorts_from_order_days(&days_of(&events), as_of, &options).unwrap();
        prop_assert_eq!(&from_whole, &single);

        // Invariants: cells are finite and in range, immature cells are None.
        for (r, row) in single.retention().iter().enumerate() {
            prop_assert_eq!(row.first().copied().flatten().unwrap_or(1.0), 1.0);
            for (k, cell) in row.iter().enumerate() {
                let eligible = single.eligible()[r][k];
                prop_assert_eq!(cell.is_some(), eligible > 0);
                if let Some(x) = cell {
                    prop_assert!((0.0..=1.0).contains(x));
                }
            }
            if on_or_after {
                // Unbounded retention never increases with age.
                let defined: Vec<f64> = row.iter().flatten().copied().collect();
                prop_assert!(defined.windows(2).all(|w| w[1] <= w[0]));
            }
        }
    }
}
