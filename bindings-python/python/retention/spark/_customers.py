"""Per-customer work on the executors: whole customers per core call.

The models and segments of :mod:`retention.spark` read either the summary
state (one row per customer, from :func:`retention.spark.summaries`) or raw
events. A batch of the summary state holds whole customers, so it goes to the
core as it is (:func:`~retention.spark._arrow.map_batches`). Events of one
customer can span batches; :func:`map_customer_groups` repartitions them by
customer, sorts each partition by customer and hands the core runs of whole
customers, carrying the last (possibly incomplete) customer of a batch over
to the next. Memory per task is one batch plus one customer's events.
"""

from __future__ import annotations

import warnings
from typing import Any, Callable, Iterator, Optional

import pyarrow as pa
import pyarrow.compute as pc

from ..errors import RetentionError
from ._arrow import _wrap_error, require_dataframe, spark_schema

__all__ = ["is_summary_state", "map_customer_groups", "id_type", "CUSTOMER_ID"]

#: Default name of the customer-id column (events and summary state).
CUSTOMER_ID = "customer_id"


def is_summary_state(df: Any) -> bool:
    """Whether ``df`` holds the summary state rather than events.

    The state (see :func:`retention.spark.summaries`) has the ``orders``
    and ``order_days`` columns, which event tables do not.

    Parameters
    ----------
    df : pyspark.sql.DataFrame
        Events or summary state.

    Returns
    -------
    bool

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> from retention.spark._customers import is_summary_state
    >>> is_summary_state(SimpleNamespace(columns=["customer_id", "timestamp", "amount"]))
    False
    """
    names = set(df.columns)
    return {"orders", "order_days"} <= names


def id_type(df: Any, column: str = CUSTOMER_ID) -> pa.DataType:
    """The Arrow type the core gives the customer ids of ``df``: int64 or string.

    Parameters
    ----------
    df : pyspark.sql.DataFrame
        Events or summary state with a customer-id column.
    column : str, default "customer_id"
        The id column.

    Returns
    -------
    pyarrow.DataType
        ``pa.int64()`` for integer ids, ``pa.string()`` otherwise.

    Raises
    ------
    KeyError
        If the column does not exist.

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> from retention.spark._customers import id_type
    >>> fake = SimpleNamespace(schema={"customer_id": SimpleNamespace(dataType=SimpleNamespace(typeName=lambda: "long"))})
    >>> id_type(fake)
    DataType(int64)
    """
    name = df.schema[column].dataType.typeName()
    return pa.int64() if name in ("long", "integer", "short", "byte") else pa.string()


def map_customer_groups(
    events: Any,
    fn: Callable[[pa.Table], pa.Table],
    schema: pa.Schema,
    *,
    customer_id: str = CUSTOMER_ID,
    partitions: Optional[int] = None,
) -> Any:
    """Run ``fn`` on runs of whole customers' events on the executors.

    The events are repartitioned by ``customer_id`` (``partitions`` or
    Spark's default number) and sorted by it within each partition; ``fn``
    receives a table holding every event of each customer it sees, and
    returns a table with ``schema``. A :class:`~retention.RetentionError`
    from ``fn`` fails the task so that :func:`retention.spark.typed_errors`
    rebuilds it on the driver; the ``row`` of an invalid event in it counts
    within the run of customers handed to the core (Spark rows have no
    global position), while ``field`` and ``value`` name the event.

    Parameters
    ----------
    events : pyspark.sql.DataFrame
        Event rows (any partitioning).
    fn : callable
        ``pyarrow.Table -> pyarrow.Table`` (picklable).
    schema : pyarrow.Schema
        The output schema.
    customer_id : str, default "customer_id"
        The customer-id column.
    partitions : int, optional
        Number of partitions of the repartition.

    Returns
    -------
    pyspark.sql.DataFrame
        The outputs of every call.

    Examples
    --------
    >>> import pyarrow as pa
    >>> from pyspark.sql import SparkSession
    >>> from retention.spark._customers import map_customer_groups
    >>> spark = SparkSession.builder.master("local[1]").config("spark.ui.enabled", "false").getOrCreate()
    >>> df = spark.createDataFrame([(1, 5.0), (2, 1.0), (1, 2.0)], "customer_id long, amount double")
    >>> out = pa.schema([("customer_id", pa.int64()), ("n", pa.int64())])
    >>> def count(t):
    ...     g = t.group_by("customer_id").aggregate([("amount", "count")])
    ...     return pa.table([g["customer_id"], g["amount_count"]], schema=out)
    >>> sorted(tuple(r) for r in map_customer_groups(df, count, out).collect())
    [(1, 2), (2, 1)]
    """
    require_dataframe(events, "events")
    if customer_id not in events.columns:
        raise KeyError(f"events have no column {customer_id!r}")
    parts = events.repartition(partitions, customer_id) if partitions else events.repartition(customer_id)
    parts = parts.sortWithinPartitions(customer_id)

    def call(table: pa.Table) -> Iterator[pa.RecordBatch]:
        try:
            result = fn(table)
        except RetentionError as e:
            raise _wrap_error(e) from None
        if result.schema != schema:
            result = result.cast(schema, safe=True)
        yield from result.to_batches()

    def run(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        carry: Optional[pa.Table] = None
        for batch in batches:
            if batch.num_rows == 0:
                continue
            table = pa.Table.from_batches([batch])
            if carry is not None:
                table = pa.concat_tables([carry, table])
            ids = table.column(customer_id)
            last = ids[len(ids) - 1]
            # Sorted by id: the last customer's rows are a suffix.
            if last.is_valid:
                cut = len(table) - (pc.sum(pc.equal(ids, last)).as_py() or 0)
            else:  # nulls sort first: every id is null, the core names them
                cut = len(table)
            if cut > 0:
                yield from call(table.slice(0, cut))
            carry = table.slice(cut) if cut < len(table) else None
        if carry is not None and len(carry) > 0:
            yield from call(carry)

    with warnings.catch_warnings():
        # mapInArrow runs pandas_udf's version check, which warns under
        # pandas 3; this door moves Arrow batches only, never pandas.
        warnings.filterwarnings("ignore", message="PySpark does not yet fully support pandas")
        return parts.mapInArrow(run, spark_schema(schema))
