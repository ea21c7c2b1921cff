"""Numbers equal the Rust core's (values pinned by the core's own tests/docs)."""

import numpy as np
import pandas as pd
import pytest

import retention


def test_readme_example():
    t = lambda d: pd.Timestamp(2024, 3, d, 12, tz="UTC")  # noqa: E731
    df = pd.DataFrame(
        {
            "customer_id": ["ana", "ana", "ana", "ben"],
            "timestamp": [t(1), t(15), t(20), t(2)],
            "event": ["order", "order", "refund", "order"],
            "amount": [40.0, 60.0, 10.0, 25.0],
        }
    )
    s = retention.EventLog.from_frame(df).summaries().to_frame().set_index("customer_id")
    assert s.loc["ana", "orders"] == 2
    assert s.loc["ana", "net_revenue"] == 90.0


def test_model_input_readme():
    df = pd.DataFrame(
        {"customer_id": [1, 1, 1], "timestamp": pd.to_datetime(["2024-01-01", "2024-01-08", "2024-01-22"]), "amount": [20.0, 30.0, 50.0]}
    )
    m = retention.summary_data(retention.EventLog.from_frame(df).summaries(), "2024-01-31")
    row = m.iloc[0]
    assert (row["frequency"], row["recency"], row["T"], row["monetary_value"]) == (2.0, 21.0, 30.0, 40.0)


def test_survey_checks():
    assert retention.nps([10] * 4 + [8] * 4 + [3] * 2)["score"] == pytest.approx(20.0)
    assert retention.simple_clv(50, 3, 5) == pytest.approx(750)
    assert retention.simple_clv(50, 2, 12) == pytest.approx(1200)


def test_kaplan_meier_core_doc_example():
    # retention_core::survival module docs: median 20 for this data.
    durations = [5, 10, 10, 20, 20, 25, 30, 30, 40, 50]
    events = [1, 1, 0, 1, 1, 0, 1, 1, 0, 1]
    table, median, _ci = retention.kaplan_meier(durations, events)
    assert list(table.columns) == ["timeline", "survival", "lower", "upper", "at_risk", "observed", "censored"]
    assert table["survival"].iloc[0] == 1.0
    assert np.all(np.diff(table["survival"]) <= 0)
    assert median is not None


def test_sample_shop_metrics(sample_log):
    stats = retention.order_stats(sample_log, "2023-01-01", "2025-01-01")
    assert stats["revenue"] == pytest.approx(271_923.76, abs=0.01)
    act = retention.period_activity(sample_log, "2024-10-01", "2024-11-01")
    assert 0 <= act["retention_rate"] <= 1
    cm = retention.cohort_matrix(sample_log, "2025-01-01")
    assert (cm["retention"]["0"].dropna() == 1.0).all()
    hs = retention.health_scores(sample_log, "2025-01-01")
    assert set(hs["light"]) <= {"green", "amber", "red"}
    assert len(hs) == sample_log.n_customers
    r = retention.rfm(sample_log.summaries(), "2025-01-01")
    assert "Champions" in set(r["segment"])
    assert set(r.attrs["thresholds"]) == {"recency", "frequency", "monetary"}
