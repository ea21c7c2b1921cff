//! Event types and payloads: the vocabulary enums, [`EventKind`] and [`Event`].

use chrono::{DateTime, Utc};

use super::CustomerId;

/// The value at `index` of a code enum's `ALL` (the first for an
/// out-of-range index, which the log's own encoding never produces).
pub(super) fn from_index<T: Copy>(all: &[T], index: u32) -> T {
    all.get(index as usize).copied().unwrap_or(all[0])
}

crate::vocab::codes! {
    /// Severity of a support ticket.
    pub enum Severity as "severity" {
        /// Minor issue.
        Minor = "minor",
        /// Major issue.
        Major = "major",
        /// Critical issue (or a formal complaint): turns the churn traffic light red while open.
        Critical = "critical",
    }
}

crate::vocab::codes! {
    /// Which survey question an answer belongs to.
    pub enum SurveyKind as "survey_kind" {
        /// Net Promoter Score question, 0–10.
        Nps = "nps",
        /// Customer satisfaction, 1..=scale (default 5).
        Csat = "csat",
        /// Customer effort score, 1..=number of options.
        Ces = "ces",
        /// Loyalty index question "how likely to recommend", 0–10.
        LoyaltyRecommend = "loyalty_recommend",
        /// Loyalty index question "how likely to buy again", 0–10.
        LoyaltyRepurchase = "loyalty_repurchase",
        /// Loyalty index question "how likely to try other products", 0–10.
        LoyaltyOtherProducts = "loyalty_other_products",
    }
}

crate::vocab::codes! {
    /// Kind of a subscription MRR movement.
    pub enum SubscriptionChange as "subscription_change" {
        /// A new subscriber (`mrr_delta > 0`).
        New = "new",
        /// An existing subscriber pays more (`mrr_delta > 0`).
        Expansion = "expansion",
        /// An existing subscriber pays less (`mrr_delta < 0`).
        Contraction = "contraction",
        /// A subscriber cancels (`mrr_delta < 0`, down to zero MRR).
        Churn = "churn",
        /// A former subscriber comes back (`mrr_delta > 0`).
        Reactivation = "reactivation",
    }
}

crate::vocab::codes! {
    /// The kind of an event without its payload (the `event` column).
    pub enum EventType as "event_type" {
        /// Account creation.
        Signup = "signup",
        /// A purchase.
        Order = "order",
        /// Money returned to the customer.
        Refund = "refund",
        /// A visit / session.
        Session = "session",
        /// A marketing email was opened.
        EmailOpen = "email_open",
        /// A link in a marketing email was clicked.
        EmailClick = "email_click",
        /// A support ticket was opened or resolved.
        SupportTicket = "support_ticket",
        /// A survey answer.
        Survey = "survey",
        /// The customer referred somebody.
        Referral = "referral",
        /// A subscription MRR movement.
        Subscription = "subscription",
        /// Loyalty points credited.
        PointsEarned = "points_earned",
        /// Loyalty points spent.
        PointsRedeemed = "points_redeemed",
    }
}

/// What happened, with its payload.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(tag = "type", rename_all = "snake_case"))]
pub enum EventKind {
    /// Account creation.
    Signup,
    /// A purchase of `amount` (≥ 0) in account currency, optionally with an item count.
    Order {
        /// Order value.
        amount: f64,
        /// Number of items, when known.
        items: Option<u32>,
    },
    /// A refund of `amount` (≥ 0).
    Refund {
        /// Refunded value.
        amount: f64,
    },
    /// A visit.
    Session,
    /// A marketing email opened.
    EmailOpen,
    /// A marketing email clicked.
    EmailClick,
    /// A support ticket event: `resolved: false` records a ticket being opened,
    /// `resolved: true` records one being resolved. Open tickets per severity are
    /// `opened − resolved` (never below zero).
    SupportTicket {
        /// Ticket severity.
        severity: Severity,
        /// Whether this event resolves a ticket (true) or opens one (false).
        resolved: bool,
    },
    /// A survey answer.
    Survey {
        /// Which question.
        kind: SurveyKind,
        /// The answer (a whole number on the question's scale).
        score: f64,
    },
    /// The customer referred `referred`.
    Referral {
        /// The referred person.
        referred: CustomerId,
    },
    /// A subscription MRR movement (`mrr_delta` signed, see [`SubscriptionChange`]).
    Subscription {
        /// Kind of movement.
        change: SubscriptionChange,
        /// Signed change of monthly recurring revenue.
        mrr_delta: f64,
    },
    /// Loyalty points credited.
    PointsEarned {
        /// Points (≥ 0).
        points: f64,
    },
    /// Loyalty points redeemed.
    PointsRedeemed {
        /// Points (≥ 0).
        points: f64,
    },
}

impl EventKind {
    /// The payload-free type of this event.
    pub fn event_type(&self) -> EventType {
        match self {
            EventKind::Signup => EventType::Signup,
            EventKind::Order { .. } => EventType::Order,
            EventKind::Refund { .. } => EventType::Refund,
            EventKind::Session => EventType::Session,
            EventKind::EmailOpen => EventType::EmailOpen,
            EventKind::EmailClick => EventType::EmailClick,
            EventKind::SupportTicket { .. } => EventType::SupportTicket,
            EventKind::Survey { .. } => EventType::Survey,
            EventKind::Referral { .. } => EventType::Referral,
            EventKind::Subscription { .. } => EventType::Subscription,
            EventKind::PointsEarned { .. } => EventType::PointsEarned,
            EventKind::PointsRedeemed { .. } => EventType::PointsRedeemed,
        }
    }
}

/// One event, as a row.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Event {
    /// Who.
    pub customer: CustomerId,
    /// When (UTC).
    pub timestamp: DateTime<Utc>,
    /// What.
    pub kind: EventKind,
}

impl Event {
    /// Builds an event.
    pub fn new(customer: impl Into<CustomerId>, timestamp: DateTime<Utc>, kind: EventKind) -> Self {
        Event {
            customer: customer.into(),
            timestamp,
            kind,
        }
    }

    /// Shorthand for an order without item count.
    pub fn order(customer: impl Into<CustomerId>, timestamp: DateTime<Utc>, amount: f64) -> Self {
        Event::new(
            customer,
            timestamp,
            EventKind::Order {
                amount,
                items: None,
            },
        )
    }
}
