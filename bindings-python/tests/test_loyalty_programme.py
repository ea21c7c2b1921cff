"""Loyalty programmes as the platforms run them, through the Python door:
earned-basis tiers, grace periods, entry rewards, expiry by inactivity,
referrals on both sides, the widget's ways to earn and redeem. The expected
values are hand-computed on the timelines below (as in the core's
``tests/loyalty_programme.rs``)."""

import pandas as pd
import pytest

import retention


def day(n):
    return pd.Timestamp("2024-01-01T12:00:00Z") + pd.Timedelta(days=n)


def frame(rows):
    return retention.EventLog.from_frame(pd.DataFrame(rows, columns=["customer_id", "timestamp", "event", "amount", "detail"]))


TIERS = (("Bronze", 0, 1.0), ("Silver", 500, 2.0, 100.0), ("Gold", 1000, 3.0, 200.0))


def test_redeeming_never_lowers_an_earned_tier():
    log = frame([("ana", day(0), "order", 1200.0, None), ("ana", day(1), "points_redeemed", 1500.0, None)])
    cfg = retention.LoyaltyConfig(welcome_points=0, expiry_days=None, tier_basis="points_earned", tiers=TIERS)
    # 1200 at Bronze ×1 → Gold, with both entry rewards (100 + 200): 1500
    # points, all redeemed. Points earned (entry rewards excluded) stay 1200.
    entries, totals = retention.points_ledger(log, "ana", day(2), config=cfg)
    assert list(entries["kind"]) == ["order", "tier_entry", "tier_entry", "redemption"]
    assert list(entries["tier"].iloc[:3]) == ["Bronze", "Silver", "Gold"] and pd.isna(entries["tier"].iloc[3])
    assert totals["balance"] == 0.0
    s = retention.tier_status(log, "ana", day(2), config=cfg)
    assert (s["tier"], s["value"], s["downgrade_at"]) == ("Gold", 1200.0, None)


def test_grace_period_and_downgrade_date():
    log = frame([("ana", day(0), "order", 600.0, None)])
    cfg = {"tier_term": "rolling", "term_days": 100, "grace_days": 30}
    # Spend 600: Silver; it leaves the 100-day term at day 100, the tier is
    # kept until day 130.
    s = retention.tier_status(log, "ana", day(110), config=cfg)
    assert (s["tier"], s["value"], s["downgrade_at"]) == ("Silver", 0.0, day(130))
    h = retention.tier_history(log, "ana", day(200), config=cfg)
    assert list(h["to_tier"]) == ["Silver", "Bronze"] and list(h["at"]) == [day(0), day(130)]
    year = retention.tier_history(log, "ana", "2026-06-01", config={"tier_term": "calendar_year", "grace_days": 365})
    assert list(year["at"]) == [day(0), pd.Timestamp("2026-01-01T00:00:00Z")]


def test_expiry_by_inactivity():
    log = frame([("ana", day(0), "signup", None, None), ("ana", day(20), "order", 50.0, None)])
    cfg = {"expiry_days": None, "inactivity_days": 30}
    entries, totals = retention.points_ledger(log, "ana", day(70), config=cfg)
    assert list(entries["kind"]) == ["welcome", "order", "inactivity"]
    assert entries["time"].iloc[2] == day(50) and entries["points"].iloc[2] == -150.0
    assert (totals["balance"], totals["expired"]) == (0.0, 150.0)


def test_referral_rewards_both_sides_and_self_referral():
    log = frame(
        [
            ("ana", day(5), "referral", None, "ben"),
            ("ben", day(6), "signup", None, None),
            ("cy", day(7), "referral", None, "ben"),
        ]
    )
    cfg = {"referee_bonus": 50.0}
    b = retention.points_balances(log, day(10), config=cfg).set_index("customer_id")["balance"]
    # ana 250 as referrer; ben 50 as referee + 100 welcome; cy nothing (ben was referred already).
    assert b.to_dict() == {"ana": 250.0, "ben": 150.0, "cy": 0.0}
    own = frame([("eve", day(0), "order", 1.0, None), ("eve", day(1), "referral", None, "eve")])
    with pytest.raises(retention.InvalidRowsError) as e:
        retention.points_ledger(own, "eve", day(2))
    issue = e.value.issues[0]
    assert (issue["row"], issue["field"], issue["value"]) == (1, "referred", "eve")


def test_loyalty_programme_lists_ways_to_earn_and_redeem():
    cfg = retention.LoyaltyConfig(referee_bonus=50.0, tiers=TIERS, rewards=(("Tote bag", 900.0), ("5 off", 500.0)))
    p = retention.loyalty_programme(config=cfg)
    assert [(w["action"], w["points"], w["tier"]) for w in p["earn"]] == [
        ("signup", 100.0, None),
        ("order", 1.0, "Bronze"),
        ("order", 2.0, "Silver"),
        ("order", 3.0, "Gold"),
        ("referral", 250.0, None),
        ("referred", 50.0, None),
        ("tier_entry", 100.0, "Silver"),
        ("tier_entry", 200.0, "Gold"),
    ]
    assert [r["name"] for r in p["redeem"]] == ["5 off", "Tote bag"]
    assert (p["tier_basis"], p["tier_term"], p["term_days"]) == ("spend", "rolling", 365)


def test_loyalty_config_bad_input():
    with pytest.raises(retention.UnknownCodeError):
        retention.loyalty_programme(config={"tier_term": "fortnightly"})
    with pytest.raises(retention.InvalidParameterError) as e:
        retention.loyalty_programme(config={"rewards": [("free", 0.0)]})
    assert e.value.name == "rewards.points"
    with pytest.raises(retention.InvalidParameterError) as e:
        retention.loyalty_programme(config={"grace_days": 2_000_000})
    assert e.value.name == "grace_days"
    with pytest.raises(TypeError):
        retention.loyalty_programme(config={"tiers": [("A",)]})
