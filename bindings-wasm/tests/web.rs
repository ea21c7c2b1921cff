//! Rust-side checks of the boundary, run in wasm under node:
//! `CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner
//! cargo test -p retention-wasm --target wasm32-unknown-unknown --test web`.
#![cfg(target_arch = "wasm32")]

use std::borrow::Cow;

use js_sys::Reflect;
use retention_core::events::CustomerId;
use retention_core::table::{Column, Table};
use retention_wasm::api::{rfm_scores, shopper_view_js, tier_for_value_js, traffic_light_for};
use retention_wasm::log::{EventLog, RawColumns};
use retention_wasm::table::table_with;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::wasm_bindgen_test;

fn get(v: &JsValue, key: &str) -> JsValue {
    Reflect::get(v, &JsValue::from_str(key)).unwrap()
}

fn day(d: f64) -> f64 {
    1_704_067_200_000.0 + d * 86_400_000.0 // 2024-01-01 + d days
}

fn orders(ids: &[f64], days: &[f64], amounts: &[f64]) -> Result<EventLog, JsValue> {
    let mut raw = RawColumns::new();
    raw.numbers(0, ids.to_vec())?;
    raw.numbers(1, days.iter().map(|&d| day(d)).collect())?;
    raw.numbers(3, amounts.to_vec())?;
    raw.build(None)
}

#[wasm_bindgen_test]
fn invalid_rows_become_an_error_object_with_issues() {
    let Err(e) = orders(
        &[1.0, 2.0, 3.0],
        &[0.0, 1.0, 2.0],
        &[5.0, -1.0, f64::INFINITY],
    ) else {
        panic!("expected an error")
    };
    assert!(e.is_instance_of::<js_sys::Error>());
    let err: js_sys::Error = e.clone().unchecked_into();
    assert_eq!(err.name(), "RetentionError");
    assert_eq!(get(&e, "code").as_string().unwrap(), "invalid_rows");
    assert_eq!(get(&e, "row").as_f64(), Some(1.0));
    assert_eq!(get(&e, "field").as_string().unwrap(), "amount");
    let issues: js_sys::Array = get(&e, "issues").unchecked_into();
    assert_eq!(issues.length(), 2);
    assert_eq!(
        get(&issues.get(1), "kind").as_string().unwrap(),
        "not_finite"
    );
}

#[wasm_bindgen_test]
fn options_are_strict_and_parameters_checked() {
    let log = orders(&[1.0, 2.0], &[0.0, 3.0], &[10.0, 20.0]).unwrap();
    let e = rfm_scores(&log, day(10.0), Some(r#"{"binz":3}"#.into())).unwrap_err();
    assert_eq!(get(&e, "code").as_string().unwrap(), "invalid_input");
    let e = rfm_scores(&log, day(10.0), Some(r#"{"bins":1}"#.into())).unwrap_err();
    assert_eq!(get(&e, "code").as_string().unwrap(), "invalid_parameter");
    assert_eq!(get(&e, "field").as_string().unwrap(), "bins");
    let e = rfm_scores(&log, f64::NAN, None).unwrap_err();
    assert_eq!(get(&e, "field").as_string().unwrap(), "asOf");
    let e = traffic_light_for(2.0, None).unwrap_err();
    assert_eq!(get(&e, "code").as_string().unwrap(), "invalid_parameter");
    let e = shopper_view_js(&log, JsValue::from_f64(1.5), day(10.0), None).unwrap_err();
    assert_eq!(get(&e, "code").as_string().unwrap(), "invalid_input");
    // Still working.
    let scores = rfm_scores(&log, day(10.0), Some(r#"{"bins":2}"#.into())).unwrap();
    let columns: js_sys::Array = get(&scores, "columns").unchecked_into();
    assert_eq!(columns.length(), 8);
    assert!(get(&scores, "segment_sizes").is_array());
}

/// A table with one column of every kind.
struct EveryKind {
    ids: Vec<CustomerId>,
    lists: Vec<Vec<String>>,
}

impl Table for EveryKind {
    fn columns(&self) -> Vec<(&'static str, Column<'_>)> {
        let owned = |v: Vec<f64>| Column::F64(Cow::Owned(v));
        vec![
            ("customer_id", Column::Ids(Cow::Borrowed(&self.ids))),
            ("x", owned(vec![1.5, -2.0])),
            ("opt_x", Column::OptF64(Cow::Owned(vec![None, Some(3.0)]))),
            ("score", Column::OptU8(Cow::Owned(vec![Some(4), None]))),
            ("n", Column::Count(Cow::Owned(vec![0, 7]))),
            ("opt_n", Column::OptCount(Cow::Owned(vec![Some(2), None]))),
            ("events", Column::U64(Cow::Owned(vec![9, 1]))),
            ("flag", Column::Bool(Cow::Owned(vec![true, false]))),
            (
                "opt_flag",
                Column::OptBool(Cow::Owned(vec![None, Some(true)])),
            ),
            (
                "name",
                Column::Text(Cow::Owned(vec!["b".into(), "b".into()])),
            ),
            (
                "opt_name",
                Column::OptText(Cow::Owned(vec![Some("a".into()), None])),
            ),
            (
                "lists",
                Column::TextLists(self.lists.iter().map(|l| &l[..]).collect()),
            ),
            ("stage", Column::Codes(vec!["new", "lapsed"])),
            ("at", Column::Instants(Cow::Owned(vec![Some(1_500), None]))),
        ]
    }
}

fn numbers(v: &JsValue) -> Vec<f64> {
    js_sys::Float64Array::from(v.clone()).to_vec()
}

#[wasm_bindgen_test]
fn every_column_kind_crosses_by_the_documented_rule() {
    let t = EveryKind {
        ids: vec![CustomerId::Int(3), CustomerId::Str("z".into())],
        lists: vec![vec!["p".into(), String::new()], vec![]],
    };
    let out = table_with(&t, &[("extra", JsValue::from_f64(1.0))]).unwrap();
    assert_eq!(get(&out, "extra").as_f64(), Some(1.0));
    let columns: js_sys::Array = get(&out, "columns").unchecked_into();
    let col = |i: u32| -> js_sys::Array { columns.get(i).unchecked_into() };
    let names: Vec<String> = (0..columns.length())
        .map(|i| col(i).get(0).as_string().unwrap())
        .collect();
    let core: Vec<&str> = t.columns().iter().map(|(n, _)| *n).collect();
    assert_eq!(names, core);
    let ids: js_sys::Array = col(0).get(1).unchecked_into();
    assert_eq!(ids.get(0).as_f64(), Some(3.0));
    assert_eq!(ids.get(1).as_string().unwrap(), "z");
    assert_eq!(numbers(&col(1).get(1)), [1.5, -2.0]);
    assert!(numbers(&col(2).get(1))[0].is_nan());
    assert_eq!(js_sys::Uint8Array::from(col(3).get(1)).to_vec(), [4, 0]);
    assert_eq!(numbers(&col(4).get(1)), [0.0, 7.0]);
    assert!(numbers(&col(5).get(1))[1].is_nan());
    assert_eq!(numbers(&col(6).get(1)), [9.0, 1.0]);
    // Flags and text: indices into a dictionary.
    let decode = |i: u32| -> Vec<JsValue> {
        let dictionary: js_sys::Array = col(i).get(2).unchecked_into();
        let codes = js_sys::Uint32Array::new(&col(i).get(1)).to_vec();
        codes.iter().map(|&c| dictionary.get(c)).collect()
    };
    assert_eq!(decode(7), [JsValue::TRUE, JsValue::FALSE]);
    assert_eq!(decode(8), [JsValue::NULL, JsValue::TRUE]);
    assert_eq!(decode(9), [JsValue::from_str("b"), JsValue::from_str("b")]);
    let dictionary: js_sys::Array = col(9).get(2).unchecked_into();
    assert_eq!(dictionary.length(), 1);
    assert_eq!(decode(10), [JsValue::from_str("a"), JsValue::NULL]);
    assert_eq!(
        decode(12),
        [JsValue::from_str("new"), JsValue::from_str("lapsed")]
    );
    // Text lists: every item in one string, with the item count of each row.
    assert_eq!(col(11).get(1).as_string().unwrap(), "p\u{1f}");
    assert_eq!(js_sys::Uint32Array::from(col(11).get(2)).to_vec(), [2, 0]);
    // An item holding the separator: the lists cross as they are.
    let odd = EveryKind {
        ids: t.ids.clone(),
        lists: vec![vec!["a\u{1f}b".into()], vec![]],
    };
    let out = table_with(&odd, &[]).unwrap();
    let lists: js_sys::Array = get(&out, "columns")
        .unchecked_into::<js_sys::Array>()
        .get(11)
        .unchecked_into();
    assert_eq!(lists.length(), 2);
    let rows: js_sys::Array = lists.get(1).unchecked_into();
    let first: js_sys::Array = rows.get(0).unchecked_into();
    assert_eq!(first.get(0).as_string().unwrap(), "a\u{1f}b");
    let at = numbers(&col(13).get(1));
    assert_eq!(at[0], 1.5);
    assert!(at[1].is_nan());
}

#[wasm_bindgen_test]
fn shopper_view_and_tiers_cross_as_the_core_structs() {
    let log = orders(&[7.0, 7.0], &[0.0, 20.0], &[400.0, 350.0]).unwrap();
    let v = shopper_view_js(&log, JsValue::from_f64(7.0), day(40.0), None).unwrap();
    let tier = get(&v, "tier");
    assert_eq!(get(&tier, "name").as_string().unwrap(), "Silver");
    assert_eq!(get(&get(&tier, "next"), "missing").as_f64(), Some(750.0));
    let life = get(&v, "lifecycle");
    // The core's snake_case keys: the JS wrapper turns them into camelCase.
    assert_eq!(get(&life, "days_since_last_order").as_f64(), Some(20.0));
    assert_eq!(get(&life, "label").as_string().unwrap(), "Active");
    assert_eq!(get(&v, "customer").as_f64(), Some(7.0));
    assert!(get(&v, "rfm").is_null());
    let top = tier_for_value_js(9000.0, None).unwrap();
    assert!(get(&top, "next").is_null());
}
