//! Property tests of the summary state (`summary::SummaryState`): the state
//! of any log reads back as the same summaries, and the rows of the states of
//! any split, concatenated in any order, read back as the whole log's
//! summaries (what a Spark job or a stored table plus today's events relies on).

use chrono::{TimeZone, Utc};
use proptest::prelude::*;
use retention_core::events::{
    CustomerId, Event, EventKind, EventLog, LogOptions, Severity, SurveyKind,
};
use retention_core::summary::{state_fields, OrderDays, StateColumn, Summaries, SummaryState};

fn kind() -> impl Strategy<Value = EventKind> {
    prop_oneof![
        4 => (0.0..500.0f64).prop_map(|amount| EventKind::Order { amount, items: None }),
        1 => (0.0..100.0f64).prop_map(|amount| EventKind::Refund { amount }),
        1 => Just(EventKind::Session),
        1 => Just(EventKind::Signup),
        1 => (0usize..3, any::<bool>()).prop_map(|(s, resolved)| EventKind::SupportTicket { severity: Severity::ALL[s], resolved }),
        // Few distinct scores and times make (time, score) ties likely.
        1 => (0usize..6, 0u8..=10).prop_map(|(k, s)| EventKind::Survey { kind: SurveyKind::ALL[k], score: f64::from(s) }),
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
        .prop_map(|(customer, half_days, kind)| Event {
            customer,
            timestamp: Utc
                .timestamp_opt(1_700_000_000 + half_days * 43_200, 0)
                .unwrap(),
            kind,
        })
}

fn state(events: &[Event]) -> SummaryState {
    let log = EventLog::from_events(events, LogOptions::default()).unwrap();
    SummaryState::from_summaries(&Summaries::from_log(&log), &OrderDays::from_log(&log))
}

/// Appends the rows of `b` to `a`, column by column.
fn append(a: &mut SummaryState, b: &SummaryState) {
    if a.columns.is_empty() {
        *a = b.clone();
        return;
    }
    for (x, y) in a.columns.iter_mut().zip(&b.columns) {
        match (x, y) {
            (StateColumn::Ids(x), StateColumn::Ids(y)) => x.extend(y.iter().cloned()),
            (StateColumn::Instants(x), StateColumn::Instants(y)) => x.extend(y),
            (StateColumn::Counts(x), StateColumn::Counts(y)) => x.extend(y),
            (StateColumn::Money(x), StateColumn::Money(y)) => x.extend(y),
            (StateColumn::Scores(x), StateColumn::Scores(y)) => x.extend(y),
            (StateColumn::OrderDays(x), StateColumn::OrderDays(y)) => x.extend(y.iter().cloned()),
            _ => panic!("column types differ"),
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn states_of_any_split_concatenated_read_as_the_whole(
        events in proptest::collection::vec(event(), 0..80),
        parts in 1usize..5,
        assignment in proptest::collection::vec(0usize..5, 80),
        reverse in any::<bool>(),
    ) {
        let log = EventLog::from_events(&events, LogOptions::default()).unwrap();
        let whole = (Summaries::from_log(&log), OrderDays::from_log(&log));
        let one = state(&events);
        prop_assert_eq!(one.columns.len(), state_fields().len());
        prop_assert_eq!(&one.into_summaries().unwrap(), &whole);

        let mut chunks = vec![Vec::new(); parts];
        for (i, e) in events.iter().enumerate() {
            chunks[assignment[i] % parts].push(e.clone());
        }
        if reverse {
            chunks.reverse();
        }
        let mut all = SummaryState::default();
        for c in &chunks {
            append(&mut all, &state(c));
        }
        if all.columns.is_empty() {
            all = state(&[]);
        }
        prop_assert_eq!(all.into_summaries().unwrap(), whole);
    }
}
