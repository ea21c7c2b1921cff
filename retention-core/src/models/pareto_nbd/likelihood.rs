//! The Pareto/NBD likelihood: distinct histories, the integral term `I` of
//! the module docs by series or quadrature, and their gradients.

use super::super::fitting::{Histories, Likelihood};
use super::super::validate::TransactionSummary;
use super::ParetoNbdParams;
use crate::special::{digamma, ln_gamma, log_sum_exp};

/// `ln G(y)` and its gradient with respect to `(r, α, s, β)`.
pub(super) type TailGradient = (f64, [f64; 4]);

/// Distinct histories with summed weights, for the likelihood.
pub(super) struct Rows {
    /// `(x, tₓ, T, weight)`, sorted by `x`, then `tₓ`, then `T`.
    rows: Vec<(f64, f64, f64, f64)>,
    /// Per distinct `x`: the range of its rows and their total weight.
    groups: Vec<(f64, std::ops::Range<usize>, f64)>,
    time_scale: f64,
}

impl Rows {
    pub(super) fn new(data: &TransactionSummary<'_>) -> Self {
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
pub(super) fn ln_bracket_gradient(
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
pub(super) fn ln_bracket_numerical(
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
pub(super) const SERIES_MAX_Z: f64 = 0.995;

/// Term limit of the tail series (reached only for `z` near
/// [`SERIES_MAX_Z`]).
pub(super) const SERIES_MAX_TERMS: usize = 20_000;

/// The integrand `(α+y)^{−(r+x)} (β+y)^{−(s+1)}` written as
/// `(m+y)^{−pₘ} (k+y)^{−pₖ}` with `m ≥ k` (see the module docs).
#[derive(Debug, Clone, Copy)]
pub(super) struct Orientation {
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
    pub(super) fn new(r: f64, alpha: f64, s: f64, beta: f64, x: f64) -> Self {
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
    pub(super) fn z(&self, y: f64) -> f64 {
        (self.m - self.k) / (self.m + y)
    }

    /// `ln G(y) = −pₘ ln(m+y) + (1−pₖ) ln(k+y) + ln S(z) − ln A`; `None`
    /// when the series would be slow.
    pub(super) fn ln_tail(&self, y: f64) -> Option<f64> {
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
    pub(super) fn scaled_tail(&self, y: f64) -> Option<f64> {
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
    pub(super) fn ln_tail_gradient(&self, y: f64) -> Option<TailGradient> {
        let (l_a, l_b) = ((self.alpha() + y).ln(), (self.beta() + y).ln());
        self.ln_tail_gradient_with(y, l_a, l_b)
    }

    /// `α` and `β` back from the orientation.
    pub(super) fn alpha(&self) -> f64 {
        if self.alpha_is_m {
            self.m
        } else {
            self.k
        }
    }

    pub(super) fn beta(&self) -> f64 {
        if self.alpha_is_m {
            self.k
        } else {
            self.m
        }
    }

    /// [`ln_tail_gradient`](Self::ln_tail_gradient) given `ln(α+y)` and
    /// `ln(β+y)`.
    pub(super) fn ln_tail_gradient_with(&self, y: f64, l_a: f64, l_b: f64) -> Option<TailGradient> {
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
pub(super) fn tail_series(p: f64, c: f64, z: f64) -> Option<f64> {
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
pub(super) struct SeriesGradient {
    s: f64,
    /// `∂S/∂p = Σ tₙ Σ_{j<n} 1/(p+j)`.
    dp: f64,
    /// `∂S/∂c = −Σ tₙ Σ_{j<n} 1/(c+j)`.
    dc: f64,
    /// `∂S/∂z = Σ n (p)ₙ/(c)ₙ z^{n−1}`.
    dz: f64,
}

pub(super) fn tail_series_gradient(p: f64, c: f64, z: f64) -> Option<SeriesGradient> {
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
