//! The dropout bracket shared by the BG/NBD and MBG/NBD expectations
//! (Fader, Hardie & Lee 2005a, eqs. 9 and 10; Batislam, Denizel & Filiztekin
//! 2007 for MBG/NBD), evaluated as a series with an integral fallback.
//!
//! Both models' expected purchases have the form
//! `pref · [1 − (1−z)^{a−1} ₂F₁(g, a−1; c; z)] / (a − 1)` (after Euler's
//! transformation of the papers' ₂F₁; `z = t/(α+T+t)`). [`dropout_bracket`]
//! sums its series at one `z`; `conditional_brackets` at several `z` of
//! one history at once (the series' term ratios do not depend on `z`),
//! which the CLV's monthly horizons use (not on wasm32, for size). When the series converges too slowly
//! (`z` near 1) or cancels, the bracket is the expectation over the beta
//! distribution of the dropout probability, integrated by Gauss–Legendre
//! quadrature (`beta_mixture_integral`).

#[cfg(not(target_arch = "wasm32"))]
use super::validate::{check_horizon, finite};
use crate::special::{
    gauss_legendre_adaptive, gauss_legendre_rule, ln_beta, log1m_exp, log_sum_exp,
    one_minus_pow_over,
};
#[cfg(not(target_arch = "wasm32"))]
use crate::Result;

/// `pref · [1 − (1−z)^{a−1} ₂F₁(g, a−1; c; z)] / (a − 1)` for `0 ≤ z < 1`.
///
/// This is the factor common to the BG/NBD and MBG/NBD expectations. Writing
/// `(a−1)ₙ = (a−1)(a)ₙ₋₁` gives
///
/// ```text
/// pref · { [1 − (1−z)^{a−1}]/(a−1) − (1−z)^{a−1} Σ_{n≥1} (g)ₙ (a)ₙ₋₁ zⁿ / ((c)ₙ n!) }
/// ```
///
/// which is regular at `a = 1`; with `pref = c` the factor `c/(c)ₙ =
/// 1/(c+1)ₙ₋₁` also removes the pole at `c = 0`. When the series converges
/// too slowly (z near 1) or its alternating terms cancel, the bracket is
/// integrated over the beta mixture instead (`beta_mixture_integral`).
pub(crate) fn dropout_bracket(pref: f64, a: f64, g: f64, c: f64, z: f64) -> Option<f64> {
    if z == 0.0 {
        return Some(0.0);
    }
    let mut series = BracketSeries::new(pref, g, c, z);
    let mut n = 1.0_f64;
    while !series.converged && n < MAX_BRACKET_TERMS {
        series.step(bracket_ratio(a, g, c, n), a, g, c, n);
        n += 1.0;
    }
    series.finish(pref, a, g, c)
}

/// `alive · max(bracket, 0)` at each of `horizons`, into `out` (cleared
/// first), with `z = t/(α+T+t)` (`alpha_age = α + T`) and the bracket's
/// `[pref, a, g, c]`: the conditional expected purchases of BG/NBD (FHL
/// 2005a eq. 10) and MBG/NBD at every horizon of one history (the CLV's
/// months). The series' term ratios `(g+n)(a+n−1)/((c+n)(n+1))` do not
/// depend on `z`, so one pass computes them once for every horizon; each
/// bracket is bit for bit the one [`dropout_bracket`] gives (the same
/// terms, added in the same order, stopping at the same `n`).
///
/// Errors: a horizon that is not a finite number `≥ 0`, and a non-finite
/// value (named `what`).
///
/// Not compiled for wasm32: there the models evaluate one horizon at a
/// time (the same values), since the storefront module's 300 KiB gzipped
/// budget has no room for this second path (about 600 bytes).
#[cfg(not(target_arch = "wasm32"))]
pub(crate) fn conditional_brackets(
    [pref, a, g, c]: [f64; 4],
    alpha_age: f64,
    alive: f64,
    horizons: &[f64],
    what: &'static str,
    out: &mut Vec<f64>,
) -> Result<()> {
    let mut series = Vec::with_capacity(horizons.len());
    for &t in horizons {
        let t = check_horizon("t", t)?;
        series.push(BracketSeries::new(pref, g, c, t / (alpha_age + t)));
    }
    sum_series(&mut series, a, g, c);
    out.clear();
    for s in &series {
        let v = if s.z == 0.0 {
            Some(0.0)
        } else {
            s.finish(pref, a, g, c)
        };
        out.push(finite(
            what,
            None,
            v.map_or(f64::NAN, |v| v.max(0.0) * alive),
        )?);
    }
    Ok(())
}

/// Adds terms to every series not yet converged, each until it converges
/// or reaches [`MAX_BRACKET_TERMS`], the ratios computed once per term
/// for all of them.
#[cfg(not(target_arch = "wasm32"))]
fn sum_series(series: &mut [BracketSeries], a: f64, g: f64, c: f64) {
    let mut active = series.iter().filter(|s| !s.converged).count();
    let mut n = 1.0_f64;
    while active > 0 && n < MAX_BRACKET_TERMS {
        let ratio = bracket_ratio(a, g, c, n);
        for s in series.iter_mut().filter(|s| !s.converged) {
            s.step(ratio, a, g, c, n);
            if s.converged {
                active -= 1;
            }
        }
        n += 1.0;
    }
}

/// Terms of the series of [`dropout_bracket`] before the fallback is used.
const MAX_BRACKET_TERMS: f64 = 5000.0;

/// Ratio of term `n + 1` to term `n` of the series, without the `z`.
fn bracket_ratio(a: f64, g: f64, c: f64, n: f64) -> f64 {
    (g + n) * (a + n - 1.0) / ((c + n) * (n + 1.0))
}

/// The series `Σ_{n≥1} (g)ₙ (a)ₙ₋₁ zⁿ / ((c)ₙ n!)` of [`dropout_bracket`]
/// at one `z`, scaled by `pref/c`, summed term by term.
struct BracketSeries {
    z: f64,
    term: f64,
    sum: f64,
    /// Largest term so far (to detect cancellation).
    largest: f64,
    converged: bool,
}

impl BracketSeries {
    /// The first term, `pref · g z / c`.
    fn new(pref: f64, g: f64, c: f64, z: f64) -> Self {
        let term = if pref == c { g * z } else { pref / c * g * z };
        BracketSeries {
            z,
            term,
            sum: term,
            largest: term.abs(),
            converged: term == 0.0,
        }
    }

    /// Adds term `n + 1` (`ratio` from [`bracket_ratio`] at `n`).
    fn step(&mut self, ratio: f64, a: f64, g: f64, c: f64, n: f64) {
        let z = self.z;
        self.term *= ratio * z;
        self.sum += self.term;
        let size = self.term.abs();
        if size > self.largest {
            self.largest = size;
        }
        // The ratio of the next term is needed only once the terms are small.
        let small = self.term.abs() <= 1e-17 * self.sum.abs();
        if small && ((g + n + 1.0) * (a + n) / ((c + n + 1.0) * (n + 2.0)) * z).abs() < 1.0
            || self.term == 0.0
        {
            self.converged = true;
        }
    }

    /// The bracket from the summed series, or from the integral when the
    /// series did not converge or cancelled away its accuracy.
    fn finish(&self, pref: f64, a: f64, g: f64, c: f64) -> Option<f64> {
        let z = self.z;
        let ln1mz = (-z).ln_1p();
        let pow = ((a - 1.0) * ln1mz).exp();
        let first = one_minus_pow_over(a - 1.0, ln1mz);
        if self.converged {
            let v = pref * first - pow * self.sum;
            // Accept unless alternating terms cancelled away the accuracy.
            if v.is_finite() && pow * self.largest <= 1e6 * v.abs().max(1e-300) {
                return Some(v);
            }
        }
        // Slow convergence or cancellation: integrate the mixture directly.
        beta_mixture_integral(a, c - a + 1.0, c - g, z / (1.0 - z)).map(|v| {
            let scale = if pref == c { 1.0 } else { pref / c };
            scale * v
        })
    }
}

/// `∫₀¹ p^{A−2} (1−p)^{B−1} [1 − (1 + p u)^{−R}] dp / B(A, B)`.
///
/// This is the bracket of [`dropout_bracket`] written as the expectation
/// over the (posterior) beta distribution of the dropout probability of
/// `(1/p) · E_λ[1 − e^{−λ p t}]` (the derivation of FHL 2005a eq. 9), with
/// `A = a`, `B = c − a + 1`, `R = c − g`, `u = z/(1−z)`, divided by `pref/c`.
/// It is evaluated by adaptive Gauss–Legendre quadrature on `[0, ½]` and
/// `[½, 1]` after the substitutions `v = p^A` and `v = (1−p)^B`, which
/// remove the endpoint singularities of the beta density.
fn beta_mixture_integral(big_a: f64, big_b: f64, big_r: f64, u: f64) -> Option<f64> {
    if !(big_a > 0.0 && big_b > 0.0 && big_r > 0.0 && u.is_finite() && u >= 0.0) {
        return None;
    }
    let ln_norm = ln_beta(big_a, big_b);
    // ln[(1 − (1+pu)^{−R}) / p], continuous at p = 0 where it is ln(R u).
    let ln_h_over_p = |p: f64| -> f64 {
        let x = p * u;
        if x < 1e-8 {
            (big_r * u).ln() + (-(big_r + 1.0) * x / 2.0).ln_1p()
        } else {
            log1m_exp(-big_r * x.ln_1p()) - p.ln()
        }
    };
    let rule = gauss_legendre_rule(20);
    let ln_tail = |p: f64| -big_r * (p * u).ln_1p();
    if big_a > 1.0 {
        // ∫ p^{A−2}(1−p)^{B−1} dp / B(A, B) = (A+B−1)/(A−1) exactly; only the
        // positive remainder J = ∫ p^{A−2}(1−p)^{B−1}(1+pu)^{−R} dp / B(A, B)
        // is integrated, so its quadrature error is relative to J, which is
        // small exactly when the series above had trouble (z near 1).
        let left = |v: f64| -> f64 {
            let p = v.powf(1.0 / (big_a - 1.0));
            (big_b - 1.0) * (-p).ln_1p() + ln_tail(p) - (big_a - 1.0).ln()
        };
        let right = |v: f64| -> f64 {
            let p = 1.0 - v.powf(1.0 / big_b);
            (big_a - 2.0) * p.ln() + ln_tail(p) - big_b.ln()
        };
        let l = gauss_legendre_adaptive(&left, 0.0, 0.5f64.powf(big_a - 1.0), &rule, 1e-12, 50)?;
        let r = gauss_legendre_adaptive(&right, 0.0, 0.5f64.powf(big_b), &rule, 1e-12, 50)?;
        let j = (log_sum_exp(l, r) - ln_norm).exp();
        let v = (big_a + big_b - 1.0) / (big_a - 1.0) - j;
        return (v.is_finite() && v >= 0.0).then_some(v);
    }
    // Left half: v = p^A, dp p^{A−1} = dv / A.
    let left = |v: f64| -> f64 {
        let p = v.powf(1.0 / big_a);
        (big_b - 1.0) * (-p).ln_1p() + ln_h_over_p(p) - big_a.ln()
    };
    // Right half: v = (1−p)^B, dp (1−p)^{B−1} = dv / B.
    let right = |v: f64| -> f64 {
        let q = v.powf(1.0 / big_b);
        let p = 1.0 - q;
        (big_a - 1.0) * p.ln() + ln_h_over_p(p) - big_b.ln()
    };
    let l = gauss_legendre_adaptive(&left, 0.0, 0.5f64.powf(big_a), &rule, 1e-12, 50)?;
    let r = gauss_legendre_adaptive(&right, 0.0, 0.5f64.powf(big_b), &rule, 1e-12, 50)?;
    let v = (log_sum_exp(l, r) - ln_norm).exp();
    v.is_finite().then_some(v)
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Every value of `conditional_brackets` (at P(alive) 1) against
    /// `dropout_bracket` one horizon at a time, bit for bit.
    fn check_same(pref: f64, a: f64, g: f64, c: f64, alpha_age: f64, horizons: &[f64]) {
        let mut out = Vec::new();
        conditional_brackets([pref, a, g, c], alpha_age, 1.0, horizons, "test", &mut out).unwrap();
        assert_eq!(out.len(), horizons.len());
        for (&t, v) in horizons.iter().zip(&out) {
            let one = dropout_bracket(pref, a, g, c, t / (alpha_age + t))
                .unwrap()
                .max(0.0);
            assert_eq!(
                v.to_bits(),
                one.to_bits(),
                "pref {pref} a {a} g {g} c {c} t {t}: {v} vs {one}"
            );
        }
    }

    #[test]
    fn brackets_equal_one_horizon_at_a_time() {
        // CLV-like horizons (unsorted, with 0 and a repeat), and long ones
        // (z near 1) where the integral fallback takes over.
        let horizons = [13.0, 4.3, 0.0, 26.0, 52.0, 1e3, 1e4, 1e6, 26.0, 8.6];
        for a in [0.3, 0.79, 1.0, 1.5, 3.0] {
            for b in [0.5, 2.43, 10.0] {
                for r in [0.24, 1.3] {
                    // MBG/NBD's new-customer form: pref = b, c = a + b.
                    check_same(b, a, a + b - r, a + b, 4.41, &horizons);
                    for x in [0.0, 1.0, 5.0, 30.0] {
                        // BG/NBD eq. 10: pref = c = a + b + x − 1.
                        let c = a + b + x - 1.0;
                        check_same(c, a, c - r, c, 4.41 + 38.86, &horizons);
                    }
                }
            }
        }
        let mut out = vec![1.0];
        conditional_brackets([2.0, 1.5, 1.0, 2.0], 10.0, 1.0, &[], "test", &mut out).unwrap();
        assert!(out.is_empty());
        assert!(conditional_brackets(
            [2.0, 1.5, 1.0, 2.0],
            10.0,
            1.0,
            &[1.0, -1.0],
            "test",
            &mut out
        )
        .is_err());
    }

    proptest! {
        #[test]
        fn brackets_equal_scalar_brackets(
            a in 0.05f64..20.0,
            b in 0.05f64..20.0,
            r in 0.01f64..10.0,
            x in 0u32..200,
            alpha_age in 0.01f64..1000.0,
            horizons in proptest::collection::vec(0.0f64..1e4, 1..16),
        ) {
            let c = a + b + f64::from(x) - 1.0;
            check_same(c, a, c - r, c, alpha_age, &horizons);
        }
    }
}
