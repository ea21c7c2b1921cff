"""Arguments that set the amount of work have a documented limit and a typed
error beyond it (issue 17): each call below used to hang or abort the
process."""

import numpy as np
import pandas as pd
import pytest

import retention
from retention import InvalidParameterError, InvalidRowsError
from retention.compat.lifetimes import BetaGeoBetaBinomFitter, GammaGammaFitter

DONATIONS = retention.BgBbModel(1.204, 0.750, 0.657, 2.783)


def test_bgbb_probability_of_transactions_with_huge_n():
    with pytest.raises(InvalidParameterError, match="`n`"):
        DONATIONS.probability_of_transactions(0, 1 << 40)
    p = DONATIONS.probability_of_transactions(3, 100_000)
    assert 0.0 < p < 1.0


@pytest.mark.parametrize("n", [1e15, 100_001.0])
def test_bgbb_histories_with_huge_n(n):
    with pytest.raises(InvalidRowsError, match="age.*100000"):
        DONATIONS.probability_alive([0.0], [0.0], [n])
    with pytest.raises(InvalidRowsError, match="age.*100000"):
        DONATIONS.conditional_expected_transactions(5, [0.0], [0.0], [n])
    with pytest.raises(InvalidRowsError, match="age.*100000"):
        retention.BgBbModel.fit([0.0, 1.0], [0.0, 1.0], [n, 6.0])


def test_compat_bgbb_with_huge_n():
    with pytest.raises(InvalidRowsError, match="age.*100000"):
        BetaGeoBetaBinomFitter().fit([0, 1, 2], [0, 1, 2], [10**15, 6, 6])
    bb = BetaGeoBetaBinomFitter().fit([0, 1, 2, 3, 6], [0, 1, 4, 5, 6], [6] * 5, weights=[10, 4, 3, 2, 5])
    with pytest.raises(InvalidRowsError, match="age"):
        bb.conditional_probability_alive(1, 0, 0, 10**15)
    with pytest.raises(InvalidRowsError, match="age"):
        bb.conditional_expected_number_of_purchases_up_to_time(5, 0, 0, 10**15)
    with pytest.raises(InvalidParameterError, match="`n`"):
        bb.expected_number_of_transactions_in_first_n_periods(2**40)


def test_predictive_clv_with_huge_horizon():
    bg = retention.TransactionModel("bg_nbd", [0.2426, 4.4136, 0.7929, 2.4259])
    gg = retention.GammaGammaModel(6.25, 3.74, 15.44)
    args = (bg, gg, [2.0, 0.0], [30.43, 0.0], [38.86, 38.86], [22.35, 0.0])
    for months in (2**32 - 1, 1201):
        with pytest.raises(InvalidParameterError, match="horizon_months.*1200"):
            retention.predictive_clv(*args, horizon_months=months)
    century = retention.predictive_clv(*args, horizon_months=1200)
    assert np.all(np.isfinite(century)) and np.all(century >= retention.predictive_clv(*args))
    compat = GammaGammaFitter()
    compat.params_ = pd.Series({"p": 6.25, "q": 3.74, "v": 15.44})
    with pytest.raises(InvalidParameterError, match="horizon_months"):
        compat.customer_lifetime_value(bg, [2.0], [30.43], [38.86], [22.35], time=2**32 - 1)
