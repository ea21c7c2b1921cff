"""Shared plumbing of the Spark door: session checks, schema conversion, one core call per Arrow batch, typed errors.

Every function of :mod:`retention.spark` runs the Rust core on the executors
the same way: :func:`map_batches` wraps a function of one Arrow record batch
(which calls ONE core function through the ``retention`` package) into a
``DataFrame.mapInArrow`` job with a declared output schema. Only the DataFrame
API is used (no RDD, no ``SparkContext``), so the same code runs on shared and
serverless clusters.

Errors raised by the core on an executor (an :class:`~retention.InvalidRowsError`
naming the row, field and value, for example) travel to the driver inside
Spark's own exception; :func:`typed_errors` turns them back into the same
``retention.errors`` class the single-machine API raises.
"""

from __future__ import annotations

import base64
import contextlib
import pickle
import re
import warnings
from typing import Any, Callable, Iterator, Optional

import pyarrow as pa

from ..errors import RetentionError

__all__ = [
    "require_dataframe",
    "spark_schema",
    "arrow_schema",
    "map_batches",
    "map_partitions",
    "typed_errors",
    "ERROR_MARK",
]

#: Marker around a pickled core error in an executor's exception message.
ERROR_MARK = "RETENTION_ERROR"
_PANDAS3_WARNING = "PySpark does not yet fully support pandas"
_ERROR_RE = re.compile(ERROR_MARK + r"\[([A-Za-z0-9+/=]+)\]")


def require_dataframe(df: Any, name: str) -> Any:
    """Check that ``df`` is a Spark DataFrame (classic or Connect) and return it.

    Parameters
    ----------
    df : pyspark.sql.DataFrame
        The argument to check.
    name : str
        The argument's name, for the message.

    Returns
    -------
    pyspark.sql.DataFrame
        ``df`` itself.

    Raises
    ------
    TypeError
        If ``df`` is not a Spark DataFrame.

    Examples
    --------
    >>> from retention.spark._arrow import require_dataframe
    >>> try:
    ...     require_dataframe([1, 2], "events")
    ... except TypeError as e:
    ...     print(e)
    events must be a Spark DataFrame, got list
    """
    if not (hasattr(df, "mapInArrow") and hasattr(df, "sparkSession") and hasattr(df, "schema")):
        raise TypeError(f"{name} must be a Spark DataFrame, got {type(df).__name__}")
    return df


def spark_schema(schema: pa.Schema) -> Any:
    """The Spark ``StructType`` of an Arrow schema (decimals, UTC timestamps, lists of structs).

    Parameters
    ----------
    schema : pyarrow.Schema
        The Arrow schema (e.g. :func:`retention.spark.summary_schema`).

    Returns
    -------
    pyspark.sql.types.StructType
        The same fields as Spark types (``decimal128(38, 6)`` →
        ``DecimalType(38, 6)``, ``timestamp[us, UTC]`` → ``TimestampType``).

    Examples
    --------
    >>> import pyarrow as pa
    >>> from retention.spark._arrow import spark_schema
    >>> spark_schema(pa.schema([("revenue", pa.decimal128(38, 6))])).simpleString()
    'struct<revenue:decimal(38,6)>'
    """
    from pyspark.sql.pandas.types import from_arrow_schema

    return from_arrow_schema(schema)


def arrow_schema(struct: Any) -> pa.Schema:
    """The Arrow schema of a Spark ``StructType`` (inverse of :func:`spark_schema`).

    Parameters
    ----------
    struct : pyspark.sql.types.StructType
        A Spark schema, e.g. ``df.schema``.

    Returns
    -------
    pyarrow.Schema

    Examples
    --------
    >>> from pyspark.sql.types import DecimalType, StructField, StructType
    >>> from retention.spark._arrow import arrow_schema
    >>> arrow_schema(StructType([StructField("revenue", DecimalType(38, 6))])).field("revenue").type
    Decimal128Type(decimal128(38, 6))
    """
    from pyspark.sql.pandas.types import to_arrow_schema

    return to_arrow_schema(struct)


def _wrap_error(e: RetentionError) -> RuntimeError:
    blob = base64.b64encode(pickle.dumps(e)).decode("ascii")
    return RuntimeError(f"{type(e).__name__}: {e} {ERROR_MARK}[{blob}]")


def map_batches(
    df: Any,
    fn: Callable[[pa.RecordBatch], pa.RecordBatch],
    schema: pa.Schema,
) -> Any:
    """Run ``fn`` on every Arrow batch of ``df`` on the executors (``mapInArrow``).

    ``fn`` takes one record batch of ``df``'s rows and returns one record
    batch with exactly ``schema`` (it is cast to it, strictly). A
    :class:`~retention.RetentionError` raised by ``fn`` fails the task with a
    message that :func:`typed_errors` turns back into the same error on the
    driver. Nothing runs until an action (``collect``, ``write``…).

    Parameters
    ----------
    df : pyspark.sql.DataFrame
        The input rows, on any partitioning.
    fn : callable
        ``pyarrow.RecordBatch -> pyarrow.RecordBatch``; it must be picklable
        (a module-level function or a closure over picklable values).
    schema : pyarrow.Schema
        The output schema.

    Returns
    -------
    pyspark.sql.DataFrame
        The concatenated outputs, one output batch per input batch.

    Examples
    --------
    >>> import pyarrow as pa
    >>> from pyspark.sql import SparkSession
    >>> from retention.spark._arrow import map_batches
    >>> spark = SparkSession.builder.master("local[1]").config("spark.ui.enabled", "false").getOrCreate()
    >>> df = spark.createDataFrame([(1,), (2,)], "x long")
    >>> out = pa.schema([("y", pa.int64())])
    >>> double = lambda b: pa.record_batch([pa.compute.multiply(b.column(0), 2)], schema=out)
    >>> sorted(r.y for r in map_batches(df, double, out).collect())
    [2, 4]
    """
    require_dataframe(df, "df")

    def run(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        for batch in batches:
            yield fn(batch)

    return map_partitions(df, run, schema)


def map_partitions(
    df: Any,
    fn: Callable[[Iterator[pa.RecordBatch]], Iterator[pa.RecordBatch]],
    schema: pa.Schema,
) -> Any:
    """Run ``fn`` on the stream of Arrow batches of each partition of ``df`` (``mapInArrow``).

    For work that needs a whole partition at once, e.g. merging the partial
    results of its batches after ``df.repartition(key)`` has put all rows of
    a key in one partition. Outputs are cast to ``schema``; core errors travel
    as in :func:`map_batches`.

    Parameters
    ----------
    df : pyspark.sql.DataFrame
        The input rows.
    fn : callable
        ``Iterator[pyarrow.RecordBatch] -> Iterator[pyarrow.RecordBatch]``,
        picklable.
    schema : pyarrow.Schema
        The output schema.

    Returns
    -------
    pyspark.sql.DataFrame

    Examples
    --------
    >>> import pyarrow as pa
    >>> from pyspark.sql import SparkSession
    >>> from retention.spark._arrow import map_partitions
    >>> spark = SparkSession.builder.master("local[1]").config("spark.ui.enabled", "false").getOrCreate()
    >>> out = pa.schema([("rows", pa.int64())])
    >>> def count(batches):
    ...     yield pa.record_batch([pa.array([sum(b.num_rows for b in batches)])], schema=out)
    >>> sum(r.rows for r in map_partitions(spark.range(10).repartition(3), count, out).collect())
    10
    """
    require_dataframe(df, "df")

    def run(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        try:
            for result in fn(batches):
                yield result.cast(schema, safe=True) if result.schema != schema else result
        except RetentionError as e:
            raise _wrap_error(e) from None

    with warnings.catch_warnings():
        # mapInArrow goes through pandas_udf's version check, which warns
        # under pandas 3; this path exchanges Arrow batches only, no pandas.
        warnings.filterwarnings("ignore", message=_PANDAS3_WARNING, category=FutureWarning)
        return df.mapInArrow(run, spark_schema(schema))


def _find_error(exc: BaseException) -> Optional[RetentionError]:
    seen = set()
    stack = [exc]
    while stack:
        e = stack.pop()
        if id(e) in seen:
            continue
        seen.add(id(e))
        m = _ERROR_RE.search(str(e))
        if m:
            err = pickle.loads(base64.b64decode(m.group(1)))
            if isinstance(err, RetentionError):
                return err
        for nxt in (e.__cause__, e.__context__):
            if nxt is not None:
                stack.append(nxt)
    return None


@contextlib.contextmanager
def typed_errors() -> Iterator[None]:
    """Re-raise core errors from failed Spark jobs as the ``retention.errors`` class the single-machine API raises.

    Use it around the action that runs the job (``collect``, ``write``,
    ``count``…). Other failures propagate unchanged.

    Yields
    ------
    None

    Raises
    ------
    RetentionError
        The core's typed error (e.g. :class:`~retention.InvalidRowsError`
        with ``issues`` naming row, field and value) when an executor failed
        with one.

    Examples
    --------
    >>> import retention
    >>> from retention.spark import typed_errors
    >>> with typed_errors():
    ...     print("no job, no error")
    no job, no error
    """
    try:
        yield
    except RetentionError:
        raise
    except Exception as e:  # Spark's PythonException / Py4JJavaError / SparkConnect errors
        err = _find_error(e)
        if err is None:
            raise
        raise err from None
