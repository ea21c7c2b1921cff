//! Loyalty programmes as the platforms (Smile.io, LoyaltyLion) run them:
//! a points ledger with expiry by age and by inactivity, referral rewards
//! for both sides, tiers measured by points earned, spend or orders over a
//! term, with a grace period before a downgrade and entry rewards, and the
//! list of ways to earn and redeem for a storefront widget.
//!
//! # Points ledger
//!
//! A customer's events are replayed in log order (time, then input row):
//!
//! * the first `Signup` earns [`LoyaltyConfig::welcome_points`] (later signups
//!   earn nothing);
//! * an `Order { amount }` earns `amount × points_per_unit × m`, where `m` is
//!   the multiplier of the tier held *just before the order* (the order
//!   itself does not lift its own earn rate);
//! * a `Referral { referred }` earns the referrer
//!   [`LoyaltyConfig::referral_bonus`], and the referred person (when they
//!   are in the log) [`LoyaltyConfig::referee_bonus`] at the same instant.
//!   A person is referred once: only the first referral naming them (by
//!   time, then input row) earns either bonus; later ones earn nothing. A
//!   customer naming themselves is a bad row ([`Error::InvalidRows`](crate::Error::InvalidRows) with
//!   field `referred`, kind `Inconsistent { with: "customer_id" }`);
//! * reaching a tier for the first time earns its [`Tier::entry_points`]
//!   (each tier once per customer, also a tier skipped on the way up);
//! * a `PointsEarned { points }` is a manual credit of `points` (no multiplier);
//! * a `PointsRedeemed { points }` spends points; so does
//!   [`PointsLedger::redeem`] for a proposed redemption;
//! * refunds do not claw points back (they lower the spend basis).
//!
//! Every credit is a *lot* that expires [`LoyaltyConfig::expiry_days`] days
//! after it was earned (`None`: never). Expiry is FIFO: redemptions consume
//! the oldest lots first, and a lot whose expiry instant is at or before an
//! event's time has expired before that event. With
//! [`LoyaltyConfig::inactivity_days`] = `d`, the whole balance expires `d`
//! days after the last credit or redemption (the rule of both platforms'
//! "expire after inactivity" setting). A redemption above the points
//! available at its time is an [`Error::InsufficientPoints`](crate::Error::InsufficientPoints): the balance
//! never goes negative. Points are kept in exact fixed point (10⁻⁶ points,
//! as [`Money`]) and are not rounded to whole points.
//!
//! # Tiers
//!
//! Tiers are ordered by threshold; the first threshold must be 0, so every
//! customer holds a tier. The customer *qualifies* for the highest tier
//! whose threshold is `≤` the basis value `v(t)`, the sum over the term of
//! the basis moves ([`TierBasis`]):
//!
//! * `spend` (default): order amounts minus refunds, `v` floored at 0;
//! * `points_earned`: every credit except entry rewards (welcome, orders,
//!   referrals, manual credits). Redemptions and expiries are not moves, so
//!   redeeming points never lowers `v` and never lowers the tier;
//! * `order_count`: one per order.
//!
//! The term ([`TierTerm`]) says which moves count at `t`: `rolling` those in
//! `(t − term_days, t]` (default 365 days: rolling twelve months),
//! `calendar_year` those since 1 January (UTC) of `t`'s year, `lifetime`
//! all of them.
//!
//! The *held* tier starts at the first tier and is re-evaluated at every
//! move and at every instant the value can fall (a move leaving the rolling
//! term, 1 January). When the customer qualifies for a higher tier they
//! move up at once. When they qualify only for a lower one, with
//! [`LoyaltyConfig::grace_days`] = `g > 0` a downgrade is *pending*: they
//! keep the held tier until `s + g` (`s`: the instant they stopped
//! qualifying); qualifying again before then cancels it, otherwise at
//! `s + g` they drop to the tier they qualify for then. With `g = 0` they
//! drop at once. So a calendar-year term with a 365-day grace keeps a tier
//! reached in one year through the next.
//!
//! Default tiers: Bronze 0 (× 1.0), Silver 500 (× 1.25), Gold 1500 (× 1.5),
//! Platinum 5000 (× 2.0), in account currency of spend over a rolling 365
//! days.
//!
//! Progress to the next tier: `missing = next threshold − value` and
//! `fraction = (value − held threshold) / (next threshold − held
//! threshold)` clamped to `[0, 1]` (in `[0, 1)` unless in a grace period):
//! how far through the current tier band the customer is, for a storefront
//! progress bar. At the top tier there is no next tier
//! ([`TierStatus::next`] is `None`).
//!
//! The rules follow the programme settings documented by Smile.io ("VIP
//! tiers": milestones by points earned or amount spent, lifetime / calendar
//! year / rolling 12 months, entry rewards) and LoyaltyLion ("tiers",
//! "points expiry" by inactivity).

mod config;
mod ledger;
mod replay;
mod tiers;
mod ways;

use chrono::{DateTime, Utc};

pub use config::{LoyaltyConfig, Reward, Tier, TierBasis, TierTerm, MAX_EARN_RATE};
pub use ledger::{LedgerEntry, LedgerEntryKind, PointsLedger};
pub use tiers::{NextTier, TierChange, TierStatus};
pub use ways::{programme_rules, EarnAction, ProgrammeRules, WayToEarn};

use crate::error::Result;
use crate::events::{CustomerId, EventLog};
use crate::summary::Money;
use crate::time::to_micros;
use config::non_negative;
use replay::{check_customer_as_of, customer_index, replay, Referrals, Replayed};

/// Validates, finds the customer and replays them to `as_of`.
fn replay_one<'r>(
    log: &EventLog,
    customer: &CustomerId,
    as_of: DateTime<Utc>,
    rules: &'r config::Rules,
    record: bool,
) -> Result<Replayed<'r>> {
    let c = customer_index(log, customer)?;
    let as_of = to_micros(as_of);
    check_customer_as_of(log, c, as_of)?;
    replay(log, c, as_of, rules, &Referrals::of(log), record)
}

/// The points ledger of one customer at `as_of`.
///
/// Errors: unknown customer, an invalid configuration, an event of this
/// customer after `as_of`, a self-referral of this customer, or a logged
/// redemption above the balance ([`Error::InsufficientPoints`](crate::Error::InsufficientPoints) naming the
/// input row).
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
    Ok(replay_one(log, customer, as_of, &rules, true)?.ledger)
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
    Ok(replay_one(log, customer, as_of, &rules, false)?
        .ledger
        .balance())
}

/// The points ledgers of every customer of the log at `as_of`, in customer order.
///
/// The first error found (in customer order) is returned.
pub fn points_ledgers(
    log: &EventLog,
    as_of: DateTime<Utc>,
    config: &LoyaltyConfig,
) -> Result<Vec<PointsLedger>> {
    let rules = config.rules()?;
    let as_of = to_micros(as_of);
    log.check_as_of(as_of)?;
    let referrals = Referrals::of(log);
    (0..log.customers().len())
        .map(|c| Ok(replay(log, c, as_of, &rules, &referrals, true)?.ledger))
        .collect()
}

/// The tier and progress that a basis value gives, on its own (no term,
/// no grace period).
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
    let value = Money::checked_from_f64("value", non_negative("value", value)?)?;
    Ok(tiers::status(
        rules.tier_of(value),
        value,
        None,
        &rules,
        config,
    ))
}

/// A customer's tier at instant `at`, with the basis value over the term,
/// the progress to the next tier and a pending downgrade (events of the
/// customer after `at` are an error).
pub fn tier_status(
    log: &EventLog,
    customer: &CustomerId,
    at: DateTime<Utc>,
    config: &LoyaltyConfig,
) -> Result<TierStatus> {
    let rules = config.rules()?;
    let r = replay_one(log, customer, at, &rules, false)?;
    Ok(tiers::status(
        r.tier.held,
        r.tier.value(),
        r.tier.pending,
        &rules,
        config,
    ))
}

/// Every tier change of a customer up to `as_of`, in time order (the customer
/// starts in the first tier). See the module docs for when the tier is
/// re-evaluated.
pub fn tier_history(
    log: &EventLog,
    customer: &CustomerId,
    as_of: DateTime<Utc>,
    config: &LoyaltyConfig,
) -> Result<Vec<TierChange>> {
    let rules = config.rules()?;
    let mut changes = replay_one(log, customer, as_of, &rules, false)?
        .tier
        .changes;
    for c in &mut changes {
        c.name.clone_from(&config.tiers[c.to].name);
    }
    Ok(changes)
}
