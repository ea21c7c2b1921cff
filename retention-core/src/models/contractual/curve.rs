//! The survival curve `S(t) = B(α, β + t^c) / B(α, β)` and its series,
//! evaluated without cancellation (see the parent module's "Numerics").

use crate::special::{digamma, gauss_legendre_adaptive, gauss_legendre_rule};

/// Stirling-series coefficients `B₂ₖ / (2k (2k − 1))`, k = 1..=6.
const STIRLING: [f64; 6] = [
    1.0 / 12.0,
    -1.0 / 360.0,
    1.0 / 1260.0,
    -1.0 / 1680.0,
    1.0 / 1188.0,
    -691.0 / 360_360.0,
];

/// `Σₖ cₖ / y^{2k−1}`, the Stirling correction of `ln Γ(y)` (`y ≥ 10`).
fn stirling_tail(y: f64) -> f64 {
    let inv = 1.0 / y;
    let inv2 = inv * inv;
    let mut s = 0.0;
    for c in STIRLING.iter().rev() {
        s = s * inv2 + c;
    }
    s * inv
}

/// `D(x, a) = ln Γ(x + a) − ln Γ(x)` for `x, a > 0`, accurate in relative
/// terms for small `a` and free of cancellation for large `x`: the
/// recurrence `D(x, a) = D(x + 1, a) − ln(1 + a/x)` lifts `x` to 10, then
/// `D = (x − ½) ln(1 + a/x) + a ln(x + a) − a + σ(x + a) − σ(x)` with `σ`
/// the Stirling series.
pub(crate) fn ln_gamma_diff(x: f64, a: f64) -> f64 {
    let mut x = x;
    let mut shift = 0.0;
    while x < 10.0 {
        shift += (a / x).ln_1p();
        x += 1.0;
    }
    (x - 0.5) * (a / x).ln_1p() + a * (x + a).ln() - a + stirling_tail(x + a)
        - stirling_tail(x)
        - shift
}

/// `ln S` at `y = t^c` (any real `y ≥ 0`): `D(β, α) − D(β + y, α)`.
pub(crate) fn ln_survival_at(alpha: f64, beta: f64, y: f64) -> f64 {
    if y == 0.0 {
        return 0.0;
    }
    if y.is_infinite() {
        return f64::NEG_INFINITY;
    }
    (ln_gamma_diff(beta, alpha) - ln_gamma_diff(beta + y, alpha)).min(0.0)
}

/// `t^c` for a whole or real age `t ≥ 0`.
pub(crate) fn weibull_age(t: f64, c: f64) -> f64 {
    if t == 0.0 {
        0.0
    } else if c == 1.0 {
        t
    } else {
        t.powf(c)
    }
}

/// `ln S(t)` for real `t ≥ 0`.
pub(crate) fn ln_survival(alpha: f64, beta: f64, c: f64, t: f64) -> f64 {
    ln_survival_at(alpha, beta, weibull_age(t, c))
}

/// `ln P(T = t) = ln(S(t − 1) − S(t))` for whole `t ≥ 1`.
pub(crate) fn ln_churn(alpha: f64, beta: f64, c: f64, t: f64) -> f64 {
    let before = ln_survival(alpha, beta, c, t - 1.0);
    let now = ln_survival(alpha, beta, c, t);
    before + crate::special::log1m_exp((now - before).min(0.0))
}

/// Gradient of `ln S(t)` with respect to `(α, β, c)`.
pub(crate) fn ln_survival_gradient(alpha: f64, beta: f64, c: f64, t: f64) -> [f64; 3] {
    if t == 0.0 {
        return [0.0; 3];
    }
    let y = weibull_age(t, c);
    let psi_ab = digamma(alpha + beta);
    let psi_aby = digamma(alpha + beta + y);
    let psi_by = digamma(beta + y);
    let d_alpha = psi_ab - psi_aby;
    let d_beta = psi_by - psi_aby + psi_ab - digamma(beta);
    let d_c = (psi_by - psi_aby) * y * t.ln();
    [d_alpha, d_beta, d_c]
}

/// `d ln S(x) / dx` at real `x > 0`.
fn ln_survival_slope(alpha: f64, beta: f64, c: f64, x: f64) -> f64 {
    let y = weibull_age(x, c);
    (digamma(beta + y) - digamma(alpha + beta + y)) * c * y / x
}

/// Terms summed one by one before the tail is integrated.
const DIRECT_TERMS: u64 = 100;

/// Bisection depth limit of the adaptive quadrature: at most `2¹⁶` panels,
/// so the worst case is bounded (smooth tails converge within a few levels).
const MAX_DEPTH: u32 = 16;

/// Largest `ln x` the tail integral reaches; beyond it the integrand is a
/// pure power of `x` and is integrated in closed form.
const LN_X_MAX: f64 = 650.0;

/// `Σ_{t ≥ from} exp(ln S(t) − ln_ref) δ^{t − from}` with `ln δ =
/// ln_delta ≤ 0`, or `None` when the series diverges (no discounting and
/// `c·α ≤ 1`) or cannot be evaluated.
///
/// The first [`DIRECT_TERMS`] terms are added exactly; the rest by the
/// Euler–Maclaurin formula `Σ_{t ≥ T₀} f(t) ≈ ∫_{T₀}^∞ f + f(T₀)/2 −
/// f′(T₀)/12` with `f(x) = S(x) δ^{x − from}` over real `x`. The integral is
/// taken over `u = ln(x/T₀)` by adaptive Gauss–Legendre quadrature up to
/// `ln x = 650`; beyond, `S(x) ∝ x^{−cα}` to machine precision and the
/// rest is `g(U)/(cα − 1)` in closed form (`g` the integrand in `u`). The
/// cost is the same for every `from` and every discount rate.
pub(crate) fn discounted_sum(
    alpha: f64,
    beta: f64,
    c: f64,
    from: u64,
    ln_ref: f64,
    ln_delta: f64,
) -> Option<f64> {
    if ln_delta == 0.0 && c * alpha <= 1.0 {
        return None;
    }
    let term = |t: f64| {
        let v = ln_survival(alpha, beta, c, t) - ln_ref + (t - from as f64) * ln_delta;
        v.exp()
    };
    // `from` near u64::MAX has no end of the direct terms (found by fuzzing).
    let end = from.checked_add(DIRECT_TERMS)?;
    let mut direct = 0.0;
    for t in from..end {
        direct += term(t as f64);
    }
    let t0 = (from + DIRECT_TERMS) as f64;
    let ln_f = |x: f64| ln_survival(alpha, beta, c, x) - ln_ref + (x - from as f64) * ln_delta;
    let f0 = ln_f(t0).exp();
    if f0 == 0.0 {
        return Some(direct);
    }
    let slope0 = ln_survival_slope(alpha, beta, c, t0) + ln_delta;
    let ln_t0 = t0.ln();
    let g = |u: f64| ln_f(t0 * u.exp()) + ln_t0 + u;
    let u_max = LN_X_MAX - ln_t0;
    // Upper end: where the integrand has fallen by e⁻⁴⁵ (or u_max).
    let g0 = g(0.0);
    let mut hi = 1.0_f64;
    while hi < u_max && g(hi) > g0 - 45.0 {
        hi = (hi * 2.0).min(u_max);
    }
    let rule = gauss_legendre_rule(15);
    let ln_integral = gauss_legendre_adaptive(&g, 0.0, hi, &rule, 1e-12, MAX_DEPTH)?;
    let mut integral = ln_integral.exp();
    if hi >= u_max {
        let g_end = g(u_max);
        if g_end > g0 - 45.0 {
            // Pure power law beyond: g(u) = g(U) e^{−(cα − 1 − ln δ·x)(u − U)}.
            let decay = c * alpha - 1.0;
            if ln_delta == 0.0 && decay <= 0.0 {
                return None;
            }
            if ln_delta == 0.0 {
                integral += g_end.exp() / decay;
            }
        }
    }
    let sum = direct + integral + f0 / 2.0 - f0 * slope0 / 12.0;
    sum.is_finite().then_some(sum)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::special::{ln_beta, ln_gamma};

    #[test]
    fn gamma_difference_matches_direct_values() {
        for &(x, a) in &[
            (0.3, 2.5),
            (4.0, 0.7),
            (12.5, 3.2),
            (1e3, 0.668),
            (0.01, 1e-8),
        ] {
            let direct = ln_gamma(x + a) - ln_gamma(x);
            let got = ln_gamma_diff(x, a);
            assert!(
                (got - direct).abs() < 1e-12 * direct.abs().max(1.0),
                "{x} {a}: {got} vs {direct}"
            );
        }
        // Large x: ln Γ(x + a) − ln Γ(x) → a ln x.
        let x = 1e15;
        assert!((ln_gamma_diff(x, 2.0) - 2.0 * x.ln()).abs() < 1e-12);
    }

    #[test]
    fn survival_matches_beta_ratio() {
        let (a, b) = (0.668, 3.806);
        for t in 0..20 {
            let want = ln_beta(a, b + t as f64) - ln_beta(a, b);
            let got = ln_survival(a, b, 1.0, t as f64);
            assert!((got - want).abs() < 1e-12, "{t}: {got} vs {want}");
        }
    }

    #[test]
    fn discounted_sum_matches_hypergeometric_closed_form() {
        // sBG: Σ_{t≥0} S(t) δ^t = ₂F₁(1, β; α + β; δ) (Fader & Hardie 2010).
        for &(a, b, d) in &[(0.668, 3.806, 0.1), (0.704, 1.182, 0.1), (2.5, 1.0, 0.01)] {
            let delta = 1.0 / (1.0 + d);
            let want = crate::special::hyp2f1(1.0, b, a + b, delta).unwrap();
            let got = discounted_sum(a, b, 1.0, 0, 0.0, delta.ln()).unwrap();
            assert!(
                (got - want).abs() < 1e-9 * want,
                "{a} {b} {d}: {got} vs {want}"
            );
        }
        // No discounting, α > 1: E[T] = (α + β − 1)/(α − 1).
        let got = discounted_sum(2.5, 1.0, 1.0, 0, 0.0, 0.0).unwrap();
        assert!((got - 2.5 / 1.5).abs() < 1e-9, "{got}");
        // Heavy tail, α ≤ 1, no discounting: infinite.
        assert!(discounted_sum(0.9, 1.0, 1.0, 0, 0.0, 0.0).is_none());
    }
}
