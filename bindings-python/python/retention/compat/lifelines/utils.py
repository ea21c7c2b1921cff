"""``lifelines.utils`` names: the concordance index, the restricted mean
survival time, ``find_best_parametric_model``, and (not in lifelines) the Brier score, integrated Brier score
and cumulative/dynamic AUC of :mod:`retention`."""

from __future__ import annotations

from typing import Any, Tuple, Union

import numpy as np

from ... import _api, _retention
from ..._prediction import brier_score, cumulative_dynamic_auc, integrated_brier_score
from ...errors import EmptyInputError
from ._common import _column, _flags

__all__ = [
    "concordance_index",
    "restricted_mean_survival_time",
    "brier_score",
    "integrated_brier_score",
    "cumulative_dynamic_auc",
    "find_best_parametric_model",
]


def concordance_index(event_times: Any, predicted_scores: Any, event_observed: Any = None) -> float:
    """Harrell's C: the fraction of comparable pairs ordered like the scores
    (higher score = longer survival, as lifelines).

    Raises ``ZeroDivisionError`` ("No admissable pairs in the dataset.") when
    no pair is comparable, as lifelines does.
    """
    times = _column(event_times, "event_times")
    events = _flags(event_observed, len(times))
    scores = _column(predicted_scores, "predicted_scores", len(times))
    try:
        return float(_api.concordance_index(times, scores, events))
    except EmptyInputError as e:
        if len(times) == 0:
            raise
        raise ZeroDivisionError("No admissable pairs in the dataset.") from e


def restricted_mean_survival_time(
    model_or_survival_function: Any, t: float = np.inf, return_variance: bool = False
) -> Union[float, Tuple[float, float]]:
    """``∫₀ᵗ S(u) du`` of a fitted ``KaplanMeierFitter``, integrated exactly over the step
    function; with ``return_variance``, also ``2 ∫₀ᵗ u S(u) du − RMST²``, the variance of
    ``min(T, t)`` under the curve (lifelines' definition).

    Only Kaplan-Meier fits are supported (a survival-function DataFrame or a parametric
    model raises ``NotImplementedError``).

    Examples
    --------
    >>> from retention.compat.lifelines import KaplanMeierFitter
    >>> from retention.compat.lifelines.utils import restricted_mean_survival_time
    >>> kmf = KaplanMeierFitter().fit([1, 2, 3, 4], [1, 0, 1, 1])
    >>> restricted_mean_survival_time(kmf, t=3.5)
    2.6875
    """
    from .statistics import _km_data

    d, e = _km_data(model_or_survival_function, "model_or_survival_function")
    t = np.inf if t is None else float(t)
    mean, variance = _retention.restricted_mean_survival_time(d, e, t)
    return (mean, variance) if return_variance else mean


def find_best_parametric_model(
    event_times: Any,
    event_observed: Any = None,
    scoring_method: str = "AIC",
    additional_models: Any = None,
    censoring_type: str = "right",
    timeline: Any = None,
    alpha: Any = None,
    ci_labels: Any = None,
    entry: Any = None,
    weights: Any = None,
    show_progress: bool = False,
) -> Tuple[Any, float]:
    """Fits each univariate parametric model and returns the one with the
    smallest ``AIC_`` (or ``BIC_``) and that score, as lifelines'
    ``find_best_parametric_model``.

    The candidates are this layer's ``WeibullFitter``, ``ExponentialFitter``,
    ``LogNormalFitter`` and ``LogLogisticFitter`` (lifelines also tries
    piecewise-exponential and spline models), plus ``additional_models``;
    ``censoring_type`` other than ``"right"`` raises ``NotImplementedError``.

    Examples
    --------
    >>> from retention.compat.lifelines.utils import find_best_parametric_model
    >>> model, aic = find_best_parametric_model([2.0, 3.0, 5.0, 7.0, 11.0, 4.0], [1, 1, 0, 1, 1, 1])
    >>> type(model).__name__ in {"WeibullFitter", "ExponentialFitter", "LogNormalFitter", "LogLogisticFitter"}
    True
    """
    from ._parametric import ExponentialFitter, LogLogisticFitter, LogNormalFitter, WeibullFitter

    if censoring_type != "right":
        raise NotImplementedError(f"retention.compat.lifelines find_best_parametric_model does not support "
                                  f"censoring_type={censoring_type!r}")
    if scoring_method not in ("AIC", "BIC"):
        raise ValueError(f"scoring_method must be 'AIC' or 'BIC', not {scoring_method!r}")
    models = [WeibullFitter(), ExponentialFitter(), LogNormalFitter(), LogLogisticFitter()]
    models += list(additional_models or [])
    best: Any = None
    best_score = float("inf")
    for model in models:
        model.fit(event_times, event_observed, timeline=timeline, alpha=alpha, ci_labels=ci_labels, entry=entry,
                  weights=weights)
        score = float(model.AIC_ if scoring_method == "AIC" else model.BIC_)
        if score < best_score:
            best, best_score = model, score
    return best, best_score
