//! Accuracy of predicted survival: Brier score, integrated Brier score and
//! cumulative/dynamic AUC, with inverse probability of censoring weights.
//!
//! These follow the definitions of scikit-survival (`sksurv.metrics`).
//! `Ĝ` is the Kaplan–Meier estimate of the *censoring* distribution fitted
//! on training data (`survival_train`): censorings are its events, and at a
//! time where events and censorings tie, the events come first (they leave
//! the censoring risk set). `Ĝ` is right-continuous, 1 before the first
//! time; after the last training time it is 0 if it reached 0 there and
//! undefined otherwise (an error).
//!
//! For test subjects `(yᵢ, δᵢ)` and predictions at times `t`:
//!
//! ```text
//! BS(t)  = 1/n Σᵢ [ Ŝᵢ(t)² · 1(yᵢ ≤ t, δᵢ = 1) / Ĝ(yᵢ) + (1 − Ŝᵢ(t))² · 1(yᵢ > t) / Ĝ(t) ]
//! IBS    = ∫ BS(t) dt / (t_last − t_first)      (trapezoidal rule over the given times)
//! ```
//!
//! (Graf et al. 1999; a term whose `Ĝ` is 0 counts 0.) The cumulative/dynamic
//! AUC at `t` (Uno et al. 2007; Hung & Chiang 2010) is the area under the ROC
//! curve separating cases `yᵢ ≤ t, δᵢ = 1` (weighted `1/Ĝ(yᵢ)`) from controls
//! `yⱼ > t` by a risk score (higher = earlier event):
//!
//! ```text
//! AUC(t) = Σᵢ Σⱼ 1(yⱼ > t) 1(yᵢ ≤ t) δᵢ/Ĝ(yᵢ) · 1(fᵢ > fⱼ)  /  (Σᵢ 1(yᵢ ≤ t) δᵢ/Ĝ(yᵢ) · Σⱼ 1(yⱼ > t))
//! ```
//!
//! computed as scikit-survival does, by the trapezoidal rule over the ROC
//! points at each distinct score (scores within `tied_tol` of the next
//! higher one form one threshold), which counts tied case/control pairs as
//! one half. The mean AUC over several times weights each `AUC(t_k)` by the
//! drop `Ŝ(t_{k−1}) − Ŝ(t_k)` of the Kaplan–Meier estimate of the *test*
//! data (`Ŝ(t_0) = 1`) and divides by `1 − Ŝ(t_last)`.
//!
//! Times must be strictly increasing and lie in `[min yᵢ, max yᵢ)` of the
//! test data, as in scikit-survival.
//!
//! # References
//!
//! - Graf, E., Schmoor, C., Sauerbrei, W. & Schumacher, M. (1999).
//!   Assessment and comparison of prognostic classification schemes for
//!   survival data. *Statistics in Medicine* 18, 2529–2545.
//! - Uno, H., Cai, T., Tian, L. & Wei, L. J. (2007). Evaluating prediction
//!   rules for t-year survivors with censored regression models. *JASA* 102,
//!   527–537.
//! - Hung, H. & Chiang, C. T. (2010). Estimation methods for time-dependent
//!   AUC models with survival data. *Canadian Journal of Statistics* 38,
//!   8–26.

use super::kaplan_meier::{KaplanMeier, KaplanMeierOptions};
use super::table::validate_durations;
use crate::error::{check_len, Error, Result};

/// Kaplan–Meier estimate of the censoring distribution (see the module docs).
#[derive(Debug, Clone)]
struct CensoringKm {
    times: Vec<f64>,
    prob: Vec<f64>,
}

impl CensoringKm {
    fn fit(durations: &[f64], events: &[bool]) -> Result<Self> {
        validate_durations(durations, events)?;
        if !events.iter().any(|&e| e) {
            return Err(Error::parameter(
                "event_observed_train",
                "no events",
                "the training data need at least one event",
            ));
        }
        let mut order: Vec<usize> = (0..durations.len()).collect();
        order.sort_by(|&a, &b| durations[a].total_cmp(&durations[b]));
        let (mut times, mut prob) = (Vec::new(), Vec::new());
        let mut at_risk = durations.len();
        let mut g = 1.0;
        let mut i = 0;
        while i < order.len() {
            let t = durations[order[i]];
            let (mut events_here, mut censored) = (0usize, 0usize);
            while i < order.len() && durations[order[i]] == t {
                if events[order[i]] {
                    events_here += 1;
                } else {
                    censored += 1;
                }
                i += 1;
            }
            let n = at_risk - events_here;
            if censored > 0 {
                g *= 1.0 - censored as f64 / n as f64;
            }
            times.push(t);
            prob.push(g);
            at_risk -= events_here + censored;
        }
        Ok(CensoringKm { times, prob })
    }

    /// `Ĝ(t)`, `None` beyond the last time while `Ĝ > 0` there.
    fn at(&self, t: f64) -> Option<f64> {
        let k = self.times.partition_point(|&x| x <= t);
        if k == self.times.len() && t > self.times[k - 1] {
            let last = self.prob[k - 1];
            return (last == 0.0).then_some(0.0);
        }
        Some(if k == 0 { 1.0 } else { self.prob[k - 1] })
    }

    fn at_or_err(&self, t: f64) -> Result<f64> {
        self.at(t).ok_or_else(|| {
            Error::parameter(
                "times",
                t,
                "lies after the last training time, where the censoring distribution is undefined",
            )
        })
    }
}

/// Checks the test data and the evaluation times (strictly increasing,
/// within `[min y, max y)` of the test data).
fn check_test(durations: &[f64], events: &[bool], times: &[f64]) -> Result<()> {
    validate_durations(durations, events)?;
    if times.is_empty() {
        return Err(Error::EmptyInput { what: "times" });
    }
    let lo = durations.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = durations.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    for (k, &t) in times.iter().enumerate() {
        if !(t >= lo && t < hi) {
            return Err(Error::parameter(
                "times",
                t,
                "must lie within the follow-up of the test data [min, max)",
            ));
        }
        if k > 0 && t <= times[k - 1] {
            return Err(Error::parameter("times", t, "must be strictly increasing"));
        }
    }
    Ok(())
}

/// Brier score at each of `times` of predicted survival probabilities:
/// `survival[k][i]` is the predicted `Sᵢ(times[k])` of test subject `i`.
///
/// # Errors
/// [`Error::LengthMismatch`] (`survival`, one row per time, each of one value
/// per test subject), [`Error::EmptyInput`], [`Error::InvalidRows`] for bad
/// durations, [`Error::InvalidParameter`] for `times` outside the test
/// follow-up, not strictly increasing, or past the training data, and for
/// training data without events.
pub fn brier_score(
    durations_train: &[f64],
    event_observed_train: &[bool],
    durations_test: &[f64],
    event_observed_test: &[bool],
    survival: &[Vec<f64>],
    times: &[f64],
) -> Result<Vec<f64>> {
    let cens = CensoringKm::fit(durations_train, event_observed_train)?;
    check_test(durations_test, event_observed_test, times)?;
    check_len("survival", times.len(), survival.len())?;
    for row in survival {
        check_len("survival", durations_test.len(), row.len())?;
    }
    // 1/Ĝ(yᵢ) for the cases, 0 where Ĝ = 0.
    let mut inv_g_y = vec![0.0; durations_test.len()];
    for (i, (&y, &e)) in durations_test.iter().zip(event_observed_test).enumerate() {
        if e && y <= times[times.len() - 1] {
            let g = cens.at_or_err(y)?;
            inv_g_y[i] = if g > 0.0 { 1.0 / g } else { 0.0 };
        }
    }
    let n = durations_test.len() as f64;
    let mut out = Vec::with_capacity(times.len());
    for (&t, est) in times.iter().zip(survival) {
        let g_t = cens.at_or_err(t)?;
        let inv_g_t = if g_t > 0.0 { 1.0 / g_t } else { 0.0 };
        let mut sum = 0.0;
        for (i, (&y, &e)) in durations_test.iter().zip(event_observed_test).enumerate() {
            let s = est[i];
            if y <= t && e {
                sum += s * s * inv_g_y[i];
            } else if y > t {
                sum += (1.0 - s) * (1.0 - s) * inv_g_t;
            }
        }
        out.push(sum / n);
    }
    Ok(out)
}

/// Integrated Brier score: the trapezoidal integral of [`brier_score`] over
/// `times` divided by `times[last] − times[0]`.
///
/// # Errors
/// Those of [`brier_score`], and [`Error::InvalidParameter`] (`times`) for
/// fewer than two times.
pub fn integrated_brier_score(
    durations_train: &[f64],
    event_observed_train: &[bool],
    durations_test: &[f64],
    event_observed_test: &[bool],
    survival: &[Vec<f64>],
    times: &[f64],
) -> Result<f64> {
    if times.len() < 2 {
        return Err(Error::parameter(
            "times",
            times.len(),
            "the integrated Brier score needs at least two times",
        ));
    }
    let bs = brier_score(
        durations_train,
        event_observed_train,
        durations_test,
        event_observed_test,
        survival,
        times,
    )?;
    let area: f64 = (1..times.len())
        .map(|k| (times[k] - times[k - 1]) * (bs[k] + bs[k - 1]) / 2.0)
        .sum();
    Ok(area / (times[times.len() - 1] - times[0]))
}

/// Default `tied_tol` of [`cumulative_dynamic_auc`] (scikit-survival's).
pub const DEFAULT_TIED_TOL: f64 = 1e-8;

/// Result of [`cumulative_dynamic_auc`].
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct DynamicAuc {
    /// `AUC(t)` at each time.
    pub auc: Vec<f64>,
    /// The mean AUC weighted by the test Kaplan–Meier estimate (the single
    /// AUC when there is one time).
    pub mean_auc: f64,
}

/// Cumulative/dynamic AUC at each of `times` of risk scores (higher = higher
/// risk): `risk[k][i]` is the score of test subject `i` used at `times[k]`
/// (pass one row to use the same score at every time).
///
/// # Errors
/// As [`brier_score`] (field `risk`), plus [`Error::InvalidParameter`]
/// (`tied_tol`, finite and `≥ 0`) and when `Ĝ(yᵢ) = 0` for a test event
/// before the last time, or no case or no control exists at a time.
pub fn cumulative_dynamic_auc(
    durations_train: &[f64],
    event_observed_train: &[bool],
    durations_test: &[f64],
    event_observed_test: &[bool],
    risk: &[Vec<f64>],
    times: &[f64],
    tied_tol: f64,
) -> Result<DynamicAuc> {
    if !(tied_tol.is_finite() && tied_tol >= 0.0) {
        return Err(Error::parameter(
            "tied_tol",
            tied_tol,
            "must be finite and non-negative",
        ));
    }
    let cens = CensoringKm::fit(durations_train, event_observed_train)?;
    check_test(durations_test, event_observed_test, times)?;
    if risk.len() != 1 {
        check_len("risk", times.len(), risk.len())?;
    }
    for row in risk {
        check_len("risk", durations_test.len(), row.len())?;
    }
    let n = durations_test.len();
    let mut ipcw = vec![0.0; n];
    for i in 0..n {
        if event_observed_test[i] {
            let g = cens.at_or_err(durations_test[i])?;
            if g == 0.0 {
                return Err(Error::parameter(
                    "durations_test",
                    durations_test[i],
                    "the censoring distribution is zero at this event time",
                ));
            }
            ipcw[i] = 1.0 / g;
        }
    }
    let mut auc = Vec::with_capacity(times.len());
    let mut order: Vec<usize> = (0..n).collect();
    for (k, &t) in times.iter().enumerate() {
        let score = &risk[if risk.len() == 1 { 0 } else { k }];
        order.sort_by(|&a, &b| score[b].total_cmp(&score[a]));
        let case_w = |i: usize| {
            if durations_test[i] <= t && event_observed_test[i] {
                ipcw[i]
            } else {
                0.0
            }
        };
        let total_tp: f64 = (0..n).map(case_w).sum();
        let total_fp = (0..n).filter(|&i| durations_test[i] > t).count() as f64;
        if total_tp == 0.0 || total_fp == 0.0 {
            return Err(Error::parameter(
                "times",
                t,
                "needs at least one case (event by t) and one control (alive after t)",
            ));
        }
        // ROC points after each run of tied scores; trapezoids from (0, 0).
        let (mut tp, mut fp) = (0.0, 0.0);
        let (mut x0, mut y0, mut area) = (0.0, 0.0, 0.0);
        for (pos, &i) in order.iter().enumerate() {
            tp += case_w(i);
            if durations_test[i] > t {
                fp += 1.0;
            }
            let tied_next = order
                .get(pos + 1)
                .is_some_and(|&j| (score[i] - score[j]).abs() <= tied_tol);
            if !tied_next {
                let (x1, y1) = (fp / total_fp, tp / total_tp);
                area += (x1 - x0) * (y1 + y0) / 2.0;
                (x0, y0) = (x1, y1);
            }
        }
        auc.push(area);
    }
    let mean_auc = if times.len() == 1 {
        auc[0]
    } else {
        let km = KaplanMeier::fit(
            durations_test,
            event_observed_test,
            &KaplanMeierOptions::default(),
        )?;
        let (mut prev, mut integral) = (1.0, 0.0);
        for (k, &t) in times.iter().enumerate() {
            let s = km.survival_at(t)?;
            integral += auc[k] * (prev - s);
            prev = s;
        }
        integral / (1.0 - prev)
    };
    Ok(DynamicAuc { auc, mean_auc })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Train = test: 1, 2+, 3, 4+, 5. Censoring KM (events first at ties):
    /// Ĝ = 1 on [0,2), 3/4 on [2,4), 3/8 from 4 on.
    const Y: [f64; 5] = [1.0, 2.0, 3.0, 4.0, 5.0];
    const E: [bool; 5] = [true, false, true, false, true];

    #[test]
    fn censoring_km_by_hand() {
        let g = CensoringKm::fit(&Y, &E).unwrap();
        assert_eq!(g.at(0.5), Some(1.0));
        assert_eq!(g.at(2.0), Some(0.75));
        assert_eq!(g.at(3.9), Some(0.75));
        assert_eq!(g.at(4.0), Some(0.375));
        assert_eq!(g.at(5.0), Some(0.375));
        assert_eq!(g.at(6.0), None);
    }

    #[test]
    fn brier_by_hand() {
        // At t = 3: cases 1 (Ĝ(1) = 1) and 3 (Ĝ(3) = 3/4); controls 4, 5 (Ĝ(3) = 3/4);
        // subject 2 censored before t counts 0.
        let s = vec![0.2, 0.9, 0.4, 0.7, 0.8];
        let bs = brier_score(&Y, &E, &Y, &E, std::slice::from_ref(&s), &[3.0]).unwrap();
        let expect = (0.04 / 1.0 + 0.16 / 0.75 + 0.09 / 0.75 + 0.04 / 0.75) / 5.0;
        assert!((bs[0] - expect).abs() < 1e-12);
        // A perfect prediction scores 0; the IBS of a constant score is that score.
        let perfect: Vec<f64> = Y.iter().map(|&y| f64::from(u8::from(y > 3.0))).collect();
        let bs0 = brier_score(&Y, &E, &Y, &[true; 5], &[perfect], &[3.0]).unwrap();
        assert_eq!(bs0[0], 0.0);
        let ibs =
            integrated_brier_score(&Y, &E, &Y, &E, &[s.clone(), s.clone()], &[3.0, 3.5]).unwrap();
        assert!((ibs - expect).abs() < 1e-12);
        assert!(brier_score(&Y, &E, &Y, &E, std::slice::from_ref(&s), &[5.0]).is_err());
        assert!(integrated_brier_score(&Y, &E, &Y, &E, &[s], &[3.0]).is_err());
    }

    #[test]
    fn auc_by_hand() {
        // At t = 3.5: cases 1 (w 1), 3 (w 4/3); controls 4, 5.
        // Scores: 1→0.9, 3→0.3, 4→0.5, 5→0.1, 2→0.0 (ignored).
        let risk = vec![0.9, 0.0, 0.3, 0.5, 0.1];
        let r = cumulative_dynamic_auc(&Y, &E, &Y, &E, &[risk], &[3.5], 0.0).unwrap();
        // Pairs (case, control): (1,4) ok, (1,5) ok, (3,4) wrong, (3,5) ok.
        let expect = (1.0 * 2.0 + 4.0 / 3.0 * 1.0) / ((1.0 + 4.0 / 3.0) * 2.0);
        assert!((r.auc[0] - expect).abs() < 1e-12, "{r:?}");
        assert_eq!(r.mean_auc, r.auc[0]);
        // Tied scores count one half.
        let tied = vec![0.5; 5];
        let r = cumulative_dynamic_auc(&Y, &E, &Y, &E, &[tied], &[3.5], 0.0).unwrap();
        assert!((r.auc[0] - 0.5).abs() < 1e-12);
    }
}
