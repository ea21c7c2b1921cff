//! Model inputs of an [`EventLog`] in any [`TimeUnit`](super::TimeUnit).

use super::direct::{from_orders, Distinct, OrderTimes};
use super::{model_input, ModelInput, ModelInputOptions};
use crate::error::Result;
use crate::events::{CustomerColumn, CustomerId, EventLog, EventType, InstantUnit};
use crate::summary::OrderDays;

/// [`model_input`] of the orders of `log`, in any unit: day, week and month
/// over its [`OrderDays`]; the sub-daily units (which need the time of day)
/// over its order instants, as [`model_input_from_orders`](super::model_input_from_orders)
/// reads them. Both give the definition of the module docs.
pub fn model_input_of_log(log: &EventLog, options: &ModelInputOptions) -> Result<ModelInput> {
    if options.unit.sub_daily_micros().is_none() {
        return model_input(&OrderDays::from_log(log), options);
    }
    let (times, kinds, values) = (log.times(), log.event_types(), log.values());
    let (mut ints, mut strs, mut ticks, mut amounts) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let all_int = log
        .customers()
        .iter()
        .all(|c| matches!(c, CustomerId::Int(_)));
    for (c, id) in log.customers().iter().enumerate() {
        for i in log
            .customer_range(c)
            .filter(|&i| kinds[i] == EventType::Order)
        {
            match id {
                CustomerId::Int(v) if all_int => ints.push(*v),
                CustomerId::Int(v) => strs.push(v.to_string()),
                CustomerId::Str(s) => strs.push(s.clone()),
            }
            ticks.push(times[i]);
            amounts.push(values[i]);
        }
    }
    let names: Vec<&str> = strs.iter().map(String::as_str).collect();
    let customers = if all_int {
        CustomerColumn::Int(&ints)
    } else {
        CustomerColumn::Str(&names)
    };
    let times = OrderTimes::new(InstantUnit::Micros, &ticks);
    from_orders(customers, times, Some(&amounts), options, Distinct::Auto)
}
