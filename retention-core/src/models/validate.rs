//! Input columns of the transaction models and their validation.

use crate::error::{check_non_negative, Issues};
use crate::{Error, IssueKind, Result};

/// Per-customer summary columns: the sufficient statistics of the
/// transaction models, one row per customer (or per distinct history, with
/// a weight).
///
/// For the continuous-time models `age` is `T`, the time since the first
/// purchase; for BG/BB it is `n`, the number of transaction opportunities
/// (see [`bgbb`](super::bgbb)).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TransactionSummary<'a> {
    /// Number of repeat purchases `x` (whole numbers ≥ 0).
    pub frequency: &'a [f64],
    /// Time of the last repeat purchase since the first, `tₓ`. A fit
    /// requires `tₓ = 0` when `x = 0` (no other history is possible: with no
    /// repeat purchase there is no last one); predictions accept any
    /// `0 ≤ tₓ ≤ T` there and evaluate the model's formula, as lifetimes
    /// does in its P(alive) matrices.
    pub recency: &'a [f64],
    /// Time from the first purchase to the end of observation, `T`.
    pub age: &'a [f64],
    /// Optional number of customers sharing each row (finite, ≥ 0).
    pub weights: Option<&'a [f64]>,
}

impl<'a> TransactionSummary<'a> {
    /// Unweighted columns.
    pub fn new(frequency: &'a [f64], recency: &'a [f64], age: &'a [f64]) -> Self {
        TransactionSummary {
            frequency,
            recency,
            age,
            weights: None,
        }
    }

    /// The same columns with per-row weights.
    pub fn with_weights(self, weights: &'a [f64]) -> Self {
        TransactionSummary {
            weights: Some(weights),
            ..self
        }
    }

    /// Number of rows.
    pub fn len(&self) -> usize {
        self.frequency.len()
    }

    /// Whether there are no rows.
    pub fn is_empty(&self) -> bool {
        self.frequency.is_empty()
    }

    /// Checks lengths and every row for fitting; `discrete` additionally
    /// requires whole `tₓ` and `n` with `x ≤ tₓ` (BG/BB). Returns the total
    /// weight.
    pub(crate) fn validate(&self, discrete: bool) -> Result<f64> {
        self.validate_for(discrete, Use::Fit)
    }

    /// [`validate`](Self::validate) for predictions: rows with `x = 0` and
    /// `tₓ > 0` are accepted.
    pub(crate) fn validate_for_prediction(&self, discrete: bool) -> Result<f64> {
        self.validate_for(discrete, Use::Predict)
    }

    fn validate_for(&self, discrete: bool, purpose: Use) -> Result<f64> {
        let n = self.frequency.len();
        check_columns(
            n,
            &[
                ("recency", self.recency.len()),
                ("age", self.age.len()),
                ("weights", self.weights.map_or(n, <[f64]>::len)),
            ],
        )?;
        let mut issues = Issues::default();
        for (row, ((&x, &t_x), &age)) in self
            .frequency
            .iter()
            .zip(self.recency)
            .zip(self.age)
            .enumerate()
        {
            check_history(&mut issues, row, x, t_x, age, discrete, purpose);
        }
        let mut total = 0.0;
        if let Some(weights) = self.weights {
            for (row, &w) in weights.iter().enumerate() {
                if check_non_negative(&mut issues, row, "weights", w) {
                    total += w;
                }
            }
        } else {
            total = n as f64;
        }
        issues.finish()?;
        if !(total > 0.0 && total.is_finite()) {
            return Err(Error::parameter(
                "weights",
                total,
                "the weights must have a positive, finite total",
            ));
        }
        Ok(total)
    }

    /// Weight of row `i` (1 when unweighted).
    pub(crate) fn weight(&self, i: usize) -> f64 {
        self.weights.and_then(|w| w.get(i).copied()).unwrap_or(1.0)
    }
}

/// Checks that every `(field, length)` column has the `n` rows of the
/// first column and that there is at least one row.
pub(crate) fn check_columns(n: usize, columns: &[(&'static str, usize)]) -> Result<()> {
    for &(field, len) in columns {
        crate::error::check_len(field, n, len)?;
    }
    if n == 0 {
        return Err(Error::EmptyInput {
            what: "customer summary rows",
        });
    }
    Ok(())
}

/// What a history is checked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Use {
    /// Fitting: only possible histories (`tₓ = 0` when `x = 0`).
    Fit,
    /// Predicting: any `0 ≤ tₓ ≤ T`, also with `x = 0`.
    Predict,
}

/// Records every problem with one `(x, tₓ, T)` row; returns whether it is valid.
pub(crate) fn check_history(
    issues: &mut Issues,
    row: usize,
    x: f64,
    t_x: f64,
    age: f64,
    discrete: bool,
    purpose: Use,
) -> bool {
    let x_ok = check_non_negative(issues, row, "frequency", x);
    let mut ok = x_ok;
    if x_ok && !is_whole(x) {
        issues.push(row, "frequency", x, IssueKind::NotInteger);
        ok = false;
    }
    let t_ok = check_non_negative(issues, row, "recency", t_x);
    let age_ok = check_non_negative(issues, row, "age", age);
    ok &= t_ok && age_ok;
    if discrete {
        if t_ok && !is_whole(t_x) {
            issues.push(row, "recency", t_x, IssueKind::NotInteger);
            ok = false;
        }
        if age_ok && !is_whole(age) {
            issues.push(row, "age", age, IssueKind::NotInteger);
            ok = false;
        } else if age_ok && age > super::bgbb::MAX_OPPORTUNITIES as f64 {
            // The BG/BB likelihood sums one term per opportunity.
            let max = super::bgbb::MAX_OPPORTUNITIES as f64;
            issues.push(row, "age", age, IssueKind::OutOfRange { min: 0.0, max });
            ok = false;
        }
    }
    if t_ok && age_ok && t_x > age {
        issues.push(
            row,
            "recency",
            t_x,
            IssueKind::OutOfRange { min: 0.0, max: age },
        );
        ok = false;
    } else if purpose == Use::Fit && x_ok && t_ok && x == 0.0 && t_x != 0.0 {
        issues.push(
            row,
            "recency",
            t_x,
            IssueKind::OutOfRange { min: 0.0, max: 0.0 },
        );
        ok = false;
    } else if discrete && x_ok && t_ok && x > t_x {
        // In discrete time each repeat purchase occupies its own period.
        issues.push(
            row,
            "frequency",
            x,
            IssueKind::OutOfRange { min: 0.0, max: t_x },
        );
        ok = false;
    }
    ok
}

/// Whether a finite `v` is a whole number (without a call to `trunc`, which
/// is not an instruction on every target).
fn is_whole(v: f64) -> bool {
    // Every f64 of magnitude ≥ 2⁵² is whole; below, the cast is exact.
    v.abs() >= 4_503_599_627_370_496.0 || v == (v as i64) as f64
}

/// Validates a single history for a scalar prediction.
pub(crate) fn check_point(x: f64, t_x: f64, age: f64, discrete: bool) -> Result<()> {
    let mut issues = Issues::default();
    check_history(&mut issues, 0, x, t_x, age, discrete, Use::Predict);
    issues.finish()
}

/// Validates a prediction horizon: finite and `≥ 0`.
pub(crate) fn check_horizon(name: &'static str, t: f64) -> Result<f64> {
    if t.is_finite() && t >= 0.0 {
        Ok(t)
    } else {
        Err(Error::parameter(name, t, "must be a finite number ≥ 0"))
    }
}

/// Turns a computed value into a result, rejecting NaN/∞.
pub(crate) fn finite(what: &'static str, row: Option<usize>, v: f64) -> Result<f64> {
    if v.is_finite() {
        Ok(v)
    } else {
        Err(Error::NonFiniteResult { what, row })
    }
}

/// Validates summary columns without fitting anything, with the rules of
/// `lifetimes.utils._check_inputs` (lifetimes 0.11.3): every `frequency` a
/// whole number `≥ 0`; with `recency`, every `tₓ ≥ 0` and `tₓ = 0` where
/// `x = 0`; with both `recency` and `age`, `tₓ ≤ T` (and `T ≥ 0`); with
/// `monetary_value`, every value `> 0` (lifetimes asks it of every row, not
/// only the repeat buyers Gamma-Gamma uses). Every value must be finite.
///
/// # Errors
///
/// [`Error::LengthMismatch`] when a given column's length differs from
/// `frequency`'s, [`Error::EmptyInput`] when `frequency` is empty and
/// `recency` is given, [`Error::InvalidRows`] naming every bad row, field and
/// value.
pub fn check_inputs(
    frequency: &[f64],
    recency: Option<&[f64]>,
    age: Option<&[f64]>,
    monetary_value: Option<&[f64]>,
) -> Result<()> {
    let n = frequency.len();
    let given = |name: &'static str, c: Option<&[f64]>| c.map(|c| (name, c.len()));
    let lengths: Vec<(&'static str, usize)> = [
        given("recency", recency),
        given("age", age),
        given("monetary_value", monetary_value),
    ]
    .into_iter()
    .flatten()
    .collect();
    check_columns(n, &lengths)?;
    if n == 0 && recency.is_some() {
        return Err(Error::EmptyInput {
            what: "frequency, recency and age are empty",
        });
    }
    let mut issues = Issues::default();
    for (row, &x) in frequency.iter().enumerate() {
        let x_ok = check_non_negative(&mut issues, row, "frequency", x);
        if x_ok && !is_whole(x) {
            issues.push(row, "frequency", x, IssueKind::NotInteger);
        }
        let Some(&t_x) = recency.and_then(|r| r.get(row)) else {
            continue;
        };
        let t_ok = check_non_negative(&mut issues, row, "recency", t_x);
        let a = age.and_then(|a| a.get(row)).copied();
        let age_ok = a.is_none_or(|a| check_non_negative(&mut issues, row, "age", a));
        match a {
            Some(a) if t_ok && age_ok && t_x > a => {
                let range = IssueKind::OutOfRange { min: 0.0, max: a };
                issues.push(row, "recency", t_x, range);
            }
            _ if t_ok && x_ok && x == 0.0 && t_x != 0.0 => {
                let range = IssueKind::OutOfRange { min: 0.0, max: 0.0 };
                issues.push(row, "recency", t_x, range);
            }
            _ => {}
        }
    }
    for (row, &m) in monetary_value.unwrap_or(&[]).iter().enumerate() {
        if check_non_negative(&mut issues, row, "monetary_value", m) && m <= 0.0 {
            let range = IssueKind::OutOfRange {
                min: f64::MIN_POSITIVE,
                max: f64::MAX,
            };
            issues.push(row, "monetary_value", m, range);
        }
    }
    issues.finish()
}

#[cfg(test)]
mod tests {
    use super::super::{
        bgbb::BgBbParams, bgnbd, mbgnbd::MbgNbdParams, pareto_nbd::ParetoNbdParams,
    };
    use super::super::{bgnbd::BgNbdParams, FitOptions, TransactionModel};
    use super::TransactionSummary;
    use crate::Error;

    /// `x = 0, tₓ > 0` is not a possible history: fitting rejects it.
    #[test]
    fn fitting_rejects_zero_frequency_with_recency() {
        let data = TransactionSummary::new(&[0.0, 2.0], &[3.0, 4.0], &[10.0, 10.0]);
        let err = bgnbd::fit(&data, &FitOptions::default()).unwrap_err();
        assert!(
            matches!(err, Error::InvalidRows { ref issues } if issues[0].row == 0 && issues[0].field == "recency")
        );
    }

    /// Predictions evaluate the formulas there (hand-computed for BG/NBD and
    /// MBG/NBD: FHL 2005 eq. 11 gives 1 at `x = 0` whatever `tₓ`; Batislam
    /// et al. 2007 give `1 / (1 + a/b ((α+T)/(α+tₓ))^r)`).
    #[test]
    fn predictions_accept_zero_frequency_with_recency() {
        let bg = BgNbdParams::new(0.243, 4.414, 0.793, 2.426).unwrap();
        assert_eq!(bg.probability_alive(0.0, 5.0, 30.0).unwrap(), 1.0);
        let mbg = MbgNbdParams::new(0.525, 6.183, 0.891, 1.614).unwrap();
        let want = 1.0 / (1.0 + 0.891 / 1.614 * ((6.183 + 30.0) / (6.183 + 5.0_f64)).powf(0.525));
        let got = mbg.probability_alive(0.0, 5.0, 30.0).unwrap();
        assert!((got - want).abs() < 1e-12, "{got} vs {want}");
        let batch = TransactionSummary::new(&[0.0, 0.0], &[5.0, 0.0], &[30.0, 30.0]);
        assert_eq!(mbg.probability_alive_batch(&batch).unwrap()[0], got);
    }

    /// Pareto/NBD at `x = 0`: the batch (which shares `K(0)` among the
    /// `tₓ = 0` rows) agrees with the scalar path, P(alive) rises with `tₓ`
    /// and is 1 at `tₓ = T`.
    #[test]
    fn pareto_zero_frequency_with_recency() {
        let m = ParetoNbdParams::new(0.5532, 10.578, 0.6062, 11.669).unwrap();
        let rec = [0.0, 5.0, 20.0, 38.0];
        let data = TransactionSummary::new(&[0.0; 4], &rec, &[38.0; 4]);
        let batch = m.probability_alive_batch(&data).unwrap();
        for (i, &t_x) in rec.iter().enumerate() {
            let one = m.probability_alive(0.0, t_x, 38.0).unwrap();
            assert!(
                (batch[i] - one).abs() < 1e-12,
                "{t_x}: {} vs {one}",
                batch[i]
            );
        }
        assert!(batch[0] < batch[1] && batch[1] < batch[2] && batch[2] < batch[3]);
        assert_eq!(batch[3], 1.0);
        let cond = m.conditional_expected_purchases_batch(10.0, &data).unwrap();
        assert!(cond[0] < cond[1] && cond[1] < cond[2]);
    }

    /// BG/BB: a history `x = 0, tₓ > 0` is evaluated by the same likelihood
    /// (FHS 2010 eq. 5); at `tₓ = n` the sum is empty and P(alive at n+1) is
    /// `B(γ, δ+n+1)/B(γ, δ+n)`-weighted as for any `tₓ = n` history.
    #[test]
    fn bgbb_zero_frequency_with_recency() {
        let m = BgBbParams::new(1.204, 0.750, 0.657, 2.783).unwrap();
        let early = m.probability_alive(0.0, 1.0, 6.0).unwrap();
        let late = m.probability_alive(0.0, 5.0, 6.0).unwrap();
        assert!(early < late, "{early} {late}");
        // At tₓ = n nothing can have happened after: alive through n for sure,
        // so P(alive at n+1) = E[1−θ | survived n] = (δ+n)/(γ+δ+n).
        let full = m.probability_alive(0.0, 6.0, 6.0).unwrap();
        let want = (2.783 + 6.0) / (0.657 + 2.783 + 6.0);
        assert!((full - want).abs() < 1e-12, "{full} vs {want}");
    }

    /// The several-horizon path equals one call per horizon, bit for bit,
    /// also through the doors' `TransactionModelParams` (which forwards it).
    #[test]
    fn horizons_at_once_equal_one_at_a_time() {
        use crate::models::TransactionModelParams as P;
        let bg = BgNbdParams::new(0.243, 4.414, 0.793, 2.426).unwrap();
        let mbg = MbgNbdParams::new(0.525, 6.183, 0.891, 1.614).unwrap();
        let pareto = ParetoNbdParams::new(0.5532, 10.578, 0.6062, 11.669).unwrap();
        let (pbg, pmbg, ppareto) = (P::BgNbd(bg), P::MbgNbd(mbg), P::ParetoNbd(pareto));
        let models: [&dyn TransactionModel; 6] = [&bg, &mbg, &pareto, &pbg, &pmbg, &ppareto];
        let horizons = [0.0, 4.345, 26.07, 52.14];
        let mut out = Vec::new();
        for m in models {
            for &(x, t_x, age) in &[(0.0, 0.0, 38.0), (2.0, 30.43, 38.86), (0.0, 12.0, 38.0)] {
                m.conditional_expected_purchases_at(&horizons, x, t_x, age, &mut out)
                    .unwrap();
                for (&t, &v) in horizons.iter().zip(&out) {
                    assert_eq!(v, m.conditional_expected_purchases(t, x, t_x, age).unwrap());
                }
            }
            assert!(m
                .conditional_expected_purchases_at(&[-1.0], 1.0, 1.0, 2.0, &mut out)
                .is_err());
            assert!(m
                .conditional_expected_purchases_at(&[1.0], 1.0, 3.0, 2.0, &mut out)
                .is_err());
        }
    }
}
