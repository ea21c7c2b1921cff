"""lifetimes' private helpers in retention.compat.lifetimes, hand-computed:
``utils._find_first_transactions``, ``utils._check_inputs`` and
``ParetoNBDFitter._log_A_0`` (the values against lifetimes itself are in
test_reference_lifetimes_internals.py)."""

import math

import numpy as np
import pandas as pd
import pytest

from retention.compat.lifetimes import ParetoNBDFitter
from retention.compat.lifetimes import utils as ru
from retention.errors import InvalidParameterError, InvalidRowsError, LengthMismatchError

ORDERS = pd.DataFrame({
    "id": [2, 1, 1, 1, 1],
    # Mon 1 Jan 2024 (twice), Wed 3 Jan, Thu 11 Jan; customer 2 on Tue 9 Jan.
    "at": ["2024-01-09", "2024-01-01", "2024-01-01", "2024-01-03", "2024-01-11"],
    "m": [7.5, 1.0, 2.0, 4.0, 8.0],
})


def test_find_first_transactions_weekly_hand_computed():
    df = ru._find_first_transactions(ORDERS, "id", "at", "m", freq="W")
    assert list(df.columns) == ["id", "at", "m", "first"]
    assert df["id"].tolist() == [1, 1, 2]
    assert [str(p) for p in df["at"]] == ["2024-01-01/2024-01-07", "2024-01-08/2024-01-14", "2024-01-08/2024-01-14"]
    assert df["m"].tolist() == [7.0, 8.0, 7.5]
    assert df["first"].tolist() == [True, False, True]


def test_find_first_transactions_end_keeps_its_whole_period():
    daily = ru._find_first_transactions(ORDERS, "id", "at", observation_period_end="2024-01-09")
    assert [str(p) for p in daily["at"]] == ["2024-01-01", "2024-01-03", "2024-01-09"]
    weekly = ru._find_first_transactions(ORDERS, "id", "at", observation_period_end="2024-01-09", freq="W")
    assert len(weekly) == 3  # Thursday 11 Jan is in the end's week


def test_find_first_transactions_sub_daily_is_a_typed_error():
    with pytest.raises(InvalidParameterError, match="unit"):
        ru._find_first_transactions(ORDERS, "id", "at", freq="h")


def test_check_inputs_names_row_field_and_value():
    assert ru._check_inputs([0, 1, 2], [0, 1, 10], [5, 6, 15], [2.3, 490, 33.33]) is None
    with pytest.raises(InvalidRowsError, match=r"row 2.*recency.*16"):
        ru._check_inputs([0, 1, 2], [0, 1, 16], [5, 6, 15])
    with pytest.raises(InvalidRowsError, match=r"row 1.*frequency.*0\.5"):
        ru._check_inputs([0, 0.5, 2])
    with pytest.raises(LengthMismatchError):
        ru._check_inputs([0, 1, 2], [0, 1])


def test_log_a0_hand_computed_exponential_case():
    # r = s = 1, alpha = beta = 1, x = 0: A0 = 2 * int_{tx}^{T} (1+y)^-3 dy
    # = (1+tx)^-2 - (1+T)^-2.
    v = ParetoNBDFitter._log_A_0([1.0, 1.0, 1.0, 1.0], np.array([0.0, 0.0]), np.array([0.0, 1.0]), np.array([1.0, 3.0]))
    assert v == pytest.approx([math.log(1 - 1 / 4), math.log(1 / 4 - 1 / 16)], rel=1e-12)
    assert isinstance(ParetoNBDFitter._log_A_0([1.0, 1.0, 1.0, 1.0], 0.0, 0.0, 1.0), float)
