//! The scalar metrics, experiments, time and the churn model from arbitrary
//! numbers: retention and churn rates, lifespans, CLV formulas, survey
//! metrics, the two-proportion z-test, calendars and windows, and the
//! logistic churn model (fit, predict, evaluate). Each answers `Ok` with
//! finite numbers in their range or a typed error, in bounded time.

#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use retention_core::churn::supervised::{evaluate, LogisticModel, LogisticOptions};
use retention_core::experiments::{two_proportion_z_test, Proportion, ZTestOptions};
use retention_core::metrics::{
    ces, churn_rate, clv_with_margin, csat, customer_loyalty_index, customer_retention_rate,
    lifespan_from_churn, nps, retention_clv, simple_clv, CsatOptions, Window,
};
use retention_core::time::{Calendar, Period};
use retention_fuzz::{
    assert_probability, cap, nums, ok_finite, ok_finite_debug, Count, Instant, Num,
};

#[derive(Arbitrary, Debug)]
struct Input {
    op: u8,
    a: Count,
    b: Count,
    c: Count,
    x: Num,
    y: Num,
    z: Num,
    w: Num,
    numbers: Vec<Num>,
    rows: Vec<([Num; 3], bool)>,
    instant: Instant,
    index: i64,
    offset: i32,
    period: u8,
}

fuzz_target!(|input: Input| {
    let (a, b, c) = (input.a.get(), input.b.get(), input.c.get());
    let (x, y, z, w) = (input.x.get(), input.y.get(), input.z.get(), input.w.get());
    match input.op % 6 {
        0 => {
            if let Some(Some(r)) =
                ok_finite("customer_retention_rate", customer_retention_rate(a, b, c))
            {
                assert!(r.is_finite() && r <= 1.0, "customer_retention_rate = {r}");
            }
            if let Some(Some(r)) = ok_finite("churn_rate", churn_rate(a, b)) {
                assert_probability("churn_rate", r);
            }
            let _ = ok_finite("lifespan_from_churn", lifespan_from_churn(x));
        }
        1 => {
            let _ = ok_finite("simple_clv", simple_clv(x, y, z));
            let _ = ok_finite("clv_with_margin", clv_with_margin(x, y, z, w));
            let _ = ok_finite("retention_clv", retention_clv(x, y, z));
        }
        2 => {
            let answers = nums(&input.numbers);
            let _ = ok_finite("nps", nps(&answers));
            let _ = ok_finite("csat", csat(&answers, CsatOptions::default()));
            let _ = ok_finite("ces", ces(&answers, input.c.get_u32()));
            let n = answers.len() / 3;
            let _ = ok_finite(
                "customer_loyalty_index",
                customer_loyalty_index(&answers[..n], &answers[n..2 * n], &answers[2 * n..3 * n]),
            );
        }
        3 => {
            let treatment = Proportion {
                successes: a,
                total: b,
            };
            let control = Proportion {
                successes: c,
                total: b.wrapping_add(c),
            };
            let options = ZTestOptions { confidence: x };
            let r = two_proportion_z_test(treatment, control, &options);
            if let Some(p) = ok_finite("two_proportion_z_test", r).and_then(|t| t.p_value) {
                assert_probability("z_test.p_value", p);
            }
        }
        4 => {
            let period = match input.period % 5 {
                0 => Period::Day,
                1 => Period::Week {
                    starts_on: chrono::Weekday::Sun,
                },
                2 => Period::Month,
                3 => Period::Quarter,
                _ => Period::Year,
            };
            let Ok(cal) = Calendar::with_offset(period, input.offset) else {
                return;
            };
            let t = input.instant.micros();
            let i = cal.index(t);
            let _ = cal.start(i);
            let _ = cal.end(i);
            let _ = cal.last_complete(t);
            let _ = cal.start(input.index);
            let _ = retention_core::cohorts::period_label(&cal, input.index);
            let _ = ok_finite_debug("window", Window::period(&cal, input.index));
        }
        _ => {
            let rows = cap(&input.rows);
            let features: Vec<[f64; 3]> = rows.iter().map(|r| r.0.map(Num::get)).collect();
            let labels: Vec<bool> = rows.iter().map(|r| r.1).collect();
            let options = LogisticOptions {
                l2: x,
                max_iterations: usize::from(input.period),
                ..LogisticOptions::default()
            };
            if let Some(m) = ok_finite(
                "logistic_fit",
                LogisticModel::fit(&features, &labels, &options),
            ) {
                if let Some(p) = ok_finite("predict_many", m.predict_many(&features)) {
                    for &q in &p {
                        assert_probability("logistic.predict", q);
                    }
                    let _ = ok_finite("evaluate", evaluate(&p, &labels));
                }
            }
            let scores = nums(&input.numbers);
            let n = scores.len().min(labels.len());
            let _ = ok_finite("evaluate", evaluate(&scores[..n], &labels[..n]));
        }
    }
});
