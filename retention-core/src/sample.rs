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

use crate::error::{in_range, positive, Error, Result};
use crate::events::{
    CustomerColumn, CustomerId, Event, EventColumns, EventKind, EventLog, EventType, LogOptions,
    Severity, SubscriptionChange, SurveyKind,
};
use crate::time::{civil_from_days, days_from_civil, from_micros, Micros, MICROS_PER_DAY};

/// Most orders simulated for one customer (the purchase process stops there).
pub const MAX_ORDERS_PER_CUSTOMER: usize = 10_000;
/// Most continuous-process sessions simulated for one customer.
pub const MAX_SESSIONS_PER_CUSTOMER: usize = 20_000;
/// Most customers one call may simulate.
pub const MAX_CUSTOMERS: usize = 100_000_000;
/// Longest observation window (`as_of − start`), in days: 100 years.
pub const MAX_SPAN_DAYS: i64 = 36_525;
/// Largest simulated order value; larger gamma draws are capped here.
const MAX_ORDER_VALUE: f64 = 1e9;

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
    pub start: Micros,
    /// Length of the acquisition span in calendar months (1 ..= 1200; default 24).
    pub months: u32,
    /// End of observation, exclusive: every event is earlier (default
    /// 2025-01-01T00:00Z, i.e. `start` + 24 months). At least one day and at
    /// most [`MAX_SPAN_DAYS`] after `start`.
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
/// Errors with [`Error::InvalidParameter`] when an option is out of range.
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

// ---------------------------------------------------------------------------
// Random numbers

/// SplitMix64 (Steele, Lea and Flood): used to seed xoshiro.
fn splitmix64(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// xoshiro256** 1.0 (Blackman and Vigna) with the samplers the model needs.
#[derive(Debug, Clone)]
struct Rng {
    s: [u64; 4],
}

/// Behaviour facets, each with its own stream per customer.
#[derive(Debug, Clone, Copy)]
enum Facet {
    Purchases = 0,
    Sessions = 1,
    Email = 2,
    Surveys = 3,
    Tickets = 4,
    Subscriptions = 5,
    Loyalty = 6,
    Refunds = 7,
    Referrals = 8,
}

const TWO_POW_MINUS_53: f64 = 1.0 / 9_007_199_254_740_992.0;

impl Rng {
    /// The stream of `facet` for customer `customer` under `seed`.
    fn stream(seed: u64, customer: usize, facet: Facet) -> Rng {
        let mut state = seed;
        let a = splitmix64(&mut state);
        let mut state = a
            ^ (customer as u64).wrapping_mul(0xD1B5_4A32_D192_ED03)
            ^ (facet as u64).wrapping_mul(0x8CB9_2BA7_2F3D_8DD7);
        let mut s = [0u64; 4];
        for word in &mut s {
            *word = splitmix64(&mut state);
        }
        if s == [0; 4] {
            s[0] = 1;
        }
        Rng { s }
    }

    fn next_u64(&mut self) -> u64 {
        let result = self.s[1].wrapping_mul(5).rotate_left(7).wrapping_mul(9);
        let t = self.s[1] << 17;
        self.s[2] ^= self.s[0];
        self.s[3] ^= self.s[1];
        self.s[1] ^= self.s[2];
        self.s[0] ^= self.s[3];
        self.s[2] ^= t;
        self.s[3] = self.s[3].rotate_left(45);
        result
    }

    /// Uniform in `[0, 1)`.
    fn uniform(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 * TWO_POW_MINUS_53
    }

    /// Uniform in `(0, 1)`.
    fn uniform_open(&mut self) -> f64 {
        ((self.next_u64() >> 11) as f64 + 0.5) * TWO_POW_MINUS_53
    }

    fn bernoulli(&mut self, p: f64) -> bool {
        self.uniform() < p
    }

    /// Exponential with the given mean.
    fn exponential(&mut self, mean: f64) -> f64 {
        -ln(self.uniform_open()) * mean
    }

    /// Standard normal (Marsaglia polar method).
    fn normal(&mut self) -> f64 {
        loop {
            let u = 2.0 * self.uniform() - 1.0;
            let v = 2.0 * self.uniform() - 1.0;
            let s = u * u + v * v;
            if s > 0.0 && s < 1.0 {
                return u * (-2.0 * ln(s) / s).sqrt();
            }
        }
    }

    /// Gamma with the given shape and unit rate (Marsaglia and Tsang).
    fn gamma(&mut self, shape: f64) -> f64 {
        if shape < 1.0 {
            let g = self.gamma(shape + 1.0);
            return g * exp(ln(self.uniform_open()) / shape);
        }
        let d = shape - 1.0 / 3.0;
        let c = 1.0 / (9.0 * d).sqrt();
        loop {
            let x = self.normal();
            let v = 1.0 + c * x;
            if v <= 0.0 {
                continue;
            }
            let v = v * v * v;
            let u = self.uniform_open();
            let x2 = x * x;
            if u < 1.0 - 0.0331 * x2 * x2 || ln(u) < 0.5 * x2 + d * (1.0 - v + ln(v)) {
                return d * v;
            }
        }
    }

    /// Beta with the given shapes.
    fn beta(&mut self, a: f64, b: f64) -> f64 {
        let x = self.gamma(a);
        let y = self.gamma(b);
        if x + y > 0.0 {
            x / (x + y)
        } else {
            0.5
        }
    }

    /// Poisson count (Knuth below a mean of 30, rounded normal above).
    fn poisson(&mut self, mean: f64) -> u32 {
        if mean.is_nan() || mean <= 0.0 {
            0
        } else if mean < 30.0 {
            let limit = exp(-mean);
            let mut k = 0;
            let mut p = self.uniform();
            while p > limit && k < 1_000 {
                k += 1;
                p *= self.uniform();
            }
            k
        } else {
            (mean + mean.sqrt() * self.normal()).round().clamp(0.0, 1e9) as u32
        }
    }

    /// A whole-number answer `round(mean + sd · Z)` clamped to `[lo, hi]`.
    fn answer(&mut self, mean: f64, sd: f64, lo: f64, hi: f64) -> f64 {
        (mean + sd * self.normal()).round().clamp(lo, hi)
    }
}

/// High part of ln 2 (fdlibm's split: its trailing bits are zero, so `k · LN2_HI` is exact).
const LN2_HI: f64 = f64::from_bits(0x3fe6_2e42_fee0_0000);
/// `ln 2 − LN2_HI`.
const LN2_LO: f64 = f64::from_bits(0x3dea_39ef_3579_3c76);

/// Natural logarithm from IEEE operations only (bit-identical everywhere).
///
/// `x = m · 2^e` with `m ∈ (√½, √2]`, `ln m = 2 atanh(s)`, `s = (m − 1)/(m + 1)`,
/// summed to `s²⁵` (|s| ≤ 0.172, truncation error below 10⁻¹⁸).
fn ln(x: f64) -> f64 {
    if x.is_nan() || x < 0.0 {
        return f64::NAN;
    }
    if x == 0.0 {
        return f64::NEG_INFINITY;
    }
    if x.is_infinite() {
        return x;
    }
    let (mut bits, mut e) = (x.to_bits(), 0i64);
    if bits >> 52 == 0 {
        // Subnormal: scale by 2^54 first.
        bits = (x * 18_014_398_509_481_984.0).to_bits();
        e = -54;
    }
    e += ((bits >> 52) & 0x7ff) as i64 - 1023;
    let mut m = f64::from_bits((bits & 0x000f_ffff_ffff_ffff) | 0x3ff0_0000_0000_0000);
    if m > std::f64::consts::SQRT_2 {
        m *= 0.5;
        e += 1;
    }
    let s = (m - 1.0) / (m + 1.0);
    let s2 = s * s;
    let mut sum = 0.0;
    for k in (0..=12).rev() {
        sum = 1.0 / f64::from(2 * k + 1) + s2 * sum;
    }
    let e = e as f64;
    e * LN2_HI + (e * LN2_LO + 2.0 * s * sum)
}

/// Exponential function from IEEE operations only (bit-identical everywhere).
///
/// `x = k ln 2 + r` with `|r| ≤ ½ ln 2`, `e^r` by its Taylor polynomial of
/// degree 13 (truncation error below 10⁻¹⁷), scaled by `2^k` through the
/// exponent bits. Returns 0 below −708 and +∞ above 709.
fn exp(x: f64) -> f64 {
    if x.is_nan() {
        return x;
    }
    if x > 709.0 {
        return f64::INFINITY;
    }
    if x < -708.0 {
        return 0.0;
    }
    let k = (x * std::f64::consts::LOG2_E).round();
    let r = (x - k * LN2_HI) - k * LN2_LO;
    let mut p = 1.0;
    for i in (1..=13).rev() {
        p = 1.0 + r * p / f64::from(i);
    }
    let scale = f64::from_bits(((k as i64 + 1023) as u64) << 52);
    p * scale
}

// ---------------------------------------------------------------------------
// The simulation

/// One generated event in compact form.
#[derive(Debug, Clone, Copy)]
struct Rec {
    time: Micros,
    customer: u32,
    kind: EventType,
    value: f64,
    /// Items (orders), severity << 1 | resolved (tickets), survey kind,
    /// subscription change, referred customer index.
    aux: u32,
}

impl Rec {
    fn event_kind(&self) -> EventKind {
        let code = self.aux as usize;
        match self.kind {
            EventType::Signup => EventKind::Signup,
            EventType::Order => EventKind::Order {
                amount: self.value,
                items: Some(self.aux),
            },
            EventType::Refund => EventKind::Refund { amount: self.value },
            EventType::Session => EventKind::Session,
            EventType::EmailOpen => EventKind::EmailOpen,
            EventType::EmailClick => EventKind::EmailClick,
            EventType::SupportTicket => EventKind::SupportTicket {
                severity: Severity::ALL
                    .get(code >> 1)
                    .copied()
                    .unwrap_or(Severity::Minor),
                resolved: self.aux & 1 == 1,
            },
            EventType::Survey => EventKind::Survey {
                kind: SurveyKind::ALL
                    .get(code)
                    .copied()
                    .unwrap_or(SurveyKind::Nps),
                score: self.value,
            },
            EventType::Referral => EventKind::Referral {
                referred: CustomerId::Int(i64::from(self.aux) + 1),
            },
            EventType::Subscription => EventKind::Subscription {
                change: SubscriptionChange::ALL
                    .get(code)
                    .copied()
                    .unwrap_or(SubscriptionChange::New),
                mrr_delta: self.value,
            },
            EventType::PointsEarned => EventKind::PointsEarned { points: self.value },
            EventType::PointsRedeemed => EventKind::PointsRedeemed { points: self.value },
        }
    }
}

/// Validated options in simulation units (days since `start`).
struct Ctx {
    opts: SampleOptions,
    customers: usize,
    /// Whole seconds from `start` to `as_of`; events need `seconds < horizon_s`.
    horizon_s: f64,
    /// Horizon in days.
    horizon: f64,
    /// Acquisition span in days.
    acquisition: f64,
}

/// One simulated order.
#[derive(Debug, Clone, Copy)]
struct Order {
    day: f64,
    amount: f64,
    items: u32,
}

/// The purchase-facet draws of one customer.
#[derive(Debug, Clone, Copy)]
struct Customer {
    index: u32,
    signup: f64,
    rate: f64,
    /// Day of dropout (the last purchase), if it happened before `as_of`.
    death: Option<f64>,
    satisfaction: f64,
}

const PLAN_PRICES: [f64; 3] = [9.0, 19.0, 49.0];

impl Ctx {
    fn new(o: &SampleOptions) -> Result<Ctx> {
        if o.customers == 0 || o.customers > MAX_CUSTOMERS {
            return Err(Error::parameter(
                "customers",
                o.customers,
                "must be between 1 and 100 000 000",
            ));
        }
        if o.months == 0 || o.months > 1200 {
            return Err(Error::parameter(
                "months",
                o.months,
                "must be between 1 and 1200",
            ));
        }
        let span = o.as_of.checked_sub(o.start).unwrap_or(-1);
        if span < MICROS_PER_DAY || span / MICROS_PER_DAY >= MAX_SPAN_DAYS {
            return Err(Error::parameter(
                "as_of",
                o.as_of,
                "must be at least one day and less than 36 525 days after start",
            ));
        }
        let acq_end = add_months(o.start, o.months)
            .ok_or_else(|| Error::parameter("months", o.months, "start + months overflows"))?
            .min(o.as_of);
        for (name, v) in [
            ("purchase.r", o.purchase.r),
            ("purchase.alpha", o.purchase.alpha),
            ("purchase.a", o.purchase.a),
            ("purchase.b", o.purchase.b),
            ("spend.p", o.spend.p),
            ("spend.q", o.spend.q),
            ("spend.gamma", o.spend.gamma),
        ] {
            positive(name, v)?;
            in_range(name, v, 1e-3, 1e6, "must be between 0.001 and 1 000 000")?;
        }
        in_range(
            "acquisition_growth",
            o.acquisition_growth,
            0.0,
            1e6,
            "must be between 0 and 1 000 000",
        )?;
        for (name, v) in [
            ("first_order_share", o.first_order_share),
            ("refund_share", o.refund_share),
            ("subscription_share", o.subscription_share),
            ("loyalty_share", o.loyalty_share),
            ("referral_share", o.referral_share),
        ] {
            in_range(name, v, 0.0, 1.0, "must be a share in [0, 1]")?;
        }
        let horizon_s = (span / 1_000_000) as f64;
        Ok(Ctx {
            opts: *o,
            customers: o.customers,
            horizon_s,
            horizon: horizon_s / 86_400.0,
            acquisition: (acq_end - o.start) as f64 / MICROS_PER_DAY as f64,
        })
    }

    /// The instant of `day` (floored to the second), if before `as_of`.
    fn micros(&self, day: f64) -> Option<Micros> {
        let s = (day * 86_400.0).floor();
        (s >= 0.0 && s < self.horizon_s).then(|| self.opts.start + s as i64 * 1_000_000)
    }

    fn rng(&self, customer: usize, facet: Facet) -> Rng {
        Rng::stream(self.opts.seed, customer, facet)
    }

    /// Acquisition day of customer `i` from the stratified quantile `(i + u)/N`.
    fn acquisition_day(&self, i: usize, u: f64) -> f64 {
        let q = ((i as f64 + u) / self.customers as f64).min(1.0);
        let g = self.opts.acquisition_growth;
        // CDF on [0, 1]: (x + g x²/2) / (1 + g/2).
        let x = if g < 1e-12 {
            q
        } else {
            ((1.0 + 2.0 * g * q * (1.0 + g / 2.0)).sqrt() - 1.0) / g
        };
        x.clamp(0.0, 1.0) * self.acquisition
    }

    /// Simulates the purchase facet of customer `i`, filling `orders`.
    fn purchases(&self, i: usize, orders: &mut Vec<Order>) -> Customer {
        orders.clear();
        let o = &self.opts;
        let mut rng = self.rng(i, Facet::Purchases);
        let signup = self.acquisition_day(i, rng.uniform());
        let rate = rng.gamma(o.purchase.r) / o.purchase.alpha;
        let dropout = rng.beta(o.purchase.a, o.purchase.b);
        let nu = rng.gamma(o.spend.q) / o.spend.gamma;
        let satisfaction = 0.8 * rng.normal() - 2.0 * (dropout - 0.25);
        let buys = rng.bernoulli(o.first_order_share);
        let delay = rng.exponential(2.0);
        let mut death = None;
        if buys {
            let mut day = signup + delay;
            while day < self.horizon && orders.len() < MAX_ORDERS_PER_CUSTOMER {
                let z = rng.gamma(o.spend.p) / nu;
                let amount = if z.is_nan() {
                    0.0
                } else {
                    ((z.min(MAX_ORDER_VALUE) * 100.0).round() / 100.0).min(MAX_ORDER_VALUE)
                };
                let items = 1 + rng.poisson((amount / 40.0).min(30.0));
                orders.push(Order { day, amount, items });
                if orders.len() > 1 && rng.bernoulli(dropout) {
                    death = Some(day);
                    break;
                }
                day += rng.exponential(1.0) / rate;
            }
        }
        Customer {
            index: i as u32,
            signup,
            rate,
            death,
            satisfaction,
        }
    }

    fn push(
        &self,
        out: &mut Vec<Rec>,
        c: &Customer,
        day: f64,
        kind: EventType,
        value: f64,
        aux: u32,
    ) {
        if let Some(time) = self.micros(day) {
            out.push(Rec {
                time,
                customer: c.index,
                kind,
                value,
                aux,
            });
        }
    }

    /// Simulates every facet of customer `i`.
    fn customer(&self, i: usize, orders: &mut Vec<Order>, out: &mut Vec<Rec>) {
        let c = self.purchases(i, orders);
        let o = &self.opts;
        let dissatisfaction = (-c.satisfaction).max(0.0);
        self.push(out, &c, c.signup, EventType::Signup, 0.0, 0);
        for ord in orders.iter() {
            self.push(out, &c, ord.day, EventType::Order, ord.amount, ord.items);
        }

        // Loyalty points.
        let mut rng = self.rng(i, Facet::Loyalty);
        if rng.bernoulli(o.loyalty_share) {
            let mut balance: f64 = 50.0;
            self.push(out, &c, c.signup, EventType::PointsEarned, 50.0, 0);
            for ord in orders.iter() {
                if balance >= 200.0 && rng.bernoulli(0.4) {
                    let hundreds = (balance / 100.0).floor();
                    let redeem = 100.0 * (1.0 + (rng.uniform() * hundreds).floor()).min(hundreds);
                    balance -= redeem;
                    self.push(out, &c, ord.day, EventType::PointsRedeemed, redeem, 0);
                }
                let earned = ord.amount.floor();
                if earned > 0.0 {
                    balance += earned;
                    self.push(out, &c, ord.day, EventType::PointsEarned, earned, 0);
                }
            }
        }

        // Refunds.
        let mut rng = self.rng(i, Facet::Refunds);
        let refund_p = (o.refund_share * (1.0 + dissatisfaction)).min(1.0);
        for ord in orders.iter() {
            if rng.bernoulli(refund_p) {
                let day = ord.day + rng.exponential(10.0);
                let amount = if rng.bernoulli(0.7) {
                    ord.amount
                } else {
                    (ord.amount * (0.2 + 0.6 * rng.uniform()) * 100.0).round() / 100.0
                };
                if amount > 0.0 {
                    self.push(out, &c, day, EventType::Refund, amount, 0);
                }
            }
        }

        self.sessions(i, &c, orders, out);
        self.emails(i, &c, !orders.is_empty(), out);
        self.surveys(i, &c, orders, out);

        // Support tickets.
        let mut rng = self.rng(i, Facet::Tickets);
        let ticket_p = 0.03 + 0.05 * dissatisfaction;
        for ord in orders.iter() {
            if rng.bernoulli(ticket_p) {
                let day = ord.day + rng.exponential(5.0);
                let u = rng.uniform();
                let (severity, mean_fix) = if u < 0.6 {
                    (Severity::Minor, 1.5)
                } else if u < 0.9 {
                    (Severity::Major, 3.0)
                } else {
                    (Severity::Critical, 0.75)
                };
                let code = (severity as u32) << 1;
                self.push(out, &c, day, EventType::SupportTicket, 0.0, code);
                let resolves = rng.bernoulli(0.92);
                let fixed = day + rng.exponential(mean_fix);
                if resolves && self.micros(day).is_some() {
                    self.push(out, &c, fixed, EventType::SupportTicket, 0.0, code | 1);
                }
            }
        }

        self.subscription(i, &c, orders, out);

        // Referral of this customer by an earlier one.
        let mut rng = self.rng(i, Facet::Referrals);
        if i > 0 && rng.bernoulli(o.referral_share) {
            let window = i.min(1_000);
            let back = ((rng.uniform() * window as f64) as usize).min(window - 1);
            let k = i - 1 - back;
            let referrer_signup = self.acquisition_day(k, self.rng(k, Facet::Purchases).uniform());
            let lead = rng
                .exponential(3.0)
                .min(c.signup - referrer_signup)
                .max(0.0);
            let referrer = Customer {
                index: k as u32,
                ..c
            };
            self.push(
                out,
                &referrer,
                c.signup - lead,
                EventType::Referral,
                0.0,
                c.index,
            );
        }
    }

    fn sessions(&self, i: usize, c: &Customer, orders: &[Order], out: &mut Vec<Rec>) {
        let mut rng = self.rng(i, Facet::Sessions);
        for ord in orders {
            let before = (1.0 + 59.0 * rng.uniform()) / 1_440.0;
            if ord.day - before >= c.signup {
                self.push(out, c, ord.day - before, EventType::Session, 0.0, 0);
            }
        }
        let (rate, from, decay_from, tau) = if orders.is_empty() {
            (0.05, c.signup, c.signup, 20.0)
        } else {
            let rate = (0.02 + 2.5 * c.rate).min(5.0);
            (rate, c.signup, c.death.unwrap_or(self.horizon), 45.0)
        };
        let mut count = 0;
        // Homogeneous part on [from, decay_from).
        let mut day = from + rng.exponential(1.0 / rate);
        while day < decay_from.min(self.horizon) && count < MAX_SESSIONS_PER_CUSTOMER {
            self.push(out, c, day, EventType::Session, 0.0, 0);
            count += 1;
            day += rng.exponential(1.0 / rate);
        }
        // Decaying part: cumulative intensity rate·tau·(1 − e^{−Δ/tau}).
        if decay_from < self.horizon {
            let mass = rate * tau * (1.0 - exp(-(self.horizon - decay_from) / tau));
            let mut acc = rng.exponential(1.0);
            while acc < mass && count < MAX_SESSIONS_PER_CUSTOMER {
                let day = decay_from - tau * ln(1.0 - acc / (rate * tau));
                self.push(out, c, day, EventType::Session, 0.0, 0);
                count += 1;
                acc += rng.exponential(1.0);
            }
        }
    }

    fn emails(&self, i: usize, c: &Customer, buyer: bool, out: &mut Vec<Rec>) {
        let mut rng = self.rng(i, Facet::Email);
        let open_p = rng.beta(2.0, 5.0);
        let click_p = rng.beta(1.5, 6.0);
        let first = ((c.signup - 0.5) / 7.0).ceil().max(0.0);
        let mut send = first * 7.0 + 0.5;
        while send < self.horizon {
            let alive = if buyer {
                c.death.is_none_or(|d| send < d)
            } else {
                send < c.signup + 60.0
            };
            let p = if alive { open_p } else { 0.3 * open_p };
            if rng.bernoulli(p) {
                let opened = send + rng.exponential(0.25);
                self.push(out, c, opened, EventType::EmailOpen, 0.0, 0);
                if rng.bernoulli(click_p) {
                    let clicked = opened + rng.exponential(5.0 / 1_440.0);
                    self.push(out, c, clicked, EventType::EmailClick, 0.0, 0);
                }
            }
            send += 7.0;
        }
    }

    fn surveys(&self, i: usize, c: &Customer, orders: &[Order], out: &mut Vec<Rec>) {
        let mut rng = self.rng(i, Facet::Surveys);
        let s = c.satisfaction;
        let answer = |out: &mut Vec<Rec>, day: f64, kind: SurveyKind, score: f64| {
            self.push(out, c, day, EventType::Survey, score, kind as u32);
        };
        for ord in orders {
            if rng.bernoulli(0.15) {
                let day = ord.day + rng.exponential(3.0);
                let score = rng.answer(4.0 + 0.8 * s, 0.7, 1.0, 5.0);
                answer(out, day, SurveyKind::Csat, score);
            }
            if rng.bernoulli(0.06) {
                let day = ord.day + rng.exponential(2.0);
                let score = rng.answer(5.0 + s, 1.0, 1.0, 7.0);
                answer(out, day, SurveyKind::Ces, score);
            }
        }
        let Some(first) = orders.first() else { return };
        let mut day = first.day + 30.0;
        while day < self.horizon {
            let alive = c.death.is_none_or(|d| day < d);
            if rng.bernoulli(if alive { 0.3 } else { 0.1 }) {
                let score = rng.answer(7.6 + 1.8 * s, 1.3, 0.0, 10.0);
                answer(out, day, SurveyKind::Nps, score);
            }
            day += 180.0;
        }
        if rng.bernoulli(0.1) {
            let day = first.day + 30.0 + 335.0 * rng.uniform();
            for (kind, mean, slope) in [
                (SurveyKind::LoyaltyRecommend, 7.4, 1.8),
                (SurveyKind::LoyaltyRepurchase, 7.8, 1.6),
                (SurveyKind::LoyaltyOtherProducts, 6.5, 1.5),
            ] {
                let score = rng.answer(mean + slope * s, 1.5, 0.0, 10.0);
                answer(out, day, kind, score);
            }
        }
    }

    fn subscription(&self, i: usize, c: &Customer, orders: &[Order], out: &mut Vec<Rec>) {
        let mut rng = self.rng(i, Facet::Subscriptions);
        let Some(first) = orders.first() else { return };
        if !rng.bernoulli(self.opts.subscription_share) {
            return;
        }
        let pick_plan = |rng: &mut Rng| {
            let u = rng.uniform();
            if u < 0.5 {
                0
            } else if u < 0.85 {
                1
            } else {
                2
            }
        };
        let mut plan = pick_plan(&mut rng);
        let mut active = true;
        self.push(
            out,
            c,
            first.day,
            EventType::Subscription,
            PLAN_PRICES[plan],
            SubscriptionChange::New as u32,
        );
        let mut month_start = first.day + 30.0;
        while month_start < self.horizon {
            let day = month_start + 30.0 * rng.uniform();
            let dead = c.death.is_some_and(|d| day >= d);
            let u = rng.uniform();
            let mut change = None;
            if active {
                if u < if dead { 0.25 } else { 0.03 } {
                    change = Some((SubscriptionChange::Churn, -PLAN_PRICES[plan]));
                    active = false;
                } else if u < 0.03 + 0.03 && !dead && plan < 2 {
                    change = Some((
                        SubscriptionChange::Expansion,
                        PLAN_PRICES[plan + 1] - PLAN_PRICES[plan],
                    ));
                    plan += 1;
                } else if (0.06..0.08).contains(&u) && !dead && plan > 0 {
                    change = Some((
                        SubscriptionChange::Contraction,
                        PLAN_PRICES[plan - 1] - PLAN_PRICES[plan],
                    ));
                    plan -= 1;
                }
            } else if u < if dead { 0.005 } else { 0.03 } {
                plan = pick_plan(&mut rng);
                change = Some((SubscriptionChange::Reactivation, PLAN_PRICES[plan]));
                active = true;
            }
            if let Some((change, delta)) = change {
                if self.micros(day).is_none() {
                    break;
                }
                self.push(out, c, day, EventType::Subscription, delta, change as u32);
            }
            month_start += 30.0;
        }
    }
}

/// Runs the whole simulation and sorts the records.
fn simulate(options: &SampleOptions) -> Result<Vec<Rec>> {
    let ctx = Ctx::new(options)?;
    let mut out = Vec::new();
    let mut orders = Vec::new();
    for i in 0..ctx.customers {
        ctx.customer(i, &mut orders, &mut out);
    }
    // Stable: ties keep the simulation's emission order.
    out.sort_by_key(|r| (r.time, r.customer));
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn own_ln_and_exp_match_std() {
        let mut x = 1e-300;
        while x < 1e300 {
            let rel = (ln(x) - x.ln()).abs() / x.ln().abs().max(1e-300);
            assert!(rel < 1e-14 || (ln(x) - x.ln()).abs() < 1e-15, "ln({x})");
            x *= 1.7;
        }
        assert_eq!(ln(1.0), 0.0);
        assert!((ln(5e-324) - (5e-324f64).ln()).abs() < 1e-12);
        let mut x = -700.0;
        while x < 700.0 {
            let rel = (exp(x) - x.exp()).abs() / x.exp();
            assert!(rel < 1e-14, "exp({x}): {} vs {}", exp(x), x.exp());
            x += 0.37;
        }
        assert_eq!(exp(0.0), 1.0);
        assert_eq!(exp(-1000.0), 0.0);
    }

    #[test]
    fn xoshiro_reference_stream() {
        // Reference: xoshiro256** seeded with s = [1, 2, 3, 4].
        let mut rng = Rng { s: [1, 2, 3, 4] };
        let got: Vec<u64> = (0..3).map(|_| rng.next_u64()).collect();
        assert_eq!(got, vec![11520, 0, 1509978240]);
    }

    #[test]
    fn samplers_have_the_right_moments() {
        let mut rng = Rng::stream(1, 0, Facet::Purchases);
        let n = 200_000;
        let mean = |f: &mut dyn FnMut() -> f64| (0..n).map(|_| f()).sum::<f64>() / n as f64;
        assert!((mean(&mut || rng.gamma(0.6)) - 0.6).abs() < 0.01);
        assert!((mean(&mut || rng.gamma(6.0)) - 6.0).abs() < 0.03);
        assert!((mean(&mut || rng.beta(0.8, 2.5)) - 0.8 / 3.3).abs() < 0.005);
        assert!((mean(&mut || rng.exponential(2.0)) - 2.0).abs() < 0.02);
        assert!((mean(&mut || f64::from(rng.poisson(3.5))) - 3.5).abs() < 0.02);
        assert!(mean(&mut || rng.normal()).abs() < 0.01);
    }

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
