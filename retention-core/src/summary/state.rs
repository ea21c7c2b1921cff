//! The full mergeable state of [`Summaries`] and [`OrderDays`] as named,
//! typed columns: what crosses to storage and between machines (Arrow tables,
//! Spark DataFrames) and comes back without loss.
//!
//! One row per customer. Each column is described once, by a [`StateField`]:
//! its name, its [`StateType`] and its [`MergeRule`], the rule by which two
//! partial states of one customer combine (the rules of [`CustomerSummary::merge`]
//! and [`OrderDays::merge`], see the parent module). A front door turns the
//! field list into its own schema generically, and an engine that merges rows
//! with its own aggregates (Spark's `min`, `max`, `sum` over exact decimals)
//! reads the rules from the same list, so the column list is written only
//! here ([`state_fields`]).
//!
//! Money columns hold the exact fixed-point value ([`Money`], 10⁻⁶ units);
//! sums of them are exact in any order, so merging partial states by summing
//! gives the single-pass summary to the micro-unit.
//!
//! [`SummaryState::into_summaries`] checks every row (an order count with no
//! first order, a negative count, a survey time without a score, order days
//! that disagree with the order count…) and reports every bad value as an
//! [`Error::InvalidRows`] issue naming the row, field and value. Rows with the
//! same customer are merged, so reading the concatenation of two states gives
//! their merge.
//!
//! ```
//! use chrono::{TimeZone, Utc};
//! use retention_core::events::{Event, EventLog, LogOptions};
//! use retention_core::summary::{state_fields, OrderDays, Summaries, SummaryState};
//!
//! let day = |d| Utc.with_ymd_and_hms(2024, 5, d, 9, 0, 0).unwrap();
//! let events = vec![Event::order(1, day(1), 30.0), Event::order(1, day(8), 20.0)];
//! let log = EventLog::from_events(&events, LogOptions::default())?;
//! let (s, d) = (Summaries::from_log(&log), OrderDays::from_log(&log));
//! let state = SummaryState::from_summaries(&s, &d);
//! assert_eq!(state.columns.len(), state_fields().len());
//! assert_eq!(state.into_summaries()?, (s, d));
//! # Ok::<(), retention_core::Error>(())
//! ```

use super::{Activity, CustomerSummary, DayTotal, Money, OrderDays, Summaries, SurveyAnswer};
use crate::error::{Error, IssueKind, Result, RowIssue};
use crate::events::{CustomerId, Severity, SurveyKind};
use crate::time::Micros;

crate::vocab::codes! {
    /// How two partial states of one customer combine, column by column.
    pub enum MergeRule as "merge_rule" {
        /// The customer id: rows with equal keys are merged.
        Key = "key",
        /// The smaller instant (absent values ignored).
        Min = "min",
        /// The larger instant (absent values ignored).
        Max = "max",
        /// The sum (exact: counts and fixed-point money).
        Sum = "sum",
        /// The instant of a latest answer: the pair (instant, value) with the
        /// greatest instant, ties broken by the greater value (`f64::total_cmp`),
        /// is kept. The value column is the field's `partner`.
        LatestTime = "latest_time",
        /// The value of a latest answer (see `LatestTime`; the instant column
        /// is the field's `partner`).
        LatestValue = "latest_value",
        /// The union of per-day order totals, summing days present on both sides.
        UnionDays = "union_days",
    }
}

crate::vocab::codes! {
    /// The type of a state column.
    pub enum StateType as "state_type" {
        /// Customer ids (integers, or text when any id is text).
        CustomerId = "customer_id",
        /// UTC instants in µs, absent when there is none.
        Instant = "instant",
        /// Non-negative counts.
        Count = "count",
        /// Exact money, 10⁻⁶ units (a decimal with scale 6).
        Money = "money",
        /// A number that may be absent (a survey answer).
        Score = "score",
        /// A list of (UTC day, orders, revenue) sorted by day.
        OrderDays = "order_days",
    }
}

/// One column of the state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StateField {
    /// Column name.
    pub name: &'static str,
    /// Column type.
    pub ty: StateType,
    /// How partial states combine in this column.
    pub merge: MergeRule,
    /// For [`MergeRule::LatestTime`] / [`MergeRule::LatestValue`], the other
    /// column of the pair.
    pub partner: Option<&'static str>,
}

/// One column's values, one per customer.
#[derive(Debug, Clone, PartialEq)]
pub enum StateColumn {
    /// [`StateType::CustomerId`].
    Ids(Vec<CustomerId>),
    /// [`StateType::Instant`].
    Instants(Vec<Option<Micros>>),
    /// [`StateType::Count`].
    Counts(Vec<u64>),
    /// [`StateType::Money`].
    Money(Vec<Money>),
    /// [`StateType::Score`].
    Scores(Vec<Option<f64>>),
    /// [`StateType::OrderDays`].
    OrderDays(Vec<Vec<DayTotal>>),
}

impl StateColumn {
    /// Number of rows.
    pub fn len(&self) -> usize {
        match self {
            StateColumn::Ids(v) => v.len(),
            StateColumn::Instants(v) => v.len(),
            StateColumn::Counts(v) => v.len(),
            StateColumn::Money(v) => v.len(),
            StateColumn::Scores(v) => v.len(),
            StateColumn::OrderDays(v) => v.len(),
        }
    }

    /// Whether the column has no rows.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The column's type.
    pub fn ty(&self) -> StateType {
        match self {
            StateColumn::Ids(_) => StateType::CustomerId,
            StateColumn::Instants(_) => StateType::Instant,
            StateColumn::Counts(_) => StateType::Count,
            StateColumn::Money(_) => StateType::Money,
            StateColumn::Scores(_) => StateType::Score,
            StateColumn::OrderDays(_) => StateType::OrderDays,
        }
    }
}

/// The state as columns, in the order of [`state_fields`].
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SummaryState {
    /// One column per field of [`state_fields`], all of one length.
    pub columns: Vec<StateColumn>,
}

const TICKETS_OPENED: [&str; 3] = [
    "tickets_opened_minor",
    "tickets_opened_major",
    "tickets_opened_critical",
];
const TICKETS_RESOLVED: [&str; 3] = [
    "tickets_resolved_minor",
    "tickets_resolved_major",
    "tickets_resolved_critical",
];
const SURVEY_TIME: [&str; 6] = [
    "survey_nps_time",
    "survey_csat_time",
    "survey_ces_time",
    "survey_loyalty_recommend_time",
    "survey_loyalty_repurchase_time",
    "survey_loyalty_other_products_time",
];
const SURVEY_SCORE: [&str; 6] = [
    "survey_nps_score",
    "survey_csat_score",
    "survey_ces_score",
    "survey_loyalty_recommend_score",
    "survey_loyalty_repurchase_score",
    "survey_loyalty_other_products_score",
];

/// One customer's state with every part present (the layout the columns are
/// read from and written to).
#[derive(Debug, Clone, Default)]
struct Flat {
    first_order: Option<Micros>,
    last_order: Option<Micros>,
    orders: u64,
    revenue: Money,
    refund_count: u64,
    refunds: Money,
    activity: Activity,
    survey_time: [Option<Micros>; 6],
    survey_score: [Option<f64>; 6],
}

impl Flat {
    fn of(s: &CustomerSummary) -> Flat {
        let activity = s.activity().cloned().unwrap_or_default();
        Flat {
            first_order: s.first_order(),
            last_order: s.last_order(),
            orders: u64::from(s.orders),
            revenue: s.revenue,
            refund_count: u64::from(s.refund_count),
            refunds: s.refunds,
            survey_time: activity.surveys.map(|a| a.map(|a| a.time)),
            survey_score: activity.surveys.map(|a| a.map(|a| a.score)),
            activity,
        }
    }
}

/// A value type of a state column.
trait Value: Copy + Default + PartialEq {
    const TYPE: StateType;
    fn column(values: Vec<Self>) -> StateColumn;
    fn values(column: &StateColumn) -> Option<&[Self]>;
}

impl Value for Option<Micros> {
    const TYPE: StateType = StateType::Instant;
    fn column(values: Vec<Self>) -> StateColumn {
        StateColumn::Instants(values)
    }
    fn values(column: &StateColumn) -> Option<&[Self]> {
        match column {
            StateColumn::Instants(v) => Some(v),
            _ => None,
        }
    }
}

impl Value for u64 {
    const TYPE: StateType = StateType::Count;
    fn column(values: Vec<Self>) -> StateColumn {
        StateColumn::Counts(values)
    }
    fn values(column: &StateColumn) -> Option<&[Self]> {
        match column {
            StateColumn::Counts(v) => Some(v),
            _ => None,
        }
    }
}

impl Value for Money {
    const TYPE: StateType = StateType::Money;
    fn column(values: Vec<Self>) -> StateColumn {
        StateColumn::Money(values)
    }
    fn values(column: &StateColumn) -> Option<&[Self]> {
        match column {
            StateColumn::Money(v) => Some(v),
            _ => None,
        }
    }
}

impl Value for Option<f64> {
    const TYPE: StateType = StateType::Score;
    fn column(values: Vec<Self>) -> StateColumn {
        StateColumn::Scores(values)
    }
    fn values(column: &StateColumn) -> Option<&[Self]> {
        match column {
            StateColumn::Scores(v) => Some(v),
            _ => None,
        }
    }
}

/// Something done once per scalar field of [`Flat`].
trait Visit {
    fn field<T: Value>(
        &mut self,
        name: &'static str,
        merge: MergeRule,
        partner: Option<&'static str>,
        at: impl Fn(&mut Flat) -> &mut T,
    );
}

/// The scalar fields, in column order: the one list of the state's columns.
fn visit(v: &mut impl Visit) {
    use MergeRule::*;
    v.field("first_order", Min, None, |f| &mut f.first_order);
    v.field("last_order", Max, None, |f| &mut f.last_order);
    v.field("orders", Sum, None, |f| &mut f.orders);
    v.field("revenue", Sum, None, |f| &mut f.revenue);
    v.field("refund_count", Sum, None, |f| &mut f.refund_count);
    v.field("refunds", Sum, None, |f| &mut f.refunds);
    v.field("first_event", Min, None, |f| &mut f.activity.first_event);
    v.field("last_event", Max, None, |f| &mut f.activity.last_event);
    v.field("signup", Min, None, |f| &mut f.activity.signup);
    v.field("sessions", Sum, None, |f| &mut f.activity.sessions);
    v.field("email_opens", Sum, None, |f| &mut f.activity.email_opens);
    v.field("email_clicks", Sum, None, |f| &mut f.activity.email_clicks);
    v.field("referrals", Sum, None, |f| &mut f.activity.referrals);
    for s in Severity::ALL.iter().map(|&s| s as usize) {
        v.field(TICKETS_OPENED[s], Sum, None, move |f| {
            &mut f.activity.tickets_opened[s]
        });
        v.field(TICKETS_RESOLVED[s], Sum, None, move |f| {
            &mut f.activity.tickets_resolved[s]
        });
    }
    for k in SurveyKind::ALL.iter().map(|&k| k as usize) {
        let (time, score) = (SURVEY_TIME[k], SURVEY_SCORE[k]);
        v.field(time, LatestTime, Some(score), move |f| {
            &mut f.survey_time[k]
        });
        v.field(score, LatestValue, Some(time), move |f| {
            &mut f.survey_score[k]
        });
    }
    v.field("mrr", Sum, None, |f| &mut f.activity.mrr);
    v.field("points_earned", Sum, None, |f| {
        &mut f.activity.points_earned
    });
    v.field("points_redeemed", Sum, None, |f| {
        &mut f.activity.points_redeemed
    });
}

const ID: StateField = StateField {
    name: "customer_id",
    ty: StateType::CustomerId,
    merge: MergeRule::Key,
    partner: None,
};

const DAYS: StateField = StateField {
    name: "order_days",
    ty: StateType::OrderDays,
    merge: MergeRule::UnionDays,
    partner: None,
};

/// The state's columns, in order: `customer_id`, the summary fields, then
/// `order_days`.
///
/// ```
/// use retention_core::summary::{state_fields, MergeRule};
/// let f = state_fields();
/// assert_eq!((f[0].name, f[f.len() - 1].name), ("customer_id", "order_days"));
/// assert!(f.iter().any(|f| f.name == "revenue" && f.merge == MergeRule::Sum));
/// ```
pub fn state_fields() -> Vec<StateField> {
    struct Names(Vec<StateField>);
    impl Visit for Names {
        fn field<T: Value>(
            &mut self,
            name: &'static str,
            merge: MergeRule,
            partner: Option<&'static str>,
            _: impl Fn(&mut Flat) -> &mut T,
        ) {
            self.0.push(StateField {
                name,
                ty: T::TYPE,
                merge,
                partner,
            });
        }
    }
    let mut names = Names(vec![ID]);
    visit(&mut names);
    names.0.push(DAYS);
    names.0
}

impl SummaryState {
    /// The state of summaries and their order days (customers of `days`
    /// absent from `summaries` are ignored; customers without orders get
    /// an empty list).
    pub fn from_summaries(summaries: &Summaries, days: &OrderDays) -> SummaryState {
        struct Write<'a>(&'a mut [Flat], Vec<StateColumn>);
        impl Visit for Write<'_> {
            fn field<T: Value>(
                &mut self,
                _: &'static str,
                _: MergeRule,
                _: Option<&'static str>,
                at: impl Fn(&mut Flat) -> &mut T,
            ) {
                let values = self.0.iter_mut().map(|f| *at(f)).collect();
                self.1.push(T::column(values));
            }
        }
        let mut flat: Vec<Flat> = summaries.summaries().iter().map(Flat::of).collect();
        let mut w = Write(&mut flat, vec![StateColumn::Ids(summaries.ids().to_vec())]);
        visit(&mut w);
        let mut columns = w.1;
        let mut order_days = Vec::with_capacity(summaries.len());
        let mut others = days.iter().peekable();
        for id in summaries.ids() {
            while others.next_if(|(d, _)| *d < id).is_some() {}
            order_days.push(match others.next_if(|(d, _)| *d == id) {
                Some((_, set)) => set.to_vec(),
                None => Vec::new(),
            });
        }
        columns.push(StateColumn::OrderDays(order_days));
        SummaryState { columns }
    }

    /// Number of rows.
    pub fn len(&self) -> usize {
        self.columns.first().map_or(0, StateColumn::len)
    }

    /// Whether there are no rows.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Checks every row and rebuilds the summaries and order days, merging
    /// rows of the same customer.
    ///
    /// # Errors
    ///
    /// [`Error::LengthMismatch`] if the columns differ in number, type or
    /// length from [`state_fields`]; [`Error::InvalidRows`] naming every
    /// inconsistent value (row, field, value).
    pub fn into_summaries(&self) -> Result<(Summaries, OrderDays)> {
        let fields = state_fields();
        let n = self.len();
        if self.columns.len() != fields.len() {
            return Err(Error::LengthMismatch {
                field: "columns",
                expected: fields.len(),
                actual: self.columns.len(),
            });
        }
        for (f, c) in fields.iter().zip(&self.columns) {
            if c.ty() != f.ty || c.len() != n {
                return Err(Error::LengthMismatch {
                    field: f.name,
                    expected: n,
                    actual: c.len(),
                });
            }
        }
        let (StateColumn::Ids(ids), Some(StateColumn::OrderDays(days))) =
            (&self.columns[0], self.columns.last())
        else {
            return Err(Error::LengthMismatch {
                field: "columns",
                expected: fields.len(),
                actual: self.columns.len(),
            });
        };
        struct Read<'a> {
            rows: Vec<Flat>,
            columns: std::slice::Iter<'a, StateColumn>,
        }
        impl Visit for Read<'_> {
            fn field<T: Value>(
                &mut self,
                _: &'static str,
                _: MergeRule,
                _: Option<&'static str>,
                at: impl Fn(&mut Flat) -> &mut T,
            ) {
                if let Some(values) = self.columns.next().and_then(T::values) {
                    for (f, v) in self.rows.iter_mut().zip(values) {
                        *at(f) = *v;
                    }
                }
            }
        }
        let mut read = Read {
            rows: vec![Flat::default(); n],
            columns: self.columns[1..].iter(),
        };
        visit(&mut read);
        let mut issues = Vec::new();
        let mut rows: Vec<(CustomerId, CustomerSummary, &[DayTotal])> = Vec::with_capacity(n);
        for (r, flat) in read.rows.into_iter().enumerate() {
            if let Some(s) = check_row(r, flat, &days[r], &mut issues) {
                rows.push((ids[r].clone(), s, &days[r]));
            }
        }
        if !issues.is_empty() {
            return Err(Error::InvalidRows { issues });
        }
        rows.sort_by(|a, b| a.0.cmp(&b.0));
        let mut out = Summaries::default();
        let mut out_days = OrderDays::default();
        for (id, s, d) in rows {
            if out.ids.last() == Some(&id) {
                if let Some(last) = out.stats.last_mut() {
                    last.merge(&s);
                }
                if !d.is_empty() {
                    if out_days.ids.last() == Some(&id) {
                        if let Some(last) = out_days.days.last_mut() {
                            *last = super::union_days(last, d);
                        }
                    } else {
                        out_days.ids.push(id.clone());
                        out_days.days.push(d.to_vec());
                    }
                }
                continue;
            }
            if !d.is_empty() {
                out_days.ids.push(id.clone());
                out_days.days.push(d.to_vec());
            }
            out.ids.push(id);
            out.stats.push(s);
        }
        Ok((out, out_days))
    }
}

fn opt(t: Option<Micros>) -> String {
    t.map_or_else(String::new, |t| t.to_string())
}

/// One row's summary, or `None` after pushing its issues.
fn check_row(
    r: usize,
    f: Flat,
    days: &[DayTotal],
    issues: &mut Vec<RowIssue>,
) -> Option<CustomerSummary> {
    let before = issues.len();
    let against = |with| IssueKind::Inconsistent { with };
    let mut bad = |field: &'static str, value: String, kind: IssueKind| {
        issues.push(RowIssue::new(r, field, value, kind));
    };
    let orders = u32::try_from(f.orders).ok();
    let refund_count = u32::try_from(f.refund_count).ok();
    let too_many = IssueKind::OutOfRange {
        min: 0.0,
        max: f64::from(u32::MAX),
    };
    if orders.is_none() {
        bad("orders", f.orders.to_string(), too_many.clone());
    }
    if refund_count.is_none() {
        bad("refund_count", f.refund_count.to_string(), too_many);
    }
    match (f.orders > 0, f.first_order, f.last_order) {
        (true, Some(a), Some(b)) if a <= b => {}
        (true, Some(a), Some(_)) => bad("first_order", a.to_string(), against("last_order")),
        (true, None, _) => bad("first_order", String::new(), IssueKind::Missing),
        (true, _, None) => bad("last_order", String::new(), IssueKind::Missing),
        (false, None, None) => {}
        (false, a, b) => {
            let (field, t) = if a.is_some() {
                ("first_order", a)
            } else {
                ("last_order", b)
            };
            bad(field, opt(t), against("orders"));
        }
    }
    let mut surveys = [None; 6];
    for k in 0..6 {
        match (f.survey_time[k], f.survey_score[k]) {
            (Some(time), Some(score)) if score.is_finite() => {
                surveys[k] = Some(SurveyAnswer { time, score });
            }
            (Some(_), Some(score)) => bad(SURVEY_SCORE[k], score.to_string(), IssueKind::NotFinite),
            (None, None) => {}
            (Some(_), None) => bad(SURVEY_SCORE[k], String::new(), IssueKind::Missing),
            (None, Some(score)) => bad(SURVEY_TIME[k], score.to_string(), IssueKind::Missing),
        }
    }
    let mut activity = f.activity;
    activity.surveys = surveys;
    let has_activity = activity.first_event.is_some();
    match (activity.first_event, activity.last_event) {
        (Some(a), Some(b)) if a <= b => {}
        (Some(a), Some(_)) => bad("first_event", a.to_string(), against("last_event")),
        (Some(_), None) => bad("last_event", String::new(), IssueKind::Missing),
        (None, Some(b)) => bad("first_event", b.to_string(), IssueKind::Missing),
        (None, None) if activity != Activity::default() => {
            bad("first_event", String::new(), IssueKind::Missing);
        }
        (None, None) => {}
    }
    // The order days must account for the same orders and revenue.
    let mut day_orders = 0u64;
    let mut day_revenue = Money(0);
    let mut sorted = true;
    for (i, d) in days.iter().enumerate() {
        day_orders += u64::from(d.orders);
        day_revenue += d.revenue;
        sorted &= d.orders > 0 && (i == 0 || days[i - 1].day < d.day);
    }
    if !sorted || day_orders != f.orders || day_revenue != f.revenue {
        let value = format!("{} days, {day_orders} orders", days.len());
        bad("order_days", value, against("orders"));
    }
    if issues.len() > before {
        return None;
    }
    let mut s = CustomerSummary {
        revenue: f.revenue,
        refunds: f.refunds,
        orders: orders.unwrap_or_default(),
        refund_count: refund_count.unwrap_or_default(),
        activity: has_activity.then(|| Box::new(activity)),
        ..CustomerSummary::default()
    };
    if let (Some(a), Some(b)) = (f.first_order, f.last_order) {
        s.first_order = a;
        s.last_order = b;
    }
    Some(s)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::events::{Event, EventKind, EventLog, LogOptions};
    use chrono::{TimeZone, Utc};

    #[test]
    fn indexed_names_follow_the_codes() {
        for s in Severity::ALL {
            let i = *s as usize;
            assert_eq!(TICKETS_OPENED[i], format!("tickets_opened_{}", s.as_str()));
            assert_eq!(
                TICKETS_RESOLVED[i],
                format!("tickets_resolved_{}", s.as_str())
            );
        }
        for k in SurveyKind::ALL {
            let i = *k as usize;
            assert_eq!(SURVEY_TIME[i], format!("survey_{}_time", k.as_str()));
            assert_eq!(SURVEY_SCORE[i], format!("survey_{}_score", k.as_str()));
        }
        assert_eq!(SurveyKind::ALL.len(), 6);
        assert_eq!(Severity::ALL.len(), 3);
    }

    #[test]
    fn names_are_unique_and_pairs_point_at_each_other() {
        let f = state_fields();
        let mut names: Vec<_> = f.iter().map(|f| f.name).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), f.len());
        for x in &f {
            if let Some(p) = x.partner {
                let y = f.iter().find(|y| y.name == p).unwrap();
                assert_eq!(y.partner, Some(x.name));
            }
        }
    }

    fn sample() -> (Summaries, OrderDays) {
        let d = |day, h| Utc.with_ymd_and_hms(2024, 2, day, h, 0, 0).unwrap();
        let events = vec![
            Event::order(9, d(10, 8), 19.99),
            Event::order(9, d(10, 9), 5.01),
            Event::new(9, d(12, 8), EventKind::Refund { amount: 4.0 }),
            Event::new(
                9,
                d(4, 8),
                EventKind::Survey {
                    kind: SurveyKind::Ces,
                    score: 3.0,
                },
            ),
            Event::new(3, d(5, 8), EventKind::Session),
            Event::order("x", d(1, 8), 1.0),
        ];
        let log = EventLog::from_events(&events, LogOptions::default()).unwrap();
        (Summaries::from_log(&log), OrderDays::from_log(&log))
    }

    #[test]
    fn round_trip_and_concatenation_is_merge() {
        let (s, d) = sample();
        let state = SummaryState::from_summaries(&s, &d);
        assert_eq!(state.len(), 3);
        assert_eq!(state.into_summaries().unwrap(), (s.clone(), d.clone()));
        // Two copies concatenated read as the merge of the two.
        let mut twice = state.clone();
        for (c, o) in twice.columns.iter_mut().zip(&state.columns) {
            match (c, o) {
                (StateColumn::Ids(a), StateColumn::Ids(b)) => a.extend(b.iter().cloned()),
                (StateColumn::Instants(a), StateColumn::Instants(b)) => a.extend(b),
                (StateColumn::Counts(a), StateColumn::Counts(b)) => a.extend(b),
                (StateColumn::Money(a), StateColumn::Money(b)) => a.extend(b),
                (StateColumn::Scores(a), StateColumn::Scores(b)) => a.extend(b),
                (StateColumn::OrderDays(a), StateColumn::OrderDays(b)) => {
                    a.extend(b.iter().cloned())
                }
                _ => unreachable!(),
            }
        }
        assert_eq!(twice.into_summaries().unwrap(), (s.merge(&s), d.merge(&d)));
    }

    #[test]
    fn inconsistent_rows_are_named() {
        let (s, d) = sample();
        let mut state = SummaryState::from_summaries(&s, &d);
        let pos = |name| state_fields().iter().position(|f| f.name == name).unwrap();
        if let StateColumn::Counts(v) = &mut state.columns[pos("orders")] {
            v[0] = 5; // customer 3 has no order
        }
        if let StateColumn::Scores(v) = &mut state.columns[pos("survey_ces_score")] {
            v[1] = None; // customer 9 answered
        }
        let Err(Error::InvalidRows { issues }) = state.into_summaries() else {
            panic!("expected invalid rows")
        };
        let got: Vec<_> = issues.iter().map(|i| (i.row, i.field)).collect();
        assert_eq!(
            got,
            [
                (0, "first_order"),
                (0, "order_days"),
                (1, "survey_ces_score")
            ]
        );
    }
}
