//! The shared bad-row corpus (`tests/corpus/bad_rows.json`) through the
//! Rust door: the rows as CSV text, read by `csv_input::parse_csv`. The
//! Python and npm packages run the same file through their own doors and
//! must report the same issues (row, field, kind, value).
//!
//! After a deliberate change of the reports, regenerate the expected issues
//! with `UPDATE_CORPUS=1 cargo test -p retention-core --test bad_rows_corpus`
//! and review the diff.

use retention_core::csv_input::{parse_csv, COLUMNS};
use retention_core::events::LogOptions;
use retention_core::Error;
use serde_json::{json, Value};

fn cell(v: Option<&Value>) -> String {
    match v {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(s)) => s.clone(),
        Some(other) => other.to_string(),
    }
}

#[test]
fn the_corpus_gives_the_expected_issues() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/corpus/bad_rows.json");
    let text = std::fs::read_to_string(path).unwrap();
    let mut corpus: Value = serde_json::from_str(&text).unwrap();
    let mut csv = COLUMNS.join(",");
    for row in corpus["rows"].as_array().unwrap() {
        csv.push('\n');
        let cells: Vec<String> = COLUMNS.iter().map(|c| cell(row.get(*c))).collect();
        csv.push_str(&cells.join(","));
    }
    let Err(Error::InvalidRows { issues }) = parse_csv(&csv, LogOptions::default()) else {
        panic!("the corpus was accepted");
    };
    let got: Vec<Value> = issues
        .iter()
        .map(|i| json!({ "row": i.row, "field": i.field, "kind": i.kind.code().as_str(), "value": i.value }))
        .collect();
    if std::env::var_os("UPDATE_CORPUS").is_some() {
        corpus["issues"] = Value::Array(got);
        let fresh = serde_json::to_string_pretty(&corpus).unwrap() + "\n";
        std::fs::write(path, fresh).unwrap();
        return;
    }
    assert_eq!(Value::Array(got), corpus["issues"]);
}

/// The same rows as mixed cells through [`EventLog::from_cells`], the path
/// the Python and npm doors take: JSON numbers are number cells, strings
/// text cells, booleans boolean cells, `null` or an absent key a missing
/// cell. The issues must be the same as through CSV.
#[test]
fn the_corpus_as_cells_gives_the_same_issues() {
    use retention_core::events::{
        CellKind, Cells, Coded, EventLog, InstantUnit, Mixed, RawEvents, NO_CODE,
    };

    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/corpus/bad_rows.json");
    let corpus: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let rows = corpus["rows"].as_array().unwrap();
    struct Column {
        tags: Vec<u8>,
        numbers: Vec<f64>,
        codes: Vec<u32>,
        dictionary: Vec<String>,
    }
    let columns: Vec<Column> = COLUMNS
        .iter()
        .map(|name| {
            let mut c = Column {
                tags: vec![],
                numbers: vec![],
                codes: vec![],
                dictionary: vec![],
            };
            for row in rows {
                let (kind, number, code) = match row.get(*name) {
                    None | Some(Value::Null) => (CellKind::Missing, 0.0, NO_CODE),
                    Some(Value::Number(x)) => (CellKind::Number, x.as_f64().unwrap(), NO_CODE),
                    Some(Value::Bool(b)) => (
                        if *b { CellKind::True } else { CellKind::False },
                        0.0,
                        NO_CODE,
                    ),
                    Some(Value::String(s)) => {
                        c.dictionary.push(s.clone());
                        (CellKind::Text, 0.0, c.dictionary.len() as u32 - 1)
                    }
                    Some(other) => panic!("unexpected cell {other}"),
                };
                c.tags.push(kind.tag());
                c.numbers.push(number);
                c.codes.push(code);
            }
            c
        })
        .collect();
    let dictionaries: Vec<Vec<&str>> = columns
        .iter()
        .map(|c| c.dictionary.iter().map(String::as_str).collect())
        .collect();
    let cells: Vec<Cells<'_>> = columns
        .iter()
        .zip(&dictionaries)
        .map(|(c, d)| {
            Cells::Mixed(Mixed {
                tags: &c.tags,
                numbers: &c.numbers,
                text: Coded {
                    codes: &c.codes,
                    dictionary: d,
                },
            })
        })
        .collect();
    let raw = RawEvents {
        customer_id: cells[0],
        timestamp: cells[1],
        unit: InstantUnit::Millis,
        event: Some(cells[2]),
        amount: Some(cells[3]),
        items: Some(cells[4]),
        score: Some(cells[5]),
        detail: Some(cells[6]),
        resolved: Some(cells[7]),
    };
    let Err(Error::InvalidRows { issues }) = EventLog::from_cells(&raw, LogOptions::default())
    else {
        panic!("the corpus was accepted");
    };
    let got: Vec<Value> = issues
        .iter()
        .map(|i| json!({ "row": i.row, "field": i.field, "kind": i.kind.code().as_str(), "value": i.value }))
        .collect();
    assert_eq!(Value::Array(got), corpus["issues"]);
}
