"""Predictions beyond calibration and intervals (retention.TransactionModel
methods, predictive_clv_intervals, and the lifetimes door's
conditional_probability_of_n_purchases_up_to_time).

The ``reference`` test compares with lifetimes 0.11.3 (``.venv-ref``)."""

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import retention
from retention.compat.lifetimes import BetaGeoFitter, ModifiedBetaGeoFitter, ParetoNBDFitter
from retention.errors import InvalidParameterError, InvalidRowsError

from conftest import reference

FIXTURES = Path(__file__).resolve().parents[2] / "retention-core" / "tests" / "fixtures"
F, R, T = [0.0, 2.0, 7.0], [0.0, 30.43, 35.0], [38.86, 38.86, 36.0]


@pytest.fixture(scope="module")
def summary():
    return pd.read_csv(FIXTURES / "cdnow_customers_summary.csv", index_col="ID")


MODELS = [
    retention.TransactionModel("bg_nbd", [0.2426, 4.4136, 0.7929, 2.4259]),
    retention.TransactionModel("mbg_nbd", [0.525, 6.183, 0.891, 1.614]),
    retention.TransactionModel("pareto_nbd", [0.5532, 10.578, 0.6062, 11.669]),
    retention.TransactionModel("ggom_nbd", [0.55, 10.6, 0.02, 0.6, 0.3]),
]


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.model)
def test_conditional_distribution_sums_to_one_with_the_conditional_mean(model):
    probs = np.array([model.conditional_probability_of_purchases(n, 39.0, F, R, T) for n in range(300)])
    np.testing.assert_allclose(probs.sum(axis=0), 1.0, atol=1e-8)
    mean = (np.arange(300)[:, None] * probs).sum(axis=0)
    np.testing.assert_allclose(mean, model.conditional_expected_purchases(39.0, F, R, T), rtol=1e-6)


def test_ggompertz_predictions_beyond_calibration():
    # The residual of a GGompertz/NBD customer alive at T is GGompertz/NBD
    # (r+x, α+T, b, s, β e^{−bT} + 1 − e^{−bT}): P(alive) at T+τ is P(alive)
    # times that model's lifetime survival (β'/(β' + e^{bτ} − 1))^s.
    model = MODELS[3]
    r, alpha, b, s, beta = 0.55, 10.6, 0.02, 0.6, 0.3
    alive = model.probability_alive(F, R, T)
    for tau in (0.0, 5.0, 52.0):
        beta_res = beta * np.exp(-b * np.array(T)) - np.expm1(-b * np.array(T))
        want = alive * (beta_res / (beta_res + np.expm1(b * tau))) ** s
        np.testing.assert_allclose(model.probability_alive_at(tau, F, R, T), want, rtol=1e-12)
    dert = model.dert(0.01, F, R, T)
    assert np.all(np.isfinite(dert)) and np.all(dert > 0)
    # DERT falls as the discount rate rises.
    assert np.all(model.dert(0.01, F, R, T) > model.dert(0.02, F, R, T))


def test_pareto_future_alive_is_the_closed_form():
    model = MODELS[2]
    s, beta = 0.6062, 11.669
    alive = model.probability_alive(F, R, T)
    want = alive * ((beta + np.array(T)) / (beta + np.array(T) + 20.0)) ** s
    np.testing.assert_allclose(model.probability_alive_at(20.0, F, R, T), want, rtol=1e-12)
    # Given no purchase in between: P(alive) at the later age.
    np.testing.assert_allclose(model.probability_alive_given_no_purchase(20.0, F, R, T),
                               model.probability_alive(F, R, np.array(T) + 20.0), rtol=1e-14)


def test_pareto_dert_with_s_one_is_the_exponential_integral():
    # s = 1: DERT = P(alive)(r+x)/(α+T) · B e^z E₁(z), B = β+T, z = δB.
    from math import exp, log

    def e1(z):
        return -0.5772156649015329 - log(z) - sum((-z) ** k / (k * math.factorial(k)) for k in range(1, 80))

    r, alpha, beta, delta = 0.55, 10.6, 11.7, 0.02
    model = retention.TransactionModel("pareto_nbd", [r, alpha, 1.0, beta])
    got = model.dert(delta, F, R, T)
    alive = model.probability_alive(F, R, T)
    want = [a * (r + x) / (alpha + t) * (beta + t) * exp(delta * (beta + t)) * e1(delta * (beta + t))
            for a, x, t in zip(alive, F, T)]
    np.testing.assert_allclose(got, want, rtol=1e-9)


def test_next_purchase_table():
    model = MODELS[0]
    out = model.next_purchase(39.0, F, R, T)
    assert list(out.columns) == ["probability_alive", "probability_of_purchase", "mean_wait_if_alive",
                                 "median_wait_if_alive"]
    # r + x ≤ 1 for the zero-repeat customer: infinite mean, NaN here.
    assert math.isnan(out.mean_wait_if_alive[0])
    assert out.mean_wait_if_alive[1] == pytest.approx((4.4136 + 38.86) / (0.2426 + 2 - 1), rel=1e-12)
    none = model.conditional_probability_of_purchases(0, 39.0, F, R, T)
    np.testing.assert_allclose(out.probability_of_purchase, 1 - none, atol=1e-12)


def test_intervals(summary):
    model = retention.fit_bgnbd(summary.frequency, summary.recency, summary["T"])
    delta = model.prediction_intervals("probability_alive_at", F, R, T, tau=52.0)
    assert list(delta.columns) == ["estimate", "standard_error", "lower", "upper"]
    np.testing.assert_allclose(delta.estimate, model.probability_alive_at(52.0, F, R, T), rtol=1e-14)
    assert ((delta.lower <= delta.estimate) & (delta.estimate <= delta.upper)).all()
    assert (delta.lower >= 0).all() and (delta.upper <= 1).all()
    boot = model.prediction_intervals("dert", F, R, T, discount_rate=0.01, method="bootstrap", draws=300, seed=3)
    again = model.prediction_intervals("dert", F, R, T, discount_rate=0.01, method="bootstrap", draws=300, seed=3)
    pd.testing.assert_frame_equal(boot, again)
    assert (boot.standard_error > 0).all()
    with pytest.raises(InvalidParameterError):
        model.prediction_intervals("dert", F, R, T, discount_rate=0.01, method="bootstrap", draws=10_001)
    with pytest.raises(InvalidParameterError):
        model.prediction_intervals("dert", F, R, T, horizon=3.0)
    with pytest.raises(InvalidParameterError, match="covariance"):
        MODELS[0].prediction_intervals("probability_alive", F, R, T)


def test_clv_intervals(summary):
    model = retention.fit_bgnbd(summary.frequency, summary.recency, summary["T"])
    spend = retention.fit_gamma_gamma([2, 1, 5, 3, 4, 1, 2, 6], [20.0, 35.0, 18.0, 40.0, 25.0, 60.0, 30.0, 22.0])
    out = retention.predictive_clv_intervals(model, spend, F, R, T, [0.0, 30.0, 25.0], time_unit="week")
    want = retention.predictive_clv(model, spend, F, R, T, [0.0, 30.0, 25.0], time_unit="week")
    np.testing.assert_allclose(out.estimate, want, rtol=1e-14)
    assert ((out.lower <= out.estimate) & (out.estimate <= out.upper)).all()


def test_bgbb_conditional_distribution_and_dert():
    model = retention.BgBbModel(1.204, 0.750, 0.657, 2.783)
    x, tx, n = [0, 3, 6], [0, 5, 6], [6, 6, 6]
    probs = np.array([model.conditional_probability_of_transactions(k, 5, x, tx, n) for k in range(6)])
    np.testing.assert_allclose(probs.sum(axis=0), 1.0, atol=1e-12)
    mean = (np.arange(6)[:, None] * probs).sum(axis=0)
    np.testing.assert_allclose(mean, model.conditional_expected_transactions(5, x, tx, n), rtol=1e-10)
    # DERT: the discounted increments of the conditional expectation, summed here.
    d = 0.1
    e = np.array([model.conditional_expected_transactions(k, x, tx, n) for k in range(0, 1500)])
    direct = (np.diff(e, axis=0) / (1 + d) ** np.arange(1, 1500)[:, None]).sum(axis=0)
    np.testing.assert_allclose(model.dert(d, x, tx, n), direct, rtol=1e-9)
    with pytest.raises(InvalidParameterError):
        model.conditional_probability_of_transactions(0, 100_001, x, tx, n)


def test_bad_input_is_typed():
    model = MODELS[2]
    with pytest.raises(InvalidRowsError):
        model.dert(0.01, [1.0], [5.0], [3.0])
    with pytest.raises(InvalidParameterError):
        model.dert(0.0, F, R, T)
    with pytest.raises(InvalidParameterError):
        model.conditional_probability_of_purchases(100_001, 1.0, F, R, T)
    with pytest.raises(InvalidParameterError):
        model.probability_alive_at(-1.0, F, R, T)


def test_every_compat_transaction_fitter_has_the_conditional_pmf(summary):
    f, r, t = summary.frequency, summary.recency, summary["T"]
    for cls in (BetaGeoFitter, ModifiedBetaGeoFitter, ParetoNBDFitter):
        fitter = cls().fit(f, r, t)
        p = fitter.conditional_probability_of_n_purchases_up_to_time(1, 10.0, f, r, t)
        assert isinstance(p, pd.Series) and p.index.equals(f.index)
        assert ((p >= 0) & (p <= 1)).all()
    assert isinstance(fitter.conditional_probability_of_n_purchases_up_to_time(0, 5.0, 2, 30.0, 38.0), float)


@pytest.mark.reference
@pytest.mark.filterwarnings("ignore")
def test_pareto_conditional_pmf_against_lifetimes(summary):
    lt = reference("lifetimes")
    f, r, t = summary.frequency, summary.recency, summary["T"]
    ref = lt.ParetoNBDFitter().fit(f, r, t)
    ours = ParetoNBDFitter()
    ours.fit(f, r, t)
    # The same parameters on both sides: lifetimes' CDNOW fit.
    ours._model = retention.TransactionModel("pareto_nbd", list(ref.params_.values))
    rows = summary.iloc[::23]
    for n in (0, 1, 2, 5):
        for horizon in (1.0, 10.0, 39.0):
            want = np.asarray([ref.conditional_probability_of_n_purchases_up_to_time(n, horizon, x, rr, tt)
                               for x, rr, tt in zip(rows.frequency, rows.recency, rows["T"])], float)
            got = np.asarray(ours.conditional_probability_of_n_purchases_up_to_time(
                n, horizon, rows.frequency, rows.recency, rows["T"]), float)
            np.testing.assert_allclose(got, want, rtol=1e-9, atol=1e-15)
