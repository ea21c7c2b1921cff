//! Warnings about survival data that a fit accepts but whose estimates may
//! mislead: the checks lifelines runs before and around its fits, stated as
//! data so that every door words them the same way.
//!
//! None of these is an error: the estimators are defined on such data. A
//! door shows them as warnings (the Python lifelines door as lifelines'
//! `StatisticalWarning` / `ConvergenceWarning`, or its `StatError` for
//! [`FitWarning::RiskSetExhausted`], as lifelines does).
//!
//! # Checks
//!
//! - **Non-integer case weights** ([`weight_warning`]). Weighted estimators
//!   treat weights as frequencies: the model-based (Greenwood, inverse
//!   information) variances are right for counts, biased for sampling or
//!   propensity weights (Xie & Liu 2005, "Adjusted Kaplan–Meier estimator
//!   and log-rank test with inverse probability of treatment weighting";
//!   Austin 2016, "Variance estimation when using inverse probability of
//!   treatment weighting (IPTW) with survival analysis"). Use robust
//!   (sandwich) errors or a bootstrap instead.
//! - **Low variance** ([`covariate_warnings`]): a covariate whose sample
//!   variance `Σ (xᵢ − x̄)² / (n − 1)` is below `10⁻⁴` carries almost no
//!   information and makes the information matrix near singular.
//! - **Separation by the event flag**: a covariate whose variance is not low
//!   overall but is below `10⁻⁴` among the subjects with an event, or among
//!   the censored ones, (nearly) decides who has the event — a form of
//!   complete separation, under which the partial-likelihood maximum is at
//!   infinity (Heinze & Schemper 2001, "A solution to the problem of
//!   monotone likelihood in Cox regression").
//! - **Tracking the durations**: a covariate whose Spearman rank
//!   correlation with the durations is at least `0.99` in absolute value
//!   orders the subjects as their durations do, which is the same kind of
//!   separation. (lifelines correlates argsort vectors of a sample of 500
//!   rows; here the ranks of all rows are used, ties at their mean rank.)
//! - **Risk set exhausted** ([`risk_set_exhausted`]): with left truncation,
//!   an event time `t` at which every subject at risk has the event, while
//!   other subjects enter later. The product-limit estimate is then `0` from
//!   `t` on, whatever happens to the later entrants; lifelines refuses such
//!   data and points to the Breslow–Fleming–Harrington estimator.
//!
//! Two more are found by a fit itself and recorded on its result
//! (`CoxModel::warnings`; see the `cox` module docs for the stopping rules):
//!
//! - **Non-unique solution** ([`FitWarning::NonUniqueSolution`]): Newton–
//!   Raphson met a convergence criterion while the norm of its last step
//!   was still above `0.1` (lifelines' threshold). With a relative
//!   log-likelihood criterion this happens when the likelihood flattens
//!   out along a direction instead of peaking: collinear covariates or
//!   complete separation (monotone likelihood).
//! - **Monotone likelihood** ([`FitWarning::MonotoneLikelihood`]): the
//!   partial log-likelihood came within `10⁻⁴` of its supremum `0` while
//!   the step norm stayed above `1`: the events are ordered perfectly by
//!   the linear predictor and the coefficients run off to infinity (Heinze
//!   & Schemper 2001). The fit stops there and reports the last iterate.
//! - **Not converged** ([`FitWarning::NotConverged`]): only when the caller
//!   asked for the last iterate of a fit that did not converge rather than
//!   an error (lifelines' behaviour).

use crate::error::{check_len, Result};
#[cfg(doc)]
use crate::Error;

/// Variance below which a covariate is reported ([`FitWarning::LowVariance`],
/// [`FitWarning::SeparatesEvents`]); lifelines' threshold.
pub const LOW_VARIANCE: f64 = 1e-4;

/// Absolute Spearman correlation with the durations from which a covariate is
/// reported ([`FitWarning::TracksDurations`]); lifelines' threshold.
pub const TRACKING_CORRELATION: f64 = 0.99;

/// A property of the data that the fit accepts but that may make its
/// estimates misleading. Columns are 0-based indices into the covariates the
/// check was given.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(tag = "kind", rename_all = "snake_case"))]
pub enum FitWarning {
    /// Case weights that are not whole numbers (`row` is the first such row).
    NonIntegerWeights {
        /// 0-based row of the first non-integer weight.
        row: usize,
        /// Its value.
        value: f64,
    },
    /// A covariate with sample variance below [`LOW_VARIANCE`].
    LowVariance {
        /// 0-based covariate index.
        column: usize,
        /// Its sample variance.
        variance: f64,
    },
    /// A covariate with low variance among the subjects with an event or
    /// among the censored ones (but not overall).
    SeparatesEvents {
        /// 0-based covariate index.
        column: usize,
    },
    /// A covariate whose rank correlation with the durations is at least
    /// [`TRACKING_CORRELATION`] in absolute value.
    TracksDurations {
        /// 0-based covariate index.
        column: usize,
        /// The Spearman correlation.
        correlation: f64,
    },
    /// Every subject at risk at `time` has the event there while others
    /// enter later (left truncation): the Kaplan–Meier estimate is 0 from
    /// `time` on.
    RiskSetExhausted {
        /// The event time at which the risk set empties.
        time: f64,
        /// Subjects entering after `time`.
        entering_later: usize,
        /// All subjects.
        subjects: usize,
    },
    /// Newton–Raphson stopped on a convergence criterion with a last step
    /// of norm `norm_delta > 0.1`: the maximum may not be unique.
    NonUniqueSolution {
        /// Euclidean norm of the last Newton step (standardised
        /// coefficients).
        norm_delta: f64,
    },
    /// Newton–Raphson stopped because the partial log-likelihood reached
    /// `log_likelihood`, within `10⁻⁴` of `0`, with a step of norm
    /// `norm_delta > 1` still to take: the maximum is at infinity.
    MonotoneLikelihood {
        /// Partial log-likelihood at the last iterate.
        log_likelihood: f64,
        /// Euclidean norm of the step not taken.
        norm_delta: f64,
    },
    /// Newton–Raphson stopped without converging (iteration limit reached
    /// or step size collapsed) and the fit kept its last iterate, as asked:
    /// the estimate is not a maximum.
    NotConverged {
        /// Iterations performed.
        iterations: usize,
        /// Euclidean norm of the step not taken.
        norm_delta: f64,
    },
}

impl FitWarning {
    /// A stable snake_case tag for the kind of warning.
    pub fn kind(&self) -> &'static str {
        match self {
            FitWarning::NonIntegerWeights { .. } => "non_integer_weights",
            FitWarning::LowVariance { .. } => "low_variance",
            FitWarning::SeparatesEvents { .. } => "separates_events",
            FitWarning::TracksDurations { .. } => "tracks_durations",
            FitWarning::RiskSetExhausted { .. } => "risk_set_exhausted",
            FitWarning::NonUniqueSolution { .. } => "non_unique_solution",
            FitWarning::MonotoneLikelihood { .. } => "monotone_likelihood",
            FitWarning::NotConverged { .. } => "not_converged",
        }
    }

    /// The covariate index the warning is about, if any.
    pub fn column(&self) -> Option<usize> {
        match self {
            FitWarning::LowVariance { column, .. }
            | FitWarning::SeparatesEvents { column }
            | FitWarning::TracksDurations { column, .. } => Some(*column),
            _ => None,
        }
    }

    /// Whether the data leave the estimate without meaning for most of the
    /// sample: a [`FitWarning::RiskSetExhausted`] after which more than half
    /// of the subjects enter (the Kaplan–Meier estimate is then 0 over the
    /// whole follow-up of the majority). A door may refuse such data.
    pub fn undermines_estimate(&self) -> bool {
        matches!(self, FitWarning::RiskSetExhausted { entering_later, subjects, .. }
            if 2 * entering_later > *subjects)
    }

    /// The warning in words; `names` gives the covariates' names (a column
    /// without a name is called by its index).
    pub fn message(&self, names: &[&str]) -> String {
        let name = |c: usize| {
            names
                .get(c)
                .map_or_else(|| format!("#{c}"), |n| (*n).to_string())
        };
        match self {
            FitWarning::NonIntegerWeights { row, value } => format!(
                "case weights are not integers (row {row}: {value}), perhaps sampling or \
                 propensity weights: the model-based variances treat them as frequencies and \
                 are then biased; use robust (sandwich) standard errors or a bootstrap"
            ),
            FitWarning::LowVariance { column, variance } => format!(
                "covariate {} has very low variance (sample variance {variance:.2e}, below 1e-4): it \
                 carries almost no information and may stop the fit from converging; drop it",
                name(*column)
            ),
            FitWarning::SeparatesEvents { column } => format!(
                "the values of covariate {} have very low variance among the subjects with an \
                 event or among the censored ones: it nearly decides who has the event \
                 (complete separation), so its coefficient may be infinite",
                name(*column)
            ),
            FitWarning::TracksDurations {
                column,
                correlation,
            } => format!(
                "covariate {} has rank correlation {correlation:.4} with the durations: it \
                 orders the subjects as their durations do (complete separation), so its \
                 coefficient may be infinite",
                name(*column)
            ),
            FitWarning::RiskSetExhausted {
                time,
                entering_later,
                subjects,
            } => format!(
                "every subject at risk at time {time} has the event there while {entering_later} \
                 of {subjects} subjects enter later, so the Kaplan-Meier estimate is 0 for all \
                 t >= {time}: too few early entry times; the Breslow-Fleming-Harrington \
                 (Nelson-Aalen based) estimate stays positive"
            ),
            FitWarning::NonUniqueSolution { norm_delta } => format!(
                "Newton-Raphson met its convergence criterion, yet the last step is still large: \
                 norm(delta) = {norm_delta:.3}. The likelihood is flat along some direction, so \
                 the estimates may be non-unique: look for collinear covariates or complete \
                 separation"
            ),
            FitWarning::MonotoneLikelihood {
                log_likelihood,
                norm_delta,
            } => format!(
                "the partial log-likelihood ({log_likelihood:.2e}) is within 1e-4 of 0 while \
                 norm(delta) = {norm_delta:.3} is still large: the linear predictor orders the \
                 events perfectly (complete separation), the coefficients grow without bound and \
                 the fit stopped at its last iterate"
            ),
            FitWarning::NotConverged {
                iterations,
                norm_delta,
            } => format!(
                "Newton-Raphson did not converge: it stopped after {iterations} iterations with \
                 norm(delta) = {norm_delta:.3} still to go (iteration limit or step size \
                 exhausted). The estimates are its last iterate, not a maximum of the \
                 likelihood; look for complete separation or raise the iteration limit"
            ),
        }
    }
}

/// Every warning for one fit's data, in this order: non-integer weights
/// ([`weight_warning`], when `weights` is given), an exhausted risk set
/// ([`risk_set_exhausted`], when `entries` is given), then the covariate
/// warnings ([`covariate_warnings`]; with `separation` false only the
/// low-variance ones, which skip ranking every column: lifelines looks for
/// separation only once a fit has failed or looks suspicious).
///
/// # Errors
///
/// [`Error::LengthMismatch`] when an input does not have one value per
/// duration.
pub fn fit_warnings<C: AsRef<[f64]>>(
    durations: &[f64],
    events: &[bool],
    covariates: &[C],
    weights: Option<&[f64]>,
    entries: Option<&[f64]>,
    separation: bool,
) -> Result<Vec<FitWarning>> {
    let mut out = Vec::new();
    if let Some(w) = weights {
        check_len("weights", durations.len(), w.len())?;
        out.extend(weight_warning(w));
    }
    if let Some(a) = entries {
        out.extend(risk_set_exhausted(durations, events, a)?);
    }
    out.extend(covariate_checks(durations, events, covariates, separation)?);
    Ok(out)
}

/// [`FitWarning::NonIntegerWeights`] for the first weight that is not a
/// whole number, or `None`. Validity (finite, positive) is the fit's check,
/// not this one's.
pub fn weight_warning(weights: &[f64]) -> Option<FitWarning> {
    weights
        .iter()
        .position(|w| w.is_finite() && w.fract() != 0.0)
        .map(|row| FitWarning::NonIntegerWeights {
            row,
            value: weights[row],
        })
}

/// The low-variance and separation warnings for each covariate column, in
/// column order ([`FitWarning::LowVariance`], [`FitWarning::SeparatesEvents`],
/// [`FitWarning::TracksDurations`]).
///
/// # Errors
///
/// [`Error::LengthMismatch`] when a column or `events` does not have one
/// value per duration. Non-finite values are not checked here (the fit
/// reports them); a column holding one gets no warning.
pub fn covariate_warnings<C: AsRef<[f64]>>(
    durations: &[f64],
    events: &[bool],
    covariates: &[C],
) -> Result<Vec<FitWarning>> {
    covariate_checks(durations, events, covariates, true)
}

/// [`covariate_warnings`], or only its low-variance checks without
/// `separation`.
fn covariate_checks<C: AsRef<[f64]>>(
    durations: &[f64],
    events: &[bool],
    covariates: &[C],
    separation: bool,
) -> Result<Vec<FitWarning>> {
    check_len("event_observed", durations.len(), events.len())?;
    for c in covariates {
        check_len("covariate", durations.len(), c.as_ref().len())?;
    }
    let duration_ranks = if separation && !covariates.is_empty() {
        ranks(durations)
    } else {
        None
    };
    let mut out = Vec::new();
    for (column, c) in covariates.iter().enumerate() {
        let x = c.as_ref();
        if x.iter().any(|v| !v.is_finite()) {
            continue;
        }
        let overall = sample_variance(x.iter().copied());
        if overall.is_some_and(|v| v < LOW_VARIANCE) {
            out.push(FitWarning::LowVariance {
                column,
                variance: overall.unwrap_or(0.0),
            });
            continue;
        }
        if !separation {
            continue;
        }
        let within = |flag: bool| {
            sample_variance(
                x.iter()
                    .zip(events)
                    .filter(|(_, &e)| e == flag)
                    .map(|(&v, _)| v),
            )
        };
        let low = |v: Option<f64>| v.is_some_and(|v| v < LOW_VARIANCE);
        if low(within(true)) || low(within(false)) {
            out.push(FitWarning::SeparatesEvents { column });
        }
        let correlation = duration_ranks
            .as_deref()
            .zip(ranks(x))
            .and_then(|(rd, rx)| pearson(rd, &rx));
        if let Some(correlation) = correlation.filter(|r| r.abs() >= TRACKING_CORRELATION) {
            out.push(FitWarning::TracksDurations {
                column,
                correlation,
            });
        }
    }
    Ok(out)
}

/// [`FitWarning::RiskSetExhausted`] at the first event time where every
/// subject at risk has the event while some subject enters later, or `None`.
///
/// A subject is at risk at `t` when `entry < t ≤ duration` (entry 0 for all
/// when `entries` is empty, and then the warning cannot occur).
///
/// # Errors
///
/// [`Error::LengthMismatch`] for inputs of different lengths. Values are not
/// validated here (the estimator reports bad rows); rows with a non-finite
/// value are skipped.
pub fn risk_set_exhausted(
    durations: &[f64],
    events: &[bool],
    entries: &[f64],
) -> Result<Option<FitWarning>> {
    check_len("event_observed", durations.len(), events.len())?;
    if entries.is_empty() {
        return Ok(None);
    }
    check_len("entry", durations.len(), entries.len())?;
    let rows: Vec<usize> = (0..durations.len())
        .filter(|&i| durations[i].is_finite() && entries[i].is_finite())
        .collect();
    // Event times ascending; each is checked against the risk set there.
    let mut times: Vec<f64> = rows
        .iter()
        .filter(|&&i| events[i])
        .map(|&i| durations[i])
        .collect();
    times.sort_unstable_by(f64::total_cmp);
    times.dedup();
    let mut by_entry: Vec<f64> = rows.iter().map(|&i| entries[i]).collect();
    by_entry.sort_unstable_by(f64::total_cmp);
    let mut by_exit: Vec<f64> = rows.iter().map(|&i| durations[i]).collect();
    by_exit.sort_unstable_by(f64::total_cmp);
    let mut deaths: Vec<f64> = rows
        .iter()
        .filter(|&&i| events[i])
        .map(|&i| durations[i])
        .collect();
    deaths.sort_unstable_by(f64::total_cmp);
    for &t in &times {
        // at risk: entry < t and duration >= t
        let entered = by_entry.partition_point(|&e| e < t);
        let left = by_exit.partition_point(|&d| d < t);
        let at_risk = entered.saturating_sub(left);
        let died = deaths.partition_point(|&d| d <= t) - deaths.partition_point(|&d| d < t);
        let later = by_entry.len() - by_entry.partition_point(|&e| e < t);
        if at_risk > 0 && died >= at_risk && later > 0 {
            return Ok(Some(FitWarning::RiskSetExhausted {
                time: t,
                entering_later: later,
                subjects: rows.len(),
            }));
        }
    }
    Ok(None)
}

/// Sample variance (denominator `n − 1`); `None` for fewer than two values.
fn sample_variance(values: impl Iterator<Item = f64> + Clone) -> Option<f64> {
    let (n, sum) = values
        .clone()
        .fold((0usize, 0.0), |(n, s), v| (n + 1, s + v));
    if n < 2 {
        return None;
    }
    let mean = sum / n as f64;
    let ss: f64 = values.map(|v| (v - mean) * (v - mean)).sum();
    Some(ss / (n - 1) as f64)
}

/// Ranks `1..=n` with ties at their mean rank; `None` for non-finite values.
fn ranks(values: &[f64]) -> Option<Vec<f64>> {
    if values.iter().any(|v| !v.is_finite()) {
        return None;
    }
    let mut order: Vec<usize> = (0..values.len()).collect();
    order.sort_unstable_by(|&a, &b| values[a].total_cmp(&values[b]));
    let mut out = vec![0.0; values.len()];
    let mut start = 0;
    while start < order.len() {
        let mut end = start + 1;
        while end < order.len() && values[order[end]] == values[order[start]] {
            end += 1;
        }
        let mean_rank = (start + end + 1) as f64 / 2.0;
        for &i in &order[start..end] {
            out[i] = mean_rank;
        }
        start = end;
    }
    Some(out)
}

/// Pearson correlation; `None` when either side has no spread.
fn pearson(a: &[f64], b: &[f64]) -> Option<f64> {
    let n = a.len() as f64;
    let (ma, mb) = (a.iter().sum::<f64>() / n, b.iter().sum::<f64>() / n);
    let (mut sab, mut saa, mut sbb) = (0.0, 0.0, 0.0);
    for (&x, &y) in a.iter().zip(b) {
        sab += (x - ma) * (y - mb);
        saa += (x - ma) * (x - ma);
        sbb += (y - mb) * (y - mb);
    }
    (saa > 0.0 && sbb > 0.0).then(|| (sab / (saa * sbb).sqrt()).clamp(-1.0, 1.0))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Error;

    #[test]
    fn non_integer_weights_name_the_first_row() {
        assert_eq!(weight_warning(&[1.0, 2.0, 3.0]), None);
        assert_eq!(
            weight_warning(&[1.0, 2.5, 0.5]),
            Some(FitWarning::NonIntegerWeights { row: 1, value: 2.5 })
        );
    }

    #[test]
    fn constant_column_is_low_variance_and_nothing_else() {
        let d = [1.0, 2.0, 3.0, 4.0];
        let e = [true, false, true, true];
        let w = covariate_warnings(&d, &e, &[vec![1.0; 4]]).unwrap();
        assert_eq!(
            w,
            vec![FitWarning::LowVariance {
                column: 0,
                variance: 0.0
            }]
        );
    }

    #[test]
    fn a_column_constant_among_events_separates() {
        // x = 1 for every event, varied among the censored: separation.
        let d = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0];
        let e = [true, false, true, false, true, false];
        let x = [1.0, 0.0, 1.0, 3.0, 1.0, 2.0];
        let w = covariate_warnings(&d, &e, &[x]).unwrap();
        assert_eq!(w, vec![FitWarning::SeparatesEvents { column: 0 }]);
        assert!(w[0].message(&["paro"]).contains("paro"));
    }

    #[test]
    fn a_column_ordered_like_the_durations_tracks_them() {
        // Spearman: ranks of x equal ranks of d reversed -> -1.
        let d = [1.0, 2.0, 3.0, 4.0, 5.0];
        let e = [true; 5];
        let x = [10.0, 8.0, 7.0, 1.0, -3.0];
        let w = covariate_warnings(&d, &e, &[x]).unwrap();
        assert_eq!(w.len(), 1);
        let FitWarning::TracksDurations {
            column,
            correlation,
        } = w[0]
        else {
            panic!()
        };
        assert_eq!(column, 0);
        assert!((correlation + 1.0).abs() < 1e-15);
        // One swap out of order: rho = 1 - 6*2/(5*24) = 0.9 -> no warning.
        let x = [1.0, 2.0, 4.0, 3.0, 5.0];
        assert!(covariate_warnings(&d, &e, &[x]).unwrap().is_empty());
    }

    #[test]
    fn ranks_average_ties() {
        assert_eq!(
            ranks(&[3.0, 1.0, 3.0, 2.0]).unwrap(),
            vec![3.5, 1.0, 3.5, 2.0]
        );
    }

    #[test]
    fn risk_set_exhausted_only_with_later_entries() {
        // Two subjects from 0 die at 1; a third enters at 1 (after the event
        // time, as entry < t is needed to be at risk) and dies at 2.
        let d = [1.0, 1.0, 2.0];
        let e = [true, true, true];
        let found = risk_set_exhausted(&d, &e, &[0.0, 0.0, 1.0]).unwrap();
        assert_eq!(
            found,
            Some(FitWarning::RiskSetExhausted {
                time: 1.0,
                entering_later: 1,
                subjects: 3
            })
        );
        assert!(!found.unwrap().undermines_estimate());
        // Most subjects enter after the risk set empties at 1.
        let d = [1.0, 5.0, 6.0];
        let found = risk_set_exhausted(&d, &e, &[0.0, 2.0, 3.0])
            .unwrap()
            .unwrap();
        assert!(found.undermines_estimate());
        // Entered at 0.5 instead: at risk at 1 and survives it.
        assert_eq!(risk_set_exhausted(&d, &e, &[0.0, 0.0, 0.5]).unwrap(), None);
        // No truncation: the last death empties the risk set, nobody later.
        assert_eq!(risk_set_exhausted(&d, &e, &[]).unwrap(), None);
        assert_eq!(risk_set_exhausted(&d, &e, &[0.0; 3]).unwrap(), None);
    }

    #[test]
    fn fit_warnings_come_in_a_fixed_order() {
        let d = [1.0, 1.0, 2.0];
        let e = [true, true, true];
        let w = fit_warnings(
            &d,
            &e,
            &[[5.0; 3]],
            Some(&[1.0, 0.5, 1.0]),
            Some(&[0.0, 0.0, 1.0]),
            true,
        );
        let kinds: Vec<_> = w.unwrap().iter().map(FitWarning::kind).collect();
        assert_eq!(
            kinds,
            ["non_integer_weights", "risk_set_exhausted", "low_variance"]
        );
        assert!(matches!(
            fit_warnings(&d, &e, &[[1.0; 3]], Some(&[1.0]), None, true),
            Err(Error::LengthMismatch { .. })
        ));
        // Without the separation checks a separating column passes; a
        // constant one is still reported.
        let d = [1.0, 2.0, 3.0, 4.0];
        let e = [true, true, false, false];
        let separating = [1.0, 1.0, 0.0, 2.0];
        let kinds = |separation| -> Vec<&str> {
            fit_warnings(&d, &e, &[separating, [3.0; 4]], None, None, separation)
                .unwrap()
                .iter()
                .map(FitWarning::kind)
                .collect()
        };
        assert_eq!(kinds(true), ["separates_events", "low_variance"]);
        assert_eq!(kinds(false), ["low_variance"]);
    }

    #[test]
    fn lengths_are_checked() {
        assert!(matches!(
            covariate_warnings(&[1.0], &[true, false], &[[1.0]]),
            Err(Error::LengthMismatch { .. })
        ));
        assert!(matches!(
            risk_set_exhausted(&[1.0], &[true], &[0.0, 1.0]),
            Err(Error::LengthMismatch { .. })
        ));
    }
}
