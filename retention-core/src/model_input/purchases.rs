//! The purchase periods behind the model inputs, one row per customer and
//! period with an order.
//!
//! [`model_input`](super::model_input) reduces each customer's orders to the
//! distinct purchase periods of a [`TimeUnit`] (their spend summed) and then
//! to `frequency`, `recency`, `T` and `monetary_value`. [`purchase_periods`]
//! stops one step earlier and returns those periods themselves: for every
//! customer with an order in or before the period of the observation end,
//! one row per period with at least one order, holding the period's first day, its total spend and whether it
//! is the customer's first purchase period. Rows come sorted by customer id,
//! then period. This is the table of `lifetimes.utils._find_first_transactions`
//! (lifetimes 0.11.3), whose `first` flag marks the period that `frequency`
//! does not count (Fader, Hardie & Lee 2005, "Counting your customers the
//! easy way", §2: `x` counts repeat purchases).
//!
//! The end is inclusive at the period, as in lifetimes, which keeps every
//! period whose start is on or before the end: with weekly periods and an
//! end on a Wednesday, that week's later orders count too. (The model inputs
//! of [`model_input`](super::model_input) stop at the end's day unless asked
//! for this rule with [`OrdersAfterEnd::EndPeriod`](super::OrdersAfterEnd::EndPeriod).)

use std::borrow::Cow;

use super::{period_start_day, TimeUnit};
use crate::error::Result;
use crate::events::CustomerId;
use crate::summary::{Money, OrderDays};
use crate::table::{Column, Table};
use crate::time::{Micros, MICROS_PER_DAY};

/// Purchase periods as parallel columns (see the module docs).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct PurchasePeriods {
    /// Customer of each row.
    pub ids: Vec<CustomerId>,
    /// First instant (UTC midnight) of the period.
    pub period_start: Vec<Micros>,
    /// Total order value in the period.
    pub spend: Vec<f64>,
    /// Number of orders in the period.
    pub orders: Vec<u64>,
    /// Whether this is the customer's first purchase period.
    pub first: Vec<bool>,
}

impl PurchasePeriods {
    /// Number of rows.
    pub fn len(&self) -> usize {
        self.ids.len()
    }

    /// Whether there are no rows.
    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }
}

/// The purchase periods of every customer up to the period of
/// `observation_end` (see the module docs).
///
/// Sub-daily units are an [`Error::InvalidParameter`](crate::Error::InvalidParameter)
/// (order days hold no time of day).
pub fn purchase_periods(
    days: &OrderDays,
    unit: TimeUnit,
    observation_end: Micros,
) -> Result<PurchasePeriods> {
    unit.day_resolution()?;
    let calendar = unit.calendar();
    let end_period = calendar.index(observation_end.div_euclid(MICROS_PER_DAY) * MICROS_PER_DAY);
    let mut out = PurchasePeriods::default();
    for (id, customer_days) in days.iter() {
        // (period, spend, orders) of this customer, ascending.
        let mut rows: Vec<(i64, Money, u64)> = Vec::new();
        for d in customer_days.iter() {
            let p = calendar.index(d.day.saturating_mul(MICROS_PER_DAY));
            if p > end_period {
                break;
            }
            match rows.last_mut() {
                Some(last) if last.0 == p => {
                    last.1 += d.revenue;
                    last.2 += u64::from(d.orders);
                }
                _ => rows.push((p, d.revenue, u64::from(d.orders))),
            }
        }
        for (i, (p, spend, orders)) in rows.into_iter().enumerate() {
            out.ids.push(id.clone());
            out.period_start
                .push(period_start_day(&calendar, p) * MICROS_PER_DAY);
            out.spend.push(spend.to_f64());
            out.orders.push(orders);
            out.first.push(i == 0);
        }
    }
    Ok(out)
}

impl Table for PurchasePeriods {
    fn columns(&self) -> Vec<(&'static str, Column<'_>)> {
        vec![
            ("customer_id", Column::Ids(Cow::Borrowed(&self.ids))),
            (
                "period_start",
                Column::Instants(Cow::Owned(
                    self.period_start.iter().copied().map(Some).collect(),
                )),
            ),
            ("spend", Column::F64(Cow::Borrowed(&self.spend))),
            ("orders", Column::U64(Cow::Borrowed(&self.orders))),
            ("first", Column::Bool(Cow::Borrowed(&self.first))),
        ]
    }
}
