"""``lifetimes.plotting`` names, drawing numbers computed by the Rust core.

Each function takes lifetimes' arguments and returns the matplotlib Axes it
drew on; matplotlib is imported when a function is called (``pip install
retention[plot]``). The numbers come from the core's evaluation module
(:mod:`retention.evaluation`) and the model's predictions.

Differences from lifetimes, on purpose:

* :func:`plot_period_transactions` draws the model's *expected* number of
  customers per frequency (``sum_i P(X(T_i) = n)``, exact) rather than one
  simulated data set; and frequencies with no customer get a bar of 0;
* :func:`plot_dropout_rate_heterogeneity` of a Pareto/NBD model draws the
  gamma density of the dropout rate (lifetimes raises);
* :func:`plot_frequency_recency_matrix` evaluates the frequency-0 column at
  recency 0 (the only possible history), as
  ``conditional_probability_alive_matrix`` does;
* :func:`plot_expected_repeat_purchases` works with current matplotlib
  (lifetimes reads a colour cycler that matplotlib 3.8 removed).

Examples
--------
>>> import matplotlib
>>> matplotlib.use("Agg")
>>> from retention.compat.lifetimes import BetaGeoFitter
>>> from retention.compat.lifetimes.plotting import plot_transaction_rate_heterogeneity
>>> bgf = BetaGeoFitter().fit([2, 1, 0, 0, 3], [30.4, 1.7, 0, 0, 20.0], [38.9, 38.9, 38.9, 38.9, 38.9])
>>> ax = plot_transaction_rate_heterogeneity(bgf)
>>> len(ax.get_lines()[0].get_xdata())
100
"""

from __future__ import annotations

from typing import Any, Optional

import numpy as np
import pandas as pd
import pyarrow as pa

from ... import _retention, codes

__all__ = [
    "plot_period_transactions",
    "plot_calibration_purchases_vs_holdout_purchases",
    "plot_frequency_recency_matrix",
    "plot_probability_alive_matrix",
    "plot_expected_repeat_purchases",
    "plot_history_alive",
    "plot_cumulative_transactions",
    "plot_incremental_transactions",
    "plot_transaction_rate_heterogeneity",
    "plot_dropout_rate_heterogeneity",
]

# lifetimes draws 100 points of each density and of each expected-purchases curve.
_POINTS = 100


def _plt() -> Any:
    from ...plot import _pyplot

    return _pyplot()


def _model(model: Any) -> Any:
    from . import _transaction_model

    return _transaction_model(model)


def _data(model: Any) -> pd.DataFrame:
    data = getattr(model, "data", None)
    if data is None:
        raise ValueError("Model has not been fit yet. Please call the .fit method first.")
    return data


def _frame(table: Any) -> pd.DataFrame:
    return pa.table(table).to_pandas()


def plot_period_transactions(
    model: Any,
    max_frequency: int = 7,
    title: str = "Frequency of Repeat Transactions",
    xlabel: str = "Number of Calibration Period Transactions",
    ylabel: str = "Customers",
    **kwargs: Any,
) -> Any:
    """Bars of the observed and the model's expected customers by
    calibration frequency ``0 .. max_frequency - 1``."""
    plt = _plt()
    labels = kwargs.pop("label", ["Actual", "Model"])
    data = _data(model)
    table = _frame(_retention.period_transactions(
        _model(model)._inner, pa.array(data["frequency"].to_numpy(dtype=float)),
        pa.array(data["recency"].to_numpy(dtype=float)), pa.array(data["T"].to_numpy(dtype=float)), None,
        options={"max_frequency": int(max_frequency)},
    ))
    closed = table[~table["open"]]
    counts = pd.DataFrame(
        {labels[0]: closed["actual"].to_numpy(), labels[1]: closed["expected"].to_numpy()},
        index=pd.Index(closed["frequency"].to_numpy(dtype=float), name="frequency"),
    )
    ax = counts.plot(kind="bar", **kwargs)
    plt.legend()
    plt.title(title)
    plt.ylabel(ylabel)
    plt.xlabel(xlabel)
    return ax


_X_LABELS = {
    "frequency_cal": "Purchases in calibration period",
    "recency_cal": "Age of customer at last purchase",
    "T_cal": "Age of customer at the end of calibration period",
    "time_since_last_purchase": "Time since user made last purchase",
}


def plot_calibration_purchases_vs_holdout_purchases(
    model: Any, calibration_holdout_matrix: pd.DataFrame, kind: str = "frequency_cal", n: int = 7, **kwargs: Any
) -> Any:
    """Mean holdout purchases, actual and predicted, by the first ``n``
    distinct values of ``kind`` (``frequency_cal``, ``recency_cal``,
    ``T_cal`` or ``time_since_last_purchase``)."""
    plt = _plt()
    m = calibration_holdout_matrix
    duration = float(m["duration_holdout"].iloc[0])
    x, r, age, hold = (pa.array(m[c].to_numpy(dtype=float))
                       for c in ("frequency_cal", "recency_cal", "T_cal", "frequency_holdout"))
    table = _frame(_retention.conditional_holdout_table(
        _model(model)._inner, x, r, age, hold, duration, options={"group_by": kind, "max_groups": int(n)},
    ))
    means = pd.DataFrame(
        {"frequency_holdout": table["actual_mean"].to_numpy(), "model_predictions": table["expected_mean"].to_numpy()},
        index=pd.Index(table["value"].to_numpy(), name=kind),
    )
    ax = means.plot(**kwargs)
    plt.title("Actual Purchases in Holdout Period vs Predicted Purchases")
    plt.xlabel(_X_LABELS.get(kind, kind))
    plt.ylabel("Average of Purchases in Holdout Period")
    plt.legend()
    return ax


def _heatmap(z: np.ndarray, title: str, xlabel: str, ylabel: str, **kwargs: Any) -> Any:
    plt = _plt()
    interpolation = kwargs.pop("interpolation", "none")
    ax = plt.subplot(111)
    image = ax.imshow(z, interpolation=interpolation, **kwargs)
    plt.xlabel(xlabel)
    plt.ylabel(ylabel)
    plt.title(title)
    left, right, bottom, top = image.get_extent()
    ax.set_aspect(abs((right - left) / (top - bottom)))
    plt.colorbar(image, ax=ax)
    return ax


def _grid(model: Any, max_frequency: Optional[int], max_recency: Optional[int]) -> Any:
    data = _data(model)
    fmax = int(data["frequency"].max()) if max_frequency is None else int(max_frequency)
    rmax = int(data["T"].max()) if max_recency is None else int(max_recency)
    rec, freq = np.meshgrid(np.arange(rmax + 1, dtype=float), np.arange(fmax + 1, dtype=float), indexing="ij")
    # Frequency 0 is only possible at recency 0.
    rec = np.where(freq == 0, 0.0, rec)
    return fmax, rmax, freq, rec


def plot_frequency_recency_matrix(
    model: Any,
    T: float = 1,
    max_frequency: Optional[int] = None,
    max_recency: Optional[int] = None,
    title: Optional[str] = None,
    xlabel: str = "Customer's Historical Frequency",
    ylabel: str = "Customer's Recency",
    **kwargs: Any,
) -> Any:
    """Heat map of the expected purchases in the next ``T`` by frequency
    (columns) and recency (rows), for customers of age ``max_recency``."""
    fmax, rmax, freq, rec = _grid(model, max_frequency, max_recency)
    z = _model(model).conditional_expected_purchases(
        float(T), freq.ravel(), rec.ravel(), np.full(freq.size, float(rmax))
    ).reshape(rmax + 1, fmax + 1)
    if title is None:
        title = (
            "Expected Number of Future Purchases for {} Unit{} of Time,".format(T, "s"[T == 1:])
            + "\nby Frequency and Recency of a Customer"
        )
    return _heatmap(z, title, xlabel, ylabel, **kwargs)


def plot_probability_alive_matrix(
    model: Any,
    max_frequency: Optional[int] = None,
    max_recency: Optional[int] = None,
    title: str = "Probability Customer is Alive,\nby Frequency and Recency of a Customer",
    xlabel: str = "Customer's Historical Frequency",
    ylabel: str = "Customer's Recency",
    **kwargs: Any,
) -> Any:
    """Heat map of P(alive) by frequency (columns) and recency (rows), for
    customers of age ``max_recency``."""
    fmax, rmax, freq, rec = _grid(model, max_frequency, max_recency)
    z = _model(model).probability_alive_matrix(fmax, rmax)
    return _heatmap(z, title, xlabel, ylabel, **kwargs)


def plot_expected_repeat_purchases(
    model: Any,
    title: str = "Expected Number of Repeat Purchases per Customer",
    xlabel: str = "Time Since First Purchase",
    ax: Any = None,
    label: Optional[str] = None,
    **kwargs: Any,
) -> Any:
    """The expected repeat purchases of a new customer up to the longest
    observed age (solid) and on to 1.5 times it (dashed)."""
    plt = _plt()
    if ax is None:
        ax = plt.subplot(111)
    color = kwargs.pop("c", None) or kwargs.pop("color", None) or ax._get_lines.get_next_color()
    top = float(_data(model)["T"].max())
    core = _model(model)
    times = np.linspace(0, top, _POINTS)
    ax.plot(times, core.expected_purchases(times), color=color, label=label, **kwargs)
    times = np.linspace(top, 1.5 * top, _POINTS)
    ax.plot(times, core.expected_purchases(times), color=color, ls="--", **kwargs)
    plt.title(title)
    plt.xlabel(xlabel)
    plt.legend(loc="lower right")
    return ax


def plot_history_alive(
    model: Any,
    t: int,
    transactions: pd.DataFrame,
    datetime_col: str,
    freq: str = "D",
    start_date: Any = None,
    ax: Any = None,
    **kwargs: Any,
) -> Any:
    """P(alive) of one customer over time (from
    :func:`~retention.compat.lifetimes.utils.calculate_alive_path`), with
    dashed lines at the periods with purchases."""
    from .utils import calculate_alive_path

    plt = _plt()
    if start_date is None:
        start_date = min(transactions[datetime_col])
    if ax is None:
        ax = plt.subplot(111)
    history = pd.DataFrame({"transactions": 1}, index=pd.DatetimeIndex(transactions[datetime_col]))
    history = history.resample(freq).sum()
    path = calculate_alive_path(model, transactions, datetime_col, t, freq)
    dates = pd.date_range(start=min(transactions[datetime_col]), periods=len(path), freq=freq)
    plt.plot(dates, path, "-", label="P_alive")
    purchases = history[history["transactions"] >= 1].index
    plt.vlines(purchases.values, ymin=0, ymax=1, colors="r", linestyles="dashed", label="purchases")
    plt.ylim(0, 1.0)
    plt.yticks(np.arange(0, 1.1, 0.1))
    plt.xlim(start_date, dates[-1])
    plt.legend(loc=3)
    plt.ylabel("P_alive")
    plt.title("History of P_alive")
    return ax


def _tracking_plot(
    columns: Any, model: Any, transactions: pd.DataFrame, datetime_col: str, customer_id_col: str, t: int,
    t_cal: float, datetime_format: Optional[str], freq: str, set_index_date: bool, title: str, xlabel: str,
    ylabel: str, ax: Any, kwargs: Any,
) -> Any:
    from .utils import _tracking

    if ax is None:
        ax = _plt().subplot(111)
    rows, index = _tracking(model, transactions, datetime_col, customer_id_col, t, datetime_format, freq, 1,
                            set_index_date)
    df = pd.DataFrame({name: rows.column(col).to_numpy() for name, col in columns}, index=index)
    if columns[0][1].endswith("incremental"):
        # lifetimes differences the cumulative series: nothing before the first row.
        df.iloc[0] = np.nan
    ax = df.plot(ax=ax, title=title, **kwargs)
    if set_index_date:
        x_vline = df.index[int(t_cal)]
        xlabel = "date"
    else:
        x_vline = t_cal
    ax.axvline(x=x_vline, color="r", linestyle="--")
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    return ax


def plot_cumulative_transactions(
    model: Any,
    transactions: pd.DataFrame,
    datetime_col: str,
    customer_id_col: str,
    t: int,
    t_cal: float,
    datetime_format: Optional[str] = None,
    freq: str = "D",
    set_index_date: bool = False,
    title: str = "Tracking Cumulative Transactions",
    xlabel: str = "day",
    ylabel: str = "Cumulative Transactions",
    ax: Any = None,
    **kwargs: Any,
) -> Any:
    """Actual and predicted cumulative repeat transactions per period, with a
    dashed line at ``t_cal`` (the end of calibration)."""
    return _tracking_plot(
        [("actual", "actual_cumulative"), ("predicted", "expected_cumulative")], model, transactions,
        datetime_col, customer_id_col, t, t_cal, datetime_format, freq, set_index_date, title, xlabel, ylabel,
        ax, kwargs,
    )


def plot_incremental_transactions(
    model: Any,
    transactions: pd.DataFrame,
    datetime_col: str,
    customer_id_col: str,
    t: int,
    t_cal: float,
    datetime_format: Optional[str] = None,
    freq: str = "D",
    set_index_date: bool = False,
    title: str = "Tracking Daily Transactions",
    xlabel: str = "day",
    ylabel: str = "Transactions",
    ax: Any = None,
    **kwargs: Any,
) -> Any:
    """Actual and predicted repeat transactions in each period (the first
    period left empty, as in lifetimes), with a dashed line at ``t_cal``."""
    return _tracking_plot(
        [("actual", "actual_incremental"), ("predicted", "expected_incremental")], model, transactions,
        datetime_col, customer_id_col, t, t_cal, datetime_format, freq, set_index_date, title, xlabel, ylabel,
        ax, kwargs,
    )


def _heterogeneity(model: Any, process: "codes.MixingProcess", suptitle: str, xlabel: str, ylabel: str, suptitle_fontsize: float,
                   kwargs: Any) -> Any:
    plt = _plt()
    h = _retention.heterogeneity(_model(model)._inner, process, _POINTS)
    fig, ax = plt.subplots(1)
    fig.suptitle(suptitle, fontsize=suptitle_fontsize, fontweight="bold")
    ax.set_title("mean: {:.3f}, var: {:.3f}".format(h["mean"], h["variance"]))
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    fig.tight_layout(rect=[0, 0.03, 1, 0.95])
    # The core leaves out the density where it is infinite; lifetimes draws inf.
    density = np.array([np.inf if d is None else d for d in h["density"]], dtype=float)
    plt.plot(np.asarray(h["x"], dtype=float), density, **kwargs)
    return ax


def plot_transaction_rate_heterogeneity(
    model: Any,
    suptitle: str = "Heterogeneity in Transaction Rate",
    xlabel: str = "Transaction Rate",
    ylabel: str = "Density",
    suptitle_fontsize: float = 14,
    **kwargs: Any,
) -> Any:
    """Density of the purchase rate, Gamma(r, alpha), up to its 99th percentile."""
    return _heterogeneity(model, "purchase", suptitle, xlabel, ylabel, suptitle_fontsize, kwargs)


def plot_dropout_rate_heterogeneity(
    model: Any,
    suptitle: str = "Heterogeneity in Dropout Probability",
    xlabel: str = "Dropout Probability p",
    ylabel: str = "Density",
    suptitle_fontsize: float = 14,
    **kwargs: Any,
) -> Any:
    """Density of the dropout probability, Beta(a, b) (the dropout rate,
    Gamma(s, beta), for Pareto/NBD), up to its 99th percentile."""
    return _heterogeneity(model, "dropout", suptitle, xlabel, ylabel, suptitle_fontsize, kwargs)
