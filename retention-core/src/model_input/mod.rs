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
//! all divided by `multiplier`. Sub-daily units ([`TimeUnit::Hour`],
//! [`TimeUnit::Minute`], [`TimeUnit::Second`], from the order instants, so
//! [`model_input_from_orders`] only) count periods `⌊t / unit⌋` of the UTC
//! instants and the observation end is inclusive at that resolution (every
//! order in the end's hour counts, for hours), as lifetimes' `freq="h"`
//! (`"min"`, `"s"`) periods do. This is the definition of
//! `lifetimes.utils.summary_data_from_transaction_data` (lifetimes 0.11.3,
//! `freq` = `D` / `W` / `M`, `freq_multiplier`), including its conventions: weeks
//! run Monday–Sunday (pandas `W`), and one "month" of elapsed time is the mean
//! Gregorian month, 365.2425 / 12 days (numpy's `timedelta64(1, "M")`).
//!
//! The observation end is inclusive at day resolution: every order on the
//! UTC day of `observation_end` counts, and orders later in the end's week or
//! month do not (the default, and [`OrdersAfterEnd::Ignore`]), because an
//! order after the end is not yet known at the end. lifetimes instead keeps
//! every order whose *period* is not after the end's period, so with weekly
//! periods and an end on a Wednesday the orders of that Thursday to Sunday
//! count too; [`OrdersAfterEnd::EndPeriod`] asks for that rule. `T` is
//! measured to the start of the end's period under both rules.
//!
//! [`calibration_and_holdout`] splits at a calibration end, as
//! `lifetimes.utils.calibration_and_holdout_data` does: the calibration part is
//! the summary above with `observation_end = calibration_end`, its orders
//! cut at the calibration end's day (lifetimes cuts them at the calibration
//! end's instant before it forms periods, so the rest of that week or month
//! waits for the holdout) and `T` measured to the start of its period; for the
//! calibration customers, `frequency_holdout` counts the distinct purchase
//! periods in `(calibration_end, observation_end]`, `monetary_value_holdout`
//! is the mean value of the orders in that window (per order, not per
//! period, exactly as lifetimes averages the holdout transactions; 0 without
//! any), and `duration_holdout` is the number of
//! periods between the two ends divided by `multiplier`.
//!
//! Everything is computed from [`OrderDays`], which merges exactly across
//! partitions, so model inputs from partitioned data equal the single-pass ones.
//!
//! # Straight from order columns
//!
//! [`model_input_from_orders`] gives the same [`ModelInput`] as
//! [`model_input`] over the [`OrderDays`] of an [`EventLog`] of the same
//! orders, without building either. Per customer it only needs the smallest
//! and largest purchase period `p_first`, `p_last`, the number `k` of
//! distinct purchase periods, the total spend `S` and the spend `S_first` of
//! period `p_first`, all up to the observation end. Then
//!
//! * `frequency = k − 1` (`k` with `include_first`);
//! * `monetary_value = (S − S_first) / (k − 1)` (`S / k` with
//!   `include_first`), 0 when the divisor is 0;
//!
//! and recency and `T` follow from `p_first`, `p_last` as above. Money is
//! summed in the same exact fixed point ([`Money`]) as [`OrderDays`], so
//! the results are bit-identical whatever the row order. The rows are read
//! twice: once for the id and time ranges, once to accumulate; `k` comes
//! from a bitmap of seen (customer, period) pairs when
//! `customers × periods` is small, and from sorting the pairs otherwise.
//! [`model_input_from_order_times`] takes instants in seconds, milliseconds
//! or nanoseconds as they are (the day of a row is `⌊ticks / ticks per
//! day⌋`, the day of its microsecond instant).
//!
//! [`EventLog`]: crate::events::EventLog

use crate::error::{Error, IssueKind, Issues, Result};
use crate::events::CustomerId;
use crate::summary::{DayTotal, Money, OrderDays};
use crate::time::{Calendar, Micros, Period, MICROS_PER_DAY};

mod cells;
mod direct;
mod of_log;
mod purchases;
#[cfg(test)]
mod tests;

pub use cells::model_input_from_cells;
pub use direct::{model_input_from_order_times, model_input_from_orders, OrderTimes};
pub use of_log::model_input_of_log;
pub use purchases::{purchase_periods, PurchasePeriods};

crate::vocab::codes! {
    /// Period unit of the model inputs (lifetimes' `freq`).
    #[derive(Default)]
    pub enum TimeUnit as "time_unit" {
        /// Days (`freq="D"`).
        #[default]
        Day = "day",
        /// Monday–Sunday weeks (`freq="W"`).
        Week = "week",
        /// Calendar months (`freq="M"`).
        Month = "month",
        /// Hours (`freq="h"`/`"H"`), UTC hours of the instants.
        Hour = "hour",
        /// Minutes (`freq="min"`/`"T"`).
        Minute = "minute",
        /// Seconds (`freq="s"`/`"S"`).
        Second = "second",
    }
}

impl TimeUnit {
    /// The calendar of a day-or-longer unit (sub-daily units count fixed
    /// spans of microseconds instead, see [`TimeUnit::sub_daily_micros`]).
    pub(crate) fn calendar(self) -> Calendar {
        Calendar::utc(match self {
            TimeUnit::Week => Period::ISO_WEEK,
            TimeUnit::Month => Period::Month,
            TimeUnit::Day | TimeUnit::Hour | TimeUnit::Minute | TimeUnit::Second => Period::Day,
        })
    }

    /// Length of one unit of elapsed time in days.
    pub fn days(self) -> f64 {
        match self {
            TimeUnit::Day => 1.0,
            TimeUnit::Week => 7.0,
            TimeUnit::Month => 365.2425 / 12.0,
            TimeUnit::Hour => 1.0 / 24.0,
            TimeUnit::Minute => 1.0 / 1_440.0,
            TimeUnit::Second => 1.0 / 86_400.0,
        }
    }

    /// Microseconds in one sub-daily unit (`None` for day, week, month).
    /// Sub-daily periods are `⌊t / unit⌋` of the UTC instant `t`.
    pub fn sub_daily_micros(self) -> Option<i64> {
        match self {
            TimeUnit::Hour => Some(3_600_000_000),
            TimeUnit::Minute => Some(60_000_000),
            TimeUnit::Second => Some(1_000_000),
            TimeUnit::Day | TimeUnit::Week | TimeUnit::Month => None,
        }
    }

    /// The error of the day-resolution paths ([`model_input`] over
    /// [`OrderDays`], [`calibration_and_holdout`]) for sub-daily units.
    pub(crate) fn day_resolution(self) -> Result<()> {
        if self.sub_daily_micros().is_some() {
            return Err(Error::parameter(
                "unit",
                self.as_str(),
                "sub-daily units need the order instants: use model_input_from_orders (day totals hold no time of day)",
            ));
        }
        Ok(())
    }
}

crate::vocab::codes! {
    /// What the model inputs do with orders after the observation end.
    #[derive(Default)]
    pub enum OrdersAfterEnd as "orders_after_end" {
        /// An error naming them, as every other computation as of an
        /// instant does (the default).
        #[default]
        Reject = "reject",
        /// Left out: the end is inclusive at its day (day, week and month
        /// units) or at its period (sub-daily units).
        Ignore = "ignore",
        /// The end is inclusive at its period: orders later in the end's
        /// week or month count too and later periods are left out, as
        /// `lifetimes.utils.summary_data_from_transaction_data` (0.11.3)
        /// keeps every transaction whose period is not after the end's
        /// period (the lifetimes compatibility layer's choice).
        EndPeriod = "end_period",
    }
}

/// Options of [`model_input`].
///
/// `Default` holds the epoch as the observation end: set it (or start from
/// [`ModelInputOptions::new`]).
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(default, deny_unknown_fields))]
pub struct ModelInputOptions {
    /// Period unit.
    pub unit: TimeUnit,
    /// Divides recency and `T` (lifetimes' `freq_multiplier`; e.g. unit `Day`
    /// with multiplier 7 gives weeks counted from daily periods). At least
    /// [`MIN_MULTIPLIER`].
    pub multiplier: f64,
    /// Observation end (inclusive, at day resolution; at period resolution
    /// with [`OrdersAfterEnd::EndPeriod`]).
    #[cfg_attr(feature = "serde", serde(with = "crate::time::serde_instant"))]
    pub observation_end: Micros,
    /// Count the first purchase period too: in `frequency` and in
    /// `monetary_value` (lifetimes' `include_first_transaction`).
    pub include_first: bool,
    /// Orders after the observation end: an error (default) or left out.
    pub after_end: OrdersAfterEnd,
}

impl Default for ModelInputOptions {
    fn default() -> Self {
        ModelInputOptions::new(0)
    }
}

impl ModelInputOptions {
    /// Daily periods, multiplier 1, first purchase excluded.
    pub fn new(observation_end: Micros) -> Self {
        ModelInputOptions {
            unit: TimeUnit::Day,
            multiplier: 1.0,
            observation_end,
            include_first: false,
            after_end: OrdersAfterEnd::Reject,
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
        let p = calendar.index(d.day.saturating_mul(MICROS_PER_DAY));
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

/// The smallest [`ModelInputOptions::multiplier`]: the times are divided by
/// it, and below it a time that chrono can hold (at most ~10⁸ days, ~2.3·10⁹
/// hours) could divide to infinity (a multiplier of 1e-320 gave `T = ∞`).
pub const MIN_MULTIPLIER: f64 = 1e-100;

fn check_multiplier(multiplier: f64) -> Result<()> {
    if multiplier.is_finite() && multiplier >= MIN_MULTIPLIER {
        Ok(())
    } else {
        Err(Error::parameter(
            "multiplier",
            multiplier,
            "must be a finite number of at least 1e-100 (MIN_MULTIPLIER)",
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
/// Orders on days after the observation end are an [`Error::InvalidRows`]
/// naming each such customer (row: its index in `days`, field
/// `last_order`) unless [`ModelInputOptions::after_end`] is
/// [`OrdersAfterEnd::Ignore`]; then they are left out, and so are customers
/// whose first order is after the end. With [`OrdersAfterEnd::EndPeriod`]
/// the orders of the end's whole period count and later ones are left out.
pub fn model_input(days: &OrderDays, options: &ModelInputOptions) -> Result<ModelInput> {
    check_multiplier(options.multiplier)?;
    options.unit.day_resolution()?;
    let calendar = options.unit.calendar();
    let end_day = options.observation_end.div_euclid(MICROS_PER_DAY);
    if options.after_end == OrdersAfterEnd::Reject {
        let mut issues = Issues::default();
        for (row, (_, customer_days)) in days.iter().enumerate() {
            if let Some(last) = customer_days.last().filter(|d| d.day > end_day) {
                let date = crate::time::from_micros(last.day.saturating_mul(MICROS_PER_DAY));
                issues.push(row, "last_order", date.date_naive(), IssueKind::AfterAsOf);
            }
        }
        issues.finish()?;
    }
    let end_period = calendar.index(end_day.saturating_mul(MICROS_PER_DAY));
    let end_start = period_start_day(&calendar, end_period);
    let last_day = match options.after_end {
        OrdersAfterEnd::EndPeriod => period_start_day(&calendar, end_period + 1) - 1,
        OrdersAfterEnd::Reject | OrdersAfterEnd::Ignore => end_day,
    };
    let scale = options.unit.days() * options.multiplier;
    let mut out = ModelInput::default();
    for (id, customer_days) in days.iter() {
        let p = periods(customer_days, &calendar, i64::MIN, last_day);
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
    unit.day_resolution()?;
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
            after_end: OrdersAfterEnd::Ignore,
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
            what: "There is no data available in the holdout period (calibration_end, observation_end]",
        });
    }
    let periods_between = calendar.index(obs_day.saturating_mul(MICROS_PER_DAY))
        - calendar.index(cal_day.saturating_mul(MICROS_PER_DAY));
    Ok(CalibrationHoldout {
        calibration,
        frequency_holdout,
        monetary_value_holdout,
        duration_holdout: periods_between as f64 / multiplier,
    })
}
