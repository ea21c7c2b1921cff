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
    "fit_ggom_nbd",
    "fit_bgbb",
    "fit_gamma_gamma",
    "predictive_clv",
    "frequency_monetary_correlation",
    "predictive_clv_intervals",
]

_TRANSACTION_MODELS = ("bg_nbd", "mbg_nbd", "pareto_nbd", "ggom_nbd")

# The prediction methods of TransactionModel live in their own module.
from ._predictions import _BgBbPredictions, _TransactionPredictions, predictive_clv_intervals  # noqa: E402


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


class TransactionModel(_TransactionPredictions):
    """A BG/NBD, MBG/NBD, Pareto/NBD or GGompertz/NBD model of repeat purchases in continuous time.

    Build one with known parameters or fit it with :meth:`fit` /
    :func:`fit_bgnbd` / :func:`fit_mbgnbd` / :func:`fit_pareto_nbd` /
    :func:`fit_ggom_nbd`. Time is
    in the unit of the data it was fitted on (e.g. weeks for
    ``summary_data(..., unit="week")``).

    Parameters
    ----------
    model : {"bg_nbd", "mbg_nbd", "pareto_nbd", "ggom_nbd"}
        The model (vocabulary ``"transaction_model"``).
    params : dict or sequence of float
        Parameters by name (``r, alpha, a, b`` for BG/NBD and MBG/NBD,
        ``r, alpha, s, beta`` for Pareto/NBD, ``r, alpha, b, s, beta`` for
        GGompertz/NBD; any order), or a sequence in that order.

    Attributes
    ----------
    diagnostics : FitDiagnostics or None
        What the fit reported; ``None`` for given parameters.

    Raises
    ------
    UnknownCodeError
        If ``model`` is not one of its codes; ``accepted`` lists them.
    InvalidParameterError
        If a parameter is missing, not positive or not finite.

    Examples
    --------
    >>> import retention
    >>> model = retention.TransactionModel("bg_nbd", {"r": 0.25, "alpha": 4.0, "a": 0.8, "b": 2.5})
    >>> model
    TransactionModel("bg_nbd", r=0.250000, alpha=4.000000, a=0.800000, b=2.500000)
    >>> round(model.expected_purchases(10), 4)
    0.4829
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
        """Maximum-likelihood fit on ``(frequency, recency, T[, weights])``.

        Given as columns, or as one table with those column names (such as the
        output of :func:`retention.summary_data`; a ``weights`` column is used
        when present). Several starts and optimisers are tried until one
        converges.

        Parameters
        ----------
        model : {"bg_nbd", "mbg_nbd", "pareto_nbd", "ggom_nbd"}
            The model (vocabulary ``"transaction_model"``).
        frequency : sequence of float or table
            Repeat purchases per customer, or a table with ``frequency``,
            ``recency`` and ``T`` columns (then leave ``recency`` and ``T`` out).
        recency : sequence of float, optional
            Age at the last purchase (0 without repeat purchases).
        T : sequence of float, optional
            Age at the end of observation, ``recency ≤ T``.
        weights : sequence of float, optional
            Row weights (e.g. counts of identical customers).
        penalizer_coef : float, default 0.0
            L2 penalty on the parameters (as lifetimes' ``penalizer_coef``).
        initial_params : dict or sequence of float, optional
            Starting parameters in parameter order (a dict's values are taken in
            its order); ``None`` (default) tries the built-in starts.
        tolerance : float, default 1e-08
            Convergence tolerance of the optimiser.
        max_iterations : int, default 500
            Iteration limit per optimisation attempt.

        Returns
        -------
        TransactionModel
            The fitted model; ``diagnostics`` holds the :class:`FitDiagnostics`.

        Raises
        ------
        UnknownCodeError
            If ``model`` is not one of its codes; ``accepted`` lists them.
        InvalidRowsError
            Naming every invalid row (negative values, ``recency > T``…).
        LengthMismatchError
            If the columns differ in length.
        FitNotConvergedError
            If no attempt converged; ``attempts`` describes each.
        KeyError
            If a table lacks one of the columns.

        Examples
        --------
        >>> import retention
        >>> log = retention.EventLog.sample(seed=42, customers=200)
        >>> data = retention.summary_data(log, "2025-01-01", unit="week")
        >>> model = retention.TransactionModel.fit("bg_nbd", data)
        >>> sorted(model.params), round(model.log_likelihood, 1)
        (['a', 'alpha', 'b', 'r'], -895.3)
        """
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
        """The model code: ``"bg_nbd"``, ``"mbg_nbd"``, ``"pareto_nbd"`` or ``"ggom_nbd"``.

        Returns
        -------
        str

        Examples
        --------
        >>> import retention
        >>> retention.TransactionModel("pareto_nbd", [0.55, 10.58, 0.61, 11.67]).model
        'pareto_nbd'
        """
        return self._inner.model

    @property
    def params(self) -> Dict[str, float]:
        """Parameters by name (``r, alpha, a, b``, ``r, alpha, s, beta`` or ``r, alpha, b, s, beta``).

        Returns
        -------
        dict of str to float

        Examples
        --------
        >>> import retention
        >>> retention.TransactionModel("bg_nbd", [0.25, 4.0, 0.8, 2.5]).params
        {'r': 0.25, 'alpha': 4.0, 'a': 0.8, 'b': 2.5}
        """
        return dict(self._inner.params)

    @property
    def log_likelihood(self) -> Optional[float]:
        """Maximised log-likelihood of the fit (``None`` for given parameters).

        Returns
        -------
        float or None

        Examples
        --------
        >>> import retention
        >>> log = retention.EventLog.sample(seed=42, customers=200)
        >>> model = retention.fit_bgnbd(retention.summary_data(log, "2025-01-01", unit="week"))
        >>> round(model.log_likelihood, 1)
        -895.3
        >>> print(retention.TransactionModel("bg_nbd", [0.25, 4.0, 0.8, 2.5]).log_likelihood)
        None
        """
        return None if self.diagnostics is None else self.diagnostics.log_likelihood

    @property
    def standard_errors(self) -> Optional[Dict[str, float]]:
        """Standard errors of the fit by parameter name.

        ``None`` for given parameters, or when the observed information is not
        positive definite.

        Returns
        -------
        dict of str to float, or None

        Examples
        --------
        >>> import retention
        >>> log = retention.EventLog.sample(seed=42, customers=200)
        >>> model = retention.fit_bgnbd(retention.summary_data(log, "2025-01-01", unit="week"))
        >>> sorted(model.standard_errors)
        ['a', 'alpha', 'b', 'r']
        """
        return None if self.diagnostics is None else self.diagnostics.standard_errors

    def score(self, frequency: Any, recency: Any, T: Any, weights: Any = None) -> float:
        """Total (weighted) log-likelihood of other data at these parameters.

        Parameters
        ----------
        frequency : sequence of float
            Repeat purchases per customer.
        recency : sequence of float
            Age at the last purchase.
        T : sequence of float
            Age at the end of observation.
        weights : sequence of float, optional
            Row weights; ``None`` (default) weighs every row 1.

        Returns
        -------
        float
            The log-likelihood (higher is better), e.g. on a holdout sample.

        Raises
        ------
        InvalidRowsError
            Naming every invalid row.
        LengthMismatchError
            If the columns differ in length.

        Examples
        --------
        >>> import retention
        >>> model = retention.TransactionModel("bg_nbd", {"r": 0.25, "alpha": 4.0, "a": 0.8, "b": 2.5})
        >>> round(model.score([2, 1, 0], [30.43, 1.71, 0], [38.86, 38.86, 38.86]), 4)
        -14.4407
        """
        return float(self._inner.log_likelihood(
            _arr(frequency, "frequency"), _arr(recency, "recency"), _arr(T, "T"), _opt(weights, "weights")
        ))

    def expected_purchases(self, t: Any) -> Any:
        """Expected repeat purchases in ``(0, t]`` of a new customer.

        Parameters
        ----------
        t : float or sequence of float
            Length(s) of time, in the model's time unit.

        Returns
        -------
        float or numpy.ndarray
            A float for a scalar ``t``, an array otherwise.

        Examples
        --------
        >>> import retention
        >>> model = retention.TransactionModel("bg_nbd", {"r": 0.25, "alpha": 4.0, "a": 0.8, "b": 2.5})
        >>> round(model.expected_purchases(10), 4)
        0.4829
        >>> model.expected_purchases([1, 10]).round(4).tolist()
        [0.0603, 0.4829]
        """
        scalar = np.ndim(t) == 0
        out = _np(self._inner.expected_purchases(_arr(t if not scalar else [t], "t")))
        return float(out[0]) if scalar else out

    def conditional_expected_purchases(self, t: Any, frequency: Any, recency: Any, T: Any) -> np.ndarray:
        """Expected purchases of each customer in the next ``t``, given their history.

        Parameters
        ----------
        t : float or sequence of float
            Length of the future period, in the model's time unit: one for
            every customer, or one per customer.
        frequency : sequence of float
            Repeat purchases per customer.
        recency : sequence of float
            Age at the last purchase.
        T : sequence of float
            Age at the end of observation.

        Returns
        -------
        numpy.ndarray
            One expectation per customer.

        Raises
        ------
        InvalidRowsError
            Naming every invalid row.
        LengthMismatchError
            If the columns differ in length.

        Examples
        --------
        >>> import retention
        >>> model = retention.TransactionModel("bg_nbd", {"r": 0.25, "alpha": 4.0, "a": 0.8, "b": 2.5})
        >>> model.conditional_expected_purchases(10, [0, 2], [0, 30], [38, 38]).round(4).tolist()
        [0.0575, 0.3708]
        >>> model.conditional_expected_purchases([10, 20], [0, 2], [0, 30], [38, 38]).round(4).tolist()
        [0.0575, 0.7062]
        """
        horizon = _float(t, "t") if np.ndim(t) == 0 else _arr(t, "t")
        return _np(self._inner.conditional_expected_purchases(
            horizon, _arr(frequency, "frequency"), _arr(recency, "recency"), _arr(T, "T")
        ))

    def probability_alive(self, frequency: Any, recency: Any, T: Any) -> np.ndarray:
        """P(alive) of each customer at the end of observation.

        Parameters
        ----------
        frequency : sequence of float
            Repeat purchases per customer.
        recency : sequence of float
            Age at the last purchase.
        T : sequence of float
            Age at the end of observation.

        Returns
        -------
        numpy.ndarray
            One probability per customer.

        Raises
        ------
        InvalidRowsError
            Naming every invalid row.
        LengthMismatchError
            If the columns differ in length.

        Examples
        --------
        >>> import retention
        >>> model = retention.TransactionModel("bg_nbd", {"r": 0.25, "alpha": 4.0, "a": 0.8, "b": 2.5})
        >>> model.probability_alive([0, 2, 2], [0, 30, 5], [38, 38, 38]).round(4).tolist()
        [1.0, 0.7311, 0.1202]
        """
        return _np(self._inner.probability_alive(_arr(frequency, "frequency"), _arr(recency, "recency"), _arr(T, "T")))

    def probability_of_purchases(self, n: int, t: float) -> float:
        """P(exactly ``n`` repeat purchases in ``(0, t]``) for a new customer.

        Parameters
        ----------
        n : int
            Number of purchases, ``n ≥ 0``.
        t : float
            Length of time, in the model's time unit.

        Returns
        -------
        float

        Raises
        ------
        InvalidParameterError
            If ``n`` or ``t`` is negative.

        Examples
        --------
        >>> import retention
        >>> model = retention.TransactionModel("bg_nbd", {"r": 0.25, "alpha": 4.0, "a": 0.8, "b": 2.5})
        >>> round(model.probability_of_purchases(0, 10), 4), round(model.probability_of_purchases(2, 10), 4)
        (0.7311, 0.0554)
        """
        return float(self._inner.probability_of_purchases(_int(n, "n"), _float(t, "t")))

    def probability_alive_matrix(self, max_frequency: int, max_recency: int) -> np.ndarray:
        """P(alive) on a recency × frequency grid.

        Rows are recency ``0..max_recency``, columns frequency
        ``0..max_frequency``, for customers of age ``T = max_recency`` (the
        layout of lifetimes' ``conditional_probability_alive_matrix``). Like
        lifetimes, the frequency-0 column is evaluated at each recency too
        (not a possible history, but the formulas are defined there).

        Parameters
        ----------
        max_frequency : int
            Highest frequency (last column).
        max_recency : int
            Highest recency (last row), also the age ``T``.

        Returns
        -------
        numpy.ndarray
            Shape ``(max_recency + 1, max_frequency + 1)``.

        Examples
        --------
        >>> import retention
        >>> model = retention.TransactionModel("bg_nbd", {"r": 0.25, "alpha": 4.0, "a": 0.8, "b": 2.5})
        >>> grid = model.probability_alive_matrix(2, 3)
        >>> grid.shape, round(float(grid[3, 2]), 4)
        ((4, 3), 0.814)
        """
        fmax, rmax = _int(max_frequency, "max_frequency"), _int(max_recency, "max_recency")
        rec, freq = np.meshgrid(np.arange(rmax + 1, dtype=float), np.arange(fmax + 1, dtype=float), indexing="ij")
        p = self.probability_alive(freq.ravel(), rec.ravel(), np.full(freq.size, float(rmax)))
        return p.reshape(rmax + 1, fmax + 1)

    def __repr__(self) -> str:
        return repr(self._inner)


def fit_bgnbd(frequency: Any, recency: Any = None, T: Any = None, weights: Any = None, **options: Any) -> TransactionModel:
    """Fit BG/NBD (Fader, Hardie & Lee 2005) by maximum likelihood.

    The same as ``TransactionModel.fit("bg_nbd", ...)``.

    Parameters
    ----------
    frequency : sequence of float or table
        Repeat purchases per customer, or a table with ``frequency``,
        ``recency``, ``T`` (and optionally ``weights``) columns such as the
        output of :func:`retention.summary_data`.
    recency : sequence of float, optional
        Age at the last purchase (leave out with a table).
    T : sequence of float, optional
        Age at the end of observation (leave out with a table).
    weights : sequence of float, optional
        Row weights.
    **options
        ``penalizer_coef`` (float, default 0.0), ``initial_params`` (default
        ``None``), ``tolerance`` (float, default 1e-08) and
        ``max_iterations`` (int, default 500); see
        :meth:`TransactionModel.fit`.

    Returns
    -------
    TransactionModel
        The fitted model (parameters ``r, alpha, a, b``).

    Raises
    ------
    InvalidRowsError
        Naming every invalid row.
    FitNotConvergedError
        If no optimisation attempt converged.

    Examples
    --------
    >>> import retention
    >>> model = retention.fit_bgnbd([2, 1, 0, 0], [30.43, 1.71, 0, 0], [38.86, 38.86, 38.86, 38.86])
    >>> model.model, sorted(model.params)
    ('bg_nbd', ['a', 'alpha', 'b', 'r'])
    """
    return TransactionModel.fit("bg_nbd", frequency, recency, T, weights, **options)


def fit_mbgnbd(frequency: Any, recency: Any = None, T: Any = None, weights: Any = None, **options: Any) -> TransactionModel:
    """Fit MBG/NBD (Batislam et al. 2007) by maximum likelihood.

    The same as ``TransactionModel.fit("mbg_nbd", ...)``.

    Parameters
    ----------
    frequency : sequence of float or table
        Repeat purchases per customer, or a table with ``frequency``,
        ``recency``, ``T`` (and optionally ``weights``) columns.
    recency : sequence of float, optional
        Age at the last purchase (leave out with a table).
    T : sequence of float, optional
        Age at the end of observation (leave out with a table).
    weights : sequence of float, optional
        Row weights.
    **options
        ``penalizer_coef`` (float, default 0.0), ``initial_params`` (default
        ``None``), ``tolerance`` (float, default 1e-08) and
        ``max_iterations`` (int, default 500); see
        :meth:`TransactionModel.fit`.

    Returns
    -------
    TransactionModel
        The fitted model (parameters ``r, alpha, a, b``).

    Raises
    ------
    InvalidRowsError
        Naming every invalid row.
    FitNotConvergedError
        If no optimisation attempt converged.

    Examples
    --------
    >>> import retention
    >>> log = retention.EventLog.sample(seed=42, customers=200)
    >>> model = retention.fit_mbgnbd(retention.summary_data(log, "2025-01-01", unit="week"))
    >>> model.model, model.diagnostics.rows
    ('mbg_nbd', 161)
    """
    return TransactionModel.fit("mbg_nbd", frequency, recency, T, weights, **options)


def fit_pareto_nbd(frequency: Any, recency: Any = None, T: Any = None, weights: Any = None, **options: Any) -> TransactionModel:
    """Fit Pareto/NBD (Schmittlein et al. 1987) by maximum likelihood.

    The same as ``TransactionModel.fit("pareto_nbd", ...)``.

    Parameters
    ----------
    frequency : sequence of float or table
        Repeat purchases per customer, or a table with ``frequency``,
        ``recency``, ``T`` (and optionally ``weights``) columns.
    recency : sequence of float, optional
        Age at the last purchase (leave out with a table).
    T : sequence of float, optional
        Age at the end of observation (leave out with a table).
    weights : sequence of float, optional
        Row weights.
    **options
        ``penalizer_coef`` (float, default 0.0), ``initial_params`` (default
        ``None``), ``tolerance`` (float, default 1e-08) and
        ``max_iterations`` (int, default 500); see
        :meth:`TransactionModel.fit`.

    Returns
    -------
    TransactionModel
        The fitted model (parameters ``r, alpha, s, beta``).

    Raises
    ------
    InvalidRowsError
        Naming every invalid row.
    FitNotConvergedError
        If no optimisation attempt converged.

    Examples
    --------
    >>> import retention
    >>> model = retention.fit_pareto_nbd([2, 1, 0, 0, 3, 1], [30.43, 1.71, 0, 0, 35.0, 20.0], [38.86] * 6)
    >>> model.model, list(model.params)
    ('pareto_nbd', ['r', 'alpha', 's', 'beta'])
    """
    return TransactionModel.fit("pareto_nbd", frequency, recency, T, weights, **options)


def fit_ggom_nbd(frequency: Any, recency: Any = None, T: Any = None, weights: Any = None, **options: Any) -> TransactionModel:
    """Fit GGompertz/NBD (Bemmaor & Glady 2012) by maximum likelihood.

    The same as ``TransactionModel.fit("ggom_nbd", ...)``: Pareto/NBD's purchase
    process with Gompertz lifetimes (scale ``b`` per time unit, ``eta ~ Gamma(s,
    beta)``). On data without ageing of the customer base the estimate reaches the
    Pareto/NBD limit ``b -> 0`` (only ``beta / b`` is identified there, and the
    standard errors are ``None``).

    Parameters
    ----------
    frequency : sequence of float or table
        Repeat purchases per customer, or a table with ``frequency``,
        ``recency``, ``T`` (and optionally ``weights``) columns.
    recency : sequence of float, optional
        Age at the last purchase (leave out with a table).
    T : sequence of float, optional
        Age at the end of observation (leave out with a table).
    weights : sequence of float, optional
        Row weights.
    **options
        ``penalizer_coef`` (float, default 0.0), ``initial_params`` (default
        ``None``), ``tolerance`` (float, default 1e-08) and
        ``max_iterations`` (int, default 500); see
        :meth:`TransactionModel.fit`.

    Returns
    -------
    TransactionModel
        The fitted model (parameters ``r, alpha, b, s, beta``).

    Raises
    ------
    InvalidRowsError
        Naming every invalid row.
    FitNotConvergedError
        If no optimisation attempt converged.

    Examples
    --------
    >>> import retention
    >>> model = retention.fit_ggom_nbd([2, 1, 0, 0, 3, 1], [30.43, 1.71, 0, 0, 35.0, 20.0], [38.86] * 6)
    >>> model.model, list(model.params)
    ('ggom_nbd', ['r', 'alpha', 'b', 's', 'beta'])
    """
    return TransactionModel.fit("ggom_nbd", frequency, recency, T, weights, **options)


# ------------------------------------------------------------------ BG/BB


class BgBbModel(_BgBbPredictions):
    """BG/BB model for discrete transaction opportunities (Fader, Hardie & Shang 2010).

    For businesses where customers can buy only at discrete occasions (an
    annual event, a weekly issue). Build one with known parameters or fit it
    with :meth:`fit` / :func:`fit_bgbb`.

    Parameters
    ----------
    alpha, beta : float
        Beta prior of the transaction probability; positive.
    gamma, delta : float
        Beta prior of the dropout probability; positive.

    Attributes
    ----------
    diagnostics : FitDiagnostics or None
        What the fit reported; ``None`` for given parameters.

    Raises
    ------
    InvalidParameterError
        If a parameter is not positive or not finite.

    Examples
    --------
    >>> import retention
    >>> model = retention.BgBbModel(1.2, 0.75, 0.66, 2.78)
    >>> model
    BgBbModel(alpha=1.200000, beta=0.750000, gamma=0.660000, delta=2.780000)
    >>> round(model.expected_transactions(6), 4)
    2.2114
    """

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
        """Maximum-likelihood fit on ``(frequency, recency, n_periods[, weights])``.

        Given as columns or as one table with those column names (a ``weights``
        column is used when present).

        Parameters
        ----------
        frequency : sequence of float or table
            Transactions per customer, or a table with ``frequency``, ``recency``
            and ``n_periods`` columns (then leave the others out).
        recency : sequence of float, optional
            Opportunity of the last transaction (0 without one).
        n_periods : sequence of float, optional
            Opportunities observed, ``recency ≤ n_periods``.
        weights : sequence of float, optional
            Row weights (e.g. the number of customers with this history).
        penalizer_coef : float, default 0.0
            L2 penalty on the parameters (as lifetimes' ``penalizer_coef``).
        initial_params : dict or sequence of float, optional
            Starting parameters in parameter order (a dict's values are taken in
            its order); ``None`` (default) tries the built-in starts.
        tolerance : float, default 1e-08
            Convergence tolerance of the optimiser.
        max_iterations : int, default 500
            Iteration limit per optimisation attempt.

        Returns
        -------
        BgBbModel
            The fitted model; ``diagnostics`` holds the :class:`FitDiagnostics`.

        Raises
        ------
        InvalidRowsError
            Naming every invalid row (``recency > n_periods``, ``frequency >
            recency``…).
        LengthMismatchError
            If the columns differ in length.
        FitNotConvergedError
            If no optimisation attempt converged.
        KeyError
            If a table lacks one of the columns.

        Examples
        --------
        >>> import retention
        >>> data = {"frequency": [0, 1, 1, 2, 3, 4, 5, 6], "recency": [0, 1, 4, 5, 6, 6, 6, 6],
        ...         "n_periods": [6] * 8, "weights": [100, 30, 20, 20, 20, 15, 10, 15]}
        >>> model = retention.BgBbModel.fit(data)
        >>> sorted(model.params), model.diagnostics.total_weight
        (['alpha', 'beta', 'delta', 'gamma'], 230.0)
        """
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
        """The parameters ``alpha, beta, gamma, delta`` by name.

        Returns
        -------
        dict of str to float

        Examples
        --------
        >>> import retention
        >>> retention.BgBbModel(1.2, 0.75, 0.66, 2.78).params
        {'alpha': 1.2, 'beta': 0.75, 'gamma': 0.66, 'delta': 2.78}
        """
        return dict(self._inner.params)

    @property
    def log_likelihood(self) -> Optional[float]:
        """Maximised log-likelihood of the fit (``None`` for given parameters).

        Returns
        -------
        float or None

        Examples
        --------
        >>> import retention
        >>> print(retention.BgBbModel(1.2, 0.75, 0.66, 2.78).log_likelihood)
        None
        >>> fitted = retention.fit_bgbb([0, 1, 1, 2, 3, 4, 5, 6], [0, 1, 4, 5, 6, 6, 6, 6], [6] * 8,
        ...                             [100, 30, 20, 20, 20, 15, 10, 15])
        >>> fitted.log_likelihood < 0
        True
        """
        return None if self.diagnostics is None else self.diagnostics.log_likelihood

    def score(self, frequency: Any, recency: Any, n_periods: Any, weights: Any = None) -> float:
        """Total (weighted) log-likelihood of data at these parameters.

        Parameters
        ----------
        frequency : sequence of float
            Transactions per customer.
        recency : sequence of float
            Opportunity of the last transaction.
        n_periods : sequence of float
            Opportunities observed.
        weights : sequence of float, optional
            Row weights; ``None`` (default) weighs every row 1.

        Returns
        -------
        float
            The log-likelihood (higher is better).

        Raises
        ------
        InvalidRowsError
            Naming every invalid row.
        LengthMismatchError
            If the columns differ in length.

        Examples
        --------
        >>> import retention
        >>> model = retention.BgBbModel(1.2, 0.75, 0.66, 2.78)
        >>> round(model.score([3, 0, 1], [6, 0, 2], [6, 6, 6]), 4)
        -10.5618
        """
        return float(self._inner.log_likelihood(
            _arr(frequency, "frequency"), _arr(recency, "recency"), _arr(n_periods, "n_periods"), _opt(weights, "weights")
        ))

    def expected_transactions(self, n: int) -> float:
        """Expected transactions in the first ``n`` opportunities of a new customer.

        Parameters
        ----------
        n : int
            Number of opportunities.

        Returns
        -------
        float

        Examples
        --------
        >>> import retention
        >>> round(retention.BgBbModel(1.2, 0.75, 0.66, 2.78).expected_transactions(6), 4)
        2.2114
        """
        return float(self._inner.expected_transactions(_int(n, "n")))

    def probability_of_transactions(self, x: int, n: int) -> float:
        """P(exactly ``x`` transactions in the first ``n`` opportunities) of a new customer.

        Parameters
        ----------
        x : int
            Number of transactions, ``0 ≤ x ≤ n``.
        n : int
            Number of opportunities.

        Returns
        -------
        float

        Examples
        --------
        >>> import retention
        >>> round(retention.BgBbModel(1.2, 0.75, 0.66, 2.78).probability_of_transactions(0, 6), 4)
        0.3127
        """
        return float(self._inner.probability_of_transactions(_int(x, "x"), _int(n, "n")))

    def conditional_expected_transactions(self, future: int, frequency: Any, recency: Any, n_periods: Any) -> np.ndarray:
        """Expected transactions of each customer in the next ``future`` opportunities.

        Parameters
        ----------
        future : int
            Number of future opportunities.
        frequency : sequence of float
            Transactions per customer.
        recency : sequence of float
            Opportunity of the last transaction.
        n_periods : sequence of float
            Opportunities observed.

        Returns
        -------
        numpy.ndarray
            One expectation per customer.

        Raises
        ------
        InvalidRowsError
            Naming every invalid row.

        Examples
        --------
        >>> import retention
        >>> model = retention.BgBbModel(1.2, 0.75, 0.66, 2.78)
        >>> model.conditional_expected_transactions(5, [3, 0], [6, 0], [6, 6]).round(4).tolist()
        [2.1867, 0.0724]
        """
        return _np(self._inner.conditional_expected_transactions(
            _int(future, "future"), _arr(frequency, "frequency"), _arr(recency, "recency"), _arr(n_periods, "n_periods")
        ))

    def probability_alive(self, frequency: Any, recency: Any, n_periods: Any, future: int = 1) -> np.ndarray:
        """P(alive at opportunity ``n_periods + future``) of each customer.

        Parameters
        ----------
        frequency : sequence of float
            Transactions per customer.
        recency : sequence of float
            Opportunity of the last transaction.
        n_periods : sequence of float
            Opportunities observed.
        future : int, default 1
            Opportunities ahead.

        Returns
        -------
        numpy.ndarray
            One probability per customer.

        Raises
        ------
        InvalidRowsError
            Naming every invalid row (e.g. ``recency > n_periods``).

        Examples
        --------
        >>> import retention
        >>> model = retention.BgBbModel(1.2, 0.75, 0.66, 2.78)
        >>> model.probability_alive([3, 0], [6, 0], [6, 6]).round(4).tolist()
        [0.9301, 0.1078]
        """
        return _np(self._inner.probability_alive(
            _arr(frequency, "frequency"), _arr(recency, "recency"), _arr(n_periods, "n_periods"), _int(future, "future")
        ))

    def __repr__(self) -> str:
        return repr(self._inner)


def fit_bgbb(frequency: Any, recency: Any = None, n_periods: Any = None, weights: Any = None, **options: Any) -> BgBbModel:
    """Fit BG/BB by maximum likelihood; see :meth:`BgBbModel.fit`.

    Parameters
    ----------
    frequency : sequence of float or table
        Transactions per customer, or a table with ``frequency``,
        ``recency``, ``n_periods`` (and optionally ``weights``) columns.
    recency : sequence of float, optional
        Opportunity of the last transaction (leave out with a table).
    n_periods : sequence of float, optional
        Opportunities observed (leave out with a table).
    weights : sequence of float, optional
        Row weights.
    **options
        ``penalizer_coef`` (float, default 0.0), ``initial_params`` (default
        ``None``), ``tolerance`` (float, default 1e-08) and
        ``max_iterations`` (int, default 500).

    Returns
    -------
    BgBbModel
        The fitted model.

    Raises
    ------
    InvalidRowsError
        Naming every invalid row.
    FitNotConvergedError
        If no optimisation attempt converged.

    Examples
    --------
    >>> import retention
    >>> model = retention.fit_bgbb([0, 1, 1, 2, 3, 4, 5, 6], [0, 1, 4, 5, 6, 6, 6, 6], [6] * 8,
    ...                            [100, 30, 20, 20, 20, 15, 10, 15])
    >>> model.diagnostics.rows, sorted(model.params)
    (8, ['alpha', 'beta', 'delta', 'gamma'])
    """
    return BgBbModel.fit(frequency, recency, n_periods, weights, **options)


# ------------------------------------------------------------ Gamma-Gamma


class GammaGammaModel:
    """Gamma-Gamma model of spend per transaction (Fader, Hardie & Lee 2005b).

    Assumes spend is independent of purchase frequency (check with
    :func:`frequency_monetary_correlation`). Build one with known parameters
    or fit it with :meth:`fit` / :func:`fit_gamma_gamma`.

    Parameters
    ----------
    p, q, gamma : float
        The model's parameters; positive.

    Attributes
    ----------
    diagnostics : FitDiagnostics or None
        What the fit reported; ``None`` for given parameters.

    Raises
    ------
    InvalidParameterError
        If a parameter is not positive or not finite.

    Examples
    --------
    >>> import retention
    >>> model = retention.GammaGammaModel(6.25, 3.74, 15.44)
    >>> model
    GammaGammaModel(p=6.250000, q=3.740000, gamma=15.440000)
    >>> round(model.expected_average_spend(), 4)
    35.219
    """

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
        """Maximum-likelihood fit on the repeat buyers (``frequency ≥ 1``).

        Rows with ``frequency = 0`` are accepted and skipped, so the output of
        :func:`retention.summary_data` can be passed whole.

        Parameters
        ----------
        frequency : sequence of float or table
            Repeat purchases per customer, or a table with ``frequency`` and
            ``monetary_value`` (and optionally ``weights``) columns.
        monetary_value : sequence of float, optional
            Mean spend per repeat purchase (leave out with a table).
        weights : sequence of float, optional
            Row weights.
        penalizer_coef : float, default 0.0
            L2 penalty on the parameters (as lifetimes' ``penalizer_coef``).
        initial_params : dict or sequence of float, optional
            Starting parameters in parameter order (a dict's values are taken in
            its order); ``None`` (default) tries the built-in starts.
        tolerance : float, default 1e-08
            Convergence tolerance of the optimiser.
        max_iterations : int, default 500
            Iteration limit per optimisation attempt.

        Returns
        -------
        GammaGammaModel
            The fitted model; ``diagnostics`` holds the :class:`FitDiagnostics`.

        Raises
        ------
        EmptyInputError
            If there is no repeat buyer.
        InvalidRowsError
            Naming every invalid row (e.g. non-positive spend of a repeat buyer).
        FitNotConvergedError
            If no optimisation attempt converged.
        KeyError
            If a table lacks one of the columns.

        Examples
        --------
        >>> import retention
        >>> log = retention.EventLog.sample(seed=42, customers=200)
        >>> data = retention.summary_data(log, "2025-01-01", unit="week")
        >>> model = retention.GammaGammaModel.fit(data)
        >>> sorted(model.params), model.diagnostics.rows
        (['gamma', 'p', 'q'], 90)
        """
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
        """The parameters ``p, q, gamma`` by name.

        Returns
        -------
        dict of str to float

        Examples
        --------
        >>> import retention
        >>> retention.GammaGammaModel(6.25, 3.74, 15.44).params
        {'p': 6.25, 'q': 3.74, 'gamma': 15.44}
        """
        return dict(self._inner.params)

    @property
    def log_likelihood(self) -> Optional[float]:
        """Maximised log-likelihood of the fit (``None`` for given parameters).

        Returns
        -------
        float or None

        Examples
        --------
        >>> import retention
        >>> print(retention.GammaGammaModel(6.25, 3.74, 15.44).log_likelihood)
        None
        """
        return None if self.diagnostics is None else self.diagnostics.log_likelihood

    def score(self, frequency: Any, monetary_value: Any, weights: Any = None) -> float:
        """Total (weighted) log-likelihood of the repeat buyers at these parameters.

        Parameters
        ----------
        frequency : sequence of float
            Repeat purchases per customer (rows with 0 are skipped).
        monetary_value : sequence of float
            Mean spend per repeat purchase.
        weights : sequence of float, optional
            Row weights; ``None`` (default) weighs every row 1.

        Returns
        -------
        float
            The log-likelihood (higher is better).

        Examples
        --------
        >>> import retention
        >>> round(retention.GammaGammaModel(6.25, 3.74, 15.44).score([1, 5], [30.0, 50.0]), 4)
        -8.8148
        """
        return float(self._inner.log_likelihood(
            _arr(frequency, "frequency"), _arr(monetary_value, "monetary_value"), _opt(weights, "weights")
        ))

    def expected_average_spend(self) -> float:
        """Population mean spend per transaction ``p·gamma/(q−1)``.

        Returns
        -------
        float

        Raises
        ------
        InvalidParameterError
            If ``q ≤ 1`` (the mean is infinite).

        Examples
        --------
        >>> import retention
        >>> round(retention.GammaGammaModel(6.25, 3.74, 15.44).expected_average_spend(), 4)
        35.219
        """
        return float(self._inner.expected_average_spend())

    def conditional_expected_average_spend(self, frequency: Any, monetary_value: Any) -> np.ndarray:
        """Expected spend per transaction of each customer, given their history.

        Customers without repeat purchases get the population mean.

        Parameters
        ----------
        frequency : sequence of float
            Repeat purchases per customer.
        monetary_value : sequence of float
            Mean spend per repeat purchase.

        Returns
        -------
        numpy.ndarray
            One expected spend per customer.

        Examples
        --------
        >>> import retention
        >>> model = retention.GammaGammaModel(6.25, 3.74, 15.44)
        >>> model.conditional_expected_average_spend([0, 1, 5], [0, 30.0, 50.0]).round(4).tolist()
        [35.219, 31.5907, 48.8085]
        """
        return _np(self._inner.conditional_expected_average_spend(
            _arr(frequency, "frequency"), _arr(monetary_value, "monetary_value")
        ))

    def __repr__(self) -> str:
        return repr(self._inner)


def fit_gamma_gamma(frequency: Any, monetary_value: Any = None, weights: Any = None, **options: Any) -> GammaGammaModel:
    """Fit Gamma-Gamma by maximum likelihood; see :meth:`GammaGammaModel.fit`.

    Parameters
    ----------
    frequency : sequence of float or table
        Repeat purchases per customer, or a table with ``frequency`` and
        ``monetary_value`` (and optionally ``weights``) columns. Rows with
        ``frequency = 0`` are skipped.
    monetary_value : sequence of float, optional
        Mean spend per repeat purchase (leave out with a table).
    weights : sequence of float, optional
        Row weights.
    **options
        ``penalizer_coef`` (float, default 0.0), ``initial_params`` (default
        ``None``), ``tolerance`` (float, default 1e-08) and
        ``max_iterations`` (int, default 500).

    Returns
    -------
    GammaGammaModel
        The fitted model.

    Raises
    ------
    EmptyInputError
        If there is no repeat buyer.
    FitNotConvergedError
        If no optimisation attempt converged.

    Examples
    --------
    >>> import retention
    >>> log = retention.EventLog.sample(seed=42, customers=200)
    >>> data = retention.summary_data(log, "2025-01-01", unit="week")
    >>> model = retention.fit_gamma_gamma(data["frequency"], data["monetary_value"])
    >>> round(model.expected_average_spend(), 0)
    76.0
    """
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
    """Discounted predictive CLV per customer (lifetimes' ``customer_lifetime_value``).

    Gamma-Gamma expected spend × the transaction model's expected purchases
    month by month, discounted at ``monthly_discount_rate``.

    Parameters
    ----------
    model : TransactionModel
        Fitted transaction model (BG/NBD, MBG/NBD or Pareto/NBD).
    spend : GammaGammaModel
        Fitted spend model.
    frequency : sequence of float
        Repeat purchases per customer.
    recency : sequence of float
        Age at the last purchase.
    T : sequence of float
        Age at the end of observation.
    monetary_value : sequence of float
        Mean spend per repeat purchase.
    horizon_months : int, default 12
        Months to predict.
    monthly_discount_rate : float, default 0.01
        Discount rate per month.
    time_unit : {"hour", "day", "week", "month"}, optional
        The unit of ``T`` (vocabulary ``"clv_time_unit"``); ``"day"`` when
        neither this nor ``unit_days`` is given.
    unit_days : float, optional
        Days per unit of ``T``, instead of ``time_unit``.

    Returns
    -------
    numpy.ndarray
        One CLV per customer.

    Raises
    ------
    UnknownCodeError
        If ``time_unit`` is not one of its codes; ``accepted`` lists them.
    InvalidParameterError
        If both ``time_unit`` and ``unit_days`` are given, or a value is
        impossible.
    TypeError
        If ``model`` or ``spend`` has the wrong type.

    Examples
    --------
    >>> import retention
    >>> bgnbd = retention.TransactionModel("bg_nbd", {"r": 0.25, "alpha": 4.0, "a": 0.8, "b": 2.5})
    >>> spend = retention.GammaGammaModel(6.25, 3.74, 15.44)
    >>> clv = retention.predictive_clv(bgnbd, spend, [0, 2], [0, 30], [38, 38], [0, 40.0], time_unit="week")
    >>> clv.round(2).tolist()
    [8.85, 59.61]
    """
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
    """Pearson correlation of frequency and mean spend over repeat buyers.

    The Gamma-Gamma independence check: a value near 0 supports the model.

    Parameters
    ----------
    frequency : sequence of float
        Repeat purchases per customer (rows with 0 are skipped).
    monetary_value : sequence of float
        Mean spend per repeat purchase.

    Returns
    -------
    float or None
        The correlation; ``None`` when undefined (fewer than two repeat
        buyers, or a constant column).

    Examples
    --------
    >>> import retention
    >>> round(retention.frequency_monetary_correlation([1, 2, 3, 0], [10.0, 20.0, 30.0, 0.0]), 4)
    1.0
    >>> print(retention.frequency_monetary_correlation([1], [10.0]))
    None
    """
    return _retention.frequency_monetary_correlation(_arr(frequency, "frequency"), _arr(monetary_value, "monetary_value"))
