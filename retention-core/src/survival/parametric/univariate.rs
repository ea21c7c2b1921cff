//! Univariate parametric fits (no covariates): exponential, piecewise
//! exponential (closed form) and the log-location-scale families (Newton
//! on `(η₁, η₂)` with intercept-only designs, shared with the AFT code).

use super::family::ParametricFamily;
use super::fit::{newton, validate, Design, Problem, Sample};
use super::ParameterSummary;
use crate::error::{Error, Result};
use crate::survival::SampleWeights;

/// Which univariate model to fit.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub enum UnivariateModel {
    /// `H(t) = t/λ` (lifelines' `ExponentialFitter`, parameter `lambda_`).
    Exponential,
    /// Weibull, log-normal or log-logistic (lifelines' `WeibullFitter`,
    /// `LogNormalFitter`, `LogLogisticFitter`).
    LogLocationScale(ParametricFamily),
    /// Constant hazard `1/λᵢ` between consecutive breakpoints (lifelines'
    /// `PiecewiseExponentialFitter`, parameters `lambda_0_`, `lambda_1_`, …).
    PiecewiseExponential {
        /// Interior breakpoints `0 < b₁ < … < b_k` (finite); `k + 1` intervals.
        breakpoints: Vec<f64>,
    },
}

/// A fitted univariate parametric model.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct UnivariateParametric {
    /// The model.
    pub model: UnivariateModel,
    /// Maximum-likelihood estimates in lifelines' parametrisation, in the
    /// order of [`UnivariateParametric::parameter_names`].
    pub params: Vec<f64>,
    /// Inverse observed information of `params` (row-major, square).
    pub covariance: Vec<f64>,
    /// Maximised log-likelihood `ℓ(θ̂)` (weighted).
    pub log_likelihood: f64,
    /// Number of rows.
    pub rows: usize,
    /// `Σ wᵢ`.
    pub weight_sum: f64,
}

/// `E[(T − entry)⁺ in each interval]`, events per interval (weighted).
fn piecewise_exposure(
    breakpoints: &[f64],
    durations: &[f64],
    sample: &Sample<'_>,
    entry: Option<&[f64]>,
) -> (Vec<f64>, Vec<f64>) {
    let k = breakpoints.len() + 1;
    let mut exposure = vec![0.0; k];
    let mut events = vec![0.0; k];
    for (i, &t) in durations.iter().enumerate() {
        let w = sample.weight(i);
        let a = entry.map_or(0.0, |e| e[i]);
        let mut lo = 0.0;
        for j in 0..k {
            let hi = breakpoints.get(j).copied().unwrap_or(f64::INFINITY);
            let overlap = t.min(hi) - a.max(lo);
            if overlap > 0.0 {
                exposure[j] += w * overlap;
            }
            if sample.events[i] && t > lo && t <= hi {
                events[j] += w;
            }
            lo = hi;
        }
    }
    (exposure, events)
}

impl UnivariateParametric {
    /// Fits `model` by maximum likelihood to right-censored durations with
    /// optional case weights and entry times (see the [module docs](super)).
    ///
    /// # Errors
    /// [`Error::InvalidRows`] for non-finite or non-positive durations,
    /// negative or non-finite weights, non-finite entry times or ones after `tᵢ`;
    /// [`Error::LengthMismatch`]; [`Error::EmptyInput`] for no rows or no
    /// observed event (or, piecewise, an interval without events);
    /// [`Error::InvalidParameter`] for bad breakpoints;
    /// [`Error::NotConverged`] / [`Error::SingularMatrix`] when the
    /// likelihood has no interior maximum.
    pub fn fit(
        model: &UnivariateModel,
        durations: &[f64],
        events: &[bool],
        extra: &SampleWeights<'_>,
    ) -> Result<Self> {
        let sample = validate(durations, events, extra)?;
        let rows = durations.len();
        let weight_sum = sample.weight_sum;
        let (params, covariance, log_likelihood) = match model {
            UnivariateModel::Exponential => {
                let (exposure, d) = piecewise_exposure(&[], durations, &sample, extra.entry);
                let lambda = exposure[0] / d[0];
                let ll = -d[0] * lambda.ln() - d[0];
                (vec![lambda], vec![lambda * lambda / d[0]], ll)
            }
            UnivariateModel::PiecewiseExponential { breakpoints } => {
                check_breakpoints(breakpoints)?;
                let (exposure, d) =
                    piecewise_exposure(breakpoints, durations, &sample, extra.entry);
                if d.iter().any(|&x| x <= 0.0) {
                    return Err(Error::EmptyInput {
                        what: "observed events in a piecewise-exponential interval",
                    });
                }
                let k = d.len();
                let mut params = Vec::with_capacity(k);
                let mut cov = vec![0.0; k * k];
                let mut ll = 0.0;
                for j in 0..k {
                    let lambda = exposure[j] / d[j];
                    params.push(lambda);
                    cov[j * k + j] = lambda * lambda / d[j];
                    ll += -d[j] * lambda.ln() - d[j];
                }
                (params, cov, ll)
            }
            UnivariateModel::LogLocationScale(family) => {
                let fit = fit_lls(*family, &sample, durations, extra.entry)?;
                (fit.0, fit.1, fit.2)
            }
        };
        // Rates beyond ~1e154 have a covariance (λ²/d) that overflows
        // (found by fuzzing).
        if !params
            .iter()
            .chain(&covariance)
            .chain([&log_likelihood])
            .all(|v| v.is_finite())
        {
            return Err(Error::NonFiniteResult {
                what: "parametric survival fit",
                row: None,
            });
        }
        Ok(UnivariateParametric {
            model: model.clone(),
            params,
            covariance,
            log_likelihood,
            rows,
            weight_sum,
        })
    }

    /// Checks that a model rebuilt from its fields (e.g. deserialised) is
    /// consistent: as many parameters as the model has, a square
    /// covariance of that size, positive scale/shape parameters.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] naming the inconsistent field.
    pub fn check(&self) -> Result<()> {
        let k = match &self.model {
            UnivariateModel::Exponential => 1,
            UnivariateModel::LogLocationScale(_) => 2,
            UnivariateModel::PiecewiseExponential { breakpoints } => {
                check_breakpoints(breakpoints)?;
                breakpoints.len() + 1
            }
        };
        if self.params.len() != k {
            return Err(Error::parameter(
                "params",
                self.params.len(),
                "wrong number of parameters",
            ));
        }
        if self.covariance.len() != k * k {
            return Err(Error::parameter(
                "covariance",
                self.covariance.len(),
                "must be square in the parameters",
            ));
        }
        let lls = matches!(self.model, UnivariateModel::LogLocationScale(_));
        for (j, &v) in self.params.iter().enumerate() {
            let free = lls
                && j == 0
                && self.model == UnivariateModel::LogLocationScale(ParametricFamily::LogNormal);
            if v.is_nan() || (!free && v <= 0.0) {
                return Err(Error::parameter(
                    "params",
                    v,
                    "must be positive (a location may be any number)",
                ));
            }
        }
        Ok(())
    }

    /// lifelines' parameter names, e.g. `["lambda_", "rho_"]`.
    pub fn parameter_names(&self) -> Vec<String> {
        match &self.model {
            UnivariateModel::Exponential => vec!["lambda_".into()],
            UnivariateModel::LogLocationScale(f) => {
                f.parameter_names().iter().map(|s| s.to_string()).collect()
            }
            UnivariateModel::PiecewiseExponential { breakpoints } => (0..=breakpoints.len())
                .map(|i| format!("lambda_{i}_"))
                .collect(),
        }
    }

    /// The values lifelines' summary tests each parameter against (`cmp to`).
    pub fn compare_to(&self) -> Vec<f64> {
        match &self.model {
            UnivariateModel::LogLocationScale(ParametricFamily::LogNormal) => vec![0.0, 1.0],
            UnivariateModel::LogLocationScale(_) => vec![1.0, 1.0],
            _ => vec![0.0; self.params.len()],
        }
    }

    /// Standard errors: square roots of the covariance diagonal.
    pub fn standard_errors(&self) -> Vec<f64> {
        let k = self.params.len();
        (0..k).map(|j| self.covariance[j * k + j].sqrt()).collect()
    }

    /// Wald table at level `1 − alpha` against [`Self::compare_to`].
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] unless `0 < alpha < 1`.
    pub fn summary(&self, alpha: f64) -> Result<Vec<ParameterSummary>> {
        let cmp = self.compare_to();
        ParameterSummary::table(&self.params, &self.standard_errors(), &cmp, alpha)
    }

    /// Akaike information criterion `−2ℓ + 2k`.
    pub fn aic(&self) -> f64 {
        -2.0 * self.log_likelihood + 2.0 * self.params.len() as f64
    }

    /// Bayesian information criterion `−2ℓ + k log n` (`n` rows, as lifelines).
    pub fn bic(&self) -> f64 {
        -2.0 * self.log_likelihood + self.params.len() as f64 * (self.rows as f64).ln()
    }

    /// Cumulative hazard `H(t)` and its gradient in the parameters.
    pub(super) fn cumulative_hazard_and_gradient(&self, t: f64) -> (f64, Vec<f64>) {
        let p = &self.params;
        match &self.model {
            UnivariateModel::Exponential => (t / p[0], vec![-t / (p[0] * p[0])]),
            UnivariateModel::PiecewiseExponential { breakpoints } => {
                let mut h = 0.0;
                let mut grad = vec![0.0; p.len()];
                let mut lo = 0.0;
                for (j, lambda) in p.iter().enumerate() {
                    let hi = breakpoints.get(j).copied().unwrap_or(f64::INFINITY);
                    let m = (t.min(hi) - lo).max(0.0);
                    h += m / lambda;
                    grad[j] = -m / (lambda * lambda);
                    lo = hi;
                }
                (h, grad)
            }
            UnivariateModel::LogLocationScale(f) => {
                let eta1 = f.eta_from_first(p[0]);
                let kappa = f.kappa_sign() * p[1].ln();
                let ek = kappa.exp();
                let z = (t.ln() - eta1) * ek;
                let b = f.log_survival(z);
                let d_eta1 = ek * b.d1;
                let d_eta2 = -b.d1 * z * f.kappa_sign();
                let d_first = if *f == ParametricFamily::LogNormal {
                    d_eta1
                } else {
                    d_eta1 / p[0]
                };
                (-b.value, vec![d_first, d_eta2 / p[1]])
            }
        }
    }

    /// `H(t)`; 0 at `t = 0`.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] for a negative or non-finite `t`.
    pub fn cumulative_hazard(&self, t: f64) -> Result<f64> {
        check_time(t)?;
        Ok(if t == 0.0 {
            0.0
        } else {
            self.cumulative_hazard_and_gradient(t).0
        })
    }

    /// `S(t) = exp(−H(t))`.
    ///
    /// # Errors
    /// As [`Self::cumulative_hazard`].
    pub fn survival(&self, t: f64) -> Result<f64> {
        Ok((-self.cumulative_hazard(t)?).exp())
    }

    /// Hazard `h(t) = H′(t)` (right-continuous for the piecewise model; at
    /// `t = 0` the limit, which may be `0` or `∞`).
    ///
    /// # Errors
    /// As [`Self::cumulative_hazard`].
    pub fn hazard(&self, t: f64) -> Result<f64> {
        check_time(t)?;
        let p = &self.params;
        Ok(match &self.model {
            UnivariateModel::Exponential => 1.0 / p[0],
            UnivariateModel::PiecewiseExponential { breakpoints } => {
                let j = breakpoints.iter().take_while(|&&b| b <= t).count();
                1.0 / p[j]
            }
            UnivariateModel::LogLocationScale(f) => {
                let (e1, ek, z) = self.standardise(*f, t);
                if t == 0.0 {
                    return Ok(match f {
                        ParametricFamily::LogNormal => 0.0,
                        _ => match ek.partial_cmp(&1.0) {
                            Some(std::cmp::Ordering::Greater) => 0.0,
                            Some(std::cmp::Ordering::Less) => f64::INFINITY,
                            _ => (-e1).exp(),
                        },
                    });
                }
                let a = f.log_density(z).value;
                let b = f.log_survival(z).value;
                (a + ek.ln() - t.ln() - b).exp()
            }
        })
    }

    /// `(η₁, e^κ, z)` at `t`.
    pub(super) fn standardise(&self, f: ParametricFamily, t: f64) -> (f64, f64, f64) {
        let e1 = f.eta_from_first(self.params[0]);
        let ek = (f.kappa_sign() * self.params[1].ln()).exp();
        (e1, ek, (t.ln() - e1) * ek)
    }

    /// Density `f(t) = h(t) S(t)`.
    ///
    /// # Errors
    /// As [`Self::cumulative_hazard`].
    pub fn density(&self, t: f64) -> Result<f64> {
        let h = self.hazard(t)?;
        let s = self.survival(t)?;
        Ok(if h.is_infinite() { h } else { h * s })
    }

    /// The time `t` with `S(t) = p`, for `0 < p < 1` (lifelines' `percentile`).
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] unless `0 < p < 1`.
    pub fn percentile(&self, p: f64) -> Result<f64> {
        if !(p > 0.0 && p < 1.0) {
            return Err(Error::parameter(
                "p",
                p,
                "must lie strictly between 0 and 1",
            ));
        }
        let target = -p.ln();
        let q = &self.params;
        Ok(match &self.model {
            UnivariateModel::Exponential => q[0] * target,
            UnivariateModel::PiecewiseExponential { breakpoints } => {
                let mut h = 0.0;
                let mut lo = 0.0;
                let mut out = f64::INFINITY;
                for (j, lambda) in q.iter().enumerate() {
                    let hi = breakpoints.get(j).copied().unwrap_or(f64::INFINITY);
                    let gain = (hi - lo) / lambda;
                    if h + gain >= target {
                        out = lo + (target - h) * lambda;
                        break;
                    }
                    h += gain;
                    lo = hi;
                }
                out
            }
            UnivariateModel::LogLocationScale(f) => {
                let e1 = f.eta_from_first(q[0]);
                let ek = (f.kappa_sign() * q[1].ln()).exp();
                (e1 + f.survival_quantile(p) / ek).exp()
            }
        })
    }

    /// The median survival time, `percentile(0.5)`.
    pub fn median(&self) -> f64 {
        self.percentile(0.5).unwrap_or(f64::NAN)
    }
}

/// Vectorised queries: each applies its scalar method to every time.
impl UnivariateParametric {
    /// [`Self::survival`] at each time.
    ///
    /// # Errors
    /// As [`Self::cumulative_hazard`], for the first bad time.
    pub fn survival_at(&self, times: &[f64]) -> Result<Vec<f64>> {
        times.iter().map(|&t| self.survival(t)).collect()
    }

    /// [`Self::cumulative_hazard`] at each time.
    ///
    /// # Errors
    /// As [`Self::cumulative_hazard`].
    pub fn cumulative_hazard_at(&self, times: &[f64]) -> Result<Vec<f64>> {
        times.iter().map(|&t| self.cumulative_hazard(t)).collect()
    }

    /// [`Self::hazard`] at each time.
    ///
    /// # Errors
    /// As [`Self::cumulative_hazard`].
    pub fn hazard_at(&self, times: &[f64]) -> Result<Vec<f64>> {
        times.iter().map(|&t| self.hazard(t)).collect()
    }

    /// [`Self::density`] at each time.
    ///
    /// # Errors
    /// As [`Self::cumulative_hazard`].
    pub fn density_at(&self, times: &[f64]) -> Result<Vec<f64>> {
        times.iter().map(|&t| self.density(t)).collect()
    }
}

pub(super) fn check_time(t: f64) -> Result<()> {
    if t.is_finite() && t >= 0.0 {
        Ok(())
    } else {
        Err(Error::parameter("t", t, "must be a finite time ≥ 0"))
    }
}

fn check_breakpoints(b: &[f64]) -> Result<()> {
    if b.is_empty() {
        return Err(Error::EmptyInput {
            what: "breakpoints",
        });
    }
    for (j, &x) in b.iter().enumerate() {
        let prev = if j == 0 { 0.0 } else { b[j - 1] };
        if !(x.is_finite() && x > prev) {
            return Err(Error::parameter(
                "breakpoints",
                x,
                "must be finite, positive and strictly increasing",
            ));
        }
    }
    Ok(())
}

/// Newton fit of a log-location-scale family without covariates:
/// natural parameters, their covariance, and `ℓ`.
pub(crate) fn fit_lls(
    family: ParametricFamily,
    sample: &Sample<'_>,
    durations: &[f64],
    entry: Option<&[f64]>,
) -> Result<(Vec<f64>, Vec<f64>, f64)> {
    let beta = fit_lls_eta(family, sample, durations, entry, true)?;
    let nat = [family.first_from_eta(beta.0[0]), beta.0[1].exp()];
    let j = [
        if family == ParametricFamily::LogNormal {
            1.0
        } else {
            nat[0]
        },
        nat[1],
    ];
    let c = &beta.1;
    let cov = vec![
        j[0] * c[0] * j[0],
        j[0] * c[1] * j[1],
        j[1] * c[2] * j[0],
        j[1] * c[3] * j[1],
    ];
    Ok((nat.to_vec(), cov, beta.2))
}

/// `(β̂ = (η₁, η₂), covariance in η, ℓ)` without covariates (the
/// covariance exact only with `covariance`, see [`newton`]).
pub(crate) fn fit_lls_eta(
    family: ParametricFamily,
    sample: &Sample<'_>,
    durations: &[f64],
    entry: Option<&[f64]>,
    covariance: bool,
) -> Result<(Vec<f64>, Vec<f64>, f64)> {
    let design = Design {
        x1: &[],
        k1: 0,
        int1: true,
        x2: &[],
        k2: 0,
        int2: true,
    };
    let problem = Problem {
        family,
        sample,
        design,
        penalty: vec![0.0; 2],
    };
    let fit = newton(
        &problem,
        start(family, sample, durations, entry),
        family_label(family),
        covariance,
    )?;
    Ok((fit.beta, fit.covariance, -fit.objective))
}

/// Starting point: the exponential MLE scale for the location and unit
/// shape (`log σ = 0`); log-normal starts at the weighted mean of `log t`.
fn start(
    family: ParametricFamily,
    sample: &Sample<'_>,
    durations: &[f64],
    entry: Option<&[f64]>,
) -> Vec<f64> {
    let (exposure, d) = piecewise_exposure(&[], durations, sample, entry);
    let log_scale = (exposure[0] / d[0]).ln();
    match family {
        ParametricFamily::LogNormal => {
            let mean = (0..sample.len())
                .map(|i| sample.weight(i) * sample.log_t[i])
                .sum::<f64>()
                / sample.weight_sum;
            vec![mean.max(log_scale.min(mean + 1.0)), 0.0]
        }
        _ => vec![log_scale, 0.0],
    }
}

/// Human-readable name of a family's fit, for errors.
pub(crate) fn family_label(family: ParametricFamily) -> &'static str {
    match family {
        ParametricFamily::Weibull => "Weibull fit",
        ParametricFamily::LogNormal => "log-normal fit",
        ParametricFamily::LogLogistic => "log-logistic fit",
    }
}
