//! Retention experiments: two-proportion z-test between a treatment and a
//! control cohort.
//!
//! # The test
//!
//! With `x_t` successes (retained customers, or churned ones) out of `n_t` in
//! the treatment group and `x_c` out of `n_c` in the control group:
//!
//! * rates `p_t = x_t / n_t`, `p_c = x_c / n_c`, difference `d = p_t − p_c`;
//! * **unpooled** standard error `SE = √(p_t(1 − p_t)/n_t + p_c(1 − p_c)/n_c)`,
//!   used for the confidence interval `d ± z_{1−α/2} · SE` (the Wald interval;
//!   not clipped to `[−1, 1]`);
//! * **pooled** standard error `SE₀ = √(p̂(1 − p̂)(1/n_t + 1/n_c))` with
//!   `p̂ = (x_t + x_c)/(n_t + n_c)`, the standard error under the null
//!   hypothesis `p_t = p_c`, used for the test statistic `z = d / SE₀`;
//! * two-sided p-value `2 Φ(−|z|)`.
//!
//! This is the textbook convention (e.g. OpenIntro Statistics, 4th ed., §6.2)
//! and what `statsmodels` computes with `proportions_ztest` and
//! `confint_proportions_2indep(method="wald")`. When `p̂` is 0 or 1 both
//! groups are all-failure or all-success, `SE₀ = 0` and `z` and the p-value
//! are undefined: they are `None`.
//!
//! For churn instead of retention, pass the churned counts (see
//! [`Proportion::complement`]); the difference changes sign, `|z|` and the
//! p-value do not.
//!
//! # Normal distribution
//!
//! The critical value and the p-value come from
//! [`crate::special::normal_quantile`] and
//! [`crate::special::normal_two_sided_p`], pure-Rust
//! implementations with relative error about 1e-15 (see [`crate::special`]).

use chrono::{DateTime, Utc};

use crate::cohorts::label_pairs;
use crate::error::{in_range, Error, Result};
use crate::events::{CustomerId, EventLog, EventType};
use crate::special::{normal_quantile, normal_two_sided_p};
use crate::survival::{churn_durations, logrank_test, ChurnBasis, LogRankTest};
use crate::time::{to_micros, window_days};

/// A count of successes out of a total.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Proportion {
    /// Number of successes (e.g. retained customers).
    pub successes: u64,
    /// Group size.
    pub total: u64,
}

impl Proportion {
    /// `successes` out of `total`.
    pub const fn new(successes: u64, total: u64) -> Self {
        Proportion { successes, total }
    }

    /// Failures out of the same total (retained ↔ churned).
    pub fn complement(self) -> Self {
        Proportion {
            successes: self.total.saturating_sub(self.successes),
            total: self.total,
        }
    }

    /// The rate `successes / total`; `None` for an empty group.
    pub fn rate(self) -> Option<f64> {
        (self.total > 0).then(|| self.successes as f64 / self.total as f64)
    }
}

/// Options of [`two_proportion_z_test`].
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(default, deny_unknown_fields))]
pub struct ZTestOptions {
    /// Confidence level of the interval, strictly between 0 and 1 (default 0.95).
    pub confidence: f64,
}

impl Default for ZTestOptions {
    fn default() -> Self {
        ZTestOptions { confidence: 0.95 }
    }
}

/// Result of a two-proportion z-test (treatment − control).
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct ProportionComparison {
    /// Treatment rate `p_t`.
    pub treatment_rate: f64,
    /// Control rate `p_c`.
    pub control_rate: f64,
    /// `p_t − p_c`.
    pub difference: f64,
    /// Unpooled standard error of the difference (used for the interval).
    pub standard_error: f64,
    /// Pooled standard error under the null hypothesis (used for `z`).
    pub pooled_standard_error: f64,
    /// Confidence level of the interval.
    pub confidence: f64,
    /// Lower end of the confidence interval of the difference.
    pub ci_low: f64,
    /// Upper end of the confidence interval of the difference.
    pub ci_high: f64,
    /// Test statistic `difference / pooled_standard_error`; `None` when the
    /// pooled standard error is 0.
    pub z: Option<f64>,
    /// Two-sided p-value; `None` when `z` is.
    pub p_value: Option<f64>,
}

/// Two-proportion z-test of `treatment` against `control` (see the module docs).
///
/// Errors: an empty group ([`Error::EmptyInput`]), more successes than the
/// total, or a confidence outside `(0, 1)` ([`Error::InvalidParameter`]).
///
/// ```
/// use retention_core::experiments::{two_proportion_z_test, Proportion, ZTestOptions};
///
/// let r = two_proportion_z_test(Proportion::new(420, 1000), Proportion::new(380, 1000), &ZTestOptions::default())?;
/// assert!((r.difference - 0.04).abs() < 1e-12);
/// assert!((r.z.unwrap() - 1.8257).abs() < 1e-4);
/// assert!((r.p_value.unwrap() - 0.0679).abs() < 1e-4);
/// # Ok::<(), retention_core::Error>(())
/// ```
pub fn two_proportion_z_test(
    treatment: Proportion,
    control: Proportion,
    options: &ZTestOptions,
) -> Result<ProportionComparison> {
    let confidence = in_range(
        "confidence",
        options.confidence,
        0.0,
        1.0,
        "must be strictly between 0 and 1",
    )?;
    if confidence == 0.0 || confidence == 1.0 {
        return Err(Error::parameter(
            "confidence",
            confidence,
            "must be strictly between 0 and 1",
        ));
    }
    let check = |p: Proportion, what: &'static str, field: &'static str| -> Result<f64> {
        if p.total == 0 {
            return Err(Error::EmptyInput { what });
        }
        if p.successes > p.total {
            return Err(Error::parameter(
                field,
                p.successes,
                "successes must not exceed the group total",
            ));
        }
        Ok(p.successes as f64 / p.total as f64)
    };
    let pt = check(treatment, "treatment group", "treatment.successes")?;
    let pc = check(control, "control group", "control.successes")?;
    let (nt, nc) = (treatment.total as f64, control.total as f64);
    let difference = pt - pc;
    let standard_error = (pt * (1.0 - pt) / nt + pc * (1.0 - pc) / nc).sqrt();
    let pooled = (treatment.successes as f64 + control.successes as f64) / (nt + nc);
    let pooled_standard_error = (pooled * (1.0 - pooled) * (1.0 / nt + 1.0 / nc)).sqrt();
    let critical = normal_quantile(1.0 - (1.0 - confidence) / 2.0).unwrap_or(0.0);
    let z = (pooled_standard_error > 0.0).then(|| difference / pooled_standard_error);
    let p_value = z.map(normal_two_sided_p);
    Ok(ProportionComparison {
        treatment_rate: pt,
        control_rate: pc,
        difference,
        standard_error,
        pooled_standard_error,
        confidence,
        ci_low: difference - critical * standard_error,
        ci_high: difference + critical * standard_error,
        z,
        p_value,
    })
}

/// The window in which a customer must order to count as retained.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct RetentionWindow {
    /// First instant of the window (inclusive).
    pub start: DateTime<Utc>,
    /// Length in days (at least 1); the window is `[start, start + days)`.
    pub days: u32,
}

/// Retention counts of the two groups of an experiment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct ExperimentCounts {
    /// Retained / size of the treatment group.
    pub treatment: Proportion,
    /// Retained / size of the control group.
    pub control: Proportion,
}

/// Counts, for two labelled groups, the customers with ≥ 1 order in `window`.
///
/// `customers[i]` carries `labels[i]`; customers labelled `treatment` or
/// `control` form the groups, other labels are ignored. Every listed customer
/// must occur in the log ([`Error::UnknownCustomer`]), a customer listed twice
/// with different labels is an [`Error::InvalidRows`], and the slices must
/// have the same length. The window must end at or before `as_of`, and the
/// log must hold no event after `as_of`.
///
/// ```
/// use chrono::{TimeZone, Utc};
/// use retention_core::events::{CustomerId, Event, EventLog, LogOptions};
/// use retention_core::experiments::{retention_counts, Proportion, RetentionWindow};
///
/// let d = |day| Utc.with_ymd_and_hms(2024, 6, day, 9, 0, 0).unwrap();
/// let log = EventLog::from_events(
///     &[Event::order(1, d(1), 9.0), Event::order(1, d(20), 9.0), Event::order(2, d(2), 5.0)],
///     LogOptions::default(),
/// )?;
/// let ids = [CustomerId::Int(1), CustomerId::Int(2)];
/// let window = RetentionWindow { start: d(10), days: 14 };
/// let counts = retention_counts(&log, &ids, &["offer", "control"], "offer", "control", window, d(30))?;
/// assert_eq!(counts.treatment, Proportion::new(1, 1));
/// assert_eq!(counts.control, Proportion::new(0, 1));
/// # Ok::<(), retention_core::Error>(())
/// ```
pub fn retention_counts<S: AsRef<str>>(
    log: &EventLog,
    customers: &[CustomerId],
    labels: &[S],
    treatment: &str,
    control: &str,
    window: RetentionWindow,
    as_of: DateTime<Utc>,
) -> Result<ExperimentCounts> {
    if treatment == control {
        return Err(Error::parameter(
            "control",
            control,
            "the control label must differ from the treatment label",
        ));
    }
    let length = window_days("window.days", window.days)?;
    let start = to_micros(window.start);
    let end = start.saturating_add(length);
    let as_of = to_micros(as_of);
    if end > as_of {
        return Err(Error::parameter(
            "window",
            window,
            "the window must end at or before as_of",
        ));
    }
    log.check_as_of(as_of)?;
    let pairs = label_pairs(log, customers, labels)?;
    let times = log.times();
    let kinds = log.event_types();
    let mut counts = ExperimentCounts::default();
    for (c, label) in pairs {
        let group = if label == treatment {
            &mut counts.treatment
        } else if label == control {
            &mut counts.control
        } else {
            continue;
        };
        let range = log.customer_range(c);
        // Events are time-ordered per customer: find the window by bisection.
        let slice = &times[range.clone()];
        let from = range.start + slice.partition_point(|&t| t < start);
        let to = range.start + slice.partition_point(|&t| t < end);
        group.total += 1;
        if (from..to).any(|i| kinds[i] == EventType::Order) {
            group.successes += 1;
        }
    }
    Ok(counts)
}

/// Log-rank comparison of the treatment and control groups' survival curves:
/// each customer's time to churn from [`churn_durations`] (censored at
/// `as_of`), split by label. Labels and customers as in [`retention_counts`];
/// customers without a start of life under `basis` are left out.
pub fn survival_comparison<S: AsRef<str>>(
    log: &EventLog,
    customers: &[CustomerId],
    labels: &[S],
    treatment: &str,
    control: &str,
    as_of: DateTime<Utc>,
    basis: ChurnBasis,
) -> Result<LogRankTest> {
    if treatment == control {
        return Err(Error::parameter(
            "control",
            control,
            "the control label must differ from the treatment label",
        ));
    }
    let pairs = label_pairs(log, customers, labels)?;
    let lives = churn_durations(log, to_micros(as_of), basis)?;
    let (mut t_d, mut t_e, mut c_d, mut c_e) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for (c, label) in pairs {
        let Some(id) = log.customers().get(c) else {
            continue;
        };
        let Ok(k) = lives.ids.binary_search(id) else {
            continue;
        };
        let (d, e) = if label == treatment {
            (&mut t_d, &mut t_e)
        } else if label == control {
            (&mut c_d, &mut c_e)
        } else {
            continue;
        };
        d.push(lives.durations[k]);
        e.push(lives.churned[k]);
    }
    logrank_test(&t_d, &t_e, &c_d, &c_e)
}
