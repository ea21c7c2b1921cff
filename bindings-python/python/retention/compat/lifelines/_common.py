"""Helpers shared by the lifelines-compatible fitters."""

from __future__ import annotations

from typing import Any

import numpy as np


def _unsupported(**options: Any) -> None:
    used = [k for k, v in options.items() if v is not None]
    if used:
        raise NotImplementedError(f"retention.compat.lifelines does not support {', '.join(used)}")


def _events(durations: Any, event_observed: Any) -> np.ndarray:
    if event_observed is None:
        return np.ones(np.shape(np.asarray(durations))[0], dtype=bool)
    return np.asarray(event_observed)


def _column(values: Any, name: str) -> np.ndarray:
    """A one-dimensional array from what lifelines accepts: lists, Series,
    arrays, and (n, 1) columns."""
    a = np.asarray(values)
    if a.ndim == 2 and a.shape[1] == 1:
        a = a[:, 0]
    if a.ndim != 1:
        raise TypeError(f"`{name}` must be one-dimensional (or an (n, 1) column), got shape {a.shape}")
    return a
