//! Tests of the model inputs, through OrderDays and the direct path.

use super::direct::{from_orders, Distinct};
use super::*;
use crate::events::{
    CustomerColumn, Event, EventColumns, EventLog, InstantUnit, LogOptions, MAX_AMOUNT,
};
use crate::time::to_micros;
use chrono::{TimeZone, Utc};

fn at(y: i32, m: u32, d: u32) -> Micros {
    to_micros(Utc.with_ymd_and_hms(y, m, d, 0, 0, 0).unwrap())
}

fn days_of(events: &[Event]) -> OrderDays {
    OrderDays::from_log(&EventLog::from_events(events, LogOptions::default()).unwrap())
}

#[test]
fn hand_computed_daily_and_weekly() {
    let d = |m, day| Utc.with_ymd_and_hms(2024, m, day, 15, 0, 0).unwrap();
    // Customer 1: Mon 1 Jan (two orders), Wed 3 Jan, Mon 15 Jan.
    let events = vec![
        Event::order(1, d(1, 1), 10.0),
        Event::order(1, d(1, 1), 5.0),
        Event::order(1, d(1, 3), 20.0),
        Event::order(1, d(1, 15), 40.0),
        Event::order(2, d(1, 20), 7.0),
        Event::order(3, d(2, 20), 7.0), // after the observation end
    ];
    let od = days_of(&events);
    // The default names the customer with an order after the end.
    let err = model_input(&od, &ModelInputOptions::new(at(2024, 1, 31))).unwrap_err();
    assert_eq!(
        err,
        Error::row(2, "last_order", "2024-02-20", IssueKind::AfterAsOf)
    );
    // lifetimes' truncation on request.
    let ignore = |end| ModelInputOptions {
        after_end: OrdersAfterEnd::Ignore,
        ..ModelInputOptions::new(end)
    };
    let daily = model_input(&od, &ignore(at(2024, 1, 31))).unwrap();
    assert_eq!(daily.ids, vec![CustomerId::Int(1), CustomerId::Int(2)]);
    assert_eq!(daily.frequency, vec![2.0, 0.0]);
    assert_eq!(daily.recency, vec![14.0, 0.0]);
    assert_eq!(daily.t, vec![30.0, 11.0]);
    assert_eq!(daily.monetary_value, vec![30.0, 0.0]); // (20 + 40) / 2
    let weekly = model_input(
        &od,
        &ModelInputOptions {
            unit: TimeUnit::Week,
            ..ignore(at(2024, 1, 31))
        },
    )
    .unwrap();
    // Weeks starting Mon 1 Jan and Mon 15 Jan; 31 Jan is in the week of Mon 29 Jan.
    assert_eq!(weekly.frequency, vec![1.0, 0.0]);
    assert_eq!(weekly.recency, vec![2.0, 0.0]);
    assert_eq!(weekly.t, vec![4.0, 2.0]);
    assert_eq!(weekly.monetary_value, vec![40.0, 0.0]);
    let with_first = model_input(
        &od,
        &ModelInputOptions {
            include_first: true,
            multiplier: 7.0,
            ..ignore(at(2024, 1, 31))
        },
    )
    .unwrap();
    assert_eq!(with_first.monetary_value, vec![25.0, 7.0]);
    assert_eq!(with_first.frequency, vec![3.0, 1.0]);
    assert_eq!(with_first.recency[0], 2.0);
}

/// The existing path: orders → EventLog → OrderDays → model_input
/// (orders without amounts are worth 0 there).
fn via_log(
    customers: CustomerColumn<'_>,
    times: &[Micros],
    amounts: Option<&[f64]>,
    options: &ModelInputOptions,
) -> Result<ModelInput> {
    let zeros = vec![0.0; times.len()];
    let cols = EventColumns::orders(customers, times, amounts.unwrap_or(&zeros));
    let log = EventLog::from_columns(&cols, LogOptions::default())?;
    model_input(&OrderDays::from_log(&log), options)
}

#[test]
fn direct_path_hand_computed() {
    let d = |m, day, h| to_micros(Utc.with_ymd_and_hms(2024, m, day, h, 0, 0).unwrap());
    // As in `hand_computed_daily_and_weekly`, rows shuffled; customer 3
    // buys only after the end, customer 4 in February and March.
    let ids = [3_i64, 1, 2, 1, 1, 1, 4, 4];
    let times = [
        d(2, 20, 0),
        d(1, 15, 9),
        d(1, 20, 23),
        d(1, 1, 15),
        d(1, 3, 1),
        d(1, 1, 2),
        d(3, 31, 23),
        d(2, 1, 0),
    ];
    let amounts = [7.0, 40.0, 7.0, 10.0, 20.0, 5.0, 3.0, 8.0];
    let run = |unit, multiplier, include_first, end| {
        let options = ModelInputOptions {
            unit,
            multiplier,
            observation_end: end,
            include_first,
            after_end: OrdersAfterEnd::Ignore,
        };
        model_input_from_orders(CustomerColumn::Int(&ids), &times, Some(&amounts), &options)
            .unwrap()
    };
    let daily = run(TimeUnit::Day, 1.0, false, at(2024, 1, 31));
    assert_eq!(daily.ids, vec![CustomerId::Int(1), CustomerId::Int(2)]);
    assert_eq!(daily.frequency, vec![2.0, 0.0]);
    assert_eq!(daily.recency, vec![14.0, 0.0]);
    assert_eq!(daily.t, vec![30.0, 11.0]);
    assert_eq!(daily.monetary_value, vec![30.0, 0.0]);
    let weekly = run(TimeUnit::Week, 1.0, false, at(2024, 1, 31));
    assert_eq!(weekly.frequency, vec![1.0, 0.0]);
    assert_eq!(weekly.recency, vec![2.0, 0.0]);
    assert_eq!(weekly.t, vec![4.0, 2.0]);
    assert_eq!(weekly.monetary_value, vec![40.0, 0.0]);
    let with_first = run(TimeUnit::Day, 7.0, true, at(2024, 1, 31));
    assert_eq!(with_first.frequency, vec![3.0, 1.0]);
    assert_eq!(with_first.monetary_value, vec![25.0, 7.0]); // (15 + 20 + 40) / 3
    assert_eq!(with_first.recency[0], 2.0);
    // Months, ending on 31 March (its last hour counts): customer 1's
    // orders are all in January, customer 4 buys in February and March.
    let monthly = run(TimeUnit::Month, 1.0, false, d(3, 31, 0));
    assert_eq!(monthly.ids, vec![1.into(), 2.into(), 3.into(), 4.into()]);
    assert_eq!(monthly.frequency, vec![0.0, 0.0, 0.0, 1.0]);
    assert_eq!(monthly.monetary_value, vec![0.0, 0.0, 0.0, 3.0]);
    // Elapsed months are mean Gregorian months: 1 Feb → 1 Mar is 29 days.
    let month = 365.2425 / 12.0;
    assert_eq!(monthly.recency[3], 29.0 / month);
    assert_eq!(monthly.t[0], 60.0 / month); // 1 Jan → 1 Mar
                                            // Nothing up to an end before every order.
    assert!(run(TimeUnit::Day, 1.0, false, at(2023, 12, 31)).is_empty());
    // Without amounts, monetary value is 0.
    let plain = model_input_from_orders(
        CustomerColumn::Str(&["b", "a", "b"]),
        &times[1..4],
        None,
        &ModelInputOptions::new(at(2024, 1, 31)),
    )
    .unwrap();
    assert_eq!(plain.ids, vec!["a".into(), "b".into()]);
    assert_eq!(plain.frequency, vec![0.0, 1.0]);
    assert_eq!(plain.monetary_value, vec![0.0, 0.0]);
}

#[test]
fn direct_path_rejects_bad_rows_like_the_log() {
    let ids = [1_i64, 2, 3, 4, 5, 6];
    let times = [0, 1, 2, 3, 4, 5];
    let amounts = [1.0, f64::NAN, -2.0, f64::INFINITY, 2e12, 3.0];
    let options = ModelInputOptions::new(10);
    let direct =
        model_input_from_orders(CustomerColumn::Int(&ids), &times, Some(&amounts), &options)
            .unwrap_err();
    let expected =
        via_log(CustomerColumn::Int(&ids), &times, Some(&amounts), &options).unwrap_err();
    assert_eq!(direct, expected);
    let Error::InvalidRows { issues } = direct else {
        panic!("not InvalidRows: {direct:?}");
    };
    let got: Vec<(usize, &str, &str, &IssueKind)> = issues
        .iter()
        .map(|i| (i.row, i.field, i.value.as_str(), &i.kind))
        .collect();
    assert_eq!(
        got,
        vec![
            (1, "amount", "", &IssueKind::Missing),
            (2, "amount", "-2", &IssueKind::Negative),
            (3, "amount", "inf", &IssueKind::NotFinite),
            (
                4,
                "amount",
                "2000000000000",
                &IssueKind::OutOfRange {
                    min: 0.0,
                    max: MAX_AMOUNT
                }
            ),
        ]
    );
    // Bad rows after the observation end are reported too.
    let late = model_input_from_orders(
        CustomerColumn::Int(&ids[..1]),
        &[MICROS_PER_DAY * 100],
        Some(&[-1.0]),
        &options,
    );
    assert!(matches!(late, Err(Error::InvalidRows { .. })));
    assert!(matches!(
        model_input_from_orders(CustomerColumn::Int(&ids), &times[1..], None, &options),
        Err(Error::LengthMismatch {
            field: "timestamp",
            ..
        })
    ));
    assert!(matches!(
        model_input_from_orders(
            CustomerColumn::Int(&ids),
            &times,
            Some(&amounts[1..]),
            &options
        ),
        Err(Error::LengthMismatch {
            field: "amount",
            ..
        })
    ));
    let zero = ModelInputOptions {
        multiplier: 0.0,
        ..options
    };
    assert_eq!(
        model_input_from_orders(CustomerColumn::Int(&ids), &times, None, &zero).unwrap_err(),
        via_log(CustomerColumn::Int(&ids), &times, None, &zero).unwrap_err()
    );
    // Seconds beyond the microsecond range are named, not wrapped.
    let far = model_input_from_order_times(
        CustomerColumn::Int(&ids[..2]),
        OrderTimes::new(InstantUnit::Seconds, &[5, i64::MAX / 999_999]),
        None,
        &options,
    );
    let Err(Error::InvalidRows { issues }) = far else {
        panic!("not InvalidRows: {far:?}");
    };
    assert_eq!(
        (issues.len(), issues[0].row, issues[0].field),
        (1, 1, "timestamp")
    );
    // Extreme instants and ids do not overflow.
    let extreme = model_input_from_orders(
        CustomerColumn::Int(&[i64::MIN, i64::MAX]),
        &[i64::MIN, i64::MAX],
        Some(&[1.0, 2.0]),
        &ModelInputOptions::new(i64::MAX),
    )
    .unwrap();
    assert_eq!(extreme.len(), 2);
    assert!(extreme.t.iter().all(|t| t.is_finite() && *t >= 0.0));
}

/// Id pools: dense small integers, sparse integers over the whole
/// range, and strings.
fn ids_of(pool: u8, picks: &[usize]) -> (Vec<i64>, Vec<&'static str>) {
    const SPARSE: [i64; 8] = [
        i64::MIN,
        -5_000_000_000,
        -3,
        0,
        7,
        1 << 40,
        i64::MAX - 1,
        i64::MAX,
    ];
    const TEXT: [&str; 8] = ["a", "b", "ab", "B", "", "é", "zz", "a "];
    match pool {
        0 => (picks.iter().map(|&p| p as i64 + 100).collect(), Vec::new()),
        1 => (picks.iter().map(|&p| SPARSE[p]).collect(), Vec::new()),
        _ => (Vec::new(), picks.iter().map(|&p| TEXT[p]).collect()),
    }
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(400))]
    #[test]
    fn direct_path_equals_log_path(
        rows in proptest::collection::vec(
            (0usize..8, -400i64..1200, 0i64..MICROS_PER_DAY, 0u32..100_000),
            0..80,
        ),
        pool in 0u8..3,
        unit in 0u8..3,
        multiplier in proptest::sample::select(vec![1.0, 7.0, 0.5, 30.4]),
        include_first: bool,
        with_amounts: bool,
        end_day in -500i64..1300,
        end_micros in 0i64..MICROS_PER_DAY,
        tick in 0usize..4,
        bad in proptest::option::of((
            0usize..80,
            proptest::sample::select(vec![f64::NAN, -1.5, f64::INFINITY, 1.5e12]),
        )),
    ) {
        // Days around 2020-01-01 (day 18262), in random order.
        let base = 18_262;
        let picks: Vec<usize> = rows.iter().map(|r| r.0).collect();
        let (int_ids, str_ids) = ids_of(pool, &picks);
        let customers = if pool < 2 {
            CustomerColumn::Int(&int_ids)
        } else {
            CustomerColumn::Str(&str_ids)
        };
        let mut times: Vec<Micros> =
            rows.iter().map(|r| (base + r.1) * MICROS_PER_DAY + r.2).collect();
        // The same instants in another tick unit: whole seconds or
        // milliseconds, or nanoseconds with a sub-microsecond part.
        let units = [InstantUnit::Seconds, InstantUnit::Millis, InstantUnit::Micros, InstantUnit::Nanos];
        let per_micro = [1_000_000, 1_000, 1, 1];
        times.iter_mut().for_each(|t| *t -= t.rem_euclid(per_micro[tick]));
        let ticks: Vec<i64> = times
            .iter()
            .zip(&rows)
            .map(|(&t, r)| match units[tick] {
                InstantUnit::Nanos => t * 1_000 + r.2 % 1_000,
                _ => t / per_micro[tick],
            })
            .collect();
        let in_unit = OrderTimes::new(units[tick], &ticks);
        let mut amounts: Vec<f64> = rows.iter().map(|r| f64::from(r.3) / 100.0).collect();
        // Now and then one bad amount, which both paths must report alike.
        if let Some((row, value)) = bad {
            if let Some(a) = amounts.get_mut(row) {
                *a = value;
            }
        }
        let amounts = with_amounts.then_some(&amounts[..]);
        let options = ModelInputOptions {
            unit: [TimeUnit::Day, TimeUnit::Week, TimeUnit::Month][unit as usize],
            multiplier,
            observation_end: (base + end_day) * MICROS_PER_DAY + end_micros,
            include_first,
            after_end: OrdersAfterEnd::Ignore,
        };
        let expected = via_log(customers, &times, amounts, &options);
        let auto = from_orders(customers, in_unit, amounts, &options, Distinct::Auto);
        let sorted = from_orders(customers, in_unit, amounts, &options, Distinct::Sort);
        proptest::prop_assert_eq!(&auto, &expected);
        proptest::prop_assert_eq!(&sorted, &expected);
    }
}

#[test]
fn holdout_split() {
    let d = |m, day| Utc.with_ymd_and_hms(2024, m, day, 9, 0, 0).unwrap();
    let events = vec![
        Event::order(1, d(1, 1), 10.0),
        Event::order(1, d(1, 10), 10.0),
        Event::order(1, d(2, 5), 30.0),
        Event::order(1, d(2, 5), 10.0),
        Event::order(1, d(2, 9), 20.0),
        Event::order(2, d(2, 2), 99.0), // first order in holdout: not a calibration customer
    ];
    let split = calibration_and_holdout(
        &days_of(&events),
        at(2024, 1, 31),
        at(2024, 2, 29),
        TimeUnit::Day,
        1.0,
        false,
    )
    .unwrap();
    assert_eq!(split.calibration.ids, vec![CustomerId::Int(1)]);
    assert_eq!(split.calibration.frequency, vec![1.0]);
    assert_eq!(split.frequency_holdout, vec![2.0]);
    // Per order, as lifetimes: (30 + 10 + 20) / 3 (per period it would be 30).
    assert_eq!(split.monetary_value_holdout, vec![20.0]);
    assert_eq!(split.duration_holdout, 29.0);
    // lifetimes' include_first_transaction: the first period counts in
    // frequency_cal and monetary_value_cal.
    let first = calibration_and_holdout(
        &days_of(&events),
        at(2024, 1, 31),
        at(2024, 2, 29),
        TimeUnit::Day,
        1.0,
        true,
    )
    .unwrap();
    assert_eq!(
        (
            first.calibration.frequency[0],
            first.calibration.monetary_value[0]
        ),
        (2.0, 10.0)
    );
    // No order in the holdout: a typed error whose message carries
    // lifetimes' wording ("There is no data available").
    let empty = calibration_and_holdout(
        &days_of(&events),
        at(2024, 2, 10),
        at(2024, 2, 20),
        TimeUnit::Day,
        1.0,
        false,
    )
    .unwrap_err();
    assert!(matches!(empty, crate::Error::EmptyInput { .. }));
    assert!(
        empty.to_string().contains("There is no data available"),
        "{empty}"
    );
    assert!(calibration_and_holdout(
        &days_of(&events),
        at(2024, 3, 1),
        at(2024, 2, 29),
        TimeUnit::Day,
        1.0,
        false,
    )
    .is_err());
    assert!(model_input(
        &days_of(&events),
        &ModelInputOptions {
            multiplier: 0.0,
            ..ModelInputOptions::new(0)
        }
    )
    .is_err());
}

/// Sub-daily units count `⌊t / unit⌋` periods of the instants (hand-computed),
/// in any tick unit, with the end inclusive at the unit's resolution; the
/// day-resolution paths refuse them.
#[test]
fn hand_computed_hours_minutes_seconds() {
    let t = |h, m, s| to_micros(Utc.with_ymd_and_hms(2024, 1, 1, h, m, s).unwrap());
    // Customer 1: 10:15, 10:45 (the same hour), 13:05:30. Customer 2: 20:50
    // and 21:00; the observation end is 20:30.
    let ids = [1_i64, 1, 1, 2, 2];
    let times = [
        t(10, 15, 0),
        t(10, 45, 0),
        t(13, 5, 30),
        t(20, 50, 0),
        t(21, 0, 0),
    ];
    let amounts = [1.0, 2.0, 4.0, 8.0, 16.0];
    let run = |unit, multiplier, ticks: InstantUnit| {
        let per = ticks.per_day() / 86_400; // ticks per second
        let scaled: Vec<i64> = times
            .iter()
            .map(|&m| m.div_euclid(1_000_000) * per)
            .collect();
        let options = ModelInputOptions {
            unit,
            multiplier,
            after_end: OrdersAfterEnd::Ignore,
            ..ModelInputOptions::new(t(20, 30, 0))
        };
        from_orders(
            CustomerColumn::Int(&ids),
            direct::OrderTimes::new(ticks, &scaled),
            Some(&amounts),
            &options,
            Distinct::Auto,
        )
        .unwrap()
    };
    for ticks in [
        InstantUnit::Seconds,
        InstantUnit::Micros,
        InstantUnit::Nanos,
    ] {
        let hours = run(TimeUnit::Hour, 1.0, ticks);
        // Hours 10, 10, 13 → periods {10, 13}; the end's hour is 20, so
        // customer 2's 20:50 order counts and 21:00 does not.
        assert_eq!(hours.ids, vec![CustomerId::Int(1), CustomerId::Int(2)]);
        assert_eq!(hours.frequency, vec![1.0, 0.0]);
        assert_eq!(hours.recency, vec![3.0, 0.0]);
        assert_eq!(hours.t, vec![10.0, 0.0]);
        assert_eq!(hours.monetary_value, vec![4.0, 0.0]);
        let half = run(TimeUnit::Hour, 2.0, ticks);
        assert_eq!((half.recency[0], half.t[0]), (1.5, 5.0));
        let minutes = run(TimeUnit::Minute, 1.0, ticks);
        // Minutes 615, 645, 785; end minute 1230; 20:50 is after it.
        assert_eq!(minutes.ids, vec![CustomerId::Int(1)]);
        assert_eq!(minutes.frequency, vec![2.0]);
        assert_eq!(minutes.recency, vec![170.0]);
        assert_eq!(minutes.t, vec![615.0]);
        assert_eq!(minutes.monetary_value, vec![3.0]);
        let seconds = run(TimeUnit::Second, 1.0, ticks);
        assert_eq!(seconds.recency, vec![10_230.0]);
        assert_eq!(seconds.t, vec![36_900.0]);
    }
    let err = model_input(
        &OrderDays::default(),
        &ModelInputOptions {
            unit: TimeUnit::Hour,
            ..ModelInputOptions::new(t(20, 30, 0))
        },
    )
    .unwrap_err();
    assert!(matches!(err, Error::InvalidParameter { name: "unit", .. }));
}

/// The log path: day units equal [`model_input`] over the log's
/// [`OrderDays`]; sub-daily units equal the direct path over its orders.
#[test]
fn model_input_of_log_in_every_unit() {
    let t = |h, m| Utc.with_ymd_and_hms(2024, 1, 1, h, m, 0).unwrap();
    let events = vec![
        Event::order(1, t(10, 15), 1.0),
        Event::order(1, t(10, 45), 2.0),
        Event::order(1, t(13, 5), 4.0),
        Event::order(2, t(20, 10), 8.0),
    ];
    let log = EventLog::from_events(&events, LogOptions::default()).unwrap();
    let end = to_micros(t(20, 30));
    for unit in [TimeUnit::Day, TimeUnit::Week, TimeUnit::Month] {
        let o = ModelInputOptions {
            unit,
            ..ModelInputOptions::new(end)
        };
        assert_eq!(
            model_input_of_log(&log, &o).unwrap(),
            model_input(&days_of(&events), &o).unwrap()
        );
    }
    let hours = model_input_of_log(
        &log,
        &ModelInputOptions {
            unit: TimeUnit::Hour,
            ..ModelInputOptions::new(end)
        },
    )
    .unwrap();
    assert_eq!(hours.frequency, vec![1.0, 0.0]);
    assert_eq!(hours.recency, vec![3.0, 0.0]);
    assert_eq!(hours.t, vec![10.0, 0.0]);
    assert_eq!(hours.monetary_value, vec![4.0, 0.0]);
}

#[test]
fn end_period_rule_hand_computed() {
    let d = |y, m, day| to_micros(Utc.with_ymd_and_hms(y, m, day, 12, 0, 0).unwrap());
    // End Wed 10 Jan 2024: its week runs Mon 8 – Sun 14 Jan, its month is January.
    let ids = [1_i64, 1, 1, 1, 2, 4, 4];
    let times = [
        d(2024, 1, 1),  // Mon, week of 1 Jan
        d(2024, 1, 10), // Wed, the end's day
        d(2024, 1, 12), // Fri, later in the end's week
        d(2024, 1, 15), // Mon, the week after
        d(2024, 1, 11), // Thu, customer 2's only order
        d(2023, 12, 4), // Mon, 5 weeks before the week of 8 Jan
        d(2024, 1, 20), // Sat, later in the end's month
    ];
    let amounts = [10.0, 20.0, 30.0, 40.0, 7.0, 5.0, 9.0];
    let both = |unit, after_end| {
        let options = ModelInputOptions {
            unit,
            after_end,
            ..ModelInputOptions::new(at(2024, 1, 10))
        };
        let direct =
            model_input_from_orders(CustomerColumn::Int(&ids), &times, Some(&amounts), &options)
                .unwrap();
        let logged = via_log(CustomerColumn::Int(&ids), &times, Some(&amounts), &options).unwrap();
        assert_eq!(direct, logged);
        direct
    };
    let (c1, c2, c4) = (CustomerId::Int(1), CustomerId::Int(2), CustomerId::Int(4));
    // Day rule: nothing after Wed 10 Jan counts.
    let weekly = both(TimeUnit::Week, OrdersAfterEnd::Ignore);
    assert_eq!(weekly.ids, vec![c1.clone(), c4.clone()]);
    assert_eq!(weekly.frequency, vec![1.0, 0.0]);
    assert_eq!(weekly.recency, vec![1.0, 0.0]);
    assert_eq!(weekly.t, vec![1.0, 5.0]);
    assert_eq!(weekly.monetary_value, vec![20.0, 0.0]);
    // Period rule: Thu 11 and Fri 12 Jan count (summed into the week of
    // 8 Jan: 20 + 30), Mon 15 and Sat 20 Jan do not; T is unchanged.
    let weekly = both(TimeUnit::Week, OrdersAfterEnd::EndPeriod);
    assert_eq!(weekly.ids, vec![c1.clone(), c2.clone(), c4.clone()]);
    assert_eq!(weekly.frequency, vec![1.0, 0.0, 0.0]);
    assert_eq!(weekly.recency, vec![1.0, 0.0, 0.0]);
    assert_eq!(weekly.t, vec![1.0, 0.0, 5.0]);
    assert_eq!(weekly.monetary_value, vec![50.0, 0.0, 0.0]);
    // Months: every January order counts under the period rule, so
    // customer 4 repeats (December, January) with recency = T = 31 days.
    let month = 365.2425 / 12.0;
    let monthly = both(TimeUnit::Month, OrdersAfterEnd::Ignore);
    assert_eq!(monthly.frequency, vec![0.0, 0.0]);
    assert_eq!(monthly.recency, vec![0.0, 0.0]);
    assert_eq!(monthly.t, vec![0.0, 31.0 / month]);
    let monthly = both(TimeUnit::Month, OrdersAfterEnd::EndPeriod);
    assert_eq!(monthly.ids, vec![c1, c2, c4]);
    assert_eq!(monthly.frequency, vec![0.0, 0.0, 1.0]);
    assert_eq!(monthly.recency, vec![0.0, 0.0, 31.0 / month]);
    assert_eq!(monthly.t, vec![0.0, 0.0, 31.0 / month]);
    assert_eq!(monthly.monetary_value, vec![0.0, 0.0, 9.0]);
    // Days: the two rules agree.
    assert_eq!(
        both(TimeUnit::Day, OrdersAfterEnd::Ignore),
        both(TimeUnit::Day, OrdersAfterEnd::EndPeriod)
    );
}
