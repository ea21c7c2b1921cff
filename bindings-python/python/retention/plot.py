"""Plots of retention results (matplotlib, optional: ``pip install retention[plot]``).

Every function draws on ``ax`` (a new figure's axes when omitted) and returns
the Axes. Inputs are the frames this package returns, in pandas, polars or
pyarrow.

* :func:`cohort_retention_heatmap`: the ``"retention"`` frame of
  :func:`retention.cohort_matrix` / :func:`retention.labelled_cohorts`.
* :func:`survival_curves`: Kaplan–Meier results of
  :func:`retention.kaplan_meier`, one or several groups, with confidence bands.
* :func:`rfm_segment_sizes`: the frame of :func:`retention.rfm`.
* :func:`rfm_heatmap`, :func:`rfm_score_histograms`,
  :func:`rfm_segment_summary`: the same frame drawn as the R ``rfm`` package
  does (mean monetary value per recency x frequency score, customers per
  score, customers or medians per segment).
* :func:`calibration_curve`: the result of :func:`retention.evaluate` (or its
  ``calibration`` table).
* :func:`plot_probability_alive_matrix`: a fitted BG/NBD, MBG/NBD or
  Pareto/NBD model's P(alive) by frequency and recency.
* :func:`contractual_curves`, :func:`predictive_matrix_heatmap`: actual vs
  projected survival / retention-rate curves and the heatmap of a
  :func:`retention.contractual.predictive_cohort_matrix`, projected cells
  marked.
"""

from __future__ import annotations

from typing import Any, Dict, Mapping, Optional

__all__ = [
    "cohort_retention_heatmap",
    "survival_curves",
    "rfm_segment_sizes",
    "calibration_curve",
]


def _pyplot() -> Any:
    try:
        import matplotlib.pyplot as plt
    except ImportError as exc:  # pragma: no cover - exercised without matplotlib
        raise ImportError(
            "retention.plot needs matplotlib; install it with `pip install matplotlib` "
            "(or `pip install retention[plot]`)"
        ) from exc
    return plt


def _axes(ax: Any) -> Any:
    if ax is not None:
        return ax
    _, ax = _pyplot().subplots()
    return ax


def _pandas(frame: Any) -> Any:
    import pandas as pd
    import pyarrow as pa

    if isinstance(frame, pd.DataFrame):
        return frame
    module = type(frame).__module__.split(".")[0]
    if module == "polars":
        return frame.to_pandas()
    if isinstance(frame, (pa.Table, pa.RecordBatch)):
        return frame.to_pandas()
    raise TypeError(f"expected a pandas, polars or pyarrow table, got {type(frame).__name__}")


def cohort_retention_heatmap(
    matrix: Any, *, ax: Any = None, cmap: str = "Blues", annotate: bool = True, title: Optional[str] = "Cohort retention"
) -> Any:
    """Heatmap of a cohort retention matrix (rows: cohorts, columns: ages).

    ``matrix`` is a frame with ``cohort`` and one column per age (``"0"``,
    ``"1"``…) such as ``cohort_matrix(log, as_of)["retention"]``, or that
    dict itself. Incomplete (null) cells stay blank.
    """
    import numpy as np

    if isinstance(matrix, Mapping):
        matrix = matrix["retention"]
    df = _pandas(matrix)
    if "cohort" not in df.columns:
        raise ValueError("the cohort matrix needs a `cohort` column (use cohort_matrix(...)['retention'])")
    ages = [c for c in df.columns if str(c).isdigit()]
    if not ages:
        raise ValueError("the cohort matrix has no age columns ('0', '1', ...)")
    values = df[ages].to_numpy(dtype=float, na_value=np.nan)
    ax = _axes(ax)
    masked = np.ma.masked_invalid(values)
    image = ax.imshow(masked, aspect="auto", cmap=cmap, vmin=0.0, vmax=1.0, interpolation="nearest")
    ax.set_xticks(range(len(ages)))
    ax.set_xticklabels(ages)
    ax.set_yticks(range(len(df)))
    ax.set_yticklabels([str(c) for c in df["cohort"]])
    ax.set_xlabel("periods since acquisition")
    ax.set_ylabel("cohort")
    if annotate and values.size <= 600:
        for (i, j), v in np.ndenumerate(values):
            if not np.isnan(v):
                ax.text(j, i, f"{v:.0%}", ha="center", va="center", fontsize=7, color="white" if v > 0.6 else "black")
    ax.figure.colorbar(image, ax=ax, label="retained share")
    if title:
        ax.set_title(title)
    return ax


def _curve(result: Any) -> Any:
    # kaplan_meier returns (table, median, ci); accept the table alone too.
    if isinstance(result, tuple):
        result = result[0]
    df = _pandas(result)
    for col in ("timeline", "survival"):
        if col not in df.columns:
            raise ValueError(f"a Kaplan-Meier table needs a `{col}` column (use kaplan_meier(...))")
    return df


def survival_curves(
    curves: Any, *, ax: Any = None, ci: bool = True, title: Optional[str] = "Survival", xlabel: str = "days"
) -> Any:
    """Kaplan–Meier step curves with their confidence bands.

    ``curves`` is one result of :func:`retention.kaplan_meier` (the tuple or
    its table) or a dict ``{label: result}`` for several groups.
    """
    groups: Dict[str, Any]
    if isinstance(curves, Mapping):
        groups = {str(k): v for k, v in curves.items()}
    else:
        groups = {"": curves}
    if not groups:
        raise ValueError("no survival curves to plot")
    ax = _axes(ax)
    for label, result in groups.items():
        df = _curve(result)
        (line,) = ax.step(df["timeline"], df["survival"], where="post", label=label or None)
        if ci and "lower" in df.columns and "upper" in df.columns:
            ax.fill_between(
                df["timeline"], df["lower"], df["upper"], step="post", alpha=0.2, color=line.get_color(), linewidth=0
            )
    ax.set_ylim(0.0, 1.02)
    ax.set_xlabel(xlabel)
    ax.set_ylabel("survival probability")
    if any(groups):
        ax.legend()
    if title:
        ax.set_title(title)
    return ax


def rfm_segment_sizes(
    rfm: Any, *, ax: Any = None, column: str = "segment", title: Optional[str] = "RFM segments"
) -> Any:
    """Horizontal bar chart of customers per RFM segment, largest on top."""
    df = _pandas(rfm)
    if column not in df.columns:
        raise ValueError(f"the RFM frame has no `{column}` column (use rfm(...))")
    counts = df[column].value_counts().sort_values()
    ax = _axes(ax)
    ax.barh([str(i) for i in counts.index], counts.to_numpy())
    for y, n in enumerate(counts.to_numpy()):
        ax.text(n, y, f" {n}", va="center", fontsize=8)
    ax.set_xlabel("customers")
    if title:
        ax.set_title(title)
    return ax


def calibration_curve(evaluation: Any, *, ax: Any = None, title: Optional[str] = "Calibration") -> Any:
    """Observed churn rate against mean predicted probability per bin, with
    the diagonal of perfect calibration; marker size shows the bin's count.

    ``evaluation`` is the dict of :func:`retention.evaluate` or its
    ``calibration`` table.
    """
    if isinstance(evaluation, Mapping):
        evaluation = evaluation["calibration"]
    df = _pandas(evaluation)
    for col in ("mean_predicted", "observed_rate", "count"):
        if col not in df.columns:
            raise ValueError(f"the calibration table needs a `{col}` column (use evaluate(...))")
    df = df[df["count"] > 0]
    ax = _axes(ax)
    ax.plot([0, 1], [0, 1], linestyle="--", color="grey", linewidth=1, label="perfect")
    counts = df["count"].to_numpy(dtype=float)
    sizes = 20 + 200 * counts / counts.max() if len(counts) else counts
    ax.plot(df["mean_predicted"], df["observed_rate"], marker="o", label="model")
    ax.scatter(df["mean_predicted"], df["observed_rate"], s=sizes, alpha=0.3)
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.set_xlabel("mean predicted churn probability")
    ax.set_ylabel("observed churn rate")
    ax.legend()
    if title:
        ax.set_title(title)
    return ax


# The P(alive) matrix lives with the model bindings.
from ._plot_models import plot_probability_alive_matrix  # noqa: E402

__all__.append("plot_probability_alive_matrix")

# The contractual models' curves and predictive matrix.
from ._plot_contractual import contractual_curves, predictive_matrix_heatmap  # noqa: E402

__all__ += ["contractual_curves", "predictive_matrix_heatmap"]

# The R `rfm` package's charts.
from ._plot_rfm import rfm_heatmap, rfm_score_histograms, rfm_segment_summary  # noqa: E402

__all__ += ["rfm_heatmap", "rfm_score_histograms", "rfm_segment_summary"]
