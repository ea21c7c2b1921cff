"""Exceptions that used to escape the Python door as generic ones (issue 17,
item 4), each as the hostile caller met it: now a ``RetentionError``
subclass, or a ``TypeError`` naming the argument or column."""

import pickle

import numpy as np
import pandas as pd
import pytest

import retention
from retention import InvalidParameterError, MissingColumnError, RetentionError
from retention.compat.lifelines import CoxPHFitter, CoxTimeVaryingFitter, WeibullAFTFitter

SURV = pd.DataFrame({"T": [1.0, 2.0, 3.0, 4.0, 5.0], "E": [1, 0, 1, 1, 0], "x": [0.1, 0.2, 0.5, 0.3, 0.9]})


@pytest.mark.parametrize(
    "fit, argument, column",
    [
        (lambda: CoxPHFitter().fit(SURV, duration_col="missing", event_col="E"), "duration_col", "missing"),
        (lambda: CoxPHFitter().fit(SURV, duration_col="T", event_col="nope"), "event_col", "nope"),
        (lambda: CoxPHFitter().fit(SURV, "T", "E", weights_col="w"), "weights_col", "w"),
        (lambda: CoxPHFitter().fit(SURV, "T", "E", strata=["x", "s"]), "strata", "s"),
        (
            lambda: CoxPHFitter(baseline_estimation_method="piecewise", breakpoints=[2.0]).fit(SURV, "T", "gone"),
            "event_col",
            "gone",
        ),
        (lambda: WeibullAFTFitter().fit(SURV, "Tx", "E"), "duration_col", "Tx"),
        (lambda: CoxTimeVaryingFitter().fit(SURV, event_col="E", start_col="T", stop_col="stop"), "stop_col", "stop"),
    ],
)
def test_a_missing_column_names_the_argument(fit, argument, column):
    # pandas' bare KeyError('missing') before; still a KeyError, as in lifelines.
    with pytest.raises(MissingColumnError) as e:
        fit()
    err = e.value
    assert isinstance(err, KeyError) and isinstance(err, RetentionError)
    assert (err.name, err.value) == (argument, repr(column))
    assert str(err) == f"invalid parameter `{argument}` = {column!r}: no such column in the DataFrame"
    back = pickle.loads(pickle.dumps(err))
    assert (type(back), back.name, str(back)) == (MissingColumnError, argument, str(err))


@pytest.mark.parametrize(
    "call, argument, value",
    [
        (lambda: retention.EventLog.sample(customers=-1), "customers", "-1"),
        (lambda: retention.EventLog.sample(customers=10**30), "customers", str(10**30)),
        (lambda: retention.sample_events(months=2**64), "months", str(2**64)),
    ],
)
def test_integers_beyond_the_native_type_are_invalid_parameters(call, argument, value):
    # OverflowError ("can't convert negative int to unsigned") before.
    with pytest.raises(InvalidParameterError) as e:
        call()
    assert (e.value.name, e.value.value) == (argument, value)
    assert f"`{argument}` = {value}" in str(e.value)


def test_the_guard_keeps_answers_and_other_errors():
    # The guarded native view returns what the extension returns...
    log = retention.EventLog.sample(seed=7, customers=30)
    assert "30 customers" in repr(log)
    # ...and the core's own limits still answer first when the int fits.
    with pytest.raises(InvalidParameterError) as e:
        retention.EventLog.sample(customers=0)
    assert e.value.name == "customers"


def test_an_object_column_mixing_ints_and_strings_is_a_type_error_naming_it():
    # pyarrow.lib.ArrowInvalid before.
    frame = pd.DataFrame({"customer_id": np.array([1, "a"], dtype=object), "timestamp": ["2024-01-01"] * 2})
    with pytest.raises(TypeError, match="column `customer_id`"):
        retention.EventLog.from_frame(frame)
    with pytest.raises(TypeError, match="column `customer_id`"):
        retention.EventLog.from_frame(frame.set_index(pd.Index([5, 6])))
