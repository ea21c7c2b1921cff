"""Predictions beyond calibration and intervals for :class:`retention.TransactionModel`.

The formulas (P(alive) at a future time, the conditional purchase-count
distribution, DERT, the next purchase, delta-method and bootstrap
intervals) and their references are in the Rust core's
``models::predictions`` documentation; these methods convert and call it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Dict, Optional

import numpy as np
import pandas as pd

from . import _retention, codes
from . import models as _m

if TYPE_CHECKING:
    from .models import GammaGammaModel, TransactionModel


def _options(level: Optional[float], method: Optional[codes.IntervalMethod], draws: Optional[int],
             seed: Optional[int]) -> Dict[str, Any]:
    """Interval options given by the caller; the others keep the core's defaults."""
    given = {"level": None if level is None else _m._float(level, "level"), "method": method,
             "draws": None if draws is None else _m._int(draws, "draws"),
             "seed": None if seed is None else _m._int(seed, "seed")}
    return {k: v for k, v in given.items() if v is not None}


def _covariance(diagnostics: Optional[_m.FitDiagnostics]) -> Optional[list]:
    if diagnostics is None or diagnostics.covariance is None:
        return None
    return [float(v) for v in np.asarray(diagnostics.covariance, dtype=float).ravel()]


class _TransactionPredictions:
    """The prediction methods of :class:`retention.TransactionModel`."""

    __slots__ = ()
    _inner: _retention.TransactionModel
    diagnostics: Optional[_m.FitDiagnostics]

    def probability_alive_at(self, tau: float, frequency: Any, recency: Any, T: Any) -> np.ndarray:
        """P(alive) at ``T + tau`` of each customer, whatever she buys in between.

        Pareto/NBD: ``P(alive)·((β+T)/(β+T+τ))^s``; BG/NBD and MBG/NBD: the
        beta expectation of the chance of no drop-out at the purchases in
        between; GGompertz/NBD: ``P(alive)`` times the survival of the
        remaining Gompertz lifetime. See :meth:`probability_alive_given_no_purchase` for the
        probability given no purchase in between.

        Parameters
        ----------
        tau : float
            Time after the end of observation, ``≥ 0``.
        frequency, recency, T : sequence of float
            Each customer's history.

        Returns
        -------
        numpy.ndarray
            One probability per customer.

        Raises
        ------
        InvalidRowsError
            Naming every invalid row.
        InvalidParameterError
            If ``tau`` is negative or not finite.

        Examples
        --------
        >>> import retention
        >>> model = retention.TransactionModel("pareto_nbd", [0.55, 10.58, 0.61, 11.67])
        >>> model.probability_alive_at(52, [2, 2], [30, 30], [38, 38]).round(4).tolist()
        [0.5647, 0.5647]
        """
        return _m._np(_retention.probability_alive_at(
            self._inner, _m._float(tau, "tau"), _m._arr(frequency, "frequency"), _m._arr(recency, "recency"),
            _m._arr(T, "T"), False))

    def probability_alive_given_no_purchase(self, tau: float, frequency: Any, recency: Any, T: Any) -> np.ndarray:
        """P(alive) at ``T + tau`` given no purchase in ``(T, T + tau]``.

        That is the ordinary P(alive) of the same history at age ``T + tau``.

        Parameters
        ----------
        tau : float
            Time after the end of observation, ``≥ 0``.
        frequency, recency, T : sequence of float
            Each customer's history.

        Returns
        -------
        numpy.ndarray
            One probability per customer.

        Raises
        ------
        InvalidRowsError
            Naming every invalid row.
        InvalidParameterError
            If ``tau`` is negative or not finite.

        Examples
        --------
        >>> import retention
        >>> model = retention.TransactionModel("pareto_nbd", [0.55, 10.58, 0.61, 11.67])
        >>> model.probability_alive_given_no_purchase(52, [2], [30], [38]).round(4).tolist()
        [0.2427]
        """
        return _m._np(_retention.probability_alive_at(
            self._inner, _m._float(tau, "tau"), _m._arr(frequency, "frequency"), _m._arr(recency, "recency"),
            _m._arr(T, "T"), True))

    def conditional_probability_of_purchases(self, n: int, t: float, frequency: Any, recency: Any,
                                             T: Any) -> np.ndarray:
        """P(exactly ``n`` purchases in the next ``t``) of each customer.

        ``(1 − P(alive))·[n = 0] + P(alive)·P(n)`` under the model of an
        alive customer's future; summed over ``n`` it is 1 and its mean is
        :meth:`conditional_expected_purchases`.

        Parameters
        ----------
        n : int
            Number of purchases, ``0 ≤ n ≤ 100000``.
        t : float
            Horizon, ``≥ 0``.
        frequency, recency, T : sequence of float
            Each customer's history.

        Returns
        -------
        numpy.ndarray
            One probability per customer.

        Raises
        ------
        InvalidRowsError
            Naming every invalid row.
        InvalidParameterError
            If ``n`` or ``t`` is out of range.

        Examples
        --------
        >>> import retention
        >>> model = retention.TransactionModel("bg_nbd", [0.2426, 4.4136, 0.7929, 2.4259])
        >>> p = [model.conditional_probability_of_purchases(n, 39, [2], [30.43], [38.86])[0] for n in range(3)]
        >>> [round(float(v), 4) for v in p]
        [0.4454, 0.2393, 0.1442]
        """
        return _m._np(_retention.conditional_probability_of_purchases(
            self._inner, _m._int(n, "n"), _m._float(t, "t"), _m._arr(frequency, "frequency"),
            _m._arr(recency, "recency"), _m._arr(T, "T")))

    def dert(self, discount_rate: float, frequency: Any, recency: Any, T: Any) -> np.ndarray:
        """Discounted expected residual transactions of each customer.

        ``E[∫ e^{−δt} dX(T, T+t)]`` at continuous discount rate ``δ`` per
        time unit (Fader, Hardie & Lee 2005, "RFM and CLV"); for a yearly
        rate ``d`` and weekly data, ``δ = ln(1 + d) / 52``.

        Parameters
        ----------
        discount_rate : float
            Continuous rate per time unit, ``> 0``.
        frequency, recency, T : sequence of float
            Each customer's history.

        Returns
        -------
        numpy.ndarray

        Raises
        ------
        InvalidRowsError
            Naming every invalid row.
        InvalidParameterError
            If ``discount_rate`` is not positive and finite.

        Examples
        --------
        >>> import math, retention
        >>> model = retention.TransactionModel("pareto_nbd", [0.5533, 10.5802, 0.6061, 11.6562])
        >>> model.dert(math.log(1.15) / 52, [2], [30.43], [38.86]).round(3).tolist()
        [6.5]
        """
        return _m._np(_retention.dert(
            self._inner, _m._float(discount_rate, "discount_rate"), _m._arr(frequency, "frequency"),
            _m._arr(recency, "recency"), _m._arr(T, "T")))

    def next_purchase(self, t: float, frequency: Any, recency: Any, T: Any) -> pd.DataFrame:
        """The next purchase of each customer.

        A customer who has dropped out never buys again, so the figures are
        P(alive), the probability of a purchase within ``t``, and the mean
        and median wait of a customer alive now who stays alive until her
        next purchase (the mean is ``NaN`` where infinite, ``r + x ≤ 1``).

        Parameters
        ----------
        t : float
            Horizon for ``probability_of_purchase``.
        frequency, recency, T : sequence of float
            Each customer's history.

        Returns
        -------
        pandas.DataFrame
            Columns ``probability_alive``, ``probability_of_purchase``,
            ``mean_wait_if_alive``, ``median_wait_if_alive``.

        Raises
        ------
        InvalidRowsError
            Naming every invalid row.

        Examples
        --------
        >>> import retention
        >>> model = retention.TransactionModel("bg_nbd", [0.2426, 4.4136, 0.7929, 2.4259])
        >>> model.next_purchase(39, [2], [30.43], [38.86]).round(3).iloc[0].tolist()
        [0.727, 0.555, 34.825, 15.673]
        """
        rows = _retention.next_purchase(self._inner, _m._float(t, "t"), _m._arr(frequency, "frequency"),
                                        _m._arr(recency, "recency"), _m._arr(T, "T"))
        return pd.DataFrame.from_records(rows, columns=["probability_alive", "probability_of_purchase",
                                                        "mean_wait_if_alive", "median_wait_if_alive"]).astype(float)

    def prediction_intervals(self, prediction: str, frequency: Any, recency: Any, T: Any, *,
                             level: Optional[float] = None, method: Optional[codes.IntervalMethod] = None,
                             draws: Optional[int] = None, seed: Optional[int] = None,
                             **arguments: float) -> pd.DataFrame:
        """Intervals around a prediction from the fit's parameter covariance.

        Delta method (numerical gradient) or parametric bootstrap from the
        asymptotic normal of the estimates (seeded, identical on every
        platform, at most 10,000 draws and 10 million values).

        Parameters
        ----------
        prediction : {"probability_alive", "probability_alive_at", "conditional_expected_purchases", "dert"}
            Which prediction; ``probability_alive_at`` takes ``tau=``,
            ``conditional_expected_purchases`` ``t=``, ``dert``
            ``discount_rate=``.
        frequency, recency, T : sequence of float
            Each customer's history.
        level : float, optional
            Coverage, default 0.95.
        method : {"delta", "bootstrap"}, optional
            Default ``"delta"`` (vocabulary ``"interval_method"``).
        draws, seed : int, optional
            Bootstrap draws (default 1000) and seed (default 0).
        **arguments : float
            The prediction's argument.

        Returns
        -------
        pandas.DataFrame
            Columns ``estimate``, ``standard_error``, ``lower``, ``upper``.

        Raises
        ------
        InvalidParameterError
            Without a covariance (a model built from given parameters), or
            with an unknown argument or option out of range.

        Examples
        --------
        >>> import retention
        >>> log = retention.EventLog.sample(seed=42, customers=200)
        >>> data = retention.summary_data(log, "2025-01-01", unit="week")
        >>> model = retention.fit_bgnbd(data)
        >>> out = model.prediction_intervals("conditional_expected_purchases", [2], [30], [38], t=10)
        >>> list(out.columns), bool(out.lower[0] <= out.estimate[0] <= out.upper[0])
        (['estimate', 'standard_error', 'lower', 'upper'], True)
        """
        target = {"prediction": prediction, **{k: _m._float(v, k) for k, v in arguments.items()}}
        rows = _retention.prediction_intervals(
            self._inner, _covariance(self.diagnostics), target, _m._arr(frequency, "frequency"),
            _m._arr(recency, "recency"), _m._arr(T, "T"), _options(level, method, draws, seed))
        return pd.DataFrame.from_records(rows, columns=["estimate", "standard_error", "lower", "upper"])


class _BgBbPredictions:
    """The predictions beyond calibration of :class:`retention.BgBbModel`."""

    __slots__ = ()
    _inner: _retention.BgBbModel

    def conditional_probability_of_transactions(self, transactions: int, future: int, frequency: Any, recency: Any,
                                                n_periods: Any) -> np.ndarray:
        """P(exactly ``transactions`` in the next ``future`` opportunities) of each customer.

        ``(1 − P₀)·[k = 0] + P₀·P(k)`` with ``P₀`` the probability of being
        alive through the ``n`` observed opportunities and ``P(k)`` the
        new-customer probability (Fader, Hardie & Shang 2010, eq. 7) under
        the alive customer's posterior. lifetimes has no such method.

        Parameters
        ----------
        transactions : int
            Number of transactions ``k``.
        future : int
            Future opportunities, at most 100000.
        frequency, recency, n_periods : sequence of float
            Each customer's history.

        Returns
        -------
        numpy.ndarray

        Raises
        ------
        InvalidRowsError
            Naming every invalid row.
        InvalidParameterError
            If ``future`` is too large.

        Examples
        --------
        >>> import retention
        >>> model = retention.BgBbModel(1.2, 0.75, 0.66, 2.78)
        >>> model.conditional_probability_of_transactions(0, 5, [3, 0], [6, 0], [6, 6]).round(4).tolist()
        [0.1627, 0.9525]
        """
        return _m._np(_retention.bgbb_conditional_probability_of_transactions(
            self._inner, _m._int(transactions, "transactions"), _m._int(future, "future"),
            _m._arr(frequency, "frequency"), _m._arr(recency, "recency"), _m._arr(n_periods, "n_periods")))

    def dert(self, discount_rate: float, frequency: Any, recency: Any, n_periods: Any) -> np.ndarray:
        """Discounted expected residual transactions of each customer.

        ``Σ_k P(transaction at n+k) / (1+d)^k`` (Fader, Hardie & Shang 2010,
        eq. 14), ``d`` per opportunity.

        Parameters
        ----------
        discount_rate : float
            ``d > 0`` per opportunity.
        frequency, recency, n_periods : sequence of float
            Each customer's history.

        Returns
        -------
        numpy.ndarray

        Raises
        ------
        InvalidRowsError
            Naming every invalid row.
        InvalidParameterError
            If ``discount_rate`` is not positive and finite.

        Examples
        --------
        >>> import retention
        >>> model = retention.BgBbModel(1.2, 0.75, 0.66, 2.78)
        >>> model.dert(0.1, [3, 0], [6, 0], [6, 6]).round(4).tolist()
        [3.4403, 0.1139]
        """
        return _m._np(_retention.bgbb_dert(
            self._inner, _m._float(discount_rate, "discount_rate"), _m._arr(frequency, "frequency"),
            _m._arr(recency, "recency"), _m._arr(n_periods, "n_periods")))


def predictive_clv_intervals(
    model: "TransactionModel",
    spend: "GammaGammaModel",
    frequency: Any,
    recency: Any,
    T: Any,
    monetary_value: Any,
    *,
    horizon_months: Optional[int] = None,
    monthly_discount_rate: Optional[float] = None,
    time_unit: Optional[codes.ClvTimeUnit] = None,
    unit_days: Optional[float] = None,
    level: Optional[float] = None,
    method: Optional[codes.IntervalMethod] = None,
    draws: Optional[int] = None,
    seed: Optional[int] = None,
) -> pd.DataFrame:
    """Intervals around predictive CLV (:func:`retention.predictive_clv`).

    The two fits' parameters are taken as independent (block-diagonal
    covariance); delta method or parametric bootstrap as in
    :meth:`TransactionModel.prediction_intervals`.

    Parameters
    ----------
    model : TransactionModel
        Fitted transaction model (with diagnostics).
    spend : GammaGammaModel
        Fitted spend model (with diagnostics).
    frequency, recency, T, monetary_value : sequence of float
        Each customer's history and mean repeat spend.
    horizon_months, monthly_discount_rate, time_unit, unit_days
        As in :func:`retention.predictive_clv` (defaults 12, 0.01, days).
    level, method, draws, seed
        As in :meth:`TransactionModel.prediction_intervals`.

    Returns
    -------
    pandas.DataFrame
        Columns ``estimate``, ``standard_error``, ``lower``, ``upper``.

    Raises
    ------
    InvalidParameterError
        If a model has no covariance, or an option is out of range.
    TypeError
        If ``model`` or ``spend`` has the wrong type.

    Examples
    --------
    >>> import retention
    >>> log = retention.EventLog.sample(seed=42, customers=300)
    >>> data = retention.summary_data(log, "2025-01-01", unit="week")
    >>> model = retention.fit_bgnbd(data)
    >>> repeat = data[data.frequency > 0]
    >>> spend = retention.fit_gamma_gamma(repeat.frequency, repeat.monetary_value)
    >>> out = retention.predictive_clv_intervals(model, spend, [2], [30], [38], [40.0], time_unit="week")
    >>> bool(out.lower[0] <= out.estimate[0] <= out.upper[0])
    True
    """
    if not isinstance(model, _m.TransactionModel):
        raise TypeError(f"`model` must be a retention.TransactionModel, got {type(model).__name__}")
    if not isinstance(spend, _m.GammaGammaModel):
        raise TypeError(f"`spend` must be a retention.GammaGammaModel, got {type(spend).__name__}")
    rows = _retention.clv_intervals(
        model._inner, _covariance(model.diagnostics), spend._inner, _covariance(spend.diagnostics),
        _m._arr(frequency, "frequency"), _m._arr(recency, "recency"), _m._arr(T, "T"),
        _m._arr(monetary_value, "monetary_value"), _options(level, method, draws, seed),
        horizon_months=None if horizon_months is None else _m._int(horizon_months, "horizon_months"),
        monthly_discount_rate=None if monthly_discount_rate is None else _m._float(monthly_discount_rate,
                                                                                   "monthly_discount_rate"),
        time_unit=time_unit, unit_days=None if unit_days is None else _m._float(unit_days, "unit_days"),
    )
    return pd.DataFrame.from_records(rows, columns=["estimate", "standard_error", "lower", "upper"])
