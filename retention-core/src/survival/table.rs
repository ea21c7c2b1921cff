//! Validation of right-censored input and the life table (event table) built
//! from it.

use crate::error::{check_non_negative, Error, IssueKind, Issues, Result};

/// Checks that `durations` and `events` have the same, non-zero length and
/// that every duration is finite and non-negative (all bad rows reported).
pub(crate) fn validate_durations(durations: &[f64], events: &[bool]) -> Result<()> {
    crate::error::check_len("event_observed", durations.len(), events.len())?;
    if durations.is_empty() {
        return Err(Error::EmptyInput { what: "durations" });
    }
    let mut issues = Issues::default();
    for (row, &d) in durations.iter().enumerate() {
        check_non_negative(&mut issues, row, "duration", d);
    }
    issues.finish()
}

/// Sort key of a validated duration: for finite `d ≥ 0` the IEEE bit
/// pattern orders like the value (`-0.0` is folded onto `+0.0`).
#[inline]
pub(crate) fn duration_key(d: f64) -> u64 {
    (d + 0.0).to_bits()
}

/// Row indices ordered by ascending `keys` (ties in unspecified order).
///
/// Sorting `(key, index)` pairs keeps the comparisons in cache, unlike
/// sorting indices through a lookup.
pub(crate) fn order_by_keys(keys: impl Iterator<Item = u64>) -> Vec<usize> {
    let mut pairs: Vec<(u64, usize)> = keys.zip(0..).collect();
    pairs.sort_unstable();
    pairs.into_iter().map(|(_, i)| i).collect()
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
/// Without entry times every subject enters at time 0, so the first row is
/// always time 0 (it also holds the subjects whose duration is exactly 0).
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
    validate_durations(durations, events)?;
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
    /// listing every negative or non-finite duration.
    pub fn from_durations(durations: &[f64], event_observed: &[bool]) -> Result<Self> {
        validate_durations(durations, event_observed)?;
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
                marks.push((0.0, total, 0));
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
        let f = |v: Vec<usize>| v.into_iter().map(|x| x as f64).collect::<Vec<f64>>();
        EventTable {
            times: counts.times,
            entrance,
            at_risk: f(counts.at_risk),
            observed: f(counts.observed),
            censored: f(counts.censored),
            whole_counts: true,
        }
    }
}

/// Unweighted counts of a sample without entry times.
struct Counts {
    times: Vec<f64>,
    at_risk: Vec<usize>,
    observed: Vec<usize>,
    censored: Vec<usize>,
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
        self.at_risk.push(at_risk);
        self.observed.push(observed);
        self.censored.push(censored);
    }
}

/// Counts per distinct time of validated, unweighted input; the first row is
/// time 0.
fn build_counts(durations: &[f64], events: &[bool]) -> Counts {
    let n = durations.len();
    if let Some(groups) = count_few_distinct(durations, events) {
        let mut table = Counts::with_capacity(groups.len() + 1);
        if groups.first().is_some_and(|g| g.0 != 0) {
            table.push(0.0, n, 0, 0);
        }
        let mut remaining = n;
        for (key, observed, censored) in groups {
            table.push(f64::from_bits(key), remaining, observed, censored);
            remaining -= observed + censored;
        }
        return table;
    }
    // Key: duration bits shifted left once, low bit set for censoring, so
    // one integer sort groups equal times. One spare slot for the origin.
    let mut keys: Vec<u64> = Vec::with_capacity(n + 1);
    keys.extend(
        durations
            .iter()
            .zip(events)
            .map(|(&d, &e)| (duration_key(d) << 1) | u64::from(!e)),
    );
    keys.sort_unstable();
    let distinct = 1 + keys.windows(2).filter(|w| w[0] >> 1 != w[1] >> 1).count();
    let needs_origin = keys.first().is_some_and(|&k| k >> 1 != 0);
    let rows = distinct + usize::from(needs_origin);
    let mut at_risk = Vec::with_capacity(rows);
    let mut observed = Vec::with_capacity(rows);
    let mut censored = Vec::with_capacity(rows);
    if needs_origin {
        at_risk.push(n);
        observed.push(0);
        censored.push(0);
    }
    // The distinct times overwrite the front of `keys` (never ahead of
    // the read position), so the sorted keys become the time column
    // without another allocation.
    let mut remaining = n;
    let (mut i, mut write) = (0, 0);
    while i < keys.len() {
        let time_bits = keys[i] >> 1;
        let mut events_here = 0;
        let mut j = i;
        while j < keys.len() && keys[j] >> 1 == time_bits {
            events_here += usize::from(keys[j] & 1 == 0);
            j += 1;
        }
        let removed = j - i;
        keys[write] = time_bits;
        write += 1;
        at_risk.push(remaining);
        observed.push(events_here);
        censored.push(removed - events_here);
        remaining -= removed;
        i = j;
    }
    keys.truncate(write);
    if needs_origin {
        keys.insert(0, 0.0_f64.to_bits());
    }
    if keys.len() < keys.capacity() / 2 {
        keys.shrink_to_fit();
    }
    let times: Vec<f64> = keys.into_iter().map(f64::from_bits).collect();
    Counts {
        times,
        at_risk,
        observed,
        censored,
    }
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
        let shift = 3_000;
        for (a, b) in hashed.at_risk.iter().zip(&sorted.at_risk) {
            assert_eq!(a + shift, *b);
        }
    }

    #[test]
    fn bad_rows_are_all_reported() {
        let err = EventTable::from_durations(&[1.0, -1.0, f64::NAN], &[true; 3]).unwrap_err();
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
