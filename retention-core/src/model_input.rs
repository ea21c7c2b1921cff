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

use crate::error::{check_len, check_non_negative, Error, IssueKind, Issues, Result};
use crate::events::{intern_ints, intern_strs, CustomerColumn, CustomerId, MAX_AMOUNT};
use crate::summary::{DayTotal, Money, OrderDays};
use crate::time::{civil_from_days, Calendar, Micros, Period, MICROS_PER_DAY};

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
    }
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

crate::vocab::codes! {
    /// What the model inputs do with orders after the observation end.
    #[derive(Default)]
    pub enum OrdersAfterEnd as "orders_after_end" {
        /// An error naming them, as every other computation as of an
        /// instant does (the default).
        #[default]
        Reject = "reject",
        /// Left out, as `lifetimes.utils.summary_data_from_transaction_data`
        /// does (the lifetimes compatibility layer's choice).
        Ignore = "ignore",
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
    /// with multiplier 7 gives weeks counted from daily periods).
    pub multiplier: f64,
    /// Observation end (inclusive, at day resolution).
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
/// Orders on days after the observation end are an [`Error::InvalidRows`]
/// naming each such customer (row: its index in `days`, field
/// `last_order`) unless [`ModelInputOptions::after_end`] is
/// [`OrdersAfterEnd::Ignore`]; then they are left out, and so are customers
/// whose first order is after the end.
pub fn model_input(days: &OrderDays, options: &ModelInputOptions) -> Result<ModelInput> {
    check_multiplier(options.multiplier)?;
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
enum Distinct {
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
        let origin = (i128::from(self.first_day) * i128::from(TICKS_PER_DAY)) as u64;
        let day = move |t: i64| (t as u64).wrapping_sub(origin) / TICKS_PER_DAY as u64;
        match unit {
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
        ticks: TickUnit,
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
            TickUnit::Second => self.run::<D, T, S, M>(unit, c, slot, st, mark),
            TickUnit::Milli => self.run::<{ D * 1_000 }, T, S, M>(unit, c, slot, st, mark),
            TickUnit::Micro => self.run::<{ D * 1_000_000 }, T, S, M>(unit, c, slot, st, mark),
            TickUnit::Nano => self.run::<{ D * 1_000_000_000 }, T, S, M>(unit, c, slot, st, mark),
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
    let scale = options.unit.days() * options.multiplier;
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
        let first_start = period_start_day(&calendar, first_period + i64::from(s.first));
        let last_start = period_start_day(&calendar, first_period + i64::from(s.last));
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
/// order columns: equal to [`model_input`] over the [`OrderDays`] of an
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
    let times = OrderTimes::new(TickUnit::Micro, timestamps);
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

/// Unit of [`OrderTimes`] ticks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TickUnit {
    /// Seconds.
    Second,
    /// Milliseconds.
    Milli,
    /// Microseconds ([`Micros`]).
    Micro,
    /// Nanoseconds.
    Nano,
}

impl TickUnit {
    /// Ticks in one day.
    pub fn per_day(self) -> i64 {
        86_400
            * match self {
                TickUnit::Second => 1,
                TickUnit::Milli => 1_000,
                TickUnit::Micro => 1_000_000,
                TickUnit::Nano => 1_000_000_000,
            }
    }

    /// Largest magnitude that converts to microseconds without overflow
    /// (`None`: every value does).
    fn limit(self) -> Option<i64> {
        match self {
            TickUnit::Second => Some(i64::MAX / 1_000_000),
            TickUnit::Milli => Some(i64::MAX / 1_000),
            TickUnit::Micro | TickUnit::Nano => None,
        }
    }
}

/// Order instants: integer ticks of one [`TickUnit`] since the Unix epoch (UTC).
#[derive(Debug, Clone, Copy)]
pub struct OrderTimes<'a> {
    unit: TickUnit,
    ticks: &'a [i64],
}

impl<'a> OrderTimes<'a> {
    /// Ticks of `unit`.
    pub fn new(unit: TickUnit, ticks: &'a [i64]) -> Self {
        OrderTimes { unit, ticks }
    }
}

fn from_orders(
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
    let end_start = period_start_day(
        &calendar,
        calendar.index(end_day.saturating_mul(MICROS_PER_DAY)),
    );
    // Every instant on the day of the observation end counts (in ticks;
    // `None` when that day ends before the first representable tick).
    let last_included = match end_day.checked_mul(per_day) {
        Some(start) => Some(start.saturating_add(per_day - 1)),
        None if end_day > 0 => Some(i64::MAX),
        None => None,
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
    let first_period = calendar.index(first_day.saturating_mul(MICROS_PER_DAY));
    let span = (calendar.index(last_day.saturating_mul(MICROS_PER_DAY)) - first_period + 1) as u64;
    let scan = Scan {
        times: timestamps,
        amounts,
        last_included,
        first_day,
        last_day,
        first_period,
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
    use crate::events::{Event, EventColumns, EventLog, LogOptions};
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
            OrderTimes::new(TickUnit::Second, &[5, i64::MAX / 999_999]),
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
            let units = [TickUnit::Second, TickUnit::Milli, TickUnit::Micro, TickUnit::Nano];
            let per_micro = [1_000_000, 1_000, 1, 1];
            times.iter_mut().for_each(|t| *t -= t.rem_euclid(per_micro[tick]));
            let ticks: Vec<i64> = times
                .iter()
                .zip(&rows)
                .map(|(&t, r)| match units[tick] {
                    TickUnit::Nano => t * 1_000 + r.2 % 1_000,
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
