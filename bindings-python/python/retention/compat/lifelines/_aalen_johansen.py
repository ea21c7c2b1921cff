"""``AalenJohansenFitter``: cumulative incidence of one cause among competing
risks.

The numbers (all-cause life table, events of interest, cumulative incidence,
its variance and bounds) come from one call into the Rust core
(``AalenJohansen``); this module arranges them as lifelines' DataFrames.
"""

from __future__ import annotations

from typing import Any, List, Optional

import numpy as np
import pandas as pd

from ... import _retention
from ..._frames import to_arrow_array
from ._common import _column, _lifelines_errors
from ._univariate import _event_table, _plot


class AalenJohansenFitter:
    """Aalen-Johansen estimate of the cumulative incidence of one event type
    among competing ones, as lifelines' ``AalenJohansenFitter``.

    Event codes: 0 = censored, any other whole number = the event type that
    ended follow-up. Tied times are handled exactly, so ``jitter_level`` and
    ``seed`` (lifelines breaks ties of different event types by a random
    jitter) have no effect; on data without such ties the numbers are
    lifelines' ones. ``weights`` are supported; ``entry`` and ``timeline``
    are not (``NotImplementedError``).

    Examples
    --------
    >>> from retention.compat.lifelines import AalenJohansenFitter
    >>> aj = AalenJohansenFitter().fit([1.0, 2.0, 3.0, 4.0], [1, 2, 0, 1], event_of_interest=1)
    >>> aj.cumulative_density_["CIF_1"].tolist()
    [0.0, 0.25, 0.25, 0.25, 0.75]
    """

    def __init__(self, jitter_level: float = 0.0001, seed: Any = None, alpha: float = 0.05,
                 calculate_variance: bool = True, **kwargs: Any) -> None:
        if not 0 < alpha < 1:
            raise ValueError("alpha parameter must be between 0 and 1.")
        label = kwargs.pop("label", None)
        if kwargs:
            raise NotImplementedError(f"retention.compat.lifelines does not support {', '.join(kwargs)}")
        self.alpha = alpha
        self._label = label
        self._jitter_level = jitter_level
        self._seed = seed
        self._calc_var = calculate_variance
        self._censoring_type = "right"

    @property
    def label(self) -> str:
        """Name used in the confidence-interval columns."""
        return self._label or "AJ_estimate"

    @_lifelines_errors
    def fit(
        self,
        durations: Any,
        event_observed: Any,
        event_of_interest: int,
        timeline: Any = None,
        entry: Any = None,
        label: Optional[str] = None,
        alpha: Optional[float] = None,
        ci_labels: Optional[List[str]] = None,
        weights: Any = None,
    ) -> "AalenJohansenFitter":
        """Fits the cumulative incidence of ``event_of_interest``."""
        if timeline is not None or entry is not None:
            used = ", ".join(n for n, v in (("timeline", timeline), ("entry", entry)) if v is not None)
            raise NotImplementedError(f"retention.compat.lifelines AalenJohansenFitter does not support {used}")
        alpha = alpha if alpha else self.alpha
        event_of_interest = int(event_of_interest)
        self.label_cmprisk = f"observed_{event_of_interest}"
        d = _column(durations, "durations")
        codes = _column(event_observed, "event_observed", d.shape[0])
        w = None if weights is None else _column(weights, "weights", d.shape[0])
        table, (interest, cif, variance, first, second) = _retention.aalen_johansen_fit(
            to_arrow_array(d, "durations"), to_arrow_array(codes, "event_observed"), event_of_interest,
            weights=None if w is None else to_arrow_array(w, "weights"), alpha=float(alpha),
        )
        self.durations = d
        self.event_observed = codes == event_of_interest
        self.weights = np.ones(d.shape[0]) if w is None else w
        self._label = label or self._label or "AJ_estimate"
        events = _event_table(table)
        events.insert(2, self.label_cmprisk, np.asarray(interest))
        self.event_table = events
        index = events.index
        self.timeline = index.to_numpy()
        self.cumulative_density_ = pd.DataFrame({f"CIF_{event_of_interest}": np.asarray(cif)}, index=index)
        if self._calc_var:
            level = f"{1 - alpha:g}"
            labels = list(ci_labels) if ci_labels is not None else [f"{self._label}_upper_{level}",
                                                                     f"{self._label}_lower_{level}"]
            if len(labels) != 2:
                raise ValueError("ci_labels should be a length 2 array.")
            self.variance_: Optional[pd.Series] = pd.Series(np.asarray(variance), index=index, name="variance")
            self.confidence_interval_: Optional[pd.DataFrame] = pd.DataFrame(
                {labels[0]: np.asarray(first), labels[1]: np.asarray(second)}, index=index)
        else:
            self.variance_, self.confidence_interval_ = None, None
        self.confidence_interval_cumulative_density_ = self.confidence_interval_
        return self

    def plot_cumulative_density(self, ax: Any = None, ci_show: bool = True, **kwargs: Any) -> Any:
        """Step plot of the cumulative incidence with its band (needs matplotlib)."""
        return _plot(self.cumulative_density_, self.confidence_interval_ if self._calc_var else None, ax, ci_show,
                     **kwargs)

    plot = plot_cumulative_density

    def __repr__(self) -> str:
        # lifelines' AalenJohansenFitter keeps no case weights, so its repr
        # never shows counts.
        return "<lifelines.AalenJohansenFitter>"
