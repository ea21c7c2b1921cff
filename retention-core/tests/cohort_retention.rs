//! Hand-computed cases of `cohorts::retention::cohort_retention`, one per
//! feature, on a four-customer shop:
//!
//! | customer | country | events (2024, 12:00 UTC) |
//! |---|---|---|
//! | 1 | DE | signup 2023-12-20; orders Jan 5 (20, web), Feb 3 (15, app), Mar 10 (5, web) |
//! | 2 | FR | order Jan 9 (10, app); refund Jan 20 (4) |
//! | 3 | DE | orders Feb 2 (30, web), Feb 20 (10, web), Mar 1 (6, app) |
//! | 4 | –  | session Jan 1 |
//!
//! `as_of` is 2024-04-15 00:00 UTC: March is the last complete month.

use chrono::{DateTime, TimeZone, Utc};
use retention_core::cohorts::retention::{
    cohort_retention, Bracket, BreakdownSource, CohortRetention, RetentionCell, RetentionOptions,
    ReturnCount, ReturnEvent, StartEvent,
};
use retention_core::events::{CustomerId, Event, EventKind, EventLog, LogOptions};
use retention_core::Error;

fn at(y: i32, m: u32, d: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, m, d, 12, 0, 0).unwrap()
}

fn as_of() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2024, 4, 15, 0, 0, 0).unwrap()
}

fn shop() -> EventLog {
    let rows = [
        (Event::new(1, at(2023, 12, 20), EventKind::Signup), None),
        (Event::order(1, at(2024, 1, 5), 20.0), Some("web")),
        (Event::order(1, at(2024, 2, 3), 15.0), Some("app")),
        (Event::order(1, at(2024, 3, 10), 5.0), Some("web")),
        (Event::order(2, at(2024, 1, 9), 10.0), Some("app")),
        (
            Event::new(2, at(2024, 1, 20), EventKind::Refund { amount: 4.0 }),
            None,
        ),
        (Event::order(3, at(2024, 2, 2), 30.0), Some("web")),
        (Event::order(3, at(2024, 2, 20), 10.0), Some("web")),
        (Event::order(3, at(2024, 3, 1), 6.0), Some("app")),
        (Event::new(4, at(2024, 1, 1), EventKind::Session), None),
    ];
    let events: Vec<Event> = rows.iter().map(|r| r.0.clone()).collect();
    let mut log = EventLog::from_events(&events, LogOptions::default()).unwrap();
    let channel: Vec<Option<&str>> = rows.iter().map(|r| r.1).collect();
    log.set_event_property("channel", &channel).unwrap();
    let ids: Vec<CustomerId> = [1, 2, 3].map(CustomerId::from).to_vec();
    log.set_customer_property("country", &ids, &[Some("DE"), Some("FR"), Some("DE")])
        .unwrap();
    log
}

/// Retention of the total's (or a group's) cells of one cohort, by column.
fn row(r: &CohortRetention, group: Option<&str>, cohort: &str) -> Vec<Option<f64>> {
    cells(r, group, cohort)
        .iter()
        .map(|c| c.retention)
        .collect()
}

fn cells<'a>(r: &'a CohortRetention, group: Option<&str>, cohort: &str) -> Vec<&'a RetentionCell> {
    r.cells
        .iter()
        .filter(|c| c.cohort == cohort && c.total == group.is_none())
        .filter(|c| group.is_none() || c.breakdown.as_deref() == group)
        .collect()
}

fn close(a: Option<f64>, b: f64) {
    let a = a.expect("a value");
    assert!((a - b).abs() < 1e-12, "{a} vs {b}");
}

#[test]
fn monthly_first_order_cohorts() {
    let r = cohort_retention(&shop(), as_of(), &RetentionOptions::default()).unwrap();
    let labels: Vec<&str> = r.columns.iter().map(|c| c.label.as_str()).collect();
    assert_eq!(labels, ["0", "1", "2"]);
    assert_eq!(r.unstarted, 1); // customer 4 never ordered
    assert_eq!(row(&r, None, "2024-01"), [Some(1.0), Some(0.5), Some(0.5)]);
    assert_eq!(row(&r, None, "2024-02"), [Some(1.0), Some(1.0), None]);
    let jan = cells(&r, None, "2024-01");
    assert_eq!((jan[0].size, jan[1].eligible, jan[1].retained), (2, 2, 1));
    // Net revenue: age 0 = 20 + 10 − 4, then 15 and 5.
    assert_eq!(
        jan.iter().map(|c| c.revenue).collect::<Vec<_>>(),
        [Some(26.0), Some(15.0), Some(5.0)]
    );
    close(jan[1].revenue_retention, 15.0 / 26.0);
    close(jan[2].revenue_retention, 5.0 / 26.0);
    let feb = cells(&r, None, "2024-02");
    close(feb[1].revenue_retention, 6.0 / 40.0);
    // Wilson interval of 1 in 2 at z = Φ⁻¹(0.975), by the formula.
    let z: f64 = 1.959_963_984_540_054;
    let (p, n) = (0.5, 2.0);
    let centre = (p + z * z / (2.0 * n)) / (1.0 + z * z / n);
    let half = z / (1.0 + z * z / n) * (p * (1.0 - p) / n + z * z / (4.0 * n * n)).sqrt();
    assert!((jan[1].lower.unwrap() - (centre - half)).abs() < 1e-9);
    assert!((jan[1].upper.unwrap() - (centre + half)).abs() < 1e-9);
}

#[test]
fn mean_rows_simple_and_weighted() {
    let r = cohort_retention(&shop(), as_of(), &RetentionOptions::default()).unwrap();
    let means: Vec<_> = r.means.iter().filter(|m| m.total).collect();
    assert_eq!(means.len(), 3);
    // Age 1: cohorts 1/2 and 1/1.
    close(means[1].simple_mean, 0.75);
    close(means[1].weighted_mean, 2.0 / 3.0);
    assert_eq!(
        (means[1].cohorts, means[1].eligible, means[1].retained),
        (2, 3, 2)
    );
    close(means[1].revenue_retention, 21.0 / 66.0);
    // Age 2: only January is complete.
    close(means[2].simple_mean, 0.5);
    close(means[2].weighted_mean, 0.5);
    assert!(means[1].lower.unwrap() < 2.0 / 3.0 && 2.0 / 3.0 < means[1].upper.unwrap());
}

#[test]
fn breakdown_by_customer_property_and_by_first_order_property() {
    let log = shop();
    let options = RetentionOptions {
        breakdown: Some("country".into()),
        ..Default::default()
    };
    let r = cohort_retention(&log, as_of(), &options).unwrap();
    assert_eq!(r.breakdown.as_deref(), Some("country"));
    assert_eq!(
        row(&r, Some("DE"), "2024-01"),
        [Some(1.0), Some(1.0), Some(1.0)]
    );
    assert_eq!(row(&r, Some("DE"), "2024-02"), [Some(1.0), Some(1.0), None]);
    assert_eq!(
        row(&r, Some("FR"), "2024-01"),
        [Some(1.0), Some(0.0), Some(0.0)]
    );
    assert!(cells(&r, Some("FR"), "2024-02").is_empty());
    // The total's counts are the groups' sums.
    for t in r.cells.iter().filter(|c| c.total) {
        let parts = r
            .cells
            .iter()
            .filter(|c| !c.total && c.cohort == t.cohort && c.column == t.column);
        let (e, k) = parts.fold((0, 0), |(e, k), c| (e + c.eligible, k + c.retained));
        assert_eq!((e, k), (t.eligible, t.retained));
    }
    // First order's channel: 1 and 3 first ordered on the web, 2 in the app.
    let options = RetentionOptions {
        breakdown: Some("channel".into()),
        breakdown_source: BreakdownSource::FirstOrder,
        ..Default::default()
    };
    let r = cohort_retention(&log, as_of(), &options).unwrap();
    let groups: Vec<_> = r
        .means
        .iter()
        .filter(|m| m.first_age == 0)
        .map(|m| m.breakdown.clone())
        .collect();
    assert_eq!(groups, [None, Some("app".into()), Some("web".into())]);
    assert_eq!(
        row(&r, Some("app"), "2024-01"),
        [Some(1.0), Some(0.0), Some(0.0)]
    );
    assert_eq!(
        row(&r, Some("web"), "2024-01"),
        [Some(1.0), Some(1.0), Some(1.0)]
    );
}

#[test]
fn customers_without_a_value_form_their_own_group_last() {
    let mut log = shop();
    log.set_customer_property("plan", &[CustomerId::from(2)], &[Some("pro")])
        .unwrap();
    let options = RetentionOptions {
        breakdown: Some("plan".into()),
        ..Default::default()
    };
    let r = cohort_retention(&log, as_of(), &options).unwrap();
    let groups: Vec<_> = r
        .means
        .iter()
        .filter(|m| m.first_age == 0)
        .map(|m| (m.total, m.breakdown.clone()))
        .collect();
    assert_eq!(
        groups,
        [(true, None), (false, Some("pro".into())), (false, None)]
    );
    let none: Vec<_> = r
        .cells
        .iter()
        .filter(|c| !c.total && c.breakdown.is_none())
        .collect();
    // Customers 1 (January) and 3 (February).
    assert_eq!(
        none.iter()
            .filter(|c| c.first_age == 0)
            .map(|c| c.size)
            .sum::<u64>(),
        2
    );
}

#[test]
fn signup_to_first_order_first_time() {
    let options = RetentionOptions {
        start: StartEvent::Signup,
        returning: ReturnEvent::FirstOrder,
        count: ReturnCount::FirstTime,
        ..Default::default()
    };
    let r = cohort_retention(&shop(), as_of(), &options).unwrap();
    assert_eq!(r.unstarted, 3); // only customer 1 signed up
                                // Signed up in December, first order in January (age 1).
    assert_eq!(
        row(&r, None, "2023-12"),
        [Some(0.0), Some(1.0), Some(0.0), Some(0.0)]
    );
}

#[test]
fn repeat_orders_recurring_and_first_time() {
    let options = RetentionOptions {
        returning: ReturnEvent::RepeatOrder,
        ..Default::default()
    };
    let r = cohort_retention(&shop(), as_of(), &options).unwrap();
    assert_eq!(row(&r, None, "2024-01"), [Some(0.0), Some(0.5), Some(0.5)]);
    assert_eq!(row(&r, None, "2024-02"), [Some(1.0), Some(1.0), None]);
    let options = RetentionOptions {
        count: ReturnCount::FirstTime,
        ..options
    };
    let r = cohort_retention(&shop(), as_of(), &options).unwrap();
    assert_eq!(row(&r, None, "2024-01"), [Some(0.0), Some(0.5), Some(0.0)]);
    assert_eq!(row(&r, None, "2024-02"), [Some(1.0), Some(0.0), None]);
}

#[test]
fn rolling_thirty_day_windows_from_each_first_order() {
    let options = RetentionOptions {
        rolling_days: Some(30),
        ..Default::default()
    };
    let r = cohort_retention(&shop(), as_of(), &options).unwrap();
    // Customer 1: Feb 3 is day 29 (window 0), Mar 10 day 65 (window 2);
    // 100.5 days observed → 3 windows. Customer 3: 72.5 days → 2 windows,
    // its later orders (days 18 and 28) in window 0.
    assert_eq!(row(&r, None, "2024-01"), [Some(1.0), Some(0.0), Some(0.5)]);
    assert_eq!(row(&r, None, "2024-02"), [Some(1.0), Some(0.0), None]);
}

#[test]
fn day_brackets_with_one_day_windows() {
    let brackets = [(1, 3), (4, 10), (11, 30)].map(|(first, last)| Bracket { first, last });
    let options = RetentionOptions {
        rolling_days: Some(1),
        brackets: Some(brackets.to_vec()),
        ..Default::default()
    };
    let r = cohort_retention(&shop(), as_of(), &options).unwrap();
    let labels: Vec<&str> = r.columns.iter().map(|c| c.label.as_str()).collect();
    assert_eq!(labels, ["1-3", "4-10", "11-30"]);
    assert_eq!(row(&r, None, "2024-01"), [Some(0.0), Some(0.0), Some(0.5)]);
    assert_eq!(row(&r, None, "2024-02"), [Some(0.0), Some(0.0), Some(1.0)]);
    // Days 11–30 of January: 15 (customer 1, day 29) − 4 (customer 2's
    // refund, day 11) over their day-0 revenue 20 + 10.
    let jan = cells(&r, None, "2024-01");
    assert_eq!(jan[2].revenue, Some(11.0));
    close(jan[2].revenue_retention, 11.0 / 30.0);
}

#[test]
fn bad_options_are_typed_errors() {
    let log = shop();
    let check =
        |options: RetentionOptions, name: &str| match cohort_retention(&log, as_of(), &options) {
            Err(Error::InvalidParameter { name: n, .. }) => assert_eq!(n, name),
            other => panic!("{other:?}"),
        };
    check(
        RetentionOptions {
            level: 1.0,
            ..Default::default()
        },
        "level",
    );
    check(
        RetentionOptions {
            rolling_days: Some(0),
            ..Default::default()
        },
        "rolling_days",
    );
    check(
        RetentionOptions {
            brackets: Some(vec![Bracket { first: 3, last: 1 }]),
            ..Default::default()
        },
        "brackets",
    );
    check(
        RetentionOptions {
            brackets: Some(vec![]),
            ..Default::default()
        },
        "brackets",
    );
    check(
        RetentionOptions {
            brackets: Some(vec![Bracket { first: 1, last: 3 }]),
            max_age: Some(3),
            ..Default::default()
        },
        "max_age",
    );
    check(
        RetentionOptions {
            breakdown: Some("nope".into()),
            ..Default::default()
        },
        "breakdown",
    );
    let early = Utc.with_ymd_and_hms(2024, 2, 1, 0, 0, 0).unwrap();
    assert!(matches!(
        cohort_retention(&log, early, &RetentionOptions::default()),
        Err(Error::InvalidRows { .. })
    ));
}

#[test]
fn max_age_limits_the_columns() {
    let options = RetentionOptions {
        max_age: Some(1),
        ..Default::default()
    };
    let r = cohort_retention(&shop(), as_of(), &options).unwrap();
    assert_eq!(r.columns.len(), 2);
    assert_eq!(row(&r, None, "2024-01"), [Some(1.0), Some(0.5)]);
}
