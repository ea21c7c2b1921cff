"""``CoxPHFitter(baseline_estimation_method="piecewise" | "spline")`` on
hand-checkable data (no lifelines needed): the piecewise-exponential model
without covariates is events / exposure per piece."""

import pickle

import numpy as np
import pandas as pd
import pytest

import retention
from retention.compat.lifelines import CoxPHFitter

DF = pd.DataFrame({"T": [1.0, 2.5, 3.0, 4.0, 6.0, 7.5, 9.0, 12.0],
                   "E": [1, 0, 1, 1, 0, 1, 1, 0]})


def test_piecewise_without_covariates_is_events_over_exposure():
    cph = CoxPHFitter(baseline_estimation_method="piecewise", breakpoints=[5.0]).fit(DF, "T", "E")
    # [0, 5): 3 events over 30.5; [5, ∞): 2 events over 14.5.
    r0, r1 = 3 / 30.5, 2 / 14.5
    assert list(cph.params_.index) == [("beta_", "Intercept"), ("log_lambda2_", "Intercept")]
    assert cph.params_.to_numpy() == pytest.approx([np.log(r0), np.log(r1 / r0)], rel=1e-9)
    assert cph.standard_errors_.to_numpy() == pytest.approx([np.sqrt(1 / 3), np.sqrt(1 / 2 + 1 / 3)], rel=1e-7)
    ll = 3 * np.log(r0) - r0 * 30.5 + 2 * np.log(r1) - r1 * 14.5
    assert cph.log_likelihood_ == pytest.approx(ll, rel=1e-12)
    assert cph.AIC_ == pytest.approx(-2 * ll + 4, rel=1e-12)
    # Baseline: piecewise linear cumulative hazard on the timeline.
    H = cph.baseline_cumulative_hazard_["baseline cumulative hazard"]
    assert list(H.index) == sorted(DF["T"].unique())
    assert H.loc[4.0] == pytest.approx(4 * r0, rel=1e-9)
    assert H.loc[9.0] == pytest.approx(5 * r0 + 4 * r1, rel=1e-9)
    assert cph.score(DF) == pytest.approx(ll / len(DF), rel=1e-12)
    again = pickle.loads(pickle.dumps(cph))
    assert again.params_.equals(cph.params_)


def test_strata_names_and_baseline_columns():
    df = DF.assign(g=[0, 1] * 4, x=[0.3, 1.2, -0.4, 0.8, 0.0, 2.0, 1.1, -1.0])
    cph = CoxPHFitter(baseline_estimation_method="spline", n_baseline_knots=2).fit(df, "T", "E", strata="g")
    assert [p for p, _ in cph.params_.index] == ["beta_", "beta_", "s0_phi1_", "s0_phi2_", "s1_phi1_", "s1_phi2_"]
    assert list(cph.baseline_survival_.columns) == [0, 1]
    assert cph._ll_null_dof == 5
    sf = cph.predict_survival_function(df, times=[1.0, 5.0])
    assert sf.shape == (2, len(df))
    assert ((sf > 0) & (sf <= 1)).all().all()


def test_bad_input_raises_typed_errors():
    bad = DF.assign(T=[1.0, -2.0, 3, 4, 6, 7.5, 9, 12])
    with pytest.raises(retention.InvalidRowsError):
        CoxPHFitter(baseline_estimation_method="piecewise", breakpoints=[5.0]).fit(bad, "T", "E")
    with pytest.raises(retention.InvalidParameterError, match="breakpoints"):
        CoxPHFitter(baseline_estimation_method="piecewise", breakpoints=[5.0, 2.0]).fit(DF, "T", "E")
    with pytest.raises(NotImplementedError, match="knots"):
        CoxPHFitter(baseline_estimation_method="spline", knots=[1.0, 3.0, 9.0]).fit(DF, "T", "E")
