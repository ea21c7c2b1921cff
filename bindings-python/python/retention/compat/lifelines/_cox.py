"""``CoxPHFitter``: Cox proportional hazards with lifelines' attributes,
fitted and evaluated by the Rust core (``retention._retention.CoxFit``)."""

from __future__ import annotations

import time
from datetime import datetime, timezone
from statistics import NormalDist
from textwrap import fill
from typing import Any, Dict, List, Optional, cast

import numpy as np
import pandas as pd
import pyarrow as pa

from ... import _retention, codes
from ...errors import EmptyInputError, InvalidRowsError
from . import exceptions
from ._common import _event_flags, _nan_checked, _require_columns, _summary_text
from .exceptions import ProportionalHazardAssumptionError
from .statistics import StatisticalResult

#: The intercept column of formulaic's design matrices (dropped, as lifelines).
_INTERCEPT = "Intercept"

#: ``fit_options`` keys of lifelines and what they map to.
_FIT_OPTIONS = {"max_steps", "precision", "step_size", "r_precision"}


def _arr(values: Any) -> Any:
    """A float64 Arrow array over ``values`` (numeric or boolean)."""
    v = np.asarray(values)
    return pa.array(v if v.dtype == bool else v.astype(float, copy=False))


def _float_or_none(value: Any) -> Optional[float]:
    return None if value is None else float(value)


def _opt(values: Any) -> Any:
    return None if values is None else _arr(values)


def _np(result: Any) -> np.ndarray:
    return np.asarray(pa.array(result).to_numpy(zero_copy_only=False), dtype=float)


def _after(conditional_after: Any) -> Optional[List[float]]:
    """``conditional_after`` (one time per row: list, array or Series) as floats."""
    return None if conditional_after is None else np.asarray(conditional_after, float).ravel().tolist()


def _to_list_or_singleton(x: Any) -> Any:
    if isinstance(x, list) and len(x) == 1:
        return x[0]
    return x


def _as_list(x: Any) -> List[Any]:
    return list(x) if isinstance(x, (list, tuple)) else [x]


def _formulaic() -> Any:
    """The ``formulaic`` module (an optional dependency, imported on use)."""
    try:
        import formulaic
    except ImportError as err:  # pragma: no cover - depends on the environment
        raise ImportError(
            "CoxPHFitter.fit(formula=...) needs the formulaic package: pip install retention[lifelines]"
        ) from err
    return formulaic


def _model_matrix(spec: Any, df: pd.DataFrame) -> pd.DataFrame:
    """``spec``'s design matrix of ``df`` as a float DataFrame, without the
    intercept when it has other columns (as lifelines' ``force_no_intercept``)."""
    X = pd.DataFrame(spec.get_model_matrix(df))
    if X.shape[1] > 1 and _INTERCEPT in X.columns:
        X = X.drop(columns=_INTERCEPT)
    return X.astype(float)


class CoxPHFitter:
    """Cox proportional hazards: Efron ties, Newton-Raphson, Breslow baseline.

    Supports lifelines' ``penalizer`` (a scalar or one per covariate) with
    ``l1_ratio`` (the elastic net on lifelines' smoothed objective and
    iteration schedule, so the coefficients are lifelines'), ``strata``, ``weights_col``, ``robust``,
    ``cluster_col``, ``entry_col`` (left truncation: a row is at risk at ``t``
    iff ``entry < t ≤ duration``; its Breslow baseline also honours the entry
    times, where lifelines' ignores them) and ``formula`` (a Wilkinson formula
    built by formulaic, as lifelines; needs
    ``pip install retention[lifelines]``). Options of lifelines that are not
    supported (``baseline_estimation_method`` other than ``"breslow"``,
    knots, breakpoints) raise
    ``NotImplementedError`` naming them (constructor options when fitting).
    """

    def __new__(cls, baseline_estimation_method: str = "breslow", *args: Any, **kwargs: Any) -> "CoxPHFitter":
        # A parametric baseline is its own class (lifelines delegates to
        # ParametricSplinePHFitter / ParametricPiecewiseBaselinePHFitter).
        if cls is CoxPHFitter and baseline_estimation_method in ("spline", "piecewise"):
            from ._cox_parametric import ParametricCoxPHFitter

            cls = ParametricCoxPHFitter
        return super().__new__(cls)

    def __init__(
        self, baseline_estimation_method: str = "breslow", penalizer: Any = 0.0, strata: Any = None,
        l1_ratio: float = 0.0, n_baseline_knots: Optional[int] = None, knots: Optional[List[float]] = None,
        breakpoints: Optional[List[float]] = None, alpha: float = 0.05, label: Optional[str] = None,
    ) -> None:
        if not 0 <= l1_ratio <= 1:
            raise ValueError("l1_ratio parameter must in [0, 1].")
        # Options this layer does not support: kept, and raised (naming
        # them) by `fit`, so that a fitter can still be built where lifelines
        # builds it (e.g. in a list of models) and only its use fails.
        self._unsupported: List[str] = []
        if baseline_estimation_method != "breslow":
            self._unsupported.append(f"baseline_estimation_method={baseline_estimation_method!r}")
        for name, value in (("n_baseline_knots", n_baseline_knots), ("knots", knots), ("breakpoints", breakpoints)):
            if value is not None:
                self._unsupported.append(name)
        if not 0 < alpha < 1:
            raise ValueError("alpha parameter must be between 0 and 1.")
        self.penalizer = penalizer
        self.l1_ratio = l1_ratio
        self.strata = _to_list_or_singleton(strata)
        self.alpha = alpha
        self.label = label
        self.baseline_estimation_method = baseline_estimation_method

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
    ) -> "CoxPHFitter":
        """Fits on every column of ``df`` except the duration, event, weights,
        cluster and strata columns, or (``formula``, e.g.
        ``"age + prio + C(race) + fin:age"``) on formulaic's design matrix of
        those columns without its intercept, as lifelines; predictions on
        DataFrames apply the same model spec.

        ``show_progress`` prints lifelines' line per Newton iteration (from
        the core's trace, once fitted) and its closing line; ``batch_mode``
        is accepted and has no effect (lifelines chooses between two
        equivalent algorithms with it). ``fit_options`` are lifelines':
        ``max_steps`` (iteration limit, default 500), ``precision`` (step
        norm and Newton decrement tolerance, default 1e-7), ``step_size``
        (first damping of the Newton steps, default 0.95) and
        ``r_precision`` (relative change of the log-likelihood, default
        1e-9). Under complete separation the fit ends, as lifelines', with
        large coefficients and ``ConvergenceWarning``s; so does a fit whose
        iterations run out (the estimates are then the last iterate)."""
        if self._unsupported:
            raise NotImplementedError(f"retention.compat.lifelines does not support {', '.join(self._unsupported)}")
        if duration_col is None:
            raise TypeError("duration_col is required")
        opts = dict(fit_options or {})
        unknown = set(opts) - _FIT_OPTIONS
        if unknown:
            raise TypeError(f"unexpected fit_options: {', '.join(sorted(unknown))}")
        self.duration_col, self.event_col = duration_col, event_col
        self.weights_col, self.cluster_col, self.entry_col, self.formula = weights_col, cluster_col, entry_col, formula
        # formulaic's model spec of `formula`, built on `df` by `_prepare`.
        self._model_spec: Any = None
        self.robust = robust
        self.strata = _to_list_or_singleton(strata if strata is not None else self.strata)
        self._n_examples = df.shape[0]
        self._time_fit_was_called = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M:%S") + " UTC"

        T, E, W, clusters, codes, self._strata_names, X, original_index, entries = self._prepare(df)
        covariates = list(X.columns)

        scalar = np.ndim(self.penalizer) == 0
        # lifelines' defaults for its iteration limit and tolerance (the
        # core's defaults are stricter); step_size and r_precision default
        # to the core's, which are lifelines'.
        opts = {"max_steps": 500, "precision": 1e-7, **opts}
        # lifelines warns about non-integer weights only for model-based errors.
        columns = [X[c] for c in covariates]
        exceptions.issue(exceptions.fit_warnings(T, E, columns, covariates, separation=False,
                                                 weights=W if weights_col is not None and not robust else None),
                         exceptions.BEFORE_FIT)

        def separation() -> Any:  # lifelines' separation checks, run once a fit fails or looks suspicious
            return exceptions.fit_warnings(T, E, columns, covariates)

        started = time.time()
        with exceptions.convergence_errors(lambda: exceptions.issue_separation(separation())):
            self._fit = _nan_checked(lambda: _retention.CoxFit.fit(
                _arr(T), _arr(E), [_arr(X[c]) for c in covariates],
                weights=_arr(W) if weights_col is not None else None,
                strata=_opt(codes), clusters=_opt(clusters), penalizer=float(self.penalizer) if scalar else None,
                penalizers=None if scalar else np.asarray(self.penalizer, float).tolist(),
                max_iterations=int(opts["max_steps"]), tolerance=float(opts["precision"]),
                step_size=_float_or_none(opts.get("step_size")), r_precision=_float_or_none(opts.get("r_precision")),
                return_unconverged=True,
                robust=bool(robust), entries=_opt(entries), l1_ratio=float(self.l1_ratio),
                initial_point=_after(initial_point),
            ))
        self.entries = None if entries is None else entries.set_axis(original_index)
        r = self._fit.result()
        if show_progress:
            exceptions.print_progress(r, started, "Convergence success after %d iterations.")
        exceptions.issue_after_fit(separation, r["fit_warnings"])
        #: lifelines' model description: the covariates (or formula) of the
        #: coefficients, and the kind of censoring fitted.
        self.regressors = {"beta_": formula if formula is not None else covariates}
        self._censoring_type = "right"
        self.durations = T.set_axis(original_index)
        self.event_observed = E.set_axis(original_index)
        self.weights = W.astype(float).set_axis(original_index)

        names = pd.Index(covariates, name="covariate")
        k = len(names)
        self.params_ = pd.Series(np.asarray(r["coefficients"], float), index=names, name="coef")
        self.hazard_ratios_ = pd.Series(np.exp(self.params_.to_numpy()), index=names, name="exp(coef)")
        self.standard_errors_ = pd.Series(np.asarray(r["standard_errors"], float), index=names, name="se")
        self.variance_matrix_ = pd.DataFrame(
            np.asarray(r["variance_matrix"], float).reshape(k, k), index=names, columns=names)
        self.log_likelihood_ = float(r["log_likelihood"])
        self._ll_null_ = float(r["null_log_likelihood"])
        self._lr_test = r["lr_test"]
        self._z = np.asarray(r["z"], float)
        self._p = np.asarray(r["p_values"], float)
        self._concordance = float(r["concordance"]) if r["concordance"] is not None else np.nan
        self.AIC_partial_ = float(r["aic_partial"])
        self._norm_mean = pd.Series(np.asarray(r["means"], float), index=X.columns)
        self._norm_std = pd.Series(np.asarray(r["std_devs"], float), index=X.columns)

        times = pd.Index(np.asarray(r["baseline"]["times"], float))
        hazard = np.asarray(r["baseline"]["hazard"], float).reshape(-1, len(times)).T
        cumulative = np.asarray(r["baseline_cumulative_hazard"], float).reshape(-1, len(times)).T
        if self._strata_names is None:
            labels: List[Any] = [["baseline hazard"], ["baseline cumulative hazard"], ["baseline survival"]]
        else:
            labels = [pd.Index(self._strata_names, tupleize_cols=False)] * 3
        self.baseline_hazard_: pd.DataFrame = pd.DataFrame(hazard, index=times, columns=labels[0])
        self.baseline_cumulative_hazard_: pd.DataFrame = pd.DataFrame(cumulative, index=times, columns=labels[1])
        self.baseline_survival_: pd.DataFrame = pd.DataFrame(np.exp(-cumulative), index=times, columns=labels[2])
        self.timeline = (self.baseline_cumulative_hazard_.index if timeline is None
                         else np.asarray(timeline, float))
        z = NormalDist().inv_cdf(1 - self.alpha / 2)
        ci = 100 * (1 - self.alpha)
        se, coef = self.standard_errors_.to_numpy(), self.params_.to_numpy()
        self.confidence_intervals_ = pd.DataFrame(
            np.c_[coef - z * se, coef + z * se], columns=["%g%% lower-bound" % ci, "%g%% upper-bound" % ci],
            index=names)
        return self

    def _prepare(self, df: pd.DataFrame) -> Any:
        """Durations, events, weights, cluster codes, stratum codes, stratum
        names, covariates and the original index, rows in lifelines' order."""
        duration_col, event_col = self.duration_col, self.event_col
        weights_col, cluster_col = self.weights_col, self.cluster_col
        _require_columns(df, duration_col=duration_col, event_col=event_col, weights_col=weights_col,
                         cluster_col=cluster_col, entry_col=self.entry_col, strata=self.strata)
        # lifelines' row order (sorted by strata, time and event): the robust
        # variance's handling of ties depends on it.
        sort_by = ([] if self.strata is None else _as_list(self.strata)) + (
            [duration_col, event_col] if event_col else [duration_col])
        if event_col is not None:
            _event_flags(df[event_col], event_col)  # missing flags raise, naming their rows
        data = df.sort_values(by=sort_by)
        original_index = data.index.copy()
        T = data.pop(duration_col).astype(float)
        E = (data.pop(event_col).astype(bool) if event_col is not None
             else pd.Series(np.ones(len(data), bool), index=data.index, name="E"))
        W = (data.pop(weights_col) if weights_col is not None
             else pd.Series(np.ones(len(data)), index=data.index, name="weights"))
        entries = data.pop(self.entry_col).astype(float) if self.entry_col else None
        clusters = pd.factorize(data.pop(cluster_col))[0].astype(float) if cluster_col else None
        if self.strata is not None:
            strata_cols = _as_list(self.strata)
            groups = data.groupby(strata_cols if len(strata_cols) > 1 else strata_cols[0], sort=True)
            strata_names: Optional[List[Any]] = list(groups.size().index)
            codes: Optional[np.ndarray] = groups.ngroup().to_numpy(dtype=float)
            data = data.drop(columns=strata_cols)
        else:
            strata_names, codes = None, None
        if self.formula is None:
            return T, E, W, clusters, codes, strata_names, data.astype(float), original_index, entries
        if getattr(self, "_model_spec", None) is None:
            formulaic = _formulaic()
            self._model_spec = formulaic.Formula(self.formula).get_model_matrix(data).model_spec
        X = _model_matrix(self._model_spec, data)
        if len(X) != len(data):
            raise TypeError("NaNs were detected in the dataset (in a variable of the formula)")
        return T, E, W, clusters, codes, strata_names, X, original_index, entries

    def compute_followup_hazard_ratios(self, training_df: pd.DataFrame, followup_times: Any) -> pd.DataFrame:
        """Hazard ratios refitted on ``training_df`` as it stood at each
        follow-up time (durations cut there, later events censored), one row
        per time; the same options as the fit (``robust`` does not change
        hazard ratios)."""
        times = [float(t) for t in followup_times]
        if np.ndim(self.penalizer) != 0 or self.entry_col:
            raise NotImplementedError("compute_followup_hazard_ratios does not support an array penalizer or entry_col")
        T, E, W, _, codes, _, X, _, _ = self._prepare(training_df)
        flat = _np(_retention.CoxFit.followup_hazard_ratios(
            _arr(T), _arr(E), [_arr(X[c]) for c in X.columns], times,
            weights=_arr(W) if self.weights_col is not None else None, strata=_opt(codes),
            penalizer=float(self.penalizer),
        ))
        return pd.DataFrame(flat.reshape(len(times), X.shape[1]), index=times, columns=list(X.columns))

    # ----------------------------------------------------------- statistics

    @property
    def concordance_index_(self) -> float:
        """Harrell's C of the durations against the partial hazards (pairs
        within strata)."""
        return self._concordance

    @property
    def summary(self) -> pd.DataFrame:
        """coef, exp(coef), se(coef), bounds, cmp to, z, p, -log2(p) per covariate."""
        z_crit = NormalDist().inv_cdf(1 - self.alpha / 2)
        level = "%g%%" % (100 * (1 - self.alpha))
        coef, se = self.params_.to_numpy(), self.standard_errors_.to_numpy()
        df = pd.DataFrame(index=self.params_.index)
        df["coef"] = coef
        # Under separation the standard errors are huge: the ratios' bounds
        # overflow to inf (and under to 0), which is their value.
        with np.errstate(over="ignore", under="ignore"):
            df["exp(coef)"] = np.exp(coef)
            df["se(coef)"] = se
            df[f"coef lower {level}"] = coef - z_crit * se
            df[f"coef upper {level}"] = coef + z_crit * se
            df[f"exp(coef) lower {level}"] = np.exp(coef) * np.exp(-z_crit * se)
            df[f"exp(coef) upper {level}"] = np.exp(coef) * np.exp(z_crit * se)
        df["cmp to"] = np.zeros_like(coef)
        df["z"] = self._z
        df["p"] = self._p
        with np.errstate(divide="ignore"):
            df["-log2(p)"] = -np.log2(self._p)
        return df

    def log_likelihood_ratio_test(self) -> StatisticalResult:
        """Likelihood-ratio test of the model against no covariates:
        ``2 (ℓ(β̂) − ℓ(0))`` on χ² with one degree of freedom per covariate."""
        if self._lr_test is None:
            raise EmptyInputError("empty input: covariates (a model without covariates has nothing to test)",
                                  what="covariates")
        stat, df, p = self._lr_test
        return StatisticalResult(
            p, stat, name="log-likelihood ratio test", null_distribution="chi squared", degrees_freedom=df,
        )

    def _compute_z_values(self) -> pd.Series:
        """Wald statistics ``coef / se`` (lifelines' private helper)."""
        return pd.Series(self._z, index=self.params_.index)

    def _compute_p_values(self) -> np.ndarray:
        """Two-sided Wald p-values (lifelines' private helper)."""
        return np.asarray(self._p, float)

    def _compute_standard_errors(self, *_: Any) -> pd.Series:
        """The fitted standard errors (lifelines' private helper; its data
        arguments are not needed: the fit already holds them)."""
        return self.standard_errors_.rename("se")

    def _compute_delta_beta(self, X: Any, T: Any, E: Any, weights: Any, index: Any = None) -> pd.DataFrame:
        """Delta-beta residuals of rows given as lifelines passes them to its
        private helper: covariates as they enter the residuals (lifelines
        evaluates them with the standardised coefficients, so standardised
        covariates give R's ``dfbeta``), with the stratum in the index for a
        stratified fit. Rows come in lifelines' order: stratum after stratum,
        each sorted by duration, then event (lifelines expects the rows so
        sorted within strata, and then keeps their order)."""
        X = pd.DataFrame(np.asarray(X, float), columns=self.params_.index, index=getattr(X, "index", None))
        df = X.assign(**{self.duration_col: np.asarray(T, float), self.event_col or "E": np.asarray(E, bool)})
        if self.weights_col is not None:
            df[self.weights_col] = np.asarray(weights, float)
        if self.strata is not None:
            names = _as_list(self.strata)
            for i, name in enumerate(names):
                df[name] = np.asarray(X.index.get_level_values(i) if len(names) > 1 else X.index)
        df = df.reset_index(drop=True)
        out = self.compute_residuals(df, "delta_beta")
        return out.set_axis(X.index[out.index.to_numpy()] if index is None else index)

    def print_summary(self, decimals: int = 2, style: Optional[str] = None, columns: Any = None,
                      **kwargs: Any) -> None:
        """Prints the model description, :attr:`summary` (only ``columns``
        when given) and fit statistics in lifelines' layout; ``style`` is
        ``None``/``"ascii"`` (text), ``"html"`` or ``"latex"``; ``kwargs`` are
        printed as extra header lines."""
        head: List[Any] = [("duration col", repr(self.duration_col))]
        if self.event_col:
            head.append(("event col", repr(self.event_col)))
        if self.weights_col:
            head.append(("weights col", repr(self.weights_col)))
        if self.entry_col:
            head.append(("entry col", repr(self.entry_col)))
        if self.cluster_col:
            head.append(("cluster col", repr(self.cluster_col)))
        if np.any(np.asarray(self.penalizer) > 0):
            head += [("penalizer", self.penalizer), ("l1 ratio", self.l1_ratio)]
        if self.robust or self.cluster_col:
            head.append(("robust variance", True))
        if self.strata is not None:
            head.append(("strata", self.strata))
        head += [
            ("baseline estimation", self.baseline_estimation_method),
            ("number of observations", "{:g}".format(self.weights.sum())),
            ("number of events observed", "{:g}".format(self.weights[self.event_observed].sum())),
            ("partial log-likelihood", "{:.{p}f}".format(self.log_likelihood_, p=decimals)),
            ("time fit was run", self._time_fit_was_called),
        ]
        head += list(kwargs.items())
        foot: List[Any] = [
            ("Concordance", "{:.{p}f}".format(self.concordance_index_, p=decimals)),
            ("Partial AIC", "{:.{p}f}".format(self.AIC_partial_, p=decimals)),
        ]
        foot += _lr_footer(self._lr_test, decimals)
        print(_summary_text(self, head, foot, decimals, style, columns))

    def score(self, df: pd.DataFrame, scoring_method: str = "log_likelihood") -> float:
        """Mean unpenalised partial log-likelihood of ``df`` at the fitted
        coefficients, or (``scoring_method="concordance_index"``) Harrell's C
        of its durations against the predicted partial hazards."""
        if scoring_method not in ("log_likelihood", "concordance_index"):
            raise NotImplementedError(f"scoring_method={scoring_method!r} is not supported")
        T = df[self.duration_col].to_numpy(dtype=float)
        E = (df[self.event_col].to_numpy().astype(bool) if self.event_col is not None
             else np.ones(len(df), dtype=bool))
        cols = self._columns(self._design(df))
        if scoring_method == "concordance_index":
            return float(self._fit.score_concordance(_arr(T), _arr(E), cols))
        W = df[self.weights_col].to_numpy(dtype=float) if self.weights_col else None
        entries = df[self.entry_col].to_numpy(dtype=float) if self.entry_col else None
        return float(self._fit.score_log_likelihood(_arr(T), _arr(E), cols, weights=_opt(W),
                                                    strata=_opt(self._stratum_codes(df)), entries=_opt(entries)))

    # ---------------------------------------------------------- predictions

    def _design(self, X: Any) -> pd.DataFrame:
        names = list(self.params_.index)
        if isinstance(X, pd.Series):
            X = X.to_frame().T.infer_objects()
        if isinstance(X, pd.DataFrame):
            if getattr(self, "_model_spec", None) is None:
                return X
            # The fit's formula, then the strata columns (for the stratum codes).
            design = _model_matrix(self._model_spec, X)
            if self._strata_names is not None:
                strata = [c for c in _as_list(self.strata) if c in X.columns and c not in design.columns]
                design = pd.concat([design, X.loc[design.index, strata]], axis=1)
            return design
        arr = np.asarray(X, float)
        if arr.ndim == 1:
            arr = arr.reshape(1, -1) if len(names) != 1 or arr.size == 1 else arr.reshape(-1, 1)
        return pd.DataFrame(arr, columns=names)

    def _columns(self, X: pd.DataFrame) -> List[Any]:
        return [_arr(X[c].to_numpy(dtype=float)) for c in self.params_.index]

    def _stratum_codes(self, X: pd.DataFrame) -> Optional[np.ndarray]:
        """The fit's code of each row's stratum; a stratum the fit did not see
        raises :class:`~.exceptions.UnseenStratumError` (an
        :class:`InvalidRowsError` and lifelines' ``StatError``) naming the rows
        and their stratum."""
        if self._strata_names is None:
            return None
        cols = _as_list(self.strata)
        lookup = {name: float(i) for i, name in enumerate(self._strata_names)}
        keys = X[cols[0]] if len(cols) == 1 else pd.Series(list(zip(*(X[c] for c in cols))), index=X.index)
        unknown = [(row, key) for row, key in enumerate(keys) if key not in lookup]
        if unknown:
            issues = [dict(row=row, field="stratum", value=str(key), reason="a stratum the fit did not see",
                           kind="missing") for row, key in unknown]
            shown = "; ".join(f"row {i['row']}: field `stratum` = {i['value']!r}: {i['reason']}" for i in issues[:10])
            raise exceptions.UnseenStratumError(f"{len(issues)} invalid input row(s): {shown} (strata of the fit: "
                                                f"{self._strata_names})", issues=issues)
        return np.array([lookup[k] for k in keys], float)

    def predict_log_partial_hazard(self, X: Any) -> pd.Series:
        """``(x − mean_train)·β`` per row, as lifelines."""
        X = self._design(X)
        return pd.Series(_np(self._fit.log_partial_hazard(self._columns(X), len(X))), index=X.index)

    def predict_partial_hazard(self, X: Any) -> pd.Series:
        """``exp((x − mean_train)·β)`` per row, as lifelines."""
        return np.exp(self.predict_log_partial_hazard(X))

    def _times(self, times: Any) -> np.ndarray:
        return np.asarray(self.timeline if times is None else np.atleast_1d(times), float)

    def _stratum_order(self, X: pd.DataFrame, codes: Optional[np.ndarray]) -> np.ndarray:
        # lifelines lays out stratified predictions one stratum after another.
        return np.arange(len(X)) if codes is None else np.argsort(codes, kind="stable")

    def predict_cumulative_hazard(self, X: Any, times: Any = None, conditional_after: Any = None) -> pd.DataFrame:
        """``H₀(t)·exp((x − mean)·β)`` at ``times`` (default the timeline),
        one column per row of ``X``; with ``conditional_after`` (one time
        ``s`` per row) the remaining hazard given survival to ``s``,
        ``max(0, H₀(s + t) − H₀(s))·exp((x − mean)·β)``, ``t`` counted from
        ``s``."""
        X = self._design(X)
        t = self._times(times)
        codes = self._stratum_codes(X)
        flat = _np(self._fit.cumulative_hazard(self._columns(X), len(X), _opt(codes), t.tolist(),
                                               _after(conditional_after)))
        out = pd.DataFrame(flat.reshape(len(t), len(X)), index=t if times is not None else self.timeline,
                           columns=X.index)
        order = self._stratum_order(X, codes)
        return out.iloc[:, order]

    def predict_survival_function(self, X: Any, times: Any = None, conditional_after: Any = None) -> pd.DataFrame:
        """``exp(−H(t | x))``, laid out as :meth:`predict_cumulative_hazard`."""
        return np.exp(-self.predict_cumulative_hazard(X, times=times, conditional_after=conditional_after))

    def predict_percentile(self, X: Any, p: float = 0.5, conditional_after: Any = None) -> Any:
        """First time of the timeline where each row's survival is ``≤ p``
        (``inf`` if never); a float for a single row, as lifelines. With
        ``conditional_after``, the remaining time given survival to it."""
        if not 0 <= p <= 1:
            raise ValueError("q must be between 0 and 1")
        X = self._design(X)
        v = _np(self._fit.percentile(self._columns(X), len(X), _opt(self._stratum_codes(X)),
                                     self._times(None).tolist(), float(p), _after(conditional_after)))
        if len(X) == 1:
            return float(v[0])
        return pd.Series(v, index=X.index, name=p)

    def predict_median(self, X: Any, conditional_after: Any = None) -> Any:
        """:meth:`predict_percentile` at ``p = 0.5``."""
        return self.predict_percentile(X, 0.5, conditional_after=conditional_after)

    def predict_expectation(self, X: Any, conditional_after: Any = None) -> pd.Series:
        """Trapezoidal integral of each row's survival over the timeline (as
        lifelines, from the first time of the timeline); with
        ``conditional_after``, of the remaining lifetime given survival to it."""
        X = self._design(X)
        v = _np(self._fit.expectation(self._columns(X), len(X), _opt(self._stratum_codes(X)),
                                      self._times(None).tolist(), _after(conditional_after)))
        return pd.Series(v, index=X.index)

    def predict_hazard(self, *args: Any, **kwargs: Any) -> None:
        """Not available with a Breslow baseline (as in lifelines)."""
        raise NotImplementedError(
            "This can't be reliably computed for the Cox proportional hazard model with Breslow baseline hazard.")

    def fit_right_censoring(self, *args: Any, **kwargs: Any) -> "CoxPHFitter":
        """Alias of :meth:`fit`, as in lifelines."""
        return self.fit(*args, **kwargs)

    def _not_supported(self, name: str) -> None:
        raise NotImplementedError(f"retention.compat.lifelines.CoxPHFitter does not support {name}()")

    def fit_interval_censoring(self, *args: Any, **kwargs: Any) -> None:
        """Not supported: raises ``NotImplementedError``."""
        self._not_supported("fit_interval_censoring")

    def fit_left_censoring(self, *args: Any, **kwargs: Any) -> None:
        """Not supported: raises ``NotImplementedError``."""
        self._not_supported("fit_left_censoring")

    def plot(self, *args: Any, **kwargs: Any) -> None:
        """Not supported: raises ``NotImplementedError``."""
        self._not_supported("plot")

    def plot_partial_effects_on_outcome(self, *args: Any, **kwargs: Any) -> None:
        """Not supported: raises ``NotImplementedError``."""
        self._not_supported("plot_partial_effects_on_outcome")

    @property
    def AIC_(self) -> float:
        """Not defined for the semi-parametric model: use ``AIC_partial_``."""
        raise AttributeError("the Cox model is semi-parametric; use AIC_partial_")

    # ------------------------------------------------- residuals, PH checks

    #: Kinds accepted by :meth:`compute_residuals`: the core's vocabulary
    #: ``cox_residual_kind`` (lifelines' names).
    _ALLOWED_RESIDUALS = frozenset(_retention.vocabulary()["cox_residual_kind"])

    def _training_arrays(self, training_df: pd.DataFrame) -> Any:
        """The training data in lifelines' row order, as the core wants it:
        (durations, events, covariates), (weights, strata codes), and the
        durations, events and original index as pandas objects. Not
        available for a fit with ``entry_col`` (as in lifelines)."""
        if self.entry_col is not None:
            raise NotImplementedError("retention.compat.lifelines: residuals and the proportional hazard test "
                                      "are not available for a fit with entry_col (as in lifelines)")
        T, E, W, _, codes, _, X, index, _ = self._prepare(training_df)
        core = (_arr(T), _arr(E), [_arr(X[c]) for c in self.params_.index])
        rows = (_arr(W) if self.weights_col is not None else None, _opt(codes))
        return core, rows, T, E, index

    def compute_residuals(self, training_dataframe: pd.DataFrame, kind: str) -> pd.DataFrame:
        """Residuals of the fitted model on its training data, as lifelines:
        ``kind`` one of ``"schoenfeld"``, ``"scaled_schoenfeld"`` (one row per
        observed event), ``"score"``, ``"delta_beta"`` (one row per subject,
        one column per covariate), ``"martingale"`` or ``"deviance"`` (the
        duration and event columns plus the residual). Rows follow lifelines'
        order (sorted by strata, duration and event) with the original index.
        """
        if kind not in self._ALLOWED_RESIDUALS:
            raise ValueError("kind must be in %s" % sorted(self._ALLOWED_RESIDUALS))
        (d, e, cols), (w, s), T, E, index = self._training_arrays(training_dataframe)
        values = _np(self._fit.residuals(d, e, cols, cast(codes.CoxResidualKind, kind), weights=w, strata=s))
        if kind in ("martingale", "deviance"):
            return pd.DataFrame({self.duration_col: T.to_numpy(), self.event_col: E.to_numpy(), kind: values},
                                index=index)
        frame = pd.DataFrame(values.reshape(len(index), len(self.params_)), columns=self.params_.index, index=index)
        if kind in ("schoenfeld", "scaled_schoenfeld"):
            return frame[E.to_numpy()]
        return frame

    def _proportional_hazard_test(self, training_df: pd.DataFrame, transform: str) -> Any:
        """Statistics and p-values of the proportional hazard test, one per
        covariate (see ``statistics.proportional_hazard_test``)."""
        (d, e, cols), (w, s), _, _, _ = self._training_arrays(training_df)
        code = cast(codes.CoxTimeTransform, transform)
        flat = _np(self._fit.proportional_hazard_test(d, e, cols, code, weights=w, strata=s)).reshape(-1, 2)
        return flat[:, 0], flat[:, 1]

    def check_assumptions(
        self, training_df: pd.DataFrame, advice: bool = True, show_plots: bool = False,
        p_value_threshold: float = 0.01, plot_n_bootstraps: int = 15, columns: Optional[List[str]] = None,
        raise_on_fail: bool = False,
    ) -> List[Any]:
        """Tests proportional hazards for each covariate (rank and
        Kaplan-Meier time transforms) and prints, for each one whose smallest
        p-value (rounded to two decimals) is at most ``p_value_threshold``,
        lifelines' advice. ``show_plots=True`` is not supported. Returns an
        empty list (lifelines' list of plot axes)."""
        from .statistics import proportional_hazard_test

        if show_plots:
            raise NotImplementedError("retention.compat.lifelines check_assumptions does not support show_plots=True")
        if not training_df.index.is_unique:
            raise IndexError("`training_df` index should be unique for this exercise. Please make it unique or use "
                             "`.reset_index(drop=True)` to force a unique index")
        results = proportional_hazard_test(self, training_df, time_transform=["rank", "km"])
        summary = results.summary
        link = "https://lifelines.readthedocs.io/en/latest/jupyter_notebooks/Proportional%20hazard%20assumption.html"
        failed = 0
        # The covariates as fitted (the design matrix of a formula).
        design = training_df if getattr(self, "_model_spec", None) is None else self._design(training_df)
        for variable in self.params_.index.intersection(columns or self.params_.index):
            p_min = summary.loc[variable, "p"].min()
            if np.round(p_min, 2) > p_value_threshold:
                continue
            failed += 1
            if failed == 1:
                if advice:
                    print(fill(
                        f"The ``p_value_threshold`` is set at {p_value_threshold:g}. Even under the null hypothesis "
                        "of no violations, some covariates will be below the threshold by chance. This is "
                        "compounded when there are many covariates. Similarly, when there are lots of "
                        "observations, even minor deviances from the proportional hazard assumption will be "
                        "flagged.", width=100))
                    print()
                    print(fill(
                        "With that in mind, it's best to use a combination of statistical tests and visual tests "
                        "to determine the most serious violations. Produce visual plots using "
                        "``check_assumptions(..., show_plots=True)`` and looking for non-constant lines. See link "
                        "[A] below for a full example.", width=100))
                    print()
                results.print_summary()
                print()
            print()
            print("%d. Variable '%s' failed the non-proportional test: p-value is %s."
                  % (failed, variable, _format_p_value(p_min)), end="\n\n")
            if advice:
                counts = design[variable].value_counts()
                if counts.shape[0] <= 6 and counts.min() >= 5:
                    print(fill(
                        f"   Advice: with so few unique values (only {counts.shape[0]}), you can include "
                        f"`strata=['{variable}', ...]` in the call in `.fit`. See documentation in link [E] below.",
                        width=100))
                else:
                    for text in (
                        f"   Advice 1: the functional form of the variable '{variable}' might be incorrect. That "
                        "is, there may be non-linear terms missing. The proportional hazard test used is very "
                        "sensitive to incorrect functional forms. See documentation in link [D] below on how to "
                        "specify a functional form.",
                        f"   Advice 2: try binning the variable '{variable}' using pd.cut, and then specify it in "
                        f"`strata=['{variable}', ...]` in the call in `.fit`. See documentation in link [B] below.",
                        "   Advice 3: try adding an interaction term with your time variable. See documentation in "
                        "link [C] below.",
                    ):
                        print(fill(text, width=100), end="\n\n")
        if advice and failed:
            print("\n---")
            for key, anchor in (("A", ""), ("B", "#Bin-variable-and-stratify-on-it"),
                                ("C", "#Introduce-time-varying-covariates"), ("D", "#Modify-the-functional-form"),
                                ("E", "#Stratification")):
                print(f"[{key}]  {link}{anchor}")
            print()
        if failed == 0:
            print("Proportional hazard assumption looks okay.")
        elif raise_on_fail:
            raise ProportionalHazardAssumptionError()
        return []

    def __repr__(self) -> str:
        label = f'"{self.label}",' if self.label else ""
        if not hasattr(self, "weights"):
            return "<lifelines.CoxPHFitter>"
        total = self.weights.sum()
        censored = total - self.weights[np.asarray(self.event_observed) > 0].sum()
        return f"<lifelines.CoxPHFitter:{label} fitted with {total:g} total observations, {censored:g} right-censored observations>"


def _lr_footer(lr_test: Any, decimals: int) -> List[Any]:
    """The likelihood-ratio lines of a summary's footer (none without a test)."""
    if lr_test is None:
        return []
    stat, df, p_value = lr_test
    with np.errstate(divide="ignore"):
        minus_log2 = -np.log2(p_value)
    return [
        ("log-likelihood ratio test", "{:.{p}f} on {} df".format(stat, df, p=decimals)),
        ("-log2(p) of ll-ratio test", "{:.{p}f}".format(minus_log2, p=decimals)),
    ]


def _format_p_value(p: float) -> str:
    """A p-value with four decimals, or ``<5e-05`` below that (lifelines)."""
    return "<5e-05" if p < 5e-05 else "{:4.4f}".format(p)
