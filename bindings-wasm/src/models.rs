//! Buy-till-you-die models: predictions from given parameters (BG/NBD,
//! MBG/NBD, Pareto/NBD; Gamma-Gamma spend), fitting from frequency /
//! recency / `T` columns, and those columns from an [`EventLog`] through the
//! core's `model_input`.
//!
//! Model parameters cross as JSON text (`{"model": "bg_nbd", "r": …}`) so
//! that unknown keys are rejected; columns cross as `Float64Array`s. Every
//! export takes columns; for one shopper the wrapper passes one-row columns
//! with `single = true`, which calls the core's one-customer function (its
//! errors then carry no row).

use js_sys::Float64Array;
use retention_core::model_input::{model_input, ModelInputOptions, TimeUnit};
use retention_core::models::clv::{predictive_clv, ClvOptions, ClvTimeUnit};
use retention_core::models::gamma_gamma::{GammaGammaParams, MonetarySummary};
use retention_core::models::{
    bgnbd, gamma_gamma, mbgnbd, pareto_nbd, FitDiagnostics, FitOptions, TransactionModel,
    TransactionSummary,
};
use retention_core::summary::OrderDays;
use serde::{Deserialize, Serialize};
use wasm_bindgen::prelude::*;

use crate::convert::{ids_to_js, micros, options, to_js};
use crate::error::{invalid_input, JsResult, OrThrow};
use crate::log::EventLog;

fn put(target: &js_sys::Object, key: &str, value: impl Into<JsValue>) {
    let _ = js_sys::Reflect::set(target, &JsValue::from_str(key), &value.into());
}

/// Parameters of a transaction model, tagged by `model`.
#[derive(Deserialize, Serialize, Clone, Copy)]
#[serde(tag = "model", rename_all = "snake_case", deny_unknown_fields)]
// The variants are the models' published names.
#[allow(clippy::enum_variant_names)]
enum ModelJs {
    BgNbd {
        r: f64,
        alpha: f64,
        a: f64,
        b: f64,
    },
    MbgNbd {
        r: f64,
        alpha: f64,
        a: f64,
        b: f64,
    },
    ParetoNbd {
        r: f64,
        alpha: f64,
        s: f64,
        beta: f64,
    },
}

impl ModelJs {
    fn to_core(self) -> JsResult<Box<dyn TransactionModel>> {
        Ok(match self {
            ModelJs::BgNbd { r, alpha, a, b } => {
                Box::new(bgnbd::BgNbdParams::new(r, alpha, a, b).or_throw()?)
            }
            ModelJs::MbgNbd { r, alpha, a, b } => {
                Box::new(mbgnbd::MbgNbdParams::new(r, alpha, a, b).or_throw()?)
            }
            ModelJs::ParetoNbd { r, alpha, s, beta } => {
                Box::new(pareto_nbd::ParetoNbdParams::new(r, alpha, s, beta).or_throw()?)
            }
        })
    }
}

fn model(json: String) -> JsResult<Box<dyn TransactionModel>> {
    serde_json::from_str::<ModelJs>(&json)
        .map_err(|e| invalid_input("model", e))?
        .to_core()
}

#[derive(Deserialize, Serialize, Clone, Copy)]
#[serde(deny_unknown_fields)]
struct SpendJs {
    p: f64,
    q: f64,
    gamma: f64,
}

fn spend_model(json: String) -> JsResult<GammaGammaParams> {
    let s: SpendJs = serde_json::from_str(&json).map_err(|e| invalid_input("spend", e))?;
    GammaGammaParams::new(s.p, s.q, s.gamma).or_throw()
}

/// The one shopper's value (NaN, rejected by the core, if none was given).
fn first(v: &[f64]) -> f64 {
    v.first().copied().unwrap_or(f64::NAN)
}

fn column(v: Vec<f64>) -> Float64Array {
    Float64Array::from(v.as_slice())
}

/// P(alive) per row (or of the one shopper with `single`).
#[wasm_bindgen(js_name = probabilityAlive)]
pub fn probability_alive(
    model_json: String,
    frequency: Vec<f64>,
    recency: Vec<f64>,
    age: Vec<f64>,
    single: bool,
) -> JsResult<Float64Array> {
    let m = model(model_json)?;
    if single {
        let p = m
            .probability_alive(first(&frequency), first(&recency), first(&age))
            .or_throw()?;
        return Ok(column(vec![p]));
    }
    let data = TransactionSummary::new(&frequency, &recency, &age);
    Ok(column(m.probability_alive_batch(&data).or_throw()?))
}

/// Expected repeat purchases of a new customer in `(0, t]` for each `t`.
#[wasm_bindgen(js_name = expectedPurchases)]
pub fn expected_purchases(model_json: String, t: Vec<f64>) -> JsResult<Float64Array> {
    let m = model(model_json)?;
    let v = t
        .iter()
        .map(|&t| m.expected_purchases(t))
        .collect::<retention_core::Result<Vec<f64>>>()
        .or_throw()?;
    Ok(column(v))
}

/// Expected purchases in the next `t` per row (or of the one shopper).
#[wasm_bindgen(js_name = conditionalExpectedPurchases)]
pub fn conditional_expected_purchases(
    model_json: String,
    t: f64,
    frequency: Vec<f64>,
    recency: Vec<f64>,
    age: Vec<f64>,
    single: bool,
) -> JsResult<Float64Array> {
    let m = model(model_json)?;
    if single {
        let v = m
            .conditional_expected_purchases(t, first(&frequency), first(&recency), first(&age))
            .or_throw()?;
        return Ok(column(vec![v]));
    }
    let data = TransactionSummary::new(&frequency, &recency, &age);
    Ok(column(
        m.conditional_expected_purchases_batch(t, &data)
            .or_throw()?,
    ))
}

/// Gamma-Gamma conditional expected average spend per row.
#[wasm_bindgen(js_name = expectedAverageSpend)]
pub fn expected_average_spend(
    spend_json: String,
    frequency: Vec<f64>,
    monetary_value: Vec<f64>,
) -> JsResult<Float64Array> {
    let s = spend_model(spend_json)?;
    if frequency.len() != monetary_value.len() {
        return Err(crate::error::to_js(
            &retention_core::Error::LengthMismatch {
                field: "monetaryValue",
                expected: frequency.len(),
                actual: monetary_value.len(),
            },
        ));
    }
    let v = frequency
        .iter()
        .zip(&monetary_value)
        .enumerate()
        .map(|(i, (&x, &m))| {
            s.conditional_expected_average_spend(x, m)
                .map_err(|e| match e {
                    retention_core::Error::InvalidRows { mut issues } if frequency.len() > 1 => {
                        issues.iter_mut().for_each(|issue| issue.row = i);
                        retention_core::Error::InvalidRows { issues }
                    }
                    other => other,
                })
        })
        .collect::<retention_core::Result<Vec<f64>>>()
        .or_throw()?;
    Ok(column(v))
}

/// Population mean spend per transaction of a Gamma-Gamma model.
#[wasm_bindgen(js_name = populationAverageSpend)]
pub fn population_average_spend(spend_json: String) -> JsResult<f64> {
    spend_model(spend_json)?.expected_average_spend().or_throw()
}

#[derive(Deserialize, Clone, Copy)]
#[serde(rename_all = "snake_case")]
enum UnitJs {
    Hours,
    Days,
    Weeks,
    Months,
}

#[derive(Deserialize)]
#[serde(default, rename_all = "camelCase", deny_unknown_fields)]
struct ClvJs {
    horizon_months: u32,
    monthly_discount_rate: f64,
    time_unit: Option<UnitJs>,
    unit_days: Option<f64>,
}

impl Default for ClvJs {
    fn default() -> Self {
        let d = ClvOptions::default();
        ClvJs {
            horizon_months: d.horizon_months,
            monthly_discount_rate: d.monthly_discount_rate,
            time_unit: None,
            unit_days: None,
        }
    }
}

/// Predictive CLV per row: Gamma-Gamma spend × discounted expected purchases.
#[wasm_bindgen(js_name = predictiveClv)]
#[allow(clippy::too_many_arguments)]
pub fn predictive_clv_js(
    model_json: String,
    spend_json: String,
    frequency: Vec<f64>,
    recency: Vec<f64>,
    age: Vec<f64>,
    monetary_value: Vec<f64>,
    opts: Option<String>,
) -> JsResult<Float64Array> {
    let m = model(model_json)?;
    let s = spend_model(spend_json)?;
    let o: ClvJs = options(opts, "options")?;
    let time_unit = match (o.time_unit, o.unit_days) {
        (Some(_), Some(_)) => {
            return Err(invalid_input(
                "unitDays",
                "give either timeUnit or unitDays, not both",
            ))
        }
        (_, Some(days)) => ClvTimeUnit::UnitOfDays(days),
        (None | Some(UnitJs::Days), None) => ClvTimeUnit::Days,
        (Some(UnitJs::Hours), None) => ClvTimeUnit::Hours,
        (Some(UnitJs::Weeks), None) => ClvTimeUnit::Weeks,
        (Some(UnitJs::Months), None) => ClvTimeUnit::Months,
    };
    let core = ClvOptions {
        horizon_months: o.horizon_months,
        monthly_discount_rate: o.monthly_discount_rate,
        time_unit,
    };
    let data = TransactionSummary::new(&frequency, &recency, &age);
    Ok(column(
        predictive_clv(m.as_ref(), &s, &data, &monetary_value, &core).or_throw()?,
    ))
}

#[derive(Deserialize)]
#[serde(default, rename_all = "camelCase", deny_unknown_fields)]
struct FitJs {
    penalizer_coef: f64,
    initial_params: Option<Vec<f64>>,
    tolerance: f64,
    max_iterations: u32,
}

impl Default for FitJs {
    fn default() -> Self {
        let d = FitOptions::default();
        FitJs {
            penalizer_coef: d.penalizer_coef,
            initial_params: d.initial_params,
            tolerance: d.tolerance,
            max_iterations: d.max_iterations as u32,
        }
    }
}

impl From<FitJs> for FitOptions {
    fn from(o: FitJs) -> Self {
        FitOptions {
            penalizer_coef: o.penalizer_coef,
            initial_params: o.initial_params,
            tolerance: o.tolerance,
            max_iterations: o.max_iterations as usize,
        }
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct FitOut<P: Serialize> {
    params: P,
    log_likelihood: f64,
    standard_errors: Option<std::collections::BTreeMap<&'static str, f64>>,
    rows: usize,
    total_weight: f64,
    penalizer_coef: f64,
    method: &'static str,
    iterations: usize,
    attempts: usize,
}

fn fit_out<P: Serialize>(params: P, d: &FitDiagnostics) -> JsResult<JsValue> {
    use retention_core::models::optim::OptimMethod;
    to_js(&FitOut {
        params,
        log_likelihood: d.log_likelihood,
        standard_errors: d.standard_errors.as_ref().map(|se| {
            d.parameter_names
                .iter()
                .copied()
                .zip(se.iter().copied())
                .collect()
        }),
        rows: d.rows,
        total_weight: d.total_weight,
        penalizer_coef: d.penalizer_coef,
        method: match d.method {
            OptimMethod::Bfgs => "bfgs",
            OptimMethod::NelderMeadThenBfgs => "nelder_mead_then_bfgs",
            _ => "other",
        },
        iterations: d.iterations,
        attempts: d.attempts,
    })
}

/// Fits a transaction model (`bg_nbd`, `mbg_nbd`, `pareto_nbd`) by maximum
/// likelihood on frequency / recency / `T` columns with optional weights.
#[wasm_bindgen(js_name = fitTransactionModel)]
pub fn fit_transaction_model(
    kind: &str,
    frequency: Vec<f64>,
    recency: Vec<f64>,
    age: Vec<f64>,
    weights: Option<Vec<f64>>,
    opts: Option<String>,
) -> JsResult<JsValue> {
    let o: FitOptions = options::<FitJs>(opts, "options")?.into();
    let mut data = TransactionSummary::new(&frequency, &recency, &age);
    if let Some(w) = weights.as_deref() {
        data = data.with_weights(w);
    }
    match kind {
        "bg_nbd" => {
            let f = bgnbd::fit(&data, &o).or_throw()?;
            let p = f.params;
            let params = ModelJs::BgNbd {
                r: p.r,
                alpha: p.alpha,
                a: p.a,
                b: p.b,
            };
            fit_out(params, &f.diagnostics)
        }
        "mbg_nbd" => {
            let f = mbgnbd::fit(&data, &o).or_throw()?;
            let p = f.params;
            let params = ModelJs::MbgNbd {
                r: p.r,
                alpha: p.alpha,
                a: p.a,
                b: p.b,
            };
            fit_out(params, &f.diagnostics)
        }
        "pareto_nbd" => {
            let f = pareto_nbd::fit(&data, &o).or_throw()?;
            let p = f.params;
            let params = ModelJs::ParetoNbd {
                r: p.r,
                alpha: p.alpha,
                s: p.s,
                beta: p.beta,
            };
            fit_out(params, &f.diagnostics)
        }
        other => Err(invalid_input(
            "model",
            format!("{other:?} is not one of \"bg_nbd\", \"mbg_nbd\", \"pareto_nbd\""),
        )),
    }
}

/// Fits Gamma-Gamma on frequency and mean repeat spend (repeat buyers only).
#[wasm_bindgen(js_name = fitGammaGamma)]
pub fn fit_gamma_gamma(
    frequency: Vec<f64>,
    monetary_value: Vec<f64>,
    weights: Option<Vec<f64>>,
    opts: Option<String>,
) -> JsResult<JsValue> {
    let o: FitOptions = options::<FitJs>(opts, "options")?.into();
    let mut data = MonetarySummary::new(&frequency, &monetary_value);
    data.weights = weights.as_deref();
    let f = gamma_gamma::fit(&data, &o).or_throw()?;
    let p = f.params;
    fit_out(
        SpendJs {
            p: p.p,
            q: p.q,
            gamma: p.gamma,
        },
        &f.diagnostics,
    )
}

#[derive(Deserialize, Clone, Copy)]
#[serde(rename_all = "snake_case")]
enum PeriodUnitJs {
    Day,
    Week,
    Month,
}

#[derive(Deserialize)]
#[serde(default, rename_all = "camelCase", deny_unknown_fields)]
struct ModelInputJs {
    unit: PeriodUnitJs,
    multiplier: f64,
    include_first: bool,
}

impl Default for ModelInputJs {
    fn default() -> Self {
        ModelInputJs {
            unit: PeriodUnitJs::Day,
            multiplier: 1.0,
            include_first: false,
        }
    }
}

/// Frequency, recency, `T` and monetary value per customer of the log, as
/// of the (inclusive) observation end.
#[wasm_bindgen(js_name = modelInput)]
pub fn model_input_js(
    log: &EventLog,
    observation_end_ms: f64,
    opts: Option<String>,
) -> JsResult<JsValue> {
    let end = micros(observation_end_ms, "observationEnd")?;
    let o: ModelInputJs = options(opts, "options")?;
    let core = ModelInputOptions {
        unit: match o.unit {
            PeriodUnitJs::Day => TimeUnit::Day,
            PeriodUnitJs::Week => TimeUnit::Week,
            PeriodUnitJs::Month => TimeUnit::Month,
        },
        multiplier: o.multiplier,
        observation_end: end,
        include_first: o.include_first,
    };
    let days = OrderDays::from_log(&log.inner);
    let m = model_input(&days, &core).or_throw()?;
    let out = js_sys::Object::new();
    put(&out, "customers", ids_to_js(&m.ids));
    put(&out, "frequency", column(m.frequency));
    put(&out, "recency", column(m.recency));
    put(&out, "T", column(m.t));
    put(&out, "monetaryValue", column(m.monetary_value));
    Ok(out.into())
}
