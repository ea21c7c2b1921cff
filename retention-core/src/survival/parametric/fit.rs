//! Input validation, the log-likelihood of a log-location-scale model with a
//! linear predictor on each parameter (value, gradient and Hessian in one
//! pass over the rows), and the damped Newton iteration that maximises it.

use super::family::{ParametricFamily, Terms};
use crate::error::{Error, IssueKind, Issues, Result};
use crate::linalg::{cholesky, cholesky_inverse, cholesky_solve};
use crate::survival::SampleWeights;

/// Validated right-censored sample with its logarithms precomputed.
#[derive(Debug, Clone)]
pub(crate) struct Sample<'a> {
    /// `log tᵢ`.
    pub log_t: Vec<f64>,
    /// Event flags.
    pub events: &'a [bool],
    /// `log aᵢ` of the entry times; `−∞` where the entry is 0 (no term).
    pub log_entry: Option<Vec<f64>>,
    /// Case weights (`None` = all 1).
    pub weights: Option<&'a [f64]>,
    /// `Σ wᵢ`.
    pub weight_sum: f64,
}

impl Sample<'_> {
    /// Number of rows.
    pub fn len(&self) -> usize {
        self.log_t.len()
    }

    #[inline]
    pub fn weight(&self, i: usize) -> f64 {
        self.weights.map_or(1.0, |w| w[i])
    }
}

/// Checks durations (finite, `> 0`), entry times (finite, `aᵢ ≤ tᵢ`; an
/// entry at or before the origin, `aᵢ ≤ 0`, truncates nothing, as lifelines)
/// and weights (finite, `≥ 0`, positive total), reporting every bad row;
/// then requires at least one observed event of positive weight.
pub(crate) fn validate<'a>(
    durations: &[f64],
    events: &'a [bool],
    extra: &SampleWeights<'a>,
) -> Result<Sample<'a>> {
    crate::error::check_len("event_observed", durations.len(), events.len())?;
    if durations.is_empty() {
        return Err(Error::EmptyInput { what: "durations" });
    }
    let mut issues = Issues::default();
    for (row, &d) in durations.iter().enumerate() {
        if !d.is_finite() {
            issues.push(row, "duration", d, IssueKind::NotFinite);
        } else if d <= 0.0 {
            let kind = IssueKind::OutOfRange {
                min: f64::MIN_POSITIVE,
                max: f64::MAX,
            };
            issues.push(row, "duration", d, kind);
        }
    }
    if let Some(w) = extra.weights {
        crate::error::check_len("weights", durations.len(), w.len())?;
        for (row, &x) in w.iter().enumerate() {
            crate::error::check_non_negative(&mut issues, row, "weights", x);
        }
    }
    if let Some(entry) = extra.entry {
        crate::error::check_len("entry", durations.len(), entry.len())?;
        for (row, (&a, &d)) in entry.iter().zip(durations).enumerate() {
            if !a.is_finite() {
                issues.push(row, "entry", a, IssueKind::NotFinite);
            } else if a > d && d.is_finite() {
                let kind = IssueKind::OutOfRange {
                    min: f64::NEG_INFINITY,
                    max: d,
                };
                issues.push(row, "entry", a, kind);
            }
        }
    }
    issues.finish()?;
    let weight_sum: f64 = extra
        .weights
        .map_or(durations.len() as f64, |w| w.iter().sum());
    let event_weight: f64 = events
        .iter()
        .enumerate()
        .filter(|(_, &e)| e)
        .map(|(i, _)| extra.weights.map_or(1.0, |w| w[i]))
        .sum();
    if event_weight <= 0.0 {
        return Err(Error::EmptyInput {
            what: "observed events",
        });
    }
    Ok(Sample {
        log_t: durations.iter().map(|t| t.ln()).collect(),
        events,
        log_entry: extra.entry.map(|a| {
            a.iter()
                .map(|&x| if x > 0.0 { x.ln() } else { f64::NEG_INFINITY })
                .collect()
        }),
        weights: extra.weights,
        weight_sum,
    })
}

/// Row-major covariates of the two linear predictors: `η₁ = X₁ β₁ (+ b₁)`,
/// `η₂ = X₂ β₂ (+ b₂)`, the intercept (when present) last in its block.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Design<'a> {
    pub x1: &'a [f64],
    pub k1: usize,
    pub int1: bool,
    pub x2: &'a [f64],
    pub k2: usize,
    pub int2: bool,
}

impl Design<'_> {
    /// Parameters of the first block.
    pub fn p1(&self) -> usize {
        self.k1 + usize::from(self.int1)
    }

    /// All parameters.
    pub fn p(&self) -> usize {
        self.p1() + self.k2 + usize::from(self.int2)
    }

    /// `(η₁, η₂)` of row `i`.
    #[inline]
    pub fn etas(&self, beta: &[f64], i: usize) -> (f64, f64) {
        let p1 = self.p1();
        let mut e1 = if self.int1 { beta[self.k1] } else { 0.0 };
        for (x, b) in self.x1[i * self.k1..(i + 1) * self.k1].iter().zip(beta) {
            e1 += x * b;
        }
        let mut e2 = if self.int2 { beta[p1 + self.k2] } else { 0.0 };
        for (x, b) in self.x2[i * self.k2..(i + 1) * self.k2]
            .iter()
            .zip(&beta[p1..])
        {
            e2 += x * b;
        }
        (e1, e2)
    }

    /// Writes row `i`'s full covariate vector (with intercepts) into `v`.
    #[inline]
    fn row_vector(&self, i: usize, v: &mut [f64]) {
        let p1 = self.p1();
        v[..self.k1].copy_from_slice(&self.x1[i * self.k1..(i + 1) * self.k1]);
        if self.int1 {
            v[self.k1] = 1.0;
        }
        v[p1..p1 + self.k2].copy_from_slice(&self.x2[i * self.k2..(i + 1) * self.k2]);
        if self.int2 {
            v[p1 + self.k2] = 1.0;
        }
    }
}

/// Rows per [`RowBlock`].
const BLOCK_ROWS: usize = 128;

/// A block of rows waiting to be added to the gradient `Σ gᵢ vᵢ` and the
/// Hessian's upper triangle `Σ cᵢ vᵢ vᵢᵀ` (`g`, `c` picked by the
/// parameter block of each entry: location, cross or ancillary). The
/// covariates are stored column by column so that each entry is one dot
/// product over the block.
struct RowBlock {
    p: usize,
    p1: usize,
    hessian: bool,
    rows: usize,
    /// `columns[j * BLOCK_ROWS + r]`: covariate `j` of row `r`.
    columns: Vec<f64>,
    /// Gradient weights of the two linear predictors.
    gradient: [Vec<f64>; 2],
    /// Hessian weights `(11, 12, 22)`.
    weights: [Vec<f64>; 3],
}

impl RowBlock {
    fn new(p: usize, p1: usize, hessian: bool) -> Self {
        let zeros = || vec![0.0; BLOCK_ROWS];
        RowBlock {
            p,
            p1,
            hessian,
            rows: 0,
            columns: vec![0.0; p * BLOCK_ROWS],
            gradient: [zeros(), zeros()],
            weights: [zeros(), zeros(), zeros()],
        }
    }

    /// Adds row `i` of `design`; `true` when the block is full.
    #[inline]
    fn push(
        &mut self,
        design: &Design<'_>,
        i: usize,
        gradient: [f64; 2],
        hessian: [f64; 3],
    ) -> bool {
        let r = self.rows;
        let mut put = |j: usize, x: f64| self.columns[j * BLOCK_ROWS + r] = x;
        let (k1, k2, p1) = (design.k1, design.k2, self.p1);
        for (j, &x) in design.x1[i * k1..(i + 1) * k1].iter().enumerate() {
            put(j, x);
        }
        if design.int1 {
            put(k1, 1.0);
        }
        for (j, &x) in design.x2[i * k2..(i + 1) * k2].iter().enumerate() {
            put(p1 + j, x);
        }
        if design.int2 {
            put(p1 + k2, 1.0);
        }
        self.gradient[0][r] = gradient[0];
        self.gradient[1][r] = gradient[1];
        for (k, c) in hessian.into_iter().enumerate() {
            self.weights[k][r] = c;
        }
        self.rows += 1;
        self.rows == BLOCK_ROWS
    }

    /// Adds the waiting rows to `g` and `h` and empties the block.
    fn flush(&mut self, g: &mut [f64], h: Option<&mut [f64]>) {
        let (p, p1, n) = (self.p, self.p1, self.rows);
        let column = |j: usize| &self.columns[j * BLOCK_ROWS..j * BLOCK_ROWS + n];
        for (a, ga) in g.iter_mut().enumerate().take(p) {
            *ga += dot(&self.gradient[usize::from(a >= p1)][..n], column(a));
        }
        if let Some(h) = h.filter(|_| self.hessian) {
            for a in 0..p {
                let xa = column(a);
                for b in a..p {
                    let block = usize::from(a >= p1) + usize::from(b >= p1);
                    h[a * p + b] += dot3(&self.weights[block][..n], xa, column(b));
                }
            }
        }
        self.rows = 0;
    }
}

/// `Σ aᵢ bᵢ` in four interleaved partial sums (vectorisable).
#[inline]
fn dot(a: &[f64], b: &[f64]) -> f64 {
    let mut acc = [0.0; 4];
    let (ca, cb) = (a.chunks_exact(4), b.chunks_exact(4));
    let tail: f64 = ca
        .remainder()
        .iter()
        .zip(cb.remainder())
        .map(|(x, y)| x * y)
        .sum();
    for (x, y) in ca.zip(cb) {
        for l in 0..4 {
            acc[l] += x[l] * y[l];
        }
    }
    (acc[0] + acc[1]) + (acc[2] + acc[3]) + tail
}

/// `Σ cᵢ aᵢ bᵢ` in four interleaved partial sums (vectorisable).
#[inline]
fn dot3(c: &[f64], a: &[f64], b: &[f64]) -> f64 {
    let mut acc = [0.0; 4];
    let (cc, ca, cb) = (c.chunks_exact(4), a.chunks_exact(4), b.chunks_exact(4));
    let tail: f64 = cc
        .remainder()
        .iter()
        .zip(ca.remainder())
        .zip(cb.remainder())
        .map(|((z, x), y)| z * x * y)
        .sum();
    for ((z, x), y) in cc.zip(ca).zip(cb) {
        for l in 0..4 {
            acc[l] += z[l] * x[l] * y[l];
        }
    }
    (acc[0] + acc[1]) + (acc[2] + acc[3]) + tail
}

/// The model to fit: family, data, design and the ridge coefficients
/// (`F(β) = −ℓ(β) + ½ Σ penaltyⱼ βⱼ²`).
pub(crate) struct Problem<'a> {
    pub family: ParametricFamily,
    pub sample: &'a Sample<'a>,
    pub design: Design<'a>,
    pub penalty: Vec<f64>,
}

/// Derivatives of one log term `c + T(z)` with `z = (y − η₁) e^κ`, with
/// respect to `(η₁, κ)`: value, gradient, Hessian `(11, 1κ, κκ)`.
#[inline]
fn chain(t: Terms, z: f64, ek: f64) -> [f64; 5] {
    [
        t.value,
        -ek * t.d1,
        t.d1 * z,
        ek * ek * t.d2,
        -ek * (t.d1 + t.d2 * z),
    ]
}

impl Problem<'_> {
    /// Row `i`'s log-likelihood term (unweighted) and its derivatives in
    /// `(η₁, κ)`: `[ℓᵢ, ∂η₁, ∂κ, ∂η₁η₁, ∂η₁κ]` and `∂κκ`. `ek` is `e^κ`
    /// when the caller knows it (intercept-only ancillary).
    #[inline]
    fn row_terms(&self, i: usize, e1: f64, e2: f64, ek: Option<f64>) -> ([f64; 5], f64) {
        let s = self.sample;
        let kappa = self.family.kappa_sign() * e2;
        let ek = ek.unwrap_or_else(|| kappa.exp());
        let lt = s.log_t[i];
        let z = (lt - e1) * ek;
        let t = if s.events[i] {
            self.family.log_density(z)
        } else {
            self.family.log_survival(z)
        };
        let mut d = chain(t, z, ek);
        let mut dkk = t.d2 * z * z + t.d1 * z;
        if s.events[i] {
            d[0] += kappa - lt;
            d[2] += 1.0;
        }
        if let Some(le) = s.log_entry.as_ref().map(|a| a[i]) {
            if le > f64::NEG_INFINITY {
                let ze = (le - e1) * ek;
                let te = self.family.log_survival(ze);
                let de = chain(te, ze, ek);
                for (a, b) in d.iter_mut().zip(de) {
                    *a -= b;
                }
                dkk -= te.d2 * ze * ze + te.d1 * ze;
            }
        }
        (d, dkk)
    }

    /// lifelines' robust (sandwich) covariance `V J V`, with `V` the
    /// model-based covariance and `J = Σᵢ uᵢ uᵢᵀ` over rows of positive
    /// weight, `uᵢ` the *unweighted* gradient of row `i`'s negative
    /// log-likelihood plus `c βⱼ` for each penalised coefficient (lifelines
    /// differentiates its per-row objective, in which the case weight
    /// cancels and the penalty appears whole, on the raw coefficients).
    pub fn sandwich(&self, beta: &[f64], covariance: &[f64], penalized: &[f64]) -> Vec<f64> {
        let p = self.design.p();
        let p1 = self.design.p1();
        let sign = self.family.kappa_sign();
        let mut v = vec![0.0; p];
        let mut u = vec![0.0; p];
        let mut j = vec![0.0; p * p];
        for i in 0..self.sample.len() {
            if self.sample.weight(i) == 0.0 {
                continue;
            }
            let (e1, e2) = self.design.etas(beta, i);
            let (d, _) = self.row_terms(i, e1, e2, None);
            self.design.row_vector(i, &mut v);
            for k in 0..p {
                let g = if k < p1 { -d[1] } else { -sign * d[2] };
                u[k] = g * v[k] + penalized[k] * beta[k];
            }
            for a in 0..p {
                for b in 0..p {
                    j[a * p + b] += u[a] * u[b];
                }
            }
        }
        let mut vj = vec![0.0; p * p];
        for a in 0..p {
            for b in 0..p {
                vj[a * p + b] = (0..p).map(|k| covariance[a * p + k] * j[k * p + b]).sum();
            }
        }
        let mut out = vec![0.0; p * p];
        for a in 0..p {
            for b in 0..p {
                out[a * p + b] = (0..p).map(|k| vj[a * p + k] * covariance[k * p + b]).sum();
            }
        }
        out
    }

    /// `F(β)`, and when `grad` is given its gradient and (when `hess` is
    /// given) its Hessian (full `p × p`). `None` when not finite.
    pub fn eval(
        &self,
        beta: &[f64],
        mut grad: Option<&mut [f64]>,
        mut hess: Option<&mut [f64]>,
    ) -> Option<f64> {
        let p = self.design.p();
        let p1 = self.design.p1();
        let sign = self.family.kappa_sign();
        if let Some(g) = grad.as_deref_mut() {
            g.fill(0.0);
        }
        if let Some(h) = hess.as_deref_mut() {
            h.fill(0.0);
        }
        let s = self.sample;
        let mut f = 0.0;
        let const_ek = if self.design.int2 {
            (sign * beta[p - 1]).exp()
        } else {
            1.0
        };
        // Gradient and Hessian are sums over rows of `wᵢ`-weighted outer
        // products; they are accumulated a block of rows at a time, column
        // by column (see `RowBlock`), which the compiler vectorises.
        let mut block = (grad.is_some()).then(|| RowBlock::new(p, p1, hess.is_some()));
        for i in 0..s.len() {
            let w = s.weight(i);
            if w == 0.0 {
                continue;
            }
            let (e1, e2) = self.design.etas(beta, i);
            // An intercept-only ancillary parameter has one e^κ for all rows.
            let (d, dkk) = self.row_terms(i, e1, e2, (self.design.k2 == 0).then_some(const_ek));
            f -= w * d[0];
            if !f.is_finite() {
                return None;
            }
            if let (Some(b), Some(g)) = (block.as_mut(), grad.as_deref_mut()) {
                let gradient = [-w * d[1], -w * sign * d[2]];
                let hessian = [-w * d[3], -w * sign * d[4], -w * dkk];
                if b.push(&self.design, i, gradient, hessian) {
                    b.flush(g, hess.as_deref_mut());
                }
            }
        }
        if let (Some(b), Some(g)) = (block.as_mut(), grad.as_deref_mut()) {
            b.flush(g, hess.as_deref_mut());
        }
        for (j, (&pen, &b)) in self.penalty.iter().zip(beta).enumerate() {
            f += 0.5 * pen * b * b;
            if let Some(g) = grad.as_deref_mut() {
                g[j] += pen * b;
            }
            if let Some(h) = hess.as_deref_mut() {
                h[j * p + j] += pen;
            }
        }
        if let Some(h) = hess.as_deref_mut() {
            for a in 0..p {
                for b in 0..a {
                    h[a * p + b] = h[b * p + a];
                }
            }
        }
        if let Some(g) = grad.as_deref() {
            if g.iter().any(|x| !x.is_finite()) {
                return None;
            }
        }
        if let Some(h) = hess.as_deref() {
            if h.iter().any(|x| !x.is_finite()) {
                return None;
            }
        }
        f.is_finite().then_some(f)
    }
}

/// The maximiser of the penalised log-likelihood and the curvature there.
#[derive(Debug, Clone)]
pub(crate) struct NewtonFit {
    /// `β̂`.
    pub beta: Vec<f64>,
    /// `F(β̂) = −ℓ(β̂) + penalty`.
    pub objective: f64,
    /// Inverse of the Hessian of `F` at `β̂` (row-major `p × p`).
    pub covariance: Vec<f64>,
    /// Newton iterations used.
    pub iterations: usize,
}

/// Maximum Newton iterations.
pub(crate) const MAX_ITERATIONS: usize = 100;
/// Convergence threshold on the largest Newton step.
pub(crate) const STEP_TOLERANCE: f64 = 1e-10;
/// When the covariance is not wanted, a full, undamped Newton step at most
/// this large (relative, as [`STEP_TOLERANCE`]) is the last one: it lands
/// within about its square of the optimum (quadratic convergence), so it is
/// taken without another pass over the rows and the objective moved by the
/// quadratic model's `−½ gᵀd` (the Hessian, one step away, would give a
/// covariance off by about the step's relative size).
const FINAL_STEP: f64 = 1e-6;

/// Damped Newton from `start`: Levenberg damping when the Hessian is not
/// positive definite, step halving until the objective decreases. Without
/// `covariance` the caller only needs the optimum and its objective (the
/// covariance returned is then the one a step away, see [`FINAL_STEP`]).
///
/// # Errors
/// [`Error::NonFiniteResult`] when the objective is not finite at the
/// start, [`Error::NotConverged`] when no decrease is found or the
/// iteration limit is hit, [`Error::SingularMatrix`] when the Hessian at
/// the optimum is not positive definite.
pub(crate) fn newton(
    problem: &Problem<'_>,
    start: Vec<f64>,
    what: &'static str,
    covariance: bool,
) -> Result<NewtonFit> {
    let p = problem.design.p();
    let mut g = vec![0.0; p];
    let mut h = vec![0.0; p * p];
    let mut g_trial = vec![0.0; p];
    let mut h_trial = vec![0.0; p * p];
    let mut beta = start;
    let mut trial = vec![0.0; p];
    let mut f = problem
        .eval(&beta, Some(&mut g), Some(&mut h))
        .ok_or(Error::NonFiniteResult {
            what: "parametric log-likelihood at the starting point",
            row: None,
        })?;
    let mut last_step = f64::INFINITY;
    for iteration in 1..=MAX_ITERATIONS {
        let scale = (0..p).map(|j| h[j * p + j].abs()).fold(1e-300, f64::max);
        let mut damping = 0.0;
        let direction = loop {
            let mut a = h.clone();
            for j in 0..p {
                a[j * p + j] += damping;
            }
            match cholesky(&a, p, scale) {
                Ok(l) => break cholesky_solve(&l, p, &g),
                Err(_) => {
                    damping = if damping == 0.0 {
                        1e-8 * scale
                    } else {
                        damping * 10.0
                    };
                    if damping > 1e12 * scale {
                        return Err(Error::NotConverged {
                            what,
                            iterations: iteration,
                            last_step,
                        });
                    }
                }
            }
        };
        let size = direction.iter().fold(0.0_f64, |m, d| m.max(d.abs()));
        let magnitude = 1.0 + beta.iter().fold(0.0_f64, |m, b| m.max(b.abs()));
        let bound = STEP_TOLERANCE * magnitude;
        if size <= bound {
            // The full Newton step is below the tolerance: at the optimum.
            return finish(p, beta, f, &h, iteration);
        }
        if !covariance && damping == 0.0 && size <= FINAL_STEP * magnitude {
            let decrease = 0.5 * g.iter().zip(&direction).map(|(a, b)| a * b).sum::<f64>();
            for (b, d) in beta.iter_mut().zip(&direction) {
                *b -= d;
            }
            return finish(p, beta, f - decrease, &h, iteration);
        }
        // Step halving; a full evaluation at each trial point, so that an
        // accepted step (nearly always the first) needs no second pass.
        // Increases within rounding of the sum count as no increase.
        let slack = 1e-13 * f.abs().max(1.0);
        let mut step = 1.0;
        let mut accepted = None;
        for _ in 0..40 {
            for j in 0..p {
                trial[j] = beta[j] - step * direction[j];
            }
            if let Some(ft) = problem.eval(&trial, Some(&mut g_trial), Some(&mut h_trial)) {
                if ft <= f + slack {
                    accepted = Some(ft);
                    break;
                }
            }
            step *= 0.5;
        }
        let moved = step * size;
        let Some(f_new) = accepted else {
            if moved <= 1e-7 {
                // No decrease possible within rounding: at the optimum.
                return finish(p, beta, f, &h, iteration);
            }
            return Err(Error::NotConverged {
                what,
                iterations: iteration,
                last_step: moved,
            });
        };
        last_step = moved;
        std::mem::swap(&mut beta, &mut trial);
        std::mem::swap(&mut g, &mut g_trial);
        std::mem::swap(&mut h, &mut h_trial);
        f = f_new;
        if moved <= bound {
            return finish(p, beta, f, &h, iteration);
        }
    }
    Err(Error::NotConverged {
        what,
        iterations: MAX_ITERATIONS,
        last_step,
    })
}

/// Inverts the Hessian at the optimum.
fn finish(
    p: usize,
    beta: Vec<f64>,
    objective: f64,
    h: &[f64],
    iterations: usize,
) -> Result<NewtonFit> {
    let scale = (0..p).map(|j| h[j * p + j].abs()).fold(0.0, f64::max);
    let l = cholesky(h, p, scale).map_err(|index| Error::SingularMatrix {
        what: "parametric information matrix",
        index,
    })?;
    Ok(NewtonFit {
        beta,
        objective,
        covariance: cholesky_inverse(&l, p),
        iterations,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn block_dot_products_cover_every_row() {
        // Lengths around the 4-lane chunks: the remainder rows count too.
        for n in [0, 1, 3, 4, 5, 7, 8, 9, 130] {
            let a: Vec<f64> = (0..n).map(|i| i as f64 + 0.5).collect();
            let b: Vec<f64> = (0..n).map(|i| 2.0 - i as f64 / 3.0).collect();
            let c: Vec<f64> = (0..n).map(|i| (i % 5) as f64).collect();
            let want2: f64 = a.iter().zip(&b).map(|(x, y)| x * y).sum();
            let want3: f64 = (0..n).map(|i| c[i] * a[i] * b[i]).sum();
            assert!(
                (dot(&a, &b) - want2).abs() <= 1e-12 * want2.abs().max(1.0),
                "{n}"
            );
            assert!(
                (dot3(&c, &a, &b) - want3).abs() <= 1e-12 * want3.abs().max(1.0),
                "{n}"
            );
        }
    }

    #[test]
    fn blocked_gradient_and_hessian_are_the_row_sums() {
        // Three rows, one covariate each block plus intercepts: p1 = 2, p = 4.
        let x1 = [1.0, 2.0, -1.0];
        let x2 = [0.5, 0.0, 3.0];
        let design = Design {
            x1: &x1,
            k1: 1,
            int1: true,
            x2: &x2,
            k2: 1,
            int2: true,
        };
        let (p, p1) = (4, 2);
        let mut block = RowBlock::new(p, p1, true);
        let gw = [[1.0, 2.0], [0.5, -1.0], [3.0, 0.25]];
        let hw = [[1.0, 0.1, 2.0], [2.0, -0.3, 1.0], [0.5, 0.7, 4.0]];
        for i in 0..3 {
            block.push(&design, i, gw[i], hw[i]);
        }
        let (mut g, mut h) = (vec![0.0; p], vec![0.0; p * p]);
        block.flush(&mut g, Some(&mut h));
        let v = |i: usize| [x1[i], 1.0, x2[i], 1.0];
        for a in 0..p {
            let want: f64 = (0..3).map(|i| gw[i][usize::from(a >= p1)] * v(i)[a]).sum();
            assert!((g[a] - want).abs() < 1e-12);
            for b in a..p {
                let k = usize::from(a >= p1) + usize::from(b >= p1);
                let want: f64 = (0..3).map(|i| hw[i][k] * v(i)[a] * v(i)[b]).sum();
                assert!((h[a * p + b] - want).abs() < 1e-12, "({a}, {b})");
            }
        }
    }
}
