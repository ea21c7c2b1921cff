"""Exception classes, one per error variant of the Rust core.

Every exception raised for bad input is a :class:`RetentionError` (itself a
:class:`ValueError`), or a :class:`TypeError` when an argument has the wrong
Python type. Each class is named after the core error's code
(``invalid_rows`` → :class:`InvalidRowsError`); the mapping lives in one
place, ``bindings-python/src/errors.rs``.
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional

__all__ = [
    "RetentionError",
    "InvalidRowsError",
    "LengthMismatchError",
    "EmptyInputError",
    "InvalidParameterError",
    "UnknownCodeError",
    "UnknownCustomerError",
    "InsufficientPointsError",
    "SingularMatrixError",
    "NotConvergedError",
    "FitNotConvergedError",
    "NonFiniteResultError",
    "MissingColumnError",
]


class RetentionError(ValueError):
    """Base class of every error reported by the retention core."""

    def __init__(self, message: str, **fields: Any) -> None:
        super().__init__(message)
        self.message = message
        for key, value in fields.items():
            setattr(self, key, value)

    def __reduce__(self) -> Any:
        # Keyword fields go back through __init__; notes (``__notes__``,
        # Python 3.11's add_note) are restored after it.
        fields = {k: v for k, v in self.__dict__.items() if k != "message" and not k.startswith("__")}
        notes = list(getattr(self, "__notes__", []))
        return (_rebuild, (type(self), self.message, fields, notes))


def _rebuild(cls: type, message: str, fields: Dict[str, Any], notes: Optional[List[str]] = None) -> RetentionError:
    err: RetentionError = cls(message, **fields)
    if notes:
        err.__notes__ = list(notes)
    return err


class InvalidRowsError(RetentionError):
    """Input rows were rejected.

    ``issues`` lists every rejected value as a dict with keys ``row`` (0-based
    index in the caller's input), ``field``, ``value`` (as text), ``reason``
    (human readable) and ``kind`` (a stable snake_case tag).
    """

    issues: List[Dict[str, Any]]

    def __init__(self, message: str, *, issues: List[Dict[str, Any]]) -> None:
        super().__init__(message, issues=issues)


class LengthMismatchError(RetentionError):
    """Columns (or argument vectors) of different lengths."""

    field: str
    expected: int
    actual: int

    def __init__(self, message: str, *, field: str, expected: int, actual: int) -> None:
        super().__init__(message, field=field, expected=expected, actual=actual)


class EmptyInputError(RetentionError):
    """A computation needs at least one item and got none."""

    what: str

    def __init__(self, message: str, *, what: str) -> None:
        super().__init__(message, what=what)


class InvalidParameterError(RetentionError):
    """A parameter or option has an impossible value."""

    name: str
    value: str
    reason: str

    def __init__(self, message: str, *, name: str, value: str, reason: str) -> None:
        super().__init__(message, name=name, value=value, reason=reason)


class UnknownCodeError(InvalidParameterError):
    """A name that is not one of a vocabulary's codes (an option value such
    as ``mode="weekly"``); ``accepted`` lists the codes, ``name`` is the
    vocabulary (see :func:`retention.vocabulary`)."""

    accepted: List[str]

    def __init__(self, message: str, *, name: str, value: str, reason: str, accepted: List[str]) -> None:
        RetentionError.__init__(self, message, name=name, value=value, reason=reason, accepted=accepted)


class UnknownCustomerError(RetentionError):
    """A customer id that does not occur in the data."""

    customer: str

    def __init__(self, message: str, *, customer: str) -> None:
        super().__init__(message, customer=customer)


class InsufficientPointsError(RetentionError):
    """A loyalty redemption exceeds the available balance."""

    customer: str
    row: Optional[int]
    requested: float
    available: float

    def __init__(
        self, message: str, *, customer: str, row: Optional[int], requested: float, available: float
    ) -> None:
        super().__init__(message, customer=customer, row=row, requested=requested, available=available)


class SingularMatrixError(RetentionError):
    """A matrix that must be positive definite is singular (e.g. collinear covariates)."""

    what: str
    index: int

    def __init__(self, message: str, *, what: str, index: int) -> None:
        super().__init__(message, what=what, index=index)


class NotConvergedError(RetentionError):
    """An iterative fit hit its iteration limit."""

    what: str
    iterations: int
    last_step: float

    def __init__(self, message: str, *, what: str, iterations: int, last_step: float) -> None:
        super().__init__(message, what=what, iterations=iterations, last_step=last_step)


class FitNotConvergedError(NotConvergedError):
    """A maximum-likelihood model fit did not converge from any start;
    ``attempts`` describes every optimisation attempt."""

    model: str
    attempts: List[str]

    def __init__(self, message: str, *, model: str, attempts: List[str]) -> None:
        RetentionError.__init__(self, message, model=model, attempts=attempts)


class NonFiniteResultError(RetentionError):
    """A model computation produced NaN or infinity (reported, never returned)."""

    what: str
    row: Optional[int]

    def __init__(self, message: str, *, what: str, row: Optional[int]) -> None:
        super().__init__(message, what=what, row=row)


class MissingColumnError(InvalidParameterError, KeyError):
    """A column named by an argument (``duration_col="T"``) is not in the
    table. Raised by the Python layer (the core never sees the table); it is
    also a :class:`KeyError`, which is what lifelines and pandas raise, so
    code written for them keeps working. ``name`` is the argument, ``value``
    the column asked for."""

    def __init__(self, message: str, *, name: str, value: str, reason: str) -> None:
        super().__init__(message, name=name, value=value, reason=reason)

    def __str__(self) -> str:
        # KeyError quotes its message; this error reads like the others.
        return self.message
