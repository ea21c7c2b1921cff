"""DataFrame plumbing: inputs to Arrow, Arrow results back to the caller's library.

Tables cross into Rust through the Arrow PyCapsule interface
(``__arrow_c_stream__``), so no Python object is created per row. Results come
back as Arrow tables and are converted to the library the input came in
(pandas for dicts, numpy arrays and lists).
"""

from __future__ import annotations

import datetime as _dt
from typing import Any, Dict, Mapping, Optional

import numpy as np
import pandas as pd
import pyarrow as pa

Library = str  # "pandas" | "polars" | "pyarrow"


def library_of(data: Any) -> Library:
    """The DataFrame library of ``data`` (``"pandas"`` for plain Python/numpy input)."""
    module = type(data).__module__.split(".")[0]
    if module == "polars":
        return "polars"
    if module == "pyarrow":
        return "pyarrow"
    return "pandas"


def _column_to_arrow(name: str, values: Any) -> Any:
    if isinstance(values, (pa.Array, pa.ChunkedArray)):
        return values
    if isinstance(values, pd.Series):
        return _pandas_column(name, values)
    arr = np.asarray(values) if not isinstance(values, np.ndarray) else values
    if arr.dtype == object:
        # Python objects (str, datetime, None, mixed): let pyarrow infer.
        try:
            return pa.array(list(arr), from_pandas=True)
        except (pa.ArrowInvalid, pa.ArrowTypeError) as exc:
            raise TypeError(f"column `{name}`: cannot convert values ({exc})") from None
    if arr.ndim != 1:
        raise TypeError(f"column `{name}` must be one-dimensional, got shape {arr.shape}")
    try:
        return pa.array(arr)
    except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError) as exc:
        raise TypeError(f"column `{name}`: cannot convert values ({exc})") from None


def _numpy_column(series: pd.Series) -> Any:
    """A numpy-backed numeric or datetime column as an Arrow array without a
    copy; ``None`` for anything else.

    Floats keep NaN as a value (the event log reads NaN as "absent", like
    null). Naive datetimes are viewed as their int64 ticks with the matching
    Arrow timestamp type; NaT stays the int64 minimum, which the extension
    module reads as missing.
    """
    if not isinstance(series.dtype, np.dtype) or series.dtype.kind not in "iufM":
        return None
    values = series.to_numpy(copy=False)
    if values.ndim != 1:
        return None
    kind = series.dtype.kind
    if kind in "iuf":
        return pa.array(values, from_pandas=False)
    if kind == "M":
        unit, _ = np.datetime_data(series.dtype)
        if unit not in ("s", "ms", "us", "ns"):
            return None
        ticks = np.ascontiguousarray(values).view(np.int64)
        return pa.Array.from_buffers(pa.timestamp(unit), len(ticks), [None, pa.py_buffer(ticks)])
    return None


def events_to_arrow(data: Any) -> Any:
    """:func:`to_arrow_table` for event-log input: pandas numeric and datetime
    columns are passed without a copy (see :func:`_numpy_column`); everything
    else goes through pyarrow as usual."""
    if not isinstance(data, pd.DataFrame) or not data.columns.is_unique:
        return to_arrow_table(data)
    columns = {}
    for name in data.columns:
        series = data[name]
        column = _numpy_column(series)
        columns[str(name)] = column if column is not None else _pandas_column(str(name), series)
    return pa.table(columns)


_ARROW_ERRORS = (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError)


def _pandas_column(name: str, series: Any) -> Any:
    """A pandas column as an Arrow array; a column pyarrow cannot convert
    (an object column mixing ints and strings, say) is a :class:`TypeError`
    naming it instead of pyarrow's own exception."""
    try:
        return pa.Array.from_pandas(series)
    except _ARROW_ERRORS as exc:
        raise TypeError(f"column `{name}`: cannot convert values ({exc})") from None


def _pandas_table(data: pd.DataFrame) -> Any:
    """``pa.Table.from_pandas`` with conversion errors reported as
    :class:`TypeError` naming the first column that fails."""
    try:
        return pa.Table.from_pandas(data, preserve_index=False)
    except _ARROW_ERRORS as exc:
        for name in data.columns:
            column = data[name]
            if isinstance(column, pd.Series):
                _pandas_column(str(name), column)
        raise TypeError(f"cannot convert the table ({exc})") from None


def to_arrow_table(data: Any) -> Any:
    """Anything table-like as an object exporting ``__arrow_c_stream__``."""
    if hasattr(data, "__arrow_c_stream__") or hasattr(data, "__arrow_c_array__"):
        if isinstance(data, pd.DataFrame):
            # pandas exports through pyarrow; reset a non-default index first so
            # that it does not become an extra column.
            return _pandas_table(data)
        return data
    if isinstance(data, pd.DataFrame):
        return _pandas_table(data)
    if isinstance(data, Mapping):
        if not data:
            raise TypeError("empty mapping: expected columns such as customer_id and timestamp")
        return pa.table({str(k): _column_to_arrow(str(k), v) for k, v in data.items()})
    raise TypeError(
        "expected a pandas, polars or pyarrow table, an object with __arrow_c_stream__, "
        f"or a dict of columns; got {type(data).__name__}"
    )


def to_arrow_array(values: Any, name: str) -> Any:
    """A one-dimensional input (list, numpy array, Series, Arrow array) as an Arrow array."""
    if isinstance(values, pa.ChunkedArray):
        return values.combine_chunks()
    if hasattr(values, "__arrow_c_array__") and not isinstance(values, np.ndarray):
        if type(values).__module__.split(".")[0] == "polars":
            return values.to_arrow()
        return values
    if isinstance(values, (str, bytes)) or values is None or np.isscalar(values):
        raise TypeError(f"`{name}` must be a sequence (list, numpy array, Series), got {type(values).__name__}")
    if type(values).__module__.split(".")[0] == "polars":
        return values.to_arrow()
    return _column_to_arrow(name, values)


def from_arrow(table: Any, library: Library) -> Any:
    """An Arrow result as a pandas, polars or pyarrow table."""
    pa_table = pa.table(table)
    if library == "pyarrow":
        return pa_table
    if library == "polars":
        import polars as pl

        return pl.from_arrow(pa_table)
    return pa_table.to_pandas()


def micros(value: Any, name: str) -> int:
    """A datetime-like scalar as microseconds since the epoch (UTC).

    Accepts ``datetime`` (naive = UTC), ``date`` (midnight UTC), ISO 8601 text,
    ``numpy.datetime64``, ``pandas.Timestamp``.
    """
    if value is None or isinstance(value, bool):
        raise TypeError(f"`{name}` must be a datetime, date, ISO 8601 string or numpy.datetime64, got {value!r}")
    if isinstance(value, (int, float, np.integer, np.floating)):
        raise TypeError(
            f"`{name}` must be a datetime, date, ISO 8601 string or numpy.datetime64, not a number"
        )
    if isinstance(value, _dt.date) and not isinstance(value, _dt.datetime):
        value = _dt.datetime(value.year, value.month, value.day)
    try:
        ts = pd.Timestamp(value)
    except (ValueError, TypeError, OverflowError) as exc:
        from .errors import InvalidParameterError

        raise InvalidParameterError(
            f"invalid parameter `{name}` = {value!r}: not a datetime ({exc})",
            name=name,
            value=repr(value),
            reason="must be a datetime",
        ) from None
    if ts is pd.NaT:
        from .errors import InvalidParameterError

        raise InvalidParameterError(
            f"invalid parameter `{name}` = NaT: not a datetime", name=name, value="NaT", reason="must be a datetime"
        )
    if ts.tzinfo is None:
        ts = ts.tz_localize("UTC")
    try:
        return int(ts.value) // 1000
    except OverflowError:
        from .errors import InvalidParameterError

        raise InvalidParameterError(
            f"invalid parameter `{name}` = {value!r}: outside the supported years 1678-2261",
            name=name,
            value=repr(value),
            reason="must be within the supported range",
        ) from None


def optional_micros(value: Optional[Any], name: str) -> Optional[int]:
    return None if value is None else micros(value, name)


def to_datetime(us: Optional[int]) -> Optional[pd.Timestamp]:
    """Microseconds since the epoch as a UTC ``pandas.Timestamp``."""
    if us is None:
        return None
    return pd.Timestamp(us, unit="us", tz="UTC")


def ts_fields(d: Dict[str, Any], *keys: str) -> Dict[str, Any]:
    """``d`` with the instants (µs) under ``keys`` as UTC timestamps."""
    for k in keys:
        if k in d:
            d[k] = to_datetime(d[k])
    return d
