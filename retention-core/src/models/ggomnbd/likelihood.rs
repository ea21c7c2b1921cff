//! The GGompertz/NBD log-likelihood and its gradient (see the parent
//! module's docs for the formulas).
//!
//! Every per-customer function here takes the parameters as a
//! [`GgomNbdParams`] *for that customer*, so that a covariate model, where
//! `α` and `β` vary by customer (`αᵢ = α e^{−γ_trans·zᵢ}`,
//! `βᵢ = β e^{−γ_life·zᵢ}`, as CLVTools parameterises them), can call them
//! with per-row parameters and apply the chain rule to the `α` and `β`
//! components of the gradient.

use super::quadrature::integrate;
use super::GgomNbdParams;
use crate::models::fitting::{Histories, Likelihood};
use crate::special::{digamma, ln_gamma};

/// `ln(β + e^{by} − 1)` and `q = e^{by} / (β + e^{by} − 1)`, without
/// cancellation for small `by` (through `expm1`) or overflow for large `by`.
pub(super) fn gompertz_terms(b: f64, beta: f64, y: f64) -> (f64, f64) {
    let by = b * y;
    if by <= 30.0 {
        let em1 = by.exp_m1();
        let d = beta + em1;
        (d.ln(), (1.0 + em1) / d)
    } else {
        // β + e^{by} − 1 = e^{by} (1 + (β − 1) e^{−by}), the bracket > 0.
        let c = (beta - 1.0).mul_add((-by).exp(), 1.0);
        (by + c.ln(), 1.0 / c)
    }
}

/// `ln A` with `A = (α+T)^{−(r+x)} (β + e^{bT} − 1)^{−s}` (the "alive at
/// `T`" part of the bracket) and its gradient in `(r, α, b, s, β)`.
pub(super) fn ln_alive_part(p: &GgomNbdParams, x: f64, age: f64) -> (f64, [f64; 5]) {
    let GgomNbdParams {
        r,
        alpha,
        b,
        s,
        beta,
    } = *p;
    let la = (alpha + age).ln();
    let (ld, q) = gompertz_terms(b, beta, age);
    let value = -(r + x) * la - s * ld;
    let grad = [
        -la,
        -(r + x) / (alpha + age),
        -s * age * q,
        -ld,
        -s * (-ld).exp(),
    ];
    (value, grad)
}

/// The log-integrand of `I` on `w = ln(α + y)`:
/// `ln f = −(r+x) w + ln b + b y − (s+1) ln(β + e^{by} − 1) + w` (the last
/// term the Jacobian `dy/dw`), with its derivatives in `(r, α, b, s, β)`
/// (at fixed `y`) written to `g` when `GRAD`.
fn ln_integrand<const M: usize>(p: &GgomNbdParams, x: f64, w: f64, g: &mut [f64; M]) -> f64 {
    let GgomNbdParams {
        r,
        alpha,
        b,
        s,
        beta,
    } = *p;
    let y = (w.exp() - alpha).max(0.0);
    let (ld, q) = gompertz_terms(b, beta, y);
    if M == 5 {
        let d = [
            -w,
            -(r + x) * (-w).exp(),
            1.0 / b + y - (s + 1.0) * y * q,
            -ld,
            -(s + 1.0) * (-ld).exp(),
        ];
        g.iter_mut().zip(d).for_each(|(o, v)| *o = v);
    }
    -(r + x) * w + b.ln() + b * y - (s + 1.0) * ld + w
}

/// `ln I` with `I = ∫_{tₓ}^{T} (α+y)^{−(r+x)} b e^{by} (β + e^{by} − 1)^{−(s+1)} dy`
/// (`−∞` when `tₓ = T`); `None` when the quadrature fails.
pub(super) fn ln_integral(p: &GgomNbdParams, x: f64, t_x: f64, age: f64) -> Option<f64> {
    if t_x >= age {
        return Some(f64::NEG_INFINITY);
    }
    let (lo, hi) = ((p.alpha + t_x).ln(), (p.alpha + age).ln());
    integrate(|w, g: &mut [f64; 0]| ln_integrand(p, x, w, g), lo, hi).map(|r| r.ln_value)
}

/// `ln B`, `B = A + s I`, the bracket of the likelihood, and its gradient
/// in `(r, α, b, s, β)`, for one customer with parameters `p`.
pub(crate) fn ln_bracket_gradient(
    p: &GgomNbdParams,
    x: f64,
    t_x: f64,
    age: f64,
) -> Option<(f64, [f64; 5])> {
    let (ln_a, da) = ln_alive_part(p, x, age);
    if t_x >= age {
        return Some((ln_a, da));
    }
    let (lo, hi) = ((p.alpha + t_x).ln(), (p.alpha + age).ln());
    let res = integrate(|w, g: &mut [f64; 5]| ln_integrand(p, x, w, g), lo, hi)?;
    if res.ln_value == f64::NEG_INFINITY {
        return Some((ln_a, da));
    }
    let li = p.s.ln() + res.ln_value;
    // B = e^{ln A} + e^{li}: the two terms' shares and ln B.
    let (ln_b, wa, wi) = if li > ln_a {
        let v = (ln_a - li).exp();
        (li + v.ln_1p(), v / (1.0 + v), 1.0 / (1.0 + v))
    } else {
        let v = (li - ln_a).exp();
        (ln_a + v.ln_1p(), 1.0 / (1.0 + v), v / (1.0 + v))
    };
    let mut grad = [0.0; 5];
    for (j, out) in grad.iter_mut().enumerate() {
        *out = wa * da[j] + wi * res.means[j];
    }
    grad[3] += wi / p.s;
    (ln_b.is_finite() && grad.iter().all(|g| g.is_finite())).then_some((ln_b, grad))
}

/// One customer's log-likelihood `ln Lᵢ` and its gradient in
/// `(r, α, b, s, β)`, with that customer's parameters `p` (the entry point
/// for per-customer `αᵢ`, `βᵢ`).
pub(crate) fn ln_row_likelihood_gradient(
    p: &GgomNbdParams,
    x: f64,
    t_x: f64,
    age: f64,
) -> Option<(f64, [f64; 5])> {
    let (ln_b, mut grad) = ln_bracket_gradient(p, x, t_x, age)?;
    let c = ln_gamma(p.r + x) - ln_gamma(p.r) + p.r * p.alpha.ln() + p.s * p.beta.ln();
    grad[0] += digamma(p.r + x) - digamma(p.r) + p.alpha.ln();
    grad[1] += p.r / p.alpha;
    grad[3] += p.beta.ln();
    grad[4] += p.s / p.beta;
    Some((c + ln_b, grad))
}

/// Distinct histories with summed weights, grouped by frequency.
pub(super) struct Rows {
    /// `(x, tₓ, T, weight)`, sorted by `x`, then `tₓ`, then `T`.
    rows: Vec<(f64, f64, f64, f64)>,
    /// Per distinct `x`: its rows and their total weight.
    groups: Vec<(f64, std::ops::Range<usize>, f64)>,
    time_scale: f64,
}

impl Rows {
    pub(super) fn new(data: &crate::models::TransactionSummary<'_>) -> Self {
        let Histories { rows, time_scale } = Histories::new(data);
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

impl Likelihood for Rows {
    const MODEL: &'static str = "GGompertz/NBD";
    const NAMES: &'static [&'static str] = &["r", "alpha", "b", "s", "beta"];
    const HAS_GRADIENT: bool = true;

    fn log_likelihood_gradient(&self, p: &[f64], grad: &mut [f64]) -> Option<f64> {
        let &[r, alpha, b, s, beta] = p else {
            return None;
        };
        let m = GgomNbdParams {
            r,
            alpha,
            b,
            s,
            beta,
        };
        let (lg_r, psi_r) = (ln_gamma(r), digamma(r));
        let (ln_alpha, ln_beta) = (alpha.ln(), beta.ln());
        let mut total = 0.0;
        let mut g = [0.0; 5];
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
            g[3] += weight * ln_beta;
            g[4] += weight * s / beta;
            for &(_, t_x, age, w) in self.rows.get(range.clone())? {
                let (ln_b, d) = ln_bracket_gradient(&m, x, t_x, age)?;
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
        let tau = self.time_scale;
        vec![
            // Moderate ageing: b T ≈ 1.
            vec![1.0, tau, 1.0 / tau, 1.0, 1.0],
            // Close to a Pareto/NBD with β/b = τ (small b·T).
            vec![0.5, 0.25 * tau, 0.1 / tau, 0.5, 0.1],
            vec![1.0, 1.0, 1.0, 1.0, 1.0],
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::models::fitting;
    use crate::models::TransactionSummary;

    #[test]
    fn gradient_matches_finite_differences() {
        let x = [0.0, 0.0, 1.0, 5.0, 2.0, 40.0, 3.0];
        let tx = [0.0, 0.0, 3.0, 20.0, 30.0, 38.0, 38.0];
        let age = [10.0, 38.0, 30.0, 35.0, 38.0, 38.5, 38.0];
        let rows = Rows::new(&TransactionSummary::new(&x, &tx, &age));
        for p in [
            [0.55, 10.6, 0.01, 0.61, 0.1],
            [0.3, 4.0, 0.2, 0.8, 2.5],
            [1.5, 2.0, 0.05, 0.4, 30.0],
            [0.5, 0.01, 1e-6, 0.7, 1e-5],
        ] {
            fitting::assert_gradient_matches(&rows, &p);
        }
    }

    #[test]
    fn row_likelihood_matches_grouped_likelihood() {
        let x = [0.0, 1.0, 5.0, 2.0];
        let tx = [0.0, 3.0, 20.0, 30.0];
        let age = [10.0, 30.0, 35.0, 38.0];
        let p = [0.6, 8.0, 0.03, 0.7, 0.4];
        let rows = Rows::new(&TransactionSummary::new(&x, &tx, &age));
        let mut g = [0.0; 5];
        let total = rows.log_likelihood_gradient(&p, &mut g).unwrap();
        let m = GgomNbdParams::new(p[0], p[1], p[2], p[3], p[4]).unwrap();
        let mut sum = 0.0;
        let mut gs = [0.0; 5];
        for i in 0..4 {
            let (v, d) = ln_row_likelihood_gradient(&m, x[i], tx[i], age[i]).unwrap();
            sum += v;
            gs.iter_mut().zip(d).for_each(|(a, b)| *a += b);
        }
        assert!((sum - total).abs() < 1e-10 * total.abs());
        for (a, b) in g.iter().zip(gs) {
            assert!((a - b).abs() < 1e-9 * (1.0 + a.abs()), "{a} vs {b}");
        }
    }

    #[test]
    fn likelihood_finite_for_extreme_histories() {
        let x = [132.0, 10_000.0, 10_000.0, 10_000.0, 0.0, 3.0];
        let tx = [200.0, 200.0, 199.0, 1.0, 0.0, 199.999_999_999];
        let age = [200.0, 200.0, 200.0, 200.0, 200.0, 200.0];
        let rows = Rows::new(&TransactionSummary::new(&x, &tx, &age));
        for p in [
            [0.55, 10.6, 1e-6, 0.61, 1e-5],
            [0.5, 0.01, 5.0, 0.7, 50.0],
            [2.0, 80.0, 0.3, 0.3, 0.05],
        ] {
            let mut g = [0.0; 5];
            let ll = rows.log_likelihood_gradient(&p, &mut g).unwrap();
            assert!(ll.is_finite() && g.iter().all(|v| v.is_finite()), "{p:?}");
        }
    }
}
