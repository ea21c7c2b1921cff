//! Shared helpers of the fuzz targets: arbitrary numbers biased towards the
//! values that matter (zero, tiny, huge, non-finite, small counts), an event
//! log from arbitrary rows, and [`check_finite`], which walks any serde-
//! serialisable result and fails on the first number that is not finite.

pub mod finite;
pub mod gen;

pub use finite::{check_finite, check_finite_debug};
pub use gen::*;

/// Whether to fuzz the inputs of the open findings listed in `README.md`
/// (environment variable `RETENTION_FUZZ_OPEN=1`); off by default so that
/// the smoke run in `scripts/test.sh` checks everything that is fixed.
pub fn open_findings() -> bool {
    std::env::var_os("RETENTION_FUZZ_OPEN").is_some_and(|v| v == "1")
}

/// Asserts that `v` is a probability: finite and in `[0, 1]`.
#[track_caller]
pub fn assert_probability(what: &str, v: f64) {
    assert!((0.0..=1.0).contains(&v), "{what} = {v:?} is not in [0, 1]");
}

/// Asserts that `v` is finite and `≥ 0`.
#[track_caller]
pub fn assert_non_negative(what: &str, v: f64) {
    assert!(
        v.is_finite() && v >= 0.0,
        "{what} = {v:?} is not finite and >= 0"
    );
}

/// Asserts that an `Err` is a typed error of the core (always true of the
/// type; kept so that a target states it) and that its message is not empty.
#[track_caller]
pub fn assert_typed_error(e: &retention_core::Error) {
    assert!(!e.to_string().is_empty(), "{e:?} has no message");
}

/// Checks a result: an `Ok` must hold only finite numbers (see
/// [`check_finite`]); an `Err` is a typed error. Returns the `Ok` value.
#[track_caller]
pub fn ok_finite<T: serde::Serialize + std::fmt::Debug>(
    what: &str,
    r: retention_core::Result<T>,
) -> Option<T> {
    match r {
        Ok(v) => {
            check_finite(what, &v);
            Some(v)
        }
        Err(e) => {
            assert_typed_error(&e);
            None
        }
    }
}

/// [`ok_finite`] for result types that are not serialisable (checked with
/// [`check_finite_debug`]).
#[track_caller]
pub fn ok_finite_debug<T: std::fmt::Debug>(what: &str, r: retention_core::Result<T>) -> Option<T> {
    match r {
        Ok(v) => {
            check_finite_debug(what, &v);
            Some(v)
        }
        Err(e) => {
            assert_typed_error(&e);
            None
        }
    }
}
