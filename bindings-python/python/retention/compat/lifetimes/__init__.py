"""``lifetimes`` 0.11.3 names on the Rust core.

The fitters take the same constructor and ``fit`` arguments as lifetimes and
expose ``params_`` (with lifetimes' parameter names), ``summary``,
``standard_errors_``, ``variance_matrix_``, ``confidence_intervals_``,
``_negative_log_likelihood_``, ``data`` and the prediction methods;
``params_`` may also be set by hand (a Series or dict with those names): the
predictions then use a core model built from them, with or without ``fit``.
``save_model`` / ``load_model`` write and read a versioned JSON document
(:mod:`retention.compat.lifetimes._persist`), ``generate_new_data(size,
seed=None)`` simulates customers from the fitted model
(:mod:`retention.compat.lifetimes.generate_data`), and the static
``_negative_log_likelihood`` gives lifetimes' fitting objective from the
core's log-likelihood.

Differences from lifetimes, on purpose:

* invalid input raises :class:`retention.InvalidRowsError` naming every bad
  row and field (lifetimes raises a bare ``ValueError`` or returns NaN), and a
  fractional ``frequency`` is rejected rather than truncated;
* ``tol`` caps the optimizer's gradient tolerance (default ``1e-8``) and
  ``verbose``/``**kwargs`` (scipy options) are accepted and ignored;
* ``ParetoNBDFitter`` also reports standard errors, and every fitter also has
  ``log_likelihood_`` (the maximised log-likelihood in the data's time unit);
* ``variance_matrix_`` is the inverse observed information (lifetimes
  multiplies the inverse Hessian in log-parameters by ``params²`` column-wise,
  which agrees on the diagonal only);
* fitting rejects rows with ``frequency == 0`` and ``recency > 0`` (not a
  possible history); predictions accept them and evaluate the formulas, as
  lifetimes does (so ``conditional_probability_alive_matrix`` equals
  lifetimes' everywhere, its frequency-0 column included);
* ``save_model`` writes JSON, not a ``dill`` pickle: lifetimes' files cannot
  be loaded (and ours load into our fitters only); ``values_to_save``
  placeholders must be JSON values;
* ``generate_new_data`` and ``generate_data`` draw from the core's seeded,
  portable streams (``seed``; by default one drawn from numpy's global
  generator), count every simulated purchase in ``frequency`` and place
  transactional purchases at ``first purchase + t`` (see that module);
* ``repr`` names ``retention.compat.lifetimes.X`` rather than
  ``lifetimes.X``;
* lifetimes' numerical internals (``_conditional_log_likelihood``,
  ``BetaGeoBetaBinomFitter._loglikelihood``, ``_fit``, ``_compute_*``) are not offered: the core computes the
  likelihoods (``_negative_log_likelihood`` gives their total).

Like lifetimes, the continuous-time fitters fit on time divided by ``max(T)``
(so ``penalizer_coef`` acts on the same scaled parameters) and report
``alpha`` (and Pareto/NBD's ``beta``) in the data's unit.
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Sequence, Tuple, cast

import numpy as np
import pandas as pd
import pyarrow as pa

from ... import _retention, codes
from ... import models as _m
from .utils import _FREQ_UNITS

__all__ = [
    "BaseFitter",
    "BetaGeoFitter",
    "ModifiedBetaGeoFitter",
    "ParetoNBDFitter",
    "BetaGeoBetaBinomFitter",
    "GammaGammaFitter",
]


def _like(values: np.ndarray, *inputs: Any) -> Any:
    """``values`` shaped like lifetimes' output for these inputs: a float for
    scalars, a Series on the first Series' index, else an array."""
    for x in inputs:
        if isinstance(x, pd.Series):
            return pd.Series(values, index=x.index)
    if all(np.ndim(x) == 0 for x in inputs):
        return float(values.reshape(-1)[0])
    return values


def _broadcast(*inputs: Any) -> List[np.ndarray]:
    return [np.ascontiguousarray(a, dtype=float).ravel() for a in np.broadcast_arrays(*[np.asarray(x, dtype=float) for x in inputs])]


def _by_unique(t: np.ndarray, compute: Any) -> np.ndarray:
    """Evaluates ``compute(t_value, mask)`` per distinct ``t`` (the core takes
    one horizon per call) and scatters the results."""
    out = np.empty(t.shape, dtype=float)
    for value in np.unique(t):
        mask = t == value
        out[mask] = compute(float(value), mask)
    return out


def _nll(score: float, weights: Any, params: Any, penalizer_coef: float, mean: bool = False) -> float:
    """lifetimes' objective from a total log-likelihood: ``−ℓ / Σw`` (``/ mean w``
    with ``mean``) plus ``penalizer_coef · Σ p²``."""
    w = np.asarray(weights, dtype=float)
    norm = float(np.mean(w)) if mean else float(np.sum(w))
    return -score / norm + float(penalizer_coef) * float(np.sum(np.square(np.asarray(params, dtype=float))))


class BaseFitter:
    """What every fitter shares: ``params_`` (set by ``fit``, or by hand: a
    Series or dict with the fitter's parameter names, which the predictions
    then use), the error estimates, ``summary``, :meth:`save_model` and
    :meth:`load_model`."""

    _NAMES: Tuple[str, ...] = ()
    data: Any

    def __init__(self, penalizer_coef: float = 0.0) -> None:
        self.penalizer_coef = penalizer_coef

    def _core_model(self, values: Tuple[float, ...]) -> Any:
        """The core model with parameters ``values`` (in ``_NAMES`` order)."""
        raise NotImplementedError(f"{type(self).__name__} has no model to predict with")

    def _fitted(self) -> Any:
        """The core model behind ``params_``: the fitted one, or one built
        from hand-set ``params_`` (rebuilt whenever they change)."""
        params = getattr(self, "params_", None)
        if params is None:
            raise ValueError("Model has not been fit yet. Please call the .fit method first.")
        values = tuple(float(params[n]) for n in self._NAMES)
        if getattr(self, "_model_params", None) != values or getattr(self, "_model", None) is None:
            self._model = self._core_model(values)
            self._model_params = values
        return self._model

    def save_model(
        self, path: str, save_data: bool = True, save_generate_data_method: bool = True,
        values_to_save: Optional[Sequence[Any]] = None,
    ) -> None:
        """Writes the fitter to ``path`` as JSON (format in
        :mod:`retention.compat.lifetimes._persist`; not a pickle).

        ``save_data=False`` leaves ``data`` out, ``save_generate_data_method=False``
        ``generate_new_data``; ``values_to_save`` gives, in that order, what
        :meth:`load_model` puts in their place (default ``None``).
        """
        from . import _persist

        _persist.save(self, path, save_data, save_generate_data_method, values_to_save)

    def load_model(self, path: str) -> None:
        """Reads a fitter written by :meth:`save_model` into this one (same
        class; a file of another class, or not of this format, raises
        :class:`retention.errors.InvalidParameterError`)."""
        from . import _persist

        _persist.load(self, path)

    def __repr__(self) -> str:
        name = type(self).__name__
        try:
            subj = f" fitted with {self.data.shape[0]:d} subjects,"
        except AttributeError:
            subj = ""
        try:
            params = ", ".join(f"{k}: {v:.2f}" for k, v in sorted(self.params_.items()))
        except AttributeError:
            return f"<retention.compat.lifetimes.{name}>"
        return f"<retention.compat.lifetimes.{name}:{subj} {params}>"

    def _unload_params(self, *names: str) -> List[float]:
        if getattr(self, "params_", None) is None:
            raise ValueError("Model has not been fit yet. Please call the .fit method first.")
        return [float(self.params_[n]) for n in names]

    def _set_results(self, params: Sequence[float], diag: _m.FitDiagnostics) -> None:
        """Stores ``params_`` and the covariance behind the error estimates
        (both in the data's unit). The tables derived from the covariance
        are built on first access."""
        names = list(self._NAMES)
        self.params_ = pd.Series(np.asarray(params, dtype=float), index=names)
        self._model_params = tuple(float(v) for v in params)
        cov = diag.covariance
        self._covariance = np.full((len(names), len(names)), np.nan) if cov is None else cov

    @property
    def variance_matrix_(self) -> pd.DataFrame:
        """Covariance of the estimates (inverse observed information)."""
        names = list(self.params_.index)
        return pd.DataFrame(self._covariance, index=names, columns=names)

    @property
    def standard_errors_(self) -> pd.Series:
        """Standard errors of the estimates."""
        return pd.Series(np.sqrt(np.diag(self._covariance)), index=self.params_.index)

    @property
    def confidence_intervals_(self) -> pd.DataFrame:
        """95 % normal confidence bounds of the estimates."""
        bounds = np.asarray(_retention.confidence_intervals(
            [float(v) for v in self.params_], [float(v) for v in self.standard_errors_], 0.95,
        ), dtype=float).reshape(-1, 2)
        return pd.DataFrame(
            {"lower 95% bound": bounds[:, 0], "upper 95% bound": bounds[:, 1]}, index=self.params_.index,
        )

    @property
    def summary(self) -> pd.DataFrame:
        """coef, se(coef), lower 95% bound, upper 95% bound per parameter."""
        df = pd.DataFrame(index=self.params_.index)
        df["coef"] = self.params_
        df["se(coef)"] = self.standard_errors_
        df["lower 95% bound"] = self.confidence_intervals_["lower 95% bound"]
        df["upper 95% bound"] = self.confidence_intervals_["upper 95% bound"]
        return df

    def print_summary(self) -> None:
        """Prints :attr:`summary`."""
        print(self.summary)


def _tolerance(tol: Any) -> float:
    return min(float(tol), 1e-8)


def _weights(weights: Any, n: int) -> np.ndarray:
    return np.ones(n) if weights is None else np.asarray(weights, dtype=float)


_BaseFitter = BaseFitter


class _TransactionFitter(_BaseFitter):
    _KIND: "codes.TransactionModel"  # set by each fitter
    _TIME_PARAMS: Tuple[int, ...] = (1,)
    _LOG_INITIAL = True

    def fit(
        self,
        frequency: Any,
        recency: Any,
        T: Any,
        weights: Any = None,
        initial_params: Any = None,
        verbose: bool = False,
        tol: float = 1e-7,
        index: Any = None,
        **kwargs: Any,
    ) -> Any:
        """Fits by maximum likelihood (lifetimes' arguments; see the module docs)."""
        x = np.asarray(frequency, dtype=float)
        t_x = np.asarray(recency, dtype=float)
        age = np.asarray(T, dtype=float)
        w = _weights(weights, x.shape[0])
        top = float(np.nanmax(age)) if age.size else 1.0
        scale = 1.0 / top if np.isfinite(top) and top > 0 else 1.0
        init = None
        if initial_params is not None:
            init = np.asarray(initial_params, dtype=float)
            init = np.exp(init) if self._LOG_INITIAL else init
        # The core fits in units of the longest observation (as lifetimes
        # does) and reports parameters, covariance and log-likelihood in the
        # data's unit.
        inner, raw = _retention.TransactionModel.fit(
            self._KIND, pa.array(x), pa.array(t_x), pa.array(age), pa.array(w),
            penalizer_coef=self._core_penalizer(len(x)), tolerance=_tolerance(tol), time_scale=scale,
            initial_params=None if init is None else [float(v) for v in init],
        )
        diag = _m.FitDiagnostics._from_dict(raw)
        self._set_results([v for _, v in inner.params], diag)
        self._scale = scale
        self._model = _m.TransactionModel._wrap(inner, diag)
        self._negative_log_likelihood_ = self._objective(float(raw["objective"]), len(x))
        self.log_likelihood_ = diag.log_likelihood
        self.data = pd.DataFrame({"frequency": x, "recency": t_x, "T": age, "weights": w}, index=index)
        self.predict = self.conditional_expected_number_of_purchases_up_to_time
        self.generate_new_data = self._generate_new_data
        return self

    def _core_penalizer(self, rows: int) -> float:
        return float(self.penalizer_coef)

    def _objective(self, objective: float, rows: int) -> float:
        """lifetimes' ``_negative_log_likelihood_``: the core's objective."""
        return objective

    def _core_model(self, values: Tuple[float, ...]) -> _m.TransactionModel:
        return _m.TransactionModel(self._KIND, list(values))

    @classmethod
    def _negative_log_likelihood(
        cls, log_params: Any, freq: Any, rec: Any, T: Any, weights: Any, penalizer_coef: float = 0.0
    ) -> float:
        """lifetimes' fitting objective at ``exp(log_params)``: the core's
        log-likelihood divided by the total weight, plus the penalty."""
        params = np.exp(np.asarray(log_params, dtype=float))
        x, r, age, w = _broadcast(freq, rec, T, weights)
        score = _m.TransactionModel(cls._KIND, [float(v) for v in params]).score(x, r, age, w)
        return _nll(score, w, params, penalizer_coef)

    def _generate_new_data(self, size: int = 1, seed: Optional[int] = None) -> pd.DataFrame:
        """``size`` customers simulated from the fitted model, with the fitted
        data's ``T`` (the first ``size`` of them, as lifetimes); see
        :mod:`retention.compat.lifetimes.generate_data` for the frame and
        ``seed``."""
        from . import generate_data

        return generate_data._transaction_model(self._fitted(), self.data["T"].to_numpy(), size, seed)

    def conditional_expected_number_of_purchases_up_to_time(self, t: Any, frequency: Any, recency: Any, T: Any) -> Any:
        """Expected purchases in the next ``t`` for customers ``(frequency, recency, T)``."""
        model = self._fitted()
        tt, x, r, age = _broadcast(t, frequency, recency, T)
        out = model.conditional_expected_purchases(tt, x, r, age)
        return _like(out, frequency, recency, T, t)

    def conditional_probability_alive(self, frequency: Any, recency: Any, T: Any) -> Any:
        """P(alive) for customers ``(frequency, recency, T)``."""
        x, r, age = _broadcast(frequency, recency, T)
        return np.atleast_1d(self._fitted().probability_alive(x, r, age))

    def conditional_probability_alive_matrix(self, max_frequency: Optional[int] = None, max_recency: Optional[int] = None) -> np.ndarray:
        """P(alive) on the grid recency (rows) × frequency (columns), age = max recency."""
        max_frequency = max_frequency or int(self.data["frequency"].max())
        max_recency = max_recency or int(self.data["T"].max())
        return self._fitted().probability_alive_matrix(int(max_frequency), int(max_recency))

    def expected_number_of_purchases_up_to_time(self, t: Any) -> Any:
        """Expected repeat purchases in ``(0, t]`` of a new customer."""
        model = self._fitted()
        out = np.atleast_1d(model.expected_purchases(np.atleast_1d(np.asarray(t, dtype=float)).ravel()))
        return _like(out, t)

    def probability_of_n_purchases_up_to_time(self, t: float, n: int) -> float:
        """P(exactly ``n`` repeat purchases in ``(0, t]``) for a new customer."""
        return self._fitted().probability_of_purchases(int(n), float(t))

    def conditional_probability_of_n_purchases_up_to_time(self, n: int, t: float, frequency: Any, recency: Any,
                                                          T: Any) -> Any:
        """P(exactly ``n`` purchases in the next ``t``) for customers ``(frequency, recency, T)``.

        lifetimes has it for ``ParetoNBDFitter`` only; here every transaction
        fitter has it. Unlike lifetimes, ``t = 0`` gives 1 for ``n = 0`` (no
        purchase in an empty interval) rather than 0, and a negative ``t`` is
        an ``InvalidParameterError``.
        """
        x, r, age = _broadcast(frequency, recency, T)
        out = self._fitted().conditional_probability_of_purchases(int(n), float(t), x, r, age)
        return _like(out, frequency, recency, T)


class BetaGeoFitter(_TransactionFitter):
    """BG/NBD (Fader, Hardie & Lee 2005); parameters ``r, alpha, a, b``."""

    _KIND: "codes.TransactionModel" = "bg_nbd"
    _NAMES = ("r", "alpha", "a", "b")


class ModifiedBetaGeoFitter(_TransactionFitter):
    """MBG/NBD (Batislam et al. 2007); parameters ``r, alpha, a, b``."""

    _KIND: "codes.TransactionModel" = "mbg_nbd"
    _NAMES = ("r", "alpha", "a", "b")


class ParetoNBDFitter(_TransactionFitter):
    """Pareto/NBD (Schmittlein et al. 1987); parameters ``r, alpha, s, beta``.

    ``fit`` also takes lifetimes' ``iterative_fitting``, ``fit_method`` and
    ``maxiter`` (accepted, ignored). As in lifetimes, ``initial_params`` are
    natural parameters in scaled time and the penalty is divided by the mean
    weight rather than the total.
    """

    _KIND: "codes.TransactionModel" = "pareto_nbd"
    _NAMES = ("r", "alpha", "s", "beta")
    _TIME_PARAMS = (1, 3)
    _LOG_INITIAL = False

    def fit(  # type: ignore[override]
        self,
        frequency: Any,
        recency: Any,
        T: Any,
        weights: Any = None,
        iterative_fitting: int = 1,
        initial_params: Any = None,
        verbose: bool = False,
        tol: float = 1e-4,
        index: Any = None,
        fit_method: str = "Nelder-Mead",
        maxiter: int = 2000,
        **kwargs: Any,
    ) -> "ParetoNBDFitter":
        """Fits Pareto/NBD (lifetimes' arguments)."""
        super().fit(frequency, recency, T, weights, initial_params, verbose, 1e-8, index)
        return self

    @classmethod
    def _negative_log_likelihood(  # type: ignore[override]
        cls, params: Any, freq: Any, rec: Any, T: Any, weights: Any, penalizer_coef: float = 0.0
    ) -> float:
        """lifetimes' Pareto/NBD objective at natural ``params``: minus the
        core's log-likelihood over the mean weight, plus the penalty (∞ for
        a non-positive parameter, as lifetimes)."""
        p = np.asarray(params, dtype=float)
        if np.any(p <= 0):
            return float("inf")
        x, r, age, w = _broadcast(freq, rec, T, weights)
        score = _m.TransactionModel(cls._KIND, [float(v) for v in p]).score(x, r, age, w)
        return _nll(score, w, p, penalizer_coef, mean=True)

    @staticmethod
    def _log_A_0(params: Any, freq: Any, recency: Any, age: Any) -> Any:
        """lifetimes' helper: ``ln A₀`` of the likelihood per customer at
        natural ``params`` ``(r, alpha, s, beta)``, finite where the direct
        formula overflows (core ``ParetoNbdParams::ln_a0``); ``-inf`` where
        ``recency == age``.

        Examples
        --------
        >>> v = ParetoNBDFitter._log_A_0([10.465, 7.98565181e-03, 3.0516, 2.820], [400.0], [5.0], [6.0])
        >>> bool(v[0] < 0 and np.isfinite(v[0]))
        True
        """
        x, t_x, age_ = _broadcast(freq, recency, age)
        p = [float(v) for v in np.asarray(params, dtype=float).ravel()]
        values = _retention.pareto_nbd_ln_a0(p, pa.array(x), pa.array(t_x), pa.array(age_))
        return _like(np.asarray(values, dtype=float), freq, recency, age)

    def _core_penalizer(self, rows: int) -> float:
        # lifetimes: −ℓ / mean(w) + c Σp²  ==  n · (−ℓ / W + (c / n) Σp²).
        return float(self.penalizer_coef) / max(rows, 1)

    def _objective(self, objective: float, rows: int) -> float:
        # lifetimes normalises by the mean weight: n times the core's objective.
        return objective * rows


class BetaGeoBetaBinomFitter(_BaseFitter):
    """BG/BB (Fader, Hardie & Shang 2010); parameters ``alpha, beta, gamma, delta``."""

    _NAMES = ("alpha", "beta", "gamma", "delta")

    def fit(
        self,
        frequency: Any,
        recency: Any,
        n_periods: Any,
        weights: Any = None,
        initial_params: Any = None,
        verbose: bool = False,
        tol: float = 1e-7,
        index: Any = None,
        **kwargs: Any,
    ) -> "BetaGeoBetaBinomFitter":
        """Fits BG/BB (lifetimes' arguments; ``initial_params`` in log scale)."""
        x = np.asarray(frequency, dtype=float)
        t_x = np.asarray(recency, dtype=float)
        n = np.asarray(n_periods, dtype=float)
        w = _weights(weights, x.shape[0])
        init = None if initial_params is None else np.exp(np.asarray(initial_params, dtype=float))
        model = _m.BgBbModel.fit(
            x, t_x, n, w, penalizer_coef=float(self.penalizer_coef), initial_params=init, tolerance=_tolerance(tol)
        )
        diag = model.diagnostics
        assert diag is not None
        params = list(model.params.values())
        self._set_results(params, diag)
        self._model = model
        self.log_likelihood_ = diag.log_likelihood
        self._negative_log_likelihood_ = float(-diag.log_likelihood / w.sum() + self.penalizer_coef * np.sum(np.square(params)))
        self.data = pd.DataFrame({"frequency": x, "recency": t_x, "n_periods": n, "weights": w}, index=index)
        self.generate_new_data = self._generate_new_data
        return self

    def _core_model(self, values: Tuple[float, ...]) -> _m.BgBbModel:
        return _m.BgBbModel(*values)

    @staticmethod
    def _negative_log_likelihood(
        log_params: Any, frequency: Any, recency: Any, n_periods: Any, weights: Any, penalizer_coef: float = 0.0
    ) -> float:
        """lifetimes' BG/BB objective at ``exp(log_params)``."""
        params = np.exp(np.asarray(log_params, dtype=float))
        x, r, n, w = _broadcast(frequency, recency, n_periods, weights)
        score = _m.BgBbModel(*[float(v) for v in params]).score(x, r, n, w)
        return _nll(score, w, params, penalizer_coef)

    def _generate_new_data(self, size: int = 1, seed: Optional[int] = None) -> pd.DataFrame:
        """``size`` customers simulated from the fitted model, with the fitted
        data's ``n_periods`` repeated by their (whole) weights, the first
        ``size`` of them (as lifetimes)."""
        from . import generate_data

        n = np.repeat(self.data["n_periods"].to_numpy(), self.data["weights"].to_numpy().astype(np.int64))
        return generate_data._bgbb(self._fitted(), n, size, seed)

    def conditional_expected_number_of_purchases_up_to_time(
        self, m_periods_in_future: Any, frequency: Any, recency: Any, n_periods: Any
    ) -> Any:
        """Expected transactions in the next ``m_periods_in_future`` opportunities."""
        model = self._fitted()
        m, x, r, n = _broadcast(m_periods_in_future, frequency, recency, n_periods)
        out = _by_unique(m, lambda v, k: model.conditional_expected_transactions(int(v), x[k], r[k], n[k]))
        return _like(out, frequency, recency, n_periods, m_periods_in_future)

    def conditional_probability_alive(self, m_periods_in_future: Any, frequency: Any, recency: Any, n_periods: Any) -> Any:
        """P(alive at opportunity ``n_periods + m_periods_in_future``)."""
        model = self._fitted()
        m, x, r, n = _broadcast(m_periods_in_future, frequency, recency, n_periods)
        out = _by_unique(m, lambda v, k: model.probability_alive(x[k], r[k], n[k], future=int(v)))
        return _like(out, frequency, recency, n_periods, m_periods_in_future)

    def expected_number_of_transactions_in_first_n_periods(self, n: int) -> pd.DataFrame:
        """Expected number of customers with each observed frequency after ``n``
        opportunities (column ``model``, indexed by ``frequency``)."""
        model = self._fitted()
        counts = self.data.groupby("frequency")["weights"].sum()
        probs = [model.probability_of_transactions(int(x), int(n)) for x in counts.index]
        idx = pd.Index(counts.index, name="frequency")
        return pd.DataFrame(np.asarray(probs) * counts.sum(), index=idx, columns=["model"])


class GammaGammaFitter(_BaseFitter):
    """Gamma-Gamma spend model; parameters ``p, q, v``."""

    _NAMES = ("p", "q", "v")

    def fit(
        self,
        frequency: Any,
        monetary_value: Any,
        weights: Any = None,
        initial_params: Any = None,
        verbose: bool = False,
        tol: float = 1e-7,
        index: Any = None,
        q_constraint: bool = False,
        **kwargs: Any,
    ) -> "GammaGammaFitter":
        """Fits Gamma-Gamma on the repeat buyers (lifetimes' arguments;
        ``initial_params`` in log scale; ``q_constraint`` is accepted — a fit
        with ``q ≤ 1`` is still returned, and spend predictions then raise)."""
        x = np.asarray(frequency, dtype=float)
        mv = np.asarray(monetary_value, dtype=float)
        w = _weights(weights, x.shape[0])
        init = None if initial_params is None else np.exp(np.asarray(initial_params, dtype=float))
        model = _m.GammaGammaModel.fit(
            x, mv, w, penalizer_coef=float(self.penalizer_coef), initial_params=init, tolerance=_tolerance(tol)
        )
        diag = model.diagnostics
        assert diag is not None
        params = list(model.params.values())
        self._set_results(params, diag)
        self._model = model
        self.log_likelihood_ = diag.log_likelihood
        self._negative_log_likelihood_ = float(
            -diag.log_likelihood / diag.total_weight + self.penalizer_coef * np.sum(np.square(params))
        )
        self.data = pd.DataFrame({"monetary_value": mv, "frequency": x, "weights": w}, index=index)
        return self

    def _core_model(self, values: Tuple[float, ...]) -> _m.GammaGammaModel:
        return _m.GammaGammaModel(*values)

    @staticmethod
    def _negative_log_likelihood(
        log_params: Any, frequency: Any, avg_monetary_value: Any, weights: Any, penalizer_coef: float = 0.0
    ) -> float:
        """lifetimes' Gamma-Gamma objective at ``exp(log_params)`` (repeat
        buyers' rows)."""
        params = np.exp(np.asarray(log_params, dtype=float))
        x, mv, w = _broadcast(frequency, avg_monetary_value, weights)
        score = _m.GammaGammaModel(*[float(v) for v in params]).score(x, mv, w)
        return _nll(score, w, params, penalizer_coef)

    def conditional_expected_average_profit(self, frequency: Any = None, monetary_value: Any = None) -> Any:
        """Expected spend per transaction of each customer."""
        if monetary_value is None:
            monetary_value = self.data["monetary_value"]
        if frequency is None:
            frequency = self.data["frequency"]
        x, mv = _broadcast(frequency, monetary_value)
        out = self._fitted().conditional_expected_average_spend(x, mv)
        return _like(out, frequency, monetary_value)

    def customer_lifetime_value(
        self,
        transaction_prediction_model: Any,
        frequency: Any,
        recency: Any,
        T: Any,
        monetary_value: Any,
        time: int = 12,
        discount_rate: float = 0.01,
        freq: str = "D",
    ) -> pd.Series:
        """Discounted CLV over ``time`` months (lifetimes' semantics), as a
        Series named ``clv`` on ``frequency``'s index."""
        model = _transaction_model(transaction_prediction_model)
        x, r, age, mv = _broadcast(frequency, recency, T, monetary_value)
        clv = _m.predictive_clv(
            model, self._fitted(), x, r, age, mv, horizon_months=time, monthly_discount_rate=discount_rate,
            time_unit=cast("codes.ClvTimeUnit", _FREQ_UNITS.get(freq, freq)),
        )
        index = frequency.index if isinstance(frequency, pd.Series) else None
        return pd.Series(clv, index=index, name="clv")


_KINDS: Dict[str, "codes.TransactionModel"] = {
    "BetaGeoFitter": "bg_nbd",
    "ModifiedBetaGeoFitter": "mbg_nbd",
    "ParetoNBDFitter": "pareto_nbd",
}


def _transaction_model(fitter: Any) -> _m.TransactionModel:
    """The core model behind a compat fitter, a :class:`retention.TransactionModel`,
    or a fitted lifetimes fitter (by class name and ``params_``)."""
    if isinstance(fitter, _m.TransactionModel):
        return fitter
    if isinstance(fitter, _TransactionFitter):
        return fitter._fitted()
    kind = _KINDS.get(type(fitter).__name__)
    params = getattr(fitter, "params_", None)
    if kind is None or params is None:
        raise TypeError(
            "transaction_prediction_model must be a fitted BetaGeoFitter, ModifiedBetaGeoFitter or ParetoNBDFitter, "
            f"got {type(fitter).__name__}"
        )
    return _m.TransactionModel(kind, [float(v) for v in params.values])
