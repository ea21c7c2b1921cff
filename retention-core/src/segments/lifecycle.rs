//! Lifecycle stage per customer as of an instant.
//!
//! From the customer's distinct order days up to `as_of` (`d` = days since
//! the last order, `g` = the typical inter-purchase gap, the median gap in days
//! between consecutive distinct order days), the first rule that holds:
//!
//! 1. **Prospect**: no order.
//! 2. **Lapsed**: `d > churn_window` (default 365 days).
//! 3. **Reactivated**: the last order ended a lapse (it came more than
//!    `churn_window` days after the previous one) and `d ≤ new_window`.
//! 4. **New**: the first order is within `new_window` (default 30 days).
//! 5. **At Risk**: `d > k × g` (default `k = 2`) when the customer has a gap
//!    history, else `d > inactive_after` (default 30 days).
//! 6. **Loyal**: at least `loyal_orders` orders (default 5) — and, by the rules
//!    above, active.
//! 7. **Active**: otherwise.
//!
//! Independently of the stage, `inactive_warning` is set when
//! `d > inactive_after` (the "inactive for 30 days" nudge).

use crate::error::{Error, IssueKind, Issues, Result};
use crate::events::CustomerId;
use crate::summary::{OrderDays, Summaries};
use crate::time::{from_micros, Micros, MICROS_PER_DAY};

crate::vocab::codes! {
    /// A customer's lifecycle stage.
    pub enum LifecycleStage as "lifecycle_stage" {
        /// No order yet.
        Prospect = "prospect",
        /// First order recently.
        New = "new",
        /// Buying as usual.
        Active = "active",
        /// Overdue relative to their own rhythm.
        AtRisk = "at_risk",
        /// No order within the churn window.
        Lapsed = "lapsed",
        /// Came back after lapsing.
        Reactivated = "reactivated",
        /// Many orders and active.
        Loyal = "loyal",
    }
}

impl LifecycleStage {
    /// The name in words, e.g. `"At Risk"` (for reports; the code is
    /// `"at_risk"`).
    pub fn label(self) -> &'static str {
        match self {
            LifecycleStage::Prospect => "Prospect",
            LifecycleStage::New => "New",
            LifecycleStage::Active => "Active",
            LifecycleStage::AtRisk => "At Risk",
            LifecycleStage::Lapsed => "Lapsed",
            LifecycleStage::Reactivated => "Reactivated",
            LifecycleStage::Loyal => "Loyal",
        }
    }
}

/// Thresholds of the lifecycle rules (days unless stated).
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(default, deny_unknown_fields))]
pub struct LifecycleOptions {
    /// "New" and "Reactivated" last this long after the order that started them.
    pub new_window_days: u32,
    /// Overdue factor `k` on the typical gap.
    pub at_risk_gap_multiple: f64,
    /// Inactivity that triggers At Risk without gap history, and the warning.
    pub inactive_after_days: u32,
    /// No order for longer than this means Lapsed.
    pub churn_window_days: u32,
    /// Orders needed for Loyal.
    pub loyal_orders: u32,
}

impl Default for LifecycleOptions {
    fn default() -> Self {
        LifecycleOptions {
            new_window_days: 30,
            at_risk_gap_multiple: 2.0,
            inactive_after_days: 30,
            churn_window_days: 365,
            loyal_orders: 5,
        }
    }
}

/// Lifecycle status of one customer.
///
/// Serialized with the stage's plain-words `label` after the fields.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Deserialize))]
pub struct LifecycleStatus {
    /// The stage.
    pub stage: LifecycleStage,
    /// Days since the last order.
    pub days_since_last_order: Option<f64>,
    /// Median gap between distinct order days.
    pub typical_gap_days: Option<f64>,
    /// More than `inactive_after_days` without an order.
    pub inactive_warning: bool,
}

serialize_with_ratios!(LifecycleStatus {
    stage, days_since_last_order, typical_gap_days, inactive_warning,
} {
    label: |s: &LifecycleStatus| s.stage.label(),
});

fn check(options: &LifecycleOptions) -> Result<()> {
    for (name, v) in [
        ("new_window_days", options.new_window_days),
        ("inactive_after_days", options.inactive_after_days),
        ("churn_window_days", options.churn_window_days),
        ("loyal_orders", options.loyal_orders),
    ] {
        if v == 0 {
            return Err(Error::parameter(name, v, "must be at least 1"));
        }
    }
    if !(options.at_risk_gap_multiple.is_finite() && options.at_risk_gap_multiple > 0.0) {
        return Err(Error::parameter(
            "at_risk_gap_multiple",
            options.at_risk_gap_multiple,
            "must be a finite number greater than 0",
        ));
    }
    Ok(())
}

/// Median of a non-empty slice (sorted in place).
fn median(v: &mut [f64]) -> f64 {
    v.sort_by(f64::total_cmp);
    let n = v.len();
    if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    }
}

/// Stage of one customer from their sorted distinct order days (UTC day
/// indices, all at or before `as_of`) and order count.
pub fn lifecycle_stage(
    order_days: &[i64],
    orders: u32,
    as_of: Micros,
    options: &LifecycleOptions,
) -> Result<LifecycleStatus> {
    check(options)?;
    let (Some(&first), Some(&last)) = (order_days.first(), order_days.last()) else {
        return Ok(LifecycleStatus {
            stage: LifecycleStage::Prospect,
            days_since_last_order: None,
            typical_gap_days: None,
            inactive_warning: false,
        });
    };
    let today = as_of as f64 / MICROS_PER_DAY as f64;
    if last as f64 > today {
        return Err(Error::row(0, "order_day", last, IssueKind::AfterAsOf));
    }
    // Days are measured from the start of the order day.
    let d = today - last as f64;
    let mut gaps: Vec<f64> = order_days
        .windows(2)
        .map(|w| (w[1] - w[0]) as f64)
        .collect();
    let last_gap = gaps.last().copied();
    let typical = (!gaps.is_empty()).then(|| median(&mut gaps));
    let new_window = f64::from(options.new_window_days);
    let churn_window = f64::from(options.churn_window_days);
    let inactive = f64::from(options.inactive_after_days);
    let stage = if d > churn_window {
        LifecycleStage::Lapsed
    } else if last_gap.is_some_and(|g| g > churn_window) && d <= new_window {
        LifecycleStage::Reactivated
    } else if today - (first as f64) <= new_window {
        LifecycleStage::New
    } else if match typical {
        Some(g) => d > options.at_risk_gap_multiple * g,
        None => d > inactive,
    } {
        LifecycleStage::AtRisk
    } else if orders >= options.loyal_orders {
        LifecycleStage::Loyal
    } else {
        LifecycleStage::Active
    };
    Ok(LifecycleStatus {
        stage,
        days_since_last_order: Some(d),
        typical_gap_days: typical,
        inactive_warning: d > inactive,
    })
}

/// Lifecycle status of every customer in `summaries` (id order).
///
/// `order_days` must come from the same data. Orders after `as_of` are an
/// error naming the customer's position.
pub fn lifecycle(
    summaries: &Summaries,
    order_days: &OrderDays,
    as_of: Micros,
    options: &LifecycleOptions,
) -> Result<Vec<(CustomerId, LifecycleStatus)>> {
    check(options)?;
    let mut issues = Issues::default();
    let mut out = Vec::with_capacity(summaries.len());
    for (i, (id, s)) in summaries.iter().enumerate() {
        if let Some(last) = s.last_order().filter(|&t| t > as_of) {
            issues.push(
                i,
                "last_order",
                from_micros(last).to_rfc3339(),
                IssueKind::AfterAsOf,
            );
            continue;
        }
        let day_indices: Vec<i64> = order_days
            .get(id)
            .map(|days| days.iter().map(|d| d.day).collect())
            .unwrap_or_default();
        out.push((
            id.clone(),
            lifecycle_stage(&day_indices, s.orders(), as_of, options)?,
        ));
    }
    issues.finish()?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const DAY: Micros = MICROS_PER_DAY;

    fn stage(days: &[i64], orders: u32, as_of_day: i64) -> LifecycleStatus {
        lifecycle_stage(days, orders, as_of_day * DAY, &LifecycleOptions::default()).unwrap()
    }

    #[test]
    fn timelines() {
        assert_eq!(stage(&[], 0, 100).stage, LifecycleStage::Prospect);
        // First order 10 days ago.
        assert_eq!(stage(&[90], 1, 100).stage, LifecycleStage::New);
        // One order 40 days ago, no gap history: past inactive_after (30).
        let s = stage(&[60], 1, 100);
        assert_eq!(
            (s.stage, s.inactive_warning),
            (LifecycleStage::AtRisk, true)
        );
        // Weekly buyer, last order 10 days ago: 10 <= 2 × 7 → Active.
        let s = stage(&[30, 37, 44, 51, 58, 65, 72, 79, 86, 90], 4, 100);
        assert_eq!(s.typical_gap_days, Some(7.0));
        assert_eq!(
            stage(&[50, 57, 64, 71, 78, 85, 90], 4, 100).stage,
            LifecycleStage::Active
        );
        // Same rhythm, 15 days since the last order: 15 > 14 → At Risk, no 30-day warning yet.
        let s = stage(&[50, 57, 64, 71, 78, 85], 4, 100);
        assert_eq!(
            (s.stage, s.inactive_warning),
            (LifecycleStage::AtRisk, false)
        );
        // Five or more orders and on rhythm → Loyal.
        assert_eq!(
            stage(&[50, 57, 64, 71, 78, 85, 92], 7, 100).stage,
            LifecycleStage::Loyal
        );
        // 400 days without an order → Lapsed.
        assert_eq!(stage(&[100, 110], 2, 510).stage, LifecycleStage::Lapsed);
        // Lapsed, then ordered 5 days ago → Reactivated.
        let s = stage(&[100, 110, 600], 3, 605);
        assert_eq!(s.stage, LifecycleStage::Reactivated);
        // ... and 40 days after the comeback the usual rules apply again (gap median 245 → active).
        assert_eq!(
            stage(&[100, 110, 600], 3, 640).stage,
            LifecycleStage::Active
        );
    }

    #[test]
    fn bad_options_and_future_orders() {
        let bad = LifecycleOptions {
            churn_window_days: 0,
            ..LifecycleOptions::default()
        };
        assert!(lifecycle_stage(&[1], 1, 10 * DAY, &bad).is_err());
        let bad = LifecycleOptions {
            at_risk_gap_multiple: f64::NAN,
            ..LifecycleOptions::default()
        };
        assert!(lifecycle_stage(&[1], 1, 10 * DAY, &bad).is_err());
        assert!(lifecycle_stage(&[11], 1, 10 * DAY, &LifecycleOptions::default()).is_err());
    }
}
