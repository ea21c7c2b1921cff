//! Rust-side checks of the boundary, run in wasm under node:
//! `CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner
//! cargo test -p retention-wasm --target wasm32-unknown-unknown --test web`.
#![cfg(target_arch = "wasm32")]

use js_sys::Reflect;
use retention_wasm::api::{rfm_scores, shopper_view_js, tier_for_value_js, traffic_light_for};
use retention_wasm::log::{EventLog, RawColumns};
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
    let segment: js_sys::Uint16Array = get(&scores, "segmentCodes").unchecked_into();
    assert_eq!(segment.length(), 2);
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
