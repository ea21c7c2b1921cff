//! Aalen–Johansen cumulative incidence of competing risks.
//!
//! See the [module overview](super) for the formulas and references.

use super::kaplan_meier::{greenwood_term, z_for_alpha};
use super::table::{validate_sample, EventTable, SampleWeights};
use crate::error::{Error, IssueKind, Issues, Result};

/// A fitted Aalen–Johansen cumulative incidence; vectors are aligned with
/// [`EventTable::times`] of [`AalenJohansen::table`].
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct AalenJohansen {
    /// Life table of all causes (`observed` counts every cause).
    pub table: EventTable,
    /// Events of the cause of interest at each time (`d¹`).
    pub observed_of_interest: Vec<f64>,
    /// Kaplan–Meier survival free of every cause at each time.
    pub overall_survival: Vec<f64>,
    /// Cumulative incidence `F̂` of the cause at each time.
    pub cumulative_incidence: Vec<f64>,
    /// Variance of `F̂` at each time.
    pub variance: Vec<f64>,
    /// lifelines' first bound (`exp(−exp(log(−log F̂) + z se))`).
    pub first_bound: Vec<f64>,
    /// lifelines' second bound (`exp(−exp(log(−log F̂) − z se))`).
    pub second_bound: Vec<f64>,
}

impl AalenJohansen {
    /// Fits the cumulative incidence of `event_of_interest` (non-zero) from
    /// durations and event codes (0 = censored) with optional case weights;
    /// see the [module overview](super).
    ///
    /// Event codes are whole numbers held as floats (as they arrive from a
    /// data frame).
    ///
    /// # Errors
    /// As [`KaplanMeier::fit_weighted`](super::KaplanMeier::fit_weighted),
    /// [`Error::InvalidRows`] for an event code that is not a whole number
    /// (field `event_observed`), and [`Error::InvalidParameter`] when
    /// `event_of_interest` is 0 or `alpha` is not in `(0, 1)`.
    pub fn fit(
        durations: &[f64],
        event_codes: &[f64],
        event_of_interest: i64,
        weights: Option<&[f64]>,
        alpha: f64,
    ) -> Result<Self> {
        if event_of_interest == 0 {
            return Err(Error::parameter(
                "event_of_interest",
                0,
                "must be a non-zero event code (0 means censored)",
            ));
        }
        let z = z_for_alpha(alpha)?;
        let mut issues = Issues::default();
        for (row, &c) in event_codes.iter().enumerate() {
            if !c.is_finite() {
                issues.push(row, "event_observed", c, IssueKind::NotFinite);
            } else if c.fract() != 0.0 {
                issues.push(row, "event_observed", c, IssueKind::NotInteger);
            }
        }
        issues.finish()?;
        let any: Vec<bool> = event_codes.iter().map(|&c| c != 0.0).collect();
        let extra = SampleWeights {
            weights,
            entry: None,
        };
        validate_sample(durations, &any, &extra)?;
        let table = EventTable::build_sample(durations, &any, &extra);
        let code = event_of_interest as f64;
        let interest: Vec<bool> = event_codes.iter().map(|&c| c == code).collect();
        // Same durations, so the same rows.
        let observed_of_interest = EventTable::build_sample(durations, &interest, &extra).observed;
        let m = table.len();
        let mut overall_survival = Vec::with_capacity(m);
        let mut cumulative_incidence = Vec::with_capacity(m);
        let mut lagged = Vec::with_capacity(m);
        let (mut s, mut f) = (1.0_f64, 0.0_f64);
        for (j, &d1) in observed_of_interest.iter().enumerate() {
            let n = table.at_risk[j];
            lagged.push(s);
            if j > 0 && n > 0.0 {
                f += s * d1 / n;
            }
            let pop = table.population(j);
            let d = table.observed[j];
            if d > 0.0 && pop > 0.0 && pop >= d {
                s *= (pop - d) / pop;
            }
            overall_survival.push(s);
            cumulative_incidence.push(f);
        }
        let variance = variance(
            &table,
            &observed_of_interest,
            &lagged,
            &cumulative_incidence,
        );
        let (first_bound, second_bound) = cumulative_incidence
            .iter()
            .zip(&variance)
            .map(|(&f, &v)| bounds(f, v, z))
            .unzip();
        Ok(AalenJohansen {
            table,
            observed_of_interest,
            overall_survival,
            cumulative_incidence,
            variance,
            first_bound,
            second_bound,
        })
    }
}

/// The variance of the module overview, accumulated in one pass: each sum
/// `Σ a_k (x − F_k)^p` is kept as a polynomial in `x` and read at `F_j`.
fn variance(table: &EventTable, d1: &[f64], lagged: &[f64], f: &[f64]) -> Vec<f64> {
    let (mut q0, mut q1, mut q2) = (0.0_f64, 0.0_f64, 0.0_f64);
    let (mut l0, mut l1) = (0.0_f64, 0.0_f64);
    let mut second = 0.0_f64;
    (0..table.len())
        .map(|k| {
            let n = table.at_risk[k];
            let a = greenwood_term(n, table.observed[k]);
            q0 += a * f[k] * f[k];
            q1 -= 2.0 * a * f[k];
            q2 += a;
            if n > 0.0 {
                second += lagged[k] * lagged[k] * d1[k] * (n - d1[k]) / (n * n * n);
                let c = lagged[k] * d1[k] / (n * n);
                l0 -= c * f[k];
                l1 += c;
            }
            let x = f[k];
            q0 + q1 * x + q2 * x * x + second - 2.0 * (l0 + l1 * x)
        })
        .collect()
}

/// lifelines' log(−log) pair for incidence `f` with variance `v`.
fn bounds(f: f64, v: f64, z: f64) -> (f64, f64) {
    if f <= 0.0 {
        return (0.0, 0.0);
    }
    let lf = f.ln();
    let t = (-lf).ln();
    let se = v.max(0.0).sqrt() / (f * lf.abs());
    let first = (-(t + z * se).exp()).exp();
    let second = (-(t - z * se).exp()).exp();
    (first, second)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_cause_is_one_minus_kaplan_meier() {
        // With a single cause the incidence is 1 − S (Kaplan–Meier).
        let d = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0];
        let codes = [1.0, 0.0, 1.0, 1.0, 0.0, 1.0];
        let aj = AalenJohansen::fit(&d, &codes, 1, None, 0.05).unwrap();
        for (f, s) in aj.cumulative_incidence.iter().zip(&aj.overall_survival) {
            assert!((f - (1.0 - s)).abs() < 1e-12);
        }
    }

    #[test]
    fn two_causes_by_hand() {
        // Times 1 (cause 1), 2 (cause 2), 3 (censored), 4 (cause 1):
        // S: 3/4, 1/2, 1/2, 0. F1(1) = 1/4, F1(4) = 1/4 + (1/2)(1/1) = 3/4.
        let aj = AalenJohansen::fit(&[1.0, 2.0, 3.0, 4.0], &[1.0, 2.0, 0.0, 1.0], 1, None, 0.05)
            .unwrap();
        assert_eq!(aj.table.times, vec![0.0, 1.0, 2.0, 3.0, 4.0]);
        let expected = [0.0, 0.25, 0.25, 0.25, 0.75];
        for (a, b) in aj.cumulative_incidence.iter().zip(expected) {
            assert!((a - b).abs() < 1e-12, "{a} vs {b}");
        }
        // Var at t = 1: Greenwood part 1/(4·3)·0 + second 1·1·3/64 − 0.
        assert!((aj.variance[1] - 3.0 / 64.0).abs() < 1e-12);
        assert_eq!((aj.first_bound[0], aj.second_bound[0]), (0.0, 0.0));
        assert!(aj.first_bound[1] < 0.25 && 0.25 < aj.second_bound[1]);
        assert!(AalenJohansen::fit(&[1.0], &[1.0], 0, None, 0.05).is_err());
        let err = AalenJohansen::fit(&[1.0, 2.0], &[1.5, f64::NAN], 1, None, 0.05).unwrap_err();
        assert!(matches!(err, Error::InvalidRows { ref issues } if issues.len() == 2));
    }
}
