"""Bad input: every public function answers with a typed exception naming the
row or field, never a PanicException or a crash."""

import math

import numpy as np
import pandas as pd
import pytest

import retention
from retention import (
    EmptyInputError,
    InvalidParameterError,
    InvalidRowsError,
    LengthMismatchError,
    RetentionError,
)

T = pd.Timestamp("2024-01-01")


def frame(**cols):
    base = {"customer_id": [1, 2, 3], "timestamp": [T, T, T], "amount": [1.0, 2.0, 3.0]}
    base.update(cols)
    return pd.DataFrame(base)


def test_hierarchy():
    assert issubclass(RetentionError, ValueError)
    for cls in (InvalidRowsError, LengthMismatchError, EmptyInputError, InvalidParameterError,
                retention.UnknownCustomerError, retention.InsufficientPointsError,
                retention.SingularMatrixError, retention.NotConvergedError,
                retention.FitNotConvergedError, retention.NonFiniteResultError):
        assert issubclass(cls, RetentionError)


@pytest.mark.parametrize(
    "cols, row, field",
    [
        ({"amount": [1.0, math.nan, 3.0]}, 1, "amount"),
        ({"amount": [1.0, 2.0, -3.0]}, 2, "amount"),
        ({"amount": [1.0, 2.0, 1e300]}, 2, "amount"),
        ({"amount": [None, 2.0, 3.0]}, 0, "amount"),
        ({"customer_id": [1, None, 3]}, 1, "customer_id"),
        ({"customer_id": [1.0, 2.5, 3.0]}, 1, "customer_id"),
        ({"timestamp": [T, None, T]}, 1, "timestamp"),
        ({"timestamp": ["2024-01-01", "yesterday", "2024-01-02"]}, 1, "timestamp"),
        ({"event": ["order", "teleport", "order"]}, 1, "event"),
        ({"items": [1.0, 2.5, 3.0]}, 1, "items"),
    ],
)
def test_invalid_rows_name_row_and_field(cols, row, field):
    with pytest.raises(InvalidRowsError) as e:
        retention.EventLog.from_frame(frame(**cols))
    issue = e.value.issues[0]
    assert (issue["row"], issue["field"]) == (row, field)
    assert f"row {row}" in str(e.value) and field in str(e.value)
    assert set(issue) == {"row", "field", "value", "reason", "kind"}


def test_every_bad_row_reported_at_once():
    with pytest.raises(InvalidRowsError) as e:
        retention.EventLog.from_frame(frame(amount=[math.nan, -1.0, math.inf]))
    assert [i["row"] for i in e.value.issues] == [0, 1, 2]


@pytest.mark.parametrize("bad", [None, 42, "text", [1, 2, 3], object()])
def test_wrong_types(bad):
    with pytest.raises((TypeError, RetentionError)):
        retention.EventLog.from_frame(bad)


def test_wrong_column_types():
    with pytest.raises(TypeError, match="timestamp"):
        retention.EventLog.from_frame(frame(timestamp=[1, 2, 3]))
    with pytest.raises(TypeError, match="amount"):
        retention.EventLog.from_frame(frame(amount=["a", "b", "c"]))


def test_missing_and_unknown_columns():
    with pytest.raises(InvalidParameterError) as e:
        retention.EventLog.from_frame(pd.DataFrame({"customer_id": [1]}))
    assert e.value.name == "timestamp"
    with pytest.raises(InvalidParameterError) as e:
        retention.EventLog.from_frame(frame(), amount="nope")
    assert e.value.name == "amount"


def test_empty_frames():
    empty = pd.DataFrame({"customer_id": pd.Series([], dtype="int64"), "timestamp": pd.Series([], dtype="datetime64[ns]")})
    log = retention.EventLog.from_frame(empty)
    assert len(log) == 0
    with pytest.raises(RetentionError):
        retention.kaplan_meier([], [])
    with pytest.raises(EmptyInputError):
        retention.nps([])


def test_bad_options():
    with pytest.raises(InvalidParameterError) as e:
        retention.EventLog.from_frame(frame(), duplicates="maybe")
    assert e.value.name == "duplicate_policy" and e.value.accepted == ["keep", "drop", "reject"]
    log = retention.EventLog.from_frame(frame())
    with pytest.raises(InvalidParameterError, match="period"):
        retention.cohort_matrix(log, "2024-02-01", period="fortnight")
    with pytest.raises(InvalidParameterError, match="end"):
        retention.order_stats(log, "2024-02-01", "2024-01-01")
    with pytest.raises(InvalidParameterError):
        retention.period_activity(log, "2024-01-01", "2024-02-01", window_days=0)
    with pytest.raises(TypeError):
        retention.period_activity(log, 5, "2024-02-01")
    with pytest.raises(InvalidParameterError):
        retention.period_activity(log, "not a date", "2024-02-01")
    with pytest.raises(TypeError):
        retention.period_activity(log, None, "2024-02-01")
    with pytest.raises(InvalidParameterError):
        retention.rfm(log.summaries(), T, bins=0)
    with pytest.raises(OverflowError if False else (TypeError, RetentionError, OverflowError)):
        retention.rfm(log.summaries(), T, bins=10**30)


def test_events_after_as_of_are_named():
    log = retention.EventLog.from_frame(frame())
    with pytest.raises(InvalidRowsError) as e:
        retention.health_scores(log, "2023-12-31")
    assert e.value.issues[0]["field"] == "timestamp"


def test_survey_answers_out_of_scale():
    with pytest.raises(InvalidRowsError) as e:
        retention.nps([10, 11, 3])
    assert e.value.issues[0]["row"] == 1
    with pytest.raises(InvalidRowsError) as e:
        retention.csat([5, None, 3])
    assert e.value.issues[0]["row"] == 1 and e.value.issues[0]["kind"] == "missing"
    with pytest.raises(TypeError):
        retention.nps("9")
    with pytest.raises(TypeError):
        retention.nps(["a", "b"])


def test_survival_bad_inputs():
    with pytest.raises(LengthMismatchError):
        retention.kaplan_meier([1.0, 2.0], [True])
    with pytest.raises(InvalidRowsError) as e:
        retention.kaplan_meier([1.0, np.inf, np.nan], [1, 1, 1])
    assert [i["row"] for i in e.value.issues] == [1, 2]
    with pytest.raises(InvalidRowsError) as e:
        retention.kaplan_meier([1.0, 2.0], [1, 2])
    assert e.value.issues[0]["field"] == "event_observed"
    with pytest.raises(InvalidParameterError):
        retention.kaplan_meier([1.0, 2.0], [1, 0], alpha=1.5)
    df = pd.DataFrame({"T": [1.0, 2.0, 3.0, 4.0], "E": [1, 1, 0, 1], "x": [1.0, 1.0, 1.0, 1.0]})
    with pytest.raises(retention.SingularMatrixError):
        retention.cox_ph(df, "T", "E")
    with pytest.raises(InvalidParameterError):
        retention.cox_ph(df, "missing", "E")


def test_scalar_functions():
    with pytest.raises(InvalidParameterError):
        retention.simple_clv(math.nan, 1.0, 1.0)
    with pytest.raises(TypeError):
        retention.simple_clv("50", 1.0, 1.0)
    with pytest.raises(InvalidParameterError):
        retention.two_proportion_z_test(5, 3, 1, 2)
    with pytest.raises(InvalidParameterError):
        retention.customer_retention_rate(-1, 2, 3)
    with pytest.raises(TypeError):
        retention.churn_rate(1.5, 3)
    with pytest.raises(TypeError):
        retention.historic_clv("summaries")


def test_errors_pickle():
    import pickle

    with pytest.raises(InvalidRowsError) as e:
        retention.nps([11])
    again = pickle.loads(pickle.dumps(e.value))
    assert type(again) is InvalidRowsError and again.issues == e.value.issues


def test_errors_with_notes_pickle():
    # Errors carrying notes (``__notes__``) rebuild with their fields and
    # notes, as the Spark door needs for errors raised on executors.
    import pickle

    from retention.errors import UnknownCodeError

    err = UnknownCodeError("bad", name="period", value="weekly", reason="unknown", accepted=["day", "week"])
    err.__notes__ = ["did you mean 'week'?"]
    again = pickle.loads(pickle.dumps(err))
    assert type(again) is UnknownCodeError
    assert (again.name, again.value, again.accepted) == ("period", "weekly", ["day", "week"])
    assert again.__notes__ == ["did you mean 'week'?"]
    with pytest.raises(UnknownCodeError) as e:
        retention.period_activity_series(retention.EventLog.sample(seed=1, customers=5), "2025-01-01", "2025-03-01", period="weekly")
    again = pickle.loads(pickle.dumps(e.value))
    assert type(again) is UnknownCodeError and again.accepted == e.value.accepted
    assert getattr(again, "__notes__", None) == getattr(e.value, "__notes__", None)
