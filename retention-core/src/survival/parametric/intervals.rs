//! Pointwise delta-method Wald intervals of the fitted curves of a
//! univariate model: `g(t) ± z₁₋α/₂ √(∇g ᵀ V ∇g)`, with `∇g` the gradient
//! of the curve in the parameters and `V` their covariance (lifelines'
//! `confidence_interval_*_` attributes).

use super::family::ParametricFamily;
use super::univariate::{check_time, UnivariateModel, UnivariateParametric};
use crate::error::Result;

/// Which fitted curve an interval is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ParametricCurve {
    /// `H(t)` (lifelines' `confidence_interval_` / `_cumulative_hazard_`).
    CumulativeHazard,
    /// `S(t)`.
    Survival,
    /// `h(t)`.
    Hazard,
    /// `f(t)`.
    Density,
    /// `F(t) = 1 − S(t)`.
    CumulativeDensity,
}

impl UnivariateParametric {
    /// `h(t)` and its gradient in the parameters, for `t > 0`.
    fn hazard_and_gradient(&self, t: f64) -> (f64, Vec<f64>) {
        let p = &self.params;
        match &self.model {
            UnivariateModel::Exponential => (1.0 / p[0], vec![-1.0 / (p[0] * p[0])]),
            UnivariateModel::PiecewiseExponential { breakpoints } => {
                let j = breakpoints.iter().take_while(|&&b| b <= t).count();
                let mut grad = vec![0.0; p.len()];
                grad[j] = -1.0 / (p[j] * p[j]);
                (1.0 / p[j], grad)
            }
            UnivariateModel::LogLocationScale(f) => {
                let (_, ek, z) = self.standardise(*f, t);
                let a = f.log_density(z);
                let b = f.log_survival(z);
                let h = (a.value + ek.ln() - t.ln() - b.value).exp();
                let d_eta1 = -ek * (a.d1 - b.d1);
                let d_eta2 = f.kappa_sign() * ((a.d1 - b.d1) * z + 1.0);
                let d_first = if *f == ParametricFamily::LogNormal {
                    d_eta1
                } else {
                    d_eta1 / p[0]
                };
                (h, vec![h * d_first, h * d_eta2 / p[1]])
            }
        }
    }

    /// The curve's value and gradient at `t > 0`.
    fn curve_and_gradient(&self, curve: ParametricCurve, t: f64) -> (f64, Vec<f64>) {
        let (ch, dch) = self.cumulative_hazard_and_gradient(t);
        let s = (-ch).exp();
        match curve {
            ParametricCurve::CumulativeHazard => (ch, dch),
            ParametricCurve::Survival => (s, dch.iter().map(|g| -s * g).collect()),
            ParametricCurve::CumulativeDensity => (1.0 - s, dch.iter().map(|g| s * g).collect()),
            ParametricCurve::Hazard => self.hazard_and_gradient(t),
            ParametricCurve::Density => {
                let (h, dh) = self.hazard_and_gradient(t);
                let f = h * s;
                let grad = dh.iter().zip(&dch).map(|(a, b)| s * a - f * b).collect();
                (f, grad)
            }
        }
    }

    /// Pointwise Wald interval of `curve` at `t`, level `1 − alpha`. At
    /// `t = 0` both bounds are the curve's value there.
    ///
    /// # Errors
    /// [`crate::Error::InvalidParameter`] for a negative or non-finite `t`
    /// or `alpha` outside `(0, 1)`.
    pub fn interval(&self, curve: ParametricCurve, t: f64, alpha: f64) -> Result<(f64, f64)> {
        check_time(t)?;
        let z = super::wald_z(alpha)?;
        if t == 0.0 {
            let v = match curve {
                ParametricCurve::CumulativeHazard | ParametricCurve::CumulativeDensity => 0.0,
                ParametricCurve::Survival => 1.0,
                ParametricCurve::Hazard => self.hazard(0.0)?,
                ParametricCurve::Density => self.density(0.0)?,
            };
            return Ok((v, v));
        }
        let (value, g) = self.curve_and_gradient(curve, t);
        let k = g.len();
        let mut var = 0.0;
        for a in 0..k {
            for b in 0..k {
                var += g[a] * self.covariance[a * k + b] * g[b];
            }
        }
        let se = var.max(0.0).sqrt();
        Ok((value - z * se, value + z * se))
    }

    /// [`Self::interval`] at each time, as (lower, upper) columns.
    ///
    /// # Errors
    /// As [`Self::interval`], for the first bad time.
    pub fn intervals(
        &self,
        curve: ParametricCurve,
        times: &[f64],
        alpha: f64,
    ) -> Result<(Vec<f64>, Vec<f64>)> {
        let pairs: Vec<(f64, f64)> = times
            .iter()
            .map(|&t| self.interval(curve, t, alpha))
            .collect::<Result<_>>()?;
        Ok(pairs.into_iter().unzip())
    }
}
