//! Adaptive Gauss–Kronrod quadrature (the 7-point Gauss rule embedded in
//! the 15-point Kronrod rule, as in QUADPACK's `qag`; Piessens et al. 1983)
//! of a positive integrand given by its logarithm, together with the
//! integrals of the integrand times `M` companion functions (the
//! derivatives of the log-integrand, for gradients).
//!
//! # Accuracy and work
//!
//! Each panel's error is estimated by `|K₁₅ − G₇|`, the difference between
//! the two rules on it; this bounds the error of the Gauss rule and is a
//! large overestimate of the Kronrod value's own error for smooth
//! integrands (the Kronrod rule is exact for polynomials of degree 22, the
//! Gauss rule for degree 13). The panel with the largest estimate is halved
//! until the summed estimate is below [`REL_TOL`] of the integral or
//! [`MAX_PANELS`] panels are in use, so one integral costs at most
//! `15 · (2·MAX_PANELS − 1)` evaluations of the integrand. If the panel
//! limit is reached with a summed estimate above [`ACCEPT_TOL`] of the
//! integral, the integral is reported as failed (`None`) rather than
//! returned with an unknown error.
//!
//! Values are held as `e^{mₚ} · Kₚ` per panel `p` (`mₚ` the largest
//! log-integrand among its nodes), so integrands far beyond the range of
//! `f64` (such as `(α+y)^{−(r+x)}` for `x` in the thousands) are handled in
//! log space.
//!
//! # References
//!
//! * Piessens, R., de Doncker-Kapenga, E., Überhuber, C. W. & Kahaner,
//!   D. K. (1983). *QUADPACK: A Subroutine Package for Automatic
//!   Integration*. Springer.
//! * Kronrod, A. S. (1965). *Nodes and Weights of Quadrature Formulas*.
//!   Consultants Bureau.

/// Target relative error estimate of an integral.
pub(crate) const REL_TOL: f64 = 1e-10;

/// Largest number of panels of one integral.
pub(crate) const MAX_PANELS: usize = 64;

/// Relative error estimate beyond which an integral that used
/// [`MAX_PANELS`] panels is rejected.
pub(crate) const ACCEPT_TOL: f64 = 1e-6;

/// Abscissae of the 15-point Kronrod rule on `[−1, 1]` (non-negative half,
/// descending; the odd-indexed ones are the 7-point Gauss nodes).
const XGK: [f64; 8] = [
    0.991_455_371_120_812_6,
    0.949_107_912_342_758_5,
    0.864_864_423_359_769_1,
    0.741_531_185_599_394_4,
    0.586_087_235_467_691_1,
    0.405_845_151_377_397_2,
    0.207_784_955_007_898_5,
    0.0,
];

/// Kronrod weights for [`XGK`].
const WGK: [f64; 8] = [
    0.022_935_322_010_529_22,
    0.063_092_092_629_978_55,
    0.104_790_010_322_250_18,
    0.140_653_259_715_525_92,
    0.169_004_726_639_267_9,
    0.190_350_578_064_785_4,
    0.204_432_940_075_298_9,
    0.209_482_141_084_727_83,
];

/// Gauss weights for `XGK[1]`, `XGK[3]`, `XGK[5]`, `XGK[7]`.
const WG: [f64; 4] = [
    0.129_484_966_168_869_7,
    0.279_705_391_489_276_7,
    0.381_830_050_505_118_9,
    0.417_959_183_673_469_4,
];

/// `ln ∫ₗₒʰⁱ f` and the `f`-weighted means `∫ f gⱼ / ∫ f` of the companion
/// functions.
#[derive(Debug, Clone, Copy)]
pub(crate) struct LogIntegral<const M: usize> {
    /// `ln ∫ f` (`−∞` for an empty interval or a zero integrand).
    pub(crate) ln_value: f64,
    /// `∫ f gⱼ / ∫ f` (0 when the integral is 0).
    pub(crate) means: [f64; M],
}

#[derive(Debug, Clone, Copy)]
struct Panel<const M: usize> {
    lo: f64,
    hi: f64,
    /// Log scale `mₚ` of the panel's sums.
    scale: f64,
    /// `∫ f e^{−mₚ}` by the Kronrod rule.
    value: f64,
    /// `∫ f gⱼ e^{−mₚ}` by the Kronrod rule.
    moments: [f64; M],
    /// `|K₁₅ − G₇|` of `value`.
    error: f64,
}

/// Integrates `f = e^{ln_f}` over `[lo, hi]`; `ln_f(u, g)` returns
/// `ln f(u)` and writes the companion values `gⱼ(u)` into `g`.
///
/// Returns `None` if the integrand is NaN or `+∞` somewhere, a companion
/// value is not finite where `f > 0`, or the accuracy target cannot be met
/// within [`MAX_PANELS`] panels (see the module docs).
pub(crate) fn integrate<const M: usize>(
    ln_f: impl Fn(f64, &mut [f64; M]) -> f64,
    lo: f64,
    hi: f64,
) -> Option<LogIntegral<M>> {
    let empty = LogIntegral {
        ln_value: f64::NEG_INFINITY,
        means: [0.0; M],
    };
    if !(lo.is_finite() && hi.is_finite()) {
        return None;
    }
    if hi <= lo {
        return Some(empty);
    }
    let mut panels: Vec<Panel<M>> = Vec::with_capacity(MAX_PANELS);
    panels.push(panel(&ln_f, lo, hi)?);
    loop {
        let top = panels
            .iter()
            .map(|p| p.scale)
            .fold(f64::NEG_INFINITY, f64::max);
        if top == f64::NEG_INFINITY {
            return Some(empty);
        }
        let (mut total, mut error) = (0.0, 0.0);
        let mut worst = (0usize, -1.0_f64);
        for (i, p) in panels.iter().enumerate() {
            let c = (p.scale - top).exp();
            total += c * p.value;
            let e = c * p.error;
            error += e;
            if e > worst.1 {
                worst = (i, e);
            }
        }
        let done = error <= REL_TOL * total;
        let width = panels[worst.0].hi - panels[worst.0].lo;
        let exhausted = panels.len() >= MAX_PANELS || width <= 1e-14 * (hi - lo).max(1.0);
        if done || exhausted {
            if !done && error > ACCEPT_TOL * total {
                return None;
            }
            let mut means = [0.0; M];
            for p in &panels {
                let c = (p.scale - top).exp() / total;
                for (m, v) in means.iter_mut().zip(&p.moments) {
                    *m += c * v;
                }
            }
            let ln_value = top + total.ln();
            return (ln_value.is_finite() && means.iter().all(|m| m.is_finite()))
                .then_some(LogIntegral { ln_value, means });
        }
        let Panel { lo: a, hi: b, .. } = panels[worst.0];
        let mid = 0.5 * (a + b);
        panels[worst.0] = panel(&ln_f, a, mid)?;
        panels.push(panel(&ln_f, mid, b)?);
    }
}

/// The 15-point Kronrod and embedded 7-point Gauss sums on `[a, b]`.
fn panel<const M: usize>(
    ln_f: &impl Fn(f64, &mut [f64; M]) -> f64,
    a: f64,
    b: f64,
) -> Option<Panel<M>> {
    let (centre, half) = (0.5 * (a + b), 0.5 * (b - a));
    // Nodes in the order XGK[0..7] on the left, XGK[7] (centre), then the
    // right-hand mirrors.
    let mut ln = [0.0; 15];
    let mut g = [[0.0; M]; 15];
    for i in 0..15 {
        let u = if i < 8 {
            centre - half * XGK[i]
        } else {
            centre + half * XGK[14 - i]
        };
        let v = ln_f(u, &mut g[i]);
        if v.is_nan() || v == f64::INFINITY {
            return None;
        }
        ln[i] = v;
    }
    let scale = ln.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    if scale == f64::NEG_INFINITY {
        return Some(Panel {
            lo: a,
            hi: b,
            scale,
            value: 0.0,
            moments: [0.0; M],
            error: 0.0,
        });
    }
    let (mut kron, mut gauss) = (0.0, 0.0);
    let mut moments = [0.0; M];
    for i in 0..15 {
        let j = if i < 8 { i } else { 14 - i };
        let f = (ln[i] - scale).exp();
        if f == 0.0 {
            continue;
        }
        let wk = WGK[j] * f;
        kron += wk;
        if j % 2 == 1 {
            gauss += WG[j / 2] * f;
        }
        for (m, gv) in moments.iter_mut().zip(&g[i]) {
            if !gv.is_finite() {
                return None;
            }
            *m += wk * gv;
        }
    }
    moments.iter_mut().for_each(|m| *m *= half);
    Some(Panel {
        lo: a,
        hi: b,
        scale,
        value: kron * half,
        moments,
        error: ((kron - gauss) * half).abs(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn polynomials_and_exponentials_are_exact() {
        // ∫₀² u³ du = 4, with companion u: ∫ u⁴ / ∫ u³ = (32/5)/4.
        let r = integrate(
            |u: f64, g: &mut [f64; 1]| {
                g[0] = u;
                3.0 * u.ln()
            },
            0.0,
            2.0,
        )
        .unwrap();
        assert!((r.ln_value - 4.0_f64.ln()).abs() < 1e-12, "{}", r.ln_value);
        assert!((r.means[0] - 1.6).abs() < 1e-12);
        // ∫₀¹⁰ e^{−50u} du = (1 − e^{−500})/50, steep: needs panels.
        let r = integrate(|u: f64, _: &mut [f64; 0]| -50.0 * u, 0.0, 10.0).unwrap();
        assert!(
            (r.ln_value - (1.0 / 50.0_f64).ln()).abs() < 1e-10,
            "{}",
            r.ln_value
        );
    }

    #[test]
    fn huge_and_tiny_integrands_stay_in_log_space() {
        // ∫₁² y^{−3000} dy = (1 − 2^{−2999}) / 2999.
        let r = integrate(|y: f64, _: &mut [f64; 0]| -3000.0 * y.ln(), 1.0, 2.0).unwrap();
        assert!(
            (r.ln_value + 2999.0_f64.ln()).abs() < 1e-9,
            "{}",
            r.ln_value
        );
        let r = integrate(|u: f64, _: &mut [f64; 0]| 2000.0 - u, 0.0, 1.0).unwrap();
        let exact = 2000.0 + (1.0 - (-1.0_f64).exp()).ln();
        assert!((r.ln_value - exact).abs() < 1e-12);
    }

    #[test]
    fn degenerate_inputs() {
        let f = |u: f64, _: &mut [f64; 0]| u;
        assert_eq!(integrate(f, 1.0, 1.0).unwrap().ln_value, f64::NEG_INFINITY);
        assert!(integrate(f, 0.0, f64::INFINITY).is_none());
        assert!(integrate(|_: f64, _: &mut [f64; 0]| f64::NAN, 0.0, 1.0).is_none());
        let zero = integrate(|_: f64, _: &mut [f64; 0]| f64::NEG_INFINITY, 0.0, 1.0).unwrap();
        assert_eq!(zero.ln_value, f64::NEG_INFINITY);
    }
}
