"""``CoxPHFitter``."""

from __future__ import annotations

from typing import Any, Dict, Optional

import numpy as np
import pandas as pd

from ... import _api

from ._common import _unsupported


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
