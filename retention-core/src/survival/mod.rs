//! Survival analysis for right-censored durations: Kaplan–Meier,
//! Nelson–Aalen, the log-rank test, Cox proportional hazards, parametric
//! and accelerated failure time models ([`parametric`]) and the
//! concordance index.
//!
//! Input is raw data: one duration `tᵢ ≥ 0` (finite) and one event flag
//! `δᵢ` per subject (`true` = the event was observed, `false` = the
//! subject was right-censored at `tᵢ`). Every function validates its input
//! and reports *all* bad rows at once ([`Error::InvalidRows`](crate::Error)).
//! Kaplan–Meier, Nelson–Aalen and the log-rank test depend on the times only
//! through their order, so they also accept negative (finite) durations, as
//! lifelines does; the time origin is then the earliest duration.
//! The numbers agree with the Python library `lifelines` (0.30) to 1e-6
//! relative; where lifelines makes a choice, it is named below.
//! [`churn_durations`] builds that data from an event log: each customer's
//! time to churn, right-censored at `as_of`.
//!
//! ```
//! use retention_core::survival::{
//!     logrank_test, CoxModel, CoxOptions, KaplanMeier, KaplanMeierOptions,
//! };
//!
//! // Days until churn; `false` = still subscribed when the data were pulled.
//! let days = [5.0, 8.0, 8.0, 12.0, 20.0, 30.0, 30.0, 41.0];
//! let churned = [true, true, false, true, true, false, true, false];
//!
//! let km = KaplanMeier::fit(&days, &churned, &KaplanMeierOptions::default())?;
//! assert_eq!(km.median_survival_time(), Some(20.0)); // S(20) = 0.45
//! assert!((km.survival_at(10.0)? - 0.75).abs() < 1e-12);
//!
//! let test = logrank_test(&days[..4], &churned[..4], &days[4..], &churned[4..])?;
//! assert!(test.p_value > 0.0 && test.p_value <= 1.0);
//!
//! let discount = [1.0, 0.0, 1.0, 0.0, 0.0, 1.0, 0.0, 1.0];
//! let cox = CoxModel::fit(&days, &churned, &[discount], &CoxOptions::default())?;
//! assert_eq!(cox.coefficients.len(), 1);
//! # Ok::<(), retention_core::Error>(())
//! ```
//!
//! # Life table
//!
//! At each distinct time `t_j` (plus the origin `t = min(0, min tᵢ)`) the
//! [`EventTable`] counts `n_j`, the subjects at risk (duration `≥ t_j`),
//! `d_j`, the events at `t_j`, and `c_j`, the subjects censored at `t_j`.
//!
//! # Kaplan–Meier ([`KaplanMeier`])
//!
//! The product-limit estimator (Kaplan & Meier 1958):
//!
//! ```text
//! Ŝ(t) = ∏_{t_j ≤ t} (1 − d_j / n_j)
//! ```
//!
//! Greenwood's formula (Greenwood 1926) estimates the variance of `log Ŝ`:
//!
//! ```text
//! σ²(t) = Σ_{t_j ≤ t} d_j / (n_j (n_j − d_j))        (terms with n_j = d_j are 0)
//! ```
//!
//! Confidence intervals at level `1 − α`, with `z = Φ⁻¹(1 − α/2)`:
//!
//! - exponential Greenwood, the default ([`KmConfidenceTransform::LogLog`]):
//!   a symmetric interval for `log(−log Ŝ)`, whose standard error is
//!   `σ / |log Ŝ|` by the delta method (Kalbfleisch & Prentice 1980), mapped
//!   back: `Ŝ^{exp(+zσ/|log Ŝ|)} ≤ S(t) ≤ Ŝ^{exp(−zσ/|log Ŝ|)}`. Where
//!   `Ŝ = 1` both bounds are 1, where `Ŝ = 0` both are 0 (as in lifelines).
//! - linear Greenwood ([`KmConfidenceTransform::Linear`]):
//!   `Ŝ ± z Ŝ σ`, clipped to `[0, 1]`.
//!
//! The median survival time is the first `t_j` with `Ŝ(t_j) ≤ 1/2` and
//! `None` when the curve never gets there (lifelines reports `inf`). Its
//! confidence interval is, like lifelines' `median_survival_times` applied to
//! the confidence bands, the first times at which the lower and the upper
//! band reach `1/2`. (This inverts the pointwise bands; it is not the
//! Brookmeyer & Crowley 1982 test-based interval.)
//!
//! # Nelson–Aalen ([`NelsonAalen`])
//!
//! The cumulative hazard (Nelson 1972; Aalen 1978) is
//! `Ĥ(t) = Σ_{t_j ≤ t} ΔĤ_j`. With the default tie handling
//! ([`NelsonAalenTies::Smoothed`], lifelines' `nelson_aalen_smoothing=True`)
//! the `d_j` tied events are counted one after another,
//!
//! ```text
//! ΔĤ_j = Σ_{k=0}^{d_j−1} 1/(n_j − k),     Var ΔĤ_j = Σ_{k=0}^{d_j−1} 1/(n_j − k)²,
//! ```
//!
//! and with [`NelsonAalenTies::Discrete`], `ΔĤ_j = d_j/n_j` and
//! `Var ΔĤ_j = d_j (n_j − d_j)/n_j³` (Klein & Moeschberger 2003, §4.2). The
//! interval is built on the log scale: `Ĥ exp(±z σ / Ĥ)` (both bounds 0
//! where `Ĥ = 0`).
//!
//! # Log-rank test ([`logrank_test`], [`multivariate_logrank_test`])
//!
//! For `G` groups, at each event time `t_j` with `n_j` at risk overall
//! (`n_gj` in group `g`) and `d_j` events (`d_gj` in group `g`)
//! (Mantel 1966; Peto & Peto 1972):
//!
//! ```text
//! O_g − E_g = Σ_j (d_gj − n_gj d_j / n_j)
//! V_gh      = Σ_j d_j (n_j − d_j) / (n_j − 1) · n_gj (δ_gh n_j − n_hj) / n_j²
//! χ²        = (O − E)ᵀ V⁻ (O − E)      over the first G − 1 groups
//! ```
//!
//! with `G − 1` degrees of freedom; `(n_j − d_j)/(n_j − 1)` is taken as 1
//! when `n_j = 1`. A generalized inverse `V⁻` is used so that a group with
//! no information (for example one censored before the first event) does
//! not break the test, as lifelines does with a pseudo-inverse. The p-value
//! is `Q((G−1)/2, χ²/2)`, the regularized upper incomplete gamma function
//! ([`crate::special`]).
//!
//! # Concordance index ([`concordance_index`])
//!
//! Harrell's C (Harrell et al. 1982) for scores where *higher means longer
//! survival*. A pair `(i, k)` is comparable when `δᵢ = 1` and either
//! `tᵢ < t_k`, or `tᵢ = t_k` and `δ_k = 0` (a censoring at the time of an
//! event is taken to come after it); pairs with tied event times are not
//! comparable. A comparable pair is concordant when `scoreᵢ < score_k` and
//! counts one half when the scores tie:
//!
//! ```text
//! C = (#concordant + #tied-score / 2) / #comparable
//! ```
//!
//! This is the definition of `lifelines.utils.concordance_index`. It is
//! computed in `O(n log n)`: subjects are visited in time order and each is
//! ranked against the scores of earlier events held in a Fenwick tree.
//!
//! # Cox proportional hazards ([`CoxModel::fit`])
//!
//! The hazard of subject `i` is `h₀(t) exp(xᵢᵀβ)` (Cox 1972). With
//! `wᵢ = exp(xᵢᵀβ)`, `R_j` the risk set at event time `t_j`, `D_j` the
//! `d_j` subjects failing there, and sums `S⁽ᵏ⁾ = Σ_{R_j} wᵢ xᵢ^{⊗k}`,
//! `A⁽ᵏ⁾ = Σ_{D_j} wᵢ xᵢ^{⊗k}` (k = 0, 1, 2), the Efron (1977) partial
//! log-likelihood is
//!
//! ```text
//! ℓ(β) = Σ_j [ Σ_{i∈D_j} xᵢᵀβ − Σ_{l=0}^{d_j−1} log φ_jl ],   φ_jl = S⁽⁰⁾ − (l/d_j) A⁽⁰⁾
//! ```
//!
//! with score `U = Σ_j [Σ_{D_j} xᵢ − Σ_l φ⁽¹⁾_jl/φ_jl]` and information
//! `I = Σ_j Σ_l [φ⁽²⁾_jl/φ_jl − φ⁽¹⁾_jl φ⁽¹⁾ᵀ_jl/φ_jl²]`, where `φ⁽ᵏ⁾`
//! subtracts `(l/d_j) A⁽ᵏ⁾` from `S⁽ᵏ⁾` in the same way. Breslow's (1974)
//! approximation uses `l = 0` for every one of the `d_j` terms.
//!
//! As in lifelines, covariates are standardised (mean 0, sample standard
//! deviation 1) before fitting and the results are transformed back, and
//! the optional ridge penalty `penalizer · n / 2 · ‖β_std‖²` acts on the
//! standardised coefficients (lifelines' `penalizer` with `l1_ratio = 0`).
//! Newton–Raphson from `β = 0` follows lifelines' damped schedule and
//! stops on R's `coxph` criteria, recording every iteration
//! ([`CoxModel::trace`]); under complete separation it stops with large
//! finite coefficients and a warning ([`CoxModel::warnings`]) instead of
//! failing (see "Newton–Raphson, convergence and separation" below).
//! Standard errors are the square roots of the diagonal of `I⁻¹` at
//! the estimate; `z = β/se` and `p = P(|Z| > |z|)`. The concordance reported is
//! [`concordance_index`] of the durations against `−xᵢᵀβ`.
//!
//! [`CoxModel::fit_with`] extends this as lifelines 0.30 (`CoxPHFitter`)
//! does:
//!
//! - **Case weights** `vᵢ > 0` (lifelines' `weights_col`): subject `i`
//!   enters the risk sums as `vᵢ exp(xᵢᵀβ)` and its event term as
//!   `vᵢ xᵢᵀβ`; at a time with `d_j` tied events of total weight `V_j`, each
//!   of the `d_j` Efron (or Breslow) log terms is multiplied by the mean
//!   event weight `V_j / d_j`. A weight of 2 equals two identical rows
//!   under Breslow's approximation; under Efron's the two copies would tie
//!   with each other, so they differ slightly (lifelines' weighted fit is
//!   the one reproduced).
//! - **Strata**: one risk set per stratum, shared `β`: the log-likelihood,
//!   score and information are sums over strata (Kalbfleisch & Prentice
//!   2002, §4.4). Covariates are still standardised over all rows.
//! - **Baseline** (Breslow 1972, as lifelines): at every distinct duration
//!   `t` of the sample and for each stratum `s`,
//!   `ĥ₀ₛ(t) = Σ_{i∈s, tᵢ=t} vᵢδᵢ / Σ_{i∈s, tᵢ≥t} vᵢ exp((xᵢ − x̄)ᵀβ)`,
//!   with `x̄` the unweighted covariate means, `Ĥ₀ₛ(t) = Σ_{u≤t} ĥ₀ₛ(u)` and
//!   `Ŝ₀ₛ = exp(−Ĥ₀ₛ)`. The baseline is thus the subject with mean
//!   covariates (lifelines' `_norm_mean` convention).
//! - **Predictions** for a subject with covariates `x` in stratum `s`:
//!   `H(t | x) = Ĥ₀ₛ(t) exp((x − x̄)ᵀβ)`, with `Ĥ₀ₛ` interpolated linearly
//!   between the distinct durations and held constant outside them (NumPy's
//!   `interp`), `S = exp(−H)`; the `q`-th percentile is the first time of the
//!   grid where `S ≤ q` (`∞` if none); the expectation is the trapezoidal
//!   integral of `S` over the grid.
//! - **Robust covariance** (Lin & Wei 1989): `V = Dᵀ D` with
//!   `D = U I⁻¹`, where row `i` of `U` is subject `i`'s weighted score
//!   residual `vᵢ [δᵢ (xᵢ − x̄ᵢ) − exp(xᵢᵀβ) Σ_{j ≤ i} δⱼ vⱼ (xᵢ − x̄ⱼ)/Rⱼ]`,
//!   `Rⱼ = Σ_{k ≥ j} v_k exp(x_kᵀβ)`, `x̄ⱼ = Σ_{k ≥ j} v_k exp(x_kᵀβ) x_k / Rⱼ`,
//!   positions taken within each stratum in the order (time, censored
//!   before observed, input row), as lifelines does (ties are not treated
//!   specially). With clusters, the rows of `D` are first summed within each
//!   cluster.
//! - **Entry times** (`CoxRows::entries`; lifelines' `entry_col` and the
//!   `(start, stop]` rows of its `CoxTimeVaryingFitter`; Andersen & Gill
//!   1982 counting-process form): row `i` is at risk at `t` iff
//!   `eᵢ < t ≤ tᵢ`, in the likelihood and in the Breslow baseline (whose
//!   denominator sums the rows at risk at `t`). A subject with time-varying
//!   covariates is several rows, one per period. Computed in one pass by
//!   decreasing time: a row joins the risk sums at its stop time and leaves
//!   them once the time reaches its entry. Only the order of the times
//!   matters, so any finite time is accepted (negative or shifted times fit
//!   the same model).
//! - **Penalties**: `CoxOptions::penalizer` `c`, or one `cⱼ` per covariate
//!   (`CoxRows::penalizers`), and `CoxOptions::l1_ratio` `ρ`: the fit
//!   maximises `ℓ(β) − n Σⱼ cⱼ (ρ |βⱼ| + (1 − ρ)/2 βⱼ²)` on the standardised
//!   coefficients, the absolute value smoothed as lifelines does (its
//!   iteration schedule replayed, see `CoxOptions::l1_ratio`).
//! - **Conditional predictions** (lifelines' `conditional_after`): for a
//!   subject known to have survived to `s`, `H(t | x, s) =
//!   max(0, Ĥ₀ₛ(s + t) − Ĥ₀ₛ(s)) exp((x − x̄)ᵀβ)`, `t` counted from `s`.
//!
//! ## Newton–Raphson, convergence and separation
//!
//! The fit iterates as lifelines 0.30 does (damped Newton steps, its
//! `StepSizer` schedule) and stops on the criteria of R's `coxph`
//! (Therneau & Grambsch 2000, §3.3; `coxph.control(eps = 1e-9)`). Iteration
//! `i` moves to `βᵢ = βᵢ₋₁ + sᵢ δᵢ₋₁`, evaluates `ℓ`, `U`, `I` there and
//! solves `I δᵢ = U`; the estimate is the last `βᵢ` evaluated.
//!
//! - **Step sizes** `sᵢ`: `s₁` = [`CoxOptions::step_size`] (default 0.95);
//!   then `s ← 0.1 s` after a step of norm `≥ 15`, `s ← 0.25 s` after one
//!   in `(5, 15)` (and from then on `s ← min(1.3 s, s₁)` first at every
//!   update), `s ← min(1.3 s, 1)` when the last three step norms decrease,
//!   `s ← 0.98 s` when they do not. Unpenalised and ridge fits also halve a
//!   move that would lower `ℓ` (lifelines does not).
//! - **Converged** when `‖δᵢ‖₂ <` [`CoxOptions::tolerance`], or
//!   `|ℓᵢ − ℓᵢ₋₁| / |ℓᵢ₋₁| <` [`CoxOptions::r_precision`], or the Newton
//!   decrement `Uᵀ I⁻¹ U / 2 <` [`CoxOptions::tolerance`]. If the last
//!   `‖δᵢ‖₂ > 0.1` the likelihood is flat, not peaked, along `δᵢ`
//!   (collinearity or complete separation) and the model carries
//!   [`diagnostics::FitWarning::NonUniqueSolution`].
//! - **Monotone likelihood**: when `|ℓᵢ| < 10⁻⁴` with `‖δᵢ‖₂ > 1`, the
//!   events are ordered perfectly by the linear predictor and `ℓ` creeps to
//!   its supremum 0 as `‖β‖ → ∞` (Heinze & Schemper 2001): the fit stops
//!   there with [`diagnostics::FitWarning::MonotoneLikelihood`].
//! - **Not converged** ([`crate::Error::NotConverged`]) after
//!   [`CoxOptions::max_iterations`] iterations or when the step size falls
//!   to `10⁻⁵`; with [`CoxOptions::return_unconverged`] the last iterate is
//!   returned instead, with [`diagnostics::FitWarning::NotConverged`]
//!   (lifelines warns and returns it).
//! - **Singular information** ([`crate::Error::SingularMatrix`]) only when a
//!   Cholesky pivot is not finite or at most `ε^{3/4} ≈ 1.8·10⁻¹²` times its
//!   own diagonal entry (R's `coxph.control(toler.chol)`): exactly
//!   collinear covariates. Along a direction of separation the information
//!   shrinks towards 0 but stays well conditioned, so the fit ends with
//!   large, finite coefficients and standard errors.
//!
//! Every iteration is kept in [`CoxModel::trace`] ([`NewtonStep`]: step
//! norm, step size, `ℓ`, Newton decrement), the lines lifelines prints with
//! `show_progress`.
//!
//! ## Residuals and the proportional hazards test
//!
//! [`CoxModel::residuals`] computes, on the training data and as lifelines
//! 0.30's `compute_residuals` (Therneau & Grambsch 2000, ch. 4–6):
//!
//! - **Schoenfeld** (Schoenfeld 1982): for a subject with an event at
//!   `t_j`, `rᵢ = xᵢ − x̄_j`, with Efron's tie-corrected mean
//!   `x̄_j = (1/d_j) Σ_{l=0}^{d_j−1} φ⁽¹⁾_jl / φ_jl` (weighted risk sums as in
//!   the fit; the residual itself is not multiplied by the case weight);
//!   zero for censored subjects.
//! - **Scaled Schoenfeld** (Grambsch & Therneau 1994): `r*ᵢ = d · V rᵢ`,
//!   `d` the number of events and `V` the model-based covariance `I⁻¹`
//!   (lifelines does not add `β̂`, unlike R).
//! - **Martingale**: `Mᵢ = δᵢ − exp((xᵢ − x̄)ᵀβ) Ĥ₀ₛ(tᵢ)` with the Breslow
//!   baseline of the subject's stratum; **deviance**:
//!   `sign(Mᵢ) √(−2 [Mᵢ + δᵢ log(δᵢ − Mᵢ)])` (the log term 0 when
//!   `δᵢ − Mᵢ ≤ 0`).
//! - **Score**: the Lin–Wei rows `U` of the robust covariance above, and
//!   **delta-beta** `U diag(s) V`, `s` the covariate standard deviations.
//!   lifelines evaluates both on the original (uncentred, unscaled)
//!   covariates with the standardised coefficients `βⱼ sⱼ`, and so does
//!   this module, to reproduce its values.
//!
//! [`CoxModel::proportional_hazard_test`] is the Grambsch–Therneau (1994)
//! score test in the approximation lifelines uses (R's `cox.zph` before
//! 2019): with `g_k` a transform of the `k`-th event time ([`CoxTimeTransform`]:
//! the running count of events, `1 − Ŝ_KM`, `t` or `log t`), `ḡ` their mean,
//! `seⱼ` the reported standard errors,
//! `Tⱼ = (Σ_k (g_k − ḡ) r*_kj)² / (d · seⱼ² · Σ_k (g_k − ḡ)²)`, referred to
//! χ² with one degree of freedom.
//!
//! lifelines stops its own Newton iterations early by default (a step or
//! Newton decrement below 1e-7, or a relative log-likelihood change below
//! 1e-9), which can leave its coefficients about 1e-5 (relative) short of the
//! maximiser. This module iterates to convergence; it matches lifelines run
//! with tight `fit_options` to better than 1e-6, and statsmodels `PHReg`
//! (Efron and Breslow) likewise.
//!
//! # Case weights and delayed entry
//!
//! Kaplan–Meier, Nelson–Aalen and the log-rank tests take optional case
//! weights `vᵢ ≥ 0` (a subject counts `vᵢ` times) and, for the univariate
//! curves, entry times `eᵢ ≤ tᵢ` (left truncation: a subject is at risk
//! only from its entry). The life table then sums weights instead of counting
//! subjects, and adds the weight entering at each time; as in lifelines, the
//! risk set at `t_j` is everyone who entered before `t_j` (at the first time,
//! at `t_j` too) and has not yet left, so
//! `n_j = Σ_{e_i < t_j} vᵢ − Σ_{tᵢ < t_j} vᵢ` ([`SampleWeights`],
//! [`EventTable::from_sample`]). Greenwood's terms use `⌊n_j⌋`, as lifelines
//! does (this only matters for fractional weights). Nelson–Aalen's smoothed
//! tie sums are, for fractional `n_j` and `d_j`, the digamma / trigamma
//! continuations `ψ(n_j+1) − ψ(n_j−d_j+1)` and `ψ₁(n_j−d_j+1) − ψ₁(n_j+1)`,
//! which equal the sums above for whole counts.
//!
//! # Curves on a timeline ([`StepCurve`])
//!
//! A fitted curve read on any timeline is a right-continuous step function.
//! The `p`-th percentile is the first time at which `Ŝ ≤ p`; the conditional
//! time to event at `s` is the median of the remaining lifetime,
//! `min{t : Ŝ(t)/Ŝ(s) ≤ 1/2} − s`. The smoothed hazard is the
//! Epanechnikov-kernel smoothing of the Nelson–Aalen increments,
//! `ĥ(t) = 1/b Σ_j K((t − t_j)/b) ΔĤ_j` with `K(x) = 3/4 (1 − x²)` on
//! `|x| ≤ 1` (Klein & Moeschberger 2003, §6.2), its variance the same
//! smoothing of `Var ΔĤ_j` with `K²`. Two curves are combined
//! (difference, ratio) on the union of their timelines.
//!
//! # Weighted log-rank, `t₀`, and comparisons at one time
//!
//! [`LogRankWeighting`] puts a weight `w_j` on each event time in the
//! log-rank sums above, `O − E = Σ_j w_j (d_gj − n_gj d_j/n_j)` and
//! `V = Σ_j w_j² (…)`: `n_j` (Wilcoxon, Gehan 1965 and Breslow 1970),
//! `√n_j` (Tarone & Ware 1977), `∏_{i≤j} (1 − d_i/(n_i+1))` (Peto & Peto
//! 1972) or `Ŝ(t_{j−1})^p (1 − Ŝ(t_{j−1}))^q` with the pooled Kaplan–Meier
//! estimate (Fleming & Harrington 1991). With `t₀`, events after `t₀` count
//! as censored. The test at one time `t` (Klein et al. 2007) compares
//! `log(−log Ŝ_A(t))` and `log(−log Ŝ_B(t))`:
//! `χ² = (log(−log Ŝ_A) − log(−log Ŝ_B))² / (σ²_A/log² Ŝ_A + σ²_B/log² Ŝ_B)`
//! with one degree of freedom, Greenwood's `σ²` interpolated linearly
//! between table times as lifelines does. The restricted mean survival time
//! is `μ(t) = ∫₀ᵗ Ŝ(u) du`, and the variance of `min(T, t)` under the curve
//! is `2 ∫₀ᵗ u Ŝ(u) du − μ²`, both integrated exactly over the steps.
//!
//! The accuracy of predicted survival curves (Brier score, integrated Brier
//! score, time-dependent AUC) is defined in [`prediction`].
//!
//! # Left censoring ([`LeftCensoredKaplanMeier`])
//!
//! Kaplan–Meier for left-censored durations (the "reverse" product-limit
//! estimator of the cumulative density, lifelines'
//! `KaplanMeierFitter.fit_left_censoring`).
//!
//! A left-censored subject (`δᵢ = false`) had the event at or before `tᵢ`.
//! Reading time backwards turns left censoring into right censoring
//! (Ware & DeMets 1976), so with `r_j` the weight of the subjects whose
//! duration is `≤ t_j` and `d_j` the events at `t_j`, the cumulative density
//! `F(t) = P(T ≤ t)` is estimated by
//!
//! ```text
//! F̂(t_j) = ∏_{k > j} (1 − d_k / r_k),      F̂(last time) = 1
//! ```
//!
//! with Greenwood's sum `σ²(t_j) = Σ_{k > j} d_k / (r_k (r_k − d_k))` (terms
//! as in [`KaplanMeier`]). The exponential Greenwood
//! bounds of `F̂` give lifelines' bounds of the survival function `1 − F̂`:
//! `1 − F̂^{exp(−zσ/log F̂)}` and `1 − F̂^{exp(+zσ/log F̂)}`, in that order.
//!
//! # Interval censoring: Turnbull's NPMLE ([`turnbull`])
//!
//! Nonparametric maximum-likelihood estimate (NPMLE) of the distribution of
//! interval-censored event times: Turnbull's estimator.
//!
//! Subject `i` is known to have had the event somewhere in the closed
//! interval `[lᵢ, rᵢ]` (`lᵢ = rᵢ`: observed exactly; `rᵢ = ∞`:
//! right-censored at `lᵢ`). Following Turnbull (1976), the mass of the NPMLE
//! sits on the *Turnbull intervals* `[a_k, b_k]`: list every `lᵢ` and `rᵢ`
//! tagged left or right, sort them (a left endpoint before a right one at the
//! same value), and take each left endpoint immediately followed by a right
//! endpoint. The likelihood of probabilities `p_k ≥ 0`, `Σ p_k = 1`, is
//!
//! ```text
//! L(p) = Σ_i wᵢ log Σ_{k: [a_k, b_k] ⊆ [lᵢ, rᵢ]} p_k
//! ```
//!
//! (`wᵢ` case weights; identical intervals are merged and their weights
//! summed). It is maximised by self-consistency (EM) iterations
//! (Turnbull 1976; Anderson-Bergman 2017):
//!
//! ```text
//! p_k ← p_k · (1/W) Σ_{i: k ⊆ i} wᵢ / Σ_{j ⊆ i} p_j,   then normalised to sum 1
//! ```
//!
//! starting from `p_k = 1/K`. As in lifelines 0.30
//! (`KaplanMeierFitter.fit_interval_censoring`), each step is followed by a
//! line search on the log-odds scale: with `θ = log p − log(1 − p)`
//! elementwise and `Δ = θ(p_EM) − θ(p)`, the candidate among
//! `logistic(θ(p) + s Δ)`, `s ∈ {1, 1.25, 1.95}`, of largest likelihood
//! becomes the next iterate. Iteration stops when the EM step raised the
//! log-likelihood by less than `tol` (and did not lower it), or after
//! `max_iterations`.
//!
//! The survival function is only determined up to where inside each Turnbull
//! interval the mass sits; [`Turnbull::survival`] reports lifelines' two
//! curves, `upper` (mass at the right end of each interval) and `lower`
//! (mass at the left end).
//!
//! # Competing risks: Aalen–Johansen ([`AalenJohansen`])
//!
//! Aalen–Johansen estimate of the cumulative incidence of one cause among
//! competing risks (lifelines' `AalenJohansenFitter`).
//!
//! Each subject has a duration and an event code: 0 = right-censored, any
//! other integer = the cause that ended follow-up. With the life table of
//! all causes (`n_j` at risk, `d_j` events of any cause at `t_j`), `d¹_j`
//! the events of the cause of interest, and `Ŝ` the Kaplan–Meier estimate
//! of remaining free of every cause, the cumulative incidence of the cause
//! is (Aalen & Johansen 1978; Putter, Fiocco & Geskus 2007)
//!
//! ```text
//! F̂(t_j) = Σ_{0 < k ≤ j} Ŝ(t_{k−1}) d¹_k / n_k          (F̂ = 0 at the first row)
//! ```
//!
//! Its variance is lifelines' delta-method estimate: with `Ŝ_{k−1}` the
//! survival just before row `k` (1 at the first row),
//!
//! ```text
//! Var F̂(t_j) = Σ_{k ≤ j} [ d_k / (n_k (n_k − d_k)) ] (F̂_j − F̂_k)²
//!            + Σ_{k ≤ j} Ŝ²_{k−1} d¹_k (n_k − d¹_k) / n_k³
//!            − 2 Σ_{k ≤ j} Ŝ_{k−1} d¹_k / n_k² (F̂_j − F̂_k)
//! ```
//!
//! (terms with `n_k = d_k` or nobody at risk count 0, the Greenwood
//! convention of [`KaplanMeier`]; lifelines returns NaN
//! from there on). The pointwise interval is symmetric on `log(−log F̂)`
//! with standard error `√Var / (F̂ |log F̂|)`: lifelines' pair
//! `(exp(−exp(log(−log F̂) + z se)), exp(−exp(log(−log F̂) − z se)))`, in that
//! order; both are 0 where `F̂ = 0` (lifelines: NaN).
//!
//! Tied times are used as they are (several causes at one time are handled
//! exactly by the formulas above); lifelines instead shifts tied event times
//! of different causes by a small random jitter.
//!
//! # References
//!
//! - Aalen, O. (1978). Nonparametric inference for a family of counting
//!   processes. *Annals of Statistics* 6, 701–726.
//! - Aalen, O. O. & Johansen, S. (1978). An empirical transition matrix for
//!   non-homogeneous Markov chains based on censored observations.
//!   *Scandinavian Journal of Statistics* 5, 141–150.
//! - Andersen, P. K. & Gill, R. D. (1982). Cox's regression model for
//!   counting processes: a large sample study. *Annals of Statistics* 10,
//!   1100–1120.
//! - Anderson-Bergman, C. (2017). An efficient implementation of the EMICM
//!   algorithm for the interval censored NPMLE. *Journal of Computational
//!   and Graphical Statistics* 26, 463–467.
//! - Breslow, N. (1970). A generalized Kruskal-Wallis test for comparing K
//!   samples subject to unequal patterns of censorship. *Biometrika* 57,
//!   579–594.
//! - Breslow, N. (1972). Discussion of Professor Cox's paper. *JRSS B* 34,
//!   216–217.
//! - Breslow, N. (1974). Covariance analysis of censored survival data.
//!   *Biometrics* 30, 89–99.
//! - Brookmeyer, R. & Crowley, J. (1982). A confidence interval for the
//!   median survival time. *Biometrics* 38, 29–41.
//! - Cox, D. R. (1972). Regression models and life-tables. *JRSS B* 34,
//!   187–220.
//! - Efron, B. (1977). The efficiency of Cox's likelihood function for
//!   censored data. *JASA* 72, 557–565.
//! - Fleming, T. R. & Harrington, D. P. (1991). *Counting Processes and
//!   Survival Analysis*. Wiley.
//! - Gehan, E. A. (1965). A generalized Wilcoxon test for comparing
//!   arbitrarily singly-censored samples. *Biometrika* 52, 203–223.
//! - Grambsch, P. M. & Therneau, T. M. (1994). Proportional hazards tests
//!   and diagnostics based on weighted residuals. *Biometrika* 81, 515–526.
//! - Greenwood, M. (1926). The natural duration of cancer. *Reports on
//!   Public Health and Medical Subjects* 33, HMSO.
//! - Harrell, F. E., Califf, R. M., Pryor, D. B., Lee, K. L. & Rosati, R. A.
//!   (1982). Evaluating the yield of medical tests. *JAMA* 247, 2543–2546.
//! - Heinze, G. & Schemper, M. (2001). A solution to the problem of
//!   monotone likelihood in Cox regression. *Biometrics* 57, 114–119.
//! - Kalbfleisch, J. D. & Prentice, R. L. (1980). *The Statistical Analysis
//!   of Failure Time Data*. Wiley. 2nd ed. 2002 (§4.4, stratified model).
//! - Kaplan, E. L. & Meier, P. (1958). Nonparametric estimation from
//!   incomplete observations. *JASA* 53, 457–481.
//! - Klein, J. P. & Moeschberger, M. L. (2003). *Survival Analysis*, 2nd ed.
//!   Springer.
//! - Klein, J. P., Logan, B., Harhoff, M. & Andersen, P. K. (2007).
//!   Analyzing survival curves at a fixed point in time. *Statistics in
//!   Medicine* 26, 4505–4519.
//! - Lin, D. Y. & Wei, L. J. (1989). The robust inference for the Cox
//!   proportional hazards model. *JASA* 84, 1074–1078.
//! - Mantel, N. (1966). Evaluation of survival data and two new rank order
//!   statistics arising in its consideration. *Cancer Chemotherapy Reports*
//!   50, 163–170.
//! - Nelson, W. (1972). Theory and applications of hazard plotting for
//!   censored failure data. *Technometrics* 14, 945–966.
//! - Peto, R. & Peto, J. (1972). Asymptotically efficient rank invariant test
//!   procedures. *JRSS A* 135, 185–207.
//! - Putter, H., Fiocco, M. & Geskus, R. B. (2007). Tutorial in
//!   biostatistics: competing risks and multi-state models. *Statistics in
//!   Medicine* 26, 2389–2430.
//! - Schoenfeld, D. (1982). Partial residuals for the proportional hazards
//!   regression model. *Biometrika* 69, 239–241.
//! - Tarone, R. E. & Ware, J. (1977). On distribution-free tests for
//!   equality of survival distributions. *Biometrika* 64, 156–160.
//! - Therneau, T. M. & Grambsch, P. M. (2000). *Modeling Survival Data:
//!   Extending the Cox Model*. Springer. (R package `survival`,
//!   `coxph.control`: `eps = 1e-9`, `toler.chol = ε^{3/4}`.)
//! - Turnbull, B. W. (1976). The empirical distribution function with
//!   arbitrarily grouped, censored and truncated data. *JRSS B* 38, 290–295.
//! - Ware, J. H. & DeMets, D. L. (1976). Reanalysis of some baboon descent
//!   data. *Biometrics* 32, 459–463.

mod aalen_johansen;
mod compare;
mod concordance;
mod cox;
mod cox_parametric;
mod curve;
pub mod diagnostics;
mod from_log;
mod kaplan_meier;
mod keys;
mod left_censored;
mod logrank;
mod nelson_aalen;
pub mod parametric;
pub mod prediction;
mod product_limit;
mod table;
mod turnbull;

pub use aalen_johansen::AalenJohansen;
pub use compare::{
    km_restricted_mean_survival_time, restricted_mean_survival_time,
    survival_difference_at_fixed_point_in_time_test, FixedPointTest, Rmst,
};
pub use concordance::{concordance_index, concordance_summary, ConcordanceSummary};
pub use cox::{
    CoxBaseline, CoxModel, CoxOptions, CoxResidualKind, CoxRows, CoxTies, CoxTimeTransform,
    NewtonStep,
};
pub use cox_parametric::{
    ParametricCoxModel, ParametricCoxOptions, ParametricCoxRows, PhBaseline, PhBaselineSpec,
    MAX_BASELINE_KNOTS,
};
pub use curve::StepCurve;
pub use from_log::{
    churn_durations, churn_survival, ChurnBasis, ChurnDurations, ChurnSurvival,
    ChurnSurvivalOptions, DEFAULT_INACTIVE_DAYS,
};
pub use kaplan_meier::{KaplanMeier, KaplanMeierOptions, KmConfidenceTransform};
pub use left_censored::LeftCensoredKaplanMeier;
pub use logrank::{
    logrank_test, logrank_test_with, multivariate_logrank_test, multivariate_logrank_test_with,
    pairwise_logrank_test, LogRankOptions, LogRankTest, LogRankWeighting, PairwiseLogRank,
};
pub use nelson_aalen::{NelsonAalen, NelsonAalenOptions, NelsonAalenTies};
pub use parametric::{
    AftModel, AftOptions, ParameterSummary, ParametricCurve, ParametricFamily, UnivariateModel,
    UnivariateParametric,
};
pub use prediction::{
    brier_score, cumulative_dynamic_auc, integrated_brier_score, DynamicAuc, DEFAULT_TIED_TOL,
};
pub use product_limit::{greenwood_bounds, ProductLimit};
pub use table::{EventTable, SampleWeights};
pub use turnbull::{turnbull, Turnbull, TurnbullCurve, TurnbullOptions};
