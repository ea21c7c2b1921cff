//! Instants, calendar periods and windows.
//!
//! Instants are UTC. The public API takes [`chrono::DateTime<Utc>`]; internally
//! an instant is an `i64` count of microseconds since the Unix epoch
//! ([`Micros`]), which keeps event columns compact and comparisons cheap.
//!
//! A [`Calendar`] maps an instant to the index of the calendar [`Period`] that
//! contains it, in UTC, at a fixed UTC offset, or in a named IANA time zone
//! with its daylight-saving rules ([`Zone`], cargo feature `tz`; the module
//! [`zone`] states how local dates and period starts are found across DST
//! gaps and overlaps):
//!
//! * `Day`: whole days since 1970-01-01 (local to the offset or zone);
//! * `Week { starts_on }`: weeks starting on the given weekday (ISO: Monday;
//!   codes `week` (Monday), `week_tue`, …, `week_sun`);
//! * `Month`: `12 × year + (month − 1)`;
//! * `Quarter`: `4 × year + (month − 1) / 3`;
//! * `Year`: the calendar year.
//!
//! Period indices are consecutive integers, so "the next period" is `index + 1`
//! for every kind. Periods are half-open: `[start(i), start(i + 1))`.
//! Calendar arithmetic uses the proleptic Gregorian days-from-civil algorithm
//! (H. Hinnant, "chrono-Compatible Low-Level Date Algorithms").
//!
//! Nothing here reads the clock: every computation that depends on "now"
//! takes an explicit `as_of`.

use chrono::{DateTime, TimeZone, Utc, Weekday};

use crate::error::{Error, Result};

pub mod zone;
pub use zone::Zone;

/// Microseconds since 1970-01-01T00:00:00Z.
pub type Micros = i64;

/// Microseconds in one second.
pub const MICROS_PER_SECOND: i64 = 1_000_000;
/// Microseconds in one day (86 400 s; UTC has no leap seconds here).
pub const MICROS_PER_DAY: i64 = 86_400 * MICROS_PER_SECOND;

/// Converts a UTC datetime to [`Micros`].
pub fn to_micros(t: DateTime<Utc>) -> Micros {
    t.timestamp_micros()
}

/// Converts [`Micros`] back to a UTC datetime.
///
/// Every `i64` microsecond count is within chrono's range, so this cannot fail.
pub fn from_micros(t: Micros) -> DateTime<Utc> {
    Utc.timestamp_micros(t)
        .single()
        .unwrap_or(DateTime::<Utc>::MIN_UTC)
}

/// An instant from ISO 8601 text, the one rule of every front door and of
/// CSV input: a date (`2024-03-01`, midnight UTC), or a date-time with `T`
/// or a space between date and time, hours and minutes with optional seconds
/// and fraction, and an optional UTC offset (`Z`, `+02:00`, `-0530`). A
/// date-time without an offset is UTC (never the machine's local time).
/// Blanks around the text are ignored. `None` when the text is none of these.
///
/// ```
/// use retention_core::time::parse_instant;
///
/// let noon = parse_instant("2024-03-01T12:00:00Z");
/// assert_eq!(parse_instant("2024-03-01 12:00"), noon);
/// assert_eq!(parse_instant(" 2024-03-01T14:00:00.000+02:00 "), noon);
/// assert_eq!(parse_instant("2024-03-01"), parse_instant("2024-03-01T00:00Z"));
/// assert_eq!(parse_instant("yesterday"), None);
/// ```
pub fn parse_instant(text: &str) -> Option<Micros> {
    // A small hand parser: chrono's format-string parser would add tens of
    // kilobytes to the wasm package for this one rule.
    let mut p = Digits(text.trim().as_bytes());
    let year = p.signed_year()?;
    let month = p.sep(b'-').then(|| p.number(2))??;
    let day = p.sep(b'-').then(|| p.number(2))??;
    let date = chrono::NaiveDate::from_ymd_opt(year, month, day)?;
    let (mut hour, mut minute, mut second, mut micro) = (0, 0, 0, 0);
    let mut offset = 0_i64;
    if !p.0.is_empty() {
        if !(p.sep(b'T') || p.sep(b't') || p.sep(b' ')) {
            return None;
        }
        hour = p.number(2)?;
        minute = p.sep(b':').then(|| p.number(2))??;
        if p.sep(b':') {
            second = p.number(2)?;
            if p.sep(b'.') || p.sep(b',') {
                micro = p.fraction_micros()?;
            }
        }
        offset = match p.0 {
            [] | [b'Z' | b'z'] => 0,
            [sign @ (b'+' | b'-'), rest @ ..] => {
                let mut q = Digits(rest);
                let h = q.number(2)?;
                q.sep(b':');
                let m = q.number(2)?;
                if !q.0.is_empty() || h > 23 || m > 59 {
                    return None;
                }
                let seconds = i64::from(h * 3600 + m * 60);
                if *sign == b'-' {
                    -seconds
                } else {
                    seconds
                }
            }
            _ => return None,
        };
    }
    let local = date.and_hms_micro_opt(hour, minute, second, micro)?;
    to_micros(local.and_utc()).checked_sub(offset.checked_mul(MICROS_PER_SECOND)?)
}

/// A cursor over ASCII digits and separators for [`parse_instant`].
struct Digits<'a>(&'a [u8]);

impl Digits<'_> {
    /// Skips `c` if it comes next.
    fn sep(&mut self, c: u8) -> bool {
        match self.0.split_first() {
            Some((&first, rest)) if first == c => {
                self.0 = rest;
                true
            }
            _ => false,
        }
    }

    /// Exactly `n` digits.
    fn number(&mut self, n: usize) -> Option<u32> {
        let digits = self.0.get(..n)?;
        if !digits.iter().all(u8::is_ascii_digit) {
            return None;
        }
        self.0 = &self.0[n..];
        Some(digits.iter().fold(0, |v, d| v * 10 + u32::from(d - b'0')))
    }

    /// A year: four digits, or a sign and four to six digits.
    fn signed_year(&mut self) -> Option<i32> {
        let negative = self.sep(b'-');
        let signed = negative || self.sep(b'+');
        let len = self.0.iter().take_while(|d| d.is_ascii_digit()).count();
        if !(4..=6).contains(&len) || (!signed && len != 4) {
            return None;
        }
        let year = i32::try_from(self.number(len)?).ok()?;
        Some(if negative { -year } else { year })
    }

    /// A decimal fraction of a second in whole microseconds (digits past
    /// the sixth are dropped).
    fn fraction_micros(&mut self) -> Option<u32> {
        let len = self.0.iter().take_while(|d| d.is_ascii_digit()).count();
        if len == 0 {
            return None;
        }
        let digits = &self.0[..len];
        self.0 = &self.0[len..];
        Some((0..6).fold(0, |v, i| {
            v * 10 + digits.get(i).map_or(0, |d| u32::from(d - b'0'))
        }))
    }
}

/// Serde for a [`Micros`] field as RFC 3339 UTC text, the form every instant
/// of the core's serde takes (`"2024-03-01T00:00:00Z"`, fractional seconds
/// only when they are not zero): use it with `#[serde(with = "…")]`.
/// Reading accepts any ISO 8601 instant ([`parse_instant`]) and converts to UTC.
#[cfg(feature = "serde")]
pub mod serde_instant {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    use super::{from_micros, parse_instant, Micros};

    /// Writes the instant as RFC 3339 UTC text.
    pub fn serialize<S: Serializer>(t: &Micros, serializer: S) -> Result<S::Ok, S::Error> {
        from_micros(*t).serialize(serializer)
    }

    /// Reads RFC 3339 text (any offset) as microseconds since the epoch.
    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Micros, D::Error> {
        parse(&String::deserialize(deserializer)?)
    }

    /// The instant of `text`, or an error quoting it.
    pub(super) fn parse<E: serde::de::Error>(text: &str) -> Result<Micros, E> {
        parse_instant(text).ok_or_else(|| {
            E::custom(format!(
                "`{text}` is not an ISO 8601 instant (e.g. 2024-03-01T00:00:00Z)"
            ))
        })
    }
}

/// Serde for an `Option<`[`Micros`]`>` field: RFC 3339 UTC text or null
/// (see [`serde_instant`]). Pair it with `#[serde(default)]` so that a
/// missing key still reads as `None`.
#[cfg(feature = "serde")]
pub mod serde_opt_instant {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    use super::{from_micros, Micros};

    /// Writes the instant as RFC 3339 UTC text, `None` as null.
    pub fn serialize<S: Serializer>(t: &Option<Micros>, serializer: S) -> Result<S::Ok, S::Error> {
        t.map(from_micros).serialize(serializer)
    }

    /// Reads RFC 3339 text (any offset) or null.
    pub fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Option<Micros>, D::Error> {
        Option::<String>::deserialize(deserializer)?
            .map(|text| super::serde_instant::parse(&text))
            .transpose()
    }
}

/// Days elapsed from `from` to `to` (negative when `to` is earlier), exact
/// for every pair of instants: the difference is taken in `i128`, where it
/// cannot overflow (two `i64` instants can be up to 2⁶⁴ µs apart, which
/// `to - from` in `i64` wraps), and rounded once to `f64`.
///
/// ```
/// use retention_core::time::{elapsed_days, MICROS_PER_DAY};
///
/// assert_eq!(elapsed_days(0, 3 * MICROS_PER_DAY / 2), 1.5);
/// // 2^64 µs across the whole range of instants: no wrap.
/// assert!((elapsed_days(i64::MIN, i64::MAX) - 2.135e8).abs() < 1e5);
/// ```
#[inline]
pub fn elapsed_days(from: Micros, to: Micros) -> f64 {
    (i128::from(to) - i128::from(from)) as f64 / MICROS_PER_DAY as f64
}

/// `to - from` in microseconds, or an [`Error::InvalidParameter`] naming
/// `name` and `to` when the difference is outside `i64` (instants more than
/// about 292,000 years apart).
///
/// ```
/// use retention_core::time::checked_elapsed;
///
/// assert_eq!(checked_elapsed("as_of", 5, 12), Ok(7));
/// assert!(checked_elapsed("as_of", i64::MIN, i64::MAX).is_err());
/// ```
pub fn checked_elapsed(name: &'static str, from: Micros, to: Micros) -> Result<Micros> {
    to.checked_sub(from).ok_or_else(|| {
        Error::parameter(
            name,
            from_micros(to).to_rfc3339(),
            "is too far from the other instants: the elapsed time cannot be represented",
        )
    })
}

/// `t + delta` microseconds, or an [`Error::InvalidParameter`] naming `name`
/// and `t` when the sum is outside the range of instants.
///
/// ```
/// use retention_core::time::checked_shift;
///
/// assert_eq!(checked_shift("as_of", 5, -7), Ok(-2));
/// assert!(checked_shift("as_of", i64::MIN, -1).is_err());
/// ```
pub fn checked_shift(name: &'static str, t: Micros, delta: Micros) -> Result<Micros> {
    t.checked_add(delta).ok_or_else(|| {
        Error::parameter(
            name,
            from_micros(t).to_rfc3339(),
            "is too close to the limits of representable instants for this window",
        )
    })
}

/// A duration in whole days, as [`Micros`].
pub const fn days(n: i64) -> Micros {
    n * MICROS_PER_DAY
}

/// The kind of calendar period used to bucket instants.
///
/// Its codes are `day`, `week` (ISO weeks, starting Monday), `week_tue`, `week_wed`, `week_thu`, `week_fri`, `week_sat`,
/// `week_sun` (weeks starting on that day), `month`, `quarter` and `year`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Period {
    /// Calendar day.
    Day,
    /// Seven days starting on `starts_on` (ISO weeks start on Monday).
    Week {
        /// First day of each week.
        starts_on: Weekday,
    },
    /// Calendar month.
    Month,
    /// Calendar quarter (Jan–Mar, Apr–Jun, Jul–Sep, Oct–Dec).
    Quarter,
    /// Calendar year.
    Year,
}

impl Period {
    /// ISO week (starting Monday).
    pub const ISO_WEEK: Period = Period::Week {
        starts_on: Weekday::Mon,
    };
}

impl crate::vocab::Code for Period {
    const NAME: &'static str = "period";
    const CODES: &'static [&'static str] = &[
        "day", "week", "week_tue", "week_wed", "week_thu", "week_fri", "week_sat", "week_sun",
        "month", "quarter", "year",
    ];

    fn as_code(&self) -> &'static str {
        match self {
            Period::Day => "day",
            Period::Week { starts_on } => match starts_on {
                Weekday::Mon => "week",
                Weekday::Tue => "week_tue",
                Weekday::Wed => "week_wed",
                Weekday::Thu => "week_thu",
                Weekday::Fri => "week_fri",
                Weekday::Sat => "week_sat",
                Weekday::Sun => "week_sun",
            },
            Period::Month => "month",
            Period::Quarter => "quarter",
            Period::Year => "year",
        }
    }

    fn from_code(code: &str) -> Option<Self> {
        Some(match code {
            "day" => Period::Day,
            "week" => Period::ISO_WEEK,
            "week_tue" => week(Weekday::Tue),
            "week_wed" => week(Weekday::Wed),
            "week_thu" => week(Weekday::Thu),
            "week_fri" => week(Weekday::Fri),
            "week_sat" => week(Weekday::Sat),
            "week_sun" => week(Weekday::Sun),
            "month" => Period::Month,
            "quarter" => Period::Quarter,
            "year" => Period::Year,
            _ => return None,
        })
    }
}

/// A week starting on `starts_on`.
const fn week(starts_on: Weekday) -> Period {
    Period::Week { starts_on }
}

crate::vocab::code_traits!(Period, serialize_by_hand);

#[cfg(feature = "serde")]
impl serde::Serialize for Period {
    fn serialize<S: serde::Serializer>(
        &self,
        serializer: S,
    ) -> std::result::Result<S::Ok, S::Error> {
        serializer.serialize_str(crate::vocab::Code::as_code(self))
    }
}

/// Maps instants to period indices, in UTC, at a fixed offset or in a named
/// time zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Calendar {
    /// The period kind.
    pub period: Period,
    /// Fixed offset from UTC in seconds (e.g. `3600` for UTC+01:00); `0`
    /// and unused when `zone` is set.
    pub utc_offset_seconds: i32,
    /// A named time zone whose offset at each instant (daylight saving
    /// included) replaces the fixed offset; `None` for a fixed offset.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub zone: Option<Zone>,
}

impl Default for Calendar {
    /// Calendar months in UTC (the period of every series and cohort unless
    /// one is named).
    fn default() -> Self {
        Calendar::utc(Period::Month)
    }
}

/// Largest accepted offset magnitude: 18 hours, as in ISO 8601 / chrono.
const MAX_OFFSET_SECONDS: i32 = 18 * 3600;

impl Calendar {
    /// A calendar of `period` in UTC.
    pub const fn utc(period: Period) -> Self {
        Calendar {
            period,
            utc_offset_seconds: 0,
            zone: None,
        }
    }

    /// A calendar of `period` in the named IANA time zone (e.g.
    /// `"America/New_York"`), daylight saving included; see [`Zone::named`]
    /// for the errors.
    pub fn in_zone(period: Period, time_zone: &str) -> Result<Self> {
        Ok(Calendar {
            period,
            utc_offset_seconds: 0,
            zone: Some(Zone::named(time_zone)?),
        })
    }

    /// A calendar of `period` in a named time zone when `time_zone` is given,
    /// else at the fixed offset (the doors' one rule for their two options).
    pub fn with_zone_or_offset(
        period: Period,
        time_zone: Option<&str>,
        utc_offset_seconds: i32,
    ) -> Result<Self> {
        match time_zone {
            Some(name) if utc_offset_seconds != 0 => Err(Error::parameter(
                "time_zone",
                name,
                "give either a time zone or a UTC offset, not both",
            )),
            Some(name) => Calendar::in_zone(period, name),
            None => Calendar::with_offset(period, utc_offset_seconds),
        }
    }

    /// A calendar of `period` at a fixed UTC offset (at most ±18 h).
    pub fn with_offset(period: Period, utc_offset_seconds: i32) -> Result<Self> {
        if utc_offset_seconds.abs() > MAX_OFFSET_SECONDS {
            return Err(Error::parameter(
                "utc_offset_seconds",
                utc_offset_seconds,
                "must be within ±64800 seconds (18 hours)",
            ));
        }
        Ok(Calendar {
            period,
            utc_offset_seconds,
            zone: None,
        })
    }

    fn offset_micros(&self) -> i64 {
        i64::from(self.utc_offset_seconds) * MICROS_PER_SECOND
    }

    /// Local day (days since 1970-01-01 on the local calendar) of instant `t`.
    pub fn local_day(&self, t: Micros) -> i64 {
        match &self.zone {
            Some(zone) => zone.local_day(t),
            None => t
                .saturating_add(self.offset_micros())
                .div_euclid(MICROS_PER_DAY),
        }
    }

    /// Index of the period containing instant `t` (by its local date).
    pub fn index(&self, t: Micros) -> i64 {
        let local_day = self.local_day(t);
        match self.period {
            Period::Day => local_day,
            Period::Week { starts_on } => week_of_day(local_day, starts_on),
            Period::Month => {
                let (y, m, _) = civil_from_days(local_day);
                y * 12 + (m - 1)
            }
            Period::Quarter => {
                let (y, m, _) = civil_from_days(local_day);
                y * 4 + (m - 1) / 3
            }
            Period::Year => civil_from_days(local_day).0,
        }
    }

    /// First instant of period `index` (inclusive).
    pub fn start(&self, index: i64) -> Micros {
        let local_day = match self.period {
            Period::Day => index,
            Period::Week { starts_on } => index
                .saturating_mul(7)
                .saturating_sub(3)
                .saturating_add(i64::from(starts_on.num_days_from_monday())),
            Period::Month => days_from_civil(index.div_euclid(12), index.rem_euclid(12) + 1, 1),
            Period::Quarter => days_from_civil(index.div_euclid(4), index.rem_euclid(4) * 3 + 1, 1),
            Period::Year => days_from_civil(index, 1, 1),
        };
        match &self.zone {
            Some(zone) => zone.day_start(local_day),
            None => local_day
                .saturating_mul(MICROS_PER_DAY)
                .saturating_sub(self.offset_micros()),
        }
    }

    /// End of period `index` (exclusive): the start of the next period.
    pub fn end(&self, index: i64) -> Micros {
        self.start(index + 1)
    }

    /// Index of the last period that is complete at `as_of`, i.e. whose end
    /// is at or before `as_of`.
    pub fn last_complete(&self, as_of: Micros) -> i64 {
        // `end(index(as_of) - 1) = start(index(as_of)) <= as_of`, while the
        // current period always ends after `as_of`.
        self.index(as_of) - 1
    }
}

/// Week index of a day count, for weeks starting on `starts_on`.
/// Day 0 (1970-01-01) was a Thursday, i.e. 3 days after a Monday.
fn week_of_day(day: i64, starts_on: Weekday) -> i64 {
    (day + 3 - i64::from(starts_on.num_days_from_monday())).div_euclid(7)
}

/// Days since 1970-01-01 of the proleptic Gregorian date `y-m-d`.
pub(crate) fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y.saturating_sub(1) } else { y };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    // Saturating: period indices far beyond chrono's range (any `i64`)
    // saturate like `Calendar::start` does (found by fuzzing).
    era.saturating_mul(146_097).saturating_add(doe - 719_468)
}

/// Proleptic Gregorian `(year, month, day)` of a day count since 1970-01-01.
pub(crate) fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// Longest accepted window: 1,000,000 days (about 2,700 years), far beyond
/// any retention question and safely inside the `i64` microsecond range.
pub const MAX_WINDOW_DAYS: u32 = 1_000_000;

/// Validates a window length given in days (1..=[`MAX_WINDOW_DAYS`]).
pub(crate) fn window_days(name: &'static str, n: u32) -> Result<Micros> {
    if n == 0 {
        Err(Error::parameter(
            name,
            n,
            "window length must be at least 1 day",
        ))
    } else if n > MAX_WINDOW_DAYS {
        Err(Error::parameter(
            name,
            n,
            "window length must be at most 1,000,000 days",
        ))
    } else {
        Ok(days(i64::from(n)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{Datelike, NaiveDate};

    fn at(y: i32, m: u32, d: u32) -> Micros {
        to_micros(
            NaiveDate::from_ymd_opt(y, m, d)
                .unwrap()
                .and_hms_opt(12, 0, 0)
                .unwrap()
                .and_utc(),
        )
    }

    #[test]
    fn parse_instant_reads_what_chrono_writes_and_reads() {
        use chrono::SecondsFormat;
        for t in [
            0,
            1,
            -1,
            1_500_000,
            1_709_251_200_000_000,
            -62_135_596_800_000_000,
            253_402_300_799_999_999,
            -2_208_988_800_123_456,
        ] {
            let text = from_micros(t).to_rfc3339_opts(SecondsFormat::AutoSi, true);
            assert_eq!(parse_instant(&text), Some(t), "{text}");
        }
        for text in [
            "2024-03-01T11:00:00.25+01:00",
            "2024-02-29t23:59:59.9999999-05:30",
            "1999-12-31 00:00:00z",
            "0001-01-01T00:00:00Z",
        ] {
            let want = DateTime::parse_from_rfc3339(text)
                .unwrap()
                .timestamp_micros();
            assert_eq!(parse_instant(text), Some(want), "{text}");
        }
        assert_eq!(
            parse_instant("+010000-01-01T00:00:00Z"),
            Some(days(days_from_civil(10_000, 1, 1)))
        );
        assert_eq!(
            parse_instant("-000001-01-01T00:00:00Z"),
            Some(days(days_from_civil(-1, 1, 1)))
        );
        for bad in [
            "",
            "2024-3-01T00:00:00Z",
            "2023-02-29T00:00:00Z",
            "2024-13-01T00:00:00Z",
            "2024-03-01T24:00:00Z",
            "2024-03-01T00:00:60Z",
            "2024-03-01T00:00:00.Z",
            "2024-03-01T00:00:00+24:00",
            "+999999-12-31T23:59:59Z",
            "１９７０-01-01T00:00:00Z",
        ] {
            assert_eq!(parse_instant(bad), None, "{bad:?}");
        }
        // Beyond RFC 3339: a date, no offset (UTC), surrounding blanks.
        let midnight = parse_instant("2024-03-01T00:00:00Z");
        for also in ["2024-03-01", "2024-03-01T00:00:00", "2024-03-01T00:00:00Z "] {
            assert_eq!(parse_instant(also), midnight, "{also:?}");
        }
    }

    #[test]
    fn civil_round_trip_matches_chrono() {
        for day in (-800_000..800_000).step_by(97) {
            let (y, m, d) = civil_from_days(day);
            assert_eq!(days_from_civil(y, m, d), day);
            let date = NaiveDate::from_num_days_from_ce_opt((day + 719_163) as i32).unwrap();
            assert_eq!(
                (y, m, d),
                (date.year() as i64, date.month() as i64, date.day() as i64)
            );
        }
    }

    #[test]
    fn iso_weeks_start_on_monday() {
        let cal = Calendar::utc(Period::ISO_WEEK);
        // 2024-01-01 is a Monday; 2023-12-31 a Sunday.
        assert_eq!(cal.index(at(2024, 1, 1)), cal.index(at(2024, 1, 7)));
        assert_eq!(cal.index(at(2023, 12, 31)) + 1, cal.index(at(2024, 1, 1)));
        assert_eq!(
            from_micros(cal.start(cal.index(at(2024, 1, 3)))).date_naive(),
            NaiveDate::from_ymd_opt(2024, 1, 1).unwrap()
        );
        let sunday = Calendar::utc(Period::Week {
            starts_on: Weekday::Sun,
        });
        assert_eq!(sunday.index(at(2023, 12, 31)), sunday.index(at(2024, 1, 6)));
        assert_eq!(
            sunday.index(at(2024, 1, 6)) + 1,
            sunday.index(at(2024, 1, 7))
        );
    }

    #[test]
    fn months_quarters_years() {
        let m = Calendar::utc(Period::Month);
        assert_eq!(m.index(at(2024, 3, 15)), 2024 * 12 + 2);
        assert_eq!(
            from_micros(m.start(2024 * 12 + 2)).to_rfc3339(),
            "2024-03-01T00:00:00+00:00"
        );
        assert_eq!(
            from_micros(m.end(2024 * 12 + 11)).to_rfc3339(),
            "2025-01-01T00:00:00+00:00"
        );
        let q = Calendar::utc(Period::Quarter);
        assert_eq!(q.index(at(2024, 5, 1)), 2024 * 4 + 1);
        assert_eq!(
            from_micros(q.start(2024 * 4 + 3)).to_rfc3339(),
            "2024-10-01T00:00:00+00:00"
        );
        let y = Calendar::utc(Period::Year);
        assert_eq!(y.index(at(1969, 12, 31)), 1969);
        assert_eq!(
            from_micros(y.start(1969)).to_rfc3339(),
            "1969-01-01T00:00:00+00:00"
        );
    }

    #[test]
    fn fixed_offset_moves_day_boundaries() {
        // 23:30 UTC on Jan 31 is already Feb 1 at UTC+01:00.
        let t = to_micros(
            NaiveDate::from_ymd_opt(2024, 1, 31)
                .unwrap()
                .and_hms_opt(23, 30, 0)
                .unwrap()
                .and_utc(),
        );
        assert_eq!(Calendar::utc(Period::Month).index(t), 2024 * 12);
        let cet = Calendar::with_offset(Period::Month, 3600).unwrap();
        assert_eq!(cet.index(t), 2024 * 12 + 1);
        assert_eq!(
            from_micros(cet.start(2024 * 12 + 1)).to_rfc3339(),
            "2024-01-31T23:00:00+00:00"
        );
        assert!(Calendar::with_offset(Period::Day, 20 * 3600).is_err());
    }

    #[test]
    fn last_complete_period() {
        let m = Calendar::utc(Period::Month);
        assert_eq!(m.last_complete(at(2024, 3, 15)), 2024 * 12 + 1);
        assert_eq!(m.last_complete(m.start(2024 * 12 + 2)), 2024 * 12 + 1);
    }
}
