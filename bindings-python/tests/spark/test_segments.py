"""Spark RFM, lifecycle, cohort cells and Kaplan–Meier equal the single-machine results for any partitioning.

The sample shop (seed 42, 300 customers) with its events in 1, 3 and 8
partitions and a random repartition, compared value for value with
``retention`` on one machine.
"""

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

import retention

pyspark = pytest.importorskip("pyspark")
from pyspark.sql import functions as F  # noqa: E402

import retention.spark as rs  # noqa: E402

AS_OF = "2025-01-01"
LAYOUTS = ["1", "3", "8", "random"]


@pytest.fixture(scope="module")
def shop():
    log = retention.EventLog.sample(seed=42, customers=300)
    return log, log.to_frame("pyarrow")


@pytest.fixture(scope="module")
def events(spark, shop):
    return spark.createDataFrame(shop[1])


@pytest.fixture(scope="module")
def state(events):
    """The summary state (one row per customer) of the sample shop."""
    return rs.summaries(events.repartition(3))


def _layout(df, layout):
    if layout == "random":
        return df.repartition(5, F.rand(seed=11))
    return df.repartition(int(layout))


def _sorted(df, by="customer_id"):
    return df.toArrow().to_pandas().sort_values(by).reset_index(drop=True)


@pytest.mark.parametrize("source, layout", [("events", x) for x in LAYOUTS] + [("state", "8")])
def test_rfm_scores_and_thresholds_equal(events, state, shop, layout, source):
    data = events if source == "events" else state
    scores, thresholds = rs.rfm(_layout(data, layout), AS_OF)
    got = _sorted(scores)
    want = retention.rfm(shop[0].summaries(), AS_OF)
    assert thresholds == want.attrs["thresholds"]
    want = want.sort_values("customer_id").reset_index(drop=True)
    pd.testing.assert_frame_equal(got, want, check_exact=True, check_dtype=False)
    # The sample shop has ties across bin edges (frequency), so the tie rule is exercised.
    assert got["f"].nunique() == 5 and got["frequency"].dropna().duplicated().any()


def test_rfm_options_and_ties_on_small_data(spark):
    # Ten customers, six of them tied at one order: pandas' rank-first qcut of
    # [1,1,1,1,1,1,2,2,3,10] gives F = [1,1,2,2,3,3,4,4,5,5]; the tied customers
    # are ordered by id, whatever partition they are in.
    rows = []
    orders = {10: 1, 3: 1, 7: 1, 1: 1, 9: 1, 4: 1, 2: 2, 8: 2, 5: 3, 6: 10}
    for c, n in orders.items():
        rows += [(c, f"2024-01-{d + 1:02d}", 10.0) for d in range(n)]
    events = spark.createDataFrame(rows, "customer_id long, timestamp string, amount double").repartition(4, F.rand(seed=3))
    scores, _ = rs.rfm(events, "2024-02-01")
    got = dict((r.customer_id, r.f) for r in scores.collect())
    assert [got[c] for c in (1, 3, 4, 7, 9, 10, 2, 8, 5, 6)] == [1, 1, 2, 2, 3, 3, 4, 4, 5, 5]
    # Other options and rules are passed through.
    local = retention.EventLog.from_dict({
        "customer_id": [r[0] for r in rows], "timestamp": [r[1] for r in rows], "amount": [r[2] for r in rows]})
    for options in ({"bins": 3, "monetary": "mean"}, {"frequency": "order_days", "segments": [("Best", "3[2-3]")], "bins": 3}):
        s, t = rs.rfm(events, "2024-02-01", **options)
        want = retention.rfm(local, "2024-02-01", **options)
        assert t == want.attrs["thresholds"]
        got = s.toArrow().to_pandas().sort_values("customer_id").reset_index(drop=True)
        want = want.sort_values("customer_id").reset_index(drop=True)
        pd.testing.assert_frame_equal(got, want, check_exact=True, check_dtype=False)
    with pytest.raises(retention.InvalidParameterError):
        rs.rfm(events, "2024-02-01", bins=12)


@pytest.mark.parametrize("source, layout", [("events", "random"), ("state", "3")])
def test_lifecycle_equals(events, state, shop, layout, source):
    data = events if source == "events" else state
    got = _sorted(rs.lifecycle(_layout(data, layout), AS_OF))
    want = retention.lifecycle(shop[0].summaries(), AS_OF).sort_values("customer_id").reset_index(drop=True)
    pd.testing.assert_frame_equal(got, want, check_exact=True, check_dtype=False)
    assert got["stage"].nunique() > 3


@pytest.mark.parametrize("layout", LAYOUTS)
def test_cohort_matrices_from_summed_cells_equal(events, shop, layout):
    other = {"period": "quarter", "mode": "return_on_or_after", "revenue": "gross", "qualifying": "any_activity"}
    for options in ({}, other) if layout == "random" else ({},):
        got = rs.cohort_matrix(_layout(events, layout), AS_OF, **options)
        want = retention.cohort_matrix(shop[0], AS_OF, **options)
        assert sorted(got) == sorted(want)
        for name in want:
            pd.testing.assert_frame_equal(got[name], want[name], check_exact=True)


def test_cohort_cells_are_exact_decimal_sums(events, shop):
    cells = rs.cohort_cells(events.repartition(8), AS_OF, revenue="gross").toArrow()
    assert cells.schema.field("revenue").type == pa.decimal128(38, 6)
    # Cell revenue at age 0 over all cohorts = gross revenue of each customer's first month,
    # and the size cells count every customer with an order.
    sizes = pc_sum(cells, "customers", age_null=True)
    assert sizes == int((retention.summary_data(shop[0], AS_OF)["customer_id"]).nunique())
    want = retention.cohort_matrix(shop[0], AS_OF, revenue="gross")
    revenue0 = sum(float(v) for a, v in zip(cells.column("age").to_pylist(), cells.column("revenue").to_pylist()) if a == 0)
    assert revenue0 == pytest.approx(float(want["revenue"]["0"].sum()), rel=1e-12)


def pc_sum(table, column, age_null):
    ages = table.column("age").to_pylist()
    return sum(v for a, v in zip(ages, table.column(column).to_pylist()) if (a is None) == age_null)


@pytest.mark.parametrize("layout", LAYOUTS)
def test_kaplan_meier_from_counts_equals(spark, layout):
    rng = np.random.default_rng(5)
    d = rng.integers(1, 40, size=500).astype(float)
    e = rng.random(500) < 0.7
    df = _layout(spark.createDataFrame(pa.table({"d": d, "e": e})), layout)
    table, median, ci = rs.kaplan_meier(df, "d", "e")
    want_table, want_median, want_ci = retention.kaplan_meier(d, e)
    pd.testing.assert_frame_equal(table, want_table, check_exact=True)
    assert (median, ci) == (want_median, want_ci)
    with pytest.raises(KeyError):
        rs.kaplan_meier(df, "d", "nope")


def test_errors_are_typed(events):
    with pytest.raises(retention.InvalidRowsError) as err:
        with rs.typed_errors():
            rs.cohort_matrix(events, "2024-06-01")
    assert err.value.issues[0]["kind"] == "after_as_of"
    # An unknown code (raised wherever the option is read) arrives as the
    # single-machine API's UnknownCodeError, with the accepted codes.
    with pytest.raises(retention.UnknownCodeError) as err:
        with rs.typed_errors():
            rs.rfm(events, "2025-01-01", frequency="weekly")
    assert "orders" in err.value.accepted
