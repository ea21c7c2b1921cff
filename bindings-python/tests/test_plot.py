"""Each plot renders to a non-empty PNG with the Agg backend."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import polars as pl  # noqa: E402
import pytest  # noqa: E402

import retention  # noqa: E402
from retention import plot  # noqa: E402

AS_OF = "2025-01-01"


def save(ax, tmp_path, name):
    path = tmp_path / f"{name}.png"
    ax.figure.savefig(path)
    plt.close(ax.figure)
    assert path.stat().st_size > 1000
    return path


def test_cohort_heatmap(sample_log, tmp_path):
    m = retention.cohort_matrix(sample_log, AS_OF, max_age=12)
    ax = plot.cohort_retention_heatmap(m["retention"])
    assert ax.get_ylabel() == "cohort"
    save(ax, tmp_path, "cohorts")
    # polars input and the dict of matrices.
    save(plot.cohort_retention_heatmap({"retention": pl.from_pandas(m["retention"])}), tmp_path, "cohorts_pl")


def test_survival_curves(sample_log, tmp_path):
    lives = retention.churn_durations(sample_log, AS_OF)
    km = retention.kaplan_meier(lives["duration"], lives["churned"])
    save(plot.survival_curves(km), tmp_path, "km")
    half = len(lives) // 2
    groups = {
        "first half": retention.kaplan_meier(lives["duration"][:half], lives["churned"][:half]),
        "second half": retention.kaplan_meier(lives["duration"][half:], lives["churned"][half:])[0],
    }
    ax = plot.survival_curves(groups)
    assert len(ax.get_legend().get_texts()) == 2
    save(ax, tmp_path, "km_groups")


def test_rfm_segment_sizes(sample_log, tmp_path):
    r = retention.rfm(sample_log.summaries(), AS_OF)
    ax = plot.rfm_segment_sizes(r)
    assert len(ax.patches) == r["segment"].nunique()
    save(ax, tmp_path, "rfm")


def test_calibration_curve(tmp_path):
    ev = retention.evaluate([0.05, 0.15, 0.3, 0.45, 0.6, 0.75, 0.9, 0.95], [0, 0, 0, 1, 0, 1, 1, 1])
    save(plot.calibration_curve(ev), tmp_path, "calibration")
    fig, ax = plt.subplots()
    assert plot.calibration_curve(ev["calibration"], ax=ax) is ax
    plt.close(fig)


def test_bad_plot_input():
    with pytest.raises(TypeError):
        plot.rfm_segment_sizes([1, 2, 3])
    with pytest.raises(ValueError, match="cohort"):
        import pandas as pd

        plot.cohort_retention_heatmap(pd.DataFrame({"x": [1]}))
    with pytest.raises(ValueError, match="timeline"):
        import pandas as pd

        plot.survival_curves(pd.DataFrame({"x": [1]}))
