//! Cohort analysis: retention, churn, revenue and LTV matrices.
//!
//! This module holds the acquisition and labelled matrices below;
//! [`retention`] adds cohort retention as product analytics tools report it
//! (start and return events, rolling windows, brackets, breakdowns by
//! property, mean rows, revenue retention, Wilson intervals).
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
//! Money is summed in exact fixed point ([`Money`](crate::summary::Money)), so results do not depend
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

use chrono::{DateTime, Utc};

use crate::error::{Error, Result};
use crate::events::EventLog;
use crate::summary::OrderDays;
use crate::time::{to_micros, Calendar, Micros, MICROS_PER_DAY};

mod engine;
mod labelled;
mod periods;
pub mod retention;
mod retention_result;

pub(crate) use engine::Engine;
pub(crate) use labelled::label_pairs;
pub use labelled::{labelled_cohorts, labelled_cohorts_from_slices};
pub use periods::period_label;
use periods::{first_order_period, log_stream, PeriodCache, PeriodTable};

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
