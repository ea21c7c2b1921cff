"""The supervised churn model: point-in-time features, labels, the logistic
model, its evaluation and the traffic light.

Thin wrappers like :mod:`retention._api`: convert arguments, call the Rust
core once, convert the result to the library of the input.
"""

from __future__ import annotations

from typing import Any, Dict, List, Sequence, Tuple

import numpy as np

from . import _retention, codes, results
from ._api import _float, _int, _library
from ._frames import from_arrow, micros, to_arrow_array, to_arrow_table
from ._log import EventLog, _check_log
from .errors import InvalidParameterError

__all__ = [
    "CHURN_FEATURES",
    "churn_features",
    "churn_labels",
    "LogisticModel",
    "evaluate",
    "traffic_light",
]

# ------------------------------------------------------------------ churn

CHURN_FEATURES: Tuple[str, ...] = tuple(_retention.churn_feature_names())


def churn_features(log: EventLog, cutoff: Any) -> Any:
    """Point-in-time churn features of every customer whose first order precedes ``cutoff``.

    Only events before ``cutoff`` are used, so features at a past cutoff
    can be paired with labels observed after it (see :func:`churn_labels`).

    Parameters
    ----------
    log : EventLog
        The events.
    cutoff : str or datetime-like
        The feature instant (ISO 8601 text such as ``"2024-07-01"``,
        ``datetime`` with naive = UTC, ``date``, ``numpy.datetime64`` or
        ``pandas.Timestamp``).

    Returns
    -------
    DataFrame
        ``customer_id`` and one column per name in :data:`CHURN_FEATURES`
        (``recency_days``, ``tenure_days``, ``log_orders``…).

    Examples
    --------
    >>> import retention
    >>> log = retention.EventLog.sample(seed=42, customers=200)
    >>> features = retention.churn_features(log, "2024-07-01")
    >>> list(features.columns[1:]) == list(retention.CHURN_FEATURES), len(features)
    (True, 101)
    """
    lg = _check_log(log)
    return from_arrow(_retention.churn_features(lg._log, micros(cutoff, "cutoff")), lg.library)


def _ids(customers: Any) -> Any:
    if hasattr(customers, "columns") or hasattr(customers, "column_names"):
        import pyarrow as pa

        table = pa.table(to_arrow_table(customers))
        if "customer_id" not in table.column_names:
            raise InvalidParameterError(
                "invalid parameter `customers`: no customer_id column", name="customers",
                value="customer_id", reason="no such column in the input",
            )
        return table.column("customer_id").combine_chunks()
    return to_arrow_array(customers, "customers")


def churn_labels(log: EventLog, customers: Any, cutoff: Any, horizon_days: int, observation_end: Any) -> Any:
    """Churn labels: ``churned`` = no order in ``[cutoff, cutoff + horizon_days)``.

    Parameters
    ----------
    log : EventLog
        The events.
    customers : sequence or table
        Customer ids, or a table with a ``customer_id`` column (such as the
        frame of :func:`churn_features`).
    cutoff : str or datetime-like
        Start of the label window (ISO 8601 text such as ``"2024-07-01"``,
        ``datetime`` with naive = UTC, ``date``, ``numpy.datetime64`` or
        ``pandas.Timestamp``).
    horizon_days : int
        Length of the label window in days.
    observation_end : str or datetime-like
        End of the data; the label window must end by then.

    Returns
    -------
    DataFrame
        Columns ``customer_id`` and ``churned`` (bool).

    Raises
    ------
    InvalidParameterError
        If the label window reaches past ``observation_end`` (immature
        labels), or a table has no ``customer_id`` column.
    UnknownCustomerError
        If an id is not in the log.

    Examples
    --------
    >>> import retention
    >>> log = retention.EventLog.sample(seed=42, customers=200)
    >>> features = retention.churn_features(log, "2024-07-01")
    >>> labels = retention.churn_labels(log, features, "2024-07-01", 90, "2025-01-01")
    >>> list(labels.columns), int(labels["churned"].sum())
    (['customer_id', 'churned'], 79)
    """
    lg = _check_log(log)
    ids = _ids(customers)
    labels = _retention.churn_labels(
        lg._log, ids, micros(cutoff, "cutoff"), _int(horizon_days, "horizon_days"),
        micros(observation_end, "observation_end"),
    )
    import pyarrow as pa

    return from_arrow(pa.table({"customer_id": ids, "churned": pa.array(labels, pa.bool_())}), lg.library)


def _feature_columns(features: Any) -> List[Any]:
    import pyarrow as pa

    table = pa.table(to_arrow_table(features))
    missing = [n for n in CHURN_FEATURES if n not in table.column_names]
    if missing:
        raise InvalidParameterError(
            f"invalid parameter `features`: missing columns {missing}", name="features",
            value=repr(missing), reason="the features need every column of CHURN_FEATURES",
        )
    return [table.column(n).combine_chunks() for n in CHURN_FEATURES]


def _labels(labels: Any) -> Any:
    if hasattr(labels, "columns") or hasattr(labels, "column_names"):
        import pyarrow as pa

        table = pa.table(to_arrow_table(labels))
        if "churned" not in table.column_names:
            raise InvalidParameterError(
                "invalid parameter `labels`: no churned column", name="labels", value="churned",
                reason="no such column in the input",
            )
        return table.column("churned").combine_chunks()
    return to_arrow_array(labels, "labels")


class LogisticModel:
    """L2 logistic regression on standardised churn features.

    ``LogisticModel.fit(features, labels)`` takes the frame of
    :func:`churn_features` (columns :data:`CHURN_FEATURES`) and the churn
    labels (booleans, or the frame of :func:`churn_labels`); :meth:`predict`
    gives churn probabilities. Split by time: fit on one cutoff, evaluate on
    a later one. The constructor itself is internal; models pickle.

    Examples
    --------
    >>> import retention
    >>> log = retention.EventLog.sample(seed=42, customers=200)
    >>> features = retention.churn_features(log, "2024-07-01")
    >>> labels = retention.churn_labels(log, features, "2024-07-01", 90, "2025-01-01")
    >>> model = retention.LogisticModel.fit(features, labels)
    >>> scores = model.predict(features)
    >>> len(scores), bool(((scores >= 0) & (scores <= 1)).all())
    (101, True)
    """

    __slots__ = ("_inner",)

    def __init__(self, inner: _retention.LogisticModel) -> None:
        if not isinstance(inner, _retention.LogisticModel):
            raise TypeError("use LogisticModel.fit(features, labels)")
        self._inner = inner

    @classmethod
    def fit(
        cls, features: Any, labels: Any, *, l2: float = 1.0, max_iterations: int = 100, tolerance: float = 1e-9
    ) -> "LogisticModel":
        """Fit the model by L2-penalised maximum likelihood.

        Parameters
        ----------
        features : DataFrame or table
            A table holding every column of :data:`CHURN_FEATURES` (extra
            columns such as ``customer_id`` are ignored).
        labels : sequence of bool or table
            Churned flags, one per row of ``features``, or a table with a
            ``churned`` column (the frame of :func:`churn_labels`).
        l2 : float, default 1.0
            L2 penalty on the weights (not the intercept).
        max_iterations : int, default 100
            Iteration limit.
        tolerance : float, default 1e-09
            Convergence tolerance.

        Returns
        -------
        LogisticModel
            The fitted model.

        Raises
        ------
        InvalidParameterError
            If a feature column or the ``churned`` column is missing.
        LengthMismatchError
            If features and labels differ in length.

        Examples
        --------
        >>> import retention
        >>> log = retention.EventLog.sample(seed=42, customers=200)
        >>> features = retention.churn_features(log, "2024-07-01")
        >>> labels = retention.churn_labels(log, features, "2024-07-01", 90, "2025-01-01")
        >>> retention.LogisticModel.fit(features, labels, l2=1.0).iterations
        7
        """
        return cls(
            _retention.LogisticModel.fit(
                _feature_columns(features), _labels(labels), l2=_float(l2, "l2"),
                max_iterations=_int(max_iterations, "max_iterations"), tolerance=_float(tolerance, "tolerance"),
            )
        )

    def predict(self, features: Any) -> Any:
        """Churn probabilities, one per row of ``features``.

        Parameters
        ----------
        features : DataFrame or table
            A table holding every column of :data:`CHURN_FEATURES`.

        Returns
        -------
        numpy.ndarray
            Probabilities in [0, 1].

        Raises
        ------
        InvalidParameterError
            If a feature column is missing.

        Examples
        --------
        >>> import retention
        >>> log = retention.EventLog.sample(seed=42, customers=200)
        >>> features = retention.churn_features(log, "2024-07-01")
        >>> labels = retention.churn_labels(log, features, "2024-07-01", 90, "2025-01-01")
        >>> model = retention.LogisticModel.fit(features, labels)
        >>> model.predict(retention.churn_features(log, "2024-10-01")).shape
        (132,)
        """
        return np.asarray(self._inner.predict(_feature_columns(features)), dtype=float)

    @property
    def intercept(self) -> float:
        """The intercept (log-odds of churn at the feature means).

        Returns
        -------
        float

        Examples
        --------
        >>> import retention
        >>> log = retention.EventLog.sample(seed=42, customers=200)
        >>> features = retention.churn_features(log, "2024-07-01")
        >>> labels = retention.churn_labels(log, features, "2024-07-01", 90, "2025-01-01")
        >>> model = retention.LogisticModel.fit(features, labels)
        >>> round(model.intercept, 2)
        1.93
        """
        return self._inner.intercept

    @property
    def coefficients(self) -> Dict[str, float]:
        """Weights on the standardised features, by feature name.

        Returns
        -------
        dict of str to float
            One weight per name in :data:`CHURN_FEATURES`, in that order.

        Examples
        --------
        >>> import retention
        >>> log = retention.EventLog.sample(seed=42, customers=200)
        >>> features = retention.churn_features(log, "2024-07-01")
        >>> labels = retention.churn_labels(log, features, "2024-07-01", 90, "2025-01-01")
        >>> model = retention.LogisticModel.fit(features, labels)
        >>> list(model.coefficients) == list(retention.CHURN_FEATURES)
        True
        """
        return dict(zip(CHURN_FEATURES, self._inner.weights))

    @property
    def means(self) -> List[float]:
        """Feature means used for standardisation, in :data:`CHURN_FEATURES` order.

        Returns
        -------
        list of float

        Examples
        --------
        >>> import retention
        >>> log = retention.EventLog.sample(seed=42, customers=200)
        >>> features = retention.churn_features(log, "2024-07-01")
        >>> labels = retention.churn_labels(log, features, "2024-07-01", 90, "2025-01-01")
        >>> model = retention.LogisticModel.fit(features, labels)
        >>> len(model.means) == len(retention.CHURN_FEATURES)
        True
        """
        return self._inner.means

    @property
    def scales(self) -> List[float]:
        """Feature scales used for standardisation, in :data:`CHURN_FEATURES` order.

        Returns
        -------
        list of float

        Examples
        --------
        >>> import retention
        >>> log = retention.EventLog.sample(seed=42, customers=200)
        >>> features = retention.churn_features(log, "2024-07-01")
        >>> labels = retention.churn_labels(log, features, "2024-07-01", 90, "2025-01-01")
        >>> model = retention.LogisticModel.fit(features, labels)
        >>> len(model.scales) == len(retention.CHURN_FEATURES)
        True
        """
        return self._inner.scales

    @property
    def iterations(self) -> int:
        """Iterations the fit took.

        Returns
        -------
        int

        Examples
        --------
        >>> import retention
        >>> log = retention.EventLog.sample(seed=42, customers=200)
        >>> features = retention.churn_features(log, "2024-07-01")
        >>> labels = retention.churn_labels(log, features, "2024-07-01", 90, "2025-01-01")
        >>> model = retention.LogisticModel.fit(features, labels)
        >>> model.iterations
        7
        """
        return self._inner.iterations

    def __reduce__(self) -> Any:
        return (LogisticModel, (self._inner,))

    def __repr__(self) -> str:
        return repr(self._inner)


def evaluate(scores: Any, labels: Any) -> Dict[str, Any]:
    """Evaluate churn scores against outcomes.

    Parameters
    ----------
    scores : sequence of float
        Predicted churn probabilities in [0, 1].
    labels : sequence of bool or table
        Actual churn, one per score, or a table with a ``churned`` column.

    Returns
    -------
    dict
        ``roc_auc``, ``pr_auc`` (average precision), ``top_decile_lift``,
        ``brier``, ``count``, ``positives``, and ``calibration``: a ten-bin
        table with columns ``lower``, ``upper``, ``count``,
        ``mean_predicted`` and ``observed_rate``.

    Raises
    ------
    LengthMismatchError
        If scores and labels differ in length.

    Examples
    --------
    >>> import retention
    >>> result = retention.evaluate([0.1, 0.4, 0.35, 0.8], [False, False, True, True])
    >>> result["roc_auc"], result["positives"], len(result["calibration"])
    (0.75, 2, 10)
    """
    out, table = _retention.evaluate(to_arrow_array(scores, "scores"), _labels(labels))
    out["calibration"] = from_arrow(table, _library(scores))
    return out


def traffic_light(
    risk: float,
    *,
    source: codes.RiskSource = "health_score",
    reasons: Sequence[str] = (),
    open_critical: int = 0,
    open_other: int = 0,
    amber: float = 0.33,
    red: float = 0.66,
) -> results.TrafficLight:
    """Green / amber / red for a churn risk in [0, 1], raised by open tickets.

    Green when ``risk < amber``, red when ``risk > red``, amber otherwise; an
    open critical ticket makes the light red and any other open ticket at
    least amber. The result lists the reasons.

    Parameters
    ----------
    risk : float
        The churn risk in [0, 1].
    source : {"health_score", "probability_alive", "supervised"}, default "health_score"
        Where the risk comes from (vocabulary ``"risk_source"``): the health
        score, ``1 − P(alive)`` of a fitted model, or the supervised model;
        it names the first reason.
    reasons : sequence of str, default ()
        Further reasons from the risk source.
    open_critical : int, default 0
        Open critical tickets (or complaints).
    open_other : int, default 0
        Other open tickets.
    amber : float, default 0.33
        Lowest amber risk.
    red : float, default 0.66
        Risk above which the light is red.

    Returns
    -------
    dict
        ``light`` (``"green"``, ``"amber"`` or ``"red"``), ``risk`` and
        ``reasons`` (list of str).

    Raises
    ------
    InvalidParameterError
        If ``risk`` is not in [0, 1] or not ``0 ≤ amber < red ≤ 1``.
    UnknownCodeError
        If ``source`` is not one of its codes; ``accepted`` lists them.
    TypeError
        If ``reasons`` is a str.

    Examples
    --------
    >>> import retention
    >>> retention.traffic_light(0.5)["light"]
    'amber'
    >>> retention.traffic_light(0.2, open_critical=1)
    {'light': 'red', 'risk': 0.2, 'reasons': ['health-score risk 0.20', '1 open critical ticket(s) or complaint(s)']}
    """
    if isinstance(reasons, str):
        raise TypeError("`reasons` must be a sequence of str, not a str")
    return _retention.traffic_light(
        _float(risk, "risk"), source=source, reasons=[str(r) for r in reasons],
        open_critical=_int(open_critical, "open_critical"), open_other=_int(open_other, "open_other"),
        amber=_float(amber, "amber"), red=_float(red, "red"),
    )
