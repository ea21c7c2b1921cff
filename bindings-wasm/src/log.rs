//! The event log handle and its construction from columns.

use retention_core::events::{
    Cells, Coded, DuplicatePolicy, EventLog as CoreLog, InstantUnit, LogOptions, Mixed, RawEvents,
};
use retention_core::sample::{generate_log, SampleOptions};
use serde::Deserialize;
use wasm_bindgen::prelude::*;

use crate::convert::{ids_to_js, micros, millis, options};
use crate::error::{invalid_input, JsResult, OrThrow};

/// A validated, columnar event log living in wasm memory.
///
/// Built by the JS wrapper's `EventLog.fromEvents` / `EventLog.fromColumns`;
/// call `free()` when done with a large one.
#[wasm_bindgen]
pub struct EventLog {
    pub(crate) inner: CoreLog,
}

/// One column handed over by the JS wrapper.
enum Column {
    /// Cells of any type (see `retention_core::events::Mixed`).
    Mixed {
        tags: Vec<u8>,
        numbers: Vec<f64>,
        codes: Vec<u32>,
        dictionary: Vec<String>,
    },
    /// Numbers of a typed array (`NaN`: missing).
    Numbers(Vec<f64>),
    /// Text only, dictionary-coded.
    Coded {
        codes: Vec<u32>,
        dictionary: Vec<String>,
    },
}

/// Event columns as the JS wrapper converts them (one per slot, in the core's
/// column order: customer_id, timestamp, event, amount, items, score,
/// detail, resolved), read and validated by the core in [`RawColumns::build`].
#[wasm_bindgen]
#[derive(Default)]
pub struct RawColumns {
    slots: [Option<Column>; 8],
}

#[wasm_bindgen]
impl RawColumns {
    /// No columns yet.
    #[wasm_bindgen(constructor)]
    pub fn new() -> RawColumns {
        RawColumns::default()
    }

    fn set(&mut self, slot: usize, column: Column) -> JsResult<()> {
        let place = self
            .slots
            .get_mut(slot)
            .ok_or_else(|| invalid_input("slot", format!("no column slot {slot}")))?;
        *place = Some(column);
        Ok(())
    }

    /// Column `slot` as cells of any type: a `CellKind` tag per row, the
    /// numbers of number cells, and codes into `dictionary` for text.
    pub fn mixed(
        &mut self,
        slot: usize,
        tags: Vec<u8>,
        numbers: Vec<f64>,
        codes: Vec<u32>,
        dictionary: Vec<String>,
    ) -> JsResult<()> {
        self.set(
            slot,
            Column::Mixed {
                tags,
                numbers,
                codes,
                dictionary,
            },
        )
    }

    /// Column `slot` as text only: codes into `dictionary` (`u32::MAX`:
    /// missing).
    pub fn coded(&mut self, slot: usize, codes: Vec<u32>, dictionary: Vec<String>) -> JsResult<()> {
        self.set(slot, Column::Coded { codes, dictionary })
    }

    /// Column `slot` as numbers (a typed array; `NaN` is missing).
    pub fn numbers(&mut self, slot: usize, values: Vec<f64>) -> JsResult<()> {
        self.set(slot, Column::Numbers(values))
    }

    /// The log of these columns (instants given as numbers are milliseconds
    /// since the epoch, a `Date`'s time value).
    pub fn build(&self, duplicates: Option<String>) -> JsResult<EventLog> {
        let duplicates: DuplicatePolicy = match duplicates {
            None => DuplicatePolicy::default(),
            Some(code) => code.parse().or_throw()?,
        };
        let dictionaries: Vec<Vec<&str>> = self
            .slots
            .iter()
            .map(|c| match c {
                Some(Column::Mixed { dictionary, .. } | Column::Coded { dictionary, .. }) => {
                    dictionary.iter().map(String::as_str).collect()
                }
                _ => Vec::new(),
            })
            .collect();
        let slots = std::array::from_fn(|k| {
            self.slots[k].as_ref().map(|c| match c {
                Column::Mixed {
                    tags,
                    numbers,
                    codes,
                    ..
                } => Cells::Mixed(Mixed {
                    tags,
                    numbers,
                    text: Coded {
                        codes,
                        dictionary: &dictionaries[k],
                    },
                }),
                Column::Numbers(v) => Cells::Float(v),
                Column::Coded { codes, .. } => Cells::Coded(Coded {
                    codes,
                    dictionary: &dictionaries[k],
                }),
            })
        });
        let raw = RawEvents::from_slots(slots, InstantUnit::Millis).or_throw()?;
        let options = LogOptions {
            duplicates,
            ..LogOptions::default()
        };
        let inner = CoreLog::from_cells(&raw, options).or_throw()?;
        Ok(EventLog { inner })
    }
}

#[wasm_bindgen]
impl EventLog {
    /// Number of events.
    #[wasm_bindgen(getter)]
    pub fn length(&self) -> usize {
        self.inner.len()
    }

    /// Distinct customer ids, sorted (numbers before strings).
    pub fn customers(&self) -> js_sys::Array {
        ids_to_js(self.inner.customers())
    }

    /// Rows dropped as exact duplicates (with `duplicates: "drop"`).
    #[wasm_bindgen(js_name = duplicatesDropped)]
    pub fn duplicates_dropped(&self) -> usize {
        self.inner.duplicates_dropped()
    }

    /// The log as columns in log order (customer, then time), with
    /// instants in milliseconds and kinds as `EVENT_TYPES` names.
    #[wasm_bindgen(js_name = toColumns)]
    pub fn to_columns(&self) -> JsResult<JsValue> {
        let customer = js_sys::Array::new_with_length(self.inner.len() as u32);
        let mut kind = Vec::with_capacity(self.inner.len());
        let mut value = Vec::with_capacity(self.inner.len());
        let mut time = Vec::with_capacity(self.inner.len());
        for (i, (id, e)) in self.inner.iter().enumerate() {
            customer.set(i as u32, crate::convert::id_to_js(id));
            kind.push(e.event_type().as_str());
            value.push(e.value());
            time.push(millis(e.time()));
        }
        let out = js_sys::Object::new();
        let put = |k: &str, v: JsValue| {
            let _ = js_sys::Reflect::set(&out, &JsValue::from_str(k), &v);
        };
        put("customer", customer.into());
        put(
            "timestamp",
            js_sys::Float64Array::from(time.as_slice()).into(),
        );
        put("type", crate::convert::to_js(&kind)?);
        put("value", js_sys::Float64Array::from(value.as_slice()).into());
        Ok(out.into())
    }
}

/// Cap on the sample size, so that no option can exhaust wasm memory.
const MAX_SAMPLE_CUSTOMERS: u32 = 1_000_000;

/// Options of the sample shop.
#[derive(Deserialize)]
#[serde(default, rename_all = "camelCase", deny_unknown_fields)]
struct SampleJs {
    seed: f64,
    customers: u32,
    months: u32,
    as_of: Option<f64>,
}

impl Default for SampleJs {
    fn default() -> Self {
        let o = SampleOptions::default();
        SampleJs {
            seed: o.seed as f64,
            customers: o.customers as u32,
            months: o.months,
            as_of: None,
        }
    }
}

/// The seeded sample shop as an event log (identical in every language).
#[wasm_bindgen(js_name = sampleLog)]
pub fn sample_log(opts: Option<String>) -> JsResult<EventLog> {
    let o: SampleJs = options(opts, "options")?;
    if !(o.seed.is_finite() && o.seed >= 0.0 && o.seed.fract() == 0.0 && o.seed < 9.007e15) {
        return Err(invalid_input("seed", "must be a non-negative safe integer"));
    }
    let mut core = SampleOptions {
        seed: o.seed as u64,
        customers: o.customers as usize,
        months: o.months,
        ..SampleOptions::default()
    };
    if o.customers > MAX_SAMPLE_CUSTOMERS {
        return Err(invalid_input(
            "customers",
            format!("at most {MAX_SAMPLE_CUSTOMERS} sample customers in the browser"),
        ));
    }
    if let Some(ms) = o.as_of {
        core.as_of = micros(ms, "asOf")?;
    }
    Ok(EventLog {
        inner: generate_log(&core).or_throw()?,
    })
}

/// The sample shop's default `as_of` instant, in milliseconds.
#[wasm_bindgen(js_name = sampleAsOf)]
pub fn sample_as_of() -> f64 {
    millis(SampleOptions::default().as_of)
}
