"""retention.compat.lifetimes: save/load (our versioned JSON), generate_new_data
and the generate_data module (simulation moments against the models' exact
expectations; determinism by seed)."""

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import retention
from retention.compat.lifetimes import (
    BaseFitter,
    BetaGeoBetaBinomFitter,
    BetaGeoFitter,
    GammaGammaFitter,
    ModifiedBetaGeoFitter,
    ParetoNBDFitter,
)
from retention.compat.lifetimes import generate_data as rg
from retention.errors import InvalidParameterError, LengthMismatchError

FIXTURES = Path(__file__).resolve().parents[2] / "retention-core" / "tests" / "fixtures"


@pytest.fixture(scope="module")
def summary():
    return pd.read_csv(FIXTURES / "cdnow_customers_summary.csv", index_col="ID")


@pytest.fixture(scope="module")
def bgf(summary):
    return BetaGeoFitter(penalizer_coef=0.01).fit(summary["frequency"], summary["recency"], summary["T"])


def test_save_load_round_trip(bgf, tmp_path):
    path = tmp_path / "bgf.json"
    bgf.save_model(str(path))
    doc = json.loads(path.read_text())
    assert (doc["format"], doc["version"], doc["fitter"]) == ("retention.compat.lifetimes", 1, "BetaGeoFitter")
    new = BetaGeoFitter()
    new.load_model(str(path))
    assert new.penalizer_coef == 0.01 and new._scale == bgf._scale
    assert new.params_.equals(bgf.params_)
    assert new.data.equals(bgf.data)
    assert new._negative_log_likelihood_ == bgf._negative_log_likelihood_
    assert new.log_likelihood_ == bgf.log_likelihood_
    np.testing.assert_array_equal(new.variance_matrix_, bgf.variance_matrix_)
    assert new.predict(1, 1, 2, 5) == bgf.predict(1, 1, 2, 5)
    assert new.generate_new_data(size=5, seed=3).equals(bgf.generate_new_data(size=5, seed=3))


def test_save_without_data_or_generator_and_placeholders(bgf, tmp_path):
    path = str(tmp_path / "m.json")
    bgf.save_model(path, save_data=False, save_generate_data_method=False, values_to_save=["", 0])
    new = BetaGeoFitter()
    new.load_model(path)
    assert new.data == "" and new.generate_new_data == 0
    assert new.expected_number_of_purchases_up_to_time(1) == bgf.expected_number_of_purchases_up_to_time(1)
    bgf.save_model(path, save_data=False)
    new.load_model(path)
    assert new.data is None and callable(new.generate_new_data)


@pytest.mark.parametrize(
    "cls, fit_args",
    [
        (ModifiedBetaGeoFitter, lambda s: (s["frequency"], s["recency"], s["T"])),
        (ParetoNBDFitter, lambda s: (s["frequency"], s["recency"], s["T"])),
        (GammaGammaFitter, lambda s: (s["frequency"][s["frequency"] > 0], 20.0 + s["recency"][s["frequency"] > 0])),
    ],
)
def test_every_fitter_round_trips(cls, fit_args, summary, tmp_path):
    f = cls().fit(*fit_args(summary))
    path = str(tmp_path / "f.json")
    f.save_model(path)
    g = cls()
    g.load_model(path)
    assert g.params_.equals(f.params_) and g.data.equals(f.data)
    np.testing.assert_array_equal(g.standard_errors_, f.standard_errors_)


def test_bgbb_round_trip_and_generator(tmp_path):
    donations = pd.read_csv(FIXTURES / "donations.csv")
    f = BetaGeoBetaBinomFitter().fit(donations["frequency"], donations["recency"], donations["periods"],
                                     donations["weights"])
    path = str(tmp_path / "bb.json")
    f.save_model(path)
    g = BetaGeoBetaBinomFitter()
    g.load_model(path)
    assert g.params_.equals(f.params_)
    sim = g.generate_new_data(size=100, seed=1)
    assert sim["n_periods"].eq(6).all() and len(sim) == 100


def test_load_rejects_other_files(bgf, tmp_path):
    path = tmp_path / "x.json"
    bgf.save_model(str(path))
    with pytest.raises(InvalidParameterError, match="holds a BetaGeoFitter"):
        ParetoNBDFitter().load_model(str(path))
    doc = json.loads(path.read_text())
    doc["version"] = 2
    path.write_text(json.dumps(doc))
    with pytest.raises(InvalidParameterError, match="newer"):
        BetaGeoFitter().load_model(str(path))
    path.write_bytes(b"\x80\x04pickle")
    with pytest.raises(InvalidParameterError, match="not a saved"):
        BetaGeoFitter().load_model(str(path))


def test_base_fitter_save_load_and_repr(tmp_path):
    b = BaseFitter()
    b.save_model(str(tmp_path / "b.json"))
    c = BaseFitter()
    c.load_model(str(tmp_path / "b.json"))
    assert repr(b) == repr(c) == "<retention.compat.lifetimes.BaseFitter>"
    b.params_ = pd.Series({"x": 12.3, "y": 42.0})
    b.data = np.array([1, 2, 3])
    assert repr(b) == "<retention.compat.lifetimes.BaseFitter: fitted with 3 subjects, x: 12.30, y: 42.00>"


def test_predicting_without_params_says_so():
    with pytest.raises(ValueError, match="not been fit"):
        BetaGeoFitter().conditional_probability_alive(1, 2, 3)


def _mean_se(v):
    v = np.asarray(v, dtype=float)
    return v.mean(), v.std(ddof=1) / np.sqrt(len(v))


@pytest.mark.parametrize(
    "fn, kind, params",
    [
        (rg.beta_geometric_nbd_model, "bg_nbd", [0.243, 4.414, 0.793, 2.426]),
        (rg.modified_beta_geometric_nbd_model, "mbg_nbd", [0.525, 6.183, 0.891, 1.614]),
        (rg.pareto_nbd_model, "pareto_nbd", [0.553, 10.578, 0.606, 11.669]),
    ],
)
def test_simulated_moments_match_the_model(fn, kind, params):
    # 20,000 customers with T = 30: the mean frequency and the share without
    # a repeat purchase are within 4 standard errors of the model's exact
    # E[X(T)] and P(X(T) = 0) (seeded: deterministic).
    sim = fn(30, *params, size=20_000, seed=20261122)
    model = retention.TransactionModel(kind, params)
    m, se = _mean_se(sim["frequency"])
    assert abs(m - float(model.expected_purchases([30.0])[0])) < 4 * se
    z, se_z = _mean_se(sim["frequency"] == 0)
    assert abs(z - model.probability_of_purchases(0, 30.0)) < 4 * se_z
    assert (sim["recency"] <= sim["T"]).all() and ((sim["frequency"] == 0) == (sim["recency"] == 0)).all()


def test_bgbb_simulation_matches_p_alive():
    sim = rg.beta_geometric_beta_binom_model(6, 1.204, 0.750, 0.657, 2.783, size=30_000, seed=4)
    model = retention.BgBbModel(1.204, 0.750, 0.657, 2.783)
    for x, t in [(0, 0), (6, 6)]:
        alive = sim.loc[(sim["frequency"] == x) & (sim["recency"] == t), "alive"]
        m, se = _mean_se(alive)
        assert abs(m - model.probability_alive([x], [t], [6])[0]) < 4 * se


def test_seed_none_follows_numpy_global_seed():
    np.random.seed(188898)
    a = rg.beta_geometric_nbd_model(10, 0.5, 2.0, 0.8, 2.4, size=50)
    np.random.seed(188898)
    b = rg.beta_geometric_nbd_model(10, 0.5, 2.0, 0.8, 2.4, size=50)
    assert a.equals(b)
    assert not a.equals(rg.beta_geometric_nbd_model(10, 0.5, 2.0, 0.8, 2.4, size=50))


def test_transactional_data_matches_the_summary_of_the_same_seed():
    log = rg.beta_geometric_nbd_model_transactional_data(40, 0.5, 2.0, 0.8, 2.4, size=200, seed=9, freq="D")
    customers = rg.beta_geometric_nbd_model(40, 0.5, 2.0, 0.8, 2.4, size=200, seed=9)
    counts = log.groupby("customer_id").size() - 1
    np.testing.assert_array_equal(counts.to_numpy(), customers["frequency"].to_numpy())
    assert log["date"].max() <= pd.Timestamp("2019-01-01")


def test_bad_generation_input_is_typed():
    with pytest.raises(LengthMismatchError):
        rg.beta_geometric_nbd_model([10, 20], 0.5, 2.0, 0.8, 2.4, size=3, seed=1)
    with pytest.raises(retention.errors.InvalidRowsError):
        rg.beta_geometric_beta_binom_model(2.5, 1.2, 0.75, 0.66, 2.8, size=2, seed=1)
    with pytest.raises(retention.errors.InvalidParameterError):
        rg.pareto_nbd_model(10, -1.0, 2.0, 0.8, 2.4, size=2, seed=1)


def test_summary_data_of_a_log_in_hours_equals_the_direct_path():
    from retention.compat.lifetimes import utils as ru

    times = pd.to_datetime(["2024-01-01 10:15", "2024-01-01 10:45", "2024-01-01 13:05", "2024-01-01 20:10"])
    frame = pd.DataFrame({"customer_id": [1, 1, 1, 2], "timestamp": times, "amount": [1.0, 2.0, 4.0, 8.0]})
    log = retention.EventLog.from_frame(frame)
    got = retention.summary_data(log, "2024-01-01T20:30:00", unit="hour")
    assert got[["frequency", "recency", "T", "monetary_value"]].to_numpy().tolist() == [
        [1.0, 3.0, 10.0, 4.0], [0.0, 0.0, 0.0, 0.0]]
    direct = ru.summary_data_from_transaction_data(
        frame, "customer_id", "timestamp", "amount", observation_period_end="2024-01-01 20:30", freq="h")
    np.testing.assert_array_equal(got[["frequency", "recency", "T"]].to_numpy(),
                                  direct[["frequency", "recency", "T"]].to_numpy())
    with pytest.raises(InvalidParameterError, match="sub-daily"):
        retention.summary_data(log.summaries(), "2024-01-01T20:30:00", unit="hour")
