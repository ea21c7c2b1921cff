"""``KaplanMeierFitter`` and ``NelsonAalenFitter``.

Every number comes from one call into the Rust core: the fit (event table
and curve on the timeline; right-, left- or interval-censored), the
conditional time to event, percentiles, interpolation, the smoothed hazard
and the union of two curves. This module only arranges the
results as lifelines' DataFrames.
"""

from __future__ import annotations

from typing import Any, Dict, Iterable, List, Optional, Tuple, Union

import numpy as np
import pandas as pd
import pyarrow as pa

from ... import _retention, codes
from ..._frames import to_arrow_array
from . import exceptions
from ._common import _column, _flags, _lifelines_errors


def _arrow(values: Any, name: str) -> Any:
    return None if values is None else to_arrow_array(values, name)


def _columns(table: Any) -> Dict[str, np.ndarray]:
    """The float columns of a core result table as numpy arrays (no copy
    where Arrow holds them in one chunk without nulls)."""
    t = pa.table(table)
    out = {}
    for name, col in zip(t.column_names, t.columns):
        chunk = col.chunk(0) if col.num_chunks == 1 and col.null_count == 0 else col
        out[name] = chunk.to_numpy()
    return out


def _np(array: Any) -> np.ndarray:
    """A float array from the extension module as numpy, without a copy."""
    return pa.array(array).to_numpy(zero_copy_only=False)


_EVENT_COLUMNS = ("removed", "observed", "censored", "entrance", "at_risk")


def _event_table(event: Any) -> pd.DataFrame:
    """lifelines' ``event_table`` (index ``event_at``) from the core's event
    columns; whole-number counts as integers, as lifelines shows them."""
    (times, *columns), whole = event
    data = {name: _np(c) for name, c in zip(_EVENT_COLUMNS, columns)}
    if whole:
        data = {name: v.astype(np.int64) for name, v in data.items()}
    return pd.DataFrame(data, index=pd.Index(_np(times), name="event_at"), copy=False)


class _UnivariateFitter:
    _ESTIMATE = ""
    # Kinds of `exceptions.fit_warnings` issued (or raised) by `fit`.
    _CHECKS = exceptions.BEFORE_FIT
    _ATTRIBUTE = ""
    _BEFORE = 1.0

    def __init__(self, alpha: float = 0.05, label: Optional[str] = None) -> None:
        if not 0 < alpha < 1:
            raise ValueError("alpha parameter must be between 0 and 1.")
        self.alpha = alpha
        self._label = label
        self._class_name = type(self).__name__
        # Only right-censored data: lifelines' censoring type of `fit`.
        self._censoring_type = "right"
        self._event_arrow: Any = None
        self._event_frame: Optional[pd.DataFrame] = None
        self._conditional: Optional[np.ndarray] = None
        self._ci_frame: Optional[pd.DataFrame] = None
        self._pending_bounds: Optional[Tuple[np.ndarray, np.ndarray, float]] = None

    @property
    def label(self) -> str:
        """Name of the estimate's column."""
        return self._label or self._ESTIMATE

    def __repr__(self) -> str:
        label = f'"{self._label}",' if self._label else ""
        if not hasattr(self, "weights"):
            return f"<lifelines.{self._class_name}>"
        total = self.weights.sum()
        censored = total - self.weights[np.asarray(self.event_observed) > 0].sum()
        kind = self._censoring_type
        return f"<lifelines.{self._class_name}:{label} fitted with {total:g} total observations, {censored:g} {kind}-censored observations>"

    def _inputs(self, durations: Any, event_observed: Any, timeline: Any, entry: Any, weights: Any,
                label: Optional[str], alpha: Optional[float]) -> Tuple[Any, ...]:
        self.alpha = alpha if alpha else self.alpha
        self._label = label or self._label or self._ESTIMATE
        self.durations = _column(durations, "durations")
        n = self.durations.shape[0]
        self.event_observed = _flags(event_observed, n)
        self.entry = None if entry is None else _column(entry, "entry")
        self.weights = np.ones(n) if weights is None else _column(weights, "weights")
        tl = None if timeline is None else _column(timeline, "timeline")
        self._weighted = weights is not None
        return (to_arrow_array(self.durations, "durations"), to_arrow_array(self.event_observed, "event_observed"),
                dict(alpha=float(self.alpha), weights=_arrow(None if weights is None else self.weights, "weights"),
                     entry=_arrow(self.entry, "entry"), timeline=_arrow(tl, "timeline")))

    def _issue_warnings(self) -> None:
        """lifelines' warnings (and StatError) about the data just fitted."""
        found = exceptions.fit_warnings(self.durations, self.event_observed,
                                        weights=self.weights if self._weighted else None, entry=self.entry)
        exceptions.issue(found, self._CHECKS)

    def _labels(self, ci_labels: Optional[List[str]]) -> List[str]:
        if ci_labels is not None:
            if len(ci_labels) != 2:
                raise ValueError("ci_labels should be a length 2 array.")
            return list(ci_labels)
        level = f"{1 - self.alpha:g}"
        return [f"{self._label}_lower_{level}", f"{self._label}_upper_{level}"]

    def _curve(self, curve: Any, ci_labels: Optional[List[str]]) -> Tuple[pd.Index, pd.DataFrame, pd.DataFrame]:
        cols = curve if isinstance(curve, dict) else _columns(curve)
        index = pd.Index(cols["timeline"], name="timeline", copy=False)
        self.timeline = cols["timeline"]
        estimate = pd.DataFrame({self._label: cols["estimate"]}, index=index, copy=False)
        self.ci_labels = self._labels(ci_labels)
        ci = pd.DataFrame({self.ci_labels[0]: cols["lower"], self.ci_labels[1]: cols["upper"]}, index=index,
                          copy=False)
        self._curve_table = cols
        return index, estimate, ci

    def __getstate__(self) -> Dict[str, Any]:
        # The Arrow table behind the lazy event table does not pickle: build
        # the DataFrame first.
        state = self.__dict__.copy()
        if state.get("_event_arrow") is not None:
            state["_event_frame"], state["_event_arrow"] = self.event_table, None
        return state

    @property
    def event_table(self) -> pd.DataFrame:
        """lifelines' life table (built on first access)."""
        if self._event_frame is None:
            if self._event_arrow is None:
                raise AttributeError("event_table is set by fit")
            self._event_frame = _event_table(self._event_arrow)
        return self._event_frame

    @event_table.setter
    def event_table(self, value: pd.DataFrame) -> None:
        self._event_frame = value

    def _estimate(self) -> pd.DataFrame:
        return getattr(self, self._ATTRIBUTE)

    def _at(self, times: Any, column: int = 0) -> np.ndarray:
        est = self._estimate()
        at = np.atleast_1d(np.asarray(times, dtype=float))
        pos = np.searchsorted(est.index.to_numpy(), at, side="right") - 1
        values = est.iloc[:, column].to_numpy()
        return np.where(pos >= 0, values[np.clip(pos, 0, None)], self._BEFORE)

    def _interpolated(self, times: np.ndarray) -> np.ndarray:
        est = self._estimate()
        return np.asarray(_retention.step_interpolate(
            to_arrow_array(est.index.to_numpy(dtype=float), "times"),
            to_arrow_array(est.iloc[:, 0].to_numpy(dtype=float), "values"),
            to_arrow_array(times, "times")))

    def predict(self, times: Any, interpolate: bool = False) -> Any:
        """The estimate at ``times``: the step function, or with
        ``interpolate=True`` linearly interpolated between its points."""
        at = np.atleast_1d(np.asarray(times if np.ndim(times) == 0 else list(times), dtype=float))
        if self._censoring_type == "interval":
            # Both of lifelines' curves (upper, lower).
            if interpolate:
                raise NotImplementedError("retention.compat.lifelines does not support interpolate=True after "
                                          "fit_interval_censoring")
            est = self._estimate()
            frame = pd.DataFrame({name: self._at(at, i) for i, name in enumerate(est.columns)}, index=at)
            return frame.iloc[0] if np.ndim(times) == 0 else frame
        values = self._interpolated(at) if interpolate else self._at(at)
        if np.ndim(times) == 0:
            return float(values[0])
        return pd.Series(values, index=at, name=self._label)

    def _combine(self, other: "_UnivariateFitter") -> Tuple[np.ndarray, np.ndarray, np.ndarray]:
        mine, theirs = self._estimate(), other._estimate()
        t, a, b = _retention.step_union(
            to_arrow_array(mine.index.to_numpy(dtype=float), "times"),
            to_arrow_array(mine.iloc[:, 0].to_numpy(dtype=float), "values"),
            to_arrow_array(theirs.index.to_numpy(dtype=float), "times"),
            to_arrow_array(theirs.iloc[:, 0].to_numpy(dtype=float), "values"),
            self._BEFORE,
        )
        return np.asarray(t), np.asarray(a), np.asarray(b)

    def subtract(self, other: "_UnivariateFitter") -> pd.DataFrame:
        """This estimate minus ``other``'s, on the union of both timelines (column ``diff``)."""
        t, a, b = self._combine(other)
        return pd.DataFrame({"diff": a - b}, index=t)

    def divide(self, other: "_UnivariateFitter") -> pd.DataFrame:
        """This estimate divided by ``other``'s, on the union of both timelines (column ``ratio``)."""
        t, a, b = self._combine(other)
        with np.errstate(divide="ignore", invalid="ignore"):
            return pd.DataFrame({"ratio": a / b}, index=t)


class KaplanMeierFitter(_UnivariateFitter):
    """Kaplan-Meier estimate with log-log (exponential Greenwood) bounds, as lifelines.

    Supports ``weights`` (case weights) and ``entry`` (left truncation) as
    lifelines does, and ``timeline``.
    """

    _ESTIMATE = "KM_estimate"
    # lifelines refuses an exhausted risk set for Kaplan-Meier only.
    _CHECKS = exceptions.BEFORE_FIT | {"risk_set_exhausted"}
    _ATTRIBUTE = "survival_function_"
    _BEFORE = 1.0

    @_lifelines_errors
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
        """Fits the curve; ``fit_options`` is unused, as in lifelines."""
        self._censoring_type = "right"
        d, e, kwargs = self._inputs(durations, event_observed, timeline, entry, weights, label, alpha)
        kwargs.pop("alpha")
        table, columns = _retention.kaplan_meier_fit(d, e, **kwargs)
        self._issue_warnings()
        self._event_arrow, self._event_frame = table, None
        times, survival, greenwood = (_np(c) for c in columns)
        index = pd.Index(times, name="timeline", copy=False)
        self.timeline = times
        self.ci_labels = self._labels(ci_labels)
        sf = pd.DataFrame({self._label: survival}, index=index, copy=False)
        self.survival_function_ = sf
        self.cumulative_density_ = 1 - sf
        # The bounds are computed on first access (confidence_interval_).
        self._ci_frame = None
        self._pending_bounds = (survival, greenwood, float(self.alpha))
        self._conditional = None
        self.median_survival_time_ = self.percentile(0.5)
        return self

    #: lifelines' name of ``fit`` for right-censored data.
    fit_right_censoring = fit

    @_lifelines_errors
    def fit_left_censoring(
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
        """Fits left-censored durations (``event_observed`` 0: the event
        happened at or before the duration): the reverse Kaplan-Meier
        estimate of ``cumulative_density_``, with ``survival_function_`` its
        complement, as lifelines.

        Examples
        --------
        >>> from retention.compat.lifelines import KaplanMeierFitter
        >>> kmf = KaplanMeierFitter().fit_left_censoring([3, 5, 5, 5, 6, 6, 10, 12], [1, 0, 0, 1, 1, 1, 0, 1])
        >>> [round(x, 4) for x in kmf.cumulative_density_["KM_estimate"]]
        [0.0, 0.4375, 0.5833, 0.875, 0.875, 1.0]
        """
        self._censoring_type = "left"
        d, e, kwargs = self._inputs(durations, event_observed, timeline, entry, weights, label, alpha)
        table, columns = _retention.kaplan_meier_left_fit(d, e, **kwargs)
        self._event_arrow, self._event_frame = table, None
        curve = dict(zip(("timeline", "estimate", "lower", "upper"), (_np(c) for c in columns)))
        index, cdf, bounds = self._curve(curve, ci_labels)
        self.cumulative_density_ = cdf
        self.survival_function_ = 1 - cdf
        self._ci_frame, self._pending_bounds = bounds, None
        self._conditional = None
        self.median_survival_time_ = self.percentile(0.5)
        return self

    @property
    def confidence_interval_(self) -> pd.DataFrame:
        """Pointwise bounds of the survival function (built on first access)."""
        if self._ci_frame is None:
            if self._pending_bounds is None:
                raise AttributeError("confidence_interval_ (not computed for this fit, as in lifelines)")
            survival, greenwood, alpha = self._pending_bounds
            lower, upper = _retention.km_greenwood_bounds(
                to_arrow_array(survival, "survival"), to_arrow_array(greenwood, "greenwood"), alpha=alpha)
            self._ci_frame = pd.DataFrame({self.ci_labels[0]: _np(lower), self.ci_labels[1]: _np(upper)},
                                          index=self.survival_function_.index, copy=False)
        return self._ci_frame

    @confidence_interval_.setter
    def confidence_interval_(self, value: pd.DataFrame) -> None:
        self._ci_frame = value

    @property
    def confidence_interval_survival_function_(self) -> pd.DataFrame:
        """Same as ``confidence_interval_``."""
        return self.confidence_interval_

    @property
    def confidence_interval_cumulative_density_(self) -> pd.DataFrame:
        """Bounds of ``1 - S(t)``: one minus the survival bounds, swapped."""
        flipped = 1 - self.confidence_interval_
        flipped[:] = np.fliplr(flipped.to_numpy())
        return flipped

    @property
    def median_confidence_interval_(self) -> Tuple[float, float]:
        """First times at which the lower and the upper bound reach 0.5."""
        ci = self.confidence_interval_
        times = to_arrow_array(ci.index.to_numpy(dtype=float), "times")
        out = [_retention.step_percentile(times, to_arrow_array(ci.iloc[:, i].to_numpy(dtype=float), "values"), 0.5)
               for i in (0, 1)]
        return (np.inf if out[0] is None else out[0], np.inf if out[1] is None else out[1])

    @_lifelines_errors
    def fit_interval_censoring(
        self,
        lower_bound: Any,
        upper_bound: Any,
        event_observed: Any = None,
        timeline: Any = None,
        label: Optional[str] = None,
        alpha: Optional[float] = None,
        ci_labels: Optional[List[str]] = None,
        entry: Any = None,
        weights: Any = None,
        tol: float = 1e-5,
        show_progress: bool = False,
        fit_options: Any = None,
        **kwargs: Any,
    ) -> "KaplanMeierFitter":
        """Turnbull's nonparametric MLE of interval-censored data (closed
        intervals ``[lower_bound, upper_bound]``; ``upper_bound`` may be
        ``inf``), as lifelines: ``survival_function_`` holds the two curves
        ``<label>_upper`` and ``<label>_lower`` (each interval's mass at its
        right or left end). Like lifelines, no confidence interval is
        computed. ``max_iter`` is accepted among ``kwargs``.

        Examples
        --------
        >>> from retention.compat.lifelines import KaplanMeierFitter
        >>> kmf = KaplanMeierFitter().fit_interval_censoring([0, 4, 2, 0, 2, 5], [1, 6, 6, 3, 4, 7])
        >>> list(kmf.survival_function_.columns)
        ['NPMLE_estimate_upper', 'NPMLE_estimate_lower']
        >>> round(float(kmf.survival_function_.loc[2.0].iloc[0]), 3)
        0.749
        """
        if entry is not None:
            raise NotImplementedError("retention.compat.lifelines does not support entry with fit_interval_censoring (nor does lifelines)")
        if show_progress:
            raise NotImplementedError("retention.compat.lifelines does not support show_progress")
        max_iter = kwargs.pop("max_iter", None)
        if kwargs.pop("optimize", False) or kwargs.pop("fit_method", "em") != "em" or kwargs:
            raise NotImplementedError("retention.compat.lifelines supports fit_interval_censoring with fit_method='em', "
                                      "optimize=False and max_iter only")
        self._censoring_type = "interval"
        self.alpha = alpha if alpha else self.alpha
        self._label = label or self._label or "NPMLE_estimate"
        self.lower_bound = np.atleast_1d(_column(lower_bound, "lower_bound"))
        self.upper_bound = np.atleast_1d(_column(upper_bound, "upper_bound"))
        n = self.lower_bound.shape[0]
        self.weights = np.ones(n) if weights is None else _column(weights, "weights")
        flags = None if event_observed is None else _flags(event_observed, n)
        (_, _, _), _ll, _iterations, _converged, columns = _retention.turnbull_fit(
            to_arrow_array(self.lower_bound, "lower_bound"), to_arrow_array(self.upper_bound, "upper_bound"),
            weights=_arrow(None if weights is None else self.weights, "weights"),
            event_observed=_arrow(flags, "event_observed"),
            timeline=_arrow(None if timeline is None else _column(timeline, "timeline"), "timeline"),
            tol=float(tol), max_iterations=None if max_iter is None else int(max_iter),
        )
        self.event_observed = self.lower_bound == self.upper_bound
        times, upper, lower = (np.asarray(c) for c in columns)
        self.timeline = times
        self.survival_function_ = pd.DataFrame(
            {f"{self._label}_upper": upper, f"{self._label}_lower": lower}, index=pd.Index(times))
        self.cumulative_density_ = 1 - self.survival_function_
        self._ci_frame, self._pending_bounds = None, None
        self._event_arrow, self._event_frame = None, None
        self._conditional = None
        self.median_survival_time_ = self.percentile(0.5)
        return self

    def percentile(self, p: float) -> Any:
        """First time at which survival is at or below ``p`` (``inf`` if
        never); for interval-censored fits, one per curve (a DataFrame, as
        lifelines)."""
        sf = self.survival_function_
        times = to_arrow_array(sf.index.to_numpy(dtype=float), "times")

        def first(column: int) -> float:
            t = _retention.step_percentile(times, to_arrow_array(sf.iloc[:, column].to_numpy(dtype=float), "values"),
                                           float(p))
            return np.inf if t is None else float(t)

        if self._censoring_type == "interval":
            return pd.DataFrame([[first(i) for i in range(sf.shape[1])]], index=[p], columns=sf.columns)
        return first(0)

    @property
    def conditional_time_to_event_(self) -> pd.DataFrame:
        """Median remaining time to the event given survival to each timeline point."""
        name = f"{self._label} - Conditional median duration remaining to event"
        if self._conditional is None:
            sf = self.survival_function_
            self._conditional = np.asarray(_retention.step_conditional_time_to_event(
                to_arrow_array(sf.index.to_numpy(dtype=float), "times"),
                to_arrow_array(sf.iloc[:, 0].to_numpy(dtype=float), "values")))
        return pd.DataFrame({name: self._conditional}, index=self.survival_function_.index)

    def survival_function_at_times(self, times: Union[Iterable[float], float], label: Optional[str] = None) -> pd.Series:
        """Survival at ``times`` as a Series."""
        at = np.atleast_1d(np.asarray(times, dtype=float))
        return pd.Series(self._at(at), index=at, name=label or self._label)

    def cumulative_density_at_times(self, times: Union[Iterable[float], float], label: Optional[str] = None) -> pd.Series:
        """``1 - S(t)`` at ``times`` as a Series."""
        at = np.atleast_1d(np.asarray(times, dtype=float))
        return pd.Series(1 - self._at(at), index=at, name=label or self._label)

    def plot_survival_function(self, ax: Any = None, ci_show: bool = True, **kwargs: Any) -> Any:
        """Step plot of the curve with its confidence band (needs matplotlib)."""
        return _plot(self.survival_function_, getattr(self, "confidence_interval_", None), ax, ci_show, **kwargs)

    def plot_cumulative_density(self, ax: Any = None, ci_show: bool = True, **kwargs: Any) -> Any:
        """Step plot of ``1 - S(t)`` with its confidence band (needs matplotlib)."""
        return _plot(self.cumulative_density_, getattr(self, "confidence_interval_cumulative_density_", None), ax,
                     ci_show, **kwargs)

    plot = plot_survival_function


class NelsonAalenFitter(_UnivariateFitter):
    """Nelson-Aalen cumulative hazard (smoothed ties by default, as lifelines).

    Supports ``weights`` and ``entry`` as lifelines does; with fractional
    weights and smoothed ties (where lifelines fails) the tie sums are
    extended with the digamma function.
    """

    _ESTIMATE = "NA_estimate"
    _ATTRIBUTE = "cumulative_hazard_"
    _BEFORE = 0.0

    def __init__(self, alpha: float = 0.05, nelson_aalen_smoothing: bool = True, **kwargs: Any) -> None:
        super().__init__(alpha, kwargs.pop("label", None))
        if kwargs:
            raise NotImplementedError(f"retention.compat.lifelines does not support {', '.join(kwargs)}")
        self.nelson_aalen_smoothing = nelson_aalen_smoothing

    @_lifelines_errors
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
        """Fits the cumulative hazard; ``fit_options`` is unused, as in lifelines."""
        d, e, kwargs = self._inputs(durations, event_observed, timeline, entry, weights, label, alpha)
        ties: codes.NelsonAalenTies = "smoothed" if self.nelson_aalen_smoothing else "discrete"
        table, curve = _retention.nelson_aalen_fit(d, e, ties=ties, **kwargs)
        self._issue_warnings()
        self._event_arrow, self._event_frame = table, None
        index, ch, bounds = self._curve(curve, ci_labels)
        self.cumulative_hazard_ = ch
        self.confidence_interval_ = bounds
        self.confidence_interval_cumulative_hazard_ = bounds
        self._cumulative_sq = pd.Series(self._curve_table["variance"], index=index, copy=False)
        return self

    #: lifelines' name of ``fit`` for right-censored data.
    fit_right_censoring = fit

    def cumulative_hazard_at_times(self, times: Union[Iterable[float], float], label: Optional[str] = None) -> pd.Series:
        """Cumulative hazard at ``times`` as a Series."""
        at = np.atleast_1d(np.asarray(times, dtype=float))
        return pd.Series(self._at(at), index=at, name=label or self._label)

    def _smoothed(self, bandwidth: float) -> Tuple[List[float], List[float], List[float]]:
        return _retention.smoothed_hazard(
            to_arrow_array(self.timeline, "times"),
            to_arrow_array(self.cumulative_hazard_.iloc[:, 0].to_numpy(dtype=float), "values"),
            to_arrow_array(self._cumulative_sq.to_numpy(dtype=float), "variance"),
            float(bandwidth), float(self.alpha),
        )

    def smoothed_hazard_(self, bandwidth: float) -> pd.DataFrame:
        """Hazard smoothed with an Epanechnikov kernel of the given bandwidth."""
        hazard, _, _ = self._smoothed(bandwidth)
        return pd.DataFrame({f"differenced-{self._label}": hazard}, index=self.timeline)

    def smoothed_hazard_confidence_intervals_(self, bandwidth: float, hazard_: Any = None) -> pd.DataFrame:
        """lifelines' bounds of the smoothed hazard (its first column is the larger one)."""
        if hazard_ is not None:
            raise NotImplementedError("retention.compat.lifelines does not support hazard_")
        _, first, second = self._smoothed(bandwidth)
        return pd.DataFrame({self.ci_labels[0]: first, self.ci_labels[1]: second}, index=self.timeline)

    @property
    def conditional_time_to_event_(self) -> pd.DataFrame:
        """Not defined for a cumulative hazard (lifelines raises too)."""
        raise NotImplementedError("NelsonAalenFitter has no conditional_time_to_event_ (as in lifelines)")

    def percentile(self, p: float) -> float:
        """Not defined for a cumulative hazard (lifelines raises too)."""
        raise NotImplementedError("NelsonAalenFitter has no percentile (as in lifelines)")

    def plot_cumulative_hazard(self, ax: Any = None, ci_show: bool = True, **kwargs: Any) -> Any:
        """Step plot of the cumulative hazard with its band (needs matplotlib)."""
        return _plot(self.cumulative_hazard_, self.confidence_interval_, ax, ci_show, **kwargs)

    plot = plot_cumulative_hazard


def _plot(estimate: pd.DataFrame, ci: Optional[pd.DataFrame], ax: Any, ci_show: bool, steps: bool = True,
          **kwargs: Any) -> Any:
    """Draws ``estimate``'s columns (as steps, or lines for smooth curves)
    and the band ``ci`` on ``ax`` (the current axes by default)."""
    import matplotlib.pyplot as plt

    if ax is None:
        ax = plt.gca()
    for name in estimate.columns:
        series = estimate[name]
        if steps:
            ax.step(series.index, series.to_numpy(), where="post", label=series.name, **kwargs)
        else:
            ax.plot(series.index, series.to_numpy(), label=series.name, **kwargs)
    if ci_show and ci is not None:
        ax.fill_between(ci.index, ci.iloc[:, 0], ci.iloc[:, 1], step="post" if steps else None, alpha=0.25)
    ax.set_xlabel("timeline")
    ax.legend()
    return ax
