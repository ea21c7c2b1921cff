"""``CoxPHFitter(baseline_estimation_method="piecewise" | "spline")`` against
lifelines 0.30 itself (``reference`` tests, run in .venv-ref) on lifelines'
data sets: rossi (plain, penalised, stratified, with a formula, weights and
entry times), the regression data set, the multicenter AIDS cohort (left
truncation) and diabetes (interval and left censoring)."""

import io
import pickle
from contextlib import redirect_stdout

import numpy as np
import pytest

from retention.compat.lifelines import CoxPHFitter

from conftest import reference

# lifelines stops its scipy optimiser early by default; tighten it so both
# sides sit at the optimum.
TIGHT = {"piecewise": {"gtol": 1e-8}, "spline": {"ftol": 1e-14, "maxiter": 2000}}


def rel(a, b):
    a, b = np.asarray(a, float), np.asarray(b, float)
    assert a.shape == b.shape, (a.shape, b.shape)
    return float(np.max(np.abs(a - b) / np.maximum(np.abs(b), 1e-12), initial=0.0))


def fit_both(df, init, **kwargs):
    lifelines = reference("lifelines")
    tight = TIGHT[init["baseline_estimation_method"]]
    ref = lifelines.CoxPHFitter(**init).fit(df, fit_options=tight, **kwargs)
    # lifelines fits the null model (intercept and baseline only) with its
    # default tolerance; fit it tightly here (formula "1").
    null = lifelines.CoxPHFitter(**init).fit(df, fit_options=tight, **{**kwargs, "formula": "1"})
    ref._tight_ll_null = null.log_likelihood_
    ours = CoxPHFitter(**init).fit(df, **kwargs)
    return ours, ref


def check_fit(ours, ref, coef_tol=1e-5, se_tol=1e-4):
    assert list(ours.params_.index) == list(ref.params_.index)
    assert ours.params_.index.names == ref.params_.index.names
    assert rel(ours.params_, ref.params_) < coef_tol
    assert rel(ours.hazard_ratios_, ref.hazard_ratios_) < coef_tol
    assert rel(ours.standard_errors_, ref.standard_errors_) < se_tol
    assert ours.log_likelihood_ == pytest.approx(ref.log_likelihood_, rel=1e-8)
    assert ours.AIC_ == pytest.approx(ref.AIC_, rel=1e-8)
    assert list(ours.summary.columns) == list(ref.summary.columns)
    cols = ["coef", "se(coef)", "coef lower 95%", "coef upper 95%"]
    assert rel(ours.summary[cols], ref.summary[cols]) < se_tol
    assert ours._ll_null_dof == ref._ll_null_dof
    lr, lr_ref = ours.log_likelihood_ratio_test(), ref.log_likelihood_ratio_test()
    assert lr.degrees_freedom == lr_ref.degrees_freedom
    assert ours._ll_null == pytest.approx(ref._tight_ll_null, rel=1e-8)
    assert lr.test_statistic == pytest.approx(2 * (ref.log_likelihood_ - ref._tight_ll_null), rel=1e-5)


def check_predictions(ours, ref, X, tol=1e-5):
    for name in ("baseline_survival_", "baseline_cumulative_hazard_"):
        a, b = getattr(ours, name), getattr(ref, name)
        assert list(a.columns) == list(b.columns), name
        assert rel(a.index, b.index) == 0
        assert rel(a, b) < tol, name
    times = [1.0, 7.5, 30.0]
    assert rel(ours.baseline_hazard_at_times(times), ref.baseline_hazard_at_times(times)) < tol
    a, b = ours.predict_survival_function(X), ref.predict_survival_function(X)
    assert list(a.columns) == list(b.columns)
    assert rel(a, b) < tol
    a, b = ours.predict_cumulative_hazard(X, times=times), ref.predict_cumulative_hazard(X, times=times)
    assert rel(a, b) < tol
    # lifelines' piecewise predict_hazard only handles one row at a time.
    assert rel(ours.predict_hazard(X.iloc[[2]], times=times), ref.predict_hazard(X.iloc[[2]], times=times)) < tol
    assert (ours.predict_median(X).to_numpy() == ref.predict_median(X).to_numpy()).all()
    assert (ours.predict_percentile(X, p=0.8).to_numpy() == ref.predict_percentile(X, p=0.8).to_numpy()).all()
    assert rel(ours.predict_expectation(X), ref.predict_expectation(X)) < tol


@pytest.fixture(scope="module")
def rossi():
    return reference("lifelines.datasets").datasets.load_rossi()


@pytest.mark.reference
@pytest.mark.filterwarnings("ignore")
@pytest.mark.parametrize("init", [
    {"baseline_estimation_method": "piecewise", "breakpoints": [20, 35]},
    {"baseline_estimation_method": "piecewise", "breakpoints": [25], "penalizer": 0.1},
    {"baseline_estimation_method": "spline", "n_baseline_knots": 3},
    {"baseline_estimation_method": "spline", "n_baseline_knots": 2, "penalizer": 0.05},
    {"baseline_estimation_method": "spline", "n_baseline_knots": 4},
])
def test_rossi(rossi, init):
    ours, ref = fit_both(rossi, init, duration_col="week", event_col="arrest")
    check_fit(ours, ref)
    check_predictions(ours, ref, rossi.iloc[:25])
    assert ours.score(rossi) == pytest.approx(ref.score(rossi), rel=1e-6)
    assert ours.score(rossi.iloc[:100]) == pytest.approx(ref.score(rossi.iloc[:100]), rel=1e-6)
    if "n_baseline_knots" in init:
        # Knots: percentiles of the observed event times.
        event_weeks = rossi.loc[rossi["arrest"] == 1, "week"]
        k = init["n_baseline_knots"]
        expected = np.percentile(event_weeks, np.linspace(5, 95, k + 1))
        assert rel(ours._knots_, expected) < 1e-12


@pytest.mark.reference
@pytest.mark.filterwarnings("ignore")
@pytest.mark.parametrize("init", [
    {"baseline_estimation_method": "piecewise", "breakpoints": [15]},
    {"baseline_estimation_method": "spline", "n_baseline_knots": 2},
])
@pytest.mark.parametrize("strata", ["wexp", ["wexp", "paro"]])
def test_rossi_strata(rossi, init, strata):
    ours, ref = fit_both(rossi, init, duration_col="week", event_col="arrest", strata=strata)
    check_fit(ours, ref)
    check_predictions(ours, ref, rossi.iloc[:25])
    # lifelines' stratified score slices its rows by stratum with a wrong
    # count (cells, not rows) and is not a reference; on the training data
    # of an unpenalised fit the mean log-likelihood times n is log L.
    assert ours.score(rossi) * len(rossi) == pytest.approx(ref.log_likelihood_, rel=1e-8)


@pytest.mark.reference
@pytest.mark.filterwarnings("ignore")
@pytest.mark.parametrize("init", [
    {"baseline_estimation_method": "piecewise", "breakpoints": [25]},
    {"baseline_estimation_method": "spline", "n_baseline_knots": 3},
])
def test_rossi_formula_and_weights(rossi, init):
    ours, ref = fit_both(rossi, init, duration_col="week", event_col="arrest", formula="age * race + prio")
    assert list(ours.summary.loc["beta_"].index) == ["Intercept", "age", "race", "prio", "age:race"]
    check_fit(ours, ref)
    check_predictions(ours, ref, rossi.iloc[:25])
    df = rossi.assign(w=1 + (np.arange(len(rossi)) % 3))
    ours, ref = fit_both(df, init, duration_col="week", event_col="arrest", weights_col="w")
    check_fit(ours, ref)


@pytest.mark.reference
@pytest.mark.filterwarnings("ignore")
@pytest.mark.parametrize("init", [
    {"baseline_estimation_method": "piecewise", "breakpoints": [3.0, 8.0]},
    {"baseline_estimation_method": "spline", "n_baseline_knots": 3},
])
def test_regression_dataset_and_entry_times(init):
    datasets = reference("lifelines.datasets").datasets
    df = datasets.load_regression_dataset()
    ours, ref = fit_both(df, init, duration_col="T", event_col="E")
    check_fit(ours, ref)
    check_predictions(ours, ref, df.iloc[:20])
    # Left truncation (entry W); AIDSY centred so that lifelines' optimiser
    # reaches the optimum, breakpoints inside the follow-up.
    aids = datasets.load_multicenter_aids_cohort_study()
    aids["AIDSY"] = aids["AIDSY"] - 1995.0
    if "breakpoints" in init:
        init = {**init, "breakpoints": [2.0]}
    ours, ref = fit_both(aids, init, duration_col="T", event_col="D", entry_col="W")
    check_fit(ours, ref)
    assert ours.score(aids) * len(aids) == pytest.approx(ref.log_likelihood_, rel=1e-8)


@pytest.mark.reference
@pytest.mark.filterwarnings("ignore")
def test_trivial_model_and_breakpoint_hazard(rossi):
    init = {"baseline_estimation_method": "piecewise", "breakpoints": [25]}
    ours, ref = fit_both(rossi[["week", "arrest"]], init, duration_col="week", event_col="arrest")
    assert rel(ours.params_, ref.params_) < 1e-6
    assert ours.log_likelihood_ == pytest.approx(ref.log_likelihood_, rel=1e-9)
    # The hazard at a breakpoint is the mean of the two pieces (lifelines).
    h = ours.baseline_hazard_at_times([25.0]).iloc[0, 0]
    lam0 = np.exp(ours.params_[("beta_", "Intercept")])
    lam1 = lam0 * np.exp(ours.params_[("log_lambda2_", "Intercept")])
    assert h == pytest.approx((lam0 + lam1) / 2, rel=1e-12)


@pytest.mark.reference
@pytest.mark.filterwarnings("ignore")
def test_print_summary_pickle_and_options(rossi):
    cph = CoxPHFitter(baseline_estimation_method="spline", n_baseline_knots=2).fit(rossi, "week", "arrest")
    out = io.StringIO()
    with redirect_stdout(out):
        cph.print_summary()
    text = out.getvalue()
    assert "number of baseline knots = 2" in text
    assert "AIC = %.2f" % cph.AIC_ in text
    again = pickle.loads(pickle.dumps(cph))
    assert rel(again.predict_survival_function(rossi.iloc[:5]), cph.predict_survival_function(rossi.iloc[:5])) == 0
    follow = cph.compute_followup_hazard_ratios(rossi, [25, 45])
    for t in (25, 45):
        # lifelines refits with its default (loose) tolerance: refit tightly.
        cut = rossi.assign(arrest=(rossi["week"] <= t) & (rossi["arrest"] == 1), week=rossi["week"].clip(upper=t))
        ref = reference("lifelines").CoxPHFitter(baseline_estimation_method="spline", n_baseline_knots=2).fit(
            cut, "week", "arrest", fit_options=TIGHT["spline"])
        assert list(follow.columns) == list(ref.hazard_ratios_.index)
        assert rel(follow.loc[t], ref.hazard_ratios_) < 1e-4
    with pytest.raises(ValueError, match="cluster_col"):
        CoxPHFitter(baseline_estimation_method="spline", n_baseline_knots=2).fit(
            rossi, "week", "arrest", cluster_col="race")
    with pytest.raises(NotImplementedError, match="robust"):
        CoxPHFitter(baseline_estimation_method="piecewise", breakpoints=[10]).fit(
            rossi, "week", "arrest", robust=True)
    with pytest.raises(ValueError, match="n_baseline_knots"):
        CoxPHFitter(baseline_estimation_method="spline").fit(rossi, "week", "arrest")
    with pytest.raises(ValueError, match="breakpoints"):
        CoxPHFitter(baseline_estimation_method="piecewise").fit(rossi, "week", "arrest")
    with pytest.raises(ValueError, match="mutually exclusive"):
        CoxPHFitter(baseline_estimation_method="spline", n_baseline_knots=2, knots=[1, 2])


@pytest.mark.reference
@pytest.mark.filterwarnings("ignore")
def test_interval_and_left_censoring():
    lifelines = reference("lifelines")
    df = reference("lifelines.datasets").datasets.load_diabetes()
    df["gender"] = (df["gender"] == "male").astype(int)
    init = {"baseline_estimation_method": "piecewise", "breakpoints": [25]}
    ref = lifelines.CoxPHFitter(**init).fit_interval_censoring(df, "left", "right", fit_options=TIGHT["piecewise"])
    ours = CoxPHFitter(**init).fit_interval_censoring(df, "left", "right")
    assert list(ours.params_.index) == list(ref.params_.index)
    assert rel(ours.params_, ref.params_) < 1e-6
    assert rel(ours.standard_errors_, ref.standard_errors_) < 1e-6
    assert ours.log_likelihood_ == pytest.approx(ref.log_likelihood_, rel=1e-10)
    assert rel(ours.timeline, ref.timeline) == 0
    out = io.StringIO()
    with redirect_stdout(out):
        ours.print_summary()
    assert "lower bound col = 'left'" in out.getvalue()
    # Left censoring: the events are exact, the others happened before
    # their time (with no exact event the likelihood has no maximum).
    left = df.drop(columns="left").assign(E=(np.arange(len(df)) % 3 == 0).astype(int))
    ref = lifelines.CoxPHFitter(**init).fit_left_censoring(left, "right", "E", fit_options=TIGHT["piecewise"])
    ours = CoxPHFitter(**init).fit_left_censoring(left, "right", "E")
    assert rel(ours.params_, ref.params_) < 1e-5
    assert ours.log_likelihood_ == pytest.approx(ref.log_likelihood_, rel=1e-9)
