//! Labelled cohorts: rows are the caller's labels, ages count from each member's own first order.

use std::collections::HashMap;

use chrono::{DateTime, Utc};

use super::periods::{first_order_period, log_stream, PeriodTable};
use super::{CohortMatrix, CohortOptions, Engine};
use crate::error::{Error, IssueKind, Result};
use crate::events::{CustomerId, EventLog};
use crate::time::to_micros;

/// Labelled-cohort matrices from a map customer → label.
///
/// Every labelled customer must occur in the log (otherwise
/// [`Error::UnknownCustomer`]); customers of the log without a label are
/// ignored. Rows are the distinct labels, sorted.
///
/// ```
/// use std::collections::HashMap;
/// use chrono::{TimeZone, Utc};
/// use retention_core::cohorts::{labelled_cohorts, CohortOptions};
/// use retention_core::events::{Event, EventLog, LogOptions};
///
/// let d = |m, day| Utc.with_ymd_and_hms(2024, m, day, 12, 0, 0).unwrap();
/// let log = EventLog::from_events(
///     &[
///         Event::order(1, d(1, 5), 20.0),
///         Event::order(1, d(2, 5), 20.0),
///         Event::order(2, d(2, 9), 10.0),
///     ],
///     LogOptions::default(),
/// )?;
/// let labels = HashMap::from([(1.into(), "offer".to_string()), (2.into(), "control".to_string())]);
/// let m = labelled_cohorts(&log, &labels, d(3, 15), &CohortOptions::default())?;
/// assert_eq!(m.labels(), &["control".to_string(), "offer".to_string()]);
/// // Customer 2 was acquired in February: only age 0 is complete for them.
/// assert_eq!(m.retention()[0], vec![Some(1.0), None]);
/// assert_eq!(m.retention()[1], vec![Some(1.0), Some(1.0)]);
/// # Ok::<(), retention_core::Error>(())
/// ```
pub fn labelled_cohorts<S: AsRef<str>>(
    log: &EventLog,
    labels: &HashMap<CustomerId, S>,
    as_of: DateTime<Utc>,
    options: &CohortOptions,
) -> Result<CohortMatrix> {
    let mut pairs: Vec<(usize, &str)> = Vec::with_capacity(labels.len());
    // Report the smallest unknown id, so the error does not depend on hash order.
    let mut unknown: Option<&CustomerId> = None;
    for (id, label) in labels {
        match log.customer_index(id) {
            Some(c) => pairs.push((c, label.as_ref())),
            None => unknown = Some(unknown.map_or(id, |u| u.min(id))),
        }
    }
    if let Some(id) = unknown {
        return Err(Error::UnknownCustomer {
            customer: id.to_string(),
        });
    }
    labelled_from_pairs(log, pairs, as_of, options)
}

/// Labelled-cohort matrices from parallel slices `customers[i]` → `labels[i]`.
///
/// As [`labelled_cohorts`]; slices of different lengths are an
/// [`Error::LengthMismatch`], and a customer listed twice with different labels
/// an [`Error::InvalidRows`] ([`IssueKind::Duplicate`] on field `customer`,
/// naming the first listing). The first unknown customer is an
/// [`Error::UnknownCustomer`].
pub fn labelled_cohorts_from_slices<S: AsRef<str>>(
    log: &EventLog,
    customers: &[CustomerId],
    labels: &[S],
    as_of: DateTime<Utc>,
    options: &CohortOptions,
) -> Result<CohortMatrix> {
    let pairs = label_pairs(log, customers, labels)?;
    labelled_from_pairs(log, pairs, as_of, options)
}

/// Validates parallel label slices into `(dense customer, label)` pairs,
/// one per customer.
pub(crate) fn label_pairs<'a, S: AsRef<str>>(
    log: &EventLog,
    customers: &[CustomerId],
    labels: &'a [S],
) -> Result<Vec<(usize, &'a str)>> {
    crate::error::check_len("labels", customers.len(), labels.len())?;
    let mut seen: HashMap<usize, usize> = HashMap::with_capacity(customers.len());
    let mut pairs = Vec::with_capacity(customers.len());
    let mut issues = crate::error::Issues::default();
    for (row, (id, label)) in customers.iter().zip(labels).enumerate() {
        let Some(c) = log.customer_index(id) else {
            return Err(Error::UnknownCustomer {
                customer: id.to_string(),
            });
        };
        match seen.get(&c) {
            Some(&first) => {
                if labels[first].as_ref() != label.as_ref() {
                    issues.push(
                        row,
                        "customer",
                        id,
                        IssueKind::Duplicate { first_row: first },
                    );
                }
            }
            None => {
                seen.insert(c, row);
                pairs.push((c, label.as_ref()));
            }
        }
    }
    issues.finish()?;
    Ok(pairs)
}

fn labelled_from_pairs(
    log: &EventLog,
    mut pairs: Vec<(usize, &str)>,
    as_of: DateTime<Utc>,
    options: &CohortOptions,
) -> Result<CohortMatrix> {
    let as_of = to_micros(as_of);
    log.check_as_of(as_of)?;
    let mut names: Vec<&str> = pairs.iter().map(|p| p.1).collect();
    names.sort_unstable();
    names.dedup();
    pairs.sort_unstable_by_key(|p| p.0);
    let mut engine = Engine::new(options, as_of);
    let table = PeriodTable::new(&options.calendar, log.time_range());
    let table = table.as_ref();
    let mut unanchored = vec![0u64; names.len()];
    for (c, label) in pairs {
        let row = names.binary_search(&label).unwrap_or(0);
        let Some(anchor) = first_order_period(log, c, &options.calendar, table) else {
            unanchored[row] += 1;
            continue;
        };
        let sub = engine.sub_for(row as i64, anchor)?;
        engine.add_customer(sub, log_stream(log, c, options, table))?;
    }
    let rows: Vec<i64> = (0..names.len() as i64).collect();
    let labels = names.iter().map(|s| s.to_string()).collect();
    engine.finish(&rows, labels, vec![None; names.len()], unanchored)
}
