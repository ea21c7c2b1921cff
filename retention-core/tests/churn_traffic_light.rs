//! The traffic light from each kind of risk score: the health score, a
//! BG/NBD model's `1 − P(alive)`, and the supervised model's probability,
//! with the ticket overrides on top.

use retention_core::churn::traffic_light::{
    traffic_light, Light, LightThresholds, RiskSource, TicketFacts,
};
use retention_core::models::bgnbd::BgNbdParams;
use retention_core::models::TransactionModel;

#[test]
fn light_from_probability_alive() {
    // Published CDNOW BG/NBD estimates (Fader, Hardie & Lee 2005).
    let model = BgNbdParams::new(0.2426, 4.4136, 0.7929, 2.4259).unwrap();
    // Customer with x = 2, t_x = 30.43, T = 38.86 weeks: P(alive) = 0.7266 (published).
    let alive = model.probability_alive(2.0, 30.43, 38.86).unwrap();
    assert!((alive - 0.7266).abs() < 5e-4, "{alive}");
    let green = traffic_light(
        1.0 - alive,
        RiskSource::ProbabilityAlive,
        &[],
        TicketFacts::default(),
        LightThresholds::default(),
    )
    .unwrap();
    assert_eq!(green.light, Light::Green);
    assert_eq!(green.reasons[0], "P(alive) 0.73");

    // The same customer, silent for another 60 weeks.
    let alive = model.probability_alive(2.0, 30.43, 98.86).unwrap();
    let red = traffic_light(
        1.0 - alive,
        RiskSource::ProbabilityAlive,
        &[],
        TicketFacts::default(),
        LightThresholds::default(),
    )
    .unwrap();
    assert!(alive < 0.34, "{alive}");
    assert_eq!(red.light, Light::Red);

    // A happy customer with an open critical ticket is red all the same.
    let facts = TicketFacts {
        open_critical: 1,
        open_other: 0,
    };
    let overridden = traffic_light(
        0.05,
        RiskSource::Supervised,
        &[],
        facts,
        LightThresholds::default(),
    )
    .unwrap();
    assert_eq!(overridden.light, Light::Red);
    assert_eq!(
        overridden.reasons,
        vec![
            "churn probability 0.05".to_owned(),
            "1 open critical ticket(s) or complaint(s)".to_owned()
        ]
    );
}
