"""Buy-till-you-die models: BG/NBD, MBG/NBD, Pareto/NBD, BG/BB, Gamma-Gamma and
predictive CLV, fitted by maximum likelihood in Rust.

Inputs are per-customer columns (lists, numpy arrays, pandas/polars Series,
Arrow arrays) or one table holding them (``frequency``, ``recency``, ``T``
and, where needed, ``monetary_value`` / ``n_periods`` / ``weights``), such as
the output of :func:`retention.summary_data`. Time is in whatever unit the
columns use; predictions come back as numpy arrays in that unit.

>>> import retention
>>> m = retention.fit_bgnbd([2, 1, 0, 0], [30.43, 1.71, 0, 0], [38.86, 38.86, 38.86, 38.86])
>>> sorted(m.params)
['a', 'alpha', 'b', 'r']
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Dict, List, Mapping, Optional, Sequence, Tuple, Union

import numpy as np
import pyarrow as pa

from . import _retention, codes
from ._frames import to_arrow_array

__all__ = [
    "FitDiagnostics",
    "TransactionModel",
    "BgBbModel",
    "GammaGammaModel",
    "fit_bgnbd",
    "fit_mbgnbd",
    "fit_pareto_nbd",
    "fit_bgbb",
    "fit_gamma_gamma",
    "predictive_clv",
    "frequency_monetary_correlation",
]

_TRANSACTION_MODELS = ("bg_nbd", "mbg_nbd", "pareto_nbd")


@dataclass(frozen=True)
class FitDiagnostics:
    """What a fit reports besides the parameters.

    ``standard_errors`` (by parameter name) and ``covariance`` (a ``k × k``
    array in parameter order) come from the observed information; they are
    ``None`` when it is not positive definite.
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


class TransactionModel:
    """A BG/NBD (``"bg_nbd"``), MBG/NBD (``"mbg_nbd"``) or Pareto/NBD
    (``"pareto_nbd"``) model.

    Build one with known parameters (``TransactionModel("bg_nbd", {"r": …,
    "alpha": …, "a": …, "b": …})``) or fit it with :meth:`fit` /
    :func:`fit_bgnbd` / :func:`fit_mbgnbd` / :func:`fit_pareto_nbd`.
    """

    __slots__ = ("_inner", "diagnostics")

    def __init__(self, model: codes.TransactionModel, params: Union[Mapping[str, float], Sequence[float]]) -> None:
        values: Any = dict(params) if isinstance(params, Mapping) else [float(v) for v in params]
        self._inner = _retention.TransactionModel(model, values)
        self.diagnostics: Optional[FitDiagnostics] = None

    @classmethod
    def _wrap(cls, inner: _retention.TransactionModel, diag: Optional[FitDiagnostics]) -> "TransactionModel":
        obj = cls.__new__(cls)
        obj._inner = inner
        obj.diagnostics = diag
        return obj

    @classmethod
    def fit(
        cls,
        model: codes.TransactionModel,
        frequency: Any,
        recency: Any = None,
        T: Any = None,
        weights: Any = None,
        *,
        penalizer_coef: float = 0.0,
        initial_params: Any = None,
        tolerance: float = 1e-8,
        max_iterations: int = 500,
    ) -> "TransactionModel":
        """Maximum-likelihood fit on ``(frequency, recency, T[, weights])``,
        given as columns or as one table with those column names."""
        if recency is None and T is None and _is_table(frequency):
            table = frequency
            frequency, recency, T = _table_columns(table, ["frequency", "recency", "T"])
            if weights is None and "weights" in _column_names(table):
                weights = table["weights"]
        if recency is None or T is None:
            raise TypeError("fit needs frequency, recency and T (columns or a table holding them)")
        inner, diag = _retention.TransactionModel.fit(
            model, _arr(frequency, "frequency"), _arr(recency, "recency"), _arr(T, "T"),
            _opt(weights, "weights"), **_fit_options(penalizer_coef, initial_params, tolerance, max_iterations),
        )
        return cls._wrap(inner, FitDiagnostics._from_dict(diag))

    @property
    def model(self) -> str:
        """``"bg_nbd"``, ``"mbg_nbd"`` or ``"pareto_nbd"``."""
        return self._inner.model

    @property
    def params(self) -> Dict[str, float]:
        """Parameters by name (``r, alpha, a, b`` or ``r, alpha, s, beta``)."""
        return dict(self._inner.params)

    @property
    def log_likelihood(self) -> Optional[float]:
        """Maximised log-likelihood of the fit (``None`` for given parameters)."""
        return None if self.diagnostics is None else self.diagnostics.log_likelihood

    @property
    def standard_errors(self) -> Optional[Dict[str, float]]:
        """Standard errors of the fit by parameter name."""
        return None if self.diagnostics is None else self.diagnostics.standard_errors

    def score(self, frequency: Any, recency: Any, T: Any, weights: Any = None) -> float:
        """Total (weighted) log-likelihood of other data at these parameters."""
        return float(self._inner.log_likelihood(
            _arr(frequency, "frequency"), _arr(recency, "recency"), _arr(T, "T"), _opt(weights, "weights")
        ))

    def expected_purchases(self, t: Any) -> Any:
        """Expected repeat purchases in ``(0, t]`` of a new customer (float
        for a scalar ``t``, array otherwise)."""
        scalar = np.ndim(t) == 0
        out = _np(self._inner.expected_purchases(_arr(t if not scalar else [t], "t")))
        return float(out[0]) if scalar else out

    def conditional_expected_purchases(self, t: float, frequency: Any, recency: Any, T: Any) -> np.ndarray:
        """Expected purchases in the next ``t`` of each customer."""
        return _np(self._inner.conditional_expected_purchases(
            _float(t, "t"), _arr(frequency, "frequency"), _arr(recency, "recency"), _arr(T, "T")
        ))

    def probability_alive(self, frequency: Any, recency: Any, T: Any) -> np.ndarray:
        """P(alive) of each customer at the end of observation."""
        return _np(self._inner.probability_alive(_arr(frequency, "frequency"), _arr(recency, "recency"), _arr(T, "T")))

    def probability_of_purchases(self, n: int, t: float) -> float:
        """P(exactly ``n`` repeat purchases in ``(0, t]``) for a new customer."""
        return float(self._inner.probability_of_purchases(_int(n, "n"), _float(t, "t")))

    def probability_alive_matrix(self, max_frequency: int, max_recency: int) -> np.ndarray:
        """P(alive) on the grid recency ``0..max_recency`` (rows) × frequency
        ``0..max_frequency`` (columns) for customers of age ``T = max_recency``
        (the layout of lifetimes' ``conditional_probability_alive_matrix``).
        The frequency-0 column uses recency 0, the only possible history."""
        fmax, rmax = _int(max_frequency, "max_frequency"), _int(max_recency, "max_recency")
        rec, freq = np.meshgrid(np.arange(rmax + 1, dtype=float), np.arange(fmax + 1, dtype=float), indexing="ij")
        rec = np.where(freq == 0, 0.0, rec)
        p = self.probability_alive(freq.ravel(), rec.ravel(), np.full(freq.size, float(rmax)))
        return p.reshape(rmax + 1, fmax + 1)

    def __repr__(self) -> str:
        return repr(self._inner)


def fit_bgnbd(frequency: Any, recency: Any = None, T: Any = None, weights: Any = None, **options: Any) -> TransactionModel:
    """Fits BG/NBD (Fader, Hardie & Lee 2005); see :meth:`TransactionModel.fit`."""
    return TransactionModel.fit("bg_nbd", frequency, recency, T, weights, **options)


def fit_mbgnbd(frequency: Any, recency: Any = None, T: Any = None, weights: Any = None, **options: Any) -> TransactionModel:
    """Fits MBG/NBD (Batislam et al. 2007); see :meth:`TransactionModel.fit`."""
    return TransactionModel.fit("mbg_nbd", frequency, recency, T, weights, **options)


def fit_pareto_nbd(frequency: Any, recency: Any = None, T: Any = None, weights: Any = None, **options: Any) -> TransactionModel:
    """Fits Pareto/NBD (Schmittlein et al. 1987); see :meth:`TransactionModel.fit`."""
    return TransactionModel.fit("pareto_nbd", frequency, recency, T, weights, **options)


# ------------------------------------------------------------------ BG/BB


class BgBbModel:
    """BG/BB for discrete transaction opportunities (Fader, Hardie & Shang 2010)."""

    __slots__ = ("_inner", "diagnostics")

    def __init__(self, alpha: float, beta: float, gamma: float, delta: float) -> None:
        self._inner = _retention.BgBbModel(
            _float(alpha, "alpha"), _float(beta, "beta"), _float(gamma, "gamma"), _float(delta, "delta")
        )
        self.diagnostics: Optional[FitDiagnostics] = None

    @classmethod
    def fit(
        cls,
        frequency: Any,
        recency: Any = None,
        n_periods: Any = None,
        weights: Any = None,
        *,
        penalizer_coef: float = 0.0,
        initial_params: Any = None,
        tolerance: float = 1e-8,
        max_iterations: int = 500,
    ) -> "BgBbModel":
        """Maximum-likelihood fit on ``(frequency, recency, n_periods[, weights])``."""
        if recency is None and n_periods is None and _is_table(frequency):
            table = frequency
            frequency, recency, n_periods = _table_columns(table, ["frequency", "recency", "n_periods"])
            if weights is None and "weights" in _column_names(table):
                weights = table["weights"]
        if recency is None or n_periods is None:
            raise TypeError("fit needs frequency, recency and n_periods")
        inner, diag = _retention.BgBbModel.fit(
            _arr(frequency, "frequency"), _arr(recency, "recency"), _arr(n_periods, "n_periods"),
            _opt(weights, "weights"), **_fit_options(penalizer_coef, initial_params, tolerance, max_iterations),
        )
        obj = cls.__new__(cls)
        obj._inner = inner
        obj.diagnostics = FitDiagnostics._from_dict(diag)
        return obj

    @property
    def params(self) -> Dict[str, float]:
        """``alpha, beta, gamma, delta``."""
        return dict(self._inner.params)

    @property
    def log_likelihood(self) -> Optional[float]:
        """Maximised log-likelihood of the fit."""
        return None if self.diagnostics is None else self.diagnostics.log_likelihood

    def score(self, frequency: Any, recency: Any, n_periods: Any, weights: Any = None) -> float:
        """Total (weighted) log-likelihood of data at these parameters."""
        return float(self._inner.log_likelihood(
            _arr(frequency, "frequency"), _arr(recency, "recency"), _arr(n_periods, "n_periods"), _opt(weights, "weights")
        ))

    def expected_transactions(self, n: int) -> float:
        """Expected transactions in the first ``n`` opportunities of a new customer."""
        return float(self._inner.expected_transactions(_int(n, "n")))

    def probability_of_transactions(self, x: int, n: int) -> float:
        """P(exactly ``x`` transactions in the first ``n`` opportunities)."""
        return float(self._inner.probability_of_transactions(_int(x, "x"), _int(n, "n")))

    def conditional_expected_transactions(self, future: int, frequency: Any, recency: Any, n_periods: Any) -> np.ndarray:
        """Expected transactions in the next ``future`` opportunities."""
        return _np(self._inner.conditional_expected_transactions(
            _int(future, "future"), _arr(frequency, "frequency"), _arr(recency, "recency"), _arr(n_periods, "n_periods")
        ))

    def probability_alive(self, frequency: Any, recency: Any, n_periods: Any, future: int = 1) -> np.ndarray:
        """P(alive at opportunity ``n_periods + future``)."""
        return _np(self._inner.probability_alive(
            _arr(frequency, "frequency"), _arr(recency, "recency"), _arr(n_periods, "n_periods"), _int(future, "future")
        ))

    def __repr__(self) -> str:
        return repr(self._inner)


def fit_bgbb(frequency: Any, recency: Any = None, n_periods: Any = None, weights: Any = None, **options: Any) -> BgBbModel:
    """Fits BG/BB; see :meth:`BgBbModel.fit`."""
    return BgBbModel.fit(frequency, recency, n_periods, weights, **options)


# ------------------------------------------------------------ Gamma-Gamma


class GammaGammaModel:
    """Gamma-Gamma model of spend per transaction (Fader, Hardie & Lee 2005b)."""

    __slots__ = ("_inner", "diagnostics")

    def __init__(self, p: float, q: float, gamma: float) -> None:
        self._inner = _retention.GammaGammaModel(_float(p, "p"), _float(q, "q"), _float(gamma, "gamma"))
        self.diagnostics: Optional[FitDiagnostics] = None

    @classmethod
    def fit(
        cls,
        frequency: Any,
        monetary_value: Any = None,
        weights: Any = None,
        *,
        penalizer_coef: float = 0.0,
        initial_params: Any = None,
        tolerance: float = 1e-8,
        max_iterations: int = 500,
    ) -> "GammaGammaModel":
        """Maximum-likelihood fit on the repeat buyers (``frequency ≥ 1``);
        rows with ``frequency = 0`` are accepted and skipped."""
        if monetary_value is None and _is_table(frequency):
            table = frequency
            frequency, monetary_value = _table_columns(table, ["frequency", "monetary_value"])
            if weights is None and "weights" in _column_names(table):
                weights = table["weights"]
        if monetary_value is None:
            raise TypeError("fit needs frequency and monetary_value")
        inner, diag = _retention.GammaGammaModel.fit(
            _arr(frequency, "frequency"), _arr(monetary_value, "monetary_value"), _opt(weights, "weights"),
            **_fit_options(penalizer_coef, initial_params, tolerance, max_iterations),
        )
        obj = cls.__new__(cls)
        obj._inner = inner
        obj.diagnostics = FitDiagnostics._from_dict(diag)
        return obj

    @property
    def params(self) -> Dict[str, float]:
        """``p, q, gamma``."""
        return dict(self._inner.params)

    @property
    def log_likelihood(self) -> Optional[float]:
        """Maximised log-likelihood of the fit."""
        return None if self.diagnostics is None else self.diagnostics.log_likelihood

    def score(self, frequency: Any, monetary_value: Any, weights: Any = None) -> float:
        """Total (weighted) log-likelihood of the repeat buyers at these parameters."""
        return float(self._inner.log_likelihood(
            _arr(frequency, "frequency"), _arr(monetary_value, "monetary_value"), _opt(weights, "weights")
        ))

    def expected_average_spend(self) -> float:
        """Population mean spend per transaction ``p·gamma/(q−1)``."""
        return float(self._inner.expected_average_spend())

    def conditional_expected_average_spend(self, frequency: Any, monetary_value: Any) -> np.ndarray:
        """Expected spend per transaction of each customer."""
        return _np(self._inner.conditional_expected_average_spend(
            _arr(frequency, "frequency"), _arr(monetary_value, "monetary_value")
        ))

    def __repr__(self) -> str:
        return repr(self._inner)


def fit_gamma_gamma(frequency: Any, monetary_value: Any = None, weights: Any = None, **options: Any) -> GammaGammaModel:
    """Fits Gamma-Gamma; see :meth:`GammaGammaModel.fit`."""
    return GammaGammaModel.fit(frequency, monetary_value, weights, **options)


# -------------------------------------------------------------------- CLV


def predictive_clv(
    model: TransactionModel,
    spend: GammaGammaModel,
    frequency: Any,
    recency: Any,
    T: Any,
    monetary_value: Any,
    *,
    horizon_months: int = 12,
    monthly_discount_rate: float = 0.01,
    time_unit: Optional[codes.ClvTimeUnit] = None,
    unit_days: Optional[float] = None,
) -> np.ndarray:
    """Discounted predictive CLV per customer: Gamma-Gamma expected spend ×
    the transaction model's expected purchases month by month (lifetimes'
    ``customer_lifetime_value``). ``time_unit`` is the unit of ``T``:
    ``"hour"``, ``"day"`` (when neither is given), ``"week"`` or
    ``"month"``; or give ``unit_days``, a number of days per unit."""
    if not isinstance(model, TransactionModel):
        raise TypeError(f"`model` must be a retention.TransactionModel, got {type(model).__name__}")
    if not isinstance(spend, GammaGammaModel):
        raise TypeError(f"`spend` must be a retention.GammaGammaModel, got {type(spend).__name__}")
    return _np(_retention.predictive_clv(
        model._inner, spend._inner, _arr(frequency, "frequency"), _arr(recency, "recency"), _arr(T, "T"),
        _arr(monetary_value, "monetary_value"), horizon_months=_int(horizon_months, "horizon_months"),
        monthly_discount_rate=_float(monthly_discount_rate, "monthly_discount_rate"), time_unit=time_unit,
        unit_days=None if unit_days is None else _float(unit_days, "unit_days"),
    ))


def frequency_monetary_correlation(frequency: Any, monetary_value: Any) -> Optional[float]:
    """Pearson correlation of frequency and mean spend over repeat buyers: the
    Gamma-Gamma independence check (near 0 supports the model)."""
    return _retention.frequency_monetary_correlation(_arr(frequency, "frequency"), _arr(monetary_value, "monetary_value"))
