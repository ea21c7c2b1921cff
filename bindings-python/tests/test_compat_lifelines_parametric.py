"""retention.compat.lifelines' parametric and AFT fitters without lifelines:
hand-computed values, shapes, typed errors and unsupported options."""

import math

import numpy as np
import pandas as pd
import pytest

from retention.compat.lifelines import (
    ExponentialFitter,
    LogLogisticAFTFitter,
    LogLogisticFitter,
    LogNormalAFTFitter,
    LogNormalFitter,
    PiecewiseExponentialFitter,
    WeibullAFTFitter,
    WeibullFitter,
)
from retention.compat.lifelines.utils import find_best_parametric_model
from retention.errors import EmptyInputError, InvalidParameterError, InvalidRowsError

T = [2.0, 3.0, 3.5, 5.0, 7.0, 8.0, 11.0, 13.0]
E = [1, 1, 0, 1, 0, 1, 1, 0]
DF = pd.DataFrame({"T": T, "E": E, "x": [0.0, 1, 0, 1, 1, 0, 0, 1], "z": [1.0, 2, 0, 3, 1, 2, 5, 1]})


def test_exponential_hand_values():
    ef = ExponentialFitter().fit(T, E)
    lam = sum(T) / sum(E)
    assert ef.lambda_ == pytest.approx(lam, rel=1e-14)
    assert ef.variance_matrix_.loc["lambda_", "lambda_"] == pytest.approx(lam**2 / 5, rel=1e-12)
    assert ef.log_likelihood_ == pytest.approx(-5 * math.log(lam) - 5, rel=1e-14)
    assert ef.AIC_ == pytest.approx(-2 * ef.log_likelihood_ + 2)
    assert ef.BIC_ == pytest.approx(-2 * ef.log_likelihood_ + math.log(8))
    assert ef.median_survival_time_ == pytest.approx(lam * math.log(2))
    assert ef.predict(4.0) == pytest.approx(math.exp(-4 / lam))
    z = 1.959963984540054
    se = lam / math.sqrt(5)
    row = ef.summary.loc["lambda_"]
    assert row["coef upper 95%"] == pytest.approx(lam + z * se, rel=1e-9)
    assert row["z"] == pytest.approx(lam / se)


def test_exponential_weights_and_entry():
    w = [1.0, 2, 1, 0.5, 1, 3, 1, 1]
    a = [0.0, 1, 0, 2, 0, 4, 0, 10]
    ef = ExponentialFitter().fit(T, E, weights=w, entry=a)
    exposure = sum(wi * (t - ai) for wi, t, ai in zip(w, T, a))
    events = sum(wi for wi, e in zip(w, E) if e)
    assert ef.lambda_ == pytest.approx(exposure / events, rel=1e-14)


def test_piecewise_hand_values():
    pf = PiecewiseExponentialFitter([4.0, 9.0]).fit(T, E)
    assert list(pf.params_) == pytest.approx([28.5 / 2, 18.0 / 2, 6.0], rel=1e-14)
    with pytest.raises(ValueError):
        PiecewiseExponentialFitter([])


@pytest.mark.parametrize("cls", [WeibullFitter, LogNormalFitter, LogLogisticFitter])
def test_curve_shapes_and_consistency(cls):
    f = cls().fit(T, E, timeline=[1.0, 4.0, 9.0])
    assert f.survival_function_.shape == (3, 1)
    assert list(f.survival_function_.index) == [1.0, 4.0, 9.0]
    assert f.confidence_interval_.shape == (3, 2)
    s = f.survival_function_.iloc[:, 0].to_numpy()
    assert np.all(np.diff(s) < 0)
    dens = f.density_.iloc[:, 0].to_numpy()
    assert np.allclose(dens, f.hazard_.iloc[:, 0].to_numpy() * s, rtol=1e-12)
    assert f.survival_function_at_times(f.percentile(0.3)).iloc[0] == pytest.approx(0.3, rel=1e-10)
    assert f.cumulative_density_.iloc[:, 0].to_numpy() == pytest.approx(1 - s)
    assert f.variance_matrix_.shape == (2, 2)


def test_univariate_bad_input():
    with pytest.raises(InvalidRowsError) as err:
        WeibullFitter().fit([1.0, 0.0, 2.0], [1, 1, 1])
    assert "duration" in str(err.value) and "row 1" in str(err.value)
    with pytest.raises(InvalidRowsError):
        WeibullFitter().fit([1.0, float("nan")], [1, 1])
    with pytest.raises(InvalidRowsError) as err:
        WeibullFitter().fit([1.0, 2.0], [1, 1], entry=[0.0, 3.0])
    assert "entry" in str(err.value)
    with pytest.raises(EmptyInputError):
        WeibullFitter().fit([1.0, 2.0], [0, 0])
    with pytest.raises(InvalidParameterError):
        WeibullFitter().fit(T, E).percentile(1.5)
    with pytest.raises(InvalidParameterError):
        PiecewiseExponentialFitter([3.0, -1.0]).fit(T, E)


@pytest.mark.parametrize("method", ["fit_left_censoring", "fit_interval_censoring"])
def test_univariate_unsupported(method):
    with pytest.raises(NotImplementedError, match=method):
        getattr(WeibullFitter(), method)(T, E)
    with pytest.raises(NotImplementedError, match="initial_point"):
        WeibullFitter().fit(T, E, initial_point=[1.0, 1.0])


@pytest.mark.parametrize("cls,params", [(WeibullAFTFitter, ("lambda_", "rho_")),
                                        (LogNormalAFTFitter, ("mu_", "sigma_")),
                                        (LogLogisticAFTFitter, ("alpha_", "beta_"))])
def test_aft_shapes(cls, params):
    rng = np.random.default_rng(1)
    x, z = rng.integers(0, 2, 60).astype(float), rng.normal(size=60)
    t = np.exp(2 + 0.5 * x - 0.3 * z) * rng.weibull(1.5, 60)
    DF = pd.DataFrame({"T": np.minimum(t, 8.0), "E": (t < 8.0).astype(int), "x": x, "z": z})
    aft = cls().fit(DF, "T", "E")
    assert list(aft.params_.index) == [(params[0], "x"), (params[0], "z"), (params[0], "Intercept"),
                                       (params[1], "Intercept")]
    assert aft.summary.shape == (4, 11)
    assert aft.variance_matrix_.shape == (4, 4)
    sf = aft.predict_survival_function(DF.iloc[:3], times=[1.0, 5.0])
    assert sf.shape == (2, 3) and np.all(sf.to_numpy() <= 1)
    med = aft.predict_median(DF)
    sf_med = aft.predict_survival_function(DF.iloc[[2]], times=[med.iloc[2]])
    assert sf_med.iloc[0, 0] == pytest.approx(0.5, rel=1e-10)
    assert 0 <= aft.concordance_index_ <= 1
    hz = aft.predict_hazard(DF.iloc[:3], times=[3.0]).to_numpy()
    eps = 1e-5
    ch = aft.predict_cumulative_hazard(DF.iloc[:3], times=[3.0 - eps, 3.0 + eps]).to_numpy()
    assert np.allclose(hz[0], (ch[1] - ch[0]) / (2 * eps), rtol=1e-6)
    stat, dof, _ = aft._fit.likelihood_ratio_test()
    assert stat == pytest.approx(2 * (aft.log_likelihood_ - aft._ll_null)) and dof == 2
    assert aft.AIC_ == pytest.approx(-2 * aft.log_likelihood_ + 8)
    anc = cls().fit(DF, "T", "E", ancillary=True)
    assert len(anc.params_) == 6
    no_int = cls(fit_intercept=False).fit(DF, "T", "E")
    assert (params[0], "Intercept") not in list(no_int.params_.index)


def test_aft_intercept_only_equals_univariate():
    uni = WeibullFitter().fit(T, E)
    aft = WeibullAFTFitter().fit(DF[["T", "E"]], "T", "E")
    assert list(aft.params_.index) == [("lambda_", "Intercept"), ("rho_", "Intercept")]
    assert math.exp(aft.params_.iloc[0]) == pytest.approx(uni.lambda_, rel=1e-8)
    assert math.exp(aft.params_.iloc[1]) == pytest.approx(uni.rho_, rel=1e-8)
    assert aft.log_likelihood_ == pytest.approx(uni.log_likelihood_, rel=1e-12)


def test_aft_errors_and_unsupported():
    with pytest.raises(InvalidRowsError):
        WeibullAFTFitter().fit(DF.assign(x=[0.0, 1, np.nan, 1, 1, 0, 0, 1]), "T", "E")
    with pytest.raises(InvalidParameterError):
        WeibullAFTFitter(penalizer=-1.0).fit(DF, "T", "E")
    for kwargs in [dict(initial_point=np.zeros(4)),
                   dict(ancillary="x"), dict(fit_options={"gtol": 1e-9})]:
        with pytest.raises(NotImplementedError):
            WeibullAFTFitter().fit(DF, "T", "E", **kwargs)
    with pytest.raises(NotImplementedError, match="l1_ratio"):
        WeibullAFTFitter(penalizer=0.1, l1_ratio=0.5).fit(DF, "T", "E")
    with pytest.raises(NotImplementedError, match="fit_left_censoring"):
        WeibullAFTFitter().fit_left_censoring(DF, "T", "E")
    aft = WeibullAFTFitter().fit(DF, "T", "E")
    with pytest.raises(NotImplementedError, match="conditional_after"):
        aft.predict_expectation(DF, conditional_after=[1.0] * 8)
    with pytest.raises(InvalidRowsError, match="conditional_after"):
        aft.predict_median(DF, conditional_after=[1.0] * 7 + [-1.0])


def test_find_best_parametric_model():
    model, score = find_best_parametric_model(T, E, scoring_method="AIC")
    scores = [cls().fit(T, E).AIC_ for cls in (WeibullFitter, ExponentialFitter, LogNormalFitter, LogLogisticFitter)]
    assert score == pytest.approx(min(scores))
    assert model.AIC_ == score
    with pytest.raises(NotImplementedError, match="censoring_type"):
        find_best_parametric_model(T, E, censoring_type="interval")


def test_pickle_round_trip_and_state_check():
    import pickle

    from retention import _retention

    f = WeibullFitter().fit(T, E)
    g = pickle.loads(pickle.dumps(f))
    assert g.params_.tolist() == f.params_.tolist()
    assert g.survival_function_at_times([4.0]).iloc[0] == f.survival_function_at_times([4.0]).iloc[0]
    aft = WeibullAFTFitter().fit(DF[["T", "E"]], "T", "E")
    assert pickle.loads(pickle.dumps(aft)).params_.tolist() == aft.params_.tolist()
    state = f._fit.state()
    state["covariance"] = [1.0]
    with pytest.raises(InvalidParameterError, match="covariance"):
        _retention.ParametricFit.from_state(state)


def test_parametric_curve_arithmetic_is_exact():
    a = ExponentialFitter().fit(T, E)
    b = ExponentialFitter().fit([1.0, 2.0, 4.0], [1, 1, 1])
    la, lb = sum(T) / sum(E), 7.0 / 3
    diff, ratio = a.subtract(b), a.divide(b)
    times = np.unique(np.concatenate([a.timeline, b.timeline]))
    assert np.allclose(diff.index, times) and list(diff.columns) == ["diff"]
    assert np.allclose(diff["diff"], times / la - times / lb, rtol=1e-12)
    assert list(ratio.columns) == ["ratio"]
    assert np.allclose(ratio["ratio"], lb / la, rtol=1e-12)
    assert np.allclose(a.subtract(a)["diff"], 0.0)


def test_parametric_conditional_time_to_event_and_plots():
    wf = WeibullFitter().fit(T, E, timeline=np.linspace(0, 12, 13))
    ct = wf.conditional_time_to_event_
    assert list(ct.index) == list(wf.survival_function_.index)
    assert ct.columns[0] == "Weibull_estimate - Conditional median duration remaining to event"
    # At t = 0 it is the median of the survival function tabulated on the
    # timeline: the first grid time where S <= 1/2.
    sf = wf.survival_function_.iloc[:, 0]
    assert ct.iloc[0, 0] == sf.index[np.argmax(sf.to_numpy() <= 0.5)]
    import matplotlib

    matplotlib.use("Agg")
    for method in ("plot", "plot_survival_function", "plot_hazard", "plot_density", "plot_cumulative_density"):
        ax = getattr(wf, method)()
        assert ax.get_lines(), method
        ax.clear()


def test_parametric_missing_values_are_type_errors_naming_rows():
    from retention.compat.lifelines import NonFiniteRowsError

    with pytest.raises(NonFiniteRowsError) as e:
        WeibullFitter().fit([1.0, 2.0, np.nan, 4.0])
    assert isinstance(e.value, TypeError) and e.value.issues[0]["row"] == 2
    with pytest.raises(NonFiniteRowsError) as e:
        ExponentialFitter().fit([1.0, 2.0, 3.0], [1, np.nan, 0])
    assert e.value.issues[0]["row"] == 1 and e.value.issues[0]["field"] == "event_observed"
    df = DF.copy()
    df.loc[3, "E"] = None
    with pytest.raises(NonFiniteRowsError) as e:
        WeibullAFTFitter().fit(df, "T", "E")
    assert e.value.issues[0]["row"] == 3 and "NaNs were detected in the dataset" in str(e.value)
    df = DF.copy()
    df.loc[5, "T"] = np.nan
    with pytest.raises(NonFiniteRowsError) as e:
        LogNormalAFTFitter().fit(df, "T", "E")
    assert e.value.issues[0]["row"] == 5


def test_object_event_column_warns_and_converts():
    flags = pd.Series([True, True, False, True, None], dtype=object).iloc[:4]
    with pytest.warns(UserWarning, match="convert"):
        got = ExponentialFitter().fit([1.0, 2.0, 3.0, 4.0], flags)
    assert got.lambda_ == pytest.approx(10.0 / 3)


def test_aft_regressors_and_formula():
    aft = WeibullAFTFitter().fit(DF, "T", "E")
    assert aft.regressors == {"lambda_": ["x", "z", "Intercept"], "rho_": ["Intercept"]}
    rng = np.random.default_rng(7)
    n = 60
    g = rng.choice(["a", "b", "c"], n)
    x = rng.normal(size=n)
    t = np.exp(1.0 + 0.3 * x + 0.5 * (g == "b") - 0.4 * (g == "c") + 0.5 * rng.gumbel(size=n))
    df = pd.DataFrame({"T": t, "E": (rng.uniform(size=n) < 0.8).astype(int), "x": x, "g": g})
    by_formula = WeibullAFTFitter().fit(df, "T", "E", formula="x + C(g)")
    assert list(by_formula.params_.loc["lambda_"].index) == ["x", "C(g)[T.b]", "C(g)[T.c]", "Intercept"]
    dummies = df.assign(gb=(df.g == "b") * 1.0, gc=(df.g == "c") * 1.0)[["T", "E", "x", "gb", "gc"]]
    by_hand = WeibullAFTFitter().fit(dummies, "T", "E")
    assert np.allclose(by_formula.params_.loc["lambda_"].to_numpy(),
                       by_hand.params_.loc["lambda_"][["x", "gb", "gc", "Intercept"]].to_numpy(), rtol=1e-9)
    # New rows are encoded with the fit's categories.
    median = by_formula.predict_median(pd.DataFrame({"x": [1.0], "g": ["c"]}))
    assert median.iloc[0] == pytest.approx(by_hand.predict_median(pd.DataFrame(
        {"x": [1.0], "gb": [0.0], "gc": [1.0]})).iloc[0], rel=1e-9)
    with pytest.raises(TypeError):
        WeibullAFTFitter().fit(df.assign(x=[np.nan] + [0.0] * (n - 1)), "T", "E", formula="x + C(g)")
