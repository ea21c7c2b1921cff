//! Validation of right-censored input and the life table (event table) built
//! from it.

use super::keys::{duration_key, key_duration};
use crate::error::{check_non_negative, Error, IssueKind, Issues, Result};

/// Checks that `durations` and `events` have the same, non-zero length and
/// that every duration is finite and non-negative (all bad rows reported).
pub(crate) fn validate_durations(durations: &[f64], events: &[bool]) -> Result<()> {
    check_shape(durations, events)?;
    let mut issues = Issues::default();
    for (row, &d) in durations.iter().enumerate() {
        check_non_negative(&mut issues, row, "duration", d);
    }
    issues.finish()
}

/// Checks lengths and that every duration is finite; negative durations are
/// allowed (only the order of the times matters to the nonparametric
/// estimators, as in lifelines).
pub(crate) fn validate_times(durations: &[f64], events: &[bool]) -> Result<()> {
    check_shape(durations, events)?;
    let mut issues = Issues::default();
    for (row, &d) in durations.iter().enumerate() {
        if !d.is_finite() {
            issues.push(row, "duration", d, IssueKind::NotFinite);
        }
    }
    issues.finish()
}

fn check_shape(durations: &[f64], events: &[bool]) -> Result<()> {
    crate::error::check_len("event_observed", durations.len(), events.len())?;
    if durations.is_empty() {
        return Err(Error::EmptyInput { what: "durations" });
    }
    Ok(())
}

/// The time origin of a sample without entry times: 0, or the earliest
/// duration when that is negative (lifelines' `min(0, min duration)`).
pub(crate) fn origin(durations: &[f64]) -> f64 {
    durations.iter().fold(0.0_f64, |m, &d| m.min(d)) + 0.0
}

/// Per-time counts gathered in a small open-addressing hash table when the
/// sample has few distinct durations (the common case of whole days or
/// weeks); `None` once more than [`FEW_DISTINCT`] distinct values show up.
///
/// Returns `(duration key, events, censorings)` sorted by key.
fn count_few_distinct(durations: &[f64], events: &[bool]) -> Option<Vec<(u64, usize, usize)>> {
    const BITS: u32 = 13;
    const EMPTY: u64 = u64::MAX; // never the key of a finite duration
    let mut slots = vec![EMPTY; 1 << BITS];
    // Per slot: [censorings, events], indexed by the event flag (no branch).
    let mut counts = vec![[0usize; 2]; 1 << BITS];
    let mut distinct = 0usize;
    let mask = (1usize << BITS) - 1;
    for (&d, &e) in durations.iter().zip(events) {
        let key = duration_key(d);
        let mut h = (key.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> (64 - BITS)) as usize;
        loop {
            if slots[h] == key {
                break;
            }
            if slots[h] == EMPTY {
                distinct += 1;
                if distinct > FEW_DISTINCT {
                    return None;
                }
                slots[h] = key;
                break;
            }
            h = (h + 1) & mask;
        }
        counts[h][usize::from(e)] += 1;
    }
    let mut out: Vec<(u64, usize, usize)> = slots
        .iter()
        .zip(&counts)
        .filter(|(&k, _)| k != EMPTY)
        .map(|(&k, &[censored, observed])| (k, observed, censored))
        .collect();
    out.sort_unstable_by_key(|r| r.0);
    Some(out)
}

/// Distinct durations up to which [`count_few_distinct`] is used (a quarter
/// of its table, so probes stay short).
const FEW_DISTINCT: usize = 2048;

/// The life table of a right-censored (optionally weighted, optionally
/// left-truncated) sample: one row per distinct time, like lifelines'
/// `event_table`.
///
/// Without entry times every subject enters at the origin `min(0, min tᵢ)`,
/// so the first row is always the origin (it also holds the subjects whose
/// duration is exactly the origin).
/// With entry times the rows are the distinct durations and entry times.
/// Counts are sums of case weights (each subject weighs 1 by default).
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct EventTable {
    /// Distinct times, strictly increasing.
    pub times: Vec<f64>,
    /// Weight of the subjects entering at each time (lifelines'
    /// `entrance`).
    pub entrance: Vec<f64>,
    /// `Y(t)`: weight entered up to and including `t`, minus the weight
    /// removed before `t` (lifelines' `at_risk`). Subjects entering at `t`
    /// are counted here, but see [`EventTable::population`].
    pub at_risk: Vec<f64>,
    /// Weight of the events observed at each time (`d(t)`).
    pub observed: Vec<f64>,
    /// Weight of the subjects censored at each time.
    pub censored: Vec<f64>,
    /// Whether every count is a whole number (no weights, or whole weights).
    pub whole_counts: bool,
}

/// Optional case weights and entry times of a sample, next to its
/// durations and event flags.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct SampleWeights<'a> {
    /// Case weight of each subject (finite, `≥ 0`); `None` weighs each 1.
    pub weights: Option<&'a [f64]>,
    /// Entry (delayed-entry, left-truncation) time of each subject (finite,
    /// `≤` its duration); `None` means every subject is observed from 0.
    pub entry: Option<&'a [f64]>,
}

/// Validates durations and event flags together with optional weights and
/// entry times, reporting every bad row.
pub(crate) fn validate_sample(
    durations: &[f64],
    events: &[bool],
    extra: &SampleWeights<'_>,
) -> Result<()> {
    validate_times(durations, events)?;
    let mut issues = Issues::default();
    if let Some(w) = extra.weights {
        crate::error::check_len("weights", durations.len(), w.len())?;
        for (row, &x) in w.iter().enumerate() {
            check_non_negative(&mut issues, row, "weights", x);
        }
    }
    if let Some(entry) = extra.entry {
        crate::error::check_len("entry", durations.len(), entry.len())?;
        for (row, (&a, &d)) in entry.iter().zip(durations).enumerate() {
            if !a.is_finite() {
                issues.push(row, "entry", a, IssueKind::NotFinite);
            } else if a > d && d.is_finite() {
                let kind = IssueKind::OutOfRange {
                    min: f64::NEG_INFINITY,
                    max: d,
                };
                issues.push(row, "entry", a, kind);
            }
        }
    }
    issues.finish()
}

impl EventTable {
    /// Builds the table from durations and event indicators.
    ///
    /// # Errors
    /// [`Error::LengthMismatch`] when the slices differ in length,
    /// [`Error::EmptyInput`] for no subjects, and [`Error::InvalidRows`]
    /// listing every non-finite duration.
    pub fn from_durations(durations: &[f64], event_observed: &[bool]) -> Result<Self> {
        validate_times(durations, event_observed)?;
        Ok(Self::build(durations, event_observed))
    }

    /// Builds the table of a weighted and/or left-truncated sample.
    ///
    /// # Errors
    /// As [`EventTable::from_durations`], plus [`Error::LengthMismatch`] for
    /// weights or entry times of the wrong length and [`Error::InvalidRows`]
    /// for negative or non-finite weights and for entry times that are not
    /// finite or come after the duration.
    pub fn from_sample(
        durations: &[f64],
        event_observed: &[bool],
        extra: &SampleWeights<'_>,
    ) -> Result<Self> {
        validate_sample(durations, event_observed, extra)?;
        Ok(Self::build_sample(durations, event_observed, extra))
    }

    /// The weight that can fail at row `j`: [`at_risk`](Self::at_risk) less
    /// the subjects entering at `t_j` (lifelines counts an entrant only from
    /// the next time on), except at the first row, where entrants are at
    /// risk.
    pub fn population(&self, j: usize) -> f64 {
        if j == 0 {
            self.at_risk[0]
        } else {
            self.at_risk[j] - self.entrance[j]
        }
    }

    /// Weight removed (events and censorings) at each row.
    pub fn removed(&self) -> Vec<f64> {
        self.observed
            .iter()
            .zip(&self.censored)
            .map(|(o, c)| o + c)
            .collect()
    }

    /// Builds the table from validated input with optional weights and entry.
    pub(crate) fn build_sample(
        durations: &[f64],
        events: &[bool],
        extra: &SampleWeights<'_>,
    ) -> Self {
        if extra.weights.is_none() && extra.entry.is_none() {
            return Self::build(durations, events);
        }
        let weight = |i: usize| extra.weights.map_or(1.0, |w| w[i]);
        // (time, weight, kind): 0 = entrance, 1 = event, 2 = censoring.
        let mut marks: Vec<(f64, f64, u8)> = Vec::with_capacity(2 * durations.len() + 1);
        for (i, (&d, &e)) in durations.iter().zip(events).enumerate() {
            marks.push((d + 0.0, weight(i), if e { 1 } else { 2 }));
        }
        match extra.entry {
            Some(entry) => {
                marks.extend(
                    entry
                        .iter()
                        .enumerate()
                        .map(|(i, &a)| (a + 0.0, weight(i), 0)),
                );
            }
            None => {
                let total: f64 = (0..durations.len()).map(weight).sum();
                marks.push((origin(durations), total, 0));
            }
        }
        marks.sort_unstable_by(|a, b| a.0.total_cmp(&b.0));
        let mut table = EventTable::with_capacity(marks.len());
        let mut i = 0;
        while i < marks.len() {
            let t = marks[i].0;
            let mut sums = [0.0_f64; 3];
            while i < marks.len() && marks[i].0 == t {
                sums[usize::from(marks[i].2)] += marks[i].1;
                i += 1;
            }
            table.times.push(t);
            table.entrance.push(sums[0]);
            table.observed.push(sums[1]);
            table.censored.push(sums[2]);
        }
        // lifelines' at_risk: cumulative entrance up to t minus cumulative
        // removal before t, each summed separately.
        let (mut entered, mut removed) = (0.0, 0.0);
        for j in 0..table.times.len() {
            entered += table.entrance[j];
            table.at_risk.push(entered - removed);
            removed += table.observed[j] + table.censored[j];
        }
        table.whole_counts = extra
            .weights
            .is_none_or(|w| w.iter().all(|x| x.fract() == 0.0));
        table
    }

    /// Builds the table from validated, unweighted input without entry times.
    pub(crate) fn build(durations: &[f64], events: &[bool]) -> Self {
        let counts = build_counts(durations, events);
        let m = counts.times.len();
        let mut entrance = vec![0.0; m];
        if m > 0 {
            entrance[0] = durations.len() as f64;
        }
        EventTable {
            times: counts.times,
            entrance,
            at_risk: counts.at_risk,
            observed: counts.observed,
            censored: counts.censored,
            whole_counts: true,
        }
    }
}

/// Unweighted counts of a sample without entry times (whole numbers, held
/// as the table's floats).
struct Counts {
    times: Vec<f64>,
    at_risk: Vec<f64>,
    observed: Vec<f64>,
    censored: Vec<f64>,
}

impl Counts {
    fn with_capacity(capacity: usize) -> Self {
        Counts {
            times: Vec::with_capacity(capacity),
            at_risk: Vec::with_capacity(capacity),
            observed: Vec::with_capacity(capacity),
            censored: Vec::with_capacity(capacity),
        }
    }

    fn push(&mut self, t: f64, at_risk: usize, observed: usize, censored: usize) {
        self.times.push(t);
        self.at_risk.push(at_risk as f64);
        self.observed.push(observed as f64);
        self.censored.push(censored as f64);
    }
}

/// Counts per distinct time of validated, unweighted input; the first row is
/// the [`origin`].
fn build_counts(durations: &[f64], events: &[bool]) -> Counts {
    let n = durations.len();
    let start = origin(durations);
    if let Some(groups) = count_few_distinct(durations, events) {
        let mut table = Counts::with_capacity(groups.len() + 1);
        if groups.first().is_some_and(|g| key_duration(g.0) != start) {
            table.push(start, n, 0, 0);
        }
        let mut remaining = n;
        for (key, observed, censored) in groups {
            table.push(key_duration(key), remaining, observed, censored);
            remaining -= observed + censored;
        }
        return table;
    }
    if start < 0.0 {
        // Negative times: the order-preserving key uses all 64 bits, so the
        // censoring flag travels next to it.
        let mut pairs: Vec<(u64, bool)> = durations
            .iter()
            .zip(events)
            .map(|(&d, &e)| (duration_key(d), !e))
            .collect();
        pairs.sort_unstable();
        let sorted = Sorted {
            len: pairs.len(),
            key: |i: usize| pairs[i].0,
            time: key_duration,
            censored: |i: usize| pairs[i].1,
        };
        return walk_sorted(n, start, sorted);
    }
    // Non-negative times: the raw bits order like the value and leave the
    // top bit free, so the key is the bits shifted left once with the low
    // bit set for a censoring, and one integer sort groups equal times.
    let mut keys: Vec<u64> = durations
        .iter()
        .zip(events)
        .map(|(&d, &e)| ((d + 0.0).to_bits() << 1) | u64::from(!e))
        .collect();
    keys.sort_unstable();
    let sorted = Sorted {
        len: keys.len(),
        key: |i: usize| keys[i] >> 1,
        time: f64::from_bits,
        censored: |i: usize| keys[i] & 1 == 1,
    };
    walk_sorted(n, start, sorted)
}

/// Sorted rows seen through accessors: the time key of row `i` (equal keys
/// are equal times), the time of a key, and whether row `i` is censored.
struct Sorted<K, T, C> {
    len: usize,
    key: K,
    time: T,
    censored: C,
}

/// Groups sorted rows into counts, with an origin row first when no row is
/// at `start`.
fn walk_sorted<K, T, C>(n: usize, start: f64, rows: Sorted<K, T, C>) -> Counts
where
    K: Fn(usize) -> u64,
    T: Fn(u64) -> f64,
    C: Fn(usize) -> bool,
{
    let Sorted {
        len,
        key,
        time,
        censored: censored_at,
    } = rows;
    let mut table = Counts::with_capacity(len + 1);
    if len > 0 && time(key(0)) != start {
        table.push(start, n, 0, 0);
    }
    let mut remaining = n;
    let mut i = 0;
    while i < len {
        let k = key(i);
        let (mut events_here, mut j) = (0, i);
        while j < len && key(j) == k {
            events_here += usize::from(!censored_at(j));
            j += 1;
        }
        let removed = j - i;
        table.push(time(k), remaining, events_here, removed - events_here);
        remaining -= removed;
        i = j;
    }
    table
}

impl EventTable {
    fn with_capacity(capacity: usize) -> Self {
        EventTable {
            times: Vec::with_capacity(capacity),
            entrance: Vec::with_capacity(capacity),
            at_risk: Vec::with_capacity(capacity),
            observed: Vec::with_capacity(capacity),
            censored: Vec::with_capacity(capacity),
            whole_counts: true,
        }
    }

    /// Number of rows (distinct times, including the origin).
    pub fn len(&self) -> usize {
        self.times.len()
    }

    /// Whether the table has no rows (never true for a built table).
    pub fn is_empty(&self) -> bool {
        self.times.is_empty()
    }

    /// Index of the last row with time `≤ t`, `None` when `t` precedes the
    /// first row.
    pub(crate) fn row_at(&self, t: f64) -> Option<usize> {
        self.times.partition_point(|&x| x <= t).checked_sub(1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_counts_ties_and_adds_origin() {
        let t = EventTable::from_durations(
            &[3.0, 1.0, 3.0, 2.0, 3.0, 5.0],
            &[true, false, true, true, false, true],
        )
        .unwrap();
        assert_eq!(t.times, vec![0.0, 1.0, 2.0, 3.0, 5.0]);
        assert_eq!(t.at_risk, vec![6.0, 6.0, 5.0, 4.0, 1.0]);
        assert_eq!(t.observed, vec![0.0, 0.0, 1.0, 2.0, 1.0]);
        assert_eq!(t.censored, vec![0.0, 1.0, 0.0, 1.0, 0.0]);
        assert_eq!(t.entrance, vec![6.0, 0.0, 0.0, 0.0, 0.0]);
    }

    #[test]
    fn zero_durations_share_the_origin_row() {
        let t = EventTable::from_durations(&[0.0, -0.0, 2.0], &[true, false, true]).unwrap();
        assert_eq!(t.times, vec![0.0, 2.0]);
        assert_eq!(t.observed, vec![1.0, 1.0]);
        assert_eq!(t.censored, vec![1.0, 0.0]);
    }

    #[test]
    fn hashed_and_sorted_paths_agree() {
        let mut state = 12_345u64;
        let mut next = || {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            state >> 33
        };
        // 40 distinct values: the hashed path.
        let few: Vec<f64> = (0..5_000).map(|_| (next() % 40) as f64).collect();
        let events: Vec<bool> = (0..5_000).map(|_| next() % 3 != 0).collect();
        // Same values plus many distinct ones: the sorted path.
        let mut many = few.clone();
        many.extend((0..3_000).map(|i| 100.0 + f64::from(i) * 0.5));
        let mut many_events = events.clone();
        many_events.extend((0..3_000).map(|i| i % 2 == 0));
        assert!(count_few_distinct(&few, &events).is_some());
        assert!(count_few_distinct(&many, &many_events).is_none());
        let hashed = build_counts(&few, &events);
        let sorted = build_counts(&many, &many_events);
        let k = hashed.times.len();
        assert_eq!(hashed.times, sorted.times[..k]);
        assert_eq!(hashed.observed, sorted.observed[..k]);
        assert_eq!(hashed.censored, sorted.censored[..k]);
        let shift = 3_000.0;
        for (a, b) in hashed.at_risk.iter().zip(&sorted.at_risk) {
            assert_eq!(a + shift, *b);
        }
    }

    #[test]
    fn negative_durations_start_at_the_earliest() {
        // Origin min(0, min d) = -2: no extra row; times keep their order.
        let d = [-2.0, 3.0, -0.5, 3.0, 1.0];
        let e = [true, false, true, true, false];
        let t = EventTable::from_durations(&d, &e).unwrap();
        assert_eq!(t.times, vec![-2.0, -0.5, 1.0, 3.0]);
        assert_eq!(t.at_risk, vec![5.0, 4.0, 3.0, 2.0]);
        assert_eq!(t.observed, vec![1.0, 1.0, 0.0, 1.0]);
        assert_eq!(t.entrance, vec![5.0, 0.0, 0.0, 0.0]);
        // Shifting every duration shifts the times and nothing else, on the
        // hashed (few distinct) and the sorted path alike.
        let many: Vec<f64> = (0..5_000).map(|i| f64::from(i) * 0.25).collect();
        let ev: Vec<bool> = (0..5_000).map(|i| i % 3 != 0).collect();
        let shifted: Vec<f64> = many.iter().map(|x| x - 1_000.0).collect();
        let (a, b) = (
            EventTable::from_durations(&many, &ev).unwrap(),
            EventTable::from_durations(&shifted, &ev).unwrap(),
        );
        assert_eq!(a.observed, b.observed);
        assert_eq!(a.at_risk, b.at_risk);
        assert_eq!(b.times[0], -1_000.0);
        let weighted = EventTable::from_sample(&d, &e, &SampleWeights::default()).unwrap();
        assert_eq!(weighted, t);
        let w = [1.0; 5];
        let extra = SampleWeights {
            weights: Some(&w),
            entry: None,
        };
        let weighted = EventTable::from_sample(&d, &e, &extra).unwrap();
        assert_eq!(weighted.times, t.times);
        assert_eq!(weighted.at_risk, t.at_risk);
    }

    #[test]
    fn bad_rows_are_all_reported() {
        let err =
            EventTable::from_durations(&[1.0, f64::INFINITY, f64::NAN], &[true; 3]).unwrap_err();
        let Error::InvalidRows { issues } = err else {
            panic!("wrong variant")
        };
        assert_eq!(issues.len(), 2);
        assert_eq!((issues[0].row, issues[1].row), (1, 2));
        assert!(matches!(
            EventTable::from_durations(&[], &[]),
            Err(Error::EmptyInput { .. })
        ));
        assert!(matches!(
            EventTable::from_durations(&[1.0], &[]),
            Err(Error::LengthMismatch { .. })
        ));
    }
}
