"""Metrics, segments, cohorts, experiments, churn, survival and model inputs.

Thin wrappers: convert dates and columns, call the Rust core, convert the
result to the library of the input (pandas for plain Python / numpy input).
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Sequence, Tuple

from . import _retention, codes
from ._frames import Library, from_arrow, library_of, micros, to_arrow_array, to_arrow_table
from ._log import EventLog, Summaries, _check_log, _check_summaries

__all__ = [
    "vocabulary",
    "defaults",
    "period_activity",
    "order_stats",
    "mrr_bridge",
    "customer_retention_rate",
    "churn_rate",
    "nps",
    "csat",
    "ces",
    "customer_loyalty_index",
    "simple_clv",
    "clv_with_margin",
    "retention_clv",
    "historic_clv",
    "average_lifespan_days",
    "rfm",
    "lifecycle",
    "cohort_matrix",
    "two_proportion_z_test",
    "health_scores",
    "summary_data",
    "calibration_and_holdout",
    "kaplan_meier",
    "nelson_aalen",
    "logrank_test",
    "multivariate_logrank_test",
    "concordance_index",
    "cox_ph",
]


def _int(value: Any, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        try:
            import numpy as np

            if isinstance(value, np.integer):
                return int(value)
        except ImportError:  # pragma: no cover
            pass
        raise TypeError(f"`{name}` must be an int, got {type(value).__name__}")
    if value < 0:
        from .errors import InvalidParameterError

        raise InvalidParameterError(
            f"invalid parameter `{name}` = {value}: must not be negative",
            name=name,
            value=str(value),
            reason="must not be negative",
        )
    return value


def _float(value: Any, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        try:
            import numpy as np

            if isinstance(value, (np.integer, np.floating)):
                return float(value)
        except ImportError:  # pragma: no cover
            pass
        raise TypeError(f"`{name}` must be a number, got {type(value).__name__}")
    return float(value)


# ------------------------------------------------------------- vocabulary


def vocabulary() -> Dict[str, List[str]]:
    """Every vocabulary of codes the library accepts and returns.

    Options such as ``mode``, ``period`` or ``tier_basis`` take one of these
    snake_case codes, and results (lifecycle stages, lights, ledger kinds…)
    are spelled with them, identically in Rust, Python and JavaScript. An
    unknown code raises :class:`UnknownCodeError` listing the accepted ones.

    Returns
    -------
    dict
        Vocabulary name → list of codes, e.g. ``"retention_mode"`` →
        ``["return_on", "return_on_or_after"]``.

    Examples
    --------
    >>> import retention
    >>> retention.vocabulary()["retention_mode"]
    ['return_on', 'return_on_or_after']
    """
    return dict(_retention.vocabulary())


def defaults() -> Dict[str, Dict[str, Any]]:
    """The default of every option, as the Rust core defines it.

    Every default printed in this package's signatures equals the value
    here (a test checks it); an option left out means this value.

    Returns
    -------
    dict
        Option group (``"cohort"``, ``"fit"``, ``"loyalty"``…) → option name
        → default value.

    Examples
    --------
    >>> import retention
    >>> retention.defaults()["fit"]["max_iterations"]
    500
    """
    return dict(_retention.defaults())


# ---------------------------------------------------------------- metrics


def period_activity(log: EventLog, start: Any, end: Any, *, window_days: int = 90, basis: codes.ActivityBasis = "orders") -> Dict[str, Any]:
    """Active customers at the start / end of ``[start, end)``, joined, lost,
    the customer retention rate ``(E − N) / S`` and both churn variants.
    Rates are fractions, ``None`` when undefined."""
    return _retention.period_activity(
        _check_log(log)._log, micros(start, "start"), micros(end, "end"),
        window_days=_int(window_days, "window_days"), basis=basis,
    )


def order_stats(log: EventLog, start: Any, end: Any) -> Dict[str, Any]:
    """Orders, customers, revenue, repeat purchase rate, purchase frequency and AOV in ``[start, end)``."""
    return _retention.order_stats(_check_log(log)._log, micros(start, "start"), micros(end, "end"))


def mrr_bridge(log: EventLog, start: Any, end: Any) -> Dict[str, Any]:
    """Starting/new/expansion/contraction/churned/reactivation/ending MRR with
    gross and net MRR churn, NRR, GRR and quick ratio."""
    return _retention.mrr_bridge(_check_log(log)._log, micros(start, "start"), micros(end, "end"))


def customer_retention_rate(start: int, end: int, new: int) -> Optional[float]:
    """``(E − N) / S`` from counts."""
    return _retention.customer_retention_rate(_int(start, "start"), _int(end, "end"), _int(new, "new"))


def churn_rate(lost: int, start: int) -> Optional[float]:
    """``lost / start`` from counts."""
    return _retention.churn_rate(_int(lost, "lost"), _int(start, "start"))


def nps(answers: Any) -> Dict[str, Any]:
    """Net Promoter Score (−100..100) of 0–10 answers."""
    return _retention.nps(to_arrow_array(answers, "answers"))


def csat(answers: Any, *, scale: int = 5, satisfied_threshold: Optional[int] = None) -> Dict[str, Any]:
    """Customer satisfaction score (% satisfied, top-two-box by default) and mean."""
    return _retention.csat(
        to_arrow_array(answers, "answers"), scale=_int(scale, "scale"),
        satisfied_threshold=None if satisfied_threshold is None else _int(satisfied_threshold, "satisfied_threshold"),
    )


def ces(answers: Any, *, choices: int = 7) -> Dict[str, Any]:
    """Customer effort score ``(mean / choices) × 100`` of answers in ``1..=choices``."""
    return _retention.ces(to_arrow_array(answers, "answers"), choices=_int(choices, "choices"))


def customer_loyalty_index(recommend: Any, repurchase: Any, other_products: Any) -> float:
    """Mean of the three NPS-style scores."""
    return _retention.customer_loyalty_index(
        to_arrow_array(recommend, "recommend"),
        to_arrow_array(repurchase, "repurchase"),
        to_arrow_array(other_products, "other_products"),
    )


def simple_clv(aov: float, purchases_per_unit: float, lifespan_units: float) -> float:
    """``AOV × purchase frequency × lifespan``."""
    return _retention.simple_clv(_float(aov, "aov"), _float(purchases_per_unit, "purchases_per_unit"), _float(lifespan_units, "lifespan_units"))


def clv_with_margin(aov: float, purchases_per_unit: float, lifespan_units: float, margin: float) -> float:
    """Simple CLV × gross margin."""
    return _retention.clv_with_margin(
        _float(aov, "aov"), _float(purchases_per_unit, "purchases_per_unit"),
        _float(lifespan_units, "lifespan_units"), _float(margin, "margin"),
    )


def retention_clv(margin_per_period: float, retention: float, discount: float) -> float:
    """``m × r / (1 + d − r)``."""
    return _retention.retention_clv(_float(margin_per_period, "margin_per_period"), _float(retention, "retention"), _float(discount, "discount"))


def historic_clv(summaries: Any) -> Any:
    """Net revenue (orders − refunds) to date per customer."""
    s = _check_summaries(summaries)
    return from_arrow(_retention.historic_clv(s._inner), s.library)


def average_lifespan_days(summaries: Any) -> Optional[float]:
    """Mean of (last − first order) in days."""
    return _retention.average_lifespan_days(_check_summaries(summaries)._inner)


# --------------------------------------------------------------- segments


def rfm(
    summaries: Any,
    as_of: Any,
    *,
    bins: int = 5,
    frequency: codes.FrequencyBasis = "orders",
    monetary: codes.MonetaryBasis = "total",
    segments: Optional[Sequence[Tuple[str, str]]] = None,
) -> Any:
    """RFM scores (1..bins, recency reversed, rank-first ties) and named segments.

    ``segments`` is a rule table of ``(name, pattern)`` pairs such as
    ``("Champions", "5[4-5]")``; first match wins. The thresholds used are in
    ``result.attrs["thresholds"]`` for pandas results.
    """
    s = _check_summaries(summaries)
    table, thresholds = _retention.rfm(
        s._inner, micros(as_of, "as_of"), bins=_int(bins, "bins"), frequency=frequency, monetary=monetary,
        segments=None if segments is None else [(str(a), str(b)) for a, b in segments],
    )
    out = from_arrow(table, s.library)
    if s.library == "pandas":
        out.attrs["thresholds"] = dict(zip(("recency", "frequency", "monetary"), thresholds))
    return out


def lifecycle(summaries: Any, as_of: Any, **options: Any) -> Any:
    """Lifecycle stage per customer (prospect, new, active, at_risk, lapsed, reactivated, loyal)."""
    s = _check_summaries(summaries)
    return from_arrow(_retention.lifecycle(s._inner, micros(as_of, "as_of"), **options), s.library)


# ---------------------------------------------------------------- cohorts


def cohort_matrix(
    log: EventLog,
    as_of: Any,
    *,
    period: codes.Period = "month",
    mode: codes.RetentionMode = "return_on",
    qualifying: codes.QualifyingEvents = "orders",
    revenue: codes.RevenueBasis = "net",
    max_age: Optional[int] = None,
) -> Dict[str, Any]:
    """Acquisition-cohort matrices: ``{"retention", "churn", "revenue", "ltv"}``,
    each one row per cohort (``cohort``, ``period_start``, ``size``) and one
    column per age ``"0"``, ``"1"``…; incomplete cells are null."""
    lg = _check_log(log)
    parts = _retention.cohort_matrix(
        lg._log, micros(as_of, "as_of"), period=period, mode=mode, qualifying=qualifying, revenue=revenue,
        max_age=None if max_age is None else _int(max_age, "max_age"),
    )
    return {name: from_arrow(t, lg.library) for name, t in parts}


# ------------------------------------------------------------ experiments


def two_proportion_z_test(
    treatment_successes: int, treatment_total: int, control_successes: int, control_total: int, *, confidence: float = 0.95
) -> Dict[str, Any]:
    """Difference of retention rates, its confidence interval, z and two-sided p-value."""
    return _retention.two_proportion_z_test(
        _int(treatment_successes, "treatment_successes"), _int(treatment_total, "treatment_total"),
        _int(control_successes, "control_successes"), _int(control_total, "control_total"),
        confidence=_float(confidence, "confidence"),
    )


# ------------------------------------------------------------------ churn


def health_scores(log: EventLog, as_of: Any, *, window_days: int = 90, max_reasons: int = 3) -> Any:
    """Explainable churn risk in [0, 1] per customer with reasons, and the traffic light."""
    lg = _check_log(log)
    table = _retention.health_scores(
        lg._log, micros(as_of, "as_of"),
        window_days=_int(window_days, "window_days"), max_reasons=_int(max_reasons, "max_reasons"),
    )
    return from_arrow(table, lg.library)


# ------------------------------------------------------------ model input


def summary_data(
    summaries: Any,
    observation_end: Any,
    *,
    unit: codes.TimeUnit = "day",
    multiplier: float = 1.0,
    include_first: bool = False,
    after_end: codes.OrdersAfterEnd = "reject",
) -> Any:
    """frequency / recency / T / monetary_value per customer, as lifetimes defines them.

    ``unit`` is a time-unit code (``"day"``, ``"week"``, ``"month"``),
    ``multiplier`` divides recency and T. An order after ``observation_end``
    raises :class:`InvalidRowsError` naming the customer unless ``after_end``
    is ``"ignore"`` (lifetimes' truncation).
    """
    s = _check_summaries(summaries)
    return from_arrow(
        _retention.model_input_table(
            s._inner, micros(observation_end, "observation_end"), unit=unit,
            multiplier=_float(multiplier, "multiplier"), include_first=bool(include_first), after_end=after_end,
        ),
        s.library,
    )


def calibration_and_holdout(
    summaries: Any,
    calibration_end: Any,
    observation_end: Any,
    *,
    unit: codes.TimeUnit = "day",
    multiplier: float = 1.0,
    include_first: bool = False,
) -> Any:
    """The calibration/holdout split with lifetimes' column names."""
    s = _check_summaries(summaries)
    return from_arrow(
        _retention.calibration_and_holdout_table(
            s._inner, micros(calibration_end, "calibration_end"), micros(observation_end, "observation_end"),
            unit=unit, multiplier=_float(multiplier, "multiplier"), include_first=bool(include_first),
        ),
        s.library,
    )


# --------------------------------------------------------------- survival


def _library(*values: Any) -> Library:
    for v in values:
        lib = library_of(v)
        if lib != "pandas":
            return lib
    return "pandas"


def kaplan_meier(
    durations: Any, event_observed: Any, *, alpha: float = 0.05, transform: codes.KmConfidenceTransform = "log_log"
) -> Tuple[Any, Optional[float], Tuple[Optional[float], Optional[float]]]:
    """Kaplan-Meier curve table (timeline, survival, lower, upper, at_risk,
    observed, censored), the median survival time and its confidence interval."""
    table, median, ci = _retention.kaplan_meier(
        to_arrow_array(durations, "durations"), to_arrow_array(event_observed, "event_observed"),
        alpha=_float(alpha, "alpha"), transform=transform,
    )
    return from_arrow(table, _library(durations)), median, ci


def nelson_aalen(durations: Any, event_observed: Any, *, alpha: float = 0.05, ties: codes.NelsonAalenTies = "smoothed") -> Any:
    """Nelson-Aalen cumulative hazard table with variance and bounds."""
    table = _retention.nelson_aalen(
        to_arrow_array(durations, "durations"), to_arrow_array(event_observed, "event_observed"),
        alpha=_float(alpha, "alpha"), ties=ties,
    )
    return from_arrow(table, _library(durations))


def logrank_test(durations_A: Any, durations_B: Any, event_observed_A: Any, event_observed_B: Any) -> Dict[str, Any]:
    """Two-group log-rank test (lifelines' argument order)."""
    return _retention.logrank_test(
        to_arrow_array(durations_A, "durations_A"), to_arrow_array(event_observed_A, "event_observed_A"),
        to_arrow_array(durations_B, "durations_B"), to_arrow_array(event_observed_B, "event_observed_B"),
    )


def multivariate_logrank_test(durations: Any, groups: Any, event_observed: Any) -> Dict[str, Any]:
    """Log-rank test across any number of groups."""
    return _retention.multivariate_logrank_test(
        to_arrow_array(durations, "durations"), to_arrow_array(groups, "groups"),
        to_arrow_array(event_observed, "event_observed"),
    )


def concordance_index(event_times: Any, predicted_scores: Any, event_observed: Any) -> float:
    """Harrell's C (higher score = longer survival, as lifelines)."""
    return _retention.concordance_index(
        to_arrow_array(event_times, "event_times"), to_arrow_array(predicted_scores, "predicted_scores"),
        to_arrow_array(event_observed, "event_observed"),
    )


def cox_ph(
    data: Any, duration_col: str, event_col: str, *, ties: codes.CoxTies = "efron", penalizer: float = 0.0,
    max_iterations: int = 50, tolerance: float = 1e-9,
) -> Dict[str, Any]:
    """Cox proportional hazards on every column of ``data`` except the duration and event columns."""
    import pyarrow as pa

    table = pa.table(to_arrow_table(data))
    for col in (duration_col, event_col):
        if col not in table.column_names:
            from .errors import InvalidParameterError

            raise InvalidParameterError(
                f"invalid parameter `{col}`: no such column", name="duration_col" if col == duration_col else "event_col",
                value=repr(col), reason="no such column in the input",
            )
    covariates: List[Tuple[str, Any]] = [
        (name, table.column(name).combine_chunks()) for name in table.column_names if name not in (duration_col, event_col)
    ]
    return _retention.cox_ph(
        table.column(duration_col).combine_chunks(), table.column(event_col).combine_chunks(), covariates,
        ties=ties, penalizer=_float(penalizer, "penalizer"), max_iterations=_int(max_iterations, "max_iterations"),
        tolerance=_float(tolerance, "tolerance"),
    )
