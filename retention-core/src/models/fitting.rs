//! Shared maximum-likelihood driver: options, diagnostics, input rows,
//! starting points and the bridge from a model's log-likelihood to the
//! optimiser in [`optim`](super::optim).
//!
//! Each model supplies only its [`Likelihood`] (value, gradient, optionally
//! the Hessian, default starts); validation, option checks, the optimiser
//! call and the diagnostics (log-likelihood, observed-information standard
//! errors: from the model's Hessian when it has one, otherwise by finite
//! differences) are done here once for all.
//!
//! # Large inputs
//!
//! Above [`SUBSAMPLE_ABOVE`] rows the transaction models are first fitted to
//! a systematic subsample of about [`SUBSAMPLE_ROWS`] rows (every `k`-th row,
//! weight multiplied by `k`). Because the objective is the *mean* negative
//! log-likelihood, its Hessian hardly depends on the sample size, so the
//! subsample's estimate and inverse Hessian (from its observed information,
//! in log-parameters: `W · diag(1/p) Σ diag(1/p)`) start a BFGS run on the
//! full data that needs only a few Newton-like steps. That run converges to
//! the same tolerance as a cold start, so the estimates agree with one to
//! within it; if it fails, the usual starts are tried on the full data.

use super::optim::{self, Objective, OptimMethod, OptimOptions};
use super::validate::TransactionSummary;
use crate::{Error, Result};

/// Inputs with more rows than this are first fitted on a subsample.
pub const SUBSAMPLE_ABOVE: usize = 40_000;

/// Approximate number of rows of that subsample.
pub const SUBSAMPLE_ROWS: usize = 10_000;

/// Largest [`FitOptions::max_iterations`]: 100 000 BFGS iterations per run.
///
/// Each iteration evaluates the likelihood a few times (at most
/// `4 × max_iterations × dimension` evaluations per run, see
/// [`optim`](super::optim)), so the limit bounds a fit that never converges.
/// The models' fits converge in tens of iterations (the default 500 is
/// already generous); beyond the limit the fit returns
/// [`Error::InvalidParameter`] naming `max_iterations`.
pub const MAX_FIT_ITERATIONS: usize = 100_000;

/// `max_iterations` of an iterative fit outside the BTYD models (Cox,
/// parametric Cox, Turnbull, the churn model's logistic regression): at most
/// [`MAX_FIT_ITERATIONS`] and at least `least` (1 for the fits that reject
/// 0; 0 where zero iterations already meant "report not converged"), else
/// [`Error::InvalidParameter`].
pub(crate) fn check_max_iterations(max_iterations: usize, least: usize) -> Result<()> {
    if max_iterations < least {
        Err(Error::parameter(
            "max_iterations",
            max_iterations,
            "must be at least 1",
        ))
    } else if max_iterations > MAX_FIT_ITERATIONS {
        Err(Error::parameter(
            "max_iterations",
            max_iterations,
            "must be at most MAX_FIT_ITERATIONS (100000)",
        ))
    } else {
        Ok(())
    }
}

/// Options of every model's `fit`.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(default, deny_unknown_fields))]
pub struct FitOptions {
    /// L2 penalty coefficient `c ≥ 0` on the natural parameters: the
    /// optimiser minimises `−ℓ/W + c Σⱼ pⱼ²` (`W` = total weight), the
    /// convention of `lifetimes`' `penalizer_coef`. Default 0.
    pub penalizer_coef: f64,
    /// Optional first starting point (natural parameters, all `> 0`, in the
    /// model's parameter order); the model's own starts follow.
    pub initial_params: Option<Vec<f64>>,
    /// Convergence threshold on the largest gradient component of the
    /// mean objective with respect to log-parameters. Default `1e-8`.
    pub tolerance: f64,
    /// Iteration limit of each BFGS run, at most [`MAX_FIT_ITERATIONS`].
    /// Default 500.
    pub max_iterations: usize,
}

impl Default for FitOptions {
    fn default() -> Self {
        FitOptions {
            penalizer_coef: 0.0,
            initial_params: None,
            tolerance: 1e-8,
            max_iterations: 500,
        }
    }
}

/// What a fit returns besides the parameters.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct FitDiagnostics {
    /// Maximised log-likelihood `Σᵢ wᵢ ln Lᵢ` (without the penalty).
    pub log_likelihood: f64,
    /// Parameter names, in the order of the vectors below.
    pub parameter_names: &'static [&'static str],
    /// Standard errors from the inverse observed information (Hessian of
    /// the total penalised negative log-likelihood in natural parameters);
    /// `None` when that Hessian is not positive definite.
    pub standard_errors: Option<Vec<f64>>,
    /// The corresponding covariance matrix, row-major `k × k`.
    pub covariance: Option<Vec<f64>>,
    /// Number of input rows used.
    pub rows: usize,
    /// Total weight `W` of those rows (number of customers).
    pub total_weight: f64,
    /// The penalty coefficient used.
    pub penalizer_coef: f64,
    /// The minimised objective `−ℓ / W + c Σ θ²` (mean penalised negative
    /// log-likelihood, in the units the optimiser saw: scaled time after
    /// [`fit_rescaled`](super::TransactionModelParams::fit_rescaled)).
    pub objective: f64,
    /// Algorithm of the successful optimisation attempt.
    pub method: OptimMethod,
    /// Iterations of that attempt.
    pub iterations: usize,
    /// Number of attempts made (1 when the first BFGS run converged).
    pub attempts: usize,
}

impl FitDiagnostics {
    /// Standard error of the parameter called `name`, if available.
    pub fn standard_error(&self, name: &str) -> Option<f64> {
        let i = self.parameter_names.iter().position(|n| *n == name)?;
        self.standard_errors.as_ref()?.get(i).copied()
    }

    /// Akaike's information criterion `2k − 2ℓ` (`k` parameters, `ℓ` the
    /// maximised log-likelihood).
    pub fn aic(&self) -> f64 {
        2.0 * self.parameter_names.len() as f64 - 2.0 * self.log_likelihood
    }

    /// The Bayesian information criterion `k ln n − 2ℓ`, with `n` the total
    /// weight (the number of customers).
    pub fn bic(&self) -> f64 {
        self.parameter_names.len() as f64 * self.total_weight.ln() - 2.0 * self.log_likelihood
    }

    /// Normal (Wald) confidence intervals `θ ± z·se` at `level` (e.g.
    /// `0.95`, where `z = Φ⁻¹(0.975) ≈ 1.96`) around `params` (in
    /// [`parameter_names`](FitDiagnostics::parameter_names) order); `None`
    /// without standard errors. Errors: a level outside `(0, 1)`.
    pub fn confidence_intervals(
        &self,
        params: &[f64],
        level: f64,
    ) -> Result<Option<Vec<(f64, f64)>>> {
        match &self.standard_errors {
            Some(se) => wald_intervals(params, se, level).map(Some),
            None => wald_intervals(&[], &[], level).map(|_| None),
        }
    }

    /// The diagnostics of a fit whose parameter `i` is reported multiplied
    /// by `factors[i]` (a change of time unit): standard errors and
    /// covariance scale with the factors, and `log_likelihood_shift` (for
    /// instance `Σ wᵢ xᵢ ln c`) is added to the log-likelihood.
    pub(crate) fn rescaled(mut self, factors: &[f64], log_likelihood_shift: f64) -> Self {
        let k = factors.len();
        if let Some(se) = self.standard_errors.as_mut() {
            se.iter_mut().zip(factors).for_each(|(s, f)| *s *= f.abs());
        }
        if let Some(cov) = self.covariance.as_mut() {
            for (i, row) in cov.chunks_mut(k).enumerate() {
                for (j, c) in row.iter_mut().enumerate() {
                    *c *= factors[i] * factors[j];
                }
            }
        }
        self.log_likelihood += log_likelihood_shift;
        self
    }
}

/// Normal (Wald) confidence intervals `θᵢ ± z·seᵢ` at `level`, with
/// `z = Φ⁻¹((1 + level) / 2)` (1.96 at 0.95).
///
/// Errors: a level outside `(0, 1)`; columns of different lengths.
pub fn wald_intervals(
    params: &[f64],
    standard_errors: &[f64],
    level: f64,
) -> Result<Vec<(f64, f64)>> {
    let z = Some(level)
        .filter(|l| *l > 0.0 && *l < 1.0)
        .and_then(|l| crate::special::normal_quantile(0.5 + l / 2.0))
        .ok_or_else(|| Error::parameter("level", level, "must be in (0, 1)"))?;
    crate::error::check_len("standard_errors", params.len(), standard_errors.len())?;
    Ok(params
        .iter()
        .zip(standard_errors)
        .map(|(p, s)| (p - z * s, p + z * s))
        .collect())
}

/// A fitted model: the maximum-likelihood parameters and the diagnostics of
/// the fit (whose standard errors follow the parameter order of `P`).
///
/// Serialized (feature `serde`) as `params` followed by the diagnostics'
/// fields at the same level.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct ModelFit<P> {
    /// Maximum-likelihood estimates.
    pub params: P,
    /// Log-likelihood, standard errors, optimiser details.
    #[cfg_attr(feature = "serde", serde(flatten))]
    pub diagnostics: FitDiagnostics,
}

/// A model's log-likelihood as the driver needs it.
pub(crate) trait Likelihood {
    /// Model name for errors.
    const MODEL: &'static str;
    /// Parameter names, in order.
    const NAMES: &'static [&'static str];
    /// Total log-likelihood `Σ wᵢ ln Lᵢ` at natural parameters `p`; any
    /// non-finite value marks an inadmissible point. Defaults to the value
    /// of [`Likelihood::log_likelihood_gradient`], so models without an
    /// analytic gradient must implement it.
    fn log_likelihood(&self, p: &[f64]) -> f64 {
        let mut g = vec![0.0; p.len()];
        self.log_likelihood_gradient(p, &mut g).unwrap_or(f64::NAN)
    }
    /// Total log-likelihood and its gradient with respect to `p`, when the
    /// model has an analytic gradient.
    fn log_likelihood_gradient(&self, _p: &[f64], _grad: &mut [f64]) -> Option<f64> {
        None
    }
    /// Whether [`Likelihood::log_likelihood_gradient`] is implemented.
    const HAS_GRADIENT: bool = false;
    /// Fills `hess` (row-major `k × k`) with the Hessian of the total
    /// log-likelihood with respect to `p`, when the model has it in closed
    /// form; returns whether it did.
    fn log_likelihood_hessian(&self, _p: &[f64], _hess: &mut [f64]) -> bool {
        false
    }
    /// Default starting points in natural parameters.
    fn starts(&self) -> Vec<Vec<f64>>;
}

struct LogScale<'a, L: Likelihood> {
    lik: &'a L,
    total_weight: f64,
    penalizer: f64,
}

impl<L: Likelihood> Objective for LogScale<'_, L> {
    fn dim(&self) -> usize {
        L::NAMES.len()
    }

    fn value(&self, theta: &[f64]) -> f64 {
        let p: Vec<f64> = theta.iter().map(|t| t.exp()).collect();
        let ll = self.lik.log_likelihood(&p);
        if !ll.is_finite() || p.iter().any(|v| !(v.is_finite() && *v > 0.0)) {
            return f64::INFINITY;
        }
        -ll / self.total_weight + self.penalizer * p.iter().map(|v| v * v).sum::<f64>()
    }

    fn value_and_gradient(&self, theta: &[f64], grad: &mut [f64]) -> f64 {
        if !L::HAS_GRADIENT {
            optim::central_gradient(|y| self.value(y), theta, grad);
            return self.value(theta);
        }
        let p: Vec<f64> = theta.iter().map(|t| t.exp()).collect();
        let mut g = vec![0.0; p.len()];
        let Some(ll) = self.lik.log_likelihood_gradient(&p, &mut g) else {
            return f64::INFINITY;
        };
        if !ll.is_finite() || p.iter().any(|v| !(v.is_finite() && *v > 0.0)) {
            return f64::INFINITY;
        }
        for ((out, gi), pi) in grad.iter_mut().zip(&g).zip(&p) {
            // Chain rule through p = e^θ.
            *out = pi * (-gi / self.total_weight + 2.0 * self.penalizer * pi);
        }
        -ll / self.total_weight + self.penalizer * p.iter().map(|v| v * v).sum::<f64>()
    }
}

/// The `(x, tₓ, T, weight)` rows of validated `data` with positive weight,
/// identical histories merged into one row carrying their total weight: the
/// input of the transaction models' likelihoods (whose value is a weighted
/// sum over rows, so merging changes nothing but the work).
pub(crate) struct Histories {
    /// Distinct `(x, tₓ, T)` with their total weight, sorted.
    pub(crate) rows: Vec<(f64, f64, f64, f64)>,
    /// Weighted mean of `T`, a time scale for starting points (1 when
    /// unusable).
    pub(crate) time_scale: f64,
}

impl Histories {
    pub(crate) fn new(data: &TransactionSummary<'_>) -> Self {
        let rows: Vec<(f64, f64, f64, f64)> = (0..data.len())
            .filter_map(|i| {
                Some((
                    *data.frequency.get(i)?,
                    *data.recency.get(i)?,
                    *data.age.get(i)?,
                    data.weight(i),
                ))
            })
            .filter(|row| row.3 > 0.0)
            .collect();
        let rows = merge_identical(rows);
        let wsum: f64 = rows.iter().map(|r| r.3).sum();
        let mean_t = rows.iter().map(|r| r.2 * r.3).sum::<f64>() / wsum;
        Histories {
            rows,
            time_scale: positive_or_one(mean_t),
        }
    }

    /// The starting points shared by BG/NBD and MBG/NBD, `(r, α, a, b)`.
    pub(crate) fn beta_geometric_starts(&self) -> Vec<Vec<f64>> {
        let scale = self.time_scale;
        vec![
            vec![1.0, 1.0, 1.0, 1.0],
            vec![0.5, 0.2 * scale, 1.0, 3.0],
            vec![2.0, 0.5 * scale, 0.5, 0.5],
        ]
    }
}

/// [`Histories`] arranged for likelihoods whose per-row work is dominated
/// by functions of `x`, of `α + tₓ` and of `α + T`: the rows are grouped by
/// frequency, and `tₓ` and `T` are replaced by indices into tables of their
/// distinct values, so that those functions are evaluated once per distinct
/// value rather than once per row (CDNOW: 1,016 rows, 23 frequencies, 257
/// recencies, 84 ages).
pub(crate) struct GroupedHistories {
    /// The ungrouped rows and time scale.
    pub(crate) histories: Histories,
    /// Distinct `T`, ascending.
    pub(crate) ages: Vec<f64>,
    /// Distinct `tₓ`, ascending.
    pub(crate) recencies: Vec<f64>,
    /// One group per distinct `x`, ascending.
    pub(crate) groups: Vec<FrequencyGroup>,
    /// The rows, group after group.
    pub(crate) cells: Vec<Cell>,
}

/// The rows sharing one frequency.
pub(crate) struct FrequencyGroup {
    /// The frequency `x`.
    pub(crate) x: f64,
    /// Total weight of the group's rows.
    pub(crate) weight: f64,
    /// The group's rows in [`GroupedHistories::cells`].
    pub(crate) cells: std::ops::Range<usize>,
}

/// One row of a [`FrequencyGroup`].
pub(crate) struct Cell {
    /// Index of `T` in [`GroupedHistories::ages`].
    pub(crate) age: usize,
    /// Index of `tₓ` in [`GroupedHistories::recencies`].
    pub(crate) recency: usize,
    /// Weight of the row.
    pub(crate) weight: f64,
}

impl GroupedHistories {
    pub(crate) fn new(data: &TransactionSummary<'_>) -> Self {
        let histories = Histories::new(data);
        let distinct = |pick: fn(&(f64, f64, f64, f64)) -> f64| -> Vec<f64> {
            let mut v: Vec<f64> = histories.rows.iter().map(pick).collect();
            v.sort_by(f64::total_cmp);
            v.dedup();
            v
        };
        let ages = distinct(|row| row.2);
        let recencies = distinct(|row| row.1);
        let index = |table: &[f64], v: f64| table.partition_point(|t| t.total_cmp(&v).is_lt());
        let mut groups: Vec<FrequencyGroup> = Vec::new();
        let mut cells = Vec::with_capacity(histories.rows.len());
        for (i, &(x, t_x, age, weight)) in histories.rows.iter().enumerate() {
            match groups.last_mut() {
                Some(g) if g.x == x => {
                    g.weight += weight;
                    g.cells.end = i + 1;
                }
                _ => groups.push(FrequencyGroup {
                    x,
                    weight,
                    cells: i..i + 1,
                }),
            }
            cells.push(Cell {
                age: index(&ages, age),
                recency: index(&recencies, t_x),
                weight,
            });
        }
        GroupedHistories {
            histories,
            ages,
            recencies,
            groups,
            cells,
        }
    }
}

/// Sorts rows by `(x, tₓ, T)` and merges equal histories, summing weights.
///
/// The rows are validated (finite, `≥ 0`), and for such numbers the IEEE
/// bit patterns, once `−0` is turned into `+0`, order like the values; the
/// sort compares those integers rather than chaining `f64::total_cmp`
/// (several times faster on CDNOW's 2,357 rows). It is stable, so the
/// weights of a merged history are summed in input order.
fn merge_identical(rows: Vec<(f64, f64, f64, f64)>) -> Vec<(f64, f64, f64, f64)> {
    let bits = |v: f64| (v + 0.0).to_bits();
    let mut keyed: Vec<([u64; 3], f64)> = rows
        .into_iter()
        .map(|(x, t_x, age, w)| ([bits(x), bits(t_x), bits(age)], w))
        .collect();
    keyed.sort_by_key(|row| row.0);
    let mut out: Vec<(f64, f64, f64, f64)> = Vec::with_capacity(keyed.len());
    let mut last_key = None;
    for (key, w) in keyed {
        match out.last_mut() {
            Some(last) if last_key == Some(key) => last.3 += w,
            _ => {
                let [x, t_x, age] = key.map(f64::from_bits);
                out.push((x, t_x, age, w));
                last_key = Some(key);
            }
        }
    }
    out
}

/// `v` if it is a usable positive scale, otherwise 1.
pub(crate) fn positive_or_one(v: f64) -> f64 {
    if v.is_finite() && v > 0.0 {
        v
    } else {
        1.0
    }
}

/// Fits a transaction model with [`fit_summary`] and builds its parameter
/// type from the `K` estimates with `build` (the model's checked
/// constructor).
pub(crate) fn fit_model<L: Likelihood, P, const K: usize>(
    data: &TransactionSummary<'_>,
    discrete: bool,
    make: impl Fn(&TransactionSummary<'_>) -> L,
    options: &FitOptions,
    build: impl Fn([f64; K]) -> Result<P>,
) -> Result<ModelFit<P>> {
    let (p, diagnostics) = fit_summary(data, discrete, make, options)?;
    finish::<L, P, K>(&p, diagnostics, build)
}

/// The fitted parameters as the model's type.
pub(crate) fn finish<L: Likelihood, P, const K: usize>(
    p: &[f64],
    diagnostics: FitDiagnostics,
    build: impl Fn([f64; K]) -> Result<P>,
) -> Result<ModelFit<P>> {
    let array: [f64; K] = p.try_into().map_err(|_| Error::NonFiniteResult {
        what: L::MODEL,
        row: None,
    })?;
    Ok(ModelFit {
        params: build(array)?,
        diagnostics,
    })
}

/// Validates `data` (`discrete` as for BG/BB), builds the model's
/// likelihood with `make` and fits it, first on a subsample for large
/// inputs (see the module docs).
pub(crate) fn fit_summary<L: Likelihood>(
    data: &TransactionSummary<'_>,
    discrete: bool,
    make: impl Fn(&TransactionSummary<'_>) -> L,
    options: &FitOptions,
) -> Result<(Vec<f64>, FitDiagnostics)> {
    let total = data.validate(discrete)?;
    let n = data.len();
    let mut warm = None;
    if n > SUBSAMPLE_ABOVE {
        let step = n.div_ceil(SUBSAMPLE_ROWS);
        let pick = |col: &[f64]| -> Vec<f64> { col.iter().step_by(step).copied().collect() };
        let (x, t_x, age) = (pick(data.frequency), pick(data.recency), pick(data.age));
        let w: Vec<f64> = (0..n)
            .step_by(step)
            .map(|i| data.weight(i) * step as f64)
            .collect();
        let sub = TransactionSummary::new(&x, &t_x, &age).with_weights(&w);
        let sub_total: f64 = w.iter().sum();
        let loose = FitOptions {
            tolerance: options.tolerance.max(1e-6),
            ..options.clone()
        };
        if sub_total > 0.0 {
            if let Ok((p, d)) = fit_with(&make(&sub), x.len(), sub_total, &loose, None) {
                let k = p.len();
                // Inverse Hessian of the mean objective in log-parameters.
                let inv = d.covariance.map(|c| {
                    (0..k * k)
                        .map(|ij| {
                            let (i, j) = (ij / k, ij % k);
                            sub_total * c.get(ij).copied().unwrap_or(f64::NAN) / (p[i] * p[j])
                        })
                        .collect::<Vec<f64>>()
                });
                warm = Some((p, inv));
            }
        }
    }
    fit_with(&make(data), n, total, options, warm)
}

/// Total log-likelihood of `data` at natural parameters `p`, for the
/// models' public `log_likelihood` methods.
pub(crate) fn summary_log_likelihood<L: Likelihood>(
    data: &TransactionSummary<'_>,
    discrete: bool,
    make: impl Fn(&TransactionSummary<'_>) -> L,
    p: &[f64],
    what: &'static str,
) -> Result<f64> {
    data.validate(discrete)?;
    let ll = make(data).log_likelihood(p);
    if ll.is_finite() {
        Ok(ll)
    } else {
        Err(Error::NonFiniteResult { what, row: None })
    }
}

/// Fits `lik` and returns the natural parameters and diagnostics.
pub(crate) fn fit<L: Likelihood>(
    lik: &L,
    rows: usize,
    total_weight: f64,
    options: &FitOptions,
) -> Result<(Vec<f64>, FitDiagnostics)> {
    fit_with(lik, rows, total_weight, options, None)
}

/// [`fit`], optionally starting from `warm`: natural parameters and, when
/// known, the inverse Hessian of the mean objective in log-parameters.
fn fit_with<L: Likelihood>(
    lik: &L,
    rows: usize,
    total_weight: f64,
    options: &FitOptions,
    warm: Option<(Vec<f64>, Option<Vec<f64>>)>,
) -> Result<(Vec<f64>, FitDiagnostics)> {
    let k = L::NAMES.len();
    let penalizer = options.penalizer_coef;
    if !(penalizer.is_finite() && penalizer >= 0.0) {
        return Err(Error::parameter(
            "penalizer_coef",
            penalizer,
            "must be a finite number ≥ 0",
        ));
    }
    if !(options.tolerance.is_finite() && options.tolerance > 0.0) {
        return Err(Error::parameter(
            "tolerance",
            options.tolerance,
            "must be a finite number > 0",
        ));
    }
    if options.max_iterations > MAX_FIT_ITERATIONS {
        return Err(Error::parameter(
            "max_iterations",
            options.max_iterations,
            "must be at most MAX_FIT_ITERATIONS (100000)",
        ));
    }
    let mut starts = Vec::new();
    if let Some(init) = &options.initial_params {
        if init.len() != k || init.iter().any(|v| !(v.is_finite() && *v > 0.0)) {
            return Err(Error::parameter(
                "initial_params",
                init,
                "must hold one finite value > 0 per model parameter",
            ));
        }
        starts.push(init.iter().map(|v| v.ln()).collect());
    }
    starts.extend(
        lik.starts()
            .into_iter()
            .map(|s| s.iter().map(|v| v.ln()).collect::<Vec<f64>>()),
    );
    let objective = LogScale {
        lik,
        total_weight,
        penalizer,
    };
    let opt = OptimOptions {
        tolerance: options.tolerance,
        max_iterations: options.max_iterations,
    };
    let warm_run = warm.and_then(|(p, inv)| {
        if p.len() != k || p.iter().any(|v| !(v.is_finite() && *v > 0.0)) {
            return None;
        }
        let theta: Vec<f64> = p.iter().map(|v| v.ln()).collect();
        let run = inv.and_then(|h| optim::minimize_from(&objective, &theta, &h, &opt));
        if run.is_none() {
            // Still the best first start of the usual procedure.
            starts.insert(0, theta);
        }
        run
    });
    let min = match warm_run {
        Some(min) => min,
        None => optim::minimize(&objective, &starts, &opt, |t| {
            t.iter().map(|v| v.exp()).collect()
        })
        .map_err(|attempts| Error::FitNotConverged {
            model: L::MODEL,
            attempts,
        })?,
    };
    let params: Vec<f64> = min.x.iter().map(|t| t.exp()).collect();
    let log_likelihood = lik.log_likelihood(&params);
    if !log_likelihood.is_finite() || params.iter().any(|v| !v.is_finite()) {
        return Err(Error::NonFiniteResult {
            what: "log-likelihood at the estimate",
            row: None,
        });
    }
    // Observed information of the total penalised objective.
    let total_pen = total_weight * penalizer;
    let value =
        |p: &[f64]| -lik.log_likelihood(p) + total_pen * p.iter().map(|v| v * v).sum::<f64>();
    let grad = |p: &[f64], g: &mut [f64]| -> bool {
        match lik.log_likelihood_gradient(p, g) {
            Some(v) if v.is_finite() => {
                for (gi, pi) in g.iter_mut().zip(p) {
                    *gi = -*gi + 2.0 * total_pen * pi;
                }
                true
            }
            _ => false,
        }
    };
    let mut exact = vec![0.0; k * k];
    let hessian = if lik.log_likelihood_hessian(&params, &mut exact) {
        for (i, h) in exact.iter_mut().enumerate() {
            *h = -*h
                + if i % (k + 1) == 0 {
                    2.0 * total_pen
                } else {
                    0.0
                };
        }
        exact.iter().all(|v| v.is_finite()).then_some(exact)
    } else if L::HAS_GRADIENT {
        optim::observed_information(&value, Some(&grad), &params)
    } else {
        optim::observed_information(&value, None, &params)
    };
    let covariance = hessian.and_then(|h| optim::invert_spd(&h, k));
    let standard_errors = covariance.as_ref().and_then(|c| {
        let se: Vec<f64> = (0..k)
            .map(|i| c.get(i * k + i).copied().unwrap_or(f64::NAN).sqrt())
            .collect();
        se.iter().all(|v| v.is_finite()).then_some(se)
    });
    Ok((
        params,
        FitDiagnostics {
            log_likelihood,
            parameter_names: L::NAMES,
            standard_errors,
            covariance,
            rows,
            total_weight,
            penalizer_coef: penalizer,
            objective: min.value,
            method: min.method,
            iterations: min.iterations,
            attempts: min.attempts,
        },
    ))
}

/// Asserts that the analytic gradient of `lik` at `p` agrees with central
/// differences of its value (relative step `1e-6`, tolerance `1e-5`
/// relative to `max(1, |derivative|)`).
#[cfg(test)]
pub(crate) fn assert_gradient_matches<L: Likelihood>(lik: &L, p: &[f64]) {
    let mut g = vec![0.0; p.len()];
    assert!(lik.log_likelihood_gradient(p, &mut g).is_some(), "{p:?}");
    for j in 0..p.len() {
        let h = 1e-6 * p[j];
        let mut up = p.to_vec();
        up[j] += h;
        let mut down = p.to_vec();
        down[j] -= h;
        let fd = (lik.log_likelihood(&up) - lik.log_likelihood(&down)) / (2.0 * h);
        assert!(
            (fd - g[j]).abs() < 1e-5 * fd.abs().max(1.0),
            "{p:?} {j}: {fd} vs {}",
            g[j]
        );
    }
}

/// Asserts that the analytic Hessian of `lik` at `p` agrees with central
/// differences of its analytic gradient (relative step `1e-6`, tolerance
/// `1e-6` relative to `max(1, |entry|)`) and is symmetric.
#[cfg(test)]
pub(crate) fn assert_hessian_matches<L: Likelihood>(lik: &L, p: &[f64]) {
    let k = p.len();
    let mut hess = vec![0.0; k * k];
    assert!(lik.log_likelihood_hessian(p, &mut hess), "{p:?}");
    let (mut gp, mut gm) = (vec![0.0; k], vec![0.0; k]);
    for j in 0..k {
        let h = 1e-6 * p[j];
        let mut up = p.to_vec();
        up[j] += h;
        let mut down = p.to_vec();
        down[j] -= h;
        assert!(lik.log_likelihood_gradient(&up, &mut gp).is_some());
        assert!(lik.log_likelihood_gradient(&down, &mut gm).is_some());
        for i in 0..k {
            let fd = (gp[i] - gm[i]) / (2.0 * h);
            let got = hess[i * k + j];
            assert!(
                (fd - got).abs() < 1e-6 * fd.abs().max(1.0),
                "{p:?} ({i}, {j}): {fd} vs {got}"
            );
            assert_eq!(got, hess[j * k + i]);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identical_histories_merge_in_value_order() {
        let rows = vec![
            (2.0, 10.5, 30.0, 1.0),
            (0.0, 0.0, 12.0, 2.0),
            (0.0, -0.0, 12.0, 0.5),
            (10.0, 3.0, 4.0, 1.0),
            (2.0, 10.5, 30.0, 3.0),
            (2.0, 9.0, 30.0, 1.0),
        ];
        let merged = merge_identical(rows);
        assert_eq!(
            merged,
            vec![
                (0.0, 0.0, 12.0, 2.5),
                (2.0, 9.0, 30.0, 1.0),
                (2.0, 10.5, 30.0, 4.0),
                (10.0, 3.0, 4.0, 1.0),
            ]
        );
        assert!(merged[0].1.is_sign_positive());
    }
}
