//! The predictive cohort matrix: a retention matrix whose immature cells
//! are filled with the model's projection and an interval, marked as
//! projected.
//!
//! # Cells
//!
//! Cohort `i` has `Nᵢ` subscribers and is observed to age `kᵢ` with
//! `n_{i,kᵢ}` still active. Column `t` holds the share of the cohort active
//! at age `t`:
//!
//! * **observed** (`t ≤ kᵢ`): `n_{i,t}/Nᵢ`, exactly the input, with a
//!   Wilson score interval at the same level,
//!   `(p̂ + z²/2N ± z √(p̂(1 − p̂)/N + z²/4N²)) / (1 + z²/N)`;
//! * **projected** (`t > kᵢ`): `(n_{i,kᵢ}/Nᵢ) · q`, `q = S(t)/S(kᵢ)`, the
//!   model's probability that a subscriber active at `kᵢ` is still active
//!   at `t` (the cohort's own survivors carried forward, so the projection
//!   joins the observed cells without a jump).
//!
//! # Intervals of projected cells
//!
//! Prediction intervals for the share the cohort will show, at coverage
//! `level` (default 0.90), from two sources: the uncertainty of the
//! estimated parameters and which of the `n_{i,kᵢ}` active subscribers
//! remain (given the parameters, each independently with probability `q`:
//! the survivors' count is binomial, variance `n q (1 − q)`).
//!
//! * [`IntervalMethod::Delta`]: `Var(q̂) = ∇qᵀ Σ ∇q + q(1 − q)/n`, with `Σ`
//!   the fit's covariance and `∇q = q (∇ln S(t) − ∇ln S(kᵢ))` analytic; the
//!   interval is built on the logit scale, `logit q ± z √Var / (q(1 − q))`,
//!   and mapped back, so it stays inside `[0, n_{i,kᵢ}/Nᵢ]`.
//! * [`IntervalMethod::Bootstrap`]: parametric bootstrap, `draws` parameter
//!   vectors from the asymptotic normal `N(θ̂, Σ)` (redrawn when a
//!   parameter is not positive, at most 20 × `draws` attempts), each giving
//!   `q*` plus a normal draw with the binomial variance `q*(1 − q*)/n`
//!   (clamped to `[0, 1]`); the interval is the empirical `(1 ∓ level)/2`
//!   quantiles, widened when needed to contain the estimate. Deterministic
//!   for a `seed` (portable xoshiro256**).
//!
//! With per-cohort fits each cohort uses its own parameters and covariance.
//!
//! # Limits
//!
//! At most [`MAX_MATRIX_CELLS`] cells; `draws` between 2 and
//! [`MAX_BOOTSTRAP_DRAWS`] and `draws × projected cells` at most
//! [`MAX_BOOTSTRAP_VALUES`]; ages up to [`MAX_AGES`]. Beyond them:
//! [`Error::InvalidParameter`].

use chrono::{DateTime, Utc};

use super::curve::{ln_survival, ln_survival_gradient};
use super::data::{CohortSurvivors, MAX_AGES};
use super::fit::{fit_cohorts, ContractualFit};
use super::{CohortPooling, ContractualModelKind, ContractualParams};
use crate::cohorts::{acquisition_cohorts, CohortOptions, QualifyingEvents, RetentionMode};
use crate::error::{Error, Result};
use crate::events::EventLog;
use crate::intervals::wilson;
use crate::models::fitting::FitOptions;
use crate::models::predictions::intervals::{
    IntervalMethod, MAX_BOOTSTRAP_DRAWS, MAX_BOOTSTRAP_VALUES,
};
use crate::sample::rng::{Facet, Rng};
use crate::special::normal_quantile;
use crate::time::Calendar;

/// Most cells (cohorts × ages) a predictive matrix may hold.
pub const MAX_MATRIX_CELLS: usize = 10_000_000;

/// Options of [`predictive_cohort_matrix`].
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(default, deny_unknown_fields))]
pub struct MatrixOptions {
    /// The model (default sBG).
    pub model: ContractualModelKind,
    /// Pooled (default) or per-cohort parameters.
    pub pooling: CohortPooling,
    /// Number of columns (ages `0..ages`); `None` (default) keeps the
    /// input's largest number of ages, filling the triangle. At most
    /// [`MAX_AGES`].
    pub ages: Option<usize>,
    /// Coverage of every interval, in `(0, 1)`. Default 0.90.
    pub level: f64,
    /// Delta method (default) or parametric bootstrap.
    pub method: IntervalMethod,
    /// Bootstrap draws (2 to [`MAX_BOOTSTRAP_DRAWS`]). Default 1000.
    pub draws: usize,
    /// Bootstrap seed. Default 0.
    pub seed: u64,
    /// Options of the fit(s).
    pub fit: FitOptions,
}

impl Default for MatrixOptions {
    fn default() -> Self {
        MatrixOptions {
            model: ContractualModelKind::Sbg,
            pooling: CohortPooling::Pooled,
            ages: None,
            level: 0.90,
            method: IntervalMethod::Delta,
            draws: 1000,
            seed: 0,
            fit: FitOptions::default(),
        }
    }
}

/// How survivors are read from an event log for
/// [`predictive_cohort_matrix_from_log`]: acquisition cohorts by the period
/// of the first order, a subscriber active at age `k` when she has a
/// qualifying event in period `k` or later
/// ([`RetentionMode::ReturnOnOrAfter`]).
///
/// With serde the calendar is spelled flat, as the cohort options of the
/// doors spell it: `{ period, utc_offset_seconds, qualifying, max_age }`,
/// every key optional (the defaults below); the offset is checked by
/// [`predictive_cohort_matrix_from_log`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(
    feature = "serde",
    serde(from = "SurvivorFields", into = "SurvivorFields")
)]
pub struct SurvivorOptions {
    /// Period calendar (default: calendar months in UTC).
    pub calendar: Calendar,
    /// Which events show a subscriber active (default: orders, e.g. the
    /// renewal payments).
    pub qualifying: QualifyingEvents,
    /// Largest age to read; `None` reads every complete age.
    pub max_age: Option<u32>,
}

/// The serde shape of [`SurvivorOptions`]: the calendar's fields flat.
#[cfg(feature = "serde")]
#[derive(Clone, Copy, serde::Serialize, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
struct SurvivorFields {
    period: crate::time::Period,
    utc_offset_seconds: i32,
    qualifying: QualifyingEvents,
    max_age: Option<u32>,
}

#[cfg(feature = "serde")]
impl Default for SurvivorFields {
    fn default() -> Self {
        SurvivorOptions::default().into()
    }
}

#[cfg(feature = "serde")]
impl From<SurvivorOptions> for SurvivorFields {
    fn from(o: SurvivorOptions) -> Self {
        SurvivorFields {
            period: o.calendar.period,
            utc_offset_seconds: o.calendar.utc_offset_seconds,
            qualifying: o.qualifying,
            max_age: o.max_age,
        }
    }
}

#[cfg(feature = "serde")]
impl From<SurvivorFields> for SurvivorOptions {
    fn from(f: SurvivorFields) -> Self {
        SurvivorOptions {
            calendar: Calendar {
                period: f.period,
                utc_offset_seconds: f.utc_offset_seconds,
                zone: None,
            },
            qualifying: f.qualifying,
            max_age: f.max_age,
        }
    }
}

/// The filled matrix: `cohorts × ages` cells, row `i` for cohort `i`.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct PredictiveCohortMatrix {
    /// Cohort labels.
    pub labels: Vec<String>,
    /// Cohort sizes `Nᵢ`.
    pub sizes: Vec<u64>,
    /// Number of observed ages of each cohort (`kᵢ + 1`).
    pub observed_ages: Vec<usize>,
    /// Share of the cohort active at each age (observed or projected).
    pub share: Vec<Vec<f64>>,
    /// Lower ends of the intervals.
    pub lower: Vec<Vec<f64>>,
    /// Upper ends of the intervals.
    pub upper: Vec<Vec<f64>>,
    /// Whether each cell is a projection.
    pub projected: Vec<Vec<bool>>,
    /// Expected active subscribers, `share × Nᵢ` (the counts themselves on
    /// observed cells).
    pub expected_active: Vec<Vec<f64>>,
    /// Coverage of the intervals.
    pub level: f64,
    /// How projected intervals were computed.
    pub method: IntervalMethod,
    /// Pooled or per-cohort parameters.
    pub pooling: CohortPooling,
    /// The fit(s): one when pooled, one per cohort otherwise.
    pub fits: Vec<ContractualFit>,
}

fn check_options(options: &MatrixOptions, cohorts: usize, max_ages: usize) -> Result<(usize, f64)> {
    let z = Some(options.level)
        .filter(|l| *l > 0.0 && *l < 1.0)
        .and_then(|l| normal_quantile(0.5 + l / 2.0))
        .ok_or_else(|| Error::parameter("level", options.level, "must be in (0, 1)"))?;
    let ages = options.ages.unwrap_or(max_ages);
    if !(1..=MAX_AGES).contains(&ages) {
        return Err(Error::parameter(
            "ages",
            ages,
            "must be between 1 and MAX_AGES (100000)",
        ));
    }
    if cohorts.saturating_mul(ages) > MAX_MATRIX_CELLS {
        return Err(Error::parameter(
            "ages",
            ages,
            "cohorts × ages must be at most MAX_MATRIX_CELLS (10000000)",
        ));
    }
    if options.method == IntervalMethod::Bootstrap
        && !(2..=MAX_BOOTSTRAP_DRAWS).contains(&options.draws)
    {
        return Err(Error::parameter(
            "draws",
            options.draws,
            "must be between 2 and MAX_BOOTSTRAP_DRAWS (10000)",
        ));
    }
    Ok((ages, z))
}

/// Fits the model to `data` and fills the matrix (module docs).
///
/// Errors: those of [`fit_cohorts`]; invalid or too large
/// options ([`Error::InvalidParameter`]); a fit without a covariance
/// (singular observed information), which the intervals need
/// ([`Error::SingularMatrix`]).
pub fn predictive_cohort_matrix(
    data: &CohortSurvivors,
    options: &MatrixOptions,
) -> Result<PredictiveCohortMatrix> {
    let (ages, z) = check_options(options, data.len(), data.max_ages())?;
    let projected_cells: usize = data
        .counts
        .iter()
        .map(|c| ages.saturating_sub(c.len()))
        .sum();
    if options.method == IntervalMethod::Bootstrap
        && options.draws.saturating_mul(projected_cells) > MAX_BOOTSTRAP_VALUES
    {
        return Err(Error::parameter(
            "draws",
            options.draws,
            "draws × projected cells must be at most MAX_BOOTSTRAP_VALUES (10000000)",
        ));
    }
    let fits = fit_cohorts(options.model, data, options.pooling, &options.fit)?;
    let mut out = PredictiveCohortMatrix {
        labels: data.labels.clone(),
        sizes: data.counts.iter().map(|c| c[0]).collect(),
        observed_ages: data.counts.iter().map(Vec::len).collect(),
        share: Vec::with_capacity(data.len()),
        lower: Vec::with_capacity(data.len()),
        upper: Vec::with_capacity(data.len()),
        projected: Vec::with_capacity(data.len()),
        expected_active: Vec::with_capacity(data.len()),
        level: options.level,
        method: options.method,
        pooling: options.pooling,
        fits: Vec::new(),
    };
    let mut draws_cache: Vec<Option<Vec<f64>>> = vec![None; fits.len()];
    for (i, counts) in data.counts.iter().enumerate() {
        let f = if fits.len() == 1 { 0 } else { i };
        let fitted = &fits[f];
        let size = counts[0] as f64;
        let mut row = Row::with_capacity(ages);
        for &n in counts.iter().take(ages) {
            let (lo, hi) = wilson(n as f64, size, z);
            row.push(n as f64 / size, lo, hi, false, n as f64);
        }
        if ages > counts.len() {
            let k = counts.len() - 1;
            let active = counts[k] as f64;
            let p0 = active / size;
            let targets: Vec<u64> = (counts.len() as u64..ages as u64).collect();
            let cells = match options.method {
                IntervalMethod::Delta => {
                    delta_cells(&fitted.params, fitted, k, active, &targets, z)?
                }
                IntervalMethod::Bootstrap => {
                    if draws_cache[f].is_none() {
                        let draws = parameter_draws(fitted, options, f)?;
                        draws_cache[f] = Some(draw_curves(options.model, &draws, ages));
                    }
                    let curves = draws_cache[f].as_deref().unwrap_or(&[]);
                    bootstrap_cells(
                        &fitted.params,
                        curves,
                        ages,
                        (k, active),
                        &targets,
                        options,
                        i,
                    )
                }
            };
            for (q, lo, hi) in cells {
                row.push(p0 * q, p0 * lo, p0 * hi, true, active * q);
            }
        }
        out.share.push(row.share);
        out.lower.push(row.lower);
        out.upper.push(row.upper);
        out.projected.push(row.projected);
        out.expected_active.push(row.expected);
    }
    out.fits = fits;
    Ok(out)
}

#[derive(Default)]
struct Row {
    share: Vec<f64>,
    lower: Vec<f64>,
    upper: Vec<f64>,
    projected: Vec<bool>,
    expected: Vec<f64>,
}

impl Row {
    fn with_capacity(n: usize) -> Self {
        Row {
            share: Vec::with_capacity(n),
            lower: Vec::with_capacity(n),
            upper: Vec::with_capacity(n),
            projected: Vec::with_capacity(n),
            expected: Vec::with_capacity(n),
        }
    }

    fn push(&mut self, share: f64, lo: f64, hi: f64, projected: bool, expected: f64) {
        self.share.push(share);
        self.lower.push(lo);
        self.upper.push(hi);
        self.projected.push(projected);
        self.expected.push(expected);
    }
}

/// `q = S(t)/S(k)` at parameters `p`.
fn conditional_survival(p: &ContractualParams, k: u64, t: u64) -> f64 {
    let ln_k = ln_survival(p.alpha, p.beta, p.c, k as f64);
    (ln_survival(p.alpha, p.beta, p.c, t as f64) - ln_k)
        .min(0.0)
        .exp()
}

fn covariance(fitted: &ContractualFit) -> Result<&[f64]> {
    fitted
        .diagnostics
        .covariance
        .as_deref()
        .ok_or(Error::SingularMatrix {
            what: "observed information of the contractual fit",
            index: 0,
        })
}

/// Delta-method cells `(q, lower, upper)` on the logit scale.
fn delta_cells(
    p: &ContractualParams,
    fitted: &ContractualFit,
    k: usize,
    active: f64,
    targets: &[u64],
    z: f64,
) -> Result<Vec<(f64, f64, f64)>> {
    let cov = covariance(fitted)?;
    let dim = p.values().len();
    let g_k = ln_survival_gradient(p.alpha, p.beta, p.c, k as f64);
    let mut out = Vec::with_capacity(targets.len());
    for &t in targets {
        let q = conditional_survival(p, k as u64, t);
        if active == 0.0 || q == 0.0 {
            out.push((0.0, 0.0, 0.0));
            continue;
        }
        let g_t = ln_survival_gradient(p.alpha, p.beta, p.c, t as f64);
        let grad: Vec<f64> = (0..dim).map(|j| q * (g_t[j] - g_k[j])).collect();
        let mut var = q * (1.0 - q) / active;
        for a in 0..dim {
            for b in 0..dim {
                var += grad[a] * cov[a * dim + b] * grad[b];
            }
        }
        if q >= 1.0 {
            out.push((q, q, q));
            continue;
        }
        let se = var.max(0.0).sqrt() / (q * (1.0 - q));
        let logit = (q / (1.0 - q)).ln();
        let expit = |x: f64| 1.0 / (1.0 + (-x).exp());
        let (lo, hi) = (expit(logit - z * se).min(q), expit(logit + z * se).max(q));
        if !(lo.is_finite() && hi.is_finite()) {
            return Err(Error::NonFiniteResult {
                what: "projected cell interval",
                row: None,
            });
        }
        out.push((q, lo, hi));
    }
    Ok(out)
}

/// `draws` parameter vectors from `N(θ̂, Σ)` with all components `> 0`.
fn parameter_draws(
    fitted: &ContractualFit,
    options: &MatrixOptions,
    stream: usize,
) -> Result<Vec<Vec<f64>>> {
    let cov = covariance(fitted)?;
    let theta = fitted.params.values();
    let k = theta.len();
    let l = crate::linalg::cholesky(cov, k, 0.0).map_err(|index| Error::SingularMatrix {
        what: "parameter covariance",
        index,
    })?;
    let mut rng = Rng::stream(options.seed, stream, Facet::ModelSimulation);
    let mut out = Vec::with_capacity(options.draws);
    let mut attempts = 0;
    let mut zs = vec![0.0; k];
    while out.len() < options.draws {
        if attempts >= 20 * options.draws {
            return Err(Error::parameter(
                "draws",
                options.draws,
                "too many bootstrap draws had a non-positive parameter: the covariance is too wide for a normal approximation",
            ));
        }
        attempts += 1;
        zs.iter_mut().for_each(|z| *z = rng.normal());
        let star: Vec<f64> = (0..k)
            .map(|i| theta[i] + (0..=i).map(|j| l[i * k + j] * zs[j]).sum::<f64>())
            .collect();
        if star.iter().all(|v| v.is_finite() && *v > 0.0) {
            out.push(star);
        }
    }
    Ok(out)
}

/// `ln S(t)` at ages `0..ages` for each parameter draw (row-major,
/// `draws × ages`): computed once per fit, shared by its cohorts.
fn draw_curves(model: ContractualModelKind, draws: &[Vec<f64>], ages: usize) -> Vec<f64> {
    let mut out = Vec::with_capacity(draws.len() * ages);
    for star in draws {
        let c = if model == ContractualModelKind::Bdw {
            star[2]
        } else {
            1.0
        };
        out.extend((0..ages).map(|t| ln_survival(star[0], star[1], c, t as f64)));
    }
    out
}

/// Bootstrap cells `(q, lower, upper)` from the draws' survival curves.
fn bootstrap_cells(
    p: &ContractualParams,
    curves: &[f64],
    ages: usize,
    (k, active): (usize, f64),
    targets: &[u64],
    options: &MatrixOptions,
    cohort: usize,
) -> Vec<(f64, f64, f64)> {
    let mut rng = Rng::stream(options.seed, cohort, Facet::Subscriptions);
    let n = curves.len() / ages.max(1);
    let mut values = vec![0.0; targets.len() * n];
    for (d, curve) in curves.chunks_exact(ages).enumerate() {
        for (j, &t) in targets.iter().enumerate() {
            let q = (curve[t as usize] - curve[k]).min(0.0).exp();
            let noise = if active > 0.0 {
                (q * (1.0 - q) / active).sqrt() * rng.normal()
            } else {
                0.0
            };
            values[j * n + d] = (q + noise).clamp(0.0, 1.0);
        }
    }
    let lo_q = (1.0 - options.level) / 2.0;
    let hi_q = (1.0 + options.level) / 2.0;
    let mut out = Vec::with_capacity(targets.len());
    for (j, &t) in targets.iter().enumerate() {
        let col = &mut values[j * n..(j + 1) * n];
        col.sort_by(f64::total_cmp);
        let q = if active > 0.0 {
            conditional_survival(p, k as u64, t)
        } else {
            0.0
        };
        // Percentiles of draws around q; widened to contain the estimate.
        out.push((q, quantile(col, lo_q).min(q), quantile(col, hi_q).max(q)));
    }
    out
}

/// Quantile of sorted values, linear interpolation between order
/// statistics.
fn quantile(sorted: &[f64], p: f64) -> f64 {
    let n = sorted.len();
    if n == 0 {
        return f64::NAN;
    }
    let h = p * (n - 1) as f64;
    let lo = h.floor() as usize;
    let hi = (lo + 1).min(n - 1);
    sorted[lo] + (h - lo as f64) * (sorted[hi] - sorted[lo])
}

/// One call from an event log to the filled matrix: acquisition cohorts
/// with survivors read as in [`SurvivorOptions`], then
/// [`predictive_cohort_matrix`]. Cohorts with no complete period yet are
/// left out.
///
/// Errors: [`Error::InvalidParameter`] for a calendar offset beyond
/// ±18 hours; those of [`acquisition_cohorts`] (events after `as_of`…),
/// [`CohortSurvivors::from_matrix`] (no complete cohort: empty input) and
/// [`predictive_cohort_matrix`].
pub fn predictive_cohort_matrix_from_log(
    log: &EventLog,
    as_of: DateTime<Utc>,
    survivors: &SurvivorOptions,
    options: &MatrixOptions,
) -> Result<PredictiveCohortMatrix> {
    let calendar = Calendar::with_offset(
        survivors.calendar.period,
        survivors.calendar.utc_offset_seconds,
    )?;
    let cohort_options = CohortOptions {
        calendar,
        mode: RetentionMode::ReturnOnOrAfter,
        qualifying: survivors.qualifying,
        max_age: survivors.max_age,
        ..CohortOptions::default()
    };
    let matrix = acquisition_cohorts(log, as_of, &cohort_options)?;
    let data = CohortSurvivors::from_matrix(&matrix)?;
    predictive_cohort_matrix(&data, options)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantile_interpolates() {
        assert_eq!(quantile(&[1.0, 2.0, 3.0, 4.0], 0.5), 2.5);
        assert_eq!(quantile(&[1.0, 2.0, 3.0, 4.0], 0.0), 1.0);
    }

    #[cfg(feature = "serde")]
    #[test]
    fn survivor_options_read_flat_with_the_defaults() {
        let o: SurvivorOptions =
            serde_json::from_str(r#"{"period": "week", "max_age": 5}"#).unwrap();
        assert_eq!(o.calendar, Calendar::utc(crate::time::Period::ISO_WEEK));
        assert_eq!(o.max_age, Some(5));
        assert_eq!(o.qualifying, SurvivorOptions::default().qualifying);
        let d: SurvivorOptions = serde_json::from_str("{}").unwrap();
        assert_eq!(d, SurvivorOptions::default());
        assert!(serde_json::from_str::<SurvivorOptions>(r#"{"calendar": {}}"#).is_err());
        let back = serde_json::to_value(o).unwrap();
        assert_eq!(back["period"], "week");
        // An offset beyond ±18 h is read but refused by the function.
        let far = SurvivorOptions {
            calendar: Calendar {
                period: crate::time::Period::Month,
                utc_offset_seconds: 20 * 3600,
                zone: None,
            },
            ..SurvivorOptions::default()
        };
        let log = EventLog::default();
        let err = predictive_cohort_matrix_from_log(
            &log,
            chrono::DateTime::<Utc>::default(),
            &far,
            &MatrixOptions::default(),
        );
        assert!(matches!(
            err,
            Err(Error::InvalidParameter {
                name: "utc_offset_seconds",
                ..
            })
        ));
    }
}
