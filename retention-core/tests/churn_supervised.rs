//! The supervised churn model on the generated sample shop: a time-based
//! split (train on one cutoff, test on a later one whose labels start after the
//! training labels end), compared with the recency-only baseline; and a
//! leakage test showing features ignore everything after the cutoff.

use retention_core::churn::supervised::{
    churn_features, churn_labels, evaluate, time_split, LogisticModel, LogisticOptions, TimeSplit,
};
use retention_core::events::{Event, EventKind, EventLog, LogOptions, Severity};
use retention_core::sample::{generate, generate_log, SampleOptions};
use retention_core::time::{days, from_micros};

const HORIZON: u32 = 90;

#[test]
fn model_beats_recency_baseline_on_a_time_split() {
    let options = SampleOptions {
        customers: 6_000,
        ..SampleOptions::default()
    };
    let log = generate_log(&options).unwrap();
    let end = options.as_of;
    let test_cutoff = end - days(i64::from(HORIZON));
    let train_cutoff = test_cutoff - days(i64::from(HORIZON));

    let TimeSplit {
        train,
        train_labels,
        test,
        test_labels,
    } = time_split(&log, train_cutoff, test_cutoff, HORIZON, end).unwrap();
    let model =
        LogisticModel::fit(&train.rows, &train_labels, &LogisticOptions::default()).unwrap();
    // Label windows that overlap the test period are refused.
    assert!(time_split(&log, train_cutoff, train_cutoff + days(10), HORIZON, end).is_err());
    let probabilities = model.predict_many(&test.rows).unwrap();
    let model_eval = evaluate(&probabilities, &test_labels).unwrap();
    // Baseline: days since the last order (feature 0) as the score.
    let recency: Vec<f64> = test.rows.iter().map(|r| r[0]).collect();
    let baseline = evaluate(&recency, &test_labels).unwrap();

    let (m, b) = (model_eval.roc_auc.unwrap(), baseline.roc_auc.unwrap());
    println!(
        "train {} customers (cutoff {}), test {} (cutoff {}), churn rate {:.3}: ROC-AUC model {m:.4} vs recency {b:.4}; PR-AUC {:.4} vs {:.4}; lift {:.2}; Brier {:.4}",
        train.ids.len(),
        from_micros(train_cutoff).date_naive(),
        test.ids.len(),
        from_micros(test_cutoff).date_naive(),
        model_eval.positives as f64 / model_eval.count as f64,
        model_eval.pr_auc.unwrap(),
        baseline.pr_auc.unwrap(),
        model_eval.top_decile_lift.unwrap(),
        model_eval.brier.unwrap(),
    );
    assert!(test.ids.len() > 3_000);
    assert!(m > b, "model {m} must beat the recency baseline {b}");
    assert!(m > 0.7, "{m}");
    // Calibrated enough for a calibration table to be meaningful.
    let brier = model_eval.brier.unwrap();
    let rate = model_eval.positives as f64 / model_eval.count as f64;
    assert!(
        brier < rate * (1.0 - rate),
        "Brier {brier} must beat the constant predictor"
    );
    let filled: usize = model_eval.calibration.iter().map(|b| b.count).sum();
    assert_eq!(filled, model_eval.count);
}

#[test]
fn features_ignore_events_after_the_cutoff() {
    let options = SampleOptions {
        customers: 500,
        ..SampleOptions::default()
    };
    let mut events = generate(&options).unwrap();
    let cutoff = options.as_of - days(120);
    let log = EventLog::from_events(&events, LogOptions::default()).unwrap();
    let reference = churn_features(&log, cutoff);
    // Only the past.
    let past = churn_features(&log.up_to(cutoff - 1), cutoff);
    assert_eq!(past, reference);
    // Add loud future events for every customer: big orders, a critical ticket, sessions.
    let future = from_micros(cutoff);
    for id in log.customers() {
        events.push(Event::order(id.clone(), future, 9_999.0));
        events.push(Event::new(
            id.clone(),
            future + chrono::Duration::days(1),
            EventKind::SupportTicket {
                severity: Severity::Critical,
                resolved: false,
            },
        ));
        events.push(Event::new(
            id.clone(),
            future + chrono::Duration::days(2),
            EventKind::Session,
        ));
    }
    let noisy = EventLog::from_events(&events, LogOptions::default()).unwrap();
    assert_eq!(churn_features(&noisy, cutoff), reference);
    // ... while the labels do see them (nobody churns when everybody orders at the cutoff).
    let labels = churn_labels(&noisy, &reference.ids, cutoff, 30, options.as_of).unwrap();
    assert!(labels.iter().all(|&churned| !churned));
    // Immature labels are refused.
    assert!(churn_labels(&noisy, &reference.ids, cutoff, 200, options.as_of).is_err());
}
