"""``lifetimes.utils`` names: transaction logs to model inputs, on the Rust core.

``freq`` is ``"D"``, ``"W"``, ``"M"``, or a sub-daily ``"h"`` (``"H"``),
``"min"`` (``"T"``) or ``"s"`` (``"S"``): periods of the UTC instants
(naive timestamps are taken as UTC), the observation end inclusive at that
resolution, as lifetimes. Other values (pandas multiples such as ``"2h"``)
raise :class:`retention.errors.UnknownCodeError` naming the accepted codes.
``calibration_and_holdout_data`` works on day totals: a sub-daily ``freq``
there raises :class:`retention.errors.InvalidParameterError`.
"""

from __future__ import annotations

from typing import Any, Optional, cast

import numpy as np
import pandas as pd
import pyarrow as pa

from ... import _api, _retention, codes
from ..._frames import micros, to_arrow_array
from ..._log import EventLog
from ...errors import FitNotConvergedError

__all__ = [
    "summary_data_from_transaction_data",
    "calibration_and_holdout_data",
    "expected_cumulative_transactions",
    "calculate_alive_path",
    "ConvergenceError",
]



#: lifetimes' ``ConvergenceError`` (a ``ValueError``): a fit that converged
#: from no start. The fitters raise the core's typed
#: :class:`retention.errors.FitNotConvergedError`, which this name is, so
#: ``except ConvergenceError`` catches it.
ConvergenceError = FitNotConvergedError


def _timestamps(
    transactions: pd.DataFrame, customer_id_col: str, datetime_col: str, monetary_value_col: Optional[str],
    datetime_format: Optional[str],
) -> pd.Series:
    """Checks the frame and its columns; the datetime column as datetimes."""
    if not isinstance(transactions, pd.DataFrame):
        raise TypeError(f"`transactions` must be a pandas DataFrame, got {type(transactions).__name__}")
    for name, col in (("customer_id_col", customer_id_col), ("datetime_col", datetime_col),
                      ("monetary_value_col", monetary_value_col)):
        if col is not None and col not in transactions.columns:
            raise KeyError(f"`{name}` = {col!r}: no such column in transactions")
    ts = transactions[datetime_col]
    if datetime_format is not None or not (
        pd.api.types.is_datetime64_any_dtype(ts) or isinstance(ts.dtype, pd.PeriodDtype)
    ):
        ts = pd.to_datetime(ts, format=datetime_format)
    if isinstance(ts.dtype, pd.PeriodDtype):
        ts = ts.dt.to_timestamp()
    return ts


def _arrow_times(ts: pd.Series) -> Any:
    """Naive datetimes without NaT as an Arrow timestamp array sharing their
    memory (pyarrow's own conversion looks at every value); others through
    pyarrow."""
    if isinstance(ts.dtype, np.dtype) and ts.dtype.kind == "M":
        values = np.ascontiguousarray(ts.to_numpy())
        unit = np.datetime_data(values.dtype)[0]
        ints = values.view(np.int64)
        # NaT is the smallest int64.
        if unit in ("s", "ms", "us", "ns") and (len(ints) == 0 or ints.min() != np.iinfo(np.int64).min):
            return pa.Array.from_buffers(pa.timestamp(unit), len(ints), [None, pa.py_buffer(ints)])
    return to_arrow_array(ts, "timestamp")


def _log(
    transactions: pd.DataFrame, customer_id_col: str, datetime_col: str, monetary_value_col: Optional[str],
    datetime_format: Optional[str],
) -> EventLog:
    ts = _timestamps(transactions, customer_id_col, datetime_col, monetary_value_col, datetime_format)
    cols = {"customer_id": transactions[customer_id_col].to_numpy(), "timestamp": np.asarray(ts)}
    if monetary_value_col is not None:
        cols["amount"] = transactions[monetary_value_col].to_numpy(dtype=float)
    else:
        cols["amount"] = np.zeros(len(transactions))
    return EventLog.from_frame(pd.DataFrame(cols))


def _end(value: Any, transactions: pd.DataFrame, datetime_col: str, datetime_format: Optional[str]) -> Any:
    if value is None:
        ts = pd.to_datetime(transactions[datetime_col], format=datetime_format)
        return ts.max()
    return pd.to_datetime(value, format=datetime_format)


def _index(df: pd.DataFrame, customer_id_col: str) -> pd.DataFrame:
    df = df.set_index("customer_id")
    df.index.name = customer_id_col
    return df


# lifetimes' ``freq`` letters and the core's time-unit codes (model inputs
# take day, week, month, hour, minute, second; CLV day, week, month, hour).
_FREQ_UNITS = {
    "h": "hour", "H": "hour", "min": "minute", "T": "minute", "s": "second", "S": "second",
    "D": "day", "W": "week", "M": "month",
}


def _unit(freq: str) -> "codes.TimeUnit":
    """The ``time_unit`` code of a lifetimes ``freq`` letter; any other
    value goes to the core as it is (which names the accepted codes)."""
    return cast("codes.TimeUnit", _FREQ_UNITS.get(freq, freq))


def summary_data_from_transaction_data(
    transactions: pd.DataFrame,
    customer_id_col: str,
    datetime_col: str,
    monetary_value_col: Optional[str] = None,
    datetime_format: Optional[str] = None,
    observation_period_end: Any = None,
    freq: str = "D",
    freq_multiplier: float = 1,
    include_first_transaction: bool = False,
) -> pd.DataFrame:
    """frequency, recency, T (and monetary_value when ``monetary_value_col``
    is given) per customer, indexed by customer id, as lifetimes computes them
    (with ``include_first_transaction`` the first period counts in
    ``frequency`` too, as in lifetimes)."""
    # Straight from the three columns to the model inputs: no event log.
    ts = _timestamps(transactions, customer_id_col, datetime_col, monetary_value_col, datetime_format)
    end = ts.max() if observation_period_end is None else pd.to_datetime(
        observation_period_end, format=datetime_format)
    ids = to_arrow_array(transactions[customer_id_col].to_numpy(), "customer_id")
    amounts = None
    if monetary_value_col is not None:
        amounts = pa.array(transactions[monetary_value_col].to_numpy(dtype=float))
    table = pa.table(_retention.model_input_from_orders(
        ids, _arrow_times(ts), amounts, micros(end, "observation_end"),
        unit=_unit(freq), multiplier=float(freq_multiplier), include_first=bool(include_first_transaction),
        after_end="end_period",
    ))
    names = ["frequency", "recency", "T"] + (["monetary_value"] if monetary_value_col is not None else [])
    if pa.types.is_integer(table.schema.field("customer_id").type):
        # Columns without nulls convert to numpy without a copy.
        index = pd.Index(table.column("customer_id").to_numpy(), name=customer_id_col)
        return pd.DataFrame({n: table.column(n).to_numpy() for n in names}, index=index)
    return _index(table.to_pandas()[["customer_id"] + names], customer_id_col)


def calibration_and_holdout_data(
    transactions: pd.DataFrame,
    customer_id_col: str,
    datetime_col: str,
    calibration_period_end: Any,
    observation_period_end: Any = None,
    freq: str = "D",
    freq_multiplier: float = 1,
    datetime_format: Optional[str] = None,
    monetary_value_col: Optional[str] = None,
    include_first_transaction: bool = False,
) -> pd.DataFrame:
    """frequency_cal, recency_cal, T_cal, [monetary_value_cal],
    frequency_holdout, [monetary_value_holdout], duration_holdout per
    calibration customer, as lifetimes computes them."""
    log = _log(transactions, customer_id_col, datetime_col, monetary_value_col, datetime_format)
    cal_end = pd.to_datetime(calibration_period_end, format=datetime_format)
    end = _end(observation_period_end, transactions, datetime_col, datetime_format)
    df = _api.calibration_and_holdout(
        log, cal_end, end, unit=_unit(freq), multiplier=float(freq_multiplier),
        include_first=bool(include_first_transaction),
    )
    if monetary_value_col is None:
        df = df.drop(columns=["monetary_value_cal", "monetary_value_holdout"])
    return _index(df, customer_id_col)


def _core_model(model: Any) -> Any:
    """The native transaction model behind a fitter (compat or lifetimes) or
    a :class:`retention.TransactionModel`."""
    from . import _transaction_model

    return _transaction_model(model)._inner


def _tracking(
    model: Any, transactions: pd.DataFrame, datetime_col: str, customer_id_col: str, t: int,
    datetime_format: Optional[str], freq: str, freq_multiplier: int, set_index_date: bool,
) -> Any:
    """The core's tracking series (an Arrow table) and lifetimes' index for it."""
    log = _log(transactions, customer_id_col, datetime_col, None, datetime_format)
    rows = pa.table(_retention.tracking_series(
        _core_model(model), log.summaries()._inner, int(t), options={"unit": _unit(freq), "multiplier": int(freq_multiplier)},
    ))
    if set_index_date:
        starts = pd.Series(rows.column("period_start").to_pandas())
        if starts.dt.tz is not None:
            starts = starts.dt.tz_convert(None)
        index: Any = pd.PeriodIndex(starts.dt.to_period(freq))
    else:
        index = range(0, rows.num_rows)
    return rows, index


def expected_cumulative_transactions(
    model: Any,
    transactions: pd.DataFrame,
    datetime_col: str,
    customer_id_col: str,
    t: int,
    datetime_format: Optional[str] = None,
    freq: str = "D",
    freq_multiplier: int = 1,
    set_index_date: bool = False,
) -> pd.DataFrame:
    """Actual and predicted cumulative repeat transactions (columns
    ``actual``, ``predicted``), as lifetimes computes them: one row per
    ``freq_multiplier`` periods of the first ``t`` periods since the earliest
    transaction (see :func:`retention.tracking_series`, which computes it).
    With ``set_index_date`` the index is the last period each row counts."""
    rows, index = _tracking(model, transactions, datetime_col, customer_id_col, t, datetime_format, freq,
                            freq_multiplier, set_index_date)
    return pd.DataFrame({
        "actual": rows.column("actual_cumulative").to_numpy().astype(np.int64),
        "predicted": rows.column("expected_cumulative").to_numpy(),
    }, index=index)


def calculate_alive_path(model: Any, transactions: pd.DataFrame, datetime_col: str, t: int, freq: str = "D") -> pd.Series:
    """P(alive) at each period (of ``freq``) since the customer's first
    transaction in ``transactions``, up to ``t`` periods or the last
    transaction, as lifetimes computes it (by the core)."""
    ts = pd.to_datetime(transactions[datetime_col])
    if getattr(ts.dt, "tz", None) is not None:
        ts = ts.dt.tz_convert("UTC").dt.tz_localize(None)
    us = ts.to_numpy().astype("datetime64[us]").view(np.int64)
    path = _retention.alive_path(_core_model(model), us.tolist(), int(t), options={"unit": _unit(freq)})
    return pd.Series(np.asarray(pa.array(path).to_numpy(zero_copy_only=False), dtype=float))


def _customer_lifetime_value(
    transaction_prediction_model: Any, frequency: Any, recency: Any, T: Any, monetary_value: Any,
    time: int = 12, discount_rate: float = 0.01, freq: str = "D",
) -> pd.Series:
    """lifetimes' helper: ``monetary_value`` per purchase (as given, no
    Gamma-Gamma) times the discounted expected purchases over ``time``
    months, as a Series named ``clv`` on ``frequency``'s index (core
    ``clv::discounted_value``).

    Examples
    --------
    >>> from retention.compat.lifetimes import BetaGeoFitter
    >>> bgf = BetaGeoFitter()
    >>> bgf.params_ = {"r": 0.24, "alpha": 4.41, "a": 0.79, "b": 2.43}
    >>> round(float(_customer_lifetime_value(bgf, [2], [30.4], [38.9], [10.0], time=1, freq="W")[0]), 4)
    1.5791
    """
    from . import _broadcast, _transaction_model

    model = _transaction_model(transaction_prediction_model)
    x, r, age, mv = _broadcast(frequency, recency, T, monetary_value)
    clv = _retention.discounted_value(
        model._inner, pa.array(x), pa.array(r), pa.array(age), pa.array(mv), horizon_months=int(time),
        monthly_discount_rate=float(discount_rate), time_unit=cast("codes.ClvTimeUnit", _FREQ_UNITS.get(freq, freq)),
    )
    index = frequency.index if isinstance(frequency, pd.Series) else None
    return pd.Series(np.asarray(clv), index=index, name="clv")


def _scale_time(age: Any) -> float:
    """lifetimes' helper: the factor that makes the largest age 1."""
    return 1.0 / float(np.max(np.asarray(age, dtype=float)))


def _find_first_transactions(
    transactions: pd.DataFrame,
    customer_id_col: str,
    datetime_col: str,
    monetary_value_col: Optional[str] = None,
    datetime_format: Optional[str] = None,
    observation_period_end: Any = None,
    freq: str = "D",
) -> pd.DataFrame:
    """lifetimes' helper: one row per customer and ``freq`` period with a
    purchase up to the period of ``observation_period_end`` (inclusive: its
    whole period counts, as in lifetimes),
    sorted by customer then period, with columns ``customer_id_col``,
    ``datetime_col`` (the period, a pandas ``Period``), ``monetary_value_col``
    (the period's summed spend, in the column's dtype) when given, and
    ``first`` (the customer's first purchase period). The core's
    ``model_input::purchase_periods`` computes the rows.

    ``freq`` is ``"D"``, ``"W"`` or ``"M"`` (sub-daily units raise
    :class:`retention.errors.InvalidParameterError`: the periods are built
    from day totals).

    Examples
    --------
    >>> import pandas as pd
    >>> orders = pd.DataFrame({"id": [1, 1, 1, 2], "date": ["2015-01-01", "2015-01-02", "2015-01-20", "2015-01-05"]})
    >>> _find_first_transactions(orders, "id", "date", freq="W")
       id                   date  first
    0   1  2014-12-29/2015-01-04   True
    1   1  2015-01-19/2015-01-25  False
    2   2  2015-01-05/2015-01-11   True
    """
    log = _log(transactions, customer_id_col, datetime_col, monetary_value_col, datetime_format)
    if isinstance(observation_period_end, pd.Period):
        observation_period_end = observation_period_end.to_timestamp()
    end = _end(observation_period_end, transactions, datetime_col, datetime_format)
    table = pa.table(_retention.purchase_periods_table(
        log.summaries()._inner, micros(end, "observation_period_end"), unit=_unit(freq)))
    starts = pd.DatetimeIndex(table.column("period_start").to_pandas())
    if starts.tz is not None:
        starts = starts.tz_convert(None)
    out = pd.DataFrame({
        customer_id_col: table.column("customer_id").to_pandas(),
        datetime_col: starts.to_period(freq),
    })
    if monetary_value_col is not None:
        spend = table.column("spend").to_pandas()
        dtype = transactions[monetary_value_col].dtype
        out[monetary_value_col] = spend.astype(dtype) if pd.api.types.is_integer_dtype(dtype) else spend
    out["first"] = table.column("first").to_pandas()
    return out


def _check_inputs(frequency: Any, recency: Any = None, T: Any = None, monetary_value: Any = None) -> None:
    """lifetimes' helper: checks summary columns without fitting and returns
    ``None``; raises :class:`retention.errors.InvalidRowsError` (a
    ``ValueError``, as lifetimes raises) naming every bad row: a negative or
    non-integer frequency, a negative recency, a recency above ``T``, a
    non-zero recency at frequency 0, a monetary value not above 0 (core
    ``models::check_inputs``).

    Examples
    --------
    >>> _check_inputs([0, 1], [0, 3], [5, 6]) is None
    True
    >>> _check_inputs([0, 1], [0, 7], [5, 6])
    Traceback (most recent call last):
    ...
    retention.errors.InvalidRowsError: ...
    """
    def col(values: Any) -> Any:
        return None if values is None else pa.array(np.asarray(values, dtype=float).ravel())

    _retention.check_model_inputs(col(frequency), col(recency), col(T), col(monetary_value))
