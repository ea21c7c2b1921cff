//! Per-customer summaries: one pass over a log, mergeable across partitions.
//!
//! A [`CustomerSummary`] holds what most metrics need about one customer:
//! first and last order, order count, gross revenue and refunds, and (only for
//! customers that have them) engagement counters, ticket counts, the latest
//! answer to each survey question, current MRR and loyalty points.
//!
//! Summaries form a commutative monoid: [`CustomerSummary::merge`] is
//! commutative and associative with [`CustomerSummary::default`] as identity,
//! so the summary of a log equals the merge of the summaries of any split of
//! it, in any order. [`Summaries::update`] (streaming) is the merge with
//! a one-event summary. This is what lets partial results computed on
//! partitions (threads, Spark executors) combine exactly:
//!
//! * instants: `min` for first, `max` for last;
//! * counters and money: sums. Money is fixed-point with 10⁻⁶ currency units
//!   in `i128` ([`Money`]), so sums are exact and order-independent (floating
//!   sums would differ in the last bits between split orders);
//! * latest survey answer per question: the answer with the greatest
//!   `(timestamp, score)` pair, a total order, so ties resolve the same way
//!   whatever the merge order.
//!
//! Memory: the order part is inline (48 bytes); everything else sits behind
//! one pointer allocated only for customers with non-order events, so an
//! order-only customer costs 48 bytes of state.
//!
//! Distinct order *days* cannot be merged exactly from fixed-size state (two
//! partitions can hold the same day), so they are kept apart in
//! [`OrderDays`], a mergeable sorted set per customer.

use std::cmp::Ordering;

mod state;
pub use state::{state_fields, MergeRule, StateColumn, StateField, StateType, SummaryState};

use crate::error::Result;
use crate::events::{CustomerId, EventKind};
use crate::events::{Event, EventLog, EventRef, EventType, LogOptions, Severity, SurveyKind};
use crate::time::{Micros, MICROS_PER_DAY};

/// Fixed-point money: an exact count of 10⁻⁶ currency units.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Money(pub i128);

impl Money {
    /// Units per currency unit.
    pub const SCALE: f64 = 1e6;

    /// Largest magnitude [`Money::checked_from_f64`] accepts: 10³⁰ currency
    /// units (10³⁶ fixed-point units, inside `i128`'s 1.7·10³⁸ with room for
    /// sums of a hundred customers' worth of such values).
    pub const MAX_F64: f64 = 1e30;

    /// Converts a validated amount (finite, |x| ≤ [`Money::MAX_F64`]; event
    /// amounts are at most 10¹²) to fixed point, rounding to 10⁻⁶. The
    /// conversion is exact over that whole range (an amount beyond the
    /// `i64` range of fixed-point units, 9.2·10¹², is not capped there).
    #[inline]
    pub fn from_f64(x: f64) -> Money {
        let y = x * Self::SCALE;
        // Round half away from zero, as `f64::round` does, without its libm
        // call: below 2^52 adding ±0.5 is exact and truncation finishes the
        // job; from 2^52 on every float is already a whole number.
        const WHOLE: f64 = 4_503_599_627_370_496.0; // 2^52
        let rounded = if y.abs() >= WHOLE {
            y
        } else if y >= 0.0 {
            y + 0.5
        } else {
            y - 0.5
        };
        // The `i64` conversion is the fast one; `as i128` is a library call
        // on most targets, needed only beyond 2⁶³ units (9.2·10¹² currency).
        const I64_LIMIT: f64 = 9_223_372_036_854_775_808.0; // 2^63
        if rounded.abs() < I64_LIMIT {
            Money(i128::from(rounded as i64))
        } else {
            Money(rounded as i128)
        }
    }

    /// [`Money::from_f64`] for an amount that has not been validated: an
    /// [`Error::InvalidParameter`](crate::Error::InvalidParameter) naming
    /// `name` when `x` is not finite or its magnitude exceeds
    /// [`Money::MAX_F64`] (the fixed point would be capped, not exact).
    ///
    /// ```
    /// use retention_core::summary::Money;
    ///
    /// assert_eq!(Money::checked_from_f64("value", 5e13)?.to_f64(), 5e13);
    /// assert!(Money::checked_from_f64("value", 1e40).is_err());
    /// # Ok::<(), retention_core::Error>(())
    /// ```
    pub fn checked_from_f64(name: &'static str, x: f64) -> Result<Money> {
        if x.is_finite() && x.abs() <= Self::MAX_F64 {
            Ok(Money::from_f64(x))
        } else {
            Err(crate::Error::parameter(
                name,
                x,
                "must be a finite amount of at most 1e30 in magnitude",
            ))
        }
    }

    /// The amount as a float.
    pub fn to_f64(self) -> f64 {
        self.0 as f64 / Self::SCALE
    }
}

impl std::ops::Add for Money {
    type Output = Money;
    fn add(self, rhs: Money) -> Money {
        Money(self.0.saturating_add(rhs.0))
    }
}

impl std::ops::AddAssign for Money {
    fn add_assign(&mut self, rhs: Money) {
        *self = *self + rhs;
    }
}

impl std::ops::Sub for Money {
    type Output = Money;
    fn sub(self, rhs: Money) -> Money {
        Money(self.0.saturating_sub(rhs.0))
    }
}

/// The latest answer to one survey question.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SurveyAnswer {
    /// When it was given.
    pub time: Micros,
    /// The answer.
    pub score: f64,
}

impl SurveyAnswer {
    fn later(a: Option<SurveyAnswer>, b: Option<SurveyAnswer>) -> Option<SurveyAnswer> {
        match (a, b) {
            (Some(x), Some(y)) => {
                let ord = x.time.cmp(&y.time).then(x.score.total_cmp(&y.score));
                Some(if ord == Ordering::Less { y } else { x })
            }
            (x, None) => x,
            (None, y) => y,
        }
    }
}

/// Non-order activity of a customer (allocated only when there is some).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Activity {
    /// Earliest non-order event.
    pub first_event: Option<Micros>,
    /// Latest non-order event.
    pub last_event: Option<Micros>,
    /// Earliest signup.
    pub signup: Option<Micros>,
    /// Sessions / visits.
    pub sessions: u64,
    /// Marketing emails opened.
    pub email_opens: u64,
    /// Marketing emails clicked.
    pub email_clicks: u64,
    /// Referral events.
    pub referrals: u64,
    /// Ticket-opened events per [`Severity`] (index = severity code).
    pub tickets_opened: [u64; 3],
    /// Ticket-resolved events per [`Severity`].
    pub tickets_resolved: [u64; 3],
    /// Latest answer per [`SurveyKind`] (index = kind code).
    pub surveys: [Option<SurveyAnswer>; 6],
    /// Current MRR: the sum of all MRR movements.
    pub mrr: Money,
    /// Loyalty points credited.
    pub points_earned: Money,
    /// Loyalty points redeemed.
    pub points_redeemed: Money,
}

fn min_opt(a: Option<Micros>, b: Option<Micros>) -> Option<Micros> {
    match (a, b) {
        (Some(x), Some(y)) => Some(x.min(y)),
        (x, None) => x,
        (None, y) => y,
    }
}

fn max_opt(a: Option<Micros>, b: Option<Micros>) -> Option<Micros> {
    a.max(b)
}

impl Activity {
    fn merge(&mut self, o: &Activity) {
        self.first_event = min_opt(self.first_event, o.first_event);
        self.last_event = max_opt(self.last_event, o.last_event);
        self.signup = min_opt(self.signup, o.signup);
        self.sessions += o.sessions;
        self.email_opens += o.email_opens;
        self.email_clicks += o.email_clicks;
        self.referrals += o.referrals;
        for s in 0..3 {
            self.tickets_opened[s] += o.tickets_opened[s];
            self.tickets_resolved[s] += o.tickets_resolved[s];
        }
        for k in 0..6 {
            self.surveys[k] = SurveyAnswer::later(self.surveys[k], o.surveys[k]);
        }
        self.mrr += o.mrr;
        self.points_earned += o.points_earned;
        self.points_redeemed += o.points_redeemed;
    }

    /// Open tickets of a severity: opened − resolved, never below zero.
    pub fn open_tickets(&self, severity: Severity) -> u64 {
        let s = severity as usize;
        self.tickets_opened[s].saturating_sub(self.tickets_resolved[s])
    }

    /// Latest answer to a survey question.
    pub fn latest_survey(&self, kind: SurveyKind) -> Option<SurveyAnswer> {
        self.surveys[kind as usize]
    }
}

/// One customer's state. See the module docs for the merge rules.
#[derive(Debug, Clone, PartialEq)]
pub struct CustomerSummary {
    first_order: Micros,
    last_order: Micros,
    revenue: Money,
    refunds: Money,
    orders: u32,
    refund_count: u32,
    activity: Option<Box<Activity>>,
}

impl Default for CustomerSummary {
    fn default() -> Self {
        CustomerSummary {
            first_order: Micros::MAX,
            last_order: Micros::MIN,
            revenue: Money(0),
            refunds: Money(0),
            orders: 0,
            refund_count: 0,
            activity: None,
        }
    }
}

impl CustomerSummary {
    /// First order instant, if any order.
    pub fn first_order(&self) -> Option<Micros> {
        (self.orders > 0).then_some(self.first_order)
    }

    /// Last order instant, if any order.
    pub fn last_order(&self) -> Option<Micros> {
        (self.orders > 0).then_some(self.last_order)
    }

    /// Number of orders.
    pub fn orders(&self) -> u32 {
        self.orders
    }

    /// Number of refunds.
    pub fn refund_count(&self) -> u32 {
        self.refund_count
    }

    /// Gross order revenue.
    pub fn revenue(&self) -> f64 {
        self.revenue.to_f64()
    }

    /// Refunded amount.
    pub fn refunds(&self) -> f64 {
        self.refunds.to_f64()
    }

    /// Net revenue: orders − refunds (the historic CLV).
    pub fn net_revenue(&self) -> f64 {
        (self.revenue - self.refunds).to_f64()
    }

    /// Exact gross revenue.
    pub fn revenue_exact(&self) -> Money {
        self.revenue
    }

    /// Non-order activity, if the customer has any.
    pub fn activity(&self) -> Option<&Activity> {
        self.activity.as_deref()
    }

    /// Earliest event of any kind.
    pub fn first_seen(&self) -> Option<Micros> {
        min_opt(
            self.first_order(),
            self.activity().and_then(|a| a.first_event),
        )
    }

    /// Latest event of any kind.
    pub fn last_seen(&self) -> Option<Micros> {
        max_opt(
            self.last_order(),
            self.activity().and_then(|a| a.last_event),
        )
    }

    /// Days between first and last order (0 for one order, `None` for none).
    pub fn lifespan_days(&self) -> Option<f64> {
        (self.orders > 0)
            .then(|| (self.last_order - self.first_order) as f64 / MICROS_PER_DAY as f64)
    }

    fn activity_mut(&mut self) -> &mut Activity {
        self.activity.get_or_insert_with(Default::default)
    }

    #[inline]
    fn add_order(&mut self, t: Micros, amount: f64) {
        self.first_order = self.first_order.min(t);
        self.last_order = self.last_order.max(t);
        self.revenue += Money::from_f64(amount);
        self.orders = self.orders.saturating_add(1);
    }

    fn add_event(
        &mut self,
        t: Micros,
        kind: EventType,
        value: f64,
        event: impl FnOnce() -> EventKind,
    ) {
        match kind {
            EventType::Order => return self.add_order(t, value),
            EventType::Refund => {
                self.refunds += Money::from_f64(value);
                self.refund_count = self.refund_count.saturating_add(1);
                return;
            }
            _ => {}
        }
        let a = self.activity_mut();
        a.first_event = min_opt(a.first_event, Some(t));
        a.last_event = max_opt(a.last_event, Some(t));
        match event() {
            EventKind::Signup => a.signup = min_opt(a.signup, Some(t)),
            EventKind::Session => a.sessions += 1,
            EventKind::EmailOpen => a.email_opens += 1,
            EventKind::EmailClick => a.email_clicks += 1,
            EventKind::Referral { .. } => a.referrals += 1,
            EventKind::SupportTicket { severity, resolved } => {
                let counts = if resolved {
                    &mut a.tickets_resolved
                } else {
                    &mut a.tickets_opened
                };
                counts[severity as usize] += 1;
            }
            EventKind::Survey { kind, score } => {
                let k = kind as usize;
                a.surveys[k] =
                    SurveyAnswer::later(a.surveys[k], Some(SurveyAnswer { time: t, score }));
            }
            EventKind::Subscription { mrr_delta, .. } => a.mrr += Money::from_f64(mrr_delta),
            EventKind::PointsEarned { points } => a.points_earned += Money::from_f64(points),
            EventKind::PointsRedeemed { points } => a.points_redeemed += Money::from_f64(points),
            EventKind::Order { .. } | EventKind::Refund { .. } => {}
        }
    }

    pub(crate) fn add_ref(&mut self, e: EventRef<'_>) {
        self.add_event(e.time(), e.event_type(), e.value(), || e.kind());
    }

    /// Merges another summary of the same customer into this one.
    pub fn merge(&mut self, other: &CustomerSummary) {
        self.first_order = self.first_order.min(other.first_order);
        self.last_order = self.last_order.max(other.last_order);
        self.revenue += other.revenue;
        self.refunds += other.refunds;
        self.orders = self.orders.saturating_add(other.orders);
        self.refund_count = self.refund_count.saturating_add(other.refund_count);
        if let Some(o) = &other.activity {
            self.activity_mut().merge(o);
        }
    }
}

/// Summaries of many customers, sorted by customer id.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Summaries {
    ids: Vec<CustomerId>,
    stats: Vec<CustomerSummary>,
}

impl Summaries {
    /// One pass over a log.
    ///
    /// ```
    /// use chrono::{TimeZone, Utc};
    /// use retention_core::events::{Event, EventLog, LogOptions};
    /// use retention_core::summary::Summaries;
    ///
    /// let day = |d| Utc.with_ymd_and_hms(2024, 5, d, 9, 0, 0).unwrap();
    /// let events = vec![Event::order(1, day(1), 30.0), Event::order(1, day(8), 20.0), Event::order(2, day(3), 5.0)];
    /// let whole = Summaries::from_log(&EventLog::from_events(&events, LogOptions::default())?);
    ///
    /// // Any split, merged in any order, gives the same summaries.
    /// let a = Summaries::from_log(&EventLog::from_events(&events[..1], LogOptions::default())?);
    /// let b = Summaries::from_log(&EventLog::from_events(&events[1..], LogOptions::default())?);
    /// assert_eq!(b.merge(&a), whole);
    /// assert_eq!(whole.get(&1.into()).unwrap().revenue(), 50.0);
    /// # Ok::<(), retention_core::Error>(())
    /// ```
    pub fn from_log(log: &EventLog) -> Summaries {
        let times = log.times();
        let kinds = log.event_types();
        let values = log.values();
        let stats = (0..log.customers().len())
            .map(|c| customer_summary(log, times, kinds, values, c))
            .collect();
        Summaries {
            ids: log.customers().to_vec(),
            stats,
        }
    }

    /// The summary of the customer with dense index `c` alone (what
    /// [`Summaries::from_log`] computes for that customer).
    pub(crate) fn of_customer(log: &EventLog, c: usize) -> CustomerSummary {
        customer_summary(log, log.times(), log.event_types(), log.values(), c)
    }

    /// Number of customers.
    pub fn len(&self) -> usize {
        self.ids.len()
    }

    /// Whether there are no customers.
    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    /// Customer ids, sorted.
    pub fn ids(&self) -> &[CustomerId] {
        &self.ids
    }

    /// Summaries, in the order of [`Summaries::ids`].
    pub fn summaries(&self) -> &[CustomerSummary] {
        &self.stats
    }

    /// The summary of one customer.
    pub fn get(&self, id: &CustomerId) -> Option<&CustomerSummary> {
        self.ids.binary_search(id).ok().map(|i| &self.stats[i])
    }

    /// Iterates `(id, summary)` in id order.
    pub fn iter(&self) -> impl Iterator<Item = (&CustomerId, &CustomerSummary)> {
        self.ids.iter().zip(&self.stats)
    }

    /// Merges two sets of summaries (commutative and associative).
    pub fn merge(&self, other: &Summaries) -> Summaries {
        let mut ids = Vec::with_capacity(self.len().max(other.len()));
        let mut stats = Vec::with_capacity(ids.capacity());
        let (mut i, mut j) = (0, 0);
        while i < self.len() || j < other.len() {
            let ord = match (self.ids.get(i), other.ids.get(j)) {
                (Some(a), Some(b)) => a.cmp(b),
                (Some(_), None) => Ordering::Less,
                _ => Ordering::Greater,
            };
            match ord {
                Ordering::Less => {
                    ids.push(self.ids[i].clone());
                    stats.push(self.stats[i].clone());
                    i += 1;
                }
                Ordering::Greater => {
                    ids.push(other.ids[j].clone());
                    stats.push(other.stats[j].clone());
                    j += 1;
                }
                Ordering::Equal => {
                    let mut s = self.stats[i].clone();
                    s.merge(&other.stats[j]);
                    ids.push(self.ids[i].clone());
                    stats.push(s);
                    i += 1;
                    j += 1;
                }
            }
        }
        Summaries { ids, stats }
    }

    /// Streaming update with one event (validated like a log row; row index 0).
    pub fn update(&mut self, event: &Event) -> Result<()> {
        let one = EventLog::from_events(std::slice::from_ref(event), LogOptions::default())?;
        let Some(e) = one.get(0) else { return Ok(()) };
        let pos = match self.ids.binary_search(&event.customer) {
            Ok(p) => p,
            Err(p) => {
                self.ids.insert(p, event.customer.clone());
                self.stats.insert(p, CustomerSummary::default());
                p
            }
        };
        self.stats[pos].add_ref(e);
        Ok(())
    }
}

/// Orders of one customer on one UTC day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DayTotal {
    /// UTC day index (days since 1970-01-01).
    pub day: i64,
    /// Number of orders that day.
    pub orders: u32,
    /// Their total value.
    pub revenue: Money,
}

/// One customer's summary from the events of its log range.
fn customer_summary(
    log: &EventLog,
    times: &[Micros],
    kinds: &[EventType],
    values: &[f64],
    c: usize,
) -> CustomerSummary {
    let mut s = CustomerSummary::default();
    for i in log.customer_range(c) {
        if kinds[i] == EventType::Order {
            s.add_order(times[i], values[i]);
        } else if let Some(e) = log.get(i) {
            s.add_ref(e);
        }
    }
    s
}

/// Distinct UTC order days per customer, with each day's order count and
/// revenue: a mergeable sorted set (union, summing days present on both sides).
///
/// Used for "frequency as distinct order days" and as the exact, mergeable
/// base of the repeat-purchase counts of the probabilistic models (distinct
/// weeks or months are functions of distinct days; per-period spend is a sum
/// of per-day spend).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct OrderDays {
    ids: Vec<CustomerId>,
    days: Vec<Vec<DayTotal>>,
}

impl OrderDays {
    /// Builds the sets from a log.
    pub fn from_log(log: &EventLog) -> OrderDays {
        let times = log.times();
        let kinds = log.event_types();
        let values = log.values();
        let mut ids = Vec::new();
        let mut days = Vec::new();
        for (c, id) in log.customers().iter().enumerate() {
            let mut set: Vec<DayTotal> = Vec::new();
            // The log is time-ordered per customer, so equal days are adjacent.
            for i in log
                .customer_range(c)
                .filter(|&i| kinds[i] == EventType::Order)
            {
                let day = times[i].div_euclid(MICROS_PER_DAY);
                let amount = Money::from_f64(values[i]);
                match set.last_mut() {
                    Some(last) if last.day == day => {
                        last.orders = last.orders.saturating_add(1);
                        last.revenue += amount;
                    }
                    _ => set.push(DayTotal {
                        day,
                        orders: 1,
                        revenue: amount,
                    }),
                }
            }
            if !set.is_empty() {
                ids.push(id.clone());
                days.push(set);
            }
        }
        OrderDays { ids, days }
    }

    /// Number of customers with at least one order.
    pub fn len(&self) -> usize {
        self.ids.len()
    }

    /// Whether no customer has an order.
    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    /// The order days of a customer, sorted by day.
    pub fn get(&self, id: &CustomerId) -> Option<&[DayTotal]> {
        self.ids
            .binary_search(id)
            .ok()
            .map(|i| self.days[i].as_slice())
    }

    /// Iterates `(id, days)` in id order.
    pub fn iter(&self) -> impl Iterator<Item = (&CustomerId, &[DayTotal])> {
        self.ids.iter().zip(self.days.iter().map(Vec::as_slice))
    }

    /// Union of two sets of order days (commutative and associative).
    pub fn merge(&self, other: &OrderDays) -> OrderDays {
        let mut out = OrderDays::default();
        let (mut i, mut j) = (0, 0);
        while i < self.ids.len() || j < other.ids.len() {
            let ord = match (self.ids.get(i), other.ids.get(j)) {
                (Some(a), Some(b)) => a.cmp(b),
                (Some(_), None) => Ordering::Less,
                _ => Ordering::Greater,
            };
            let (id, set) = match ord {
                Ordering::Less => {
                    i += 1;
                    (self.ids[i - 1].clone(), self.days[i - 1].clone())
                }
                Ordering::Greater => {
                    j += 1;
                    (other.ids[j - 1].clone(), other.days[j - 1].clone())
                }
                Ordering::Equal => {
                    let u = union_days(&self.days[i], &other.days[j]);
                    i += 1;
                    j += 1;
                    (self.ids[i - 1].clone(), u)
                }
            };
            out.ids.push(id);
            out.days.push(set);
        }
        out
    }
}

fn union_days(a: &[DayTotal], b: &[DayTotal]) -> Vec<DayTotal> {
    let mut out = Vec::with_capacity(a.len() + b.len());
    let (mut i, mut j) = (0, 0);
    while i < a.len() || j < b.len() {
        match (a.get(i), b.get(j)) {
            (Some(x), Some(y)) if x.day == y.day => {
                out.push(DayTotal {
                    day: x.day,
                    orders: x.orders.saturating_add(y.orders),
                    revenue: x.revenue + y.revenue,
                });
                i += 1;
                j += 1;
            }
            (Some(x), Some(y)) if x.day < y.day => {
                out.push(*x);
                i += 1;
            }
            (Some(x), None) => {
                out.push(*x);
                i += 1;
            }
            (_, Some(y)) => {
                out.push(*y);
                j += 1;
            }
            (None, None) => break,
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{TimeZone, Utc};

    #[test]
    fn money_rounds_half_away_from_zero_like_f64_round() {
        for x in [
            0.0,
            0.5e-6,
            1.5e-6,
            -2.5e-6,
            29.33,
            19.99,
            -10.0,
            1e12,
            -1e12,
            4503599627.370497,
            123.4567895,
        ] {
            assert_eq!(
                Money::from_f64(x).0,
                (x * Money::SCALE).round() as i128,
                "{x}"
            );
        }
        // And across the whole accepted range, on a deterministic spread of values.
        let mut state = 0x9E37_79B9_7F4A_7C15_u64;
        for _ in 0..200_000 {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            let unit = (state >> 11) as f64 / (1u64 << 53) as f64;
            let x = (unit * 2.0 - 1.0) * 10f64.powi((state % 13) as i32);
            assert_eq!(
                Money::from_f64(x).0,
                (x * Money::SCALE).round() as i128,
                "{x}"
            );
        }
    }

    #[test]
    fn order_only_state_is_small() {
        assert!(
            std::mem::size_of::<CustomerSummary>() <= 64,
            "{}",
            std::mem::size_of::<CustomerSummary>()
        );
    }

    #[test]
    fn hand_computed_summary() {
        let d = |day| Utc.with_ymd_and_hms(2024, 2, day, 8, 0, 0).unwrap();
        let events = vec![
            Event::order(9, d(10), 19.99),
            Event::order(9, d(3), 5.01),
            Event::new(9, d(12), EventKind::Refund { amount: 4.0 }),
            Event::new(9, d(1), EventKind::Signup),
            Event::new(
                9,
                d(4),
                EventKind::Survey {
                    kind: SurveyKind::Nps,
                    score: 6.0,
                },
            ),
            Event::new(
                9,
                d(20),
                EventKind::Survey {
                    kind: SurveyKind::Nps,
                    score: 9.0,
                },
            ),
            Event::new(
                9,
                d(5),
                EventKind::SupportTicket {
                    severity: Severity::Critical,
                    resolved: false,
                },
            ),
            Event::new(
                9,
                d(6),
                EventKind::SupportTicket {
                    severity: Severity::Minor,
                    resolved: false,
                },
            ),
            Event::new(
                9,
                d(7),
                EventKind::SupportTicket {
                    severity: Severity::Minor,
                    resolved: true,
                },
            ),
            Event::new(9, d(8), EventKind::EmailOpen),
            Event::new(9, d(8), EventKind::EmailClick),
        ];
        let s =
            Summaries::from_log(&EventLog::from_events(&events, LogOptions::default()).unwrap());
        let c = s.get(&9.into()).unwrap();
        assert_eq!(c.orders(), 2);
        assert_eq!(c.revenue(), 25.0);
        assert_eq!(c.net_revenue(), 21.0);
        assert_eq!(c.lifespan_days(), Some(7.0));
        let a = c.activity().unwrap();
        assert_eq!(a.open_tickets(Severity::Critical), 1);
        assert_eq!(a.open_tickets(Severity::Minor), 0);
        assert_eq!(a.latest_survey(SurveyKind::Nps).unwrap().score, 9.0);
        assert_eq!(c.first_seen(), Some(crate::time::to_micros(d(1))));
        assert_eq!(c.last_seen(), Some(crate::time::to_micros(d(20))));
        assert_eq!(
            (a.email_opens, a.email_clicks, a.signup.is_some()),
            (1, 1, true)
        );
    }
}
