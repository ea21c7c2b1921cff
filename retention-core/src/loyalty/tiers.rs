//! Tier qualification over a term, with a grace period before a downgrade.

use std::collections::VecDeque;

use chrono::{DateTime, Datelike, TimeZone, Utc};

use super::config::{LoyaltyConfig, Rules, Term};
use crate::summary::Money;
use crate::time::{from_micros, to_micros, Micros};

/// The next tier and how far away it is.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct NextTier {
    /// Index of the next tier in [`LoyaltyConfig::tiers`].
    pub index: usize,
    /// Its name.
    pub name: String,
    /// Its threshold.
    pub threshold: f64,
    /// Basis still missing (spend, points or orders): `threshold − value`, `> 0`.
    pub missing: f64,
    /// Fraction of the current tier band done, in `[0, 1)`.
    pub fraction: f64,
}

/// A customer's tier at an instant, with the progress to the next one.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct TierStatus {
    /// Index of the tier held in [`LoyaltyConfig::tiers`].
    pub index: usize,
    /// Its name.
    pub name: String,
    /// Its earn multiplier.
    pub multiplier: f64,
    /// The basis value over the current term: net spend, points earned or orders.
    pub value: f64,
    /// The next tier; `None` at the top.
    pub next: Option<NextTier>,
    /// When the held tier is lost if the basis does not recover (a pending
    /// downgrade in its grace period); `None` when the customer qualifies.
    pub downgrade_at: Option<DateTime<Utc>>,
}

/// A change of tier.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct TierChange {
    /// When the new tier starts.
    pub at: DateTime<Utc>,
    /// Index of the previous tier.
    pub from: usize,
    /// Index of the new tier.
    pub to: usize,
    /// Name of the new tier.
    pub name: String,
}

/// 1 January (UTC) of the year after the one holding `t`, if representable.
fn next_new_year(t: Micros) -> Option<Micros> {
    let y = from_micros(t).year().checked_add(1)?;
    Utc.with_ymd_and_hms(y, 1, 1, 0, 0, 0)
        .single()
        .map(to_micros)
}

/// The tier held over time: basis moves inside the term, the held tier and
/// a pending downgrade.
pub(super) struct TierTrack<'r> {
    rules: &'r Rules,
    /// Basis moves still inside the term, oldest first.
    moves: VecDeque<(Micros, Money)>,
    sum: Money,
    pub held: usize,
    /// Deadline of a pending downgrade.
    pub pending: Option<Micros>,
    /// Tiers whose entry reward was given.
    rewarded: Vec<bool>,
    now: Micros,
    pub changes: Vec<TierChange>,
}

impl<'r> TierTrack<'r> {
    pub fn new(rules: &'r Rules) -> Self {
        let mut rewarded = vec![false; rules.thresholds.len()];
        rewarded[0] = true;
        TierTrack {
            rules,
            moves: VecDeque::new(),
            sum: Money(0),
            held: 0,
            pending: None,
            rewarded,
            now: Micros::MIN,
            changes: Vec::new(),
        }
    }

    /// The basis value over the current term (floored at 0).
    pub fn value(&self) -> Money {
        self.sum.max(Money(0))
    }

    /// The next instant after `now` at which the tier may change without an
    /// event: a move leaving the rolling term, a new calendar year, the end
    /// of a grace period.
    pub fn next_instant(&self) -> Option<Micros> {
        let term = match (self.rules.term, self.moves.front()) {
            (Term::Rolling(w), Some(&(t, _))) => Some(t.saturating_add(w)),
            (Term::CalendarYear, Some(_)) => next_new_year(self.now),
            _ => None,
        };
        match (term, self.pending) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }

    /// Moves the clock to `s`: drops moves that left the term, then
    /// re-evaluates the tier. Returns the tiers whose entry reward is due.
    pub fn step(&mut self, s: Micros) -> Vec<usize> {
        let cutoff = match self.rules.term {
            Term::Rolling(w) => Some(s.saturating_sub(w)),
            // Moves before this year's 1 January leave the term.
            Term::CalendarYear => Utc
                .with_ymd_and_hms(from_micros(s).year(), 1, 1, 0, 0, 0)
                .single()
                .map(|d| to_micros(d).saturating_sub(1)),
            Term::Lifetime => None,
        };
        if let Some(cutoff) = cutoff {
            while let Some(&(t, m)) = self.moves.front() {
                if t > cutoff {
                    break;
                }
                self.moves.pop_front();
                self.sum = self.sum - m;
            }
        }
        self.now = self.now.max(s);
        self.evaluate(s)
    }

    /// Adds a basis move at `s` (the clock already at `s`).
    pub fn add(&mut self, s: Micros, amount: Money) -> Vec<usize> {
        if amount != Money(0) {
            self.moves.push_back((s, amount));
            self.sum += amount;
        }
        self.evaluate(s)
    }

    fn change(&mut self, s: Micros, to: usize) {
        self.changes.push(TierChange {
            at: from_micros(s),
            from: self.held,
            to,
            name: String::new(),
        });
        self.held = to;
        self.pending = None;
    }

    fn evaluate(&mut self, s: Micros) -> Vec<usize> {
        let q = self.rules.tier_of(self.value());
        let mut due = Vec::new();
        if q > self.held {
            for t in self.held + 1..=q {
                if !self.rewarded[t] {
                    self.rewarded[t] = true;
                    if self.rules.entry[t] > Money(0) {
                        due.push(t);
                    }
                }
            }
            self.change(s, q);
        } else if q == self.held {
            self.pending = None;
        } else if self.rules.grace == 0 || self.pending.is_some_and(|d| d <= s) {
            self.change(s, q);
        } else if self.pending.is_none() {
            self.pending = Some(s.saturating_add(self.rules.grace));
        }
        due
    }
}

/// The status for tier `index` held with basis `value`.
pub(super) fn status(
    index: usize,
    value: Money,
    downgrade_at: Option<Micros>,
    rules: &Rules,
    config: &LoyaltyConfig,
) -> TierStatus {
    let here = &config.tiers[index];
    let next = config.tiers.get(index + 1).map(|n| {
        let band = rules.thresholds[index + 1] - rules.thresholds[index];
        let done = value - rules.thresholds[index];
        let fraction = if band > Money(0) {
            (done.to_f64() / band.to_f64()).clamp(0.0, 1.0)
        } else {
            0.0
        };
        NextTier {
            index: index + 1,
            name: n.name.clone(),
            threshold: n.threshold,
            missing: (rules.thresholds[index + 1] - value).to_f64(),
            fraction,
        }
    });
    TierStatus {
        index,
        name: here.name.clone(),
        multiplier: here.multiplier,
        value: value.to_f64(),
        next,
        downgrade_at: downgrade_at.map(from_micros),
    }
}
