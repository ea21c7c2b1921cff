//! Harrell's concordance index in `O(n log n)`.
//!
//! See the [module overview](super) for the definition.

use super::keys::{duration_key, order_by_keys};
use crate::error::{Error, IssueKind, Issues, Result};

/// Pair counts behind a concordance index.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct ConcordanceSummary {
    /// Comparable pairs ordered the same way by score and by time.
    pub concordant: u64,
    /// Comparable pairs whose scores tie.
    pub tied_score: u64,
    /// All comparable pairs.
    pub comparable: u64,
}

impl ConcordanceSummary {
    /// `(concordant + tied_score/2) / comparable`, `None` without comparable
    /// pairs.
    pub fn index(&self) -> Option<f64> {
        (self.comparable > 0).then(|| {
            (self.concordant as f64 + self.tied_score as f64 / 2.0) / self.comparable as f64
        })
    }
}

/// Concordance index of `predicted_scores` (higher = expected to survive
/// longer) against right-censored `event_times`; the definition of
/// `lifelines.utils.concordance_index`.
///
/// To score a risk (higher = earlier event), pass its negation.
///
/// # Errors
/// As [`concordance_summary`], plus [`Error::EmptyInput`] (`"comparable
/// pairs"`) when no pair is comparable (for example when no event was
/// observed).
pub fn concordance_index(
    event_times: &[f64],
    predicted_scores: &[f64],
    event_observed: &[bool],
) -> Result<f64> {
    concordance_summary(event_times, predicted_scores, event_observed)?
        .index()
        .ok_or(Error::EmptyInput {
            what: "comparable pairs",
        })
}

/// The pair counts behind [`concordance_index`].
///
/// # Errors
/// [`Error::LengthMismatch`] (`predicted_scores`, `event_observed`),
/// [`Error::EmptyInput`] for no subjects, and [`Error::InvalidRows`] listing
/// every non-finite time (`event_time`) and non-finite score
/// (`predicted_score`). Times may be negative: only their order matters
/// (the index is the same after shifting every time).
pub fn concordance_summary(
    event_times: &[f64],
    predicted_scores: &[f64],
    event_observed: &[bool],
) -> Result<ConcordanceSummary> {
    let n = event_times.len();
    for (field, len) in [
        ("predicted_scores", predicted_scores.len()),
        ("event_observed", event_observed.len()),
    ] {
        crate::error::check_len(field, n, len)?;
    }
    if n == 0 {
        return Err(Error::EmptyInput {
            what: "event_times",
        });
    }
    let mut issues = Issues::default();
    for (row, (&t, &s)) in event_times.iter().zip(predicted_scores).enumerate() {
        if !t.is_finite() {
            issues.push(row, "event_time", t, IssueKind::NotFinite);
        }
        if !s.is_finite() {
            issues.push(row, "predicted_score", s, IssueKind::NotFinite);
        }
    }
    issues.finish()?;
    Ok(concordance_counts(
        event_times,
        predicted_scores,
        event_observed,
    ))
}

/// Fenwick (binary indexed) tree of counts.
struct Fenwick {
    tree: Vec<u64>,
}

impl Fenwick {
    fn new(n: usize) -> Self {
        Fenwick {
            tree: vec![0; n + 1],
        }
    }

    fn add(&mut self, index: usize) {
        let mut i = index + 1;
        while i < self.tree.len() {
            self.tree[i] += 1;
            i += i & i.wrapping_neg();
        }
    }

    /// Count of inserted indices `< end`.
    fn prefix(&self, end: usize) -> u64 {
        let mut i = end;
        let mut s = 0;
        while i > 0 {
            s += self.tree[i];
            i &= i - 1;
        }
        s
    }
}

/// Counts on validated input (finite scores and times).
pub(crate) fn concordance_counts(
    times: &[f64],
    scores: &[f64],
    events: &[bool],
) -> ConcordanceSummary {
    let n = times.len();
    // Only the order of the times matters: negative times are replaced by
    // their rank among the distinct times (the keys below need times ≥ 0).
    let ranked: Vec<f64>;
    let times = if times.iter().any(|&t| t < 0.0) {
        let mut distinct = times.to_vec();
        distinct.sort_unstable_by(f64::total_cmp);
        distinct.dedup_by(|a, b| a == b);
        ranked = times
            .iter()
            .map(|&t| distinct.partition_point(|&v| v < t) as f64)
            .collect();
        &ranked[..]
    } else {
        times
    };
    // Distinct scores of the subjects with an event: the values the pool can
    // hold.
    let mut values: Vec<f64> = scores
        .iter()
        .zip(events)
        .filter(|(_, &e)| e)
        .map(|(&s, _)| s + 0.0)
        .collect();
    if values.is_empty() {
        return ConcordanceSummary::default();
    }
    values.sort_unstable_by(f64::total_cmp);
    values.dedup();

    // Each subject's rank among those values: how many are strictly smaller,
    // and whether the subject's own score is one of them.
    let ranks: Vec<(usize, bool)> = scores
        .iter()
        .map(|&s| {
            let s = s + 0.0;
            let below = values.partition_point(|&v| v < s);
            (below, values.get(below) == Some(&s))
        })
        .collect();

    // Visit in time order; within a time, events before censorings.
    let keys: Vec<u64> = times
        .iter()
        .zip(events)
        .map(|(&t, &e)| (duration_key(t) << 1) | u64::from(!e))
        .collect();
    let order = order_by_keys(keys.iter().copied());

    let mut pool = Fenwick::new(values.len());
    let mut pool_count = vec![0u64; values.len()];
    let mut pool_size = 0u64;
    let mut out = ConcordanceSummary::default();
    let mut query = |row: usize, pool: &Fenwick, pool_count: &[u64], pool_size: u64| {
        let (below, present) = ranks[row];
        out.comparable += pool_size;
        out.concordant += pool.prefix(below);
        if present {
            out.tied_score += pool_count[below];
        }
    };

    let mut i = 0;
    while i < n {
        let time_key = keys[order[i]] >> 1;
        // Events at this time: compared with earlier events only, then added.
        let mut j = i;
        while j < n && keys[order[j]] == time_key << 1 {
            query(order[j], &pool, &pool_count, pool_size);
            j += 1;
        }
        for &row in &order[i..j] {
            let (below, _) = ranks[row];
            pool.add(below);
            pool_count[below] += 1;
            pool_size += 1;
        }
        // Censorings at this time: compared with events up to and including
        // this time, never added.
        let mut k = j;
        while k < n && keys[order[k]] >> 1 == time_key {
            query(order[k], &pool, &pool_count, pool_size);
            k += 1;
        }
        i = k;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_example_by_hand() {
        // Subjects (time, event, score):
        // a (1, yes, 1), b (2, yes, 3), c (2, no, 3), d (3, no, 0)
        // Comparable pairs: a–b, a–c, a–d, b–d, and b–c (c is censored at
        // b's event time, so counts as outliving b).
        // a–b: 1 < 3 concordant; a–c: concordant; a–d: 1 > 0 discordant;
        // b–d: 3 > 0 discordant; b–c: scores tie, one half.
        let s = concordance_summary(
            &[1.0, 2.0, 2.0, 3.0],
            &[1.0, 3.0, 3.0, 0.0],
            &[true, true, false, false],
        )
        .unwrap();
        assert_eq!(
            s,
            ConcordanceSummary {
                concordant: 2,
                tied_score: 1,
                comparable: 5
            }
        );
        assert_eq!(s.index(), Some(2.5 / 5.0));
        // Shifting every time (even below zero) changes nothing.
        let shifted = concordance_summary(
            &[-4.0, -3.0, -3.0, -2.0],
            &[1.0, 3.0, 3.0, 0.0],
            &[true, true, false, false],
        )
        .unwrap();
        assert_eq!(shifted, s);
    }

    #[test]
    fn errors() {
        assert!(matches!(
            concordance_index(&[1.0, 2.0], &[1.0, 2.0], &[false, false]),
            Err(Error::EmptyInput {
                what: "comparable pairs"
            })
        ));
        let err =
            concordance_index(&[1.0, f64::INFINITY], &[f64::NAN, 2.0], &[true, true]).unwrap_err();
        let Error::InvalidRows { issues } = err else {
            panic!("wrong variant")
        };
        let fields: Vec<_> = issues.iter().map(|i| (i.row, i.field)).collect();
        assert_eq!(fields, [(0, "predicted_score"), (1, "event_time")]);
        assert!(matches!(
            concordance_index(&[1.0], &[1.0, 2.0], &[true]),
            Err(Error::LengthMismatch { .. })
        ));
    }
}
