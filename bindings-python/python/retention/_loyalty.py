"""Loyalty programme wrappers: points ledger and balances, redemption, tier
status and history.

Thin wrappers like :mod:`retention._api`: convert arguments, call the Rust
core once, convert the result to the library of the input.
"""

from __future__ import annotations

import dataclasses
from typing import Any, Dict, Mapping, Optional, Sequence, Tuple, Union, cast

import numpy as np

from . import _retention, codes, results
from ._api import _float
from ._frames import from_arrow, micros
from ._frames import ts_fields as _ts_fields
from ._log import EventLog, _check_log
from .errors import InvalidParameterError

__all__ = [
    "LoyaltyConfig",
    "points_ledger",
    "points_balances",
    "redeem_points",
    "tier_status",
    "tier_for_value",
    "tier_history",
    "loyalty_programme",
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
        Points for the referrer, once per referred person.
    referee_bonus : float, default 0.0
        Points for the referred person (the referee), at the referral.
    expiry_days : int or None, default 365
        Days after which earned points expire (first in, first out);
        ``None`` means points never expire by age.
    inactivity_days : int or None, default None
        Days without earning or redeeming after which the whole balance
        expires; ``None`` means never.
    tier_basis : {"spend", "points_earned", "order_count"}, default "spend"
        What places a customer in a tier (vocabulary ``"tier_basis"``): net
        spend, points earned (redeeming never lowers it) or orders, counted
        over the ``tier_term``. An unknown code raises
        :class:`UnknownCodeError` when the config is used.
    tier_term : {"rolling", "calendar_year", "lifetime"}, default "rolling"
        Over which period the basis counts (vocabulary ``"tier_term"``): the
        trailing ``term_days``, the current calendar year (UTC) or the
        customer's lifetime.
    term_days : int, default 365
        Length of the ``"rolling"`` term.
    grace_days : int, default 0
        Days a customer keeps a tier after falling below its threshold
        before the downgrade (0: at once).
    tiers : tuple of (str, float, float, float)
        ``(name, threshold, multiplier, entry_points)`` in increasing
        threshold order, the first threshold 0 (``multiplier`` and
        ``entry_points``, the points given once on first reaching the tier,
        may be left out). Default Bronze 0 ×1.0, Silver 500 ×1.25, Gold 1500
        ×1.5, Platinum 5000 ×2.0, no entry points.
    rewards : tuple of (str, float)
        ``(name, points)``: ways to redeem, listed by
        :func:`loyalty_programme`.

    Examples
    --------
    >>> import retention
    >>> config = retention.LoyaltyConfig(expiry_days=None)
    >>> config.tiers[1], config.expiry_days
    (('Silver', 500.0, 1.25, 0.0), None)
    """

    points_per_unit: float = _LOYALTY["points_per_unit"]
    welcome_points: float = _LOYALTY["welcome_points"]
    referral_bonus: float = _LOYALTY["referral_bonus"]
    referee_bonus: float = _LOYALTY["referee_bonus"]
    expiry_days: Optional[int] = _LOYALTY["expiry_days"]
    inactivity_days: Optional[int] = _LOYALTY["inactivity_days"]
    tier_basis: codes.TierBasis = _LOYALTY["tier_basis"]
    tier_term: codes.TierTerm = _LOYALTY["tier_term"]
    term_days: int = _LOYALTY["term_days"]
    grace_days: int = _LOYALTY["grace_days"]
    tiers: Tuple[Tuple[Any, ...], ...] = tuple(
        (t["name"], t["threshold"], t["multiplier"], t["entry_points"]) for t in _LOYALTY["tiers"]
    )
    rewards: Tuple[Tuple[str, float], ...] = tuple((r["name"], r["points"]) for r in _LOYALTY["rewards"])

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
        'spend'
        """
        d = dataclasses.asdict(self)
        d["tiers"] = [tuple(t) for t in self.tiers]
        d["rewards"] = [tuple(r) for r in self.rewards]
        return d


_TIER_FIELDS = ("name", "threshold", "multiplier", "entry_points")
_REWARD_FIELDS = ("name", "points")


def _row(row: Any, fields: Tuple[str, ...], least: int, what: str) -> Any:
    # A tuple row as the core's mapping (mappings and odd values pass through
    # to the core, which names what is wrong).
    if isinstance(row, Mapping) or isinstance(row, str) or not isinstance(row, Sequence):
        return row
    if not least <= len(row) <= len(fields):
        raise TypeError(f"a loyalty {what} is ({', '.join(fields)}), got {row!r}")
    return dict(zip(fields, row))


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
        d["tiers"] = [_row(t, _TIER_FIELDS, 2, "tier") for t in d["tiers"]]
    if isinstance(d.get("rewards"), (list, tuple)):
        d["rewards"] = [_row(r, _REWARD_FIELDS, 2, "reward") for r in d["rewards"]]
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
        ``"welcome"``, ``"order"``, ``"referral"``, ``"referred"``,
        ``"tier_entry"``, ``"credit"``, ``"redemption"``, ``"expiry"``,
        ``"inactivity"``), ``points``, ``balance`` (after the
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
        ``tier`` (name of the tier held), ``index``, ``multiplier``,
        ``value`` (the basis over the term: spend, points earned or orders),
        ``next_tier``, ``next_threshold``, ``missing`` (amount to the next
        tier) and ``progress`` (fraction of the way), ``None`` at the top
        tier, and ``downgrade_at`` (timestamp at which a tier kept in its
        grace period is lost, else ``None``).

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
    status = _retention.tier_status(lg._log, _customer(customer), micros(at, "at"), _config(config))
    return cast(results.TierStatus, _ts_fields(status, "downgrade_at"))


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


def loyalty_programme(*, config: Any = None) -> Dict[str, Any]:
    """The programme's ways to earn and redeem and its tiers, for a storefront widget.

    Parameters
    ----------
    config : LoyaltyConfig or dict, optional
        Programme rules (see :func:`points_ledger`); ``None`` (default) uses
        the core's defaults.

    Returns
    -------
    dict
        ``earn``: list of ``{action, points, per_unit, tier}`` (``action`` a
        ``"earn_action"`` code: ``"signup"``, ``"order"`` (one per tier,
        points per currency unit), ``"referral"``, ``"referred"``,
        ``"tier_entry"``; actions worth 0 points are left out); ``redeem``:
        list of ``{name, points}``, cheapest first; ``tiers``; and the
        ``tier_basis``, ``tier_term``, ``term_days``, ``grace_days``,
        ``expiry_days`` and ``inactivity_days`` in force.

    Raises
    ------
    InvalidParameterError
        If the configuration is invalid.

    Examples
    --------
    >>> import retention
    >>> p = retention.loyalty_programme(config={"referee_bonus": 50})
    >>> [(w["action"], w["points"]) for w in p["earn"] if w["tier"] is None]
    [('signup', 100.0), ('referral', 250.0), ('referred', 50.0)]
    >>> p["redeem"][0]
    {'name': '5 off', 'points': 500.0}
    """
    return _retention.loyalty_programme(_config(config))
