//! Arbitrary bytes into the CSV reader: `Ok` or a typed error, never a panic.
//! A log that was read is written back and must read back to the same events
//! (when its instants lie in the years 0001–9999 that RFC 3339 can express).

#![no_main]

use libfuzzer_sys::fuzz_target;
use retention_core::csv_input::{read_csv, to_csv_string};
use retention_core::events::LogOptions;
use retention_core::summary::Summaries;

/// 0001-01-01T00:00:00Z and 10000-01-01T00:00:00Z in microseconds.
const RFC3339_RANGE: (i64, i64) = (-62_135_596_800_000_000, 253_402_300_800_000_000);

fuzz_target!(|data: &[u8]| {
    let data = &data[..data.len().min(64 * 1024)];
    let Ok(log) = read_csv(data, LogOptions::default()) else {
        return;
    };
    let _ = Summaries::from_log(&log);
    if let Some((lo, hi)) = log.time_range() {
        if lo < RFC3339_RANGE.0 || hi >= RFC3339_RANGE.1 {
            return;
        }
    }
    let text = to_csv_string(&log);
    let back = read_csv(text.as_bytes(), LogOptions::default())
        .unwrap_or_else(|e| panic!("written CSV does not read back: {e}\n{text}"));
    assert_eq!(back.to_events(), log.to_events());
});
