"""``KaplanMeierFitter`` and ``NelsonAalenFitter``."""

from __future__ import annotations

from typing import Any, Iterable, List, Optional, Union

import numpy as np
import pandas as pd

from ... import _api, codes

from ._common import _events, _unsupported


class _UnivariateFitter:
    _ESTIMATE = ""

    def __init__(self, alpha: float = 0.05, label: Optional[str] = None) -> None:
        self.alpha = alpha
        self._label = label

    def _prepare(self, durations: Any, event_observed: Any, label: Optional[str], alpha: Optional[float]) -> Any:
        self.alpha = self.alpha if alpha is None else alpha
        self._label = label or self._label or self._ESTIMATE
        self.durations = np.asarray(durations, dtype=float)
        self.event_observed = _events(durations, event_observed)
        return np.asarray(self.durations), np.asarray(self.event_observed)

    @property
    def _ci_labels(self) -> List[str]:
        level = f"{1 - self.alpha:g}"
        return [f"{self._label}_lower_{level}", f"{self._label}_upper_{level}"]

    def _set_timeline(self, table: pd.DataFrame, timeline: Any) -> pd.Index:
        index = pd.Index(np.asarray(table["timeline"], dtype=float), name="timeline")
        return index if timeline is None else pd.Index(np.asarray(timeline, dtype=float), name="timeline")

    @staticmethod
    def _step(index: pd.Index, values: np.ndarray, at: np.ndarray) -> np.ndarray:
        """Right-continuous step function through ``(index, values)`` at ``at``."""
        pos = np.searchsorted(np.asarray(index, dtype=float), at, side="right") - 1
        first = values[0] if len(values) else np.nan
        return np.where(pos >= 0, values[np.clip(pos, 0, None)], first)


class KaplanMeierFitter(_UnivariateFitter):
    """Kaplan-Meier estimate with log-log (exponential Greenwood) bounds, as lifelines."""

    _ESTIMATE = "KM_estimate"

    def fit(
        self,
        durations: Any,
        event_observed: Any = None,
        timeline: Any = None,
        entry: Any = None,
        label: Optional[str] = None,
        alpha: Optional[float] = None,
        ci_labels: Optional[List[str]] = None,
        weights: Any = None,
        fit_options: Any = None,
    ) -> "KaplanMeierFitter":
        """Fits the curve (``entry`` and ``weights`` are not supported)."""
        _unsupported(entry=entry, weights=weights)
        d, e = self._prepare(durations, event_observed, label, alpha)
        table, median, ci = _api.kaplan_meier(d, e, alpha=float(self.alpha))
        index = self._set_timeline(table, timeline)
        times = np.asarray(table["timeline"], dtype=float)
        at = np.asarray(index, dtype=float)
        surv = self._step(pd.Index(times), np.asarray(table["survival"], float), at)
        lower = self._step(pd.Index(times), np.asarray(table["lower"], float), at)
        upper = self._step(pd.Index(times), np.asarray(table["upper"], float), at)
        self.timeline = at
        self.survival_function_ = pd.DataFrame({self._label: surv}, index=index)
        labels = ci_labels or self._ci_labels
        self.confidence_interval_ = pd.DataFrame({labels[0]: lower, labels[1]: upper}, index=index)
        self.confidence_interval_survival_function_ = self.confidence_interval_
        self.median_survival_time_ = np.inf if median is None else float(median)
        self.median_confidence_interval_ = ci
        at_risk = np.asarray(table["at_risk"])
        observed = np.asarray(table["observed"])
        censored = np.asarray(table["censored"])
        entrance = np.zeros(len(times), dtype=np.int64)
        if len(times):
            entrance[0] = len(d)
        self.event_table = pd.DataFrame(
            {"removed": observed + censored, "observed": observed, "censored": censored,
             "entrance": entrance, "at_risk": at_risk},
            index=pd.Index(times, name="event_at"),
        )
        return self

    def predict(self, times: Any, interpolate: bool = False) -> Any:
        """Survival at ``times`` (step function; ``interpolate`` is not supported)."""
        if interpolate:
            raise NotImplementedError("interpolate=True is not supported")
        sf = self.survival_function_[self._label]
        if np.ndim(times) == 0:
            return float(self._step(sf.index, sf.to_numpy(), np.asarray([float(times)]))[0])
        at = np.asarray(list(times), dtype=float)
        return pd.Series(self._step(sf.index, sf.to_numpy(), at), index=at, name=self._label)

    def survival_function_at_times(self, times: Union[Iterable[float], float]) -> pd.Series:
        """Survival at ``times`` as a Series."""
        at = np.atleast_1d(np.asarray(times, dtype=float))
        sf = self.survival_function_[self._label]
        return pd.Series(self._step(sf.index, sf.to_numpy(), at), index=at, name=self._label)

    def plot_survival_function(self, ax: Any = None, ci_show: bool = True, **kwargs: Any) -> Any:
        """Step plot of the curve with its confidence band (needs matplotlib)."""
        import matplotlib.pyplot as plt

        if ax is None:
            ax = plt.gca()
        sf = self.survival_function_[self._label]
        ax.step(sf.index, sf.to_numpy(), where="post", label=self._label, **kwargs)
        if ci_show:
            ci = self.confidence_interval_
            ax.fill_between(ci.index, ci.iloc[:, 0], ci.iloc[:, 1], step="post", alpha=0.25)
        ax.set_xlabel("timeline")
        ax.legend()
        return ax

    plot = plot_survival_function


class NelsonAalenFitter(_UnivariateFitter):
    """Nelson-Aalen cumulative hazard (smoothed ties by default, as lifelines)."""

    _ESTIMATE = "NA_estimate"

    def __init__(self, alpha: float = 0.05, nelson_aalen_smoothing: bool = True, **kwargs: Any) -> None:
        super().__init__(alpha, kwargs.get("label"))
        self.nelson_aalen_smoothing = nelson_aalen_smoothing

    def fit(
        self,
        durations: Any,
        event_observed: Any = None,
        timeline: Any = None,
        entry: Any = None,
        label: Optional[str] = None,
        alpha: Optional[float] = None,
        ci_labels: Optional[List[str]] = None,
        weights: Any = None,
        fit_options: Any = None,
    ) -> "NelsonAalenFitter":
        """Fits the cumulative hazard (``entry`` and ``weights`` are not supported)."""
        _unsupported(entry=entry, weights=weights)
        d, e = self._prepare(durations, event_observed, label, alpha)
        ties: codes.NelsonAalenTies = "smoothed" if self.nelson_aalen_smoothing else "discrete"
        table = _api.nelson_aalen(d, e, alpha=float(self.alpha), ties=ties)
        index = self._set_timeline(table, timeline)
        times = pd.Index(np.asarray(table["timeline"], dtype=float))
        at = np.asarray(index, dtype=float)
        self.timeline = at
        self.cumulative_hazard_ = pd.DataFrame(
            {self._label: self._step(times, np.asarray(table["cumulative_hazard"], float), at)}, index=index
        )
        labels = ci_labels or self._ci_labels
        self.confidence_interval_ = pd.DataFrame(
            {labels[0]: self._step(times, np.asarray(table["lower"], float), at),
             labels[1]: self._step(times, np.asarray(table["upper"], float), at)},
            index=index,
        )
        self._variance = pd.Series(self._step(times, np.asarray(table["variance"], float), at), index=index)
        return self

    def predict(self, times: Any) -> Any:
        """Cumulative hazard at ``times`` (step function)."""
        ch = self.cumulative_hazard_[self._label]
        if np.ndim(times) == 0:
            return float(self._step(ch.index, ch.to_numpy(), np.asarray([float(times)]))[0])
        at = np.asarray(list(times), dtype=float)
        return pd.Series(self._step(ch.index, ch.to_numpy(), at), index=at, name=self._label)
