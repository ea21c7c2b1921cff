//! The shared machinery of the covariate models: input checks, the
//! parameter layout (free, constrained), merged rows, the penalised
//! objective and its gradient, the fit and the observed information.
//!
//! A model supplies a [`RowModel`]: the log-likelihood of one row at
//! row-level parameters `pᵢ` together with `∂ ln Lᵢ / ∂ ln pᵢⱼ`, and which
//! of its parameters each process shifts (`ln pᵢⱼ = ln pⱼ + σⱼ ηᵢ` with
//! `ηᵢ = zᵢ·γ` the process's linear predictor and `σⱼ = ±1`). The chain
//! rule then gives every derivative:
//!
//! ```text
//! ∂ℓ/∂ln pⱼ = Σᵢ wᵢ dᵢⱼ,     ∂ℓ/∂γₖ = Σᵢ wᵢ zᵢₖ Σ_{j shifted} σⱼ dᵢⱼ,
//! ```
//!
//! with `dᵢⱼ = ∂ ln Lᵢ/∂ ln pᵢⱼ`.

use super::{Covariate, CovariateFit, CovariateModelKind, CovariateOptions};
use crate::error::{IssueKind, Issues};
use crate::models::optim::{self, Objective, OptimOptions};
use crate::{Error, Result};

/// One model's row likelihood, for the shared driver.
pub(crate) trait RowModel {
    /// Which model.
    const KIND: CovariateModelKind;
    /// Names of the base parameters (all `> 0`, optimised on the log scale).
    const BASE: &'static [&'static str];
    /// `(index, sign)` of the base parameters shifted by the first process.
    const FIRST_SHIFT: &'static [(usize, f64)];
    /// The same for the second process (empty when the model has one).
    const SECOND_SHIFT: &'static [(usize, f64)];
    /// `ln Lᵢ` of observation `obs` at row parameters `p`, and
    /// `∂ ln Lᵢ/∂ ln pⱼ` in `dlog`; `None` when not finite.
    fn row(p: &[f64], obs: &[f64; 3], dlog: &mut [f64]) -> Option<f64>;
}

/// One process's covariates after validation.
pub(crate) struct Process<'a> {
    /// Prefix of its coefficient names (`trans`, `life`, `spend`).
    pub(crate) prefix: &'static str,
    /// Field name in errors.
    pub(crate) field: &'static str,
    pub(crate) columns: &'a [Covariate<'a>],
    pub(crate) lambda: f64,
}

/// Checks a process's covariates against `n` rows: finite λ ≥ 0, unique
/// non-empty names, columns of `n` finite values (every bad value reported
/// as `field` with the value written `name=value`).
pub(crate) fn check_process(p: &Process<'_>, n: usize, lambda_name: &'static str) -> Result<()> {
    if !(p.lambda.is_finite() && p.lambda >= 0.0) {
        return Err(Error::parameter(
            lambda_name,
            p.lambda,
            "must be a finite number ≥ 0",
        ));
    }
    for (i, c) in p.columns.iter().enumerate() {
        if c.name.trim().is_empty() {
            return Err(Error::parameter(
                p.field,
                c.name,
                "covariate names must not be empty",
            ));
        }
        if p.columns[..i].iter().any(|d| d.name == c.name) {
            return Err(Error::parameter(p.field, c.name, "covariate named twice"));
        }
        crate::error::check_len(p.field, n, c.values.len())?;
    }
    let mut issues = Issues::default();
    for row in 0..n {
        for c in p.columns {
            let v = c.values[row];
            if !v.is_finite() {
                issues.push(
                    row,
                    p.field,
                    format!("{}={v}", c.name),
                    IssueKind::NotFinite,
                );
            }
        }
    }
    issues.finish()
}

/// Rejects covariates that cannot be told apart from the intercept or from
/// each other: the weighted Gram matrix of `[1, z₁, …, z_k]` must be
/// positive definite (only when the process is not regularised, since a
/// penalty identifies any coefficient).
pub(crate) fn check_identifiable(
    p: &Process<'_>,
    weights: &[f64],
    what: &'static str,
) -> Result<()> {
    let k = p.columns.len();
    if k == 0 || p.lambda > 0.0 {
        return Ok(());
    }
    let d = k + 1;
    let mut gram = vec![0.0; d * d];
    let mut z = vec![1.0; d];
    for (row, &w) in weights.iter().enumerate() {
        if w <= 0.0 {
            continue;
        }
        for (slot, c) in z[1..].iter_mut().zip(p.columns) {
            *slot = c.values[row];
        }
        for i in 0..d {
            for j in 0..=i {
                gram[i * d + j] += w * z[i] * z[j];
            }
        }
    }
    match crate::linalg::cholesky_own_scale(&gram, d) {
        Ok(_) => Ok(()),
        Err(0) => Err(Error::EmptyInput {
            what: "rows with positive weight",
        }),
        Err(j) => Err(Error::SingularMatrix { what, index: j - 1 }),
    }
}

/// The parameter layout: base parameters, free coefficients of the second
/// process (`life`), free coefficients of the first (`trans`), then the
/// constrained ones (CLVTools' order), and where each covariate column
/// takes its coefficient from.
pub(crate) struct Layout {
    pub(crate) names: Vec<String>,
    pub(crate) base: usize,
    /// θ index of each first-process column's coefficient.
    pub(crate) first_map: Vec<usize>,
    /// θ index of each second-process column's coefficient.
    pub(crate) second_map: Vec<usize>,
}

impl Layout {
    pub(crate) fn new(
        base: &[&str],
        first: &Process<'_>,
        second: &Process<'_>,
        constrained: &[String],
    ) -> Result<Self> {
        for (i, c) in constrained.iter().enumerate() {
            let in_first = first.columns.iter().any(|col| col.name == c);
            let in_second = second.columns.iter().any(|col| col.name == c);
            if !(in_first && in_second) {
                return Err(Error::parameter(
                    "constrained",
                    c,
                    "a constrained covariate must be among the covariates of both processes",
                ));
            }
            if constrained[..i].contains(c) {
                return Err(Error::parameter("constrained", c, "covariate named twice"));
            }
        }
        let mut names: Vec<String> = base.iter().map(|s| s.to_string()).collect();
        let mut second_map = vec![usize::MAX; second.columns.len()];
        let mut first_map = vec![usize::MAX; first.columns.len()];
        for (j, c) in second.columns.iter().enumerate() {
            if !constrained.iter().any(|n| n == c.name) {
                second_map[j] = names.len();
                names.push(format!("{}.{}", second.prefix, c.name));
            }
        }
        for (j, c) in first.columns.iter().enumerate() {
            if !constrained.iter().any(|n| n == c.name) {
                first_map[j] = names.len();
                names.push(format!("{}.{}", first.prefix, c.name));
            }
        }
        for c in constrained {
            let idx = names.len();
            names.push(format!("constr.{c}"));
            if let Some(j) = first.columns.iter().position(|col| col.name == c) {
                first_map[j] = idx;
            }
            if let Some(j) = second.columns.iter().position(|col| col.name == c) {
                second_map[j] = idx;
            }
        }
        Ok(Layout {
            names,
            base: base.len(),
            first_map,
            second_map,
        })
    }
}

/// Distinct rows (observation and covariates), with summed weights.
pub(crate) struct Rows {
    pub(crate) obs: Vec<[f64; 3]>,
    pub(crate) weight: Vec<f64>,
    /// Row-major `rows × k₁` first-process covariates.
    pub(crate) z1: Vec<f64>,
    pub(crate) z2: Vec<f64>,
    pub(crate) k1: usize,
    pub(crate) k2: usize,
}

impl Rows {
    /// Merges identical rows among those with positive weight (`keep`).
    pub(crate) fn new(
        obs: &[[f64; 3]],
        weights: &[f64],
        first: &[Covariate<'_>],
        second: &[Covariate<'_>],
    ) -> Self {
        let (k1, k2) = (first.len(), second.len());
        let width = 3 + k1 + k2;
        let bits = |v: f64| (v + 0.0).to_bits();
        let mut keyed: Vec<(Vec<u64>, f64)> = obs
            .iter()
            .enumerate()
            .filter(|(i, _)| weights[*i] > 0.0)
            .map(|(i, o)| {
                let mut key = Vec::with_capacity(width);
                key.extend(o.iter().map(|v| bits(*v)));
                key.extend(first.iter().map(|c| bits(c.values[i])));
                key.extend(second.iter().map(|c| bits(c.values[i])));
                (key, weights[i])
            })
            .collect();
        keyed.sort_by(|a, b| a.0.cmp(&b.0));
        let mut rows = Rows {
            obs: Vec::new(),
            weight: Vec::new(),
            z1: Vec::new(),
            z2: Vec::new(),
            k1,
            k2,
        };
        let mut last: Option<&[u64]> = None;
        for (key, w) in &keyed {
            if last == Some(key.as_slice()) {
                if let Some(total) = rows.weight.last_mut() {
                    *total += w;
                }
                continue;
            }
            let v: Vec<f64> = key.iter().map(|b| f64::from_bits(*b)).collect();
            rows.obs.push([v[0], v[1], v[2]]);
            rows.weight.push(*w);
            rows.z1.extend_from_slice(&v[3..3 + k1]);
            rows.z2.extend_from_slice(&v[3 + k1..]);
            last = Some(key.as_slice());
        }
        rows
    }
}

/// Largest `|ln p|` of a base parameter the optimiser may visit.
const MAX_LOG_PARAM: f64 = 30.0;

/// The penalised mean negative log-likelihood in
/// `θ = (ln p, coefficients)`.
pub(crate) struct CovObjective<'a, M: RowModel> {
    pub(crate) rows: &'a Rows,
    pub(crate) layout: &'a Layout,
    pub(crate) lambdas: [f64; 2],
    pub(crate) total_weight: f64,
    pub(crate) _model: std::marker::PhantomData<M>,
}

impl<M: RowModel> CovObjective<'_, M> {
    /// Expanded per-column coefficients of both processes.
    fn coefficients(&self, theta: &[f64]) -> (Vec<f64>, Vec<f64>) {
        let pick = |map: &[usize]| {
            map.iter()
                .map(|&i| theta.get(i).copied().unwrap_or(f64::NAN))
                .collect()
        };
        (pick(&self.layout.first_map), pick(&self.layout.second_map))
    }

    /// Total log-likelihood `Σ wᵢ ln Lᵢ` and its gradient with respect to θ
    /// (length `layout.names.len()`).
    pub(crate) fn log_likelihood(&self, theta: &[f64], grad: &mut [f64]) -> Option<f64> {
        let kb = self.layout.base;
        let base: Vec<f64> = theta.get(..kb)?.iter().map(|t| t.exp()).collect();
        let (g1, g2) = self.coefficients(theta);
        let (k1, k2) = (self.rows.k1, self.rows.k2);
        grad.iter_mut().for_each(|g| *g = 0.0);
        let mut p = base.clone();
        let mut dlog = vec![0.0; kb];
        let mut total = 0.0;
        for (i, obs) in self.rows.obs.iter().enumerate() {
            let w = self.rows.weight[i];
            let z1 = &self.rows.z1[i * k1..(i + 1) * k1];
            let z2 = &self.rows.z2[i * k2..(i + 1) * k2];
            let eta1: f64 = z1.iter().zip(&g1).map(|(z, g)| z * g).sum();
            let eta2: f64 = z2.iter().zip(&g2).map(|(z, g)| z * g).sum();
            p.copy_from_slice(&base);
            for &(j, s) in M::FIRST_SHIFT {
                p[j] *= (s * eta1).exp();
            }
            for &(j, s) in M::SECOND_SHIFT {
                p[j] *= (s * eta2).exp();
            }
            let ll = M::row(&p, obs, &mut dlog)?;
            total += w * ll;
            for j in 0..kb {
                grad[j] += w * dlog[j];
            }
            let s1: f64 = M::FIRST_SHIFT.iter().map(|&(j, s)| s * dlog[j]).sum();
            let s2: f64 = M::SECOND_SHIFT.iter().map(|&(j, s)| s * dlog[j]).sum();
            for (c, z) in z1.iter().enumerate() {
                grad[self.layout.first_map[c]] += w * s1 * z;
            }
            for (c, z) in z2.iter().enumerate() {
                grad[self.layout.second_map[c]] += w * s2 * z;
            }
        }
        (total.is_finite() && grad.iter().all(|g| g.is_finite())).then_some(total)
    }

    /// The L2 penalty `λ₁ Σ γ₁² + λ₂ Σ γ₂²` over the expanded coefficients
    /// (a constrained coefficient counts in both processes), and its
    /// gradient added to `grad` times `scale`.
    fn penalty(&self, theta: &[f64], grad: Option<(&mut [f64], f64)>) -> f64 {
        let (g1, g2) = self.coefficients(theta);
        let value = self.lambdas[0] * g1.iter().map(|g| g * g).sum::<f64>()
            + self.lambdas[1] * g2.iter().map(|g| g * g).sum::<f64>();
        if let Some((grad, scale)) = grad {
            for (c, g) in g1.iter().enumerate() {
                grad[self.layout.first_map[c]] += scale * 2.0 * self.lambdas[0] * g;
            }
            for (c, g) in g2.iter().enumerate() {
                grad[self.layout.second_map[c]] += scale * 2.0 * self.lambdas[1] * g;
            }
        }
        value
    }

    /// Gradient of the total penalised negative log-likelihood
    /// `−ℓ + W·penalty` (for the observed information).
    fn total_gradient(&self, theta: &[f64], grad: &mut [f64]) -> bool {
        match self.log_likelihood(theta, grad) {
            Some(_) => {
                grad.iter_mut().for_each(|g| *g = -*g);
                self.penalty(theta, Some((grad, self.total_weight)));
                true
            }
            None => false,
        }
    }
}

impl<M: RowModel> Objective for CovObjective<'_, M> {
    fn dim(&self) -> usize {
        self.layout.names.len()
    }

    fn value(&self, theta: &[f64]) -> f64 {
        let mut g = vec![0.0; theta.len()];
        self.value_and_gradient(theta, &mut g)
    }

    fn value_and_gradient(&self, theta: &[f64], grad: &mut [f64]) -> f64 {
        if theta
            .iter()
            .take(self.layout.base)
            .any(|t| !t.is_finite() || t.abs() > MAX_LOG_PARAM)
        {
            return f64::INFINITY;
        }
        let Some(ll) = self.log_likelihood(theta, grad) else {
            return f64::INFINITY;
        };
        let w = self.total_weight;
        grad.iter_mut().for_each(|g| *g = -*g / w);
        -ll / w + self.penalty(theta, Some((grad, 1.0)))
    }
}

/// Fits the model `M` to validated `rows` and returns the result.
pub(crate) fn fit<M: RowModel>(
    rows: &Rows,
    layout: Layout,
    lambdas: [f64; 2],
    covariate_names: [Vec<String>; 2],
    input_rows: usize,
    base_starts: Vec<Vec<f64>>,
    options: &CovariateOptions,
) -> Result<CovariateFit> {
    if !(options.tolerance.is_finite() && options.tolerance > 0.0) {
        return Err(Error::parameter(
            "tolerance",
            options.tolerance,
            "must be a finite number > 0",
        ));
    }
    let total_weight: f64 = rows.weight.iter().sum();
    let obj = CovObjective::<M> {
        rows,
        layout: &layout,
        lambdas,
        total_weight,
        _model: std::marker::PhantomData,
    };
    let k = layout.names.len();
    let starts: Vec<Vec<f64>> = base_starts
        .iter()
        .filter(|s| s.len() == layout.base && s.iter().all(|v| v.is_finite() && *v > 0.0))
        .map(|s| {
            let mut theta: Vec<f64> = s.iter().map(|v| v.ln()).collect();
            theta.resize(k, 0.0);
            theta
        })
        .collect();
    let opt = OptimOptions {
        tolerance: options.tolerance,
        max_iterations: options.max_iterations,
    };
    let kb = layout.base;
    let natural = |t: &[f64]| -> Vec<f64> {
        t.iter()
            .enumerate()
            .map(|(j, v)| if j < kb { v.exp() } else { *v })
            .collect()
    };
    let warm = warm_start::<M>(rows, &layout, lambdas, &starts, options);
    let warm_run = warm.and_then(|(theta, inv)| optim::minimize_from(&obj, &theta, &inv, &opt));
    let min = match warm_run {
        Some(min) => min,
        None => optim::minimize(&obj, &starts, &opt, natural).map_err(|attempts| {
            Error::FitNotConverged {
                model: M::KIND.label(),
                attempts,
            }
        })?,
    };
    let theta = min.x;
    let mut g = vec![0.0; k];
    let log_likelihood = obj
        .log_likelihood(&theta, &mut g)
        .ok_or(Error::NonFiniteResult {
            what: "log-likelihood at the estimate",
            row: None,
        })?;
    let estimates = natural(&theta);
    // Observed information in θ by central differences of the analytic
    // gradient, then to natural parameters: at a stationary point the
    // Hessian transforms with the Jacobian diag(p for the base, 1).
    let grad_fn = |t: &[f64], g: &mut [f64]| obj.total_gradient(t, g);
    let hessian = theta_hessian(&grad_fn, &theta);
    let covariance = hessian.and_then(|h| optim::invert_spd(&h, k)).map(|c| {
        let jac: Vec<f64> = (0..k)
            .map(|j| if j < kb { estimates[j] } else { 1.0 })
            .collect();
        (0..k * k)
            .map(|ij| c[ij] * jac[ij / k] * jac[ij % k])
            .collect::<Vec<f64>>()
    });
    let standard_errors = covariance.as_ref().and_then(|c| {
        let se: Vec<f64> = (0..k).map(|i| c[i * k + i].sqrt()).collect();
        se.iter().all(|v| v.is_finite()).then_some(se)
    });
    if estimates.iter().any(|v| !v.is_finite()) {
        return Err(Error::NonFiniteResult {
            what: "covariate model estimates",
            row: None,
        });
    }
    let expand = |map: &[usize]| -> Vec<f64> { map.iter().map(|&i| theta[i]).collect() };
    let [first_names, second_names] = covariate_names;
    Ok(CovariateFit {
        model: M::KIND,
        coefficients: [expand(&layout.first_map), expand(&layout.second_map)],
        covariate_names: [first_names, second_names],
        parameter_names: layout.names,
        estimates,
        standard_errors,
        covariance,
        log_likelihood,
        objective: min.value,
        rows: input_rows,
        distinct_rows: rows.obs.len(),
        total_weight,
        reg_lambdas: lambdas,
        iterations: min.iterations,
        attempts: min.attempts,
    })
}

/// For more than 40,000 distinct rows (the plain models' threshold): the
/// estimate on a systematic subsample of about 10,000 of them (every `k`-th
/// row, weight times `k`, loose tolerance) and the inverse Hessian of its
/// mean objective, which start one BFGS run on all rows (the approach of
/// the plain models' fits; the full run converges to the full tolerance).
fn warm_start<M: RowModel>(
    rows: &Rows,
    layout: &Layout,
    lambdas: [f64; 2],
    starts: &[Vec<f64>],
    options: &CovariateOptions,
) -> Option<(Vec<f64>, Vec<f64>)> {
    let n = rows.obs.len();
    if n <= crate::models::fitting::SUBSAMPLE_ABOVE {
        return None;
    }
    let step = n.div_ceil(crate::models::fitting::SUBSAMPLE_ROWS);
    let (k1, k2) = (rows.k1, rows.k2);
    let mut sub = Rows {
        obs: Vec::new(),
        weight: Vec::new(),
        z1: Vec::new(),
        z2: Vec::new(),
        k1,
        k2,
    };
    for i in (0..n).step_by(step) {
        sub.obs.push(rows.obs[i]);
        sub.weight.push(rows.weight[i] * step as f64);
        sub.z1.extend_from_slice(&rows.z1[i * k1..(i + 1) * k1]);
        sub.z2.extend_from_slice(&rows.z2[i * k2..(i + 1) * k2]);
    }
    let total_weight: f64 = sub.weight.iter().sum();
    let obj = CovObjective::<M> {
        rows: &sub,
        layout,
        lambdas,
        total_weight,
        _model: std::marker::PhantomData,
    };
    let opt = OptimOptions {
        tolerance: options.tolerance.max(1e-6),
        max_iterations: options.max_iterations,
    };
    let min = optim::minimize(&obj, starts, &opt, |t| t.to_vec()).ok()?;
    let grad_fn = |t: &[f64], g: &mut [f64]| obj.total_gradient(t, g);
    let k = layout.names.len();
    let inv = optim::invert_spd(&theta_hessian(&grad_fn, &min.x)?, k)?;
    Some((min.x, inv.iter().map(|v| v * total_weight).collect()))
}

/// Symmetrised Hessian of a function with gradient `grad` at `theta`, by
/// forward differences of the gradient with step `10⁻⁶ max(1, |θⱼ|)`
/// (`k + 1` gradients rather than central differences' `2k`: on large
/// inputs these evaluations cost more than the optimisation itself, and the
/// `O(h)` error, about `10⁻⁶` relative, is far below what a standard error
/// needs).
fn theta_hessian(grad: &dyn Fn(&[f64], &mut [f64]) -> bool, theta: &[f64]) -> Option<Vec<f64>> {
    let k = theta.len();
    let mut h = vec![0.0; k * k];
    let (mut g0, mut gp) = (vec![0.0; k], vec![0.0; k]);
    if !grad(theta, &mut g0) {
        return None;
    }
    let mut x = theta.to_vec();
    for j in 0..k {
        let step = 1e-6 * theta[j].abs().max(1.0);
        x[j] = theta[j] + step;
        let ok = grad(&x, &mut gp);
        x[j] = theta[j];
        if !ok {
            return None;
        }
        for i in 0..k {
            h[i * k + j] = (gp[i] - g0[i]) / step;
        }
    }
    for i in 0..k {
        for j in 0..i {
            let avg = 0.5 * (h[i * k + j] + h[j * k + i]);
            h[i * k + j] = avg;
            h[j * k + i] = avg;
        }
    }
    h.iter().all(|v| v.is_finite()).then_some(h)
}

/// The row-level base parameters of each customer: `pⱼ exp(σⱼ η)` with the
/// fitted coefficients and the caller's covariates (matched by name).
pub(crate) fn customer_params<M: RowModel>(
    fit: &CovariateFit,
    n: usize,
    first: &[Covariate<'_>],
    second: &[Covariate<'_>],
    fields: [&'static str; 2],
) -> Result<Vec<Vec<f64>>> {
    if fit.model != M::KIND {
        return Err(Error::parameter(
            "fit",
            fit.model.as_str(),
            "was fitted with another model",
        ));
    }
    let lookup =
        |given: &[Covariate<'_>], names: &[String], field: &'static str| -> Result<Vec<Vec<f64>>> {
            let columns: Vec<Vec<f64>> = names
                .iter()
                .map(|name| {
                    let col = given.iter().find(|c| c.name == name).ok_or_else(|| {
                        Error::parameter(field, name, "a covariate of the fit is missing")
                    })?;
                    crate::error::check_len(field, n, col.values.len())?;
                    Ok(col.values.to_vec())
                })
                .collect::<Result<_>>()?;
            let mut issues = Issues::default();
            for row in 0..n {
                for (col, name) in columns.iter().zip(names) {
                    if !col[row].is_finite() {
                        issues.push(
                            row,
                            field,
                            format!("{name}={}", col[row]),
                            IssueKind::NotFinite,
                        );
                    }
                }
            }
            issues.finish()?;
            Ok(columns)
        };
    let c1 = lookup(first, &fit.covariate_names[0], fields[0])?;
    let c2 = lookup(second, &fit.covariate_names[1], fields[1])?;
    let base = fit.base_params();
    (0..n)
        .map(|row| {
            let eta = |cols: &[Vec<f64>], coef: &[f64]| -> f64 {
                cols.iter().zip(coef).map(|(c, g)| c[row] * g).sum()
            };
            let (e1, e2) = (
                eta(&c1, &fit.coefficients[0]),
                eta(&c2, &fit.coefficients[1]),
            );
            let mut p = base.to_vec();
            for &(j, s) in M::FIRST_SHIFT {
                p[j] *= (s * e1).exp();
            }
            for &(j, s) in M::SECOND_SHIFT {
                p[j] *= (s * e2).exp();
            }
            if p.iter().all(|v| v.is_finite() && *v > 0.0) {
                Ok(p)
            } else {
                Err(Error::NonFiniteResult {
                    what: "customer parameters",
                    row: Some(row),
                })
            }
        })
        .collect()
}
