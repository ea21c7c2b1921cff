"""One bad input per public function: the exception class, and a message that
names the offending field (and row, for per-row problems)."""

import math

import numpy as np
import pandas as pd
import pytest

import retention
from retention import (
    UnknownCodeError,
    EmptyInputError,
    InvalidParameterError,
    InvalidRowsError,
    LengthMismatchError,
    SingularMatrixError,
    UnknownCustomerError,
)

T = pd.Timestamp("2024-01-01", tz="UTC")


@pytest.fixture(scope="module")
def log():
    return retention.EventLog.from_frame(
        pd.DataFrame({"customer_id": [1, 1, 2], "timestamp": [T, T + pd.Timedelta(days=20), T], "amount": [5.0, 6.0, 7.0]})
    )


_BG = retention.TransactionModel("bg_nbd", [0.2426, 4.4136, 0.7929, 2.4259])
_SPLIT = {"frequency_cal": [1.0, 0.0], "recency_cal": [2.0, 0.0], "T_cal": [5.0, 5.0], "frequency_holdout": [1.0, 0.0],
          "duration_holdout": [3.0, 3.0]}


CASES = [
    # (id, call(log), exception, words the message must contain)
    ("period_activity window", lambda lg: retention.period_activity(lg, "2024-02-01", "2024-03-01", window_days=0), InvalidParameterError, ["window_days"]),
    ("period_activity basis", lambda lg: retention.period_activity(lg, "2024-02-01", "2024-03-01", basis="vibes"), InvalidParameterError, ["basis"]),
    ("order_stats end<start", lambda lg: retention.order_stats(lg, "2024-03-01", "2024-02-01"), InvalidParameterError, ["end"]),
    ("mrr_bridge None", lambda lg: retention.mrr_bridge(lg, None, "2024-02-01"), TypeError, ["start"]),
    ("customer_retention_rate negative", lambda lg: retention.customer_retention_rate(10, -1, 0), InvalidParameterError, ["end"]),
    ("churn_rate lost>start", lambda lg: retention.churn_rate(5, 3), InvalidParameterError, ["lost"]),
    ("nps NaN", lambda lg: retention.nps([9, math.nan]), InvalidRowsError, ["row 1", "score"]),
    ("csat scale", lambda lg: retention.csat([1, 2, 9], scale=5), InvalidRowsError, ["row 2"]),
    ("ces empty", lambda lg: retention.ces([]), EmptyInputError, ["answers"]),
    ("customer_loyalty_index out of scale", lambda lg: retention.customer_loyalty_index([9], [9, 11], [7]), InvalidRowsError, ["row 1"]),
    ("clv_with_margin", lambda lg: retention.clv_with_margin(50, 3, 5, 1.5), InvalidParameterError, ["margin"]),
    ("retention_clv", lambda lg: retention.retention_clv(10, 1.2, 0.1), InvalidParameterError, ["retention"]),
    ("historic_clv type", lambda lg: retention.historic_clv(42), TypeError, ["Summaries"]),
    ("average_lifespan_days type", lambda lg: retention.average_lifespan_days(None), TypeError, ["Summaries"]),
    ("rfm frequency", lambda lg: retention.rfm(lg.summaries(), "2024-03-01", frequency="visits"), InvalidParameterError, ["frequency"]),
    ("rfm segments", lambda lg: retention.rfm(lg.summaries(), "2024-03-01", segments=[("X", "9[")]), InvalidParameterError, ["pattern", "9["]),
    ("lifecycle after as_of", lambda lg: retention.lifecycle(lg.summaries(), "2023-01-01"), InvalidRowsError, ["row 0", "last_order"]),
    ("cohort_matrix mode", lambda lg: retention.cohort_matrix(lg, "2024-03-01", mode="sometimes"), InvalidParameterError, ["mode"]),
    ("cohort_retention rolling_days", lambda lg: retention.cohort_retention(lg, "2024-03-01", rolling_days=0), InvalidParameterError, ["rolling_days"]),
    ("two_proportion_z_test confidence", lambda lg: retention.two_proportion_z_test(1, 2, 1, 2, confidence=1.5), InvalidParameterError, ["confidence"]),
    ("health_scores window", lambda lg: retention.health_scores(lg, "2024-03-01", window_days=0), InvalidParameterError, ["window_days"]),
    ("summary_data unit", lambda lg: retention.summary_data(lg.summaries(), "2024-03-01", unit="fortnight"), UnknownCodeError, ["time_unit", "fortnight", '"day"']),
    ("calibration_and_holdout order", lambda lg: retention.calibration_and_holdout(lg.summaries(), "2024-03-01", "2024-02-01"), InvalidParameterError, ["observation_end"]),
    ("kaplan_meier NaN", lambda lg: retention.kaplan_meier([1.0, math.nan], [1, 1]), InvalidRowsError, ["row 1", "duration"]),
    ("nelson_aalen ties", lambda lg: retention.nelson_aalen([1.0], [1], ties="sometimes"), InvalidParameterError, ["ties"]),
    ("logrank_test None", lambda lg: retention.logrank_test([1.0, None], [1.0], [1, 1], [1]), InvalidRowsError, ["row 1", "durations_A"]),
    ("multivariate_logrank_test lengths", lambda lg: retention.multivariate_logrank_test([1.0, 2.0], ["a"], [1, 1]), LengthMismatchError, []),
    ("concordance_index inf", lambda lg: retention.concordance_index([1.0, 2.0], [0.1, math.inf], [1, 1]), InvalidRowsError, ["row 1", "predicted_score"]),
    ("cox_ph column", lambda lg: retention.cox_ph(pd.DataFrame({"T": [1.0], "E": [1]}), "T", "event"), InvalidParameterError, ["event"]),
    # extras
    ("points_ledger unknown", lambda lg: retention.points_ledger(lg, 99, "2024-03-01"), UnknownCustomerError, ["99"]),
    ("points_balances config", lambda lg: retention.points_balances(lg, "2024-03-01", config={"expiry_days": 0}), InvalidParameterError, ["expiry_days"]),
    ("redeem_points negative", lambda lg: retention.redeem_points(lg, 1, -5, as_of="2024-03-01"), InvalidParameterError, ["points"]),
    ("redeem_points too many", lambda lg: retention.redeem_points(lg, 1, 10_000, as_of="2024-03-01"), retention.InsufficientPointsError, ["1"]),
    ("tier_status before events", lambda lg: retention.tier_status(lg, 1, "2023-01-01"), InvalidRowsError, ["timestamp"]),
    ("tier_for_value NaN", lambda lg: retention.tier_for_value(math.nan), InvalidParameterError, ["value"]),
    ("loyalty_programme config", lambda lg: retention.loyalty_programme(config={"grace_days": 2_000_000}), InvalidParameterError, ["grace_days"]),
    ("tier_history unknown", lambda lg: retention.tier_history(lg, "ana", "2024-03-01"), UnknownCustomerError, ["ana"]),
    ("churn_features type", lambda lg: retention.churn_features("log", "2024-03-01"), TypeError, ["EventLog"]),
    ("churn_labels horizon", lambda lg: retention.churn_labels(lg, [1], "2024-02-01", 0, "2024-03-01"), InvalidParameterError, ["horizon_days"]),
    ("evaluate lengths", lambda lg: retention.evaluate([0.1, 0.2], [True]), LengthMismatchError, ["labels"]),
    ("traffic_light negative", lambda lg: retention.traffic_light(-0.1), InvalidParameterError, ["risk"]),
    ("historic_value_tiers shares", lambda lg: retention.historic_value_tiers(lg.summaries(), tiers={"A": 0.9}), InvalidParameterError, ["tiers"]),
    ("value_tiers NaN", lambda lg: retention.value_tiers([1, 2], [1.0, math.nan]), InvalidRowsError, ["row 1", "value"]),
    ("rule_segments field", lambda lg: retention.rule_segments(lg.summaries(), "2024-03-01", {"x": ("age", ">", 3)}), InvalidParameterError, ["age"]),
    ("period_activity_series period", lambda lg: retention.period_activity_series(lg, "2024-01-01", "2024-02-01", period="fortnight"), InvalidParameterError, ["period"]),
    ("lifecycle_counts time_zone", lambda lg: retention.lifecycle_counts(lg, "2024-01-01", "2024-03-01", time_zone="Mars/Olympus"), InvalidParameterError, ["time_zone", "Mars/Olympus"]),
    ("stickiness period", lambda lg: retention.stickiness(lg, "2024-01-01", "2024-03-01", period="fortnight"), InvalidParameterError, ["period", "fortnight"]),
    ("period_over_period_retention None", lambda lg: retention.period_over_period_retention(lg, None), TypeError, ["at"]),
    ("period_over_period_retention_series order", lambda lg: retention.period_over_period_retention_series(lg, "2024-05-01", "2024-01-01"), InvalidParameterError, []),
    ("referral_stats empty window", lambda lg: retention.referral_stats(lg, "2024-01-01", "2024-01-01"), InvalidParameterError, ["end"]),
    ("engagement after as_of", lambda lg: retention.engagement(lg, "2023-12-01"), InvalidRowsError, ["row", "timestamp"]),
    ("labelled_cohorts unknown", lambda lg: retention.labelled_cohorts(lg, {5: "a"}, "2024-03-01"), UnknownCustomerError, ["5"]),
    ("retention_counts window", lambda lg: retention.retention_counts(lg, {1: "treatment", 2: "control"}, "2024-03-01", window_start="2024-01-01", window_days=0), InvalidParameterError, ["window.days"]),
    ("survival_comparison labels", lambda lg: retention.survival_comparison(lg, {1: "a", 2: "a"}, "2024-03-01", treatment="a", control="a"), InvalidParameterError, ["control"]),
    ("churn_durations basis", lambda lg: retention.churn_durations(lg, "2024-03-01", basis="moods"), InvalidParameterError, ["basis"]),
    # Models: recency larger than T, NaN spend, negative periods, mismatched columns.
    ("fit_bgnbd recency", lambda lg: retention.fit_bgnbd([1, 2], [5.0, 9.0], [10.0, 8.0]), InvalidRowsError, ["row 1", "recency"]),
    ("fit_mbgnbd frequency", lambda lg: retention.fit_mbgnbd([1, -2], [5.0, 1.0], [10.0, 8.0]), InvalidRowsError, ["row 1", "frequency"]),
    ("fit_pareto_nbd NaN", lambda lg: retention.fit_pareto_nbd([1, 2], [5.0, math.nan], [10.0, 8.0]), InvalidRowsError, ["row 1", "recency"]),
    ("fit_ggom_nbd NaN", lambda lg: retention.fit_ggom_nbd([1, 2], [5.0, math.nan], [10.0, 8.0]), InvalidRowsError, ["row 1", "recency"]),
    ("fit_bgbb periods", lambda lg: retention.fit_bgbb([1, 2], [1, 2], [6, -6]), InvalidRowsError, ["row 1"]),
    ("fit_gamma_gamma spend", lambda lg: retention.fit_gamma_gamma([1, 2], [10.0, math.nan]), InvalidRowsError, ["row 1", "monetary_value"]),
    ("brier_score times", lambda lg: retention.brier_score([1, 2, 3], [1, 0, 1], [1, 2, 3], [1, 0, 1], [[0.5], [0.5], [0.5]], [9.0]), InvalidParameterError, ["times"]),
    ("integrated_brier_score negative", lambda lg: retention.integrated_brier_score([1, -2, 3], [1, 0, 1], [1, 2, 3], [1, 0, 1], [[0.5, 0.4]] * 3, [1.0, 2.0]), InvalidRowsError, ["row 1", "duration"]),
    ("cumulative_dynamic_auc increasing", lambda lg: retention.cumulative_dynamic_auc([1, 2, 3, 4], [1, 0, 1, 1], [1, 2, 3, 4], [1, 0, 1, 1], [0.1, 0.2, 0.3, 0.4], [3.0, 2.0]), InvalidParameterError, ["strictly increasing"]),
    ("fit_covariates NaN covariate", lambda lg: retention.fit_covariates(
        {"frequency": [1, 2], "recency": [5.0, 6.0], "T": [10.0, 10.0], "g": [0.0, math.nan]}, "bg_nbd", trans=["g"]),
        InvalidRowsError, ["row 1", "trans_covariates", "g=NaN"]),
    ("fit_gamma_gamma_covariates constant", lambda lg: retention.fit_gamma_gamma_covariates(
        {"frequency": [1, 2], "monetary_value": [5.0, 6.0], "g": [1.0, 1.0]}, spend=["g"]),
        SingularMatrixError, ["spend covariates"]),
    ("frequency_monetary_correlation lengths", lambda lg: retention.frequency_monetary_correlation([1, 2], [3.0]), LengthMismatchError, ["monetary_value"]),
    # Holdout evaluation.
    ("tracking_series periods", lambda lg: retention.tracking_series(_BG, lg, 0), InvalidParameterError, ["periods"]),
    ("conditional_holdout_table group_by", lambda lg: retention.conditional_holdout_table(_BG, _SPLIT, group_by="age"), UnknownCodeError, ["holdout_group_by", "age"]),
    ("holdout_metrics negative", lambda lg: retention.holdout_metrics(_BG, {**_SPLIT, "frequency_holdout": [1.0, -1.0]}), InvalidRowsError, ["row 1", "frequency_holdout"]),
    ("tracking_mape lengths", lambda lg: retention.tracking_mape({"actual_cumulative": [1.0, 2.0], "expected_cumulative": [1.0]}), LengthMismatchError, ["expected_cumulative"]),
    ("period_transactions max_frequency", lambda lg: retention.period_transactions(_BG, [1], [2.0], [3.0], max_frequency=1001), InvalidParameterError, ["max_frequency"]),
    (
        "predictive_clv_intervals no covariance",
        lambda lg: retention.predictive_clv_intervals(
            retention.TransactionModel("bg_nbd", [0.2426, 4.4136, 0.7929, 2.4259]),
            retention.GammaGammaModel(6.25, 3.74, 15.44),
            [1, 2], [5.0, 6.0], [10.0, 10.0], [20.0, 30.0],
        ),
        InvalidParameterError,
        ["covariance"],
    ),
    (
        "predictive_clv spend",
        lambda lg: retention.predictive_clv(
            retention.TransactionModel("bg_nbd", [0.2426, 4.4136, 0.7929, 2.4259]),
            retention.GammaGammaModel(6.25, 3.74, 15.44),
            [1, 2], [5.0, 6.0], [10.0, 10.0], [20.0, -1.0],
        ),
        InvalidRowsError,
        ["row 1", "monetary_value"],
    ),
    # Integers outside the native argument's type (issue 17): PyO3 raised
    # OverflowError; the guard of retention._native names the argument.
    ("rfm bins 10**30", lambda lg: retention.rfm(lg, "2024-02-01", bins=10**30), InvalidParameterError, ["bins", "1" + "0" * 30]),
    ("sample customers -1", lambda lg: retention.EventLog.sample(customers=-1), InvalidParameterError, ["customers", "-1"]),
    ("sample_events customers 10**30", lambda lg: retention.sample_events(customers=10**30), InvalidParameterError, ["customers"]),
    (
        "predictive_clv horizon 2**32",
        lambda lg: retention.predictive_clv(
            _BG, retention.GammaGammaModel(6.25, 3.74, 15.44), [1, 2], [5.0, 6.0], [10.0, 10.0], [20.0, 30.0],
            horizon_months=2**32,
        ),
        InvalidParameterError,
        ["horizon_months", "4294967296"],
    ),
    # An object column mixing int and str ids: pyarrow's ArrowInvalid before.
    (
        "from_frame mixed ids",
        lambda lg: retention.EventLog.from_frame(
            pd.DataFrame({"customer_id": np.array([1, "a"], dtype=object), "timestamp": [T, T], "amount": [1.0, 2.0]})
        ),
        TypeError,
        ["customer_id"],
    ),
]


@pytest.mark.parametrize("call, exc, words", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_bad_input(log, call, exc, words):
    with pytest.raises(exc) as e:
        call(log)
    text = str(e.value)
    for w in words:
        assert w in text, f"{w!r} not in {text!r}"


def test_every_public_function_has_a_bad_input_case():
    covered = {c[0].split()[0] for c in CASES}
    functions = {
        name for name in retention.__all__
        if callable(getattr(retention, name)) and not isinstance(getattr(retention, name), type)
        and name not in {"sample_events"}
    }
    # Covered in test_errors.py / test_extras.py.
    elsewhere = {"simple_clv", "csat", "cox_ph", "LogisticModel"}
    # Take no input.
    elsewhere |= {"vocabulary", "defaults"}
    missing = functions - covered - elsewhere
    assert not missing, sorted(missing)
