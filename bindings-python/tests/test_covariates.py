"""Covariate models through the Python API: CLVTools' published Pareto/NBD
values on its apparel data (vignette of releases 0.11.1/0.11.2; the model
input is `retention-core/tests/fixtures/apparel_model_input.csv`, derived
there from CLVTools' `apparelTrans`/`apparelStaticCov`), and bad input."""

import math
from pathlib import Path

import numpy as np
import pandas as pd
import polars as pl
import pytest

import retention

FIXTURES = Path(__file__).resolve().parents[2] / "retention-core" / "tests" / "fixtures"


@pytest.fixture(scope="module")
def apparel():
    return pd.read_csv(FIXTURES / "apparel_model_input.csv").rename(columns={"x": "frequency", "t_x": "recency"})


def _fit(data, **kw):
    return retention.fit_covariates(data, "pareto_nbd", **kw)


def test_pareto_nbd_gender_and_channel_matches_clvtools(apparel):
    fit = _fit(apparel, trans=["Gender", "Channel"], life=["Gender", "Channel"])
    s = fit.summary.set_index("name")
    assert list(s.index) == ["r", "alpha", "s", "beta", "life.Gender", "life.Channel",
                             "trans.Gender", "trans.Channel"]
    assert fit.log_likelihood == pytest.approx(-5821.0627, abs=1e-4)
    published = {
        "r": (1.8387, 0.3457), "alpha": (92.9435, 16.9749), "s": (0.5913, 0.2603),
        "beta": (49.5050, 36.1445), "life.Gender": (-0.6428, 0.2956), "life.Channel": (0.7902, 0.3058),
        "trans.Gender": (0.2860, 0.1041), "trans.Channel": (0.6239, 0.1049),
    }
    for name, (value, se) in published.items():
        # life.Gender: the likelihood is flat along it; CLVTools stopped 0.003
        # standard errors from the optimum (see the Rust test).
        rel = 2e-3 if name == "life.Gender" else 1e-3
        assert s.loc[name, "estimate"] == pytest.approx(value, rel=rel), name
        assert s.loc[name, "std_error"] == pytest.approx(se, rel=1e-2), name
        z = 1.959963984540054
        assert s.loc[name, "lower"] == pytest.approx(s.loc[name, "estimate"] - z * s.loc[name, "std_error"])
        assert s.loc[name, "upper"] == pytest.approx(s.loc[name, "estimate"] + z * s.loc[name, "std_error"])
    assert fit.params["trans.Channel"] == s.loc["trans.Channel", "estimate"]
    assert fit.aic == pytest.approx(2 * 8 - 2 * fit.log_likelihood)


def test_pareto_nbd_without_covariates_and_constrained_match_clvtools(apparel):
    plain = _fit(apparel)
    assert plain.log_likelihood == pytest.approx(-5848.0978, abs=1e-4)
    for name, value in {"r": 1.4490, "alpha": 48.6361, "s": 0.5613, "beta": 46.8844}.items():
        assert plain.params[name] == pytest.approx(value, rel=1e-3), name
    constr = _fit(apparel, trans=["Gender", "Channel"], life=["Gender", "Channel"], constrained=["Gender"])
    assert constr.log_likelihood == pytest.approx(-5826.5342, abs=1e-4)
    assert list(constr.summary["name"])[-1] == "constr.Gender"


def test_predictions_use_each_customers_parameters(apparel):
    fit = _fit(apparel, trans=["Gender", "Channel"], life=["Gender", "Channel"])
    out = fit.predict(apparel, 52.0)
    assert list(out.columns) == ["probability_alive", "conditional_expected_purchases"]
    assert len(out) == 600
    p = fit.params
    # Customer 0 by hand through the plain model at her own alpha_i, beta_i.
    row = apparel.iloc[0]
    a_i = p["alpha"] * math.exp(-(p["trans.Gender"] * row.Gender + p["trans.Channel"] * row.Channel))
    b_i = p["beta"] * math.exp(-(p["life.Gender"] * row.Gender + p["life.Channel"] * row.Channel))
    own = retention.TransactionModel("pareto_nbd", [p["r"], a_i, p["s"], b_i])
    want = own.probability_alive([row.frequency], [row.recency], [row["T"]])[0]
    assert out["probability_alive"][0] == pytest.approx(want, rel=1e-12)
    # Polars in, polars out.
    out_pl = fit.predict(pl.from_pandas(apparel), 52.0)
    assert isinstance(out_pl, pl.DataFrame)
    np.testing.assert_array_equal(out_pl["probability_alive"].to_numpy(), out["probability_alive"].to_numpy())


def test_ggom_nbd_reaches_the_pareto_nbd_likelihood_on_apparel(apparel):
    # GGompertz/NBD nests Pareto/NBD as b -> 0, so its maximum is at least
    # the Pareto/NBD-with-covariates one published by CLVTools (-5821.0627).
    fit = retention.fit_covariates(apparel, "ggom_nbd", trans=["Gender", "Channel"], life=["Gender", "Channel"])
    assert fit.model == "ggom_nbd"
    assert list(fit.summary["name"]) == ["r", "alpha", "b", "s", "beta", "life.Gender", "life.Channel",
                                         "trans.Gender", "trans.Channel"]
    assert fit.log_likelihood >= -5821.0627 - 0.01
    p = fit.params
    # The purchase process is Pareto/NBD's: CLVTools' trans coefficients.
    assert p["trans.Gender"] == pytest.approx(0.2860, abs=0.05)
    assert p["trans.Channel"] == pytest.approx(0.6239, abs=0.05)
    # Customer 3's prediction through the plain model at her own alpha_i, beta_i.
    out = fit.predict(apparel, 52.0)
    row = apparel.iloc[3]
    a_i = p["alpha"] * math.exp(-(p["trans.Gender"] * row.Gender + p["trans.Channel"] * row.Channel))
    b_i = p["beta"] * math.exp(-(p["life.Gender"] * row.Gender + p["life.Channel"] * row.Channel))
    own = retention.TransactionModel("ggom_nbd", [p["r"], a_i, p["b"], p["s"], b_i])
    want = own.probability_alive([row.frequency], [row.recency], [row["T"]])[0]
    assert out["probability_alive"][3] == pytest.approx(want, rel=1e-9)


def test_bg_nbd_and_gamma_gamma_with_covariates():
    rng = np.random.default_rng(5)
    n = 400
    x = rng.integers(1, 7, n).astype(float)
    vip = (rng.random(n) < 0.5).astype(float)
    m = rng.gamma(6.0, 1.0, n) * np.where(vip == 1, 2.0, 1.0)
    data = pd.DataFrame({"frequency": x, "monetary_value": m, "vip": vip})
    fit = retention.fit_gamma_gamma_covariates(data, spend=["vip"])
    assert fit.model == "gamma_gamma"
    assert list(fit.summary["name"]) == ["p", "q", "gamma", "spend.vip"]
    # VIPs spend about twice as much: exp(coefficient) ≈ 2.
    assert math.exp(fit.params["spend.vip"]) == pytest.approx(2.0, rel=0.15)
    spend = fit.conditional_expected_average_spend(data)
    assert spend.shape == (n,) and np.isfinite(spend).all()
    plain = retention.fit_gamma_gamma(data)
    nocov = retention.fit_gamma_gamma_covariates(data)
    assert nocov.log_likelihood == pytest.approx(plain.log_likelihood, abs=1e-6)


def test_bad_input_is_a_typed_error(apparel):
    bad = apparel.copy()
    bad.loc[3, "Gender"] = np.nan
    with pytest.raises(retention.InvalidRowsError) as e:
        _fit(bad, trans=["Gender"])
    issue = e.value.issues[0]
    assert (issue["row"], issue["field"], issue["value"]) == (3, "trans_covariates", "Gender=NaN")
    const = apparel.assign(one=1.0)
    with pytest.raises(retention.SingularMatrixError):
        _fit(const, life=["one"])
    with pytest.raises(retention.InvalidParameterError) as e:
        _fit(apparel, trans=["Gender"], constrained=["Gender"])
    assert e.value.name == "constrained"
    with pytest.raises(retention.InvalidParameterError) as e:
        _fit(apparel, trans=["Gender"], reg_lambdas={"trans": -1.0})
    assert e.value.name == "reg_lambda_trans"
    with pytest.raises(retention.InvalidParameterError):
        _fit(apparel, trans=["Gender"], reg_lambdas={"spend": 1.0})
    with pytest.raises(retention.UnknownCodeError):
        retention.fit_covariates(apparel, "nope")  # type: ignore[arg-type]
    with pytest.raises(KeyError):
        _fit(apparel, trans=["Age"])
    fit = _fit(apparel, trans=["Gender"])
    with pytest.raises(retention.InvalidParameterError) as e:
        fit.predict(apparel, -1.0)
    assert e.value.name == "horizon"
