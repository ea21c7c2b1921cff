//! Properties: key/value text attached to customers (country, plan, signup
//! channel…) and to events (an order's channel or category…), for breaking
//! analyses down by them (see [`crate::cohorts::retention`]).
//!
//! Each property is one [`PropertyColumn`]: a code per customer (dense
//! index, [`EventLog::customers`] order) or per input row, into a sorted
//! dictionary of its distinct values, so that a column of ten million rows
//! with ten values costs four bytes a row. Event properties are indexed by
//! input row, so they follow every event through sorting, duplicate
//! dropping and [`EventLog::up_to`]; [`EventLog::event_property_code`] reads
//! the value of the event at a log position.
//!
//! Properties are not part of the event rows: [`EventLog::to_events`] and
//! the CSV form of the log do not carry them.

use std::borrow::Cow;
use std::collections::HashMap;

use super::raw::{texts_as, Found};
use super::{Cells, CustomerId, EventLog, NO_CODE};
use crate::error::{check_len, Error, IssueKind, Issues, Result};

/// Longest property key accepted, in bytes.
pub const MAX_PROPERTY_KEY: usize = 256;

/// One property: a coded value per customer or per input row.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PropertyColumn {
    key: String,
    codes: Vec<u32>,
    values: Vec<String>,
}

impl PropertyColumn {
    /// Interns `cells` into a column with a sorted dictionary.
    fn intern<'a>(key: &str, cells: impl Iterator<Item = Option<&'a str>>) -> PropertyColumn {
        let mut seen: HashMap<&'a str, u32> = HashMap::new();
        let mut order: Vec<&'a str> = Vec::new();
        let mut codes: Vec<u32> = cells
            .map(|v| match v {
                None => NO_CODE,
                Some(s) => *seen.entry(s).or_insert_with(|| {
                    order.push(s);
                    (order.len() - 1) as u32
                }),
            })
            .collect();
        let mut sorted: Vec<u32> = (0..order.len() as u32).collect();
        sorted.sort_unstable_by_key(|&c| order[c as usize]);
        let mut remap = vec![0u32; order.len()];
        for (new, &old) in sorted.iter().enumerate() {
            remap[old as usize] = new as u32;
        }
        for c in codes.iter_mut().filter(|c| **c != NO_CODE) {
            *c = remap[*c as usize];
        }
        PropertyColumn {
            key: key.to_owned(),
            codes,
            values: sorted
                .iter()
                .map(|&c| order[c as usize].to_owned())
                .collect(),
        }
    }

    /// The property's key.
    pub fn key(&self) -> &str {
        &self.key
    }

    /// The distinct values, sorted (the dictionary of the codes).
    pub fn values(&self) -> &[String] {
        &self.values
    }

    /// One code per customer or input row: an index into
    /// [`PropertyColumn::values`], or [`NO_CODE`] when absent.
    pub fn codes(&self) -> &[u32] {
        &self.codes
    }

    /// The value at index `i`, if any.
    pub fn get(&self, i: usize) -> Option<&str> {
        let c = *self.codes.get(i)?;
        self.values.get(c as usize).map(String::as_str)
    }
}

/// The properties of a log's customers and events.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Properties {
    customer: Vec<PropertyColumn>,
    event: Vec<PropertyColumn>,
}

impl Properties {
    /// Customer properties, one code per customer of the log.
    pub fn customer(&self) -> &[PropertyColumn] {
        &self.customer
    }

    /// Event properties, one code per input row.
    pub fn event(&self) -> &[PropertyColumn] {
        &self.event
    }

    /// The customer columns restricted to the customers at `kept` (for a log
    /// that drops customers).
    pub(crate) fn keep_customers(&self, kept: &[usize]) -> Properties {
        Properties {
            customer: self
                .customer
                .iter()
                .map(|p| PropertyColumn {
                    key: p.key.clone(),
                    codes: kept.iter().map(|&c| p.codes[c]).collect(),
                    values: p.values.clone(),
                })
                .collect(),
            event: self.event.clone(),
        }
    }
}

fn put(columns: &mut Vec<PropertyColumn>, column: PropertyColumn) {
    match columns.iter_mut().find(|p| p.key == column.key) {
        Some(p) => *p = column,
        None => columns.push(column),
    }
}

fn check_key(key: &str) -> Result<()> {
    if key.is_empty() || key.len() > MAX_PROPERTY_KEY {
        return Err(Error::parameter(
            "key",
            key,
            "a property key is 1 to 256 bytes of text",
        ));
    }
    Ok(())
}

fn read_texts<'a>(field: &'static str, cells: &Cells<'a>) -> Result<Vec<Option<Cow<'a, str>>>> {
    let n = cells.len();
    cells.check(field, n)?;
    let mut found = Found(Vec::new());
    let texts = texts_as(field, cells, n, &mut found);
    if !found.0.is_empty() {
        return Err(Error::InvalidRows { issues: found.0 });
    }
    Ok(texts)
}

impl EventLog {
    /// The customer and event properties.
    pub fn properties(&self) -> &Properties {
        &self.properties
    }

    /// Number of input rows the log was built from (before duplicates were
    /// dropped): the length of an event property column.
    pub fn input_len(&self) -> usize {
        self.inputs
    }

    /// The customer property `key`, if set.
    pub fn customer_property(&self, key: &str) -> Option<&PropertyColumn> {
        self.properties.customer.iter().find(|p| p.key == key)
    }

    /// The event property `key`, if set.
    pub fn event_property(&self, key: &str) -> Option<&PropertyColumn> {
        self.properties.event.iter().find(|p| p.key == key)
    }

    /// The code of `column` (an event property of this log) for the event
    /// at log position `i`.
    pub fn event_property_code(&self, column: &PropertyColumn, i: usize) -> u32 {
        self.input_rows()
            .get(i)
            .and_then(|&r| column.codes.get(r as usize))
            .copied()
            .unwrap_or(NO_CODE)
    }

    /// Sets the customer property `key` from parallel slices: customer
    /// `customers[i]` has value `values[i]` (`None`: no value). Customers
    /// not listed have no value; setting a key again replaces it.
    ///
    /// Errors: slices of different lengths ([`Error::LengthMismatch`]); a
    /// customer not in the log ([`Error::UnknownCustomer`], the first one
    /// listed); a customer listed twice with different values
    /// ([`Error::InvalidRows`], an [`IssueKind::Duplicate`] issue on field
    /// `customer_id` per later listing); an empty key or one longer than
    /// [`MAX_PROPERTY_KEY`] ([`Error::InvalidParameter`]).
    ///
    /// ```
    /// use chrono::{TimeZone, Utc};
    /// use retention_core::events::{Event, EventLog, LogOptions};
    ///
    /// let t = Utc.with_ymd_and_hms(2024, 3, 1, 12, 0, 0).unwrap();
    /// let mut log = EventLog::from_events(
    ///     &[Event::order(1, t, 20.0), Event::order(2, t, 10.0)],
    ///     LogOptions::default(),
    /// )?;
    /// log.set_customer_property("country", &[2.into(), 1.into()], &[Some("FR"), Some("DE")])?;
    /// let country = log.customer_property("country").unwrap();
    /// assert_eq!(country.values(), ["DE", "FR"]);
    /// assert_eq!((country.get(0), country.get(1)), (Some("DE"), Some("FR")));
    /// # Ok::<(), retention_core::Error>(())
    /// ```
    pub fn set_customer_property<S: AsRef<str>>(
        &mut self,
        key: &str,
        customers: &[CustomerId],
        values: &[Option<S>],
    ) -> Result<()> {
        check_key(key)?;
        check_len("values", customers.len(), values.len())?;
        let mut dense: Vec<Option<&str>> = vec![None; self.customers().len()];
        let mut first: Vec<usize> = vec![usize::MAX; self.customers().len()];
        let mut issues = Issues::default();
        for (row, (id, value)) in customers.iter().zip(values).enumerate() {
            let Some(c) = self.customer_index(id) else {
                return Err(Error::UnknownCustomer {
                    customer: id.to_string(),
                });
            };
            let value = value.as_ref().map(AsRef::as_ref);
            if first[c] == usize::MAX {
                first[c] = row;
                dense[c] = value;
            } else if dense[c] != value {
                issues.push(
                    row,
                    "customer_id",
                    id,
                    IssueKind::Duplicate {
                        first_row: first[c],
                    },
                );
            }
        }
        issues.finish()?;
        let column = PropertyColumn::intern(key, dense.into_iter());
        put(&mut self.properties.customer, column);
        Ok(())
    }

    /// [`EventLog::set_customer_property`] from untyped cells: customer ids
    /// by the `customer_id` rules and values by the `detail` rules of the
    /// [raw input](crate::events::raw) (text; whole numbers as their decimal
    /// text; missing is no value). Unreadable cells are an
    /// [`Error::InvalidRows`] naming fields `customer_id` and `value`.
    pub fn set_customer_property_cells(
        &mut self,
        key: &str,
        customers: &Cells<'_>,
        values: &Cells<'_>,
    ) -> Result<()> {
        let ids = customers.customer_ids("customer_id")?;
        let texts = read_texts("value", values)?;
        self.set_customer_property(key, &ids, &texts)
    }

    /// Sets the event property `key`: `values[r]` is the value of the event
    /// of input row `r` (`None`: no value), for every input row
    /// ([`EventLog::input_len`]; otherwise [`Error::LengthMismatch`]). Any
    /// event kind may carry a property; analyses read those of orders.
    ///
    /// ```
    /// use chrono::{TimeZone, Utc};
    /// use retention_core::events::{Event, EventLog, LogOptions};
    ///
    /// let d = |day| Utc.with_ymd_and_hms(2024, 3, day, 12, 0, 0).unwrap();
    /// // Input rows out of time order: the log sorts them, the property follows.
    /// let mut log = EventLog::from_events(
    ///     &[Event::order(1, d(9), 20.0), Event::order(1, d(2), 10.0)],
    ///     LogOptions::default(),
    /// )?;
    /// log.set_event_property("channel", &[Some("app"), Some("web")])?;
    /// let channel = log.event_property("channel").unwrap().clone();
    /// // Log position 0 is the earlier order, input row 1.
    /// assert_eq!(channel.values()[log.event_property_code(&channel, 0) as usize], "web");
    /// # Ok::<(), retention_core::Error>(())
    /// ```
    pub fn set_event_property<S: AsRef<str>>(
        &mut self,
        key: &str,
        values: &[Option<S>],
    ) -> Result<()> {
        check_key(key)?;
        check_len("values", self.inputs, values.len())?;
        let column =
            PropertyColumn::intern(key, values.iter().map(|v| v.as_ref().map(AsRef::as_ref)));
        put(&mut self.properties.event, column);
        Ok(())
    }

    /// [`EventLog::set_event_property`] from untyped cells read by the
    /// `detail` rules (issues name field `value`).
    pub fn set_event_property_cells(&mut self, key: &str, values: &Cells<'_>) -> Result<()> {
        let texts = read_texts("value", values)?;
        self.set_event_property(key, &texts)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::events::{Event, LogOptions};
    use chrono::{TimeZone, Utc};

    fn log() -> EventLog {
        let d = |day| Utc.with_ymd_and_hms(2024, 3, day, 12, 0, 0).unwrap();
        EventLog::from_events(
            &[
                Event::order(2, d(5), 1.0),
                Event::order(1, d(3), 1.0),
                Event::order(2, d(1), 1.0),
            ],
            LogOptions::default(),
        )
        .unwrap()
    }

    #[test]
    fn event_properties_follow_rows_through_sorting_and_up_to() {
        let mut log = log();
        log.set_event_property("c", &[Some("b"), None, Some("a")])
            .unwrap();
        let col = log.event_property("c").unwrap().clone();
        assert_eq!(col.values(), ["a", "b"]);
        // Log order: customer 1 (row 1), customer 2 day 1 (row 2), day 5 (row 0).
        let got: Vec<u32> = (0..3).map(|i| log.event_property_code(&col, i)).collect();
        assert_eq!(got, [NO_CODE, 0, 1]);
        let cut = log.up_to(crate::time::to_micros(
            Utc.with_ymd_and_hms(2024, 3, 2, 0, 0, 0).unwrap(),
        ));
        // Only customer 2's day-1 order (row 2) remains.
        assert_eq!(cut.customers(), [CustomerId::Int(2)]);
        assert_eq!(cut.event_property_code(&col, 0), 0);
    }

    #[test]
    fn customer_properties_are_checked() {
        let mut log = log();
        let ids = [CustomerId::Int(1), CustomerId::Int(1)];
        let Err(Error::InvalidRows { issues }) =
            log.set_customer_property("plan", &ids, &[Some("pro"), Some("free")])
        else {
            panic!()
        };
        assert_eq!((issues[0].row, issues[0].field), (1, "customer_id"));
        assert!(log
            .set_customer_property("plan", &ids, &[Some("pro"), Some("pro")])
            .is_ok());
        assert!(matches!(
            log.set_customer_property("plan", &[CustomerId::Int(9)], &[Some("x")]),
            Err(Error::UnknownCustomer { .. })
        ));
        assert!(matches!(
            log.set_customer_property("", &ids[..1], &[Some("x")]),
            Err(Error::InvalidParameter { name: "key", .. })
        ));
        assert!(matches!(
            log.set_event_property("c", &[Some("x")]),
            Err(Error::LengthMismatch { .. })
        ));
        // Customer 2 keeps no value; dropping customer 1 keeps customer 2's code.
        let plan = log.customer_property("plan").unwrap();
        assert_eq!((plan.get(0), plan.get(1)), (Some("pro"), None));
        let cut = log.up_to(crate::time::to_micros(
            Utc.with_ymd_and_hms(2024, 3, 2, 0, 0, 0).unwrap(),
        ));
        assert_eq!(cut.customer_property("plan").unwrap().get(0), None);
    }
}
