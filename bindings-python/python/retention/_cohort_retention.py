"""Cohort retention with breakdowns, start/return events, brackets, rolling
windows, mean rows, revenue retention and Wilson intervals.

The computation is the core's ``retention_core::cohorts::retention`` (see its
module docs for the formulas); this module converts the arguments into the
core's one options dict and the result into DataFrames.
"""

from __future__ import annotations

from typing import Any, Dict, Optional, Sequence, Tuple

from . import _retention, codes
from ._frames import from_arrow, micros
from ._log import EventLog, _check_log

__all__ = ["cohort_retention"]


def cohort_retention(
    log: EventLog,
    as_of: Any,
    *,
    period: codes.Period = "month",
    start: codes.StartEvent = "first_order",
    returning: codes.ReturnEvent = "any_order",
    count: codes.ReturnCount = "recurring",
    rolling_days: Optional[int] = None,
    brackets: Optional[Sequence[Tuple[int, int]]] = None,
    breakdown: Optional[str] = None,
    breakdown_source: codes.BreakdownSource = "customer",
    revenue: codes.RevenueBasis = "net",
    max_age: Optional[int] = None,
    level: float = 0.95,
) -> Dict[str, Any]:
    """Cohort retention: one matrix per breakdown value plus the total.

    A customer's cohort is the calendar period of their start event. For a
    cohort and a column (an age ``k``, or a bracket of ages ``[a, b]``), the
    eligible members are those whose column has ended by ``as_of``;
    retention is the share of them with a return event at an age in the
    column, with a Wilson score interval. Ages are calendar periods since
    the start's period, or, with ``rolling_days=d``, windows of ``d`` days
    from each customer's own start instant. Revenue retention is the
    column's revenue over the same members' age-0 revenue. Mean rows give the
    simple mean over cohorts and the size-weighted mean ``Σ retained / Σ
    eligible`` (with its interval). Cells without eligible members are null.

    Parameters
    ----------
    log : EventLog
        The events; properties come from :meth:`EventLog.with_customer_properties`
        and :meth:`EventLog.with_event_properties`.
    as_of : str or datetime-like
        The instant; events after it raise.
    period : {"day", "week", "month", "quarter", "year"}, default "month"
        Calendar period of the cohorts (and of the ages without ``rolling_days``).
    start : {"first_order", "signup", "first_activity"}, default "first_order"
        The event that starts a customer's cohort (vocabulary ``"start_event"``).
    returning : {"any_order", "repeat_order", "first_order", "any_activity"}, default "any_order"
        The events that count as a return (vocabulary ``"return_event"``).
    count : {"recurring", "first_time"}, default "recurring"
        Every return, or only the first one (vocabulary ``"return_count"``).
    rolling_days : int, optional
        Ages as windows of this many days (1 to 36600) from each start instant.
    brackets : sequence of (int, int), optional
        Columns as brackets of ages ``(first, last)``, both included (at most
        1000, ages up to 100000), e.g. ``[(1, 3), (4, 10), (11, 30)]`` with
        ``rolling_days=1``. Not with ``max_age``.
    breakdown : str, optional
        Key of the property to break down by.
    breakdown_source : {"customer", "first_order"}, default "customer"
        A customer property, or an event property of the first order
        (vocabulary ``"breakdown_source"``).
    revenue : {"net", "gross"}, default "net"
        Orders minus refunds, or orders only.
    max_age : int, optional
        Highest age column; ``None`` keeps every complete age.
    level : float, default 0.95
        Coverage of the Wilson intervals, in (0, 1).

    Returns
    -------
    dict
        ``"cells"``: one row per group, cohort and column (``total``,
        ``breakdown``, ``cohort``, ``period_start``, ``size``, ``column``,
        ``first_age``, ``last_age``, ``eligible``, ``retained``,
        ``retention``, ``lower``, ``upper``, ``revenue``,
        ``revenue_retention``); ``"means"``: one row per group and column
        (``total``, ``breakdown``, ``column``, ``first_age``, ``last_age``,
        ``cohorts``, ``eligible``, ``retained``, ``simple_mean``,
        ``weighted_mean``, ``lower``, ``upper``, ``revenue_retention``);
        ``"columns"``: the column labels; ``"unstarted"``: customers without
        the start event. The total comes first (``total`` true, null
        ``breakdown``), then the values in order, then customers without a
        value (``total`` false, null ``breakdown``).

    Raises
    ------
    InvalidRowsError
        Naming every event after ``as_of``.
    InvalidParameterError
        For an unknown breakdown key or options out of range.
    UnknownCodeError
        For a code not in its vocabulary.

    Examples
    --------
    >>> import pandas as pd
    >>> import retention
    >>> log = retention.EventLog.from_frame(pd.DataFrame({
    ...     "customer_id": [1, 1, 2],
    ...     "timestamp": ["2024-01-05", "2024-02-03", "2024-01-09"],
    ...     "amount": [20.0, 15.0, 10.0],
    ... }))
    >>> log = log.with_customer_properties(pd.DataFrame({"customer_id": [1, 2], "country": ["DE", "FR"]}))
    >>> r = retention.cohort_retention(log, "2024-03-15", breakdown="country")
    >>> r["columns"]
    ['0', '1']
    >>> cells = r["cells"]
    >>> age1 = cells[cells["column"] == "1"]
    >>> list(age1["total"]), list(age1["breakdown"].fillna("-")), list(age1["retention"])
    ([True, False, False], ['-', 'DE', 'FR'], [0.5, 1.0, 0.0])
    >>> float(r["means"]["weighted_mean"].iloc[1])
    0.5
    """
    lg = _check_log(log)
    options: Dict[str, Any] = {
        "start": start,
        "returning": returning,
        "count": count,
        "rolling_days": rolling_days,
        "brackets": None if brackets is None else [{"first": a, "last": b} for a, b in brackets],
        "breakdown": breakdown,
        "breakdown_source": breakdown_source,
        "revenue": revenue,
        "max_age": max_age,
        "level": level,
    }
    cells, means, columns, unstarted = _retention.cohort_retention(
        lg._log, micros(as_of, "as_of"), period=period, options=options
    )
    return {
        "cells": from_arrow(cells, lg.library),
        "means": from_arrow(means, lg.library),
        "columns": [c["label"] for c in columns],
        "unstarted": unstarted,
    }

