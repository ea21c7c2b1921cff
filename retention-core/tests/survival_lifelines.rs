//! Agreement of `retention_core::survival` with lifelines (and statsmodels for
//! Breslow ties) on the reference fixtures in `tests/fixtures/survival/`.
//!
//! The fixtures are produced by `make_survival_fixtures.py` in that folder;
//! these tests only read the committed CSV files.

use std::collections::HashMap;
use std::path::PathBuf;

use retention_core::survival::{
    concordance_index, logrank_test, multivariate_logrank_test, CoxModel, CoxOptions, CoxTies,
    KaplanMeier, KaplanMeierOptions, NelsonAalen, NelsonAalenOptions, NelsonAalenTies,
};

const REL: f64 = 1e-6;

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/survival")
        .join(name)
}

/// A CSV file as named columns of text.
struct Table {
    columns: HashMap<String, Vec<String>>,
}

impl Table {
    fn read(name: &str) -> Table {
        let mut reader = csv::Reader::from_path(fixture(name)).expect("fixture exists");
        let headers: Vec<String> = reader
            .headers()
            .expect("header row")
            .iter()
            .map(str::to_owned)
            .collect();
        let mut columns: HashMap<String, Vec<String>> =
            headers.iter().map(|h| (h.clone(), Vec::new())).collect();
        for record in reader.records() {
            let record = record.expect("valid row");
            for (h, v) in headers.iter().zip(record.iter()) {
                columns.get_mut(h).expect("known column").push(v.to_owned());
            }
        }
        Table { columns }
    }

    fn text(&self, name: &str) -> &[String] {
        self.columns
            .get(name)
            .unwrap_or_else(|| panic!("column {name}"))
    }

    fn f64(&self, name: &str) -> Vec<f64> {
        self.text(name).iter().map(|v| parse(v)).collect()
    }

    fn bool(&self, name: &str) -> Vec<bool> {
        self.f64(name).into_iter().map(|v| v != 0.0).collect()
    }

    fn usize(&self, name: &str) -> Vec<usize> {
        self.f64(name).into_iter().map(|v| v as usize).collect()
    }
}

fn parse(v: &str) -> f64 {
    match v {
        "inf" => f64::INFINITY,
        "-inf" => f64::NEG_INFINITY,
        "nan" => f64::NAN,
        _ => v.parse().unwrap_or_else(|_| panic!("not a number: {v}")),
    }
}

fn scalars(name: &str) -> HashMap<String, f64> {
    let t = Table::read(name);
    t.text("name").iter().cloned().zip(t.f64("value")).collect()
}

/// Relative error, with values below 1e-12 in magnitude compared absolutely.
fn rel_err(actual: f64, expected: f64) -> f64 {
    let diff = (actual - expected).abs();
    if expected.abs() < 1e-12 {
        diff
    } else {
        diff / expected.abs()
    }
}

fn assert_close(what: &str, actual: f64, expected: f64, tol: f64) {
    assert!(
        actual.is_finite(),
        "{what}: got non-finite {actual}, expected {expected}"
    );
    let e = rel_err(actual, expected);
    assert!(e <= tol, "{what}: {actual} vs {expected} (rel err {e:e})");
}

fn assert_all_close(what: &str, actual: &[f64], expected: &[f64], tol: f64) -> f64 {
    assert_eq!(actual.len(), expected.len(), "{what}: length");
    let mut worst = 0.0_f64;
    for (i, (a, e)) in actual.iter().zip(expected).enumerate() {
        assert_close(&format!("{what}[{i}]"), *a, *e, tol);
        worst = worst.max(rel_err(*a, *e));
    }
    worst
}

fn optional(v: f64) -> Option<f64> {
    v.is_finite().then_some(v)
}

#[test]
fn kaplan_meier_and_nelson_aalen_match_lifelines() {
    let mut worst = 0.0_f64;
    for set in ["a", "b", "c"] {
        let input = Table::read(&format!("univariate_{set}_input.csv"));
        let durations = input.f64("duration");
        let events = input.bool("event");
        for alpha in [0.05, 0.1] {
            let tag = format!("{set}_alpha{alpha}");
            let expected = Table::read(&format!("univariate_{tag}_expected.csv"));
            let sc = scalars(&format!("univariate_{tag}_scalars.csv"));

            let km = KaplanMeier::fit(
                &durations,
                &events,
                &KaplanMeierOptions {
                    alpha,
                    ..Default::default()
                },
            )
            .unwrap();
            assert_eq!(km.table.times, expected.f64("time"), "{tag} times");
            assert_eq!(
                km.table.at_risk,
                expected
                    .usize("at_risk")
                    .iter()
                    .map(|&x| x as f64)
                    .collect::<Vec<_>>(),
                "{tag}"
            );
            assert_eq!(
                km.table.observed,
                expected
                    .usize("observed")
                    .iter()
                    .map(|&x| x as f64)
                    .collect::<Vec<_>>(),
                "{tag}"
            );
            assert_eq!(
                km.table.censored,
                expected
                    .usize("censored")
                    .iter()
                    .map(|&x| x as f64)
                    .collect::<Vec<_>>(),
                "{tag}"
            );
            for (got, col) in [
                (&km.survival, "survival"),
                (&km.lower, "km_lower"),
                (&km.upper, "km_upper"),
            ] {
                let w = assert_all_close(&format!("{tag} {col}"), got, &expected.f64(col), REL);
                worst = worst.max(w);
            }
            assert_eq!(km.median_survival_time(), optional(sc["median"]), "{tag}");
            assert_eq!(
                km.median_confidence_interval(),
                (optional(sc["median_lower"]), optional(sc["median_upper"])),
                "{tag} median CI"
            );
            for (key, value) in &sc {
                if let Some(t) = key.strip_prefix("survival_at_") {
                    let t: f64 = t.parse().unwrap();
                    if t >= 0.0 {
                        assert_close(key, km.survival_at(t).unwrap(), *value, REL);
                    }
                }
            }

            for (ties, prefix) in [
                (
                    NelsonAalenTies::Smoothed,
                    ("cumhaz", "na_lower", "na_upper"),
                ),
                (
                    NelsonAalenTies::Discrete,
                    ("cumhaz_discrete", "na_discrete_lower", "na_discrete_upper"),
                ),
            ] {
                let na = NelsonAalen::fit(&durations, &events, &NelsonAalenOptions { alpha, ties })
                    .unwrap();
                for (got, col) in [
                    (&na.cumulative_hazard, prefix.0),
                    (&na.lower, prefix.1),
                    (&na.upper, prefix.2),
                ] {
                    let w = assert_all_close(&format!("{tag} {col}"), got, &expected.f64(col), REL);
                    worst = worst.max(w);
                }
            }
        }
    }
    eprintln!("KM / Nelson–Aalen: worst relative error {worst:e}");
}

#[test]
fn logrank_matches_lifelines() {
    let sc = scalars("logrank_expected.csv");
    let a = Table::read("univariate_a_input.csv");
    let (d, e, g) = (a.f64("duration"), a.bool("event"), a.usize("group"));
    let pick = |group: usize| -> (Vec<f64>, Vec<bool>) {
        (0..d.len())
            .filter(|&i| g[i] == group)
            .map(|i| (d[i], e[i]))
            .unzip()
    };
    let (d0, e0) = pick(0);
    let (d1, e1) = pick(1);
    let two = logrank_test(&d0, &e0, &d1, &e1).unwrap();
    assert_close(
        "a two statistic",
        two.test_statistic,
        sc["a_two_statistic"],
        REL,
    );
    assert_close("a two p", two.p_value, sc["a_two_p"], REL);
    assert_eq!(two.degrees_of_freedom as f64, sc["a_two_df"]);

    let multi = multivariate_logrank_test(&d, &e, &g).unwrap();
    assert_close(
        "a multi statistic",
        multi.test_statistic,
        sc["a_multi_statistic"],
        REL,
    );
    assert_close("a multi p", multi.p_value, sc["a_multi_p"], REL);
    assert_eq!(multi.degrees_of_freedom as f64, sc["a_multi_df"]);

    let c = Table::read("univariate_c_input.csv");
    let labels: Vec<String> = c.text("group").iter().map(|s| format!("g{s}")).collect();
    let multi = multivariate_logrank_test(&c.f64("duration"), &c.bool("event"), &labels).unwrap();
    assert_close(
        "c multi statistic",
        multi.test_statistic,
        sc["c_multi_statistic"],
        REL,
    );
    assert_close("c multi p", multi.p_value, sc["c_multi_p"], REL);
    assert_eq!(multi.degrees_of_freedom as f64, sc["c_multi_df"]);
}

struct CoxCase {
    tag: &'static str,
    options: CoxOptions,
    /// Tolerance for coefficients, standard errors and z.
    tol: f64,
    /// Tolerance for p-values (which amplify small differences in z).
    p_tol: f64,
}

#[test]
fn cox_matches_lifelines_and_statsmodels() {
    let input = Table::read("cox_input.csv");
    let durations = input.f64("duration");
    let events = input.bool("event");
    let names = ["x1", "x2", "x3", "x4"];
    let columns: Vec<Vec<f64>> = names.iter().map(|n| input.f64(n)).collect();
    let expected = Table::read("cox_expected.csv");
    let sc = scalars("cox_scalars.csv");

    // The fixtures' options: lifelines tightened (`precision=1e-14,
    // r_precision=1e-16`) or left at its defaults (`precision=1e-7`,
    // `max_steps=500`); the core iterates as lifelines does, so each case
    // reproduces lifelines' own stopping point.
    let tight = CoxOptions {
        tolerance: 1e-14,
        r_precision: 1e-16,
        ..Default::default()
    };
    let lifelines_default = CoxOptions {
        tolerance: 1e-7,
        max_iterations: 500,
        ..Default::default()
    };
    let efron = tight;
    let efron_pen = CoxOptions {
        penalizer: 0.1,
        ..tight
    };
    let cases = [
        CoxCase {
            tag: "efron",
            options: efron,
            tol: REL,
            p_tol: REL,
        },
        CoxCase {
            tag: "efron_pen",
            options: efron_pen,
            tol: REL,
            p_tol: REL,
        },
        CoxCase {
            tag: "breslow",
            options: CoxOptions {
                ties: CoxTies::Breslow,
                ..tight
            },
            tol: REL,
            p_tol: REL,
        },
        // lifelines with its default (early) stopping rule, which leaves its
        // coefficients ~1e-5 short of the maximum: the same stopping point.
        CoxCase {
            tag: "efron_default",
            options: lifelines_default,
            tol: REL,
            p_tol: REL,
        },
        CoxCase {
            tag: "efron_pen_default",
            options: CoxOptions {
                penalizer: 0.1,
                ..lifelines_default
            },
            tol: REL,
            p_tol: REL,
        },
    ];
    for case in cases {
        let model = CoxModel::fit(&durations, &events, &columns, &case.options).unwrap();
        let rows: Vec<usize> = (0..expected.text("fit").len())
            .filter(|&i| expected.text("fit")[i] == case.tag)
            .collect();
        assert_eq!(rows.len(), names.len(), "{}", case.tag);
        let mut worst = 0.0_f64;
        for (j, &row) in rows.iter().enumerate() {
            assert_eq!(expected.text("covariate")[row], names[j]);
            for (got, col) in [
                (model.coefficients[j], "coef"),
                (model.standard_errors[j], "se"),
                (model.z[j], "z"),
                (model.p_values[j], "p"),
            ] {
                let want = parse(&expected.text(col)[row]);
                let tol = if col == "p" { case.p_tol } else { case.tol };
                assert_close(&format!("{} {col} {}", case.tag, names[j]), got, want, tol);
                worst = worst.max(rel_err(got, want));
            }
        }
        let ll = sc[&format!("{}_log_likelihood", case.tag)];
        assert_close(&format!("{} ll", case.tag), model.log_likelihood, ll, REL);
        let c = sc[&format!("{}_concordance", case.tag)];
        assert_close(
            &format!("{} concordance", case.tag),
            model.concordance.unwrap(),
            c,
            1e-12,
        );
        eprintln!(
            "Cox {}: worst relative error of coef/se/z/p {worst:e}, ll {:e}, {} iterations",
            case.tag,
            rel_err(model.log_likelihood, ll),
            model.iterations
        );
    }
    // statsmodels' Efron log-likelihood as an independent cross-check.
    let model = CoxModel::fit(&durations, &events, &columns, &efron).unwrap();
    assert_close(
        "statsmodels efron ll",
        model.log_likelihood,
        sc["statsmodels_efron_log_likelihood"],
        REL,
    );
}

#[test]
fn concordance_index_matches_lifelines() {
    let input = Table::read("concordance_input.csv");
    let sc = scalars("concordance_expected.csv");
    let (t, s, e) = (input.f64("time"), input.f64("score"), input.bool("event"));
    let c = concordance_index(&t, &s, &e).unwrap();
    assert_close("concordance", c, sc["concordance"], 1e-12);
    let all = vec![true; t.len()];
    let c = concordance_index(&t, &s, &all).unwrap();
    assert_close(
        "concordance, all events",
        c,
        sc["concordance_all_events"],
        1e-12,
    );
}
