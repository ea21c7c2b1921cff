//! Cox proportional hazards regression by Newton–Raphson on the partial
//! likelihood, with Efron (default) or Breslow handling of tied times, case
//! weights, strata, robust standard errors, Breslow's baseline hazard and
//! predictions for new subjects.
//!
//! See the [module overview](super) for the likelihood with weights and
//! strata, the baseline, the predictions, the robust covariance and
//! references; every choice follows lifelines 0.30 (`CoxPHFitter`).

mod baseline;
mod elastic;
mod fit;
mod newton;
mod predict;
mod residuals;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_tv;

use self::fit::{newton_raphson, Design};
pub use self::newton::NewtonStep;
pub use self::residuals::{CoxResidualKind, CoxTimeTransform};
use super::concordance::{concordance_counts, ConcordanceSummary};
use crate::error::{check_non_negative, Error, IssueKind, Issues, Result};
use crate::linalg::{cholesky_inverse, cholesky_own_scale};
use crate::special::normal_two_sided_p;
use crate::survival::diagnostics::FitWarning;

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
    /// Penalty `c ≥ 0`: the fit maximises
    /// `ℓ(β) − c · n · (ρ ‖β_std‖₁ + (1 − ρ)/2 ‖β_std‖²)` on standardised
    /// covariates, `ρ` = [`CoxOptions::l1_ratio`] (lifelines' `penalizer`).
    /// Default 0.
    pub penalizer: f64,
    /// Share `ρ ∈ [0, 1]` of the L1 (lasso) part of the penalty (lifelines'
    /// `l1_ratio`). With `ρ > 0` the fit follows lifelines' smoothed
    /// objective and iteration schedule (see the `elastic` module docs):
    /// [`CoxOptions::tolerance`] is then lifelines' `precision` (the norm of
    /// the Newton step or the Newton decrement). Default 0 (ridge).
    pub l1_ratio: f64,
    /// Newton iterations allowed before [`Error::NotConverged`] (lifelines'
    /// `max_steps`). Default 50.
    pub max_iterations: usize,
    /// Convergence threshold on the Euclidean norm of the Newton step of
    /// the standardised coefficients, and on the Newton decrement
    /// (lifelines' `precision`); see the `newton` module docs. Default 1e-9.
    pub tolerance: f64,
    /// Damping of the first Newton step, `0 < s ≤ 1`, adapted afterwards
    /// by lifelines' step-size rule (lifelines' `step_size`). Default 0.95.
    pub step_size: f64,
    /// Convergence threshold on the relative change of the log-likelihood
    /// between iterations, `≥ 0`; 0 turns the criterion off (lifelines'
    /// `r_precision`, R's `coxph.control(eps)`). Default 1e-9.
    pub r_precision: f64,
    /// When Newton–Raphson stops without converging (too many iterations,
    /// or its step size collapsed), return the last iterate with
    /// [`FitWarning::NotConverged`] in [`CoxModel::warnings`] instead of
    /// failing with [`Error::NotConverged`] — lifelines' behaviour, which
    /// warns and returns. The estimate is then not a maximum. Default
    /// `false`.
    pub return_unconverged: bool,
    /// Report robust (Lin–Wei sandwich) standard errors instead of the
    /// model-based ones (lifelines' `robust=True`). Always on when clusters
    /// are given. Default `false`.
    pub robust: bool,
}

impl Default for CoxOptions {
    fn default() -> Self {
        CoxOptions {
            ties: CoxTies::Efron,
            penalizer: 0.0,
            l1_ratio: 0.0,
            max_iterations: 50,
            tolerance: 1e-9,
            step_size: 0.95,
            r_precision: 1e-9,
            return_unconverged: false,
            robust: false,
        }
    }
}

/// Optional data for [`CoxModel::fit_with`]: per-row columns, each as long
/// as the durations when given, and per-covariate penalties.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct CoxRows<'a> {
    /// Entry (left-truncation, or interval start) time of each row: the row
    /// is at risk at time `t` iff `entry < t ≤ duration` (lifelines'
    /// `entry_col`, and the `(start, stop]` rows of its
    /// `CoxTimeVaryingFitter`). `None` means every row is at risk from the
    /// beginning.
    pub entries: Option<&'a [f64]>,
    /// One ridge penalty per covariate, replacing
    /// [`CoxOptions::penalizer`] (lifelines' array `penalizer`); each finite
    /// and `≥ 0`.
    pub penalizers: Option<&'a [f64]>,
    /// Starting coefficients of the Newton iterations, one per covariate on
    /// the standardised scale (lifelines' `initial_point`); `None` starts at
    /// 0. Only the elastic net's result depends on it.
    pub initial_point: Option<&'a [f64]>,
    /// Case weights, finite and `> 0` (lifelines' `weights_col`); `None`
    /// means 1 for everyone.
    pub weights: Option<&'a [f64]>,
    /// Stratum label of each subject (lifelines' `strata`, as codes);
    /// `None` is a single stratum.
    pub strata: Option<&'a [u32]>,
    /// Cluster label of each subject for the robust covariance (lifelines'
    /// `cluster_col`, as codes); implies robust standard errors.
    pub clusters: Option<&'a [u32]>,
}

/// Breslow's baseline hazard of a fitted model, per stratum, on the grid of
/// distinct durations of the sample (see the [module overview](super)).
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct CoxBaseline {
    /// Distinct durations of the whole sample, increasing.
    pub times: Vec<f64>,
    /// Stratum labels, increasing (`[0]` without strata).
    pub strata: Vec<u32>,
    /// Hazard jumps, `strata.len() × times.len()`, one stratum after the
    /// other (0 at times where the stratum has no event).
    pub hazard: Vec<f64>,
}

impl CoxBaseline {
    /// Cumulative hazard, laid out as [`CoxBaseline::hazard`].
    pub fn cumulative_hazard(&self) -> Vec<f64> {
        let k = self.times.len();
        let mut out = self.hazard.clone();
        for curve in out.chunks_exact_mut(k.max(1)) {
            let mut acc = 0.0;
            for v in curve {
                acc += *v;
                *v = acc;
            }
        }
        out
    }

    /// Position of stratum `label` in [`CoxBaseline::strata`].
    fn stratum_index(&self, label: u32) -> Option<usize> {
        self.strata.binary_search(&label).ok()
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
    /// Standard errors of the coefficients (robust ones when
    /// [`CoxModel::robust`]).
    pub standard_errors: Vec<f64>,
    /// Wald statistics `β / se`.
    pub z: Vec<f64>,
    /// Two-sided p-values `P(|Z| > |z|)`.
    pub p_values: Vec<f64>,
    /// Model-based covariance matrix of `β` (inverse information),
    /// `p × p`, row-major; lifelines' `variance_matrix_`, also when the
    /// standard errors are robust.
    pub variance_matrix: Vec<f64>,
    /// Partial log-likelihood at the estimate (minus the penalty when
    /// `penalizer > 0`, as lifelines reports it), summed over strata.
    pub log_likelihood: f64,
    /// Partial log-likelihood at `β = 0`.
    pub null_log_likelihood: f64,
    /// Harrell's concordance of the durations with `−xᵀβ`, pairs taken
    /// within strata; `None` when no pair of subjects is comparable.
    pub concordance: Option<f64>,
    /// Covariate means used for standardisation (unweighted).
    pub means: Vec<f64>,
    /// Covariate sample standard deviations used for standardisation.
    pub std_devs: Vec<f64>,
    /// Newton iterations performed (evaluations of the likelihood).
    pub iterations: usize,
    /// One entry per Newton iteration (empty without covariates).
    #[cfg_attr(feature = "serde", serde(default))]
    pub trace: Vec<NewtonStep>,
    /// What the iterations found suspicious about the estimate:
    /// [`FitWarning::NonUniqueSolution`] or
    /// [`FitWarning::MonotoneLikelihood`] (complete separation, collinearity),
    /// or [`FitWarning::NotConverged`] (see
    /// [`CoxOptions::return_unconverged`]).
    #[cfg_attr(feature = "serde", serde(default))]
    pub warnings: Vec<FitWarning>,
    /// Number of subjects.
    pub n_observations: usize,
    /// Number of observed events.
    pub n_events: usize,
    /// Tie handling used.
    pub ties: CoxTies,
    /// Ridge penalty used.
    pub penalizer: f64,
    /// Whether the standard errors are the robust (sandwich) ones.
    pub robust: bool,
    /// Breslow's baseline hazard, per stratum.
    pub baseline: CoxBaseline,
}

const WHAT_INFO: &str = "Cox information matrix";
const WHAT_FIT: &str = "Cox proportional hazards";

impl CoxModel {
    /// Akaike's information criterion of the partial likelihood,
    /// `2k − 2ℓ` (lifelines' `AIC_partial_`).
    pub fn aic_partial(&self) -> f64 {
        2.0 * self.coefficients.len() as f64 - 2.0 * self.log_likelihood
    }

    /// Likelihood-ratio test of the fitted model against `β = 0`:
    /// `(statistic, degrees of freedom, p-value)` with statistic
    /// `2 (ℓ(β̂) − ℓ(0))` referred to χ² with `p` degrees of freedom
    /// (lifelines' `log_likelihood_ratio_test`).
    ///
    /// # Errors
    /// [`Error::EmptyInput`] (`"covariates"`) for a model without
    /// covariates: there is nothing to test (lifelines answers NaN).
    pub fn likelihood_ratio_test(&self) -> Result<(f64, usize, f64)> {
        let df = self.coefficients.len();
        if df == 0 {
            return Err(Error::EmptyInput { what: "covariates" });
        }
        let stat = 2.0 * (self.log_likelihood - self.null_log_likelihood);
        Ok((stat, df, crate::special::chi_square_sf(stat.max(0.0), df)))
    }

    /// Fits a Cox model without weights, strata or clusters: see
    /// [`CoxModel::fit_with`].
    ///
    /// # Errors
    /// As [`CoxModel::fit_with`].
    pub fn fit<C: AsRef<[f64]>>(
        durations: &[f64],
        event_observed: &[bool],
        covariates: &[C],
        options: &CoxOptions,
    ) -> Result<Self> {
        Self::fit_with(
            durations,
            event_observed,
            covariates,
            CoxRows::default(),
            options,
        )
    }

    /// Fits a Cox model. `covariates` holds one slice per covariate (column),
    /// each as long as `durations`; there may be none (a model of the
    /// baseline alone). `rows` adds case weights, strata and clusters.
    ///
    /// # Errors
    /// - [`Error::EmptyInput`] for no subjects or no observed event;
    /// - [`Error::LengthMismatch`] for an `event_observed`, covariate,
    ///   weight, stratum or cluster column of the wrong length;
    /// - [`Error::InvalidRows`] listing every negative or non-finite duration,
    ///   every non-finite covariate value (field `covariate`, value prefixed
    ///   with the column index) and every weight that is not finite and `> 0`;
    /// - [`Error::InvalidParameter`] for a negative or non-finite
    ///   `penalizer`, a non-positive `tolerance`, `max_iterations` outside 1..=[`MAX_FIT_ITERATIONS`](crate::models::MAX_FIT_ITERATIONS), a
    ///   `step_size` outside `(0, 1]` or a negative or non-finite
    ///   `r_precision`;
    /// - [`Error::SingularMatrix`] when a covariate is constant or the
    ///   information matrix is numerically not positive definite (collinear
    ///   covariates);
    /// - [`Error::NotConverged`] when Newton–Raphson does not converge
    ///   within `max_iterations` or its step size collapses (unless
    ///   [`CoxOptions::return_unconverged`]).
    ///
    /// Under complete separation the fit succeeds with large coefficients
    /// and standard errors and records a [`FitWarning`] in
    /// [`CoxModel::warnings`] (see the `newton` module docs).
    pub fn fit_with<C: AsRef<[f64]>>(
        durations: &[f64],
        event_observed: &[bool],
        covariates: &[C],
        rows: CoxRows<'_>,
        options: &CoxOptions,
    ) -> Result<Self> {
        let n = durations.len();
        let p = covariates.len();
        check_options(options)?;
        check_rows(durations, event_observed, covariates, &rows)?;
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

        let design = Design::build(
            durations,
            event_observed,
            covariates,
            &means,
            &std_devs,
            &rows,
        );

        let penalty: Vec<f64> = match rows.penalizers {
            Some(c) => c.to_vec(),
            None if options.penalizer > 0.0 => vec![options.penalizer; p],
            None => Vec::new(),
        };
        let penalised = penalty.iter().any(|&c| c > 0.0);
        let start = rows.initial_point.unwrap_or(&[]);
        let fit = if options.l1_ratio > 0.0 && penalised {
            elastic::elastic_net_newton(&design, options, &penalty, options.l1_ratio, start)?
        } else {
            newton_raphson(&design, options, &penalty, start)?
        };
        let (beta, eval, iterations) = (fit.beta, fit.eval, fit.iterations);
        let (trace, warnings) = (fit.trace, fit.warning.into_iter().collect());
        let null_log_likelihood = fit.null_log_likelihood;
        let inv = if p == 0 {
            Vec::new()
        } else {
            let l = cholesky_own_scale(&eval.info, p).map_err(|index| Error::SingularMatrix {
                what: WHAT_INFO,
                index,
            })?;
            cholesky_inverse(&l, p)
        };
        let robust = options.robust || rows.clusters.is_some();
        if robust && rows.entries.is_some() {
            return Err(Error::parameter(
                "robust",
                true,
                "robust (sandwich) standard errors are not available with entry times",
            ));
        }
        let sandwich = robust.then(|| sandwich(&design, &beta, &inv, rows.clusters));

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
            let var = match &sandwich {
                Some(s) => s[a * p + a] / (std_devs[a] * std_devs[a]),
                None => variance_matrix[a * p + a],
            };
            let se = var.sqrt();
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

        // Concordance against the risk score, pairs within strata.
        let eta = design.eta(&beta);
        let mut summary = ConcordanceSummary::default();
        for &(first, last, _) in &design.strata {
            let (start, end) = (design.blocks[first].0, design.blocks[last - 1].1);
            let risk: Vec<f64> = eta[start..end].iter().map(|v| -v).collect();
            let s = concordance_counts(&design.time[start..end], &risk, &design.event[start..end]);
            summary.concordant += s.concordant;
            summary.tied_score += s.tied_score;
            summary.comparable += s.comparable;
        }
        let baseline = CoxBaseline::breslow(&design, &beta);

        Ok(CoxModel {
            coefficients,
            standard_errors,
            z,
            p_values,
            variance_matrix,
            log_likelihood: eval.ll,
            null_log_likelihood,
            concordance: summary.index(),
            means,
            std_devs,
            iterations,
            trace,
            warnings,
            n_observations: n,
            n_events,
            ties: options.ties,
            penalizer: options.penalizer,
            robust,
            baseline,
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
    if !(0.0..=1.0).contains(&options.l1_ratio) {
        return Err(Error::parameter(
            "l1_ratio",
            options.l1_ratio,
            "must be between 0 and 1",
        ));
    }
    crate::error::positive("tolerance", options.tolerance)?;
    if !(options.step_size > 0.0 && options.step_size <= 1.0) {
        return Err(Error::parameter(
            "step_size",
            options.step_size,
            "must be in (0, 1]",
        ));
    }
    if !(options.r_precision.is_finite() && options.r_precision >= 0.0) {
        return Err(Error::parameter(
            "r_precision",
            options.r_precision,
            "must be a finite number ≥ 0",
        ));
    }
    crate::models::check_max_iterations(options.max_iterations, 1)
}

/// Validates the lengths and values of a fit's inputs, reporting every bad
/// row at once.
fn check_rows<C: AsRef<[f64]>>(
    durations: &[f64],
    event_observed: &[bool],
    covariates: &[C],
    rows: &CoxRows<'_>,
) -> Result<()> {
    let n = durations.len();
    crate::error::check_len("event_observed", n, event_observed.len())?;
    for column in covariates {
        crate::error::check_len("covariates", n, column.as_ref().len())?;
    }
    if let Some(w) = rows.weights {
        crate::error::check_len("weights", n, w.len())?;
    }
    if let Some(s) = rows.strata {
        crate::error::check_len("strata", n, s.len())?;
    }
    if let Some(c) = rows.clusters {
        crate::error::check_len("clusters", n, c.len())?;
    }
    if n == 0 {
        return Err(Error::EmptyInput { what: "durations" });
    }
    if let Some(e) = rows.entries {
        crate::error::check_len("entries", n, e.len())?;
    }
    if let Some(b) = rows.initial_point {
        crate::error::check_len("initial_point", covariates.len(), b.len())?;
        if let Some(&bad) = b.iter().find(|v| !v.is_finite()) {
            return Err(Error::parameter(
                "initial_point",
                bad,
                "must be finite for every covariate",
            ));
        }
    }
    if let Some(c) = rows.penalizers {
        crate::error::check_len("penalizers", covariates.len(), c.len())?;
        if let Some(&bad) = c.iter().find(|v| !(v.is_finite() && **v >= 0.0)) {
            return Err(Error::parameter(
                "penalizer",
                bad,
                "must be a finite number ≥ 0 for every covariate",
            ));
        }
    }
    let mut issues = Issues::default();
    // Only the order of the times enters the partial likelihood, so any
    // finite time is accepted (lifelines fits shifted, negative durations).
    for (row, &d) in durations.iter().enumerate() {
        if !d.is_finite() {
            issues.push(row, "duration", d, IssueKind::NotFinite);
        }
    }
    for (row, (&entry, (&d, &observed))) in rows
        .entries
        .unwrap_or(&[])
        .iter()
        .zip(durations.iter().zip(event_observed))
        .enumerate()
    {
        if !entry.is_finite() {
            issues.push(row, "entry", entry, IssueKind::NotFinite);
        } else if d.is_finite() && (entry > d || (observed && entry == d)) {
            // An event needs its row at risk at its own time: entry < duration.
            let range = IssueKind::OutOfRange {
                min: f64::NEG_INFINITY,
                max: d,
            };
            let what = if observed { ", event observed" } else { "" };
            issues.push(row, "entry", format!("{entry} (duration {d}{what})"), range);
        }
    }
    check_covariates(&mut issues, covariates);
    for (row, &w) in rows.weights.unwrap_or(&[]).iter().enumerate() {
        if check_non_negative(&mut issues, row, "weight", w) && w == 0.0 {
            let range = IssueKind::OutOfRange {
                min: f64::MIN_POSITIVE,
                max: f64::MAX,
            };
            issues.push(row, "weight", w, range);
        }
    }
    issues.finish()
}

/// Records every non-finite covariate value (field `covariate`, value
/// prefixed with the column index).
fn check_covariates<C: AsRef<[f64]>>(issues: &mut Issues, covariates: &[C]) {
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
}

/// Robust covariance `Dᵀ D` of the standardised coefficients, `D = U I⁻¹`
/// from the score residuals `U`, rows summed within clusters when given.
fn sandwich(design: &Design, beta: &[f64], inv: &[f64], clusters: Option<&[u32]>) -> Vec<f64> {
    let p = design.p;
    let residuals = baseline::score_residuals(design, beta);
    let mut delta = vec![0.0; design.n * p];
    for (u, d) in residuals
        .chunks_exact(p.max(1))
        .zip(delta.chunks_exact_mut(p.max(1)))
    {
        for (b, cell) in d.iter_mut().enumerate() {
            *cell = (0..p).map(|a| u[a] * inv[a * p + b]).sum();
        }
    }
    if let Some(labels) = clusters {
        // Sum rows of the same cluster; the sorted position k holds input row order[k].
        let mut keyed: Vec<(u32, usize)> = design
            .order
            .iter()
            .enumerate()
            .map(|(k, &i)| (labels[i], k))
            .collect();
        keyed.sort_unstable();
        let mut summed = Vec::with_capacity(delta.len());
        let mut current = None;
        for (label, k) in keyed {
            if current != Some(label) {
                summed.extend(std::iter::repeat_n(0.0, p));
                current = Some(label);
            }
            let at = summed.len() - p;
            for a in 0..p {
                summed[at + a] += delta[k * p + a];
            }
        }
        delta = summed;
    }
    let mut out = vec![0.0; p * p];
    for d in delta.chunks_exact(p.max(1)) {
        for a in 0..p {
            for b in 0..p {
                out[a * p + b] += d[a] * d[b];
            }
        }
    }
    out
}
