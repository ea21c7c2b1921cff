"""Series metrics: period activity and period-over-period retention series,
referral stats and engagement.

Thin wrappers like :mod:`retention._api`: convert arguments, call the Rust
core once, convert the result to the library of the input.
"""

from __future__ import annotations

from typing import Any, Optional, cast

from . import _retention, codes, results
from ._api import _int
from ._frames import from_arrow, micros
from ._frames import ts_fields as _ts_fields
from ._log import EventLog, _check_log

__all__ = [
    "period_activity_series",
    "period_over_period_retention",
    "period_over_period_retention_series",
    "referral_stats",
    "engagement",
]

# ---------------------------------------------------------------- metrics


def period_activity_series(
    log: EventLog,
    start: Any,
    end: Any,
    *,
    period: codes.Period = "month",
    window_days: int = 90,
    basis: codes.ActivityBasis = "orders",
    time_zone: Optional[str] = None,
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
    period : str, default "month"
        Calendar period (vocabulary ``"period"``): ``"day"``, ``"week"`` (ISO),
        ``"week_tue"`` … ``"week_sun"``, ``"month"``, ``"quarter"``, ``"year"``.
    time_zone : str, optional
        IANA time zone name (e.g. ``"America/New_York"``) whose local dates,
        daylight saving included, bound the periods; UTC when absent.
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
            window_days=_int(window_days, "window_days"), basis=basis, time_zone=time_zone,
        ),
        lg.library,
    )


def period_over_period_retention(
    log: EventLog, at: Any, *, period: codes.Period = "month", time_zone: Optional[str] = None
) -> results.PeriodRetention:
    """Of the customers with an order in the period containing ``at``, the share with an order in the next period.

    Parameters
    ----------
    log : EventLog
        The events.
    at : str or datetime-like
        An instant in the period (ISO 8601 text such as ``"2024-06-15"``,
        ``datetime`` with naive = UTC, ``date``, ``numpy.datetime64`` or
        ``pandas.Timestamp``).
    period : str, default "month"
        Calendar period (vocabulary ``"period"``): ``"day"``, ``"week"`` (ISO),
        ``"week_tue"`` … ``"week_sun"``, ``"month"``, ``"quarter"``, ``"year"``.
    time_zone : str, optional
        IANA time zone name (e.g. ``"America/New_York"``) whose local dates,
        daylight saving included, bound the periods; UTC when absent.

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
    d = _retention.period_over_period_retention(lg._log, micros(at, "at"), period=period, time_zone=time_zone)
    return cast(results.PeriodRetention, _ts_fields(d, "period_start"))


def period_over_period_retention_series(
    log: EventLog, start: Any, end: Any, *, period: codes.Period = "month", time_zone: Optional[str] = None
) -> Any:
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
    period : str, default "month"
        Calendar period (vocabulary ``"period"``): ``"day"``, ``"week"`` (ISO),
        ``"week_tue"`` … ``"week_sun"``, ``"month"``, ``"quarter"``, ``"year"``.
    time_zone : str, optional
        IANA time zone name (e.g. ``"America/New_York"``) whose local dates,
        daylight saving included, bound the periods; UTC when absent.

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
        _retention.period_over_period_retention_series(
            lg._log, micros(start, "start"), micros(end, "end"), period=period, time_zone=time_zone
        ),
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
