//! Turnbull's nonparametric maximum-likelihood estimate for interval-censored
//! data.
//!
//! See the [module overview](super) for the formulas and references.

use crate::error::{check_len, Error, IssueKind, Issues, Result};

/// Options of [`turnbull`].
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(default, deny_unknown_fields))]
pub struct TurnbullOptions {
    /// Stop once an EM step raises the log-likelihood by less than this
    /// (finite, `> 0`). Default `1e-5`, lifelines' default for
    /// `fit_interval_censoring`.
    pub tol: f64,
    /// Upper bound on the number of iterations (1 to
    /// [`MAX_FIT_ITERATIONS`](crate::models::MAX_FIT_ITERATIONS)). Default
    /// 100 000, as lifelines.
    pub max_iterations: usize,
}

impl Default for TurnbullOptions {
    fn default() -> Self {
        TurnbullOptions {
            tol: 1e-5,
            max_iterations: 100_000,
        }
    }
}

/// A fitted Turnbull NPMLE.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Turnbull {
    /// Left ends `a_k` of the Turnbull intervals, increasing.
    pub left: Vec<f64>,
    /// Right ends `b_k` of the Turnbull intervals (`a_k ≤ b_k < a_{k+1}`).
    pub right: Vec<f64>,
    /// Probability mass `p_k` of each interval.
    pub probabilities: Vec<f64>,
    /// Log-likelihood of [`Turnbull::probabilities`].
    pub log_likelihood: f64,
    /// Iterations run.
    pub iterations: usize,
    /// Whether the stopping rule was met within `max_iterations`.
    pub converged: bool,
    /// The distinct interval ends of the data, increasing (lifelines'
    /// default timeline).
    pub times: Vec<f64>,
}

/// The two survival curves of a [`Turnbull`] fit read on a timeline.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct TurnbullCurve {
    /// The timeline.
    pub times: Vec<f64>,
    /// Survival with each interval's mass at its right end.
    pub upper: Vec<f64>,
    /// Survival with each interval's mass at its left end.
    pub lower: Vec<f64>,
}

/// Observations merged by interval: `(l, r, summed weight)`, sorted.
type Merged = Vec<(f64, f64, f64)>;

fn validate(
    lower: &[f64],
    upper: &[f64],
    weights: Option<&[f64]>,
    events: Option<&[bool]>,
) -> Result<()> {
    check_len("upper_bound", lower.len(), upper.len())?;
    if lower.is_empty() {
        return Err(Error::EmptyInput {
            what: "lower_bound",
        });
    }
    if let Some(w) = weights {
        check_len("weights", lower.len(), w.len())?;
    }
    if let Some(e) = events {
        check_len("event_observed", lower.len(), e.len())?;
    }
    let mut issues = Issues::default();
    for (row, (&l, &r)) in lower.iter().zip(upper).enumerate() {
        if !l.is_finite() {
            issues.push(row, "lower_bound", l, IssueKind::NotFinite);
        } else if r.is_nan() || r == f64::NEG_INFINITY {
            issues.push(row, "upper_bound", r, IssueKind::NotFinite);
        } else if r < l {
            let kind = IssueKind::OutOfRange {
                min: l,
                max: f64::INFINITY,
            };
            issues.push(row, "upper_bound", r, kind);
        } else if let Some(&e) = events.and_then(|e| e.get(row)) {
            // An exact observation is one with l = r, and only that.
            if e != (l == r) {
                issues.push(
                    row,
                    "event_observed",
                    f64::from(u8::from(e)),
                    IssueKind::NotApplicable,
                );
            }
        }
        if let Some(&w) = weights.and_then(|w| w.get(row)) {
            crate::error::check_non_negative(&mut issues, row, "weights", w);
        }
    }
    issues.finish()
}

/// Turnbull's NPMLE of interval-censored data `[lower_i, upper_i]`; see the
/// [module overview](super).
///
/// `weights` are case weights (default 1). `event_observed`, when given,
/// must be `true` exactly where `lower_i == upper_i`.
///
/// # Errors
/// [`Error::LengthMismatch`], [`Error::EmptyInput`], [`Error::InvalidRows`]
/// (a non-finite lower bound, an upper bound that is NaN or below the lower
/// one, a negative or non-finite weight, an event flag that disagrees with
/// the bounds; all rows listed), [`Error::InvalidParameter`] for a bad
/// `tol` or `max_iterations` or when every weight is 0.
pub fn turnbull(
    lower: &[f64],
    upper: &[f64],
    weights: Option<&[f64]>,
    event_observed: Option<&[bool]>,
    options: &TurnbullOptions,
) -> Result<Turnbull> {
    if !(options.tol.is_finite() && options.tol > 0.0) {
        return Err(Error::parameter(
            "tol",
            options.tol,
            "must be finite and > 0",
        ));
    }
    crate::models::check_max_iterations(options.max_iterations, 1)?;
    validate(lower, upper, weights, event_observed)?;
    let weight = |i: usize| weights.map_or(1.0, |w| w[i]);
    let merged = merge(lower, upper, &weight);
    let total: f64 = merged.iter().map(|m| m.2).sum();
    if total.is_nan() || total <= 0.0 {
        return Err(Error::parameter("weights", total, "must not all be 0"));
    }
    let (left, right) = intervals(lower, upper);
    let ranges = ranges(&merged, &left, &right);
    let w: Vec<f64> = merged.iter().map(|m| m.2).collect();
    let (probabilities, iterations, converged) = em(&ranges, &w, total, left.len(), options);
    let log_likelihood = log_likelihood(&probabilities, &ranges, &w);
    let mut times: Vec<f64> = lower.iter().chain(upper).map(|&t| t + 0.0).collect();
    times.sort_unstable_by(f64::total_cmp);
    times.dedup();
    Ok(Turnbull {
        left,
        right,
        probabilities,
        log_likelihood,
        iterations,
        converged,
        times,
    })
}

/// Identical intervals merged, weights summed, sorted by `(l, r)`.
fn merge(lower: &[f64], upper: &[f64], weight: &dyn Fn(usize) -> f64) -> Merged {
    let mut rows: Vec<(f64, f64, usize)> = lower
        .iter()
        .zip(upper)
        .enumerate()
        .map(|(i, (&l, &r))| (l + 0.0, r + 0.0, i))
        .collect();
    rows.sort_unstable_by(|a, b| {
        a.0.total_cmp(&b.0)
            .then(a.1.total_cmp(&b.1))
            .then(a.2.cmp(&b.2))
    });
    let mut out: Merged = Vec::new();
    for (l, r, i) in rows {
        match out.last_mut() {
            Some(last) if last.0 == l && last.1 == r => last.2 += weight(i),
            _ => out.push((l, r, weight(i))),
        }
    }
    out
}

/// Turnbull intervals: each left end immediately followed by a right end in
/// the sorted list of all ends (left before right at equal values).
fn intervals(lower: &[f64], upper: &[f64]) -> (Vec<f64>, Vec<f64>) {
    // Tag 0 = left end, 1 = right end: sorts left first at ties.
    let mut ends: Vec<(f64, u8)> = lower
        .iter()
        .map(|&l| (l + 0.0, 0))
        .chain(upper.iter().map(|&r| (r + 0.0, 1)))
        .collect();
    ends.sort_unstable_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    let (mut left, mut right) = (Vec::new(), Vec::new());
    for w in ends.windows(2) {
        if w[0].1 == 0 && w[1].1 == 1 {
            left.push(w[0].0);
            right.push(w[1].0);
        }
    }
    (left, right)
}

/// For each merged observation, the (contiguous, non-empty) range of
/// Turnbull intervals it contains: from the first interval starting at or
/// after `l` to the last ending at or before `r`.
fn ranges(merged: &Merged, left: &[f64], right: &[f64]) -> Vec<(usize, usize)> {
    merged
        .iter()
        .map(|&(l, r, _)| {
            let first = left.partition_point(|&a| a < l);
            let last = right.partition_point(|&b| b <= r).saturating_sub(1);
            (first, last.max(first))
        })
        .collect()
}

/// `Σ_i wᵢ log(P[last+1] − P[first])` with `P` the running sums of `p`.
fn log_likelihood(p: &[f64], ranges: &[(usize, usize)], w: &[f64]) -> f64 {
    let cum = running_sums(p);
    ranges
        .iter()
        .zip(w)
        .map(|(&(a, b), &wi)| wi * (cum[b + 1] - cum[a]).ln())
        .sum()
}

fn running_sums(p: &[f64]) -> Vec<f64> {
    let mut cum = Vec::with_capacity(p.len() + 1);
    let mut s = 0.0;
    cum.push(s);
    for &x in p {
        s += x;
        cum.push(s);
    }
    cum
}

/// One self-consistency step (normalised).
fn em_step(p: &[f64], ranges: &[(usize, usize)], w: &[f64], total: f64) -> Vec<f64> {
    let cum = running_sums(p);
    // Range additions through a difference array.
    let mut diff = vec![0.0; p.len() + 1];
    for (&(a, b), &wi) in ranges.iter().zip(w) {
        let share = wi / (cum[b + 1] - cum[a]);
        diff[a] += share;
        diff[b + 1] -= share;
    }
    let mut m = 0.0;
    let mut next: Vec<f64> = p
        .iter()
        .zip(&diff)
        .map(|(&pk, &d)| {
            m += d;
            pk * (m / total)
        })
        .collect();
    let sum: f64 = next.iter().sum();
    for x in &mut next {
        *x /= sum;
    }
    next
}

fn log_odds(p: f64) -> f64 {
    p.ln() - (1.0 - p).ln()
}

fn logistic(x: f64) -> f64 {
    let o = x.exp();
    o / (o + 1.0)
}

/// EM with lifelines' log-odds line search; returns `(p, iterations,
/// converged)`.
fn em(
    ranges: &[(usize, usize)],
    w: &[f64],
    total: f64,
    k: usize,
    options: &TurnbullOptions,
) -> (Vec<f64>, usize, bool) {
    let mut p = vec![1.0 / k as f64; k];
    let mut i = 0;
    let mut converged = false;
    while !converged && i < options.max_iterations {
        let next = em_step(&p, ranges, w, total);
        let gain = log_likelihood(&next, ranges, w) - log_likelihood(&p, ranges, w);
        converged = (0.0..options.tol).contains(&gain);
        let theta: Vec<f64> = p.iter().map(|&x| log_odds(x)).collect();
        let delta: Vec<f64> = next
            .iter()
            .zip(&theta)
            .map(|(&x, &t)| log_odds(x) - t)
            .collect();
        let mut best = (f64::NEG_INFINITY, None);
        for step in [1.0, 1.25, 1.95] {
            let candidate: Vec<f64> = theta
                .iter()
                .zip(&delta)
                .map(|(&t, &d)| logistic(t + step * d))
                .collect();
            let ll = log_likelihood(&candidate, ranges, w);
            if best.0 < ll {
                best = (ll, Some(candidate));
            }
        }
        if let (_, Some(candidate)) = best {
            p = candidate;
        }
        i += 1;
    }
    (p, i, converged)
}

impl Turnbull {
    /// The `(upper, lower)` survival curves read at `timeline` (in the given
    /// order; the distinct interval ends of the data when `None`), as
    /// lifelines builds them. Walking the intervals in order with `R` the
    /// mass not yet placed (1 at first), the curves are known at the
    /// interval ends and at 0: `(1, 1)` at 0, `(R, R)` at each `a_k`, and
    /// at `b_k ≠ a_k` upper `R` and lower `R − p_k`. Between known points a
    /// curve takes the value of the next known point; after the last, the
    /// mass left over (0 up to rounding); negative values are clipped to 0.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] when a timeline point is NaN.
    pub fn survival(&self, timeline: Option<&[f64]>) -> Result<TurnbullCurve> {
        // Known points: (time, upper, lower), later writes winning.
        let mut known: Vec<(f64, f64, f64)> = vec![(0.0, 1.0, 1.0)];
        let mut remaining = 1.0;
        for ((&a, &b), &p) in self.left.iter().zip(&self.right).zip(&self.probabilities) {
            known.push((a, remaining, remaining));
            if a != b {
                known.push((b, remaining, remaining - p));
            }
            remaining -= p;
        }
        // Stable sort by time, then keep the last write at each time.
        known.sort_by(|x, y| x.0.total_cmp(&y.0));
        let mut points: Vec<(f64, f64, f64)> = Vec::with_capacity(known.len());
        for k in known {
            match points.last_mut() {
                Some(last) if last.0 == k.0 => *last = k,
                _ => points.push(k),
            }
        }
        let at = timeline.unwrap_or(&self.times);
        let mut curve = TurnbullCurve {
            times: Vec::with_capacity(at.len()),
            upper: Vec::with_capacity(at.len()),
            lower: Vec::with_capacity(at.len()),
        };
        for &t in at {
            if t.is_nan() {
                return Err(Error::parameter("timeline", t, "must be a number"));
            }
            let j = points.partition_point(|q| q.0 < t);
            let (u, l) = points.get(j).map_or((remaining, remaining), |q| (q.1, q.2));
            curve.times.push(t);
            curve.upper.push(u.max(0.0));
            curve.lower.push(l.max(0.0));
        }
        Ok(curve)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn intervals_follow_the_sorted_ends() {
        // Ends: 0l 0l 1r 2l 2l 3r 4l 4r 5l 6r 6r 7r -> [0,1], [2,3], [4,4], [5,6].
        let (l, r) = intervals(
            &[0.0, 4.0, 2.0, 0.0, 2.0, 5.0],
            &[1.0, 6.0, 6.0, 3.0, 4.0, 7.0],
        );
        assert_eq!(l, vec![0.0, 2.0, 4.0, 5.0]);
        assert_eq!(r, vec![1.0, 3.0, 4.0, 6.0]);
    }

    #[test]
    fn exact_observations_give_the_empirical_distribution() {
        // All exact: the NPMLE puts mass 1/n on each time (two at 2).
        let t = [1.0, 2.0, 2.0, 5.0];
        let fit = turnbull(&t, &t, None, None, &TurnbullOptions::default()).unwrap();
        assert_eq!(fit.left, vec![1.0, 2.0, 5.0]);
        let expected = [0.25, 0.5, 0.25];
        for (p, e) in fit.probabilities.iter().zip(expected) {
            assert!((p - e).abs() < 1e-9, "{p} vs {e}");
        }
        assert!(fit.converged);
        let curve = fit.survival(Some(&[0.0, 1.0, 1.5, 2.0, 9.0])).unwrap();
        // At an exact time the drop shows from the next known point on.
        assert_eq!(curve.upper[0], 1.0);
        assert!((curve.upper[2] - 0.75).abs() < 1e-9);
        assert!(curve.upper[4].abs() < 1e-9);
    }

    #[test]
    fn bad_rows_and_options_are_errors() {
        let err = turnbull(
            &[1.0, f64::NAN, 3.0, 1.0],
            &[2.0, 2.0, 1.0, 1.0],
            Some(&[1.0, 1.0, 1.0, -1.0]),
            Some(&[false, false, false, false]),
            &TurnbullOptions::default(),
        )
        .unwrap_err();
        let Error::InvalidRows { issues } = err else {
            panic!("wrong variant")
        };
        let fields: Vec<(usize, &str)> = issues.iter().map(|i| (i.row, i.field)).collect();
        assert_eq!(
            fields,
            vec![
                (1, "lower_bound"),
                (2, "upper_bound"),
                (3, "event_observed"),
                (3, "weights")
            ]
        );
        let opts = TurnbullOptions {
            tol: 0.0,
            ..Default::default()
        };
        assert!(turnbull(&[1.0], &[2.0], None, None, &opts).is_err());
        assert!(matches!(
            turnbull(&[], &[], None, None, &TurnbullOptions::default()),
            Err(Error::EmptyInput { .. })
        ));
    }
}
