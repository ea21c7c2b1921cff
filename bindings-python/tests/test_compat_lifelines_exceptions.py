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


def separated_frame():
    # z = 1 for every subject with an event, 0 otherwise: complete separation.
    df = cox_frame()
    df["z"] = df["E"].astype(float)
    return df


def test_separation_warns_then_flags_a_non_unique_solution():
    # The fit ends (large coefficient) and warns as lifelines does: the
    # separation check first, then the core's non-unique solution.
    with pytest.warns(ConvergenceWarning) as caught:
        cph = CoxPHFitter().fit(separated_frame(), "T", "E")
    messages = [str(w.message) for w in caught]
    assert len(messages) == 2, messages
    assert "covariate z have very low variance" in messages[0] and "complete separation" in messages[0]
    assert "norm(delta)" in messages[1] and "non-unique" in messages[1]
    assert cph.params_["z"] > 5 and np.isfinite(cph.standard_errors_).all()
    assert cph.summary.loc["z", "exp(coef)"] > 100


def test_separation_warnings_explain_a_fit_that_did_not_converge():
    # Too few iterations: lifelines warns and returns its last iterate, and
    # so does this fitter, after the checks that explain it.
    with pytest.warns(ConvergenceWarning) as caught:
        cph = CoxPHFitter().fit(separated_frame(), "T", "E", fit_options={"max_steps": 2})
    messages = [str(w.message) for w in caught]
    assert "covariate z" in messages[0] and "complete separation" in messages[0]
    assert "did not converge" in messages[-1] and "2 iterations" in messages[-1]
    assert np.isfinite(cph.params_).all()


def test_collinear_covariates_still_raise_a_convergence_error():
    df = cox_frame()
    df["sum"] = df["x"] + df["z"]
    with pytest.raises(ConvergenceError) as caught:
        CoxPHFitter().fit(df, "T", "E")
    assert isinstance(caught.value, retention.errors.SingularMatrixError)


def test_monotone_likelihood_warns_and_reports_the_failure(capsys):
    # Every subject has the event and x orders them exactly as their times:
    # the log-likelihood creeps to 0 and the iterations stop there.
    df = pd.DataFrame({"T": np.arange(1.0, 10.0), "x": np.arange(-5.0, 4.0)})
    with pytest.warns(ConvergenceWarning) as caught:
        cph = CoxPHFitter().fit(df, "T", show_progress=True)
    kinds = [str(w.message) for w in caught]
    assert "within 1e-4 of 0" in kinds[0] and "complete separation" in kinds[0]
    assert any("rank correlation" in m for m in kinds[1:])
    assert cph.params_["x"] < -5 and -1e-4 < cph.log_likelihood_ < 0
    out = capsys.readouterr().out.splitlines()
    assert out[-1] == "Convergence failed. See any warning messages."
    assert len(out) == len(cph._fit.result()["trace"]) + 1


def test_show_progress_prints_a_line_per_iteration(capsys):
    df = cox_frame()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        cph = CoxPHFitter().fit(df, "T", "E", show_progress=True, fit_options={"step_size": 0.1})
    out = capsys.readouterr().out.splitlines()
    trace = cph._fit.result()["trace"]
    assert len(out) == len(trace) + 1 and len(trace) > 5
    assert out[0].startswith("Iteration 1: norm_delta = ") and "step_size = 0.1000" in out[0]
    first = trace[0]
    assert "log_lik = %.5f" % first["log_likelihood"] in out[0]
    assert "newton_decrement = %.2e" % first["newton_decrement"] in out[0]
    assert out[-1] == "Convergence success after %d iterations." % len(trace)
    # A smaller first step takes more iterations to the same estimate.
    default = CoxPHFitter().fit(df, "T", "E")
    assert len(default._fit.result()["trace"]) < len(trace)
    np.testing.assert_allclose(default.params_, cph.params_, atol=1e-4)


@pytest.mark.parametrize("options", [{"step_size": 0.0}, {"step_size": 2.0}, {"r_precision": -1.0}])
def test_invalid_step_options_are_typed_errors(options):
    with pytest.raises(retention.errors.InvalidParameterError, match=next(iter(options))):
        CoxPHFitter().fit(cox_frame(), "T", "E", fit_options=options)


def test_cox_fractional_weights_warn_unless_robust():
    df = cox_frame()
    df["w"] = np.where(df.index % 2 == 0, 0.5, 1.0)
    with pytest.warns(StatisticalWarning, match=r"weights are not integers \(row 0: 0.5\)"):
        CoxPHFitter().fit(df, "T", "E", weights_col="w")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        CoxPHFitter().fit(df, "T", "E", weights_col="w", robust=True)
        CoxPHFitter().fit(df.drop(columns="w"), "T", "E")


def test_unseen_stratum_is_stat_error_and_invalid_rows():
    df = cox_frame().assign(s=lambda d: (d["x"] > 0).astype(int))
    cph = CoxPHFitter().fit(df, "T", "E", strata=["s"])
    new = df.iloc[:3].assign(s=[0, 2, 5])
    with pytest.raises(StatError) as e:
        cph.predict_median(new)
    assert isinstance(e.value, retention.InvalidRowsError)
    assert [(i["row"], i["value"]) for i in e.value.issues] == [(1, "2"), (2, "5")]


def test_missing_event_flags_name_their_rows_in_every_cox_door():
    from retention.compat.lifelines import CoxTimeVaryingFitter, NonFiniteRowsError

    df = cox_frame(40).sample(frac=1.0, random_state=1)  # shuffled index: rows are positions
    df.iloc[7, df.columns.get_loc("E")] = np.nan
    fitters = [lambda: CoxPHFitter().fit(df, "T", "E"),
               lambda: CoxPHFitter(baseline_estimation_method="piecewise", breakpoints=[1.0]).fit(df, "T", "E")]
    for fit in fitters:
        with pytest.raises(NonFiniteRowsError, match="NaNs were detected in the dataset") as e:
            fit()
        assert isinstance(e.value, TypeError)
        assert [(i["row"], i["field"]) for i in e.value.issues] == [(7, "E")]
    tv = pd.DataFrame({"id": [1, 1, 2], "start": [0.0, 1, 0], "stop": [1.0, 2, 3], "E": [0, None, 1], "x": [0.1, 0.2, 0]})
    with pytest.raises(NonFiniteRowsError) as e:
        CoxTimeVaryingFitter().fit(tv, id_col="id", event_col="E", start_col="start", stop_col="stop")
    assert e.value.issues[0]["row"] == 1


def test_parametric_cox_describes_itself_and_converts_iteration_limits():
    df = cox_frame()
    spline = CoxPHFitter(baseline_estimation_method="spline", n_baseline_knots=3).fit(df, "T", "E")
    assert spline.regressors == {"beta_": ["x", "z"]} and spline._censoring_type == "right"
    with pytest.raises(ConvergenceError) as e:
        CoxPHFitter(baseline_estimation_method="spline", n_baseline_knots=3).fit(df, "T", "E",
                                                                               fit_options={"maxiter": 1})
    assert isinstance(e.value, retention.NotConvergedError)


def test_check_assumptions_with_a_formula_reads_the_design_matrix(capsys):
    rng = np.random.default_rng(5)
    n = 400
    g = rng.integers(0, 2, size=n)
    x = rng.normal(size=n)
    # Crossing hazards in the two groups: g violates proportional hazards.
    t = np.where(g == 1, rng.weibull(3.0, size=n), rng.exponential(1.0, size=n)) * np.exp(-0.3 * x)
    df = pd.DataFrame({"T": t, "E": 1, "x": x, "g": g})
    cph = CoxPHFitter().fit(df, "T", "E", formula="x + C(g)")
    cph.check_assumptions(df)
    out = capsys.readouterr().out
    assert "1. Variable 'C(g)[T.1]' failed the non-proportional test" in out
    assert "with so few unique values (only 2)" in out
