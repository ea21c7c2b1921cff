"""retention.compat.lifetimes: lifetimes' names and results.

The ``reference``-marked tests compare against lifetimes 0.11.3 itself (run in
.venv-ref). Parameters agree to the optimizers' tolerances; predictions at
the same parameters agree to rounding.
"""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import retention
from retention.compat.lifetimes import (
    BetaGeoBetaBinomFitter,
    BetaGeoFitter,
    GammaGammaFitter,
    ModifiedBetaGeoFitter,
    ParetoNBDFitter,
)
from retention.compat.lifetimes.utils import calibration_and_holdout_data, summary_data_from_transaction_data

from conftest import reference

FIXTURES = Path(__file__).resolve().parents[2] / "retention-core" / "tests" / "fixtures"


@pytest.fixture(scope="module")
def summary():
    return pd.read_csv(FIXTURES / "cdnow_customers_summary.csv", index_col="ID")


@pytest.fixture(scope="module")
def donations():
    return pd.read_csv(FIXTURES / "donations.csv")


@pytest.fixture(scope="module")
def transactions():
    raw = pd.read_csv(FIXTURES / "CDNOW_sample.txt", sep=r"\s+", header=None,
                      names=["customer_id", "sample_id", "date", "cds", "amount"])
    return pd.DataFrame({"id": raw["customer_id"], "date": raw["date"].astype(str), "spent": raw["amount"]})


def rel(a, b):
    a, b = np.asarray(a, float), np.asarray(b, float)
    return float(np.max(np.abs(a - b) / np.maximum(np.abs(b), 1e-300)))


# ------------------------------------------------------------ own checks


def test_bgnbd_fitter(summary):
    bgf = BetaGeoFitter().fit(summary["frequency"], summary["recency"], summary["T"])
    assert list(bgf.params_.index) == ["r", "alpha", "a", "b"]
    assert bgf.params_.to_dict() == pytest.approx({"r": 0.2426, "alpha": 4.4136, "a": 0.7929, "b": 2.4259}, abs=3e-4)
    assert list(bgf.summary.columns) == ["coef", "se(coef)", "lower 95% bound", "upper 95% bound"]
    assert (bgf.standard_errors_ > 0).all()
    assert bgf.predict is not None
    p = bgf.predict(39, summary["frequency"], summary["recency"], summary["T"])
    assert isinstance(p, pd.Series) and (p.index == summary.index).all()
    assert isinstance(bgf.predict(39, 2, 30.43, 38.86), float)
    # Arrays of t are evaluated per t.
    many = bgf.conditional_expected_number_of_purchases_up_to_time(np.array([1.0, 39.0]), 2, 30.43, 38.86)
    assert many[0] < many[1] and many[1] == pytest.approx(bgf.predict(39, 2, 30.43, 38.86))
    alive = bgf.conditional_probability_alive(summary["frequency"], summary["recency"], summary["T"])
    assert isinstance(alive, np.ndarray) and alive.shape == (len(summary),)
    m = bgf.conditional_probability_alive_matrix()
    assert m.shape == (int(summary["T"].max()) + 1, int(summary["frequency"].max()) + 1)
    assert "BetaGeoFitter" in repr(bgf)
    assert bgf.log_likelihood_ < 0 and bgf._negative_log_likelihood_ > 0


def test_other_fitters(summary, donations):
    mbg = ModifiedBetaGeoFitter().fit(summary["frequency"], summary["recency"], summary["T"])
    assert list(mbg.params_.index) == ["r", "alpha", "a", "b"]
    pnbd = ParetoNBDFitter().fit(summary["frequency"], summary["recency"], summary["T"])
    assert list(pnbd.params_.index) == ["r", "alpha", "s", "beta"]
    assert pnbd.params_["alpha"] == pytest.approx(10.578, rel=1e-3)
    bb = BetaGeoBetaBinomFitter().fit(donations["frequency"], donations["recency"], donations["periods"],
                                      weights=donations["weights"])
    assert bb.params_.to_dict() == pytest.approx({"alpha": 1.204, "beta": 0.750, "gamma": 0.657, "delta": 2.783},
                                                 abs=5e-4)
    table = bb.expected_number_of_transactions_in_first_n_periods(6)
    assert list(table.columns) == ["model"] and table.index.name == "frequency"
    assert table["model"].sum() == pytest.approx(donations["weights"].sum(), rel=1e-9)


def test_utils_and_gamma_gamma(transactions):
    s = summary_data_from_transaction_data(transactions, "id", "date", monetary_value_col="spent",
                                           datetime_format="%Y%m%d", observation_period_end="19970930")
    assert list(s.columns) == ["frequency", "recency", "T", "monetary_value"] and s.index.name == "id"
    repeat = s[s["frequency"] > 0]
    ggf = GammaGammaFitter().fit(repeat["frequency"], repeat["monetary_value"])
    assert list(ggf.params_.index) == ["p", "q", "v"]
    assert ggf.params_.to_dict() == pytest.approx({"p": 6.25, "q": 3.74, "v": 15.44}, abs=5e-3)
    profit = ggf.conditional_expected_average_profit(s["frequency"], s["monetary_value"])
    assert isinstance(profit, pd.Series) and len(profit) == len(s)
    bgf = BetaGeoFitter().fit(s["frequency"], s["recency"], s["T"])
    clv = ggf.customer_lifetime_value(bgf, s["frequency"], s["recency"], s["T"], s["monetary_value"])
    assert clv.name == "clv" and (clv.index == s.index).all() and (clv >= 0).all()
    plain = summary_data_from_transaction_data(transactions, "id", "date", datetime_format="%Y%m%d")
    assert list(plain.columns) == ["frequency", "recency", "T"]
    ch = calibration_and_holdout_data(transactions, "id", "date", "19970930", "19980630",
                                      datetime_format="%Y%m%d", monetary_value_col="spent")
    assert list(ch.columns) == ["frequency_cal", "recency_cal", "T_cal", "monetary_value_cal",
                                "frequency_holdout", "monetary_value_holdout", "duration_holdout"]
    assert (ch["duration_holdout"] == 273).all()


def _via_log(df, id_col, monetary, end, **kw):
    """The general path: an EventLog, its order days, then the model inputs
    (with lifetimes' end rule, as the compatibility layer asks)."""
    log = retention.EventLog.from_frame(pd.DataFrame({
        "customer_id": df[id_col].to_numpy(), "timestamp": pd.to_datetime(df["date"]).to_numpy(),
        "amount": df[monetary].to_numpy(dtype=float) if monetary else np.zeros(len(df)),
    }))
    out = retention.summary_data(log, end, after_end="end_period", **kw).set_index("customer_id")
    return out if monetary else out.drop(columns=["monetary_value"])


def test_summary_direct_path_equals_log_path():
    rng = np.random.default_rng(3)
    n = 3_000
    ids = rng.zipf(1.6, size=n) % 400
    df = pd.DataFrame({
        "cid": ids.astype(np.int64),
        "date": np.datetime64("2021-03-01T00:00:00", "s") + rng.integers(0, 500 * 86_400, size=n).astype("timedelta64[s]"),
        "spent": np.round(rng.gamma(2.0, 20.0, size=n), 2),
    })
    end = pd.Timestamp("2022-05-01 13:00")
    for freq, mult, first, monetary in [("D", 1, False, "spent"), ("W", 1, True, "spent"), ("M", 1, False, None),
                                        ("D", 7, True, "spent"), ("W", 2, False, None)]:
        got = summary_data_from_transaction_data(df, "cid", "date", monetary_value_col=monetary,
                                                 observation_period_end=end, freq=freq, freq_multiplier=mult,
                                                 include_first_transaction=first)
        unit = {"D": "day", "W": "week", "M": "month"}[freq]
        want = _via_log(df, "cid", monetary, end, unit=unit, multiplier=float(mult), include_first=first)
        assert got.index.name == "cid" and got.index.dtype == np.int64
        assert list(got.columns) == list(want.columns) and (got.index == want.index).all()
        assert np.array_equal(got.to_numpy(), want.to_numpy()), (freq, mult, first, monetary)
    # Text ids, millisecond and time-zone-aware stamps, sparse ids, the end
    # taken from the data.
    other = df.assign(cid=("c" + (ids * 7919).astype(str)), date=df["date"].astype("datetime64[ms]"))
    got = summary_data_from_transaction_data(other, "cid", "date", monetary_value_col="spent")
    want = _via_log(other, "cid", "spent", other["date"].max())
    assert (got.index == want.index).all() and np.array_equal(got.to_numpy(), want.to_numpy())
    aware = df.assign(cid=ids.astype(np.int64) * 10**12, date=df["date"].dt.tz_localize("UTC"))
    got = summary_data_from_transaction_data(aware, "cid", "date", monetary_value_col="spent")
    want = _via_log(aware, "cid", "spent", aware["date"].max())
    assert (got.index == want.index).all() and np.array_equal(got.to_numpy(), want.to_numpy())
    # Hand-computed: customer 5 buys on two days (10 + 2 on the second).
    small = pd.DataFrame({"id": [5, 5, 9, 5], "date": pd.to_datetime(["2024-01-01 09:00", "2024-01-04 00:00",
                                                                       "2024-01-02 12:00", "2024-01-04 18:00"]),
                          "spent": [3.0, 10.0, 4.0, 2.0]})
    got = summary_data_from_transaction_data(small, "id", "date", monetary_value_col="spent",
                                             observation_period_end="2024-01-10")
    assert got.loc[5].tolist() == [1.0, 3.0, 9.0, 12.0] and got.loc[9].tolist() == [0.0, 0.0, 8.0, 0.0]


def test_summary_direct_path_bad_rows():
    base = {"id": [1, 2, 3], "date": pd.to_datetime(["2024-01-01", "2024-01-02", "2024-01-03"])}
    with pytest.raises(retention.InvalidRowsError) as e:
        summary_data_from_transaction_data(pd.DataFrame({**base, "spent": [1.0, np.nan, -2.0]}), "id", "date",
                                           monetary_value_col="spent")
    assert [(i["row"], i["field"]) for i in e.value.issues] == [(1, "amount"), (2, "amount")]
    with pytest.raises(retention.InvalidRowsError) as e:
        summary_data_from_transaction_data(
            pd.DataFrame({**base, "date": pd.to_datetime(["2024-01-01", None, "2024-01-03"])}), "id", "date",
            observation_period_end="2024-02-01")
    assert [(i["row"], i["field"]) for i in e.value.issues] == [(1, "timestamp")]
    with pytest.raises(retention.InvalidRowsError) as e:
        summary_data_from_transaction_data(pd.DataFrame({**base, "id": [1.0, np.nan, 2.5]}), "id", "date")
    assert [(i["row"], i["field"]) for i in e.value.issues] == [(1, "customer_id"), (2, "customer_id")]


def test_compat_bad_input(summary):
    with pytest.raises(retention.InvalidRowsError) as e:
        BetaGeoFitter().fit([1, 2], [5.0, 3.0], [4.0, 10.0])
    assert (e.value.issues[0]["row"], e.value.issues[0]["field"]) == (0, "recency")
    with pytest.raises(retention.InvalidRowsError) as e:
        GammaGammaFitter().fit([1, 2], [10.0, -1.0])
    assert (e.value.issues[0]["row"], e.value.issues[0]["field"]) == (1, "monetary_value")
    with pytest.raises(ValueError, match="not been fit"):
        BetaGeoFitter().conditional_probability_alive(1, 1, 2)
    gg = GammaGammaFitter()
    gg._model = retention.GammaGammaModel(6.25, 3.74, 15.44)
    with pytest.raises(TypeError):
        gg.customer_lifetime_value(object(), [1], [1], [2], [1.0])
    with pytest.raises(retention.InvalidParameterError):
        summary_data_from_transaction_data(pd.DataFrame({"id": [1], "date": ["2020-01-01"]}), "id", "date", freq="Q")
    with pytest.raises(KeyError):
        summary_data_from_transaction_data(pd.DataFrame({"id": [1]}), "id", "date")


# ------------------------------------------------------ against lifetimes


def _lifetimes():
    lt = reference("lifetimes")
    import warnings

    warnings.filterwarnings("ignore", category=FutureWarning)
    warnings.filterwarnings("ignore", category=DeprecationWarning)
    return lt


@pytest.mark.reference
@pytest.mark.filterwarnings("ignore")
def test_bgnbd_and_mbgnbd_against_lifetimes(summary):
    lt = _lifetimes()
    f, r, T = summary["frequency"], summary["recency"], summary["T"]
    for ours_cls, ref_cls, kind in [(BetaGeoFitter, lt.BetaGeoFitter, "bg_nbd"),
                                    (ModifiedBetaGeoFitter, lt.ModifiedBetaGeoFitter, "mbg_nbd")]:
        for penalizer in (0.0, 0.01):
            ref = ref_cls(penalizer_coef=penalizer).fit(f, r, T)
            ours = ours_cls(penalizer_coef=penalizer).fit(f, r, T)
            # lifetimes stops BFGS at gtol 1e-7 on a flat ridge: parameters agree to ~1e-4.
            assert rel(ours.params_, ref.params_) < 2e-4, (kind, penalizer, ours.params_, ref.params_)
            assert ours._negative_log_likelihood_ == pytest.approx(ref._negative_log_likelihood_, rel=1e-7)
            assert ours._negative_log_likelihood_ <= ref._negative_log_likelihood_ + 1e-12
            assert rel(ours.standard_errors_, ref.standard_errors_) < 2e-3
        # lifetimes returns NaN where its formulas break down (here b < 1 and
        # frequency 0 under the penalty); ours stays finite.
        ours_pred = ours.predict(39, f, r, T)
        ref_pred = np.asarray(ref.predict(39, f, r, T), float)
        assert np.isfinite(ours_pred).all()
        finite = np.isfinite(ref_pred)
        assert rel(np.asarray(ours_pred)[finite], ref_pred[finite]) < 2e-3
        # The formulas at the same parameters agree to rounding.
        ref = ref_cls().fit(f, r, T)
        same = retention.TransactionModel(kind, list(ref.params_.values))
        assert rel(same.conditional_expected_purchases(39, f, r, T),
                   ref.conditional_expected_number_of_purchases_up_to_time(39, f, r, T)) < 1e-9
        assert rel(same.probability_alive(f, r, T), ref.conditional_probability_alive(f, r, T)) < 1e-9
        t = np.array([1.0, 3.0, 32.0, 78.0])
        assert rel(same.expected_purchases(t), ref.expected_number_of_purchases_up_to_time(t)) < 1e-9
        for n in (0, 1, 5):
            assert same.probability_of_purchases(n, 39.0) == pytest.approx(
                ref.probability_of_n_purchases_up_to_time(39.0, n), rel=1e-8)
        z_ref = ref.conditional_probability_alive_matrix(max_frequency=10, max_recency=39)
        z = same.probability_alive_matrix(10, 39)
        first = 0 if kind == "bg_nbd" else 1  # frequency 0 at recency > 0 is not a history
        assert rel(z[:, first:], z_ref[:, first:]) < 1e-9
        # And the compat fitter's predictions follow its own parameters.
        ours = ours_cls().fit(f, r, T)
        assert rel(ours.predict(39, f, r, T), ref.predict(39, f, r, T)) < 1e-3


@pytest.mark.reference
@pytest.mark.filterwarnings("ignore")
def test_pareto_against_lifetimes(summary):
    lt = _lifetimes()
    f, r, T = summary["frequency"], summary["recency"], summary["T"]
    ref = lt.ParetoNBDFitter().fit(f, r, T)
    ours = ParetoNBDFitter().fit(f, r, T)
    # lifetimes runs Nelder-Mead with tol 1e-4: its estimate is looser.
    assert rel(ours.params_, ref.params_) < 5e-3
    assert ours._negative_log_likelihood_ <= ref._negative_log_likelihood_ + 1e-9
    assert ours._negative_log_likelihood_ == pytest.approx(ref._negative_log_likelihood_, rel=1e-6)
    same = retention.TransactionModel("pareto_nbd", list(ref.params_.values))
    assert rel(same.conditional_expected_purchases(39, f, r, T),
               ref.conditional_expected_number_of_purchases_up_to_time(39, f, r, T)) < 1e-8
    assert rel(same.probability_alive(f, r, T), ref.conditional_probability_alive(f, r, T)) < 1e-8
    t = np.array([1.0, 3.0, 32.0, 78.0])
    assert rel(same.expected_purchases(t), ref.expected_number_of_purchases_up_to_time(t)) < 1e-9


@pytest.mark.reference
@pytest.mark.filterwarnings("ignore")
def test_bgbb_against_lifetimes(donations):
    lt = _lifetimes()
    x, tx, n, w = donations["frequency"], donations["recency"], donations["periods"], donations["weights"]
    ref = lt.BetaGeoBetaBinomFitter().fit(x, tx, n, weights=w)
    ours = BetaGeoBetaBinomFitter().fit(x, tx, n, weights=w)
    assert rel(ours.params_, ref.params_) < 2e-4
    assert ours._negative_log_likelihood_ == pytest.approx(ref._negative_log_likelihood_, rel=1e-8)
    assert rel(ours.standard_errors_, ref.standard_errors_) < 2e-3
    same = retention.BgBbModel(*ref.params_.values)
    for m in (1, 5):
        assert rel(same.conditional_expected_transactions(m, x, tx, n),
                   ref.conditional_expected_number_of_purchases_up_to_time(m, x, tx, n)) < 1e-9
        assert rel(same.probability_alive(x, tx, n, future=m), ref.conditional_probability_alive(m, x, tx, n)) < 1e-9
    table_ref = ref.expected_number_of_transactions_in_first_n_periods(6)
    table = ours.expected_number_of_transactions_in_first_n_periods(6)
    assert (table.index == table_ref.index).all()
    assert rel(table["model"], table_ref["model"]) < 1e-3


@pytest.mark.reference
@pytest.mark.filterwarnings("ignore")
def test_utils_gamma_gamma_and_clv_against_lifetimes(transactions):
    lt = _lifetimes()
    from lifetimes import utils as lu

    for kwargs in [dict(), dict(freq="W"), dict(freq="D", freq_multiplier=7), dict(include_first_transaction=True),
                   dict(observation_period_end="19970930")]:
        args = (transactions, "id", "date")
        common = dict(monetary_value_col="spent", datetime_format="%Y%m%d", **kwargs)
        ref = lu.summary_data_from_transaction_data(*args, **common)
        got = summary_data_from_transaction_data(*args, **common)
        assert (got.index == ref.index).all() and list(got.columns) == list(ref.columns)
        assert np.array_equal(got["frequency"], ref["frequency"])
        for col in ("recency", "T", "monetary_value"):
            assert np.allclose(got[col], ref[col], rtol=1e-12, atol=1e-12), (kwargs, col)
    ref_ch = lu.calibration_and_holdout_data(transactions, "id", "date", "19970930", "19980630",
                                             datetime_format="%Y%m%d", monetary_value_col="spent")
    got_ch = calibration_and_holdout_data(transactions, "id", "date", "19970930", "19980630",
                                          datetime_format="%Y%m%d", monetary_value_col="spent")
    assert (got_ch.index == ref_ch.index).all() and list(got_ch.columns) == list(ref_ch.columns)
    assert np.allclose(got_ch.to_numpy(float), ref_ch.to_numpy(float), rtol=1e-12, atol=1e-12)

    s = lu.summary_data_from_transaction_data(transactions, "id", "date", monetary_value_col="spent",
                                              datetime_format="%Y%m%d", observation_period_end="19970930")
    repeat = s[s["frequency"] > 0]
    ref_gg = lt.GammaGammaFitter().fit(repeat["frequency"], repeat["monetary_value"])
    gg = GammaGammaFitter().fit(repeat["frequency"], repeat["monetary_value"])
    assert rel(gg.params_, ref_gg.params_) < 1e-4
    assert gg._negative_log_likelihood_ == pytest.approx(ref_gg._negative_log_likelihood_, rel=1e-8)
    assert rel(gg.standard_errors_, ref_gg.standard_errors_) < 2e-3
    same_gg = retention.GammaGammaModel(*ref_gg.params_.values)
    assert rel(same_gg.conditional_expected_average_spend(s["frequency"], s["monetary_value"]),
               ref_gg.conditional_expected_average_profit(s["frequency"], s["monetary_value"])) < 1e-12

    ref_bg = lt.BetaGeoFitter().fit(s["frequency"], s["recency"], s["T"])
    ref_clv = ref_gg.customer_lifetime_value(ref_bg, s["frequency"], s["recency"], s["T"], s["monetary_value"])
    same_bg = retention.TransactionModel("bg_nbd", list(ref_bg.params_.values))
    clv = retention.predictive_clv(same_bg, same_gg, s["frequency"], s["recency"], s["T"], s["monetary_value"])
    assert rel(clv, ref_clv) < 1e-9
    # The compat fitter also accepts a lifetimes transaction model.
    ours_gg = GammaGammaFitter()
    ours_gg.fit(repeat["frequency"], repeat["monetary_value"])
    mixed = ours_gg.customer_lifetime_value(ref_bg, s["frequency"], s["recency"], s["T"], s["monetary_value"])
    assert rel(mixed, ref_clv) < 1e-3
    for freq, unit in (("W", "week"), ("M", "month"), ("H", "hour")):
        a = ref_gg.customer_lifetime_value(ref_bg, s["frequency"], s["recency"], s["T"], s["monetary_value"],
                                           time=6, discount_rate=0.02, freq=freq)
        b = retention.predictive_clv(same_bg, same_gg, s["frequency"], s["recency"], s["T"], s["monetary_value"],
                                     horizon_months=6, monthly_discount_rate=0.02, time_unit=unit)
        assert rel(b, a) < 1e-9, freq
