"""retention.compat.lifelines: lifelines' names; ``reference`` tests compare
with lifelines 0.30 itself to 1e-6 relative (run in .venv-ref)."""

import numpy as np
import pandas as pd
import pytest

import retention
from retention.compat.lifelines import CoxPHFitter, KaplanMeierFitter, NelsonAalenFitter
from retention.compat.lifelines.statistics import logrank_test, multivariate_logrank_test
from retention.compat.lifelines.utils import concordance_index

from conftest import reference


@pytest.fixture(scope="module")
def data():
    rng = np.random.default_rng(11)
    n = 300
    x1 = rng.normal(size=n)
    x2 = rng.binomial(1, 0.4, size=n).astype(float)
    t = np.round(rng.exponential(10 * np.exp(-0.5 * x1 + 0.3 * x2)), 1) + 0.1
    c = np.round(rng.uniform(0, 25, size=n), 1) + 0.1
    group = rng.choice(["a", "b", "c"], size=n)
    return pd.DataFrame({"T": np.minimum(t, c), "E": (t <= c).astype(int), "x1": x1, "x2": x2, "group": group})


def rel(a, b):
    a, b = np.asarray(a, float), np.asarray(b, float)
    return float(np.max(np.abs(a - b) / np.maximum(np.abs(b), 1e-12)))


def test_kaplan_meier_shape(data):
    km = KaplanMeierFitter().fit(data["T"], data["E"], label="shop")
    assert list(km.survival_function_.columns) == ["shop"]
    assert list(km.confidence_interval_.columns) == ["shop_lower_0.95", "shop_upper_0.95"]
    assert km.survival_function_.index.name == "timeline"
    assert list(km.event_table.columns) == ["removed", "observed", "censored", "entrance", "at_risk"]
    assert km.event_table["observed"].sum() == data["E"].sum()
    assert 0 < km.median_survival_time_ < np.inf
    assert km.predict(0.0) == 1.0
    assert km.predict([0.0, 1e9]).iloc[-1] == km.survival_function_["shop"].iloc[-1]
    grid = KaplanMeierFitter().fit(data["T"], data["E"], timeline=[0, 5, 10])
    assert list(grid.survival_function_.index) == [0, 5, 10]
    assert grid.survival_function_.iloc[1, 0] == km.predict(5.0)
    with pytest.raises(retention.InvalidRowsError) as e:
        KaplanMeierFitter().fit([1.0, 2.0], [1, 1], weights=[1.0, -1.0])
    assert (e.value.issues[0]["row"], e.value.issues[0]["field"]) == (1, "weights")
    with pytest.raises(retention.InvalidRowsError) as e:
        KaplanMeierFitter().fit([1.0, 2.0], [1, 1], entry=[0.0, 3.0])
    assert (e.value.issues[0]["row"], e.value.issues[0]["field"]) == (1, "entry")
    with pytest.raises(retention.InvalidRowsError):
        KaplanMeierFitter().fit([1.0, np.nan], [1, 1])
    # Negative durations are accepted (as in lifelines): only their order counts.
    # The origin becomes the earliest duration, so the row at 0 goes away.
    shifted = KaplanMeierFitter().fit(data["T"] - 100.0, data["E"])
    assert km.survival_function_.index[0] == 0.0 and data["T"].min() > 0
    np.testing.assert_array_equal(shifted.survival_function_.to_numpy(), km.survival_function_.to_numpy()[1:])
    assert shifted.survival_function_.index[0] == data["T"].min() - 100.0


def test_plot_survival_function(data, tmp_path):
    pytest.importorskip("matplotlib")
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots()
    out = KaplanMeierFitter().fit(data["T"], data["E"]).plot_survival_function(ax=ax)
    assert out is ax
    fig.savefig(tmp_path / "km.png")
    plt.close(fig)


def test_cox_and_tests_shape(data):
    cph = CoxPHFitter().fit(data[["T", "E", "x1", "x2"]], "T", "E")
    assert list(cph.summary.columns) == ["coef", "exp(coef)", "se(coef)", "coef lower 95%", "coef upper 95%",
                                         "exp(coef) lower 95%", "exp(coef) upper 95%", "cmp to", "z", "p", "-log2(p)"]
    assert cph.summary.index.name == "covariate" and list(cph.params_.index) == ["x1", "x2"]
    hazard = cph.predict_partial_hazard(data)
    assert hazard.shape == (len(data),) and (hazard > 0).all()
    res = logrank_test(data["T"][data.x2 == 0], data["T"][data.x2 == 1],
                       data["E"][data.x2 == 0], data["E"][data.x2 == 1])
    assert 0 <= res.p_value <= 1 and res.degrees_of_freedom == 1
    assert list(res.summary.columns) == ["test_statistic", "p", "-log2(p)"]
    multi = multivariate_logrank_test(data["T"], data["group"], data["E"])
    assert multi.degrees_of_freedom == 2
    assert 0.5 < concordance_index(data["T"], -data["x1"], data["E"]) < 1


@pytest.mark.reference
@pytest.mark.filterwarnings("ignore")
def test_univariate_against_lifelines(data):
    lifelines = reference("lifelines")
    ref = lifelines.KaplanMeierFitter().fit(data["T"], data["E"])
    km = KaplanMeierFitter().fit(data["T"], data["E"])
    assert (km.survival_function_.index == ref.survival_function_.index).all()
    assert rel(km.survival_function_, ref.survival_function_) < 1e-6
    assert list(km.confidence_interval_.columns) == list(ref.confidence_interval_.columns)
    assert rel(km.confidence_interval_, ref.confidence_interval_) < 1e-6
    assert km.median_survival_time_ == pytest.approx(ref.median_survival_time_, rel=1e-12)
    assert (km.event_table.to_numpy() == ref.event_table.to_numpy()).all()
    times = [0.0, 3.3, 7.0, 100.0]
    assert rel(km.predict(times), ref.predict(times)) < 1e-12
    grid = np.linspace(0, 30, 13)
    ref_grid = lifelines.KaplanMeierFitter().fit(data["T"], data["E"], timeline=grid)
    ours_grid = KaplanMeierFitter().fit(data["T"], data["E"], timeline=grid)
    assert rel(ours_grid.survival_function_, ref_grid.survival_function_) < 1e-6
    ref90 = lifelines.KaplanMeierFitter().fit(data["T"], data["E"], alpha=0.1)
    assert rel(KaplanMeierFitter().fit(data["T"], data["E"], alpha=0.1).confidence_interval_,
               ref90.confidence_interval_) < 1e-6

    ref_na = lifelines.NelsonAalenFitter().fit(data["T"], data["E"])
    na = NelsonAalenFitter().fit(data["T"], data["E"])
    assert rel(na.cumulative_hazard_, ref_na.cumulative_hazard_) < 1e-6
    assert list(na.confidence_interval_.columns) == list(ref_na.confidence_interval_.columns)
    assert rel(na.confidence_interval_, ref_na.confidence_interval_) < 1e-6
    ref_raw = lifelines.NelsonAalenFitter(nelson_aalen_smoothing=False).fit(data["T"], data["E"])
    raw = NelsonAalenFitter(nelson_aalen_smoothing=False).fit(data["T"], data["E"])
    assert rel(raw.cumulative_hazard_, ref_raw.cumulative_hazard_) < 1e-6


@pytest.mark.reference
@pytest.mark.filterwarnings("ignore")
def test_cox_against_lifelines(data):
    lifelines = reference("lifelines")
    df = data[["T", "E", "x1", "x2"]]
    # lifelines stops Newton-Raphson early by default; tighten it so both
    # sides are at the optimum.
    tight = dict(precision=1e-14, r_precision=1e-14, max_steps=100)
    for penalizer in (0.0, 0.1):
        ref = lifelines.CoxPHFitter(penalizer=penalizer).fit(df, "T", "E", fit_options=tight)
        cph = CoxPHFitter(penalizer=penalizer).fit(df, "T", "E", fit_options=tight)
        assert rel(cph.params_, ref.params_) < 1e-6
        assert rel(cph.standard_errors_, ref.standard_errors_) < 1e-6
        assert cph.log_likelihood_ == pytest.approx(ref.log_likelihood_, rel=1e-9)
        assert cph.concordance_index_ == pytest.approx(ref.concordance_index_, rel=1e-9)
        assert list(cph.summary.columns) == list(ref.summary.columns)
        cols = ["coef", "exp(coef)", "se(coef)", "coef lower 95%", "coef upper 95%", "z", "p"]
        assert rel(cph.summary[cols], ref.summary[cols]) < 1e-6
        assert rel(cph.predict_partial_hazard(df), ref.predict_partial_hazard(df)) < 1e-6


@pytest.mark.reference
@pytest.mark.filterwarnings("ignore")
def test_statistics_and_utils_against_lifelines(data):
    reference("lifelines")
    from lifelines import statistics as ls
    from lifelines import utils as lu

    a, b = data[data.x2 == 0], data[data.x2 == 1]
    ref = ls.logrank_test(a["T"], b["T"], a["E"], b["E"])
    got = logrank_test(a["T"], b["T"], a["E"], b["E"])
    assert got.test_statistic == pytest.approx(ref.test_statistic, rel=1e-9)
    assert got.p_value == pytest.approx(ref.p_value, rel=1e-9)
    ref_all = ls.logrank_test(a["T"], b["T"])
    assert logrank_test(a["T"], b["T"]).test_statistic == pytest.approx(ref_all.test_statistic, rel=1e-9)
    ref_m = ls.multivariate_logrank_test(data["T"], data["group"], data["E"])
    got_m = multivariate_logrank_test(data["T"], data["group"], data["E"])
    assert got_m.test_statistic == pytest.approx(ref_m.test_statistic, rel=1e-9)
    assert got_m.p_value == pytest.approx(ref_m.p_value, rel=1e-9)
    assert got_m.degrees_of_freedom == ref_m.degrees_of_freedom
    scores = -data["x1"].to_numpy()
    assert concordance_index(data["T"], scores, data["E"]) == pytest.approx(
        lu.concordance_index(data["T"], scores, data["E"]), rel=1e-12)
    assert concordance_index(data["T"], scores) == pytest.approx(lu.concordance_index(data["T"], scores), rel=1e-12)


def test_concordance_index_takes_what_lifelines_takes():
    # Subjects (time, event, score) of the core's hand-computed example:
    # five comparable pairs, two concordant, one tied.
    t, s, e = [1.0, 2.0, 2.0, 3.0], [1.0, 3.0, 3.0, 0.0], [1, 1, 0, 0]
    assert concordance_index(t, s, e) == pytest.approx(0.5)
    # Only the order of the times matters, below zero too; (n, 1) columns.
    shifted = np.array(t)[:, None] - 10
    assert concordance_index(shifted, np.array(s)[:, None], e) == pytest.approx(0.5)
    with pytest.raises(ZeroDivisionError, match="admissable pairs"):
        concordance_index([1, 2, 3], [1, 2, 3], [0, 0, 0])
    with pytest.raises(ValueError, match="one-dimensional"):
        concordance_index(np.ones((3, 2)), [1, 2, 3])


def test_censoring_kinds_shape_and_errors():
    from retention.compat.lifelines.statistics import survival_difference_at_fixed_point_in_time_test

    left = KaplanMeierFitter().fit_left_censoring([3, 5, 5, 5, 6, 6, 10, 12], [1, 0, 0, 1, 1, 1, 0, 1])
    assert left._censoring_type == "left"
    assert "3 left-censored observations" in repr(left)
    np.testing.assert_allclose(left.survival_function_.to_numpy() + left.cumulative_density_.to_numpy(), 1.0)
    right = KaplanMeierFitter().fit([3, 5, 7], [1, 1, 1])
    with pytest.raises(NotImplementedError, match="left-censored"):
        survival_difference_at_fixed_point_in_time_test(5.0, left, right)
    ic = KaplanMeierFitter().fit_interval_censoring([0, 4, 2, 0, 2, 5], [1, 6, 6, 3, 4, 7])
    assert list(ic.survival_function_.columns) == ["NPMLE_estimate_upper", "NPMLE_estimate_lower"]
    assert not hasattr(ic, "confidence_interval_")
    # Upper curve never below the lower one; both non-increasing from 1 to 0.
    sf = ic.survival_function_.to_numpy()
    assert (sf[:, 0] >= sf[:, 1]).all() and (np.diff(sf, axis=0) <= 1e-12).all()
    assert sf[0].tolist() == [1.0, 1.0] and sf[-1].tolist() == [0.0, 0.0]
    with pytest.raises(retention.InvalidRowsError) as e:
        KaplanMeierFitter().fit_interval_censoring([1.0, 3.0], [2.0, 1.0])
    assert (e.value.issues[0]["row"], e.value.issues[0]["field"]) == (1, "upper_bound")
    with pytest.raises(retention.InvalidRowsError) as e:
        KaplanMeierFitter().fit_interval_censoring([1.0, 3.0], [2.0, 4.0], event_observed=[1, 0])
    assert e.value.issues[0]["field"] == "event_observed"
    with pytest.raises(NotImplementedError, match="entry"):
        KaplanMeierFitter().fit_interval_censoring([1.0], [2.0], entry=[0.0])
    with pytest.raises(NotImplementedError):
        KaplanMeierFitter().fit_interval_censoring([1.0], [2.0], fit_method="scipy")
    assert NelsonAalenFitter.fit_right_censoring is NelsonAalenFitter.fit
    km = KaplanMeierFitter().fit([1, 2, 3])
    assert km.predict(0.5, interpolate=True) == pytest.approx(5 / 6)


def test_aalen_johansen_by_hand_and_errors():
    from retention.compat.lifelines import AalenJohansenFitter

    # Times 1 (cause 1), 2 (cause 2), 3 (censored), 4 (cause 1): S = 3/4, 1/2,
    # 1/2, 0, so F1 = 1/4 from t = 1 and 1/4 + 1/2 at t = 4.
    aj = AalenJohansenFitter().fit([1.0, 2.0, 3.0, 4.0], [1, 2, 0, 1], event_of_interest=1)
    assert aj.cumulative_density_["CIF_1"].tolist() == [0.0, 0.25, 0.25, 0.25, 0.75]
    assert list(aj.event_table.columns) == ["removed", "observed", "observed_1", "censored", "entrance", "at_risk"]
    assert aj.variance_.iloc[1] == pytest.approx(3 / 64)
    assert list(aj.confidence_interval_.columns) == ["AJ_estimate_upper_0.95", "AJ_estimate_lower_0.95"]
    assert AalenJohansenFitter(calculate_variance=False).fit([1.0, 2.0], [1, 2], 2).variance_ is None
    with pytest.raises(retention.InvalidParameterError, match="event_of_interest"):
        AalenJohansenFitter().fit([1.0, 2.0], [1, 2], 0)
    with pytest.raises(retention.InvalidRowsError) as e:
        AalenJohansenFitter().fit([1.0, 2.0], [1, 1.5], 1)
    assert e.value.issues[0]["field"] == "event_observed"
    with pytest.raises(NotImplementedError, match="entry"):
        AalenJohansenFitter().fit([1.0, 2.0], [1, 2], 1, entry=[0.0, 0.0])


def test_nan_durations_are_also_type_errors():
    from retention.compat.lifelines import NonFiniteRowsError

    for fitter in (KaplanMeierFitter, NelsonAalenFitter):
        with pytest.raises(TypeError) as e:
            fitter().fit([1.0, 2.0, np.nan])
        assert isinstance(e.value, retention.InvalidRowsError) and isinstance(e.value, NonFiniteRowsError)
        assert e.value.issues[0]["row"] == 2
    # Other bad rows stay plain InvalidRowsError (a ValueError, not a TypeError).
    with pytest.raises(retention.InvalidRowsError) as e:
        KaplanMeierFitter().fit([1.0, 2.0], weights=[1.0, -1.0])
    assert not isinstance(e.value, TypeError)


def test_pickle_and_event_codes():
    import pickle

    km = KaplanMeierFitter().fit([1.0, 2.0, 2.0, 5.0], [1, 2, 0, 1])
    # Any non-zero code is an event, as in lifelines.
    assert km.event_table["observed"].tolist() == [0, 1, 1, 0 + 1]
    back = pickle.loads(pickle.dumps(km))
    pd.testing.assert_frame_equal(back.event_table, km.event_table)
    pd.testing.assert_frame_equal(back.survival_function_, km.survival_function_)
    with pytest.raises(TypeError):
        KaplanMeierFitter().fit([1.0, 2.0], [1.0, np.nan])
