use super::*;
use crate::models::pareto_nbd::ParetoNbdParams;
use crate::special::{gauss_legendre_adaptive, gauss_legendre_rule};

/// Histories covering `x = 0`, `tₓ = T`, small and large `x`.
const X: [f64; 7] = [0.0, 0.0, 1.0, 5.0, 2.0, 40.0, 3.0];
const TX: [f64; 7] = [0.0, 0.0, 3.0, 20.0, 30.43, 38.0, 38.0];
const AGE: [f64; 7] = [10.0, 38.0, 30.0, 35.0, 38.86, 38.5, 38.0];

fn close(a: f64, b: f64, rel: f64) -> bool {
    (a - b).abs() <= rel * (a.abs().max(b.abs()) + 1e-300)
}

#[test]
fn integral_matches_independent_quadrature() {
    // I on the original variable y by the crate's Gauss–Legendre routine.
    for p in [
        GgomNbdParams::new(0.55, 10.6, 0.05, 0.6, 0.3).unwrap(),
        GgomNbdParams::new(1.5, 0.5, 0.5, 2.0, 5.0).unwrap(),
    ] {
        for i in 0..X.len() {
            let (x, tx, t) = (X[i], TX[i], AGE[i]);
            if tx >= t {
                continue;
            }
            let ours = ln_integral(&p, x, tx, t).unwrap();
            let ln_f = |y: f64| {
                let (ld, _) = gompertz_terms(p.b, p.beta, y);
                -(p.r + x) * (p.alpha + y).ln() + p.b.ln() + p.b * y - (p.s + 1.0) * ld
            };
            let rule = gauss_legendre_rule(20);
            let other = gauss_legendre_adaptive(&ln_f, tx, t, &rule, 1e-13, 40).unwrap();
            assert!(
                (ours - other).abs() < 1e-10,
                "{x} {tx} {t}: {ours} vs {other}"
            );
        }
    }
}

/// As `b → 0` with `β = b β_P`, GGompertz/NBD tends to Pareto/NBD
/// `(r, α, s, β_P)`; the differences are `O(b T)`.
#[test]
fn small_b_approaches_pareto_nbd() {
    let (r, alpha, s, beta_p) = (0.5532, 10.578, 0.6062, 11.669);
    let pareto = ParetoNbdParams::new(r, alpha, s, beta_p).unwrap();
    let data = TransactionSummary::new(&X, &TX, &AGE);
    let ll_p = pareto.log_likelihood(&data).unwrap();
    for (b, tol) in [(1e-4, 2e-3), (1e-7, 2e-6)] {
        let g = GgomNbdParams::new(r, alpha, b, s, b * beta_p).unwrap();
        // The likelihood of x purchases differs by the β^s b^{-s}
        // normalisation only through β = b β_P, which cancels exactly.
        let ll_g = g.log_likelihood(&data).unwrap();
        assert!(close(ll_g, ll_p, tol), "b={b}: {ll_g} vs {ll_p}");
        for i in 0..X.len() {
            let (x, tx, t) = (X[i], TX[i], AGE[i]);
            let (a, ap) = (
                g.probability_alive(x, tx, t).unwrap(),
                pareto.probability_alive(x, tx, t).unwrap(),
            );
            assert!(close(a, ap, tol), "P(alive) b={b} row {i}: {a} vs {ap}");
            let (c, cp) = (
                g.conditional_expected_purchases(26.0, x, tx, t).unwrap(),
                pareto
                    .conditional_expected_purchases(26.0, x, tx, t)
                    .unwrap(),
            );
            assert!(close(c, cp, tol), "CET b={b} row {i}: {c} vs {cp}");
        }
        for t in [1.0, 39.0, 78.0] {
            let (e, ep) = (
                g.expected_purchases(t).unwrap(),
                pareto.expected_purchases(t).unwrap(),
            );
            assert!(close(e, ep, tol), "E[X({t})] b={b}: {e} vs {ep}");
            for n in [0, 1, 4] {
                let (q, qp) = (
                    g.probability_of_purchases(n, t).unwrap(),
                    pareto.probability_of_purchases(n, t).unwrap(),
                );
                assert!(close(q, qp, tol), "P(X({t})={n}) b={b}: {q} vs {qp}");
            }
        }
    }
}

#[test]
fn purchase_count_probabilities_sum_to_one_with_the_expected_mean() {
    let m = GgomNbdParams::new(0.8, 5.0, 0.1, 0.7, 2.0).unwrap();
    let probs: Vec<f64> = (0..200)
        .map(|n| m.probability_of_purchases(n, 39.0).unwrap())
        .collect();
    let total: f64 = probs.iter().sum();
    assert!((total - 1.0).abs() < 1e-8, "{total}");
    let mean: f64 = probs.iter().enumerate().map(|(n, p)| n as f64 * p).sum();
    let expected = m.expected_purchases(39.0).unwrap();
    assert!((mean - expected).abs() < 1e-7, "{mean} vs {expected}");
}

#[test]
fn expected_purchases_match_bemmaor_glady_form() {
    // (r/α) [t S(t) + ∫₀ᵗ u g(u) du], the form of the paper and CLVTools,
    // by the crate's Gauss–Legendre routine.
    let m = GgomNbdParams::new(0.8, 5.0, 0.1, 0.7, 2.0).unwrap();
    for t in [0.5, 10.0, 80.0] {
        let ln_ug = |u: f64| {
            let (ld, _) = gompertz_terms(m.b, m.beta, u);
            u.ln() + m.s.ln() + m.b.ln() + m.s * m.beta.ln() + m.b * u - (m.s + 1.0) * ld
        };
        let rule = gauss_legendre_rule(20);
        let tail = gauss_legendre_adaptive(&ln_ug, 0.0, t, &rule, 1e-13, 40)
            .unwrap()
            .exp();
        let paper = m.r / m.alpha * (t * m.survival(t).unwrap() + tail);
        let ours = m.expected_purchases(t).unwrap();
        assert!(close(ours, paper, 1e-10), "{t}: {ours} vs {paper}");
    }
}

#[test]
fn extreme_histories_stay_finite() {
    for m in [
        GgomNbdParams::new(0.55, 10.6, 1e-6, 0.6, 1e-5).unwrap(),
        GgomNbdParams::new(0.5, 0.01, 5.0, 0.7, 50.0).unwrap(),
    ] {
        for &(x, tx, t) in &[
            (132.0, 200.0, 200.0),
            (10_000.0, 200.0, 200.0),
            (10_000.0, 199.0, 200.0),
            (10_000.0, 1.0, 200.0),
            (0.0, 0.0, 1e6),
        ] {
            let a = m.probability_alive(x, tx, t).unwrap();
            assert!((0.0..=1.0).contains(&a), "{a}");
            let e = m.conditional_expected_purchases(10.0, x, tx, t).unwrap();
            assert!(e.is_finite() && e >= 0.0, "{e}");
        }
        assert_eq!(m.probability_alive(132.0, 200.0, 200.0).unwrap(), 1.0);
    }
}

#[test]
fn bad_parameters_and_inputs_are_typed_errors() {
    assert!(GgomNbdParams::new(0.5, 1.0, 0.0, 1.0, 1.0).is_err());
    assert!(GgomNbdParams::new(0.5, 1.0, f64::NAN, 1.0, 1.0).is_err());
    let m = GgomNbdParams::new(0.5, 1.0, 0.1, 1.0, 1.0).unwrap();
    assert!(m.expected_purchases(-1.0).is_err());
    assert!(m.probability_alive(1.0, 5.0, 2.0).is_err());
    assert!(m
        .conditional_expected_purchases(f64::INFINITY, 1.0, 1.0, 2.0)
        .is_err());
}
