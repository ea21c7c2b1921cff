"""Shared pieces of the model wrappers: fit diagnostics and argument conversion.

Re-exported by :mod:`retention.models`, whose documentation describes the
inputs.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Dict, List, Mapping, Optional, Sequence, Tuple

import numpy as np
import pyarrow as pa

from ._frames import to_arrow_array


@dataclass(frozen=True)
class FitDiagnostics:
    """What a maximum-likelihood fit reports besides the parameters.

    Found on the ``diagnostics`` attribute of a fitted model (``None`` for a
    model built from given parameters).

    Attributes
    ----------
    log_likelihood : float
        Maximised total (weighted) log-likelihood.
    parameter_names : tuple of str
        Parameter names in parameter order.
    standard_errors : dict or None
        Standard error by parameter name, from the observed information;
        ``None`` when it is not positive definite.
    covariance : numpy.ndarray or None
        ``k × k`` covariance matrix in parameter order; ``None`` as above.
    rows : int
        Input rows used.
    total_weight : float
        Sum of the weights (the row count without weights).
    penalizer_coef : float
        The L2 penalty used.
    method : str
        Optimiser of the accepted attempt (an ``"optim_method"`` code:
        ``"bfgs"`` or ``"nelder_mead_then_bfgs"``).
    iterations : int
        Iterations of the accepted attempt.
    attempts : int
        Optimisation attempts made.

    Examples
    --------
    >>> import retention
    >>> log = retention.EventLog.sample(seed=42, customers=200)
    >>> data = retention.summary_data(log, "2025-01-01", unit="week")
    >>> diag = retention.fit_bgnbd(data).diagnostics
    >>> diag.parameter_names, diag.rows, diag.covariance.shape
    (('r', 'alpha', 'a', 'b'), 161, (4, 4))
    """

    log_likelihood: float
    parameter_names: Tuple[str, ...]
    standard_errors: Optional[Dict[str, float]]
    covariance: Optional[np.ndarray]
    rows: int
    total_weight: float
    penalizer_coef: float
    method: str
    iterations: int
    attempts: int

    @classmethod
    def _from_dict(cls, d: Mapping[str, Any]) -> "FitDiagnostics":
        names = tuple(d["parameter_names"])
        k = len(names)
        se = d["standard_errors"]
        cov = d["covariance"]
        return cls(
            log_likelihood=float(d["log_likelihood"]),
            parameter_names=names,
            standard_errors=None if se is None else dict(zip(names, map(float, se))),
            covariance=None if cov is None else np.asarray(cov, dtype=float).reshape(k, k),
            rows=int(d["rows"]),
            total_weight=float(d["total_weight"]),
            penalizer_coef=float(d["penalizer_coef"]),
            method=str(d["method"]),
            iterations=int(d["iterations"]),
            attempts=int(d["attempts"]),
        )


# ----------------------------------------------------------------- helpers


def _arr(values: Any, name: str) -> Any:
    if isinstance(values, (int, float, np.integer, np.floating)) and not isinstance(values, bool):
        return pa.array([float(values)], type=pa.float64())
    return to_arrow_array(values, name)


def _opt(values: Any, name: str) -> Any:
    return None if values is None else _arr(values, name)


def _np(result: Any) -> np.ndarray:
    return np.asarray(pa.array(result).to_numpy(zero_copy_only=False), dtype=float)


def _table_columns(data: Any, names: Sequence[str]) -> List[Any]:
    """Columns ``names`` of a table (pandas, polars, pyarrow or a mapping)."""
    missing = [n for n in names if n not in _column_names(data)]
    if missing:
        raise KeyError(f"the table has no column(s) {missing}; expected {list(names)}")
    return [data[n] for n in names]


def _column_names(data: Any) -> List[str]:
    if isinstance(data, Mapping):
        return [str(k) for k in data]
    cols = getattr(data, "column_names", None)  # pyarrow (whose .columns are the arrays)
    if cols is None:
        cols = getattr(data, "columns", None)
    return [str(c) for c in cols] if cols is not None else []


def _is_table(x: Any) -> bool:
    return isinstance(x, Mapping) or hasattr(x, "columns") or hasattr(x, "column_names")


def _int(value: Any, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        if isinstance(value, (float, np.floating)) and float(value).is_integer():
            value = int(value)
        else:
            raise TypeError(f"`{name}` must be a whole number, got {value!r}")
    if value < 0:
        from .errors import InvalidParameterError

        raise InvalidParameterError(
            f"invalid parameter `{name}` = {value}: must not be negative",
            name=name, value=str(value), reason="must not be negative",
        )
    return int(value)


def _float(value: Any, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise TypeError(f"`{name}` must be a number, got {type(value).__name__}")
    return float(value)


def _initial(values: Optional[Any]) -> Optional[List[float]]:
    if values is None:
        return None
    if isinstance(values, Mapping):
        values = list(values.values())
    return [float(v) for v in np.asarray(values, dtype=float).ravel()]


def _fit_options(penalizer_coef: Any, initial_params: Any, tolerance: Any, max_iterations: Any) -> Dict[str, Any]:
    return dict(
        penalizer_coef=_float(penalizer_coef, "penalizer_coef"),
        initial_params=_initial(initial_params),
        tolerance=_float(tolerance, "tolerance"),
        max_iterations=_int(max_iterations, "max_iterations"),
    )


# ------------------------------------------------- continuous-time models
