"""retention.compat.lifelines.CoxPHFitter.fit(formula=...) against lifelines
0.30 itself (``reference`` tests, run in .venv-ref) on rossi: main effects,
interactions, categorical encodings, transforms, with strata, weights and
clusters; the design matrix is formulaic's, as lifelines'. Plus (in every
environment) the ImportError naming the extra when formulaic is missing."""

import pickle
import sys

import numpy as np
import pandas as pd
import pytest

from retention.compat.lifelines import CoxPHFitter

from conftest import reference
import test_reference_lifelines_cox as cox
from test_reference_lifelines_cox import fit_both, rel


def close(a, b):
    """Largest difference relative to max(|b|, 1): log partial hazards,
    bounds and z of formula terms can be ~0, where a relative error is noise."""
    a, b = np.asarray(a, float), np.asarray(b, float)
    assert a.shape == b.shape, (a.shape, b.shape)
    return float(np.max(np.abs(a - b) / np.maximum(np.abs(b), 1.0), initial=0.0))


def check_fit(ours, ref, tol=1e-6):
    cox.check_fit(ours, ref, tol=np.inf)  # names, shapes, layout, likelihoods; values below
    assert rel(ours.params_, ref.params_) < tol * 10  # ill-conditioned designs (x and x:z)
    assert close(ours.params_, ref.params_) < tol
    assert close(ours.standard_errors_, ref.standard_errors_) < tol
    assert close(ours.variance_matrix_, ref.variance_matrix_) < tol
    cols = ["coef", "exp(coef)", "se(coef)", "coef lower 95%", "coef upper 95%", "z", "p"]
    assert close(ours.summary[cols], ref.summary[cols]) < tol
    for name in ("baseline_hazard_", "baseline_cumulative_hazard_", "baseline_survival_"):
        assert rel(getattr(ours, name), getattr(ref, name)) < tol, name


def check_predictions(ours, ref, X, tol=1e-6):
    cox.check_predictions(ours, ref, X, tol=np.inf)  # names, layout, exact percentiles; values below
    assert rel(ours.predict_partial_hazard(X), ref.predict_partial_hazard(X)) < tol
    assert close(ours.predict_log_partial_hazard(X), ref.predict_log_partial_hazard(X)) < tol
    for method in ("predict_survival_function", "predict_cumulative_hazard"):
        assert rel(getattr(ours, method)(X), getattr(ref, method)(X)) < tol, method
    assert rel(ours.predict_expectation(X), ref.predict_expectation(X)) < tol


@pytest.fixture(scope="module")
def rossi():
    df = reference("lifelines.datasets").datasets.load_rossi()
    # A string categorical with more than two levels (C() and plain strings).
    return df.assign(ages=pd.cut(df["age"], [0, 20, 25, 30, 100], labels=["a", "b", "c", "d"]).astype(str))


FORMULAS = [
    "age + prio + fin",
    "age + prio + C(race)",
    "fin + age + fin:age + prio",
    "age * prio + C(ages)",
    "ages + prio + wexp",
    "fin + age + I(age ** 2) + np.log1p(prio)",
    "C(ages, Treatment('c')) + fin",
    "age + prio + fin - 1",
]


@pytest.mark.reference
@pytest.mark.filterwarnings("ignore")
@pytest.mark.parametrize("formula", FORMULAS)
def test_rossi_formula(rossi, formula):
    ours, ref = fit_both(rossi, duration_col="week", event_col="arrest", formula=formula)
    assert "Intercept" not in ours.params_.index
    assert ours.params_.index.name == ref.params_.index.name
    assert list(ours.summary.index) == list(ref.summary.index)
    check_fit(ours, ref)
    check_predictions(ours, ref, rossi.iloc[::5])
    train, test = rossi.iloc[:300], rossi.iloc[300:]
    ours, ref = fit_both(train, duration_col="week", event_col="arrest", formula=formula)
    check_predictions(ours, ref, test)
    for method in ("log_likelihood", "concordance_index"):
        assert ours.score(test, scoring_method=method) == pytest.approx(ref.score(test, scoring_method=method),
                                                                        rel=1e-7)
    # A single row (as a DataFrame and as a Series) goes through the formula too.
    row = test.iloc[[4]]
    assert rel(ours.predict_partial_hazard(row), ref.predict_partial_hazard(row)) < 1e-6
    again = pickle.loads(pickle.dumps(ours))
    assert (again.predict_survival_function(test) == ours.predict_survival_function(test)).all().all()


@pytest.mark.reference
@pytest.mark.filterwarnings("ignore")
@pytest.mark.parametrize("formula, strata", [
    ("age + prio + fin", ["race"]),
    ("age * fin + C(ages)", "wexp"),
    ("age + prio + fin:prio", ["race", "mar"]),
])
def test_rossi_formula_with_strata(rossi, formula, strata):
    ours, ref = fit_both(rossi, duration_col="week", event_col="arrest", formula=formula, strata=strata)
    check_fit(ours, ref)
    check_predictions(ours, ref, rossi.iloc[::7])
    assert ours.score(rossi) == pytest.approx(ref.score(rossi), rel=1e-7)


@pytest.mark.reference
@pytest.mark.filterwarnings("ignore")
def test_rossi_formula_with_weights_robust_and_clusters(rossi):
    rng = np.random.default_rng(5)
    df = rossi.assign(w=rng.integers(1, 4, size=len(rossi)).astype(float))
    ours, ref = fit_both(df, duration_col="week", event_col="arrest", weights_col="w", formula="age + prio + C(ages)")
    check_fit(ours, ref)
    check_predictions(ours, ref, df.iloc[::5])
    df = rossi.assign(w=rng.uniform(0.2, 3.0, size=len(rossi)), cluster=np.arange(len(rossi)) // 3)
    ours, ref = fit_both(df, duration_col="week", event_col="arrest", weights_col="w", robust=True,
                         formula="fin + age:prio + prio")
    check_fit(ours, ref)
    ours, ref = fit_both(df, duration_col="week", event_col="arrest", cluster_col="cluster",
                         formula="fin * age + prio", strata=["race"])
    check_fit(ours, ref)


@pytest.mark.reference
@pytest.mark.filterwarnings("ignore")
def test_formula_followup_hazard_ratios_use_the_formula(rossi):
    # lifelines refits without the formula here (all columns); this package
    # refits the fitted design, so compare with lifelines fitted on the same
    # design matrix given as columns.
    formula = "age + prio + C(ages)"
    ours = CoxPHFitter().fit(rossi, "week", "arrest", formula=formula)
    times = [25.0, 40.0, 52.0]
    followup = ours.compute_followup_hazard_ratios(rossi, times)
    assert list(followup.columns) == list(ours.params_.index)
    design = ours._design(rossi)[list(ours.params_.index)]
    cols = rossi[["week", "arrest"]].join(design)
    ref = reference("lifelines").CoxPHFitter().fit(cols, "week", "arrest")
    followup_ref = ref.compute_followup_hazard_ratios(cols, times)
    assert rel(followup, followup_ref) < 1e-5  # lifelines refits with its default (early) stopping


def test_formula_without_formulaic_names_the_extra(monkeypatch):
    df = pd.DataFrame({"T": [1.0, 2, 3, 4, 5, 6], "E": [1, 0, 1, 1, 0, 1],
                       "x": [0.1, 0.5, -0.3, 0.9, 0.2, 0.4]})
    monkeypatch.setitem(sys.modules, "formulaic", None)
    with pytest.raises(ImportError, match=r"pip install retention\[lifelines\]"):
        CoxPHFitter().fit(df, "T", "E", formula="x")
    # Without a formula formulaic is not needed.
    CoxPHFitter().fit(df, "T", "E")


def test_formula_design_in_the_main_environment():
    pytest.importorskip("formulaic")
    rng = np.random.default_rng(1)
    n = 60
    df = pd.DataFrame({"T": rng.exponential(10, n), "E": rng.integers(0, 2, n), "x": rng.normal(size=n),
                       "z": rng.normal(size=n), "g": rng.choice(["a", "b", "c"], n), "s": rng.integers(0, 2, n)})
    cph = CoxPHFitter().fit(df, "T", "E", formula="x * z + C(g)", strata="s")
    assert list(cph.params_.index) == ["x", "z", "C(g)[T.b]", "C(g)[T.c]", "x:z"]
    # The same as fitting the design matrix given as columns.
    cols = df[["T", "E", "s"]].assign(**{"x": df.x, "z": df.z, "C(g)[T.b]": (df.g == "b") * 1.0,
                                          "C(g)[T.c]": (df.g == "c") * 1.0, "x:z": df.x * df.z})
    plain = CoxPHFitter().fit(cols, "T", "E", strata="s")
    assert rel(cph.params_, plain.params_) < 1e-9
    new = df.iloc[:7].drop(columns=["T", "E"])
    assert rel(cph.predict_survival_function(new), plain.predict_survival_function(cols.iloc[:7])) < 1e-9
