//! Conversions between JS values and core types: instants, customer ids,
//! options objects (camelCase, unknown keys rejected) and results.

use retention_core::churn::health::{HealthOptions, HealthWeights};
use retention_core::churn::traffic_light::LightThresholds;
use retention_core::events::CustomerId;
use retention_core::loyalty::{LoyaltyConfig, Tier, TierBasis};
use retention_core::segments::lifecycle::LifecycleOptions;
use retention_core::segments::rfm::{
    Binning, FrequencyBasis, MonetaryBasis, RfmOptions, RfmThresholds, SegmentTable,
};
use retention_core::time::Micros;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use wasm_bindgen::JsValue;

use crate::error::{invalid_input, JsResult, OrThrow};

/// Largest |milliseconds| a JS `Date` can hold.
const MAX_DATE_MS: f64 = 8.64e15;

/// Milliseconds since the epoch (a JS `Date`'s time value) to microseconds.
pub fn micros(ms: f64, field: &str) -> JsResult<Micros> {
    if ms.is_finite() && ms.abs() <= MAX_DATE_MS {
        Ok((ms * 1000.0).round() as Micros)
    } else {
        Err(invalid_input(
            field,
            format!("{ms} is not a valid time (milliseconds since 1970-01-01T00:00:00Z)"),
        ))
    }
}

/// Microseconds to milliseconds since the epoch.
pub fn millis(t: Micros) -> f64 {
    t as f64 / 1000.0
}

/// A customer id from JS: a safe integer or a string.
pub fn customer_id(value: &JsValue) -> JsResult<CustomerId> {
    if let Some(s) = value.as_string() {
        return Ok(CustomerId::Str(s));
    }
    match value.as_f64() {
        Some(x) if x.fract() == 0.0 && x.abs() <= 9_007_199_254_740_991.0 => {
            Ok(CustomerId::Int(x as i64))
        }
        _ => Err(invalid_input(
            "customer",
            "a customer id must be a safe integer or a string",
        )),
    }
}

/// A customer id as a JS number or string.
pub fn id_to_js(id: &CustomerId) -> JsValue {
    match id {
        CustomerId::Int(i) => JsValue::from_f64(*i as f64),
        CustomerId::Str(s) => JsValue::from_str(s),
    }
}

/// Customer ids as a JS array.
pub fn ids_to_js(ids: &[CustomerId]) -> js_sys::Array {
    ids.iter().map(id_to_js).collect()
}

/// An options object, as JSON text from the wrapper (so that unknown keys
/// are rejected, which reading the JS object field by field cannot do);
/// `None` gives the defaults.
pub fn options<T: DeserializeOwned + Default>(json: Option<String>, field: &str) -> JsResult<T> {
    match json {
        None => Ok(T::default()),
        Some(text) => serde_json::from_str(&text).map_err(|e| invalid_input(field, e)),
    }
}

/// A result as a JS value (plain objects, `null` for `None`).
pub fn to_js<T: Serialize + ?Sized>(value: &T) -> JsResult<JsValue> {
    let s = serde_wasm_bindgen::Serializer::new()
        .serialize_missing_as_null(true)
        .serialize_maps_as_objects(true);
    value.serialize(&s).map_err(|e| invalid_input("result", e))
}

/// Loyalty programme options (`LoyaltyConfig` in the core).
#[derive(Deserialize)]
#[serde(default, rename_all = "camelCase", deny_unknown_fields)]
pub struct LoyaltyJs {
    points_per_unit: f64,
    welcome_points: f64,
    referral_bonus: f64,
    expiry_days: Option<u32>,
    tier_basis: TierBasis,
    spend_window_days: u32,
    tiers: Vec<TierJs>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct TierJs {
    name: String,
    threshold: f64,
    #[serde(default = "one")]
    multiplier: f64,
}

fn one() -> f64 {
    1.0
}

impl Default for LoyaltyJs {
    fn default() -> Self {
        let c = LoyaltyConfig::default();
        LoyaltyJs {
            points_per_unit: c.points_per_unit,
            welcome_points: c.welcome_points,
            referral_bonus: c.referral_bonus,
            expiry_days: c.expiry_days,
            tier_basis: c.tier_basis,
            spend_window_days: c.spend_window_days,
            tiers: c
                .tiers
                .into_iter()
                .map(|t| TierJs {
                    name: t.name,
                    threshold: t.threshold,
                    multiplier: t.multiplier,
                })
                .collect(),
        }
    }
}

impl From<LoyaltyJs> for LoyaltyConfig {
    fn from(o: LoyaltyJs) -> Self {
        LoyaltyConfig {
            points_per_unit: o.points_per_unit,
            welcome_points: o.welcome_points,
            referral_bonus: o.referral_bonus,
            expiry_days: o.expiry_days,
            tier_basis: o.tier_basis,
            spend_window_days: o.spend_window_days,
            tiers: o
                .tiers
                .into_iter()
                .map(|t| Tier::new(t.name, t.threshold, t.multiplier))
                .collect(),
        }
    }
}

/// Health-score weights.
#[derive(Deserialize)]
#[serde(default, rename_all = "camelCase", deny_unknown_fields)]
pub struct WeightsJs {
    recency: f64,
    frequency_trend: f64,
    spend_trend: f64,
    engagement: f64,
    tickets: f64,
    satisfaction: f64,
}

impl Default for WeightsJs {
    fn default() -> Self {
        let w = HealthWeights::default();
        WeightsJs {
            recency: w.recency,
            frequency_trend: w.frequency_trend,
            spend_trend: w.spend_trend,
            engagement: w.engagement,
            tickets: w.tickets,
            satisfaction: w.satisfaction,
        }
    }
}

/// Health score and traffic-light options.
#[derive(Deserialize)]
#[serde(default, rename_all = "camelCase", deny_unknown_fields)]
pub struct RiskJs {
    weights: WeightsJs,
    window_days: u32,
    default_gap_days: f64,
    max_reasons: u32,
    amber: f64,
    red: f64,
}

impl Default for RiskJs {
    fn default() -> Self {
        let h = HealthOptions::default();
        let l = LightThresholds::default();
        RiskJs {
            weights: WeightsJs::default(),
            window_days: h.window_days,
            default_gap_days: h.default_gap_days,
            max_reasons: h.max_reasons as u32,
            amber: l.amber,
            red: l.red,
        }
    }
}

impl RiskJs {
    /// The core's health options and light thresholds.
    pub fn split(self) -> (HealthOptions, LightThresholds) {
        let w = self.weights;
        (
            HealthOptions {
                weights: HealthWeights {
                    recency: w.recency,
                    frequency_trend: w.frequency_trend,
                    spend_trend: w.spend_trend,
                    engagement: w.engagement,
                    tickets: w.tickets,
                    satisfaction: w.satisfaction,
                },
                window_days: self.window_days,
                default_gap_days: self.default_gap_days,
                max_reasons: self.max_reasons as usize,
            },
            LightThresholds {
                amber: self.amber,
                red: self.red,
            },
        )
    }
}

/// Lifecycle thresholds.
#[derive(Deserialize)]
#[serde(default, rename_all = "camelCase", deny_unknown_fields)]
pub struct LifecycleJs {
    new_window_days: u32,
    at_risk_gap_multiple: f64,
    inactive_after_days: u32,
    churn_window_days: u32,
    loyal_orders: u32,
}

impl Default for LifecycleJs {
    fn default() -> Self {
        let o = LifecycleOptions::default();
        LifecycleJs {
            new_window_days: o.new_window_days,
            at_risk_gap_multiple: o.at_risk_gap_multiple,
            inactive_after_days: o.inactive_after_days,
            churn_window_days: o.churn_window_days,
            loyal_orders: o.loyal_orders,
        }
    }
}

impl From<LifecycleJs> for LifecycleOptions {
    fn from(o: LifecycleJs) -> Self {
        LifecycleOptions {
            new_window_days: o.new_window_days,
            at_risk_gap_multiple: o.at_risk_gap_multiple,
            inactive_after_days: o.inactive_after_days,
            churn_window_days: o.churn_window_days,
            loyal_orders: o.loyal_orders,
        }
    }
}

#[derive(Deserialize, Clone, Copy)]
#[serde(rename_all = "snake_case")]
enum FrequencyJs {
    Orders,
    OrderDays,
}

#[derive(Deserialize, Clone, Copy)]
#[serde(rename_all = "snake_case")]
enum MonetaryJs {
    Total,
    Mean,
}

/// RFM cut points, `bins − 1` ascending values per dimension.
#[derive(Deserialize, Serialize, Clone)]
#[serde(deny_unknown_fields)]
pub struct ThresholdsJs {
    /// Recency cut points in days.
    pub recency: Vec<f64>,
    /// Frequency cut points.
    pub frequency: Vec<f64>,
    /// Monetary cut points.
    pub monetary: Vec<f64>,
}

impl From<RfmThresholds> for ThresholdsJs {
    fn from(t: RfmThresholds) -> Self {
        ThresholdsJs {
            recency: t.recency,
            frequency: t.frequency,
            monetary: t.monetary,
        }
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct SegmentJs {
    name: String,
    pattern: String,
}

/// RFM options; `thresholds` switches from quantile bins to fixed cut points.
#[derive(Deserialize)]
#[serde(default, rename_all = "camelCase", deny_unknown_fields)]
pub struct RfmJs {
    bins: u8,
    frequency: FrequencyJs,
    monetary: MonetaryJs,
    thresholds: Option<ThresholdsJs>,
    segments: Option<Vec<SegmentJs>>,
}

impl Default for RfmJs {
    fn default() -> Self {
        RfmJs {
            bins: 5,
            frequency: FrequencyJs::Orders,
            monetary: MonetaryJs::Total,
            thresholds: None,
            segments: None,
        }
    }
}

impl RfmJs {
    /// Core options as of `as_of` (a bad segment pattern is a core error).
    pub fn to_core(self, as_of: Micros) -> JsResult<RfmOptions> {
        let segments = match self.segments {
            None => SegmentTable::default(),
            Some(rows) => {
                let pairs: Vec<(&str, &str)> = rows
                    .iter()
                    .map(|s| (s.name.as_str(), s.pattern.as_str()))
                    .collect();
                SegmentTable::from_patterns(&pairs).or_throw()?
            }
        };
        Ok(RfmOptions {
            as_of,
            bins: self.bins,
            frequency: match self.frequency {
                FrequencyJs::Orders => FrequencyBasis::Orders,
                FrequencyJs::OrderDays => FrequencyBasis::OrderDays,
            },
            monetary: match self.monetary {
                MonetaryJs::Total => MonetaryBasis::Total,
                MonetaryJs::Mean => MonetaryBasis::Mean,
            },
            binning: match self.thresholds {
                None => Binning::Quantiles,
                Some(t) => Binning::Thresholds(RfmThresholds {
                    recency: t.recency,
                    frequency: t.frequency,
                    monetary: t.monetary,
                }),
            },
            segments,
        })
    }
}
