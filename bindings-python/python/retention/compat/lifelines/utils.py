"""``lifelines.utils`` names."""

from __future__ import annotations

from typing import Any

import numpy as np

from ... import _api

__all__ = ["concordance_index"]


def concordance_index(event_times: Any, predicted_scores: Any, event_observed: Any = None) -> float:
    """Harrell's C: the fraction of comparable pairs ordered like the scores
    (higher score = longer survival, as lifelines)."""
    times = np.asarray(event_times, dtype=float)
    events = np.ones(len(times), dtype=bool) if event_observed is None else np.asarray(event_observed)
    return float(_api.concordance_index(times, np.asarray(predicted_scores, dtype=float), events))
