//! Cohort analysis: retention, churn, revenue and LTV matrices.
//!
//! # Cohorts
//!
//! * **Acquisition cohorts** ([`acquisition_cohorts`]): a customer belongs to
//!   the calendar period (day, week with a configurable first weekday, month,
//!   quarter or year of a [`Calendar`]) of their first order. Customers
//!   without an order belong to no acquisition cohort.
//! * **Labelled cohorts** ([`labelled_cohorts`]): the caller assigns each
//!   customer a label (e.g. `"received offer"` / `"control"`). Ages are counted
//!   per customer from the period of *their own* first order (the *anchor*).
//!   Labelled customers without any order cannot be anchored; they are left
//!   out of every cell and counted in [`CohortMatrix::unanchored`].
//!
//! # Cells
//!
//! Write `a(i)` for the anchor period of customer `i` and `L` for the last
//! period complete at `as_of` ([`Calendar::last_complete`]). Customer `i` is
//! *eligible* at age `k` when period `a(i) + k` is complete: `a(i) + k ≤ L`.
//! For cohort `c` and age `k`, with `E(c, k)` its eligible members:
//!
//! * **retention** = `|{i ∈ E(c, k) : i retained at k}| / |E(c, k)|`, where
//!   "retained" depends on the [`RetentionMode`]:
//!   * [`RetentionMode::ReturnOn`]: ≥ 1 qualifying event in period `a(i) + k`;
//!   * [`RetentionMode::ReturnOnOrAfter`]: ≥ 1 qualifying event in any period
//!     `≥ a(i) + k`, using every event up to `as_of` (including the current,
//!     incomplete period): "still came back at age `k` or later".
//!
//!   Qualifying events are orders by default, or events of any kind
//!   ([`QualifyingEvents`]). Since the anchor is the first order, age 0 is 1.0
//!   whenever it is defined.
//! * **churn** = `1 − retention`: with `ReturnOn`, the share of eligible
//!   members with no qualifying event in period `a(i) + k`; with
//!   `ReturnOnOrAfter`, the share that never came back from age `k` on (up to
//!   `as_of`).
//! * **revenue** = total revenue of `E(c, k)` in their period `a(i) + k`:
//!   [`RevenueBasis::Net`] (default) is orders minus refunds *dated in that
//!   period*, so a cell can be negative; [`RevenueBasis::Gross`] counts orders
//!   only.
//! * **LTV** (cumulative revenue per customer) = `Σ_{i ∈ E(c, k)} Σ_{j ≤ k}
//!   revenue_i(a(i) + j) / |E(c, k)|`.
//!
//! A cell with no eligible member, i.e. whose period is not complete at
//! `as_of`, is `None`, never 0. For acquisition cohorts all members share the
//! anchor, so `E(c, k)` is either the whole cohort or empty, and LTV is
//! "cumulative cohort revenue up to age `k` / cohort size". For labelled
//! cohorts members anchored in later periods drop out of the older ages.
//!
//! Events before a customer's anchor period (e.g. sessions before the first
//! purchase) are ignored. Events after `as_of` are an error
//! ([`crate::IssueKind::AfterAsOf`]).
//!
//! # Cost
//!
//! One pass over the log (or the order days), constant work per event, plus
//! work proportional to the number of matrix cells: no cell scans the data.
//! Money is summed in exact fixed point ([`Money`]), so results do not depend
//! on the order in which events or partitions are added.
//!
//! # Mergeable input
//!
//! [`acquisition_cohorts_from_order_days`] builds the same matrix from
//! [`OrderDays`], which merge exactly across partitions: the matrix of merged
//! partial order days equals the single-pass matrix. Order days are UTC days
//! and hold orders only, so that path requires a UTC calendar,
//! [`QualifyingEvents::Orders`] and [`RevenueBasis::Gross`]; it then equals
//! [`acquisition_cohorts`] on the log with the same options.

use std::collections::HashMap;

use chrono::{DateTime, Utc};

use crate::error::{Error, IssueKind, Result};
use crate::events::{CustomerId, EventLog, EventType};
use crate::summary::{Money, OrderDays};
use crate::time::{civil_from_days, to_micros, Calendar, Micros, Period, MICROS_PER_DAY};

crate::vocab::codes! {
    /// What "came back at age `k`" means (see the module docs).
    #[derive(Default)]
    pub enum RetentionMode as "retention_mode" {
        /// ≥ 1 qualifying event in period `anchor + k` (classic "N-period retention").
        #[default]
        ReturnOn = "return_on",
        /// ≥ 1 qualifying event in any period `≥ anchor + k`, up to `as_of`
        /// ("unbounded" retention).
        ReturnOnOrAfter = "return_on_or_after",
    }
}

crate::vocab::codes! {
    /// Which events count as a return.
    #[derive(Default)]
    pub enum QualifyingEvents as "qualifying_events" {
        /// Orders only.
        #[default]
        Orders = "orders",
        /// Events of any kind (orders, refunds, sessions, emails, tickets, …).
        AnyActivity = "any_activity",
    }
}

crate::vocab::codes! {
    /// How cell revenue is counted.
    #[derive(Default)]
    pub enum RevenueBasis as "revenue_basis" {
        /// Orders minus refunds dated in the cell's period (may be negative).
        #[default]
        Net = "net",
        /// Orders only.
        Gross = "gross",
    }
}

/// Options of the cohort matrices.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(default, deny_unknown_fields))]
pub struct CohortOptions {
    /// Period calendar (default: calendar months in UTC).
    pub calendar: Calendar,
    /// Retention definition (default: [`RetentionMode::ReturnOn`]).
    pub mode: RetentionMode,
    /// Which events count as a return (default: orders).
    pub qualifying: QualifyingEvents,
    /// Revenue basis (default: net of refunds).
    pub revenue: RevenueBasis,
    /// Largest age (in periods) to report; `None` reports every age up to the
    /// oldest cohort's last complete period.
    pub max_age: Option<u32>,
}

/// Largest number of cells a matrix (or its internal per-anchor parts) may
/// hold; beyond it, set [`CohortOptions::max_age`] or use a coarser period.
pub const MAX_CELLS: usize = 50_000_000;

/// Cohort matrices: one row per cohort, one column per age (0, 1, 2, … periods).
///
/// All matrices have [`CohortMatrix::cohorts`] rows of [`CohortMatrix::ages`]
/// entries. See the module docs for the definitions.
///
/// Serialized with the instants of [`CohortMatrix::period_starts`] after the
/// fields.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Deserialize))]
pub struct CohortMatrix {
    calendar: Calendar,
    mode: RetentionMode,
    labels: Vec<String>,
    periods: Vec<Option<i64>>,
    sizes: Vec<u64>,
    unanchored: Vec<u64>,
    eligible: Vec<Vec<u64>>,
    retained: Vec<Vec<u64>>,
    retention: Vec<Vec<Option<f64>>>,
    churn: Vec<Vec<Option<f64>>>,
    revenue: Vec<Vec<Option<f64>>>,
    ltv: Vec<Vec<Option<f64>>>,
}

serialize_with_ratios!(CohortMatrix {
    calendar, mode, labels, periods, sizes, unanchored, eligible, retained, retention, churn,
    revenue, ltv,
} {
    period_starts: CohortMatrix::period_starts,
});

impl CohortMatrix {
    /// The calendar whose periods are the ages.
    pub fn calendar(&self) -> Calendar {
        self.calendar
    }

    /// The retention definition used.
    pub fn mode(&self) -> RetentionMode {
        self.mode
    }

    /// Number of cohorts (rows).
    pub fn cohorts(&self) -> usize {
        self.labels.len()
    }

    /// Number of ages (columns), at least 1.
    pub fn ages(&self) -> usize {
        self.retention.first().map_or(0, Vec::len)
    }

    /// Cohort labels: for acquisition cohorts the period (`2024-03-15` for
    /// days and for weeks (their first day), `2024-03`, `2024-Q1`, `2024`),
    /// otherwise the caller's labels, sorted.
    pub fn labels(&self) -> &[String] {
        &self.labels
    }

    /// Acquisition period index of each cohort ([`Calendar::index`]); `None`
    /// for labelled cohorts.
    pub fn periods(&self) -> &[Option<i64>] {
        &self.periods
    }

    /// First instant of each acquisition cohort's period; `None` for labelled cohorts.
    pub fn period_starts(&self) -> Vec<Option<DateTime<Utc>>> {
        self.periods
            .iter()
            .map(|p| p.map(|p| crate::time::from_micros(self.calendar.start(p))))
            .collect()
    }

    /// Cohort sizes: members with at least one order (the customers the cells describe).
    pub fn sizes(&self) -> &[u64] {
        &self.sizes
    }

    /// Labelled members without any order, left out of the cells (always 0
    /// for acquisition cohorts).
    pub fn unanchored(&self) -> &[u64] {
        &self.unanchored
    }

    /// Eligible members per cell (0 for cells that are not complete).
    pub fn eligible(&self) -> &[Vec<u64>] {
        &self.eligible
    }

    /// Retained members per cell (the numerator of the retention).
    pub fn retained(&self) -> &[Vec<u64>] {
        &self.retained
    }

    /// Retention per cell.
    pub fn retention(&self) -> &[Vec<Option<f64>>] {
        &self.retention
    }

    /// Churn per cell (`1 − retention`).
    pub fn churn(&self) -> &[Vec<Option<f64>>] {
        &self.churn
    }

    /// Revenue per cell (total over the eligible members).
    pub fn revenue(&self) -> &[Vec<Option<f64>>] {
        &self.revenue
    }

    /// Cumulative revenue per eligible member up to each age (the LTV curve).
    pub fn ltv(&self) -> &[Vec<Option<f64>>] {
        &self.ltv
    }

    /// Retention of one cell; `None` when out of range or not complete.
    pub fn retention_at(&self, cohort: usize, age: usize) -> Option<f64> {
        self.retention.get(cohort)?.get(age).copied().flatten()
    }

    /// Row index of a cohort label.
    pub fn cohort_index(&self, label: &str) -> Option<usize> {
        self.labels.iter().position(|l| l == label)
    }
}

/// Acquisition-cohort matrices from an event log.
///
/// ```
/// use chrono::{TimeZone, Utc};
/// use retention_core::cohorts::{acquisition_cohorts, CohortOptions};
/// use retention_core::events::{Event, EventLog, LogOptions};
///
/// let d = |m, day| Utc.with_ymd_and_hms(2024, m, day, 12, 0, 0).unwrap();
/// let log = EventLog::from_events(
///     &[
///         Event::order(1, d(1, 5), 20.0),
///         Event::order(2, d(1, 9), 10.0),
///         Event::order(1, d(2, 3), 15.0),
///     ],
///     LogOptions::default(),
/// )?;
/// let m = acquisition_cohorts(&log, d(3, 15), &CohortOptions::default())?;
/// assert_eq!(m.labels(), &["2024-01".to_string()]);
/// // February is the last complete month at `as_of`.
/// assert_eq!(m.retention()[0], vec![Some(1.0), Some(0.5)]);
/// assert_eq!(m.ltv()[0], vec![Some(15.0), Some(22.5)]);
/// # Ok::<(), retention_core::Error>(())
/// ```
pub fn acquisition_cohorts(
    log: &EventLog,
    as_of: DateTime<Utc>,
    options: &CohortOptions,
) -> Result<CohortMatrix> {
    let engine = acquisition_engine(log, to_micros(as_of), options)?;
    engine.finish_acquisition()
}

/// The sub-cohorts of every customer with an order, anchored at their first
/// order's period.
pub(crate) fn acquisition_engine(
    log: &EventLog,
    as_of: Micros,
    options: &CohortOptions,
) -> Result<Engine> {
    log.check_as_of(as_of)?;
    let mut engine = Engine::new(options, as_of);
    let table = PeriodTable::new(&options.calendar, log.time_range());
    let table = table.as_ref();
    for c in 0..log.customers().len() {
        let Some(anchor) = first_order_period(log, c, &options.calendar, table) else {
            continue;
        };
        let sub = engine.sub_for(anchor, anchor)?;
        engine.add_customer(sub, log_stream(log, c, options, table))?;
    }
    Ok(engine)
}

/// Acquisition-cohort matrices from mergeable [`OrderDays`].
///
/// Equals [`acquisition_cohorts`] on the log the order days were built from,
/// with the same options. Requires a UTC calendar (order days are UTC days),
/// [`QualifyingEvents::Orders`] and [`RevenueBasis::Gross`] (order days carry
/// no refunds); other options are an [`Error::InvalidParameter`]. Order days
/// after the UTC day of `as_of` are an error; orders later on that same day
/// cannot be told apart from earlier ones and are counted.
pub fn acquisition_cohorts_from_order_days(
    days: &OrderDays,
    as_of: DateTime<Utc>,
    options: &CohortOptions,
) -> Result<CohortMatrix> {
    if let Some(zone) = options.calendar.zone {
        return Err(Error::parameter(
            "calendar.zone",
            zone.name(),
            "order days are UTC days: use a UTC calendar, or cohorts from the event log",
        ));
    }
    if options.calendar.utc_offset_seconds != 0 {
        return Err(Error::parameter(
            "calendar.utc_offset_seconds",
            options.calendar.utc_offset_seconds,
            "order days are UTC days: use a UTC calendar, or cohorts from the event log",
        ));
    }
    if options.qualifying != QualifyingEvents::Orders {
        return Err(Error::parameter(
            "qualifying",
            options.qualifying,
            "order days hold orders only: use QualifyingEvents::Orders",
        ));
    }
    if options.revenue != RevenueBasis::Gross {
        return Err(Error::parameter(
            "revenue",
            options.revenue,
            "order days carry no refunds: use RevenueBasis::Gross",
        ));
    }
    let as_of_micros = to_micros(as_of);
    let as_of_day = as_of_micros.div_euclid(MICROS_PER_DAY);
    let cal = options.calendar;
    let mut engine = Engine::new(options, as_of_micros);
    let range = days
        .iter()
        .flat_map(|(_, set)| set.first().zip(set.last()))
        .fold(None, |acc: Option<(i64, i64)>, (a, b)| {
            Some(acc.map_or((a.day, b.day), |(lo, hi)| (lo.min(a.day), hi.max(b.day))))
        })
        .map(|(lo, hi)| {
            (
                lo.saturating_mul(MICROS_PER_DAY),
                hi.saturating_mul(MICROS_PER_DAY),
            )
        });
    let table = PeriodTable::new(&cal, range);
    for (id, set) in days.iter() {
        let (Some(first), Some(last)) = (set.first(), set.last()) else {
            continue;
        };
        if last.day > as_of_day {
            return Err(Error::parameter(
                "as_of",
                format!("{} (customer {id} has orders later)", as_of.to_rfc3339()),
                "must not precede any order day",
            ));
        }
        let mut cache = PeriodCache::new(cal, table.as_ref());
        let anchor = cache.index(first.day.saturating_mul(MICROS_PER_DAY));
        let sub = engine.sub_for(anchor, anchor)?;
        let stream = set.iter().map(move |d| {
            let period = cache.index(d.day.saturating_mul(MICROS_PER_DAY));
            (period, true, d.revenue)
        });
        engine.add_customer(sub, stream)?;
    }
    let mut rows: Vec<i64> = engine.keys.keys().map(|k| k.0).collect();
    rows.sort_unstable();
    rows.dedup();
    let labels = rows.iter().map(|&p| period_label(&cal, p)).collect();
    let periods = rows.iter().map(|&p| Some(p)).collect();
    engine.finish(&rows, labels, periods, vec![0; rows.len()])
}

/// Labelled-cohort matrices from a map customer → label.
///
/// Every labelled customer must occur in the log (otherwise
/// [`Error::UnknownCustomer`]); customers of the log without a label are
/// ignored. Rows are the distinct labels, sorted.
///
/// ```
/// use std::collections::HashMap;
/// use chrono::{TimeZone, Utc};
/// use retention_core::cohorts::{labelled_cohorts, CohortOptions};
/// use retention_core::events::{Event, EventLog, LogOptions};
///
/// let d = |m, day| Utc.with_ymd_and_hms(2024, m, day, 12, 0, 0).unwrap();
/// let log = EventLog::from_events(
///     &[
///         Event::order(1, d(1, 5), 20.0),
///         Event::order(1, d(2, 5), 20.0),
///         Event::order(2, d(2, 9), 10.0),
///     ],
///     LogOptions::default(),
/// )?;
/// let labels = HashMap::from([(1.into(), "offer".to_string()), (2.into(), "control".to_string())]);
/// let m = labelled_cohorts(&log, &labels, d(3, 15), &CohortOptions::default())?;
/// assert_eq!(m.labels(), &["control".to_string(), "offer".to_string()]);
/// // Customer 2 was acquired in February: only age 0 is complete for them.
/// assert_eq!(m.retention()[0], vec![Some(1.0), None]);
/// assert_eq!(m.retention()[1], vec![Some(1.0), Some(1.0)]);
/// # Ok::<(), retention_core::Error>(())
/// ```
pub fn labelled_cohorts<S: AsRef<str>>(
    log: &EventLog,
    labels: &HashMap<CustomerId, S>,
    as_of: DateTime<Utc>,
    options: &CohortOptions,
) -> Result<CohortMatrix> {
    let mut pairs: Vec<(usize, &str)> = Vec::with_capacity(labels.len());
    // Report the smallest unknown id, so the error does not depend on hash order.
    let mut unknown: Option<&CustomerId> = None;
    for (id, label) in labels {
        match log.customer_index(id) {
            Some(c) => pairs.push((c, label.as_ref())),
            None => unknown = Some(unknown.map_or(id, |u| u.min(id))),
        }
    }
    if let Some(id) = unknown {
        return Err(Error::UnknownCustomer {
            customer: id.to_string(),
        });
    }
    labelled_from_pairs(log, pairs, as_of, options)
}

/// Labelled-cohort matrices from parallel slices `customers[i]` → `labels[i]`.
///
/// As [`labelled_cohorts`]; slices of different lengths are an
/// [`Error::LengthMismatch`], and a customer listed twice with different labels
/// an [`Error::InvalidRows`] ([`IssueKind::Duplicate`] on field `customer`,
/// naming the first listing). The first unknown customer is an
/// [`Error::UnknownCustomer`].
pub fn labelled_cohorts_from_slices<S: AsRef<str>>(
    log: &EventLog,
    customers: &[CustomerId],
    labels: &[S],
    as_of: DateTime<Utc>,
    options: &CohortOptions,
) -> Result<CohortMatrix> {
    let pairs = label_pairs(log, customers, labels)?;
    labelled_from_pairs(log, pairs, as_of, options)
}

/// Validates parallel label slices into `(dense customer, label)` pairs,
/// one per customer.
pub(crate) fn label_pairs<'a, S: AsRef<str>>(
    log: &EventLog,
    customers: &[CustomerId],
    labels: &'a [S],
) -> Result<Vec<(usize, &'a str)>> {
    crate::error::check_len("labels", customers.len(), labels.len())?;
    let mut seen: HashMap<usize, usize> = HashMap::with_capacity(customers.len());
    let mut pairs = Vec::with_capacity(customers.len());
    let mut issues = crate::error::Issues::default();
    for (row, (id, label)) in customers.iter().zip(labels).enumerate() {
        let Some(c) = log.customer_index(id) else {
            return Err(Error::UnknownCustomer {
                customer: id.to_string(),
            });
        };
        match seen.get(&c) {
            Some(&first) => {
                if labels[first].as_ref() != label.as_ref() {
                    issues.push(
                        row,
                        "customer",
                        id,
                        IssueKind::Duplicate { first_row: first },
                    );
                }
            }
            None => {
                seen.insert(c, row);
                pairs.push((c, label.as_ref()));
            }
        }
    }
    issues.finish()?;
    Ok(pairs)
}

fn labelled_from_pairs(
    log: &EventLog,
    mut pairs: Vec<(usize, &str)>,
    as_of: DateTime<Utc>,
    options: &CohortOptions,
) -> Result<CohortMatrix> {
    let as_of = to_micros(as_of);
    log.check_as_of(as_of)?;
    let mut names: Vec<&str> = pairs.iter().map(|p| p.1).collect();
    names.sort_unstable();
    names.dedup();
    pairs.sort_unstable_by_key(|p| p.0);
    let mut engine = Engine::new(options, as_of);
    let table = PeriodTable::new(&options.calendar, log.time_range());
    let table = table.as_ref();
    let mut unanchored = vec![0u64; names.len()];
    for (c, label) in pairs {
        let row = names.binary_search(&label).unwrap_or(0);
        let Some(anchor) = first_order_period(log, c, &options.calendar, table) else {
            unanchored[row] += 1;
            continue;
        };
        let sub = engine.sub_for(row as i64, anchor)?;
        engine.add_customer(sub, log_stream(log, c, options, table))?;
    }
    let rows: Vec<i64> = (0..names.len() as i64).collect();
    let labels = names.iter().map(|s| s.to_string()).collect();
    engine.finish(&rows, labels, vec![None; names.len()], unanchored)
}

/// Period of the first order of dense customer `c`.
fn first_order_period(
    log: &EventLog,
    c: usize,
    cal: &Calendar,
    table: Option<&PeriodTable>,
) -> Option<i64> {
    let kinds = log.event_types();
    let times = log.times();
    log.customer_range(c)
        .find(|&i| kinds[i] == EventType::Order)
        .map(|i| PeriodCache::new(*cal, table).index(times[i]))
}

/// Start instants of every period between two instants, for lookups by
/// binary search instead of calendar arithmetic.
struct PeriodTable {
    first: i64,
    /// `starts[j]` = start of period `first + j`; one more than the periods.
    starts: Vec<Micros>,
}

impl PeriodTable {
    /// Largest table built; longer ranges use calendar arithmetic.
    const MAX_PERIODS: i64 = 100_000;

    /// The table of periods covering `[lo, hi]`, if small and consistent.
    fn new(cal: &Calendar, range: Option<(Micros, Micros)>) -> Option<Self> {
        let (lo, hi) = range?;
        let (first, last) = (cal.index(lo), cal.index(hi));
        let n = last.checked_sub(first)?;
        if !(0..Self::MAX_PERIODS).contains(&n) {
            return None;
        }
        let starts: Vec<Micros> = (0..=n + 1).map(|j| cal.start(first + j)).collect();
        let consistent = starts.windows(2).all(|w| w[0] < w[1])
            && starts.first().is_some_and(|&s| s <= lo)
            && starts.last().is_some_and(|&e| hi < e);
        consistent.then_some(PeriodTable { first, starts })
    }
}

/// Memoises the period of the last instant looked up; instants of one
/// customer come in time order, so most lookups hit. Misses use the shared
/// [`PeriodTable`] when there is one, calendar arithmetic otherwise.
struct PeriodCache<'a> {
    cal: Calendar,
    table: Option<&'a PeriodTable>,
    lo: Micros,
    hi: Micros,
    index: i64,
}

impl<'a> PeriodCache<'a> {
    fn new(cal: Calendar, table: Option<&'a PeriodTable>) -> Self {
        PeriodCache {
            cal,
            table,
            lo: 1,
            hi: 0,
            index: 0,
        }
    }

    #[inline]
    fn index(&mut self, t: Micros) -> i64 {
        if t >= self.lo && t < self.hi {
            return self.index;
        }
        if let Some(table) = self.table {
            let j = table.starts.partition_point(|&s| s <= t);
            if let (Some(j), Some(&hi)) = (j.checked_sub(1), table.starts.get(j)) {
                (self.lo, self.hi) = (table.starts[j], hi);
                self.index = table.first + j as i64;
                return self.index;
            }
        }
        let index = self.cal.index(t);
        let (lo, hi) = (self.cal.start(index), self.cal.end(index));
        self.index = index;
        // Trust the bounds only where they are consistent (not saturated).
        if lo <= t && t < hi {
            (self.lo, self.hi) = (lo, hi);
        } else {
            (self.lo, self.hi) = (1, 0);
        }
        index
    }
}

/// The `(period, qualifies, revenue)` stream of one customer's events.
fn log_stream<'a>(
    log: &'a EventLog,
    c: usize,
    options: &CohortOptions,
    table: Option<&'a PeriodTable>,
) -> impl Iterator<Item = (i64, bool, Money)> + 'a {
    let kinds = log.event_types();
    let times = log.times();
    let values = log.values();
    let any = options.qualifying == QualifyingEvents::AnyActivity;
    let net = options.revenue == RevenueBasis::Net;
    let mut cache = PeriodCache::new(options.calendar, table);
    log.customer_range(c).filter_map(move |i| {
        let kind = kinds[i];
        let (qualifies, revenue) = match kind {
            EventType::Order => (true, Money::from_f64(values[i])),
            EventType::Refund if net => (any, Money(0) - Money::from_f64(values[i])),
            _ if any => (true, Money(0)),
            _ => return None,
        };
        Some((cache.index(times[i]), qualifies, revenue))
    })
}

/// Customers sharing a row and an anchor period: all eligible at the same ages.
pub(crate) struct SubCohort {
    pub(crate) key: (i64, i64),
    pub(crate) size: u64,
    /// Retained counts per complete age (`ReturnOn`), or their difference
    /// array with one extra slot (`ReturnOnOrAfter`).
    pub(crate) retained: Vec<i64>,
    pub(crate) revenue: Vec<Money>,
}

pub(crate) struct Engine {
    calendar: Calendar,
    pub(crate) mode: RetentionMode,
    last_complete: i64,
    max_age: Option<u32>,
    keys: HashMap<(i64, i64), usize>,
    pub(crate) subs: Vec<SubCohort>,
    cells: usize,
    last_key: Option<((i64, i64), usize)>,
}

impl Engine {
    pub(crate) fn new(options: &CohortOptions, as_of: Micros) -> Self {
        Engine {
            calendar: options.calendar,
            mode: options.mode,
            last_complete: options.calendar.last_complete(as_of),
            max_age: options.max_age,
            keys: HashMap::new(),
            subs: Vec::new(),
            cells: 0,
            last_key: None,
        }
    }

    /// Number of complete ages for customers anchored in period `anchor`.
    pub(crate) fn width(&self, anchor: i64) -> usize {
        let w = self.last_complete.saturating_sub(anchor).saturating_add(1);
        let w = usize::try_from(w.max(0)).unwrap_or(usize::MAX);
        match self.max_age {
            Some(m) => w.min(m as usize + 1),
            None => w,
        }
    }

    fn too_many_cells(&self) -> Error {
        Error::parameter(
            "max_age",
            self.max_age,
            "the matrix would exceed 50 million cells: set max_age or use a longer period",
        )
    }

    pub(crate) fn sub_for(&mut self, row: i64, anchor: i64) -> Result<usize> {
        let key = (row, anchor);
        if let Some((k, s)) = self.last_key {
            if k == key {
                return Ok(s);
            }
        }
        let s = match self.keys.get(&key) {
            Some(&s) => s,
            None => {
                let width = self.width(anchor);
                self.cells = self.cells.saturating_add(width);
                if self.cells > MAX_CELLS {
                    return Err(self.too_many_cells());
                }
                let extra = usize::from(self.mode == RetentionMode::ReturnOnOrAfter);
                self.subs.push(SubCohort {
                    key,
                    size: 0,
                    retained: vec![0; width + extra],
                    revenue: vec![Money(0); width],
                });
                self.keys.insert(key, self.subs.len() - 1);
                self.subs.len() - 1
            }
        };
        self.last_key = Some((key, s));
        Ok(s)
    }

    /// Adds one customer of sub-cohort `s`; `events` must be in period order.
    fn add_customer(
        &mut self,
        s: usize,
        events: impl Iterator<Item = (i64, bool, Money)>,
    ) -> Result<()> {
        let mode = self.mode;
        let Some(sub) = self.subs.get_mut(s) else {
            return Ok(());
        };
        let anchor = sub.key.1;
        let width = sub.revenue.len();
        sub.size += 1;
        let mut last_counted: Option<i64> = None;
        for (period, qualifies, revenue) in events {
            let Some(age) = period
                .checked_sub(anchor)
                .and_then(|a| usize::try_from(a).ok())
            else {
                continue;
            };
            if qualifies && last_counted != Some(period) {
                last_counted = Some(period);
                if mode == RetentionMode::ReturnOn && age < width {
                    sub.retained[age] += 1;
                }
            }
            if age < width {
                sub.revenue[age] += revenue;
            }
        }
        if mode == RetentionMode::ReturnOnOrAfter {
            if let Some(last) = last_counted {
                // Retained at every age 0..=last − anchor: a difference array.
                sub.retained[0] += 1;
                let end = usize::try_from(last - anchor + 1).unwrap_or(usize::MAX);
                if end < sub.retained.len() {
                    sub.retained[end] -= 1;
                }
            }
        }
        Ok(())
    }

    /// The acquisition matrix: one row per anchor period.
    pub(crate) fn finish_acquisition(self) -> Result<CohortMatrix> {
        let mut rows: Vec<i64> = self.keys.keys().map(|k| k.0).collect();
        rows.sort_unstable();
        rows.dedup();
        let labels = rows
            .iter()
            .map(|&p| period_label(&self.calendar, p))
            .collect();
        let periods = rows.iter().map(|&p| Some(p)).collect();
        let unanchored = vec![0; rows.len()];
        self.finish(&rows, labels, periods, unanchored)
    }

    fn finish(
        mut self,
        rows: &[i64],
        labels: Vec<String>,
        periods: Vec<Option<i64>>,
        unanchored: Vec<u64>,
    ) -> Result<CohortMatrix> {
        let ages = self
            .subs
            .iter()
            .map(|s| s.revenue.len())
            .max()
            .unwrap_or(0)
            .max(1);
        if rows.len().saturating_mul(ages) > MAX_CELLS {
            return Err(self.too_many_cells());
        }
        let n = rows.len();
        let mut sizes = vec![0u64; n];
        let mut eligible = vec![vec![0u64; ages]; n];
        let mut retained = vec![vec![0u64; ages]; n];
        let mut revenue = vec![vec![Money(0); ages]; n];
        let mut cumulative = vec![vec![Money(0); ages]; n];
        for sub in &mut self.subs {
            let Ok(r) = rows.binary_search(&sub.key.0) else {
                continue;
            };
            if self.mode == RetentionMode::ReturnOnOrAfter {
                for k in 1..sub.retained.len() {
                    sub.retained[k] += sub.retained[k - 1];
                }
            }
            sizes[r] += sub.size;
            let mut cum = Money(0);
            for k in 0..sub.revenue.len() {
                cum += sub.revenue[k];
                eligible[r][k] += sub.size;
                retained[r][k] += u64::try_from(sub.retained[k]).unwrap_or(0);
                revenue[r][k] += sub.revenue[k];
                cumulative[r][k] += cum;
            }
        }
        let ratio = |num: f64, den: u64| (den > 0).then(|| num / den as f64);
        let mut retention = vec![vec![None; ages]; n];
        let mut churn = vec![vec![None; ages]; n];
        let mut cell_revenue = vec![vec![None; ages]; n];
        let mut ltv = vec![vec![None; ages]; n];
        for r in 0..n {
            for k in 0..ages {
                let e = eligible[r][k];
                if e == 0 {
                    continue;
                }
                let share = retained[r][k] as f64 / e as f64;
                retention[r][k] = Some(share);
                churn[r][k] = Some(1.0 - share);
                cell_revenue[r][k] = Some(revenue[r][k].to_f64());
                ltv[r][k] = ratio(cumulative[r][k].to_f64(), e);
            }
        }
        Ok(CohortMatrix {
            calendar: self.calendar,
            mode: self.mode,
            labels,
            periods,
            sizes,
            unanchored,
            eligible,
            retained,
            retention,
            churn,
            revenue: cell_revenue,
            ltv,
        })
    }
}

/// Text label of acquisition period `index` of `cal` (`"2024-01"` for a
/// month, `"2024-Q1"`, `"2024"`, or the first day `"2024-01-01"` of a day or
/// week), as the matrices' cohort labels.
pub fn period_label(cal: &Calendar, index: i64) -> String {
    match cal.period {
        Period::Day => ymd(index),
        Period::Week { starts_on } => ymd(index
            .saturating_mul(7)
            .saturating_sub(3)
            .saturating_add(i64::from(starts_on.num_days_from_monday()))),
        Period::Month => format!(
            "{:04}-{:02}",
            index.div_euclid(12),
            index.rem_euclid(12) + 1
        ),
        Period::Quarter => format!("{:04}-Q{}", index.div_euclid(4), index.rem_euclid(4) + 1),
        Period::Year => format!("{index:04}"),
    }
}

fn ymd(day: i64) -> String {
    let (y, m, d) = civil_from_days(day);
    format!("{y:04}-{m:02}-{d:02}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Weekday;

    #[test]
    fn period_table_agrees_with_calendar_arithmetic() {
        let calendars = [
            Calendar::utc(Period::Day),
            Calendar::utc(Period::Week {
                starts_on: Weekday::Sun,
            }),
            Calendar::with_offset(Period::Month, -5 * 3600).unwrap_or(Calendar::utc(Period::Month)),
            Calendar::utc(Period::Quarter),
            Calendar::with_offset(Period::Year, 3600).unwrap_or(Calendar::utc(Period::Year)),
        ];
        let (lo, hi) = (-40 * 365 * MICROS_PER_DAY, 60 * 365 * MICROS_PER_DAY);
        for cal in calendars {
            let table = PeriodTable::new(&cal, Some((lo, hi)));
            assert!(table.is_some());
            let mut with = PeriodCache::new(cal, table.as_ref());
            let mut without = PeriodCache::new(cal, None);
            // Pseudo-random instants, in and out of order, plus boundaries.
            let mut x: i64 = 12_345;
            for _ in 0..20_000 {
                x = x.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
                let t = lo + x.rem_euclid(hi - lo + 1);
                let b = cal.start(cal.index(t));
                for u in [t, b, b - 1] {
                    assert_eq!(with.index(u), cal.index(u), "{cal:?} {u}");
                    assert_eq!(without.index(u), cal.index(u), "{cal:?} {u}");
                }
            }
            // Outside the table's range it falls back to arithmetic.
            assert_eq!(with.index(hi * 2), cal.index(hi * 2));
        }
        assert!(PeriodTable::new(&Calendar::utc(Period::Day), Some((0, i64::MAX))).is_none());
        assert!(PeriodTable::new(&Calendar::utc(Period::Day), None).is_none());
    }
}
