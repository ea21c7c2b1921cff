//! Probabilistic "buy-till-you-die" models of customer purchasing, fitted by
//! maximum likelihood.
//!
//! | model | module | per-customer input | reference |
//! |---|---|---|---|
//! | BG/NBD | [`bgnbd`] | frequency `x`, recency `tₓ`, age `T` | Fader, Hardie & Lee (2005a) |
//! | MBG/NBD | [`mbgnbd`] | `x`, `tₓ`, `T` | Batislam, Denizel & Filiztekin (2007) |
//! | Pareto/NBD | [`pareto_nbd`] | `x`, `tₓ`, `T` | Schmittlein, Morrison & Colombo (1987); Fader & Hardie (2005) |
//! | GGompertz/NBD | [`ggomnbd`] | `x`, `tₓ`, `T` | Bemmaor & Glady (2012) |
//! | BG/BB | [`bgbb`] | `x`, `tₓ`, `n` periods, weight | Fader, Hardie & Shang (2010) |
//! | Gamma-Gamma | [`gamma_gamma`] | `x`, mean repeat spend `m̄ₓ` | Fader, Hardie & Lee (2005b); Fader & Hardie (2013) |
//!
//! Conventions shared by all models (those of the literature):
//!
//! * **frequency** `x` is the number of *repeat* purchases (the first
//!   purchase is not counted), a whole number `≥ 0`;
//! * **recency** `tₓ` is the time of the last repeat purchase, measured from
//!   the first purchase (0 when `x = 0`);
//! * **age** `T` is the time from the first purchase to the end of the
//!   observation period, so `0 ≤ tₓ ≤ T`.
//!
//! Time is in whatever unit the caller used (days, weeks…); parameters such
//! as the gamma scale `α` and predictions such as "purchases in the next `t`"
//! are in that same unit.
//!
//! Each model has a parameter type (e.g. [`bgnbd::BgNbdParams`]) that can be
//! built from known values and carries the predictions, and a `fit` function
//! returning a [`ModelFit`]: the parameters together with [`FitDiagnostics`]
//! (log-likelihood, standard errors, optimiser details). A model module
//! holds only its likelihood (value, gradient, starting points) and
//! predictions; validation, the optimiser call and the diagnostics are
//! shared (`fitting`). Fitting maximises
//!
//! ```text
//! ℓ(θ) = Σᵢ wᵢ ln Lᵢ(θ)
//! ```
//!
//! with optional per-row weights `wᵢ` (counts of identical rows, for
//! aggregated input) and an optional L2 penalty, using the optimiser in
//! [`optim`]. The special functions are in [`crate::special`]. Inputs of
//! more than 40,000 rows are first fitted on a systematic subsample of about
//! 10,000 rows (weights scaled up); its estimate and inverse Hessian start
//! the fit on all rows, which then converges to the same tolerance in a few
//! steps (the usual starts follow if it does not).
//!
//! [`contractual`] holds the contractual retention models (sBG, BdW) fitted
//! to cohorts' survivor counts, and the predictive cohort matrix.
//!
//! [`covariates`] adds time-invariant customer covariates to Pareto/NBD,
//! BG/NBD and Gamma-Gamma.
//!
//! [`clv`] combines a transaction model with Gamma-Gamma into predictive
//! customer lifetime value; [`predictions`] adds P(alive) at a future time,
//! the conditional purchase-count distribution, DERT, the next purchase and
//! intervals around predictions; [`evaluation`] scores a fitted model on a
//! holdout period (tracking series, conditional expectations, error metrics).
//!
//! Every prediction either returns finite numbers — probabilities in
//! `[0, 1]`, expectations `≥ 0` and non-decreasing in the horizon — or a
//! typed error; the computations are arranged in log space so that this
//! holds for extreme histories (very large `x`, `tₓ = T`).
//!
//! # Bounded work
//!
//! No function's running time grows without bound in an argument. Every
//! argument that sets the amount of work either has a documented limit,
//! beyond which the function returns a typed error naming the argument, or
//! is handled by an algorithm whose cost does not grow with it:
//!
//! | argument | where | limit or cost |
//! |---|---|---|
//! | opportunities `n` (`age` column, `periods`) | BG/BB fit, likelihood, P(alive), conditional expectations, DERT, conditional distribution | ≤ [`bgbb::MAX_OPPORTUNITIES`] (100 000); `O(n − tₓ)` per row, a few ns a term |
//! | `n` of `P(X(n) = x)` | [`bgbb::BgBbParams::probability_of_transactions`] | ≤ [`bgbb::MAX_OPPORTUNITIES`]; `O(n − x)` |
//! | `future` of P(alive) and expectations | BG/BB | closed form, `O(1)` |
//! | `future` of the conditional distribution | BG/BB | ≤ [`predictions::bgbb::MAX_FUTURE_OPPORTUNITIES`] (100 000) |
//! | horizons `t`, `T`, `x`, `tₓ` | BG/NBD, MBG/NBD, Pareto/NBD, GGompertz/NBD, Gamma-Gamma | closed forms, series of at most 20 000 terms, quadrature of bounded size (below) |
//! | quadrature | Pareto/NBD integral and purchase-count probabilities, BG/NBD and residual integrals | at most [`crate::special::QUADRATURE_MAX_SPLITS`] panel splits (2 000) per integral |
//! | purchase count `n` | `probability_of_purchases`, conditional purchase counts | ≤ [`predictions::MAX_PURCHASE_COUNT`] (100 000) |
//! | `horizon_months` | [`clv::predictive_clv`], [`clv::discounted_value`] | ≤ [`clv::MAX_HORIZON_MONTHS`] (1 200); `O(H)` per distinct history |
//! | `max_iterations` | every `fit` ([`FitOptions`]) | ≤ [`MAX_FIT_ITERATIONS`] (100 000) |
//! | `draws`, `draws × rows` | bootstrap intervals | ≤ [`predictions::intervals::MAX_BOOTSTRAP_DRAWS`], [`predictions::intervals::MAX_BOOTSTRAP_VALUES`] |
//! | customers, periods, purchases | [`simulate`] | ≤ [`simulate::MAX_SIMULATED_CUSTOMERS`], [`simulate::MAX_SIMULATED_PERIODS`], [`simulate::MAX_SIMULATED_PURCHASES`] |
//! | tracking and path periods, table groups | [`evaluation`] | ≤ [`evaluation::MAX_PERIODS`], [`evaluation::MAX_GROUPS`] |
//!
//! The number of rows is the size of the input, not a work argument: every
//! batch is linear in it.
//!
//! # References
//!
//! * Fader, P. S., Hardie, B. G. S. & Lee, K. L. (2005a). "Counting your
//!   customers" the easy way: an alternative to the Pareto/NBD model.
//!   *Marketing Science* 24(2), 275–284.
//! * Fader, P. S., Hardie, B. G. S. & Lee, K. L. (2005b). RFM and CLV: using
//!   iso-value curves for customer base analysis. *Journal of Marketing
//!   Research* 42(4), 415–430.
//! * Fader, P. S. & Hardie, B. G. S. (2005). A note on deriving the
//!   Pareto/NBD model and related expressions.
//! * Fader, P. S. & Hardie, B. G. S. (2013). The Gamma-Gamma model of
//!   monetary value.
//! * Fader, P. S., Hardie, B. G. S. & Shang, J. (2010). Customer-base
//!   analysis in a discrete-time noncontractual setting. *Marketing Science*
//!   29(6), 1086–1108.
//! * Batislam, E. P., Denizel, M. & Filiztekin, A. (2007). Empirical
//!   validation and comparison of models for customer base analysis.
//!   *International Journal of Research in Marketing* 24(3), 201–209.
//! * Bemmaor, A. C. & Glady, N. (2012). Modeling purchasing behavior with
//!   sudden "death": a flexible customer lifetime model. *Management
//!   Science* 58(5), 1012–1021.
//! * Schmittlein, D. C., Morrison, D. G. & Colombo, R. (1987). Counting your
//!   customers: who are they and what will they do next? *Management
//!   Science* 33(1), 1–24.

pub mod bgbb;
pub mod bgnbd;
mod bracket;
pub mod clv;
pub mod contractual;
pub mod covariates;
pub mod evaluation;
mod fitting;
pub mod gamma_gamma;
pub mod ggomnbd;
pub mod mbgnbd;
pub mod optim;
pub mod pareto_nbd;
pub mod predictions;
pub mod scores;
pub mod simulate;
mod validate;

pub(crate) use fitting::check_max_iterations;
pub use fitting::{wald_intervals, FitDiagnostics, FitOptions, ModelFit, MAX_FIT_ITERATIONS};
pub use validate::{check_inputs, TransactionSummary};

use crate::Result;

/// Predictions shared by the continuous-time transaction models (BG/NBD,
/// MBG/NBD, Pareto/NBD, GGompertz/NBD), used by [`clv::predictive_clv`].
///
/// Arguments are in the time unit of the data the model was fitted on.
pub trait TransactionModel {
    /// Expected number of repeat purchases in `(0, t]` for a customer who
    /// made a first purchase at time 0.
    fn expected_purchases(&self, t: f64) -> Result<f64>;

    /// Expected number of purchases in the next `t` time units for a
    /// customer with history `(frequency, recency, age)`.
    fn conditional_expected_purchases(
        &self,
        t: f64,
        frequency: f64,
        recency: f64,
        age: f64,
    ) -> Result<f64>;

    /// [`conditional_expected_purchases`](TransactionModel::conditional_expected_purchases)
    /// of one history at each of `horizons`, into `out` (cleared first).
    /// Models override it to evaluate what does not depend on the horizon
    /// (the validation, P(alive)) once.
    fn conditional_expected_purchases_at(
        &self,
        horizons: &[f64],
        frequency: f64,
        recency: f64,
        age: f64,
        out: &mut Vec<f64>,
    ) -> Result<()> {
        out.clear();
        for &t in horizons {
            out.push(self.conditional_expected_purchases(t, frequency, recency, age)?);
        }
        Ok(())
    }

    /// Probability that a customer with this history is still "alive"
    /// (has not dropped out) at the end of the observation period.
    fn probability_alive(&self, frequency: f64, recency: f64, age: f64) -> Result<f64>;

    /// [`probability_alive`](TransactionModel::probability_alive) for every
    /// row of `data` (weights are ignored). Every invalid row is reported in
    /// one [`Error::InvalidRows`](crate::Error::InvalidRows).
    fn probability_alive_batch(&self, data: &TransactionSummary<'_>) -> Result<Vec<f64>> {
        map_rows(data, false, |x, t_x, age| {
            self.probability_alive(x, t_x, age)
        })
    }

    /// [`conditional_expected_purchases`](TransactionModel::conditional_expected_purchases)
    /// over the next `t` for every row of `data` (weights are ignored).
    fn conditional_expected_purchases_batch(
        &self,
        t: f64,
        data: &TransactionSummary<'_>,
    ) -> Result<Vec<f64>> {
        validate::check_horizon("t", t)?;
        map_rows(data, false, |x, t_x, age| {
            self.conditional_expected_purchases(t, x, t_x, age)
        })
    }

    /// [`conditional_expected_purchases`](TransactionModel::conditional_expected_purchases)
    /// with a horizon per row: `horizons[i]` for row `i` of `data` (weights
    /// are ignored). Rows sharing a horizon are computed together by
    /// [`conditional_expected_purchases_batch`](TransactionModel::conditional_expected_purchases_batch).
    /// Every invalid row and horizon (field `t`) is reported at once.
    fn conditional_expected_purchases_each(
        &self,
        horizons: &[f64],
        data: &TransactionSummary<'_>,
    ) -> Result<Vec<f64>> {
        crate::error::check_len("t", data.len(), horizons.len())?;
        let mut issues = crate::error::Issues::default();
        for (row, &t) in horizons.iter().enumerate() {
            if validate::check_horizon("t", t).is_err() {
                let kind = if t.is_finite() {
                    crate::IssueKind::Negative
                } else {
                    crate::IssueKind::NotFinite
                };
                issues.push(row, "t", t, kind);
            }
        }
        if let Err(crate::Error::InvalidRows { issues: rows }) = data.validate_for_prediction(false)
        {
            for i in rows {
                issues.push(i.row, i.field, i.value, i.kind);
            }
        }
        issues.finish()?;
        let mut order: Vec<usize> = (0..horizons.len()).collect();
        order.sort_by(|&a, &b| horizons[a].total_cmp(&horizons[b]));
        let mut out = vec![0.0; horizons.len()];
        for group in order.chunk_by(|&a, &b| horizons[a] == horizons[b]) {
            let pick = |col: &[f64]| group.iter().map(|&i| col[i]).collect::<Vec<f64>>();
            let (x, t_x, age) = (pick(data.frequency), pick(data.recency), pick(data.age));
            let part = TransactionSummary::new(&x, &t_x, &age);
            let values = self
                .conditional_expected_purchases_batch(horizons[group[0]], &part)
                .map_err(|e| match e {
                    crate::Error::NonFiniteResult { what, row: Some(r) } => {
                        crate::Error::NonFiniteResult {
                            what,
                            row: Some(group[r]),
                        }
                    }
                    other => other,
                })?;
            for (&i, v) in group.iter().zip(values) {
                out[i] = v;
            }
        }
        Ok(out)
    }
}

/// Validates `data` (every invalid row reported at once; `discrete` for
/// BG/BB's whole-number histories), then applies `f`
/// to each `(x, tₓ, T)` row, attaching the row index to any error.
pub(crate) fn map_rows(
    data: &TransactionSummary<'_>,
    discrete: bool,
    mut f: impl FnMut(f64, f64, f64) -> Result<f64>,
) -> Result<Vec<f64>> {
    data.validate_for_prediction(discrete)?;
    data.frequency
        .iter()
        .zip(data.recency)
        .zip(data.age)
        .enumerate()
        .map(|(i, ((&x, &t_x), &age))| f(x, t_x, age).map_err(at_row(i)))
        .collect()
}

/// Attaches a row index to errors from per-row computations.
fn at_row(row: usize) -> impl Fn(crate::Error) -> crate::Error {
    move |e| match e {
        crate::Error::NonFiniteResult { what, row: None } => crate::Error::NonFiniteResult {
            what,
            row: Some(row),
        },
        crate::Error::InvalidRows { issues } => crate::Error::InvalidRows {
            issues: issues
                .into_iter()
                .map(|mut issue| {
                    issue.row = row;
                    issue
                })
                .collect(),
        },
        other => other,
    }
}

crate::vocab::codes! {
    /// Which continuous-time transaction model: the one place where the
    /// bindings' model names are decided.
    pub enum TransactionModelKind as "transaction_model" {
        /// BG/NBD ([`bgnbd`]).
        BgNbd = "bg_nbd",
        /// MBG/NBD ([`mbgnbd`]).
        MbgNbd = "mbg_nbd",
        /// Pareto/NBD ([`pareto_nbd`]).
        ParetoNbd = "pareto_nbd",
        /// GGompertz/NBD ([`ggomnbd`]).
        GgomNbd = "ggom_nbd",
    }
}

/// The parameters of any transaction model: one type to fit, store and
/// predict with, whatever the [`TransactionModelKind`].
///
/// With the `serde` feature it reads and writes as the parameters tagged
/// with the model's code, e.g. `{"model": "bg_nbd", "r": …, "alpha": …,
/// "a": …, "b": …}`.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(tag = "model", rename_all = "snake_case"))]
pub enum TransactionModelParams {
    /// BG/NBD.
    BgNbd(bgnbd::BgNbdParams),
    /// MBG/NBD.
    MbgNbd(mbgnbd::MbgNbdParams),
    /// Pareto/NBD.
    ParetoNbd(pareto_nbd::ParetoNbdParams),
    /// GGompertz/NBD.
    GgomNbd(ggomnbd::GgomNbdParams),
}

impl TransactionModelParams {
    /// Fits a model of `kind` by maximum likelihood (see each model's `fit`).
    pub fn fit(
        kind: TransactionModelKind,
        data: &TransactionSummary<'_>,
        options: &FitOptions,
    ) -> Result<ModelFit<TransactionModelParams>> {
        fn wrap<P>(
            f: ModelFit<P>,
            to: fn(P) -> TransactionModelParams,
        ) -> ModelFit<TransactionModelParams> {
            ModelFit {
                params: to(f.params),
                diagnostics: f.diagnostics,
            }
        }
        Ok(match kind {
            TransactionModelKind::BgNbd => wrap(bgnbd::fit(data, options)?, Self::BgNbd),
            TransactionModelKind::MbgNbd => wrap(mbgnbd::fit(data, options)?, Self::MbgNbd),
            TransactionModelKind::ParetoNbd => {
                wrap(pareto_nbd::fit(data, options)?, Self::ParetoNbd)
            }
            TransactionModelKind::GgomNbd => wrap(ggomnbd::fit(data, options)?, Self::GgomNbd),
        })
    }

    /// [`TransactionModelParams::fit`] with every recency and age multiplied
    /// by `time_scale` first (for instance `1 / max T`, which keeps the
    /// optimiser well conditioned whatever the data's time unit), the
    /// result reported in the data's own unit: the time parameters (`α`,
    /// and Pareto/NBD's `β`) divided by `time_scale` and the rates
    /// (GGompertz/NBD's `b`) multiplied by it, their standard errors
    /// and covariance with them, and the log-likelihood shifted by
    /// `Σ wᵢ xᵢ ln(time_scale)` (every density here is homogeneous of
    /// degree `−x` in the time parameters and the times). The penalty, if
    /// any, acts on the scaled parameters, as in `lifetimes`.
    ///
    /// Errors: those of `fit`, and a `time_scale` that is not finite and `> 0`.
    pub fn fit_rescaled(
        kind: TransactionModelKind,
        data: &TransactionSummary<'_>,
        options: &FitOptions,
        time_scale: f64,
    ) -> Result<ModelFit<TransactionModelParams>> {
        let c = crate::error::positive("time_scale", time_scale)?;
        let recency: Vec<f64> = data.recency.iter().map(|t| t * c).collect();
        let age: Vec<f64> = data.age.iter().map(|t| t * c).collect();
        let mut scaled = TransactionSummary::new(data.frequency, &recency, &age);
        if let Some(w) = data.weights {
            scaled = scaled.with_weights(w);
        }
        let fit = Self::fit(kind, &scaled, options)?;
        let factors: Vec<f64> = (0..Self::names(kind).len())
            .map(|i| match (kind, i) {
                (_, 1) | (TransactionModelKind::ParetoNbd, 3) => 1.0 / c,
                (TransactionModelKind::GgomNbd, 2) => c,
                _ => 1.0,
            })
            .collect();
        let values: Vec<f64> = fit
            .params
            .values()
            .iter()
            .zip(&factors)
            .map(|(v, f)| v * f)
            .collect();
        let weighted_x: f64 = match data.weights {
            Some(w) => data.frequency.iter().zip(w).map(|(x, w)| x * w).sum(),
            None => data.frequency.iter().sum(),
        };
        Ok(ModelFit {
            params: Self::from_values(kind, &values)?,
            diagnostics: fit.diagnostics.rescaled(&factors, weighted_x * c.ln()),
        })
    }

    /// A model of `kind` from its parameter values in [`Self::names`] order,
    /// validated like each model's `new`.
    pub fn from_values(kind: TransactionModelKind, values: &[f64]) -> Result<Self> {
        if values.len() != Self::names(kind).len() {
            return Err(crate::Error::parameter(
                "params",
                values,
                "must hold one value per parameter of the model",
            ));
        }
        let p = |i: usize| values.get(i).copied().unwrap_or(f64::NAN);
        let (p0, p1, p2, p3) = (p(0), p(1), p(2), p(3));
        Ok(match kind {
            TransactionModelKind::BgNbd => Self::BgNbd(bgnbd::BgNbdParams::new(p0, p1, p2, p3)?),
            TransactionModelKind::MbgNbd => {
                Self::MbgNbd(mbgnbd::MbgNbdParams::new(p0, p1, p2, p3)?)
            }
            TransactionModelKind::ParetoNbd => {
                Self::ParetoNbd(pareto_nbd::ParetoNbdParams::new(p0, p1, p2, p3)?)
            }
            TransactionModelKind::GgomNbd => {
                Self::GgomNbd(ggomnbd::GgomNbdParams::new(p0, p1, p2, p3, p(4))?)
            }
        })
    }

    /// A model of `kind` from `(name, value)` pairs in any order: every
    /// parameter named once (see [`Self::names`]), no other name.
    pub fn from_named(kind: TransactionModelKind, named: &[(String, f64)]) -> Result<Self> {
        let names = Self::names(kind);
        if let Some((unknown, _)) = named.iter().find(|(n, _)| !names.contains(&n.as_str())) {
            return Err(crate::Error::parameter(
                "params",
                unknown,
                "not a parameter of this model",
            ));
        }
        let values = names
            .iter()
            .map(|n| {
                named
                    .iter()
                    .find(|(m, _)| m == n)
                    .map(|(_, v)| *v)
                    .ok_or_else(|| {
                        crate::Error::parameter("params", n, "a parameter of the model is missing")
                    })
            })
            .collect::<Result<Vec<f64>>>()?;
        Self::from_values(kind, &values)
    }

    /// The same parameters, validated (for values read with serde).
    pub fn validated(self) -> Result<Self> {
        Self::from_values(self.kind(), &self.values())
    }

    /// Which model these are.
    pub fn kind(&self) -> TransactionModelKind {
        match self {
            Self::BgNbd(_) => TransactionModelKind::BgNbd,
            Self::MbgNbd(_) => TransactionModelKind::MbgNbd,
            Self::ParetoNbd(_) => TransactionModelKind::ParetoNbd,
            Self::GgomNbd(_) => TransactionModelKind::GgomNbd,
        }
    }

    /// Parameter names of a model kind, in the order of [`Self::values`].
    pub fn names(kind: TransactionModelKind) -> &'static [&'static str] {
        match kind {
            TransactionModelKind::BgNbd | TransactionModelKind::MbgNbd => &["r", "alpha", "a", "b"],
            TransactionModelKind::ParetoNbd => &["r", "alpha", "s", "beta"],
            TransactionModelKind::GgomNbd => &["r", "alpha", "b", "s", "beta"],
        }
    }

    /// Parameter values, in [`Self::names`] order.
    pub fn values(&self) -> Vec<f64> {
        match *self {
            Self::BgNbd(p) => vec![p.r, p.alpha, p.a, p.b],
            Self::MbgNbd(p) => vec![p.r, p.alpha, p.a, p.b],
            Self::ParetoNbd(p) => vec![p.r, p.alpha, p.s, p.beta],
            Self::GgomNbd(p) => vec![p.r, p.alpha, p.b, p.s, p.beta],
        }
    }

    /// The model behind the shared predictions.
    pub fn model(&self) -> &dyn TransactionModel {
        match self {
            Self::BgNbd(p) => p,
            Self::MbgNbd(p) => p,
            Self::ParetoNbd(p) => p,
            Self::GgomNbd(p) => p,
        }
    }

    /// Total (weighted) log-likelihood of `data` at these parameters.
    pub fn log_likelihood(&self, data: &TransactionSummary<'_>) -> Result<f64> {
        match self {
            Self::BgNbd(p) => p.log_likelihood(data),
            Self::MbgNbd(p) => p.log_likelihood(data),
            Self::ParetoNbd(p) => p.log_likelihood(data),
            Self::GgomNbd(p) => p.log_likelihood(data),
        }
    }

    /// P(exactly `n` repeat purchases in `(0, t]`) for a new customer.
    pub fn probability_of_purchases(&self, n: u64, t: f64) -> Result<f64> {
        match self {
            Self::BgNbd(p) => p.probability_of_purchases(n, t),
            Self::MbgNbd(p) => p.probability_of_purchases(n, t),
            Self::ParetoNbd(p) => p.probability_of_purchases(n, t),
            Self::GgomNbd(p) => p.probability_of_purchases(n, t),
        }
    }
}

impl TransactionModel for TransactionModelParams {
    fn expected_purchases(&self, t: f64) -> Result<f64> {
        self.model().expected_purchases(t)
    }

    fn conditional_expected_purchases(
        &self,
        t: f64,
        frequency: f64,
        recency: f64,
        age: f64,
    ) -> Result<f64> {
        self.model()
            .conditional_expected_purchases(t, frequency, recency, age)
    }

    fn conditional_expected_purchases_at(
        &self,
        horizons: &[f64],
        frequency: f64,
        recency: f64,
        age: f64,
        out: &mut Vec<f64>,
    ) -> Result<()> {
        // Forwarded, so that the models' own versions (P(alive) once, one
        // pass over the horizons) serve the doors' CLV too.
        self.model()
            .conditional_expected_purchases_at(horizons, frequency, recency, age, out)
    }

    fn probability_alive(&self, frequency: f64, recency: f64, age: f64) -> Result<f64> {
        self.model().probability_alive(frequency, recency, age)
    }

    fn probability_alive_batch(&self, data: &TransactionSummary<'_>) -> Result<Vec<f64>> {
        self.model().probability_alive_batch(data)
    }

    fn conditional_expected_purchases_batch(
        &self,
        t: f64,
        data: &TransactionSummary<'_>,
    ) -> Result<Vec<f64>> {
        self.model().conditional_expected_purchases_batch(t, data)
    }
}
