"""Named time zones, week starts, lifecycle counts and stickiness through Python.

Hand-built orders at the local-midnight and daylight-saving boundaries of
Asia/Shanghai (UTC+8, no DST) and America/New_York (2024: spring forward on
10 March at 02:00 EST, fall back on 3 November at 02:00 EDT). One order per
customer, so each customer is "new" in exactly the local period of its order:
the ``new`` column of ``lifecycle_counts`` shows where every order landed.
"""

from __future__ import annotations

import pandas as pd
import pytest

import retention
from retention.errors import InvalidParameterError, UnknownCodeError


def one_order_each(instants):
    frame = pd.DataFrame({"customer_id": range(1, len(instants) + 1), "timestamp": instants, "amount": 1.0})
    return retention.EventLog.from_frame(frame)


def new_by_period(log, start, end, **kw):
    lc = retention.lifecycle_counts(log, start, end, **kw)
    return {str(t): n for t, n in zip(lc["period_start"], lc["new"]) if n}


def test_shanghai_days_weeks_months():
    # 23:59:59 local on Wed 31 Jan, 00:00 local on Thu 1 Feb, 23:59 Sun 4 Feb, 00:00 Mon 5 Feb.
    log = one_order_each(
        ["2024-01-31T15:59:59Z", "2024-01-31T16:00:00Z", "2024-02-04T15:59:00Z", "2024-02-04T16:00:00Z"]
    )
    z = {"time_zone": "Asia/Shanghai"}
    assert new_by_period(log, "2024-01-31T00:00Z", "2024-02-05T00:00Z", period="day", **z) == {
        "2024-01-30 16:00:00+00:00": 1,
        "2024-01-31 16:00:00+00:00": 1,
        "2024-02-03 16:00:00+00:00": 1,
        "2024-02-04 16:00:00+00:00": 1,
    }
    assert new_by_period(log, "2024-01-20", "2024-02-10", period="week", **z) == {
        "2024-01-28 16:00:00+00:00": 3,
        "2024-02-04 16:00:00+00:00": 1,
    }
    assert new_by_period(log, "2024-01-01", "2024-02-28", period="month", **z) == {
        "2023-12-31 16:00:00+00:00": 1,
        "2024-01-31 16:00:00+00:00": 3,
    }
    # In UTC all four are in different days but the first two in January.
    assert new_by_period(log, "2024-01-01", "2024-02-28", period="month") == {
        "2024-01-01 00:00:00+00:00": 2,
        "2024-02-01 00:00:00+00:00": 2,
    }


def test_new_york_across_both_dst_changes():
    log = one_order_each(
        [
            "2024-03-10T04:59:59Z",  # Sat 9 Mar 23:59:59 EST
            "2024-03-10T05:00:00Z",  # Sun 10 Mar 00:00 EST
            "2024-03-10T06:59:59Z",  # 01:59:59 EST, just before spring forward
            "2024-03-10T07:00:00Z",  # 03:00 EDT, just after
            "2024-03-11T03:59:59Z",  # Sun 10 Mar 23:59:59 EDT
            "2024-03-11T04:00:00Z",  # Mon 11 Mar 00:00 EDT
        ]
    )
    z = {"time_zone": "America/New_York"}
    assert new_by_period(log, "2024-03-09T12:00Z", "2024-03-11T12:00Z", period="day", **z) == {
        "2024-03-09 05:00:00+00:00": 1,
        "2024-03-10 05:00:00+00:00": 4,
        "2024-03-11 04:00:00+00:00": 1,
    }
    # Weeks from Sunday: Sat 9 Mar is in the week from 3 Mar; the rest from 10 Mar.
    assert new_by_period(log, "2024-03-01", "2024-03-20", period="week_sun", **z) == {
        "2024-03-03 05:00:00+00:00": 1,
        "2024-03-10 05:00:00+00:00": 5,
    }
    # ISO weeks: Mon 4 – Sun 10 Mar, then Mon 11 Mar (local midnight in EDT).
    assert new_by_period(log, "2024-03-01", "2024-03-20", period="week", **z) == {
        "2024-03-04 05:00:00+00:00": 5,
        "2024-03-11 04:00:00+00:00": 1,
    }
    fall = one_order_each(
        [
            "2024-11-03T03:59:59Z",  # Sat 2 Nov 23:59:59 EDT
            "2024-11-03T05:30:00Z",  # 01:30 EDT (first pass)
            "2024-11-03T06:30:00Z",  # 01:30 EST (second pass)
            "2024-11-04T04:59:59Z",  # Sun 3 Nov 23:59:59 EST
            "2024-11-04T05:00:00Z",  # Mon 4 Nov 00:00 EST
            "2024-11-01T03:59:59Z",  # Thu 31 Oct 23:59:59 EDT
            "2024-11-01T04:00:00Z",  # Fri 1 Nov 00:00 EDT
        ]
    )
    assert new_by_period(fall, "2024-11-02T12:00Z", "2024-11-04T12:00Z", period="day", **z) == {
        "2024-11-02 04:00:00+00:00": 1,
        "2024-11-03 04:00:00+00:00": 3,
        "2024-11-04 05:00:00+00:00": 1,
    }
    assert new_by_period(fall, "2024-10-15", "2024-12-15", period="month", **z) == {
        "2024-10-01 04:00:00+00:00": 1,
        "2024-11-01 04:00:00+00:00": 6,
    }


def test_hand_computed_lifecycle_and_stickiness():
    # Days 1..6 of January 2024 (UTC). A: 1, 2, 3; B: 2, 4, 5; C: 5; E: 31 Dec, 3.
    rows = [(1, 1), (1, 2), (1, 3), (2, 2), (2, 4), (2, 5), (3, 5), (5, 0), (5, 3)]
    frame = pd.DataFrame(
        {
            "customer_id": [c for c, _ in rows],
            "timestamp": [pd.Timestamp("2023-12-31T10:00Z") + pd.Timedelta(days=d) for _, d in rows],
            "amount": 1.0,
        }
    )
    log = retention.EventLog.from_frame(frame)
    lc = retention.lifecycle_counts(log, "2024-01-01", "2024-01-06", period="day")
    got = lc[["new", "returning", "resurrecting", "dormant"]].values.tolist()
    assert got == [[1, 0, 0, 1], [1, 1, 0, 0], [0, 1, 1, 1], [0, 0, 1, 2], [1, 1, 0, 0], [0, 0, 0, 2]]
    s = retention.stickiness(log, "2024-01-01", "2024-01-05", period="day")
    # Days 1-5: A active on 3 (1, 2, 3), B on 3 (2, 4, 5), C on 1 (5), E on 1 (3).
    assert s["customers_by_active_periods"] == [2, 0, 2, 0, 0]
    assert s["customers"] == 4 and s["periods"] == 5
    # 8 customer-days over 5 days = 1.6 a day, over 4 customers = 0.4.
    assert s["mean_active"] == pytest.approx(1.6)
    assert s["ratio"] == pytest.approx(0.4)


def test_bad_zone_and_period():
    log = one_order_each(["2024-01-01T00:00Z"])
    with pytest.raises(InvalidParameterError, match="Mars/Olympus"):
        retention.lifecycle_counts(log, "2024-01-01", "2024-02-01", time_zone="Mars/Olympus")
    with pytest.raises(UnknownCodeError):
        retention.stickiness(log, "2024-01-01", "2024-02-01", period="fortnight")  # type: ignore[arg-type]
    with pytest.raises(InvalidParameterError, match="100 000"):
        retention.stickiness(log, "1800-01-01", "2100-01-01", period="day")
    assert "week_sun" in retention.vocabulary()["period"]


def test_series_functions_take_the_zone():
    # Customer 1 orders on Sat 2 Nov 23:30 EDT and Sun 3 Nov 00:30 EDT (local days 2 and 3 Nov);
    # in UTC both are on 3 Nov.
    frame = pd.DataFrame({"customer_id": [1, 1], "timestamp": ["2024-11-03T03:30Z", "2024-11-03T04:30Z"], "amount": 1.0})
    log = retention.EventLog.from_frame(frame)
    z = {"period": "day", "time_zone": "America/New_York"}
    pop = retention.period_over_period_retention(log, "2024-11-03T03:30Z", **z)
    assert str(pop["period_start"]) == "2024-11-02 04:00:00+00:00"
    assert (pop["customers"], pop["retained"]) == (1, 1)
    assert retention.period_over_period_retention(log, "2024-11-03T03:30Z", period="day")["retained"] == 0
    series = retention.period_over_period_retention_series(log, "2024-11-03T03:30Z", "2024-11-04T12:00Z", **z)
    assert [str(t) for t in series["period_start"]] == [
        "2024-11-02 04:00:00+00:00",
        "2024-11-03 04:00:00+00:00",
        "2024-11-04 05:00:00+00:00",
    ]
    acts = retention.period_activity_series(log, "2024-11-03T03:30Z", "2024-11-04T12:00Z", **z)
    assert len(acts) == 3
