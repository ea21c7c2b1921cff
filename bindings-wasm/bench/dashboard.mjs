// Node benchmark of the dashboard module (prints figures; never fails on timing).
//
// Contractual models: a BdW (and an sBG) maximum-likelihood fit to 36 monthly
// cohorts of 1,000 subscribers, cohort i observed for 36 − i ages (the
// triangle of a 36-month cohort matrix), and the filled 36 × 36 predictive
// matrix with delta-method 90 % intervals, in one predictiveCohortMatrix
// call; the same workload as the Rust criterion bench
// `benches/benches/contractual.rs` (issue target: under 50 ms in the
// package).
//
// Run: node bench/dashboard.mjs (after bash build.sh). A separate process
// from bench.mjs, which measures the storefront module.
import { performance } from 'node:perf_hooks';
import * as d from 'retention-wasm/dashboard';

await d.init();

// Survivors of BdW(α = 0.9, β = 2.5, c = 0.8): S(t) = B(α, β + t^c) / B(α, β)
// (Fader et al. 2018), through a Lanczos log-gamma (ample precision for
// rounding to whole subscribers).
function lnGamma(z) {
  const g = 7;
  const c = [0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
    -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7];
  if (z < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * z)) - lnGamma(1 - z);
  z -= 1;
  let x = c[0];
  for (let i = 1; i < g + 2; i++) x += c[i] / (z + i);
  const t = z + g + 0.5;
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(x);
}
const lnBeta = (a, b) => lnGamma(a) + lnGamma(b) - lnGamma(a + b);
const [alpha, beta, c] = [0.9, 2.5, 0.8];
const survival = (t) => Math.exp(lnBeta(alpha, beta + t ** c) - lnBeta(alpha, beta));
const cohorts = Array.from({ length: 36 }, (_, i) => Array.from({ length: 36 - i }, (_, t) => Math.round(1000 * survival(t))));

function median(f, reps) {
  f(); // warm-up
  const times = [];
  let out;
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    out = f();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return [times[Math.floor(reps / 2)], times[0], out];
}

for (const model of ['bdw', 'sbg']) {
  const [ms, best, m] = median(() => d.predictiveCohortMatrix(cohorts, { model, ages: 36 }), 21);
  const fit = m.fit ?? m.fits?.[0];
  const params = fit?.params ? ` (alpha ${fit.params.alpha.toFixed(3)}, beta ${fit.params.beta.toFixed(3)}, c ${fit.params.c.toFixed(3)})` : '';
  console.log(`contractual ${model}: fit + filled 36 × 36 matrix with intervals ${ms.toFixed(1)} ms median, best ${best.toFixed(1)} ms${params}; target < 50 ms`);
}
