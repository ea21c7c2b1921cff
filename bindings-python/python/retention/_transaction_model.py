"""The continuous-time transaction models (BG/NBD, MBG/NBD, Pareto/NBD,
GGompertz/NBD): the fitted-model class and its fit functions.

Re-exported by :mod:`retention.models`, whose documentation describes the
inputs.
"""

from __future__ import annotations

from typing import Any, Dict, Mapping, Optional, Sequence, Union

import numpy as np

from . import _retention, codes
from ._model_common import FitDiagnostics, _arr, _column_names, _fit_options, _float, _int, _is_table, _np, _opt, _table_columns
from ._predictions import _TransactionPredictions

_TRANSACTION_MODELS = ("bg_nbd", "mbg_nbd", "pareto_nbd", "ggom_nbd")


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
