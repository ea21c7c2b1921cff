//! Customer-retention analytics in pure Rust: who is staying, who is leaving,
//! what each customer is worth, and which ones to act on.
//!
//! The crate does no I/O and never reads the clock: every time-dependent
//! computation takes an explicit `as_of` or window. Every public function
//! validates its input and answers with a typed [`Error`] instead of panicking
//! or returning NaN.
//!
//! * [`events`]: customer ids, event kinds and the validated, columnar
//!   [`events::EventLog`]; [`csv_input`] reads and writes it as CSV text.
//! * [`summary`]: per-customer summaries, mergeable across any split of the log.
//! * [`metrics`]: retention, churn, repeat purchase, AOV, lifespan, referral,
//!   engagement, the MRR bridge, NPS / CSAT / CES / loyalty index, CLV formulas.
//! * [`cohorts`]: acquisition or labelled cohorts, retention / churn / revenue /
//!   LTV matrices; [`cohort_cells`]: their mergeable counts (for partitioned
//!   data).
//! * [`segments`]: RFM, lifecycle stages, value tiers, rule segments.
//! * [`loyalty`]: points ledger with expiry by age and inactivity, referrals,
//!   tiers over a term with grace periods, the widget's ways to earn and redeem.
//! * [`churn`]: health score with reasons, traffic light, supervised model.
//! * [`shopper`]: one shopper's storefront view (tier, points, risk badge,
//!   lifecycle stage, RFM segment) in one call.
//! * [`experiments`]: two-proportion z-test for retention A/B comparisons.
//! * [`model_input`]: frequency / recency / `T` / monetary value for the
//!   buy-till-you-die models, with the calibration/holdout split.
//! * [`sample`]: a seeded, deterministic sample shop.
//! * [`special`]: log-gamma, digamma, log-beta, ₂F₁, incomplete gamma, erfc,
//!   normal and chi-square tails.
//! * [`time`]: calendar periods (day, week, month, quarter, year) and instants.
//! * [`error`]: the error type.
//!
//! See the repository README for worked examples; they are compiled and run as
//! doc-tests.
#![forbid(unsafe_code)]
#![deny(missing_docs)]

/// Implements `Serialize` for a result struct as its fields followed by the
/// values its methods compute (ratios, labels, explanations), so that every
/// door shows them as fields (computed by the one formula, never stored
/// stale); reading it back with serde takes the fields and ignores the
/// computed ones. A field written `name via conv` is serialized as
/// `conv(self.name)` (e.g. `start via crate::time::from_micros`, so that an
/// instant is RFC 3339 text like every instant of the core's serde).
macro_rules! serialize_with_ratios {
    (
        $t:ident { $($field:ident $(via $conv:path)?),* $(,)? }
        { $($name:ident: $ratio:expr),* $(,)? }
    ) => {
        #[cfg(feature = "serde")]
        impl serde::Serialize for $t {
            fn serialize<S: serde::Serializer>(
                &self,
                serializer: S,
            ) -> ::std::result::Result<S::Ok, S::Error> {
                use serde::ser::SerializeStruct;
                let len = [$(stringify!($field),)* $(stringify!($name),)*].len();
                let mut out = serializer.serialize_struct(stringify!($t), len)?;
                $(out.serialize_field(stringify!($field), &($($conv)?(self.$field)))?;)*
                $(out.serialize_field(stringify!($name), &($ratio)(self))?;)*
                out.end()
            }
        }
    };
}

pub mod churn;
pub mod cohort_cells;
pub mod cohorts;
pub mod csv_input;
pub mod defaults;
pub mod error;
pub mod events;
pub mod experiments;
pub(crate) mod intervals;
mod linalg;
pub mod loyalty;
pub mod metrics;
pub mod model_input;
pub mod models;
pub mod sample;
pub mod segments;
pub mod shopper;
pub mod special;
pub mod summary;
pub mod survival;
pub mod table;
pub mod time;
pub mod vocab;

pub use error::{Error, ErrorCode, IssueCode, IssueKind, Result, RowIssue};
pub use vocab::Code;

/// The repository README's examples, run as doc-tests.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
pub struct ReadmeDoctests;
