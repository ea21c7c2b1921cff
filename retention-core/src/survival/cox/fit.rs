//! The sorted design matrix, the (weighted, stratified) partial likelihood
//! with its score and information, and Newton–Raphson.
//!
//! See the [module overview](super) for the formulas.

use super::newton::{iterate, NewtonStep};
use super::{CoxOptions, CoxRows, CoxTies};
use crate::error::Result;
use crate::survival::diagnostics::FitWarning;
use crate::survival::keys::{duration_key, order_by_keys};

/// Subjects sorted by stratum, then by decreasing time; covariates centred
/// and scaled, row-major.
pub(super) struct Design {
    pub(super) n: usize,
    pub(super) p: usize,
    pub(super) x: Vec<f64>,
    pub(super) event: Vec<bool>,
    /// Case weights in the sorted order.
    pub(super) weight: Vec<f64>,
    /// Durations in the sorted order.
    pub(super) time: Vec<f64>,
    /// Input row of each sorted position.
    pub(super) order: Vec<usize>,
    /// `[start, end)` ranges of tied times, in the sorted order; a block
    /// never crosses a stratum boundary.
    pub(super) blocks: Vec<(usize, usize)>,
    /// `[first, last)` ranges of `blocks`, one per stratum, and its label.
    pub(super) strata: Vec<(usize, usize, u32)>,
    /// Entry times in the sorted order; empty without entries.
    pub(super) entry: Vec<f64>,
    /// Sorted positions, each stratum's range ordered by decreasing entry
    /// time: the order in which rows leave the risk set as time runs
    /// backwards. Empty without entries.
    pub(super) exits: Vec<usize>,
}

/// Log-likelihood, score and information (lower triangle filled, then
/// mirrored) at one `β`.
pub(super) struct Evaluation {
    pub(super) ll: f64,
    pub(super) score: Vec<f64>,
    pub(super) info: Vec<f64>,
}

impl Design {
    /// Sorts the rows and transforms each covariate to
    /// `(x − center[j]) / scale[j]`; the weights, strata and entry times of
    /// `rows` are used. Inputs are assumed validated.
    pub(super) fn build<C: AsRef<[f64]>>(
        durations: &[f64],
        event_observed: &[bool],
        covariates: &[C],
        center: &[f64],
        scale: &[f64],
        rows: &CoxRows<'_>,
    ) -> Design {
        let (weights, strata, entries) = (rows.weights, rows.strata, rows.entries);
        let n = durations.len();
        let p = covariates.len();
        // Decreasing time, so risk sets grow as the subjects are visited;
        // then (stable) by stratum.
        let mut order = order_by_keys(durations.iter().map(|&d| duration_key(d)));
        order.reverse();
        if let Some(s) = strata {
            order.sort_by_key(|&i| s[i]);
        }
        // Transformed rows in input order (sequential reads of each column),
        // then gathered in sorted order one contiguous row at a time.
        let mut rows = vec![0.0; n * p];
        for (j, column) in covariates.iter().enumerate() {
            for (cell, &v) in rows[j..].iter_mut().step_by(p.max(1)).zip(column.as_ref()) {
                *cell = (v - center[j]) / scale[j];
            }
        }
        let mut x = Vec::with_capacity(n * p);
        for &i in &order {
            x.extend_from_slice(&rows[i * p..(i + 1) * p]);
        }
        drop(rows);
        let label = |k: usize| strata.map_or(0, |s| s[order[k]]);
        let mut blocks = Vec::new();
        let mut ranges = Vec::new();
        let mut start = 0;
        while start < n {
            let key = (label(start), duration_key(durations[order[start]]));
            if start == 0 || label(start) != label(start - 1) {
                ranges.push((blocks.len(), blocks.len(), key.0));
            }
            let mut end = start + 1;
            while end < n && (label(end), duration_key(durations[order[end]])) == key {
                end += 1;
            }
            blocks.push((start, end));
            if let Some(last) = ranges.last_mut() {
                last.1 = blocks.len();
            }
            start = end;
        }
        let (entry, exits) = match entries {
            None => (Vec::new(), Vec::new()),
            Some(e) => {
                let entry: Vec<f64> = order.iter().map(|&i| e[i]).collect();
                let mut exits: Vec<usize> = (0..n).collect();
                for &(first, last, _) in &ranges {
                    let (lo, hi) = (blocks[first].0, blocks[last - 1].1);
                    exits[lo..hi].sort_by(|&a, &b| entry[b].total_cmp(&entry[a]));
                }
                (entry, exits)
            }
        };
        Design {
            n,
            p,
            x,
            entry,
            exits,
            event: order.iter().map(|&i| event_observed[i]).collect(),
            weight: order
                .iter()
                .map(|&i| weights.map_or(1.0, |w| w[i]))
                .collect(),
            time: order.iter().map(|&i| durations[i]).collect(),
            order,
            blocks,
            strata: ranges,
        }
    }

    /// `xᵢᵀβ` for every sorted row.
    pub(super) fn eta(&self, beta: &[f64]) -> Vec<f64> {
        if self.p == 0 {
            return vec![0.0; self.n];
        }
        self.x
            .chunks_exact(self.p)
            .map(|row| row.iter().zip(beta).map(|(a, b)| a * b).sum())
            .collect()
    }

    /// `[start, end)` range of the sorted positions of stratum `first..last`
    /// (block indices).
    pub(super) fn stratum_range(&self, first: usize, last: usize) -> (usize, usize) {
        (self.blocks[first].0, self.blocks[last - 1].1)
    }

    /// Weighted partial log-likelihood summed over strata, its score and
    /// information at `beta`, minus the ridge penalty
    /// `n/2 Σⱼ penalty[j] βⱼ²` (`penalty` empty or one per covariate).
    pub(super) fn evaluate(&self, beta: &[f64], ties: CoxTies, penalty: &[f64]) -> Evaluation {
        let (n, p) = (self.n, self.p);
        let eta = self.eta(beta);
        let shift = eta.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let shift = if shift.is_finite() { shift } else { 0.0 };

        let mut s1 = vec![0.0; p];
        let mut s2 = vec![0.0; p * p];
        let mut d1 = vec![0.0; p];
        let mut d2 = vec![0.0; p * p];
        let mut ll = 0.0;
        let mut score = vec![0.0; p];
        let mut info = vec![0.0; p * p];

        for &(first, last, _) in &self.strata {
            let mut s0 = 0.0;
            s1.iter_mut().for_each(|v| *v = 0.0);
            s2.iter_mut().for_each(|v| *v = 0.0);
            let (lo, hi) = self.stratum_range(first, last);
            // Next row (in `exits`) to leave the risk set.
            let mut leaving = lo;
            for &(start, end) in &self.blocks[first..last] {
                let mut d0 = 0.0;
                let mut deaths = 0usize;
                let mut death_weight = 0.0;
                d1.iter_mut().for_each(|v| *v = 0.0);
                d2.iter_mut().for_each(|v| *v = 0.0);
                let rows = self.x[start * p..end * p]
                    .chunks_exact(p.max(1))
                    .chain(std::iter::repeat(&[][..]))
                    .zip(&eta[start..end])
                    .zip(&self.event[start..end])
                    .zip(&self.weight[start..end]);
                for (((xi, &eta_i), &is_event), &wt) in rows {
                    let w = wt * (eta_i - shift).exp();
                    if is_event {
                        deaths += 1;
                        death_weight += wt;
                        d0 += w;
                        ll += wt * eta_i;
                        for (sa, &xa) in score.iter_mut().zip(xi) {
                            *sa += wt * xa;
                        }
                        add_weighted_outer(&mut d1, &mut d2, xi, w);
                    } else {
                        s0 += w;
                        add_weighted_outer(&mut s1, &mut s2, xi, w);
                    }
                }
                // The block's events join the risk set too.
                s0 += d0;
                for (sa, da) in s1.iter_mut().zip(&d1) {
                    *sa += da;
                }
                for (sab, dab) in s2.iter_mut().zip(&d2) {
                    *sab += dab;
                }
                // Rows entering at or after this time are not at risk here
                // (nor earlier): they leave the sums for good.
                if !self.entry.is_empty() {
                    let t = self.time[start];
                    while leaving < hi && self.entry[self.exits[leaving]] >= t {
                        let i = self.exits[leaving];
                        let w = self.weight[i] * (eta[i] - shift).exp();
                        s0 -= w;
                        add_weighted_outer(&mut s1, &mut s2, &self.x[i * p..(i + 1) * p], -w);
                        leaving += 1;
                    }
                }
                if deaths == 0 {
                    continue;
                }
                // Sums over the tie terms l = 0..d−1 of φ_l = s0 − f_l d0 with
                // f_l = l/d (Efron) or f_l = 0 (Breslow, all d terms equal),
                // each term carrying the mean weight of the d events.
                let df = deaths as f64;
                let mean_weight = death_weight / df;
                let (r1, rf, q1, qf, qff, log_sum) = match ties {
                    CoxTies::Breslow => (df / s0, 0.0, df / (s0 * s0), 0.0, 0.0, df * s0.ln()),
                    CoxTies::Efron => {
                        let mut sums = (0.0, 0.0, 0.0, 0.0, 0.0, 0.0);
                        for l in 0..deaths {
                            let f = l as f64 / df;
                            let phi = s0 - f * d0;
                            let inv = 1.0 / phi;
                            sums.0 += inv;
                            sums.1 += f * inv;
                            sums.2 += inv * inv;
                            sums.3 += f * inv * inv;
                            sums.4 += f * f * inv * inv;
                            sums.5 += phi.ln();
                        }
                        sums
                    }
                };
                let m = mean_weight;
                ll -= m * log_sum + death_weight * shift;
                for a in 0..p {
                    score[a] -= m * (s1[a] * r1 - d1[a] * rf);
                    for b in 0..=a {
                        let second = s2[a * p + b] * r1 - d2[a * p + b] * rf;
                        let outer = s1[a] * s1[b] * q1 - (s1[a] * d1[b] + d1[a] * s1[b]) * qf
                            + d1[a] * d1[b] * qff;
                        info[a * p + b] += m * (second - outer);
                    }
                }
            }
        }
        for (a, &c) in penalty.iter().enumerate() {
            let c = c * n as f64;
            ll -= 0.5 * c * beta[a] * beta[a];
            score[a] -= c * beta[a];
            info[a * p + a] += c;
        }
        for a in 0..p {
            for b in 0..a {
                info[b * p + a] = info[a * p + b];
            }
        }
        Evaluation { ll, score, info }
    }
}

/// `s1 += w x`, and `w x xᵀ` added to the lower triangle of `s2` (`p × p`).
#[inline]
fn add_weighted_outer(s1: &mut [f64], s2: &mut [f64], x: &[f64], w: f64) {
    let p = x.len();
    for (a, (&xa, s1a)) in x.iter().zip(s1.iter_mut()).enumerate() {
        let wa = w * xa;
        *s1a += wa;
        for (cell, &xb) in s2[a * p..=a * p + a].iter_mut().zip(&x[..=a]) {
            *cell += wa * xb;
        }
    }
}

/// Outcome of [`newton_raphson`] and the elastic-net fit.
pub(super) struct Fit {
    /// Standardised estimate.
    pub(super) beta: Vec<f64>,
    /// Evaluation at `beta`.
    pub(super) eval: Evaluation,
    /// Log-likelihood at `β = 0` (where the penalty vanishes).
    pub(super) null_log_likelihood: f64,
    pub(super) iterations: usize,
    /// One entry per iteration.
    pub(super) trace: Vec<NewtonStep>,
    /// What the iterations found suspicious, if anything.
    pub(super) warning: Option<FitWarning>,
}

/// Newton–Raphson (see the `newton` module) started at `start`
/// (standardised; `β = 0` when empty), on the partial likelihood minus the
/// ridge penalty `penalty` (one per covariate, or empty).
pub(super) fn newton_raphson(
    design: &Design,
    options: &CoxOptions,
    penalty: &[f64],
    start: &[f64],
) -> Result<Fit> {
    let p = design.p;
    let zero = vec![0.0; p];
    let null_log_likelihood = design.evaluate(&zero, options.ties, penalty).ll;
    let beta = if start.is_empty() {
        zero
    } else {
        start.to_vec()
    };
    if p == 0 {
        return Ok(Fit {
            eval: design.evaluate(&beta, options.ties, penalty),
            beta,
            null_log_likelihood,
            iterations: 0,
            trace: Vec::new(),
            warning: None,
        });
    }
    let outcome = iterate(beta, options, true, |b, _| {
        design.evaluate(b, options.ties, penalty)
    })?;
    Ok(Fit {
        beta: outcome.beta,
        eval: outcome.eval,
        null_log_likelihood,
        iterations: outcome.iterations,
        trace: outcome.trace,
        warning: outcome.warning,
    })
}
