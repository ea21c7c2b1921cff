//! Replaying one customer's events: the points ledger and the tier track
//! advance together, in time order.

use std::collections::HashMap;

use super::config::Rules;
use super::ledger::{LedgerEntryKind, PointsLedger};
use super::tiers::TierTrack;
use super::TierBasis;
use crate::error::{Error, IssueKind, Issues, Result};
use crate::events::{CustomerId, EventKind, EventLog, EventType};
use crate::summary::Money;
use crate::time::{from_micros, Micros};

/// The first referral naming each referee: `(time, input row)`.
pub(super) struct Referrals(HashMap<CustomerId, (Micros, usize)>);

impl Referrals {
    /// Scans the log's referral events (self-referrals are left out; they
    /// are reported when their referrer is replayed).
    pub fn of(log: &EventLog) -> Self {
        let mut first: HashMap<CustomerId, (Micros, usize)> = HashMap::new();
        for (c, id) in log.customers().iter().enumerate() {
            for i in log.customer_range(c) {
                if log.event_types()[i] != EventType::Referral {
                    continue;
                }
                let Some(EventKind::Referral { referred }) = log.get(i).map(|e| e.kind()) else {
                    continue;
                };
                if &referred == id {
                    continue;
                }
                let key = (log.times()[i], log.input_rows()[i] as usize);
                let slot = first.entry(referred).or_insert(key);
                *slot = (*slot).min(key);
            }
        }
        Referrals(first)
    }
}

/// What a replay leaves: the ledger and the tier track.
pub(super) struct Replayed<'r> {
    pub ledger: PointsLedger,
    pub tier: TierTrack<'r>,
}

impl<'r> Replayed<'r> {
    /// Processes the tier's own instants up to `t`, then expiries up to `t`.
    fn advance(&mut self, t: Micros, rules: &Rules) {
        while let Some(s) = self.tier.next_instant().filter(|&s| s <= t) {
            self.ledger.expire_until(s);
            let due = self.tier.step(s);
            self.reward(s, &due, rules);
        }
        self.ledger.expire_until(t);
        let due = self.tier.step(t);
        self.reward(t, &due, rules);
    }

    /// Credits the entry rewards of tiers `due` at `s`.
    fn reward(&mut self, s: Micros, due: &[usize], rules: &Rules) {
        for &t in due {
            self.ledger.credit(
                s,
                rules.entry[t],
                rules.expiry,
                LedgerEntryKind::TierEntry,
                None,
            );
            if let Some(e) = self.ledger.entries.last_mut() {
                e.tier = Some(t);
            }
        }
    }

    /// Credits earned points and, on the points-earned basis, counts them.
    fn earn(&mut self, t: Micros, points: Money, kind: LedgerEntryKind, row: usize, rules: &Rules) {
        self.ledger.credit(t, points, rules.expiry, kind, Some(row));
        if rules.basis == TierBasis::PointsEarned {
            let due = self.tier.add(t, points);
            self.reward(t, &due, rules);
        }
    }

    fn basis(&mut self, t: Micros, amount: Money, rules: &Rules) {
        let due = self.tier.add(t, amount);
        self.reward(t, &due, rules);
    }
}

/// Replays dense customer `c` up to `as_of` (own events already checked
/// against `as_of`), recording the ledger entries when `record` is set.
pub(super) fn replay<'r>(
    log: &EventLog,
    c: usize,
    as_of: Micros,
    rules: &'r Rules,
    referrals: &Referrals,
    record: bool,
) -> Result<Replayed<'r>> {
    let id = &log.customers()[c];
    let mut r = Replayed {
        ledger: PointsLedger::new(id.clone(), rules.inactivity),
        tier: TierTrack::new(rules),
    };
    r.ledger.record = record;
    // The referee's bonus, at the first referral naming this customer.
    let mut referred = referrals
        .0
        .get(id)
        .copied()
        .filter(|&(t, _)| t <= as_of && rules.referee > Money(0));
    let mut welcomed = false;
    let (times, kinds, values, rows) = (
        log.times(),
        log.event_types(),
        log.values(),
        log.input_rows(),
    );
    for i in log.customer_range(c) {
        let (t, row) = (times[i], rows[i] as usize);
        if let Some((rt, rrow)) = referred.filter(|&(rt, _)| rt <= t) {
            r.advance(rt, rules);
            r.earn(rt, rules.referee, LedgerEntryKind::Referred, rrow, rules);
            referred = None;
        }
        r.advance(t, rules);
        let amount = Money::from_f64(values[i]);
        match kinds[i] {
            EventType::Signup if !welcomed => {
                welcomed = true;
                r.earn(t, rules.welcome, LedgerEntryKind::Welcome, row, rules);
            }
            EventType::Order => {
                let tier = r.tier.held;
                let points = Money::from_f64(values[i] * rules.per_unit * rules.multipliers[tier]);
                r.earn(t, points, LedgerEntryKind::Order, row, rules);
                if let Some(e) = r
                    .ledger
                    .entries
                    .iter_mut()
                    .rev()
                    .find(|e| e.row == Some(row))
                {
                    e.tier = Some(tier);
                }
                match rules.basis {
                    TierBasis::Spend => r.basis(t, amount, rules),
                    TierBasis::OrderCount => r.basis(t, Money::from_f64(1.0), rules),
                    TierBasis::PointsEarned => {}
                }
            }
            EventType::Refund if rules.basis == TierBasis::Spend => {
                r.basis(t, Money(0) - amount, rules)
            }
            EventType::Referral => {
                let Some(EventKind::Referral { referred: friend }) = log.get(i).map(|e| e.kind())
                else {
                    continue;
                };
                if &friend == id {
                    let mut issues = Issues::default();
                    issues.push(
                        row,
                        "referred",
                        &friend,
                        IssueKind::Inconsistent {
                            with: "customer_id",
                        },
                    );
                    issues.finish()?;
                }
                // Only the first referral of a person earns the referrer's bonus.
                if referrals.0.get(&friend).is_some_and(|&(_, r0)| r0 == row) {
                    r.earn(t, rules.referral, LedgerEntryKind::Referral, row, rules);
                }
            }
            EventType::PointsEarned => r.earn(t, amount, LedgerEntryKind::Credit, row, rules),
            EventType::PointsRedeemed => r.ledger.debit(t, amount, Some(row))?,
            _ => {}
        }
    }
    if let Some((rt, rrow)) = referred {
        r.advance(rt, rules);
        r.earn(rt, rules.referee, LedgerEntryKind::Referred, rrow, rules);
    }
    r.advance(as_of, rules);
    Ok(r)
}

/// An error for customer ids absent from the log.
pub(super) fn customer_index(log: &EventLog, customer: &CustomerId) -> Result<usize> {
    log.customer_index(customer)
        .ok_or_else(|| Error::UnknownCustomer {
            customer: customer.to_string(),
        })
}

/// Events of customer `c` after `as_of` are bad rows.
pub(super) fn check_customer_as_of(log: &EventLog, c: usize, as_of: Micros) -> Result<()> {
    let mut issues = Issues::default();
    for i in log.customer_range(c) {
        if log.times()[i] > as_of {
            issues.push(
                log.input_rows()[i] as usize,
                "timestamp",
                from_micros(log.times()[i]).to_rfc3339(),
                IssueKind::AfterAsOf,
            );
        }
    }
    issues.finish()
}
