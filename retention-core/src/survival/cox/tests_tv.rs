//! Entry times (left truncation, `(start, stop]` rows) and per-covariate
//! penalties: hand-checked cases and properties.

use super::fit::Design;
use super::tests::exact_options;
use super::*;
use proptest::prelude::*;

/// Without covariates the Breslow baseline is the Nelson–Aalen estimator
/// with left truncation: events over the rows with `entry < t ≤ duration`.
/// Rows (entry, duration]: (0,2] (2.5,3] (0,4] (3,5], all events; at t = 2
/// rows 0 and 2 are at risk, at 3 rows 1 and 2 (row 3 enters at 3, not
/// before), at 4 rows 2 and 3, at 5 row 3 alone.
#[test]
fn baseline_without_covariates_is_truncated_nelson_aalen() {
    let d = [2.0, 3.0, 4.0, 5.0];
    let entries = [0.0, 2.5, 0.0, 3.0];
    let rows = CoxRows {
        entries: Some(&entries),
        ..Default::default()
    };
    let none: [&[f64]; 0] = [];
    let m = CoxModel::fit_with(&d, &[true; 4], &none, rows, &CoxOptions::default()).unwrap();
    assert_eq!(m.baseline.times, vec![2.0, 3.0, 4.0, 5.0]);
    assert_eq!(m.baseline.hazard, vec![0.5, 0.5, 0.5, 1.0]);
    // ℓ(0) = −Σ log(at risk) = −3 log 2.
    assert!((m.log_likelihood + 3.0 * 2f64.ln()).abs() < 1e-15);
}

/// One covariate, rows (entry, duration, event, x): (0,1,1,1) (0,2,1,0)
/// (1.5,3,1,1) (0,4,0,0). Risk sets: t=1 {0,1,3} (row 2 enters at 1.5),
/// t=2 {1,2,3}, t=3 {2,3}, so
/// ℓ(β) = β − log(e^β + 2) − log(e^β + 2) + β − log(e^β + 1).
#[test]
fn entries_shape_the_risk_sets() {
    let d = [1.0, 2.0, 3.0, 4.0];
    let e = [true, true, true, false];
    let x = [1.0, 0.0, 1.0, 0.0];
    let entries = [0.0, 0.0, 1.5, 0.0];
    let rows = CoxRows {
        entries: Some(&entries),
        ..Default::default()
    };
    let m = CoxModel::fit_with(&d, &e, &[&x[..]], rows, &exact_options()).unwrap();
    let ll = |b: f64| 2.0 * b - 2.0 * (b.exp() + 2.0).ln() - (b.exp() + 1.0).ln();
    let score = |b: f64| 2.0 - 2.0 * b.exp() / (b.exp() + 2.0) - b.exp() / (b.exp() + 1.0);
    // Solve the score equation by bisection.
    let (mut lo, mut hi) = (-10.0_f64, 10.0_f64);
    for _ in 0..200 {
        let mid = 0.5 * (lo + hi);
        if score(mid) > 0.0 {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    let best = 0.5 * (lo + hi);
    assert!((m.coefficients[0] - best).abs() < 1e-7, "{m:?} vs {best}");
    assert!((m.log_likelihood - ll(best)).abs() < 1e-12);
    assert!((m.null_log_likelihood - ll(0.0)).abs() < 1e-12);
}

#[test]
fn entry_and_penalizer_errors() {
    let d = [1.0, 2.0, 3.0];
    let e = [true, true, false];
    let x = [0.5, 1.0, -1.0];
    let opts = CoxOptions::default();
    let fit = |rows: CoxRows<'_>, o: &CoxOptions| CoxModel::fit_with(&d, &e, &[&x[..]], rows, o);
    // An event at its own entry time, an entry after a censoring, a NaN entry.
    let bad = [1.0, 2.5, f64::NAN];
    let err = fit(
        CoxRows {
            entries: Some(&bad),
            ..Default::default()
        },
        &opts,
    )
    .unwrap_err();
    let Error::InvalidRows { issues } = err else {
        panic!("wrong variant")
    };
    assert_eq!(issues.len(), 3);
    assert!(issues.iter().all(|i| i.field == "entry"));
    assert_eq!(issues[0].row, 0);
    // A censored row may end where it starts (it is never at risk).
    let d = [1.0, 2.0, 3.0, 4.0, 5.0];
    let e = [true, false, true, true, false];
    let x = [0.5, 1.0, -1.0, 0.2, 0.7];
    let fit = |rows: CoxRows<'_>, o: &CoxOptions| CoxModel::fit_with(&d, &e, &[&x[..]], rows, o);
    let entries = [0.0, 0.0, 0.0, 0.0, 5.0];
    let rows = CoxRows {
        entries: Some(&entries),
        ..Default::default()
    };
    assert!(fit(rows, &opts).is_ok());
    let robust = CoxOptions {
        robust: true,
        ..opts
    };
    assert!(matches!(
        fit(rows, &robust),
        Err(Error::InvalidParameter { name: "robust", .. })
    ));
    assert!(matches!(
        fit(
            CoxRows {
                entries: Some(&[0.0]),
                ..Default::default()
            },
            &opts
        ),
        Err(Error::LengthMismatch {
            field: "entries",
            ..
        })
    ));
    assert!(matches!(
        fit(
            CoxRows {
                penalizers: Some(&[0.1, 0.1]),
                ..Default::default()
            },
            &opts
        ),
        Err(Error::LengthMismatch {
            field: "penalizers",
            ..
        })
    ));
    assert!(matches!(
        fit(
            CoxRows {
                penalizers: Some(&[-0.1]),
                ..Default::default()
            },
            &opts
        ),
        Err(Error::InvalidParameter {
            name: "penalizer",
            ..
        })
    ));
    // Residuals are not defined here with entry times.
    let m = fit(rows, &opts).unwrap();
    assert!(matches!(
        m.residuals(&d, &e, &[&x[..]], rows, CoxResidualKind::Martingale),
        Err(Error::InvalidParameter {
            name: "entries",
            ..
        })
    ));
}

/// Only the order of the times matters: shifting every time (here to
/// negative values) changes nothing but the baseline's time grid.
#[test]
fn shifted_negative_durations_fit_the_same() {
    let d = [5.0, 3.0, 9.0, 1.0, 7.0, 4.0, 4.0];
    let e = [true, false, true, true, false, true, true];
    let x = [0.3, -1.0, 2.0, 0.5, 1.5, -0.2, 0.9];
    let shifted: Vec<f64> = d.iter().map(|t| t - 20.0).collect();
    let a = CoxModel::fit(&d, &e, &[&x[..]], &CoxOptions::default()).unwrap();
    let b = CoxModel::fit(&shifted, &e, &[&x[..]], &CoxOptions::default()).unwrap();
    assert_eq!(a.coefficients, b.coefficients);
    assert_eq!(a.baseline.hazard, b.baseline.hazard);
    assert_eq!(a.concordance, b.concordance);
}

fn close(a: f64, b: f64, tol: f64) -> bool {
    (a - b).abs() <= tol * (1.0 + a.abs().max(b.abs()))
}

/// Durations (1..=12, ties likely), events, one integer covariate and a
/// cut fraction per subject.
fn subjects() -> impl Strategy<Value = Vec<(f64, bool, f64, f64)>> {
    prop::collection::vec((1u8..13, any::<bool>(), -3i8..4, 0.05f64..0.95), 6..40).prop_map(|v| {
        v.into_iter()
            .map(|(d, e, x, c)| (f64::from(d), e, f64::from(x), c))
            .collect()
    })
}

proptest! {
    /// The elastic-net schedule with no L1 part reaches the ridge optimum
    /// (to its stopping rule: a relative change of the objective below 1e-9
    /// stops it about √1e-9 away); a pure lasso with a huge penalty shrinks
    /// every coefficient to about 0 (the smoothed |β| leaves them at the
    /// scale of the score over `n c`).
    #[test]
    fn elastic_net_without_l1_is_the_ridge_fit(data in subjects(), c in 0.01f64..0.5) {
        let d: Vec<f64> = data.iter().map(|s| s.0).collect();
        let e: Vec<bool> = data.iter().map(|s| s.1).collect();
        let x: Vec<f64> = data.iter().map(|s| s.2).collect();
        let x2: Vec<f64> = data.iter().map(|s| s.3).collect();
        let ridge = CoxOptions { penalizer: c, ..Default::default() };
        let Ok(a) = CoxModel::fit(&d, &e, &[&x[..], &x2[..]], &ridge) else {
            return Ok(());
        };
        let design = Design::build(&d, &e, &[&x[..], &x2[..]], &a.means, &a.std_devs, &CoxRows::default());
        let options = CoxOptions { tolerance: 1e-12, max_iterations: 500, ..ridge };
        let fit = super::elastic::elastic_net_newton(&design, &options, &[c, c], 0.0, &[]).unwrap();
        for (j, b) in fit.beta.iter().enumerate() {
            prop_assert!(close(b / a.std_devs[j], a.coefficients[j], 1e-3));
        }
        prop_assert!(close(fit.eval.ll, a.log_likelihood, 1e-8));
        let lasso = CoxOptions { penalizer: 1e3, l1_ratio: 1.0, ..Default::default() };
        if let Ok(m) = CoxModel::fit(&d, &e, &[&x[..], &x2[..]], &lasso) {
            prop_assert!(m.coefficients.iter().all(|b| b.abs() < 1e-3));
        }
    }

    /// Entry times below every duration change nothing; splitting each
    /// subject's (0, t] into (0, c] (censored) and (c, t] with the same
    /// covariate changes neither the coefficients, their standard errors,
    /// the log-likelihood nor the baseline at the original times.
    #[test]
    fn one_interval_per_subject_and_split_rows_equal_the_plain_fit(data in subjects()) {
        let d: Vec<f64> = data.iter().map(|s| s.0).collect();
        let e: Vec<bool> = data.iter().map(|s| s.1).collect();
        let x: Vec<f64> = data.iter().map(|s| s.2).collect();
        // Separated samples have no maximum to compare.
        match CoxModel::fit(&d, &e, &[&x[..]], &CoxOptions::default()) {
            Ok(m) if m.warnings.is_empty() => {}
            _ => return Ok(()),
        }
        // Different rows take different paths: compare the maxima, not
        // where lifelines' stopping rules leave each path.
        let opts = exact_options();
        let plain = CoxModel::fit(&d, &e, &[&x[..]], &opts).unwrap();
        let zeros = vec![0.0; d.len()];
        let rows = CoxRows { entries: Some(&zeros), ..Default::default() };
        let same = CoxModel::fit_with(&d, &e, &[&x[..]], rows, &opts).unwrap();
        prop_assert!(close(same.coefficients[0], plain.coefficients[0], 1e-12));
        prop_assert!(close(same.log_likelihood, plain.log_likelihood, 1e-12));
        prop_assert_eq!(&same.baseline.times, &plain.baseline.times);

        let (mut ds, mut es, mut xs, mut starts) = (vec![], vec![], vec![], vec![]);
        for s in &data {
            let cut = s.0 * s.3;
            ds.extend([cut, s.0]);
            es.extend([false, s.1]);
            xs.extend([s.2, s.2]);
            starts.extend([0.0, cut]);
        }
        let rows = CoxRows { entries: Some(&starts), ..Default::default() };
        let split = CoxModel::fit_with(&ds, &es, &[&xs[..]], rows, &opts).unwrap();
        prop_assert!(close(split.coefficients[0], plain.coefficients[0], 1e-7));
        prop_assert!(close(split.log_likelihood, plain.log_likelihood, 1e-9));
        prop_assert!(close(split.null_log_likelihood, plain.null_log_likelihood, 1e-9));
        // The covariate's spread differs (rows repeat), so compare the
        // coefficient's information, not its standardised form.
        prop_assert!(close(split.standard_errors[0], plain.standard_errors[0], 1e-6));
        let hs = split.baseline.cumulative_hazard();
        let hp = plain.baseline.cumulative_hazard();
        for (k, t) in plain.baseline.times.iter().enumerate() {
            let j = split.baseline.times.iter().position(|u| u == t).unwrap();
            prop_assert!(close(hs[j], hp[k], 1e-7), "t = {}: {} vs {}", t, hs[j], hp[k]);
        }
    }

    /// Starting elsewhere reaches the same (smooth) optimum and the same
    /// null log-likelihood.
    #[test]
    fn initial_point_does_not_change_the_ridge_fit(data in subjects(), b0 in -1.0f64..1.0) {
        let d: Vec<f64> = data.iter().map(|s| s.0).collect();
        let e: Vec<bool> = data.iter().map(|s| s.1).collect();
        let x: Vec<f64> = data.iter().map(|s| s.2).collect();
        let opts = CoxOptions { penalizer: 0.05, ..exact_options() };
        let Ok(a) = CoxModel::fit(&d, &e, &[&x[..]], &opts) else {
            return Ok(());
        };
        let start = [b0];
        let rows = CoxRows { initial_point: Some(&start), ..Default::default() };
        let b = CoxModel::fit_with(&d, &e, &[&x[..]], rows, &opts).unwrap();
        prop_assert!(close(a.coefficients[0], b.coefficients[0], 1e-8));
        prop_assert_eq!(a.null_log_likelihood, b.null_log_likelihood);
        let bad = CoxRows { initial_point: Some(&[0.0, 1.0]), ..Default::default() };
        let is_length_error = matches!(
            CoxModel::fit_with(&d, &e, &[&x[..]], bad, &opts),
            Err(Error::LengthMismatch { field: "initial_point", .. })
        );
        prop_assert!(is_length_error);
    }

    /// A penalty per covariate equal to the scalar penalty is the scalar
    /// penalty; a zero penalty on one covariate is no penalty on it.
    #[test]
    fn per_covariate_penalties_generalise_the_scalar(data in subjects(), c in 0.01f64..1.0) {
        let d: Vec<f64> = data.iter().map(|s| s.0).collect();
        let e: Vec<bool> = data.iter().map(|s| s.1).collect();
        let x: Vec<f64> = data.iter().map(|s| s.2).collect();
        let x2: Vec<f64> = data.iter().map(|s| s.3).collect();
        let scalar = CoxOptions { penalizer: c, ..Default::default() };
        let Ok(a) = CoxModel::fit(&d, &e, &[&x[..], &x2[..]], &scalar) else {
            return Ok(());
        };
        let both = [c, c];
        let rows = CoxRows { penalizers: Some(&both), ..Default::default() };
        let b = CoxModel::fit_with(&d, &e, &[&x[..], &x2[..]], rows, &CoxOptions::default()).unwrap();
        prop_assert_eq!(&a.coefficients, &b.coefficients);
        prop_assert_eq!(a.log_likelihood, b.log_likelihood);
        let zero = [0.0, 0.0];
        let rows = CoxRows { penalizers: Some(&zero), ..Default::default() };
        if let (Ok(u), Ok(v)) = (
            CoxModel::fit_with(&d, &e, &[&x[..], &x2[..]], rows, &CoxOptions::default()),
            CoxModel::fit(&d, &e, &[&x[..], &x2[..]], &CoxOptions::default()),
        ) {
            prop_assert_eq!(&u.coefficients, &v.coefficients);
        }
    }
}

/// Given survival to `s`, the cumulative hazard restarts at `s`:
/// `H(t | s) = max(0, H₀(s + t) − H₀(s))`, here without covariates so
/// `H₀` is the Nelson–Aalen estimate 1/4, 1/4 + 1/3, … at 1, 2, 3, 4.
#[test]
fn conditional_after_restarts_the_clock() {
    let none: [&[f64]; 0] = [];
    let m = CoxModel::fit(
        &[1.0, 2.0, 3.0, 4.0],
        &[true; 4],
        &none,
        &CoxOptions::default(),
    )
    .unwrap();
    let h = m
        .predict_cumulative_hazard(&none, 2, None, &[0.0, 1.0, 2.5], Some(&[1.0, 3.0]))
        .unwrap();
    let h0 = [
        0.25,
        0.25 + 1.0 / 3.0,
        0.25 + 1.0 / 3.0 + 0.5,
        0.25 + 1.0 / 3.0 + 1.5,
    ];
    // Rows are times, columns subjects (s = 1, s = 3).
    let expected = [
        0.0,
        0.0,
        h0[1] - h0[0],
        h0[3] - h0[2],
        0.5 * (h0[2] + h0[3]) - h0[0],
        0.0 + h0[3] - h0[2],
    ];
    for (a, b) in h.iter().zip(&expected) {
        assert!((a - b).abs() < 1e-12, "{h:?} vs {expected:?}");
    }
    let p = m
        .predict_percentile(
            &none,
            2,
            None,
            &[0.0, 1.0, 2.0, 3.0],
            0.5,
            Some(&[1.0, 3.0]),
        )
        .unwrap();
    // exp(−(h0[1] − h0[0])) = exp(−1/3) > 0.5 ≥ exp(−(h0[2] − h0[0])) = exp(−5/6).
    assert_eq!(p[0], 2.0);
    assert!(matches!(
        m.predict_cumulative_hazard(&none, 2, None, &[1.0], Some(&[1.0])),
        Err(Error::LengthMismatch {
            field: "conditional_after",
            ..
        })
    ));
}
