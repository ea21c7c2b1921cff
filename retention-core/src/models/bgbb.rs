//! BG/BB: the beta-geometric / beta-Bernoulli model of Fader, Hardie & Shang
//! (2010) for discrete transaction opportunities (e.g. yearly donations).
//!
//! # Model and data
//!
//! After the initial transaction there are `n` discrete opportunities. While
//! alive, a customer transacts at each with probability `p ~ Beta(α, β)`;
//! at the start of each opportunity after the first (i.e. after every
//! period) she drops out with probability `θ ~ Beta(γ, δ)`. A history is
//! `(x, tₓ, n)`: `x` transactions, the last at opportunity `tₓ`
//! (`0 ≤ x ≤ tₓ ≤ n`, whole numbers, `tₓ = 0` when `x = 0`). The columns of
//! [`TransactionSummary`] are used as `frequency = x`, `recency = tₓ`,
//! `age = n`, with optional weights counting the customers that share a
//! pattern (the form in which FHS publish their data).
//!
//! # Likelihood (FHS 2010, eq. 5)
//!
//! ```text
//! L = B(α+x, β+n−x)/B(α, β) · B(γ, δ+n)/B(γ, δ)
//!   + Σ_{i=0}^{n−tₓ−1} B(α+x, β+tₓ−x+i)/B(α, β) · B(γ+1, δ+tₓ+i)/B(γ, δ)
//! ```
//!
//! summed in log space.
//!
//! # Predictions
//!
//! * `P(X(n) = x)` for a new customer (eq. 7):
//!   `C(n, x) B(α+x, β+n−x)/B(α, β) · B(γ, δ+n)/B(γ, δ)
//!   + Σ_{i=x}^{n−1} C(i, x) B(α+x, β+i−x)/B(α, β) · B(γ+1, δ+i)/B(γ, δ)`;
//! * `E[X(n)] = α/(α+β) · δ/(γ−1) · [1 − Γ(γ+δ) Γ(1+δ+n) / (Γ(γ+δ+n) Γ(1+δ))]`
//!   (eq. 8);
//! * `P(alive at n+1 | x, tₓ, n) = B(α+x, β+n−x)/B(α, β) · B(γ, δ+n+1)/B(γ, δ) / L`
//!   (eq. 11);
//! * expected transactions in the next `n*` opportunities (eq. 13):
//!   `1/L · B(α+x+1, β+n−x)/B(α, β) · δ/(γ−1) · Γ(γ+δ)/Γ(1+δ) ·
//!   [Γ(1+δ+n)/Γ(γ+δ+n) − Γ(1+δ+n+n*)/Γ(γ+δ+n+n*)]`.
//!
//! The factor `[1 − R]/(γ − 1)` (`R` a ratio of gamma functions equal to 1
//! at `γ = 1`) is removable at `γ = 1`; it is bridged by interpolation
//! there (cubic interpolation through points on both sides).

use super::fitting::{self, FitOptions, Histories, Likelihood, ModelFit};
use super::validate::{check_point, finite, TransactionSummary};
use crate::error::positive;
use crate::special::{bridge_singularity, ln_beta, ln_gamma, log_sum_exp, BRIDGE_GAP};
use crate::{Error, Result};

/// Most transaction opportunities `n` a history or a new-customer
/// probability may have.
///
/// The likelihood (and so P(alive), the conditional expectations and the
/// fit) sums `n − tₓ` terms and `P(X(n) = x)` sums `n − x`, so the work per
/// row grows with `n`; 100 000 opportunities are a daily opportunity for
/// 270 years or an hourly one for 11, far beyond any discrete-time history
/// (FHS's donors have 6 yearly ones). Beyond it rows are rejected with
/// [`IssueKind::OutOfRange`](crate::IssueKind::OutOfRange) on `age` and
/// arguments with [`Error::InvalidParameter`]. The same limit as
/// [`MAX_FUTURE_OPPORTUNITIES`](super::predictions::bgbb::MAX_FUTURE_OPPORTUNITIES).
pub const MAX_OPPORTUNITIES: u64 = 100_000;

/// Terms summed by the ratio recurrence between two exact terms.
const SUM_BLOCK: f64 = 32.0;

/// BG/BB parameters: `α`, `β` (transaction probability, beta) and `γ`, `δ`
/// (dropout probability, beta).
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct BgBbParams {
    /// First beta parameter of the transaction probability.
    pub alpha: f64,
    /// Second beta parameter of the transaction probability.
    pub beta: f64,
    /// First beta parameter of the dropout probability.
    pub gamma: f64,
    /// Second beta parameter of the dropout probability.
    pub delta: f64,
}

/// A fitted BG/BB model (standard errors in the order `alpha, beta, gamma, delta`).
pub type BgBbFit = ModelFit<BgBbParams>;

/// Fits BG/BB by maximum likelihood (finite-difference gradients).
///
/// Errors as for [`bgnbd::fit`](super::bgnbd::fit); rows must in addition
/// hold whole numbers with `x ≤ tₓ ≤ n`.
pub fn fit(data: &TransactionSummary<'_>, options: &FitOptions) -> Result<BgBbFit> {
    fitting::fit_model(
        data,
        true,
        Rows::new,
        options,
        |[alpha, beta, gamma, delta]| BgBbParams::new(alpha, beta, gamma, delta),
    )
}

/// The input rows `(x, tₓ, n, weight)`, for the likelihood.
struct Rows(Histories);

impl Rows {
    fn new(data: &TransactionSummary<'_>) -> Self {
        Rows(Histories::new(data))
    }
}

impl Likelihood for Rows {
    const MODEL: &'static str = "BG/BB";
    const NAMES: &'static [&'static str] = &["alpha", "beta", "gamma", "delta"];

    fn log_likelihood(&self, p: &[f64]) -> f64 {
        let &[alpha, beta, gamma, delta] = p else {
            return f64::NAN;
        };
        let m = BgBbParams {
            alpha,
            beta,
            gamma,
            delta,
        };
        self.0
            .rows
            .iter()
            .map(|&(x, t_x, n, w)| w * m.ln_likelihood_row(x, t_x, n))
            .sum()
    }

    fn starts(&self) -> Vec<Vec<f64>> {
        vec![
            vec![1.0, 1.0, 1.0, 1.0],
            vec![0.5, 0.5, 0.5, 2.0],
            vec![2.0, 1.0, 1.0, 5.0],
        ]
    }
}

impl BgBbParams {
    /// Builds parameters, checking that each is finite and `> 0`.
    pub fn new(alpha: f64, beta: f64, gamma: f64, delta: f64) -> Result<Self> {
        Ok(BgBbParams {
            alpha: positive("alpha", alpha)?,
            beta: positive("beta", beta)?,
            gamma: positive("gamma", gamma)?,
            delta: positive("delta", delta)?,
        })
    }

    /// Total log-likelihood `Σ wᵢ ln Lᵢ` of `data` at these parameters.
    pub fn log_likelihood(&self, data: &TransactionSummary<'_>) -> Result<f64> {
        let p = [self.alpha, self.beta, self.gamma, self.delta];
        fitting::summary_log_likelihood(data, true, Rows::new, &p, "BG/BB log-likelihood")
    }

    fn ln_likelihood_row(&self, x: f64, t_x: f64, n: f64) -> f64 {
        let (a, b, g, d) = (self.alpha, self.beta, self.gamma, self.delta);
        let (lb_ab, lb_gd) = (ln_beta(a, b), ln_beta(g, d));
        let ll = ln_beta(a + x, b + n - x) - lb_ab + ln_beta(g, d + n) - lb_gd;
        // Σ_{i<n−tₓ} tᵢ with tᵢ = B(A, C+i) B(G, D+i) / (B(α, β) B(γ, δ)):
        // each block starts from an exact term and continues with the ratio
        // tᵢ₊₁/tᵢ = (C+i)/(A+C+i) · (D+i)/(G+D+i) < 1 (no overflow, rounding
        // reset every block).
        let (big_a, big_c, big_g, big_d) = (a + x, b + t_x - x, g + 1.0, d + t_x);
        let terms = n - t_x;
        let mut ll = ll;
        let mut start = 0.0;
        while start < terms {
            let head =
                ln_beta(big_a, big_c + start) - lb_ab + ln_beta(big_g, big_d + start) - lb_gd;
            let end = (start + SUM_BLOCK).min(terms);
            let (mut sum, mut term, mut i) = (1.0, 1.0, start);
            while i + 1.0 < end {
                term *= (big_c + i) / (big_a + big_c + i) * ((big_d + i) / (big_g + big_d + i));
                sum += term;
                i += 1.0;
            }
            ll = log_sum_exp(ll, head + sum.ln());
            start = end;
        }
        ll
    }

    /// `δ [1 − R(γ)] / (γ − 1)` with `ln R = ln Γ(γ+δ+u) − ln Γ(γ+δ+v) + ln Γ(1+δ+v) − ln Γ(1+δ+u)`,
    /// continuous at `γ = 1`.
    fn survival_sum(&self, u: f64, v: f64) -> Option<f64> {
        let d = self.delta;
        let at = |g: f64| -> Option<f64> {
            let ln_r = ln_gamma(g + d + u) - ln_gamma(g + d + v) + ln_gamma(1.0 + d + v)
                - ln_gamma(1.0 + d + u);
            let v = d * -ln_r.exp_m1() / (g - 1.0);
            v.is_finite().then_some(v)
        };
        let off = self.gamma - 1.0;
        if off.abs() < BRIDGE_GAP {
            bridge_singularity(off, |o| at(1.0 + o))
        } else {
            at(self.gamma)
        }
    }

    /// Probability of exactly `x` transactions in the first `n`
    /// opportunities for a new customer.
    ///
    /// Errors: `n` above [`MAX_OPPORTUNITIES`] (the work is proportional to
    /// `n − x`).
    pub fn probability_of_transactions(&self, x: u64, n: u64) -> Result<f64> {
        if n > MAX_OPPORTUNITIES {
            return Err(Error::parameter(
                "n",
                n,
                "must be at most MAX_OPPORTUNITIES (100000)",
            ));
        }
        if x > n {
            return Ok(0.0);
        }
        let (a, b, g, d) = (self.alpha, self.beta, self.gamma, self.delta);
        let (xf, nf) = (x as f64, n as f64);
        let (lb_ab, lb_gd) = (ln_beta(a, b), ln_beta(g, d));
        let ln_choose =
            |k: f64, j: f64| ln_gamma(k + 1.0) - ln_gamma(j + 1.0) - ln_gamma(k - j + 1.0);
        let mut ll =
            ln_choose(nf, xf) + ln_beta(a + xf, b + nf - xf) - lb_ab + ln_beta(g, d + nf) - lb_gd;
        for i in x..n {
            let i = i as f64;
            ll = log_sum_exp(
                ll,
                ln_choose(i, xf) + ln_beta(a + xf, b + i - xf) - lb_ab + ln_beta(g + 1.0, d + i)
                    - lb_gd,
            );
        }
        finite(
            "BG/BB transaction-count probability",
            None,
            ll.exp().clamp(0.0, 1.0),
        )
    }

    /// Expected number of transactions in the first `n` opportunities for a
    /// new customer.
    pub fn expected_transactions(&self, n: u64) -> Result<f64> {
        let v = self
            .survival_sum(0.0, n as f64)
            .map(|s| self.alpha / (self.alpha + self.beta) * s);
        finite(
            "BG/BB expected transactions",
            None,
            v.map_or(f64::NAN, |v| v.max(0.0)),
        )
    }

    /// Probability that a customer with history `(x, tₓ, n)` is alive at
    /// opportunity `n + 1`.
    pub fn probability_alive(&self, frequency: f64, recency: f64, periods: f64) -> Result<f64> {
        self.probability_alive_after(1, frequency, recency, periods)
    }

    /// Probability that a customer with history `(x, tₓ, n)` is alive at
    /// opportunity `n + future` (FHS 2010 eq. 11 with `δ+n+1` replaced by
    /// `δ+n+future`; `future = 1` is [`probability_alive`](Self::probability_alive),
    /// `lifetimes`' `conditional_probability_alive(m_periods_in_future, …)`).
    pub fn probability_alive_after(
        &self,
        future: u64,
        frequency: f64,
        recency: f64,
        periods: f64,
    ) -> Result<f64> {
        check_point(frequency, recency, periods, true)?;
        let (a, b, g, d) = (self.alpha, self.beta, self.gamma, self.delta);
        let (x, n) = (frequency, periods);
        let ln_num = ln_beta(a + x, b + n - x) - ln_beta(a, b) + ln_beta(g, d + n + future as f64)
            - ln_beta(g, d);
        let p = (ln_num - self.ln_likelihood_row(x, recency, n)).exp();
        finite("BG/BB probability alive", None, p.clamp(0.0, 1.0))
    }

    /// Expected number of transactions in the next `future` opportunities
    /// for a customer with history `(x, tₓ, n)`.
    pub fn conditional_expected_transactions(
        &self,
        future: u64,
        frequency: f64,
        recency: f64,
        periods: f64,
    ) -> Result<f64> {
        check_point(frequency, recency, periods, true)?;
        let (a, b, g, d) = (self.alpha, self.beta, self.gamma, self.delta);
        let (x, n) = (frequency, periods);
        let ln_pre = ln_beta(a + x + 1.0, b + n - x) - ln_beta(a, b) + ln_gamma(g + d)
            - ln_gamma(1.0 + d)
            + ln_gamma(1.0 + d + n)
            - ln_gamma(g + d + n)
            - self.ln_likelihood_row(x, recency, n);
        // Γ(1+δ+n)/Γ(γ+δ+n) − Γ(1+δ+n+n*)/Γ(γ+δ+n+n*) = Γ(1+δ+n)/Γ(γ+δ+n) · (1 − R).
        let v = self
            .survival_sum(n, n + future as f64)
            .map(|s| ln_pre.exp() * s);
        finite(
            "BG/BB conditional expected transactions",
            None,
            v.map_or(f64::NAN, |v| v.max(0.0)),
        )
    }

    /// [`probability_alive_after`](Self::probability_alive_after) for every
    /// row of `data` (`age` = `n`; weights ignored). Every invalid row is
    /// reported in one [`Error::InvalidRows`].
    pub fn probability_alive_batch(
        &self,
        future: u64,
        data: &TransactionSummary<'_>,
    ) -> Result<Vec<f64>> {
        super::map_rows(data, true, |x, t_x, n| {
            self.probability_alive_after(future, x, t_x, n)
        })
    }

    /// [`conditional_expected_transactions`](Self::conditional_expected_transactions)
    /// over the next `future` opportunities for every row of `data`
    /// (weights ignored). Every invalid row is reported at once.
    pub fn conditional_expected_transactions_batch(
        &self,
        future: u64,
        data: &TransactionSummary<'_>,
    ) -> Result<Vec<f64>> {
        super::map_rows(data, true, |x, t_x, n| {
            self.conditional_expected_transactions(future, x, t_x, n)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Error;

    fn donations() -> BgBbParams {
        BgBbParams::new(1.204, 0.750, 0.657, 2.783).unwrap()
    }

    #[test]
    fn distribution_is_consistent() {
        let m = donations();
        let probs: Vec<f64> = (0..=6)
            .map(|x| m.probability_of_transactions(x, 6).unwrap())
            .collect();
        let total: f64 = probs.iter().sum();
        assert!((total - 1.0).abs() < 1e-12, "{total}");
        let mean: f64 = probs.iter().enumerate().map(|(x, p)| x as f64 * p).sum();
        assert!((mean - m.expected_transactions(6).unwrap()).abs() < 1e-10);
        // A new customer's conditional expectation equals the prior one.
        let fresh = m
            .conditional_expected_transactions(5, 0.0, 0.0, 0.0)
            .unwrap();
        assert!((fresh - m.expected_transactions(5).unwrap()).abs() < 1e-12);
    }

    #[test]
    fn gamma_one_is_bridged() {
        let at = |g: f64| {
            BgBbParams::new(1.2, 0.75, g, 2.8)
                .unwrap()
                .expected_transactions(10)
                .unwrap()
        };
        assert!((at(1.0) - at(1.0 + 1e-7)).abs() < 1e-6);
        assert!((at(1.0 - 1e-9) - at(1.0 + 1e-9)).abs() < 1e-8);
        assert!((at(1.0 - 2e-3) - at(1.0 + 2e-3)).abs() < 1e-2);
    }

    #[test]
    fn alive_and_expectations_in_range() {
        let m = donations();
        for &(x, tx, n) in &[
            (0.0, 0.0, 6.0),
            (6.0, 6.0, 6.0),
            (1.0, 1.0, 6.0),
            (3.0, 5.0, 6.0),
        ] {
            let p = m.probability_alive(x, tx, n).unwrap();
            assert!((0.0..=1.0).contains(&p));
            let e = m.conditional_expected_transactions(5, x, tx, n).unwrap();
            assert!((0.0..=5.0).contains(&e));
        }
        assert!(m.probability_alive(2.0, 1.0, 6.0).is_err());
    }

    #[test]
    fn batches_match_scalars_and_name_rows() {
        let m = donations();
        let (x, tx, n) = ([0.0, 3.0, 6.0], [0.0, 5.0, 6.0], [6.0, 6.0, 6.0]);
        let data = TransactionSummary::new(&x, &tx, &n);
        let alive = m.probability_alive_batch(1, &data).unwrap();
        let expected = m.conditional_expected_transactions_batch(4, &data).unwrap();
        for i in 0..3 {
            assert_eq!(alive[i], m.probability_alive(x[i], tx[i], n[i]).unwrap());
            // Alive later is less likely than alive now.
            assert!(m.probability_alive_after(3, x[i], tx[i], n[i]).unwrap() <= alive[i]);
            assert_eq!(
                expected[i],
                m.conditional_expected_transactions(4, x[i], tx[i], n[i])
                    .unwrap()
            );
        }
        let bad = TransactionSummary::new(&[1.0, 2.0, 1.0], &[1.0, 1.0, 1.5], &[6.0, 6.0, 6.0]);
        let Err(Error::InvalidRows { issues }) = m.probability_alive_batch(0, &bad) else {
            panic!()
        };
        let rows: Vec<usize> = issues.iter().map(|i| i.row).collect();
        assert_eq!(rows, vec![1, 2]);
    }
}
