//! Maximum-likelihood fits of the sBG and the BdW (see the parent module
//! for the likelihood), pooled or per cohort, and the likelihood-ratio test
//! between them.

use super::data::CohortSurvivors;
use super::likelihood::{Bdw, Grouped, Sbg};
use super::{CohortPooling, ContractualModelKind, ContractualParams};
use crate::error::{Error, IssueKind, Result};
use crate::models::fitting::{self, FitOptions, ModelFit};

/// A fitted contractual model.
pub type ContractualFit = ModelFit<ContractualParams>;

/// Fits `model` to the survivor counts of all cohorts together (one set of
/// parameters; each cohort right-censored at its own last age).
///
/// Errors: no subscriber ever cancels, or none is observed past age 0
/// ([`Error::InvalidParameter`] `survivors`: the likelihood has no
/// maximum); the optimiser's [`Error::FitNotConverged`]; invalid options as
/// for the other models.
pub fn fit(
    model: ContractualModelKind,
    data: &CohortSurvivors,
    options: &FitOptions,
) -> Result<ContractualFit> {
    let grouped = Grouped::new(data.counts.iter().map(Vec::as_slice));
    fit_grouped(model, &grouped, options)
}

fn fit_grouped(
    model: ContractualModelKind,
    grouped: &Grouped,
    options: &FitOptions,
) -> Result<ContractualFit> {
    if grouped.churned.iter().all(|&n| n == 0.0) {
        return Err(Error::parameter(
            "survivors",
            "no cancellation",
            "at least one subscriber must cancel within the observed ages for the model to be estimable",
        ));
    }
    let (rows, total) = (grouped.rows(), grouped.total());
    match model {
        ContractualModelKind::Sbg => {
            let (p, d) = fitting::fit(&Sbg(grouped), rows, total, options)?;
            fitting::finish::<Sbg<'_>, _, 2>(&p, d, |[a, b]| ContractualParams::sbg(a, b))
        }
        ContractualModelKind::Bdw => {
            let (p, d) = fitting::fit(&Bdw(grouped), rows, total, options)?;
            fitting::finish::<Bdw<'_>, _, 3>(&p, d, |[a, b, c]| ContractualParams::bdw(a, b, c))
        }
    }
}

/// Fits `model` to each cohort on its own, in input order.
///
/// Each cohort needs at least as many observed periods after age 0 as the
/// model has parameters (2 for the sBG, 3 for the BdW) and at least one
/// cancellation; otherwise [`Error::InvalidRows`] names the cohort (row,
/// field `survivors`). Optimiser failures are [`Error::FitNotConverged`].
pub fn fit_per_cohort(
    model: ContractualModelKind,
    data: &CohortSurvivors,
    options: &FitOptions,
) -> Result<Vec<ContractualFit>> {
    let k = ContractualParams::names(model).len();
    let mut issues = crate::error::Issues::default();
    for (row, counts) in data.counts.iter().enumerate() {
        let periods = counts.len().saturating_sub(1);
        if periods < k || counts.first() == counts.last() {
            issues.push(
                row,
                "survivors",
                format!(
                    "{periods} periods, {} cancellations",
                    counts[0] - counts[periods]
                ),
                IssueKind::OutOfRange {
                    min: k as f64,
                    max: f64::INFINITY,
                },
            );
        }
    }
    issues.finish()?;
    data.counts
        .iter()
        .map(|counts| fit_grouped(model, &Grouped::new([counts.as_slice()]), options))
        .collect()
}

/// The likelihood-ratio test of the sBG against the BdW on the same data.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct LikelihoodRatioTest {
    /// The sBG fit (the null model, `c = 1`).
    pub sbg: ContractualFit,
    /// The BdW fit.
    pub bdw: ContractualFit,
    /// `2 (ℓ_BdW − ℓ_sBG)`, floored at 0 (the BdW nests the sBG, so a
    /// negative value is optimiser tolerance).
    pub statistic: f64,
    /// Degrees of freedom of the `χ²` reference distribution (1).
    pub degrees_of_freedom: usize,
    /// `P(χ²₁ ≥ statistic)`.
    pub p_value: f64,
}

/// Fits `model` pooled (one fit, a list of one) or per cohort (one fit per
/// cohort, in input order), as `pooling` says: [`fit`] or
/// [`fit_per_cohort`], with their errors.
pub fn fit_cohorts(
    model: ContractualModelKind,
    data: &CohortSurvivors,
    pooling: CohortPooling,
    options: &FitOptions,
) -> Result<Vec<ContractualFit>> {
    match pooling {
        CohortPooling::Pooled => Ok(vec![fit(model, data, options)?]),
        CohortPooling::PerCohort => fit_per_cohort(model, data, options),
    }
}

/// Fits both models (pooled) and tests `c = 1`: the statistic
/// `2 (ℓ_BdW − ℓ_sBG)` is asymptotically `χ²₁` when the sBG holds.
///
/// Errors: those of [`fit`] for either model.
pub fn likelihood_ratio_test(
    data: &CohortSurvivors,
    options: &FitOptions,
) -> Result<LikelihoodRatioTest> {
    let grouped = Grouped::new(data.counts.iter().map(Vec::as_slice));
    let sbg = fit_grouped(ContractualModelKind::Sbg, &grouped, options)?;
    let mut bdw_options = options.clone();
    if bdw_options.initial_params.is_none() {
        // Start the BdW at the sBG estimate (c = 1): the nested optimum.
        bdw_options.initial_params = Some(vec![sbg.params.alpha, sbg.params.beta, 1.0]);
    } else {
        bdw_options.initial_params = None;
    }
    let bdw = fit_grouped(ContractualModelKind::Bdw, &grouped, &bdw_options)?;
    let statistic =
        (2.0 * (bdw.diagnostics.log_likelihood - sbg.diagnostics.log_likelihood)).max(0.0);
    Ok(LikelihoodRatioTest {
        p_value: crate::special::chi_square_sf(statistic, 1),
        sbg,
        bdw,
        statistic,
        degrees_of_freedom: 1,
    })
}
