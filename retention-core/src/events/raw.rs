//! Untyped input ([`RawEvents`], [`Cells`]): event columns as a front door
//! holds them before anything is checked, read into typed
//! [`EventColumns`] here, so that every door accepts the
//! same cells and reports the same row issues (row, field, kind, value).
//!
//! A door only converts its own column types into one of the [`Cells`]
//! layouts (a pyarrow integer column into [`Cells::Int`], a JS array of mixed
//! values into [`Cells::Mixed`]); the rules below are written once.
//!
//! | field | accepted cells | issue otherwise |
//! |---|---|---|
//! | `customer_id` | whole numbers within ±2⁵³ (±(2⁶³ − 1) for integer cells) **or** text, one type per log (the first present cell decides) | `missing`, `not_integer`, `out_of_range`, `unparseable` |
//! | `timestamp` | numbers in the door's [`InstantUnit`] since the Unix epoch; ISO 8601 text (see [`parse_instant`]) | `missing`, `out_of_range`, `not_finite`, `unparseable` |
//! | `event` | an event-type code (any case, surrounding blanks ignored); a number is an index into [`EventType::ALL`]; missing or blank is an order | `unknown_kind` |
//! | `amount`, `score` | numbers; missing is absent | `unparseable`, `not_finite` |
//! | `items` | whole numbers in `0..=4 294 967 294`; missing is absent | `not_integer`, `out_of_range`, `unparseable` |
//! | `detail` | text; whole numbers are read as their decimal text | `unparseable` |
//! | `resolved` | booleans, or the numbers 0 and 1 | `out_of_range`, `unparseable` |
//!
//! Rows with such issues are not validated again by the event rules; all
//! issues come back together in one [`Error::InvalidRows`].

use std::borrow::Cow;

use super::cells::Cell;
use super::{
    CellKind, Cells, CustomerColumn, EventColumns, EventLog, EventType, InstantUnit, LogOptions,
    NO_CODE,
};
use crate::error::{Error, IssueKind, Result, RowIssue};
use crate::time::{parse_instant, Micros};

/// Largest whole number a binary64 float holds exactly (2⁵³): larger float
/// ids have probably lost digits already.
const MAX_FLOAT_ID: f64 = 9_007_199_254_740_992.0;

/// Event columns before anything is checked: the `customer_id` and
/// `timestamp` columns, and the optional ones (absent: see
/// [`EventColumns`]).
#[derive(Debug, Clone, Copy)]
pub struct RawEvents<'a> {
    /// Customer ids.
    pub customer_id: Cells<'a>,
    /// Instants.
    pub timestamp: Cells<'a>,
    /// The unit of numbers in `timestamp`.
    pub unit: InstantUnit,
    /// Event-type names; absent: every row is an order.
    pub event: Option<Cells<'a>>,
    /// Money amount / signed MRR change / points.
    pub amount: Option<Cells<'a>>,
    /// Order item counts.
    pub items: Option<Cells<'a>>,
    /// Survey answers.
    pub score: Option<Cells<'a>>,
    /// Sub-kind or referred id.
    pub detail: Option<Cells<'a>>,
    /// Ticket resolution flags.
    pub resolved: Option<Cells<'a>>,
}

impl<'a> RawEvents<'a> {
    /// The columns in the canonical order of
    /// [`csv_input::COLUMNS`](crate::csv_input::COLUMNS) (`customer_id`,
    /// `timestamp`, `event`, `amount`, `items`, `score`, `detail`,
    /// `resolved`), `None` for an absent one; the first two are required.
    pub fn from_slots(slots: [Option<Cells<'a>>; 8], unit: InstantUnit) -> Result<Self> {
        let [customer_id, timestamp, event, amount, items, score, detail, resolved] = slots;
        let required = |c: Option<Cells<'a>>, name: &'static str| {
            c.ok_or(Error::InvalidParameter {
                name,
                value: "no column".to_owned(),
                reason: "the column is required",
            })
        };
        Ok(RawEvents {
            customer_id: required(customer_id, "customer_id")?,
            timestamp: required(timestamp, "timestamp")?,
            unit,
            event,
            amount,
            items,
            score,
            detail,
            resolved,
        })
    }
}

/// Issues found while reading cells, in row order per field.
pub(crate) struct Found(pub(crate) Vec<RowIssue>);

impl Found {
    fn push(&mut self, row: usize, field: &'static str, cell: Cell<'_>, kind: IssueKind) {
        self.0.push(RowIssue::new(row, field, cell.shown(), kind));
    }
}

pub(crate) fn customers<'a>(
    cells: &Cells<'a>,
    n: usize,
    found: &mut Found,
) -> (Vec<i64>, Option<Vec<&'a str>>) {
    customers_as("customer_id", cells, n, found)
}

pub(super) fn customers_as<'a>(
    field: &'static str,
    cells: &Cells<'a>,
    n: usize,
    found: &mut Found,
) -> (Vec<i64>, Option<Vec<&'a str>>) {
    let text = (0..n)
        .map(|i| cells.cell(i))
        .find(|c| *c != Cell::Missing)
        .is_some_and(|c| matches!(c, Cell::Text(_)));
    let mut ints = Vec::with_capacity(if text { 0 } else { n });
    let mut strs = Vec::with_capacity(if text { n } else { 0 });
    for i in 0..n {
        let cell = cells.cell(i);
        let mut int = 0;
        let mut s = "";
        match (cell, text) {
            (Cell::Missing, _) => found.push(i, field, cell, IssueKind::Missing),
            (Cell::Text(t), true) => s = t,
            (Cell::Int(x), false) => int = x,
            (Cell::Number(x), false) if x.is_finite() && x.fract() != 0.0 => {
                found.push(i, field, cell, IssueKind::NotInteger)
            }
            (Cell::Number(x), false) if x.abs() <= MAX_FLOAT_ID => int = x as i64,
            (Cell::Number(_), false) => found.push(
                i,
                field,
                cell,
                IssueKind::OutOfRange {
                    min: -MAX_FLOAT_ID,
                    max: MAX_FLOAT_ID,
                },
            ),
            (_, true) => found.push(
                i,
                field,
                cell,
                IssueKind::Unparseable {
                    expected: "text (the log's first customer id is text)",
                },
            ),
            (_, false) => found.push(
                i,
                field,
                cell,
                IssueKind::Unparseable {
                    expected: "a whole number (the log's first customer id is a number)",
                },
            ),
        }
        if text {
            strs.push(s);
        } else {
            ints.push(int);
        }
    }
    (ints, text.then_some(strs))
}

pub(crate) fn instants<'a>(
    cells: &Cells<'a>,
    unit: InstantUnit,
    n: usize,
    found: &mut Found,
) -> Cow<'a, [Micros]> {
    const FIELD: &str = "timestamp";
    if let (
        Cells::Int {
            values,
            valid: None,
        },
        InstantUnit::Micros,
    ) = (cells, unit)
    {
        return Cow::Borrowed(values);
    }
    if let Cells::Int {
        values,
        valid: None,
    } = cells
    {
        // Whole numbers in another unit (numpy's nanoseconds): one scaling
        // per row.
        let mut out = Vec::with_capacity(n);
        for (i, &x) in values.iter().enumerate() {
            out.push(unit.micros_of_int(x).unwrap_or_else(|| {
                let kind = IssueKind::Unparseable {
                    expected: "an instant within ±292 000 years of 1970",
                };
                found.push(i, FIELD, Cell::Int(x), kind);
                0
            }));
        }
        return Cow::Owned(out);
    }
    let mut out = Vec::with_capacity(n);
    for i in 0..n {
        let cell = cells.cell(i);
        let t = match cell {
            Cell::Missing => Err(IssueKind::Missing),
            Cell::Int(x) => unit.micros_of_int(x).ok_or(IssueKind::Unparseable {
                expected: "an instant within ±292 000 years of 1970",
            }),
            Cell::Number(x) if !x.is_finite() => Err(IssueKind::NotFinite),
            Cell::Number(x) => unit.micros_of_float(x).ok_or(IssueKind::Unparseable {
                expected: "an instant within ±292 000 years of 1970",
            }),
            Cell::Text(s) => parse_instant(s).ok_or(IssueKind::Unparseable {
                expected: "an ISO 8601 date or date-time",
            }),
            Cell::Bool(_) | Cell::Other(_) => Err(IssueKind::Unparseable {
                expected: "an instant (a date-time, a number or ISO 8601 text)",
            }),
        };
        out.push(t.unwrap_or_else(|kind| {
            found.push(i, FIELD, cell, kind);
            0
        }));
    }
    Cow::Owned(out)
}

/// An event-type name: the canonical code by a direct match, anything else
/// (case, blanks) through the vocabulary. `Ok(None)` is blank (an order).
fn event_name(name: &str) -> std::result::Result<Option<EventType>, ()> {
    if let Some(&t) = EventType::ALL.iter().find(|t| t.as_str() == name) {
        return Ok(Some(t));
    }
    if name.trim().is_empty() {
        return Ok(None);
    }
    name.parse::<EventType>().map(Some).map_err(|_| ())
}

fn event_types(cells: &Cells<'_>, n: usize, found: &mut Found) -> Vec<EventType> {
    const FIELD: &str = "event";
    // Dictionary entries are parsed once each.
    let parsed: Vec<std::result::Result<Option<EventType>, ()>> = match cells {
        Cells::Coded(c) => c.dictionary.iter().map(|s| event_name(s)).collect(),
        Cells::Mixed(m) => m.text.dictionary.iter().map(|s| event_name(s)).collect(),
        _ => Vec::new(),
    };
    if let Cells::Coded(c) = cells {
        // The common case (a dictionary-coded column): one lookup per row.
        let types: Vec<Option<EventType>> = parsed
            .iter()
            .map(|r| r.ok().map(|t| t.unwrap_or(EventType::Order)))
            .collect();
        let mut out = Vec::with_capacity(n);
        for (i, &code) in c.codes.iter().enumerate() {
            match types.get(code as usize) {
                Some(Some(t)) => out.push(*t),
                None if code == NO_CODE => out.push(EventType::Order),
                _ => {
                    found.push(i, FIELD, cells.cell(i), IssueKind::UnknownKind);
                    out.push(EventType::Order);
                }
            }
        }
        return out;
    }
    let coded = |code: u32| parsed.get(code as usize).copied();
    // The last distinct name of a plain text column, parsed once per run.
    let mut last: Option<(&str, std::result::Result<Option<EventType>, ()>)> = None;
    let mut out = Vec::with_capacity(n);
    for i in 0..n {
        let result = match cells {
            Cells::Coded(c) => c.codes.get(i).and_then(|&k| coded(k)),
            Cells::Mixed(m) if m.tags.get(i) == Some(&CellKind::Text.tag()) => {
                m.text.codes.get(i).and_then(|&k| coded(k))
            }
            Cells::Text(v) => v.get(i).copied().flatten().map(|s| match last {
                Some((name, r)) if name == s => r,
                _ => {
                    let r = event_name(s);
                    last = Some((s, r));
                    r
                }
            }),
            _ => None,
        };
        let t = match result {
            Some(r) => r,
            None => match cells.cell(i) {
                Cell::Missing => Ok(None),
                Cell::Int(x) => usize::try_from(x)
                    .ok()
                    .and_then(|k| EventType::ALL.get(k))
                    .copied()
                    .map(Some)
                    .ok_or(()),
                Cell::Number(x) if x.fract() == 0.0 && x >= 0.0 => {
                    EventType::ALL.get(x as usize).copied().map(Some).ok_or(())
                }
                _ => Err(()),
            },
        };
        out.push(
            t.unwrap_or_else(|()| {
                found.push(i, FIELD, cells.cell(i), IssueKind::UnknownKind);
                None
            })
            .unwrap_or(EventType::Order),
        );
    }
    out
}

pub(crate) fn numbers<'a>(
    field: &'static str,
    cells: &Cells<'a>,
    n: usize,
    found: &mut Found,
) -> Cow<'a, [f64]> {
    if let Cells::Float(v) = cells {
        return Cow::Borrowed(v);
    }
    let mut out = Vec::with_capacity(n);
    for i in 0..n {
        let cell = cells.cell(i);
        out.push(match cell {
            Cell::Missing => f64::NAN,
            Cell::Int(x) => x as f64,
            Cell::Number(x) if x.is_nan() => {
                found.push(i, field, cell, IssueKind::NotFinite);
                f64::NAN
            }
            Cell::Number(x) => x,
            Cell::Text(_) | Cell::Bool(_) | Cell::Other(_) => {
                found.push(
                    i,
                    field,
                    cell,
                    IssueKind::Unparseable {
                        expected: "a number",
                    },
                );
                f64::NAN
            }
        });
    }
    Cow::Owned(out)
}

/// Largest item count (`u32::MAX` marks "no count" inside the log).
const MAX_ITEMS: f64 = (u32::MAX - 1) as f64;

fn item_counts(cells: &Cells<'_>, n: usize, found: &mut Found) -> Vec<Option<u32>> {
    const FIELD: &str = "items";
    (0..n)
        .map(|i| {
            let cell = cells.cell(i);
            let x = match cell {
                Cell::Missing => return None,
                Cell::Int(x) => x as f64,
                Cell::Number(x) => x,
                _ => {
                    found.push(
                        i,
                        FIELD,
                        cell,
                        IssueKind::Unparseable {
                            expected: "a whole number of items",
                        },
                    );
                    return None;
                }
            };
            let kind = if !x.is_finite() {
                IssueKind::NotFinite
            } else if x.fract() != 0.0 {
                IssueKind::NotInteger
            } else if !(0.0..=MAX_ITEMS).contains(&x) {
                IssueKind::OutOfRange {
                    min: 0.0,
                    max: MAX_ITEMS,
                }
            } else {
                return Some(x as u32);
            };
            found.push(i, FIELD, cell, kind);
            None
        })
        .collect()
}

/// Detail texts; numbers that are whole are read as their decimal text
/// (kept in `owned`, which the result borrows from).
fn details<'a>(cells: &Cells<'a>, n: usize, found: &mut Found) -> Vec<Option<Cow<'a, str>>> {
    texts_as("detail", cells, n, found)
}

/// Text cells (whole numbers read as their decimal text; missing is `None`);
/// other cells are issues naming `field`.
pub(super) fn texts_as<'a>(
    field: &'static str,
    cells: &Cells<'a>,
    n: usize,
    found: &mut Found,
) -> Vec<Option<Cow<'a, str>>> {
    (0..n)
        .map(|i| {
            let cell = cells.cell(i);
            match cell {
                Cell::Missing => None,
                Cell::Text(s) => Some(Cow::Borrowed(s)),
                Cell::Int(x) => Some(Cow::Owned(x.to_string())),
                Cell::Number(x) if x.fract() == 0.0 && x.abs() <= MAX_FLOAT_ID => {
                    Some(Cow::Owned((x as i64).to_string()))
                }
                _ => {
                    found.push(i, field, cell, IssueKind::Unparseable { expected: "text" });
                    None
                }
            }
        })
        .collect()
}

fn flags(cells: &Cells<'_>, n: usize, found: &mut Found) -> Vec<Option<bool>> {
    const FIELD: &str = "resolved";
    (0..n)
        .map(|i| {
            let cell = cells.cell(i);
            match cell {
                Cell::Missing => None,
                Cell::Bool(b) => Some(b),
                Cell::Int(x) if x == 0 || x == 1 => Some(x == 1),
                Cell::Number(x) if x == 0.0 || x == 1.0 => Some(x == 1.0),
                Cell::Int(_) | Cell::Number(_) => {
                    found.push(i, FIELD, cell, IssueKind::OutOfRange { min: 0.0, max: 1.0 });
                    None
                }
                Cell::Text(_) | Cell::Other(_) => {
                    found.push(
                        i,
                        FIELD,
                        cell,
                        IssueKind::Unparseable {
                            expected: "a boolean",
                        },
                    );
                    None
                }
            }
        })
        .collect()
}

impl EventLog {
    /// Builds a log from untyped cells (see [`raw`](crate::events::raw)): every
    /// cell is read by the rules of its field, and every row is then
    /// validated as in [`EventLog::from_columns`]. This is the one ingestion
    /// path of the front doors.
    ///
    /// ```
    /// use retention_core::events::{Cells, Coded, EventLog, InstantUnit, LogOptions, RawEvents, NO_CODE};
    /// use retention_core::{Error, IssueKind};
    ///
    /// let ids = [7.0, 7.0, 8.5];
    /// let times = [Some("2024-03-01"), Some("2024-03-02T10:00:00+02:00"), Some("soon")];
    /// let names = ["order", "session"];
    /// let raw = RawEvents {
    ///     customer_id: Cells::Float(&ids),
    ///     timestamp: Cells::Text(&times),
    ///     unit: InstantUnit::Millis,
    ///     event: Some(Cells::Coded(Coded { codes: &[0, 1, NO_CODE], dictionary: &names })),
    ///     amount: Some(Cells::Float(&[20.0, f64::NAN, 5.0])),
    ///     items: None,
    ///     score: None,
    ///     detail: None,
    ///     resolved: None,
    /// };
    /// let Err(Error::InvalidRows { issues }) = EventLog::from_cells(&raw, LogOptions::default()) else {
    ///     unreachable!()
    /// };
    /// // Row 2: a fractional id and an unreadable instant.
    /// assert_eq!(issues[0].kind, IssueKind::NotInteger);
    /// assert_eq!((issues[1].field, issues[1].value.as_str()), ("timestamp", "soon"));
    /// # Ok::<(), retention_core::Error>(())
    /// ```
    pub fn from_cells(raw: &RawEvents<'_>, options: LogOptions) -> Result<EventLog> {
        let n = raw.customer_id.len();
        let optional = [
            ("event", &raw.event),
            ("amount", &raw.amount),
            ("items", &raw.items),
            ("score", &raw.score),
            ("detail", &raw.detail),
            ("resolved", &raw.resolved),
        ];
        raw.customer_id.check("customer_id", n)?;
        raw.timestamp.check("timestamp", n)?;
        for (field, cells) in optional {
            if let Some(c) = cells {
                c.check(field, n)?;
            }
        }
        let mut found = Found(Vec::new());
        let (ints, strs);
        let customer = match raw.customer_id {
            Cells::Int {
                values,
                valid: None,
            } => CustomerColumn::Int(values),
            cells => {
                (ints, strs) = customers(&cells, n, &mut found);
                match &strs {
                    Some(s) => CustomerColumn::Str(s),
                    None => CustomerColumn::Int(&ints),
                }
            }
        };
        let timestamp = instants(&raw.timestamp, raw.unit, n, &mut found);
        let kind = raw.event.map(|c| event_types(&c, n, &mut found));
        let amount = raw.amount.map(|c| numbers("amount", &c, n, &mut found));
        let items = raw.items.map(|c| item_counts(&c, n, &mut found));
        let score = raw.score.map(|c| numbers("score", &c, n, &mut found));
        let detail_cells = raw.detail.map(|c| details(&c, n, &mut found));
        let detail: Option<Vec<Option<&str>>> = detail_cells
            .as_ref()
            .map(|v| v.iter().map(|d| d.as_deref()).collect());
        let resolved = raw.resolved.map(|c| flags(&c, n, &mut found));
        let columns = EventColumns {
            customer,
            timestamp: &timestamp,
            kind: kind.as_deref(),
            amount: amount.as_deref(),
            items: items.as_deref(),
            score: score.as_deref(),
            detail: detail.as_deref(),
            resolved: resolved.as_deref(),
        };
        let mut issues = found.0;
        // Stable: a row's issues stay in field order.
        issues.sort_by_key(|i| i.row);
        EventLog::from_columns_after(&columns, options, issues)
    }
}
