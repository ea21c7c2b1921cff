"""Plots of the contractual retention models (matplotlib, imported lazily).

Re-exported by :mod:`retention.plot`.
"""

from __future__ import annotations

from typing import Any, Optional, Sequence

__all__ = ["contractual_curves", "predictive_matrix_heatmap"]


def _check(matrix: Any) -> Any:
    from .contractual import PredictiveCohortMatrix

    if not isinstance(matrix, PredictiveCohortMatrix):
        raise TypeError(
            "expected the result of retention.contractual.predictive_cohort_matrix(...), "
            f"got {type(matrix).__name__}"
        )
    return matrix


def contractual_curves(
    matrix: Any,
    *,
    cohorts: Optional[Sequence[str]] = None,
    kind: str = "survival",
    ax: Any = None,
    band: bool = True,
    title: Optional[str] = None,
) -> Any:
    """Actual vs projected curves per cohort of a predictive cohort matrix.

    ``kind="survival"`` draws each cohort's share still active by age: the
    observed cells as a solid line with markers, the projection dashed with
    its interval as a band. ``kind="retention_rate"`` draws the period-to-
    period retention ``share(t)/share(t − 1)`` of the same cells (observed
    solid, projected dashed). ``cohorts`` selects rows by label (default:
    all). Returns the matplotlib ``Axes``.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from retention import contractual, plot
    >>> m = contractual.predictive_cohort_matrix([[1000, 869, 743, 653], [1000, 880]], ages=8)
    >>> ax = plot.contractual_curves(m)
    >>> len(ax.lines)
    4
    """
    import numpy as np

    from .plot import _axes

    m = _check(matrix)
    if kind not in ("survival", "retention_rate"):
        raise ValueError(f"kind must be 'survival' or 'retention_rate', got {kind!r}")
    ax = _axes(ax)
    rows = list(m.share.index) if cohorts is None else [str(c) for c in cohorts]
    ages = np.asarray(m.share.columns, dtype=float)
    for label in rows:
        share = m.share.loc[label].to_numpy(dtype=float)
        projected = m.projected.loc[label].to_numpy(dtype=bool)
        last = int((~projected).sum()) - 1
        if kind == "survival":
            y, lo, hi, x = share, m.lower.loc[label].to_numpy(float), m.upper.loc[label].to_numpy(float), ages
        else:
            with np.errstate(divide="ignore", invalid="ignore"):
                y = share[1:] / share[:-1]
            x, lo, hi = ages[1:], None, None
            projected, last = projected[1:], last - 1
        (line,) = ax.plot(x[: last + 1], y[: last + 1], marker="o", markersize=3, label=f"{label} actual")
        start = max(last, 0)
        ax.plot(x[start:], y[start:], linestyle="--", color=line.get_color(), label=f"{label} projected")
        if band and lo is not None and projected.any():
            ax.fill_between(x[projected], lo[projected], hi[projected], color=line.get_color(), alpha=0.15)
    ax.set_xlabel("periods since acquisition")
    ax.set_ylabel("share still active" if kind == "survival" else "retention rate")
    ax.set_ylim(0.0, 1.02)
    if len(rows) <= 12:
        ax.legend(fontsize=7)
    ax.set_title(title if title is not None else ("Survival: actual vs projected" if kind == "survival" else "Retention rate"))
    return ax


def predictive_matrix_heatmap(
    matrix: Any, *, ax: Any = None, cmap: str = "Blues", annotate: bool = True, title: Optional[str] = "Predictive cohort matrix"
) -> Any:
    """Heatmap of a predictive cohort matrix with projected cells marked
    (hatched, values in italics).

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from retention import contractual, plot
    >>> m = contractual.predictive_cohort_matrix([[1000, 869, 743, 653], [1000, 880]], ages=5)
    >>> ax = plot.predictive_matrix_heatmap(m)
    >>> len(ax.patches)  # one hatch per projected cell
    4
    """
    import numpy as np
    from matplotlib.patches import Rectangle

    from .plot import _axes

    m = _check(matrix)
    values = m.share.to_numpy(dtype=float)
    projected = m.projected.to_numpy(dtype=bool)
    ax = _axes(ax)
    image = ax.imshow(values, aspect="auto", cmap=cmap, vmin=0.0, vmax=1.0, interpolation="nearest")
    for i, j in zip(*np.nonzero(projected)):
        ax.add_patch(Rectangle((j - 0.5, i - 0.5), 1, 1, fill=False, hatch="///", edgecolor="grey", linewidth=0))
    ax.set_xticks(range(values.shape[1]))
    ax.set_xticklabels([str(c) for c in m.share.columns])
    ax.set_yticks(range(values.shape[0]))
    ax.set_yticklabels([str(c) for c in m.share.index])
    ax.set_xlabel("periods since acquisition (hatched: projected)")
    ax.set_ylabel("cohort")
    if annotate and values.size <= 600:
        for (i, j), v in np.ndenumerate(values):
            ax.text(
                j, i, f"{v:.0%}", ha="center", va="center", fontsize=7,
                style="italic" if projected[i, j] else "normal", color="white" if v > 0.6 else "black",
            )
    ax.figure.colorbar(image, ax=ax, label="share active")
    if title:
        ax.set_title(title)
    return ax
