"""Spark model input, fits and scores equal the single-machine results for any partitioning.

The sample shop (seed 42, 300 customers) runs through ``retention.spark``
with the events in 1, 3 and 8 partitions and a random repartition; every
value is compared with ``retention`` on one machine: model inputs and
scores exactly, fitted parameters to 1e-12 (they are bit-identical when the
fit sees the same merged histories; the bound leaves room for nothing else).
"""

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


@pytest.fixture(scope="module")
def shop():
    log = retention.EventLog.sample(seed=42, customers=300)
    return log, log.to_frame("pyarrow")


def _layout(df, layout):
    if layout == "random":
        return df.repartition(5, F.rand(seed=7))
    return df.repartition(int(layout))


@pytest.fixture(scope="module")
def events(spark, shop):
    return spark.createDataFrame(shop[1])


def _sorted(df, by="customer_id"):
    return df.toArrow().to_pandas().sort_values(by).reset_index(drop=True)


def _frame(spark, pandas_frame):
    return spark.createDataFrame(pa.Table.from_pandas(pandas_frame, preserve_index=False))


@pytest.fixture(scope="module")
def local_input(shop):
    return retention.summary_data(shop[0], END, unit="week").sort_values("customer_id").reset_index(drop=True)


@pytest.fixture(scope="module")
def state(events):
    """The summary state (one row per customer) of the sample shop."""
    return rs.summaries(events.repartition(3))


@pytest.mark.parametrize("layout", LAYOUTS)
def test_model_input_equals_summary_data(events, state, local_input, layout):
    got = _sorted(rs.model_input(_layout(events, layout), END, unit="week"))
    pd.testing.assert_frame_equal(got, local_input, check_exact=True, check_dtype=False)
    if layout in ("1", "random"):  # the state path: one row per customer, batch by batch
        got = _sorted(rs.model_input(_layout(state, layout), END, unit="week"))
        pd.testing.assert_frame_equal(got, local_input, check_exact=True, check_dtype=False)


@pytest.mark.parametrize("layout", LAYOUTS)
def test_fits_equal_the_single_machine_fits(spark, local_input, layout):
    inputs = _layout(_frame(spark, local_input), layout)
    for code in ("bg_nbd", "pareto_nbd"):
        want = retention.TransactionModel.fit(code, local_input).params
        got = rs.fit(code, inputs).params
        assert got.keys() == want.keys()
        for k in want:
            assert abs(got[k] - want[k]) <= 1e-12 * max(1.0, abs(want[k])), (code, k, got[k], want[k])
    want = retention.fit_gamma_gamma(local_input["frequency"], local_input["monetary_value"]).params
    got = rs.fit_gamma_gamma(inputs).params
    for k in want:
        assert abs(got[k] - want[k]) <= 1e-12 * max(1.0, abs(want[k])), (k, got[k], want[k])


def test_fit_moves_distinct_histories_only(spark, local_input):
    # Duplicating every customer 5 times multiplies the weights, not the rows:
    # the parameters are those of the single-machine fit on the 5x data.
    five = pd.concat([local_input] * 5, ignore_index=True)
    got = rs.fit("bg_nbd", _frame(spark, five)).params
    want = retention.TransactionModel.fit("bg_nbd", five).params
    for k in want:
        assert abs(got[k] - want[k]) <= 1e-12 * max(1.0, abs(want[k]))


@pytest.mark.parametrize("layout", LAYOUTS)
def test_scores_equal_the_single_machine_predictions(spark, local_input, layout):
    model = retention.TransactionModel.fit("bg_nbd", local_input)
    spend = retention.fit_gamma_gamma(local_input["frequency"], local_input["monetary_value"])
    got = _sorted(rs.scores(_layout(_frame(spark, local_input), layout), model, spend, t=12, time_unit="week"))
    f, r, T, m = (local_input[c].to_numpy() for c in ("frequency", "recency", "T", "monetary_value"))
    np.testing.assert_array_equal(got["customer_id"], local_input["customer_id"])
    np.testing.assert_array_equal(got["probability_alive"], model.probability_alive(f, r, T))
    np.testing.assert_array_equal(got["expected_purchases"], model.conditional_expected_purchases(12, f, r, T))
    np.testing.assert_array_equal(got["clv"], retention.predictive_clv(model, spend, f, r, T, m, time_unit="week"))
    # Without a spend model there is no CLV column.
    assert rs.scores(_frame(spark, local_input), model).columns == [
        "customer_id", "probability_alive", "expected_purchases"]


@pytest.mark.parametrize("layout", ["1", "random"])
def test_health_scores_and_lights_equal(events, shop, layout):
    got = _sorted(rs.health_scores(_layout(events, layout), END))
    want = retention.health_scores(shop[0], END).sort_values("customer_id").reset_index(drop=True)
    assert list(got.columns) == list(want.columns)
    np.testing.assert_array_equal(got["risk"], want["risk"])
    assert got["light"].tolist() == want["light"].tolist()
    assert [list(x) for x in got["reasons"]] == [list(x) for x in want["reasons"]]
    assert {"green", "amber", "red"} >= set(got["light"]) and len(set(got["light"])) > 1


def test_errors_are_the_core_typed_errors(spark, events, local_input):
    # An order after the observation end names the customer, as on one machine.
    with pytest.raises(retention.InvalidRowsError) as err:
        with rs.typed_errors():
            rs.model_input(events, "2024-06-01").collect()
    with pytest.raises(retention.InvalidRowsError) as local:
        retention.summary_data(retention.EventLog.from_frame(events.toArrow()), "2024-06-01")
    assert err.value.issues[0]["field"] == local.value.issues[0]["field"] == "last_order"
    with pytest.raises(TypeError, match="must be a Spark DataFrame"):
        rs.fit("bg_nbd", local_input)
    with pytest.raises(TypeError, match="retention.TransactionModel"):
        rs.scores(_frame(spark, local_input), "bg_nbd")
    with pytest.raises(KeyError):
        rs.fit("bg_nbd", spark.createDataFrame(pa.table({"frequency": [1.0]})))
