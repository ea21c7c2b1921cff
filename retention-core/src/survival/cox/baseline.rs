//! Breslow's baseline hazard, one curve per stratum, and the score
//! residuals behind the robust (sandwich) covariance.
//!
//! See the [module overview](super) for the formulas.

use super::fit::Design;
use super::CoxBaseline;
use crate::survival::keys::duration_key;

impl CoxBaseline {
    /// Breslow's estimate on the sorted design at the standardised `beta`:
    /// at each distinct time `t` of the whole sample and for each stratum,
    /// the weighted events of the stratum at `t` over the weighted partial
    /// hazards `Σ wᵢ exp((xᵢ − x̄)ᵀβ)` of its subjects at risk at `t`
    /// (`tᵢ ≥ t`, and entry `< t` when entry times are given).
    pub(super) fn breslow(design: &Design, beta: &[f64]) -> CoxBaseline {
        let mut times: Vec<f64> = design.time.clone();
        times.sort_unstable_by(f64::total_cmp);
        times.dedup_by_key(|t| duration_key(*t));
        let eta = design.eta(beta);
        let k = times.len();
        let mut hazard = vec![0.0; design.strata.len() * k];
        let mut strata = Vec::with_capacity(design.strata.len());
        for (s, &(first, last, label)) in design.strata.iter().enumerate() {
            strata.push(label);
            let curve = &mut hazard[s * k..(s + 1) * k];
            // Blocks run in decreasing time; the time grid is increasing.
            let mut slot = k;
            let mut at_risk = 0.0;
            let (_, hi) = design.stratum_range(first, last);
            let mut leaving = design.stratum_range(first, last).0;
            for &(start, end) in &design.blocks[first..last] {
                let mut events = 0.0;
                let block = design.weight[start..end]
                    .iter()
                    .zip(&eta[start..end])
                    .zip(&design.event[start..end]);
                for ((&w, &e), &is_event) in block {
                    at_risk += w * e.exp();
                    if is_event {
                        events += w;
                    }
                }
                // Rows entering at or after this time are no longer at risk.
                if !design.entry.is_empty() {
                    let t = design.time[start];
                    while leaving < hi && design.entry[design.exits[leaving]] >= t {
                        let i = design.exits[leaving];
                        at_risk -= design.weight[i] * eta[i].exp();
                        leaving += 1;
                    }
                }
                let key = duration_key(design.time[start]);
                while slot > 0 && duration_key(times[slot - 1]) != key {
                    slot -= 1;
                }
                slot -= 1;
                curve[slot] = if events > 0.0 { events / at_risk } else { 0.0 };
            }
        }
        CoxBaseline {
            times,
            strata,
            hazard,
        }
    }
}

/// Score residuals (Lin & Wei 1989) on the standardised scale, one row of
/// `p` per sorted position of `design`, already multiplied by the case
/// weight. Within a stratum, subjects are ordered by time, then censored
/// before observed, then by input row, and the risk set of position `j`
/// is every position from `j` on: lifelines' convention, which ignores ties.
pub(super) fn score_residuals(design: &Design, beta: &[f64]) -> Vec<f64> {
    let p = design.p;
    let eta = design.eta(beta);
    let shift = eta.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let shift = if shift.is_finite() { shift } else { 0.0 };
    let phi: Vec<f64> = eta.iter().map(|e| (e - shift).exp()).collect();
    let mut out = vec![0.0; design.n * p];
    let mut positions = Vec::new();
    for &(first, last, _) in &design.strata {
        // Ascending order of the stratum's rows, in lifelines' convention.
        positions.clear();
        for &(start, end) in design.blocks[first..last].iter().rev() {
            let tie_start = positions.len();
            positions.extend(start..end);
            positions[tie_start..].sort_by_key(|&i| (design.event[i], design.order[i]));
        }
        let m = positions.len();
        // Reverse cumulative sums: weighted risk and weighted risk · x.
        let mut risk = vec![0.0; m];
        let mut risk_x = vec![0.0; m * p];
        let mut acc = 0.0;
        let mut acc_x = vec![0.0; p];
        for (q, &i) in positions.iter().enumerate().rev() {
            let wphi = design.weight[i] * phi[i];
            acc += wphi;
            for (a, v) in acc_x.iter_mut().enumerate() {
                *v += wphi * design.x[i * p + a];
            }
            risk[q] = acc;
            risk_x[q * p..(q + 1) * p].copy_from_slice(&acc_x);
        }
        // Forward cumulative sums over events j ≤ q of wⱼ/Rⱼ and wⱼ x̄ⱼ/Rⱼ.
        let mut a_sum = 0.0;
        let mut b_sum = vec![0.0; p];
        for (q, &i) in positions.iter().enumerate() {
            let xi = &design.x[i * p..(i + 1) * p];
            if design.event[i] {
                let c = design.weight[i] / risk[q];
                a_sum += c;
                for (a, b) in b_sum.iter_mut().enumerate() {
                    *b += c * risk_x[q * p + a] / risk[q];
                }
            }
            let row = &mut out[i * p..(i + 1) * p];
            for a in 0..p {
                let mut r = -phi[i] * (xi[a] * a_sum - b_sum[a]);
                if design.event[i] {
                    r += xi[a] - risk_x[q * p + a] / risk[q];
                }
                row[a] = r * design.weight[i];
            }
        }
    }
    out
}
