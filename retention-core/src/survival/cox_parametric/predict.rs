//! Predictions for new subjects: cumulative hazard, hazard and survival on
//! a grid of times, percentiles read off that grid and the expectation by
//! the trapezoidal rule (lifelines' conventions).

use super::ParametricCoxModel;
use crate::error::{check_len, Error, IssueKind, Issues, Result};

/// Which curve to evaluate.
#[derive(Clone, Copy, PartialEq)]
enum Curve {
    Cumulative,
    Hazard,
}

impl ParametricCoxModel {
    fn check_rows(&self, covariates: &[Vec<f64>], n_rows: usize) -> Result<()> {
        check_len("covariates", self.n_covariates, covariates.len())?;
        let mut issues = Issues::default();
        for col in covariates {
            check_len("covariates", n_rows, col.len())?;
            for (row, &v) in col.iter().enumerate() {
                if !v.is_finite() {
                    issues.push(row, "covariates", v, IssueKind::NotFinite);
                }
            }
        }
        issues.finish()
    }

    fn check_times(times: &[f64]) -> Result<()> {
        let mut issues = Issues::default();
        for (row, &t) in times.iter().enumerate() {
            if !t.is_finite() || t < 0.0 {
                issues.push(row, "times", t, IssueKind::Negative);
            }
        }
        issues.finish()
    }

    /// `len(times) × n_rows` values, one time after the other.
    fn curve(
        &self,
        covariates: &[Vec<f64>],
        n_rows: usize,
        strata: Option<&[u32]>,
        times: &[f64],
        conditional_after: Option<&[f64]>,
        kind: Curve,
    ) -> Result<Vec<f64>> {
        self.check_rows(covariates, n_rows)?;
        Self::check_times(times)?;
        if let Some(c) = conditional_after {
            check_len("conditional_after", n_rows, c.len())?;
            Self::check_times(c)?;
        }
        let positions = self.positions(strata, n_rows)?;
        let layout = self.layout();
        let k = layout.k;
        let mut out = vec![0.0; times.len() * n_rows];
        for i in 0..n_rows {
            let eta = layout.eta(&self.params, covariates, i);
            let b = layout.block(positions.as_ref().map_or(0, |p| p[i]));
            let a = &self.params[b..b + k];
            let shift = conditional_after.map_or(0.0, |c| c[i]);
            let cum = |t: f64| {
                if t > 0.0 {
                    eta.exp() * self.baseline.cumulative(a, t, None)
                } else {
                    0.0
                }
            };
            let base = cum(shift);
            for (j, &t) in times.iter().enumerate() {
                let at = t + shift;
                out[j * n_rows + i] = match kind {
                    Curve::Cumulative => (cum(at) - base).max(0.0),
                    Curve::Hazard if at > 0.0 => self
                        .baseline
                        .log_hazard(a, at, None)
                        .map_or(0.0, |lg| (eta + lg).exp())
                        .max(0.0),
                    Curve::Hazard => 0.0,
                };
            }
        }
        if out.iter().any(|v| !v.is_finite()) {
            return Err(Error::NonFiniteResult {
                what: "parametric Cox prediction",
                row: None,
            });
        }
        Ok(out)
    }

    /// Cumulative hazard `H(t | x)` of each row at each time (`len(times) ×
    /// n_rows`, one time after the other); with `conditional_after` (`cᵢ`
    /// per row) `H(cᵢ + t) − H(cᵢ)`, floored at 0.
    ///
    /// # Errors
    /// [`Error::LengthMismatch`] for columns of the wrong number or length;
    /// [`Error::InvalidRows`] for non-finite covariates, negative times or
    /// unknown strata; [`Error::InvalidParameter`] when strata are missing
    /// for a stratified model (or given for one without).
    pub fn cumulative_hazard(
        &self,
        covariates: &[Vec<f64>],
        n_rows: usize,
        strata: Option<&[u32]>,
        times: &[f64],
        conditional_after: Option<&[f64]>,
    ) -> Result<Vec<f64>> {
        self.curve(
            covariates,
            n_rows,
            strata,
            times,
            conditional_after,
            Curve::Cumulative,
        )
    }

    /// Hazard `h(t | x)`, laid out as [`Self::cumulative_hazard`] (at
    /// `cᵢ + t` with `conditional_after`); 0 at `t = 0` and where the
    /// spline's hazard is not positive.
    ///
    /// # Errors
    /// As [`Self::cumulative_hazard`].
    pub fn hazard(
        &self,
        covariates: &[Vec<f64>],
        n_rows: usize,
        strata: Option<&[u32]>,
        times: &[f64],
        conditional_after: Option<&[f64]>,
    ) -> Result<Vec<f64>> {
        self.curve(
            covariates,
            n_rows,
            strata,
            times,
            conditional_after,
            Curve::Hazard,
        )
    }

    /// First time of `times` (increasing) where each row's survival
    /// `exp(−H)` is at most `q`, `∞` if none (lifelines'
    /// `predict_percentile` on its timeline).
    ///
    /// # Errors
    /// As [`Self::cumulative_hazard`]; [`Error::InvalidParameter`] for `q`
    /// outside `[0, 1]`.
    pub fn percentile(
        &self,
        covariates: &[Vec<f64>],
        n_rows: usize,
        strata: Option<&[u32]>,
        times: &[f64],
        q: f64,
        conditional_after: Option<&[f64]>,
    ) -> Result<Vec<f64>> {
        if !(0.0..=1.0).contains(&q) {
            return Err(Error::parameter("p", q, "must lie in [0, 1]"));
        }
        let cum = self.cumulative_hazard(covariates, n_rows, strata, times, conditional_after)?;
        Ok((0..n_rows)
            .map(|i| {
                times
                    .iter()
                    .enumerate()
                    .find(|(j, _)| (-cum[j * n_rows + i]).exp() <= q)
                    .map_or(f64::INFINITY, |(_, &t)| t)
            })
            .collect())
    }

    /// Trapezoidal integral of each row's survival over `times` (lifelines'
    /// `predict_expectation` on its timeline, from the first time).
    ///
    /// # Errors
    /// As [`Self::cumulative_hazard`].
    pub fn expectation(
        &self,
        covariates: &[Vec<f64>],
        n_rows: usize,
        strata: Option<&[u32]>,
        times: &[f64],
        conditional_after: Option<&[f64]>,
    ) -> Result<Vec<f64>> {
        let cum = self.cumulative_hazard(covariates, n_rows, strata, times, conditional_after)?;
        Ok((0..n_rows)
            .map(|i| {
                times
                    .windows(2)
                    .enumerate()
                    .map(|(j, w)| {
                        let s0 = (-cum[j * n_rows + i]).exp();
                        let s1 = (-cum[(j + 1) * n_rows + i]).exp();
                        0.5 * (s0 + s1) * (w[1] - w[0])
                    })
                    .sum()
            })
            .collect())
    }
}
