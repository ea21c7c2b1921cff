//! Predictions of a fitted Cox model for new subjects, and scores of the
//! model on new data.
//!
//! See the [module docs](super) for the formulas. Every function takes the
//! covariates column by column in the order of the fit, with `n_rows`
//! subjects (needed when the model has no covariate), and optionally the
//! stratum label of each subject.

use super::fit::Design;
use super::{check_covariates, CoxModel, CoxOptions, CoxRows};
use crate::error::{Error, IssueKind, Issues, Result};
use crate::survival::concordance::concordance_counts;

impl CoxModel {
    /// Validates new subjects' covariates: `p` columns of `n_rows` finite
    /// values, and strata the model knows.
    fn check_new<C: AsRef<[f64]>>(
        &self,
        covariates: &[C],
        n_rows: usize,
        strata: Option<&[u32]>,
    ) -> Result<()> {
        crate::error::check_len("covariates", self.coefficients.len(), covariates.len())?;
        for column in covariates {
            crate::error::check_len("covariates", n_rows, column.as_ref().len())?;
        }
        if let Some(s) = strata {
            crate::error::check_len("strata", n_rows, s.len())?;
        }
        let mut issues = Issues::default();
        check_covariates(&mut issues, covariates);
        for (row, &label) in strata.unwrap_or(&[]).iter().enumerate() {
            if self.baseline.stratum_index(label).is_none() {
                issues.push(row, "stratum", label, IssueKind::Missing);
            }
        }
        issues.finish()
    }

    /// Log partial hazard `(x − x̄)ᵀβ` of each new subject, `x̄` the training
    /// means (lifelines' `predict_log_partial_hazard`).
    ///
    /// # Errors
    /// [`Error::LengthMismatch`] for the wrong number of columns or a column
    /// not `n_rows` long; [`Error::InvalidRows`] for non-finite values.
    pub fn log_partial_hazard<C: AsRef<[f64]>>(
        &self,
        covariates: &[C],
        n_rows: usize,
    ) -> Result<Vec<f64>> {
        self.check_new(covariates, n_rows, None)?;
        Ok(self.centred_eta(covariates, n_rows))
    }

    fn centred_eta<C: AsRef<[f64]>>(&self, covariates: &[C], n_rows: usize) -> Vec<f64> {
        let mut eta = vec![0.0; n_rows];
        for ((column, &b), &m) in covariates.iter().zip(&self.coefficients).zip(&self.means) {
            for (e, &v) in eta.iter_mut().zip(column.as_ref()) {
                *e += (v - m) * b;
            }
        }
        eta
    }

    /// Cumulative hazard `H(t | x)` of each new subject at each of `times`,
    /// `times.len() × n_rows`, one row per time (lifelines'
    /// `predict_cumulative_hazard`; its survival function is `exp(−H)`).
    ///
    /// With `conditional_after` (one time `s` per subject, lifelines'
    /// argument of that name) the hazard is that of the remaining lifetime
    /// given survival to `s`, on a clock restarted at `s`:
    /// `max(0, H₀(s + t) − H₀(s)) · exp((x − x̄)ᵀβ)`, `H₀` interpolated
    /// linearly between its jumps as everywhere here.
    ///
    /// # Errors
    /// As [`CoxModel::log_partial_hazard`], plus [`Error::InvalidRows`] for a
    /// non-finite time (field `time`) or conditional time (field
    /// `conditional_after`) or a stratum label the fit did not see (field
    /// `stratum`), and [`Error::LengthMismatch`] for a `conditional_after`
    /// not `n_rows` long.
    pub fn predict_cumulative_hazard<C: AsRef<[f64]>>(
        &self,
        covariates: &[C],
        n_rows: usize,
        strata: Option<&[u32]>,
        times: &[f64],
        conditional_after: Option<&[f64]>,
    ) -> Result<Vec<f64>> {
        self.check_new(covariates, n_rows, strata)?;
        if let Some(after) = conditional_after {
            crate::error::check_len("conditional_after", n_rows, after.len())?;
        }
        let mut issues = Issues::default();
        for (row, &t) in times.iter().enumerate() {
            if !t.is_finite() {
                issues.push(row, "time", t, IssueKind::NotFinite);
            }
        }
        for (row, &t) in conditional_after.unwrap_or(&[]).iter().enumerate() {
            if !t.is_finite() {
                issues.push(row, "conditional_after", t, IssueKind::NotFinite);
            }
        }
        issues.finish()?;
        let eta = self.centred_eta(covariates, n_rows);
        let curves = self.baseline.cumulative_hazard();
        let k = self.baseline.times.len().max(1);
        let curve = |s: usize| &curves[s * k..(s + 1) * k];
        let mut out = vec![0.0; times.len() * n_rows];
        if let Some(after) = conditional_after {
            for (i, (&e, &a)) in eta.iter().zip(after).enumerate() {
                let s = strata.map_or(0, |s| self.baseline.stratum_index(s[i]).unwrap_or(0));
                let (xs, ys) = (&self.baseline.times, curve(s));
                let ph = e.exp();
                let start = interpolate(xs, ys, a);
                for (q, &t) in times.iter().enumerate() {
                    out[q * n_rows + i] = (interpolate(xs, ys, a + t) - start).max(0.0) * ph;
                }
            }
            return Ok(out);
        }
        // Baseline at each time, per stratum, then scaled per subject.
        let mut at_times = vec![0.0; self.baseline.strata.len() * times.len()];
        for s in 0..self.baseline.strata.len() {
            for (q, &t) in times.iter().enumerate() {
                at_times[s * times.len() + q] = interpolate(&self.baseline.times, curve(s), t);
            }
        }
        for (i, &e) in eta.iter().enumerate() {
            let s = strata.map_or(0, |s| self.baseline.stratum_index(s[i]).unwrap_or(0));
            let ph = e.exp();
            for q in 0..times.len() {
                out[q * n_rows + i] = at_times[s * times.len() + q] * ph;
            }
        }
        Ok(out)
    }

    /// For each new subject, the first of `times` (increasing) at which its
    /// predicted survival is `≤ q`, or `∞` when it stays above (lifelines'
    /// `predict_percentile`; `q = 0.5` is `predict_median`), given survival
    /// to `conditional_after` when given (the time is then counted from it).
    ///
    /// # Errors
    /// As [`CoxModel::predict_cumulative_hazard`], plus
    /// [`Error::InvalidParameter`] for `q` outside `[0, 1]`.
    pub fn predict_percentile<C: AsRef<[f64]>>(
        &self,
        covariates: &[C],
        n_rows: usize,
        strata: Option<&[u32]>,
        times: &[f64],
        q: f64,
        conditional_after: Option<&[f64]>,
    ) -> Result<Vec<f64>> {
        if !(0.0..=1.0).contains(&q) {
            return Err(Error::parameter("p", q, "must be between 0 and 1"));
        }
        let h =
            self.predict_cumulative_hazard(covariates, n_rows, strata, times, conditional_after)?;
        Ok((0..n_rows)
            .map(|i| {
                let hit = (0..times.len()).find(|&k| (-h[k * n_rows + i]).exp() <= q);
                hit.map_or(f64::INFINITY, |k| times[k])
            })
            .collect())
    }

    /// Expected lifetime of each new subject: the trapezoidal integral of
    /// its predicted survival over `times` (lifelines'
    /// `predict_expectation`, which integrates from the first time of the
    /// grid, not from 0), given survival to `conditional_after` when given.
    ///
    /// # Errors
    /// As [`CoxModel::predict_cumulative_hazard`].
    pub fn predict_expectation<C: AsRef<[f64]>>(
        &self,
        covariates: &[C],
        n_rows: usize,
        strata: Option<&[u32]>,
        times: &[f64],
        conditional_after: Option<&[f64]>,
    ) -> Result<Vec<f64>> {
        let h =
            self.predict_cumulative_hazard(covariates, n_rows, strata, times, conditional_after)?;
        Ok((0..n_rows)
            .map(|i| {
                times
                    .windows(2)
                    .enumerate()
                    .map(|(k, w)| {
                        let a = (-h[k * n_rows + i]).exp();
                        let b = (-h[(k + 1) * n_rows + i]).exp();
                        0.5 * (a + b) * (w[1] - w[0])
                    })
                    .sum()
            })
            .collect())
    }

    /// Mean unpenalised partial log-likelihood of new data at the fitted
    /// coefficients (Efron or Breslow as fitted, weights and strata as
    /// given): lifelines' `score(df, scoring_method="log_likelihood")`.
    ///
    /// # Errors
    /// As [`CoxModel::fit_with`] for the data's lengths and values.
    pub fn score_log_likelihood<C: AsRef<[f64]>>(
        &self,
        durations: &[f64],
        event_observed: &[bool],
        covariates: &[C],
        rows: CoxRows<'_>,
    ) -> Result<f64> {
        crate::error::check_len("covariates", self.coefficients.len(), covariates.len())?;
        super::check_rows(durations, event_observed, covariates, &rows)?;
        let ones = vec![1.0; covariates.len()];
        let design = Design::build(
            durations,
            event_observed,
            covariates,
            &self.means,
            &ones,
            &rows,
        );
        let ll = design.evaluate(&self.coefficients, self.ties, &[]).ll;
        Ok(ll / durations.len() as f64)
    }

    /// Concordance of new data's durations with their predicted partial
    /// hazards, over all pairs (lifelines'
    /// `score(df, scoring_method="concordance_index")`).
    ///
    /// # Errors
    /// As [`CoxModel::score_log_likelihood`], plus [`Error::EmptyInput`]
    /// when no pair is comparable.
    pub fn score_concordance<C: AsRef<[f64]>>(
        &self,
        durations: &[f64],
        event_observed: &[bool],
        covariates: &[C],
    ) -> Result<f64> {
        let n = durations.len();
        crate::error::check_len("event_observed", n, event_observed.len())?;
        self.check_new(covariates, n, None)?;
        let mut issues = Issues::default();
        for (row, &d) in durations.iter().enumerate() {
            if !d.is_finite() {
                issues.push(row, "duration", d, IssueKind::NotFinite);
            }
        }
        issues.finish()?;
        let risk: Vec<f64> = self
            .centred_eta(covariates, n)
            .iter()
            .map(|e| -e.exp())
            .collect();
        concordance_counts(durations, &risk, event_observed)
            .index()
            .ok_or(Error::EmptyInput {
                what: "comparable pairs",
            })
    }
}

/// Linear interpolation of `(xs, ys)` at `t`, `xs` increasing, constant
/// beyond either end (NumPy's `interp`).
fn interpolate(xs: &[f64], ys: &[f64], t: f64) -> f64 {
    let Some((&first, &last)) = xs.first().zip(xs.last()) else {
        return 0.0;
    };
    if t <= first {
        return ys[0];
    }
    if t >= last {
        return ys[ys.len() - 1];
    }
    let k = xs.partition_point(|&x| x <= t);
    let (x0, x1, y0, y1) = (xs[k - 1], xs[k], ys[k - 1], ys[k]);
    if t == x0 {
        return y0;
    }
    y0 + (t - x0) * (y1 - y0) / (x1 - x0)
}

impl CoxModel {
    /// Hazard ratios `exp(β)` refitted on the data as it stood at each
    /// follow-up time `τ`: durations cut to `min(tᵢ, τ)`, events after `τ`
    /// turned into censorings (lifelines' `compute_followup_hazard_ratios`).
    /// Returns `times.len() × p`, one row per time.
    ///
    /// # Errors
    /// As [`CoxModel::fit_with`] for each refit, plus
    /// [`Error::InvalidParameter`] (`followup_times`) for a time that is not
    /// finite or lies beyond the longest duration.
    pub fn followup_hazard_ratios<C: AsRef<[f64]>>(
        durations: &[f64],
        event_observed: &[bool],
        covariates: &[C],
        rows: CoxRows<'_>,
        options: &CoxOptions,
        times: &[f64],
    ) -> Result<Vec<f64>> {
        let longest = durations.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let mut out = Vec::with_capacity(times.len() * covariates.len());
        for &tau in times {
            if !(tau.is_finite() && tau <= longest) {
                return Err(Error::parameter(
                    "followup_times",
                    tau,
                    "must be finite and at most the longest duration",
                ));
            }
            let cut: Vec<f64> = durations.iter().map(|&t| t.min(tau)).collect();
            let events: Vec<bool> = durations
                .iter()
                .zip(event_observed)
                .map(|(&t, &e)| e && t <= tau)
                .collect();
            let m = CoxModel::fit_with(&cut, &events, covariates, rows, options)?;
            out.extend(m.coefficients.iter().map(|b| b.exp()));
        }
        Ok(out)
    }
}
