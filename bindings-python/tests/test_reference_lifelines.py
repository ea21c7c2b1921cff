"""Agreement with lifelines (run in .venv-ref, where lifelines is installed)."""

import numpy as np
import pandas as pd
import pytest

import retention

from conftest import reference

pytestmark = pytest.mark.reference


@pytest.fixture(scope="module")
def data():
    rng = np.random.default_rng(7)
    n = 400
    x1 = rng.normal(size=n)
    x2 = rng.binomial(1, 0.4, size=n).astype(float)
    t = np.round(rng.exponential(10 * np.exp(-0.5 * x1 + 0.3 * x2)), 1) + 0.1
    c = np.round(rng.uniform(0, 25, size=n), 1) + 0.1
    return pd.DataFrame({"T": np.minimum(t, c), "E": (t <= c).astype(int), "x1": x1, "x2": x2})


def rel(a, b):
    a, b = np.asarray(a, float), np.asarray(b, float)
    return np.max(np.abs(a - b) / np.maximum(np.abs(b), 1e-12))


def test_kaplan_meier(data):
    lifelines = reference("lifelines")
    km = lifelines.KaplanMeierFitter().fit(data["T"], data["E"])
    table, median, _ = retention.kaplan_meier(data["T"], data["E"])
    ref = km.survival_function_["KM_estimate"]  # both include t = 0
    assert np.allclose(table["timeline"], ref.index)
    assert rel(table["survival"], ref.values) < 1e-6
    ci = km.confidence_interval_
    assert rel(table["lower"], ci.iloc[:, 0]) < 1e-6
    assert rel(table["upper"], ci.iloc[:, 1]) < 1e-6
    assert median == pytest.approx(km.median_survival_time_, rel=1e-9)


def test_nelson_aalen(data):
    lifelines = reference("lifelines")
    na = lifelines.NelsonAalenFitter().fit(data["T"], data["E"])
    table = retention.nelson_aalen(data["T"], data["E"])
    ref = na.cumulative_hazard_.iloc[:, 0]
    assert rel(table["cumulative_hazard"], ref.values) < 1e-6


def test_logrank(data):
    reference("lifelines")
    from lifelines.statistics import logrank_test

    a, b = data[data.x2 == 0], data[data.x2 == 1]
    ref = logrank_test(a["T"], b["T"], a["E"], b["E"])
    got = retention.logrank_test(a["T"], b["T"], a["E"], b["E"])
    assert got["test_statistic"] == pytest.approx(ref.test_statistic, rel=1e-6)
    assert got["p_value"] == pytest.approx(ref.p_value, rel=1e-6)


def test_cox_and_concordance(data):
    lifelines = reference("lifelines")
    from lifelines.utils import concordance_index

    cph = lifelines.CoxPHFitter().fit(data, duration_col="T", event_col="E")
    got = retention.cox_ph(data, "T", "E")
    assert got["covariates"] == ["x1", "x2"]
    # lifelines stops its Newton-Raphson at its own tolerance, so parameters
    # agree to the optimizer tolerance rather than to 1e-6.
    assert rel(got["coefficients"], cph.params_.values) < 1e-5
    assert rel(got["standard_errors"], cph.standard_errors_.values) < 1e-5
    assert got["log_likelihood"] == pytest.approx(cph.log_likelihood_, rel=1e-6)
    assert got["concordance"] == pytest.approx(cph.concordance_index_, rel=1e-6)
    scores = -data["x1"].to_numpy()
    assert retention.concordance_index(data["T"], scores, data["E"]) == pytest.approx(
        concordance_index(data["T"], scores, data["E"]), rel=1e-9
    )
