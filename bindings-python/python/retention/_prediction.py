"""Accuracy of survival predictions: Brier score, integrated Brier score and
cumulative/dynamic AUC, with inverse probability of censoring weights from
the Kaplan-Meier estimate of the training data's censoring distribution
(scikit-survival's definitions; Graf et al. 1999, Uno et al. 2007). The
formulas are in the core's ``survival`` module documentation."""

from __future__ import annotations

from typing import Any, List, Optional, Tuple

import numpy as np

from . import _retention
from ._frames import to_arrow_array

__all__ = ["brier_score", "integrated_brier_score", "cumulative_dynamic_auc"]


def _samples(
    durations_train: Any, event_observed_train: Any, durations_test: Any, event_observed_test: Any
) -> Tuple[Any, Any, Any, Any]:
    return (
        to_arrow_array(np.asarray(durations_train, dtype=float), "durations_train"),
        to_arrow_array(np.asarray(event_observed_train, dtype=bool), "event_observed_train"),
        to_arrow_array(np.asarray(durations_test, dtype=float), "durations_test"),
        to_arrow_array(np.asarray(event_observed_test, dtype=bool), "event_observed_test"),
    )


def _by_time(values: Any, n_times: int, name: str) -> List[List[float]]:
    """``(n_subjects, n_times)`` predictions as one list per time."""
    arr = np.asarray(values, dtype=float)
    if arr.ndim == 1 and n_times == 1:
        arr = arr[:, None]
    if arr.ndim != 2 or arr.shape[1] != n_times:
        raise ValueError(f"{name} must have shape (n_subjects, n_times) with n_times = {n_times}")
    return [list(col) for col in arr.T]


def brier_score(
    durations_train: Any, event_observed_train: Any, durations_test: Any, event_observed_test: Any,
    survival: Any, times: Any,
) -> Tuple[np.ndarray, np.ndarray]:
    """Brier score of predicted survival probabilities at each time.

    ``BS(t) = mean_i [S_i(t)^2 1(y_i <= t, event_i) / G(y_i) + (1 - S_i(t))^2 1(y_i > t) / G(t)]``,
    with ``G`` the Kaplan-Meier estimate of the censoring distribution of the training data
    (scikit-survival's ``brier_score``; Graf et al. 1999).

    Parameters
    ----------
    durations_train, event_observed_train : sequence
        Training data, for the censoring distribution (needs at least one event).
    durations_test, event_observed_test : sequence
        The subjects whose survival was predicted.
    survival : array of shape (n_test, n_times)
        Predicted probability that subject ``i`` survives past ``times[k]``.
    times : sequence of float
        Strictly increasing times within ``[min, max)`` of the test durations.

    Returns
    -------
    (times, scores) : tuple of numpy arrays

    Examples
    --------
    >>> import retention
    >>> y, e = [1, 2, 3, 4, 5], [1, 0, 1, 0, 1]
    >>> times, bs = retention.brier_score(y, e, y, e, [[0.2], [0.9], [0.4], [0.7], [0.8]], [3.0])
    >>> round(float(bs[0]), 4)
    0.0853
    """
    t = np.asarray(times, dtype=float).ravel()
    scores = _retention.brier_score(
        *_samples(durations_train, event_observed_train, durations_test, event_observed_test),
        _by_time(survival, len(t), "survival"), list(t),
    )
    return t, np.asarray(scores)


def integrated_brier_score(
    durations_train: Any, event_observed_train: Any, durations_test: Any, event_observed_test: Any,
    survival: Any, times: Any,
) -> float:
    """Integrated Brier score: the trapezoidal integral of :func:`brier_score` over ``times``
    divided by ``times[-1] - times[0]`` (scikit-survival's ``integrated_brier_score``).

    Parameters are those of :func:`brier_score`; at least two times are needed.

    Examples
    --------
    >>> import retention
    >>> y, e = [1, 2, 3, 4, 5], [1, 0, 1, 0, 1]
    >>> s = [[0.9, 0.2], [0.9, 0.8], [0.8, 0.4], [0.9, 0.7], [0.95, 0.8]]
    >>> round(retention.integrated_brier_score(y, e, y, e, s, [1.0, 3.0]), 4)
    0.1299
    """
    t = np.asarray(times, dtype=float).ravel()
    return float(_retention.integrated_brier_score(
        *_samples(durations_train, event_observed_train, durations_test, event_observed_test),
        _by_time(survival, len(t), "survival"), list(t),
    ))


def cumulative_dynamic_auc(
    durations_train: Any, event_observed_train: Any, durations_test: Any, event_observed_test: Any,
    risk: Any, times: Any, tied_tol: Optional[float] = None,
) -> Tuple[np.ndarray, float]:
    """Cumulative/dynamic AUC of risk scores at each time, with Uno's inverse probability of
    censoring weights (scikit-survival's ``cumulative_dynamic_auc``).

    Cases at ``t`` are the test subjects with an event by ``t`` (weighted ``1/G(y_i)``), controls
    those still event-free after ``t``; the AUC is the weighted fraction of case/control pairs
    in which the case has the higher risk (ties count one half).

    Parameters
    ----------
    durations_train, event_observed_train, durations_test, event_observed_test : sequence
        As :func:`brier_score`.
    risk : array of shape (n_test,) or (n_test, n_times)
        Risk scores, higher meaning an earlier event; one column per time or one for all.
    times : sequence of float
        Strictly increasing times within ``[min, max)`` of the test durations.
    tied_tol : float, optional
        Scores closer than this count as tied (default: the core's ``DEFAULT_TIED_TOL``, 1e-8).

    Returns
    -------
    (auc, mean_auc) : numpy array, float
        The AUC at each time, and its mean weighted by the drops of the test Kaplan-Meier curve.

    Examples
    --------
    >>> import retention
    >>> y, e = [1, 2, 3, 4, 5], [1, 0, 1, 0, 1]
    >>> auc, mean = retention.cumulative_dynamic_auc(y, e, y, e, [0.9, 0.0, 0.3, 0.5, 0.1], [3.5])
    >>> round(float(auc[0]), 4)
    0.7143
    """
    t = np.asarray(times, dtype=float).ravel()
    arr = np.asarray(risk, dtype=float)
    rows = [list(arr)] if arr.ndim == 1 else _by_time(arr, len(t), "risk")
    auc, mean = _retention.cumulative_dynamic_auc(
        *_samples(durations_train, event_observed_train, durations_test, event_observed_test),
        rows, list(t), None if tied_tol is None else float(tied_tol),
    )
    return np.asarray(auc), float(mean)
