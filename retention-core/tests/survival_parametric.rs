//! Parametric survival models: hand-checkable values, bad input and
//! properties (the comparison with lifelines is in the Python reference tests).

use proptest::prelude::*;
use retention_core::survival::{
    AftModel, AftOptions, ParametricCurve, ParametricFamily, SampleWeights, UnivariateModel,
    UnivariateParametric,
};
use retention_core::{Error, IssueKind};

const T: [f64; 8] = [2.0, 3.0, 3.5, 5.0, 7.0, 8.0, 11.0, 13.0];
const D: [bool; 8] = [true, true, false, true, false, true, true, false];

fn fit(model: &UnivariateModel, extra: &SampleWeights<'_>) -> UnivariateParametric {
    UnivariateParametric::fit(model, &T, &D, extra).unwrap()
}

fn family(f: ParametricFamily) -> UnivariateModel {
    UnivariateModel::LogLocationScale(f)
}

const FAMILIES: [ParametricFamily; 3] = [
    ParametricFamily::Weibull,
    ParametricFamily::LogNormal,
    ParametricFamily::LogLogistic,
];

#[test]
fn exponential_is_time_at_risk_over_events() {
    let m = fit(&UnivariateModel::Exponential, &SampleWeights::default());
    let lambda = 52.5 / 5.0;
    assert!((m.params[0] - lambda).abs() < 1e-12);
    assert!((m.covariance[0] - lambda * lambda / 5.0).abs() < 1e-9);
    assert!((m.log_likelihood - (-5.0 * lambda.ln() - 5.0)).abs() < 1e-12);
    assert!((m.aic() - (-2.0 * m.log_likelihood + 2.0)).abs() < 1e-12);
    assert!((m.survival(4.0).unwrap() - (-4.0 / lambda).exp()).abs() < 1e-15);
    assert!((m.median() - lambda * 2f64.ln()).abs() < 1e-12);
}

#[test]
fn exponential_with_weights_and_entry() {
    let w = [1.0, 2.0, 1.0, 0.5, 1.0, 3.0, 1.0, 1.0];
    let a = [0.0, 1.0, 0.0, 2.0, 0.0, 4.0, 0.0, 10.0];
    let extra = SampleWeights {
        weights: Some(&w),
        entry: Some(&a),
    };
    let m = fit(&UnivariateModel::Exponential, &extra);
    let exposure: f64 = (0..8).map(|i| w[i] * (T[i] - a[i])).sum();
    let events: f64 = (0..8).filter(|&i| D[i]).map(|i| w[i]).sum();
    assert!((m.params[0] - exposure / events).abs() < 1e-12);
    assert_eq!(m.weight_sum, 10.5);
}

#[test]
fn entries_at_or_before_the_origin_truncate_nothing() {
    // lifelines' convention: an entry time <= 0 (negative ones included)
    // adds no truncation term, so it fits as an entry of 0.
    let negative = [-3.0, 1.0, -0.5, 2.0, 0.0, 4.0, -10.0, 10.0];
    let clipped = negative.map(|a: f64| a.max(0.0));
    fn with(a: &[f64]) -> SampleWeights<'_> {
        SampleWeights {
            weights: None,
            entry: Some(a),
        }
    }
    let mut models = vec![
        UnivariateModel::Exponential,
        UnivariateModel::PiecewiseExponential {
            breakpoints: vec![4.0, 9.0],
        },
    ];
    models.extend(FAMILIES.map(family));
    for model in &models {
        let a = fit(model, &with(&negative));
        let b = fit(model, &with(&clipped));
        assert_eq!(a.params, b.params, "{model:?}");
        assert_eq!(a.log_likelihood, b.log_likelihood, "{model:?}");
    }
}

#[test]
fn piecewise_exponential_by_hand() {
    let model = UnivariateModel::PiecewiseExponential {
        breakpoints: vec![4.0, 9.0],
    };
    let m = fit(&model, &SampleWeights::default());
    // Interval [0, 4]: exposure 2+3+3.5+4·5 = 28.5, events 2 (t = 2, 3).
    // (4, 9]: 1+3+4+5+5 = 18, events 2 (5, 8). (9, ∞): 2+4 = 6, events 1.
    let want = [28.5 / 2.0, 18.0 / 2.0, 6.0];
    for (got, want) in m.params.iter().zip(want) {
        assert!((got - want).abs() < 1e-12, "{got} vs {want}");
    }
    let h = 4.0 / want[0] + 5.0 / want[1] + 1.0 / want[2];
    assert!((m.cumulative_hazard(10.0).unwrap() - h).abs() < 1e-12);
    assert!((m.hazard(5.0).unwrap() - 1.0 / want[1]).abs() < 1e-15);
    let p = m.survival(10.0).unwrap();
    assert!((m.percentile(p).unwrap() - 10.0).abs() < 1e-9);
    assert_eq!(
        m.parameter_names(),
        vec!["lambda_0_", "lambda_1_", "lambda_2_"]
    );
}

#[test]
fn weibull_with_all_events_satisfies_the_scale_equation() {
    let e = [true; 8];
    let model = family(ParametricFamily::Weibull);
    let m = UnivariateParametric::fit(&model, &T, &e, &SampleWeights::default()).unwrap();
    let (lambda, rho) = (m.params[0], m.params[1]);
    // ∂ℓ/∂λ = 0 ⇔ λ^ρ = Σ tᵢ^ρ / n.
    let mean: f64 = T.iter().map(|t| t.powf(rho)).sum::<f64>() / 8.0;
    assert!((lambda.powf(rho) / mean - 1.0).abs() < 1e-9);
    // ∂ℓ/∂ρ = 0 ⇔ n/ρ + Σ log tᵢ − Σ (tᵢ/λ)^ρ log tᵢ … − n log λ = 0.
    let score: f64 = 8.0 / rho
        + T.iter()
            .map(|t| (t / lambda).ln() * (1.0 - (t / lambda).powf(rho)))
            .sum::<f64>();
    assert!(score.abs() < 1e-8, "{score}");
}

#[test]
fn the_fits_nest_and_agree_with_their_curves() {
    let exp = fit(&UnivariateModel::Exponential, &SampleWeights::default());
    let wb = fit(
        &family(ParametricFamily::Weibull),
        &SampleWeights::default(),
    );
    assert!(wb.log_likelihood >= exp.log_likelihood - 1e-12);
    for f in FAMILIES {
        let m = fit(&family(f), &SampleWeights::default());
        for t in [0.5, 2.0, 7.0, 20.0] {
            let s = m.survival(t).unwrap();
            let h = m.hazard(t).unwrap();
            let dens = m.density(t).unwrap();
            assert!((dens - h * s).abs() < 1e-14);
            // h = −d log S / dt, by central difference.
            let eps = 1e-5 * t;
            let num = (m.cumulative_hazard(t + eps).unwrap()
                - m.cumulative_hazard(t - eps).unwrap())
                / (2.0 * eps);
            assert!(
                (num - h).abs() < 1e-6 * h.max(1e-3),
                "{f:?} {t}: {num} vs {h}"
            );
        }
        let (lo, hi) = m
            .interval(ParametricCurve::CumulativeHazard, 5.0, 0.05)
            .unwrap();
        let h = m.cumulative_hazard(5.0).unwrap();
        assert!(lo < h && h < hi && ((lo + hi) / 2.0 - h).abs() < 1e-12);
        for (curve, value) in [
            (ParametricCurve::Hazard, m.hazard(5.0).unwrap()),
            (ParametricCurve::Density, m.density(5.0).unwrap()),
            (ParametricCurve::Survival, m.survival(5.0).unwrap()),
        ] {
            let (lo, hi) = m.interval(curve, 5.0, 0.05).unwrap();
            assert!(lo < value && value < hi, "{curve:?}");
            assert!(((lo + hi) / 2.0 - value).abs() < 1e-12 * value.max(1e-300));
        }
        let table = m.summary(0.05).unwrap();
        assert_eq!(table.len(), 2);
        assert!(
            (table[0].upper - table[0].estimate - 1.959_963_984_540_054 * table[0].std_error).abs()
                < 1e-9
        );
    }
}

#[test]
fn bad_input_is_reported_row_by_row() {
    let model = family(ParametricFamily::Weibull);
    let none = SampleWeights::default();
    let err =
        UnivariateParametric::fit(&model, &[1.0, 0.0, f64::NAN], &[true; 3], &none).unwrap_err();
    let Error::InvalidRows { issues } = err else {
        panic!("{err:?}")
    };
    assert_eq!((issues[0].row, issues[0].field), (1, "duration"));
    assert_eq!(issues[1].kind, IssueKind::NotFinite);
    let entry = [0.5, 3.0];
    let err = UnivariateParametric::fit(
        &model,
        &[1.0, 2.0],
        &[true, true],
        &SampleWeights {
            weights: None,
            entry: Some(&entry),
        },
    )
    .unwrap_err();
    assert!(
        matches!(&err, Error::InvalidRows { issues } if issues[0].row == 1 && issues[0].field == "entry")
    );
    assert_eq!(
        UnivariateParametric::fit(&model, &[], &[], &none).unwrap_err(),
        Error::EmptyInput { what: "durations" }
    );
    assert_eq!(
        UnivariateParametric::fit(&model, &[1.0, 2.0], &[false, false], &none).unwrap_err(),
        Error::EmptyInput {
            what: "observed events"
        }
    );
    assert!(matches!(
        UnivariateParametric::fit(&model, &[1.0], &[true, false], &none),
        Err(Error::LengthMismatch { .. })
    ));
    let bad_breaks = UnivariateModel::PiecewiseExponential {
        breakpoints: vec![3.0, 2.0],
    };
    assert!(matches!(
        UnivariateParametric::fit(&bad_breaks, &T, &D, &none),
        Err(Error::InvalidParameter {
            name: "breakpoints",
            ..
        })
    ));
    let m = fit(&model, &none);
    assert!(matches!(
        m.percentile(1.0),
        Err(Error::InvalidParameter { name: "p", .. })
    ));
    assert!(matches!(
        m.survival(-1.0),
        Err(Error::InvalidParameter { name: "t", .. })
    ));
    assert!(matches!(
        m.summary(0.0),
        Err(Error::InvalidParameter { name: "alpha", .. })
    ));
    let x = [0.0; 8];
    let opts = AftOptions {
        penalizer: -1.0,
        ..AftOptions::default()
    };
    assert!(matches!(
        AftModel::fit(
            ParametricFamily::Weibull,
            &T,
            &D,
            &none,
            &x,
            1,
            &[],
            0,
            &opts
        ),
        Err(Error::InvalidParameter {
            name: "penalizer",
            ..
        })
    ));
    let nan_x = [0.0, 1.0, f64::NAN, 0.0, 1.0, 0.0, 1.0, 0.0];
    let err = AftModel::fit(
        ParametricFamily::Weibull,
        &T,
        &D,
        &none,
        &nan_x,
        1,
        &[],
        0,
        &AftOptions::default(),
    )
    .unwrap_err();
    assert!(matches!(&err, Error::InvalidRows { issues } if issues[0].row == 2));
}

#[test]
fn a_constant_covariate_is_a_singular_information_matrix() {
    let x = [1.0; 8];
    let err = AftModel::fit(
        ParametricFamily::Weibull,
        &T,
        &D,
        &SampleWeights::default(),
        &x,
        1,
        &[],
        0,
        &AftOptions::default(),
    )
    .unwrap_err();
    assert!(
        matches!(
            err,
            Error::SingularMatrix { .. } | Error::NotConverged { .. }
        ),
        "{err:?}"
    );
}

fn data() -> impl Strategy<Value = Vec<(f64, bool, f64)>> {
    prop::collection::vec((0.1f64..50.0, any::<bool>(), -1.0f64..1.0), 6..40).prop_filter(
        "needs two distinct event times",
        |rows| {
            let mut ev: Vec<f64> = rows.iter().filter(|r| r.1).map(|r| r.0).collect();
            ev.sort_by(f64::total_cmp);
            ev.dedup();
            ev.len() >= 3
        },
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// With no covariates the AFT fit is the univariate fit.
    #[test]
    fn aft_without_covariates_is_the_univariate_fit(rows in data(), which in 0usize..3) {
        let f = FAMILIES[which];
        let t: Vec<f64> = rows.iter().map(|r| r.0).collect();
        let e: Vec<bool> = rows.iter().map(|r| r.1).collect();
        let none = SampleWeights::default();
        let (Ok(uni), Ok(aft)) = (
            UnivariateParametric::fit(&family(f), &t, &e, &none),
            AftModel::fit(f, &t, &e, &none, &[], 0, &[], 0, &AftOptions::default()),
        ) else {
            return Ok(());
        };
        prop_assert!((uni.log_likelihood - aft.log_likelihood).abs() < 1e-9 * uni.log_likelihood.abs().max(1.0));
        let first = if f == ParametricFamily::LogNormal { aft.coefficients[0] } else { aft.coefficients[0].exp() };
        prop_assert!((first - uni.params[0]).abs() < 1e-6 * uni.params[0].abs().max(1.0));
        prop_assert!((aft.coefficients[1].exp() - uni.params[1]).abs() < 1e-6 * uni.params[1]);
    }

    #[test]
    fn survival_decreases_and_percentile_inverts_it(rows in data(), which in 0usize..3, p in 0.01f64..0.99) {
        let f = FAMILIES[which];
        let t: Vec<f64> = rows.iter().map(|r| r.0).collect();
        let e: Vec<bool> = rows.iter().map(|r| r.1).collect();
        let x: Vec<f64> = rows.iter().map(|r| r.2).collect();
        let none = SampleWeights::default();
        if let Ok(m) = UnivariateParametric::fit(&family(f), &t, &e, &none) {
            let mut last = 1.0;
            for k in 1..40 {
                let s = m.survival(f64::from(k) * 1.5).unwrap();
                prop_assert!(s <= last + 1e-15);
                last = s;
            }
            let q = m.percentile(p).unwrap();
            prop_assert!((m.survival(q).unwrap() - p).abs() < 1e-9);
        }
        if let Ok(aft) = AftModel::fit(f, &t, &e, &none, &x, 1, &[], 0, &AftOptions::default()) {
            let q = aft.predict_percentile(&x[..1], &[], p, None).unwrap()[0];
            let s = aft.predict_survival(&x[..1], &[], &[q], None).unwrap()[0];
            prop_assert!((s - p).abs() < 1e-9);
            // Conditional on survival to 2: the remaining-time percentile
            // inverts the conditional survival.
            let after = [2.0];
            let r = aft.predict_percentile(&x[..1], &[], p, Some(&after)).unwrap()[0];
            let s = aft.predict_survival(&x[..1], &[], &[r], Some(&after)).unwrap()[0];
            prop_assert!((s - p).abs() < 1e-9);
        }
    }
}
