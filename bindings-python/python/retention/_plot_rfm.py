"""RFM charts as the R ``rfm`` package draws them (re-exported by :mod:`retention.plot`).

The input is the frame of :func:`retention.rfm` (pandas, polars or pyarrow).
The scores and segments come from the core; these functions only count and
average them for drawing, as R's ``rfm_heatmap``, ``rfm_bar_chart`` and
``rfm_plot_segment_summary`` / ``rfm_plot_median_*`` do (Hanley, *rfm*:
Recency, Frequency and Monetary Value Analysis, R package). Customers without
orders (segment ``"Prospects"``, null scores) are left out of the heatmap and
the histograms and counted in the segment summary.
"""

from __future__ import annotations

from typing import Any, Optional, Sequence

import numpy as np

from .plot import _axes, _pandas, _pyplot

__all__ = ["rfm_heatmap", "rfm_score_histograms", "rfm_segment_summary"]

_SCORES = ("r", "f", "m")
_SUMMARY = ("customers", "recency_days", "frequency", "monetary")


def _scored(rfm: Any) -> Any:
    df = _pandas(rfm)
    for col in (*_SCORES, "recency_days", "frequency", "monetary", "segment"):
        if col not in df.columns:
            raise ValueError(f"the RFM frame has no `{col}` column (use retention.rfm(...))")
    return df


def rfm_heatmap(
    rfm: Any,
    *,
    ax: Any = None,
    value: str = "monetary",
    cmap: str = "Blues",
    annotate: bool = True,
    title: Optional[str] = "RFM heat map",
) -> Any:
    """Heat map of the mean ``value`` per recency score x frequency score.

    As R's ``rfm_heatmap``: frequency score on the x axis, recency score on
    the y axis (1 at the bottom), each cell coloured by the mean monetary
    value of its customers. Cells without customers are blank (NaN).

    Parameters
    ----------
    rfm : DataFrame
        The frame of :func:`retention.rfm`.
    ax : matplotlib Axes, optional
        Where to draw; a new figure's axes when omitted.
    value : {"monetary", "frequency", "recency_days"}, default "monetary"
        The column averaged in each cell.
    cmap : str, default "Blues"
        Matplotlib colour map.
    annotate : bool, default True
        Write each cell's mean in it.
    title : str or None
        Axes title.

    Returns
    -------
    matplotlib.axes.Axes
        ``ax.images[0].get_array()[i, j]`` is the mean for recency score
        ``i + 1`` and frequency score ``j + 1``.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import retention
    >>> from retention import plot
    >>> scores = retention.rfm(retention.EventLog.sample(seed=42, customers=300), "2025-01-01")
    >>> ax = plot.rfm_heatmap(scores)
    >>> ax.images[0].get_array().shape
    (5, 5)
    """
    df = _scored(rfm)
    if value not in ("monetary", "frequency", "recency_days"):
        raise ValueError(f"value must be 'monetary', 'frequency' or 'recency_days', not {value!r}")
    df = df.dropna(subset=list(_SCORES))
    k = int(max(df["r"].max(), df["f"].max())) if len(df) else 1
    means = df.groupby(["r", "f"])[value].mean()
    grid = np.full((k, k), np.nan)
    for (r, f), v in means.items():
        grid[int(r) - 1, int(f) - 1] = v
    ax = _axes(ax)
    image = ax.imshow(
        grid, origin="lower", cmap=cmap, aspect="auto", extent=(0.5, k + 0.5, 0.5, k + 0.5)
    )
    if annotate:
        top = np.nanmax(grid) if np.isfinite(grid).any() else 0.0
        for i in range(k):
            for j in range(k):
                if np.isfinite(grid[i, j]):
                    color = "white" if grid[i, j] > 0.6 * top else "black"
                    ax.text(j + 1, i + 1, f"{grid[i, j]:.0f}", ha="center", va="center", fontsize=8, color=color)
    ax.set_xticks(range(1, k + 1))
    ax.set_yticks(range(1, k + 1))
    ax.set_xlabel("frequency score")
    ax.set_ylabel("recency score")
    ax.figure.colorbar(image, ax=ax, label=f"mean {value}")
    if title:
        ax.set_title(title)
    return ax


def rfm_score_histograms(
    rfm: Any, *, axes: Optional[Sequence[Any]] = None, color: str = "#3b75af"
) -> Any:
    """Customers per recency, frequency and monetary score, one bar chart each.

    As R's ``rfm_bar_chart`` / ``rfm_histograms`` on the scores: with
    rank-first quantile bins every score holds about the same number of
    customers, so an uneven histogram points at fixed thresholds worth a look.

    Parameters
    ----------
    rfm : DataFrame
        The frame of :func:`retention.rfm`.
    axes : sequence of three matplotlib Axes, optional
        Where to draw R, F and M; a new 1 x 3 figure when omitted.
    color : str
        Bar colour.

    Returns
    -------
    numpy.ndarray of matplotlib.axes.Axes
        The three Axes (R, F, M); bar ``i`` of each is score ``i + 1``.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import retention
    >>> from retention import plot
    >>> scores = retention.rfm(retention.EventLog.sample(seed=42, customers=300), "2025-01-01")
    >>> axes = plot.rfm_score_histograms(scores)
    >>> [len(ax.patches) for ax in axes]
    [5, 5, 5]
    """
    df = _scored(rfm).dropna(subset=list(_SCORES))
    k = int(df[list(_SCORES)].max().max()) if len(df) else 1
    if axes is None:
        _, axes = _pyplot().subplots(1, 3, figsize=(10, 3.2), sharey=True)
    drawn = np.asarray(axes, dtype=object).ravel()
    if len(drawn) != 3:
        raise ValueError(f"axes must hold three Axes (R, F, M), got {len(drawn)}")
    for ax, col, name in zip(drawn, _SCORES, ("recency", "frequency", "monetary")):
        counts = df[col].astype(int).value_counts().reindex(range(1, k + 1), fill_value=0)
        ax.bar(counts.index, counts.to_numpy(), color=color)
        ax.set_xticks(range(1, k + 1))
        ax.set_xlabel(f"{name} score")
        ax.set_title(name.capitalize())
    drawn[0].set_ylabel("customers")
    return drawn


def rfm_segment_summary(
    rfm: Any,
    *,
    metric: str = "customers",
    ax: Any = None,
    title: Optional[str] = None,
) -> Any:
    """Bar chart per segment: customers, or the median recency, frequency or
    monetary value (R's ``rfm_plot_segment_summary`` and
    ``rfm_plot_median_recency`` / ``_frequency`` / ``_monetary``).

    Parameters
    ----------
    rfm : DataFrame
        The frame of :func:`retention.rfm`.
    metric : {"customers", "recency_days", "frequency", "monetary"}
        Customers per segment, or the median of that column per segment
        (segments without orders have no median and are left out).
    ax : matplotlib Axes, optional
        Where to draw; a new figure's axes when omitted.
    title : str or None
        Axes title (a default naming the metric when ``None``).

    Returns
    -------
    matplotlib.axes.Axes
        Horizontal bars, largest on top; ``ax.get_yticklabels()`` name the
        segments.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import retention
    >>> from retention import plot
    >>> scores = retention.rfm(retention.EventLog.sample(seed=42, customers=300), "2025-01-01")
    >>> ax = plot.rfm_segment_summary(scores, metric="monetary")
    >>> ax.get_xlabel()
    'median monetary'
    """
    df = _scored(rfm)
    if metric not in _SUMMARY:
        raise ValueError(f"metric must be one of {', '.join(_SUMMARY)}, not {metric!r}")
    if metric == "customers":
        values = df["segment"].value_counts()
        label = "customers"
    else:
        values = df.groupby("segment")[metric].median().dropna()
        label = f"median {metric}"
    values = values.sort_values()
    ax = _axes(ax)
    ax.barh([str(s) for s in values.index], values.to_numpy(dtype=float))
    for y, v in enumerate(values.to_numpy(dtype=float)):
        ax.text(v, y, f" {v:,.0f}" if metric == "customers" else f" {v:,.1f}", va="center", fontsize=8)
    ax.set_xlabel(label)
    ax.set_title(title if title is not None else f"RFM segments: {label}")
    return ax
