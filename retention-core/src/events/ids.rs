//! Customer ids and their interning into dense indices.

use std::fmt;

use super::group;

/// A customer identifier, as the caller has it: an integer or a string.
///
/// Ordering puts every integer before every string; integers compare
/// numerically and strings lexicographically (bytewise).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(untagged))]
pub enum CustomerId {
    /// Integer id.
    Int(i64),
    /// String id.
    Str(String),
}

impl fmt::Display for CustomerId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CustomerId::Int(i) => write!(f, "{i}"),
            CustomerId::Str(s) => f.write_str(s),
        }
    }
}

impl From<i64> for CustomerId {
    fn from(v: i64) -> Self {
        CustomerId::Int(v)
    }
}

impl From<&str> for CustomerId {
    fn from(v: &str) -> Self {
        CustomerId::Str(v.to_owned())
    }
}

impl From<String> for CustomerId {
    fn from(v: String) -> Self {
        CustomerId::Str(v)
    }
}

/// Distinct integer ids, sorted, and each row's index among them (for
/// computations that group rows by customer without building a log).
pub(crate) fn intern_ints(ids: &[i64]) -> (Vec<CustomerId>, Vec<u32>) {
    let (customers, keys) = group::intern_ints(ids, 1);
    (customers, keys.into_dense(ids.len()))
}

/// [`intern_ints`] for text ids.
pub(crate) fn intern_strs(ids: &[&str]) -> (Vec<CustomerId>, Vec<u32>) {
    let (customers, keys) = group::intern_strs(ids);
    (customers, keys.into_dense(ids.len()))
}
