//! The programme's rules ([`LoyaltyConfig`]) and their validation into
//! internal units.

use crate::error::{positive, Error, Result};
use crate::summary::Money;
use crate::time::{window_days, Micros};

/// One tier of the programme.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub struct Tier {
    /// Display name, e.g. `"Gold"`.
    pub name: String,
    /// Smallest basis value (points earned, spend or orders) that earns this tier.
    pub threshold: f64,
    /// Earn-rate multiplier on order points (> 0; 1 when not given).
    #[cfg_attr(feature = "serde", serde(default = "one"))]
    pub multiplier: f64,
    /// Points credited once when the customer first reaches this tier (≥ 0;
    /// 0 when not given).
    #[cfg_attr(feature = "serde", serde(default))]
    pub entry_points: f64,
}

#[cfg(feature = "serde")]
fn one() -> f64 {
    1.0
}

impl Tier {
    /// A tier without entry reward.
    pub fn new(name: impl Into<String>, threshold: f64, multiplier: f64) -> Self {
        Tier {
            name: name.into(),
            threshold,
            multiplier,
            entry_points: 0.0,
        }
    }

    /// The same tier with an entry reward of `points`.
    pub fn with_entry_points(self, points: f64) -> Self {
        Tier {
            entry_points: points,
            ..self
        }
    }
}

/// A way to spend points, listed for the storefront widget.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub struct Reward {
    /// Display name, e.g. `"$5 off"`.
    pub name: String,
    /// Points it costs (> 0).
    pub points: f64,
}

crate::vocab::codes! {
    /// What tiers are measured by.
    #[derive(Default)]
    pub enum TierBasis as "tier_basis" {
        /// Net spend (orders − refunds, floored at 0) in the tier term (default).
        #[default]
        Spend = "spend",
        /// Points earned in the tier term; redemptions and expiries do not
        /// lower it.
        PointsEarned = "points_earned",
        /// Number of orders in the tier term.
        OrderCount = "order_count",
    }
}

crate::vocab::codes! {
    /// Over which period the tier basis is counted.
    #[derive(Default)]
    pub enum TierTerm as "tier_term" {
        /// The trailing [`LoyaltyConfig::term_days`] (default 365: rolling
        /// twelve months; default term).
        #[default]
        Rolling = "rolling",
        /// The current calendar year (UTC); the count restarts on 1 January.
        CalendarYear = "calendar_year",
        /// Everything since the first event.
        Lifetime = "lifetime",
    }
}

/// Rules of the loyalty programme. See the [module docs](super).
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(default, deny_unknown_fields))]
pub struct LoyaltyConfig {
    /// Points per currency unit of order amount, before the tier multiplier (default 1).
    pub points_per_unit: f64,
    /// Points for the first signup (default 100).
    pub welcome_points: f64,
    /// Points for the referrer, per referred person (default 250).
    pub referral_bonus: f64,
    /// Points for the referred person (the referee; default 0).
    pub referee_bonus: f64,
    /// Days after which earned points expire; `None` = never (default 365).
    pub expiry_days: Option<u32>,
    /// Days without earning or redeeming after which the whole balance
    /// expires; `None` = never (default).
    pub inactivity_days: Option<u32>,
    /// What tiers are measured by (default spend).
    pub tier_basis: TierBasis,
    /// Over which period (default rolling).
    pub tier_term: TierTerm,
    /// Length of the rolling term in days (default 365).
    pub term_days: u32,
    /// Days a customer keeps a tier after falling below its threshold
    /// (default 0: downgrade at once).
    pub grace_days: u32,
    /// Tiers in increasing threshold order; the first threshold must be 0.
    pub tiers: Vec<Tier>,
    /// Ways to spend points, for the storefront widget.
    pub rewards: Vec<Reward>,
}

impl Default for LoyaltyConfig {
    fn default() -> Self {
        LoyaltyConfig {
            points_per_unit: 1.0,
            welcome_points: 100.0,
            referral_bonus: 250.0,
            referee_bonus: 0.0,
            expiry_days: Some(365),
            inactivity_days: None,
            tier_basis: TierBasis::Spend,
            tier_term: TierTerm::Rolling,
            term_days: 365,
            grace_days: 0,
            tiers: vec![
                Tier::new("Bronze", 0.0, 1.0),
                Tier::new("Silver", 500.0, 1.25),
                Tier::new("Gold", 1500.0, 1.5),
                Tier::new("Platinum", 5000.0, 2.0),
            ],
            rewards: vec![
                Reward {
                    name: "5 off".into(),
                    points: 500.0,
                },
                Reward {
                    name: "Free shipping".into(),
                    points: 750.0,
                },
                Reward {
                    name: "15 off".into(),
                    points: 1250.0,
                },
            ],
        }
    }
}

/// The term in internal units.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Term {
    Rolling(Micros),
    CalendarYear,
    Lifetime,
}

/// A validated configuration in internal units.
pub(super) struct Rules {
    pub per_unit: f64,
    pub welcome: Money,
    pub referral: Money,
    pub referee: Money,
    pub expiry: Option<Micros>,
    pub inactivity: Option<Micros>,
    pub basis: TierBasis,
    pub term: Term,
    /// Grace period; 0 = none.
    pub grace: Micros,
    pub thresholds: Vec<Money>,
    pub multipliers: Vec<f64>,
    pub entry: Vec<Money>,
}

/// Largest points earned per currency unit, `points_per_unit` × the largest
/// tier multiplier (see [`LoyaltyConfig::validate`]).
pub const MAX_EARN_RATE: f64 = 1e8;

pub(super) fn non_negative(name: &'static str, value: f64) -> Result<f64> {
    if value.is_finite() && value >= 0.0 {
        Ok(value)
    } else {
        Err(Error::parameter(name, value, "must be a finite number ≥ 0"))
    }
}

impl LoyaltyConfig {
    /// Checks the configuration: rates and bonuses finite and `≥ 0`, windows of
    /// at least one day, tiers non-empty with a first threshold of 0, strictly
    /// increasing finite thresholds, multipliers `> 0`, entry points `≥ 0`,
    /// reward costs `> 0`; amounts at most [`Money::MAX_F64`] and
    /// `points_per_unit` × the largest multiplier at most [`MAX_EARN_RATE`].
    pub fn validate(&self) -> Result<()> {
        self.rules().map(|_| ())
    }

    pub(super) fn rules(&self) -> Result<Rules> {
        let money = |name, v| Money::checked_from_f64(name, non_negative(name, v)?);
        let days = |name, d: Option<u32>| d.map(|d| window_days(name, d)).transpose();
        let term = match self.tier_term {
            TierTerm::Rolling => Term::Rolling(window_days("term_days", self.term_days)?),
            TierTerm::CalendarYear => Term::CalendarYear,
            TierTerm::Lifetime => Term::Lifetime,
        };
        if self.tiers.is_empty() {
            return Err(Error::EmptyInput { what: "tiers" });
        }
        let mut thresholds = Vec::with_capacity(self.tiers.len());
        let mut multipliers = Vec::with_capacity(self.tiers.len());
        let mut entry = Vec::with_capacity(self.tiers.len());
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
            entry.push(money("tiers.entry_points", tier.entry_points)?);
        }
        for r in &self.rewards {
            positive("rewards.points", r.points)?;
        }
        // One order earns at most 10¹² × rate × multiplier points (10¹² is
        // the largest event amount); with the rate at most 10⁸ per unit that
        // is 10²⁰, so even 10¹² such orders stay inside the exact `i128`
        // fixed point (1.7·10³²) instead of being capped.
        let per_unit = non_negative("points_per_unit", self.points_per_unit)?;
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
            welcome: money("welcome_points", self.welcome_points)?,
            referral: money("referral_bonus", self.referral_bonus)?,
            referee: money("referee_bonus", self.referee_bonus)?,
            expiry: days("expiry_days", self.expiry_days)?,
            inactivity: days("inactivity_days", self.inactivity_days)?,
            basis: self.tier_basis,
            term,
            grace: if self.grace_days == 0 {
                0
            } else {
                window_days("grace_days", self.grace_days)?
            },
            thresholds,
            multipliers,
            entry,
        })
    }
}

impl Rules {
    /// The highest tier whose threshold is `≤ value`.
    pub fn tier_of(&self, value: Money) -> usize {
        self.thresholds
            .partition_point(|&t| t <= value)
            .saturating_sub(1)
    }
}
