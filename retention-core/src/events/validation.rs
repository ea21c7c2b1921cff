//! Row validation: the per-row checks and the compact form of a valid row.

use std::str::FromStr;

use super::{CustomerId, EventKind, EventType, Severity, SubscriptionChange, SurveyKind};
use crate::error::{check_non_negative, IssueKind, Issues};

/// Largest accepted money (or points) amount for one event: 10¹².
///
/// Keeps every sum exactly representable in the summaries' fixed-point money.
pub const MAX_AMOUNT: f64 = 1e12;

/// Payload codes stored in the `aux` column.
pub(super) const NO_ITEMS: u32 = u32::MAX;

/// A validated row in compact form, before sorting.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Compact {
    pub(super) kind: EventType,
    pub(super) value: f64,
    pub(super) aux: u32,
}

/// Raw per-row fields from columnar input.
pub(super) struct Fields<'a> {
    pub(super) amount: f64,
    pub(super) items: Option<u32>,
    pub(super) score: f64,
    pub(super) detail: Option<&'a str>,
    pub(super) resolved: Option<bool>,
}

fn check_amount(issues: &mut Issues, row: usize, field: &'static str, v: f64) -> bool {
    if !check_non_negative(issues, row, field, v) {
        return false;
    }
    if v > MAX_AMOUNT {
        issues.push(
            row,
            field,
            v,
            IssueKind::OutOfRange {
                min: 0.0,
                max: MAX_AMOUNT,
            },
        );
        return false;
    }
    true
}

fn check_score(issues: &mut Issues, row: usize, v: f64) {
    if !v.is_finite() {
        issues.push(row, "score", v, IssueKind::NotFinite);
    } else if !(0.0..=10.0).contains(&v) {
        issues.push(
            row,
            "score",
            v,
            IssueKind::OutOfRange {
                min: 0.0,
                max: 10.0,
            },
        );
    } else if v.fract() != 0.0 {
        issues.push(row, "score", v, IssueKind::NotInteger);
    }
}

fn check_mrr(issues: &mut Issues, row: usize, change: SubscriptionChange, v: f64) {
    if !v.is_finite() {
        issues.push(row, "amount", v, IssueKind::NotFinite);
        return;
    }
    let positive = matches!(
        change,
        SubscriptionChange::New | SubscriptionChange::Expansion | SubscriptionChange::Reactivation
    );
    let (min, max) = if positive {
        (f64::MIN_POSITIVE, MAX_AMOUNT)
    } else {
        (-MAX_AMOUNT, -f64::MIN_POSITIVE)
    };
    if !(min..=max).contains(&v) {
        let (min, max) = if positive {
            (0.0, MAX_AMOUNT)
        } else {
            (-MAX_AMOUNT, 0.0)
        };
        issues.push(row, "amount", v, IssueKind::OutOfRange { min, max });
    }
}

pub(super) fn compact_event(
    row: usize,
    kind: &EventKind,
    referred: &mut Vec<CustomerId>,
    issues: &mut Issues,
) -> Compact {
    let (t, value, aux) = match kind {
        EventKind::Signup => (EventType::Signup, 0.0, 0),
        EventKind::Session => (EventType::Session, 0.0, 0),
        EventKind::EmailOpen => (EventType::EmailOpen, 0.0, 0),
        EventKind::EmailClick => (EventType::EmailClick, 0.0, 0),
        EventKind::Order { amount, items } => {
            check_amount(issues, row, "amount", *amount);
            if *items == Some(NO_ITEMS) {
                issues.push(
                    row,
                    "items",
                    NO_ITEMS,
                    IssueKind::OutOfRange {
                        min: 0.0,
                        max: f64::from(NO_ITEMS - 1),
                    },
                );
            }
            (EventType::Order, *amount, items.unwrap_or(NO_ITEMS))
        }
        EventKind::Refund { amount } => {
            check_amount(issues, row, "amount", *amount);
            (EventType::Refund, *amount, 0)
        }
        EventKind::SupportTicket { severity, resolved } => (
            EventType::SupportTicket,
            0.0,
            (*severity as u32) << 1 | u32::from(*resolved),
        ),
        EventKind::Survey { kind, score } => {
            check_score(issues, row, *score);
            (EventType::Survey, *score, *kind as u32)
        }
        EventKind::Referral { referred: who } => {
            referred.push(who.clone());
            (EventType::Referral, 0.0, (referred.len() - 1) as u32)
        }
        EventKind::Subscription { change, mrr_delta } => {
            check_mrr(issues, row, *change, *mrr_delta);
            (EventType::Subscription, *mrr_delta, *change as u32)
        }
        EventKind::PointsEarned { points } => {
            check_amount(issues, row, "points", *points);
            (EventType::PointsEarned, *points, 0)
        }
        EventKind::PointsRedeemed { points } => {
            check_amount(issues, row, "points", *points);
            (EventType::PointsRedeemed, *points, 0)
        }
    };
    Compact {
        kind: t,
        value,
        aux,
    }
}

fn parse_detail<T: FromStr>(issues: &mut Issues, row: usize, detail: Option<&str>) -> Option<T> {
    match detail {
        None => {
            issues.push(row, "detail", "", IssueKind::Missing);
            None
        }
        Some(text) => match text.parse::<T>() {
            Ok(v) => Some(v),
            Err(_) => {
                issues.push(row, "detail", text, IssueKind::UnknownKind);
                None
            }
        },
    }
}

/// The compact form of a valid row of the common kinds (orders, refunds,
/// points with an amount and nothing else; sessions, signups and e-mail events
/// with nothing at all), or `None` for anything else, which then goes through
/// the full validation in [`compact_fields`]. Agrees with it on every row it
/// accepts.
#[inline]
pub(super) fn plain_row(kind: EventType, f: &Fields<'_>) -> Option<Compact> {
    if f.items.is_some() || !f.score.is_nan() || f.detail.is_some() || f.resolved.is_some() {
        return None;
    }
    let a = f.amount;
    let (value, aux) = match kind {
        EventType::Order if (0.0..=MAX_AMOUNT).contains(&a) => (a, NO_ITEMS),
        EventType::Refund | EventType::PointsEarned | EventType::PointsRedeemed
            if (0.0..=MAX_AMOUNT).contains(&a) =>
        {
            (a, 0)
        }
        EventType::Signup | EventType::Session | EventType::EmailOpen | EventType::EmailClick
            if a.is_nan() || a == 0.0 =>
        {
            (0.0, 0)
        }
        _ => return None,
    };
    Some(Compact { kind, value, aux })
}

pub(super) fn compact_fields(
    row: usize,
    kind: EventType,
    f: Fields<'_>,
    referred: &mut Vec<CustomerId>,
    issues: &mut Issues,
) -> Compact {
    // Fields that do not apply must be absent (amount may also be 0).
    let uses_amount = matches!(
        kind,
        EventType::Order
            | EventType::Refund
            | EventType::Subscription
            | EventType::PointsEarned
            | EventType::PointsRedeemed
    );
    let uses_detail = matches!(
        kind,
        EventType::SupportTicket
            | EventType::Survey
            | EventType::Referral
            | EventType::Subscription
    );
    if !uses_amount && !f.amount.is_nan() && f.amount != 0.0 {
        issues.push(row, "amount", f.amount, IssueKind::NotApplicable);
    }
    if kind != EventType::Order {
        if let Some(items) = f.items {
            issues.push(row, "items", items, IssueKind::NotApplicable);
        }
    }
    if kind != EventType::Survey && !f.score.is_nan() {
        issues.push(row, "score", f.score, IssueKind::NotApplicable);
    }
    if !uses_detail {
        if let Some(d) = f.detail {
            issues.push(row, "detail", d, IssueKind::NotApplicable);
        }
    }
    if kind != EventType::SupportTicket {
        if let Some(r) = f.resolved {
            issues.push(row, "resolved", r, IssueKind::NotApplicable);
        }
    }
    let required_amount = |issues: &mut Issues| {
        if f.amount.is_nan() {
            issues.push(row, "amount", "", IssueKind::Missing);
            false
        } else {
            true
        }
    };
    let event = match kind {
        EventType::Signup => EventKind::Signup,
        EventType::Session => EventKind::Session,
        EventType::EmailOpen => EventKind::EmailOpen,
        EventType::EmailClick => EventKind::EmailClick,
        EventType::Order => {
            required_amount(issues);
            EventKind::Order {
                amount: if f.amount.is_nan() { 0.0 } else { f.amount },
                items: f.items,
            }
        }
        EventType::Refund => {
            required_amount(issues);
            EventKind::Refund {
                amount: if f.amount.is_nan() { 0.0 } else { f.amount },
            }
        }
        EventType::PointsEarned | EventType::PointsRedeemed => {
            required_amount(issues);
            let points = if f.amount.is_nan() { 0.0 } else { f.amount };
            if kind == EventType::PointsEarned {
                EventKind::PointsEarned { points }
            } else {
                EventKind::PointsRedeemed { points }
            }
        }
        EventType::SupportTicket => {
            let severity =
                parse_detail::<Severity>(issues, row, f.detail).unwrap_or(Severity::Minor);
            if f.resolved.is_none() {
                issues.push(row, "resolved", "", IssueKind::Missing);
            }
            EventKind::SupportTicket {
                severity,
                resolved: f.resolved.unwrap_or(false),
            }
        }
        EventType::Survey => {
            let survey =
                parse_detail::<SurveyKind>(issues, row, f.detail).unwrap_or(SurveyKind::Nps);
            if f.score.is_nan() {
                issues.push(row, "score", "", IssueKind::Missing);
            }
            EventKind::Survey {
                kind: survey,
                score: if f.score.is_nan() { 0.0 } else { f.score },
            }
        }
        EventType::Referral => match f.detail {
            None => {
                issues.push(row, "detail", "", IssueKind::Missing);
                EventKind::Referral {
                    referred: CustomerId::Int(0),
                }
            }
            Some(text) => EventKind::Referral {
                referred: text
                    .trim()
                    .parse::<i64>()
                    .map(CustomerId::Int)
                    .unwrap_or_else(|_| CustomerId::Str(text.trim().to_owned())),
            },
        },
        EventType::Subscription => {
            let change = parse_detail::<SubscriptionChange>(issues, row, f.detail);
            let has_amount = required_amount(issues);
            match change {
                Some(change) if has_amount => EventKind::Subscription {
                    change,
                    mrr_delta: f.amount,
                },
                _ => EventKind::Subscription {
                    change: SubscriptionChange::New,
                    mrr_delta: 1.0,
                },
            }
        }
    };
    compact_event(row, &event, referred, issues)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Error;
    use crate::events::{CustomerColumn, Event, EventColumns, EventLog, LogOptions};
    use chrono::{DateTime, TimeZone, Utc};

    fn t(day: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2024, 1, day, 10, 0, 0).unwrap()
    }

    #[test]
    fn every_bad_row_is_reported() {
        let events = vec![
            Event::order(1, t(1), -5.0),
            Event::order(1, t(1), 5.0),
            Event::new(
                2,
                t(2),
                EventKind::Refund {
                    amount: f64::INFINITY,
                },
            ),
            Event::new(
                3,
                t(3),
                EventKind::Survey {
                    kind: SurveyKind::Nps,
                    score: 11.0,
                },
            ),
            Event::new(
                3,
                t(3),
                EventKind::Survey {
                    kind: SurveyKind::Nps,
                    score: 7.5,
                },
            ),
            Event::new(
                4,
                t(4),
                EventKind::Subscription {
                    change: SubscriptionChange::Churn,
                    mrr_delta: 20.0,
                },
            ),
        ];
        let err = EventLog::from_events(&events, LogOptions::default()).unwrap_err();
        let Error::InvalidRows { issues } = err else {
            panic!("{err:?}")
        };
        let summary: Vec<_> = issues
            .iter()
            .map(|i| (i.row, i.field, i.value.as_str()))
            .collect();
        assert_eq!(
            summary,
            vec![
                (0, "amount", "-5"),
                (2, "amount", "inf"),
                (3, "score", "11"),
                (4, "score", "7.5"),
                (5, "amount", "20")
            ]
        );
        assert_eq!(issues[0].kind, IssueKind::Negative);
        assert_eq!(
            issues[4].kind,
            IssueKind::OutOfRange {
                min: -MAX_AMOUNT,
                max: 0.0
            }
        );
    }

    #[test]
    fn columns_validate_kinds_and_fields() {
        let ids = ["x", "y", "x", "z"];
        let times = [1, 2, 3, 4];
        let kinds = [
            EventType::SupportTicket,
            EventType::Session,
            EventType::Survey,
            EventType::Referral,
        ];
        let amount = [f64::NAN, 3.0, f64::NAN, f64::NAN];
        let detail = [Some("urgent"), None, Some("csat"), None];
        let cols = EventColumns {
            customer: CustomerColumn::Str(&ids),
            timestamp: &times,
            kind: Some(&kinds),
            amount: Some(&amount),
            items: None,
            score: None,
            detail: Some(&detail),
            resolved: None,
        };
        let err = EventLog::from_columns(&cols, LogOptions::default()).unwrap_err();
        let Error::InvalidRows { issues } = err else {
            panic!()
        };
        let got: Vec<_> = issues
            .iter()
            .map(|i| (i.row, i.field, i.kind.clone()))
            .collect();
        assert_eq!(
            got,
            vec![
                (0, "detail", IssueKind::UnknownKind),
                (0, "resolved", IssueKind::Missing),
                (1, "amount", IssueKind::NotApplicable),
                (2, "score", IssueKind::Missing),
                (3, "detail", IssueKind::Missing),
            ]
        );
    }
}
