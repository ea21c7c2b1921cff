"""Loyalty, the supervised churn model, value tiers and rule segments, series
metrics, referral and engagement, labelled cohorts and experiments, survival
input from a log.

Thin wrappers like :mod:`retention._api`: convert arguments, call the Rust
core once, convert the result to the library of the input.
"""

from __future__ import annotations

import dataclasses
from typing import Any, Dict, List, Mapping, Optional, Sequence, Tuple, Union

import numpy as np

from . import _retention, codes
from ._api import _float, _int, _library
from ._frames import from_arrow, micros, to_arrow_array, to_arrow_table, to_datetime
from ._log import EventLog, _check_log, _check_summaries
from .errors import InvalidParameterError

__all__ = [
    "LoyaltyConfig",
    "points_ledger",
    "points_balances",
    "redeem_points",
    "tier_status",
    "tier_for_value",
    "tier_history",
    "CHURN_FEATURES",
    "churn_features",
    "churn_labels",
    "LogisticModel",
    "evaluate",
    "traffic_light",
    "historic_value_tiers",
    "value_tiers",
    "rule_segments",
    "period_activity_series",
    "period_over_period_retention",
    "period_over_period_retention_series",
    "referral_stats",
    "engagement",
    "labelled_cohorts",
    "retention_counts",
    "survival_comparison",
    "churn_durations",
]


def _ts_fields(d: Dict[str, Any], *keys: str) -> Dict[str, Any]:
    for k in keys:
        if k in d:
            d[k] = to_datetime(d[k])
    return d


def _customer(value: Any) -> Union[int, str]:
    if isinstance(value, (bool, float)) or not isinstance(value, (int, str, np.integer)):
        raise TypeError(f"`customer` must be an int or a str, got {type(value).__name__}")
    return int(value) if isinstance(value, np.integer) else value


# ---------------------------------------------------------------- loyalty


_LOYALTY: Dict[str, Any] = _retention.defaults()["loyalty"]


@dataclasses.dataclass(frozen=True)
class LoyaltyConfig:
    """Rules of the loyalty programme (see ``retention_core::loyalty``).

    ``tiers`` are ``(name, threshold, multiplier)`` in increasing threshold
    order, the first threshold 0; ``tier_basis`` is ``"trailing_spend"``
    (trailing ``spend_window_days`` net spend) or ``"points_balance"``;
    ``expiry_days=None`` means points never expire. The defaults are the
    core's (``retention.defaults()["loyalty"]``).
    """

    points_per_unit: float = _LOYALTY["points_per_unit"]
    welcome_points: float = _LOYALTY["welcome_points"]
    referral_bonus: float = _LOYALTY["referral_bonus"]
    expiry_days: Optional[int] = _LOYALTY["expiry_days"]
    tier_basis: codes.TierBasis = _LOYALTY["tier_basis"]
    spend_window_days: int = _LOYALTY["spend_window_days"]
    tiers: Tuple[Tuple[str, float, float], ...] = tuple(
        (t["name"], t["threshold"], t["multiplier"]) for t in _LOYALTY["tiers"]
    )

    def to_dict(self) -> Dict[str, Any]:
        d = dataclasses.asdict(self)
        d["tiers"] = [tuple(t) for t in self.tiers]
        return d


def _config(config: Any) -> Optional[Dict[str, Any]]:
    if config is None:
        return None
    if isinstance(config, LoyaltyConfig):
        return config.to_dict()
    if isinstance(config, Mapping):
        return dict(config)
    raise TypeError(f"`config` must be a LoyaltyConfig or a dict, got {type(config).__name__}")


def points_ledger(log: EventLog, customer: Any, as_of: Any, *, config: Any = None) -> Tuple[Any, Dict[str, Any]]:
    """One customer's points ledger at ``as_of``: the entries (time, kind,
    points, balance, input row, tier) and the totals (balance, earned,
    redeemed, expired, next expiry)."""
    lg = _check_log(log)
    table, totals = _retention.points_ledger(lg._log, _customer(customer), micros(as_of, "as_of"), _config(config))
    return from_arrow(table, lg.library), _ts_fields(totals, "next_expiry")


def points_balances(log: EventLog, as_of: Any, *, config: Any = None) -> Any:
    """Every customer's points totals at ``as_of`` (one row per customer)."""
    lg = _check_log(log)
    return from_arrow(_retention.points_balances(lg._log, micros(as_of, "as_of"), _config(config)), lg.library)


def redeem_points(
    log: EventLog, customer: Any, points: float, *, as_of: Any, at: Any = None, config: Any = None
) -> float:
    """The balance after a proposed redemption of ``points`` at ``at`` (default
    ``as_of``); :class:`~retention.InsufficientPointsError` above the balance."""
    lg = _check_log(log)
    a = micros(as_of, "as_of")
    return _retention.redeem_points(
        lg._log, _customer(customer), a, a if at is None else micros(at, "at"), _float(points, "points"), _config(config)
    )


def tier_status(log: EventLog, customer: Any, at: Any, *, config: Any = None) -> Dict[str, Any]:
    """The customer's tier at ``at`` with progress to the next tier
    (``missing`` amount and ``progress`` fraction; ``None`` at the top)."""
    lg = _check_log(log)
    return _retention.tier_status(lg._log, _customer(customer), micros(at, "at"), _config(config))


def tier_for_value(value: float, *, config: Any = None) -> Dict[str, Any]:
    """The tier and progress that a trailing spend (or points balance) gives."""
    return _retention.tier_for_value(_float(value, "value"), _config(config))


def tier_history(log: EventLog, customer: Any, as_of: Any, *, config: Any = None) -> Any:
    """Every tier change of the customer up to ``as_of``."""
    lg = _check_log(log)
    return from_arrow(
        _retention.tier_history(lg._log, _customer(customer), micros(as_of, "as_of"), _config(config)), lg.library
    )


# ------------------------------------------------------------------ churn

CHURN_FEATURES: Tuple[str, ...] = tuple(_retention.churn_feature_names())


def churn_features(log: EventLog, cutoff: Any) -> Any:
    """Point-in-time features (only events before ``cutoff``) of every customer
    whose first order precedes the cutoff."""
    lg = _check_log(log)
    return from_arrow(_retention.churn_features(lg._log, micros(cutoff, "cutoff")), lg.library)


def _ids(customers: Any) -> Any:
    if hasattr(customers, "columns") or hasattr(customers, "column_names"):
        import pyarrow as pa

        table = pa.table(to_arrow_table(customers))
        if "customer_id" not in table.column_names:
            raise InvalidParameterError(
                "invalid parameter `customers`: no customer_id column", name="customers",
                value="customer_id", reason="no such column in the input",
            )
        return table.column("customer_id").combine_chunks()
    return to_arrow_array(customers, "customers")


def churn_labels(log: EventLog, customers: Any, cutoff: Any, horizon_days: int, observation_end: Any) -> Any:
    """``churned`` = no order in ``[cutoff, cutoff + horizon_days)`` for the
    given customers (ids, or a frame with ``customer_id`` such as the features)."""
    lg = _check_log(log)
    ids = _ids(customers)
    labels = _retention.churn_labels(
        lg._log, ids, micros(cutoff, "cutoff"), _int(horizon_days, "horizon_days"),
        micros(observation_end, "observation_end"),
    )
    import pyarrow as pa

    return from_arrow(pa.table({"customer_id": ids, "churned": pa.array(labels, pa.bool_())}), lg.library)


def _feature_columns(features: Any) -> List[Any]:
    import pyarrow as pa

    table = pa.table(to_arrow_table(features))
    missing = [n for n in CHURN_FEATURES if n not in table.column_names]
    if missing:
        raise InvalidParameterError(
            f"invalid parameter `features`: missing columns {missing}", name="features",
            value=repr(missing), reason="the features need every column of CHURN_FEATURES",
        )
    return [table.column(n).combine_chunks() for n in CHURN_FEATURES]


def _labels(labels: Any) -> Any:
    if hasattr(labels, "columns") or hasattr(labels, "column_names"):
        import pyarrow as pa

        table = pa.table(to_arrow_table(labels))
        if "churned" not in table.column_names:
            raise InvalidParameterError(
                "invalid parameter `labels`: no churned column", name="labels", value="churned",
                reason="no such column in the input",
            )
        return table.column("churned").combine_chunks()
    return to_arrow_array(labels, "labels")


class LogisticModel:
    """L2 logistic regression on standardised churn features.

    ``LogisticModel.fit(features, labels)`` takes the frame of
    :func:`churn_features` (columns :data:`CHURN_FEATURES`) and the churn
    labels (booleans, or the frame of :func:`churn_labels`);
    :meth:`predict` gives churn probabilities. Split by time: fit on one
    cutoff, evaluate on a later one.
    """

    __slots__ = ("_inner",)

    def __init__(self, inner: _retention.LogisticModel) -> None:
        if not isinstance(inner, _retention.LogisticModel):
            raise TypeError("use LogisticModel.fit(features, labels)")
        self._inner = inner

    @classmethod
    def fit(
        cls, features: Any, labels: Any, *, l2: float = 1.0, max_iterations: int = 100, tolerance: float = 1e-9
    ) -> "LogisticModel":
        return cls(
            _retention.LogisticModel.fit(
                _feature_columns(features), _labels(labels), l2=_float(l2, "l2"),
                max_iterations=_int(max_iterations, "max_iterations"), tolerance=_float(tolerance, "tolerance"),
            )
        )

    def predict(self, features: Any) -> Any:
        """Churn probabilities, one per row of ``features`` (a numpy array)."""
        return np.asarray(self._inner.predict(_feature_columns(features)), dtype=float)

    @property
    def intercept(self) -> float:
        return self._inner.intercept

    @property
    def coefficients(self) -> Dict[str, float]:
        """Weights on the standardised features, by feature name."""
        return dict(zip(CHURN_FEATURES, self._inner.weights))

    @property
    def means(self) -> List[float]:
        return self._inner.means

    @property
    def scales(self) -> List[float]:
        return self._inner.scales

    @property
    def iterations(self) -> int:
        return self._inner.iterations

    def __reduce__(self) -> Any:
        return (LogisticModel, (self._inner,))

    def __repr__(self) -> str:
        return repr(self._inner)


def evaluate(scores: Any, labels: Any) -> Dict[str, Any]:
    """ROC-AUC, PR-AUC (average precision), top-decile lift, Brier score and a
    ten-bin ``calibration`` table of churn scores against outcomes."""
    out, table = _retention.evaluate(to_arrow_array(scores, "scores"), _labels(labels))
    out["calibration"] = from_arrow(table, _library(scores))
    return out


def traffic_light(
    risk: float,
    *,
    source: codes.RiskSource = "health_score",
    reasons: Sequence[str] = (),
    open_critical: int = 0,
    open_other: int = 0,
    amber: float = 0.33,
    red: float = 0.66,
) -> Dict[str, Any]:
    """Green / amber / red for a risk in [0, 1] (from ``"health_score"``,
    ``"probability_alive"`` as ``1 − P(alive)``, or ``"supervised"``), raised
    by open tickets; with the reasons."""
    if isinstance(reasons, str):
        raise TypeError("`reasons` must be a sequence of str, not a str")
    return _retention.traffic_light(
        _float(risk, "risk"), source=source, reasons=[str(r) for r in reasons],
        open_critical=_int(open_critical, "open_critical"), open_other=_int(open_other, "open_other"),
        amber=_float(amber, "amber"), red=_float(red, "red"),
    )


# --------------------------------------------------------------- segments


def _tiers(tiers: Any) -> Optional[List[Tuple[str, float]]]:
    if tiers is None:
        return None
    if isinstance(tiers, Mapping):
        tiers = list(tiers.items())
    return [(str(n), _float(s, "tiers")) for n, s in tiers]


def historic_value_tiers(summaries: Any, *, tiers: Any = None) -> Any:
    """Customers with orders ranked by net revenue and cut at cumulative shares
    (default Top 1 %, Top 5 %, Top 20 %, Rest); ``tiers`` as ``{name: share}``."""
    s = _check_summaries(summaries)
    return from_arrow(_retention.historic_value_tiers(s._inner, _tiers(tiers)), s.library)


def value_tiers(customers: Any, values: Any, *, tiers: Any = None) -> Any:
    """Value tiers from given values (e.g. predicted CLV), one per customer."""
    table = _retention.value_tiers(
        to_arrow_array(customers, "customers"), to_arrow_array(values, "values"), _tiers(tiers)
    )
    return from_arrow(table, _library(values, customers))


def rule_segments(summaries: Any, as_of: Any, segments: Any, *, attributes: Any = None) -> Any:
    """Every matching rule segment per customer (``segments``) and the first
    in table order (``segment``, null when none matches).

    ``segments`` maps names to predicates (or is a list of ``(name,
    predicate)``). A predicate is ``(field, op, value)`` with op ``==``,
    ``!=``, ``<``, ``<=``, ``>``, ``>=`` or ``in``; ``{"and": [...]}``,
    ``{"or": [...]}``, ``{"not": p}``; or ``True``. Fields are summary fields
    (``orders``, ``net_revenue``, ``days_since_last_order``, ``open_tickets``,
    ``latest_nps``, ``mrr``…) or columns of ``attributes`` (a table with
    ``customer_id``), also reachable as ``"attribute:<name>"``.
    """
    s = _check_summaries(summaries)
    if isinstance(segments, Mapping):
        segments = list(segments.items())
    if isinstance(segments, (str, bytes)) or not isinstance(segments, (list, tuple)):
        raise TypeError("`segments` must be a dict of name → predicate or a list of (name, predicate)")
    pairs = []
    for item in segments:
        if not (isinstance(item, tuple) and len(item) == 2):
            raise TypeError(f"each segment must be a (name, predicate) pair, got {item!r}")
        pairs.append((str(item[0]), item[1]))
    attrs = None if attributes is None else to_arrow_table(attributes)
    return from_arrow(_retention.rule_segments(s._inner, micros(as_of, "as_of"), pairs, attrs), s.library)


# ---------------------------------------------------------------- metrics


def period_activity_series(
    log: EventLog, start: Any, end: Any, *, period: codes.Period = "month", window_days: int = 90, basis: codes.ActivityBasis = "orders"
) -> Any:
    """:func:`period_activity` for every period from the one containing
    ``start`` to the one containing ``end`` (one row per period)."""
    lg = _check_log(log)
    return from_arrow(
        _retention.period_activity_series(
            lg._log, micros(start, "start"), micros(end, "end"), period=period,
            window_days=_int(window_days, "window_days"), basis=basis,
        ),
        lg.library,
    )


def period_over_period_retention(log: EventLog, at: Any, *, period: codes.Period = "month") -> Dict[str, Any]:
    """Of the customers with an order in the period containing ``at``, the
    share with an order in the next period."""
    lg = _check_log(log)
    d = _retention.period_over_period_retention(lg._log, micros(at, "at"), period=period)
    return _ts_fields(d, "period_start")


def period_over_period_retention_series(log: EventLog, start: Any, end: Any, *, period: codes.Period = "month") -> Any:
    """Period-over-period retention for every period from ``start``'s to ``end``'s."""
    lg = _check_log(log)
    return from_arrow(
        _retention.period_over_period_retention_series(lg._log, micros(start, "start"), micros(end, "end"), period=period),
        lg.library,
    )


def referral_stats(log: EventLog, start: Any, end: Any) -> Dict[str, Any]:
    """Customers who ordered in ``[start, end)``, those of them who referred
    somebody, and the referral rate."""
    return _retention.referral_stats(_check_log(log)._log, micros(start, "start"), micros(end, "end"))


def engagement(log: EventLog, as_of: Any) -> Any:
    """Sessions, email opens and clicks, click-through, active days in the last
    30 and days since the last activity, per customer."""
    lg = _check_log(log)
    return from_arrow(_retention.engagement(lg._log, micros(as_of, "as_of")), lg.library)


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
    """Cohort matrices (like :func:`cohort_matrix`) with caller-given cohorts,
    e.g. ``{customer: "offer" | "control"}``."""
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
    """Customers of each group with an order in ``[window_start, window_start
    + window_days)``; feed the counts to :func:`two_proportion_z_test`."""
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
    """Log-rank test of the two groups' time to churn (see :func:`churn_durations`)."""
    lg = _check_log(log)
    ids, labs = _label_columns(labels)
    return _retention.survival_comparison(
        lg._log, ids, labs, micros(as_of, "as_of"), treatment=str(treatment), control=str(control), basis=basis,
        inactive_days=None if inactive_days is None else _int(inactive_days, "inactive_days"),
    )


def churn_durations(log: EventLog, as_of: Any, *, basis: codes.ActivityBasis = "orders", inactive_days: Optional[int] = None) -> Any:
    """Days from the start of each customer's life to churn (``churned``) or
    to ``as_of`` (censored): the input of :func:`kaplan_meier`.

    ``basis="orders"``: churned after more than ``inactive_days`` (default
    90) without an order, at the last order; ``"subscriptions"``: churned
    when MRR fell to 0 (``inactive_days`` does not apply there and raises).
    """
    lg = _check_log(log)
    days = None if inactive_days is None else _int(inactive_days, "inactive_days")
    return from_arrow(
        _retention.churn_durations(lg._log, micros(as_of, "as_of"), basis=basis, inactive_days=days),
        lg.library,
    )
