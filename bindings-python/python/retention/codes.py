"""The codes of every vocabulary, as ``Literal`` types for annotations.

Options such as ``mode`` or ``tier_basis`` take one of these codes and
results are spelled with them, the same in every language (see
:func:`retention.vocabulary`, which lists them at run time from the Rust
core; a test checks that each type here lists exactly the core's codes).

Examples
--------
>>> from typing import get_args
>>> from retention.codes import RetentionMode
>>> get_args(RetentionMode)
('return_on', 'return_on_or_after')
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Dict, Literal

if TYPE_CHECKING:
    from typing import TypeAlias

__all__ = [
    "ActivityBasis",
    "AttemptOutcome",
    "BreakdownSource",
    "CellKind",
    "ChurnVariant",
    "ClvTimeUnit",
    "CohortPooling",
    "ContractualModel",
    "CoxResidualKind",
    "CoxTies",
    "CoxTimeTransform",
    "CovariateModel",
    "DuplicatePolicy",
    "ErrorCode",
    "EventType",
    "FrequencyBasis",
    "HealthComponent",
    "HoldoutGroupBy",
    "InstantUnit",
    "IntervalMethod",
    "IssueKind",
    "KmConfidenceTransform",
    "EarnAction",
    "LedgerEntryKind",
    "LifecycleStage",
    "Light",
    "MixingProcess",
    "MonetaryBasis",
    "LogRankWeighting",
    "NelsonAalenTies",
    "Operator",
    "OptimMethod",
    "OrdersAfterEnd",
    "ParametricFamily",
    "Period",
    "QualifyingEvents",
    "RetentionMode",
    "ReturnCount",
    "ReturnEvent",
    "RevenueBasis",
    "RiskSource",
    "Severity",
    "StartEvent",
    "SubscriptionChange",
    "SummaryField",
    "SurveyKind",
    "TierBasis",
    "TierTerm",
    "TimeUnit",
    "TransactionModel",
    "VOCABULARIES",
]

ActivityBasis: TypeAlias = Literal["orders", "subscriptions"]
AttemptOutcome: TypeAlias = Literal["converged", "max_iterations", "line_search_failed", "non_finite_start"]
CellKind: TypeAlias = Literal["missing", "number", "text", "true", "false", "other"]
ChurnVariant: TypeAlias = Literal["starting_customers", "including_new"]
ClvTimeUnit: TypeAlias = Literal["hour", "day", "week", "month"]
CoxResidualKind: TypeAlias = Literal["schoenfeld", "scaled_schoenfeld", "martingale", "deviance", "score", "delta_beta"]
CoxTies: TypeAlias = Literal["efron", "breslow"]
CoxTimeTransform: TypeAlias = Literal["rank", "identity", "log", "km"]
CovariateModel: TypeAlias = Literal["pareto_nbd", "bg_nbd", "gamma_gamma", "ggom_nbd"]
DuplicatePolicy: TypeAlias = Literal["keep", "drop", "reject"]
ErrorCode: TypeAlias = Literal[
    "invalid_rows",
    "length_mismatch",
    "empty_input",
    "invalid_parameter",
    "unknown_code",
    "unknown_customer",
    "insufficient_points",
    "singular_matrix",
    "not_converged",
    "fit_not_converged",
    "non_finite_result",
]
EventType: TypeAlias = Literal[
    "signup",
    "order",
    "refund",
    "session",
    "email_open",
    "email_click",
    "support_ticket",
    "survey",
    "referral",
    "subscription",
    "points_earned",
    "points_redeemed",
]
FrequencyBasis: TypeAlias = Literal["orders", "order_days"]
HoldoutGroupBy: TypeAlias = Literal["frequency_cal", "recency_cal", "t_cal", "time_since_last_purchase"]
HealthComponent: TypeAlias = Literal[
    "recency",
    "frequency_trend",
    "spend_trend",
    "engagement",
    "tickets",
    "satisfaction",
]
InstantUnit: TypeAlias = Literal["s", "ms", "us", "ns"]
IssueKind: TypeAlias = Literal[
    "not_finite",
    "negative",
    "out_of_range",
    "not_integer",
    "missing",
    "unparseable",
    "unknown_kind",
    "after_as_of",
    "duplicate",
    "not_applicable",
    "inconsistent",
]
KmConfidenceTransform: TypeAlias = Literal["log_log", "linear"]
LedgerEntryKind: TypeAlias = Literal[
    "welcome", "order", "referral", "referred", "tier_entry", "credit", "redemption", "expiry", "inactivity"
]
LifecycleStage: TypeAlias = Literal["prospect", "new", "active", "at_risk", "lapsed", "reactivated", "loyal"]
Light: TypeAlias = Literal["green", "amber", "red"]
MixingProcess: TypeAlias = Literal["purchase", "dropout"]
MonetaryBasis: TypeAlias = Literal["total", "mean"]
LogRankWeighting: TypeAlias = Literal["logrank", "wilcoxon", "tarone_ware", "peto", "fleming_harrington"]
NelsonAalenTies: TypeAlias = Literal["smoothed", "discrete"]
Operator: TypeAlias = Literal["==", "!=", "<", "<=", ">", ">="]
OptimMethod: TypeAlias = Literal["bfgs", "nelder_mead_then_bfgs"]
OrdersAfterEnd: TypeAlias = Literal["reject", "ignore", "end_period"]
Period: TypeAlias = Literal[
    "day", "week", "week_tue", "week_wed", "week_thu", "week_fri", "week_sat", "week_sun",
    "month", "quarter", "year",
]
QualifyingEvents: TypeAlias = Literal["orders", "any_activity"]
RetentionMode: TypeAlias = Literal["return_on", "return_on_or_after"]
ReturnCount: TypeAlias = Literal["recurring", "first_time"]
ReturnEvent: TypeAlias = Literal["any_order", "repeat_order", "first_order", "any_activity"]
RevenueBasis: TypeAlias = Literal["net", "gross"]
StartEvent: TypeAlias = Literal["first_order", "signup", "first_activity"]
BreakdownSource: TypeAlias = Literal["customer", "first_order"]
RiskSource: TypeAlias = Literal["health_score", "probability_alive", "supervised"]
Severity: TypeAlias = Literal["minor", "major", "critical"]
SubscriptionChange: TypeAlias = Literal["new", "expansion", "contraction", "churn", "reactivation"]
SummaryField: TypeAlias = Literal[
    "orders",
    "revenue",
    "net_revenue",
    "refunds",
    "days_since_last_order",
    "days_since_first_order",
    "sessions",
    "email_opens",
    "email_clicks",
    "open_tickets",
    "open_critical_tickets",
    "latest_nps",
    "latest_csat",
    "mrr",
]
SurveyKind: TypeAlias = Literal[
    "nps",
    "csat",
    "ces",
    "loyalty_recommend",
    "loyalty_repurchase",
    "loyalty_other_products",
]
TierBasis: TypeAlias = Literal["spend", "points_earned", "order_count"]
TierTerm: TypeAlias = Literal["rolling", "calendar_year", "lifetime"]
EarnAction: TypeAlias = Literal["signup", "order", "referral", "referred", "tier_entry"]
IntervalMethod: TypeAlias = Literal["delta", "bootstrap"]
ContractualModel: TypeAlias = Literal["sbg", "bdw"]
CohortPooling: TypeAlias = Literal["pooled", "per_cohort"]
ParametricFamily: TypeAlias = Literal["weibull", "log_normal", "log_logistic"]
TimeUnit: TypeAlias = Literal["day", "week", "month", "hour", "minute", "second"]
TransactionModel: TypeAlias = Literal["bg_nbd", "mbg_nbd", "pareto_nbd", "ggom_nbd"]

#: Vocabulary name (as in :func:`retention.vocabulary`) → its ``Literal`` type.
VOCABULARIES: Dict[str, object] = {
    "activity_basis": ActivityBasis,
    "attempt_outcome": AttemptOutcome,
    "cell_kind": CellKind,
    "churn_variant": ChurnVariant,
    "clv_time_unit": ClvTimeUnit,
    "cohort_pooling": CohortPooling,
    "contractual_model": ContractualModel,
    "cox_residual_kind": CoxResidualKind,
    "cox_ties": CoxTies,
    "cox_time_transform": CoxTimeTransform,
    "covariate_model": CovariateModel,
    "duplicate_policy": DuplicatePolicy,
    "error_code": ErrorCode,
    "event_type": EventType,
    "frequency_basis": FrequencyBasis,
    "holdout_group_by": HoldoutGroupBy,
    "health_component": HealthComponent,
    "instant_unit": InstantUnit,
    "interval_method": IntervalMethod,
    "issue_kind": IssueKind,
    "km_confidence_transform": KmConfidenceTransform,
    "earn_action": EarnAction,
    "ledger_entry_kind": LedgerEntryKind,
    "lifecycle_stage": LifecycleStage,
    "light": Light,
    "mixing_process": MixingProcess,
    "monetary_basis": MonetaryBasis,
    "logrank_weighting": LogRankWeighting,
    "nelson_aalen_ties": NelsonAalenTies,
    "operator": Operator,
    "optim_method": OptimMethod,
    "orders_after_end": OrdersAfterEnd,
    "parametric_family": ParametricFamily,
    "period": Period,
    "qualifying_events": QualifyingEvents,
    "retention_mode": RetentionMode,
    "return_count": ReturnCount,
    "return_event": ReturnEvent,
    "revenue_basis": RevenueBasis,
    "start_event": StartEvent,
    "breakdown_source": BreakdownSource,
    "risk_source": RiskSource,
    "severity": Severity,
    "subscription_change": SubscriptionChange,
    "summary_field": SummaryField,
    "survey_kind": SurveyKind,
    "tier_basis": TierBasis,
    "tier_term": TierTerm,
    "time_unit": TimeUnit,
    "transaction_model": TransactionModel,
}
