//! Loyalty programmes as the platforms run them, on hand-built timelines:
//! tiers by points earned (redeeming never lowers the tier), tier terms
//! (rolling, calendar year, lifetime) with grace periods, entry rewards,
//! expiry by inactivity and by age, referral rewards on both sides, the
//! widget's ways to earn and redeem. Day `n` is 2024-01-01 12:00 UTC + n days
//! unless a test uses calendar dates.

use chrono::{DateTime, Duration, TimeZone, Utc};
use proptest::prelude::*;
use retention_core::events::{CustomerId, Event, EventKind, EventLog, LogOptions};
use retention_core::loyalty::{
    points_ledger, points_ledgers, programme_rules, tier_history, tier_status, EarnAction,
    LedgerEntryKind, LoyaltyConfig, Tier, TierBasis, TierTerm,
};
use retention_core::{Error, IssueKind};

fn day(n: i64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2024, 1, 1, 12, 0, 0).unwrap() + Duration::days(n)
}

fn date(y: i32, m: u32, d: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, m, d, 12, 0, 0).unwrap()
}

fn log(events: &[Event]) -> EventLog {
    EventLog::from_events(events, LogOptions::default()).unwrap()
}

/// Bronze 0 ×1, Silver 500 ×2, Gold 1000 ×3; no welcome points; no expiry.
fn programme(basis: TierBasis, term: TierTerm, grace_days: u32) -> LoyaltyConfig {
    LoyaltyConfig {
        welcome_points: 0.0,
        expiry_days: None,
        tier_basis: basis,
        tier_term: term,
        term_days: 100,
        grace_days,
        tiers: vec![
            Tier::new("Bronze", 0.0, 1.0),
            Tier::new("Silver", 500.0, 2.0),
            Tier::new("Gold", 1000.0, 3.0),
        ],
        ..LoyaltyConfig::default()
    }
}

fn changes(
    log: &EventLog,
    id: i64,
    as_of: DateTime<Utc>,
    cfg: &LoyaltyConfig,
) -> Vec<(DateTime<Utc>, usize)> {
    tier_history(log, &id.into(), as_of, cfg)
        .unwrap()
        .iter()
        .map(|c| (c.at, c.to))
        .collect()
}

fn redeem(c: i64, n: i64, points: f64) -> Event {
    Event::new(c, day(n), EventKind::PointsRedeemed { points })
}

#[test]
fn redeeming_never_lowers_an_earned_tier() {
    let cfg = programme(TierBasis::PointsEarned, TierTerm::Rolling, 0);
    // 1200 at Bronze ×1 → 1200 points earned: Gold. Redeeming all of them
    // leaves the balance at 0 and the tier at Gold.
    let events = [Event::order(1, day(0), 1200.0), redeem(1, 1, 1200.0)];
    let log = log(&events);
    let s = tier_status(&log, &1.into(), day(2), &cfg).unwrap();
    assert_eq!(
        (s.name.as_str(), s.value, s.downgrade_at),
        ("Gold", 1200.0, None)
    );
    let ledger = points_ledger(&log, &1.into(), day(2), &cfg).unwrap();
    assert_eq!(ledger.balance(), 0.0);
    assert_eq!(changes(&log, 1, day(2), &cfg), vec![(day(0), 2)]);
    // The next order earns at Gold ×3 although the balance is 0.
    let more = log_with(&events, Event::order(1, day(3), 10.0));
    let ledger = points_ledger(&more, &1.into(), day(3), &cfg).unwrap();
    assert_eq!(
        ledger.entries().last().map(|e| (e.points, e.tier)),
        Some((30.0, Some(2)))
    );
    // The earned points leave the rolling 100-day term at day 100: Bronze,
    // then Silver again? No: day 3's 30 points only.
    assert_eq!(
        changes(&more, 1, day(150), &cfg),
        vec![(day(0), 2), (day(100), 0)]
    );
}

fn log_with(events: &[Event], extra: Event) -> EventLog {
    let mut all = events.to_vec();
    all.push(extra);
    log(&all)
}

#[test]
fn grace_period_keeps_the_tier_until_it_ends_or_the_customer_requalifies() {
    let cfg = programme(TierBasis::Spend, TierTerm::Rolling, 30);
    // Spend 600 at day 0: Silver. It leaves the 100-day term at day 100:
    // the downgrade is pending until day 130.
    let base = [Event::order(1, day(0), 600.0)];
    let lone = log(&base);
    let s = tier_status(&lone, &1.into(), day(110), &cfg).unwrap();
    assert_eq!((s.name.as_str(), s.value), ("Silver", 0.0));
    assert_eq!(s.downgrade_at, Some(day(130)));
    assert_eq!(
        s.next.as_ref().map(|n| (n.missing, n.fraction)),
        Some((1000.0, 0.0))
    );
    assert_eq!(
        changes(&lone, 1, day(200), &cfg),
        vec![(day(0), 1), (day(130), 0)]
    );
    // Without grace the drop is at day 100.
    let now = programme(TierBasis::Spend, TierTerm::Rolling, 0);
    assert_eq!(
        changes(&lone, 1, day(200), &now),
        vec![(day(0), 1), (day(100), 0)]
    );

    // Requalifying inside the grace period cancels the downgrade: 550 at
    // day 120 (Silver again). That order leaves at day 220 → pending until 250.
    let back = log_with(&base, Event::order(1, day(120), 550.0));
    let s = tier_status(&back, &1.into(), day(125), &cfg).unwrap();
    assert_eq!(
        (s.name.as_str(), s.value, s.downgrade_at),
        ("Silver", 550.0, None)
    );
    assert_eq!(
        changes(&back, 1, day(300), &cfg),
        vec![(day(0), 1), (day(250), 0)]
    );
    // The order at day 120 earned at Silver ×2 (held during the grace period).
    let ledger = points_ledger(&back, &1.into(), day(125), &cfg).unwrap();
    assert_eq!(ledger.entries()[1].points, 1100.0);

    // Too little to requalify: the downgrade happens at day 130 anyway.
    let short = log_with(&base, Event::order(1, day(120), 100.0));
    assert_eq!(
        changes(&short, 1, day(300), &cfg),
        vec![(day(0), 1), (day(130), 0)]
    );
}

#[test]
fn grace_ends_in_the_tier_qualified_for_then() {
    // Gold (1200 at day 0), then the order leaves at day 100; 600 spent at
    // day 110 qualifies for Silver only: at day 130 the customer drops to
    // Silver; that order leaves at day 210, and the next grace ends at day 240.
    let cfg = programme(TierBasis::Spend, TierTerm::Rolling, 30);
    let log = log(&[
        Event::order(1, day(0), 1200.0),
        Event::order(1, day(110), 600.0),
    ]);
    assert_eq!(
        changes(&log, 1, day(250), &cfg),
        vec![(day(0), 2), (day(130), 1), (day(240), 0)]
    );
}

#[test]
fn calendar_year_term_with_and_without_grace() {
    let events = [Event::order(1, date(2024, 3, 1), 600.0)];
    let log1 = log(&events);
    let jan = |y| Utc.with_ymd_and_hms(y, 1, 1, 0, 0, 0).unwrap();
    // No grace: Silver from 1 March 2024 to 1 January 2025.
    let cfg = programme(TierBasis::Spend, TierTerm::CalendarYear, 0);
    assert_eq!(
        changes(&log1, 1, date(2026, 6, 1), &cfg),
        vec![(date(2024, 3, 1), 1), (jan(2025), 0)]
    );
    // A 365-day grace keeps the tier through 2025.
    let cfg = programme(TierBasis::Spend, TierTerm::CalendarYear, 365);
    let s = tier_status(&log1, &1.into(), date(2025, 6, 1), &cfg).unwrap();
    assert_eq!((s.name.as_str(), s.value), ("Silver", 0.0));
    assert_eq!(s.downgrade_at, Some(jan(2026)));
    assert_eq!(
        changes(&log1, 1, date(2026, 6, 1), &cfg),
        vec![(date(2024, 3, 1), 1), (jan(2026), 0)]
    );
    // Requalifying in 2025 (300 + 250 = 550 ≥ 500, on 1 July) cancels it;
    // on 1 January 2026 the count restarts, and the grace runs to 1 January 2027.
    let again = log(&[
        events[0].clone(),
        Event::order(1, date(2025, 2, 1), 300.0),
        Event::order(1, date(2025, 7, 1), 250.0),
    ]);
    assert_eq!(
        changes(&again, 1, date(2027, 6, 1), &cfg),
        vec![(date(2024, 3, 1), 1), (jan(2027), 0)]
    );
    let early = log(&[events[0].clone(), Event::order(1, date(2025, 2, 1), 300.0)]);
    let s = tier_status(&early, &1.into(), date(2025, 3, 1), &cfg).unwrap();
    assert_eq!((s.value, s.downgrade_at), (300.0, Some(jan(2026))));
}

#[test]
fn lifetime_term_and_order_count_basis() {
    // Lifetime spend: Silver forever, unless refunds lower it.
    let cfg = programme(TierBasis::Spend, TierTerm::Lifetime, 0);
    let log1 = log(&[Event::order(1, day(0), 600.0)]);
    assert_eq!(changes(&log1, 1, day(3000), &cfg), vec![(day(0), 1)]);
    let refunded = log(&[
        Event::order(1, day(0), 600.0),
        Event::new(1, day(5), EventKind::Refund { amount: 200.0 }),
    ]);
    assert_eq!(
        changes(&refunded, 1, day(3000), &cfg),
        vec![(day(0), 1), (day(5), 0)]
    );
    // Orders counted over the lifetime: Silver at 2 orders, Gold at 4.
    let cfg = LoyaltyConfig {
        tiers: vec![
            Tier::new("Bronze", 0.0, 1.0),
            Tier::new("Silver", 2.0, 1.0),
            Tier::new("Gold", 4.0, 1.0),
        ],
        ..programme(TierBasis::OrderCount, TierTerm::Lifetime, 0)
    };
    let orders: Vec<Event> = (0..5).map(|n| Event::order(1, day(10 * n), 1.0)).collect();
    let log5 = log(&orders);
    assert_eq!(
        changes(&log5, 1, day(400), &cfg),
        vec![(day(10), 1), (day(30), 2)]
    );
    let s = tier_status(&log5, &1.into(), day(400), &cfg).unwrap();
    assert_eq!((s.name.as_str(), s.value), ("Gold", 5.0));
}

#[test]
fn entry_rewards_once_per_tier_including_skipped_ones() {
    let cfg = LoyaltyConfig {
        tiers: vec![
            Tier::new("Bronze", 0.0, 1.0),
            Tier::new("Silver", 500.0, 1.0).with_entry_points(100.0),
            Tier::new("Gold", 1000.0, 1.0).with_entry_points(200.0),
        ],
        ..programme(TierBasis::Spend, TierTerm::Rolling, 0)
    };
    // 1200 at day 0 jumps to Gold: both entry rewards. The order leaves at
    // day 100 (Bronze); 1200 again at day 150: Gold again, no new reward.
    let log = log(&[
        Event::order(1, day(0), 1200.0),
        Event::order(1, day(150), 1200.0),
    ]);
    let ledger = points_ledger(&log, &1.into(), day(160), &cfg).unwrap();
    let got: Vec<_> = ledger
        .entries()
        .iter()
        .map(|e| (e.time, e.kind, e.points, e.tier))
        .collect();
    use LedgerEntryKind::*;
    assert_eq!(
        got,
        vec![
            (day(0), Order, 1200.0, Some(0)),
            (day(0), TierEntry, 100.0, Some(1)),
            (day(0), TierEntry, 200.0, Some(2)),
            (day(150), Order, 1200.0, Some(0)),
        ]
    );
    assert_eq!(ledger.balance(), 2700.0);
}

#[test]
fn expiry_by_inactivity_and_by_age() {
    // Inactivity only: 30 days without earning or redeeming.
    let cfg = LoyaltyConfig {
        welcome_points: 100.0,
        expiry_days: None,
        inactivity_days: Some(30),
        ..LoyaltyConfig::default()
    };
    let events = [
        Event::new(1, day(0), EventKind::Signup),
        Event::order(1, day(20), 50.0),
        Event::order(1, day(60), 10.0),
    ];
    let log1 = log(&events);
    let ledger = points_ledger(&log1, &1.into(), day(70), &cfg).unwrap();
    let got: Vec<_> = ledger
        .entries()
        .iter()
        .map(|e| (e.time, e.kind, e.points, e.balance))
        .collect();
    use LedgerEntryKind::*;
    assert_eq!(
        got,
        vec![
            (day(0), Welcome, 100.0, 100.0),
            (day(20), Order, 50.0, 150.0),
            (day(50), Inactivity, -150.0, 0.0),
            (day(60), Order, 10.0, 10.0),
        ]
    );
    assert_eq!(ledger.next_expiry(), Some((day(90), 10.0)));
    assert_eq!(ledger.available_at(day(89)), 10.0);
    assert_eq!(ledger.available_at(day(90)), 0.0);
    // A redemption is activity: redeeming 10 at day 25 keeps the rest until day 55.
    let kept = log(&[
        Event::new(1, day(0), EventKind::Signup),
        redeem(1, 25, 10.0),
    ]);
    let l = points_ledger(&kept, &1.into(), day(54), &cfg).unwrap();
    assert_eq!(l.balance(), 90.0);
    let l = points_ledger(&kept, &1.into(), day(55), &cfg).unwrap();
    assert_eq!((l.balance(), l.expired()), (0.0, 90.0));

    // Both rules: lots expire after 40 days, the balance after 30 idle days.
    let both = LoyaltyConfig {
        expiry_days: Some(40),
        ..cfg
    };
    let l = points_ledger(&log(&events[..2]), &1.into(), day(100), &both).unwrap();
    let got: Vec<_> = l
        .entries()
        .iter()
        .map(|e| (e.time, e.kind, e.points))
        .collect();
    assert_eq!(
        got,
        vec![
            (day(0), Welcome, 100.0),
            (day(20), Order, 50.0),
            (day(40), Expiry, -100.0),
            (day(50), Inactivity, -50.0),
        ]
    );
    assert_eq!((l.balance(), l.expired()), (0.0, 150.0));
}

#[test]
fn referral_rewards_both_sides_once_per_referee() {
    let cfg = LoyaltyConfig {
        welcome_points: 100.0,
        referral_bonus: 250.0,
        referee_bonus: 50.0,
        expiry_days: None,
        ..LoyaltyConfig::default()
    };
    let refer = |who: &str, n, friend: &str| {
        Event::new(
            who,
            day(n),
            EventKind::Referral {
                referred: CustomerId::from(friend),
            },
        )
    };
    let events = [
        refer("ana", 5, "ben"),                       // row 0: counts for both sides
        Event::new("ben", day(6), EventKind::Signup), // row 1
        Event::order("ben", day(10), 40.0),           // row 2
        refer("cy", 7, "ben"),                        // row 3: ben already referred
        refer("ana", 8, "ben"),                       // row 4: again, nothing
        refer("ana", 9, "dora"),                      // row 5: dora not in the log
    ];
    let log1 = log(&events);
    let all = points_ledgers(&log1, day(20), &cfg).unwrap();
    let by = |id: &str| {
        all.iter()
            .find(|l| l.customer() == &CustomerId::from(id))
            .unwrap()
    };
    let rows: Vec<_> = by("ana")
        .entries()
        .iter()
        .map(|e| (e.time, e.kind, e.points, e.row))
        .collect();
    use LedgerEntryKind::*;
    assert_eq!(
        rows,
        vec![
            (day(5), Referral, 250.0, Some(0)),
            (day(9), Referral, 250.0, Some(5)),
        ]
    );
    let rows: Vec<_> = by("ben")
        .entries()
        .iter()
        .map(|e| (e.time, e.kind, e.points, e.row))
        .collect();
    assert_eq!(
        rows,
        vec![
            (day(5), Referred, 50.0, Some(0)),
            (day(6), Welcome, 100.0, Some(1)),
            (day(10), Order, 40.0, Some(2)),
        ]
    );
    assert_eq!(by("cy").balance(), 0.0);
    // One customer's ledger sees the referral made by another.
    assert_eq!(
        points_ledger(&log1, &"ben".into(), day(20), &cfg)
            .unwrap()
            .balance(),
        190.0
    );
    // Not before the referral.
    let early = log(&[
        Event::new("ben", day(4), EventKind::Signup),
        events[0].clone(),
    ]);
    let at = |n| {
        points_ledger(&early, &"ben".into(), day(n), &cfg)
            .unwrap()
            .balance()
    };
    assert_eq!((at(4), at(5)), (100.0, 150.0));

    // Referring oneself is a bad row naming the row, field and value.
    let own = log(&[Event::order("eve", day(0), 1.0), refer("eve", 1, "eve")]);
    let Err(Error::InvalidRows { issues }) = points_ledger(&own, &"eve".into(), day(2), &cfg)
    else {
        panic!("a self-referral must be rejected")
    };
    assert_eq!(
        (
            issues[0].row,
            issues[0].field,
            issues[0].value.as_str(),
            issues[0].kind.clone()
        ),
        (
            1,
            "referred",
            "eve",
            IssueKind::Inconsistent {
                with: "customer_id"
            }
        )
    );
}

#[test]
fn ways_to_earn_and_redeem() {
    let cfg = LoyaltyConfig {
        referee_bonus: 50.0,
        tiers: vec![
            Tier::new("Bronze", 0.0, 1.0),
            Tier::new("Gold", 1000.0, 1.5).with_entry_points(200.0),
        ],
        ..LoyaltyConfig::default()
    };
    let p = programme_rules(&cfg).unwrap();
    let got: Vec<_> = p
        .earn
        .iter()
        .map(|w| (w.action, w.points, w.per_unit, w.tier.as_deref()))
        .collect();
    use EarnAction::*;
    assert_eq!(
        got,
        vec![
            (Signup, 100.0, false, None),
            (Order, 1.0, true, Some("Bronze")),
            (Order, 1.5, true, Some("Gold")),
            (Referral, 250.0, false, None),
            (Referred, 50.0, false, None),
            (TierEntry, 200.0, false, Some("Gold")),
        ]
    );
    let costs: Vec<_> = p.redeem.iter().map(|r| r.points).collect();
    assert_eq!(costs, vec![500.0, 750.0, 1250.0]);
    assert_eq!(p.tiers, cfg.tiers);
    let bad = LoyaltyConfig {
        rewards: vec![retention_core::loyalty::Reward {
            name: "free".into(),
            points: 0.0,
        }],
        ..LoyaltyConfig::default()
    };
    assert!(matches!(
        programme_rules(&bad),
        Err(Error::InvalidParameter {
            name: "rewards.points",
            ..
        })
    ));
    for bad in [
        LoyaltyConfig {
            grace_days: 2_000_000,
            ..LoyaltyConfig::default()
        },
        LoyaltyConfig {
            inactivity_days: Some(0),
            ..LoyaltyConfig::default()
        },
        LoyaltyConfig {
            referee_bonus: -1.0,
            ..LoyaltyConfig::default()
        },
        LoyaltyConfig {
            tiers: vec![Tier::new("A", 0.0, 1.0).with_entry_points(f64::NAN)],
            ..LoyaltyConfig::default()
        },
    ] {
        assert!(bad.validate().is_err(), "{bad:?}");
    }
}

/// One customer's random history: orders, refunds, credits, redemptions.
fn history() -> impl Strategy<Value = Vec<(i64, u8, f64)>> {
    prop::collection::vec((0i64..800, 0u8..4, 1.0f64..700.0), 1..25)
}

fn events(h: &[(i64, u8, f64)], with_redemptions: bool) -> Vec<Event> {
    let mut out = vec![Event::new(1, day(0), EventKind::Signup)];
    for &(n, kind, x) in h {
        let e = match kind {
            0 => Event::order(1, day(n), x),
            1 => Event::new(1, day(n), EventKind::Refund { amount: x / 4.0 }),
            2 => Event::new(1, day(n), EventKind::PointsEarned { points: x }),
            _ if with_redemptions => redeem(1, n, (x / 20.0).floor() + 1.0),
            _ => continue,
        };
        out.push(e);
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]
    /// On the points-earned basis, the tier history (and so every order's
    /// multiplier) is the same with or without the redemptions, whatever the
    /// term, grace period and expiry rules.
    #[test]
    fn redemptions_never_change_an_earned_tier(
        h in history(),
        term in 0usize..3,
        grace in 0u32..60,
        expiry in prop::option::of(1u32..400),
        idle in prop::option::of(1u32..200),
    ) {
        let cfg = LoyaltyConfig {
            tier_term: [TierTerm::Rolling, TierTerm::CalendarYear, TierTerm::Lifetime][term],
            grace_days: grace,
            expiry_days: expiry,
            inactivity_days: idle,
            ..programme(TierBasis::PointsEarned, TierTerm::Rolling, 0)
        };
        let with = EventLog::from_events(&events(&h, true), LogOptions::default()).unwrap();
        let without = EventLog::from_events(&events(&h, false), LogOptions::default()).unwrap();
        let as_of = day(1000);
        let ledger = points_ledger(&with, &1.into(), as_of, &cfg);
        // Histories that over-redeem are rejected; the rest must agree.
        prop_assume!(ledger.is_ok());
        let a = tier_history(&with, &1.into(), as_of, &cfg).unwrap();
        let b = tier_history(&without, &1.into(), as_of, &cfg).unwrap();
        prop_assert_eq!(a, b);
        let mut at = day(0);
        while at <= as_of {
            let early = EventLog::from_events(
                &events(&h, true).into_iter().filter(|e| e.timestamp <= at).collect::<Vec<_>>(),
                LogOptions::default(),
            ).unwrap();
            let early_without = EventLog::from_events(
                &events(&h, false).into_iter().filter(|e| e.timestamp <= at).collect::<Vec<_>>(),
                LogOptions::default(),
            ).unwrap();
            let s = tier_status(&early, &1.into(), at, &cfg).unwrap();
            let t = tier_status(&early_without, &1.into(), at, &cfg).unwrap();
            prop_assert_eq!(s, t);
            at += Duration::days(97);
        }
    }
}
