//! BG/BB predictions beyond calibration: the conditional distribution of
//! the number of transactions in the next `n*` opportunities and DERT
//! (P(alive) at a future opportunity is
//! [`BgBbParams::probability_alive_after`]).
//!
//! The residual-model argument of the parent module holds in discrete
//! time: a customer alive through her `n` opportunities has the posterior
//! `p ~ Beta(α+x, β+n−x)`, `θ ~ Beta(γ, δ+n)`, so from `n` on she is a new
//! customer of BG/BB `(α+x, β+n−x, γ, δ+n)`; she is alive through `n` with
//! probability `P₀ = B(α+x, β+n−x)/B(α, β) · B(γ, δ+n)/B(γ, δ) / L`
//! (`probability_alive_after(0, …)`). Hence
//!
//! ```text
//! P(X(n, n+n*) = x* | x, tₓ, n) = (1 − P₀) 1{x* = 0} + P₀ · P_res(X(n*) = x*)
//! ```
//!
//! (the new-customer probability is FHS 2010 eq. 7), and with a discount
//! rate `d > 0` per opportunity (FHS 2010, eq. 14)
//!
//! ```text
//! DERT = Σ_{k≥1} P(transaction at n+k) / (1+d)^k
//!      = B(α+x+1, β+n−x)/B(α, β) · B(γ, δ+n+1)/B(γ, δ) / L
//!        · ₂F₁(1, δ+n+1; γ+δ+n+1; 1/(1+d)) / (1+d),
//! ```
//!
//! the series `Σ_k E[(1−θ)^k] z^k` of ratio `(δ+n+k)/(γ+δ+n+k) · z`
//! written as a hypergeometric function (the same form as CLVTools'
//! `bgbb` DERT).

use super::super::bgbb::BgBbParams;
use super::super::validate::{check_point, finite, TransactionSummary};
use crate::special::hyp2f1;
use crate::{Error, Result};

/// Most future opportunities `n*` of the conditional transaction-count
/// probabilities (their work is proportional to `n*`).
pub const MAX_FUTURE_OPPORTUNITIES: u64 = 100_000;

fn check_future(future: u64) -> Result<u64> {
    if future <= MAX_FUTURE_OPPORTUNITIES {
        Ok(future)
    } else {
        Err(Error::parameter(
            "future",
            future,
            "must be at most MAX_FUTURE_OPPORTUNITIES (100000)",
        ))
    }
}

fn check_rate(d: f64) -> Result<f64> {
    if d.is_finite() && d > 0.0 {
        Ok(d)
    } else {
        Err(Error::parameter(
            "discount_rate",
            d,
            "must be a finite number > 0",
        ))
    }
}

impl BgBbParams {
    /// The residual model of an alive customer with history `(x, tₓ, n)`
    /// and her probability of being alive through `n` (module docs).
    fn residual(&self, x: f64, t_x: f64, n: f64) -> Result<(f64, BgBbParams)> {
        let alive = self.probability_alive_after(0, x, t_x, n)?;
        let future = BgBbParams::new(
            self.alpha + x,
            self.beta + n - x,
            self.gamma,
            self.delta + n,
        )?;
        Ok((alive, future))
    }

    /// `P(X(n, n+future) = transactions | x, tₓ, n)` (module docs).
    ///
    /// Errors: an invalid history; `future` above
    /// [`MAX_FUTURE_OPPORTUNITIES`].
    pub fn conditional_probability_of_transactions(
        &self,
        transactions: u64,
        future: u64,
        frequency: f64,
        recency: f64,
        periods: f64,
    ) -> Result<f64> {
        let future = check_future(future)?;
        check_point(frequency, recency, periods, true)?;
        self.conditional_pmf(transactions, future, frequency, recency, periods)
    }

    fn conditional_pmf(&self, k: u64, future: u64, x: f64, t_x: f64, n: f64) -> Result<f64> {
        let (alive, res) = self.residual(x, t_x, n)?;
        let p = res.probability_of_transactions(k, future)?;
        let dead = if k == 0 { 1.0 - alive } else { 0.0 };
        finite(
            "BG/BB conditional transaction-count probability",
            None,
            (dead + alive * p).clamp(0.0, 1.0),
        )
    }

    /// Discounted expected residual transactions at discount rate `d` per
    /// opportunity (module docs).
    ///
    /// Errors: an invalid history; `d` not finite and `> 0`.
    pub fn dert(
        &self,
        discount_rate: f64,
        frequency: f64,
        recency: f64,
        periods: f64,
    ) -> Result<f64> {
        let d = check_rate(discount_rate)?;
        check_point(frequency, recency, periods, true)?;
        self.dert_of(d, frequency, recency, periods)
    }

    fn dert_of(&self, d: f64, x: f64, t_x: f64, n: f64) -> Result<f64> {
        let (alive, res) = self.residual(x, t_x, n)?;
        let z = 1.0 / (1.0 + d);
        let mean_p = res.alpha / (res.alpha + res.beta);
        let first = res.delta / (res.gamma + res.delta) * z;
        let series = hyp2f1(1.0, res.delta + 1.0, res.gamma + res.delta + 1.0, z).ok_or(
            Error::NonFiniteResult {
                what: "BG/BB DERT",
                row: None,
            },
        )?;
        finite(
            "BG/BB DERT",
            None,
            (alive * mean_p * first * series).max(0.0),
        )
    }

    /// [`conditional_probability_of_transactions`](Self::conditional_probability_of_transactions)
    /// for every row of `data` (`age` = `n`; weights ignored).
    pub fn conditional_probability_of_transactions_batch(
        &self,
        transactions: u64,
        future: u64,
        data: &TransactionSummary<'_>,
    ) -> Result<Vec<f64>> {
        let future = check_future(future)?;
        super::super::map_rows(data, true, |x, t_x, n| {
            self.conditional_pmf(transactions, future, x, t_x, n)
        })
    }

    /// [`dert`](Self::dert) for every row of `data`.
    pub fn dert_batch(
        &self,
        discount_rate: f64,
        data: &TransactionSummary<'_>,
    ) -> Result<Vec<f64>> {
        let d = check_rate(discount_rate)?;
        super::super::map_rows(data, true, |x, t_x, n| self.dert_of(d, x, t_x, n))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn donations() -> BgBbParams {
        BgBbParams::new(1.204, 0.750, 0.657, 2.783).unwrap()
    }

    const HISTORIES: [(f64, f64, f64); 4] = [
        (0.0, 0.0, 6.0),
        (3.0, 5.0, 6.0),
        (6.0, 6.0, 6.0),
        (1.0, 1.0, 6.0),
    ];

    #[test]
    fn conditional_distribution_sums_to_one_with_the_conditional_mean() {
        let m = donations();
        for (x, tx, n) in HISTORIES {
            for future in [1u64, 5, 10] {
                let probs: Vec<f64> = (0..=future)
                    .map(|k| {
                        m.conditional_probability_of_transactions(k, future, x, tx, n)
                            .unwrap()
                    })
                    .collect();
                let total: f64 = probs.iter().sum();
                assert!((total - 1.0).abs() < 1e-12, "{total}");
                let mean: f64 = probs.iter().enumerate().map(|(k, p)| k as f64 * p).sum();
                let want = m
                    .conditional_expected_transactions(future, x, tx, n)
                    .unwrap();
                assert!((mean - want).abs() < 1e-10, "{x} {future}: {mean} {want}");
            }
        }
    }

    #[test]
    fn dert_is_the_discounted_sum_of_the_expected_increments() {
        // Σ_k (E[X(n, n+k)] − E[X(n, n+k−1)]) / (1+d)^k, summed directly.
        let m = donations();
        let d = 0.1;
        for (x, tx, n) in HISTORIES {
            let mut prev = 0.0;
            let mut direct = 0.0;
            for k in 1..=2000u64 {
                let e = m.conditional_expected_transactions(k, x, tx, n).unwrap();
                direct += (e - prev) / (1.0_f64 + d).powi(k as i32);
                prev = e;
            }
            let got = m.dert(d, x, tx, n).unwrap();
            assert!((got - direct).abs() < 1e-10 * direct, "{x}: {got} {direct}");
        }
    }

    #[test]
    fn limits_are_typed_errors() {
        let m = donations();
        assert!(matches!(
            m.conditional_probability_of_transactions(
                0,
                MAX_FUTURE_OPPORTUNITIES + 1,
                1.0,
                1.0,
                6.0
            ),
            Err(Error::InvalidParameter { .. })
        ));
        assert!(matches!(
            m.dert(0.0, 1.0, 1.0, 6.0),
            Err(Error::InvalidParameter { .. })
        ));
        assert!(matches!(
            m.dert(0.1, 1.5, 1.0, 6.0),
            Err(Error::InvalidRows { .. })
        ));
    }
}
