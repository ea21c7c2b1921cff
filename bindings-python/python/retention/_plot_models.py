"""Plots of fitted buy-till-you-die models (matplotlib, imported lazily).

Re-exported by :mod:`retention.plot`.
"""

from __future__ import annotations

from typing import Any, Optional

import numpy as np

__all__ = ["plot_probability_alive_matrix"]


def _matrix(model: Any, max_frequency: Optional[int], max_recency: Optional[int]) -> np.ndarray:
    from .compat.lifetimes import _TransactionFitter
    from .models import TransactionModel

    if isinstance(model, _TransactionFitter):
        return model.conditional_probability_alive_matrix(max_frequency, max_recency)
    if isinstance(model, TransactionModel):
        if max_frequency is None or max_recency is None:
            raise TypeError("a retention.TransactionModel keeps no data: pass max_frequency and max_recency")
        return model.probability_alive_matrix(max_frequency, max_recency)
    raise TypeError(
        "model must be a retention.TransactionModel or a fitted retention.compat.lifetimes "
        f"BetaGeoFitter / ModifiedBetaGeoFitter / ParetoNBDFitter, got {type(model).__name__}"
    )


def plot_probability_alive_matrix(
    model: Any, max_frequency: Optional[int] = None, max_recency: Optional[int] = None, ax: Any = None, **kwargs: Any
) -> Any:
    """Heat map of P(alive) by historical frequency (x) and recency (y) for
    customers whose age equals ``max_recency`` (lifetimes' plot of the same
    name). Returns the matplotlib ``Axes``; extra keyword arguments go to
    ``imshow``."""
    import matplotlib.pyplot as plt

    z = _matrix(model, max_frequency, max_recency)
    if ax is None:
        ax = plt.gca()
    options = dict(interpolation="none", aspect="auto", origin="upper", cmap="viridis", vmin=0.0, vmax=1.0)
    options.update(kwargs)
    image = ax.imshow(z, **options)
    ax.figure.colorbar(image, ax=ax, label="P(alive)")
    ax.set_title("Probability customer is alive,\nby frequency and recency")
    ax.set_xlabel("Customer's historical frequency")
    ax.set_ylabel("Customer's recency")
    return ax
