"""RFM scores, lifecycle stages, cohort matrices and Kaplan–Meier curves on Spark.

* :func:`rfm`: rank-first quantile scores equal to :func:`retention.rfm`
  for any partitioning. The values are computed per customer on the
  executors; Spark counts each distinct value (three small histograms
  reach the driver), the core turns them into *cut keys* once (see
  ``retention_core::segments::rfm_cuts``), and the executors score their
  customers against them. Ties are ranked by customer id as on one
  machine: only customers whose value straddles a bin edge need their rank
  among equal values, which Spark computes for those few values alone.
* :func:`lifecycle`: per-customer stages, on the executors.
* :func:`cohort_cells` / :func:`cohort_matrix`: each partition counts its
  customers' cohort cells (size, eligible, retained, exact revenue); Spark
  sums them; the driver takes the ratios once, from whole counts.
* :func:`kaplan_meier`: Spark counts the subjects per (duration, event);
  the driver fits the product-limit estimator with the counts as case
  weights (Kaplan & Meier 1958; Greenwood's variance), the same curve as
  :func:`retention.kaplan_meier` on every subject.
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Sequence, Tuple

import numpy as np
import pyarrow as pa
import pyarrow.compute  # noqa: F401  (pa.compute)

from .. import _retention, codes
from .._frames import from_arrow, micros
from .._log import Summaries
from ._arrow import map_batches, require_dataframe, typed_errors
from ._customers import CUSTOMER_ID, id_type, is_summary_state, map_customer_groups
from ._models import _event_columns, _log_of, _one_batch

__all__ = ["rfm", "lifecycle", "cohort_cells", "cohort_matrix", "kaplan_meier"]

_DIMENSIONS = ("recency_days", "frequency", "monetary")
_TIES = ("ties_recency", "ties_frequency", "ties_monetary")


def _per_customer(data: Any, call: Any, schema: pa.Schema, customer_id: str, columns: Dict[str, Optional[str]]) -> Any:
    """Run ``call(summaries)`` per batch of the state, or per run of whole customers' events."""
    if is_summary_state(data):
        return map_batches(data, _state_fn(call), schema)
    return map_customer_groups(data, _events_fn(call, _event_columns(customer_id, columns)), schema, customer_id=customer_id)


def _state_fn(call: Any) -> Any:
    def fn(batch: pa.RecordBatch) -> pa.RecordBatch:
        return _one_batch(call(Summaries.from_arrow(batch)))
    return fn


def _events_fn(call: Any, columns: Dict[str, Optional[str]]) -> Any:
    def fn(table: pa.Table) -> pa.Table:
        return pa.table(call(_log_of(table, columns).summaries()))
    return fn


class _RfmValues:
    """Picklable core call: RFM values of a batch's customers."""

    def __init__(self, as_of: int, frequency: codes.FrequencyBasis, monetary: codes.MonetaryBasis) -> None:
        self.as_of, self.frequency, self.monetary = as_of, frequency, monetary

    def __call__(self, s: Summaries) -> Any:
        return _retention.rfm_values(s._inner, self.as_of, frequency=self.frequency, monetary=self.monetary)


class _Lifecycle:
    """Picklable core call: lifecycle stages of a batch's customers."""

    def __init__(self, as_of: int, options: Dict[str, Any]) -> None:
        self.as_of, self.options = as_of, options

    def __call__(self, s: Summaries) -> Any:
        return _retention.lifecycle(s._inner, self.as_of, **self.options)


def _with_ties(values: Any, dimension: str, tie: str, split: List[float], customer_id: str) -> Any:
    """Add the tie position (customers with the same value and a smaller id) where it matters."""
    from pyspark.sql import Window
    from pyspark.sql import functions as F

    if not split:
        return values.withColumn(tie, F.lit(0).cast("long"))
    straddles = F.coalesce(F.col(dimension).isin(split), F.lit(False))
    ranked = values.where(straddles).withColumn(
        tie, (F.row_number().over(Window.partitionBy(dimension).orderBy(customer_id)) - 1).cast("long")
    )
    rest = values.where(~straddles).withColumn(tie, F.lit(0).cast("long"))
    return ranked.unionByName(rest)


def _score_fn(cuts: Dict[str, Any], segments: Optional[List[Tuple[str, str]]]) -> Any:
    def fn(batch: pa.RecordBatch) -> pa.RecordBatch:
        c = batch.column
        table = _retention.rfm_score(
            c("customer_id"), c("recency_days"), c("frequency"), c("monetary"),
            c("ties_recency"), c("ties_frequency"), c("ties_monetary"), cuts, segments=segments,
        )
        return _one_batch(table)
    return fn


def rfm(
    data: Any,
    as_of: Any,
    *,
    bins: int = 5,
    frequency: codes.FrequencyBasis = "orders",
    monetary: codes.MonetaryBasis = "total",
    segments: Optional[Sequence[Tuple[str, str]]] = None,
    customer_id: str = CUSTOMER_ID,
    **columns: Optional[str],
) -> Tuple[Any, Dict[str, List[float]]]:
    """RFM scores and segments equal to :func:`retention.rfm`, for any partitioning.

    Values per customer on the executors, global rank-first quantile bins
    from three value histograms (computed once on the driver), scores on the
    executors; see the module docs. The per-customer values are persisted
    (``DataFrame.persist``) for the two passes over them; Spark evicts them
    when memory is needed.

    Parameters
    ----------
    data : pyspark.sql.DataFrame
        The summary state (one row per customer) or events.
    as_of : str or datetime-like
        The instant of the scoring.
    bins : int, default 5
        Score levels per dimension (2..9).
    frequency : {"orders", "order_days"}, default "orders"
        Frequency basis.
    monetary : {"total", "mean"}, default "total"
        Monetary basis.
    segments : sequence of (str, str), optional
        Segment rules ``(name, pattern)``; ``None`` uses the built-in table.
    customer_id : str, default "customer_id"
        The customer-id column.
    **columns : str
        Other event column names (events only).

    Returns
    -------
    scores : pyspark.sql.DataFrame
        Columns ``customer_id``, ``recency_days``, ``frequency``,
        ``monetary``, ``r``, ``f``, ``m`` and ``segment``.
    thresholds : dict
        ``"recency"``, ``"frequency"`` and ``"monetary"``: the largest value
        in each of the bins ``1..bins−1`` (as ``attrs["thresholds"]`` of
        the single-machine result).

    Raises
    ------
    InvalidRowsError
        Naming every customer with an order after ``as_of``.
    InvalidParameterError
        If ``bins`` is not in 2..9 or a segment pattern cannot be parsed.
    UnknownCodeError
        If ``frequency`` or ``monetary`` is not one of its codes.

    Examples
    --------
    >>> import retention, retention.spark as rs
    >>> from pyspark.sql import SparkSession
    >>> spark = SparkSession.builder.master("local[1]").config("spark.ui.enabled", "false").getOrCreate()
    >>> log = retention.EventLog.sample(seed=42, customers=50)
    >>> scores, thresholds = rs.rfm(spark.createDataFrame(log.to_frame("pyarrow")), "2025-01-01")
    >>> local = retention.rfm(log, "2025-01-01")
    >>> thresholds == local.attrs["thresholds"]
    True
    """
    require_dataframe(data, "data")
    from pyspark.sql import functions as F

    stamp = micros(as_of, "as_of")
    ids = id_type(data, customer_id)
    values_schema = pa.schema([("customer_id", ids), *((d, pa.float64()) for d in _DIMENSIONS)])
    values = _per_customer(data, _RfmValues(stamp, frequency, monetary), values_schema, customer_id, columns)
    # Read twice (the histograms, then the scores): kept rather than
    # recomputed from the events (Spark recomputes lost parts).
    values = values.persist()
    # The three histograms in one job: (dimension, value) → customers.
    pairs = F.explode(F.array(*(F.struct(F.lit(i).alias("dim"), F.col(d).alias("value")) for i, d in enumerate(_DIMENSIONS))))
    counted = (
        values.where(F.col(_DIMENSIONS[0]).isNotNull()).select(pairs.alias("p"))
        .groupBy("p.dim", "p.value").agg(F.count(F.lit(1)).alias("n"))
    )
    with typed_errors():
        h = counted.toArrow()
    hists = []
    for i in range(len(_DIMENSIONS)):
        part = h.filter(pa.compute.equal(h.column("dim"), i))
        hists += [part.column("value").combine_chunks(), part.column("n").combine_chunks()]
    cuts = _retention.rfm_cuts(*hists, bins=int(bins))
    rules = None if segments is None else [(str(a), str(b)) for a, b in segments]
    for d, tie, key in zip(_DIMENSIONS, _TIES, ("recency", "frequency", "monetary")):
        split = [c["value"] for c in cuts[key]["cuts"] if c is not None and c["split"]]
        values = _with_ties(values, d, tie, sorted(set(split)), "customer_id")
    schema = pa.schema([
        ("customer_id", ids), *((d, pa.float64()) for d in _DIMENSIONS),
        ("r", pa.int64()), ("f", pa.int64()), ("m", pa.int64()), ("segment", pa.string()),
    ])
    scores = map_batches(values, _score_fn(cuts, rules), schema)
    return scores, dict(cuts["thresholds"])


def lifecycle(
    data: Any,
    as_of: Any,
    *,
    customer_id: str = CUSTOMER_ID,
    columns: Optional[Dict[str, str]] = None,
    **options: Any,
) -> Any:
    """Lifecycle stage per customer as of an instant, on the executors.

    The stages of :func:`retention.lifecycle` (each depends on its own
    customer only), for any partitioning.

    Parameters
    ----------
    data : pyspark.sql.DataFrame
        The summary state (one row per customer) or events.
    as_of : str or datetime-like
        The instant.
    customer_id : str, default "customer_id"
        The customer-id column.
    columns : dict, optional
        Other event column names (events only), e.g. ``{"amount": "total"}``.
    **options
        The thresholds of :func:`retention.lifecycle` (``new_window_days``,
        ``at_risk_gap_multiple``, ``inactive_after_days``,
        ``churn_window_days``, ``loyal_orders``).

    Returns
    -------
    pyspark.sql.DataFrame
        Columns ``customer_id``, ``stage``, ``days_since_last_order``,
        ``typical_gap_days`` and ``inactive_warning``.

    Raises
    ------
    InvalidRowsError
        Naming every customer with an order after ``as_of``.
    InvalidParameterError
        If a threshold is impossible.

    Examples
    --------
    >>> import retention, retention.spark as rs
    >>> from pyspark.sql import SparkSession
    >>> spark = SparkSession.builder.master("local[1]").config("spark.ui.enabled", "false").getOrCreate()
    >>> events = spark.createDataFrame([(1, "2024-01-05", 30.0)], "customer_id long, timestamp string, amount double")
    >>> [r.stage for r in rs.lifecycle(events, "2024-01-20").collect()]
    ['new']
    """
    require_dataframe(data, "data")
    schema = pa.schema([
        ("customer_id", id_type(data, customer_id)), ("stage", pa.string()),
        ("days_since_last_order", pa.float64()), ("typical_gap_days", pa.float64()),
        ("inactive_warning", pa.bool_()),
    ])
    return _per_customer(data, _Lifecycle(micros(as_of, "as_of"), dict(options)), schema, customer_id, dict(columns or {}))


_CELLS_SCHEMA = pa.schema([
    ("cohort_period", pa.int64()), ("cohort", pa.string()), ("age", pa.int32()),
    ("customers", pa.int64()), ("retained", pa.int64()), ("revenue", pa.decimal128(38, 6)),
])


def _cells_fn(as_of: int, options: Dict[str, Any], columns: Dict[str, Optional[str]]) -> Any:
    def fn(table: pa.Table) -> pa.Table:
        return pa.table(_retention.cohort_cells(_log_of(table, columns)._log, as_of, **options))
    return fn


def cohort_cells(
    events: Any,
    as_of: Any,
    *,
    period: codes.Period = "month",
    mode: codes.RetentionMode = "return_on",
    qualifying: codes.QualifyingEvents = "orders",
    revenue: codes.RevenueBasis = "net",
    max_age: Optional[int] = None,
    customer_id: str = CUSTOMER_ID,
    **columns: Optional[str],
) -> Any:
    """Acquisition-cohort cells, counted per partition and summed by Spark.

    One row per cohort and age: ``customers`` eligible at that age,
    ``retained`` among them and their ``revenue`` in that period (exact
    decimals), plus a row with a null ``age`` holding the cohort's size.
    The cells of disjoint customers add up, so these sums are the counts
    behind :func:`retention.cohort_matrix` on all the events.

    Parameters
    ----------
    events : pyspark.sql.DataFrame
        Event rows.
    as_of : str or datetime-like
        The instant; events after it raise.
    period, mode, qualifying, revenue, max_age
        As :func:`retention.cohort_matrix`.
    customer_id : str, default "customer_id"
        The customer-id column.
    **columns : str
        Other event column names.

    Returns
    -------
    pyspark.sql.DataFrame
        Columns ``cohort_period`` (calendar index), ``cohort`` (label),
        ``age``, ``customers``, ``retained`` and ``revenue``
        (``DECIMAL(38, 6)``), one row per cohort and age.

    Raises
    ------
    InvalidRowsError
        Naming every event after ``as_of``.
    UnknownCodeError
        If a code is not one of its vocabulary's.

    Examples
    --------
    >>> import retention.spark as rs
    >>> from pyspark.sql import SparkSession
    >>> spark = SparkSession.builder.master("local[1]").config("spark.ui.enabled", "false").getOrCreate()
    >>> events = spark.createDataFrame([(1, "2024-01-05", 30.0), (1, "2024-02-10", 45.5), (2, "2024-01-20", 12.0)],
    ...     "customer_id long, timestamp string, amount double")
    >>> [(r.cohort, r.age, r.customers, r.retained, str(r.revenue)) for r in rs.cohort_cells(events, "2024-03-01").orderBy("age").collect()]
    [('2024-01', None, 2, 0, '0.000000'), ('2024-01', 0, 2, 2, '42.000000'), ('2024-01', 1, 2, 1, '45.500000')]
    """
    require_dataframe(events, "events")
    from pyspark.sql import functions as F

    options = {"period": period, "mode": mode, "qualifying": qualifying, "revenue": revenue,
               "max_age": None if max_age is None else int(max_age)}
    fn = _cells_fn(micros(as_of, "as_of"), options, _event_columns(customer_id, columns))
    parts = map_customer_groups(events, fn, _CELLS_SCHEMA, customer_id=customer_id)
    return parts.groupBy("cohort_period", "cohort", "age").agg(
        F.sum("customers").alias("customers"), F.sum("retained").alias("retained"),
        F.sum("revenue").cast("decimal(38,6)").alias("revenue"),
    )


def cohort_matrix(
    events: Any,
    as_of: Any,
    *,
    period: codes.Period = "month",
    mode: codes.RetentionMode = "return_on",
    qualifying: codes.QualifyingEvents = "orders",
    revenue: codes.RevenueBasis = "net",
    max_age: Optional[int] = None,
    customer_id: str = CUSTOMER_ID,
    **columns: Optional[str],
) -> Dict[str, Any]:
    """Acquisition-cohort matrices from Spark-summed cells: :func:`retention.cohort_matrix` for any partitioning.

    Parameters
    ----------
    events : pyspark.sql.DataFrame
        Event rows.
    as_of : str or datetime-like
        The instant; events after it raise.
    period, mode, qualifying, revenue, max_age
        As :func:`retention.cohort_matrix`.
    customer_id : str, default "customer_id"
        The customer-id column.
    **columns : str
        Other event column names.

    Returns
    -------
    dict
        ``"retention"``, ``"churn"``, ``"revenue"`` and ``"ltv"``, pandas
        DataFrames as :func:`retention.cohort_matrix` returns them (one row
        per cohort: the matrices are small and live on the driver).

    Raises
    ------
    InvalidRowsError
        Naming every event after ``as_of``.
    UnknownCodeError
        If a code is not one of its vocabulary's.

    Examples
    --------
    >>> import retention.spark as rs
    >>> from pyspark.sql import SparkSession
    >>> spark = SparkSession.builder.master("local[1]").config("spark.ui.enabled", "false").getOrCreate()
    >>> events = spark.createDataFrame([(1, "2024-01-05", 30.0), (1, "2024-02-10", 45.5), (2, "2024-01-20", 12.0)],
    ...     "customer_id long, timestamp string, amount double")
    >>> rs.cohort_matrix(events, "2024-03-01")["retention"][["cohort", "0", "1"]].values.tolist()
    [['2024-01', 1.0, 0.5]]
    """
    cells = cohort_cells(
        events, as_of, period=period, mode=mode, qualifying=qualifying, revenue=revenue, max_age=max_age,
        customer_id=customer_id, **columns,
    )
    with typed_errors():
        t = cells.toArrow()
    c = [t.column(n).combine_chunks() for n in ("cohort_period", "age", "customers", "retained", "revenue")]
    parts = _retention.cohort_matrix_from_cells(
        c[0], c[1], c[2], c[3], c[4], micros(as_of, "as_of"), period=period, mode=mode, qualifying=qualifying,
        revenue_basis=revenue, max_age=None if max_age is None else int(max_age),
    )
    return {name: from_arrow(table, "pandas") for name, table in parts}


def kaplan_meier(
    data: Any,
    duration_col: str,
    event_col: str,
    *,
    alpha: float = 0.05,
    transform: codes.KmConfidenceTransform = "log_log",
) -> Tuple[Any, Optional[float], Tuple[Optional[float], Optional[float]]]:
    """Kaplan–Meier curve from per-time counts summed by Spark.

    Spark counts the subjects of each distinct ``(duration, event)``; the
    driver fits with the counts as case weights, which gives the curve,
    median and interval of :func:`retention.kaplan_meier` on every subject.

    Parameters
    ----------
    data : pyspark.sql.DataFrame
        One row per subject.
    duration_col : str
        Column of durations (time to the event or to censoring).
    event_col : str
        Column of event flags (boolean or 0/1).
    alpha : float, default 0.05
        ``1 − confidence level`` of the bands.
    transform : {"log_log", "linear"}, default "log_log"
        Confidence-band transform.

    Returns
    -------
    table : pandas.DataFrame
        Columns ``timeline``, ``survival``, ``lower``, ``upper``,
        ``at_risk``, ``observed`` and ``censored``.
    median : float or None
        Median survival time.
    ci : tuple of (float or None, float or None)
        Confidence interval of the median.

    Raises
    ------
    KeyError
        If a column is missing.
    InvalidRowsError
        Naming every negative or non-finite duration (rows of the counted
        table) and every event flag other than 0/1.
    EmptyInputError
        If there is no subject.

    Examples
    --------
    >>> import retention.spark as rs
    >>> from pyspark.sql import SparkSession
    >>> spark = SparkSession.builder.master("local[1]").config("spark.ui.enabled", "false").getOrCreate()
    >>> df = spark.createDataFrame([(5, 1), (6, 0), (6, 1), (2, 1), (4, 1), (4, 0)], "d long, e long")
    >>> table, median, ci = rs.kaplan_meier(df, "d", "e")
    >>> median, ci
    (5.0, (2.0, None))
    """
    require_dataframe(data, "data")
    from pyspark.sql import functions as F

    for c in (duration_col, event_col):
        if c not in data.columns:
            raise KeyError(f"data has no column {c!r}")
    counted = data.groupBy(duration_col, event_col).agg(F.count(F.lit(1)).alias("n"))
    with typed_errors():
        t = counted.toArrow()
    table, median, ci = _retention.kaplan_meier(
        t.column(duration_col).combine_chunks(), t.column(event_col).combine_chunks(), alpha=float(alpha), transform=transform,
        weights=pa.array(np.asarray(t.column("n").to_numpy(), dtype=np.float64)),
    )
    return from_arrow(table, "pandas"), median, ci
