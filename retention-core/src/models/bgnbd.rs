//! BG/NBD: the beta-geometric / negative binomial distribution model of
//! Fader, Hardie & Lee (2005a).
//!
//! # Model
//!
//! While alive, a customer buys according to a Poisson process with rate
//! `λ ~ Gamma(r, α)` (shape `r`, rate `α`); after each purchase she drops
//! out with probability `p ~ Beta(a, b)`.
//!
//! # Likelihood (FHL 2005a, eq. 6)
//!
//! ```text
//! L(r, α, a, b | x, tₓ, T) = Γ(r+x) αʳ / Γ(r) · [ B(a, b+x)/B(a, b) · (α+T)^{−(r+x)}
//!                          + 1{x>0} B(a+1, b+x−1)/B(a, b) · (α+tₓ)^{−(r+x)} ]
//! ```
//!
//! evaluated as a log-sum-exp of the two terms. The gradient is analytic
//! (digamma functions), so fitting uses exact derivatives.
//!
//! # Predictions
//!
//! * expected purchases of a new customer in `(0, t]` (eq. 9):
//!   `E[X(t)] = (a+b−1)/(a−1) · [1 − (α/(α+t))ʳ ₂F₁(r, b; a+b−1; t/(α+t))]`;
//! * P(alive) (eq. 11):
//!   `1 / (1 + 1{x>0} a/(b+x−1) · ((α+T)/(α+tₓ))^{r+x})`;
//! * conditional expected purchases in `(T, T+t]` (eq. 10):
//!   `P(alive) · (a+b+x−1)/(a−1) · [1 − ((α+T)/(α+T+t))^{r+x} ₂F₁(r+x, b+x; a+b+x−1; t/(α+T+t))]`;
//! * `P(X(t) = n)` (eq. 8):
//!   `B(a, b+n)/B(a, b) · NB(n) + 1{n>0} B(a+1, b+n−1)/B(a, b) · [1 − Σ_{j<n} NB(j)]`
//!   with `NB(j) = Γ(r+j)/(Γ(r) j!) (α/(α+t))ʳ (t/(α+t))ʲ`.
//!
//! The two expectations are computed in the form obtained with Euler's
//! transformation, `[1 − (1−z)^{a−1} ₂F₁(a+b−1−r, a−1; c; z)] / (a−1)`,
//! whose series has small parameters and no cancellation at `a = 1` or
//! `a + b = 1`.

#[cfg(not(target_arch = "wasm32"))]
use super::bracket::conditional_brackets;
use super::bracket::dropout_bracket;
use super::fitting::{self, FitOptions, GroupedHistories, Likelihood, ModelFit};
use super::validate::{check_horizon, check_point, finite, TransactionSummary};
use super::{map_rows, TransactionModel};
use crate::error::positive;
use crate::special::{digamma, inv_one_plus_exp, ln_beta, ln_gamma, trigamma};
use crate::{Error, Result};

/// BG/NBD parameters: `r`, `α` (purchase rate heterogeneity, gamma shape and
/// rate) and `a`, `b` (dropout probability heterogeneity, beta).
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub struct BgNbdParams {
    /// Gamma shape of the purchase rate.
    pub r: f64,
    /// Gamma rate (inverse scale) of the purchase rate, in the data's time unit.
    pub alpha: f64,
    /// First beta parameter of the dropout probability.
    pub a: f64,
    /// Second beta parameter of the dropout probability.
    pub b: f64,
}

/// A fitted BG/NBD model (standard errors in the order `r, alpha, a, b`).
pub type BgNbdFit = ModelFit<BgNbdParams>;

/// Fits BG/NBD by maximum likelihood.
///
/// Errors: [`Error::InvalidRows`] listing every invalid row,
/// [`Error::EmptyInput`], [`Error::LengthMismatch`], [`Error::InvalidParameter`]
/// for bad options, [`Error::FitNotConverged`].
pub fn fit(data: &TransactionSummary<'_>, options: &FitOptions) -> Result<BgNbdFit> {
    fitting::fit_model(data, false, Rows::new, options, |[r, alpha, a, b]| {
        BgNbdParams::new(r, alpha, a, b)
    })
}

/// The input rows, grouped for the likelihood.
struct Rows(GroupedHistories);

impl Rows {
    fn new(data: &TransactionSummary<'_>) -> Self {
        Rows(GroupedHistories::new(data))
    }
}

impl Likelihood for Rows {
    const MODEL: &'static str = "BG/NBD";
    const NAMES: &'static [&'static str] = &["r", "alpha", "a", "b"];
    const HAS_GRADIENT: bool = true;

    /// The likelihood of the module docs, rearranged for speed. With
    /// `Γ(b+x) = (b+x−1) Γ(b+x−1)` the ratio of the second term to the first
    /// is `eᵈ` with `d = ln a − ln(b+x−1) + (r+x) ln((α+T)/(α+tₓ))`, so
    ///
    /// ```text
    /// ln Lᵢ = c(x) − (r+x) ln(α+T) + 1{x>0} ln(1 + eᵈ),
    /// c(x)  = ln Γ(r+x) − ln Γ(r) + r ln α + ln Γ(a) + ln Γ(b+x) − ln Γ(a+b+x) − ln B(a, b),
    /// ```
    ///
    /// and the share of the second term is `u = σ(d) = eᵈ/(1+eᵈ)`. Terms in
    /// `x` alone are computed once per frequency group, `ln(α+T)`, `1/(α+T)`
    /// (and the same of `tₓ`) once per distinct value, leaving one `exp` and
    /// one `ln` per row: `ln(1 + eᵈ) = max(d, 0) + ln(1 + e^{−|d|})`, whose
    /// last term is taken as `ln` of the rounded sum (absolute error below
    /// 2⁻⁵², as good as `ln_1p` here and several times faster). The
    /// gradient is
    ///
    /// ```text
    /// ∂/∂r = ψ(r+x) − ψ(r) + ln α − ln(α+T) − u [ln(α+tₓ) − ln(α+T)]
    /// ∂/∂α = r/α − (r+x) {1/(α+T) + u [1/(α+tₓ) − 1/(α+T)]}
    /// ∂/∂a = ψ(a+b) − ψ(a+b+x) + u/a
    /// ∂/∂b = ψ(a+b) − ψ(a+b+x) + 1{x>0} [ψ(b+x) − ψ(b) − u/(b+x−1)]
    /// ```
    fn log_likelihood_gradient(&self, p: &[f64], grad: &mut [f64]) -> Option<f64> {
        let &[r, alpha, a, b] = p else { return None };
        let h = &self.0;
        let (ln_age, inv_age) = logs_and_inverses(alpha, &h.ages);
        let (ln_rec, inv_rec) = logs_and_inverses(alpha, &h.recencies);
        let (lg_r, psi_r, psi_ab, psi_b) = (ln_gamma(r), digamma(r), digamma(a + b), digamma(b));
        let (ln_alpha, ln_a) = (alpha.ln(), a.ln());
        let shared = ln_gamma(a) - ln_beta(a, b) - lg_r + r * ln_alpha;
        let mut total = 0.0;
        let mut g = [0.0; 4];
        for group in &h.groups {
            let (x, wx) = (group.x, group.weight);
            let rx = r + x;
            let psi_abx = digamma(a + b + x);
            let c = shared + ln_gamma(rx) + ln_gamma(b + x) - ln_gamma(a + b + x);
            let cells = h.cells.get(group.cells.clone()).unwrap_or_default();
            // Weighted sums over the group: ln(α+T), 1/(α+T), ln(1+eᵈ), u,
            // u·[ln(α+tₓ) − ln(α+T)] and u·[1/(α+tₓ) − 1/(α+T)].
            let (mut s_ln, mut s_inv) = (0.0, 0.0);
            let (mut s_soft, mut s_u, mut s_u_ln, mut s_u_inv) = (0.0, 0.0, 0.0, 0.0);
            let mut b_term = 0.0;
            if x == 0.0 {
                for cell in cells {
                    s_ln += cell.weight * ln_age[cell.age];
                    s_inv += cell.weight * inv_age[cell.age];
                }
            } else {
                let bx1 = b + x - 1.0;
                let ln_odds = ln_a - bx1.ln();
                for cell in cells {
                    let (w, lt, lx) = (cell.weight, ln_age[cell.age], ln_rec[cell.recency]);
                    let it = inv_age[cell.age];
                    let d = ln_odds + rx * (lt - lx);
                    let e = (-d.abs()).exp();
                    let u = if d >= 0.0 { 1.0 } else { e } / (1.0 + e);
                    s_ln += w * lt;
                    s_inv += w * it;
                    s_soft += w * (d.max(0.0) + (1.0 + e).ln());
                    s_u += w * u;
                    s_u_ln += w * u * (lx - lt);
                    s_u_inv += w * u * (inv_rec[cell.recency] - it);
                }
                b_term = wx * (digamma(b + x) - psi_b) - s_u / bx1;
            }
            total += wx * c - rx * s_ln + s_soft;
            g[0] += wx * (digamma(rx) - psi_r + ln_alpha) - s_ln - s_u_ln;
            g[1] += wx * r / alpha - rx * (s_inv + s_u_inv);
            g[2] += wx * (psi_ab - psi_abx) + s_u / a;
            g[3] += wx * (psi_ab - psi_abx) + b_term;
        }
        grad.iter_mut().zip(g).for_each(|(o, v)| *o = v);
        Some(total)
    }

    /// The Hessian, from the same decomposition: with `v = u(1−u)`,
    /// `∇²ln Lᵢ = ∇²c(x) + ∇²[−(r+x) ln(α+T)] + v ∇d ∇dᵀ + u ∇²d`, where
    ///
    /// ```text
    /// ∇d = (ln(α+T) − ln(α+tₓ), (r+x) δ, 1/a, −1/(b+x−1)),  δ = 1/(α+T) − 1/(α+tₓ),
    /// ∂²d/∂r∂α = δ, ∂²d/∂α² = (r+x) [1/(α+tₓ)² − 1/(α+T)²], ∂²d/∂a² = −1/a², ∂²d/∂b² = 1/(b+x−1)²,
    /// ∂²c/∂r² = ψ₁(r+x) − ψ₁(r), ∂²c/∂r∂α = 1/α, ∂²c/∂α² = −r/α²,
    /// ∂²c/∂a² = ∂²c/∂a∂b = ψ₁(a+b) − ψ₁(a+b+x), ∂²c/∂b² = ψ₁(b+x) − ψ₁(b) + ψ₁(a+b) − ψ₁(a+b+x),
    /// ```
    ///
    /// and `−(r+x) ln(α+T)` contributes `−1/(α+T)` to `∂²/∂r∂α` and
    /// `(r+x)/(α+T)²` to `∂²/∂α²`.
    fn log_likelihood_hessian(&self, p: &[f64], hess: &mut [f64]) -> bool {
        let (&[r, alpha, a, b], 16) = (p, hess.len()) else {
            return false;
        };
        let h = &self.0;
        let (ln_age, inv_age) = logs_and_inverses(alpha, &h.ages);
        let (ln_rec, inv_rec) = logs_and_inverses(alpha, &h.recencies);
        let (tg_r, tg_ab, tg_b) = (trigamma(r), trigamma(a + b), trigamma(b));
        let ln_a = a.ln();
        // Upper triangle, order r, α, a, b.
        let (mut rr, mut ra, mut r_a, mut r_b) = (0.0, 0.0, 0.0, 0.0);
        let (mut aa, mut a_a, mut a_b) = (0.0, 0.0, 0.0);
        let (mut a2, mut ab, mut b2) = (0.0, 0.0, 0.0);
        for group in &h.groups {
            let (x, wx) = (group.x, group.weight);
            let rx = r + x;
            let tg_abx = trigamma(a + b + x);
            let cells = h.cells.get(group.cells.clone()).unwrap_or_default();
            rr += wx * (trigamma(rx) - tg_r);
            ra += wx / alpha;
            aa -= wx * r / (alpha * alpha);
            a2 += wx * (tg_ab - tg_abx);
            ab += wx * (tg_ab - tg_abx);
            b2 += wx * (tg_ab - tg_abx);
            if x == 0.0 {
                for cell in cells {
                    let it = inv_age[cell.age];
                    ra -= cell.weight * it;
                    aa += cell.weight * rx * it * it;
                }
                continue;
            }
            let bx1 = b + x - 1.0;
            let ln_odds = ln_a - bx1.ln();
            b2 += wx * (trigamma(b + x) - tg_b);
            // Weighted sums of 1/(α+T), 1/(α+T)², v, vΔ, vΔ², vδ, vΔδ, vδ²,
            // u, uδ and u [1/(α+tₓ)² − 1/(α+T)²] over the group.
            let (mut s_it, mut s_it2) = (0.0, 0.0);
            let (mut s_v, mut s_vl, mut s_vll, mut s_vd, mut s_vld, mut s_vdd) =
                (0.0, 0.0, 0.0, 0.0, 0.0, 0.0);
            let (mut s_u, mut s_ud, mut s_usq) = (0.0, 0.0, 0.0);
            for cell in cells {
                let (w, lt, it) = (cell.weight, ln_age[cell.age], inv_age[cell.age]);
                let ix = inv_rec[cell.recency];
                let dl = lt - ln_rec[cell.recency];
                let dd = it - ix;
                let d = ln_odds + rx * dl;
                let e = (-d.abs()).exp();
                let u = if d >= 0.0 { 1.0 } else { e } / (1.0 + e);
                let v = e / ((1.0 + e) * (1.0 + e));
                s_it += w * it;
                s_it2 += w * it * it;
                s_v += w * v;
                s_vl += w * v * dl;
                s_vll += w * v * dl * dl;
                s_vd += w * v * dd;
                s_vld += w * v * dl * dd;
                s_vdd += w * v * dd * dd;
                s_u += w * u;
                s_ud += w * u * dd;
                s_usq += w * u * (ix * ix - it * it);
            }
            rr += s_vll;
            ra += rx * s_vld + s_ud - s_it;
            r_a += s_vl / a;
            r_b -= s_vl / bx1;
            aa += rx * s_it2 + rx * rx * s_vdd + rx * s_usq;
            a_a += rx * s_vd / a;
            a_b -= rx * s_vd / bx1;
            a2 += (s_v - s_u) / (a * a);
            ab -= s_v / (a * bx1);
            b2 += (s_v + s_u) / (bx1 * bx1);
        }
        let upper = [
            [rr, ra, r_a, r_b],
            [ra, aa, a_a, a_b],
            [r_a, a_a, a2, ab],
            [r_b, a_b, ab, b2],
        ];
        hess.iter_mut()
            .zip(upper.iter().flatten())
            .for_each(|(o, v)| *o = *v);
        true
    }

    fn starts(&self) -> Vec<Vec<f64>> {
        self.0.histories.beta_geometric_starts()
    }
}

/// `ln(α + t)` and `1/(α + t)` for each of `times`.
fn logs_and_inverses(alpha: f64, times: &[f64]) -> (Vec<f64>, Vec<f64>) {
    times
        .iter()
        .map(|t| {
            let v = alpha + t;
            (v.ln(), 1.0 / v)
        })
        .unzip()
}

impl BgNbdParams {
    /// Builds parameters, checking that each is finite and `> 0`.
    pub fn new(r: f64, alpha: f64, a: f64, b: f64) -> Result<Self> {
        Ok(BgNbdParams {
            r: positive("r", r)?,
            alpha: positive("alpha", alpha)?,
            a: positive("a", a)?,
            b: positive("b", b)?,
        })
    }

    /// Total log-likelihood `Σ wᵢ ln Lᵢ` of `data` at these parameters.
    pub fn log_likelihood(&self, data: &TransactionSummary<'_>) -> Result<f64> {
        let p = [self.r, self.alpha, self.a, self.b];
        fitting::summary_log_likelihood(data, false, Rows::new, &p, "BG/NBD log-likelihood")
    }

    /// `ln` of the odds term `a/(b+x−1) · ((α+T)/(α+tₓ))^{r+x}` (x > 0).
    fn ln_odds_dead(&self, x: f64, t_x: f64, age: f64) -> f64 {
        (self.a / (self.b + x - 1.0)).ln()
            + (self.r + x) * ((age - t_x) / (self.alpha + t_x)).ln_1p()
    }

    /// P(alive) of a validated history (eq. 11).
    fn alive(&self, x: f64, t_x: f64, age: f64) -> Result<f64> {
        if x == 0.0 {
            return Ok(1.0);
        }
        let p = inv_one_plus_exp(self.ln_odds_dead(x, t_x, age));
        finite("BG/NBD probability alive", None, p.clamp(0.0, 1.0))
    }

    /// Conditional expected purchases of a validated history (eq. 10).
    fn conditional(&self, t: f64, x: f64, t_x: f64, age: f64) -> Result<f64> {
        let alive = self.alive(x, t_x, age)?;
        self.conditional_given_alive(t, x, age, alive)
    }

    /// Eq. 10 with P(alive) known.
    fn conditional_given_alive(&self, t: f64, x: f64, age: f64, alive: f64) -> Result<f64> {
        let z = t / (self.alpha + age + t);
        let c = self.a + self.b + x - 1.0;
        let g = self.a + self.b - 1.0 - self.r;
        let v = dropout_bracket(c, self.a, g, c, z).map_or(f64::NAN, |v| v.max(0.0) * alive);
        finite("BG/NBD conditional expected purchases", None, v)
    }

    /// Probability of exactly `n` repeat purchases in `(0, t]` for a new
    /// customer (FHL 2005a, eq. 8).
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] for a `t` that is not finite and `≥ 0`
    /// or an `n` beyond [`MAX_PURCHASE_COUNT`].
    pub fn probability_of_purchases(&self, n: u64, t: f64) -> Result<f64> {
        let t = check_horizon("t", t)?;
        check_purchase_count(n)?;
        let (r, alpha, a, b) = (self.r, self.alpha, self.a, self.b);
        let nf = n as f64;
        let ln_nb = negative_binomial_ln_pmf(r, alpha, t);
        let ln_bab = ln_beta(a, b);
        let mut p = (ln_beta(a, b + nf) - ln_bab + ln_nb(nf)).exp();
        if n > 0 {
            let tail =
                negative_binomial_tail(&ln_nb, r, alpha, t, n).ok_or(Error::NonFiniteResult {
                    what: "BG/NBD purchase-count probability",
                    row: None,
                })?;
            p += (ln_beta(a + 1.0, b + nf - 1.0) - ln_bab).exp() * tail;
        }
        finite("BG/NBD purchase-count probability", None, p.clamp(0.0, 1.0))
    }
}

/// `ln NB(j)` for the gamma-mixed Poisson count in `(0, t]`:
/// `ln Γ(r+j) − ln Γ(r) − ln j! + r ln(α/(α+t)) + j ln(t/(α+t))`.
pub(crate) fn negative_binomial_ln_pmf(r: f64, alpha: f64, t: f64) -> impl Fn(f64) -> f64 {
    let ln_q = -(t / alpha).ln_1p();
    let ln_z = if t > 0.0 {
        t.ln() - (alpha + t).ln()
    } else {
        f64::NEG_INFINITY
    };
    let lg_r = ln_gamma(r);
    move |j: f64| {
        if j == 0.0 {
            r * ln_q
        } else {
            ln_gamma(r + j) - lg_r - ln_gamma(j + 1.0) + r * ln_q + j * ln_z
        }
    }
}

/// The largest purchase count `n` of the BG/NBD and MBG/NBD
/// `probability_of_purchases`: their negative binomial tail sums up to `n`
/// terms, so a larger `n` is a typed error naming `n` (a bound on the work,
/// not on the model).
pub const MAX_PURCHASE_COUNT: u64 = 1_000_000;

/// Rejects a purchase count beyond [`MAX_PURCHASE_COUNT`].
pub(crate) fn check_purchase_count(n: u64) -> Result<()> {
    if n > MAX_PURCHASE_COUNT {
        return Err(Error::parameter(
            "n",
            n,
            "must be at most 1,000,000 (MAX_PURCHASE_COUNT)",
        ));
    }
    Ok(())
}

/// `P(N ≥ n)` for the negative binomial count, summing whichever side of
/// the distribution avoids cancellation.
pub(crate) fn negative_binomial_tail(
    ln_nb: &impl Fn(f64) -> f64,
    r: f64,
    alpha: f64,
    t: f64,
    n: u64,
) -> Option<f64> {
    if t == 0.0 {
        return Some(0.0);
    }
    let mean = r * t / alpha;
    let nf = n as f64;
    if nf <= mean + 1.0 {
        let head: f64 = (0..n).map(|j| ln_nb(j as f64).exp()).sum();
        return Some((1.0 - head).clamp(0.0, 1.0));
    }
    // Upper tail: terms decrease geometrically beyond the mode.
    let z = t / (alpha + t);
    let mut term = ln_nb(nf).exp();
    let mut sum = term;
    let mut j = nf;
    for _ in 0..1_000_000 {
        term *= (r + j) / (j + 1.0) * z;
        sum += term;
        j += 1.0;
        if term <= 1e-17 * sum {
            return sum.is_finite().then(|| sum.clamp(0.0, 1.0));
        }
    }
    None
}

impl TransactionModel for BgNbdParams {
    fn expected_purchases(&self, t: f64) -> Result<f64> {
        let t = check_horizon("t", t)?;
        let z = t / (self.alpha + t);
        let c = self.a + self.b - 1.0;
        let v = dropout_bracket(c, self.a, c - self.r, c, z);
        finite(
            "BG/NBD expected purchases",
            None,
            v.map_or(f64::NAN, |v| v.max(0.0)),
        )
    }

    fn conditional_expected_purchases(
        &self,
        t: f64,
        frequency: f64,
        recency: f64,
        age: f64,
    ) -> Result<f64> {
        let t = check_horizon("t", t)?;
        check_point(frequency, recency, age, false)?;
        self.conditional(t, frequency, recency, age)
    }

    fn probability_alive(&self, frequency: f64, recency: f64, age: f64) -> Result<f64> {
        check_point(frequency, recency, age, false)?;
        self.alive(frequency, recency, age)
    }

    fn conditional_expected_purchases_at(
        &self,
        horizons: &[f64],
        frequency: f64,
        recency: f64,
        age: f64,
        out: &mut Vec<f64>,
    ) -> Result<()> {
        check_point(frequency, recency, age, false)?;
        let alive = self.alive(frequency, recency, age)?;
        // Eq. 10 at every horizon in one pass of the bracket's series (one
        // horizon at a time on wasm32, for size: the same values).
        #[cfg(not(target_arch = "wasm32"))]
        {
            let c = self.a + self.b + frequency - 1.0;
            let g = self.a + self.b - 1.0 - self.r;
            conditional_brackets(
                [c, self.a, g, c],
                self.alpha + age,
                alive,
                horizons,
                "BG/NBD conditional expected purchases",
                out,
            )
        }
        #[cfg(target_arch = "wasm32")]
        {
            out.clear();
            for &t in horizons {
                let t = check_horizon("t", t)?;
                out.push(self.conditional_given_alive(t, frequency, age, alive)?);
            }
            Ok(())
        }
    }

    // The batch versions validate the columns once, not every row again.
    fn probability_alive_batch(&self, data: &TransactionSummary<'_>) -> Result<Vec<f64>> {
        map_rows(data, false, |x, t_x, age| self.alive(x, t_x, age))
    }

    fn conditional_expected_purchases_batch(
        &self,
        t: f64,
        data: &TransactionSummary<'_>,
    ) -> Result<Vec<f64>> {
        let t = check_horizon("t", t)?;
        map_rows(data, false, |x, t_x, age| self.conditional(t, x, t_x, age))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::special::{hyp2f1, log_sum_exp};

    fn cdnow_params() -> BgNbdParams {
        BgNbdParams::new(0.2426, 4.4136, 0.7929, 2.4259).unwrap()
    }

    #[test]
    fn published_predictions() {
        // Fader, Hardie & Lee (2005a), CDNOW: customer with x=2, tx=30.43, T=38.86.
        let m = cdnow_params();
        let alive = m.probability_alive(2.0, 30.43, 38.86).unwrap();
        assert!((alive - 0.7266).abs() < 5e-4, "{alive}");
        let e = m
            .conditional_expected_purchases(39.0, 2.0, 30.43, 38.86)
            .unwrap();
        assert!((e - 1.226).abs() < 5e-4, "{e}");
        for (t, want) in [(1.0, 0.0532), (3.0, 0.1506), (32.0, 1.0437), (78.0, 1.8576)] {
            let got = m.expected_purchases(t).unwrap();
            assert!((got - want).abs() < 5e-4, "t={t}: {got}");
        }
    }

    #[test]
    fn bracket_is_continuous_at_singular_points() {
        let z = 0.6;
        let at = |a: f64, b: f64| {
            let c = a + b - 1.0;
            dropout_bracket(c, a, c - 0.5, c, z).unwrap()
        };
        // a = 1 and a + b = 1 are removable singularities.
        assert!((at(1.0, 2.0) - at(1.0 + 1e-7, 2.0)).abs() < 1e-6);
        assert!((at(0.5, 0.5) - at(0.5, 0.5 + 1e-7)).abs() < 1e-6);
        // Series and closed form agree.
        let (a, b, r) = (0.79, 2.43, 0.24);
        let c = a + b - 1.0;
        let closed =
            c / (a - 1.0) * (1.0 - (1.0 - z).powf(a - 1.0) * hyp2f1(c - r, a - 1.0, c, z).unwrap());
        assert!((dropout_bracket(c, a, c - r, c, z).unwrap() - closed).abs() < 1e-12);
        // Near z = 1 the fallback is used and stays close to the series.
        let z = 0.999;
        let s = dropout_bracket(c, a, c - r, c, z).unwrap();
        let closed =
            c / (a - 1.0) * (1.0 - (1.0 - z).powf(a - 1.0) * hyp2f1(c - r, a - 1.0, c, z).unwrap());
        assert!((s - closed).abs() < 1e-9 * closed.abs(), "{s} {closed}");
    }

    #[test]
    fn conditional_at_horizons_equals_one_horizon_at_a_time() {
        // The CLV's path (every month of a year, weeks) against eq. 10 at
        // each horizon alone: the same values bit for bit.
        let m = cdnow_params();
        let horizons: Vec<f64> = (1..=12).map(|i| f64::from(i) * 30.0 / 7.0).collect();
        let mut out = Vec::new();
        for (x, t_x, age) in [
            (0.0, 0.0, 38.86),
            (2.0, 30.43, 38.86),
            (1.0, 1.71, 5.0),
            (29.0, 38.0, 38.86),
        ] {
            m.conditional_expected_purchases_at(&horizons, x, t_x, age, &mut out)
                .unwrap();
            for (&t, v) in horizons.iter().zip(&out) {
                let one = m.conditional_expected_purchases(t, x, t_x, age).unwrap();
                assert_eq!(v.to_bits(), one.to_bits(), "x {x} t {t}: {v} vs {one}");
            }
        }
        assert!(m
            .conditional_expected_purchases_at(&[1.0, -1.0], 2.0, 1.0, 3.0, &mut out)
            .is_err());
    }

    #[test]
    fn purchase_count_probabilities_sum_to_one() {
        let m = cdnow_params();
        let total: f64 = (0..200)
            .map(|n| m.probability_of_purchases(n, 39.0).unwrap())
            .sum();
        assert!((total - 1.0).abs() < 1e-9, "{total}");
        // Mean of the distribution matches E[X(t)].
        let mean: f64 = (0..400)
            .map(|n| n as f64 * m.probability_of_purchases(n, 39.0).unwrap())
            .sum();
        assert!((mean - m.expected_purchases(39.0).unwrap()).abs() < 1e-6);
    }

    #[test]
    fn gradient_matches_finite_differences() {
        let x = [0.0, 1.0, 5.0, 2.0];
        let tx = [0.0, 3.0, 20.0, 30.0];
        let age = [10.0, 30.0, 35.0, 38.0];
        let data = TransactionSummary::new(&x, &tx, &age);
        fitting::assert_gradient_matches(&Rows::new(&data), &[0.3, 4.0, 0.8, 2.5]);
    }

    #[test]
    fn grouped_likelihood_matches_the_two_term_formula() {
        // Repeated rows, shared T and tₓ values, weights, x = 0 and x > 0.
        let x = [0.0, 2.0, 2.0, 0.0, 1.0, 7.0, 2.0];
        let tx = [0.0, 20.0, 20.0, 0.0, 3.5, 30.0, 11.0];
        let age = [38.0, 38.0, 38.0, 12.0, 38.0, 36.0, 12.0];
        let w = [3.0, 1.0, 2.0, 1.0, 0.5, 1.0, 4.0];
        let data = TransactionSummary::new(&x, &tx, &age).with_weights(&w);
        let (r, alpha, a, b) = (0.3_f64, 4.0_f64, 0.8, 2.5);
        // FHL 2005a eq. 6, one row at a time.
        let direct: f64 = (0..x.len())
            .map(|i| {
                let (xi, ti, ai) = (x[i], tx[i], age[i]);
                let common = ln_gamma(r + xi) - ln_gamma(r) + r * alpha.ln();
                let first = ln_beta(a, b + xi) - ln_beta(a, b) - (r + xi) * (alpha + ai).ln();
                let ll = if xi > 0.0 {
                    let second = ln_beta(a + 1.0, b + xi - 1.0)
                        - ln_beta(a, b)
                        - (r + xi) * (alpha + ti).ln();
                    common + log_sum_exp(first, second)
                } else {
                    common + first
                };
                w[i] * ll
            })
            .sum();
        let got = BgNbdParams::new(r, alpha, a, b)
            .unwrap()
            .log_likelihood(&data)
            .unwrap();
        assert!(
            (got - direct).abs() < 1e-11 * direct.abs(),
            "{got} {direct}"
        );
        fitting::assert_gradient_matches(&Rows::new(&data), &[r, alpha, a, b]);
        fitting::assert_hessian_matches(&Rows::new(&data), &[r, alpha, a, b]);
        let cdnow_like = [0.24, 4.4, 0.79, 2.4];
        fitting::assert_hessian_matches(&Rows::new(&data), &cdnow_like);
    }

    #[test]
    fn rejects_bad_rows_and_parameters() {
        let x = [1.0, -1.0, 2.5, 0.0];
        let tx = [5.0, 1.0, 1.0, 3.0];
        let age = [4.0, 2.0, 3.0, 5.0];
        let err = fit(
            &TransactionSummary::new(&x, &tx, &age),
            &FitOptions::default(),
        )
        .unwrap_err();
        let Error::InvalidRows { issues } = err else {
            panic!("{err:?}")
        };
        let rows: Vec<usize> = issues.iter().map(|i| i.row).collect();
        assert_eq!(rows, vec![0, 1, 2, 3]);
        assert!(BgNbdParams::new(0.0, 1.0, 1.0, 1.0).is_err());
        assert!(BgNbdParams::new(1.0, f64::NAN, 1.0, 1.0).is_err());
        assert!(matches!(
            fit(
                &TransactionSummary::new(&[], &[], &[]),
                &FitOptions::default()
            ),
            Err(Error::EmptyInput { .. })
        ));
    }
}
