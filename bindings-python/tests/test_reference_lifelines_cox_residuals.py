"""retention.compat.lifelines CoxPHFitter.compute_residuals, check_assumptions
and statistics.proportional_hazard_test against lifelines 0.30 itself
(``reference`` tests, run in .venv-ref) on rossi, with strata and case
weights; plus the options that must raise."""

import io
from contextlib import redirect_stdout

import numpy as np
import pytest

from retention.compat.lifelines import CoxPHFitter
from retention.compat.lifelines.statistics import proportional_hazard_test

from conftest import reference

TIGHT = dict(precision=1e-14, r_precision=1e-14, max_steps=200)
KINDS = ["schoenfeld", "scaled_schoenfeld", "martingale", "deviance", "score", "delta_beta"]
TRANSFORMS = ["rank", "km", "identity", "log"]


def close(a, b, tol=1e-6, floor=1e-3):
    """Relative error at most ``tol``, measured against each value or, for
    values near zero (residuals are differences), against ``floor`` times
    the largest value of the column."""
    a, b = np.asarray(a, float), np.asarray(b, float)
    assert a.shape == b.shape, (a.shape, b.shape)
    floor = floor * np.max(np.abs(b), axis=0, initial=0.0)
    err = np.abs(a - b) / np.maximum(np.abs(b), np.maximum(floor, 1e-300))
    return float(np.max(err, initial=0.0)) < tol


@pytest.fixture(scope="module")
def rossi():
    df = reference("lifelines.datasets").datasets.load_rossi()
    df["w"] = np.random.default_rng(7).uniform(0.5, 2.0, len(df))
    return df


CASES = {
    "plain": dict(),
    "strata": dict(strata=["race"]),
    "two_strata": dict(strata=["race", "mar"]),
    "weights": dict(weights_col="w"),
    "strata_weights": dict(strata=["wexp"], weights_col="w"),
}


def fit_both(df, case):
    kwargs = dict(CASES[case])
    if "weights_col" not in kwargs:
        df = df.drop(columns="w")
    ref = reference("lifelines").CoxPHFitter().fit(df, "week", "arrest", fit_options=TIGHT, **kwargs)
    ours = CoxPHFitter().fit(df, "week", "arrest", fit_options=TIGHT, **kwargs)
    return df, ours, ref


@pytest.mark.reference
@pytest.mark.filterwarnings("ignore")
@pytest.mark.parametrize("case", list(CASES))
def test_residuals(rossi, case):
    df, ours, ref = fit_both(rossi, case)
    # With strata and weights lifelines stops ~4e-8 (relative) short of the
    # optimum even with TIGHT options; residuals that are sums of many terms
    # then agree to 1e-6 of the column's scale rather than of each value.
    floor = 1.0 if case == "strata_weights" else 1e-3
    for kind in KINDS:
        a, b = ours.compute_residuals(df, kind), ref.compute_residuals(df, kind)
        assert a.index.equals(b.index), kind
        assert list(a.columns) == list(b.columns), kind
        num = [c for c in b.columns if c != "arrest"]
        assert close(a[num], b[num], floor=floor), kind
        if kind in ("martingale", "deviance"):
            assert (a["arrest"].to_numpy() == b["arrest"].to_numpy()).all()
    # Spot values (plain rossi, lifelines 0.30.3): residuals are real numbers.
    if case == "plain":
        m = ours.compute_residuals(df, "martingale")["martingale"]
        assert m.sum() == pytest.approx(0.0, abs=1e-9)  # Σ martingale = 0 at the MLE (Breslow, no ties issue)
        s = ours.compute_residuals(df, "schoenfeld")
        assert s.shape == (114, 7)
        assert np.abs(s.sum().to_numpy()).max() < 1e-6  # the score equation


@pytest.mark.reference
@pytest.mark.filterwarnings("ignore")
@pytest.mark.parametrize("case", list(CASES))
def test_proportional_hazard_test(rossi, case):
    df, ours, ref = fit_both(rossi, case)
    lph = reference("lifelines.statistics").statistics.proportional_hazard_test
    for transform in TRANSFORMS + ["all", ["rank", "km"]]:
        a, b = proportional_hazard_test(ours, df, time_transform=transform), lph(ref, df, time_transform=transform)
        assert a.summary.index.equals(b.summary.index), transform
        assert list(a.summary.columns) == list(b.summary.columns)
        assert close(a.summary, b.summary), transform


@pytest.mark.reference
@pytest.mark.filterwarnings("ignore")
def test_check_assumptions_flags_the_same_variables(rossi):
    df, ours, ref = fit_both(rossi, "plain")
    out_ours, out_ref = io.StringIO(), io.StringIO()
    with redirect_stdout(out_ours):
        assert ours.check_assumptions(df) == []
    with redirect_stdout(out_ref):
        ref.check_assumptions(df)
    flagged = [line for line in out_ours.getvalue().splitlines() if "failed the non-proportional" in line]
    assert flagged == [line for line in out_ref.getvalue().splitlines() if "failed the non-proportional" in line]
    assert flagged == ["1. Variable 'age' failed the non-proportional test: p-value is 0.0007.",
                       "2. Variable 'wexp' failed the non-proportional test: p-value is 0.0063."]
    assert "strata=['wexp', ...]" in out_ours.getvalue()


def small():
    import pandas as pd

    return pd.DataFrame({"T": [5.0, 3.0, 9.0, 8.0, 7.0, 4.0, 4.0, 3.0, 2.0, 5.0, 6.0, 7.0],
                         "E": [1, 1, 1, 1, 1, 1, 0, 0, 1, 1, 1, 0],
                         "x": [0.0, 0.0, 0.0, 0.0, 1.0, 1.0, 1.0, 1.0, 1.0, 2.0, 2.0, 2.0],
                         "z": [4.0, 3.0, 1.0, 8.0, 7.0, 2.0, 4.0, 3.0, 9.0, 5.0, 6.0, 7.0]})


def test_unsupported_options_raise_naming_them():
    df = small()
    cph = CoxPHFitter().fit(df, "T", "E")
    with pytest.raises(NotImplementedError, match="show_plots"):
        cph.check_assumptions(df, show_plots=True)
    with pytest.raises(NotImplementedError, match="precomputed_residuals"):
        proportional_hazard_test(cph, df, precomputed_residuals=cph.compute_residuals(df, "scaled_schoenfeld"))
    with pytest.raises(NotImplementedError, match="callable time_transform"):
        proportional_hazard_test(cph, df, time_transform=lambda t, c, w: t)
    with pytest.raises(ValueError, match="time_transform"):
        proportional_hazard_test(cph, df, time_transform="sqrt")
    with pytest.raises(ValueError, match="kind must be in"):
        cph.compute_residuals(df, "pearson")


def test_residual_shapes_and_values():
    df = small()
    cph = CoxPHFitter().fit(df, "T", "E")
    s = cph.compute_residuals(df, "schoenfeld")
    assert list(s.columns) == ["x", "z"] and len(s) == 9
    # Efron's score equation: Schoenfeld residuals sum to zero at the MLE,
    # here to the fit's tolerance (lifelines' stopping rules leave the
    # score at about 1e-6).
    assert np.abs(s.sum().to_numpy()).max() < 1e-5
    m = cph.compute_residuals(df, "martingale")
    assert list(m.columns) == ["T", "E", "martingale"]
    assert m["martingale"].sum() == pytest.approx(0.0, abs=1e-12)
    assert (m["martingale"] <= 1.0).all()
    d = cph.compute_residuals(df, "deviance")
    assert (np.sign(d["deviance"]) == np.sign(m["martingale"])).all()
    r = proportional_hazard_test(cph, df, time_transform="all")
    assert r.summary.shape == (8, 3)
    assert ((r.summary["p"] > 0) & (r.summary["p"] <= 1)).all()


def test_log_transform_with_an_event_at_time_zero_is_a_typed_error():
    import retention

    df = small()
    df.loc[1, "T"] = 0.0
    cph = CoxPHFitter().fit(df, "T", "E")
    with pytest.raises(retention.InvalidRowsError):
        proportional_hazard_test(cph, df, time_transform="log")


def test_check_assumptions_says_okay_when_nothing_fails(capsys):
    df = small()
    CoxPHFitter().fit(df, "T", "E").check_assumptions(df, p_value_threshold=0.0)
    assert capsys.readouterr().out.strip().endswith("Proportional hazard assumption looks okay.")
