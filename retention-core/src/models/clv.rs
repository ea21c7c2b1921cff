//! Predictive customer lifetime value: Gamma-Gamma expected spend times
//! discounted expected purchases from a transaction model.
//!
//! # Definition
//!
//! For a customer with history `(x, tₓ, T)` and mean repeat spend `m̄ₓ`,
//! with `k` = number of model time units per month, monthly discount rate
//! `d` and a horizon of `H` months:
//!
//! ```text
//! CLV = E[M | x, m̄ₓ] · Σ_{i=1}^{H} ( E[Y(i k) | x, tₓ, T] − E[Y((i−1) k) | x, tₓ, T] ) / (1 + d)^i
//! ```
//!
//! where `E[M | ·]` is the Gamma-Gamma conditional expected average spend
//! and `E[Y(t) | ·]` the transaction model's conditional expected number of
//! purchases in the next `t` time units (Fader, Hardie & Lee 2005b combine
//! the two the same way, with continuous discounting). This is the
//! computation of `lifetimes` 0.11.3
//! `GammaGammaFitter.customer_lifetime_value(model, …, time=H,
//! discount_rate=d, freq=…)`, including its months-per-unit factors, see
//! [`ClvTimeUnit`].

use super::gamma_gamma::GammaGammaParams;
use super::validate::{check_horizon, finite, TransactionSummary};
use super::TransactionModel;
use crate::{Error, Result};

/// Longest horizon [`ClvOptions::horizon_months`] accepts: 1200 months, a
/// century.
///
/// The work (and the memory of the discount and horizon tables) grows with
/// the horizon, one expected-purchase evaluation per month per distinct
/// history. No customer relationship is valued over more than a lifetime,
/// and at any positive discount rate the months beyond a century add almost
/// nothing (at 1 % a month the factor is below 10⁻⁵). Beyond it
/// [`predictive_clv`] and [`discounted_value`] return
/// [`Error::InvalidParameter`] naming `horizon_months`.
pub const MAX_HORIZON_MONTHS: u32 = 1200;

crate::vocab::codes! {
    /// Time unit the transaction model was fitted in, fixing how many model
    /// time units make a month (lifetimes' `freq`); for any other unit give
    /// [`ClvOptions::unit_days`] instead.
    #[derive(Default)]
    pub enum ClvTimeUnit as "clv_time_unit" {
        /// Hours: 720 per month (`lifetimes` `freq="H"`).
        Hour = "hour",
        /// Days: 30 per month (`lifetimes` `freq="D"`, its default).
        #[default]
        Day = "day",
        /// Weeks: 4.345 per month (`lifetimes` `freq="W"`).
        Week = "week",
        /// Months: 1 per month (`lifetimes` `freq="M"`).
        Month = "month",
    }
}

impl ClvTimeUnit {
    /// Model time units per month.
    pub fn units_per_month(self) -> f64 {
        match self {
            ClvTimeUnit::Hour => 720.0,
            ClvTimeUnit::Day => 30.0,
            ClvTimeUnit::Week => 4.345,
            ClvTimeUnit::Month => 1.0,
        }
    }
}

/// Options of [`predictive_clv`]; defaults match `lifetimes` (12 months,
/// 1 % per month, model fitted in days).
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(default, deny_unknown_fields))]
pub struct ClvOptions {
    /// Horizon `H` in months (1 to [`MAX_HORIZON_MONTHS`]).
    pub horizon_months: u32,
    /// Monthly discount rate `d` (> −1; usually a small positive number).
    pub monthly_discount_rate: f64,
    /// Time unit of the transaction model (default: days).
    pub time_unit: Option<ClvTimeUnit>,
    /// Or a unit of this many days: `30 / unit_days` units per month (so
    /// `7.0` gives 4.2857 weeks per month, not `lifetimes`' rounded 4.345).
    /// Giving both this and `time_unit` is an error.
    pub unit_days: Option<f64>,
}

impl Default for ClvOptions {
    fn default() -> Self {
        ClvOptions {
            horizon_months: 12,
            monthly_discount_rate: 0.01,
            time_unit: None,
            unit_days: None,
        }
    }
}

/// Predictive CLV of every customer in `data` (weights ignored), with mean
/// repeat spend `monetary_value` per row. See the module docs.
///
/// Errors: invalid rows in either input (all listed), length mismatch,
/// invalid options (among them a horizon above [`MAX_HORIZON_MONTHS`]),
/// Gamma-Gamma `q ≤ 1` (infinite expected spend).
pub fn predictive_clv<M: TransactionModel + ?Sized>(
    model: &M,
    spend: &GammaGammaParams,
    data: &TransactionSummary<'_>,
    monetary_value: &[f64],
    options: &ClvOptions,
) -> Result<Vec<f64>> {
    let k = check_options(options)?;
    crate::error::check_len("monetary_value", data.len(), monetary_value.len())?;
    data.validate_for_prediction(false)?;
    // Validate all monetary values up front, listing every bad row.
    let spends: Vec<Result<f64>> = data
        .frequency
        .iter()
        .zip(monetary_value)
        .map(|(&x, &m)| spend.conditional_expected_average_spend(x, m))
        .collect();
    clv_of(model, data, spends, k, options)
}

/// The value of `monetary_value[i]` per expected purchase, discounted as in
/// [`predictive_clv`] — lifetimes' `utils._customer_lifetime_value`, which
/// takes each customer's spend per purchase as given (no Gamma-Gamma).
///
/// Errors: invalid rows (histories; `monetary_value` not finite or
/// negative), length mismatch, invalid options.
pub fn discounted_value<M: TransactionModel + ?Sized>(
    model: &M,
    data: &TransactionSummary<'_>,
    monetary_value: &[f64],
    options: &ClvOptions,
) -> Result<Vec<f64>> {
    let k = check_options(options)?;
    crate::error::check_len("monetary_value", data.len(), monetary_value.len())?;
    data.validate_for_prediction(false)?;
    let spends: Vec<Result<f64>> = monetary_value
        .iter()
        .map(|&m| {
            let mut issues = crate::error::Issues::default();
            crate::error::check_non_negative(&mut issues, 0, "monetary_value", m);
            issues.finish().map(|()| m)
        })
        .collect();
    clv_of(model, data, spends, k, options)
}

/// Model time units per month after checking `options`.
fn check_options(options: &ClvOptions) -> Result<f64> {
    if options.horizon_months == 0 {
        return Err(Error::parameter(
            "horizon_months",
            options.horizon_months,
            "must be at least 1",
        ));
    }
    if options.horizon_months > MAX_HORIZON_MONTHS {
        return Err(Error::parameter(
            "horizon_months",
            options.horizon_months,
            "must be at most MAX_HORIZON_MONTHS (1200)",
        ));
    }
    let d = options.monthly_discount_rate;
    if !(d.is_finite() && d > -1.0) {
        return Err(Error::parameter(
            "monthly_discount_rate",
            d,
            "must be a finite number > -1",
        ));
    }
    options.units_per_month_checked()
}

/// `spends[i]` times the discounted expected purchases of row `i` (`k`
/// model units per month); every spend error is reported at once.
fn clv_of<M: TransactionModel + ?Sized>(
    model: &M,
    data: &TransactionSummary<'_>,
    spends: Vec<Result<f64>>,
    k: f64,
    options: &ClvOptions,
) -> Result<Vec<f64>> {
    let d = options.monthly_discount_rate;
    let mut issues = Vec::new();
    for (row, s) in spends.iter().enumerate() {
        if let Err(Error::InvalidRows { issues: found }) = s {
            issues.extend(found.iter().cloned().map(|mut i| {
                i.row = row;
                i
            }));
        }
    }
    if !issues.is_empty() {
        return Err(Error::InvalidRows { issues });
    }
    let discounts: Vec<f64> = (1..=options.horizon_months)
        .map(|i| (1.0 + d).powi(-(i as i32)))
        .collect();
    // Customers sharing a history `(x, tₓ, T)` share the discounted sum of
    // expected purchases: it is computed once per distinct history (rows
    // visited in history order), which is exact — the same computation.
    let (xs, txs, ages) = (data.frequency, data.recency, data.age);
    let key = |i: usize| (xs[i], txs[i], ages[i]);
    let mut order: Vec<usize> = (0..data.len()).collect();
    order.sort_unstable_by(|&a, &b| {
        let (ka, kb) = (key(a), key(b));
        ka.0.total_cmp(&kb.0)
            .then(ka.1.total_cmp(&kb.1))
            .then(ka.2.total_cmp(&kb.2))
    });
    let horizons: Vec<f64> = (1..=options.horizon_months)
        .map(|i| check_horizon("t", f64::from(i) * k))
        .collect::<Result<_>>()?;
    let mut cumulative = Vec::with_capacity(horizons.len());
    let mut sums = vec![0.0; data.len()];
    let mut last: Option<((f64, f64, f64), f64)> = None;
    for &row in &order {
        let (x, t_x, age) = key(row);
        if let Some((k, total)) = last {
            if k == (x, t_x, age) {
                sums[row] = total;
                continue;
            }
        }
        model
            .conditional_expected_purchases_at(&horizons, x, t_x, age, &mut cumulative)
            .map_err(|e| match e {
                Error::NonFiniteResult { what, .. } => Error::NonFiniteResult {
                    what,
                    row: Some(row),
                },
                other => other,
            })?;
        let mut previous = 0.0;
        let mut total = 0.0;
        for (&c, disc) in cumulative.iter().zip(&discounts) {
            total += (c - previous).max(0.0) * disc;
            previous = c;
        }
        sums[row] = total;
        last = Some(((x, t_x, age), total));
    }
    let mut out = Vec::with_capacity(data.len());
    for (row, (s, total)) in spends.into_iter().zip(sums).enumerate() {
        out.push(finite("predictive CLV", Some(row), s? * total)?);
    }
    Ok(out)
}

impl ClvOptions {
    fn units_per_month_checked(&self) -> Result<f64> {
        match (self.time_unit, self.unit_days) {
            (Some(_), Some(days)) => Err(Error::parameter(
                "unit_days",
                days,
                "give either time_unit or unit_days, not both",
            )),
            (unit, None) => Ok(unit.unwrap_or_default().units_per_month()),
            (None, Some(days)) if days.is_finite() && days > 0.0 => Ok(30.0 / days),
            (None, Some(days)) => Err(Error::parameter(
                "unit_days",
                days,
                "a unit of days must be a finite number > 0",
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::models::bgnbd::BgNbdParams;

    /// Given spend: with one month and no discount, `m · E[Y(30)]` (days);
    /// discount rate 1 halves it; Gamma-Gamma CLV equals it at the
    /// Gamma-Gamma spend.
    #[test]
    fn discounted_value_takes_the_spend_as_given() {
        let m = BgNbdParams::new(0.2426, 4.4136, 0.7929, 2.4259).unwrap();
        let (x, tx, age) = ([2.0, 0.0], [30.43, 0.0], [38.86, 38.86]);
        let data = TransactionSummary::new(&x, &tx, &age);
        let one = |d: f64| ClvOptions {
            horizon_months: 1,
            monthly_discount_rate: d,
            ..ClvOptions::default()
        };
        let v = discounted_value(&m, &data, &[2.0, 3.0], &one(0.0)).unwrap();
        let half = discounted_value(&m, &data, &[2.0, 3.0], &one(1.0)).unwrap();
        for i in 0..2 {
            let e = m
                .conditional_expected_purchases(30.0, x[i], tx[i], age[i])
                .unwrap();
            let want = [2.0, 3.0][i] * e;
            assert!((v[i] - want).abs() < 1e-12 * want, "{} vs {want}", v[i]);
            assert!((half[i] - want / 2.0).abs() < 1e-12 * want);
        }
        let gg = GammaGammaParams::new(6.25, 3.74, 15.44).unwrap();
        let s = gg.conditional_expected_average_spend(2.0, 25.0).unwrap();
        let opts = ClvOptions::default();
        let a = predictive_clv(&m, &gg, &data, &[25.0, 0.0], &opts).unwrap();
        let b = discounted_value(
            &m,
            &data,
            &[s, gg.conditional_expected_average_spend(0.0, 0.0).unwrap()],
            &opts,
        )
        .unwrap();
        assert_eq!(a, b);
        assert!(matches!(
            discounted_value(&m, &data, &[1.0, -1.0], &opts),
            Err(Error::InvalidRows { ref issues }) if issues[0].row == 1
        ));
    }

    #[test]
    fn undiscounted_clv_is_spend_times_expected_purchases() {
        let m = BgNbdParams::new(0.2426, 4.4136, 0.7929, 2.4259).unwrap();
        let gg = GammaGammaParams::new(6.25, 3.74, 15.44).unwrap();
        let (x, tx, age, mv) = ([2.0, 0.0], [30.43, 0.0], [38.86, 38.86], [25.0, 0.0]);
        let data = TransactionSummary::new(&x, &tx, &age);
        let opts = ClvOptions {
            horizon_months: 6,
            monthly_discount_rate: 0.0,
            time_unit: Some(ClvTimeUnit::Week),
            ..ClvOptions::default()
        };
        let clv = predictive_clv(&m, &gg, &data, &mv, &opts).unwrap();
        for i in 0..2 {
            let e = m
                .conditional_expected_purchases(6.0 * 4.345, x[i], tx[i], age[i])
                .unwrap();
            let s = gg.conditional_expected_average_spend(x[i], mv[i]).unwrap();
            assert!((clv[i] - s * e).abs() < 1e-9 * clv[i].max(1.0));
        }
        // Discounting lowers the value.
        let discounted = predictive_clv(
            &m,
            &gg,
            &data,
            &mv,
            &ClvOptions {
                monthly_discount_rate: 0.01,
                ..opts.clone()
            },
        )
        .unwrap();
        assert!(discounted[0] < clv[0] && discounted[0] > 0.9 * clv[0]);
        assert!(predictive_clv(&m, &gg, &data, &[1.0], &opts).is_err());
        assert!(predictive_clv(
            &m,
            &gg,
            &data,
            &mv,
            &ClvOptions {
                horizon_months: 0,
                ..opts
            }
        )
        .is_err());
    }
}
