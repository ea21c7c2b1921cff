//! Time to churn per customer, from an event log, right-censored at `as_of`.
//!
//! Two definitions of a customer's life ([`ChurnBasis`]):
//!
//! * **Orders** (non-contractual): life starts at the first order. A customer
//!   whose last order is more than `inactive_days` before `as_of` has churned,
//!   and their life ended at that last order: duration = last − first order,
//!   event observed. Everyone else is still alive: duration = `as_of` − first
//!   order, censored. Earlier lapses followed by a return count as one life.
//! * **Subscriptions** (contractual): life starts at the first subscription
//!   movement that raises MRR above zero. A customer whose MRR (the running
//!   sum of movements up to `as_of`) is zero has churned at the movement that
//!   last brought it to zero; otherwise the life is censored at `as_of`.
//!   Customers without subscription movements are left out.
//!
//! Durations are in days (fractional). Customers without a start (no order,
//! or no subscription) are not included. Events after `as_of` are an error.
//!
//! [`churn_survival`] is the curve a dashboard draws from these durations:
//! the Kaplan–Meier estimate `Ŝ(t) = Π_{tᵢ ≤ t} (1 − dᵢ/nᵢ)` of the share of
//! customers still alive `t` days into their life, with its pointwise
//! bounds and median (Kaplan & Meier 1958; see [`KaplanMeier`]).

use super::{KaplanMeier, KaplanMeierOptions, KmConfidenceTransform};
use crate::error::{Error, Result};
use crate::events::{CustomerId, EventLog, EventType};
use crate::metrics::ActivityBasis;
use crate::summary::Money;
use crate::time::{Micros, MICROS_PER_DAY};

/// What "alive" means.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum ChurnBasis {
    /// Churned after more than `inactive_days` without an order.
    Orders {
        /// Inactivity that counts as churn.
        inactive_days: u32,
    },
    /// Churned when MRR has fallen to zero.
    Subscriptions,
}

/// Inactivity that counts as churn on the orders basis unless given.
pub const DEFAULT_INACTIVE_DAYS: u32 = 90;

impl Default for ChurnBasis {
    fn default() -> Self {
        ChurnBasis::Orders {
            inactive_days: DEFAULT_INACTIVE_DAYS,
        }
    }
}

impl ChurnBasis {
    /// The basis of an [`ActivityBasis`] code: orders with `inactive_days`
    /// (default [`DEFAULT_INACTIVE_DAYS`]), or subscriptions, where giving
    /// `inactive_days` is an error (it would be ignored).
    pub fn new(basis: ActivityBasis, inactive_days: Option<u32>) -> Result<Self> {
        match (basis, inactive_days) {
            (ActivityBasis::Orders, days) => Ok(ChurnBasis::Orders {
                inactive_days: days.unwrap_or(DEFAULT_INACTIVE_DAYS),
            }),
            (ActivityBasis::Subscriptions, None) => Ok(ChurnBasis::Subscriptions),
            (ActivityBasis::Subscriptions, Some(days)) => Err(Error::parameter(
                "inactive_days",
                days,
                "applies to the orders basis only",
            )),
        }
    }
}

/// Durations and event flags, one per customer (log order), ready for
/// [`KaplanMeier::fit`](super::KaplanMeier::fit) and friends.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ChurnDurations {
    /// Customer ids.
    pub ids: Vec<CustomerId>,
    /// Days from the start of life to churn (observed) or to `as_of` (censored).
    pub durations: Vec<f64>,
    /// `true` when churn was observed.
    pub churned: Vec<bool>,
}

/// Time to churn per customer (see the module docs).
pub fn churn_durations(log: &EventLog, as_of: Micros, basis: ChurnBasis) -> Result<ChurnDurations> {
    if let ChurnBasis::Orders { inactive_days } = basis {
        crate::time::window_days("inactive_days", inactive_days)?;
    }
    log.check_as_of(as_of)?;
    let times = log.times();
    let kinds = log.event_types();
    let values = log.values();
    let mut out = ChurnDurations::default();
    for (c, id) in log.customers().iter().enumerate() {
        let range = log.customer_range(c);
        let life: Option<(Micros, Micros, bool)> = match basis {
            ChurnBasis::Orders { inactive_days } => {
                let mut orders = range
                    .filter(|&i| kinds[i] == EventType::Order)
                    .map(|i| times[i]);
                orders.next().map(|first| {
                    let last = orders.next_back().unwrap_or(first);
                    let churned = i128::from(as_of) - i128::from(last)
                        > i128::from(inactive_days) * i128::from(MICROS_PER_DAY);
                    (first, if churned { last } else { as_of }, churned)
                })
            }
            ChurnBasis::Subscriptions => {
                let mut mrr = Money(0);
                let mut start = None;
                let mut ended_at = None;
                for i in range.filter(|&i| kinds[i] == EventType::Subscription) {
                    mrr += Money::from_f64(values[i]);
                    if mrr.0 > 0 {
                        start.get_or_insert(times[i]);
                        ended_at = None;
                    } else if start.is_some() {
                        ended_at = Some(times[i]);
                    }
                }
                start.map(|s| match ended_at {
                    Some(end) => (s, end, true),
                    None => (s, as_of, false),
                })
            }
        };
        if let Some((start, end, churned)) = life {
            out.ids.push(id.clone());
            out.durations.push(crate::time::elapsed_days(start, end));
            out.churned.push(churned);
        }
    }
    if out.ids.is_empty() {
        return Err(Error::EmptyInput {
            what: "customers with a start of life (an order, or a subscription)",
        });
    }
    Ok(out)
}

/// Options of [`churn_survival`]: what a life is, and the curve's bounds.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(default, deny_unknown_fields))]
pub struct ChurnSurvivalOptions {
    /// Orders (non-contractual) or subscriptions (contractual).
    pub basis: ActivityBasis,
    /// Orders basis: days without an order after which a customer has
    /// churned (default [`DEFAULT_INACTIVE_DAYS`]); an error with
    /// subscriptions.
    pub inactive_days: Option<u32>,
    /// Significance level of the bounds (default 0.05).
    pub alpha: f64,
    /// How the bounds are built.
    pub transform: KmConfidenceTransform,
}

impl Default for ChurnSurvivalOptions {
    fn default() -> Self {
        let km = KaplanMeierOptions::default();
        ChurnSurvivalOptions {
            basis: ActivityBasis::default(),
            inactive_days: None,
            alpha: km.alpha,
            transform: km.transform,
        }
    }
}

/// The survival curve of a shop's customers ([`churn_survival`]). With the
/// `serde` feature the figures beside the curve serialise (the curve is a
/// table of its own).
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct ChurnSurvival {
    /// The Kaplan–Meier estimate over days since the start of life.
    #[cfg_attr(feature = "serde", serde(skip))]
    pub curve: KaplanMeier,
    /// Customers with a start of life.
    pub customers: usize,
    /// Of them, those whose churn was observed.
    pub churned: usize,
    /// Days until half the customers have churned (`None` if the curve
    /// stays above one half).
    pub median_days: Option<f64>,
    /// Bounds of the median: the first days at which the curve's lower and
    /// upper bounds reach one half (as lifelines' median interval).
    pub median_bounds: (Option<f64>, Option<f64>),
}

/// Kaplan–Meier curve of the time to churn of every customer of `log`: the
/// durations of [`churn_durations`] (see [`ChurnBasis`] for what a life is)
/// fitted by [`KaplanMeier::fit`], `Ŝ(t) = Π_{tᵢ ≤ t} (1 − dᵢ/nᵢ)` over days
/// since the start of life.
///
/// # Errors
/// Those of [`churn_durations`] and [`KaplanMeier::fit`], and
/// [`Error::InvalidParameter`] for `inactive_days` with subscriptions or a
/// bad `alpha`.
pub fn churn_survival(
    log: &EventLog,
    as_of: Micros,
    options: &ChurnSurvivalOptions,
) -> Result<ChurnSurvival> {
    let basis = ChurnBasis::new(options.basis, options.inactive_days)?;
    let d = churn_durations(log, as_of, basis)?;
    let km_options = KaplanMeierOptions {
        alpha: options.alpha,
        transform: options.transform,
    };
    let curve = KaplanMeier::fit(&d.durations, &d.churned, &km_options)?;
    Ok(ChurnSurvival {
        customers: d.ids.len(),
        churned: d.churned.iter().filter(|&&c| c).count(),
        median_days: curve.median_survival_time(),
        median_bounds: curve.median_confidence_interval(),
        curve,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::events::{Event, EventKind, LogOptions, SubscriptionChange};
    use crate::survival::{KaplanMeier, KaplanMeierOptions};
    use chrono::{Duration, TimeZone, Utc};

    fn as_of() -> chrono::DateTime<Utc> {
        Utc.with_ymd_and_hms(2024, 12, 31, 0, 0, 0).unwrap()
    }

    fn ago(d: i64) -> chrono::DateTime<Utc> {
        as_of() - Duration::days(d)
    }

    #[test]
    fn orders_basis_by_hand() {
        let events = vec![
            // 1: first 300 days ago, last 200 days ago → churned, lived 100 days.
            Event::order(1, ago(300), 10.0),
            Event::order(1, ago(200), 10.0),
            // 2: first 100 days ago, last 10 days ago → censored at 100 days.
            Event::order(2, ago(100), 10.0),
            Event::order(2, ago(10), 10.0),
            // 3: a single order 91 days ago → churned at once (duration 0).
            Event::order(3, ago(91), 10.0),
            // 4: no order → left out.
            Event::new(4, ago(5), EventKind::Session),
        ];
        let log = EventLog::from_events(&events, LogOptions::default()).unwrap();
        let d =
            churn_durations(&log, crate::time::to_micros(as_of()), ChurnBasis::default()).unwrap();
        assert_eq!(
            d.ids,
            vec![CustomerId::Int(1), CustomerId::Int(2), CustomerId::Int(3)]
        );
        assert_eq!(d.durations, vec![100.0, 100.0, 0.0]);
        assert_eq!(d.churned, vec![true, false, true]);
        let km =
            KaplanMeier::fit(&d.durations, &d.churned, &KaplanMeierOptions::default()).unwrap();
        // At t = 0 one of three churns; at t = 100 one of two at risk churns.
        assert!((km.survival_at(50.0).unwrap() - 2.0 / 3.0).abs() < 1e-12);
        assert!((km.survival_at(100.0).unwrap() - 1.0 / 3.0).abs() < 1e-12);
    }

    #[test]
    fn churn_survival_is_the_curve_of_the_durations() {
        let events = vec![
            Event::order(1, ago(300), 10.0),
            Event::order(1, ago(200), 10.0),
            Event::order(2, ago(100), 10.0),
            Event::order(2, ago(10), 10.0),
            Event::order(3, ago(91), 10.0),
            Event::order(4, ago(400), 10.0),
            Event::order(4, ago(390), 10.0),
        ];
        let log = EventLog::from_events(&events, LogOptions::default()).unwrap();
        let at = crate::time::to_micros(as_of());
        let s = churn_survival(&log, at, &ChurnSurvivalOptions::default()).unwrap();
        // Lives: 100 (churned), 100 (censored), 0 (churned), 10 (churned).
        assert_eq!((s.customers, s.churned), (4, 3));
        assert_eq!(s.curve.table.times, vec![0.0, 10.0, 100.0]);
        let want = [
            3.0 / 4.0,
            3.0 / 4.0 * 2.0 / 3.0,
            3.0 / 4.0 * 2.0 / 3.0 * 1.0 / 2.0,
        ];
        for (got, want) in s.curve.survival.iter().zip(want) {
            assert!((got - want).abs() < 1e-15);
        }
        assert_eq!(s.median_days, Some(10.0));
        // A longer inactivity window keeps customer 3 alive (censored at 91).
        let o = ChurnSurvivalOptions {
            inactive_days: Some(120),
            ..ChurnSurvivalOptions::default()
        };
        let s = churn_survival(&log, at, &o).unwrap();
        assert_eq!((s.customers, s.churned), (4, 2));
        let o = ChurnSurvivalOptions {
            basis: ActivityBasis::Subscriptions,
            inactive_days: Some(30),
            ..ChurnSurvivalOptions::default()
        };
        assert!(matches!(
            churn_survival(&log, at, &o),
            Err(Error::InvalidParameter {
                name: "inactive_days",
                ..
            })
        ));
    }

    #[test]
    fn subscriptions_basis_by_hand() {
        let sub = |c, d, change, delta| {
            Event::new(
                c,
                ago(d),
                EventKind::Subscription {
                    change,
                    mrr_delta: delta,
                },
            )
        };
        let events = vec![
            sub(1, 200, SubscriptionChange::New, 20.0),
            sub(1, 150, SubscriptionChange::Contraction, -10.0),
            sub(1, 50, SubscriptionChange::Churn, -10.0),
            sub(2, 120, SubscriptionChange::New, 9.0),
            // 3 churned and came back: still alive, life from the first start.
            sub(3, 300, SubscriptionChange::New, 9.0),
            sub(3, 250, SubscriptionChange::Churn, -9.0),
            sub(3, 100, SubscriptionChange::Reactivation, 9.0),
            Event::order(4, ago(3), 5.0),
        ];
        let log = EventLog::from_events(&events, LogOptions::default()).unwrap();
        let d = churn_durations(
            &log,
            crate::time::to_micros(as_of()),
            ChurnBasis::Subscriptions,
        )
        .unwrap();
        assert_eq!(
            d.ids,
            vec![CustomerId::Int(1), CustomerId::Int(2), CustomerId::Int(3)]
        );
        assert_eq!(d.durations, vec![150.0, 120.0, 300.0]);
        assert_eq!(d.churned, vec![true, false, false]);
    }

    #[test]
    fn bad_input() {
        let log =
            EventLog::from_events(&[Event::order(1, as_of(), 1.0)], LogOptions::default()).unwrap();
        assert!(
            churn_durations(&log, crate::time::to_micros(ago(1)), ChurnBasis::default()).is_err()
        );
        assert!(churn_durations(
            &log,
            crate::time::to_micros(as_of()),
            ChurnBasis::Orders { inactive_days: 0 }
        )
        .is_err());
        assert!(matches!(
            churn_durations(
                &log,
                crate::time::to_micros(as_of()),
                ChurnBasis::Subscriptions
            ),
            Err(Error::EmptyInput { .. })
        ));
    }
}
