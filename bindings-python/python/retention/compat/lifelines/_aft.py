"""lifelines' accelerated failure time fitters on the Rust core.

``WeibullAFTFitter``, ``LogNormalAFTFitter`` and ``LogLogisticAFTFitter``
fit right-censored data (with case weights, entry times, lifelines' L2
``penalizer`` and ``ancillary`` models) by Newton's method in the core;
this module selects the DataFrame columns and arranges the core's
results with lifelines' ``(param, covariate)`` index.
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Tuple, cast

import numpy as np
import pandas as pd

from ... import _retention, codes
from ._common import _event_flags, _formula_matrix, _nan_checked, _require_columns
from ._cox import _formulaic
from ._parametric import _arrow, _format_summary, _summary_frame


class _AFTFitter:
    """Shared AFT code; subclasses name the family and its parameters."""

    _CLASS = ""
    _FAMILY = ""
    _PRIMARY = ""
    _ANCILLARY = ""

    def __init__(self, alpha: float = 0.05, penalizer: float = 0.0, l1_ratio: float = 0.0,
                 fit_intercept: bool = True, model_ancillary: bool = False) -> None:
        self.alpha = alpha
        self.penalizer = penalizer
        self.l1_ratio = l1_ratio
        self.fit_intercept = fit_intercept
        self.model_ancillary = model_ancillary
        self._class_name = type(self).__name__
        self._censoring_type = "right"

    @property
    def _primary_parameter_name(self) -> str:
        """lifelines' name of the first parameter, e.g. ``lambda_``."""
        return self._PRIMARY

    @property
    def _ancillary_parameter_name(self) -> str:
        """lifelines' name of the second parameter, e.g. ``rho_``."""
        return self._ANCILLARY

    def _unsupported(self, name: str) -> None:
        raise NotImplementedError(f"retention.compat.lifelines {self._CLASS} does not support {name}")

    def fit(
        self,
        df: pd.DataFrame,
        duration_col: str,
        event_col: Optional[str] = None,
        ancillary: Any = None,
        fit_intercept: Optional[bool] = None,
        show_progress: bool = False,
        timeline: Any = None,
        weights_col: Optional[str] = None,
        robust: bool = False,
        initial_point: Any = None,
        entry_col: Optional[str] = None,
        formula: Optional[str] = None,
        fit_options: Any = None,
    ) -> Any:
        """Fits on every column of ``df`` except the duration, event, weights
        and entry columns. ``ancillary`` is ``None``/``False`` (intercept
        only), ``True`` (the same covariates) or a DataFrame of covariates
        for the second parameter; ``robust=True`` gives lifelines' sandwich
        standard errors; ``formula`` (formulaic's syntax) gives the primary
        parameter's covariates. ``initial_point``,
        ``fit_options``, a string ``ancillary``, ``l1_ratio > 0`` and array
        penalizers raise ``NotImplementedError``."""
        for name, used in [("initial_point", initial_point is not None),
                           ("fit_options", fit_options is not None),
                           ("l1_ratio > 0", self.l1_ratio > 0), ("ancillary formulas", isinstance(ancillary, str)),
                           ("array penalizers", np.ndim(self.penalizer) > 0)]:
            if used:
                self._unsupported(name)
        if fit_intercept is not None:
            self.fit_intercept = fit_intercept
        self.duration_col, self.event_col, self.weights_col, self.entry_col = (
            duration_col, event_col, weights_col, entry_col)
        special = [c for c in (duration_col, event_col, entry_col, weights_col) if c is not None]
        self.formula, self._model_spec = formula, None
        if formula is not None:
            # The primary parameter's covariates are the formula's design
            # matrix (without its intercept: ``fit_intercept`` adds one).
            covariates = df.drop(columns=special)
            self._model_spec = _formulaic().Formula(formula).get_model_matrix(covariates).model_spec
            df = pd.concat([df[special], _formula_matrix(self._model_spec, covariates)], axis=1)
        primary = [c for c in df.columns if c not in special]
        if formula is None:
            primary.sort()  # lifelines' order; a formula keeps its own
        if isinstance(ancillary, pd.DataFrame):
            self.model_ancillary = True
            if ancillary.shape[0] != df.shape[0]:
                raise ValueError("ancillary must be the same shape[0] as df")
            anc_cols = sorted(c for c in ancillary.columns if c not in special)
            extra = [c for c in anc_cols if c not in df.columns]
            df = pd.concat([df, ancillary[extra]], axis=1)
        elif ancillary is True or (ancillary is None and self.model_ancillary):
            self.model_ancillary = True
            anc_cols = list(primary)
        else:
            self.model_ancillary = False
            anc_cols = []
        self._primary_cols, self._ancillary_cols = primary, anc_cols
        _require_columns(df, duration_col=duration_col, event_col=event_col)
        n = df.shape[0]
        T = df[duration_col].astype(float)
        E = (pd.Series(_event_flags(df[event_col], event_col), index=df.index) if event_col is not None
             else pd.Series(np.ones(n, bool), index=df.index))
        W = df[weights_col].astype(float) if weights_col is not None else pd.Series(np.ones(n), index=df.index)
        A = df[entry_col].astype(float) if entry_col is not None else pd.Series(np.zeros(n), index=df.index)
        self._training = (_arrow(T.to_numpy(), "durations"), _arrow(E.to_numpy(), "event_observed"),
                          self._columns(df, primary), self._columns(df, anc_cols))
        self._fit = _nan_checked(lambda: _retention.AftFit.fit(
            cast(codes.ParametricFamily, self._FAMILY), *self._training,
            weights=_arrow(W.to_numpy(), "weights") if weights_col is not None else None,
            entry=_arrow(A.to_numpy(), "entry") if entry_col is not None else None,
            penalizer=float(self.penalizer), fit_intercept=bool(self.fit_intercept), robust=bool(robust),
        ))
        self.robust = bool(robust)
        self.durations, self.event_observed, self.weights, self.entry = T, E, W, A
        self._n_examples = n
        self.timeline = (np.sort(np.asarray(timeline, dtype=float)) if timeline is not None
                         else np.unique(T.to_numpy()))
        index = [(self._PRIMARY, c) for c in primary]
        if self.fit_intercept:
            index.append((self._PRIMARY, "Intercept"))
        index += [(self._ANCILLARY, c) for c in anc_cols]
        if self.fit_intercept or not anc_cols:
            index.append((self._ANCILLARY, "Intercept"))
        self._index = pd.MultiIndex.from_tuples(index, names=["param", "covariate"])
        #: lifelines' model description: each parameter's covariates (the
        #: formula for the primary parameter when one was given).
        self.regressors: Dict[str, Any] = {name: [c for q, c in index if q == name]
                                           for name in (self._PRIMARY, self._ANCILLARY)}
        if formula is not None:
            self.regressors[self._PRIMARY] = formula
        k = len(index)
        self._result = self._fit.result()
        self.params_ = pd.Series(np.asarray(self._result["coefficients"]), index=self._index, name="coef")
        self.variance_matrix_ = pd.DataFrame(np.asarray(self._result["covariance"]).reshape(k, k), index=self._index,
                                             columns=self._index)
        self.standard_errors_ = pd.Series(np.asarray(self._result["standard_errors"]), index=self._index, name="se")
        self.log_likelihood_ = self._result["log_likelihood"]
        self._ll_null = self._result["null_log_likelihood"]
        self._concordance: Optional[float] = None
        self._means = df[sorted(set(primary) | set(anc_cols))].astype(float).mean()
        return self

    #: lifelines' name of ``fit`` for right-censored data.
    fit_right_censoring = fit

    def fit_left_censoring(self, *args: Any, **kwargs: Any) -> Any:
        """Not supported: raises ``NotImplementedError``."""
        self._unsupported("fit_left_censoring")

    def fit_interval_censoring(self, *args: Any, **kwargs: Any) -> Any:
        """Not supported: raises ``NotImplementedError``."""
        self._unsupported("fit_interval_censoring")

    @staticmethod
    def _columns(df: pd.DataFrame, cols: List[str]) -> List[Any]:
        return [_arrow(df[c].to_numpy(dtype=float), c) for c in cols]

    def _design(self, df: Any, ancillary: Any) -> Tuple[List[Any], List[Any], Any]:
        if isinstance(df, pd.Series):
            df = df.to_frame().T.infer_objects()
        if not isinstance(df, pd.DataFrame):
            arr = np.atleast_2d(np.asarray(df, dtype=float))
            df = pd.DataFrame(arr, columns=self._primary_cols[: arr.shape[1]])
        elif self._model_spec is not None:
            df = _formula_matrix(self._model_spec, df)
        source = df
        if isinstance(ancillary, pd.DataFrame):
            source = pd.concat([df, ancillary[[c for c in ancillary.columns if c not in df.columns]]], axis=1)
        return self._columns(df, self._primary_cols), self._columns(source, self._ancillary_cols), df.index

    # --- results -------------------------------------------------------
    @property
    def concordance_index_(self) -> float:
        """Harrell's concordance of the predicted medians with the training durations."""
        if self._concordance is None:
            self._concordance = float(self._fit.concordance_index(*self._training))
        return self._concordance

    @property
    def summary(self) -> pd.DataFrame:
        """lifelines' columns: coef, exp(coef), se(coef), bounds, cmp to, z, p, -log2(p)."""
        s = _summary_frame(self._fit.summary(self.alpha), self._index, self.alpha)
        level = "%g%%" % (100 * (1 - self.alpha))
        s.insert(1, "exp(coef)", np.exp(s["coef"]))
        s.insert(5, f"exp(coef) lower {level}", np.exp(s[f"coef lower {level}"]))
        s.insert(6, f"exp(coef) upper {level}", np.exp(s[f"coef upper {level}"]))
        return s

    @property
    def confidence_intervals_(self) -> pd.DataFrame:
        """Wald bounds of the coefficients."""
        level = "%g%%" % (100 * (1 - self.alpha))
        s = self.summary
        return pd.DataFrame({f"{level} lower-bound": s[f"coef lower {level}"],
                             f"{level} upper-bound": s[f"coef upper {level}"]})

    @property
    def AIC_(self) -> float:
        """``-2 log L + 2 p``."""
        return float(self._result["aic"])

    @property
    def BIC_(self) -> float:
        """lifelines' ``-2 log L + 2 log n``."""
        return float(self._result["bic"])

    def predict_percentile(self, df: Any, *, ancillary: Any = None, p: float = 0.5,
                           conditional_after: Any = None) -> pd.Series:
        """The time at which each row's survival function equals ``p``."""
        x1, x2, index = self._design(df, ancillary)
        after = self._after(conditional_after)
        return pd.Series(np.asarray(self._fit.predict_percentile(x1, x2, float(p), after)), index=index)

    def predict_median(self, df: Any, *, ancillary: Any = None, conditional_after: Any = None) -> pd.Series:
        """Each row's median survival time."""
        return self.predict_percentile(df, ancillary=ancillary, p=0.5, conditional_after=conditional_after)

    def predict_expectation(self, df: Any, ancillary: Any = None, conditional_after: Any = None) -> pd.Series:
        """Each row's expected lifetime."""
        if conditional_after is not None:
            self._unsupported("conditional_after")
        x1, x2, index = self._design(df, ancillary)
        return pd.Series(np.asarray(self._fit.predict_expectation(x1, x2)), index=index)

    @staticmethod
    def _after(conditional_after: Any) -> Any:
        if conditional_after is None:
            return None
        return _arrow(np.asarray(conditional_after, dtype=float).reshape(-1), "conditional_after")

    def _curves(self, method: Any, df: Any, ancillary: Any, times: Any, conditional_after: Any) -> pd.DataFrame:
        x1, x2, index = self._design(df, ancillary)
        t = self.timeline if times is None else np.atleast_1d(np.asarray(times, dtype=float))
        after = self._after(conditional_after)
        values = np.asarray(method(x1, x2, _arrow(t, "times"), after)).reshape(len(t), len(index))
        return pd.DataFrame(values, index=t, columns=index)

    def predict_survival_function(self, df: Any, times: Any = None, conditional_after: Any = None,
                                  ancillary: Any = None) -> pd.DataFrame:
        """Survival of each row (columns) at each time (index; default the timeline)."""
        return self._curves(self._fit.predict_survival, df, ancillary, times, conditional_after)

    def predict_cumulative_hazard(self, df: Any, *, ancillary: Any = None, times: Any = None,
                                  conditional_after: Any = None) -> pd.DataFrame:
        """Cumulative hazard of each row (columns) at each time (index)."""
        return self._curves(self._fit.predict_cumulative_hazard, df, ancillary, times, conditional_after)

    def predict_hazard(self, df: Any, *, ancillary: Any = None, times: Any = None,
                       conditional_after: Any = None) -> pd.DataFrame:
        """Hazard of each row (columns) at each time (index)."""
        return self._curves(self._fit.predict_hazard, df, ancillary, times, conditional_after)

    def log_likelihood_ratio_test(self) -> Any:
        """Likelihood-ratio test against the model without covariates (chi squared, p - 2 degrees of freedom)."""
        from .statistics import StatisticalResult

        stat, dof, p = self._fit.likelihood_ratio_test()
        return StatisticalResult(p, stat, name="log-likelihood ratio test", null_distribution="chi squared",
                                 degrees_freedom=dof)

    @property
    def _central_values(self) -> pd.DataFrame:
        """One row, ``baseline``: the mean of each training covariate (for
        "typical subject" predictions, as lifelines' attribute)."""
        return self._means.to_frame("baseline").T.copy()

    def score(self, df: pd.DataFrame, scoring_method: str = "log_likelihood") -> float:
        """Average log-likelihood (default) or concordance of ``df`` under the fitted model."""
        if scoring_method == "concordance_index":
            n = df.shape[0]
            E = df[self.event_col].astype(bool) if self.event_col else pd.Series(np.ones(n, bool))
            x1, x2, _ = self._design(df, None)
            return float(self._fit.concordance_index(
                _arrow(df[self.duration_col].to_numpy(dtype=float), "durations"),
                _arrow(E.to_numpy(), "event_observed"), x1, x2))
        if scoring_method != "log_likelihood":
            raise NotImplementedError(f"scoring_method={scoring_method!r}")
        n = df.shape[0]
        E = df[self.event_col].astype(bool) if self.event_col else pd.Series(np.ones(n, bool))
        x1, x2, _ = self._design(df, None)
        return float(self._fit.mean_log_likelihood(
            _arrow(df[self.duration_col].to_numpy(dtype=float), "durations"), _arrow(E.to_numpy(), "event_observed"),
            x1, x2,
            weights=_arrow(df[self.weights_col].to_numpy(dtype=float), "weights") if self.weights_col else None,
            entry=_arrow(df[self.entry_col].to_numpy(dtype=float), "entry") if self.entry_col else None,
        ))

    def print_summary(self, decimals: int = 2, style: Optional[str] = None, columns: Any = None,
                      **kwargs: Any) -> None:
        """Prints the model, :attr:`summary`, concordance and AIC as text (``style="ascii"`` only)."""
        if style not in (None, "ascii"):
            raise NotImplementedError(f"retention.compat.lifelines print_summary supports style='ascii' only, "
                                      f"not {style!r}")
        head: List[Tuple[str, Any]] = [("model", f"lifelines.{self._CLASS}"),
                                       ("duration col", repr(self.duration_col))]
        if self.event_col:
            head.append(("event col", repr(self.event_col)))
        if self.weights_col:
            head.append(("weights col", repr(self.weights_col)))
        if self.entry_col:
            head.append(("entry col", repr(self.entry_col)))
        if self.penalizer > 0:
            head.append(("penalizer", self.penalizer))
        head += [
            ("number of observations", "{:g}".format(self.weights.sum())),
            ("number of events observed", "{:g}".format(self.weights[self.event_observed].sum())),
            ("log-likelihood", "{:.{p}f}".format(self.log_likelihood_, p=decimals)),
        ]
        head += list(kwargs.items())
        foot = [("Concordance", "{:.{p}f}".format(self.concordance_index_, p=decimals)),
                ("AIC", "{:.{p}f}".format(self.AIC_, p=decimals))]
        # lifelines skips requested columns the summary does not have.
        table = self.summary if columns is None else self.summary[self.summary.columns.intersection(list(columns))]
        print(_format_summary(head, table, foot, decimals))

    def __repr__(self) -> str:
        if hasattr(self, "_fit"):
            return f"<lifelines.{self._class_name}: fitted with {self.weights.sum():g} total observations, " \
                   f"{(self.weights[~self.event_observed]).sum():g} right-censored observations>"
        return f"<lifelines.{self._class_name}>"


class WeibullAFTFitter(_AFTFitter):
    """Weibull AFT: ``lambda_ = exp(X b)``, ``rho_ = exp(Z c)``, as lifelines.

    Examples
    --------
    >>> import pandas as pd
    >>> from retention.compat.lifelines import WeibullAFTFitter
    >>> df = pd.DataFrame({"T": [5.0, 6, 2, 8, 9, 3, 4, 7], "E": [1, 1, 0, 1, 1, 1, 0, 1],
    ...                    "x": [0.0, 1, 0, 1, 1, 0, 0, 1]})
    >>> aft = WeibullAFTFitter().fit(df, "T", "E")
    >>> list(aft.params_.index)
    [('lambda_', 'x'), ('lambda_', 'Intercept'), ('rho_', 'Intercept')]
    """

    _CLASS, _FAMILY, _PRIMARY, _ANCILLARY = "WeibullAFTFitter", "weibull", "lambda_", "rho_"


class LogNormalAFTFitter(_AFTFitter):
    """Log-normal AFT: ``mu_ = X b``, ``sigma_ = exp(Z c)``, as lifelines.

    Examples
    --------
    >>> import pandas as pd
    >>> from retention.compat.lifelines import LogNormalAFTFitter
    >>> df = pd.DataFrame({"T": [5.0, 6, 2, 8, 9, 3, 4, 7], "E": [1, 1, 0, 1, 1, 1, 0, 1],
    ...                    "x": [0.0, 1, 0, 1, 1, 0, 0, 1]})
    >>> aft = LogNormalAFTFitter().fit(df, "T", "E")
    >>> bool(aft.predict_median(df).iloc[1] > aft.predict_median(df).iloc[0])
    True
    """

    _CLASS, _FAMILY, _PRIMARY, _ANCILLARY = "LogNormalAFTFitter", "log_normal", "mu_", "sigma_"


class LogLogisticAFTFitter(_AFTFitter):
    """Log-logistic AFT: ``alpha_ = exp(X b)``, ``beta_ = exp(Z c)``, as lifelines.

    Examples
    --------
    >>> import pandas as pd
    >>> from retention.compat.lifelines import LogLogisticAFTFitter
    >>> df = pd.DataFrame({"T": [5.0, 6, 2, 8, 9, 3, 4, 7], "E": [1, 1, 0, 1, 1, 1, 0, 1],
    ...                    "x": [0.0, 1, 0, 1, 1, 0, 0, 1]})
    >>> aft = LogLogisticAFTFitter().fit(df, "T", "E")
    >>> aft.predict_survival_function(df.iloc[:2], times=[1.0, 5.0]).shape
    (2, 2)
    """

    _CLASS, _FAMILY, _PRIMARY, _ANCILLARY = "LogLogisticAFTFitter", "log_logistic", "alpha_", "beta_"
