"""lifelines' univariate parametric fitters on the Rust core.

``ExponentialFitter``, ``WeibullFitter``, ``LogNormalFitter``,
``LogLogisticFitter`` and ``PiecewiseExponentialFitter`` fit right-censored
durations (with case ``weights`` and ``entry`` times) by maximum likelihood
in lifelines' parametrisation; the core computes the estimates, the
covariance, the curves and their delta-method bounds, and this module
arranges them as lifelines' DataFrames.
"""

from __future__ import annotations

from typing import Any, List, Mapping, Optional, Sequence, Tuple, cast

import numpy as np
import pandas as pd

from ... import _retention, codes
from ..._frames import to_arrow_array
from ._common import _column, _flags, _nan_checked
from ._univariate import _plot


def _arrow(values: Any, name: str) -> Any:
    return to_arrow_array(np.ascontiguousarray(values), name)


def _summary_frame(rows: Sequence[Mapping[str, Any]], index: Any, alpha: float) -> pd.DataFrame:
    """lifelines' summary columns from the core's Wald rows (``ParameterSummary`` dicts)."""
    level = "%g%%" % (100 * (1 - alpha))
    table = pd.DataFrame.from_records(list(rows), columns=list(_SUMMARY_COLUMNS))
    df = table.rename(columns=_SUMMARY_COLUMNS).set_axis(index, axis=0)
    df = df.rename(columns={"coef lower": f"coef lower {level}", "coef upper": f"coef upper {level}"}).astype(float)
    with np.errstate(divide="ignore"):
        df["-log2(p)"] = -np.log2(df["p"].to_numpy())
    return df


#: The core's summary fields and lifelines' column names, in lifelines' order.
_SUMMARY_COLUMNS = {"estimate": "coef", "std_error": "se(coef)", "lower": "coef lower", "upper": "coef upper",
                    "compare_to": "cmp to", "z": "z", "p_value": "p"}


def _format_summary(head: List[Tuple[str, Any]], table: pd.DataFrame, foot: List[Tuple[str, Any]],
                    decimals: int) -> str:
    width = max(len(k) for k, _ in head + foot)
    lines = [f"{k.rjust(width)} = {v}" for k, v in head]
    lines += ["", table.to_string(float_format=lambda v: "{:.{p}f}".format(v, p=decimals)), ""]
    lines += [f"{k.rjust(width)} = {v}" for k, v in foot]
    return "\n".join(lines)


class _ParametricUnivariateFitter:
    """Shared fit and prediction code; subclasses name the model."""

    _CLASS = ""
    _FAMILY: Optional[str] = None

    def __init__(self, alpha: float = 0.05, label: Optional[str] = None) -> None:
        if not 0 < alpha < 1:
            raise ValueError("alpha parameter must be between 0 and 1.")
        self.alpha = alpha
        self._label = label
        self._class_name = type(self).__name__
        self._censoring_type = "right"

    @property
    def label(self) -> Optional[str]:
        """The curve's label (column name)."""
        return self._label

    # --- fitting -------------------------------------------------------
    def _core_fit(self, d: Any, e: Any, kwargs: Any) -> Any:
        return _retention.ParametricFit.fit(cast(codes.ParametricFamily, self._FAMILY), d, e, **kwargs)

    def fit(
        self,
        durations: Any,
        event_observed: Any = None,
        timeline: Any = None,
        label: Optional[str] = None,
        alpha: Optional[float] = None,
        ci_labels: Optional[List[str]] = None,
        show_progress: bool = False,
        entry: Any = None,
        weights: Any = None,
        initial_point: Any = None,
        fit_options: Any = None,
    ) -> Any:
        """Fits the model to right-censored durations (``initial_point`` and
        ``fit_options`` raise ``NotImplementedError``: the core's Newton
        iteration has its own start and tolerance)."""
        if initial_point is not None or fit_options is not None:
            name = "initial_point" if initial_point is not None else "fit_options"
            raise NotImplementedError(f"retention.compat.lifelines {self._CLASS} does not support {name}")
        d = _column(durations, "durations")
        n = d.shape[0]
        e = _flags(event_observed, n)
        w = None if weights is None else _column(weights, "weights", n)
        a = None if entry is None else _column(entry, "entry", n)
        kwargs = {}
        if w is not None:
            kwargs["weights"] = _arrow(w, "weights")
        if a is not None:
            kwargs["entry"] = _arrow(a, "entry")
        self._fit = _nan_checked(lambda: self._core_fit(_arrow(d, "durations"), _arrow(e, "event_observed"), kwargs))
        self.durations, self.event_observed = d, np.asarray(e, dtype=bool).astype(int)
        self.entry = a if a is not None else np.zeros(n)
        self.weights = w if w is not None else np.ones(n)
        if alpha is not None:
            self.alpha = alpha
        if label is not None:
            self._label = label
        if self._label is None:
            self._label = self._CLASS.replace("Fitter", "") + "_estimate"
        self._ci_labels = ci_labels
        if timeline is not None:
            self.timeline = np.sort(np.asarray(timeline, dtype=float))
        else:
            self.timeline = np.linspace(d.min(), d.max(), min(n, 500))
        self._result = self._fit.result()
        names = list(self._result["parameter_names"])
        self._fitted_parameter_names = names
        self._fitted_parameters_ = np.asarray(self._result["params"], dtype=float)
        for name, value in zip(names, self._fitted_parameters_):
            setattr(self, name, float(value))
        k = len(names)
        self.variance_matrix_ = pd.DataFrame(np.asarray(self._result["covariance"]).reshape(k, k), index=names,
                                             columns=names)
        self.log_likelihood_ = self._result["log_likelihood"]
        self.survival_function_ = self.survival_function_at_times(self.timeline).to_frame()
        self.cumulative_hazard_ = self.cumulative_hazard_at_times(self.timeline).to_frame()
        self.hazard_ = self.hazard_at_times(self.timeline).to_frame()
        self.density_ = self.density_at_times(self.timeline).to_frame()
        self.cumulative_density_ = self.cumulative_density_at_times(self.timeline).to_frame()
        return self

    #: lifelines' name of ``fit`` for right-censored data.
    fit_right_censoring = fit

    def fit_left_censoring(self, *args: Any, **kwargs: Any) -> Any:
        """Not supported: raises ``NotImplementedError``."""
        raise NotImplementedError(f"retention.compat.lifelines {self._CLASS} does not support fit_left_censoring")

    def fit_interval_censoring(self, *args: Any, **kwargs: Any) -> Any:
        """Not supported: raises ``NotImplementedError``."""
        raise NotImplementedError(
            f"retention.compat.lifelines {self._CLASS} does not support fit_interval_censoring")

    # --- results -------------------------------------------------------
    @property
    def params_(self) -> pd.Series:
        """Estimates, indexed by lifelines' parameter names."""
        return pd.Series(self._fitted_parameters_, index=self._fitted_parameter_names, name="coef")

    @property
    def AIC_(self) -> float:
        """``-2 log L + 2 k``."""
        return float(self._result["aic"])

    @property
    def BIC_(self) -> float:
        """``-2 log L + k log n`` (``n`` rows)."""
        return float(self._result["bic"])

    @property
    def median_survival_time_(self) -> float:
        """The time at which the survival function is 1/2."""
        return float(self._result["median"])

    @property
    def summary(self) -> pd.DataFrame:
        """coef, se(coef), Wald bounds, cmp to, z, p, -log2(p) per parameter."""
        return _summary_frame(self._fit.summary(self.alpha), self._fitted_parameter_names, self.alpha)

    def percentile(self, p: float) -> float:
        """The time at which the survival function equals ``p``."""
        return float(self._fit.percentile(float(p)))

    def _at(self, method: Any, times: Any, label: Optional[str]) -> pd.Series:
        t = np.atleast_1d(np.asarray(times, dtype=float))
        values = np.asarray(method(_arrow(t, "times")), dtype=float)
        return pd.Series(values, index=t, name=label if label is not None else self._label)

    def survival_function_at_times(self, times: Any, label: Optional[str] = None) -> pd.Series:
        """``S(t)`` at the given times."""
        return self._at(self._fit.survival, times, label)

    def cumulative_hazard_at_times(self, times: Any, label: Optional[str] = None) -> pd.Series:
        """``H(t)`` at the given times."""
        return self._at(self._fit.cumulative_hazard, times, label)

    def hazard_at_times(self, times: Any, label: Optional[str] = None) -> pd.Series:
        """``h(t)`` at the given times."""
        return self._at(self._fit.hazard, times, label)

    def density_at_times(self, times: Any, label: Optional[str] = None) -> pd.Series:
        """``f(t)`` at the given times."""
        return self._at(self._fit.density, times, label)

    def cumulative_density_at_times(self, times: Any, label: Optional[str] = None) -> pd.Series:
        """``1 - S(t)`` at the given times."""
        s = self.survival_function_at_times(times, label)
        return 1 - s

    def predict(self, times: Any, interpolate: bool = False) -> Any:
        """``S(t)``: a float for a scalar time, a Series otherwise."""
        if interpolate:
            raise NotImplementedError("retention.compat.lifelines predict does not support interpolate=True")
        s = self.survival_function_at_times(times)
        return float(s.iloc[0]) if np.ndim(times) == 0 else s

    def _bounds(self, method: Any) -> pd.DataFrame:
        lo, hi = method(_arrow(self.timeline, "times"), self.alpha)
        labels = self._ci_labels or ["%s_lower_%g" % (self._label, 1 - self.alpha),
                                     "%s_upper_%g" % (self._label, 1 - self.alpha)]
        return pd.DataFrame({labels[0]: np.asarray(lo), labels[1]: np.asarray(hi)}, index=self.timeline)

    @property
    def confidence_interval_(self) -> pd.DataFrame:
        """Delta-method Wald bounds of the cumulative hazard on the timeline."""
        return self._bounds(self._fit.cumulative_hazard_interval)

    @property
    def confidence_interval_cumulative_hazard_(self) -> pd.DataFrame:
        """Alias of :attr:`confidence_interval_`."""
        return self.confidence_interval_

    @property
    def confidence_interval_survival_function_(self) -> pd.DataFrame:
        """Delta-method Wald bounds of the survival function on the timeline."""
        return self._bounds(self._fit.survival_interval)

    @property
    def confidence_interval_hazard_(self) -> pd.DataFrame:
        """Delta-method Wald bounds of the hazard on the timeline."""
        return self._bounds(self._fit.hazard_interval)

    @property
    def confidence_interval_density_(self) -> pd.DataFrame:
        """Delta-method Wald bounds of the density on the timeline."""
        return self._bounds(self._fit.density_interval)

    @property
    def confidence_interval_cumulative_density_(self) -> pd.DataFrame:
        """Delta-method Wald bounds of the cumulative density on the timeline."""
        return self._bounds(self._fit.cumulative_density_interval)

    @property
    def conditional_time_to_event_(self) -> pd.DataFrame:
        """Median remaining time to the event given survival to each timeline
        point, on the survival function tabulated on the timeline (as
        lifelines computes it for every univariate fitter)."""
        sf = self.survival_function_
        values = _retention.step_conditional_time_to_event(_arrow(sf.index.to_numpy(dtype=float), "times"),
                                                           _arrow(sf.iloc[:, 0].to_numpy(dtype=float), "values"))
        name = f"{self._label} - Conditional median duration remaining to event"
        return pd.DataFrame({name: np.asarray(values, dtype=float)}, index=sf.index)

    def _union(self, other: "_ParametricUnivariateFitter") -> Tuple[np.ndarray, np.ndarray, np.ndarray]:
        times = np.unique(np.concatenate((np.asarray(self.timeline, float), np.asarray(other.timeline, float))))
        return (times, self.cumulative_hazard_at_times(times).to_numpy(),
                other.cumulative_hazard_at_times(times).to_numpy())

    def subtract(self, other: "_ParametricUnivariateFitter") -> pd.DataFrame:
        """This model's cumulative hazard minus ``other``'s at every time of
        both timelines (column ``diff``). lifelines carries each tabulated
        curve forward instead (NaN before a curve's first time); the models
        are evaluated exactly here."""
        t, a, b = self._union(other)
        return pd.DataFrame({"diff": a - b}, index=t)

    def divide(self, other: "_ParametricUnivariateFitter") -> pd.DataFrame:
        """This model's cumulative hazard divided by ``other``'s at every time
        of both timelines (column ``ratio``; see :meth:`subtract`)."""
        t, a, b = self._union(other)
        with np.errstate(divide="ignore", invalid="ignore"):
            return pd.DataFrame({"ratio": a / b}, index=t)

    def plot_survival_function(self, ax: Any = None, ci_show: bool = True, **kwargs: Any) -> Any:
        """Line plot of ``S(t)`` on the timeline with its band (needs matplotlib)."""
        return _plot(self.survival_function_, self.confidence_interval_survival_function_, ax, ci_show, False,
                     **kwargs)

    def plot_cumulative_hazard(self, ax: Any = None, ci_show: bool = True, **kwargs: Any) -> Any:
        """Line plot of ``H(t)`` on the timeline with its band (needs matplotlib)."""
        return _plot(self.cumulative_hazard_, self.confidence_interval_cumulative_hazard_, ax, ci_show, False,
                     **kwargs)

    def plot_hazard(self, ax: Any = None, ci_show: bool = True, **kwargs: Any) -> Any:
        """Line plot of ``h(t)`` on the timeline with its band (needs matplotlib)."""
        return _plot(self.hazard_, self.confidence_interval_hazard_, ax, ci_show, False, **kwargs)

    def plot_density(self, ax: Any = None, ci_show: bool = True, **kwargs: Any) -> Any:
        """Line plot of ``f(t)`` on the timeline with its band (needs matplotlib)."""
        return _plot(self.density_, self.confidence_interval_density_, ax, ci_show, False, **kwargs)

    def plot_cumulative_density(self, ax: Any = None, ci_show: bool = True, **kwargs: Any) -> Any:
        """Line plot of ``1 - S(t)`` on the timeline with its band (needs matplotlib)."""
        return _plot(self.cumulative_density_, self.confidence_interval_cumulative_density_, ax, ci_show, False,
                     **kwargs)

    #: lifelines' ``plot`` draws the cumulative hazard of a parametric fitter.
    plot = plot_cumulative_hazard

    def print_summary(self, decimals: int = 2, style: Optional[str] = None, **kwargs: Any) -> None:
        """Prints the model, :attr:`summary` and AIC as text (``style="ascii"`` only)."""
        if style not in (None, "ascii"):
            raise NotImplementedError(f"retention.compat.lifelines print_summary supports style='ascii' only, "
                                      f"not {style!r}")
        head: List[Tuple[str, Any]] = [
            ("model", f"lifelines.{self._CLASS}"),
            ("number of observations", "{:g}".format(self.weights.sum())),
            ("number of events observed", "{:g}".format(self.weights[self.event_observed > 0].sum())),
            ("log-likelihood", "{:.{p}f}".format(self.log_likelihood_, p=decimals)),
        ]
        head += list(kwargs.items())
        foot = [("AIC", "{:.{p}f}".format(self.AIC_, p=decimals))]
        print(_format_summary(head, self.summary, foot, decimals))

    def __repr__(self) -> str:
        if hasattr(self, "_fit"):
            return f"<lifelines.{self._class_name}:\"{self._label}\", fitted with {self.weights.sum():g} total " \
                   f"observations, {(self.weights * (1 - self.event_observed)).sum():g} right-censored observations>"
        return f"<lifelines.{self._class_name}>"


class WeibullFitter(_ParametricUnivariateFitter):
    """Weibull model ``H(t) = (t / lambda_) ** rho_``, as lifelines' ``WeibullFitter``.

    Examples
    --------
    >>> from retention.compat.lifelines import WeibullFitter
    >>> wf = WeibullFitter().fit([2.0, 3.0, 5.0, 7.0, 11.0], [1, 1, 0, 1, 0])
    >>> round(float(wf.survival_function_at_times(wf.median_survival_time_).iloc[0]), 12)
    0.5
    """

    _CLASS = "WeibullFitter"
    _FAMILY = "weibull"


class LogNormalFitter(_ParametricUnivariateFitter):
    """Log-normal model ``S(t) = 1 - Phi((log t - mu_) / sigma_)``, as lifelines.

    Examples
    --------
    >>> import math
    >>> from retention.compat.lifelines import LogNormalFitter
    >>> lnf = LogNormalFitter().fit([2.0, 3.0, 5.0, 7.0, 11.0], [1, 1, 1, 1, 1])
    >>> bool(abs(lnf.median_survival_time_ - math.exp(lnf.mu_)) < 1e-9)
    True
    """

    _CLASS = "LogNormalFitter"
    _FAMILY = "log_normal"


class LogLogisticFitter(_ParametricUnivariateFitter):
    """Log-logistic model ``S(t) = 1 / (1 + (t / alpha_) ** beta_)``, as lifelines.

    Examples
    --------
    >>> from retention.compat.lifelines import LogLogisticFitter
    >>> llf = LogLogisticFitter().fit([2.0, 3.0, 5.0, 7.0, 11.0], [1, 1, 0, 1, 1])
    >>> bool(abs(llf.median_survival_time_ - llf.alpha_) < 1e-9)
    True
    """

    _CLASS = "LogLogisticFitter"
    _FAMILY = "log_logistic"


class ExponentialFitter(_ParametricUnivariateFitter):
    """Exponential model ``H(t) = t / lambda_`` (closed form ``lambda_ = sum(t) / sum(events)``).

    Examples
    --------
    >>> from retention.compat.lifelines import ExponentialFitter
    >>> ExponentialFitter().fit([2.0, 3.0, 5.0, 7.0, 11.0], [1, 1, 0, 1, 0]).lambda_
    9.333333333333334
    """

    _CLASS = "ExponentialFitter"

    def _core_fit(self, d: Any, e: Any, kwargs: Any) -> Any:
        return _retention.ParametricFit.fit_exponential(d, e, **kwargs)


class PiecewiseExponentialFitter(_ParametricUnivariateFitter):
    """Piecewise-constant hazard ``1 / lambda_i_`` between ``breakpoints``, as lifelines.

    An event exactly at a breakpoint counts in the interval that ends there
    (lifelines splits its hazard between the two intervals).

    Examples
    --------
    >>> from retention.compat.lifelines import PiecewiseExponentialFitter
    >>> pf = PiecewiseExponentialFitter([4.0]).fit([2.0, 3.0, 5.0, 7.0, 11.0], [1, 1, 0, 1, 1])
    >>> [round(v, 6) for v in pf.params_]
    [8.5, 5.5]
    """

    _CLASS = "PiecewiseExponentialFitter"

    def __init__(self, breakpoints: Any, alpha: float = 0.05, label: Optional[str] = None) -> None:
        super().__init__(alpha=alpha, label=label)
        if breakpoints is None or len(list(breakpoints)) == 0:
            raise ValueError("Breakpoints must be provided.")
        self.breakpoints = np.sort(np.asarray(breakpoints, dtype=float))

    def _core_fit(self, d: Any, e: Any, kwargs: Any) -> Any:
        return _retention.ParametricFit.fit_piecewise_exponential([float(b) for b in self.breakpoints], d, e,
                                                                  **kwargs)
