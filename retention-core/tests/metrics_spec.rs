//! The spec's worked checks and hand-computed examples for `metrics`.

use chrono::{DateTime, TimeZone, Utc};
use retention_core::events::{
    CustomerId, Event, EventKind, EventLog, LogOptions, SubscriptionChange, SurveyKind,
};
use retention_core::metrics::*;
use retention_core::summary::Summaries;
use retention_core::time::{to_micros, Calendar, Period};

fn at(m: u32, d: u32, h: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2024, m, d, h, 0, 0).unwrap()
}

fn log(events: &[Event]) -> EventLog {
    EventLog::from_events(events, LogOptions::default()).unwrap()
}

fn sub(c: i64, change: SubscriptionChange, mrr_delta: f64, t: DateTime<Utc>) -> Event {
    Event::new(c, t, EventKind::Subscription { change, mrr_delta })
}

fn close(a: Option<f64>, b: f64) -> bool {
    a.is_some_and(|a| (a - b).abs() < 1e-12)
}

// ---------------------------------------------------------------- CLV

#[test]
fn spec_simple_clv_checks() {
    // $50 × 3 purchases/year × 5 years = $750.
    assert_eq!(simple_clv(50.0, 3.0, 5.0).unwrap(), 750.0);
    // $50 × 2 purchases/month × 12 months = $1,200.
    assert_eq!(simple_clv(50.0, 2.0, 12.0).unwrap(), 1200.0);
    assert_eq!(clv_with_margin(50.0, 2.0, 12.0, 0.25).unwrap(), 300.0);
    assert_eq!(clv_with_margin(50.0, 2.0, 12.0, 0.0).unwrap(), 0.0);
}

#[test]
fn retention_based_clv() {
    // m = 60, r = 0.75, d = 0.25: 60 × 0.75 / (1 + 0.25 − 0.75) = 45 / 0.5 = 90.
    assert_eq!(retention_clv(60.0, 0.75, 0.25).unwrap(), 90.0);
    // r = 0: the customer never comes back.
    assert_eq!(retention_clv(60.0, 0.0, 0.1).unwrap(), 0.0);
    // r = 1 with a positive discount is fine: 10 × 1 / 0.5 = 20.
    assert_eq!(retention_clv(10.0, 1.0, 0.5).unwrap(), 20.0);
}

#[test]
fn historic_clv_is_net_revenue_per_customer() {
    let l = log(&[
        Event::order(1, at(1, 1, 9), 100.0),
        Event::order(1, at(1, 5, 9), 50.0),
        Event::new(1, at(1, 6, 9), EventKind::Refund { amount: 30.0 }),
        Event::order(2, at(1, 2, 9), 200.0),
        Event::order(3, at(1, 3, 9), 120.0),
        Event::new(4, at(1, 3, 9), EventKind::Session),
        Event::order(5, at(1, 3, 9), 200.0),
    ]);
    let s = Summaries::from_log(&l);
    let h = historic_clv(&s);
    let got: Vec<(CustomerId, f64)> = h
        .iter()
        .map(|c| (c.customer.clone(), c.net_revenue))
        .collect();
    assert_eq!(
        got,
        vec![
            (1.into(), 120.0), // 100 + 50 − 30
            (2.into(), 200.0),
            (3.into(), 120.0),
            (4.into(), 0.0),
            (5.into(), 200.0),
        ]
    );
    // Ties (2 and 5 at 200; 1 and 3 at 120) break by id.
    let top: Vec<CustomerId> = top_customers_by_historic_clv(&s, 3)
        .into_iter()
        .map(|c| c.customer)
        .collect();
    assert_eq!(top, vec![2.into(), 5.into(), 1.into()]);
    assert!(top_customers_by_historic_clv(&s, 0).is_empty());
    assert_eq!(top_customers_by_historic_clv(&s, 99).len(), 5);
}

// ---------------------------------------------------------------- counts

#[test]
fn spec_churn_and_retention_from_counts() {
    // 10 of 100 lost = 10 %.
    assert_eq!(churn_rate(10, 100).unwrap(), Some(0.1));
    // S = 200, E = 180, N = 40: (180 − 40) / 200 = 0.7.
    assert_eq!(customer_retention_rate(200, 180, 40).unwrap(), Some(0.7));
    // Undefined rates.
    assert_eq!(churn_rate(0, 0).unwrap(), None);
    assert_eq!(customer_retention_rate(0, 3, 3).unwrap(), None);
    assert_eq!(lifespan_from_churn(0.1).unwrap(), Some(10.0));
    assert_eq!(lifespan_from_churn(0.0).unwrap(), None);
    assert_eq!(lifespan_from_churn(1.0).unwrap(), Some(1.0));
}

// ---------------------------------------------------------------- activity

/// Period: March 2024 = [Mar 1, Apr 1); activity window w = 30 days.
/// Active at Mar 1 ⇔ order in [Jan 31 00:00, Mar 1 00:00) (2024 is a leap year).
/// Active at Apr 1 ⇔ order in [Mar 2 00:00, Apr 1 00:00).
fn march_orders() -> EventLog {
    log(&[
        // 1: Feb 10 (active at start), Mar 20 (active at end) → retained.
        Event::order(1, at(2, 10, 12), 10.0),
        Event::order(1, at(3, 20, 12), 10.0),
        // 2: Feb 15 only → active at start, not at end → lost.
        Event::order(2, at(2, 15, 12), 10.0),
        // 3: Feb 20 and Mar 1 12:00; Mar 1 12:00 < Mar 2 00:00 → lost.
        Event::order(3, at(2, 20, 12), 10.0),
        Event::order(3, at(3, 1, 12), 10.0),
        // 4: Mar 10 → joined, active at end → new.
        Event::order(4, at(3, 10, 12), 10.0),
        // 5: Mar 1 06:00 → joined (an order at the start instant is not
        //    activity *at* the start) and lapsed by Apr 1 → joined and lost.
        Event::order(5, at(3, 1, 6), 10.0),
        // 6: Jan 5 (too old for Mar 1), Mar 25 → returning customer, new.
        Event::order(6, at(1, 5, 12), 10.0),
        Event::order(6, at(3, 25, 12), 10.0),
        // 7: exactly Jan 31 00:00 = Mar 1 − 30 d → active at start (inclusive) → lost.
        Event::order(7, at(1, 31, 0), 10.0),
        // 8: exactly Apr 1 00:00 → not active at Apr 1 (exclusive), not in March.
        Event::order(8, at(4, 1, 0), 10.0),
        // 9: sessions only → never active.
        Event::new(9, at(3, 5, 12), EventKind::Session),
    ])
}

#[test]
fn crr_and_churn_on_hand_made_orders() {
    let l = march_orders();
    let opts = ActivityOptions {
        window_days: 30,
        basis: ActivityBasis::Orders,
    };
    let march = Window::new(at(3, 1, 0), at(4, 1, 0)).unwrap();
    let a = period_activity(&l, march, &opts).unwrap();
    // S = {1, 2, 3, 7} = 4; E = {1, 4, 6} = 3; N = {4, 6} = 2; retained = {1};
    // joined J = {4, 5, 6} = 3; lost = {2, 3, 7} = 3; lost incl. new = 3 + {5} = 4.
    assert_eq!(a.start_count, 4);
    assert_eq!(a.end_count, 3);
    assert_eq!(a.new, 2);
    assert_eq!(a.retained, 1);
    assert_eq!(a.joined, 3);
    assert_eq!(a.lost, 3);
    assert_eq!(a.lost_including_new, 4); // S + J − E = 4 + 3 − 3
                                         // CRR = (E − N) / S = (3 − 2) / 4.
    assert_eq!(a.retention_rate(), Some(0.25));
    assert_eq!(
        customer_retention_rate(a.start_count, a.end_count, a.new).unwrap(),
        Some(0.25)
    );
    // Churn: 3 / 4 (ChartMogul), and (S + J − E) / (S + J) = 4 / 7.
    assert_eq!(a.churn_rate(ChurnVariant::StartingCustomers), Some(0.75));
    assert!(close(a.churn_rate(ChurnVariant::IncludingNew), 4.0 / 7.0));

    assert_eq!(active_customer_count(&l, at(3, 1, 0), &opts).unwrap(), 4);
    assert_eq!(active_customer_count(&l, at(4, 1, 0), &opts).unwrap(), 3);
    // One microsecond after Apr 1 00:00, customer 8's order counts.
    let just_after = Utc.timestamp_micros(to_micros(at(4, 1, 0)) + 1).unwrap();
    assert_eq!(active_customer_count(&l, just_after, &opts).unwrap(), 4);

    // Default 90-day window: active at Mar 1 ⇔ order in [Dec 2, Mar 1): {1, 2, 3, 6, 7};
    // at Apr 1 ⇔ order in [Jan 2, Apr 1): {1, 2, 3, 4, 5, 6, 7}. N = {4, 5}.
    let a90 = period_activity(&l, march, &ActivityOptions::default()).unwrap();
    assert_eq!(
        (a90.start_count, a90.end_count, a90.new, a90.lost),
        (5, 7, 2, 0)
    );
    assert_eq!(a90.retention_rate(), Some(1.0));
}

#[test]
fn activity_series_over_calendar_months() {
    let l = march_orders();
    let cal = Calendar::utc(Period::Month);
    let opts = ActivityOptions {
        window_days: 30,
        ..ActivityOptions::default()
    };
    let first = cal.index(to_micros(at(2, 1, 0)));
    let series = period_activity_series(&l, &cal, first, first + 2, &opts).unwrap();
    assert_eq!(series.len(), 3);
    let march = period_activity(&l, Window::new(at(3, 1, 0), at(4, 1, 0)).unwrap(), &opts).unwrap();
    assert_eq!(series[1], march);
    // April: S = 3 ({1, 4, 6}); nobody orders in April except 8 at Apr 1 00:00.
    // At May 1 (window [Apr 1, May 1)): {8}. N = {8}, retained 0.
    assert_eq!(
        (
            series[2].start_count,
            series[2].end_count,
            series[2].new,
            series[2].lost
        ),
        (3, 1, 1, 3)
    );
    assert_eq!(series[2].retention_rate(), Some(0.0));
    // Empty log: every rate is undefined.
    let empty = period_activity_series(&EventLog::default(), &cal, first, first, &opts).unwrap();
    assert_eq!(empty[0].retention_rate(), None);
    assert_eq!(empty[0].churn_rate(ChurnVariant::IncludingNew), None);
}

#[test]
fn crr_on_subscription_basis() {
    // February 2024. Active ⇔ MRR > 0.
    let l = log(&[
        // A: 100 from Jan 10, churns Feb 15 → lost.
        sub(1, SubscriptionChange::New, 100.0, at(1, 10, 0)),
        sub(1, SubscriptionChange::Churn, -100.0, at(2, 15, 0)),
        // B: joins Feb 5, churns Feb 20 → joined and lost.
        sub(2, SubscriptionChange::New, 50.0, at(2, 5, 0)),
        sub(2, SubscriptionChange::Churn, -50.0, at(2, 20, 0)),
        // C: joins Feb 10 → new.
        sub(3, SubscriptionChange::New, 30.0, at(2, 10, 0)),
        // D: since Jan 1, expands Feb 3 → retained.
        sub(4, SubscriptionChange::New, 20.0, at(1, 1, 0)),
        sub(4, SubscriptionChange::Expansion, 10.0, at(2, 3, 0)),
        // E: orders only → not a subscriber.
        Event::order(5, at(2, 3, 0), 99.0),
    ]);
    let opts = ActivityOptions {
        basis: ActivityBasis::Subscriptions,
        ..ActivityOptions::default()
    };
    let feb = Window::new(at(2, 1, 0), at(3, 1, 0)).unwrap();
    let a = period_activity(&l, feb, &opts).unwrap();
    // S = {A, D}, E = {C, D}, N = {C}, J = {B, C}.
    assert_eq!(
        (
            a.start_count,
            a.end_count,
            a.new,
            a.joined,
            a.lost,
            a.lost_including_new
        ),
        (2, 2, 1, 2, 1, 2)
    );
    assert_eq!(a.retention_rate(), Some(0.5)); // (2 − 1) / 2
    assert_eq!(a.churn_rate(ChurnVariant::StartingCustomers), Some(0.5)); // 1 / 2
    assert_eq!(a.churn_rate(ChurnVariant::IncludingNew), Some(0.5)); // 2 / 4
    assert_eq!(active_customer_count(&l, at(2, 12, 0), &opts).unwrap(), 4);
}

#[test]
fn period_over_period_retention_by_month() {
    let l = log(&[
        Event::order(1, at(1, 5, 0), 1.0),
        Event::order(1, at(2, 5, 0), 1.0),
        Event::order(2, at(1, 9, 0), 1.0),
        Event::order(2, at(3, 9, 0), 1.0),
        Event::order(3, at(2, 2, 0), 1.0),
        Event::order(3, at(3, 2, 0), 1.0),
        Event::order(3, at(3, 3, 0), 1.0),
    ]);
    let cal = Calendar::utc(Period::Month);
    let jan = cal.index(to_micros(at(1, 15, 0)));
    // Jan: {1, 2}, of whom {1} ordered in Feb. Feb: {1, 3} → {3}. Mar: {2, 3} → nobody.
    let s = period_over_period_retention_series(&l, &cal, jan, jan + 3).unwrap();
    let got: Vec<(u64, u64, Option<f64>)> = s
        .iter()
        .map(|p| (p.customers, p.retained, p.rate()))
        .collect();
    assert_eq!(
        got,
        vec![
            (2, 1, Some(0.5)),
            (2, 1, Some(0.5)),
            (2, 0, Some(0.0)),
            (0, 0, None)
        ]
    );
    assert_eq!(
        period_over_period_retention(&l, &cal, jan + 1).unwrap(),
        s[1]
    );
}

#[test]
fn repeat_rate_frequency_aov_referrals_lifespan() {
    let l = log(&[
        Event::order(1, at(5, 1, 0), 30.0),
        Event::order(1, at(5, 11, 0), 10.0),
        Event::order(1, at(5, 21, 0), 20.0),
        Event::order(2, at(5, 2, 0), 40.0),
        Event::order(2, at(6, 2, 0), 99.0),  // outside the window
        Event::order(3, at(4, 30, 23), 5.0), // outside the window
        Event::new(
            1,
            at(5, 3, 0),
            EventKind::Referral {
                referred: 10.into(),
            },
        ),
        Event::new(
            3,
            at(5, 3, 0),
            EventKind::Referral {
                referred: 11.into(),
            },
        ),
    ]);
    let may = Window::new(at(5, 1, 0), at(6, 1, 0)).unwrap();
    let s = order_stats(&l, may);
    // Customers {1, 2}; repeat {1}; 4 orders; revenue 100.
    assert_eq!(
        (s.customers, s.repeat_customers, s.orders, s.revenue),
        (2, 1, 4, 100.0)
    );
    assert_eq!(s.repeat_purchase_rate(), Some(0.5));
    assert_eq!(s.purchase_frequency(), Some(2.0));
    assert_eq!(s.average_order_value(), Some(25.0));
    // Referrers: 1 (orders in May) and 3 (no May order, not in the denominator).
    let r = referral_stats(&l, may);
    assert_eq!((r.customers, r.referrers, r.all_referrers), (2, 1, 2));
    assert_eq!(r.rate(), Some(0.5));
    // Empty window: all undefined.
    let june_later = Window::new(at(7, 1, 0), at(8, 1, 0)).unwrap();
    let none = order_stats(&l, june_later);
    assert_eq!(
        (
            none.repeat_purchase_rate(),
            none.purchase_frequency(),
            none.average_order_value()
        ),
        (None, None, None)
    );
    assert_eq!(referral_stats(&l, june_later).rate(), None);

    // Lifespans: 1 → 20 days, 2 → 31 days, 3 → 0 days: mean 17.
    let sums = Summaries::from_log(&l);
    assert_eq!(average_lifespan_days(&sums), Some(17.0));
    assert_eq!(average_lifespan_days(&Summaries::default()), None);
}

#[test]
fn engagement_as_of() {
    let as_of = at(6, 30, 12);
    let l = log(&[
        Event::new(1, at(5, 1, 0), EventKind::Session), // > 30 days before
        Event::new(1, at(5, 31, 12), EventKind::Session), // exactly as_of − 30 d: counts
        Event::new(1, at(6, 10, 8), EventKind::EmailOpen),
        Event::new(1, at(6, 10, 9), EventKind::EmailClick), // same UTC day
        Event::new(1, at(6, 12, 0), EventKind::EmailOpen),
        Event::order(1, at(6, 28, 12), 5.0),
        Event::new(2, at(6, 1, 0), EventKind::EmailClick),
        Event::new(3, at(6, 30, 12), EventKind::Session), // exactly as_of
    ]);
    let e = engagement(&l, as_of).unwrap();
    assert_eq!(e.len(), 3);
    let c1 = &e[0];
    assert_eq!((c1.sessions, c1.email_opens, c1.email_clicks), (2, 2, 1));
    // Active days: May 31, Jun 10, Jun 12, Jun 28.
    assert_eq!(c1.active_days_30, 4);
    assert_eq!(c1.click_through_rate(), Some(0.5));
    assert_eq!(c1.days_since_last_activity, Some(2.0));
    assert_eq!(c1.last_activity_datetime(), Some(at(6, 28, 12)));
    // No opens → click-through undefined.
    assert_eq!(e[1].click_through_rate(), None);
    assert_eq!(e[1].days_since_last_activity, Some(29.5));
    assert_eq!(e[2].days_since_last_activity, Some(0.0));
    assert_eq!(e[2].active_days_30, 1);
    assert_eq!(customer_engagement(&l, &2.into(), as_of).unwrap(), e[1]);
}

// ---------------------------------------------------------------- MRR

/// The bridge for March 2024.
///
/// Before March: A = 100 + 20 = 120, B = 50, C = 80, D = 40 − 40 = 0 → starting 250.
/// In March: A −30 (contraction), B −50 (churn), C +40 (expansion),
/// D +60 (reactivation), E +70 (new), F +25 (new) then −25 (churn).
/// new = 95, expansion = 40, contraction = 30, churned = 75, reactivation = 60;
/// ending = 250 + 95 + 40 + 60 − 30 − 75 = 340 (A 90 + C 120 + D 60 + E 70).
fn march_subscriptions() -> EventLog {
    use SubscriptionChange::*;
    log(&[
        sub(1, New, 100.0, at(1, 5, 0)),
        sub(1, Expansion, 20.0, at(2, 5, 0)),
        sub(2, New, 50.0, at(2, 1, 0)),
        sub(3, New, 80.0, at(1, 15, 0)),
        sub(4, New, 40.0, at(1, 3, 0)),
        sub(4, Churn, -40.0, at(2, 10, 0)),
        sub(1, Contraction, -30.0, at(3, 5, 0)),
        sub(2, Churn, -50.0, at(3, 12, 0)),
        sub(3, Expansion, 40.0, at(3, 20, 0)),
        sub(4, Reactivation, 60.0, at(3, 8, 0)),
        sub(5, New, 70.0, at(3, 15, 0)),
        sub(6, New, 25.0, at(3, 2, 0)),
        sub(6, Churn, -25.0, at(3, 28, 0)),
        // After the window: ignored.
        sub(1, Churn, -90.0, at(4, 2, 0)),
        // Starts exactly at the window end: not in March.
        sub(7, New, 500.0, at(4, 1, 0)),
    ])
}

#[test]
fn mrr_bridge_by_hand() {
    let b = mrr_bridge(
        &march_subscriptions(),
        Window::new(at(3, 1, 0), at(4, 1, 0)).unwrap(),
    );
    assert_eq!(
        b,
        MrrBridge {
            starting: 250.0,
            new: 95.0,
            expansion: 40.0,
            contraction: 30.0,
            churned: 75.0,
            reactivation: 60.0,
            ending: 340.0,
        }
    );
    b.validate().unwrap();
    // Gross MRR churn = (75 + 30) / 250 = 0.42.
    assert!(close(b.gross_mrr_churn(), 0.42));
    // Net MRR churn = (75 + 30 − 40 − 60) / 250 = 0.02.
    assert!(close(b.net_mrr_churn(), 0.02));
    // NRR = (250 + 40 + 60 − 30 − 75) / 250 = 0.98.
    assert!(close(b.net_revenue_retention(), 0.98));
    // GRR = (250 − 30 − 75) / 250 = 0.58.
    assert!(close(b.gross_revenue_retention(), 0.58));
    // Quick ratio = (95 + 40 + 60) / (30 + 75) = 195 / 105.
    assert!(close(b.quick_ratio(), 195.0 / 105.0));
}

#[test]
fn mrr_ratios_negative_and_undefined() {
    // Expansion outweighs losses: net MRR churn (10 − 30) / 100 = −0.2, NRR 1.2.
    let b = MrrBridge {
        starting: 100.0,
        expansion: 30.0,
        contraction: 10.0,
        ending: 120.0,
        ..MrrBridge::default()
    };
    assert!(close(b.net_mrr_churn(), -0.2));
    assert!(close(b.net_revenue_retention(), 1.2));
    assert!(close(b.gross_revenue_retention(), 0.9));
    assert!(close(b.quick_ratio(), 3.0));
    // Starting MRR 0 and no losses: every ratio is undefined.
    let fresh = MrrBridge {
        new: 50.0,
        ending: 50.0,
        ..MrrBridge::default()
    };
    assert_eq!(fresh.gross_mrr_churn(), None);
    assert_eq!(fresh.net_mrr_churn(), None);
    assert_eq!(fresh.net_revenue_retention(), None);
    assert_eq!(fresh.gross_revenue_retention(), None);
    assert_eq!(fresh.quick_ratio(), None);
    // NaN fields never produce NaN.
    let bad = MrrBridge {
        starting: f64::NAN,
        churned: f64::INFINITY,
        ..MrrBridge::default()
    };
    assert_eq!(bad.gross_mrr_churn(), None);
    assert_eq!(bad.quick_ratio(), None);
    // An empty log gives an all-zero bridge.
    let w = Window::new(at(1, 1, 0), at(2, 1, 0)).unwrap();
    assert_eq!(mrr_bridge(&EventLog::default(), w), MrrBridge::default());
}

// ---------------------------------------------------------------- surveys

#[test]
fn spec_nps_check() {
    // 10 answers: 4 promoters (40 %), 4 passives, 2 detractors (20 %) → 20.
    let n = nps(&[9.0, 10.0, 9.0, 10.0, 7.0, 8.0, 8.0, 7.0, 6.0, 0.0]).unwrap();
    assert_eq!(
        (n.promoters, n.passives, n.detractors, n.respondents),
        (4, 4, 2, 10)
    );
    assert_eq!(n.score, 20.0);
    assert_eq!(nps(&[0.0; 3]).unwrap().score, -100.0);
    assert_eq!(nps(&[10.0; 3]).unwrap().score, 100.0);
    assert_eq!(nps(&[7.0, 8.0]).unwrap().score, 0.0);
}

#[test]
fn csat_ces_and_loyalty_index() {
    // Default: scale 5, satisfied = 4 or 5. 3 of 5 satisfied → 60; mean 3.6.
    let c = csat(&[5.0, 4.0, 4.0, 3.0, 2.0], CsatOptions::default()).unwrap();
    assert_eq!((c.respondents, c.satisfied, c.threshold), (5, 3, 4));
    assert_eq!(c.score, 60.0);
    assert!((c.mean - 3.6).abs() < 1e-12);
    // Threshold 5: only the 5 counts → 20.
    let strict = CsatOptions {
        satisfied_threshold: Some(5),
        ..CsatOptions::default()
    };
    assert_eq!(
        csat(&[5.0, 4.0, 4.0, 3.0, 2.0], strict).unwrap().score,
        20.0
    );
    // Scale 10, top-two-box = 9..=10.
    let ten = CsatOptions {
        scale: 10,
        satisfied_threshold: None,
    };
    assert_eq!(csat(&[10.0, 9.0, 8.0, 1.0], ten).unwrap().score, 50.0);

    // CES on 1..=5: answers 2, 3, 5 → mean 10/3, score (10/3)/5 × 100 = 66.67.
    let e = ces(&[2.0, 3.0, 5.0], 5).unwrap();
    assert_eq!((e.respondents, e.total), (3, 10.0));
    assert!((e.score - 200.0 / 3.0).abs() < 1e-12);

    // CLI: recommend 9, 10, 8, 3 → 2 promoters, 1 detractor of 4 → 25;
    // repurchase 10 → 100; other products 0, 6 → −100. Mean (25 + 100 − 100) / 3.
    let cli = customer_loyalty_index(&[9.0, 10.0, 8.0, 3.0], &[10.0], &[0.0, 6.0]).unwrap();
    assert!((cli - 25.0 / 3.0).abs() < 1e-12);
}

#[test]
fn survey_answers_from_a_log() {
    let survey = |c: i64, kind, score, t| Event::new(c, t, EventKind::Survey { kind, score });
    let l = log(&[
        survey(1, SurveyKind::Nps, 10.0, at(3, 2, 0)),
        survey(1, SurveyKind::Csat, 4.0, at(3, 2, 0)),
        survey(2, SurveyKind::Nps, 3.0, at(3, 9, 0)),
        survey(2, SurveyKind::Nps, 9.0, at(4, 9, 0)), // outside
        survey(3, SurveyKind::Nps, 8.0, at(3, 31, 23)),
    ]);
    let march = Window::new(at(3, 1, 0), at(4, 1, 0)).unwrap();
    let a = survey_answers(&l, SurveyKind::Nps, march);
    assert_eq!(a, vec![10.0, 3.0, 8.0]);
    assert_eq!(nps(&a).unwrap().score, 0.0);
    assert_eq!(survey_answers(&l, SurveyKind::Csat, march), vec![4.0]);
    assert!(survey_answers(&l, SurveyKind::Ces, march).is_empty());
}
