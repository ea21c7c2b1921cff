//! The direct-from-orders path ([`model_input_from_orders`]) from untyped
//! cells: customer ids, instants and amounts read by the rules of
//! [`crate::events::raw`], so that a door reports the same row issues here as
//! when it builds an event log.

use super::direct::{model_input_from_order_times, OrderTimes};
use super::{ModelInput, ModelInputOptions};
use crate::error::{Error, Result};
use crate::events::raw::{customers, instants, numbers, Found};
use crate::events::{Cells, CustomerColumn, InstantUnit};

#[cfg(doc)]
use super::direct::model_input_from_orders;

/// [`model_input_from_orders`] from cells: `timestamp` numbers are in
/// `unit` (an integer column without missing cells is read in its own unit,
/// without converting). Unreadable cells are [`Error::InvalidRows`] naming
/// row, field and value, as in [`EventLog::from_cells`](crate::events::EventLog::from_cells).
///
/// ```
/// use retention_core::events::{Cells, InstantUnit};
/// use retention_core::model_input::{model_input_from_cells, ModelInputOptions};
/// use retention_core::time::days;
///
/// let ids = [Some("ann"), Some("ann"), Some("bo")];
/// let times = [Some("2024-01-01"), Some("2024-01-04"), Some("2024-01-02")];
/// let m = model_input_from_cells(
///     Cells::Text(&ids),
///     Cells::Text(&times),
///     InstantUnit::Micros,
///     Some(Cells::Float(&[10.0, 30.0, 5.0])),
///     &ModelInputOptions::new(days(19_733)), // 2024-01-11
/// )?;
/// assert_eq!(m.frequency, [1.0, 0.0]);
/// assert_eq!(m.recency, [3.0, 0.0]);
/// assert_eq!(m.monetary_value, [30.0, 0.0]);
/// # Ok::<(), retention_core::Error>(())
/// ```
pub fn model_input_from_cells(
    customer_id: Cells<'_>,
    timestamp: Cells<'_>,
    unit: InstantUnit,
    amount: Option<Cells<'_>>,
    options: &ModelInputOptions,
) -> Result<ModelInput> {
    let n = customer_id.len();
    customer_id.check("customer_id", n)?;
    timestamp.check("timestamp", n)?;
    if let Some(a) = &amount {
        a.check("amount", n)?;
    }
    let mut found = Found(Vec::new());
    let (ints, strs);
    let ids = match customer_id {
        Cells::Int {
            values,
            valid: None,
        } => CustomerColumn::Int(values),
        cells => {
            (ints, strs) = customers(&cells, n, &mut found);
            match &strs {
                Some(s) => CustomerColumn::Str(s),
                None => CustomerColumn::Int(&ints),
            }
        }
    };
    let micros;
    let times = match timestamp {
        Cells::Int {
            values,
            valid: None,
        } => OrderTimes::new(unit, values),
        cells => {
            micros = instants(&cells, unit, n, &mut found);
            OrderTimes::new(InstantUnit::Micros, &micros)
        }
    };
    let amounts = amount.map(|c| numbers("amount", &c, n, &mut found));
    if !found.0.is_empty() {
        let mut issues = found.0;
        issues.sort_by_key(|i| i.row);
        return Err(Error::InvalidRows { issues });
    }
    model_input_from_order_times(ids, times, amounts.as_deref(), options)
}
