//! Value tiers: customers ranked by a value (historic CLV, or predicted CLV
//! once a model is fitted) and cut at percentiles.
//!
//! Customers are sorted by value, highest first, ties broken by customer id
//! (deterministic). With tiers `(name_1, p_1), …, (name_m, p_m)` and ascending
//! cumulative shares `0 < p_1 < … < p_m = 1`, the customer at 0-based position
//! `i` of `n` belongs to the first tier with `i < ⌈p_j · n⌉`. The default
//! tiers are Top 1 %, Top 5 %, Top 20 % and Rest.

use crate::error::{Error, Result};
use crate::events::CustomerId;
use crate::summary::Summaries;

/// One tier: its name and the cumulative share of customers it reaches down to.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct TierCut {
    /// Tier name.
    pub name: String,
    /// Cumulative share in (0, 1]; the last tier must be 1.
    pub top_share: f64,
}

/// The default cuts: Top 1 %, Top 5 %, Top 20 %, Rest.
pub fn default_value_tiers() -> Vec<TierCut> {
    [
        ("Top 1%", 0.01),
        ("Top 5%", 0.05),
        ("Top 20%", 0.20),
        ("Rest", 1.0),
    ]
    .into_iter()
    .map(|(name, top_share)| TierCut {
        name: name.to_owned(),
        top_share,
    })
    .collect()
}

/// A customer's value tier.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct ValueTier {
    /// Customer id.
    pub id: CustomerId,
    /// The value ranked on.
    pub value: f64,
    /// 1-based rank (1 = most valuable).
    pub rank: usize,
    /// Tier name.
    pub tier: String,
}

/// Assigns tiers to `(id, value)` pairs; the result is in rank order.
///
/// Values must be finite (each bad one is reported with its row).
pub fn value_tiers(values: &[(CustomerId, f64)], tiers: &[TierCut]) -> Result<Vec<ValueTier>> {
    if tiers.is_empty() {
        return Err(Error::EmptyInput {
            what: "value tiers",
        });
    }
    let shares: Vec<f64> = tiers.iter().map(|t| t.top_share).collect();
    let ascending = shares.windows(2).all(|w| w[0] < w[1]);
    if !ascending
        || shares
            .iter()
            .any(|s| !(s.is_finite() && *s > 0.0 && *s <= 1.0))
        || shares.last() != Some(&1.0)
    {
        return Err(Error::parameter(
            "tiers",
            shares,
            "cumulative shares must be strictly ascending in (0, 1] and end at 1",
        ));
    }
    let mut issues = crate::error::Issues::default();
    for (row, (_, v)) in values.iter().enumerate() {
        if !v.is_finite() {
            issues.push(row, "value", v, crate::error::IssueKind::NotFinite);
        }
    }
    issues.finish()?;
    let mut order: Vec<usize> = (0..values.len()).collect();
    order.sort_by(|&a, &b| {
        values[b]
            .1
            .total_cmp(&values[a].1)
            .then_with(|| values[a].0.cmp(&values[b].0))
    });
    let n = values.len() as f64;
    let limits: Vec<usize> = shares.iter().map(|s| (s * n).ceil() as usize).collect();
    Ok(order
        .iter()
        .enumerate()
        .map(|(pos, &i)| {
            let t = limits
                .iter()
                .position(|&l| pos < l)
                .unwrap_or(tiers.len() - 1);
            ValueTier {
                id: values[i].0.clone(),
                value: values[i].1,
                rank: pos + 1,
                tier: tiers[t].name.clone(),
            }
        })
        .collect())
}

/// Tiers by historic CLV (net revenue) of every customer with an order.
pub fn historic_value_tiers(summaries: &Summaries, tiers: &[TierCut]) -> Result<Vec<ValueTier>> {
    let values: Vec<(CustomerId, f64)> = summaries
        .iter()
        .filter(|(_, s)| s.orders() > 0)
        .map(|(id, s)| (id.clone(), s.net_revenue()))
        .collect();
    value_tiers(&values, tiers)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentile_cuts() {
        let values: Vec<(CustomerId, f64)> =
            (0..200).map(|i| (CustomerId::Int(i), i as f64)).collect();
        let tiers = value_tiers(&values, &default_value_tiers()).unwrap();
        let count = |name: &str| tiers.iter().filter(|t| t.tier == name).count();
        assert_eq!(
            (
                count("Top 1%"),
                count("Top 5%"),
                count("Top 20%"),
                count("Rest")
            ),
            (2, 8, 30, 160)
        );
        assert_eq!(
            (tiers[0].id.clone(), tiers[0].rank),
            (CustomerId::Int(199), 1)
        );
        // Ties: equal values ordered by id.
        let tied = vec![(CustomerId::Int(2), 5.0), (CustomerId::Int(1), 5.0)];
        let t = value_tiers(&tied, &default_value_tiers()).unwrap();
        assert_eq!(t[0].id, CustomerId::Int(1));
        assert_eq!(t[0].tier, "Top 1%");
        assert!(value_tiers(&[(CustomerId::Int(1), f64::NAN)], &default_value_tiers()).is_err());
        let bad = vec![TierCut {
            name: "a".into(),
            top_share: 0.5,
        }];
        assert!(value_tiers(&values, &bad).is_err());
    }
}
