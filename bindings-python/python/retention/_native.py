"""The extension module behind one guard for argument conversion errors.

PyO3 converts each Python argument of a native function to its Rust type
before the core sees it; an ``int`` outside that type's range (``bins=10**30``,
``customers=-1``, ``horizon_months=2**32``) raises :class:`OverflowError`,
with the note ``while processing 'customers'``. Every native function is
reached through ``retention._retention`` (each module does ``from . import
_retention``), so this module replaces that package attribute with a view of
the extension whose functions turn such an :class:`OverflowError` into an
:class:`~retention.errors.InvalidParameterError` naming the argument and its
value. Classes and constants are the extension's own objects, unchanged
(``sys.modules`` keeps the extension itself, for pickling and stub checks).

Methods of native objects are not wrapped: integers reach them through the
``_int`` helpers of the Python layer, which check them first.
"""

from __future__ import annotations

import functools
import inspect
import re
import sys
import types
from typing import Any, Callable, Dict, Optional

from . import _retention as _extension
from .errors import InvalidParameterError

_NOTE = re.compile(r"while processing '([^']+)'")


def _argument(exc: BaseException) -> Optional[str]:
    for note in getattr(exc, "__notes__", ()):
        found = _NOTE.search(str(note))
        if found:
            return found.group(1)
    return None


def _value(fn: Callable[..., Any], name: str, args: tuple, kwargs: Dict[str, Any]) -> Any:
    if name in kwargs:
        return kwargs[name]
    try:
        return inspect.signature(fn).bind_partial(*args, **kwargs).arguments.get(name, "?")
    except (TypeError, ValueError):
        return "?"


def out_of_range(exc: OverflowError, name: Optional[str] = None, value: Any = "?") -> InvalidParameterError:
    """The :class:`InvalidParameterError` for an integer argument that does
    not fit its native type (``exc`` carries PyO3's note naming it)."""
    name = name or _argument(exc) or "argument"
    reason = "is outside the range of whole numbers this argument accepts (negative, or too large)"
    return InvalidParameterError(
        f"invalid parameter `{name}` = {value}: {reason} ({exc})", name=name, value=str(value), reason=reason
    )


def guard(fn: Callable[..., Any]) -> Callable[..., Any]:
    """``fn`` with :class:`OverflowError` from argument conversion reported as
    :class:`InvalidParameterError`."""

    @functools.wraps(fn)
    def call(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except OverflowError as exc:
            name = _argument(exc)
            if name is None:
                raise
            raise out_of_range(exc, name, _value(fn, name, args, kwargs)) from None

    return call


def _guarded_module() -> "_Guarded":
    """The guarded view (what a pickled reference to it loads)."""
    return guarded


class _Guarded(types.ModuleType):
    """The extension module with its functions guarded (built on first use).

    Pickles as a reference to this module's view, so that closures using
    ``_retention`` (Spark's ``mapInArrow`` functions) still serialise."""

    def __reduce__(self) -> Any:
        return (_guarded_module, ())

    def __getattr__(self, name: str) -> Any:
        value = getattr(_extension, name)
        if isinstance(value, types.BuiltinFunctionType):
            value = guard(value)
        setattr(self, name, value)
        return value


guarded = _Guarded(_extension.__name__, _extension.__doc__)

# The package attribute, which ``from . import _retention`` reads.
setattr(sys.modules[__package__ or "retention"], "_retention", guarded)
