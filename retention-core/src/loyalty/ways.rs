//! The programme as a storefront widget lists it: ways to earn, ways to
//! redeem, the tiers.

use super::config::{LoyaltyConfig, TierBasis, TierTerm};
use crate::error::Result;

crate::vocab::codes! {
    /// An action that earns points.
    pub enum EarnAction as "earn_action" {
        /// Creating an account (first signup).
        Signup = "signup",
        /// Placing an order (points per currency unit, by tier).
        Order = "order",
        /// Referring a friend (the referrer's bonus).
        Referral = "referral",
        /// Signing up through a friend's referral (the referee's bonus).
        Referred = "referred",
        /// Reaching a tier (once per tier).
        TierEntry = "tier_entry",
    }
}

/// One way to earn points.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct WayToEarn {
    /// The action.
    pub action: EarnAction,
    /// Points it earns: per currency unit for orders, else per action.
    pub points: f64,
    /// Whether `points` is per currency unit of the order amount.
    pub per_unit: bool,
    /// The tier the rule applies to (orders and entry rewards), else `None`.
    pub tier: Option<String>,
}

/// The ways to earn and redeem and the tiers of a programme, for a
/// storefront widget.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct ProgrammeRules {
    /// Ways to earn, in the order signup, orders by tier, referral
    /// (referrer, referee), tier entry rewards; actions worth 0 points are
    /// left out.
    pub earn: Vec<WayToEarn>,
    /// Ways to redeem ([`LoyaltyConfig::rewards`]), cheapest first.
    pub redeem: Vec<super::Reward>,
    /// The tiers in order.
    pub tiers: Vec<super::Tier>,
    /// What tiers are measured by.
    pub tier_basis: TierBasis,
    /// Over which period.
    pub tier_term: TierTerm,
    /// Days of the rolling term.
    pub term_days: u32,
    /// Grace period in days.
    pub grace_days: u32,
    /// Days after which points expire, if they do.
    pub expiry_days: Option<u32>,
    /// Days without activity after which the balance expires, if it does.
    pub inactivity_days: Option<u32>,
}

/// The programme's ways to earn and redeem and its tiers, for the
/// storefront widget (the configuration is validated first).
///
/// ```
/// use retention_core::loyalty::{programme_rules, EarnAction, LoyaltyConfig};
///
/// let p = programme_rules(&LoyaltyConfig::default())?;
/// assert_eq!((p.earn[0].action, p.earn[0].points), (EarnAction::Signup, 100.0));
/// // One order rule per tier: 1 point per unit at Bronze, 2 at Platinum.
/// assert_eq!(p.earn[4].tier.as_deref(), Some("Platinum"));
/// assert_eq!(p.earn[4].points, 2.0);
/// assert_eq!(p.redeem[0].points, 500.0);
/// # Ok::<(), retention_core::Error>(())
/// ```
pub fn programme_rules(config: &LoyaltyConfig) -> Result<ProgrammeRules> {
    config.validate()?;
    let way = |action, points, per_unit, tier: Option<&str>| WayToEarn {
        action,
        points,
        per_unit,
        tier: tier.map(str::to_owned),
    };
    let mut earn = vec![way(EarnAction::Signup, config.welcome_points, false, None)];
    earn.extend(config.tiers.iter().map(|t| {
        way(
            EarnAction::Order,
            config.points_per_unit * t.multiplier,
            true,
            Some(&t.name),
        )
    }));
    earn.push(way(
        EarnAction::Referral,
        config.referral_bonus,
        false,
        None,
    ));
    earn.push(way(EarnAction::Referred, config.referee_bonus, false, None));
    earn.extend(
        config
            .tiers
            .iter()
            .map(|t| way(EarnAction::TierEntry, t.entry_points, false, Some(&t.name))),
    );
    earn.retain(|w| w.points > 0.0);
    let mut redeem = config.rewards.clone();
    redeem.sort_by(|a, b| a.points.total_cmp(&b.points));
    Ok(ProgrammeRules {
        earn,
        redeem,
        tiers: config.tiers.clone(),
        tier_basis: config.tier_basis,
        tier_term: config.tier_term,
        term_days: config.term_days,
        grace_days: config.grace_days,
        expiry_days: config.expiry_days,
        inactivity_days: config.inactivity_days,
    })
}
