use super::*;

fn piecewise(breakpoints: &[f64]) -> ParametricCoxOptions {
    ParametricCoxOptions::new(PhBaselineSpec::Piecewise {
        breakpoints: breakpoints.to_vec(),
    })
}

fn spline(n: usize) -> ParametricCoxOptions {
    ParametricCoxOptions::new(PhBaselineSpec::Spline {
        n_knots: n,
        knots: None,
    })
}

/// A small sample with two covariates (deterministic, no ties with the
/// breakpoints used below).
fn sample() -> (Vec<f64>, Vec<bool>, Vec<Vec<f64>>) {
    let n = 60;
    let mut d = Vec::new();
    let mut e = Vec::new();
    let mut x1 = Vec::new();
    let mut x2 = Vec::new();
    for i in 0..n {
        let a = (i % 7) as f64 / 3.0;
        let b = if i % 3 == 0 { 1.0 } else { 0.0 };
        let u = ((i * 37 + 11) % 97) as f64 / 97.0 + 0.005;
        // Exponential-ish times depending on the covariates.
        let t = -u.ln() * (1.0 + 0.4 * a) * if b > 0.0 { 0.6 } else { 1.0 } * 10.0 + 0.05;
        d.push((t * 1000.0).round() / 1000.0 + 0.0001);
        e.push(i % 4 != 0);
        x1.push(a);
        x2.push(b);
    }
    (d, e, vec![x1, x2])
}

#[test]
fn piecewise_without_covariates_is_events_over_exposure() {
    let d = [1.0, 2.5, 3.0, 4.0, 6.0, 7.5, 9.0, 12.0];
    let e = [true, false, true, true, false, true, true, false];
    let m = ParametricCoxModel::fit(&d, &e, &[], Default::default(), &piecewise(&[5.0])).unwrap();
    // Piece [0, 5): 3 events, exposure 1 + 2.5 + 3 + 4 + 5·4 = 30.5.
    // Piece [5, ∞): 2 events, exposure 1 + 2.5 + 4 + 7 = 14.5.
    let r0: f64 = 3.0 / 30.5;
    let r1: f64 = 2.0 / 14.5;
    assert!((m.params[0] - r0.ln()).abs() < 1e-8, "{:?}", m.params);
    assert!((m.params[1] - (r1 / r0).ln()).abs() < 1e-8);
    // Observed information: se(log r0) = 1/√3, se(log r1/r0) = √(1/2 + 1/3).
    assert!((m.standard_errors[0] - (1.0f64 / 3.0).sqrt()).abs() < 1e-7);
    assert!((m.standard_errors[1] - (0.5f64 + 1.0 / 3.0).sqrt()).abs() < 1e-7);
    let ll = 3.0 * r0.ln() - r0 * 30.5 + 2.0 * r1.ln() - r1 * 14.5;
    assert!((m.log_likelihood - ll).abs() < 1e-9);
    assert!((m.aic() - (-2.0 * ll + 4.0)).abs() < 1e-8);
}

#[test]
fn gradient_vanishes_at_the_optimum() {
    let (d, e, x) = sample();
    for opts in [piecewise(&[3.0, 8.0]), spline(3)] {
        let m = ParametricCoxModel::fit(&d, &e, &x, Default::default(), &opts).unwrap();
        let data = Data {
            durations: &d,
            events: &e,
            covariates: &x,
            weights: None,
            entries: None,
            strata: None,
            lower: None,
        };
        for j in 0..m.params.len() {
            let h = 1e-6;
            let mut up = m.params.clone();
            let mut dn = m.params.clone();
            up[j] += h;
            dn[j] -= h;
            let g = (log_likelihood(&m.baseline, m.layout(), &up, &data)
                - log_likelihood(&m.baseline, m.layout(), &dn, &data))
                / (2.0 * h);
            assert!(g.abs() < 1e-5, "parameter {j}: gradient {g}");
        }
        assert!(m.log_likelihood < 0.0);
        assert!(m.log_likelihood >= m.null_log_likelihood);
    }
}

#[test]
fn weights_equal_duplicated_rows_and_zero_entries_change_nothing() {
    let (d, e, x) = sample();
    let mut w = vec![1.0; d.len()];
    w[0] = 2.0;
    w[5] = 3.0;
    let mut d2 = d.clone();
    let mut e2 = e.clone();
    let mut x2 = x.clone();
    for (i, k) in [(0usize, 1usize), (5, 2)] {
        for _ in 0..k {
            d2.push(d[i]);
            e2.push(e[i]);
            for (c, col) in x2.iter_mut().enumerate() {
                col.push(x[c][i]);
            }
        }
    }
    let opts = spline(2);
    // Knots depend on the unweighted events: give the same knots to both.
    let knots = match ParametricCoxModel::fit(&d2, &e2, &x2, Default::default(), &opts)
        .unwrap()
        .baseline
    {
        PhBaseline::Spline { knots, .. } => knots,
        _ => unreachable!(),
    };
    let fixed = ParametricCoxOptions::new(PhBaselineSpec::Spline {
        n_knots: 2,
        knots: Some(knots),
    });
    let rows = ParametricCoxRows {
        weights: Some(&w),
        ..Default::default()
    };
    let a = ParametricCoxModel::fit(&d, &e, &x, rows, &fixed).unwrap();
    let b = ParametricCoxModel::fit(&d2, &e2, &x2, Default::default(), &fixed).unwrap();
    for (p, q) in a.params.iter().zip(&b.params) {
        assert!((p - q).abs() < 1e-7);
    }
    assert!((a.log_likelihood - b.log_likelihood).abs() < 1e-8);
    let zeros = vec![0.0; d.len()];
    let c = ParametricCoxModel::fit(
        &d,
        &e,
        &x,
        ParametricCoxRows {
            entries: Some(&zeros),
            ..Default::default()
        },
        &spline(2),
    )
    .unwrap();
    let plain = ParametricCoxModel::fit(&d, &e, &x, Default::default(), &spline(2)).unwrap();
    assert_eq!(c.params, plain.params);
}

#[test]
fn rescaling_a_covariate_rescales_its_coefficient() {
    let (d, e, mut x) = sample();
    let opts = piecewise(&[4.0]);
    let a = ParametricCoxModel::fit(&d, &e, &x, Default::default(), &opts).unwrap();
    x[0].iter_mut().for_each(|v| *v *= 10.0);
    let b = ParametricCoxModel::fit(&d, &e, &x, Default::default(), &opts).unwrap();
    assert!((a.params[0] - 10.0 * b.params[0]).abs() < 1e-7);
    assert!((a.log_likelihood - b.log_likelihood).abs() < 1e-8);
    // A larger penalty shrinks the covariates and lowers the likelihood.
    let mut pen = opts.clone();
    pen.penalizer = 0.5;
    let c = ParametricCoxModel::fit(&d, &e, &x, Default::default(), &pen).unwrap();
    assert!(c.params[0].abs() < b.params[0].abs());
    assert!(c.log_likelihood < b.log_likelihood);
}

#[test]
fn strata_get_their_own_baseline() {
    let (d, e, x) = sample();
    let s: Vec<u32> = (0..d.len() as u32).map(|i| (i % 2) * 5).collect();
    let rows = ParametricCoxRows {
        strata: Some(&s),
        ..Default::default()
    };
    let m = ParametricCoxModel::fit(&d, &e, &x, rows, &spline(2)).unwrap();
    assert_eq!(m.strata, vec![0, 5]);
    assert_eq!(m.params.len(), 2 + 1 + 2 * 2);
    let times = [1.0, 5.0];
    let h = m
        .cumulative_hazard(
            &[vec![0.0, 0.0], vec![0.0, 0.0]],
            2,
            Some(&[0, 5]),
            &times,
            None,
        )
        .unwrap();
    assert_eq!(h.len(), 4);
    assert!(h.iter().all(|v| *v > 0.0));
    let err = m
        .cumulative_hazard(&[vec![0.0], vec![0.0]], 1, Some(&[3]), &times, None)
        .unwrap_err();
    assert!(matches!(err, Error::InvalidRows { .. }));
}

#[test]
fn predictions_are_consistent() {
    let (d, e, x) = sample();
    let m = ParametricCoxModel::fit(&d, &e, &x, Default::default(), &spline(3)).unwrap();
    let cols = vec![vec![1.0, 2.0], vec![0.0, 1.0]];
    let times: Vec<f64> = (1..=40).map(|i| i as f64 * 0.5).collect();
    let h = m.cumulative_hazard(&cols, 2, None, &times, None).unwrap();
    let hz = m.hazard(&cols, 2, None, &times, None).unwrap();
    // The hazard is the derivative of the cumulative hazard.
    for j in 1..times.len() - 1 {
        for i in 0..2 {
            let num = (h[(j + 1) * 2 + i] - h[(j - 1) * 2 + i]) / (times[j + 1] - times[j - 1]);
            assert!((num - hz[j * 2 + i]).abs() < 0.02 * hz[j * 2 + i] + 1e-6);
        }
    }
    let med = m.percentile(&cols, 2, None, &times, 0.5, None).unwrap();
    for (i, &t) in med.iter().enumerate() {
        if t.is_finite() {
            let j = times.iter().position(|&u| u == t).unwrap();
            assert!((-h[j * 2 + i]).exp() <= 0.5);
            assert!(j == 0 || (-h[(j - 1) * 2 + i]).exp() > 0.5);
        }
    }
    // Conditional on survival to c: H(c + t) − H(c).
    let c = [2.0, 2.0];
    let hc = m
        .cumulative_hazard(&cols, 2, None, &[0.0, 3.0], Some(&c))
        .unwrap();
    let direct = m
        .cumulative_hazard(&cols, 2, None, &[2.0, 5.0], None)
        .unwrap();
    assert!(hc[0].abs() < 1e-15);
    assert!((hc[2] - (direct[2] - direct[0])).abs() < 1e-12);
}

#[test]
fn bad_input_is_rejected() {
    let d = [1.0, -2.0, 3.0];
    let e = [true, true, false];
    let err =
        ParametricCoxModel::fit(&d, &e, &[], Default::default(), &piecewise(&[2.0])).unwrap_err();
    assert!(matches!(err, Error::InvalidRows { .. }));
    let d = [1.0, 2.0, 3.0];
    let err = ParametricCoxModel::fit(&d, &e, &[], Default::default(), &piecewise(&[2.0, 1.0]))
        .unwrap_err();
    assert!(matches!(err, Error::InvalidParameter { .. }));
    let err = ParametricCoxModel::fit(&d, &e, &[], Default::default(), &spline(1)).unwrap_err();
    assert!(matches!(err, Error::InvalidParameter { .. }));
    let mut opts = piecewise(&[2.0]);
    opts.max_iterations = 0;
    let err = ParametricCoxModel::fit(&d, &e, &[], Default::default(), &opts).unwrap_err();
    assert!(matches!(err, Error::NotConverged { .. }));
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(200))]
    /// Without covariates the piecewise model's rates are the events over the
    /// exposure of each piece (weighted), and the intercept's standard error
    /// is `1/√(events in the first piece)`.
    #[test]
    fn piecewise_rates_are_events_over_exposure(
        rows in proptest::collection::vec((1u32..400, proptest::bool::ANY, 1u32..4), 4..60),
        cut in 50u32..300,
    ) {
        // Durations x.25 never equal the breakpoint (a whole number).
        let d: Vec<f64> = rows.iter().map(|r| r.0 as f64 / 10.0 + 0.025).collect();
        let mut e: Vec<bool> = rows.iter().map(|r| r.1).collect();
        let w: Vec<f64> = rows.iter().map(|r| r.2 as f64).collect();
        let b = cut as f64 / 10.0;
        // At least one event on each side.
        let first = d.iter().position(|&t| t < b);
        let second = d.iter().position(|&t| t > b);
        proptest::prop_assume!(first.is_some() && second.is_some());
        e[first.unwrap()] = true;
        e[second.unwrap()] = true;
        let (mut d0, mut x0, mut d1, mut x1) = (0.0, 0.0, 0.0, 0.0);
        for i in 0..d.len() {
            x0 += w[i] * d[i].min(b);
            x1 += w[i] * (d[i] - b).max(0.0);
            if e[i] {
                if d[i] < b { d0 += w[i] } else { d1 += w[i] }
            }
        }
        let rows = ParametricCoxRows { weights: Some(&w), ..Default::default() };
        let m = ParametricCoxModel::fit(&d, &e, &[], rows, &piecewise(&[b])).unwrap();
        let (r0, r1) = (d0 / x0, d1 / x1);
        proptest::prop_assert!((m.params[0] - r0.ln()).abs() < 1e-7);
        proptest::prop_assert!((m.params[1] - (r1 / r0).ln()).abs() < 1e-7);
        proptest::prop_assert!((m.standard_errors[0] - 1.0 / d0.sqrt()).abs() < 1e-6);
        let ll = d0 * r0.ln() - r0 * x0 + d1 * r1.ln() - r1 * x1;
        proptest::prop_assert!((m.log_likelihood - ll).abs() < 1e-7 * (1.0 + ll.abs()));
    }
}

#[test]
fn interval_censoring_reduces_to_right_censoring_and_is_stationary() {
    let (d, e, x) = sample();
    // Right censoring written as intervals (lower = T, upper = ∞).
    let upper: Vec<f64> = d
        .iter()
        .zip(&e)
        .map(|(&t, &ev)| if ev { t } else { f64::INFINITY })
        .collect();
    for opts in [piecewise(&[3.0, 8.0]), spline(3)] {
        let knots_free = ParametricCoxModel::fit(&d, &e, &x, Default::default(), &opts).unwrap();
        let fixed = match (&knots_free.baseline, &opts.baseline) {
            (PhBaseline::Spline { knots, n_phi }, _) => {
                ParametricCoxOptions::new(PhBaselineSpec::Spline {
                    n_knots: *n_phi,
                    knots: Some(knots.clone()),
                })
            }
            _ => opts.clone(),
        };
        let a = ParametricCoxModel::fit(&d, &e, &x, Default::default(), &fixed).unwrap();
        let b = ParametricCoxModel::fit_interval(&d, &upper, &e, &x, Default::default(), &fixed)
            .unwrap();
        for (p, q) in a.params.iter().zip(&b.params) {
            assert!((p - q).abs() < 1e-7, "{p} {q}");
        }
        assert!((a.log_likelihood - b.log_likelihood).abs() < 1e-8);
    }
    // Genuine intervals: the analytic derivatives lead to a stationary point.
    let lower: Vec<f64> = d.iter().map(|t| t * 0.5).collect();
    let upper: Vec<f64> = d.iter().map(|t| t * 1.5).collect();
    let none = vec![false; d.len()];
    let m =
        ParametricCoxModel::fit_interval(&lower, &upper, &none, &x, Default::default(), &spline(2))
            .unwrap();
    let data = Data {
        durations: &upper,
        events: &none,
        covariates: &x,
        weights: None,
        entries: None,
        strata: None,
        lower: Some(&lower),
    };
    for j in 0..m.params.len() {
        let h = 1e-6;
        let mut up = m.params.clone();
        let mut dn = m.params.clone();
        up[j] += h;
        dn[j] -= h;
        let g = (log_likelihood(&m.baseline, m.layout(), &up, &data)
            - log_likelihood(&m.baseline, m.layout(), &dn, &data))
            / (2.0 * h);
        assert!(g.abs() < 1e-5, "parameter {j}: gradient {g}");
    }
    let left =
        ParametricCoxModel::fit_left_censored(&d, &e, &x, Default::default(), &piecewise(&[4.0]));
    assert!(left.is_ok());
}
