"""The Gamma-Gamma spend model, predictive CLV and the frequency-spend correlation check.

Re-exported by :mod:`retention.models`, whose documentation describes the
inputs.
"""

from __future__ import annotations

from typing import Any, Dict, Optional

import numpy as np

from . import _retention, codes
from ._model_common import FitDiagnostics, _arr, _column_names, _fit_options, _float, _int, _is_table, _np, _opt, _table_columns
from ._transaction_model import TransactionModel


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
