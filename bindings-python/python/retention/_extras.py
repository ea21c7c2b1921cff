"""Loyalty, the supervised churn model, value tiers and rule segments, series
metrics, referral and engagement, labelled cohorts and experiments, survival
input from a log.

Thin wrappers like :mod:`retention._api`: convert arguments, call the Rust
core once, convert the result to the library of the input.
"""

from __future__ import annotations

import dataclasses
from typing import Any, Dict, List, Mapping, Optional, Sequence, Tuple, Union, cast

import numpy as np

from . import _retention, codes, results
from ._api import _float, _int, _library
from ._frames import from_arrow, micros, to_arrow_array, to_arrow_table, to_datetime
from ._frames import ts_fields as _ts_fields
from ._log import EventLog, _check_log, _check_summaries
from .errors import InvalidParameterError

__all__ = [
    "LoyaltyConfig",
    "points_ledger",
    "points_balances",
    "redeem_points",
    "tier_status",
    "tier_for_value",
    "tier_history",
    "CHURN_FEATURES",
    "churn_features",
    "churn_labels",
    "LogisticModel",
    "evaluate",
    "traffic_light",
    "historic_value_tiers",
    "value_tiers",
    "rule_segments",
    "period_activity_series",
    "period_over_period_retention",
    "period_over_period_retention_series",
    "referral_stats",
    "engagement",
    "labelled_cohorts",
    "retention_counts",
    "survival_comparison",
    "churn_durations",
]




def _customer(value: Any) -> Union[int, str]:
    if isinstance(value, (bool, float)) or not isinstance(value, (int, str, np.integer)):
        raise TypeError(f"`customer` must be an int or a str, got {type(value).__name__}")
    return int(value) if isinstance(value, np.integer) else value


# ---------------------------------------------------------------- loyalty


_LOYALTY: Dict[str, Any] = _retention.defaults()["loyalty"]


@dataclasses.dataclass(frozen=True)
class LoyaltyConfig:
    """Rules of the loyalty programme.

    The defaults are the core's (``retention.defaults()["loyalty"]``). Pass
    an instance (or a dict of some of these fields) as ``config`` to the
    loyalty functions.

    Parameters
    ----------
    points_per_unit : float, default 1.0
        Points earned per currency unit of an order (before the tier
        multiplier).
    welcome_points : float, default 100.0
        Points granted at signup.
    referral_bonus : float, default 250.0
        Points granted per referral.
    expiry_days : int or None, default 365
        Days after which earned points expire (first in, first out);
        ``None`` means points never expire.
    tier_basis : {"trailing_spend", "points_balance"}, default "trailing_spend"
        What places a customer in a tier (vocabulary ``"tier_basis"``): net
        spend over the trailing ``spend_window_days``, or the points balance.
        An unknown code raises :class:`UnknownCodeError` when the config is
        used.
    spend_window_days : int, default 365
        Trailing window of ``"trailing_spend"``.
    tiers : tuple of (str, float, float)
        ``(name, threshold, multiplier)`` in increasing threshold order, the
        first threshold 0. Default Bronze 0 ×1.0, Silver 500 ×1.25, Gold 1500
        ×1.5, Platinum 5000 ×2.0.

    Examples
    --------
    >>> import retention
    >>> config = retention.LoyaltyConfig(expiry_days=None)
    >>> config.tiers[1], config.expiry_days
    (('Silver', 500.0, 1.25), None)
    """

    points_per_unit: float = _LOYALTY["points_per_unit"]
    welcome_points: float = _LOYALTY["welcome_points"]
    referral_bonus: float = _LOYALTY["referral_bonus"]
    expiry_days: Optional[int] = _LOYALTY["expiry_days"]
    tier_basis: codes.TierBasis = _LOYALTY["tier_basis"]
    spend_window_days: int = _LOYALTY["spend_window_days"]
    tiers: Tuple[Tuple[str, float, float], ...] = tuple(
        (t["name"], t["threshold"], t["multiplier"]) for t in _LOYALTY["tiers"]
    )

    def to_dict(self) -> Dict[str, Any]:
        """The configuration as a dict (``tiers`` as a list of tuples).

        Returns
        -------
        dict
            Field name → value.

        Examples
        --------
        >>> import retention
        >>> retention.LoyaltyConfig().to_dict()["tier_basis"]
        'trailing_spend'
        """
        d = dataclasses.asdict(self)
        d["tiers"] = [tuple(t) for t in self.tiers]
        return d


_TIER_FIELDS = ("name", "threshold", "multiplier")


def _tier(row: Any) -> Any:
    # A (name, threshold[, multiplier]) row as the core's tier mapping.
    if isinstance(row, Mapping) or isinstance(row, str) or not isinstance(row, Sequence):
        return row
    if len(row) not in (2, 3):
        raise TypeError(f"a loyalty tier is (name, threshold, multiplier), got {row!r}")
    return dict(zip(_TIER_FIELDS, row))


def _config(config: Any) -> Optional[Dict[str, Any]]:
    if config is None:
        return None
    if isinstance(config, LoyaltyConfig):
        d = config.to_dict()
    elif isinstance(config, Mapping):
        d = dict(config)
    else:
        raise TypeError(f"`config` must be a LoyaltyConfig or a dict, got {type(config).__name__}")
    if isinstance(d.get("tiers"), (list, tuple)):
        d["tiers"] = [_tier(t) for t in d["tiers"]]
    return d


def points_ledger(log: EventLog, customer: Any, as_of: Any, *, config: Any = None) -> Tuple[Any, results.LedgerTotals]:
    """One customer's points ledger at ``as_of``: the entries and the totals.

    Points are earned on orders (times the tier multiplier), at signup and
    for referrals, redeemed by ``points_redeemed`` events, and expire first
    in, first out after ``expiry_days``.

    Parameters
    ----------
    log : EventLog
        The events.
    customer : int or str
        The customer id.
    as_of : str or datetime-like
        The instant (ISO 8601 text such as ``"2025-01-01"``, ``datetime``
        with naive = UTC, ``date``, ``numpy.datetime64`` or
        ``pandas.Timestamp``).
    config : LoyaltyConfig or dict, optional
        Programme rules; a dict holds some :class:`LoyaltyConfig` fields (an
        unknown key raises :class:`InvalidParameterError`, an unknown
        ``tier_basis`` :class:`UnknownCodeError`). ``None`` (default) uses
        the core's defaults.

    Returns
    -------
    entries : DataFrame
        Columns ``time``, ``kind`` (a ``"ledger_entry_kind"`` code:
        ``"welcome"``, ``"order"``, ``"referral"``, ``"credit"``,
        ``"redemption"``, ``"expiry"``), ``points``, ``balance`` (after the
        entry), ``row`` (input row, null for expiries) and ``tier``.
    totals : dict
        ``balance``, ``earned``, ``redeemed``, ``expired``, ``next_expiry``
        (timestamp or ``None``) and ``next_expiry_points``.

    Raises
    ------
    UnknownCustomerError
        If the customer is not in the log.
    InsufficientPointsError
        If a redemption in the log exceeds the balance.

    Examples
    --------
    >>> import retention
    >>> log = retention.EventLog.sample(seed=42, customers=200)
    >>> entries, totals = retention.points_ledger(log, 4, "2025-01-01")
    >>> entries["kind"].iloc[0], totals["balance"]
    ('welcome', 159.83)
    >>> retention.points_ledger(log, 4, "2025-01-01", config={"expiry_days": None})[1]["expired"]
    0.0
    """
    lg = _check_log(log)
    table, totals = _retention.points_ledger(lg._log, _customer(customer), micros(as_of, "as_of"), _config(config))
    return from_arrow(table, lg.library), cast(results.LedgerTotals, _ts_fields(totals, "next_expiry"))


def points_balances(log: EventLog, as_of: Any, *, config: Any = None) -> Any:
    """Every customer's points totals at ``as_of`` (one row per customer).

    Parameters
    ----------
    log : EventLog
        The events.
    as_of : str or datetime-like
        The instant (ISO 8601 text such as ``"2025-01-01"``, ``datetime``
        with naive = UTC, ``date``, ``numpy.datetime64`` or
        ``pandas.Timestamp``).
    config : LoyaltyConfig or dict, optional
        Programme rules; a dict holds some :class:`LoyaltyConfig` fields (an
        unknown key raises :class:`InvalidParameterError`, an unknown
        ``tier_basis`` :class:`UnknownCodeError`). ``None`` (default) uses
        the core's defaults.

    Returns
    -------
    DataFrame
        Columns ``customer_id``, ``balance``, ``earned``, ``redeemed``,
        ``expired``, ``next_expiry`` and ``next_expiry_points``.

    Examples
    --------
    >>> import retention
    >>> log = retention.EventLog.sample(seed=42, customers=200)
    >>> balances = retention.points_balances(log, "2025-01-01")
    >>> list(balances.columns[:3]), len(balances)
    (['customer_id', 'balance', 'earned'], 200)
    """
    lg = _check_log(log)
    return from_arrow(_retention.points_balances(lg._log, micros(as_of, "as_of"), _config(config)), lg.library)


def redeem_points(
    log: EventLog, customer: Any, points: float, *, as_of: Any, at: Any = None, config: Any = None
) -> float:
    """The balance after a proposed redemption of ``points``.

    Nothing is recorded: this checks a redemption before it is made.

    Parameters
    ----------
    log : EventLog
        The events.
    customer : int or str
        The customer id.
    points : float
        Points to redeem.
    as_of : str or datetime-like
        The instant of the ledger (keyword only; ISO 8601 text such as
        ``"2025-01-01"``, ``datetime`` with naive = UTC, ``date``,
        ``numpy.datetime64`` or ``pandas.Timestamp``).
    at : str or datetime-like, optional
        When the redemption happens (expiries up to then apply); ``None``
        (default) means ``as_of``.
    config : LoyaltyConfig or dict, optional
        Programme rules; a dict holds some :class:`LoyaltyConfig` fields (an
        unknown key raises :class:`InvalidParameterError`, an unknown
        ``tier_basis`` :class:`UnknownCodeError`). ``None`` (default) uses
        the core's defaults.

    Returns
    -------
    float
        The balance left.

    Raises
    ------
    InsufficientPointsError
        If ``points`` exceeds the balance available at ``at``.
    UnknownCustomerError
        If the customer is not in the log.

    Examples
    --------
    >>> import retention
    >>> log = retention.EventLog.sample(seed=42, customers=200)
    >>> round(retention.redeem_points(log, 4, 100, as_of="2025-01-01"), 2)
    59.83
    >>> try:
    ...     retention.redeem_points(log, 4, 1000, as_of="2025-01-01")
    ... except retention.InsufficientPointsError as e:
    ...     print(e.available)
    159.83
    """
    lg = _check_log(log)
    a = micros(as_of, "as_of")
    return _retention.redeem_points(
        lg._log, _customer(customer), a, a if at is None else micros(at, "at"), _float(points, "points"), _config(config)
    )


def tier_status(log: EventLog, customer: Any, at: Any, *, config: Any = None) -> results.TierStatus:
    """The customer's tier at ``at`` with progress to the next tier.

    Parameters
    ----------
    log : EventLog
        The events.
    customer : int or str
        The customer id.
    at : str or datetime-like
        The instant (ISO 8601 text such as ``"2025-01-01"``, ``datetime``
        with naive = UTC, ``date``, ``numpy.datetime64`` or
        ``pandas.Timestamp``).
    config : LoyaltyConfig or dict, optional
        Programme rules; a dict holds some :class:`LoyaltyConfig` fields (an
        unknown key raises :class:`InvalidParameterError`, an unknown
        ``tier_basis`` :class:`UnknownCodeError`). ``None`` (default) uses
        the core's defaults.

    Returns
    -------
    dict
        ``tier`` (name), ``index``, ``multiplier``, ``value`` (the trailing
        spend or points balance that places the customer), ``next_tier``,
        ``next_threshold``, ``missing`` (amount to the next tier) and
        ``progress`` (fraction of the way); the last four are ``None`` at the
        top tier.

    Raises
    ------
    UnknownCustomerError
        If the customer is not in the log.

    Examples
    --------
    >>> import retention
    >>> log = retention.EventLog.sample(seed=42, customers=200)
    >>> status = retention.tier_status(log, 4, "2025-01-01")
    >>> status["tier"], status["next_tier"], round(status["missing"], 2)
    ('Bronze', 'Silver', 340.17)
    """
    lg = _check_log(log)
    return cast(results.TierStatus, _retention.tier_status(lg._log, _customer(customer), micros(at, "at"), _config(config)))


def tier_for_value(value: float, *, config: Any = None) -> results.TierStatus:
    """The tier and progress that a trailing spend (or points balance) gives.

    Parameters
    ----------
    value : float
        Trailing spend or points balance (per the ``tier_basis``).
    config : LoyaltyConfig or dict, optional
        Programme rules; a dict holds some :class:`LoyaltyConfig` fields (an
        unknown key raises :class:`InvalidParameterError`, an unknown
        ``tier_basis`` :class:`UnknownCodeError`). ``None`` (default) uses
        the core's defaults.

    Returns
    -------
    dict
        The keys of :func:`tier_status`: ``tier``, ``index``,
        ``multiplier``, ``value``, ``next_tier``, ``next_threshold``,
        ``missing`` and ``progress`` (``None`` at the top tier).

    Examples
    --------
    >>> import retention
    >>> status = retention.tier_for_value(750.0)
    >>> status["tier"], status["next_tier"], status["progress"]
    ('Silver', 'Gold', 0.25)
    >>> retention.tier_for_value(6000.0)["next_tier"] is None
    True
    """
    return cast(results.TierStatus, _retention.tier_for_value(_float(value, "value"), _config(config)))


def tier_history(log: EventLog, customer: Any, as_of: Any, *, config: Any = None) -> Any:
    """Every tier change of the customer up to ``as_of``.

    Parameters
    ----------
    log : EventLog
        The events.
    customer : int or str
        The customer id.
    as_of : str or datetime-like
        The instant (ISO 8601 text such as ``"2025-01-01"``, ``datetime``
        with naive = UTC, ``date``, ``numpy.datetime64`` or
        ``pandas.Timestamp``).
    config : LoyaltyConfig or dict, optional
        Programme rules; a dict holds some :class:`LoyaltyConfig` fields (an
        unknown key raises :class:`InvalidParameterError`, an unknown
        ``tier_basis`` :class:`UnknownCodeError`). ``None`` (default) uses
        the core's defaults.

    Returns
    -------
    DataFrame
        Columns ``at``, ``from_tier``, ``to_tier``, ``from_index`` and
        ``to_index``, one row per change (empty when the tier never changed).

    Raises
    ------
    UnknownCustomerError
        If the customer is not in the log.

    Examples
    --------
    >>> import retention
    >>> log = retention.EventLog.sample(seed=42, customers=200)
    >>> changes = retention.tier_history(log, 14, "2025-01-01")
    >>> changes["to_tier"].tolist()
    ['Silver', 'Bronze', 'Silver', 'Bronze']
    """
    lg = _check_log(log)
    return from_arrow(
        _retention.tier_history(lg._log, _customer(customer), micros(as_of, "as_of"), _config(config)), lg.library
    )


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


# --------------------------------------------------------------- segments


def _tiers(tiers: Any) -> Optional[List[Tuple[str, float]]]:
    if tiers is None:
        return None
    if isinstance(tiers, Mapping):
        tiers = list(tiers.items())
    return [(str(n), _float(s, "tiers")) for n, s in tiers]


def historic_value_tiers(summaries: Any, *, tiers: Any = None) -> Any:
    """Value tiers of the customers with orders, by net revenue to date.

    Customers are ranked by net revenue and cut at cumulative shares of the
    ranked customers.

    Parameters
    ----------
    summaries : Summaries or EventLog
        Customer summaries (an :class:`EventLog` is summarised first).
    tiers : dict or sequence of (str, float), optional
        ``{name: cumulative share}`` with shares strictly increasing in
        (0, 1] and the last 1.0. ``None`` (default) means Top 1 %, Top 5 %,
        Top 20 %, Rest.

    Returns
    -------
    DataFrame
        Columns ``customer_id``, ``value`` (net revenue), ``rank`` (1 =
        highest) and ``tier``, in rank order.

    Raises
    ------
    InvalidParameterError
        If the shares are not strictly increasing in (0, 1] ending at 1.

    Examples
    --------
    >>> import retention
    >>> log = retention.EventLog.sample(seed=42, customers=200)
    >>> tiers = retention.historic_value_tiers(log.summaries())
    >>> tiers["tier"].value_counts().to_dict()
    {'Rest': 128, 'Top 20%': 24, 'Top 5%': 7, 'Top 1%': 2}
    """
    s = _check_summaries(summaries)
    return from_arrow(_retention.historic_value_tiers(s._inner, _tiers(tiers)), s.library)


def value_tiers(customers: Any, values: Any, *, tiers: Any = None) -> Any:
    """Value tiers from given values (e.g. predicted CLV), one per customer.

    Parameters
    ----------
    customers : sequence
        Customer ids.
    values : sequence of float
        One value per customer; higher ranks first.
    tiers : dict or sequence of (str, float), optional
        ``{name: cumulative share}`` with shares strictly increasing in
        (0, 1] and the last 1.0. ``None`` (default) means Top 1 %, Top 5 %,
        Top 20 %, Rest.

    Returns
    -------
    DataFrame
        Columns ``customer_id``, ``value``, ``rank`` and ``tier``, in rank
        order (the library of ``values``/``customers``; pandas for lists).

    Raises
    ------
    LengthMismatchError
        If customers and values differ in length.
    InvalidParameterError
        If the shares are not strictly increasing in (0, 1] ending at 1.

    Examples
    --------
    >>> import retention
    >>> tiers = retention.value_tiers(["a", "b", "c", "d"], [10.0, 50.0, 5.0, 35.0],
    ...                               tiers={"Top": 0.5, "Rest": 1.0})
    >>> tiers["customer_id"].tolist(), tiers["tier"].tolist()
    (['b', 'd', 'a', 'c'], ['Top', 'Top', 'Rest', 'Rest'])
    """
    table = _retention.value_tiers(
        to_arrow_array(customers, "customers"), to_arrow_array(values, "values"), _tiers(tiers)
    )
    return from_arrow(table, _library(values, customers))


def rule_segments(summaries: Any, as_of: Any, segments: Any, *, attributes: Any = None) -> Any:
    """Rule-based segments: every matching segment per customer and the first one.

    ``segments`` maps names to predicates (or is a list of ``(name,
    predicate)``). A predicate is ``(field, op, value)`` with op ``==``,
    ``!=``, ``<``, ``<=``, ``>``, ``>=`` or ``in``; ``{"and": [...]}``,
    ``{"or": [...]}``, ``{"not": p}``; or ``True``. Fields are summary
    fields (codes of ``retention.vocabulary()["summary_field"]``:
    ``orders``, ``net_revenue``, ``days_since_last_order``,
    ``open_tickets``, ``latest_nps``, ``mrr``…) or columns of
    ``attributes``, also reachable as ``"attribute:<name>"``.

    Parameters
    ----------
    summaries : Summaries or EventLog
        Customer summaries (an :class:`EventLog` is summarised first).
    as_of : str or datetime-like
        The instant for the day-count fields (ISO 8601 text such as
        ``"2025-01-01"``, ``datetime`` with naive = UTC, ``date``,
        ``numpy.datetime64`` or ``pandas.Timestamp``).
    segments : dict or list of (str, predicate)
        The segment rules, in priority order.
    attributes : DataFrame or table, optional
        Extra per-customer columns, with a ``customer_id`` column.

    Returns
    -------
    DataFrame
        Columns ``customer_id``, ``segments`` (list of every matching name)
        and ``segment`` (the first match in table order, null when none).

    Raises
    ------
    UnknownCodeError
        If a field is neither a summary field nor an attribute column;
        ``accepted`` lists the summary fields.
    TypeError
        If ``segments`` has the wrong shape.

    Examples
    --------
    >>> import retention
    >>> log = retention.EventLog.sample(seed=42, customers=200)
    >>> rules = {"big": {"and": [("orders", ">=", 3), ("net_revenue", ">", 200)]}, "rest": True}
    >>> segs = retention.rule_segments(log.summaries(), "2025-01-01", rules)
    >>> segs["segment"].value_counts().to_dict()
    {'rest': 175, 'big': 25}
    """
    s = _check_summaries(summaries)
    if isinstance(segments, Mapping):
        segments = list(segments.items())
    if isinstance(segments, (str, bytes)) or not isinstance(segments, (list, tuple)):
        raise TypeError("`segments` must be a dict of name → predicate or a list of (name, predicate)")
    pairs = []
    for item in segments:
        if not (isinstance(item, tuple) and len(item) == 2):
            raise TypeError(f"each segment must be a (name, predicate) pair, got {item!r}")
        pairs.append((str(item[0]), item[1]))
    attrs = None if attributes is None else to_arrow_table(attributes)
    return from_arrow(_retention.rule_segments(s._inner, micros(as_of, "as_of"), pairs, attrs), s.library)


# ---------------------------------------------------------------- metrics


def period_activity_series(
    log: EventLog, start: Any, end: Any, *, period: codes.Period = "month", window_days: int = 90, basis: codes.ActivityBasis = "orders"
) -> Any:
    """:func:`period_activity` for every calendar period from ``start``'s to ``end``'s.

    Parameters
    ----------
    log : EventLog
        The events.
    start, end : str or datetime-like
        The first period is the one containing ``start``, the last the one
        containing ``end`` (ISO 8601 text such as ``"2024-01-01"``,
        ``datetime`` with naive = UTC, ``date``, ``numpy.datetime64`` or
        ``pandas.Timestamp``).
    period : {"day", "week", "month", "quarter", "year"}, default "month"
        Calendar period (vocabulary ``"period"``).
    window_days : int, default 90
        Activity window in days for ``basis="orders"``.
    basis : {"orders", "subscriptions"}, default "orders"
        Activity basis (vocabulary ``"activity_basis"``).

    Returns
    -------
    DataFrame
        One row per period: ``period_start``, ``period_end`` and the keys of
        :func:`period_activity` (``start_count``, ``end_count``,
        ``retained``, ``joined``, ``new``, ``lost``, ``lost_including_new``,
        ``retention_rate``, ``churn_rate``, ``churn_rate_including_new``).

    Raises
    ------
    UnknownCodeError
        If ``period`` or ``basis`` is not one of its codes; ``accepted``
        lists them.

    Examples
    --------
    >>> import retention
    >>> log = retention.EventLog.sample(seed=42, customers=200)
    >>> series = retention.period_activity_series(log, "2024-01-01", "2024-06-30", period="month")
    >>> len(series), series["start_count"].tolist()[:2]
    (6, [30, 35])
    """
    lg = _check_log(log)
    return from_arrow(
        _retention.period_activity_series(
            lg._log, micros(start, "start"), micros(end, "end"), period=period,
            window_days=_int(window_days, "window_days"), basis=basis,
        ),
        lg.library,
    )


def period_over_period_retention(log: EventLog, at: Any, *, period: codes.Period = "month") -> results.PeriodRetention:
    """Of the customers with an order in the period containing ``at``, the share with an order in the next period.

    Parameters
    ----------
    log : EventLog
        The events.
    at : str or datetime-like
        An instant in the period (ISO 8601 text such as ``"2024-06-15"``,
        ``datetime`` with naive = UTC, ``date``, ``numpy.datetime64`` or
        ``pandas.Timestamp``).
    period : {"day", "week", "month", "quarter", "year"}, default "month"
        Calendar period (vocabulary ``"period"``).

    Returns
    -------
    dict
        ``period_start`` (timestamp), ``customers`` (ordering in the
        period), ``retained`` (of those, ordering in the next) and ``rate``
        (``None`` when nobody ordered).

    Raises
    ------
    UnknownCodeError
        If ``period`` is not one of its codes; ``accepted`` lists them.

    Examples
    --------
    >>> import retention
    >>> log = retention.EventLog.sample(seed=42, customers=200)
    >>> pop = retention.period_over_period_retention(log, "2024-06-15", period="quarter")
    >>> str(pop["period_start"]), pop["customers"], pop["retained"]
    ('2024-04-01 00:00:00+00:00', 45, 21)
    """
    lg = _check_log(log)
    d = _retention.period_over_period_retention(lg._log, micros(at, "at"), period=period)
    return cast(results.PeriodRetention, _ts_fields(d, "period_start"))


def period_over_period_retention_series(log: EventLog, start: Any, end: Any, *, period: codes.Period = "month") -> Any:
    """Period-over-period retention for every period from ``start``'s to ``end``'s.

    Parameters
    ----------
    log : EventLog
        The events.
    start, end : str or datetime-like
        The first period is the one containing ``start``, the last the one
        containing ``end`` (ISO 8601 text such as ``"2024-01-01"``,
        ``datetime`` with naive = UTC, ``date``, ``numpy.datetime64`` or
        ``pandas.Timestamp``).
    period : {"day", "week", "month", "quarter", "year"}, default "month"
        Calendar period (vocabulary ``"period"``).

    Returns
    -------
    DataFrame
        Columns ``period_start``, ``customers``, ``retained`` and ``rate``,
        one row per period.

    Raises
    ------
    UnknownCodeError
        If ``period`` is not one of its codes; ``accepted`` lists them.

    Examples
    --------
    >>> import retention
    >>> log = retention.EventLog.sample(seed=42, customers=200)
    >>> series = retention.period_over_period_retention_series(log, "2024-01-01", "2024-06-30")
    >>> len(series), series["retained"].tolist()[:2]
    (6, [2, 4])
    """
    lg = _check_log(log)
    return from_arrow(
        _retention.period_over_period_retention_series(lg._log, micros(start, "start"), micros(end, "end"), period=period),
        lg.library,
    )


def referral_stats(log: EventLog, start: Any, end: Any) -> results.ReferralStats:
    """Referral rate of ``[start, end)``: the share of ordering customers who referred somebody.

    Parameters
    ----------
    log : EventLog
        The events.
    start, end : str or datetime-like
        Bounds of the half-open period, ``start < end`` (ISO 8601 text such
        as ``"2024-01-01"``, ``datetime`` with naive = UTC, ``date``,
        ``numpy.datetime64`` or ``pandas.Timestamp``).

    Returns
    -------
    dict
        ``customers`` (with an order in the period), ``referrers`` (of
        those, with a referral), ``all_referrers`` (every customer with a
        referral, ordering or not) and ``referral_rate`` (``referrers /
        customers``, ``None`` when nobody ordered).

    Raises
    ------
    InvalidParameterError
        If ``end`` is not after ``start``.

    Examples
    --------
    >>> import retention
    >>> log = retention.EventLog.sample(seed=42, customers=200)
    >>> stats = retention.referral_stats(log, "2024-01-01", "2025-01-01")
    >>> stats["customers"], stats["referrers"], round(stats["referral_rate"], 4)
    (135, 10, 0.0741)
    """
    return _retention.referral_stats(_check_log(log)._log, micros(start, "start"), micros(end, "end"))


def engagement(log: EventLog, as_of: Any) -> Any:
    """Engagement per customer: sessions, email opens and clicks, recent activity.

    Parameters
    ----------
    log : EventLog
        The events.
    as_of : str or datetime-like
        The instant (ISO 8601 text such as ``"2025-01-01"``, ``datetime``
        with naive = UTC, ``date``, ``numpy.datetime64`` or
        ``pandas.Timestamp``).

    Returns
    -------
    DataFrame
        Columns ``customer_id``, ``sessions``, ``email_opens``,
        ``email_clicks``, ``click_through_rate`` (clicks / opens, null
        without opens), ``active_days_30`` (distinct days with any event in
        the last 30), ``last_activity`` and ``days_since_last_activity``.

    Examples
    --------
    >>> import retention
    >>> log = retention.EventLog.sample(seed=42, customers=200)
    >>> eng = retention.engagement(log, "2025-01-01")
    >>> row = eng[eng["customer_id"] == 4].iloc[0]
    >>> int(row["sessions"]), int(row["email_opens"]), int(row["active_days_30"])
    (26, 33, 4)
    """
    lg = _check_log(log)
    return from_arrow(_retention.engagement(lg._log, micros(as_of, "as_of")), lg.library)


# ------------------------------------------------------ cohorts, experiments


def _label_columns(labels: Any) -> Tuple[Any, Any]:
    """(customers, labels) Arrow arrays from a mapping, a Series indexed by
    customer, or a table with ``customer_id`` and ``label`` columns."""
    import pandas as pd
    import pyarrow as pa

    if isinstance(labels, Mapping):
        if not labels:
            return pa.array([], pa.int64()), pa.array([], pa.string())
        return to_arrow_array(list(labels.keys()), "customers"), to_arrow_array(
            [None if v is None else str(v) for v in labels.values()], "labels"
        )
    if isinstance(labels, pd.Series):
        return to_arrow_array(labels.index.to_numpy(), "customers"), pa.Array.from_pandas(labels.astype("string"))
    if hasattr(labels, "columns") or hasattr(labels, "column_names") or hasattr(labels, "__arrow_c_stream__"):
        table = pa.table(to_arrow_table(labels))
        for col in ("customer_id", "label"):
            if col not in table.column_names:
                raise InvalidParameterError(
                    f"invalid parameter `labels`: no {col} column", name="labels", value=col,
                    reason="the labels table needs customer_id and label columns",
                )
        return table.column("customer_id").combine_chunks(), table.column("label").combine_chunks()
    raise TypeError(
        "`labels` must be a dict {customer: label}, a Series indexed by customer, "
        f"or a table with customer_id and label columns; got {type(labels).__name__}"
    )


def labelled_cohorts(
    log: EventLog,
    labels: Any,
    as_of: Any,
    *,
    period: codes.Period = "month",
    mode: codes.RetentionMode = "return_on",
    qualifying: codes.QualifyingEvents = "orders",
    revenue: codes.RevenueBasis = "net",
    max_age: Optional[int] = None,
) -> Dict[str, Any]:
    """Cohort matrices (like :func:`cohort_matrix`) with caller-given cohorts.

    Each customer's ages count from the period of their own first order;
    labelled customers without an order are left out.

    Parameters
    ----------
    log : EventLog
        The events.
    labels : dict, pandas.Series or table
        Each customer's group: ``{customer: label}``, a Series of labels
        indexed by customer, or a table with ``customer_id`` and ``label``
        columns.
    as_of : str or datetime-like
        The instant (ISO 8601 text such as ``"2025-01-01"``, ``datetime``
        with naive = UTC, ``date``, ``numpy.datetime64`` or
        ``pandas.Timestamp``).
    period : {"day", "week", "month", "quarter", "year"}, default "month"
        Calendar period of the ages (vocabulary ``"period"``).
    mode : {"return_on", "return_on_or_after"}, default "return_on"
        Retention mode (vocabulary ``"retention_mode"``).
    qualifying : {"orders", "any_activity"}, default "orders"
        Which events count as a return (vocabulary ``"qualifying_events"``).
    revenue : {"net", "gross"}, default "net"
        Revenue basis (vocabulary ``"revenue_basis"``).
    max_age : int, optional
        Highest age column; ``None`` (default) keeps every age.

    Returns
    -------
    dict
        ``"retention"``, ``"churn"``, ``"revenue"`` and ``"ltv"``, each a
        DataFrame with one row per label (``cohort``, ``period_start``,
        ``size``) and one column per age ``"0"``, ``"1"``….

    Raises
    ------
    UnknownCodeError
        If ``period``, ``mode``, ``qualifying`` or ``revenue`` is not one of
        its codes; ``accepted`` lists them.
    InvalidParameterError
        If a labels table lacks ``customer_id`` or ``label``.

    Examples
    --------
    >>> import retention
    >>> log = retention.EventLog.sample(seed=42, customers=200)
    >>> labels = {c: "treatment" if c % 2 else "control" for c in range(1, 201)}
    >>> matrices = retention.labelled_cohorts(log, labels, "2025-01-01")
    >>> matrices["retention"]["cohort"].tolist(), matrices["retention"]["size"].tolist()
    (['control', 'treatment'], [77, 84])
    """
    lg = _check_log(log)
    ids, labs = _label_columns(labels)
    parts = _retention.labelled_cohorts(
        lg._log, ids, labs, micros(as_of, "as_of"), period=period, mode=mode, qualifying=qualifying,
        revenue=revenue, max_age=None if max_age is None else _int(max_age, "max_age"),
    )
    return {name: from_arrow(t, lg.library) for name, t in parts}


def retention_counts(
    log: EventLog,
    labels: Any,
    as_of: Any,
    *,
    window_start: Any,
    window_days: int,
    treatment: str = "treatment",
    control: str = "control",
) -> Dict[str, Any]:
    """Customers of each group with an order in ``[window_start, window_start + window_days)``.

    Feed the counts to :func:`two_proportion_z_test`.

    Parameters
    ----------
    log : EventLog
        The events.
    labels : dict, pandas.Series or table
        Each customer's group: ``{customer: label}``, a Series of labels
        indexed by customer, or a table with ``customer_id`` and ``label``
        columns.
    as_of : str or datetime-like
        The instant of the data (ISO 8601 text such as ``"2025-01-01"``,
        ``datetime`` with naive = UTC, ``date``, ``numpy.datetime64`` or
        ``pandas.Timestamp``).
    window_start : str or datetime-like
        Start of the retention window (keyword only).
    window_days : int
        Length of the window in days (keyword only).
    treatment : str, default "treatment"
        Label of the treatment group.
    control : str, default "control"
        Label of the control group.

    Returns
    -------
    dict
        ``treatment_retained``, ``treatment_total``, ``control_retained``,
        ``control_total``, ``treatment_rate`` and ``control_rate`` (``None``
        for an empty group).

    Examples
    --------
    >>> import retention
    >>> log = retention.EventLog.sample(seed=42, customers=200)
    >>> labels = {c: "treatment" if c % 2 else "control" for c in range(1, 201)}
    >>> counts = retention.retention_counts(log, labels, "2025-01-01", window_start="2024-07-01", window_days=90)
    >>> counts["treatment_retained"], counts["control_retained"]
    (29, 23)
    >>> test = retention.two_proportion_z_test(counts["treatment_retained"], counts["treatment_total"],
    ...                                        counts["control_retained"], counts["control_total"])
    >>> round(test["difference"], 2)
    0.06
    """
    lg = _check_log(log)
    ids, labs = _label_columns(labels)
    return _retention.retention_counts(
        lg._log, ids, labs, micros(as_of, "as_of"), window_start=micros(window_start, "window_start"),
        window_days=_int(window_days, "window_days"), treatment=str(treatment), control=str(control),
    )


def survival_comparison(
    log: EventLog,
    labels: Any,
    as_of: Any,
    *,
    treatment: str = "treatment",
    control: str = "control",
    basis: codes.ActivityBasis = "orders",
    inactive_days: Optional[int] = None,
) -> Dict[str, Any]:
    """Log-rank test of the two groups' time to churn (see :func:`churn_durations`).

    Parameters
    ----------
    log : EventLog
        The events.
    labels : dict, pandas.Series or table
        Each customer's group: ``{customer: label}``, a Series of labels
        indexed by customer, or a table with ``customer_id`` and ``label``
        columns.
    as_of : str or datetime-like
        The instant (ISO 8601 text such as ``"2025-01-01"``, ``datetime``
        with naive = UTC, ``date``, ``numpy.datetime64`` or
        ``pandas.Timestamp``).
    treatment : str, default "treatment"
        Label of the treatment group.
    control : str, default "control"
        Label of the control group.
    basis : {"orders", "subscriptions"}, default "orders"
        Churn definition (vocabulary ``"activity_basis"``), as in
        :func:`churn_durations`.
    inactive_days : int, optional
        Days without an order that mean churn (orders basis only); ``None``
        (default) means 90.

    Returns
    -------
    dict
        The keys of :func:`logrank_test`: ``test_statistic``,
        ``degrees_of_freedom``, ``p_value``, ``observed`` and ``expected``
        (treatment first).

    Raises
    ------
    UnknownCodeError
        If ``basis`` is not one of its codes; ``accepted`` lists them.
    InvalidParameterError
        If ``inactive_days`` is given with ``basis="subscriptions"``.

    Examples
    --------
    >>> import retention
    >>> log = retention.EventLog.sample(seed=42, customers=200)
    >>> labels = {c: "treatment" if c % 2 else "control" for c in range(1, 201)}
    >>> test = retention.survival_comparison(log, labels, "2025-01-01")
    >>> round(test["p_value"], 4), test["observed"]
    (0.7866, [53.0, 47.0])
    """
    lg = _check_log(log)
    ids, labs = _label_columns(labels)
    return _retention.survival_comparison(
        lg._log, ids, labs, micros(as_of, "as_of"), treatment=str(treatment), control=str(control), basis=basis,
        inactive_days=None if inactive_days is None else _int(inactive_days, "inactive_days"),
    )


def churn_durations(log: EventLog, as_of: Any, *, basis: codes.ActivityBasis = "orders", inactive_days: Optional[int] = None) -> Any:
    """Days from the start of each customer's life to churn or to ``as_of``: the input of :func:`kaplan_meier`.

    ``basis="orders"``: churned after more than ``inactive_days`` without an
    order, at the last order; censored at ``as_of`` otherwise.
    ``basis="subscriptions"``: churned when MRR fell to 0.

    Parameters
    ----------
    log : EventLog
        The events.
    as_of : str or datetime-like
        The instant (ISO 8601 text such as ``"2025-01-01"``, ``datetime``
        with naive = UTC, ``date``, ``numpy.datetime64`` or
        ``pandas.Timestamp``).
    basis : {"orders", "subscriptions"}, default "orders"
        Churn definition (vocabulary ``"activity_basis"``).
    inactive_days : int, optional
        Days without an order that mean churn; ``None`` (default) means 90.
        Does not apply to ``"subscriptions"`` (raises there).

    Returns
    -------
    DataFrame
        Columns ``customer_id``, ``duration`` (days) and ``churned`` (bool;
        ``False`` = censored).

    Raises
    ------
    UnknownCodeError
        If ``basis`` is not one of its codes; ``accepted`` lists them.
    InvalidParameterError
        If ``inactive_days`` is given with ``basis="subscriptions"``.

    Examples
    --------
    >>> import retention
    >>> log = retention.EventLog.sample(seed=42, customers=200)
    >>> durations = retention.churn_durations(log, "2025-01-01")
    >>> len(durations), int(durations["churned"].sum())
    (161, 100)
    >>> table, median, ci = retention.kaplan_meier(durations["duration"], durations["churned"])
    >>> list(table.columns[:2])
    ['timeline', 'survival']
    """
    lg = _check_log(log)
    days = None if inactive_days is None else _int(inactive_days, "inactive_days")
    return from_arrow(
        _retention.churn_durations(lg._log, micros(as_of, "as_of"), basis=basis, inactive_days=days),
        lg.library,
    )
