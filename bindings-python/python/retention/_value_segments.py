"""Value tiers (historic or given values) and rule segments.

Thin wrappers like :mod:`retention._api`: convert arguments, call the Rust
core once, convert the result to the library of the input.
"""

from __future__ import annotations

from typing import Any, List, Mapping, Optional, Tuple

from . import _retention, codes
from ._api import _float, _library
from ._frames import from_arrow, micros, to_arrow_array, to_arrow_table
from ._log import EventLog, _check_summaries

__all__ = [
    "historic_value_tiers",
    "value_tiers",
    "rule_segments",
]

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
