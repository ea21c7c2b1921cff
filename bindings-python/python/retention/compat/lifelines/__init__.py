"""``lifelines`` names for right-censored survival analysis, on the Rust core.

``KaplanMeierFitter``, ``NelsonAalenFitter`` and ``CoxPHFitter`` take the
arguments of lifelines 0.30 that make sense without entry times, weights or
strata, and expose the same attributes (``survival_function_``,
``confidence_interval_``, ``median_survival_time_``, ``event_table``,
``cumulative_hazard_``, ``params_``, ``summary``…), with lifelines' column
names. Arguments that lifelines accepts but this layer does not support
(``entry``, ``weights``, ``strata``…) raise ``NotImplementedError`` rather
than being ignored.
"""

from __future__ import annotations

from typing import Any, Dict, Iterable, List, Optional, Union

import numpy as np
import pandas as pd

from ... import _api, codes

__all__ = ["KaplanMeierFitter", "NelsonAalenFitter", "CoxPHFitter"]


def _unsupported(**options: Any) -> None:
    used = [k for k, v in options.items() if v is not None]
    if used:
        raise NotImplementedError(f"retention.compat.lifelines does not support {', '.join(used)}")


def _events(durations: Any, event_observed: Any) -> np.ndarray:
    if event_observed is None:
        return np.ones(np.shape(np.asarray(durations))[0], dtype=bool)
    return np.asarray(event_observed)


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


class CoxPHFitter:
    """Cox proportional hazards (Efron ties, Newton-Raphson in the core).

    ``penalizer`` is lifelines' L2 penalty ``½·penalizer·‖β‖²`` (``l1_ratio`` 0)."""

    def __init__(
        self, baseline_estimation_method: str = "breslow", penalizer: float = 0.0, strata: Any = None,
        l1_ratio: float = 0.0, alpha: float = 0.05, **kwargs: Any,
    ) -> None:
        _unsupported(strata=strata)
        if l1_ratio:
            raise NotImplementedError("retention.compat.lifelines supports only l1_ratio = 0")
        self.penalizer = penalizer
        self.alpha = alpha
        self.baseline_estimation_method = baseline_estimation_method

    def fit(
        self,
        df: pd.DataFrame,
        duration_col: Optional[str] = None,
        event_col: Optional[str] = None,
        show_progress: bool = False,
        initial_point: Any = None,
        strata: Any = None,
        weights_col: Optional[str] = None,
        cluster_col: Optional[str] = None,
        robust: bool = False,
        batch_mode: Any = None,
        timeline: Any = None,
        formula: Optional[str] = None,
        entry_col: Optional[str] = None,
        fit_options: Optional[Dict[str, Any]] = None,
    ) -> "CoxPHFitter":
        """Fits on every column of ``df`` except the duration and event columns."""
        _unsupported(strata=strata, weights_col=weights_col, cluster_col=cluster_col, formula=formula,
                     entry_col=entry_col, initial_point=initial_point)
        if robust:
            raise NotImplementedError("robust=True is not supported")
        if duration_col is None:
            raise TypeError("duration_col is required")
        data = df.copy()
        if event_col is None:
            event_col = "__event"
            data[event_col] = 1
        covariates = [c for c in data.columns if c not in (duration_col, event_col)]
        data = data[[duration_col, event_col] + covariates].astype(float)
        opts = fit_options or {}
        r = _api.cox_ph(
            data, duration_col, event_col, penalizer=float(self.penalizer),
            max_iterations=int(opts.get("max_steps", 50)), tolerance=float(opts.get("precision", 1e-9)),
        )
        self.duration_col, self.event_col = duration_col, event_col
        names = pd.Index(r["covariates"], name="covariate")
        self.params_ = pd.Series(r["coefficients"], index=names, name="coef")
        self.standard_errors_ = pd.Series(r["standard_errors"], index=names, name="se")
        k = len(names)
        self.variance_matrix_ = pd.DataFrame(np.asarray(r["variance_matrix"], float).reshape(k, k), index=names, columns=names)
        self.log_likelihood_ = float(r["log_likelihood"])
        self._ll_null_ = float(r["null_log_likelihood"])
        self.concordance_index_ = float(r["concordance"] if r["concordance"] is not None else np.nan)
        self._z = np.asarray(r["z"], float)
        self._p = np.asarray(r["p_values"], float)
        self._norm_mean = data[covariates].mean(axis=0)
        self.hazard_ratios_ = pd.Series(np.exp(self.params_.to_numpy()), index=names, name="exp(coef)")
        self._n_examples = int(r["n_observations"])
        self.AIC_partial_ = float(r["aic_partial"])
        return self

    @property
    def summary(self) -> pd.DataFrame:
        """coef, exp(coef), se(coef), bounds, cmp to, z, p, -log2(p) per covariate."""
        from statistics import NormalDist

        z_crit = NormalDist().inv_cdf(1 - self.alpha / 2)
        ci = 100 * (1 - self.alpha)
        level = f"{ci:g}%"
        coef, se = self.params_.to_numpy(), self.standard_errors_.to_numpy()
        df = pd.DataFrame(index=self.params_.index)
        df["coef"] = coef
        df["exp(coef)"] = np.exp(coef)
        df["se(coef)"] = se
        df[f"coef lower {level}"] = coef - z_crit * se
        df[f"coef upper {level}"] = coef + z_crit * se
        df[f"exp(coef) lower {level}"] = np.exp(coef - z_crit * se)
        df[f"exp(coef) upper {level}"] = np.exp(coef + z_crit * se)
        df["cmp to"] = 0.0
        df["z"] = self._z
        df["p"] = self._p
        with np.errstate(divide="ignore"):
            df["-log2(p)"] = -np.log2(self._p)
        return df

    def print_summary(self) -> None:
        """Prints :attr:`summary`."""
        print(self.summary)

    def _design(self, X: Any) -> pd.DataFrame:
        if isinstance(X, pd.Series):
            X = X.to_frame().T
        if not isinstance(X, pd.DataFrame):
            X = pd.DataFrame(np.atleast_2d(np.asarray(X, float)), columns=self.params_.index)
        return X[list(self.params_.index)].astype(float)

    def predict_log_partial_hazard(self, X: Any) -> pd.Series:
        """``(x − mean_train)·β`` per row, as lifelines."""
        X = self._design(X)
        return pd.Series((X - self._norm_mean).to_numpy() @ self.params_.to_numpy(), index=X.index)

    def predict_partial_hazard(self, X: Any) -> pd.Series:
        """``exp((x − mean_train)·β)`` per row, as lifelines."""
        return np.exp(self.predict_log_partial_hazard(X))
