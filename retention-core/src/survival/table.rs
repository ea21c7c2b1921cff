//! Validation of right-censored input and the life table (event table) built
//! from it.

use crate::error::{check_non_negative, Error, Issues, Result};

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

/// The life table of a right-censored sample: one row per distinct time,
/// like lifelines' `event_table`.
///
/// The first row is always time 0 (the common origin of all subjects); it
/// holds the subjects whose duration is exactly 0, if any. Every later row
/// is a distinct observed duration, whether an event or only censoring
/// happened there.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct EventTable {
    /// Distinct times, strictly increasing, starting at 0.
    pub times: Vec<f64>,
    /// Subjects still under observation just before each time (`Y(t)`,
    /// durations `≥ t`).
    pub at_risk: Vec<usize>,
    /// Events observed at each time (`d(t)`).
    pub observed: Vec<usize>,
    /// Subjects censored at each time.
    pub censored: Vec<usize>,
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

    /// Builds the table from validated input.
    pub(crate) fn build(durations: &[f64], events: &[bool]) -> Self {
        let n = durations.len();
        if let Some(groups) = count_few_distinct(durations, events) {
            let mut table = EventTable::with_capacity(groups.len() + 1);
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
        EventTable {
            times,
            at_risk,
            observed,
            censored,
        }
    }

    fn with_capacity(capacity: usize) -> Self {
        EventTable {
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
        assert_eq!(t.at_risk, vec![6, 6, 5, 4, 1]);
        assert_eq!(t.observed, vec![0, 0, 1, 2, 1]);
        assert_eq!(t.censored, vec![0, 1, 0, 1, 0]);
    }

    #[test]
    fn zero_durations_share_the_origin_row() {
        let t = EventTable::from_durations(&[0.0, -0.0, 2.0], &[true, false, true]).unwrap();
        assert_eq!(t.times, vec![0.0, 2.0]);
        assert_eq!(t.observed, vec![1, 1]);
        assert_eq!(t.censored, vec![1, 0]);
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
        let hashed = EventTable::build(&few, &events);
        let sorted = EventTable::build(&many, &many_events);
        let k = hashed.len();
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
