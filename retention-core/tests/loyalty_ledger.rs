//! Loyalty programme on a hand-built history: earn, redeem, expire, tiers up
//! and down, progress values, over-redemption rejected.
//!
//! Programme used (unless a test says otherwise): 1 point per currency unit,
//! 100 welcome points, 250 per referral, points expire after 100 days, tiers by
//! net spend over a trailing 100-day window: Bronze 0 (×1), Silver 500 (×2),
//! Gold 1000 (×3).
//!
//! Customer 1 (day n = 2024-01-01 12:00 UTC + n days):
//!
//! | day | event | points | balance |
//! |---|---|---|---|
//! | 0 | signup | +100 welcome | 100 |
//! | 10 | order 400 (spend before 0: Bronze ×1) | +400 | 500 |
//! | 20 | order 200 (spend before 400: Bronze) → spend 600: Silver | +200 | 700 |
//! | 30 | referral | +250 | 950 |
//! | 40 | order 100 (Silver ×2) | +200 | 1150 |
//! | 50 | redeem 300: day-0 lot (100) and 200 of the day-10 lot | −300 | 850 |
//! | 60 | manual credit | +50 | 900 |
//! | 100 | day-0 lot expires, already spent | 0 | 900 |
//! | 110 | rest of the day-10 lot expires; the day-10 order leaves the window (spend 300: Bronze) | −200 | 700 |
//! | 111 | order 50 (Bronze ×1) | +50 | 750 |
//! | 120 | day-20 lot expires | −200 | 550 |
//! | 130 | referral lot expires | −250 | 300 |
//! | 140 | day-40 lot expires | −200 | 100 |
//!
//! `as_of` = day 150: balance 100 (manual 50 expiring day 160, order 50 expiring day 211).

use chrono::{DateTime, Duration, TimeZone, Utc};
use retention_core::events::{CustomerId, Event, EventKind, EventLog, LogOptions};
use retention_core::loyalty::{
    points_ledger, points_ledgers, tier_for_value, tier_history, tier_status, LedgerEntryKind,
    LoyaltyConfig, Tier, TierBasis, TierTerm,
};
use retention_core::{Error, IssueKind};

fn day(n: i64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2024, 1, 1, 12, 0, 0).unwrap() + Duration::days(n)
}

fn config() -> LoyaltyConfig {
    LoyaltyConfig {
        points_per_unit: 1.0,
        welcome_points: 100.0,
        referral_bonus: 250.0,
        expiry_days: Some(100),
        tier_basis: TierBasis::Spend,
        tier_term: TierTerm::Rolling,
        term_days: 100,
        tiers: vec![
            Tier::new("Bronze", 0.0, 1.0),
            Tier::new("Silver", 500.0, 2.0),
            Tier::new("Gold", 1000.0, 3.0),
        ],
        ..LoyaltyConfig::default()
    }
}

fn log() -> EventLog {
    let e = |c: i64, n, kind| Event::new(c, day(n), kind);
    let events = vec![
        e(1, 0, EventKind::Signup),
        Event::order(1, day(10), 400.0),
        Event::order(1, day(20), 200.0),
        e(
            1,
            30,
            EventKind::Referral {
                referred: CustomerId::from("friend"),
            },
        ),
        Event::order(1, day(40), 100.0),
        e(1, 50, EventKind::PointsRedeemed { points: 300.0 }),
        e(1, 60, EventKind::PointsEarned { points: 50.0 }),
        Event::order(1, day(111), 50.0),
        // Customer 2: a big spender.
        e(2, 0, EventKind::Signup),
        e(2, 0, EventKind::Signup),
        Event::order(2, day(5), 6000.0),
        // Customer 3 redeems more than they have (input row 12).
        e(3, 1, EventKind::PointsEarned { points: 100.0 }),
        e(3, 2, EventKind::PointsRedeemed { points: 150.0 }),
        // Customer 4 redeems exactly when their points expire (input row 14).
        e(4, 0, EventKind::PointsEarned { points: 100.0 }),
        e(4, 100, EventKind::PointsRedeemed { points: 100.0 }),
    ];
    EventLog::from_events(&events, LogOptions::default()).unwrap()
}

#[test]
fn earn_redeem_expire() {
    let ledger = points_ledger(&log(), &1.into(), day(150), &config()).unwrap();
    assert_eq!(ledger.customer(), &CustomerId::Int(1));
    assert_eq!(ledger.as_of(), day(150));
    assert_eq!(ledger.balance(), 100.0);
    assert_eq!(ledger.earned(), 1250.0);
    assert_eq!(ledger.redeemed(), 300.0);
    assert_eq!(ledger.expired(), 850.0);
    let got: Vec<(DateTime<Utc>, LedgerEntryKind, f64, f64)> = ledger
        .entries()
        .iter()
        .map(|e| (e.time, e.kind, e.points, e.balance))
        .collect();
    use LedgerEntryKind::*;
    assert_eq!(
        got,
        vec![
            (day(0), Welcome, 100.0, 100.0),
            (day(10), Order, 400.0, 500.0),
            (day(20), Order, 200.0, 700.0),
            (day(30), Referral, 250.0, 950.0),
            (day(40), Order, 200.0, 1150.0),
            (day(50), Redemption, -300.0, 850.0),
            (day(60), Credit, 50.0, 900.0),
            (day(110), Expiry, -200.0, 700.0),
            (day(111), Order, 50.0, 750.0),
            (day(120), Expiry, -200.0, 550.0),
            (day(130), Expiry, -250.0, 300.0),
            (day(140), Expiry, -200.0, 100.0),
        ]
    );
    // Tier multipliers applied to the orders, and the input rows.
    let orders: Vec<(Option<usize>, Option<usize>)> = ledger
        .entries()
        .iter()
        .filter(|e| e.kind == Order)
        .map(|e| (e.tier, e.row))
        .collect();
    assert_eq!(
        orders,
        vec![
            (Some(0), Some(1)),
            (Some(0), Some(2)),
            (Some(1), Some(4)),
            (Some(0), Some(7))
        ]
    );
    assert_eq!(ledger.next_expiry(), Some((day(160), 50.0)));
    assert_eq!(ledger.available_at(day(170)), 50.0);
    assert_eq!(ledger.available_at(day(300)), 0.0);
}

#[test]
fn proposed_redemptions() {
    let mut ledger = points_ledger(&log(), &1.into(), day(150), &config()).unwrap();
    assert_eq!(
        ledger.redeem(day(150), 150.0).unwrap_err(),
        Error::InsufficientPoints {
            customer: "1".into(),
            row: None,
            requested: 150.0,
            available: 100.0
        }
    );
    assert_eq!(
        ledger.balance(),
        100.0,
        "a rejected redemption changes nothing"
    );
    // Spends the oldest lot (manual 50) first, then 30 of the day-111 lot.
    assert_eq!(ledger.redeem(day(150), 80.0).unwrap(), 20.0);
    assert_eq!(ledger.next_expiry(), Some((day(211), 20.0)));
    // Later, the remaining points may have expired.
    assert!(matches!(
        ledger.redeem(day(211), 20.0),
        Err(Error::InsufficientPoints { available, .. }) if available == 0.0
    ));
    assert!(matches!(
        ledger.redeem(day(100), 1.0),
        Err(Error::InvalidParameter { name: "at", .. })
    ));
    for bad in [0.0, -1.0, f64::NAN, f64::INFINITY] {
        assert!(matches!(
            ledger.redeem(day(300), bad),
            Err(Error::InvalidParameter { name: "points", .. })
        ));
    }
    assert!(ledger.balance() >= 0.0);
}

#[test]
fn over_redemption_in_the_log_is_rejected() {
    let log = log();
    assert_eq!(
        points_ledger(&log, &3.into(), day(150), &config()).unwrap_err(),
        Error::InsufficientPoints {
            customer: "3".into(),
            row: Some(12),
            requested: 150.0,
            available: 100.0
        }
    );
    // Points expiring at the instant of the redemption are gone.
    assert_eq!(
        points_ledger(&log, &4.into(), day(150), &config()).unwrap_err(),
        Error::InsufficientPoints {
            customer: "4".into(),
            row: Some(14),
            requested: 100.0,
            available: 0.0
        }
    );
    let err = points_ledgers(&log, day(150), &config()).unwrap_err();
    assert!(matches!(
        err,
        Error::InsufficientPoints { row: Some(12), .. }
    ));
    assert!(err.to_string().contains("(row 12)"), "{err}");
}

#[test]
fn welcome_points_once_and_all_ledgers() {
    let events: Vec<Event> = log()
        .to_events()
        .into_iter()
        .filter(|e| e.customer != CustomerId::Int(3) && e.customer != CustomerId::Int(4))
        .collect();
    let log = EventLog::from_events(&events, LogOptions::default()).unwrap();
    let all = points_ledgers(&log, day(150), &config()).unwrap();
    assert_eq!(all.len(), 2);
    // Customer 2: one welcome (two signups), 6000 at Bronze ×1, all expired by day 150.
    assert_eq!(all[1].earned(), 6100.0);
    assert_eq!(all[1].balance(), 0.0);
    assert_eq!(all[1].expired(), 6100.0);
}

#[test]
fn tiers_by_rolling_spend() {
    let log = log();
    let cfg = config();
    // The tier as of an earlier date, from the history up to that date (later
    // events would be an error, as everywhere).
    let early: Vec<Event> = log
        .to_events()
        .into_iter()
        .filter(|e| e.timestamp <= day(45))
        .collect();
    let early = EventLog::from_events(&early, LogOptions::default()).unwrap();
    let s = tier_status(&early, &1.into(), day(45), &cfg).unwrap();
    assert_eq!(
        (s.index, s.name.as_str(), s.multiplier, s.value),
        (1, "Silver", 2.0, 700.0)
    );
    let next = s.next.unwrap();
    assert_eq!(
        (next.index, next.name.as_str(), next.threshold),
        (2, "Gold", 1000.0)
    );
    assert!((next.missing - 300.0).abs() < 1e-12);
    assert!((next.fraction - 0.4).abs() < 1e-12);

    let s = tier_status(&log, &1.into(), day(150), &cfg).unwrap();
    assert_eq!((s.name.as_str(), s.value), ("Bronze", 50.0));
    let next = s.next.unwrap();
    assert_eq!((next.name.as_str(), next.missing), ("Silver", 450.0));
    assert!((next.fraction - 0.1).abs() < 1e-12);

    // Top tier: no next tier.
    let s = tier_status(&log, &2.into(), day(10), &cfg).unwrap();
    assert_eq!((s.name.as_str(), s.next), ("Gold", None));

    let history = tier_history(&log, &1.into(), day(150), &cfg).unwrap();
    let got: Vec<_> = history
        .iter()
        .map(|c| (c.at, c.from, c.to, c.name.as_str()))
        .collect();
    assert_eq!(
        got,
        vec![(day(20), 0, 1, "Silver"), (day(110), 1, 0, "Bronze")]
    );
    let history = tier_history(&log, &2.into(), day(150), &cfg).unwrap();
    let got: Vec<_> = history.iter().map(|c| (c.at, c.from, c.to)).collect();
    assert_eq!(got, vec![(day(5), 0, 2), (day(105), 2, 0)]);
}

#[test]
fn refunds_lower_the_trailing_spend() {
    let events = vec![
        Event::order(1, day(0), 600.0),
        Event::new(1, day(5), EventKind::Refund { amount: 200.0 }),
    ];
    let log = EventLog::from_events(&events, LogOptions::default()).unwrap();
    let s = tier_status(&log, &1.into(), day(6), &config()).unwrap();
    assert_eq!((s.name.as_str(), s.value), ("Bronze", 400.0));
    let h = tier_history(&log, &1.into(), day(200), &config()).unwrap();
    let got: Vec<_> = h.iter().map(|c| (c.at, c.to)).collect();
    assert_eq!(got, vec![(day(0), 1), (day(5), 0)]);
}

#[test]
fn tiers_by_points_earned() {
    let cfg = LoyaltyConfig {
        tier_basis: TierBasis::PointsEarned,
        ..config()
    };
    let log = log();
    let ledger = points_ledger(&log, &1.into(), day(150), &cfg).unwrap();
    let orders: Vec<(f64, Option<usize>)> = ledger
        .entries()
        .iter()
        .filter(|e| e.kind == LedgerEntryKind::Order)
        .map(|e| (e.points, e.tier))
        .collect();
    // Points earned in the trailing 100 days before each order: 100
    // (Bronze), 500 (Silver), 1150 (Gold), 1000 (Gold: day 0 and day 10 have
    // left the term; the redemption of day 50 does not count).
    assert_eq!(
        orders,
        vec![
            (400.0, Some(0)),
            (400.0, Some(1)),
            (300.0, Some(2)),
            (150.0, Some(2))
        ]
    );
    let history = tier_history(&log, &1.into(), day(150), &cfg).unwrap();
    let got: Vec<_> = history.iter().map(|c| (c.at, c.to)).collect();
    // Earned in the term: 1500 at day 60; the day-20 order (400) leaves at
    // day 120 (750: Silver), the day-40 order (300) at day 140 (200: Bronze).
    assert_eq!(
        got,
        vec![(day(10), 1), (day(30), 2), (day(120), 1), (day(140), 0)]
    );
    let s = tier_status(&log, &1.into(), day(150), &cfg).unwrap();
    assert_eq!((s.name.as_str(), s.value), ("Bronze", 200.0));
}

#[test]
fn default_programme_and_progress_bar() {
    let cfg = LoyaltyConfig::default();
    let names: Vec<_> = cfg
        .tiers
        .iter()
        .map(|t| (t.name.as_str(), t.threshold))
        .collect();
    assert_eq!(
        names,
        vec![
            ("Bronze", 0.0),
            ("Silver", 500.0),
            ("Gold", 1500.0),
            ("Platinum", 5000.0)
        ]
    );
    let s = tier_for_value(0.0, &cfg).unwrap();
    let next = s.next.unwrap();
    assert_eq!(
        (s.name.as_str(), next.missing, next.fraction),
        ("Bronze", 500.0, 0.0)
    );
    let s = tier_for_value(1500.0, &cfg).unwrap();
    assert_eq!((s.name.as_str(), s.next.unwrap().fraction), ("Gold", 0.0));
    assert!(tier_for_value(5000.0, &cfg).unwrap().next.is_none());
    assert!(tier_for_value(-1.0, &cfg).is_err());
    assert!(tier_for_value(f64::NAN, &cfg).is_err());
}

#[test]
fn bad_input() {
    let log = log();
    assert_eq!(
        points_ledger(&log, &"ghost".into(), day(150), &config()).unwrap_err(),
        Error::UnknownCustomer {
            customer: "ghost".into()
        }
    );
    let Err(Error::InvalidRows { issues }) = points_ledger(&log, &1.into(), day(100), &config())
    else {
        panic!("events after as_of must be rejected")
    };
    assert_eq!(
        (issues[0].row, issues[0].kind.clone()),
        (7, IssueKind::AfterAsOf)
    );
    let bad_configs = [
        LoyaltyConfig {
            tiers: vec![],
            ..config()
        },
        LoyaltyConfig {
            tiers: vec![Tier::new("A", 10.0, 1.0)],
            ..config()
        },
        LoyaltyConfig {
            tiers: vec![Tier::new("A", 0.0, 1.0), Tier::new("B", 0.0, 1.0)],
            ..config()
        },
        LoyaltyConfig {
            tiers: vec![Tier::new("A", 0.0, 0.0)],
            ..config()
        },
        LoyaltyConfig {
            expiry_days: Some(0),
            ..config()
        },
        LoyaltyConfig {
            term_days: 0,
            ..config()
        },
        LoyaltyConfig {
            welcome_points: -1.0,
            ..config()
        },
        LoyaltyConfig {
            points_per_unit: f64::NAN,
            ..config()
        },
        LoyaltyConfig {
            referral_bonus: f64::INFINITY,
            ..config()
        },
    ];
    for cfg in bad_configs {
        assert!(cfg.validate().is_err(), "{cfg:?}");
        assert!(points_ledger(&log, &1.into(), day(150), &cfg).is_err());
        assert!(tier_status(&log, &1.into(), day(150), &cfg).is_err());
    }
    assert!(config().validate().is_ok());
    // No expiry at all.
    let forever = LoyaltyConfig {
        expiry_days: None,
        ..config()
    };
    let ledger = points_ledger(&log, &1.into(), day(150), &forever).unwrap();
    assert_eq!(
        (ledger.balance(), ledger.expired(), ledger.next_expiry()),
        (950.0, 0.0, None)
    );
}
