//! Value tiers by predicted CLV: the published CDNOW BG/NBD and Gamma-Gamma
//! estimates, applied to the CDNOW calibration summary built from the raw log.

use chrono::NaiveDate;
use retention_core::events::{Event, EventLog, LogOptions};
use retention_core::model_input::{model_input, ModelInputOptions, OrdersAfterEnd};
use retention_core::models::bgnbd::BgNbdParams;
use retention_core::models::clv::{predictive_clv, ClvOptions, ClvTimeUnit};
use retention_core::models::gamma_gamma::GammaGammaParams;
use retention_core::models::TransactionSummary;
use retention_core::segments::tiers::{default_value_tiers, value_tiers};
use retention_core::summary::OrderDays;
use retention_core::time::to_micros;

#[test]
fn predicted_clv_tiers_on_cdnow() {
    let events: Vec<Event> = include_str!("fixtures/CDNOW_sample.txt")
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|line| {
            let f: Vec<&str> = line.split_whitespace().collect();
            let date = NaiveDate::parse_from_str(f[2], "%Y%m%d").unwrap();
            Event::order(
                f[1].parse::<i64>().unwrap(),
                date.and_hms_opt(0, 0, 0).unwrap().and_utc(),
                f[4].parse().unwrap(),
            )
        })
        .collect();
    let days = OrderDays::from_log(&EventLog::from_events(&events, LogOptions::default()).unwrap());
    let end = to_micros(
        NaiveDate::from_ymd_opt(1997, 9, 30)
            .unwrap()
            .and_hms_opt(0, 0, 0)
            .unwrap()
            .and_utc(),
    );
    let input = model_input(
        &days,
        &ModelInputOptions {
            multiplier: 7.0,
            after_end: OrdersAfterEnd::Ignore,
            ..ModelInputOptions::new(end)
        },
    )
    .unwrap();

    let purchases = BgNbdParams::new(0.2426, 4.4136, 0.7929, 2.4259).unwrap();
    let spend = GammaGammaParams::new(6.25, 3.74, 15.44).unwrap();
    let data = TransactionSummary::new(&input.frequency, &input.recency, &input.t);
    let options = ClvOptions {
        time_unit: Some(ClvTimeUnit::Week),
        ..ClvOptions::default()
    };
    let clv = predictive_clv(&purchases, &spend, &data, &input.monetary_value, &options).unwrap();
    assert!(clv.iter().all(|v| v.is_finite() && *v >= 0.0));

    let values: Vec<_> = input.ids.iter().cloned().zip(clv.iter().copied()).collect();
    let tiers = value_tiers(&values, &default_value_tiers()).unwrap();
    let count = |name: &str| tiers.iter().filter(|t| t.tier == name).count();
    // n = 2,357: ⌈0.01 n⌉ = 24, ⌈0.05 n⌉ = 118, ⌈0.20 n⌉ = 472.
    assert_eq!(
        (
            count("Top 1%"),
            count("Top 5%"),
            count("Top 20%"),
            count("Rest")
        ),
        (24, 94, 354, 1885)
    );
    // Ranked by predicted value: every top-tier customer is worth at least any other.
    let floor = tiers
        .iter()
        .filter(|t| t.tier == "Top 1%")
        .map(|t| t.value)
        .fold(f64::INFINITY, f64::min);
    assert!(tiers
        .iter()
        .filter(|t| t.tier != "Top 1%")
        .all(|t| t.value <= floor));
    assert_eq!(tiers[0].rank, 1);
}
