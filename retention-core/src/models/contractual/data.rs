//! Survivor counts of cohorts: the input of the contractual models.

use crate::cohorts::{CohortMatrix, RetentionMode};
use crate::error::{Error, IssueKind, Issues, Result};

/// Most ages (periods after acquisition, plus age 0) one cohort may have:
/// the fits and the matrix do work proportional to it.
pub const MAX_AGES: usize = 100_000;

/// Most cohorts one call may take.
pub const MAX_COHORTS: usize = 100_000;

/// Survivor counts of one or more cohorts: `counts[i][t]` subscribers of
/// cohort `i` still active at age `t` (`counts[i][0]` is the cohort's size),
/// observed up to each cohort's own last age.
///
/// Every sequence is non-empty, starts above 0 and never rises; all
/// problems are reported at once as [`Error::InvalidRows`] (row = cohort,
/// field `survivors`, the value `"age t: n"`).
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct CohortSurvivors {
    /// Cohort labels, one per cohort.
    pub labels: Vec<String>,
    /// Survivor counts per cohort, from age 0.
    pub counts: Vec<Vec<u64>>,
}

impl CohortSurvivors {
    /// Validated survivor counts with labels.
    ///
    /// Errors: no cohort ([`Error::EmptyInput`]); a label list of another
    /// length ([`Error::LengthMismatch`]); more than [`MAX_COHORTS`] cohorts
    /// or [`MAX_AGES`] ages ([`Error::InvalidParameter`]); invalid
    /// sequences ([`Error::InvalidRows`]).
    pub fn new(labels: Vec<String>, counts: Vec<Vec<u64>>) -> Result<Self> {
        if counts.is_empty() {
            return Err(Error::EmptyInput {
                what: "survivor counts",
            });
        }
        crate::error::check_len("labels", counts.len(), labels.len())?;
        if counts.len() > MAX_COHORTS {
            return Err(Error::parameter(
                "survivors",
                counts.len(),
                "at most MAX_COHORTS (100000) cohorts",
            ));
        }
        let mut issues = Issues::default();
        for (row, seq) in counts.iter().enumerate() {
            if seq.len() > MAX_AGES {
                return Err(Error::parameter(
                    "survivors",
                    seq.len(),
                    "at most MAX_AGES (100000) ages per cohort",
                ));
            }
            match seq.first() {
                None => issues.push(row, "survivors", "[]", IssueKind::Missing),
                Some(0) => issues.push(
                    row,
                    "survivors",
                    "age 0: 0",
                    IssueKind::OutOfRange {
                        min: 1.0,
                        max: f64::INFINITY,
                    },
                ),
                Some(_) => {}
            }
            for (t, pair) in seq.windows(2).enumerate() {
                if pair[1] > pair[0] {
                    issues.push(
                        row,
                        "survivors",
                        format!("age {}: {}", t + 1, pair[1]),
                        IssueKind::OutOfRange {
                            min: 0.0,
                            max: pair[0] as f64,
                        },
                    );
                }
            }
        }
        issues.finish()?;
        Ok(CohortSurvivors { labels, counts })
    }

    /// Survivor counts given as floating-point numbers (as JavaScript and
    /// data frames hold them), labelled `"0"`, `"1"`… unless `labels` are
    /// given. Every value must be a finite whole number `≥ 0`; all bad
    /// values are reported at once (row = cohort, field `survivors`, value
    /// `"age t: v"`), then the checks of [`CohortSurvivors::new`] apply.
    pub fn from_f64(labels: Option<Vec<String>>, counts: &[Vec<f64>]) -> Result<Self> {
        let mut issues = Issues::default();
        let mut whole = Vec::with_capacity(counts.len());
        for (row, seq) in counts.iter().enumerate() {
            let mut out = Vec::with_capacity(seq.len());
            for (t, &v) in seq.iter().enumerate() {
                let kind = if !v.is_finite() {
                    Some(IssueKind::NotFinite)
                } else if v < 0.0 {
                    Some(IssueKind::Negative)
                } else if v.fract() != 0.0 || v > 9.007_199_254_740_992e15 {
                    Some(IssueKind::NotInteger)
                } else {
                    None
                };
                match kind {
                    Some(kind) => issues.push(row, "survivors", format!("age {t}: {v}"), kind),
                    None => out.push(v as u64),
                }
            }
            whole.push(out);
        }
        issues.finish()?;
        match labels {
            Some(labels) => Self::new(labels, whole),
            None => Self::from_counts(whole),
        }
    }

    /// One cohort from a plain series of survivor counts, labelled `"0"`.
    pub fn from_series(counts: &[u64]) -> Result<Self> {
        Self::new(vec!["0".into()], vec![counts.to_vec()])
    }

    /// Several cohorts labelled `"0"`, `"1"`, … in order.
    pub fn from_counts(counts: Vec<Vec<u64>>) -> Result<Self> {
        let labels = (0..counts.len()).map(|i| i.to_string()).collect();
        Self::new(labels, counts)
    }

    /// The survivors of a cohort matrix built with
    /// [`RetentionMode::ReturnOnOrAfter`] ("still active at age `k`" = some
    /// qualifying event at age `k` or later), for acquisition cohorts: each
    /// cohort's retained counts over its complete ages.
    ///
    /// Errors: another retention mode, or cohorts whose eligible members
    /// change with age (labelled cohorts anchored in different periods),
    /// as [`Error::InvalidParameter`].
    pub fn from_matrix(matrix: &CohortMatrix) -> Result<Self> {
        if matrix.mode() != RetentionMode::ReturnOnOrAfter {
            return Err(Error::parameter(
                "mode",
                matrix.mode().as_str(),
                "contractual models need survivor counts: build the matrix with return_on_or_after",
            ));
        }
        let mut counts = Vec::with_capacity(matrix.cohorts());
        for (c, (eligible, retained)) in matrix.eligible().iter().zip(matrix.retained()).enumerate()
        {
            let size = matrix.sizes().get(c).copied().unwrap_or(0);
            let ages = eligible.iter().take_while(|&&e| e > 0).count();
            if eligible[..ages].iter().any(|&e| e != size)
                || eligible[ages..].iter().any(|&e| e > 0)
            {
                return Err(Error::parameter(
                    "cohorts",
                    matrix.labels().get(c),
                    "every member of a cohort must be observed to the same age (acquisition cohorts)",
                ));
            }
            counts.push(retained[..ages].to_vec());
        }
        let keep: Vec<usize> = (0..counts.len())
            .filter(|&i| !counts[i].is_empty())
            .collect();
        let labels = keep.iter().map(|&i| matrix.labels()[i].clone()).collect();
        let counts = keep
            .into_iter()
            .map(|i| std::mem::take(&mut counts[i]))
            .collect();
        Self::new(labels, counts)
    }

    /// Number of cohorts.
    pub fn len(&self) -> usize {
        self.counts.len()
    }

    /// Whether there is no cohort (never, once validated).
    pub fn is_empty(&self) -> bool {
        self.counts.is_empty()
    }

    /// Largest number of ages of any cohort.
    pub fn max_ages(&self) -> usize {
        self.counts.iter().map(Vec::len).max().unwrap_or(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_sequences_are_all_reported() {
        let err =
            CohortSurvivors::from_counts(vec![vec![10, 8, 9], vec![], vec![0, 0]]).unwrap_err();
        let Error::InvalidRows { issues } = err else {
            panic!("{err:?}")
        };
        let rows: Vec<(usize, &str)> = issues.iter().map(|i| (i.row, i.value.as_str())).collect();
        assert_eq!(rows, vec![(0, "age 2: 9"), (1, "[]"), (2, "age 0: 0")]);
    }

    #[test]
    fn floating_point_counts_must_be_whole() {
        let ok = CohortSurvivors::from_f64(None, &[vec![10.0, 8.0]]).unwrap();
        assert_eq!(ok.counts, vec![vec![10, 8]]);
        let err =
            CohortSurvivors::from_f64(None, &[vec![10.0, 8.5], vec![f64::NAN, -1.0]]).unwrap_err();
        let Error::InvalidRows { issues } = err else {
            panic!("{err:?}")
        };
        let kinds: Vec<(usize, IssueKind)> = issues.into_iter().map(|i| (i.row, i.kind)).collect();
        assert_eq!(
            kinds,
            vec![
                (0, IssueKind::NotInteger),
                (1, IssueKind::NotFinite),
                (1, IssueKind::Negative)
            ]
        );
    }
}
