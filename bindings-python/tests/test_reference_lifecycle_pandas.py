"""Lifecycle counts per period against a plain pandas implementation on the
sample shop (seed 42), in UTC months and in America/New_York ISO weeks."""

from __future__ import annotations

import pandas as pd
import pytest

import retention

pytestmark = pytest.mark.reference


def pandas_lifecycle(orders: pd.DataFrame, freq: str, tz: str, first: pd.Period, last: pd.Period) -> pd.DataFrame:
    """PostHog's lifecycle with pandas: periods of local dates, then set logic per period."""
    local = orders["timestamp"].dt.tz_convert(tz).dt.tz_localize(None)
    active = pd.DataFrame({"c": orders["customer_id"], "p": local.dt.to_period(freq)}).drop_duplicates()
    active = active[active["p"] <= last]
    first_seen = active.groupby("c")["p"].min()
    by_period = active.groupby("p")["c"].apply(set).to_dict()
    rows = []
    for p in pd.period_range(first, last, freq=freq):
        now, before = by_period.get(p, set()), by_period.get(p - 1, set())
        new = {c for c in now if first_seen[c] == p}
        returning = now & before
        rows.append(
            {
                "new": len(new),
                "returning": len(returning),
                "resurrecting": len(now - new - returning),
                "dormant": len(before - now),
            }
        )
    return pd.DataFrame(rows)


@pytest.mark.parametrize(
    "period,freq,tz,start,end",
    [
        ("month", "M", "UTC", "2023-01-01", "2024-12-31"),
        ("week", "W-SUN", "America/New_York", "2024-01-01", "2024-12-31"),
        ("week_sun", "W-SAT", "Asia/Shanghai", "2024-02-01", "2024-08-31"),
        ("day", "D", "America/New_York", "2024-03-01", "2024-03-31"),
    ],
)
def test_lifecycle_counts_agree_with_pandas(sample_log, period, freq, tz, start, end):
    frame = sample_log.to_frame("pandas")
    orders = frame[frame["event"] == "order"][["customer_id", "timestamp"]]
    orders = orders.assign(timestamp=pd.to_datetime(orders["timestamp"], utc=True))
    first = pd.Timestamp(start).tz_localize(tz).tz_localize(None).to_period(freq)
    last = pd.Timestamp(end).tz_localize(tz).tz_localize(None).to_period(freq)
    want = pandas_lifecycle(orders, freq, tz, first, last)
    # start/end are local midnights: the periods containing them in the zone.
    s = pd.Timestamp(start).tz_localize(tz)
    e = pd.Timestamp(end).tz_localize(tz)
    got = retention.lifecycle_counts(sample_log, s, e, period=period, time_zone=tz)
    assert len(got) == len(want) > 3
    pd.testing.assert_frame_equal(
        got[["new", "returning", "resurrecting", "dormant"]].astype("int64").reset_index(drop=True),
        want.astype("int64"),
    )
    starts = [p.start_time.tz_localize(tz).tz_convert("UTC") for p in pd.period_range(first, last, freq=freq)]
    assert [pd.Timestamp(t) for t in got["period_start"]] == starts
    assert want["new"].sum() > 0 and want["resurrecting"].sum() > 0
