"""retention.compat.lifelines.CoxPHFitter against lifelines 0.30 itself
(``reference`` tests, run in .venv-ref) on lifelines' own data sets: rossi
(with strata, weights, robust and clustered errors), regression,
kidney_transplant; plus the options that must raise NotImplementedError."""

import io
import pickle
from contextlib import redirect_stdout

import numpy as np
import pandas as pd
import pytest

import retention

from retention.compat.lifelines import CoxPHFitter

from conftest import reference

# lifelines stops Newton-Raphson early by default; tighten it (on both sides,
# which iterate alike) so both are at the optimum and everything can be
# compared to 1e-6.
TIGHT = dict(precision=1e-14, r_precision=1e-14, max_steps=200)


def rel(a, b):
    a, b = np.asarray(a, float), np.asarray(b, float)
    assert a.shape == b.shape, (a.shape, b.shape)
    return float(np.max(np.abs(a - b) / np.maximum(np.abs(b), 1e-12), initial=0.0))


def fit_both(df, **kwargs):
    lifelines = reference("lifelines")
    init = {k: kwargs.pop(k) for k in ("penalizer", "strata_init") if k in kwargs}
    if "strata_init" in init:
        init["strata"] = init.pop("strata_init")
    ref = lifelines.CoxPHFitter(**init).fit(df, fit_options=TIGHT, **kwargs)
    ours = CoxPHFitter(**init).fit(df, fit_options=TIGHT, **kwargs)
    return ours, ref


def check_fit(ours, ref, tol=1e-6):
    assert list(ours.params_.index) == list(ref.params_.index)
    assert rel(ours.params_, ref.params_) < tol
    assert rel(ours.standard_errors_, ref.standard_errors_) < tol
    assert rel(ours.variance_matrix_, ref.variance_matrix_) < tol
    assert ours.log_likelihood_ == pytest.approx(ref.log_likelihood_, rel=1e-9)
    assert ours.concordance_index_ == pytest.approx(ref.concordance_index_, rel=1e-9)
    assert ours.AIC_partial_ == pytest.approx(ref.AIC_partial_, rel=1e-9)
    cols = ["coef", "exp(coef)", "se(coef)", "coef lower 95%", "coef upper 95%", "z", "p"]
    assert list(ours.summary.columns) == list(ref.summary.columns)
    assert rel(ours.summary[cols], ref.summary[cols]) < tol
    assert rel(ours.confidence_intervals_, ref.confidence_intervals_) < tol
    lr_ref = ref.log_likelihood_ratio_test()
    if len(ref.params_) == 0:
        # Nothing to test: lifelines answers NaN, this package raises.
        assert np.isnan(lr_ref.p_value)
        with pytest.raises(retention.EmptyInputError, match="covariates"):
            ours.log_likelihood_ratio_test()
    else:
        lr = ours.log_likelihood_ratio_test()
        assert lr.test_statistic == pytest.approx(lr_ref.test_statistic, rel=1e-7)
        assert lr.p_value == pytest.approx(lr_ref.p_value, rel=1e-6, abs=1e-300)
        assert lr.degrees_freedom == lr_ref.degrees_freedom
    for name in ("baseline_hazard_", "baseline_cumulative_hazard_", "baseline_survival_"):
        a, b = getattr(ours, name), getattr(ref, name)
        assert list(a.columns) == list(b.columns), name
        assert (a.index.to_numpy() == b.index.to_numpy()).all(), name
        assert rel(a, b) < tol, name
    assert (np.asarray(ours.timeline) == np.asarray(ref.timeline)).all()
    for name in ("durations", "event_observed", "weights"):
        a, b = getattr(ours, name), getattr(ref, name)
        assert (a.index == b.index).all() and (a.to_numpy() == b.to_numpy()).all(), name


def check_predictions(ours, ref, X, tol=1e-6):
    assert rel(ours.predict_partial_hazard(X), ref.predict_partial_hazard(X)) < tol
    assert rel(ours.predict_log_partial_hazard(X), ref.predict_log_partial_hazard(X)) < tol
    for method in ("predict_survival_function", "predict_cumulative_hazard"):
        a, b = getattr(ours, method)(X), getattr(ref, method)(X)
        assert list(a.columns) == list(b.columns) and (a.index == b.index).all(), method
        assert rel(a, b) < tol, method
        grid = [0.0, 3.5, 10.0, 27.25, 1000.0]
        a, b = getattr(ours, method)(X, times=grid), getattr(ref, method)(X, times=grid)
        assert list(a.columns) == list(b.columns) and (a.index == b.index).all(), method
        assert rel(a, b) < tol, method
    for q in (0.5, 0.8):
        a, b = ours.predict_percentile(X, p=q), ref.predict_percentile(X, p=q)
        assert (a.index == b.index).all()
        assert (a.to_numpy() == b.to_numpy()).all()
    assert (ours.predict_median(X).to_numpy() == ref.predict_median(X).to_numpy()).all()
    assert rel(ours.predict_expectation(X), ref.predict_expectation(X)) < tol
    assert ours.predict_median(X.iloc[[3]]) == ref.predict_median(X.iloc[[3]])


@pytest.fixture(scope="module")
def rossi():
    return reference("lifelines.datasets").datasets.load_rossi()


@pytest.mark.reference
@pytest.mark.filterwarnings("ignore")
def test_rossi(rossi):
    ours, ref = fit_both(rossi, duration_col="week", event_col="arrest")
    check_fit(ours, ref)
    check_predictions(ours, ref, rossi)
    train, test = rossi.iloc[:300], rossi.iloc[300:]
    ours, ref = fit_both(train, duration_col="week", event_col="arrest")
    for method in ("log_likelihood", "concordance_index"):
        assert ours.score(test, scoring_method=method) == pytest.approx(ref.score(test, scoring_method=method),
                                                                        rel=1e-7)
    check_predictions(ours, ref, test)
    again = pickle.loads(pickle.dumps(ours))
    assert (again.predict_survival_function(test) == ours.predict_survival_function(test)).all().all()
    times = [25.0, 40.0, 52.0]
    followup, followup_ref = ours.compute_followup_hazard_ratios(train, times), \
        ref.compute_followup_hazard_ratios(train, times)
    assert list(followup.columns) == list(followup_ref.columns)
    assert (followup.index == followup_ref.index).all()
    assert rel(followup, followup_ref) < 1e-5  # lifelines refits with its default (early) stopping
    out = io.StringIO()
    with redirect_stdout(out):
        ours.print_summary(decimals=3)
    assert "Concordance" in out.getvalue() and "prio" in out.getvalue()


@pytest.mark.reference
@pytest.mark.filterwarnings("ignore")
@pytest.mark.parametrize("strata", [["race"], "race", ["race", "mar"]])
def test_rossi_strata(rossi, strata):
    ours, ref = fit_both(rossi, duration_col="week", event_col="arrest", strata=strata)
    check_fit(ours, ref)
    check_predictions(ours, ref, rossi.iloc[::7])
    assert ours.score(rossi) == pytest.approx(ref.score(rossi), rel=1e-7)


@pytest.mark.reference
@pytest.mark.filterwarnings("ignore")
def test_rossi_strata_in_constructor_and_penalizer(rossi):
    ours, ref = fit_both(rossi, duration_col="week", event_col="arrest", strata_init=["wexp"], penalizer=0.1)
    check_fit(ours, ref)


@pytest.mark.reference
@pytest.mark.filterwarnings("ignore")
def test_rossi_weights_robust_clusters(rossi):
    rng = np.random.default_rng(3)
    df = rossi.assign(w=rng.integers(1, 4, size=len(rossi)).astype(float))
    ours, ref = fit_both(df, duration_col="week", event_col="arrest", weights_col="w")
    check_fit(ours, ref)
    check_predictions(ours, ref, df)
    df = rossi.assign(w=rng.uniform(0.2, 3.0, size=len(rossi)))
    ours, ref = fit_both(df, duration_col="week", event_col="arrest", weights_col="w", robust=True)
    check_fit(ours, ref)
    ours, ref = fit_both(rossi, duration_col="week", event_col="arrest", robust=True)
    check_fit(ours, ref)
    ours, ref = fit_both(df, duration_col="week", event_col="arrest", weights_col="w", robust=True, strata=["race"])
    check_fit(ours, ref)
    df = rossi.assign(cluster=np.arange(len(rossi)) // 3)
    ours, ref = fit_both(df, duration_col="week", event_col="arrest", cluster_col="cluster")
    check_fit(ours, ref)


@pytest.mark.reference
@pytest.mark.filterwarnings("ignore")
def test_regression_and_kidney_datasets():
    datasets = reference("lifelines.datasets").datasets
    df = datasets.load_regression_dataset()
    ours, ref = fit_both(df, duration_col="T", event_col="E")
    check_fit(ours, ref)
    check_predictions(ours, ref, df.iloc[:50])
    kidney = datasets.load_kidney_transplant()
    ours, ref = fit_both(kidney, duration_col="time", event_col="death")
    check_fit(ours, ref)
    check_predictions(ours, ref, kidney.iloc[::20])


@pytest.mark.reference
@pytest.mark.filterwarnings("ignore")
def test_no_covariates_single_covariate_and_no_event_col(rossi):
    ours, ref = fit_both(rossi[["week", "arrest"]], duration_col="week", event_col="arrest")
    check_fit(ours, ref)
    ours, ref = fit_both(rossi[["week", "arrest", "age"]], duration_col="week", event_col="arrest")
    check_fit(ours, ref)
    check_predictions(ours, ref, rossi[["age"]])
    assert rel(ours.predict_partial_hazard(rossi[["age"]].to_numpy()),
               ref.predict_partial_hazard(rossi[["age"]].to_numpy())) < 1e-6
    ours, ref = fit_both(rossi[["week", "age", "prio"]], duration_col="week")
    check_fit(ours, ref)


@pytest.mark.parametrize("make, named", [
    (lambda: CoxPHFitter(n_baseline_knots=3), "n_baseline_knots"),
])
def test_unsupported_constructor_options_raise_when_fitting(make, named):
    # Built as in lifelines (a list of models may hold it); fitting raises.
    df = pd.DataFrame({"T": [1.0, 2, 3, 4, 5], "E": [1, 0, 1, 1, 0], "x": [0.1, 0.5, -0.3, 0.9, 0.2]})
    with pytest.raises(NotImplementedError, match=named):
        make().fit(df, "T", "E")


@pytest.mark.parametrize("method", ["fit_interval_censoring", "fit_left_censoring", "plot",
                                    "plot_partial_effects_on_outcome"])
def test_unsupported_methods_raise_naming_them(method):
    with pytest.raises(NotImplementedError, match=method):
        getattr(CoxPHFitter(), method)()


def progress_lines(fit):
    """The ``show_progress`` lines printed by ``fit()``, seconds dropped."""
    out = io.StringIO()
    with redirect_stdout(out):
        fitted = fit()
    lines = [line.strip("\r").split(", seconds_since_start")[0] for line in out.getvalue().splitlines()]
    return fitted, [line for line in lines if line]


def fit_both_with_warnings(df, *args, **kwargs):
    """Both fitters on the same data and options (lifelines' defaults unless
    given): the fits, their progress lines and their ConvergenceWarnings."""
    lifelines = reference("lifelines")
    out = []
    for fitter, warning in ((CoxPHFitter, retention.compat.lifelines.exceptions.ConvergenceWarning),
                            (lifelines.CoxPHFitter, lifelines.exceptions.ConvergenceWarning)):
        with pytest.warns(warning) as caught:
            fitted, lines = progress_lines(lambda: fitter().fit(df, *args, show_progress=True, **kwargs))
        out.append((fitted, lines, [str(w.message) for w in caught if issubclass(w.category, warning)]))
    return out


@pytest.mark.reference
@pytest.mark.parametrize("arrested_only", [False, True])
def test_rossi_separated_by_paro(arrested_only):
    # paro = 1 for every arrest (and 0 otherwise unless arrested_only): the
    # likelihood keeps rising along paro. Both fitters iterate alike, stop on
    # the relative change of the log-likelihood with the last step still of
    # norm ~0.44, and warn: separation first, then the non-unique solution.
    rossi = reference("lifelines.datasets").datasets.load_rossi()
    rossi.loc[rossi["arrest"] == 1, "paro"] = 1
    if not arrested_only:
        rossi.loc[rossi["arrest"] == 0, "paro"] = 0
    (ours, our_lines, our_warnings), (ref, ref_lines, ref_warnings) = fit_both_with_warnings(rossi, "week", "arrest")
    # Late step norms are equal to many digits, so whether they "decrease"
    # (and the step size grows) is rounding: the early lines agree exactly.
    assert our_lines[:15] == ref_lines[:15] and abs(len(our_lines) - len(ref_lines)) <= 1
    # The other coefficients converge; paro's only runs off more or less far.
    assert rel(ours.params_.drop("paro"), ref.params_.drop("paro")) < 1e-6
    assert ours.params_["paro"] == pytest.approx(ref.params_["paro"], abs=0.05)
    assert ours.log_likelihood_ == pytest.approx(ref.log_likelihood_, rel=1e-10)
    assert rel(ours.standard_errors_.drop("paro"), ref.standard_errors_.drop("paro")) < 1e-6
    assert ours.summary.loc["paro", "exp(coef)"] > 100
    assert len(our_warnings) == len(ref_warnings) == 2
    assert "complete separation" in our_warnings[0] and "paro have very low variance" in our_warnings[0]
    assert "non-unique" in our_warnings[1] and "norm(delta)" in our_warnings[1]
    # Same norm(delta), to lifelines' three decimals.
    assert ref_warnings[1].split("still high, ")[1][:5] in our_warnings[1]


@pytest.mark.reference
def test_monotone_likelihood_stops_where_lifelines_does():
    # x orders the deaths exactly: the log-likelihood creeps to 0 and both
    # stop at |ll| < 1e-4 with a large step, on the same iterate.
    df = pd.DataFrame({"x": np.arange(-5.0, 4.0), "T": np.arange(1.0, 10.0)})
    (ours, our_lines, our_warnings), (ref, ref_lines, ref_warnings) = fit_both_with_warnings(df, "T")
    assert our_lines == ref_lines
    assert our_lines[-1] == "Convergence failed. See any warning messages."
    assert rel(ours.params_, ref.params_) < 1e-9
    assert ours.log_likelihood_ == pytest.approx(ref.log_likelihood_, rel=1e-9)
    assert "complete separation" in our_warnings[0] and "complete separation" in ref_warnings[0]


@pytest.mark.reference
@pytest.mark.parametrize("options", [{"step_size": 0.1}, {"step_size": 0.5, "r_precision": 1e-4},
                                     {"precision": 1e-3}])
def test_rossi_step_options_follow_lifelines(options):
    rossi = reference("lifelines.datasets").datasets.load_rossi()
    lifelines = reference("lifelines")
    ours, our_lines = progress_lines(
        lambda: CoxPHFitter().fit(rossi, "week", "arrest", show_progress=True, fit_options=options))
    ref, ref_lines = progress_lines(
        lambda: lifelines.CoxPHFitter().fit(rossi, "week", "arrest", show_progress=True, fit_options=options))
    assert our_lines == ref_lines
    if "step_size" in options:
        assert "step_size = %.4f" % options["step_size"] in our_lines[0]
    assert rel(ours.params_, ref.params_) < 1e-9
    assert ours.log_likelihood_ == pytest.approx(ref.log_likelihood_, rel=1e-12)


@pytest.mark.reference
def test_collapsed_step_size_returns_lifelines_last_iterate():
    # x follows T up to noise: the steps stay large, lifelines' step size
    # shrinks to 1e-5 and it gives up with a warning, keeping its last
    # iterate; so does this fitter (return_unconverged).
    rng = np.random.default_rng(1)
    df = pd.DataFrame({"x": np.arange(100.0) + 0.01 * rng.normal(size=100), "T": np.arange(100.0)})
    (ours, our_lines, our_warnings), (ref, ref_lines, ref_warnings) = fit_both_with_warnings(df, "T")
    assert our_lines == ref_lines
    assert our_lines[-1] == "Convergence failed. See any warning messages."
    assert rel(ours.params_, ref.params_) < 1e-9
    assert "did not converge" in our_warnings[-1] and "failed to converge" in ref_warnings[-1]
    assert any("complete separation" in m for m in our_warnings)
