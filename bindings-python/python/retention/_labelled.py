"""Labelled cohorts and experiments: retention counts by label, survival
comparison, churn durations from a log.

Thin wrappers like :mod:`retention._api`: convert arguments, call the Rust
core once, convert the result to the library of the input.
"""

from __future__ import annotations

from typing import Any, Dict, Mapping, Optional, Tuple

from . import _retention, codes
from ._api import _int
from ._frames import from_arrow, micros, to_arrow_array, to_arrow_table
from ._log import EventLog, _check_log
from .errors import InvalidParameterError

__all__ = [
    "labelled_cohorts",
    "retention_counts",
    "survival_comparison",
    "churn_durations",
]

# ------------------------------------------------------ cohorts, experiments


def _label_columns(labels: Any) -> Tuple[Any, Any]:
    """(customers, labels) Arrow arrays from a mapping, a Series indexed by
    customer, or a table with ``customer_id`` and ``label`` columns."""
    import pandas as pd
    import pyarrow as pa

    if isinstance(labels, Mapping):
        if not labels:
            return pa.array([], pa.int64()), pa.array([], pa.string())
        return to_arrow_array(list(labels.keys()), "customers"), to_arrow_array(
            [None if v is None else str(v) for v in labels.values()], "labels"
        )
    if isinstance(labels, pd.Series):
        return to_arrow_array(labels.index.to_numpy(), "customers"), pa.Array.from_pandas(labels.astype("string"))
    if hasattr(labels, "columns") or hasattr(labels, "column_names") or hasattr(labels, "__arrow_c_stream__"):
        table = pa.table(to_arrow_table(labels))
        for col in ("customer_id", "label"):
            if col not in table.column_names:
                raise InvalidParameterError(
                    f"invalid parameter `labels`: no {col} column", name="labels", value=col,
                    reason="the labels table needs customer_id and label columns",
                )
        return table.column("customer_id").combine_chunks(), table.column("label").combine_chunks()
    raise TypeError(
        "`labels` must be a dict {customer: label}, a Series indexed by customer, "
        f"or a table with customer_id and label columns; got {type(labels).__name__}"
    )


def labelled_cohorts(
    log: EventLog,
    labels: Any,
    as_of: Any,
    *,
    period: codes.Period = "month",
    mode: codes.RetentionMode = "return_on",
    qualifying: codes.QualifyingEvents = "orders",
    revenue: codes.RevenueBasis = "net",
    max_age: Optional[int] = None,
) -> Dict[str, Any]:
    """Cohort matrices (like :func:`cohort_matrix`) with caller-given cohorts.

    Each customer's ages count from the period of their own first order;
    labelled customers without an order are left out.

    Parameters
    ----------
    log : EventLog
        The events.
    labels : dict, pandas.Series or table
        Each customer's group: ``{customer: label}``, a Series of labels
        indexed by customer, or a table with ``customer_id`` and ``label``
        columns.
    as_of : str or datetime-like
        The instant (ISO 8601 text such as ``"2025-01-01"``, ``datetime``
        with naive = UTC, ``date``, ``numpy.datetime64`` or
        ``pandas.Timestamp``).
    period : {"day", "week", "month", "quarter", "year"}, default "month"
        Calendar period of the ages (vocabulary ``"period"``).
    mode : {"return_on", "return_on_or_after"}, default "return_on"
        Retention mode (vocabulary ``"retention_mode"``).
    qualifying : {"orders", "any_activity"}, default "orders"
        Which events count as a return (vocabulary ``"qualifying_events"``).
    revenue : {"net", "gross"}, default "net"
        Revenue basis (vocabulary ``"revenue_basis"``).
    max_age : int, optional
        Highest age column; ``None`` (default) keeps every age.

    Returns
    -------
    dict
        ``"retention"``, ``"churn"``, ``"revenue"`` and ``"ltv"``, each a
        DataFrame with one row per label (``cohort``, ``period_start``,
        ``size``) and one column per age ``"0"``, ``"1"``….

    Raises
    ------
    UnknownCodeError
        If ``period``, ``mode``, ``qualifying`` or ``revenue`` is not one of
        its codes; ``accepted`` lists them.
    InvalidParameterError
        If a labels table lacks ``customer_id`` or ``label``.

    Examples
    --------
    >>> import retention
    >>> log = retention.EventLog.sample(seed=42, customers=200)
    >>> labels = {c: "treatment" if c % 2 else "control" for c in range(1, 201)}
    >>> matrices = retention.labelled_cohorts(log, labels, "2025-01-01")
    >>> matrices["retention"]["cohort"].tolist(), matrices["retention"]["size"].tolist()
    (['control', 'treatment'], [77, 84])
    """
    lg = _check_log(log)
    ids, labs = _label_columns(labels)
    parts = _retention.labelled_cohorts(
        lg._log, ids, labs, micros(as_of, "as_of"), period=period, mode=mode, qualifying=qualifying,
        revenue=revenue, max_age=None if max_age is None else _int(max_age, "max_age"),
    )
    return {name: from_arrow(t, lg.library) for name, t in parts}


def retention_counts(
    log: EventLog,
    labels: Any,
    as_of: Any,
    *,
    window_start: Any,
    window_days: int,
    treatment: str = "treatment",
    control: str = "control",
) -> Dict[str, Any]:
    """Customers of each group with an order in ``[window_start, window_start + window_days)``.

    Feed the counts to :func:`two_proportion_z_test`.

    Parameters
    ----------
    log : EventLog
        The events.
    labels : dict, pandas.Series or table
        Each customer's group: ``{customer: label}``, a Series of labels
        indexed by customer, or a table with ``customer_id`` and ``label``
        columns.
    as_of : str or datetime-like
        The instant of the data (ISO 8601 text such as ``"2025-01-01"``,
        ``datetime`` with naive = UTC, ``date``, ``numpy.datetime64`` or
        ``pandas.Timestamp``).
    window_start : str or datetime-like
        Start of the retention window (keyword only).
    window_days : int
        Length of the window in days (keyword only).
    treatment : str, default "treatment"
        Label of the treatment group.
    control : str, default "control"
        Label of the control group.

    Returns
    -------
    dict
        ``treatment_retained``, ``treatment_total``, ``control_retained``,
        ``control_total``, ``treatment_rate`` and ``control_rate`` (``None``
        for an empty group).

    Examples
    --------
    >>> import retention
    >>> log = retention.EventLog.sample(seed=42, customers=200)
    >>> labels = {c: "treatment" if c % 2 else "control" for c in range(1, 201)}
    >>> counts = retention.retention_counts(log, labels, "2025-01-01", window_start="2024-07-01", window_days=90)
    >>> counts["treatment_retained"], counts["control_retained"]
    (29, 23)
    >>> test = retention.two_proportion_z_test(counts["treatment_retained"], counts["treatment_total"],
    ...                                        counts["control_retained"], counts["control_total"])
    >>> round(test["difference"], 2)
    0.06
    """
    lg = _check_log(log)
    ids, labs = _label_columns(labels)
    return _retention.retention_counts(
        lg._log, ids, labs, micros(as_of, "as_of"), window_start=micros(window_start, "window_start"),
        window_days=_int(window_days, "window_days"), treatment=str(treatment), control=str(control),
    )


def survival_comparison(
    log: EventLog,
    labels: Any,
    as_of: Any,
    *,
    treatment: str = "treatment",
    control: str = "control",
    basis: codes.ActivityBasis = "orders",
    inactive_days: Optional[int] = None,
) -> Dict[str, Any]:
    """Log-rank test of the two groups' time to churn (see :func:`churn_durations`).

    Parameters
    ----------
    log : EventLog
        The events.
    labels : dict, pandas.Series or table
        Each customer's group: ``{customer: label}``, a Series of labels
        indexed by customer, or a table with ``customer_id`` and ``label``
        columns.
    as_of : str or datetime-like
        The instant (ISO 8601 text such as ``"2025-01-01"``, ``datetime``
        with naive = UTC, ``date``, ``numpy.datetime64`` or
        ``pandas.Timestamp``).
    treatment : str, default "treatment"
        Label of the treatment group.
    control : str, default "control"
        Label of the control group.
    basis : {"orders", "subscriptions"}, default "orders"
        Churn definition (vocabulary ``"activity_basis"``), as in
        :func:`churn_durations`.
    inactive_days : int, optional
        Days without an order that mean churn (orders basis only); ``None``
        (default) means 90.

    Returns
    -------
    dict
        The keys of :func:`logrank_test`: ``test_statistic``,
        ``degrees_of_freedom``, ``p_value``, ``observed`` and ``expected``
        (treatment first).

    Raises
    ------
    UnknownCodeError
        If ``basis`` is not one of its codes; ``accepted`` lists them.
    InvalidParameterError
        If ``inactive_days`` is given with ``basis="subscriptions"``.

    Examples
    --------
    >>> import retention
    >>> log = retention.EventLog.sample(seed=42, customers=200)
    >>> labels = {c: "treatment" if c % 2 else "control" for c in range(1, 201)}
    >>> test = retention.survival_comparison(log, labels, "2025-01-01")
    >>> round(test["p_value"], 4), test["observed"]
    (0.7866, [53.0, 47.0])
    """
    lg = _check_log(log)
    ids, labs = _label_columns(labels)
    return _retention.survival_comparison(
        lg._log, ids, labs, micros(as_of, "as_of"), treatment=str(treatment), control=str(control), basis=basis,
        inactive_days=None if inactive_days is None else _int(inactive_days, "inactive_days"),
    )


def churn_durations(log: EventLog, as_of: Any, *, basis: codes.ActivityBasis = "orders", inactive_days: Optional[int] = None) -> Any:
    """Days from the start of each customer's life to churn or to ``as_of``: the input of :func:`kaplan_meier`.

    ``basis="orders"``: churned after more than ``inactive_days`` without an
    order, at the last order; censored at ``as_of`` otherwise.
    ``basis="subscriptions"``: churned when MRR fell to 0.

    Parameters
    ----------
    log : EventLog
        The events.
    as_of : str or datetime-like
        The instant (ISO 8601 text such as ``"2025-01-01"``, ``datetime``
        with naive = UTC, ``date``, ``numpy.datetime64`` or
        ``pandas.Timestamp``).
    basis : {"orders", "subscriptions"}, default "orders"
        Churn definition (vocabulary ``"activity_basis"``).
    inactive_days : int, optional
        Days without an order that mean churn; ``None`` (default) means 90.
        Does not apply to ``"subscriptions"`` (raises there).

    Returns
    -------
    DataFrame
        Columns ``customer_id``, ``duration`` (days) and ``churned`` (bool;
        ``False`` = censored).

    Raises
    ------
    UnknownCodeError
        If ``basis`` is not one of its codes; ``accepted`` lists them.
    InvalidParameterError
        If ``inactive_days`` is given with ``basis="subscriptions"``.

    Examples
    --------
    >>> import retention
    >>> log = retention.EventLog.sample(seed=42, customers=200)
    >>> durations = retention.churn_durations(log, "2025-01-01")
    >>> len(durations), int(durations["churned"].sum())
    (161, 100)
    >>> table, median, ci = retention.kaplan_meier(durations["duration"], durations["churned"])
    >>> list(table.columns[:2])
    ['timeline', 'survival']
    """
    lg = _check_log(log)
    days = None if inactive_days is None else _int(inactive_days, "inactive_days")
    return from_arrow(
        _retention.churn_durations(lg._log, micros(as_of, "as_of"), basis=basis, inactive_days=days),
        lg.library,
    )
