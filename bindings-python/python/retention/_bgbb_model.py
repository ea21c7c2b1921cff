"""The BG/BB model for discrete transaction opportunities.

Re-exported by :mod:`retention.models`, whose documentation describes the
inputs.
"""

from __future__ import annotations

from typing import Any, Dict, Optional

import numpy as np

from . import _retention
from ._model_common import FitDiagnostics, _arr, _column_names, _fit_options, _float, _int, _is_table, _np, _opt, _table_columns
from ._predictions import _BgBbPredictions


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
