"""Buy-till-you-die models with time-invariant customer covariates.

Pareto/NBD and BG/NBD with covariates in the purchase (``trans``) and
attrition (``life``) processes, parameterised as the R package CLVTools does
(Pareto/NBD: ``alpha_i = alpha * exp(-trans . z_i)``,
``beta_i = beta * exp(-life . w_i)``; BG/NBD: ``alpha_i`` likewise,
``a_i = a * exp(life . w_i)``, ``b_i = b * exp(life . w_i)``), with L2
regularisation of the coefficients (``reg_lambdas``, CLVTools'
``reg.lambdas``) and coefficients shared by both processes
(``constrained``, CLVTools' ``names.cov.constr``); and Gamma-Gamma with
covariates on the scale of the spend-rate distribution,
``gamma_i = gamma * exp(spend . z_i)``, so that ``exp(coefficient)`` is a
ratio of expected spend. The formulas and references are in the Rust core's
``models::covariates`` documentation.

Parameters are named as in CLVTools: ``r, alpha, s, beta`` (or ``r, alpha,
a, b``), then ``life.<covariate>``, ``trans.<covariate>``,
``constr.<covariate>``; Gamma-Gamma ``p, q, gamma, spend.<covariate>``.

>>> import retention
>>> log = retention.EventLog.sample(seed=42, customers=200)
>>> data = retention.summary_data(log, "2025-01-01", unit="week")
>>> data["g"] = [i % 2 for i in range(len(data))]
>>> fit = retention.fit_covariates(data, "bg_nbd", trans=["g"], life=["g"])
>>> list(fit.summary["name"])
['r', 'alpha', 'a', 'b', 'life.g', 'trans.g']
"""

from __future__ import annotations

from typing import Any, Dict, List, Literal, Mapping, Optional, Sequence, Tuple

import numpy as np
import pyarrow as pa

from . import _retention
from ._frames import from_arrow, library_of, to_arrow_array

__all__ = ["CovariateModel", "fit_covariates", "fit_gamma_gamma_covariates"]


def _columns(data: Any, names: Sequence[str]) -> List[Tuple[str, Any]]:
    """``(name, Arrow column)`` pairs of the table columns ``names``."""
    from .models import _column_names

    have = _column_names(data)
    missing = [n for n in names if n not in have]
    if missing:
        raise KeyError(f"the table has no column(s) {missing}")
    return [(str(n), to_arrow_array(data[n], str(n))) for n in names]


def _lambdas(reg_lambdas: Optional[Mapping[str, float]]) -> Dict[str, float]:
    """CLVTools' ``reg.lambdas`` (keys ``trans``, ``life``) as keyword arguments."""
    if reg_lambdas is None:
        return {}
    unknown = set(reg_lambdas) - {"trans", "life"}
    if unknown:
        from .errors import InvalidParameterError

        raise InvalidParameterError(
            f"invalid parameter `reg_lambdas` = {sorted(unknown)}: keys must be 'trans' and 'life'",
            name="reg_lambdas", value=str(sorted(unknown)), reason="keys must be 'trans' and 'life'",
        )
    return {f"reg_lambda_{k}": float(v) for k, v in reg_lambdas.items()}


class CovariateModel:
    """A fitted buy-till-you-die model with covariates.

    Built by :func:`fit_covariates` or :func:`fit_gamma_gamma_covariates`.

    Attributes
    ----------
    model : str
        ``"pareto_nbd"``, ``"bg_nbd"``, ``"ggom_nbd"`` or ``"gamma_gamma"``.
    summary : DataFrame
        One row per parameter: ``name``, ``estimate``, ``std_error`` and the
        Wald interval ``lower``, ``upper`` at the fit's ``level``.
    params : dict
        Estimate by parameter name.
    log_likelihood : float
        Log-likelihood at the estimate (without the penalty).
    aic, bic : float
        Information criteria.
    result : dict
        Everything the core reports (covariance, iterations, rows…).

    Examples
    --------
    >>> import retention
    >>> log = retention.EventLog.sample(seed=42, customers=200)
    >>> data = retention.summary_data(log, "2025-01-01", unit="week")
    >>> data["g"] = [i % 2 for i in range(len(data))]
    >>> fit = retention.fit_covariates(data, "bg_nbd", life=["g"], reg_lambdas={"life": 1.0})
    >>> fit.model
    'bg_nbd'
    >>> sorted(fit.params)
    ['a', 'alpha', 'b', 'life.g', 'r']
    """

    def __init__(self, inner: Any, level: Optional[float], library: str, columns: Tuple[str, ...],
                 covariates: Tuple[Tuple[str, ...], Tuple[str, ...]]) -> None:
        self._inner = inner
        self._library = library
        self._columns = columns
        self._covariates = covariates
        self.model: str = inner.model
        self.summary: Any = from_arrow(pa.Table.from_pylist(inner.summary(level)), library)
        self.result: Dict[str, Any] = inner.result()
        self.params: Dict[str, float] = dict(zip(self.result["parameter_names"], self.result["estimates"]))
        self.log_likelihood: float = self.result["log_likelihood"]
        self.aic: float = self.result["aic"]
        self.bic: float = self.result["bic"]

    def predict(self, data: Any, horizon: float) -> Any:
        """P(alive) and the expected purchases in the next ``horizon`` per customer.

        Each customer's prediction uses her own parameters (``alpha_i``,
        ``beta_i`` or ``a_i``, ``b_i``) from her covariates.

        Parameters
        ----------
        data : DataFrame
            The customers: the history columns and the covariates named in
            the fit.
        horizon : float
            Future time, in the data's unit.

        Returns
        -------
        DataFrame
            Columns ``probability_alive`` and
            ``conditional_expected_purchases``, one row per customer.

        Examples
        --------
        >>> import retention
        >>> log = retention.EventLog.sample(seed=42, customers=200)
        >>> data = retention.summary_data(log, "2025-01-01", unit="week")
        >>> data["g"] = [i % 2 for i in range(len(data))]
        >>> fit = retention.fit_covariates(data, "bg_nbd", trans=["g"])
        >>> out = fit.predict(data, 10.0)
        >>> bool(((out["probability_alive"] >= 0) & (out["probability_alive"] <= 1)).all())
        True
        """
        x, t_x, t = (c for _, c in _columns(data, self._columns))
        out = self._inner.predict(x, t_x, t, _columns(data, self._covariates[0]),
                                  _columns(data, self._covariates[1]), float(horizon))
        table = pa.table({k: out[k] for k in ("probability_alive", "conditional_expected_purchases")})
        return from_arrow(table, library_of(data))

    def conditional_expected_average_spend(self, data: Any) -> np.ndarray:
        """Expected spend per transaction of each customer (Gamma-Gamma).

        Parameters
        ----------
        data : DataFrame
            Frequency and mean repeat spend columns, and the spend covariates.

        Returns
        -------
        numpy.ndarray
            One expected spend per customer, at her own ``gamma_i``.

        Examples
        --------
        >>> import retention
        >>> log = retention.EventLog.sample(seed=42, customers=200)
        >>> data = retention.summary_data(log, "2025-01-01", unit="week")
        >>> data["g"] = [i % 2 for i in range(len(data))]
        >>> fit = retention.fit_gamma_gamma_covariates(data, spend=["g"])
        >>> fit.conditional_expected_average_spend(data).shape
        (161,)
        """
        x, m = (c for _, c in _columns(data, self._columns))
        out = self._inner.conditional_expected_average_spend(x, m, _columns(data, self._covariates[0]))
        return np.asarray(pa.array(out).to_numpy(zero_copy_only=False), dtype=float)

    def __repr__(self) -> str:
        return repr(self._inner)


def fit_covariates(
    data: Any,
    model: Literal["pareto_nbd", "bg_nbd", "ggom_nbd"],
    *,
    trans: Optional[Sequence[str]] = None,
    life: Optional[Sequence[str]] = None,
    reg_lambdas: Optional[Mapping[str, float]] = None,
    constrained: Optional[Sequence[str]] = None,
    weights: Optional[str] = None,
    level: Optional[float] = None,
    tolerance: Optional[float] = None,
    max_iterations: Optional[int] = None,
) -> CovariateModel:
    """Fits Pareto/NBD, BG/NBD or GGompertz/NBD with time-invariant covariates.

    Parameters
    ----------
    data : DataFrame
        One row per customer: ``frequency``, ``recency`` and ``T`` columns
        and the covariate columns (pandas, polars, pyarrow or a dict of
        columns), such as :func:`retention.summary_data` gives.
    model : {"pareto_nbd", "bg_nbd", "ggom_nbd"}
        Which model. Pareto/NBD fits whose estimates run off to the
        boundary (no visible dropout: ``s, beta`` growing without bound)
        raise :class:`FitNotConvergedError`; BG/NBD suits such data.
        GGompertz/NBD (``alpha_i = alpha exp(-trans.z)``,
        ``beta_i = beta exp(-life.w)``, ``r, b, s`` common) nests
        Pareto/NBD as ``b -> 0``; on data without ageing its ``b`` and
        ``beta`` end tiny and the standard errors are missing.
    trans, life : sequence of str, optional
        Covariate columns of the purchase and attrition processes (a column
        may be in both; none by default).
    reg_lambdas : dict, optional
        L2 penalties ``{"trans": λ, "life": λ}`` (each ≥ 0, the core's
        default 0): the
        optimiser minimises ``−ℓ/n + λ_trans Σγ_trans² + λ_life Σγ_life²``.
    constrained : sequence of str, optional
        Covariates (in both processes) with one shared coefficient
        ``constr.<name>``.
    weights : str, optional
        Name of a column of row weights.
    level : float, optional
        Confidence level of the summary's intervals (the core's default 0.95).
    tolerance, max_iterations : optional
        Optimiser settings (the core's defaults when ``None``).

    Returns
    -------
    CovariateModel
        The fit, its summary and predictions.

    Raises
    ------
    InvalidRowsError
        Non-finite covariate values (each named by row and ``name=value``).
    LengthMismatchError, SingularMatrixError, InvalidParameterError
        Columns of different lengths; a constant or collinear covariate in an
        unpenalised process; a constrained name not in both processes.

    Examples
    --------
    >>> import retention
    >>> log = retention.EventLog.sample(seed=42, customers=200)
    >>> data = retention.summary_data(log, "2025-01-01", unit="week")
    >>> data["g"] = [i % 2 for i in range(len(data))]
    >>> fit = retention.fit_covariates(data, "bg_nbd", trans=["g"], life=["g"], constrained=["g"],
    ...                                reg_lambdas={"trans": 1.0, "life": 1.0})
    >>> list(fit.summary["name"])
    ['r', 'alpha', 'a', 'b', 'constr.g']
    """
    history = ("frequency", "recency", "T")
    cols = [c for _, c in _columns(data, history + ((weights,) if weights else ()))]
    names = [str(n) for n in (*(trans or ()), *(life or ()))]
    settings = {"trans": names[:len(trans or ())], "life": names[len(trans or ()):],
                "constrained": [str(c) for c in constrained or ()], "tolerance": tolerance,
                "max_iterations": max_iterations, **_lambdas(reg_lambdas)}
    inner = _retention.CovariateModel.fit(
        model, cols[0], cols[1], cols[2], _columns(data, list(dict.fromkeys(names))),
        {k: v for k, v in settings.items() if v is not None}, cols[3] if weights else None,
    )
    return CovariateModel(inner, level, library_of(data), history, (tuple(trans or ()), tuple(life or ())))


def fit_gamma_gamma_covariates(
    data: Any,
    *,
    spend: Optional[Sequence[str]] = None,
    reg_lambda: Optional[float] = None,
    weights: Optional[str] = None,
    level: Optional[float] = None,
    tolerance: Optional[float] = None,
    max_iterations: Optional[int] = None,
) -> CovariateModel:
    """Fits Gamma-Gamma with covariates on the spend process.

    Customer ``i``'s spend-rate distribution has scale
    ``gamma_i = gamma * exp(spend . z_i)``, so her expected spend per
    transaction is ``p gamma_i / (q - 1)``: ``exp(coefficient)`` is a ratio
    of expected spend. With no covariates this is the plain Gamma-Gamma fit.

    Parameters
    ----------
    data : DataFrame
        One row per customer: ``frequency``, ``monetary_value`` and the
        covariate columns. Rows with frequency 0 are skipped by the fit.
    spend : sequence of str, optional
        Covariate columns.
    reg_lambda : float, optional
        L2 penalty on their coefficients (the core's default 0).
    weights : str, optional
        Name of a column of row weights.
    level : float, optional
        Confidence level of the summary's intervals (the core's default 0.95).
    tolerance, max_iterations : optional
        Optimiser settings (the core's defaults when ``None``).

    Returns
    -------
    CovariateModel
        The fit; predict with
        :meth:`CovariateModel.conditional_expected_average_spend`.

    Examples
    --------
    >>> import retention
    >>> log = retention.EventLog.sample(seed=42, customers=200)
    >>> data = retention.summary_data(log, "2025-01-01", unit="week")
    >>> data["g"] = [i % 2 for i in range(len(data))]
    >>> list(retention.fit_gamma_gamma_covariates(data, spend=["g"]).summary["name"])
    ['p', 'q', 'gamma', 'spend.g']
    """
    history = ("frequency", "monetary_value")
    cols = [c for _, c in _columns(data, history + ((weights,) if weights else ()))]
    inner = _retention.CovariateModel.fit_gamma_gamma(
        cols[0], cols[1], _columns(data, spend or ()), cols[2] if weights else None,
        reg_lambda=reg_lambda, tolerance=tolerance, max_iterations=max_iterations,
    )
    return CovariateModel(inner, level, library_of(data), history, (tuple(spend or ()), ()))
