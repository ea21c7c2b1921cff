//! Residuals of a fitted Cox model on its training data, and the
//! Grambsch–Therneau test of proportional hazards built on the scaled
//! Schoenfeld residuals.
//!
//! See the [module overview](super) for the formulas; every choice follows
//! lifelines 0.30 (`CoxPHFitter.compute_residuals`,
//! `statistics.proportional_hazard_test`).

use super::baseline::score_residuals;
use super::fit::Design;
use super::{check_rows, CoxModel, CoxRows};
use crate::error::{Error, IssueKind, Issues, Result};
use crate::survival::keys::{duration_key, order_by_keys};

crate::vocab::codes! {
    /// Kind of residual computed by [`CoxModel::residuals`] (lifelines'
    /// `compute_residuals` kinds).
    pub enum CoxResidualKind as "cox_residual_kind" {
        /// Schoenfeld residuals, `p` per subject (zero for censored subjects).
        Schoenfeld = "schoenfeld",
        /// Schoenfeld residuals times `d · V` (`d` events, `V` the model-based
        /// covariance), `p` per subject.
        ScaledSchoenfeld = "scaled_schoenfeld",
        /// Martingale residuals, one per subject.
        Martingale = "martingale",
        /// Deviance residuals, one per subject.
        Deviance = "deviance",
        /// Score (Lin–Wei) residuals, `p` per subject.
        Score = "score",
        /// Approximate change of `β` when the subject is left out, `p` per
        /// subject.
        DeltaBeta = "delta_beta",
    }
}

impl CoxResidualKind {
    /// Whether the kind has one value per subject (otherwise `p`).
    pub const fn is_scalar(self) -> bool {
        matches!(
            self,
            CoxResidualKind::Martingale | CoxResidualKind::Deviance
        )
    }
}

crate::vocab::codes! {
    /// Transform `g` of the event times in
    /// [`CoxModel::proportional_hazard_test`], in lifelines' order.
    pub enum CoxTimeTransform as "cox_time_transform" {
        /// Running count of events in the order (stratum, time, censored
        /// first, input row): lifelines' default.
        Rank = "rank",
        /// `t` itself.
        Identity = "identity",
        /// `ln t`.
        Log = "log",
        /// `1 − Ŝ(t)`, `Ŝ` the weighted Kaplan–Meier estimate of the whole
        /// sample.
        KaplanMeier = "km",
    }
}

/// Residuals and the proportional hazard test are defined here for rows at
/// risk from the beginning only.
fn no_entries(rows: &CoxRows<'_>) -> Result<()> {
    match rows.entries {
        Some(_) => Err(Error::parameter(
            "entries",
            "given",
            "residuals and the proportional hazard test do not support entry times",
        )),
        None => Ok(()),
    }
}

impl CoxModel {
    /// Checks that the training data has the model's covariates and is
    /// valid, then sorts it (standardised as in the fit when `standardise`,
    /// otherwise on the original scale).
    fn training_design<C: AsRef<[f64]>>(
        &self,
        durations: &[f64],
        event_observed: &[bool],
        covariates: &[C],
        rows: &CoxRows<'_>,
        standardise: bool,
    ) -> Result<Design> {
        let p = self.coefficients.len();
        crate::error::check_len("covariates", p, covariates.len())?;
        check_rows(durations, event_observed, covariates, rows)?;
        no_entries(rows)?;
        let (center, scale) = if standardise {
            (self.means.clone(), self.std_devs.clone())
        } else {
            (vec![0.0; p], vec![1.0; p])
        };
        Ok(Design::build(
            durations,
            event_observed,
            covariates,
            &center,
            &scale,
            &CoxRows {
                entries: None,
                ..*rows
            },
        ))
    }

    /// Residuals of the model on its training data (lifelines'
    /// `compute_residuals`), in input order: one value per subject for
    /// [`CoxResidualKind::is_scalar`] kinds, otherwise `p` per subject
    /// (row-major, `n × p`). See the [module overview](crate::survival) for the
    /// formulas. For the score and delta-beta residuals, tied times are
    /// ordered censored first, then by input row, as lifelines does.
    ///
    /// # Errors
    /// As [`CoxModel::fit_with`] for invalid data, plus
    /// [`Error::LengthMismatch`] for the wrong number of covariates,
    /// [`Error::InvalidRows`] (kind `Missing`) for a stratum the model does
    /// not know, and [`Error::NonFiniteResult`] if a value overflows.
    pub fn residuals<C: AsRef<[f64]>>(
        &self,
        durations: &[f64],
        event_observed: &[bool],
        covariates: &[C],
        rows: CoxRows<'_>,
        kind: CoxResidualKind,
    ) -> Result<Vec<f64>> {
        let out = match kind {
            CoxResidualKind::Schoenfeld | CoxResidualKind::ScaledSchoenfeld => {
                let design =
                    self.training_design(durations, event_observed, covariates, &rows, true)?;
                let raw = self.schoenfeld(&design);
                if kind == CoxResidualKind::Schoenfeld {
                    raw
                } else {
                    self.scale_rows(&raw, self.n_events as f64, false)
                }
            }
            CoxResidualKind::Martingale | CoxResidualKind::Deviance => {
                let mut m = self.martingale(durations, event_observed, covariates, &rows)?;
                if kind == CoxResidualKind::Deviance {
                    for (r, &e) in m.iter_mut().zip(event_observed) {
                        let e = f64::from(u8::from(e));
                        let log_term = if e - *r > 0.0 { e * (e - *r).ln() } else { 0.0 };
                        *r = r.signum() * (-2.0 * (*r + log_term)).max(0.0).sqrt();
                    }
                }
                m
            }
            CoxResidualKind::Score | CoxResidualKind::DeltaBeta => {
                // lifelines evaluates these on the original covariates with
                // the coefficients of the standardised fit, `βⱼ sⱼ`.
                let design =
                    self.training_design(durations, event_observed, covariates, &rows, false)?;
                let beta: Vec<f64> = self
                    .coefficients
                    .iter()
                    .zip(&self.std_devs)
                    .map(|(b, s)| b * s)
                    .collect();
                let sorted = score_residuals(&design, &beta);
                let p = design.p;
                let mut u = vec![0.0; design.n * p];
                for (k, &i) in design.order.iter().enumerate() {
                    u[i * p..(i + 1) * p].copy_from_slice(&sorted[k * p..(k + 1) * p]);
                }
                if kind == CoxResidualKind::Score {
                    u
                } else {
                    self.scale_rows(&u, 1.0, true)
                }
            }
        };
        if out.iter().any(|v| !v.is_finite()) {
            return Err(Error::NonFiniteResult {
                what: "Cox residuals",
                row: None,
            });
        }
        Ok(out)
    }

    /// `factor · R V` for rows `R` (`n × p`) and the model-based covariance
    /// `V`, its row `a` first multiplied by `sₐ` when `by_std`.
    fn scale_rows(&self, rows: &[f64], factor: f64, by_std: bool) -> Vec<f64> {
        let p = self.coefficients.len();
        let v = &self.variance_matrix;
        let mut out = vec![0.0; rows.len()];
        for (r, o) in rows
            .chunks_exact(p.max(1))
            .zip(out.chunks_exact_mut(p.max(1)))
        {
            for (b, cell) in o.iter_mut().enumerate() {
                let s: f64 = (0..p)
                    .map(|a| {
                        let scale = if by_std { self.std_devs[a] } else { 1.0 };
                        r[a] * v[a * p + b] * scale
                    })
                    .sum();
                *cell = factor * s;
            }
        }
        out
    }

    /// Schoenfeld residuals on the original scale, input order, zero rows
    /// for censored subjects.
    fn schoenfeld(&self, design: &Design) -> Vec<f64> {
        let p = design.p;
        let beta: Vec<f64> = self
            .coefficients
            .iter()
            .zip(&self.std_devs)
            .map(|(b, s)| b * s)
            .collect();
        let eta = design.eta(&beta);
        let shift = eta.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let shift = if shift.is_finite() { shift } else { 0.0 };
        let mut out = vec![0.0; design.n * p];
        let mut s1 = vec![0.0; p];
        let mut d1 = vec![0.0; p];
        let mut mean = vec![0.0; p];
        for &(first, last, _) in &design.strata {
            let mut s0 = 0.0;
            s1.iter_mut().for_each(|v| *v = 0.0);
            for &(start, end) in &design.blocks[first..last] {
                let mut d0 = 0.0;
                let mut deaths = 0usize;
                d1.iter_mut().for_each(|v| *v = 0.0);
                let block = eta[start..end].iter().zip(start..end);
                for (&eta_k, k) in block {
                    let w = design.weight[k] * (eta_k - shift).exp();
                    let xk = &design.x[k * p..(k + 1) * p];
                    s0 += w;
                    for (s, &x) in s1.iter_mut().zip(xk) {
                        *s += w * x;
                    }
                    if design.event[k] {
                        deaths += 1;
                        d0 += w;
                        for (d, &x) in d1.iter_mut().zip(xk) {
                            *d += w * x;
                        }
                    }
                }
                if deaths == 0 {
                    continue;
                }
                // Efron: the mean of x over the d tie terms with risk sets
                // reduced by l/d of the tied events, l = 0..d−1.
                let df = deaths as f64;
                mean.iter_mut().for_each(|v| *v = 0.0);
                for l in 0..deaths {
                    let f = l as f64 / df;
                    let denom = s0 - f * d0;
                    for a in 0..p {
                        mean[a] += (s1[a] - f * d1[a]) / (denom * df);
                    }
                }
                for k in (start..end).filter(|&k| design.event[k]) {
                    let i = design.order[k];
                    for a in 0..p {
                        out[i * p + a] = (design.x[k * p + a] - mean[a]) * self.std_devs[a];
                    }
                }
            }
        }
        out
    }

    /// `δᵢ − exp((xᵢ − x̄)ᵀβ) Ĥ₀(tᵢ)` per subject, `Ĥ₀` the Breslow
    /// cumulative hazard of the subject's stratum.
    fn martingale<C: AsRef<[f64]>>(
        &self,
        durations: &[f64],
        event_observed: &[bool],
        covariates: &[C],
        rows: &CoxRows<'_>,
    ) -> Result<Vec<f64>> {
        let p = self.coefficients.len();
        crate::error::check_len("covariates", p, covariates.len())?;
        check_rows(durations, event_observed, covariates, rows)?;
        no_entries(rows)?;
        let n = durations.len();
        let mut issues = Issues::default();
        let mut slots = Vec::with_capacity(n);
        for row in 0..n {
            let label = rows.strata.map_or(0, |s| s[row]);
            match self.baseline.stratum_index(label) {
                Some(s) => slots.push(s),
                None => {
                    issues.push(row, "stratum", label, IssueKind::Missing);
                    slots.push(0);
                }
            }
        }
        issues.finish()?;
        let log_hazard = self.log_partial_hazard(covariates, n)?;
        let cumulative = self.baseline.cumulative_hazard();
        let times = &self.baseline.times;
        let k = times.len();
        Ok((0..n)
            .map(|row| {
                let t = durations[row];
                let at = times.partition_point(|&u| duration_key(u) <= duration_key(t));
                let h0 = if at == 0 {
                    0.0
                } else {
                    cumulative[slots[row] * k + at - 1]
                };
                f64::from(u8::from(event_observed[row])) - log_hazard[row].exp() * h0
            })
            .collect())
    }

    /// Grambsch–Therneau test of proportional hazards for each covariate,
    /// as lifelines' `proportional_hazard_test`: with `gₖ` the transformed
    /// time of the `k`-th event, `ḡ` their mean and `r*ₖ` the scaled
    /// Schoenfeld residuals, the statistic of covariate `j` is
    /// `(Σₖ (gₖ − ḡ) r*ₖⱼ)² / (d · seⱼ² · Σₖ (gₖ − ḡ)²)`, referred to χ²
    /// with one degree of freedom (`se` the reported standard errors).
    /// Returns `(statistic, p-value)` per covariate.
    ///
    /// # Errors
    /// As [`CoxModel::residuals`], plus [`Error::InvalidRows`] for an event
    /// at time 0 under [`CoxTimeTransform::Log`], and
    /// [`Error::NonFiniteResult`] when the transformed event times do not
    /// vary (fewer than two distinct values).
    pub fn proportional_hazard_test<C: AsRef<[f64]>>(
        &self,
        durations: &[f64],
        event_observed: &[bool],
        covariates: &[C],
        rows: CoxRows<'_>,
        transform: CoxTimeTransform,
    ) -> Result<Vec<(f64, f64)>> {
        let p = self.coefficients.len();
        let resid = self.residuals(
            durations,
            event_observed,
            covariates,
            rows,
            CoxResidualKind::ScaledSchoenfeld,
        )?;
        let g = transformed_event_times(durations, event_observed, &rows, transform)?;
        let events: Vec<usize> = (0..durations.len())
            .filter(|&i| event_observed[i])
            .collect();
        let d = events.len() as f64;
        let mean = g.iter().map(|&(_, v)| v).sum::<f64>() / d;
        let ss: f64 = g.iter().map(|&(_, v)| (v - mean) * (v - mean)).sum();
        let mut out = Vec::with_capacity(p);
        for j in 0..p {
            let cross: f64 = g.iter().map(|&(i, v)| (v - mean) * resid[i * p + j]).sum();
            let se = self.standard_errors[j];
            let stat = cross * cross / (self.n_events as f64 * se * se * ss);
            if !stat.is_finite() {
                return Err(Error::NonFiniteResult {
                    what: "proportional hazard test (the transformed event times do not vary)",
                    row: None,
                });
            }
            out.push((stat, crate::special::chi_square_sf(stat, 1)));
        }
        Ok(out)
    }
}

/// `(input row, g(tᵢ))` for every subject with an event.
fn transformed_event_times(
    durations: &[f64],
    event_observed: &[bool],
    rows: &CoxRows<'_>,
    transform: CoxTimeTransform,
) -> Result<Vec<(usize, f64)>> {
    let n = durations.len();
    let events = (0..n).filter(|&i| event_observed[i]);
    Ok(match transform {
        CoxTimeTransform::Identity => events.map(|i| (i, durations[i])).collect(),
        CoxTimeTransform::Log => {
            let mut issues = Issues::default();
            for i in (0..n).filter(|&i| event_observed[i] && durations[i] <= 0.0) {
                let range = IssueKind::OutOfRange {
                    min: f64::MIN_POSITIVE,
                    max: f64::MAX,
                };
                issues.push(i, "duration", durations[i], range);
            }
            issues.finish()?;
            events.map(|i| (i, durations[i].ln())).collect()
        }
        CoxTimeTransform::Rank => {
            // Order by stratum, time, censored before observed, input row.
            let mut order: Vec<usize> = (0..n).collect();
            order.sort_by_key(|&i| {
                (
                    rows.strata.map_or(0, |s| s[i]),
                    duration_key(durations[i]),
                    event_observed[i],
                    i,
                )
            });
            let mut count = 0.0;
            let mut out = Vec::new();
            for i in order {
                if event_observed[i] {
                    count += 1.0;
                    out.push((i, count));
                }
            }
            out
        }
        CoxTimeTransform::KaplanMeier => {
            // Weighted Kaplan–Meier of the whole sample, strata ignored.
            let order = order_by_keys(durations.iter().map(|&d| duration_key(d)));
            let weight = |i: usize| rows.weights.map_or(1.0, |w| w[i]);
            let mut at_risk: f64 = (0..n).map(weight).sum();
            let mut survival = vec![0.0; n];
            let mut s = 1.0;
            let mut start = 0;
            while start < n {
                let key = duration_key(durations[order[start]]);
                let mut end = start;
                let (mut died, mut left) = (0.0, 0.0);
                while end < n && duration_key(durations[order[end]]) == key {
                    let w = weight(order[end]);
                    left += w;
                    if event_observed[order[end]] {
                        died += w;
                    }
                    end += 1;
                }
                if died > 0.0 {
                    s *= 1.0 - died / at_risk;
                }
                for &i in &order[start..end] {
                    survival[i] = s;
                }
                at_risk -= left;
                start = end;
            }
            events.map(|i| (i, 1.0 - survival[i])).collect()
        }
    })
}
