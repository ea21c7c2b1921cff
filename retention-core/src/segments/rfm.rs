//! RFM scoring and named RFM segments.
//!
//! As of an instant, per customer with at least one order:
//!
//! * recency `R` = days since the last order, `(as_of − last_order) / 1 day`;
//! * frequency `F` = orders, or distinct UTC order days ([`FrequencyBasis`]);
//! * monetary `M` = net spend (orders − refunds), total or mean per order
//!   ([`MonetaryBasis`]).
//!
//! Each dimension is scored `1..=k` (default `k = 5`), higher is better, so
//! recency is reversed (the most recent customers score `k`).
//!
//! **Quantile bins** ([`Binning::Quantiles`]) follow the common pandas recipe
//! `qcut(x.rank(method="first"), k)`: values are ranked `1..=n` ascending with
//! ties broken by customer id order (rank-first, deterministic, and it never
//! collapses bins when many customers share a frequency), the rank edges are
//! `e_j = 1 + (j / k)(n − 1)`, and rank `ρ` falls in bin `i` when
//! `e_{i−1} < ρ ≤ e_i` (rank 1 in bin 1). The returned thresholds are, per
//! dimension, the largest value in each of the bins `1..k−1`.
//!
//! **Fixed thresholds** ([`Binning::Thresholds`]): `k − 1` ascending cut points
//! per dimension; a value's bin is `1 + #{cuts < value}`. The cut points are
//! returned as given.
//!
//! For recency the bin is reversed: `R = k + 1 − bin`.
//!
//! **Segments**: a table of rules over the R and F (optionally M) scores; the
//! first matching rule names the segment, unmatched customers are
//! [`OTHERS`], customers without orders are [`PROSPECTS`]. The default table
//! ([`SegmentTable::default`]):
//!
//! | R | F | segment |
//! |---|---|---|
//! | 5 | 4–5 | Champions |
//! | 3–4 | 4–5 | Loyal Customers |
//! | 4–5 | 2–3 | Potential Loyalists |
//! | 5 | 1 | New Customers |
//! | 4 | 1 | Promising |
//! | 3 | 3 | Need Attention |
//! | 3 | 1–2 | About To Sleep |
//! | 1–2 | 3–4 | At Risk |
//! | 1–2 | 5 | Can't Lose Them |
//! | 1–2 | 1–2 | Hibernating |

use std::ops::RangeInclusive;

use crate::error::{Error, IssueKind, Issues, Result};
use crate::events::CustomerId;
use crate::summary::{OrderDays, Summaries};
use crate::time::{from_micros, Micros};

/// Segment name of customers matched by no rule.
pub const OTHERS: &str = "Others";
/// Segment name of customers without orders.
pub const PROSPECTS: &str = "Prospects";

crate::vocab::codes! {
    /// What "frequency" counts.
    #[derive(Default)]
    pub enum FrequencyBasis as "frequency_basis" {
        /// Number of orders.
        #[default]
        Orders = "orders",
        /// Number of distinct UTC days with an order (needs [`OrderDays`]).
        OrderDays = "order_days",
    }
}

crate::vocab::codes! {
    /// What "monetary" measures.
    #[derive(Default)]
    pub enum MonetaryBasis as "monetary_basis" {
        /// Total net spend (orders − refunds).
        #[default]
        Total = "total",
        /// Net spend per order.
        Mean = "mean",
    }
}

/// How scores are binned.
#[derive(Debug, Clone, PartialEq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum Binning {
    /// Quantile bins over rank-first ranks (see the module docs).
    #[default]
    Quantiles,
    /// Caller-given ascending cut points, `k − 1` per dimension.
    Thresholds(RfmThresholds),
}

/// Bin cut points per dimension (`k − 1` each, ascending, in value units).
#[derive(Debug, Clone, PartialEq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub struct RfmThresholds {
    /// Recency cut points, in days.
    pub recency: Vec<f64>,
    /// Frequency cut points.
    pub frequency: Vec<f64>,
    /// Monetary cut points.
    pub monetary: Vec<f64>,
}

/// One rule of a segment table: inclusive score ranges.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct SegmentRule {
    /// Segment name.
    pub name: String,
    /// Allowed R scores.
    pub r: RangeInclusive<u8>,
    /// Allowed F scores.
    pub f: RangeInclusive<u8>,
    /// Allowed M scores (`None` = any).
    pub m: Option<RangeInclusive<u8>>,
}

impl SegmentRule {
    /// Parses a pattern such as `"5[4-5]"` (R then F) or `"[1-2]5[3-5]"` (R, F, M):
    /// each position is a digit or a bracketed range `[a-b]`.
    pub fn parse(name: &str, pattern: &str) -> Result<SegmentRule> {
        let bad = || Error::InvalidParameter {
            name: "pattern",
            value: pattern.to_owned(),
            reason: "expected two or three score positions, each a digit or [a-b], e.g. \"5[4-5]\"",
        };
        let mut ranges = Vec::new();
        let mut chars = pattern.trim().chars();
        while let Some(c) = chars.next() {
            let range = if c == '[' {
                let lo = chars.next().and_then(|c| c.to_digit(10)).ok_or_else(bad)?;
                if chars.next() != Some('-') {
                    return Err(bad());
                }
                let hi = chars.next().and_then(|c| c.to_digit(10)).ok_or_else(bad)?;
                if chars.next() != Some(']') || lo > hi {
                    return Err(bad());
                }
                lo as u8..=hi as u8
            } else {
                let d = c.to_digit(10).ok_or_else(bad)? as u8;
                d..=d
            };
            ranges.push(range);
        }
        let mut it = ranges.into_iter();
        match (it.next(), it.next(), it.next(), it.next()) {
            (Some(r), Some(f), m, None) => Ok(SegmentRule {
                name: name.to_owned(),
                r,
                f,
                m,
            }),
            _ => Err(bad()),
        }
    }

    fn matches(&self, r: u8, f: u8, m: u8) -> bool {
        self.r.contains(&r)
            && self.f.contains(&f)
            && self.m.as_ref().is_none_or(|mr| mr.contains(&m))
    }
}

/// An ordered list of segment rules; the first match wins.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct SegmentTable {
    /// Rules in priority order.
    pub rules: Vec<SegmentRule>,
}

/// One row of a segment table as a caller writes it: a segment name and its
/// R/F(/M) score pattern (see [`SegmentRule::parse`]).
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub struct SegmentPattern {
    /// Segment name.
    pub name: String,
    /// Score pattern, e.g. `"5[4-5]"`.
    pub pattern: String,
}

/// The rows of [`DEFAULT_SEGMENTS`] as [`SegmentPattern`]s.
pub fn default_segment_patterns() -> Vec<SegmentPattern> {
    DEFAULT_SEGMENTS
        .iter()
        .map(|&(name, pattern)| SegmentPattern {
            name: name.to_owned(),
            pattern: pattern.to_owned(),
        })
        .collect()
}

/// The number of customers in one segment (see [`RfmScores::segment_sizes`]).
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct SegmentSize {
    /// Segment name.
    pub name: String,
    /// Customers in it.
    pub customers: usize,
}

/// The default table's `(name, pattern)` rows.
pub const DEFAULT_SEGMENTS: &[(&str, &str)] = &[
    ("Champions", "5[4-5]"),
    ("Loyal Customers", "[3-4][4-5]"),
    ("Potential Loyalists", "[4-5][2-3]"),
    ("New Customers", "51"),
    ("Promising", "41"),
    ("Need Attention", "33"),
    ("About To Sleep", "3[1-2]"),
    ("At Risk", "[1-2][3-4]"),
    ("Can't Lose Them", "[1-2]5"),
    ("Hibernating", "[1-2][1-2]"),
];

impl Default for SegmentTable {
    fn default() -> Self {
        SegmentTable::from_patterns(DEFAULT_SEGMENTS).unwrap_or(SegmentTable { rules: Vec::new() })
    }
}

impl SegmentTable {
    /// Builds a table from `(name, pattern)` rows (see [`SegmentRule::parse`]).
    pub fn from_patterns(rows: &[(&str, &str)]) -> Result<SegmentTable> {
        let rules = rows
            .iter()
            .map(|(name, pattern)| SegmentRule::parse(name, pattern))
            .collect::<Result<_>>()?;
        Ok(SegmentTable { rules })
    }

    /// The segment name for a score triple (first match, else [`OTHERS`]).
    pub fn classify(&self, r: u8, f: u8, m: u8) -> &str {
        self.rules
            .iter()
            .find(|rule| rule.matches(r, f, m))
            .map_or(OTHERS, |rule| rule.name.as_str())
    }
}

/// Options of [`rfm`].
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct RfmOptions {
    /// The instant the scores describe; orders after it are an error.
    #[cfg_attr(feature = "serde", serde(with = "crate::time::serde_instant"))]
    pub as_of: Micros,
    /// Number of score levels `k` (2..=9).
    pub bins: u8,
    /// Frequency basis.
    pub frequency: FrequencyBasis,
    /// Monetary basis.
    pub monetary: MonetaryBasis,
    /// Binning method.
    pub binning: Binning,
    /// Segment rules.
    pub segments: SegmentTable,
}

impl RfmOptions {
    /// Default options as of `as_of`: 5 quantile bins, orders, total net spend,
    /// the default segment table.
    pub fn new(as_of: Micros) -> Self {
        RfmOptions {
            as_of,
            bins: 5,
            frequency: FrequencyBasis::Orders,
            monetary: MonetaryBasis::Total,
            binning: Binning::Quantiles,
            segments: SegmentTable::default(),
        }
    }
}

/// RFM values, scores and segment per customer (parallel columns, id order).
///
/// Customers without orders have `None` values and scores and the segment
/// [`PROSPECTS`].
#[derive(Debug, Clone, PartialEq, Default)]
pub struct RfmScores {
    /// Customer ids.
    pub ids: Vec<CustomerId>,
    /// Days since the last order.
    pub recency_days: Vec<Option<f64>>,
    /// Frequency value.
    pub frequency: Vec<Option<f64>>,
    /// Monetary value.
    pub monetary: Vec<Option<f64>>,
    /// R score.
    pub r: Vec<Option<u8>>,
    /// F score.
    pub f: Vec<Option<u8>>,
    /// M score.
    pub m: Vec<Option<u8>>,
    /// Segment names.
    pub segment: Vec<String>,
    /// The cut points used (see the module docs).
    pub thresholds: RfmThresholds,
}

impl RfmScores {
    /// Number of customers.
    pub fn len(&self) -> usize {
        self.ids.len()
    }

    /// Whether there are no customers.
    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    /// Customers per segment, in the order of the table, then [`OTHERS`] and
    /// [`PROSPECTS`]; empty segments included with count 0.
    pub fn segment_sizes(&self, table: &SegmentTable) -> Vec<SegmentSize> {
        let mut names: Vec<&str> = table.rules.iter().map(|r| r.name.as_str()).collect();
        names.dedup();
        names.push(OTHERS);
        names.push(PROSPECTS);
        names
            .iter()
            .map(|&n| SegmentSize {
                name: n.to_owned(),
                customers: self.segment.iter().filter(|s| s.as_str() == n).count(),
            })
            .collect()
    }
}

/// Bin (1-based) of each value by rank-first quantiles; also the largest
/// value in each of bins `1..k−1`.
pub(crate) fn quantile_bins(values: &[f64], k: u8) -> (Vec<u8>, Vec<f64>) {
    let n = values.len();
    // Rank-first: by value (in `total_cmp` order), equal values in id order.
    // Each key packs the value's order-preserving bits above the position, so
    // one unstable sort of plain integers gives exactly that order.
    let mut keys: Vec<u128> = values
        .iter()
        .enumerate()
        .map(|(i, v)| {
            let bits = v.to_bits();
            let ordered = if bits >> 63 == 1 {
                !bits
            } else {
                bits | 1 << 63
            };
            u128::from(ordered) << 64 | i as u128
        })
        .collect();
    keys.sort_unstable();
    let order: Vec<usize> = keys.iter().map(|&k| k as u64 as usize).collect();
    drop(keys);
    let mut bins = vec![1u8; n];
    let mut upper = vec![f64::NEG_INFINITY; usize::from(k)];
    for (pos, &i) in order.iter().enumerate() {
        let b = bin_of_rank(pos as u64 + 1, n as u64, k);
        bins[i] = b;
        let slot = &mut upper[usize::from(b) - 1];
        *slot = slot.max(values[i]);
    }
    let smallest = values.iter().copied().fold(f64::INFINITY, f64::min);
    (bins, fill_empty_bins(upper, k, smallest))
}

/// The bin `1..=k` of rank `rank` (1-based) among `n` ranked values: the
/// smallest `i` with `rank ≤ 1 + (i/k)(n − 1)`; rank 1 goes to bin 1.
pub(crate) fn bin_of_rank(rank: u64, n: u64, k: u8) -> u8 {
    let kf = f64::from(k);
    let span = (n.max(1) - 1) as f64;
    let rank = rank as f64;
    let mut bin = if span == 0.0 {
        1.0
    } else {
        ((rank - 1.0) * kf / span).ceil().max(1.0)
    };
    // Guard against rounding just above an edge.
    while bin > 1.0 && rank <= 1.0 + ((bin - 1.0) / kf) * span {
        bin -= 1.0;
    }
    bin.min(kf) as u8
}

/// The thresholds from the largest value of each bin (`k` slots, empty ones
/// at `−∞`): the first `k − 1`, empty bins (n < k) inheriting the previous
/// edge (or `smallest` at the start) so the list stays ascending.
pub(crate) fn fill_empty_bins(mut upper: Vec<f64>, k: u8, smallest: f64) -> Vec<f64> {
    upper.truncate(usize::from(k) - 1);
    let mut last = f64::NEG_INFINITY;
    for u in upper.iter_mut() {
        if *u == f64::NEG_INFINITY {
            *u = if last == f64::NEG_INFINITY {
                smallest
            } else {
                last
            };
        }
        last = *u;
    }
    upper
}

fn threshold_bins(values: &[f64], cuts: &[f64]) -> Vec<u8> {
    values
        .iter()
        .map(|v| 1 + cuts.iter().filter(|&&c| c < *v).count() as u8)
        .collect()
}

fn check_cuts(name: &'static str, cuts: &[f64], k: u8) -> Result<()> {
    if cuts.len() != usize::from(k) - 1 {
        return Err(Error::InvalidParameter {
            name,
            value: format!("{} cut points", cuts.len()),
            reason: "needs exactly bins − 1 cut points",
        });
    }
    if cuts.iter().any(|c| !c.is_finite()) || cuts.windows(2).any(|w| w[0] >= w[1]) {
        return Err(Error::parameter(
            name,
            cuts,
            "cut points must be finite and strictly ascending",
        ));
    }
    Ok(())
}

/// RFM values, scores and segments for every customer in `summaries`.
///
/// `order_days` is needed only for [`FrequencyBasis::OrderDays`].
///
/// ```
/// use chrono::{TimeZone, Utc};
/// use retention_core::events::{Event, EventLog, LogOptions};
/// use retention_core::segments::rfm::{rfm, RfmOptions};
/// use retention_core::summary::Summaries;
/// use retention_core::time::to_micros;
///
/// let day = |d| Utc.with_ymd_and_hms(2024, 1, d, 0, 0, 0).unwrap();
/// let mut events = Vec::new();
/// for c in 0..10_i64 {
///     for k in 0..=c {
///         events.push(Event::order(c, day(1 + (c + k) as u32), 10.0 * (c + 1) as f64));
///     }
/// }
/// let summaries = Summaries::from_log(&EventLog::from_events(&events, LogOptions::default())?);
/// let scores = rfm(&summaries, None, &RfmOptions::new(to_micros(day(31))))?;
/// // Customer 9 ordered most recently, most often, and spent most.
/// assert_eq!((scores.r[9], scores.f[9], scores.m[9]), (Some(5), Some(5), Some(5)));
/// assert_eq!(scores.segment[9], "Champions");
/// assert_eq!(scores.segment[0], "Hibernating");
/// # Ok::<(), retention_core::Error>(())
/// ```
pub fn rfm(
    summaries: &Summaries,
    order_days: Option<&OrderDays>,
    options: &RfmOptions,
) -> Result<RfmScores> {
    let k = options.bins;
    check_bins(k)?;
    if let Binning::Thresholds(t) = &options.binning {
        check_cuts("recency thresholds", &t.recency, k)?;
        check_cuts("frequency thresholds", &t.frequency, k)?;
        check_cuts("monetary thresholds", &t.monetary, k)?;
    }
    let values = rfm_values(summaries, order_days, options)?;
    let buyers: Vec<usize> = (0..values.len())
        .filter(|&i| values.recency_days[i].is_some())
        .collect();
    let pick =
        |col: &[Option<f64>]| -> Vec<f64> { buyers.iter().filter_map(|&i| col[i]).collect() };
    let (rv, fv, mv) = (
        pick(&values.recency_days),
        pick(&values.frequency),
        pick(&values.monetary),
    );
    let ((rb, fb, mb), thresholds) = match &options.binning {
        Binning::Quantiles => {
            let (rb, rt) = quantile_bins(&rv, k);
            let (fb, ft) = quantile_bins(&fv, k);
            let (mb, mt) = quantile_bins(&mv, k);
            let t = RfmThresholds {
                recency: rt,
                frequency: ft,
                monetary: mt,
            };
            ((rb, fb, mb), t)
        }
        Binning::Thresholds(t) => (
            (
                threshold_bins(&rv, &t.recency),
                threshold_bins(&fv, &t.frequency),
                threshold_bins(&mv, &t.monetary),
            ),
            t.clone(),
        ),
    };
    let mut bins = vec![None; values.len()];
    for (j, &i) in buyers.iter().enumerate() {
        bins[i] = Some((rb[j], fb[j], mb[j]));
    }
    Ok(scores_of_bins(
        values,
        &bins,
        k,
        thresholds,
        &options.segments,
    ))
}

/// `Ok` when `k` is a supported number of bins (2..=9).
pub(crate) fn check_bins(k: u8) -> Result<()> {
    if (2..=9).contains(&k) {
        Ok(())
    } else {
        Err(Error::parameter("bins", k, "must be between 2 and 9"))
    }
}

/// RFM values per customer, before any scoring (parallel columns in the
/// order of the summaries); `None` for customers without orders.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct RfmValues {
    /// Customer ids.
    pub ids: Vec<CustomerId>,
    /// Days since the last order.
    pub recency_days: Vec<Option<f64>>,
    /// Frequency value.
    pub frequency: Vec<Option<f64>>,
    /// Monetary value.
    pub monetary: Vec<Option<f64>>,
}

impl RfmValues {
    /// Number of customers.
    pub fn len(&self) -> usize {
        self.ids.len()
    }

    /// Whether there are no customers.
    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }
}

/// The recency, frequency and monetary values of every customer (see the
/// module docs), as [`rfm`] scores them; `options.bins`, `binning` and
/// `segments` are not used. Each value depends on its own customer only, so
/// the values of a partition of the customers are that part of the whole.
///
/// # Errors
/// [`Error::InvalidRows`] naming every customer with an order after
/// `options.as_of`; [`Error::InvalidParameter`] for
/// [`FrequencyBasis::OrderDays`] without `order_days`.
pub fn rfm_values(
    summaries: &Summaries,
    order_days: Option<&OrderDays>,
    options: &RfmOptions,
) -> Result<RfmValues> {
    if options.frequency == FrequencyBasis::OrderDays && order_days.is_none() {
        return Err(Error::parameter(
            "order_days",
            "None",
            "frequency by distinct order days needs the OrderDays of the same data",
        ));
    }
    let mut issues = Issues::default();
    let n = summaries.len();
    let mut out = RfmValues {
        ids: summaries.ids().to_vec(),
        recency_days: vec![None; n],
        frequency: vec![None; n],
        monetary: vec![None; n],
    };
    for (i, (id, s)) in summaries.iter().enumerate() {
        let Some(last) = s.last_order() else { continue };
        if last > options.as_of {
            issues.push(
                i,
                "last_order",
                from_micros(last).to_rfc3339(),
                IssueKind::AfterAsOf,
            );
            continue;
        }
        let recency = crate::time::elapsed_days(last, options.as_of);
        let frequency = match options.frequency {
            FrequencyBasis::Orders => f64::from(s.orders()),
            FrequencyBasis::OrderDays => order_days
                .and_then(|d| d.get(id))
                .map_or(0.0, |days| days.len() as f64),
        };
        let net = s.net_revenue();
        let monetary = match options.monetary {
            MonetaryBasis::Total => net,
            MonetaryBasis::Mean => net / f64::from(s.orders()),
        };
        out.recency_days[i] = Some(recency);
        out.frequency[i] = Some(frequency);
        out.monetary[i] = Some(monetary);
    }
    issues.finish()?;
    Ok(out)
}

/// Scores and segments from per-customer bins `(recency bin, F, M)` (`None`
/// for customers without orders); recency is reversed here.
pub(crate) fn scores_of_bins(
    values: RfmValues,
    bins: &[Option<(u8, u8, u8)>],
    k: u8,
    thresholds: RfmThresholds,
    segments: &SegmentTable,
) -> RfmScores {
    let n = values.len();
    let mut out = RfmScores {
        ids: values.ids,
        recency_days: values.recency_days,
        frequency: values.frequency,
        monetary: values.monetary,
        r: vec![None; n],
        f: vec![None; n],
        m: vec![None; n],
        segment: Vec::with_capacity(n),
        thresholds,
    };
    for (i, b) in bins.iter().enumerate() {
        let segment = match *b {
            Some((rb, f, m)) => {
                let r = k + 1 - rb;
                out.r[i] = Some(r);
                out.f[i] = Some(f);
                out.m[i] = Some(m);
                segments.classify(r, f, m).to_owned()
            }
            None => PROSPECTS.to_owned(),
        };
        out.segment.push(segment);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn packed_keys_give_the_stable_total_order() {
        // Negative values, both zeros, ties and infinities: the bins must be
        // those of a stable sort by `total_cmp` (rank-first).
        let values = [
            3.0,
            -1.5,
            0.0,
            -0.0,
            3.0,
            f64::INFINITY,
            -1.5,
            f64::NEG_INFINITY,
            2.0,
            0.0,
            7.25,
            -0.0,
        ];
        let mut order: Vec<usize> = (0..values.len()).collect();
        order.sort_by(|&a, &b| values[a].total_cmp(&values[b]));
        let (bins, _) = quantile_bins(&values, 4);
        let mut by_rank: Vec<u8> = order.iter().map(|&i| bins[i]).collect();
        // Bins rise with rank: 3 values per bin for 12 values and 4 bins.
        assert_eq!(by_rank, vec![1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 4]);
        by_rank.dedup();
        assert_eq!(by_rank.len(), 4);
        // The first tie of -1.5 (row 1) ranks before row 6, 0.0 rows 2 and 9
        // after both -0.0 rows.
        assert!(order.iter().position(|&i| i == 1) < order.iter().position(|&i| i == 6));
        assert_eq!(bins[3], 2);
        assert_eq!(bins[11], 2);
        assert_eq!((bins[2], bins[9]), (2, 3));
    }

    #[test]
    fn rank_first_quantiles_match_pandas_qcut() {
        // pandas: pd.qcut(pd.Series(v).rank(method="first"), 5, labels=False) + 1
        // for v = [1,1,1,1,1,1,2,2,3,10] gives [1,1,2,2,3,3,4,4,5,5].
        let v = [1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 2.0, 2.0, 3.0, 10.0];
        let (bins, upper) = quantile_bins(&v, 5);
        assert_eq!(bins, vec![1, 1, 2, 2, 3, 3, 4, 4, 5, 5]);
        assert_eq!(upper, vec![1.0, 1.0, 1.0, 2.0]);
        // n = 7, k = 3: rank edges 1, 3, 5, 7 → ranks 1–3 | 4–5 | 6–7.
        let (bins, _) = quantile_bins(&[7.0, 6.0, 5.0, 4.0, 3.0, 2.0, 1.0], 3);
        assert_eq!(bins, vec![3, 3, 2, 2, 1, 1, 1]);
        // A single customer is in bin 1.
        assert_eq!(quantile_bins(&[4.0], 5).0, vec![1]);
    }

    #[test]
    fn pattern_parsing() {
        let r = SegmentRule::parse("x", "[1-2]5[3-4]").unwrap();
        assert_eq!((r.r, r.f, r.m), (1..=2, 5..=5, Some(3..=4)));
        for bad in ["", "5", "[2-1]5", "[1-2", "abc", "5555"] {
            assert!(SegmentRule::parse("x", bad).is_err(), "{bad}");
        }
        assert_eq!(SegmentTable::default().rules.len(), 10);
    }

    #[test]
    fn default_table_covers_every_r_f_pair() {
        let t = SegmentTable::default();
        for r in 1..=5 {
            for f in 1..=5 {
                assert_ne!(t.classify(r, f, 3), OTHERS, "{r}{f}");
            }
        }
        assert_eq!(t.classify(5, 1, 1), "New Customers");
        assert_eq!(t.classify(2, 5, 1), "Can't Lose Them");
        assert_eq!(t.classify(6, 1, 1), OTHERS);
    }
}
