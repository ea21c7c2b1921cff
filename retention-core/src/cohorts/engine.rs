//! The accumulator of the cohort matrices: sub-cohorts sharing a row and an
//! anchor period, summed into rows at the end.

use std::collections::HashMap;

use super::periods::period_label;
use super::{CohortMatrix, CohortOptions, RetentionMode, MAX_CELLS};
use crate::error::{Error, Result};
use crate::summary::Money;
use crate::time::{Calendar, Micros};

/// Customers sharing a row and an anchor period: all eligible at the same ages.
pub(crate) struct SubCohort {
    pub(crate) key: (i64, i64),
    pub(crate) size: u64,
    /// Retained counts per complete age (`ReturnOn`), or their difference
    /// array with one extra slot (`ReturnOnOrAfter`).
    pub(crate) retained: Vec<i64>,
    pub(crate) revenue: Vec<Money>,
}

pub(crate) struct Engine {
    calendar: Calendar,
    pub(crate) mode: RetentionMode,
    last_complete: i64,
    max_age: Option<u32>,
    pub(crate) keys: HashMap<(i64, i64), usize>,
    pub(crate) subs: Vec<SubCohort>,
    cells: usize,
    last_key: Option<((i64, i64), usize)>,
}

impl Engine {
    pub(crate) fn new(options: &CohortOptions, as_of: Micros) -> Self {
        Engine {
            calendar: options.calendar,
            mode: options.mode,
            last_complete: options.calendar.last_complete(as_of),
            max_age: options.max_age,
            keys: HashMap::new(),
            subs: Vec::new(),
            cells: 0,
            last_key: None,
        }
    }

    /// Number of complete ages for customers anchored in period `anchor`.
    pub(crate) fn width(&self, anchor: i64) -> usize {
        let w = self.last_complete.saturating_sub(anchor).saturating_add(1);
        let w = usize::try_from(w.max(0)).unwrap_or(usize::MAX);
        match self.max_age {
            // Saturating is exact: no width exceeds usize::MAX (on wasm32
            // `u32::MAX as usize + 1` wrapped to 0, an empty matrix).
            Some(m) => w.min((m as usize).saturating_add(1)),
            None => w,
        }
    }

    fn too_many_cells(&self) -> Error {
        Error::parameter(
            "max_age",
            self.max_age,
            "the matrix would exceed 50 million cells: set max_age or use a longer period",
        )
    }

    pub(crate) fn sub_for(&mut self, row: i64, anchor: i64) -> Result<usize> {
        let key = (row, anchor);
        if let Some((k, s)) = self.last_key {
            if k == key {
                return Ok(s);
            }
        }
        let s = match self.keys.get(&key) {
            Some(&s) => s,
            None => {
                let width = self.width(anchor);
                self.cells = self.cells.saturating_add(width);
                if self.cells > MAX_CELLS {
                    return Err(self.too_many_cells());
                }
                let extra = usize::from(self.mode == RetentionMode::ReturnOnOrAfter);
                self.subs.push(SubCohort {
                    key,
                    size: 0,
                    retained: vec![0; width + extra],
                    revenue: vec![Money(0); width],
                });
                self.keys.insert(key, self.subs.len() - 1);
                self.subs.len() - 1
            }
        };
        self.last_key = Some((key, s));
        Ok(s)
    }

    /// Adds one customer of sub-cohort `s`; `events` must be in period order.
    pub(crate) fn add_customer(
        &mut self,
        s: usize,
        events: impl Iterator<Item = (i64, bool, Money)>,
    ) -> Result<()> {
        let mode = self.mode;
        let Some(sub) = self.subs.get_mut(s) else {
            return Ok(());
        };
        let anchor = sub.key.1;
        let width = sub.revenue.len();
        sub.size += 1;
        let mut last_counted: Option<i64> = None;
        for (period, qualifies, revenue) in events {
            let Some(age) = period
                .checked_sub(anchor)
                .and_then(|a| usize::try_from(a).ok())
            else {
                continue;
            };
            if qualifies && last_counted != Some(period) {
                last_counted = Some(period);
                if mode == RetentionMode::ReturnOn && age < width {
                    sub.retained[age] += 1;
                }
            }
            if age < width {
                sub.revenue[age] += revenue;
            }
        }
        if mode == RetentionMode::ReturnOnOrAfter {
            if let Some(last) = last_counted {
                // Retained at every age 0..=last − anchor: a difference array.
                sub.retained[0] += 1;
                let end = usize::try_from(last - anchor + 1).unwrap_or(usize::MAX);
                if end < sub.retained.len() {
                    sub.retained[end] -= 1;
                }
            }
        }
        Ok(())
    }

    /// The acquisition matrix: one row per anchor period.
    pub(crate) fn finish_acquisition(self) -> Result<CohortMatrix> {
        let mut rows: Vec<i64> = self.keys.keys().map(|k| k.0).collect();
        rows.sort_unstable();
        rows.dedup();
        let labels = rows
            .iter()
            .map(|&p| period_label(&self.calendar, p))
            .collect();
        let periods = rows.iter().map(|&p| Some(p)).collect();
        let unanchored = vec![0; rows.len()];
        self.finish(&rows, labels, periods, unanchored)
    }

    pub(crate) fn finish(
        mut self,
        rows: &[i64],
        labels: Vec<String>,
        periods: Vec<Option<i64>>,
        unanchored: Vec<u64>,
    ) -> Result<CohortMatrix> {
        let ages = self
            .subs
            .iter()
            .map(|s| s.revenue.len())
            .max()
            .unwrap_or(0)
            .max(1);
        if rows.len().saturating_mul(ages) > MAX_CELLS {
            return Err(self.too_many_cells());
        }
        let n = rows.len();
        let mut sizes = vec![0u64; n];
        let mut eligible = vec![vec![0u64; ages]; n];
        let mut retained = vec![vec![0u64; ages]; n];
        let mut revenue = vec![vec![Money(0); ages]; n];
        let mut cumulative = vec![vec![Money(0); ages]; n];
        for sub in &mut self.subs {
            let Ok(r) = rows.binary_search(&sub.key.0) else {
                continue;
            };
            if self.mode == RetentionMode::ReturnOnOrAfter {
                for k in 1..sub.retained.len() {
                    sub.retained[k] += sub.retained[k - 1];
                }
            }
            sizes[r] += sub.size;
            let mut cum = Money(0);
            for k in 0..sub.revenue.len() {
                cum += sub.revenue[k];
                eligible[r][k] += sub.size;
                retained[r][k] += u64::try_from(sub.retained[k]).unwrap_or(0);
                revenue[r][k] += sub.revenue[k];
                cumulative[r][k] += cum;
            }
        }
        let ratio = |num: f64, den: u64| (den > 0).then(|| num / den as f64);
        let mut retention = vec![vec![None; ages]; n];
        let mut churn = vec![vec![None; ages]; n];
        let mut cell_revenue = vec![vec![None; ages]; n];
        let mut ltv = vec![vec![None; ages]; n];
        for r in 0..n {
            for k in 0..ages {
                let e = eligible[r][k];
                if e == 0 {
                    continue;
                }
                let share = retained[r][k] as f64 / e as f64;
                retention[r][k] = Some(share);
                churn[r][k] = Some(1.0 - share);
                cell_revenue[r][k] = Some(revenue[r][k].to_f64());
                ltv[r][k] = ratio(cumulative[r][k].to_f64(), e);
            }
        }
        Ok(CohortMatrix {
            calendar: self.calendar,
            mode: self.mode,
            labels,
            periods,
            sizes,
            unanchored,
            eligible,
            retained,
            retention,
            churn,
            revenue: cell_revenue,
            ltv,
        })
    }
}
