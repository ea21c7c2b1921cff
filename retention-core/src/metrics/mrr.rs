//! The MRR bridge: how monthly recurring revenue moved over a window.

use crate::error::{Error, Result};
use crate::events::{EventLog, EventType, SubscriptionChange};
use crate::summary::Money;

use super::{ratio, Window};

/// Monthly recurring revenue movements over a window `[start, end)`.
///
/// Movement amounts are positive numbers (a contraction of −10 is
/// `contraction: 10.0`), and `ending = starting + new + expansion +
/// reactivation − contraction − churned`. Fields are public so callers can
/// build a bridge from their own figures; [`MrrBridge::validate`] checks them.
/// The ratio methods return `None` when their denominator is zero, negative
/// or not finite, or when the result would not be finite.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(default, deny_unknown_fields))]
pub struct MrrBridge {
    /// MRR at the start: the sum of all MRR changes before `start`.
    pub starting: f64,
    /// MRR from new subscribers in the window.
    pub new: f64,
    /// MRR added by existing subscribers in the window.
    pub expansion: f64,
    /// MRR removed by downgrades in the window (positive amount).
    pub contraction: f64,
    /// MRR removed by cancellations in the window (positive amount).
    pub churned: f64,
    /// MRR from returning subscribers in the window.
    pub reactivation: f64,
    /// MRR at the end: the sum of all MRR changes before `end`.
    pub ending: f64,
}

impl MrrBridge {
    /// Checks that every field is finite and the movements are non-negative.
    ///
    /// `starting` and `ending` may be any finite number.
    pub fn validate(&self) -> Result<()> {
        let fields = [
            ("starting", self.starting, false),
            ("new", self.new, true),
            ("expansion", self.expansion, true),
            ("contraction", self.contraction, true),
            ("churned", self.churned, true),
            ("reactivation", self.reactivation, true),
            ("ending", self.ending, false),
        ];
        for (name, value, non_negative) in fields {
            if !value.is_finite() {
                return Err(Error::parameter(name, value, "must be a finite number"));
            }
            if non_negative && value < 0.0 {
                return Err(Error::parameter(
                    name,
                    value,
                    "movement amounts are given as non-negative numbers",
                ));
            }
        }
        Ok(())
    }

    /// Gross MRR churn: `(churned + contraction) / starting`.
    pub fn gross_mrr_churn(&self) -> Option<f64> {
        self.over_starting(self.churned + self.contraction)
    }

    /// Net MRR churn: `(churned + contraction − expansion − reactivation) / starting`.
    /// Negative when expansion outweighs losses.
    pub fn net_mrr_churn(&self) -> Option<f64> {
        self.over_starting(self.churned + self.contraction - self.expansion - self.reactivation)
    }

    /// Net revenue retention:
    /// `(starting + expansion + reactivation − contraction − churned) / starting`.
    pub fn net_revenue_retention(&self) -> Option<f64> {
        self.over_starting(
            self.starting + self.expansion + self.reactivation - self.contraction - self.churned,
        )
    }

    /// Gross revenue retention: `(starting − contraction − churned) / starting`.
    pub fn gross_revenue_retention(&self) -> Option<f64> {
        self.over_starting(self.starting - self.contraction - self.churned)
    }

    /// Quick ratio: `(new + expansion + reactivation) / (contraction + churned)`.
    pub fn quick_ratio(&self) -> Option<f64> {
        positive_ratio(
            self.new + self.expansion + self.reactivation,
            self.contraction + self.churned,
        )
    }

    fn over_starting(&self, num: f64) -> Option<f64> {
        positive_ratio(num, self.starting)
    }
}

fn positive_ratio(num: f64, den: f64) -> Option<f64> {
    if den.is_finite() && den > 0.0 {
        ratio(num, den)
    } else {
        None
    }
}

/// The MRR bridge of `window` from the log's subscription events.
///
/// Each movement is classified by its [`SubscriptionChange`] label. Sums are
/// exact (fixed-point, 10⁻⁶ currency units), so the bridge identity holds
/// to the last digit the input carries.
///
/// ```
/// use chrono::{TimeZone, Utc};
/// use retention_core::events::{Event, EventKind, EventLog, LogOptions, SubscriptionChange};
/// use retention_core::metrics::{mrr_bridge, Window};
///
/// let d = |m| Utc.with_ymd_and_hms(2024, m, 10, 0, 0, 0).unwrap();
/// let sub = |c, change, mrr_delta, m| {
///     Event::new(c, d(m), EventKind::Subscription { change, mrr_delta })
/// };
/// let log = EventLog::from_events(
///     &[
///         sub(1, SubscriptionChange::New, 100.0, 1),
///         sub(1, SubscriptionChange::Expansion, 20.0, 2),
///         sub(2, SubscriptionChange::New, 50.0, 2),
///     ],
///     LogOptions::default(),
/// )?;
/// let feb = Window::new(
///     Utc.with_ymd_and_hms(2024, 2, 1, 0, 0, 0).unwrap(),
///     Utc.with_ymd_and_hms(2024, 3, 1, 0, 0, 0).unwrap(),
/// )?;
/// let b = mrr_bridge(&log, feb);
/// assert_eq!((b.starting, b.new, b.expansion, b.ending), (100.0, 50.0, 20.0, 170.0));
/// assert_eq!(b.net_revenue_retention(), Some(1.2));
/// assert_eq!(b.quick_ratio(), None); // nothing lost
/// # Ok::<(), retention_core::Error>(())
/// ```
pub fn mrr_bridge(log: &EventLog, window: Window) -> MrrBridge {
    let (times, kinds, values) = (log.times(), log.event_types(), log.values());
    let mut starting = Money(0);
    let mut moves = [Money(0); 5];
    for i in 0..log.len() {
        if kinds[i] != EventType::Subscription {
            continue;
        }
        let t = times[i];
        let delta = Money::from_f64(values[i]);
        if t < window.start() {
            starting += delta;
        } else if t < window.end() {
            let change = log
                .get(i)
                .and_then(|e| match e.kind() {
                    crate::events::EventKind::Subscription { change, .. } => Some(change),
                    _ => None,
                })
                .unwrap_or(SubscriptionChange::New);
            moves[change as usize] += delta;
        }
    }
    let amount = |c: SubscriptionChange| moves[c as usize];
    let ending = starting
        + amount(SubscriptionChange::New)
        + amount(SubscriptionChange::Expansion)
        + amount(SubscriptionChange::Reactivation)
        + amount(SubscriptionChange::Contraction)
        + amount(SubscriptionChange::Churn);
    let abs = |m: Money| Money(m.0.saturating_abs()).to_f64();
    MrrBridge {
        starting: starting.to_f64(),
        new: abs(amount(SubscriptionChange::New)),
        expansion: abs(amount(SubscriptionChange::Expansion)),
        contraction: abs(amount(SubscriptionChange::Contraction)),
        churned: abs(amount(SubscriptionChange::Churn)),
        reactivation: abs(amount(SubscriptionChange::Reactivation)),
        ending: ending.to_f64(),
    }
}

serialize_with_ratios!(MrrBridge {
    starting, new, expansion, contraction, churned, reactivation, ending,
} {
    gross_mrr_churn: MrrBridge::gross_mrr_churn,
    net_mrr_churn: MrrBridge::net_mrr_churn,
    net_revenue_retention: MrrBridge::net_revenue_retention,
    gross_revenue_retention: MrrBridge::gross_revenue_retention,
    quick_ratio: MrrBridge::quick_ratio,
});
