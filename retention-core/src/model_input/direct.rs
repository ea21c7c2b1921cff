//! The direct path from order columns ([`model_input_from_orders`],
//! [`model_input_from_order_times`]) and its bitmap/sort machinery.

use super::{
    check_multiplier, period_start_day, ModelInput, ModelInputOptions, OrdersAfterEnd, TimeUnit,
};
use crate::error::{check_len, check_non_negative, Error, IssueKind, Issues, Result};
use crate::events::{intern_ints, intern_strs, CustomerColumn, CustomerId, MAX_AMOUNT};
use crate::summary::Money;
use crate::time::{civil_from_days, Micros, MICROS_PER_DAY};

/// Per-customer totals of the direct path, up to the observation end.
/// Periods are offsets from the period of the earliest row; money is in
/// [`Money`] units.
#[derive(Debug, Clone, Copy)]
struct Running {
    /// Smallest purchase period (`u32::MAX` before the first order).
    first: u32,
    /// Largest purchase period.
    last: u32,
    /// Spend of all orders.
    total: i128,
    /// Spend of the orders in period `first`.
    first_spend: i128,
}

impl Running {
    const EMPTY: Running = Running {
        first: u32::MAX,
        last: 0,
        total: 0,
        first_spend: 0,
    };

    #[inline]
    fn add(&mut self, period: u32, spend: i64) {
        let spend = i128::from(spend);
        if period < self.first {
            self.first = period;
            self.first_spend = spend;
        } else if period == self.first {
            self.first_spend = self.first_spend.wrapping_add(spend);
        }
        self.last = self.last.max(period);
        // Cannot overflow: every amount is below 2^60 units, so 2^67 of
        // them fit in an i128.
        self.total = self.total.wrapping_add(spend);
    }
}

/// `Money::from_f64(a).0` for a valid amount (`0 ≤ a ≤ MAX_AMOUNT`, so the
/// product is non-negative and below 2^63), without the sign branches.
#[inline]
fn units(a: f64) -> i64 {
    // Below 2^52 adding 0.5 and truncating rounds half up; from 2^52 on
    // every float is a whole number already.
    const WHOLE: f64 = 4_503_599_627_370_496.0;
    let y = a * Money::SCALE;
    (if y < WHOLE { y + 0.5 } else { y }) as i64
}

/// How the direct path counts distinct (customer, period) pairs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Distinct {
    /// A bitmap when it is small, sorting otherwise.
    Auto,
    /// Always sort (to test the fallback on small inputs).
    #[cfg(test)]
    Sort,
}

/// Largest bitmap of (customer, period) pairs, in bits, besides the limit
/// of 64 bits per input row: 2^30 bits are 128 MiB.
const MAX_BITMAP_BITS: u64 = 1 << 30;

/// Validates order amounts as an [`EventLog`](crate::events::EventLog) of
/// orders does: missing (NaN), not finite, negative and above
/// [`MAX_AMOUNT`] are reported per row.
fn check_amounts(amounts: Option<&[f64]>) -> Result<()> {
    let Some(amounts) = amounts else {
        return Ok(());
    };
    let mut issues = Issues::default();
    for (row, &v) in amounts.iter().enumerate() {
        if v.is_nan() {
            issues.push(row, "amount", "", IssueKind::Missing);
        } else if check_non_negative(&mut issues, row, "amount", v) && v > MAX_AMOUNT {
            issues.push(
                row,
                "amount",
                v,
                IssueKind::OutOfRange {
                    min: 0.0,
                    max: MAX_AMOUNT,
                },
            );
        }
    }
    issues.finish()
}

/// The rows of the direct path and what is known about them up front.
/// Instants are ticks of the input's unit.
struct Scan<'a> {
    times: &'a [i64],
    amounts: Option<&'a [f64]>,
    /// Last instant counted (the end of the observation-end day).
    last_included: i64,
    /// Day of the earliest row.
    first_day: i64,
    /// Day of the latest counted row.
    last_day: i64,
    /// Period of the earliest row: period offsets count from it.
    first_period: i64,
    /// Ticks per period of a sub-daily unit (periods are `⌊t / ticks⌋`).
    sub_daily: Option<i64>,
}

/// Largest day range for which month indices are looked up in a table
/// (besides one entry per row).
const MONTH_TABLE_DAYS: i64 = 1 << 20;

impl Scan<'_> {
    /// One pass over the rows up to `last_included`, customers given by
    /// `slot(customers[i])` (called for counted rows only; `state` grows to
    /// the largest index seen); periods are those of `unit.calendar().index` in
    /// UTC (days since the epoch, Monday weeks — day 0 was a Thursday —,
    /// `12 × year + month − 1`), as offsets from `first_period`.
    ///
    /// Returns whether every amount (counted or not) is valid; when not,
    /// the totals are meaningless and [`check_amounts`] names the rows.
    #[must_use]
    fn run<const TICKS_PER_DAY: i64, T: Copy, S, M>(
        &self,
        unit: TimeUnit,
        customers: &[T],
        slot: S,
        state: &mut Vec<Running>,
        mark: M,
    ) -> bool
    where
        S: FnMut(T) -> u32,
        M: FnMut(u32, u32),
    {
        // Counted rows are at or after the first day's midnight, so day
        // offsets are unsigned divisions.
        // (The difference is below 2^64, so it is exact modulo 2^64 even
        // when the origin itself is below i64::MIN.)
        if let Some(per) = self.sub_daily {
            // Counted rows are at or after the first period's start.
            let origin = (i128::from(self.first_period) * i128::from(per)) as u64;
            return self.rows(customers, slot, state, mark, move |t| {
                ((t as u64).wrapping_sub(origin) / per as u64) as u32
            });
        }
        let origin = (i128::from(self.first_day) * i128::from(TICKS_PER_DAY)) as u64;
        let day = move |t: i64| (t as u64).wrapping_sub(origin) / TICKS_PER_DAY as u64;
        match unit {
            // Handled above.
            TimeUnit::Hour | TimeUnit::Minute | TimeUnit::Second => true,
            TimeUnit::Day => self.rows(customers, slot, state, mark, |t| day(t) as u32),
            TimeUnit::Week => {
                // Week of day d: (d + 3) div 7; the first day is `lead` days
                // into the first week.
                let lead = (self.first_day + 3).rem_euclid(7) as u64;
                self.rows(customers, slot, state, mark, |t| {
                    ((day(t) + lead) / 7) as u32
                })
            }
            TimeUnit::Month => {
                let month = |d: i64| {
                    let (y, m, _) = civil_from_days(d);
                    (y * 12 + (m - 1) - self.first_period) as u32
                };
                let range = self.last_day - self.first_day + 1;
                if range <= MONTH_TABLE_DAYS.min(self.times.len() as i64 + 1024) {
                    let table: Vec<u32> = (self.first_day..=self.last_day).map(month).collect();
                    let lookup = |t: i64| {
                        let d = day(t);
                        table
                            .get(d as usize)
                            .copied()
                            .unwrap_or_else(|| month(self.first_day + d as i64))
                    };
                    self.rows(customers, slot, state, mark, lookup)
                } else {
                    let first_day = self.first_day;
                    self.rows(customers, slot, state, mark, |t| {
                        month(first_day + day(t) as i64)
                    })
                }
            }
        }
    }

    /// [`Scan::run`] for instants in ticks of `unit`.
    fn run_in<T: Copy, S, M>(
        &self,
        ticks: InstantUnit,
        unit: TimeUnit,
        customers: &[T],
        slot: S,
        state: &mut Vec<Running>,
        mark: M,
    ) -> bool
    where
        S: FnMut(T) -> u32,
        M: FnMut(u32, u32),
    {
        const D: i64 = 86_400;
        let (c, st) = (customers, state);
        match ticks {
            InstantUnit::Seconds => self.run::<D, T, S, M>(unit, c, slot, st, mark),
            InstantUnit::Millis => self.run::<{ D * 1_000 }, T, S, M>(unit, c, slot, st, mark),
            InstantUnit::Micros => self.run::<{ D * 1_000_000 }, T, S, M>(unit, c, slot, st, mark),
            InstantUnit::Nanos => {
                self.run::<{ D * 1_000_000_000 }, T, S, M>(unit, c, slot, st, mark)
            }
        }
    }

    /// Updates `state` and hands every (customer, period offset) pair to
    /// `mark`; whether every amount is valid.
    #[inline(always)]
    fn rows<T: Copy, S, M, P>(
        &self,
        customers: &[T],
        mut slot: S,
        state: &mut Vec<Running>,
        mut mark: M,
        period: P,
    ) -> bool
    where
        S: FnMut(T) -> u32,
        M: FnMut(u32, u32),
        P: Fn(i64) -> u32,
    {
        let n = customers.len().min(self.times.len());
        let (customers, times) = (&customers[..n], &self.times[..n]);
        let mut row = |c: u32, t: i64, spend: i64| {
            let p = period(t);
            let i = c as usize;
            if i >= state.len() {
                state.resize(i + 1, Running::EMPTY);
            }
            if let Some(s) = state.get_mut(i) {
                s.add(p, spend);
            }
            mark(c, p);
        };
        match self.amounts {
            Some(amounts) => {
                let amounts = &amounts[..n.min(amounts.len())];
                let mut valid = true;
                for i in 0..amounts.len() {
                    let (c, t, a) = (customers[i], times[i], amounts[i]);
                    // Branch-free: almost all inputs are clean.
                    valid &= (0.0..=MAX_AMOUNT).contains(&a);
                    if t <= self.last_included {
                        row(slot(c), t, units(a));
                    }
                }
                valid
            }
            None => {
                for i in 0..n {
                    let t = times[i];
                    if t <= self.last_included {
                        row(slot(customers[i]), t, 0);
                    }
                }
                true
            }
        }
    }
}

/// Seen (customer, period) pairs: whole 64-bit words per customer, so that
/// a customer's distinct periods are the popcount of its words.
struct PeriodBitmap {
    words: Vec<u64>,
    /// Words per customer.
    stride: usize,
}

impl PeriodBitmap {
    /// Words per customer for `span` periods.
    fn stride(span: u64) -> u64 {
        span.div_ceil(64)
    }

    fn new(customers: usize, span: u64) -> Self {
        let stride = Self::stride(span) as usize;
        PeriodBitmap {
            words: vec![0; customers * stride],
            stride,
        }
    }

    /// Marks period `offset` of customer `c`, growing the bitmap to `c`.
    #[inline]
    fn mark(&mut self, c: u32, offset: u32) {
        let i = c as usize * self.stride + (offset >> 6) as usize;
        if i >= self.words.len() {
            self.words.resize((c as usize + 1) * self.stride, 0);
        }
        if let Some(w) = self.words.get_mut(i) {
            *w |= 1 << (offset & 63);
        }
    }

    /// Distinct periods per customer (0 for customers without a counted row).
    fn counts(&self, state: &[Running]) -> Vec<u32> {
        state
            .iter()
            .zip(self.words.chunks_exact(self.stride.max(1)))
            .map(|(s, w)| {
                if s.first == u32::MAX {
                    0
                } else {
                    w.iter().map(|x| x.count_ones()).sum()
                }
            })
            .collect()
    }
}

/// What the direct path needs to know before its pass over the rows.
struct Extent {
    /// Smallest and largest integer id (`None` for text ids or no rows).
    ids: Option<(i64, i64)>,
    /// Earliest instant of all rows and latest counted one (`None` when no
    /// row is counted). Uncounted rows are later than every counted one, so
    /// the first is the earliest counted row whenever there is one.
    times: Option<(i64, i64)>,
    /// Earliest and latest instant of all rows.
    all_times: (i64, i64),
}

fn extent(customers: CustomerColumn<'_>, times: &[i64], last_included: Option<i64>) -> Extent {
    let (mut id_lo, mut id_hi) = (i64::MAX, i64::MIN);
    let (mut t_lo, mut t_hi, mut t_max, mut counted) = (i64::MAX, i64::MIN, i64::MIN, false);
    // Nothing is counted when the end lies before every representable instant.
    let (last, any) = last_included.map_or((i64::MIN, false), |l| (l, true));
    let mut time = |t: i64| {
        let c = any & (t <= last);
        t_lo = t_lo.min(t);
        t_max = t_max.max(t);
        t_hi = if c { t_hi.max(t) } else { t_hi };
        counted |= c;
    };
    let ids = match customers {
        CustomerColumn::Int(ids) => {
            for (&id, &t) in ids.iter().zip(times) {
                id_lo = id_lo.min(id);
                id_hi = id_hi.max(id);
                time(t);
            }
            (!ids.is_empty()).then_some((id_lo, id_hi))
        }
        CustomerColumn::Str(_) => {
            times.iter().for_each(|&t| time(t));
            None
        }
    };
    Extent {
        ids,
        times: counted.then_some((t_lo, t_hi)),
        all_times: (t_lo, t_max),
    }
}

/// The model inputs from the per-customer totals, for `(id, index into
/// state)` pairs in id order (customers without a counted period are
/// skipped).
fn finish(
    ids: impl Iterator<Item = (CustomerId, usize)>,
    state: &[Running],
    periods: &[u32],
    options: &ModelInputOptions,
    first_period: i64,
    end_start: i64,
) -> ModelInput {
    let calendar = options.unit.calendar();
    let scale = if options.unit.sub_daily_micros().is_some() {
        options.multiplier
    } else {
        options.unit.days() * options.multiplier
    };
    let customers = periods.iter().filter(|&&k| k > 0).count();
    let mut out = ModelInput {
        ids: Vec::with_capacity(customers),
        frequency: Vec::with_capacity(customers),
        recency: Vec::with_capacity(customers),
        t: Vec::with_capacity(customers),
        monetary_value: Vec::with_capacity(customers),
    };
    for (id, i) in ids {
        let (Some(s), Some(&k)) = (state.get(i), periods.get(i)) else {
            continue;
        };
        if k == 0 {
            continue;
        }
        let (first_start, last_start) = if options.unit.sub_daily_micros().is_some() {
            // Periods of equal length: offsets are elapsed units (the scale
            // below is then the multiplier alone).
            (
                first_period + i64::from(s.first),
                first_period + i64::from(s.last),
            )
        } else {
            (
                period_start_day(&calendar, first_period + i64::from(s.first)),
                period_start_day(&calendar, first_period + i64::from(s.last)),
            )
        };
        let (count, spend) = if options.include_first {
            (k, Money(s.total))
        } else {
            (k - 1, Money(s.total - s.first_spend))
        };
        out.ids.push(id);
        out.frequency.push(f64::from(count));
        out.recency.push((last_start - first_start) as f64 / scale);
        out.t.push((end_start - first_start) as f64 / scale);
        out.monetary_value.push(if count == 0 {
            0.0
        } else {
            spend.to_f64() / f64::from(count)
        });
    }
    out
}

/// Frequency, recency, `T` and monetary value per customer straight from
/// order columns: equal to [`model_input`](super::model_input) over the
/// [`OrderDays`](crate::summary::OrderDays) of an
/// [`EventLog`](crate::events::EventLog) built from the same orders (see
/// the module docs), in a fraction of the time.
///
/// `amounts` are order values; without them every order is worth 0 (and so
/// is `monetary_value`). Errors: [`Error::LengthMismatch`] for columns of
/// different lengths, [`Error::InvalidRows`] naming every bad amount (row,
/// field `amount`, value: missing, not finite, negative or above
/// [`MAX_AMOUNT`]), and an invalid multiplier, in that order of checking.
///
/// ```
/// use retention_core::events::CustomerColumn;
/// use retention_core::model_input::{model_input_from_orders, ModelInputOptions};
///
/// const DAY: i64 = 86_400_000_000;
/// let ids = [2_i64, 1, 2, 2];
/// let times = [3 * DAY, 0, 0, 3 * DAY + 5];
/// let amounts = [10.0, 4.0, 6.0, 2.0];
/// let m = model_input_from_orders(
///     CustomerColumn::Int(&ids),
///     &times,
///     Some(&amounts),
///     &ModelInputOptions::new(9 * DAY),
/// )?;
/// assert_eq!(m.ids, vec![1.into(), 2.into()]);
/// assert_eq!(m.frequency, vec![0.0, 1.0]); // customer 2 bought on days 0 and 3
/// assert_eq!(m.recency, vec![0.0, 3.0]);
/// assert_eq!(m.t, vec![9.0, 9.0]);
/// assert_eq!(m.monetary_value, vec![0.0, 12.0]); // day 3: 10 + 2
/// # Ok::<(), retention_core::Error>(())
/// ```
pub fn model_input_from_orders(
    customers: CustomerColumn<'_>,
    timestamps: &[Micros],
    amounts: Option<&[f64]>,
    options: &ModelInputOptions,
) -> Result<ModelInput> {
    let times = OrderTimes::new(InstantUnit::Micros, timestamps);
    from_orders(customers, times, amounts, options, Distinct::Auto)
}

/// [`model_input_from_orders`] with instants in another unit (seconds,
/// milliseconds or nanoseconds, as columnar data often has them), read
/// without converting: the day of a row is `⌊ticks / ticks per day⌋`,
/// which equals the day of its microsecond instant (`⌊ns / 1000⌋` for
/// nanoseconds). Instants must convert to [`Micros`] without overflow (the
/// range every [`EventLog`](crate::events::EventLog) instant has); others
/// are [`Error::InvalidRows`] naming row, field `timestamp` and value.
pub fn model_input_from_order_times(
    customers: CustomerColumn<'_>,
    times: OrderTimes<'_>,
    amounts: Option<&[f64]>,
    options: &ModelInputOptions,
) -> Result<ModelInput> {
    from_orders(customers, times, amounts, options, Distinct::Auto)
}

use crate::events::InstantUnit;

impl InstantUnit {
    /// Ticks in one day.
    pub fn per_day(self) -> i64 {
        86_400
            * match self {
                InstantUnit::Seconds => 1,
                InstantUnit::Millis => 1_000,
                InstantUnit::Micros => 1_000_000,
                InstantUnit::Nanos => 1_000_000_000,
            }
    }

    /// Largest magnitude that converts to microseconds without overflow
    /// (`None`: every value does).
    fn limit(self) -> Option<i64> {
        match self {
            InstantUnit::Seconds => Some(i64::MAX / 1_000_000),
            InstantUnit::Millis => Some(i64::MAX / 1_000),
            InstantUnit::Micros | InstantUnit::Nanos => None,
        }
    }
}

/// Order instants: integer ticks of one [`InstantUnit`] since the Unix epoch (UTC).
#[derive(Debug, Clone, Copy)]
pub struct OrderTimes<'a> {
    unit: InstantUnit,
    ticks: &'a [i64],
}

impl<'a> OrderTimes<'a> {
    /// Ticks of `unit`.
    pub fn new(unit: InstantUnit, ticks: &'a [i64]) -> Self {
        OrderTimes { unit, ticks }
    }
}

pub(super) fn from_orders(
    customers: CustomerColumn<'_>,
    times: OrderTimes<'_>,
    amounts: Option<&[f64]>,
    options: &ModelInputOptions,
    distinct: Distinct,
) -> Result<ModelInput> {
    let (timestamps, tick) = (times.ticks, times.unit);
    let per_day = tick.per_day();
    let n = match customers {
        CustomerColumn::Int(v) => v.len(),
        CustomerColumn::Str(v) => v.len(),
    };
    check_len("timestamp", n, timestamps.len())?;
    if let Some(a) = amounts {
        check_len("amount", n, a.len())?;
    }
    // Errors come in the order of the log path: rows (amounts), number of
    // customers, multiplier. Amounts are screened during the pass over the
    // rows, so the multiplier verdict waits until then.
    let multiplier = check_multiplier(options.multiplier);
    let calendar = options.unit.calendar();
    let end_day = options.observation_end.div_euclid(MICROS_PER_DAY);
    // Sub-daily units: ticks per period (exact: a unit is a whole number of
    // seconds, a tick at most one second).
    let sub_daily = options.unit.sub_daily_micros().map(|u| {
        (
            u,
            (i128::from(u) * i128::from(per_day) / i128::from(MICROS_PER_DAY)) as i64,
        )
    });
    let (end_start, last_included) = if let Some((unit_micros, per)) = sub_daily {
        // Every instant in the period of the observation end counts.
        let end_period = options.observation_end.div_euclid(unit_micros);
        let last = (i128::from(end_period) + 1) * i128::from(per) - 1;
        let last = if last > i128::from(i64::MAX) {
            Some(i64::MAX)
        } else {
            i64::try_from(last).ok()
        };
        (end_period, last)
    } else {
        let end_period = calendar.index(end_day.saturating_mul(MICROS_PER_DAY));
        let end_start = period_start_day(&calendar, end_period);
        // The last counted day: the end's, or the last of its period.
        let end_day = match options.after_end {
            OrdersAfterEnd::EndPeriod => {
                period_start_day(&calendar, end_period.saturating_add(1)) - 1
            }
            OrdersAfterEnd::Reject | OrdersAfterEnd::Ignore => end_day,
        };
        // Every instant on that day counts (in ticks; `None` when that day
        // ends before the first representable tick).
        let last_included = match end_day.checked_mul(per_day) {
            Some(start) => Some(start.saturating_add(per_day - 1)),
            None if end_day > 0 => Some(i64::MAX),
            None => None,
        };
        (end_start, last_included)
    };
    let extent = extent(customers, timestamps, last_included);
    if let Some(limit) = tick
        .limit()
        .filter(|&l| extent.all_times.0 < -l || extent.all_times.1 > l)
    {
        let mut issues = Issues::default();
        for (row, &t) in timestamps.iter().enumerate() {
            if !(-limit..=limit).contains(&t) {
                let range = IssueKind::OutOfRange {
                    min: -limit as f64,
                    max: limit as f64,
                };
                issues.push(row, "timestamp", t, range);
            }
        }
        issues.finish()?;
    }
    let last_included = last_included.unwrap_or(i64::MIN);
    if options.after_end == OrdersAfterEnd::Reject && extent.all_times.1 > last_included {
        let mut issues = Issues::default();
        for (row, &t) in timestamps.iter().enumerate() {
            if t > last_included {
                // Past the (representable) end, so within the tick limits.
                let micros = t.div_euclid(per_day / 86_400) * 1_000_000
                    + t.rem_euclid(per_day / 86_400) * 1_000_000 / (per_day / 86_400);
                let value = crate::time::from_micros(micros).to_rfc3339();
                issues.push(row, "timestamp", value, IssueKind::AfterAsOf);
            }
        }
        issues.finish()?;
    }
    let Some((earliest, latest)) = extent.times else {
        check_amounts(amounts)?;
        multiplier?;
        return Ok(ModelInput::default());
    };
    // Period indices grow with time, so every counted row's period lies in
    // `first_period ..= last_period`.
    let (first_day, last_day) = (earliest.div_euclid(per_day), latest.div_euclid(per_day));
    // (Saturation keeps the day: i64::MIN lies on the earliest day.)
    let (first_period, span) = if let Some((_, per)) = sub_daily {
        let (first, last) = (earliest.div_euclid(per), latest.div_euclid(per));
        let span = (i128::from(last) - i128::from(first) + 1) as u64;
        if span > u64::from(u32::MAX) {
            check_amounts(amounts)?;
            return Err(Error::parameter(
                "unit",
                options.unit.as_str(),
                "more than 2^32 − 1 periods between the first and the last order: use a longer unit",
            ));
        }
        (first, span)
    } else {
        let first_period = calendar.index(first_day.saturating_mul(MICROS_PER_DAY));
        let span =
            (calendar.index(last_day.saturating_mul(MICROS_PER_DAY)) - first_period + 1) as u64;
        (first_period, span)
    };
    let scan = Scan {
        times: timestamps,
        amounts,
        last_included,
        first_day,
        last_day,
        first_period,
        sub_daily: sub_daily.map(|(_, per)| per),
    };
    let bitmap_limit = MAX_BITMAP_BITS.min(64 * n as u64 + (1 << 20));

    // Integer ids over a modest range need no interning pass: a table over
    // the range numbers customers as they first appear in the scan, which
    // keeps their state compact, and reading it in id order gives the
    // customers sorted.
    if let (Some((min, max)), CustomerColumn::Int(v)) = (extent.ids, customers) {
        // In u128: ids spanning i64::MIN..=i64::MAX have 2^64 values.
        let span_ids = (i128::from(max) - i128::from(min)) as u128 + 1;
        let range = u64::try_from(span_ids).unwrap_or(u64::MAX);
        let most = range.min(n as u64);
        let bits = most.saturating_mul(PeriodBitmap::stride(span) * 64);
        if distinct == Distinct::Auto
            && range <= 4 * n as u64 + 1024
            && range <= u64::from(u32::MAX)
            && bits <= bitmap_limit
        {
            let mut rank = vec![u32::MAX; range as usize];
            let mut next = 0u32;
            let slot = |id: i64| match rank.get_mut(id.wrapping_sub(min) as usize) {
                Some(r) => {
                    if *r == u32::MAX {
                        *r = next;
                        next += 1;
                    }
                    *r
                }
                // Unreachable: every id lies in `min..=max`.
                None => 0,
            };
            let mut state = Vec::new();
            let mut seen = PeriodBitmap::new(0, span);
            let valid = scan.run_in(tick, options.unit, v, slot, &mut state, |c, p| {
                seen.mark(c, p)
            });
            let periods = seen.counts(&state);
            let ids = rank
                .iter()
                .enumerate()
                .filter(|(_, &r)| r != u32::MAX)
                .map(|(offset, &r)| (CustomerId::Int(min + offset as i64), r as usize));
            if !valid {
                check_amounts(amounts)?;
            }
            multiplier?;
            return Ok(finish(
                ids,
                &state,
                &periods,
                options,
                first_period,
                end_start,
            ));
        }
    }
    let (ids, dense) = match customers {
        CustomerColumn::Int(v) => intern_ints(v),
        CustomerColumn::Str(v) => intern_strs(v),
    };
    if u32::try_from(ids.len()).is_err() {
        check_amounts(amounts)?;
        return Err(Error::parameter(
            "customers",
            ids.len(),
            "at most 2^32 − 1 distinct customers",
        ));
    }
    let mut state = vec![Running::EMPTY; ids.len()];
    let mut periods = vec![0u32; ids.len()];
    let bits = (ids.len() as u64).saturating_mul(PeriodBitmap::stride(span) * 64);
    let valid = if distinct == Distinct::Auto && bits <= bitmap_limit {
        let mut seen = PeriodBitmap::new(ids.len(), span);
        let valid = scan.run_in(
            tick,
            options.unit,
            &dense,
            |c| c,
            &mut state,
            |c, p| seen.mark(c, p),
        );
        periods = seen.counts(&state);
        valid
    } else {
        // Sort (customer, period offset) pairs; offsets are below 2^32
        // (|days| < 1.1 × 10^8 for any i64 instant).
        let mut keys: Vec<u64> = Vec::new();
        let valid = scan.run_in(
            tick,
            options.unit,
            &dense,
            |c| c,
            &mut state,
            |c, p| keys.push(u64::from(c) << 32 | u64::from(p)),
        );
        keys.sort_unstable();
        keys.dedup();
        for k in keys {
            if let Some(count) = periods.get_mut((k >> 32) as usize) {
                *count += 1;
            }
        }
        valid
    };
    if !valid {
        check_amounts(amounts)?;
    }
    multiplier?;
    Ok(finish(
        ids.into_iter().enumerate().map(|(i, id)| (id, i)),
        &state,
        &periods,
        options,
        first_period,
        end_start,
    ))
}
