//! Cox proportional hazards regression by Newton–Raphson on the partial
//! likelihood, with Efron (default) or Breslow handling of tied times.
//!
//! See the [module overview](super) for the likelihood, its derivatives and
//! references.

use super::concordance::concordance_counts;
use super::table::{duration_key, order_by_keys};
use crate::error::{check_non_negative, Error, IssueKind, Issues, Result};
use crate::linalg::{cholesky, cholesky_inverse, cholesky_solve};
use crate::special::normal_two_sided_p;

crate::vocab::codes! {
    /// Approximation of the partial likelihood at tied event times.
    #[non_exhaustive]
    #[derive(Default)]
    pub enum CoxTies as "cox_ties" {
        /// Efron (1977); lifelines' only method and the default.
        #[default]
        Efron = "efron",
        /// Breslow (1974); statsmodels' `PHReg` default.
        Breslow = "breslow",
    }
}

/// Options for [`CoxModel::fit`].
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(default, deny_unknown_fields))]
pub struct CoxOptions {
    /// Tie handling. Default [`CoxTies::Efron`].
    pub ties: CoxTies,
    /// Ridge penalty `c ≥ 0`: the fit maximises
    /// `ℓ(β) − c · n / 2 · ‖β_std‖²` on standardised covariates (lifelines'
    /// `penalizer` with `l1_ratio = 0`). Default 0.
    pub penalizer: f64,
    /// Newton iterations allowed before [`Error::NotConverged`]. Default 50.
    pub max_iterations: usize,
    /// Convergence threshold on the largest Newton step of the
    /// standardised coefficients. Default 1e-9.
    pub tolerance: f64,
}

impl Default for CoxOptions {
    fn default() -> Self {
        CoxOptions {
            ties: CoxTies::Efron,
            penalizer: 0.0,
            max_iterations: 50,
            tolerance: 1e-9,
        }
    }
}

/// A fitted Cox proportional hazards model. Vectors are indexed by
/// covariate, in the order given to [`CoxModel::fit`].
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct CoxModel {
    /// Coefficients `β` on the original covariate scale (log hazard ratios).
    pub coefficients: Vec<f64>,
    /// Standard errors of the coefficients.
    pub standard_errors: Vec<f64>,
    /// Wald statistics `β / se`.
    pub z: Vec<f64>,
    /// Two-sided p-values `P(|Z| > |z|)`.
    pub p_values: Vec<f64>,
    /// Covariance matrix of `β`, `p × p`, row-major.
    pub variance_matrix: Vec<f64>,
    /// Partial log-likelihood at the estimate (minus the penalty when
    /// `penalizer > 0`, as lifelines reports it).
    pub log_likelihood: f64,
    /// Partial log-likelihood at `β = 0`.
    pub null_log_likelihood: f64,
    /// Harrell's concordance of the durations with `−xᵀβ`; `None` when no
    /// pair of subjects is comparable.
    pub concordance: Option<f64>,
    /// Covariate means used for standardisation.
    pub means: Vec<f64>,
    /// Covariate sample standard deviations used for standardisation.
    pub std_devs: Vec<f64>,
    /// Newton iterations performed.
    pub iterations: usize,
    /// Number of subjects.
    pub n_observations: usize,
    /// Number of observed events.
    pub n_events: usize,
    /// Tie handling used.
    pub ties: CoxTies,
    /// Ridge penalty used.
    pub penalizer: f64,
}

/// Subjects sorted by decreasing time, covariates standardised, row-major.
struct Design {
    n: usize,
    p: usize,
    x: Vec<f64>,
    event: Vec<bool>,
    /// `[start, end)` ranges of tied times, in the sorted order.
    blocks: Vec<(usize, usize)>,
}

/// Log-likelihood, score and information (lower triangle filled, then
/// mirrored) at one `β`.
struct Evaluation {
    ll: f64,
    score: Vec<f64>,
    info: Vec<f64>,
}

impl Design {
    fn evaluate(&self, beta: &[f64], ties: CoxTies, penalty: f64) -> Evaluation {
        let (n, p) = (self.n, self.p);
        let eta: Vec<f64> = self
            .x
            .chunks_exact(p)
            .map(|row| row.iter().zip(beta).map(|(a, b)| a * b).sum())
            .collect();
        let shift = eta.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let shift = if shift.is_finite() { shift } else { 0.0 };

        let mut s0 = 0.0;
        let mut s1 = vec![0.0; p];
        let mut s2 = vec![0.0; p * p];
        let mut d1 = vec![0.0; p];
        let mut d2 = vec![0.0; p * p];
        let mut ll = 0.0;
        let mut score = vec![0.0; p];
        let mut info = vec![0.0; p * p];

        for &(start, end) in &self.blocks {
            let mut d0 = 0.0;
            let mut deaths = 0usize;
            d1.iter_mut().for_each(|v| *v = 0.0);
            d2.iter_mut().for_each(|v| *v = 0.0);
            let rows = self.x[start * p..end * p]
                .chunks_exact(p)
                .zip(&eta[start..end])
                .zip(&self.event[start..end]);
            for ((xi, &eta_i), &is_event) in rows {
                let w = (eta_i - shift).exp();
                if is_event {
                    deaths += 1;
                    d0 += w;
                    ll += eta_i;
                    for (sa, &xa) in score.iter_mut().zip(xi) {
                        *sa += xa;
                    }
                    add_weighted_outer(&mut d1, &mut d2, xi, w);
                } else {
                    s0 += w;
                    add_weighted_outer(&mut s1, &mut s2, xi, w);
                }
            }
            // The block's events join the risk set too.
            s0 += d0;
            for (sa, da) in s1.iter_mut().zip(&d1) {
                *sa += da;
            }
            for (sab, dab) in s2.iter_mut().zip(&d2) {
                *sab += dab;
            }
            if deaths == 0 {
                continue;
            }
            // Sums over the tie terms l = 0..d−1 of φ_l = s0 − f_l d0 with
            // f_l = l/d (Efron) or f_l = 0 (Breslow, all d terms equal).
            let df = deaths as f64;
            let (r1, rf, q1, qf, qff, log_sum) = match ties {
                CoxTies::Breslow => (df / s0, 0.0, df / (s0 * s0), 0.0, 0.0, df * s0.ln()),
                CoxTies::Efron => {
                    let mut sums = (0.0, 0.0, 0.0, 0.0, 0.0, 0.0);
                    for l in 0..deaths {
                        let f = l as f64 / df;
                        let phi = s0 - f * d0;
                        let inv = 1.0 / phi;
                        sums.0 += inv;
                        sums.1 += f * inv;
                        sums.2 += inv * inv;
                        sums.3 += f * inv * inv;
                        sums.4 += f * f * inv * inv;
                        sums.5 += phi.ln();
                    }
                    sums
                }
            };
            ll -= log_sum + df * shift;
            for a in 0..p {
                score[a] -= s1[a] * r1 - d1[a] * rf;
                for b in 0..=a {
                    let second = s2[a * p + b] * r1 - d2[a * p + b] * rf;
                    let outer = s1[a] * s1[b] * q1 - (s1[a] * d1[b] + d1[a] * s1[b]) * qf
                        + d1[a] * d1[b] * qff;
                    info[a * p + b] += second - outer;
                }
            }
        }
        if penalty > 0.0 {
            let c = penalty * n as f64;
            for a in 0..p {
                ll -= 0.5 * c * beta[a] * beta[a];
                score[a] -= c * beta[a];
                info[a * p + a] += c;
            }
        }
        for a in 0..p {
            for b in 0..a {
                info[b * p + a] = info[a * p + b];
            }
        }
        Evaluation { ll, score, info }
    }
}

/// `s1 += w x`, and `w x xᵀ` added to the lower triangle of `s2` (`p × p`).
#[inline]
fn add_weighted_outer(s1: &mut [f64], s2: &mut [f64], x: &[f64], w: f64) {
    let p = x.len();
    for (a, (&xa, s1a)) in x.iter().zip(s1.iter_mut()).enumerate() {
        let wa = w * xa;
        *s1a += wa;
        for (cell, &xb) in s2[a * p..=a * p + a].iter_mut().zip(&x[..=a]) {
            *cell += wa * xb;
        }
    }
}

const WHAT_INFO: &str = "Cox information matrix";
const WHAT_FIT: &str = "Cox proportional hazards";

impl CoxModel {
    /// Akaike's information criterion of the partial likelihood,
    /// `2k − 2ℓ` (lifelines' `AIC_partial_`).
    pub fn aic_partial(&self) -> f64 {
        2.0 * self.coefficients.len() as f64 - 2.0 * self.log_likelihood
    }

    /// Fits a Cox model. `covariates` holds one slice per covariate (column),
    /// each as long as `durations`.
    ///
    /// # Errors
    /// - [`Error::EmptyInput`] for no subjects, no covariates, or no
    ///   observed event;
    /// - [`Error::LengthMismatch`] for an `event_observed` or covariate column
    ///   of the wrong length;
    /// - [`Error::InvalidRows`] listing every negative or non-finite duration
    ///   and every non-finite covariate value (field `covariate`, value
    ///   prefixed with the column index);
    /// - [`Error::InvalidParameter`] for a negative or non-finite
    ///   `penalizer`, a non-positive `tolerance` or zero `max_iterations`;
    /// - [`Error::SingularMatrix`] when a covariate is constant or the
    ///   information matrix is not positive definite (collinear covariates);
    /// - [`Error::NotConverged`] when Newton–Raphson does not converge (as
    ///   under complete separation).
    pub fn fit<C: AsRef<[f64]>>(
        durations: &[f64],
        event_observed: &[bool],
        covariates: &[C],
        options: &CoxOptions,
    ) -> Result<Self> {
        let n = durations.len();
        let p = covariates.len();
        check_options(options)?;
        crate::error::check_len("event_observed", n, event_observed.len())?;
        for column in covariates {
            let len = column.as_ref().len();
            crate::error::check_len("covariates", n, len)?;
        }
        if n == 0 {
            return Err(Error::EmptyInput { what: "durations" });
        }
        if p == 0 {
            return Err(Error::EmptyInput { what: "covariates" });
        }
        let mut issues = Issues::default();
        for (row, &d) in durations.iter().enumerate() {
            check_non_negative(&mut issues, row, "duration", d);
        }
        for (j, column) in covariates.iter().enumerate() {
            for (row, &v) in column.as_ref().iter().enumerate() {
                if !v.is_finite() {
                    issues.push(
                        row,
                        "covariate",
                        format!("column {j}: {v}"),
                        IssueKind::NotFinite,
                    );
                }
            }
        }
        issues.finish()?;
        let n_events = event_observed.iter().filter(|&&e| e).count();
        if n_events == 0 {
            return Err(Error::EmptyInput {
                what: "observed events",
            });
        }

        // Standardise: mean 0, sample standard deviation 1.
        let mut means = Vec::with_capacity(p);
        let mut std_devs = Vec::with_capacity(p);
        for (j, column) in covariates.iter().enumerate() {
            let column = column.as_ref();
            let mean = column.iter().sum::<f64>() / n as f64;
            let ss: f64 = column.iter().map(|v| (v - mean) * (v - mean)).sum();
            let sd = if n > 1 {
                (ss / (n - 1) as f64).sqrt()
            } else {
                0.0
            };
            // The covariance is rescaled by 1/sd², which must stay a normal float.
            let sd2 = sd * sd;
            if !(sd.is_finite() && sd > 0.0 && sd2.is_normal() && (1.0 / sd2).is_normal()) {
                return Err(Error::SingularMatrix {
                    what: "Cox covariates (column is constant, or its spread too small or too large to standardise)",
                    index: j,
                });
            }
            means.push(mean);
            std_devs.push(sd);
        }

        // Decreasing time, so risk sets grow as the subjects are visited.
        let mut order = order_by_keys(durations.iter().map(|&d| duration_key(d)));
        order.reverse();
        // Standardised rows in input order (sequential reads of each column),
        // then gathered in time order one contiguous row at a time.
        let mut rows = vec![0.0; n * p];
        for (j, column) in covariates.iter().enumerate() {
            for (cell, &v) in rows[j..].iter_mut().step_by(p).zip(column.as_ref()) {
                *cell = (v - means[j]) / std_devs[j];
            }
        }
        let mut x = Vec::with_capacity(n * p);
        for &i in &order {
            x.extend_from_slice(&rows[i * p..(i + 1) * p]);
        }
        drop(rows);
        let mut blocks = Vec::new();
        let mut start = 0;
        while start < n {
            let key = duration_key(durations[order[start]]);
            let mut end = start + 1;
            while end < n && duration_key(durations[order[end]]) == key {
                end += 1;
            }
            blocks.push((start, end));
            start = end;
        }
        let design = Design {
            n,
            p,
            x,
            event: order.iter().map(|&i| event_observed[i]).collect(),
            blocks,
        };

        let fit = newton_raphson(&design, options)?;
        let (beta, eval, iterations) = (fit.beta, fit.eval, fit.iterations);
        let null_log_likelihood = fit.null_log_likelihood;
        let l = cholesky(&eval.info, p, 0.0).map_err(|index| Error::SingularMatrix {
            what: WHAT_INFO,
            index,
        })?;
        let inv = cholesky_inverse(&l, p);

        let mut coefficients = Vec::with_capacity(p);
        let mut standard_errors = Vec::with_capacity(p);
        let mut z = Vec::with_capacity(p);
        let mut p_values = Vec::with_capacity(p);
        let mut variance_matrix = vec![0.0; p * p];
        for a in 0..p {
            for b in 0..p {
                variance_matrix[a * p + b] = inv[a * p + b] / (std_devs[a] * std_devs[b]);
            }
            let coef = beta[a] / std_devs[a];
            let se = variance_matrix[a * p + a].sqrt();
            let za = coef / se;
            coefficients.push(coef);
            standard_errors.push(se);
            z.push(za);
            p_values.push(normal_two_sided_p(za));
        }

        let outputs = coefficients
            .iter()
            .chain(&standard_errors)
            .chain(&z)
            .chain(&p_values)
            .chain(&variance_matrix);
        if outputs.copied().any(|v| !v.is_finite()) || !eval.ll.is_finite() {
            return Err(Error::NonFiniteResult {
                what: "Cox coefficients and standard errors on the covariates' scale",
                row: None,
            });
        }

        // Concordance against the risk score, in the caller's row order.
        let mut risk = vec![0.0; n];
        for (k, &i) in order.iter().enumerate() {
            let row = &design.x[k * p..(k + 1) * p];
            risk[i] = -row.iter().zip(&beta).map(|(a, b)| a * b).sum::<f64>();
        }
        let concordance = concordance_counts(durations, &risk, event_observed).index();

        Ok(CoxModel {
            coefficients,
            standard_errors,
            z,
            p_values,
            variance_matrix,
            log_likelihood: eval.ll,
            null_log_likelihood,
            concordance,
            means,
            std_devs,
            iterations,
            n_observations: n,
            n_events,
            ties: options.ties,
            penalizer: options.penalizer,
        })
    }

    /// Number of covariates.
    pub fn n_covariates(&self) -> usize {
        self.coefficients.len()
    }

    /// Linear predictor `xᵀβ` for one subject's covariates (original scale,
    /// not centred).
    ///
    /// # Errors
    /// [`Error::LengthMismatch`] when `x` has the wrong length and
    /// [`Error::InvalidRows`] for a non-finite value.
    pub fn linear_predictor(&self, x: &[f64]) -> Result<f64> {
        crate::error::check_len("x", self.coefficients.len(), x.len())?;
        let mut issues = Issues::default();
        for (j, &v) in x.iter().enumerate() {
            if !v.is_finite() {
                issues.push(j, "x", v, IssueKind::NotFinite);
            }
        }
        issues.finish()?;
        Ok(x.iter().zip(&self.coefficients).map(|(a, b)| a * b).sum())
    }
}

fn check_options(options: &CoxOptions) -> Result<()> {
    if !(options.penalizer.is_finite() && options.penalizer >= 0.0) {
        return Err(Error::parameter(
            "penalizer",
            options.penalizer,
            "must be a finite number ≥ 0",
        ));
    }
    crate::error::positive("tolerance", options.tolerance)?;
    if options.max_iterations == 0 {
        return Err(Error::parameter(
            "max_iterations",
            options.max_iterations,
            "must be at least 1",
        ));
    }
    Ok(())
}

/// Outcome of [`newton_raphson`].
struct Fit {
    /// Standardised estimate.
    beta: Vec<f64>,
    /// Evaluation at `beta`.
    eval: Evaluation,
    /// Log-likelihood at `β = 0` (where the penalty vanishes).
    null_log_likelihood: f64,
    iterations: usize,
}

/// Newton–Raphson with step halving, started at `β = 0`.
fn newton_raphson(design: &Design, options: &CoxOptions) -> Result<Fit> {
    let p = design.p;
    let mut beta = vec![0.0; p];
    let mut eval = design.evaluate(&beta, options.ties, options.penalizer);
    let null_log_likelihood = eval.ll;
    // Information that collapses far below its size at β = 0 means the
    // coefficients are running off to infinity (separation): no maximum.
    let reference_scale = (0..p).map(|a| eval.info[a * p + a]).fold(0.0_f64, f64::max);
    let mut last_step = f64::INFINITY;
    for iteration in 1..=options.max_iterations {
        let l =
            cholesky(&eval.info, p, reference_scale).map_err(|index| Error::SingularMatrix {
                what: WHAT_INFO,
                index,
            })?;
        let delta = cholesky_solve(&l, p, &eval.score);
        if delta.iter().any(|v| !v.is_finite()) {
            return Err(Error::SingularMatrix {
                what: WHAT_INFO,
                index: 0,
            });
        }
        let mut scale = 1.0;
        loop {
            let candidate: Vec<f64> = beta
                .iter()
                .zip(&delta)
                .map(|(b, d)| b + scale * d)
                .collect();
            let next = design.evaluate(&candidate, options.ties, options.penalizer);
            let tolerance = 1e-12 * eval.ll.abs().max(1.0);
            if next.ll.is_finite()
                && next.info.iter().all(|v| v.is_finite())
                && next.ll >= eval.ll - tolerance
            {
                beta = candidate;
                eval = next;
                break;
            }
            scale *= 0.5;
            if scale < 1e-10 {
                return Err(Error::NotConverged {
                    what: WHAT_FIT,
                    iterations: iteration,
                    last_step,
                });
            }
        }
        last_step = delta.iter().fold(0.0_f64, |m, d| m.max((scale * d).abs()));
        if last_step < options.tolerance {
            return Ok(Fit {
                beta,
                eval,
                null_log_likelihood,
                iterations: iteration,
            });
        }
    }
    Err(Error::NotConverged {
        what: WHAT_FIT,
        iterations: options.max_iterations,
        last_step,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One binary covariate, no ties: the Cox score equation has a closed
    /// form check. Subjects (time, event, x): (1,1,1) (2,1,0) (3,1,1) (4,1,0).
    /// ℓ(β) = β − log(2e^β + 2) + 0 − log(e^β + 2) + β − log(e^β + 1) + 0.
    #[test]
    fn single_binary_covariate_matches_direct_maximisation() {
        let d = [1.0, 2.0, 3.0, 4.0];
        let e = [true; 4];
        let x = [1.0, 0.0, 1.0, 0.0];
        let m = CoxModel::fit(&d, &e, &[&x[..]], &CoxOptions::default()).unwrap();
        let ll = |b: f64| {
            2.0 * b - (2.0 * b.exp() + 2.0).ln() - (b.exp() + 2.0).ln() - (b.exp() + 1.0).ln()
        };
        // Golden-section search for the maximiser.
        let (mut lo, mut hi) = (-5.0_f64, 5.0_f64);
        let g = (5.0_f64.sqrt() - 1.0) / 2.0;
        for _ in 0..200 {
            let a = hi - g * (hi - lo);
            let b = lo + g * (hi - lo);
            if ll(a) > ll(b) {
                hi = b;
            } else {
                lo = a;
            }
        }
        let best = 0.5 * (lo + hi);
        assert!((m.coefficients[0] - best).abs() < 1e-7, "{m:?} vs {best}");
        assert!((m.log_likelihood - ll(best)).abs() < 1e-12);
        assert!((m.null_log_likelihood - ll(0.0)).abs() < 1e-12);
        // Observed information by finite differences of the log-likelihood.
        let h = 1e-4;
        let info = -(ll(best + h) - 2.0 * ll(best) + ll(best - h)) / (h * h);
        assert!((m.standard_errors[0] - info.sqrt().recip()).abs() < 1e-5);
    }

    #[test]
    fn efron_and_breslow_agree_without_ties() {
        let d = [5.0, 3.0, 9.0, 1.0, 7.0, 4.0];
        let e = [true, false, true, true, true, true];
        let x = [0.3, 1.2, -0.5, 2.0, 0.1, -1.0];
        let efron = CoxModel::fit(&d, &e, &[&x[..]], &CoxOptions::default()).unwrap();
        let breslow = CoxModel::fit(
            &d,
            &e,
            &[&x[..]],
            &CoxOptions {
                ties: CoxTies::Breslow,
                ..Default::default()
            },
        )
        .unwrap();
        assert!((efron.coefficients[0] - breslow.coefficients[0]).abs() < 1e-12);
        assert!((efron.log_likelihood - breslow.log_likelihood).abs() < 1e-12);
    }

    #[test]
    fn typed_errors() {
        let d = [1.0, 2.0, 3.0];
        let e = [true, true, false];
        let ok = [0.5, 1.0, -1.0];
        let constant = [2.0; 3];
        assert!(matches!(
            CoxModel::fit(&d, &e, &[&constant[..]], &CoxOptions::default()),
            Err(Error::SingularMatrix { index: 0, .. })
        ));
        assert!(matches!(
            CoxModel::fit(&d, &e, &[&ok[..], &ok[..]], &CoxOptions::default()),
            Err(Error::SingularMatrix { index: 1, .. })
        ));
        assert!(matches!(
            CoxModel::fit(&d, &[false; 3], &[&ok[..]], &CoxOptions::default()),
            Err(Error::EmptyInput { .. })
        ));
        assert!(matches!(
            CoxModel::fit(&d, &e, &[&ok[..2]], &CoxOptions::default()),
            Err(Error::LengthMismatch {
                field: "covariates",
                ..
            })
        ));
        let no_columns: [&[f64]; 0] = [];
        assert!(matches!(
            CoxModel::fit(&d, &e, &no_columns, &CoxOptions::default()),
            Err(Error::EmptyInput { what: "covariates" })
        ));
        let bad = [f64::NAN, 1.0, f64::INFINITY];
        let err =
            CoxModel::fit(&[-1.0, 2.0, 3.0], &e, &[&bad[..]], &CoxOptions::default()).unwrap_err();
        let Error::InvalidRows { issues } = err else {
            panic!("wrong variant")
        };
        assert_eq!(issues.len(), 3);
        assert!(matches!(
            CoxModel::fit(
                &d,
                &e,
                &[&ok[..]],
                &CoxOptions {
                    penalizer: -1.0,
                    ..Default::default()
                }
            ),
            Err(Error::InvalidParameter {
                name: "penalizer",
                ..
            })
        ));
    }

    #[test]
    fn complete_separation_is_an_error_not_a_panic() {
        // Higher x always fails first: the likelihood has no maximum.
        let d = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0];
        let e = [true; 6];
        let x = [6.0, 5.0, 4.0, 3.0, 2.0, 1.0];
        let r = CoxModel::fit(&d, &e, &[&x[..]], &CoxOptions::default());
        assert!(
            matches!(
                r,
                Err(Error::NotConverged { .. }) | Err(Error::SingularMatrix { .. })
            ),
            "{r:?}"
        );
    }
}
