"""Model input, model fits and customer scores on Spark.

* :func:`model_input`: lifetimes' ``frequency``, ``recency``, ``T`` and
  ``monetary_value`` per customer, computed on the executors (from the
  summary state or from events), exactly :func:`retention.summary_data`.
* :func:`fit` / :func:`fit_gamma_gamma`: Spark counts the customers of each
  distinct history (``groupBy(...).count()``); only those rows reach the
  driver, where the core fits with the counts as weights. The core merges
  identical histories before fitting anyway (sorted, weights summed), so
  the fit sees the same input as on one machine and returns the same
  parameters, while the driver holds a few thousand rows for any number of
  customers.
* :func:`scores`: P(alive), conditional expected purchases and predictive
  CLV per customer, on the executors, from the fitted parameters.
* :func:`health_scores`: the explainable churn risk and its traffic light
  per customer, from each customer's events on the executors.

The formulas are those of the single-machine functions (see
:mod:`retention.models`: Fader, Hardie & Lee 2005 for BG/NBD and
Gamma-Gamma, Schmittlein, Morrison & Colombo 1987 for Pareto/NBD).
"""

from __future__ import annotations

from typing import Any, Dict, Optional, Tuple, cast

import numpy as np
import pyarrow as pa

from .. import _retention, codes
from .._frames import micros
from .._log import EventLog, Summaries
from ..models import GammaGammaModel, TransactionModel
from ._arrow import map_batches, require_dataframe, typed_errors
from ._customers import CUSTOMER_ID, id_type, is_summary_state, map_customer_groups

__all__ = ["model_input", "fit", "fit_gamma_gamma", "scores", "health_scores"]

_EVENT_COLUMNS = ("timestamp", "event", "amount", "items", "score", "detail", "resolved")


def _log_of(table: pa.Table, columns: Dict[str, Optional[str]]) -> EventLog:
    """One core call: the validated log of a table of whole customers."""
    return EventLog.from_frame(table, **cast(Dict[str, Any], columns))


def _event_columns(customer_id: str, columns: Dict[str, Optional[str]]) -> Dict[str, Optional[str]]:
    unknown = set(columns) - set(_EVENT_COLUMNS)
    if unknown:
        raise TypeError(f"unknown column option(s): {', '.join(sorted(unknown))}")
    return {"customer_id": customer_id, **columns}


def _input_schema(ids: pa.DataType) -> pa.Schema:
    return pa.schema([
        ("customer_id", ids), ("frequency", pa.float64()), ("recency", pa.float64()),
        ("T", pa.float64()), ("monetary_value", pa.float64()),
    ])


def _one_batch(table: Any) -> pa.RecordBatch:
    """A core result table as one record batch (empty ones included)."""
    t = pa.table(table).combine_chunks()
    batches = t.to_batches()
    return batches[0] if batches else pa.RecordBatch.from_pylist([], schema=t.schema)


def _model_input_of_state(end: int, options: Dict[str, Any]) -> Any:
    def fn(batch: pa.RecordBatch) -> pa.RecordBatch:
        s = Summaries.from_arrow(batch)
        return _one_batch(_retention.model_input_table(s._inner, end, **options))
    return fn


def _model_input_of_events(end: int, options: Dict[str, Any], columns: Dict[str, Optional[str]]) -> Any:
    def fn(table: pa.Table) -> pa.Table:
        log = _log_of(table, columns)
        return pa.table(_retention.model_input_of_log(log._log, end, **options))
    return fn


def model_input(
    data: Any,
    observation_end: Any,
    *,
    unit: codes.TimeUnit = "day",
    multiplier: float = 1.0,
    include_first: bool = False,
    after_end: codes.OrdersAfterEnd = "reject",
    customer_id: str = CUSTOMER_ID,
    **columns: Optional[str],
) -> Any:
    """Buy-till-you-die model input per customer, computed on the executors.

    The same columns and values as :func:`retention.summary_data` on one
    machine: ``frequency`` (repeat purchase days), ``recency`` (age at the
    last purchase day), ``T`` (age at ``observation_end``) and
    ``monetary_value`` (mean spend of the repeat purchase days), one row per
    customer with an order, for any partitioning of ``data``.

    Parameters
    ----------
    data : pyspark.sql.DataFrame
        The summary state (from :func:`retention.spark.summaries`, one row
        per customer) or events (columns as :meth:`retention.EventLog.from_frame`
        reads them).
    observation_end : str or datetime-like
        End of observation (ISO 8601 text, ``datetime`` with naive = UTC…).
    unit : {"day", "week", "month", "hour", "minute", "second"}, default "day"
        Time unit of ``recency`` and ``T``; the sub-daily units need events.
    multiplier : float, default 1.0
        Divides recency and T (lifetimes' ``freq_multiplier``).
    include_first : bool, default False
        Count the first purchase in ``frequency`` and ``monetary_value``.
    after_end : {"reject", "ignore", "end_period"}, default "reject"
        Orders after ``observation_end`` (vocabulary ``"orders_after_end"``).
    customer_id : str, default "customer_id"
        The customer-id column.
    **columns : str
        Other event column names (``timestamp``, ``event``, ``amount``…),
        as :meth:`retention.EventLog.from_frame` takes them (events only).

    Returns
    -------
    pyspark.sql.DataFrame
        Columns ``customer_id``, ``frequency``, ``recency``, ``T`` and
        ``monetary_value``.

    Raises
    ------
    InvalidRowsError
        (inside :func:`retention.spark.typed_errors`, when the job runs)
        naming each customer with an order after ``observation_end`` unless
        ``after_end`` says otherwise, or each invalid event row.
    UnknownCodeError
        If ``unit`` or ``after_end`` is not one of its codes.

    Examples
    --------
    >>> import retention, retention.spark as rs
    >>> from pyspark.sql import SparkSession
    >>> spark = SparkSession.builder.master("local[1]").config("spark.ui.enabled", "false").getOrCreate()
    >>> events = spark.createDataFrame(
    ...     [(1, "2024-01-05", 30.0), (1, "2024-02-10", 45.5), (2, "2024-01-20", 12.0)],
    ...     "customer_id long, timestamp string, amount double")
    >>> data = rs.model_input(events, "2024-03-01")
    >>> [tuple(r) for r in data.orderBy("customer_id").collect()]
    [(1, 1.0, 36.0, 56.0, 45.5), (2, 0.0, 0.0, 41.0, 0.0)]
    """
    require_dataframe(data, "data")
    end = micros(observation_end, "observation_end")
    options = {
        "unit": unit,
        "multiplier": float(multiplier), "include_first": bool(include_first), "after_end": after_end,
    }
    schema = _input_schema(id_type(data, customer_id))
    if is_summary_state(data):
        return map_batches(data, _model_input_of_state(end, options), schema)
    cols = _event_columns(customer_id, columns)
    return map_customer_groups(data, _model_input_of_events(end, options, cols), schema, customer_id=customer_id)


def _distinct(inputs: Any, keys: Tuple[str, ...], where: Optional[Any] = None) -> Dict[str, np.ndarray]:
    """Distinct rows of ``keys`` with their counts, collected to the driver."""
    from pyspark.sql import functions as F

    require_dataframe(inputs, "inputs")
    missing = [k for k in keys if k not in inputs.columns]
    if missing:
        raise KeyError(f"inputs have no column(s) {missing}")
    df = inputs if where is None else inputs.where(where)
    grouped = df.groupBy(*keys).agg(F.count(F.lit(1)).alias("weights"))
    with typed_errors():
        table = grouped.toArrow()
    if table.num_rows == 0:
        return {k: np.zeros(0) for k in (*keys, "weights")}
    return {k: table.column(k).to_numpy().astype(np.float64) for k in (*keys, "weights")}


def fit(
    model: codes.TransactionModel,
    inputs: Any,
    *,
    penalizer_coef: float = 0.0,
    initial_params: Any = None,
    tolerance: float = 1e-8,
    max_iterations: int = 500,
) -> TransactionModel:
    """Fit a transaction model on the driver from the distinct histories.

    Spark counts the customers of each distinct ``(frequency, recency, T)``;
    the driver fits on those rows with the counts as weights, which gives
    the parameters of :meth:`retention.TransactionModel.fit` on every
    customer (the core merges identical histories before fitting).

    Parameters
    ----------
    model : {"bg_nbd", "mbg_nbd", "pareto_nbd", "ggom_nbd"}
        The model (vocabulary ``"transaction_model"``).
    inputs : pyspark.sql.DataFrame
        Model input with ``frequency``, ``recency`` and ``T`` columns (e.g.
        :func:`model_input`).
    penalizer_coef : float, default 0.0
        L2 penalty on the parameters.
    initial_params : dict or sequence of float, optional
        Starting parameters.
    tolerance : float, default 1e-08
        Convergence tolerance.
    max_iterations : int, default 500
        Iteration limit per attempt.

    Returns
    -------
    retention.TransactionModel
        The fitted model (``diagnostics`` count distinct histories as rows).

    Raises
    ------
    KeyError
        If a column is missing.
    FitNotConvergedError
        If no attempt converged.

    Examples
    --------
    >>> import pyarrow as pa
    >>> import retention, retention.spark as rs
    >>> from pyspark.sql import SparkSession
    >>> spark = SparkSession.builder.master("local[1]").config("spark.ui.enabled", "false").getOrCreate()
    >>> local = retention.summary_data(retention.EventLog.sample(seed=42, customers=200), "2025-01-01", unit="week")
    >>> model = rs.fit("bg_nbd", spark.createDataFrame(pa.Table.from_pandas(local)))
    >>> model.params == retention.TransactionModel.fit("bg_nbd", local).params
    True
    """
    cols = _distinct(inputs, ("frequency", "recency", "T"))
    return TransactionModel.fit(
        model, cols["frequency"], cols["recency"], cols["T"], cols["weights"],
        penalizer_coef=penalizer_coef, initial_params=initial_params, tolerance=tolerance,
        max_iterations=max_iterations,
    )


def fit_gamma_gamma(inputs: Any, **options: Any) -> GammaGammaModel:
    """Fit Gamma-Gamma on the driver from the distinct repeat buyers.

    Spark counts the repeat buyers (``frequency > 0``) of each distinct
    ``(frequency, monetary_value)``; the driver fits with the counts as
    weights, which gives the parameters of
    :meth:`retention.GammaGammaModel.fit` on every customer.

    Parameters
    ----------
    inputs : pyspark.sql.DataFrame
        Model input with ``frequency`` and ``monetary_value`` columns.
    **options
        As :meth:`retention.GammaGammaModel.fit`: ``penalizer_coef``,
        ``initial_params``, ``tolerance``, ``max_iterations``.

    Returns
    -------
    retention.GammaGammaModel
        The fitted model.

    Raises
    ------
    EmptyInputError
        If there is no repeat buyer.
    KeyError
        If a column is missing.

    Examples
    --------
    >>> import pyarrow as pa
    >>> import retention, retention.spark as rs
    >>> from pyspark.sql import SparkSession
    >>> spark = SparkSession.builder.master("local[1]").config("spark.ui.enabled", "false").getOrCreate()
    >>> local = retention.summary_data(retention.EventLog.sample(seed=42, customers=200), "2025-01-01", unit="week")
    >>> spend = rs.fit_gamma_gamma(spark.createDataFrame(pa.Table.from_pandas(local)))
    >>> spend.params == retention.fit_gamma_gamma(local["frequency"], local["monetary_value"]).params
    True
    """
    from pyspark.sql import functions as F

    cols = _distinct(inputs, ("frequency", "monetary_value"), where=F.col("frequency") > 0)
    return GammaGammaModel.fit(cols["frequency"], cols["monetary_value"], cols["weights"], **options)


def _scores_fn(model: Tuple[str, Dict[str, float]], spend: Optional[Tuple[float, float, float]],
               t: float, clv: Dict[str, Any], schema: pa.Schema) -> Any:
    def fn(batch: pa.RecordBatch) -> pa.RecordBatch:
        m = TransactionModel(cast(codes.TransactionModel, model[0]), model[1])
        c = batch.column
        extra: Dict[str, Any] = {}
        if spend is not None:
            extra = {"spend": GammaGammaModel(*spend)._inner, "monetary_value": c("monetary_value"), **clv}
        scored = _one_batch(_retention.customer_scores(m._inner, c("frequency"), c("recency"), c("T"), t, **extra))
        return pa.record_batch([c("customer_id"), *scored.columns], schema=schema)
    return fn


def scores(
    inputs: Any,
    model: TransactionModel,
    spend: Optional[GammaGammaModel] = None,
    *,
    t: float = 30.0,
    horizon_months: int = 12,
    monthly_discount_rate: float = 0.01,
    time_unit: Optional[codes.ClvTimeUnit] = None,
    unit_days: Optional[float] = None,
) -> Any:
    """P(alive), expected purchases and predictive CLV per customer, on the executors.

    One core call per batch (``models::scores::customer_scores``); each
    value is the single-machine one for the same row:
    :meth:`retention.TransactionModel.probability_alive`,
    :meth:`~retention.TransactionModel.conditional_expected_purchases` over
    the next ``t`` time units and, with ``spend``,
    :func:`retention.predictive_clv`.

    Parameters
    ----------
    inputs : pyspark.sql.DataFrame
        Model input (``customer_id``, ``frequency``, ``recency``, ``T`` and,
        for CLV, ``monetary_value``), e.g. :func:`model_input`.
    model : retention.TransactionModel
        A fitted (or given) transaction model; its parameters travel to the
        executors.
    spend : retention.GammaGammaModel, optional
        A spend model; adds the ``clv`` column.
    t : float, default 30.0
        Horizon of the expected purchases, in the model's time unit.
    horizon_months : int, default 12
        CLV horizon in months.
    monthly_discount_rate : float, default 0.01
        CLV discount rate per month.
    time_unit : {"hour", "day", "week", "month"}, optional
        The unit of ``T`` for CLV (``"day"`` by default).
    unit_days : float, optional
        Days per unit of ``T``, instead of ``time_unit``.

    Returns
    -------
    pyspark.sql.DataFrame
        Columns ``customer_id``, ``probability_alive``,
        ``expected_purchases`` and, with ``spend``, ``clv``.

    Raises
    ------
    TypeError
        If ``model`` or ``spend`` has the wrong type.
    InvalidRowsError
        (when the job runs, inside :func:`retention.spark.typed_errors`)
        naming invalid input rows.

    Examples
    --------
    >>> import retention, retention.spark as rs
    >>> from pyspark.sql import SparkSession
    >>> spark = SparkSession.builder.master("local[1]").config("spark.ui.enabled", "false").getOrCreate()
    >>> bgnbd = retention.TransactionModel("bg_nbd", {"r": 0.25, "alpha": 4.0, "a": 0.8, "b": 2.5})
    >>> data = spark.createDataFrame([(1, 2.0, 30.0, 38.0, 40.0)], "customer_id long, frequency double, recency double, T double, monetary_value double")
    >>> row = rs.scores(data, bgnbd, t=10).collect()[0]
    >>> round(row.probability_alive, 4) == round(float(bgnbd.probability_alive([2.0], [30.0], [38.0])[0]), 4)
    True
    """
    if not isinstance(model, TransactionModel):
        raise TypeError(f"`model` must be a retention.TransactionModel, got {type(model).__name__}")
    if spend is not None and not isinstance(spend, GammaGammaModel):
        raise TypeError(f"`spend` must be a retention.GammaGammaModel, got {type(spend).__name__}")
    require_dataframe(inputs, "inputs")
    fields = [("customer_id", id_type(inputs)), ("probability_alive", pa.float64()), ("expected_purchases", pa.float64())]
    clv: Dict[str, Any] = {
        "horizon_months": int(horizon_months), "monthly_discount_rate": float(monthly_discount_rate),
        "time_unit": time_unit, "unit_days": unit_days,
    }
    spend_params = None
    if spend is not None:
        fields.append(("clv", pa.float64()))
        p = spend.params
        spend_params = (p["p"], p["q"], p["gamma"])
    schema = pa.schema(fields)
    return map_batches(inputs, _scores_fn((model.model, model.params), spend_params, float(t), clv, schema), schema)


_HEALTH_SCHEMA_FIELDS = [
    ("risk", pa.float64()), ("reasons", pa.list_(pa.string())), ("light", pa.string()),
    ("light_reasons", pa.list_(pa.string())),
]


def _health_fn(as_of: int, window_days: int, max_reasons: int, columns: Dict[str, Optional[str]]) -> Any:
    def fn(table: pa.Table) -> pa.Table:
        log = _log_of(table, columns)
        return pa.table(_retention.health_scores(log._log, as_of, window_days=window_days, max_reasons=max_reasons))
    return fn


def health_scores(
    events: Any,
    as_of: Any,
    *,
    window_days: int = 90,
    max_reasons: int = 3,
    customer_id: str = CUSTOMER_ID,
    **columns: Optional[str],
) -> Any:
    """Explainable churn risk, reasons and traffic light per customer, on the executors.

    The values of :func:`retention.health_scores` for every customer, from
    each customer's own events (the score reads only them), for any
    partitioning.

    Parameters
    ----------
    events : pyspark.sql.DataFrame
        Event rows (columns as :meth:`retention.EventLog.from_frame` reads them).
    as_of : str or datetime-like
        The instant.
    window_days : int, default 90
        Length of the two trend windows in days.
    max_reasons : int, default 3
        Most reasons reported per customer.
    customer_id : str, default "customer_id"
        The customer-id column.
    **columns : str
        Other event column names (``timestamp``, ``event``, ``amount``…).

    Returns
    -------
    pyspark.sql.DataFrame
        Columns ``customer_id``, ``risk``, ``reasons``, ``light`` and
        ``light_reasons``.

    Raises
    ------
    InvalidRowsError
        (when the job runs, inside :func:`retention.spark.typed_errors`)
        naming every event after ``as_of`` or invalid event row.

    Examples
    --------
    >>> import retention.spark as rs
    >>> from pyspark.sql import SparkSession
    >>> spark = SparkSession.builder.master("local[1]").config("spark.ui.enabled", "false").getOrCreate()
    >>> events = spark.createDataFrame([(1, "2024-01-05", 30.0), (1, "2024-02-10", 45.5)],
    ...     "customer_id long, timestamp string, amount double")
    >>> rs.health_scores(events, "2024-06-01").columns
    ['customer_id', 'risk', 'reasons', 'light', 'light_reasons']
    """
    require_dataframe(events, "events")
    schema = pa.schema([("customer_id", id_type(events, customer_id)), *_HEALTH_SCHEMA_FIELDS])
    fn = _health_fn(micros(as_of, "as_of"), int(window_days), int(max_reasons), _event_columns(customer_id, columns))
    return map_customer_groups(events, fn, schema, customer_id=customer_id)
