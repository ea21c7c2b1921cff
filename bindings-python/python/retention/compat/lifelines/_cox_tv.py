"""``CoxTimeVaryingFitter``: the Cox model on ``(start, stop]`` rows (time-varying
covariates), with lifelines' attributes, fitted by the Rust core
(``retention._retention.CoxFit`` with entry times)."""

from __future__ import annotations

import time
from datetime import datetime, timezone
from statistics import NormalDist
from typing import Any, Dict, List, Optional

import numpy as np
import pandas as pd

from ... import _retention
from . import exceptions
from ._common import _event_flags, _nan_checked, _require_columns, _summary_text
from ._cox import _FIT_OPTIONS, CoxPHFitter, _after, _arr, _as_list, _formulaic, _lr_footer, _model_matrix, _opt
from ._cox import _to_list_or_singleton


class CoxTimeVaryingFitter:
    """Cox proportional hazards with time-varying covariates (lifelines'
    ``CoxTimeVaryingFitter``): each row of the data is one period
    ``(start, stop]`` of a subject with the covariate values of that period,
    and a row is at risk at an event time ``t`` iff ``start < t ≤ stop``.
    Efron ties, case weights, strata, a ridge ``penalizer`` (scalar or one per
    covariate) and ``formula`` as in lifelines.

    Differences from lifelines: ``l1_ratio`` other than 0 raises
    ``NotImplementedError`` (as ``robust=True`` does in lifelines); the baseline hazard is Breslow's with the case weights in its
    denominator too (lifelines weights only the events) and, with strata, one
    column per stratum (lifelines pools the strata).

    Example
    -------
    >>> import pandas as pd
    >>> from retention.compat.lifelines import CoxTimeVaryingFitter
    >>> df = pd.DataFrame({
    ...     "id": [1, 1, 2, 3, 3, 4, 5],
    ...     "start": [0, 2, 0, 0, 1, 0, 0], "stop": [2, 5, 3, 1, 4, 6, 2],
    ...     "event": [0, 1, 1, 0, 1, 0, 1], "x": [0.0, 1.0, 2.0, 1.0, 0.5, 0.3, 1.5]})
    >>> ctv = CoxTimeVaryingFitter().fit(df, event_col="event", id_col="id")
    >>> ctv.params_.index.tolist()
    ['x']
    >>> bool(ctv.baseline_survival_.iloc[-1, 0] < 1)
    True
    """

    def __init__(self, alpha: float = 0.05, penalizer: Any = 0.0, l1_ratio: float = 0.0, strata: Any = None) -> None:
        if not 0 < alpha < 1:
            raise ValueError("alpha parameter must be between 0 and 1.")
        self.alpha = alpha
        self.penalizer = penalizer
        self.l1_ratio = l1_ratio
        self.strata = _to_list_or_singleton(strata)

    def fit(
        self,
        df: pd.DataFrame,
        event_col: str,
        start_col: str = "start",
        stop_col: str = "stop",
        weights_col: Optional[str] = None,
        id_col: Optional[str] = None,
        show_progress: bool = False,
        robust: bool = False,
        strata: Any = None,
        initial_point: Any = None,
        formula: Optional[str] = None,
        fit_options: Optional[Dict[str, Any]] = None,
    ) -> "CoxTimeVaryingFitter":
        """Fits on every column of ``df`` except the event, start, stop,
        weights, id and strata columns (or on ``formula``'s design matrix of
        them). ``id_col`` only labels the rows (and counts the subjects); the
        periods of a subject are not checked for overlaps, as in lifelines.
        ``fit_options`` keys ``max_steps`` and ``precision`` set the core's
        iteration limit (default 50, as lifelines) and its step-norm and
        Newton-decrement tolerance (default 1e-9: lifelines takes one more
        step after its 1e-8, the core reports the last point evaluated);
        ``step_size`` is the first damping of the Newton steps (default
        0.95) and ``r_precision`` the relative change of the log-likelihood
        that stops the iterations (default 0, off: lifelines' time-varying
        fitter never applies it). ``show_progress`` prints lifelines' line
        per iteration, then its closing line."""
        if robust:
            raise NotImplementedError("Not available yet.")
        if self.l1_ratio:
            raise NotImplementedError("retention.compat.lifelines CoxTimeVaryingFitter does not support l1_ratio != 0")
        opts = dict(fit_options or {})
        unknown = set(opts) - _FIT_OPTIONS
        if unknown:
            raise TypeError(f"unexpected fit_options: {', '.join(sorted(unknown))}")
        # A KeyError, as in lifelines, that also names the argument.
        _require_columns(df, event_col=event_col, start_col=start_col, stop_col=stop_col,
                         id_col=id_col, weights_col=weights_col)
        self.strata = _to_list_or_singleton(strata if strata is not None else self.strata)
        self.robust = robust
        self.event_col, self.id_col, self.start_col, self.stop_col = event_col, id_col, start_col, stop_col
        self.weights_col, self.formula = weights_col, formula
        self._time_fit_was_called = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M:%S") + " UTC"

        data = df.copy()
        keys = ([] if self.strata is None else _as_list(self.strata)) + ([] if id_col is None else [id_col])
        if keys:
            data = data.set_index(keys)
            if self.strata is not None and id_col is not None:
                data = data.sort_index()
        events = pd.Series(_event_flags(data.pop(event_col), event_col), index=data.index, name=event_col)
        start, stop = data.pop(start_col).astype(float), data.pop(stop_col).astype(float)
        weights = (data.pop(weights_col).astype(float) if weights_col is not None
                   else pd.Series(np.ones(len(data)), index=data.index, name="__weights"))
        if self.strata is not None:
            strata_cols = _as_list(self.strata)
            groups = data.groupby(level=strata_cols if len(strata_cols) > 1 else strata_cols[0], sort=True)
            self._strata_names: Optional[List[Any]] = list(groups.size().index)
            codes: Optional[np.ndarray] = groups.ngroup().to_numpy(dtype=float)
        else:
            self._strata_names, codes = None, None
        self._model_spec: Any = None
        if formula is not None:
            self._model_spec = _formulaic().Formula(formula).get_model_matrix(data).model_spec
            X = _model_matrix(self._model_spec, data)
        else:
            X = data.astype(float)
        names = pd.Index(list(X.columns), name="covariate")

        scalar = np.ndim(self.penalizer) == 0
        started = time.time()
        self._fit = _nan_checked(lambda: _retention.CoxFit.fit(
            _arr(stop), _arr(events), [_arr(X[c]) for c in names],
            weights=_arr(weights) if weights_col is not None else None, strata=_opt(codes),
            penalizer=float(self.penalizer) if scalar else None,
            penalizers=None if scalar else np.asarray(self.penalizer, float).tolist(),
            max_iterations=int(opts.get("max_steps", 50)), tolerance=float(opts.get("precision", 1e-9)),
            step_size=None if opts.get("step_size") is None else float(opts["step_size"]),
            r_precision=float(opts.get("r_precision", 0.0)), return_unconverged=True,
            entries=_arr(start), initial_point=_after(initial_point),
        ))
        r = self._fit.result()
        self.regressors = {"beta_": formula if formula is not None else list(names)}
        if show_progress:
            exceptions.print_progress(r, started, "Convergence completed after %d iterations.")
        exceptions.issue_after_fit(lambda: [], r["fit_warnings"])
        k = len(names)
        self.params_ = pd.Series(np.asarray(r["coefficients"], float), index=names, name="coef")
        self.hazard_ratios_ = pd.Series(np.exp(self.params_.to_numpy()), index=names, name="exp(coef)")
        self.standard_errors_ = pd.Series(np.asarray(r["standard_errors"], float), index=names, name="se")
        self.variance_matrix_ = pd.DataFrame(np.asarray(r["variance_matrix"], float).reshape(k, k), index=names)
        self.log_likelihood_ = float(r["log_likelihood"])
        self._log_likelihood_null = float(r["null_log_likelihood"])
        self._lr_test = r["lr_test"]
        self._z = np.asarray(r["z"], float)
        self._p = np.asarray(r["p_values"], float)
        self.AIC_partial_ = float(r["aic_partial"])
        self._norm_mean = pd.Series(np.asarray(r["means"], float), index=names)
        self._norm_std = pd.Series(np.asarray(r["std_devs"], float), index=names)
        z = NormalDist().inv_cdf(1 - self.alpha / 2)
        ci = 100 * (1 - self.alpha)
        se, coef = self.standard_errors_.to_numpy(), self.params_.to_numpy()
        self.confidence_intervals_ = pd.DataFrame(
            np.c_[coef - z * se, coef + z * se], columns=["%g%% lower-bound" % ci, "%g%% upper-bound" % ci],
            index=names)

        # The core's Breslow curves on every stop time; lifelines keeps the event times.
        times = np.asarray(r["baseline"]["times"], float)
        cumulative = np.asarray(r["baseline_cumulative_hazard"], float).reshape(-1, len(times)).T
        keep = np.isin(times, np.unique(stop[events.to_numpy()]))
        columns: Any = (["baseline hazard"] if self._strata_names is None
                        else pd.Index(self._strata_names, tupleize_cols=False))
        self.baseline_cumulative_hazard_ = pd.DataFrame(cumulative[keep], index=times[keep], columns=columns)
        self.baseline_survival_ = np.exp(-self.baseline_cumulative_hazard_)
        if self._strata_names is None:
            self.baseline_survival_.columns = ["baseline survival"]
        self.event_observed = events
        self.start_stop_and_events = pd.DataFrame({"event": events, "start": start, "stop": stop})
        self.weights = weights
        self._n_examples = X.shape[0]
        self._n_unique = X.index.unique().shape[0]
        return self

    # Statistics and predictions shared with CoxPHFitter (same attributes).
    summary = CoxPHFitter.summary
    log_likelihood_ratio_test = CoxPHFitter.log_likelihood_ratio_test
    predict_log_partial_hazard = CoxPHFitter.predict_log_partial_hazard
    predict_partial_hazard = CoxPHFitter.predict_partial_hazard
    _design = CoxPHFitter._design
    _columns = CoxPHFitter._columns

    def print_summary(self, decimals: int = 2, style: Optional[str] = None, columns: Any = None,
                      **kwargs: Any) -> None:
        """Prints the model description, :attr:`summary` (only ``columns``
        when given) and fit statistics in lifelines' layout (``style``
        ``None``/``"ascii"``, ``"html"`` or ``"latex"``)."""
        head: List[Any] = [("event col", repr(self.event_col))]
        if self.weights_col:
            head.append(("weights col", repr(self.weights_col)))
        if np.any(np.asarray(self.penalizer) > 0):
            head.append(("penalizer", self.penalizer))
        if self.strata:
            head.append(("strata", self.strata))
        head += [
            ("number of subjects", self._n_unique),
            ("number of periods", self._n_examples),
            ("number of events", int(self.event_observed.sum())),
            ("partial log-likelihood", "{:.{p}f}".format(self.log_likelihood_, p=decimals)),
            ("time fit was run", self._time_fit_was_called),
        ]
        head += list(kwargs.items())
        foot: List[Any] = [("Partial AIC", "{:.{p}f}".format(self.AIC_partial_, p=decimals))]
        foot += _lr_footer(self._lr_test, decimals)
        print(_summary_text(self, head, foot, decimals, style, columns))

    def plot(self, *args: Any, **kwargs: Any) -> None:
        """Not supported: raises ``NotImplementedError``."""
        raise NotImplementedError("retention.compat.lifelines.CoxTimeVaryingFitter does not support plot()")

    def __repr__(self) -> str:
        try:
            return "<lifelines.CoxTimeVaryingFitter: fitted with %d periods, %d subjects, %d events>" % (
                self._n_examples, self._n_unique, self.event_observed.sum())
        except AttributeError:
            return "<lifelines.CoxTimeVaryingFitter>"
