//! Model statistics computed by the core (not by a door): fits in another
//! time unit, Wald intervals at any level, AIC and BIC.

use retention_core::models::{
    FitOptions, TransactionModelKind, TransactionModelParams, TransactionSummary,
};

const CDNOW_SUMMARY: &str = include_str!("fixtures/cdnow_customers_summary.csv");

fn cdnow() -> (Vec<f64>, Vec<f64>, Vec<f64>) {
    let (mut x, mut tx, mut age) = (Vec::new(), Vec::new(), Vec::new());
    for line in CDNOW_SUMMARY.lines().skip(1) {
        let f: Vec<f64> = line.split(',').map(|v| v.parse().unwrap()).collect();
        x.push(f[1]);
        tx.push(f[2]);
        age.push(f[3]);
    }
    (x, tx, age)
}

fn rel(a: f64, b: f64) -> f64 {
    (a - b).abs() / b.abs().max(1e-300)
}

#[test]
fn a_fit_in_scaled_time_reports_the_data_unit() {
    let (x, tx, age) = cdnow();
    let data = TransactionSummary::new(&x, &tx, &age);
    let top = age.iter().cloned().fold(0.0, f64::max);
    for kind in [TransactionModelKind::BgNbd, TransactionModelKind::ParetoNbd] {
        let plain = TransactionModelParams::fit(kind, &data, &FitOptions::default()).unwrap();
        let scaled =
            TransactionModelParams::fit_rescaled(kind, &data, &FitOptions::default(), 1.0 / top)
                .unwrap();
        for (a, b) in scaled.params.values().iter().zip(plain.params.values()) {
            assert!(rel(*a, b) < 1e-5, "{kind}: {a} vs {b}");
        }
        let (d, p) = (&scaled.diagnostics, &plain.diagnostics);
        assert!((d.log_likelihood - p.log_likelihood).abs() < 1e-6, "{kind}");
        for (a, b) in d
            .standard_errors
            .as_ref()
            .unwrap()
            .iter()
            .zip(p.standard_errors.as_ref().unwrap())
        {
            assert!(rel(*a, *b) < 1e-3, "{kind}: se {a} vs {b}");
        }
    }
    // The published BG/NBD log-likelihood, in weeks, from a fit in units of
    // the longest observation.
    let bg = TransactionModelParams::fit_rescaled(
        TransactionModelKind::BgNbd,
        &data,
        &FitOptions::default(),
        1.0 / top,
    )
    .unwrap();
    assert!((bg.diagnostics.log_likelihood + 9582.43).abs() < 0.01);
    assert!(TransactionModelParams::fit_rescaled(
        TransactionModelKind::BgNbd,
        &data,
        &FitOptions::default(),
        0.0
    )
    .is_err());
}

#[test]
fn intervals_and_information_criteria() {
    let (x, tx, age) = cdnow();
    let data = TransactionSummary::new(&x, &tx, &age);
    let fit =
        TransactionModelParams::fit(TransactionModelKind::BgNbd, &data, &FitOptions::default())
            .unwrap();
    let d = &fit.diagnostics;
    let values = fit.params.values();
    let se = d.standard_errors.clone().unwrap();
    let ci = d.confidence_intervals(&values, 0.95).unwrap().unwrap();
    for ((lo, hi), (v, s)) in ci.iter().zip(values.iter().zip(&se)) {
        // z = Φ⁻¹(0.975) = 1.959963984540054.
        assert!((hi - v - 1.959963984540054 * s).abs() < 1e-9 * s.max(1.0));
        assert!((v - lo - 1.959963984540054 * s).abs() < 1e-9 * s.max(1.0));
    }
    let wide = d.confidence_intervals(&values, 0.99).unwrap().unwrap();
    assert!(wide[0].0 < ci[0].0 && wide[0].1 > ci[0].1);
    assert!(d.confidence_intervals(&values, 1.0).is_err());
    assert!(d.confidence_intervals(&values, f64::NAN).is_err());
    // AIC 2k − 2ℓ, BIC k ln n − 2ℓ with n = 2,357 customers.
    assert!((d.aic() - (8.0 - 2.0 * d.log_likelihood)).abs() < 1e-9);
    assert!((d.bic() - (4.0 * 2357f64.ln() - 2.0 * d.log_likelihood)).abs() < 1e-9);
    assert!((d.aic() - 19172.86).abs() < 0.02);
}

#[test]
fn a_horizon_per_row_equals_the_batch_of_each_horizon() {
    use retention_core::models::TransactionModel;
    use retention_core::{Error, IssueKind};
    let (x, tx, age) = cdnow();
    let n = 300;
    let data = TransactionSummary::new(&x[..n], &tx[..n], &age[..n]);
    let model = TransactionModelParams::from_values(
        TransactionModelKind::BgNbd,
        &[0.2426, 4.4136, 0.7929, 2.4259],
    )
    .unwrap();
    let horizons: Vec<f64> = (0..n).map(|i| [1.0, 39.0, 0.0, 52.5][i % 4]).collect();
    let each = model
        .conditional_expected_purchases_each(&horizons, &data)
        .unwrap();
    for t in [1.0, 39.0, 0.0, 52.5] {
        let batch = model
            .conditional_expected_purchases_batch(t, &data)
            .unwrap();
        for i in (0..n).filter(|&i| horizons[i] == t) {
            assert_eq!(each[i].to_bits(), batch[i].to_bits(), "row {i}, t {t}");
        }
    }
    let mut bad = horizons.clone();
    bad[7] = -1.0;
    bad[9] = f64::NAN;
    let Err(Error::InvalidRows { issues }) = model.conditional_expected_purchases_each(&bad, &data)
    else {
        panic!("bad horizons accepted")
    };
    let got: Vec<_> = issues
        .iter()
        .map(|i| (i.row, i.field, i.kind.clone()))
        .collect();
    assert_eq!(
        got,
        [
            (7, "t", IssueKind::Negative),
            (9, "t", IssueKind::NotFinite)
        ]
    );
    assert!(model
        .conditional_expected_purchases_each(&horizons[..3], &data)
        .is_err());
}
