"""cohort_retention through the Python door.

Hand-computed values on the four-customer shop of the core's tests
(retention-core/tests/cohort_retention.rs), and, marked ``reference``, the
breakdown, bracket and rolling counts against a plain pandas implementation
on the sample shop.
"""

import pandas as pd
import pytest

import retention

AS_OF = "2024-04-15"


@pytest.fixture(scope="module")
def shop():
    frame = pd.DataFrame(
        {
            "customer_id": [1, 1, 1, 1, 2, 2, 3, 3, 3, 4],
            "timestamp": [
                "2023-12-20T12:00:00Z", "2024-01-05T12:00:00Z", "2024-02-03T12:00:00Z", "2024-03-10T12:00:00Z",
                "2024-01-09T12:00:00Z", "2024-01-20T12:00:00Z", "2024-02-02T12:00:00Z", "2024-02-20T12:00:00Z",
                "2024-03-01T12:00:00Z", "2024-01-01T12:00:00Z",
            ],
            "event": ["signup", "order", "order", "order", "order", "refund", "order", "order", "order", "session"],
            "amount": [None, 20.0, 15.0, 5.0, 10.0, 4.0, 30.0, 10.0, 6.0, None],
            "channel": [None, "web", "app", "web", "app", None, "web", "web", "app", None],
        }
    )
    log = retention.EventLog.from_frame(frame).with_event_properties(frame[["channel"]])
    countries = pd.DataFrame({"customer_id": [1, 2, 3], "country": ["DE", "FR", "DE"]})
    return log.with_customer_properties(countries)


def _row(result, cohort, breakdown=None):
    cells = result["cells"]
    if breakdown is None:
        pick = cells[(cells["cohort"] == cohort) & cells["total"]]
    else:
        pick = cells[(cells["cohort"] == cohort) & ~cells["total"] & (cells["breakdown"] == breakdown)]
    return [None if pd.isna(v) else float(v) for v in pick["retention"]]


def test_monthly_cohorts_means_revenue_and_intervals(shop):
    r = retention.cohort_retention(shop, AS_OF)
    assert r["columns"] == ["0", "1", "2"]
    assert r["unstarted"] == 1
    assert _row(r, "2024-01") == [1.0, 0.5, 0.5]
    assert _row(r, "2024-02") == [1.0, 1.0, None]
    cells = r["cells"]
    jan = cells[(cells["cohort"] == "2024-01") & cells["total"]]
    assert jan["revenue"].tolist() == [26.0, 15.0, 5.0]
    assert jan["revenue_retention"].iloc[1] == pytest.approx(15 / 26)
    # Wilson interval of 1 in 2 at the 95 % normal quantile.
    z, p, n = 1.959963984540054, 0.5, 2
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z / (1 + z * z / n) * (p * (1 - p) / n + z * z / (4 * n * n)) ** 0.5
    assert jan["lower"].iloc[1] == pytest.approx(centre - half)
    assert jan["upper"].iloc[1] == pytest.approx(centre + half)
    means = r["means"][r["means"]["total"]]
    assert means["simple_mean"].iloc[1] == pytest.approx(0.75)
    assert means["weighted_mean"].iloc[1] == pytest.approx(2 / 3)
    assert means["revenue_retention"].iloc[1] == pytest.approx(21 / 66)


def test_breakdowns(shop):
    r = retention.cohort_retention(shop, AS_OF, breakdown="country")
    assert _row(r, "2024-01", "DE") == [1.0, 1.0, 1.0]
    assert _row(r, "2024-01", "FR") == [1.0, 0.0, 0.0]
    r = retention.cohort_retention(shop, AS_OF, breakdown="channel", breakdown_source="first_order")
    assert _row(r, "2024-01", "app") == [1.0, 0.0, 0.0]
    assert _row(r, "2024-02", "web") == [1.0, 1.0, None]


def test_start_return_rolling_and_brackets(shop):
    r = retention.cohort_retention(shop, AS_OF, start="signup", returning="first_order", count="first_time")
    assert _row(r, "2023-12") == [0.0, 1.0, 0.0, 0.0]
    r = retention.cohort_retention(shop, AS_OF, returning="repeat_order", count="first_time")
    assert _row(r, "2024-02") == [1.0, 0.0, None]
    r = retention.cohort_retention(shop, AS_OF, rolling_days=30)
    assert _row(r, "2024-01") == [1.0, 0.0, 0.5]
    r = retention.cohort_retention(shop, AS_OF, rolling_days=1, brackets=[(1, 3), (4, 10), (11, 30)])
    assert r["columns"] == ["1-3", "4-10", "11-30"]
    assert _row(r, "2024-01") == [0.0, 0.0, 0.5]


def test_bad_input(shop):
    with pytest.raises(retention.InvalidParameterError, match="breakdown"):
        retention.cohort_retention(shop, AS_OF, breakdown="plan")
    with pytest.raises(retention.UnknownCodeError):
        retention.cohort_retention(shop, AS_OF, start="visit")  # type: ignore[arg-type]
    with pytest.raises(retention.InvalidParameterError, match="rolling_days"):
        retention.cohort_retention(shop, AS_OF, rolling_days=0)
    with pytest.raises(retention.InvalidParameterError, match="max_age"):
        retention.cohort_retention(shop, AS_OF, brackets=[(1, 3)], max_age=3)
    with pytest.raises(retention.UnknownCustomerError):
        shop.with_customer_properties(pd.DataFrame({"customer_id": [9], "plan": ["pro"]}))
    with pytest.raises(retention.InvalidRowsError):
        shop.with_customer_properties(pd.DataFrame({"customer_id": [1, 1], "plan": ["pro", "free"]}))
    with pytest.raises(retention.LengthMismatchError):
        shop.with_event_properties(pd.DataFrame({"channel": ["web"]}))
    with pytest.raises(retention.InvalidParameterError, match="customer_id"):
        shop.with_customer_properties(pd.DataFrame({"id": [1], "plan": ["pro"]}))


# ------------------------------------------------------------- reference: pandas

SAMPLE_AS_OF = pd.Timestamp("2025-01-01", tz="UTC")
LAST_COMPLETE = 2024 * 12 + 11  # December 2024


@pytest.fixture(scope="module")
def sample():
    events = retention.sample_events()
    events["channel"] = [("web", "app", "store")[i % 3] for i in range(len(events))]
    log = retention.EventLog.from_frame(events).with_event_properties(events[["channel"]])
    ids = pd.Series(sorted(events["customer_id"].unique()))
    tiers = pd.DataFrame({"customer_id": ids, "tier": (ids % 10).astype(str)})
    log = log.with_customer_properties(tiers)
    orders = events[events["event"] == "order"].copy()
    orders["month"] = orders["timestamp"].dt.year * 12 + orders["timestamp"].dt.month - 1
    # The first order: earliest instant, then earliest input row (a stable sort).
    first = orders.sort_values("timestamp", kind="stable").groupby("customer_id").head(1).set_index("customer_id")
    return log, orders, first, tiers.set_index("customer_id")["tier"]


def _label(month):
    return f"{month // 12:04d}-{month % 12 + 1:02d}"


def _pandas_monthly(orders, first, group):
    """Eligible and retained counts per (group, cohort, age): plain pandas."""
    o = orders.assign(cohort=orders["customer_id"].map(first["month"]))
    o["age"] = o["month"] - o["cohort"]
    o["group"] = o["customer_id"].map(group)
    retained = o.drop_duplicates(["customer_id", "age"]).groupby(["group", "cohort", "age"])["customer_id"].count()
    sizes = first.assign(group=group.reindex(first.index)).groupby(["group", "month"]).size()
    out = {}
    for (g, cohort), size in sizes.items():
        for age in range(LAST_COMPLETE - cohort + 1):
            out[(g, _label(cohort), age)] = (size, int(retained.get((g, cohort, age), 0)))
    return out


def _ours(result, total=False):
    """Our eligible and retained counts per (group, cohort, first age), cells with eligible members."""
    cells = result["cells"]
    cells = cells[(cells["total"] == total) & (cells["eligible"] > 0)]
    columns = [cells[k] for k in ("breakdown", "cohort", "first_age", "eligible", "retained")]
    return {(None if total else g, c, int(a)): (int(e), int(k)) for g, c, a, e, k in zip(*columns)}


@pytest.mark.reference
def test_breakdown_by_customer_property_agrees_with_pandas(sample):
    log, orders, first, tiers = sample
    r = retention.cohort_retention(log, SAMPLE_AS_OF, breakdown="tier")
    want = _pandas_monthly(orders, first, tiers)
    assert _ours(r) == want
    total = _pandas_monthly(orders, first, pd.Series(None, index=tiers.index, dtype=object).fillna("all"))
    assert _ours(r, total=True) == {(None, c, a): v for (_, c, a), v in total.items()}


@pytest.mark.reference
def test_breakdown_by_first_order_property_agrees_with_pandas(sample):
    log, orders, first, _ = sample
    r = retention.cohort_retention(log, SAMPLE_AS_OF, breakdown="channel", breakdown_source="first_order")
    assert _ours(r) == _pandas_monthly(orders, first, first["channel"])


def _pandas_rolling(orders, first, days, columns):
    """Total eligible and retained counts per (cohort, column) with windows of `days` days."""
    window = pd.Timedelta(days=days)
    t0 = orders["customer_id"].map(first["timestamp"])
    o = orders.assign(age=(orders["timestamp"] - t0) // window)
    complete = (SAMPLE_AS_OF - first["timestamp"]) // window
    cohort = first["month"].map(_label)
    out = {}
    for a, b in columns:
        eligible = complete > b
        hit = o[(o["age"] >= a) & (o["age"] <= b)]["customer_id"].unique()
        retained = eligible & first.index.isin(hit)
        frame = pd.DataFrame({"cohort": cohort, "eligible": eligible, "retained": retained})
        for c, g in frame[frame["eligible"]].groupby("cohort"):
            out[(None, c, a)] = (len(g), int(g["retained"].sum()))
    return out


@pytest.mark.reference
def test_day_brackets_agree_with_pandas(sample):
    log, orders, first, _ = sample
    brackets = [(1, 3), (4, 10), (11, 30), (31, 90)]
    r = retention.cohort_retention(log, SAMPLE_AS_OF, rolling_days=1, brackets=brackets)
    assert _ours(r, total=True) == _pandas_rolling(orders, first, 1, brackets)


@pytest.mark.reference
def test_rolling_windows_agree_with_pandas(sample):
    log, orders, first, _ = sample
    r = retention.cohort_retention(log, SAMPLE_AS_OF, rolling_days=30)
    ages = [(k, k) for k in range(len(r["columns"]))]
    assert len(ages) > 20
    assert _ours(r, total=True) == _pandas_rolling(orders, first, 30, ages)
