//! Validation of right-censored input and the life table (event table) built
//! from it.

use crate::error::{check_non_negative, Error, Issues, Result};

/// Checks that `durations` and `events` have the same, non-zero length and
/// that every duration is finite and non-negative (all bad rows reported).
pub(crate) fn validate_durations(durations: &[f64], events: &[bool]) -> Result<()> {
    if events.len() != durations.len() {
        return Err(Error::LengthMismatch {
            field: "event_observed",
            expected: durations.len(),
            actual: events.len(),
        });
    }
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

/// Sorts `keys` ascending with an LSD radix sort (16-bit digits) for large
/// inputs and the standard unstable sort otherwise.
pub(crate) fn sort_keys(keys: &mut Vec<u64>) {
    const RADIX_MIN: usize = 1 << 16;
    if keys.len() < RADIX_MIN {
        keys.sort_unstable();
        return;
    }
    let (mut lo, mut hi) = (u64::MAX, 0u64);
    let mut or_diff = 0u64;
    let first = keys[0];
    for &k in keys.iter() {
        lo = lo.min(k);
        hi = hi.max(k);
        or_diff |= k ^ first;
    }
    if or_diff == 0 || lo == hi {
        return;
    }
    let mut buf = vec![0u64; keys.len()];
    let mut src = std::mem::take(keys);
    for pass in 0..4 {
        let shift = pass * 16;
        if (or_diff >> shift) & 0xFFFF == 0 {
            continue;
        }
        let mut counts = vec![0usize; 1 << 16];
        for &k in &src {
            counts[((k >> shift) & 0xFFFF) as usize] += 1;
        }
        let mut total = 0usize;
        for c in counts.iter_mut() {
            let here = *c;
            *c = total;
            total += here;
        }
        for &k in &src {
            let digit = ((k >> shift) & 0xFFFF) as usize;
            buf[counts[digit]] = k;
            counts[digit] += 1;
        }
        std::mem::swap(&mut src, &mut buf);
    }
    *keys = src;
}

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
        // Key: duration bits shifted left once, low bit set for censoring, so
        // one integer sort groups equal times.
        let mut keys: Vec<u64> = durations
            .iter()
            .zip(events)
            .map(|(&d, &e)| (duration_key(d) << 1) | u64::from(!e))
            .collect();
        sort_keys(&mut keys);
        let mut table = EventTable {
            times: Vec::new(),
            at_risk: Vec::new(),
            observed: Vec::new(),
            censored: Vec::new(),
        };
        if keys.first().is_some_and(|&k| k >> 1 != 0) {
            table.push(0.0, n, 0, 0);
        }
        let mut remaining = n;
        let mut i = 0;
        while i < keys.len() {
            let time_bits = keys[i] >> 1;
            let mut events_here = 0;
            let mut j = i;
            while j < keys.len() && keys[j] >> 1 == time_bits {
                events_here += usize::from(keys[j] & 1 == 0);
                j += 1;
            }
            let removed = j - i;
            table.push(
                f64::from_bits(time_bits),
                remaining,
                events_here,
                removed - events_here,
            );
            remaining -= removed;
            i = j;
        }
        table
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
    fn radix_sort_agrees_with_std_sort() {
        let mut state = 12_345u64;
        let mut keys: Vec<u64> = (0..70_000)
            .map(|_| {
                state = state
                    .wrapping_mul(6_364_136_223_846_793_005)
                    .wrapping_add(1);
                state >> 3
            })
            .collect();
        let mut expected = keys.clone();
        expected.sort_unstable();
        sort_keys(&mut keys);
        assert_eq!(keys, expected);
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
