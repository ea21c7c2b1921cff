//! From transactions to the inputs of the buy-till-you-die models.
//!
//! For each customer with at least one order up to the observation end, with
//! orders bucketed into periods of a [`TimeUnit`] (day, week, month) and each
//! period's spend summed:
//!
//! * `frequency` = number of distinct purchase periods − 1 (repeat periods;
//!   with `include_first`, every purchase period, as lifetimes counts then);
//! * `recency` = (start of last purchase period − start of first) / unit;
//! * `T` = (start of the observation-end period − start of first) / unit;
//! * `monetary_value` = mean spend of the repeat periods (the first period is
//!   included with `include_first`), 0 when there are none;
//!
//! all divided by `multiplier`. This is the definition of
//! `lifetimes.utils.summary_data_from_transaction_data` (lifetimes 0.11.3,
//! `freq` = `D` / `W` / `M`, `freq_multiplier`), including its conventions: weeks
//! run Monday–Sunday (pandas `W`), and one "month" of elapsed time is the mean
//! Gregorian month, 365.2425 / 12 days (numpy's `timedelta64(1, "M")`).
//!
//! The observation end is inclusive at day resolution: every order on the
//! UTC day of `observation_end` counts.
//!
//! [`calibration_and_holdout`] splits at a calibration end, as
//! `lifetimes.utils.calibration_and_holdout_data` does: the calibration part is
//! the summary above with `observation_end = calibration_end`; for the
//! calibration customers, `frequency_holdout` counts the distinct purchase
//! periods in `(calibration_end, observation_end]`, `monetary_value_holdout`
//! is the mean value of the orders in that window (per order, not per
//! period, exactly as lifetimes averages the holdout transactions; 0 without
//! any), and `duration_holdout` is the number of
//! periods between the two ends divided by `multiplier`.
//!
//! Everything is computed from [`OrderDays`], which merges exactly across
//! partitions, so model inputs from partitioned data equal the single-pass ones.

use crate::error::{Error, Result};
use crate::events::CustomerId;
use crate::summary::{DayTotal, Money, OrderDays};
use crate::time::{Calendar, Micros, Period, MICROS_PER_DAY};

/// Period unit of the model inputs (lifetimes' `freq`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum TimeUnit {
    /// Days (`freq="D"`).
    #[default]
    Day,
    /// Monday–Sunday weeks (`freq="W"`).
    Week,
    /// Calendar months (`freq="M"`).
    Month,
}

impl TimeUnit {
    fn calendar(self) -> Calendar {
        Calendar::utc(match self {
            TimeUnit::Day => Period::Day,
            TimeUnit::Week => Period::ISO_WEEK,
            TimeUnit::Month => Period::Month,
        })
    }

    /// Length of one unit of elapsed time in days.
    pub fn days(self) -> f64 {
        match self {
            TimeUnit::Day => 1.0,
            TimeUnit::Week => 7.0,
            TimeUnit::Month => 365.2425 / 12.0,
        }
    }
}

/// Options of [`model_input`].
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct ModelInputOptions {
    /// Period unit.
    pub unit: TimeUnit,
    /// Divides recency and `T` (lifetimes' `freq_multiplier`; e.g. unit `Day`
    /// with multiplier 7 gives weeks counted from daily periods).
    pub multiplier: f64,
    /// Observation end (inclusive, at day resolution).
    pub observation_end: Micros,
    /// Count the first purchase period too: in `frequency` and in
    /// `monetary_value` (lifetimes' `include_first_transaction`).
    pub include_first: bool,
}

impl ModelInputOptions {
    /// Daily periods, multiplier 1, first purchase excluded.
    pub fn new(observation_end: Micros) -> Self {
        ModelInputOptions {
            unit: TimeUnit::Day,
            multiplier: 1.0,
            observation_end,
            include_first: false,
        }
    }
}

/// Per-customer model inputs, as parallel columns sorted by customer id.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ModelInput {
    /// Customer ids.
    pub ids: Vec<CustomerId>,
    /// Repeat purchase periods `x`.
    pub frequency: Vec<f64>,
    /// Time of last purchase since the first, `t_x`.
    pub recency: Vec<f64>,
    /// Age since the first purchase at the observation end, `T`.
    pub t: Vec<f64>,
    /// Mean spend per repeat period (0 without repeats).
    pub monetary_value: Vec<f64>,
}

impl ModelInput {
    /// Number of customers.
    pub fn len(&self) -> usize {
        self.ids.len()
    }

    /// Whether there are no customers.
    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }
}

/// Purchase periods of one customer: (period index, spend), ascending.
fn periods(
    days: &[DayTotal],
    calendar: &Calendar,
    from_day: i64,
    to_day: i64,
) -> Vec<(i64, Money)> {
    let mut out: Vec<(i64, Money)> = Vec::new();
    for d in days.iter().filter(|d| d.day > from_day && d.day <= to_day) {
        let p = calendar.index(d.day * MICROS_PER_DAY);
        match out.last_mut() {
            Some(last) if last.0 == p => last.1 += d.revenue,
            _ => out.push((p, d.revenue)),
        }
    }
    out
}

fn period_start_day(calendar: &Calendar, p: i64) -> i64 {
    calendar.start(p).div_euclid(MICROS_PER_DAY)
}

fn check_multiplier(multiplier: f64) -> Result<()> {
    if multiplier.is_finite() && multiplier > 0.0 {
        Ok(())
    } else {
        Err(Error::parameter(
            "multiplier",
            multiplier,
            "must be a finite number greater than 0",
        ))
    }
}

fn mean_spend(spend: &[(i64, Money)]) -> f64 {
    if spend.is_empty() {
        0.0
    } else {
        let total: Money = spend.iter().fold(Money(0), |acc, p| acc + p.1);
        total.to_f64() / spend.len() as f64
    }
}

/// Frequency, recency, `T` and monetary value per customer (see the module docs).
///
/// Customers whose first order is after the observation end are left out.
pub fn model_input(days: &OrderDays, options: &ModelInputOptions) -> Result<ModelInput> {
    check_multiplier(options.multiplier)?;
    let calendar = options.unit.calendar();
    let end_day = options.observation_end.div_euclid(MICROS_PER_DAY);
    let end_start = period_start_day(&calendar, calendar.index(end_day * MICROS_PER_DAY));
    let scale = options.unit.days() * options.multiplier;
    let mut out = ModelInput::default();
    for (id, customer_days) in days.iter() {
        let p = periods(customer_days, &calendar, i64::MIN, end_day);
        let (Some(first), Some(last)) = (p.first(), p.last()) else {
            continue;
        };
        let first_start = period_start_day(&calendar, first.0);
        let last_start = period_start_day(&calendar, last.0);
        let repeat = if options.include_first {
            &p[..]
        } else {
            &p[1..]
        };
        out.ids.push(id.clone());
        out.frequency.push(repeat.len() as f64);
        out.recency.push((last_start - first_start) as f64 / scale);
        out.t.push((end_start - first_start) as f64 / scale);
        out.monetary_value.push(mean_spend(repeat));
    }
    Ok(out)
}

/// Calibration summary plus holdout outcomes (see the module docs).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct CalibrationHoldout {
    /// Model inputs over the calibration period (`*_cal` columns in lifetimes).
    pub calibration: ModelInput,
    /// Distinct purchase periods in the holdout, per calibration customer.
    pub frequency_holdout: Vec<f64>,
    /// Mean order value in the holdout (0 without any order).
    pub monetary_value_holdout: Vec<f64>,
    /// Holdout length in units (the same for every customer).
    pub duration_holdout: f64,
}

/// Splits order history at `calibration_end` (see the module docs).
///
/// Errors when `calibration_end` is not before `observation_end` or when no
/// order falls in the holdout period (as lifetimes does).
pub fn calibration_and_holdout(
    days: &OrderDays,
    calibration_end: Micros,
    observation_end: Micros,
    unit: TimeUnit,
    multiplier: f64,
    include_first: bool,
) -> Result<CalibrationHoldout> {
    check_multiplier(multiplier)?;
    let cal_day = calibration_end.div_euclid(MICROS_PER_DAY);
    let obs_day = observation_end.div_euclid(MICROS_PER_DAY);
    if cal_day >= obs_day {
        return Err(Error::parameter(
            "calibration_end",
            crate::time::from_micros(calibration_end).to_rfc3339(),
            "must be on a day before observation_end",
        ));
    }
    let calibration = model_input(
        days,
        &ModelInputOptions {
            unit,
            multiplier,
            observation_end: calibration_end,
            include_first,
        },
    )?;
    let calendar = unit.calendar();
    let mut frequency_holdout = Vec::with_capacity(calibration.len());
    let mut monetary_value_holdout = Vec::with_capacity(calibration.len());
    let mut any = false;
    for (id, customer_days) in days.iter() {
        let holdout = periods(customer_days, &calendar, cal_day, obs_day);
        any |= !holdout.is_empty();
        if calibration.ids.binary_search(id).is_ok() {
            frequency_holdout.push(holdout.len() as f64);
            let (orders, spend) = customer_days
                .iter()
                .filter(|d| d.day > cal_day && d.day <= obs_day)
                .fold((0u64, Money(0)), |(n, m), d| {
                    (n + u64::from(d.orders), m + d.revenue)
                });
            monetary_value_holdout.push(if orders == 0 {
                0.0
            } else {
                spend.to_f64() / orders as f64
            });
        }
    }
    if !any {
        return Err(Error::EmptyInput {
            what: "orders in the holdout period (calibration_end, observation_end]",
        });
    }
    let periods_between =
        calendar.index(obs_day * MICROS_PER_DAY) - calendar.index(cal_day * MICROS_PER_DAY);
    Ok(CalibrationHoldout {
        calibration,
        frequency_holdout,
        monetary_value_holdout,
        duration_holdout: periods_between as f64 / multiplier,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::events::{Event, EventLog, LogOptions};
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
        let daily = model_input(&od, &ModelInputOptions::new(at(2024, 1, 31))).unwrap();
        assert_eq!(daily.ids, vec![CustomerId::Int(1), CustomerId::Int(2)]);
        assert_eq!(daily.frequency, vec![2.0, 0.0]);
        assert_eq!(daily.recency, vec![14.0, 0.0]);
        assert_eq!(daily.t, vec![30.0, 11.0]);
        assert_eq!(daily.monetary_value, vec![30.0, 0.0]); // (20 + 40) / 2
        let weekly = model_input(
            &od,
            &ModelInputOptions {
                unit: TimeUnit::Week,
                ..ModelInputOptions::new(at(2024, 1, 31))
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
                ..ModelInputOptions::new(at(2024, 1, 31))
            },
        )
        .unwrap();
        assert_eq!(with_first.monetary_value, vec![25.0, 7.0]);
        assert_eq!(with_first.frequency, vec![3.0, 1.0]);
        assert_eq!(with_first.recency[0], 2.0);
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
}
