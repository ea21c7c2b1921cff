"""Buy-till-you-die models through the Python API: the published CDNOW and
donations estimates, predictions, CLV, the P(alive) plot, and bad input."""

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import retention
from retention import (
    EmptyInputError,
    InvalidParameterError,
    InvalidRowsError,
    LengthMismatchError,
    RetentionError,
)

FIXTURES = Path(__file__).resolve().parents[2] / "retention-core" / "tests" / "fixtures"


def printed(got, want, decimals):
    """``got`` rounds to ``want`` printed with ``decimals`` decimals."""
    assert abs(got - want) <= 0.5 * 10 ** -decimals + 1e-12, (got, want)


@pytest.fixture(scope="module")
def cdnow_log():
    raw = pd.read_csv(FIXTURES / "CDNOW_sample.txt", sep=r"\s+", header=None,
                      names=["customer_id", "sample_id", "date", "cds", "amount"])
    return pd.DataFrame({
        "customer_id": raw["customer_id"],
        "timestamp": pd.to_datetime(raw["date"].astype(str), format="%Y%m%d"),
        "amount": raw["amount"],
    })


@pytest.fixture(scope="module")
def cdnow_weeks(cdnow_log):
    """Exact calibration summary in weeks (39-week calibration, as the paper)."""
    log = retention.EventLog.from_frame(cdnow_log)
    return retention.summary_data(log, "1997-09-30", multiplier=7, after_end="ignore")


@pytest.fixture(scope="module")
def cdnow_csv():
    return pd.read_csv(FIXTURES / "cdnow_customers_summary.csv")


@pytest.fixture(scope="module")
def donations():
    return pd.read_csv(FIXTURES / "donations.csv")


def test_summary_has_every_customer(cdnow_weeks):
    assert len(cdnow_weeks) == 2357

def test_summary_in_file_order(cdnow_log, cdnow_weeks, cdnow_csv):
    # The CSV numbers the customers 1..2357 in the order of the purchase log.
    ours = cdnow_weeks.set_index("customer_id").loc[pd.unique(cdnow_log["customer_id"])]
    assert np.array_equal(ours["frequency"], cdnow_csv["frequency"])
    assert np.allclose(ours["recency"], cdnow_csv["recency"], atol=0.006)
    assert np.allclose(ours["T"], cdnow_csv["T"], atol=0.006)


def test_bgnbd_published(cdnow_weeks):
    m = retention.fit_bgnbd(cdnow_weeks)
    p = m.params
    for name, want in {"r": 0.2426, "alpha": 4.4136, "a": 0.7929, "b": 2.4259}.items():
        printed(p[name], want, 4)
    assert m.log_likelihood == pytest.approx(-9582.43, abs=0.01)
    assert m.model == "bg_nbd"
    se = m.standard_errors
    assert se is not None and set(se) == {"r", "alpha", "a", "b"} and all(v > 0 for v in se.values())
    d = m.diagnostics
    assert d is not None and d.covariance is not None and d.covariance.shape == (4, 4)
    assert d.rows == 2357 and d.total_weight == 2357 and d.attempts >= 1
    assert m.score(cdnow_weeks["frequency"], cdnow_weeks["recency"], cdnow_weeks["T"]) == pytest.approx(
        m.log_likelihood, rel=1e-12)

    publ = retention.TransactionModel("bg_nbd", {"r": 0.2426, "alpha": 4.4136, "a": 0.7929, "b": 2.4259})
    for model in (publ, m):
        printed(model.probability_alive([2], [30.43], [38.86])[0], 0.7266, 4)
        printed(model.conditional_expected_purchases(39, [2], [30.43], [38.86])[0], 1.226, 3)
        got = model.expected_purchases([1, 3, 32, 78])
        for g, want in zip(got, [0.0532, 0.1506, 1.0437, 1.8576]):
            printed(g, want, 3)
        assert isinstance(model.expected_purchases(39.0), float)
    total = sum(publ.probability_of_purchases(n, 39.0) for n in range(100))
    assert total == pytest.approx(1.0, abs=1e-5)


def test_pareto_and_mbgnbd_published(cdnow_weeks):
    p = retention.fit_pareto_nbd(cdnow_weeks["frequency"], cdnow_weeks["recency"], cdnow_weeks["T"])
    # The maximum is at r = 0.55328, between the published 0.5532 and 0.5533
    # (see retention-core/tests/models_published.rs).
    assert p.params["r"] == pytest.approx(0.5532, abs=1e-4)
    for name, want, dec in [("alpha", 10.578, 3), ("s", 0.6062, 4), ("beta", 11.669, 3)]:
        printed(p.params[name], want, dec)
    assert p.log_likelihood == pytest.approx(-9594.98, abs=0.01)
    assert p.model == "pareto_nbd"
    m = retention.fit_mbgnbd(cdnow_weeks)
    for name, want in {"r": 0.525, "alpha": 6.183, "a": 0.891, "b": 1.614}.items():
        printed(m.params[name], want, 3)


def test_gamma_gamma_published(cdnow_log):
    log = retention.EventLog.from_frame(cdnow_log)
    s = retention.summary_data(log, "1997-09-30", after_end="ignore")
    assert (s["frequency"] > 0).sum() == 946
    gg = retention.fit_gamma_gamma(s["frequency"], s["monetary_value"])
    printed(gg.params["p"], 6.25, 2)
    printed(gg.params["q"], 3.74, 2)
    printed(gg.params["gamma"], 15.44, 2)
    assert gg.log_likelihood == pytest.approx(-4055.92, abs=0.01)
    assert gg.diagnostics is not None and gg.diagnostics.rows == 946
    pop = gg.expected_average_spend()
    spend = gg.conditional_expected_average_spend(s["frequency"], s["monetary_value"])
    assert spend.shape == (len(s),) and np.all(spend > 0)
    assert spend[(s["frequency"] == 0).to_numpy()] == pytest.approx(pop)
    r = retention.frequency_monetary_correlation(s["frequency"], s["monetary_value"])
    assert r is not None and abs(r) < 0.2


def test_bgbb_published(donations):
    m = retention.fit_bgbb(donations["frequency"], donations["recency"], donations["periods"], donations["weights"])
    for name, want in {"alpha": 1.204, "beta": 0.750, "gamma": 0.657, "delta": 2.783}.items():
        printed(m.params[name], want, 3)
    assert m.log_likelihood == pytest.approx(-33225.6, abs=0.05)
    assert sum(m.probability_of_transactions(x, 6) for x in range(7)) == pytest.approx(1.0, abs=1e-12)
    assert m.expected_transactions(6) > 0
    alive = m.probability_alive(donations["frequency"], donations["recency"], donations["periods"])
    later = m.probability_alive(donations["frequency"], donations["recency"], donations["periods"], future=5)
    assert np.all((alive >= 0) & (alive <= 1)) and np.all(later <= alive)
    e = m.conditional_expected_transactions(5, donations["frequency"], donations["recency"], donations["periods"])
    assert np.all((e >= 0) & (e <= 5))
    # A table with n_periods works too.
    again = retention.BgBbModel.fit(donations.rename(columns={"periods": "n_periods"}))
    assert again.params == pytest.approx(m.params, rel=1e-6)


def test_predictive_clv(cdnow_log):
    log = retention.EventLog.from_frame(cdnow_log)
    s = retention.summary_data(log, "1997-09-30", after_end="ignore")
    bg = retention.fit_bgnbd(s)
    gg = retention.fit_gamma_gamma(s)
    clv = retention.predictive_clv(bg, gg, s["frequency"], s["recency"], s["T"], s["monetary_value"])
    assert clv.shape == (len(s),) and np.all(np.isfinite(clv)) and np.all(clv >= 0)
    undiscounted = retention.predictive_clv(
        bg, gg, s["frequency"], s["recency"], s["T"], s["monetary_value"], monthly_discount_rate=0.0)
    assert np.all(undiscounted >= clv)
    # With no discount, CLV = expected spend × expected purchases over 12 months.
    spend = gg.conditional_expected_average_spend(s["frequency"], s["monetary_value"])
    purchases = bg.conditional_expected_purchases(360, s["frequency"], s["recency"], s["T"])
    assert np.allclose(undiscounted, spend * purchases, rtol=1e-9)
    weeks = retention.predictive_clv(bg, gg, [1], [10], [20], [30.0], unit_days=7.0, horizon_months=1)
    assert weeks.shape == (1,)


def test_probability_alive_matrix_and_plot(cdnow_weeks, tmp_path):
    pytest.importorskip("matplotlib")
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from retention._plot_models import plot_probability_alive_matrix

    m = retention.fit_bgnbd(cdnow_weeks)
    z = m.probability_alive_matrix(10, 39)
    assert z.shape == (40, 11)
    assert np.all((z >= 0) & (z <= 1))
    assert z[39, 5] == pytest.approx(m.probability_alive([5], [39], [39])[0])
    fig, ax = plt.subplots()
    out = plot_probability_alive_matrix(m, max_frequency=10, max_recency=39, ax=ax)
    assert out is ax and ax.get_xlabel() and len(ax.images) == 1
    fig.savefig(tmp_path / "p_alive.png")
    assert (tmp_path / "p_alive.png").stat().st_size > 1000
    plt.close(fig)
    with pytest.raises(TypeError):
        plot_probability_alive_matrix(m)


def test_fit_options(cdnow_weeks):
    base = retention.fit_bgnbd(cdnow_weeks)
    started = retention.fit_bgnbd(cdnow_weeks, initial_params=[0.3, 5.0, 0.8, 2.0])
    assert started.params == pytest.approx(base.params, rel=1e-4)
    penalised = retention.fit_bgnbd(cdnow_weeks, penalizer_coef=0.01)
    assert penalised.params["alpha"] < base.params["alpha"]
    assert penalised.diagnostics is not None and penalised.diagnostics.penalizer_coef == 0.01
    # Weights: duplicated rows equal weight 2.
    doubled = pd.concat([cdnow_weeks, cdnow_weeks])
    w = retention.fit_bgnbd(cdnow_weeks["frequency"], cdnow_weeks["recency"], cdnow_weeks["T"],
                            np.full(len(cdnow_weeks), 2.0))
    d = retention.fit_bgnbd(doubled)
    assert w.params == pytest.approx(d.params, rel=1e-5)
    assert w.log_likelihood == pytest.approx(2 * base.log_likelihood, rel=1e-9)


def test_polars_and_arrow_inputs(cdnow_csv):
    pl = pytest.importorskip("polars")
    import pyarrow as pa

    ref = retention.fit_bgnbd(cdnow_csv["frequency"], cdnow_csv["recency"], cdnow_csv["T"])
    got = retention.fit_bgnbd(pl.from_pandas(cdnow_csv[["frequency", "recency", "T"]]))
    assert got.params == pytest.approx(ref.params, rel=1e-12)
    table = pa.Table.from_pandas(cdnow_csv[["frequency", "recency", "T"]])
    assert retention.fit_bgnbd(table).params == pytest.approx(ref.params, rel=1e-12)


def test_release_the_gil_and_repr(cdnow_csv):
    import threading

    results = []

    def work():
        results.append(retention.fit_bgnbd(cdnow_csv["frequency"], cdnow_csv["recency"], cdnow_csv["T"]).params)

    threads = [threading.Thread(target=work) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(results) == 2 and results[0] == results[1]
    assert "bg_nbd" in repr(retention.TransactionModel("bg_nbd", [1, 2, 3, 4]))


# ------------------------------------------------------------- bad input

F, R, T = [1.0, 2.0, 0.0], [1.0, 5.0, 0.0], [10.0, 10.0, 10.0]


def bad(i, value, base):
    out = list(base)
    out[i] = value
    return out


@pytest.mark.parametrize(
    "kwargs, row, field, for_predictions",
    [
        (dict(frequency=bad(1, math.nan, F)), 1, "frequency", True),
        (dict(frequency=bad(0, -1.0, F)), 0, "frequency", True),
        (dict(frequency=bad(1, 1.5, F)), 1, "frequency", True),
        (dict(recency=bad(1, 11.0, R)), 1, "recency", True),
        # frequency 0 with recency > 0: not a possible history (no fit),
        # but the prediction formulas are defined there (as in lifetimes).
        (dict(recency=bad(2, 3.0, R)), 2, "recency", False),
        (dict(T=bad(0, math.inf, T)), 0, "age", True),
        (dict(frequency=[1.0, None, 0.0]), 1, "frequency", True),
    ],
)
@pytest.mark.parametrize("model", ["bg_nbd", "mbg_nbd", "pareto_nbd"])
def test_bad_rows_are_named(model, kwargs, row, field, for_predictions):
    cols = dict(frequency=F, recency=R, T=T)
    cols.update(kwargs)
    with pytest.raises(InvalidRowsError) as e:
        retention.TransactionModel.fit(model, cols["frequency"], cols["recency"], cols["T"])
    issue = e.value.issues[0]
    assert (issue["row"], issue["field"]) == (row, field)
    assert f"row {row}" in str(e.value)
    fitted = retention.TransactionModel(model, [0.5, 5.0, 0.8, 2.0])
    if not for_predictions:
        p = fitted.probability_alive(cols["frequency"], cols["recency"], cols["T"])
        assert np.all((p > 0) & (p <= 1))
        return
    with pytest.raises(InvalidRowsError) as e:
        fitted.probability_alive(cols["frequency"], cols["recency"], cols["T"])
    assert (e.value.issues[0]["row"], e.value.issues[0]["field"]) == (row, field)
    with pytest.raises(InvalidRowsError):
        fitted.conditional_expected_purchases(10, cols["frequency"], cols["recency"], cols["T"])


def test_bad_weights_lengths_and_options():
    with pytest.raises(InvalidRowsError) as e:
        retention.fit_bgnbd(F, R, T, [1.0, -1.0, 1.0])
    assert (e.value.issues[0]["row"], e.value.issues[0]["field"]) == (1, "weights")
    with pytest.raises(LengthMismatchError) as e:
        retention.fit_bgnbd(F, R[:2], T)
    assert e.value.field == "recency"
    with pytest.raises(EmptyInputError):
        retention.fit_bgnbd([], [], [])
    with pytest.raises(InvalidParameterError) as e:
        retention.TransactionModel.fit("bg_nbdd", F, R, T)
    assert e.value.name == "transaction_model"
    with pytest.raises(InvalidParameterError) as e:
        retention.fit_bgnbd(F, R, T, penalizer_coef=-1.0)
    assert e.value.name == "penalizer_coef"
    with pytest.raises(InvalidParameterError) as e:
        retention.fit_bgnbd(F, R, T, initial_params=[1.0, 2.0])
    assert e.value.name == "initial_params"
    with pytest.raises(InvalidParameterError) as e:
        retention.TransactionModel("bg_nbd", [1.0, -2.0, 1.0, 1.0])
    assert e.value.name == "alpha"
    with pytest.raises(InvalidParameterError):
        retention.TransactionModel("pareto_nbd", [1.0, 2.0, 1.0])
    with pytest.raises(TypeError):
        retention.fit_bgnbd(["a", "b", "c"], R, T)
    with pytest.raises(KeyError):
        retention.fit_bgnbd(pd.DataFrame({"frequency": F, "recency": R}))
    m = retention.TransactionModel("bg_nbd", [0.5, 5.0, 0.8, 2.0])
    with pytest.raises(InvalidParameterError) as e:
        m.expected_purchases(-1.0)
    assert e.value.name == "t"
    with pytest.raises(InvalidParameterError):
        m.conditional_expected_purchases(math.nan, F, R, T)
    with pytest.raises(InvalidParameterError):
        m.probability_of_purchases(-1, 3.0)


def test_bad_bgbb_gamma_gamma_and_clv():
    with pytest.raises(InvalidRowsError) as e:
        retention.fit_bgbb([1, 2, 1], [1, 1, 1.5], [6, 6, 6])
    assert [(i["row"], i["field"]) for i in e.value.issues] == [(1, "frequency"), (2, "recency")]
    with pytest.raises(InvalidRowsError) as e:
        retention.fit_gamma_gamma([1, 2, 3], [10.0, -5.0, math.nan])
    assert [(i["row"], i["field"]) for i in e.value.issues] == [(1, "monetary_value"), (2, "monetary_value")]
    with pytest.raises(EmptyInputError):
        retention.fit_gamma_gamma([0, 0], [0.0, 0.0])
    gg = retention.GammaGammaModel(6.25, 3.74, 15.44)
    with pytest.raises(InvalidRowsError) as e:
        gg.conditional_expected_average_spend([1, 2], [10.0, 0.0])
    assert (e.value.issues[0]["row"], e.value.issues[0]["field"]) == (1, "monetary_value")
    with pytest.raises(InvalidParameterError) as e:
        retention.GammaGammaModel(1.0, 0.5, 1.0).expected_average_spend()
    assert e.value.name == "q"
    bg = retention.TransactionModel("bg_nbd", [0.24, 4.4, 0.79, 2.4])
    with pytest.raises(InvalidParameterError) as e:
        retention.predictive_clv(bg, gg, F, R, T, [1.0, 1.0, 0.0], time_unit="Y")
    assert e.value.name == "clv_time_unit" and e.value.accepted == ["hour", "day", "week", "month"]
    with pytest.raises(InvalidParameterError) as e:
        retention.predictive_clv(bg, gg, F, R, T, [1.0, 1.0, 0.0], time_unit="week", unit_days=7.0)
    assert e.value.name == "unit_days"
    with pytest.raises(InvalidParameterError):
        retention.predictive_clv(bg, gg, F, R, T, [1.0, 1.0, 0.0], horizon_months=0)
    with pytest.raises(InvalidRowsError) as e:
        retention.predictive_clv(bg, gg, F, R, T, [1.0, -1.0, 0.0])
    assert (e.value.issues[0]["row"], e.value.issues[0]["field"]) == (1, "monetary_value")
    with pytest.raises(LengthMismatchError):
        retention.predictive_clv(bg, gg, F, R, T, [1.0])
    with pytest.raises(TypeError):
        retention.predictive_clv(gg, gg, F, R, T, [1.0, 1.0, 0.0])  # type: ignore[arg-type]
    bb = retention.BgBbModel(1.2, 0.75, 0.66, 2.8)
    with pytest.raises(InvalidRowsError):
        bb.probability_alive([1], [2], [1])
    with pytest.raises(InvalidParameterError):
        retention.BgBbModel(1.2, 0.75, 0.0, 2.8)
    for exc in (InvalidRowsError, InvalidParameterError):
        assert issubclass(exc, RetentionError)


def test_model_statistics_come_from_the_core(cdnow_weeks):
    import pyarrow as pa

    x, r, t = (cdnow_weeks[c].to_numpy() for c in ("frequency", "recency", "T"))
    arrays = [pa.array(v) for v in (x, r, t)]
    plain, d = retention._retention.TransactionModel.fit("bg_nbd", *arrays)
    scaled, ds = retention._retention.TransactionModel.fit("bg_nbd", *arrays, time_scale=1.0 / t.max())
    for (n, a), (_, b) in zip(scaled.params, plain.params):
        assert a == pytest.approx(b, rel=1e-5), n
    assert ds["log_likelihood"] == pytest.approx(d["log_likelihood"], abs=1e-6)
    k, ll, n = 4, d["log_likelihood"], d["total_weight"]
    assert d["aic"] == pytest.approx(2 * k - 2 * ll) and d["bic"] == pytest.approx(k * np.log(n) - 2 * ll)
    values = [v for _, v in plain.params]
    bounds = retention._retention.confidence_intervals(values, d["standard_errors"], 0.95)
    for (lo, hi), v, se in zip(bounds, values, d["standard_errors"]):
        assert hi - v == pytest.approx(1.959963984540054 * se) and v - lo == pytest.approx(1.959963984540054 * se)
    with pytest.raises(InvalidParameterError):
        retention._retention.confidence_intervals(values, d["standard_errors"], 1.5)
