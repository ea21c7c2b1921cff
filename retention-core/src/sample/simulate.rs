//! The simulation of customers: every facet of the generative model.

use super::rng::{exp, ln, Facet, Rng};
use super::{
    add_months, SampleOptions, MAX_CUSTOMERS, MAX_ORDERS_PER_CUSTOMER, MAX_SESSIONS_PER_CUSTOMER,
    MAX_SPAN_DAYS,
};
use crate::error::{in_range, positive, Error, Result};
use crate::events::{CustomerId, EventKind, EventType, Severity, SubscriptionChange, SurveyKind};
use crate::time::{Micros, MICROS_PER_DAY};

/// Largest simulated order value; larger gamma draws are capped here.
const MAX_ORDER_VALUE: f64 = 1e9;

/// One generated event in compact form.
#[derive(Debug, Clone, Copy)]
pub(super) struct Rec {
    pub(super) time: Micros,
    pub(super) customer: u32,
    pub(super) kind: EventType,
    value: f64,
    /// Items (orders), severity << 1 | resolved (tickets), survey kind,
    /// subscription change, referred customer index.
    aux: u32,
}

impl Rec {
    pub(super) fn event_kind(&self) -> EventKind {
        let code = self.aux as usize;
        match self.kind {
            EventType::Signup => EventKind::Signup,
            EventType::Order => EventKind::Order {
                amount: self.value,
                items: Some(self.aux),
            },
            EventType::Refund => EventKind::Refund { amount: self.value },
            EventType::Session => EventKind::Session,
            EventType::EmailOpen => EventKind::EmailOpen,
            EventType::EmailClick => EventKind::EmailClick,
            EventType::SupportTicket => EventKind::SupportTicket {
                severity: Severity::ALL
                    .get(code >> 1)
                    .copied()
                    .unwrap_or(Severity::Minor),
                resolved: self.aux & 1 == 1,
            },
            EventType::Survey => EventKind::Survey {
                kind: SurveyKind::ALL
                    .get(code)
                    .copied()
                    .unwrap_or(SurveyKind::Nps),
                score: self.value,
            },
            EventType::Referral => EventKind::Referral {
                referred: CustomerId::Int(i64::from(self.aux) + 1),
            },
            EventType::Subscription => EventKind::Subscription {
                change: SubscriptionChange::ALL
                    .get(code)
                    .copied()
                    .unwrap_or(SubscriptionChange::New),
                mrr_delta: self.value,
            },
            EventType::PointsEarned => EventKind::PointsEarned { points: self.value },
            EventType::PointsRedeemed => EventKind::PointsRedeemed { points: self.value },
        }
    }
}

/// Validated options in simulation units (days since `start`).
pub(super) struct Ctx {
    opts: SampleOptions,
    pub(super) customers: usize,
    /// Whole seconds from `start` to `as_of`; events need `seconds < horizon_s`.
    horizon_s: f64,
    /// Horizon in days.
    horizon: f64,
    /// Acquisition span in days.
    acquisition: f64,
}

/// One simulated order.
#[derive(Debug, Clone, Copy)]
pub(super) struct Order {
    pub(super) day: f64,
    pub(super) amount: f64,
    pub(super) items: u32,
}

/// The purchase-facet draws of one customer.
#[derive(Debug, Clone, Copy)]
pub(super) struct Customer {
    pub(super) index: u32,
    signup: f64,
    rate: f64,
    /// Day of dropout (the last purchase), if it happened before `as_of`.
    death: Option<f64>,
    satisfaction: f64,
}

const PLAN_PRICES: [f64; 3] = [9.0, 19.0, 49.0];

impl Ctx {
    pub(super) fn new(o: &SampleOptions) -> Result<Ctx> {
        if o.customers == 0 || o.customers > MAX_CUSTOMERS {
            return Err(Error::parameter(
                "customers",
                o.customers,
                "must be between 1 and 100 000 000",
            ));
        }
        if o.months == 0 || o.months > 1200 {
            return Err(Error::parameter(
                "months",
                o.months,
                "must be between 1 and 1200",
            ));
        }
        let span = o.as_of.checked_sub(o.start).unwrap_or(-1);
        if span < MICROS_PER_DAY || span / MICROS_PER_DAY >= MAX_SPAN_DAYS {
            return Err(Error::parameter(
                "as_of",
                o.as_of,
                "must be at least one day and less than 36 525 days after start",
            ));
        }
        let acq_end = add_months(o.start, o.months)
            .ok_or_else(|| Error::parameter("months", o.months, "start + months overflows"))?
            .min(o.as_of);
        for (name, v) in [
            ("purchase.r", o.purchase.r),
            ("purchase.alpha", o.purchase.alpha),
            ("purchase.a", o.purchase.a),
            ("purchase.b", o.purchase.b),
            ("spend.p", o.spend.p),
            ("spend.q", o.spend.q),
            ("spend.gamma", o.spend.gamma),
        ] {
            positive(name, v)?;
            in_range(name, v, 1e-3, 1e6, "must be between 0.001 and 1 000 000")?;
        }
        in_range(
            "acquisition_growth",
            o.acquisition_growth,
            0.0,
            1e6,
            "must be between 0 and 1 000 000",
        )?;
        for (name, v) in [
            ("first_order_share", o.first_order_share),
            ("refund_share", o.refund_share),
            ("subscription_share", o.subscription_share),
            ("loyalty_share", o.loyalty_share),
            ("referral_share", o.referral_share),
        ] {
            in_range(name, v, 0.0, 1.0, "must be a share in [0, 1]")?;
        }
        let horizon_s = (span / 1_000_000) as f64;
        Ok(Ctx {
            opts: *o,
            customers: o.customers,
            horizon_s,
            horizon: horizon_s / 86_400.0,
            acquisition: (acq_end - o.start) as f64 / MICROS_PER_DAY as f64,
        })
    }

    /// The instant of `day` (floored to the second), if before `as_of`.
    pub(super) fn micros(&self, day: f64) -> Option<Micros> {
        let s = (day * 86_400.0).floor();
        (s >= 0.0 && s < self.horizon_s).then(|| self.opts.start + s as i64 * 1_000_000)
    }

    fn rng(&self, customer: usize, facet: Facet) -> Rng {
        Rng::stream(self.opts.seed, customer, facet)
    }

    /// Acquisition day of customer `i` from the stratified quantile `(i + u)/N`.
    fn acquisition_day(&self, i: usize, u: f64) -> f64 {
        let q = ((i as f64 + u) / self.customers as f64).min(1.0);
        let g = self.opts.acquisition_growth;
        // CDF on [0, 1]: (x + g x²/2) / (1 + g/2).
        let x = if g < 1e-12 {
            q
        } else {
            ((1.0 + 2.0 * g * q * (1.0 + g / 2.0)).sqrt() - 1.0) / g
        };
        x.clamp(0.0, 1.0) * self.acquisition
    }

    /// Simulates the purchase facet of customer `i`, filling `orders`.
    pub(super) fn purchases(&self, i: usize, orders: &mut Vec<Order>) -> Customer {
        orders.clear();
        let o = &self.opts;
        let mut rng = self.rng(i, Facet::Purchases);
        let signup = self.acquisition_day(i, rng.uniform());
        let rate = rng.gamma(o.purchase.r) / o.purchase.alpha;
        let dropout = rng.beta(o.purchase.a, o.purchase.b);
        let nu = rng.gamma(o.spend.q) / o.spend.gamma;
        let satisfaction = 0.8 * rng.normal() - 2.0 * (dropout - 0.25);
        let buys = rng.bernoulli(o.first_order_share);
        let delay = rng.exponential(2.0);
        let mut death = None;
        if buys {
            let mut day = signup + delay;
            while day < self.horizon && orders.len() < MAX_ORDERS_PER_CUSTOMER {
                let z = rng.gamma(o.spend.p) / nu;
                let amount = if z.is_nan() {
                    0.0
                } else {
                    ((z.min(MAX_ORDER_VALUE) * 100.0).round() / 100.0).min(MAX_ORDER_VALUE)
                };
                let items = 1 + rng.poisson((amount / 40.0).min(30.0));
                orders.push(Order { day, amount, items });
                if orders.len() > 1 && rng.bernoulli(dropout) {
                    death = Some(day);
                    break;
                }
                day += rng.exponential(1.0) / rate;
            }
        }
        Customer {
            index: i as u32,
            signup,
            rate,
            death,
            satisfaction,
        }
    }

    fn push(
        &self,
        out: &mut Vec<Rec>,
        c: &Customer,
        day: f64,
        kind: EventType,
        value: f64,
        aux: u32,
    ) {
        if let Some(time) = self.micros(day) {
            out.push(Rec {
                time,
                customer: c.index,
                kind,
                value,
                aux,
            });
        }
    }

    /// Simulates every facet of customer `i`.
    fn customer(&self, i: usize, orders: &mut Vec<Order>, out: &mut Vec<Rec>) {
        let c = self.purchases(i, orders);
        let o = &self.opts;
        let dissatisfaction = (-c.satisfaction).max(0.0);
        self.push(out, &c, c.signup, EventType::Signup, 0.0, 0);
        for ord in orders.iter() {
            self.push(out, &c, ord.day, EventType::Order, ord.amount, ord.items);
        }

        // Loyalty points.
        let mut rng = self.rng(i, Facet::Loyalty);
        if rng.bernoulli(o.loyalty_share) {
            let mut balance: f64 = 50.0;
            self.push(out, &c, c.signup, EventType::PointsEarned, 50.0, 0);
            for ord in orders.iter() {
                if balance >= 200.0 && rng.bernoulli(0.4) {
                    let hundreds = (balance / 100.0).floor();
                    let redeem = 100.0 * (1.0 + (rng.uniform() * hundreds).floor()).min(hundreds);
                    balance -= redeem;
                    self.push(out, &c, ord.day, EventType::PointsRedeemed, redeem, 0);
                }
                let earned = ord.amount.floor();
                if earned > 0.0 {
                    balance += earned;
                    self.push(out, &c, ord.day, EventType::PointsEarned, earned, 0);
                }
            }
        }

        // Refunds.
        let mut rng = self.rng(i, Facet::Refunds);
        let refund_p = (o.refund_share * (1.0 + dissatisfaction)).min(1.0);
        for ord in orders.iter() {
            if rng.bernoulli(refund_p) {
                let day = ord.day + rng.exponential(10.0);
                let amount = if rng.bernoulli(0.7) {
                    ord.amount
                } else {
                    (ord.amount * (0.2 + 0.6 * rng.uniform()) * 100.0).round() / 100.0
                };
                if amount > 0.0 {
                    self.push(out, &c, day, EventType::Refund, amount, 0);
                }
            }
        }

        self.sessions(i, &c, orders, out);
        self.emails(i, &c, !orders.is_empty(), out);
        self.surveys(i, &c, orders, out);

        // Support tickets.
        let mut rng = self.rng(i, Facet::Tickets);
        let ticket_p = 0.03 + 0.05 * dissatisfaction;
        for ord in orders.iter() {
            if rng.bernoulli(ticket_p) {
                let day = ord.day + rng.exponential(5.0);
                let u = rng.uniform();
                let (severity, mean_fix) = if u < 0.6 {
                    (Severity::Minor, 1.5)
                } else if u < 0.9 {
                    (Severity::Major, 3.0)
                } else {
                    (Severity::Critical, 0.75)
                };
                let code = (severity as u32) << 1;
                self.push(out, &c, day, EventType::SupportTicket, 0.0, code);
                let resolves = rng.bernoulli(0.92);
                let fixed = day + rng.exponential(mean_fix);
                if resolves && self.micros(day).is_some() {
                    self.push(out, &c, fixed, EventType::SupportTicket, 0.0, code | 1);
                }
            }
        }

        self.subscription(i, &c, orders, out);

        // Referral of this customer by an earlier one.
        let mut rng = self.rng(i, Facet::Referrals);
        if i > 0 && rng.bernoulli(o.referral_share) {
            let window = i.min(1_000);
            let back = ((rng.uniform() * window as f64) as usize).min(window - 1);
            let k = i - 1 - back;
            let referrer_signup = self.acquisition_day(k, self.rng(k, Facet::Purchases).uniform());
            let lead = rng
                .exponential(3.0)
                .min(c.signup - referrer_signup)
                .max(0.0);
            let referrer = Customer {
                index: k as u32,
                ..c
            };
            self.push(
                out,
                &referrer,
                c.signup - lead,
                EventType::Referral,
                0.0,
                c.index,
            );
        }
    }

    fn sessions(&self, i: usize, c: &Customer, orders: &[Order], out: &mut Vec<Rec>) {
        let mut rng = self.rng(i, Facet::Sessions);
        for ord in orders {
            let before = (1.0 + 59.0 * rng.uniform()) / 1_440.0;
            if ord.day - before >= c.signup {
                self.push(out, c, ord.day - before, EventType::Session, 0.0, 0);
            }
        }
        let (rate, from, decay_from, tau) = if orders.is_empty() {
            (0.05, c.signup, c.signup, 20.0)
        } else {
            let rate = (0.02 + 2.5 * c.rate).min(5.0);
            (rate, c.signup, c.death.unwrap_or(self.horizon), 45.0)
        };
        let mut count = 0;
        // Homogeneous part on [from, decay_from).
        let mut day = from + rng.exponential(1.0 / rate);
        while day < decay_from.min(self.horizon) && count < MAX_SESSIONS_PER_CUSTOMER {
            self.push(out, c, day, EventType::Session, 0.0, 0);
            count += 1;
            day += rng.exponential(1.0 / rate);
        }
        // Decaying part: cumulative intensity rate·tau·(1 − e^{−Δ/tau}).
        if decay_from < self.horizon {
            let mass = rate * tau * (1.0 - exp(-(self.horizon - decay_from) / tau));
            let mut acc = rng.exponential(1.0);
            while acc < mass && count < MAX_SESSIONS_PER_CUSTOMER {
                let day = decay_from - tau * ln(1.0 - acc / (rate * tau));
                self.push(out, c, day, EventType::Session, 0.0, 0);
                count += 1;
                acc += rng.exponential(1.0);
            }
        }
    }

    fn emails(&self, i: usize, c: &Customer, buyer: bool, out: &mut Vec<Rec>) {
        let mut rng = self.rng(i, Facet::Email);
        let open_p = rng.beta(2.0, 5.0);
        let click_p = rng.beta(1.5, 6.0);
        let first = ((c.signup - 0.5) / 7.0).ceil().max(0.0);
        let mut send = first * 7.0 + 0.5;
        while send < self.horizon {
            let alive = if buyer {
                c.death.is_none_or(|d| send < d)
            } else {
                send < c.signup + 60.0
            };
            let p = if alive { open_p } else { 0.3 * open_p };
            if rng.bernoulli(p) {
                let opened = send + rng.exponential(0.25);
                self.push(out, c, opened, EventType::EmailOpen, 0.0, 0);
                if rng.bernoulli(click_p) {
                    let clicked = opened + rng.exponential(5.0 / 1_440.0);
                    self.push(out, c, clicked, EventType::EmailClick, 0.0, 0);
                }
            }
            send += 7.0;
        }
    }

    fn surveys(&self, i: usize, c: &Customer, orders: &[Order], out: &mut Vec<Rec>) {
        let mut rng = self.rng(i, Facet::Surveys);
        let s = c.satisfaction;
        let answer = |out: &mut Vec<Rec>, day: f64, kind: SurveyKind, score: f64| {
            self.push(out, c, day, EventType::Survey, score, kind as u32);
        };
        for ord in orders {
            if rng.bernoulli(0.15) {
                let day = ord.day + rng.exponential(3.0);
                let score = rng.answer(4.0 + 0.8 * s, 0.7, 1.0, 5.0);
                answer(out, day, SurveyKind::Csat, score);
            }
            if rng.bernoulli(0.06) {
                let day = ord.day + rng.exponential(2.0);
                let score = rng.answer(5.0 + s, 1.0, 1.0, 7.0);
                answer(out, day, SurveyKind::Ces, score);
            }
        }
        let Some(first) = orders.first() else { return };
        let mut day = first.day + 30.0;
        while day < self.horizon {
            let alive = c.death.is_none_or(|d| day < d);
            if rng.bernoulli(if alive { 0.3 } else { 0.1 }) {
                let score = rng.answer(7.6 + 1.8 * s, 1.3, 0.0, 10.0);
                answer(out, day, SurveyKind::Nps, score);
            }
            day += 180.0;
        }
        if rng.bernoulli(0.1) {
            let day = first.day + 30.0 + 335.0 * rng.uniform();
            for (kind, mean, slope) in [
                (SurveyKind::LoyaltyRecommend, 7.4, 1.8),
                (SurveyKind::LoyaltyRepurchase, 7.8, 1.6),
                (SurveyKind::LoyaltyOtherProducts, 6.5, 1.5),
            ] {
                let score = rng.answer(mean + slope * s, 1.5, 0.0, 10.0);
                answer(out, day, kind, score);
            }
        }
    }

    fn subscription(&self, i: usize, c: &Customer, orders: &[Order], out: &mut Vec<Rec>) {
        let mut rng = self.rng(i, Facet::Subscriptions);
        let Some(first) = orders.first() else { return };
        if !rng.bernoulli(self.opts.subscription_share) {
            return;
        }
        let pick_plan = |rng: &mut Rng| {
            let u = rng.uniform();
            if u < 0.5 {
                0
            } else if u < 0.85 {
                1
            } else {
                2
            }
        };
        let mut plan = pick_plan(&mut rng);
        let mut active = true;
        self.push(
            out,
            c,
            first.day,
            EventType::Subscription,
            PLAN_PRICES[plan],
            SubscriptionChange::New as u32,
        );
        let mut month_start = first.day + 30.0;
        while month_start < self.horizon {
            let day = month_start + 30.0 * rng.uniform();
            let dead = c.death.is_some_and(|d| day >= d);
            let u = rng.uniform();
            let mut change = None;
            if active {
                if u < if dead { 0.25 } else { 0.03 } {
                    change = Some((SubscriptionChange::Churn, -PLAN_PRICES[plan]));
                    active = false;
                } else if u < 0.03 + 0.03 && !dead && plan < 2 {
                    change = Some((
                        SubscriptionChange::Expansion,
                        PLAN_PRICES[plan + 1] - PLAN_PRICES[plan],
                    ));
                    plan += 1;
                } else if (0.06..0.08).contains(&u) && !dead && plan > 0 {
                    change = Some((
                        SubscriptionChange::Contraction,
                        PLAN_PRICES[plan - 1] - PLAN_PRICES[plan],
                    ));
                    plan -= 1;
                }
            } else if u < if dead { 0.005 } else { 0.03 } {
                plan = pick_plan(&mut rng);
                change = Some((SubscriptionChange::Reactivation, PLAN_PRICES[plan]));
                active = true;
            }
            if let Some((change, delta)) = change {
                if self.micros(day).is_none() {
                    break;
                }
                self.push(out, c, day, EventType::Subscription, delta, change as u32);
            }
            month_start += 30.0;
        }
    }
}

/// Runs the whole simulation and sorts the records.
pub(super) fn simulate(options: &SampleOptions) -> Result<Vec<Rec>> {
    let ctx = Ctx::new(options)?;
    let mut out = Vec::new();
    let mut orders = Vec::new();
    for i in 0..ctx.customers {
        ctx.customer(i, &mut orders, &mut out);
    }
    // Stable: ties keep the simulation's emission order.
    out.sort_by_key(|r| (r.time, r.customer));
    Ok(out)
}
