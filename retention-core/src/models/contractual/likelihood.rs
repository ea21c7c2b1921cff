//! The sBG and BdW log-likelihoods of grouped survivor data, for the shared
//! fitting driver.

use super::curve::{ln_churn, ln_survival, ln_survival_gradient};
use crate::models::fitting::Likelihood;

/// Survivor data grouped by age: `churned[t]` subscribers cancelled in
/// period `t` (index 0 unused) and `censored[t]` were still active when
/// their cohort's observation ended at age `t`.
#[derive(Debug, Clone, Default)]
pub(crate) struct Grouped {
    pub(crate) churned: Vec<f64>,
    pub(crate) censored: Vec<f64>,
}

impl Grouped {
    /// Groups the counts of `cohorts` (validated survivor sequences).
    pub(crate) fn new<'a>(cohorts: impl IntoIterator<Item = &'a [u64]>) -> Self {
        let mut g = Grouped::default();
        for counts in cohorts {
            let k = counts.len().saturating_sub(1);
            if g.churned.len() <= k {
                g.churned.resize(k + 1, 0.0);
                g.censored.resize(k + 1, 0.0);
            }
            for t in 1..=k {
                g.churned[t] += counts[t - 1].saturating_sub(counts[t]) as f64;
            }
            if let Some(&last) = counts.last() {
                g.censored[k] += last as f64;
            }
        }
        g
    }

    /// Total number of subscribers.
    pub(crate) fn total(&self) -> f64 {
        self.churned.iter().sum::<f64>() + self.censored.iter().sum::<f64>()
    }

    /// Number of ages with data.
    pub(crate) fn rows(&self) -> usize {
        self.churned.len()
    }

    /// Starting points `(α, β)` from the first-period retention
    /// `r₁ = β/(α + β)`.
    fn beta_starts(&self) -> Vec<[f64; 2]> {
        let at_risk = self.total() - self.censored.first().copied().unwrap_or(0.0);
        let first = self.churned.get(1).copied().unwrap_or(0.0);
        let r1 = if at_risk > 0.0 {
            (1.0 - first / at_risk).clamp(0.05, 0.95)
        } else {
            0.5
        };
        let ratio = r1 / (1.0 - r1);
        vec![
            [1.0, ratio],
            [0.5, 0.5 * ratio],
            [2.0, 2.0 * ratio],
            [1.0, 1.0],
        ]
    }

    /// Log-likelihood and gradient with respect to `(α, β, c)`; `with_c`
    /// says whether the `c` component is wanted.
    fn value_and_gradient(&self, a: f64, b: f64, c: f64, grad: Option<&mut [f64]>) -> f64 {
        let mut ll = 0.0;
        let mut g = [0.0; 3];
        let want = grad.is_some();
        for (t, (&churned, &censored)) in self.churned.iter().zip(&self.censored).enumerate() {
            let tf = t as f64;
            if censored > 0.0 && t > 0 {
                ll += censored * ln_survival(a, b, c, tf);
                if want {
                    let d = ln_survival_gradient(a, b, c, tf);
                    for j in 0..3 {
                        g[j] += censored * d[j];
                    }
                }
            }
            if churned > 0.0 {
                ll += churned * ln_churn(a, b, c, tf);
                if want {
                    // ∇ ln(S(t−1) − S(t)) = (∇ln S(t−1) − q ∇ln S(t)) / (1 − q),
                    // q = S(t)/S(t−1).
                    let before = ln_survival(a, b, c, tf - 1.0);
                    let now = ln_survival(a, b, c, tf);
                    let q = (now - before).exp();
                    let one_minus_q = -(now - before).exp_m1();
                    let d0 = ln_survival_gradient(a, b, c, tf - 1.0);
                    let d1 = ln_survival_gradient(a, b, c, tf);
                    for j in 0..3 {
                        g[j] += churned * (d0[j] - q * d1[j]) / one_minus_q;
                    }
                }
            }
        }
        if let Some(out) = grad {
            for (o, v) in out.iter_mut().zip(g) {
                *o = v;
            }
        }
        ll
    }
}

/// sBG likelihood, parameters `(α, β)`.
pub(crate) struct Sbg<'a>(pub(crate) &'a Grouped);

impl Likelihood for Sbg<'_> {
    const MODEL: &'static str = "sBG";
    const NAMES: &'static [&'static str] = &["alpha", "beta"];
    const HAS_GRADIENT: bool = true;

    fn log_likelihood(&self, p: &[f64]) -> f64 {
        self.0.value_and_gradient(p[0], p[1], 1.0, None)
    }

    fn log_likelihood_gradient(&self, p: &[f64], grad: &mut [f64]) -> Option<f64> {
        let mut g = [0.0; 3];
        let ll = self.0.value_and_gradient(p[0], p[1], 1.0, Some(&mut g));
        grad.copy_from_slice(&g[..2]);
        ll.is_finite().then_some(ll)
    }

    fn starts(&self) -> Vec<Vec<f64>> {
        self.0
            .beta_starts()
            .into_iter()
            .map(|s| s.to_vec())
            .collect()
    }
}

/// BdW likelihood, parameters `(α, β, c)`.
pub(crate) struct Bdw<'a>(pub(crate) &'a Grouped);

impl Likelihood for Bdw<'_> {
    const MODEL: &'static str = "BdW";
    const NAMES: &'static [&'static str] = &["alpha", "beta", "c"];
    const HAS_GRADIENT: bool = true;

    fn log_likelihood(&self, p: &[f64]) -> f64 {
        self.0.value_and_gradient(p[0], p[1], p[2], None)
    }

    fn log_likelihood_gradient(&self, p: &[f64], grad: &mut [f64]) -> Option<f64> {
        let mut g = [0.0; 3];
        let ll = self.0.value_and_gradient(p[0], p[1], p[2], Some(&mut g));
        grad.copy_from_slice(&g);
        ll.is_finite().then_some(ll)
    }

    fn starts(&self) -> Vec<Vec<f64>> {
        let mut out = Vec::new();
        for c in [1.0, 0.5, 2.0] {
            for [a, b] in self.0.beta_starts() {
                out.push(vec![a, b, c]);
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::models::fitting::{assert_gradient_matches, Likelihood};

    fn data() -> Grouped {
        let a: &[u64] = &[1000, 869, 743, 653, 593, 551, 517, 491];
        let b: &[u64] = &[500, 400, 350];
        Grouped::new([a, b])
    }

    #[test]
    fn gradients_match_finite_differences() {
        let g = data();
        assert_gradient_matches(&Sbg(&g), &[0.668, 3.806]);
        assert_gradient_matches(&Bdw(&g), &[0.7, 2.5, 0.8]);
        assert_gradient_matches(&Bdw(&g), &[1.3, 0.9, 1.4]);
    }

    #[test]
    fn bdw_with_c_one_is_the_sbg() {
        let g = data();
        for &(a, b) in &[(0.668, 3.806), (2.0, 0.5)] {
            let s = Sbg(&g).log_likelihood(&[a, b]);
            let w = Bdw(&g).log_likelihood(&[a, b, 1.0]);
            assert!((s - w).abs() < 1e-12 * s.abs(), "{s} {w}");
        }
    }
}
