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


# ------------------------------------------------- RFM charts (R rfm package)


@pytest.fixture(scope="module")
def rfm_scores(sample_log):
    return retention.rfm(sample_log, AS_OF)


def test_rfm_heatmap_cells_are_the_groupby_means(rfm_scores, tmp_path):
    import numpy as np

    ax = plot.rfm_heatmap(rfm_scores)
    grid = np.asarray(ax.images[0].get_array(), dtype=float)
    want = rfm_scores.dropna(subset=["r", "f"]).groupby(["r", "f"])["monetary"].mean()
    assert grid.shape == (5, 5)
    for r in range(1, 6):
        for f in range(1, 6):
            if (r, f) in want.index:
                assert grid[r - 1, f - 1] == pytest.approx(want[(r, f)], rel=1e-12)
            else:
                assert np.isnan(grid[r - 1, f - 1])
    # The recency score runs upwards (origin lower) and frequency to the right.
    assert ax.get_xlabel() == "frequency score" and ax.get_ylabel() == "recency score"
    save(ax, tmp_path, "rfm_heatmap")
    # polars input gives the same picture; another value column.
    ax2 = plot.rfm_heatmap(pl.from_pandas(rfm_scores), value="frequency")
    want_f = rfm_scores.dropna(subset=["r", "f"]).groupby(["r", "f"])["frequency"].mean()
    r, f = want_f.index[0]
    assert np.asarray(ax2.images[0].get_array())[int(r) - 1, int(f) - 1] == pytest.approx(want_f.iloc[0])
    plt.close(ax2.figure)
    with pytest.raises(ValueError, match="value"):
        plot.rfm_heatmap(rfm_scores, value="segment")


def test_rfm_score_histograms_count_customers_per_score(rfm_scores, tmp_path):
    axes = plot.rfm_score_histograms(rfm_scores)
    scored = rfm_scores.dropna(subset=["r"])
    for ax, col in zip(axes, ("r", "f", "m")):
        heights = [p.get_height() for p in ax.patches]
        want = scored[col].astype(int).value_counts().reindex(range(1, 6), fill_value=0)
        assert heights == list(want.to_numpy())
        # Rank-first quantile bins: equal shares up to one customer.
        assert max(heights) - min(heights) <= 1
        assert sum(heights) == len(scored)
    path = tmp_path / "rfm_hist.png"
    axes[0].figure.savefig(path)
    plt.close(axes[0].figure)
    assert path.stat().st_size > 1000
    with pytest.raises(ValueError, match="three"):
        plot.rfm_score_histograms(rfm_scores, axes=[plt.subplots()[1]])


def test_rfm_segment_summary_bars(rfm_scores, tmp_path):
    ax = plot.rfm_segment_summary(rfm_scores)
    got = {t.get_text(): p.get_width() for t, p in zip(ax.get_yticklabels(), ax.patches)}
    assert got == rfm_scores["segment"].value_counts().to_dict()
    assert "Prospects" in got
    widths = [p.get_width() for p in ax.patches]
    assert widths == sorted(widths)  # largest on top
    save(ax, tmp_path, "rfm_segments")
    ax = plot.rfm_segment_summary(rfm_scores, metric="recency_days")
    got = {t.get_text(): p.get_width() for t, p in zip(ax.get_yticklabels(), ax.patches)}
    want = rfm_scores.groupby("segment")["recency_days"].median().dropna().to_dict()
    assert got == pytest.approx(want)
    assert "Prospects" not in got
    assert ax.get_xlabel() == "median recency_days"
    plt.close(ax.figure)
    with pytest.raises(ValueError, match="metric"):
        plot.rfm_segment_summary(rfm_scores, metric="revenue")
