"""Python numbers equal the Rust core's on the same data: the values pinned in
the README doc-tests and in the core's metric docs (retention-core/src)."""

import numpy as np
import pandas as pd
import pytest

import retention


def test_readme_bad_input_names_rows():
    # README: rows 1 (NaN, not finite) and 2 (-4) of three orders.
    t = pd.Timestamp("2024-03-01", tz="UTC")
    df = pd.DataFrame({"customer_id": [1, 2, 3], "timestamp": [t] * 3, "amount": [10.0, np.nan, -4.0]})
    with pytest.raises(retention.InvalidRowsError) as e:
        retention.EventLog.from_frame(df)
    (a, b) = e.value.issues
    assert (a["row"], a["field"]) == (1, "amount")
    assert (b["row"], b["value"]) == (2, "-4")


def test_readme_metrics():
    assert retention.customer_retention_rate(100, 95, 15) == 0.8
    assert retention.churn_rate(10, 100) == 0.1
    assert retention.churn_rate(0, 0) is None
    assert retention.nps([10.0, 9.0, 10.0, 9.0, 8.0, 7.0, 8.0, 7.0, 3.0, 6.0])["score"] == pytest.approx(20.0, abs=1e-12)
    assert retention.simple_clv(50.0, 3.0, 5.0) == 750.0
    # metrics::customer_retention_rate doc: (110 − 30) / 100.
    assert retention.customer_retention_rate(100, 110, 30) == 0.8


def test_readme_churn_durations_and_kaplan_meier():
    as_of = pd.Timestamp("2024-12-31", tz="UTC")
    ago = lambda d: as_of - pd.Timedelta(days=d)  # noqa: E731
    log = retention.EventLog.from_frame(pd.DataFrame({
        "customer_id": [1, 1, 2, 2, 3],
        "timestamp": [ago(300), ago(200), ago(100), ago(10), ago(150)],
        "amount": [20.0] * 5,
    }))
    lives = retention.churn_durations(log, as_of, inactive_days=90)
    assert lives["duration"].tolist() == [100.0, 100.0, 0.0]
    table, _, _ = retention.kaplan_meier(lives["duration"], lives["churned"])
    # S(50) = 2/3: the last curve point at or before 50.
    at_50 = table.loc[table["timeline"] <= 50.0, "survival"].iloc[-1]
    assert at_50 == pytest.approx(2.0 / 3.0, abs=1e-12)


def test_period_activity_doc_example():
    d = lambda m, day: pd.Timestamp(2024, m, day, 12, tz="UTC")  # noqa: E731
    log = retention.EventLog.from_frame(pd.DataFrame({
        "customer_id": [1, 1, 2, 3],
        "timestamp": [d(1, 10), d(4, 20), d(1, 5), d(4, 2)],
        "amount": [10.0] * 4,
    }))
    a = retention.period_activity(log, d(4, 1).floor("D"), d(5, 1).floor("D"))
    assert (a["start_count"], a["end_count"], a["new"], a["lost"]) == (2, 2, 1, 1)
    assert a["retention_rate"] == 0.5 and a["churn_rate"] == 0.5
    # The series form gives the same April row.
    s = retention.period_activity_series(log, "2024-04-01", "2024-04-30")
    assert (s["start_count"].iloc[0], s["new"].iloc[0], s["retention_rate"].iloc[0]) == (2, 1, 0.5)


def test_order_stats_doc_example():
    d = lambda day: pd.Timestamp(2024, 6, day, 12, tz="UTC")  # noqa: E731
    log = retention.EventLog.from_frame(
        pd.DataFrame({"customer_id": [1, 1, 2], "timestamp": [d(1), d(2), d(3)], "amount": [30.0, 10.0, 20.0]})
    )
    s = retention.order_stats(log, d(1), d(30))
    assert (s["repeat_purchase_rate"], s["purchase_frequency"], s["average_order_value"]) == (0.5, 1.5, 20.0)


def test_mrr_bridge_doc_example():
    d = lambda m: pd.Timestamp(2024, m, 10, tz="UTC")  # noqa: E731
    log = retention.EventLog.from_frame(pd.DataFrame({
        "customer_id": [1, 1, 2],
        "timestamp": [d(1), d(2), d(2)],
        "event": ["subscription"] * 3,
        "amount": [100.0, 20.0, 50.0],
        "detail": ["new", "expansion", "new"],
    }))
    b = retention.mrr_bridge(log, "2024-02-01", "2024-03-01")
    assert (b["starting"], b["new"], b["expansion"], b["ending"]) == (100.0, 50.0, 20.0, 170.0)
    assert b["net_revenue_retention"] == 1.2 and b["quick_ratio"] is None


def test_loyalty_and_tier_doc_examples():
    s = retention.tier_for_value(1000.0)
    assert (s["tier"], s["next_tier"], s["missing"], s["progress"]) == ("Silver", "Gold", 500.0, 0.5)
    assert retention.tier_for_value(9000.0)["next_tier"] is None


def test_sample_shop_fingerprint_through_new_functions(sample_log):
    # The seed-42 sample shop (pinned in the core: 57,986 events, revenue 271,923.76).
    frame = sample_log.to_frame()
    assert len(frame) == 57_986
    orders = frame[frame["event"] == "order"]
    assert round(orders["amount"].sum(), 2) == 271_923.76
    tiers = retention.historic_value_tiers(sample_log.summaries())
    net = sample_log.summaries().to_frame()
    assert tiers["value"].sum() == pytest.approx(net.loc[net["orders"] > 0, "net_revenue"].sum())
