"""One vocabulary and one set of defaults: the Python door accepts and
returns exactly the Rust core's codes, and every default it prints is the
core's (``retention.vocabulary()`` and ``retention.defaults()`` come from
the core itself)."""

import inspect
import math
from typing import get_args

import pandas as pd
import pyarrow as pa
import pytest

import retention
from retention import codes
from retention.errors import RetentionError, UnknownCodeError

T0 = pd.Timestamp("2024-01-01", tz="UTC")


def _cox_core(method, code):
    """A Cox model's core `residuals` / `proportional_hazard_test` with `code`."""
    from retention.compat.lifelines import CoxPHFitter

    df = pd.DataFrame({"d": [1.0, 2, 3, 4, 5, 6, 7, 8], "e": [1, 0, 1, 1, 0, 1, 1, 1],
                       "x": [0.1, 0.5, 0.2, 0.9, 0.3, 0.4, 0.8, 0.6]})
    cph = CoxPHFitter().fit(df, "d", "e")
    (d, e, cols), (w, s), *_ = cph._training_arrays(df)
    return getattr(cph._fit, method)(d, e, cols, code, weights=w, strata=s)


def _day(n):
    return T0 + pd.Timedelta(days=n)


@pytest.fixture(scope="module")
def log():
    rows = []
    for c in range(1, 7):
        for k in range(3):
            rows.append(dict(customer_id=c, timestamp=_day(7 * k + c), event="order", amount=10.0 * c))
    rows.append(dict(customer_id=1, timestamp=_day(40), event="subscription", amount=20.0, detail="new"))
    return retention.EventLog.from_frame(pd.DataFrame(rows))


def test_the_literal_types_list_the_core_codes():
    vocabulary = retention.vocabulary()
    assert set(codes.VOCABULARIES) == set(vocabulary)
    for name, literal in codes.VOCABULARIES.items():
        assert list(get_args(literal)) == vocabulary[name], name


# For each vocabulary an option takes: a call that passes the code. The
# answer of each call is not checked here (the other tests do), only that
# every code is accepted and an unknown one is refused naming the codes.
F, R, TT = [1.0, 2.0, 0.0], [3.0, 5.0, 0.0], [10.0, 12.0, 8.0]
ACCEPTED = {
    "activity_basis": lambda lg, c: retention.period_activity(lg, _day(0), _day(30), basis=c),
    "clv_time_unit": lambda lg, c: retention.predictive_clv(
        retention.TransactionModel("bg_nbd", [0.24, 4.4, 0.79, 2.4]), retention.GammaGammaModel(6.25, 3.74, 15.44),
        F, R, TT, [20.0, 30.0, 0.0], time_unit=c),
    "interval_method": lambda lg, c: retention.fit_bgnbd(retention.summary_data(
        retention.EventLog.sample(seed=42, customers=200), "2025-01-01", unit="week")).prediction_intervals(
        "probability_alive", F, R, TT, method=c, draws=20),
    "contractual_model": lambda lg, c: retention.contractual.fit([1000, 869, 743, 653, 593], model=c),
    "cohort_pooling": lambda lg, c: retention.contractual.predictive_cohort_matrix(
        [[1000, 869, 743, 653], [1000, 880, 760, 690]], pooling=c, ages=6),
    "cox_ties": lambda lg, c: retention.cox_ph(
        pd.DataFrame({"d": [1.0, 2, 3, 4, 5, 6], "e": [1, 0, 1, 1, 0, 1], "x": [0.1, 0.5, 0.2, 0.9, 0.3, 0.4]}),
        "d", "e", ties=c),
    "cox_residual_kind": lambda lg, c: _cox_core("residuals", c),
    "cox_time_transform": lambda lg, c: _cox_core("proportional_hazard_test", c),
    "duplicate_policy": lambda lg, c: retention.EventLog.from_frame(
        pd.DataFrame({"customer_id": [1, 2], "timestamp": [T0, T0], "amount": [1.0, 2.0]}), duplicates=c),
    "frequency_basis": lambda lg, c: retention.rfm(lg, _day(60), frequency=c),
    "holdout_group_by": lambda lg, c: retention.conditional_holdout_table(
        retention.TransactionModel("bg_nbd", [0.24, 4.4, 0.79, 2.4]),
        {"frequency_cal": F, "recency_cal": R, "T_cal": TT, "frequency_holdout": [1.0, 0.0, 2.0],
         "duration_holdout": [5.0] * 3}, group_by=c),
    "mixing_process": lambda lg, c: retention._retention.heterogeneity(
        retention.TransactionModel("bg_nbd", [0.24, 4.4, 0.79, 2.4])._inner, c, 100),
    "km_confidence_transform": lambda lg, c: retention.kaplan_meier([1.0, 2, 3], [1, 0, 1], transform=c),
    "monetary_basis": lambda lg, c: retention.rfm(lg, _day(60), monetary=c),
    "logrank_weighting": lambda lg, c: retention._retention.weighted_logrank_test(
        pa.array([1.0, 2, 3, 4]), pa.array([0, 0, 1, 1]), pa.array([True] * 4), weighting=c, p=1.0, q=1.0),
    "nelson_aalen_ties": lambda lg, c: retention.nelson_aalen([1.0, 2, 2, 3], [1, 1, 1, 0], ties=c),
    "operator": lambda lg, c: retention.rule_segments(lg, _day(60), [("x", ("orders", c, 2))]),
    "orders_after_end": lambda lg, c: retention.summary_data(lg, _day(60), after_end=c),
    "parametric_family": lambda lg, c: retention._retention.ParametricFit.fit(
        c, pa.array([1.0, 2, 3, 4, 6]), pa.array([True, False, True, True, True])),
    "period": lambda lg, c: retention.cohort_matrix(lg, _day(60), period=c),
    "qualifying_events": lambda lg, c: retention.cohort_matrix(lg, _day(60), qualifying=c),
    "retention_mode": lambda lg, c: retention.cohort_matrix(lg, _day(60), mode=c),
    "revenue_basis": lambda lg, c: retention.cohort_matrix(lg, _day(60), revenue=c),
    "risk_source": lambda lg, c: retention.traffic_light(0.5, source=c),
    "start_event": lambda lg, c: retention.cohort_retention(lg, _day(60), start=c),
    "return_event": lambda lg, c: retention.cohort_retention(lg, _day(60), returning=c),
    "return_count": lambda lg, c: retention.cohort_retention(lg, _day(60), count=c),
    "breakdown_source": lambda lg, c: retention.cohort_retention(
        lg.with_customer_properties(pd.DataFrame({"customer_id": [1], "plan": ["pro"]}))
        .with_event_properties(pd.DataFrame({"plan": ["pro"] * len(lg)})), _day(60), breakdown="plan",
        breakdown_source=c),
    "summary_field": lambda lg, c: retention.rule_segments(lg, _day(60), [("x", (c, ">=", 0))]),
    "tier_basis": lambda lg, c: retention.tier_status(lg, 1, _day(60), config=retention.LoyaltyConfig(tier_basis=c)),
    "tier_term": lambda lg, c: retention.tier_status(lg, 1, _day(60), config=retention.LoyaltyConfig(tier_term=c)),
    "time_unit": lambda lg, c: retention.summary_data(lg, _day(60), unit=c),
    # GGompertz/NBD has a fifth parameter (r, alpha, b, s, beta).
    "transaction_model": lambda lg, c: retention.TransactionModel(
        c, [0.24, 4.4, 0.79, 2.4] + ([0.5] if c == "ggom_nbd" else [])
    ),
}


def _event_rows():
    """One row per event type, severity, survey kind and subscription change."""
    rows = [dict(customer_id=9, timestamp=_day(1), event=t) for t in
            ("signup", "session", "email_open", "email_click")]
    rows += [dict(customer_id=9, timestamp=_day(2), event="order", amount=5.0),
             dict(customer_id=9, timestamp=_day(3), event="refund", amount=1.0),
             dict(customer_id=9, timestamp=_day(3), event="referral", detail="10"),
             dict(customer_id=9, timestamp=_day(4), event="points_earned", amount=10.0),
             dict(customer_id=9, timestamp=_day(5), event="points_redeemed", amount=5.0)]
    rows += [dict(customer_id=9, timestamp=_day(6), event="support_ticket", detail=s, resolved=False)
             for s in get_args(codes.Severity)]
    rows += [dict(customer_id=9, timestamp=_day(7), event="survey", detail=k, score=5.0) for k in get_args(codes.SurveyKind)]
    changes = {"new": 10.0, "expansion": 5.0, "contraction": -2.0, "churn": -13.0, "reactivation": 4.0}
    rows += [dict(customer_id=9, timestamp=_day(8 + i), event="subscription", detail=k, amount=changes[k])
             for i, k in enumerate(get_args(codes.SubscriptionChange))]
    return rows


# Vocabularies read from event rows (the `event` and `detail` columns).
FROM_EVENTS = {"event_type", "severity", "survey_kind", "subscription_change"}


def test_every_code_of_every_option_is_accepted_and_a_wrong_one_names_the_codes(log):
    vocabulary = retention.vocabulary()
    for name, call in ACCEPTED.items():
        for code in vocabulary[name]:
            call(log, code)
        with pytest.raises(UnknownCodeError) as e:
            call(log, "no_such_code")
        err = e.value
        assert (err.name, err.value, err.accepted) == (name, "no_such_code", vocabulary[name])
        assert isinstance(err, retention.InvalidParameterError)
        for code in vocabulary[name]:
            assert f'"{code}"' in str(err), (name, str(err))


def test_every_event_code_is_read_from_rows():
    rows = _event_rows()
    frame = pd.DataFrame(rows)
    log = retention.EventLog.from_frame(frame)
    back = log.to_frame()
    assert set(back["event"]) == set(retention.vocabulary()["event_type"])
    details = set(back["detail"].dropna())
    for name in ("severity", "survey_kind", "subscription_change"):
        assert set(retention.vocabulary()[name]) <= details, name
    with pytest.raises(retention.InvalidRowsError) as e:
        retention.EventLog.from_frame(pd.DataFrame([dict(customer_id=1, timestamp=T0, event="purchase")]))
    assert e.value.issues[0]["kind"] == "unknown_kind"


def test_returned_codes_are_the_core_codes(log):
    vocabulary = retention.vocabulary()
    sample = retention.EventLog.sample(seed=3, customers=400)
    s = sample.summaries()
    stages = set(retention.lifecycle(s, "2025-01-01")["stage"])
    assert stages <= set(vocabulary["lifecycle_stage"]) and "at_risk" in stages
    lights = retention.health_scores(sample, "2025-01-01")
    assert set(lights["light"]) <= set(vocabulary["light"])
    assert retention.traffic_light(0.9)["light"] in vocabulary["light"]
    ledger, _ = retention.points_ledger(sample, int(s.to_frame()["customer_id"][0]), "2025-01-01")
    assert set(ledger["kind"]) <= set(vocabulary["ledger_entry_kind"])
    m = retention.fit_bgnbd(retention.summary_data(s, "2025-01-01", unit="week"))
    assert m.model in vocabulary["transaction_model"]
    assert m.diagnostics.method in vocabulary["optim_method"]
    with pytest.raises(retention.InvalidRowsError) as e:
        retention.nps([11, math.nan])
    assert {i["kind"] for i in e.value.issues} <= set(vocabulary["issue_kind"])


def test_every_vocabulary_is_accepted_or_returned_here():
    returned = {"lifecycle_stage", "light", "ledger_entry_kind", "earn_action", "optim_method", "issue_kind", "error_code"}
    # CovariateModel.model names the fitted model (fit_covariates takes the
    # two transaction models by name, fit_gamma_gamma_covariates the third).
    returned |= {"covariate_model"}
    # Not part of the Python door: both churn variants come back as separate
    # rates, health components only as reasons, optimiser attempts as text.
    elsewhere = {"churn_variant", "health_component", "attempt_outcome"}
    # How input crosses into the core: the door converts Arrow columns into
    # cell layouts, and a timestamp column's own unit is the instant unit.
    elsewhere |= {"cell_kind", "instant_unit"}
    assert set(retention.vocabulary()) == set(ACCEPTED) | FROM_EVENTS | returned | elsewhere


def test_every_error_code_has_its_exception_class():
    for code in retention.vocabulary()["error_code"]:
        cls = getattr(retention.errors, "".join(w.capitalize() for w in code.split("_")) + "Error")
        assert issubclass(cls, RetentionError) and cls.__name__ in retention.__all__, code


# ----------------------------------------------------------------- defaults

# Public callables and the core option group each one's defaults come from.
GROUPS = {
    "EventLog.from_frame": "log", "EventLog.from_csv": "log", "EventLog.sample": "sample",
    "sample_events": "sample", "period_activity": "activity", "period_activity_series": "activity",
    "csat": "csat", "ces": "ces", "rfm": "rfm", "cohort_matrix": "cohort", "labelled_cohorts": "cohort",
    "two_proportion_z_test": "z_test", "health_scores": "health", "summary_data": "model_input",
    "calibration_and_holdout": "model_input", "kaplan_meier": "kaplan_meier", "nelson_aalen": "nelson_aalen",
    "cox_ph": "cox", "TransactionModel.fit": "fit", "BgBbModel.fit": "fit", "GammaGammaModel.fit": "fit",
    "predictive_clv": "clv", "LoyaltyConfig": "loyalty", "LogisticModel.fit": "logistic",
    "traffic_light": "lights", "period_over_period_retention": "cohort",
    "period_over_period_retention_series": "cohort", "lifecycle_counts": "cohort", "stickiness": "cohort", "survival_comparison": "activity",
    "churn_durations": "activity", "tracking_series": "evaluation", "conditional_holdout_table": "evaluation",
    "period_transactions": "evaluation", "cohort_retention": "cohort_retention",
}
# Where a Python parameter's core field has another path in its group…
ALIASES = {}
# …or outside it.
ROOTED = {("traffic_light", "source"): ("risk_source",)}
ROOTED.update({(f, "period"): ("calendar", "period") for f, g in GROUPS.items()})
# Defaults that belong to the Python door, not to a core option.
PYTHON_ONLY = {
    "library",  # which DataFrame library results come back in
    "treatment", "control",  # label values of the experiment groups
    "reasons", "open_critical", "open_other",  # inputs of a traffic light, not options
    "future",  # BG/BB: opportunities ahead, an input of the prediction
    "text_ids",  # Summaries.to_arrow: the Arrow type of the id column
}


def _callables():
    for name in retention.__all__:
        obj = getattr(retention, name)
        if isinstance(obj, type):
            for m in dir(obj):
                if not m.startswith("_") and callable(getattr(obj, m)):
                    yield f"{name}.{m}", getattr(obj, m)
        yield name, obj


def _core_value(function, group, param):
    value = retention.defaults()
    for key in ROOTED.get((function, param)) or (group,) + ALIASES.get(param, (param,)):
        value = value[key]
    return value


def test_every_printed_default_is_the_core_default():
    checked = 0
    for name, f in _callables():
        try:
            sig = inspect.signature(f)
        except (TypeError, ValueError):
            continue
        for p in sig.parameters.values():
            if p.default is inspect.Parameter.empty or p.default is None or p.name in PYTHON_ONLY:
                continue
            assert name in GROUPS, f"{name}({p.name}={p.default!r}) has no core option group"
            want = _core_value(name, GROUPS[name], p.name)
            if p.name == "tiers":
                want = tuple((t["name"], t["threshold"], t["multiplier"], t["entry_points"]) for t in want)
            if p.name == "rewards":
                want = tuple((r["name"], r["points"]) for r in want)
            assert p.default == want, (name, p.name, p.default, want)
            checked += 1
    assert checked > 50


def test_the_package_namespace_is_its_api():
    public = {n for n in dir(retention) if not n.startswith("_")}
    modules = {"errors", "codes", "results", "compat", "plot", "models", "evaluation", "covariates", "contractual"}
    assert "annotations" not in public
    assert public - set(retention.__all__) - modules == set()


# ------------------------------------------------------------ result shapes


def test_the_result_types_list_exactly_the_keys_returned(log):
    from retention import results

    cox_data = pd.DataFrame({"d": [1.0, 2, 3, 4, 5, 6], "e": [1, 0, 1, 1, 0, 1], "x": [0.1, 0.5, 0.2, 0.9, 0.3, 0.4]})
    calls = {
        results.PeriodActivity: lambda: retention.period_activity(log, _day(0), _day(30)),
        results.OrderStats: lambda: retention.order_stats(log, _day(0), _day(30)),
        results.MrrBridge: lambda: retention.mrr_bridge(log, _day(0), _day(60)),
        results.Nps: lambda: retention.nps([10, 9, 3]),
        results.Csat: lambda: retention.csat([5, 4, 2]),
        results.Ces: lambda: retention.ces([5, 4, 2]),
        results.ProportionComparison: lambda: retention.two_proportion_z_test(40, 100, 30, 100),
        results.LogRankTest: lambda: retention.logrank_test([1, 2, 3], [2, 3, 4], [1, 1, 0], [1, 0, 1]),
        results.CoxModel: lambda: retention.cox_ph(cox_data, "d", "e"),
        results.TierStatus: lambda: retention.tier_status(log, 1, _day(60)),
        results.TrafficLight: lambda: retention.traffic_light(0.5),
        results.PeriodRetention: lambda: retention.period_over_period_retention(log, _day(10)),
        results.Stickiness: lambda: retention.stickiness(log, _day(0), _day(30), period="day"),
        results.ReferralStats: lambda: retention.referral_stats(log, _day(0), _day(60)),
        results.LedgerTotals: lambda: retention.points_ledger(log, 1, _day(60))[1],
    }
    assert set(calls) == {getattr(results, n) for n in results.__all__}
    for shape, call in calls.items():
        assert sorted(call()) == sorted(shape.__annotations__), shape.__name__
    assert sorted(retention.tier_for_value(100)) == sorted(results.TierStatus.__annotations__)
