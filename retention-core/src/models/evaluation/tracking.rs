//! The tracking series: actual and expected cumulative repeat transactions
//! per period (see the module docs).

use std::borrow::Cow;

use super::{check_count, MAX_PERIODS};
use crate::error::{check_len, Issues};
use crate::model_input::TimeUnit;
use crate::models::TransactionModel;
use crate::summary::OrderDays;
use crate::table::{Column, Table};
use crate::time::{Micros, MICROS_PER_DAY};
use crate::{Error, Result};

const PERIODS_LIMIT: &str = "exceeds the limit of 20000 periods (MAX_PERIODS)";

/// Per-period counts behind a tracking series: period `k` (counted from the
/// period of the earliest order) is `period_starts[k]`; the three columns
/// have one entry per period.
#[derive(Debug, Clone, PartialEq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct TrackingCounts {
    /// First instant of each period (µs since the epoch, UTC).
    pub period_starts: Vec<Micros>,
    /// Customers whose first order is in the period (the cohort sizes `n_c`).
    pub first_purchases: Vec<f64>,
    /// Repeat transactions in the period (`a_p`: customers who ordered in
    /// it, other than in their first period).
    pub repeat_transactions: Vec<f64>,
}

/// The counts of the first `periods` periods of `unit`, from the period of
/// the earliest order in `days` (lifetimes' `t`).
///
/// Errors: no orders at all, `periods` 0 or above [`MAX_PERIODS`], a
/// sub-daily `unit` (the order days hold no time of day).
pub fn tracking_counts(days: &OrderDays, unit: TimeUnit, periods: usize) -> Result<TrackingCounts> {
    check_count("periods", periods, MAX_PERIODS, PERIODS_LIMIT)?;
    if unit.sub_daily_micros().is_some() {
        return Err(Error::parameter(
            "unit",
            unit.as_str(),
            "the tracking series counts order days: use day, week or month",
        ));
    }
    let calendar = unit.calendar();
    let period = |day: i64| calendar.index(day.saturating_mul(MICROS_PER_DAY));
    let start = days
        .iter()
        .filter_map(|(_, d)| d.iter().map(|d| d.day).min())
        .min()
        .ok_or(Error::EmptyInput { what: "orders" })?;
    let first = period(start);
    let mut counts = TrackingCounts {
        period_starts: (0..periods as i64)
            .map(|k| calendar.start(first + k))
            .collect(),
        first_purchases: vec![0.0; periods],
        repeat_transactions: vec![0.0; periods],
    };
    let mut seen: Vec<i64> = Vec::new();
    for (_, customer_days) in days.iter() {
        seen.clear();
        seen.extend(customer_days.iter().map(|d| period(d.day) - first));
        seen.sort_unstable();
        seen.dedup();
        let Some((&cohort, repeats)) = seen.split_first() else {
            continue;
        };
        if let Some(n) = usize::try_from(cohort)
            .ok()
            .and_then(|c| counts.first_purchases.get_mut(c))
        {
            *n += 1.0;
        }
        for &p in repeats {
            match usize::try_from(p)
                .ok()
                .and_then(|p| counts.repeat_transactions.get_mut(p))
            {
                Some(a) => *a += 1.0,
                None => break,
            }
        }
    }
    Ok(counts)
}

/// One row of a tracking series (see the module docs).
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct TrackingRow {
    /// Row number `k`, in model time units since the first period (`k + 1`
    /// units have elapsed at the end of the row).
    pub period: usize,
    /// Start of the last period the row counts (period `(k + 1)·m − 1`).
    pub period_start: Micros,
    /// Repeat transactions up to the end of the row.
    pub actual_cumulative: f64,
    /// The model's expectation of [`TrackingRow::actual_cumulative`].
    pub expected_cumulative: f64,
    /// Repeat transactions in the row's time unit.
    pub actual_incremental: f64,
    /// The model's expectation of [`TrackingRow::actual_incremental`].
    pub expected_incremental: f64,
}

/// The tracking series of `model` over `counts`, one row per `multiplier`
/// periods (`⌊periods / multiplier⌋` rows; the model's time unit is
/// `multiplier` periods).
///
/// Errors: columns of different lengths, a negative or non-finite count
/// ([`Error::InvalidRows`] naming the period and column), `multiplier` 0
/// or above the number of periods, more than [`MAX_PERIODS`] periods, and
/// the model's errors.
pub fn tracking_series(
    model: &dyn TransactionModel,
    counts: &TrackingCounts,
    multiplier: usize,
) -> Result<Vec<TrackingRow>> {
    let periods = counts.first_purchases.len();
    check_len(
        "repeat_transactions",
        periods,
        counts.repeat_transactions.len(),
    )?;
    check_len("period_starts", periods, counts.period_starts.len())?;
    check_count("periods", periods, MAX_PERIODS, PERIODS_LIMIT)?;
    check_count(
        "multiplier",
        multiplier,
        periods,
        "exceeds the number of periods: the series would have no row",
    )?;
    let mut issues = Issues::default();
    for (field, column) in [
        ("first_purchases", &counts.first_purchases),
        ("repeat_transactions", &counts.repeat_transactions),
    ] {
        for (row, &v) in column.iter().enumerate() {
            crate::error::check_non_negative(&mut issues, row, field, v);
        }
    }
    issues.finish()?;
    // E[X(d / m)] for every elapsed number of periods d = 1..periods.
    let m = multiplier as f64;
    let expected: Vec<f64> = (1..=periods)
        .map(|d| model.expected_purchases(d as f64 / m))
        .collect::<Result<_>>()?;
    let cohorts: Vec<(usize, f64)> = counts
        .first_purchases
        .iter()
        .copied()
        .enumerate()
        .filter(|&(_, n)| n > 0.0)
        .collect();
    let rows = periods / multiplier;
    let mut out = Vec::with_capacity(rows);
    let mut actual = 0.0;
    let (mut last_actual, mut last_expected) = (0.0, 0.0);
    for k in 0..rows {
        let i = (k + 1) * multiplier;
        let from = k * multiplier;
        actual += counts.repeat_transactions[from..i].iter().sum::<f64>();
        let predicted: f64 = cohorts
            .iter()
            .take_while(|&&(c, _)| c < i)
            .map(|&(c, n)| expected[i - c - 1] * n)
            .sum();
        let predicted = crate::models::validate::finite(
            "expected cumulative transactions",
            Some(k),
            predicted,
        )?;
        out.push(TrackingRow {
            period: k,
            period_start: counts.period_starts[i - 1],
            actual_cumulative: actual,
            expected_cumulative: predicted,
            actual_incremental: actual - last_actual,
            expected_incremental: predicted - last_expected,
        });
        (last_actual, last_expected) = (actual, predicted);
    }
    Ok(out)
}

impl Table for [TrackingRow] {
    fn columns(&self) -> Vec<(&'static str, Column<'_>)> {
        let f = |g: fn(&TrackingRow) -> f64| Column::F64(Cow::Owned(self.iter().map(g).collect()));
        vec![
            (
                "period",
                Column::Count(Cow::Owned(self.iter().map(|r| r.period).collect())),
            ),
            (
                "period_start",
                Column::Instants(Cow::Owned(
                    self.iter().map(|r| Some(r.period_start)).collect(),
                )),
            ),
            ("actual_cumulative", f(|r| r.actual_cumulative)),
            ("expected_cumulative", f(|r| r.expected_cumulative)),
            ("actual_incremental", f(|r| r.actual_incremental)),
            ("expected_incremental", f(|r| r.expected_incremental)),
        ]
    }
}

impl Table for TrackingCounts {
    fn columns(&self) -> Vec<(&'static str, Column<'_>)> {
        vec![
            (
                "period_start",
                Column::Instants(Cow::Owned(
                    self.period_starts.iter().map(|&t| Some(t)).collect(),
                )),
            ),
            (
                "first_purchases",
                Column::F64(Cow::Borrowed(&self.first_purchases)),
            ),
            (
                "repeat_transactions",
                Column::F64(Cow::Borrowed(&self.repeat_transactions)),
            ),
        ]
    }
}

/// [`tracking_series`] over the [`tracking_counts`] of `days`: the first
/// `periods` periods of `unit`, `multiplier` periods per model time unit
/// (lifetimes' `expected_cumulative_transactions` with `t = periods`).
///
/// Errors: those of both.
pub fn tracking(
    model: &dyn TransactionModel,
    days: &OrderDays,
    unit: TimeUnit,
    periods: usize,
    multiplier: usize,
) -> Result<Vec<TrackingRow>> {
    tracking_series(model, &tracking_counts(days, unit, periods)?, multiplier)
}
