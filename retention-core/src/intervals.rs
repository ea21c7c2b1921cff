//! Confidence intervals of proportions shared by the cohort matrices.
//!
//! The Wilson score interval (Wilson 1927, "Probable inference, the law of
//! succession, and statistical inference", *JASA* 22(158)) of `x` successes
//! in `n` trials at normal quantile `z`, with `p̂ = x / n`:
//!
//! ```text
//! centre = (p̂ + z²/2n) / (1 + z²/n)
//! half   = z / (1 + z²/n) · √(p̂(1 − p̂)/n + z²/4n²)
//! ```
//!
//! Unlike the normal (Wald) interval it stays inside `[0, 1]` and has a
//! positive width at `p̂ = 0` and `p̂ = 1` (Brown, Cai & DasGupta 2001,
//! "Interval estimation for a binomial proportion", *Statistical Science* 16(2)).

/// Wilson score interval of `x` successes out of `n > 0` at normal quantile `z`.
pub(crate) fn wilson(x: f64, n: f64, z: f64) -> (f64, f64) {
    let p = x / n;
    let z2 = z * z;
    let denom = 1.0 + z2 / n;
    let centre = (p + z2 / (2.0 * n)) / denom;
    let half = z / denom * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).max(0.0).sqrt();
    // The interval contains p̂ exactly; min/max only undo rounding at 0 and 1.
    ((centre - half).clamp(0.0, p), (centre + half).clamp(p, 1.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wilson_matches_a_hand_computed_value() {
        // 8 of 10 at z = 1.96: centre (0.8 + 0.19208)/1.38416, half-width
        // 1.96/1.38416 · √(0.016 + 0.0096040).
        let (lo, hi) = wilson(8.0, 10.0, 1.96);
        assert!((lo - 0.490_162).abs() < 1e-5, "{lo}");
        assert!((hi - 0.943_317).abs() < 1e-5, "{hi}");
    }

    #[test]
    fn wilson_has_width_at_the_ends() {
        // 0 of 4 at z = 2: centre (4/8)/2 = 0.25, half 2/2·√(4/64) = 0.25.
        let (lo, hi) = wilson(0.0, 4.0, 2.0);
        assert_eq!(lo, 0.0);
        assert!((hi - 0.5).abs() < 1e-12, "{hi}");
        let (lo, hi) = wilson(4.0, 4.0, 2.0);
        assert!((lo - 0.5).abs() < 1e-12, "{lo}");
        assert_eq!(hi, 1.0);
    }
}
