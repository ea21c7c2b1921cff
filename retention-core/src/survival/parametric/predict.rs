//! Predictions of a fitted AFT model for new rows, optionally conditional
//! on survival so far (lifelines' `conditional_after`): for a subject known
//! to be alive at `s`, time is counted from `s`, so
//! `S(t | s) = S(s + t)/S(s)`, `H(t | s) = H(s + t) − H(s)`,
//! `h(t | s) = h(s + t)`, and the `p`-percentile is the `t` with
//! `S(s + t) = p·S(s)`.

use super::aft::AftModel;
use super::family::ParametricFamily;
use crate::error::{Error, Issues, Result};

fn check_times(times: &[f64]) -> Result<()> {
    for &t in times {
        if !(t.is_finite() && t >= 0.0) {
            return Err(Error::parameter("times", t, "must be finite and ≥ 0"));
        }
    }
    Ok(())
}

/// Per-row elapsed times: finite, `≥ 0`, one per row.
fn check_after(after: Option<&[f64]>, n: usize) -> Result<()> {
    let Some(a) = after else { return Ok(()) };
    crate::error::check_len("conditional_after", n, a.len())?;
    let mut issues = Issues::default();
    for (row, &x) in a.iter().enumerate() {
        crate::error::check_non_negative(&mut issues, row, "conditional_after", x);
    }
    issues.finish()
}

/// `lim_{t→0} h(t)`: 0 for the log-normal; for Weibull and log-logistic
/// 0, `e^{−η₁}` or `∞` as the shape exceeds, equals or is below 1.
fn hazard_at_zero(family: ParametricFamily, eta1: f64, kappa: f64) -> f64 {
    match family {
        ParametricFamily::LogNormal => 0.0,
        _ if kappa > 0.0 => 0.0,
        _ if kappa < 0.0 => f64::INFINITY,
        _ => (-eta1).exp(),
    }
}

impl AftModel {
    /// The two natural parameters (e.g. `λ`, `ρ`) of each new row.
    ///
    /// # Errors
    /// [`Error::LengthMismatch`] / [`Error::InvalidRows`] for malformed covariates.
    pub fn predict_parameters(&self, location: &[f64], ancillary: &[f64]) -> Result<Vec<[f64; 2]>> {
        let (design, n) = self.design(location, ancillary)?;
        Ok((0..n)
            .map(|i| {
                let (e1, e2) = design.etas(&self.coefficients, i);
                [self.family.first_from_eta(e1), e2.exp()]
            })
            .collect())
    }

    /// `H(t)` of one row with `(η₁, e^κ)`; 0 at `t = 0`.
    fn cumulative_hazard_of(&self, e1: f64, ek: f64, t: f64) -> f64 {
        if t == 0.0 {
            0.0
        } else {
            -self.family.log_survival((t.ln() - e1) * ek).value
        }
    }

    /// The time at which each row's survival is `p`; with
    /// `conditional_after`, the remaining time from each row's `sᵢ`
    /// (lifelines' `predict_percentile`).
    ///
    /// # Errors
    /// As [`Self::predict_parameters`], unless `0 < p < 1`, and for
    /// negative or non-finite elapsed times.
    pub fn predict_percentile(
        &self,
        location: &[f64],
        ancillary: &[f64],
        p: f64,
        conditional_after: Option<&[f64]>,
    ) -> Result<Vec<f64>> {
        if !(p > 0.0 && p < 1.0) {
            return Err(Error::parameter(
                "p",
                p,
                "must lie strictly between 0 and 1",
            ));
        }
        let (design, n) = self.design(location, ancillary)?;
        check_after(conditional_after, n)?;
        let sign = self.family.kappa_sign();
        let zp = self.family.survival_quantile(p);
        Ok((0..n)
            .map(|i| {
                let (e1, e2) = design.etas(&self.coefficients, i);
                let ek = (sign * e2).exp();
                match conditional_after.map(|a| a[i]).filter(|&s| s > 0.0) {
                    None => (e1 + zp / ek).exp(),
                    Some(s) => {
                        // S_W(z) = p · S_W(z_s), on the log scale.
                        let log_target = p.ln() - self.cumulative_hazard_of(e1, ek, s);
                        let z = self.family.survival_quantile(log_target.exp());
                        ((e1 + z / ek).exp() - s).max(0.0)
                    }
                }
            })
            .collect())
    }

    /// `E[T]` of each row (`∞` where it does not exist).
    ///
    /// # Errors
    /// As [`Self::predict_parameters`].
    pub fn predict_expectation(&self, location: &[f64], ancillary: &[f64]) -> Result<Vec<f64>> {
        Ok(self
            .predict_parameters(location, ancillary)?
            .into_iter()
            .map(|[a, b]| self.family.mean(a, b))
            .collect())
    }

    /// Applies `value(η₁, κ, e^κ, s, t)` to every row and time, time-major
    /// (`out[j · n + i]` for time `j`, row `i`).
    fn curves(
        &self,
        location: &[f64],
        ancillary: &[f64],
        times: &[f64],
        conditional_after: Option<&[f64]>,
        value: impl Fn(f64, f64, f64, f64, f64) -> f64,
    ) -> Result<Vec<f64>> {
        check_times(times)?;
        let (design, n) = self.design(location, ancillary)?;
        check_after(conditional_after, n)?;
        let sign = self.family.kappa_sign();
        let mut out = vec![0.0; n * times.len()];
        for i in 0..n {
            let (e1, e2) = design.etas(&self.coefficients, i);
            let kappa = sign * e2;
            let ek = kappa.exp();
            let s = conditional_after.map_or(0.0, |a| a[i]);
            for (j, &t) in times.iter().enumerate() {
                out[j * n + i] = value(e1, kappa, ek, s, t);
            }
        }
        Ok(out)
    }

    /// Cumulative hazard of each row at each time, time-major
    /// (`out[j · n + i]` for time `j`, row `i`); with `conditional_after`,
    /// `H(sᵢ + t) − H(sᵢ)`.
    ///
    /// # Errors
    /// As [`Self::predict_parameters`], and for negative or non-finite
    /// times or elapsed times.
    pub fn predict_cumulative_hazard(
        &self,
        location: &[f64],
        ancillary: &[f64],
        times: &[f64],
        conditional_after: Option<&[f64]>,
    ) -> Result<Vec<f64>> {
        self.curves(
            location,
            ancillary,
            times,
            conditional_after,
            |e1, _, ek, s, t| {
                self.cumulative_hazard_of(e1, ek, s + t) - self.cumulative_hazard_of(e1, ek, s)
            },
        )
    }

    /// Survival `exp(−H)` of each row at each time, laid out (and
    /// conditioned) as [`Self::predict_cumulative_hazard`].
    ///
    /// # Errors
    /// As [`Self::predict_cumulative_hazard`].
    pub fn predict_survival(
        &self,
        location: &[f64],
        ancillary: &[f64],
        times: &[f64],
        conditional_after: Option<&[f64]>,
    ) -> Result<Vec<f64>> {
        let mut h =
            self.predict_cumulative_hazard(location, ancillary, times, conditional_after)?;
        for v in &mut h {
            *v = (-*v).exp();
        }
        Ok(h)
    }

    /// Hazard `h(sᵢ + t)` of each row at each time, laid out as
    /// [`Self::predict_cumulative_hazard`] (at `0` the limit: `0`, the
    /// rate, or `∞`).
    ///
    /// # Errors
    /// As [`Self::predict_cumulative_hazard`].
    pub fn predict_hazard(
        &self,
        location: &[f64],
        ancillary: &[f64],
        times: &[f64],
        conditional_after: Option<&[f64]>,
    ) -> Result<Vec<f64>> {
        let family = self.family;
        self.curves(
            location,
            ancillary,
            times,
            conditional_after,
            |e1, kappa, ek, s, t| {
                let u = s + t;
                if u == 0.0 {
                    return hazard_at_zero(family, e1, kappa);
                }
                let z = (u.ln() - e1) * ek;
                (family.log_density(z).value + kappa - u.ln() - family.log_survival(z).value).exp()
            },
        )
    }
}
