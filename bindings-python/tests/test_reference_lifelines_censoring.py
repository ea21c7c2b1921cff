"""Left-censored Kaplan-Meier and Turnbull's NPMLE (interval censoring)
against lifelines 0.30 itself (1e-6 relative)."""

import warnings

import numpy as np
import pytest

from conftest import reference
from test_reference_lifelines_univariate import close as _close

pytestmark = pytest.mark.reference


def close(actual, expected, what):
    # Timelines may hold inf (right-censored upper bounds): inf - inf is fine here.
    with np.errstate(invalid="ignore"):
        _close(actual, expected, what)


def interval_cases():
    rng = np.random.default_rng(11)
    left = np.floor(rng.exponential(10, size=300))
    right = left + rng.integers(0, 8, size=300)
    right = np.where(rng.uniform(size=300) < 0.2, np.inf, right)
    return [
        # icenReg's example (lifelines' test against R).
        ("R example", [0, 4, 2, 0, 2, 5], [1, 6, 6, 3, 4, 7], {}),
        ("0 and inf", [0, 8, 8, 7, 7, 17, 37, 46, 46, 45], [7, 8, 10, 16, 14, np.inf, 44, np.inf, np.inf, np.inf], {}),
        ("custom timeline", [6, 7, 8, 7, 5], [7, 8, 10, 16, 20], {"timeline": np.arange(10)}),
        ("weights", [6, 7, 8, 7, 5], [7, 8, 10, 16, 20], {"weights": [1.0, 2.0, 3.0, 1.0, 2.0]}),
        ("random with exact and right-censored", left, right, {}),
        ("tighter tol", left, right, {"tol": 1e-8}),
    ]


@pytest.mark.parametrize("case", range(6))
def test_interval_censoring_matches_lifelines(case):
    lifelines = reference("lifelines")
    from retention.compat.lifelines import KaplanMeierFitter

    name, lo, up, kw = interval_cases()[case]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ref = lifelines.KaplanMeierFitter().fit_interval_censoring(lo, up, **kw)
    ours = KaplanMeierFitter().fit_interval_censoring(lo, up, **kw)
    assert list(ours.survival_function_.columns) == list(ref.survival_function_.columns)
    close(ours.survival_function_.index, ref.survival_function_.index, f"{name} timeline")
    close(ours.survival_function_, ref.survival_function_, f"{name} survival")
    close(ours.cumulative_density_, ref.cumulative_density_, f"{name} cdf")
    close(ours.median_survival_time_, ref.median_survival_time_, f"{name} median")
    assert repr(ours) == repr(ref)


def left_cases():
    from lifelines.datasets import load_lcd

    rng = np.random.default_rng(3)
    lcd = load_lcd()
    return [
        # Dixon's example (lifelines' test).
        ("Dixon", [3, 5, 5, 5, 6, 6, 10, 12], [1, 0, 0, 1, 1, 1, 0, 1], {}),
        ("lcd dataset", lcd["T"], lcd["E"], {}),
        ("continuous", rng.exponential(5, size=200), rng.uniform(size=200) < 0.6, {}),
        ("ties and whole weights", np.round(rng.exponential(5, size=200)), rng.uniform(size=200) < 0.6,
         {"weights": rng.integers(1, 4, size=200).astype(float)}),
        ("timeline", [3, 5, 5, 5, 6, 6, 10, 12], [1, 0, 0, 1, 1, 1, 0, 1], {"timeline": [0.0, 4.0, 5.5, 11.0, 20.0]}),
    ]


@pytest.mark.parametrize("case", range(5))
def test_left_censoring_matches_lifelines(case):
    lifelines = reference("lifelines")
    from retention.compat.lifelines import KaplanMeierFitter

    name, T, E, kw = left_cases()[case]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ref = lifelines.KaplanMeierFitter().fit_left_censoring(T, E, **kw)
    ours = KaplanMeierFitter().fit_left_censoring(T, E, **kw)
    for attr in ("survival_function_", "cumulative_density_", "confidence_interval_",
                 "confidence_interval_cumulative_density_"):
        a, b = getattr(ours, attr), getattr(ref, attr)
        assert list(a.columns) == list(b.columns), attr
        close(a.index, b.index, f"{name} {attr} index")
        close(a, b, f"{name} {attr}")
    if "timeline" not in kw:
        close(ours.event_table, ref.event_table, f"{name} event table")
    close(ours.median_survival_time_, ref.median_survival_time_, f"{name} median")
    assert repr(ours) == repr(ref)


def test_predict_interpolates_like_lifelines():
    lifelines = reference("lifelines")
    from lifelines.datasets import load_waltons
    from retention.compat.lifelines import KaplanMeierFitter, NelsonAalenFitter

    w = load_waltons()
    at = [-1.0, 0.5, 7.3, 33.3, 60.0, 1e3]
    for ours, ref in ((KaplanMeierFitter(), lifelines.KaplanMeierFitter()),
                      (NelsonAalenFitter(), lifelines.NelsonAalenFitter())):
        ours.fit(w["T"], w["E"])
        ref.fit(w["T"], w["E"])
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            expected = ref.predict(at, interpolate=True)
            one = ref.predict(7.3, interpolate=True)
        close(ours.predict(at, interpolate=True), expected, type(ours).__name__)
        close(ours.predict(7.3, interpolate=True), one, type(ours).__name__)


def aj_cases():
    from lifelines.datasets import load_waltons

    rng = np.random.default_rng(2)
    n = 300
    T = rng.exponential(10, size=n)
    codes = rng.choice([0, 1, 2], size=n, p=[0.3, 0.4, 0.3])
    w = load_waltons()
    # waltons has tied times; keep one subject per time so that lifelines
    # does not jitter, with synthetic competing event codes.
    first = w.drop_duplicates("T")
    wcodes = np.where(first["E"].to_numpy() == 0, 0, 1 + (first.index.to_numpy() % 3 == 0))
    return [
        ("synthetic, cause 1", T, codes, 1, {}),
        ("synthetic, cause 2", T, codes, 2, {}),
        ("synthetic, weights", T, codes, 1, {"weights": rng.integers(1, 4, size=n).astype(float)}),
        ("waltons, no ties", first["T"].to_numpy(), wcodes, 2, {"alpha": 0.1}),
    ]


@pytest.mark.parametrize("case", range(4))
def test_aalen_johansen_matches_lifelines(case):
    lifelines = reference("lifelines")
    from retention.compat.lifelines import AalenJohansenFitter

    name, T, codes, k, kw = aj_cases()[case]
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no tie jitter on these data
        ref = lifelines.AalenJohansenFitter().fit(T, codes, k, **kw)
    ours = AalenJohansenFitter().fit(T, codes, k, **kw)
    assert list(ours.cumulative_density_.columns) == list(ref.cumulative_density_.columns)
    close(ours.cumulative_density_.index, ref.cumulative_density_.index, f"{name} index")
    close(ours.cumulative_density_, ref.cumulative_density_, f"{name} CIF")
    assert list(ours.event_table.columns) == list(ref.event_table.columns)
    close(ours.event_table, ref.event_table, f"{name} event table")
    assert list(ours.confidence_interval_.columns) == list(ref.confidence_interval_.columns)
    # lifelines has NaN where the CIF is 0 and, once everybody left at risk
    # has the event, in the variance: compare where it is finite.
    for a, b, what in ((ours.variance_, ref.variance_, "variance"),
                       (ours.confidence_interval_, ref.confidence_interval_, "ci")):
        a, b = np.asarray(a, float), np.asarray(b, float)
        finite = np.isfinite(b)
        assert finite.mean() > 0.9
        close(a[finite], b[finite], f"{name} {what}")
    assert repr(ours) == repr(ref)


def test_interval_predict_matches_lifelines():
    lifelines = reference("lifelines")
    from retention.compat.lifelines import KaplanMeierFitter

    lo, up = [0, 4, 2, 0, 2, 5], [1, 6, 6, 3, 4, 7]
    ref = lifelines.KaplanMeierFitter().fit_interval_censoring(lo, up)
    ours = KaplanMeierFitter().fit_interval_censoring(lo, up)
    at = [0.5, 1.0, 3.5, 6.5, 10.0]
    expected = ref.predict(at)
    got = ours.predict(at)
    assert list(got.columns) == list(expected.columns)
    close(got, expected, "predict")
    close(ours.predict(3.5), ref.predict(3.5), "predict scalar")
