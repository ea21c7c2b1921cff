//! Pareto/NBD: the model of Schmittlein, Morrison & Colombo (1987), with the
//! likelihood and predictions in the form derived by Fader & Hardie (2005).
//!
//! # Model
//!
//! While alive a customer buys as a Poisson process with rate
//! `λ ~ Gamma(r, α)`; her unobserved lifetime is exponential with rate
//! `μ ~ Gamma(s, β)`, independent of `λ`.
//!
//! # Likelihood
//!
//! Integrating the individual likelihood
//! `λˣ e^{−(λ+μ)T} + λˣ μ ∫_{tₓ}^{T} e^{−(λ+μ)y} dy` over the two gamma
//! mixing distributions gives (Fader & Hardie 2005, eq. 19 and its
//! derivation):
//!
//! ```text
//! L = Γ(r+x) αʳ βˢ / Γ(r) · [ (α+T)^{−(r+x)} (β+T)^{−s} + s I ],
//! I = ∫_{tₓ}^{T} (α+y)^{−(r+x)} (β+y)^{−(s+1)} dy = G(tₓ) − G(T),
//! ```
//!
//! where, writing the integrand as `(m+y)^{−pₘ} (k+y)^{−pₖ}` with `m ≥ k`
//! (`(m, pₘ, k, pₖ) = (α, r+x, β, s+1)` if `α ≥ β`, `(β, s+1, α, r+x)`
//! otherwise) and `A = pₘ + pₖ − 1 = r + s + x`,
//!
//! ```text
//! G(y) = ∫_y^∞ (m+u)^{−pₘ} (k+u)^{−pₖ} du
//!      = (m+y)^{−A} ₂F₁(A, pₖ; A+1; z) / A,            z = (m−k)/(m+y)
//!      = (m+y)^{−pₘ} (k+y)^{1−pₖ} S(z) / A,            S(z) = Σₙ (pₘ)ₙ/(A+1)ₙ zⁿ,
//! ```
//!
//! the second line by Euler's transformation `₂F₁(A, B; A+1; z) = (1−z)^{1−B}
//! ₂F₁(1, A+1−B; A+1; z)` (A&S 15.3.3). The terms of `S` decrease at least as
//! fast as `zⁿ`. Fader & Hardie write `s I = s/(r+s+x) · A₀`. `ln I =
//! ln(e^{ln G(tₓ)} − e^{ln G(T)})` is formed in log space, which stays finite
//! where the direct formula overflows or cancels (large `x`, `tₓ = T`: then
//! `I = 0` and `P(alive) = 1`). When `z > 0.995` the series would be slow and
//! `I` is integrated numerically instead ([`gauss_legendre_adaptive`]).
//!
//! ## Gradient
//!
//! Fitting uses the exact gradient. With `tₙ = (pₘ)ₙ/(A+1)ₙ zⁿ`, the series
//! is differentiated term by term,
//!
//! ```text
//! ∂S/∂pₘ|_A = Σₙ tₙ Σ_{j<n} 1/(pₘ+j),   ∂S/∂A = −Σₙ tₙ Σ_{j<n} 1/(A+1+j),
//! ∂S/∂z = Σₙ n tₙ / z,   ∂z/∂m = (k+y)/(m+y)²,   ∂z/∂k = −1/(m+y),
//! ```
//!
//! all summed in the same pass as `S` (they converge like `S`), which gives
//! `∂ ln G/∂(pₘ, pₖ, m, k)` and, through the orientation above, the
//! derivatives with respect to `(r, α, s, β)`; those of `ln Γ(r+x)/Γ(r)` are
//! digamma differences, computed once per distinct `x`. Identical rows are
//! merged into weights and `G(tₓ)` is shared by consecutive rows with the
//! same `(x, tₓ)` (all rows with `x = 0` have `tₓ = 0`). Rows whose series
//! would be slow (`z > 0.995`) are integrated numerically and differentiated
//! by central differences.
//!
//! # Predictions
//!
//! * `P(alive | x, tₓ, T) = 1 / (1 + s (α+T)^{r+x} (β+T)^s I)`
//!   (Fader & Hardie 2005, eq. 18);
//! * `E[X(t)] = rβ / (α(s−1)) · [1 − (β/(β+t))^{s−1}]` (eq. 17 of the note;
//!   Schmittlein et al. 1987), `rβ/α · ln(1 + t/β)` at `s = 1`;
//! * `E[Y(t) | x, tₓ, T] = P(alive) · (r+x)(β+T) / ((α+T)(s−1)) ·
//!   [1 − ((β+T)/(β+T+t))^{s−1}]` (eq. 22);
//! * `P(X(t) = n) = NB(n) (β/(β+t))ˢ + ∫₀ᵗ s βˢ (β+τ)^{−(s+1)} NB_τ(n) dτ`,
//!   with `NB_τ(n) = Γ(r+n)/(Γ(r) n!) (α/(α+τ))ʳ (τ/(α+τ))ⁿ`: purchases
//!   while alive through `t`, or death at `τ ≤ t` after `n` purchases
//!   (Fader, Hardie & Lee's 2006 note derives the same quantity in closed
//!   form); the integral is computed by adaptive Gauss–Legendre quadrature.

use super::fitting::{self, FitOptions, Histories, Likelihood, ModelFit};
use super::validate::{check_horizon, check_point, finite, TransactionSummary};
use super::{map_rows, TransactionModel};
use crate::error::positive;
use crate::special::{
    digamma, gauss_legendre_adaptive, gauss_legendre_rule, inv_one_plus_exp, ln_gamma,
    log_diff_exp, log_sum_exp, one_minus_pow_over,
};
use crate::{Error, Result};

/// Pareto/NBD parameters: `r`, `α` (purchase rate, gamma shape and rate) and
/// `s`, `β` (dropout rate, gamma shape and rate).
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub struct ParetoNbdParams {
    /// Gamma shape of the purchase rate.
    pub r: f64,
    /// Gamma rate of the purchase rate, in the data's time unit.
    pub alpha: f64,
    /// Gamma shape of the dropout rate.
    pub s: f64,
    /// Gamma rate of the dropout rate, in the data's time unit.
    pub beta: f64,
}

/// A fitted Pareto/NBD model (standard errors in the order `r, alpha, s, beta`).
pub type ParetoNbdFit = ModelFit<ParetoNbdParams>;

/// Fits Pareto/NBD by maximum likelihood (analytic gradient).
///
/// Errors as for [`bgnbd::fit`](super::bgnbd::fit).
pub fn fit(data: &TransactionSummary<'_>, options: &FitOptions) -> Result<ParetoNbdFit> {
    fitting::fit_model(data, false, Rows::new, options, |[r, alpha, s, beta]| {
        ParetoNbdParams::new(r, alpha, s, beta)
    })
}

/// `ln G(y)` and its gradient with respect to `(r, α, s, β)`.
type TailGradient = (f64, [f64; 4]);

/// Distinct histories with summed weights, for the likelihood.
struct Rows {
    /// `(x, tₓ, T, weight)`, sorted by `x`, then `tₓ`, then `T`.
    rows: Vec<(f64, f64, f64, f64)>,
    /// Per distinct `x`: the range of its rows and their total weight.
    groups: Vec<(f64, std::ops::Range<usize>, f64)>,
    time_scale: f64,
}

impl Rows {
    fn new(data: &TransactionSummary<'_>) -> Self {
        let Histories {
            mut rows,
            time_scale,
        } = Histories::new(data);
        rows.sort_by(|a, b| {
            a.0.total_cmp(&b.0)
                .then(a.1.total_cmp(&b.1))
                .then(a.2.total_cmp(&b.2))
        });
        rows.dedup_by(|next, kept| {
            let same = (next.0, next.1, next.2) == (kept.0, kept.1, kept.2);
            if same {
                kept.3 += next.3;
            }
            same
        });
        let mut groups: Vec<(f64, std::ops::Range<usize>, f64)> = Vec::new();
        for (i, row) in rows.iter().enumerate() {
            match groups.last_mut() {
                Some(g) if g.0 == row.0 => {
                    g.1.end = i + 1;
                    g.2 += row.3;
                }
                _ => groups.push((row.0, i..i + 1, row.3)),
            }
        }
        Rows {
            rows,
            groups,
            time_scale,
        }
    }
}

/// `ln B` with `B = (α+T)^{−(r+x)} (β+T)^{−s} + s I`, the bracket of the
/// likelihood, and its gradient with respect to `(r, α, s, β)`.
///
/// `tail_tx` is `ln G(tₓ)` with its gradient, shared between rows; `None`
/// when the series is too slow there.
fn ln_bracket_gradient(
    p: &ParetoNbdParams,
    orient: &Orientation,
    x: f64,
    t_x: f64,
    age: f64,
    tail_tx: Option<TailGradient>,
) -> Option<(f64, [f64; 4])> {
    let ParetoNbdParams { r, alpha, s, beta } = *p;
    let (aa, ba) = (alpha + age, beta + age);
    let (la, lb) = (aa.ln(), ba.ln());
    let a0 = -(r + x) * la - s * lb;
    let da0 = [-la, -(r + x) / aa, -lb, -s / ba];
    if t_x >= age {
        return Some((a0, da0));
    }
    let (Some((g_tx, dg_tx)), Some((g_t, dg_t))) =
        (tail_tx, orient.ln_tail_gradient_with(age, la, lb))
    else {
        return ln_bracket_numerical(p, x, t_x, age);
    };
    let d = g_t - g_tx;
    if d >= 0.0 {
        // I vanishes to rounding (tₓ within rounding of T).
        return Some((a0, da0));
    }
    // ratio = G(T)/G(tₓ), I = G(tₓ) (1 − ratio), accurate for ratio near 1.
    let (ratio, one_minus) = if d > -std::f64::consts::LN_2 {
        let em = d.exp_m1();
        (1.0 + em, -em)
    } else {
        let e = d.exp();
        (e, 1.0 - e)
    };
    let ln_i = g_tx + one_minus.ln();
    // d ln I = e_tx d ln G(tₓ) − e_t d ln G(T).
    let (e_tx, e_t) = (1.0 / one_minus, ratio / one_minus);
    // B = e^{a0} + e^{li}: weights of the two terms and ln B.
    let li = s.ln() + ln_i;
    let (ln_b, wa, wi) = if li > a0 {
        let v = (a0 - li).exp();
        (li + v.ln_1p(), v / (1.0 + v), 1.0 / (1.0 + v))
    } else {
        let v = (li - a0).exp();
        (a0 + v.ln_1p(), 1.0 / (1.0 + v), v / (1.0 + v))
    };
    let mut grad = [0.0; 4];
    for (j, out) in grad.iter_mut().enumerate() {
        *out = wa * da0[j] + wi * (e_tx * dg_tx[j] - e_t * dg_t[j]);
    }
    grad[2] += wi / s;
    Some((ln_b, grad))
}

/// `ln B` by quadrature and its gradient by central differences, for the
/// rows where the series converges too slowly.
fn ln_bracket_numerical(
    p: &ParetoNbdParams,
    x: f64,
    t_x: f64,
    age: f64,
) -> Option<(f64, [f64; 4])> {
    let ln_b = |q: &ParetoNbdParams| -> Option<f64> {
        let alive = -(q.r + x) * (q.alpha + age).ln() - q.s * (q.beta + age).ln();
        Some(log_sum_exp(alive, q.s.ln() + q.ln_integral(x, t_x, age)?))
    };
    let value = ln_b(p)?;
    let mut grad = [0.0; 4];
    for (j, out) in grad.iter_mut().enumerate() {
        let mut v = [p.r, p.alpha, p.s, p.beta];
        let h = 1e-5 * v[j];
        let at = |v: [f64; 4]| {
            ln_b(&ParetoNbdParams {
                r: v[0],
                alpha: v[1],
                s: v[2],
                beta: v[3],
            })
        };
        v[j] += h;
        let up = at(v)?;
        v[j] -= 2.0 * h;
        let down = at(v)?;
        *out = (up - down) / (2.0 * h);
    }
    value.is_finite().then_some((value, grad))
}

impl Likelihood for Rows {
    const MODEL: &'static str = "Pareto/NBD";
    const NAMES: &'static [&'static str] = &["r", "alpha", "s", "beta"];
    const HAS_GRADIENT: bool = true;

    fn log_likelihood_gradient(&self, p: &[f64], grad: &mut [f64]) -> Option<f64> {
        let &[r, alpha, s, beta] = p else { return None };
        let m = ParetoNbdParams { r, alpha, s, beta };
        let (lg_r, psi_r) = (ln_gamma(r), digamma(r));
        let (ln_alpha, ln_beta) = (alpha.ln(), beta.ln());
        let mut total = 0.0;
        let mut g = [0.0; 4];
        for (x, range, weight) in &self.groups {
            let x = *x;
            let (lg, dg) = if x == 0.0 {
                (0.0, 0.0)
            } else {
                (ln_gamma(r + x) - lg_r, digamma(r + x) - psi_r)
            };
            total += weight * (lg + r * ln_alpha + s * ln_beta);
            g[0] += weight * (dg + ln_alpha);
            g[1] += weight * r / alpha;
            g[2] += weight * ln_beta;
            g[3] += weight * s / beta;
            let orient = Orientation::new(r, alpha, s, beta, x);
            let mut cached: Option<(f64, Option<TailGradient>)> = None;
            for &(_, t_x, age, w) in self.rows.get(range.clone())? {
                let tail_tx = match cached {
                    Some((t, tail)) if t == t_x => tail,
                    _ => {
                        let tail = orient.ln_tail_gradient(t_x);
                        cached = Some((t_x, tail));
                        tail
                    }
                };
                let (ln_b, d) = ln_bracket_gradient(&m, &orient, x, t_x, age, tail_tx)?;
                total += w * ln_b;
                for (gj, dj) in g.iter_mut().zip(d) {
                    *gj += w * dj;
                }
            }
        }
        grad.iter_mut().zip(g).for_each(|(o, v)| *o = v);
        (total.is_finite() && g.iter().all(|v| v.is_finite())).then_some(total)
    }

    fn starts(&self) -> Vec<Vec<f64>> {
        let scale = self.time_scale;
        vec![
            vec![1.0, 1.0, 1.0, 1.0],
            vec![0.5, 0.25 * scale, 0.5, 0.25 * scale],
            vec![1.0, scale, 1.0, scale],
        ]
    }
}

/// Series beyond this `z` converge too slowly; integrate instead.
const SERIES_MAX_Z: f64 = 0.995;

/// Term limit of the tail series (reached only for `z` near
/// [`SERIES_MAX_Z`]).
const SERIES_MAX_TERMS: usize = 20_000;

/// The integrand `(α+y)^{−(r+x)} (β+y)^{−(s+1)}` written as
/// `(m+y)^{−pₘ} (k+y)^{−pₖ}` with `m ≥ k` (see the module docs).
#[derive(Debug, Clone, Copy)]
struct Orientation {
    m: f64,
    pm: f64,
    k: f64,
    pk: f64,
    /// Whether `m = α` (then `pₘ = r + x`, `pₖ = s + 1`).
    alpha_is_m: bool,
    /// `ln A`, `A = pₘ + pₖ − 1 = r + s + x`.
    ln_a: f64,
}

impl Orientation {
    fn new(r: f64, alpha: f64, s: f64, beta: f64, x: f64) -> Self {
        if alpha >= beta {
            Orientation {
                m: alpha,
                pm: r + x,
                k: beta,
                pk: s + 1.0,
                alpha_is_m: true,
                ln_a: (r + s + x).ln(),
            }
        } else {
            Orientation {
                m: beta,
                pm: s + 1.0,
                k: alpha,
                pk: r + x,
                alpha_is_m: false,
                ln_a: (r + s + x).ln(),
            }
        }
    }

    /// `z = (m − k)/(m + y)`.
    fn z(&self, y: f64) -> f64 {
        (self.m - self.k) / (self.m + y)
    }

    /// `ln G(y) = −pₘ ln(m+y) + (1−pₖ) ln(k+y) + ln S(z) − ln A`; `None`
    /// when the series would be slow.
    fn ln_tail(&self, y: f64) -> Option<f64> {
        let z = self.z(y);
        if z > SERIES_MAX_Z {
            return None;
        }
        let c = self.pm + self.pk;
        let s = tail_series(self.pm, c, z)?;
        Some(
            -self.pm * (self.m + y).ln() + (1.0 - self.pk) * (self.k + y).ln() + s.ln()
                - (c - 1.0).ln(),
        )
    }

    /// `K(y) = G(y) (α+y)^{r+x} (β+y)^s = S(z)/A`, times `(k+y)/(m+y)` when
    /// `m = β`; `None` when the series would be slow.
    fn scaled_tail(&self, y: f64) -> Option<f64> {
        let z = self.z(y);
        if z > SERIES_MAX_Z {
            return None;
        }
        let c = self.pm + self.pk;
        let s = tail_series(self.pm, c, z)? / (c - 1.0);
        Some(if self.alpha_is_m {
            s
        } else {
            s * (self.k + y) / (self.m + y)
        })
    }

    /// `ln G(y)` and its gradient with respect to `(r, α, s, β)`.
    fn ln_tail_gradient(&self, y: f64) -> Option<TailGradient> {
        let (l_a, l_b) = ((self.alpha() + y).ln(), (self.beta() + y).ln());
        self.ln_tail_gradient_with(y, l_a, l_b)
    }

    /// `α` and `β` back from the orientation.
    fn alpha(&self) -> f64 {
        if self.alpha_is_m {
            self.m
        } else {
            self.k
        }
    }

    fn beta(&self) -> f64 {
        if self.alpha_is_m {
            self.k
        } else {
            self.m
        }
    }

    /// [`ln_tail_gradient`](Self::ln_tail_gradient) given `ln(α+y)` and
    /// `ln(β+y)`.
    fn ln_tail_gradient_with(&self, y: f64, l_a: f64, l_b: f64) -> Option<TailGradient> {
        let z = self.z(y);
        if z > SERIES_MAX_Z {
            return None;
        }
        let (my, ky) = (self.m + y, self.k + y);
        let c = self.pm + self.pk;
        let big_a = c - 1.0;
        let d = tail_series_gradient(self.pm, c, z)?;
        let (l_m, l_k) = if self.alpha_is_m {
            (l_a, l_b)
        } else {
            (l_b, l_a)
        };
        let ln_g = -self.pm * l_m + (1.0 - self.pk) * l_k + d.s.ln() - self.ln_a;
        let inv_s = 1.0 / d.s;
        let dz = d.dz * inv_s;
        let d_pm = -l_m + (d.dp + d.dc) * inv_s - 1.0 / big_a;
        let d_pk = -l_k + d.dc * inv_s - 1.0 / big_a;
        let d_m = -self.pm / my + dz * ky / (my * my);
        let d_k = (1.0 - self.pk) / ky - dz / my;
        let grad = if self.alpha_is_m {
            [d_pm, d_m, d_pk, d_k]
        } else {
            [d_pk, d_k, d_pm, d_m]
        };
        Some((ln_g, grad))
    }
}

/// `S = Σ_{n≥0} (p)ₙ/(c)ₙ zⁿ` for `0 ≤ p < c`, `0 ≤ z < 1`: the terms
/// decrease at least as fast as `zⁿ`, so the tail after a term `t` is below
/// `t z/(1−z)`.
fn tail_series(p: f64, c: f64, z: f64) -> Option<f64> {
    let tol = 1e-17 * (1.0 - z);
    let (mut term, mut sum, mut n) = (1.0_f64, 1.0_f64, 0.0_f64);
    for _ in 0..SERIES_MAX_TERMS {
        term *= (p + n) / (c + n) * z;
        sum += term;
        if term <= tol * sum {
            return sum.is_finite().then_some(sum);
        }
        n += 1.0;
    }
    None
}

/// [`tail_series`] and its partial derivatives.
#[derive(Debug, Clone, Copy)]
struct SeriesGradient {
    s: f64,
    /// `∂S/∂p = Σ tₙ Σ_{j<n} 1/(p+j)`.
    dp: f64,
    /// `∂S/∂c = −Σ tₙ Σ_{j<n} 1/(c+j)`.
    dc: f64,
    /// `∂S/∂z = Σ n (p)ₙ/(c)ₙ z^{n−1}`.
    dz: f64,
}

fn tail_series_gradient(p: f64, c: f64, z: f64) -> Option<SeriesGradient> {
    let tol = 1e-17 * (1.0 - z);
    let mut out = SeriesGradient {
        s: 1.0,
        dp: 0.0,
        dc: 0.0,
        dz: 0.0,
    };
    // u = (p)ₙ₊₁/(c)ₙ₊₁ zⁿ, the coefficient of the z-derivative; the series
    // term is tₙ₊₁ = u z.
    let (mut u, mut hp, mut hc, mut n) = (1.0_f64, 0.0_f64, 0.0_f64, 0.0_f64);
    for i in 0..SERIES_MAX_TERMS {
        let (ip, ic) = (1.0 / (p + n), 1.0 / (c + n));
        hp += ip;
        hc += ic;
        if i > 0 {
            u *= z;
        }
        u *= (p + n) * ic;
        n += 1.0;
        let t = u * z;
        out.s += t;
        out.dp += t * hp;
        out.dc -= t * hc;
        out.dz += n * u;
        if n * u <= tol * out.dz && t * (1.0 + hp + hc) <= tol * out.s {
            let ok = [out.s, out.dp, out.dc, out.dz]
                .iter()
                .all(|v| v.is_finite());
            return ok.then_some(out);
        }
    }
    None
}

impl ParetoNbdParams {
    /// Builds parameters, checking that each is finite and `> 0`.
    pub fn new(r: f64, alpha: f64, s: f64, beta: f64) -> Result<Self> {
        Ok(ParetoNbdParams {
            r: positive("r", r)?,
            alpha: positive("alpha", alpha)?,
            s: positive("s", s)?,
            beta: positive("beta", beta)?,
        })
    }

    /// Total log-likelihood `Σ wᵢ ln Lᵢ` of `data` at these parameters.
    pub fn log_likelihood(&self, data: &TransactionSummary<'_>) -> Result<f64> {
        let p = [self.r, self.alpha, self.s, self.beta];
        fitting::summary_log_likelihood(data, false, Rows::new, &p, "Pareto/NBD log-likelihood")
    }

    /// `ln A₀` of every row of `data`: `A₀ = (r+s+x) I(x, tₓ, T)` with `I`
    /// the integral of the module docs (Fader & Hardie 2005, "A note on
    /// deriving the Pareto/NBD model and related expressions", eqs. 19–20:
    /// the hypergeometric difference of the likelihood's second term),
    /// formed in log space so that it stays finite where the direct formula
    /// overflows (large `x`); `−∞` when `tₓ = T`. Rows are validated as for
    /// predictions.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidRows`] for bad rows,
    /// [`Error::NonFiniteResult`] when neither
    /// the series nor the quadrature gives a value.
    pub fn ln_a0(&self, data: &TransactionSummary<'_>) -> Result<Vec<f64>> {
        data.validate_for_prediction(false)?;
        (0..data.len())
            .map(|i| {
                let (x, t_x, age) = (data.frequency[i], data.recency[i], data.age[i]);
                self.ln_integral(x, t_x, age)
                    .map(|li| (self.r + self.s + x).ln() + li)
                    .ok_or(crate::Error::NonFiniteResult {
                        what: "Pareto/NBD ln A0",
                        row: Some(i),
                    })
            })
            .collect()
    }

    /// `ln I(x, tₓ, T)`; `−∞` when `tₓ = T`.
    fn ln_integral(&self, x: f64, t_x: f64, age: f64) -> Option<f64> {
        if t_x >= age {
            return Some(f64::NEG_INFINITY);
        }
        let orient = Orientation::new(self.r, self.alpha, self.s, self.beta, x);
        if let (Some(g_tx), Some(g_t)) = (orient.ln_tail(t_x), orient.ln_tail(age)) {
            let v = if g_tx > g_t {
                log_diff_exp(g_tx, g_t)
            } else {
                f64::NEG_INFINITY
            };
            return (!v.is_nan()).then_some(v);
        }
        self.ln_integral_quadrature(x, t_x, age, 1e-12)
    }

    /// `ln I` by adaptive quadrature to relative tolerance `tol`, on
    /// `w = ln(y + k)`, `k = min(α, β)`, which spreads the mass evenly when
    /// the integrand is a power law in `y`.
    fn ln_integral_quadrature(&self, x: f64, t_x: f64, age: f64, tol: f64) -> Option<f64> {
        let (r, alpha, s, beta) = (self.r, self.alpha, self.s, self.beta);
        let k = alpha.min(beta);
        let ln_f = |w: f64| {
            let y = w.exp() - k;
            w - (r + x) * (alpha + y).ln() - (s + 1.0) * (beta + y).ln()
        };
        let rule = gauss_legendre_rule(20);
        gauss_legendre_adaptive(&ln_f, (t_x + k).ln(), (age + k).ln(), &rule, tol, 40)
    }

    /// `K(0)` (see [`Orientation::scaled_tail`]) of the histories with
    /// `x = 0` (which all have `tₓ = 0`), shared by those rows in the batch
    /// predictions.
    fn zero_history_tail(&self) -> Option<f64> {
        Orientation::new(self.r, self.alpha, self.s, self.beta, 0.0).scaled_tail(0.0)
    }

    /// `P(alive)` of a validated history (module docs, eq. 18), with `K(tₓ)`
    /// supplied when already known.
    ///
    /// The odds against being alive are `s (α+T)^{r+x} (β+T)^s I = s [K(tₓ)
    /// ((α+T)/(α+tₓ))^{r+x} ((β+T)/(β+tₓ))^s − K(T)]`, which needs the series
    /// and two logarithms; an overflowing first term means `P(alive) = 0`.
    fn alive(&self, x: f64, t_x: f64, age: f64, known_tx: Option<f64>) -> Result<f64> {
        let (r, alpha, s, beta) = (self.r, self.alpha, self.s, self.beta);
        if t_x >= age {
            return Ok(1.0);
        }
        let orient = Orientation::new(r, alpha, s, beta, x);
        let k_tx = known_tx.or_else(|| orient.scaled_tail(t_x));
        let p = if let (Some(k_tx), Some(k_t)) = (k_tx, orient.scaled_tail(age)) {
            let growth = ((r + x) * ((alpha + age) / (alpha + t_x)).ln()
                + s * ((beta + age) / (beta + t_x)).ln())
            .exp();
            let odds = s * (k_tx * growth - k_t);
            1.0 / (1.0 + odds.max(0.0))
        } else {
            let ln_i = self
                .ln_integral(x, t_x, age)
                .ok_or(Error::NonFiniteResult {
                    what: "Pareto/NBD probability alive",
                    row: None,
                })?;
            inv_one_plus_exp(s.ln() + (r + x) * (alpha + age).ln() + s * (beta + age).ln() + ln_i)
        };
        finite("Pareto/NBD probability alive", None, p.clamp(0.0, 1.0))
    }

    /// `E[Y(t) | x, tₓ, T]` of a validated history and horizon (eq. 22).
    fn conditional(
        &self,
        t: f64,
        x: f64,
        t_x: f64,
        age: f64,
        known_tx: Option<f64>,
    ) -> Result<f64> {
        let alive = self.alive(x, t_x, age, known_tx)?;
        self.conditional_given_alive(t, x, age, alive)
    }

    /// Eq. 22 with P(alive) known.
    fn conditional_given_alive(&self, t: f64, x: f64, age: f64, alive: f64) -> Result<f64> {
        let bt = self.beta + age;
        let v = alive * (self.r + x) * bt / (self.alpha + age)
            * one_minus_pow_over(self.s - 1.0, -(t / bt).ln_1p());
        finite(
            "Pareto/NBD conditional expected purchases",
            None,
            v.max(0.0),
        )
    }

    /// Probability of exactly `n` repeat purchases in `(0, t]` for a new
    /// customer.
    pub fn probability_of_purchases(&self, n: u64, t: f64) -> Result<f64> {
        let t = check_horizon("t", t)?;
        if t == 0.0 {
            return Ok(if n == 0 { 1.0 } else { 0.0 });
        }
        let (r, alpha, s, beta) = (self.r, self.alpha, self.s, self.beta);
        let nf = n as f64;
        let ln_coef = ln_gamma(r + nf) - ln_gamma(r) - ln_gamma(nf + 1.0);
        let ln_nb = |tau: f64| {
            let pow = if n == 0 {
                0.0
            } else {
                nf * (tau / (alpha + tau)).ln()
            };
            ln_coef - r * (tau / alpha).ln_1p() + pow
        };
        let alive = ln_nb(t) - s * (t / beta).ln_1p();
        let ln_f = |tau: f64| s.ln() - s * (tau / beta).ln_1p() - (beta + tau).ln() + ln_nb(tau);
        let rule = gauss_legendre_rule(20);
        let dead = gauss_legendre_adaptive(&ln_f, 0.0, t, &rule, 1e-12, 40).ok_or(
            Error::NonFiniteResult {
                what: "Pareto/NBD purchase-count probability",
                row: None,
            },
        )?;
        let p = log_sum_exp(alive, dead).exp();
        finite(
            "Pareto/NBD purchase-count probability",
            None,
            p.clamp(0.0, 1.0),
        )
    }
}

impl TransactionModel for ParetoNbdParams {
    fn expected_purchases(&self, t: f64) -> Result<f64> {
        let t = check_horizon("t", t)?;
        let v = self.r * self.beta / self.alpha
            * one_minus_pow_over(self.s - 1.0, -(t / self.beta).ln_1p());
        finite("Pareto/NBD expected purchases", None, v.max(0.0))
    }

    fn conditional_expected_purchases(
        &self,
        t: f64,
        frequency: f64,
        recency: f64,
        age: f64,
    ) -> Result<f64> {
        let t = check_horizon("t", t)?;
        check_point(frequency, recency, age, false)?;
        self.conditional(t, frequency, recency, age, None)
    }

    fn probability_alive(&self, frequency: f64, recency: f64, age: f64) -> Result<f64> {
        check_point(frequency, recency, age, false)?;
        self.alive(frequency, recency, age, None)
    }

    fn conditional_expected_purchases_at(
        &self,
        horizons: &[f64],
        frequency: f64,
        recency: f64,
        age: f64,
        out: &mut Vec<f64>,
    ) -> Result<()> {
        check_point(frequency, recency, age, false)?;
        let alive = self.alive(frequency, recency, age, None)?;
        out.clear();
        for &t in horizons {
            let t = check_horizon("t", t)?;
            out.push(self.conditional_given_alive(t, frequency, age, alive)?);
        }
        Ok(())
    }

    // The batch versions validate the columns once and share `K(0)` among
    // the rows with `x = tₓ = 0`.
    fn probability_alive_batch(&self, data: &TransactionSummary<'_>) -> Result<Vec<f64>> {
        let k0 = self.zero_history_tail();
        map_rows(data, false, |x, t_x, age| {
            self.alive(x, t_x, age, if x == 0.0 && t_x == 0.0 { k0 } else { None })
        })
    }

    fn conditional_expected_purchases_batch(
        &self,
        t: f64,
        data: &TransactionSummary<'_>,
    ) -> Result<Vec<f64>> {
        let t = check_horizon("t", t)?;
        let k0 = self.zero_history_tail();
        map_rows(data, false, |x, t_x, age| {
            self.conditional(
                t,
                x,
                t_x,
                age,
                if x == 0.0 && t_x == 0.0 { k0 } else { None },
            )
        })
    }
}

/// `ln Lᵢ` of one validated history at `p` and its gradient with respect
/// to `(r, α, s, β)`: the likelihood of the module docs for a single
/// customer, for the covariate models, where each customer has her own
/// `α` and `β` ([`covariates::pareto_nbd`](super::covariates::pareto_nbd)).
pub(crate) fn row_log_likelihood_gradient(
    p: &ParetoNbdParams,
    x: f64,
    t_x: f64,
    age: f64,
) -> Option<(f64, [f64; 4])> {
    let ParetoNbdParams { r, alpha, s, beta } = *p;
    let orient = Orientation::new(r, alpha, s, beta, x);
    let tail_tx = if t_x < age {
        orient.ln_tail_gradient(t_x)
    } else {
        None
    };
    let (ln_b, d) = ln_bracket_gradient(p, &orient, x, t_x, age, tail_tx)?;
    let (lg, dg) = if x == 0.0 {
        (0.0, 0.0)
    } else {
        (ln_gamma(r + x) - ln_gamma(r), digamma(r + x) - digamma(r))
    };
    let (ln_alpha, ln_beta) = (alpha.ln(), beta.ln());
    let ll = lg + r * ln_alpha + s * ln_beta + ln_b;
    let grad = [
        dg + ln_alpha + d[0],
        r / alpha + d[1],
        ln_beta + d[2],
        s / beta + d[3],
    ];
    (ll.is_finite() && grad.iter().all(|v| v.is_finite())).then_some((ll, grad))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cdnow() -> ParetoNbdParams {
        ParetoNbdParams::new(0.5532, 10.578, 0.6062, 11.669).unwrap()
    }

    #[test]
    fn integral_matches_quadrature() {
        for m in [cdnow(), ParetoNbdParams::new(0.5, 3.0, 0.8, 20.0).unwrap()] {
            for &(x, tx, t) in &[(0.0, 0.0, 38.0), (2.0, 30.43, 38.86), (50.0, 10.0, 39.0)] {
                let series = m.ln_integral(x, tx, t).unwrap();
                let quad = m.ln_integral_quadrature(x, tx, t, 1e-13).unwrap();
                assert!(
                    (series - quad).abs() < 1e-9,
                    "{x} {tx} {t}: {series} vs {quad}"
                );
            }
        }
    }

    #[test]
    fn gradient_matches_finite_differences() {
        let x = [0.0, 0.0, 1.0, 5.0, 2.0, 40.0, 3.0];
        let tx = [0.0, 0.0, 3.0, 20.0, 30.0, 38.0, 38.0];
        let age = [10.0, 38.0, 30.0, 35.0, 38.0, 38.5, 38.0];
        let rows = Rows::new(&TransactionSummary::new(&x, &tx, &age));
        // α ≈ β, α > β, α < β, and |α − β| large enough for quadrature.
        for p in [
            [0.55, 10.6, 0.61, 11.7],
            [0.3, 4.0, 0.8, 2.5],
            [1.5, 2.0, 0.4, 30.0],
            [0.5, 0.01, 0.7, 50.0],
        ] {
            fitting::assert_gradient_matches(&rows, &p);
        }
    }

    #[test]
    fn likelihood_and_gradient_finite_for_extreme_histories() {
        let x = [132.0, 10_000.0, 10_000.0, 10_000.0, 0.0, 3.0];
        let tx = [200.0, 200.0, 199.0, 1.0, 0.0, 199.999_999_999];
        let age = [200.0, 200.0, 200.0, 200.0, 200.0, 200.0];
        let rows = Rows::new(&TransactionSummary::new(&x, &tx, &age));
        for p in [
            [0.5532, 10.578, 0.6062, 11.669],
            [0.5, 0.01, 0.7, 50.0],
            [2.0, 80.0, 0.3, 0.05],
        ] {
            let mut g = [0.0; 4];
            let ll = rows.log_likelihood_gradient(&p, &mut g).unwrap();
            assert!(ll.is_finite() && g.iter().all(|v| v.is_finite()), "{p:?}");
        }
    }

    #[test]
    fn likelihood_matches_quadrature() {
        // Row by row, the series bracket against direct quadrature of I.
        for p in [cdnow(), ParetoNbdParams::new(1.5, 2.0, 0.4, 30.0).unwrap()] {
            for &(x, tx, t) in &[(0.0, 0.0, 38.0), (2.0, 30.43, 38.86), (50.0, 10.0, 39.0)] {
                let o = Orientation::new(p.r, p.alpha, p.s, p.beta, x);
                let (fast, _) =
                    ln_bracket_gradient(&p, &o, x, tx, t, o.ln_tail_gradient(tx)).unwrap();
                let ln_i = p.ln_integral_quadrature(x, tx, t, 1e-13).unwrap();
                let alive = -(p.r + x) * (p.alpha + t).ln() - p.s * (p.beta + t).ln();
                let slow = log_sum_exp(alive, p.s.ln() + ln_i);
                assert!((fast - slow).abs() < 1e-10, "{fast} vs {slow}");
            }
        }
    }

    #[test]
    fn extreme_histories_stay_finite() {
        let m = cdnow();
        for &(x, tx, t) in &[
            (132.0, 200.0, 200.0),
            (10_000.0, 200.0, 200.0),
            (10_000.0, 199.0, 200.0),
            (10_000.0, 1.0, 200.0),
        ] {
            let a = m.probability_alive(x, tx, t).unwrap();
            assert!((0.0..=1.0).contains(&a), "{a}");
            let e = m.conditional_expected_purchases(10.0, x, tx, t).unwrap();
            assert!(e.is_finite() && e >= 0.0);
        }
        assert_eq!(m.probability_alive(132.0, 200.0, 200.0).unwrap(), 1.0);
    }

    #[test]
    fn purchase_count_probabilities_sum_to_one() {
        let m = cdnow();
        let probs: Vec<f64> = (0..150)
            .map(|n| m.probability_of_purchases(n, 39.0).unwrap())
            .collect();
        let total: f64 = probs.iter().sum();
        assert!((total - 1.0).abs() < 1e-7, "{total}");
        let mean: f64 = probs.iter().enumerate().map(|(n, p)| n as f64 * p).sum();
        assert!(
            (mean - m.expected_purchases(39.0).unwrap()).abs() < 1e-5,
            "{mean}"
        );
    }
}
