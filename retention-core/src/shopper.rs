//! One shopper's storefront view, computed from their own history.
//!
//! A storefront shows a signed-in shopper their loyalty tier with the
//! progress to the next one, their points balance, a churn-risk badge with
//! its reasons (to decide on a "we miss you" offer), their lifecycle stage
//! and, when the merchant provides RFM cut points, their RFM segment.
//! [`shopper_view`] computes all of it in one call, with exactly the
//! definitions of the underlying modules:
//!
//! * tier and progress: [`loyalty::tier_status`](crate::loyalty::tier_status);
//! * points balance: [`loyalty::points_ledger`](crate::loyalty::points_ledger);
//! * risk: the [health score](crate::churn::health) and its
//!   [traffic light](crate::churn::traffic_light) with the open-ticket
//!   overrides;
//! * lifecycle stage: [`segments::lifecycle`](crate::segments::lifecycle);
//! * RFM: [`segments::rfm`](crate::segments::rfm) over the customers of the
//!   log. A storefront's log holds one shopper, so quantile bins would be
//!   meaningless there: pass [`Binning::Thresholds`](crate::segments::rfm::Binning)
//!   (for instance the `thresholds` returned by a merchant-wide RFM run).
//!   The log may also hold the whole customer base, in which case quantile
//!   bins rank the shopper among everyone.

use crate::churn::health::{check_options, score_customer, HealthOptions, HealthScore};
use crate::churn::traffic_light::{LightThresholds, TicketFacts, TrafficLight};
use crate::error::{Error, Result};
use crate::events::EventType;
use crate::events::{CustomerId, EventLog};
use crate::loyalty::{points_balance, tier_status, LoyaltyConfig, TierStatus};
use crate::segments::lifecycle::{lifecycle_stage, LifecycleOptions, LifecycleStatus};
use crate::segments::rfm::{rfm, RfmOptions};
use crate::summary::{OrderDays, Summaries};
use crate::time::{from_micros, Micros, MICROS_PER_DAY};

/// The distinct UTC days of the orders of customer `c` (the days of
/// [`OrderDays`] for that customer), ascending.
fn distinct_order_days(log: &EventLog, c: usize) -> Vec<i64> {
    let (times, kinds) = (log.times(), log.event_types());
    let mut days: Vec<i64> = log
        .customer_range(c)
        .filter(|&i| kinds[i] == EventType::Order)
        .map(|i| times[i].div_euclid(MICROS_PER_DAY))
        .collect();
    // The log is time-ordered per customer, so equal days are adjacent.
    days.dedup();
    days
}

/// What [`shopper_view`] computes and with which settings.
#[derive(Debug, Clone, PartialEq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct ShopperOptions {
    /// Loyalty programme rules (tiers, earn rules, expiry).
    pub loyalty: LoyaltyConfig,
    /// Health-score settings.
    pub health: HealthOptions,
    /// Traffic-light thresholds.
    pub lights: LightThresholds,
    /// Lifecycle thresholds.
    pub lifecycle: LifecycleOptions,
    /// RFM settings; `None` skips the RFM segment. Its `as_of` is replaced by
    /// the view's.
    pub rfm: Option<RfmOptions>,
}

/// The shopper's RFM values, scores and segment.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct ShopperRfm {
    /// Days since the last order (`None` without orders).
    pub recency_days: Option<f64>,
    /// Frequency value.
    pub frequency: Option<f64>,
    /// Monetary value.
    pub monetary: Option<f64>,
    /// R score.
    pub r: Option<u8>,
    /// F score.
    pub f: Option<u8>,
    /// M score.
    pub m: Option<u8>,
    /// Segment name (`"Prospects"` without orders).
    pub segment: String,
}

/// Everything a storefront shows one shopper.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct ShopperView {
    /// The shopper.
    pub customer: CustomerId,
    /// Loyalty tier and progress to the next tier.
    pub tier: TierStatus,
    /// Points balance at `as_of` (after expiry).
    pub points: f64,
    /// Health score with its components and reasons.
    pub health: HealthScore,
    /// Churn-risk traffic light with its reasons.
    pub light: TrafficLight,
    /// Lifecycle stage.
    pub lifecycle: LifecycleStatus,
    /// RFM segment, when [`ShopperOptions::rfm`] is set.
    pub rfm: Option<ShopperRfm>,
}

/// The storefront view of `customer` as of `as_of` (see the module docs).
///
/// Errors: an unknown customer, events after `as_of` (naming their rows),
/// invalid options, or a redemption above the balance in the history.
///
/// ```
/// use chrono::{TimeZone, Utc};
/// use retention_core::events::{Event, EventLog, LogOptions};
/// use retention_core::shopper::{shopper_view, ShopperOptions};
/// use retention_core::time::to_micros;
///
/// let day = |m, d| Utc.with_ymd_and_hms(2024, m, d, 0, 0, 0).unwrap();
/// let log = EventLog::from_events(
///     &[Event::order("ana", day(1, 10), 400.0), Event::order("ana", day(2, 10), 350.0)],
///     LogOptions::default(),
/// )?;
/// let view = shopper_view(&log, &"ana".into(), to_micros(day(6, 1)), &ShopperOptions::default())?;
/// assert_eq!(view.tier.name, "Silver");
/// assert_eq!(view.tier.next.as_ref().unwrap().missing, 750.0);
/// assert_eq!(view.lifecycle.stage.label(), "At Risk");
/// # Ok::<(), retention_core::Error>(())
/// ```
pub fn shopper_view(
    log: &EventLog,
    customer: &CustomerId,
    as_of: Micros,
    options: &ShopperOptions,
) -> Result<ShopperView> {
    check_options(&options.health)?;
    let c = log
        .customer_index(customer)
        .ok_or_else(|| Error::UnknownCustomer {
            customer: customer.to_string(),
        })?;
    log.check_as_of(as_of)?;
    let at = from_micros(as_of);
    let tier = tier_status(log, customer, at, &options.loyalty)?;
    let points = points_balance(log, customer, at, &options.loyalty)?;

    // Only the shopper's own summary and order days are needed, unless RFM
    // ranks the shopper among every customer of the log.
    let everyone = options
        .rfm
        .as_ref()
        .map(|_| (Summaries::from_log(log), OrderDays::from_log(log)));
    let own;
    let summary = match &everyone {
        Some((summaries, _)) => &summaries.summaries()[c],
        None => {
            own = Summaries::of_customer(log, c);
            &own
        }
    };
    let health = score_customer(log, log.customer_range(c), summary, as_of, &options.health);
    let light = health.traffic_light(TicketFacts::from_summary(summary), options.lights)?;

    let days = distinct_order_days(log, c);
    let lifecycle = lifecycle_stage(&days, summary.orders(), as_of, &options.lifecycle)?;

    let rfm = match (&options.rfm, &everyone) {
        (Some(o), Some((summaries, order_days))) => {
            let o = RfmOptions { as_of, ..o.clone() };
            let s = rfm(summaries, Some(order_days), &o)?;
            Some(ShopperRfm {
                recency_days: s.recency_days[c],
                frequency: s.frequency[c],
                monetary: s.monetary[c],
                r: s.r[c],
                f: s.f[c],
                m: s.m[c],
                segment: s.segment[c].clone(),
            })
        }
        _ => None,
    };
    Ok(ShopperView {
        customer: customer.clone(),
        tier,
        points,
        health,
        light,
        lifecycle,
        rfm,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::churn::health::health_traffic_lights;
    use crate::churn::traffic_light::Light;
    use crate::events::{Event, EventKind, LogOptions, Severity};
    use crate::loyalty::tier_for_value;
    use crate::segments::lifecycle::LifecycleStage;
    use crate::segments::rfm::{Binning, RfmThresholds};
    use crate::time::to_micros;
    use chrono::{Duration, TimeZone, Utc};

    #[test]
    fn view_matches_the_underlying_modules() {
        let as_of = Utc.with_ymd_and_hms(2024, 7, 1, 0, 0, 0).unwrap();
        let ago = |d: i64| as_of - Duration::days(d);
        let mut events = vec![Event::new(1, ago(400), EventKind::Signup)];
        for d in [158, 137, 116, 95, 74] {
            events.push(Event::order(1, ago(d), 300.0));
        }
        events.push(Event::new(
            1,
            ago(5),
            EventKind::SupportTicket {
                severity: Severity::Minor,
                resolved: false,
            },
        ));
        events.push(Event::order(2, ago(3), 20.0));
        let log = EventLog::from_events(&events, LogOptions::default()).unwrap();
        let thresholds = RfmThresholds {
            recency: vec![14.0, 30.0, 60.0, 120.0],
            frequency: vec![1.0, 2.0, 4.0, 8.0],
            monetary: vec![100.0, 500.0, 1000.0, 2000.0],
        };
        let options = ShopperOptions {
            rfm: Some(RfmOptions {
                binning: Binning::Thresholds(thresholds),
                ..RfmOptions::new(0)
            }),
            ..ShopperOptions::default()
        };
        let t = to_micros(as_of);
        let view = shopper_view(&log, &1.into(), t, &options).unwrap();
        // 1500 spent in the trailing year: Gold, with 3500 to Platinum.
        assert_eq!(view.tier, tier_for_value(1500.0, &options.loyalty).unwrap());
        assert_eq!(view.tier.name, "Gold");
        // 100 welcome points + 300 + 4 orders at the tier multiplier before each.
        assert!(view.points > 1600.0);
        let lights = health_traffic_lights(&log, t, &options.health, options.lights).unwrap();
        assert_eq!(view.health, lights[0].0);
        assert_eq!(view.light, lights[0].1);
        assert!(view.light.light >= Light::Amber, "open ticket");
        assert_eq!(view.lifecycle.stage, LifecycleStage::AtRisk);
        let rfm = view.rfm.unwrap();
        // 74 days since the last order → bin 4 of 5 reversed → R = 2; 5 orders → F = 4; 1500 → M = 4.
        assert_eq!((rfm.r, rfm.f, rfm.m), (Some(2), Some(4), Some(4)));
        assert_eq!(rfm.segment, "At Risk");

        assert!(matches!(
            shopper_view(&log, &9.into(), t, &options),
            Err(Error::UnknownCustomer { .. })
        ));
        assert!(shopper_view(&log, &1.into(), to_micros(ago(10)), &options).is_err());

        // Without RFM only the shopper's own history is read: the same view.
        let plain = ShopperOptions::default();
        for id in [1, 2] {
            let with = shopper_view(&log, &id.into(), t, &options).unwrap();
            let without = shopper_view(&log, &id.into(), t, &plain).unwrap();
            assert_eq!(without.rfm, None);
            assert_eq!(ShopperView { rfm: None, ..with }, without);
            let ledger =
                crate::loyalty::points_ledger(&log, &id.into(), as_of, &plain.loyalty).unwrap();
            assert_eq!(without.points, ledger.balance());
            assert!(!ledger.entries().is_empty());
        }
    }
}
