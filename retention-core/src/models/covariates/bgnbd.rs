//! BG/NBD with time-invariant covariates, parameterised as CLVTools does
//! (`src/bgnbd.cpp`, `bgnbd_staticcov_alpha_i`, `_a_i`, `_b_i`):
//! `αᵢ = α·exp(−γ_trans·zᵢ)`, `aᵢ = a·exp(γ_life·wᵢ)`,
//! `bᵢ = b·exp(γ_life·wᵢ)`, `r` common. Scaling `a` and `b` by the same
//! factor keeps the mean dropout probability `a/(a+b)` and changes only the
//! concentration of its beta distribution.
//!
//! # Likelihood
//!
//! Customer `i`'s likelihood is the BG/NBD one (Fader, Hardie & Lee 2005a,
//! eq. 6) at `(r, αᵢ, aᵢ, bᵢ)`:
//!
//! ```text
//! ln L = ln Γ(r+x) − ln Γ(r) + r ln α + ln(e^{A₁} + 1{x>0} e^{A₂}),
//! A₁ = C + ln Γ(b+x) − (r+x) ln(α+T),
//! A₂ = C + ln a + ln Γ(b+x−1) − (r+x) ln(α+tₓ),
//! C  = ln Γ(a+b) − ln Γ(a+b+x) − ln Γ(b),
//! ```
//!
//! (`A₁`, `A₂` are the logarithms of `B(a, b+x)/B(a, b)·(α+T)^{−(r+x)}` and
//! `B(a+1, b+x−1)/B(a, b)·(α+tₓ)^{−(r+x)}`), differentiated with digamma
//! functions. Predictions (`P(alive)`, conditional expected purchases) are
//! those of [`crate::models::bgnbd`] at each customer's parameters.

use super::design::RowModel;
use super::{
    plain_start, Covariate, CovariateFit, CovariateModelKind, CovariateOptions,
    CustomerPredictions, TransactionCovariates,
};
use crate::models::bgnbd::{self as plain, BgNbdParams};
use crate::models::{FitOptions, TransactionSummary};
use crate::special::{digamma, ln_gamma};
use crate::Result;

struct Model;

impl RowModel for Model {
    const KIND: CovariateModelKind = CovariateModelKind::BgNbd;
    const BASE: &'static [&'static str] = &["r", "alpha", "a", "b"];
    const FIRST_SHIFT: &'static [(usize, f64)] = &[(1, -1.0)];
    const SECOND_SHIFT: &'static [(usize, f64)] = &[(2, 1.0), (3, 1.0)];

    fn row(p: &[f64], obs: &[f64; 3], dlog: &mut [f64]) -> Option<f64> {
        let &[r, alpha, a, b] = p else { return None };
        let [x, t_x, age] = *obs;
        let (lat, ltx) = ((alpha + age).ln(), (alpha + t_x).ln());
        let c = ln_gamma(a + b) - ln_gamma(a + b + x) - ln_gamma(b);
        let psi_ab = digamma(a + b);
        let psi_abx = digamma(a + b + x);
        let psi_b = digamma(b);
        let a1 = c + ln_gamma(b + x) - (r + x) * lat;
        let (lg, dg) = if x == 0.0 {
            (0.0, 0.0)
        } else {
            (ln_gamma(r + x) - ln_gamma(r), digamma(r + x) - digamma(r))
        };
        let ln_alpha = alpha.ln();
        // Weights of the two terms and the log of their sum.
        let (lse, w1, w2) = if x > 0.0 {
            let a2 = c + a.ln() + ln_gamma(b + x - 1.0) - (r + x) * ltx;
            let m = a1.max(a2);
            let (e1, e2) = ((a1 - m).exp(), (a2 - m).exp());
            let s = e1 + e2;
            (m + s.ln(), e1 / s, e2 / s)
        } else {
            (a1, 1.0, 0.0)
        };
        let ll = lg + r * ln_alpha + lse;
        let d_r = dg + ln_alpha - w1 * lat - w2 * ltx;
        let d_alpha = r / alpha - w1 * (r + x) / (alpha + age) - w2 * (r + x) / (alpha + t_x);
        let d_a = psi_ab - psi_abx + w2 / a;
        let d_b = psi_ab - psi_abx - psi_b
            + w1 * digamma(b + x)
            + if x > 0.0 {
                w2 * digamma(b + x - 1.0)
            } else {
                0.0
            };
        let g = [d_r * r, d_alpha * alpha, d_a * a, d_b * b];
        dlog.copy_from_slice(&g);
        (ll.is_finite() && g.iter().all(|v| v.is_finite())).then_some(ll)
    }
}

impl super::TransactionRowModel for Model {
    type Params = BgNbdParams;
    fn params(p: &[f64]) -> Result<BgNbdParams> {
        BgNbdParams::new(p[0], p[1], p[2], p[3])
    }
}

/// Fits BG/NBD with covariates by (penalised) maximum likelihood.
///
/// Errors: those of the plain model's input checks, the covariate checks of
/// the [parent module](super), and [`Error::FitNotConverged`](crate::Error::FitNotConverged).
pub fn fit(
    data: &TransactionSummary<'_>,
    covariates: &TransactionCovariates<'_>,
    options: &CovariateOptions,
) -> Result<CovariateFit> {
    super::fit_transaction_model::<Model>(data, covariates, options, |data, scale| {
        let mut starts = Vec::new();
        starts.extend(plain_start(data, |d| {
            let f = plain::fit(d, &FitOptions::default()).ok()?;
            Some(vec![f.params.r, f.params.alpha, f.params.a, f.params.b])
        }));
        starts.push(vec![1.0, 1.0, 1.0, 1.0]);
        starts.push(vec![0.5, 0.2 * scale, 1.0, 3.0]);
        starts
    })
}

/// Each customer's `(r, αᵢ, aᵢ, bᵢ)` from the fit and her covariates
/// (columns matched to the fit's by name; extra columns are ignored).
pub fn customer_params(
    fit: &CovariateFit,
    rows: usize,
    trans: &[Covariate<'_>],
    life: &[Covariate<'_>],
) -> Result<Vec<BgNbdParams>> {
    super::transaction_customer_params::<Model>(fit, rows, trans, life)
}

/// `P(alive)` and the conditional expected number of purchases in the next
/// `horizon` for every customer of `data`, each at her own parameters.
pub fn predict(
    fit: &CovariateFit,
    data: &TransactionSummary<'_>,
    trans: &[Covariate<'_>],
    life: &[Covariate<'_>],
    horizon: f64,
) -> Result<CustomerPredictions> {
    super::transaction_predict::<Model>(fit, data, trans, life, horizon)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::models::covariates::test_support::assert_objective_gradient;

    /// The analytic gradient of the penalised objective against central
    /// differences of its value.
    #[test]
    fn objective_gradient_matches_finite_differences() {
        assert_objective_gradient::<Model>(&[
            vec![-0.5, 2.3, -0.4, 2.4, 0.3, -0.2, 0.5],
            vec![0.2, 0.1, 0.3, 3.0, -1.0, 0.7, -0.3],
        ]);
    }

    #[test]
    fn row_gradient_matches_finite_differences() {
        for obs in [
            [0.0, 0.0, 30.0],
            [1.0, 10.0, 30.0],
            [7.0, 25.5, 38.0],
            [3.0, 38.0, 38.0],
        ] {
            for p in [[0.24, 4.4, 0.79, 2.4], [2.0, 0.5, 3.0, 0.7]] {
                let mut g = [0.0; 4];
                Model::row(&p, &obs, &mut g).unwrap();
                for j in 0..4 {
                    let h: f64 = 1e-6;
                    let mut up = p;
                    up[j] *= h.exp();
                    let mut down = p;
                    down[j] *= (-h).exp();
                    let mut tmp = [0.0; 4];
                    let fd = (Model::row(&up, &obs, &mut tmp).unwrap()
                        - Model::row(&down, &obs, &mut tmp).unwrap())
                        / (2.0 * h);
                    assert!(
                        (fd - g[j]).abs() < 1e-6 * fd.abs().max(1.0),
                        "{obs:?} {p:?} {j}: {fd} vs {}",
                        g[j]
                    );
                }
            }
        }
    }
}
