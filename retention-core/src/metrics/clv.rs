//! Customer lifetime value: simple, with margin, retention-based and historic.
//! Predictive CLV lives with the probabilistic models.

use crate::error::{in_range, Error, Result};
use crate::events::CustomerId;
use crate::summary::Summaries;

/// Checks a finite, non-negative parameter.
fn non_negative(name: &'static str, value: f64) -> Result<f64> {
    if !value.is_finite() {
        Err(Error::parameter(name, value, "must be a finite number"))
    } else if value < 0.0 {
        Err(Error::parameter(name, value, "must not be negative"))
    } else {
        Ok(value)
    }
}

/// Checks that a computed value is finite (inputs too large overflow).
fn finite(name: &'static str, value: f64) -> Result<f64> {
    if value.is_finite() {
        Ok(value)
    } else {
        Err(Error::parameter(
            name,
            value,
            "result is not finite: the inputs are too large",
        ))
    }
}

/// Simple CLV: `AOV × purchases per unit time × lifespan in that unit`.
///
/// All three inputs must be finite and non-negative.
///
/// ```
/// use retention_core::metrics::simple_clv;
/// assert_eq!(simple_clv(50.0, 3.0, 5.0)?, 750.0);   // $50 × 3/year × 5 years
/// assert_eq!(simple_clv(50.0, 2.0, 12.0)?, 1200.0); // $50 × 2/month × 12 months
/// # Ok::<(), retention_core::Error>(())
/// ```
pub fn simple_clv(aov: f64, purchases_per_unit: f64, lifespan_units: f64) -> Result<f64> {
    let aov = non_negative("aov", aov)?;
    let f = non_negative("purchases_per_unit", purchases_per_unit)?;
    let l = non_negative("lifespan_units", lifespan_units)?;
    finite("clv", aov * f * l)
}

/// Simple CLV × gross margin (`margin` a fraction in `[0, 1]`).
///
/// ```
/// use retention_core::metrics::clv_with_margin;
/// assert_eq!(clv_with_margin(50.0, 3.0, 5.0, 0.4)?, 300.0);
/// # Ok::<(), retention_core::Error>(())
/// ```
pub fn clv_with_margin(
    aov: f64,
    purchases_per_unit: f64,
    lifespan_units: f64,
    margin: f64,
) -> Result<f64> {
    let margin = in_range("margin", margin, 0.0, 1.0, "must be a fraction in [0, 1]")?;
    let clv = simple_clv(aov, purchases_per_unit, lifespan_units)?;
    finite("clv", clv * margin)
}

/// Retention-based CLV: `m × r / (1 + d − r)`.
///
/// `m` is the margin per period (any finite number; negative for a
/// loss-making customer), `r` the per-period retention rate in `[0, 1]`, `d`
/// the per-period discount rate (finite, `≥ 0`). `r = 1` with `d = 0` has no
/// finite value and is an error.
///
/// ```
/// use retention_core::metrics::retention_clv;
/// // $100 margin a year, 80 % retention, 10 % discount: 100 × 0.8 / 0.3.
/// let clv = retention_clv(100.0, 0.8, 0.1)?;
/// assert!((clv - 266.666_666_666_666_7).abs() < 1e-9);
/// # Ok::<(), retention_core::Error>(())
/// ```
pub fn retention_clv(margin_per_period: f64, retention: f64, discount: f64) -> Result<f64> {
    if !margin_per_period.is_finite() {
        return Err(Error::parameter(
            "margin_per_period",
            margin_per_period,
            "must be a finite number",
        ));
    }
    let r = in_range(
        "retention",
        retention,
        0.0,
        1.0,
        "must be a fraction in [0, 1]",
    )?;
    let d = non_negative("discount", discount)?;
    let den = 1.0 + d - r;
    if den <= 0.0 {
        return Err(Error::parameter(
            "discount",
            d,
            "1 + discount − retention must be greater than 0 (retention 1 needs a positive discount)",
        ));
    }
    finite("clv", margin_per_period * r / den)
}

/// One customer's historic CLV.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct HistoricClv {
    /// The customer.
    pub customer: CustomerId,
    /// Net revenue to date: orders − refunds (negative when refunds exceed orders).
    pub net_revenue: f64,
}

/// Historic CLV of every customer: net revenue (orders − refunds) to date, in id order.
///
/// Customers without orders are included (with 0, or a negative value if
/// they only have refunds).
pub fn historic_clv(summaries: &Summaries) -> Vec<HistoricClv> {
    summaries
        .iter()
        .map(|(id, s)| HistoricClv {
            customer: id.clone(),
            net_revenue: s.net_revenue(),
        })
        .collect()
}

/// The `n` customers with the highest historic CLV, highest first.
///
/// Ties are broken by customer id (ascending), so the result is deterministic.
pub fn top_customers_by_historic_clv(summaries: &Summaries, n: usize) -> Vec<HistoricClv> {
    let mut all = historic_clv(summaries);
    all.sort_by(|a, b| {
        b.net_revenue
            .total_cmp(&a.net_revenue)
            .then_with(|| a.customer.cmp(&b.customer))
    });
    all.truncate(n);
    all
}
