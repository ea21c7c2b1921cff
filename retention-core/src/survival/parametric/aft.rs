//! Accelerated failure time regression on the log-location-scale families.

use super::family::ParametricFamily;
use super::fit::{newton, validate, Design, Problem, Sample};
use super::univariate::{family_label, fit_lls_eta};
use super::ParameterSummary;
use crate::error::{Error, IssueKind, Issues, Result};
use crate::linalg::{cholesky, cholesky_solve};
use crate::survival::{concordance_index, SampleWeights};

/// Options of [`AftModel::fit`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct AftOptions {
    /// lifelines' L2 `penalizer` `c ≥ 0` (see the [module docs](super)). Default 0.
    pub penalizer: f64,
    /// Add an intercept to each parameter (lifelines' `fit_intercept`); an
    /// ancillary parameter without covariates always has one. Default `true`.
    pub fit_intercept: bool,
    /// Report lifelines' robust (sandwich) standard errors (`robust=True`;
    /// see [`AftModel::robust_covariance`]). Default `false`.
    pub robust: bool,
}

impl Default for AftOptions {
    fn default() -> Self {
        AftOptions {
            penalizer: 0.0,
            fit_intercept: true,
            robust: false,
        }
    }
}

/// A fitted AFT model: `η₁ = x₁ᵀβ₁` (+ intercept), `η₂ = x₂ᵀβ₂` (+ intercept).
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct AftModel {
    /// The family.
    pub family: ParametricFamily,
    /// Coefficients: the `k₁` covariates of the first parameter, its
    /// intercept (if fitted), the `k₂` covariates of the second, its
    /// intercept (if fitted).
    pub coefficients: Vec<f64>,
    /// Inverse Hessian of the penalised negative log-likelihood (row-major).
    pub covariance: Vec<f64>,
    /// With `robust`: the sandwich covariance `V J V` (`V` =
    /// [`Self::covariance`], `J = Σᵢ uᵢ uᵢᵀ` over the rows' unweighted
    /// score vectors, as lifelines computes it); the standard errors then
    /// come from it.
    pub robust_covariance: Option<Vec<f64>>,
    /// Log-likelihood at the optimum (penalised when `penalizer > 0`, as lifelines).
    pub log_likelihood: f64,
    /// Log-likelihood of the model without covariates (lifelines' `_ll_null`).
    pub null_log_likelihood: f64,
    /// Covariates of the first parameter.
    pub k1: usize,
    /// Whether the first parameter has an intercept.
    pub intercept: bool,
    /// Whether the second parameter has an intercept.
    pub ancillary_intercept: bool,
    /// Covariates of the second (ancillary) parameter.
    pub k2: usize,
    /// Number of rows.
    pub rows: usize,
    /// `Σ wᵢ`.
    pub weight_sum: f64,
    /// Newton iterations.
    pub iterations: usize,
}

fn check_matrix(field: &'static str, x: &[f64], n: usize, k: usize) -> Result<()> {
    crate::error::check_len(field, n * k, x.len())?;
    let mut issues = Issues::default();
    for (idx, &v) in x.iter().enumerate() {
        if !v.is_finite() {
            issues.push(
                idx.checked_div(k).unwrap_or(idx),
                field,
                v,
                IssueKind::NotFinite,
            );
        }
    }
    issues.finish()
}

/// Sample standard deviation (n − 1) of column `j` of a row-major matrix.
/// Weighted least-squares slopes of `log t` on the `k` covariates (with an
/// intercept) over the rows with an event, and the ratio of the residual
/// standard deviation to that of `log t`; `None` when they are not
/// determined (fewer events than parameters, collinear columns).
fn event_least_squares(sample: &Sample<'_>, x: &[f64], k: usize) -> Option<(Vec<f64>, f64)> {
    if k == 0 {
        return Some((Vec::new(), 1.0));
    }
    let q = k + 1;
    let mut xtx = vec![0.0; q * q];
    let mut xty = vec![0.0; q];
    let mut v = vec![1.0; q];
    for i in (0..sample.len()).filter(|&i| sample.events[i]) {
        let w = sample.weight(i);
        v[..k].copy_from_slice(&x[i * k..(i + 1) * k]);
        for a in 0..q {
            let wa = w * v[a];
            xty[a] += wa * sample.log_t[i];
            for b in a..q {
                xtx[a * q + b] += wa * v[b];
            }
        }
    }
    for a in 0..q {
        for b in 0..a {
            xtx[a * q + b] = xtx[b * q + a];
        }
    }
    let scale = (0..q).map(|j| xtx[j * q + j]).fold(0.0, f64::max);
    let l = cholesky(&xtx, q, scale).ok()?;
    let beta = cholesky_solve(&l, q, &xty);
    // Residual and total sums of squares: Σwy² − βᵀXᵀy and Σwy² − (Σwy)²/Σw.
    let (mut w, mut wy, mut wyy) = (0.0, 0.0, 0.0);
    for i in (0..sample.len()).filter(|&i| sample.events[i]) {
        let (wi, y) = (sample.weight(i), sample.log_t[i]);
        w += wi;
        wy += wi * y;
        wyy += wi * y * y;
    }
    let fitted: f64 = beta.iter().zip(&xty).map(|(b, c)| b * c).sum();
    let spread = ((wyy - fitted) / (wyy - wy * wy / w)).sqrt();
    let spread = if spread.is_finite() && spread > 0.0 {
        spread.clamp(0.05, 1.0)
    } else {
        1.0
    };
    let mut slopes = beta;
    slopes.truncate(k);
    slopes
        .iter()
        .all(|b| b.is_finite())
        .then_some((slopes, spread))
}

/// The weighted mean of `x β` over all rows.
fn mean_prediction(sample: &Sample<'_>, x: &[f64], beta: &[f64]) -> f64 {
    let k = beta.len();
    if k == 0 {
        return 0.0;
    }
    let total: f64 = (0..sample.len())
        .map(|i| {
            let row = &x[i * k..(i + 1) * k];
            sample.weight(i) * row.iter().zip(beta).map(|(a, b)| a * b).sum::<f64>()
        })
        .sum();
    total / sample.weight_sum
}

fn column_std(x: &[f64], k: usize, j: usize, n: usize) -> f64 {
    if n < 2 {
        return 0.0;
    }
    let mean = (0..n).map(|i| x[i * k + j]).sum::<f64>() / n as f64;
    let ss: f64 = (0..n).map(|i| (x[i * k + j] - mean).powi(2)).sum();
    (ss / (n - 1) as f64).sqrt()
}

impl AftModel {
    /// Fits the AFT model. `location` is the row-major `n × k1` covariate
    /// matrix of the first parameter, `ancillary` the `n × k2` matrix of
    /// the second (`k2 = 0`: intercept only, lifelines' `ancillary=False`).
    ///
    /// # Errors
    /// As [`super::UnivariateParametric::fit`], plus
    /// [`Error::LengthMismatch`] for matrices of the wrong size,
    /// [`Error::InvalidRows`] for non-finite covariates and
    /// [`Error::InvalidParameter`] for a negative or non-finite `penalizer`.
    #[allow(clippy::too_many_arguments)]
    pub fn fit(
        family: ParametricFamily,
        durations: &[f64],
        events: &[bool],
        extra: &SampleWeights<'_>,
        location: &[f64],
        k1: usize,
        ancillary: &[f64],
        k2: usize,
        options: &AftOptions,
    ) -> Result<Self> {
        let sample = validate(durations, events, extra)?;
        let n = durations.len();
        check_matrix("location covariates", location, n, k1)?;
        check_matrix("ancillary covariates", ancillary, n, k2)?;
        if !(options.penalizer.is_finite() && options.penalizer >= 0.0) {
            return Err(Error::parameter(
                "penalizer",
                options.penalizer,
                "must be a finite number ≥ 0",
            ));
        }
        let design = Design {
            x1: location,
            k1,
            int1: options.fit_intercept,
            x2: ancillary,
            k2,
            int2: options.fit_intercept || k2 == 0,
        };
        let p1 = design.p1();
        let p = design.p();
        // Penalty weights: W·c·s², constant columns of multi-column blocks free.
        let mut penalty = vec![0.0; p];
        if options.penalizer > 0.0 {
            let blocks = [
                (0, location, k1, design.int1),
                (p1, ancillary, k2, design.int2),
            ];
            for (offset, x, k, int) in blocks {
                let size = k + usize::from(int);
                for j in 0..size {
                    let s = if j < k { column_std(x, k, j, n) } else { 0.0 };
                    let constant = s < 1e-8;
                    if constant && size > 1 {
                        continue;
                    }
                    let s = if constant { 1.0 } else { s };
                    penalty[offset + j] = sample.weight_sum * options.penalizer * s * s;
                }
            }
        }
        // Only the optimum and ℓ of the model without covariates are needed.
        let (uni_beta, _, null_ll) = fit_lls_eta(family, &sample, durations, extra.entry, false)?;
        let mut start = vec![0.0; p];
        // Slopes from least squares of log t on the covariates over the
        // observed events, and the shape scaled by the share of the spread
        // they leave (a start a few Newton steps closer than the
        // univariate fit's); the intercept keeps the mean linear predictor
        // at the univariate fit's location.
        let ls = design
            .int1
            .then(|| event_least_squares(&sample, location, k1))
            .flatten();
        let (slopes, spread) = ls.unwrap_or_else(|| (vec![0.0; k1], 1.0));
        let kappa = family.kappa_sign() * uni_beta[1];
        let kappa_start = kappa - spread.ln();
        if design.int1 {
            start[..k1].copy_from_slice(&slopes);
            start[k1] = uni_beta[0] - mean_prediction(&sample, location, &slopes);
        }
        if design.int2 {
            start[p - 1] = family.kappa_sign() * if k2 == 0 { kappa_start } else { kappa };
        }
        let problem = Problem {
            family,
            sample: &sample,
            design,
            penalty,
        };
        let fit = newton(&problem, start, family_label(family), true)?;
        let robust_covariance = options.robust.then(|| {
            let mask: Vec<f64> = problem
                .penalty
                .iter()
                .map(|&x| if x > 0.0 { options.penalizer } else { 0.0 })
                .collect();
            problem.sandwich(&fit.beta, &fit.covariance, &mask)
        });
        Ok(AftModel {
            robust_covariance,
            family,
            coefficients: fit.beta,
            covariance: fit.covariance,
            log_likelihood: -fit.objective,
            null_log_likelihood: null_ll,
            k1,
            intercept: design.int1,
            ancillary_intercept: design.int2,
            k2,
            rows: n,
            weight_sum: sample.weight_sum,
            iterations: fit.iterations,
        })
    }

    /// Harrell's concordance of the predicted medians with the durations
    /// (lifelines' `concordance_index_` on the training data, `score(…,
    /// "concordance_index")` on new data).
    ///
    /// # Errors
    /// As [`Self::predict_percentile`] and [`concordance_index`].
    pub fn concordance_index(
        &self,
        durations: &[f64],
        events: &[bool],
        location: &[f64],
        ancillary: &[f64],
    ) -> Result<f64> {
        let medians = self.predict_percentile(location, ancillary, 0.5, None)?;
        concordance_index(durations, &medians, events)
    }

    /// Average log-likelihood `ℓ/Σwᵢ` of (new) data under the fitted
    /// coefficients, without the penalty (lifelines' `score` with
    /// `scoring_method="log_likelihood"`).
    ///
    /// # Errors
    /// As [`Self::fit`] for the data and covariates.
    pub fn mean_log_likelihood(
        &self,
        durations: &[f64],
        events: &[bool],
        extra: &SampleWeights<'_>,
        location: &[f64],
        ancillary: &[f64],
    ) -> Result<f64> {
        let sample = validate(durations, events, extra)?;
        let n = durations.len();
        check_matrix("location covariates", location, n, self.k1)?;
        check_matrix("ancillary covariates", ancillary, n, self.k2)?;
        let design = Design {
            x1: location,
            k1: self.k1,
            int1: self.intercept,
            x2: ancillary,
            k2: self.k2,
            int2: self.ancillary_intercept,
        };
        let problem = Problem {
            family: self.family,
            sample: &sample,
            design,
            penalty: vec![0.0; design.p()],
        };
        let f = problem
            .eval(&self.coefficients, None, None)
            .ok_or(Error::NonFiniteResult {
                what: "parametric log-likelihood",
                row: None,
            })?;
        Ok(-f / sample.weight_sum)
    }

    /// Checks that a model rebuilt from its fields (e.g. deserialised) is
    /// consistent: one coefficient per covariate and intercept, a square
    /// covariance of that size.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] naming the inconsistent field.
    pub fn check(&self) -> Result<()> {
        let p =
            self.k1 + usize::from(self.intercept) + self.k2 + usize::from(self.ancillary_intercept);
        if self.coefficients.len() != p {
            return Err(Error::parameter(
                "coefficients",
                self.coefficients.len(),
                "one per covariate and intercept",
            ));
        }
        if self.covariance.len() != p * p
            || self
                .robust_covariance
                .as_ref()
                .is_some_and(|r| r.len() != p * p)
        {
            return Err(Error::parameter(
                "covariance",
                self.covariance.len(),
                "must be square in the coefficients",
            ));
        }
        if self.k2 == 0 && !self.ancillary_intercept {
            return Err(Error::parameter(
                "ancillary_intercept",
                false,
                "an ancillary parameter without covariates needs its intercept",
            ));
        }
        Ok(())
    }

    /// Standard errors of [`Self::coefficients`] (robust ones when fitted
    /// with `robust`).
    pub fn standard_errors(&self) -> Vec<f64> {
        let p = self.coefficients.len();
        let v = self
            .robust_covariance
            .as_deref()
            .unwrap_or(&self.covariance);
        (0..p).map(|j| v[j * p + j].max(0.0).sqrt()).collect()
    }

    /// Wald table at level `1 − alpha`, each coefficient tested against 0.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] unless `0 < alpha < 1`.
    pub fn summary(&self, alpha: f64) -> Result<Vec<ParameterSummary>> {
        let zeros = vec![0.0; self.coefficients.len()];
        ParameterSummary::table(&self.coefficients, &self.standard_errors(), &zeros, alpha)
    }

    /// `AIC = −2ℓ + 2p` (`p` coefficients).
    pub fn aic(&self) -> f64 {
        -2.0 * self.log_likelihood + 2.0 * self.coefficients.len() as f64
    }

    /// lifelines' `BIC_` for regression models: `−2ℓ + 2 log n` (it counts
    /// the two parameters of the family, not the coefficients).
    pub fn bic(&self) -> f64 {
        -2.0 * self.log_likelihood + 2.0 * (self.rows as f64).ln()
    }

    pub(super) fn design<'a>(
        &self,
        location: &'a [f64],
        ancillary: &'a [f64],
    ) -> Result<(Design<'a>, usize)> {
        let n = if let Some(n) = location.len().checked_div(self.k1) {
            n
        } else if let Some(n) = ancillary.len().checked_div(self.k2) {
            n
        } else {
            return Err(Error::parameter(
                "location",
                "no covariates",
                "the model has no covariates; pass the number of rows through a fit with covariates",
            ));
        };
        check_matrix("location covariates", location, n, self.k1)?;
        check_matrix("ancillary covariates", ancillary, n, self.k2)?;
        Ok((
            Design {
                x1: location,
                k1: self.k1,
                int1: self.intercept,
                x2: ancillary,
                k2: self.k2,
                int2: self.ancillary_intercept,
            },
            n,
        ))
    }

    /// Likelihood-ratio test against the model without covariates:
    /// `(2 (ℓ − ℓ₀), p − 2, p-value)` on χ² with `p − 2` degrees of freedom
    /// (lifelines' `log_likelihood_ratio_test`).
    pub fn likelihood_ratio_test(&self) -> (f64, usize, f64) {
        let stat = 2.0 * (self.log_likelihood - self.null_log_likelihood);
        let df = self.coefficients.len().saturating_sub(2);
        (stat, df, crate::special::chi_square_sf(stat.max(0.0), df))
    }
}
