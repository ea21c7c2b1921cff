//! Regression inputs for the fuzz targets in `fuzz/` (see `fuzz/README.md`).
//!
//! Every crash a fuzz target finds becomes a test here, with its input, so it
//! stays fixed on stable `cargo test`. No target has crashed so far; the
//! tests below pin the invariants the targets check on their hardest known
//! inputs (non-finite payloads, instants at chrono's limits, CSV timestamps
//! outside RFC 3339's years).

use chrono::{DateTime, Utc};
use retention_core::csv_input::{parse_csv, read_csv, to_csv_string};
use retention_core::events::{
    CustomerId, DuplicatePolicy, Event, EventKind, EventLog, LogOptions, SubscriptionChange,
    SurveyKind,
};
use retention_core::summary::Summaries;
use retention_core::Error;

#[test]
fn non_finite_payloads_are_row_issues() {
    let t = DateTime::<Utc>::UNIX_EPOCH;
    let events = vec![
        Event::new(
            1,
            t,
            EventKind::Order {
                amount: f64::NAN,
                items: Some(u32::MAX),
            },
        ),
        Event::new(
            1,
            t,
            EventKind::Refund {
                amount: f64::NEG_INFINITY,
            },
        ),
        Event::new(
            1,
            t,
            EventKind::Survey {
                kind: SurveyKind::Nps,
                score: f64::INFINITY,
            },
        ),
        Event::new(
            1,
            t,
            EventKind::Subscription {
                change: SubscriptionChange::Churn,
                mrr_delta: -0.0,
            },
        ),
        Event::new(1, t, EventKind::PointsRedeemed { points: f64::MAX }),
    ];
    for policy in [
        DuplicatePolicy::Keep,
        DuplicatePolicy::Drop,
        DuplicatePolicy::Reject,
    ] {
        match EventLog::from_events(
            &events,
            LogOptions {
                duplicates: policy,
                ..LogOptions::default()
            },
        ) {
            Err(Error::InvalidRows { issues }) => {
                let rows: Vec<usize> = issues.iter().map(|i| i.row).collect();
                assert_eq!(rows, vec![0, 0, 1, 2, 3, 4]);
            }
            other => panic!("{other:?}"),
        }
    }
}

#[test]
fn instants_at_chrono_limits_build_and_summarise() {
    let events = vec![
        Event::order(CustomerId::from(""), DateTime::<Utc>::MIN_UTC, 0.0),
        Event::order(CustomerId::from(""), DateTime::<Utc>::MAX_UTC, 1e12),
        Event::new(i64::MIN, DateTime::<Utc>::MAX_UTC, EventKind::Session),
    ];
    let log = EventLog::from_events(&events, LogOptions::default()).unwrap();
    let whole = Summaries::from_log(&log);
    let a =
        Summaries::from_log(&EventLog::from_events(&events[..1], LogOptions::default()).unwrap());
    let b =
        Summaries::from_log(&EventLog::from_events(&events[1..], LogOptions::default()).unwrap());
    assert_eq!(a.merge(&b), whole);
}

#[test]
fn csv_years_outside_rfc3339_are_read() {
    // Year −1 after applying the offset: readable, but RFC 3339 output cannot
    // express it, so the fuzz target skips the round trip for such logs.
    let log = parse_csv(
        "customer_id,timestamp,event\n1,0000-01-01T00:00:00+01:00,session\n",
        LogOptions::default(),
    )
    .unwrap();
    let text = to_csv_string(&log);
    assert!(text.contains("-0001-12-31T23:00:00Z"), "{text}");
    let _ = read_csv(text.as_bytes(), LogOptions::default());
}

#[test]
fn degenerate_csv_inputs_are_typed_errors() {
    for bytes in [
        &b""[..],
        b"\n\n",
        b"\"",
        b"customer_id,timestamp\n\"unterminated,2024-01-01\n",
        b"\xef\xbb\xbf",
        b"customer_id,customer_id\n",
        b"customer_id,timestamp\n1,2024-02-30\n",
        b"customer_id,timestamp,event\n1,+275760-01-01,session\n",
    ] {
        let _ = read_csv(bytes, LogOptions::default());
    }
}

// ---------------------------------------------------------------------------
// Bounded work (issue 17, item 2): arguments that set the amount of work are
// checked against a documented limit (or cost nothing as they grow). Each
// test below would hang or abort without its limit; none asserts a time.
// ---------------------------------------------------------------------------

use retention_core::models::bgbb::{self, BgBbParams, MAX_OPPORTUNITIES};
use retention_core::models::clv::{predictive_clv, ClvOptions, MAX_HORIZON_MONTHS};
use retention_core::models::gamma_gamma::GammaGammaParams;
use retention_core::models::pareto_nbd::ParetoNbdParams;
use retention_core::models::{FitOptions, TransactionModel, TransactionSummary};
use retention_core::IssueKind;

fn donations() -> BgBbParams {
    BgBbParams::new(1.204, 0.750, 0.657, 2.783).unwrap()
}

fn is_parameter(result: retention_core::Result<impl std::fmt::Debug>, want: &str) {
    match result {
        Err(Error::InvalidParameter { name, .. }) => assert_eq!(name, want),
        other => panic!("{other:?}"),
    }
}

fn is_age_out_of_range<T: std::fmt::Debug>(result: retention_core::Result<T>) {
    match result {
        Err(Error::InvalidRows { issues }) => {
            assert_eq!(issues.len(), 1, "{issues:?}");
            assert_eq!(issues[0].field, "age");
            assert_eq!(
                issues[0].kind,
                IssueKind::OutOfRange {
                    min: 0.0,
                    max: MAX_OPPORTUNITIES as f64
                }
            );
        }
        other => panic!("{other:?}"),
    }
}

/// `probability_of_transactions(0, 2⁴⁰)` summed 2⁴⁰ terms (never returned).
#[test]
fn bgbb_transaction_probability_with_huge_n_is_a_typed_error() {
    let m = donations();
    is_parameter(m.probability_of_transactions(0, 1 << 40), "n");
    is_parameter(m.probability_of_transactions(u64::MAX, u64::MAX), "n");
    // At the limit: a probability.
    let p = m.probability_of_transactions(3, MAX_OPPORTUNITIES).unwrap();
    assert!(p > 0.0 && p < 1.0, "{p}");
}

/// P(alive), the conditional expectations and the fit summed one term per
/// period: 10¹⁵ periods hung.
#[test]
fn bgbb_histories_with_huge_n_are_typed_errors() {
    let m = donations();
    for n in [1e15, (MAX_OPPORTUNITIES + 1) as f64, f64::MAX] {
        is_age_out_of_range(m.probability_alive(0.0, 0.0, n));
        is_age_out_of_range(m.probability_alive_after(7, 1.0, 1.0, n));
        is_age_out_of_range(m.conditional_expected_transactions(5, 0.0, 0.0, n));
        is_age_out_of_range(m.dert(0.1, 0.0, 0.0, n));
        let (x, tx, age) = ([0.0], [0.0], [n]);
        let data = TransactionSummary::new(&x, &tx, &age);
        is_age_out_of_range(m.probability_alive_batch(1, &data));
        is_age_out_of_range(m.log_likelihood(&data));
        is_age_out_of_range(bgbb::fit(&data, &FitOptions::default()));
    }
    // At the limit: finite answers in range (the sum has 10⁵ terms).
    let n = MAX_OPPORTUNITIES as f64;
    let alive = m.probability_alive(2.0, 3.0, n).unwrap();
    assert!((0.0..=1.0).contains(&alive), "{alive}");
    let e = m
        .conditional_expected_transactions(10, 2.0, 3.0, n)
        .unwrap();
    assert!((0.0..=10.0).contains(&e), "{e}");
    let ll = m
        .log_likelihood(&TransactionSummary::new(&[2.0], &[3.0], &[n]))
        .unwrap();
    assert!(ll.is_finite() && ll < 0.0, "{ll}");
}

/// The summed likelihood (block recurrence) agrees with the direct sum of
/// FHS 2010 eq. 5 term by term, computed here from `ln B` on a long history.
#[test]
fn bgbb_likelihood_sum_matches_the_direct_sum() {
    let m = donations();
    let ln_beta = |a: f64, b: f64| {
        retention_core::special::ln_gamma(a) + retention_core::special::ln_gamma(b)
            - retention_core::special::ln_gamma(a + b)
    };
    let (a, b, g, d) = (m.alpha, m.beta, m.gamma, m.delta);
    for &(x, t_x, n) in &[
        (0.0, 0.0, 6.0),
        (3.0, 5.0, 6.0),
        (4.0, 40.0, 1000.0),
        (0.0, 0.0, 777.0),
    ] {
        let mut terms =
            vec![ln_beta(a + x, b + n - x) - ln_beta(a, b) + ln_beta(g, d + n) - ln_beta(g, d)];
        let mut i = 0.0;
        while i < n - t_x {
            terms.push(
                ln_beta(a + x, b + t_x - x + i) - ln_beta(a, b) + ln_beta(g + 1.0, d + t_x + i)
                    - ln_beta(g, d),
            );
            i += 1.0;
        }
        let top = terms.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
        let want = top + terms.iter().map(|t| (t - top).exp()).sum::<f64>().ln();
        let got = m
            .log_likelihood(&TransactionSummary::new(&[x], &[t_x], &[n]))
            .unwrap();
        assert!(
            (got - want).abs() < 1e-11 * want.abs().max(1.0),
            "{x} {t_x} {n}: {got} vs {want}"
        );
    }
}

/// `predictive_clv` with `u32::MAX` months tried to allocate 34 GB and
/// aborted the process.
#[test]
fn clv_with_huge_horizon_is_a_typed_error() {
    let model = ParetoNbdParams::new(0.5532, 10.578, 0.6062, 11.669).unwrap();
    let spend = GammaGammaParams::new(6.25, 3.74, 15.44).unwrap();
    let (x, tx, age, mv) = ([2.0, 0.0], [30.43, 0.0], [38.86, 38.86], [22.35, 0.0]);
    let data = TransactionSummary::new(&x, &tx, &age);
    for months in [u32::MAX, MAX_HORIZON_MONTHS + 1] {
        let options = ClvOptions {
            horizon_months: months,
            ..ClvOptions::default()
        };
        is_parameter(
            predictive_clv(&model, &spend, &data, &mv, &options),
            "horizon_months",
        );
    }
    let options = ClvOptions {
        horizon_months: MAX_HORIZON_MONTHS,
        ..ClvOptions::default()
    };
    let clv = predictive_clv(&model, &spend, &data, &mv, &options).unwrap();
    let year = predictive_clv(&model, &spend, &data, &mv, &ClvOptions::default()).unwrap();
    for (c, y) in clv.iter().zip(&year) {
        assert!(c.is_finite() && c >= y, "{c} {y}");
    }
    // The trait object works the same way.
    let dynamic: &dyn TransactionModel = &model;
    assert!(predictive_clv(dynamic, &spend, &data, &mv, &options).is_ok());
}

/// A spike narrower than rounding resolves (`s = 10⁸`, `β = 10⁻³`) kept the
/// adaptive quadrature splitting panels for 2–5 s per P(alive) and 20 s per
/// log-likelihood; the split budget (`special::QUADRATURE_MAX_SPLITS`) bounds
/// it. The customer dies at once: P(alive) is 0 to rounding.
#[test]
fn pareto_quadrature_on_a_spike_is_bounded() {
    let m = ParetoNbdParams::new(1e-8, 1e-8, 1e8, 1e-3).unwrap();
    for age in [38.0, 1e12] {
        let alive = m.probability_alive(0.0, 0.0, age).unwrap();
        assert!((0.0..1e-12).contains(&alive), "{alive}");
        let e = m
            .conditional_expected_purchases(1e6, 0.0, 0.0, age)
            .unwrap();
        assert!(e.is_finite() && e >= 0.0, "{e}");
    }
    let ll = m
        .log_likelihood(&TransactionSummary::new(&[0.0], &[0.0], &[38.0]))
        .unwrap();
    assert!(ll.is_finite() && ll <= 0.0, "{ll}");
}

/// Parameters running away to 10⁶–10⁷ (a fit whose optimum is at infinity)
/// give log-integrands near −8·10⁷, whose rounding no tolerance of 10⁻¹²
/// can meet: each integral refines until the split budget is spent, and the
/// answer is still finite.
#[test]
fn pareto_integral_with_huge_parameters_is_finite() {
    let m = ParetoNbdParams::new(4_417_700.9, 67_774_421.2, 10_784.4, 83_412.4).unwrap();
    let ll = m
        .log_likelihood(&TransactionSummary::new(
            &[1.0, 0.0],
            &[5.0, 0.0],
            &[30.0, 30.0],
        ))
        .unwrap();
    assert!(ll.is_finite(), "{ll}");
    let alive = m.probability_alive(1.0, 5.0, 30.0).unwrap();
    assert!((0.0..=1.0).contains(&alive), "{alive}");
}

/// `max_iterations` sets the work of a fit that does not converge.
#[test]
fn fit_iterations_beyond_the_limit_are_a_typed_error() {
    let data = TransactionSummary::new(&[1.0, 0.0], &[5.0, 0.0], &[30.0, 30.0]);
    let options = FitOptions {
        max_iterations: usize::MAX,
        ..FitOptions::default()
    };
    is_parameter(
        retention_core::models::pareto_nbd::fit(&data, &options),
        "max_iterations",
    );
    is_parameter(bgbb::fit(&data, &options), "max_iterations");
    assert!(retention_core::models::MAX_FIT_ITERATIONS >= FitOptions::default().max_iterations);
}

// Checked instant and money arithmetic (issue 17, item 3) and bounded work
// outside the models (item 2), in a file of their own.
#[path = "fuzz_regressions/checked.rs"]
mod checked;
// Found by the `model_predictions` and `survival` targets (session 9).

use retention_core::models::bgnbd::{BgNbdParams, MAX_PURCHASE_COUNT};
use retention_core::models::mbgnbd::MbgNbdParams;
use retention_core::survival::{restricted_mean_survival_time, KaplanMeier, KaplanMeierOptions};

/// `model_predictions`, timeout: MBG/NBD `probability_of_purchases(2⁶³,
/// 1.8e124)` with every parameter 1 summed 2⁶³ negative binomial terms.
/// BG/NBD shares the tail sum.
#[test]
fn purchase_count_probability_with_huge_n_is_a_typed_error() {
    let mbg = MbgNbdParams::new(1.0, 1.0, 1.0, 1.0).unwrap();
    is_parameter(
        mbg.probability_of_purchases(1 << 63, 1.784_593_580_272_974_4e124),
        "n",
    );
    let bg = BgNbdParams::new(1.0, 1.0, 1.0, 1.0).unwrap();
    is_parameter(
        bg.probability_of_purchases(MAX_PURCHASE_COUNT + 1, 1e9),
        "n",
    );
    // At the limit the answer still comes: with r = 1 the count is
    // geometric given alive, and a mean of 1e9 puts almost all of the mass
    // of N(0, t] beyond 10⁶ purchases, so P(N = 10⁶) is tiny but valid.
    let p = bg
        .probability_of_purchases(MAX_PURCHASE_COUNT, 1e9)
        .unwrap();
    assert!((0.0..1e-6).contains(&p), "{p}");
    // The limit leaves ordinary counts alone: P(N = 0) at t = 0 is 1.
    assert_eq!(mbg.probability_of_purchases(0, 0.0).unwrap(), 1.0);
}

/// `survival`, NaN in `Ok`: one censored duration of −5.5e303 and `t = 0`
/// gave an RMST variance of ∞ − ∞ = NaN (squares of the times overflow).
#[test]
fn rmst_that_overflows_is_a_typed_error() {
    let km = KaplanMeier::fit(
        &[-5.486_464_985_701_485e303],
        &[false],
        &KaplanMeierOptions::default(),
    )
    .unwrap();
    let r = retention_core::survival::km_restricted_mean_survival_time(&km, 0.0);
    assert!(matches!(r, Err(Error::NonFiniteResult { .. })), "{r:?}");
    // Ordinary times are untouched: one event at 2, t = 3 integrates S = 1
    // on [0, 2) and S = 0 after: mean 2, variance E[min(T,3)²] − 4 = 0.
    let r = restricted_mean_survival_time(&[2.0], &[true], 3.0).unwrap();
    assert_eq!((r.mean, r.variance), (2.0, 0.0));
}

/// `model_predictions`, ∞ in `Ok`: simulating a GGompertz/NBD customer with
/// `β = 5e-324` drew a dropout rate `η = Gamma(s)/β = ∞`.
#[test]
fn simulation_with_an_overflowing_rate_is_a_typed_error() {
    use retention_core::models::ggomnbd::GgomNbdParams;
    use retention_core::models::simulate::simulate_transactions;
    use retention_core::models::TransactionModelParams;
    let m =
        TransactionModelParams::GgomNbd(GgomNbdParams::new(1.0, 1.0, 1.0, 1.0, 5e-324).unwrap());
    let r = simulate_transactions(&m, &[0.0], 0, true);
    assert!(
        matches!(r, Err(Error::NonFiniteResult { row: Some(0), .. })),
        "{r:?}"
    );
    // The same model with β = 1 simulates: T = 0 leaves no purchase.
    let m = TransactionModelParams::GgomNbd(GgomNbdParams::new(1.0, 1.0, 1.0, 1.0, 1.0).unwrap());
    let s = simulate_transactions(&m, &[0.0], 0, true).unwrap();
    assert_eq!(s.frequency, vec![0.0]);
}

/// `survival`, ∞ in `Ok`: an exponential fit on one event at 1e241 has
/// λ = 1e241 and a covariance λ²/d that overflows.
#[test]
fn parametric_fit_whose_covariance_overflows_is_a_typed_error() {
    use retention_core::survival::{SampleWeights, UnivariateModel, UnivariateParametric};
    let fit = |d: f64| {
        UnivariateParametric::fit(
            &UnivariateModel::Exponential,
            &[d],
            &[true],
            &SampleWeights::default(),
        )
    };
    let r = fit(1e241);
    assert!(matches!(r, Err(Error::NonFiniteResult { .. })), "{r:?}");
    // One event at 4: λ = 4 (the mean), covariance λ²/1 = 16.
    let m = fit(4.0).unwrap();
    assert_eq!((m.params[0], m.covariance[0]), (4.0, 16.0));
}

/// `log_analytics`, overflow (a panic in the checked build): churn features
/// of a session at chrono's earliest instant with the cutoff at its latest
/// subtracted the instants without a check. The session is then ~5·10¹⁵
/// days old: outside the 30-day window.
#[test]
fn churn_features_with_instants_at_chrono_limits() {
    use retention_core::churn::supervised::churn_features;
    use retention_core::churn::supervised::FEATURE_NAMES;
    let events = vec![
        Event::new(
            CustomerId::from(""),
            DateTime::<Utc>::MIN_UTC,
            EventKind::Session,
        ),
        Event::order(CustomerId::from(""), DateTime::<Utc>::MIN_UTC, 1.0),
    ];
    let log = EventLog::from_events(&events, LogOptions::default()).unwrap();
    let f = churn_features(&log, DateTime::<Utc>::MAX_UTC.timestamp_micros());
    let sessions = FEATURE_NAMES
        .iter()
        .position(|&n| n == "log_sessions_last_30d");
    let sessions = sessions.expect("a sessions feature");
    // The session is not in the last 30 days: ln(1 + 0) = 0 (a wrapped age
    // was negative and counted it).
    assert_eq!(f.rows[0][sessions], 0.0, "{f:?}");
}

/// `contractual`, overflow: the discounted expected residual lifetime after
/// `u64::MAX` renewals added its 100 direct terms past `u64::MAX`.
#[test]
fn residual_lifetime_after_u64_max_renewals_is_a_typed_error() {
    use retention_core::models::contractual::ContractualParams;
    let m = ContractualParams::bdw(1.0, 1.0, 1.0).unwrap();
    let r = m.discounted_expected_residual_lifetime(1.0, u64::MAX);
    assert!(r.is_err(), "{r:?}");
    // With c = 1 the BdW is the sBG: α = β = 1 and d = 1 after 0 renewals
    // sum to Σₜ S(t+1)/S(1)/(1+d)ᵗ > 0, finite.
    let v = m.discounted_expected_residual_lifetime(1.0, 0).unwrap();
    assert!(v.is_finite() && v > 0.0, "{v}");
}

/// `metrics_experiments`, ∞ in `Ok`: a churn-model feature of 1e244 has a
/// variance that overflows, so its scale was ∞ (every weight then 0).
#[test]
fn logistic_feature_whose_variance_overflows_is_a_typed_error() {
    use retention_core::churn::supervised::{LogisticModel, LogisticOptions};
    let rows = [[1.0, 1e244, 1.0], [5e-323, 0.0, 0.0]];
    let r = LogisticModel::fit(&rows, &[true, false], &LogisticOptions::default());
    is_parameter(r, "rows");
}

/// `model_input`, ∞ in `Ok` (issue #17's example): a multiplier of
/// 1.2e-319 divided an age of a few periods to `T = ∞`.
#[test]
fn model_input_multiplier_below_the_limit_is_a_typed_error() {
    use retention_core::events::CustomerColumn;
    use retention_core::model_input::{model_input_from_orders, ModelInputOptions, MIN_MULTIPLIER};
    let end = 1_700_000_000_000_000 + 16_962 * 3_600_000_000;
    let options = |multiplier| ModelInputOptions {
        multiplier,
        ..ModelInputOptions::new(end)
    };
    let times = [end - 10 * 86_400_000_000];
    let r = model_input_from_orders(
        CustomerColumn::Int(&[73]),
        &times,
        None,
        &options(1.155_47e-319),
    );
    is_parameter(r, "multiplier");
    // At the limit T is 10 days / 1e-100 = 1e101, finite.
    let m = model_input_from_orders(
        CustomerColumn::Int(&[73]),
        &times,
        None,
        &options(MIN_MULTIPLIER),
    )
    .unwrap();
    assert!((m.t[0] / 1e101 - 1.0).abs() < 1e-12, "{:?}", m.t);
}

/// `metrics_experiments`, overflow: the start of quarter 1.6·10¹⁸ (any
/// `i64` period index is accepted) multiplied past `i64` in the civil-date
/// arithmetic. Starts saturate instead, keeping their order.
#[test]
fn calendar_starts_of_huge_period_indices_saturate_in_order() {
    use chrono::Weekday;
    use retention_core::time::{Calendar, Period};
    for period in [
        Period::Day,
        Period::Week {
            starts_on: Weekday::Sun,
        },
        Period::Month,
        Period::Quarter,
        Period::Year,
    ] {
        let cal = Calendar::with_offset(period, -1).unwrap();
        let huge = 1_591_483_913_613_201_678;
        for (lo, hi) in [(-huge, 0), (0, huge), (i64::MIN, 0), (0, i64::MAX)] {
            assert!(cal.start(lo) < cal.start(hi), "{period:?} {lo} {hi}");
        }
    }
}

/// `contractual`, ∞ in `Ok`: a margin of `f64::MAX` times a discounted
/// residual lifetime above 1 overflowed.
#[test]
fn residual_value_that_overflows_is_a_typed_error() {
    use retention_core::models::contractual::ContractualParams;
    let m = ContractualParams::bdw(1.0, 1.0, 1e-226).unwrap();
    let r = m.residual_value(f64::MAX, 1.0, 18_446_613_783_740_711_040);
    assert!(matches!(r, Err(Error::NonFiniteResult { .. })), "{r:?}");
    // An ordinary margin is the margin times the lifetime.
    let sbg = ContractualParams::sbg(1.0, 1.0).unwrap();
    let life = sbg.discounted_expected_residual_lifetime(0.1, 2).unwrap();
    assert_eq!(sbg.residual_value(2.0, 0.1, 2).unwrap(), 2.0 * life);
}

/// `model_input`, ∞ in `Ok`: the BG/NBD purchase-rate mixing Gamma(r, α)
/// with α = 1e-209 has a variance r/α² that overflows.
#[test]
fn heterogeneity_whose_moments_overflow_is_a_typed_error() {
    use retention_core::models::evaluation::{heterogeneity, MixingProcess};
    use retention_core::models::TransactionModelParams;
    let m = TransactionModelParams::BgNbd(BgNbdParams::new(0.999, 1e-209, 0.16, 0.69).unwrap());
    let r = heterogeneity(&m, MixingProcess::ALL[0], 100);
    assert!(matches!(r, Err(Error::NonFiniteResult { .. })), "{r:?}");
    // α = 2: Gamma(r = 0.999, rate 2) has mean r/α and variance r/α².
    let m = TransactionModelParams::BgNbd(BgNbdParams::new(0.999, 2.0, 0.16, 0.69).unwrap());
    let h = heterogeneity(&m, MixingProcess::ALL[0], 100).unwrap();
    assert!(
        (h.mean - 0.4995).abs() < 1e-12 && (h.variance - 0.24975).abs() < 1e-12,
        "{h:?}"
    );
}
