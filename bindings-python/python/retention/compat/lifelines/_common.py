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
