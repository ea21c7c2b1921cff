//! MBG/NBD: the modified BG/NBD model of Batislam, Denizel & Filiztekin
//! (2007).
//!
//! # Model
//!
//! As BG/NBD ([`bgnbd`](super::bgnbd)), except that a customer may also
//! drop out right after her first purchase, at time 0: the dropout coin
//! (`p ~ Beta(a, b)`) is tossed after every purchase including the first.
//! Customers without repeat purchases can therefore be inactive.
//!
//! # Likelihood (Batislam et al. 2007)
//!
//! ```text
//! L = Γ(r+x) αʳ / Γ(r) · [ B(a, b+x+1)/B(a, b) · (α+T)^{−(r+x)}
//!                        + B(a+1, b+x)/B(a, b) · (α+tₓ)^{−(r+x)} ]
//! ```
//!
//! (the second term is present for every `x`, including `x = 0`), with an
//! analytic gradient.
//!
//! # Predictions
//!
//! * `P(alive) = 1 / (1 + a/(b+x) · ((α+T)/(α+tₓ))^{r+x})`;
//! * `E[X(t)] = b/(a−1) · [1 − (α/(α+t))ʳ ₂F₁(r, b+1; a+b; t/(α+t))]`;
//! * `E[Y(t) | x, tₓ, T] = P(alive) · (a+b+x)/(a−1) · [1 − ((α+T)/(α+T+t))^{r+x}
//!   ₂F₁(r+x, b+x+1; a+b+x; t/(α+T+t))]`;
//! * `P(X(t) = n) = B(a, b+n+1)/B(a, b) · NB(n) + 1{n=0} a/(a+b)
//!   + 1{n>0} B(a+1, b+n)/B(a, b) · [1 − Σ_{j<n} NB(j)]`, from the same
//!   argument as FHL (2005a) eq. 8: alive throughout with `n` purchases, or
//!   dropped out at time 0, or dropped out after the `n`-th purchase.
//!
//! The expectations use the same stable form as BG/NBD (Euler's
//! transformation, see [`bgnbd`](super::bgnbd)).

use super::bgnbd::{negative_binomial_ln_pmf, negative_binomial_tail};
#[cfg(not(target_arch = "wasm32"))]
use super::bracket::conditional_brackets;
use super::bracket::dropout_bracket;
use super::fitting::{self, FitOptions, Histories, Likelihood, ModelFit};
use super::validate::{check_horizon, check_point, finite, TransactionSummary};
use super::TransactionModel;
use crate::error::positive;
use crate::special::{digamma, inv_one_plus_exp, ln_beta, ln_gamma, log_sum_exp};
use crate::{Error, Result};

/// MBG/NBD parameters (same meaning as [`BgNbdParams`](super::bgnbd::BgNbdParams)).
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub struct MbgNbdParams {
    /// Gamma shape of the purchase rate.
    pub r: f64,
    /// Gamma rate of the purchase rate, in the data's time unit.
    pub alpha: f64,
    /// First beta parameter of the dropout probability.
    pub a: f64,
    /// Second beta parameter of the dropout probability.
    pub b: f64,
}

/// A fitted MBG/NBD model (standard errors in the order `r, alpha, a, b`).
pub type MbgNbdFit = ModelFit<MbgNbdParams>;

/// Fits MBG/NBD by maximum likelihood.
///
/// Errors as for [`bgnbd::fit`](super::bgnbd::fit).
pub fn fit(data: &TransactionSummary<'_>, options: &FitOptions) -> Result<MbgNbdFit> {
    fitting::fit_model(data, false, Rows::new, options, |[r, alpha, a, b]| {
        MbgNbdParams::new(r, alpha, a, b)
    })
}

/// The input rows, for the likelihood.
struct Rows(Histories);

impl Rows {
    fn new(data: &TransactionSummary<'_>) -> Self {
        Rows(Histories::new(data))
    }
}

impl Likelihood for Rows {
    const MODEL: &'static str = "MBG/NBD";
    const NAMES: &'static [&'static str] = &["r", "alpha", "a", "b"];
    const HAS_GRADIENT: bool = true;

    fn log_likelihood_gradient(&self, p: &[f64], grad: &mut [f64]) -> Option<f64> {
        let &[r, alpha, a, b] = p else { return None };
        let (lg_r, lg_ab, lg_b) = (ln_gamma(r), ln_gamma(a + b), ln_gamma(b));
        let (psi_r, psi_ab, psi_b) = (digamma(r), digamma(a + b), digamma(b));
        let (ln_alpha, ln_a) = (alpha.ln(), a.ln());
        let mut total = 0.0;
        let mut g = [0.0; 4];
        for &(x, t_x, age, w) in &self.0.rows {
            let rx = r + x;
            let common = ln_gamma(rx) - lg_r + r * ln_alpha + lg_ab + ln_gamma(b + x + 1.0)
                - lg_b
                - ln_gamma(a + b + x + 1.0);
            let (ln_at, ln_atx) = ((alpha + age).ln(), (alpha + t_x).ln());
            let l1 = -rx * ln_at;
            let l2 = ln_a - (b + x).ln() - rx * ln_atx;
            let lse = log_sum_exp(l1, l2);
            let u2 = (l2 - lse).exp();
            let u1 = 1.0 - u2;
            total += w * (common + lse);
            let psi_abx1 = digamma(a + b + x + 1.0);
            g[0] += w * (digamma(rx) - psi_r + ln_alpha - u1 * ln_at - u2 * ln_atx);
            g[1] += w * (r / alpha - rx * (u1 / (alpha + age) + u2 / (alpha + t_x)));
            g[2] += w * (psi_ab - psi_abx1 + u2 / a);
            g[3] += w * (psi_ab + digamma(b + x + 1.0) - psi_b - psi_abx1 - u2 / (b + x));
        }
        grad.iter_mut().zip(g).for_each(|(o, v)| *o = v);
        Some(total)
    }

    fn starts(&self) -> Vec<Vec<f64>> {
        self.0.beta_geometric_starts()
    }
}

impl MbgNbdParams {
    /// Builds parameters, checking that each is finite and `> 0`.
    pub fn new(r: f64, alpha: f64, a: f64, b: f64) -> Result<Self> {
        Ok(MbgNbdParams {
            r: positive("r", r)?,
            alpha: positive("alpha", alpha)?,
            a: positive("a", a)?,
            b: positive("b", b)?,
        })
    }

    /// Total log-likelihood `Σ wᵢ ln Lᵢ` of `data` at these parameters.
    pub fn log_likelihood(&self, data: &TransactionSummary<'_>) -> Result<f64> {
        let p = [self.r, self.alpha, self.a, self.b];
        fitting::summary_log_likelihood(data, false, Rows::new, &p, "MBG/NBD log-likelihood")
    }

    /// Probability of exactly `n` repeat purchases in `(0, t]` for a new
    /// customer.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] for a `t` that is not finite and `≥ 0`
    /// or an `n` beyond [`MAX_PURCHASE_COUNT`](super::bgnbd::MAX_PURCHASE_COUNT).
    pub fn probability_of_purchases(&self, n: u64, t: f64) -> Result<f64> {
        let t = check_horizon("t", t)?;
        super::bgnbd::check_purchase_count(n)?;
        let (r, alpha, a, b) = (self.r, self.alpha, self.a, self.b);
        let nf = n as f64;
        let ln_nb = negative_binomial_ln_pmf(r, alpha, t);
        let ln_bab = ln_beta(a, b);
        let mut p = (ln_beta(a, b + nf + 1.0) - ln_bab + ln_nb(nf)).exp();
        if n == 0 {
            p += a / (a + b);
        } else {
            let tail =
                negative_binomial_tail(&ln_nb, r, alpha, t, n).ok_or(Error::NonFiniteResult {
                    what: "MBG/NBD purchase-count probability",
                    row: None,
                })?;
            p += (ln_beta(a + 1.0, b + nf) - ln_bab).exp() * tail;
        }
        finite(
            "MBG/NBD purchase-count probability",
            None,
            p.clamp(0.0, 1.0),
        )
    }
}

impl TransactionModel for MbgNbdParams {
    fn expected_purchases(&self, t: f64) -> Result<f64> {
        let t = check_horizon("t", t)?;
        let z = t / (self.alpha + t);
        let c = self.a + self.b;
        let v = dropout_bracket(self.b, self.a, c - self.r, c, z);
        finite(
            "MBG/NBD expected purchases",
            None,
            v.map_or(f64::NAN, |v| v.max(0.0)),
        )
    }

    fn conditional_expected_purchases(
        &self,
        t: f64,
        frequency: f64,
        recency: f64,
        age: f64,
    ) -> Result<f64> {
        let t = check_horizon("t", t)?;
        let alive = self.probability_alive(frequency, recency, age)?;
        let z = t / (self.alpha + age + t);
        let c = self.a + self.b + frequency;
        let g = self.a + self.b - self.r;
        let v = dropout_bracket(c, self.a, g, c, z).map_or(f64::NAN, |v| v.max(0.0) * alive);
        finite("MBG/NBD conditional expected purchases", None, v)
    }

    // One pass of the bracket's series for all horizons (not on wasm32,
    // for size: there the default, one horizon at a time, the same values).
    #[cfg(not(target_arch = "wasm32"))]
    fn conditional_expected_purchases_at(
        &self,
        horizons: &[f64],
        frequency: f64,
        recency: f64,
        age: f64,
        out: &mut Vec<f64>,
    ) -> Result<()> {
        let alive = self.probability_alive(frequency, recency, age)?;
        // Every horizon in one pass of the bracket's series.
        let c = self.a + self.b + frequency;
        let g = self.a + self.b - self.r;
        conditional_brackets(
            [c, self.a, g, c],
            self.alpha + age,
            alive,
            horizons,
            "MBG/NBD conditional expected purchases",
            out,
        )
    }

    fn probability_alive(&self, frequency: f64, recency: f64, age: f64) -> Result<f64> {
        check_point(frequency, recency, age, false)?;
        let ln_odds = (self.a / (self.b + frequency)).ln()
            + (self.r + frequency) * ((age - recency) / (self.alpha + recency)).ln_1p();
        let p = inv_one_plus_exp(ln_odds);
        finite("MBG/NBD probability alive", None, p.clamp(0.0, 1.0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cdnow() -> MbgNbdParams {
        MbgNbdParams::new(0.525, 6.183, 0.891, 1.614).unwrap()
    }

    #[test]
    fn conditional_at_horizons_equals_one_horizon_at_a_time() {
        let m = cdnow();
        let horizons: Vec<f64> = (1..=12).map(|i| f64::from(i) * 30.0 / 7.0).collect();
        let mut out = Vec::new();
        for (x, t_x, age) in [(0.0, 0.0, 38.86), (2.0, 30.43, 38.86), (29.0, 38.0, 38.86)] {
            m.conditional_expected_purchases_at(&horizons, x, t_x, age, &mut out)
                .unwrap();
            for (&t, v) in horizons.iter().zip(&out) {
                let one = m.conditional_expected_purchases(t, x, t_x, age).unwrap();
                assert_eq!(v.to_bits(), one.to_bits(), "x {x} t {t}: {v} vs {one}");
            }
        }
    }

    #[test]
    fn purchase_count_distribution_is_consistent() {
        let m = cdnow();
        let probs: Vec<f64> = (0..300)
            .map(|n| m.probability_of_purchases(n, 39.0).unwrap())
            .collect();
        let total: f64 = probs.iter().sum();
        assert!((total - 1.0).abs() < 1e-9, "{total}");
        let mean: f64 = probs.iter().enumerate().map(|(n, p)| n as f64 * p).sum();
        assert!(
            (mean - m.expected_purchases(39.0).unwrap()).abs() < 1e-6,
            "{mean}"
        );
    }

    #[test]
    fn zero_repeat_customers_may_be_inactive() {
        let m = cdnow();
        let p = m.probability_alive(0.0, 0.0, 39.0).unwrap();
        assert!(p > 0.0 && p < 1.0);
        // The conditional expectation for a fresh customer is the unconditional one.
        let fresh = m
            .conditional_expected_purchases(10.0, 0.0, 0.0, 0.0)
            .unwrap();
        let prior = m.expected_purchases(10.0).unwrap();
        let alive0 = m.probability_alive(0.0, 0.0, 0.0).unwrap();
        assert!((fresh - prior).abs() < 1e-10, "{fresh} {prior} {alive0}");
    }

    #[test]
    fn gradient_matches_finite_differences() {
        let x = [0.0, 1.0, 5.0, 2.0];
        let tx = [0.0, 3.0, 20.0, 30.0];
        let age = [10.0, 30.0, 35.0, 38.0];
        let rows = Rows::new(&TransactionSummary::new(&x, &tx, &age));
        fitting::assert_gradient_matches(&rows, &[0.3, 4.0, 0.8, 2.5]);
    }
}
