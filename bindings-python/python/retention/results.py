"""The shapes of the dict results, as ``TypedDict`` types for annotations.

Each dict result is the Rust core's result struct, field for field (ratios
included), so these types list the core's field names; a test checks every
one against what the functions return.

Examples
--------
>>> import retention
>>> from retention.results import OrderStats
>>> sorted(OrderStats.__annotations__) == sorted(retention.order_stats(
...     retention.EventLog.sample(seed=1, customers=50), "2024-01-01", "2025-01-01"))
True
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional, TypedDict

import pandas as pd

__all__ = [
    "PeriodActivity",
    "OrderStats",
    "MrrBridge",
    "Nps",
    "Csat",
    "Ces",
    "ProportionComparison",
    "LogRankTest",
    "CoxModel",
    "TierStatus",
    "TrafficLight",
    "PeriodRetention",
    "Stickiness",
    "ReferralStats",
    "LedgerTotals",
]


class PeriodActivity(TypedDict):
    """:func:`retention.period_activity`: counts and rates of one window."""

    start: pd.Timestamp
    end: pd.Timestamp
    start_count: int
    end_count: int
    retained: int
    joined: int
    new: int
    lost: int
    lost_including_new: int
    retention_rate: Optional[float]
    churn_rate: Optional[float]
    churn_rate_including_new: Optional[float]


class OrderStats(TypedDict):
    """:func:`retention.order_stats`."""

    customers: int
    repeat_customers: int
    orders: int
    revenue: float
    repeat_purchase_rate: Optional[float]
    purchase_frequency: Optional[float]
    average_order_value: Optional[float]


class MrrBridge(TypedDict):
    """:func:`retention.mrr_bridge`: the bridge and its ratios."""

    starting: float
    new: float
    expansion: float
    contraction: float
    churned: float
    reactivation: float
    ending: float
    gross_mrr_churn: Optional[float]
    net_mrr_churn: Optional[float]
    net_revenue_retention: Optional[float]
    gross_revenue_retention: Optional[float]
    quick_ratio: Optional[float]


class Nps(TypedDict):
    """:func:`retention.nps`."""

    promoters: int
    passives: int
    detractors: int
    respondents: int
    score: float


class Csat(TypedDict):
    """:func:`retention.csat`."""

    respondents: int
    satisfied: int
    threshold: int
    score: float
    mean: float


class Ces(TypedDict):
    """:func:`retention.ces`."""

    respondents: int
    total: float
    mean: float
    score: float


class ProportionComparison(TypedDict):
    """:func:`retention.two_proportion_z_test`."""

    treatment_rate: float
    control_rate: float
    difference: float
    standard_error: float
    pooled_standard_error: float
    confidence: float
    ci_low: float
    ci_high: float
    z: Optional[float]
    p_value: Optional[float]


class LogRankTest(TypedDict):
    """:func:`retention.logrank_test` and :func:`retention.multivariate_logrank_test`."""

    test_statistic: float
    degrees_of_freedom: int
    p_value: float
    observed: List[float]
    expected: List[float]


class CoxModel(TypedDict):
    """:func:`retention.cox_ph` (matrices row-major, covariates in column order)."""

    covariates: List[str]
    coefficients: List[float]
    standard_errors: List[float]
    z: List[float]
    p_values: List[float]
    variance_matrix: List[float]
    log_likelihood: float
    null_log_likelihood: float
    concordance: Optional[float]
    means: List[float]
    std_devs: List[float]
    iterations: int
    #: One dict per Newton iteration: ``iteration``, ``norm_delta``,
    #: ``step_size``, ``log_likelihood``, ``newton_decrement``.
    trace: List[Dict[str, Any]]
    #: The fit's findings (complete separation...), each a dict with its
    #: ``kind`` (``non_unique_solution``, ``monotone_likelihood``) and fields.
    warnings: List[Dict[str, Any]]
    n_observations: int
    n_events: int
    ties: str
    penalizer: float
    aic_partial: float


class TierStatus(TypedDict):
    """:func:`retention.tier_status` and :func:`retention.tier_for_value`."""

    tier: str
    index: int
    multiplier: float
    value: float
    next_tier: Optional[str]
    next_threshold: Optional[float]
    missing: Optional[float]
    progress: Optional[float]
    downgrade_at: Optional[Any]


class TrafficLight(TypedDict):
    """:func:`retention.traffic_light`."""

    light: str
    risk: float
    reasons: List[str]


class PeriodRetention(TypedDict):
    """:func:`retention.period_over_period_retention`."""

    period_start: pd.Timestamp
    customers: int
    retained: int
    rate: Optional[float]


class Stickiness(TypedDict):
    """:func:`retention.stickiness`."""

    first: int
    periods: int
    customers: int
    customers_by_active_periods: List[int]
    mean_active: float
    ratio: Optional[float]
    period_start: pd.Timestamp
    period_end: pd.Timestamp


class ReferralStats(TypedDict):
    """:func:`retention.referral_stats`."""

    customers: int
    referrers: int
    all_referrers: int
    referral_rate: Optional[float]


class LedgerTotals(TypedDict):
    """The totals of :func:`retention.points_ledger`."""

    balance: float
    earned: float
    redeemed: float
    expired: float
    next_expiry: Optional[pd.Timestamp]
    next_expiry_points: Optional[float]
