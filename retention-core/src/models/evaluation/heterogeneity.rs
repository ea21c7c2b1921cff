//! Densities of the mixing distributions of a transaction model: how the
//! purchase rate and the dropout propensity vary across customers.
//!
//! * purchase rate `λ ~ Gamma(r, α)` (shape `r`, rate `α`), every model;
//! * dropout probability after a purchase `p ~ Beta(a, b)` (BG/NBD,
//!   MBG/NBD), dropout rate `μ ~ Gamma(s, β)` (Pareto/NBD), or the scale
//!   `η ~ Gamma(s, β)` of the Gompertz dropout hazard `b·η·e^{bt}`
//!   (GGompertz/NBD).
//!
//! The quantile is found by bisection on the distribution function: the
//! regularized incomplete gamma function of [`crate::special`], and the
//! regularized incomplete beta function `I_x(a, b)` evaluated by its
//! continued fraction (DLMF 8.17.22) on the side of the mean where it
//! converges quickly, `I_x(a, b) = 1 − I_{1−x}(b, a)` on the other.

use super::check_count;
use crate::models::TransactionModelParams;
use crate::special::{ln_beta, ln_gamma, regularized_gamma_q};
use crate::Result;

crate::vocab::codes! {
    /// Which mixing distribution of a transaction model.
    pub enum MixingProcess as "mixing_process" {
        /// The purchase rate `λ ~ Gamma(r, α)`.
        Purchase = "purchase",
        /// The dropout probability `p ~ Beta(a, b)` (BG/NBD, MBG/NBD) or
        /// rate `μ ~ Gamma(s, β)` (Pareto/NBD), or the Gompertz hazard's
        /// scale `η ~ Gamma(s, β)` (GGompertz/NBD).
        Dropout = "dropout",
    }
}

/// A mixing distribution evaluated on a grid.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Heterogeneity {
    /// `"gamma"` or `"beta"`.
    pub distribution: &'static str,
    /// Mean of the distribution.
    pub mean: f64,
    /// Variance of the distribution.
    pub variance: f64,
    /// The 99th percentile, the end of the grid.
    pub upper: f64,
    /// `points` evenly spaced values from 0 to [`Heterogeneity::upper`].
    pub x: Vec<f64>,
    /// The density at each `x`; `None` where it is infinite (at 0 when the
    /// first shape parameter is below 1).
    pub density: Vec<Option<f64>>,
}

/// Most grid points of [`heterogeneity`].
const MAX_POINTS: usize = 100_000;

/// The mixing distribution of `process` in `model`, on `points` evenly
/// spaced values from 0 to its 99th percentile (see the module docs).
///
/// Errors: `points` below 2 or above 100,000; [`crate::Error::NonFiniteResult`]
/// when the moments or the 99% quantile of the mixing distribution overflow.
pub fn heterogeneity(
    model: &TransactionModelParams,
    process: MixingProcess,
    points: usize,
) -> Result<Heterogeneity> {
    check_count(
        "points",
        points,
        MAX_POINTS,
        "exceeds the limit of 100000 points",
    )?;
    if points < 2 {
        return Err(crate::Error::parameter(
            "points",
            points,
            "must be at least 2",
        ));
    }
    let dist = match (process, model) {
        (MixingProcess::Purchase, TransactionModelParams::BgNbd(p)) => Mixing::Gamma(p.r, p.alpha),
        (MixingProcess::Purchase, TransactionModelParams::MbgNbd(p)) => Mixing::Gamma(p.r, p.alpha),
        (MixingProcess::Purchase, TransactionModelParams::ParetoNbd(p)) => {
            Mixing::Gamma(p.r, p.alpha)
        }
        (MixingProcess::Dropout, TransactionModelParams::BgNbd(p)) => Mixing::Beta(p.a, p.b),
        (MixingProcess::Dropout, TransactionModelParams::MbgNbd(p)) => Mixing::Beta(p.a, p.b),
        (MixingProcess::Dropout, TransactionModelParams::ParetoNbd(p)) => {
            Mixing::Gamma(p.s, p.beta)
        }
        (MixingProcess::Purchase, TransactionModelParams::GgomNbd(p)) => {
            Mixing::Gamma(p.r, p.alpha)
        }
        (MixingProcess::Dropout, TransactionModelParams::GgomNbd(p)) => Mixing::Gamma(p.s, p.beta),
    };
    let upper = dist.quantile(0.99);
    let step = upper / (points - 1) as f64;
    let mut x: Vec<f64> = (0..points).map(|k| k as f64 * step).collect();
    x[points - 1] = upper;
    let density = x
        .iter()
        .map(|&v| Some(dist.density(v)).filter(|d| d.is_finite()))
        .collect();
    let (mean, variance) = dist.moments();
    // A mixing distribution whose moments or 99% quantile overflow (e.g. a
    // Gamma with scale 1e205; found by fuzzing).
    if !(mean.is_finite() && variance.is_finite() && upper.is_finite()) {
        return Err(crate::Error::NonFiniteResult {
            what: "heterogeneity moments",
            row: None,
        });
    }
    Ok(Heterogeneity {
        distribution: dist.name(),
        mean,
        variance,
        upper,
        x,
        density,
    })
}

/// A gamma (shape, rate) or beta (a, b) distribution.
#[derive(Debug, Clone, Copy)]
enum Mixing {
    Gamma(f64, f64),
    Beta(f64, f64),
}

impl Mixing {
    fn name(self) -> &'static str {
        match self {
            Mixing::Gamma(..) => "gamma",
            Mixing::Beta(..) => "beta",
        }
    }

    fn moments(self) -> (f64, f64) {
        match self {
            Mixing::Gamma(k, rate) => (k / rate, k / (rate * rate)),
            Mixing::Beta(a, b) => {
                let s = a + b;
                (a / s, a * b / (s * s) / (s + 1.0))
            }
        }
    }

    fn density(self, x: f64) -> f64 {
        match self {
            Mixing::Gamma(k, rate) => {
                if x == 0.0 {
                    return if k < 1.0 {
                        f64::INFINITY
                    } else if k == 1.0 {
                        rate
                    } else {
                        0.0
                    };
                }
                ((k - 1.0) * x.ln() - rate * x + k * rate.ln() - ln_gamma(k)).exp()
            }
            Mixing::Beta(a, b) => {
                if x == 0.0 {
                    return if a < 1.0 {
                        f64::INFINITY
                    } else if a == 1.0 {
                        b
                    } else {
                        0.0
                    };
                }
                if x == 1.0 {
                    return if b < 1.0 {
                        f64::INFINITY
                    } else if b == 1.0 {
                        a
                    } else {
                        0.0
                    };
                }
                ((a - 1.0) * x.ln() + (b - 1.0) * (-x).ln_1p() - ln_beta(a, b)).exp()
            }
        }
    }

    fn cdf(self, x: f64) -> f64 {
        match self {
            Mixing::Gamma(k, rate) => 1.0 - regularized_gamma_q(k, rate * x),
            Mixing::Beta(a, b) => regularized_beta(a, b, x),
        }
    }

    /// The `q` quantile by bisection to the last bit.
    fn quantile(self, q: f64) -> f64 {
        let (mut lo, mut hi) = (0.0f64, 1.0f64);
        if let Mixing::Gamma(..) = self {
            while self.cdf(hi) < q && hi < f64::MAX / 4.0 {
                lo = hi;
                hi *= 2.0;
            }
        }
        for _ in 0..2_000 {
            let mid = 0.5 * (lo + hi);
            if mid <= lo || mid >= hi {
                break;
            }
            if self.cdf(mid) < q {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        0.5 * (lo + hi)
    }
}

/// The regularized incomplete beta function `I_x(a, b)`, `a, b > 0`.
pub(super) fn regularized_beta(a: f64, b: f64, x: f64) -> f64 {
    if x <= 0.0 {
        return 0.0;
    }
    if x >= 1.0 {
        return 1.0;
    }
    let front = |a: f64, b: f64, x: f64| (a * x.ln() + b * (-x).ln_1p() - ln_beta(a, b)).exp() / a;
    if x < (a + 1.0) / (a + b + 2.0) {
        front(a, b, x) * beta_fraction(a, b, x)
    } else {
        1.0 - front(b, a, 1.0 - x) * beta_fraction(b, a, 1.0 - x)
    }
}

/// The continued fraction `1 / (1 + d₁ / (1 + d₂ / (1 + …)))` of
/// `I_x(a, b)` (DLMF 8.17.22), by the modified Lentz method, with
/// `d₂ₘ₊₁ = −(a+m)(a+b+m)x / ((a+2m)(a+2m+1))` and
/// `d₂ₘ = m(b−m)x / ((a+2m−1)(a+2m))`.
fn beta_fraction(a: f64, b: f64, x: f64) -> f64 {
    const TINY: f64 = 1e-300;
    let guard = |v: f64| if v.abs() < TINY { TINY } else { v };
    // After the leading 1 / 1: value 1, C = 1 / TINY, D = 1.
    let (mut f, mut c, mut d) = (1.0, 1.0 / TINY, 1.0);
    for k in 1..10_000u32 {
        let coefficient = if k % 2 == 1 {
            let m = f64::from((k - 1) / 2);
            -((a + m) * (a + b + m) * x) / ((a + 2.0 * m) * (a + 2.0 * m + 1.0))
        } else {
            let m = f64::from(k / 2);
            m * (b - m) * x / ((a + 2.0 * m - 1.0) * (a + 2.0 * m))
        };
        d = 1.0 / guard(1.0 + coefficient * d);
        c = guard(1.0 + coefficient / c);
        let step = c * d;
        f *= step;
        if (step - 1.0).abs() < 1e-16 {
            break;
        }
    }
    f
}
