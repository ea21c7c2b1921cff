//! Loyalty results: a points ledger, every customer's balances, a tier history.

use super::{gather, Column, Table, WithTiers};
use crate::loyalty::{PointsLedger, Tier, TierChange};
use crate::time::to_micros;

/// The name of tier `index`, if the configuration has one.
fn tier_name(tiers: &[Tier], index: usize) -> Option<String> {
    tiers.get(index).map(|t| t.name.clone())
}

/// One row per ledger entry; order entries name the tier whose multiplier applied.
impl Table for WithTiers<'_, PointsLedger> {
    fn columns(&self) -> Vec<(&'static str, Column<'_>)> {
        let e = self.rows.entries();
        vec![
            (
                "time",
                Column::Instants(gather(e, |x| Some(to_micros(x.time)))),
            ),
            (
                "kind",
                Column::Codes(e.iter().map(|x| x.kind.as_str()).collect()),
            ),
            ("points", Column::F64(gather(e, |x| x.points))),
            ("balance", Column::F64(gather(e, |x| x.balance))),
            ("row", Column::OptCount(gather(e, |x| x.row))),
            (
                "tier",
                Column::OptText(gather(e, |x| x.tier.and_then(|t| tier_name(self.tiers, t)))),
            ),
        ]
    }
}

/// The totals of every customer's ledger ([`crate::loyalty::points_ledgers`]).
impl Table for [PointsLedger] {
    fn columns(&self) -> Vec<(&'static str, Column<'_>)> {
        let next: Vec<_> = self.iter().map(PointsLedger::next_expiry).collect();
        vec![
            (
                "customer_id",
                Column::Ids(gather(self, |l| l.customer().clone())),
            ),
            ("balance", Column::F64(gather(self, PointsLedger::balance))),
            ("earned", Column::F64(gather(self, PointsLedger::earned))),
            (
                "redeemed",
                Column::F64(gather(self, PointsLedger::redeemed)),
            ),
            ("expired", Column::F64(gather(self, PointsLedger::expired))),
            (
                "next_expiry",
                Column::Instants(gather(&next, |n| n.map(|(t, _)| to_micros(t)))),
            ),
            (
                "next_expiry_points",
                Column::OptF64(gather(&next, |n| n.map(|(_, p)| p))),
            ),
        ]
    }
}

/// One row per tier change, with both tiers by name and by index (a tier the
/// configuration does not name reads as empty text).
impl Table for WithTiers<'_, [TierChange]> {
    fn columns(&self) -> Vec<(&'static str, Column<'_>)> {
        let h = self.rows;
        vec![
            ("at", Column::Instants(gather(h, |x| Some(to_micros(x.at))))),
            (
                "from_tier",
                Column::Text(gather(h, |x| {
                    tier_name(self.tiers, x.from).unwrap_or_default()
                })),
            ),
            ("to_tier", Column::Text(gather(h, |x| x.name.clone()))),
            ("from_index", Column::Count(gather(h, |x| x.from))),
            ("to_index", Column::Count(gather(h, |x| x.to))),
        ]
    }
}

#[cfg(test)]
mod tests {
    use std::borrow::Cow;

    use chrono::{TimeZone, Utc};

    use super::*;
    use crate::events::{Event, EventKind, EventLog, LogOptions};
    use crate::loyalty::{points_ledger, points_ledgers, LoyaltyConfig};

    fn names(cols: &[(&'static str, Column<'_>)]) -> Vec<&'static str> {
        cols.iter().map(|(n, _)| *n).collect()
    }

    fn day(d: u32) -> chrono::DateTime<Utc> {
        Utc.with_ymd_and_hms(2024, 1, d, 12, 0, 0).unwrap()
    }

    fn log() -> EventLog {
        let events = [
            Event::new(1, day(1), EventKind::Signup),
            Event::order(1, day(2), 40.0),
        ];
        EventLog::from_events(&events, LogOptions::default()).unwrap()
    }

    #[test]
    fn ledger_entries_name_their_tier() {
        let config = LoyaltyConfig::default();
        let ledger = points_ledger(&log(), &1.into(), day(3), &config).unwrap();
        let table = WithTiers {
            rows: &ledger,
            tiers: &config.tiers,
        };
        let cols = table.columns();
        assert_eq!(
            names(&cols),
            ["time", "kind", "points", "balance", "row", "tier"]
        );
        // 100 welcome points, then 40 for the order at Bronze (× 1).
        assert_eq!(cols[1].1, Column::Codes(vec!["welcome", "order"]));
        assert_eq!(cols[3].1, Column::F64(Cow::Owned(vec![100.0, 140.0])));
        assert_eq!(
            cols[4].1,
            Column::OptCount(Cow::Owned(vec![Some(0), Some(1)]))
        );
        assert_eq!(
            cols[5].1,
            Column::OptText(Cow::Owned(vec![None, Some("Bronze".to_owned())]))
        );
    }

    #[test]
    fn balances_one_row_per_customer() {
        let ledgers = points_ledgers(&log(), day(3), &LoyaltyConfig::default()).unwrap();
        let cols = ledgers.columns();
        assert_eq!(
            names(&cols),
            [
                "customer_id",
                "balance",
                "earned",
                "redeemed",
                "expired",
                "next_expiry",
                "next_expiry_points"
            ]
        );
        assert_eq!(cols[1].1, Column::F64(Cow::Owned(vec![140.0])));
        // The welcome lot expires first, 365 days after it was earned.
        let expiry = to_micros(day(1)) + 365 * crate::time::MICROS_PER_DAY;
        assert_eq!(cols[5].1, Column::Instants(Cow::Owned(vec![Some(expiry)])));
        assert_eq!(cols[6].1, Column::OptF64(Cow::Owned(vec![Some(100.0)])));
    }

    #[test]
    fn tier_changes_by_name_and_index() {
        let tiers = LoyaltyConfig::default().tiers;
        let h = [TierChange {
            at: day(5),
            from: 0,
            to: 1,
            name: "Silver".to_owned(),
        }];
        let table = WithTiers {
            rows: &h[..],
            tiers: &tiers,
        };
        let cols = table.columns();
        assert_eq!(
            names(&cols),
            ["at", "from_tier", "to_tier", "from_index", "to_index"]
        );
        assert_eq!(
            cols[1].1,
            Column::Text(Cow::Owned(vec!["Bronze".to_owned()]))
        );
        assert_eq!(cols[4].1, Column::Count(Cow::Owned(vec![1])));
    }
}
