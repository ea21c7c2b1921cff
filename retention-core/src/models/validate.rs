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
    /// Time of the last repeat purchase since the first, `tₓ` (0 when
    /// `x = 0`).
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

    /// Checks lengths and every row; `discrete` additionally requires whole
    /// `tₓ` and `n` with `x ≤ tₓ` (BG/BB). Returns the total weight.
    pub(crate) fn validate(&self, discrete: bool) -> Result<f64> {
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
            check_history(&mut issues, row, x, t_x, age, discrete);
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

/// Records every problem with one `(x, tₓ, T)` row; returns whether it is valid.
pub(crate) fn check_history(
    issues: &mut Issues,
    row: usize,
    x: f64,
    t_x: f64,
    age: f64,
    discrete: bool,
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
    } else if x_ok && t_ok && x == 0.0 && t_x != 0.0 {
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
    check_history(&mut issues, 0, x, t_x, age, discrete);
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
