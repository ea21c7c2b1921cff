//! P(alive) along one customer's history (see the module docs).

use super::{check_count, MAX_PERIODS};
use crate::model_input::TimeUnit;
use crate::models::TransactionModel;
use crate::time::Micros;
use crate::{Error, Result};

/// P(alive) at ages `T = 0, 1, …` periods of `unit` since the period of the
/// customer's first order, given the orders at `instants` (any order,
/// several per period counting once): at age `T` the history is the number
/// of later purchase periods up to `T` (`x`) and the age of the last one
/// (`tₓ`). The path has `max(periods + 1, L)` entries, `L` the number of
/// periods from the first to the last order (lifetimes'
/// `calculate_alive_path` with `t = periods`).
///
/// Errors: no order, a path longer than [`MAX_PERIODS`], and the model's errors.
pub fn alive_path(
    model: &dyn TransactionModel,
    instants: &[Micros],
    unit: TimeUnit,
    periods: usize,
) -> Result<Vec<f64>> {
    let calendar = unit.calendar();
    // Sub-daily periods are fixed spans of the UTC instant.
    let index = |t: Micros| match unit.sub_daily_micros() {
        Some(span) => t.div_euclid(span),
        None => calendar.index(t),
    };
    let mut seen: Vec<i64> = instants.iter().map(|&t| index(t)).collect();
    seen.sort_unstable();
    seen.dedup();
    let (Some(&first), Some(&last)) = (seen.first(), seen.last()) else {
        return Err(Error::EmptyInput {
            what: "orders of the customer",
        });
    };
    let span = usize::try_from(last - first).unwrap_or(usize::MAX);
    let len = periods.max(span).saturating_add(1);
    check_count(
        "periods",
        len,
        MAX_PERIODS,
        "the path would exceed the limit of 20000 periods (MAX_PERIODS)",
    )?;
    let mut next = seen.iter().map(|&p| (p - first) as usize).peekable();
    let (mut x, mut t_x) = (-1.0f64, 0.0);
    (0..len)
        .map(|age| {
            if next.peek() == Some(&age) {
                next.next();
                x += 1.0;
                t_x = age as f64;
            }
            model.probability_alive(x, t_x, age as f64)
        })
        .collect()
}
