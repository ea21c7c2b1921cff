//! Holdout evaluation of a fitted continuous-time transaction model
//! (BG/NBD, MBG/NBD, Pareto/NBD): how well its predictions track what the
//! customers actually did.
//!
//! Four views, each the number behind one of the usual diagnostic charts
//! (Fader, Hardie & Lee 2005a, Figures 2–4), plus the path of P(alive) and
//! the mixing distributions of the model.
//!
//! # Tracking series ([`tracking_series`])
//!
//! Periods are those of a [`TimeUnit`] (days, Monday–Sunday weeks, calendar
//! months), numbered `0, 1, …` from the period of the earliest order. A
//! customer belongs to the *cohort* `c` of the period of their first order;
//! each later period in which they ordered is one *repeat transaction*
//! (several orders in one period count once, as in the model inputs). With
//! `n_c` customers in cohort `c`, `a_p` repeat transactions in period `p`,
//! a `multiplier` `m` (periods per model time unit) and `E[X(t)]` the
//! model's expected repeat purchases of a new customer in `(0, t]`, row
//! `k = 0, 1, …, ⌊t/m⌋ − 1` of the series, at period `i = (k + 1)·m`, is
//!
//! ```text
//! actual_cumulative[k]   = Σ_{p < i} a_p
//! expected_cumulative[k] = Σ_{c < i} n_c · E[X((i − c) / m)]
//! ```
//!
//! and the incremental columns are the differences of consecutive rows (the
//! first row's is the cumulative value itself). The expected column is the
//! aggregate forecast of Fader, Hardie & Lee (2005a, Figure 2; 2005c): every
//! cohort's expected purchases since its first order, summed. These are the
//! definitions of `lifetimes.utils.expected_cumulative_transactions`
//! (lifetimes 0.11.3), whose `set_index_date` labels row `k` with period
//! `i − 1`, the last period it counts.
//!
//! # Conditional expectations ([`conditional_holdout_table`])
//!
//! For each customer with calibration history `(x, tₓ, T)`, the model's
//! conditional expectation of purchases in the holdout of length `t*`,
//! `E[X(T, T + t*) | x, tₓ, T]`, next to the purchases actually made there.
//! Customers are grouped by one calibration figure ([`HoldoutGroupBy`]:
//! frequency, recency, age or `T − tₓ`); per distinct value (ascending, the
//! first `max_groups`) the table gives the count of customers and the means
//! of both (Fader, Hardie & Lee 2005a, Figure 4; lifetimes'
//! `plot_calibration_purchases_vs_holdout_purchases`).
//!
//! # Frequency distribution ([`period_transactions`])
//!
//! The number of customers with `n` repeat purchases in the calibration
//! period, observed and expected: `Σᵢ wᵢ · P(X(Tᵢ) = n)` for
//! `n < max_frequency`, and the rest of the probability for the last
//! bucket, `n ≥ max_frequency` (Fader, Hardie & Lee 2005a, Figure 3).
//! `lifetimes.plotting.plot_period_transactions` draws a simulated
//! histogram instead (`generate_new_data`); this is its expectation.
//!
//! # Error metrics ([`holdout_metrics`], [`tracking_mape`])
//!
//! For predictions `ŷᵢ` and actual holdout purchases `yᵢ` of `n` customers:
//!
//! ```text
//! MAE  = Σ |ŷᵢ − yᵢ| / n
//! RMSE = √(Σ (ŷᵢ − yᵢ)² / n)
//! r    = Σ (ŷᵢ − ŷ̄)(yᵢ − ȳ) / √(Σ (ŷᵢ − ŷ̄)² · Σ (yᵢ − ȳ)²)   (Pearson)
//! ```
//!
//! (`r` is absent when either column is constant). Over a tracking series,
//! with cumulative actual `Aₖ` and expected `Eₖ`:
//!
//! ```text
//! MAPE = 100 · Σ_{k: Aₖ > 0} |Eₖ − Aₖ| / Aₖ  /  #{k: Aₖ > 0}
//! ```
//!
//! (rows with no actual transaction yet are left out: the percentage error
//! is undefined there). Pass the holdout rows only to score the forecast.
//!
//! # P(alive) path ([`alive_path`]) and heterogeneity ([`heterogeneity`])
//!
//! For one customer, P(alive) at the start of each period `T = 0, 1, …`
//! since the first purchase, with the history up to that period
//! (`lifetimes.utils.calculate_alive_path`); and the densities of the
//! mixing distributions: the purchase rate `λ ~ Gamma(r, α)` and the dropout
//! probability `p ~ Beta(a, b)` (BG/NBD, MBG/NBD) or dropout rate
//! `μ ~ Gamma(s, β)` (Pareto/NBD), on 100 points from 0 to the 99th
//! percentile (lifetimes' heterogeneity plots).
//!
//! # Limits
//!
//! The work grows with the number of periods and groups: at most
//! [`MAX_PERIODS`] tracking or path periods, [`MAX_GROUPS`] table groups and
//! [`MAX_FREQUENCY`] frequency buckets; beyond them the functions return
//! [`Error::InvalidParameter`](crate::Error::InvalidParameter).
//!
//! # References
//!
//! * Fader, P. S., Hardie, B. G. S. & Lee, K. L. (2005a). "Counting your
//!   customers" the easy way: an alternative to the Pareto/NBD model.
//!   *Marketing Science* 24(2), 275–284 (Figures 2–4).
//! * Fader, P. S., Hardie, B. G. S. & Lee, K. L. (2005c). A note on
//!   implementing the Pareto/NBD model in MATLAB
//!   (<http://brucehardie.com/notes/008/>), the cumulative tracking forecast.
//!
//! [`TimeUnit`]: crate::model_input::TimeUnit

mod alive_path;
mod frequency;
mod heterogeneity;
mod holdout;
#[cfg(test)]
mod tests;
mod tracking;

pub use alive_path::alive_path;
pub use frequency::{period_transactions, FrequencyBucket};
pub use heterogeneity::{heterogeneity, Heterogeneity, MixingProcess};
pub use holdout::{
    conditional_holdout_table, holdout_metrics, tracking_mape, HoldoutData, HoldoutGroup,
    HoldoutGroupBy, HoldoutMetrics,
};
pub use tracking::{tracking, tracking_counts, tracking_series, TrackingCounts, TrackingRow};

/// Defaults of the evaluation functions' unit and work-setting arguments
/// (for the front doors; the core functions take every argument).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(default, deny_unknown_fields))]
pub struct EvaluationOptions {
    /// Period unit of a tracking series (days).
    pub unit: crate::model_input::TimeUnit,
    /// Periods per model time unit (1).
    pub multiplier: usize,
    /// Grouping of a conditional holdout table (calibration frequency).
    pub group_by: HoldoutGroupBy,
    /// Groups of a conditional holdout table (7, lifetimes' `n`).
    pub max_groups: usize,
    /// First frequency of the open bucket of [`period_transactions`] (7,
    /// lifetimes' `max_frequency`).
    pub max_frequency: usize,
}

impl Default for EvaluationOptions {
    fn default() -> Self {
        EvaluationOptions {
            unit: crate::model_input::TimeUnit::Day,
            multiplier: 1,
            group_by: HoldoutGroupBy::FrequencyCal,
            max_groups: 7,
            max_frequency: 7,
        }
    }
}

/// Most periods of a tracking series or P(alive) path (the tracking series
/// costs a multiply-add per cohort and period).
pub const MAX_PERIODS: usize = 20_000;

/// Most groups of a conditional holdout table.
pub const MAX_GROUPS: usize = 100_000;

/// Most frequency buckets of [`period_transactions`].
pub const MAX_FREQUENCY: usize = 1_000;

/// Checks a work-setting count: `1 ≤ value ≤ max`, `limit` naming the
/// maximum in the error.
fn check_count(
    name: &'static str,
    value: usize,
    max: usize,
    limit: &'static str,
) -> crate::Result<usize> {
    if value == 0 {
        Err(crate::Error::parameter(name, value, "must be at least 1"))
    } else if value > max {
        Err(crate::Error::parameter(name, value, limit))
    } else {
        Ok(value)
    }
}
