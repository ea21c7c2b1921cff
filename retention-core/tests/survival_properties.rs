//! Property tests for `retention_core::survival`.

use proptest::prelude::*;
use retention_core::survival::{
    concordance_summary, multivariate_logrank_test, CoxModel, CoxOptions, CoxRows, CoxTies,
    KaplanMeier, KaplanMeierOptions, KmConfidenceTransform, NelsonAalen, NelsonAalenOptions,
};
use retention_core::Error;

/// Durations on a coarse grid (many ties, some zeros) with event flags.
fn sample(max_len: usize) -> impl Strategy<Value = Vec<(f64, bool)>> {
    prop::collection::vec(
        ((0u32..30).prop_map(|t| f64::from(t) / 2.0), any::<bool>()),
        1..max_len,
    )
}

/// Direct O(n²) count of lifelines' concordance definition.
fn naive_concordance(t: &[f64], s: &[f64], e: &[bool]) -> (u64, u64, u64) {
    let (mut concordant, mut tied, mut comparable) = (0, 0, 0);
    for i in 0..t.len() {
        if !e[i] {
            continue;
        }
        for k in 0..t.len() {
            let later = t[i] < t[k] || (t[i] == t[k] && !e[k]);
            if k == i || !later {
                continue;
            }
            comparable += 1;
            if s[i] < s[k] {
                concordant += 1;
            } else if s[i] == s[k] {
                tied += 1;
            }
        }
    }
    (concordant, tied, comparable)
}

proptest! {
    #[test]
    fn kaplan_meier_is_a_non_increasing_probability(
        data in sample(200),
        linear in any::<bool>(),
        alpha in 0.001f64..0.5,
    ) {
        let (d, e): (Vec<f64>, Vec<bool>) = data.into_iter().unzip();
        let transform = if linear { KmConfidenceTransform::Linear } else { KmConfidenceTransform::LogLog };
        let km = KaplanMeier::fit(&d, &e, &KaplanMeierOptions { alpha, transform }).unwrap();
        let mut previous = 1.0;
        for i in 0..km.survival.len() {
            let s = km.survival[i];
            prop_assert!((0.0..=1.0).contains(&s));
            prop_assert!(s <= previous);
            previous = s;
            let (lo, hi) = (km.lower[i], km.upper[i]);
            prop_assert!(lo.is_finite() && hi.is_finite());
            prop_assert!(0.0 <= lo && lo <= s + 1e-15 && s <= hi + 1e-15 && hi <= 1.0);
        }
        if let Some(m) = km.median_survival_time() {
            prop_assert!(km.survival_at(m).unwrap() <= 0.5 + 1e-12);
        }
    }

    #[test]
    fn nelson_aalen_is_non_decreasing(data in sample(200)) {
        let (d, e): (Vec<f64>, Vec<bool>) = data.into_iter().unzip();
        let na = NelsonAalen::fit(&d, &e, &NelsonAalenOptions::default()).unwrap();
        let mut previous = 0.0;
        for i in 0..na.cumulative_hazard.len() {
            let h = na.cumulative_hazard[i];
            prop_assert!(h.is_finite() && h >= previous);
            prop_assert!(na.lower[i] <= h && h <= na.upper[i] && na.upper[i].is_finite());
            previous = h;
        }
    }

    #[test]
    fn fast_concordance_equals_naive_count(
        rows in prop::collection::vec(((0u32..15), (0i32..8), any::<bool>()), 1..120)
    ) {
        let t: Vec<f64> = rows.iter().map(|r| f64::from(r.0)).collect();
        let s: Vec<f64> = rows.iter().map(|r| f64::from(r.1) * 0.25).collect();
        let e: Vec<bool> = rows.iter().map(|r| r.2).collect();
        let fast = concordance_summary(&t, &s, &e).unwrap();
        let (concordant, tied, comparable) = naive_concordance(&t, &s, &e);
        prop_assert_eq!(fast.concordant, concordant);
        prop_assert_eq!(fast.tied_score, tied);
        prop_assert_eq!(fast.comparable, comparable);
    }

    #[test]
    fn logrank_statistic_and_p_value_are_valid(
        data in sample(150),
        groups in prop::collection::vec(0u8..3, 150),
    ) {
        let (d, e): (Vec<f64>, Vec<bool>) = data.into_iter().unzip();
        let g = &groups[..d.len()];
        match multivariate_logrank_test(&d, &e, g) {
            Ok(r) => {
                prop_assert!(r.test_statistic.is_finite() && r.test_statistic >= 0.0);
                prop_assert!((0.0..=1.0).contains(&r.p_value));
            }
            Err(err) => {
                let expected = matches!(err, Error::InvalidParameter { name: "groups", .. });
                prop_assert!(expected, "unexpected error {:?}", err);
            }
        }
    }

    #[test]
    fn cox_never_panics_and_reports_finite_numbers(
        data in sample(60),
        x in prop::collection::vec((-3i32..4, 0u8..2), 60),
        breslow in any::<bool>(),
        penalizer in prop::sample::select(vec![0.0, 0.05, 1.0]),
    ) {
        let (d, e): (Vec<f64>, Vec<bool>) = data.into_iter().unzip();
        let x1: Vec<f64> = x[..d.len()].iter().map(|v| f64::from(v.0)).collect();
        let x2: Vec<f64> = x[..d.len()].iter().map(|v| f64::from(v.1)).collect();
        let options = CoxOptions {
            ties: if breslow { CoxTies::Breslow } else { CoxTies::Efron },
            penalizer,
            ..Default::default()
        };
        match CoxModel::fit(&d, &e, &[x1, x2], &options) {
            Ok(m) => {
                for v in m.coefficients.iter().chain(&m.standard_errors).chain(&m.z).chain(&m.p_values) {
                    prop_assert!(v.is_finite());
                }
                prop_assert!(m.log_likelihood.is_finite());
            }
            Err(err) => {
                let expected = matches!(
                    err,
                    Error::SingularMatrix { .. } | Error::NotConverged { .. } | Error::EmptyInput { .. } | Error::NonFiniteResult { .. }
                );
                prop_assert!(expected, "unexpected error {:?}", err);
            }
        }
    }

    /// Under Breslow's approximation a case weight of k is k identical
    /// rows: same coefficients, log-likelihood, standard errors, baseline;
    /// and strata split the likelihood into a sum.
    #[test]
    fn cox_integer_weights_are_duplicated_rows_and_strata_add_up(
        data in sample(40),
        x in prop::collection::vec((-3i32..4, 1u8..4, 0u32..3), 40),
    ) {
        let (d, e): (Vec<f64>, Vec<bool>) = data.into_iter().unzip();
        let x = &x[..d.len()];
        let x1: Vec<f64> = x.iter().map(|v| f64::from(v.0)).collect();
        let w: Vec<f64> = x.iter().map(|v| f64::from(v.1)).collect();
        let s: Vec<u32> = x.iter().map(|v| v.2).collect();
        let breslow = CoxOptions { ties: CoxTies::Breslow, ..Default::default() };
        let rows = CoxRows { weights: Some(&w), ..Default::default() };
        // Separated samples have no maximum to compare; the others are
        // compared at the maximum itself (relative-change rule off, Newton
        // decrement below 1e-20), not where each path's early stop leaves it.
        let separated = !matches!(
            CoxModel::fit_with(&d, &e, &[&x1], rows, &breslow),
            Ok(m) if m.warnings.is_empty()
        );
        let breslow = CoxOptions { tolerance: 1e-20, r_precision: 0.0, ..breslow };
        let (mut dd, mut ed, mut xd) = (vec![], vec![], vec![]);
        for i in 0..d.len() {
            for _ in 0..x[i].1 {
                dd.push(d[i]);
                ed.push(e[i]);
                xd.push(x1[i]);
            }
        }
        if let (false, Ok(a), Ok(b)) = (
            separated,
            CoxModel::fit_with(&d, &e, &[&x1], rows, &breslow),
            CoxModel::fit(&dd, &ed, &[&xd], &breslow),
        ) {
            let close = |u: f64, v: f64| (u - v).abs() <= 1e-6 * (1.0 + v.abs());
            // Standardisation differs (weighted rows are not duplicated in
            // the means), which moves nothing but the rounding.
            prop_assert!(close(a.coefficients[0], b.coefficients[0]), "{a:?} {b:?}");
            prop_assert!(close(a.log_likelihood, b.log_likelihood));
            prop_assert!(close(a.standard_errors[0], b.standard_errors[0]));
            let ha = a.predict_cumulative_hazard(&[[0.0]], 1, None, &a.baseline.times, None).unwrap();
            let hb = b.predict_cumulative_hazard(&[[0.0]], 1, None, &a.baseline.times, None).unwrap();
            for (u, v) in ha.iter().zip(&hb) {
                prop_assert!(close(*u, *v));
            }
        }
        let strata = CoxRows { strata: Some(&s), ..Default::default() };
        if let Ok(m) = CoxModel::fit_with(&d, &e, &[&x1], strata, &CoxOptions::default()) {
            let mut total = 0.0;
            for label in 0..3 {
                let keep: Vec<usize> = (0..d.len()).filter(|&i| s[i] == label).collect();
                if keep.is_empty() {
                    continue;
                }
                let ds: Vec<f64> = keep.iter().map(|&i| d[i]).collect();
                let es: Vec<bool> = keep.iter().map(|&i| e[i]).collect();
                let xs: Vec<f64> = keep.iter().map(|&i| x1[i]).collect();
                let ll = m.score_log_likelihood(&ds, &es, &[&xs], CoxRows::default()).unwrap();
                total += ll * ds.len() as f64;
            }
            prop_assert!((total - m.log_likelihood).abs() <= 1e-9 * (1.0 + total.abs()));
        }
    }

    #[test]
    fn wild_finite_values_never_produce_nan(
        rows in prop::collection::vec(
            (
                prop::num::f64::POSITIVE | prop::num::f64::ZERO,
                any::<bool>(),
                prop::num::f64::NORMAL | prop::num::f64::ZERO,
            ),
            1..40,
        ),
    ) {
        let d: Vec<f64> = rows.iter().map(|r| r.0).collect();
        let e: Vec<bool> = rows.iter().map(|r| r.1).collect();
        let x: Vec<f64> = rows.iter().map(|r| r.2).collect();
        let km = KaplanMeier::fit(&d, &e, &KaplanMeierOptions::default()).unwrap();
        prop_assert!(km.survival.iter().chain(&km.lower).chain(&km.upper).all(|v| v.is_finite()));
        let na = NelsonAalen::fit(&d, &e, &NelsonAalenOptions::default()).unwrap();
        prop_assert!(na.cumulative_hazard.iter().chain(&na.lower).chain(&na.upper).all(|v| v.is_finite()));
        if let Ok(m) = CoxModel::fit(&d, &e, &[x], &CoxOptions::default()) {
            prop_assert!(m.coefficients[0].is_finite() && m.standard_errors[0].is_finite());
            prop_assert!(m.p_values[0].is_finite() && m.log_likelihood.is_finite());
        }
        if let Ok(c) = retention_core::survival::concordance_index(&d, &rows.iter().map(|r| r.2).collect::<Vec<_>>(), &e) {
            prop_assert!((0.0..=1.0).contains(&c));
        }
    }
}

/// Found by `wild_finite_values_never_produce_nan`: a covariate whose spread
/// squared is subnormal used to give infinite coefficients; now a typed error.
#[test]
fn regression_tiny_covariate_spread_is_a_typed_error() {
    let r = CoxModel::fit(
        &[0.0, 0.0],
        &[true, true],
        &[[0.0, 4.456_423_543_192_668_7e-156]],
        &CoxOptions::default(),
    );
    assert!(
        matches!(r, Err(Error::SingularMatrix { index: 0, .. })),
        "{r:?}"
    );
}
