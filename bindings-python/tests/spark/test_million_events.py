"""On a ~1M-event generated shop, every Spark result equals the single-machine result, for any layout.

The sample shop's generator at 38,500 customers (1,090,182 events, every
event kind; fixtures ``million_shop`` / ``million_events`` in
``conftest.py``, built once per session) runs through ``retention.spark``
with the events in 1, 3 and 8 partitions and a random repartition, and
through ``retention`` on one machine: summaries and merged partial
summaries (the core's exact equality, money to the micro-unit), model
inputs, scores, RFM scores and thresholds, cohort matrices and Kaplan–Meier
curves exactly, fitted parameters to 1e-12.

At 1M events a Spark check takes seconds to tens of seconds on two cores,
so the test command runs each check on one layout (together they cover
all four, and Kaplan–Meier, cheap once the model input exists, runs on all
four); ``RETENTION_SPARK_MILLION=all`` runs every check on every layout.
"""

import os

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

import retention

pyspark = pytest.importorskip("pyspark")
from pyspark.sql import functions as F  # noqa: E402

import retention.spark as rs  # noqa: E402

END = "2025-01-01"
LAYOUTS = ["1", "3", "8", "random"]
FULL = os.environ.get("RETENTION_SPARK_MILLION") == "all"


def layouts(ci: str):
    """Every layout with ``RETENTION_SPARK_MILLION=all``, else the one this check runs on in the test command."""
    return LAYOUTS if FULL else [ci]


def _layout(df, layout):
    if layout == "random":
        return df.repartition(5, F.rand(seed=13))
    return df.repartition(int(layout))


def _sorted(df, by="customer_id"):
    return df.toArrow().to_pandas().sort_values(by).reset_index(drop=True)


@pytest.fixture(scope="module")
def single(million_shop):
    return million_shop[1].summaries()


@pytest.fixture(scope="module")
def local_input(million_shop):
    data = retention.summary_data(million_shop[1], END, unit="week")
    return data.sort_values("customer_id").reset_index(drop=True)


@pytest.fixture(scope="module")
def spark_input(million_events):
    """Model input computed by Spark from the summary state, cached (its equality is checked below)."""
    df = rs.model_input(rs.summaries(million_events), END, unit="week").cache()
    df.count()
    yield df
    df.unpersist()


def test_the_shop_is_a_million_events(million_shop, local_input):
    assert million_shop[0].num_rows > 1_000_000
    assert len(local_input) > 30_000 and (local_input["frequency"] > 0).sum() > 15_000


@pytest.mark.parametrize("layout", layouts("random"))
def test_summaries_equal(million_events, single, layout):
    got = rs.summaries(_layout(million_events, layout)).toArrow().sort_by("customer_id")
    assert retention.Summaries.from_arrow(got) == single


@pytest.mark.parametrize("layout", layouts("3"))
def test_merged_partial_summaries_equal(million_events, single, layout):
    bucket = F.abs(F.xxhash64(*million_events.columns)) % 3  # mixes customers and days
    parts = [rs.summaries(_layout(million_events.where(bucket == i), layout)) for i in range(3)]
    got = rs.merge_summaries(*parts).toArrow().sort_by("customer_id")
    assert retention.Summaries.from_arrow(got) == single


@pytest.mark.parametrize("layout", layouts("1"))
def test_model_input_fits_and_scores_equal(million_events, spark_input, local_input, layout):
    pd.testing.assert_frame_equal(_sorted(spark_input), local_input, check_exact=True, check_dtype=False)
    # The cached input came from the summary state; here the events path, on this layout.
    got = _sorted(rs.model_input(_layout(million_events, layout), END, unit="week"))
    pd.testing.assert_frame_equal(got, local_input, check_exact=True, check_dtype=False)
    inputs = _layout(spark_input, layout)
    bg, bg_local = rs.fit("bg_nbd", inputs), retention.TransactionModel.fit("bg_nbd", local_input)
    gg = rs.fit_gamma_gamma(inputs)
    gg_local = retention.fit_gamma_gamma(local_input["frequency"], local_input["monetary_value"])
    for got, want in ((bg.params, bg_local.params), (gg.params, gg_local.params)):
        assert got.keys() == want.keys()
        for k in want:
            assert abs(got[k] - want[k]) <= 1e-12 * max(1.0, abs(want[k])), (k, got[k], want[k])
    scores = _sorted(rs.scores(inputs, bg_local, gg_local, t=12, time_unit="week"))
    f, r, T, m = (local_input[c].to_numpy() for c in ("frequency", "recency", "T", "monetary_value"))
    np.testing.assert_array_equal(scores["customer_id"], local_input["customer_id"])
    np.testing.assert_array_equal(scores["probability_alive"], bg_local.probability_alive(f, r, T))
    np.testing.assert_array_equal(scores["expected_purchases"], bg_local.conditional_expected_purchases(12, f, r, T))
    np.testing.assert_array_equal(scores["clv"], retention.predictive_clv(bg_local, gg_local, f, r, T, m, time_unit="week"))


@pytest.mark.parametrize("layout", layouts("8"))
def test_rfm_equal(million_events, million_shop, layout):
    scores, thresholds = rs.rfm(_layout(million_events, layout), END)
    want = retention.rfm(million_shop[1], END)
    assert thresholds == want.attrs["thresholds"]
    want = want.sort_values("customer_id").reset_index(drop=True)
    pd.testing.assert_frame_equal(_sorted(scores), want, check_exact=True, check_dtype=False)


@pytest.mark.parametrize("layout", layouts("3"))
def test_cohort_matrices_equal(million_events, million_shop, layout):
    got = rs.cohort_matrix(_layout(million_events, layout), END, revenue="gross")
    want = retention.cohort_matrix(million_shop[1], END, revenue="gross")
    assert sorted(got) == sorted(want)
    for name in want:
        pd.testing.assert_frame_equal(got[name], want[name], check_exact=True)


CHURN_WEEKS = 13.0  # no repeat purchase for a quarter: counted as churned at the last purchase


@pytest.mark.parametrize("layout", LAYOUTS)
def test_kaplan_meier_curves_equal(spark_input, local_input, layout):
    """Time to churn (weeks from the first to the last purchase; censored at T while active)."""
    churned = (F.col("T") - F.col("recency")) > CHURN_WEEKS
    durations = _layout(spark_input, layout).select(
        F.when(churned, F.col("recency")).otherwise(F.col("T")).alias("weeks"), churned.alias("churned"))
    table, median, ci = rs.kaplan_meier(durations, "weeks", "churned")
    f = local_input
    local_churned = (f["T"] - f["recency"]).to_numpy() > CHURN_WEEKS
    weeks = np.where(local_churned, f["recency"].to_numpy(), f["T"].to_numpy())
    want_table, want_median, want_ci = retention.kaplan_meier(weeks, local_churned)
    pd.testing.assert_frame_equal(table, want_table, check_exact=True)
    assert (median, ci) == (want_median, want_ci)
    assert len(table) > 50 and 0 < local_churned.mean() < 1
