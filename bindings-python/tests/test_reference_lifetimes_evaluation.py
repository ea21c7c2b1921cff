"""Holdout evaluation and ``retention.compat.lifetimes.plotting`` against
lifetimes 0.11.3 on CDNOW (``reference`` tests, run in ``.venv-ref``), plus
checks of our own.

The lifetimes fitter is passed to our functions as it is (its class name and
``params_`` select the core model), so both sides evaluate the same
parameters and the numbers agree to rounding.
"""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import retention
from retention.compat.lifetimes import BetaGeoFitter, ParetoNBDFitter
from retention.compat.lifetimes import plotting as ours_plot
from retention.compat.lifetimes import utils as ours_utils

from conftest import reference

FIXTURES = Path(__file__).resolve().parents[2] / "retention-core" / "tests" / "fixtures"

matplotlib = pytest.importorskip("matplotlib")
matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


@pytest.fixture(scope="module")
def transactions():
    raw = pd.read_csv(FIXTURES / "CDNOW_sample.txt", sep=r"\s+", header=None,
                      names=["customer_id", "sample_id", "date", "cds", "amount"])
    return pd.DataFrame({"id": raw["customer_id"], "date": pd.to_datetime(raw["date"].astype(str))})


@pytest.fixture(scope="module")
def summary():
    return pd.read_csv(FIXTURES / "cdnow_customers_summary.csv", index_col="ID")


def rel(a, b):
    a, b = np.asarray(a, float), np.asarray(b, float)
    return float(np.max(np.abs(a - b) / np.maximum(np.abs(b), 1e-300)))


def _lifetimes():
    lt = reference("lifetimes")
    import warnings

    import lifetimes.plotting  # noqa: F401

    warnings.filterwarnings("ignore", category=FutureWarning)
    warnings.filterwarnings("ignore", category=DeprecationWarning)
    return lt


@pytest.fixture(scope="module")
def ref_bgf(summary):
    lt = _lifetimes()
    return lt.BetaGeoFitter().fit(summary["frequency"], summary["recency"], summary["T"])


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


# ------------------------------------------------------------ own checks


def test_tracking_series_columns_and_mape(transactions):
    model = retention.TransactionModel("bg_nbd", {"r": 0.24, "alpha": 4.4, "a": 0.79, "b": 2.43})
    log = retention.EventLog.from_frame(pd.DataFrame({
        "customer_id": transactions["id"], "timestamp": transactions["date"], "amount": 0.0}))
    s = retention.tracking_series(model, log, 546, unit="day", multiplier=7)
    assert len(s) == 78
    assert list(s.columns) == ["period", "period_start", "actual_cumulative", "expected_cumulative",
                               "actual_incremental", "expected_incremental"]
    assert np.allclose(np.cumsum(s["expected_incremental"]), s["expected_cumulative"], rtol=1e-12)
    assert np.array_equal(np.cumsum(s["actual_incremental"]), s["actual_cumulative"])
    holdout = s.iloc[39:]
    a, e = holdout["actual_cumulative"].to_numpy(), holdout["expected_cumulative"].to_numpy()
    assert retention.tracking_mape(holdout) == pytest.approx(100 * np.mean(np.abs(e - a) / a), rel=1e-12)
    with pytest.raises(retention.InvalidParameterError, match="periods"):
        retention.tracking_series(model, log, 20_001, unit="day")
    with pytest.raises(retention.InvalidParameterError, match="multiplier"):
        retention.tracking_series(model, log, 5, unit="day", multiplier=6)


def test_holdout_table_and_metrics_by_hand():
    model = retention.TransactionModel("bg_nbd", {"r": 0.25, "alpha": 4.0, "a": 0.8, "b": 2.5})
    split = pd.DataFrame({"frequency_cal": [0.0, 1.0, 1.0, 3.0], "recency_cal": [0.0, 2.0, 5.0, 8.0],
                          "T_cal": [10.0, 10.0, 10.0, 12.0], "frequency_holdout": [0.0, 1.0, 3.0, 2.0],
                          "duration_holdout": 6.0})
    pred = model.conditional_expected_purchases(6.0, split["frequency_cal"], split["recency_cal"], split["T_cal"])
    t = retention.conditional_holdout_table(model, split)
    assert t["frequency_cal"].tolist() == [0.0, 1.0, 3.0]
    assert t["customers"].tolist() == [1, 2, 1]
    assert t["actual_mean"].tolist() == [0.0, 2.0, 2.0]
    assert t["expected_mean"].to_numpy() == pytest.approx([pred[0], (pred[1] + pred[2]) / 2, pred[3]], rel=1e-12)
    m = retention.holdout_metrics(model, split)
    y = split["frequency_holdout"].to_numpy()
    assert m["mae"] == pytest.approx(np.mean(np.abs(pred - y)), rel=1e-12)
    assert m["rmse"] == pytest.approx(np.sqrt(np.mean((pred - y) ** 2)), rel=1e-12)
    assert m["correlation"] == pytest.approx(np.corrcoef(pred, y)[0, 1], rel=1e-12)
    with pytest.raises(retention.EmptyInputError):
        retention.holdout_metrics(model, split.iloc[:0])
    with pytest.raises(retention.InvalidRowsError, match="frequency_holdout"):
        retention.holdout_metrics(model, split.assign(frequency_holdout=[0.0, -1.0, 0.0, 0.0]))
    with pytest.raises(retention.UnknownCodeError):
        retention.conditional_holdout_table(model, split, group_by="nope")


# ------------------------------------------------------ against lifetimes


@pytest.mark.reference
@pytest.mark.filterwarnings("ignore")
@pytest.mark.parametrize("kwargs", [
    dict(t=200), dict(t=546, freq_multiplier=7), dict(t=78, freq="W"), dict(t=17, freq="M"),
    dict(t=60, set_index_date=True), dict(t=70, freq_multiplier=7, set_index_date=True),
])
def test_expected_cumulative_transactions_equals_lifetimes(transactions, ref_bgf, kwargs):
    lt = _lifetimes()
    ref = lt.utils.expected_cumulative_transactions(ref_bgf, transactions, "date", "id", **kwargs)
    ours = ours_utils.expected_cumulative_transactions(ref_bgf, transactions, "date", "id", **kwargs)
    assert ours.index.equals(ref.index)
    assert list(ours.columns) == ["actual", "predicted"]
    assert ours["actual"].dtype == ref["actual"].dtype
    assert np.array_equal(ours["actual"], ref["actual"])
    assert rel(ours["predicted"], ref["predicted"]) < 1e-9


@pytest.mark.reference
@pytest.mark.filterwarnings("ignore")
@pytest.mark.parametrize("kwargs", [dict(t=100), dict(t=20, freq="W"), dict(t=3), dict(t=30, freq="M")])
def test_calculate_alive_path_equals_lifetimes(transactions, ref_bgf, kwargs):
    lt = _lifetimes()
    for cid in transactions["id"].unique()[:3]:
        cust = transactions[transactions["id"] == cid]
        ref = lt.utils.calculate_alive_path(ref_bgf, cust, "date", **kwargs)
        ours = ours_utils.calculate_alive_path(ref_bgf, cust, "date", **kwargs)
        assert ours.index.equals(ref.index)
        # lifetimes' entries are one-element arrays; ours are numbers.
        assert rel(ours, [float(np.ravel(v)[0]) for v in ref]) < 1e-9


@pytest.fixture(scope="module")
def split(transactions):
    lt = _lifetimes()
    return lt.utils.calibration_and_holdout_data(transactions, "id", "date", calibration_period_end="1997-09-30",
                                                 observation_period_end="1998-06-30")


@pytest.fixture(scope="module")
def ref_cal(split):
    lt = _lifetimes()
    return lt.BetaGeoFitter().fit(split["frequency_cal"], split["recency_cal"], split["T_cal"])


def _lines(ax):
    return [(np.asarray(line.get_xdata(), float), np.asarray(line.get_ydata(), float)) for line in ax.get_lines()]


@pytest.mark.reference
@pytest.mark.filterwarnings("ignore")
@pytest.mark.parametrize("kind", ["frequency_cal", "recency_cal", "T_cal", "time_since_last_purchase"])
def test_calibration_vs_holdout_plot_equals_lifetimes(split, ref_cal, kind):
    lt = _lifetimes()
    ref = _lines(lt.plotting.plot_calibration_purchases_vs_holdout_purchases(ref_cal, split, kind=kind, n=9))
    plt.close("all")
    ax = ours_plot.plot_calibration_purchases_vs_holdout_purchases(ref_cal, split, kind=kind, n=9)
    ours = _lines(ax)
    assert len(ours) == len(ref) == 2
    for (xo, yo), (xr, yr) in zip(ours, ref):
        assert np.array_equal(xo, xr)
        assert rel(yo, yr) < 1e-9
    # The general table behind it: counts and the same means.
    model = retention.TransactionModel("bg_nbd", list(ref_cal.params_.values))
    t = retention.conditional_holdout_table(model, split, group_by=kind.lower(), max_groups=9)
    counts = split.assign(time_since_last_purchase=split["T_cal"] - split["recency_cal"]).groupby(kind).size()
    assert t["customers"].tolist() == counts.iloc[:9].tolist()


@pytest.mark.reference
@pytest.mark.filterwarnings("ignore")
def test_holdout_metrics_on_cdnow(split, ref_cal):
    model = retention.TransactionModel("bg_nbd", list(ref_cal.params_.values))
    pred = np.asarray(ref_cal.conditional_expected_number_of_purchases_up_to_time(
        split["duration_holdout"].iloc[0], split["frequency_cal"], split["recency_cal"], split["T_cal"]), float)
    y = split["frequency_holdout"].to_numpy(float)
    m = retention.holdout_metrics(model, split)
    assert m["customers"] == len(split)
    assert m["mae"] == pytest.approx(np.mean(np.abs(pred - y)), rel=1e-9)
    assert m["rmse"] == pytest.approx(np.sqrt(np.mean((pred - y) ** 2)), rel=1e-9)
    assert m["correlation"] == pytest.approx(np.corrcoef(pred, y)[0, 1], rel=1e-9)


@pytest.mark.reference
@pytest.mark.filterwarnings("ignore")
def test_period_transactions_plot(summary, ref_bgf):
    lt = _lifetimes()
    ax = lt.plotting.plot_period_transactions(ref_bgf, max_frequency=7)
    ref = np.array([p.get_height() for p in ax.patches])
    plt.close("all")
    ax = ours_plot.plot_period_transactions(ref_bgf, max_frequency=7)
    ours = np.array([p.get_height() for p in ax.patches])
    assert ours.shape == ref.shape == (14,)
    # Actual bars are the same counts.
    assert np.array_equal(ours[:7], ref[:7])
    # Model bars: ours are the exact expectation, lifetimes' one simulated data
    # set of 2357 customers; the counts are binomial, so a gap of 5 standard
    # deviations would fail about once in 1.7 million runs per bar.
    n = len(summary)
    sd = np.sqrt(ours[7:] * (1 - ours[7:] / n))
    assert np.all(np.abs(ref[7:] - ours[7:]) <= 5 * sd + 1), (ref[7:], ours[7:])
    # Exactness: lifetimes' own P(X(t) = k) summed over the customers' ages.
    ages = summary["T"].value_counts()
    exact = [sum(w * ref_bgf.probability_of_n_purchases_up_to_time(t, k) for t, w in ages.items()) for k in range(7)]
    assert rel(ours[7:], exact) < 1e-8


@pytest.mark.reference
@pytest.mark.filterwarnings("ignore")
@pytest.mark.parametrize("which", ["plot_cumulative_transactions", "plot_incremental_transactions"])
@pytest.mark.parametrize("set_index_date", [False, True])
def test_tracking_plots_equal_lifetimes(transactions, ref_bgf, which, set_index_date):
    lt = _lifetimes()
    kwargs = dict(t=120, t_cal=60, set_index_date=set_index_date)
    ref_ax = getattr(lt.plotting, which)(ref_bgf, transactions, "date", "id", **kwargs)
    ref = [line.get_ydata() for line in ref_ax.get_lines()]
    ref_x = [line.get_xdata() for line in ref_ax.get_lines()]
    plt.close("all")
    ax = getattr(ours_plot, which)(ref_bgf, transactions, "date", "id", **kwargs)
    ours = [line.get_ydata() for line in ax.get_lines()]
    ours_x = [line.get_xdata() for line in ax.get_lines()]
    assert len(ours) == len(ref) == 3  # actual, predicted, the calibration marker
    for o, r in zip(ours[:2], ref[:2]):
        o, r = np.asarray(o, float), np.asarray(r, float)
        assert np.array_equal(np.isnan(o), np.isnan(r))
        ok = ~np.isnan(r)
        assert np.allclose(o[ok], r[ok], rtol=1e-9, atol=1e-9)
    for o, r in zip(ours_x, ref_x):
        assert np.array_equal(np.asarray(o), np.asarray(r))


@pytest.mark.reference
@pytest.mark.filterwarnings("ignore")
def test_history_alive_plot_equals_lifetimes(transactions, ref_bgf):
    # lifetimes' own plot_history_alive fails on current pandas (it sums the
    # datetime column when resampling), so compare with the data it would
    # draw: its calculate_alive_path on lifetimes' dates, and a marker at
    # each day with a purchase.
    lt = _lifetimes()
    cust = transactions[transactions["id"] == transactions["id"].iloc[0]]
    path = [float(np.ravel(v)[0]) for v in lt.utils.calculate_alive_path(ref_bgf, cust, "date", 200)]
    dates = pd.date_range(start=cust["date"].min(), periods=len(path), freq="D")
    ax = ours_plot.plot_history_alive(ref_bgf, 200, cust, "date")
    line = ax.get_lines()[0]
    assert np.array_equal(pd.to_datetime(line.get_xdata()), dates)
    assert rel(line.get_ydata(), path) < 1e-9
    marked = {seg[0][0] for seg in ax.collections[0].get_segments()}
    assert len(marked) == cust["date"].dt.normalize().nunique()


@pytest.mark.reference
@pytest.mark.filterwarnings("ignore")
def test_matrix_plots_equal_lifetimes(ref_bgf):
    lt = _lifetimes()
    for name, kwargs in [("plot_frequency_recency_matrix", dict(T=5, max_frequency=12, max_recency=40)),
                         ("plot_probability_alive_matrix", dict(max_frequency=12, max_recency=40))]:
        ref = np.asarray(getattr(lt.plotting, name)(ref_bgf, **kwargs).get_images()[0].get_array(), float)
        plt.close("all")
        ours = np.asarray(getattr(ours_plot, name)(ref_bgf, **kwargs).get_images()[0].get_array(), float)
        plt.close("all")
        assert ours.shape == ref.shape == (41, 13)
        # Frequency 0 is evaluated at recency 0 only (the only possible
        # history; predictions there at recency > 0 are a separate change).
        assert rel(ours[:, 1:], ref[:, 1:]) < 1e-9, name
        assert rel(ours[0, 0], ref[0, 0]) < 1e-9, name


@pytest.mark.reference
@pytest.mark.filterwarnings("ignore")
def test_expected_repeat_purchases_plot(ref_bgf):
    ax = ours_plot.plot_expected_repeat_purchases(ref_bgf)
    (x1, y1), (x2, y2) = _lines(ax)
    top = ref_bgf.data["T"].max()
    assert np.array_equal(x1, np.linspace(0, top, 100)) and np.array_equal(x2, np.linspace(top, 1.5 * top, 100))
    assert rel(y1[1:], ref_bgf.expected_number_of_purchases_up_to_time(x1[1:])) < 1e-9
    assert rel(y2, ref_bgf.expected_number_of_purchases_up_to_time(x2)) < 1e-9
    assert ax.get_lines()[1].get_linestyle() == "--"


@pytest.mark.reference
@pytest.mark.filterwarnings("ignore")
def test_heterogeneity_plots_equal_lifetimes(ref_bgf):
    lt = _lifetimes()
    for name in ("plot_transaction_rate_heterogeneity", "plot_dropout_rate_heterogeneity"):
        ref_ax = getattr(lt.plotting, name)(ref_bgf)
        (xr, yr), = _lines(ref_ax)
        title = ref_ax.get_title()
        plt.close("all")
        ax = getattr(ours_plot, name)(ref_bgf)
        (xo, yo), = _lines(ax)
        assert ax.get_title() == title
        assert rel(xo, xr) < 1e-9, name
        # Infinite at 0 (shape below 1) on both sides.
        finite = np.isfinite(yr)
        assert np.array_equal(yo[~finite], yr[~finite])
        assert rel(yo[finite], yr[finite]) < 1e-9, name


@pytest.mark.filterwarnings("ignore:No artists with labels:UserWarning")
def test_plots_return_axes_with_our_fitter(summary):
    bgf = BetaGeoFitter().fit(summary["frequency"], summary["recency"], summary["T"])
    for f in (ours_plot.plot_period_transactions, ours_plot.plot_expected_repeat_purchases,
              ours_plot.plot_transaction_rate_heterogeneity, ours_plot.plot_dropout_rate_heterogeneity):
        ax = f(bgf)
        assert isinstance(ax, matplotlib.axes.Axes)
        plt.close("all")
    pnbd = ParetoNBDFitter().fit(summary["frequency"], summary["recency"], summary["T"])
    ax = ours_plot.plot_dropout_rate_heterogeneity(pnbd)
    s, beta = pnbd.params_["s"], pnbd.params_["beta"]
    assert ax.get_title() == "mean: {:.3f}, var: {:.3f}".format(s / beta, s / beta**2)
