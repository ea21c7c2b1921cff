//! Churn scoring.
//!
//! * [`health`]: the explainable health score, risk in [0, 1] from weighted
//!   components, with the top reasons in plain words.
//! * [`traffic_light`]: Green / Amber / Red from any risk score, overridden by
//!   open tickets, with reasons.
//! * [`supervised`]: point-in-time features, L2 logistic regression and its
//!   evaluation (ROC-AUC, PR-AUC, lift, Brier, calibration).
//!
//! Each submodule's documentation states its formulas.

pub mod health;
pub mod supervised;
pub mod traffic_light;
