//! Arbitrary answers (any floats, including NaN and infinities) into the
//! survey metrics: each must answer `Ok` with a finite score or a typed
//! error, never panic.
//!
//! Assumed signatures (from the survey-metrics branch):
//! `nps(&[f64]) -> Result<Nps>`, `csat(&[f64], CsatOptions) -> Result<Csat>`,
//! `ces(&[f64], u32) -> Result<Ces>`,
//! `customer_loyalty_index(&[f64], &[f64], &[f64]) -> Result<f64>`, where
//! `Nps`, `Csat` and `Ces` carry the score in a `score: f64` field.

#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use retention_core::metrics::{ces, csat, customer_loyalty_index, nps, CsatOptions};

const MAX_ANSWERS: usize = 1_024;

#[derive(Arbitrary, Debug)]
struct Input {
    answers: Vec<f64>,
    repurchase: Vec<f64>,
    other_products: Vec<f64>,
    ces_options: u32,
}

fn cap(v: &[f64]) -> &[f64] {
    &v[..v.len().min(MAX_ANSWERS)]
}

fuzz_target!(|input: Input| {
    let answers = cap(&input.answers);
    if let Ok(n) = nps(answers) {
        assert!(n.score.is_finite(), "{n:?}");
    }
    if let Ok(c) = csat(answers, CsatOptions::default()) {
        assert!(c.score.is_finite(), "{c:?}");
    }
    if let Ok(c) = ces(answers, input.ces_options) {
        assert!(c.score.is_finite(), "{c:?}");
    }
    if let Ok(cli) =
        customer_loyalty_index(answers, cap(&input.repurchase), cap(&input.other_products))
    {
        assert!(cli.is_finite(), "{cli}");
    }
});
