"""``CoxPHFitter(baseline_estimation_method="piecewise" | "spline")``:
proportional hazards with a parametric baseline, fitted by the Rust core
(``retention._retention.ParametricCoxFit``) and laid out as lifelines'
``ParametricPiecewiseBaselinePHFitter`` / ``ParametricSplinePHFitter``."""

from __future__ import annotations

from statistics import NormalDist
from typing import Any, Dict, List, Optional, Tuple

import numpy as np
import pandas as pd

from ... import _retention
from ...errors import EmptyInputError
from . import exceptions
from ._common import _event_flags, _nan_checked, _require_columns
from ._cox import _INTERCEPT, CoxPHFitter, _arr, _as_list, _formulaic, _np, _opt, _to_list_or_singleton
from .statistics import StatisticalResult

#: Stratum code given to a stratum the fit did not see (the core rejects it).
_UNKNOWN_STRATUM = float(2**32 - 1)


def _stratum_label(stratum: Any) -> str:
    """lifelines' text for a stratum in parameter names: the tuple of its
    values as strings, or the value itself when it is not iterable."""
    try:
        return str(tuple(str(s) for s in stratum))
    except TypeError:
        return str(stratum)


def _central_values(df: pd.DataFrame, name: Any = "baseline") -> pd.DataFrame:
    """One row of typical values (median of numeric columns, mode of the
    others, cast back to the columns' dtypes), as lifelines' baseline row."""
    if df.size == 0:
        return pd.DataFrame(index=[name])
    described = df.describe(include="all")
    if "50%" in described.index:
        central = described.loc["top"].copy() if "top" in described.index else described.loc["50%"].copy()
        if "top" in described.index:
            central.update(described.loc["50%"])
    else:
        central = described.loc["top"].copy()
    return central.to_frame(name=name).T.astype(df.dtypes)


class ParametricCoxPHFitter(CoxPHFitter):
    """Proportional hazards with a piecewise-constant or spline baseline.

    Built by ``CoxPHFitter(baseline_estimation_method="piecewise",
    breakpoints=[...])`` or ``CoxPHFitter(baseline_estimation_method="spline",
    n_baseline_knots=k)``. The model is ``H(t | x) = exp(x̃ᵀβ) G(t)`` with an
    intercept in ``x̃`` and ``G`` piecewise linear (``log_lambda*_``
    parameters) or a Royston–Parmar spline (``phi*_``), fitted by full
    maximum likelihood with right censoring, ``entry_col`` (left
    truncation), ``weights_col``, ``strata`` (a baseline per stratum),
    ``penalizer`` and ``formula``, as lifelines 0.30. ``params_`` and
    ``summary`` are indexed by ``(param, covariate)``.

    Example
    -------
    >>> import pandas as pd
    >>> from retention.compat.lifelines import CoxPHFitter
    >>> df = pd.DataFrame({"T": [1.0, 2.5, 3.0, 4.0, 6.0, 7.5, 9.0, 12.0],
    ...                    "E": [1, 0, 1, 1, 0, 1, 1, 0]})
    >>> cph = CoxPHFitter(baseline_estimation_method="piecewise", breakpoints=[5.0]).fit(df, "T", "E")
    >>> round(float(np.exp(cph.params_[("beta_", "Intercept")])), 6)  # 3 events / 30.5 exposure
    0.098361
    """

    def __init__(
        self, baseline_estimation_method: str = "breslow", penalizer: Any = 0.0, strata: Any = None,
        l1_ratio: float = 0.0, n_baseline_knots: Optional[int] = None, knots: Optional[List[float]] = None,
        breakpoints: Optional[List[float]] = None, alpha: float = 0.05, label: Optional[str] = None,
    ) -> None:
        if not 0 <= l1_ratio <= 1:
            raise ValueError("l1_ratio parameter must in [0, 1].")
        if not 0 < alpha < 1:
            raise ValueError("alpha parameter must be between 0 and 1.")
        if knots is not None:
            if n_baseline_knots is not None:
                raise ValueError("knots and n_baseline_knots are mutually exclusive.")
            n_baseline_knots = len(knots)
        self._unsupported: List[str] = []
        if knots is not None:
            # lifelines reads len(knots) knots as len(knots) spline terms, the
            # last of which is then identically zero: not reproduced.
            self._unsupported.append("knots")
        if l1_ratio:
            self._unsupported.append("l1_ratio != 0")
        if np.ndim(penalizer) != 0:
            self._unsupported.append("an array penalizer")
        self.baseline_estimation_method = baseline_estimation_method
        self.penalizer = penalizer
        self.l1_ratio = l1_ratio
        self.strata = _to_list_or_singleton(strata)
        self.n_baseline_knots = n_baseline_knots
        self.knots = knots
        self.breakpoints = breakpoints
        self.alpha = alpha
        self.label = label

    # ------------------------------------------------------------------ fit

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
        batch_mode: Optional[bool] = None,
        timeline: Any = None,
        formula: Optional[str] = None,
        entry_col: Optional[str] = None,
        fit_options: Optional[Dict[str, Any]] = None,
    ) -> "ParametricCoxPHFitter":
        """Fits the model on every column of ``df`` except the duration,
        event, weights, entry and strata columns (or on ``formula``'s design
        matrix), adding an intercept. ``fit_options={"maxiter": n}`` limits
        the Newton iterations; ``show_progress`` and ``batch_mode`` have no
        effect; ``cluster_col`` raises ``ValueError`` (as lifelines), and
        ``robust=True``, ``initial_point`` and other ``fit_options`` raise
        ``NotImplementedError``."""
        if self._unsupported:
            raise NotImplementedError(f"retention.compat.lifelines does not support {', '.join(self._unsupported)}")
        if cluster_col is not None:
            raise ValueError("cluster_col is not available for this baseline estimation method")
        if robust:
            raise NotImplementedError("retention.compat.lifelines does not support robust=True for "
                                      f"baseline_estimation_method={self.baseline_estimation_method!r}")
        if initial_point is not None:
            raise NotImplementedError("retention.compat.lifelines does not support initial_point")
        opts = dict(fit_options or {})
        unknown = sorted(set(opts) - {"maxiter"})
        if unknown:
            raise NotImplementedError(f"retention.compat.lifelines does not support fit_options {', '.join(unknown)}")
        if self.baseline_estimation_method == "spline":
            if self.n_baseline_knots is None:
                raise ValueError("n_baseline_knots must be set in initialization.")
            baseline: Dict[str, Any] = {"n_knots": int(self.n_baseline_knots)}
        else:
            if self.breakpoints is None:
                raise ValueError("breakpoints must be set in initialization.")
            baseline = {"breakpoints": [float(b) for b in self.breakpoints]}
        if duration_col is None:
            raise TypeError("duration_col is required")
        self.duration_col, self.event_col, self.weights_col = duration_col, event_col, weights_col
        self.entry_col: Any = entry_col
        self.cluster_col, self.formula, self.robust = None, formula, False
        self._model_spec: Any = None
        self.strata = _to_list_or_singleton(strata if strata is not None else self.strata)
        _require_columns(df, duration_col=duration_col, event_col=event_col, weights_col=weights_col,
                         entry_col=entry_col, strata=self.strata)

        if event_col is not None:
            _event_flags(df[event_col], event_col)  # missing flags raise, naming their rows
        data = df.copy()
        if self.strata is not None:
            data = data.sort_values(by=_as_list(self.strata), kind="mergesort")
        censoring, lower_col = getattr(self, "_censoring_request", ("right", None))
        self._censoring_request: Tuple[str, Optional[str]] = ("right", None)
        self._censoring = censoring
        lower = data.pop(lower_col).astype(float) if lower_col is not None else None
        T = data.pop(duration_col).astype(float)
        if lower is not None:
            self.lower_bound, self.upper_bound = lower, T
            self.lower_bound_col, self.upper_bound_col = lower_col, duration_col
            if event_col is None:
                E = lower == T
            else:
                E = data.pop(event_col)
                if ((lower == T) != E.astype(bool)).any():
                    raise ValueError("For all rows, lower_bound == upper_bound if and only if event observed = 1 "
                                     "(uncensored). Likewise, lower_bound < upper_bound if and only if event "
                                     "observed = 0 (censored)")
            if (lower > T).any():
                raise ValueError("All upper_bound times must be greater than or equal to lower_bound times.")
            # lifelines caps open upper bounds at 1e25.
            T = T.clip(0, 1e25)
        else:
            E = data.pop(event_col) if event_col is not None else pd.Series(np.ones(len(data)), index=data.index)
        E = pd.Series(_event_flags(E, event_col or "event_observed"), index=E.index)
        W = data.pop(weights_col).astype(float) if weights_col is not None else pd.Series(
            np.ones(len(data)), index=data.index)
        entries = data.pop(entry_col).astype(float) if entry_col is not None else None
        self.durations, self.event_observed, self.weights = T, E, W
        self.entry = entries if entries is not None else pd.Series(np.zeros(len(data)), index=data.index)
        self.timeline = (np.sort(np.asarray(timeline, float)) if timeline is not None
                         else np.unique((T if lower is None else lower).to_numpy()))

        if self.strata is not None:
            cols = _as_list(self.strata)
            key = cols if len(cols) > 1 else cols[0]
            self._strata_names: Optional[List[Any]] = list(data.groupby(key, sort=True).size().index)
            central = pd.concat([
                _central_values(g.drop(columns=cols), name=s) for s, g in data.groupby(key, sort=True)])
            central.index = (pd.Index(self._strata_names, name=key) if len(cols) == 1
                             else pd.MultiIndex.from_tuples(self._strata_names, names=cols))
            self._central_values = central
        else:
            self._strata_names = None
            self._central_values = _central_values(data)
        X, names = self._design(data)
        codes = self._stratum_codes(data)
        self._training_X, self._training_codes = X, codes
        maxiter = opts.get("maxiter")
        with exceptions.convergence_errors(lambda: None):
            self._pfit = _nan_checked(lambda: _retention.ParametricCoxFit.fit(
                _arr(T), _arr(E), [_arr(X[c]) for c in X.columns], **baseline,
                weights=_arr(W) if weights_col is not None else None, strata=_opt(codes),
                entries=_opt(entries), penalizer=float(self.penalizer),
                max_iterations=None if maxiter is None else int(maxiter),
                lower_bounds=_opt(lower), left_censored=censoring == "left",
            ))
        #: lifelines' model description: the covariates (or formula) of the
        #: log-hazard, and the kind of censoring fitted.
        self.regressors = {"beta_": formula if formula is not None else list(X.columns)}
        self._censoring_type = censoring
        r = self._pfit.result()
        self._set_results(r, list(X.columns), names)
        return self

    def fit_right_censoring(self, *args: Any, **kwargs: Any) -> "ParametricCoxPHFitter":
        """Alias of :meth:`fit`."""
        return self.fit(*args, **kwargs)

    def fit_left_censoring(self, df: pd.DataFrame, duration_col: Optional[str] = None,  # type: ignore[override]
                           event_col: Optional[str] = None, **kwargs: Any) -> "ParametricCoxPHFitter":
        """Fits left-censored data: a row without an event happened before
        its duration (lifelines' ``fit_left_censoring``); other arguments as
        :meth:`fit`."""
        self._censoring_request = ("left", None)
        return self.fit(df, duration_col, event_col, **kwargs)

    def fit_interval_censoring(self, df: pd.DataFrame, lower_bound_col: str,  # type: ignore[override]
                               upper_bound_col: str, event_col: Optional[str] = None,
                               **kwargs: Any) -> "ParametricCoxPHFitter":
        """Fits interval-censored data: each row's event lies in
        ``(lower, upper]`` (an event observed at ``upper`` when the bounds
        are equal; an infinite upper bound is right censoring), as lifelines'
        ``fit_interval_censoring``; other arguments as :meth:`fit`."""
        self._censoring_request = ("interval", lower_bound_col)
        return self.fit(df, upper_bound_col, event_col, **kwargs)

    def _design(self, data: pd.DataFrame) -> Tuple[pd.DataFrame, List[str]]:
        """Covariate columns (without the intercept) and the ``beta_`` names
        in lifelines' order (intercept last, or first with a formula)."""
        if self.strata is not None:
            data = data.drop(columns=[c for c in _as_list(self.strata) if c in data.columns])
        if self.formula is None:
            X = data.astype(float)
            return X, list(X.columns) + [_INTERCEPT]
        if self._model_spec is None:
            self._model_spec = _formulaic().Formula(self.formula).get_model_matrix(data).model_spec
        M = pd.DataFrame(self._model_spec.get_model_matrix(data)).astype(float)
        if len(M) != len(data):
            raise TypeError("NaNs were detected in the dataset (in a variable of the formula)")
        names = list(M.columns) if _INTERCEPT in M.columns else list(M.columns) + [_INTERCEPT]
        return M.drop(columns=[c for c in M.columns if c == _INTERCEPT]), names

    def _stratum_codes(self, data: pd.DataFrame) -> Optional[np.ndarray]:
        if self._strata_names is None:
            return None
        cols = _as_list(self.strata)
        lookup = {name: float(i) for i, name in enumerate(self._strata_names)}
        keys = data[cols[0]] if len(cols) == 1 else pd.Series(list(zip(*(data[c] for c in cols))), index=data.index)
        return np.array([lookup.get(k, _UNKNOWN_STRATUM) for k in keys], float)

    def _set_results(self, r: Dict[str, Any], covariates: List[str], names: List[str]) -> None:
        core_names = covariates + [_INTERCEPT]
        if self.baseline_estimation_method == "spline":
            k = int(self.n_baseline_knots or 0)
            self._knots_ = np.asarray(r["baseline"]["spline"]["knots"], float)
            plain = ["phi%d_" % i for i in range(1, k + 1)]
            per_stratum = "s%s_phi%d_"
            first = 1
        else:
            k = len(self.breakpoints or [])
            plain = ["log_lambda%d_" % i for i in range(2, k + 2)]
            per_stratum = "s%s_lambda%d_"
            first = 2
        labels = [("beta_", c) for c in core_names]
        if self._strata_names is None:
            labels += [(p, _INTERCEPT) for p in plain]
            self._fitted_parameter_names = ["beta_"] + plain
        else:
            groups = [per_stratum % (_stratum_label(s), i) for s in self._strata_names for i in range(first, first + k)]
            labels += [(g, _INTERCEPT) for g in groups]
            self._fitted_parameter_names = ["beta_"] + groups
        # lifelines' order: the beta_ rows as the design names them.
        order = [core_names.index(n) for n in names] + list(range(len(core_names), len(labels)))
        index = pd.MultiIndex.from_tuples([labels[i] for i in order], names=["param", "covariate"])
        d = len(labels)
        params = np.asarray(r["params"], float)[order]
        se = np.asarray(r["standard_errors"], float)[order]
        var = np.asarray(r["variance_matrix"], float).reshape(d, d)[np.ix_(order, order)]
        self.params_ = pd.Series(params, index=index, name="coef")
        self.standard_errors_ = pd.Series(se, index=index, name="se")
        self.variance_matrix_ = pd.DataFrame(var, index=index, columns=index)
        self._z = np.asarray(r["z"], float)[order]
        self._p = np.asarray(r["p_values"], float)[order]
        self.log_likelihood_ = float(r["log_likelihood"])
        self._ll_null_ = float(r["null_log_likelihood"])
        self._aic = float(r["aic"])
        self._lr_test = r["lr_test"]
        self._ll_null_dof = len(self._fitted_parameter_names)
        z = NormalDist().inv_cdf(1 - self.alpha / 2)
        ci = 100 * (1 - self.alpha)
        self.confidence_intervals_ = pd.DataFrame(
            np.c_[params - z * se, params + z * se], index=index,
            columns=["%g%% lower-bound" % ci, "%g%% upper-bound" % ci])

    # ----------------------------------------------------------- statistics

    @property
    def _ll_null(self) -> float:
        return self._ll_null_

    @property
    def hazard_ratios_(self) -> pd.Series:  # type: ignore[override]
        """``exp(params_)``, every parameter (as lifelines)."""
        return pd.Series(np.exp(self.params_), index=self.params_.index, name="exp(coef)")

    @property
    def AIC_(self) -> float:
        """``−2 log L + 2 · number of parameters``."""
        return self._aic

    @property
    def AIC_partial_(self) -> float:  # type: ignore[override]
        """Not defined for a parametric baseline (use ``AIC_``)."""
        raise AttributeError("the model is fully parametric: the partial AIC does not exist, use AIC_")

    @property
    def concordance_index_(self) -> float:
        """Harrell's C of the training durations against the predicted
        medians."""
        from .utils import concordance_index

        med = self._predict("percentile", self._training_X, self._training_codes, q=0.5)
        return concordance_index(self.durations.to_numpy(), med, self.event_observed.to_numpy())

    def log_likelihood_ratio_test(self) -> StatisticalResult:
        """Likelihood-ratio test against the model with only the intercept
        and the baseline parameters."""
        if self._lr_test is None:
            raise EmptyInputError("empty input: covariates (a model without covariates has nothing to test)",
                                  what="covariates")
        stat, df, p = self._lr_test
        return StatisticalResult(p, stat, name="log-likelihood ratio test", null_distribution="chi squared",
                                 degrees_freedom=df)

    def print_summary(self, decimals: int = 2, style: Optional[str] = None, columns: Any = None,
                      **kwargs: Any) -> None:
        """Prints the model description, :attr:`summary`, the AIC and the
        likelihood-ratio test as text (``style`` ``None`` or ``"ascii"``)."""
        if style not in (None, "ascii"):
            raise NotImplementedError(f"retention.compat.lifelines print_summary supports style='ascii' only, "
                                      f"not {style!r}")
        head: List[Any] = [("model", "lifelines.CoxPHFitter")]
        if self._censoring == "interval":
            head += [("lower bound col", repr(self.lower_bound_col)), ("upper bound col", repr(self.upper_bound_col))]
        else:
            head.append(("duration col", repr(self.duration_col)))
        if self.event_col:
            head.append(("event col", repr(self.event_col)))
        if self.weights_col:
            head.append(("weights col", repr(self.weights_col)))
        if self.entry_col:
            head.append(("entry col", repr(self.entry_col)))
        if self.penalizer > 0:
            head += [("penalizer", self.penalizer), ("l1 ratio", self.l1_ratio)]
        if self.strata is not None:
            head.append(("strata", self.strata))
        if self.baseline_estimation_method == "spline":
            head.append(("number of baseline knots", self.n_baseline_knots))
        else:
            head.append(("location of breaks", self.breakpoints))
        head += [
            ("baseline estimation", self.baseline_estimation_method),
            ("number of observations", "{:g}".format(self.weights.sum())),
            ("number of events observed", "{:g}".format(self.weights[self.event_observed].sum())),
            ("log-likelihood", "{:.{p}f}".format(self.log_likelihood_, p=decimals)),
        ]
        head += list(kwargs.items())
        foot: List[Any] = [("AIC", "{:.{p}f}".format(self.AIC_, p=decimals))]
        if self._lr_test is not None:
            stat, df, p_value = self._lr_test
            with np.errstate(divide="ignore"):
                minus_log2 = -np.log2(p_value)
            foot += [("log-likelihood ratio test", "{:.{p}f} on {} df".format(stat, df, p=decimals)),
                     ("-log2(p) of ll-ratio test", "{:.{p}f}".format(minus_log2, p=decimals))]
        # lifelines skips requested columns the summary does not have.
        table = self.summary if columns is None else self.summary[self.summary.columns.intersection(list(columns))]
        width = max(len(k) for k, _ in head + foot)
        lines = [f"{k.rjust(width)} = {v}" for k, v in head]
        lines += ["", table.to_string(float_format=lambda v: "{:.{p}f}".format(v, p=decimals)), ""]
        lines += [f"{k.rjust(width)} = {v}" for k, v in foot]
        print("\n".join(lines))

    def score(self, df: pd.DataFrame, scoring_method: str = "log_likelihood") -> float:
        """Mean unpenalised log-likelihood of ``df`` at the fitted parameters,
        or (``scoring_method="concordance_index"``) Harrell's C of its
        durations against the predicted medians."""
        from .utils import concordance_index

        if scoring_method not in ("log_likelihood", "concordance_index"):
            raise NotImplementedError(f"scoring_method={scoring_method!r} is not supported")
        if self._censoring != "right":
            raise NotImplementedError(f"retention.compat.lifelines score() of a {self._censoring}-censored fit")
        data = df.copy()
        T = data.pop(self.duration_col).to_numpy(dtype=float)
        E = (data.pop(self.event_col).to_numpy().astype(bool) if self.event_col is not None
             else np.ones(len(data), dtype=bool))
        W = data.pop(self.weights_col).to_numpy(dtype=float) if self.weights_col in data.columns else None
        entries = data.pop(self.entry_col).to_numpy(dtype=float) if self.entry_col in data.columns else None
        X = self._covariates(data)
        codes = self._stratum_codes_of(data)
        if scoring_method == "concordance_index":
            return concordance_index(T, self._predict("percentile", X, codes, q=0.5), E)
        return float(self._pfit.score_log_likelihood(
            _arr(T), _arr(E), [_arr(X[c]) for c in X.columns], weights=_opt(W), strata=_opt(codes),
            entries=_opt(entries)))

    # ---------------------------------------------------------- predictions

    def _rows(self, X: Any) -> pd.DataFrame:
        if isinstance(X, pd.Series):
            X = X.to_frame().T.infer_objects()
        if not isinstance(X, pd.DataFrame):
            raise TypeError("predictions of a parametric-baseline CoxPHFitter take a DataFrame or a Series")
        return X

    def _covariates(self, data: pd.DataFrame) -> pd.DataFrame:
        X, _ = self._design(data)
        if self.formula is None:
            X = X[[c for c, _ in self.params_.loc["beta_"].items() if c != _INTERCEPT]]
        return X

    def _stratum_codes_of(self, data: pd.DataFrame) -> Optional[np.ndarray]:
        return self._stratum_codes(data) if self._strata_names is not None else None

    def _predict(self, what: str, X: pd.DataFrame, codes: Optional[np.ndarray], times: Any = None,
                 conditional_after: Any = None, q: float = 0.5) -> np.ndarray:
        t = [float(v) for v in np.atleast_1d(self.timeline if times is None else times)]
        cols = [_arr(X[c]) for c in X.columns]
        ca = None if conditional_after is None else [float(v) for v in np.atleast_1d(conditional_after)]
        if what == "percentile":
            return _np(self._pfit.percentile(cols, len(X), _opt(codes), t, float(q), ca))
        if what == "expectation":
            return _np(self._pfit.expectation(cols, len(X), _opt(codes), t, ca))
        fn = getattr(self._pfit, what)
        return _np(fn(cols, len(X), _opt(codes), t, ca)).reshape(len(t), len(X))

    def _frame(self, what: str, X: Any, times: Any, conditional_after: Any) -> pd.DataFrame:
        rows = self._rows(X)
        codes = self._stratum_codes_of(rows)
        values = self._predict(what, self._covariates(rows), codes, times, conditional_after)
        index = np.atleast_1d(np.asarray(self.timeline if times is None else times, float))
        out = pd.DataFrame(values, index=index, columns=rows.index)
        if codes is not None:
            out = out.iloc[:, np.argsort(codes, kind="stable")]
        return out

    def predict_cumulative_hazard(self, X: Any, times: Any = None, conditional_after: Any = None) -> pd.DataFrame:
        """``H(t | x)`` at ``times`` (default the timeline), one column per
        row; with ``conditional_after`` ``H(c + t) − H(c)``."""
        return self._frame("cumulative_hazard", X, times, conditional_after)

    def predict_survival_function(self, X: Any, times: Any = None, conditional_after: Any = None) -> pd.DataFrame:
        """``exp(−H(t | x))``, laid out as :meth:`predict_cumulative_hazard`."""
        return np.exp(-self.predict_cumulative_hazard(X, times=times, conditional_after=conditional_after))

    def predict_hazard(self, X: Any, times: Any = None, conditional_after: Any = None) -> pd.DataFrame:  # type: ignore[override]
        """``h(t | x)``, laid out as :meth:`predict_cumulative_hazard`."""
        return self._frame("hazard", X, times, conditional_after)

    def predict_partial_hazard(self, X: Any) -> pd.Series:
        """``exp(x̃ᵀβ)`` per row (intercept included, as lifelines)."""
        return np.exp(self.predict_log_partial_hazard(X))

    def predict_log_partial_hazard(self, X: Any) -> pd.Series:
        """``x̃ᵀβ`` per row (intercept included, as lifelines)."""
        rows = self._rows(X)
        Xc = self._covariates(rows)
        beta = self.params_.loc["beta_"]
        v = Xc.to_numpy(float) @ beta.loc[list(Xc.columns)].to_numpy() + beta.loc[_INTERCEPT]
        return pd.Series(v, index=rows.index)

    def predict_percentile(self, X: Any, p: float = 0.5, conditional_after: Any = None) -> Any:
        """First time of the timeline where each row's survival is ``≤ p``
        (``inf`` if never); a float for a single row, as lifelines."""
        rows = self._rows(X)
        v = self._predict("percentile", self._covariates(rows), self._stratum_codes_of(rows),
                          conditional_after=conditional_after, q=p)
        return pd.Series(v, index=rows.index, name=p).squeeze()

    def predict_median(self, X: Any, conditional_after: Any = None) -> Any:
        """:meth:`predict_percentile` at ``p = 0.5``."""
        return self.predict_percentile(X, 0.5, conditional_after=conditional_after)

    def predict_expectation(self, X: Any, conditional_after: Any = None) -> Any:
        """Trapezoidal integral of each row's survival over the timeline."""
        rows = self._rows(X)
        v = self._predict("expectation", self._covariates(rows), self._stratum_codes_of(rows),
                          conditional_after=conditional_after)
        return pd.Series(v, index=rows.index).squeeze()

    # ------------------------------------------------------------- baseline

    def _baseline(self, what: str, times: Any, name: str) -> pd.DataFrame:
        central = self._central_values
        if self._strata_names is None:
            out = self._frame(what, central, times, None)
            out.columns = [name]
            return out
        rows = central.reset_index()
        out = self._frame(what, rows, times, None)
        out.columns = list(central.index.values)
        return out

    def baseline_hazard_at_times(self, times: Any = None) -> pd.DataFrame:
        """Hazard of the typical subject (``_central_values``) at ``times``."""
        return self._baseline("hazard", times, "baseline hazard")

    def baseline_cumulative_hazard_at_times(self, times: Any = None) -> pd.DataFrame:
        """Cumulative hazard of the typical subject at ``times``."""
        return self._baseline("cumulative_hazard", times, "baseline cumulative hazard")

    def baseline_survival_at_times(self, times: Any = None) -> pd.DataFrame:
        """Survival of the typical subject at ``times``."""
        return np.exp(-self._baseline("cumulative_hazard", times, "baseline survival"))

    @property
    def baseline_hazard_(self) -> pd.DataFrame:  # type: ignore[override]
        """:meth:`baseline_hazard_at_times` on the timeline."""
        return self.baseline_hazard_at_times()

    @property
    def baseline_cumulative_hazard_(self) -> pd.DataFrame:  # type: ignore[override]
        """:meth:`baseline_cumulative_hazard_at_times` on the timeline."""
        return self.baseline_cumulative_hazard_at_times()

    @property
    def baseline_survival_(self) -> pd.DataFrame:  # type: ignore[override]
        """:meth:`baseline_survival_at_times` on the timeline."""
        return self.baseline_survival_at_times()

    def compute_followup_hazard_ratios(self, training_df: pd.DataFrame, followup_times: Any) -> pd.DataFrame:
        """Hazard ratios ``exp(β)`` refitted on ``training_df`` cut at each
        follow-up time (later events censored), one row per time."""
        out = {}
        for t in sorted(float(v) for v in followup_times):
            df = training_df.copy()
            df[self.event_col] = (df[self.duration_col] <= t) & df[self.event_col].astype(bool)
            df[self.duration_col] = np.minimum(df[self.duration_col], t)
            m = ParametricCoxPHFitter(
                self.baseline_estimation_method, penalizer=self.penalizer, strata=self.strata,
                n_baseline_knots=self.n_baseline_knots if self.baseline_estimation_method == "spline" else None,
                breakpoints=self.breakpoints, alpha=self.alpha,
            ).fit(df, self.duration_col, self.event_col, weights_col=self.weights_col, entry_col=self.entry_col,
                  formula=self.formula)
            out[t] = m.hazard_ratios_
        return pd.DataFrame(out).T

    def compute_residuals(self, *args: Any, **kwargs: Any) -> Any:
        """Not available for a parametric baseline."""
        self._not_supported("compute_residuals")

    def check_assumptions(self, *args: Any, **kwargs: Any) -> Any:
        """Not supported for a parametric baseline: raises ``NotImplementedError``."""
        self._not_supported("check_assumptions")
