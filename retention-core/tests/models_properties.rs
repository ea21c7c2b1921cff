//! Property tests: over a wide range of parameters and customer histories,
//! including the extreme regions where the reference implementation returns
//! NaN (very large frequency, recency equal to age), every prediction is a
//! finite number, probabilities lie in [0, 1], expectations are ≥ 0 and
//! non-decreasing in the horizon (up to a relative rounding slack of 1e-9).

use proptest::prelude::*;
use retention_core::models::bgbb::BgBbParams;
use retention_core::models::bgnbd::BgNbdParams;
use retention_core::models::mbgnbd::MbgNbdParams;
use retention_core::models::pareto_nbd::ParetoNbdParams;
use retention_core::models::TransactionModel;

/// Log-uniform positive parameter in [1e-2, 1e2].
fn param() -> impl Strategy<Value = f64> {
    (-2.0..2.0f64).prop_map(|e| 10f64.powf(e))
}

/// A valid `(x, tₓ, T)`: x from small to 10,000, tₓ = T in a share of cases.
fn history() -> impl Strategy<Value = (f64, f64, f64)> {
    let x = prop_oneof![0u32..5, 0u32..300, 9_000u32..=10_000];
    let frac = prop_oneof![Just(1.0), Just(0.0), 0.0..1.0f64];
    (x, frac, 0.0..500.0f64).prop_map(|(x, frac, age)| {
        let x = f64::from(x);
        let t_x = if x == 0.0 { 0.0 } else { frac * age };
        (x, t_x, age)
    })
}

fn horizons() -> impl Strategy<Value = (f64, f64)> {
    (0.0..1000.0f64, 0.0..1000.0f64).prop_map(|(a, b)| (a.min(b), a.max(b)))
}

fn non_decreasing(lo: f64, hi: f64) -> bool {
    hi >= lo - 1e-9 * lo.abs() - 1e-300
}

fn check_model<M: TransactionModel>(m: &M, (x, t_x, age): (f64, f64, f64), (t1, t2): (f64, f64)) {
    let alive = m.probability_alive(x, t_x, age).unwrap();
    assert!((0.0..=1.0).contains(&alive), "P(alive) {alive}");
    let e1 = m.conditional_expected_purchases(t1, x, t_x, age).unwrap();
    let e2 = m.conditional_expected_purchases(t2, x, t_x, age).unwrap();
    assert!(e1.is_finite() && e2.is_finite() && e1 >= 0.0, "{e1} {e2}");
    assert!(non_decreasing(e1, e2), "conditional: {e1} > {e2}");
    let u1 = m.expected_purchases(t1).unwrap();
    let u2 = m.expected_purchases(t2).unwrap();
    assert!(u1.is_finite() && u2.is_finite() && u1 >= 0.0, "{u1} {u2}");
    assert!(non_decreasing(u1, u2), "unconditional: {u1} > {u2}");
}

proptest! {
    #[test]
    fn bgnbd_outputs_are_well_behaved(
        (r, alpha, a, b) in (param(), param(), param(), param()),
        h in history(),
        t in horizons(),
    ) {
        check_model(&BgNbdParams::new(r, alpha, a, b).unwrap(), h, t);
    }

    #[test]
    fn mbgnbd_outputs_are_well_behaved(
        (r, alpha, a, b) in (param(), param(), param(), param()),
        h in history(),
        t in horizons(),
    ) {
        check_model(&MbgNbdParams::new(r, alpha, a, b).unwrap(), h, t);
    }

    #[test]
    fn pareto_nbd_outputs_are_well_behaved(
        (r, alpha, s, beta) in (param(), param(), param(), param()),
        h in history(),
        t in horizons(),
    ) {
        check_model(&ParetoNbdParams::new(r, alpha, s, beta).unwrap(), h, t);
    }

    #[test]
    fn bgbb_outputs_are_well_behaved(
        (alpha, beta, gamma, delta) in (param(), param(), param(), param()),
        (n, tx_frac, x_frac) in (0u32..60, 0.0..=1.0f64, 0.0..=1.0f64),
        (f1, f2) in (0u64..100, 0u64..100),
    ) {
        let m = BgBbParams::new(alpha, beta, gamma, delta).unwrap();
        let t_x = (tx_frac * f64::from(n)).floor();
        let x = (x_frac * t_x).floor().max(if t_x > 0.0 { 1.0 } else { 0.0 });
        let alive = m.probability_alive(x, t_x, f64::from(n)).unwrap();
        prop_assert!((0.0..=1.0).contains(&alive));
        let (lo, hi) = (f1.min(f2), f1.max(f2));
        let e1 = m.conditional_expected_transactions(lo, x, t_x, f64::from(n)).unwrap();
        let e2 = m.conditional_expected_transactions(hi, x, t_x, f64::from(n)).unwrap();
        prop_assert!(e1 >= 0.0 && e2.is_finite() && non_decreasing(e1, e2), "{} {}", e1, e2);
        let u1 = m.expected_transactions(lo).unwrap();
        let u2 = m.expected_transactions(hi).unwrap();
        prop_assert!(u1 >= 0.0 && u2.is_finite() && non_decreasing(u1, u2), "{} {}", u1, u2);
    }
}

#[test]
fn pareto_nbd_large_frequency_regions() {
    // lifetimes 0.11.3 returns NaN for these.
    let m = ParetoNbdParams::new(0.5532, 10.578, 0.6062, 11.669).unwrap();
    for &(x, t_x, age) in &[
        (132.0, 200.0, 200.0),
        (10_000.0, 200.0, 200.0),
        (10_000.0, 150.0, 200.0),
    ] {
        check_model(&m, (x, t_x, age), (1.0, 52.0));
    }
}
