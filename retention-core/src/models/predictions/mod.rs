//! Predictions beyond the end of calibration for the continuous-time
//! transaction models (BG/NBD, MBG/NBD, Pareto/NBD): P(alive) at a future
//! time, the conditional distribution of the number of purchases, the
//! discounted expected residual transactions (DERT), the wait until the
//! next purchase, and intervals around these figures ([`intervals`]).
//!
//! # One idea behind all of them
//!
//! Seen from the end of calibration `T`, a customer with history
//! `(x, tₓ, T)` is dead with probability `1 − P(alive)`; if alive, her
//! latent rates have the posterior of an alive customer, and because every
//! model's lifetime is memoryless (an exponential lifetime, or a coin
//! tossed after each purchase) she behaves from `T` on exactly as a *new*
//! customer of a model with updated parameters, the **residual model**
//! ([`ResidualCustomer`]):
//!
//! | model | alive-customer likelihood | residual model from `T` |
//! |---|---|---|
//! | Pareto/NBD `(r, α, s, β)` | `λˣ e^{−λT} e^{−μT}` | Pareto/NBD `(r+x, α+T, s, β+T)` |
//! | BG/NBD `(r, α, a, b)` | `λˣ e^{−λT} (1−p)ˣ` | BG/NBD `(r+x, α+T, a, b+x)` |
//! | MBG/NBD `(r, α, a, b)` | `λˣ e^{−λT} (1−p)^{x+1}` | BG/NBD `(r+x, α+T, a, b+x+1)` |
//! | GGompertz/NBD `(r, α, b, s, β)` | `λˣ e^{−λT} e^{−η(e^{bT}−1)}` | GGompertz/NBD `(r+x, α+T, b, s, β e^{−bT} + 1 − e^{−bT})` |
//!
//! (gamma–Poisson and beta–Bernoulli conjugacy; MBG/NBD's extra drop-out
//! chance at time 0 is already behind an alive customer, so her future is
//! a BG/NBD one). The Gompertz lifetime is not memoryless, but its
//! remaining part is again Gompertz: `P(τ > T+u | τ > T, η) =
//! exp(−η e^{bT} (e^{bu} − 1))`, and `η e^{bT}` is gamma with rate
//! `(β + e^{bT} − 1) e^{−bT}` for an alive customer. The existing closed forms follow: for instance the
//! conditional expectation of every model is `P(alive) · E_residual[X(t)]`
//! (Fader, Hardie & Lee 2005a, eq. 10; Fader & Hardie 2005, eq. 22), which
//! the tests check. Every prediction below is `P(alive)` times the same
//! quantity for a new customer of the residual model, plus, for counts, the
//! dead customer's certain zero.
//!
//! # P(alive) at a future time
//!
//! `P(alive at T+τ | x, tₓ, T) = P(alive at T | …) · S_res(τ)`, with
//! `S(τ)` the probability that a new customer is still alive at `τ`
//! (marginal over whatever she buys in between):
//!
//! * Pareto/NBD: `S(τ) = E[e^{−μτ}] = (β/(β+τ))ˢ`, so for a history
//!   `P(alive) · ((β+T)/(β+T+τ))ˢ` (the form pymc-marketing uses);
//! * BG/NBD: she drops out only at a purchase, so given `(λ, p)` the
//!   drop-outs in `(0, τ]` are a thinned Poisson process of rate `λp` and
//!   `S(τ) = E[e^{−λpτ}] = E_p[(α/(α+pτ))ʳ] = ₂F₁(r, a; a+b; −τ/α)`
//!   (Euler's integral), evaluated as the beta expectation by quadrature;
//! * MBG/NBD new customer: `S(τ) = E[(1−p) e^{−λpτ}]`, which is
//!   `b/(a+b)` times the BG/NBD value with `b+1` (its residual model is
//!   BG/NBD, so histories never need this);
//! * GGompertz/NBD: `S(τ) = (β/(β + e^{bτ} − 1))ˢ` (Bemmaor & Glady 2012).
//!
//! [`TransactionModelParams::probability_alive_given_no_purchase`] is the
//! other reading, alive at `T+τ` *given no purchase in `(T, T+τ]`*: that
//! is the ordinary P(alive) at age `T+τ` with the same `(x, tₓ)`.
//!
//! # Purchases in the next `t`
//!
//! `P(X(T, T+t) = n | x, tₓ, T) = (1 − P(alive)) 1{n=0} + P(alive) ·
//! P_res(X(t) = n)`, with the new-customer probabilities of each model
//! (FHL 2005a eq. 8 for BG/NBD; the Pareto/NBD one by quadrature, see
//! [`pareto_nbd`](super::pareto_nbd)). For Pareto/NBD this equals Fader &
//! Hardie's closed form (2006 note "Deriving the conditional PMF of the
//! Pareto/NBD model", eq. 16, which `lifetimes` implements; the Python
//! tests compare). `n` is at most [`MAX_PURCHASE_COUNT`].
//!
//! # DERT
//!
//! The discounted expected residual transactions at continuous discount
//! rate `δ > 0` are `E[∫₀^∞ e^{−δt} dX(T, T+t)] = P(alive) · D_res(δ)`, with
//! `D(δ) = ∫₀^∞ e^{−δt} dE[X(t)] = δ ∫₀^∞ e^{−δt} E[X(t)] dt` for a new
//! customer:
//!
//! * Pareto/NBD (Fader, Hardie & Lee 2005b, eq. 2):
//!   `D(δ) = (r/α) ∫₀^∞ e^{−δt} (β/(β+t))ˢ dt = (r/α) βˢ δ^{s−1}
//!   U(s, s; δβ)`, with Tricomi's confluent hypergeometric function `U`
//!   (`U(s, s; z) = e^z Γ(1−s, z)`). It is evaluated as the integral, by
//!   adaptive Gauss–Legendre quadrature in `w = ln(1 + t/β)`, where the
//!   integrand is smooth, up to `t = 50/δ` (the rest is below `e^{−50}`
//!   relative);
//! * BG/NBD: no closed form is published (CLVTools has DERT for
//!   Pareto/NBD and BG/BB only). The purchase rate at `t` is
//!   `E[λ e^{−λpt}] = (r/α) E_p[(1 + pt/α)^{−(r+1)}]`, so
//!   `D(δ) = (r/α) ∫₀^∞ e^{−δt} ₂F₁(r+1, a; a+b; −t/α) dt`, the ₂F₁ by
//!   Pfaff's transformation to an argument in `[0, 1)`, the integral by
//!   the same quadrature; MBG/NBD's new customer is `b/(a+b)` times the
//!   BG/NBD value with `b+1`;
//! * GGompertz/NBD: `D(δ) = (r/α) ∫₀^∞ e^{−δt} S(t) dt` with its survival
//!   `S` above, by the same quadrature.
//!
//! Multiply by the expected spend per transaction for the residual value.
//!
//! # BG/BB
//!
//! The discrete-time model has the same structure; its conditional
//! transaction-count distribution and DERT (discount rate per opportunity)
//! are in [`bgbb`].
//!
//! # The next purchase
//!
//! A customer who has dropped out never buys again, so the unconditional
//! expected wait is infinite whenever `P(alive) < 1`; [`NextPurchase`]
//! therefore reports, next to `P(alive)`:
//!
//! * the probability of at least one purchase in the next `t`,
//!   `1 − P(X(T, T+t) = 0 | …)` (dropping out included);
//! * for an alive customer who stays alive until then, the wait is
//!   exponential with rate `λ`, `λ ~ Gamma(r+x, α+T)`: its mean
//!   `(α+T)/(r+x−1)` (infinite, reported as `None`, when `r+x ≤ 1`) and
//!   median `(α+T)(2^{1/(r+x)} − 1)`. For BG/NBD and MBG/NBD an alive
//!   customer cannot drop out before her next purchase, so these are the
//!   wait given alive; for Pareto/NBD they ignore the chance of dropping
//!   out first.
//!
//! # Limits
//!
//! Horizons (`t`, `τ`) are finite and `≥ 0`: the work does not grow with
//! them (closed forms or adaptive quadrature of bounded depth). `n` is at
//! most [`MAX_PURCHASE_COUNT`] (the BG/NBD probabilities sum `n` terms).
//!
//! # References
//!
//! * Fader, P. S., Hardie, B. G. S. & Lee, K. L. (2005a). "Counting your
//!   customers" the easy way. *Marketing Science* 24(2), 275–284.
//! * Fader, P. S., Hardie, B. G. S. & Lee, K. L. (2005b). RFM and CLV:
//!   using iso-value curves for customer base analysis. *Journal of
//!   Marketing Research* 42(4), 415–430.
//! * Fader, P. S. & Hardie, B. G. S. (2005). A note on deriving the
//!   Pareto/NBD model and related expressions.
//! * Fader, P. S. & Hardie, B. G. S. (2006). Deriving the conditional PMF
//!   of the Pareto/NBD model.
//! * Batislam, E. P., Denizel, M. & Filiztekin, A. (2007). Empirical
//!   validation and comparison of models for customer base analysis.
//!   *IJRM* 24(3), 201–209.

pub mod bgbb;
pub mod intervals;
mod residual;

pub use residual::{NextPurchase, ResidualCustomer};

use super::validate::{check_horizon, check_point, TransactionSummary};
use super::{map_rows, TransactionModelParams};
use crate::{Error, Result};

/// Largest purchase count `n` accepted by the purchase-count probabilities.
pub const MAX_PURCHASE_COUNT: u64 = 100_000;

/// Checks a purchase count against [`MAX_PURCHASE_COUNT`].
pub(crate) fn check_count(n: u64) -> Result<u64> {
    if n <= MAX_PURCHASE_COUNT {
        Ok(n)
    } else {
        Err(Error::parameter(
            "n",
            n,
            "must be at most MAX_PURCHASE_COUNT (100000)",
        ))
    }
}

/// Checks a continuous discount rate: finite and `> 0`.
pub(crate) fn check_discount(delta: f64) -> Result<f64> {
    if delta.is_finite() && delta > 0.0 {
        Ok(delta)
    } else {
        Err(Error::parameter(
            "discount_rate",
            delta,
            "must be a finite number > 0",
        ))
    }
}

impl TransactionModelParams {
    /// The customer with history `(x, tₓ, T)` seen from `T`: her P(alive)
    /// and the residual model (module docs).
    ///
    /// Errors: an invalid history.
    pub fn residual(&self, frequency: f64, recency: f64, age: f64) -> Result<ResidualCustomer> {
        check_point(frequency, recency, age, false)?;
        residual::residual(self, frequency, recency, age)
    }

    /// P(alive at `T + τ`) for a customer with history `(x, tₓ, T)`,
    /// marginal over her purchases in `(T, T+τ]` (module docs).
    ///
    /// Errors: an invalid history, `τ` not finite or negative.
    pub fn probability_alive_at(
        &self,
        tau: f64,
        frequency: f64,
        recency: f64,
        age: f64,
    ) -> Result<f64> {
        let tau = check_horizon("tau", tau)?;
        self.residual(frequency, recency, age)?
            .probability_alive_at(tau)
    }

    /// P(alive at `T + τ` | no purchase in `(T, T+τ]`): the ordinary
    /// P(alive) of the history `(x, tₓ, T+τ)`.
    ///
    /// Errors: an invalid history, `τ` not finite or negative.
    pub fn probability_alive_given_no_purchase(
        &self,
        tau: f64,
        frequency: f64,
        recency: f64,
        age: f64,
    ) -> Result<f64> {
        let tau = check_horizon("tau", tau)?;
        check_point(frequency, recency, age, false)?;
        self.model()
            .probability_alive(frequency, recency, age + tau)
    }

    /// `P(X(T, T+t) = n | x, tₓ, T)`: exactly `n` purchases in the next `t`
    /// (module docs).
    ///
    /// Errors: an invalid history, `t` not finite or negative, `n` above
    /// [`MAX_PURCHASE_COUNT`].
    pub fn conditional_probability_of_purchases(
        &self,
        n: u64,
        t: f64,
        frequency: f64,
        recency: f64,
        age: f64,
    ) -> Result<f64> {
        let n = check_count(n)?;
        let t = check_horizon("t", t)?;
        self.residual(frequency, recency, age)?
            .probability_of_purchases(n, t)
    }

    /// Discounted expected residual transactions at continuous discount
    /// rate `δ` per time unit (module docs).
    ///
    /// Errors: an invalid history, `δ` not finite and `> 0`.
    pub fn dert(&self, discount_rate: f64, frequency: f64, recency: f64, age: f64) -> Result<f64> {
        let delta = check_discount(discount_rate)?;
        self.residual(frequency, recency, age)?.dert(delta)
    }

    /// Figures on the next purchase within horizon `t` (module docs).
    ///
    /// Errors: an invalid history, `t` not finite or negative.
    pub fn next_purchase(
        &self,
        t: f64,
        frequency: f64,
        recency: f64,
        age: f64,
    ) -> Result<NextPurchase> {
        let t = check_horizon("t", t)?;
        self.residual(frequency, recency, age)?.next_purchase(t)
    }

    /// [`probability_alive_at`](Self::probability_alive_at) for every row of
    /// `data` (weights ignored; every invalid row reported at once).
    pub fn probability_alive_at_batch(
        &self,
        tau: f64,
        data: &TransactionSummary<'_>,
    ) -> Result<Vec<f64>> {
        let tau = check_horizon("tau", tau)?;
        map_rows(data, false, |x, t_x, age| {
            residual::residual(self, x, t_x, age)?.probability_alive_at(tau)
        })
    }

    /// [`probability_alive_given_no_purchase`](Self::probability_alive_given_no_purchase)
    /// for every row of `data`.
    pub fn probability_alive_given_no_purchase_batch(
        &self,
        tau: f64,
        data: &TransactionSummary<'_>,
    ) -> Result<Vec<f64>> {
        let tau = check_horizon("tau", tau)?;
        map_rows(data, false, |x, t_x, age| {
            self.model().probability_alive(x, t_x, age + tau)
        })
    }

    /// [`conditional_probability_of_purchases`](Self::conditional_probability_of_purchases)
    /// for every row of `data`.
    pub fn conditional_probability_of_purchases_batch(
        &self,
        n: u64,
        t: f64,
        data: &TransactionSummary<'_>,
    ) -> Result<Vec<f64>> {
        let n = check_count(n)?;
        let t = check_horizon("t", t)?;
        map_rows(data, false, |x, t_x, age| {
            residual::residual(self, x, t_x, age)?.probability_of_purchases(n, t)
        })
    }

    /// [`dert`](Self::dert) for every row of `data`.
    pub fn dert_batch(
        &self,
        discount_rate: f64,
        data: &TransactionSummary<'_>,
    ) -> Result<Vec<f64>> {
        let delta = check_discount(discount_rate)?;
        map_rows(data, false, |x, t_x, age| {
            residual::residual(self, x, t_x, age)?.dert(delta)
        })
    }

    /// [`next_purchase`](Self::next_purchase) for every row of `data`.
    pub fn next_purchase_batch(
        &self,
        t: f64,
        data: &TransactionSummary<'_>,
    ) -> Result<Vec<NextPurchase>> {
        let t = check_horizon("t", t)?;
        data.validate(false)?;
        let mut out = Vec::with_capacity(data.len());
        for (i, ((&x, &t_x), &age)) in data
            .frequency
            .iter()
            .zip(data.recency)
            .zip(data.age)
            .enumerate()
        {
            let row = residual::residual(self, x, t_x, age)
                .and_then(|c| c.next_purchase(t))
                .map_err(|e| match e {
                    Error::NonFiniteResult { what, row: None } => {
                        Error::NonFiniteResult { what, row: Some(i) }
                    }
                    other => other,
                })?;
            out.push(row);
        }
        Ok(out)
    }
}
