//! Named time zones and week starts: hand-built orders at the local-midnight
//! and daylight-saving boundaries of Asia/Shanghai (UTC+8, no DST) and
//! America/New_York (2024: spring forward 10 March 02:00 EST → 03:00 EDT,
//! fall back 3 November 02:00 EDT → 01:00 EST). Expected local dates are read
//! off the offsets by hand (checked against Python's zoneinfo).
#![cfg(feature = "tz")]

use chrono::Weekday;
use proptest::prelude::*;
use retention_core::time::{parse_instant, Calendar, Micros, Period, Zone};
use retention_core::Error;

fn t(text: &str) -> Micros {
    parse_instant(text).unwrap()
}

/// Days since 1970-01-01 of a civil date.
fn day(y: i32, m: u32, d: u32) -> i64 {
    chrono::NaiveDate::from_ymd_opt(y, m, d)
        .unwrap()
        .signed_duration_since(chrono::NaiveDate::from_ymd_opt(1970, 1, 1).unwrap())
        .num_days()
}

fn cal(period: Period, zone: &str) -> Calendar {
    Calendar::in_zone(period, zone).unwrap()
}

#[test]
fn shanghai_midnight_day_week_month() {
    let d = cal(Period::Day, "Asia/Shanghai");
    let m = cal(Period::Month, "Asia/Shanghai");
    let w = cal(Period::ISO_WEEK, "Asia/Shanghai");
    // 23:59:59 on Wednesday 31 January local = 15:59:59Z.
    let before = t("2024-01-31T15:59:59Z");
    // 00:00 on Thursday 1 February local = 16:00Z the same UTC day.
    let after = t("2024-01-31T16:00:00Z");
    assert_eq!(d.index(before), day(2024, 1, 31));
    assert_eq!(d.index(after), day(2024, 2, 1));
    assert_eq!(m.index(before), 2024 * 12);
    assert_eq!(m.index(after), 2024 * 12 + 1);
    assert_eq!(m.start(2024 * 12 + 1), after);
    // Same ISO week (Mon 29 Jan – Sun 4 Feb).
    assert_eq!(w.index(before), w.index(after));
    // Sunday 4 Feb 23:59 local vs Monday 5 Feb 00:00 local.
    assert_eq!(
        w.index(t("2024-02-04T15:59:00Z")) + 1,
        w.index(t("2024-02-04T16:00:00Z"))
    );
    assert_eq!(w.start(w.index(after)), t("2024-01-28T16:00:00Z"));
    // A UTC calendar puts 31 Jan 16:00Z in January.
    assert_eq!(Calendar::utc(Period::Month).index(after), 2024 * 12);
}

#[test]
fn new_york_spring_forward() {
    let d = cal(Period::Day, "America/New_York");
    // Saturday 9 March 23:59:59 EST (−5) and Sunday 10 March 00:00 EST.
    assert_eq!(d.index(t("2024-03-10T04:59:59Z")), day(2024, 3, 9));
    assert_eq!(d.index(t("2024-03-10T05:00:00Z")), day(2024, 3, 10));
    // The night of the change: 01:59:59 EST, then 03:00 EDT (−4).
    assert_eq!(d.index(t("2024-03-10T06:59:59Z")), day(2024, 3, 10));
    assert_eq!(d.index(t("2024-03-10T07:00:00Z")), day(2024, 3, 10));
    // 10 March has 23 hours: 23:59:59 EDT is 03:59:59Z on the 11th.
    assert_eq!(d.index(t("2024-03-11T03:59:59Z")), day(2024, 3, 10));
    assert_eq!(d.index(t("2024-03-11T04:00:00Z")), day(2024, 3, 11));
    assert_eq!(d.start(day(2024, 3, 10)), t("2024-03-10T05:00:00Z"));
    assert_eq!(d.start(day(2024, 3, 11)), t("2024-03-11T04:00:00Z"));
    // Weeks starting on Sunday begin at local midnight of Sunday 10 March
    // (EST); ISO weeks run on to Monday 11 March 00:00 EDT.
    let sun = cal(
        Period::Week {
            starts_on: Weekday::Sun,
        },
        "America/New_York",
    );
    let iso = cal(Period::ISO_WEEK, "America/New_York");
    let sat_night = t("2024-03-10T04:59:59Z");
    let sun_morning = t("2024-03-10T05:00:00Z");
    assert_eq!(sun.index(sat_night) + 1, sun.index(sun_morning));
    assert_eq!(sun.start(sun.index(sun_morning)), sun_morning);
    assert_eq!(iso.index(sat_night), iso.index(sun_morning));
    assert_eq!(
        iso.start(iso.index(sun_morning) + 1),
        t("2024-03-11T04:00:00Z")
    );
    // Months: March starts at 00:00 EST, April at 00:00 EDT.
    let m = cal(Period::Month, "America/New_York");
    assert_eq!(m.start(2024 * 12 + 2), t("2024-03-01T05:00:00Z"));
    assert_eq!(m.start(2024 * 12 + 3), t("2024-04-01T04:00:00Z"));
    assert_eq!(m.index(t("2024-04-01T03:59:59Z")), 2024 * 12 + 2);
    assert_eq!(m.index(t("2024-04-01T04:00:00Z")), 2024 * 12 + 3);
}

#[test]
fn new_york_fall_back() {
    let d = cal(Period::Day, "America/New_York");
    // Sunday 3 November 00:00 EDT (−4) = 04:00Z.
    assert_eq!(d.index(t("2024-11-03T03:59:59Z")), day(2024, 11, 2));
    assert_eq!(d.index(t("2024-11-03T04:00:00Z")), day(2024, 11, 3));
    // 01:30 happens twice (EDT 05:30Z, EST 06:30Z): both on 3 November.
    assert_eq!(d.index(t("2024-11-03T05:30:00Z")), day(2024, 11, 3));
    assert_eq!(d.index(t("2024-11-03T06:30:00Z")), day(2024, 11, 3));
    // 3 November has 25 hours: 23:59:59 EST is 04:59:59Z on the 4th.
    assert_eq!(d.index(t("2024-11-04T04:59:59Z")), day(2024, 11, 3));
    assert_eq!(d.index(t("2024-11-04T05:00:00Z")), day(2024, 11, 4));
    assert_eq!(d.end(day(2024, 11, 3)), t("2024-11-04T05:00:00Z"));
    // Months: 31 Oct 23:59:59 EDT is October; November starts at 00:00 EDT,
    // December at 00:00 EST.
    let m = cal(Period::Month, "America/New_York");
    assert_eq!(m.index(t("2024-11-01T03:59:59Z")), 2024 * 12 + 9);
    assert_eq!(m.index(t("2024-11-01T04:00:00Z")), 2024 * 12 + 10);
    assert_eq!(m.start(2024 * 12 + 11), t("2024-12-01T05:00:00Z"));
    assert_eq!(m.index(t("2024-12-01T04:59:59Z")), 2024 * 12 + 10);
    // The quarter and the year follow the same local midnights.
    let q = cal(Period::Quarter, "America/New_York");
    assert_eq!(q.start(2025 * 4), t("2025-01-01T05:00:00Z"));
    let y = cal(Period::Year, "America/New_York");
    assert_eq!(y.index(t("2025-01-01T04:59:59Z")), 2024);
}

#[test]
fn midnight_gap_and_overlap_rules() {
    // America/Santiago springs forward from 24:00 (−4) to 01:00 (−3) on the
    // night into 8 September 2024: the day starts at the transition.
    let s = cal(Period::Day, "America/Santiago");
    assert_eq!(s.start(day(2024, 9, 8)), t("2024-09-08T04:00:00Z"));
    assert_eq!(s.index(t("2024-09-08T03:59:59Z")), day(2024, 9, 7));
    assert_eq!(s.index(t("2024-09-08T04:00:00Z")), day(2024, 9, 8));
    // America/Havana falls back from 01:00 (−4) to 00:00 (−5) on
    // 3 November 2024: midnight happens at 04:00Z and 05:00Z; the earlier wins.
    let h = cal(Period::Day, "America/Havana");
    assert_eq!(h.start(day(2024, 11, 3)), t("2024-11-03T04:00:00Z"));
    assert_eq!(h.index(t("2024-11-03T05:30:00Z")), day(2024, 11, 3));
}

#[test]
fn week_start_codes() {
    use retention_core::vocab::Code;
    for (code, starts_on) in [
        ("week", Weekday::Mon),
        ("week_sun", Weekday::Sun),
        ("week_sat", Weekday::Sat),
        ("week_wed", Weekday::Wed),
    ] {
        assert_eq!(Period::from_code(code), Some(Period::Week { starts_on }));
    }
    assert_eq!(
        Period::Week {
            starts_on: Weekday::Fri
        }
        .as_code(),
        "week_fri"
    );
    // A Saturday-start week: Fri 5 Jan 2024 and Sat 6 Jan fall in different weeks.
    let sat = Calendar::utc(Period::from_code("week_sat").unwrap());
    assert_eq!(
        sat.index(t("2024-01-05T12:00:00Z")) + 1,
        sat.index(t("2024-01-06T12:00:00Z"))
    );
    assert_eq!(
        sat.start(sat.index(t("2024-01-10T12:00:00Z"))),
        t("2024-01-06T00:00:00Z")
    );
}

#[test]
fn bad_zone_names_and_both_options() {
    for bad in ["Mars/Olympus", "america/new_york", "", "+08:00"] {
        match Zone::named(bad) {
            Err(Error::InvalidParameter { name, value, .. }) => {
                assert_eq!(name, "time_zone");
                assert!(value.contains(bad), "{value}");
            }
            other => panic!("{bad:?}: {other:?}"),
        }
    }
    assert!(Calendar::with_zone_or_offset(Period::Day, Some("Asia/Shanghai"), 3600).is_err());
    assert_eq!(
        Calendar::with_zone_or_offset(Period::Day, Some("Asia/Shanghai"), 0).unwrap(),
        cal(Period::Day, "Asia/Shanghai")
    );
    assert_eq!(
        Zone::named("Asia/Shanghai").unwrap().name(),
        "Asia/Shanghai"
    );
}

#[cfg(feature = "serde")]
#[test]
fn calendar_serde_round_trip() {
    let c = cal(
        Period::Week {
            starts_on: Weekday::Sun,
        },
        "America/New_York",
    );
    let json = serde_json::to_string(&c).unwrap();
    assert_eq!(
        json,
        r#"{"period":"week_sun","utc_offset_seconds":0,"zone":"America/New_York"}"#
    );
    assert_eq!(serde_json::from_str::<Calendar>(&json).unwrap(), c);
    let utc: Calendar =
        serde_json::from_str(r#"{"period":"month","utc_offset_seconds":0}"#).unwrap();
    assert_eq!(utc, Calendar::utc(Period::Month));
}

const ZONES: [&str; 6] = [
    "America/New_York",
    "Asia/Shanghai",
    "America/Santiago",
    "America/Havana",
    "Europe/London",
    "Australia/Lord_Howe",
];

proptest! {
    /// Every period's start lies in the period, the instant before it in the
    /// previous one, and every instant lies in `[start, end)` of its period.
    #[test]
    fn periods_tile_the_line(
        zone in 0..ZONES.len(),
        kind in 0..5usize,
        u in -2_000_000_000i64..4_000_000_000i64,
    ) {
        let period = [Period::Day, Period::ISO_WEEK, Period::Month, Period::Quarter, Period::Year][kind];
        let c = cal(period, ZONES[zone]);
        let at = u * 1_000_000;
        let i = c.index(at);
        prop_assert!(c.start(i) <= at && at < c.end(i), "{} {:?} {}", ZONES[zone], period, at);
        prop_assert_eq!(c.index(c.start(i)), i);
        prop_assert_eq!(c.index(c.start(i) - 1), i - 1);
    }
}
