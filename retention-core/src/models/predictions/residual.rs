//! The residual model of a customer seen from the end of calibration, and
//! the new-customer quantities it needs (see the parent module's docs).

use super::super::bgnbd::BgNbdParams;
use super::super::pareto_nbd::ParetoNbdParams;
use super::super::validate::finite;
use super::super::{TransactionModel, TransactionModelParams};
use crate::special::{gauss_legendre_adaptive, gauss_legendre_rule, ln_beta, log_sum_exp};
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
        TransactionModelParams::BgNbd(p) => beta_dropout_survival(p.r, p.alpha, p.a, p.b, tau)
            .ok_or(non_finite("probability alive at a future time"))?,
        TransactionModelParams::MbgNbd(p) => {
            p.b / (p.a + p.b)
                * beta_dropout_survival(p.r, p.alpha, p.a, p.b + 1.0, tau)
                    .ok_or(non_finite("probability alive at a future time"))?
        }
    };
    finite(
        "probability alive at a future time",
        None,
        v.clamp(0.0, 1.0),
    )
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
/// integral of the expectation otherwise.
pub(crate) fn new_customer_dert(model: &TransactionModelParams, delta: f64) -> Result<f64> {
    let v = match *model {
        TransactionModelParams::ParetoNbd(p) => {
            p.r / p.alpha
                * discounted_pareto_survival(p.s, p.beta, delta).ok_or(non_finite("DERT"))?
        }
        _ => discounted_expectation(model.model(), delta).ok_or(non_finite("DERT"))?,
    };
    finite("DERT", None, v.max(0.0))
}

/// `∫₀^∞ e^{−δt} (β/(β+t))ˢ dt = βˢ δ^{s−1} U(s, s; δβ)`, as
/// `(1/δ) ∫₀¹ (1 − ln v/(δβ))^{−s} dv`.
pub(crate) fn discounted_pareto_survival(s: f64, beta: f64, delta: f64) -> Option<f64> {
    let z = delta * beta;
    let ln_f = |v: f64| -s * (-v.ln() / z).ln_1p();
    let rule = gauss_legendre_rule(20);
    let ln = gauss_legendre_adaptive(
        &ln_f,
        0.0,
        1.0,
        &rule,
        QUADRATURE_TOLERANCE,
        QUADRATURE_DEPTH,
    )?;
    let v = ln.exp() / delta;
    v.is_finite().then_some(v)
}

/// `δ ∫₀^∞ e^{−δt} E[X(t)] dt = ∫₀¹ E[X(−ln(v)/δ)] dv` for a new customer.
pub(crate) fn discounted_expectation(model: &dyn TransactionModel, delta: f64) -> Option<f64> {
    let ln_f = |v: f64| {
        let t = -v.ln() / delta;
        if !t.is_finite() {
            return f64::NEG_INFINITY;
        }
        match model.expected_purchases(t) {
            Ok(e) if e > 0.0 => e.ln(),
            Ok(_) => f64::NEG_INFINITY,
            Err(_) => f64::NAN,
        }
    };
    let rule = gauss_legendre_rule(20);
    let ln = gauss_legendre_adaptive(
        &ln_f,
        0.0,
        1.0,
        &rule,
        QUADRATURE_TOLERANCE,
        QUADRATURE_DEPTH,
    )?;
    let v = ln.exp();
    v.is_finite().then_some(v)
}
