//! Customer segmentation.
//!
//! * [`rfm`]: recency / frequency / monetary scores by rank-first quantiles or
//!   fixed thresholds, and named segments from a rule table.
//! * [`rfm_cuts`]: the same quantile scores for customers spread over
//!   partitions, from value histograms and cut keys.
//! * [`lifecycle`]: Prospect, New, Active, At Risk, Lapsed, Reactivated, Loyal.
//! * [`period_lifecycle`]: new, returning, resurrecting and dormant customers
//!   per calendar period, and stickiness.
//! * [`tiers`]: value tiers by percentile of historic or predicted CLV.
//! * [`rules`]: caller-defined, composable predicates over summary fields and
//!   customer attributes.
//!
//! Each submodule's documentation states its definitions.

pub mod lifecycle;
pub mod period_lifecycle;
pub mod rfm;
pub mod rfm_cuts;
pub mod rules;
pub mod tiers;
