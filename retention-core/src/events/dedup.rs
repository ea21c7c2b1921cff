//! Duplicate detection: rows repeating an earlier row of the same customer and instant.

use super::{group, CustomerId, DuplicatePolicy, EventType};
use crate::error::{IssueKind, Issues, Result};

fn same_payload(
    a: (EventType, f64, u32),
    b: (EventType, f64, u32),
    referred: &[CustomerId],
) -> bool {
    if a.0 != b.0 || a.1.to_bits() != b.1.to_bits() {
        return false;
    }
    if a.0 == EventType::Referral {
        referred.get(a.2 as usize) == referred.get(b.2 as usize)
    } else {
        a.2 == b.2
    }
}

/// Marks (or, under `Reject`, reports) rows that repeat an earlier kept row of
/// the same customer at the same instant with the same payload.
pub(super) fn find_duplicates(
    offsets: &[usize],
    cols: &group::Columns,
    referred: &[CustomerId],
    policy: DuplicatePolicy,
) -> Result<Vec<bool>> {
    let payload = |i: usize| (cols.kind[i], cols.value[i], cols.aux[i]);
    let mut keep = vec![true; cols.time.len()];
    let mut issues = Issues::default();
    for w in offsets.windows(2) {
        let mut start = w[0];
        while start < w[1] {
            let mut end = start + 1;
            while end < w[1] && cols.time[end] == cols.time[start] {
                end += 1;
            }
            for j in start + 1..end {
                let first = (start..j)
                    .find(|&i| keep[i] && same_payload(payload(i), payload(j), referred))
                    .map(|i| cols.row[i] as usize);
                if let Some(first_row) = first {
                    if policy == DuplicatePolicy::Reject {
                        let row = cols.row[j] as usize;
                        issues.push(row, "row", row, IssueKind::Duplicate { first_row });
                    } else {
                        keep[j] = false;
                    }
                }
            }
            start = end;
        }
    }
    issues.finish()?;
    Ok(keep)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Error;
    use crate::events::{Event, EventLog, LogOptions};
    use chrono::{DateTime, TimeZone, Utc};

    fn t(day: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2024, 1, day, 10, 0, 0).unwrap()
    }

    #[test]
    fn duplicate_policies() {
        let events = vec![
            Event::order(1, t(1), 5.0),
            Event::order(1, t(1), 5.0),
            Event::order(1, t(1), 6.0),
            Event::order(1, t(1), 5.0),
        ];
        let keep = EventLog::from_events(&events, LogOptions::default()).unwrap();
        assert_eq!((keep.len(), keep.duplicates_dropped()), (4, 0));
        let drop = EventLog::from_events(
            &events,
            LogOptions {
                duplicates: DuplicatePolicy::Drop,
                ..LogOptions::default()
            },
        )
        .unwrap();
        assert_eq!((drop.len(), drop.duplicates_dropped()), (2, 2));
        assert_eq!(drop.values(), &[5.0, 6.0]);
        let err = EventLog::from_events(
            &events,
            LogOptions {
                duplicates: DuplicatePolicy::Reject,
                ..LogOptions::default()
            },
        )
        .unwrap_err();
        let Error::InvalidRows { issues } = err else {
            panic!()
        };
        assert_eq!(issues.len(), 2);
        assert_eq!(issues[0].kind, IssueKind::Duplicate { first_row: 0 });
        assert_eq!(issues[1].row, 3);
    }
}
