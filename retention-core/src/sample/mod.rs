//! Seeded, deterministic sample data: a simulated online shop.
//!
//! [`generate`] returns event rows for a shop observed from
//! [`SampleOptions::start`] to [`SampleOptions::as_of`]; [`generate_columns`]
//! returns the same events as owned columns, and [`generate_orders`] only the
//! order events (identical to the orders of [`generate`]) for large benchmarks.
//! The output depends on nothing but the options: no clock, no I/O, no global
//! state. Every event lies strictly before `as_of`, has a whole-second
//! timestamp, and passes [`EventLog::from_events`] validation.
//!
//! # Reproducibility
//!
//! Random numbers come from xoshiro256\*\* (Blackman and Vigna), seeded through
//! SplitMix64. Each customer `i` and each *facet* of its behaviour (purchases,
//! sessions, emails, surveys, tickets, subscriptions, loyalty, refunds,
//! referrals) has its own stream, seeded from `(seed, i, facet)`, so changing one
//! facet's model leaves the others' draws unchanged, and [`generate_orders`]
//! reproduces the orders of [`generate`] without simulating anything else.
//! The samplers use only IEEE-754 operations that are exactly rounded on every
//! platform (`+ − × ÷`, `sqrt`, rounding) plus this module's own `ln` and
//! `exp` (argument reduction and fixed polynomials), so the same seed gives
//! bit-identical data on every platform, including `wasm32`, and in any
//! language that reimplements these few lines.
//!
//! Uniforms are `(x >> 11) · 2⁻⁵³` (open interval variants add ½ ulp);
//! normals use Marsaglia's polar method; gammas Marsaglia and Tsang (2000),
//! with `Gamma(a) = Gamma(a + 1) · U^{1/a}` for `a < 1`; betas a ratio of
//! gammas; Poisson counts Knuth's product method below a mean of 30 and a
//! rounded normal approximation above.
//!
//! # Generative model
//!
//! Times are in days since `start`; "end" is `as_of`. Customer `i`
//! (`0 ≤ i < N`) gets the integer id `i + 1`.
//!
//! * **Acquisition**: over the acquisition span (`months` calendar months,
//!   cut at `as_of`), acquisition intensity grows linearly from 1 to
//!   `1 + acquisition_growth`. Customer `i` is acquired at the inverse CDF of
//!   the stratified quantile `(i + U)/N`, so ids increase with acquisition
//!   time. A `signup` event marks it.
//! * **Purchases (BG/NBD)**: with probability `first_order_share` the
//!   customer places a first order after an `Exponential(mean 2 days)` delay.
//!   Repeat purchases follow a Poisson process with rate
//!   `λ ~ Gamma(shape r, rate α)` per day; after each *repeat* purchase the
//!   customer drops out ("dies") with probability `p ~ Beta(a, b)`
//!   ([`BgNbdParams`], Fader, Hardie and Lee 2005). At most
//!   [`MAX_ORDERS_PER_CUSTOMER`] orders per customer.
//! * **Spend (Gamma-Gamma)**: each order's value is `z ~ Gamma(shape p,
//!   rate ν)` with a per-customer `ν ~ Gamma(shape q, rate γ)`
//!   ([`GammaGammaParams`]; mean order value `p γ / (q − 1)`), rounded to cents
//!   and capped at 10⁹. Item count: `1 + Poisson(min(amount / 40, 30))`.
//! * **Satisfaction**: a latent `s = 0.8 Z − 2 (p − 0.25)`, `Z ~ N(0, 1)`:
//!   customers prone to drop out are less satisfied. It drives refunds,
//!   tickets and survey answers.
//! * **Refunds**: each order is refunded with probability
//!   `min(1, refund_share · (1 + max(0, −s)))`, after `Exponential(mean 10
//!   days)`; fully (70 %) or a `U(0.2, 0.8)` fraction rounded to cents.
//! * **Sessions**: a visit 1–60 minutes before every order, plus a Poisson
//!   process at rate `min(0.02 + 2.5 λ, 5)` per day while alive, decaying as
//!   `exp(−Δ/45 days)` after dropout. Customers who never order visit at
//!   0.05 per day decaying with a 20-day time constant from signup.
//!   At most [`MAX_SESSIONS_PER_CUSTOMER`] continuous-process visits.
//! * **Email**: a weekly campaign (days `7k + 0.5`); each customer opens a
//!   mail with probability `o ~ Beta(2, 5)` (×0.3 after dropout, or later than
//!   60 days after signup for customers without orders) after
//!   `Exponential(6 hours)`, and clicks an opened mail with probability
//!   `c ~ Beta(1.5, 6)` after `Exponential(5 minutes)`.
//! * **Surveys** (scores are `round(mean + sd · Z)` clamped to the scale):
//!   after each order, CSAT 1–5 (probability 0.15, mean `4 + 0.8 s`, sd 0.7)
//!   and CES 1–7 (probability 0.06, mean `5 + s`, sd 1); NPS 0–10 every 180
//!   days from 30 days after the first order (answered with probability 0.3
//!   while alive, 0.1 after dropout; mean `7.6 + 1.8 s`, sd 1.3); the three
//!   loyalty questions together by 10 % of buyers, 30–365 days after the first
//!   order (means `7.4 + 1.8 s`, `7.8 + 1.6 s`, `6.5 + 1.5 s`, sd 1.5).
//! * **Support tickets**: after each order with probability
//!   `0.03 + 0.05 · max(0, −s)`, opened `Exponential(5 days)` later; severity
//!   minor 60 %, major 30 %, critical 10 %; 92 % get resolved after
//!   `Exponential` 1.5 / 3 / 0.75 days (minor / major / critical). A ticket is
//!   an opening event and, if resolved before `as_of`, a resolving event.
//! * **Referrals**: with probability `referral_share` customer `i > 0` was
//!   referred by one of the (up to) 1 000 customers acquired just before; the
//!   referrer gets a `referral` event naming id `i + 1`, at most
//!   `Exponential(3 days)` before the signup and not before its own.
//! * **Subscriptions**: a `subscription_share` of buyers subscribe at their
//!   first order to a plan of 9 / 19 / 49 per month (weights 50 / 35 / 15 %).
//!   Every 30 days, at a uniform instant within the month: an active
//!   subscriber churns with probability 0.03 (0.25 once dropped out), else
//!   upgrades one plan with probability 0.03 (expansion) or downgrades with
//!   0.02 (contraction); a churned one reactivates with probability 0.03
//!   (0.005 once dropped out). MRR deltas are plan differences, so `new`,
//!   `expansion` and `reactivation` are positive and `contraction` and `churn`
//!   negative; MRR never goes below zero.
//! * **Loyalty points**: a `loyalty_share` of customers are members: 50
//!   welcome points at signup and `floor(amount)` points per order. At an
//!   order, a member holding at least 200 points redeems (probability 0.4) a
//!   multiple of 100 up to the balance, before that order's points are
//!   credited; the balance never goes negative.
//!
//! Rows are sorted by timestamp, then customer index, then the order in which
//! the simulation emitted them (stable sort).
//!
//! ```
//! use retention_core::sample::{generate, SampleOptions};
//! use retention_core::events::{EventLog, LogOptions};
//!
//! let options = SampleOptions { seed: 7, customers: 50, ..SampleOptions::default() };
//! let events = generate(&options)?;
//! assert_eq!(events, generate(&options)?);
//! let log = EventLog::from_events(&events, LogOptions::default())?;
//! assert_eq!(log.customers().len(), 50);
//! # Ok::<(), retention_core::Error>(())
//! ```

use std::borrow::Cow;

use crate::error::Result;
use crate::events::{
    CustomerColumn, CustomerId, Event, EventColumns, EventKind, EventLog, EventType, LogOptions,
};
use crate::time::{civil_from_days, days_from_civil, from_micros, Micros, MICROS_PER_DAY};

pub(crate) mod rng;
mod simulate;

use simulate::{simulate, Ctx};

/// Most orders simulated for one customer (the purchase process stops there).
pub const MAX_ORDERS_PER_CUSTOMER: usize = 10_000;
/// Most continuous-process sessions simulated for one customer.
pub const MAX_SESSIONS_PER_CUSTOMER: usize = 20_000;
/// Most customers one call may simulate.
pub const MAX_CUSTOMERS: usize = 100_000_000;
/// Longest observation window (`as_of − start`), in days: 100 years.
pub const MAX_SPAN_DAYS: i64 = 36_525;

/// 2023-01-01T00:00:00Z in microseconds.
const DEFAULT_START: Micros = 1_672_531_200 * 1_000_000;
/// 2025-01-01T00:00:00Z in microseconds.
const DEFAULT_AS_OF: Micros = 1_735_689_600 * 1_000_000;

/// BG/NBD purchase-process parameters (time unit: days).
///
/// While alive, a customer buys at rate `λ ~ Gamma(shape r, rate alpha)`;
/// after each repeat purchase it drops out with probability `p ~ Beta(a, b)`.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct BgNbdParams {
    /// Shape of the purchase-rate gamma distribution.
    pub r: f64,
    /// Rate (inverse scale, in days) of the purchase-rate gamma distribution.
    pub alpha: f64,
    /// First shape of the dropout-probability beta distribution.
    pub a: f64,
    /// Second shape of the dropout-probability beta distribution.
    pub b: f64,
}

impl Default for BgNbdParams {
    /// `r = 0.6, alpha = 75` (mean 2.9 purchases a year), `a = 0.8, b = 2.5`
    /// (mean dropout probability 0.24).
    fn default() -> Self {
        BgNbdParams {
            r: 0.6,
            alpha: 75.0,
            a: 0.8,
            b: 2.5,
        }
    }
}

/// Gamma-Gamma spend parameters.
///
/// Order values are `Gamma(shape p, rate ν)` with `ν ~ Gamma(shape q, rate gamma)`
/// per customer.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct GammaGammaParams {
    /// Shape of the per-order value distribution.
    pub p: f64,
    /// Shape of the per-customer rate distribution.
    pub q: f64,
    /// Rate of the per-customer rate distribution.
    pub gamma: f64,
}

impl Default for GammaGammaParams {
    /// `p = 6, q = 4, gamma = 30`: mean order value 60.
    fn default() -> Self {
        GammaGammaParams {
            p: 6.0,
            q: 4.0,
            gamma: 30.0,
        }
    }
}

/// What to simulate (see the module docs for the model).
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(default, deny_unknown_fields))]
pub struct SampleOptions {
    /// Seed of every random stream.
    pub seed: u64,
    /// Number of customers (1 ..= [`MAX_CUSTOMERS`]; default 2 000).
    pub customers: usize,
    /// Start of the acquisition span (default 2023-01-01T00:00Z).
    #[cfg_attr(feature = "serde", serde(with = "crate::time::serde_instant"))]
    pub start: Micros,
    /// Length of the acquisition span in calendar months (1 ..= 1200; default 24).
    pub months: u32,
    /// End of observation, exclusive: every event is earlier (default
    /// 2025-01-01T00:00Z, i.e. `start` + 24 months). At least one day and at
    /// most [`MAX_SPAN_DAYS`] after `start`.
    #[cfg_attr(feature = "serde", serde(with = "crate::time::serde_instant"))]
    pub as_of: Micros,
    /// Relative growth of the acquisition rate over the span (≥ 0; default 2:
    /// three times as many signups per day at the end as at the start).
    pub acquisition_growth: f64,
    /// Share of customers who ever order (default 0.85).
    pub first_order_share: f64,
    /// Purchase-process parameters.
    pub purchase: BgNbdParams,
    /// Spend parameters.
    pub spend: GammaGammaParams,
    /// Base probability that an order is refunded (default 0.04).
    pub refund_share: f64,
    /// Share of buyers with a subscription (default 0.15).
    pub subscription_share: f64,
    /// Share of customers in the loyalty programme (default 0.6).
    pub loyalty_share: f64,
    /// Share of customers who were referred by an earlier customer (default 0.08).
    pub referral_share: f64,
}

impl Default for SampleOptions {
    fn default() -> Self {
        SampleOptions {
            seed: 42,
            customers: 2_000,
            start: DEFAULT_START,
            months: 24,
            as_of: DEFAULT_AS_OF,
            acquisition_growth: 2.0,
            first_order_share: 0.85,
            purchase: BgNbdParams::default(),
            spend: GammaGammaParams::default(),
            refund_share: 0.04,
            subscription_share: 0.15,
            loyalty_share: 0.6,
            referral_share: 0.08,
        }
    }
}

/// Adds calendar months to an instant, keeping the time of day and clamping
/// the day of month (Jan 31 + 1 month = Feb 28/29). `None` on overflow.
pub fn add_months(t: Micros, months: u32) -> Option<Micros> {
    let day = t.div_euclid(MICROS_PER_DAY);
    let time_of_day = t.rem_euclid(MICROS_PER_DAY);
    let (y, m, d) = civil_from_days(day);
    let total = (y * 12 + m - 1).checked_add(i64::from(months))?;
    let (ny, nm) = (total.div_euclid(12), total.rem_euclid(12) + 1);
    let first = days_from_civil(ny, nm, 1);
    let next = if nm == 12 {
        days_from_civil(ny + 1, 1, 1)
    } else {
        days_from_civil(ny, nm + 1, 1)
    };
    let nd = d.min(next - first);
    (first + nd - 1)
        .checked_mul(MICROS_PER_DAY)?
        .checked_add(time_of_day)
}

/// Owned columns of generated events; see [`generate_columns`].
///
/// Missing numeric values are `NaN`, missing optional values `None`, exactly
/// as [`EventColumns`] expects.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SampleColumns {
    /// Customer ids.
    pub customer: Vec<i64>,
    /// Instants (µs since the epoch, UTC).
    pub timestamp: Vec<Micros>,
    /// Event types.
    pub kind: Vec<EventType>,
    /// Amount, signed MRR change or points; `NaN` when not applicable.
    pub amount: Vec<f64>,
    /// Order item counts.
    pub items: Vec<Option<u32>>,
    /// Survey answers; `NaN` when not applicable.
    pub score: Vec<f64>,
    /// Severity, survey kind, subscription change or referred id.
    pub detail: Vec<Option<Cow<'static, str>>>,
    /// Ticket resolution flags.
    pub resolved: Vec<Option<bool>>,
}

impl SampleColumns {
    /// Number of rows.
    pub fn len(&self) -> usize {
        self.timestamp.len()
    }

    /// Whether there are no rows.
    pub fn is_empty(&self) -> bool {
        self.timestamp.is_empty()
    }

    /// The `detail` column as borrowed strings, for [`SampleColumns::columns`].
    pub fn detail_refs(&self) -> Vec<Option<&str>> {
        self.detail.iter().map(|d| d.as_deref()).collect()
    }

    /// Borrows the columns as [`EventColumns`]; `detail` must come from
    /// [`SampleColumns::detail_refs`].
    pub fn columns<'a>(&'a self, detail: &'a [Option<&'a str>]) -> EventColumns<'a> {
        EventColumns {
            customer: CustomerColumn::Int(&self.customer),
            timestamp: &self.timestamp,
            kind: Some(&self.kind),
            amount: Some(&self.amount),
            items: Some(&self.items),
            score: Some(&self.score),
            detail: Some(detail),
            resolved: Some(&self.resolved),
        }
    }

    /// Builds a validated [`EventLog`] from the columns.
    pub fn to_log(&self, options: LogOptions) -> Result<EventLog> {
        let detail = self.detail_refs();
        EventLog::from_columns(&self.columns(&detail), options)
    }
}

/// Owned columns of generated orders; see [`generate_orders`].
#[derive(Debug, Clone, PartialEq, Default)]
pub struct OrderColumns {
    /// Customer ids.
    pub customer: Vec<i64>,
    /// Instants (µs since the epoch, UTC).
    pub timestamp: Vec<Micros>,
    /// Order values.
    pub amount: Vec<f64>,
    /// Item counts.
    pub items: Vec<Option<u32>>,
}

impl OrderColumns {
    /// Number of orders.
    pub fn len(&self) -> usize {
        self.timestamp.len()
    }

    /// Whether there are no orders.
    pub fn is_empty(&self) -> bool {
        self.timestamp.is_empty()
    }

    /// Borrows the orders as [`EventColumns`] (no `kind` column: all orders).
    pub fn columns(&self) -> EventColumns<'_> {
        let mut cols = EventColumns::orders(
            CustomerColumn::Int(&self.customer),
            &self.timestamp,
            &self.amount,
        );
        cols.items = Some(&self.items);
        cols
    }

    /// Builds a validated [`EventLog`] from the orders.
    pub fn to_log(&self, options: LogOptions) -> Result<EventLog> {
        EventLog::from_columns(&self.columns(), options)
    }
}

/// Simulates the shop and returns event rows sorted by time, then customer.
///
/// Errors with [`Error::InvalidParameter`](crate::Error::InvalidParameter) when an option is out of range.
pub fn generate(options: &SampleOptions) -> Result<Vec<Event>> {
    let recs = simulate(options)?;
    Ok(recs
        .iter()
        .map(|r| {
            Event::new(
                CustomerId::Int(i64::from(r.customer) + 1),
                from_micros(r.time),
                r.event_kind(),
            )
        })
        .collect())
}

/// [`generate`], validated into an [`EventLog`].
pub fn generate_log(options: &SampleOptions) -> Result<EventLog> {
    generate_columns(options)?.to_log(LogOptions::default())
}

/// The events of [`generate`], in the same order, as owned columns.
pub fn generate_columns(options: &SampleOptions) -> Result<SampleColumns> {
    let recs = simulate(options)?;
    let n = recs.len();
    let mut out = SampleColumns {
        customer: Vec::with_capacity(n),
        timestamp: Vec::with_capacity(n),
        kind: Vec::with_capacity(n),
        amount: Vec::with_capacity(n),
        items: Vec::with_capacity(n),
        score: Vec::with_capacity(n),
        detail: Vec::with_capacity(n),
        resolved: Vec::with_capacity(n),
    };
    for r in &recs {
        out.customer.push(i64::from(r.customer) + 1);
        out.timestamp.push(r.time);
        out.kind.push(r.kind);
        let (mut amount, mut items, mut score, mut detail, mut resolved) =
            (f64::NAN, None, f64::NAN, None, None);
        match r.event_kind() {
            EventKind::Order {
                amount: a,
                items: i,
            } => {
                amount = a;
                items = i;
            }
            EventKind::Refund { amount: a }
            | EventKind::PointsEarned { points: a }
            | EventKind::PointsRedeemed { points: a } => amount = a,
            EventKind::SupportTicket {
                severity,
                resolved: done,
            } => {
                detail = Some(Cow::Borrowed(severity.as_str()));
                resolved = Some(done);
            }
            EventKind::Survey { kind, score: s } => {
                detail = Some(Cow::Borrowed(kind.as_str()));
                score = s;
            }
            EventKind::Referral { referred } => detail = Some(Cow::Owned(referred.to_string())),
            EventKind::Subscription { change, mrr_delta } => {
                detail = Some(Cow::Borrowed(change.as_str()));
                amount = mrr_delta;
            }
            EventKind::Signup
            | EventKind::Session
            | EventKind::EmailOpen
            | EventKind::EmailClick => {}
        }
        out.amount.push(amount);
        out.items.push(items);
        out.score.push(score);
        out.detail.push(detail);
        out.resolved.push(resolved);
    }
    Ok(out)
}

/// Only the orders of [`generate`] (identical values, same order), simulated
/// without the other facets: the fast path for large benchmarks.
///
/// With the default options a customer places about 2.2 orders (4 452 orders
/// for 2 000 customers with seed 42), so 1M orders take roughly 450 000
/// customers and 10M orders 4.5 million.
pub fn generate_orders(options: &SampleOptions) -> Result<OrderColumns> {
    let ctx = Ctx::new(options)?;
    let mut recs: Vec<(Micros, u32, f64, u32)> = Vec::new();
    let mut orders = Vec::new();
    for i in 0..ctx.customers {
        let c = ctx.purchases(i, &mut orders);
        for o in &orders {
            if let Some(t) = ctx.micros(o.day) {
                recs.push((t, c.index, o.amount, o.items));
            }
        }
    }
    recs.sort_by_key(|r| (r.0, r.1));
    let n = recs.len();
    let mut out = OrderColumns {
        customer: Vec::with_capacity(n),
        timestamp: Vec::with_capacity(n),
        amount: Vec::with_capacity(n),
        items: Vec::with_capacity(n),
    };
    for (t, c, amount, items) in recs {
        out.customer.push(i64::from(c) + 1);
        out.timestamp.push(t);
        out.amount.push(amount);
        out.items.push(Some(items));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn add_months_clamps_day() {
        let jan31 = days_from_civil(2024, 1, 31) * MICROS_PER_DAY + 3_600_000_000;
        assert_eq!(
            add_months(jan31, 1),
            Some(days_from_civil(2024, 2, 29) * MICROS_PER_DAY + 3_600_000_000)
        );
        assert_eq!(add_months(DEFAULT_START, 24), Some(DEFAULT_AS_OF));
    }
}
