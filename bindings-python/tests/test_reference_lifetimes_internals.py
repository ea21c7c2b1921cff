"""retention.compat.lifetimes against lifetimes 0.11.3 (run in .venv-ref) for
the private helpers lifetimes' users and tests call:
``utils._find_first_transactions``, ``utils._check_inputs`` and
``ParetoNBDFitter._log_A_0``.

The purchase-period tables must be equal (same rows, order, dtypes; spend
to rounding: we sum in fixed point, lifetimes in floats). ``_log_A_0`` agrees
to rtol 1e-9 where lifetimes' direct hypergeometric formula is accurate.
"""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

import retention.compat.lifetimes as rc
from retention.compat.lifetimes import utils as ru
from retention.errors import InvalidRowsError

from conftest import reference

pytestmark = pytest.mark.reference

FIXTURES = Path(__file__).resolve().parents[2] / "retention-core" / "tests" / "fixtures"


@pytest.fixture(scope="module")
def lt():
    return reference("lifetimes")


@pytest.fixture(scope="module")
def cdnow():
    df = pd.read_csv(FIXTURES / "CDNOW_sample.txt", header=None, sep=r"\s+")
    df.columns = ["id_total", "id_sample", "date", "num_cd_purc", "total_value"]
    df["date"] = pd.to_datetime(df["date"].astype(str), format="%Y%m%d")
    return df[["id_sample", "date", "total_value"]]


# Mid-period ends too: the whole period of the end counts, as in lifetimes.
@pytest.mark.parametrize("freq,end", [
    ("D", "1997-09-30"), ("W", "1997-09-28"), ("W", "1997-09-24"), ("M", "1997-09-15"), ("M", "1997-09-30"),
    ("D", None),
])
@pytest.mark.parametrize("money", [None, "total_value"])
def test_find_first_transactions_equals_lifetimes(lt, cdnow, freq, end, money):
    from lifetimes import utils as lu

    ours = ru._find_first_transactions(cdnow, "id_sample", "date", money, observation_period_end=end, freq=freq)
    theirs = lu._find_first_transactions(cdnow, "id_sample", "date", money, observation_period_end=end, freq=freq)
    assert len(ours) > 1000
    assert_frame_equal(ours, theirs.reset_index(drop=True), check_exact=False, rtol=1e-12)


def test_find_first_transactions_integer_money_keeps_its_dtype(lt):
    from lifetimes import utils as lu

    orders = pd.DataFrame({
        "id": [3, 1, 1, 1, 2], "day": ["2020-01-06", "2020-01-01", "2020-01-01", "2020-02-03", "2020-01-09"],
        "m": [4, 1, 2, 5, 7],
    })
    ours = ru._find_first_transactions(orders, "id", "day", "m", freq="W")
    theirs = lu._find_first_transactions(orders, "id", "day", "m", freq="W")
    assert_frame_equal(ours, theirs.reset_index(drop=True))
    assert ours["m"].tolist() == [3, 5, 7, 4]


def test_check_inputs_accepts_what_lifetimes_accepts(lt):
    from lifetimes import utils as lu

    s = pd.read_csv(FIXTURES / "cdnow_customers_summary.csv")
    assert lu._check_inputs(s["frequency"], s["recency"], s["T"]) is None
    assert ru._check_inputs(s["frequency"], s["recency"], s["T"]) is None
    assert ru._check_inputs(s["frequency"]) is None


GOOD = (np.array([0.0, 1.0, 2.0]), np.array([0.0, 1.0, 10.0]), np.array([5.0, 6.0, 15.0]), np.array([2.3, 490.0, 33.33]))


@pytest.mark.parametrize("field,row,value", [
    ("recency", 1, 7.0),       # above T
    ("recency", 0, 1.0),       # non-zero at frequency 0
    ("recency", 2, -1.0),      # negative
    ("frequency", 1, 0.5),     # not an integer
    ("monetary_value", 0, 0.0),  # not above 0
])
def test_check_inputs_rejects_what_lifetimes_rejects(lt, field, row, value):
    from lifetimes import utils as lu

    x, t_x, age, m = (c.copy() for c in GOOD)
    col = {"frequency": x, "recency": t_x, "monetary_value": m}[field]
    col[row] = value
    with pytest.raises(ValueError):
        lu._check_inputs(x, t_x, age, m)
    with pytest.raises(InvalidRowsError) as info:
        ru._check_inputs(x, t_x, age, m)
    assert isinstance(info.value, ValueError)
    assert f"row {row}" in str(info.value) and field in str(info.value)


@pytest.mark.parametrize("params", [[0.553, 10.578, 0.606, 11.669], [0.553, 12.0, 0.606, 3.5]])
def test_log_a0_equals_lifetimes(lt, params):
    s = pd.read_csv(FIXTURES / "cdnow_customers_summary.csv")
    s = s[s["recency"] < s["T"]]
    args = (np.asarray(params), s["frequency"].to_numpy(float), s["recency"].to_numpy(float), s["T"].to_numpy(float))
    ours = rc.ParetoNBDFitter._log_A_0(*args)
    theirs = lt.ParetoNBDFitter._log_A_0(*args)
    np.testing.assert_allclose(ours, theirs, rtol=1e-9)


def test_log_a0_large_frequency_finite_like_lifetimes(lt):
    args = (np.array([10.465, 7.98565181e-03, 3.0516, 2.820]), np.array([400.0, 500.0, 500.0]),
            np.array([5.0, 1.0, 4.0]), np.array([6.0, 37.0, 37.0]))
    ours = rc.ParetoNBDFitter._log_A_0(*args)
    theirs = lt.ParetoNBDFitter._log_A_0(*args)
    assert np.all(np.isfinite(ours)) and np.all(ours < 0)
    np.testing.assert_allclose(ours, theirs, rtol=1e-6)
