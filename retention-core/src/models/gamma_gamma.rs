//! Gamma-Gamma model of spend per transaction (Fader, Hardie & Lee 2005b;
//! Fader & Hardie 2013), and the frequency–monetary independence check it
//! relies on.
//!
//! # Model
//!
//! A customer's transaction values are i.i.d. `Gamma(p, ν)` (shape `p`,
//! rate `ν`), and `ν ~ Gamma(q, γ)` across customers. The mean `m̄ₓ` of `x`
//! transaction values then has density (Fader & Hardie 2013, eq. 3)
//!
//! ```text
//! f(m̄ₓ | p, q, γ, x) = Γ(px+q) / (Γ(px) Γ(q)) · γ^q m̄ₓ^{px−1} x^{px} / (γ + x m̄ₓ)^{px+q},
//! ```
//!
//! which is the likelihood of one customer; its gradient is analytic.
//! By convention `x` and `m̄ₓ` refer to *repeat* transactions, so only
//! customers with `x ≥ 1` carry information: rows with `x = 0` are accepted
//! (their monetary value must be a finite number ≥ 0) and skipped by the
//! fit, whose diagnostics report the number of rows used.
//!
//! # Prediction
//!
//! The conditional expected average spend (eq. 5 of the note) is
//!
//! ```text
//! E[M | p, q, γ, m̄ₓ, x] = p (γ + x m̄ₓ) / (px + q − 1)
//!                        = (q−1)/(px+q−1) · pγ/(q−1) + px/(px+q−1) · m̄ₓ,
//! ```
//!
//! a weighted average of the population mean `pγ/(q−1)` and the customer's
//! own mean; it requires `q > 1`. For `x = 0` it is the population mean.
//!
//! # Independence check
//!
//! The model assumes spend per transaction is independent of the purchase
//! process. [`frequency_monetary_correlation`] returns the Pearson
//! correlation between `x` and `m̄ₓ` over repeat buyers; values near 0
//! support the assumption (Fader, Hardie & Lee 2005b report 0.11 for CDNOW).

use super::fitting::{self, FitOptions, Likelihood, ModelFit};
use super::validate::{check_columns, finite};
use crate::error::{check_non_negative, positive, Issues};
use crate::special::{digamma, ln_gamma};
use crate::{Error, IssueKind, Result};

/// Gamma-Gamma parameters.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub struct GammaGammaParams {
    /// Shape of the per-transaction spend distribution.
    pub p: f64,
    /// Shape of the gamma mixing distribution of the spend rate `ν`.
    pub q: f64,
    /// Rate of the gamma mixing distribution (`v` in `lifetimes`).
    pub gamma: f64,
}

/// A fitted Gamma-Gamma model (standard errors in the order `p, q, gamma`).
pub type GammaGammaFit = ModelFit<GammaGammaParams>;

/// Per-customer frequency and mean repeat-transaction value.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MonetarySummary<'a> {
    /// Number of repeat transactions `x` (whole numbers ≥ 0).
    pub frequency: &'a [f64],
    /// Mean value of those transactions `m̄ₓ` (> 0 when `x ≥ 1`).
    pub monetary_value: &'a [f64],
    /// Optional number of customers sharing each row.
    pub weights: Option<&'a [f64]>,
}

impl<'a> MonetarySummary<'a> {
    /// Unweighted columns.
    pub fn new(frequency: &'a [f64], monetary_value: &'a [f64]) -> Self {
        MonetarySummary {
            frequency,
            monetary_value,
            weights: None,
        }
    }

    /// Validates every row; returns the `(x, m̄ₓ, w)` rows with `x ≥ 1`.
    fn repeat_rows(&self) -> Result<Vec<(f64, f64, f64)>> {
        let n = self.frequency.len();
        check_columns(
            n,
            &[
                ("monetary_value", self.monetary_value.len()),
                ("weights", self.weights.map_or(n, <[f64]>::len)),
            ],
        )?;
        let mut issues = Issues::default();
        let mut rows = Vec::new();
        for (i, (&x, &m)) in self.frequency.iter().zip(self.monetary_value).enumerate() {
            let w = self.weights.and_then(|w| w.get(i).copied()).unwrap_or(1.0);
            let mut ok = check_monetary(&mut issues, i, x, m);
            ok &= check_non_negative(&mut issues, i, "weights", w);
            if ok && x > 0.0 && w > 0.0 {
                rows.push((x, m, w));
            }
        }
        issues.finish()?;
        if rows.is_empty() {
            return Err(Error::EmptyInput {
                what: "repeat buyers (rows with frequency ≥ 1 and positive weight)",
            });
        }
        Ok(rows)
    }
}

pub(crate) fn check_monetary(issues: &mut Issues, row: usize, x: f64, m: f64) -> bool {
    let mut ok = check_non_negative(issues, row, "frequency", x);
    if ok && x.fract() != 0.0 {
        issues.push(row, "frequency", x, IssueKind::NotInteger);
        ok = false;
    }
    let m_ok = check_non_negative(issues, row, "monetary_value", m);
    if m_ok && ok && x > 0.0 && m <= 0.0 {
        issues.push(
            row,
            "monetary_value",
            m,
            IssueKind::OutOfRange {
                min: f64::MIN_POSITIVE,
                max: f64::MAX,
            },
        );
        return false;
    }
    ok && m_ok
}

/// The repeat buyers for the likelihood: rows `(x, m, w)` and, per
/// distinct `x`, `(x, Σw, Σ w ln m)` — the gamma-function terms depend on
/// `x` only, so they are evaluated once per distinct frequency.
struct Rows {
    rows: Vec<(f64, f64, f64)>,
    groups: Vec<(f64, f64, f64)>,
    mean_m: f64,
}

impl Rows {
    fn new(rows: Vec<(f64, f64, f64)>, mean_m: f64) -> Self {
        let mut by_x: Vec<(f64, f64, f64)> =
            rows.iter().map(|&(x, m, w)| (x, w, w * m.ln())).collect();
        by_x.sort_unstable_by(|a, b| a.0.total_cmp(&b.0));
        let mut groups: Vec<(f64, f64, f64)> = Vec::new();
        for (x, w, wl) in by_x {
            match groups.last_mut() {
                Some(g) if g.0 == x => {
                    g.1 += w;
                    g.2 += wl;
                }
                _ => groups.push((x, w, wl)),
            }
        }
        Rows {
            rows,
            groups,
            mean_m,
        }
    }
}

impl Likelihood for Rows {
    const MODEL: &'static str = "Gamma-Gamma";
    const NAMES: &'static [&'static str] = &["p", "q", "gamma"];
    const HAS_GRADIENT: bool = true;

    // ln Lᵢ = ln Γ(px+q) − ln Γ(px) − ln Γ(q) + q ln γ + (px−1) ln m + px ln x
    //         − (px+q) ln(γ + x m)   (Fader, Hardie & Lee 2005b; Colombo &
    // Jiang 1999), the first terms summed per distinct x.
    fn log_likelihood_gradient(&self, params: &[f64], grad: &mut [f64]) -> Option<f64> {
        let &[p, q, gamma] = params else { return None };
        let (lg_q, psi_q, ln_gamma_v) = (ln_gamma(q), digamma(q), gamma.ln());
        let mut total = 0.0;
        let mut g = [0.0; 3];
        for &(x, w, w_ln_m) in &self.groups {
            let px = p * x;
            let ln_x = x.ln();
            let psi_pxq = digamma(px + q);
            total += w * (ln_gamma(px + q) - ln_gamma(px) - lg_q + q * ln_gamma_v + px * ln_x)
                + (px - 1.0) * w_ln_m;
            g[0] += x * (w * (psi_pxq - digamma(px) + ln_x) + w_ln_m);
            g[1] += w * (psi_pxq - psi_q + ln_gamma_v);
        }
        for &(x, m, w) in &self.rows {
            let px = p * x;
            let den = gamma + x * m;
            let ln_den = den.ln();
            total -= w * (px + q) * ln_den;
            g[0] -= w * x * ln_den;
            g[1] -= w * ln_den;
            g[2] += w * (q / gamma - (px + q) / den);
        }
        grad.iter_mut().zip(g).for_each(|(o, v)| *o = v);
        Some(total)
    }

    fn starts(&self) -> Vec<Vec<f64>> {
        let m = if self.mean_m.is_finite() && self.mean_m > 0.0 {
            self.mean_m
        } else {
            1.0
        };
        vec![
            vec![1.0, 1.0, 1.0],
            vec![2.0, 2.0, m],
            vec![5.0, 3.0, 0.5 * m],
        ]
    }
}

/// Fits Gamma-Gamma by maximum likelihood on the repeat buyers of `data`.
pub fn fit(data: &MonetarySummary<'_>, options: &FitOptions) -> Result<GammaGammaFit> {
    let rows = data.repeat_rows()?;
    let n = rows.len();
    let rows = merge_identical(rows);
    let total: f64 = rows.iter().map(|r| r.2).sum();
    let mean_m = rows.iter().map(|r| r.1 * r.2).sum::<f64>() / total;
    let lik = Rows::new(rows, mean_m);
    let (p, diagnostics) = fitting::fit(&lik, n, total, options)?;
    fitting::finish::<Rows, _, 3>(&p, diagnostics, |[p, q, gamma]| {
        GammaGammaParams::new(p, q, gamma)
    })
}

/// Sorts the repeat buyers' `(x, m, w)` rows by `(x, m)` and merges equal
/// ones, summing their weights (stably, in input order): the likelihood is
/// a weighted sum over rows, so this changes nothing but the work and the
/// summation order, which then no longer depends on the order of the
/// customers (a fit from distinct rows with counts as weights, such as the
/// Spark door's, gives the same parameters as one from every customer).
fn merge_identical(rows: Vec<(f64, f64, f64)>) -> Vec<(f64, f64, f64)> {
    // Validated rows are finite with x > 0 and m > 0: their bit patterns
    // (after turning −0 into +0) order like the values.
    let bits = |v: f64| (v + 0.0).to_bits();
    let mut keyed: Vec<([u64; 2], f64)> = rows
        .into_iter()
        .map(|(x, m, w)| ([bits(x), bits(m)], w))
        .collect();
    keyed.sort_by_key(|row| row.0);
    let mut out: Vec<(f64, f64, f64)> = Vec::with_capacity(keyed.len());
    let mut last_key = None;
    for (key, w) in keyed {
        match out.last_mut() {
            Some(last) if last_key == Some(key) => last.2 += w,
            _ => {
                out.push((f64::from_bits(key[0]), f64::from_bits(key[1]), w));
                last_key = Some(key);
            }
        }
    }
    out
}

impl GammaGammaParams {
    /// Builds parameters, checking that each is finite and `> 0`.
    pub fn new(p: f64, q: f64, gamma: f64) -> Result<Self> {
        Ok(GammaGammaParams {
            p: positive("p", p)?,
            q: positive("q", q)?,
            gamma: positive("gamma", gamma)?,
        })
    }

    /// Total log-likelihood of the repeat buyers in `data`.
    pub fn log_likelihood(&self, data: &MonetarySummary<'_>) -> Result<f64> {
        let rows = data.repeat_rows()?;
        let ll = Rows::new(rows, 1.0).log_likelihood(&[self.p, self.q, self.gamma]);
        finite("Gamma-Gamma log-likelihood", None, ll)
    }

    /// Population mean spend per transaction, `pγ/(q−1)`; needs `q > 1`.
    pub fn expected_average_spend(&self) -> Result<f64> {
        self.require_q_above_one()?;
        finite(
            "Gamma-Gamma expected spend",
            None,
            self.p * self.gamma / (self.q - 1.0),
        )
    }

    fn require_q_above_one(&self) -> Result<()> {
        if self.q > 1.0 {
            Ok(())
        } else {
            Err(Error::parameter(
                "q",
                self.q,
                "the expected spend is finite only for q > 1",
            ))
        }
    }

    /// Conditional expected average spend per transaction of a customer with
    /// `frequency` repeat transactions of mean value `monetary_value`.
    pub fn conditional_expected_average_spend(
        &self,
        frequency: f64,
        monetary_value: f64,
    ) -> Result<f64> {
        let mut issues = Issues::default();
        check_monetary(&mut issues, 0, frequency, monetary_value);
        issues.finish()?;
        self.require_q_above_one()?;
        let px = self.p * frequency;
        let v = self.p * (self.gamma + frequency * monetary_value) / (px + self.q - 1.0);
        finite("Gamma-Gamma conditional expected spend", None, v)
    }

    /// [`conditional_expected_average_spend`](Self::conditional_expected_average_spend)
    /// for every row; every invalid row is reported in one
    /// [`Error::InvalidRows`].
    pub fn conditional_expected_average_spend_batch(
        &self,
        frequency: &[f64],
        monetary_value: &[f64],
    ) -> Result<Vec<f64>> {
        crate::error::check_len("monetary_value", frequency.len(), monetary_value.len())?;
        let mut issues = Issues::default();
        for (row, (&x, &m)) in frequency.iter().zip(monetary_value).enumerate() {
            check_monetary(&mut issues, row, x, m);
        }
        issues.finish()?;
        self.require_q_above_one()?;
        frequency
            .iter()
            .zip(monetary_value)
            .enumerate()
            .map(|(row, (&x, &m))| {
                let v = self.p * (self.gamma + x * m) / (self.p * x + self.q - 1.0);
                finite("Gamma-Gamma conditional expected spend", Some(row), v)
            })
            .collect()
    }
}

/// Pearson correlation between frequency and mean monetary value over the
/// rows with `frequency ≥ 1` (weights ignored): the independence check of
/// the Gamma-Gamma model. `None` when fewer than two repeat buyers or
/// either column is constant among them.
pub fn frequency_monetary_correlation(
    frequency: &[f64],
    monetary_value: &[f64],
) -> Result<Option<f64>> {
    let rows = MonetarySummary::new(frequency, monetary_value).repeat_rows();
    let rows = match rows {
        Ok(rows) => rows,
        Err(Error::EmptyInput { .. }) => return Ok(None),
        Err(e) => return Err(e),
    };
    if rows.len() < 2 {
        return Ok(None);
    }
    let n = rows.len() as f64;
    let mx = rows.iter().map(|r| r.0).sum::<f64>() / n;
    let mm = rows.iter().map(|r| r.1).sum::<f64>() / n;
    let (mut sxx, mut smm, mut sxm) = (0.0, 0.0, 0.0);
    for &(x, m, _) in &rows {
        sxx += (x - mx) * (x - mx);
        smm += (m - mm) * (m - mm);
        sxm += (x - mx) * (m - mm);
    }
    if sxx == 0.0 || smm == 0.0 {
        return Ok(None);
    }
    let r = sxm / (sxx.sqrt() * smm.sqrt());
    Ok(r.is_finite().then(|| r.clamp(-1.0, 1.0)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expected_spend_is_a_weighted_average() {
        let m = GammaGammaParams::new(6.25, 3.74, 15.44).unwrap();
        let pop = m.expected_average_spend().unwrap();
        assert!((m.conditional_expected_average_spend(0.0, 0.0).unwrap() - pop).abs() < 1e-12);
        let e = m.conditional_expected_average_spend(10.0, 50.0).unwrap();
        assert!(e > pop.min(50.0) && e < pop.max(50.0));
        assert!(GammaGammaParams::new(1.0, 0.9, 1.0)
            .unwrap()
            .expected_average_spend()
            .is_err());
    }

    #[test]
    fn gradient_matches_finite_differences() {
        let rows = Rows::new(
            vec![
                (1.0, 20.0, 1.0),
                (3.0, 35.5, 2.0),
                (7.0, 12.0, 1.0),
                (3.0, 10.0, 1.5),
            ],
            20.0,
        );
        fitting::assert_gradient_matches(&rows, &[6.0, 3.5, 15.0]);
    }

    /// The per-frequency grouping gives the row-by-row log-likelihood.
    #[test]
    fn grouped_likelihood_equals_row_sum() {
        let data = [
            (1.0, 20.0, 1.0),
            (3.0, 35.5, 2.0),
            (7.0, 12.0, 1.0),
            (3.0, 10.0, 1.5),
        ];
        let (p, q, v): (f64, f64, f64) = (6.0, 3.5, 15.0);
        let naive: f64 = data
            .iter()
            .map(|&(x, m, w): &(f64, f64, f64)| {
                w * (ln_gamma(p * x + q) - ln_gamma(p * x) - ln_gamma(q)
                    + q * v.ln()
                    + (p * x - 1.0) * m.ln()
                    + p * x * x.ln()
                    - (p * x + q) * (v + x * m).ln())
            })
            .sum();
        let grouped = Rows::new(data.to_vec(), 20.0).log_likelihood(&[p, q, v]);
        assert!(
            (grouped - naive).abs() < 1e-10 * naive.abs(),
            "{grouped} vs {naive}"
        );
    }

    #[test]
    fn validation_and_correlation() {
        let err = fit(
            &MonetarySummary::new(&[1.0, 2.0, 0.0], &[0.0, f64::NAN, -1.0]),
            &FitOptions::default(),
        )
        .unwrap_err();
        let Error::InvalidRows { issues } = err else {
            panic!()
        };
        assert_eq!(
            issues.iter().map(|i| i.row).collect::<Vec<_>>(),
            vec![0, 1, 2]
        );
        let r = frequency_monetary_correlation(&[1.0, 2.0, 3.0, 0.0], &[10.0, 20.0, 30.0, 0.0])
            .unwrap();
        assert!((r.unwrap() - 1.0).abs() < 1e-12);
        assert_eq!(
            frequency_monetary_correlation(&[0.0], &[0.0]).unwrap(),
            None
        );
    }

    #[test]
    fn spend_batch_matches_scalar_and_names_rows() {
        let m = GammaGammaParams::new(6.25, 3.74, 15.44).unwrap();
        let (x, mv) = ([0.0, 1.0, 10.0], [0.0, 20.0, 50.0]);
        let got = m.conditional_expected_average_spend_batch(&x, &mv).unwrap();
        for i in 0..3 {
            let want = m.conditional_expected_average_spend(x[i], mv[i]).unwrap();
            assert!((got[i] - want).abs() <= 1e-12 * want);
        }
        let Err(Error::InvalidRows { issues }) =
            m.conditional_expected_average_spend_batch(&[1.0, 1.5, 2.0], &[1.0, 1.0, -1.0])
        else {
            panic!()
        };
        let rows: Vec<usize> = issues.iter().map(|i| i.row).collect();
        assert_eq!(rows, vec![1, 2]);
        assert!(m
            .conditional_expected_average_spend_batch(&[1.0], &[])
            .is_err());
    }
}
