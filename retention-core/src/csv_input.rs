//! CSV input and output of event logs.
//!
//! The core reads from text ([`parse_csv`]) or from any [`std::io::Read`] the
//! caller provides ([`read_csv`]); it never opens files itself. Parsed cells
//! become [`EventColumns`] and go through [`EventLog::from_columns`], so the
//! validation rules (and their error messages) are exactly those of columnar
//! input.
//!
//! # Format
//!
//! A header row is required. Column names are matched ignoring ASCII case and
//! surrounding spaces (a leading UTF-8 byte-order mark is ignored); columns
//! may come in any order; an unknown or repeated column is an error. Cells are
//! trimmed; an empty cell means "missing".
//!
//! | column | required | content |
//! |---|---|---|
//! | `customer_id` | yes | integer or string; the ids are integers when every non-empty id parses as an `i64`, strings otherwise |
//! | `timestamp` | yes | RFC 3339 (`2024-03-01T12:00:00Z`, `2024-03-01T13:00:00+01:00`), `YYYY-MM-DD` (midnight UTC) or `YYYY-MM-DD HH:MM:SS[.ffffff]` (UTC) |
//! | `event` | no | snake_case [`EventType`] name (`order`, `refund`, `signup`, `session`, `email_open`, `email_click`, `support_ticket`, `survey`, `referral`, `subscription`, `points_earned`, `points_redeemed`); missing column or empty cell = `order` |
//! | `amount` | no | order / refund value, signed MRR change, loyalty points |
//! | `items` | no | order item count (whole number) |
//! | `score` | no | survey answer |
//! | `detail` | no | ticket severity, survey kind, subscription change or referred customer id |
//! | `resolved` | no | ticket flag: `true`/`false`, `1`/`0`, `yes`/`no` (any case) |
//!
//! Which fields each event type needs is documented on [`EventColumns`].
//!
//! # Errors
//!
//! * Header problems (no header, a required column missing, an unknown or
//!   repeated column) are [`Error::InvalidParameter`] with `name = "header"`:
//!   they concern the file, not a row.
//! * Every bad cell or row (unparseable timestamp or number, unknown event,
//!   ragged row, invalid UTF-8, and every validation failure of
//!   [`EventLog::from_columns`]) becomes one [`RowIssue`] of a
//!   single [`Error::InvalidRows`], listing *all* bad rows. `row` is the 0-based
//!   index of the data row (the header is not counted), so in a file without
//!   blank lines or quoted line breaks the row is on line `row + 2`. `field` is
//!   the CSV column name. A row with a parse problem is not validated further.
//! * A failing reader gives [`Error::InvalidParameter`] with `name = "reader"`.
//!
//! # Output
//!
//! [`write_csv`] / [`to_csv_string`] write a log (in log order: customer, then
//! time) and [`write_events_csv`] / [`events_to_csv_string`] event rows (in the
//! given order) with all eight columns, timestamps in RFC 3339 UTC with as many
//! fractional digits as needed, and numbers in Rust's shortest round-trip form,
//! so reading the output back gives the same events. Two limits: customer ids
//! come back as integers only if *all* ids are integers (as on any read), and
//! instants outside the years 0000–9999, which RFC 3339 cannot express, are
//! written in chrono's extended form (`-0001-12-31T23:00:00Z`), which the
//! reader rejects.
//!
//! ```
//! use retention_core::csv_input::{parse_csv, to_csv_string};
//! use retention_core::events::LogOptions;
//!
//! let text = "customer_id,timestamp,event,amount,detail\n\
//!             7,2024-03-01,order,25.5,\n\
//!             7,2024-03-02T10:00:00Z,subscription,19,new\n";
//! let log = parse_csv(text, LogOptions::default())?;
//! assert_eq!(log.len(), 2);
//! assert_eq!(parse_csv(&to_csv_string(&log), LogOptions::default())?, log);
//! # Ok::<(), retention_core::Error>(())
//! ```

use std::io::{Read, Write};

use chrono::SecondsFormat;

use crate::error::{Error, IssueKind, Result, RowIssue};
use crate::events::{CustomerColumn, CustomerId, Event, EventColumns, EventKind, EventLog};
use crate::events::{EventType, LogOptions};
use crate::time::{from_micros, to_micros, Micros};

/// The column names, in the order [`write_csv`] writes them.
pub const COLUMNS: [&str; 8] = [
    "customer_id",
    "timestamp",
    "event",
    "amount",
    "items",
    "score",
    "detail",
    "resolved",
];

const CUSTOMER: usize = 0;
const TIMESTAMP: usize = 1;
const EVENT: usize = 2;
const AMOUNT: usize = 3;
const ITEMS: usize = 4;
const SCORE: usize = 5;
const DETAIL: usize = 6;
const RESOLVED: usize = 7;

/// Parses CSV text into a validated log (see the module docs for the format).
pub fn parse_csv(text: &str, options: LogOptions) -> Result<EventLog> {
    read_csv(text.as_bytes(), options)
}

/// Reads CSV from `reader` into a validated log (see the module docs).
pub fn read_csv<R: Read>(reader: R, options: LogOptions) -> Result<EventLog> {
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(reader);
    let header = rdr.byte_headers().map_err(reader_error)?.clone();
    let positions = header_positions(&header)?;
    let width = header.len();

    let mut raw = Raw::default();
    let mut issues = Issues::default();
    let mut bad_rows: Vec<usize> = Vec::new();
    let mut record = csv::ByteRecord::new();
    let mut row = 0usize;
    loop {
        match rdr.read_byte_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => return Err(reader_error(e)),
        }
        let before = issues.0.len();
        if record.len() != width {
            issues.push(
                row,
                "row",
                format!("{} fields, header has {width}", record.len()),
                IssueKind::Unparseable {
                    expected: "one value per header column",
                },
            );
            raw.push_placeholder();
        } else {
            raw.push_row(row, &record, &positions, &mut issues);
        }
        if issues.0.len() != before {
            bad_rows.push(row);
        }
        row += 1;
    }

    let detail: Vec<Option<&str>> = raw.detail.iter().map(|d| d.as_deref()).collect();
    let (ints, strs);
    let customer = match raw.customer_ints() {
        Some(v) => {
            ints = v;
            CustomerColumn::Int(&ints)
        }
        None => {
            strs = raw.customer.iter().map(|s| s.as_str()).collect::<Vec<_>>();
            CustomerColumn::Str(&strs)
        }
    };
    let columns = EventColumns {
        customer,
        timestamp: &raw.timestamp,
        kind: Some(&raw.kind),
        amount: Some(&raw.amount),
        items: Some(&raw.items),
        score: Some(&raw.score),
        detail: Some(&detail),
        resolved: Some(&raw.resolved),
    };
    let validated = EventLog::from_columns(&columns, options);
    if issues.0.is_empty() {
        return validated.map_err(rename_fields);
    }
    // Add the validation issues of the rows that parsed cleanly.
    if let Err(Error::InvalidRows { issues: more }) = validated.map_err(rename_fields) {
        issues.0.extend(
            more.into_iter()
                .filter(|i| bad_rows.binary_search(&i.row).is_err()),
        );
    }
    // Stable: within a row, parse issues come in column order.
    issues.0.sort_by_key(|i| i.row);
    Err(Error::InvalidRows { issues: issues.0 })
}

/// Row issues found while parsing.
#[derive(Default)]
struct Issues(Vec<RowIssue>);

impl Issues {
    fn push(&mut self, row: usize, field: &'static str, value: impl ToString, kind: IssueKind) {
        self.0.push(RowIssue::new(row, field, value, kind));
    }
}

/// Renames the columnar field names of validation issues to CSV column names.
fn rename_fields(err: Error) -> Error {
    match err {
        Error::InvalidRows { mut issues } => {
            for issue in &mut issues {
                issue.field = match issue.field {
                    "customer" => "customer_id",
                    "kind" => "event",
                    "points" => "amount",
                    other => other,
                };
            }
            Error::InvalidRows { issues }
        }
        other => other,
    }
}

fn reader_error(e: csv::Error) -> Error {
    Error::InvalidParameter {
        name: "reader",
        value: e.to_string(),
        reason: "reading the CSV input failed",
    }
}

fn header_error(value: impl ToString, reason: &'static str) -> Error {
    Error::InvalidParameter {
        name: "header",
        value: value.to_string(),
        reason,
    }
}

/// Maps each known column to its position in the header.
fn header_positions(header: &csv::ByteRecord) -> Result<[Option<usize>; 8]> {
    if header.is_empty() || (header.len() == 1 && header[0].is_empty()) {
        return Err(header_error(
            "",
            "a header row naming the columns is required",
        ));
    }
    let mut positions = [None; 8];
    for (i, raw) in header.iter().enumerate() {
        let raw = raw.strip_prefix(b"\xef\xbb\xbf").unwrap_or(raw);
        let name = String::from_utf8_lossy(raw).trim().to_ascii_lowercase();
        let Some(col) = COLUMNS.iter().position(|c| *c == name) else {
            return Err(header_error(
                name,
                "unknown column; expected customer_id, timestamp, event, amount, items, score, detail, resolved",
            ));
        };
        if positions[col].replace(i).is_some() {
            return Err(header_error(name, "column appears more than once"));
        }
    }
    if positions[CUSTOMER].is_none() {
        return Err(header_error(
            "customer_id",
            "required column `customer_id` is missing",
        ));
    }
    if positions[TIMESTAMP].is_none() {
        return Err(header_error(
            "timestamp",
            "required column `timestamp` is missing",
        ));
    }
    Ok(positions)
}

/// Parsed cells, one entry per data row (placeholders for unparseable cells).
#[derive(Default)]
struct Raw {
    customer: Vec<String>,
    timestamp: Vec<Micros>,
    kind: Vec<EventType>,
    amount: Vec<f64>,
    items: Vec<Option<u32>>,
    score: Vec<f64>,
    detail: Vec<Option<String>>,
    resolved: Vec<Option<bool>>,
}

impl Raw {
    fn push_placeholder(&mut self) {
        self.customer.push(String::new());
        self.timestamp.push(0);
        self.kind.push(EventType::Order);
        self.amount.push(f64::NAN);
        self.items.push(None);
        self.score.push(f64::NAN);
        self.detail.push(None);
        self.resolved.push(None);
    }

    fn push_row(
        &mut self,
        row: usize,
        record: &csv::ByteRecord,
        positions: &[Option<usize>; 8],
        issues: &mut Issues,
    ) {
        // Cell text by column; invalid UTF-8 is an issue and reads as missing.
        let mut cells: [&str; 8] = [""; 8];
        let mut utf8_ok = true;
        for (col, pos) in positions.iter().enumerate() {
            let Some(bytes) = pos.and_then(|p| record.get(p)) else {
                continue;
            };
            match std::str::from_utf8(bytes) {
                Ok(text) => cells[col] = text.trim(),
                Err(_) => {
                    utf8_ok = false;
                    issues.push(
                        row,
                        COLUMNS[col],
                        String::from_utf8_lossy(bytes),
                        IssueKind::Unparseable {
                            expected: "UTF-8 text",
                        },
                    );
                }
            }
        }
        if !utf8_ok {
            self.push_placeholder();
            return;
        }

        let customer = cells[CUSTOMER];
        if customer.is_empty() {
            issues.push(row, "customer_id", "", IssueKind::Missing);
        }
        self.customer.push(customer.to_owned());

        let ts = cells[TIMESTAMP];
        let time = if ts.is_empty() {
            issues.push(row, "timestamp", "", IssueKind::Missing);
            0
        } else {
            crate::time::parse_instant(ts).unwrap_or_else(|| {
                issues.push(
                    row,
                    "timestamp",
                    ts,
                    IssueKind::Unparseable {
                        expected: "an ISO 8601 date or date-time",
                    },
                );
                0
            })
        };
        self.timestamp.push(time);

        let ev = cells[EVENT];
        let kind = if ev.is_empty() {
            EventType::Order
        } else {
            ev.parse::<EventType>().unwrap_or_else(|_| {
                issues.push(row, "event", ev, IssueKind::UnknownKind);
                EventType::Order
            })
        };
        self.kind.push(kind);

        self.amount
            .push(parse_number(row, "amount", cells[AMOUNT], issues));
        self.score
            .push(parse_number(row, "score", cells[SCORE], issues));

        let items = cells[ITEMS];
        self.items.push(if items.is_empty() {
            None
        } else {
            match items.parse::<u32>() {
                Ok(n) if n < u32::MAX => Some(n),
                _ => {
                    // As the other doors report a number that is no count.
                    let kind = match items.parse::<f64>() {
                        Ok(x) if x.is_finite() && x.fract() != 0.0 => IssueKind::NotInteger,
                        Ok(x) if x.is_finite() => IssueKind::OutOfRange {
                            min: 0.0,
                            max: f64::from(u32::MAX - 1),
                        },
                        _ => IssueKind::Unparseable {
                            expected: "whole number of items",
                        },
                    };
                    issues.push(row, "items", items, kind);
                    None
                }
            }
        });

        let detail = cells[DETAIL];
        self.detail
            .push((!detail.is_empty()).then(|| detail.to_owned()));

        let resolved = cells[RESOLVED];
        self.resolved.push(if resolved.is_empty() {
            None
        } else {
            match resolved.to_ascii_lowercase().as_str() {
                "true" | "1" | "yes" => Some(true),
                "false" | "0" | "no" => Some(false),
                _ => {
                    issues.push(
                        row,
                        "resolved",
                        resolved,
                        IssueKind::Unparseable {
                            expected: "true/false, 1/0 or yes/no",
                        },
                    );
                    None
                }
            }
        });
    }

    /// The ids as integers, if every non-empty id parses as `i64`.
    fn customer_ints(&self) -> Option<Vec<i64>> {
        self.customer
            .iter()
            .map(|s| {
                if s.is_empty() {
                    Some(0)
                } else {
                    s.parse::<i64>().ok()
                }
            })
            .collect()
    }
}

/// A number cell: empty = missing (`NaN`); text that is not a finite number is an issue.
fn parse_number(row: usize, field: &'static str, text: &str, issues: &mut Issues) -> f64 {
    if text.is_empty() {
        return f64::NAN;
    }
    match text.parse::<f64>() {
        Ok(v) if v.is_finite() => v,
        Ok(_) => {
            issues.push(row, field, text, IssueKind::NotFinite);
            f64::NAN
        }
        Err(_) => {
            issues.push(
                row,
                field,
                text,
                IssueKind::Unparseable { expected: "number" },
            );
            f64::NAN
        }
    }
}

/// The eight cells of one event.
fn event_cells(customer: &CustomerId, time: Micros, kind: &EventKind) -> [String; 8] {
    let mut cells: [String; 8] = Default::default();
    cells[CUSTOMER] = customer.to_string();
    cells[TIMESTAMP] = from_micros(time).to_rfc3339_opts(SecondsFormat::AutoSi, true);
    cells[EVENT] = kind.event_type().as_str().to_owned();
    match kind {
        EventKind::Signup | EventKind::Session | EventKind::EmailOpen | EventKind::EmailClick => {}
        EventKind::Order { amount, items } => {
            cells[AMOUNT] = amount.to_string();
            if let Some(n) = items {
                cells[ITEMS] = n.to_string();
            }
        }
        EventKind::Refund { amount }
        | EventKind::PointsEarned { points: amount }
        | EventKind::PointsRedeemed { points: amount } => cells[AMOUNT] = amount.to_string(),
        EventKind::SupportTicket { severity, resolved } => {
            cells[DETAIL] = severity.as_str().to_owned();
            cells[RESOLVED] = resolved.to_string();
        }
        EventKind::Survey { kind, score } => {
            cells[DETAIL] = kind.as_str().to_owned();
            cells[SCORE] = score.to_string();
        }
        EventKind::Referral { referred } => cells[DETAIL] = referred.to_string(),
        EventKind::Subscription { change, mrr_delta } => {
            cells[DETAIL] = change.as_str().to_owned();
            cells[AMOUNT] = mrr_delta.to_string();
        }
    }
    cells
}

fn write_rows<'a, W: Write>(
    writer: W,
    rows: impl Iterator<Item = (&'a CustomerId, Micros, EventKind)>,
) -> std::io::Result<()> {
    let mut w = csv::Writer::from_writer(writer);
    w.write_record(COLUMNS)?;
    for (customer, time, kind) in rows {
        w.write_record(event_cells(customer, time, &kind))?;
    }
    w.flush()
}

/// Writes a log as CSV (header plus one row per event, in log order).
pub fn write_csv<W: Write>(log: &EventLog, writer: W) -> std::io::Result<()> {
    write_rows(writer, log.iter().map(|(id, e)| (id, e.time(), e.kind())))
}

/// Writes event rows as CSV, in the given order.
pub fn write_events_csv<W: Write>(events: &[Event], writer: W) -> std::io::Result<()> {
    write_rows(
        writer,
        events
            .iter()
            .map(|e| (&e.customer, to_micros(e.timestamp), e.kind.clone())),
    )
}

/// A log as a CSV string (see [`write_csv`]).
pub fn to_csv_string(log: &EventLog) -> String {
    let mut out = Vec::new();
    // Writing to a `Vec` cannot fail.
    let _ = write_csv(log, &mut out);
    String::from_utf8(out).unwrap_or_default()
}

/// Event rows as a CSV string (see [`write_events_csv`]).
pub fn events_to_csv_string(events: &[Event]) -> String {
    let mut out = Vec::new();
    let _ = write_events_csv(events, &mut out);
    String::from_utf8(out).unwrap_or_default()
}
