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
