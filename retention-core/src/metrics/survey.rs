//! Survey scores: NPS, CSAT, CES and the customer loyalty index.
//!
//! Answers must be whole numbers on the question's scale. Every bad answer is
//! reported (index, value, reason) in one [`Error::InvalidRows`]; nothing is
//! clamped or skipped.

use crate::error::{Error, IssueKind, Issues, Result};
use crate::events::{EventLog, EventType, SurveyKind};

use super::Window;

/// Validates answers against the whole-number scale `min..=max`.
fn check_answers(issues: &mut Issues, field: &'static str, answers: &[f64], min: u32, max: u32) {
    for (row, &a) in answers.iter().enumerate() {
        if !a.is_finite() {
            issues.push(row, field, a, IssueKind::NotFinite);
        } else if a.fract() != 0.0 {
            issues.push(row, field, a, IssueKind::NotInteger);
        } else if a < f64::from(min) || a > f64::from(max) {
            issues.push(
                row,
                field,
                a,
                IssueKind::OutOfRange {
                    min: f64::from(min),
                    max: f64::from(max),
                },
            );
        }
    }
}

/// Net Promoter Score of a set of answers.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Nps {
    /// Answers 9–10.
    pub promoters: u64,
    /// Answers 7–8.
    pub passives: u64,
    /// Answers 0–6.
    pub detractors: u64,
    /// Number of answers.
    pub respondents: u64,
    /// `100 × (promoters − detractors) / respondents`, in `[−100, 100]`.
    pub score: f64,
}

fn nps_counts(answers: &[f64]) -> Nps {
    let mut n = Nps {
        promoters: 0,
        passives: 0,
        detractors: 0,
        respondents: answers.len() as u64,
        score: 0.0,
    };
    for &a in answers {
        if a >= 9.0 {
            n.promoters += 1;
        } else if a >= 7.0 {
            n.passives += 1;
        } else {
            n.detractors += 1;
        }
    }
    if n.respondents > 0 {
        n.score = 100.0 * (n.promoters as f64 - n.detractors as f64) / n.respondents as f64;
    }
    n
}

/// Net Promoter Score: answers 0–10; promoters 9–10, passives 7–8,
/// detractors 0–6; score `100 × (P − D) / n`.
///
/// Errors with [`Error::EmptyInput`] for no answers and with
/// [`Error::InvalidRows`] (field `score`, one issue per bad answer, `row` =
/// index in `answers`) for NaN, infinite, fractional or out-of-scale answers.
///
/// ```
/// use retention_core::metrics::nps;
/// // 4 promoters, 4 passives, 2 detractors: 40 % − 20 % = 20.
/// let n = nps(&[10.0, 9.0, 9.0, 10.0, 7.0, 8.0, 7.0, 8.0, 3.0, 6.0])?;
/// assert_eq!(n.score, 20.0);
/// assert!(nps(&[11.0]).is_err());
/// # Ok::<(), retention_core::Error>(())
/// ```
pub fn nps(answers: &[f64]) -> Result<Nps> {
    if answers.is_empty() {
        return Err(Error::EmptyInput {
            what: "NPS answers",
        });
    }
    let mut issues = Issues::default();
    check_answers(&mut issues, "score", answers, 0, 10);
    issues.finish()?;
    Ok(nps_counts(answers))
}

/// Options for [`csat`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(default, deny_unknown_fields))]
pub struct CsatOptions {
    /// Highest answer; answers are `1..=scale` (default 5, at least 2).
    pub scale: u32,
    /// Lowest answer counted as satisfied (`1..=scale`). `None` means
    /// top-two-box: `scale − 1`.
    pub satisfied_threshold: Option<u32>,
}

impl Default for CsatOptions {
    fn default() -> Self {
        CsatOptions {
            scale: 5,
            satisfied_threshold: None,
        }
    }
}

/// Customer satisfaction score of a set of answers.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Csat {
    /// Number of answers.
    pub respondents: u64,
    /// Answers at or above the satisfied threshold.
    pub satisfied: u64,
    /// The threshold used.
    pub threshold: u32,
    /// `100 × satisfied / respondents`, in `[0, 100]`.
    pub score: f64,
    /// Mean answer, in `[1, scale]`.
    pub mean: f64,
}

/// Customer satisfaction: `100 × satisfied / respondents`, plus the mean answer.
///
/// Errors on an invalid scale (< 2) or threshold (outside `1..=scale`),
/// empty input, or answers that are not whole numbers in `1..=scale`.
///
/// ```
/// use retention_core::metrics::{csat, CsatOptions};
/// let c = csat(&[5.0, 4.0, 3.0, 1.0], CsatOptions::default())?;
/// assert_eq!((c.satisfied, c.score, c.mean), (2, 50.0, 3.25));
/// # Ok::<(), retention_core::Error>(())
/// ```
pub fn csat(answers: &[f64], options: CsatOptions) -> Result<Csat> {
    let scale = options.scale;
    if scale < 2 {
        return Err(Error::parameter("scale", scale, "must be at least 2"));
    }
    let threshold = options.satisfied_threshold.unwrap_or(scale - 1);
    if threshold < 1 || threshold > scale {
        return Err(Error::parameter(
            "satisfied_threshold",
            threshold,
            "must be an answer on the scale (1..=scale)",
        ));
    }
    if answers.is_empty() {
        return Err(Error::EmptyInput {
            what: "CSAT answers",
        });
    }
    let mut issues = Issues::default();
    check_answers(&mut issues, "score", answers, 1, scale);
    issues.finish()?;
    let n = answers.len() as u64;
    let satisfied = answers
        .iter()
        .filter(|&&a| a >= f64::from(threshold))
        .count() as u64;
    let total: f64 = answers.iter().sum();
    Ok(Csat {
        respondents: n,
        satisfied,
        threshold,
        score: 100.0 * satisfied as f64 / n as f64,
        mean: total / n as f64,
    })
}

/// Customer effort score of a set of answers.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Ces {
    /// Number of answers.
    pub respondents: u64,
    /// Sum of the answers.
    pub total: f64,
    /// Mean answer, in `[1, choices]`.
    pub mean: f64,
    /// `((total / respondents) / choices) × 100`, in `(0, 100]`.
    pub score: f64,
}

/// The scale of a CES question, for callers who do not give one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(default, deny_unknown_fields))]
pub struct CesOptions {
    /// Number of answer choices (default 7, the CES 2.0 scale).
    pub choices: u32,
}

impl Default for CesOptions {
    fn default() -> Self {
        CesOptions { choices: 7 }
    }
}

/// Customer effort score: `((total / respondents) / choices) × 100`.
///
/// Answers must be whole numbers in `1..=choices`; `choices` must be at least 2.
///
/// ```
/// use retention_core::metrics::ces;
/// let c = ces(&[7.0, 5.0, 6.0], 7)?;
/// assert_eq!(c.mean, 6.0);
/// assert!((c.score - 600.0 / 7.0).abs() < 1e-12);
/// # Ok::<(), retention_core::Error>(())
/// ```
pub fn ces(answers: &[f64], choices: u32) -> Result<Ces> {
    if choices < 2 {
        return Err(Error::parameter("choices", choices, "must be at least 2"));
    }
    if answers.is_empty() {
        return Err(Error::EmptyInput {
            what: "CES answers",
        });
    }
    let mut issues = Issues::default();
    check_answers(&mut issues, "score", answers, 1, choices);
    issues.finish()?;
    let n = answers.len() as u64;
    let total: f64 = answers.iter().sum();
    let mean = total / n as f64;
    Ok(Ces {
        respondents: n,
        total,
        mean,
        score: mean / f64::from(choices) * 100.0,
    })
}

/// Customer loyalty index: the three 0–10 questions (recommend, repurchase,
/// buy other products) are each scored like NPS; the index is their mean, in
/// `[−100, 100]`.
///
/// The three answer sets may have different lengths. Every bad answer of
/// every question is reported in one [`Error::InvalidRows`], with the field
/// naming the question (`recommend`, `repurchase`, `other_products`) and the
/// row its index there. An empty question is [`Error::EmptyInput`].
///
/// ```
/// use retention_core::metrics::customer_loyalty_index;
/// // NPS 100, 0 and −100: mean 0.
/// let cli = customer_loyalty_index(&[10.0], &[8.0], &[2.0])?;
/// assert_eq!(cli, 0.0);
/// # Ok::<(), retention_core::Error>(())
/// ```
pub fn customer_loyalty_index(
    recommend: &[f64],
    repurchase: &[f64],
    other_products: &[f64],
) -> Result<f64> {
    let questions: [(&'static str, &'static str, &[f64]); 3] = [
        ("recommend", "loyalty answers: recommend", recommend),
        ("repurchase", "loyalty answers: repurchase", repurchase),
        (
            "other_products",
            "loyalty answers: other_products",
            other_products,
        ),
    ];
    if let Some(&(_, what, _)) = questions.iter().find(|q| q.2.is_empty()) {
        return Err(Error::EmptyInput { what });
    }
    let mut issues = Issues::default();
    for (field, _, answers) in questions {
        check_answers(&mut issues, field, answers, 0, 10);
    }
    issues.finish()?;
    let total: f64 = questions
        .iter()
        .map(|(_, _, answers)| nps_counts(answers).score)
        .sum();
    Ok(total / 3.0)
}

/// Survey answers of question `kind` given in `window`, in log order
/// (by customer, then time). Feed them to [`nps`], [`csat`], [`ces`] or
/// [`customer_loyalty_index`].
pub fn survey_answers(log: &EventLog, kind: SurveyKind, window: Window) -> Vec<f64> {
    let (times, kinds, values) = (log.times(), log.event_types(), log.values());
    (0..log.len())
        .filter(|&i| kinds[i] == EventType::Survey && window.contains(times[i]))
        .filter_map(|i| match log.get(i)?.kind() {
            crate::events::EventKind::Survey { kind: k, .. } if k == kind => Some(values[i]),
            _ => None,
        })
        .collect()
}
