"""Helpers shared by the lifelines-compatible fitters."""

from __future__ import annotations

import functools
import warnings
from typing import Any, Callable, List, Optional, Tuple, TypeVar

import numpy as np
import pandas as pd

from ...errors import InvalidRowsError

T = TypeVar("T")
_F = TypeVar("_F", bound=Callable[..., Any])

#: lifelines' wording for NaN or inf in a fit's data, put before ours.
_NAN_MESSAGE = "NaNs were detected in the dataset. Try using pd.isnull to find the problematic values."


class NonFiniteRowsError(InvalidRowsError, TypeError):
    """:class:`~retention.errors.InvalidRowsError` raised by the lifelines
    door when every rejected value is missing or not finite (NaN, inf): also
    a ``TypeError``, the class lifelines raises for NaN or inf in its input.
    The ``issues`` name every row, field and value.
    """


def _nan_checked(call: Callable[[], T]) -> T:
    """``call()``, its :class:`InvalidRowsError` for missing or non-finite
    values only raised as :class:`NonFiniteRowsError`."""
    try:
        return call()
    except InvalidRowsError as exc:
        if type(exc) is InvalidRowsError and all(i["kind"] in ("not_finite", "missing") or i["value"] == "NaN"
                                                 for i in exc.issues):
            raise NonFiniteRowsError(f"{_NAN_MESSAGE} {exc.message}", issues=exc.issues) from None
        raise


def _lifelines_errors(fit: _F) -> _F:
    """``fit`` with its errors passed through :func:`_nan_checked`."""

    @functools.wraps(fit)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        return _nan_checked(lambda: fit(*args, **kwargs))

    return wrapper  # type: ignore[return-value]


def _require_columns(df: Any, **columns: Any) -> None:
    """A :class:`~retention.errors.MissingColumnError` (a :class:`KeyError`,
    as in lifelines) naming the first argument whose column(s) ``df`` lacks;
    ``None`` arguments are skipped, lists are checked item by item."""
    from ...errors import MissingColumnError

    present = set(getattr(df, "columns", ()))
    for argument, wanted in columns.items():
        for column in wanted if isinstance(wanted, (list, tuple)) else [wanted]:
            if column is not None and column not in present:
                reason = "no such column in the DataFrame"
                raise MissingColumnError(
                    f"invalid parameter `{argument}` = {column!r}: {reason}",
                    name=argument, value=repr(column), reason=reason,
                )


def _unsupported(**options: Any) -> None:
    used = [k for k, v in options.items() if v is not None]
    if used:
        raise NotImplementedError(f"retention.compat.lifelines does not support {', '.join(used)}")


def _events(durations: Any, event_observed: Any) -> np.ndarray:
    if event_observed is None:
        return np.ones(np.shape(np.asarray(durations))[0], dtype=bool)
    return np.asarray(event_observed)


def _column(values: Any, name: str, n: Optional[int] = None) -> np.ndarray:
    """A one-dimensional float column from a list, array, (n, 1) array, Series or one-column DataFrame."""
    arr = np.asarray(values, dtype=float)
    if arr.ndim == 2 and arr.shape[1] == 1:
        arr = arr[:, 0]
    elif arr.ndim == 0:
        arr = arr.reshape(1)
    if arr.ndim != 1:
        raise ValueError(f"{name} must be one-dimensional (or an (n, 1) array), got shape {arr.shape}")
    if n is not None and arr.shape[0] != n:
        raise ValueError(f"{name} has {arr.shape[0]} values, durations has {n}")
    return arr


def _flags(values: Any, n: int) -> np.ndarray:
    """Event flags as a one-dimensional array (non-zero numbers are events, as
    in lifelines); all observed when ``values`` is None."""
    if values is None:
        return np.ones(n, dtype=bool)
    arr = np.asarray(values)
    if arr.ndim == 2 and arr.shape[1] == 1:
        arr = arr[:, 0]
    if arr.dtype.kind == "O":
        # lifelines warns and converts (e.g. booleans left as objects by a
        # column that once held None); None becomes NaN, for the core to reject.
        warnings.warn(f"event_observed has dtype {arr.dtype}: attempting to convert its values to float; convert "
                      "the column to booleans or numbers to silence this warning", UserWarning, stacklevel=3)
        arr = pd.Series(arr, dtype=object).astype(float).to_numpy()
    if arr.dtype.kind in "iuf":
        # lifelines reads any non-zero code as an event (its competing-risk
        # codes 1, 2, ... included); NaN stays NaN for the core to reject.
        with np.errstate(invalid="ignore"):
            return np.where(np.isnan(arr), np.nan, arr != 0) if arr.dtype.kind == "f" else arr != 0
    return arr


def _missing(rows: Any, field: str) -> NonFiniteRowsError:
    """The error for missing values at the positions ``rows`` of ``field``
    (``"formula"``: a variable of the formula), in the core's wording."""
    issues = [dict(row=int(r), field=field, value="NaN", reason="missing", kind="missing") for r in rows]
    shown = "; ".join(f"row {i['row']}: field `{field}`: missing" for i in issues[:10])
    return NonFiniteRowsError(f"{_NAN_MESSAGE} {len(issues)} invalid input row(s): {shown}", issues=issues)


def _event_flags(values: Any, field: str) -> np.ndarray:
    """lifelines' event column as booleans (non-zero is an event); missing
    values (None, NaN) raise :class:`NonFiniteRowsError` naming each row by
    its position in ``values``."""
    arr = np.asarray(values)
    if arr.dtype.kind in "biu":
        return _flags(arr, 0).astype(bool)  # no missing value possible
    missing = np.flatnonzero(np.isnan(arr) if arr.dtype.kind == "f" else pd.isna(arr.astype(object)))
    if missing.size:
        raise _missing(missing, field)
    return _flags(values, 0).astype(bool)


def _formula_matrix(spec: Any, df: pd.DataFrame) -> pd.DataFrame:
    """The design matrix of formulaic model ``spec`` on ``df``, as floats and
    without an ``Intercept`` column; rows with a missing value in a variable
    of the formula raise :class:`NonFiniteRowsError` naming them (formulaic
    would drop them)."""
    M = pd.DataFrame(spec.get_model_matrix(df))
    if len(M) != len(df):
        raise _missing(np.flatnonzero(~df.index.isin(M.index)), "formula")
    return M.drop(columns=[c for c in M.columns if c == "Intercept"]).astype(float)


def _summary_text(model: Any, headers: List[Tuple[str, Any]], footers: List[Tuple[str, Any]],
                  decimals: int = 2, style: Optional[str] = None, columns: Any = None) -> str:
    """A regression model's summary in lifelines' layout: ``style`` ``None``
    or ``"ascii"`` (``repr(model)``, the ``headers``, the ``summary`` table in
    one or two blocks and the ``footers``), ``"html"`` or ``"latex"`` (the
    same pieces rendered by pandas)."""
    import pandas as pd

    table = model.summary
    if columns is not None:
        table = table[table.columns.intersection(list(columns))]
    floats = lambda v: "{:4.{p}f}".format(v, p=decimals)  # noqa: E731
    threshold = 0.5 * 10 ** (-decimals)
    p_value = lambda v: "<%s" % threshold if v < threshold else floats(v)  # noqa: E731
    exp_floats = lambda v: "{:.{p}e}".format(v, p=decimals) if v > 1e5 else floats(v)  # noqa: E731
    formatters = {c: exp_floats for c in table.columns if "exp(" in c}
    if "p" in table.columns:
        formatters["p"] = p_value
    if style in ("html", "latex"):
        if style == "latex":
            return str(table.style.format(precision=decimals).to_latex())
        head = pd.DataFrame.from_records([("model", "lifelines." + type(model).__name__)] + headers).set_index(0)
        parts = [head.to_html(header=False, notebook=True, index_names=False),
                 table.to_html(col_space=12, index_names=False, float_format=floats, formatters=formatters)]
        if footers:
            parts.append("<br>" + pd.DataFrame.from_records(footers).set_index(0).to_html(
                header=False, notebook=True, index_names=False))
        return "<div>" + "".join(parts) + "</div>"
    if style not in (None, "ascii"):
        raise ValueError(f"style must be one of 'ascii', 'html', 'latex', not {style!r}")
    width = max([18] + [len(k) for k, _ in headers])
    lines = [repr(model)] + [f"{k.rjust(width)} = {v}" for k, v in headers] + ["", "---"]
    first = [c for c in table.columns if c not in ("cmp to", "z", "p", "-log2(p)")]
    second = [c for c in table.columns if c in ("cmp to", "z", "p", "-log2(p)")]
    blocks = [table.columns.tolist()] if len(table.columns) <= 7 else [first, second]
    rendered = [table[b].to_string(float_format=floats, formatters={c: f for c, f in formatters.items() if c in b})
                for b in blocks if b]
    lines.append("\n\n".join(rendered))
    lines.append("---")
    lines += [f"{k} = {v}" for k, v in footers]
    return "\n".join(lines)
