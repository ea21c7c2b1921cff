//! Supervised churn model: point-in-time features, L2 logistic regression,
//! and its evaluation.
//!
//! **Features as of a cutoff** use only events strictly before the cutoff, so
//! nothing after it can leak in. A customer is scored when their first order
//! is before the cutoff. Features ([`FEATURE_NAMES`]):
//! recency (days since last order), tenure (days since first order),
//! `ln(1 + orders)`, `ln(1 + max(net spend, 0))`, orders in the last 90 days,
//! orders in the 90 days before, `ln(1 + usual gap)` (median days between
//! distinct order days; tenure when there is one order day), recency / usual
//! gap (capped at 10), `ln(1 + sessions in the last 30 days)`,
//! `ln(1 + email opens and clicks in the last 90 days)`, open tickets, refunds
//! count, latest NPS (7 when unanswered) and an "answered NPS" indicator.
//!
//! **Label**: churned = no order in `[cutoff, cutoff + H)`. Labels need the
//! data to reach `cutoff + H`, so the caller states the observation end.
//!
//! **Model**: `P(churn | x) = σ(b + wᵀz)`, `z` the features standardised with
//! the training means and standard deviations, fitted by Newton–Raphson on the
//! penalised log-likelihood `Σ [y ln p + (1 − y) ln(1 − p)] − (λ/2) ‖w‖²`
//! (the intercept is not penalised). Split by time, not at random
//! ([`time_split`]): train on one cutoff, test on a later one whose labels
//! start after the training labels end.
//!
//! **Evaluation** ([`evaluate`]): ROC-AUC (Mann–Whitney, ties count one half),
//! PR-AUC as average precision `Σₙ (Rₙ − Rₙ₋₁) Pₙ` over distinct score
//! thresholds, top-decile lift (churn rate among the `⌈n/10⌉` highest scores
//! over the overall rate), the Brier score `mean((p − y)²)`, and a
//! calibration table over ten equal-width probability bins.

use crate::churn::health::{usual_gap_days, windows};
use crate::error::{Error, Result};
use crate::events::{CustomerId, EventLog, EventType, Severity, SurveyKind};
use crate::linalg::{cholesky, cholesky_solve};
use crate::summary::CustomerSummary;
use crate::time::{Micros, MICROS_PER_DAY};

/// Names of the feature columns, in order.
pub const FEATURE_NAMES: [&str; 14] = [
    "recency_days",
    "tenure_days",
    "log_orders",
    "log_net_spend",
    "orders_last_90d",
    "orders_prev_90d",
    "log_usual_gap_days",
    "recency_over_gap",
    "log_sessions_last_30d",
    "log_email_engagement_last_90d",
    "open_tickets",
    "refunds",
    "latest_nps",
    "answered_nps",
];

/// Number of features.
pub const N_FEATURES: usize = FEATURE_NAMES.len();

/// Feature rows of the customers scored at a cutoff.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ChurnFeatures {
    /// The cutoff.
    pub cutoff: Micros,
    /// Customer ids (log order).
    pub ids: Vec<CustomerId>,
    /// One row per customer.
    pub rows: Vec<[f64; N_FEATURES]>,
}

/// Features of every customer whose first order is before `cutoff`.
pub fn churn_features(log: &EventLog, cutoff: Micros) -> ChurnFeatures {
    let times = log.times();
    let kinds = log.event_types();
    let mut out = ChurnFeatures {
        cutoff,
        ..ChurnFeatures::default()
    };
    for (c, id) in log.customers().iter().enumerate() {
        let full = log.customer_range(c);
        // Events strictly before the cutoff (the log is time-ordered per customer).
        let end = full.start + times[full.clone()].partition_point(|&t| t < cutoff);
        let range = full.start..end;
        let mut s = CustomerSummary::default();
        let mut sessions_30 = 0.0;
        let mut email_90 = 0.0;
        for i in range.clone() {
            if let Some(e) = log.get(i) {
                s.add_ref(e);
            }
            // Events precede the cutoff, so the age is positive; in i128 it
            // cannot wrap for instants more than 2⁶³ µs apart.
            let age = i128::from(cutoff) - i128::from(times[i]);
            match kinds[i] {
                EventType::Session if age <= 30 * i128::from(MICROS_PER_DAY) => sessions_30 += 1.0,
                EventType::EmailOpen | EventType::EmailClick
                    if age <= 90 * i128::from(MICROS_PER_DAY) =>
                {
                    email_90 += 1.0
                }
                _ => {}
            }
        }
        let (Some(first), Some(last)) = (s.first_order(), s.last_order()) else {
            continue;
        };
        let recency = crate::time::elapsed_days(last, cutoff);
        let tenure = crate::time::elapsed_days(first, cutoff);
        let w = windows(log, range.clone(), cutoff, 90 * MICROS_PER_DAY);
        let gap = cutoff
            .checked_sub(1)
            .and_then(|before| usual_gap_days(log, range, before))
            .unwrap_or(tenure.max(1.0));
        let a = s.activity();
        let open: u64 = a.map_or(0, |a| {
            Severity::ALL.iter().map(|&sev| a.open_tickets(sev)).sum()
        });
        let nps = a.and_then(|a| a.latest_survey(SurveyKind::Nps));
        out.ids.push(id.clone());
        out.rows.push([
            recency,
            tenure,
            f64::from(s.orders()).ln_1p(),
            s.net_revenue().max(0.0).ln_1p(),
            w.orders[0],
            w.orders[1],
            gap.ln_1p(),
            (recency / gap.max(1.0)).min(10.0),
            f64::ln_1p(sessions_30),
            f64::ln_1p(email_90),
            open as f64,
            f64::from(s.refund_count()),
            nps.map_or(7.0, |n| n.score),
            if nps.is_some() { 1.0 } else { 0.0 },
        ]);
    }
    out
}

/// Churn labels for `ids`: `true` when the customer has no order in
/// `[cutoff, cutoff + horizon_days)`.
///
/// Errors when the label window reaches past `observation_end` (immature
/// labels) or when an id is not in the log.
pub fn churn_labels(
    log: &EventLog,
    ids: &[CustomerId],
    cutoff: Micros,
    horizon_days: u32,
    observation_end: Micros,
) -> Result<Vec<bool>> {
    let horizon = crate::time::window_days("horizon_days", horizon_days)?;
    let end = cutoff.saturating_add(horizon);
    if end > observation_end {
        return Err(Error::InvalidParameter {
            name: "horizon_days",
            value: horizon_days.to_string(),
            reason: "the label window [cutoff, cutoff + horizon) must end by observation_end",
        });
    }
    let times = log.times();
    let kinds = log.event_types();
    ids.iter()
        .map(|id| {
            let c = log
                .customer_index(id)
                .ok_or_else(|| Error::UnknownCustomer {
                    customer: id.to_string(),
                })?;
            let ordered = log
                .customer_range(c)
                .any(|i| kinds[i] == EventType::Order && times[i] >= cutoff && times[i] < end);
            Ok(!ordered)
        })
        .collect()
}

/// Training and test data for a time-based evaluation.
#[derive(Debug, Clone, PartialEq)]
pub struct TimeSplit {
    /// Features as of the training cutoff.
    pub train: ChurnFeatures,
    /// Churn labels of the training customers.
    pub train_labels: Vec<bool>,
    /// Features as of the (later) test cutoff.
    pub test: ChurnFeatures,
    /// Churn labels of the test customers.
    pub test_labels: Vec<bool>,
}

/// Splits by time, not at random: features and labels as of `train_cutoff`,
/// and as of `test_cutoff`, with labels over `horizon_days` each.
///
/// The training labels must end by the test cutoff (`train_cutoff + H ≤
/// test_cutoff`), so nothing the model learns from overlaps the period it is
/// tested on, and the test labels must end by `observation_end`.
pub fn time_split(
    log: &EventLog,
    train_cutoff: Micros,
    test_cutoff: Micros,
    horizon_days: u32,
    observation_end: Micros,
) -> Result<TimeSplit> {
    let horizon = crate::time::window_days("horizon_days", horizon_days)?;
    if train_cutoff.saturating_add(horizon) > test_cutoff {
        return Err(Error::InvalidParameter {
            name: "test_cutoff",
            value: crate::time::from_micros(test_cutoff).to_rfc3339(),
            reason: "must be at least horizon_days after train_cutoff, so training labels end before testing starts",
        });
    }
    let train = churn_features(log, train_cutoff);
    let train_labels = churn_labels(log, &train.ids, train_cutoff, horizon_days, test_cutoff)?;
    let test = churn_features(log, test_cutoff);
    let test_labels = churn_labels(log, &test.ids, test_cutoff, horizon_days, observation_end)?;
    Ok(TimeSplit {
        train,
        train_labels,
        test,
        test_labels,
    })
}

/// Options of [`LogisticModel::fit`].
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(default, deny_unknown_fields))]
pub struct LogisticOptions {
    /// L2 penalty λ on the standardised weights.
    pub l2: f64,
    /// Newton iterations at most (0 to
    /// [`MAX_FIT_ITERATIONS`](crate::models::MAX_FIT_ITERATIONS)).
    pub max_iterations: usize,
    /// Stop when the largest step is below this.
    pub tolerance: f64,
}

impl Default for LogisticOptions {
    fn default() -> Self {
        LogisticOptions {
            l2: 1.0,
            max_iterations: 100,
            tolerance: 1e-9,
        }
    }
}

/// A fitted L2 logistic regression on standardised features.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct LogisticModel {
    /// Intercept `b`.
    pub intercept: f64,
    /// Weights `w` on standardised features.
    pub weights: Vec<f64>,
    /// Training means.
    pub means: Vec<f64>,
    /// Training standard deviations (1 where a feature is constant).
    pub scales: Vec<f64>,
    /// Newton iterations used.
    pub iterations: usize,
}

fn sigmoid(z: f64) -> f64 {
    if z >= 0.0 {
        1.0 / (1.0 + (-z).exp())
    } else {
        let e = z.exp();
        e / (1.0 + e)
    }
}

impl LogisticModel {
    /// Fits the model on feature rows and churn labels.
    pub fn fit<const P: usize>(
        rows: &[[f64; P]],
        labels: &[bool],
        options: &LogisticOptions,
    ) -> Result<LogisticModel> {
        crate::error::check_len("labels", rows.len(), labels.len())?;
        if rows.is_empty() {
            return Err(Error::EmptyInput {
                what: "training rows",
            });
        }
        crate::models::check_max_iterations(options.max_iterations, 0)?;
        if !(options.l2.is_finite() && options.l2 >= 0.0) {
            return Err(Error::parameter(
                "l2",
                options.l2,
                "must be a finite number ≥ 0",
            ));
        }
        let mut issues = crate::error::Issues::default();
        for (r, row) in rows.iter().enumerate() {
            for (j, v) in row.iter().enumerate() {
                if !v.is_finite() {
                    issues.push(
                        r,
                        FEATURE_NAMES.get(j).copied().unwrap_or("feature"),
                        v,
                        crate::error::IssueKind::NotFinite,
                    );
                }
            }
        }
        issues.finish()?;
        let n = rows.len() as f64;
        let means: Vec<f64> = (0..P)
            .map(|j| rows.iter().map(|r| r[j]).sum::<f64>() / n)
            .collect();
        let scales: Vec<f64> = (0..P)
            .map(|j| {
                let var = rows.iter().map(|r| (r[j] - means[j]).powi(2)).sum::<f64>() / n;
                if var > 0.0 {
                    var.sqrt()
                } else {
                    1.0
                }
            })
            .collect();
        // Features whose mean or spread overflows (|x| beyond ~1e154;
        // found by fuzzing) cannot be standardised.
        if let Some(j) = (0..P).find(|&j| !(means[j].is_finite() && scales[j].is_finite())) {
            return Err(Error::parameter(
                "rows",
                j,
                "the feature in this column is too large to standardise (its variance overflows)",
            ));
        }
        let z: Vec<[f64; P]> = rows
            .iter()
            .map(|r| std::array::from_fn(|j| (r[j] - means[j]) / scales[j]))
            .collect();
        let d = P + 1;
        let mut beta = vec![0.0; d]; // [b, w...]
        let mut iterations = 0;
        for it in 0..options.max_iterations {
            iterations = it + 1;
            let mut grad = vec![0.0; d];
            let mut hess = vec![0.0; d * d];
            for (x, &y) in z.iter().zip(labels) {
                let eta = beta[0] + (0..P).map(|j| beta[j + 1] * x[j]).sum::<f64>();
                let p = sigmoid(eta);
                let r = f64::from(u8::from(y)) - p;
                let w = (p * (1.0 - p)).max(1e-12);
                let xi = |k: usize| if k == 0 { 1.0 } else { x[k - 1] };
                for a in 0..d {
                    grad[a] += r * xi(a);
                    for b in 0..=a {
                        hess[a * d + b] += w * xi(a) * xi(b);
                    }
                }
            }
            for a in 0..d {
                for b in 0..a {
                    hess[b * d + a] = hess[a * d + b];
                }
            }
            for k in 1..d {
                grad[k] -= options.l2 * beta[k];
                hess[k * d + k] += options.l2;
            }
            // Tiny ridge on the intercept keeps all-one-class data solvable.
            hess[0] += 1e-9;
            let step = cholesky(&hess, d, 0.0).map(|l| cholesky_solve(&l, d, &grad)).map_err(|_| Error::InvalidParameter {
                name: "training data",
                value: format!("{} rows", rows.len()),
                reason: "the logistic regression's information matrix is singular; add l2 penalty or rows",
            })?;
            let mut largest: f64 = 0.0;
            for k in 0..d {
                // Damp huge steps (separable data) to keep the iteration stable.
                let s = step[k].clamp(-5.0, 5.0);
                beta[k] += s;
                largest = largest.max(s.abs());
            }
            if largest < options.tolerance {
                break;
            }
        }
        if beta.iter().any(|b| !b.is_finite()) {
            return Err(Error::InvalidParameter {
                name: "training data",
                value: format!("{} rows", rows.len()),
                reason: "the logistic regression diverged; increase the l2 penalty",
            });
        }
        Ok(LogisticModel {
            intercept: beta[0],
            weights: beta[1..].to_vec(),
            means,
            scales,
            iterations,
        })
    }

    /// Churn probability of one feature row.
    pub fn predict(&self, row: &[f64]) -> Result<f64> {
        crate::error::check_len("features", self.weights.len(), row.len())?;
        if let Some((j, v)) = row.iter().enumerate().find(|(_, v)| !v.is_finite()) {
            return Err(Error::row(
                0,
                FEATURE_NAMES.get(j).copied().unwrap_or("feature"),
                v,
                crate::error::IssueKind::NotFinite,
            ));
        }
        let eta = self.intercept
            + row
                .iter()
                .enumerate()
                .map(|(j, v)| self.weights[j] * (v - self.means[j]) / self.scales[j])
                .sum::<f64>();
        Ok(sigmoid(eta))
    }

    /// Churn probabilities of many rows.
    pub fn predict_many<const P: usize>(&self, rows: &[[f64; P]]) -> Result<Vec<f64>> {
        rows.iter().map(|r| self.predict(r)).collect()
    }
}

/// One bin of the calibration table.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct CalibrationBin {
    /// Lower edge of the predicted-probability bin.
    pub lower: f64,
    /// Upper edge.
    pub upper: f64,
    /// Customers in the bin.
    pub count: usize,
    /// Mean predicted probability (`None` when empty).
    pub mean_predicted: Option<f64>,
    /// Observed churn rate (`None` when empty).
    pub observed_rate: Option<f64>,
}

/// Quality of churn scores against outcomes.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Evaluation {
    /// Area under the ROC curve (`None` with one class only).
    pub roc_auc: Option<f64>,
    /// Average precision (`None` without positives).
    pub pr_auc: Option<f64>,
    /// Churn rate in the top decile over the overall rate (`None` without positives).
    pub top_decile_lift: Option<f64>,
    /// Mean squared error of the probabilities (`None` when scores are not probabilities).
    pub brier: Option<f64>,
    /// Ten equal-width bins of predicted probability.
    pub calibration: Vec<CalibrationBin>,
    /// Rows evaluated.
    pub count: usize,
    /// Churned rows.
    pub positives: usize,
}

/// Evaluates scores (higher = more likely to churn) against labels.
///
/// Scores outside [0, 1] are allowed (e.g. a recency baseline); the Brier
/// score and calibration table are then omitted.
pub fn evaluate(scores: &[f64], labels: &[bool]) -> Result<Evaluation> {
    crate::error::check_len("labels", scores.len(), labels.len())?;
    if scores.is_empty() {
        return Err(Error::EmptyInput { what: "scores" });
    }
    let mut issues = crate::error::Issues::default();
    for (r, s) in scores.iter().enumerate() {
        if !s.is_finite() {
            issues.push(r, "score", s, crate::error::IssueKind::NotFinite);
        }
    }
    issues.finish()?;
    let n = scores.len();
    let positives = labels.iter().filter(|&&y| y).count();
    let negatives = n - positives;

    // Sort descending by score; group ties.
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&a, &b| scores[b].total_cmp(&scores[a]));

    // ROC-AUC via ranks (average ranks for ties), ascending ranks.
    let roc_auc = (positives > 0 && negatives > 0).then(|| {
        let mut rank_sum_pos = 0.0;
        let mut i = 0;
        while i < n {
            let mut j = i;
            while j + 1 < n && scores[order[j + 1]] == scores[order[i]] {
                j += 1;
            }
            // Descending positions i..=j → ascending ranks n − j ..= n − i.
            let avg_rank = ((n - j) + (n - i)) as f64 / 2.0;
            let pos_in_group = order[i..=j].iter().filter(|&&k| labels[k]).count();
            rank_sum_pos += avg_rank * pos_in_group as f64;
            i = j + 1;
        }
        let p = positives as f64;
        (rank_sum_pos - p * (p + 1.0) / 2.0) / (p * negatives as f64)
    });

    // Average precision over distinct thresholds.
    let pr_auc = (positives > 0).then(|| {
        let mut ap = 0.0;
        let (mut tp, mut seen) = (0usize, 0usize);
        let mut prev_recall = 0.0;
        let mut i = 0;
        while i < n {
            let mut j = i;
            while j + 1 < n && scores[order[j + 1]] == scores[order[i]] {
                j += 1;
            }
            tp += order[i..=j].iter().filter(|&&k| labels[k]).count();
            seen += j - i + 1;
            let recall = tp as f64 / positives as f64;
            ap += (recall - prev_recall) * tp as f64 / seen as f64;
            prev_recall = recall;
            i = j + 1;
        }
        ap
    });

    let top_n = n.div_ceil(10);
    let top_decile_lift = (positives > 0).then(|| {
        let top_rate = order[..top_n].iter().filter(|&&k| labels[k]).count() as f64 / top_n as f64;
        top_rate / (positives as f64 / n as f64)
    });

    let probabilities = scores.iter().all(|s| (0.0..=1.0).contains(s));
    let brier = probabilities.then(|| {
        scores
            .iter()
            .zip(labels)
            .map(|(s, &y)| (s - f64::from(u8::from(y))).powi(2))
            .sum::<f64>()
            / n as f64
    });
    let calibration = if probabilities {
        (0..10)
            .map(|b| {
                let lower = b as f64 / 10.0;
                let upper = (b + 1) as f64 / 10.0;
                let members: Vec<usize> = (0..n)
                    .filter(|&k| ((scores[k] * 10.0).floor() as usize).min(9) == b)
                    .collect();
                let count = members.len();
                let mean = |f: &dyn Fn(usize) -> f64| {
                    (count > 0).then(|| members.iter().map(|&k| f(k)).sum::<f64>() / count as f64)
                };
                CalibrationBin {
                    lower,
                    upper,
                    count,
                    mean_predicted: mean(&|k| scores[k]),
                    observed_rate: mean(&|k| f64::from(u8::from(labels[k]))),
                }
            })
            .collect()
    } else {
        Vec::new()
    };
    Ok(Evaluation {
        roc_auc,
        pr_auc,
        top_decile_lift,
        brier,
        calibration,
        count: n,
        positives,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn evaluation_by_hand() {
        // Scores 0.9 0.8 0.7 0.6 0.5 0.4 with labels 1 0 1 1 0 0.
        let s = [0.9, 0.8, 0.7, 0.6, 0.5, 0.4];
        let y = [true, false, true, true, false, false];
        let e = evaluate(&s, &y).unwrap();
        // Pairs (pos, neg) ordered correctly: 0.9 beats 3 negatives, 0.7 beats 2, 0.6 beats 2 → 7 of 9.
        assert!((e.roc_auc.unwrap() - 7.0 / 9.0).abs() < 1e-12);
        // AP = (1/3)(1/1) + (1/3)(2/3) + (1/3)(3/4).
        let ap = (1.0 + 2.0 / 3.0 + 3.0 / 4.0) / 3.0;
        assert!((e.pr_auc.unwrap() - ap).abs() < 1e-12);
        // Top decile = ⌈6/10⌉ = 1 row (a churner): lift = 1 / 0.5 = 2.
        assert_eq!(e.top_decile_lift, Some(2.0));
        let brier = (0.01 + 0.64 + 0.09 + 0.16 + 0.25 + 0.16) / 6.0;
        assert!((e.brier.unwrap() - brier).abs() < 1e-12);
        assert_eq!(e.calibration[9].count, 1);
        assert_eq!(e.calibration[4].observed_rate, Some(0.0));
        assert_eq!(e.calibration[0].mean_predicted, None);
        // Ties count one half.
        let t = evaluate(&[0.5, 0.5], &[true, false]).unwrap();
        assert_eq!(t.roc_auc, Some(0.5));
        // Baseline scores outside [0, 1]: no Brier score.
        assert_eq!(evaluate(&[30.0, 2.0], &[true, false]).unwrap().brier, None);
        assert!(evaluate(&[f64::NAN], &[true]).is_err());
    }

    #[test]
    fn logistic_regression_recovers_a_known_direction() {
        // y = 1 exactly when x0 > 0, with noise-free separation damped by L2.
        let rows: Vec<[f64; 2]> = (0..200)
            .map(|i| [(i as f64 - 100.0) / 10.0, ((i * 7) % 13) as f64])
            .collect();
        let labels: Vec<bool> = rows.iter().map(|r| r[0] > 0.0).collect();
        let m = LogisticModel::fit(&rows, &labels, &LogisticOptions::default()).unwrap();
        assert!(m.weights[0] > 1.0, "{:?}", m.weights);
        assert!(m.weights[1].abs() < 0.5 * m.weights[0]);
        assert!(m.predict(&[5.0, 3.0]).unwrap() > 0.9);
        assert!(m.predict(&[-5.0, 3.0]).unwrap() < 0.1);
        assert!(m.predict(&[1.0]).is_err());
        // Unpenalised fit of a non-separable set matches the closed form:
        // one binary feature, 3/4 churn when x = 1 and 1/4 when x = 0.
        let rows: Vec<[f64; 1]> = vec![[1.0], [1.0], [1.0], [1.0], [0.0], [0.0], [0.0], [0.0]];
        let labels = [true, true, true, false, true, false, false, false];
        let m = LogisticModel::fit(
            &rows,
            &labels,
            &LogisticOptions {
                l2: 0.0,
                ..LogisticOptions::default()
            },
        )
        .unwrap();
        assert!((m.predict(&[1.0]).unwrap() - 0.75).abs() < 1e-9);
        assert!((m.predict(&[0.0]).unwrap() - 0.25).abs() < 1e-9);
    }
}
