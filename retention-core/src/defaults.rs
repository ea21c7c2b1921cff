//! Every option's default in one value.
//!
//! The defaults are written once, in each option struct's `Default` (or
//! `new`); [`Defaults`] gathers them so that a front door can show them
//! (with the `serde` feature it serialises to plain data, keyed like the
//! option structs' fields) and its tests can check that every default it
//! prints equals the core's.

use crate::churn::health::HealthOptions;
use crate::churn::supervised::LogisticOptions;
use crate::churn::traffic_light::{LightThresholds, RiskSource};
use crate::cohorts::retention::RetentionOptions;
use crate::cohorts::CohortOptions;
use crate::events::LogOptions;
use crate::experiments::ZTestOptions;
use crate::loyalty::LoyaltyConfig;
use crate::metrics::{ActivityOptions, CesOptions, CsatOptions};
use crate::model_input::ModelInputOptions;
use crate::models::clv::ClvOptions;
use crate::models::covariates::CovariateSettings;
use crate::models::evaluation::EvaluationOptions;
use crate::models::FitOptions;
use crate::sample::SampleOptions;
use crate::segments::lifecycle::LifecycleOptions;
use crate::segments::rfm::RfmOptions;
use crate::survival::{ChurnSurvivalOptions, CoxOptions, KaplanMeierOptions, NelsonAalenOptions};
use crate::time::Calendar;

/// The default of every option struct of the public API (options that
/// need an instant, such as RFM's `as_of`, hold the epoch there).
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Defaults {
    /// [`ActivityOptions`].
    pub activity: ActivityOptions,
    /// The [`Calendar`] of series and cohorts when no period is named.
    pub calendar: Calendar,
    /// [`CesOptions`].
    pub ces: CesOptions,
    /// [`ClvOptions`].
    pub clv: ClvOptions,
    /// [`ChurnSurvivalOptions`].
    pub churn_survival: ChurnSurvivalOptions,
    /// [`CohortOptions`].
    pub cohort: CohortOptions,
    /// [`RetentionOptions`].
    pub cohort_retention: RetentionOptions,
    /// [`CovariateSettings`].
    pub covariates: CovariateSettings,
    /// [`CoxOptions`].
    pub cox: CoxOptions,
    /// [`CsatOptions`].
    pub csat: CsatOptions,
    /// [`EvaluationOptions`].
    pub evaluation: EvaluationOptions,
    /// [`FitOptions`].
    pub fit: FitOptions,
    /// [`HealthOptions`].
    pub health: HealthOptions,
    /// [`KaplanMeierOptions`].
    pub kaplan_meier: KaplanMeierOptions,
    /// [`LifecycleOptions`].
    pub lifecycle: LifecycleOptions,
    /// [`LightThresholds`].
    pub lights: LightThresholds,
    /// [`LogOptions`].
    pub log: LogOptions,
    /// [`LogisticOptions`].
    pub logistic: LogisticOptions,
    /// [`LoyaltyConfig`].
    pub loyalty: LoyaltyConfig,
    /// [`ModelInputOptions`].
    pub model_input: ModelInputOptions,
    /// [`NelsonAalenOptions`].
    pub nelson_aalen: NelsonAalenOptions,
    /// [`RfmOptions`].
    pub rfm: RfmOptions,
    /// The [`RiskSource`] of a traffic light when none is named.
    pub risk_source: RiskSource,
    /// [`SampleOptions`].
    pub sample: SampleOptions,
    /// [`ZTestOptions`].
    pub z_test: ZTestOptions,
}

impl Default for Defaults {
    fn default() -> Self {
        Defaults {
            activity: ActivityOptions::default(),
            calendar: Calendar::default(),
            ces: CesOptions::default(),
            clv: ClvOptions::default(),
            churn_survival: ChurnSurvivalOptions::default(),
            cohort: CohortOptions::default(),
            cohort_retention: RetentionOptions::default(),
            covariates: CovariateSettings::default(),
            cox: CoxOptions::default(),
            csat: CsatOptions::default(),
            evaluation: EvaluationOptions::default(),
            fit: FitOptions::default(),
            health: HealthOptions::default(),
            kaplan_meier: KaplanMeierOptions::default(),
            lifecycle: LifecycleOptions::default(),
            lights: LightThresholds::default(),
            log: LogOptions::default(),
            logistic: LogisticOptions::default(),
            loyalty: LoyaltyConfig::default(),
            model_input: ModelInputOptions::new(0),
            nelson_aalen: NelsonAalenOptions::default(),
            rfm: RfmOptions::new(0),
            risk_source: RiskSource::default(),
            sample: SampleOptions::default(),
            z_test: ZTestOptions::default(),
        }
    }
}
