//! Every prediction of the BTYD models from arbitrary parameters and
//! histories: BG/NBD, MBG/NBD, Pareto/NBD, GGompertz/NBD (through
//! `TransactionModelParams` and the `TransactionModel` trait), BG/BB,
//! Gamma-Gamma, predictive CLV, customer scores and simulation. Each answers
//! `Ok` with finite numbers in their range (probabilities in [0, 1], counts
//! and values ≥ 0) or a typed error, in bounded time.

#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use retention_core::models::bgbb::BgBbParams;
use retention_core::models::clv::{discounted_value, predictive_clv, ClvOptions, ClvTimeUnit};
use retention_core::models::gamma_gamma::{
    frequency_monetary_correlation, GammaGammaParams, MonetarySummary,
};
use retention_core::models::scores::{customer_scores, SpendInput};
use retention_core::models::simulate::{simulate_bgbb, simulate_transactions};
use retention_core::models::{
    TransactionModel, TransactionModelKind, TransactionModelParams, TransactionSummary,
};
use retention_fuzz::{
    assert_non_negative, assert_probability, cap, nums, ok_finite, pick, Count, Num,
};

#[derive(Arbitrary, Debug)]
struct Input {
    family: u8,
    op: u8,
    params: [Num; 5],
    /// Horizon / tau / discount rate.
    t: Num,
    /// One history: frequency, recency, age.
    x: Num,
    t_x: Num,
    age: Num,
    n: Count,
    rows: Vec<(Num, Num, Num)>,
    spend: [Num; 3],
    monetary: Vec<Num>,
    horizon_months: Count,
    clv_unit: u8,
    unit_days: Option<Num>,
    seed: u64,
}

fn columns(input: &Input) -> (Vec<f64>, Vec<f64>, Vec<f64>) {
    let rows = cap(&input.rows);
    (
        rows.iter().map(|r| r.0.get()).collect(),
        rows.iter().map(|r| r.1.get()).collect(),
        rows.iter().map(|r| r.2.get()).collect(),
    )
}

fn probabilities(what: &str, v: &[f64]) {
    for &p in v {
        assert_probability(what, p);
    }
}

fn non_negative(what: &str, v: &[f64]) {
    for &p in v {
        assert_non_negative(what, p);
    }
}

fn transaction(input: &Input, kind: TransactionModelKind) {
    let values: Vec<f64> = input.params[..TransactionModelParams::names(kind).len()]
        .iter()
        .map(|n| n.get())
        .collect();
    let Some(m) = ok_finite("params", TransactionModelParams::from_values(kind, &values)) else {
        return;
    };
    let (t, x, t_x, age) = (
        input.t.get(),
        input.x.get(),
        input.t_x.get(),
        input.age.get(),
    );
    let (f, r, a) = columns(input);
    let data = TransactionSummary::new(&f, &r, &a);
    let n = input.n.get();
    match input.op % 16 {
        0 => {
            if let Some(v) = ok_finite("expected_purchases", m.expected_purchases(t)) {
                assert_non_negative("expected_purchases", v);
            }
        }
        1 => {
            let r = m.conditional_expected_purchases(t, x, t_x, age);
            if let Some(v) = ok_finite("conditional_expected_purchases", r) {
                assert_non_negative("conditional_expected_purchases", v);
            }
        }
        2 => {
            if let Some(v) = ok_finite("probability_alive", m.probability_alive(x, t_x, age)) {
                assert_probability("probability_alive", v);
            }
        }
        3 => {
            if let Some(v) = ok_finite("probability_alive_batch", m.probability_alive_batch(&data))
            {
                probabilities("probability_alive_batch", &v);
            }
        }
        4 => {
            let r = m.conditional_expected_purchases_batch(t, &data);
            if let Some(v) = ok_finite("conditional_expected_purchases_batch", r) {
                non_negative("conditional_expected_purchases_batch", &v);
            }
        }
        5 => {
            let horizons = nums(&input.monetary);
            let r = m.conditional_expected_purchases_each(&horizons, &data);
            if let Some(v) = ok_finite("conditional_expected_purchases_each", r) {
                non_negative("conditional_expected_purchases_each", &v);
            }
        }
        6 => {
            if let Some(v) = ok_finite("probability_of_purchases", m.probability_of_purchases(n, t))
            {
                assert_probability("probability_of_purchases", v);
            }
        }
        7 => {
            let _ = ok_finite("log_likelihood", m.log_likelihood(&data));
        }
        8 => {
            if let Some(v) = ok_finite(
                "probability_alive_at",
                m.probability_alive_at(t, x, t_x, age),
            ) {
                assert_probability("probability_alive_at", v);
            }
            let r = m.probability_alive_given_no_purchase(t, x, t_x, age);
            if let Some(v) = ok_finite("probability_alive_given_no_purchase", r) {
                assert_probability("probability_alive_given_no_purchase", v);
            }
        }
        9 => {
            let r = m.conditional_probability_of_purchases(n, t, x, t_x, age);
            if let Some(v) = ok_finite("conditional_probability_of_purchases", r) {
                assert_probability("conditional_probability_of_purchases", v);
            }
        }
        10 => {
            if let Some(v) = ok_finite("dert", m.dert(t, x, t_x, age)) {
                assert_non_negative("dert", v);
            }
        }
        11 if !retention_fuzz::open_findings()
            && values.iter().any(|v| !(1e-100..=1e100).contains(v)) =>
        {
            // Open finding (README): the residual-customer predictions take
            // seconds with parameters near 1e-300.
        }
        11 => {
            let _ = ok_finite("next_purchase", m.next_purchase(t, x, t_x, age));
            if let Some(c) = ok_finite("residual", m.residual(x, t_x, age)) {
                if let Some(v) = ok_finite("residual.p_alive", c.probability_alive_at(t)) {
                    assert_probability("residual.probability_alive_at", v);
                }
                if let Some(v) = ok_finite("residual.p_purchases", c.probability_of_purchases(n, t))
                {
                    assert_probability("residual.probability_of_purchases", v);
                }
                if let Some(v) = ok_finite("residual.dert", c.dert(t)) {
                    assert_non_negative("residual.dert", v);
                }
            }
        }
        12 => {
            if let Some(v) = ok_finite("p_alive_at_batch", m.probability_alive_at_batch(t, &data)) {
                probabilities("probability_alive_at_batch", &v);
            }
            let r = m.conditional_probability_of_purchases_batch(n, t, &data);
            if let Some(v) = ok_finite("cond_p_purchases_batch", r) {
                probabilities("conditional_probability_of_purchases_batch", &v);
            }
            if let Some(v) = ok_finite("dert_batch", m.dert_batch(t, &data)) {
                non_negative("dert_batch", &v);
            }
            let _ = ok_finite("next_purchase_batch", m.next_purchase_batch(t, &data));
        }
        13 | 14 => clv(input, &m, &data),
        _ => {
            let ages = nums(&input.monetary);
            // The simulation's work is bounded by its documented limit of
            // 50,000,000 purchases, which takes seconds to reach: keep the
            // expected count E[λ]·T = r·T/α small so that the 2 s timeout
            // flags only work beyond what the inputs ask for.
            let most = ages.iter().fold(0.0f64, |a, &b| a.max(b));
            if !(values[0] / values[1] * most <= 1e5) {
                return;
            }
            let purchase_times = input.n.get() % 2 == 0;
            let _ = ok_finite(
                "simulate_transactions",
                simulate_transactions(&m, &ages, input.seed, purchase_times),
            );
        }
    }
}

fn clv_options(input: &Input) -> ClvOptions {
    ClvOptions {
        horizon_months: input.horizon_months.get_u32(),
        monthly_discount_rate: input.t.get(),
        time_unit: if input.clv_unit % 5 == 4 {
            None
        } else {
            Some(pick(ClvTimeUnit::ALL, input.clv_unit))
        },
        unit_days: input.unit_days.map(Num::get),
    }
}

fn clv(input: &Input, m: &TransactionModelParams, data: &TransactionSummary<'_>) {
    let money = nums(&input.monetary);
    let options = clv_options(input);
    let [p, q, g] = input.spend.map(Num::get);
    let spend = GammaGammaParams::new(p, q, g);
    if let Some(v) = ok_finite(
        "discounted_value",
        discounted_value(m, data, &money, &options),
    ) {
        non_negative("discounted_value", &v);
    }
    let Ok(spend) = spend else { return };
    if let Some(v) = ok_finite(
        "predictive_clv",
        predictive_clv(m, &spend, data, &money, &options),
    ) {
        non_negative("predictive_clv", &v);
    }
    let spend_input = SpendInput {
        params: &spend,
        monetary_value: &money,
        options: &options,
    };
    let r = customer_scores(m, data, input.t.get(), Some(spend_input));
    if let Ok(s) = r {
        // `CustomerScores` is not serialisable: its three columns are checked.
        non_negative("customer_scores.clv", s.clv.as_deref().unwrap_or_default());
        probabilities("customer_scores.probability_alive", &s.probability_alive);
        non_negative("customer_scores.expected_purchases", &s.expected_purchases);
    }
}

fn bgbb(input: &Input) {
    let [a, b, g, d] = [0, 1, 2, 3].map(|i| input.params[i].get());
    let Some(m) = ok_finite("bgbb params", BgBbParams::new(a, b, g, d)) else {
        return;
    };
    let (x, t_x, n_periods) = (input.x.get(), input.t_x.get(), input.age.get());
    let n = input.n.get();
    let future = input.horizon_months.get();
    let (f, r, a) = columns(input);
    let data = TransactionSummary::new(&f, &r, &a);
    match input.op % 8 {
        0 => {
            let r = m.probability_of_transactions(future, n);
            if let Some(v) = ok_finite("bgbb.probability_of_transactions", r) {
                assert_probability("bgbb.probability_of_transactions", v);
            }
        }
        1 => {
            if let Some(v) = ok_finite("bgbb.expected_transactions", m.expected_transactions(n)) {
                assert_non_negative("bgbb.expected_transactions", v);
            }
        }
        2 => {
            if let Some(v) = ok_finite("bgbb.p_alive", m.probability_alive(x, t_x, n_periods)) {
                assert_probability("bgbb.probability_alive", v);
            }
            let r = m.probability_alive_after(future, x, t_x, n_periods);
            if let Some(v) = ok_finite("bgbb.p_alive_after", r) {
                assert_probability("bgbb.probability_alive_after", v);
            }
        }
        3 => {
            let r = m.conditional_expected_transactions(future, x, t_x, n_periods);
            if let Some(v) = ok_finite("bgbb.conditional_expected_transactions", r) {
                assert_non_negative("bgbb.conditional_expected_transactions", v);
            }
            let r = m.conditional_probability_of_transactions(n, future, x, t_x, n_periods);
            if let Some(v) = ok_finite("bgbb.conditional_probability_of_transactions", r) {
                assert_probability("bgbb.conditional_probability_of_transactions", v);
            }
        }
        4 => {
            if let Some(v) = ok_finite("bgbb.dert", m.dert(input.t.get(), x, t_x, n_periods)) {
                assert_non_negative("bgbb.dert", v);
            }
        }
        5 => {
            let _ = ok_finite("bgbb.log_likelihood", m.log_likelihood(&data));
            if let Some(v) = ok_finite(
                "bgbb.p_alive_batch",
                m.probability_alive_batch(future, &data),
            ) {
                probabilities("bgbb.probability_alive_batch", &v);
            }
        }
        6 => {
            let r = m.conditional_expected_transactions_batch(future, &data);
            if let Some(v) = ok_finite("bgbb.cond_expected_batch", r) {
                non_negative("bgbb.conditional_expected_transactions_batch", &v);
            }
            let r = m.conditional_probability_of_transactions_batch(n, future, &data);
            if let Some(v) = ok_finite("bgbb.cond_p_batch", r) {
                probabilities("bgbb.conditional_probability_of_transactions_batch", &v);
            }
            if let Some(v) = ok_finite("bgbb.dert_batch", m.dert_batch(input.t.get(), &data)) {
                non_negative("bgbb.dert_batch", &v);
            }
        }
        _ => {
            let periods = nums(&input.monetary);
            let _ = ok_finite("simulate_bgbb", simulate_bgbb(&m, &periods, input.seed));
        }
    }
}

fn gamma_gamma(input: &Input) {
    let (f, _, _) = columns(input);
    let money = nums(&input.monetary);
    let _ = ok_finite(
        "frequency_monetary_correlation",
        frequency_monetary_correlation(&f, &money),
    );
    let [p, q, g] = input.spend.map(Num::get);
    let Some(m) = ok_finite("gamma_gamma params", GammaGammaParams::new(p, q, g)) else {
        return;
    };
    if let Some(v) = ok_finite("expected_average_spend", m.expected_average_spend()) {
        assert_non_negative("expected_average_spend", v);
    }
    let r = m.conditional_expected_average_spend(input.x.get(), input.t.get());
    if let Some(v) = ok_finite("conditional_expected_average_spend", r) {
        assert_non_negative("conditional_expected_average_spend", v);
    }
    let r = m.conditional_expected_average_spend_batch(&f, &money);
    if let Some(v) = ok_finite("conditional_expected_average_spend_batch", r) {
        non_negative("conditional_expected_average_spend_batch", &v);
    }
    let _ = ok_finite(
        "gamma_gamma.log_likelihood",
        m.log_likelihood(&MonetarySummary::new(&f, &money)),
    );
}

fuzz_target!(|input: Input| {
    match input.family % 6 {
        k @ 0..=3 => transaction(&input, TransactionModelKind::ALL[usize::from(k)]),
        4 => bgbb(&input),
        _ => gamma_gamma(&input),
    }
});
