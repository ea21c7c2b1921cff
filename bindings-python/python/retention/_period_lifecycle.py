"""Lifecycle counts per period and stickiness, in any IANA time zone.

Thin wrappers like :mod:`retention._api`: convert arguments, call the Rust
core once, convert the result to the library of the input.
"""

from __future__ import annotations

from typing import Any, Optional, cast

from . import _retention, codes, results
from ._frames import from_arrow, micros
from ._frames import ts_fields as _ts_fields
from ._log import EventLog, _check_log

__all__ = ["lifecycle_counts", "stickiness"]


def lifecycle_counts(
    log: EventLog,
    start: Any,
    end: Any,
    *,
    period: codes.Period = "month",
    time_zone: Optional[str] = None,
) -> Any:
    """New, returning, resurrecting and dormant customers per period.

    A customer is active in a period when they order in it. In period ``p``
    they are *new* when ``p`` is their first active period ever, *returning*
    when also active in ``p - 1``, *resurrecting* when active again after at
    least one inactive period, and *dormant* when active in ``p - 1`` but not
    in ``p`` (PostHog's lifecycle). Orders before ``start`` count as history;
    orders after the last period are ignored.

    Parameters
    ----------
    log : EventLog
        The events.
    start, end : str or datetime-like
        The first period is the one containing ``start``, the last the one
        containing ``end`` (ISO 8601 text such as ``"2024-01-01"``,
        ``datetime`` with naive = UTC, ``date``, ``numpy.datetime64`` or
        ``pandas.Timestamp``); at most 100 000 periods.
    period : str, default "month"
        Calendar period (vocabulary ``"period"``): ``"day"``, ``"week"`` (ISO,
        from Monday), ``"week_tue"`` … ``"week_sun"`` (weeks from that day),
        ``"month"``, ``"quarter"`` or ``"year"``.
    time_zone : str, optional
        IANA time zone name (e.g. ``"America/New_York"``) whose local dates,
        daylight saving included, decide each order's period; UTC when absent.

    Returns
    -------
    DataFrame
        Columns ``period_start`` (UTC instant of the local midnight that
        starts the period), ``new``, ``returning``, ``resurrecting``,
        ``dormant`` and ``active`` (``new + returning + resurrecting``), one
        row per period.

    Raises
    ------
    UnknownCodeError
        If ``period`` is not one of its codes.
    InvalidParameterError
        If ``time_zone`` is not an IANA name, ``end`` is before ``start`` or
        the range has more than 100 000 periods.

    Examples
    --------
    >>> import retention
    >>> log = retention.EventLog.sample(seed=42, customers=200)
    >>> lc = retention.lifecycle_counts(log, "2024-01-01", "2024-06-30", time_zone="Asia/Shanghai")
    >>> len(lc), list(lc.columns)
    (6, ['period_start', 'new', 'returning', 'resurrecting', 'dormant', 'active'])
    >>> str(lc["period_start"][0])
    '2023-12-31 16:00:00+00:00'
    """
    lg = _check_log(log)
    return from_arrow(
        _retention.lifecycle_counts(
            lg._log, micros(start, "start"), micros(end, "end"), period=period, time_zone=time_zone
        ),
        lg.library,
    )


def stickiness(
    log: EventLog,
    start: Any,
    end: Any,
    *,
    period: codes.Period = "month",
    time_zone: Optional[str] = None,
) -> results.Stickiness:
    """How many periods of a range each active customer is active in.

    Over the ``n`` periods from the one containing ``start`` to the one
    containing ``end``, counts the customers active (ordering) in exactly
    ``k`` of them for ``k = 1 … n``. The ratio is the mean number of active
    customers per period over the customers active in the whole range
    (DAU/MAU when the periods are the days of a month), ``mean(k) / n``.

    Parameters
    ----------
    log : EventLog
        The events.
    start, end : str or datetime-like
        The first and last period are those containing ``start`` and ``end``;
        at most 100 000 periods.
    period : str, default "month"
        Calendar period (vocabulary ``"period"``, see :func:`lifecycle_counts`);
        ``"day"`` over a month gives DAU/MAU.
    time_zone : str, optional
        IANA time zone name for the local dates; UTC when absent.

    Returns
    -------
    dict
        ``first`` (index of the first period), ``periods`` (``n``),
        ``customers`` (active in the range), ``customers_by_active_periods``
        (list: entry ``k - 1`` counts the customers active in ``k``
        periods), ``mean_active``, ``ratio`` (``None`` with no active
        customer), ``period_start`` and ``period_end`` (timestamps).

    Raises
    ------
    UnknownCodeError
        If ``period`` is not one of its codes.
    InvalidParameterError
        If ``time_zone`` is not an IANA name, ``end`` is before ``start`` or
        the range has more than 100 000 periods.

    Examples
    --------
    >>> import retention
    >>> log = retention.EventLog.sample(seed=42, customers=200)
    >>> s = retention.stickiness(
    ...     log, "2024-03-01T00:00-05:00", "2024-03-31T12:00-04:00", period="day", time_zone="America/New_York"
    ... )
    >>> s["periods"], len(s["customers_by_active_periods"]), str(s["period_start"])
    (31, 31, '2024-03-01 05:00:00+00:00')
    >>> abs(s["ratio"] * s["customers"] * s["periods"] - sum(
    ...     k * c for k, c in enumerate(s["customers_by_active_periods"], 1))) < 1e-9
    True
    """
    lg = _check_log(log)
    d = _retention.stickiness(
        lg._log, micros(start, "start"), micros(end, "end"), period=period, time_zone=time_zone
    )
    return cast(results.Stickiness, _ts_fields(d, "period_start", "period_end"))
