"""lifelines.statistics / lifelines.utils agreement (run in .venv-ref): every
weighting, t_0, case weights, pairwise tests, the fixed-point test and RMST."""

import warnings

import numpy as np
import pytest

import retention

from conftest import reference

pytestmark = pytest.mark.reference

lifelines = reference("lifelines")
from lifelines import KaplanMeierFitter as LifelinesKM  # noqa: E402
from lifelines import statistics as ls  # noqa: E402
from lifelines.datasets import load_rossi, load_waltons  # noqa: E402
from lifelines.utils import restricted_mean_survival_time as lifelines_rmst  # noqa: E402

from retention.compat.lifelines import KaplanMeierFitter  # noqa: E402
from retention.compat.lifelines import statistics as rs  # noqa: E402
from retention.compat.lifelines.utils import restricted_mean_survival_time  # noqa: E402

WEIGHTINGS = [
    (None, {}), ("wilcoxon", {}), ("tarone-ware", {}), ("peto", {}),
    ("fleming-harrington", {"p": 1.0, "q": 0.5}), ("fleming-harrington", {"p": 0.0, "q": 1.0}),
]


def close(ours, theirs, tol=1e-6):
    assert ours.test_name == theirs.test_name
    np.testing.assert_allclose(ours.summary.to_numpy(float), theirs.summary.to_numpy(float), rtol=tol)
    np.testing.assert_allclose(ours.test_statistic, theirs.test_statistic, rtol=tol)
    np.testing.assert_allclose(ours.p_value, theirs.p_value, rtol=tol)


@pytest.fixture(scope="module")
def waltons():
    return load_waltons()


@pytest.fixture(scope="module")
def rossi():
    return load_rossi()


@pytest.mark.parametrize("weightings,kw", WEIGHTINGS)
@pytest.mark.parametrize("t_0", [-1, 30])
def test_two_groups(waltons, weightings, kw, t_0):
    a = waltons.group == "miR-137"
    t, e = waltons["T"], waltons["E"]
    args = (t[a], t[~a], e[a], e[~a])
    close(rs.logrank_test(*args, t_0=t_0, weightings=weightings, **kw),
          ls.logrank_test(*args, t_0=t_0, weightings=weightings, **kw))


@pytest.mark.parametrize("weightings,kw", WEIGHTINGS)
def test_negative_durations(waltons, weightings, kw):
    # Only the order of the times counts; lifelines accepts negative ones.
    if weightings == "fleming-harrington":
        pytest.skip("lifelines' Fleming-Harrington weights fail on negative durations (a length error)")
    a = waltons.group == "miR-137"
    t, e = waltons["T"] - 35.0, waltons["E"]
    args = (t[a], t[~a], e[a], e[~a])
    close(rs.logrank_test(*args, weightings=weightings, **kw), ls.logrank_test(*args, weightings=weightings, **kw))


@pytest.mark.parametrize("weightings,kw", WEIGHTINGS)
def test_case_weights(rossi, weightings, kw):
    w = 1.0 + 0.5 * (rossi.age % 3)
    a = rossi.fin == 1
    close(rs.logrank_test(rossi.week[a], rossi.week[~a], rossi.arrest[a], rossi.arrest[~a], weights_A=w[a],
                          weights_B=w[~a], weightings=weightings, **kw),
          ls.logrank_test(rossi.week[a], rossi.week[~a], rossi.arrest[a], rossi.arrest[~a], weights_A=w[a],
                          weights_B=w[~a], weightings=weightings, **kw))
    close(rs.multivariate_logrank_test(rossi.week, rossi.prio.clip(0, 3), rossi.arrest, weights=w,
                                       weightings=weightings, **kw),
          ls.multivariate_logrank_test(rossi.week, rossi.prio.clip(0, 3), rossi.arrest, weights=w,
                                       weightings=weightings, **kw))


@pytest.mark.parametrize("weightings,kw", WEIGHTINGS)
@pytest.mark.parametrize("t_0", [-1, 25])
def test_multivariate_and_pairwise(rossi, weightings, kw, t_0):
    groups = rossi.prio.clip(0, 3).map({0: "none", 1: "one", 2: "two", 3: "many"})
    args = (rossi.week, groups, rossi.arrest)
    close(rs.multivariate_logrank_test(*args, t_0=t_0, weightings=weightings, **kw),
          ls.multivariate_logrank_test(*args, t_0=t_0, weightings=weightings, **kw))
    ours = rs.pairwise_logrank_test(*args, t_0=t_0, weightings=weightings, **kw)
    theirs = ls.pairwise_logrank_test(*args, t_0=t_0, weightings=weightings, **kw)
    close(ours, theirs)
    assert list(ours.summary.index) == list(theirs.summary.index)


def test_fixed_point_where_a_curve_is_one_is_an_error(waltons):
    # At t = 6 the second group's curve is still 1: lifelines answers NaN,
    # this package raises, naming the time.
    a = waltons.group == "miR-137"
    theirs = ls.survival_difference_at_fixed_point_in_time_test(
        6.0, LifelinesKM().fit(waltons["T"][a], waltons["E"][a]), LifelinesKM().fit(waltons["T"][~a], waltons["E"][~a]))
    assert np.isnan(theirs.test_statistic)
    with pytest.raises(retention.InvalidParameterError, match="point_in_time"):
        rs.survival_difference_at_fixed_point_in_time_test(
            6.0, KaplanMeierFitter().fit(waltons["T"][a], waltons["E"][a]),
            KaplanMeierFitter().fit(waltons["T"][~a], waltons["E"][~a]))


@pytest.mark.parametrize("t", [10.0, 13.5, 30.0, 60.0])
def test_fixed_point(waltons, t):
    a = waltons.group == "miR-137"
    fits = []
    for cls in (KaplanMeierFitter, LifelinesKM):
        fits.append((cls().fit(waltons["T"][a], waltons["E"][a]), cls().fit(waltons["T"][~a], waltons["E"][~a])))
    ours = rs.survival_difference_at_fixed_point_in_time_test(t, *fits[0])
    theirs = ls.survival_difference_at_fixed_point_in_time_test(t, *fits[1])
    np.testing.assert_allclose([ours.test_statistic, ours.p_value], [theirs.test_statistic, theirs.p_value],
                               rtol=1e-6)
    assert ours.point_in_time == t and ours.degrees_of_freedom == 1


def exact_second_moment(kmf, t):
    """2 ∫₀ᵗ u S(u) du over lifelines' own step function, integrated exactly."""
    sf = kmf.survival_function_.iloc[:, 0]
    x = np.r_[sf.index[sf.index < t].to_numpy(float), t]
    s = sf[sf.index < t].to_numpy(float)
    return float(np.sum(s * (x[1:] ** 2 - x[:-1] ** 2)))


@pytest.mark.parametrize("t", [5.0, 10.0, 13.5, 30.0, 60.0, 80.0])
def test_rmst(waltons, rossi, t):
    for d, e in [(waltons["T"], waltons["E"]), (rossi.week, rossi.arrest)]:
        theirs_km = LifelinesKM().fit(d, e)
        mean, var = restricted_mean_survival_time(KaplanMeierFitter().fit(d, e), t, return_variance=True)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            lmean, lvar = lifelines_rmst(theirs_km, t, return_variance=True)
        np.testing.assert_allclose(mean, lmean, rtol=1e-9)
        assert restricted_mean_survival_time(KaplanMeierFitter().fit(d, e), t) == mean
        # lifelines integrates the second moment with scipy's quad, which can stop short on
        # a step function (IntegrationWarning); the exact integral of its own curve is the
        # reference then.
        if caught:
            lvar = exact_second_moment(theirs_km, t) - lmean**2
        np.testing.assert_allclose(var, lvar, rtol=1e-6)


def test_options_are_checked(waltons):
    t, e = waltons["T"], waltons["E"]
    with pytest.raises(ValueError, match="Invalid value for weightings"):
        rs.logrank_test(t, t, e, e, weightings="gehan")
    with pytest.raises(ValueError, match="keyword argument p"):
        rs.logrank_test(t, t, e, e, weightings="fleming-harrington")
    with pytest.raises(NotImplementedError, match="KaplanMeierFitter"):
        rs.survival_difference_at_fixed_point_in_time_test(5.0, object(), object())
