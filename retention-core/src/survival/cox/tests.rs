//! Hand-checked Cox fits.

use super::*;

/// Options that iterate to the maximum itself rather than stop on
/// lifelines' rules (relative change of ℓ off, Newton decrement below
/// 1e-20, i.e. a last step of about 1e-10): for checks against a maximiser
/// computed by hand.
pub(super) fn exact_options() -> CoxOptions {
    CoxOptions {
        tolerance: 1e-20,
        r_precision: 0.0,
        ..Default::default()
    }
}

/// One binary covariate, no ties: the Cox score equation has a closed
/// form check. Subjects (time, event, x): (1,1,1) (2,1,0) (3,1,1) (4,1,0).
/// ℓ(β) = β − log(2e^β + 2) + 0 − log(e^β + 2) + β − log(e^β + 1) + 0.
#[test]
fn single_binary_covariate_matches_direct_maximisation() {
    let d = [1.0, 2.0, 3.0, 4.0];
    let e = [true; 4];
    let x = [1.0, 0.0, 1.0, 0.0];
    let m = CoxModel::fit(&d, &e, &[&x[..]], &exact_options()).unwrap();
    let ll =
        |b: f64| 2.0 * b - (2.0 * b.exp() + 2.0).ln() - (b.exp() + 2.0).ln() - (b.exp() + 1.0).ln();
    // Golden-section search for the maximiser.
    let (mut lo, mut hi) = (-5.0_f64, 5.0_f64);
    let g = (5.0_f64.sqrt() - 1.0) / 2.0;
    for _ in 0..200 {
        let a = hi - g * (hi - lo);
        let b = lo + g * (hi - lo);
        if ll(a) > ll(b) {
            hi = b;
        } else {
            lo = a;
        }
    }
    let best = 0.5 * (lo + hi);
    assert!((m.coefficients[0] - best).abs() < 1e-7, "{m:?} vs {best}");
    assert!((m.log_likelihood - ll(best)).abs() < 1e-12);
    assert!((m.null_log_likelihood - ll(0.0)).abs() < 1e-12);
    // Observed information by finite differences of the log-likelihood.
    let h = 1e-4;
    let info = -(ll(best + h) - 2.0 * ll(best) + ll(best - h)) / (h * h);
    assert!((m.standard_errors[0] - info.sqrt().recip()).abs() < 1e-5);
}

#[test]
fn efron_and_breslow_agree_without_ties() {
    let d = [5.0, 3.0, 9.0, 1.0, 7.0, 4.0];
    let e = [true, false, true, true, true, true];
    let x = [0.3, 1.2, -0.5, 2.0, 0.1, -1.0];
    let efron = CoxModel::fit(&d, &e, &[&x[..]], &CoxOptions::default()).unwrap();
    let breslow = CoxModel::fit(
        &d,
        &e,
        &[&x[..]],
        &CoxOptions {
            ties: CoxTies::Breslow,
            ..Default::default()
        },
    )
    .unwrap();
    assert!((efron.coefficients[0] - breslow.coefficients[0]).abs() < 1e-12);
    assert!((efron.log_likelihood - breslow.log_likelihood).abs() < 1e-12);
}

#[test]
fn typed_errors() {
    let d = [1.0, 2.0, 3.0];
    let e = [true, true, false];
    let ok = [0.5, 1.0, -1.0];
    let constant = [2.0; 3];
    assert!(matches!(
        CoxModel::fit(&d, &e, &[&constant[..]], &CoxOptions::default()),
        Err(Error::SingularMatrix { index: 0, .. })
    ));
    assert!(matches!(
        CoxModel::fit(&d, &e, &[&ok[..], &ok[..]], &CoxOptions::default()),
        Err(Error::SingularMatrix { index: 1, .. })
    ));
    assert!(matches!(
        CoxModel::fit(&d, &[false; 3], &[&ok[..]], &CoxOptions::default()),
        Err(Error::EmptyInput { .. })
    ));
    assert!(matches!(
        CoxModel::fit(&d, &e, &[&ok[..2]], &CoxOptions::default()),
        Err(Error::LengthMismatch {
            field: "covariates",
            ..
        })
    ));
    assert!(matches!(
        CoxModel::fit_with(
            &d,
            &e,
            &[&ok[..]],
            CoxRows {
                weights: Some(&[1.0, 0.0, -1.0]),
                ..Default::default()
            },
            &CoxOptions::default()
        ),
        Err(Error::InvalidRows { issues }) if issues.len() == 2
    ));
    let bad = [f64::NAN, 1.0, f64::INFINITY];
    let err = CoxModel::fit(
        &[f64::NAN, 2.0, 3.0],
        &e,
        &[&bad[..]],
        &CoxOptions::default(),
    )
    .unwrap_err();
    let Error::InvalidRows { issues } = err else {
        panic!("wrong variant")
    };
    assert_eq!(issues.len(), 3);
    assert!(matches!(
        CoxModel::fit(
            &d,
            &e,
            &[&ok[..]],
            &CoxOptions {
                penalizer: -1.0,
                ..Default::default()
            }
        ),
        Err(Error::InvalidParameter {
            name: "penalizer",
            ..
        })
    ));
}

/// Higher x always fails first: the likelihood `ℓ(β)` increases towards
/// its supremum 0 as `β → ∞` and has no maximum. With one binary-free
/// covariate in standardised units `z`, each event's term is
/// `−log(1 + Σ_{later} e^{β(zₖ − zᵢ)})`, so ℓ → 0 from below.
#[test]
fn complete_separation_stops_with_a_large_finite_coefficient() {
    let d = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0];
    let e = [true; 6];
    let x = [6.0, 5.0, 4.0, 3.0, 2.0, 1.0];
    let m = CoxModel::fit(&d, &e, &[&x[..]], &CoxOptions::default()).unwrap();
    // Stopped by |ℓ| < 1e-4 with a step still above 1 (lifelines' rule).
    assert!(m.log_likelihood < 0.0 && m.log_likelihood > -1e-4, "{m:?}");
    let [FitWarning::MonotoneLikelihood {
        log_likelihood,
        norm_delta,
    }] = m.warnings[..]
    else {
        panic!("{:?}", m.warnings)
    };
    assert_eq!(log_likelihood, m.log_likelihood);
    assert!(norm_delta > 1.0);
    assert_eq!(m.warnings[0].kind(), "monotone_likelihood");
    assert!(m.coefficients[0] > 5.0 && m.coefficients[0].is_finite());
    assert!(m.standard_errors[0].is_finite() && m.standard_errors[0] > 10.0);
    // The log-likelihood is the hand formula at the estimate.
    let b = m.coefficients[0];
    let ll: f64 = (0..6)
        .map(|i| -(i..6).map(|k| (b * (x[k] - x[i])).exp()).sum::<f64>().ln())
        .sum();
    assert!(
        (ll / m.log_likelihood - 1.0).abs() < 1e-9,
        "{ll} vs {}",
        m.log_likelihood
    );
    // The trace has one line per iteration, the first at β = 0 with the
    // initial step size, and ℓ increases along it.
    assert_eq!(m.trace.len(), m.iterations);
    assert_eq!(m.trace[0].step_size, 0.95);
    assert_eq!(m.trace[0].log_likelihood, m.null_log_likelihood);
    assert!(m
        .trace
        .windows(2)
        .all(|w| w[1].log_likelihood > w[0].log_likelihood));
    assert_eq!(m.trace.last().unwrap().log_likelihood, m.log_likelihood);
}

/// Separation in one covariate beside an ordinary one: the relative change
/// of ℓ stops the fit (ℓ stays far from 0), with the separating coefficient
/// large and the last step still of norm about 1: a non-unique solution.
#[test]
fn separation_beside_another_covariate_is_flagged_non_unique() {
    // Every event has sep = 1, every censored subject sep = 0.
    let d = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0];
    let e = [
        true, false, true, false, true, false, true, false, true, false,
    ];
    let sep = [1.0, 0.0, 1.0, 0.0, 1.0, 0.0, 1.0, 0.0, 1.0, 0.0];
    let other = [0.5, 1.2, -0.3, 0.8, 2.0, -1.0, 0.1, 0.4, -0.7, 1.5];
    let m = CoxModel::fit(&d, &e, &[&sep[..], &other[..]], &CoxOptions::default()).unwrap();
    let [FitWarning::NonUniqueSolution { norm_delta }] = m.warnings[..] else {
        panic!("{:?}", m.warnings)
    };
    assert!(norm_delta > 0.1);
    assert_eq!(m.trace.last().unwrap().norm_delta, norm_delta);
    assert_eq!(m.warnings[0].kind(), "non_unique_solution");
    assert!(m.warnings[0].message(&[]).contains("norm(delta)"));
    assert!(m.coefficients[0] > 5.0, "{m:?}");
    assert!(m.standard_errors.iter().all(|s| s.is_finite()));
    assert!(m.coefficients[1].abs() < 5.0);
}

/// An exact linear combination of two covariates leaves the information
/// singular at every β: an error, not a fit.
#[test]
fn collinear_covariates_are_a_singular_matrix() {
    let d = [5.0, 3.0, 9.0, 1.0, 7.0, 4.0, 2.0, 8.0];
    let e = [true, false, true, true, true, true, false, true];
    let a = [0.3, 1.2, -0.5, 2.0, 0.1, -1.0, 0.7, 0.4];
    let b = [1.0, 0.0, 3.0, 2.0, 1.0, 5.0, 4.0, 2.0];
    let sum: Vec<f64> = a.iter().zip(&b).map(|(u, v)| u + v).collect();
    let r = CoxModel::fit(&d, &e, &[&a[..], &b[..], &sum[..]], &CoxOptions::default());
    assert!(matches!(r, Err(Error::SingularMatrix { .. })), "{r:?}");
}

#[test]
fn step_size_and_r_precision_are_validated_and_used() {
    let d = [5.0, 3.0, 9.0, 1.0, 7.0, 4.0];
    let e = [true, false, true, true, true, true];
    let x = [0.3, 1.2, -0.5, 2.0, 0.1, -1.0];
    for (step_size, r_precision, name) in [
        (0.0, 1e-9, "step_size"),
        (1.5, 1e-9, "step_size"),
        (f64::NAN, 1e-9, "step_size"),
        (0.5, -1.0, "r_precision"),
        (0.5, f64::INFINITY, "r_precision"),
    ] {
        let options = CoxOptions {
            step_size,
            r_precision,
            ..Default::default()
        };
        let r = CoxModel::fit(&d, &e, &[&x[..]], &options);
        assert!(
            matches!(r, Err(Error::InvalidParameter { name: n, .. }) if n == name),
            "{r:?}"
        );
    }
    // The first move uses the given step size; the trace has one line per
    // iteration; a smaller step needs more iterations to the same optimum.
    let slow = CoxOptions {
        step_size: 0.1,
        ..Default::default()
    };
    let a = CoxModel::fit(&d, &e, &[&x[..]], &slow).unwrap();
    let b = CoxModel::fit(&d, &e, &[&x[..]], &CoxOptions::default()).unwrap();
    assert_eq!(a.trace.len(), a.iterations);
    assert_eq!(a.trace[0].step_size, 0.1);
    assert_eq!(a.trace[1].step_size, 0.1);
    assert!(a.iterations > b.iterations);
    assert!((a.coefficients[0] - b.coefficients[0]).abs() < 1e-4);
    assert!(a.warnings.is_empty() && b.warnings.is_empty());
    // One iteration only evaluates β = 0: not converged.
    let first = CoxModel::fit(
        &d,
        &e,
        &[&x[..]],
        &CoxOptions {
            max_iterations: 1,
            ..slow
        },
    );
    assert!(matches!(
        first,
        Err(Error::NotConverged { iterations: 1, .. })
    ));
    // Asked for, the last iterate comes back instead, flagged: here β = 0.
    let kept = CoxModel::fit(
        &d,
        &e,
        &[&x[..]],
        &CoxOptions {
            max_iterations: 1,
            return_unconverged: true,
            ..slow
        },
    )
    .unwrap();
    assert_eq!(kept.coefficients, [0.0]);
    assert_eq!(kept.log_likelihood, kept.null_log_likelihood);
    let [FitWarning::NotConverged {
        iterations: 1,
        norm_delta,
    }] = kept.warnings[..]
    else {
        panic!("{:?}", kept.warnings)
    };
    assert_eq!(norm_delta, kept.trace[0].norm_delta);
    assert_eq!(kept.warnings[0].kind(), "not_converged");
}

/// Durations, events, two covariates and strata.
type Sample = (Vec<f64>, Vec<bool>, Vec<f64>, Vec<f64>, Vec<u32>);

/// Small sample with ties, two strata.
fn sample() -> Sample {
    let d = vec![5.0, 3.0, 9.0, 8.0, 7.0, 4.0, 4.0, 3.0, 2.0, 5.0, 6.0, 7.0];
    let e = [1, 1, 1, 1, 1, 1, 0, 0, 1, 1, 1, 0]
        .iter()
        .map(|&v| v == 1)
        .collect();
    let x1 = vec![0.0, 0.0, 0.0, 0.0, 1.0, 1.0, 1.0, 1.0, 1.0, 2.0, 2.0, 2.0];
    let x2 = vec![4.0, 3.0, 1.0, 8.0, 7.0, 2.0, 4.0, 3.0, 9.0, 5.0, 6.0, 7.0];
    let s = vec![0, 0, 1, 1, 0, 1, 0, 1, 0, 1, 0, 1];
    (d, e, x1, x2, s)
}

fn subset<T: Copy>(v: &[T], keep: &[bool]) -> Vec<T> {
    v.iter()
        .zip(keep)
        .filter(|(_, &k)| k)
        .map(|(&a, _)| a)
        .collect()
}

#[test]
fn stratified_likelihood_is_the_sum_over_strata() {
    let (d, e, x1, x2, s) = sample();
    let rows = CoxRows {
        strata: Some(&s),
        ..Default::default()
    };
    let m = CoxModel::fit_with(&d, &e, &[&x1, &x2], rows, &CoxOptions::default()).unwrap();
    let none: [&[f64]; 0] = [];
    let mut total = 0.0;
    let mut null_total = 0.0;
    for label in 0..2 {
        let keep: Vec<bool> = s.iter().map(|&v| v == label).collect();
        let (ds, es) = (subset(&d, &keep), subset(&e, &keep));
        let cols = [subset(&x1, &keep), subset(&x2, &keep)];
        let ll = m
            .score_log_likelihood(&ds, &es, &cols, CoxRows::default())
            .unwrap();
        total += ll * ds.len() as f64;
        // The null likelihood does not depend on the covariates.
        let alone = CoxModel::fit(&ds, &es, &none, &CoxOptions::default()).unwrap();
        null_total += alone.null_log_likelihood;
    }
    assert!(
        (total - m.log_likelihood).abs() < 1e-10,
        "{total} vs {}",
        m.log_likelihood
    );
    assert!((null_total - m.null_log_likelihood).abs() < 1e-10);
    // The score is zero at the maximum: a step either way lowers ℓ.
    let ll_at = |b0: f64| {
        let mut shifted = m.clone();
        shifted.coefficients[0] = b0;
        shifted
            .score_log_likelihood(&d, &e, &[&x1, &x2], rows)
            .unwrap()
    };
    let here = ll_at(m.coefficients[0]);
    assert!(here > ll_at(m.coefficients[0] + 1e-3) && here > ll_at(m.coefficients[0] - 1e-3));
    assert_eq!(m.baseline.strata, vec![0, 1]);
}

#[test]
fn weight_two_equals_a_duplicated_row() {
    let d = [5.0, 3.0, 9.0, 1.0, 7.0, 4.0, 6.0];
    let e = [true, false, true, true, true, true, false];
    let x = [0.3, 1.2, -0.5, 2.0, 0.1, -1.0, 0.7];
    let w = [2.0, 1.0, 1.0, 2.0, 1.0, 1.0, 2.0];
    let rows = CoxRows {
        weights: Some(&w),
        ..Default::default()
    };
    let weighted = CoxModel::fit_with(&d, &e, &[&x[..]], rows, &CoxOptions::default()).unwrap();
    let (mut dd, mut ed, mut xd) = (vec![], vec![], vec![]);
    for i in 0..d.len() {
        for _ in 0..w[i] as usize {
            dd.push(d[i]);
            ed.push(e[i]);
            xd.push(x[i]);
        }
    }
    // Duplicates tie with themselves: compare under Breslow, where a tie of
    // two copies is exactly a weight of 2.
    let breslow = CoxOptions {
        ties: CoxTies::Breslow,
        ..Default::default()
    };
    let dup = CoxModel::fit(&dd, &ed, &[&xd[..]], &breslow).unwrap();
    let wb = CoxModel::fit_with(&d, &e, &[&x[..]], rows, &breslow).unwrap();
    assert!((dup.coefficients[0] - wb.coefficients[0]).abs() < 1e-9);
    assert!((dup.log_likelihood - wb.log_likelihood).abs() < 1e-9);
    assert!((dup.standard_errors[0] - wb.standard_errors[0]).abs() < 1e-9);
    // Without ties in the weighted data Efron and Breslow coincide.
    assert!((weighted.coefficients[0] - wb.coefficients[0]).abs() < 1e-9);
    // Baseline: event weight over weighted risk at the first event (t = 1,
    // everyone at risk).
    let risk: f64 = x
        .iter()
        .zip(&w)
        .map(|(xi, wi)| wi * ((xi - wb.means[0]) * wb.coefficients[0]).exp())
        .sum();
    assert!((wb.baseline.hazard[0] - 2.0 / risk).abs() < 1e-12);
}

#[test]
fn no_covariates_gives_the_nelson_aalen_baseline() {
    let (d, e, ..) = sample();
    let none: [&[f64]; 0] = [];
    let m = CoxModel::fit(&d, &e, &none, &CoxOptions::default()).unwrap();
    assert_eq!(
        m.baseline.times,
        vec![2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0]
    );
    // At risk 12, 11, 9, 7, 5, 4, 2, 1; events 1, 1, 1, 2, 1, 1, 1, 1.
    let expected = [
        1.0 / 12.0,
        1.0 / 11.0,
        1.0 / 9.0,
        2.0 / 7.0,
        0.2,
        0.25,
        0.5,
        1.0,
    ];
    for (a, b) in m.baseline.hazard.iter().zip(expected) {
        assert!((a - b).abs() < 1e-15);
    }
    let h = m
        .predict_cumulative_hazard(&none, 2, None, &[1.0, 2.5, 9.0, 20.0], None)
        .unwrap();
    let first = 1.0 / 12.0;
    assert_eq!(h[0], first);
    assert!((h[2] - (first + 0.5 / 11.0)).abs() < 1e-15);
    let total: f64 = expected.iter().sum();
    assert!((h[6] - total).abs() < 1e-12 && h[7] == h[6]);
    let median = m
        .predict_percentile(&none, 1, None, &m.baseline.times, 0.5, None)
        .unwrap();
    // S(5) = exp(−(1/12 + 1/11 + 1/9 + 2/7)) ≈ 0.5596, S(6) ≈ 0.458.
    assert_eq!(median, vec![6.0]);
    assert!(matches!(
        m.likelihood_ratio_test(),
        Err(Error::EmptyInput { what: "covariates" })
    ));
}

#[test]
fn robust_errors_match_a_direct_sum_over_pairs() {
    // No ties: the residual of subject i is
    // δᵢ(xᵢ − x̄(tᵢ)) − Σ_{j: δⱼ, tⱼ ≤ tᵢ} e^{xᵢβ}/R(tⱼ) · (xᵢ − x̄(tⱼ)).
    let d = [5.0, 3.0, 9.0, 1.0, 7.0, 4.0, 6.0, 2.0];
    let e = [true, false, true, true, true, true, false, true];
    let x = [0.3, 1.2, -0.5, 2.0, 0.1, -1.0, 0.7, 0.4];
    let opts = CoxOptions {
        robust: true,
        ..Default::default()
    };
    let m = CoxModel::fit(&d, &e, &[&x[..]], &opts).unwrap();
    let b = m.coefficients[0];
    let risk = |t: f64| -> (f64, f64) {
        let (mut r, mut rx) = (0.0, 0.0);
        for k in 0..d.len() {
            if d[k] >= t {
                r += (x[k] * b).exp();
                rx += (x[k] * b).exp() * x[k];
            }
        }
        (r, rx / r)
    };
    let var = m.variance_matrix[0];
    let mut sandwich = 0.0;
    for i in 0..d.len() {
        let mut u = 0.0;
        if e[i] {
            u += x[i] - risk(d[i]).1;
        }
        for j in 0..d.len() {
            if e[j] && d[j] <= d[i] {
                let (r, xbar) = risk(d[j]);
                u -= (x[i] * b).exp() / r * (x[i] - xbar);
            }
        }
        sandwich += (u * var) * (u * var);
    }
    assert!(
        (m.standard_errors[0] - sandwich.sqrt()).abs() < 1e-12,
        "{m:?}"
    );
    // One cluster per subject changes nothing.
    let ids: Vec<u32> = (0..8).collect();
    let rows = CoxRows {
        clusters: Some(&ids),
        ..Default::default()
    };
    let clustered = CoxModel::fit_with(&d, &e, &[&x[..]], rows, &CoxOptions::default()).unwrap();
    assert!((clustered.standard_errors[0] - m.standard_errors[0]).abs() < 1e-15);
}

#[test]
fn followup_hazard_ratios_refit_the_truncated_data() {
    let (d, e, x1, x2, _) = sample();
    let opts = CoxOptions::default();
    let cols = [&x1, &x2];
    let hr =
        CoxModel::followup_hazard_ratios(&d, &e, &cols, CoxRows::default(), &opts, &[6.0, 9.0])
            .unwrap();
    // At the longest duration nothing is cut: the ordinary fit.
    let full = CoxModel::fit(&d, &e, &cols, &opts).unwrap();
    assert!((hr[2] - full.coefficients[0].exp()).abs() < 1e-12);
    assert!((hr[3] - full.coefficients[1].exp()).abs() < 1e-12);
    let cut: Vec<f64> = d.iter().map(|t| t.min(6.0)).collect();
    let ev: Vec<bool> = d.iter().zip(&e).map(|(t, e)| *e && *t <= 6.0).collect();
    let at6 = CoxModel::fit(&cut, &ev, &cols, &opts).unwrap();
    assert!((hr[0] - at6.coefficients[0].exp()).abs() < 1e-12);
    assert!(matches!(
        CoxModel::followup_hazard_ratios(&d, &e, &cols, CoxRows::default(), &opts, &[10.0]),
        Err(Error::InvalidParameter {
            name: "followup_times",
            ..
        })
    ));
}

/// The first data set above (no ties): each Schoenfeld residual is
/// `xᵢ − Σ_R x e^{βx} / Σ_R e^{βx}` by hand, and their sum (the score) is 0.
#[test]
fn schoenfeld_and_martingale_residuals_by_hand() {
    let d = [1.0, 2.0, 3.0, 4.0];
    let e = [true, true, true, false];
    let x = [1.0, 0.0, 1.0, 0.0];
    let cols = [&x[..]];
    let m = CoxModel::fit(&d, &e, &cols, &exact_options()).unwrap();
    let b = m.coefficients[0];
    let r = m
        .residuals(
            &d,
            &e,
            &cols,
            CoxRows::default(),
            CoxResidualKind::Schoenfeld,
        )
        .unwrap();
    for i in 0..4 {
        let (num, den) = (i..4).fold((0.0, 0.0), |(n, s), k| {
            (n + x[k] * (b * x[k]).exp(), s + (b * x[k]).exp())
        });
        let expected = if e[i] { x[i] - num / den } else { 0.0 };
        assert!(
            (r[i] - expected).abs() < 1e-12,
            "{i}: {} vs {expected}",
            r[i]
        );
    }
    assert!(r.iter().sum::<f64>().abs() < 1e-7);
    // Martingale residuals sum to 0 under the Breslow baseline; deviance
    // residuals share their signs.
    let mart = m
        .residuals(
            &d,
            &e,
            &cols,
            CoxRows::default(),
            CoxResidualKind::Martingale,
        )
        .unwrap();
    assert!(mart.iter().sum::<f64>().abs() < 1e-12);
    let dev = m
        .residuals(&d, &e, &cols, CoxRows::default(), CoxResidualKind::Deviance)
        .unwrap();
    for (a, b) in mart.iter().zip(&dev) {
        assert_eq!(a.signum(), b.signum());
    }
    // The last subject is censored at 4 after all events: M = −exp((x − x̄)β) Ĥ₀(4).
    let h0 = *m.baseline.cumulative_hazard().last().unwrap();
    assert!((mart[3] + ((0.0 - m.means[0]) * b).exp() * h0).abs() < 1e-12);
}

#[test]
fn proportional_hazard_test_values_and_errors() {
    let (d, e, x1, x2, s) = sample();
    let cols = [&x1[..], &x2[..]];
    let rows = CoxRows {
        strata: Some(&s),
        ..CoxRows::default()
    };
    let m = CoxModel::fit_with(&d, &e, &cols, rows, &CoxOptions::default()).unwrap();
    // Identity transform by hand from the scaled Schoenfeld residuals.
    let r = m
        .residuals(&d, &e, &cols, rows, CoxResidualKind::ScaledSchoenfeld)
        .unwrap();
    let events: Vec<usize> = (0..d.len()).filter(|&i| e[i]).collect();
    let mean = events.iter().map(|&i| d[i]).sum::<f64>() / events.len() as f64;
    let ss: f64 = events.iter().map(|&i| (d[i] - mean).powi(2)).sum();
    let test = m
        .proportional_hazard_test(&d, &e, &cols, rows, CoxTimeTransform::Identity)
        .unwrap();
    for j in 0..2 {
        let cross: f64 = events.iter().map(|&i| (d[i] - mean) * r[i * 2 + j]).sum();
        let se = m.standard_errors[j];
        let stat = cross * cross / (events.len() as f64 * se * se * ss);
        assert!((test[j].0 - stat).abs() < 1e-12 * stat.max(1.0));
        assert!((test[j].1 - crate::special::chi_square_sf(stat, 1)).abs() < 1e-15);
    }
    for t in CoxTimeTransform::ALL {
        let v = m.proportional_hazard_test(&d, &e, &cols, rows, *t).unwrap();
        assert!(v
            .iter()
            .all(|(a, p)| a.is_finite() && (0.0..=1.0).contains(p)));
        assert_eq!(t.as_str().parse::<CoxTimeTransform>(), Ok(*t));
    }
    // An event at time 0 has no logarithm: a typed error, not NaN.
    let mut d0 = d.clone();
    d0[1] = 0.0;
    let m0 = CoxModel::fit_with(&d0, &e, &cols, rows, &CoxOptions::default()).unwrap();
    assert!(matches!(
        m0.proportional_hazard_test(&d0, &e, &cols, rows, CoxTimeTransform::Log),
        Err(Error::InvalidRows { .. })
    ));
    // Wrong number of covariates, unknown stratum.
    assert!(matches!(
        m.residuals(&d, &e, &cols[..1], rows, CoxResidualKind::Score),
        Err(Error::LengthMismatch { .. })
    ));
    let s9: Vec<u32> = s.iter().map(|v| v + 9).collect();
    let rows9 = CoxRows {
        strata: Some(&s9),
        ..CoxRows::default()
    };
    assert!(matches!(
        m.residuals(&d, &e, &cols, rows9, CoxResidualKind::Martingale),
        Err(Error::InvalidRows { .. })
    ));
}
