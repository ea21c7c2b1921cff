//! The points ledger: lots earned, spent first in first out, expiring by age
//! and after inactivity.

use std::collections::VecDeque;

use chrono::{DateTime, Utc};

use crate::error::{Error, Result};
use crate::events::CustomerId;
use crate::summary::Money;
use crate::time::{from_micros, to_micros, Micros};

crate::vocab::codes! {
    /// Why the balance changed.
    pub enum LedgerEntryKind as "ledger_entry_kind" {
        /// Welcome points for the first signup.
        Welcome = "welcome",
        /// Points earned on an order.
        Order = "order",
        /// Referral bonus of the referrer.
        Referral = "referral",
        /// Referral bonus of the referred person.
        Referred = "referred",
        /// Entry reward on reaching a tier.
        TierEntry = "tier_entry",
        /// Manual credit (`PointsEarned` event).
        Credit = "credit",
        /// Redemption (`PointsRedeemed` event or [`PointsLedger::redeem`]).
        Redemption = "redemption",
        /// Points that reached their age limit unspent.
        Expiry = "expiry",
        /// The whole balance, expired after a period without activity.
        Inactivity = "inactivity",
    }
}

/// One movement of the points balance.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct LedgerEntry {
    /// When (for expiries: the expiry instant).
    pub time: DateTime<Utc>,
    /// Why.
    pub kind: LedgerEntryKind,
    /// Signed change of the balance (negative for redemptions and expiries).
    pub points: f64,
    /// Balance after the change.
    pub balance: f64,
    /// Input row of the event, if the entry comes from one (for a referee's
    /// bonus: the referrer's referral row).
    pub row: Option<usize>,
    /// For orders: the index of the tier whose multiplier applied; for
    /// entry rewards: the tier reached.
    pub tier: Option<usize>,
}

/// Points earned at one instant, partly or wholly unspent.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Lot {
    expires: Micros,
    remaining: Money,
}

/// A customer's points ledger, replayed up to an instant.
///
/// Serialized (feature `serde`) as what its methods read: `customer`,
/// `as_of`, `balance`, `earned`, `redeemed`, `expired`, `next_expiry`
/// (`[instant, points]` or null) and `entries`.
#[derive(Debug, Clone, PartialEq)]
pub struct PointsLedger {
    customer: CustomerId,
    pub(super) as_of: Micros,
    lots: VecDeque<Lot>,
    pub(super) balance: Money,
    earned: Money,
    redeemed: Money,
    expired: Money,
    pub(super) entries: Vec<LedgerEntry>,
    /// Whether entries are recorded (off when only the balance is needed).
    pub(super) record: bool,
    /// Expiry by inactivity: (idle span, last earning or redemption).
    idle: Option<(Micros, Option<Micros>)>,
}

serialize_with_ratios!(PointsLedger {} {
    customer: PointsLedger::customer,
    as_of: PointsLedger::as_of,
    balance: PointsLedger::balance,
    earned: PointsLedger::earned,
    redeemed: PointsLedger::redeemed,
    expired: PointsLedger::expired,
    next_expiry: PointsLedger::next_expiry,
    entries: PointsLedger::entries,
});

impl PointsLedger {
    pub(super) fn new(customer: CustomerId, inactivity: Option<Micros>) -> Self {
        PointsLedger {
            customer,
            as_of: Micros::MIN,
            lots: VecDeque::new(),
            balance: Money(0),
            earned: Money(0),
            redeemed: Money(0),
            expired: Money(0),
            entries: Vec::new(),
            record: true,
            idle: inactivity.map(|span| (span, None)),
        }
    }

    /// The customer.
    pub fn customer(&self) -> &CustomerId {
        &self.customer
    }

    /// The instant the ledger describes.
    pub fn as_of(&self) -> DateTime<Utc> {
        from_micros(self.as_of)
    }

    /// Points available (earned − redeemed − expired), never negative.
    pub fn balance(&self) -> f64 {
        self.balance.to_f64()
    }

    /// All points ever credited.
    pub fn earned(&self) -> f64 {
        self.earned.to_f64()
    }

    /// All points redeemed.
    pub fn redeemed(&self) -> f64 {
        self.redeemed.to_f64()
    }

    /// All points expired (by age or inactivity).
    pub fn expired(&self) -> f64 {
        self.expired.to_f64()
    }

    /// Every balance movement, in time order.
    pub fn entries(&self) -> &[LedgerEntry] {
        &self.entries
    }

    /// The instant the whole balance expires if nothing happens, under an
    /// inactivity rule.
    fn idle_deadline(&self) -> Option<Micros> {
        match self.idle {
            Some((span, Some(last))) if self.balance > Money(0) => Some(last.saturating_add(span)),
            _ => None,
        }
    }

    /// The next expiry if nothing else happens: when and how many points
    /// (by age, or the whole balance after inactivity, whichever is first).
    pub fn next_expiry(&self) -> Option<(DateTime<Utc>, f64)> {
        let idle = self.idle_deadline();
        let first = self
            .lots
            .iter()
            .find(|l| l.expires != Micros::MAX && l.remaining > Money(0));
        match (first, idle) {
            (_, Some(d)) if first.is_none_or(|f| d <= f.expires) => {
                Some((from_micros(d), self.balance()))
            }
            (Some(first), _) => {
                let points = self
                    .lots
                    .iter()
                    .filter(|l| l.expires == first.expires)
                    .fold(Money(0), |acc, l| acc + l.remaining);
                Some((from_micros(first.expires), points.to_f64()))
            }
            _ => None,
        }
    }

    /// Points still available at a later instant `at`, if nothing else happens
    /// (i.e. the balance minus what expires by then).
    pub fn available_at(&self, at: DateTime<Utc>) -> f64 {
        let at = to_micros(at);
        if self.idle_deadline().is_some_and(|d| d <= at) {
            return 0.0;
        }
        self.lots
            .iter()
            .filter(|l| l.expires > at)
            .fold(Money(0), |acc, l| acc + l.remaining)
            .to_f64()
    }

    fn push(&mut self, time: Micros, kind: LedgerEntryKind, points: Money, row: Option<usize>) {
        if !self.record {
            return;
        }
        self.entries.push(LedgerEntry {
            time: from_micros(time),
            kind,
            points: points.to_f64(),
            balance: self.balance.to_f64(),
            row,
            tier: None,
        });
    }

    fn touch(&mut self, t: Micros) {
        if let Some((_, last)) = &mut self.idle {
            *last = Some(t);
        }
    }

    /// Expires every lot whose expiry instant is at or before `t`, and the
    /// whole balance if the inactivity deadline is.
    pub(super) fn expire_until(&mut self, t: Micros) {
        loop {
            let age = self.lots.front().map(|l| l.expires);
            match (age, self.idle_deadline()) {
                (_, Some(d)) if d <= t && age.is_none_or(|a| d <= a) => {
                    let all = self.balance;
                    self.lots.clear();
                    self.balance = Money(0);
                    self.expired += all;
                    self.push(d, LedgerEntryKind::Inactivity, Money(0) - all, None);
                }
                (Some(a), _) if a <= t => {
                    let Some(lot) = self.lots.pop_front() else {
                        break;
                    };
                    if lot.remaining > Money(0) {
                        self.balance = self.balance - lot.remaining;
                        self.expired += lot.remaining;
                        self.push(a, LedgerEntryKind::Expiry, Money(0) - lot.remaining, None);
                    }
                }
                _ => break,
            }
        }
        self.as_of = self.as_of.max(t);
    }

    /// Credits `points` at `t` (after [`Self::expire_until`]`(t)`).
    pub(super) fn credit(
        &mut self,
        t: Micros,
        points: Money,
        expiry: Option<Micros>,
        kind: LedgerEntryKind,
        row: Option<usize>,
    ) {
        let expires = expiry.map_or(Micros::MAX, |e| t.saturating_add(e));
        // Lots are appended in time order with the same lifetime, so the deque
        // stays sorted by expiry: FIFO.
        self.lots.push_back(Lot {
            expires,
            remaining: points,
        });
        self.balance += points;
        self.earned += points;
        self.touch(t);
        self.push(t, kind, points, row);
    }

    pub(super) fn debit(&mut self, t: Micros, points: Money, row: Option<usize>) -> Result<()> {
        if points > self.balance {
            return Err(Error::InsufficientPoints {
                customer: self.customer.to_string(),
                row,
                requested: points.to_f64(),
                available: self.balance.to_f64(),
            });
        }
        let mut left = points;
        while left > Money(0) {
            let Some(lot) = self.lots.front_mut() else {
                break;
            };
            let take = lot.remaining.min(left);
            lot.remaining = lot.remaining - take;
            left = left - take;
            if lot.remaining == Money(0) {
                self.lots.pop_front();
            }
        }
        self.balance = self.balance - points;
        self.redeemed += points;
        self.touch(t);
        self.push(t, LedgerEntryKind::Redemption, Money(0) - points, row);
        Ok(())
    }

    /// Applies a proposed redemption of `points` at `at` (not before the
    /// ledger's `as_of`): expires what is due by then, then spends the oldest
    /// points first. Returns the new balance. Over-redemption is an
    /// [`Error::InsufficientPoints`] with `row: None`, and leaves the ledger
    /// unchanged apart from expiries.
    pub fn redeem(&mut self, at: DateTime<Utc>, points: f64) -> Result<f64> {
        if !(points.is_finite() && points > 0.0) {
            return Err(Error::parameter(
                "points",
                points,
                "must be a finite number greater than 0",
            ));
        }
        let t = to_micros(at);
        if t < self.as_of {
            return Err(Error::parameter(
                "at",
                at.to_rfc3339(),
                "must not precede the ledger's as_of",
            ));
        }
        self.expire_until(t);
        self.debit(t, Money::from_f64(points), None)?;
        Ok(self.balance())
    }
}
