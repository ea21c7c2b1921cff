//! Customers simulated from a model's generative story, with a seeded,
//! portable random stream: the same seed gives the same customers on every
//! platform (the [`sample`](crate::sample) generator's xoshiro256** streams,
//! samplers and IEEE-only `ln`/`exp`; one stream per customer, so customer
//! `i` does not depend on how many others are drawn).
//!
//! Time 0 is each customer's first purchase; `T` (or `n` for BG/BB) is given
//! per customer.
//!
//! * **BG/NBD** (Fader, Hardie & Lee 2005): `λ ~ Gamma(r, α)` (rate `α`),
//!   `p ~ Beta(a, b)`; purchases follow a Poisson process of rate `λ` and
//!   after each repeat purchase the customer drops out with probability `p`.
//! * **MBG/NBD** (Batislam, Denizel & Filiztekin 2007): as BG/NBD, with a
//!   dropout chance `p` also at time 0, right after the first purchase.
//! * **Pareto/NBD** (Schmittlein, Morrison & Colombo 1987): `λ ~ Gamma(r, α)`,
//!   `μ ~ Gamma(s, β)`, lifetime `τ ~ Exp(μ)`; purchases at rate `λ` until
//!   `min(τ, T)`.
//! * **GGompertz/NBD** (Bemmaor & Glady 2012): as Pareto/NBD with a
//!   Gompertz lifetime, `η ~ Gamma(s, β)`, `P(τ > t | η) = exp(−η (e^{bt} − 1))`,
//!   drawn as `τ = ln(1 + E/η) / b` with `E ~ Exp(1)`; `dropout` holds `η`.
//! * **BG/BB** (Fader, Hardie & Shang 2010): `p ~ Beta(α, β)`,
//!   `θ ~ Beta(γ, δ)`; at each of the `n` opportunities an alive customer
//!   first drops out with probability `θ`, then transacts with probability
//!   `p`; `alive` is the state at opportunity `n + 1` (one more dropout
//!   chance), the event whose probability
//!   [`BgBbParams::probability_alive`] gives.
//!
//! Per customer the stream draws the rate (`λ`, or `p` for BG/BB) first,
//! then the dropout parameter (`p`, `μ` or `θ`), then the events in time
//! order. `frequency` counts the repeat purchases in `(0, T]` (every one: the
//! model's `X(T)`), `recency` is the time of the last (0 without any);
//! `alive` says whether the customer has not dropped out by `T` (BG/NBD and
//! MBG/NBD: not dropped after the last purchase; Pareto/NBD: `τ > T`).
//!
//! Limits: at most [`MAX_SIMULATED_CUSTOMERS`] customers, BG/BB at most
//! [`MAX_SIMULATED_PERIODS`] opportunities each, and at most
//! [`MAX_SIMULATED_PURCHASES`] purchases in all; beyond them a typed error.

use super::bgbb::BgBbParams;
use super::TransactionModelParams;
use std::borrow::Cow;

use crate::error::{Issues, Result};
use crate::sample::rng::{ln, Facet, Rng};
use crate::table::{Column, Table};
use crate::{Error, IssueKind};

/// Most customers one call simulates.
pub const MAX_SIMULATED_CUSTOMERS: usize = 10_000_000;
/// Most BG/BB opportunities per customer.
pub const MAX_SIMULATED_PERIODS: f64 = 100_000.0;
/// Most purchases one call simulates (all customers together).
pub const MAX_SIMULATED_PURCHASES: usize = 50_000_000;

/// Simulated customers, one entry per customer in each column.
#[derive(Debug, Clone, PartialEq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct SimulatedCustomers {
    /// Repeat purchases (BG/BB: transactions).
    pub frequency: Vec<f64>,
    /// Time of the last repeat purchase (BG/BB: its opportunity), 0 without any.
    pub recency: Vec<f64>,
    /// Observation length `T` (BG/BB: `n`).
    pub age: Vec<f64>,
    /// The customer's purchase rate `λ` (BG/BB: transaction probability `p`).
    pub rate: Vec<f64>,
    /// The customer's dropout parameter: `p` (BG/NBD, MBG/NBD), `μ`
    /// (Pareto/NBD) or `θ` (BG/BB).
    pub dropout: Vec<f64>,
    /// Whether the customer is still alive at the end (see the module docs).
    pub alive: Vec<bool>,
    /// With `purchase_times`: the customer (index) of each repeat purchase.
    pub purchase_customer: Vec<u64>,
    /// With `purchase_times`: each repeat purchase's time since the first purchase.
    pub purchase_time: Vec<f64>,
}

impl SimulatedCustomers {
    fn with_capacity(n: usize) -> Self {
        SimulatedCustomers {
            frequency: Vec::with_capacity(n),
            recency: Vec::with_capacity(n),
            age: Vec::with_capacity(n),
            rate: Vec::with_capacity(n),
            dropout: Vec::with_capacity(n),
            alive: Vec::with_capacity(n),
            purchase_customer: Vec::new(),
            purchase_time: Vec::new(),
        }
    }
}

/// The repeat purchases of [`SimulatedCustomers`] (with `purchase_times`)
/// as a table: `customer` (index), `time` (since the first purchase).
#[derive(Debug, Clone, Copy)]
pub struct SimulatedPurchases<'a>(pub &'a SimulatedCustomers);

/// One row per customer: `frequency`, `recency`, `age`, `rate`, `dropout`,
/// `alive`.
impl Table for SimulatedCustomers {
    fn columns(&self) -> Vec<(&'static str, Column<'_>)> {
        vec![
            ("frequency", Column::F64(Cow::Borrowed(&self.frequency))),
            ("recency", Column::F64(Cow::Borrowed(&self.recency))),
            ("age", Column::F64(Cow::Borrowed(&self.age))),
            ("rate", Column::F64(Cow::Borrowed(&self.rate))),
            ("dropout", Column::F64(Cow::Borrowed(&self.dropout))),
            ("alive", Column::Bool(Cow::Borrowed(&self.alive))),
        ]
    }
}

/// One row per repeat purchase: `customer`, `time`.
impl Table for SimulatedPurchases<'_> {
    fn columns(&self) -> Vec<(&'static str, Column<'_>)> {
        vec![
            (
                "customer",
                Column::U64(Cow::Borrowed(&self.0.purchase_customer)),
            ),
            ("time", Column::F64(Cow::Borrowed(&self.0.purchase_time))),
        ]
    }
}

fn check_count(n: usize) -> Result<()> {
    if n > MAX_SIMULATED_CUSTOMERS {
        return Err(Error::parameter(
            "size",
            n,
            "at most 10,000,000 customers per simulation",
        ));
    }
    Ok(())
}

fn too_many_purchases(total: usize) -> Error {
    Error::parameter(
        "size",
        total,
        "the simulated customers make more than 50,000,000 purchases: use fewer customers or shorter T",
    )
}

/// Simulates one customer per entry of `ages` (`T`, finite, ≥ 0) from a
/// BG/NBD, MBG/NBD, Pareto/NBD or GGompertz/NBD model (module docs), with the stream of
/// `seed`; `purchase_times` also returns every repeat purchase's time.
pub fn simulate_transactions(
    params: &TransactionModelParams,
    ages: &[f64],
    seed: u64,
    purchase_times: bool,
) -> Result<SimulatedCustomers> {
    check_count(ages.len())?;
    let mut issues = Issues::default();
    for (row, &t) in ages.iter().enumerate() {
        crate::error::check_non_negative(&mut issues, row, "T", t);
    }
    issues.finish()?;
    let mut out = SimulatedCustomers::with_capacity(ages.len());
    let mut total = 0usize;
    let mut times: Vec<f64> = Vec::new();
    for (i, &age) in ages.iter().enumerate() {
        let mut rng = Rng::stream(seed, i, Facet::ModelSimulation);
        times.clear();
        let (rate, dropout, alive) = match *params {
            TransactionModelParams::BgNbd(p) => {
                let lambda = rng.gamma(p.r) / p.alpha;
                let drop = rng.beta(p.a, p.b);
                let alive = geometric_dropout(&mut rng, lambda, drop, age, true, &mut times);
                (lambda, drop, alive)
            }
            TransactionModelParams::MbgNbd(p) => {
                let lambda = rng.gamma(p.r) / p.alpha;
                let drop = rng.beta(p.a, p.b);
                let alive = !rng.bernoulli(drop)
                    && geometric_dropout(&mut rng, lambda, drop, age, true, &mut times);
                (lambda, drop, alive)
            }
            TransactionModelParams::ParetoNbd(p) => {
                let lambda = rng.gamma(p.r) / p.alpha;
                let mu = rng.gamma(p.s) / p.beta;
                let death = rng.exponential(1.0 / mu);
                geometric_dropout(&mut rng, lambda, 0.0, age.min(death), false, &mut times);
                (lambda, mu, death > age)
            }
            TransactionModelParams::GgomNbd(p) => {
                let lambda = rng.gamma(p.r) / p.alpha;
                let eta = rng.gamma(p.s) / p.beta;
                // Inverse of S(t) = exp(−η (e^{bt} − 1)) at an Exp(1) draw.
                let death = ln(1.0 + rng.exponential(1.0) / eta) / p.b;
                geometric_dropout(&mut rng, lambda, 0.0, age.min(death), false, &mut times);
                (lambda, eta, death > age)
            }
        };
        total += times.len();
        if total > MAX_SIMULATED_PURCHASES {
            return Err(too_many_purchases(total));
        }
        // A rate or dropout draw that overflows (e.g. a Pareto/NBD β so
        // small that μ = Gamma(s)/β is ∞; found by fuzzing).
        if !(rate.is_finite() && dropout.is_finite()) {
            return Err(Error::NonFiniteResult {
                what: "simulated purchase or dropout rate",
                row: Some(i),
            });
        }
        out.frequency.push(times.len() as f64);
        out.recency.push(times.last().copied().unwrap_or(0.0));
        out.age.push(age);
        out.rate.push(rate);
        out.dropout.push(dropout);
        out.alive.push(alive);
        if purchase_times {
            out.purchase_customer
                .extend(std::iter::repeat_n(i as u64, times.len()));
            out.purchase_time.extend_from_slice(&times);
        }
    }
    Ok(out)
}

/// Purchases at rate `lambda` in `(0, end)`, dropping out with probability
/// `drop` after each when `dropping`; returns whether still alive.
fn geometric_dropout(
    rng: &mut Rng,
    lambda: f64,
    drop: f64,
    end: f64,
    dropping: bool,
    times: &mut Vec<f64>,
) -> bool {
    let mean = 1.0 / lambda;
    let mut t = 0.0;
    loop {
        t += rng.exponential(mean);
        // Stops on NaN too (λ = 0 gives an infinite wait).
        if t.partial_cmp(&end) != Some(std::cmp::Ordering::Less)
            || times.len() > MAX_SIMULATED_PURCHASES
        {
            return true;
        }
        times.push(t);
        if dropping && rng.bernoulli(drop) {
            return false;
        }
    }
}

/// Simulates one BG/BB customer per entry of `periods` (`n`, a whole number
/// in `[0, MAX_SIMULATED_PERIODS]`) with the stream of `seed` (module docs).
pub fn simulate_bgbb(
    params: &BgBbParams,
    periods: &[f64],
    seed: u64,
) -> Result<SimulatedCustomers> {
    check_count(periods.len())?;
    let mut issues = Issues::default();
    for (row, &n) in periods.iter().enumerate() {
        if crate::error::check_non_negative(&mut issues, row, "n_periods", n) {
            if n > MAX_SIMULATED_PERIODS {
                issues.push(
                    row,
                    "n_periods",
                    n,
                    IssueKind::OutOfRange {
                        min: 0.0,
                        max: MAX_SIMULATED_PERIODS,
                    },
                );
            } else if n != (n as u64) as f64 {
                issues.push(row, "n_periods", n, IssueKind::NotInteger);
            }
        }
    }
    issues.finish()?;
    let mut out = SimulatedCustomers::with_capacity(periods.len());
    let mut total = 0usize;
    for (i, &n) in periods.iter().enumerate() {
        let mut rng = Rng::stream(seed, i, Facet::ModelSimulation);
        let p = rng.beta(params.alpha, params.beta);
        let theta = rng.beta(params.gamma, params.delta);
        let (mut x, mut last, mut alive) = (0u64, 0u64, true);
        for t in 0..n as u64 {
            if rng.bernoulli(theta) {
                alive = false;
                break;
            }
            if rng.bernoulli(p) {
                x += 1;
                last = t + 1;
            }
        }
        if alive {
            alive = !rng.bernoulli(theta);
        }
        total += x as usize;
        if total > MAX_SIMULATED_PURCHASES {
            return Err(too_many_purchases(total));
        }
        out.frequency.push(x as f64);
        out.recency.push(last as f64);
        out.age.push(n);
        out.rate.push(p);
        out.dropout.push(theta);
        out.alive.push(alive);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::models::bgnbd::BgNbdParams;
    use crate::models::mbgnbd::MbgNbdParams;
    use crate::models::pareto_nbd::ParetoNbdParams;
    use crate::models::TransactionModel;

    /// Sample mean and its standard error.
    fn mean_se(v: &[f64]) -> (f64, f64) {
        let n = v.len() as f64;
        let m = v.iter().sum::<f64>() / n;
        let var = v.iter().map(|x| (x - m) * (x - m)).sum::<f64>() / (n - 1.0);
        (m, (var / n).sqrt())
    }

    /// The simulated mean of `X(T)` and share with `X(T) = 0` match the
    /// model's exact `E[X(T)]` and `P(X(T) = 0)` within 4 standard errors
    /// (a false alarm has probability ≈ 6e-5 per check; the seed is fixed,
    /// so the test is deterministic).
    fn check_moments(params: TransactionModelParams, model: &dyn TransactionModel, zero: f64) {
        let ages = vec![30.0; 40_000];
        let sim = simulate_transactions(&params, &ages, 20261122, false).unwrap();
        let (m, se) = mean_se(&sim.frequency);
        let want = model.expected_purchases(30.0).unwrap();
        assert!(
            (m - want).abs() < 4.0 * se,
            "{params:?}: mean {m} vs {want} (se {se})"
        );
        let zeros: Vec<f64> = sim
            .frequency
            .iter()
            .map(|&x| f64::from(u8::from(x == 0.0)))
            .collect();
        let (pz, se_z) = mean_se(&zeros);
        assert!(
            (pz - zero).abs() < 4.0 * se_z,
            "{params:?}: P(0) {pz} vs {zero}"
        );
        assert!(sim
            .recency
            .iter()
            .zip(&sim.frequency)
            .all(|(&r, &x)| (x == 0.0) == (r == 0.0) && r < 30.0));
    }

    #[test]
    fn moments_match_the_models() {
        let bg = BgNbdParams::new(0.243, 4.414, 0.793, 2.426).unwrap();
        check_moments(
            TransactionModelParams::BgNbd(bg),
            &bg,
            bg.probability_of_purchases(0, 30.0).unwrap(),
        );
        let mbg = MbgNbdParams::new(0.525, 6.183, 0.891, 1.614).unwrap();
        check_moments(
            TransactionModelParams::MbgNbd(mbg),
            &mbg,
            mbg.probability_of_purchases(0, 30.0).unwrap(),
        );
        let pnbd = ParetoNbdParams::new(0.553, 10.578, 0.606, 11.669).unwrap();
        check_moments(
            TransactionModelParams::ParetoNbd(pnbd),
            &pnbd,
            pnbd.probability_of_purchases(0, 30.0).unwrap(),
        );
    }

    #[test]
    fn same_seed_same_customers_and_times() {
        let params = TransactionModelParams::BgNbd(BgNbdParams::new(0.5, 2.0, 0.8, 2.4).unwrap());
        let a = simulate_transactions(&params, &[10.0, 20.0, 5.0], 7, true).unwrap();
        let b = simulate_transactions(&params, &[10.0, 20.0, 5.0, 8.0], 7, true).unwrap();
        assert_eq!(a.frequency[..], b.frequency[..3]);
        assert_eq!(a.rate[..], b.rate[..3]);
        let c = simulate_transactions(&params, &[10.0, 20.0, 5.0], 8, true).unwrap();
        assert_ne!(a.rate, c.rate);
        // The purchase times agree with the summary columns.
        for i in 0..3 {
            let own: Vec<f64> = a
                .purchase_customer
                .iter()
                .zip(&a.purchase_time)
                .filter(|(&c, _)| c == i as u64)
                .map(|(_, &t)| t)
                .collect();
            assert_eq!(own.len() as f64, a.frequency[i]);
            assert_eq!(own.last().copied().unwrap_or(0.0), a.recency[i]);
        }
    }

    /// BG/BB: the share of simulated customers with each `(x, tₓ)` alive at
    /// `n + 1` matches `P(alive)` (FHS 2010 eq. 11), and the mean `x` matches
    /// `E[X(n)]`, within 4 standard errors.
    #[test]
    fn bgbb_matches_the_model() {
        let m = BgBbParams::new(1.204, 0.750, 0.657, 2.783).unwrap();
        let sim = simulate_bgbb(&m, &vec![6.0; 60_000], 3).unwrap();
        let (mean, se) = mean_se(&sim.frequency);
        let want = m.expected_transactions(6).unwrap();
        assert!((mean - want).abs() < 4.0 * se, "{mean} vs {want}");
        for &(x, t_x) in &[(0.0, 0.0), (2.0, 4.0), (6.0, 6.0)] {
            let alive: Vec<f64> = (0..sim.frequency.len())
                .filter(|&i| sim.frequency[i] == x && sim.recency[i] == t_x)
                .map(|i| f64::from(u8::from(sim.alive[i])))
                .collect();
            let (share, se) = mean_se(&alive);
            let want = m.probability_alive(x, t_x, 6.0).unwrap();
            assert!(
                (share - want).abs() < 4.0 * se,
                "({x}, {t_x}): {share} vs {want}"
            );
        }
    }

    #[test]
    fn bad_input_is_a_typed_error() {
        let params = TransactionModelParams::BgNbd(BgNbdParams::new(0.5, 2.0, 0.8, 2.4).unwrap());
        assert!(matches!(
            simulate_transactions(&params, &[1.0, -1.0], 1, false),
            Err(Error::InvalidRows { .. })
        ));
        let m = BgBbParams::new(1.2, 0.75, 0.66, 2.8).unwrap();
        assert!(matches!(
            simulate_bgbb(&m, &[2.5], 1),
            Err(Error::InvalidRows { .. })
        ));
        assert!(matches!(
            simulate_bgbb(&m, &[1e6], 1),
            Err(Error::InvalidRows { .. })
        ));
    }
}
