"""retention.compat.lifelines.CoxTimeVaryingFitter, and CoxPHFitter's
entry_col and array penalizer, against lifelines 0.30 itself (``reference``
tests, run in .venv-ref) on lifelines' stanford_heart_transplants, dfcv,
multicenter_aids_cohort and rossi data sets."""

import io
from contextlib import redirect_stdout

import numpy as np
import pandas as pd
import pytest

import retention
from retention.compat.lifelines import CoxPHFitter, CoxTimeVaryingFitter

from conftest import reference

# lifelines stops Newton-Raphson early by default; tighten it so both sides
# are at the optimum and everything can be compared to 1e-6.
TIGHT = dict(precision=1e-14, r_precision=1e-14, max_steps=200)


def rel(a, b, floor=1e-12):
    """Largest relative difference, relative to at least ``floor``."""
    a, b = np.asarray(a, float), np.asarray(b, float)
    assert a.shape == b.shape, (a.shape, b.shape)
    return float(np.max(np.abs(a - b) / np.maximum(np.abs(b), floor), initial=0.0))


def datasets():
    return reference("lifelines.datasets").datasets


def fit_both(df, init=None, **kwargs):
    lifelines = reference("lifelines")
    ref = lifelines.CoxTimeVaryingFitter(**(init or {})).fit(df, fit_options=TIGHT, **kwargs)
    ours = CoxTimeVaryingFitter(**(init or {})).fit(df, fit_options=TIGHT, **kwargs)
    return ours, ref


def check_fit(ours, ref, baseline=True, tol=1e-6):
    assert list(ours.params_.index) == list(ref.params_.index)
    assert rel(ours.params_, ref.params_) < tol
    assert rel(ours.hazard_ratios_, ref.hazard_ratios_) < tol
    assert rel(ours.standard_errors_, ref.standard_errors_) < tol
    assert rel(ours.variance_matrix_, ref.variance_matrix_) < tol
    assert (ours.variance_matrix_.index == ref.variance_matrix_.index).all()
    assert ours.log_likelihood_ == pytest.approx(ref.log_likelihood_, rel=1e-9)
    assert ours.AIC_partial_ == pytest.approx(ref.AIC_partial_, rel=1e-9)
    assert list(ours.summary.columns) == list(ref.summary.columns)
    cols = ["coef", "exp(coef)", "se(coef)", "coef lower 95%", "coef upper 95%", "z", "p"]
    # Bounds near 0 carry the standard errors' absolute differences.
    assert rel(ours.summary[cols], ref.summary[cols], floor=1e-2) < tol
    assert rel(ours.confidence_intervals_, ref.confidence_intervals_, floor=1e-2) < tol
    assert list(ours.confidence_intervals_.columns) == list(ref.confidence_intervals_.columns)
    lr, lr_ref = ours.log_likelihood_ratio_test(), ref.log_likelihood_ratio_test()
    assert lr.test_statistic == pytest.approx(lr_ref.test_statistic, rel=1e-7)
    assert lr.p_value == pytest.approx(lr_ref.p_value, rel=1e-6)
    assert lr.degrees_freedom == lr_ref.degrees_freedom
    assert repr(ours) == repr(ref)
    assert (ours.event_observed.index == ref.event_observed.index).all()
    assert (ours.event_observed.to_numpy() == ref.event_observed.to_numpy()).all()
    if baseline:
        for name in ("baseline_cumulative_hazard_", "baseline_survival_"):
            a, b = getattr(ours, name), getattr(ref, name)
            assert list(a.columns) == list(b.columns), name
            assert (a.index.to_numpy() == b.index.to_numpy()).all(), name
            assert rel(a, b) < tol, name


@pytest.mark.reference
@pytest.mark.filterwarnings("ignore")
def test_stanford_heart_transplants():
    df = datasets().load_stanford_heart_transplants()
    ours, ref = fit_both(df, event_col="event", start_col="start", stop_col="stop", id_col="id")
    check_fit(ours, ref)
    for method in ("predict_partial_hazard", "predict_log_partial_hazard"):
        a, b = getattr(ours, method)(df), getattr(ref, method)(df)
        assert (a.index == b.index).all() and rel(a, b) < 1e-6, method
    X = df[["age", "year", "surgery", "transplant"]].to_numpy()
    assert rel(ours.predict_partial_hazard(X), ref.predict_partial_hazard(X)) < 1e-6
    for style in (None, "ascii", "html", "latex"):
        out = io.StringIO()
        with redirect_stdout(out):
            ours.print_summary(style=style, decimals=3)
        assert "transplant" in out.getvalue(), style
    out = io.StringIO()
    with redirect_stdout(out):
        ours.print_summary()
    assert out.getvalue().startswith(repr(ref))
    assert "number of periods = 172" in out.getvalue() and "on 4 df" in out.getvalue()


@pytest.mark.reference
@pytest.mark.filterwarnings("ignore")
def test_dfcv_formula_and_penalizers():
    df = datasets().load_dfcv()
    ours, ref = fit_both(df, event_col="event", id_col="id")
    check_fit(ours, ref)
    ours, ref = fit_both(df, event_col="event", id_col="id", formula="group + I(z * 2)")
    check_fit(ours, ref)
    for penalizer in (0.1, np.array([0.0, 0.5])):
        ours, ref = fit_both(df, init=dict(penalizer=penalizer), event_col="event", id_col="id")
        check_fit(ours, ref)


@pytest.mark.reference
@pytest.mark.filterwarnings("ignore")
def test_strata_and_weights_fit_as_lifelines():
    df = datasets().load_stanford_heart_transplants()
    # With strata lifelines pools one baseline; ours is per stratum (see the class docs).
    ours, ref = fit_both(df, event_col="event", id_col="id", strata=["surgery"])
    check_fit(ours, ref, baseline=False)
    assert list(ours.baseline_cumulative_hazard_.columns) == [0, 1]
    rng = np.random.default_rng(5)
    weighted = df.assign(w=rng.integers(1, 4, size=len(df)).astype(float))
    # lifelines leaves the weights out of the baseline's denominator; ours keeps them.
    ours, ref = fit_both(weighted, event_col="event", id_col="id", weights_col="w")
    check_fit(ours, ref, baseline=False)


@pytest.mark.reference
@pytest.mark.filterwarnings("ignore")
def test_one_period_per_subject_is_coxph():
    rossi = datasets().load_rossi()
    tv = rossi.assign(start=0.0).rename(columns={"week": "stop"})
    ctv = CoxTimeVaryingFitter().fit(tv, event_col="arrest")
    cph = CoxPHFitter().fit(rossi, "week", "arrest")
    assert rel(ctv.params_, cph.params_) < 1e-12
    assert rel(ctv.standard_errors_, cph.standard_errors_) < 1e-10
    assert ctv.log_likelihood_ == pytest.approx(cph.log_likelihood_, rel=1e-12)
    events = cph.baseline_cumulative_hazard_.index.isin(rossi.loc[rossi.arrest == 1, "week"])
    assert rel(ctv.baseline_cumulative_hazard_, cph.baseline_cumulative_hazard_[events]) < 1e-12


def test_time_varying_errors():
    df = pd.DataFrame({"id": [1, 1, 2, 3], "start": [0.0, 2, 0, 0], "stop": [2.0, 1, 3, 4],
                       "event": [0, 1, 1, 0], "x": [0.1, 0.4, -0.3, 0.8]})
    with pytest.raises(retention.InvalidRowsError, match="row 1: field `entry`"):
        CoxTimeVaryingFitter().fit(df, event_col="event", id_col="id")
    with pytest.raises(NotImplementedError, match="Not available"):
        CoxTimeVaryingFitter().fit(df, event_col="event", robust=True)
    with pytest.raises(NotImplementedError, match="l1_ratio"):
        CoxTimeVaryingFitter(l1_ratio=0.5, penalizer=0.1).fit(df, event_col="event")
    with pytest.raises(KeyError):
        CoxTimeVaryingFitter().fit(df, event_col="event", start_col="begin")


@pytest.mark.reference
@pytest.mark.filterwarnings("ignore")
def test_coxph_entry_col_against_lifelines_and_R():
    df = datasets().load_multicenter_aids_cohort_study()
    lifelines = reference("lifelines")
    ref = lifelines.CoxPHFitter().fit(df, "T", "D", entry_col="W", fit_options=TIGHT)
    ours = CoxPHFitter().fit(df, "T", "D", entry_col="W", fit_options=TIGHT)
    assert rel(ours.params_, ref.params_) < 1e-6
    assert rel(ours.standard_errors_, ref.standard_errors_) < 1e-6
    assert ours.log_likelihood_ == pytest.approx(ref.log_likelihood_, rel=1e-9)
    # R: coxph(Surv(W, T, D) ~ AIDSY) gives 0.02322 (se 0.24630).
    assert ours.params_["AIDSY"] == pytest.approx(0.02322, abs=5e-6)
    assert ours.standard_errors_["AIDSY"] == pytest.approx(0.24630, abs=5e-6)
    # An event at its own entry time is never at risk: rejected, naming the row.
    bad = df.copy()
    bad.loc[1, "W"] = bad.loc[1, "T"]
    bad.loc[1, "D"] = 1
    with pytest.raises(ValueError, match="field `entry`"):
        CoxPHFitter().fit(bad, "T", "D", entry_col="W")
    rossi = datasets().load_rossi()
    plain = CoxPHFitter().fit(rossi, "week", "arrest", strata=["fin"])
    entry = CoxPHFitter().fit(rossi.assign(entry=0), "week", "arrest", entry_col="entry", strata=["fin"])
    assert rel(entry.summary, plain.summary) < 1e-12
    assert rel(entry.baseline_cumulative_hazard_, plain.baseline_cumulative_hazard_) < 1e-12
    with pytest.raises(retention.InvalidParameterError, match="robust"):
        CoxPHFitter().fit(df, "T", "D", entry_col="W", robust=True)
    assert ours.score(df) == pytest.approx(ref.score(df), rel=1e-7)
    with pytest.raises(NotImplementedError, match="entry_col"):
        ours.compute_residuals(df, "martingale")


@pytest.mark.reference
@pytest.mark.filterwarnings("ignore")
def test_coxph_array_penalizer():
    rossi = datasets().load_rossi()
    lifelines = reference("lifelines")
    penalty = np.array([0, 0.01, 0.02, 0.01, 0.05, 0.01, 0.1])
    ref = lifelines.CoxPHFitter(penalizer=penalty).fit(rossi, "week", "arrest", fit_options=TIGHT)
    ours = CoxPHFitter(penalizer=penalty).fit(rossi, "week", "arrest", fit_options=TIGHT)
    assert rel(ours.params_, ref.params_) < 1e-6
    assert rel(ours.standard_errors_, ref.standard_errors_) < 1e-6
    assert ours.log_likelihood_ == pytest.approx(ref.log_likelihood_, rel=1e-9)
    same = CoxPHFitter(penalizer=0.01 * np.ones(7)).fit(rossi, "week", "arrest")
    scalar = CoxPHFitter(penalizer=0.01).fit(rossi, "week", "arrest")
    assert (same.summary.to_numpy() == scalar.summary.to_numpy()).all()
    with pytest.raises(retention.LengthMismatchError, match="penalizers"):
        CoxPHFitter(penalizer=np.ones(3)).fit(rossi, "week", "arrest")


@pytest.mark.reference
@pytest.mark.filterwarnings("ignore")
@pytest.mark.parametrize("strata", [None, ["fin"]])
def test_coxph_conditional_after(strata):
    rossi = datasets().load_rossi()
    lifelines = reference("lifelines")
    ref = lifelines.CoxPHFitter().fit(rossi, "week", "arrest", strata=strata, fit_options=TIGHT)
    ours = CoxPHFitter().fit(rossi, "week", "arrest", strata=strata, fit_options=TIGHT)
    X = rossi.iloc[[0, 1, 2, 7, 30]]
    after = [8.0, 9.5, 0.0, 51.0, 20.0]
    for method in ("predict_cumulative_hazard", "predict_survival_function"):
        for times in (None, [0.0, 2.0, 10.0, 33.3, 80.0]):
            a = getattr(ours, method)(X, times=times, conditional_after=after)
            b = getattr(ref, method)(X, times=times, conditional_after=after)
            assert list(a.columns) == list(b.columns) and (a.index == b.index).all(), method
            assert rel(a, b, floor=1e-9) < 1e-6, method
    a, b = ours.predict_median(X, conditional_after=after), ref.predict_median(X, conditional_after=after)
    assert (a.to_numpy() == b.to_numpy()).all()
    a = ours.predict_percentile(X, p=0.8, conditional_after=after)
    assert (a.to_numpy() == ref.predict_percentile(X, p=0.8, conditional_after=after).to_numpy()).all()
    a, b = ours.predict_expectation(X, conditional_after=after), ref.predict_expectation(X, conditional_after=after)
    assert rel(a, b) < 1e-6
    # Survival given survival to s is S(s + t) / S(s), on a clock restarted at s.
    plain = ours.predict_survival_function(X.iloc[[0]], times=[8.0, 10.0, 20.0]).iloc[:, 0].to_numpy()
    given = ours.predict_survival_function(X.iloc[[0]], times=[0.0, 2.0, 12.0], conditional_after=[8])
    assert given.iloc[:, 0].to_numpy() == pytest.approx(plain / plain[0], rel=1e-12)
    with pytest.raises(retention.LengthMismatchError, match="conditional_after"):
        ours.predict_survival_function(X, conditional_after=[1.0])


@pytest.mark.reference
@pytest.mark.filterwarnings("ignore")
@pytest.mark.parametrize("penalizer, l1_ratio, strata", [
    (0.1, 0.5, None), (0.05, 1.0, None), (0.02, 0.3, ["race"]),
    (np.array([0, 0.1, 0.1, 0.2, 0.1, 0.1, 0.05]), 0.7, None),
])
def test_coxph_elastic_net(penalizer, l1_ratio, strata):
    # lifelines' defaults: its smoothed objective changes with the iteration,
    # so the schedule (not a tighter optimum) is what is reproduced.
    rossi = datasets().load_rossi()
    lifelines = reference("lifelines")
    ref = lifelines.CoxPHFitter(penalizer=penalizer, l1_ratio=l1_ratio).fit(rossi, "week", "arrest", strata=strata)
    ours = CoxPHFitter(penalizer=penalizer, l1_ratio=l1_ratio).fit(rossi, "week", "arrest", strata=strata)
    assert np.max(np.abs(ours.params_ - ref.params_)) < 1e-9
    assert rel(ours.standard_errors_, ref.standard_errors_) < 1e-6
    assert ours.log_likelihood_ == pytest.approx(ref.log_likelihood_, rel=1e-9)
    assert ours.log_likelihood_ratio_test().test_statistic == pytest.approx(
        ref.log_likelihood_ratio_test().test_statistic, rel=1e-7)
    # lifelines' step-size options change its schedule, and ours alike.
    options = {"step_size": 0.5, "r_precision": 1e-6}
    ref = lifelines.CoxPHFitter(penalizer=penalizer, l1_ratio=l1_ratio).fit(
        rossi, "week", "arrest", strata=strata, fit_options=options)
    ours = CoxPHFitter(penalizer=penalizer, l1_ratio=l1_ratio).fit(
        rossi, "week", "arrest", strata=strata, fit_options=options)
    assert np.max(np.abs(ours.params_ - ref.params_)) < 1e-9


@pytest.mark.reference
@pytest.mark.filterwarnings("ignore")
def test_coxph_private_helpers():
    rossi = datasets().load_rossi().iloc[:200]
    lifelines = reference("lifelines")
    normalize = reference("lifelines.utils").utils.normalize
    for kwargs in (dict(), dict(strata=["race"]), dict(weights_col="w", robust=True)):
        # Sorted as lifelines' helper expects (ties: censored first).
        df = rossi.assign(w=np.arange(len(rossi)) % 3 + 1.0).sort_values(["week", "arrest"], kind="mergesort")
        if "weights_col" not in kwargs:
            df = df.drop(columns="w")
        ref = lifelines.CoxPHFitter().fit(df, "week", "arrest", fit_options=TIGHT, **kwargs)
        ours = CoxPHFitter().fit(df, "week", "arrest", fit_options=TIGHT, **kwargs)
        data = df.set_index("race") if "strata" in kwargs else df
        X = normalize(data.drop(columns=["week", "arrest"] + (["w"] if "w" in data else [])),
                      ref._norm_mean, ref._norm_std)
        W = data["w"] if "w" in data else pd.Series(1.0, index=data.index)
        a = ours._compute_delta_beta(X, data["week"], data["arrest"], W)
        b = ref._compute_delta_beta(X, data["week"], data["arrest"], W)
        assert rel(a.to_numpy(), b.to_numpy(), floor=1e-6) < 1e-5
        assert rel(ours._compute_standard_errors(None, None, None, None),
                   ref._compute_standard_errors(X, data["week"], data["arrest"], W)) < 1e-6
        assert rel(ours._compute_p_values(), ref._compute_p_values()) < 1e-5


@pytest.mark.reference
@pytest.mark.filterwarnings("ignore")
def test_initial_point():
    lifelines = reference("lifelines")
    rossi = datasets().load_rossi()
    start = 0.1 * np.ones(7)
    # A smooth objective: the same optimum from anywhere.
    ref = lifelines.CoxPHFitter(penalizer=0.1).fit(rossi, "week", "arrest", initial_point=start, fit_options=TIGHT)
    ours = CoxPHFitter(penalizer=0.1).fit(rossi, "week", "arrest", initial_point=start, fit_options=TIGHT)
    assert rel(ours.params_, ref.params_) < 1e-6
    # lifelines' null log-likelihood is off after an initial point (its test
    # statistic here is 2890.6); the one without it is the reference.
    plain = lifelines.CoxPHFitter(penalizer=0.1).fit(rossi, "week", "arrest", fit_options=TIGHT)
    assert ours.log_likelihood_ratio_test().test_statistic == pytest.approx(
        plain.log_likelihood_ratio_test().test_statistic, rel=1e-7)
    # The elastic net's schedule depends on its start, as lifelines'.
    ref = lifelines.CoxPHFitter(penalizer=0.1, l1_ratio=0.5).fit(rossi, "week", "arrest", initial_point=start)
    ours = CoxPHFitter(penalizer=0.1, l1_ratio=0.5).fit(rossi, "week", "arrest", initial_point=start)
    assert np.max(np.abs(ours.params_ - ref.params_)) < 1e-9
    heart = datasets().load_stanford_heart_transplants()
    ref = lifelines.CoxTimeVaryingFitter().fit(heart, id_col="id", event_col="event", strata=["transplant"],
                                               initial_point=0.1 * np.ones(3), fit_options=TIGHT)
    ours = CoxTimeVaryingFitter().fit(heart, id_col="id", event_col="event", strata=["transplant"],
                                      initial_point=0.1 * np.ones(3), fit_options=TIGHT)
    assert rel(ours.params_, ref.params_) < 1e-6
    assert ours.log_likelihood_ratio_test().test_statistic == pytest.approx(
        ref.log_likelihood_ratio_test().test_statistic, rel=1e-7)
    with pytest.raises(retention.LengthMismatchError, match="initial_point"):
        CoxPHFitter().fit(rossi, "week", "arrest", initial_point=np.zeros(2))
