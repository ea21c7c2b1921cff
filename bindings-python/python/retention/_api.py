"""Metrics, segments, cohorts, experiments, churn, survival and model inputs.

Thin wrappers: convert dates and columns, call the Rust core, convert the
result to the library of the input (pandas for plain Python / numpy input).
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Sequence, Tuple, cast

from . import _retention, codes, results
from ._frames import Library, from_arrow, library_of, micros, to_arrow_array, to_arrow_table, ts_fields
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


def period_activity(log: EventLog, start: Any, end: Any, *, window_days: int = 90, basis: codes.ActivityBasis = "orders") -> results.PeriodActivity:
    """Customer activity, retention and churn over the period ``[start, end)``.

    A customer is *active* at an instant when they ordered in the
    ``window_days`` before it (``basis="orders"``) or have positive
    subscription MRR (``basis="subscriptions"``). With ``S`` active at
    ``start``, ``E`` active at ``end`` and ``N`` the new customers still
    active at ``end``, the customer retention rate is ``(E − N) / S``.

    Parameters
    ----------
    log : EventLog
        The events.
    start, end : str or datetime-like
        Bounds of the half-open period, ``start < end``: ISO 8601 text such as
        ``"2024-01-01"``, ``datetime`` (naive = UTC), ``date``,
        ``numpy.datetime64`` or ``pandas.Timestamp``.
    window_days : int, default 90
        Activity window in days for ``basis="orders"``.
    basis : {"orders", "subscriptions"}, default "orders"
        Activity basis (vocabulary ``"activity_basis"``): orders in the window
        (non-contractual) or positive MRR (contractual).

    Returns
    -------
    dict
        ``start`` and ``end`` (the window, UTC timestamps), ``start_count``
        (S), ``end_count`` (E), ``retained`` (active at both
        instants), ``joined`` (not active at ``start``, active at some instant
        in the period), ``new`` (N, joined and still active at ``end``),
        ``lost`` (``S − retained``), ``lost_including_new`` (``S + J − E``),
        and the fractions ``retention_rate`` (``(E − N) / S``),
        ``churn_rate`` (``lost / S``) and ``churn_rate_including_new``
        (``(S + J − E) / (S + J)``). A rate is ``None`` when its denominator
        is 0.

    Raises
    ------
    InvalidParameterError
        If ``end`` is not after ``start`` or ``window_days`` is negative.
    UnknownCodeError
        If ``basis`` is not an ``activity_basis`` code; ``accepted`` lists them.

    See Also
    --------
    period_activity_series : The same for every calendar period.

    Examples
    --------
    >>> import retention
    >>> log = retention.EventLog.sample(seed=42, customers=200)
    >>> act = retention.period_activity(log, "2024-01-01", "2024-07-01")
    >>> act["start_count"], act["end_count"], act["new"]
    (30, 45, 34)
    >>> round(act["retention_rate"], 4)
    0.3667
    """
    d = _retention.period_activity(
        _check_log(log)._log, micros(start, "start"), micros(end, "end"),
        window_days=_int(window_days, "window_days"), basis=basis,
    )
    return cast(results.PeriodActivity, ts_fields(dict(d), "start", "end"))


def order_stats(log: EventLog, start: Any, end: Any) -> results.OrderStats:
    """Order statistics of the period ``[start, end)``.

    Parameters
    ----------
    log : EventLog
        The events.
    start, end : str or datetime-like
        Bounds of the half-open period, ``start < end`` (ISO 8601 text such as
        ``"2024-01-01"``, ``datetime`` with naive = UTC, ``date``,
        ``numpy.datetime64`` or ``pandas.Timestamp``).

    Returns
    -------
    dict
        ``customers`` (distinct ordering customers), ``repeat_customers``
        (those with at least 2 orders), ``orders``, ``revenue`` (gross order
        revenue), ``repeat_purchase_rate`` (``repeat_customers /
        customers``), ``purchase_frequency`` (``orders / customers``) and
        ``average_order_value`` (``revenue / orders``). Rates are ``None``
        when their denominator is 0.

    Raises
    ------
    InvalidParameterError
        If ``end`` is not after ``start``.

    Examples
    --------
    >>> import retention
    >>> log = retention.EventLog.sample(seed=42, customers=200)
    >>> stats = retention.order_stats(log, "2024-01-01", "2024-07-01")
    >>> stats["orders"], stats["customers"], stats["repeat_customers"]
    (106, 73, 23)
    >>> round(stats["average_order_value"], 2)
    100.35
    """
    return _retention.order_stats(_check_log(log)._log, micros(start, "start"), micros(end, "end"))


def mrr_bridge(log: EventLog, start: Any, end: Any) -> results.MrrBridge:
    """The MRR bridge: how monthly recurring revenue moved over ``[start, end)``.

    Built from the ``subscription`` events (MRR changes) of the log. Because
    the bridge also holds MRR added and lost inside the period, gross MRR
    churn can exceed 1 and gross revenue retention can fall below 0.

    Parameters
    ----------
    log : EventLog
        The events.
    start, end : str or datetime-like
        Bounds of the half-open period, ``start < end`` (ISO 8601 text such as
        ``"2024-01-01"``, ``datetime`` with naive = UTC, ``date``,
        ``numpy.datetime64`` or ``pandas.Timestamp``).

    Returns
    -------
    dict
        MRR amounts ``starting``, ``new``, ``expansion``, ``contraction``,
        ``churned``, ``reactivation``, ``ending``, and the fractions
        ``gross_mrr_churn`` (``(churned + contraction) / starting``),
        ``net_mrr_churn`` (``(churned + contraction − expansion −
        reactivation) / starting``), ``net_revenue_retention``,
        ``gross_revenue_retention`` and ``quick_ratio`` (``(new + expansion +
        reactivation) / (contraction + churned)``); ``None`` when a
        denominator is 0.

    Raises
    ------
    InvalidParameterError
        If ``end`` is not after ``start``.

    Examples
    --------
    >>> import retention
    >>> log = retention.EventLog.sample(seed=42, customers=200)
    >>> bridge = retention.mrr_bridge(log, "2024-01-01", "2024-07-01")
    >>> bridge["starting"], bridge["ending"]
    (84.0, 268.0)
    >>> round(bridge["net_revenue_retention"], 4)
    1.1429
    """
    return _retention.mrr_bridge(_check_log(log)._log, micros(start, "start"), micros(end, "end"))


def customer_retention_rate(start: int, end: int, new: int) -> Optional[float]:
    """Customer retention rate ``(E − N) / S`` from counts.

    Parameters
    ----------
    start : int
        ``S``, customers at the start of the period.
    end : int
        ``E``, customers at the end of the period.
    new : int
        ``N``, customers acquired during the period and still there at the end.

    Returns
    -------
    float or None
        The rate as a fraction in [0, 1]; ``None`` when ``start`` is 0.

    Raises
    ------
    InvalidParameterError
        If a count is negative or ``end − new`` exceeds ``start``.
    TypeError
        If a count is not an int.

    Examples
    --------
    >>> import retention
    >>> retention.customer_retention_rate(100, 90, 10)
    0.8
    """
    return _retention.customer_retention_rate(_int(start, "start"), _int(end, "end"), _int(new, "new"))


def churn_rate(lost: int, start: int) -> Optional[float]:
    """Churn rate ``lost / start`` from counts.

    Parameters
    ----------
    lost : int
        Customers of the start who were lost during the period.
    start : int
        Customers at the start of the period.

    Returns
    -------
    float or None
        The rate as a fraction in [0, 1]; ``None`` when ``start`` is 0.

    Raises
    ------
    InvalidParameterError
        If a count is negative or ``lost`` exceeds ``start``.
    TypeError
        If a count is not an int.

    Examples
    --------
    >>> import retention
    >>> retention.churn_rate(10, 100)
    0.1
    """
    return _retention.churn_rate(_int(lost, "lost"), _int(start, "start"))


def nps(answers: Any) -> results.Nps:
    """Net Promoter Score (−100..100) of 0–10 answers.

    ``100 × (promoters − detractors) / respondents`` with promoters answering
    9–10, passives 7–8 and detractors 0–6.

    Parameters
    ----------
    answers : sequence of int
        Whole-number answers in 0..10 (list, numpy array, Series or Arrow
        array).

    Returns
    -------
    dict
        ``score`` (float), ``promoters``,
        ``passives``, ``detractors`` and ``respondents`` (counts).

    Raises
    ------
    InvalidRowsError
        Naming every answer outside 0..10 or not a whole number (``issues``
        gives the row, field and value of each).
    EmptyInputError
        If there is no answer.

    Examples
    --------
    >>> import retention
    >>> result = retention.nps([10, 9, 10, 9, 8, 7, 8, 7, 3, 6])
    >>> round(result["score"], 6)
    20.0
    >>> result["promoters"], result["passives"], result["detractors"]
    (4, 4, 2)
    """
    return _retention.nps(to_arrow_array(answers, "answers"))


def csat(answers: Any, *, scale: int = 5, satisfied_threshold: Optional[int] = None) -> results.Csat:
    """Customer satisfaction score: the percentage of satisfied answers, and the mean.

    An answer is satisfied when it is at least ``satisfied_threshold``
    (default ``scale − 1``, the top-two-box convention).

    Parameters
    ----------
    answers : sequence of int
        Whole-number answers in ``1..=scale`` (list, numpy array, Series or
        Arrow array).
    scale : int, default 5
        The highest answer.
    satisfied_threshold : int, optional
        The lowest satisfied answer; ``None`` (default) means ``scale − 1``.

    Returns
    -------
    dict
        ``score`` (percentage 0–100 of satisfied answers), ``mean``,
        ``satisfied`` (count), ``threshold`` (the threshold used) and
        ``respondents``.

    Raises
    ------
    InvalidRowsError
        Naming every answer outside ``1..=scale`` or not a whole number.
    EmptyInputError
        If there is no answer.
    InvalidParameterError
        If ``scale`` or ``satisfied_threshold`` is impossible.

    Examples
    --------
    >>> import retention
    >>> result = retention.csat([5, 4, 3, 5, 2])
    >>> result["score"], result["threshold"], result["mean"]
    (60.0, 4, 3.8)
    >>> retention.csat([5, 4, 3, 5, 2], satisfied_threshold=5)["score"]
    40.0
    """
    return _retention.csat(
        to_arrow_array(answers, "answers"), scale=_int(scale, "scale"),
        satisfied_threshold=None if satisfied_threshold is None else _int(satisfied_threshold, "satisfied_threshold"),
    )


def ces(answers: Any, *, choices: int = 7) -> results.Ces:
    """Customer effort score ``(mean / choices) × 100`` of answers in ``1..=choices``.

    Parameters
    ----------
    answers : sequence of int
        Whole-number answers in ``1..=choices`` (list, numpy array, Series or
        Arrow array).
    choices : int, default 7
        Number of answer choices (the highest answer).

    Returns
    -------
    dict
        ``score`` (0–100), ``mean``, ``total`` (sum of the answers) and
        ``respondents``.

    Raises
    ------
    InvalidRowsError
        Naming every answer outside ``1..=choices`` or not a whole number.
    EmptyInputError
        If there is no answer.

    Examples
    --------
    >>> import retention
    >>> result = retention.ces([2, 3, 4, 5])
    >>> result["score"], result["mean"]
    (50.0, 3.5)
    """
    return _retention.ces(to_arrow_array(answers, "answers"), choices=_int(choices, "choices"))


def customer_loyalty_index(recommend: Any, repurchase: Any, other_products: Any) -> float:
    """Customer loyalty index: the mean of three NPS scores.

    Each argument holds the 0–10 answers to one loyalty question; the index
    is the mean of their three Net Promoter Scores (see :func:`nps`).

    Parameters
    ----------
    recommend : sequence of int
        Answers to "how likely are you to recommend us".
    repurchase : sequence of int
        Answers to "how likely are you to buy again".
    other_products : sequence of int
        Answers to "how likely are you to try our other products".

    Returns
    -------
    float
        The index, in −100..100.

    Raises
    ------
    InvalidRowsError
        Naming every answer outside 0..10 or not a whole number.
    EmptyInputError
        If a question has no answer.

    Examples
    --------
    >>> import retention
    >>> round(retention.customer_loyalty_index([10, 9, 6], [10, 10, 8], [9, 7, 3]), 2)
    33.33
    """
    return _retention.customer_loyalty_index(
        to_arrow_array(recommend, "recommend"),
        to_arrow_array(repurchase, "repurchase"),
        to_arrow_array(other_products, "other_products"),
    )


def simple_clv(aov: float, purchases_per_unit: float, lifespan_units: float) -> float:
    """Simple customer lifetime value ``AOV × purchase frequency × lifespan``.

    Parameters
    ----------
    aov : float
        Average order value.
    purchases_per_unit : float
        Purchases per customer per time unit.
    lifespan_units : float
        Customer lifespan in the same time unit.

    Returns
    -------
    float
        The lifetime value.

    Raises
    ------
    InvalidParameterError
        If an argument is negative or not finite.

    Examples
    --------
    >>> import retention
    >>> retention.simple_clv(50.0, 4.0, 3.0)
    600.0
    """
    return _retention.simple_clv(_float(aov, "aov"), _float(purchases_per_unit, "purchases_per_unit"), _float(lifespan_units, "lifespan_units"))


def clv_with_margin(aov: float, purchases_per_unit: float, lifespan_units: float, margin: float) -> float:
    """Simple CLV × gross margin: ``AOV × purchase frequency × lifespan × margin``.

    Parameters
    ----------
    aov : float
        Average order value.
    purchases_per_unit : float
        Purchases per customer per time unit.
    lifespan_units : float
        Customer lifespan in the same time unit.
    margin : float
        Gross margin as a fraction (``0.3`` = 30 %).

    Returns
    -------
    float
        The lifetime value in margin.

    Raises
    ------
    InvalidParameterError
        If an argument is negative or not finite, or the margin is not a
        fraction.

    Examples
    --------
    >>> import retention
    >>> round(retention.clv_with_margin(50.0, 4.0, 3.0, 0.3), 6)
    180.0
    """
    return _retention.clv_with_margin(
        _float(aov, "aov"), _float(purchases_per_unit, "purchases_per_unit"),
        _float(lifespan_units, "lifespan_units"), _float(margin, "margin"),
    )


def retention_clv(margin_per_period: float, retention: float, discount: float) -> float:
    """Retention-based CLV ``m × r / (1 + d − r)``.

    Parameters
    ----------
    margin_per_period : float
        ``m``, margin per customer per period.
    retention : float
        ``r``, retention rate per period, a fraction in [0, 1].
    discount : float
        ``d``, discount rate per period, a fraction.

    Returns
    -------
    float
        The lifetime value.

    Raises
    ------
    InvalidParameterError
        If ``retention`` is not a fraction in [0, 1], ``discount`` is
        negative, or an argument is not finite.

    Examples
    --------
    >>> import retention
    >>> round(retention.retention_clv(100.0, 0.8, 0.1), 2)
    266.67
    """
    return _retention.retention_clv(_float(margin_per_period, "margin_per_period"), _float(retention, "retention"), _float(discount, "discount"))


def historic_clv(summaries: Any) -> Any:
    """Historic CLV: net revenue (orders − refunds) to date per customer.

    Parameters
    ----------
    summaries : Summaries or EventLog
        Customer summaries (an :class:`EventLog` is summarised first).

    Returns
    -------
    DataFrame
        Columns ``customer_id`` and ``net_revenue``, one row per customer, in
        the library the log was built from.

    Examples
    --------
    >>> import retention
    >>> log = retention.EventLog.sample(seed=42, customers=200)
    >>> clv = retention.historic_clv(log.summaries())
    >>> list(clv.columns), len(clv)
    (['customer_id', 'net_revenue'], 200)
    >>> float(clv.loc[clv["customer_id"] == 4, "net_revenue"].iloc[0])
    386.75
    """
    s = _check_summaries(summaries)
    return from_arrow(_retention.historic_clv(s._inner), s.library)


def average_lifespan_days(summaries: Any) -> Optional[float]:
    """Observed average lifespan: mean of (last − first order) in days.

    Taken over the customers with at least one order.

    Parameters
    ----------
    summaries : Summaries or EventLog
        Customer summaries (an :class:`EventLog` is summarised first).

    Returns
    -------
    float or None
        Mean lifespan in days; ``None`` when no customer has an order.

    Examples
    --------
    >>> import retention
    >>> log = retention.EventLog.sample(seed=42, customers=200)
    >>> round(retention.average_lifespan_days(log.summaries()), 2)
    100.51
    """
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

    As of ``as_of``, per customer with an order: recency = days since the
    last order, frequency = orders (or order days), monetary = net spend
    (total or mean per order). Each is scored ``1..bins`` by quantile bins of
    the rank (ties broken by customer order, so bins never collapse); higher
    is better, so the most recent customers score ``bins`` on R. Customers
    without orders get the segment ``"Prospects"`` and null scores; a
    customer no rule matches gets ``"Others"``.

    Parameters
    ----------
    summaries : Summaries or EventLog
        Customer summaries (an :class:`EventLog` is summarised first).
    as_of : str or datetime-like
        The instant of the scoring (ISO 8601 text such as ``"2025-01-01"``,
        ``datetime`` with naive = UTC, ``date``, ``numpy.datetime64`` or
        ``pandas.Timestamp``). Orders after it raise.
    bins : int, default 5
        Number of score bins per dimension.
    frequency : {"orders", "order_days"}, default "orders"
        Frequency basis (vocabulary ``"frequency_basis"``): orders, or
        distinct UTC order days.
    monetary : {"total", "mean"}, default "total"
        Monetary basis (vocabulary ``"monetary_basis"``): total net spend or
        mean per order.
    segments : sequence of (str, str), optional
        A rule table of ``(name, pattern)`` pairs over the R and F (optionally
        M) scores, such as ``("Champions", "5[4-5]")`` (R 5, F 4 or 5); the
        first match wins. ``None`` (default) uses the built-in table
        (Champions, Loyal Customers, Potential Loyalists, New Customers,
        Promising, Need Attention, About To Sleep, At Risk, Can't Lose Them,
        Hibernating).

    Returns
    -------
    DataFrame
        Columns ``customer_id``, ``recency_days``, ``frequency``,
        ``monetary``, the scores ``r``, ``f``, ``m`` and ``segment``. For
        pandas results ``result.attrs["thresholds"]`` holds, for
        ``"recency"``, ``"frequency"`` and ``"monetary"``, the largest value
        in each of the bins ``1..bins−1``.

    Raises
    ------
    InvalidRowsError
        Naming every customer with an order after ``as_of``.
    UnknownCodeError
        If ``frequency`` or ``monetary`` is not one of its codes;
        ``accepted`` lists them.
    InvalidParameterError
        If ``bins`` is not in 2..9 or a segment pattern cannot be parsed.

    Examples
    --------
    >>> import retention
    >>> log = retention.EventLog.sample(seed=42, customers=200)
    >>> scores = retention.rfm(log.summaries(), "2025-01-01")
    >>> list(scores.columns)
    ['customer_id', 'recency_days', 'frequency', 'monetary', 'r', 'f', 'm', 'segment']
    >>> sorted(scores.attrs["thresholds"])
    ['frequency', 'monetary', 'recency']
    >>> custom = retention.rfm(log, "2025-01-01", segments=[("Best", "5[4-5]")])
    >>> sorted(custom["segment"].unique())
    ['Best', 'Others', 'Prospects']
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
    """Lifecycle stage per customer as of an instant.

    With ``d`` the days since the last order and ``g`` the customer's typical
    gap (median days between distinct order days), the first rule that holds:
    ``"prospect"`` (no order), ``"lapsed"`` (``d > churn_window_days``),
    ``"reactivated"`` (the last order ended a lapse and ``d ≤
    new_window_days``), ``"new"`` (first order within ``new_window_days``),
    ``"at_risk"`` (``d > at_risk_gap_multiple × g``, or ``d >
    inactive_after_days`` without gap history), ``"loyal"`` (at least
    ``loyal_orders`` orders), else ``"active"``. The stages are the codes of
    ``retention.vocabulary()["lifecycle_stage"]``.

    Parameters
    ----------
    summaries : Summaries or EventLog
        Customer summaries (an :class:`EventLog` is summarised first).
    as_of : str or datetime-like
        The instant (ISO 8601 text such as ``"2025-01-01"``, ``datetime``
        with naive = UTC, ``date``, ``numpy.datetime64`` or
        ``pandas.Timestamp``).
    **options
        Thresholds, each optional: ``new_window_days`` (int, default 30),
        ``at_risk_gap_multiple`` (float, default 2.0),
        ``inactive_after_days`` (int, default 30; also sets
        ``inactive_warning``), ``churn_window_days`` (int, default 365) and
        ``loyal_orders`` (int, default 5).

    Returns
    -------
    DataFrame
        Columns ``customer_id``, ``stage`` (a lifecycle-stage code),
        ``days_since_last_order``, ``typical_gap_days`` and
        ``inactive_warning`` (``d > inactive_after_days``).

    Raises
    ------
    InvalidRowsError
        Naming every customer with an order after ``as_of``.
    InvalidParameterError
        If a threshold is impossible.
    TypeError
        For an unknown option name.

    Examples
    --------
    >>> import retention
    >>> log = retention.EventLog.sample(seed=42, customers=200)
    >>> stages = retention.lifecycle(log.summaries(), "2025-01-01")
    >>> list(stages.columns)
    ['customer_id', 'stage', 'days_since_last_order', 'typical_gap_days', 'inactive_warning']
    >>> int((stages["stage"] == "at_risk").sum())
    77
    """
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
    """Acquisition-cohort matrices: retention, churn, revenue and LTV by age.

    A customer belongs to the calendar period of their first order. For a
    cohort and an age ``k`` (in periods), retention is the share of members
    retained at ``k`` (see ``mode``), churn is ``1 − retention``, revenue is
    the cohort's revenue in period ``k`` and LTV the cumulative revenue per
    member up to ``k``. A cell whose period is not complete at ``as_of`` is
    null, never 0.

    Parameters
    ----------
    log : EventLog
        The events.
    as_of : str or datetime-like
        The instant (ISO 8601 text such as ``"2025-01-01"``, ``datetime``
        with naive = UTC, ``date``, ``numpy.datetime64`` or
        ``pandas.Timestamp``). Events after it raise.
    period : {"day", "week", "month", "quarter", "year"}, default "month"
        Calendar period of cohorts and ages (vocabulary ``"period"``).
    mode : {"return_on", "return_on_or_after"}, default "return_on"
        Retention mode (vocabulary ``"retention_mode"``): a qualifying event
        in period ``k`` itself, or in any period from ``k`` on (up to
        ``as_of``).
    qualifying : {"orders", "any_activity"}, default "orders"
        Which events count as a return (vocabulary ``"qualifying_events"``).
    revenue : {"net", "gross"}, default "net"
        Revenue basis (vocabulary ``"revenue_basis"``): orders minus refunds
        dated in the period, or orders only.
    max_age : int, optional
        Highest age column; ``None`` (default) keeps every age.

    Returns
    -------
    dict
        ``"retention"``, ``"churn"``, ``"revenue"`` and ``"ltv"``, each a
        DataFrame with one row per cohort (``cohort``, ``period_start``,
        ``size``) and one column per age ``"0"``, ``"1"``…; incomplete cells
        are null.

    Raises
    ------
    InvalidRowsError
        Naming every event after ``as_of``.
    UnknownCodeError
        If ``period``, ``mode``, ``qualifying`` or ``revenue`` is not one of
        its codes; ``accepted`` lists them.

    Examples
    --------
    >>> import retention
    >>> log = retention.EventLog.sample(seed=42, customers=200)
    >>> matrices = retention.cohort_matrix(log, "2025-01-01", period="month", mode="return_on")
    >>> sorted(matrices)
    ['churn', 'ltv', 'retention', 'revenue']
    >>> retention_matrix = matrices["retention"]
    >>> list(retention_matrix.columns[:5]), len(retention_matrix)
    (['cohort', 'period_start', 'size', '0', '1'], 24)
    >>> float(retention_matrix["0"].iloc[0])
    1.0

    An unknown code lists the accepted ones:

    >>> try:
    ...     retention.cohort_matrix(log, "2025-01-01", period="weekly")
    ... except retention.UnknownCodeError as e:
    ...     print(e.accepted)
    ['day', 'week', 'week_tue', 'week_wed', 'week_thu', 'week_fri', 'week_sat', 'week_sun', 'month', 'quarter', 'year']
    """
    lg = _check_log(log)
    parts = _retention.cohort_matrix(
        lg._log, micros(as_of, "as_of"), period=period, mode=mode, qualifying=qualifying, revenue=revenue,
        max_age=None if max_age is None else _int(max_age, "max_age"),
    )
    return {name: from_arrow(t, lg.library) for name, t in parts}


# ------------------------------------------------------------ experiments


def two_proportion_z_test(
    treatment_successes: int, treatment_total: int, control_successes: int, control_total: int, *, confidence: float = 0.95
) -> results.ProportionComparison:
    """Two-proportion z-test of a retention experiment.

    Compares the treatment's retention rate with the control's: the
    difference, its confidence interval, the z statistic and the two-sided
    p-value (unpooled standard error for the interval).

    Parameters
    ----------
    treatment_successes : int
        Retained customers in the treatment group.
    treatment_total : int
        Customers in the treatment group.
    control_successes : int
        Retained customers in the control group.
    control_total : int
        Customers in the control group.
    confidence : float, default 0.95
        Confidence level of the interval, in (0, 1).

    Returns
    -------
    dict
        ``treatment_rate``, ``control_rate``, ``difference`` (treatment −
        control), ``standard_error``, ``confidence``, ``ci_low``, ``ci_high``,
        ``z`` and ``p_value``.

    Raises
    ------
    InvalidParameterError
        If successes exceed their total or ``confidence`` is not in (0, 1).
    EmptyInputError
        If a group has no customer.

    See Also
    --------
    retention_counts : The counts of a labelled experiment from a log.

    Examples
    --------
    >>> import retention
    >>> test = retention.two_proportion_z_test(60, 100, 50, 100)
    >>> round(test["difference"], 4), round(test["p_value"], 4)
    (0.1, 0.1552)
    """
    return _retention.two_proportion_z_test(
        _int(treatment_successes, "treatment_successes"), _int(treatment_total, "treatment_total"),
        _int(control_successes, "control_successes"), _int(control_total, "control_total"),
        confidence=_float(confidence, "confidence"),
    )


# ------------------------------------------------------------------ churn


def health_scores(log: EventLog, as_of: Any, *, window_days: int = 90, max_reasons: int = 3) -> Any:
    """Explainable churn risk in [0, 1] per customer, with reasons and a traffic light.

    The risk is the weighted mean of the components that apply: recency
    against the customer's own rhythm, order-count and spend trends and
    engagement drop (last ``window_days`` against the ``window_days``
    before), open support tickets, and the latest NPS or CSAT answer. A
    customer without any data gets 0.5 ("no order history"). The light is
    ``"green"``, ``"amber"`` or ``"red"`` (see :func:`traffic_light`).

    Parameters
    ----------
    log : EventLog
        The events.
    as_of : str or datetime-like
        The instant (ISO 8601 text such as ``"2025-01-01"``, ``datetime``
        with naive = UTC, ``date``, ``numpy.datetime64`` or
        ``pandas.Timestamp``).
    window_days : int, default 90
        Length of the two trend windows in days.
    max_reasons : int, default 3
        Most reasons reported per customer (the largest contributions).

    Returns
    -------
    DataFrame
        Columns ``customer_id``, ``risk``, ``reasons`` (list of str),
        ``light`` (a ``"light"`` code) and ``light_reasons`` (list of str).

    Raises
    ------
    InvalidRowsError
        Naming every event after ``as_of``.

    Examples
    --------
    >>> import retention
    >>> log = retention.EventLog.sample(seed=42, customers=200)
    >>> health = retention.health_scores(log, "2025-01-01")
    >>> list(health.columns)
    ['customer_id', 'risk', 'reasons', 'light', 'light_reasons']
    >>> bool(health["risk"].between(0, 1).all())
    True
    """
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
    """Buy-till-you-die model input per customer, as lifetimes defines it.

    ``frequency`` is the number of repeat purchase days, ``recency`` the age
    at the last purchase day, ``T`` the age at ``observation_end`` and
    ``monetary_value`` the mean spend of the repeat purchase days (as
    ``lifetimes.utils.summary_data_from_transaction_data``). Feed it to the
    ``fit_*`` functions.

    Parameters
    ----------
    summaries : Summaries or EventLog
        Customer summaries, or an :class:`EventLog` (read directly: needed
        for the sub-daily units, which summaries cannot give).
    observation_end : str or datetime-like
        End of observation (ISO 8601 text such as ``"2025-01-01"``,
        ``datetime`` with naive = UTC, ``date``, ``numpy.datetime64`` or
        ``pandas.Timestamp``).
    unit : {"day", "week", "month", "hour", "minute", "second"}, default "day"
        Time unit of ``recency`` and ``T`` (vocabulary ``"time_unit"``); the
        sub-daily units count periods of the UTC order instants (an
        :class:`EventLog` only; from :class:`Summaries` they raise
        :class:`InvalidParameterError`).
    multiplier : float, default 1.0
        Divides recency and T (lifetimes' ``freq_multiplier``).
    include_first : bool, default False
        Count the first purchase in ``frequency`` and ``monetary_value``.
    after_end : {"reject", "ignore", "end_period"}, default "reject"
        Orders after ``observation_end`` (vocabulary ``"orders_after_end"``):
        raise, ignore those after the end's day, or count the rest of the
        end's week or month and ignore later ones (lifetimes' truncation,
        which keeps every order whose period is not after the end's).

    Returns
    -------
    DataFrame
        Columns ``customer_id``, ``frequency``, ``recency``, ``T`` and
        ``monetary_value``, one row per customer with an order.

    Raises
    ------
    InvalidRowsError
        Naming each customer with an order after ``observation_end`` (unless
        ``after_end="ignore"``).
    UnknownCodeError
        If ``unit`` or ``after_end`` is not one of its codes; ``accepted``
        lists them.

    Examples
    --------
    >>> import retention
    >>> log = retention.EventLog.sample(seed=42, customers=200)
    >>> data = retention.summary_data(log.summaries(), "2025-01-01", unit="day")
    >>> list(data.columns), len(data)
    (['customer_id', 'frequency', 'recency', 'T', 'monetary_value'], 161)
    >>> len(retention.summary_data(log, "2024-06-01", after_end="ignore"))
    92
    """
    end = micros(observation_end, "observation_end")
    mult = _float(multiplier, "multiplier")
    if isinstance(summaries, EventLog):
        # From the log itself: every unit, the sub-daily ones included.
        return from_arrow(
            _retention.model_input_of_log(
                summaries._log, end, unit=unit, multiplier=mult, include_first=bool(include_first),
                after_end=after_end,
            ),
            summaries.library,
        )
    s = _check_summaries(summaries)
    return from_arrow(
        _retention.model_input_table(
            s._inner, end, unit=unit, multiplier=mult, include_first=bool(include_first), after_end=after_end,
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
    """The calibration/holdout split of the model input, with lifetimes' column names.

    The calibration part is :func:`summary_data` at ``calibration_end``; the
    holdout part describes the purchases after ``calibration_end`` up to
    ``observation_end`` (later orders are ignored). Use it to validate a model fitted on the calibration
    period.

    Parameters
    ----------
    summaries : Summaries or EventLog
        Customer summaries (an :class:`EventLog` is summarised first).
    calibration_end : str or datetime-like
        End of the calibration period (ISO 8601 text such as
        ``"2024-07-01"``, ``datetime`` with naive = UTC, ``date``,
        ``numpy.datetime64`` or ``pandas.Timestamp``).
    observation_end : str or datetime-like
        End of the holdout period, after ``calibration_end``.
    unit : {"day", "week", "month"}, default "day"
        Time unit (vocabulary ``"time_unit"``; the sub-daily ones raise
        :class:`InvalidParameterError`: the split works on day totals).
    multiplier : float, default 1.0
        Divides recency, T and the holdout duration.
    include_first : bool, default False
        Count the first purchase in the calibration frequency and monetary
        value.

    Returns
    -------
    DataFrame
        Columns ``customer_id``, ``frequency_cal``, ``recency_cal``,
        ``T_cal``, ``monetary_value_cal``, ``frequency_holdout``,
        ``monetary_value_holdout`` and ``duration_holdout``, one row per
        customer with an order before ``calibration_end``.

    Raises
    ------
    InvalidParameterError
        If ``calibration_end`` is not on a day before ``observation_end``.
    UnknownCodeError
        If ``unit`` is not a ``time_unit`` code; ``accepted`` lists them.

    Examples
    --------
    >>> import retention
    >>> log = retention.EventLog.sample(seed=42, customers=200)
    >>> split = retention.calibration_and_holdout(log.summaries(), "2024-07-01", "2025-01-01")
    >>> list(split.columns[:5])
    ['customer_id', 'frequency_cal', 'recency_cal', 'T_cal', 'monetary_value_cal']
    >>> float(split["duration_holdout"].iloc[0])
    184.0
    """
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
    """Kaplan-Meier survival curve, median survival time and its confidence interval.

    Agrees with ``lifelines.KaplanMeierFitter``.

    Parameters
    ----------
    durations : sequence of float
        Time to the event or to censoring, one per subject (list, numpy
        array, Series or Arrow array).
    event_observed : sequence of bool or int
        1/``True`` when the event happened, 0/``False`` when censored.
    alpha : float, default 0.05
        ``1 − confidence level`` of the bands.
    transform : {"log_log", "linear"}, default "log_log"
        Confidence-band transform (vocabulary ``"km_confidence_transform"``).

    Returns
    -------
    table : DataFrame
        Columns ``timeline``, ``survival``, ``lower``, ``upper``,
        ``at_risk``, ``observed`` and ``censored``, in the library of
        ``durations`` (pandas for lists and numpy).
    median : float or None
        Median survival time; ``None`` when survival never reaches 0.5.
    ci : tuple of (float or None, float or None)
        Confidence interval of the median; a bound is ``None`` when
        undefined.

    Raises
    ------
    LengthMismatchError
        If the two inputs differ in length.
    InvalidRowsError
        Naming every negative or non-finite duration and every event flag
        other than 0/1.
    UnknownCodeError
        If ``transform`` is not one of its codes; ``accepted`` lists them.

    Examples
    --------
    >>> import retention
    >>> table, median, ci = retention.kaplan_meier([5, 6, 6, 2, 4, 4], [1, 0, 1, 1, 1, 0])
    >>> median, ci
    (5.0, (2.0, None))
    >>> [round(s, 4) for s in table["survival"]]
    [1.0, 0.8333, 0.6667, 0.4444, 0.2222]
    """
    table, median, ci = _retention.kaplan_meier(
        to_arrow_array(durations, "durations"), to_arrow_array(event_observed, "event_observed"),
        alpha=_float(alpha, "alpha"), transform=transform,
    )
    return from_arrow(table, _library(durations)), median, ci


def nelson_aalen(durations: Any, event_observed: Any, *, alpha: float = 0.05, ties: codes.NelsonAalenTies = "smoothed") -> Any:
    """Nelson-Aalen cumulative hazard with variance and confidence bounds.

    Agrees with ``lifelines.NelsonAalenFitter``.

    Parameters
    ----------
    durations : sequence of float
        Time to the event or to censoring, one per subject.
    event_observed : sequence of bool or int
        1/``True`` when the event happened, 0/``False`` when censored.
    alpha : float, default 0.05
        ``1 − confidence level`` of the bounds.
    ties : {"smoothed", "discrete"}, default "smoothed"
        Handling of tied event times (vocabulary ``"nelson_aalen_ties"``):
        lifelines' smoothed estimator or the discrete one.

    Returns
    -------
    DataFrame
        Columns ``timeline``, ``cumulative_hazard``, ``variance``, ``lower``
        and ``upper``, in the library of ``durations``.

    Raises
    ------
    LengthMismatchError
        If the two inputs differ in length.
    InvalidRowsError
        Naming every negative or non-finite duration.
    UnknownCodeError
        If ``ties`` is not one of its codes; ``accepted`` lists them.

    Examples
    --------
    >>> import retention
    >>> hazard = retention.nelson_aalen([5, 6, 6, 2, 4, 4], [1, 0, 1, 1, 1, 0])
    >>> [round(h, 4) for h in hazard["cumulative_hazard"]]
    [0.0, 0.1667, 0.3667, 0.7, 1.2]
    """
    table = _retention.nelson_aalen(
        to_arrow_array(durations, "durations"), to_arrow_array(event_observed, "event_observed"),
        alpha=_float(alpha, "alpha"), ties=ties,
    )
    return from_arrow(table, _library(durations))


def logrank_test(durations_A: Any, durations_B: Any, event_observed_A: Any, event_observed_B: Any) -> results.LogRankTest:
    """Two-group log-rank test (lifelines' argument order).

    Parameters
    ----------
    durations_A, durations_B : sequence of float
        Durations of group A and group B.
    event_observed_A, event_observed_B : sequence of bool or int
        1/``True`` when the event happened, 0/``False`` when censored, for
        each group.

    Returns
    -------
    dict
        ``test_statistic`` (chi-squared), ``degrees_of_freedom`` (1),
        ``p_value``, and ``observed`` and ``expected`` events per group.

    Raises
    ------
    LengthMismatchError
        If a group's durations and events differ in length.
    InvalidRowsError
        Naming every negative or non-finite duration.

    Examples
    --------
    >>> import retention
    >>> test = retention.logrank_test([1, 2, 3, 4, 5], [3, 5, 7, 9, 11], [1, 1, 1, 1, 1], [1, 1, 0, 1, 1])
    >>> round(test["p_value"], 4), test["observed"]
    (0.0275, [5.0, 4.0])
    """
    return _retention.logrank_test(
        to_arrow_array(durations_A, "durations_A"), to_arrow_array(event_observed_A, "event_observed_A"),
        to_arrow_array(durations_B, "durations_B"), to_arrow_array(event_observed_B, "event_observed_B"),
    )


def multivariate_logrank_test(durations: Any, groups: Any, event_observed: Any) -> results.LogRankTest:
    """Log-rank test across any number of groups.

    Parameters
    ----------
    durations : sequence of float
        Duration of each subject.
    groups : sequence
        Group label of each subject (str or int).
    event_observed : sequence of bool or int
        1/``True`` when the event happened, 0/``False`` when censored.

    Returns
    -------
    dict
        ``test_statistic`` (chi-squared), ``degrees_of_freedom`` (groups −
        1), ``p_value``, and ``observed`` and ``expected`` events per group
        (groups in sorted order).

    Raises
    ------
    InvalidParameterError
        If there are fewer than two groups.
    LengthMismatchError
        If the inputs differ in length.
    InvalidRowsError
        Naming every negative or non-finite duration.

    Examples
    --------
    >>> import retention
    >>> test = retention.multivariate_logrank_test(
    ...     [1, 2, 3, 4, 5, 3, 5, 7, 9, 11], ["a"] * 5 + ["b"] * 5, [1] * 10)
    >>> test["degrees_of_freedom"], round(test["p_value"], 4)
    (1, 0.0275)
    """
    return _retention.multivariate_logrank_test(
        to_arrow_array(durations, "durations"), to_arrow_array(groups, "groups"),
        to_arrow_array(event_observed, "event_observed"),
    )


def concordance_index(event_times: Any, predicted_scores: Any, event_observed: Any) -> float:
    """Harrell's concordance index (higher score = longer survival, as lifelines).

    Parameters
    ----------
    event_times : sequence of float
        Observed durations.
    predicted_scores : sequence of float
        Predicted scores; a higher score predicts a longer survival.
    event_observed : sequence of bool or int
        1/``True`` when the event happened, 0/``False`` when censored.

    Returns
    -------
    float
        The share of comparable pairs ordered correctly by the scores (ties
        count one half): 1.0 perfect, 0.5 random.

    Raises
    ------
    LengthMismatchError
        If the inputs differ in length.

    Examples
    --------
    >>> import retention
    >>> retention.concordance_index([1, 2, 3, 4], [1, 2, 3, 4], [1, 1, 1, 1])
    1.0
    """
    return _retention.concordance_index(
        to_arrow_array(event_times, "event_times"), to_arrow_array(predicted_scores, "predicted_scores"),
        to_arrow_array(event_observed, "event_observed"),
    )


def cox_ph(
    data: Any, duration_col: str, event_col: str, *, ties: codes.CoxTies = "efron", penalizer: float = 0.0,
    max_iterations: int = 50, tolerance: float = 1e-9,
) -> results.CoxModel:
    """Cox proportional hazards on every column of ``data`` except the duration and event columns.

    Newton-Raphson on the partial likelihood with Efron or Breslow ties,
    agreeing with ``lifelines.CoxPHFitter``.

    Parameters
    ----------
    data : DataFrame or dict of columns
        The subjects: pandas, polars, pyarrow or a dict of equal-length
        columns. Every column other than ``duration_col`` and ``event_col``
        is a numeric covariate.
    duration_col : str
        Name of the duration column.
    event_col : str
        Name of the event column (1/``True`` = event, 0/``False`` =
        censored).
    ties : {"efron", "breslow"}, default "efron"
        Tie handling (vocabulary ``"cox_ties"``).
    penalizer : float, default 0.0
        L2 penalty on the coefficients.
    max_iterations : int, default 50
        Newton-Raphson iteration limit.
    tolerance : float, default 1e-09
        Convergence tolerance.

    Returns
    -------
    dict
        ``covariates`` (names), per covariate ``coefficients``,
        ``standard_errors``, ``z`` and ``p_values``; ``variance_matrix``
        (flattened, row-major), ``log_likelihood``, ``null_log_likelihood``,
        ``concordance``, ``iterations``, ``n_observations`` and ``n_events``.

    Raises
    ------
    InvalidParameterError
        If ``duration_col`` or ``event_col`` is not a column of ``data``.
    UnknownCodeError
        If ``ties`` is not one of its codes; ``accepted`` lists them.
    SingularMatrixError
        If the covariates are collinear.
    NotConvergedError
        If the fit hits ``max_iterations``.

    Examples
    --------
    >>> import retention
    >>> data = {"T": [5, 6, 6, 2, 4, 4, 7, 3], "E": [1, 0, 1, 1, 1, 0, 1, 1],
    ...         "age": [30, 40, 35, 25, 50, 45, 38, 29]}
    >>> fit = retention.cox_ph(data, "T", "E")
    >>> fit["covariates"], round(fit["coefficients"][0], 4), fit["n_events"]
    (['age'], -0.1312, 6)
    """
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
