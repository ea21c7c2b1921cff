"""Helpers shared by the lifelines-compatible fitters."""

from __future__ import annotations

import functools
from typing import Any, Callable, Optional, TypeVar

import numpy as np

from ...errors import InvalidRowsError

_F = TypeVar("_F", bound=Callable[..., Any])


class NonFiniteRowsError(InvalidRowsError, TypeError):
    """:class:`~retention.errors.InvalidRowsError` raised by the lifelines
    door when every rejected value is missing or not finite (NaN, inf): also
    a ``TypeError``, the class lifelines raises for NaN or inf in its input.
    """


def _lifelines_errors(fit: _F) -> _F:
    """Re-raises the core's missing/non-finite row errors of ``fit`` as
    :class:`NonFiniteRowsError` (same message and issues)."""

    @functools.wraps(fit)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fit(*args, **kwargs)
        except InvalidRowsError as exc:
            if type(exc) is InvalidRowsError and all(i["kind"] in ("not_finite", "missing") or i["value"] == "NaN"
                                                     for i in exc.issues):
                raise NonFiniteRowsError(exc.message, issues=exc.issues) from None
            raise

    return wrapper  # type: ignore[return-value]


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
    if arr.dtype.kind in "iuf":
        # lifelines reads any non-zero code as an event (its competing-risk
        # codes 1, 2, ... included); NaN stays NaN for the core to reject.
        with np.errstate(invalid="ignore"):
            return np.where(np.isnan(arr), np.nan, arr != 0) if arr.dtype.kind == "f" else arr != 0
    return arr
