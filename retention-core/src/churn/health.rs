//! Explainable health score: churn risk in [0, 1] from weighted components.
//!
//! As of `as_of`, with `W` = `window_days` (default 90), the "last window"
//! `[as_of − W, as_of)` and the "previous window" `[as_of − 2W, as_of − W)`,
//! each component is a risk in [0, 1]:
//!
//! | component | risk | needs |
//! |---|---|---|
//! | recency | `clamp((d − g) / (2g))`, `d` days since the last order, `g` the median gap between distinct order days (or `default_gap_days` without gap history) | an order |
//! | frequency trend | `clamp((prev − last) / prev)` on order counts | orders in the previous window |
//! | spend trend | the same on net spend | spend in the previous window |
//! | engagement drop | the same on sessions + email opens + clicks | engagement in the previous window |
//! | open tickets | 1 with an open critical ticket, 0.7 major, 0.4 minor | (always; 0 without tickets) |
//! | satisfaction | latest NPS `s`: `(9 − s) / 9` clamped; else latest CSAT `c` on 1–5: `(5 − c) / 4` | a survey answer |
//!
//! `clamp` limits to [0, 1]. The score is the weighted mean over the
//! components that apply: `risk = Σ wᵢ rᵢ / Σ wᵢ`. A customer without any
//! order and without any component data gets risk 0.5 with the reason "no
//! order history". Each component's contribution is `wᵢ rᵢ / Σ wᵢ`; the reasons
//! are the components with the largest positive contributions, in plain words
//! with their numbers.

use super::traffic_light::{traffic_light, LightThresholds, RiskSource, TicketFacts, TrafficLight};
use crate::error::{Error, Result};
use crate::events::{EventLog, EventType, Severity, SurveyKind};
use crate::summary::{CustomerSummary, Summaries};
use crate::time::{Micros, MICROS_PER_DAY};

/// Component weights (non-negative, not all zero).
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(default, deny_unknown_fields))]
pub struct HealthWeights {
    /// Recency against the usual gap.
    pub recency: f64,
    /// Order-frequency trend.
    pub frequency_trend: f64,
    /// Spend trend.
    pub spend_trend: f64,
    /// Engagement drop.
    pub engagement: f64,
    /// Open tickets.
    pub tickets: f64,
    /// Latest NPS / CSAT.
    pub satisfaction: f64,
}

impl Default for HealthWeights {
    fn default() -> Self {
        HealthWeights {
            recency: 0.35,
            frequency_trend: 0.15,
            spend_trend: 0.10,
            engagement: 0.10,
            tickets: 0.15,
            satisfaction: 0.15,
        }
    }
}

/// Options of the health score.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(default, deny_unknown_fields))]
pub struct HealthOptions {
    /// Component weights.
    pub weights: HealthWeights,
    /// Trend window length in days.
    pub window_days: u32,
    /// Usual gap assumed for customers with a single order day.
    pub default_gap_days: f64,
    /// How many reasons to report.
    pub max_reasons: usize,
}

impl Default for HealthOptions {
    fn default() -> Self {
        HealthOptions {
            weights: HealthWeights::default(),
            window_days: 90,
            default_gap_days: 30.0,
            max_reasons: 3,
        }
    }
}

crate::vocab::codes! {
    /// The kind of a health component.
    pub enum Component as "health_component" {
        /// Recency against the usual gap.
        Recency = "recency",
        /// Order-frequency trend.
        FrequencyTrend = "frequency_trend",
        /// Spend trend.
        SpendTrend = "spend_trend",
        /// Engagement drop.
        Engagement = "engagement",
        /// Open tickets.
        Tickets = "tickets",
        /// Latest NPS / CSAT.
        Satisfaction = "satisfaction",
    }
}

/// One evaluated component (serialized with its plain-words
/// [`reason`](ComponentScore::reason) after the fields).
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Deserialize))]
pub struct ComponentScore {
    /// Which component.
    pub component: Component,
    /// Its risk in [0, 1].
    pub risk: f64,
    /// Its weight.
    pub weight: f64,
    /// `weight × risk / Σ weights` of the applicable components.
    pub contribution: f64,
    /// The numbers behind the risk.
    pub detail: ComponentDetail,
}

serialize_with_ratios!(ComponentScore { component, risk, weight, contribution, detail } {
    reason: ComponentScore::reason,
});

/// The numbers behind one component's risk (see [`ComponentScore::reason`]).
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum ComponentDetail {
    /// Days since the last order and the usual gap (`None`: one order day only).
    Recency {
        /// Days since the last order.
        days_since_last_order: f64,
        /// Median days between distinct order days.
        usual_gap_days: Option<f64>,
    },
    /// Orders, net spend or engagement events in the previous and the last window.
    Trend {
        /// The value in the previous window.
        previous: f64,
        /// The value in the last window.
        last: f64,
        /// Window length in days.
        window_days: u32,
    },
    /// Open tickets by severity.
    Tickets {
        /// Open critical tickets.
        critical: u64,
        /// Open major tickets.
        major: u64,
        /// Open minor tickets.
        minor: u64,
    },
    /// The latest NPS answer.
    Nps {
        /// The answer, 0–10.
        score: f64,
    },
    /// The latest CSAT answer.
    Csat {
        /// The answer, 1–5.
        score: f64,
    },
}

/// Whole number as text (values here are counts and day counts).
fn whole(x: f64) -> i64 {
    x.round() as i64
}

/// Money with two decimals, formatted through integer cents.
fn money(x: f64) -> String {
    let cents = (x * 100.0).round() as i128;
    let sign = if cents < 0 { "-" } else { "" };
    let c = cents.unsigned_abs();
    format!("{sign}{}.{:02}", c / 100, c % 100)
}

impl ComponentScore {
    /// Plain-words explanation with the numbers, e.g. "no order for 74 days;
    /// usual gap 21 days".
    pub fn reason(&self) -> String {
        match (self.component, self.detail) {
            (
                _,
                ComponentDetail::Recency {
                    days_since_last_order: d,
                    usual_gap_days: Some(g),
                },
            ) => {
                format!(
                    "no order for {} days; usual gap {} days",
                    whole(d),
                    whole(g)
                )
            }
            (
                _,
                ComponentDetail::Recency {
                    days_since_last_order: d,
                    usual_gap_days: None,
                },
            ) => {
                format!("no order for {} days; only one order day so far", whole(d))
            }
            (
                Component::SpendTrend,
                ComponentDetail::Trend {
                    previous,
                    last,
                    window_days,
                },
            ) => format!(
                "spend fell from {} to {} (last {window_days} days vs the {window_days} before)",
                money(previous),
                money(last)
            ),
            (Component::Engagement, ComponentDetail::Trend { previous, last, .. }) => format!(
                "engagement (visits, email opens and clicks) fell from {} to {}",
                whole(previous),
                whole(last)
            ),
            (
                _,
                ComponentDetail::Trend {
                    previous,
                    last,
                    window_days,
                },
            ) => format!(
                "orders fell from {} to {} (last {window_days} days vs the {window_days} before)",
                whole(previous),
                whole(last)
            ),
            (
                _,
                ComponentDetail::Tickets {
                    critical,
                    major,
                    minor,
                },
            ) => format!(
                "{} open support ticket(s) ({critical} critical, {major} major, {minor} minor)",
                critical + major + minor
            ),
            (_, ComponentDetail::Nps { score }) => {
                format!("latest NPS answer {} of 10", whole(score))
            }
            (_, ComponentDetail::Csat { score }) => {
                format!("latest CSAT answer {} of 5", whole(score))
            }
        }
    }
}

/// A customer's health score.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct HealthScore {
    /// Churn risk in [0, 1].
    pub risk: f64,
    /// Every applicable component.
    pub components: Vec<ComponentScore>,
    /// The top reasons, largest contribution first.
    pub reasons: Vec<String>,
}

impl HealthScore {
    /// The traffic light of this score with the customer's open tickets.
    ///
    /// The open tickets appear once among the light's reasons, as the facts
    /// that override the colour: the score's own ticket reason is left out
    /// of the reasons the light repeats.
    pub fn traffic_light(
        &self,
        facts: TicketFacts,
        thresholds: LightThresholds,
    ) -> Result<TrafficLight> {
        let tickets = self
            .components
            .iter()
            .find(|c| c.component == Component::Tickets)
            .map(ComponentScore::reason);
        let reasons: Vec<String> = self
            .reasons
            .iter()
            .filter(|r| tickets.as_ref() != Some(*r))
            .cloned()
            .collect();
        traffic_light(
            self.risk,
            RiskSource::HealthScore,
            &reasons,
            facts,
            thresholds,
        )
    }
}

fn clamp01(x: f64) -> f64 {
    if x.is_nan() {
        0.0
    } else {
        x.clamp(0.0, 1.0)
    }
}

pub(crate) fn check_options(o: &HealthOptions) -> Result<()> {
    let w = o.weights;
    let all = [
        w.recency,
        w.frequency_trend,
        w.spend_trend,
        w.engagement,
        w.tickets,
        w.satisfaction,
    ];
    if all.iter().any(|x| !x.is_finite() || *x < 0.0) || all.iter().sum::<f64>() <= 0.0 {
        return Err(Error::parameter(
            "weights",
            all,
            "must be finite, non-negative and not all zero",
        ));
    }
    crate::time::window_days("window_days", o.window_days)?;
    if !(o.default_gap_days.is_finite() && o.default_gap_days > 0.0) {
        return Err(Error::parameter(
            "default_gap_days",
            o.default_gap_days,
            "must be a finite number greater than 0",
        ));
    }
    Ok(())
}

/// Activity of one customer in the last and the previous trend window.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub(crate) struct Windows {
    pub(crate) orders: [f64; 2],
    pub(crate) spend: [f64; 2],
    pub(crate) engagement: [f64; 2],
}

/// Median gap (days) between distinct order days of the events in `range`, if ≥ 2 days.
pub(crate) fn usual_gap_days(
    log: &EventLog,
    range: std::ops::Range<usize>,
    as_of: Micros,
) -> Option<f64> {
    let times = log.times();
    let kinds = log.event_types();
    let mut days: Vec<i64> = range
        .filter(|&i| kinds[i] == EventType::Order && times[i] <= as_of)
        .map(|i| times[i].div_euclid(MICROS_PER_DAY))
        .collect();
    days.dedup();
    let mut gaps: Vec<f64> = days.windows(2).map(|w| (w[1] - w[0]) as f64).collect();
    if gaps.is_empty() {
        return None;
    }
    gaps.sort_by(f64::total_cmp);
    let n = gaps.len();
    Some(if n % 2 == 1 {
        gaps[n / 2]
    } else {
        (gaps[n / 2 - 1] + gaps[n / 2]) / 2.0
    })
}

pub(crate) fn windows(
    log: &EventLog,
    range: std::ops::Range<usize>,
    as_of: Micros,
    window: Micros,
) -> Windows {
    let times = log.times();
    let kinds = log.event_types();
    let values = log.values();
    let mut w = Windows::default();
    for i in range {
        let t = times[i];
        // Saturating bounds are exact here: a bound below the earliest
        // instant admits (or excludes) the same instants as the true one.
        let (start, before) = (
            as_of.saturating_sub(window),
            as_of.saturating_sub(2 * window),
        );
        let slot = if t >= start && t < as_of {
            0
        } else if t >= before && t < start {
            1
        } else {
            continue;
        };
        match kinds[i] {
            EventType::Order => {
                w.orders[slot] += 1.0;
                w.spend[slot] += values[i];
            }
            EventType::Refund => w.spend[slot] -= values[i],
            EventType::Session | EventType::EmailOpen | EventType::EmailClick => {
                w.engagement[slot] += 1.0
            }
            _ => {}
        }
    }
    w
}

fn drop_risk(last: f64, prev: f64) -> Option<f64> {
    (prev > 0.0).then(|| clamp01((prev - last) / prev))
}

/// Health score of one customer from the events in `range` of `log` and its summary.
pub(crate) fn score_customer(
    log: &EventLog,
    range: std::ops::Range<usize>,
    summary: &CustomerSummary,
    as_of: Micros,
    options: &HealthOptions,
) -> HealthScore {
    let w = options.weights;
    let window = i64::from(options.window_days) * MICROS_PER_DAY;
    let wins = windows(log, range.clone(), as_of, window);
    let days = options.window_days;
    let mut parts: Vec<(Component, f64, f64, ComponentDetail)> = Vec::with_capacity(6);

    if let Some(last) = summary.last_order() {
        let d = crate::time::elapsed_days(last, as_of);
        let gap = usual_gap_days(log, range, as_of);
        let g = gap.unwrap_or(options.default_gap_days);
        let risk = clamp01((d - g) / (2.0 * g));
        let detail = ComponentDetail::Recency {
            days_since_last_order: d,
            usual_gap_days: gap,
        };
        parts.push((Component::Recency, risk, w.recency, detail));
    }
    let trend = |previous: f64, last: f64| ComponentDetail::Trend {
        previous,
        last,
        window_days: days,
    };
    if let Some(r) = drop_risk(wins.orders[0], wins.orders[1]) {
        parts.push((
            Component::FrequencyTrend,
            r,
            w.frequency_trend,
            trend(wins.orders[1], wins.orders[0]),
        ));
    }
    if let Some(r) = drop_risk(wins.spend[0], wins.spend[1]) {
        parts.push((
            Component::SpendTrend,
            r,
            w.spend_trend,
            trend(wins.spend[1], wins.spend[0]),
        ));
    }
    if let Some(r) = drop_risk(wins.engagement[0], wins.engagement[1]) {
        parts.push((
            Component::Engagement,
            r,
            w.engagement,
            trend(wins.engagement[1], wins.engagement[0]),
        ));
    }
    let activity = summary.activity();
    let open = |s| activity.map_or(0, |a| a.open_tickets(s));
    let (critical, major, minor) = (
        open(Severity::Critical),
        open(Severity::Major),
        open(Severity::Minor),
    );
    let ticket_risk = if critical > 0 {
        1.0
    } else if major > 0 {
        0.7
    } else if minor > 0 {
        0.4
    } else {
        0.0
    };
    parts.push((
        Component::Tickets,
        ticket_risk,
        w.tickets,
        ComponentDetail::Tickets {
            critical,
            major,
            minor,
        },
    ));
    let nps = activity.and_then(|a| a.latest_survey(SurveyKind::Nps));
    let csat = activity.and_then(|a| a.latest_survey(SurveyKind::Csat));
    if let Some(a) = nps {
        parts.push((
            Component::Satisfaction,
            clamp01((9.0 - a.score) / 9.0),
            w.satisfaction,
            ComponentDetail::Nps { score: a.score },
        ));
    } else if let Some(a) = csat {
        parts.push((
            Component::Satisfaction,
            clamp01((5.0 - a.score) / 4.0),
            w.satisfaction,
            ComponentDetail::Csat { score: a.score },
        ));
    }

    let total_weight: f64 = parts.iter().map(|p| p.2).sum();
    if summary.orders() == 0 && parts.iter().all(|p| p.1 == 0.0) || total_weight <= 0.0 {
        return HealthScore {
            risk: 0.5,
            components: Vec::new(),
            reasons: vec!["no order history".to_owned()],
        };
    }
    let components: Vec<ComponentScore> = parts
        .into_iter()
        .map(|(component, risk, weight, detail)| ComponentScore {
            component,
            risk,
            weight,
            contribution: weight * risk / total_weight,
            detail,
        })
        .collect();
    let risk = clamp01(components.iter().map(|c| c.contribution).sum());
    let mut ranked: Vec<&ComponentScore> =
        components.iter().filter(|c| c.contribution > 0.0).collect();
    ranked.sort_by(|a, b| b.contribution.total_cmp(&a.contribution));
    let reasons = ranked
        .iter()
        .take(options.max_reasons)
        .map(|c| c.reason())
        .collect();
    HealthScore {
        risk,
        components,
        reasons,
    }
}

/// Health scores of every customer of `log` (id order), as of `as_of`.
///
/// Events after `as_of` are an error naming their rows.
pub fn health_scores(
    log: &EventLog,
    as_of: Micros,
    options: &HealthOptions,
) -> Result<Vec<HealthScore>> {
    check_options(options)?;
    log.check_as_of(as_of)?;
    let summaries = Summaries::from_log(log);
    Ok(summaries
        .summaries()
        .iter()
        .enumerate()
        .map(|(c, s)| score_customer(log, log.customer_range(c), s, as_of, options))
        .collect())
}

/// Health score and traffic light of every customer of `log` (id order), as
/// of `as_of`: the light is computed from the health-score risk, its reasons
/// and the customer's open tickets ([`TicketFacts::from_summary`]).
///
/// Events after `as_of` are an error naming their rows.
pub fn health_traffic_lights(
    log: &EventLog,
    as_of: Micros,
    options: &HealthOptions,
    thresholds: LightThresholds,
) -> Result<Vec<(HealthScore, TrafficLight)>> {
    check_options(options)?;
    log.check_as_of(as_of)?;
    let summaries = Summaries::from_log(log);
    summaries
        .summaries()
        .iter()
        .enumerate()
        .map(|(c, s)| {
            let health = score_customer(log, log.customer_range(c), s, as_of, options);
            let light = health.traffic_light(TicketFacts::from_summary(s), thresholds)?;
            Ok((health, light))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::events::{Event, EventKind, LogOptions};
    use chrono::{Duration, TimeZone, Utc};

    fn as_of() -> chrono::DateTime<Utc> {
        Utc.with_ymd_and_hms(2024, 7, 1, 0, 0, 0).unwrap()
    }

    fn ago(days: i64) -> chrono::DateTime<Utc> {
        as_of() - Duration::days(days)
    }

    #[test]
    fn hand_built_customers() {
        let mut events = Vec::new();
        // Customer 1: ordered every 21 days until 74 days ago; 3 orders in the
        // previous window, 1 in the last.
        for d in [158, 137, 116, 95, 74] {
            events.push(Event::order(1, ago(d), 50.0));
        }
        events.push(Event::new(
            1,
            ago(30),
            EventKind::Survey {
                kind: SurveyKind::Nps,
                score: 3.0,
            },
        ));
        // Customer 2: steady weekly buyer, happy.
        for d in (3..180).step_by(7) {
            events.push(Event::order(2, ago(d), 20.0));
        }
        events.push(Event::new(
            2,
            ago(10),
            EventKind::Survey {
                kind: SurveyKind::Nps,
                score: 10.0,
            },
        ));
        let log = EventLog::from_events(&events, LogOptions::default()).unwrap();
        let scores = health_scores(
            &log,
            crate::time::to_micros(as_of()),
            &HealthOptions::default(),
        )
        .unwrap();

        let c1 = &scores[0];
        // recency: d = 74, g = 21 → (74 − 21) / 42 > 1 → 1.0
        // frequency: prev window [180, 90) days ago has 158,137,116,95 = 4 orders; last has 74 → 1 → (4 − 1) / 4 = 0.75
        // spend: 200 → 50 → 0.75; engagement: none → n/a; tickets 0; NPS 3 → 6/9
        let risk_of = |c: Component| {
            c1.components
                .iter()
                .find(|x| x.component == c)
                .map(|x| x.risk)
        };
        assert_eq!(risk_of(Component::Recency), Some(1.0));
        assert_eq!(risk_of(Component::FrequencyTrend), Some(0.75));
        assert_eq!(risk_of(Component::SpendTrend), Some(0.75));
        assert_eq!(risk_of(Component::Engagement), None);
        assert!((risk_of(Component::Satisfaction).unwrap() - 6.0 / 9.0).abs() < 1e-12);
        let expected =
            (0.35 * 1.0 + 0.15 * 0.75 + 0.10 * 0.75 + 0.15 * 0.0 + 0.15 * 6.0 / 9.0) / 0.90;
        assert!(
            (c1.risk - expected).abs() < 1e-12,
            "{} vs {expected}",
            c1.risk
        );
        assert_eq!(c1.reasons[0], "no order for 74 days; usual gap 21 days");
        assert_eq!(
            c1.reasons[1],
            "orders fell from 4 to 1 (last 90 days vs the 90 before)"
        );
        assert_eq!(c1.reasons.len(), 3);

        let c2 = &scores[1];
        assert!(c2.risk < 0.05, "{}", c2.risk);
        assert!(c2.reasons.is_empty(), "{:?}", c2.reasons);
    }

    #[test]
    fn no_history_and_bad_options() {
        let log = EventLog::from_events(
            &[Event::new(5, ago(1), EventKind::Session)],
            LogOptions::default(),
        )
        .unwrap();
        let s = health_scores(
            &log,
            crate::time::to_micros(as_of()),
            &HealthOptions::default(),
        )
        .unwrap();
        assert_eq!(
            (s[0].risk, s[0].reasons[0].as_str()),
            (0.5, "no order history")
        );
        let zero = HealthOptions {
            weights: HealthWeights {
                recency: 0.0,
                frequency_trend: 0.0,
                spend_trend: 0.0,
                engagement: 0.0,
                tickets: 0.0,
                satisfaction: 0.0,
            },
            ..HealthOptions::default()
        };
        assert!(health_scores(&log, crate::time::to_micros(as_of()), &zero).is_err());
        assert!(health_scores(
            &log,
            crate::time::to_micros(ago(2)),
            &HealthOptions::default()
        )
        .is_err());
    }

    #[test]
    fn traffic_lights_follow_health_and_tickets() {
        let mut events = Vec::new();
        for d in (3..180).step_by(7) {
            events.push(Event::order(1, ago(d), 20.0));
        }
        for d in (3..180).step_by(7) {
            events.push(Event::order(2, ago(d), 20.0));
        }
        events.push(Event::new(
            2,
            ago(2),
            EventKind::SupportTicket {
                severity: Severity::Critical,
                resolved: false,
            },
        ));
        events.push(Event::order(3, ago(300), 20.0));
        let log = EventLog::from_events(&events, LogOptions::default()).unwrap();
        let as_of = crate::time::to_micros(as_of());
        let options = HealthOptions::default();
        let rows =
            health_traffic_lights(&log, as_of, &options, LightThresholds::default()).unwrap();
        let health = health_scores(&log, as_of, &options).unwrap();
        assert_eq!(rows.len(), 3);
        for ((h, t), expected) in rows.iter().zip(&health) {
            assert_eq!(h, expected);
            assert_eq!(t.risk, h.risk);
        }
        use super::super::traffic_light::Light;
        assert_eq!(rows[0].1.light, Light::Green);
        assert_eq!(rows[1].1.light, Light::Red, "open critical ticket");
        assert!(rows[1].1.reasons.last().unwrap().contains("critical"));
        assert!(health_traffic_lights(
            &log,
            as_of - 86_400_000_000 * 10,
            &options,
            LightThresholds::default()
        )
        .is_err());
    }

    #[test]
    fn an_open_ticket_is_one_reason_of_the_light() {
        let mut events: Vec<Event> = (3..180)
            .step_by(7)
            .map(|d| Event::order(1, ago(d), 20.0))
            .collect();
        events.push(Event::new(
            1,
            ago(2),
            EventKind::SupportTicket {
                severity: Severity::Major,
                resolved: false,
            },
        ));
        let log = EventLog::from_events(&events, LogOptions::default()).unwrap();
        let as_of = crate::time::to_micros(as_of());
        let rows = health_traffic_lights(
            &log,
            as_of,
            &HealthOptions::default(),
            LightThresholds::default(),
        )
        .unwrap();
        let (health, light) = &rows[0];
        let detailed = "1 open support ticket(s) (0 critical, 1 major, 0 minor)";
        assert!(health.reasons.iter().any(|r| r == detailed), "{health:?}");
        let tickets: Vec<&String> = light
            .reasons
            .iter()
            .filter(|r| r.contains("ticket"))
            .collect();
        assert_eq!(tickets, vec!["1 open support ticket(s)"], "{light:?}");
    }
}
