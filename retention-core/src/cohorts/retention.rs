//! Cohort retention as product analytics tools report it: a start event and
//! a return event, calendar ages or rolling windows, custom brackets, a
//! breakdown by a customer property or by a property of the first order,
//! mean rows, revenue retention and a Wilson interval on every cell.
//!
//! # Definitions
//!
//! For customer `i` write `t₀(i)` for the instant of their *start event*
//! ([`StartEvent`]: first order, first signup or first event of any kind).
//! Customers without one are left out and counted in
//! [`CohortRetention::unstarted`]. The customer's cohort is the calendar
//! period of `t₀(i)` ([`RetentionOptions::calendar`]).
//!
//! The *age* of an event at `t ≥ t₀(i)` is
//!
//! * calendar ages (default): `index(t) − index(t₀(i))`, the number of
//!   calendar periods between them;
//! * rolling windows ([`RetentionOptions::rolling_days`] `= d`):
//!   `⌊(t − t₀(i)) / d days⌋`, windows measured from the customer's own
//!   start instant (Amplitude's and Mixpanel's "rolling" retention).
//!
//! Events before `t₀(i)` are ignored. Age `k` of customer `i` is *complete*
//! when it ended by `as_of`: `index(t₀) + k ≤ L` for calendar ages (`L` the
//! last period complete at `as_of`), `t₀ + (k + 1)·d ≤ as_of` for rolling
//! windows. Write `w(i)` for the number of complete ages.
//!
//! *Return events* ([`ReturnEvent`]) are every order, every order but the
//! first, only the first order (conversion: signup → first order), or any
//! event. With [`ReturnCount::FirstTime`] only the customer's first return
//! event at or after `t₀` counts (Amplitude's "first time" vs
//! "recurring" retention).
//!
//! A *column* is one age `k` or, with [`RetentionOptions::brackets`], a
//! bracket of ages `[a, b]` (e.g. days 1–3, 4–10, 11–30 with one-day rolling
//! windows). For cohort `c` and column `[a, b]`:
//!
//! * eligible `E` = members with `b < w(i)` (the whole column observed);
//! * retained `R` = eligible members with a return event at some age in
//!   `[a, b]`; retention `R / |E|`;
//! * Wilson score interval of `R` in `|E|` at [`RetentionOptions::level`]
//!   (see `crate::intervals`);
//! * revenue = orders (minus refunds for [`RevenueBasis::Net`]) of `E` at
//!   ages in `[a, b]`; revenue retention = revenue / the revenue of the same
//!   members at age 0 (for calendar cohorts: the cohort's first-period
//!   revenue). It is `None` when that base is 0.
//!
//! A cell without eligible members is `None`, never 0.
//!
//! # Breakdown
//!
//! With [`RetentionOptions::breakdown`] `= key`, every customer falls into
//! the group of their value of the customer property `key`
//! ([`BreakdownSource::Customer`]) or of the event property `key` on their
//! first order ([`BreakdownSource::FirstOrder`]); customers without a value
//! form a group of their own (value `None`). The result holds one matrix per
//! group plus the total over all customers, whose counts are the sums of the
//! groups' counts.
//!
//! # Mean rows
//!
//! Per group and column, over the cohorts with eligible members: the
//! *simple* mean is the average of the cohorts' retention (each cohort
//! weighs the same, PostHog's default), the *weighted* mean is `ΣR / Σ|E|`
//! (each customer weighs the same, i.e. cohorts weighted by size), with a
//! Wilson interval; the revenue retention mean is `Σ revenue / Σ base`.
//!
//! # Cost
//!
//! One pass over the log with constant work per event (per event and
//! bracket with brackets), plus work proportional to the cells. Money is
//! summed in exact fixed point, so the total equals the sum of the groups.
//!
//! # References
//!
//! Fader & Hardie (2010), "Customer-Base Valuation in a Contractual Setting:
//! The Perils of Ignoring Heterogeneity", *Marketing Science* 29(1) (cohort
//! survival tables); Wilson (1927), *JASA* 22(158), for the interval.

use std::collections::HashMap;

use chrono::{DateTime, Utc};

use super::periods::{PeriodCache, PeriodTable};
use super::RevenueBasis;
use crate::error::{Error, Result};
use crate::events::{EventLog, EventType, NO_CODE};
use crate::special::normal_quantile;
use crate::summary::Money;
use crate::time::{to_micros, Calendar, Micros, MICROS_PER_DAY};

pub use super::retention_result::{AgeColumn, CohortRetention, MeanCell, RetentionCell};

crate::vocab::codes! {
    /// The event that puts a customer into a cohort.
    #[derive(Default)]
    pub enum StartEvent as "start_event" {
        /// The customer's first order.
        #[default]
        FirstOrder = "first_order",
        /// The customer's first signup event.
        Signup = "signup",
        /// The customer's first event of any kind.
        FirstActivity = "first_activity",
    }
}

crate::vocab::codes! {
    /// The events that count as coming back.
    #[derive(Default)]
    pub enum ReturnEvent as "return_event" {
        /// Every order (with the first-order start, age 0 is then 100 %).
        #[default]
        AnyOrder = "any_order",
        /// Every order except the customer's first ("repeat purchase").
        RepeatOrder = "repeat_order",
        /// Only the customer's first order (e.g. signup → first order).
        FirstOrder = "first_order",
        /// Events of any kind.
        AnyActivity = "any_activity",
    }
}

crate::vocab::codes! {
    /// Which return events of a customer count.
    #[derive(Default)]
    pub enum ReturnCount as "return_count" {
        /// Every return event: retained in every column with one.
        #[default]
        Recurring = "recurring",
        /// Only the first return event at or after the start.
        FirstTime = "first_time",
    }
}

crate::vocab::codes! {
    /// Where the breakdown property is read.
    #[derive(Default)]
    pub enum BreakdownSource as "breakdown_source" {
        /// A customer property ([`EventLog::set_customer_property`]).
        #[default]
        Customer = "customer",
        /// An event property of the customer's first order
        /// ([`EventLog::set_event_property`]).
        FirstOrder = "first_order",
    }
}

/// A bracket of ages `[first, last]`, both included.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub struct Bracket {
    /// First age of the bracket.
    pub first: u32,
    /// Last age of the bracket (`≥ first`).
    pub last: u32,
}

/// Largest number of days in a rolling window (about 100 years).
pub const MAX_ROLLING_DAYS: u32 = 36_600;
/// Largest number of brackets.
pub const MAX_BRACKETS: usize = 1_000;
/// Largest age a bracket may reach.
pub const MAX_BRACKET_AGE: u32 = 100_000;

/// Options of [`cohort_retention`] (see the module docs).
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(default, deny_unknown_fields))]
pub struct RetentionOptions {
    /// Calendar of the cohorts, and of the ages unless `rolling_days` is set
    /// (default: months in UTC).
    pub calendar: Calendar,
    /// The event that starts a customer's cohort (default: first order).
    pub start: StartEvent,
    /// The events that count as a return (default: every order).
    pub returning: ReturnEvent,
    /// Every return or only the first (default: every return).
    pub count: ReturnCount,
    /// Ages as windows of this many days from each customer's start
    /// instant instead of calendar periods; `1..=MAX_ROLLING_DAYS`.
    pub rolling_days: Option<u32>,
    /// Columns as brackets of ages instead of one age each; at most
    /// [`MAX_BRACKETS`], ages at most [`MAX_BRACKET_AGE`].
    pub brackets: Option<Vec<Bracket>>,
    /// Key of the property to break down by (default: none, only the total).
    pub breakdown: Option<String>,
    /// Where the breakdown property is read (default: customer properties).
    pub breakdown_source: BreakdownSource,
    /// Revenue basis (default: net of refunds).
    pub revenue: RevenueBasis,
    /// Largest age column (not with `brackets`); `None`: every complete age.
    pub max_age: Option<u32>,
    /// Coverage of the Wilson intervals, in (0, 1) (default 0.95).
    pub level: f64,
}

impl Default for RetentionOptions {
    fn default() -> Self {
        RetentionOptions {
            calendar: Calendar::default(),
            start: StartEvent::default(),
            returning: ReturnEvent::default(),
            count: ReturnCount::default(),
            rolling_days: None,
            brackets: None,
            breakdown: None,
            breakdown_source: BreakdownSource::default(),
            revenue: RevenueBasis::default(),
            max_age: None,
            level: 0.95,
        }
    }
}

/// Cohort retention with every option of [`RetentionOptions`].
///
/// Errors: events after `as_of` ([`Error::InvalidRows`], as
/// [`EventLog::check_as_of`]); a breakdown key the log has no property for,
/// options out of range or `max_age` with brackets
/// ([`Error::InvalidParameter`]); more than
/// [`MAX_CELLS`](super::MAX_CELLS) cells.
///
/// ```
/// use chrono::{TimeZone, Utc};
/// use retention_core::cohorts::retention::{cohort_retention, RetentionOptions};
/// use retention_core::events::{Event, EventLog, LogOptions};
///
/// let d = |m, day| Utc.with_ymd_and_hms(2024, m, day, 12, 0, 0).unwrap();
/// let mut log = EventLog::from_events(
///     &[
///         Event::order(1, d(1, 5), 20.0),
///         Event::order(2, d(1, 9), 10.0),
///         Event::order(1, d(2, 3), 15.0),
///     ],
///     LogOptions::default(),
/// )?;
/// log.set_customer_property("country", &[1.into(), 2.into()], &[Some("DE"), Some("FR")])?;
/// let options = RetentionOptions { breakdown: Some("country".into()), ..Default::default() };
/// let r = cohort_retention(&log, d(3, 15), &options)?;
/// // The total, then one group per country; January cohort, ages 0 and 1.
/// let february: Vec<_> = r.cells.iter().filter(|c| c.first_age == 1).map(|c| c.retention).collect();
/// assert_eq!(february, [Some(0.5), Some(1.0), Some(0.0)]);
/// # Ok::<(), retention_core::Error>(())
/// ```
pub fn cohort_retention(
    log: &EventLog,
    as_of: DateTime<Utc>,
    options: &RetentionOptions,
) -> Result<CohortRetention> {
    let as_of = to_micros(as_of);
    log.check_as_of(as_of)?;
    let z = Some(options.level)
        .filter(|l| *l > 0.0 && *l < 1.0)
        .and_then(|l| normal_quantile(0.5 + l / 2.0))
        .ok_or_else(|| Error::parameter("level", options.level, "must be in (0, 1)"))?;
    let window = match options.rolling_days {
        None => None,
        Some(d) if (1..=MAX_ROLLING_DAYS).contains(&d) => Some(i64::from(d) * MICROS_PER_DAY),
        Some(d) => {
            return Err(Error::parameter(
                "rolling_days",
                d,
                "must be between 1 and MAX_ROLLING_DAYS (36600)",
            ))
        }
    };
    let brackets = check_brackets(options)?;
    let (groups, group_of) = breakdown(log, options)?;
    let cal = options.calendar;
    let table = PeriodTable::new(&cal, log.time_range());
    let mut acc = Accumulator {
        cal,
        window,
        as_of,
        last_complete: cal.last_complete(as_of),
        cap: match &brackets {
            Some(b) => b
                .iter()
                .map(|b| (b.last as usize).saturating_add(1))
                .max()
                .unwrap_or(1),
            None => options
                .max_age
                .map_or(usize::MAX, |m| (m as usize).saturating_add(1)),
        },
        brackets: brackets.as_deref(),
        rows: Vec::new(),
        keys: HashMap::new(),
        cells: 0,
        last_key: None,
        hits: Vec::new(),
        revs: Vec::new(),
    };
    let kinds = log.event_types();
    let times = log.times();
    let values = log.values();
    let net = options.revenue == RevenueBasis::Net;
    let mut unstarted = 0u64;
    for c in 0..log.customers().len() {
        let range = log.customer_range(c);
        let first_order = range.clone().find(|&i| kinds[i] == EventType::Order);
        let start = match options.start {
            StartEvent::FirstOrder => first_order,
            StartEvent::Signup => range.clone().find(|&i| kinds[i] == EventType::Signup),
            StartEvent::FirstActivity => Some(range.start).filter(|_| !range.is_empty()),
        };
        let Some(start) = start else {
            unstarted += 1;
            continue;
        };
        let t0 = times[start];
        let mut cache = PeriodCache::new(cal, table.as_ref());
        let cohort = cache.index(t0);
        let group = group_of(c, first_order);
        let row = acc.row_for(group, cohort)?;
        let w = acc.complete_ages(cohort, t0);
        let mut counted = false;
        let mut last_hit: Option<usize> = None;
        let mut rev0 = Money(0);
        acc.hits.clear();
        acc.revs.clear();
        for i in range.clone().skip(start - range.start) {
            let t = times[i];
            let kind = kinds[i];
            let qualifies = match options.returning {
                ReturnEvent::AnyOrder => kind == EventType::Order,
                ReturnEvent::RepeatOrder => kind == EventType::Order && Some(i) != first_order,
                ReturnEvent::FirstOrder => Some(i) == first_order,
                ReturnEvent::AnyActivity => true,
            } && !(counted && options.count == ReturnCount::FirstTime);
            let revenue = match kind {
                EventType::Order => Money::from_f64(values[i]),
                EventType::Refund if net => Money(0) - Money::from_f64(values[i]),
                _ => Money(0),
            };
            if !qualifies && revenue == Money(0) {
                continue;
            }
            let age = match window {
                Some(len) => usize::try_from((t - t0) / len).unwrap_or(usize::MAX),
                None => usize::try_from(cache.index(t) - cohort).unwrap_or(usize::MAX),
            };
            if age >= w {
                // Ages only grow along a customer's events.
                break;
            }
            if age == 0 {
                rev0 += revenue;
            }
            if qualifies {
                counted = true;
                if last_hit != Some(age) {
                    last_hit = Some(age);
                    acc.hits.push(age);
                }
            }
            if revenue != Money(0) {
                acc.revs.push((age, revenue));
            }
        }
        acc.add(row, w, rev0);
    }
    acc.finish(options, groups, unstarted, z)
}

/// The brackets, checked and in the caller's order.
fn check_brackets(options: &RetentionOptions) -> Result<Option<Vec<Bracket>>> {
    let Some(brackets) = &options.brackets else {
        return Ok(None);
    };
    if brackets.is_empty() || brackets.len() > MAX_BRACKETS {
        return Err(Error::parameter(
            "brackets",
            brackets.len(),
            "give 1 to MAX_BRACKETS (1000) brackets",
        ));
    }
    if let Some(b) = brackets
        .iter()
        .find(|b| b.first > b.last || b.last > MAX_BRACKET_AGE)
    {
        return Err(Error::parameter(
            "brackets",
            b,
            "each bracket needs first ≤ last ≤ MAX_BRACKET_AGE (100000)",
        ));
    }
    if options.max_age.is_some() {
        return Err(Error::parameter(
            "max_age",
            options.max_age,
            "does not apply with brackets: the brackets choose the ages",
        ));
    }
    Ok(Some(brackets.clone()))
}

/// A function from (dense customer, first order position) to group code.
type GroupOf<'a> = Box<dyn Fn(usize, Option<usize>) -> u32 + 'a>;

/// The breakdown's values (sorted) and each customer's code into them
/// ([`NO_CODE`] without a value; always `NO_CODE` without a breakdown).
fn breakdown<'a>(
    log: &'a EventLog,
    options: &RetentionOptions,
) -> Result<(Option<Vec<String>>, GroupOf<'a>)> {
    let Some(key) = &options.breakdown else {
        return Ok((None, Box::new(|_, _| NO_CODE)));
    };
    match options.breakdown_source {
        BreakdownSource::Customer => {
            let column = log.customer_property(key).ok_or_else(|| {
                Error::parameter(
                    "breakdown",
                    key,
                    "no customer property of that key: set it on the log first",
                )
            })?;
            Ok((
                Some(column.values().to_vec()),
                Box::new(move |c, _| column.codes().get(c).copied().unwrap_or(NO_CODE)),
            ))
        }
        BreakdownSource::FirstOrder => {
            let column = log.event_property(key).ok_or_else(|| {
                Error::parameter(
                    "breakdown",
                    key,
                    "no event property of that key: set it on the log first",
                )
            })?;
            Ok((
                Some(column.values().to_vec()),
                Box::new(move |_, first| {
                    first.map_or(NO_CODE, |i| log.event_property_code(column, i))
                }),
            ))
        }
    }
}

/// Counts of customers sharing a group and a cohort.
pub(super) struct RowAcc {
    pub(super) group: u32,
    pub(super) cohort: i64,
    pub(super) size: u64,
    /// Customers by number of complete ages (capped at the row's width).
    pub(super) by_w: Vec<u64>,
    /// Their age-0 revenue, by the same index.
    pub(super) rev0_by_w: Vec<Money>,
    /// Retained counts per age (or per bracket).
    pub(super) retained: Vec<u64>,
    /// Revenue per age (or per bracket).
    pub(super) revenue: Vec<Money>,
}

pub(super) struct Accumulator<'b> {
    cal: Calendar,
    window: Option<Micros>,
    as_of: Micros,
    last_complete: i64,
    /// Ages tracked: `max_age + 1`, or the last bracket age + 1.
    cap: usize,
    pub(super) brackets: Option<&'b [Bracket]>,
    pub(super) rows: Vec<RowAcc>,
    keys: HashMap<(u32, i64), usize>,
    cells: usize,
    last_key: Option<((u32, i64), usize)>,
    /// The current customer's distinct return ages, increasing.
    hits: Vec<usize>,
    /// The current customer's revenue by age, in age order.
    revs: Vec<(usize, Money)>,
}

impl Accumulator<'_> {
    /// Complete ages of a customer starting at `t0` in period `cohort`, capped.
    fn complete_ages(&self, cohort: i64, t0: Micros) -> usize {
        let w = match self.window {
            Some(len) => self.as_of.saturating_sub(t0) / len,
            None => self.last_complete.saturating_sub(cohort).saturating_add(1),
        };
        usize::try_from(w.max(0))
            .unwrap_or(usize::MAX)
            .min(self.cap)
    }

    /// Largest number of complete ages of any customer of cohort `cohort`.
    fn row_width(&self, cohort: i64) -> usize {
        self.complete_ages(cohort, self.cal.start(cohort))
    }

    fn row_for(&mut self, group: u32, cohort: i64) -> Result<usize> {
        let key = (group, cohort);
        if let Some((k, r)) = self.last_key {
            if k == key {
                return Ok(r);
            }
        }
        let r = match self.keys.get(&key) {
            Some(&r) => r,
            None => {
                let width = self.row_width(cohort);
                let columns = self.brackets.map_or(width, <[Bracket]>::len);
                self.cells = self.cells.saturating_add(columns.saturating_add(width));
                if self.cells > super::MAX_CELLS {
                    return Err(Error::parameter(
                        "max_age",
                        self.cap,
                        "the matrices would exceed 50 million cells: set max_age, brackets or a longer period",
                    ));
                }
                self.rows.push(RowAcc {
                    group,
                    cohort,
                    size: 0,
                    by_w: vec![0; width + 1],
                    rev0_by_w: vec![Money(0); width + 1],
                    retained: vec![0; columns],
                    revenue: vec![Money(0); columns],
                });
                self.keys.insert(key, self.rows.len() - 1);
                self.rows.len() - 1
            }
        };
        self.last_key = Some((key, r));
        Ok(r)
    }

    /// Adds the current customer (ages in `hits` / `revs`, all `< w`).
    fn add(&mut self, r: usize, w: usize, rev0: Money) {
        let Some(row) = self.rows.get_mut(r) else {
            return;
        };
        let w = w.min(row.by_w.len() - 1);
        row.size += 1;
        row.by_w[w] += 1;
        row.rev0_by_w[w] += rev0;
        match self.brackets {
            None => {
                for &age in &self.hits {
                    if let Some(x) = row.retained.get_mut(age) {
                        *x += 1;
                    }
                }
                for &(age, m) in &self.revs {
                    if let Some(x) = row.revenue.get_mut(age) {
                        *x += m;
                    }
                }
            }
            Some(brackets) => {
                for (b, br) in brackets.iter().enumerate() {
                    let (a, z) = (br.first as usize, br.last as usize);
                    if z >= w {
                        continue;
                    }
                    let j = self.hits.partition_point(|&h| h < a);
                    if self.hits.get(j).is_some_and(|&h| h <= z) {
                        row.retained[b] += 1;
                    }
                    let j = self.revs.partition_point(|&(h, _)| h < a);
                    for &(_, m) in self.revs[j..].iter().take_while(|&&(h, _)| h <= z) {
                        row.revenue[b] += m;
                    }
                }
            }
        }
    }
}
