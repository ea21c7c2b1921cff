//! Pareto/NBD: the model of Schmittlein, Morrison & Colombo (1987), with the
//! likelihood and predictions in the form derived by Fader & Hardie (2005).
//!
//! # Model
//!
//! While alive a customer buys as a Poisson process with rate
//! `λ ~ Gamma(r, α)`; her unobserved lifetime is exponential with rate
//! `μ ~ Gamma(s, β)`, independent of `λ`.
//!
//! # Likelihood
//!
//! Integrating the individual likelihood
//! `λˣ e^{−(λ+μ)T} + λˣ μ ∫_{tₓ}^{T} e^{−(λ+μ)y} dy` over the two gamma
//! mixing distributions gives (Fader & Hardie 2005, eq. 19 and its
//! derivation):
//!
//! ```text
//! L = Γ(r+x) αʳ βˢ / Γ(r) · [ (α+T)^{−(r+x)} (β+T)^{−s} + s I ],
//! I = ∫_{tₓ}^{T} (α+y)^{−(r+x)} (β+y)^{−(s+1)} dy = G(tₓ) − G(T),
//! ```
//!
//! where, for `α ≥ β` (swap the roles of `(α, s+1)` and `(β, r+x)`
//! otherwise), with `A = r + s + x`,
//!
//! ```text
//! G(y) = (α+y)^{−A} ₂F₁(A, s+1; A+1; (α−β)/(α+y)) / A.
//! ```
//!
//! Fader & Hardie write `s I = s/(r+s+x) · A₀`. Here `ln G` is evaluated
//! with Euler's transformation, `₂F₁(A, B; A+1; z) = (1−z)^{1−B}
//! ₂F₁(1, A+1−B; A+1; z)`, whose series has terms decreasing at least as
//! fast as `zⁿ`, and `ln I = ln(e^{ln G(tₓ)} − e^{ln G(T)})` is formed in log
//! space. This stays finite where the direct formula overflows or cancels
//! (large `x`, `tₓ = T`: then `I = 0` and `P(alive) = 1`). When
//! `|α − β|/(max(α, β) + y) > 0.995` the series would be slow and `I` is
//! integrated numerically instead ([`gauss_legendre_adaptive`]).
//!
//! # Predictions
//!
//! * `P(alive | x, tₓ, T) = 1 / (1 + s (α+T)^{r+x} (β+T)^s I)`
//!   (Fader & Hardie 2005, eq. 18);
//! * `E[X(t)] = rβ / (α(s−1)) · [1 − (β/(β+t))^{s−1}]` (eq. 17 of the note;
//!   Schmittlein et al. 1987), `rβ/α · ln(1 + t/β)` at `s = 1`;
//! * `E[Y(t) | x, tₓ, T] = P(alive) · (r+x)(β+T) / ((α+T)(s−1)) ·
//!   [1 − ((β+T)/(β+T+t))^{s−1}]` (eq. 22);
//! * `P(X(t) = n) = NB(n) (β/(β+t))ˢ + ∫₀ᵗ s βˢ (β+τ)^{−(s+1)} NB_τ(n) dτ`,
//!   with `NB_τ(n) = Γ(r+n)/(Γ(r) n!) (α/(α+τ))ʳ (τ/(α+τ))ⁿ`: purchases
//!   while alive through `t`, or death at `τ ≤ t` after `n` purchases
//!   (Fader, Hardie & Lee's 2006 note derives the same quantity in closed
//!   form); the integral is computed by adaptive Gauss–Legendre quadrature.

use super::fitting::{self, FitDiagnostics, FitOptions, Likelihood};
use super::validate::{check_horizon, check_point, finite, TransactionSummary};
use super::TransactionModel;
use crate::error::positive;
use crate::special::{
    gauss_legendre_adaptive, gauss_legendre_rule, hyp2f1_series, ln_gamma, log1p_exp, log_diff_exp,
    log_sum_exp, one_minus_pow_over,
};
use crate::{Error, Result};

/// Pareto/NBD parameters: `r`, `α` (purchase rate, gamma shape and rate) and
/// `s`, `β` (dropout rate, gamma shape and rate).
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct ParetoNbdParams {
    /// Gamma shape of the purchase rate.
    pub r: f64,
    /// Gamma rate of the purchase rate, in the data's time unit.
    pub alpha: f64,
    /// Gamma shape of the dropout rate.
    pub s: f64,
    /// Gamma rate of the dropout rate, in the data's time unit.
    pub beta: f64,
}

/// A fitted Pareto/NBD model.
#[derive(Debug, Clone, PartialEq)]
pub struct ParetoNbdFit {
    /// Maximum-likelihood estimates.
    pub params: ParetoNbdParams,
    /// Log-likelihood, standard errors (order `r, alpha, s, beta`), optimiser details.
    pub diagnostics: FitDiagnostics,
}

/// Fits Pareto/NBD by maximum likelihood (finite-difference gradients).
///
/// Errors as for [`bgnbd::fit`](super::bgnbd::fit).
pub fn fit(data: &TransactionSummary<'_>, options: &FitOptions) -> Result<ParetoNbdFit> {
    let total = data.validate(false)?;
    let lik = Rows::new(data);
    let (p, diagnostics) = fitting::fit(&lik, data.len(), total, options)?;
    let params = match p.as_slice() {
        [r, alpha, s, beta] => ParetoNbdParams::new(*r, *alpha, *s, *beta)?,
        _ => {
            return Err(Error::NonFiniteResult {
                what: "Pareto/NBD parameters",
                row: None,
            })
        }
    };
    Ok(ParetoNbdFit {
        params,
        diagnostics,
    })
}

struct Rows {
    rows: Vec<(f64, f64, f64, f64)>,
    mean_t: f64,
}

impl Rows {
    fn new(data: &TransactionSummary<'_>) -> Self {
        let rows: Vec<(f64, f64, f64, f64)> = (0..data.len())
            .filter_map(|i| {
                Some((
                    *data.frequency.get(i)?,
                    *data.recency.get(i)?,
                    *data.age.get(i)?,
                    data.weight(i),
                ))
            })
            .filter(|row| row.3 > 0.0)
            .collect();
        let wsum: f64 = rows.iter().map(|r| r.3).sum();
        let mean_t = rows.iter().map(|r| r.2 * r.3).sum::<f64>() / wsum;
        Rows { rows, mean_t }
    }
}

impl Likelihood for Rows {
    const MODEL: &'static str = "Pareto/NBD";
    const NAMES: &'static [&'static str] = &["r", "alpha", "s", "beta"];

    fn log_likelihood(&self, p: &[f64]) -> f64 {
        let &[r, alpha, s, beta] = p else {
            return f64::NAN;
        };
        let m = ParetoNbdParams { r, alpha, s, beta };
        let lg_r = ln_gamma(r);
        let base = r * alpha.ln() + s * beta.ln();
        let mut total = 0.0;
        for &(x, t_x, age, w) in &self.rows {
            let Some(ln_i) = m.ln_integral(x, t_x, age) else {
                return f64::NAN;
            };
            let alive_term = -(r + x) * (alpha + age).ln() - s * (beta + age).ln();
            let ll = ln_gamma(r + x) - lg_r + base + log_sum_exp(alive_term, s.ln() + ln_i);
            total += w * ll;
        }
        total
    }

    fn starts(&self) -> Vec<Vec<f64>> {
        let scale = if self.mean_t.is_finite() && self.mean_t > 0.0 {
            self.mean_t
        } else {
            1.0
        };
        vec![
            vec![1.0, 1.0, 1.0, 1.0],
            vec![0.5, 0.25 * scale, 0.5, 0.25 * scale],
            vec![1.0, scale, 1.0, scale],
        ]
    }
}

/// Series beyond this `z` converge too slowly; integrate instead.
const SERIES_MAX_Z: f64 = 0.995;

impl ParetoNbdParams {
    /// Builds parameters, checking that each is finite and `> 0`.
    pub fn new(r: f64, alpha: f64, s: f64, beta: f64) -> Result<Self> {
        Ok(ParetoNbdParams {
            r: positive("r", r)?,
            alpha: positive("alpha", alpha)?,
            s: positive("s", s)?,
            beta: positive("beta", beta)?,
        })
    }

    /// Total log-likelihood `Σ wᵢ ln Lᵢ` of `data` at these parameters.
    pub fn log_likelihood(&self, data: &TransactionSummary<'_>) -> Result<f64> {
        data.validate(false)?;
        let ll = Rows::new(data).log_likelihood(&[self.r, self.alpha, self.s, self.beta]);
        finite("Pareto/NBD log-likelihood", None, ll)
    }

    /// `ln G(y)`, see the module docs; `None` if the series is too slow.
    fn ln_tail(&self, x: f64, y: f64) -> Option<f64> {
        let (r, alpha, s, beta) = (self.r, self.alpha, self.s, self.beta);
        let big_a = r + s + x;
        let (m, b) = if alpha >= beta {
            (alpha, s + 1.0)
        } else {
            (beta, r + x)
        };
        let z = (alpha - beta).abs() / (m + y);
        if z > SERIES_MAX_Z {
            return None;
        }
        let series = hyp2f1_series(1.0, big_a + 1.0 - b, big_a + 1.0, z, 20_000)?;
        Some(-big_a * (m + y).ln() - big_a.ln() + (1.0 - b) * (-z).ln_1p() + series.ln())
    }

    /// `ln I(x, tₓ, T)`; `−∞` when `tₓ = T`.
    fn ln_integral(&self, x: f64, t_x: f64, age: f64) -> Option<f64> {
        if t_x >= age {
            return Some(f64::NEG_INFINITY);
        }
        if let (Some(g_tx), Some(g_t)) = (self.ln_tail(x, t_x), self.ln_tail(x, age)) {
            let v = if g_tx > g_t {
                log_diff_exp(g_tx, g_t)
            } else {
                f64::NEG_INFINITY
            };
            return (!v.is_nan()).then_some(v);
        }
        // Quadrature on w = ln(y + k), which spreads the mass evenly when
        // the integrand is a power law in y.
        let (r, alpha, s, beta) = (self.r, self.alpha, self.s, self.beta);
        let k = alpha.min(beta);
        let ln_f = |w: f64| {
            let y = w.exp() - k;
            w - (r + x) * (alpha + y).ln() - (s + 1.0) * (beta + y).ln()
        };
        let rule = gauss_legendre_rule(20);
        gauss_legendre_adaptive(&ln_f, (t_x + k).ln(), (age + k).ln(), &rule, 1e-12, 40)
    }

    /// Probability of exactly `n` repeat purchases in `(0, t]` for a new
    /// customer.
    pub fn probability_of_purchases(&self, n: u64, t: f64) -> Result<f64> {
        let t = check_horizon("t", t)?;
        if t == 0.0 {
            return Ok(if n == 0 { 1.0 } else { 0.0 });
        }
        let (r, alpha, s, beta) = (self.r, self.alpha, self.s, self.beta);
        let nf = n as f64;
        let ln_coef = ln_gamma(r + nf) - ln_gamma(r) - ln_gamma(nf + 1.0);
        let ln_nb = |tau: f64| {
            let pow = if n == 0 {
                0.0
            } else {
                nf * (tau / (alpha + tau)).ln()
            };
            ln_coef - r * (tau / alpha).ln_1p() + pow
        };
        let alive = ln_nb(t) - s * (t / beta).ln_1p();
        let ln_f = |tau: f64| s.ln() - s * (tau / beta).ln_1p() - (beta + tau).ln() + ln_nb(tau);
        let rule = gauss_legendre_rule(20);
        let dead = gauss_legendre_adaptive(&ln_f, 0.0, t, &rule, 1e-12, 40).ok_or(
            Error::NonFiniteResult {
                what: "Pareto/NBD purchase-count probability",
                row: None,
            },
        )?;
        let p = log_sum_exp(alive, dead).exp();
        finite(
            "Pareto/NBD purchase-count probability",
            None,
            p.clamp(0.0, 1.0),
        )
    }
}

impl TransactionModel for ParetoNbdParams {
    fn expected_purchases(&self, t: f64) -> Result<f64> {
        let t = check_horizon("t", t)?;
        let v = self.r * self.beta / self.alpha
            * one_minus_pow_over(self.s - 1.0, -(t / self.beta).ln_1p());
        finite("Pareto/NBD expected purchases", None, v.max(0.0))
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
        let bt = self.beta + age;
        let v = alive * (self.r + frequency) * bt / (self.alpha + age)
            * one_minus_pow_over(self.s - 1.0, -(t / bt).ln_1p());
        finite(
            "Pareto/NBD conditional expected purchases",
            None,
            v.max(0.0),
        )
    }

    fn probability_alive(&self, frequency: f64, recency: f64, age: f64) -> Result<f64> {
        check_point(frequency, recency, age, false)?;
        let ln_i = self
            .ln_integral(frequency, recency, age)
            .ok_or(Error::NonFiniteResult {
                what: "Pareto/NBD probability alive",
                row: None,
            })?;
        let ln_odds = self.s.ln()
            + (self.r + frequency) * (self.alpha + age).ln()
            + self.s * (self.beta + age).ln()
            + ln_i;
        let p = (-log1p_exp(ln_odds)).exp();
        finite("Pareto/NBD probability alive", None, p.clamp(0.0, 1.0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cdnow() -> ParetoNbdParams {
        ParetoNbdParams::new(0.5532, 10.578, 0.6062, 11.669).unwrap()
    }

    #[test]
    fn integral_matches_quadrature() {
        for m in [cdnow(), ParetoNbdParams::new(0.5, 3.0, 0.8, 20.0).unwrap()] {
            for &(x, tx, t) in &[(0.0, 0.0, 38.0), (2.0, 30.43, 38.86), (50.0, 10.0, 39.0)] {
                let series = m.ln_integral(x, tx, t).unwrap();
                let k = m.alpha.min(m.beta);
                let ln_f = |w: f64| {
                    let y = w.exp() - k;
                    w - (m.r + x) * (m.alpha + y).ln() - (m.s + 1.0) * (m.beta + y).ln()
                };
                let rule = gauss_legendre_rule(20);
                let quad =
                    gauss_legendre_adaptive(&ln_f, (tx + k).ln(), (t + k).ln(), &rule, 1e-13, 40)
                        .unwrap();
                assert!(
                    (series - quad).abs() < 1e-9,
                    "{x} {tx} {t}: {series} vs {quad}"
                );
            }
        }
    }

    #[test]
    fn extreme_histories_stay_finite() {
        let m = cdnow();
        for &(x, tx, t) in &[
            (132.0, 200.0, 200.0),
            (10_000.0, 200.0, 200.0),
            (10_000.0, 199.0, 200.0),
            (10_000.0, 1.0, 200.0),
        ] {
            let a = m.probability_alive(x, tx, t).unwrap();
            assert!((0.0..=1.0).contains(&a), "{a}");
            let e = m.conditional_expected_purchases(10.0, x, tx, t).unwrap();
            assert!(e.is_finite() && e >= 0.0);
        }
        assert_eq!(m.probability_alive(132.0, 200.0, 200.0).unwrap(), 1.0);
    }

    #[test]
    fn purchase_count_probabilities_sum_to_one() {
        let m = cdnow();
        let probs: Vec<f64> = (0..150)
            .map(|n| m.probability_of_purchases(n, 39.0).unwrap())
            .collect();
        let total: f64 = probs.iter().sum();
        assert!((total - 1.0).abs() < 1e-7, "{total}");
        let mean: f64 = probs.iter().enumerate().map(|(n, p)| n as f64 * p).sum();
        assert!(
            (mean - m.expected_purchases(39.0).unwrap()).abs() < 1e-5,
            "{mean}"
        );
    }
}
