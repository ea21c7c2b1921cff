//! Descriptive retention metrics, the MRR bridge, survey scores and simple
//! customer lifetime value.
//!
//! Everything here is a pure function of borrowed data: no I/O, no clock.
//! Every computation that depends on time takes an explicit [`Window`] or an
//! `as_of` instant. Rates are fractions (`0.25` = 25 %); a rate whose
//! denominator is zero is `None`, never NaN or infinity. Invalid input is a
//! typed [`crate::Error`] naming the row, field and value.
//!
//! # Windows and activity
//!
//! A [`Window`] is a half-open interval `[start, end)` with `start < end`.
//! An event at instant `t` is *in* the window when `start ≤ t < end`.
//!
//! A customer is **active at instant `I`**
//! ([`ActivityOptions`], [`ActivityBasis`]):
//!
//! * `Orders` (non-contractual, default): at least one order with
//!   `I − w ≤ t < I`, where `w` is the activity window (default 90 days). An
//!   order placed exactly at `I` counts from the next instant on; an order
//!   placed exactly `w` before `I` still counts.
//! * `Subscriptions` (contractual): the sum of all subscription MRR changes
//!   with `t < I` is greater than zero.
//!
//! # Formulas
//!
//! For a period `[start, end)` ([`PeriodActivity`]):
//!
//! * `S` = customers active at `start`, `E` = customers active at `end`;
//! * `retained` = customers active at both instants;
//! * `joined` (`J`) = customers not active at `start` who are active at some
//!   instant in `(start, end]` (new or returning customers);
//! * `N` (new) = the joined customers still active at `end`, so
//!   `E = retained + N`;
//! * `lost` = `S − retained` (active at `start`, not at `end`);
//! * `lost_including_new` = `lost` + joined customers no longer active at
//!   `end` = `S + J − E`.
//!
//! | metric | formula |
//! |---|---|
//! | customer retention rate | `(E − N) / S` ([`customer_retention_rate`], [`PeriodActivity::retention_rate`]) |
//! | churn rate | `lost / S` ([`churn_rate`]; [`ChurnVariant::StartingCustomers`], the ChartMogul convention: customers who join and churn inside the period are excluded) |
//! | churn rate including new | `(S + J − E) / (S + J)` ([`ChurnVariant::IncludingNew`]; the denominator is everybody active at some time in the period, so the rate stays in `[0, 1]`) |
//! | period-over-period retention | customers with an order in periods `P` and `P + 1` / customers with an order in `P` ([`period_over_period_retention`]) |
//! | repeat purchase rate | customers with ≥ 2 orders in the window / customers with ≥ 1 ([`OrderStats::repeat_purchase_rate`]) |
//! | purchase frequency | orders / distinct ordering customers, in the window ([`OrderStats::purchase_frequency`]) |
//! | average order value | gross order revenue / orders, in the window ([`OrderStats::average_order_value`]) |
//! | average lifespan (observed) | mean over customers with orders of `(last order − first order)` in days ([`average_lifespan_days`]) |
//! | average lifespan (from churn) | `1 / churn rate` periods ([`lifespan_from_churn`]) |
//! | referral rate | customers with ≥ 1 order and ≥ 1 referral in the window / customers with ≥ 1 order in the window ([`ReferralStats`]) |
//! | click-through | email clicks / email opens ([`Engagement::click_through_rate`]) |
//! | gross MRR churn | `(churned + contraction) / starting MRR` ([`MrrBridge::gross_mrr_churn`]) |
//! | net MRR churn | `(churned + contraction − expansion − reactivation) / starting MRR` ([`MrrBridge::net_mrr_churn`]) |
//! | net revenue retention | `(starting + expansion + reactivation − contraction − churned) / starting` ([`MrrBridge::net_revenue_retention`]) |
//! | gross revenue retention | `(starting − contraction − churned) / starting` ([`MrrBridge::gross_revenue_retention`]) |
//! | quick ratio | `(new + expansion + reactivation) / (contraction + churned)` ([`MrrBridge::quick_ratio`]) |
//! | NPS | `100 × (promoters − detractors) / n`; promoters 9–10, passives 7–8, detractors 0–6 ([`nps`]) |
//! | CSAT | `100 × satisfied / n`; satisfied = answer ≥ threshold (default `scale − 1`, top-two-box) ([`csat`]) |
//! | CES | `((total / n) / choices) × 100` ([`ces`]) |
//! | customer loyalty index | mean of the NPS scores of the three loyalty questions ([`customer_loyalty_index`]) |
//! | simple CLV | `AOV × purchases per unit time × lifespan in that unit` ([`simple_clv`]) |
//! | CLV with margin | simple CLV × gross margin ([`clv_with_margin`]) |
//! | retention-based CLV | `m × r / (1 + d − r)` ([`retention_clv`]) |
//! | historic CLV | net revenue to date (orders − refunds) per customer ([`historic_clv`]) |
//!
//! The MRR ratios follow the formulas above exactly; because the bridge also
//! contains MRR that was added and lost within the window, gross MRR churn can
//! exceed 1 and gross revenue retention can fall below 0. Click-through can
//! exceed 1 when clicks are recorded without the matching opens.

use chrono::{DateTime, Utc};

use crate::error::{Error, Result};
use crate::time::{from_micros, to_micros, Calendar, Micros};

mod clv;
mod descriptive;
mod mrr;
mod survey;

pub use clv::{
    clv_with_margin, historic_clv, retention_clv, simple_clv, top_customers_by_historic_clv,
    HistoricClv,
};
pub use descriptive::{
    active_customer_count, average_lifespan_days, churn_rate, customer_engagement,
    customer_retention_rate, engagement, lifespan_from_churn, order_stats, period_activity,
    period_activity_series, period_over_period_retention, period_over_period_retention_series,
    referral_stats, ActivityBasis, ActivityOptions, ChurnVariant, Engagement, OrderStats,
    PeriodActivity, PeriodRetention, ReferralStats,
};
pub use mrr::{mrr_bridge, MrrBridge};
pub use survey::{
    ces, csat, customer_loyalty_index, nps, survey_answers, Ces, CesOptions, Csat, CsatOptions, Nps,
};

/// Largest accepted magnitude of a calendar period index.
///
/// Ten million periods (of days: ~27 000 years) keeps every period boundary
/// inside the representable range of instants.
pub const MAX_PERIOD_INDEX: i64 = 10_000_000;

/// Largest number of periods a series may cover.
pub const MAX_SERIES_PERIODS: i64 = 100_000;

/// A half-open time window `[start, end)` with `start < end`.
///
/// The constructors validate the bounds, so every `Window` is non-empty.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Window {
    start: Micros,
    end: Micros,
}

impl Window {
    /// The window `[start, end)`; errors unless `start < end`.
    ///
    /// ```
    /// use chrono::{TimeZone, Utc};
    /// use retention_core::metrics::Window;
    ///
    /// let jan = Utc.with_ymd_and_hms(2024, 1, 1, 0, 0, 0).unwrap();
    /// let feb = Utc.with_ymd_and_hms(2024, 2, 1, 0, 0, 0).unwrap();
    /// assert!(Window::new(jan, feb).is_ok());
    /// assert!(Window::new(feb, jan).is_err());
    /// assert!(Window::new(jan, jan).is_err());
    /// ```
    pub fn new(start: DateTime<Utc>, end: DateTime<Utc>) -> Result<Window> {
        Window::from_micros(to_micros(start), to_micros(end))
    }

    /// The window `[start, end)` in microseconds since the epoch; errors unless `start < end`.
    pub fn from_micros(start: Micros, end: Micros) -> Result<Window> {
        if start < end {
            Ok(Window { start, end })
        } else if start == end {
            Err(Error::parameter(
                "end",
                from_micros(end).to_rfc3339(),
                "window is empty: end must be after start",
            ))
        } else {
            Err(Error::parameter(
                "end",
                from_micros(end).to_rfc3339(),
                "window end must be after its start",
            ))
        }
    }

    /// The calendar period `index` of `calendar` as a window.
    ///
    /// Errors when `|index|` exceeds [`MAX_PERIOD_INDEX`].
    pub fn period(calendar: &Calendar, index: i64) -> Result<Window> {
        check_period_index("period", index)?;
        Window::from_micros(calendar.start(index), calendar.end(index))
    }

    /// First instant in the window (inclusive), µs since the epoch.
    pub fn start(&self) -> Micros {
        self.start
    }

    /// End of the window (exclusive), µs since the epoch.
    pub fn end(&self) -> Micros {
        self.end
    }

    /// First instant as a datetime.
    pub fn start_datetime(&self) -> DateTime<Utc> {
        from_micros(self.start)
    }

    /// End (exclusive) as a datetime.
    pub fn end_datetime(&self) -> DateTime<Utc> {
        from_micros(self.end)
    }

    /// Whether instant `t` lies in `[start, end)`.
    pub fn contains(&self, t: Micros) -> bool {
        self.start <= t && t < self.end
    }
}

/// Validates a calendar period index.
pub(crate) fn check_period_index(name: &'static str, index: i64) -> Result<i64> {
    if index.unsigned_abs() <= MAX_PERIOD_INDEX as u64 {
        Ok(index)
    } else {
        Err(Error::parameter(
            name,
            index,
            "period index must be within ±10 000 000",
        ))
    }
}

/// Validates an inclusive range of period indices for a series.
pub(crate) fn check_period_range(first: i64, last: i64) -> Result<()> {
    check_period_index("first", first)?;
    check_period_index("last", last)?;
    if last < first {
        return Err(Error::parameter(
            "last",
            last,
            "last period must not be before the first",
        ));
    }
    if last - first >= MAX_SERIES_PERIODS {
        return Err(Error::parameter(
            "last",
            last,
            "a series covers at most 100 000 periods",
        ));
    }
    Ok(())
}

/// `num / den`, or `None` when the denominator is zero (or the quotient is not finite).
pub(crate) fn ratio(num: f64, den: f64) -> Option<f64> {
    if den == 0.0 {
        return None;
    }
    let q = num / den;
    q.is_finite().then_some(q)
}

/// `num / den` for counts, `None` when `den == 0`.
pub(crate) fn count_ratio(num: u64, den: u64) -> Option<f64> {
    (den > 0).then(|| num as f64 / den as f64)
}

/// A share `part / whole` in `[0, 1]`: `None` when `whole == 0`, and also when
/// `part > whole` (inconsistent counts in a caller-built struct).
pub(crate) fn fraction(part: u64, whole: u64) -> Option<f64> {
    if part > whole {
        None
    } else {
        count_ratio(part, whole)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn undefined_ratios_are_none() {
        assert_eq!(ratio(1.0, 0.0), None);
        assert_eq!(ratio(f64::NAN, 1.0), None);
        assert_eq!(ratio(1e308, 1e-308), None);
        assert_eq!(ratio(1.0, 4.0), Some(0.25));
        assert_eq!(count_ratio(3, 0), None);
        assert_eq!(count_ratio(3, 2), Some(1.5));
        assert_eq!(fraction(3, 2), None);
        assert_eq!(fraction(0, 0), None);
        assert_eq!(fraction(1, 2), Some(0.5));
    }

    #[test]
    fn window_bounds() {
        let w = Window::from_micros(10, 20).unwrap();
        assert!(w.contains(10) && w.contains(19));
        assert!(!w.contains(9) && !w.contains(20));
        assert_eq!((w.start(), w.end()), (10, 20));
        assert!(Window::from_micros(20, 10).is_err());
        assert!(check_period_range(0, MAX_SERIES_PERIODS - 1).is_ok());
        assert!(check_period_range(0, MAX_SERIES_PERIODS).is_err());
    }
}
