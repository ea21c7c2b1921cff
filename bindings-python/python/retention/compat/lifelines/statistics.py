"""``lifelines.statistics`` names on the Rust core: the log-rank family
(with lifelines' ``weightings``, ``t_0`` and case weights), pairwise
log-rank tests, and the fixed-point comparison of two Kaplan-Meier curves."""

from __future__ import annotations

import warnings
from typing import Any, Dict, List, Optional

import numpy as np
import pandas as pd

from ... import _retention
from ..._frames import to_arrow_array

from ._common import _events

__all__ = [
    "StatisticalResult",
    "logrank_test",
    "multivariate_logrank_test",
    "pairwise_logrank_test",
    "proportional_hazard_test",
    "survival_difference_at_fixed_point_in_time_test",
]


def _format_p(decimals: int) -> Any:
    threshold = 0.5 * 10 ** (-decimals)
    return lambda p: f"<{threshold}" if p < threshold else f"{p:4.{decimals}f}"


class StatisticalResult:
    """Result of one or several tests, as lifelines' ``StatisticalResult``.

    Parameters
    ----------
    p_value, test_statistic : float or sequence of float
        The p-value(s) and statistic(s), of equal length.
    name : optional
        One name per result (tuples give a MultiIndex in :attr:`summary`).
    test_name : str, optional
        Name of the test.
    **kwargs
        Extra information, set as attributes and shown by :meth:`to_ascii`.

    Examples
    --------
    >>> from retention.compat.lifelines.statistics import StatisticalResult
    >>> r = StatisticalResult(0.05, 3.84, test_name="my_test", degrees_of_freedom=1)
    >>> r.summary.round(2)
       test_statistic     p  -log2(p)
    0            3.84  0.05      4.32
    """

    def __init__(self, p_value: Any, test_statistic: Any, name: Any = None, test_name: Optional[str] = None,
                 **kwargs: Any) -> None:
        self.p_value = p_value
        self.test_statistic = test_statistic
        self.test_name = test_name
        self._p_value = np.atleast_1d(np.asarray(p_value, dtype=float))
        self._test_statistic = np.atleast_1d(np.asarray(test_statistic, dtype=float))
        if len(self._p_value) != len(self._test_statistic):
            raise ValueError("p_value and test_statistic must have the same length")
        self.name: Optional[List[Any]] = None
        if name is not None:
            self.name = name if isinstance(name, list) else [name]
            if len(self.name) != len(self._test_statistic):
                raise ValueError("name must have one entry per test")
        for key, value in kwargs.items():
            setattr(self, key, value)
        self._kwargs: Dict[str, Any] = {**kwargs, "test_name": test_name}

    @property
    def summary(self) -> pd.DataFrame:
        """``test_statistic``, ``p`` and ``-log2(p)``, one row per test (sorted by name)."""
        index: Any = self.name
        if self.name and isinstance(self.name[0], tuple):
            index = pd.MultiIndex.from_tuples(self.name)
        df = pd.DataFrame({"test_statistic": self._test_statistic, "p": self._p_value}, index=index).sort_index()
        with np.errstate(divide="ignore"):
            df["-log2(p)"] = -np.log2(df["p"])
        return df

    def to_ascii(self, decimals: int = 2, **kwargs: Any) -> str:
        """The header (test name and extra information) and :attr:`summary` as text."""
        meta = {**self._kwargs, **kwargs}
        width = max(len(k) for k in meta)
        s = f"<lifelines.StatisticalResult: {self.test_name}>\n"
        s += "".join(f"{k.rjust(width)} = {v}\n" for k, v in meta.items()) + "\n---\n"
        return s + self.summary.to_string(
            float_format=lambda f: f"{f:4.{decimals}f}", index=self.name is not None,
            formatters={"p": _format_p(decimals)},
        )

    def to_html(self, decimals: int = 2, **kwargs: Any) -> str:
        """The header and :attr:`summary` as HTML tables."""
        meta = {**self._kwargs, **kwargs}
        header = pd.DataFrame.from_records(list(meta.items())).set_index(0)
        return header.to_html(header=False, notebook=True, index_names=False) + self.summary.to_html(
            float_format=lambda f: f"{f:4.{decimals}f}", formatters={"p": _format_p(decimals)}
        )

    def to_latex(self, decimals: int = 2, **kwargs: Any) -> str:
        """:attr:`summary` as LaTeX (needs jinja2, like pandas' ``Styler``)."""
        return self.summary.style.format(precision=decimals).to_latex()

    def print_summary(self, decimals: int = 2, style: Optional[str] = None, **kwargs: Any) -> None:
        """Prints the result: ``style`` ``"ascii"`` (the default here), ``"html"`` or ``"latex"``."""
        render = {None: self.to_ascii, "ascii": self.to_ascii, "html": self.to_html, "latex": self.to_latex}
        if style not in render:
            raise ValueError("style not available.")
        print(render[style](decimals, **kwargs))

    def __add__(self, other: "StatisticalResult") -> "StatisticalResult":
        return StatisticalResult(
            np.r_[self._p_value, other._p_value], np.r_[self._test_statistic, other._test_statistic],
            name=(self.name or []) + (other.name or []), **{**self._kwargs, **other._kwargs},
        )

    def __repr__(self) -> str:
        return self.to_ascii()


_WEIGHTINGS = {
    None: (None, "logrank"),
    "wilcoxon": ("wilcoxon", "Wilcoxon"),
    "tarone-ware": ("tarone_ware", "Tarone-Ware"),
    "peto": ("peto", "Peto"),
    "fleming-harrington": ("fleming_harrington", "Flemington-Harrington"),
}


def _options(weightings: Any, t_0: Any, kwargs: Dict[str, Any]) -> Dict[str, Any]:
    """The core's options from lifelines' arguments; checks ``p``/``q`` as lifelines does."""
    if weightings not in _WEIGHTINGS:
        raise ValueError("Invalid value for weightings.")
    options: Dict[str, Any] = {"weighting": _WEIGHTINGS[weightings][0]}
    if weightings == "fleming-harrington":
        for k in ("p", "q"):
            if k not in kwargs:
                raise ValueError(f"Must provide keyword argument {k} for Flemington-Harrington test statistic")
            if kwargs[k] < 0:
                raise ValueError(f"{k} must be non-negative.")
            options[k] = float(kwargs[k])
    if int(t_0) != -1:
        options["t_0"] = float(t_0)
    return options


def _test_name(base: str, weightings: Any) -> str:
    return base.replace("logrank", _WEIGHTINGS[weightings][1])


def _codes(groups: Any) -> Any:
    codes, labels = pd.factorize(pd.Series(np.asarray(groups).ravel()), sort=True)
    return codes.astype(np.int64), labels


def _weights_arrow(weights: Any) -> Any:
    return None if weights is None else to_arrow_array(np.asarray(weights, dtype=float).ravel(), "weights")


def multivariate_logrank_test(
    event_durations: Any, groups: Any, event_observed: Any = None, weights: Any = None, t_0: float = -1,
    weightings: Optional[str] = None, **kwargs: Any,
) -> StatisticalResult:
    """Log-rank test (or weighted variant) of equal hazards across any number of groups.

    Examples
    --------
    >>> from retention.compat.lifelines.statistics import multivariate_logrank_test
    >>> r = multivariate_logrank_test([5, 3, 9, 8, 7, 4, 4, 3, 2, 5, 6, 7], [0] * 4 + [1] * 5 + [2] * 3,
    ...                               [1, 1, 1, 1, 1, 1, 0, 0, 1, 1, 1, 0])
    >>> r.degrees_of_freedom, round(r.test_statistic, 4)
    (2, 1.08)
    """
    options = _options(weightings, t_0, kwargs)
    test_name = _test_name(kwargs.pop("test_name", "multivariate_logrank_test"), weightings)
    durations = np.asarray(event_durations, dtype=float).ravel()
    codes, _ = _codes(groups)
    r = _retention.weighted_logrank_test(
        to_arrow_array(durations, "event_durations"), to_arrow_array(codes, "groups"),
        to_arrow_array(np.asarray(_events(durations, event_observed)).ravel(), "event_observed"),
        _weights_arrow(weights), **options,
    )
    return StatisticalResult(
        r["p_value"], r["test_statistic"], t_0=t_0, null_distribution="chi squared",
        degrees_of_freedom=r["degrees_of_freedom"], test_name=test_name, **kwargs,
    )


def logrank_test(
    durations_A: Any, durations_B: Any, event_observed_A: Any = None, event_observed_B: Any = None,
    t_0: float = -1, weights_A: Any = None, weights_B: Any = None, weightings: Optional[str] = None, **kwargs: Any,
) -> StatisticalResult:
    """Two-group log-rank test (or weighted variant), lifelines' arguments.

    Examples
    --------
    >>> from retention.compat.lifelines.statistics import logrank_test
    >>> r = logrank_test([1, 4, 10, 12, 12, 3, 5.4], [4, 5, 7, 11, 14, 20, 8, 8], [1, 0, 1, 0, 1, 1, 1], [1] * 8)
    >>> round(r.p_value, 4), round(r.test_statistic, 4)
    (0.7677, 0.0873)
    """
    a = np.asarray(durations_A, dtype=float).ravel()
    b = np.asarray(durations_B, dtype=float).ravel()
    weights = None
    if weights_A is not None or weights_B is not None:
        wa = np.ones(len(a)) if weights_A is None else np.asarray(weights_A, dtype=float).ravel()
        wb = np.ones(len(b)) if weights_B is None else np.asarray(weights_B, dtype=float).ravel()
        weights = np.r_[wa, wb]
    events = np.r_[np.asarray(_events(a, event_observed_A)).ravel(), np.asarray(_events(b, event_observed_B)).ravel()]
    groups = np.r_[np.zeros(len(a), dtype=np.int64), np.ones(len(b), dtype=np.int64)]
    kwargs.setdefault("test_name", "logrank_test")
    return multivariate_logrank_test(np.r_[a, b], groups, events, weights=weights, t_0=t_0,
                                     weightings=weightings, **kwargs)


def pairwise_logrank_test(
    event_durations: Any, groups: Any, event_observed: Any = None, t_0: float = -1,
    weightings: Optional[str] = None, **kwargs: Any,
) -> StatisticalResult:
    """The two-group test for every pair of groups; :attr:`StatisticalResult.summary` is
    indexed by the pairs (a MultiIndex), as in lifelines.

    Examples
    --------
    >>> from retention.compat.lifelines.statistics import pairwise_logrank_test
    >>> r = pairwise_logrank_test([5, 3, 9, 8, 7, 4, 4, 3, 2, 5, 6, 7], list("aaaabbbbbccc"))
    >>> list(r.summary.index)
    [('a', 'b'), ('a', 'c'), ('b', 'c')]
    """
    options = _options(weightings, t_0, kwargs)
    durations = np.asarray(event_durations, dtype=float).ravel()
    codes, labels = _codes(groups)
    pairs = _retention.pairwise_logrank_test(
        to_arrow_array(durations, "event_durations"), to_arrow_array(codes, "groups"),
        to_arrow_array(np.asarray(_events(durations, event_observed)).ravel(), "event_observed"), None, **options,
    )
    names = [(labels[r["a"]], labels[r["b"]]) for r in pairs]
    return StatisticalResult(
        [r["test"]["p_value"] for r in pairs], [r["test"]["test_statistic"] for r in pairs], name=names,
        test_name=_test_name("logrank_test", weightings), t_0=t_0, null_distribution="chi squared",
        degrees_of_freedom=1, **kwargs,
    )


def _km_data(fitter: Any, which: str) -> Any:
    """Durations and events of a fitted Kaplan-Meier fitter (this package's or lifelines')."""
    if type(fitter).__name__ != "KaplanMeierFitter" or not hasattr(fitter, "durations"):
        raise NotImplementedError(
            f"{which}: retention.compat.lifelines supports fitted KaplanMeierFitter objects only")
    censoring = getattr(fitter, "_censoring_type", "right")
    if getattr(censoring, "value", censoring) != "right":
        raise NotImplementedError(f"{which}: a {getattr(censoring, 'value', censoring)}-censored Kaplan-Meier fit "
                                  "is not supported (right-censored fits only)")
    for attr in ("entry", "weights"):
        value = getattr(fitter, attr, None)
        if value is not None and not (attr == "weights" and np.all(np.asarray(value) == 1)) and \
                not (attr == "entry" and np.all(np.asarray(value) == 0)):
            raise NotImplementedError(f"{which}: a Kaplan-Meier fit with {attr} is not supported")
    d = np.asarray(fitter.durations, dtype=float).ravel()
    return to_arrow_array(d, "durations"), to_arrow_array(np.asarray(fitter.event_observed).ravel(), "event_observed")


def survival_difference_at_fixed_point_in_time_test(
    point_in_time: float, fitterA: Any, fitterB: Any, **result_kwargs: Any
) -> StatisticalResult:
    """Compares two Kaplan-Meier curves at ``point_in_time`` on the log(-log) scale
    (Klein et al. 2007), as lifelines.

    Examples
    --------
    >>> from retention.compat.lifelines import KaplanMeierFitter
    >>> from retention.compat.lifelines.statistics import survival_difference_at_fixed_point_in_time_test
    >>> a = KaplanMeierFitter().fit([1, 4, 10, 12, 12, 3, 5.4], [1, 0, 1, 0, 1, 1, 1])
    >>> b = KaplanMeierFitter().fit([4, 5, 7, 11, 14, 20, 8, 8], [1] * 8)
    >>> round(survival_difference_at_fixed_point_in_time_test(12.0, a, b).p_value, 2)
    0.77
    """
    da, ea = _km_data(fitterA, "fitterA")
    db, eb = _km_data(fitterB, "fitterB")
    r = _retention.survival_difference_at_fixed_point_in_time_test(float(point_in_time), da, ea, db, eb)
    return StatisticalResult(
        r["p_value"], r["test_statistic"], null_distribution="chi squared", degrees_of_freedom=1,
        point_in_time=point_in_time, test_name="survival_difference_at_fixed_point_in_time_test",
        fitterA=fitterA, fitterB=fitterB, **result_kwargs,
    )


#: lifelines' time transforms, in its order ("all" runs every one): the
#: core's vocabulary ``cox_time_transform``.
_TIME_TRANSFORMS = list(_retention.vocabulary()["cox_time_transform"])


def proportional_hazard_test(fitted_cox_model: Any, training_df: pd.DataFrame, time_transform: Any = "rank",
                             precomputed_residuals: Any = None, **kwargs: Any) -> StatisticalResult:
    """Grambsch-Therneau test of proportional hazards for each covariate of a
    fitted ``CoxPHFitter``, from its scaled Schoenfeld residuals on
    ``training_df`` (lifelines' approximation, χ² with one degree of freedom).

    ``time_transform`` is ``"rank"``, ``"km"``, ``"identity"``, ``"log"``, a
    list of them or ``"all"``; a list gives one row per (covariate,
    transform). Callable transforms and ``precomputed_residuals`` are not
    supported (``NotImplementedError``).
    """
    if "transform" in kwargs:
        warnings.warn("Found 'transform' keyword being set. Did you mean to set 'time_transform' instead?",
                      UserWarning)
    if precomputed_residuals is not None:
        raise NotImplementedError("proportional_hazard_test does not support precomputed_residuals")
    if time_transform == "all":
        time_transform = list(_TIME_TRANSFORMS)
    names = list(time_transform) if isinstance(time_transform, list) else [time_transform]
    for name in names:
        if callable(name):
            raise NotImplementedError("proportional_hazard_test does not support a callable time_transform")
        if name not in _TIME_TRANSFORMS:
            raise ValueError(f"time_transform must be one of {_TIME_TRANSFORMS} or 'all', not {name!r}")
    covariates = fitted_cox_model.params_.index.tolist()
    common = dict(null_distribution="chi squared", degrees_of_freedom=1, model=str(fitted_cox_model), **kwargs)
    if not isinstance(time_transform, list):
        stat, p = fitted_cox_model._proportional_hazard_test(training_df, time_transform)
        return StatisticalResult(p, stat, name=covariates, test_name="proportional_hazard_test",
                                 time_transform=time_transform, **common)
    result = StatisticalResult([], [], [])
    for name in names:
        stat, p = fitted_cox_model._proportional_hazard_test(training_df, name)
        result += StatisticalResult(p, stat, name=[(c, name) for c in covariates],
                                    test_name="proportional_hazard_test", **common)
    return result
