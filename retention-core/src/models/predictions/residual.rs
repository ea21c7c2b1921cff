//! The residual model of a customer seen from the end of calibration, and
//! the new-customer quantities it needs (see the parent module's docs).

use super::super::bgnbd::BgNbdParams;
use super::super::pareto_nbd::ParetoNbdParams;
use super::super::validate::finite;
use super::super::TransactionModelParams;
use crate::special::{gauss_legendre_adaptive, gauss_legendre_rule, hyp2f1, ln_beta, log_sum_exp};
use crate::{Error, Result};

/// Relative tolerance of the quadratures here.
const QUADRATURE_TOLERANCE: f64 = 1e-12;
/// Depth limit of the adaptive quadratures (bounded work).
const QUADRATURE_DEPTH: u32 = 40;

/// A customer seen from the end of calibration `T`: alive with
/// probability [`probability_alive`](Self::probability_alive), and, if
/// alive, a new customer of [`future`](Self::future) from `T` on.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct ResidualCustomer {
    /// P(alive at `T`).
    pub probability_alive: f64,
    /// The residual model (Pareto/NBD for Pareto/NBD; BG/NBD for BG/NBD
    /// and MBG/NBD), time measured from `T`.
    pub future: TransactionModelParams,
}

/// Figures on a customer's next purchase (parent module docs).
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct NextPurchase {
    /// P(alive at `T`).
    pub probability_alive: f64,
    /// Probability of at least one purchase in `(T, T+t]` (dead customers
    /// included, as zero).
    pub probability_of_purchase: f64,
    /// Mean wait until the next purchase of a customer alive at `T` who
    /// stays alive until then, `(α+T)/(r+x−1)`; `None` (infinite) when
    /// `r + x ≤ 1`.
    pub mean_wait_if_alive: Option<f64>,
    /// Median of that wait, `(α+T)(2^{1/(r+x)} − 1)`.
    pub median_wait_if_alive: f64,
}

/// The residual customer of a validated history.
pub(super) fn residual(
    model: &TransactionModelParams,
    x: f64,
    t_x: f64,
    age: f64,
) -> Result<ResidualCustomer> {
    let probability_alive = model.model().probability_alive(x, t_x, age)?;
    let future = match *model {
        TransactionModelParams::ParetoNbd(p) => TransactionModelParams::ParetoNbd(
            ParetoNbdParams::new(p.r + x, p.alpha + age, p.s, p.beta + age)?,
        ),
        TransactionModelParams::BgNbd(p) => {
            TransactionModelParams::BgNbd(BgNbdParams::new(p.r + x, p.alpha + age, p.a, p.b + x)?)
        }
        TransactionModelParams::MbgNbd(p) => TransactionModelParams::BgNbd(BgNbdParams::new(
            p.r + x,
            p.alpha + age,
            p.a,
            p.b + x + 1.0,
        )?),
        // Alive at T: η | history ~ Gamma(s, β + e^{bT} − 1), and the
        // remaining lifetime is Gompertz with scale η' = η e^{bT}, so
        // η' ~ Gamma(s, β e^{−bT} − expm1(−bT)) (parent module docs).
        TransactionModelParams::GgomNbd(p) => {
            TransactionModelParams::GgomNbd(crate::models::ggomnbd::GgomNbdParams::new(
                p.r + x,
                p.alpha + age,
                p.b,
                p.s,
                p.beta * (-p.b * age).exp() - (-p.b * age).exp_m1(),
            )?)
        }
    };
    Ok(ResidualCustomer {
        probability_alive,
        future,
    })
}

impl ResidualCustomer {
    /// P(alive at `T + τ`).
    pub fn probability_alive_at(&self, tau: f64) -> Result<f64> {
        let s = new_customer_survival(&self.future, tau)?;
        finite(
            "probability alive at a future time",
            None,
            (self.probability_alive * s).clamp(0.0, 1.0),
        )
    }

    /// `P(X(T, T+t) = n)`.
    pub fn probability_of_purchases(&self, n: u64, t: f64) -> Result<f64> {
        let p = self.probability_alive;
        let alive = self.future.probability_of_purchases(n, t)?;
        let dead = if n == 0 { 1.0 - p } else { 0.0 };
        finite(
            "conditional purchase-count probability",
            None,
            (dead + p * alive).clamp(0.0, 1.0),
        )
    }

    /// Discounted expected residual transactions at rate `δ`.
    pub fn dert(&self, delta: f64) -> Result<f64> {
        let d = new_customer_dert(&self.future, delta)?;
        finite("DERT", None, (self.probability_alive * d).max(0.0))
    }

    /// The next-purchase figures within horizon `t`.
    pub fn next_purchase(&self, t: f64) -> Result<NextPurchase> {
        let (r, alpha) = match self.future {
            TransactionModelParams::ParetoNbd(p) => (p.r, p.alpha),
            TransactionModelParams::BgNbd(p) => (p.r, p.alpha),
            TransactionModelParams::MbgNbd(p) => (p.r, p.alpha),
            TransactionModelParams::GgomNbd(p) => (p.r, p.alpha),
        };
        let none = self.future.probability_of_purchases(0, t)?;
        let probability_of_purchase = (self.probability_alive * (1.0 - none)).clamp(0.0, 1.0);
        let mean_wait_if_alive = if r > 1.0 {
            Some(finite(
                "mean wait to the next purchase",
                None,
                alpha / (r - 1.0),
            )?)
        } else {
            None
        };
        let median_wait_if_alive = finite(
            "median wait to the next purchase",
            None,
            alpha * (std::f64::consts::LN_2 / r).exp_m1(),
        )?;
        Ok(NextPurchase {
            probability_alive: self.probability_alive,
            probability_of_purchase,
            mean_wait_if_alive,
            median_wait_if_alive,
        })
    }
}

fn non_finite(what: &'static str) -> Error {
    Error::NonFiniteResult { what, row: None }
}

/// P(a new customer of `model` is alive at `τ`), marginal over her
/// purchases (parent module docs).
pub(crate) fn new_customer_survival(model: &TransactionModelParams, tau: f64) -> Result<f64> {
    if tau == 0.0 {
        return Ok(match model {
            TransactionModelParams::MbgNbd(p) => p.b / (p.a + p.b),
            _ => 1.0,
        });
    }
    let v = match *model {
        TransactionModelParams::ParetoNbd(p) => (-p.s * (tau / p.beta).ln_1p()).exp(),
        TransactionModelParams::BgNbd(p) => beta_survival(p.r, p.alpha, p.a, p.b, tau)
            .ok_or(non_finite("probability alive at a future time"))?,
        TransactionModelParams::MbgNbd(p) => {
            p.b / (p.a + p.b)
                * beta_survival(p.r, p.alpha, p.a, p.b + 1.0, tau)
                    .ok_or(non_finite("probability alive at a future time"))?
        }
        TransactionModelParams::GgomNbd(p) => {
            (-p.s * ((p.b * tau).exp_m1() / p.beta).ln_1p()).exp()
        }
    };
    finite(
        "probability alive at a future time",
        None,
        v.clamp(0.0, 1.0),
    )
}

/// `₂F₁(a, b; c; z)` for `0 ≤ z < 1`, positive here: the `1 − z` form of
/// A&S 15.3.6 first when `z > 0.9` (where the power series would need
/// thousands of terms), [`hyp2f1`] otherwise or if that fails.
fn gauss_2f1(a: f64, b: f64, c: f64, z: f64) -> Option<f64> {
    let near = if z > 0.9 {
        crate::special::hyp2f1_near_one(a, b, c, z)
    } else {
        None
    };
    near.or_else(|| hyp2f1(a, b, c, z))
        .filter(|h| h.is_finite() && *h > 0.0)
}

/// `E_p[(1 + pτ/α)^{−r}]` for `p ~ Beta(a, b)`: `₂F₁(r, a; a+b; −τ/α) =
/// (α/(α+τ))ᵃ ₂F₁(a+b−r, a; a+b; τ/(α+τ))` (Euler's integral, Pfaff's
/// transformation), or the quadrature [`beta_dropout_survival`] where the
/// hypergeometric function gives up.
pub(crate) fn beta_survival(r: f64, alpha: f64, a: f64, b: f64, tau: f64) -> Option<f64> {
    let z = tau / (alpha + tau);
    gauss_2f1(a + b - r, a, a + b, z)
        .map(|h| (a * (-z).ln_1p()).exp() * h)
        .filter(|v| v.is_finite())
        .or_else(|| beta_dropout_survival(r, alpha, a, b, tau))
}

/// `E_p[(1 + pτ/α)^{−r}]` for `p ~ Beta(a, b)` (`= ₂F₁(r, a; a+b; −τ/α)`),
/// by adaptive quadrature on `[0, ½]` with `v = pᵃ` and on `[½, 1]` with
/// `v = (1−p)ᵇ`, substitutions that remove the beta density's endpoint
/// singularities.
pub(crate) fn beta_dropout_survival(r: f64, alpha: f64, a: f64, b: f64, tau: f64) -> Option<f64> {
    let ln_norm = ln_beta(a, b);
    let u = tau / alpha;
    let rule = gauss_legendre_rule(20);
    let left = |v: f64| {
        let p = v.powf(1.0 / a);
        (b - 1.0) * (-p).ln_1p() - r * (p * u).ln_1p() - a.ln()
    };
    let right = |v: f64| {
        let p = 1.0 - v.powf(1.0 / b);
        (a - 1.0) * p.ln() - r * (p * u).ln_1p() - b.ln()
    };
    let l = gauss_legendre_adaptive(
        &left,
        0.0,
        0.5f64.powf(a),
        &rule,
        QUADRATURE_TOLERANCE,
        QUADRATURE_DEPTH,
    )?;
    let rt = gauss_legendre_adaptive(
        &right,
        0.0,
        0.5f64.powf(b),
        &rule,
        QUADRATURE_TOLERANCE,
        QUADRATURE_DEPTH,
    )?;
    let v = (log_sum_exp(l, rt) - ln_norm).exp();
    v.is_finite().then_some(v)
}

/// DERT of a new customer of `model` at continuous rate `δ` (parent
/// module docs): the Pareto/NBD form of Fader, Hardie & Lee (2005b), the
/// integral of the purchase rate otherwise.
pub(crate) fn new_customer_dert(model: &TransactionModelParams, delta: f64) -> Result<f64> {
    let v = match *model {
        TransactionModelParams::ParetoNbd(p) => {
            p.r / p.alpha
                * discounted_pareto_survival(p.s, p.beta, delta).ok_or(non_finite("DERT"))?
        }
        TransactionModelParams::BgNbd(p) => {
            beta_geometric_dert(p.r, p.alpha, p.a, p.b, delta).ok_or(non_finite("DERT"))?
        }
        // A new MBG/NBD customer is alive after time 0 with probability
        // b/(a+b), and then a BG/NBD customer with b+1 (parent module docs).
        TransactionModelParams::MbgNbd(p) => {
            p.b / (p.a + p.b)
                * beta_geometric_dert(p.r, p.alpha, p.a, p.b + 1.0, delta)
                    .ok_or(non_finite("DERT"))?
        }
        // (r/α) ∫ e^{−δt} S(t) dt with the Gompertz–gamma survival, on the
        // time scale min(β, 1)/b of its decline.
        TransactionModelParams::GgomNbd(p) => {
            let ln_s = |t: f64| -p.s * ((p.b * t).exp_m1() / p.beta).ln_1p();
            p.r / p.alpha
                * discounted_integral(&ln_s, p.beta.min(1.0) / p.b, delta)
                    .ok_or(non_finite("DERT"))?
        }
    };
    finite("DERT", None, v.max(0.0))
}

/// `∫₀^∞ e^{−δt} (β/(β+t))ˢ dt = βˢ δ^{s−1} U(s, s; δβ)`, by
/// [`discounted_integral`].
pub(crate) fn discounted_pareto_survival(s: f64, beta: f64, delta: f64) -> Option<f64> {
    discounted_integral(&|t: f64| -s * (t / beta).ln_1p(), beta, delta)
}

/// `∫₀^∞ e^{−δt} g(t) dt` for a positive `g` given by its logarithm that
/// decays like a power of `t`: with `w = ln(1 + t/c)` (`c` the scale of
/// `t` in `g`) the integrand `e^{−δt} g(t) (c+t)` is smooth in `w`, and
/// the range is cut at `t = 50/δ`, where `e^{−δt} < 2·10⁻²²`; adaptive
/// Gauss–Legendre quadrature on `w` then needs few panels.
pub(crate) fn discounted_integral(
    ln_g: &dyn Fn(f64) -> f64,
    scale: f64,
    delta: f64,
) -> Option<f64> {
    let upper = (50.0 / (delta * scale)).ln_1p();
    let ln_f = |w: f64| {
        let t = scale * w.exp_m1();
        -delta * t + ln_g(t) + (scale + t).ln()
    };
    let rule = gauss_legendre_rule(20);
    let ln = gauss_legendre_adaptive(
        &ln_f,
        0.0,
        upper,
        &rule,
        QUADRATURE_TOLERANCE,
        QUADRATURE_DEPTH,
    )?;
    let v = ln.exp();
    v.is_finite().then_some(v)
}

/// BG/NBD new-customer DERT: `E[λ e^{−λpt}]` is the purchase rate at `t`,
/// so `D = (r/α) ∫₀^∞ e^{−δt} G(t) dt` with
/// `G(t) = E_p[(1 + pt/α)^{−(r+1)}] = ₂F₁(r+1, a; a+b; −t/α)
/// = (α/(α+t))ᵃ ₂F₁(a+b−r−1, a; a+b; t/(α+t))` (Euler's integral, then
/// Pfaff's transformation), integrated by [`discounted_integral`]. Where [`hyp2f1`] gives up, `G` is the beta expectation by
/// quadrature ([`beta_dropout_survival`]).
pub(crate) fn beta_geometric_dert(r: f64, alpha: f64, a: f64, b: f64, delta: f64) -> Option<f64> {
    let ln_g = |t: f64| -> f64 {
        let z = t / (alpha + t);
        let closed = gauss_2f1(a + b - r - 1.0, a, a + b, z).map(|h| a * (-z).ln_1p() + h.ln());
        match closed {
            Some(v) => v,
            None => beta_dropout_survival(r + 1.0, alpha, a, b, t).map_or(f64::NAN, f64::ln),
        }
    };
    let v = r / alpha * discounted_integral(&ln_g, alpha, delta)?;
    v.is_finite().then_some(v)
}
