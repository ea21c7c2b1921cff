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
//! where, writing the integrand as `(m+y)^{−pₘ} (k+y)^{−pₖ}` with `m ≥ k`
//! (`(m, pₘ, k, pₖ) = (α, r+x, β, s+1)` if `α ≥ β`, `(β, s+1, α, r+x)`
//! otherwise) and `A = pₘ + pₖ − 1 = r + s + x`,
//!
//! ```text
//! G(y) = ∫_y^∞ (m+u)^{−pₘ} (k+u)^{−pₖ} du
//!      = (m+y)^{−A} ₂F₁(A, pₖ; A+1; z) / A,            z = (m−k)/(m+y)
//!      = (m+y)^{−pₘ} (k+y)^{1−pₖ} S(z) / A,            S(z) = Σₙ (pₘ)ₙ/(A+1)ₙ zⁿ,
//! ```
//!
//! the second line by Euler's transformation `₂F₁(A, B; A+1; z) = (1−z)^{1−B}
//! ₂F₁(1, A+1−B; A+1; z)` (A&S 15.3.3). The terms of `S` decrease at least as
//! fast as `zⁿ`. Fader & Hardie write `s I = s/(r+s+x) · A₀`. `ln I =
//! ln(e^{ln G(tₓ)} − e^{ln G(T)})` is formed in log space, which stays finite
//! where the direct formula overflows or cancels (large `x`, `tₓ = T`: then
//! `I = 0` and `P(alive) = 1`). When `z > 0.995` the series would be slow and
//! `I` is integrated numerically instead ([`gauss_legendre_adaptive`]).
//!
//! ## Gradient
//!
//! Fitting uses the exact gradient. With `tₙ = (pₘ)ₙ/(A+1)ₙ zⁿ`, the series
//! is differentiated term by term,
//!
//! ```text
//! ∂S/∂pₘ|_A = Σₙ tₙ Σ_{j<n} 1/(pₘ+j),   ∂S/∂A = −Σₙ tₙ Σ_{j<n} 1/(A+1+j),
//! ∂S/∂z = Σₙ n tₙ / z,   ∂z/∂m = (k+y)/(m+y)²,   ∂z/∂k = −1/(m+y),
//! ```
//!
//! all summed in the same pass as `S` (they converge like `S`), which gives
//! `∂ ln G/∂(pₘ, pₖ, m, k)` and, through the orientation above, the
//! derivatives with respect to `(r, α, s, β)`; those of `ln Γ(r+x)/Γ(r)` are
//! digamma differences, computed once per distinct `x`. Identical rows are
//! merged into weights and `G(tₓ)` is shared by consecutive rows with the
//! same `(x, tₓ)` (all rows with `x = 0` have `tₓ = 0`). Rows whose series
//! would be slow (`z > 0.995`) are integrated numerically and differentiated
//! by central differences.
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

use super::fitting::{self, FitOptions, ModelFit};
use super::validate::{check_horizon, check_point, finite, TransactionSummary};
use super::{map_rows, TransactionModel};
use crate::error::positive;
use crate::special::{
    gauss_legendre_adaptive, gauss_legendre_rule, inv_one_plus_exp, ln_gamma, log_diff_exp,
    log_sum_exp, one_minus_pow_over,
};
use crate::{Error, Result};

/// Pareto/NBD parameters: `r`, `α` (purchase rate, gamma shape and rate) and
/// `s`, `β` (dropout rate, gamma shape and rate).
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
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

/// A fitted Pareto/NBD model (standard errors in the order `r, alpha, s, beta`).
pub type ParetoNbdFit = ModelFit<ParetoNbdParams>;

/// Fits Pareto/NBD by maximum likelihood (analytic gradient).
///
/// Errors as for [`bgnbd::fit`](super::bgnbd::fit).
pub fn fit(data: &TransactionSummary<'_>, options: &FitOptions) -> Result<ParetoNbdFit> {
    fitting::fit_model(data, false, Rows::new, options, |[r, alpha, s, beta]| {
        ParetoNbdParams::new(r, alpha, s, beta)
    })
}

mod likelihood;
pub(crate) use likelihood::row_log_likelihood_gradient;
use likelihood::*;

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
        let p = [self.r, self.alpha, self.s, self.beta];
        fitting::summary_log_likelihood(data, false, Rows::new, &p, "Pareto/NBD log-likelihood")
    }

    /// `ln A₀` of every row of `data`: `A₀ = (r+s+x) I(x, tₓ, T)` with `I`
    /// the integral of the module docs (Fader & Hardie 2005, "A note on
    /// deriving the Pareto/NBD model and related expressions", eqs. 19–20:
    /// the hypergeometric difference of the likelihood's second term),
    /// formed in log space so that it stays finite where the direct formula
    /// overflows (large `x`); `−∞` when `tₓ = T`. Rows are validated as for
    /// predictions.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidRows`] for bad rows,
    /// [`Error::NonFiniteResult`] when neither
    /// the series nor the quadrature gives a value.
    pub fn ln_a0(&self, data: &TransactionSummary<'_>) -> Result<Vec<f64>> {
        data.validate_for_prediction(false)?;
        (0..data.len())
            .map(|i| {
                let (x, t_x, age) = (data.frequency[i], data.recency[i], data.age[i]);
                self.ln_integral(x, t_x, age)
                    .map(|li| (self.r + self.s + x).ln() + li)
                    .ok_or(crate::Error::NonFiniteResult {
                        what: "Pareto/NBD ln A0",
                        row: Some(i),
                    })
            })
            .collect()
    }

    /// `ln I(x, tₓ, T)`; `−∞` when `tₓ = T`.
    fn ln_integral(&self, x: f64, t_x: f64, age: f64) -> Option<f64> {
        if t_x >= age {
            return Some(f64::NEG_INFINITY);
        }
        let orient = Orientation::new(self.r, self.alpha, self.s, self.beta, x);
        if let (Some(g_tx), Some(g_t)) = (orient.ln_tail(t_x), orient.ln_tail(age)) {
            let v = if g_tx > g_t {
                log_diff_exp(g_tx, g_t)
            } else {
                f64::NEG_INFINITY
            };
            return (!v.is_nan()).then_some(v);
        }
        self.ln_integral_quadrature(x, t_x, age, 1e-12)
    }

    /// `ln I` by adaptive quadrature to relative tolerance `tol`, on
    /// `w = ln(y + k)`, `k = min(α, β)`, which spreads the mass evenly when
    /// the integrand is a power law in `y`.
    fn ln_integral_quadrature(&self, x: f64, t_x: f64, age: f64, tol: f64) -> Option<f64> {
        let (r, alpha, s, beta) = (self.r, self.alpha, self.s, self.beta);
        let k = alpha.min(beta);
        let ln_f = |w: f64| {
            let y = w.exp() - k;
            w - (r + x) * (alpha + y).ln() - (s + 1.0) * (beta + y).ln()
        };
        let rule = gauss_legendre_rule(20);
        gauss_legendre_adaptive(&ln_f, (t_x + k).ln(), (age + k).ln(), &rule, tol, 40)
    }

    /// `K(0)` (see [`Orientation::scaled_tail`]) of the histories with
    /// `x = 0` (which all have `tₓ = 0`), shared by those rows in the batch
    /// predictions.
    fn zero_history_tail(&self) -> Option<f64> {
        Orientation::new(self.r, self.alpha, self.s, self.beta, 0.0).scaled_tail(0.0)
    }

    /// `P(alive)` of a validated history (module docs, eq. 18), with `K(tₓ)`
    /// supplied when already known.
    ///
    /// The odds against being alive are `s (α+T)^{r+x} (β+T)^s I = s [K(tₓ)
    /// ((α+T)/(α+tₓ))^{r+x} ((β+T)/(β+tₓ))^s − K(T)]`, which needs the series
    /// and two logarithms; an overflowing first term means `P(alive) = 0`.
    fn alive(&self, x: f64, t_x: f64, age: f64, known_tx: Option<f64>) -> Result<f64> {
        let (r, alpha, s, beta) = (self.r, self.alpha, self.s, self.beta);
        if t_x >= age {
            return Ok(1.0);
        }
        let orient = Orientation::new(r, alpha, s, beta, x);
        let k_tx = known_tx.or_else(|| orient.scaled_tail(t_x));
        let p = if let (Some(k_tx), Some(k_t)) = (k_tx, orient.scaled_tail(age)) {
            let growth = ((r + x) * ((alpha + age) / (alpha + t_x)).ln()
                + s * ((beta + age) / (beta + t_x)).ln())
            .exp();
            let odds = s * (k_tx * growth - k_t);
            1.0 / (1.0 + odds.max(0.0))
        } else {
            let ln_i = self
                .ln_integral(x, t_x, age)
                .ok_or(Error::NonFiniteResult {
                    what: "Pareto/NBD probability alive",
                    row: None,
                })?;
            inv_one_plus_exp(s.ln() + (r + x) * (alpha + age).ln() + s * (beta + age).ln() + ln_i)
        };
        finite("Pareto/NBD probability alive", None, p.clamp(0.0, 1.0))
    }

    /// `E[Y(t) | x, tₓ, T]` of a validated history and horizon (eq. 22).
    fn conditional(
        &self,
        t: f64,
        x: f64,
        t_x: f64,
        age: f64,
        known_tx: Option<f64>,
    ) -> Result<f64> {
        let alive = self.alive(x, t_x, age, known_tx)?;
        self.conditional_given_alive(t, x, age, alive)
    }

    /// Eq. 22 with P(alive) known.
    fn conditional_given_alive(&self, t: f64, x: f64, age: f64, alive: f64) -> Result<f64> {
        let bt = self.beta + age;
        let v = alive * (self.r + x) * bt / (self.alpha + age)
            * one_minus_pow_over(self.s - 1.0, -(t / bt).ln_1p());
        finite(
            "Pareto/NBD conditional expected purchases",
            None,
            v.max(0.0),
        )
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
        check_point(frequency, recency, age, false)?;
        self.conditional(t, frequency, recency, age, None)
    }

    fn probability_alive(&self, frequency: f64, recency: f64, age: f64) -> Result<f64> {
        check_point(frequency, recency, age, false)?;
        self.alive(frequency, recency, age, None)
    }

    fn conditional_expected_purchases_at(
        &self,
        horizons: &[f64],
        frequency: f64,
        recency: f64,
        age: f64,
        out: &mut Vec<f64>,
    ) -> Result<()> {
        check_point(frequency, recency, age, false)?;
        let alive = self.alive(frequency, recency, age, None)?;
        out.clear();
        for &t in horizons {
            let t = check_horizon("t", t)?;
            out.push(self.conditional_given_alive(t, frequency, age, alive)?);
        }
        Ok(())
    }

    // The batch versions validate the columns once and share `K(0)` among
    // the rows with `x = tₓ = 0`.
    fn probability_alive_batch(&self, data: &TransactionSummary<'_>) -> Result<Vec<f64>> {
        let k0 = self.zero_history_tail();
        map_rows(data, false, |x, t_x, age| {
            self.alive(x, t_x, age, if x == 0.0 && t_x == 0.0 { k0 } else { None })
        })
    }

    fn conditional_expected_purchases_batch(
        &self,
        t: f64,
        data: &TransactionSummary<'_>,
    ) -> Result<Vec<f64>> {
        let t = check_horizon("t", t)?;
        let k0 = self.zero_history_tail();
        map_rows(data, false, |x, t_x, age| {
            self.conditional(
                t,
                x,
                t_x,
                age,
                if x == 0.0 && t_x == 0.0 { k0 } else { None },
            )
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::models::fitting::Likelihood;

    fn cdnow() -> ParetoNbdParams {
        ParetoNbdParams::new(0.5532, 10.578, 0.6062, 11.669).unwrap()
    }

    #[test]
    fn integral_matches_quadrature() {
        for m in [cdnow(), ParetoNbdParams::new(0.5, 3.0, 0.8, 20.0).unwrap()] {
            for &(x, tx, t) in &[(0.0, 0.0, 38.0), (2.0, 30.43, 38.86), (50.0, 10.0, 39.0)] {
                let series = m.ln_integral(x, tx, t).unwrap();
                let quad = m.ln_integral_quadrature(x, tx, t, 1e-13).unwrap();
                assert!(
                    (series - quad).abs() < 1e-9,
                    "{x} {tx} {t}: {series} vs {quad}"
                );
            }
        }
    }

    #[test]
    fn gradient_matches_finite_differences() {
        let x = [0.0, 0.0, 1.0, 5.0, 2.0, 40.0, 3.0];
        let tx = [0.0, 0.0, 3.0, 20.0, 30.0, 38.0, 38.0];
        let age = [10.0, 38.0, 30.0, 35.0, 38.0, 38.5, 38.0];
        let rows = Rows::new(&TransactionSummary::new(&x, &tx, &age));
        // α ≈ β, α > β, α < β, and |α − β| large enough for quadrature.
        for p in [
            [0.55, 10.6, 0.61, 11.7],
            [0.3, 4.0, 0.8, 2.5],
            [1.5, 2.0, 0.4, 30.0],
            [0.5, 0.01, 0.7, 50.0],
        ] {
            fitting::assert_gradient_matches(&rows, &p);
        }
    }

    #[test]
    fn likelihood_and_gradient_finite_for_extreme_histories() {
        let x = [132.0, 10_000.0, 10_000.0, 10_000.0, 0.0, 3.0];
        let tx = [200.0, 200.0, 199.0, 1.0, 0.0, 199.999_999_999];
        let age = [200.0, 200.0, 200.0, 200.0, 200.0, 200.0];
        let rows = Rows::new(&TransactionSummary::new(&x, &tx, &age));
        for p in [
            [0.5532, 10.578, 0.6062, 11.669],
            [0.5, 0.01, 0.7, 50.0],
            [2.0, 80.0, 0.3, 0.05],
        ] {
            let mut g = [0.0; 4];
            let ll = rows.log_likelihood_gradient(&p, &mut g).unwrap();
            assert!(ll.is_finite() && g.iter().all(|v| v.is_finite()), "{p:?}");
        }
    }

    #[test]
    fn likelihood_matches_quadrature() {
        // Row by row, the series bracket against direct quadrature of I.
        for p in [cdnow(), ParetoNbdParams::new(1.5, 2.0, 0.4, 30.0).unwrap()] {
            for &(x, tx, t) in &[(0.0, 0.0, 38.0), (2.0, 30.43, 38.86), (50.0, 10.0, 39.0)] {
                let o = Orientation::new(p.r, p.alpha, p.s, p.beta, x);
                let (fast, _) =
                    ln_bracket_gradient(&p, &o, x, tx, t, o.ln_tail_gradient(tx)).unwrap();
                let ln_i = p.ln_integral_quadrature(x, tx, t, 1e-13).unwrap();
                let alive = -(p.r + x) * (p.alpha + t).ln() - p.s * (p.beta + t).ln();
                let slow = log_sum_exp(alive, p.s.ln() + ln_i);
                assert!((fast - slow).abs() < 1e-10, "{fast} vs {slow}");
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
