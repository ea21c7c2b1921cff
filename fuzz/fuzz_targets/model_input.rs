//! Model input and model evaluation from arbitrary order rows and options:
//! `model_input_from_orders` / `_from_order_times` (any instants, units and
//! multipliers), `model_input`, `calibration_and_holdout`,
//! `purchase_periods`, and with arbitrary model parameters the evaluation
//! tables (`tracking`, `alive_path`, `period_transactions`,
//! `heterogeneity`, holdout metrics). Each answers `Ok` with finite numbers
//! or a typed error, in bounded time.

#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use retention_core::events::{CustomerColumn, InstantUnit};
use retention_core::model_input::{
    calibration_and_holdout, model_input, model_input_from_order_times, model_input_from_orders,
    purchase_periods, ModelInputOptions, OrderTimes, TimeUnit,
};
use retention_core::models::evaluation::{
    alive_path, heterogeneity, holdout_metrics, period_transactions, tracking, HoldoutData,
    MixingProcess,
};
use retention_core::models::{TransactionModelKind, TransactionModelParams, TransactionSummary};
use retention_core::summary::OrderDays;
use retention_fuzz::{
    cap, event_log, ok_finite, ok_finite_debug, pick, Instant, Num, Row, MAX_ROWS,
};

#[derive(Arbitrary, Debug)]
struct Input {
    op: u8,
    orders: Vec<(u8, Instant, Num)>,
    rows: Vec<Row>,
    end: Instant,
    cal_end: Instant,
    unit: u8,
    multiplier: Num,
    include_first: bool,
    kind: u8,
    params: [Num; 5],
    periods: u16,
    ticks: u8,
}

fn options(input: &Input) -> ModelInputOptions {
    ModelInputOptions {
        unit: pick(TimeUnit::ALL, input.unit),
        multiplier: input.multiplier.get(),
        observation_end: input.end.micros(),
        include_first: input.include_first,
        ..ModelInputOptions::default()
    }
}

fn evaluation(input: &Input, days: &OrderDays) {
    let kind = pick(TransactionModelKind::ALL, input.kind);
    let values: Vec<f64> = input.params[..TransactionModelParams::names(kind).len()]
        .iter()
        .map(|n| n.get())
        .collect();
    let Ok(m) = TransactionModelParams::from_values(kind, &values) else {
        return;
    };
    let unit = pick(TimeUnit::ALL, input.unit);
    let periods = usize::from(input.periods);
    match input.op % 5 {
        0 => {
            let _ = ok_finite_debug(
                "tracking",
                tracking(&m, days, unit, periods, 1 + usize::from(input.ticks % 4)),
            );
        }
        1 => {
            let instants: Vec<i64> = cap(&input.orders).iter().map(|o| o.1.micros()).collect();
            let _ = ok_finite_debug("alive_path", alive_path(&m, &instants, unit, periods));
        }
        2 => {
            let f: Vec<f64> = cap(&input.orders)
                .iter()
                .map(|o| f64::from(o.0 % 8))
                .collect();
            let r: Vec<f64> = cap(&input.orders).iter().map(|o| o.2.get()).collect();
            let t: Vec<f64> = r.iter().map(|x| x + 1.0).collect();
            let data = TransactionSummary::new(&f, &r, &t);
            let _ = ok_finite_debug(
                "period_transactions",
                period_transactions(&m, &data, periods),
            );
            let holdout = HoldoutData {
                calibration: data,
                frequency_holdout: &f,
                duration_holdout: input.multiplier.get(),
            };
            let _ = ok_finite_debug("holdout_metrics", holdout_metrics(&m, &holdout));
        }
        _ => {
            let process = pick(MixingProcess::ALL, input.ticks);
            let _ = ok_finite_debug("heterogeneity", heterogeneity(&m, process, periods));
        }
    }
}

fuzz_target!(|input: Input| {
    let orders = &input.orders[..input.orders.len().min(MAX_ROWS)];
    let ids: Vec<i64> = orders.iter().map(|o| i64::from(o.0 % 8)).collect();
    let times: Vec<i64> = orders.iter().map(|o| o.1.micros()).collect();
    let amounts: Vec<f64> = orders.iter().map(|o| o.2.get()).collect();
    let opts = options(&input);
    match (input.op / 5) % 4 {
        0 => {
            let r =
                model_input_from_orders(CustomerColumn::Int(&ids), &times, Some(&amounts), &opts);
            let _ = ok_finite_debug("model_input_from_orders", r);
            let unit = pick(InstantUnit::ALL, input.ticks);
            let r = model_input_from_order_times(
                CustomerColumn::Int(&ids),
                OrderTimes::new(unit, &times),
                None,
                &opts,
            );
            let _ = ok_finite_debug("model_input_from_order_times", r);
        }
        1 => {
            let Some(log) = event_log(&input.rows) else {
                return;
            };
            let days = OrderDays::from_log(&log);
            let _ = ok_finite_debug("model_input", model_input(&days, &opts));
            let r = calibration_and_holdout(
                &days,
                input.cal_end.micros(),
                input.end.micros(),
                opts.unit,
                opts.multiplier,
                input.include_first,
            );
            let _ = ok_finite_debug("calibration_and_holdout", r);
            let r = purchase_periods(&days, opts.unit, input.end.micros());
            let _ = ok_finite_debug("purchase_periods", r);
        }
        _ => {
            let Some(log) = event_log(&input.rows) else {
                return;
            };
            evaluation(&input, &OrderDays::from_log(&log));
        }
    }
    let _ = ok_finite("unit", Ok(0.0));
});
