"""retention.compat.lifelines' parametric and AFT fitters against lifelines
0.30 itself (``reference`` tests, run in .venv-ref) on lifelines' data sets
(waltons, larynx, lymphoma, regression, rossi), with weights, entry times,
penalizers and ancillary models.

lifelines maximises with scipy and stops at its tolerance; the univariate
fits are run with tight ``fit_options`` so that both sides sit at the
optimum (then everything agrees to 1e-6 relative). lifelines' AFT fits
(BFGS on standardised covariates) stop earlier: there the coefficients are
compared in units of their standard errors, and our log-likelihood must be
at least lifelines' (we are at the maximum)."""

import warnings

import numpy as np
import pandas as pd
import pytest

import retention.compat.lifelines as ours

from conftest import reference

pytestmark = pytest.mark.reference

TIGHT = {"ftol": 1e-16, "gtol": 1e-13, "maxiter": 10000}
UNIVARIATE = ["WeibullFitter", "LogNormalFitter", "LogLogisticFitter", "ExponentialFitter"]
AFT = ["WeibullAFTFitter", "LogNormalAFTFitter", "LogLogisticAFTFitter"]


def rel(a, b):
    a, b = np.asarray(a, float), np.asarray(b, float)
    assert a.shape == b.shape, (a.shape, b.shape)
    return float(np.max(np.abs(a - b) / np.maximum(np.abs(b), 1e-300), initial=0.0))


def lifelines_fit(fitter, *args, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return fitter.fit(*args, **kwargs)


def durations_sets():
    reference("lifelines")
    from lifelines.datasets import load_larynx, load_lymphoma, load_regression_dataset, load_waltons

    w, lar, lym, reg = load_waltons(), load_larynx(), load_lymphoma(), load_regression_dataset()
    return {
        "waltons": (w["T"], w["E"]),
        "larynx": (lar["time"], lar["death"]),
        "lymphoma": (lym["Time"], lym["Censor"]),
        "regression": (reg["T"], reg["E"]),
    }


@pytest.mark.parametrize("name", UNIVARIATE)
@pytest.mark.parametrize("data", ["waltons", "larynx", "lymphoma", "regression"])
def test_univariate_matches_lifelines(name, data):
    lifelines = reference("lifelines")
    T, E = durations_sets()[data]
    ref = lifelines_fit(getattr(lifelines, name)(), T, E, fit_options=TIGHT)
    got = getattr(ours, name)().fit(T, E)
    assert list(got.params_.index) == list(ref.params_.index)
    assert rel(got.params_, ref.params_) < 1e-6
    assert rel(got.variance_matrix_, ref.variance_matrix_) < 1e-5
    assert rel(got.log_likelihood_, ref.log_likelihood_) < 1e-9
    assert rel(got.AIC_, ref.AIC_) < 1e-9 and rel(got.BIC_, ref.BIC_) < 1e-9
    assert rel(got.median_survival_time_, ref.median_survival_time_) < 1e-6
    assert rel(got.percentile(0.2), ref.percentile(0.2)) < 1e-6
    assert np.allclose(got.timeline, ref.timeline)
    times = np.array([1.0, 5.0, float(np.median(T)), float(np.max(T))])
    assert rel(got.survival_function_at_times(times), ref.survival_function_at_times(times)) < 1e-6
    assert rel(got.cumulative_hazard_at_times(times), ref.cumulative_hazard_at_times(times)) < 1e-6
    assert rel(got.hazard_at_times(times), ref.hazard_at_times(times)) < 1e-6
    assert rel(got.density_at_times(times), ref.density_at_times(times)) < 1e-6
    assert rel(got.survival_function_, ref.survival_function_) < 1e-6
    assert list(got.confidence_interval_.columns) == list(ref.confidence_interval_.columns)
    assert np.allclose(got.confidence_interval_, ref.confidence_interval_, rtol=1e-5, atol=1e-10)
    assert np.allclose(got.confidence_interval_survival_function_, ref.confidence_interval_survival_function_,
                       rtol=1e-5, atol=1e-10)
    for attr in ["confidence_interval_hazard_", "confidence_interval_density_",
                 "confidence_interval_cumulative_density_"]:
        assert np.allclose(getattr(got, attr), getattr(ref, attr), rtol=1e-5, atol=1e-10), attr
    cols = ["coef", "se(coef)", "coef lower 95%", "coef upper 95%", "cmp to", "z"]
    assert list(got.summary.columns) == list(ref.summary.columns)
    assert np.allclose(got.summary[cols], ref.summary[cols], rtol=1e-5)
    assert np.allclose(got.summary["p"], ref.summary["p"], rtol=1e-4, atol=1e-300)


@pytest.mark.parametrize("name", UNIVARIATE)
def test_univariate_weights_and_entry(name):
    lifelines = reference("lifelines")
    T, E = durations_sets()["waltons"]
    rng = np.random.default_rng(3)
    weights = rng.integers(1, 4, size=len(T)).astype(float)
    entry = np.minimum(rng.uniform(0, 20, size=len(T)), T.to_numpy() * 0.9)
    ref = lifelines_fit(getattr(lifelines, name)(), T, E, weights=weights, entry=entry, fit_options=TIGHT)
    got = getattr(ours, name)().fit(T, E, weights=weights, entry=entry)
    assert rel(got.params_, ref.params_) < 1e-6
    assert rel(got.variance_matrix_, ref.variance_matrix_) < 1e-5
    assert rel(got.log_likelihood_, ref.log_likelihood_) < 1e-9


def test_piecewise_exponential_matches_lifelines():
    lifelines = reference("lifelines")
    T, E = durations_sets()["waltons"]
    # Breakpoints away from event times (see the PiecewiseExponentialFitter docs).
    ref = lifelines_fit(lifelines.PiecewiseExponentialFitter([20.5, 45.5]), T, E, fit_options=TIGHT)
    got = ours.PiecewiseExponentialFitter([20.5, 45.5]).fit(T, E)
    assert list(got.params_.index) == ["lambda_0_", "lambda_1_", "lambda_2_"]
    assert rel(got.params_, ref.params_) < 1e-6
    assert rel(np.diag(got.variance_matrix_), np.diag(ref.variance_matrix_)) < 1e-5
    assert rel(got.log_likelihood_, ref.log_likelihood_) < 1e-9
    times = np.array([3.0, 21.0, 50.0])
    assert rel(got.survival_function_at_times(times), ref.survival_function_at_times(times)) < 1e-6
    assert rel(got.median_survival_time_, ref.median_survival_time_) < 1e-6


def rossi():
    from lifelines.datasets import load_rossi

    return load_rossi()


def check_aft(got, ref, se_units):
    assert list(got.params_.index) == list(ref.params_.index)
    assert got.params_.index.names == ref.params_.index.names
    diff = np.abs(got.params_.to_numpy() - ref.params_.to_numpy()) / ref.standard_errors_.to_numpy()
    assert diff.max() < se_units, diff
    assert rel(got.standard_errors_, ref.standard_errors_) < 50 * se_units
    # Ours is the maximum: at least lifelines' log-likelihood, and close to it.
    assert got.log_likelihood_ >= ref.log_likelihood_ - 1e-9 * abs(ref.log_likelihood_)
    assert rel(got.log_likelihood_, ref.log_likelihood_) < 1e-6
    assert rel(got._ll_null, ref._ll_null) < 1e-9
    assert list(got.summary.columns) == list(ref.summary.columns)


@pytest.mark.parametrize("name,se_units", [("WeibullAFTFitter", 1e-3), ("LogNormalAFTFitter", 1e-3),
                                           ("LogLogisticAFTFitter", 2e-2)])
@pytest.mark.parametrize("ancillary", [False, True])
def test_aft_matches_lifelines_on_rossi(name, se_units, ancillary):
    lifelines = reference("lifelines")
    df = rossi()
    ref = lifelines_fit(getattr(lifelines, name)(), df, "week", "arrest", ancillary=ancillary)
    got = getattr(ours, name)().fit(df, "week", "arrest", ancillary=ancillary)
    check_aft(got, ref, se_units)
    assert abs(got.concordance_index_ - ref.concordance_index_) < 1e-3
    assert rel(got.AIC_, ref.AIC_) < 1e-6 and rel(got.BIC_, ref.BIC_) < 1e-6
    rows = df.iloc[:6]
    tol = 100 * se_units
    assert rel(got.predict_median(rows), ref.predict_median(rows)) < tol
    assert rel(got.predict_percentile(rows, p=0.8), ref.predict_percentile(rows, p=0.8)) < tol
    mean, ref_mean = got.predict_expectation(rows), ref.predict_expectation(rows)
    # An infinite mean (log-logistic with beta_ <= 1) is inf here, NaN in lifelines.
    assert np.all(np.isinf(mean[ref_mean.isna()]))
    assert rel(mean[ref_mean.notna()], ref_mean[ref_mean.notna()]) < tol
    sf, ref_sf = got.predict_survival_function(rows), ref.predict_survival_function(rows)
    assert sf.shape == ref_sf.shape and np.allclose(sf.index, ref_sf.index)
    assert np.allclose(sf, ref_sf, atol=tol)
    ch = got.predict_cumulative_hazard(rows, times=[10.0, 30.0])
    assert np.allclose(ch, ref.predict_cumulative_hazard(rows, times=[10.0, 30.0]), rtol=tol)
    assert rel(got.score(df), ref.score(df)) < 1e-6
    after = np.array([1.0, 5.0, 10.0, 20.0, 2.0, 40.0])
    assert rel(got.predict_median(rows, conditional_after=after),
               ref.predict_median(rows, conditional_after=after)) < tol
    assert np.allclose(got.predict_survival_function(rows, times=[3.0, 12.0], conditional_after=after),
                       ref.predict_survival_function(rows, times=[3.0, 12.0], conditional_after=after), atol=tol)
    assert np.allclose(got.predict_cumulative_hazard(rows, times=[3.0, 12.0], conditional_after=after),
                       ref.predict_cumulative_hazard(rows, times=[3.0, 12.0], conditional_after=after), rtol=tol)
    hz = got.predict_hazard(rows, times=[5.0, 30.0])
    assert np.allclose(hz, ref.predict_hazard(rows, times=[5.0, 30.0]), rtol=tol)
    lr, ref_lr = got.log_likelihood_ratio_test(), ref.log_likelihood_ratio_test()
    assert rel(lr.test_statistic, ref_lr.test_statistic) < 1e-4
    assert lr.degrees_freedom == ref_lr.degrees_freedom
    pd.testing.assert_index_equal(got._central_values.index, ref._central_values.index)


@pytest.mark.parametrize("name", AFT)
def test_aft_penalizer_weights_and_entry(name):
    lifelines = reference("lifelines")
    df = rossi()
    rng = np.random.default_rng(7)
    df["w"] = rng.integers(1, 3, size=len(df)).astype(float)
    df["start"] = np.minimum(rng.uniform(0, 5, size=len(df)), df["week"] * 0.5)
    ref = lifelines_fit(getattr(lifelines, name)(penalizer=0.1), df, "week", "arrest", weights_col="w",
                        entry_col="start")
    got = getattr(ours, name)(penalizer=0.1).fit(df, "week", "arrest", weights_col="w", entry_col="start")
    check_aft(got, ref, 2e-2 if name == "LogLogisticAFTFitter" else 1e-3)


def test_aft_without_intercept_and_ancillary_frame():
    lifelines = reference("lifelines")
    from lifelines.datasets import load_regression_dataset

    df = load_regression_dataset()
    ref = lifelines_fit(lifelines.WeibullAFTFitter(fit_intercept=False), df, "T", "E")
    got = ours.WeibullAFTFitter(fit_intercept=False).fit(df, "T", "E")
    check_aft(got, ref, 1e-3)
    # A user's own Intercept column with fit_intercept=False, in both parameters.
    own = df.assign(Intercept=1.0)
    ref = lifelines_fit(lifelines.WeibullAFTFitter(fit_intercept=False), own, "T", "E", ancillary=True)
    got = ours.WeibullAFTFitter(fit_intercept=False).fit(own, "T", "E", ancillary=True)
    check_aft(got, ref, 1e-3)
    anc = df[["var1"]]
    ref = lifelines_fit(lifelines.WeibullAFTFitter(), df, "T", "E", ancillary=anc)
    got = ours.WeibullAFTFitter().fit(df, "T", "E", ancillary=anc)
    check_aft(got, ref, 1e-3)
    assert rel(got.predict_median(df.iloc[:5], ancillary=anc.iloc[:5]),
               ref.predict_median(df.iloc[:5], ancillary=anc.iloc[:5])) < 1e-3


def test_larynx_aft_and_find_best_model():
    lifelines = reference("lifelines")
    from lifelines.datasets import load_larynx

    df = load_larynx()
    ref = lifelines_fit(lifelines.LogNormalAFTFitter(), df, "time", "death")
    got = ours.LogNormalAFTFitter().fit(df, "time", "death")
    check_aft(got, ref, 1e-3)
    from retention.compat.lifelines.utils import find_best_parametric_model

    candidates = [lifelines.WeibullFitter(), lifelines.LogNormalFitter(), lifelines.LogLogisticFitter(),
                  lifelines.ExponentialFitter()]
    scores = [lifelines_fit(m, df["time"], df["death"], fit_options=TIGHT).BIC_ for m in candidates]
    model, score = find_best_parametric_model(df["time"], df["death"], scoring_method="BIC")
    assert type(model).__name__ == type(candidates[int(np.argmin(scores))]).__name__
    assert rel(score, min(scores)) < 1e-9
    pd.testing.assert_index_equal(got.params_.index, ref.params_.index)


@pytest.mark.parametrize("name", AFT)
@pytest.mark.parametrize("penalizer,weighted", [(0.0, False), (0.0, True), (0.1, False)])
def test_aft_robust_standard_errors(name, penalizer, weighted):
    lifelines = reference("lifelines")
    df = rossi()
    kwargs = {}
    if weighted:
        df["w"] = np.random.default_rng(5).integers(1, 4, size=len(df)).astype(float)
        kwargs["weights_col"] = "w"
    ref = lifelines_fit(getattr(lifelines, name)(penalizer=penalizer), df, "week", "arrest", robust=True, **kwargs)
    got = getattr(ours, name)(penalizer=penalizer).fit(df, "week", "arrest", robust=True, **kwargs)
    # lifelines' log-logistic BFGS stops a few hundredths of a standard error short.
    check_aft(got, ref, 5e-2 if name == "LogLogisticAFTFitter" else 1e-3)
    # The sandwich differs from the model-based errors, and matches lifelines'.
    assert rel(got.standard_errors_, got.variance_matrix_.to_numpy().diagonal() ** 0.5) > 1e-3


# lifelines' BFGS stops short of the log-logistic maximum (see check_aft).
@pytest.mark.parametrize("name,tol", [("WeibullAFTFitter", 1e-3), ("LogNormalAFTFitter", 1e-3),
                                      ("LogLogisticAFTFitter", 1e-2)])
def test_aft_formula_matches_lifelines(name, tol):
    lifelines = reference("lifelines")
    df = rossi()
    formula = "fin + age + C(race) + np.log(prio + 1)"
    ref = lifelines_fit(getattr(lifelines, name)(), df, "week", "arrest", formula=formula)
    got = getattr(ours, name)().fit(df, "week", "arrest", formula=formula)
    # Same parameters by name (lifelines puts the formula's intercept first).
    assert sorted(got.params_.index) == sorted(ref.params_.index)
    aligned = ref.params_.reindex(got.params_.index)
    se = ref.standard_errors_.reindex(got.params_.index)
    assert (np.abs(got.params_ - aligned) / se).max() < 2e-2
    assert got.log_likelihood_ >= ref.log_likelihood_ - 1e-9 * abs(ref.log_likelihood_)
    assert rel(got.log_likelihood_, ref.log_likelihood_) < 1e-6
    assert got.regressors[got._primary_parameter_name] == formula
    rows = df.iloc[:5]
    assert rel(got.predict_median(rows), ref.predict_median(rows)) < tol
    # Categories of the formula are encoded from the fit, also for new rows.
    new = pd.DataFrame({"fin": [0, 1], "age": [30, 40], "race": [1, 1], "prio": [0, 3]})
    assert rel(got.predict_median(new), ref.predict_median(new)) < tol


def test_parametric_conditional_time_to_event_and_negative_entries_match_lifelines():
    lifelines = reference("lifelines")
    T = np.array([2.0, 3.0, 3.5, 5.0, 7.0, 8.0, 11.0, 13.0, 4.0, 9.0])
    E = np.array([1, 1, 0, 1, 0, 1, 1, 0, 1, 1])
    entry = T - 3  # some negative: no truncation there, as lifelines
    for name in UNIVARIATE:
        ref = lifelines_fit(getattr(lifelines, name)(), T, E, entry=entry, fit_options=TIGHT)
        got = getattr(ours, name)().fit(T, E, entry=entry)
        assert rel(got.params_, ref.params_) < 1e-6
        clipped = getattr(ours, name)().fit(T, E, entry=np.maximum(entry, 0))
        assert rel(got.params_, clipped.params_) < 1e-12
        ct, ref_ct = got.conditional_time_to_event_, ref.conditional_time_to_event_
        assert list(ct.columns) == list(ref_ct.columns)
        assert np.allclose(ct.index, ref_ct.index)
        finite = np.isfinite(ref_ct.iloc[:, 0].to_numpy())
        assert np.allclose(ct.iloc[:, 0].to_numpy()[finite], ref_ct.iloc[:, 0].to_numpy()[finite], rtol=1e-5)
