//! Every prediction of a contractual model over a horizon, in one result:
//! [`ContractualParams::predict`].
//!
//! For ages `n = 0, 1, …, ages − 1` the result holds the curve of
//! [`super::predict`] (`S(n)`, `r(n)`, `P(T = n)`) and, per age, the
//! discounted expected residual lifetime of a subscriber who has made `n`
//! renewals and her residual value (Fader & Hardie 2010, "Customer-base
//! valuation in a contractual setting", with the timing convention of
//! [`super::predict`]):
//!
//! ```text
//! DERL(n) = Σ_{t ≥ n+1} S(t)/S(n) · δ^{t−n−1},   δ = 1/(1 + d)
//! residual value(n) = m · DERL(n)
//! DEL = Σ_{t ≥ 0} S(t) δ^t = 1 + δ · DERL(0)
//! ```
//!
//! together with the expected lifetime `E[T] = Σ S(t)` (absent when it is
//! infinite, `c·α ≤ 1`).
//!
//! # Cost
//!
//! One infinite sum is evaluated (at the last age, as in
//! [`super::predict`]); the others follow backwards by the exact recurrence
//!
//! ```text
//! DERL(n − 1) = r(n) · (1 + δ · DERL(n))
//! ```
//!
//! (split the first term off the sum), which is stable going down (each
//! step multiplies the earlier error by `r(n)·δ ≤ 1`). The cost is
//! `O(ages)`; `ages` is at most [`MAX_AGES`](super::data::MAX_AGES), beyond it an
//! [`Error::InvalidParameter`].

use super::predict::RetentionCurve;
use super::ContractualParams;
use crate::error::{Error, Result};

/// Options of [`ContractualParams::predict`].
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(default, deny_unknown_fields))]
pub struct PredictionOptions {
    /// Number of ages (`0..ages`), 1 to
    /// [`MAX_AGES`](super::data::MAX_AGES). Default 36.
    pub ages: usize,
    /// Discount rate per period, finite and `≥ 0`. Default 0.10 (Fader &
    /// Hardie 2010's illustration, per year).
    pub discount_rate: f64,
    /// Margin per period and subscriber, finite and `≥ 0`. Default 1 (the
    /// residual value is then the DERL in margins).
    pub margin: f64,
}

impl Default for PredictionOptions {
    fn default() -> Self {
        PredictionOptions {
            ages: 36,
            discount_rate: 0.10,
            margin: 1.0,
        }
    }
}

/// The predictions of a contractual model at ages `0..ages`: the curve and,
/// per age `n`, DERL and residual value after `n` renewals (module docs).
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct ContractualPrediction {
    /// The parameters.
    pub params: ContractualParams,
    /// The discount rate per period used.
    pub discount_rate: f64,
    /// The margin per period used.
    pub margin: f64,
    /// `E[T] = Σ S(t)` in periods; `None` when infinite (`c·α ≤ 1`).
    pub expected_lifetime: Option<f64>,
    /// DEL of a new subscriber.
    pub discounted_expected_lifetime: f64,
    /// Age, survival, retention rate and churn probability per age.
    #[cfg_attr(feature = "serde", serde(flatten))]
    pub curve: RetentionCurve,
    /// DERL of a subscriber who has made `age` renewals.
    pub discounted_expected_residual_lifetime: Vec<f64>,
    /// `margin × DERL` at each age.
    pub residual_value: Vec<f64>,
}

impl ContractualParams {
    /// Survival, retention rate, churn, expected lifetime, DEL, DERL and
    /// residual value over `options.ages` ages, in one call (module docs of
    /// [`super::prediction`]).
    ///
    /// # Errors
    ///
    /// [`Error::InvalidParameter`] for invalid parameters, `ages` outside
    /// `1..=MAX_AGES`, a negative or non-finite discount rate or margin, or
    /// a zero discount rate when the sums are infinite (`c·α ≤ 1`).
    pub fn predict(&self, options: &PredictionOptions) -> Result<ContractualPrediction> {
        let p = self.validated()?;
        let PredictionOptions {
            ages,
            discount_rate,
            margin,
        } = *options;
        if !(margin.is_finite() && margin >= 0.0) {
            return Err(Error::parameter(
                "margin",
                margin,
                "must be a finite number ≥ 0",
            ));
        }
        let curve = p.curve(ages)?;
        let last = ages - 1;
        let delta = 1.0 / (1.0 + discount_rate);
        let mut derl = vec![0.0; ages];
        derl[last] = p.discounted_expected_residual_lifetime(discount_rate, last as u64)?;
        for n in (1..ages).rev() {
            let r = curve.retention_rate[n].unwrap_or(1.0);
            derl[n - 1] = r * (1.0 + delta * derl[n]);
        }
        let del = 1.0 + delta * derl[0];
        let expected_lifetime = match p.expected_lifetime() {
            Ok(v) => Some(v),
            Err(Error::InvalidParameter { .. }) => None,
            Err(e) => return Err(e),
        };
        let residual_value: Vec<f64> = derl.iter().map(|v| margin * v).collect();
        let finite = del.is_finite()
            && derl.iter().all(|v| v.is_finite())
            && residual_value.iter().all(|v| v.is_finite());
        if !finite {
            return Err(Error::NonFiniteResult {
                what: "contractual prediction",
                row: None,
            });
        }
        Ok(ContractualPrediction {
            params: p,
            discount_rate,
            margin,
            expected_lifetime,
            discounted_expected_lifetime: del,
            curve,
            discounted_expected_residual_lifetime: derl,
            residual_value,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::super::data::MAX_AGES;
    use super::*;
    use crate::special::hyp2f1;

    #[test]
    fn matches_the_pointwise_predictions_and_the_sbg_closed_forms() {
        // Fader & Hardie 2010: DERL = (β + n)/(α + β + n) ₂F₁(1, β + n + 1; α + β + n + 1; δ).
        let (a, b, d) = (0.704, 1.182, 0.1);
        let p = ContractualParams::sbg(a, b).unwrap();
        let opts = PredictionOptions {
            ages: 40,
            discount_rate: d,
            margin: 50.0,
        };
        let out = p.predict(&opts).unwrap();
        let delta = 1.0 / (1.0 + d);
        for n in 0..40usize {
            let nf = n as f64;
            let want = (b + nf) / (a + b + nf)
                * hyp2f1(1.0, b + nf + 1.0, a + b + nf + 1.0, delta).unwrap();
            let got = out.discounted_expected_residual_lifetime[n];
            assert!((got - want).abs() < 1e-9 * want, "{n}: {got} vs {want}");
            assert!((out.residual_value[n] - 50.0 * got).abs() < 1e-9 * got);
        }
        let del = hyp2f1(1.0, b, a + b, delta).unwrap();
        assert!((out.discounted_expected_lifetime - del).abs() < 1e-9 * del);
        assert_eq!(out.expected_lifetime, None, "α ≤ 1: E[T] infinite");
        assert_eq!(out.curve, p.curve(40).unwrap());

        // BdW, no discounting, c·α > 1: E[T] = DEL and DERL = pointwise sums.
        let q = ContractualParams::bdw(2.2, 3.0, 0.8).unwrap();
        let opts = PredictionOptions {
            ages: 25,
            discount_rate: 0.0,
            margin: 1.0,
        };
        let out = q.predict(&opts).unwrap();
        let e = out.expected_lifetime.unwrap();
        assert!((out.discounted_expected_lifetime - e).abs() < 1e-8 * e);
        for n in [0u64, 3, 12, 24] {
            let want = q.discounted_expected_residual_lifetime(0.0, n).unwrap();
            let got = out.discounted_expected_residual_lifetime[n as usize];
            assert!((got - want).abs() < 1e-8 * want, "{n}: {got} vs {want}");
        }
    }

    #[test]
    fn bad_options_are_typed_errors() {
        let p = ContractualParams::sbg(0.9, 1.5).unwrap();
        let with = |ages, discount_rate, margin| {
            p.predict(&PredictionOptions {
                ages,
                discount_rate,
                margin,
            })
        };
        for (bad, name) in [
            (with(0, 0.1, 1.0), "ages"),
            (with(MAX_AGES + 1, 0.1, 1.0), "ages"),
            (with(5, -0.1, 1.0), "discount_rate"),
            (with(5, f64::NAN, 1.0), "discount_rate"),
            (with(5, 0.0, 1.0), "discount_rate"),
            (with(5, 0.1, f64::INFINITY), "margin"),
        ] {
            assert!(
                matches!(bad, Err(Error::InvalidParameter { name: n, .. }) if n == name),
                "{name}: {bad:?}"
            );
        }
        assert!(with(MAX_AGES, 0.1, 1.0).is_ok());
    }
}
