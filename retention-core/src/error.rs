//! The crate's single error type.
//!
//! Every public function that can fail returns [`Result`]. Errors carry
//! structured fields (row index, field name, offending value) so that each
//! binding can map them to its own exception or error class without parsing
//! strings. Problems with individual input rows are collected, never reported
//! one at a time: [`Error::InvalidRows`] lists every bad row found in one pass.

use std::fmt;

/// Result alias used throughout the crate.
pub type Result<T> = std::result::Result<T, Error>;

/// Why an input value was rejected.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum IssueKind {
    /// The value is NaN or infinite.
    NotFinite,
    /// The value is below zero where only non-negative values make sense.
    Negative,
    /// The value lies outside the allowed closed range `[min, max]`.
    OutOfRange {
        /// Smallest allowed value.
        min: f64,
        /// Largest allowed value.
        max: f64,
    },
    /// The value must be a whole number.
    NotInteger,
    /// A required value is absent.
    Missing,
    /// The text could not be parsed as the expected type.
    Unparseable {
        /// What the field should contain, e.g. `"RFC 3339 timestamp"`.
        expected: &'static str,
    },
    /// The event kind (or a sub-kind such as a ticket severity) is unknown.
    UnknownKind,
    /// The timestamp lies after the `as_of` instant of the computation.
    AfterAsOf,
    /// The row repeats an earlier row exactly and the duplicate policy is
    /// [`DuplicatePolicy::Reject`](crate::events::DuplicatePolicy::Reject).
    Duplicate {
        /// Index of the earlier, identical row.
        first_row: usize,
    },
    /// The field does not apply to this kind of event but was given a value.
    NotApplicable,
    /// The value contradicts another field of the same row (a stored
    /// summary whose first order lies after its last, order days that do not
    /// add up to the order count…).
    Inconsistent {
        /// The other field.
        with: &'static str,
    },
}

impl fmt::Display for IssueKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            IssueKind::NotFinite => f.write_str("not a finite number"),
            IssueKind::Negative => f.write_str("negative"),
            IssueKind::OutOfRange { min, max } => write!(f, "outside [{min}, {max}]"),
            IssueKind::NotInteger => f.write_str("not a whole number"),
            IssueKind::Missing => f.write_str("missing"),
            IssueKind::Unparseable { expected } => write!(f, "cannot be parsed as {expected}"),
            IssueKind::UnknownKind => f.write_str("unknown kind"),
            IssueKind::AfterAsOf => f.write_str("after the as_of instant"),
            IssueKind::Duplicate { first_row } => write!(f, "duplicate of row {first_row}"),
            IssueKind::NotApplicable => f.write_str("does not apply to this event kind"),
            IssueKind::Inconsistent { with } => write!(f, "inconsistent with `{with}`"),
        }
    }
}

/// One rejected input value: where it is, what it is, and why it was rejected.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct RowIssue {
    /// Zero-based index of the row (or element) in the caller's input.
    pub row: usize,
    /// Name of the offending field, e.g. `"amount"`.
    pub field: &'static str,
    /// The offending value, rendered as text.
    pub value: String,
    /// Why it was rejected.
    pub kind: IssueKind,
}

impl RowIssue {
    /// Builds an issue.
    pub fn new(row: usize, field: &'static str, value: impl ToString, kind: IssueKind) -> Self {
        RowIssue {
            row,
            field,
            value: value.to_string(),
            kind,
        }
    }
}

impl fmt::Display for RowIssue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "row {}: field `{}` = {:?}: {}",
            self.row, self.field, self.value, self.kind
        )
    }
}

/// How many row issues an error message spells out before summarising.
const SHOWN_ISSUES: usize = 10;

fn list_issues(issues: &[RowIssue]) -> String {
    let mut out = String::new();
    for (i, issue) in issues.iter().take(SHOWN_ISSUES).enumerate() {
        if i > 0 {
            out.push_str("; ");
        }
        out.push_str(&issue.to_string());
    }
    if issues.len() > SHOWN_ISSUES {
        out.push_str(&format!("; and {} more", issues.len() - SHOWN_ISSUES));
    }
    out
}

/// Everything that can go wrong in `retention-core`.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum Error {
    /// One or more input rows are invalid. All of them are listed, in row order.
    #[error("{} invalid input row(s): {}", issues.len(), list_issues(issues))]
    InvalidRows {
        /// Every rejected value, in input order.
        issues: Vec<RowIssue>,
    },
    /// Columnar input whose columns have different lengths.
    #[error("column `{field}` has {actual} values but {expected} were expected")]
    LengthMismatch {
        /// The column whose length is wrong.
        field: &'static str,
        /// The length of the first column.
        expected: usize,
        /// The length of this column.
        actual: usize,
    },
    /// A computation needs at least one input item and got none.
    #[error("empty input: {what}")]
    EmptyInput {
        /// What was empty, e.g. `"survey answers"`.
        what: &'static str,
    },
    /// A parameter or option has an impossible value.
    #[error("invalid parameter `{name}` = {value}: {reason}")]
    InvalidParameter {
        /// Parameter name as the caller spells it.
        name: &'static str,
        /// The offending value, rendered as text.
        value: String,
        /// What a valid value looks like.
        reason: &'static str,
    },
    /// A name that is not one of a vocabulary's codes (see
    /// [`crate::vocab`]); the accepted codes are listed.
    #[error(
        "unknown {name} {value:?}: expected one of {}",
        accepted.iter().map(|c| format!("{c:?}")).collect::<Vec<_>>().join(", ")
    )]
    UnknownCode {
        /// The vocabulary, e.g. `"retention_mode"`.
        name: &'static str,
        /// The text given.
        value: String,
        /// Every accepted code.
        accepted: &'static [&'static str],
    },
    /// A customer id that does not occur in the data.
    #[error("unknown customer `{customer}`")]
    UnknownCustomer {
        /// The customer id as text.
        customer: String,
    },
    /// A loyalty-points redemption exceeds the customer's available balance.
    #[error(
        "customer `{customer}` redeems {requested} points but only {available} are available{}",
        row.map(|r| format!(" (row {r})")).unwrap_or_default()
    )]
    InsufficientPoints {
        /// The customer id as text.
        customer: String,
        /// Input row of the redemption event; `None` for a proposed redemption.
        row: Option<usize>,
        /// Points the redemption asks for.
        requested: f64,
        /// Points available (after expiry) at the time of the redemption.
        available: f64,
    },
    /// A matrix that must be positive definite (for instance the information
    /// matrix of a Cox model) is singular or numerically indistinguishable
    /// from singular, typically because covariates are constant or collinear.
    #[error("singular matrix in {what}: no positive pivot at index {index}")]
    SingularMatrix {
        /// Which matrix, e.g. `"Cox information matrix"`.
        what: &'static str,
        /// Zero-based row/column (for a Cox model: the covariate) where the
        /// factorisation broke down.
        index: usize,
    },
    /// An iterative fit stopped at its iteration limit without converging.
    #[error("{what} did not converge in {iterations} iterations (last step {last_step})")]
    NotConverged {
        /// Which fit, e.g. `"Cox proportional hazards"`.
        what: &'static str,
        /// Iterations performed.
        iterations: usize,
        /// Largest absolute parameter change in the last iteration.
        last_step: f64,
    },
    /// Maximum-likelihood fitting did not converge from any starting point;
    /// every attempt (method, start, iterations, objective, outcome) is
    /// listed.
    #[error(
        "{model} fit did not converge; tried: {}",
        attempts.iter().map(ToString::to_string).collect::<Vec<_>>().join("; ")
    )]
    FitNotConverged {
        /// Model name, e.g. `"BG/NBD"`.
        model: &'static str,
        /// Every optimisation attempt, in the order made.
        attempts: Vec<crate::models::optim::OptimAttempt>,
    },
    /// A model computation produced NaN or an infinite value (a numerical
    /// limitation, reported instead of returning the non-finite number).
    #[error(
        "{what} could not be computed as a finite number{}",
        row.map(|r| format!(" for row {r}")).unwrap_or_default()
    )]
    NonFiniteResult {
        /// The quantity being computed, e.g. `"probability alive"`.
        what: &'static str,
        /// Input row concerned, for batch computations.
        row: Option<usize>,
    },
}

crate::vocab::codes! {
    /// The kind of an [`Error`], as [`Error::code`] names it (one exception
    /// class or error code per value in every front door).
    #[non_exhaustive]
    pub enum ErrorCode as "error_code" {
        /// [`Error::InvalidRows`].
        InvalidRows = "invalid_rows",
        /// [`Error::LengthMismatch`].
        LengthMismatch = "length_mismatch",
        /// [`Error::EmptyInput`].
        EmptyInput = "empty_input",
        /// [`Error::InvalidParameter`].
        InvalidParameter = "invalid_parameter",
        /// [`Error::UnknownCode`].
        UnknownCode = "unknown_code",
        /// [`Error::UnknownCustomer`].
        UnknownCustomer = "unknown_customer",
        /// [`Error::InsufficientPoints`].
        InsufficientPoints = "insufficient_points",
        /// [`Error::SingularMatrix`].
        SingularMatrix = "singular_matrix",
        /// [`Error::NotConverged`].
        NotConverged = "not_converged",
        /// [`Error::FitNotConverged`].
        FitNotConverged = "fit_not_converged",
        /// [`Error::NonFiniteResult`].
        NonFiniteResult = "non_finite_result",
    }
}

crate::vocab::codes! {
    /// The kind of an [`IssueKind`] without its payload, as
    /// [`IssueKind::code`] names it.
    #[non_exhaustive]
    pub enum IssueCode as "issue_kind" {
        /// [`IssueKind::NotFinite`].
        NotFinite = "not_finite",
        /// [`IssueKind::Negative`].
        Negative = "negative",
        /// [`IssueKind::OutOfRange`].
        OutOfRange = "out_of_range",
        /// [`IssueKind::NotInteger`].
        NotInteger = "not_integer",
        /// [`IssueKind::Missing`].
        Missing = "missing",
        /// [`IssueKind::Unparseable`].
        Unparseable = "unparseable",
        /// [`IssueKind::UnknownKind`].
        UnknownKind = "unknown_kind",
        /// [`IssueKind::AfterAsOf`].
        AfterAsOf = "after_as_of",
        /// [`IssueKind::Duplicate`].
        Duplicate = "duplicate",
        /// [`IssueKind::NotApplicable`].
        NotApplicable = "not_applicable",
        /// [`IssueKind::Inconsistent`].
        Inconsistent = "inconsistent",
    }
}

impl IssueKind {
    /// The snake_case code of this kind (its payload left out).
    pub fn code(&self) -> IssueCode {
        match self {
            IssueKind::NotFinite => IssueCode::NotFinite,
            IssueKind::Negative => IssueCode::Negative,
            IssueKind::OutOfRange { .. } => IssueCode::OutOfRange,
            IssueKind::NotInteger => IssueCode::NotInteger,
            IssueKind::Missing => IssueCode::Missing,
            IssueKind::Unparseable { .. } => IssueCode::Unparseable,
            IssueKind::UnknownKind => IssueCode::UnknownKind,
            IssueKind::AfterAsOf => IssueCode::AfterAsOf,
            IssueKind::Duplicate { .. } => IssueCode::Duplicate,
            IssueKind::NotApplicable => IssueCode::NotApplicable,
            IssueKind::Inconsistent { .. } => IssueCode::Inconsistent,
        }
    }
}

impl Error {
    /// The snake_case code of this error's variant.
    pub fn code(&self) -> ErrorCode {
        match self {
            Error::InvalidRows { .. } => ErrorCode::InvalidRows,
            Error::LengthMismatch { .. } => ErrorCode::LengthMismatch,
            Error::EmptyInput { .. } => ErrorCode::EmptyInput,
            Error::InvalidParameter { .. } => ErrorCode::InvalidParameter,
            Error::UnknownCode { .. } => ErrorCode::UnknownCode,
            Error::UnknownCustomer { .. } => ErrorCode::UnknownCustomer,
            Error::InsufficientPoints { .. } => ErrorCode::InsufficientPoints,
            Error::SingularMatrix { .. } => ErrorCode::SingularMatrix,
            Error::NotConverged { .. } => ErrorCode::NotConverged,
            Error::FitNotConverged { .. } => ErrorCode::FitNotConverged,
            Error::NonFiniteResult { .. } => ErrorCode::NonFiniteResult,
        }
    }

    /// Shorthand for an [`Error::InvalidRows`] holding a single issue.
    pub fn row(row: usize, field: &'static str, value: impl ToString, kind: IssueKind) -> Self {
        Error::InvalidRows {
            issues: vec![RowIssue::new(row, field, value, kind)],
        }
    }

    /// Shorthand for [`Error::InvalidParameter`].
    pub fn parameter(name: &'static str, value: impl fmt::Debug, reason: &'static str) -> Self {
        Error::InvalidParameter {
            name,
            value: format!("{value:?}"),
            reason,
        }
    }
}

/// `Ok(())` when a column has the expected length, else [`Error::LengthMismatch`].
pub(crate) fn check_len(field: &'static str, expected: usize, actual: usize) -> Result<()> {
    if expected == actual {
        Ok(())
    } else {
        Err(Error::LengthMismatch {
            field,
            expected,
            actual,
        })
    }
}

/// Collects row issues during a validation pass and turns them into one error.
#[derive(Debug, Default)]
pub(crate) struct Issues(Vec<RowIssue>);

impl Issues {
    pub(crate) fn push(
        &mut self,
        row: usize,
        field: &'static str,
        value: impl ToString,
        kind: IssueKind,
    ) {
        self.0.push(RowIssue::new(row, field, value, kind));
    }

    /// Adds issues collected elsewhere (e.g. by another thread).
    pub(crate) fn extend(&mut self, other: Issues) {
        self.0.extend(other.0);
    }

    /// `Ok(())` when nothing was collected, otherwise [`Error::InvalidRows`]
    /// with the issues sorted by row (stable, so field order within a row is kept).
    pub(crate) fn finish(mut self) -> Result<()> {
        if self.0.is_empty() {
            Ok(())
        } else {
            self.0.sort_by_key(|i| i.row);
            Err(Error::InvalidRows { issues: self.0 })
        }
    }
}

/// Checks that `value` is finite and non-negative, recording an issue otherwise.
pub(crate) fn check_non_negative(
    issues: &mut Issues,
    row: usize,
    field: &'static str,
    value: f64,
) -> bool {
    if !value.is_finite() {
        issues.push(row, field, value, IssueKind::NotFinite);
        false
    } else if value < 0.0 {
        issues.push(row, field, value, IssueKind::Negative);
        false
    } else {
        true
    }
}

/// Validates a scalar parameter that must be finite and `> 0`.
pub(crate) fn positive(name: &'static str, value: f64) -> Result<f64> {
    if value.is_finite() && value > 0.0 {
        Ok(value)
    } else {
        Err(Error::parameter(
            name,
            value,
            "must be a finite number greater than 0",
        ))
    }
}

/// Validates a scalar parameter that must be finite and in `[lo, hi]`.
pub(crate) fn in_range(
    name: &'static str,
    value: f64,
    lo: f64,
    hi: f64,
    reason: &'static str,
) -> Result<f64> {
    if value.is_finite() && value >= lo && value <= hi {
        Ok(value)
    } else {
        Err(Error::parameter(name, value, reason))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn message_names_row_field_and_value() {
        let err = Error::row(7, "amount", -3.5, IssueKind::Negative);
        assert_eq!(
            err.to_string(),
            "1 invalid input row(s): row 7: field `amount` = \"-3.5\": negative"
        );
    }

    #[test]
    fn long_issue_lists_are_summarised() {
        let mut issues = Issues::default();
        for row in (0..12).rev() {
            issues.push(
                row,
                "score",
                "11",
                IssueKind::OutOfRange {
                    min: 0.0,
                    max: 10.0,
                },
            );
        }
        let err = issues.finish().unwrap_err();
        let Error::InvalidRows { issues } = &err else {
            panic!("wrong variant")
        };
        assert_eq!(issues.len(), 12);
        assert_eq!(issues[0].row, 0, "issues are sorted by row");
        assert!(err.to_string().ends_with("; and 2 more"), "{err}");
    }
}
