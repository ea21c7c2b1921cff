//! Properties of the contractual models' predictions over a wide parameter
//! range: α and β from 10⁻¹² (the limits α, β → 0) to 10⁴, c from 0.05 to
//! 10, ages up to 10¹⁵.

use proptest::prelude::*;
use retention_core::models::contractual::ContractualParams;

fn log_uniform(lo: f64, hi: f64) -> impl Strategy<Value = f64> {
    (lo.ln()..hi.ln()).prop_map(f64::exp)
}

fn params() -> impl Strategy<Value = ContractualParams> {
    (
        log_uniform(1e-12, 1e4),
        log_uniform(1e-12, 1e4),
        prop_oneof![Just(1.0), log_uniform(0.05, 10.0)],
    )
        .prop_map(|(a, b, c)| {
            if c == 1.0 {
                ContractualParams::sbg(a, b).unwrap()
            } else {
                ContractualParams::bdw(a, b, c).unwrap()
            }
        })
}

fn age() -> impl Strategy<Value = u64> {
    prop_oneof![0u64..200, (0.0f64..15.0).prop_map(|e| 10f64.powf(e) as u64)]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    /// S is finite, in [0, 1] and non-increasing: for t₁ ≤ t₂,
    /// S(t₂) ≤ S(t₁) up to one rounding of S(t₁) (2⁻⁵² relative).
    #[test]
    fn survival_is_a_survival_function(p in params(), t1 in age(), t2 in age()) {
        let (lo, hi) = (t1.min(t2), t1.max(t2));
        let s_lo = p.survival(lo).unwrap();
        let s_hi = p.survival(hi).unwrap();
        prop_assert!(s_lo.is_finite() && (0.0..=1.0).contains(&s_lo));
        prop_assert!(s_hi.is_finite() && (0.0..=1.0).contains(&s_hi));
        prop_assert!(s_hi <= s_lo * (1.0 + f64::EPSILON), "{p:?} S({lo}) = {s_lo} < S({hi}) = {s_hi}");
        prop_assert_eq!(p.survival(0).unwrap(), 1.0);
    }

    /// Retention rates and churn probabilities are probabilities, and
    /// P(T = t) = S(t − 1) − S(t).
    #[test]
    fn rates_are_probabilities(p in params(), t in age()) {
        let t = t.max(1);
        let r = p.retention_rate(t).unwrap();
        let churn = p.churn_probability(t).unwrap();
        prop_assert!(r.is_finite() && (0.0..=1.0).contains(&r));
        prop_assert!(churn.is_finite() && (0.0..=1.0).contains(&churn));
        let diff = p.survival(t - 1).unwrap() - p.survival(t).unwrap();
        prop_assert!((churn - diff).abs() <= 1e-12, "{churn} vs {diff}");
    }

    /// A curve is exactly non-increasing and matches the pointwise values.
    #[test]
    fn curves_are_monotone(p in params(), ages in 1usize..400) {
        let curve = p.curve(ages).unwrap();
        prop_assert!(curve.survival.windows(2).all(|w| w[1] <= w[0]));
        prop_assert!(curve.survival.iter().all(|s| s.is_finite() && (0.0..=1.0).contains(s)));
        let last = (ages - 1) as u64;
        let direct = p.survival(last).unwrap();
        prop_assert!((curve.survival[ages - 1] - direct).abs() <= 1e-9 * direct.max(1e-300) + 1e-300);
    }

    /// With discounting, DEL lies between 1 (the first payment) and
    /// Σ δᵗ = (1 + d)/d, and DERL between 0 and (1 + d)/d; every value is
    /// finite.
    #[test]
    fn discounted_lifetimes_are_bounded(p in params(), d in 0.001f64..1.0, n in age()) {
        let bound = (1.0 + d) / d;
        let del = p.discounted_expected_lifetime(d).unwrap();
        prop_assert!(del.is_finite() && del >= 1.0 - 1e-9 && del <= bound * (1.0 + 1e-9), "{p:?} {d}: {del}");
        match p.discounted_expected_residual_lifetime(d, n) {
            Ok(derl) => prop_assert!(derl.is_finite() && derl >= 0.0 && derl <= bound * (1.0 + 1e-9), "{p:?} {d} {n}: {derl}"),
            // S(n) underflowed to 0: nobody is left to value.
            Err(e) => prop_assert!(p.survival(n).unwrap() == 0.0, "{e}"),
        }
    }
}
