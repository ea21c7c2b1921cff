//! The pieces behind lifetimes' private helpers: purchase periods
//! (`_find_first_transactions`), input checks (`_check_inputs`) and the
//! Pareto/NBD `ln A₀` (`_log_A_0`), against hand-computed values and an
//! independent quadrature.

use chrono::{TimeZone, Utc};
use retention_core::events::{CustomerId, Event, EventLog, LogOptions};
use retention_core::model_input::{
    model_input, purchase_periods, ModelInputOptions, OrdersAfterEnd, TimeUnit,
};
use retention_core::models::pareto_nbd::ParetoNbdParams;
use retention_core::models::{check_inputs, TransactionSummary};
use retention_core::summary::OrderDays;
use retention_core::time::to_micros;
use retention_core::{Error, IssueKind};

fn day(m: u32, d: u32) -> i64 {
    to_micros(Utc.with_ymd_and_hms(2024, m, d, 0, 0, 0).unwrap())
}

fn orders() -> OrderDays {
    let d = |m, day| Utc.with_ymd_and_hms(2024, m, day, 15, 0, 0).unwrap();
    // Customer 1: Mon 1 Jan (two orders), Wed 3 Jan, Mon 15 Jan; customer 2:
    // Sat 20 Jan; customer 3 only after the end.
    let events = vec![
        Event::order(1, d(1, 1), 10.0),
        Event::order(1, d(1, 1), 5.0),
        Event::order(1, d(1, 3), 20.0),
        Event::order(1, d(1, 15), 40.0),
        Event::order(2, d(1, 20), 7.0),
        Event::order(3, d(2, 20), 7.0),
    ];
    OrderDays::from_log(&EventLog::from_events(&events, LogOptions::default()).unwrap())
}

#[test]
fn purchase_periods_hand_computed() {
    let od = orders();
    let daily = purchase_periods(&od, TimeUnit::Day, day(1, 31)).unwrap();
    let ids: Vec<CustomerId> = [1, 1, 1, 2].map(CustomerId::Int).to_vec();
    assert_eq!(daily.ids, ids);
    assert_eq!(
        daily.period_start,
        vec![day(1, 1), day(1, 3), day(1, 15), day(1, 20)]
    );
    assert_eq!(daily.spend, vec![15.0, 20.0, 40.0, 7.0]);
    assert_eq!(daily.orders, vec![2, 1, 1, 1]);
    assert_eq!(daily.first, vec![true, false, false, true]);

    // Monday weeks: 1–7 Jan holds three orders of customer 1.
    let weekly = purchase_periods(&od, TimeUnit::Week, day(1, 31)).unwrap();
    assert_eq!(weekly.period_start, vec![day(1, 1), day(1, 15), day(1, 15)]);
    assert_eq!(weekly.spend, vec![35.0, 40.0, 7.0]);
    assert_eq!(weekly.orders, vec![3, 1, 1]);
    assert_eq!(weekly.first, vec![true, false, true]);

    // The end is inclusive at the period; later periods are left out.
    let short = purchase_periods(&od, TimeUnit::Day, day(1, 3)).unwrap();
    assert_eq!(short.spend, vec![15.0, 20.0]);
    // An end on Tuesday 2 Jan keeps Wednesday's order of the same week
    // (lifetimes keeps the periods starting on or before the end).
    let short = purchase_periods(&od, TimeUnit::Week, day(1, 2)).unwrap();
    assert_eq!(short.spend, vec![35.0]);
    let short = purchase_periods(&od, TimeUnit::Day, day(1, 2)).unwrap();
    assert_eq!(short.spend, vec![15.0]);
    let monthly = purchase_periods(&od, TimeUnit::Month, day(2, 29)).unwrap();
    assert_eq!(monthly.period_start, vec![day(1, 1), day(1, 1), day(2, 1)]);
    assert_eq!(monthly.spend, vec![75.0, 7.0, 7.0]);
}

#[test]
fn purchase_periods_count_the_model_input_frequency() {
    let od = orders();
    for unit in [TimeUnit::Day, TimeUnit::Week, TimeUnit::Month] {
        let end = day(2, 29);
        let p = purchase_periods(&od, unit, end).unwrap();
        let m = model_input(
            &od,
            &ModelInputOptions {
                unit,
                after_end: OrdersAfterEnd::Ignore,
                ..ModelInputOptions::new(end)
            },
        )
        .unwrap();
        for (id, x) in m.ids.iter().zip(&m.frequency) {
            let repeats = p
                .ids
                .iter()
                .zip(&p.first)
                .filter(|(i, f)| *i == id && !**f)
                .count();
            assert_eq!(repeats as f64, *x, "{unit:?} {id:?}");
        }
    }
}

#[test]
fn purchase_periods_reject_sub_daily_units() {
    let err = purchase_periods(&orders(), TimeUnit::Hour, day(1, 31)).unwrap_err();
    assert!(matches!(err, Error::InvalidParameter { .. }), "{err:?}");
}

#[test]
fn check_inputs_rules() {
    let (x, t_x, t, m) = (
        [0.0, 1.0, 2.0],
        [0.0, 1.0, 10.0],
        [5.0, 6.0, 15.0],
        [2.3, 490.0, 33.33],
    );
    assert_eq!(check_inputs(&x, Some(&t_x), Some(&t), Some(&m)), Ok(()));
    assert_eq!(check_inputs(&x, None, None, None), Ok(()));
    let bad = check_inputs(&x, Some(&[0.0, 7.0, 10.0]), Some(&t), None);
    let range = IssueKind::OutOfRange { min: 0.0, max: 6.0 };
    assert_eq!(bad, Err(Error::row(1, "recency", 7.0, range)));
    let bad = check_inputs(&x, Some(&[1.0, 1.0, 10.0]), Some(&t), None);
    let range = IssueKind::OutOfRange { min: 0.0, max: 0.0 };
    assert_eq!(bad, Err(Error::row(0, "recency", 1.0, range)));
    // Without T only the order of recency and frequency is checked.
    assert_eq!(
        check_inputs(&x, Some(&[0.0, 70.0, 10.0]), None, None),
        Ok(())
    );
    let bad = check_inputs(&[0.0, 0.5, 2.0], Some(&t_x), Some(&t), None);
    assert_eq!(
        bad,
        Err(Error::row(1, "frequency", 0.5, IssueKind::NotInteger))
    );
    let bad = check_inputs(&x, None, None, Some(&[0.0, 1.0, 1.0]));
    assert!(matches!(bad, Err(Error::InvalidRows { .. })), "{bad:?}");
    let bad = check_inputs(&x, Some(&[0.0, -1.0, 1.0]), Some(&t), None);
    assert_eq!(
        bad,
        Err(Error::row(1, "recency", -1.0, IssueKind::Negative))
    );
    assert!(matches!(
        check_inputs(&x, Some(&[0.0]), None, None),
        Err(Error::LengthMismatch { .. })
    ));
    assert!(matches!(
        check_inputs(&[], Some(&[]), Some(&[]), None),
        Err(Error::EmptyInput { .. })
    ));
}

/// `ln((r+s+x) ∫_{tₓ}^{T} (α+y)^{−(r+x)} (β+y)^{−(s+1)} dy)` by composite
/// Simpson's rule on 20 000 intervals (smooth integrand: error ~ h⁴).
fn ln_a0_simpson(p: [f64; 4], x: f64, t_x: f64, age: f64) -> f64 {
    let [r, alpha, s, beta] = p;
    let f = |y: f64| (-(r + x) * (alpha + y).ln() - (s + 1.0) * (beta + y).ln()).exp();
    let n = 20_000;
    let h = (age - t_x) / n as f64;
    let mut sum = f(t_x) + f(age);
    for i in 1..n {
        sum += f(t_x + i as f64 * h) * if i % 2 == 1 { 4.0 } else { 2.0 };
    }
    (r + s + x).ln() + (sum * h / 3.0).ln()
}

#[test]
fn pareto_ln_a0_matches_quadrature() {
    for p in [[0.553, 10.578, 0.606, 11.669], [0.553, 12.0, 0.606, 3.5]] {
        let m = ParetoNbdParams::new(p[0], p[1], p[2], p[3]).unwrap();
        let (x, t_x, t) = ([0.0, 2.0, 7.0], [0.0, 30.43, 20.0], [38.86, 38.86, 35.0]);
        let got = m.ln_a0(&TransactionSummary::new(&x, &t_x, &t)).unwrap();
        for i in 0..3 {
            let want = ln_a0_simpson(p, x[i], t_x[i], t[i]);
            assert!(
                (got[i] - want).abs() < 1e-8,
                "{p:?} row {i}: {} vs {want}",
                got[i]
            );
        }
    }
    // tₓ = T: A₀ = 0.
    let m = ParetoNbdParams::new(0.5, 10.0, 0.6, 11.0).unwrap();
    let v = m
        .ln_a0(&TransactionSummary::new(&[1.0], &[5.0], &[5.0]))
        .unwrap();
    assert_eq!(v, vec![f64::NEG_INFINITY]);
}

#[test]
fn pareto_ln_a0_finite_for_large_frequency() {
    // lifetimes' test_overflow_error: x in the hundreds overflows the direct
    // formula; the log-space value is finite and negative.
    let m = ParetoNbdParams::new(10.465, 7.98565181e-03, 3.0516, 2.820).unwrap();
    let data =
        TransactionSummary::new(&[400.0, 500.0, 500.0], &[5.0, 1.0, 4.0], &[6.0, 37.0, 37.0]);
    let v = m.ln_a0(&data).unwrap();
    assert!(v.iter().all(|v| v.is_finite() && *v < 0.0), "{v:?}");
    let bad = m.ln_a0(&TransactionSummary::new(&[1.0], &[7.0], &[5.0]));
    assert!(matches!(bad, Err(Error::InvalidRows { .. })), "{bad:?}");
}
