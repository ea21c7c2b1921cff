//! Lifecycle counts per period and stickiness (the "lifecycle" and
//! "stickiness" charts of product analytics tools such as PostHog).
//!
//! A customer is **active** in a calendar period when they have at least one
//! order in it (by the period's local dates, see [`Calendar`]). For each period
//! `p` of the series, every customer falls in at most one of:
//!
//! * **new**: active in `p`, and `p` is their first active period ever
//!   (history before the series counts);
//! * **returning**: active in `p` and in `p − 1`;
//! * **resurrecting**: active in `p`, not in `p − 1`, but in some earlier period;
//! * **dormant**: active in `p − 1` but not in `p` (PostHog draws these as
//!   negative bars; here they are plain counts).
//!
//! So `new + returning + resurrecting` is the number of active customers in
//! `p`, and `returning + dormant` the number active in `p − 1`.
//!
//! **Stickiness** over the periods `first..=last` (`n` of them): for every
//! customer active in at least one of them, the number `k` of periods they
//! are active in; the distribution counts the customers with each `k`
//! (`1 ≤ k ≤ n`). Its ratio is the mean number of active customers per
//! period divided by the number active in the whole range — DAU/MAU when the
//! periods are the days of one month — which equals `mean(k) / n`.
//!
//! Orders after the last period are ignored; both take at most
//! [`MAX_SERIES_PERIODS`](crate::metrics::MAX_SERIES_PERIODS) periods.

use crate::error::Result;
use crate::events::{EventLog, EventType};
use crate::metrics::check_period_range;
use crate::time::Calendar;

/// Lifecycle counts of one period (see the module doc).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct PeriodLifecycle {
    /// Period index in the calendar used.
    pub period: i64,
    /// First active period ever.
    pub new: u64,
    /// Active in this period and the previous one.
    pub returning: u64,
    /// Active again after at least one inactive period.
    pub resurrecting: u64,
    /// Active in the previous period, not in this one.
    pub dormant: u64,
}

impl PeriodLifecycle {
    /// Customers active in the period: `new + returning + resurrecting`.
    pub fn active(&self) -> u64 {
        self.new + self.returning + self.resurrecting
    }
}

/// Distinct active periods of dense customer `c`, up to `last`, ascending.
fn active_periods(log: &EventLog, calendar: &Calendar, c: usize, last: i64, out: &mut Vec<i64>) {
    out.clear();
    let (times, kinds) = (log.times(), log.event_types());
    // The log is time-ordered per customer, and period indices are monotone
    // in time.
    let mut bound = (1, 0, 0);
    for i in log.customer_range(c) {
        if kinds[i] != EventType::Order {
            continue;
        }
        let t = times[i];
        let p = if bound.0 <= t && t < bound.1 {
            bound.2
        } else {
            let p = calendar.index(t);
            bound = (calendar.start(p), calendar.end(p), p);
            p
        };
        if p > last {
            break;
        }
        if out.last() != Some(&p) {
            out.push(p);
        }
    }
}

/// New, returning, resurrecting and dormant customers for every period
/// `first..=last` of `calendar`, one row per period.
///
/// Errors ([`Error::InvalidParameter`](crate::Error::InvalidParameter)) when
/// `last < first`, an index is beyond
/// [`MAX_PERIOD_INDEX`](crate::metrics::MAX_PERIOD_INDEX) or the range is
/// longer than [`MAX_SERIES_PERIODS`](crate::metrics::MAX_SERIES_PERIODS).
pub fn lifecycle_counts(
    log: &EventLog,
    calendar: &Calendar,
    first: i64,
    last: i64,
) -> Result<Vec<PeriodLifecycle>> {
    check_period_range(first, last)?;
    let mut out: Vec<PeriodLifecycle> = (first..=last)
        .map(|period| PeriodLifecycle {
            period,
            new: 0,
            returning: 0,
            resurrecting: 0,
            dormant: 0,
        })
        .collect();
    let slot = |p: i64| (first..=last).contains(&p).then(|| (p - first) as usize);
    let mut periods = Vec::new();
    for c in 0..log.customers().len() {
        active_periods(log, calendar, c, last, &mut periods);
        for (k, &p) in periods.iter().enumerate() {
            if let Some(j) = slot(p) {
                let row = &mut out[j];
                match k.checked_sub(1).map(|k| periods[k]) {
                    None => row.new += 1,
                    Some(prev) if prev == p - 1 => row.returning += 1,
                    Some(_) => row.resurrecting += 1,
                }
            }
            if periods.get(k + 1) != Some(&(p + 1)) {
                if let Some(j) = slot(p + 1) {
                    out[j].dormant += 1;
                }
            }
        }
    }
    Ok(out)
}

/// Stickiness over the periods `first..=last` (see the module doc).
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Deserialize))]
pub struct Stickiness {
    /// First period index.
    pub first: i64,
    /// Number of periods `n`.
    pub periods: u64,
    /// Customers active in at least one of the periods.
    pub customers: u64,
    /// `customers_by_active_periods[k − 1]`: customers active in exactly `k`
    /// of the periods (`n` entries).
    pub customers_by_active_periods: Vec<u64>,
}

impl Stickiness {
    /// Mean number of active customers per period.
    pub fn mean_active(&self) -> f64 {
        let active: u64 = (1..)
            .zip(&self.customers_by_active_periods)
            .map(|(k, &c)| k * c)
            .sum();
        active as f64 / self.periods as f64
    }

    /// Mean active customers per period over customers active in the range
    /// (DAU/MAU-style); `None` when no customer is active.
    pub fn ratio(&self) -> Option<f64> {
        (self.customers > 0).then(|| self.mean_active() / self.customers as f64)
    }
}

serialize_with_ratios!(Stickiness {
    first, periods, customers, customers_by_active_periods,
} {
    mean_active: Stickiness::mean_active,
    ratio: Stickiness::ratio,
});

/// Stickiness of the customers active in the periods `first..=last` of
/// `calendar`. Errors like [`lifecycle_counts`].
pub fn stickiness(
    log: &EventLog,
    calendar: &Calendar,
    first: i64,
    last: i64,
) -> Result<Stickiness> {
    check_period_range(first, last)?;
    let n = (last - first + 1) as usize;
    let mut counts = vec![0_u64; n];
    let mut periods = Vec::new();
    for c in 0..log.customers().len() {
        active_periods(log, calendar, c, last, &mut periods);
        let k = periods.iter().filter(|&&p| p >= first).count();
        if let Some(slot) = k.checked_sub(1) {
            counts[slot] += 1;
        }
    }
    Ok(Stickiness {
        first,
        periods: n as u64,
        customers: counts.iter().sum(),
        customers_by_active_periods: counts,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::events::{Event, LogOptions};
    use crate::time::{days, from_micros, Period};

    /// Orders of customers on UTC days (hand-built timelines).
    fn log(orders: &[(i64, i64)]) -> EventLog {
        let events: Vec<Event> = orders
            .iter()
            .map(|&(c, d)| Event::order(c, from_micros(days(d) + 3_600_000_000), 10.0))
            .collect();
        EventLog::from_events(&events, LogOptions::default()).unwrap()
    }

    #[test]
    fn hand_computed_lifecycle() {
        // Days as periods 0..=5:
        //   A: 0, 1, 2        → new@0, returning@1, returning@2, dormant@3
        //   B: 1, 3, 3, 4     → new@1, dormant@2, resurrecting@3, returning@4, dormant@5
        //   C: 4              → new@4, dormant@5
        //   D: -3 (before)    → dormant@-2 (outside), nothing in the series
        //   E: -1, 2          → dormant@0, resurrecting@2, dormant@3
        let l = log(&[
            (1, 0),
            (1, 1),
            (1, 2),
            (2, 1),
            (2, 3),
            (2, 3),
            (2, 4),
            (3, 4),
            (4, -3),
            (5, -1),
            (5, 2),
            (6, 9),
        ]);
        let rows = lifecycle_counts(&l, &Calendar::utc(Period::Day), 0, 5).unwrap();
        let got: Vec<[u64; 4]> = rows
            .iter()
            .map(|r| [r.new, r.returning, r.resurrecting, r.dormant])
            .collect();
        assert_eq!(
            got,
            [
                [1, 0, 0, 1],
                [1, 1, 0, 0],
                [0, 1, 1, 1],
                [0, 0, 1, 2],
                [1, 1, 0, 0],
                [0, 0, 0, 2],
            ]
        );
        assert_eq!(
            rows.iter().map(|r| r.period).collect::<Vec<_>>(),
            [0, 1, 2, 3, 4, 5]
        );
        assert_eq!(rows[2].active(), 2);
    }

    #[test]
    fn hand_computed_stickiness() {
        let l = log(&[
            (1, 0),
            (1, 1),
            (1, 2),
            (2, 1),
            (2, 3),
            (2, 3),
            (3, 4),
            (4, -3),
            (5, 9),
        ]);
        // Days 0..=4: A active 3 days, B 2, C 1; D and E not at all.
        let s = stickiness(&l, &Calendar::utc(Period::Day), 0, 4).unwrap();
        assert_eq!(s.customers_by_active_periods, [1, 1, 1, 0, 0]);
        assert_eq!((s.customers, s.periods), (3, 5));
        // 6 customer-days over 5 days = 1.2 a day; over 3 customers = 0.4.
        assert!((s.mean_active() - 1.2).abs() < 1e-12);
        assert!((s.ratio().unwrap() - 0.4).abs() < 1e-12);
        let empty = stickiness(&l, &Calendar::utc(Period::Day), 20, 21).unwrap();
        assert_eq!((empty.customers, empty.ratio()), (0, None));
    }

    #[test]
    fn bad_ranges() {
        let l = log(&[(1, 0)]);
        let cal = Calendar::utc(Period::Day);
        assert!(lifecycle_counts(&l, &cal, 3, 2).is_err());
        assert!(stickiness(&l, &cal, 0, 100_000).is_err());
        assert!(stickiness(&l, &cal, 0, 99_999).is_ok());
    }
}
