"""Holdout evaluation of a fitted BG/NBD, MBG/NBD or Pareto/NBD model.

Each function calls one core function (``retention_core::models::evaluation``,
whose documentation states the definitions) and returns a pandas DataFrame,
a dict or a number:

* :func:`tracking_series`: actual against expected repeat transactions per
  period, cumulative and incremental (Fader, Hardie & Lee 2005, Figure 2;
  lifetimes' ``expected_cumulative_transactions``);
* :func:`conditional_holdout_table`: mean actual against expected holdout
  purchases by calibration frequency, recency, age or time since the last
  purchase (Figure 4);
* :func:`period_transactions`: customers by calibration frequency, observed
  and expected from the model's exact ``P(X(T) = n)`` (Figure 3);
* :func:`holdout_metrics` (MAE, RMSE, correlation per customer) and
  :func:`tracking_mape` (over a tracking series).

>>> import retention
>>> log = retention.EventLog.sample(seed=42, customers=300)
>>> split = retention.calibration_and_holdout(log.summaries(), "2024-07-01", "2025-01-01")
>>> model = retention.fit_bgnbd(split["frequency_cal"], split["recency_cal"], split["T_cal"])
>>> table = retention.conditional_holdout_table(model, split, max_groups=3)
>>> list(table.columns)
['frequency_cal', 'customers', 'actual_mean', 'expected_mean']
"""

from __future__ import annotations

from typing import Any, Dict, Optional

import pandas as pd
import pyarrow as pa

from . import _retention, codes
from ._log import _check_summaries
from .models import TransactionModel, _arr, _int, _opt, _table_columns

__all__ = [
    "tracking_series",
    "conditional_holdout_table",
    "holdout_metrics",
    "tracking_mape",
    "period_transactions",
]


def _model(model: Any) -> Any:
    if not isinstance(model, TransactionModel):
        raise TypeError(f"`model` must be a retention.TransactionModel, got {type(model).__name__}")
    return model._inner


def _frame(table: Any) -> pd.DataFrame:
    return pa.table(table).to_pandas()


def _holdout_columns(calibration_holdout: Any) -> Any:
    cols = _table_columns(calibration_holdout, ["frequency_cal", "recency_cal", "T_cal", "frequency_holdout",
                                                "duration_holdout"])
    duration = pd.Series(cols[4]).to_numpy(dtype=float)
    if duration.size == 0:
        from .errors import EmptyInputError

        raise EmptyInputError("empty input: holdout customers", what="holdout customers")
    return [_arr(c, n) for c, n in zip(cols[:4], ["frequency_cal", "recency_cal", "T_cal", "frequency_holdout"])] + [
        float(duration[0])
    ]


def tracking_series(
    model: TransactionModel, summaries: Any, periods: int, *, unit: codes.TimeUnit = "day", multiplier: int = 1
) -> pd.DataFrame:
    """Actual and expected repeat transactions per model time unit.

    Periods of ``unit`` are counted from the period of the earliest order;
    each customer's first period is their cohort, each later period with an
    order one repeat transaction. Row ``k`` covers the first ``(k + 1) *
    multiplier`` periods: ``expected_cumulative`` sums, over the cohorts
    before its end, the cohort size times the model's expected purchases of a
    new customer over the time since the cohort (in units of ``multiplier``
    periods).

    Parameters
    ----------
    model : TransactionModel
        A fitted (or known) BG/NBD, MBG/NBD or Pareto/NBD model, in units of
        ``multiplier`` periods of ``unit``.
    summaries : Summaries or EventLog
        The orders (an :class:`EventLog` is summarised first).
    periods : int
        Number of periods tracked (lifetimes' ``t``), at most 20,000.
    unit : {"day", "week", "month"}, default "day"
        Period unit (vocabulary ``"time_unit"``).
    multiplier : int, default 1
        Periods per model time unit (lifetimes' ``freq_multiplier``).

    Returns
    -------
    DataFrame
        Columns ``period`` (row number), ``period_start`` (start of the last
        period the row counts), ``actual_cumulative``,
        ``expected_cumulative``, ``actual_incremental``,
        ``expected_incremental``; ``periods // multiplier`` rows.

    Raises
    ------
    InvalidParameterError
        If ``periods`` or ``multiplier`` is 0, ``periods`` exceeds the limit
        or ``multiplier`` exceeds ``periods``.
    EmptyInputError
        If there are no orders.

    Examples
    --------
    >>> import retention
    >>> log = retention.EventLog.sample(seed=42, customers=200)
    >>> model = retention.TransactionModel("bg_nbd", {"r": 0.25, "alpha": 4.0, "a": 0.8, "b": 2.5})
    >>> series = retention.tracking_series(model, log, 70, unit="day", multiplier=7)
    >>> len(series), list(series.columns[2:4])
    (10, ['actual_cumulative', 'expected_cumulative'])
    """
    s = _check_summaries(summaries)
    return _frame(_retention.tracking_series(
        _model(model), s._inner, _int(periods, "periods"), options={"unit": unit, "multiplier": _int(multiplier, "multiplier")},
    ))


def conditional_holdout_table(
    model: TransactionModel,
    calibration_holdout: Any,
    *,
    group_by: codes.HoldoutGroupBy = "frequency_cal",
    max_groups: int = 7,
) -> pd.DataFrame:
    """Mean actual and expected holdout purchases by a calibration figure.

    For each customer the model's conditional expectation of purchases in
    the holdout (of length ``duration_holdout``) given the calibration
    history; customers are grouped by the distinct values of ``group_by``,
    ascending, and the first ``max_groups`` groups are returned.

    Parameters
    ----------
    model : TransactionModel
        The model fitted on the calibration period.
    calibration_holdout : table
        The output of :func:`retention.calibration_and_holdout` (columns
        ``frequency_cal``, ``recency_cal``, ``T_cal``,
        ``frequency_holdout``, ``duration_holdout``).
    group_by : {"frequency_cal", "recency_cal", "t_cal", "time_since_last_purchase"}
        The grouping figure (vocabulary ``"holdout_group_by"``;
        ``time_since_last_purchase`` is ``T_cal - recency_cal``).
    max_groups : int, default 7
        Number of groups returned (at most 100,000).

    Returns
    -------
    DataFrame
        Columns ``<group_by>`` (the value), ``customers``, ``actual_mean``,
        ``expected_mean``.

    Examples
    --------
    >>> import retention
    >>> log = retention.EventLog.sample(seed=42, customers=300)
    >>> split = retention.calibration_and_holdout(log.summaries(), "2024-07-01", "2025-01-01")
    >>> model = retention.fit_bgnbd(split["frequency_cal"], split["recency_cal"], split["T_cal"])
    >>> t = retention.conditional_holdout_table(model, split, max_groups=2)
    >>> t["frequency_cal"].tolist()
    [0.0, 1.0]
    """
    x, r, age, hold, duration = _holdout_columns(calibration_holdout)
    df = _frame(_retention.conditional_holdout_table(
        _model(model), x, r, age, hold, duration, options={"group_by": group_by, "max_groups": _int(max_groups, "max_groups")},
    ))
    return df.rename(columns={"value": str(group_by)})


def holdout_metrics(model: TransactionModel, calibration_holdout: Any) -> Dict[str, Any]:
    """Customer-level accuracy of the model's holdout predictions.

    Parameters
    ----------
    model : TransactionModel
        The model fitted on the calibration period.
    calibration_holdout : table
        As for :func:`conditional_holdout_table`.

    Returns
    -------
    dict
        ``customers``, ``actual_total``, ``expected_total``, ``mae`` (mean
        absolute error), ``rmse`` (root mean squared error) and
        ``correlation`` (Pearson; ``None`` when either column is constant).

    Examples
    --------
    >>> import retention
    >>> log = retention.EventLog.sample(seed=42, customers=300)
    >>> split = retention.calibration_and_holdout(log.summaries(), "2024-07-01", "2025-01-01")
    >>> model = retention.fit_bgnbd(split["frequency_cal"], split["recency_cal"], split["T_cal"])
    >>> m = retention.holdout_metrics(model, split)
    >>> m["customers"] == len(split), m["rmse"] >= m["mae"]
    (True, True)
    """
    x, r, age, hold, duration = _holdout_columns(calibration_holdout)
    return dict(_retention.holdout_metrics(_model(model), x, r, age, hold, duration))


def tracking_mape(series: Any) -> float:
    """Mean absolute percentage error of a cumulative tracking series.

    ``100 * mean(|expected - actual| / actual)`` over the rows with a
    positive ``actual_cumulative``; pass the holdout rows of a
    :func:`tracking_series` to score the forecast.

    Parameters
    ----------
    series : table
        With columns ``actual_cumulative`` and ``expected_cumulative``.

    Returns
    -------
    float
        The error in percent.

    Examples
    --------
    >>> import retention
    >>> retention.tracking_mape({"actual_cumulative": [0, 10, 20], "expected_cumulative": [1, 12, 15]})
    22.5
    """
    a, e = _table_columns(series, ["actual_cumulative", "expected_cumulative"])
    return float(_retention.tracking_mape(_arr(a, "actual_cumulative"), _arr(e, "expected_cumulative")))


def period_transactions(
    model: TransactionModel,
    frequency: Any,
    recency: Any = None,
    T: Any = None,
    weights: Any = None,
    *,
    max_frequency: int = 7,
) -> pd.DataFrame:
    """Customers by calibration frequency: observed and expected by the model.

    The expected count of frequency ``n`` is ``sum_i w_i P(X(T_i) = n)``, the
    model's exact probability at each customer's age; the last row holds
    every frequency from ``max_frequency`` on.

    Parameters
    ----------
    model : TransactionModel
        The fitted model.
    frequency, recency, T : sequence of float or table
        Calibration histories, or one table with these columns (and
        optionally ``weights``).
    weights : sequence of float, optional
        Customers per row.
    max_frequency : int, default 7
        First frequency of the open bucket (at most 1,000).

    Returns
    -------
    DataFrame
        Columns ``frequency``, ``open`` (the last, open-ended bucket),
        ``actual``, ``expected``.

    Examples
    --------
    >>> import retention
    >>> model = retention.TransactionModel("bg_nbd", {"r": 0.25, "alpha": 4.0, "a": 0.8, "b": 2.5})
    >>> t = retention.period_transactions(model, [0, 1, 2, 5], [0, 3, 8, 9], [10, 10, 10, 10], max_frequency=2)
    >>> t["actual"].tolist(), round(float(t["expected"].sum()), 9)
    ([1.0, 1.0, 2.0], 4.0)
    """
    if recency is None and T is None:
        cols = ["frequency", "recency", "T"]
        names = [str(c) for c in getattr(frequency, "columns", [])]
        if "weights" in names:
            cols.append("weights")
        got = _table_columns(frequency, cols)
        frequency, recency, T = got[:3]
        weights = got[3] if len(got) > 3 else weights
    return _frame(_retention.period_transactions(
        _model(model), _arr(frequency, "frequency"), _arr(recency, "recency"), _arr(T, "T"),
        _opt(weights, "weights"), options={"max_frequency": _int(max_frequency, "max_frequency")},
    ))
