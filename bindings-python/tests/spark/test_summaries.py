"""retention.spark summaries and merges equal the single-machine summaries exactly.

Equality is the core's own (``Summaries.__eq__`` compares the fixed-point
money to the micro-unit, every counter, instant and order day), after reading
the Spark result back with ``Summaries.from_arrow``; the Arrow tables are also
compared column by column, so types and row contents match too.
"""

import datetime as dt

import pyarrow as pa
import pyarrow.compute as pc
import pytest

import retention

pyspark = pytest.importorskip("pyspark")

from pyspark.sql import functions as F  # noqa: E402

import retention.spark as rs  # noqa: E402

CUSTOMERS = 400  # sample shop customers: ~10k events, every event kind


@pytest.fixture(scope="module")
def shop():
    table = retention.sample_events(customers=CUSTOMERS, library="pyarrow")
    log = retention.EventLog.from_frame(table)
    return table, log.summaries()


@pytest.fixture(scope="module")
def events(spark, shop):
    return spark.createDataFrame(shop[0]).cache()


@pytest.fixture
def small_batches(spark):
    """Arrow batches of 500 rows, so that customers straddle batches and partitions."""
    key = "spark.sql.execution.arrow.maxRecordsPerBatch"
    old = spark.conf.get(key)
    spark.conf.set(key, "500")
    yield
    spark.conf.set(key, old)


def collected(state):
    """A Spark state as the single-machine table, in customer order."""
    table = state.toArrow()
    return table.sort_by("customer_id")


def assert_same(state, expected):
    table = collected(state)
    assert retention.Summaries.from_arrow(table) == expected
    want = expected.to_arrow()
    assert table.column_names == want.column_names
    for name in want.column_names:
        got, exp = table.column(name).combine_chunks(), want.column(name).combine_chunks()
        if pa.types.is_timestamp(exp.type):
            got, exp = got.cast(pa.int64()), exp.cast(pa.int64())
        assert got.to_pylist() == exp.to_pylist(), name


def test_sample_shop_has_every_part_of_the_state(shop):
    """The comparison below is only meaningful if the data exercise every column."""
    state = shop[1].to_arrow()
    for name in ("sessions", "tickets_opened_critical", "survey_nps_score", "mrr", "points_earned", "refunds"):
        col = state.column(name)
        assert pc.sum(pc.is_valid(col)).as_py() > 0, name
        if pa.types.is_decimal(col.type) or pa.types.is_integer(col.type):
            assert pc.max(col).as_py() > 0, name
    days = pc.list_value_length(state.column("order_days"))
    assert pc.sum(days).as_py() > CUSTOMERS


@pytest.mark.parametrize("partitions", [1, 3, 8, "random"])
def test_summaries_equal_single_machine(spark, events, shop, small_batches, partitions):
    if partitions == "random":
        df = events.repartition(5, F.rand(seed=7))
    else:
        df = events.repartition(partitions)
    assert_same(rs.summaries(df), shop[1])


def test_merged_partial_summaries_equal_single_machine(spark, events, shop, small_batches):
    bucket = F.abs(F.xxhash64(*events.columns)) % 3  # a split that mixes customers and days
    parts = [events.where(bucket == i) for i in range(3)]
    assert all(p.count() > 1000 for p in parts)
    states = [rs.summaries(p.repartition(3)) for p in parts]
    assert_same(rs.merge_summaries(*states), shop[1])
    # Merging is insensitive to the order of its inputs and to re-merging.
    assert_same(rs.merge_summaries(rs.merge_summaries(states[2], states[0]), states[1]), shop[1])


def test_single_machine_state_merges_with_spark_state(spark, shop):
    """A state stored by the single-machine API merges with a Spark one."""
    table, whole = shop
    cut = pa.scalar(dt.datetime(2024, 6, 1, tzinfo=dt.timezone.utc), pa.timestamp("us", tz="UTC"))
    before = table.filter(pc.less(table.column("timestamp"), cut))
    after = table.filter(pc.greater_equal(table.column("timestamp"), cut))
    stored = spark.createDataFrame(retention.EventLog.from_frame(before).summaries().to_arrow())
    fresh = rs.summaries(spark.createDataFrame(after).repartition(2))
    assert_same(rs.merge_summaries(stored, fresh), whole)


def test_day_by_day_incremental_merge_over_a_month(spark, shop):
    """Stored state + each day's events, for every day of December 2024 = one-shot summary."""
    table, whole = shop
    stamp = lambda d: pa.scalar(d, pa.timestamp("us", tz="UTC"))  # noqa: E731
    start = dt.datetime(2024, 12, 1, tzinfo=dt.timezone.utc)
    ts = table.column("timestamp")
    stored = rs.summaries(spark.createDataFrame(table.filter(pc.less(ts, stamp(start)))))
    stored = spark.createDataFrame(stored.toArrow())  # the stored table
    days_with_events = 0
    for i in range(31):
        lo, hi = start + dt.timedelta(days=i), start + dt.timedelta(days=i + 1)
        day = table.filter(pc.and_(pc.greater_equal(ts, stamp(lo)), pc.less(ts, stamp(hi))))
        days_with_events += day.num_rows > 0
        fresh = rs.summaries(spark.createDataFrame(day))
        # Materialise like a daily job writing its table, so plans do not nest 31 deep.
        stored = spark.createDataFrame(rs.merge_summaries(stored, fresh).toArrow())
    assert days_with_events == 31
    assert table.filter(pc.greater_equal(ts, stamp(start + dt.timedelta(days=31)))).num_rows == 0
    assert_same(stored, whole)


def test_a_task_that_fails_once_and_is_retried_gives_the_same_result(spark, events, shop, small_batches, tmp_path):
    """The first attempt of one task fails after passing on part of its input; the retry recomputes it."""
    from pyspark import TaskContext

    def failing_once(marker, at):
        def fail_first_attempt(batches):
            ctx = TaskContext.get()
            for i, batch in enumerate(batches):
                if ctx.partitionId() == 1 and ctx.attemptNumber() == 0 and i == at:
                    open(marker, "w").close()  # the failure did happen
                    raise RuntimeError("injected failure")
                yield batch

        return fail_first_attempt

    events_marker, state_marker = str(tmp_path / "events"), str(tmp_path / "state")
    flaky = events.repartition(3).mapInArrow(failing_once(events_marker, 1), events.schema)
    assert_same(rs.summaries(flaky), shop[1])
    state = rs.summaries(events.repartition(3)).repartition(3)
    assert_same(rs.merge_summaries(state.mapInArrow(failing_once(state_marker, 0), state.schema)), shop[1])
    assert (tmp_path / "events").exists() and (tmp_path / "state").exists()


def test_text_ids_and_other_column_names(spark):
    data = {
        "who": ["b", "a", "b", "a"],
        "when": ["2024-01-05T10:00:00Z", "2024-01-05T11:00:00Z", "2024-03-01T00:00:00Z", "2024-01-05T12:00:00Z"],
        "total": [10.25, 3.0, 4.75, 0.000001],
    }
    single = retention.EventLog.from_dict(data, customer_id="who", timestamp="when", amount="total").summaries()
    df = spark.createDataFrame(pa.table(data)).repartition(4)
    state = rs.summaries(df, customer_id="who", timestamp="when", amount="total")
    assert state.schema["customer_id"].dataType.simpleString() == "string"
    assert_same(state, single)
    rows = {r.customer_id: r for r in state.collect()}
    assert str(rows["a"].revenue) == "3.000001"
    # Two orders on one day for "a": one order day with both.
    assert [(d.orders, str(d.revenue)) for d in rows["a"].order_days] == [(2, "3.000001")]


def test_latest_survey_tie_on_time_goes_to_the_greater_score_as_in_the_core(spark):
    """Same instant, same question, answers 0 and -0: the core keeps +0 (total order)."""
    data = {
        "customer_id": [1, 1, 1],
        "timestamp": ["2024-01-05T10:00:00Z"] * 3,
        "event": ["survey", "survey", "order"],
        "amount": [None, None, 5.0],
        "score": [-0.0, 0.0, None],
        "detail": ["nps", "nps", None],
    }
    single = retention.EventLog.from_dict(data).summaries()
    single_score = single.to_arrow().column("survey_nps_score")[0].as_py()
    assert str(single_score) == "0.0"
    for order in ([0, 1, 2], [1, 0, 2]):
        table = pa.table(data).take(order)
        df = spark.createDataFrame(table).repartition(3, F.monotonically_increasing_id())
        got = collected(rs.summaries(df)).column("survey_nps_score")[0].as_py()
        assert str(got) == "0.0"


def test_invalid_event_rows_fail_the_job_with_the_core_typed_error(spark):
    data = {
        "customer_id": [1, 2, 3],
        "timestamp": ["2024-01-05", "2024-01-06", "not a time"],
        "amount": [5.0, -3.0, 1.0],
    }
    with pytest.raises(retention.InvalidRowsError) as single:
        retention.EventLog.from_dict(data)
    state = rs.summaries(spark.createDataFrame(pa.table(data)).coalesce(1))
    with pytest.raises(retention.InvalidRowsError) as spark_err:
        with rs.typed_errors():
            state.collect()
    got = [(i["customer_id"], i["field"], i["value"], i["kind"]) for i in spark_err.value.issues]
    assert got == [(2, "amount", "-3", "negative"), (3, "timestamp", "not a time", "unparseable")]
    # The same issues as the single-machine API (rows: positions in the one batch here).
    strip = lambda issues: [{k: v for k, v in i.items() if k != "customer_id"} for i in issues]  # noqa: E731
    assert strip(spark_err.value.issues) == single.value.issues


def test_bad_arguments(spark, events):
    with pytest.raises(TypeError, match="events must be a Spark DataFrame"):
        rs.summaries(retention.sample_events(customers=3))
    with pytest.raises(NotImplementedError, match="duplicates='drop'"):
        rs.summaries(events, duplicates="drop")
    with pytest.raises(retention.InvalidParameterError):
        rs.summaries(events, customer_id="nope")
    with pytest.raises(TypeError, match="at least one"):
        rs.merge_summaries()


def test_other_spark_failures_pass_through_typed_errors(spark):
    with pytest.raises(Exception) as e:
        with rs.typed_errors():
            spark.sql("select raise_error('boom')").collect()
    assert not isinstance(e.value, retention.RetentionError)
    assert "boom" in str(e.value)
