//! RFM quantile scores for customers spread over partitions (e.g. Spark).
//!
//! [`rfm`] ranks every customer at once: per dimension, values ascending,
//! ties by customer id ("rank-first"), and rank `ρ` of `n` falls in bin
//! `i` when `e_{i−1} < ρ ≤ e_i`, `e_i = 1 + (i/k)(n − 1)` (see [`super::rfm`]).
//! With the customers split over partitions the same scores follow from
//! data that is small or local:
//!
//! 1. each partition computes its customers' values ([`rfm_values`]; each
//!    depends on its own customer only);
//! 2. the value histograms (distinct value → number of customers, summed
//!    over the partitions) give the *cut keys* of each dimension
//!    ([`RfmCuts::from_histograms`]): for `j = 1..k−1`, `L_j` is the last
//!    rank in bins `1..=j`, and its key is the pair (value at rank `L_j`,
//!    tie position of that rank among the customers sharing the value);
//! 3. a customer with value `v` and tie position `t` (the number of
//!    customers with the same value and a smaller id) has rank
//!    `#{value < v} + t + 1`, so its bin is `1 + #{j : (v, t) > cut_j}`
//!    in lexicographic order ([`RfmCuts::score`]).
//!
//! The tie position matters only for a value whose customers straddle a bin
//! edge ([`RankCuts::tie_values`]: at most `k − 1` values per dimension);
//! for any other value `t = 0` gives the same bin. The scores and the
//! thresholds (the largest value in bins `1..k−1`) are then exactly those of
//! [`rfm`] on all customers together, whatever the partitioning.

use crate::error::{Error, IssueKind, Issues, Result};
use crate::segments::rfm::{
    bin_of_rank, check_bins, fill_empty_bins, scores_of_bins, RfmScores, RfmThresholds, RfmValues,
    SegmentTable,
};
#[cfg(doc)]
use crate::segments::rfm::{rfm, rfm_values};

/// The end of one bin edge: the value at the last rank of bins `1..=j` and
/// the position of that rank among the customers sharing the value.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub struct CutKey {
    /// The value at the edge rank.
    pub value: f64,
    /// Tie position (0-based, in customer-id order) of the edge rank among
    /// the customers with `value`.
    pub tie: u64,
    /// Whether customers with `value` straddle the edge (then a customer's
    /// own tie position decides its side).
    pub split: bool,
}

/// The `k − 1` cut keys of one dimension (see the module docs); `None` for
/// an edge no customer reaches (no customers at all).
#[derive(Debug, Clone, PartialEq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub struct RankCuts {
    /// One key per edge `j = 1..k−1`.
    pub cuts: Vec<Option<CutKey>>,
}

impl RankCuts {
    /// Cut keys and thresholds of `k` rank-first quantile bins from a
    /// histogram of `(value, count)` pairs in any order (equal values may
    /// repeat; their counts add up).
    ///
    /// # Errors
    /// [`Error::InvalidRows`] naming every non-finite value;
    /// [`Error::InvalidParameter`] for `k` outside 2..=9.
    pub fn from_histogram(histogram: &[(f64, u64)], k: u8) -> Result<(RankCuts, Vec<f64>)> {
        check_bins(k)?;
        let mut issues = Issues::default();
        for (row, &(v, _)) in histogram.iter().enumerate() {
            if !v.is_finite() {
                issues.push(row, "value", v, IssueKind::NotFinite);
            }
        }
        issues.finish()?;
        let mut groups: Vec<(f64, u64)> = histogram.iter().copied().filter(|g| g.1 > 0).collect();
        groups.sort_by(|a, b| a.0.total_cmp(&b.0));
        groups.dedup_by(|later, kept| {
            let same = later.0.total_cmp(&kept.0).is_eq();
            if same {
                kept.1 += later.1;
            }
            same
        });
        let n: u64 = groups.iter().map(|g| g.1).sum();
        // Ranks before each group.
        let mut before = Vec::with_capacity(groups.len());
        let mut acc = 0u64;
        for g in &groups {
            before.push(acc);
            acc += g.1;
        }
        let mut cuts = Vec::with_capacity(usize::from(k) - 1);
        let mut upper = vec![f64::NEG_INFINITY; usize::from(k)];
        let mut previous_end = 0u64;
        for j in 1..k {
            // Last rank with bin ≤ j (bins rise with rank): 0 when none.
            let end = partition_point(n, |rank| bin_of_rank(rank, n, k) <= j);
            if end == 0 {
                cuts.push(None);
                continue;
            }
            let g = before.partition_point(|&b| b < end) - 1;
            let (value, count) = groups[g];
            let tie = end - before[g] - 1;
            cuts.push(Some(CutKey {
                value,
                tie,
                split: tie + 1 < count,
            }));
            if end > previous_end {
                upper[usize::from(j) - 1] = value;
            }
            previous_end = end;
        }
        let smallest = groups.first().map_or(f64::INFINITY, |g| g.0);
        Ok((RankCuts { cuts }, fill_empty_bins(upper, k, smallest)))
    }

    /// The bin (`1..=k`) of a customer with `value` and tie position `tie`
    /// (any tie, e.g. 0, unless `value` is one of [`RankCuts::tie_values`]).
    pub fn bin(&self, value: f64, tie: u64) -> u8 {
        let above = self
            .cuts
            .iter()
            .flatten()
            .filter(|c| match value.total_cmp(&c.value) {
                std::cmp::Ordering::Greater => true,
                std::cmp::Ordering::Equal => tie > c.tie,
                std::cmp::Ordering::Less => false,
            })
            .count();
        1 + above as u8
    }

    /// The values whose customers straddle a bin edge: a customer with one
    /// of them needs its own tie position (customers with the same value and
    /// a smaller id); distinct, ascending.
    pub fn tie_values(&self) -> Vec<f64> {
        let mut out: Vec<f64> = self
            .cuts
            .iter()
            .flatten()
            .filter(|c| c.split)
            .map(|c| c.value)
            .collect();
        out.dedup_by(|a, b| a.total_cmp(b).is_eq());
        out
    }
}

/// The largest `rank` in `1..=n` for which `pred` holds, given that it holds
/// on a prefix of the ranks; 0 when it holds for none.
fn partition_point(n: u64, pred: impl Fn(u64) -> bool) -> u64 {
    let (mut lo, mut hi) = (0u64, n);
    while lo < hi {
        let mid = lo + (hi - lo).div_ceil(2);
        if pred(mid) {
            lo = mid;
        } else {
            hi = mid - 1;
        }
    }
    lo
}

/// Cut keys of the three dimensions and the thresholds they imply: what the
/// partitions need to score their customers as [`rfm`] would on all of
/// them.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub struct RfmCuts {
    /// Number of score levels `k`.
    pub bins: u8,
    /// Recency cut keys (of the days since the last order, ascending).
    pub recency: RankCuts,
    /// Frequency cut keys.
    pub frequency: RankCuts,
    /// Monetary cut keys.
    pub monetary: RankCuts,
    /// The thresholds [`rfm`] reports for the same customers.
    pub thresholds: RfmThresholds,
}

/// Tie positions of one customer, `(recency, frequency, monetary)`: the
/// number of customers with the same value and a smaller id, per dimension.
pub type TiePositions = (u64, u64, u64);

impl RfmCuts {
    /// The cut keys from the histograms of the recency (days), frequency and
    /// monetary values of every customer with an order.
    ///
    /// # Errors
    /// As [`RankCuts::from_histogram`].
    pub fn from_histograms(
        recency: &[(f64, u64)],
        frequency: &[(f64, u64)],
        monetary: &[(f64, u64)],
        bins: u8,
    ) -> Result<RfmCuts> {
        let (r, rt) = RankCuts::from_histogram(recency, bins)?;
        let (f, ft) = RankCuts::from_histogram(frequency, bins)?;
        let (m, mt) = RankCuts::from_histogram(monetary, bins)?;
        Ok(RfmCuts {
            bins,
            recency: r,
            frequency: f,
            monetary: m,
            thresholds: RfmThresholds {
                recency: rt,
                frequency: ft,
                monetary: mt,
            },
        })
    }

    /// Scores and segments of some customers' values, with their tie
    /// positions (one per customer; ignored for customers without orders).
    ///
    /// # Errors
    /// [`Error::LengthMismatch`] when `ties` and `values` differ in length;
    /// [`Error::InvalidParameter`] for cuts with a bin count outside 2..=9
    /// or other than `k − 1` keys per dimension; [`Error::InvalidRows`] when a
    /// customer has some but not all values.
    pub fn score(
        &self,
        values: RfmValues,
        ties: &[TiePositions],
        segments: &SegmentTable,
    ) -> Result<RfmScores> {
        let k = self.bins;
        check_bins(k)?;
        crate::error::check_len("ties", values.len(), ties.len())?;
        for (name, c) in [
            ("recency cuts", &self.recency),
            ("frequency cuts", &self.frequency),
            ("monetary cuts", &self.monetary),
        ] {
            if c.cuts.len() != usize::from(k) - 1 {
                return Err(Error::InvalidParameter {
                    name,
                    value: format!("{} cut keys", c.cuts.len()),
                    reason: "needs exactly bins − 1 cut keys",
                });
            }
        }
        let mut issues = Issues::default();
        let bins: Vec<Option<(u8, u8, u8)>> = (0..values.len())
            .map(|i| {
                let (r, f, m) = (
                    values.recency_days[i],
                    values.frequency[i],
                    values.monetary[i],
                );
                let (tr, tf, tm) = ties[i];
                match (r, f, m) {
                    (Some(r), Some(f), Some(m)) => Some((
                        self.recency.bin(r, tr),
                        self.frequency.bin(f, tf),
                        self.monetary.bin(m, tm),
                    )),
                    (None, None, None) => None,
                    _ => {
                        issues.push(i, "rfm values", "partly missing", IssueKind::Missing);
                        None
                    }
                }
            })
            .collect();
        issues.finish()?;
        Ok(scores_of_bins(
            values,
            &bins,
            k,
            self.thresholds.clone(),
            segments,
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::segments::rfm::{rfm, rfm_values, RfmOptions};
    use proptest::prelude::*;

    /// Histogram and per-position tie indices (id order = position order).
    fn split(values: &[f64]) -> (Vec<(f64, u64)>, Vec<u64>) {
        let mut hist: Vec<(f64, u64)> = Vec::new();
        let mut ties = Vec::new();
        for &v in values {
            match hist.iter_mut().find(|h| h.0 == v) {
                Some(h) => {
                    ties.push(h.1);
                    h.1 += 1;
                }
                None => {
                    ties.push(0);
                    hist.push((v, 1));
                }
            }
        }
        (hist, ties)
    }

    #[test]
    fn pandas_qcut_example_from_a_histogram() {
        // rank-first qcut of [1,1,1,1,1,1,2,2,3,10] into 5 bins:
        // [1,1,2,2,3,3,4,4,5,5] (see rfm.rs); the 1s straddle two edges.
        let v = [1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 2.0, 2.0, 3.0, 10.0];
        let (hist, ties) = split(&v);
        let (cuts, upper) = RankCuts::from_histogram(&hist, 5).unwrap();
        let bins: Vec<u8> = v.iter().zip(&ties).map(|(&x, &t)| cuts.bin(x, t)).collect();
        assert_eq!(bins, vec![1, 1, 2, 2, 3, 3, 4, 4, 5, 5]);
        assert_eq!(upper, vec![1.0, 1.0, 1.0, 2.0]);
        assert_eq!(cuts.tie_values(), vec![1.0]);
        // Counts given in pieces and out of order give the same cuts.
        let pieces = [(10.0, 1), (1.0, 4), (2.0, 2), (1.0, 2), (3.0, 1)];
        assert_eq!(RankCuts::from_histogram(&pieces, 5).unwrap().0, cuts);
    }

    #[test]
    fn empty_and_bad_histograms() {
        let (cuts, upper) = RankCuts::from_histogram(&[], 3).unwrap();
        assert_eq!(cuts.cuts, vec![None, None]);
        assert_eq!(upper, vec![f64::INFINITY, f64::INFINITY]);
        assert!(matches!(
            RankCuts::from_histogram(&[(f64::NAN, 1)], 3),
            Err(Error::InvalidRows { .. })
        ));
        assert!(matches!(
            RankCuts::from_histogram(&[(1.0, 1)], 1),
            Err(Error::InvalidParameter { .. })
        ));
    }

    proptest! {
        #[test]
        fn cuts_give_the_bins_and_thresholds_of_all_values(
            raw in proptest::collection::vec(0u8..12, 0..80),
            k in 2u8..10,
        ) {
            // Few distinct values, so ties straddle edges often.
            let values: Vec<f64> = raw.iter().map(|&x| f64::from(x) * 0.5 - 1.0).collect();
            let (expected, thresholds) = crate::segments::rfm::quantile_bins(&values, k);
            let (hist, ties) = split(&values);
            let (cuts, upper) = RankCuts::from_histogram(&hist, k).unwrap();
            let got: Vec<u8> = values.iter().zip(&ties).map(|(&x, &t)| cuts.bin(x, t)).collect();
            prop_assert_eq!(got, expected.clone());
            prop_assert_eq!(upper, thresholds);
            // Outside the tie values the tie position does not matter.
            let tv = cuts.tie_values();
            for (i, &x) in values.iter().enumerate() {
                if !tv.contains(&x) {
                    prop_assert_eq!(cuts.bin(x, 0), expected[i]);
                }
            }
        }
    }

    #[test]
    fn partitioned_scores_equal_rfm_on_the_sample_shop() {
        use crate::sample::{generate_log, SampleOptions};
        use crate::summary::Summaries;
        let sample = SampleOptions {
            customers: 300,
            ..SampleOptions::default()
        };
        let log = generate_log(&sample).unwrap();
        let summaries = Summaries::from_log(&log);
        let options = RfmOptions::new(sample.as_of);
        let whole = rfm(&summaries, None, &options).unwrap();
        let values = rfm_values(&summaries, None, &options).unwrap();
        let hist = |col: &[Option<f64>]| split(&col.iter().flatten().copied().collect::<Vec<_>>());
        let (hr, tr) = hist(&values.recency_days);
        let (hf, tf) = hist(&values.frequency);
        let (hm, tm) = hist(&values.monetary);
        let cuts = RfmCuts::from_histograms(&hr, &hf, &hm, 5).unwrap();
        let mut ties = Vec::new();
        let mut j = 0;
        for i in 0..values.len() {
            if values.recency_days[i].is_some() {
                ties.push((tr[j], tf[j], tm[j]));
                j += 1;
            } else {
                ties.push((0, 0, 0));
            }
        }
        let scored = cuts.score(values, &ties, &SegmentTable::default()).unwrap();
        assert_eq!(scored, whole);
        assert!(whole.segment.iter().any(|s| s == "Champions"));
    }
}
