"""lifelines' warnings and exception classes from the compat fitters: which
data trigger them, and that the errors stay the typed errors of
retention.errors (fields, pickling)."""

import pickle
import warnings

import numpy as np
import pandas as pd
import pytest

import retention
from retention.compat.lifelines import CoxPHFitter, KaplanMeierFitter, NelsonAalenFitter
from retention.compat.lifelines.exceptions import (
    ConvergenceError,
    ConvergenceWarning,
    StatError,
    StatisticalWarning,
)


def cox_frame(n=200, seed=3):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=n)
    z = rng.integers(0, 2, size=n).astype(float)
    t = rng.exponential(np.exp(-0.5 * x - 0.3 * z))
    e = (rng.random(n) < 0.7).astype(int)
    return pd.DataFrame({"T": t, "E": e, "x": x, "z": z})


@pytest.mark.parametrize("fitter", [KaplanMeierFitter, NelsonAalenFitter])
def test_fractional_weights_warn_whole_weights_do_not(fitter):
    with pytest.warns(StatisticalWarning, match=r"weights are not integers \(row 1: 0.5\)"):
        fitter().fit([1.0, 2.0, 3.0], [1, 0, 1], weights=[1.0, 0.5, 2.0])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fitter().fit([1.0, 2.0, 3.0], [1, 0, 1], weights=[1.0, 3.0, 2.0])


def test_exhausted_risk_set_is_a_stat_error_when_most_enter_later():
    # Three subjects from time 0 all die at 1; 24 of 27 enter after that.
    observed = np.array([1, 1, 1, 22, 30, 28, 32, 11, 14, 36, 31, 33, 33, 37, 35, 25, 31, 22, 26, 24, 35,
                         34, 30, 35, 40, 39, 2])
    with pytest.raises(StatError, match="at time 1 .* 24 of 27 subjects enter later"):
        KaplanMeierFitter().fit(observed, entry=observed - 1)
    # Nelson-Aalen stays positive: no error.
    na = NelsonAalenFitter().fit(observed, entry=observed - 1)
    assert np.isfinite(na.cumulative_hazard_.to_numpy()).all()


def test_exhausted_risk_set_warns_when_few_enter_later():
    # Only the last subject enters (at 5) after the risk set empties at 3.
    with pytest.warns(StatisticalWarning, match="at time 3 .* 1 of 6 subjects"):
        km = KaplanMeierFitter().fit([1, 2, 3, 1, 2, 6], entry=[0, 0, 0, 0, 0, 5])
    assert km.survival_function_.iloc[-1, 0] == 0.0


def test_constant_covariate_warns_then_raises_a_convergence_error():
    df = cox_frame()
    df["constant"] = 1.0
    with pytest.warns(ConvergenceWarning, match="covariate constant has very low variance"):
        with pytest.raises(ConvergenceError) as caught:
            CoxPHFitter().fit(df, "T", "E")
    err = caught.value
    # The same object is the typed error of retention.errors, with its fields.
    assert isinstance(err, retention.errors.SingularMatrixError) and isinstance(err, ValueError)
    assert err.what.startswith("Cox covariates") and err.index == 2
    assert err.original_exception == ""
    again = pickle.loads(pickle.dumps(err))
    assert type(again) is type(err) and again.index == 2 and str(again) == str(err)


def test_separation_warnings_explain_a_failed_fit():
    # z = 1 for every subject with an event: complete separation.
    df = cox_frame()
    df.loc[df["E"] == 1, "z"] = 1.0
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with pytest.raises(ConvergenceError):
            CoxPHFitter().fit(df, "T", "E")
    messages = [str(w.message) for w in caught if issubclass(w.category, ConvergenceWarning)]
    assert any("covariate z" in m and "complete separation" in m for m in messages)


def test_cox_fractional_weights_warn_unless_robust():
    df = cox_frame()
    df["w"] = np.where(df.index % 2 == 0, 0.5, 1.0)
    with pytest.warns(StatisticalWarning, match=r"weights are not integers \(row 0: 0.5\)"):
        CoxPHFitter().fit(df, "T", "E", weights_col="w")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        CoxPHFitter().fit(df, "T", "E", weights_col="w", robust=True)
        CoxPHFitter().fit(df.drop(columns="w"), "T", "E")
