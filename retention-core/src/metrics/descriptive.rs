//! Counts, rates and per-customer engagement computed from an event log.
//! The definitions are in the [module docs](super).

use chrono::{DateTime, Utc};

use crate::error::{in_range, Error, Result};
use crate::events::{CustomerId, EventLog, EventType};
use crate::summary::{Money, Summaries};
use crate::time::{from_micros, to_micros, window_days, Calendar, Micros, MICROS_PER_DAY};

use super::{check_period_index, check_period_range, count_ratio, fraction, ratio, Window};

/// Customer retention rate from counts: `(E − N) / S`.
///
/// `start` is S (customers at the period start), `end` is E (at the period
/// end) and `new` is N (customers gained during the period and still there at
/// its end). `None` when `S = 0`. Errors when the counts are inconsistent:
/// `N > E` or `E − N > S`.
///
/// ```
/// use retention_core::metrics::customer_retention_rate;
/// // 100 at start, 110 at end, 30 new: 80 of the 100 stayed.
/// assert_eq!(customer_retention_rate(100, 110, 30)?, Some(0.8));
/// assert_eq!(customer_retention_rate(0, 5, 5)?, None);
/// assert!(customer_retention_rate(100, 10, 30).is_err());
/// # Ok::<(), retention_core::Error>(())
/// ```
pub fn customer_retention_rate(start: u64, end: u64, new: u64) -> Result<Option<f64>> {
    if new > end {
        return Err(Error::parameter(
            "new",
            new,
            "new customers cannot exceed the customers at the end",
        ));
    }
    if end - new > start {
        return Err(Error::parameter(
            "end",
            end,
            "end − new (retained customers) cannot exceed the customers at the start",
        ));
    }
    Ok(count_ratio(end - new, start))
}

/// Churn rate from counts: `lost / start`; `None` when `start = 0`.
///
/// Errors when `lost > start`.
///
/// ```
/// use retention_core::metrics::churn_rate;
/// assert_eq!(churn_rate(10, 100)?, Some(0.1));
/// # Ok::<(), retention_core::Error>(())
/// ```
pub fn churn_rate(lost: u64, start: u64) -> Result<Option<f64>> {
    if lost > start {
        return Err(Error::parameter(
            "lost",
            lost,
            "lost customers cannot exceed the customers at the start",
        ));
    }
    Ok(count_ratio(lost, start))
}

crate::vocab::codes! {
    /// What makes a customer "active" at an instant (see the [module docs](super)).
    #[derive(Default)]
    pub enum ActivityBasis as "activity_basis" {
        /// Non-contractual: at least one order in the trailing activity window.
        #[default]
        Orders = "orders",
        /// Contractual: MRR (sum of subscription changes before the instant) > 0.
        Subscriptions = "subscriptions",
    }
}

/// Options for activity-based counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(default, deny_unknown_fields))]
pub struct ActivityOptions {
    /// Trailing activity window in days for [`ActivityBasis::Orders`]
    /// (default 90; must be 1..=1 000 000). Ignored for subscriptions.
    pub window_days: u32,
    /// What counts as active.
    pub basis: ActivityBasis,
}

impl Default for ActivityOptions {
    fn default() -> Self {
        ActivityOptions {
            window_days: 90,
            basis: ActivityBasis::Orders,
        }
    }
}

/// Largest accepted activity window, in days (about 2 700 years).
const MAX_WINDOW_DAYS: u32 = 1_000_000;

impl ActivityOptions {
    /// The activity window in µs, validated.
    fn window(&self) -> Result<Micros> {
        if self.window_days > MAX_WINDOW_DAYS {
            return Err(Error::parameter(
                "window_days",
                self.window_days,
                "window length must be at most 1 000 000 days",
            ));
        }
        window_days("window_days", self.window_days)
    }
}

crate::vocab::codes! {
    /// Which customers a churn rate counts as lost (see [`PeriodActivity::churn_rate`]).
    #[derive(Default)]
    pub enum ChurnVariant as "churn_variant" {
        /// `lost / S`: only customers active at the start and not at the end.
        /// Customers who join and churn inside the period are excluded (the
        /// ChartMogul convention). This is the spec's default churn rate.
        #[default]
        StartingCustomers = "starting_customers",
        /// `(S + J − E) / (S + J)`: also counts customers who joined during the
        /// period and were no longer active at its end; the denominator is every
        /// customer active at some time in the period.
        IncludingNew = "including_new",
    }
}

/// Activity counts for one period `[start, end)` (definitions in the [module docs](super)).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Deserialize))]
pub struct PeriodActivity {
    /// The period (start µs inclusive, end µs exclusive).
    #[cfg_attr(feature = "serde", serde(with = "crate::time::serde_instant"))]
    pub start: Micros,
    /// End of the period (exclusive), µs.
    #[cfg_attr(feature = "serde", serde(with = "crate::time::serde_instant"))]
    pub end: Micros,
    /// S: customers active at `start`.
    pub start_count: u64,
    /// E: customers active at `end`.
    pub end_count: u64,
    /// Customers active at both `start` and `end`.
    pub retained: u64,
    /// J: customers not active at `start` who became active during the period.
    pub joined: u64,
    /// N: joined customers still active at `end` (`E = retained + N`).
    pub new: u64,
    /// Customers active at `start` and not at `end` (`S − retained`).
    pub lost: u64,
    /// `lost` plus joined customers no longer active at `end` (`S + J − E`).
    pub lost_including_new: u64,
}

impl PeriodActivity {
    /// Customer retention rate `(E − N) / S`; `None` when `S = 0` (or when
    /// hand-edited counts are inconsistent, see [`customer_retention_rate`]).
    pub fn retention_rate(&self) -> Option<f64> {
        customer_retention_rate(self.start_count, self.end_count, self.new)
            .ok()
            .flatten()
    }

    /// Churn rate under `variant`; `None` when the denominator is 0 (or when
    /// hand-edited counts put the numerator above it).
    pub fn churn_rate(&self, variant: ChurnVariant) -> Option<f64> {
        match variant {
            ChurnVariant::StartingCustomers => fraction(self.lost, self.start_count),
            // Counts whose sum exceeds u64 are inconsistent (no log holds
            // 2⁶⁴ customers): `None`, not a capped denominator.
            ChurnVariant::IncludingNew => self
                .start_count
                .checked_add(self.joined)
                .and_then(|total| fraction(self.lost_including_new, total)),
        }
    }
}

/// Sorted order instants of customer `c`.
fn order_times(log: &EventLog, c: usize) -> impl Iterator<Item = Micros> + '_ {
    let times = log.times();
    let kinds = log.event_types();
    log.customer_range(c)
        .filter(move |&i| kinds[i] == EventType::Order)
        .map(move |i| times[i])
}

/// Whether any order time (sorted ascending) lies in `[lo, hi)`.
fn any_in(sorted: &[Micros], lo: Micros, hi: Micros) -> bool {
    let first = sorted.partition_point(|&t| t < lo);
    sorted.get(first).is_some_and(|&t| t < hi)
}

/// One customer's status for a period: (active at start, became active in between, active at end).
fn customer_status(
    log: &EventLog,
    c: usize,
    window: Window,
    basis: ActivityBasis,
    w: Micros,
    buf: &mut Vec<Micros>,
) -> (bool, bool, bool) {
    let (start, end) = (window.start(), window.end());
    match basis {
        ActivityBasis::Orders => {
            buf.clear();
            buf.extend(order_times(log, c));
            let at_start = any_in(buf, start.saturating_sub(w), start);
            let at_end = any_in(buf, end.saturating_sub(w), end);
            let during = any_in(buf, start, end);
            (at_start, during, at_end)
        }
        ActivityBasis::Subscriptions => {
            let times = log.times();
            let kinds = log.event_types();
            let values = log.values();
            let mut mrr = Money(0);
            let mut at_start = None;
            let mut positive_during = false;
            for i in log.customer_range(c) {
                if kinds[i] != EventType::Subscription {
                    continue;
                }
                let t = times[i];
                if t >= end {
                    break;
                }
                if t >= start && at_start.is_none() {
                    at_start = Some(mrr.0 > 0);
                }
                mrr += Money::from_f64(values[i]);
                if t >= start && mrr.0 > 0 {
                    positive_during = true;
                }
            }
            let at_end = mrr.0 > 0;
            let at_start = at_start.unwrap_or(at_end);
            (at_start, positive_during, at_end)
        }
    }
}

/// Customers active at instant `at` (see [`ActivityOptions`]).
///
/// Errors when `options.window_days` is 0 or above 1 000 000.
pub fn active_customer_count(
    log: &EventLog,
    at: DateTime<Utc>,
    options: &ActivityOptions,
) -> Result<u64> {
    let w = options.window()?;
    let at = to_micros(at);
    let mut buf = Vec::new();
    let mut count = 0;
    for c in 0..log.customers().len() {
        let active = match options.basis {
            ActivityBasis::Orders => {
                buf.clear();
                buf.extend(order_times(log, c));
                any_in(&buf, at.saturating_sub(w), at)
            }
            ActivityBasis::Subscriptions => {
                let times = log.times();
                let kinds = log.event_types();
                let values = log.values();
                let mut mrr = Money(0);
                for i in log.customer_range(c) {
                    if times[i] >= at {
                        break;
                    }
                    if kinds[i] == EventType::Subscription {
                        mrr += Money::from_f64(values[i]);
                    }
                }
                mrr.0 > 0
            }
        };
        count += u64::from(active);
    }
    Ok(count)
}

/// S, E, N, lost, … for the period `window` (see [`PeriodActivity`]).
///
/// ```
/// use chrono::{TimeZone, Utc};
/// use retention_core::events::{Event, EventLog, LogOptions};
/// use retention_core::metrics::{period_activity, ActivityOptions, ChurnVariant, Window};
///
/// let d = |m, d| Utc.with_ymd_and_hms(2024, m, d, 12, 0, 0).unwrap();
/// let log = EventLog::from_events(
///     &[
///         Event::order(1, d(1, 10), 10.0), // active at Apr 1 (within 90 days)
///         Event::order(1, d(4, 20), 10.0), // … and at May 1
///         Event::order(2, d(1, 5), 10.0),  // active at Apr 1 only: lost
///         Event::order(3, d(4, 2), 10.0),  // new in April
///     ],
///     LogOptions::default(),
/// )?;
/// let april = Window::new(d(4, 1), d(5, 1))?;
/// let a = period_activity(&log, april, &ActivityOptions::default())?;
/// assert_eq!((a.start_count, a.end_count, a.new, a.lost), (2, 2, 1, 1));
/// assert_eq!(a.retention_rate(), Some(0.5));
/// assert_eq!(a.churn_rate(ChurnVariant::StartingCustomers), Some(0.5));
/// # Ok::<(), retention_core::Error>(())
/// ```
pub fn period_activity(
    log: &EventLog,
    window: Window,
    options: &ActivityOptions,
) -> Result<PeriodActivity> {
    let w = options.window()?;
    Ok(period_activity_unchecked(log, window, options.basis, w))
}

fn period_activity_unchecked(
    log: &EventLog,
    window: Window,
    basis: ActivityBasis,
    w: Micros,
) -> PeriodActivity {
    let mut a = PeriodActivity {
        start: window.start(),
        end: window.end(),
        start_count: 0,
        end_count: 0,
        retained: 0,
        joined: 0,
        new: 0,
        lost: 0,
        lost_including_new: 0,
    };
    let mut buf = Vec::new();
    for c in 0..log.customers().len() {
        let (at_start, during, at_end) = customer_status(log, c, window, basis, w, &mut buf);
        let joined = !at_start && (during || at_end);
        a.start_count += u64::from(at_start);
        a.end_count += u64::from(at_end);
        a.retained += u64::from(at_start && at_end);
        a.joined += u64::from(joined);
        a.new += u64::from(joined && at_end);
        a.lost += u64::from(at_start && !at_end);
        a.lost_including_new += u64::from((at_start || joined) && !at_end);
    }
    a
}

/// [`period_activity`] for every period `first..=last` of `calendar`.
///
/// Errors on invalid options, on period indices beyond
/// [`MAX_PERIOD_INDEX`](super::MAX_PERIOD_INDEX), when `last < first`, or when
/// the series would exceed [`MAX_SERIES_PERIODS`](super::MAX_SERIES_PERIODS).
pub fn period_activity_series(
    log: &EventLog,
    calendar: &Calendar,
    first: i64,
    last: i64,
    options: &ActivityOptions,
) -> Result<Vec<PeriodActivity>> {
    let w = options.window()?;
    check_period_range(first, last)?;
    (first..=last)
        .map(|p| {
            Ok(period_activity_unchecked(
                log,
                Window::period(calendar, p)?,
                options.basis,
                w,
            ))
        })
        .collect()
}

/// Period-over-period retention counts for one period `P`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct PeriodRetention {
    /// Period index `P` (in the calendar used).
    pub period: i64,
    /// Customers with at least one order in `P`.
    pub customers: u64,
    /// Of those, customers with at least one order in `P + 1`.
    pub retained: u64,
}

impl PeriodRetention {
    /// `retained / customers`; `None` when nobody ordered in `P`.
    pub fn rate(&self) -> Option<f64> {
        fraction(self.retained, self.customers)
    }
}

/// Of the customers with an order in period `period`, how many ordered in the next one.
///
/// The caller decides whether period `P + 1` is complete; orders after it are ignored.
pub fn period_over_period_retention(
    log: &EventLog,
    calendar: &Calendar,
    period: i64,
) -> Result<PeriodRetention> {
    check_period_index("period", period)?;
    Ok(pop_series(log, calendar, period, period)
        .pop()
        .unwrap_or(PeriodRetention {
            period,
            customers: 0,
            retained: 0,
        }))
}

/// [`period_over_period_retention`] for every period `first..=last`, in one pass.
///
/// Errors like [`period_activity_series`] on bad ranges.
pub fn period_over_period_retention_series(
    log: &EventLog,
    calendar: &Calendar,
    first: i64,
    last: i64,
) -> Result<Vec<PeriodRetention>> {
    check_period_range(first, last)?;
    Ok(pop_series(log, calendar, first, last))
}

fn pop_series(log: &EventLog, calendar: &Calendar, first: i64, last: i64) -> Vec<PeriodRetention> {
    let mut out: Vec<PeriodRetention> = (first..=last)
        .map(|period| PeriodRetention {
            period,
            customers: 0,
            retained: 0,
        })
        .collect();
    let mut periods: Vec<i64> = Vec::new();
    for c in 0..log.customers().len() {
        periods.clear();
        // Period indices are monotone in time and the log is time-ordered.
        for t in order_times(log, c) {
            let p = calendar.index(t);
            if periods.last() != Some(&p) {
                periods.push(p);
            }
        }
        for (k, &p) in periods.iter().enumerate() {
            if p < first || p > last {
                continue;
            }
            let slot = &mut out[(p - first) as usize];
            slot.customers += 1;
            if periods.get(k + 1) == Some(&(p + 1)) {
                slot.retained += 1;
            }
        }
    }
    out
}

/// Order counts in a window: the base of repeat purchase rate, purchase
/// frequency and average order value.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Deserialize))]
pub struct OrderStats {
    /// Distinct customers with at least one order in the window.
    pub customers: u64,
    /// Customers with at least two orders in the window.
    pub repeat_customers: u64,
    /// Orders in the window.
    pub orders: u64,
    /// Gross order revenue in the window (refunds not deducted).
    pub revenue: f64,
}

impl OrderStats {
    /// Repeat purchase rate: customers with ≥ 2 orders / customers with ≥ 1.
    pub fn repeat_purchase_rate(&self) -> Option<f64> {
        fraction(self.repeat_customers, self.customers)
    }

    /// Purchase frequency: orders / distinct customers.
    pub fn purchase_frequency(&self) -> Option<f64> {
        count_ratio(self.orders, self.customers)
    }

    /// Average order value: revenue / orders.
    pub fn average_order_value(&self) -> Option<f64> {
        if self.orders == 0 {
            None
        } else {
            ratio(self.revenue, self.orders as f64)
        }
    }
}

/// Orders, customers and revenue of orders placed in `window`.
///
/// ```
/// use chrono::{TimeZone, Utc};
/// use retention_core::events::{Event, EventLog, LogOptions};
/// use retention_core::metrics::{order_stats, Window};
///
/// let d = |d| Utc.with_ymd_and_hms(2024, 6, d, 12, 0, 0).unwrap();
/// let log = EventLog::from_events(
///     &[Event::order(1, d(1), 30.0), Event::order(1, d(2), 10.0), Event::order(2, d(3), 20.0)],
///     LogOptions::default(),
/// )?;
/// let s = order_stats(&log, Window::new(d(1), d(30))?);
/// assert_eq!(s.repeat_purchase_rate(), Some(0.5));
/// assert_eq!(s.purchase_frequency(), Some(1.5));
/// assert_eq!(s.average_order_value(), Some(20.0));
/// # Ok::<(), retention_core::Error>(())
/// ```
pub fn order_stats(log: &EventLog, window: Window) -> OrderStats {
    let values = log.values();
    let mut s = OrderStats {
        customers: 0,
        repeat_customers: 0,
        orders: 0,
        revenue: 0.0,
    };
    let mut revenue = Money(0);
    for c in 0..log.customers().len() {
        let mut n = 0u64;
        for i in log.customer_range(c) {
            if log.event_types()[i] == EventType::Order && window.contains(log.times()[i]) {
                n += 1;
                revenue += Money::from_f64(values[i]);
            }
        }
        s.customers += u64::from(n >= 1);
        s.repeat_customers += u64::from(n >= 2);
        s.orders += n;
    }
    s.revenue = revenue.to_f64();
    s
}

/// Observed average customer lifespan in days: the mean over customers with
/// at least one order of `(last order − first order)`. Single-order customers
/// count with 0 days. `None` when no customer has an order.
pub fn average_lifespan_days(summaries: &Summaries) -> Option<f64> {
    let mut total = 0.0;
    let mut n = 0u64;
    for s in summaries.summaries() {
        if let Some(days) = s.lifespan_days() {
            total += days;
            n += 1;
        }
    }
    if n == 0 {
        None
    } else {
        ratio(total, n as f64)
    }
}

/// Average customer lifespan from a churn rate: `1 / churn` periods.
///
/// `None` when the churn rate is 0 (customers never leave). Errors unless
/// `churn_rate` is a finite number in `[0, 1]`.
///
/// ```
/// use retention_core::metrics::lifespan_from_churn;
/// assert_eq!(lifespan_from_churn(0.05)?, Some(20.0));
/// assert_eq!(lifespan_from_churn(0.0)?, None);
/// # Ok::<(), retention_core::Error>(())
/// ```
pub fn lifespan_from_churn(churn_rate: f64) -> Result<Option<f64>> {
    let c = in_range(
        "churn_rate",
        churn_rate,
        0.0,
        1.0,
        "must be a fraction in [0, 1]",
    )?;
    Ok(ratio(1.0, c))
}

/// Referral counts in a window.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Deserialize))]
pub struct ReferralStats {
    /// Customers with at least one order in the window (the denominator).
    pub customers: u64,
    /// Of those, customers with at least one referral in the window (the numerator).
    pub referrers: u64,
    /// Every customer with a referral in the window, whether or not they ordered.
    pub all_referrers: u64,
}

impl ReferralStats {
    /// Referral rate: `referrers / customers`; `None` when nobody ordered.
    ///
    /// The denominator is the window's purchasing customers, and the numerator
    /// the purchasing customers who referred somebody, so the rate is the share
    /// of the active customer base that refers and stays within `[0, 1]`.
    pub fn rate(&self) -> Option<f64> {
        fraction(self.referrers, self.customers)
    }
}

/// Referral counts for events in `window` (see [`ReferralStats::rate`]).
pub fn referral_stats(log: &EventLog, window: Window) -> ReferralStats {
    let mut s = ReferralStats {
        customers: 0,
        referrers: 0,
        all_referrers: 0,
    };
    let (times, kinds) = (log.times(), log.event_types());
    for c in 0..log.customers().len() {
        let (mut ordered, mut referred) = (false, false);
        for i in log.customer_range(c) {
            if window.contains(times[i]) {
                match kinds[i] {
                    EventType::Order => ordered = true,
                    EventType::Referral => referred = true,
                    _ => {}
                }
            }
        }
        s.customers += u64::from(ordered);
        s.referrers += u64::from(ordered && referred);
        s.all_referrers += u64::from(referred);
    }
    s
}

/// Engagement of one customer as of an instant.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Engagement {
    /// The customer.
    pub customer: CustomerId,
    /// Sessions / visits up to `as_of`.
    pub sessions: u64,
    /// Marketing emails opened up to `as_of`.
    pub email_opens: u64,
    /// Marketing emails clicked up to `as_of`.
    pub email_clicks: u64,
    /// Distinct UTC days with any event in `[as_of − 30 days, as_of]` (at most 31).
    pub active_days_30: u32,
    /// Latest event of any kind, µs since the epoch.
    #[cfg_attr(
        feature = "serde",
        serde(default, with = "crate::time::serde_opt_instant")
    )]
    pub last_activity: Option<Micros>,
    /// Days (fractional) from the latest event of any kind to `as_of`.
    pub days_since_last_activity: Option<f64>,
}

impl Engagement {
    /// Click-through: `email_clicks / email_opens`; `None` without opens.
    ///
    /// Follows the spec's formula exactly, so it exceeds 1 when clicks were
    /// recorded without their opens (e.g. blocked tracking pixels).
    pub fn click_through_rate(&self) -> Option<f64> {
        count_ratio(self.email_clicks, self.email_opens)
    }

    /// The latest event as a datetime.
    pub fn last_activity_datetime(&self) -> Option<DateTime<Utc>> {
        self.last_activity.map(from_micros)
    }
}

fn engagement_of(log: &EventLog, c: usize, as_of: Micros) -> Engagement {
    let (times, kinds) = (log.times(), log.event_types());
    let mut e = Engagement {
        customer: log
            .customers()
            .get(c)
            .cloned()
            .unwrap_or(CustomerId::Int(0)),
        sessions: 0,
        email_opens: 0,
        email_clicks: 0,
        active_days_30: 0,
        last_activity: None,
        days_since_last_activity: None,
    };
    let from = as_of.saturating_sub(30 * MICROS_PER_DAY);
    let mut last_day = None;
    for i in log.customer_range(c) {
        let t = times[i];
        match kinds[i] {
            EventType::Session => e.sessions += 1,
            EventType::EmailOpen => e.email_opens += 1,
            EventType::EmailClick => e.email_clicks += 1,
            _ => {}
        }
        if from <= t && t <= as_of {
            let day = t.div_euclid(MICROS_PER_DAY);
            if last_day != Some(day) {
                e.active_days_30 += 1;
                last_day = Some(day);
            }
        }
        e.last_activity = Some(e.last_activity.map_or(t, |l: Micros| l.max(t)));
    }
    e.days_since_last_activity = e.last_activity.map(|l| crate::time::elapsed_days(l, as_of));
    e
}

/// Engagement of every customer in the log as of `as_of`, in customer order.
///
/// Errors with [`IssueKind::AfterAsOf`](crate::IssueKind::AfterAsOf) for every
/// event later than `as_of`.
pub fn engagement(log: &EventLog, as_of: DateTime<Utc>) -> Result<Vec<Engagement>> {
    let as_of = to_micros(as_of);
    log.check_as_of(as_of)?;
    Ok((0..log.customers().len())
        .map(|c| engagement_of(log, c, as_of))
        .collect())
}

/// Engagement of one customer as of `as_of`.
///
/// Errors with [`Error::UnknownCustomer`] when the customer has no events,
/// and like [`engagement`] for events after `as_of`.
pub fn customer_engagement(
    log: &EventLog,
    customer: &CustomerId,
    as_of: DateTime<Utc>,
) -> Result<Engagement> {
    let c = log
        .customer_index(customer)
        .ok_or_else(|| Error::UnknownCustomer {
            customer: customer.to_string(),
        })?;
    let as_of = to_micros(as_of);
    log.check_as_of(as_of)?;
    Ok(engagement_of(log, c, as_of))
}

serialize_with_ratios!(PeriodActivity {
    start via crate::time::from_micros, end via crate::time::from_micros, start_count, end_count, retained, joined, new, lost, lost_including_new,
} {
    retention_rate: PeriodActivity::retention_rate,
    churn_rate: |a: &PeriodActivity| a.churn_rate(ChurnVariant::StartingCustomers),
    churn_rate_including_new: |a: &PeriodActivity| a.churn_rate(ChurnVariant::IncludingNew),
});

serialize_with_ratios!(OrderStats { customers, repeat_customers, orders, revenue } {
    repeat_purchase_rate: OrderStats::repeat_purchase_rate,
    purchase_frequency: OrderStats::purchase_frequency,
    average_order_value: OrderStats::average_order_value,
});

serialize_with_ratios!(ReferralStats { customers, referrers, all_referrers } {
    referral_rate: ReferralStats::rate,
});
