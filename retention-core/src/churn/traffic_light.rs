//! Green / Amber / Red churn-risk traffic light.
//!
//! From a risk score `p` in [0, 1] and thresholds `amber` < `red` (defaults
//! 0.33 and 0.66): Green when `p < amber`, Red when `p > red`, Amber
//! otherwise. Facts override the score: an open critical ticket (or
//! complaint, recorded as a critical ticket) makes the light Red; an open
//! non-critical ticket makes it at least Amber. Every colour comes with its
//! reasons: the risk source's own reasons, then the overriding facts.
//!
//! The score can come from the [health score](super::health), from
//! `1 − P(alive)` of a fitted buy-till-you-die model, or from the supervised
//! model's probability ([`RiskSource`] names which, for the reasons).

use crate::error::{Error, Result};
use crate::events::Severity;
use crate::summary::CustomerSummary;

crate::vocab::codes! {
    /// The colour.
    pub enum Light as "light" {
        /// Low risk.
        Green = "green",
        /// Medium risk, or an open ticket.
        Amber = "amber",
        /// High risk, or an open critical ticket / complaint.
        Red = "red",
    }
}

/// Thresholds on the risk score.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(default, deny_unknown_fields))]
pub struct LightThresholds {
    /// Scores at or above this are at least Amber.
    pub amber: f64,
    /// Scores above this are Red.
    pub red: f64,
}

impl Default for LightThresholds {
    fn default() -> Self {
        LightThresholds {
            amber: 0.33,
            red: 0.66,
        }
    }
}

crate::vocab::codes! {
    /// Where the risk score came from.
    #[derive(Default)]
    pub enum RiskSource as "risk_source" {
        /// The explainable health score (the default).
        #[default]
        HealthScore = "health_score",
        /// `1 − P(alive)` of a probabilistic model.
        ProbabilityAlive = "probability_alive",
        /// A supervised churn model's probability.
        Supervised = "supervised",
    }
}

/// Facts that override the score.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct TicketFacts {
    /// Open critical tickets or complaints.
    pub open_critical: u64,
    /// Open major or minor tickets.
    pub open_other: u64,
}

impl TicketFacts {
    /// The open tickets recorded in a customer summary.
    pub fn from_summary(summary: &CustomerSummary) -> TicketFacts {
        summary
            .activity()
            .map_or_else(TicketFacts::default, |a| TicketFacts {
                open_critical: a.open_tickets(Severity::Critical),
                open_other: a.open_tickets(Severity::Major) + a.open_tickets(Severity::Minor),
            })
    }
}

/// A traffic light with its reasons.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct TrafficLight {
    /// The colour.
    pub light: Light,
    /// The risk score it was computed from.
    pub risk: f64,
    /// Why: the score with its source and reasons, then overriding facts.
    pub reasons: Vec<String>,
}

/// The traffic light for a risk score, its reasons and the ticket facts.
pub fn traffic_light(
    risk: f64,
    source: RiskSource,
    score_reasons: &[String],
    facts: TicketFacts,
    thresholds: LightThresholds,
) -> Result<TrafficLight> {
    if !(risk.is_finite() && (0.0..=1.0).contains(&risk)) {
        return Err(Error::parameter("risk", risk, "must be a number in [0, 1]"));
    }
    let (a, r) = (thresholds.amber, thresholds.red);
    if !(a.is_finite() && r.is_finite() && 0.0 <= a && a < r && r <= 1.0) {
        return Err(Error::parameter(
            "thresholds",
            (a, r),
            "need 0 ≤ amber < red ≤ 1",
        ));
    }
    let by_score = if risk > r {
        Light::Red
    } else if risk >= a {
        Light::Amber
    } else {
        Light::Green
    };
    let label = match source {
        RiskSource::HealthScore => format!("health-score risk {risk:.2}"),
        RiskSource::ProbabilityAlive => format!("P(alive) {:.2}", 1.0 - risk),
        RiskSource::Supervised => format!("churn probability {risk:.2}"),
    };
    let mut reasons = vec![label];
    reasons.extend(score_reasons.iter().cloned());
    let mut light = by_score;
    if facts.open_critical > 0 {
        light = Light::Red;
        reasons.push(format!(
            "{} open critical ticket(s) or complaint(s)",
            facts.open_critical
        ));
    }
    if facts.open_other > 0 {
        light = light.max(Light::Amber);
        reasons.push(format!("{} open support ticket(s)", facts.open_other));
    }
    Ok(TrafficLight {
        light,
        risk,
        reasons,
    })
}

/// How many traffic lights of each colour a set of customers has (the
/// merchant's overview of [`crate::churn::health::health_traffic_lights`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct LightCounts {
    /// Lights that are green.
    pub green: usize,
    /// Lights that are amber.
    pub amber: usize,
    /// Lights that are red.
    pub red: usize,
}

impl LightCounts {
    /// Counts the colours of `lights`.
    pub fn of<'a>(lights: impl IntoIterator<Item = &'a TrafficLight>) -> LightCounts {
        let mut counts = LightCounts::default();
        for t in lights {
            match t.light {
                Light::Green => counts.green += 1,
                Light::Amber => counts.amber += 1,
                Light::Red => counts.red += 1,
            }
        }
        counts
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn light(risk: f64, facts: TicketFacts) -> TrafficLight {
        traffic_light(
            risk,
            RiskSource::HealthScore,
            &[],
            facts,
            LightThresholds::default(),
        )
        .unwrap()
    }

    #[test]
    fn counts_every_colour() {
        let none = TicketFacts::default();
        let lights = [
            light(0.1, none),
            light(0.9, none),
            light(0.95, none),
            light(0.5, none),
        ];
        let c = LightCounts::of(&lights);
        assert_eq!(
            c,
            LightCounts {
                green: 1,
                amber: 1,
                red: 2
            }
        );
        assert_eq!(LightCounts::of(&[]), LightCounts::default());
    }

    #[test]
    fn thresholds_and_overrides() {
        let none = TicketFacts::default();
        assert_eq!(light(0.0, none).light, Light::Green);
        assert_eq!(light(0.3299, none).light, Light::Green);
        assert_eq!(light(0.33, none).light, Light::Amber);
        assert_eq!(light(0.66, none).light, Light::Amber);
        assert_eq!(light(0.6601, none).light, Light::Red);
        let critical = TicketFacts {
            open_critical: 1,
            open_other: 0,
        };
        let t = light(0.05, critical);
        assert_eq!(t.light, Light::Red);
        assert_eq!(
            t.reasons,
            vec![
                "health-score risk 0.05".to_owned(),
                "1 open critical ticket(s) or complaint(s)".to_owned()
            ]
        );
        let minor = TicketFacts {
            open_critical: 0,
            open_other: 2,
        };
        assert_eq!(light(0.1, minor).light, Light::Amber);
        assert_eq!(
            light(0.9, minor).light,
            Light::Red,
            "an open ticket never lowers the colour"
        );
        let p = traffic_light(
            0.8,
            RiskSource::ProbabilityAlive,
            &[],
            none,
            LightThresholds::default(),
        )
        .unwrap();
        assert_eq!(
            (p.light, p.reasons[0].as_str()),
            (Light::Red, "P(alive) 0.20")
        );
        assert!(traffic_light(
            f64::NAN,
            RiskSource::Supervised,
            &[],
            none,
            LightThresholds::default()
        )
        .is_err());
        assert!(traffic_light(
            0.5,
            RiskSource::Supervised,
            &[],
            none,
            LightThresholds {
                amber: 0.7,
                red: 0.6
            }
        )
        .is_err());
    }
}
