//! The result of [`cohort_retention`](super::retention::cohort_retention):
//! tidy cells (one per group, cohort and column) and mean rows, and their
//! tables.

use std::borrow::Cow;
use std::collections::BTreeMap;

use super::periods::period_label;
use super::retention::{Accumulator, Bracket, RetentionOptions};
use crate::error::Result;
use crate::events::NO_CODE;
use crate::intervals::wilson;
use crate::summary::Money;
use crate::table::{Column, Table};
use crate::time::Micros;

/// One column of the matrices: an age, or a bracket of ages.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct AgeColumn {
    /// `"3"` for one age, `"4-10"` for a bracket.
    pub label: String,
    /// First age.
    pub first_age: u32,
    /// Last age (equal to `first_age` without brackets).
    pub last_age: u32,
}

/// One cell: a group, a cohort and a column (see the
/// [module docs](super::retention) for the definitions).
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct RetentionCell {
    /// Whether the cell belongs to the total over every group.
    pub total: bool,
    /// The breakdown value; `None` for the total and for customers without one.
    pub breakdown: Option<String>,
    /// Cohort label (the calendar period of the start, e.g. `2024-03`).
    pub cohort: String,
    /// First instant of the cohort's period.
    pub period_start: Micros,
    /// Members of the cohort (in this group).
    pub size: u64,
    /// The column's label.
    pub column: String,
    /// The column's first age.
    pub first_age: u32,
    /// The column's last age.
    pub last_age: u32,
    /// Members whose column is complete.
    pub eligible: u64,
    /// Eligible members with a return event in the column.
    pub retained: u64,
    /// `retained / eligible`; `None` without eligible members.
    pub retention: Option<f64>,
    /// Lower end of the Wilson interval.
    pub lower: Option<f64>,
    /// Upper end of the Wilson interval.
    pub upper: Option<f64>,
    /// Revenue of the eligible members in the column.
    pub revenue: Option<f64>,
    /// Revenue as a share of the same members' age-0 revenue.
    pub revenue_retention: Option<f64>,
}

/// One cell of a mean row: a group and a column, over its cohorts.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct MeanCell {
    /// Whether the row belongs to the total.
    pub total: bool,
    /// The breakdown value; `None` for the total and for customers without one.
    pub breakdown: Option<String>,
    /// The column's label.
    pub column: String,
    /// The column's first age.
    pub first_age: u32,
    /// The column's last age.
    pub last_age: u32,
    /// Cohorts with eligible members in the column.
    pub cohorts: u64,
    /// Eligible members summed over those cohorts.
    pub eligible: u64,
    /// Retained members summed over those cohorts.
    pub retained: u64,
    /// Average of the cohorts' retention (each cohort weighs the same).
    pub simple_mean: Option<f64>,
    /// `retained / eligible` (cohorts weighted by their eligible members).
    pub weighted_mean: Option<f64>,
    /// Lower end of the Wilson interval of the weighted mean.
    pub lower: Option<f64>,
    /// Upper end of the Wilson interval of the weighted mean.
    pub upper: Option<f64>,
    /// Summed revenue over summed age-0 revenue of the same members.
    pub revenue_retention: Option<f64>,
}

/// Cohort retention: cells and mean rows of the total and of every
/// breakdown group, total first, then the values in order, then customers
/// without a value.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct CohortRetention {
    /// The breakdown key, if any.
    pub breakdown: Option<String>,
    /// The columns, in order.
    pub columns: Vec<AgeColumn>,
    /// Coverage of the intervals.
    pub level: f64,
    /// Customers without the start event, in no cohort.
    pub unstarted: u64,
    /// The cells, by group, cohort (in time order) and column.
    pub cells: Vec<RetentionCell>,
    /// The mean rows, by group and column.
    pub means: Vec<MeanCell>,
}

/// One finished row: counts per column.
#[derive(Clone)]
struct Counts {
    size: u64,
    eligible: Vec<u64>,
    retained: Vec<u64>,
    revenue: Vec<Money>,
    base: Vec<Money>,
}

impl Counts {
    fn new(n: usize) -> Self {
        Counts {
            size: 0,
            eligible: vec![0; n],
            retained: vec![0; n],
            revenue: vec![Money(0); n],
            base: vec![Money(0); n],
        }
    }

    fn add(&mut self, other: &Counts) {
        self.size += other.size;
        for k in 0..self.eligible.len() {
            self.eligible[k] += other.eligible[k];
            self.retained[k] += other.retained[k];
            self.revenue[k] += other.revenue[k];
            self.base[k] += other.base[k];
        }
    }
}

fn ratio(num: Money, den: Money) -> Option<f64> {
    (den != Money(0)).then(|| num.to_f64() / den.to_f64())
}

impl Accumulator<'_> {
    /// The result: columns, the groups' counts (and their sums), cells and means.
    pub(super) fn finish(
        self,
        options: &RetentionOptions,
        groups: Option<Vec<String>>,
        unstarted: u64,
        z: f64,
    ) -> Result<CohortRetention> {
        // Ages of column k: the bracket, or k itself.
        let spans: Vec<Bracket> = match self.brackets {
            Some(b) => b.to_vec(),
            None => {
                let ages = self
                    .rows
                    .iter()
                    .filter_map(|r| r.by_w.iter().rposition(|&n| n > 0))
                    .max()
                    .unwrap_or(0);
                (0..ages as u32)
                    .map(|k| Bracket { first: k, last: k })
                    .collect()
            }
        };
        let n = spans.len();
        // Counts per (group, cohort); the total per cohort.
        let mut by_group: BTreeMap<(u32, i64), Counts> = BTreeMap::new();
        for row in &self.rows {
            let mut c = Counts::new(n);
            c.size = row.size;
            // Customers and age-0 revenue with more than `k` complete ages.
            let mut more = vec![0u64; row.by_w.len() + 1];
            let mut more_rev = vec![Money(0); row.by_w.len() + 1];
            for w in (0..row.by_w.len()).rev() {
                more[w] = more[w + 1] + row.by_w[w];
                more_rev[w] = more_rev[w + 1] + row.rev0_by_w[w];
            }
            for (k, span) in spans.iter().enumerate() {
                let need = (span.last as usize).saturating_add(1);
                if need < more.len() {
                    c.eligible[k] = more[need];
                    c.base[k] = more_rev[need];
                }
                c.retained[k] = row.retained.get(k).copied().unwrap_or(0);
                c.revenue[k] = row.revenue.get(k).copied().unwrap_or(Money(0));
            }
            by_group
                .entry((row.group, row.cohort))
                .or_insert_with(|| Counts::new(n))
                .add(&c);
        }
        let mut total: BTreeMap<i64, Counts> = BTreeMap::new();
        for (&(_, cohort), c) in &by_group {
            total.entry(cohort).or_insert_with(|| Counts::new(n)).add(c);
        }
        let columns: Vec<AgeColumn> = spans
            .iter()
            .map(|s| AgeColumn {
                label: if s.first == s.last {
                    s.first.to_string()
                } else {
                    format!("{}-{}", s.first, s.last)
                },
                first_age: s.first,
                last_age: s.last,
            })
            .collect();
        let mut out = CohortRetention {
            breakdown: options.breakdown.clone(),
            columns,
            level: options.level,
            unstarted,
            cells: Vec::new(),
            means: Vec::new(),
        };
        let cal = &options.calendar;
        let mut emit = |total_group: bool, value: Option<String>, rows: Vec<(i64, &Counts)>| {
            let mut sums = Counts::new(n);
            let mut simple = vec![(0.0f64, 0u64); n];
            for (cohort, c) in &rows {
                for (k, col) in out.columns.iter().enumerate() {
                    let e = c.eligible[k];
                    let (mut retention, mut lower, mut upper) = (None, None, None);
                    let (mut revenue, mut revenue_retention) = (None, None);
                    if e > 0 {
                        let share = c.retained[k] as f64 / e as f64;
                        let (lo, hi) = wilson(c.retained[k] as f64, e as f64, z);
                        (retention, lower, upper) = (Some(share), Some(lo), Some(hi));
                        revenue = Some(c.revenue[k].to_f64());
                        revenue_retention = ratio(c.revenue[k], c.base[k]);
                        simple[k].0 += share;
                        simple[k].1 += 1;
                        sums.eligible[k] += e;
                        sums.retained[k] += c.retained[k];
                        sums.revenue[k] += c.revenue[k];
                        sums.base[k] += c.base[k];
                    }
                    out.cells.push(RetentionCell {
                        total: total_group,
                        breakdown: value.clone(),
                        cohort: period_label(cal, *cohort),
                        period_start: cal.start(*cohort),
                        size: c.size,
                        column: col.label.clone(),
                        first_age: col.first_age,
                        last_age: col.last_age,
                        eligible: e,
                        retained: c.retained[k],
                        retention,
                        lower,
                        upper,
                        revenue,
                        revenue_retention,
                    });
                }
            }
            for (k, col) in out.columns.iter().enumerate() {
                let e = sums.eligible[k];
                let interval = (e > 0).then(|| wilson(sums.retained[k] as f64, e as f64, z));
                out.means.push(MeanCell {
                    total: total_group,
                    breakdown: value.clone(),
                    column: col.label.clone(),
                    first_age: col.first_age,
                    last_age: col.last_age,
                    cohorts: simple[k].1,
                    eligible: e,
                    retained: sums.retained[k],
                    simple_mean: (simple[k].1 > 0).then(|| simple[k].0 / simple[k].1 as f64),
                    weighted_mean: (e > 0).then(|| sums.retained[k] as f64 / e as f64),
                    lower: interval.map(|i| i.0),
                    upper: interval.map(|i| i.1),
                    revenue_retention: ratio(sums.revenue[k], sums.base[k]),
                });
            }
        };
        emit(true, None, total.iter().map(|(&k, c)| (k, c)).collect());
        if let Some(values) = groups {
            let mut codes: Vec<u32> = by_group.keys().map(|k| k.0).collect();
            codes.dedup();
            // Values in order, then customers without one (NO_CODE sorts last).
            for code in codes {
                let rows = by_group
                    .range((code, i64::MIN)..=(code, i64::MAX))
                    .map(|(&(_, p), c)| (p, c))
                    .collect();
                let value = (code != NO_CODE)
                    .then(|| values.get(code as usize).cloned())
                    .flatten();
                emit(false, value, rows);
            }
        }
        Ok(out)
    }
}

impl Table for [RetentionCell] {
    fn columns(&self) -> Vec<(&'static str, Column<'_>)> {
        let g = |f: fn(&RetentionCell) -> Option<f64>| {
            Column::OptF64(Cow::Owned(self.iter().map(f).collect()))
        };
        let u =
            |f: fn(&RetentionCell) -> u64| Column::U64(Cow::Owned(self.iter().map(f).collect()));
        vec![
            (
                "total",
                Column::Bool(self.iter().map(|c| c.total).collect()),
            ),
            (
                "breakdown",
                Column::OptText(self.iter().map(|c| c.breakdown.clone()).collect()),
            ),
            (
                "cohort",
                Column::Text(self.iter().map(|c| c.cohort.clone()).collect()),
            ),
            (
                "period_start",
                Column::Instants(self.iter().map(|c| Some(c.period_start)).collect()),
            ),
            ("size", u(|c| c.size)),
            (
                "column",
                Column::Text(self.iter().map(|c| c.column.clone()).collect()),
            ),
            ("first_age", u(|c| u64::from(c.first_age))),
            ("last_age", u(|c| u64::from(c.last_age))),
            ("eligible", u(|c| c.eligible)),
            ("retained", u(|c| c.retained)),
            ("retention", g(|c| c.retention)),
            ("lower", g(|c| c.lower)),
            ("upper", g(|c| c.upper)),
            ("revenue", g(|c| c.revenue)),
            ("revenue_retention", g(|c| c.revenue_retention)),
        ]
    }
}

impl Table for [MeanCell] {
    fn columns(&self) -> Vec<(&'static str, Column<'_>)> {
        let g = |f: fn(&MeanCell) -> Option<f64>| {
            Column::OptF64(Cow::Owned(self.iter().map(f).collect()))
        };
        let u = |f: fn(&MeanCell) -> u64| Column::U64(Cow::Owned(self.iter().map(f).collect()));
        vec![
            (
                "total",
                Column::Bool(self.iter().map(|c| c.total).collect()),
            ),
            (
                "breakdown",
                Column::OptText(self.iter().map(|c| c.breakdown.clone()).collect()),
            ),
            (
                "column",
                Column::Text(self.iter().map(|c| c.column.clone()).collect()),
            ),
            ("first_age", u(|c| u64::from(c.first_age))),
            ("last_age", u(|c| u64::from(c.last_age))),
            ("cohorts", u(|c| c.cohorts)),
            ("eligible", u(|c| c.eligible)),
            ("retained", u(|c| c.retained)),
            ("simple_mean", g(|c| c.simple_mean)),
            ("weighted_mean", g(|c| c.weighted_mean)),
            ("lower", g(|c| c.lower)),
            ("upper", g(|c| c.upper)),
            ("revenue_retention", g(|c| c.revenue_retention)),
        ]
    }
}
