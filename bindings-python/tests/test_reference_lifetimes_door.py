"""retention.compat.lifetimes against lifetimes 0.11.3 (run in .venv-ref) for
the names of the door's second round: hand-set ``params_``, predictions at
frequency 0 with recency > 0, the P(alive) matrix's frequency-0 column,
sub-daily ``freq``, the empty-holdout message, ``_negative_log_likelihood``
and the frames of ``generate_data``.

Same parameters, same inputs: values agree to rounding (rtol 1e-9, the
closed forms are evaluated differently: log-space sums, series).
"""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import retention.compat.lifetimes as rc
from retention.compat.lifetimes import generate_data as rg
from retention.compat.lifetimes import utils as ru

from conftest import reference

pytestmark = pytest.mark.reference

FIXTURES = Path(__file__).resolve().parents[2] / "retention-core" / "tests" / "fixtures"

PARAMS = {
    "BetaGeoFitter": {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426},
    "ModifiedBetaGeoFitter": {"r": 0.525, "alpha": 6.183, "a": 0.891, "b": 1.614},
    "ParetoNBDFitter": {"r": 0.553, "alpha": 10.578, "s": 0.606, "beta": 11.669},
}
# Histories with frequency 0 and recency > 0 (not possible, but defined).
X = np.array([0.0, 0.0, 0.0, 2.0, 0.0])
TX = np.array([3.0, 20.0, 38.0, 30.0, 0.0])
T = np.array([38.0, 38.0, 38.0, 38.0, 38.0])


@pytest.fixture(scope="module")
def lt():
    return reference("lifetimes")


def pair(lt, name, params, as_dict=False):
    ours, theirs = getattr(rc, name)(), getattr(lt, name)()
    ours.params_ = dict(params) if as_dict else pd.Series(params)
    theirs.params_ = pd.Series(params)
    return ours, theirs


@pytest.mark.parametrize("name", sorted(PARAMS))
@pytest.mark.parametrize("as_dict", [False, True])
def test_hand_set_params_and_frequency_zero_with_recency(lt, name, as_dict):
    ours, theirs = pair(lt, name, PARAMS[name], as_dict)
    np.testing.assert_allclose(
        ours.conditional_probability_alive(X, TX, T), theirs.conditional_probability_alive(X, TX, T), rtol=1e-9
    )
    np.testing.assert_allclose(
        ours.conditional_expected_number_of_purchases_up_to_time(10, X, TX, T),
        theirs.conditional_expected_number_of_purchases_up_to_time(10, X, TX, T),
        rtol=1e-9,
    )
    assert ours.expected_number_of_purchases_up_to_time(5.0) == pytest.approx(
        theirs.expected_number_of_purchases_up_to_time(5.0), rel=1e-9
    )


@pytest.mark.parametrize("name", sorted(PARAMS))
def test_probability_alive_matrix_equals_lifetimes_frequency_zero_column_included(lt, name):
    ours, theirs = pair(lt, name, PARAMS[name])
    mine = ours.conditional_probability_alive_matrix(max_frequency=8, max_recency=20)
    ref = theirs.conditional_probability_alive_matrix(max_frequency=8, max_recency=20)
    np.testing.assert_allclose(mine, ref, rtol=1e-9)
    assert np.ptp(mine[:, 0]) > 0 or name == "BetaGeoFitter"  # BG/NBD: 1 whatever the recency


def test_refitting_after_hand_set_params_uses_the_new_ones(lt):
    summary = pd.read_csv(FIXTURES / "cdnow_customers_summary.csv", index_col="ID")
    bgf = rc.BetaGeoFitter().fit(summary["frequency"], summary["recency"], summary["T"])
    fitted = bgf.conditional_probability_alive(2, 30.43, 38.86)
    ours, theirs = pair(lt, "BetaGeoFitter", PARAMS["BetaGeoFitter"])
    bgf.params_ = pd.Series(PARAMS["BetaGeoFitter"])
    np.testing.assert_allclose(bgf.conditional_probability_alive(2, 30.43, 38.86),
                               theirs.conditional_probability_alive(2, 30.43, 38.86), rtol=1e-9)
    assert not np.allclose(bgf.conditional_probability_alive(2, 30.43, 38.86), fitted)


def test_bgbb_hand_set_params_and_frequency_zero_with_recency(lt):
    params = {"alpha": 1.204, "beta": 0.750, "gamma": 0.657, "delta": 2.783}
    ours, theirs = pair(lt, "BetaGeoBetaBinomFitter", params)
    x, tx, n = np.array([0, 0, 2, 0]), np.array([2, 5, 4, 0]), np.array([6, 6, 6, 6])
    np.testing.assert_allclose(ours.conditional_probability_alive(1, x, tx, n),
                               theirs.conditional_probability_alive(1, x, tx, n), rtol=1e-9)
    np.testing.assert_allclose(ours.conditional_expected_number_of_purchases_up_to_time(3, x, tx, n),
                               theirs.conditional_expected_number_of_purchases_up_to_time(3, x, tx, n), rtol=1e-9)


def test_gamma_gamma_hand_set_params(lt):
    params = {"p": 6.25, "q": 3.74, "v": 15.44}
    ours, theirs = pair(lt, "GammaGammaFitter", params)
    f, m = np.array([1.0, 3.0, 7.0]), np.array([20.0, 35.5, 12.0])
    np.testing.assert_allclose(ours.conditional_expected_average_profit(f, m),
                               theirs.conditional_expected_average_profit(f, m), rtol=1e-9)


def test_negative_log_likelihood_equals_lifetimes(lt):
    x, tx, t, w = np.array([1.0, 3.0, 0.0]), np.array([2.0, 2.0, 0.0]), np.array([5.0, 6.0, 7.0]), np.array([1.0, 2.0, 1.0])
    lp = np.log([0.5, 2.0, 0.8, 2.4])
    for name in ("BetaGeoFitter", "ModifiedBetaGeoFitter"):
        assert getattr(rc, name)._negative_log_likelihood(lp, x, tx, t, w, 0.1) == pytest.approx(
            getattr(lt, name)._negative_log_likelihood(lp, x, tx, t, w, 0.1), rel=1e-10)
    p = np.array([0.5, 2.0, 0.8, 2.4])
    assert rc.ParetoNBDFitter._negative_log_likelihood(p, x, tx, t, w, 0.1) == pytest.approx(
        lt.ParetoNBDFitter._negative_log_likelihood(p, x, tx, t, w, 0.1), rel=1e-10)
    assert rc.ParetoNBDFitter._negative_log_likelihood(-p, x, tx, t, w, 0.1) == np.inf
    bb = np.log([1.2, 0.75, 0.66, 2.8])
    fx, rx, n = np.array([1.0, 2.0, 0.0]), np.array([3.0, 4.0, 0.0]), np.array([6.0, 6.0, 6.0])
    assert rc.BetaGeoBetaBinomFitter._negative_log_likelihood(bb, fx, rx, n, w, 0.0) == pytest.approx(
        lt.BetaGeoBetaBinomFitter._negative_log_likelihood(bb, fx, rx, n, w, 0.0), rel=1e-10)
    gg, mv = np.log([6.0, 3.7, 15.0]), np.array([30.0, 20.0, 11.0])
    assert rc.GammaGammaFitter._negative_log_likelihood(gg, x + 1, mv, w, 0.1) == pytest.approx(
        lt.GammaGammaFitter._negative_log_likelihood(gg, x + 1, mv, w, 0.1), rel=1e-10)


def test_base_fitter_unload_params(lt):
    ours, theirs = rc.BaseFitter(), lt.BaseFitter()
    for f in (ours, theirs):
        with pytest.raises(ValueError):
            f._unload_params("x")
        f.params_ = pd.Series({"x": 12.3, "y": 42.0})
    assert ours._unload_params("y", "x") == theirs._unload_params("y", "x")


@pytest.mark.parametrize("freq", ["h", "s"])
def test_sub_daily_freq_equals_lifetimes(lt, freq):
    import lifetimes.utils as lu
    from lifetimes.datasets import load_transaction_data

    tx = load_transaction_data(parse_dates=["date"])
    end = tx["date"].max()
    ours = ru.summary_data_from_transaction_data(tx, "id", "date", observation_period_end=end, freq=freq)
    ref = lu.summary_data_from_transaction_data(tx, "id", "date", observation_period_end=end, freq=freq)
    assert list(ours.index) == list(ref.index)
    np.testing.assert_allclose(ours[["frequency", "recency", "T"]].to_numpy(),
                               ref[["frequency", "recency", "T"]].to_numpy(), rtol=1e-12)
    # Within-day purchases make the hourly summary differ from the daily one.
    daily = ru.summary_data_from_transaction_data(tx, "id", "date", observation_period_end=end, freq="D")
    assert (ours["T"] > daily["T"]).any()


def test_sub_daily_freq_aliases_and_end_inclusive_at_the_unit():
    tx = pd.DataFrame({"id": [1, 1, 1, 2], "date": pd.to_datetime(
        ["2024-01-01 10:15:00", "2024-01-01 10:45:00", "2024-01-01 13:05:30", "2024-01-01 20:10:00"])})
    h = ru.summary_data_from_transaction_data(tx, "id", "date", observation_period_end="2024-01-01 20:30", freq="h")
    assert h.to_numpy().tolist() == [[1.0, 3.0, 10.0], [0.0, 0.0, 0.0]]
    assert ru.summary_data_from_transaction_data(
        tx, "id", "date", observation_period_end="2024-01-01 20:30", freq="H").equals(h)
    m = ru.summary_data_from_transaction_data(tx, "id", "date", observation_period_end="2024-01-01 20:30", freq="min")
    assert m.loc[1].tolist() == [2.0, 170.0, 615.0]


def test_empty_holdout_message_is_lifetimes_and_typed(lt):
    import lifetimes.utils as lu

    from retention.errors import EmptyInputError

    tx = pd.DataFrame({"id": [1, 1, 2], "date": pd.to_datetime(["2015-01-01", "2015-02-06", "2015-01-01"])})
    with pytest.raises(ValueError, match="There is no data available"):
        lu.calibration_and_holdout_data(tx, "id", "date", "2014-02-01", observation_period_end="2014-02-07")
    with pytest.raises(EmptyInputError, match="There is no data available"):
        ru.calibration_and_holdout_data(tx, "id", "date", "2014-02-01", observation_period_end="2014-02-07")


@pytest.mark.parametrize(
    "name, args",
    [
        ("beta_geometric_nbd_model", (30, 0.243, 4.414, 0.793, 2.426)),
        ("modified_beta_geometric_nbd_model", (30, 0.525, 6.183, 0.891, 1.614)),
        ("pareto_nbd_model", (30, 0.553, 10.578, 0.606, 11.669)),
        ("beta_geometric_beta_binom_model", (6, 1.204, 0.750, 0.657, 2.783)),
        ("beta_geometric_nbd_model_transactional_data", (30, 0.243, 4.414, 0.793, 2.426)),
    ],
)
def test_generate_data_frames_have_lifetimes_shape(lt, name, args):
    import lifetimes.generate_data as lg

    ours = getattr(rg, name)(*args, size=20, seed=5)
    assert ours.equals(getattr(rg, name)(*args, size=20, seed=5))
    if name.endswith("transactional_data"):
        assert list(ours.columns) == ["customer_id", "date"]  # lifetimes' own fails on pandas 2 (append)
        return
    np.random.seed(1)
    ref = getattr(lg, name)(*args, size=20)
    assert list(ours.columns) == list(ref.columns)
    assert ours.index.name == ref.index.name
    assert len(ours) == len(ref) == 20


@pytest.mark.parametrize("freq, time, rate", [("W", 3, 0.01), ("D", 12, 0.0), ("D", 2, 1.0)])
def test_utils_customer_lifetime_value_equals_lifetimes(lt, freq, time, rate):
    import lifetimes.utils as lu

    ours, theirs = pair(lt, "BetaGeoFitter", PARAMS["BetaGeoFitter"])
    theirs.predict = theirs.conditional_expected_number_of_purchases_up_to_time
    f, r, t = pd.Series([2.0, 0.0, 5.0, 1.0]), pd.Series([30.4, 0.0, 20.0, 38.0]), pd.Series([38.9] * 4)
    m = pd.Series([10.0, 3.0, 7.0, 0.0])
    got = ru._customer_lifetime_value(ours, f, r, t, m, time=time, discount_rate=rate, freq=freq)
    want = lu._customer_lifetime_value(theirs, f, r, t, m, time=time, discount_rate=rate, freq=freq)
    np.testing.assert_allclose(got.to_numpy(), want.to_numpy(), rtol=1e-9)
    assert got.name == "clv"


def test_utils_scale_time_equals_lifetimes(lt):
    import lifetimes.utils as lu

    age = np.arange(200.0)
    assert ru._scale_time(age) == lu._scale_time(age)


def test_convergence_error_is_a_value_error_and_ours(lt):
    import lifetimes.utils as lu

    from retention.errors import FitNotConvergedError

    assert issubclass(lu.ConvergenceError, ValueError) and issubclass(ru.ConvergenceError, ValueError)
    assert ru.ConvergenceError is FitNotConvergedError
