"""Event logs and customer summaries."""

from __future__ import annotations

import os
from typing import Any, Optional, Tuple, Union

from . import _retention, codes
import pyarrow as pa

from ._frames import Library, events_to_arrow, from_arrow, library_of, micros, to_arrow_table, to_datetime

__all__ = ["EventLog", "Summaries", "sample_events"]


class EventLog:
    """A validated event log: orders, refunds, sessions, emails, tickets, surveys, referrals, subscriptions and points.

    Build it with :meth:`from_frame` (pandas, polars, pyarrow or anything with
    ``__arrow_c_stream__``), :meth:`from_dict`, :meth:`from_csv` or
    :meth:`sample`; the constructor itself is internal. Every invalid row is
    reported at once in an :class:`~retention.InvalidRowsError`. Results of
    functions taking this log come back as tables of the library the log was
    built from. ``len(log)`` is the number of events.

    Attributes
    ----------
    library : {"pandas", "polars", "pyarrow"}
        The DataFrame library of the results of functions taking this log.

    Examples
    --------
    >>> import retention
    >>> log = retention.EventLog.from_dict({
    ...     "customer_id": [1, 1, 2],
    ...     "timestamp": ["2024-01-05", "2024-02-10", "2024-01-20"],
    ...     "amount": [30.0, 45.5, 12.0],
    ... })
    >>> log
    EventLog(3 events, 2 customers)
    >>> len(log), log.n_customers, log.library
    (3, 2, 'pandas')
    """

    __slots__ = ("_log", "library")

    def __init__(self, log: _retention.EventLog, library: Library = "pandas") -> None:
        if not isinstance(log, _retention.EventLog):
            raise TypeError("use EventLog.from_frame / from_dict / from_csv / sample to build a log")
        self._log = log
        self.library = library

    @classmethod
    def from_frame(
        cls,
        data: Any,
        *,
        customer_id: Optional[str] = None,
        timestamp: Optional[str] = None,
        event: Optional[str] = None,
        amount: Optional[str] = None,
        items: Optional[str] = None,
        score: Optional[str] = None,
        detail: Optional[str] = None,
        resolved: Optional[str] = None,
        duplicates: codes.DuplicatePolicy = "keep",
    ) -> "EventLog":
        """Build a log from a table.

        Column names default to the CSV names (``customer_id``, ``timestamp``,
        ``event``, ``amount``, ``items``, ``score``, ``detail``, ``resolved``);
        only the first two are required, an absent ``event`` column means every
        row is an order. Pass a name to use another column (it must exist).
        Timestamps may be datetimes of any unit or time zone (naive = UTC), dates,
        or ISO 8601 text. Event kinds are the codes of
        ``retention.vocabulary()["event_type"]`` (``"order"``, ``"refund"``,
        ``"session"``, ``"support_ticket"``, ``"survey"``, ``"subscription"``…).

        Parameters
        ----------
        data : DataFrame or table
            pandas or polars DataFrame, pyarrow Table, dict of columns, or any
            object with ``__arrow_c_stream__``.
        customer_id : str, optional
            Column of customer ids (int or str); default ``"customer_id"``.
        timestamp : str, optional
            Column of event instants; default ``"timestamp"``.
        event : str, optional
            Column of event kinds; default ``"event"`` (absent = all orders).
        amount : str, optional
            Column of money amounts (order value, refund, MRR change, points);
            default ``"amount"``.
        items : str, optional
            Column of item counts; default ``"items"``.
        score : str, optional
            Column of survey answers; default ``"score"``.
        detail : str, optional
            Column of details (survey kind, ticket severity…); default
            ``"detail"``.
        resolved : str, optional
            Column of ticket resolution instants; default ``"resolved"``.
        duplicates : {"keep", "drop", "reject"}, default "keep"
            What to do with exact duplicate rows (vocabulary
            ``"duplicate_policy"``): keep them, drop them (counted in
            :attr:`duplicates_dropped`), or report them as invalid rows.

        Returns
        -------
        EventLog
            The validated log; results of functions taking it come back in the
            library of ``data``.

        Raises
        ------
        InvalidRowsError
            Naming every invalid row (``issues`` gives row, field, value, reason
            and kind), e.g. an unparseable timestamp, a negative amount, an
            unknown event kind, or a duplicate with ``duplicates="reject"``.
        InvalidParameterError
            If a named column does not exist.
        UnknownCodeError
            If ``duplicates`` is not one of its codes; ``accepted`` lists them.
        TypeError
            If a column has an unusable type.

        Examples
        --------
        >>> import pandas as pd
        >>> import retention
        >>> frame = pd.DataFrame({
        ...     "cust": [1, 1, 2],
        ...     "when": ["2024-01-05", "2024-02-10", "2024-01-20"],
        ...     "total": [30.0, 45.5, 12.0],
        ... })
        >>> log = retention.EventLog.from_frame(frame, customer_id="cust", timestamp="when", amount="total")
        >>> len(log), log.n_customers
        (3, 2)
        >>> try:
        ...     retention.EventLog.from_frame({"customer_id": [1], "timestamp": ["soon"], "amount": [5.0]})
        ... except retention.InvalidRowsError as e:
        ...     print(e.issues[0]["row"], e.issues[0]["field"], e.issues[0]["kind"])
        0 timestamp unparseable
        """
        table = events_to_arrow(data)
        log = _retention.EventLog.from_arrow(
            table,
            customer_id=customer_id,
            timestamp=timestamp,
            event=event,
            amount=amount,
            items=items,
            score=score,
            detail=detail,
            resolved=resolved,
            duplicates=duplicates,
        )
        return cls(log, library_of(data))

    @classmethod
    def from_dict(cls, data: Any, **columns: Any) -> "EventLog":
        """Build a log from a dict of columns (lists, numpy arrays, Series).

        The same as :meth:`from_frame`, for a mapping of column name to values.

        Parameters
        ----------
        data : dict
            Column name → values, all of one length.
        **columns
            The keyword options of :meth:`from_frame`: column names
            (``customer_id``, ``timestamp``, ``event``, ``amount``, ``items``,
            ``score``, ``detail``, ``resolved``) and ``duplicates`` (``"keep"``,
            ``"drop"`` or ``"reject"``, default ``"keep"``).

        Returns
        -------
        EventLog
            The validated log (pandas results).

        Raises
        ------
        InvalidRowsError
            Naming every invalid row.
        UnknownCodeError
            If ``duplicates`` is not one of its codes; ``accepted`` lists them.

        Examples
        --------
        >>> import retention
        >>> data = {
        ...     "customer_id": [1, 1, 2],
        ...     "timestamp": ["2024-01-05", "2024-01-05", "2024-01-20"],
        ...     "amount": [30.0, 30.0, 12.0],
        ... }
        >>> log = retention.EventLog.from_dict(data, duplicates="drop")
        >>> len(log), log.duplicates_dropped
        (2, 1)
        """
        return cls.from_frame(data, **columns)

    @classmethod
    def from_csv(cls, path_or_text: Union[str, "os.PathLike[str]"], *, duplicates: codes.DuplicatePolicy = "keep") -> "EventLog":
        """Read a CSV file, or CSV text containing a newline, in the documented format.

        The header is ``customer_id,timestamp,event,amount,items,score,detail,resolved``
        (the format :meth:`to_csv` writes).

        Parameters
        ----------
        path_or_text : str or os.PathLike
            A file path, or the CSV text itself (any string containing a newline).
        duplicates : {"keep", "drop", "reject"}, default "keep"
            What to do with exact duplicate rows (vocabulary
            ``"duplicate_policy"``).

        Returns
        -------
        EventLog
            The validated log (pandas results).

        Raises
        ------
        InvalidRowsError
            Naming every invalid row.
        UnknownCodeError
            If ``duplicates`` is not one of its codes; ``accepted`` lists them.
        FileNotFoundError
            If the path does not exist.

        Examples
        --------
        >>> import retention
        >>> log = retention.EventLog.from_dict(
        ...     {"customer_id": [1, 2], "timestamp": ["2024-01-05", "2024-01-20"], "amount": [30.0, 12.0]})
        >>> text = log.to_csv()
        >>> text.splitlines()[1]
        '1,2024-01-05T00:00:00Z,order,30,,,,'
        >>> retention.EventLog.from_csv(text)
        EventLog(2 events, 2 customers)
        """
        if not isinstance(path_or_text, (str, os.PathLike)):
            raise TypeError(f"expected a path or CSV text, got {type(path_or_text).__name__}")
        text = os.fspath(path_or_text)
        if "\n" not in text:
            with open(text, encoding="utf-8") as handle:
                text = handle.read()
        return cls(_retention.EventLog.from_csv_text(text, duplicates=duplicates))

    @classmethod
    def sample(
        cls, *, seed: int = 42, customers: int = 2000, months: int = 24, library: Library = "pandas"
    ) -> "EventLog":
        """The seeded sample shop (the same events in every language).

        A simulated online shop observed from 2023-01-01 up to its as-of instant
        2025-01-01 00:00 UTC, with orders, refunds, sessions, emails, tickets,
        surveys, referrals, subscriptions and loyalty points. The events depend
        only on the arguments: the same seed gives the same events on every
        platform. Customer ids are ``1..customers``.

        Parameters
        ----------
        seed : int, default 42
            Random seed.
        customers : int, default 2000
            Number of customers.
        months : int, default 24
            Acquisition span in calendar months from the start.
        library : {"pandas", "polars", "pyarrow"}, default "pandas"
            DataFrame library of the results of functions taking this log.

        Returns
        -------
        EventLog
            The sample log.

        Examples
        --------
        >>> import retention
        >>> log = retention.EventLog.sample(seed=42, customers=200)
        >>> log
        EventLog(5212 events, 200 customers)
        >>> import pandas as pd
        >>> log.time_range[1] < pd.Timestamp("2025-01-01", tz="UTC")
        True
        >>> type(retention.EventLog.sample(seed=42, customers=200, library="polars").to_frame()).__module__.split(".")[0]
        'polars'
        """
        table = _retention.sample_events(seed=seed, customers=customers, months=months)
        return cls(_retention.EventLog.from_arrow(table), library)

    def __len__(self) -> int:
        return len(self._log)

    @property
    def n_customers(self) -> int:
        """Number of distinct customers.

        Returns
        -------
        int

        Examples
        --------
        >>> import retention
        >>> retention.EventLog.sample(seed=42, customers=200).n_customers
        200
        """
        return self._log.n_customers

    @property
    def duplicates_dropped(self) -> int:
        """Exact duplicate rows dropped (with ``duplicates="drop"``; otherwise 0).

        Returns
        -------
        int

        Examples
        --------
        >>> import retention
        >>> data = {"customer_id": [1, 1], "timestamp": ["2024-01-05", "2024-01-05"], "amount": [30.0, 30.0]}
        >>> retention.EventLog.from_dict(data, duplicates="drop").duplicates_dropped
        1
        >>> retention.EventLog.from_dict(data).duplicates_dropped
        0
        """
        return self._log.duplicates_dropped

    @property
    def time_range(self) -> Optional[Tuple[Any, Any]]:
        """First and last event instant as UTC timestamps, ``None`` when empty.

        Returns
        -------
        tuple of (pandas.Timestamp, pandas.Timestamp) or None

        Examples
        --------
        >>> import retention
        >>> first, last = retention.EventLog.sample(seed=42, customers=200).time_range
        >>> str(first), str(last)
        ('2023-01-01 17:43:35+00:00', '2024-12-31 22:38:06+00:00')
        """
        r = self._log.time_range
        return None if r is None else (to_datetime(r[0]), to_datetime(r[1]))

    def up_to(self, as_of: Any) -> "EventLog":
        """The events at or before ``as_of``, as a new log.

        Parameters
        ----------
        as_of : str or datetime-like
            The cut-off instant: ISO 8601 text such as ``"2024-01-01"``,
            ``datetime`` (naive = UTC), ``date``, ``numpy.datetime64`` or
            ``pandas.Timestamp``.

        Returns
        -------
        EventLog
            The earlier events, with the same result library.

        Examples
        --------
        >>> import retention
        >>> log = retention.EventLog.sample(seed=42, customers=200)
        >>> len(log.up_to("2024-01-01"))
        1240
        """
        return EventLog(self._log.up_to(micros(as_of, "as_of")), self.library)

    def check_as_of(self, as_of: Any) -> None:
        """Check that no event lies after ``as_of``.

        Parameters
        ----------
        as_of : str or datetime-like
            The instant: ISO 8601 text such as ``"2025-01-01"``, ``datetime``
            (naive = UTC), ``date``, ``numpy.datetime64`` or ``pandas.Timestamp``.

        Returns
        -------
        None

        Raises
        ------
        InvalidRowsError
            Naming every event after ``as_of`` (issue kind ``"after_as_of"``).

        Examples
        --------
        >>> import retention
        >>> log = retention.EventLog.from_dict(
        ...     {"customer_id": [1, 1], "timestamp": ["2024-01-05", "2024-02-10"], "amount": [30.0, 45.5]})
        >>> log.check_as_of("2024-03-01")
        >>> try:
        ...     log.check_as_of("2024-02-01")
        ... except retention.InvalidRowsError as e:
        ...     print(e.issues[0]["row"], e.issues[0]["kind"])
        1 after_as_of
        """
        self._log.check_as_of(micros(as_of, "as_of"))

    def to_csv(self, path: Optional[Union[str, "os.PathLike[str]"]] = None) -> Optional[str]:
        """Write the log as CSV, or return the text when no path is given.

        Parameters
        ----------
        path : str or os.PathLike, optional
            File to write (UTF-8). ``None`` (default) returns the text instead.

        Returns
        -------
        str or None
            The CSV text when ``path`` is ``None``, else ``None``. It reads back
            with :meth:`from_csv`.

        Examples
        --------
        >>> import retention
        >>> log = retention.EventLog.from_dict(
        ...     {"customer_id": [1], "timestamp": ["2024-01-05"], "amount": [30.0]})
        >>> print(log.to_csv(), end="")
        customer_id,timestamp,event,amount,items,score,detail,resolved
        1,2024-01-05T00:00:00Z,order,30,,,,
        """
        text = self._log.to_csv_text()
        if path is None:
            return text
        with open(os.fspath(path), "w", encoding="utf-8") as handle:
            handle.write(text)
        return None

    def to_frame(self, library: Optional[Library] = None) -> Any:
        """The log as a table with the CSV columns, in log order (customer, then time).

        Parameters
        ----------
        library : {"pandas", "polars", "pyarrow"}, optional
            DataFrame library of the result; ``None`` (default) uses the log's.

        Returns
        -------
        DataFrame
            Columns ``customer_id``, ``timestamp``, ``event``, ``amount``,
            ``items``, ``score``, ``detail`` and ``resolved``, one row per event.

        Examples
        --------
        >>> import retention
        >>> log = retention.EventLog.sample(seed=42, customers=200)
        >>> frame = log.to_frame()
        >>> list(frame.columns), len(frame)
        (['customer_id', 'timestamp', 'event', 'amount', 'items', 'score', 'detail', 'resolved'], 5212)
        >>> type(log.to_frame("polars")).__name__
        'DataFrame'
        """
        return from_arrow(_retention.log_to_arrow(self._log), library or self.library)

    def with_customer_properties(self, data: Any, customer_id: Optional[str] = None) -> "EventLog":
        """A copy of the log with customer properties (for breakdowns).

        Every column of ``data`` but ``customer_id`` becomes a property keyed
        by its column name; values are text (whole numbers are read as their
        decimal text, nulls are no value). Setting a key again replaces it.

        Parameters
        ----------
        data : DataFrame or table
            One row per customer: the id column and the property columns.
        customer_id : str, optional
            The id column; default ``"customer_id"``.

        Returns
        -------
        EventLog
            The same events with the properties.

        Raises
        ------
        UnknownCustomerError
            For an id not in the log.
        InvalidRowsError
            For a customer listed twice with different values, or an unreadable cell.
        InvalidParameterError
            If ``customer_id`` is not a column.

        Examples
        --------
        >>> import retention
        >>> log = retention.EventLog.from_dict(
        ...     {"customer_id": [1, 2], "timestamp": ["2024-01-05", "2024-01-09"], "amount": [5.0, 8.0]})
        >>> log = log.with_customer_properties({"customer_id": [1, 2], "plan": ["pro", "free"]})
        >>> len(log)
        2
        """
        return EventLog(_retention.with_customer_properties(self._log, to_arrow_table(data), customer_id), self.library)

    def with_event_properties(self, data: Any) -> "EventLog":
        """A copy of the log with event properties (e.g. an order's channel).

        Every column of ``data`` becomes a property keyed by its column name,
        one row per input row of the log, in the order of the rows the log
        was built from (so ``frame[["channel"]]`` of the events frame).

        Parameters
        ----------
        data : DataFrame or table
            The property columns, one row per input row.

        Returns
        -------
        EventLog
            The same events with the properties.

        Raises
        ------
        LengthMismatchError
            If ``data`` has not one row per input row.

        Examples
        --------
        >>> import retention
        >>> frame = {"customer_id": [1, 1], "timestamp": ["2024-01-05", "2024-02-01"], "amount": [5.0, 8.0],
        ...          "channel": ["web", "app"]}
        >>> log = retention.EventLog.from_dict(frame).with_event_properties({"channel": frame["channel"]})
        >>> len(log)
        2
        """
        return EventLog(_retention.with_event_properties(self._log, to_arrow_table(data)), self.library)

    def summaries(self) -> "Summaries":
        """Per-customer summaries of the log (one pass; mergeable).

        Most segment, CLV and model-input functions take these; they also accept
        the log itself and summarise it on the fly.

        Returns
        -------
        Summaries
            One summary per customer, with the log's result library.

        Examples
        --------
        >>> import retention
        >>> log = retention.EventLog.sample(seed=42, customers=200)
        >>> log.summaries()
        Summaries(200 customers)
        """
        return Summaries(_retention.Summaries.from_log(self._log), self.library)

    def __repr__(self) -> str:
        return f"EventLog({len(self)} events, {self.n_customers} customers)"


class Summaries:
    """Per-customer state: first/last order, order count, revenue, refunds, engagement, tickets, latest survey answers, MRR.

    Build it with :meth:`EventLog.summaries` or :meth:`from_log`; the
    constructor itself is internal. Summaries merge exactly: ``a.merge(b)``
    equals the summaries of both logs' events, whatever the split, so partial
    summaries from partitions combine into the single-pass answer.
    ``len(s)`` is the number of customers; ``==`` compares contents.

    Attributes
    ----------
    library : {"pandas", "polars", "pyarrow"}
        The DataFrame library of the results of functions taking these
        summaries.

    Examples
    --------
    >>> import retention
    >>> data = {"customer_id": [1, 1, 2], "timestamp": ["2024-01-05", "2024-02-10", "2024-01-20"],
    ...         "amount": [30.0, 45.5, 12.0]}
    >>> whole = retention.EventLog.from_dict(data).summaries()
    >>> part_a = retention.EventLog.from_dict({k: v[:1] for k, v in data.items()}).summaries()
    >>> part_b = retention.EventLog.from_dict({k: v[1:] for k, v in data.items()}).summaries()
    >>> part_a.merge(part_b) == whole, len(whole)
    (True, 2)
    """

    __slots__ = ("_inner", "library")

    def __init__(self, inner: _retention.Summaries, library: Library = "pandas") -> None:
        if not isinstance(inner, _retention.Summaries):
            raise TypeError("use EventLog.summaries() or Summaries.from_log(log)")
        self._inner = inner
        self.library = library

    @classmethod
    def from_log(cls, log: EventLog) -> "Summaries":
        """The summaries of a log (the same as ``log.summaries()``).

        Parameters
        ----------
        log : EventLog
            The events.

        Returns
        -------
        Summaries
            One summary per customer, with the log's result library.

        Raises
        ------
        TypeError
            If ``log`` is not an :class:`EventLog`.

        Examples
        --------
        >>> import retention
        >>> log = retention.EventLog.sample(seed=42, customers=200)
        >>> retention.Summaries.from_log(log) == log.summaries()
        True
        """
        _check_log(log)
        return log.summaries()

    def merge(self, other: "Summaries") -> "Summaries":
        """The summaries of the union of both inputs (commutative, associative).

        Parameters
        ----------
        other : Summaries
            Summaries of other events (e.g. another partition).

        Returns
        -------
        Summaries
            The merged summaries, with this object's result library.

        Raises
        ------
        TypeError
            If ``other`` is not a :class:`Summaries`.

        Examples
        --------
        >>> import retention
        >>> a = retention.EventLog.from_dict(
        ...     {"customer_id": [1], "timestamp": ["2024-01-05"], "amount": [30.0]}).summaries()
        >>> b = retention.EventLog.from_dict(
        ...     {"customer_id": [1, 2], "timestamp": ["2024-02-10", "2024-01-20"], "amount": [45.5, 12.0]}).summaries()
        >>> merged = a.merge(b)
        >>> len(merged), merged == b.merge(a)
        (2, True)
        >>> float(merged.to_frame()["revenue"].iloc[0])
        75.5
        """
        if not isinstance(other, Summaries):
            raise TypeError(f"can only merge Summaries, got {type(other).__name__}")
        return Summaries(self._inner.merge(other._inner), self.library)

    def to_arrow(self, *, text_ids: bool = False) -> Any:
        """The full mergeable state as an Arrow table, one row per customer.

        Everything a merge needs crosses, not only the order part: first and
        last order, order and refund counts, revenue and refunds, engagement
        counters, ticket counts, the latest answer to each survey question,
        MRR, loyalty points, and the per-day order totals. Money columns are
        ``decimal128(38, 6)``: the exact fixed-point value (10⁻⁶ units), so sums
        of them are exact in any order. The schema is generated from the
        core's field list; each field's metadata names its merge rule
        (``merge``: ``key``, ``min``, ``max``, ``sum``, ``latest_time``,
        ``latest_value``, ``union_days``). It is the schema of
        :func:`retention.spark.summaries` and reads back with
        :meth:`from_arrow` (store it as Parquet, merge it later).

        Parameters
        ----------
        text_ids : bool, default False
            Write customer ids as text even when they are all integers (ids
            are text anyway when any id is text).

        Returns
        -------
        pyarrow.Table
            Columns ``customer_id``, ``first_order``, ``last_order``,
            ``orders``, ``revenue``, ``refund_count``, ``refunds``,
            ``first_event``, ``last_event``, ``signup``, ``sessions``,
            ``email_opens``, ``email_clicks``, ``referrals``,
            ``tickets_opened_<severity>``, ``tickets_resolved_<severity>``,
            ``survey_<kind>_time``, ``survey_<kind>_score``, ``mrr``,
            ``points_earned``, ``points_redeemed``, ``order_days``.

        Examples
        --------
        >>> import retention
        >>> log = retention.EventLog.from_dict({"customer_id": [1, 1, 2],
        ...     "timestamp": ["2024-01-05", "2024-02-10", "2024-01-20"], "amount": [30.0, 45.5, 12.0]})
        >>> state = log.summaries().to_arrow()
        >>> state.schema.field("revenue").type, state.column("revenue").to_pylist()
        (Decimal128Type(decimal128(38, 6)), [Decimal('75.500000'), Decimal('12.000000')])
        >>> state.schema.field("revenue").metadata
        {b'merge': b'sum'}
        >>> retention.Summaries.from_arrow(state) == log.summaries()
        True
        """
        return pa.table(self._inner.to_state(text_ids=text_ids))

    @classmethod
    def from_arrow(cls, data: Any, *, library: Library = "pandas") -> "Summaries":
        """Summaries from a state table written by :meth:`to_arrow` or by Spark.

        Rows of the same customer are merged, so the concatenation of two
        state tables reads as their merge. Columns are found by name (extra
        columns are ignored); types are converted where exact (any timestamp
        unit, other decimal scales).

        Parameters
        ----------
        data : pyarrow.Table or RecordBatch
            The state (anything with ``__arrow_c_stream__`` or
            ``__arrow_c_array__``, or a pandas / polars DataFrame).
        library : {"pandas", "polars", "pyarrow"}, default "pandas"
            DataFrame library of the results of functions taking these
            summaries.

        Returns
        -------
        Summaries

        Raises
        ------
        InvalidRowsError
            Naming every inconsistent value (row, field, value): a first order
            without orders, a survey time without its answer, order days that
            do not add up to the order count, a negative count…
        InvalidParameterError
            If a state column is absent.
        TypeError
            If a column has an unusable type.

        Examples
        --------
        >>> import pyarrow as pa
        >>> import retention
        >>> s = retention.EventLog.from_dict({"customer_id": [1, 1], "timestamp": ["2024-01-05", "2024-02-10"],
        ...     "amount": [30.0, 45.5]}).summaries()
        >>> state = s.to_arrow()
        >>> retention.Summaries.from_arrow(pa.concat_tables([state, state])) == s.merge(s)
        True
        >>> bad = state.set_column(state.schema.get_field_index("orders"), "orders", pa.array([3]))
        >>> try:
        ...     retention.Summaries.from_arrow(bad)
        ... except retention.InvalidRowsError as e:
        ...     print(e.issues[0]["row"], e.issues[0]["field"], e.issues[0]["kind"])
        0 order_days inconsistent
        """
        return cls(_retention.Summaries.from_state(to_arrow_table(data)), library)

    def __len__(self) -> int:
        return len(self._inner)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Summaries) and self._inner == other._inner

    __hash__ = None  # type: ignore[assignment]

    def to_frame(self, library: Optional[Library] = None) -> Any:
        """One row per customer: first/last order, orders, revenue, refunds, net revenue, lifespan.

        Parameters
        ----------
        library : {"pandas", "polars", "pyarrow"}, optional
            DataFrame library of the result; ``None`` (default) uses the
            summaries'.

        Returns
        -------
        DataFrame
            Columns ``customer_id``, ``first_order``, ``last_order``, ``orders``,
            ``refund_count``, ``revenue`` (gross), ``refunds``, ``net_revenue``,
            ``first_seen``, ``last_seen`` (first and last event of any kind) and
            ``lifespan_days`` (last − first order).

        Examples
        --------
        >>> import retention
        >>> log = retention.EventLog.from_dict({"customer_id": [1, 1, 2],
        ...     "timestamp": ["2024-01-05", "2024-02-10", "2024-01-20"], "amount": [30.0, 45.5, 12.0]})
        >>> frame = log.summaries().to_frame()
        >>> list(frame.columns[:4])
        ['customer_id', 'first_order', 'last_order', 'orders']
        >>> frame["lifespan_days"].tolist()
        [36.0, 0.0]
        """
        return from_arrow(self._inner.to_arrow(), library or self.library)

    def __repr__(self) -> str:
        return f"Summaries({len(self)} customers)"


def _check_log(log: Any) -> EventLog:
    if not isinstance(log, EventLog):
        raise TypeError(f"expected a retention.EventLog, got {type(log).__name__}")
    return log


def _check_summaries(s: Any) -> Summaries:
    if isinstance(s, EventLog):
        return s.summaries()
    if not isinstance(s, Summaries):
        raise TypeError(f"expected retention.Summaries (or an EventLog), got {type(s).__name__}")
    return s


def sample_events(
    *, seed: int = 42, customers: int = 2000, months: int = 24, library: Library = "pandas"
) -> Any:
    """The sample shop's raw events as a table with the CSV columns.

    The events of :meth:`EventLog.sample` before validation, e.g. to try
    :meth:`EventLog.from_frame` or another tool on them.

    Parameters
    ----------
    seed : int, default 42
        Random seed.
    customers : int, default 2000
        Number of customers.
    months : int, default 24
        Acquisition span in calendar months from the start (2023-01-01); the
        shop is observed up to 2025-01-01 00:00 UTC.
    library : {"pandas", "polars", "pyarrow"}, default "pandas"
        DataFrame library of the result.

    Returns
    -------
    DataFrame
        Columns ``customer_id``, ``timestamp``, ``event``, ``amount``,
        ``items``, ``score``, ``detail`` and ``resolved``.

    Examples
    --------
    >>> import retention
    >>> events = retention.sample_events(seed=42, customers=200)
    >>> list(events.columns), len(events)
    (['customer_id', 'timestamp', 'event', 'amount', 'items', 'score', 'detail', 'resolved'], 5212)
    """
    return from_arrow(_retention.sample_events(seed=seed, customers=customers, months=months), library)


