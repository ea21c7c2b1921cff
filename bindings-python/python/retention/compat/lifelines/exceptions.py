"""lifelines' exception and warning classes, and how the compat fitters use them.

A notebook that catches ``lifelines.exceptions.ConvergenceError`` or filters
``StatisticalWarning`` keeps working after its imports point here:

- :class:`ConvergenceError` is raised, as in lifelines, when a fit cannot
  produce estimates (collinear covariates, complete separation). The object
  raised is at the same time the typed error of :mod:`retention.errors`
  (``SingularMatrixError``, ``NotConvergedError``...), with its fields, so
  code written against either library catches it.
- :class:`StatisticalWarning` is issued for case weights that are not whole
  numbers (the model-based variances treat weights as frequencies);
  :class:`ConvergenceWarning` for covariates with (nearly) no variance
  before a fit, and after a Cox fit whose Newton iterations report a
  non-unique solution (last step still large), a monotone likelihood or no
  convergence (lifelines then returns its last iterate, and so do the
  compat fitters): first the separation checks that explain it, then the
  core's finding, in lifelines' order. The separation checks also explain
  a failed fit (singular information).
- :class:`StatError` is raised by ``KaplanMeierFitter.fit`` with entry times
  when every subject at risk at some event time has the event while most
  subjects enter later (the estimate would be 0 over their whole follow-up),
  as lifelines does in such cases; a :class:`StatisticalWarning` when fewer
  enter later.

The checks themselves are the core's (``retention_core::survival::diagnostics``);
only their mapping onto lifelines' classes lives here.

Example
-------
>>> from retention.compat.lifelines import KaplanMeierFitter
>>> from retention.compat.lifelines.exceptions import StatisticalWarning
>>> import warnings
>>> with warnings.catch_warnings(record=True) as caught:
...     warnings.simplefilter("always")
...     _ = KaplanMeierFitter().fit([1, 2, 3], weights=[0.5, 1.0, 1.5])
>>> [w.category.__name__ for w in caught]
['StatisticalWarning']
"""

from __future__ import annotations

import contextlib
import time
import warnings
from typing import Any, Callable, Collection, Dict, Iterator, List, Optional, Sequence, Tuple, Type

import numpy as np

from ... import _retention
from ...errors import FitNotConvergedError, InvalidRowsError, NotConvergedError, RetentionError, SingularMatrixError
from ..._frames import to_arrow_array

__all__ = [
    "StatError",
    "ProportionalHazardAssumptionError",
    "ConvergenceError",
    "ConvergenceWarning",
    "StatisticalWarning",
    "ApproximationWarning",
    "UnseenStratumError",
]


class StatError(Exception):
    """The data do not support the requested estimate (lifelines' name)."""


class UnseenStratumError(InvalidRowsError, StatError):
    """Rows to predict for lie in a stratum the fit did not see: our
    :class:`~retention.errors.InvalidRowsError` naming every such row and its
    stratum, and the :class:`StatError` lifelines raises there."""


class ProportionalHazardAssumptionError(Exception):
    """``check_assumptions(raise_on_fail=True)`` found a covariate violating
    proportional hazards (lifelines' name)."""


class ConvergenceError(ValueError):
    """A fit could not produce estimates (lifelines' name; a ``ValueError``).

    The compat fitters raise it as a subclass that is also the typed error of
    :mod:`retention.errors` describing what went wrong.
    """

    #: lifelines' attribute: the exception that stopped the fit, if any.
    original_exception: Any = ""

    def __init__(self, msg: str = "", original_exception: Any = "") -> None:
        super().__init__(f"{msg}{original_exception}")
        self.original_exception = original_exception


class ConvergenceWarning(RuntimeWarning):
    """The data may stop a fit from converging, or make its estimates unreliable."""


class StatisticalWarning(RuntimeWarning):
    """A statistical caveat about the estimates (for example non-integer weights)."""


class ApproximationWarning(RuntimeWarning):
    """An estimate is an approximation (lifelines' name; not issued here)."""


class SingularMatrixConvergenceError(SingularMatrixError, ConvergenceError):
    """:class:`retention.errors.SingularMatrixError` as lifelines' :class:`ConvergenceError`."""


class NotConvergedConvergenceError(NotConvergedError, ConvergenceError):
    """:class:`retention.errors.NotConvergedError` as lifelines' :class:`ConvergenceError`."""


class FitNotConvergedConvergenceError(FitNotConvergedError, ConvergenceError):
    """:class:`retention.errors.FitNotConvergedError` as lifelines' :class:`ConvergenceError`."""


# Most specific first: FitNotConvergedError is a NotConvergedError.
_AS_CONVERGENCE_ERROR: Tuple[Tuple[Type[RetentionError], Type[RetentionError]], ...] = (
    (FitNotConvergedError, FitNotConvergedConvergenceError),
    (NotConvergedError, NotConvergedConvergenceError),
    (SingularMatrixError, SingularMatrixConvergenceError),
)

#: Warning kinds of the core and the lifelines class each is issued as.
_CATEGORY: Dict[str, type] = {
    "non_integer_weights": StatisticalWarning,
    "low_variance": ConvergenceWarning,
    "separates_events": ConvergenceWarning,
    "tracks_durations": ConvergenceWarning,
    "risk_set_exhausted": StatisticalWarning,
    "non_unique_solution": ConvergenceWarning,
    "monotone_likelihood": ConvergenceWarning,
    "not_converged": ConvergenceWarning,
}

#: Warnings lifelines issues before a fit; the separation ones are issued
#: only after a fit that fails or whose Newton iterations end suspiciously
#: (``AFTER_FIT``, found by the core's fit), to explain it.
BEFORE_FIT = frozenset({"non_integer_weights", "low_variance"})
ON_FAILURE = frozenset({"separates_events", "tracks_durations"})
AFTER_FIT = frozenset({"non_unique_solution", "monotone_likelihood", "not_converged"})

Found = List[Tuple[str, Optional[int], str, bool]]


def fit_warnings(
    durations: Any,
    events: Any,
    covariates: Sequence[Any] = (),
    names: Sequence[str] = (),
    weights: Any = None,
    entry: Any = None,
    separation: bool = True,
) -> Found:
    """The core's warnings about one fit's data: ``(kind, column, message,
    undermines_estimate)`` tuples (``separation=False``: without the
    separation checks, which rank every column)."""
    if not len(covariates) and weights is None and entry is None:
        return []  # nothing to check
    arrays = [to_arrow_array(np.asarray(c, dtype=float), "covariates") for c in covariates]
    return _retention.fit_warnings(
        to_arrow_array(np.asarray(durations, dtype=float), "durations"),
        to_arrow_array(np.asarray(events, dtype=bool), "event_observed"),
        arrays,
        names=[str(n) for n in names],
        weights=None if weights is None else to_arrow_array(np.asarray(weights, dtype=float), "weights"),
        entry=None if entry is None else to_arrow_array(np.asarray(entry, dtype=float), "entry"),
        separation=separation,
    )


def issue(found: Found, kinds: Collection[str], stacklevel: int = 3) -> None:
    """Issues the warnings of ``found`` whose kind is in ``kinds``, as lifelines' classes
    (``stacklevel`` as :func:`warnings.warn`'s, counted from the caller of
    ``issue`` plus one); raises :class:`StatError` for one that undermines the
    estimate."""
    for kind, _column, message, undermines in found:
        if kind not in kinds:
            continue
        if undermines:
            raise StatError(message)
        warnings.warn(message, _CATEGORY.get(kind, RuntimeWarning), stacklevel=stacklevel)


def issue_separation(found: Found, stacklevel: int = 3) -> None:
    """Issues the separation checks of ``found`` (``ON_FAILURE``) in lifelines'
    order: low variance given the event flag, then tracking the durations."""
    issue(found, {"separates_events"}, stacklevel + 1)
    issue(found, {"tracks_durations"}, stacklevel + 1)


def issue_after_fit(separation: Callable[[], Found], fit_warnings: Found) -> None:
    """After a fit whose result carries ``fit_warnings`` (the core's
    ``AFTER_FIT`` kinds), issues them with the separation checks
    ``separation()`` finds (run only then) as lifelines does: a monotone
    likelihood first, then the checks, then a non-unique solution or the
    failure to converge."""
    kinds = {w[0] for w in fit_warnings}
    if not kinds & AFTER_FIT:
        return
    issue(fit_warnings, {"monotone_likelihood"}, 4)
    issue_separation(separation(), 4)
    issue(fit_warnings, {"non_unique_solution", "not_converged"}, 4)


def print_progress(result: Dict[str, Any], started: float, closing: str) -> None:
    """Prints lifelines' ``show_progress`` lines from a Cox fit's ``trace``,
    then ``closing`` (with the iteration count), or lifelines' failure line
    when the iterations did not converge. The seconds are
    those elapsed since ``started`` when the line is printed (the core keeps
    no clock)."""
    for step in result["trace"]:
        print(
            "Iteration %d: norm_delta = %.2e, step_size = %.4f, log_lik = %.5f, newton_decrement = %.2e, "
            "seconds_since_start = %.1f"
            % (step["iteration"], step["norm_delta"], step["step_size"], step["log_likelihood"],
               step["newton_decrement"], time.time() - started)
        )
    if any(w[0] in ("monotone_likelihood", "not_converged") for w in result.get("fit_warnings", ())):
        print("Convergence failed. See any warning messages.")
    else:
        print(closing % result["iterations"])


def as_convergence_error(err: RetentionError) -> RetentionError:
    """``err`` as the subclass that is also lifelines' :class:`ConvergenceError`
    (same message and fields), or ``err`` itself when no such class applies."""
    for base, mixed in _AS_CONVERGENCE_ERROR:
        if isinstance(err, base):
            new = mixed.__new__(mixed)
            new.args = err.args
            new.__dict__.update(err.__dict__)
            return new
    return err


@contextlib.contextmanager
def convergence_errors(on_failure: Optional[Callable[[], None]] = None) -> Iterator[None]:
    """Re-raises the core's singular-matrix and non-convergence errors as
    lifelines' :class:`ConvergenceError` (see :func:`as_convergence_error`),
    after calling ``on_failure`` (which issues the warnings that explain it)."""
    try:
        yield
    except (SingularMatrixError, NotConvergedError) as err:
        if on_failure is not None:
            on_failure()
        raise as_convergence_error(err).with_traceback(err.__traceback__) from None
