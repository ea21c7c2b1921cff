"""Contractual retention models: the shifted-beta-geometric (sBG, Fader &
Hardie 2007) and the beta-discrete-Weibull (BdW, Fader, Hardie, Liu, Davin &
Steenburgh 2018), fitted by maximum likelihood to the survivor counts of one
or many cohorts, and the predictive cohort matrix.

A cohort's survivor counts ``n_0 ≥ n_1 ≥ …`` give the subscribers still
active at each age (``n_0`` its size), observed up to the cohort's own age.
Survivors can be given as a list of sequences (one per cohort), one
sequence (one cohort), a ``{label: sequence}`` dict, a pandas ``Series``
(one cohort, labelled by its name) or a DataFrame with one row per cohort
and one column per age (trailing missing cells are the ages not yet
observed; the index gives the labels).

The models, their formulas and references are documented in the Rust core
(``retention_core::models::contractual``): ``S(t) = B(α, β + t^c)/B(α, β)``,
``c = 1`` for the sBG. Plots are in :mod:`retention.plot`
(:func:`~retention.plot.contractual_curves`,
:func:`~retention.plot.predictive_matrix_heatmap`).

Examples
--------
>>> from retention import contractual
>>> high_end = [1000, 869, 743, 653, 593, 551, 517, 491]
>>> f = contractual.fit(high_end)
>>> round(f.params["alpha"], 3), round(f.params["beta"], 3), round(f.log_likelihood, 1)
(0.668, 3.806, -1611.2)
>>> round(1000 * f.model.survival(12))
378
"""

from __future__ import annotations

from typing import Any, Dict, List, Mapping, Optional, Sequence, Tuple

from . import _retention, codes
from ._frames import micros
from ._log import EventLog, _check_log

__all__ = [
    "ContractualModel",
    "ContractualFit",
    "ContractualPrediction",
    "PredictiveCohortMatrix",
    "fit",
    "fit_per_cohort",
    "likelihood_ratio_test",
    "predictive_cohort_matrix",
    "predictive_cohort_matrix_from_log",
]

ContractualModel = _retention.ContractualModel


def _survivors(survivors: Any, labels: Optional[Sequence[str]]) -> Tuple[List[List[int]], Optional[List[str]]]:
    """Survivor counts as lists of ints (one per cohort) and their labels."""
    try:
        import pandas as pd
    except ImportError:  # pragma: no cover - pandas is a dependency
        pd = None
    found: Optional[List[str]] = None
    if pd is not None and isinstance(survivors, pd.DataFrame):
        rows = [[v for v in row if not pd.isna(v)] for row in survivors.itertuples(index=False)]
        found = [str(i) for i in survivors.index]
    elif pd is not None and isinstance(survivors, pd.Series):
        rows = [[v for v in survivors.tolist() if not pd.isna(v)]]
        found = None if survivors.name is None else [str(survivors.name)]
    elif isinstance(survivors, Mapping):
        found = [str(k) for k in survivors]
        rows = [list(v) for v in survivors.values()]
    else:
        items = list(survivors)
        is_nested = bool(items) and all(not isinstance(v, (int, float)) and hasattr(v, "__iter__") for v in items)
        rows = [list(v) for v in items] if is_nested else [items]
    counts = []
    for r, row in enumerate(rows):
        out = []
        for v in row:
            if isinstance(v, float) and v != int(v):
                raise TypeError(f"survivor counts must be whole numbers: cohort {r} has {v!r}")
            out.append(int(v))
        counts.append(out)
    return counts, (list(labels) if labels is not None else found)


def _dict(options: Optional[Mapping[str, Any]]) -> Optional[Dict[str, Any]]:
    return None if options is None else dict(options)


class ContractualFit:
    """A fitted sBG or BdW model.

    Attributes
    ----------
    params : dict
        ``model`` (``"sbg"`` or ``"bdw"``), ``alpha``, ``beta``, ``c``.
    model : ContractualModel
        The model with these parameters: ``survival(t)``,
        ``retention_rate(t)``, ``churn_probability(t)``, ``curve(ages)``,
        ``expected_lifetime()``, ``discounted_expected_lifetime(d)``,
        ``discounted_expected_residual_lifetime(d, renewals)``,
        ``residual_value(margin, d, renewals)``, ``predict(options)`` (every
        prediction over a horizon as the core's dict; see :meth:`predict`).
    log_likelihood : float
        The maximised log-likelihood.
    standard_errors : dict or None
        Parameter name → standard error (inverse observed information).
    diagnostics : dict
        Everything the core reports about the fit (covariance, optimiser…).
    """

    def __init__(self, raw: Mapping[str, Any]) -> None:
        self.diagnostics: Dict[str, Any] = dict(raw)
        self.params: Dict[str, Any] = dict(raw["params"])
        self.model = ContractualModel(self.params)
        self.log_likelihood: float = raw["log_likelihood"]
        se = raw["standard_errors"]
        self.standard_errors: Optional[Dict[str, float]] = (
            None if se is None else dict(zip(raw["parameter_names"], se))
        )

    def curve(self, ages: int) -> Any:
        """Survival, retention rate and churn probability at ages ``0..ages`` (DataFrame).

        Examples
        --------
        >>> from retention import contractual
        >>> f = contractual.fit([1000, 631, 468, 382, 326, 289, 262, 241])
        >>> curve = f.curve(13)
        >>> list(curve.columns)
        ['age', 'survival', 'retention_rate', 'churn_probability']
        >>> round(float(curve["retention_rate"].iloc[1]), 3)  # β/(α + β)
        0.627
        """
        import pandas as pd

        return pd.DataFrame(self.model.curve(ages))

    def predict(
        self,
        ages: Optional[int] = None,
        *,
        discount_rate: Optional[float] = None,
        margin: Optional[float] = None,
    ) -> "ContractualPrediction":
        """Every prediction of the fitted model over ``ages`` ages, in one core call.

        Parameters
        ----------
        ages : int, optional
            Ages ``0..ages`` (core default 36; at most 100,000).
        discount_rate : float, optional
            Discount rate per period (core default 0.10).
        margin : float, optional
            Margin per period and subscriber (core default 1).

        Returns
        -------
        ContractualPrediction

        Examples
        --------
        >>> from retention import contractual
        >>> f = contractual.fit([1000, 631, 468, 382, 326, 289, 262, 241])
        >>> p = f.predict(13, discount_rate=0.1, margin=10.0)
        >>> list(p.table.columns)  # doctest: +NORMALIZE_WHITESPACE
        ['age', 'survival', 'retention_rate', 'churn_probability',
         'discounted_expected_residual_lifetime', 'residual_value']
        >>> bool(p.table["residual_value"].iloc[3] == 10 * p.table["discounted_expected_residual_lifetime"].iloc[3])
        True
        """
        return ContractualPrediction(_predict(self.model, ages, discount_rate, margin))

    def __repr__(self) -> str:
        shown = ", ".join(f"{k}={v:.4g}" for k, v in self.params.items() if k != "model")
        return f"ContractualFit({self.params['model']}: {shown}, log_likelihood={self.log_likelihood:.4f})"


def _predict(model: Any, ages: Optional[int], discount_rate: Optional[float], margin: Optional[float]) -> Any:
    given = {"ages": ages, "discount_rate": discount_rate, "margin": margin}
    return model.predict({k: v for k, v in given.items() if v is not None})


class ContractualPrediction:
    """Every prediction of a contractual model over a horizon (core ``ContractualPrediction``).

    Per age ``n`` (``table``): survival ``S(n)``, retention rate ``r(n)``,
    churn probability ``P(T = n)``, the discounted expected residual
    lifetime of a subscriber after ``n`` renewals and her residual value
    (``margin × DERL``; Fader & Hardie 2010); and the expected lifetime and
    discounted expected lifetime of a new subscriber.

    Attributes
    ----------
    table : pandas.DataFrame
        One row per age.
    expected_lifetime : float or None
        ``E[T]`` in periods, ``None`` when infinite (``c·α ≤ 1``).
    discounted_expected_lifetime : float
        DEL.
    discount_rate, margin : float
        The values used.
    params : dict
        The model's parameters.

    Examples
    --------
    >>> from retention import contractual
    >>> m = contractual.ContractualModel({"model": "sbg", "alpha": 1.0, "beta": 1.0, "c": 1.0})
    >>> p = contractual.ContractualPrediction(m.predict({"ages": 5, "discount_rate": 0.1}))
    >>> round(p.discounted_expected_lifetime, 6)  # S(t) = 1/(1 + t): DEL = (1 + d) ln((1 + d)/d)
    2.637685
    >>> p.table["survival"].round(4).tolist()
    [1.0, 0.5, 0.3333, 0.25, 0.2]
    >>> print(p.expected_lifetime)
    None
    """

    def __init__(self, raw: Mapping[str, Any]) -> None:
        import pandas as pd

        # The core's per-age columns (lists) in its order; the scalars below.
        self.table = pd.DataFrame({k: v for k, v in raw.items() if isinstance(v, list)})
        self.expected_lifetime: Optional[float] = raw["expected_lifetime"]
        self.discounted_expected_lifetime: float = raw["discounted_expected_lifetime"]
        self.discount_rate: float = raw["discount_rate"]
        self.margin: float = raw["margin"]
        self.params: Dict[str, Any] = dict(raw["params"])

    def __repr__(self) -> str:
        return (
            f"ContractualPrediction({len(self.table)} ages, DEL={self.discounted_expected_lifetime:.4g} "
            f"at d={self.discount_rate:g})"
        )


def fit(
    survivors: Any,
    *,
    model: Optional[codes.ContractualModel] = None,
    labels: Optional[Sequence[str]] = None,
    fit_options: Optional[Mapping[str, Any]] = None,
) -> ContractualFit:
    """Fits the sBG or the BdW to the survivor counts of all cohorts together.

    Parameters
    ----------
    survivors : sequence, dict, Series or DataFrame
        Survivor counts (see the module docs); each cohort is right-censored
        at its own last age.
    model : {"sbg", "bdw"}, optional
        The model (vocabulary ``"contractual_model"``); the core's default
        is the sBG.
    labels : sequence of str, optional
        Cohort labels (default: from the input, else ``"0"``, ``"1"``…).
    fit_options : dict, optional
        The core's fit options (``penalizer_coef``, ``initial_params``,
        ``tolerance``, ``max_iterations``).

    Returns
    -------
    ContractualFit

    Raises
    ------
    InvalidRowsError
        A cohort whose counts rise, or start at 0 (naming the cohort).
    InvalidParameterError
        No subscriber ever cancels.

    Examples
    --------
    >>> from retention import contractual
    >>> f = contractual.fit([1000, 631, 468, 382, 326, 289, 262, 241])
    >>> round(f.params["alpha"], 3), round(f.params["beta"], 3)
    (0.704, 1.182)
    """
    counts, names = _survivors(survivors, labels)
    fits = _retention.contractual_fit(counts, labels=names, model=model, pooling="pooled", fit_options=_dict(fit_options))
    return ContractualFit(fits[0])


def fit_per_cohort(
    survivors: Any,
    *,
    model: Optional[codes.ContractualModel] = None,
    labels: Optional[Sequence[str]] = None,
    fit_options: Optional[Mapping[str, Any]] = None,
) -> List[ContractualFit]:
    """Fits the model to each cohort on its own (arguments as :func:`fit`).

    Each cohort needs at least as many observed periods as the model has
    parameters and one cancellation; otherwise ``InvalidRowsError`` names it.

    Examples
    --------
    >>> from retention import contractual
    >>> fits = contractual.fit_per_cohort({
    ...     "regular": [1000, 631, 468, 382, 326, 289, 262, 241],
    ...     "high_end": [1000, 869, 743, 653, 593, 551, 517, 491],
    ... })
    >>> [round(f.params["alpha"], 3) for f in fits]
    [0.704, 0.668]
    """
    counts, names = _survivors(survivors, labels)
    fits = _retention.contractual_fit(
        counts, labels=names, model=model, pooling="per_cohort", fit_options=_dict(fit_options)
    )
    return [ContractualFit(f) for f in fits]


def likelihood_ratio_test(
    survivors: Any, *, labels: Optional[Sequence[str]] = None, fit_options: Optional[Mapping[str, Any]] = None
) -> Dict[str, Any]:
    """Likelihood-ratio test of the sBG (``c = 1``) against the BdW.

    Returns
    -------
    dict
        ``sbg`` and ``bdw`` (:class:`ContractualFit`), ``statistic``
        ``2 (ℓ_BdW − ℓ_sBG)``, ``degrees_of_freedom`` (1), ``p_value``
        (``χ²₁``).

    Examples
    --------
    >>> from retention import contractual
    >>> test = contractual.likelihood_ratio_test([1000, 869, 743, 653, 593, 551, 517, 491])
    >>> test["bdw"].log_likelihood >= test["sbg"].log_likelihood
    True
    >>> 0.0 <= test["p_value"] <= 1.0
    True
    """
    counts, names = _survivors(survivors, labels)
    raw = dict(_retention.contractual_lr_test(counts, labels=names, fit_options=_dict(fit_options)))
    raw["sbg"] = ContractualFit(raw["sbg"])
    raw["bdw"] = ContractualFit(raw["bdw"])
    return raw


class PredictiveCohortMatrix:
    """A cohort matrix with immature cells projected (see
    :func:`predictive_cohort_matrix`).

    Attributes
    ----------
    share, lower, upper : pandas.DataFrame
        Share of each cohort (rows, indexed by label) active at each age
        (columns ``0, 1, …``), and its interval: Wilson on observed cells,
        the model's prediction interval on projected ones.
    projected : pandas.DataFrame
        ``True`` where the cell is a projection.
    expected_active : pandas.DataFrame
        Expected active subscribers (the counts on observed cells).
    sizes : pandas.Series
        Cohort sizes.
    observed_ages : pandas.Series
        Number of observed ages of each cohort.
    level : float
        Coverage of the intervals.
    method : str
        ``"delta"`` or ``"bootstrap"``.
    pooling : str
        ``"pooled"`` or ``"per_cohort"``.
    fits : list of ContractualFit
        One fit when pooled, one per cohort otherwise.
    """

    def __init__(self, raw: Mapping[str, Any]) -> None:
        import pandas as pd

        labels = list(raw["labels"])

        def frame(key: str) -> Any:
            return pd.DataFrame(raw[key], index=pd.Index(labels, name="cohort"))

        self.share = frame("share")
        self.lower = frame("lower")
        self.upper = frame("upper")
        self.projected = frame("projected")
        self.expected_active = frame("expected_active")
        self.sizes = pd.Series(raw["sizes"], index=self.share.index, name="size")
        self.observed_ages = pd.Series(raw["observed_ages"], index=self.share.index, name="observed_ages")
        self.level: float = raw["level"]
        self.method: str = raw["method"]
        self.pooling: str = raw["pooling"]
        self.fits = [ContractualFit(f) for f in raw["fits"]]

    def __repr__(self) -> str:
        rows, cols = self.share.shape
        return (
            f"PredictiveCohortMatrix({rows} cohorts × {cols} ages, "
            f"{int(self.projected.to_numpy().sum())} projected cells, {self.method} {self.level:.0%} intervals)"
        )


def _matrix_options(
    model: Optional[str],
    pooling: Optional[str],
    ages: Optional[int],
    level: Optional[float],
    method: Optional[str],
    draws: Optional[int],
    seed: Optional[int],
    fit_options: Optional[Mapping[str, Any]],
) -> Dict[str, Any]:
    given = dict(
        model=model, pooling=pooling, ages=ages, level=level, method=method, draws=draws, seed=seed, fit=fit_options
    )
    return {k: (dict(v) if isinstance(v, Mapping) else v) for k, v in given.items() if v is not None}


def predictive_cohort_matrix(
    survivors: Any,
    *,
    labels: Optional[Sequence[str]] = None,
    model: Optional[codes.ContractualModel] = None,
    pooling: Optional[codes.CohortPooling] = None,
    ages: Optional[int] = None,
    level: Optional[float] = None,
    method: Optional[codes.IntervalMethod] = None,
    draws: Optional[int] = None,
    seed: Optional[int] = None,
    fit_options: Optional[Mapping[str, Any]] = None,
) -> PredictiveCohortMatrix:
    """Fits the model and fills every immature cell of the cohort matrix.

    Observed cells keep the input share ``n_t/N`` with a Wilson interval;
    a projected cell is ``(n_k/N) · S(t)/S(k)`` (``k`` the cohort's last
    observed age) with a prediction interval that covers both the
    parameters' uncertainty and which active subscribers remain.

    Parameters
    ----------
    survivors : sequence, dict, Series or DataFrame
        Survivor counts (module docs).
    labels : sequence of str, optional
        Cohort labels.
    model : {"sbg", "bdw"}, optional
        Default: the core's (sBG).
    pooling : {"pooled", "per_cohort"}, optional
        One set of parameters (the core's default) or one per cohort.
    ages : int, optional
        Number of age columns; default: the input's largest.
    level : float, optional
        Interval coverage; the core's default is 0.90.
    method : {"delta", "bootstrap"}, optional
        Delta method (the core's default) or parametric bootstrap.
    draws, seed : int, optional
        Bootstrap draws (core default 1000, at most 10000) and seed.
    fit_options : dict, optional
        The core's fit options.

    Returns
    -------
    PredictiveCohortMatrix

    Examples
    --------
    >>> from retention import contractual
    >>> m = contractual.predictive_cohort_matrix(
    ...     [[1000, 869, 743, 653, 593], [1000, 880, 750], [1000, 860]], ages=6
    ... )
    >>> m.projected.sum(axis=1).tolist()
    [1, 3, 4]
    >>> float(m.share.loc["1", 2])
    0.75
    >>> bool((m.lower <= m.share).all().all() and (m.share <= m.upper).all().all())
    True
    """
    counts, names = _survivors(survivors, labels)
    options = _matrix_options(model, pooling, ages, level, method, draws, seed, fit_options)
    return PredictiveCohortMatrix(_retention.predictive_cohort_matrix(counts, labels=names, options=options))


def predictive_cohort_matrix_from_log(
    log: EventLog,
    as_of: Any,
    *,
    period: Optional[codes.Period] = None,
    qualifying: Optional[codes.QualifyingEvents] = None,
    max_age: Optional[int] = None,
    model: Optional[codes.ContractualModel] = None,
    pooling: Optional[codes.CohortPooling] = None,
    ages: Optional[int] = None,
    level: Optional[float] = None,
    method: Optional[codes.IntervalMethod] = None,
    draws: Optional[int] = None,
    seed: Optional[int] = None,
    fit_options: Optional[Mapping[str, Any]] = None,
) -> PredictiveCohortMatrix:
    """One call from an event log to the filled matrix.

    Acquisition cohorts by the period of the first order; a subscriber is
    active at age ``k`` when she has a qualifying event in period ``k`` or
    later (``retention.cohort_matrix(..., mode="return_on_or_after")``), so
    the observed cells equal that matrix. Other arguments as
    :func:`predictive_cohort_matrix`.

    Parameters
    ----------
    log : EventLog
        The events (e.g. monthly renewal orders).
    as_of : str or datetime-like
        Cells whose period is not complete at ``as_of`` are projected.
    period : {"day", "week", "month", "quarter", "year"}, optional
        Calendar period of cohorts and ages (core default: month).
    qualifying : {"orders", "any_activity"}, optional
        Which events show a subscriber active (core default: orders).
    max_age : int, optional
        Largest observed age to read.

    Examples
    --------
    >>> import retention
    >>> from retention import contractual
    >>> log = retention.EventLog.sample(seed=7, customers=400)
    >>> m = contractual.predictive_cohort_matrix_from_log(log, "2025-01-01")
    >>> observed = retention.cohort_matrix(log, "2025-01-01", mode="return_on_or_after")["retention"]
    >>> bool((m.share.to_numpy()[~m.projected.to_numpy()] ==
    ...       observed[[str(a) for a in m.share.columns]].to_numpy()[~m.projected.to_numpy()]).all())
    True
    """
    lg = _check_log(log)
    options = _matrix_options(model, pooling, ages, level, method, draws, seed, fit_options)
    given = {"period": period, "qualifying": qualifying, "max_age": max_age}
    survivors = {k: v for k, v in given.items() if v is not None}
    raw = _retention.predictive_cohort_matrix_from_log(
        lg._log, micros(as_of, "as_of"), survivors=survivors, options=options
    )
    return PredictiveCohortMatrix(raw)
