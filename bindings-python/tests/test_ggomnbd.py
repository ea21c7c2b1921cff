"""GGompertz/NBD through the generic ``retention.TransactionModel`` (code ``"ggom_nbd"``).

Published values: Bemmaor & Glady (2012), Table 2, on CDNOW (weeks, 39-week
calibration): log-likelihood -9594.98, r 0.553, alpha 10.578. On these data
the maximum is in the Pareto/NBD limit b -> 0 with beta / b equal to
Pareto/NBD's beta (11.669), so the predictions equal Pareto/NBD's.
"""

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import retention
from retention.errors import InvalidParameterError, InvalidRowsError

FIXTURES = Path(__file__).resolve().parents[2] / "retention-core" / "tests" / "fixtures"


@pytest.fixture(scope="module")
def cdnow():
    return pd.read_csv(FIXTURES / "cdnow_customers_summary.csv")


def test_fit_matches_published_and_pareto_limit(cdnow):
    g = retention.TransactionModel.fit("ggom_nbd", cdnow["frequency"], cdnow["recency"], cdnow["T"])
    same = retention.fit_ggom_nbd(cdnow)
    assert same.params == g.params
    assert g.model == "ggom_nbd"
    assert list(g.params) == ["r", "alpha", "b", "s", "beta"]
    assert g.log_likelihood == pytest.approx(-9594.98, abs=0.01)
    assert g.params["r"] == pytest.approx(0.553, abs=5e-4)
    assert g.params["alpha"] == pytest.approx(10.578, abs=5e-4)
    assert g.params["beta"] / g.params["b"] == pytest.approx(11.669, rel=1e-3)
    p = retention.fit_pareto_nbd(cdnow["frequency"], cdnow["recency"], cdnow["T"])
    cols = (cdnow["frequency"], cdnow["recency"], cdnow["T"])
    np.testing.assert_allclose(g.probability_alive(*cols), p.probability_alive(*cols), rtol=1e-4, atol=1e-6)
    np.testing.assert_allclose(
        g.conditional_expected_purchases(39.0, *cols), p.conditional_expected_purchases(39.0, *cols), rtol=1e-4
    )
    np.testing.assert_allclose(g.expected_purchases([1.0, 39.0, 78.0]), p.expected_purchases([1.0, 39.0, 78.0]), rtol=1e-4)
    # The generic CLV takes it too (CDNOW's published Gamma-Gamma, weeks).
    spend = retention.GammaGammaModel(6.25, 3.74, 15.44)
    hist = ([0, 2, 7], [0, 30.43, 35.0], [38.86, 38.86, 38.86], [0, 40.0, 25.0])
    np.testing.assert_allclose(
        retention.predictive_clv(g, spend, *hist, time_unit="week"),
        retention.predictive_clv(p, spend, *hist, time_unit="week"),
        rtol=1e-4,
    )


def test_given_parameters_and_bad_input():
    m = retention.TransactionModel("ggom_nbd", {"r": 0.8, "alpha": 5.0, "b": 0.1, "s": 0.7, "beta": 2.0})
    assert "ggom_nbd" in repr(m)
    probs = [m.probability_of_purchases(n, 39.0) for n in range(200)]
    assert math.fsum(probs) == pytest.approx(1.0, abs=1e-8)
    assert math.fsum(n * q for n, q in enumerate(probs)) == pytest.approx(float(m.expected_purchases([39.0])[0]), abs=1e-7)
    with pytest.raises(InvalidParameterError):
        retention.TransactionModel("ggom_nbd", [0.8, 5.0, 0.1, 0.7])
    with pytest.raises(InvalidParameterError):
        retention.TransactionModel("ggom_nbd", [0.8, 5.0, 0.0, 0.7, 2.0])
    with pytest.raises(InvalidRowsError) as e:
        m.probability_alive([1.0, 2.0], [1.0, 5.0], [3.0, 4.0])
    assert (e.value.issues[0]["row"], e.value.issues[0]["field"]) == (1, "recency")
