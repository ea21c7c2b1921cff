//! Properties of the left-, interval-censored and competing-risk estimators.

use proptest::prelude::*;
use retention_core::survival::{
    turnbull, AalenJohansen, KaplanMeier, KaplanMeierOptions, LeftCensoredKaplanMeier,
    SampleWeights, TurnbullOptions,
};

fn sample() -> impl Strategy<Value = (Vec<f64>, Vec<bool>)> {
    prop::collection::vec((1u32..40, prop::bool::weighted(0.7)), 2..40).prop_map(|rows| {
        // Continuous-looking distinct times: whole part plus a row-specific
        // fraction, so no two subjects share a time.
        let d = rows
            .iter()
            .enumerate()
            .map(|(i, (t, _))| f64::from(*t) + f64::from(i as u32) / 64.0)
            .collect();
        let e = rows.iter().map(|(_, e)| *e).collect();
        (d, e)
    })
}

proptest! {
    /// Right-censored data as intervals (`[t, t]` for an event, `[t, ∞]`
    /// for a censoring): Turnbull's NPMLE is the Kaplan–Meier estimate
    /// (Turnbull 1976, self-consistency), here to the EM tolerance.
    #[test]
    fn turnbull_on_right_censored_data_is_kaplan_meier((d, e) in sample()) {
        prop_assume!(e.iter().any(|&x| x));
        let upper: Vec<f64> = d.iter().zip(&e).map(|(&t, &ev)| if ev { t } else { f64::INFINITY }).collect();
        let options = TurnbullOptions { tol: 1e-12, max_iterations: retention_core::models::MAX_FIT_ITERATIONS };
        let fit = turnbull(&d, &upper, None, None, &options).unwrap();
        let km = KaplanMeier::fit(&d, &e, &KaplanMeierOptions::default()).unwrap();
        // Probabilities sum to one and the upper curve at the event times
        // follows S(t) of Kaplan–Meier.
        let total: f64 = fit.probabilities.iter().sum();
        prop_assert!((total - 1.0).abs() < 1e-9);
        let events: Vec<f64> = d.iter().zip(&e).filter(|p| *p.1).map(|p| *p.0).collect();
        let curve = fit.survival(Some(&events)).unwrap();
        for (i, &t) in events.iter().enumerate() {
            // At an exact time the drop shows from the next known point on,
            // so compare with S just before t.
            let before = km.survival_at(t - 1e-9).unwrap();
            prop_assert!((curve.upper[i] - before).abs() < 1e-5, "t {t}: {} vs {before}", curve.upper[i]);
        }
    }

    /// Reversing time turns left censoring into right censoring: the
    /// left-censored estimate of `F` at `t_j` is the Kaplan–Meier survival
    /// of the negated durations just before `−t_j`.
    #[test]
    fn left_censoring_is_right_censoring_of_reversed_time((d, e) in sample()) {
        let left = LeftCensoredKaplanMeier::fit(&d, &e, &SampleWeights::default(), &KaplanMeierOptions::default()).unwrap();
        let neg: Vec<f64> = d.iter().map(|t| -t).collect();
        let right = KaplanMeier::fit(&neg, &e, &KaplanMeierOptions::default()).unwrap();
        for (j, &t) in left.table.times.iter().enumerate().skip(1) {
            let s = right.survival_at(-t - 1e-9).unwrap();
            prop_assert!((left.cumulative_density[j] - s).abs() < 1e-12, "t {t}");
        }
    }

    /// The cumulative incidences of all causes add up to `1 − S`, and each
    /// variance is non-negative.
    #[test]
    fn incidences_add_up_to_one_minus_survival((d, e) in sample(), split in prop::collection::vec(prop::bool::ANY, 40)) {
        let codes: Vec<f64> = e.iter().zip(&split).map(|(&ev, &s)| if !ev { 0.0 } else if s { 1.0 } else { 2.0 }).collect();
        let a = AalenJohansen::fit(&d, &codes, 1, None, 0.05).unwrap();
        let b = AalenJohansen::fit(&d, &codes, 2, None, 0.05).unwrap();
        for j in 0..a.table.len() {
            let sum = a.cumulative_incidence[j] + b.cumulative_incidence[j];
            prop_assert!((sum - (1.0 - a.overall_survival[j])).abs() < 1e-12);
            prop_assert!(a.variance[j] > -1e-12 && b.variance[j] > -1e-12);
        }
    }
}
