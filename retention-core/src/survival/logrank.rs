//! Log-rank test for two or more groups, its weighted variants
//! (Wilcoxon/Gehan–Breslow, Tarone–Ware, Peto–Peto, Fleming–Harrington),
//! case weights, a truncation time `t_0`, and pairwise comparisons.
//!
//! See the [module overview](super) for the statistics and references.

use super::keys::{duration_key, order_by_keys};
use crate::error::{Error, IssueKind, Issues, Result};
use crate::linalg::psd_quadratic_form;
use crate::special::chi_square_sf;

crate::vocab::codes! {
    /// The weight `w_j` given to each event time in a (weighted) log-rank
    /// test; lifelines' `weightings=` (`None` is [`LogRankWeighting::LogRank`]).
    #[non_exhaustive]
    #[derive(Default)]
    pub enum LogRankWeighting as "logrank_weighting" {
        /// `w_j = 1`: the log-rank (Mantel–Cox) test.
        #[default]
        LogRank = "logrank",
        /// `w_j = n_j`, the number at risk: the Wilcoxon (Gehan–Breslow)
        /// test, sensitive to early differences.
        Wilcoxon = "wilcoxon",
        /// `w_j = √n_j` (Tarone & Ware 1977).
        TaroneWare = "tarone_ware",
        /// `w_j = ∏_{i ≤ j} (1 − d_i / (n_i + 1))`, Peto & Peto's modified
        /// survival estimate (the product includes `t_j`, as in lifelines).
        Peto = "peto",
        /// `w_j = Ŝ(t_j−)^p (1 − Ŝ(t_j−))^q` with the left-continuous
        /// Kaplan–Meier estimate of the pooled sample (Fleming & Harrington
        /// 1991); `p` and `q` are [`LogRankOptions::p`] and
        /// [`LogRankOptions::q`].
        FlemingHarrington = "fleming_harrington",
    }
}

/// Options of the log-rank family of tests.
#[derive(Debug, Clone, Copy, PartialEq)]
#[non_exhaustive]
pub struct LogRankOptions {
    /// Weight of each event time. Default [`LogRankWeighting::LogRank`].
    pub weighting: LogRankWeighting,
    /// Fleming–Harrington exponent of `Ŝ` (finite, `≥ 0`; used only by
    /// [`LogRankWeighting::FlemingHarrington`]). Default 0.
    pub p: f64,
    /// Fleming–Harrington exponent of `1 − Ŝ` (finite, `≥ 0`). Default 0.
    pub q: f64,
    /// End of follow-up: events after `t_0` are counted as censored
    /// (lifelines' `t_0`; `None`, the default, keeps every event).
    pub t_0: Option<f64>,
}

impl Default for LogRankOptions {
    fn default() -> Self {
        LogRankOptions {
            weighting: LogRankWeighting::LogRank,
            p: 0.0,
            q: 0.0,
            t_0: None,
        }
    }
}

impl LogRankOptions {
    /// Options for `weighting` with the other fields at their defaults.
    pub fn new(weighting: LogRankWeighting) -> Self {
        LogRankOptions {
            weighting,
            ..Self::default()
        }
    }

    fn validate(&self) -> Result<()> {
        for (name, v) in [("p", self.p), ("q", self.q)] {
            if !(v.is_finite() && v >= 0.0) {
                return Err(Error::parameter(name, v, "must be finite and non-negative"));
            }
        }
        if let Some(t) = self.t_0 {
            if t.is_nan() {
                return Err(Error::parameter("t_0", t, "must be a number"));
            }
        }
        Ok(())
    }
}

/// Result of a log-rank test.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct LogRankTest {
    /// The chi-square statistic `Zᵀ V⁻ Z` (see the module overview).
    pub test_statistic: f64,
    /// Degrees of freedom: number of groups minus one.
    pub degrees_of_freedom: usize,
    /// `P(χ²_df > statistic)`.
    pub p_value: f64,
    /// Observed events per group, counted with the case weights but not
    /// the test's weighting (groups in ascending label order; for
    /// [`logrank_test`], `[a, b]`).
    pub observed: Vec<f64>,
    /// Expected events per group under the null hypothesis of equal
    /// hazards, on the same scale as `observed`.
    pub expected: Vec<f64>,
}

/// One comparison of [`pairwise_logrank_test`].
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct PairwiseLogRank {
    /// Index of the first group in ascending label order.
    pub a: usize,
    /// Index of the second group (`a < b`).
    pub b: usize,
    /// The two-group test of `a` against `b`.
    pub test: LogRankTest,
}

/// Two-sample log-rank test of group `a` against group `b` (lifelines'
/// `logrank_test` with default arguments).
///
/// # Errors
/// As [`logrank_test_with`].
pub fn logrank_test(
    durations_a: &[f64],
    event_observed_a: &[bool],
    durations_b: &[f64],
    event_observed_b: &[bool],
) -> Result<LogRankTest> {
    logrank_test_with(
        durations_a,
        event_observed_a,
        None,
        durations_b,
        event_observed_b,
        None,
        &LogRankOptions::default(),
    )
}

/// Two-sample (weighted) log-rank test of group `a` against group `b` with
/// optional case weights (lifelines' `logrank_test` with `weights_A`,
/// `weights_B`, `t_0` and `weightings`).
///
/// # Errors
/// [`Error::LengthMismatch`] (`event_observed_a`/`b`, `weights_a`/`b`),
/// [`Error::EmptyInput`] when a group is empty, [`Error::InvalidRows`]
/// listing every non-finite duration (field `duration_a` or
/// `duration_b`) and every weight that is not finite and positive (field
/// `weight_a`/`weight_b`; row index within that group), and
/// [`Error::InvalidParameter`] for bad options.
pub fn logrank_test_with(
    durations_a: &[f64],
    event_observed_a: &[bool],
    weights_a: Option<&[f64]>,
    durations_b: &[f64],
    event_observed_b: &[bool],
    weights_b: Option<&[f64]>,
    options: &LogRankOptions,
) -> Result<LogRankTest> {
    options.validate()?;
    for (d, e, w, field, wfield) in [
        (
            durations_a,
            event_observed_a,
            weights_a,
            "event_observed_a",
            "weights_a",
        ),
        (
            durations_b,
            event_observed_b,
            weights_b,
            "event_observed_b",
            "weights_b",
        ),
    ] {
        crate::error::check_len(field, d.len(), e.len())?;
        if let Some(w) = w {
            crate::error::check_len(wfield, d.len(), w.len())?;
        }
    }
    if durations_a.is_empty() {
        return Err(Error::EmptyInput {
            what: "durations_a",
        });
    }
    if durations_b.is_empty() {
        return Err(Error::EmptyInput {
            what: "durations_b",
        });
    }
    let mut issues = Issues::default();
    check_rows(
        &mut issues,
        durations_a,
        weights_a,
        "duration_a",
        "weight_a",
    );
    check_rows(
        &mut issues,
        durations_b,
        weights_b,
        "duration_b",
        "weight_b",
    );
    issues.finish()?;
    let durations: Vec<f64> = durations_a.iter().chain(durations_b).copied().collect();
    let events: Vec<bool> = event_observed_a
        .iter()
        .chain(event_observed_b)
        .copied()
        .collect();
    let weights: Vec<f64> = weights_or_ones(weights_a, durations_a.len())
        .chain(weights_or_ones(weights_b, durations_b.len()))
        .collect();
    let groups: Vec<usize> = std::iter::repeat_n(0, durations_a.len())
        .chain(std::iter::repeat_n(1, durations_b.len()))
        .collect();
    let rows = Rows {
        durations: &durations,
        events: &events,
        weights: &weights,
        groups: &groups,
    };
    Ok(logrank_dense(&rows, 2, options))
}

/// Log-rank test of equal hazards across all groups (lifelines'
/// `multivariate_logrank_test` with default arguments); `groups[i]` is the
/// label of subject `i`. Per-group results are in ascending label order.
///
/// # Errors
/// As [`multivariate_logrank_test_with`].
pub fn multivariate_logrank_test<G: Ord>(
    durations: &[f64],
    event_observed: &[bool],
    groups: &[G],
) -> Result<LogRankTest> {
    multivariate_logrank_test_with(
        durations,
        event_observed,
        groups,
        None,
        &LogRankOptions::default(),
    )
}

/// (Weighted) log-rank test across all groups with optional case
/// `weights` (lifelines' `multivariate_logrank_test` with `weights`, `t_0`
/// and `weightings`). Per-group results are in ascending label order.
///
/// # Errors
/// [`Error::LengthMismatch`], [`Error::EmptyInput`], [`Error::InvalidRows`]
/// for bad durations (field `duration`) or weights (field `weight`, finite
/// and positive), and [`Error::InvalidParameter`] for bad options or
/// (`groups`) fewer than two distinct groups.
pub fn multivariate_logrank_test_with<G: Ord>(
    durations: &[f64],
    event_observed: &[bool],
    groups: &[G],
    weights: Option<&[f64]>,
    options: &LogRankOptions,
) -> Result<LogRankTest> {
    let (dense, k) = dense_groups(durations, event_observed, groups, weights, options)?;
    let w: Vec<f64> = weights_or_ones(weights, durations.len()).collect();
    let rows = Rows {
        durations,
        events: event_observed,
        weights: &w,
        groups: &dense,
    };
    Ok(logrank_dense(&rows, k, options))
}

/// The two-group test for every pair of groups (lifelines'
/// `pairwise_logrank_test`), pairs `(a, b)` with `a < b` in ascending label
/// order, each test using only the subjects of its two groups.
///
/// # Errors
/// As [`multivariate_logrank_test_with`].
pub fn pairwise_logrank_test<G: Ord>(
    durations: &[f64],
    event_observed: &[bool],
    groups: &[G],
    weights: Option<&[f64]>,
    options: &LogRankOptions,
) -> Result<Vec<PairwiseLogRank>> {
    let (dense, k) = dense_groups(durations, event_observed, groups, weights, options)?;
    let w: Vec<f64> = weights_or_ones(weights, durations.len()).collect();
    let mut out = Vec::with_capacity(k * (k - 1) / 2);
    for a in 0..k {
        for b in a + 1..k {
            let keep: Vec<usize> = (0..durations.len())
                .filter(|&i| dense[i] == a || dense[i] == b)
                .collect();
            let pick = |v: &[f64]| keep.iter().map(|&i| v[i]).collect::<Vec<f64>>();
            let d = pick(durations);
            let wt = pick(&w);
            let e: Vec<bool> = keep.iter().map(|&i| event_observed[i]).collect();
            let g: Vec<usize> = keep.iter().map(|&i| usize::from(dense[i] == b)).collect();
            let rows = Rows {
                durations: &d,
                events: &e,
                weights: &wt,
                groups: &g,
            };
            out.push(PairwiseLogRank {
                a,
                b,
                test: logrank_dense(&rows, 2, options),
            });
        }
    }
    Ok(out)
}

fn weights_or_ones(w: Option<&[f64]>, n: usize) -> impl Iterator<Item = f64> + '_ {
    let ones = std::iter::repeat_n(1.0, if w.is_some() { 0 } else { n });
    w.unwrap_or(&[]).iter().copied().chain(ones)
}

fn check_rows(
    issues: &mut Issues,
    durations: &[f64],
    weights: Option<&[f64]>,
    dfield: &'static str,
    wfield: &'static str,
) {
    for (row, &d) in durations.iter().enumerate() {
        // Any finite time: only the order of the times enters the test, and
        // lifelines accepts negative durations too.
        if !d.is_finite() {
            issues.push(row, dfield, d, IssueKind::NotFinite);
        }
        if let Some(&w) = weights.and_then(|w| w.get(row)) {
            if !w.is_finite() {
                issues.push(row, wfield, w, IssueKind::NotFinite);
            } else if w <= 0.0 {
                let kind = IssueKind::OutOfRange {
                    min: f64::MIN_POSITIVE,
                    max: f64::MAX,
                };
                issues.push(row, wfield, w, kind);
            }
        }
    }
}

/// Validates the multi-group input and maps labels to `0..k` (ascending).
fn dense_groups<G: Ord>(
    durations: &[f64],
    event_observed: &[bool],
    groups: &[G],
    weights: Option<&[f64]>,
    options: &LogRankOptions,
) -> Result<(Vec<usize>, usize)> {
    options.validate()?;
    crate::error::check_len("event_observed", durations.len(), event_observed.len())?;
    crate::error::check_len("groups", durations.len(), groups.len())?;
    if let Some(w) = weights {
        crate::error::check_len("weights", durations.len(), w.len())?;
    }
    if durations.is_empty() {
        return Err(Error::EmptyInput { what: "durations" });
    }
    let mut issues = Issues::default();
    check_rows(&mut issues, durations, weights, "duration", "weight");
    issues.finish()?;
    let mut labels: Vec<&G> = groups.iter().collect();
    labels.sort_unstable();
    labels.dedup();
    if labels.len() < 2 {
        return Err(Error::InvalidParameter {
            name: "groups",
            value: format!("{} distinct group(s)", labels.len()),
            reason: "the log-rank test needs at least two groups",
        });
    }
    let dense = groups
        .iter()
        .map(|g| labels.binary_search(&g).unwrap_or(0))
        .collect();
    Ok((dense, labels.len()))
}

/// Validated rows of one test; `groups[i]` in `0..k`.
struct Rows<'a> {
    durations: &'a [f64],
    events: &'a [bool],
    weights: &'a [f64],
    groups: &'a [usize],
}

/// The test on validated input with group indices `0..k`.
fn logrank_dense(rows: &Rows<'_>, k: usize, options: &LogRankOptions) -> LogRankTest {
    let Rows {
        durations,
        events,
        weights,
        groups,
    } = *rows;
    let is_event = |row: usize| events[row] && options.t_0.is_none_or(|t0| durations[row] <= t0);
    let order = order_by_keys(durations.iter().map(|&d| duration_key(d)));

    let mut at_risk = vec![0.0; k];
    for (&g, &w) in groups.iter().zip(weights) {
        at_risk[g] += w;
    }
    let mut total: f64 = at_risk.iter().sum();
    // Unweighted pooled counts, for the Kaplan–Meier estimate of
    // Fleming–Harrington (lifelines fits it without the case weights).
    let mut plain_at_risk = durations.len();
    let mut km_left = 1.0_f64;
    let mut peto = 1.0_f64;

    let mut observed = vec![0.0; k];
    let mut expected = vec![0.0; k];
    let mut z = vec![0.0; k];
    let mut v = vec![0.0; k * k];
    let mut deaths = vec![0.0; k];
    let mut removed = vec![0.0; k];

    let mut i = 0;
    while i < order.len() {
        let key = duration_key(durations[order[i]]);
        deaths.iter_mut().for_each(|x| *x = 0.0);
        removed.iter_mut().for_each(|x| *x = 0.0);
        let mut plain_deaths = 0usize;
        let mut j = i;
        while j < order.len() && duration_key(durations[order[j]]) == key {
            let row = order[j];
            removed[groups[row]] += weights[row];
            if is_event(row) {
                deaths[groups[row]] += weights[row];
                plain_deaths += 1;
            }
            j += 1;
        }
        let d: f64 = deaths.iter().sum();
        let n = total;
        if plain_deaths > 0 {
            peto *= 1.0 - d / (n + 1.0);
            let w = match options.weighting {
                LogRankWeighting::LogRank => 1.0,
                LogRankWeighting::Wilcoxon => n,
                LogRankWeighting::TaroneWare => n.sqrt(),
                LogRankWeighting::Peto => peto,
                LogRankWeighting::FlemingHarrington => {
                    km_left.powf(options.p) * (1.0 - km_left).powf(options.q)
                }
            };
            let shrink = if n == 1.0 { 1.0 } else { (n - d) / (n - 1.0) };
            let factor = w * w * shrink * d / (n * n);
            for g in 0..k {
                let ng = at_risk[g];
                observed[g] += deaths[g];
                expected[g] += ng * d / n;
                z[g] += w * (deaths[g] - ng * d / n);
                for h in 0..k {
                    let own = if g == h { n } else { 0.0 };
                    v[g * k + h] += factor * ng * (own - at_risk[h]);
                }
            }
            km_left *= 1.0 - plain_deaths as f64 / plain_at_risk as f64;
        }
        for g in 0..k {
            at_risk[g] -= removed[g];
        }
        total = at_risk.iter().sum();
        plain_at_risk -= j - i;
        i = j;
    }

    let m = k - 1;
    let mut sub = vec![0.0; m * m];
    for g in 0..m {
        for h in 0..m {
            sub[g * m + h] = v[g * k + h];
        }
    }
    let statistic = psd_quadratic_form(&sub, m, &z[..m]);
    LogRankTest {
        test_statistic: statistic,
        degrees_of_freedom: m,
        p_value: chi_square_sf(statistic, m),
        observed,
        expected,
    }
}
#[cfg(test)]
mod tests {
    use super::*;

    /// Two groups of three, worked by hand.
    ///
    /// A: 1, 3, 5+    B: 2, 4, 6
    ///
    /// | t | n_A | n_B | d | d_A | E_A  | V term: d(n−d)/(n−1)·n_A n_B/n² |
    /// |---|-----|-----|---|-----|------|---------------------------------|
    /// | 1 | 3   | 3   | 1 | 1   | 3/6  | 9/36                            |
    /// | 2 | 2   | 3   | 1 | 0   | 2/5  | 6/25                            |
    /// | 3 | 2   | 2   | 1 | 1   | 2/4  | 4/16                            |
    /// | 4 | 1   | 2   | 1 | 0   | 1/3  | 2/9                             |
    /// | 6 | 0   | 1   | 1 | 0   | 0    | 0                               |
    #[test]
    fn two_groups_by_hand() {
        let r = logrank_test(
            &[1.0, 3.0, 5.0],
            &[true, true, false],
            &[2.0, 4.0, 6.0],
            &[true, true, true],
        )
        .unwrap();
        let e_a = 0.5 + 0.4 + 0.5 + 1.0 / 3.0;
        let var = 0.25 + 0.24 + 0.25 + 2.0 / 9.0;
        let stat = (2.0 - e_a) * (2.0 - e_a) / var;
        assert!((r.test_statistic - stat).abs() < 1e-12);
        assert!((r.expected[0] - e_a).abs() < 1e-12);
        assert_eq!(r.observed, vec![2.0, 3.0]);
        assert_eq!(r.degrees_of_freedom, 1);
        assert!((r.p_value - chi_square_sf(stat, 1)).abs() < 1e-15);
    }

    #[test]
    fn multivariate_matches_two_sample_and_checks_groups() {
        let d = [1.0, 3.0, 5.0, 2.0, 4.0, 6.0];
        let e = [true, true, false, true, true, true];
        let two = logrank_test(&d[..3], &e[..3], &d[3..], &e[3..]).unwrap();
        let multi = multivariate_logrank_test(&d, &e, &["x", "x", "x", "y", "y", "y"]).unwrap();
        assert!((two.test_statistic - multi.test_statistic).abs() < 1e-12);
        assert!(matches!(
            multivariate_logrank_test(&d, &e, &[1; 6]),
            Err(Error::InvalidParameter { name: "groups", .. })
        ));
        assert!(matches!(
            logrank_test(&d, &e, &[], &[]),
            Err(Error::EmptyInput {
                what: "durations_b"
            })
        ));
        assert!(matches!(
            multivariate_logrank_test(&d, &e, &[1, 2]),
            Err(Error::LengthMismatch {
                field: "groups",
                ..
            })
        ));
    }

    #[test]
    fn no_events_gives_zero_statistic() {
        let r = logrank_test(&[1.0, 2.0], &[false, false], &[3.0], &[false]).unwrap();
        assert_eq!(r.test_statistic, 0.0);
        assert_eq!(r.p_value, 1.0);
    }
}
