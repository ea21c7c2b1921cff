"""Contractual retention models through the Python door: published
Fader & Hardie (2007) values, the predictive cohort matrix, bad input and
plots."""

import math

import pandas as pd
import pytest

import retention
from retention import contractual

# Fader & Hardie (2007), Table 1: active customers of 1,000 at the end of
# years 0–12 (/work/shared/data/retention_fader_hardie_2007.csv).
REGULAR = [1000, 631, 468, 382, 326, 289, 262, 241, 223, 207, 194, 183, 173]
HIGH_END = [1000, 869, 743, 653, 593, 551, 517, 491, 468, 445, 427, 409, 394]


def test_published_sbg_estimates():
    high = contractual.fit(HIGH_END[:8])
    assert high.params["alpha"] == pytest.approx(0.668, abs=5e-4)
    assert high.params["beta"] == pytest.approx(3.806, abs=5e-4)
    assert high.log_likelihood == pytest.approx(-1611.2, abs=0.05)
    regular = contractual.fit(pd.Series(REGULAR[:8], name="regular"))
    assert regular.params["alpha"] == pytest.approx(0.704, abs=5e-4)
    assert regular.params["beta"] == pytest.approx(1.182, abs=5e-4)
    assert set(high.standard_errors) == {"alpha", "beta"}


def test_projection_of_years_eight_to_twelve_is_within_a_few_percent():
    # The paper reports errors of a few percent (sBG slightly under).
    for counts, bound in ((REGULAR, 0.02), (HIGH_END, 0.045)):
        f = contractual.fit(counts[:8])
        for year in range(8, 13):
            projected = 1000 * f.model.survival(year)
            assert abs(projected - counts[year]) / counts[year] < bound


def test_predictions_match_the_sbg_closed_forms():
    f = contractual.fit(REGULAR[:8])
    a, b = f.params["alpha"], f.params["beta"]
    assert f.model.retention_rate(3) == pytest.approx((b + 2) / (a + b + 2), rel=1e-12)
    assert f.model.churn_probability(1) == pytest.approx(a / (a + b), rel=1e-12)
    curve = f.curve(5)
    assert curve["survival"].iloc[0] == 1.0 and math.isnan(curve["retention_rate"].iloc[0])
    # DERL after n renewals by its series, summed far enough for d = 0.1.
    d, n = 0.1, 3
    s = [f.model.survival(t) for t in range(0, 800)]
    derl = sum(s[t] / s[n] / (1 + d) ** (t - n - 1) for t in range(n + 1, 800))
    assert f.model.discounted_expected_residual_lifetime(d, n) == pytest.approx(derl, rel=1e-9)
    assert f.model.residual_value(20.0, d, n) == pytest.approx(20.0 * derl, rel=1e-9)
    assert f.model.discounted_expected_lifetime(d) == pytest.approx(
        sum(s[t] / (1 + d) ** t for t in range(800)), rel=1e-9
    )
    with pytest.raises(retention.InvalidParameterError, match="discount_rate"):
        f.model.expected_lifetime()  # α < 1: infinite


def test_one_call_prediction_matches_the_series_and_the_pointwise_functions():
    f = contractual.fit(REGULAR[:8])
    d, m = 0.1, 20.0
    p = f.predict(30, discount_rate=d, margin=m)
    assert len(p.table) == 30 and p.discount_rate == d and p.margin == m
    assert p.expected_lifetime is None  # α < 1
    s = [f.model.survival(t) for t in range(0, 900)]
    for n in (0, 1, 7, 29):
        derl = sum(s[t] / s[n] / (1 + d) ** (t - n - 1) for t in range(n + 1, 900))
        assert p.table["discounted_expected_residual_lifetime"].iloc[n] == pytest.approx(derl, rel=1e-9)
        assert p.table["residual_value"].iloc[n] == pytest.approx(m * derl, rel=1e-9)
    assert p.discounted_expected_lifetime == pytest.approx(sum(s[t] / (1 + d) ** t for t in range(900)), rel=1e-9)
    assert p.table["survival"].tolist() == pytest.approx(s[:30], rel=1e-13)
    # α = 3, β = 2: E[T] = (α + β − 1)/(α − 1) = 2.
    q = contractual.ContractualModel({"model": "sbg", "alpha": 3.0, "beta": 2.0, "c": 1.0}).predict({"ages": 2})
    assert q["expected_lifetime"] == pytest.approx(2.0, rel=1e-9)
    with pytest.raises(retention.InvalidParameterError, match="ages"):
        f.predict(0)
    with pytest.raises(retention.InvalidParameterError, match="margin"):
        f.predict(3, margin=-1.0)
    with pytest.raises(retention.InvalidParameterError, match="options"):
        f.model.predict({"horizon": 3})


def test_matrix_from_log_reads_the_survivor_options():
    log = retention.EventLog.sample(seed=7, customers=300)
    weekly = contractual.predictive_cohort_matrix_from_log(log, "2025-01-01", period="week", max_age=6)
    # Weekly (ISO, Monday) cohorts, ages 0..6 read.
    assert all(pd.Timestamp(label).weekday() == 0 for label in weekly.share.index)
    assert weekly.observed_ages.max() == 7
    with pytest.raises(retention.UnknownCodeError):
        contractual.predictive_cohort_matrix_from_log(log, "2025-01-01", period="fortnight")  # type: ignore[arg-type]


def test_per_cohort_fits_and_the_likelihood_ratio_test():
    fits = contractual.fit_per_cohort({"regular": REGULAR[:8], "high_end": HIGH_END[:8]})
    assert [round(f.params["alpha"], 3) for f in fits] == [0.704, 0.668]
    test = contractual.likelihood_ratio_test(HIGH_END[:8])
    assert test["statistic"] == pytest.approx(
        max(0.0, 2 * (test["bdw"].log_likelihood - test["sbg"].log_likelihood)), abs=1e-9
    )
    assert test["degrees_of_freedom"] == 1


def test_bdw_with_c_one_is_the_sbg():
    sbg = contractual.ContractualModel({"model": "sbg", "alpha": 0.668, "beta": 3.806, "c": 1.0})
    bdw = contractual.ContractualModel({"model": "bdw", "alpha": 0.668, "beta": 3.806, "c": 1.0})
    for t in range(30):
        assert sbg.survival(t) == pytest.approx(bdw.survival(t), abs=1e-15)


def test_matrix_keeps_observed_cells_and_projects_the_rest():
    frame = pd.DataFrame(
        [HIGH_END[:8], HIGH_END[:5] + [None] * 3, REGULAR[:3] + [None] * 5], index=["a", "b", "c"]
    )
    m = contractual.predictive_cohort_matrix(frame, ages=13, method="bootstrap", draws=200, seed=3)
    assert list(m.share.index) == ["a", "b", "c"]
    assert m.projected.sum(axis=1).tolist() == [5, 8, 10]
    assert m.share.loc["b", 4] == HIGH_END[4] / 1000
    assert (m.lower <= m.share + 1e-12).all().all() and (m.share <= m.upper + 1e-12).all().all()
    assert len(m.fits) == 1 and m.method == "bootstrap"


def test_bad_input_is_typed():
    with pytest.raises(retention.InvalidRowsError) as e:
        contractual.fit([[100, 90, 95], [50, 40]])
    assert "survivors" in str(e.value)
    with pytest.raises(retention.InvalidParameterError, match="ages"):
        contractual.predictive_cohort_matrix([HIGH_END[:8]], ages=10**6)
    with pytest.raises(retention.InvalidParameterError, match="draws"):
        contractual.predictive_cohort_matrix([HIGH_END[:8]], ages=12, method="bootstrap", draws=10**6)
    with pytest.raises(retention.UnknownCodeError):
        contractual.fit(HIGH_END[:8], model="weibull")
    with pytest.raises(retention.InvalidParameterError):
        contractual.fit([100, 100, 100])


def test_plots_mark_projected_cells():
    matplotlib = pytest.importorskip("matplotlib")
    matplotlib.use("Agg")
    from retention import plot

    m = contractual.predictive_cohort_matrix([HIGH_END[:8], HIGH_END[:4]], ages=10)
    ax = plot.predictive_matrix_heatmap(m)
    assert len(ax.patches) == int(m.projected.to_numpy().sum())
    ax = plot.contractual_curves(m, kind="retention_rate")
    assert len(ax.lines) == 4
    ax = plot.contractual_curves(m, cohorts=["0"])
    assert len(ax.lines) == 2
