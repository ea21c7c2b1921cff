//! The validated, columnar [`EventLog`], its construction and its accessors.

use std::ops::Range;

use chrono::{DateTime, Utc};

use super::dedup::find_duplicates;
use super::kinds::from_index;
use super::validation::{compact_event, compact_fields, plain_row, Fields, NO_ITEMS};
use super::{
    group, CustomerColumn, CustomerId, DuplicatePolicy, Event, EventColumns, EventKind, EventType,
    LogOptions, Severity, SubscriptionChange, SurveyKind,
};
use crate::error::{check_len, Error, IssueKind, Issues, Result, RowIssue};
use crate::time::{from_micros, to_micros, Micros};

/// A validated, columnar event log ordered by customer, then time, then input row.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct EventLog {
    customers: Vec<CustomerId>,
    offsets: Vec<usize>,
    time: Vec<Micros>,
    kind: Vec<EventType>,
    value: Vec<f64>,
    aux: Vec<u32>,
    /// Input row numbers (logs hold fewer than 2^32 rows).
    row: Vec<u32>,
    referred: Vec<CustomerId>,
    duplicates_dropped: usize,
    /// Input rows, before duplicates were dropped.
    pub(super) inputs: usize,
    pub(super) properties: super::Properties,
}

/// A borrowed view of one event in an [`EventLog`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct EventRef<'a> {
    log: &'a EventLog,
    index: usize,
}

impl<'a> EventRef<'a> {
    /// Position in the log.
    pub fn index(&self) -> usize {
        self.index
    }
    /// Index of the row in the caller's input.
    pub fn input_row(&self) -> usize {
        self.log.row[self.index] as usize
    }
    /// Instant in microseconds.
    pub fn time(&self) -> Micros {
        self.log.time[self.index]
    }
    /// Instant as a datetime.
    pub fn timestamp(&self) -> DateTime<Utc> {
        from_micros(self.time())
    }
    /// Payload-free type.
    pub fn event_type(&self) -> EventType {
        self.log.kind[self.index]
    }
    /// Amount of an order or refund, signed MRR change, points or survey score; 0 otherwise.
    pub fn value(&self) -> f64 {
        self.log.value[self.index]
    }
    /// The full event kind with its payload.
    pub fn kind(&self) -> EventKind {
        let value = self.value();
        let aux = self.log.aux[self.index];
        match self.event_type() {
            EventType::Signup => EventKind::Signup,
            EventType::Order => EventKind::Order {
                amount: value,
                items: (aux != NO_ITEMS).then_some(aux),
            },
            EventType::Refund => EventKind::Refund { amount: value },
            EventType::Session => EventKind::Session,
            EventType::EmailOpen => EventKind::EmailOpen,
            EventType::EmailClick => EventKind::EmailClick,
            EventType::SupportTicket => EventKind::SupportTicket {
                severity: from_index(Severity::ALL, aux >> 1),
                resolved: aux & 1 == 1,
            },
            EventType::Survey => EventKind::Survey {
                kind: from_index(SurveyKind::ALL, aux),
                score: value,
            },
            EventType::Referral => EventKind::Referral {
                referred: self
                    .log
                    .referred
                    .get(aux as usize)
                    .cloned()
                    .unwrap_or(CustomerId::Int(0)),
            },
            EventType::Subscription => EventKind::Subscription {
                change: from_index(SubscriptionChange::ALL, aux),
                mrr_delta: value,
            },
            EventType::PointsEarned => EventKind::PointsEarned { points: value },
            EventType::PointsRedeemed => EventKind::PointsRedeemed { points: value },
        }
    }
}

impl EventLog {
    /// Builds a log from event rows, validating every row.
    ///
    /// ```
    /// use chrono::{TimeZone, Utc};
    /// use retention_core::events::{Event, EventKind, EventLog, LogOptions};
    ///
    /// let t = Utc.with_ymd_and_hms(2024, 3, 1, 12, 0, 0).unwrap();
    /// let log = EventLog::from_events(
    ///     &[Event::order(7, t, 25.0), Event::new("anna", t, EventKind::Session)],
    ///     LogOptions::default(),
    /// )?;
    /// assert_eq!(log.len(), 2);
    /// assert_eq!(log.customers().len(), 2);
    ///
    /// let bad = EventLog::from_events(&[Event::order(7, t, f64::NAN)], LogOptions::default());
    /// assert!(bad.unwrap_err().to_string().contains("row 0: field `amount`"));
    /// # Ok::<(), retention_core::Error>(())
    /// ```
    pub fn from_events(events: &[Event], options: LogOptions) -> Result<EventLog> {
        check_rows(events.len())?;
        let (customers, keys) = group::intern_ids(events.iter().map(|e| &e.customer));
        let times: Vec<Micros> = events.iter().map(|e| to_micros(e.timestamp)).collect();
        let staged = group::stage(&keys, customers.len(), &times, options.threads, |row, c| {
            compact_event(row, &events[row].kind, &mut c.referred, &mut c.issues)
        });
        assemble(customers, staged, options)
    }

    /// [`EventLog::from_columns`] for a door that has already read the
    /// caller's cells into columns and found `parse_issues` (cells it could
    /// not read: unparseable timestamps, unknown event names, missing ids…,
    /// with placeholders in the columns). The rows named there are not
    /// validated again; every other row is, and all issues come back in one
    /// [`Error::InvalidRows`], in row order (a row's parse issues first).
    /// This is how every front door reports the same issues for the same
    /// rows.
    ///
    /// ```
    /// use retention_core::events::{CustomerColumn, EventColumns, EventLog, LogOptions};
    /// use retention_core::{Error, IssueKind, RowIssue};
    ///
    /// let (ids, times, amounts) = ([1_i64, 2, 3], [0, 0, 0], [10.0, -1.0, 5.0]);
    /// let cols = EventColumns::orders(CustomerColumn::Int(&ids), &times, &amounts);
    /// // Say the door could not read row 2's timestamp (and put 0 there).
    /// let bad_time = RowIssue::new(2, "timestamp", "soon", IssueKind::Unparseable { expected: "a timestamp" });
    /// let err = EventLog::from_columns_after(&cols, LogOptions::default(), vec![bad_time]).unwrap_err();
    /// let Error::InvalidRows { issues } = err else { unreachable!() };
    /// assert_eq!(issues.iter().map(|i| (i.row, i.field)).collect::<Vec<_>>(), [(1, "amount"), (2, "timestamp")]);
    /// ```
    pub fn from_columns_after(
        columns: &EventColumns<'_>,
        options: LogOptions,
        parse_issues: Vec<RowIssue>,
    ) -> Result<EventLog> {
        if parse_issues.is_empty() {
            return EventLog::from_columns(columns, options);
        }
        let mut issues = parse_issues;
        let bad: std::collections::HashSet<usize> = issues.iter().map(|i| i.row).collect();
        match EventLog::from_columns(columns, options) {
            Ok(_) => {}
            Err(Error::InvalidRows { issues: found }) => {
                issues.extend(found.into_iter().filter(|i| !bad.contains(&i.row)));
            }
            Err(other) => return Err(other),
        }
        issues.sort_by_key(|i| i.row);
        Err(Error::InvalidRows { issues })
    }

    /// Builds a log from columns, validating every row.
    ///
    /// ```
    /// use retention_core::events::{CustomerColumn, EventColumns, EventLog, LogOptions};
    ///
    /// let customers = [3_i64, 1, 3];
    /// let times = [2_000_000, 1_000_000, 1_000_000];
    /// let amounts = [10.0, 5.0, 7.5];
    /// let cols = EventColumns::orders(CustomerColumn::Int(&customers), &times, &amounts);
    /// let log = EventLog::from_columns(&cols, LogOptions::default())?;
    /// // Sorted by customer, then time.
    /// assert_eq!(log.values(), &[5.0, 7.5, 10.0]);
    /// # Ok::<(), retention_core::Error>(())
    /// ```
    pub fn from_columns(columns: &EventColumns<'_>, options: LogOptions) -> Result<EventLog> {
        let n = columns.customer.len();
        check_len("timestamp", n, columns.timestamp.len())?;
        if let Some(k) = columns.kind {
            check_len("kind", n, k.len())?;
        }
        if let Some(v) = columns.amount {
            check_len("amount", n, v.len())?;
        }
        if let Some(v) = columns.items {
            check_len("items", n, v.len())?;
        }
        if let Some(v) = columns.score {
            check_len("score", n, v.len())?;
        }
        if let Some(v) = columns.detail {
            check_len("detail", n, v.len())?;
        }
        if let Some(v) = columns.resolved {
            check_len("resolved", n, v.len())?;
        }
        check_rows(n)?;
        let (customers, keys) = match columns.customer {
            CustomerColumn::Int(ids) => group::intern_ints(ids, options.threads),
            CustomerColumn::Str(ids) => group::intern_strs(ids),
        };
        let staged = group::stage(
            &keys,
            customers.len(),
            columns.timestamp,
            options.threads,
            |row, c| {
                let kind = columns.kind.map_or(EventType::Order, |k| k[row]);
                let fields = Fields {
                    amount: columns.amount.map_or(f64::NAN, |v| v[row]),
                    items: columns.items.and_then(|v| v[row]),
                    score: columns.score.map_or(f64::NAN, |v| v[row]),
                    detail: columns.detail.and_then(|v| v[row]),
                    resolved: columns.resolved.and_then(|v| v[row]),
                };
                plain_row(kind, &fields).unwrap_or_else(|| {
                    compact_fields(row, kind, fields, &mut c.referred, &mut c.issues)
                })
            },
        );
        assemble(customers, staged, options)
    }

    /// Number of events.
    pub fn len(&self) -> usize {
        self.time.len()
    }

    /// Whether the log holds no events.
    pub fn is_empty(&self) -> bool {
        self.time.is_empty()
    }

    /// Distinct customers, sorted; position = dense customer index.
    pub fn customers(&self) -> &[CustomerId] {
        &self.customers
    }

    /// Dense index of a customer id.
    pub fn customer_index(&self, id: &CustomerId) -> Option<usize> {
        self.customers.binary_search(id).ok()
    }

    /// Range of event positions belonging to dense customer `c` (empty if out of range).
    pub fn customer_range(&self, c: usize) -> Range<usize> {
        match (self.offsets.get(c), self.offsets.get(c + 1)) {
            (Some(&a), Some(&b)) => a..b,
            _ => 0..0,
        }
    }

    /// Event instants (µs), in log order.
    pub fn times(&self) -> &[Micros] {
        &self.time
    }

    /// Event types, in log order.
    pub fn event_types(&self) -> &[EventType] {
        &self.kind
    }

    /// Event values (amount / MRR change / points / survey score; 0 otherwise), in log order.
    pub fn values(&self) -> &[f64] {
        &self.value
    }

    /// Input row index of each event, in log order.
    pub fn input_rows(&self) -> &[u32] {
        &self.row
    }

    /// A view of the event at log position `i`, if any.
    pub fn get(&self, i: usize) -> Option<EventRef<'_>> {
        (i < self.len()).then_some(EventRef {
            log: self,
            index: i,
        })
    }

    /// Iterates `(customer, event)` pairs in log order.
    pub fn iter(&self) -> impl Iterator<Item = (&CustomerId, EventRef<'_>)> + '_ {
        self.customers.iter().enumerate().flat_map(move |(c, id)| {
            self.customer_range(c).map(move |i| {
                (
                    id,
                    EventRef {
                        log: self,
                        index: i,
                    },
                )
            })
        })
    }

    /// Owned event rows, in log order (mainly for tests and export).
    pub fn to_events(&self) -> Vec<Event> {
        self.iter()
            .map(|(id, e)| Event::new(id.clone(), e.timestamp(), e.kind()))
            .collect()
    }

    /// How many exact duplicates [`DuplicatePolicy::Drop`] removed.
    pub fn duplicates_dropped(&self) -> usize {
        self.duplicates_dropped
    }

    /// Earliest and latest event instants, if any.
    pub fn time_range(&self) -> Option<(Micros, Micros)> {
        let min = self.time.iter().copied().min()?;
        let max = self.time.iter().copied().max()?;
        Some((min, max))
    }

    /// A copy holding only the events at or before `as_of` (for describing the
    /// past from a log that goes on). Customers without remaining events are
    /// dropped; input row numbers are kept.
    pub fn up_to(&self, as_of: Micros) -> EventLog {
        let mut out = EventLog {
            referred: self.referred.clone(),
            duplicates_dropped: self.duplicates_dropped,
            inputs: self.inputs,
            ..EventLog::default()
        };
        let mut kept = Vec::with_capacity(self.customers.len());
        out.offsets.push(0);
        for (c, id) in self.customers.iter().enumerate() {
            let before = out.time.len();
            for i in self.customer_range(c).filter(|&i| self.time[i] <= as_of) {
                out.time.push(self.time[i]);
                out.kind.push(self.kind[i]);
                out.value.push(self.value[i]);
                out.aux.push(self.aux[i]);
                out.row.push(self.row[i]);
            }
            if out.time.len() > before {
                out.customers.push(id.clone());
                out.offsets.push(out.time.len());
                kept.push(c);
            }
        }
        out.properties = self.properties.keep_customers(&kept);
        out
    }

    /// Errors with [`IssueKind::AfterAsOf`] for every event later than `as_of`
    /// (naming the input row), for computations that describe the state at `as_of`.
    pub fn check_as_of(&self, as_of: Micros) -> Result<()> {
        let mut issues = Issues::default();
        for (i, &t) in self.time.iter().enumerate() {
            if t > as_of {
                issues.push(
                    self.row[i] as usize,
                    "timestamp",
                    from_micros(t).to_rfc3339(),
                    IssueKind::AfterAsOf,
                );
            }
        }
        issues.finish()
    }
}

/// Errors unless a log of `n` rows fits the row numbering (u32).
fn check_rows(n: usize) -> Result<()> {
    if u32::try_from(n).is_err() {
        return Err(Error::parameter(
            "rows",
            n,
            "at most 2^32 − 1 rows in one log (merge summaries of smaller logs)",
        ));
    }
    Ok(())
}

/// Finishes a log from staged rows: reports the rows' issues, orders them,
/// applies the duplicate policy.
fn assemble(
    customers: Vec<CustomerId>,
    mut staged: group::Staged,
    options: LogOptions,
) -> Result<EventLog> {
    std::mem::take(&mut staged.checked.issues).finish()?;
    let referred = std::mem::take(&mut staged.checked.referred);
    let (mut cols, mut offsets) = group::place(staged);
    let n = cols.time.len();
    let mut dropped = 0;
    if options.duplicates != DuplicatePolicy::Keep {
        let keep = find_duplicates(&offsets, &cols, &referred, options.duplicates)?;
        dropped = keep.iter().filter(|&&k| !k).count();
        if dropped > 0 {
            let mut removed = 0;
            for c in 0..customers.len() {
                let removed_here = keep[offsets[c]..offsets[c + 1]]
                    .iter()
                    .filter(|&&k| !k)
                    .count();
                offsets[c] -= removed;
                removed += removed_here;
            }
            offsets[customers.len()] = n - removed;
            let mut flags = keep.iter();
            cols.time.retain(|_| *flags.next().unwrap_or(&true));
            let mut flags = keep.iter();
            cols.kind.retain(|_| *flags.next().unwrap_or(&true));
            let mut flags = keep.iter();
            cols.value.retain(|_| *flags.next().unwrap_or(&true));
            let mut flags = keep.iter();
            cols.aux.retain(|_| *flags.next().unwrap_or(&true));
            let mut flags = keep.iter();
            cols.row.retain(|_| *flags.next().unwrap_or(&true));
        }
    }
    Ok(EventLog {
        customers,
        offsets,
        time: cols.time,
        kind: cols.kind,
        value: cols.value,
        aux: cols.aux,
        row: cols.row,
        referred,
        duplicates_dropped: dropped,
        inputs: n,
        properties: super::Properties::default(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn t(day: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2024, 1, day, 10, 0, 0).unwrap()
    }

    #[test]
    fn rows_are_sorted_by_customer_then_time() {
        let events = vec![
            Event::order("b", t(3), 1.0),
            Event::order(5, t(2), 2.0),
            Event::order("a", t(9), 3.0),
            Event::order("b", t(1), 4.0),
            Event::new(5, t(1), EventKind::Session),
        ];
        let log = EventLog::from_events(&events, LogOptions::default()).unwrap();
        assert_eq!(
            log.customers(),
            &[
                CustomerId::Int(5),
                CustomerId::from("a"),
                CustomerId::from("b")
            ]
        );
        assert_eq!(log.values(), &[0.0, 2.0, 3.0, 4.0, 1.0]);
        assert_eq!(log.input_rows(), &[4, 1, 2, 3, 0]);
        assert_eq!(log.customer_range(2), 3..5);
        assert_eq!(log.customer_range(9), 0..0);
        let back = log.to_events();
        assert_eq!(back[4], events[0]);
    }

    #[test]
    fn columns_length_mismatch() {
        let cols = EventColumns::orders(CustomerColumn::Int(&[1, 2]), &[1], &[1.0, 2.0]);
        assert_eq!(
            EventLog::from_columns(&cols, LogOptions::default()).unwrap_err(),
            Error::LengthMismatch {
                field: "timestamp",
                expected: 2,
                actual: 1
            }
        );
    }

    #[test]
    fn payloads_round_trip() {
        let kinds = vec![
            EventKind::Signup,
            EventKind::Order {
                amount: 12.5,
                items: Some(3),
            },
            EventKind::Refund { amount: 2.5 },
            EventKind::Session,
            EventKind::EmailOpen,
            EventKind::EmailClick,
            EventKind::SupportTicket {
                severity: Severity::Critical,
                resolved: true,
            },
            EventKind::Survey {
                kind: SurveyKind::Ces,
                score: 4.0,
            },
            EventKind::Referral {
                referred: CustomerId::from("friend"),
            },
            EventKind::Subscription {
                change: SubscriptionChange::Contraction,
                mrr_delta: -10.0,
            },
            EventKind::PointsEarned { points: 100.0 },
            EventKind::PointsRedeemed { points: 40.0 },
        ];
        let events: Vec<_> = kinds
            .iter()
            .enumerate()
            .map(|(i, k)| Event::new(1, t(i as u32 + 1), k.clone()))
            .collect();
        let log = EventLog::from_events(&events, LogOptions::default()).unwrap();
        assert_eq!(log.to_events(), events);
    }

    #[test]
    fn as_of_check_names_rows() {
        let events = vec![Event::order(1, t(5), 1.0), Event::order(2, t(1), 1.0)];
        let log = EventLog::from_events(&events, LogOptions::default()).unwrap();
        assert!(log.check_as_of(to_micros(t(5))).is_ok());
        let early = log.up_to(to_micros(t(4)));
        assert_eq!(
            (early.len(), early.customers(), early.input_rows()),
            (1, &[CustomerId::Int(2)][..], &[1][..])
        );
        assert!(early.check_as_of(to_micros(t(4))).is_ok());
        assert_eq!(log.up_to(to_micros(t(5))), log);
        let err = log.check_as_of(to_micros(t(4))).unwrap_err();
        let Error::InvalidRows { issues } = err else {
            panic!()
        };
        assert_eq!(
            (issues[0].row, issues[0].field, issues[0].kind.clone()),
            (0, "timestamp", IssueKind::AfterAsOf)
        );
    }
}
