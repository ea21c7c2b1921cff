//! Per-customer scores of a fitted transaction model in one call: what a
//! scoring job (such as the Spark door's, one batch of customers at a time)
//! writes next to each customer.
//!
//! For a customer with history `(x, tₓ, T)`:
//!
//! * `P(alive | x, tₓ, T)`, the model's probability that the customer has
//!   not dropped out by `T` ([`TransactionModel::probability_alive`]; for
//!   BG/NBD Fader, Hardie & Lee 2005, eq. 11);
//! * `E[Y(t) | x, tₓ, T]`, the expected purchases in the next `t` time units
//!   ([`TransactionModel::conditional_expected_purchases`]; BG/NBD eq. 10);
//! * with a Gamma-Gamma spend model and the customer's mean repeat spend,
//!   the discounted predictive CLV of [`super::clv::predictive_clv`].
//!
//! Each value is exactly the one the separate functions give for the row.

use super::clv::{predictive_clv, ClvOptions};
use super::gamma_gamma::GammaGammaParams;
use super::{TransactionModel, TransactionSummary};
use crate::Result;

/// Scores of each row of a [`TransactionSummary`] (same order).
#[derive(Debug, Clone, PartialEq)]
pub struct CustomerScores {
    /// `P(alive)` at the end of observation.
    pub probability_alive: Vec<f64>,
    /// Expected purchases in the next `t` time units.
    pub expected_purchases: Vec<f64>,
    /// Predictive CLV, when a spend model was given.
    pub clv: Option<Vec<f64>>,
}

/// A spend model and each customer's mean repeat spend, for the CLV score.
#[derive(Debug, Clone, Copy)]
pub struct SpendInput<'a> {
    /// Fitted Gamma-Gamma parameters.
    pub params: &'a GammaGammaParams,
    /// Mean spend per repeat purchase, one per row.
    pub monetary_value: &'a [f64],
    /// Horizon, discounting and time unit of the CLV.
    pub options: &'a ClvOptions,
}

/// P(alive), expected purchases over the next `t` and, with `spend`,
/// predictive CLV of every row of `data` (weights ignored).
///
/// # Errors
/// Every invalid row (one [`crate::Error::InvalidRows`] per score, the first
/// failing one), a horizon `t` that is not finite and `≥ 0`, and the errors of
/// [`predictive_clv`].
///
/// ```
/// use retention_core::models::bgnbd::BgNbdParams;
/// use retention_core::models::scores::customer_scores;
/// use retention_core::models::{TransactionModel, TransactionSummary};
///
/// let model = BgNbdParams::new(0.25, 4.0, 0.8, 2.5)?;
/// let data = TransactionSummary::new(&[0.0, 2.0], &[0.0, 30.0], &[38.0, 38.0]);
/// let s = customer_scores(&model, &data, 10.0, None)?;
/// assert_eq!(s.probability_alive[1], model.probability_alive(2.0, 30.0, 38.0)?);
/// assert_eq!(s.expected_purchases[0], model.conditional_expected_purchases(10.0, 0.0, 0.0, 38.0)?);
/// assert!(s.clv.is_none());
/// # Ok::<(), retention_core::Error>(())
/// ```
pub fn customer_scores<M: TransactionModel + ?Sized>(
    model: &M,
    data: &TransactionSummary<'_>,
    t: f64,
    spend: Option<SpendInput<'_>>,
) -> Result<CustomerScores> {
    let probability_alive = model.probability_alive_batch(data)?;
    let expected_purchases = model.conditional_expected_purchases_batch(t, data)?;
    let clv = spend
        .map(|s| predictive_clv(model, s.params, data, s.monetary_value, s.options))
        .transpose()?;
    Ok(CustomerScores {
        probability_alive,
        expected_purchases,
        clv,
    })
}
