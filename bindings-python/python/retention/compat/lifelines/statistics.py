"""``lifelines.statistics`` names: log-rank tests on the Rust core."""

from __future__ import annotations

from typing import Any, Dict, Mapping

import numpy as np
import pandas as pd

from ... import _api

__all__ = ["StatisticalResult", "logrank_test", "multivariate_logrank_test"]


class StatisticalResult:
    """Outcome of a test: ``test_statistic``, ``p_value``, ``degrees_of_freedom``,
    ``summary`` (as lifelines' ``StatisticalResult``)."""

    def __init__(self, result: Mapping[str, Any], test_name: str, **kwargs: Any) -> None:
        self.test_statistic = float(result["test_statistic"])
        self.p_value = float(result["p_value"])
        self.degrees_of_freedom = int(result["degrees_of_freedom"])
        self.null_distribution = "chi squared"
        self.test_name = test_name
        self.observed = result.get("observed")
        self.expected = result.get("expected")
        for k, v in kwargs.items():
            setattr(self, k, v)

    @property
    def summary(self) -> pd.DataFrame:
        """test_statistic, p and -log2(p) in one row."""
        with np.errstate(divide="ignore"):
            return pd.DataFrame(
                {"test_statistic": [self.test_statistic], "p": [self.p_value], "-log2(p)": [-np.log2(self.p_value)]}
            )

    def print_summary(self) -> None:
        """Prints :attr:`summary`."""
        print(self.summary)

    def __repr__(self) -> str:
        return f"<retention.compat.lifelines.StatisticalResult: {self.test_name}>"


def _events(durations: Any, event_observed: Any) -> np.ndarray:
    if event_observed is None:
        return np.ones(len(np.asarray(durations)), dtype=bool)
    return np.asarray(event_observed)


def _plain(t_0: Any, weightings: Any, weights: Any) -> None:
    if t_0 != -1 or weightings is not None or weights is not None:
        raise NotImplementedError("t_0, weightings and weights are not supported")


def logrank_test(
    durations_A: Any, durations_B: Any, event_observed_A: Any = None, event_observed_B: Any = None,
    t_0: float = -1, weights_A: Any = None, weights_B: Any = None, weightings: Any = None, **kwargs: Any,
) -> StatisticalResult:
    """Two-group log-rank test (lifelines' arguments)."""
    _plain(t_0, weightings, weights_A if weights_A is not None else weights_B)
    r = _api.logrank_test(
        np.asarray(durations_A, dtype=float), np.asarray(durations_B, dtype=float),
        _events(durations_A, event_observed_A), _events(durations_B, event_observed_B),
    )
    return StatisticalResult(r, "logrank_test", **kwargs)


def multivariate_logrank_test(
    event_durations: Any, groups: Any, event_observed: Any = None, weights: Any = None, t_0: float = -1,
    weightings: Any = None, **kwargs: Any,
) -> StatisticalResult:
    """Log-rank test across any number of groups (any hashable labels)."""
    _plain(t_0, weightings, weights)
    codes, _ = pd.factorize(pd.Series(np.asarray(groups)))
    r = _api.multivariate_logrank_test(
        np.asarray(event_durations, dtype=float), codes.astype(np.int64), _events(event_durations, event_observed)
    )
    return StatisticalResult(r, "multivariate_logrank_test", **kwargs)
