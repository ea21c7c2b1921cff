"""The golden vectors (``retention-core/tests/golden/vectors.json``), written
by the Rust core and also checked by the npm package's node tests, through
the Python door: the same data gives the same numbers."""

import json
from pathlib import Path

import pandas as pd
import pytest

import retention

ROOT = Path(__file__).resolve().parents[2]
VECTORS = json.loads((ROOT / "retention-core" / "tests" / "golden" / "vectors.json").read_text())


def close(got, want, what, tol=1e-12):
    assert abs(got - want) <= tol * max(1.0, abs(want)), f"{what}: {got} != {want}"


def ms(x):
    return pd.Timestamp(x, unit="ms", tz="UTC")


@pytest.fixture(scope="module")
def sample():
    s = VECTORS["sample"]
    return retention.EventLog.sample(seed=s["seed"], customers=s["customers"])


def test_sample_summaries_rfm_lights_and_cohorts(sample):
    s = VECTORS["sample"]
    n = len(s["netRevenue"])
    assert len(sample) == s["events"]
    summaries = sample.summaries().to_frame()
    for i in range(n):
        close(summaries["net_revenue"][i], s["netRevenue"][i], f"net revenue {i}")
    assert list(summaries["orders"][:n]) == s["orders"]
    as_of = ms(s["asOf"])
    scores = retention.rfm(sample, as_of)
    assert list(scores["segment"][:n]) == s["segment"]
    for k in ("r", "f", "m"):
        assert list(scores[k][:n].fillna(0).astype(int)) == s[k], k
    assert scores.attrs["thresholds"] == s["thresholds"]
    sizes = scores["segment"].value_counts()
    assert {x["name"]: x["customers"] for x in s["segmentSizes"] if x["customers"]} == sizes.to_dict()
    health = retention.health_scores(sample, as_of)
    for i in range(n):
        close(health["risk"][i], s["risk"][i], f"risk {i}")
    assert list(health["light"][:n]) == s["light"]
    assert health["light"].value_counts().reindex(["green", "amber", "red"], fill_value=0).to_dict() == s["lightCounts"]
    m = retention.cohort_matrix(sample, as_of)["retention"]
    assert list(m["cohort"]) == s["cohorts"]["labels"]
    assert list(m["size"]) == s["cohorts"]["sizes"]
    for i, row in enumerate(s["cohorts"]["retention"]):
        for k, want in enumerate(row):
            got = m[str(k)][i]
            if want is None:
                assert pd.isna(got), (i, k)
            else:
                close(got, want, f"cell {i},{k}")


def test_sample_metrics(sample):
    v = VECTORS["metrics"]
    month, year = [ms(x) for x in v["month"]], [ms(x) for x in v["year"]]
    a = retention.period_activity(sample, *month)
    snake = {"startCount": "start_count", "endCount": "end_count", "lostIncludingNew": "lost_including_new",
             "retentionRate": "retention_rate", "churnRate": "churn_rate",
             "churnRateIncludingNew": "churn_rate_including_new"}
    for key, want in v["activity"].items():
        got = a[snake.get(key, key)]
        assert got == pytest.approx(want, rel=1e-12) if want is not None else got is None, key
    o = retention.order_stats(sample, *year)
    for key, name in [("customers", "customers"), ("repeatCustomers", "repeat_customers"), ("orders", "orders"),
                      ("revenue", "revenue"), ("repeatPurchaseRate", "repeat_purchase_rate"),
                      ("purchaseFrequency", "purchase_frequency"), ("averageOrderValue", "average_order_value")]:
        assert o[name] == pytest.approx(v["orderStats"][key], rel=1e-12), key
    b = retention.mrr_bridge(sample, *year)
    for key, want in v["mrr"]["figures"].items():
        assert b[key] == pytest.approx(want, rel=1e-12), key
    ratios = {"grossMrrChurn": "gross_mrr_churn", "netMrrChurn": "net_mrr_churn",
              "netRevenueRetention": "net_revenue_retention", "grossRevenueRetention": "gross_revenue_retention",
              "quickRatio": "quick_ratio"}
    for key, name in ratios.items():
        want = v["mrr"]["ratios"][key]
        assert (b[name] is None) if want is None else b[name] == pytest.approx(want, rel=1e-12), key
    mi = retention.summary_data(sample, ms(VECTORS["sample"]["asOf"]), unit="week", after_end="ignore")
    assert len(mi) == v["modelInput"]["customers"]
    n = len(v["modelInput"]["frequency"])
    for key, name in [("frequency", "frequency"), ("recency", "recency"), ("T", "T"), ("monetaryValue", "monetary_value")]:
        for i in range(n):
            close(mi[name][i], v["modelInput"][key][i], f"{name} {i}")
    gg = retention.fit_gamma_gamma(mi)
    for k in ("p", "q", "gamma"):
        close(gg.params[k], v["gammaGammaFit"][k], k, tol=1e-9)
    close(gg.log_likelihood, v["gammaGammaFit"]["logLikelihood"], "log-likelihood", tol=1e-9)


def test_survey_metrics_of_the_sample():
    v = VECTORS["metrics"]
    n = retention.nps([10] * v["nps"]["promoters"] + [7] * v["nps"]["passives"] + [3] * v["nps"]["detractors"])
    close(n["score"], v["nps"]["score"], "NPS")
    assert n["respondents"] == v["npsAnswers"] == v["nps"]["respondents"]


def test_models_at_the_published_estimates():
    v = VECTORS["models"]
    c = v["customer"]
    for key, code in [("bgNbd", "bg_nbd"), ("paretoNbd", "pareto_nbd"), ("mbgNbd", "mbg_nbd")]:
        params = {k: x for k, x in v[key].items() if k != "model"}
        assert v[key]["model"] == code
        m = retention.TransactionModel(code, params)
        want = v[f"{key}Predictions"]
        close(m.probability_alive([c["frequency"]], [c["recency"]], [c["T"]])[0], want["probabilityAlive"], key)
        close(m.conditional_expected_purchases(39.0, [c["frequency"]], [c["recency"]], [c["T"]])[0],
              want["conditional39"], key)
        for t, e in zip(v["horizons"], want["expected"]):
            close(m.expected_purchases(t), e, f"{key} E[X({t})]")
    gg = retention.GammaGammaModel(v["gammaGamma"]["p"], v["gammaGamma"]["q"], v["gammaGamma"]["gamma"])
    close(gg.conditional_expected_average_spend([c["frequency"]], [25.0])[0], v["spend25"], "spend")
    bg = retention.TransactionModel("bg_nbd", {k: x for k, x in v["bgNbd"].items() if k != "model"})
    clv = retention.predictive_clv(bg, gg, [c["frequency"]], [c["recency"]], [c["T"]], [25.0], time_unit="week")
    close(clv[0], v["clv25"], "CLV")


def test_models_fitted_on_cdnow():
    v = VECTORS["models"]
    cdnow = pd.read_csv(ROOT / "retention-core" / "tests" / "fixtures" / "cdnow_customers_summary.csv")
    head = cdnow.head(10)
    bg = retention.TransactionModel("bg_nbd", {k: x for k, x in v["bgNbd"].items() if k != "model"})
    alive = bg.probability_alive(head["frequency"], head["recency"], head["T"])
    for i, want in enumerate(v["head"]["probabilityAlive"]):
        close(alive[i], want, f"P(alive) {i}")
    fit = retention.fit_bgnbd(cdnow["frequency"], cdnow["recency"], cdnow["T"])
    for k in ("r", "alpha", "a", "b"):
        close(fit.params[k], v["bgNbdFit"][k], k, tol=1e-9)
    close(fit.log_likelihood, v["bgNbdFit"]["logLikelihood"], "BG/NBD log-likelihood", tol=1e-9)
    pareto = retention.fit_pareto_nbd(cdnow["frequency"], cdnow["recency"], cdnow["T"])
    for k in ("r", "alpha", "s", "beta"):
        close(pareto.params[k], v["paretoNbdFit"][k], k, tol=1e-9)


def test_small_shop_ledger_and_tier():
    v = VECTORS["small"]
    rows = [{"customer_id": e["customer"], "timestamp": e["timestamp"], "event": e["type"],
             "amount": e.get("amount"), "score": e.get("score"), "detail": e.get("detail"),
             "resolved": e.get("resolved")} for e in v["events"]]
    log = retention.EventLog.from_frame(pd.DataFrame(rows))
    _, totals = retention.points_ledger(log, "ana", v["asOf"])
    for k in ("balance", "earned", "redeemed"):
        close(totals[k], v["anaLedger"][k], k)
    tier = retention.tier_status(log, "ben", v["asOf"])
    assert tier["tier"] == v["benTier"]["name"]
    close(tier["value"], v["benTier"]["value"], "tier value")
    lights = retention.health_scores(log, v["asOf"]).set_index("customer_id")
    stages = retention.lifecycle(log, v["asOf"]).set_index("customer_id")
    for who, want in v["shoppers"].items():
        close(lights.loc[who, "risk"], want["risk"], f"{who} risk")
        assert lights.loc[who, "light"] == want["light"], who
        assert list(lights.loc[who, "light_reasons"]) == want["reasons"], who
        assert stages.loc[who, "stage"] in retention.vocabulary()["lifecycle_stage"]


def test_parameters_by_name_in_any_order():
    v = VECTORS["models"]["bgNbd"]
    by_name = retention.TransactionModel("bg_nbd", {"b": v["b"], "a": v["a"], "alpha": v["alpha"], "r": v["r"]})
    in_order = retention.TransactionModel("bg_nbd", [v["r"], v["alpha"], v["a"], v["b"]])
    assert by_name.params == in_order.params
    with pytest.raises(retention.InvalidParameterError):
        retention.TransactionModel("bg_nbd", {"r": 1.0, "alpha": 1.0, "a": 1.0, "beta": 1.0})
    with pytest.raises(retention.InvalidParameterError):
        retention.TransactionModel("pareto_nbd", {"r": 1.0, "alpha": 1.0, "s": 1.0})
