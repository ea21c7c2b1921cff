//! Period lookups (a table of period starts, a per-customer cache), the
//! per-customer event stream and the cohort labels.

use super::{CohortOptions, QualifyingEvents, RevenueBasis};
use crate::events::{EventLog, EventType};
use crate::summary::Money;
use crate::time::{civil_from_days, Calendar, Micros, Period};

/// Period of the first order of dense customer `c`.
pub(crate) fn first_order_period(
    log: &EventLog,
    c: usize,
    cal: &Calendar,
    table: Option<&PeriodTable>,
) -> Option<i64> {
    let kinds = log.event_types();
    let times = log.times();
    log.customer_range(c)
        .find(|&i| kinds[i] == EventType::Order)
        .map(|i| PeriodCache::new(*cal, table).index(times[i]))
}

/// Start instants of every period between two instants, for lookups by
/// binary search instead of calendar arithmetic.
pub(crate) struct PeriodTable {
    first: i64,
    /// `starts[j]` = start of period `first + j`; one more than the periods.
    starts: Vec<Micros>,
}

impl PeriodTable {
    /// Largest table built; longer ranges use calendar arithmetic.
    const MAX_PERIODS: i64 = 100_000;

    /// The table of periods covering `[lo, hi]`, if small and consistent.
    pub(crate) fn new(cal: &Calendar, range: Option<(Micros, Micros)>) -> Option<Self> {
        let (lo, hi) = range?;
        let (first, last) = (cal.index(lo), cal.index(hi));
        let n = last.checked_sub(first)?;
        if !(0..Self::MAX_PERIODS).contains(&n) {
            return None;
        }
        let starts: Vec<Micros> = (0..=n + 1).map(|j| cal.start(first + j)).collect();
        let consistent = starts.windows(2).all(|w| w[0] < w[1])
            && starts.first().is_some_and(|&s| s <= lo)
            && starts.last().is_some_and(|&e| hi < e);
        consistent.then_some(PeriodTable { first, starts })
    }
}

/// Memoises the period of the last instant looked up; instants of one
/// customer come in time order, so most lookups hit. Misses use the shared
/// [`PeriodTable`] when there is one, calendar arithmetic otherwise.
pub(crate) struct PeriodCache<'a> {
    cal: Calendar,
    table: Option<&'a PeriodTable>,
    lo: Micros,
    hi: Micros,
    index: i64,
}

impl<'a> PeriodCache<'a> {
    pub(crate) fn new(cal: Calendar, table: Option<&'a PeriodTable>) -> Self {
        PeriodCache {
            cal,
            table,
            lo: 1,
            hi: 0,
            index: 0,
        }
    }

    #[inline]
    pub(crate) fn index(&mut self, t: Micros) -> i64 {
        if t >= self.lo && t < self.hi {
            return self.index;
        }
        if let Some(table) = self.table {
            let j = table.starts.partition_point(|&s| s <= t);
            if let (Some(j), Some(&hi)) = (j.checked_sub(1), table.starts.get(j)) {
                (self.lo, self.hi) = (table.starts[j], hi);
                self.index = table.first + j as i64;
                return self.index;
            }
        }
        let index = self.cal.index(t);
        let (lo, hi) = (self.cal.start(index), self.cal.end(index));
        self.index = index;
        // Trust the bounds only where they are consistent (not saturated).
        if lo <= t && t < hi {
            (self.lo, self.hi) = (lo, hi);
        } else {
            (self.lo, self.hi) = (1, 0);
        }
        index
    }
}

/// The `(period, qualifies, revenue)` stream of one customer's events.
pub(crate) fn log_stream<'a>(
    log: &'a EventLog,
    c: usize,
    options: &CohortOptions,
    table: Option<&'a PeriodTable>,
) -> impl Iterator<Item = (i64, bool, Money)> + 'a {
    let kinds = log.event_types();
    let times = log.times();
    let values = log.values();
    let any = options.qualifying == QualifyingEvents::AnyActivity;
    let net = options.revenue == RevenueBasis::Net;
    let mut cache = PeriodCache::new(options.calendar, table);
    log.customer_range(c).filter_map(move |i| {
        let kind = kinds[i];
        let (qualifies, revenue) = match kind {
            EventType::Order => (true, Money::from_f64(values[i])),
            EventType::Refund if net => (any, Money(0) - Money::from_f64(values[i])),
            _ if any => (true, Money(0)),
            _ => return None,
        };
        Some((cache.index(times[i]), qualifies, revenue))
    })
}

/// Text label of acquisition period `index` of `cal` (`"2024-01"` for a
/// month, `"2024-Q1"`, `"2024"`, or the first day `"2024-01-01"` of a day or
/// week), as the matrices' cohort labels.
pub fn period_label(cal: &Calendar, index: i64) -> String {
    match cal.period {
        Period::Day => ymd(index),
        Period::Week { starts_on } => ymd(index
            .saturating_mul(7)
            .saturating_sub(3)
            .saturating_add(i64::from(starts_on.num_days_from_monday()))),
        Period::Month => format!(
            "{:04}-{:02}",
            index.div_euclid(12),
            index.rem_euclid(12) + 1
        ),
        Period::Quarter => format!("{:04}-Q{}", index.div_euclid(4), index.rem_euclid(4) + 1),
        Period::Year => format!("{index:04}"),
    }
}

fn ymd(day: i64) -> String {
    let (y, m, d) = civil_from_days(day);
    format!("{y:04}-{m:02}-{d:02}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time::MICROS_PER_DAY;
    use chrono::Weekday;

    #[test]
    fn period_table_agrees_with_calendar_arithmetic() {
        let calendars = [
            Calendar::utc(Period::Day),
            Calendar::utc(Period::Week {
                starts_on: Weekday::Sun,
            }),
            Calendar::with_offset(Period::Month, -5 * 3600).unwrap_or(Calendar::utc(Period::Month)),
            Calendar::utc(Period::Quarter),
            Calendar::with_offset(Period::Year, 3600).unwrap_or(Calendar::utc(Period::Year)),
        ];
        let (lo, hi) = (-40 * 365 * MICROS_PER_DAY, 60 * 365 * MICROS_PER_DAY);
        for cal in calendars {
            let table = PeriodTable::new(&cal, Some((lo, hi)));
            assert!(table.is_some());
            let mut with = PeriodCache::new(cal, table.as_ref());
            let mut without = PeriodCache::new(cal, None);
            // Pseudo-random instants, in and out of order, plus boundaries.
            let mut x: i64 = 12_345;
            for _ in 0..20_000 {
                x = x.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
                let t = lo + x.rem_euclid(hi - lo + 1);
                let b = cal.start(cal.index(t));
                for u in [t, b, b - 1] {
                    assert_eq!(with.index(u), cal.index(u), "{cal:?} {u}");
                    assert_eq!(without.index(u), cal.index(u), "{cal:?} {u}");
                }
            }
            // Outside the table's range it falls back to arithmetic.
            assert_eq!(with.index(hi * 2), cal.index(hi * 2));
        }
        assert!(PeriodTable::new(&Calendar::utc(Period::Day), Some((0, i64::MAX))).is_none());
        assert!(PeriodTable::new(&Calendar::utc(Period::Day), None).is_none());
    }
}
