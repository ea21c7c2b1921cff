//! Log-rank test for two or more groups.
//!
//! See the [module overview](super) for the statistic and references.

use super::table::{duration_key, order_by_keys, validate_durations};
use crate::error::{check_non_negative, Error, Issues, Result};
use crate::linalg::psd_quadratic_form;
use crate::special::chi_square_sf;

/// Result of a log-rank test.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct LogRankTest {
    /// The chi-square statistic `(O − E)ᵀ V⁻ (O − E)`.
    pub test_statistic: f64,
    /// Degrees of freedom: number of groups minus one.
    pub degrees_of_freedom: usize,
    /// `P(χ²_df > statistic)`.
    pub p_value: f64,
    /// Observed events per group (groups in ascending label order; for
    /// [`logrank_test`], `[a, b]`).
    pub observed: Vec<usize>,
    /// Expected events per group under the null hypothesis of equal hazards.
    pub expected: Vec<f64>,
}

/// Two-sample log-rank test of group `a` against group `b` (lifelines'
/// `logrank_test`).
///
/// # Errors
/// [`Error::LengthMismatch`] (`event_observed_a`/`event_observed_b`),
/// [`Error::EmptyInput`] when a group is empty, and [`Error::InvalidRows`]
/// listing every negative or non-finite duration (field `duration_a` or
/// `duration_b`, row index within that group).
pub fn logrank_test(
    durations_a: &[f64],
    event_observed_a: &[bool],
    durations_b: &[f64],
    event_observed_b: &[bool],
) -> Result<LogRankTest> {
    for (d, e, field) in [
        (durations_a, event_observed_a, "event_observed_a"),
        (durations_b, event_observed_b, "event_observed_b"),
    ] {
        crate::error::check_len(field, d.len(), e.len())?;
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
    for (row, &d) in durations_a.iter().enumerate() {
        check_non_negative(&mut issues, row, "duration_a", d);
    }
    for (row, &d) in durations_b.iter().enumerate() {
        check_non_negative(&mut issues, row, "duration_b", d);
    }
    issues.finish()?;
    let durations: Vec<f64> = durations_a.iter().chain(durations_b).copied().collect();
    let events: Vec<bool> = event_observed_a
        .iter()
        .chain(event_observed_b)
        .copied()
        .collect();
    let groups: Vec<usize> = std::iter::repeat_n(0, durations_a.len())
        .chain(std::iter::repeat_n(1, durations_b.len()))
        .collect();
    Ok(logrank_dense(&durations, &events, &groups, 2))
}

/// Log-rank test of equal hazards across all groups (lifelines'
/// `multivariate_logrank_test`); `groups[i]` is the label of subject `i`.
///
/// Per-group results are reported in ascending label order.
///
/// # Errors
/// [`Error::LengthMismatch`], [`Error::EmptyInput`], [`Error::InvalidRows`]
/// for bad durations, and [`Error::InvalidParameter`] (`groups`) when fewer
/// than two distinct groups are present.
pub fn multivariate_logrank_test<G: Ord>(
    durations: &[f64],
    event_observed: &[bool],
    groups: &[G],
) -> Result<LogRankTest> {
    crate::error::check_len("groups", durations.len(), groups.len())?;
    validate_durations(durations, event_observed)?;
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
    let dense: Vec<usize> = groups
        .iter()
        .map(|g| labels.binary_search(&g).unwrap_or(0))
        .collect();
    Ok(logrank_dense(
        durations,
        event_observed,
        &dense,
        labels.len(),
    ))
}

/// The test on validated input with group indices `0..k`, every group
/// non-empty.
fn logrank_dense(durations: &[f64], events: &[bool], groups: &[usize], k: usize) -> LogRankTest {
    let order = order_by_keys(durations.iter().map(|&d| duration_key(d)));

    let mut at_risk = vec![0usize; k];
    for &g in groups {
        at_risk[g] += 1;
    }
    let mut observed = vec![0usize; k];
    let mut expected = vec![0.0; k];
    let mut v = vec![0.0; k * k];
    let mut deaths = vec![0usize; k];
    let mut removed = vec![0usize; k];
    let mut total: usize = at_risk.iter().sum();

    let mut i = 0;
    while i < order.len() {
        let key = duration_key(durations[order[i]]);
        deaths.iter_mut().for_each(|x| *x = 0);
        removed.iter_mut().for_each(|x| *x = 0);
        let mut j = i;
        while j < order.len() && duration_key(durations[order[j]]) == key {
            let row = order[j];
            removed[groups[row]] += 1;
            if events[row] {
                deaths[groups[row]] += 1;
            }
            j += 1;
        }
        let d: usize = deaths.iter().sum();
        if d > 0 {
            let n = total as f64;
            let df = d as f64;
            let shrink = if total > 1 { (n - df) / (n - 1.0) } else { 1.0 };
            let factor = shrink * df / (n * n);
            for g in 0..k {
                observed[g] += deaths[g];
                let ng = at_risk[g] as f64;
                expected[g] += ng * df / n;
                for h in 0..k {
                    let nh = at_risk[h] as f64;
                    let own = if g == h { n } else { 0.0 };
                    v[g * k + h] += factor * ng * (own - nh);
                }
            }
        }
        for g in 0..k {
            at_risk[g] -= removed[g];
        }
        total -= j - i;
        i = j;
    }

    let m = k - 1;
    let z: Vec<f64> = (0..m).map(|g| observed[g] as f64 - expected[g]).collect();
    let mut sub = vec![0.0; m * m];
    for g in 0..m {
        for h in 0..m {
            sub[g * m + h] = v[g * k + h];
        }
    }
    let statistic = psd_quadratic_form(&sub, m, &z);
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
        assert_eq!(r.observed, vec![2, 3]);
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
