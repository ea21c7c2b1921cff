//! GGompertz/NBD: the model of Bemmaor & Glady (2012), a Pareto/NBD whose
//! exponential lifetimes are replaced by Gompertz lifetimes, in the
//! parameterisation of the R package CLVTools (`ggomnbd`).
//!
//! # Model
//!
//! While alive a customer buys as a Poisson process with rate
//! `λ ~ Gamma(r, α)` (shape `r`, rate `α`). Her lifetime `τ` is Gompertz,
//! `P(τ > t | η) = exp(−η (e^{bt} − 1))`, with a scale `b > 0` common to
//! all customers and `η ~ Gamma(s, β)` independent of `λ`. Integrating `η`
//! out gives the survival and density of the lifetime
//!
//! ```text
//! S(t) = (β / (β + e^{bt} − 1))ˢ,   g(t) = s b βˢ e^{bt} (β + e^{bt} − 1)^{−(s+1)}
//! ```
//!
//! (Bemmaor & Glady 2012, eqs. 3–4). `b` is a rate (per time unit), `β`
//! is dimensionless.
//!
//! ## The Pareto/NBD limit
//!
//! As `b → 0` with `β = b β_P`, `β + e^{bt} − 1 = b (β_P + t) + O(b²t²)`,
//! so `S(t) → (β_P / (β_P + t))ˢ`: the lifetime of Pareto/NBD with dropout
//! rate `μ ~ Gamma(s, β_P)`. Every likelihood and prediction below then
//! tends to Pareto/NBD's with parameters `(r, α, s, β_P = β/b)`, which the
//! tests check at small `b`. On data with little ageing of the customer
//! base (such as CDNOW) the maximum likelihood estimate drifts towards this
//! limit: `b` and `β` both go to 0 along a ridge of nearly constant
//! likelihood, and only `β/b` is identified.
//!
//! # Likelihood
//!
//! With `x` repeat purchases, the last at `tₓ`, observed for `T`
//! (Bemmaor & Glady 2012, eq. 6):
//!
//! ```text
//! L = Γ(r+x) αʳ βˢ / Γ(r) · [ A + s I ],
//! A = (α+T)^{−(r+x)} (β + e^{bT} − 1)^{−s},
//! I = ∫_{tₓ}^{T} (α+y)^{−(r+x)} b e^{by} (β + e^{by} − 1)^{−(s+1)} dy,
//! ```
//!
//! the first term for a customer still alive at `T`, the second for one who
//! died at `y ∈ (tₓ, T]`. `I` has no closed form. It is computed on
//! `w = ln(α + y)` (which makes the power-law factor slowly varying) by
//! adaptive Gauss–Kronrod quadrature (see the `quadrature` submodule):
//! relative error estimate `≤ 1e-10`, at most 64 panels of 15 points, all
//! in log space so that `x` in the thousands stays finite. `e^{by} − 1` is
//! formed with `expm1`, so that `β + e^{by} − 1` keeps its precision when
//! `b` and `β` are tiny (the Pareto/NBD limit).
//!
//! The gradient is exact for the computed integral: the derivatives of the
//! log-integrand in `(r, α, b, s, β)` are integrated against it with the
//! same nodes, `∂ ln I/∂θ = ∫ f ∂ln f/∂θ / ∫ f`.
//!
//! # Predictions
//!
//! * `P(alive | x, tₓ, T) = A / (A + s I)` (the share of the first term);
//! * `E[X(t)] = (r/α) ∫₀ᵗ S(u) du` (expected purchase rate times the expected
//!   time alive in `(0, t]`; Bemmaor & Glady write the same quantity as
//!   `t S(t) + ∫₀ᵗ u g(u) du`);
//! * `E[Y(t) | x, tₓ, T] = P(alive) · (r+x)/(α+T) · ∫₀ᵗ ((β + e^{bT} − 1) /
//!   (β + e^{b(T+v)} − 1))ˢ dv`: given alive at `T`, `λ` is
//!   `Gamma(r+x, α+T)` and `η` is `Gamma(s, β + e^{bT} − 1)`, independent,
//!   and the integral is the expected time alive in `(T, T+t]`. This is the
//!   corrected conditional expectation (Adler 2022), which CLVTools uses
//!   since its erratum fix;
//! * `P(X(t) = n) = NB_t(n) S(t) + ∫₀ᵗ g(τ) NB_τ(n) dτ`, with
//!   `NB_τ(n) = Γ(r+n)/(Γ(r) n!) (α/(α+τ))ʳ (τ/(α+τ))ⁿ`: `n` purchases while
//!   alive through `t`, or death at `τ ≤ t` after `n` purchases.
//!
//! The integrals of the predictions use the same quadrature.
//!
//! # Covariates
//!
//! Time-invariant covariates (`αᵢ = α e^{−γ_trans·zᵢ}`,
//! `βᵢ = β e^{−γ_life·wᵢ}`, CLVTools' form) are in
//! [`covariates::ggomnbd`](crate::models::covariates::ggomnbd), which
//! evaluates this likelihood at per-row parameters.
//!
//! # References
//!
//! * Bemmaor, A. C. & Glady, N. (2012). Modeling purchasing behavior with
//!   sudden "death": a flexible customer lifetime model. *Management
//!   Science* 58(5), 1012–1021.
//! * Adler, J. (2022). Comment on "Modeling purchasing behavior with sudden
//!   'death': a flexible customer lifetime model". *Management Science*.
//! * Meierer, P., Bachmann, P., Haubner, J. & Kollmann, M. CLVTools: a
//!   toolbox for customer lifetime value modelling (R package).

pub(crate) mod likelihood;
mod quadrature;

use super::fitting::{self, FitOptions, ModelFit};
use super::validate::{check_horizon, check_point, finite, TransactionSummary};
use super::TransactionModel;
use crate::error::positive;
use crate::special::{inv_one_plus_exp, ln_gamma, log_sum_exp};
use crate::{Error, Result};
use likelihood::{gompertz_terms, ln_alive_part, ln_integral, Rows};
use quadrature::integrate;

/// GGompertz/NBD parameters: `r`, `α` (purchase rate, gamma shape and
/// rate), `b` (Gompertz scale) and `s`, `β` (gamma shape and rate of the
/// Gompertz `η`).
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub struct GgomNbdParams {
    /// Gamma shape of the purchase rate.
    pub r: f64,
    /// Gamma rate of the purchase rate, in the data's time unit.
    pub alpha: f64,
    /// Gompertz scale, per time unit of the data.
    pub b: f64,
    /// Gamma shape of the lifetime's `η`.
    pub s: f64,
    /// Gamma rate of the lifetime's `η` (dimensionless).
    pub beta: f64,
}

/// A fitted GGompertz/NBD model (standard errors in the order
/// `r, alpha, b, s, beta`).
pub type GgomNbdFit = ModelFit<GgomNbdParams>;

/// Fits GGompertz/NBD by maximum likelihood (analytic gradient of the
/// quadrature).
///
/// When the data show no ageing of the customer base the estimate runs
/// into the Pareto/NBD limit (module docs): `b` and `β` end tiny, only
/// `β/b` and the log-likelihood are meaningful, and the observed
/// information is singular along that ridge, so the standard errors are
/// `None` (CDNOW and CLVTools' apparel data both behave so). The first
/// built-in start has moderate ageing (`b T ≈ 1`); a start near the
/// Pareto/NBD limit can end on Pareto/NBD's own flat edge (`s → ∞`) when
/// the data favour ageing, so pass `initial_params` to explore.
///
/// Errors as for [`bgnbd::fit`](super::bgnbd::fit).
pub fn fit(data: &TransactionSummary<'_>, options: &FitOptions) -> Result<GgomNbdFit> {
    fitting::fit_model(data, false, Rows::new, options, |[r, alpha, b, s, beta]| {
        GgomNbdParams::new(r, alpha, b, s, beta)
    })
}

const WHAT_ALIVE: &str = "GGompertz/NBD probability alive";
const WHAT_CET: &str = "GGompertz/NBD conditional expected purchases";
const WHAT_EXPECTED: &str = "GGompertz/NBD expected purchases";
const WHAT_PMF: &str = "GGompertz/NBD purchase-count probability";

fn failed(what: &'static str) -> Error {
    Error::NonFiniteResult { what, row: None }
}

impl GgomNbdParams {
    /// Builds parameters, checking that each is finite and `> 0`.
    pub fn new(r: f64, alpha: f64, b: f64, s: f64, beta: f64) -> Result<Self> {
        Ok(GgomNbdParams {
            r: positive("r", r)?,
            alpha: positive("alpha", alpha)?,
            b: positive("b", b)?,
            s: positive("s", s)?,
            beta: positive("beta", beta)?,
        })
    }

    /// Total log-likelihood `Σ wᵢ ln Lᵢ` of `data` at these parameters.
    pub fn log_likelihood(&self, data: &TransactionSummary<'_>) -> Result<f64> {
        let p = [self.r, self.alpha, self.b, self.s, self.beta];
        fitting::summary_log_likelihood(data, false, Rows::new, &p, "GGompertz/NBD log-likelihood")
    }

    /// `S(t)`, the probability that a new customer's lifetime exceeds `t`.
    pub fn survival(&self, t: f64) -> Result<f64> {
        let t = check_horizon("t", t)?;
        let (ld, _) = gompertz_terms(self.b, self.beta, t);
        finite(
            "GGompertz/NBD survival",
            None,
            (self.s * (self.beta.ln() - ld)).exp().clamp(0.0, 1.0),
        )
    }

    /// `P(alive)` of a validated history.
    fn alive(&self, x: f64, t_x: f64, age: f64) -> Result<f64> {
        if t_x >= age {
            return Ok(1.0);
        }
        let (ln_a, _) = ln_alive_part(self, x, age);
        let ln_i = ln_integral(self, x, t_x, age).ok_or(failed(WHAT_ALIVE))?;
        let p = inv_one_plus_exp(self.s.ln() + ln_i - ln_a);
        finite(WHAT_ALIVE, None, p.clamp(0.0, 1.0))
    }

    /// `E[Y(t) | x, tₓ, T]` of a validated history and horizon.
    fn conditional(&self, t: f64, x: f64, t_x: f64, age: f64) -> Result<f64> {
        if t == 0.0 {
            return Ok(0.0);
        }
        let alive = self.alive(x, t_x, age)?;
        let (b, beta, s) = (self.b, self.beta, self.s);
        let (ld_t, _) = gompertz_terms(b, beta, age);
        let window = integrate(
            |v, _: &mut [f64; 0]| -s * (gompertz_terms(b, beta, age + v).0 - ld_t),
            0.0,
            t,
        )
        .ok_or(failed(WHAT_CET))?;
        let v = alive * (self.r + x) / (self.alpha + age) * window.ln_value.exp();
        finite(WHAT_CET, None, v.max(0.0))
    }

    /// Probability of exactly `n` repeat purchases in `(0, t]` for a new
    /// customer.
    pub fn probability_of_purchases(&self, n: u64, t: f64) -> Result<f64> {
        let t = check_horizon("t", t)?;
        if t == 0.0 {
            return Ok(if n == 0 { 1.0 } else { 0.0 });
        }
        let GgomNbdParams {
            r,
            alpha,
            b,
            s,
            beta,
        } = *self;
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
        let ln_beta = beta.ln();
        let alive = ln_nb(t) + s * (ln_beta - gompertz_terms(b, beta, t).0);
        let ln_g = |tau: f64| {
            let (ld, _) = gompertz_terms(b, beta, tau);
            s.ln() + b.ln() + s * ln_beta + b * tau - (s + 1.0) * ld + ln_nb(tau)
        };
        let dead = integrate(|tau, _: &mut [f64; 0]| ln_g(tau), 0.0, t)
            .ok_or(failed(WHAT_PMF))?
            .ln_value;
        let p = log_sum_exp(alive, dead).exp();
        finite(WHAT_PMF, None, p.clamp(0.0, 1.0))
    }
}

impl TransactionModel for GgomNbdParams {
    fn expected_purchases(&self, t: f64) -> Result<f64> {
        let t = check_horizon("t", t)?;
        if t == 0.0 {
            return Ok(0.0);
        }
        let (b, beta, s) = (self.b, self.beta, self.s);
        let ln_beta = beta.ln();
        let alive_time = integrate(
            |u, _: &mut [f64; 0]| s * (ln_beta - gompertz_terms(b, beta, u).0),
            0.0,
            t,
        )
        .ok_or(failed(WHAT_EXPECTED))?;
        let v = self.r / self.alpha * alive_time.ln_value.exp();
        finite(WHAT_EXPECTED, None, v.max(0.0))
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
        self.conditional(t, frequency, recency, age)
    }

    fn probability_alive(&self, frequency: f64, recency: f64, age: f64) -> Result<f64> {
        check_point(frequency, recency, age, false)?;
        self.alive(frequency, recency, age)
    }
}

#[cfg(test)]
mod tests;
