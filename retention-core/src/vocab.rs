//! One vocabulary: the snake_case codes by which callers name options and
//! read results, in every front door.
//!
//! Every public enum that a caller names — periods, cohort modes, qualifying
//! events, revenue bases, RFM bases, lifecycle stages, lights, tier bases,
//! model kinds, ties, event kinds… — implements [`Code`]. Its code is the
//! one spelling used everywhere:
//!
//! * [`Code::as_code`] and `Display` print it;
//! * `FromStr` ([`Code::parse_code`]) reads it, ignoring ASCII case and
//!   surrounding blanks, and answers an unknown value with
//!   [`Error::UnknownCode`], which lists the accepted codes;
//! * with the `serde` feature, serialisation writes the code and
//!   deserialisation reads it through `FromStr`.
//!
//! The bindings never match on option strings: they call
//! `text.parse::<RetentionMode>()` and map the error. [`vocabulary`] lists
//! every vocabulary with its codes, so that each door can be tested to accept
//! and return exactly the core's codes.
//!
//! ```
//! use retention_core::cohorts::RetentionMode;
//! use retention_core::vocab::Code;
//! use retention_core::Error;
//!
//! assert_eq!("return_on_or_after".parse::<RetentionMode>()?, RetentionMode::ReturnOnOrAfter);
//! assert_eq!(RetentionMode::ReturnOn.to_string(), "return_on");
//! let Err(Error::UnknownCode { accepted, .. }) = "weekly".parse::<RetentionMode>() else { panic!() };
//! assert_eq!(accepted, RetentionMode::CODES);
//! # Ok::<(), retention_core::Error>(())
//! ```

use crate::error::{Error, Result};

/// A type whose values are named by snake_case codes (see the module docs).
pub trait Code: Sized + 'static {
    /// Name of the vocabulary, e.g. `"retention_mode"` (used in errors and
    /// in [`vocabulary`]).
    const NAME: &'static str;
    /// Every code, in declaration order.
    const CODES: &'static [&'static str];

    /// The code of this value.
    fn as_code(&self) -> &'static str;

    /// The value named by `code`, an exact member of [`Code::CODES`].
    fn from_code(code: &str) -> Option<Self>;

    /// Parses a code, ignoring ASCII case and surrounding blanks; an unknown
    /// value is [`Error::UnknownCode`] listing [`Code::CODES`].
    fn parse_code(text: &str) -> Result<Self> {
        let trimmed = text.trim();
        Self::CODES
            .iter()
            .find(|c| c.eq_ignore_ascii_case(trimmed))
            .and_then(|c| Self::from_code(c))
            .ok_or_else(|| Error::UnknownCode {
                name: Self::NAME,
                value: text.to_owned(),
                accepted: Self::CODES,
            })
    }
}

/// Implements `Display`, `FromStr` and (with the `serde` feature) serde for a
/// [`Code`] type, all through its codes. With `, serialize_by_hand` the type
/// writes its own `Serialize` (for a value that may have no code).
macro_rules! code_traits {
    ($t:ty) => {
        $crate::vocab::code_traits!($t, serialize_by_hand);

        #[cfg(feature = "serde")]
        impl serde::Serialize for $t {
            fn serialize<S: serde::Serializer>(
                &self,
                serializer: S,
            ) -> ::std::result::Result<S::Ok, S::Error> {
                serializer.serialize_str($crate::vocab::Code::as_code(self))
            }
        }
    };
    ($t:ty, serialize_by_hand) => {
        impl ::std::fmt::Display for $t {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str($crate::vocab::Code::as_code(self))
            }
        }

        impl ::std::str::FromStr for $t {
            type Err = $crate::Error;
            /// Parses the code, ignoring ASCII case and surrounding blanks.
            fn from_str(s: &str) -> $crate::Result<Self> {
                <$t as $crate::vocab::Code>::parse_code(s)
            }
        }

        #[cfg(feature = "serde")]
        impl<'de> serde::Deserialize<'de> for $t {
            fn deserialize<D: serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::std::result::Result<Self, D::Error> {
                let text =
                    <::std::string::String as serde::Deserialize>::deserialize(deserializer)?;
                <$t as $crate::vocab::Code>::parse_code(&text).map_err(serde::de::Error::custom)
            }
        }
    };
}
pub(crate) use code_traits;

/// Declares a fieldless enum whose variants are named by codes
/// (`Variant = "code"`), implementing [`Code`] with the vocabulary name
/// given after `as`, and everything [`code_traits!`] gives.
macro_rules! codes {
    (
        $(#[$meta:meta])*
        pub enum $name:ident as $vocab:literal {
            $( $(#[$vmeta:meta])* $variant:ident = $text:literal ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[repr(u8)]
        pub enum $name { $( $(#[$vmeta])* $variant ),+ }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The code of this value (see [`Code`](crate::vocab::Code)).
            pub const fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }
        }

        impl $crate::vocab::Code for $name {
            const NAME: &'static str = $vocab;
            const CODES: &'static [&'static str] = &[$($text),+];
            fn as_code(&self) -> &'static str {
                self.as_str()
            }
            fn from_code(code: &str) -> Option<Self> {
                match code {
                    $($text => Some($name::$variant),)+
                    _ => None,
                }
            }
        }

        $crate::vocab::code_traits!($name);
    };
}
pub(crate) use codes;

/// One vocabulary: its name and its codes.
pub type Vocabulary = (&'static str, &'static [&'static str]);

fn entry<T: Code>() -> Vocabulary {
    (T::NAME, T::CODES)
}

/// The [`Error::UnknownCode`] whose message is `message`, if it is one: a
/// door that reads options through a text format (JSON) gets the core's
/// error back only as text, and recovers the typed error (with its
/// accepted codes) here.
///
/// ```
/// use retention_core::segments::rfm::FrequencyBasis;
/// use retention_core::vocab::unknown_code_in;
/// use retention_core::Error;
///
/// let message = "nope".parse::<FrequencyBasis>().unwrap_err().to_string();
/// let Some(Error::UnknownCode { name, value, accepted }) = unknown_code_in(&message) else {
///     unreachable!()
/// };
/// assert_eq!((name, value.as_str()), ("frequency_basis", "nope"));
/// assert_eq!(accepted, ["orders", "order_days"]);
/// assert_eq!(unknown_code_in("missing field `bins`"), None);
/// ```
pub fn unknown_code_in(message: &str) -> Option<Error> {
    let rest = message.strip_prefix("unknown ")?;
    let (name, accepted) = vocabulary()
        .into_iter()
        .find(|(name, _)| rest.starts_with(&format!("{name} \"")))?;
    let quoted = rest.get(name.len() + 1..)?;
    let end = quoted.rfind("\": expected one of ")?;
    let value = quoted
        .get(1..end)?
        .replace("\\\"", "\"")
        .replace("\\\\", "\\");
    Some(Error::UnknownCode {
        name,
        value,
        accepted,
    })
}

/// Every vocabulary of the public API with its codes, sorted by name: the
/// values each front door must accept and return.
pub fn vocabulary() -> Vec<Vocabulary> {
    use crate::churn::health::Component;
    use crate::churn::traffic_light::{Light, RiskSource};
    use crate::cohorts::retention::{BreakdownSource, ReturnCount, ReturnEvent, StartEvent};
    use crate::cohorts::{QualifyingEvents, RetentionMode, RevenueBasis};
    use crate::error::{ErrorCode, IssueCode};
    use crate::events::{
        CellKind, DuplicatePolicy, EventType, InstantUnit, Severity, SubscriptionChange, SurveyKind,
    };
    use crate::loyalty::{EarnAction, LedgerEntryKind, TierBasis, TierTerm};
    use crate::metrics::{ActivityBasis, ChurnVariant};
    use crate::model_input::{OrdersAfterEnd, TimeUnit};
    use crate::models::clv::ClvTimeUnit;
    use crate::models::contractual::{CohortPooling, ContractualModelKind};
    use crate::models::covariates::CovariateModelKind;
    use crate::models::evaluation::{HoldoutGroupBy, MixingProcess};
    use crate::models::optim::{AttemptOutcome, OptimMethod};
    use crate::models::predictions::intervals::IntervalMethod;
    use crate::models::TransactionModelKind;
    use crate::segments::lifecycle::LifecycleStage;
    use crate::segments::rfm::{FrequencyBasis, MonetaryBasis};
    use crate::segments::rules::{Op, SummaryField};
    use crate::survival::{
        CoxResidualKind, CoxTies, CoxTimeTransform, KmConfidenceTransform, LogRankWeighting,
        NelsonAalenTies, ParametricFamily,
    };
    use crate::time::Period;
    let mut all = vec![
        entry::<ReturnCount>(),
        entry::<ReturnEvent>(),
        entry::<StartEvent>(),
        entry::<ActivityBasis>(),
        entry::<AttemptOutcome>(),
        entry::<BreakdownSource>(),
        entry::<CellKind>(),
        entry::<ChurnVariant>(),
        entry::<ClvTimeUnit>(),
        entry::<CohortPooling>(),
        entry::<ContractualModelKind>(),
        entry::<Component>(),
        entry::<CoxResidualKind>(),
        entry::<CoxTies>(),
        entry::<CoxTimeTransform>(),
        entry::<CovariateModelKind>(),
        entry::<DuplicatePolicy>(),
        entry::<EarnAction>(),
        entry::<ErrorCode>(),
        entry::<EventType>(),
        entry::<FrequencyBasis>(),
        entry::<HoldoutGroupBy>(),
        entry::<InstantUnit>(),
        entry::<IntervalMethod>(),
        entry::<IssueCode>(),
        entry::<KmConfidenceTransform>(),
        entry::<LedgerEntryKind>(),
        entry::<LifecycleStage>(),
        entry::<LogRankWeighting>(),
        entry::<Light>(),
        entry::<MixingProcess>(),
        entry::<MonetaryBasis>(),
        entry::<NelsonAalenTies>(),
        entry::<Op>(),
        entry::<OptimMethod>(),
        entry::<OrdersAfterEnd>(),
        entry::<ParametricFamily>(),
        entry::<Period>(),
        entry::<QualifyingEvents>(),
        entry::<RetentionMode>(),
        entry::<RevenueBasis>(),
        entry::<RiskSource>(),
        entry::<Severity>(),
        entry::<SubscriptionChange>(),
        entry::<SummaryField>(),
        entry::<SurveyKind>(),
        entry::<TierBasis>(),
        entry::<TierTerm>(),
        entry::<TimeUnit>(),
        entry::<TransactionModelKind>(),
    ];
    all.sort_by_key(|(name, _)| *name);
    all
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_codes_are_snake_case_and_unique() {
        let all = vocabulary();
        for pair in all.windows(2) {
            assert_ne!(pair[0].0, pair[1].0, "duplicate vocabulary name");
        }
        for (name, codes) in &all {
            assert!(!codes.is_empty(), "{name}");
            for (i, code) in codes.iter().enumerate() {
                let symbol = *name == "operator";
                assert!(
                    symbol
                        || code
                            .chars()
                            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_'),
                    "{name}: {code:?} is not snake_case"
                );
                assert!(!codes[..i].contains(code), "{name}: {code:?} twice");
            }
        }
    }

    #[test]
    fn every_code_parses_back_to_itself_and_unknown_ones_list_the_codes() {
        fn check<T: Code + std::fmt::Debug + PartialEq>() {
            for code in T::CODES {
                let value = T::parse_code(code).unwrap();
                assert_eq!(value.as_code(), *code);
                assert_eq!(
                    T::parse_code(&format!(" {} ", code.to_uppercase())).unwrap(),
                    value
                );
            }
            let err = T::parse_code("no such code").unwrap_err();
            assert_eq!(
                err,
                Error::UnknownCode {
                    name: T::NAME,
                    value: "no such code".into(),
                    accepted: T::CODES
                }
            );
            let text = err.to_string();
            for code in T::CODES {
                assert!(text.contains(&format!("{code:?}")), "{text}");
            }
        }
        use crate::cohorts::{QualifyingEvents, RetentionMode, RevenueBasis};
        use crate::models::TransactionModelKind;
        use crate::segments::lifecycle::LifecycleStage;
        use crate::time::Period;
        check::<RetentionMode>();
        check::<QualifyingEvents>();
        check::<RevenueBasis>();
        check::<TransactionModelKind>();
        check::<LifecycleStage>();
        check::<Period>();
    }
}
