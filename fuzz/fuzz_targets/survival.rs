//! Every survival estimator and test from arbitrary durations, event flags,
//! weights and covariates: Kaplan-Meier (and its left-censored form),
//! Nelson-Aalen, the life table, log-rank tests, Turnbull, concordance,
//! RMST and the fixed-point test, Aalen-Johansen, univariate parametric
//! fits, Cox and parametric-baseline Cox models, and their predictions.
//! Each answers `Ok` with finite numbers (survival and p-values in [0, 1])
//! or a typed error, in bounded time.

#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use retention_core::survival::{
    concordance_summary, km_restricted_mean_survival_time, logrank_test_with,
    multivariate_logrank_test_with, pairwise_logrank_test, restricted_mean_survival_time,
    survival_difference_at_fixed_point_in_time_test, turnbull, AalenJohansen, CoxModel, CoxOptions,
    EventTable, KaplanMeier, KaplanMeierOptions, LeftCensoredKaplanMeier, LogRankOptions,
    NelsonAalen, NelsonAalenOptions, ParametricCoxModel, ParametricCoxOptions, ParametricCoxRows,
    ParametricFamily, PhBaselineSpec, SampleWeights, TurnbullOptions, UnivariateModel,
    UnivariateParametric,
};
use retention_fuzz::{assert_probability, cap, nums, ok_finite, pick, Num};

#[derive(Arbitrary, Debug)]
struct Input {
    op: u8,
    rows: Vec<(Num, bool, u8)>,
    /// Weights, covariates, upper bounds or a timeline, as the op needs.
    extra: Vec<Num>,
    second: Vec<Num>,
    weighted: bool,
    /// A time, quantile or alpha.
    t: Num,
    q: Num,
    model: u8,
}

fn probabilities(what: &str, v: &[f64]) {
    for &p in v {
        assert_probability(what, p);
    }
}

/// `extra` padded or cut to `n` (1.0 where missing).
fn column(v: &[Num], n: usize) -> Vec<f64> {
    (0..n).map(|i| v.get(i).map_or(1.0, |x| x.get())).collect()
}

fn kaplan_meier(input: &Input, d: &[f64], e: &[bool], w: Option<&[f64]>) {
    let extra = SampleWeights {
        weights: w,
        entry: None,
    };
    let options = KaplanMeierOptions::default();
    let Some(km) = ok_finite("km", KaplanMeier::fit_weighted(d, e, &extra, &options)) else {
        return;
    };
    if let Some(s) = ok_finite("km.survival_at", km.survival_at(input.t.get())) {
        assert_probability("km.survival_at", s);
    }
    let _ = ok_finite("km.survival_time_at", km.survival_time_at(input.q.get()));
    let _ = ok_finite("km.median", Ok(km.median_survival_time()));
    let _ = ok_finite("km.median_ci", Ok(km.median_confidence_interval()));
    let timeline = nums(&input.extra);
    if let Some(c) = ok_finite("km.curve", km.curve(Some(&timeline))) {
        let _ = ok_finite("km.curve.percentile", c.percentile(input.q.get()));
        let _ = ok_finite("km.curve.interpolate", c.interpolate(&timeline));
        let _ = ok_finite("km.curve.smoothed_hazard", c.smoothed_hazard(input.t.get()));
    }
    let t = input.t.get();
    if let Ok(r) = km_restricted_mean_survival_time(&km, t) {
        // Documented: `t = ∞` on a curve that does not reach 0 gives ∞.
        let ok = |v: f64| v.is_finite() || (t == f64::INFINITY && v == f64::INFINITY);
        assert!(ok(r.mean) && ok(r.variance), "km_rmst({t}) = {r:?}");
    }
}

fn univariate(input: &Input, d: &[f64], e: &[bool], w: Option<&[f64]>) {
    let model = match input.model % 5 {
        0 => UnivariateModel::Exponential,
        1..=3 => {
            UnivariateModel::LogLocationScale(pick(ParametricFamily::ALL, input.model % 5 - 1))
        }
        _ => UnivariateModel::PiecewiseExponential {
            breakpoints: nums(&input.second),
        },
    };
    let extra = SampleWeights {
        weights: w,
        entry: None,
    };
    let Some(m) = ok_finite(
        "univariate",
        UnivariateParametric::fit(&model, d, e, &extra),
    ) else {
        return;
    };
    let t = input.t.get();
    if let Some(s) = ok_finite("univariate.survival", m.survival(t)) {
        assert_probability("univariate.survival", s);
    }
    let _ = ok_finite("univariate.cumulative_hazard", m.cumulative_hazard(t));
    let _ = ok_finite("univariate.hazard", m.hazard(t));
    let _ = ok_finite("univariate.density", m.density(t));
    let _ = ok_finite("univariate.percentile", m.percentile(input.q.get()));
    let _ = ok_finite("univariate.summary", m.summary(input.q.get()));
    let times = nums(&input.extra);
    if let Some(s) = ok_finite("univariate.survival_at", m.survival_at(&times)) {
        probabilities("univariate.survival_at", &s);
    }
    let _ = ok_finite("univariate.hazard_at", m.hazard_at(&times));
}

fn cox(input: &Input, d: &[f64], e: &[bool]) {
    let n = d.len();
    let columns = [column(&input.extra, n), column(&input.second, n)];
    let k = usize::from(input.model % 3);
    let covariates = &columns[..k];
    let options = CoxOptions {
        penalizer: if input.weighted { input.q.get() } else { 0.0 },
        ..CoxOptions::default()
    };
    let Some(m) = ok_finite("cox", CoxModel::fit(d, e, covariates, &options)) else {
        return;
    };
    let _ = ok_finite("cox.lrt", m.likelihood_ratio_test());
    let _ = ok_finite(
        "cox.log_partial_hazard",
        m.log_partial_hazard(covariates, n),
    );
    let times = [input.t.get()];
    let _ = ok_finite(
        "cox.predict_cumulative_hazard",
        m.predict_cumulative_hazard(covariates, n, None, &times, None),
    );
    // `∞` when the predicted survival stays above `q` (documented, lifelines'
    // convention): finite or +∞.
    if let Ok(p) = m.predict_percentile(covariates, n, None, &times, input.q.get(), None) {
        assert!(
            p.iter().all(|v| v.is_finite() || *v == f64::INFINITY),
            "{p:?}"
        );
    }
    let _ = ok_finite(
        "cox.predict_expectation",
        m.predict_expectation(covariates, n, None, &times, None),
    );
}

fn parametric_cox(input: &Input, d: &[f64], e: &[bool]) {
    let n = d.len();
    let columns = vec![column(&input.extra, n)];
    let baseline = if input.weighted {
        PhBaselineSpec::Piecewise {
            breakpoints: nums(&input.second),
        }
    } else {
        PhBaselineSpec::Spline {
            n_knots: usize::from(input.model),
            knots: None,
        }
    };
    let options = ParametricCoxOptions::new(baseline);
    let r = ParametricCoxModel::fit(d, e, &columns, ParametricCoxRows::default(), &options);
    let _ = ok_finite("parametric_cox", r);
}

fuzz_target!(|input: Input| {
    let rows = cap(&input.rows);
    let d: Vec<f64> = rows.iter().map(|r| r.0.get()).collect();
    let e: Vec<bool> = rows.iter().map(|r| r.1).collect();
    let groups: Vec<u8> = rows.iter().map(|r| r.2 % 3).collect();
    let weights = column(&input.extra, d.len());
    let w = input.weighted.then_some(&weights[..]);
    match input.op % 14 {
        0 => kaplan_meier(&input, &d, &e, w),
        1 => {
            let options = NelsonAalenOptions::default();
            let extra = SampleWeights {
                weights: w,
                entry: None,
            };
            if let Some(na) = ok_finite("na", NelsonAalen::fit_weighted(&d, &e, &extra, &options)) {
                let _ = ok_finite("na.at", na.cumulative_hazard_at(input.t.get()));
            }
        }
        2 => {
            let _ = ok_finite("event_table", EventTable::from_durations(&d, &e));
        }
        3 => {
            let (a, b): (Vec<usize>, Vec<usize>) = (0..d.len()).partition(|&i| groups[i] == 0);
            let pick_d = |ix: &[usize]| ix.iter().map(|&i| d[i]).collect::<Vec<f64>>();
            let pick_e = |ix: &[usize]| ix.iter().map(|&i| e[i]).collect::<Vec<bool>>();
            let r = logrank_test_with(
                &pick_d(&a),
                &pick_e(&a),
                None,
                &pick_d(&b),
                &pick_e(&b),
                None,
                &LogRankOptions::default(),
            );
            if let Some(t) = ok_finite("logrank", r) {
                assert_probability("logrank.p_value", t.p_value);
            }
            let r = survival_difference_at_fixed_point_in_time_test(
                input.t.get(),
                &pick_d(&a),
                &pick_e(&a),
                &pick_d(&b),
                &pick_e(&b),
            );
            let _ = ok_finite("fixed_point", r);
        }
        4 => {
            let options = LogRankOptions::default();
            let r = multivariate_logrank_test_with(&d, &e, &groups, w, &options);
            if let Some(t) = ok_finite("multivariate_logrank", r) {
                assert_probability("multivariate_logrank.p_value", t.p_value);
            }
            let _ = ok_finite(
                "pairwise_logrank",
                pairwise_logrank_test(&d, &e, &groups, w, &options),
            );
        }
        5 => {
            let upper = column(&input.second, d.len());
            let r = turnbull(&d, &upper, w, None, &TurnbullOptions::default());
            if let Some(t) = ok_finite("turnbull", r) {
                let timeline = nums(&input.extra);
                let _ = ok_finite("turnbull.survival", t.survival(Some(&timeline)));
            }
        }
        6 => {
            let scores = column(&input.second, d.len());
            if let Some(c) = ok_finite("concordance", concordance_summary(&d, &scores, &e)) {
                if let Some(i) = c.index() {
                    assert_probability("concordance.index", i);
                }
            }
        }
        7 => {
            let t = input.t.get();
            if let Ok(r) = restricted_mean_survival_time(&d, &e, t) {
                let ok = |v: f64| v.is_finite() || (t == f64::INFINITY && v == f64::INFINITY);
                assert!(ok(r.mean) && ok(r.variance), "rmst({t}) = {r:?}");
            }
        }
        8 => {
            let codes: Vec<f64> = groups.iter().map(|&g| f64::from(g)).collect();
            let r = AalenJohansen::fit(&d, &codes, i64::from(input.model % 3), w, input.q.get());
            let _ = ok_finite("aalen_johansen", r);
        }
        9 => {
            let extra = SampleWeights {
                weights: w,
                entry: None,
            };
            let r = LeftCensoredKaplanMeier::fit(&d, &e, &extra, &KaplanMeierOptions::default());
            if let Some(km) = ok_finite("left_censored", r) {
                let _ = ok_finite("left_censored.curve", km.curve(None));
            }
        }
        10 | 11 => univariate(&input, &d, &e, w),
        12 => cox(&input, &d, &e),
        _ => parametric_cox(&input, &d, &e),
    }
});
