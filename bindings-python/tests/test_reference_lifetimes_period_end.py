"""Observation and calibration ends inside a period, against lifetimes 0.11.3.

lifetimes converts order dates to periods of ``freq`` and keeps the orders
whose period is not after the end's period, so with ``freq="W"`` and an end
on a Wednesday the orders of that Thursday to Sunday count, and with
``freq="M"`` the rest of the end's month does. ``calibration_and_holdout_data``
first cuts the calibration orders at the calibration end's instant and only
then summarises them by period. These tests run both functions of the
compatibility layer and lifetimes itself on CDNOW with ends inside periods.
"""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from retention.compat.lifetimes.utils import calibration_and_holdout_data, summary_data_from_transaction_data

from conftest import reference

pytestmark = pytest.mark.reference

FIXTURES = Path(__file__).resolve().parents[2] / "retention-core" / "tests" / "fixtures"
FMT = "%Y%m%d"


@pytest.fixture(scope="module")
def transactions():
    raw = pd.read_csv(FIXTURES / "CDNOW_sample.txt", sep=r"\s+", header=None,
                      names=["customer_id", "sample_id", "date", "cds", "amount"])
    return pd.DataFrame({"id": raw["customer_id"], "date": raw["date"].astype(str), "spent": raw["amount"]})


class _NumpyWithMonths:
    """numpy, except that ``timedelta64(1, "M")`` is the mean Gregorian
    month as an exact span (365.2425 / 12 days = 2,629,746 s): numpy's own
    definition of a month, which current pandas no longer accepts as a
    divisor of timestamps. lifetimes 0.11.3 divides by it for ``freq="M"``
    and otherwise runs unchanged."""

    def __getattr__(self, name):
        return getattr(np, name)

    @staticmethod
    def timedelta64(value, unit=None):
        if unit == "M":
            return np.timedelta64(int(value) * 2_629_746, "s")
        return np.timedelta64(value, unit)


@pytest.fixture
def lifetimes_utils(monkeypatch):
    utils = reference("lifetimes").utils
    monkeypatch.setattr(utils, "np", _NumpyWithMonths())
    return utils


def assert_same(ours: pd.DataFrame, theirs: pd.DataFrame) -> None:
    theirs = theirs.sort_index()
    ours = ours.sort_index()
    assert list(ours.index) == list(theirs.index)
    assert list(ours.columns) == list(theirs.columns)
    for col in theirs.columns:
        np.testing.assert_allclose(ours[col].to_numpy(float), theirs[col].to_numpy(float), rtol=1e-12, atol=1e-9,
                                   err_msg=col)


# (freq, end): a Wednesday for weeks, the middle of a month for months.
SUMMARY_ENDS = [("D", "19970924"), ("W", "19970924"), ("W", "19970521"), ("M", "19970917"), ("M", "19970415")]


@pytest.mark.parametrize("freq,end", SUMMARY_ENDS)
@pytest.mark.parametrize("include_first", [False, True])
def test_summary_with_end_inside_a_period(lifetimes_utils, transactions, freq, end, include_first):
    utils = lifetimes_utils
    kw = dict(datetime_format=FMT, observation_period_end=end, freq=freq, include_first_transaction=include_first)
    theirs = utils.summary_data_from_transaction_data(transactions, "id", "date", "spent", **kw)
    ours = summary_data_from_transaction_data(transactions, "id", "date", "spent", **kw)
    assert_same(ours, theirs)
    theirs = utils.summary_data_from_transaction_data(transactions, "id", "date", **kw)
    ours = summary_data_from_transaction_data(transactions, "id", "date", **kw)
    assert_same(ours, theirs)


def test_week_end_counts_the_rest_of_the_week(transactions):
    """The case found first: an end on Wednesday 24 Sep 1997 with weekly
    periods counts the orders of 25 to 28 Sep too."""
    dates = pd.to_datetime(transactions["date"], format=FMT)
    later = transactions[(dates > "1997-09-24") & (dates <= "1997-09-28")]
    assert not later.empty  # the case can fail: there are such orders
    kw = dict(datetime_format=FMT, freq="W")
    wed = summary_data_from_transaction_data(transactions, "id", "date", observation_period_end="19970924", **kw)
    sun = summary_data_from_transaction_data(transactions, "id", "date", observation_period_end="19970928", **kw)
    assert_same(wed, sun)


# (freq, calibration end, observation end)
HOLDOUT_ENDS = [
    ("D", "19970618", "19970924"),
    ("W", "19970618", "19970924"),
    ("W", "19970402", "19971112"),
    ("M", "19970615", "19970917"),
    ("M", "19970310", "19971220"),
]


@pytest.mark.parametrize("freq,cal_end,obs_end", HOLDOUT_ENDS)
@pytest.mark.parametrize("include_first", [False, True])
def test_calibration_and_holdout_with_ends_inside_periods(
    lifetimes_utils, transactions, freq, cal_end, obs_end, include_first
):
    utils = lifetimes_utils
    kw = dict(observation_period_end=obs_end, freq=freq, datetime_format=FMT, include_first_transaction=include_first)
    theirs = utils.calibration_and_holdout_data(transactions, "id", "date", cal_end, monetary_value_col="spent", **kw)
    ours = calibration_and_holdout_data(transactions, "id", "date", cal_end, monetary_value_col="spent", **kw)
    assert_same(ours, theirs)
    theirs = utils.calibration_and_holdout_data(transactions, "id", "date", cal_end, **kw)
    ours = calibration_and_holdout_data(transactions, "id", "date", cal_end, **kw)
    assert_same(ours, theirs)
