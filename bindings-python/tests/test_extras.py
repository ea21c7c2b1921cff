"""Loyalty, supervised churn, tiers, rule segments, series metrics, referral
and engagement, labelled cohorts, experiments, churn durations, to_frame."""

import pickle

import numpy as np
import pandas as pd
import polars as pl
import pyarrow as pa
import pytest

import retention
from retention import InsufficientPointsError

AS_OF = "2025-01-01"


def d(month, day, year=2024):
    return pd.Timestamp(year, month, day, 12, tz="UTC")


@pytest.fixture(scope="module")
def loyalty_log():
    # The core's doc example: 100 welcome + 80 − 150 = 30 points.
    df = pd.DataFrame(
        {
            "customer_id": [1, 1, 1, 2, 2],
            "timestamp": [d(1, 1), d(1, 2), d(2, 1), d(1, 5), d(1, 6)],
            "event": ["signup", "order", "points_redeemed", "order", "order"],
            "amount": [None, 80.0, 150.0, 400.0, 700.0],
        }
    )
    return retention.EventLog.from_frame(df)


def test_points_ledger_matches_core_example(loyalty_log):
    entries, totals = retention.points_ledger(loyalty_log, 1, d(3, 1))
    assert totals["balance"] == 30.0
    assert list(entries["kind"]) == ["welcome", "order", "redemption"]
    assert list(entries["balance"]) == [100.0, 180.0, 30.0]
    # The welcome lot is spent; the rest of the order lot (Jan 2) expires 365 days later.
    assert totals["next_expiry"] == pd.Timestamp("2025-01-01T12:00:00Z") and totals["next_expiry_points"] == 30.0
    with pytest.raises(InsufficientPointsError) as e:
        retention.redeem_points(loyalty_log, 1, 40.0, as_of=d(3, 1), at=d(3, 2))
    assert e.value.requested == 40.0 and e.value.available == 30.0 and "1" in str(e.value)
    assert retention.redeem_points(loyalty_log, 1, 30.0, as_of=d(3, 1), at=d(3, 2)) == 0.0


def test_points_balances_and_tiers(loyalty_log):
    b = retention.points_balances(loyalty_log, d(3, 1))
    assert list(b["customer_id"]) == [1, 2]
    assert list(b["balance"]) == [30.0, 400.0 + 700.0 * 1.0]
    s = retention.tier_status(loyalty_log, 2, d(3, 1))
    assert (s["tier"], s["value"], s["next_tier"], s["missing"]) == ("Silver", 1100.0, "Gold", 400.0)
    assert s["progress"] == pytest.approx(0.6)
    h = retention.tier_history(loyalty_log, 2, d(3, 1))
    assert list(h["to_tier"]) == ["Silver"] and h["at"].iloc[0] == d(1, 6)
    # Points-based tiers and custom config.
    cfg = retention.LoyaltyConfig(tier_basis="points_earned", tiers=(("Member", 0, 1.0), ("VIP", 50, 2.0)))
    # 100 welcome (→ VIP), order 80 × 2 (VIP multiplier) = 260 earned; the
    # 150 redeemed do not count against it.
    vip = retention.tier_status(loyalty_log, 1, d(3, 1), config=cfg)
    assert (vip["tier"], vip["value"], vip["next_tier"], vip["downgrade_at"]) == ("VIP", 260.0, None, None)
    top = retention.tier_for_value(9000.0)
    assert top["tier"] == "Platinum" and top["next_tier"] is None and top["progress"] is None
    assert retention.tier_for_value(1000.0)["progress"] == 0.5


def test_loyalty_bad_input(loyalty_log):
    with pytest.raises(retention.UnknownCustomerError) as e:
        retention.tier_status(loyalty_log, 99, d(3, 1))
    assert "99" in str(e.value)
    with pytest.raises(retention.InvalidParameterError) as e:
        retention.tier_for_value(-1.0)
    assert e.value.name == "value"
    with pytest.raises(retention.InvalidParameterError) as e:
        retention.points_balances(loyalty_log, d(3, 1), config={"colour": "red"})
    assert "colour" in str(e.value)
    with pytest.raises(retention.InvalidParameterError) as e:
        retention.points_balances(loyalty_log, d(3, 1), config=retention.LoyaltyConfig(tiers=(("A", 10, 1.0),)))
    assert e.value.name == "tiers.threshold"
    with pytest.raises(retention.InvalidParameterError) as e:
        retention.redeem_points(loyalty_log, 1, float("nan"), as_of=d(3, 1))
    assert e.value.name == "points"
    with pytest.raises(retention.InvalidRowsError) as e:
        retention.points_balances(loyalty_log, d(1, 3))
    assert e.value.issues[0]["field"] == "timestamp"
    with pytest.raises(TypeError):
        retention.tier_status(loyalty_log, 1.5, d(3, 1))
    with pytest.raises(TypeError):
        retention.points_balances(loyalty_log, d(3, 1), config="gold")


@pytest.fixture(scope="module")
def churn_data(sample_log):
    train = retention.churn_features(sample_log, "2024-06-01")
    train_y = retention.churn_labels(sample_log, train, "2024-06-01", 90, AS_OF)
    test = retention.churn_features(sample_log, "2024-09-01")
    test_y = retention.churn_labels(sample_log, test, "2024-09-01", 90, "2024-12-01")
    return train, train_y, test, test_y


def test_supervised_churn(churn_data):
    train, train_y, test, test_y = churn_data
    assert list(train.columns) == ["customer_id", *retention.CHURN_FEATURES]
    assert list(train_y.columns) == ["customer_id", "churned"] and len(train_y) == len(train)
    model = retention.LogisticModel.fit(train, train_y)
    p = model.predict(test)
    assert p.shape == (len(test),) and ((p >= 0) & (p <= 1)).all()
    ev = retention.evaluate(p, test_y)
    assert 0.6 < ev["roc_auc"] <= 1.0
    assert 0 < ev["pr_auc"] <= 1 and ev["top_decile_lift"] > 1 and 0 <= ev["brier"] < 0.25
    cal = ev["calibration"]
    assert len(cal) == 10 and cal["count"].sum() == len(test)
    again = pickle.loads(pickle.dumps(model))
    np.testing.assert_array_equal(again.predict(test), p)
    assert set(model.coefficients) == set(retention.CHURN_FEATURES)


def test_evaluate_hand_checked():
    # Perfect ranking: ROC-AUC 1, AP 1; Brier of these probabilities by hand.
    ev = retention.evaluate([0.9, 0.8, 0.2, 0.1], [True, True, False, False])
    assert ev["roc_auc"] == 1.0 and ev["pr_auc"] == 1.0
    assert ev["brier"] == pytest.approx((0.01 + 0.04 + 0.04 + 0.01) / 4)
    # Reversed ranking: ROC-AUC 0.
    assert retention.evaluate([0.1, 0.9], [True, False])["roc_auc"] == 0.0


def test_churn_bad_input(churn_data, sample_log):
    train, train_y, _, _ = churn_data
    with pytest.raises(retention.InvalidParameterError) as e:
        retention.LogisticModel.fit(train.drop(columns=["tenure_days"]), train_y)
    assert "tenure_days" in str(e.value)
    bad = train.copy()
    bad.loc[bad.index[3], "recency_days"] = np.nan
    with pytest.raises(retention.InvalidRowsError) as e:
        retention.LogisticModel.fit(bad, train_y)
    assert (e.value.issues[0]["row"], e.value.issues[0]["field"]) == (3, "recency_days")
    with pytest.raises(retention.LengthMismatchError):
        retention.LogisticModel.fit(train, train_y["churned"].to_numpy()[:-1])
    with pytest.raises(retention.InvalidParameterError) as e:
        retention.LogisticModel.fit(train, train_y, l2=-1.0)
    assert e.value.name == "l2"
    with pytest.raises(retention.InvalidParameterError) as e:
        retention.churn_labels(sample_log, train, "2024-06-01", 90, "2024-07-01")
    assert e.value.name == "horizon_days"
    with pytest.raises(retention.UnknownCustomerError):
        retention.churn_labels(sample_log, [10**9], "2024-06-01", 30, AS_OF)
    with pytest.raises(retention.InvalidRowsError) as e:
        retention.evaluate([0.1, np.inf], [True, False])
    assert e.value.issues[0]["row"] == 1 and e.value.issues[0]["field"] == "score"
    with pytest.raises(retention.EmptyInputError):
        retention.evaluate([], [])
    with pytest.raises(retention.InvalidRowsError) as e:
        retention.evaluate([0.1, 0.2], [1, 2])
    assert e.value.issues[0]["field"] == "labels"
    with pytest.raises(TypeError):
        retention.evaluate("0.5", [True])


def test_traffic_light():
    g = retention.traffic_light(0.1)
    assert g["light"] == "green" and g["reasons"] == ["health-score risk 0.10"]
    r = retention.traffic_light(0.1, source="probability_alive", reasons=["no order for 74 days"], open_critical=1)
    assert r["light"] == "red"
    assert r["reasons"][0] == "P(alive) 0.90" and "no order for 74 days" in r["reasons"]
    assert retention.traffic_light(0.2, open_other=2)["light"] == "amber"
    assert retention.traffic_light(0.7, source="supervised")["light"] == "red"
    with pytest.raises(retention.InvalidParameterError) as e:
        retention.traffic_light(1.5)
    assert e.value.name == "risk"
    with pytest.raises(retention.InvalidParameterError) as e:
        retention.traffic_light(float("nan"))
    assert e.value.name == "risk"
    with pytest.raises(retention.InvalidParameterError) as e:
        retention.traffic_light(0.5, source="astrology")
    assert e.value.name == "risk_source"
    with pytest.raises(retention.InvalidParameterError):
        retention.traffic_light(0.5, amber=0.8, red=0.2)
    with pytest.raises(retention.InvalidParameterError):
        retention.traffic_light(0.5, open_critical=-1)
    with pytest.raises(TypeError):
        retention.traffic_light(0.5, reasons="late")


def test_value_tiers(sample_log):
    t = retention.historic_value_tiers(sample_log.summaries())
    assert list(t["rank"]) == list(range(1, len(t) + 1))
    n = len(t)
    assert (t["tier"] == "Top 1%").sum() == int(np.ceil(0.01 * n))
    assert t["value"].is_monotonic_decreasing
    given = retention.value_tiers(["a", "b", "c", "d"], [5.0, 50.0, 1.0, 20.0], tiers={"Top half": 0.5, "Rest": 1.0})
    assert list(given["customer_id"]) == ["b", "d", "a", "c"]
    assert list(given["tier"]) == ["Top half", "Top half", "Rest", "Rest"]
    with pytest.raises(retention.InvalidRowsError) as e:
        retention.value_tiers([1, 2], [1.0, np.inf])
    assert (e.value.issues[0]["row"], e.value.issues[0]["field"]) == (1, "value")
    with pytest.raises(retention.InvalidParameterError) as e:
        retention.value_tiers([1], [1.0], tiers={"A": 0.5})
    assert e.value.name == "tiers"
    with pytest.raises(retention.LengthMismatchError):
        retention.value_tiers([1, 2], [1.0])


def test_rule_segments():
    df = pd.DataFrame(
        {
            "customer_id": [1, 1, 2, 2, 3],
            "timestamp": [d(6, 1), d(6, 20), d(6, 2), d(6, 3), d(6, 4)],
            "event": ["order", "order", "order", "support_ticket", "session"],
            "amount": [300.0, 200.0, 20.0, None, None],
            "detail": [None, None, None, "critical", None],
            "resolved": [None, None, None, False, None],
        }
    )
    s = retention.EventLog.from_frame(df).summaries()
    attrs = pd.DataFrame({"customer_id": [1, 2], "country": ["DE", "FR"]})
    segments = {
        "big spenders in DACH": {"and": [("net_revenue", ">=", 400), ("country", "in", ["DE", "AT", "CH"])]},
        "needs care": {"or": [("open_critical_tickets", ">", 0), {"field": "days_since_last_order", "op": ">", "value": 60}]},
        "no orders": {"not": ("days_since_last_order", ">=", 0)},
        "everyone": True,
    }
    got = retention.rule_segments(s, d(6, 30), segments, attributes=attrs)
    assert list(got["segment"]) == ["big spenders in DACH", "needs care", "no orders"]
    assert list(got["segments"].iloc[0]) == ["big spenders in DACH", "everyone"]
    none = retention.rule_segments(s, d(6, 30), [("big", ("orders", ">", 5))])
    assert none["segment"].isna().all()
    with pytest.raises(retention.InvalidParameterError) as e:
        retention.rule_segments(s, d(6, 30), {"x": ("ordrs", ">", 1)})
    assert e.value.name == "summary_field" and "ordrs" in str(e.value)
    with pytest.raises(retention.InvalidParameterError) as e:
        retention.rule_segments(s, d(6, 30), {"x": ("orders", "~", 1)})
    assert e.value.name == "operator"
    with pytest.raises(retention.InvalidParameterError):
        retention.rule_segments(s, d(6, 30), {"x": ("orders", ">", float("nan"))})
    with pytest.raises(TypeError):
        retention.rule_segments(s, d(6, 30), {"x": ("orders", ">", None)})
    with pytest.raises(TypeError):
        retention.rule_segments(s, d(6, 30), {"x": 42})
    with pytest.raises(retention.InvalidParameterError):
        retention.rule_segments(s, d(6, 30), {"x": True}, attributes=pd.DataFrame({"who": [1]}))


def test_series_metrics_equal_single_calls(sample_log):
    series = retention.period_activity_series(sample_log, "2024-01-01", "2024-06-01")
    assert len(series) == 6
    one = retention.period_activity(sample_log, "2024-03-01", "2024-04-01")
    row = series.iloc[2]
    assert row["period_start"] == pd.Timestamp("2024-03-01", tz="UTC")
    for k in ("start_count", "end_count", "retained", "new", "lost"):
        assert row[k] == one[k]
    assert row["retention_rate"] == one["retention_rate"]
    pop = retention.period_over_period_retention_series(sample_log, "2024-01-01", "2024-11-01")
    single = retention.period_over_period_retention(sample_log, "2024-05-15")
    match = pop[pop["period_start"] == single["period_start"]].iloc[0]
    assert (match["customers"], match["retained"]) == (single["customers"], single["retained"])
    assert single["rate"] == single["retained"] / single["customers"]
    weekly = retention.period_over_period_retention_series(sample_log, "2024-01-01", "2024-02-01", period="week")
    assert len(weekly) == 5
    with pytest.raises(retention.InvalidParameterError):
        retention.period_activity_series(sample_log, "2024-06-01", "2024-01-01")
    with pytest.raises(retention.InvalidParameterError) as e:
        retention.period_over_period_retention(sample_log, "2024-01-01", period="decade")
    assert e.value.name == "period"


def test_referral_and_engagement(sample_log):
    r = retention.referral_stats(sample_log, "2023-01-01", AS_OF)
    assert 0 < r["referrers"] <= r["customers"] and r["referrers"] <= r["all_referrers"]
    assert r["referral_rate"] == r["referrers"] / r["customers"]
    e = retention.engagement(sample_log, AS_OF)
    assert len(e) == sample_log.n_customers
    assert (e["active_days_30"] <= 31).all()
    opened = e[e["email_opens"] > 0]
    np.testing.assert_allclose(opened["click_through_rate"], opened["email_clicks"] / opened["email_opens"])
    with pytest.raises(retention.InvalidRowsError) as err:
        retention.engagement(sample_log, "2023-06-01")
    assert err.value.issues[0]["kind"] == "after_as_of"
    with pytest.raises(retention.InvalidParameterError):
        retention.referral_stats(sample_log, AS_OF, AS_OF)


def test_labelled_cohorts_and_experiments():
    # The core's doc examples (cohorts::labelled_cohorts, experiments::retention_counts).
    df = pd.DataFrame(
        {"customer_id": [1, 1, 2], "timestamp": [d(1, 5), d(2, 5), d(2, 9)], "amount": [20.0, 20.0, 10.0]}
    )
    log = retention.EventLog.from_frame(df)
    m = retention.labelled_cohorts(log, {1: "offer", 2: "control"}, d(3, 15))
    ret = m["retention"]
    assert list(ret["cohort"]) == ["control", "offer"]
    assert ret["0"].tolist() == [1.0, 1.0] and pd.isna(ret["1"].iloc[0]) and ret["1"].iloc[1] == 1.0
    same = retention.labelled_cohorts(log, pd.Series(["offer", "control"], index=[1, 2]), d(3, 15))["retention"]
    pd.testing.assert_frame_equal(same, ret)
    june = lambda day: pd.Timestamp(2024, 6, day, 9, tz="UTC")  # noqa: E731
    log2 = retention.EventLog.from_frame(
        pd.DataFrame({"customer_id": [1, 1, 2], "timestamp": [june(1), june(20), june(2)], "amount": [9.0, 9.0, 5.0]})
    )
    labels = pd.DataFrame({"customer_id": [1, 2], "label": ["offer", "control"]})
    c = retention.retention_counts(log2, labels, june(30), window_start=june(10), window_days=14, treatment="offer")
    assert (c["treatment_retained"], c["treatment_total"], c["control_retained"], c["control_total"]) == (1, 1, 0, 1)
    lr = retention.survival_comparison(log2, labels, june(30), treatment="offer", inactive_days=5)
    assert 0 <= lr["p_value"] <= 1
    with pytest.raises(retention.UnknownCustomerError):
        retention.labelled_cohorts(log, {7: "x"}, d(3, 15))
    with pytest.raises(retention.InvalidParameterError) as e:
        retention.retention_counts(log2, labels, june(30), window_start=june(10), window_days=30, treatment="offer")
    assert e.value.name == "window"
    with pytest.raises(retention.InvalidParameterError) as e:
        retention.retention_counts(log2, labels, june(30), window_start=june(10), window_days=14, treatment="control")
    assert e.value.name == "control"
    with pytest.raises(retention.InvalidRowsError) as e:
        retention.labelled_cohorts(log, {1: "a", 2: None}, d(3, 15))
    assert (e.value.issues[0]["row"], e.value.issues[0]["field"]) == (1, "labels")
    with pytest.raises(TypeError):
        retention.labelled_cohorts(log, ["offer"], d(3, 15))


def test_churn_durations_feed_kaplan_meier(sample_log):
    lives = retention.churn_durations(sample_log, AS_OF)
    assert list(lives.columns) == ["customer_id", "duration", "churned"]
    assert (lives["duration"] >= 0).all() and lives["churned"].any() and not lives["churned"].all()
    table, median, _ = retention.kaplan_meier(lives["duration"], lives["churned"])
    assert table["survival"].iloc[-1] < 1.0
    subs = retention.churn_durations(sample_log, AS_OF, basis="subscriptions")
    assert len(subs) < len(lives)
    with pytest.raises(retention.InvalidParameterError) as e:
        retention.churn_durations(sample_log, AS_OF, inactive_days=0)
    assert e.value.name == "inactive_days"
    with pytest.raises(retention.InvalidParameterError):
        retention.churn_durations(sample_log, AS_OF, basis="vibes")
    with pytest.raises(retention.InvalidRowsError):
        retention.churn_durations(sample_log, "2020-01-01")


def test_to_frame_round_trips(sample_events_pa, sample_log):
    frame = sample_log.to_frame()
    assert list(frame.columns) == ["customer_id", "timestamp", "event", "amount", "items", "score", "detail", "resolved"]
    assert len(frame) == len(sample_log)
    again = retention.EventLog.from_frame(frame)
    assert again.to_csv() == sample_log.to_csv()
    assert isinstance(sample_log.to_frame("polars"), pl.DataFrame)
    assert isinstance(retention.EventLog.from_frame(sample_events_pa).to_frame(), pa.Table)


def test_results_follow_input_library(sample_events_pa):
    log = retention.EventLog.from_frame(pl.from_arrow(sample_events_pa))
    assert isinstance(retention.engagement(log, AS_OF), pl.DataFrame)
    assert isinstance(retention.churn_durations(log, AS_OF), pl.DataFrame)
    assert isinstance(retention.period_activity_series(log, "2024-01-01", "2024-03-01"), pl.DataFrame)
    assert isinstance(retention.historic_value_tiers(log.summaries()), pl.DataFrame)
