//! `EventLog::from_cells`: the cell rules of `events::raw` by hand-made
//! examples, and by property: every layout of the same values gives the same
//! log as typed columns.

use proptest::prelude::*;
use retention_core::events::{
    CellKind, Cells, Coded, CustomerColumn, EventColumns, EventLog, EventType, InstantUnit,
    LogOptions, Mixed, RawEvents, NO_CODE,
};
use retention_core::time::parse_instant;
use retention_core::{Error, IssueKind, RowIssue};

fn raw<'a>(customer_id: Cells<'a>, timestamp: Cells<'a>) -> RawEvents<'a> {
    RawEvents {
        customer_id,
        timestamp,
        unit: InstantUnit::Millis,
        event: None,
        amount: None,
        items: None,
        score: None,
        detail: None,
        resolved: None,
    }
}

fn issues(r: &RawEvents<'_>) -> Vec<(usize, &'static str, String, IssueKind)> {
    match EventLog::from_cells(r, LogOptions::default()) {
        Err(Error::InvalidRows { issues }) => issues
            .into_iter()
            .map(
                |RowIssue {
                     row,
                     field,
                     value,
                     kind,
                 }| (row, field, value, kind),
            )
            .collect(),
        other => panic!("expected invalid rows, got {other:?}"),
    }
}

/// Mixed cells from a compact description: `n:` number, `t:` text, `b:`
/// boolean, `o:` other, `-` missing.
struct MixedCells {
    tags: Vec<u8>,
    numbers: Vec<f64>,
    codes: Vec<u32>,
    dictionary: Vec<&'static str>,
}

fn mixed(cells: &[&'static str]) -> MixedCells {
    let mut m = MixedCells {
        tags: vec![],
        numbers: vec![],
        codes: vec![],
        dictionary: vec![],
    };
    for c in cells {
        let (kind, number, text) = match c.split_once(':') {
            Some(("n", x)) => (CellKind::Number, x.parse().unwrap(), None),
            Some(("t", s)) => (CellKind::Text, 0.0, Some(s)),
            Some(("o", s)) => (CellKind::Other, 0.0, Some(s)),
            Some(("b", "true")) => (CellKind::True, 0.0, None),
            Some(("b", _)) => (CellKind::False, 0.0, None),
            _ => (CellKind::Missing, 0.0, None),
        };
        m.tags.push(kind.tag());
        m.numbers.push(number);
        m.codes.push(match text {
            Some(s) => {
                m.dictionary.push(s);
                m.dictionary.len() as u32 - 1
            }
            None => NO_CODE,
        });
    }
    m
}

impl MixedCells {
    fn cells(&self) -> Cells<'_> {
        Cells::Mixed(Mixed {
            tags: &self.tags,
            numbers: &self.numbers,
            text: Coded {
                codes: &self.codes,
                dictionary: &self.dictionary,
            },
        })
    }
}

#[test]
fn customer_ids_follow_the_first_present_cell() {
    let ids = mixed(&["-", "n:7", "t:anna", "n:2.5", "n:1e300", "b:true", "n:8"]);
    let times = [0.0; 7];
    let sessions = [Some("session"); 7];
    let mut r = raw(ids.cells(), Cells::Float(&times));
    r.event = Some(Cells::Text(&sessions));
    let got = issues(&r);
    let big = 9_007_199_254_740_992.0;
    assert_eq!(
        got,
        [
            (0, "customer_id", String::new(), IssueKind::Missing),
            (
                2,
                "customer_id",
                "anna".into(),
                IssueKind::Unparseable {
                    expected: "a whole number (the log's first customer id is a number)"
                }
            ),
            (3, "customer_id", "2.5".into(), IssueKind::NotInteger),
            (
                4,
                "customer_id",
                1e300.to_string(),
                IssueKind::OutOfRange {
                    min: -big,
                    max: big
                }
            ),
            (
                5,
                "customer_id",
                "true".into(),
                IssueKind::Unparseable {
                    expected: "a whole number (the log's first customer id is a number)"
                }
            ),
        ]
    );
    // Text first: numbers are the odd ones out.
    let ids = mixed(&["t:anna", "n:7"]);
    let mut r = raw(ids.cells(), Cells::Float(&[0.0, 0.0]));
    r.event = Some(Cells::Text(&sessions[..2]));
    let got = issues(&r);
    assert_eq!(got[0].0, 1);
    assert!(matches!(got[0].3, IssueKind::Unparseable { .. }));
}

#[test]
fn instants_from_numbers_text_and_units() {
    let ids = [1_i64, 1, 1, 1];
    let at = |s: &str| parse_instant(s).unwrap();
    // Milliseconds, ISO text with and without offset, a date.
    let times = mixed(&[
        "n:1709294400000",
        "t:2024-03-01T12:00:00Z",
        "t:2024-03-01 14:00+02:00",
        "t:2024-03-01",
    ]);
    let mut r = raw(
        Cells::Int {
            values: &ids,
            valid: None,
        },
        times.cells(),
    );
    r.event = Some(Cells::Text(&[Some("session"); 4]));
    let log = EventLog::from_cells(&r, LogOptions::default()).unwrap();
    let noon = at("2024-03-01T12:00:00Z");
    assert_eq!(log.times(), [at("2024-03-01"), noon, noon, noon]);
    assert_eq!(noon, 1_709_294_400_000_000);
    // The same instant in seconds and nanoseconds.
    for (unit, x) in [
        (InstantUnit::Seconds, 1_709_294_400_i64),
        (InstantUnit::Nanos, 1_709_294_400_000_000_123),
    ] {
        let xs = [x];
        let mut r = raw(
            Cells::Int {
                values: &[1],
                valid: None,
            },
            Cells::Int {
                values: &xs,
                valid: None,
            },
        );
        r.unit = unit;
        r.event = Some(Cells::Text(&[Some("session")]));
        assert_eq!(
            EventLog::from_cells(&r, LogOptions::default())
                .unwrap()
                .times(),
            [noon]
        );
    }
    // Unreadable cells, each with its reason.
    let times = mixed(&["t:yesterday", "b:false", "n:1e300", "-"]);
    let missing = [true, true, true, false];
    let mut r = raw(
        Cells::Int {
            values: &ids,
            valid: Some(&missing),
        },
        times.cells(),
    );
    r.event = Some(Cells::Text(&[Some("session"); 4]));
    let got: Vec<_> = issues(&r)
        .into_iter()
        .map(|(row, field, value, _)| (row, field, value))
        .collect();
    assert_eq!(
        got,
        [
            (0, "timestamp", "yesterday".to_string()),
            (1, "timestamp", "false".into()),
            (2, "timestamp", 1e300.to_string()),
            (3, "customer_id", String::new()),
            (3, "timestamp", String::new()),
        ]
    );
    // i64 microseconds that overflow when scaled.
    let xs = [i64::MAX / 10];
    let mut r = raw(
        Cells::Int {
            values: &[1],
            valid: None,
        },
        Cells::Int {
            values: &xs,
            valid: None,
        },
    );
    r.unit = InstantUnit::Seconds;
    assert_eq!(issues(&r)[0].1, "timestamp");
}

#[test]
fn event_names_codes_and_indices() {
    let ids = [1_i64; 6];
    let times = [0_i64; 6];
    let dictionary = ["ORDER ", "session", "purchase", ""];
    let codes = [0, 1, 2, 3, NO_CODE, 1];
    let mut r = raw(
        Cells::Int {
            values: &ids,
            valid: None,
        },
        Cells::Int {
            values: &times,
            valid: None,
        },
    );
    r.unit = InstantUnit::Micros;
    r.event = Some(Cells::Coded(Coded {
        codes: &codes,
        dictionary: &dictionary,
    }));
    r.amount = Some(Cells::Float(&[5.0, f64::NAN, 1.0, 2.0, 3.0, f64::NAN]));
    let got = issues(&r);
    assert_eq!(
        got,
        [(2, "event", "purchase".to_string(), IssueKind::UnknownKind)]
    );
    // Without the bad row: blank and missing names are orders.
    let codes = [0, 1, 3, NO_CODE];
    let mut r = raw(
        Cells::Int {
            values: &ids[..4],
            valid: None,
        },
        Cells::Int {
            values: &times[..4],
            valid: None,
        },
    );
    r.event = Some(Cells::Coded(Coded {
        codes: &codes,
        dictionary: &dictionary,
    }));
    r.amount = Some(Cells::Float(&[5.0, f64::NAN, 2.0, 3.0]));
    let log = EventLog::from_cells(&r, LogOptions::default()).unwrap();
    let mut kinds = log.event_types().to_vec();
    kinds.sort_by_key(|k| k.as_str());
    assert_eq!(
        kinds,
        [
            EventType::Order,
            EventType::Order,
            EventType::Order,
            EventType::Session
        ]
    );
    // Numbers index the vocabulary.
    let session = EventType::ALL
        .iter()
        .position(|&k| k == EventType::Session)
        .unwrap();
    let events = mixed(&[
        Box::leak(format!("n:{session}").into_boxed_str()),
        "n:99",
        "n:1.5",
        "b:true",
    ]);
    let mut r = raw(
        Cells::Int {
            values: &ids[..4],
            valid: None,
        },
        Cells::Int {
            values: &times[..4],
            valid: None,
        },
    );
    r.event = Some(events.cells());
    let got = issues(&r);
    assert_eq!(got.iter().map(|g| g.0).collect::<Vec<_>>(), [1, 2, 3]);
    assert!(got
        .iter()
        .all(|g| g.1 == "event" && g.3 == IssueKind::UnknownKind));
}

#[test]
fn payload_cells() {
    let ids = [1_i64; 6];
    let times = [0_i64; 6];
    let mut r = raw(
        Cells::Int {
            values: &ids,
            valid: None,
        },
        Cells::Int {
            values: &times,
            valid: None,
        },
    );
    let amount = mixed(&["n:5", "t:5", "b:true", "n:NaN", "n:5", "n:5"]);
    let items = mixed(&["n:2", "-", "-", "-", "n:-1", "t:two"]);
    r.amount = Some(amount.cells());
    r.items = Some(items.cells());
    let got: Vec<_> = issues(&r)
        .into_iter()
        .map(|(row, field, value, kind)| (row, field, value, kind.code().as_str()))
        .collect();
    assert_eq!(
        got,
        [
            (1, "amount", "5".to_string(), "unparseable"),
            (2, "amount", "true".into(), "unparseable"),
            (3, "amount", "NaN".into(), "not_finite"),
            (4, "items", "-1".into(), "out_of_range"),
            (5, "items", "two".into(), "unparseable"),
        ]
    );
    // Tickets: numbers 0/1 are flags, whole-number details are text.
    let tickets = [Some("support_ticket"); 3];
    let detail = mixed(&["t:major", "t:minor", "n:3"]);
    let resolved = mixed(&["n:1", "b:false", "n:2"]);
    let mut r = raw(
        Cells::Int {
            values: &ids[..3],
            valid: None,
        },
        Cells::Int {
            values: &times[..3],
            valid: None,
        },
    );
    r.event = Some(Cells::Text(&tickets));
    r.detail = Some(detail.cells());
    r.resolved = Some(resolved.cells());
    // Row 2's unreadable flag is reported; its detail (the number 3, read as
    // the text "3", not a severity) is not checked again.
    assert_eq!(
        issues(&r),
        [(
            2,
            "resolved",
            "2".to_string(),
            IssueKind::OutOfRange { min: 0.0, max: 1.0 }
        )]
    );
    let resolved = mixed(&["n:1", "b:false", "b:true"]);
    r.resolved = Some(resolved.cells());
    assert_eq!(
        issues(&r),
        [(2, "detail", "3".to_string(), IssueKind::UnknownKind)]
    );
}

#[test]
fn layout_errors_name_the_column() {
    let ids = [1_i64, 2];
    let err = EventLog::from_cells(
        &raw(
            Cells::Int {
                values: &ids,
                valid: None,
            },
            Cells::Float(&[0.0]),
        ),
        LogOptions::default(),
    )
    .unwrap_err();
    assert!(matches!(
        err,
        Error::LengthMismatch {
            field: "timestamp",
            expected: 2,
            actual: 1
        }
    ));
    let codes = [0, 5];
    let bad = Cells::Coded(Coded {
        codes: &codes,
        dictionary: &["a"],
    });
    let err = EventLog::from_cells(&raw(bad, Cells::Float(&[0.0, 0.0])), LogOptions::default())
        .unwrap_err();
    assert!(
        matches!(
            err,
            Error::InvalidParameter {
                name: "customer_id",
                ..
            }
        ),
        "{err}"
    );
    let tags = [0_u8, 17];
    let bad = Cells::Mixed(Mixed {
        tags: &tags,
        numbers: &[0.0, 0.0],
        text: Coded {
            codes: &[NO_CODE; 2],
            dictionary: &[],
        },
    });
    let err = EventLog::from_cells(&raw(bad, Cells::Float(&[0.0, 0.0])), LogOptions::default())
        .unwrap_err();
    assert!(err.to_string().contains("tag 17 at row 1"), "{err}");
}

proptest! {
    /// Int, Float, Text, Coded and Mixed layouts of the same orders give the
    /// log of the typed columns.
    #[test]
    fn every_layout_gives_the_typed_log(
        rows in prop::collection::vec((0_i64..20, 0_i64..1_000_000, 0_u32..10_000, any::<bool>()), 1..60),
    ) {
        let ids: Vec<i64> = rows.iter().map(|r| r.0).collect();
        let micros: Vec<i64> = rows.iter().map(|r| r.1 * 1000).collect();
        let amounts: Vec<f64> = rows.iter().map(|r| f64::from(r.2) / 4.0).collect();
        let typed = EventLog::from_columns(
            &EventColumns::orders(CustomerColumn::Int(&ids), &micros, &amounts),
            LogOptions::default(),
        ).unwrap();

        let float_ids: Vec<f64> = ids.iter().map(|&i| i as f64).collect();
        let millis: Vec<f64> = rows.iter().map(|r| r.1 as f64).collect();
        let names: Vec<Option<&str>> = rows.iter().map(|r| Some(if r.3 { "order" } else { " Order" })).collect();
        let mut r = raw(Cells::Float(&float_ids), Cells::Float(&millis));
        r.event = Some(Cells::Text(&names));
        r.amount = Some(Cells::Float(&amounts));
        let log = EventLog::from_cells(&r, LogOptions::default()).unwrap();
        prop_assert_eq!(log.times(), typed.times());
        prop_assert_eq!(log.values(), typed.values());
        prop_assert_eq!(log.customers(), typed.customers());

        // Mixed cells: numbers for ids and amounts, ISO text for instants.
        let texts: Vec<String> = micros.iter().map(|&t| retention_core::time::from_micros(t).to_rfc3339()).collect();
        let dictionary: Vec<&str> = texts.iter().map(String::as_str).collect();
        let codes: Vec<u32> = (0..rows.len() as u32).collect();
        let tags = vec![CellKind::Text.tag(); rows.len()];
        let times = Cells::Mixed(Mixed { tags: &tags, numbers: &millis, text: Coded { codes: &codes, dictionary: &dictionary } });
        let mut r = raw(Cells::Int { values: &ids, valid: None }, times);
        r.amount = Some(Cells::Float(&amounts));
        let log = EventLog::from_cells(&r, LogOptions::default()).unwrap();
        prop_assert_eq!(log.times(), typed.times());
        prop_assert_eq!(log.input_rows(), typed.input_rows());
    }
}

#[test]
fn iso_text_that_is_not_an_instant() {
    for bad in [
        "",
        "2024",
        "2024-1-01",
        "2024-13-01",
        "2024-02-30",
        "20240101",
        "2024-01-01T",
        "2024-01-01T10",
        "2024-01-01T25:00",
        "2024-01-01T10:00+2",
        "2024-01-01T10:00+02:00:00",
        "2024-01-01T10:00:00.",
        "2024-01-01 10:00 UTC",
        "12024-01-01",
        "yesterday",
    ] {
        assert_eq!(parse_instant(bad), None, "{bad:?}");
    }
    let at = |s| parse_instant(s).unwrap();
    assert_eq!(
        at("2024-01-01T10:00:00.1234567Z"),
        at("2024-01-01T10:00:00.123456Z")
    );
    assert_eq!(at("2024-01-01T10:00:00-0530"), at("2024-01-01T15:30:00Z"));
    assert_eq!(at("-0001-01-01"), at("+0000-01-01") - 365 * 86_400_000_000);
}

proptest! {
    /// Every instant written as RFC 3339 (at any offset, with or without a
    /// fraction) reads back exactly.
    #[test]
    fn rfc3339_round_trips(t in -62_135_596_800_000_000_i64..253_402_300_799_000_000, offset in -50_400_i32..50_400) {
        use chrono::{FixedOffset, SecondsFormat};
        let offset = FixedOffset::east_opt(offset / 60 * 60).unwrap();
        let at = retention_core::time::from_micros(t).with_timezone(&offset);
        for format in [SecondsFormat::Micros, SecondsFormat::AutoSi] {
            let text = at.to_rfc3339_opts(format, true);
            prop_assert_eq!(parse_instant(&text), Some(t), "{}", text);
        }
    }
}
