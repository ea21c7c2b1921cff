//! Rule segments: caller-defined, composable predicates over summary fields
//! and customer attributes (country, age band, acquisition channel, …).
//!
//! A [`Predicate`] is data, not a closure, so the same rules can come from
//! Python, JavaScript or a configuration file. A customer belongs to every
//! [`RuleSegment`] whose predicate holds; [`first_matching_segment`] gives the
//! first one in table order. A comparison on a value the customer does not
//! have (no orders yet, attribute not set) is false, so `Not` of it is true.

use std::collections::BTreeMap;
use std::collections::HashMap;

use crate::error::{Error, Result};
use crate::events::{CustomerId, Severity, SurveyKind};
use crate::summary::CustomerSummary;
use crate::time::Micros;

/// A value: a number or a text.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(untagged))]
pub enum Value {
    /// A number.
    Num(f64),
    /// A text.
    Text(String),
}

impl From<f64> for Value {
    fn from(v: f64) -> Self {
        Value::Num(v)
    }
}

impl From<&str> for Value {
    fn from(v: &str) -> Self {
        Value::Text(v.to_owned())
    }
}

crate::vocab::codes! {
    /// A field of the customer summary that rules can compare.
    pub enum SummaryField as "summary_field" {
        /// Number of orders.
        Orders = "orders",
        /// Gross revenue.
        Revenue = "revenue",
        /// Net revenue (historic CLV).
        NetRevenue = "net_revenue",
        /// Refunded amount.
        Refunds = "refunds",
        /// Days since the last order (as of the evaluation instant).
        DaysSinceLastOrder = "days_since_last_order",
        /// Days since the first order.
        DaysSinceFirstOrder = "days_since_first_order",
        /// Sessions.
        Sessions = "sessions",
        /// Email opens.
        EmailOpens = "email_opens",
        /// Email clicks.
        EmailClicks = "email_clicks",
        /// Open support tickets of any severity.
        OpenTickets = "open_tickets",
        /// Open critical tickets.
        OpenCriticalTickets = "open_critical_tickets",
        /// Latest NPS answer.
        LatestNps = "latest_nps",
        /// Latest CSAT answer.
        LatestCsat = "latest_csat",
        /// Current MRR.
        Mrr = "mrr",
    }
}

/// A summary field or a customer attribute.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum Field {
    /// A field of the customer summary.
    Summary(SummaryField),
    /// A caller-supplied attribute by name.
    Attribute(String),
}

impl From<SummaryField> for Field {
    fn from(f: SummaryField) -> Self {
        Field::Summary(f)
    }
}

impl Field {
    /// A field by name: `attribute:<name>` or one of `attributes` names an
    /// attribute, anything else must be a [`SummaryField`] code (an unknown
    /// name is [`Error::UnknownCode`]).
    pub fn parse(name: &str, attributes: &[&str]) -> Result<Field> {
        if let Some(attribute) = name.strip_prefix("attribute:") {
            return Ok(Field::Attribute(attribute.to_owned()));
        }
        match name.parse::<SummaryField>() {
            Ok(f) => Ok(Field::Summary(f)),
            Err(_) if attributes.contains(&name) => Ok(Field::Attribute(name.to_owned())),
            Err(e) => Err(e),
        }
    }
}

crate::vocab::codes! {
    /// A comparison operator (its codes are the usual symbols).
    pub enum Op as "operator" {
        /// Equal.
        Eq = "==",
        /// Not equal.
        Ne = "!=",
        /// Less than.
        Lt = "<",
        /// At most.
        Le = "<=",
        /// Greater than.
        Gt = ">",
        /// At least.
        Ge = ">=",
    }
}

/// A composable predicate.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum Predicate {
    /// Always true.
    Always,
    /// `field op value`; numbers compare numerically, texts lexicographically,
    /// a number never equals a text.
    Compare {
        /// Left side.
        field: Field,
        /// Operator.
        op: Op,
        /// Right side.
        value: Value,
    },
    /// `field` equals one of `values`.
    In {
        /// Left side.
        field: Field,
        /// Accepted values.
        values: Vec<Value>,
    },
    /// All hold.
    And(Vec<Predicate>),
    /// At least one holds.
    Or(Vec<Predicate>),
    /// Does not hold.
    Not(Box<Predicate>),
}

impl Predicate {
    /// `field op value`.
    pub fn compare(field: impl Into<Field>, op: Op, value: impl Into<Value>) -> Predicate {
        Predicate::Compare {
            field: field.into(),
            op,
            value: value.into(),
        }
    }

    /// Both hold.
    pub fn and(self, other: Predicate) -> Predicate {
        Predicate::And(vec![self, other])
    }

    /// Either holds.
    pub fn or(self, other: Predicate) -> Predicate {
        Predicate::Or(vec![self, other])
    }

    /// Negation.
    #[allow(clippy::should_implement_trait)]
    pub fn not(self) -> Predicate {
        Predicate::Not(Box::new(self))
    }

    fn check(&self) -> Result<()> {
        match self {
            Predicate::Always => Ok(()),
            Predicate::Compare { value, .. } => check_value(value),
            Predicate::In { values, .. } => values.iter().try_for_each(check_value),
            Predicate::And(ps) | Predicate::Or(ps) => ps.iter().try_for_each(Predicate::check),
            Predicate::Not(p) => p.check(),
        }
    }

    fn eval(&self, ctx: &Context<'_>) -> bool {
        match self {
            Predicate::Always => true,
            Predicate::Compare { field, op, value } => {
                ctx.get(field).is_some_and(|v| compare(&v, *op, value))
            }
            Predicate::In { field, values } => ctx
                .get(field)
                .is_some_and(|v| values.iter().any(|w| compare(&v, Op::Eq, w))),
            Predicate::And(ps) => ps.iter().all(|p| p.eval(ctx)),
            Predicate::Or(ps) => ps.iter().any(|p| p.eval(ctx)),
            Predicate::Not(p) => !p.eval(ctx),
        }
    }
}

fn check_value(v: &Value) -> Result<()> {
    match v {
        Value::Num(x) if !x.is_finite() => {
            Err(Error::parameter("predicate value", x, "must be finite"))
        }
        _ => Ok(()),
    }
}

fn compare(a: &Value, op: Op, b: &Value) -> bool {
    let ord = match (a, b) {
        (Value::Num(x), Value::Num(y)) => x.partial_cmp(y),
        (Value::Text(x), Value::Text(y)) => Some(x.cmp(y)),
        _ => return op == Op::Ne,
    };
    let Some(ord) = ord else { return false };
    use std::cmp::Ordering::*;
    match op {
        Op::Eq => ord == Equal,
        Op::Ne => ord != Equal,
        Op::Lt => ord == Less,
        Op::Le => ord != Greater,
        Op::Gt => ord == Greater,
        Op::Ge => ord != Less,
    }
}

/// Attributes per customer (e.g. `country = "DE"`, `age_band = "25-34"`).
pub type Attributes = HashMap<CustomerId, BTreeMap<String, Value>>;

struct Context<'a> {
    summary: &'a CustomerSummary,
    attributes: Option<&'a BTreeMap<String, Value>>,
    as_of: Micros,
}

impl Context<'_> {
    fn get(&self, field: &Field) -> Option<Value> {
        let s = self.summary;
        let a = s.activity();
        let days = |t: Micros| crate::time::elapsed_days(t, self.as_of);
        let num = |x: f64| Some(Value::Num(x));
        match field {
            Field::Summary(SummaryField::Orders) => num(f64::from(s.orders())),
            Field::Summary(SummaryField::Revenue) => num(s.revenue()),
            Field::Summary(SummaryField::NetRevenue) => num(s.net_revenue()),
            Field::Summary(SummaryField::Refunds) => num(s.refunds()),
            Field::Summary(SummaryField::DaysSinceLastOrder) => {
                s.last_order().map(|t| Value::Num(days(t)))
            }
            Field::Summary(SummaryField::DaysSinceFirstOrder) => {
                s.first_order().map(|t| Value::Num(days(t)))
            }
            Field::Summary(SummaryField::Sessions) => num(a.map_or(0.0, |a| a.sessions as f64)),
            Field::Summary(SummaryField::EmailOpens) => {
                num(a.map_or(0.0, |a| a.email_opens as f64))
            }
            Field::Summary(SummaryField::EmailClicks) => {
                num(a.map_or(0.0, |a| a.email_clicks as f64))
            }
            Field::Summary(SummaryField::OpenTickets) => num(a.map_or(0.0, |a| {
                Severity::ALL
                    .iter()
                    .map(|&sev| a.open_tickets(sev) as f64)
                    .sum()
            })),
            Field::Summary(SummaryField::OpenCriticalTickets) => {
                num(a.map_or(0.0, |a| a.open_tickets(Severity::Critical) as f64))
            }
            Field::Summary(SummaryField::LatestNps) => a
                .and_then(|a| a.latest_survey(SurveyKind::Nps))
                .map(|x| Value::Num(x.score)),
            Field::Summary(SummaryField::LatestCsat) => a
                .and_then(|a| a.latest_survey(SurveyKind::Csat))
                .map(|x| Value::Num(x.score)),
            Field::Summary(SummaryField::Mrr) => num(a.map_or(0.0, |a| a.mrr.to_f64())),
            Field::Attribute(name) => self.attributes.and_then(|m| m.get(name)).cloned(),
        }
    }
}

/// A named rule segment.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct RuleSegment {
    /// Segment name.
    pub name: String,
    /// Membership rule.
    pub predicate: Predicate,
}

/// For each customer (in the given order), the names of every segment whose
/// predicate holds as of `as_of`.
pub fn rule_segments<'a>(
    customers: impl IntoIterator<Item = (&'a CustomerId, &'a CustomerSummary)>,
    attributes: &Attributes,
    segments: &[RuleSegment],
    as_of: Micros,
) -> Result<Vec<(CustomerId, Vec<String>)>> {
    segments.iter().try_for_each(|s| s.predicate.check())?;
    Ok(customers
        .into_iter()
        .map(|(id, summary)| {
            let ctx = Context {
                summary,
                attributes: attributes.get(id),
                as_of,
            };
            let names = segments
                .iter()
                .filter(|s| s.predicate.eval(&ctx))
                .map(|s| s.name.clone())
                .collect();
            (id.clone(), names)
        })
        .collect())
}

/// The first segment in table order whose predicate holds, per customer.
pub fn first_matching_segment<'a>(
    customers: impl IntoIterator<Item = (&'a CustomerId, &'a CustomerSummary)>,
    attributes: &Attributes,
    segments: &[RuleSegment],
    as_of: Micros,
) -> Result<Vec<(CustomerId, Option<String>)>> {
    Ok(rule_segments(customers, attributes, segments, as_of)?
        .into_iter()
        .map(|(id, names)| (id, names.into_iter().next()))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::events::{Event, EventKind, EventLog, LogOptions};
    use crate::summary::Summaries;
    use chrono::{TimeZone, Utc};

    #[test]
    fn composed_rules_over_fields_and_attributes() {
        let d = |day| Utc.with_ymd_and_hms(2024, 6, day, 0, 0, 0).unwrap();
        let events = vec![
            Event::order(1, d(1), 300.0),
            Event::order(1, d(20), 200.0),
            Event::order(2, d(2), 20.0),
            Event::new(
                2,
                d(3),
                EventKind::SupportTicket {
                    severity: Severity::Critical,
                    resolved: false,
                },
            ),
            Event::new(3, d(4), EventKind::Session),
        ];
        let summaries =
            Summaries::from_log(&EventLog::from_events(&events, LogOptions::default()).unwrap());
        let mut attributes = Attributes::new();
        attributes.insert(
            1.into(),
            BTreeMap::from([("country".to_owned(), Value::from("DE"))]),
        );
        attributes.insert(
            2.into(),
            BTreeMap::from([("country".to_owned(), Value::from("FR"))]),
        );
        let big_german = RuleSegment {
            name: "big spenders in DACH".into(),
            predicate: Predicate::compare(SummaryField::NetRevenue, Op::Ge, 400.0).and(
                Predicate::In {
                    field: Field::Attribute("country".into()),
                    values: vec!["DE".into(), "AT".into(), "CH".into()],
                },
            ),
        };
        let troubled = RuleSegment {
            name: "needs care".into(),
            predicate: Predicate::compare(SummaryField::OpenCriticalTickets, Op::Gt, 0.0).or(
                Predicate::compare(SummaryField::DaysSinceLastOrder, Op::Gt, 60.0),
            ),
        };
        let never_bought = RuleSegment {
            name: "no orders".into(),
            predicate: Predicate::compare(SummaryField::DaysSinceLastOrder, Op::Ge, 0.0).not(),
        };
        let as_of = crate::time::to_micros(d(30));
        let got = rule_segments(
            summaries.iter(),
            &attributes,
            &[big_german, troubled, never_bought],
            as_of,
        )
        .unwrap();
        assert_eq!(got[0].1, vec!["big spenders in DACH".to_owned()]);
        assert_eq!(got[1].1, vec!["needs care".to_owned()]);
        assert_eq!(got[2].1, vec!["no orders".to_owned()]);
        let bad = RuleSegment {
            name: "x".into(),
            predicate: Predicate::compare(SummaryField::Orders, Op::Gt, f64::NAN),
        };
        assert!(rule_segments(summaries.iter(), &attributes, &[bad], as_of).is_err());
    }
}
