//! Predictions of a contractual model (sBG or BdW) for its cohorts.
//!
//! Ages `t` are whole periods since acquisition; a subscriber pays at ages
//! `0, 1, …, T − 1` and `S(t) = P(T > t)` (parent module).
//!
//! | prediction | formula |
//! |---|---|
//! | survival | `S(t) = B(α, β + t^c) / B(α, β)` |
//! | retention rate | `r(t) = S(t) / S(t − 1)`, `t ≥ 1` |
//! | churn probability in period `t` | `P(T = t) = S(t − 1) − S(t)`; the conditional churn of those active at `t − 1` is `1 − r(t)` |
//! | expected lifetime | `E[T] = Σ_{t≥0} S(t)` (sBG: `(α + β − 1)/(α − 1)` for `α > 1`) |
//! | DEL | `Σ_{t≥0} S(t) / (1 + d)^t` |
//! | DERL after `n` renewals | `Σ_{t≥n+1} S(t)/S(n) / (1 + d)^{t−n−1}` |
//! | residual value | `m · DERL` |
//!
//! **Timing convention** (Fader & Hardie 2010). DEL values a subscriber at
//! acquisition: the first payment (age 0) is certain and undiscounted, the
//! payment at age `t` is made with probability `S(t)` and discounted by
//! `(1 + d)^t`. DERL values a subscriber who has made `n` renewals (is
//! active at age `n`, `n ≥ 0`) at the moment the next renewal (age `n + 1`)
//! falls due: that payment is made with probability `S(n + 1)/S(n)` and is
//! not discounted; each later one by one more period. This is Fader &
//! Hardie's `DERL(d | α, β, n renewals)`; in the project specification's
//! notation `DERL(n′) = Σ_{t ≥ n′} S(t)/S(n′−1)/(1 + d)^{t−n′}` it is
//! `n′ = n + 1`. For the sBG, `DEL = ₂F₁(1, β; α + β; 1/(1 + d))` and
//! `DERL = (β + n)/(α + β + n) · ₂F₁(1, β + n + 1; α + β + n + 1; 1/(1 + d))`.
//!
//! Without discounting (`d = 0`) the sums are the expected (residual)
//! lifetimes, finite only when `c·α > 1` (the tail of `S` falls like
//! `t^{−cα}`); otherwise they are an [`Error::InvalidParameter`].
//!
//! # Cost
//!
//! Every prediction has a cost independent of `t`, `n` and `d`: `S(t)` is
//! in closed form, and the infinite sums add 100 terms exactly and the rest
//! by the Euler–Maclaurin formula with an adaptively integrated tail
//! (relative accuracy about `10⁻⁹`, checked against the hypergeometric
//! closed forms of the sBG). Curves over many ages are limited to
//! [`MAX_AGES`] ages.

use super::curve::{discounted_sum, ln_churn, ln_survival};
use super::data::MAX_AGES;
use super::ContractualParams;
use crate::error::{Error, Result};

/// Predictions over ages `0..ages`, one row per age.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct RetentionCurve {
    /// Age `t` in periods.
    pub age: Vec<u64>,
    /// `S(t)`.
    pub survival: Vec<f64>,
    /// `r(t)`; `None` at age 0.
    pub retention_rate: Vec<Option<f64>>,
    /// `P(T = t)`; `None` at age 0.
    pub churn_probability: Vec<Option<f64>>,
}

fn check_discount(d: f64) -> Result<f64> {
    if d.is_finite() && d >= 0.0 {
        Ok(d)
    } else {
        Err(Error::parameter(
            "discount_rate",
            d,
            "must be a finite number ≥ 0 (per period)",
        ))
    }
}

fn first_age(t: u64) -> Result<f64> {
    if t == 0 {
        Err(Error::parameter("t", t, "must be ≥ 1 (age 0 has no churn)"))
    } else {
        Ok(t as f64)
    }
}

impl ContractualParams {
    fn ln_s(&self, t: f64) -> f64 {
        ln_survival(self.alpha, self.beta, self.c, t)
    }

    /// `S(t)`, the share of a cohort still active at age `t`.
    pub fn survival(&self, t: u64) -> Result<f64> {
        let p = self.validated()?;
        Ok(p.ln_s(t as f64).exp())
    }

    /// `r(t) = S(t)/S(t − 1)`, the share of those active at age `t − 1`
    /// who renew; `t ≥ 1`.
    pub fn retention_rate(&self, t: u64) -> Result<f64> {
        let p = self.validated()?;
        let t = first_age(t)?;
        Ok((p.ln_s(t) - p.ln_s(t - 1.0)).min(0.0).exp())
    }

    /// `P(T = t)`, the probability that a new subscriber cancels in period
    /// `t`; `t ≥ 1`.
    pub fn churn_probability(&self, t: u64) -> Result<f64> {
        let p = self.validated()?;
        let t = first_age(t)?;
        Ok(ln_churn(p.alpha, p.beta, p.c, t).exp().clamp(0.0, 1.0))
    }

    /// `S`, `r` and `P(T = t)` at ages `0..ages` (`1 ≤ ages ≤ MAX_AGES`).
    pub fn curve(&self, ages: usize) -> Result<RetentionCurve> {
        let p = self.validated()?;
        if !(1..=MAX_AGES).contains(&ages) {
            return Err(Error::parameter(
                "ages",
                ages,
                "must be between 1 and MAX_AGES (100000)",
            ));
        }
        let mut out = RetentionCurve {
            age: Vec::with_capacity(ages),
            survival: Vec::with_capacity(ages),
            retention_rate: Vec::with_capacity(ages),
            churn_probability: Vec::with_capacity(ages),
        };
        let mut previous = 0.0;
        for t in 0..ages {
            // Accumulating non-positive log ratios keeps S non-increasing.
            let ln_s = if t == 0 {
                0.0
            } else {
                previous + (p.ln_s(t as f64) - p.ln_s(t as f64 - 1.0)).min(0.0)
            };
            out.age.push(t as u64);
            out.survival.push(ln_s.exp());
            if t == 0 {
                out.retention_rate.push(None);
                out.churn_probability.push(None);
            } else {
                out.retention_rate.push(Some((ln_s - previous).exp()));
                out.churn_probability
                    .push(Some((previous.exp() - ln_s.exp()).max(0.0)));
            }
            previous = ln_s;
        }
        Ok(out)
    }

    fn sum_from(&self, renewals: Option<u64>, d: f64, what: &'static str) -> Result<f64> {
        let p = self.validated()?;
        let d = check_discount(d)?;
        let ln_delta = -d.ln_1p();
        let (from, ln_ref) = match renewals {
            None => (0, 0.0),
            Some(n) => (n.saturating_add(1), p.ln_s(n as f64)),
        };
        if !ln_ref.is_finite() {
            return Err(Error::NonFiniteResult { what, row: None });
        }
        discounted_sum(p.alpha, p.beta, p.c, from, ln_ref, ln_delta).ok_or(
            if d == 0.0 && p.c * p.alpha <= 1.0 {
                Error::parameter(
                    "discount_rate",
                    d,
                    "the undiscounted sum is infinite when c·α ≤ 1 (sBG: α ≤ 1); use a discount rate > 0",
                )
            } else {
                Error::NonFiniteResult { what, row: None }
            },
        )
    }

    /// Expected lifetime `E[T] = Σ_{t≥0} S(t)` in periods (number of
    /// payments). Infinite, hence an [`Error::InvalidParameter`], when
    /// `c·α ≤ 1`.
    pub fn expected_lifetime(&self) -> Result<f64> {
        self.sum_from(None, 0.0, "expected lifetime")
    }

    /// Discounted expected lifetime at discount rate `d ≥ 0` per period
    /// (module docs for the timing).
    pub fn discounted_expected_lifetime(&self, discount_rate: f64) -> Result<f64> {
        self.sum_from(None, discount_rate, "discounted expected lifetime")
    }

    /// Discounted expected residual lifetime of a subscriber who has made
    /// `renewals` renewals (is active at age `renewals`), valued when the
    /// next renewal falls due (module docs).
    pub fn discounted_expected_residual_lifetime(
        &self,
        discount_rate: f64,
        renewals: u64,
    ) -> Result<f64> {
        self.sum_from(
            Some(renewals),
            discount_rate,
            "discounted expected residual lifetime",
        )
    }

    /// Residual value of an active subscriber who has made `renewals`
    /// renewals: `margin × DERL`, with `margin` the (finite, `≥ 0`) margin
    /// per period.
    pub fn residual_value(&self, margin: f64, discount_rate: f64, renewals: u64) -> Result<f64> {
        if !(margin.is_finite() && margin >= 0.0) {
            return Err(Error::parameter(
                "margin",
                margin,
                "must be a finite number ≥ 0",
            ));
        }
        let v = margin * self.discounted_expected_residual_lifetime(discount_rate, renewals)?;
        // A margin near f64::MAX times a lifetime > 1 overflows (found by
        // fuzzing).
        if !v.is_finite() {
            return Err(Error::NonFiniteResult {
                what: "residual value",
                row: None,
            });
        }
        Ok(v)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::special::hyp2f1;

    #[test]
    fn sbg_closed_forms() {
        let p = ContractualParams::sbg(0.704, 1.182).unwrap();
        // r(t) = (β + t − 1)/(α + β + t − 1).
        for t in 1..10u64 {
            let want = (1.182 + t as f64 - 1.0) / (0.704 + 1.182 + t as f64 - 1.0);
            assert!((p.retention_rate(t).unwrap() - want).abs() < 1e-13);
        }
        // P(T = 1) = α/(α + β).
        assert!((p.churn_probability(1).unwrap() - 0.704 / 1.886).abs() < 1e-13);
        let d = 0.1;
        let delta = 1.0 / 1.1;
        let del = hyp2f1(1.0, 1.182, 1.886, delta).unwrap();
        assert!((p.discounted_expected_lifetime(d).unwrap() - del).abs() < 1e-9 * del);
        for n in [0u64, 1, 4, 30, 1000] {
            let nf = n as f64;
            let want = (1.182 + nf) / (1.886 + nf)
                * hyp2f1(1.0, 1.182 + nf + 1.0, 1.886 + nf + 1.0, delta).unwrap();
            let got = p.discounted_expected_residual_lifetime(d, n).unwrap();
            assert!((got - want).abs() < 1e-9 * want, "{n}: {got} vs {want}");
        }
        // α ≤ 1: infinite expected lifetime is a typed error.
        assert!(matches!(
            p.expected_lifetime(),
            Err(Error::InvalidParameter {
                name: "discount_rate",
                ..
            })
        ));
        let q = ContractualParams::sbg(3.0, 2.0).unwrap();
        assert!((q.expected_lifetime().unwrap() - 2.0).abs() < 1e-9);
    }

    #[test]
    fn curve_agrees_with_pointwise_values() {
        let p = ContractualParams::bdw(0.9, 2.0, 0.7).unwrap();
        let curve = p.curve(30).unwrap();
        for t in 1..30u64 {
            let i = t as usize;
            assert!((curve.survival[i] - p.survival(t).unwrap()).abs() < 1e-14);
            let r = curve.retention_rate[i].unwrap();
            assert!((r - p.retention_rate(t).unwrap()).abs() < 1e-13);
            let c = curve.churn_probability[i].unwrap();
            assert!((c - p.churn_probability(t).unwrap()).abs() < 1e-13);
        }
        assert!(p.curve(0).is_err());
        assert!(p.residual_value(-1.0, 0.1, 2).is_err());
        assert!(p.discounted_expected_lifetime(f64::NAN).is_err());
    }
}
