//! Properties of the holdout evaluation (`models::evaluation`) over random
//! models and data: the tracking series is invariant to the time unit (a
//! BG/NBD model's expected purchases depend on `t / α` only, so `m` periods
//! per unit with `α / m` track exactly like one period per unit with `α`,
//! at every `m`-th row), incremental rows add up to the cumulative ones, the
//! frequency buckets hold every customer, and the error metrics are ordered
//! (`MAE ≤ RMSE`, `|r| ≤ 1`).

use proptest::prelude::*;
use retention_core::models::bgnbd::BgNbdParams;
use retention_core::models::evaluation::{
    conditional_holdout_table, holdout_metrics, period_transactions, tracking_series, HoldoutData,
    HoldoutGroupBy, TrackingCounts,
};
use retention_core::models::{TransactionModelParams, TransactionSummary};

fn param() -> impl Strategy<Value = f64> {
    (-1.0..1.5f64).prop_map(|e| 10f64.powf(e))
}

fn counts() -> impl Strategy<Value = TrackingCounts> {
    (1usize..60).prop_flat_map(|n| {
        (
            prop::collection::vec(0u32..20, n),
            prop::collection::vec(0u32..30, n),
        )
            .prop_map(move |(first, repeat)| TrackingCounts {
                period_starts: (0..n as i64).collect(),
                first_purchases: first.into_iter().map(f64::from).collect(),
                repeat_transactions: repeat.into_iter().map(f64::from).collect(),
            })
    })
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1.0)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn tracking_is_invariant_to_the_time_unit(
        (r, alpha, a, b) in (param(), param(), param(), param()),
        c in counts(),
        m in 1usize..5,
    ) {
        let periods = c.first_purchases.len();
        prop_assume!(m <= periods);
        let daily = BgNbdParams::new(r, alpha, a, b).unwrap();
        let coarse = BgNbdParams::new(r, alpha / m as f64, a, b).unwrap();
        let one = tracking_series(&daily, &c, 1).unwrap();
        let many = tracking_series(&coarse, &c, m).unwrap();
        prop_assert_eq!(many.len(), periods / m);
        for (k, row) in many.iter().enumerate() {
            let same = &one[(k + 1) * m - 1];
            prop_assert_eq!(row.actual_cumulative, same.actual_cumulative);
            prop_assert!(close(row.expected_cumulative, same.expected_cumulative),
                "{} vs {}", row.expected_cumulative, same.expected_cumulative);
            prop_assert_eq!(row.period_start, same.period_start);
        }
        let mut sum = (0.0, 0.0);
        for row in &one {
            sum.0 += row.actual_incremental;
            sum.1 += row.expected_incremental;
            prop_assert_eq!(sum.0, row.actual_cumulative);
            prop_assert!(close(sum.1, row.expected_cumulative));
            prop_assert!(row.expected_incremental >= -1e-9 * row.expected_cumulative.max(1.0));
        }
    }

    #[test]
    fn buckets_hold_every_customer_and_metrics_are_ordered(
        (r, alpha, a, b) in (param(), param(), param(), param()),
        rows in prop::collection::vec((0u32..12, 0.0..1.0f64, 0.0..60.0f64, 0u32..6), 1..40),
        max_frequency in 1usize..10,
        duration in 0.0..50.0f64,
    ) {
        let model = TransactionModelParams::BgNbd(BgNbdParams::new(r, alpha, a, b).unwrap());
        let x: Vec<f64> = rows.iter().map(|r| f64::from(r.0)).collect();
        let age: Vec<f64> = rows.iter().map(|r| r.2).collect();
        let t_x: Vec<f64> = rows.iter().zip(&x).map(|(r, &x)| if x == 0.0 { 0.0 } else { r.1 * r.2 }).collect();
        let hold: Vec<f64> = rows.iter().map(|r| f64::from(r.3)).collect();
        let data = TransactionSummary::new(&x, &t_x, &age);
        let buckets = period_transactions(&model, &data, max_frequency).unwrap();
        prop_assert_eq!(buckets.len(), max_frequency + 1);
        let actual: f64 = buckets.iter().map(|b| b.actual).sum();
        let expected: f64 = buckets.iter().map(|b| b.expected).sum();
        prop_assert_eq!(actual, rows.len() as f64);
        prop_assert!(close(expected, rows.len() as f64), "{}", expected);

        let split = HoldoutData { calibration: data, frequency_holdout: &hold, duration_holdout: duration };
        let metrics = holdout_metrics(&model, &split).unwrap();
        prop_assert!(metrics.mae <= metrics.rmse * (1.0 + 1e-12) + 1e-300);
        if let Some(c) = metrics.correlation {
            prop_assert!((-1.0..=1.0).contains(&c));
        }
        for by in HoldoutGroupBy::ALL {
            let table = conditional_holdout_table(&model, &split, *by, 1000).unwrap();
            let customers: usize = table.iter().map(|g| g.customers).sum();
            prop_assert_eq!(customers, rows.len());
            prop_assert!(table.windows(2).all(|w| w[0].value < w[1].value));
            let total: f64 = table.iter().map(|g| g.expected_mean * g.customers as f64).sum();
            prop_assert!(close(total, metrics.expected_total));
        }
    }
}
