//! Loyalty programme: points ledgers, tier status and history, proposed
//! redemptions (`retention_core::loyalty`).
//!
//! The programme rules arrive as a plain dict (`retention.LoyaltyConfig`
//! turns itself into one); unknown keys are an `InvalidParameterError`.

use pyo3::prelude::*;
use pyo3::types::PyDict;
use pyo3_arrow::PyTable;
use retention_core::loyalty::{self, LoyaltyConfig, PointsLedger, TierStatus};
use retention_core::time::{from_micros, to_micros};

use crate::arrow::{customer_id, to_table};
use crate::dicts::{from_dict, to_dict};
use crate::errors::CoreResult;
use crate::log::PyEventLog;
use retention_core::table::WithTiers;

/// The programme rules from a dict of overrides (missing keys keep the
/// core's defaults; `tiers` as `(name, threshold, multiplier)` rows).
pub fn config(dict: Option<&Bound<'_, PyDict>>) -> PyResult<LoyaltyConfig> {
    dict.map_or_else(
        || Ok(LoyaltyConfig::default()),
        |d| from_dict("config", d.as_any()),
    )
}

fn ledger_dict<'py>(py: Python<'py>, l: &PointsLedger) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    d.set_item("balance", l.balance())?;
    d.set_item("earned", l.earned())?;
    d.set_item("redeemed", l.redeemed())?;
    d.set_item("expired", l.expired())?;
    let next = l.next_expiry();
    d.set_item("next_expiry", next.map(|(t, _)| to_micros(t)))?;
    d.set_item("next_expiry_points", next.map(|(_, p)| p))?;
    Ok(d)
}

/// One customer's ledger entries (table) and totals (dict) at `as_of`.
#[pyfunction]
#[pyo3(signature = (log, customer, as_of, config=None))]
pub fn points_ledger<'py>(
    py: Python<'py>,
    log: &PyEventLog,
    customer: &Bound<'py, PyAny>,
    as_of: i64,
    config: Option<&Bound<'py, PyDict>>,
) -> PyResult<(PyTable, Bound<'py, PyDict>)> {
    let c = self::config(config)?;
    let id = customer_id(customer)?;
    let l = py
        .detach(|| loyalty::points_ledger(&log.inner, &id, from_micros(as_of), &c))
        .py()?;
    let entries = WithTiers {
        rows: &l,
        tiers: &c.tiers,
    };
    Ok((to_table(&entries)?, ledger_dict(py, &l)?))
}

/// Totals of every customer's ledger at `as_of`, one row per customer.
#[pyfunction]
#[pyo3(signature = (log, as_of, config=None))]
pub fn points_balances(
    py: Python<'_>,
    log: &PyEventLog,
    as_of: i64,
    config: Option<&Bound<'_, PyDict>>,
) -> PyResult<PyTable> {
    let c = self::config(config)?;
    let ls = py
        .detach(|| loyalty::points_ledgers(&log.inner, from_micros(as_of), &c))
        .py()?;
    to_table(&ls[..])
}

/// A proposed redemption at `at` on the ledger as of `as_of`: the new balance
/// (`InsufficientPointsError` above the available points).
#[pyfunction]
#[pyo3(signature = (log, customer, as_of, at, points, config=None))]
pub fn redeem_points(
    py: Python<'_>,
    log: &PyEventLog,
    customer: &Bound<'_, PyAny>,
    as_of: i64,
    at: i64,
    points: f64,
    config: Option<&Bound<'_, PyDict>>,
) -> PyResult<f64> {
    let c = self::config(config)?;
    let id = customer_id(customer)?;
    py.detach(|| {
        let mut l = loyalty::points_ledger(&log.inner, &id, from_micros(as_of), &c)?;
        l.redeem(from_micros(at), points)
    })
    .py()
}

fn status_dict<'py>(py: Python<'py>, s: &TierStatus) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    d.set_item("tier", &s.name)?;
    d.set_item("index", s.index)?;
    d.set_item("multiplier", s.multiplier)?;
    d.set_item("value", s.value)?;
    d.set_item("next_tier", s.next.as_ref().map(|n| n.name.clone()))?;
    d.set_item("next_threshold", s.next.as_ref().map(|n| n.threshold))?;
    d.set_item("missing", s.next.as_ref().map(|n| n.missing))?;
    d.set_item("progress", s.next.as_ref().map(|n| n.fraction))?;
    d.set_item("downgrade_at", s.downgrade_at.map(to_micros))?;
    Ok(d)
}

/// A customer's tier at `at`, with the progress to the next tier.
#[pyfunction]
#[pyo3(signature = (log, customer, at, config=None))]
pub fn tier_status<'py>(
    py: Python<'py>,
    log: &PyEventLog,
    customer: &Bound<'py, PyAny>,
    at: i64,
    config: Option<&Bound<'py, PyDict>>,
) -> PyResult<Bound<'py, PyDict>> {
    let c = self::config(config)?;
    let id = customer_id(customer)?;
    let s = py
        .detach(|| loyalty::tier_status(&log.inner, &id, from_micros(at), &c))
        .py()?;
    status_dict(py, &s)
}

/// The tier and progress a basis value (trailing spend or points) gives.
#[pyfunction]
#[pyo3(signature = (value, config=None))]
pub fn tier_for_value<'py>(
    py: Python<'py>,
    value: f64,
    config: Option<&Bound<'py, PyDict>>,
) -> PyResult<Bound<'py, PyDict>> {
    let c = self::config(config)?;
    let s = loyalty::tier_for_value(value, &c).py()?;
    status_dict(py, &s)
}

/// Every tier change of a customer up to `as_of`.
#[pyfunction]
#[pyo3(signature = (log, customer, as_of, config=None))]
pub fn tier_history(
    py: Python<'_>,
    log: &PyEventLog,
    customer: &Bound<'_, PyAny>,
    as_of: i64,
    config: Option<&Bound<'_, PyDict>>,
) -> PyResult<PyTable> {
    let c = self::config(config)?;
    let id = customer_id(customer)?;
    let h = py
        .detach(|| loyalty::tier_history(&log.inner, &id, from_micros(as_of), &c))
        .py()?;
    to_table(&WithTiers {
        rows: &h[..],
        tiers: &c.tiers,
    })
}

/// The programme's ways to earn and redeem and its tiers, for a storefront
/// widget (`retention_core::loyalty::programme_rules`).
#[pyfunction]
#[pyo3(signature = (config=None))]
pub fn loyalty_programme<'py>(
    py: Python<'py>,
    config: Option<&Bound<'py, PyDict>>,
) -> PyResult<Bound<'py, PyDict>> {
    let c = self::config(config)?;
    to_dict(py, &loyalty::programme_rules(&c).py()?)
}
