//! Proportional hazards with a parametric baseline, fitted by full
//! maximum likelihood: a piecewise-constant (piecewise exponential) baseline
//! hazard or a Royston–Parmar spline for the log cumulative baseline hazard.
//! These are lifelines' `CoxPHFitter(baseline_estimation_method="piecewise"
//! | "spline")` (its `ParametricPiecewiseBaselinePHFitter` and
//! `ParametricSplinePHFitter`), whose parametrisation is followed.
//!
//! # Model
//!
//! Subject `i` with covariates `xᵢ` (an intercept `x̃ᵢ = (xᵢ, 1)` is added)
//! in stratum `s` has cumulative hazard `Hᵢ(t) = exp(x̃ᵢᵀβ) G(t; a_s)` and
//! hazard `hᵢ(t) = exp(x̃ᵢᵀβ) g(t; a_s)`, `g = G'`. Each stratum has its own
//! baseline parameters `a_s`; `β` (with the intercept) is shared.
//!
//! *Piecewise* with breakpoints `τ₁ < … < τ_K` (`τ₀ = 0`, `τ_{K+1} = ∞`):
//!
//! ```text
//! G(t) = Σⱼ λⱼ · |[τⱼ, τⱼ₊₁) ∩ [0, t)|,   λ₀ = 1,  λⱼ = exp(aⱼ)  (j = 1..K)
//! g(t) = λⱼ for τⱼ < t < τⱼ₊₁,   (λⱼ₋₁ + λⱼ)/2 at t = τⱼ
//! ```
//!
//! so `exp(β₀)` is the hazard of the first piece and `aⱼ` the log ratio of
//! piece `j` to the first (lifelines' `log_lambda{j+1}_`). The midpoint at a
//! breakpoint is lifelines' value there (its hazard is the derivative of
//! `G`, whose two one-sided values it averages).
//!
//! *Spline* with knots `k₀ < … < k_m` on the time scale and `u = log t`
//! (Royston & Parmar 2002):
//!
//! ```text
//! log G(t) = φ₁ u + Σ_{j=2..n} φⱼ vⱼ(u)
//! vⱼ(u) = (u − κⱼ)₊³ − λⱼ (u − κ_min)₊³ − (1 − λⱼ)(u − κ_max)₊³,
//! κⱼ = log k_{j−1},  λⱼ = (κ_max − κⱼ)/(κ_max − κ_min)
//! g(t) = G(t) · (φ₁ + Σ φⱼ vⱼ'(u)) / t
//! ```
//!
//! By default `n + 1` knots are the 5th, …, 95th percentiles (evenly spaced,
//! linear interpolation) of the durations of observed events — of all
//! durations when at most 4 events are observed — as lifelines places them.
//! A hazard at or below `1e-20` enters the likelihood as `1e-20`
//! (lifelines' clip).
//!
//! # Likelihood, penalty, inference
//!
//! With case weights `wᵢ`, events `δᵢ` and entry (left-truncation) times
//! `eᵢ`, the fit minimises
//!
//! ```text
//! F(θ) = −Σᵢ wᵢ [δᵢ log hᵢ(Tᵢ) − Hᵢ(Tᵢ) + Hᵢ(eᵢ)] + (W/2) Σⱼ cⱼ θⱼ²,  W = Σ wᵢ
//! ```
//!
//! With interval censoring ([`ParametricCoxModel::fit_interval`]) a row
//! without an event, known to fall in `(lᵢ, uᵢ]`, contributes
//! `log(S(lᵢ) − S(uᵢ))` instead of `−H(Tᵢ)`, clipped to `[1e-25, 1 − 1e-25]`
//! (lifelines' clip); left censoring is `lᵢ = 0`
//! ([`ParametricCoxModel::fit_left_censored`]).
//!
//! In `F`, `cⱼ = penalizer · sdⱼ²` for a covariate (`sdⱼ` its sample standard
//! deviation, 1 for a constant column) and `cⱼ = penalizer` for a baseline
//! parameter: lifelines' L2 penalty on its standardised parameters of the
//! mean log-likelihood. The intercept is not penalised when the model has
//! covariates (and is when it has none, as lifelines). The reported
//! log-likelihood is `−F(θ̂)` (penalty included, as lifelines), standard
//! errors are the square roots of the diagonal of `(∇²F(θ̂))⁻¹`, and
//! `AIC = −2 log L + 2 dim θ`. The likelihood-ratio test compares with the
//! same model without covariates (intercept and baseline only).
//!
//! Newton's method with exact derivatives, damped where the Hessian is not
//! positive definite and with a backtracking line search, starts from the
//! exponential model (`β = 0`, `β₀ = log(events / exposure)`, `φ₁ = 1`,
//! other baseline parameters 0).
//!
//! # References
//!
//! - Royston, P. & Parmar, M. K. B. (2002). Flexible parametric
//!   proportional-hazards and proportional-odds models for censored survival
//!   data. *Statistics in Medicine* 21, 2175–2197.
//! - Friedman, M. (1982). Piecewise exponential models for survival data
//!   with covariates. *Annals of Statistics* 10, 101–113.
//! - lifelines 0.30, `CoxPHFitter` documentation (parametric baselines).

mod baseline;
mod fit;
mod predict;
#[cfg(test)]
mod tests;

use self::baseline::spline_knots;
pub use self::baseline::PhBaseline;
use self::fit::{log_likelihood, newton, scaled_inverse, Data, Layout};
use crate::error::{check_len, Error, IssueKind, Issues, Result};
use crate::special::normal_two_sided_p;

/// Largest `n_baseline_knots` of the spline baseline (lifelines' models use
/// a handful; each knot adds a parameter, and the Newton steps' cost grows
/// with the cube of their number).
pub const MAX_BASELINE_KNOTS: usize = 100;

/// Which parametric baseline to fit.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum PhBaselineSpec {
    /// Piecewise-constant hazard with these breakpoints.
    Piecewise {
        /// Breakpoints, positive and strictly increasing.
        breakpoints: Vec<f64>,
    },
    /// Royston–Parmar spline with `n_knots ≥ 2` parameters; knots at the
    /// default percentiles (see the module docs) unless `knots` is given
    /// (then `n_knots + 1` increasing knots, the first and last the boundary
    /// knots).
    Spline {
        /// Number of spline parameters (lifelines' `n_baseline_knots`),
        /// 2 to [`MAX_BASELINE_KNOTS`].
        n_knots: usize,
        /// Knots on the time scale, or `None` for the default placement.
        knots: Option<Vec<f64>>,
    },
}

/// Options for [`ParametricCoxModel::fit`].
#[derive(Debug, Clone, PartialEq)]
pub struct ParametricCoxOptions {
    /// The baseline.
    pub baseline: PhBaselineSpec,
    /// L2 penalty `≥ 0` (lifelines' `penalizer`, see the module docs).
    /// Default 0.
    pub penalizer: f64,
    /// Newton iterations allowed before [`Error::NotConverged`] (0 to
    /// [`MAX_FIT_ITERATIONS`](crate::models::MAX_FIT_ITERATIONS)). Default 200.
    pub max_iterations: usize,
    /// Convergence threshold on the largest Newton step in standardised
    /// units. Default 1e-9.
    pub tolerance: f64,
}

impl ParametricCoxOptions {
    /// Defaults for `baseline`.
    pub fn new(baseline: PhBaselineSpec) -> Self {
        ParametricCoxOptions {
            baseline,
            penalizer: 0.0,
            max_iterations: 200,
            tolerance: 1e-9,
        }
    }
}

/// Optional per-subject data, each as long as the durations when given.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct ParametricCoxRows<'a> {
    /// Case weights, finite and `> 0`; `None` is 1 for everyone.
    pub weights: Option<&'a [f64]>,
    /// Stratum label of each subject; `None` is one stratum.
    pub strata: Option<&'a [u32]>,
    /// Entry (left-truncation) times, `0 ≤ entry < duration`; `None` is 0.
    pub entries: Option<&'a [f64]>,
}

/// A fitted proportional hazards model with a parametric baseline.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct ParametricCoxModel {
    /// The resolved baseline (breakpoints or knots).
    pub baseline: PhBaseline,
    /// Number of covariates `p` (the intercept not counted).
    pub n_covariates: usize,
    /// Stratum labels, increasing (empty without strata).
    pub strata: Vec<u32>,
    /// Parameters: `p` covariate coefficients, the intercept, then the
    /// baseline parameters of each stratum in [`Self::strata`] order.
    pub params: Vec<f64>,
    /// Standard errors, as [`Self::params`].
    pub standard_errors: Vec<f64>,
    /// Covariance matrix of the parameters, row-major.
    pub variance_matrix: Vec<f64>,
    /// z statistics `θ/se`.
    pub z: Vec<f64>,
    /// Two-sided p-values of the z statistics.
    pub p_values: Vec<f64>,
    /// Penalised log-likelihood at the optimum (lifelines' `log_likelihood_`).
    pub log_likelihood: f64,
    /// The same for the model without covariates.
    pub null_log_likelihood: f64,
    /// Sum of the case weights.
    pub total_weight: f64,
    /// Newton iterations used.
    pub iterations: usize,
}

/// Positions of `labels` among the sorted distinct `strata`, or the first
/// row whose label is unknown.
fn stratum_positions(strata: &[u32], labels: &[u32]) -> Result<Vec<usize>> {
    let mut issues = Issues::default();
    let out = labels
        .iter()
        .enumerate()
        .map(|(row, l)| {
            strata.binary_search(l).unwrap_or_else(|_| {
                issues.push(row, "strata", l, IssueKind::UnknownKind);
                0
            })
        })
        .collect();
    issues.finish()?;
    Ok(out)
}

fn sample_sd(col: &[f64]) -> f64 {
    let n = col.len() as f64;
    if col.len() < 2 {
        return 0.0;
    }
    let mean = col.iter().sum::<f64>() / n;
    (col.iter().map(|v| (v - mean) * (v - mean)).sum::<f64>() / (n - 1.0)).sqrt()
}

fn validate(
    durations: &[f64],
    events: &[bool],
    covariates: &[Vec<f64>],
    rows: &ParametricCoxRows<'_>,
    lower: Option<&[f64]>,
) -> Result<()> {
    let n = durations.len();
    check_len("event_observed", n, events.len())?;
    if n == 0 {
        return Err(Error::EmptyInput { what: "durations" });
    }
    for col in covariates {
        check_len("covariates", n, col.len())?;
    }
    if let Some(w) = rows.weights {
        check_len("weights", n, w.len())?;
    }
    if let Some(s) = rows.strata {
        check_len("strata", n, s.len())?;
    }
    if let Some(e) = rows.entries {
        check_len("entries", n, e.len())?;
    }
    if let Some(l) = lower {
        check_len("lower_bound", n, l.len())?;
    }
    let mut issues = Issues::default();
    for (row, &d) in durations.iter().enumerate() {
        // An interval-censored row may be open on the right.
        let open = lower.is_some() && !events[row] && d == f64::INFINITY;
        if let Some(&l) = lower.map(|l| &l[row]) {
            if !(l.is_finite() && l >= 0.0 && l <= d) {
                issues.push(
                    row,
                    "lower_bound",
                    l,
                    IssueKind::OutOfRange { min: 0.0, max: d },
                );
            }
        }
        if open {
            continue;
        }
        if !d.is_finite() {
            issues.push(row, "duration", d, IssueKind::NotFinite);
        } else if d <= 0.0 {
            issues.push(
                row,
                "duration",
                d,
                IssueKind::OutOfRange {
                    min: f64::MIN_POSITIVE,
                    max: f64::MAX,
                },
            );
        }
    }
    for col in covariates {
        for (row, &v) in col.iter().enumerate() {
            if !v.is_finite() {
                issues.push(row, "covariates", v, IssueKind::NotFinite);
            }
        }
    }
    if let Some(w) = rows.weights {
        for (row, &v) in w.iter().enumerate() {
            if !(v.is_finite() && v > 0.0) {
                issues.push(
                    row,
                    "weights",
                    v,
                    IssueKind::OutOfRange {
                        min: f64::MIN_POSITIVE,
                        max: f64::MAX,
                    },
                );
            }
        }
    }
    if let Some(e) = rows.entries {
        for (row, (&v, &d)) in e.iter().zip(durations).enumerate() {
            if !(v.is_finite() && v >= 0.0 && v < d) {
                issues.push(
                    row,
                    "entries",
                    v,
                    IssueKind::OutOfRange { min: 0.0, max: d },
                );
            }
        }
    }
    issues.finish()
}

impl ParametricCoxModel {
    /// Fits the model (see the module documentation for the likelihood).
    ///
    /// # Errors
    /// [`Error::EmptyInput`] without rows; [`Error::LengthMismatch`] for
    /// columns of the wrong length; [`Error::InvalidRows`] for durations
    /// that are not positive and finite, non-finite covariates, weights not
    /// `> 0`, entries outside `[0, duration)`; [`Error::InvalidParameter`]
    /// for bad breakpoints, knots or penalizer; [`Error::NotConverged`] or
    /// [`Error::SingularMatrix`] when the likelihood has no usable maximum.
    pub fn fit(
        durations: &[f64],
        event_observed: &[bool],
        covariates: &[Vec<f64>],
        rows: ParametricCoxRows<'_>,
        options: &ParametricCoxOptions,
    ) -> Result<Self> {
        Self::fit_impl(
            durations,
            None,
            durations,
            event_observed,
            covariates,
            rows,
            options,
        )
    }

    /// Fits on interval-censored data: row `i` is an event at `upper[i]`
    /// when `event_observed[i]`, otherwise known to fall in
    /// `(lower[i], upper[i]]` (`upper = ∞` is right censoring, `lower = 0`
    /// left censoring) and contributes `log(S(lower) − S(upper))`, clipped
    /// to `[1e-25, 1 − 1e-25]` as lifelines (`fit_interval_censoring`).
    /// Spline knots come from the lower bounds (lifelines' choice).
    ///
    /// # Errors
    /// As [`Self::fit`]; [`Error::InvalidRows`] for lower bounds outside
    /// `[0, upper]`.
    pub fn fit_interval(
        lower: &[f64],
        upper: &[f64],
        event_observed: &[bool],
        covariates: &[Vec<f64>],
        rows: ParametricCoxRows<'_>,
        options: &ParametricCoxOptions,
    ) -> Result<Self> {
        Self::fit_impl(
            upper,
            Some(lower),
            lower,
            event_observed,
            covariates,
            rows,
            options,
        )
    }

    /// Fits on left-censored data: row `i` is an event at `durations[i]`
    /// when `event_observed[i]`, otherwise known to have happened before
    /// it, contributing `log(1 − S(durations[i]))` (lifelines'
    /// `fit_left_censoring`).
    ///
    /// # Errors
    /// As [`Self::fit`].
    pub fn fit_left_censored(
        durations: &[f64],
        event_observed: &[bool],
        covariates: &[Vec<f64>],
        rows: ParametricCoxRows<'_>,
        options: &ParametricCoxOptions,
    ) -> Result<Self> {
        let zeros = vec![0.0; durations.len()];
        Self::fit_impl(
            durations,
            Some(&zeros),
            durations,
            event_observed,
            covariates,
            rows,
            options,
        )
    }

    fn fit_impl(
        durations: &[f64],
        lower: Option<&[f64]>,
        knot_times: &[f64],
        event_observed: &[bool],
        covariates: &[Vec<f64>],
        rows: ParametricCoxRows<'_>,
        options: &ParametricCoxOptions,
    ) -> Result<Self> {
        validate(durations, event_observed, covariates, &rows, lower)?;
        crate::models::check_max_iterations(options.max_iterations, 0)?;
        if !(options.penalizer.is_finite() && options.penalizer >= 0.0) {
            return Err(Error::parameter(
                "penalizer",
                options.penalizer,
                "must be finite and >= 0",
            ));
        }
        let baseline = match &options.baseline {
            PhBaselineSpec::Piecewise { breakpoints } => PhBaseline::Piecewise {
                breakpoints: breakpoints.clone(),
            },
            PhBaselineSpec::Spline { n_knots, knots } => {
                if !(2..=MAX_BASELINE_KNOTS).contains(n_knots) {
                    return Err(Error::parameter(
                        "n_baseline_knots",
                        n_knots,
                        "the spline baseline needs 2 to MAX_BASELINE_KNOTS (100) knots",
                    ));
                }
                PhBaseline::Spline {
                    knots: knots
                        .clone()
                        .unwrap_or_else(|| spline_knots(knot_times, event_observed, *n_knots)),
                    n_phi: *n_knots,
                }
            }
        };
        baseline.validate()?;
        let mut strata: Vec<u32> = rows.strata.map(<[u32]>::to_vec).unwrap_or_default();
        strata.sort_unstable();
        strata.dedup();
        let positions = match rows.strata {
            Some(s) => Some(stratum_positions(&strata, s)?),
            None => None,
        };
        let data = Data {
            durations,
            events: event_observed,
            covariates,
            weights: rows.weights,
            entries: rows.entries,
            strata: positions.as_deref(),
            lower,
        };
        let n_strata = strata.len().max(1);
        let full = fit_layout(&baseline, covariates, &data, n_strata, options)?;
        let null_data = Data {
            covariates: &[],
            ..data
        };
        let null = fit_layout(&baseline, &[], &null_data, n_strata, options)?;

        let (theta, hessian, iterations) = full;
        let d = theta.len();
        let variance_matrix =
            scaled_inverse(&hessian.1, d).map_err(|index| Error::SingularMatrix {
                what: "parametric Cox information matrix",
                index,
            })?;
        let standard_errors: Vec<f64> = (0..d).map(|j| variance_matrix[j * d + j].sqrt()).collect();
        let z: Vec<f64> = theta
            .iter()
            .zip(&standard_errors)
            .map(|(c, s)| c / s)
            .collect();
        let p_values = z.iter().map(|&v| normal_two_sided_p(v)).collect();
        Ok(ParametricCoxModel {
            baseline,
            n_covariates: covariates.len(),
            strata,
            params: theta,
            standard_errors,
            variance_matrix,
            z,
            p_values,
            log_likelihood: -hessian.0,
            null_log_likelihood: -(null.1).0,
            total_weight: data.total_weight(),
            iterations,
        })
    }

    /// Number of parameters.
    pub fn n_params(&self) -> usize {
        self.params.len()
    }

    /// `AIC = −2 log L + 2 · number of parameters`.
    pub fn aic(&self) -> f64 {
        -2.0 * self.log_likelihood + 2.0 * self.params.len() as f64
    }

    /// Likelihood-ratio test against the model without covariates:
    /// statistic, degrees of freedom (the number of covariates), p-value.
    ///
    /// # Errors
    /// [`Error::EmptyInput`] for a model without covariates.
    pub fn likelihood_ratio_test(&self) -> Result<(f64, usize, f64)> {
        let df = self.n_covariates;
        if df == 0 {
            return Err(Error::EmptyInput { what: "covariates" });
        }
        let stat = 2.0 * (self.log_likelihood - self.null_log_likelihood);
        Ok((stat, df, crate::special::chi_square_sf(stat.max(0.0), df)))
    }

    fn layout(&self) -> Layout {
        Layout {
            p: self.n_covariates,
            k: self.baseline.n_params(),
            n_strata: self.strata.len().max(1),
        }
    }

    /// Mean unpenalised log-likelihood of new data at the fitted parameters
    /// (lifelines' `score(df)`); strata are labels seen in the fit.
    ///
    /// # Errors
    /// As [`Self::fit`] for the data; [`Error::InvalidRows`] for a stratum
    /// label the fit did not see; [`Error::LengthMismatch`] for the wrong
    /// number of covariate columns.
    pub fn score_log_likelihood(
        &self,
        durations: &[f64],
        event_observed: &[bool],
        covariates: &[Vec<f64>],
        rows: ParametricCoxRows<'_>,
    ) -> Result<f64> {
        validate(durations, event_observed, covariates, &rows, None)?;
        check_len("covariates", self.n_covariates, covariates.len())?;
        let positions = self.positions(rows.strata, durations.len())?;
        let data = Data {
            durations,
            events: event_observed,
            covariates,
            weights: rows.weights,
            entries: rows.entries,
            strata: positions.as_deref(),
            lower: None,
        };
        Ok(
            log_likelihood(&self.baseline, self.layout(), &self.params, &data)
                / data.total_weight(),
        )
    }

    /// Stratum positions of prediction rows.
    fn positions(&self, labels: Option<&[u32]>, n: usize) -> Result<Option<Vec<usize>>> {
        match (labels, self.strata.is_empty()) {
            (None, true) => Ok(None),
            (Some(l), false) => {
                check_len("strata", n, l.len())?;
                stratum_positions(&self.strata, l).map(Some)
            }
            (None, false) => Err(Error::parameter(
                "strata",
                "None",
                "the model is stratified: give each row's stratum",
            )),
            (Some(_), true) => Err(Error::parameter(
                "strata",
                "given",
                "the model was fitted without strata",
            )),
        }
    }
}

/// Penalty weights and standardising scales of the parameters.
fn penalty_and_scales(
    covariates: &[Vec<f64>],
    layout: Layout,
    penalizer: f64,
) -> (Vec<f64>, Vec<f64>) {
    let d = layout.dim();
    let mut penalty = vec![penalizer; d];
    let mut scales = vec![1.0; d];
    for (j, col) in covariates.iter().enumerate() {
        let sd = sample_sd(col);
        if sd < 1e-8 {
            // A constant covariate in a group with the intercept: lifelines
            // leaves it unpenalised.
            penalty[j] = 0.0;
        } else {
            penalty[j] = penalizer * sd * sd;
            scales[j] = sd;
        }
    }
    if layout.p > 0 {
        penalty[layout.p] = 0.0;
    }
    (penalty, scales)
}

type Fitted = (Vec<f64>, (f64, Vec<f64>), usize);

fn fit_layout(
    baseline: &PhBaseline,
    covariates: &[Vec<f64>],
    data: &Data<'_>,
    n_strata: usize,
    options: &ParametricCoxOptions,
) -> Result<Fitted> {
    let layout = Layout {
        p: covariates.len(),
        k: baseline.n_params(),
        n_strata,
    };
    let (penalty, scales) = penalty_and_scales(covariates, layout, options.penalizer);
    let mut start = vec![0.0; layout.dim()];
    let (mut events, mut exposure) = (0.0, 0.0);
    for i in 0..data.durations.len() {
        let w = data.weight(i);
        if data.events[i] {
            events += w;
        }
        // A censored interval counts from its lower bound (its upper bound
        // for left censoring), a starting guess only.
        let t = match data.lower.map(|l| l[i]) {
            Some(lo) if !data.events[i] && lo > 0.0 => lo,
            _ if data.durations[i].is_finite() => data.durations[i],
            _ => 0.0,
        };
        exposure += w * (t - data.entries.map_or(0.0, |e| e[i])).max(0.0);
    }
    start[layout.p] = if events > 0.0 && exposure > 0.0 {
        (events / exposure).ln()
    } else {
        0.0
    };
    if let PhBaseline::Spline { .. } = baseline {
        for s in 0..n_strata {
            start[layout.block(s)] = 1.0;
        }
    }
    let opt = newton(
        baseline,
        layout,
        start,
        data,
        &penalty,
        &scales,
        options.max_iterations,
        options.tolerance,
    )?;
    Ok((
        opt.theta,
        (opt.evaluation.value, opt.evaluation.hessian),
        opt.iterations,
    ))
}
