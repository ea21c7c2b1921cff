"""Type stubs of the compiled extension (checked with mypy.stubtest)."""

from typing import Any, Dict, List, Optional, Sequence, Tuple, TypedDict, final

from retention import results
from retention.codes import (
    ActivityBasis,
    ClvTimeUnit,
    CohortPooling,
    ContractualModel as ContractualModelCode,
    CoxResidualKind,
    CoxTies,
    CoxTimeTransform,
    DuplicatePolicy,
    FrequencyBasis,
    HoldoutGroupBy,
    KmConfidenceTransform,
    MixingProcess,
    MonetaryBasis,
    LogRankWeighting,
    NelsonAalenTies,
    OrdersAfterEnd,
    ParametricFamily,
    Period,
    QualifyingEvents,
    RetentionMode,
    RevenueBasis,
    RiskSource,
    TimeUnit,
    TransactionModel as TransactionModelCode,
)

# Options left out (None) take the core's defaults (see `defaults()`).

__version__: str

# Objects exporting the Arrow PyCapsule interface (pyarrow, polars, arro3...).
_ArrowTable = Any
_ArrowArray = Any

@final
class EventLog:
    @staticmethod
    def from_arrow(
        data: _ArrowTable,
        *,
        customer_id: Optional[str] = None,
        timestamp: Optional[str] = None,
        event: Optional[str] = None,
        amount: Optional[str] = None,
        items: Optional[str] = None,
        score: Optional[str] = None,
        detail: Optional[str] = None,
        resolved: Optional[str] = None,
        duplicates: Optional[DuplicatePolicy] = None,
    ) -> EventLog: ...
    @staticmethod
    def from_csv_text(text: str, *, duplicates: Optional[DuplicatePolicy] = None) -> EventLog: ...
    def __len__(self) -> int: ...
    @property
    def n_customers(self) -> int: ...
    @property
    def duplicates_dropped(self) -> int: ...
    @property
    def time_range(self) -> Optional[Tuple[int, int]]: ...
    def check_as_of(self, as_of: int) -> None: ...
    def up_to(self, as_of: int) -> EventLog: ...
    def to_csv_text(self) -> str: ...

@final
class Summaries:
    @staticmethod
    def from_log(log: EventLog) -> Summaries: ...
    def merge(self, other: Summaries) -> Summaries: ...
    def __len__(self) -> int: ...
    def __eq__(self, other: object, /) -> bool: ...
    def to_arrow(self) -> _ArrowTable: ...
    def to_state(self, *, text_ids: bool = False) -> _ArrowTable: ...
    @staticmethod
    def from_state(data: Any) -> Summaries: ...

def summary_state_schema(*, text_ids: bool = False) -> _ArrowTable: ...
def sample_events(
    *,
    seed: Optional[int] = None,
    customers: Optional[int] = None,
    months: Optional[int] = None,
    start: Optional[int] = None,
    as_of: Optional[int] = None,
) -> _ArrowTable: ...
def vocabulary() -> Dict[str, List[str]]: ...
def defaults() -> Dict[str, Dict[str, Any]]: ...
def period_activity(
    log: EventLog,
    start: int,
    end: int,
    *,
    window_days: Optional[int] = None,
    basis: Optional[ActivityBasis] = None,
) -> Dict[str, Any]: ...
def order_stats(log: EventLog, start: int, end: int) -> results.OrderStats: ...
def mrr_bridge(log: EventLog, start: int, end: int) -> results.MrrBridge: ...
def customer_retention_rate(start: int, end: int, new: int) -> Optional[float]: ...
def churn_rate(lost: int, start: int) -> Optional[float]: ...
def nps(answers: _ArrowArray) -> results.Nps: ...
def csat(answers: _ArrowArray, *, scale: Optional[int] = None, satisfied_threshold: Optional[int] = None) -> results.Csat: ...
def ces(answers: _ArrowArray, *, choices: Optional[int] = None) -> results.Ces: ...
def customer_loyalty_index(recommend: _ArrowArray, repurchase: _ArrowArray, other_products: _ArrowArray) -> float: ...
def simple_clv(aov: float, purchases_per_unit: float, lifespan_units: float) -> float: ...
def clv_with_margin(aov: float, purchases_per_unit: float, lifespan_units: float, margin: float) -> float: ...
def retention_clv(margin_per_period: float, retention: float, discount: float) -> float: ...
def historic_clv(summaries: Summaries) -> _ArrowTable: ...
def average_lifespan_days(summaries: Summaries) -> Optional[float]: ...
def rfm(
    summaries: Summaries,
    as_of: int,
    *,
    bins: Optional[int] = None,
    frequency: Optional[FrequencyBasis] = None,
    monetary: Optional[MonetaryBasis] = None,
    segments: Optional[List[Tuple[str, str]]] = None,
) -> Tuple[_ArrowTable, List[List[float]]]: ...
def lifecycle(
    summaries: Summaries,
    as_of: int,
    *,
    new_window_days: Optional[int] = None,
    at_risk_gap_multiple: Optional[float] = None,
    inactive_after_days: Optional[int] = None,
    churn_window_days: Optional[int] = None,
    loyal_orders: Optional[int] = None,
) -> _ArrowTable: ...
def cohort_matrix(
    log: EventLog,
    as_of: int,
    *,
    period: Optional[Period] = None,
    mode: Optional[RetentionMode] = None,
    qualifying: Optional[QualifyingEvents] = None,
    revenue: Optional[RevenueBasis] = None,
    max_age: Optional[int] = None,
) -> List[Tuple[str, _ArrowTable]]: ...
# --- cohort retention (cohort16) ---
def with_event_properties(log: EventLog, data: _ArrowTable) -> EventLog: ...
def with_customer_properties(log: EventLog, data: _ArrowTable, customer_id: Optional[str] = None) -> EventLog: ...
def cohort_retention(
    log: EventLog,
    as_of: int,
    *,
    period: Optional[Period] = None,
    options: Optional[Dict[str, Any]] = None,
) -> Tuple[_ArrowTable, _ArrowTable, List[Dict[str, Any]], int]: ...
# --- spark models and segments (sparkmod) ---
def rfm_values(
    summaries: Summaries,
    as_of: int,
    *,
    frequency: Optional[FrequencyBasis] = None,
    monetary: Optional[MonetaryBasis] = None,
) -> _ArrowTable: ...
def rfm_cuts(
    recency: _ArrowArray,
    recency_counts: _ArrowArray,
    frequency: _ArrowArray,
    frequency_counts: _ArrowArray,
    monetary: _ArrowArray,
    monetary_counts: _ArrowArray,
    *,
    bins: Optional[int] = None,
) -> Dict[str, Any]: ...
def rfm_score(
    customer_id: _ArrowArray,
    recency_days: _ArrowArray,
    frequency: _ArrowArray,
    monetary: _ArrowArray,
    ties_recency: _ArrowArray,
    ties_frequency: _ArrowArray,
    ties_monetary: _ArrowArray,
    cuts: Dict[str, Any],
    *,
    segments: Optional[List[Tuple[str, str]]] = None,
) -> _ArrowTable: ...
def cohort_cells(
    log: EventLog,
    as_of: int,
    *,
    period: Optional[Period] = None,
    mode: Optional[RetentionMode] = None,
    qualifying: Optional[QualifyingEvents] = None,
    revenue: Optional[RevenueBasis] = None,
    max_age: Optional[int] = None,
) -> _ArrowTable: ...
def cohort_matrix_from_cells(
    cohort_period: _ArrowArray,
    age: _ArrowArray,
    customers: _ArrowArray,
    retained: _ArrowArray,
    revenue: _ArrowArray,
    as_of: int,
    *,
    period: Optional[Period] = None,
    mode: Optional[RetentionMode] = None,
    qualifying: Optional[QualifyingEvents] = None,
    revenue_basis: Optional[RevenueBasis] = None,
    max_age: Optional[int] = None,
) -> List[Tuple[str, _ArrowTable]]: ...
def customer_scores(
    model: TransactionModel,
    frequency: _ArrowArray,
    recency: _ArrowArray,
    age: _ArrowArray,
    t: float,
    *,
    spend: Optional[GammaGammaModel] = None,
    monetary_value: Optional[_ArrowArray] = None,
    horizon_months: Optional[int] = None,
    monthly_discount_rate: Optional[float] = None,
    time_unit: Optional[ClvTimeUnit] = None,
    unit_days: Optional[float] = None,
) -> _ArrowTable: ...
# --- end spark models and segments ---
def two_proportion_z_test(
    treatment_successes: int,
    treatment_total: int,
    control_successes: int,
    control_total: int,
    *,
    confidence: Optional[float] = None,
) -> results.ProportionComparison: ...
def health_scores(
    log: EventLog, as_of: int, *, window_days: Optional[int] = None, max_reasons: Optional[int] = None
) -> _ArrowTable: ...
def model_input_table(
    summaries: Summaries,
    observation_end: int,
    *,
    unit: Optional[TimeUnit] = None,
    multiplier: Optional[float] = None,
    include_first: Optional[bool] = None,
    after_end: Optional[OrdersAfterEnd] = None,
) -> _ArrowTable: ...
def model_input_of_log(
    log: EventLog,
    observation_end: int,
    *,
    unit: Optional[TimeUnit] = None,
    multiplier: Optional[float] = None,
    include_first: Optional[bool] = None,
    after_end: Optional[OrdersAfterEnd] = None,
) -> _ArrowTable: ...
def model_input_from_orders(
    customer_id: _ArrowArray,
    timestamp: _ArrowArray,
    amount: Optional[_ArrowArray],
    observation_end: int,
    *,
    unit: Optional[TimeUnit] = None,
    multiplier: Optional[float] = None,
    include_first: Optional[bool] = None,
    after_end: Optional[OrdersAfterEnd] = None,
) -> _ArrowTable: ...
def calibration_and_holdout_table(
    summaries: Summaries,
    calibration_end: int,
    observation_end: int,
    *,
    unit: Optional[TimeUnit] = None,
    multiplier: Optional[float] = None,
    include_first: Optional[bool] = None,
) -> _ArrowTable: ...
def purchase_periods_table(
    summaries: Summaries,
    observation_end: int,
    *,
    unit: Optional[TimeUnit] = None,
) -> _ArrowTable: ...
def check_model_inputs(
    frequency: _ArrowArray,
    recency: Optional[_ArrowArray] = None,
    age: Optional[_ArrowArray] = None,
    monetary_value: Optional[_ArrowArray] = None,
) -> None: ...
def pareto_nbd_ln_a0(
    params: Sequence[float],
    frequency: _ArrowArray,
    recency: _ArrowArray,
    age: _ArrowArray,
) -> _ArrowArray: ...
def kaplan_meier(
    durations: _ArrowArray,
    event_observed: _ArrowArray,
    *,
    alpha: Optional[float] = None,
    transform: Optional[KmConfidenceTransform] = None,
    weights: Optional[_ArrowArray] = None,
) -> Tuple[_ArrowTable, Optional[float], Tuple[Optional[float], Optional[float]]]: ...
def nelson_aalen(
    durations: _ArrowArray,
    event_observed: _ArrowArray,
    *,
    alpha: Optional[float] = None,
    ties: Optional[NelsonAalenTies] = None,
) -> _ArrowTable: ...
def fit_warnings(
    durations: _ArrowArray,
    event_observed: _ArrowArray,
    covariates: List[_ArrowArray],
    *,
    names: Optional[List[str]] = None,
    weights: Optional[_ArrowArray] = None,
    entry: Optional[_ArrowArray] = None,
    separation: bool = True,
) -> List[Tuple[str, Optional[int], str, bool]]: ...
_EventColumns = Tuple[
    Tuple[_ArrowArray, _ArrowArray, _ArrowArray, _ArrowArray, _ArrowArray, _ArrowArray], bool
]

def kaplan_meier_fit(
    durations: _ArrowArray,
    event_observed: _ArrowArray,
    *,
    weights: Optional[_ArrowArray] = None,
    entry: Optional[_ArrowArray] = None,
    timeline: Optional[_ArrowArray] = None,
) -> Tuple[_EventColumns, Tuple[_ArrowArray, _ArrowArray, _ArrowArray]]: ...
def km_greenwood_bounds(
    survival: _ArrowArray, greenwood: _ArrowArray, *, alpha: Optional[float] = None
) -> Tuple[_ArrowArray, _ArrowArray]: ...
def kaplan_meier_left_fit(
    durations: _ArrowArray,
    event_observed: _ArrowArray,
    *,
    alpha: Optional[float] = None,
    weights: Optional[_ArrowArray] = None,
    entry: Optional[_ArrowArray] = None,
    timeline: Optional[_ArrowArray] = None,
) -> Tuple[_EventColumns, Tuple[_ArrowArray, _ArrowArray, _ArrowArray, _ArrowArray]]: ...
def aalen_johansen_fit(
    durations: _ArrowArray,
    event_codes: _ArrowArray,
    event_of_interest: int,
    *,
    weights: Optional[_ArrowArray] = None,
    alpha: Optional[float] = None,
) -> Tuple[_EventColumns, Tuple[_ArrowArray, _ArrowArray, _ArrowArray, _ArrowArray, _ArrowArray]]: ...
def turnbull_fit(
    lower_bound: _ArrowArray,
    upper_bound: _ArrowArray,
    *,
    weights: Optional[_ArrowArray] = None,
    event_observed: Optional[_ArrowArray] = None,
    timeline: Optional[_ArrowArray] = None,
    tol: Optional[float] = None,
    max_iterations: Optional[int] = None,
) -> Tuple[
    Tuple[_ArrowArray, _ArrowArray, _ArrowArray],
    float,
    int,
    bool,
    Tuple[_ArrowArray, _ArrowArray, _ArrowArray],
]: ...
def nelson_aalen_fit(
    durations: _ArrowArray,
    event_observed: _ArrowArray,
    *,
    alpha: Optional[float] = None,
    ties: Optional[NelsonAalenTies] = None,
    weights: Optional[_ArrowArray] = None,
    entry: Optional[_ArrowArray] = None,
    timeline: Optional[_ArrowArray] = None,
) -> Tuple[_EventColumns, _ArrowTable]: ...
def step_percentile(times: _ArrowArray, values: _ArrowArray, q: float) -> Optional[float]: ...
def step_conditional_time_to_event(times: _ArrowArray, values: _ArrowArray) -> _ArrowArray: ...
def step_interpolate(times: _ArrowArray, values: _ArrowArray, at: _ArrowArray) -> _ArrowArray: ...
def smoothed_hazard(
    times: _ArrowArray, cumulative_hazard: _ArrowArray, variance: _ArrowArray, bandwidth: float, alpha: float
) -> Tuple[List[float], List[float], List[float]]: ...
def step_union(
    times_a: _ArrowArray, values_a: _ArrowArray, times_b: _ArrowArray, values_b: _ArrowArray, before: float
) -> Tuple[List[float], List[float], List[float]]: ...
def logrank_test(
    durations_a: _ArrowArray, event_observed_a: _ArrowArray, durations_b: _ArrowArray, event_observed_b: _ArrowArray
) -> results.LogRankTest: ...
def multivariate_logrank_test(
    durations: _ArrowArray, groups: _ArrowArray, event_observed: _ArrowArray
) -> results.LogRankTest: ...
def concordance_index(event_times: _ArrowArray, predicted_scores: _ArrowArray, event_observed: _ArrowArray) -> float: ...
def cox_ph(
    durations: _ArrowArray,
    event_observed: _ArrowArray,
    covariates: List[Tuple[str, _ArrowArray]],
    *,
    ties: Optional[CoxTies] = None,
    penalizer: Optional[float] = None,
    max_iterations: Optional[int] = None,
    tolerance: Optional[float] = None,
) -> results.CoxModel: ...

# --- models ---

@final
class TransactionModel:
    def __new__(cls, model: TransactionModelCode, params: List[float] | Dict[str, float]) -> TransactionModel: ...
    @staticmethod
    def fit(
        model: TransactionModelCode,
        frequency: _ArrowArray,
        recency: _ArrowArray,
        age: _ArrowArray,
        weights: Optional[_ArrowArray] = None,
        *,
        penalizer_coef: Optional[float] = None,
        initial_params: Optional[List[float]] = None,
        tolerance: Optional[float] = None,
        max_iterations: Optional[int] = None,
        time_scale: Optional[float] = None,
    ) -> Tuple[TransactionModel, Dict[str, Any]]: ...
    @property
    def model(self) -> str: ...
    @property
    def params(self) -> List[Tuple[str, float]]: ...
    def log_likelihood(
        self, frequency: _ArrowArray, recency: _ArrowArray, age: _ArrowArray, weights: Optional[_ArrowArray] = None
    ) -> float: ...
    def expected_purchases(self, t: _ArrowArray) -> _ArrowArray: ...
    def conditional_expected_purchases(
        self, t: float | _ArrowArray, frequency: _ArrowArray, recency: _ArrowArray, age: _ArrowArray
    ) -> _ArrowArray: ...
    def probability_alive(self, frequency: _ArrowArray, recency: _ArrowArray, age: _ArrowArray) -> _ArrowArray: ...
    def probability_of_purchases(self, n: int, t: float) -> float: ...

@final
class BgBbModel:
    def __new__(cls, alpha: float, beta: float, gamma: float, delta: float) -> BgBbModel: ...
    @staticmethod
    def fit(
        frequency: _ArrowArray,
        recency: _ArrowArray,
        periods: _ArrowArray,
        weights: Optional[_ArrowArray] = None,
        *,
        penalizer_coef: Optional[float] = None,
        initial_params: Optional[List[float]] = None,
        tolerance: Optional[float] = None,
        max_iterations: Optional[int] = None,
    ) -> Tuple[BgBbModel, Dict[str, Any]]: ...
    @property
    def params(self) -> List[Tuple[str, float]]: ...
    def log_likelihood(
        self, frequency: _ArrowArray, recency: _ArrowArray, periods: _ArrowArray, weights: Optional[_ArrowArray] = None
    ) -> float: ...
    def expected_transactions(self, n: int) -> float: ...
    def probability_of_transactions(self, x: int, n: int) -> float: ...
    def conditional_expected_transactions(
        self, future: int, frequency: _ArrowArray, recency: _ArrowArray, periods: _ArrowArray
    ) -> _ArrowArray: ...
    def probability_alive(
        self, frequency: _ArrowArray, recency: _ArrowArray, periods: _ArrowArray, future: int = 1
    ) -> _ArrowArray: ...

@final
class GammaGammaModel:
    def __new__(cls, p: float, q: float, gamma: float) -> GammaGammaModel: ...
    @staticmethod
    def fit(
        frequency: _ArrowArray,
        monetary_value: _ArrowArray,
        weights: Optional[_ArrowArray] = None,
        *,
        penalizer_coef: Optional[float] = None,
        initial_params: Optional[List[float]] = None,
        tolerance: Optional[float] = None,
        max_iterations: Optional[int] = None,
    ) -> Tuple[GammaGammaModel, Dict[str, Any]]: ...
    @property
    def params(self) -> List[Tuple[str, float]]: ...
    def log_likelihood(
        self, frequency: _ArrowArray, monetary_value: _ArrowArray, weights: Optional[_ArrowArray] = None
    ) -> float: ...
    def expected_average_spend(self) -> float: ...
    def conditional_expected_average_spend(self, frequency: _ArrowArray, monetary_value: _ArrowArray) -> _ArrowArray: ...

def simulate_transactions(
    model: TransactionModel, ages: _ArrowArray, seed: int, purchase_times: bool = False
) -> Tuple[_ArrowTable, _ArrowTable]: ...
def simulate_bgbb(model: BgBbModel, periods: _ArrowArray, seed: int) -> _ArrowTable: ...
def discounted_value(
    model: TransactionModel,
    frequency: _ArrowArray,
    recency: _ArrowArray,
    age: _ArrowArray,
    monetary_value: _ArrowArray,
    *,
    horizon_months: Optional[int] = None,
    monthly_discount_rate: Optional[float] = None,
    time_unit: Optional[ClvTimeUnit] = None,
    unit_days: Optional[float] = None,
) -> _ArrowArray: ...
def predictive_clv(
    model: TransactionModel,
    spend: GammaGammaModel,
    frequency: _ArrowArray,
    recency: _ArrowArray,
    age: _ArrowArray,
    monetary_value: _ArrowArray,
    *,
    horizon_months: Optional[int] = None,
    monthly_discount_rate: Optional[float] = None,
    time_unit: Optional[ClvTimeUnit] = None,
    unit_days: Optional[float] = None,
) -> _ArrowArray: ...
def frequency_monetary_correlation(frequency: _ArrowArray, monetary_value: _ArrowArray) -> Optional[float]: ...
def confidence_intervals(
    params: List[float], standard_errors: List[float], level: float = 0.95
) -> List[Tuple[float, float]]: ...

# Holdout evaluation (retention.evaluation, compat lifetimes plotting); `options`
# holds keys of the core's EvaluationOptions (unit, multiplier, group_by,
# max_groups, max_frequency), absent keys taking the core's defaults.
def tracking_series(
    model: TransactionModel,
    summaries: Summaries,
    periods: int,
    *,
    options: Optional[Dict[str, Any]] = None,
) -> _ArrowTable: ...
def conditional_holdout_table(
    model: TransactionModel,
    frequency_cal: _ArrowArray,
    recency_cal: _ArrowArray,
    t_cal: _ArrowArray,
    frequency_holdout: _ArrowArray,
    duration_holdout: float,
    *,
    options: Optional[Dict[str, Any]] = None,
) -> _ArrowTable: ...
def holdout_metrics(
    model: TransactionModel,
    frequency_cal: _ArrowArray,
    recency_cal: _ArrowArray,
    t_cal: _ArrowArray,
    frequency_holdout: _ArrowArray,
    duration_holdout: float,
) -> Dict[str, Any]: ...
def tracking_mape(actual_cumulative: _ArrowArray, expected_cumulative: _ArrowArray) -> float: ...
def period_transactions(
    model: TransactionModel,
    frequency: _ArrowArray,
    recency: _ArrowArray,
    age: _ArrowArray,
    weights: Optional[_ArrowArray] = None,
    *,
    options: Optional[Dict[str, Any]] = None,
) -> _ArrowTable: ...
def alive_path(
    model: TransactionModel, instants: List[int], periods: int, *, options: Optional[Dict[str, Any]] = None
) -> _ArrowArray: ...
def heterogeneity(model: TransactionModel, process: MixingProcess, points: int) -> Dict[str, Any]: ...
# --- covariates ---
@final
class CovariateModel:
    @staticmethod
    def fit(
        model: str,
        frequency: _ArrowArray,
        recency: _ArrowArray,
        age: _ArrowArray,
        columns: List[Tuple[str, _ArrowArray]],
        settings: Dict[str, Any],
        weights: Optional[_ArrowArray] = None,
    ) -> CovariateModel: ...
    @staticmethod
    def fit_gamma_gamma(
        frequency: _ArrowArray,
        monetary_value: _ArrowArray,
        spend: List[Tuple[str, _ArrowArray]],
        weights: Optional[_ArrowArray] = None,
        *,
        reg_lambda: Optional[float] = None,
        tolerance: Optional[float] = None,
        max_iterations: Optional[int] = None,
    ) -> CovariateModel: ...
    @property
    def model(self) -> str: ...
    def result(self) -> Dict[str, Any]: ...
    def summary(self, level: Optional[float] = None) -> List[Dict[str, Any]]: ...
    def predict(
        self,
        frequency: _ArrowArray,
        recency: _ArrowArray,
        age: _ArrowArray,
        trans: List[Tuple[str, _ArrowArray]],
        life: List[Tuple[str, _ArrowArray]],
        horizon: float,
    ) -> Dict[str, Any]: ...
    def conditional_expected_average_spend(
        self, frequency: _ArrowArray, monetary_value: _ArrowArray, spend: List[Tuple[str, _ArrowArray]]
    ) -> _ArrowArray: ...
# --- end covariates ---

# --- extras ---
# Loyalty, supervised churn, value tiers and rule segments, series metrics,
# referral / engagement, labelled cohorts and experiments, churn durations.

def points_ledger(
    log: EventLog, customer: int | str, as_of: int, config: Optional[Dict[str, Any]] = None
) -> Tuple[_ArrowTable, Dict[str, Any]]: ...
def points_balances(log: EventLog, as_of: int, config: Optional[Dict[str, Any]] = None) -> _ArrowTable: ...
def redeem_points(
    log: EventLog, customer: int | str, as_of: int, at: int, points: float, config: Optional[Dict[str, Any]] = None
) -> float: ...
def tier_status(
    log: EventLog, customer: int | str, at: int, config: Optional[Dict[str, Any]] = None
) -> Dict[str, Any]: ...
def tier_for_value(value: float, config: Optional[Dict[str, Any]] = None) -> Dict[str, Any]: ...
def loyalty_programme(config: Optional[Dict[str, Any]] = None) -> Dict[str, Any]: ...
def tier_history(
    log: EventLog, customer: int | str, as_of: int, config: Optional[Dict[str, Any]] = None
) -> _ArrowTable: ...
def churn_feature_names() -> List[str]: ...
def churn_features(log: EventLog, cutoff: int) -> _ArrowTable: ...
def churn_labels(
    log: EventLog, customers: _ArrowArray, cutoff: int, horizon_days: int, observation_end: int
) -> List[bool]: ...
@final
class LogisticModel:
    def __new__(
        cls, intercept: float, weights: List[float], means: List[float], scales: List[float], iterations: int
    ) -> LogisticModel: ...
    @staticmethod
    def fit(
        features: List[_ArrowArray],
        labels: _ArrowArray,
        *,
        l2: Optional[float] = None,
        max_iterations: Optional[int] = None,
        tolerance: Optional[float] = None,
    ) -> LogisticModel: ...
    def predict(self, features: List[_ArrowArray]) -> List[float]: ...
    @property
    def intercept(self) -> float: ...
    @property
    def weights(self) -> List[float]: ...
    @property
    def means(self) -> List[float]: ...
    @property
    def scales(self) -> List[float]: ...
    @property
    def iterations(self) -> int: ...
    @property
    def feature_names(self) -> List[str]: ...
    def __reduce__(self) -> Any: ...

def evaluate(scores: _ArrowArray, labels: _ArrowArray) -> Tuple[Dict[str, Any], _ArrowTable]: ...
def traffic_light(
    risk: float,
    *,
    source: Optional[RiskSource] = None,
    reasons: List[str] = ...,
    open_critical: int = 0,
    open_other: int = 0,
    amber: Optional[float] = None,
    red: Optional[float] = None,
) -> results.TrafficLight: ...
def historic_value_tiers(summaries: Summaries, tiers: Optional[List[Tuple[str, float]]] = None) -> _ArrowTable: ...
def value_tiers(
    customers: _ArrowArray, values: _ArrowArray, tiers: Optional[List[Tuple[str, float]]] = None
) -> _ArrowTable: ...
def rule_segments(
    summaries: Summaries, as_of: int, segments: List[Tuple[str, Any]], attributes: Optional[_ArrowTable] = None
) -> _ArrowTable: ...
def period_activity_series(
    log: EventLog,
    start: int,
    end: int,
    *,
    period: Optional[Period] = None,
    window_days: Optional[int] = None,
    basis: Optional[ActivityBasis] = None,
    time_zone: Optional[str] = None,
) -> _ArrowTable: ...
def period_over_period_retention(
    log: EventLog, at: int, *, period: Optional[Period] = None, time_zone: Optional[str] = None
) -> Dict[str, Any]: ...
def period_over_period_retention_series(
    log: EventLog, start: int, end: int, *, period: Optional[Period] = None, time_zone: Optional[str] = None
) -> _ArrowTable: ...
def lifecycle_counts(
    log: EventLog, start: int, end: int, *, period: Optional[Period] = None, time_zone: Optional[str] = None
) -> _ArrowTable: ...
def stickiness(
    log: EventLog, start: int, end: int, *, period: Optional[Period] = None, time_zone: Optional[str] = None
) -> Dict[str, Any]: ...
def referral_stats(log: EventLog, start: int, end: int) -> results.ReferralStats: ...
def engagement(log: EventLog, as_of: int) -> _ArrowTable: ...
def labelled_cohorts(
    log: EventLog,
    customers: _ArrowArray,
    labels: _ArrowArray,
    as_of: int,
    *,
    period: Optional[Period] = None,
    mode: Optional[RetentionMode] = None,
    qualifying: Optional[QualifyingEvents] = None,
    revenue: Optional[RevenueBasis] = None,
    max_age: Optional[int] = None,
) -> List[Tuple[str, _ArrowTable]]: ...
def retention_counts(
    log: EventLog,
    customers: _ArrowArray,
    labels: _ArrowArray,
    as_of: int,
    *,
    window_start: int,
    window_days: int,
    treatment: str = "treatment",
    control: str = "control",
) -> Dict[str, Any]: ...
def survival_comparison(
    log: EventLog,
    customers: _ArrowArray,
    labels: _ArrowArray,
    as_of: int,
    *,
    treatment: str = "treatment",
    control: str = "control",
    basis: Optional[ActivityBasis] = None,
    inactive_days: Optional[int] = None,
) -> Dict[str, Any]: ...
def churn_durations(
    log: EventLog, as_of: int, *, basis: Optional[ActivityBasis] = None, inactive_days: Optional[int] = None
) -> _ArrowTable: ...
def log_to_arrow(log: EventLog) -> _ArrowTable: ...

# --- survival statistics (src/statistics.rs) ---
def weighted_logrank_test(
    durations: _ArrowArray,
    groups: _ArrowArray,
    event_observed: _ArrowArray,
    weights: Optional[_ArrowArray] = None,
    *,
    weighting: Optional[LogRankWeighting] = None,
    p: Optional[float] = None,
    q: Optional[float] = None,
    t_0: Optional[float] = None,
) -> results.LogRankTest: ...
def pairwise_logrank_test(
    durations: _ArrowArray,
    groups: _ArrowArray,
    event_observed: _ArrowArray,
    weights: Optional[_ArrowArray] = None,
    *,
    weighting: Optional[LogRankWeighting] = None,
    p: Optional[float] = None,
    q: Optional[float] = None,
    t_0: Optional[float] = None,
) -> List[Dict[str, Any]]: ...
def survival_difference_at_fixed_point_in_time_test(
    point_in_time: float,
    durations_a: _ArrowArray,
    event_observed_a: _ArrowArray,
    durations_b: _ArrowArray,
    event_observed_b: _ArrowArray,
) -> Dict[str, Any]: ...
def restricted_mean_survival_time(durations: _ArrowArray, event_observed: _ArrowArray, t: float) -> Tuple[float, float]: ...
def brier_score(
    durations_train: _ArrowArray,
    event_observed_train: _ArrowArray,
    durations_test: _ArrowArray,
    event_observed_test: _ArrowArray,
    survival: List[List[float]],
    times: List[float],
) -> List[float]: ...
def integrated_brier_score(
    durations_train: _ArrowArray,
    event_observed_train: _ArrowArray,
    durations_test: _ArrowArray,
    event_observed_test: _ArrowArray,
    survival: List[List[float]],
    times: List[float],
) -> float: ...
def cumulative_dynamic_auc(
    durations_train: _ArrowArray,
    event_observed_train: _ArrowArray,
    durations_test: _ArrowArray,
    event_observed_test: _ArrowArray,
    risk: List[List[float]],
    times: List[float],
    tied_tol: Optional[float] = None,
) -> Tuple[List[float], float]: ...

# --- Cox proportional hazards with a parametric baseline (CoxPHFitter piecewise / spline) ---

@final
class ParametricCoxFit:
    @staticmethod
    def fit(
        durations: _ArrowArray,
        event_observed: _ArrowArray,
        covariates: List[_ArrowArray],
        *,
        breakpoints: Optional[List[float]] = None,
        n_knots: Optional[int] = None,
        knots: Optional[List[float]] = None,
        weights: Optional[_ArrowArray] = None,
        strata: Optional[_ArrowArray] = None,
        entries: Optional[_ArrowArray] = None,
        penalizer: Optional[float] = None,
        max_iterations: Optional[int] = None,
        tolerance: Optional[float] = None,
        lower_bounds: Optional[_ArrowArray] = None,
        left_censored: bool = False,
    ) -> ParametricCoxFit: ...
    @staticmethod
    def from_state(state: Dict[str, Any]) -> ParametricCoxFit: ...
    def state(self) -> Dict[str, Any]: ...
    def result(self) -> Dict[str, Any]: ...
    def cumulative_hazard(
        self, covariates: List[_ArrowArray], n_rows: int, strata: Optional[_ArrowArray], times: List[float],
        conditional_after: Optional[List[float]] = None,
    ) -> _ArrowArray: ...
    def hazard(
        self, covariates: List[_ArrowArray], n_rows: int, strata: Optional[_ArrowArray], times: List[float],
        conditional_after: Optional[List[float]] = None,
    ) -> _ArrowArray: ...
    def percentile(
        self, covariates: List[_ArrowArray], n_rows: int, strata: Optional[_ArrowArray], times: List[float], q: float,
        conditional_after: Optional[List[float]] = None,
    ) -> _ArrowArray: ...
    def expectation(
        self, covariates: List[_ArrowArray], n_rows: int, strata: Optional[_ArrowArray], times: List[float],
        conditional_after: Optional[List[float]] = None,
    ) -> _ArrowArray: ...
    def score_log_likelihood(
        self,
        durations: _ArrowArray,
        event_observed: _ArrowArray,
        covariates: List[_ArrowArray],
        *,
        weights: Optional[_ArrowArray] = None,
        strata: Optional[_ArrowArray] = None,
        entries: Optional[_ArrowArray] = None,
    ) -> float: ...

# --- Cox proportional hazards as a fitted object (compat.lifelines.CoxPHFitter) ---

@final
class CoxFit:
    @staticmethod
    def fit(
        durations: _ArrowArray,
        event_observed: _ArrowArray,
        covariates: List[_ArrowArray],
        *,
        weights: Optional[_ArrowArray] = None,
        strata: Optional[_ArrowArray] = None,
        clusters: Optional[_ArrowArray] = None,
        ties: Optional[CoxTies] = None,
        penalizer: Optional[float] = None,
        max_iterations: Optional[int] = None,
        tolerance: Optional[float] = None,
        robust: bool = False,
        entries: Optional[_ArrowArray] = None,
        penalizers: Optional[List[float]] = None,
        l1_ratio: Optional[float] = None,
        initial_point: Optional[List[float]] = None,
        step_size: Optional[float] = None,
        r_precision: Optional[float] = None,
        return_unconverged: bool = False,
    ) -> CoxFit: ...
    @staticmethod
    def followup_hazard_ratios(
        durations: _ArrowArray,
        event_observed: _ArrowArray,
        covariates: List[_ArrowArray],
        times: List[float],
        *,
        weights: Optional[_ArrowArray] = None,
        strata: Optional[_ArrowArray] = None,
        penalizer: Optional[float] = None,
        max_iterations: Optional[int] = None,
        tolerance: Optional[float] = None,
    ) -> _ArrowArray: ...
    @staticmethod
    def from_state(state: Dict[str, Any]) -> CoxFit: ...
    def state(self) -> Dict[str, Any]: ...
    def result(self) -> Dict[str, Any]: ...
    def log_partial_hazard(self, covariates: List[_ArrowArray], n_rows: int) -> _ArrowArray: ...
    def cumulative_hazard(
        self, covariates: List[_ArrowArray], n_rows: int, strata: Optional[_ArrowArray], times: List[float],
        conditional_after: Optional[List[float]] = None,
    ) -> _ArrowArray: ...
    def percentile(
        self, covariates: List[_ArrowArray], n_rows: int, strata: Optional[_ArrowArray], times: List[float], q: float,
        conditional_after: Optional[List[float]] = None,
    ) -> _ArrowArray: ...
    def expectation(
        self, covariates: List[_ArrowArray], n_rows: int, strata: Optional[_ArrowArray], times: List[float],
        conditional_after: Optional[List[float]] = None,
    ) -> _ArrowArray: ...
    def score_log_likelihood(
        self,
        durations: _ArrowArray,
        event_observed: _ArrowArray,
        covariates: List[_ArrowArray],
        *,
        weights: Optional[_ArrowArray] = None,
        strata: Optional[_ArrowArray] = None,
        entries: Optional[_ArrowArray] = None,
    ) -> float: ...
    def score_concordance(
        self, durations: _ArrowArray, event_observed: _ArrowArray, covariates: List[_ArrowArray]
    ) -> float: ...
    def residuals(
        self, durations: _ArrowArray, event_observed: _ArrowArray, covariates: List[_ArrowArray], kind: CoxResidualKind,
        *, weights: Optional[_ArrowArray] = None, strata: Optional[_ArrowArray] = None,
    ) -> _ArrowArray: ...
    def proportional_hazard_test(
        self, durations: _ArrowArray, event_observed: _ArrowArray, covariates: List[_ArrowArray], transform: CoxTimeTransform,
        *, weights: Optional[_ArrowArray] = None, strata: Optional[_ArrowArray] = None,
    ) -> _ArrowArray: ...

class _ParameterSummary(TypedDict):
    estimate: float
    std_error: float
    lower: float
    upper: float
    compare_to: float
    z: float
    p_value: float

@final
class ParametricFit:
    @staticmethod
    def from_state(state: Dict[str, Any]) -> ParametricFit: ...
    def state(self) -> Dict[str, Any]: ...
    def __reduce__(self) -> Any: ...
    @staticmethod
    def fit(
        family: ParametricFamily,
        durations: _ArrowArray,
        event_observed: _ArrowArray,
        *,
        weights: Optional[_ArrowArray] = None,
        entry: Optional[_ArrowArray] = None,
    ) -> ParametricFit: ...
    @staticmethod
    def fit_exponential(
        durations: _ArrowArray,
        event_observed: _ArrowArray,
        *,
        weights: Optional[_ArrowArray] = None,
        entry: Optional[_ArrowArray] = None,
    ) -> ParametricFit: ...
    @staticmethod
    def fit_piecewise_exponential(
        breakpoints: List[float],
        durations: _ArrowArray,
        event_observed: _ArrowArray,
        *,
        weights: Optional[_ArrowArray] = None,
        entry: Optional[_ArrowArray] = None,
    ) -> ParametricFit: ...
    def result(self) -> Dict[str, Any]: ...
    def summary(self, alpha: float) -> List[_ParameterSummary]: ...
    def percentile(self, p: float) -> float: ...
    def survival(self, times: _ArrowArray) -> _ArrowArray: ...
    def cumulative_hazard(self, times: _ArrowArray) -> _ArrowArray: ...
    def hazard(self, times: _ArrowArray) -> _ArrowArray: ...
    def density(self, times: _ArrowArray) -> _ArrowArray: ...
    def cumulative_hazard_interval(self, times: _ArrowArray, alpha: float) -> Tuple[_ArrowArray, _ArrowArray]: ...
    def survival_interval(self, times: _ArrowArray, alpha: float) -> Tuple[_ArrowArray, _ArrowArray]: ...
    def hazard_interval(self, times: _ArrowArray, alpha: float) -> Tuple[_ArrowArray, _ArrowArray]: ...
    def density_interval(self, times: _ArrowArray, alpha: float) -> Tuple[_ArrowArray, _ArrowArray]: ...
    def cumulative_density_interval(self, times: _ArrowArray, alpha: float) -> Tuple[_ArrowArray, _ArrowArray]: ...

@final
class AftFit:
    @staticmethod
    def from_state(state: Dict[str, Any]) -> AftFit: ...
    def state(self) -> Dict[str, Any]: ...
    def __reduce__(self) -> Any: ...
    @staticmethod
    def fit(
        family: ParametricFamily,
        durations: _ArrowArray,
        event_observed: _ArrowArray,
        location: List[_ArrowArray],
        ancillary: List[_ArrowArray],
        *,
        weights: Optional[_ArrowArray] = None,
        entry: Optional[_ArrowArray] = None,
        penalizer: Optional[float] = None,
        fit_intercept: Optional[bool] = None,
        robust: Optional[bool] = None,
    ) -> AftFit: ...
    def result(self) -> Dict[str, Any]: ...
    def concordance_index(
        self,
        durations: _ArrowArray,
        event_observed: _ArrowArray,
        location: List[_ArrowArray],
        ancillary: List[_ArrowArray],
    ) -> float: ...
    def summary(self, alpha: float) -> List[_ParameterSummary]: ...
    def mean_log_likelihood(
        self,
        durations: _ArrowArray,
        event_observed: _ArrowArray,
        location: List[_ArrowArray],
        ancillary: List[_ArrowArray],
        *,
        weights: Optional[_ArrowArray] = None,
        entry: Optional[_ArrowArray] = None,
    ) -> float: ...
    def predict_percentile(
        self,
        location: List[_ArrowArray],
        ancillary: List[_ArrowArray],
        p: float,
        conditional_after: Optional[_ArrowArray] = None,
    ) -> _ArrowArray: ...
    def predict_expectation(self, location: List[_ArrowArray], ancillary: List[_ArrowArray]) -> _ArrowArray: ...
    def predict_survival(
        self,
        location: List[_ArrowArray],
        ancillary: List[_ArrowArray],
        times: _ArrowArray,
        conditional_after: Optional[_ArrowArray] = None,
    ) -> _ArrowArray: ...
    def predict_cumulative_hazard(
        self,
        location: List[_ArrowArray],
        ancillary: List[_ArrowArray],
        times: _ArrowArray,
        conditional_after: Optional[_ArrowArray] = None,
    ) -> _ArrowArray: ...
    def predict_hazard(
        self,
        location: List[_ArrowArray],
        ancillary: List[_ArrowArray],
        times: _ArrowArray,
        conditional_after: Optional[_ArrowArray] = None,
    ) -> _ArrowArray: ...
    def likelihood_ratio_test(self) -> Tuple[float, int, float]: ...

# Predictions beyond calibration and intervals (src/predictions.rs).
def probability_alive_at(
    model: TransactionModel,
    tau: float,
    frequency: _ArrowArray,
    recency: _ArrowArray,
    age: _ArrowArray,
    given_no_purchase: bool,
) -> _ArrowArray: ...
def conditional_probability_of_purchases(
    model: TransactionModel, n: int, t: float, frequency: _ArrowArray, recency: _ArrowArray, age: _ArrowArray
) -> _ArrowArray: ...
def dert(
    model: TransactionModel, discount_rate: float, frequency: _ArrowArray, recency: _ArrowArray, age: _ArrowArray
) -> _ArrowArray: ...
def next_purchase(
    model: TransactionModel, t: float, frequency: _ArrowArray, recency: _ArrowArray, age: _ArrowArray
) -> List[Dict[str, Any]]: ...
def prediction_intervals(
    model: TransactionModel,
    covariance: Optional[List[float]],
    prediction: Dict[str, Any],
    frequency: _ArrowArray,
    recency: _ArrowArray,
    age: _ArrowArray,
    options: Dict[str, Any],
) -> List[Dict[str, float]]: ...
def clv_intervals(
    model: TransactionModel,
    covariance: Optional[List[float]],
    spend: GammaGammaModel,
    spend_covariance: Optional[List[float]],
    frequency: _ArrowArray,
    recency: _ArrowArray,
    age: _ArrowArray,
    monetary_value: _ArrowArray,
    options: Dict[str, Any],
    *,
    horizon_months: Optional[int] = None,
    monthly_discount_rate: Optional[float] = None,
    time_unit: Optional[ClvTimeUnit] = None,
    unit_days: Optional[float] = None,
) -> List[Dict[str, float]]: ...
def bgbb_conditional_probability_of_transactions(
    model: BgBbModel, transactions: int, future: int, frequency: _ArrowArray, recency: _ArrowArray, age: _ArrowArray
) -> _ArrowArray: ...
def bgbb_dert(
    model: BgBbModel, discount_rate: float, frequency: _ArrowArray, recency: _ArrowArray, age: _ArrowArray
) -> _ArrowArray: ...

# --- contractual retention models (sBG, BdW) ---
@final
class ContractualModel:
    def __new__(cls, params: Dict[str, Any]) -> ContractualModel: ...
    @property
    def params(self) -> Dict[str, Any]: ...
    def survival(self, t: int) -> float: ...
    def retention_rate(self, t: int) -> float: ...
    def churn_probability(self, t: int) -> float: ...
    def curve(self, ages: int) -> Dict[str, List[Any]]: ...
    def expected_lifetime(self) -> float: ...
    def discounted_expected_lifetime(self, discount_rate: float) -> float: ...
    def discounted_expected_residual_lifetime(self, discount_rate: float, renewals: int) -> float: ...
    def residual_value(self, margin: float, discount_rate: float, renewals: int) -> float: ...
    def predict(self, options: Optional[Dict[str, Any]] = None) -> Dict[str, Any]: ...

def contractual_fit(
    counts: Sequence[Sequence[int]],
    *,
    labels: Optional[Sequence[str]] = None,
    model: Optional[ContractualModelCode] = None,
    pooling: Optional[CohortPooling] = None,
    fit_options: Optional[Dict[str, Any]] = None,
) -> List[Dict[str, Any]]: ...
def contractual_lr_test(
    counts: Sequence[Sequence[int]],
    *,
    labels: Optional[Sequence[str]] = None,
    fit_options: Optional[Dict[str, Any]] = None,
) -> Dict[str, Any]: ...
def predictive_cohort_matrix(
    counts: Sequence[Sequence[int]],
    *,
    labels: Optional[Sequence[str]] = None,
    options: Optional[Dict[str, Any]] = None,
) -> Dict[str, Any]: ...
def predictive_cohort_matrix_from_log(
    log: EventLog,
    as_of: int,
    *,
    survivors: Optional[Dict[str, Any]] = None,
    options: Optional[Dict[str, Any]] = None,
) -> Dict[str, Any]: ...
