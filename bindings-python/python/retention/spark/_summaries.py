"""Events → per-customer summary state on Spark, and the exact merge of partial states.

The state is the one of :meth:`retention.Summaries.to_arrow`: one row per
customer, every part of the core's mergeable summary (orders, money as
``DECIMAL(38, 6)``, engagement counters, tickets, latest survey answers, MRR,
points, per-day order totals). Its columns and their merge rules come from
the core's field list (:func:`summary_schema`), so nothing here names a
summary field.

How it runs:

1. :func:`summaries` repartitions the events by customer (one shuffle), then
   on each executor runs the core on every Arrow batch of its partition
   (``mapInArrow``) and merges the batches' partial states with the core:
   a customer's events may span several batches, never two partitions.
2. :func:`merge_summaries` combines partial states of the same customer with
   Spark's own aggregates, which are exact on these types: ``min`` / ``max``
   of instants, ``sum`` of 64-bit counts and of ``DECIMAL(38, 6)`` money
   (fixed point, so any summation order gives the same digits), ``max`` of
   ``(time, score)`` structs for the latest survey answer (ties on time go
   to the greater score, as in the core), and for the order days the
   concatenated day-sorted lists, sorted, with the entries of equal days
   added (one fold per customer). All in one ``groupBy``, with Spark's
   partial aggregation before the shuffle.

The state is a commutative monoid (Rust ``CustomerSummary::merge``), so the
result equals the single-machine ``EventLog.summaries()`` exactly, for any
partitioning and any split into stored and fresh events.
"""

from __future__ import annotations

from typing import Any, Dict, Iterator, List, Optional

import pyarrow as pa

from .. import _retention, codes
from .._log import EventLog, Summaries
from ..errors import InvalidRowsError
from ._arrow import map_partitions, require_dataframe, spark_schema

__all__ = ["summary_schema", "summaries", "merge_summaries"]

_OUT_ROWS = 10_000  # rows per output Arrow batch

_EVENT_COLUMNS = ("customer_id", "timestamp", "event", "amount", "items", "score", "detail", "resolved")


def summary_schema(id_type: Any = None) -> pa.Schema:
    """The Arrow schema of the summary state, generated from the core's field list.

    Parameters
    ----------
    id_type : pyarrow.DataType, optional
        Type of ``customer_id``: ``pa.int64()`` (default) or ``pa.string()``.

    Returns
    -------
    pyarrow.Schema
        The schema of :meth:`retention.Summaries.to_arrow`; each field's
        metadata holds its merge rule (``merge``) and, for the two columns of a
        latest survey answer, the other column (``partner``).

    Raises
    ------
    TypeError
        If ``id_type`` is neither an integer nor a string type.

    Examples
    --------
    >>> import pyarrow as pa
    >>> from retention.spark import summary_schema
    >>> schema = summary_schema(pa.string())
    >>> schema.field("customer_id").type, schema.field("mrr").type
    (DataType(string), Decimal128Type(decimal128(38, 6)))
    >>> sorted(schema.field("survey_nps_score").metadata.items())
    [(b'merge', b'latest_value'), (b'partner', b'survey_nps_time')]
    """
    text = _text_ids(id_type)
    return pa.table(_retention.summary_state_schema(text_ids=text)).schema


def _text_ids(id_type: Any) -> bool:
    if id_type is None or pa.types.is_integer(id_type):
        return False
    if pa.types.is_string(id_type) or pa.types.is_large_string(id_type):
        return True
    raise TypeError(f"customer ids must be integers or strings, got {id_type}")


def _spark_id_type(df: Any, column: str) -> Any:
    from pyspark.sql.types import IntegralType, StringType

    try:
        dt = df.schema[column].dataType
    except (KeyError, LookupError):
        from ..errors import InvalidParameterError

        raise InvalidParameterError(
            f"invalid parameter customer_id = {column!r}: no such column in the input",
            name="customer_id",
            value=repr(column),
            reason="no such column in the input",
        ) from None
    if isinstance(dt, IntegralType):
        return pa.int64()
    if isinstance(dt, StringType):
        return pa.string()
    raise TypeError(f"column `{column}` (field `customer_id`) has type {dt.simpleString()}; expected integers or strings")


def _summarise_partition(names: Dict[str, str], id_column: str, schema: pa.Schema) -> Any:
    """The per-partition function: the core's summaries of each batch, merged by the core.

    The events were repartitioned by customer, so every customer's events are
    in this partition (possibly over several batches): merging the batches'
    partial states gives each customer's final state.
    """
    text = pa.types.is_string(schema.field("customer_id").type)

    def batch_state(batch: pa.RecordBatch) -> pa.Table:
        try:
            log = EventLog.from_frame(batch, **names)  # type: ignore[arg-type]
        except InvalidRowsError as e:
            ids = batch.column(id_column)
            for issue in e.issues:
                issue["customer_id"] = ids[issue["row"]].as_py()
            raise
        return log.summaries().to_arrow(text_ids=text)

    def run(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        states = [batch_state(b) for b in batches if b.num_rows]
        if not states:
            return
        state = states[0] if len(states) == 1 else Summaries.from_arrow(pa.concat_tables(states)).to_arrow(text_ids=text)
        yield from state.cast(schema).to_batches(max_chunksize=_OUT_ROWS)

    return run


def summaries(
    events: Any,
    *,
    customer_id: Optional[str] = None,
    timestamp: Optional[str] = None,
    event: Optional[str] = None,
    amount: Optional[str] = None,
    items: Optional[str] = None,
    score: Optional[str] = None,
    detail: Optional[str] = None,
    resolved: Optional[str] = None,
    duplicates: codes.DuplicatePolicy = "keep",
) -> Any:
    """Per-customer summary state of a Spark DataFrame of events: one row per customer, exact.

    The events are read exactly as :meth:`retention.EventLog.from_frame`
    reads a table (same columns, same validation). The events are
    repartitioned by customer; on the executors the core summarises every
    Arrow batch and merges the partial states of a partition. The result equals ``EventLog.from_frame(all
    events).summaries().to_arrow()`` row for row, whatever the partitioning.

    Parameters
    ----------
    events : pyspark.sql.DataFrame
        One row per event, any partitioning.
    customer_id, timestamp, event, amount, items, score, detail, resolved : str, optional
        Column names, as in :meth:`retention.EventLog.from_frame` (defaults:
        the field names; only ``customer_id`` and ``timestamp`` are required).
    duplicates : {"keep"}, default "keep"
        Only ``"keep"``: dropping or rejecting exact duplicate rows needs all
        rows of a customer in one place (use ``events.dropDuplicates()``
        first to drop them).

    Returns
    -------
    pyspark.sql.DataFrame
        The state, with the schema of :func:`summary_schema` (ids as integers
        or strings like the events' id column). Lazy: nothing runs before an
        action.

    Raises
    ------
    TypeError
        If ``events`` is not a Spark DataFrame, or the id column is neither
        integers nor strings.
    InvalidParameterError
        If a named column does not exist.
    NotImplementedError
        For ``duplicates`` other than ``"keep"``.
    InvalidRowsError
        When the job runs (inside :func:`retention.spark.typed_errors`),
        naming the invalid rows: ``row`` (position in the failing Arrow
        batch), ``customer_id``, ``field``, ``value``, ``kind``. No row is
        dropped silently.

    Examples
    --------
    >>> import retention
    >>> from pyspark.sql import SparkSession
    >>> from retention.spark import summaries
    >>> spark = SparkSession.builder.master("local[1]").config("spark.ui.enabled", "false").getOrCreate()
    >>> events = spark.createDataFrame(
    ...     [(1, "2024-01-05", 30.0), (1, "2024-02-10", 45.5), (2, "2024-01-20", 12.0)],
    ...     "customer_id long, timestamp string, amount double")
    >>> state = summaries(events.repartition(3))
    >>> [(r.customer_id, r.orders, str(r.revenue)) for r in state.orderBy("customer_id").collect()]
    [(1, 2, '75.500000'), (2, 1, '12.000000')]
    """
    require_dataframe(events, "events")
    if duplicates != "keep":
        raise NotImplementedError(
            f"duplicates={duplicates!r} is not supported on Spark (only 'keep'); "
            "use events.dropDuplicates() to drop exact duplicates"
        )
    given = dict(
        customer_id=customer_id,
        timestamp=timestamp,
        event=event,
        amount=amount,
        items=items,
        score=score,
        detail=detail,
        resolved=resolved,
    )
    present = set(events.columns)
    columns: List[str] = []
    names: Dict[str, str] = {}
    for field in _EVENT_COLUMNS:
        name = given[field] or field
        if given[field] is not None or name in present:
            names[field] = name
            if name in present and name not in columns:
                columns.append(name)
    id_column = names["customer_id"]
    schema = summary_schema(_spark_id_type(events, id_column))
    by_customer = events.select(*columns).repartition(id_column)
    return map_partitions(by_customer, _summarise_partition(names, id_column, schema), schema)


def _union_days(lists: Any, days_type: Any) -> Any:
    """The union of a customer's day-sorted order-day lists, summing the orders and revenue of equal days.

    Sorting the concatenated lists puts equal days next to each other; one
    left fold then adds each entry to the previous one when the day repeats.
    Sums of 64-bit counts and of ``DECIMAL(38, 6)`` (which stays
    ``DECIMAL(38, 6)``) are exact.
    """
    from pyspark.sql import functions as F

    def step(acc: Any, x: Any) -> Any:
        n = F.size(acc)
        last = F.try_element_at(acc, F.lit(-1))
        same = F.coalesce(last["day"] == x["day"], F.lit(False))
        summed = F.struct(
            x["day"].alias("day"),
            (last["orders"] + x["orders"]).alias("orders"),
            (last["revenue"] + x["revenue"]).alias("revenue"),
        )
        grown = F.when(same, F.concat(F.slice(acc, 1, n - 1), F.array(summed))).otherwise(F.concat(acc, F.array(x)))
        return grown.cast(days_type)

    return F.aggregate(F.array_sort(F.flatten(lists)), F.array().cast(days_type), step)


def merge_summaries(*states: Any) -> Any:
    """Merge summary states (e.g. a stored table and today's) into one row per customer, exactly.

    Equal to the state of all their events summarised at once: the daily
    incremental update is ``merge_summaries(stored, summaries(today))``.
    Rows of one customer may come from any number of inputs and partitions.
    Uses Spark's own aggregates, exact on these types (see the module notes).

    Parameters
    ----------
    *states : pyspark.sql.DataFrame
        States with the columns of :func:`summary_schema` (from
        :func:`summaries`, or :meth:`retention.Summaries.to_arrow` loaded into
        Spark); extra columns are ignored. At least one.

    Returns
    -------
    pyspark.sql.DataFrame
        The merged state, one row per customer, with the schema of
        :func:`summary_schema`.

    Raises
    ------
    TypeError
        If no state is given, or one is not a Spark DataFrame.

    Examples
    --------
    >>> from pyspark.sql import SparkSession
    >>> from retention.spark import merge_summaries, summaries
    >>> spark = SparkSession.builder.master("local[1]").config("spark.ui.enabled", "false").getOrCreate()
    >>> cols = "customer_id long, timestamp string, amount double"
    >>> stored = summaries(spark.createDataFrame([(1, "2024-01-05", 30.0)], cols))
    >>> today = summaries(spark.createDataFrame([(1, "2024-02-10", 45.5), (2, "2024-02-10", 12.0)], cols))
    >>> rows = merge_summaries(stored, today).orderBy("customer_id").collect()
    >>> [(r.customer_id, r.orders, str(r.revenue), len(r.order_days)) for r in rows]
    [(1, 2, '75.500000', 2), (2, 1, '12.000000', 1)]
    """
    from pyspark.sql import functions as F

    if not states:
        raise TypeError("merge_summaries needs at least one state")
    for i, s in enumerate(states):
        require_dataframe(s, f"states[{i}]")
    id_type = _spark_id_type(states[0], "customer_id")
    schema = summary_schema(id_type)
    names = schema.names
    union = states[0].select(*names)
    for s in states[1:]:
        union = union.unionByName(s.select(*names))
    target = spark_schema(schema)
    key = "customer_id"

    days_name = ""
    aggs = []
    outputs: Dict[str, Any] = {}
    for field in schema:
        rule = (field.metadata or {}).get(b"merge", b"").decode()
        name = field.name
        if rule == "min":
            aggs.append(F.min(name).alias(name))
        elif rule == "max":
            aggs.append(F.max(name).alias(name))
        elif rule == "sum":
            aggs.append(F.sum(name).alias(name))
        elif rule == "latest_time":
            partner = field.metadata[b"partner"].decode()
            # Greatest (time, score); Spark compares -0.0 and 0.0 as equal, the
            # core's total order puts 0.0 above -0.0: the text form breaks that tie.
            pair = F.struct(
                F.col(name).alias("t"), F.col(partner).alias("v"), F.col(partner).cast("string").alias("s")
            )
            aggs.append(F.max(pair).alias(f"__latest_{name}"))
            outputs[name] = F.col(f"__latest_{name}.t")
            outputs[partner] = F.col(f"__latest_{name}.v")
        elif rule == "union_days":
            days_name = name
    days_field = next(f for f in target.fields if f.name == days_name)
    aggs.append(_union_days(F.collect_list(days_name), days_field.dataType).alias(days_name))
    merged = union.groupBy(key).agg(*aggs)

    select = []
    for field, spark_field in zip(schema, target.fields):
        col = outputs.get(field.name, F.col(field.name))
        select.append(col.cast(spark_field.dataType).alias(field.name))
    return merged.select(*select)
