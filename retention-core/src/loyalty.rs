//! Loyalty programme: points ledger with FIFO expiry, and tiers with progress.
//!
//! # Points ledger
//!
//! A customer's events are replayed in log order (time, then input row):
//!
//! * the first `Signup` earns [`LoyaltyConfig::welcome_points`] (later signups
//!   earn nothing);
//! * an `Order { amount }` earns `amount × points_per_unit × m`, where `m` is
//!   the multiplier of the customer's tier *just before the order* (the order
//!   itself does not lift its own earn rate; see "Tiers");
//! * a `Referral` earns [`LoyaltyConfig::referral_bonus`];
//! * a `PointsEarned { points }` is a manual credit of `points` (no multiplier);
//! * a `PointsRedeemed { points }` spends points; so does
//!   [`PointsLedger::redeem`] for a proposed redemption;
//! * refunds do not claw points back (they lower the trailing spend).
//!
//! Every credit is a *lot* that expires [`LoyaltyConfig::expiry_days`] days
//! after it was earned (`None`: never). Expiry is FIFO: redemptions consume
//! the oldest lots first, and a lot whose expiry instant is at or before an
//! event's time has expired before that event. A redemption above the points
//! available at its time is an [`Error::InsufficientPoints`]: the balance
//! never goes negative. Points are kept in exact fixed point (10⁻⁶ points,
//! as [`Money`]) and are not rounded to whole points.
//!
//! # Tiers
//!
//! Tiers are ordered by threshold; the first threshold must be 0, so every
//! customer holds a tier. The tier is the highest one whose threshold is
//! `≤` the basis value:
//!
//! * [`TierBasis::TrailingSpend`] (default): net spend (orders − refunds,
//!   floored at 0) over the trailing window of
//!   [`LoyaltyConfig::spend_window_days`] days (default 365, i.e. twelve
//!   months): events with time in `(t − window, t]`. Tiers go up when a
//!   customer orders and down when old orders leave the window (or on refunds);
//! * [`TierBasis::PointsBalance`]: the points balance at `t`.
//!
//! Default tiers: Bronze 0 (× 1.0), Silver 500 (× 1.25), Gold 1500 (× 1.5),
//! Platinum 5000 (× 2.0), in account currency for spend (or points).
//!
//! Progress to the next tier: `missing = next threshold − value` and
//! `fraction = (value − current threshold) / (next threshold − current
//! threshold)` in `[0, 1)`: how far through the current tier band the
//! customer is, for a storefront progress bar. At the top tier there is no
//! next tier ([`TierStatus::next`] is `None`).

use std::collections::VecDeque;

use chrono::{DateTime, Utc};

use crate::error::{positive, Error, IssueKind, Issues, Result};
use crate::events::{CustomerId, EventLog, EventType};
use crate::summary::Money;
use crate::time::{from_micros, to_micros, window_days, Micros};

/// One tier of the programme.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub struct Tier {
    /// Display name, e.g. `"Gold"`.
    pub name: String,
    /// Smallest basis value (spend or points) that earns this tier.
    pub threshold: f64,
    /// Earn-rate multiplier on order points (> 0; 1 when not given).
    #[cfg_attr(feature = "serde", serde(default = "one"))]
    pub multiplier: f64,
}

#[cfg(feature = "serde")]
fn one() -> f64 {
    1.0
}

impl Tier {
    /// A tier.
    pub fn new(name: impl Into<String>, threshold: f64, multiplier: f64) -> Self {
        Tier {
            name: name.into(),
            threshold,
            multiplier,
        }
    }
}

crate::vocab::codes! {
    /// What tiers are measured by.
    #[derive(Default)]
    pub enum TierBasis as "tier_basis" {
        /// Net spend over the trailing window (default).
        #[default]
        TrailingSpend = "trailing_spend",
        /// Current points balance.
        PointsBalance = "points_balance",
    }
}

/// Rules of the loyalty programme. See the module docs.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(default, deny_unknown_fields))]
pub struct LoyaltyConfig {
    /// Points per currency unit of order amount, before the tier multiplier (default 1).
    pub points_per_unit: f64,
    /// Points for the first signup (default 100).
    pub welcome_points: f64,
    /// Points per referral event (default 250).
    pub referral_bonus: f64,
    /// Days after which earned points expire; `None` = never (default 365).
    pub expiry_days: Option<u32>,
    /// What tiers are measured by (default trailing spend).
    pub tier_basis: TierBasis,
    /// Trailing spend window in days (default 365).
    pub spend_window_days: u32,
    /// Tiers in increasing threshold order; the first threshold must be 0.
    pub tiers: Vec<Tier>,
}

impl Default for LoyaltyConfig {
    fn default() -> Self {
        LoyaltyConfig {
            points_per_unit: 1.0,
            welcome_points: 100.0,
            referral_bonus: 250.0,
            expiry_days: Some(365),
            tier_basis: TierBasis::TrailingSpend,
            spend_window_days: 365,
            tiers: vec![
                Tier::new("Bronze", 0.0, 1.0),
                Tier::new("Silver", 500.0, 1.25),
                Tier::new("Gold", 1500.0, 1.5),
                Tier::new("Platinum", 5000.0, 2.0),
            ],
        }
    }
}

/// A validated configuration in internal units.
struct Rules {
    per_unit: f64,
    welcome: Money,
    referral: Money,
    expiry: Option<Micros>,
    window: Micros,
    basis: TierBasis,
    thresholds: Vec<Money>,
    multipliers: Vec<f64>,
}

/// Largest points earned per currency unit, `points_per_unit` × the largest
/// tier multiplier (see [`LoyaltyConfig::validate`]).
pub const MAX_EARN_RATE: f64 = 1e8;

/// A non-negative points amount given in a configuration, as fixed point.
fn points(name: &'static str, value: f64) -> Result<Money> {
    Money::checked_from_f64(name, non_negative(name, value)?)
}

fn non_negative(name: &'static str, value: f64) -> Result<f64> {
    if value.is_finite() && value >= 0.0 {
        Ok(value)
    } else {
        Err(Error::parameter(name, value, "must be a finite number ≥ 0"))
    }
}

impl LoyaltyConfig {
    /// Checks the configuration: rates and bonuses finite and `≥ 0`, windows of
    /// at least one day, tiers non-empty with a first threshold of 0, strictly
    /// increasing finite thresholds and multipliers `> 0`; amounts at most
    /// [`Money::MAX_F64`] and `points_per_unit` × the largest multiplier at
    /// most [`MAX_EARN_RATE`].
    pub fn validate(&self) -> Result<()> {
        self.rules().map(|_| ())
    }

    fn rules(&self) -> Result<Rules> {
        let per_unit = non_negative("points_per_unit", self.points_per_unit)?;
        let welcome = points("welcome_points", self.welcome_points)?;
        let referral = points("referral_bonus", self.referral_bonus)?;
        let expiry = self
            .expiry_days
            .map(|d| window_days("expiry_days", d))
            .transpose()?;
        let window = window_days("spend_window_days", self.spend_window_days)?;
        if self.tiers.is_empty() {
            return Err(Error::EmptyInput { what: "tiers" });
        }
        let mut thresholds = Vec::with_capacity(self.tiers.len());
        let mut multipliers = Vec::with_capacity(self.tiers.len());
        for (i, tier) in self.tiers.iter().enumerate() {
            let t = non_negative("tiers.threshold", tier.threshold)?;
            if i == 0 && t != 0.0 {
                return Err(Error::parameter(
                    "tiers.threshold",
                    t,
                    "the first tier's threshold must be 0",
                ));
            }
            if i > 0 && t <= self.tiers[i - 1].threshold {
                return Err(Error::parameter(
                    "tiers.threshold",
                    t,
                    "thresholds must increase strictly",
                ));
            }
            thresholds.push(Money::checked_from_f64("tiers.threshold", t)?);
            multipliers.push(positive("tiers.multiplier", tier.multiplier)?);
        }
        // One order earns at most 10¹² × rate × multiplier points (10¹² is
        // the largest event amount); with the rate at most 10⁸ per unit that
        // is 10²⁰, so even 10¹² such orders stay inside the exact `i128`
        // fixed point (1.7·10³²) instead of being capped.
        let most = per_unit * multipliers.iter().fold(0.0, |m: f64, &x| m.max(x));
        if most > MAX_EARN_RATE {
            return Err(Error::parameter(
                "points_per_unit",
                per_unit,
                "points_per_unit × the largest tier multiplier must be at most 1e8",
            ));
        }
        Ok(Rules {
            per_unit,
            welcome,
            referral,
            expiry,
            window,
            basis: self.tier_basis,
            thresholds,
            multipliers,
        })
    }
}

impl Rules {
    fn tier_of(&self, value: Money) -> usize {
        self.thresholds
            .partition_point(|&t| t <= value)
            .saturating_sub(1)
    }
}

crate::vocab::codes! {
    /// Why the balance changed.
    pub enum LedgerEntryKind as "ledger_entry_kind" {
        /// Welcome points for the first signup.
        Welcome = "welcome",
        /// Points earned on an order.
        Order = "order",
        /// Referral bonus.
        Referral = "referral",
        /// Manual credit (`PointsEarned` event).
        Credit = "credit",
        /// Redemption (`PointsRedeemed` event or [`PointsLedger::redeem`]).
        Redemption = "redemption",
        /// Points that reached their expiry date unspent.
        Expiry = "expiry",
    }
}

/// One movement of the points balance.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct LedgerEntry {
    /// When (for expiries: the expiry instant).
    pub time: DateTime<Utc>,
    /// Why.
    pub kind: LedgerEntryKind,
    /// Signed change of the balance (negative for redemptions and expiries).
    pub points: f64,
    /// Balance after the change.
    pub balance: f64,
    /// Input row of the event, if the entry comes from one.
    pub row: Option<usize>,
    /// For orders: the index of the tier whose multiplier applied.
    pub tier: Option<usize>,
}

/// Points earned at one instant, partly or wholly unspent.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Lot {
    expires: Micros,
    remaining: Money,
}

/// A customer's points ledger, replayed up to an instant.
///
/// Serialized (feature `serde`) as what its methods read: `customer`,
/// `as_of`, `balance`, `earned`, `redeemed`, `expired`, `next_expiry`
/// (`[instant, points]` or null) and `entries`.
#[derive(Debug, Clone, PartialEq)]
pub struct PointsLedger {
    customer: CustomerId,
    as_of: Micros,
    lots: VecDeque<Lot>,
    balance: Money,
    earned: Money,
    redeemed: Money,
    expired: Money,
    entries: Vec<LedgerEntry>,
    /// Whether entries are recorded (off when only the balance is needed).
    record: bool,
}

serialize_with_ratios!(PointsLedger {} {
    customer: PointsLedger::customer,
    as_of: PointsLedger::as_of,
    balance: PointsLedger::balance,
    earned: PointsLedger::earned,
    redeemed: PointsLedger::redeemed,
    expired: PointsLedger::expired,
    next_expiry: PointsLedger::next_expiry,
    entries: PointsLedger::entries,
});

impl PointsLedger {
    fn new(customer: CustomerId) -> Self {
        PointsLedger {
            customer,
            as_of: Micros::MIN,
            lots: VecDeque::new(),
            balance: Money(0),
            earned: Money(0),
            redeemed: Money(0),
            expired: Money(0),
            entries: Vec::new(),
            record: true,
        }
    }

    /// The customer.
    pub fn customer(&self) -> &CustomerId {
        &self.customer
    }

    /// The instant the ledger describes.
    pub fn as_of(&self) -> DateTime<Utc> {
        from_micros(self.as_of)
    }

    /// Points available (earned − redeemed − expired), never negative.
    pub fn balance(&self) -> f64 {
        self.balance.to_f64()
    }

    /// All points ever credited.
    pub fn earned(&self) -> f64 {
        self.earned.to_f64()
    }

    /// All points redeemed.
    pub fn redeemed(&self) -> f64 {
        self.redeemed.to_f64()
    }

    /// All points expired.
    pub fn expired(&self) -> f64 {
        self.expired.to_f64()
    }

    /// Every balance movement, in time order.
    pub fn entries(&self) -> &[LedgerEntry] {
        &self.entries
    }

    /// The next expiry: when and how many points, if any points can expire.
    pub fn next_expiry(&self) -> Option<(DateTime<Utc>, f64)> {
        let first = self.lots.iter().find(|l| l.expires != Micros::MAX)?;
        let points = self
            .lots
            .iter()
            .take_while(|l| l.expires == first.expires)
            .fold(Money(0), |acc, l| acc + l.remaining);
        Some((from_micros(first.expires), points.to_f64()))
    }

    /// Points still available at a later instant `at`, if nothing else happens
    /// (i.e. the balance minus the lots expiring by then).
    pub fn available_at(&self, at: DateTime<Utc>) -> f64 {
        let at = to_micros(at);
        self.lots
            .iter()
            .filter(|l| l.expires > at)
            .fold(Money(0), |acc, l| acc + l.remaining)
            .to_f64()
    }

    fn push(&mut self, time: Micros, kind: LedgerEntryKind, points: Money, row: Option<usize>) {
        if !self.record {
            return;
        }
        self.entries.push(LedgerEntry {
            time: from_micros(time),
            kind,
            points: points.to_f64(),
            balance: self.balance.to_f64(),
            row,
            tier: None,
        });
    }

    /// Expires every lot whose expiry instant is at or before `t`.
    fn expire_until(&mut self, t: Micros) {
        while let Some(&lot) = self.lots.front() {
            if lot.expires > t {
                break;
            }
            self.lots.pop_front();
            if lot.remaining > Money(0) {
                self.balance = self.balance - lot.remaining;
                self.expired += lot.remaining;
                self.push(
                    lot.expires,
                    LedgerEntryKind::Expiry,
                    Money(0) - lot.remaining,
                    None,
                );
            }
        }
        self.as_of = self.as_of.max(t);
    }

    fn credit(
        &mut self,
        t: Micros,
        points: Money,
        expiry: Option<Micros>,
        kind: LedgerEntryKind,
        row: Option<usize>,
    ) {
        let expires = expiry.map_or(Micros::MAX, |e| t.saturating_add(e));
        // Lots are appended in time order with the same lifetime, so the deque
        // stays sorted by expiry: FIFO.
        self.lots.push_back(Lot {
            expires,
            remaining: points,
        });
        self.balance += points;
        self.earned += points;
        self.push(t, kind, points, row);
    }

    fn debit(&mut self, t: Micros, points: Money, row: Option<usize>) -> Result<()> {
        if points > self.balance {
            return Err(Error::InsufficientPoints {
                customer: self.customer.to_string(),
                row,
                requested: points.to_f64(),
                available: self.balance.to_f64(),
            });
        }
        let mut left = points;
        while left > Money(0) {
            let Some(lot) = self.lots.front_mut() else {
                break;
            };
            let take = lot.remaining.min(left);
            lot.remaining = lot.remaining - take;
            left = left - take;
            if lot.remaining == Money(0) {
                self.lots.pop_front();
            }
        }
        self.balance = self.balance - points;
        self.redeemed += points;
        self.push(t, LedgerEntryKind::Redemption, Money(0) - points, row);
        Ok(())
    }

    /// Applies a proposed redemption of `points` at `at` (not before the
    /// ledger's `as_of`): expires what is due by then, then spends the oldest
    /// points first. Returns the new balance. Over-redemption is an
    /// [`Error::InsufficientPoints`] with `row: None`, and leaves the ledger
    /// unchanged apart from expiries.
    pub fn redeem(&mut self, at: DateTime<Utc>, points: f64) -> Result<f64> {
        if !(points.is_finite() && points > 0.0) {
            return Err(Error::parameter(
                "points",
                points,
                "must be a finite number greater than 0",
            ));
        }
        let t = to_micros(at);
        if t < self.as_of {
            return Err(Error::parameter(
                "at",
                at.to_rfc3339(),
                "must not precede the ledger's as_of",
            ));
        }
        self.expire_until(t);
        self.debit(t, Money::from_f64(points), None)?;
        Ok(self.balance())
    }
}

/// Trailing net spend: amounts inside the window, oldest first.
struct TrailingSpend {
    window: Micros,
    items: VecDeque<(Micros, Money)>,
    sum: Money,
}

impl TrailingSpend {
    fn new(window: Micros) -> Self {
        TrailingSpend {
            window,
            items: VecDeque::new(),
            sum: Money(0),
        }
    }

    /// Net spend over `(t − window, t]` of the amounts added so far, floored at 0.
    fn at(&mut self, t: Micros) -> Money {
        let cutoff = t.saturating_sub(self.window);
        while let Some(&(time, amount)) = self.items.front() {
            if time > cutoff {
                break;
            }
            self.items.pop_front();
            self.sum = self.sum - amount;
        }
        self.sum.max(Money(0))
    }

    fn add(&mut self, t: Micros, amount: Money) {
        self.items.push_back((t, amount));
        self.sum += amount;
    }
}

fn check_customer_as_of(log: &EventLog, c: usize, as_of: Micros) -> Result<()> {
    let mut issues = Issues::default();
    for i in log.customer_range(c) {
        if log.times()[i] > as_of {
            issues.push(
                log.input_rows()[i] as usize,
                "timestamp",
                from_micros(log.times()[i]).to_rfc3339(),
                IssueKind::AfterAsOf,
            );
        }
    }
    issues.finish()
}

fn customer_index(log: &EventLog, customer: &CustomerId) -> Result<usize> {
    log.customer_index(customer)
        .ok_or_else(|| Error::UnknownCustomer {
            customer: customer.to_string(),
        })
}

/// Replays dense customer `c` up to `as_of` (events already checked).
fn replay(log: &EventLog, c: usize, as_of: Micros, rules: &Rules) -> Result<PointsLedger> {
    replay_with(log, c, as_of, rules, true)
}

/// [`replay`], recording the entries only when `record` is set (the
/// balances and totals are the same either way).
fn replay_with(
    log: &EventLog,
    c: usize,
    as_of: Micros,
    rules: &Rules,
    record: bool,
) -> Result<PointsLedger> {
    let mut ledger = PointsLedger::new(log.customers()[c].clone());
    ledger.record = record;
    let mut spend = TrailingSpend::new(rules.window);
    let mut welcomed = false;
    let (times, kinds, values, rows) = (
        log.times(),
        log.event_types(),
        log.values(),
        log.input_rows(),
    );
    for i in log.customer_range(c) {
        let (t, row) = (times[i], Some(rows[i] as usize));
        ledger.expire_until(t);
        match kinds[i] {
            EventType::Signup if !welcomed => {
                welcomed = true;
                ledger.credit(
                    t,
                    rules.welcome,
                    rules.expiry,
                    LedgerEntryKind::Welcome,
                    row,
                );
            }
            EventType::Order => {
                let basis = match rules.basis {
                    TierBasis::TrailingSpend => spend.at(t),
                    TierBasis::PointsBalance => ledger.balance,
                };
                let tier = rules.tier_of(basis);
                let points = Money::from_f64(values[i] * rules.per_unit * rules.multipliers[tier]);
                ledger.credit(t, points, rules.expiry, LedgerEntryKind::Order, row);
                if let Some(entry) = ledger.entries.last_mut() {
                    entry.tier = Some(tier);
                }
                spend.add(t, Money::from_f64(values[i]));
            }
            EventType::Refund => spend.add(t, Money(0) - Money::from_f64(values[i])),
            EventType::Referral => ledger.credit(
                t,
                rules.referral,
                rules.expiry,
                LedgerEntryKind::Referral,
                row,
            ),
            EventType::PointsEarned => ledger.credit(
                t,
                Money::from_f64(values[i]),
                rules.expiry,
                LedgerEntryKind::Credit,
                row,
            ),
            EventType::PointsRedeemed => ledger.debit(t, Money::from_f64(values[i]), row)?,
            _ => {}
        }
    }
    ledger.expire_until(as_of);
    Ok(ledger)
}

/// The points ledger of one customer at `as_of`.
///
/// Errors: unknown customer, an invalid configuration, an event of this
/// customer after `as_of`, or a logged redemption above the balance
/// ([`Error::InsufficientPoints`] naming the input row).
///
/// ```
/// use chrono::{TimeZone, Utc};
/// use retention_core::events::{Event, EventKind, EventLog, LogOptions};
/// use retention_core::loyalty::{points_ledger, LoyaltyConfig};
///
/// let d = |m, day| Utc.with_ymd_and_hms(2024, m, day, 12, 0, 0).unwrap();
/// let log = EventLog::from_events(
///     &[
///         Event::new(1, d(1, 1), EventKind::Signup),
///         Event::order(1, d(1, 2), 80.0),
///         Event::new(1, d(2, 1), EventKind::PointsRedeemed { points: 150.0 }),
///     ],
///     LogOptions::default(),
/// )?;
/// let mut ledger = points_ledger(&log, &1.into(), d(3, 1), &LoyaltyConfig::default())?;
/// assert_eq!(ledger.balance(), 30.0); // 100 welcome + 80 − 150
/// assert!(ledger.redeem(d(3, 2), 40.0).is_err());
/// assert_eq!(ledger.redeem(d(3, 2), 30.0)?, 0.0);
/// # Ok::<(), retention_core::Error>(())
/// ```
pub fn points_ledger(
    log: &EventLog,
    customer: &CustomerId,
    as_of: DateTime<Utc>,
    config: &LoyaltyConfig,
) -> Result<PointsLedger> {
    let rules = config.rules()?;
    let c = customer_index(log, customer)?;
    let as_of = to_micros(as_of);
    check_customer_as_of(log, c, as_of)?;
    replay(log, c, as_of, &rules)
}

/// The points balance of one customer at `as_of`: [`points_ledger`]'s
/// balance (same checks and errors) without recording the entries.
pub(crate) fn points_balance(
    log: &EventLog,
    customer: &CustomerId,
    as_of: DateTime<Utc>,
    config: &LoyaltyConfig,
) -> Result<f64> {
    let rules = config.rules()?;
    let c = customer_index(log, customer)?;
    let as_of = to_micros(as_of);
    check_customer_as_of(log, c, as_of)?;
    Ok(replay_with(log, c, as_of, &rules, false)?.balance())
}

/// The points ledgers of every customer of the log at `as_of`, in customer order.
///
/// The first over-redemption found (in customer order) is an error.
pub fn points_ledgers(
    log: &EventLog,
    as_of: DateTime<Utc>,
    config: &LoyaltyConfig,
) -> Result<Vec<PointsLedger>> {
    let rules = config.rules()?;
    let as_of = to_micros(as_of);
    log.check_as_of(as_of)?;
    (0..log.customers().len())
        .map(|c| replay(log, c, as_of, &rules))
        .collect()
}

/// The next tier and how far away it is.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct NextTier {
    /// Index of the next tier in [`LoyaltyConfig::tiers`].
    pub index: usize,
    /// Its name.
    pub name: String,
    /// Its threshold.
    pub threshold: f64,
    /// Spend (or points) still missing: `threshold − value`, `> 0`.
    pub missing: f64,
    /// Fraction of the current tier band done, in `[0, 1)`.
    pub fraction: f64,
}

/// A customer's tier at an instant, with the progress to the next one.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct TierStatus {
    /// Index of the tier in [`LoyaltyConfig::tiers`].
    pub index: usize,
    /// Its name.
    pub name: String,
    /// Its earn multiplier.
    pub multiplier: f64,
    /// The basis value: trailing net spend or points balance.
    pub value: f64,
    /// The next tier; `None` at the top.
    pub next: Option<NextTier>,
}

/// The tier and progress that a basis value (trailing spend or points) gives.
///
/// ```
/// use retention_core::loyalty::{tier_for_value, LoyaltyConfig};
///
/// let s = tier_for_value(1000.0, &LoyaltyConfig::default())?;
/// assert_eq!(s.name, "Silver");
/// let next = s.next.unwrap();
/// assert_eq!((next.name.as_str(), next.missing, next.fraction), ("Gold", 500.0, 0.5));
/// assert!(tier_for_value(9000.0, &LoyaltyConfig::default())?.next.is_none());
/// # Ok::<(), retention_core::Error>(())
/// ```
pub fn tier_for_value(value: f64, config: &LoyaltyConfig) -> Result<TierStatus> {
    let rules = config.rules()?;
    let value = non_negative("value", value)?;
    Ok(status(
        Money::checked_from_f64("value", value)?,
        &rules,
        config,
    ))
}

fn status(value: Money, rules: &Rules, config: &LoyaltyConfig) -> TierStatus {
    let index = rules.tier_of(value);
    let here = &config.tiers[index];
    let next = config.tiers.get(index + 1).map(|n| {
        let band = rules.thresholds[index + 1] - rules.thresholds[index];
        let done = value - rules.thresholds[index];
        let fraction = if band > Money(0) {
            (done.to_f64() / band.to_f64()).clamp(0.0, 1.0)
        } else {
            0.0
        };
        NextTier {
            index: index + 1,
            name: n.name.clone(),
            threshold: n.threshold,
            missing: (rules.thresholds[index + 1] - value).to_f64(),
            fraction,
        }
    });
    TierStatus {
        index,
        name: here.name.clone(),
        multiplier: here.multiplier,
        value: value.to_f64(),
        next,
    }
}

/// A customer's tier at instant `at` (events of the customer after `at` are an error).
pub fn tier_status(
    log: &EventLog,
    customer: &CustomerId,
    at: DateTime<Utc>,
    config: &LoyaltyConfig,
) -> Result<TierStatus> {
    let rules = config.rules()?;
    let c = customer_index(log, customer)?;
    let at = to_micros(at);
    check_customer_as_of(log, c, at)?;
    let value = match rules.basis {
        TierBasis::PointsBalance => replay(log, c, at, &rules)?.balance,
        TierBasis::TrailingSpend => {
            let mut spend = TrailingSpend::new(rules.window);
            for i in log.customer_range(c) {
                match log.event_types()[i] {
                    EventType::Order => spend.add(log.times()[i], Money::from_f64(log.values()[i])),
                    EventType::Refund => {
                        spend.add(log.times()[i], Money(0) - Money::from_f64(log.values()[i]))
                    }
                    _ => {}
                }
            }
            spend.at(at)
        }
    };
    Ok(status(value, &rules, config))
}

/// A change of tier.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct TierChange {
    /// When the new tier starts.
    pub at: DateTime<Utc>,
    /// Index of the previous tier.
    pub from: usize,
    /// Index of the new tier.
    pub to: usize,
    /// Name of the new tier.
    pub name: String,
}

/// Every tier change of a customer up to `as_of`, in time order (the customer
/// starts in the first tier).
///
/// With [`TierBasis::TrailingSpend`] the tier is re-evaluated at every order
/// and refund and at every instant an order or refund leaves the window
/// (`time + window`); with [`TierBasis::PointsBalance`], after every ledger
/// movement (including expiries).
pub fn tier_history(
    log: &EventLog,
    customer: &CustomerId,
    as_of: DateTime<Utc>,
    config: &LoyaltyConfig,
) -> Result<Vec<TierChange>> {
    let rules = config.rules()?;
    let c = customer_index(log, customer)?;
    let as_of = to_micros(as_of);
    check_customer_as_of(log, c, as_of)?;
    // (instant, basis value after everything at that instant)
    let mut values: Vec<(Micros, Money)> = Vec::new();
    match rules.basis {
        TierBasis::PointsBalance => {
            let ledger = replay(log, c, as_of, &rules)?;
            let mut entries = ledger.entries.iter().peekable();
            while let Some(e) = entries.next() {
                let t = to_micros(e.time);
                if entries.peek().is_none_or(|n| to_micros(n.time) != t) {
                    values.push((t, Money::from_f64(e.balance)));
                }
            }
        }
        TierBasis::TrailingSpend => {
            let moves: Vec<(Micros, Money)> = log
                .customer_range(c)
                .filter_map(|i| {
                    let amount = Money::from_f64(log.values()[i]);
                    match log.event_types()[i] {
                        EventType::Order => Some((log.times()[i], amount)),
                        EventType::Refund => Some((log.times()[i], Money(0) - amount)),
                        _ => None,
                    }
                })
                .collect();
            // Candidate instants: each move, and the instant it leaves the window.
            let mut instants: Vec<Micros> = moves
                .iter()
                .flat_map(|&(t, _)| [t, t.saturating_add(rules.window)])
                .filter(|&t| t <= as_of)
                .collect();
            instants.sort_unstable();
            instants.dedup();
            let mut spend = TrailingSpend::new(rules.window);
            let mut next = 0;
            for s in instants {
                while next < moves.len() && moves[next].0 <= s {
                    spend.add(moves[next].0, moves[next].1);
                    next += 1;
                }
                values.push((s, spend.at(s)));
            }
        }
    }
    let mut changes = Vec::new();
    let mut current = 0;
    for (t, value) in values {
        let tier = rules.tier_of(value);
        if tier != current {
            changes.push(TierChange {
                at: from_micros(t),
                from: current,
                to: tier,
                name: config.tiers[tier].name.clone(),
            });
            current = tier;
        }
    }
    Ok(changes)
}
