//! Cohort cells: the mergeable counts behind the acquisition-cohort matrices.
//!
//! Every number of an acquisition matrix ([`crate::cohorts`]) is a ratio of
//! sums over customers: per cohort `c` its size, and per age `k` the
//! eligible members `|E(c, k)|`, the retained members and the members'
//! revenue in period `c + k` (exact fixed-point [`Money`]). Those sums are
//! the *cells*. Cells of disjoint sets of customers (e.g. partitions of a
//! log split by customer) add up to the cells of their union, so
//! [`acquisition_cohorts_from_cells`] over the concatenated cells of any
//! partitioning gives exactly the matrix of [`acquisition_cohorts`] on the
//! whole log: the ratios are taken once, from whole counts.
//!
//! With [`RetentionMode::ReturnOnOrAfter`] a cell counts the members
//! retained at that age (already cumulated), so cells still add up.

use chrono::{DateTime, Utc};

#[cfg(doc)]
use crate::cohorts::acquisition_cohorts;
use crate::cohorts::{acquisition_engine, CohortMatrix, CohortOptions, Engine, RetentionMode};
use crate::error::{IssueKind, Issues, Result};
use crate::events::EventLog;
use crate::summary::Money;
use crate::time::to_micros;

/// One cell of partial cohort counts; cells with the same `cohort` and
/// `age` add up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CohortCell {
    /// The cohort's acquisition period, as an index of the options' calendar
    /// ([`crate::time::Calendar::index`]).
    pub cohort: i64,
    /// Age in periods; `None` for the cohort-size cell.
    pub age: Option<u32>,
    /// The cohort's members (size cell) or the members eligible at `age`.
    pub customers: u64,
    /// Members retained at `age` (0 in the size cell).
    pub retained: u64,
    /// The members' revenue in period `cohort + age` (0 in the size cell).
    pub revenue: Money,
}

/// The cells of the acquisition cohorts of `log`: one size cell per cohort
/// and one cell per complete age (see the module docs).
///
/// # Errors
/// As [`acquisition_cohorts`].
pub fn acquisition_cohort_cells(
    log: &EventLog,
    as_of: DateTime<Utc>,
    options: &CohortOptions,
) -> Result<Vec<CohortCell>> {
    let engine = acquisition_engine(log, to_micros(as_of), options)?;
    let cumulate = engine.mode == RetentionMode::ReturnOnOrAfter;
    let mut cells = Vec::new();
    for sub in &engine.subs {
        let cohort = sub.key.0;
        cells.push(CohortCell {
            cohort,
            age: None,
            customers: sub.size,
            retained: 0,
            revenue: Money(0),
        });
        let mut running = 0i64;
        for (k, &revenue) in sub.revenue.iter().enumerate() {
            let r = sub.retained[k];
            running = if cumulate { running + r } else { r };
            cells.push(CohortCell {
                cohort,
                age: Some(k as u32),
                customers: sub.size,
                retained: u64::try_from(running).unwrap_or(0),
                revenue,
            });
        }
    }
    cells.sort_by_key(|c| (c.cohort, c.age));
    Ok(cells)
}

/// The acquisition-cohort matrices from cells (in any order, with repeats
/// to add up), equal to [`acquisition_cohorts`] on the log the cells were
/// counted from, given the same `as_of` and options.
///
/// # Errors
/// [`crate::Error::InvalidRows`] naming every cell (by its index) whose age
/// is not complete at `as_of` (or beyond `max_age`), whose summed eligible
/// count differs from the cohort's size, or whose retained count exceeds it;
/// [`crate::Error::InvalidParameter`] when the matrix would be too large.
pub fn acquisition_cohorts_from_cells(
    cells: &[CohortCell],
    as_of: DateTime<Utc>,
    options: &CohortOptions,
) -> Result<CohortMatrix> {
    let mut engine = Engine::new(options, to_micros(as_of));
    let mut order: Vec<usize> = (0..cells.len()).collect();
    order.sort_by_key(|&i| (cells[i].cohort, cells[i].age));
    let mut issues = Issues::default();
    // Per cohort: size, then per-age (customers, retained, revenue, first row).
    let mut start = 0;
    while start < order.len() {
        let cohort = cells[order[start]].cohort;
        let end = start + order[start..].partition_point(|&i| cells[i].cohort == cohort);
        let width = engine.width(cohort);
        let size: u64 = order[start..end]
            .iter()
            .filter(|&&i| cells[i].age.is_none())
            .map(|&i| cells[i].customers)
            .sum();
        let mut eligible = vec![0u64; width];
        let mut retained = vec![0u64; width];
        let mut revenue = vec![Money(0); width];
        let mut first_row = vec![None; width];
        for &i in &order[start..end] {
            let cell = &cells[i];
            let Some(age) = cell.age else { continue };
            let k = age as usize;
            if k >= width {
                let max = width as f64 - 1.0;
                issues.push(i, "age", age, IssueKind::OutOfRange { min: 0.0, max });
                continue;
            }
            eligible[k] += cell.customers;
            retained[k] += cell.retained;
            revenue[k] += cell.revenue;
            first_row[k].get_or_insert(i);
        }
        for k in 0..width {
            let row = first_row[k].unwrap_or(order[start]);
            if eligible[k] != size && first_row[k].is_some() {
                let range = IssueKind::OutOfRange {
                    min: size as f64,
                    max: size as f64,
                };
                issues.push(row, "customers", eligible[k], range);
            }
            if retained[k] > size {
                let range = IssueKind::OutOfRange {
                    min: 0.0,
                    max: size as f64,
                };
                issues.push(row, "retained", retained[k], range);
            }
        }
        let s = engine.sub_for(cohort, cohort)?;
        let mode = engine.mode;
        let sub = &mut engine.subs[s];
        sub.size += size;
        let mut previous = 0i64;
        for k in 0..width {
            let r = i64::try_from(retained[k]).unwrap_or(i64::MAX);
            // The engine cumulates a difference array in this mode.
            sub.retained[k] = if mode == RetentionMode::ReturnOnOrAfter {
                r - previous
            } else {
                r
            };
            previous = r;
            sub.revenue[k] = revenue[k];
        }
        start = end;
    }
    issues.finish()?;
    engine.finish_acquisition()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cohorts::{acquisition_cohorts, QualifyingEvents, RevenueBasis};
    use crate::events::{EventLog, LogOptions};
    use crate::sample::{generate, SampleOptions};
    use crate::time::{from_micros, Calendar, Period};

    #[test]
    fn cells_of_any_split_give_the_matrix_of_the_whole_log() {
        let sample = SampleOptions {
            customers: 400,
            ..SampleOptions::default()
        };
        let events = generate(&sample).unwrap();
        let whole = EventLog::from_events(&events, LogOptions::default()).unwrap();
        let as_of = from_micros(sample.as_of);
        for (period, mode, qualifying, revenue) in [
            (
                Period::Month,
                RetentionMode::ReturnOn,
                QualifyingEvents::Orders,
                RevenueBasis::Net,
            ),
            (
                Period::Quarter,
                RetentionMode::ReturnOnOrAfter,
                QualifyingEvents::AnyActivity,
                RevenueBasis::Gross,
            ),
        ] {
            let options = CohortOptions {
                calendar: Calendar::utc(period),
                mode,
                qualifying,
                revenue,
                max_age: None,
            };
            let expected = acquisition_cohorts(&whole, as_of, &options).unwrap();
            // Three parts split by customer id.
            let mut cells = Vec::new();
            for part in 0..3 {
                let mine: Vec<_> = events
                    .iter()
                    .filter(|e| match &e.customer {
                        crate::events::CustomerId::Int(i) => i.rem_euclid(3) == part,
                        crate::events::CustomerId::Str(_) => part == 0,
                    })
                    .cloned()
                    .collect();
                let log = EventLog::from_events(&mine, LogOptions::default()).unwrap();
                cells.extend(acquisition_cohort_cells(&log, as_of, &options).unwrap());
            }
            cells.reverse();
            let got = acquisition_cohorts_from_cells(&cells, as_of, &options).unwrap();
            assert_eq!(got, expected);
            let one = acquisition_cohort_cells(&whole, as_of, &options).unwrap();
            assert_eq!(
                acquisition_cohorts_from_cells(&one, as_of, &options).unwrap(),
                expected
            );
        }
    }

    #[test]
    fn inconsistent_cells_are_named() {
        let options = CohortOptions::default();
        let as_of = from_micros(SampleOptions::default().as_of);
        let cohort = Calendar::utc(Period::Month).index(SampleOptions::default().start);
        let cell = |age, customers, retained| CohortCell {
            cohort,
            age,
            customers,
            retained,
            revenue: Money(0),
        };
        let cells = [
            cell(None, 2, 0),
            cell(Some(0), 2, 3),
            cell(Some(1), 1, 0),
            cell(Some(999), 2, 0),
        ];
        let err = acquisition_cohorts_from_cells(&cells, as_of, &options).unwrap_err();
        let crate::Error::InvalidRows { issues } = err else {
            panic!("{err:?}")
        };
        let fields: Vec<(usize, &str)> = issues.iter().map(|i| (i.row, i.field)).collect();
        assert_eq!(fields, vec![(1, "retained"), (2, "customers"), (3, "age")]);
    }
}
