"""``lifelines.utils`` names."""

from __future__ import annotations

from typing import Any

import numpy as np

from ... import _api
from ...errors import EmptyInputError
from ._common import _column

__all__ = ["concordance_index"]


def concordance_index(event_times: Any, predicted_scores: Any, event_observed: Any = None) -> float:
    """Harrell's C: the fraction of comparable pairs ordered like the scores
    (higher score = longer survival, as lifelines).

    Raises ``ZeroDivisionError`` ("No admissable pairs in the dataset.") when
    no pair is comparable, as lifelines does.
    """
    times = _column(event_times, "event_times").astype(float)
    events = np.ones(len(times), dtype=bool) if event_observed is None else _column(event_observed, "event_observed")
    scores = _column(predicted_scores, "predicted_scores").astype(float)
    try:
        return float(_api.concordance_index(times, scores, events))
    except EmptyInputError as e:
        if len(times) == 0:
            raise
        raise ZeroDivisionError("No admissable pairs in the dataset.") from e
