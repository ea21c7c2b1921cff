//! Cohort matrices on a hand-built log, checked cell by cell.
//!
//! Monthly UTC cohorts, `as_of` = 2024-04-15, so March 2024 is the last
//! complete month. Customers:
//!
//! | id | events |
//! |---|---|
//! | 1 | order Jan 5 (100), order Feb 10 (50), refund Feb 20 (10), order Apr 2 (30) |
//! | 2 | order Jan 20 (40), session Mar 3 |
//! | 3 | order Jan 25 (60), order Mar 1 (20) |
//! | 4 | order Feb 3 (80), order Feb 20 (20), order Mar 15 (10) |
//! | 5 | session Jan 10 (before the first order), order Feb 28 (25) |
//! | 6 | order Apr 1 (5) (current, incomplete month) |
//! | 7 | session Jan 1, no order |

use std::collections::HashMap;

use chrono::{DateTime, TimeZone, Utc, Weekday};
use retention_core::cohorts::{
    acquisition_cohorts, acquisition_cohorts_from_order_days, labelled_cohorts,
    labelled_cohorts_from_slices, CohortMatrix, CohortOptions, QualifyingEvents, RetentionMode,
    RevenueBasis,
};
use retention_core::events::{CustomerId, Event, EventKind, EventLog, LogOptions};
use retention_core::summary::OrderDays;
use retention_core::time::{to_micros, Calendar, Period};
use retention_core::{Error, IssueKind};

fn d(m: u32, day: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2024, m, day, 12, 0, 0).unwrap()
}

fn as_of() -> DateTime<Utc> {
    d(4, 15)
}

fn log() -> EventLog {
    let refund = |c: i64, t, amount| Event::new(c, t, EventKind::Refund { amount });
    let session = |c: i64, t| Event::new(c, t, EventKind::Session);
    let events = vec![
        Event::order(1, d(1, 5), 100.0),
        Event::order(1, d(2, 10), 50.0),
        refund(1, d(2, 20), 10.0),
        Event::order(1, d(4, 2), 30.0),
        Event::order(2, d(1, 20), 40.0),
        session(2, d(3, 3)),
        Event::order(3, d(1, 25), 60.0),
        Event::order(3, d(3, 1), 20.0),
        Event::order(4, d(2, 3), 80.0),
        Event::order(4, d(2, 20), 20.0),
        Event::order(4, d(3, 15), 10.0),
        session(5, d(1, 10)),
        Event::order(5, d(2, 28), 25.0),
        Event::order(6, d(4, 1), 5.0),
        session(7, d(1, 1)),
    ];
    EventLog::from_events(&events, LogOptions::default()).unwrap()
}

fn options(mode: RetentionMode, qualifying: QualifyingEvents) -> CohortOptions {
    CohortOptions {
        mode,
        qualifying,
        ..CohortOptions::default()
    }
}

/// Compares a matrix of optional floats, cell by cell, to 1e-12.
fn assert_cells(actual: &[Vec<Option<f64>>], expected: &[&[Option<f64>]]) {
    assert_eq!(actual.len(), expected.len(), "rows: {actual:?}");
    for (r, (a, e)) in actual.iter().zip(expected).enumerate() {
        assert_eq!(a.len(), e.len(), "row {r}: {a:?}");
        for (k, (x, y)) in a.iter().zip(e.iter()).enumerate() {
            match (x, y) {
                (Some(x), Some(y)) => assert!((x - y).abs() < 1e-12, "cell ({r}, {k}): {x} != {y}"),
                (None, None) => {}
                _ => panic!("cell ({r}, {k}): {x:?} != {y:?}"),
            }
        }
    }
}

const N: Option<f64> = None;
fn s(x: f64) -> Option<f64> {
    Some(x)
}

fn monthly(mode: RetentionMode, qualifying: QualifyingEvents) -> CohortMatrix {
    acquisition_cohorts(&log(), as_of(), &options(mode, qualifying)).unwrap()
}

#[test]
fn labels_sizes_and_shape() {
    let m = monthly(RetentionMode::ReturnOn, QualifyingEvents::Orders);
    assert_eq!(m.labels(), &["2024-01", "2024-02", "2024-04"]);
    assert_eq!(m.sizes(), &[3, 2, 1]);
    assert_eq!(m.unanchored(), &[0, 0, 0]);
    assert_eq!(
        m.periods(),
        &[Some(2024 * 12), Some(2024 * 12 + 1), Some(2024 * 12 + 3)]
    );
    assert_eq!(
        m.period_starts()[1],
        Some(Utc.with_ymd_and_hms(2024, 2, 1, 0, 0, 0).unwrap())
    );
    assert_eq!((m.cohorts(), m.ages()), (3, 3));
    assert_eq!(m.eligible(), &[vec![3, 3, 3], vec![2, 2, 0], vec![0, 0, 0]]);
    assert_eq!(m.cohort_index("2024-02"), Some(1));
}

#[test]
fn return_on_orders() {
    let m = monthly(RetentionMode::ReturnOn, QualifyingEvents::Orders);
    assert_cells(
        m.retention(),
        &[
            &[s(1.0), s(1.0 / 3.0), s(1.0 / 3.0)],
            &[s(1.0), s(0.5), N],
            &[N, N, N],
        ],
    );
    assert_cells(
        m.churn(),
        &[
            &[s(0.0), s(2.0 / 3.0), s(2.0 / 3.0)],
            &[s(0.0), s(0.5), N],
            &[N, N, N],
        ],
    );
    assert_eq!(m.retained(), &[vec![3, 1, 1], vec![2, 1, 0], vec![0, 0, 0]]);
    assert_eq!(m.retention_at(0, 1), Some(1.0 / 3.0));
    assert_eq!(m.retention_at(1, 2), None);
    assert_eq!(m.retention_at(9, 0), None);
    // Net revenue: the refund of customer 1 lands in February.
    assert_cells(
        m.revenue(),
        &[
            &[s(200.0), s(40.0), s(20.0)],
            &[s(125.0), s(10.0), N],
            &[N, N, N],
        ],
    );
    assert_cells(
        m.ltv(),
        &[
            &[s(200.0 / 3.0), s(80.0), s(260.0 / 3.0)],
            &[s(62.5), s(67.5), N],
            &[N, N, N],
        ],
    );
}

#[test]
fn return_on_any_activity() {
    let m = monthly(RetentionMode::ReturnOn, QualifyingEvents::AnyActivity);
    // Customer 2's March session counts; customer 5's January session
    // precedes their first order and is ignored.
    assert_cells(
        m.retention(),
        &[
            &[s(1.0), s(1.0 / 3.0), s(2.0 / 3.0)],
            &[s(1.0), s(0.5), N],
            &[N, N, N],
        ],
    );
}

#[test]
fn return_on_or_after_orders() {
    let m = monthly(RetentionMode::ReturnOnOrAfter, QualifyingEvents::Orders);
    // Unbounded: customer 1's April order (current month) counts for ages 1 and 2.
    assert_cells(
        m.retention(),
        &[
            &[s(1.0), s(2.0 / 3.0), s(2.0 / 3.0)],
            &[s(1.0), s(0.5), N],
            &[N, N, N],
        ],
    );
    assert_cells(
        m.churn(),
        &[
            &[s(0.0), s(1.0 / 3.0), s(1.0 / 3.0)],
            &[s(0.0), s(0.5), N],
            &[N, N, N],
        ],
    );
    // Revenue does not depend on the retention mode.
    assert_cells(
        m.revenue(),
        &[
            &[s(200.0), s(40.0), s(20.0)],
            &[s(125.0), s(10.0), N],
            &[N, N, N],
        ],
    );
}

#[test]
fn return_on_or_after_any_activity() {
    let m = monthly(
        RetentionMode::ReturnOnOrAfter,
        QualifyingEvents::AnyActivity,
    );
    assert_cells(
        m.retention(),
        &[&[s(1.0), s(1.0), s(1.0)], &[s(1.0), s(0.5), N], &[N, N, N]],
    );
}

#[test]
fn gross_revenue_ignores_refunds() {
    let opts = CohortOptions {
        revenue: RevenueBasis::Gross,
        ..CohortOptions::default()
    };
    let m = acquisition_cohorts(&log(), as_of(), &opts).unwrap();
    assert_cells(
        m.revenue(),
        &[
            &[s(200.0), s(50.0), s(20.0)],
            &[s(125.0), s(10.0), N],
            &[N, N, N],
        ],
    );
    assert_cells(
        m.ltv(),
        &[
            &[s(200.0 / 3.0), s(250.0 / 3.0), s(90.0)],
            &[s(62.5), s(67.5), N],
            &[N, N, N],
        ],
    );
}

#[test]
fn max_age_truncates_columns() {
    let opts = CohortOptions {
        max_age: Some(1),
        ..CohortOptions::default()
    };
    let m = acquisition_cohorts(&log(), as_of(), &opts).unwrap();
    assert_eq!(m.ages(), 2);
    assert_cells(
        m.retention(),
        &[&[s(1.0), s(1.0 / 3.0)], &[s(1.0), s(0.5)], &[N, N]],
    );
}

#[test]
fn as_of_before_every_complete_period() {
    // Nothing is complete on 2024-01-31: one column of None.
    let log =
        EventLog::from_events(&[Event::order(1, d(1, 5), 1.0)], LogOptions::default()).unwrap();
    let m = acquisition_cohorts(&log, d(1, 31), &CohortOptions::default()).unwrap();
    assert_eq!(m.ages(), 1);
    assert_eq!(m.retention(), &[vec![None]]);
    let empty = EventLog::default();
    let m = acquisition_cohorts(&empty, d(1, 31), &CohortOptions::default()).unwrap();
    assert_eq!((m.cohorts(), m.ages()), (0, 0));
}

#[test]
fn labelled_cohorts_use_each_customers_first_order() {
    let labels: HashMap<CustomerId, &str> = HashMap::from([
        (1.into(), "offer"),
        (4.into(), "offer"),
        (2.into(), "control"),
        (5.into(), "control"),
        (7.into(), "control"),
    ]);
    let m = labelled_cohorts(&log(), &labels, as_of(), &CohortOptions::default()).unwrap();
    assert_eq!(m.labels(), &["control", "offer"]);
    assert_eq!(m.periods(), &[None, None]);
    assert_eq!(m.sizes(), &[2, 2]);
    assert_eq!(m.unanchored(), &[1, 0]);
    assert_eq!(m.eligible(), &[vec![2, 2, 1], vec![2, 2, 1]]);
    assert_cells(
        m.retention(),
        &[&[s(1.0), s(0.0), s(0.0)], &[s(1.0), s(1.0), s(0.0)]],
    );
    assert_cells(
        m.revenue(),
        &[&[s(65.0), s(0.0), s(0.0)], &[s(200.0), s(50.0), s(0.0)]],
    );
    assert_cells(
        m.ltv(),
        &[
            &[s(32.5), s(32.5), s(40.0)],
            &[s(100.0), s(125.0), s(140.0)],
        ],
    );

    // The same from parallel slices; a repeated identical pair is fine.
    let ids: Vec<CustomerId> = [1, 4, 2, 5, 7, 1]
        .into_iter()
        .map(CustomerId::Int)
        .collect();
    let names = ["offer", "offer", "control", "control", "control", "offer"];
    let from_slices =
        labelled_cohorts_from_slices(&log(), &ids, &names, as_of(), &CohortOptions::default())
            .unwrap();
    assert_eq!(from_slices, m);
}

#[test]
fn bad_input_is_a_typed_error() {
    let log = log();
    // An event after as_of names its input row.
    let err = acquisition_cohorts(&log, d(4, 1), &CohortOptions::default()).unwrap_err();
    let Error::InvalidRows { issues } = err else {
        panic!("{err:?}")
    };
    assert_eq!(
        issues
            .iter()
            .map(|i| (i.row, i.kind.clone()))
            .collect::<Vec<_>>(),
        vec![(3, IssueKind::AfterAsOf)]
    );

    let labels = HashMap::from([(CustomerId::from("ghost"), "x"), (1.into(), "y")]);
    assert_eq!(
        labelled_cohorts(&log, &labels, as_of(), &CohortOptions::default()).unwrap_err(),
        Error::UnknownCustomer {
            customer: "ghost".into()
        }
    );
    let ids = vec![CustomerId::Int(1), CustomerId::Int(2)];
    assert!(matches!(
        labelled_cohorts_from_slices(&log, &ids, &["a"], as_of(), &CohortOptions::default()),
        Err(Error::LengthMismatch {
            field: "labels",
            expected: 2,
            actual: 1
        })
    ));
    let ids = vec![CustomerId::Int(1), CustomerId::Int(1)];
    let err =
        labelled_cohorts_from_slices(&log, &ids, &["a", "b"], as_of(), &CohortOptions::default())
            .unwrap_err();
    let Error::InvalidRows { issues } = err else {
        panic!("{err:?}")
    };
    assert_eq!(issues[0].row, 1);
    assert_eq!(issues[0].kind, IssueKind::Duplicate { first_row: 0 });

    // A day calendar over millennia would not fit: a typed error, not an abort.
    let opts = CohortOptions {
        calendar: Calendar::utc(Period::Day),
        ..CohortOptions::default()
    };
    let far = Utc.with_ymd_and_hms(200_000, 1, 1, 0, 0, 0).unwrap();
    let one =
        EventLog::from_events(&[Event::order(1, d(1, 1), 1.0)], LogOptions::default()).unwrap();
    assert!(matches!(
        acquisition_cohorts(&one, far, &opts),
        Err(Error::InvalidParameter {
            name: "max_age",
            ..
        })
    ));
    let opts = CohortOptions {
        max_age: Some(30),
        ..opts
    };
    assert_eq!(acquisition_cohorts(&one, far, &opts).unwrap().ages(), 31);
}

#[test]
fn order_days_path_matches_log_and_rejects_what_it_cannot_answer() {
    let log = log();
    let days = OrderDays::from_log(&log);
    let gross = CohortOptions {
        revenue: RevenueBasis::Gross,
        ..CohortOptions::default()
    };
    assert_eq!(
        acquisition_cohorts_from_order_days(&days, as_of(), &gross).unwrap(),
        acquisition_cohorts(&log, as_of(), &gross).unwrap()
    );
    for bad in [
        CohortOptions::default(),
        CohortOptions {
            qualifying: QualifyingEvents::AnyActivity,
            ..gross
        },
        CohortOptions {
            calendar: Calendar::with_offset(Period::Month, 3600).unwrap(),
            ..gross
        },
    ] {
        assert!(matches!(
            acquisition_cohorts_from_order_days(&days, as_of(), &bad),
            Err(Error::InvalidParameter { .. })
        ));
    }
    assert!(matches!(
        acquisition_cohorts_from_order_days(&days, d(4, 1), &gross),
        Err(Error::InvalidParameter { name: "as_of", .. })
    ));
}

#[test]
fn other_calendars() {
    let log = log();
    // Weeks starting on Sunday: 2024-01-05 (Friday) is in the week of Sunday 2023-12-31.
    let opts = CohortOptions {
        calendar: Calendar::utc(Period::Week {
            starts_on: Weekday::Sun,
        }),
        ..CohortOptions::default()
    };
    let m = acquisition_cohorts(&log, as_of(), &opts).unwrap();
    assert_eq!(m.labels()[0], "2023-12-31");
    assert_eq!(m.sizes()[0], 1);
    let q = CohortOptions {
        calendar: Calendar::utc(Period::Quarter),
        ..CohortOptions::default()
    };
    let m = acquisition_cohorts(&log, as_of(), &q).unwrap();
    assert_eq!(m.labels(), &["2024-Q1", "2024-Q2"]);
    assert_eq!(m.sizes(), &[5, 1]);
    // Q1 complete, Q2 not.
    assert_cells(m.retention(), &[&[s(1.0)], &[N]]);
    let y = CohortOptions {
        calendar: Calendar::utc(Period::Year),
        ..CohortOptions::default()
    };
    assert_eq!(
        acquisition_cohorts(&log, as_of(), &y).unwrap().labels(),
        &["2024"]
    );
    let day = CohortOptions {
        calendar: Calendar::utc(Period::Day),
        max_age: Some(3),
        ..CohortOptions::default()
    };
    let m = acquisition_cohorts(&log, as_of(), &day).unwrap();
    assert_eq!(m.labels()[0], "2024-01-05");
    assert_eq!(m.cohorts(), 6);
}

#[test]
fn fixed_offset_moves_customers_between_cohorts() {
    // 23:30 UTC on Jan 31 is February at UTC+01:00.
    let late = Utc.with_ymd_and_hms(2024, 1, 31, 23, 30, 0).unwrap();
    let log = EventLog::from_events(&[Event::order(1, late, 1.0)], LogOptions::default()).unwrap();
    let utc = acquisition_cohorts(&log, as_of(), &CohortOptions::default()).unwrap();
    assert_eq!(utc.labels(), &["2024-01"]);
    let cet = CohortOptions {
        calendar: Calendar::with_offset(Period::Month, 3600).unwrap(),
        ..CohortOptions::default()
    };
    let m = acquisition_cohorts(&log, as_of(), &cet).unwrap();
    assert_eq!(m.labels(), &["2024-02"]);
    assert_eq!(m.ages(), 2);
}

/// The wide table of a value matrix: cohort, start, size, then one column
/// per age named by the age.
#[test]
fn cohort_cells_read_as_a_wide_table() {
    use retention_core::table::{CohortCells, Column, Table};
    let log = EventLog::from_events(
        &[
            Event::order(1, d(1, 5), 10.0),
            Event::order(1, d(2, 5), 10.0),
            Event::order(2, d(1, 9), 10.0),
            Event::order(3, d(2, 9), 10.0),
        ],
        LogOptions::default(),
    )
    .unwrap();
    let m = acquisition_cohorts(&log, d(3, 1), &CohortOptions::default()).unwrap();
    let t = CohortCells {
        matrix: &m,
        values: m.retention(),
    };
    let fixed: Vec<&str> = t.columns().iter().map(|(n, _)| *n).collect();
    assert_eq!(fixed, ["cohort", "period_start", "size"]);
    assert!(matches!(&t.columns()[2].1, Column::U64(v) if v[..] == [2, 1]));
    let ages = t.data_named_columns();
    let names: Vec<&str> = ages.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, ["0", "1"]);
    // January: both customers at age 0, one of two at age 1; February's
    // cohort has no age 1 yet.
    assert!(matches!(&ages[0].1, Column::OptF64(v) if v[..] == [Some(1.0), Some(1.0)]));
    assert!(matches!(&ages[1].1, Column::OptF64(v) if v[..] == [Some(0.5), None]));
    let Column::Instants(starts) = &t.columns()[1].1 else {
        panic!()
    };
    assert_eq!(
        starts[0],
        Some(to_micros(
            Utc.with_ymd_and_hms(2024, 1, 1, 0, 0, 0).unwrap()
        ))
    );
}
