"""Event logs and customer summaries."""

from __future__ import annotations

import os
from typing import Any, Optional, Tuple, Union

from . import _retention, codes
from ._frames import Library, events_to_arrow, from_arrow, library_of, micros, to_datetime

__all__ = ["EventLog", "Summaries", "sample_events"]


class EventLog:
    """A validated event log.

    Build it with :meth:`from_frame` (pandas, polars, pyarrow or anything with
    ``__arrow_c_stream__``), :meth:`from_dict`, :meth:`from_csv` or
    :meth:`sample`. Every invalid row is reported at once in an
    :class:`~retention.InvalidRowsError`. Results of functions taking this log
    come back as tables of the library the log was built from.
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
        """Builds a log from a table.

        Column names default to the CSV names (``customer_id``, ``timestamp``,
        ``event``, ``amount``, ``items``, ``score``, ``detail``, ``resolved``);
        only the first two are required, an absent ``event`` column means
        every row is an order. Pass a name to use another column (it must
        exist). Timestamps may be datetimes of any unit or time zone (naive =
        UTC), dates, or ISO 8601 text. ``duplicates`` is ``"keep"``,
        ``"drop"`` or ``"reject"``.
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
        """:meth:`from_frame` for a dict of columns (lists, numpy arrays, Series)."""
        return cls.from_frame(data, **columns)

    @classmethod
    def from_csv(cls, path_or_text: Union[str, "os.PathLike[str]"], *, duplicates: codes.DuplicatePolicy = "keep") -> "EventLog":
        """Reads a CSV file (or CSV text containing a newline) in the documented format."""
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
        """The seeded sample shop (the same events in every language)."""
        table = _retention.sample_events(seed=seed, customers=customers, months=months)
        return cls(_retention.EventLog.from_arrow(table), library)

    def __len__(self) -> int:
        return len(self._log)

    @property
    def n_customers(self) -> int:
        """Number of distinct customers."""
        return self._log.n_customers

    @property
    def duplicates_dropped(self) -> int:
        """Exact duplicate rows dropped (with ``duplicates="drop"``)."""
        return self._log.duplicates_dropped

    @property
    def time_range(self) -> Optional[Tuple[Any, Any]]:
        """First and last event instant as UTC timestamps, ``None`` when empty."""
        r = self._log.time_range
        return None if r is None else (to_datetime(r[0]), to_datetime(r[1]))

    def up_to(self, as_of: Any) -> "EventLog":
        """The events at or before ``as_of``."""
        return EventLog(self._log.up_to(micros(as_of, "as_of")), self.library)

    def check_as_of(self, as_of: Any) -> None:
        """Raises :class:`~retention.InvalidRowsError` naming every event after ``as_of``."""
        self._log.check_as_of(micros(as_of, "as_of"))

    def to_csv(self, path: Optional[Union[str, "os.PathLike[str]"]] = None) -> Optional[str]:
        """Writes the log as CSV (returns the text when no path is given)."""
        text = self._log.to_csv_text()
        if path is None:
            return text
        with open(os.fspath(path), "w", encoding="utf-8") as handle:
            handle.write(text)
        return None

    def to_frame(self, library: Optional[Library] = None) -> Any:
        """The log as a table with the CSV columns (``customer_id``,
        ``timestamp``, ``event``, ``amount``, ``items``, ``score``, ``detail``,
        ``resolved``), in log order (customer, then time)."""
        return from_arrow(_retention.log_to_arrow(self._log), library or self.library)

    def summaries(self) -> "Summaries":
        """Per-customer summaries (one pass; mergeable)."""
        return Summaries(_retention.Summaries.from_log(self._log), self.library)

    def __repr__(self) -> str:
        return f"EventLog({len(self)} events, {self.n_customers} customers)"


class Summaries:
    """Per-customer state; ``a.merge(b)`` equals the summaries of both logs' events."""

    __slots__ = ("_inner", "library")

    def __init__(self, inner: _retention.Summaries, library: Library = "pandas") -> None:
        if not isinstance(inner, _retention.Summaries):
            raise TypeError("use EventLog.summaries() or Summaries.from_log(log)")
        self._inner = inner
        self.library = library

    @classmethod
    def from_log(cls, log: EventLog) -> "Summaries":
        """Summaries of a log."""
        _check_log(log)
        return log.summaries()

    def merge(self, other: "Summaries") -> "Summaries":
        """The summaries of the union of both inputs (commutative, associative)."""
        if not isinstance(other, Summaries):
            raise TypeError(f"can only merge Summaries, got {type(other).__name__}")
        return Summaries(self._inner.merge(other._inner), self.library)

    def __len__(self) -> int:
        return len(self._inner)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Summaries) and self._inner == other._inner

    __hash__ = None  # type: ignore[assignment]

    def to_frame(self, library: Optional[Library] = None) -> Any:
        """One row per customer: first/last order, orders, revenue, refunds, net revenue, lifespan."""
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
    """The sample shop's raw events as a table with the CSV columns."""
    return from_arrow(_retention.sample_events(seed=seed, customers=customers, months=months), library)


