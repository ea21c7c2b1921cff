//! The standardised error distributions of the log-location-scale families
//! and the per-row log-likelihood terms with their first two derivatives.

use crate::special::{
    inv_one_plus_exp, ln_gamma, log1p_exp, normal_cdf, normal_quantile, normal_sf,
};

crate::vocab::codes! {
    /// A log-location-scale family: `log T = μ + σ W` with `W` standard
    /// extreme-value (Weibull), normal (log-normal) or logistic
    /// (log-logistic). See the [module docs](super) for lifelines'
    /// parametrisation of each.
    #[non_exhaustive]
    pub enum ParametricFamily as "parametric_family" {
        /// Weibull: `H(t) = (t/λ)^ρ`; `λ = exp(η₁)`, `ρ = exp(η₂)`.
        Weibull = "weibull",
        /// Log-normal: `S(t) = 1 − Φ((log t − μ)/σ)`; `μ = η₁`, `σ = exp(η₂)`.
        LogNormal = "log_normal",
        /// Log-logistic: `S(t) = 1 / (1 + (t/α)^β)`; `α = exp(η₁)`, `β = exp(η₂)`.
        LogLogistic = "log_logistic",
    }
}

/// `ln √(2π)`.
const LN_SQRT_2PI: f64 = 0.918_938_533_204_672_8;

/// A value with its first and second derivative in `z`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Terms {
    pub value: f64,
    pub d1: f64,
    pub d2: f64,
}

impl ParametricFamily {
    /// lifelines' names of the two parameters, e.g. `["lambda_", "rho_"]`.
    pub fn parameter_names(self) -> [&'static str; 2] {
        match self {
            ParametricFamily::Weibull => ["lambda_", "rho_"],
            ParametricFamily::LogNormal => ["mu_", "sigma_"],
            ParametricFamily::LogLogistic => ["alpha_", "beta_"],
        }
    }

    /// `κ = sign · η₂` is the log of the shape `1/σ_W` of `log T`: `+1` for
    /// Weibull and log-logistic (η₂ is the log shape), `−1` for log-normal
    /// (η₂ is the log scale).
    pub(crate) fn kappa_sign(self) -> f64 {
        match self {
            ParametricFamily::LogNormal => -1.0,
            _ => 1.0,
        }
    }

    /// The first natural parameter from `η₁` (`exp` except for log-normal `μ`).
    pub(crate) fn first_from_eta(self, eta1: f64) -> f64 {
        match self {
            ParametricFamily::LogNormal => eta1,
            _ => eta1.exp(),
        }
    }

    /// `η₁` from the first natural parameter.
    pub(crate) fn eta_from_first(self, first: f64) -> f64 {
        match self {
            ParametricFamily::LogNormal => first,
            _ => first.ln(),
        }
    }

    /// `log g(z)`, the log density of `W`, with derivatives.
    pub(crate) fn log_density(self, z: f64) -> Terms {
        match self {
            ParametricFamily::Weibull => {
                let e = z.exp();
                Terms {
                    value: z - e,
                    d1: 1.0 - e,
                    d2: -e,
                }
            }
            ParametricFamily::LogNormal => Terms {
                value: -0.5 * z * z - LN_SQRT_2PI,
                d1: -z,
                d2: -1.0,
            },
            ParametricFamily::LogLogistic => {
                let s = inv_one_plus_exp(-z);
                let c = inv_one_plus_exp(z);
                Terms {
                    value: z - 2.0 * log1p_exp(z),
                    d1: 1.0 - 2.0 * s,
                    d2: -2.0 * s * c,
                }
            }
        }
    }

    /// `log S_W(z)`, the log survival function of `W`, with derivatives.
    pub(crate) fn log_survival(self, z: f64) -> Terms {
        match self {
            ParametricFamily::Weibull => {
                let e = z.exp();
                Terms {
                    value: -e,
                    d1: -e,
                    d2: -e,
                }
            }
            ParametricFamily::LogNormal => {
                let (log_sf, mills) = normal_log_sf(z);
                Terms {
                    value: log_sf,
                    d1: -mills,
                    d2: -mills * (mills - z),
                }
            }
            ParametricFamily::LogLogistic => {
                let s = inv_one_plus_exp(-z);
                let c = inv_one_plus_exp(z);
                Terms {
                    value: -log1p_exp(z),
                    d1: -s,
                    d2: -s * c,
                }
            }
        }
    }

    /// The `z` at which `S_W(z) = p`, for `0 < p < 1`.
    pub(crate) fn survival_quantile(self, p: f64) -> f64 {
        match self {
            ParametricFamily::Weibull => (-p.ln()).ln(),
            ParametricFamily::LogNormal => -normal_quantile(p).unwrap_or(f64::NAN),
            ParametricFamily::LogLogistic => ((1.0 - p) / p).ln(),
        }
    }

    /// `E[T]` for the natural parameters (`∞` where it does not exist).
    pub(crate) fn mean(self, first: f64, second: f64) -> f64 {
        match self {
            ParametricFamily::Weibull => first * ln_gamma(1.0 + 1.0 / second).exp(),
            ParametricFamily::LogNormal => (first + 0.5 * second * second).exp(),
            ParametricFamily::LogLogistic => {
                if second > 1.0 {
                    let b = std::f64::consts::PI / second;
                    first * b / b.sin()
                } else {
                    f64::INFINITY
                }
            }
        }
    }
}

/// `(log Φ̄(z), φ(z)/Φ̄(z))`: the log upper normal tail and the inverse
/// Mills ratio, accurate in the far upper tail (continued fraction for
/// `Φ̄/φ` beyond `z = 30`, where `erfc` underflows).
pub(crate) fn normal_log_sf(z: f64) -> (f64, f64) {
    let log_phi = -0.5 * z * z - LN_SQRT_2PI;
    if z < 0.0 {
        // Φ̄ near 1: log1p of the small lower tail keeps its digits.
        let log_sf = (-normal_cdf(z)).ln_1p();
        (log_sf, (log_phi - log_sf).exp())
    } else if z < 30.0 {
        let sf = normal_sf(z);
        (sf.ln(), (log_phi - sf.ln()).exp())
    } else {
        // Φ̄(z)/φ(z) = 1/(z + 1/(z + 2/(z + 3/(z + …)))), evaluated backwards.
        let mut t = z;
        for k in (1..=40).rev() {
            t = z + k as f64 / t;
        }
        (log_phi - t.ln(), t)
    }
}
