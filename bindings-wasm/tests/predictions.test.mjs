// Predictions beyond calibration and intervals through the package: closed
// forms computed here (Pareto/NBD), the distribution's properties, the
// exponential-integral form of DERT at s = 1, and typed errors.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as r from 'retention-wasm';

const BG = { model: 'bg_nbd', r: 0.2426, alpha: 4.4136, a: 0.7929, b: 2.4259 };
const PARETO = { model: 'pareto_nbd', r: 0.5532, alpha: 10.578, s: 0.6062, beta: 11.669 };
const ONE = { frequency: 2, recency: 30.43, T: 38.86 };
const ROWS = { frequency: [0, 2, 7], recency: [0, 30.43, 35], T: [38.86, 38.86, 36] };

function close(actual, expected, what, rel = 1e-10) {
  assert.ok(Math.abs(actual - expected) <= rel * Math.max(1, Math.abs(expected)), `${what}: ${actual} != ${expected}`);
}

function cdnow() {
  const lines = readFileSync(new URL('../../retention-core/tests/fixtures/cdnow_customers_summary.csv', import.meta.url), 'utf8').trim().split('\n').slice(1);
  const cols = { frequency: new Float64Array(lines.length), recency: new Float64Array(lines.length), T: new Float64Array(lines.length) };
  lines.forEach((line, i) => {
    const f = line.split(',').map(Number);
    cols.frequency[i] = f[1];
    cols.recency[i] = f[2];
    cols.T[i] = f[3];
  });
  return cols;
}

before(async () => {
  await r.init();
});

test('Pareto/NBD P(alive) at T + tau is P(alive)·((β+T)/(β+T+τ))^s', () => {
  const alive = r.probabilityAlive(PARETO, ROWS);
  const at = r.probabilityAliveAt(PARETO, 52, ROWS);
  at.forEach((p, i) => close(p, alive[i] * ((11.669 + ROWS.T[i]) / (11.669 + ROWS.T[i] + 52)) ** 0.6062, `row ${i}`, 1e-12));
  close(r.probabilityAliveAt(PARETO, 52, ONE), at[1], 'one customer', 1e-14);
  const later = r.probabilityAlive(PARETO, { ...ONE, T: ONE.T + 52 });
  close(r.probabilityAliveGivenNoPurchase(PARETO, 52, ONE), later, 'given no purchase', 1e-14);
});

test('the conditional purchase counts sum to one with the conditional mean', () => {
  for (const model of [BG, PARETO]) {
    let total = 0;
    let mean = 0;
    for (let n = 0; n < 300; n++) {
      const p = r.conditionalProbabilityOfPurchases(model, n, 39, ONE);
      total += p;
      mean += n * p;
    }
    close(total, 1, `${model.model} total`, 1e-8);
    close(mean, r.conditionalExpectedPurchases(model, 39, ONE), `${model.model} mean`, 1e-6);
  }
});

test('DERT at s = 1 is the exponential integral form', () => {
  // D = P(alive)(r+x)/(α+T) · B e^z E₁(z), B = β+T, z = δB.
  const e1 = (z) => {
    let sum = 0;
    let term = 1;
    for (let k = 1; k < 80; k++) {
      term *= -z / k;
      sum += term / k;
    }
    return -0.5772156649015329 - Math.log(z) - sum;
  };
  const model = { model: 'pareto_nbd', r: 0.55, alpha: 10.6, s: 1, beta: 11.7 };
  const delta = 0.02;
  const alive = r.probabilityAlive(model, ONE);
  const b = 11.7 + ONE.T;
  const want = alive * (0.55 + 2) / (10.6 + ONE.T) * b * Math.exp(delta * b) * e1(delta * b);
  close(r.dert(model, delta, ONE), want, 'DERT', 1e-9);
  assert.ok(r.dert(BG, delta, ROWS).every((d) => d > 0));
});

test('next purchase figures', () => {
  const one = r.nextPurchase(BG, 39, ONE);
  close(one.meanWaitIfAlive, (4.4136 + 38.86) / (0.2426 + 2 - 1), 'mean wait');
  const w = one.medianWaitIfAlive;
  close(((4.4136 + 38.86) / (4.4136 + 38.86 + w)) ** 2.2426, 0.5, 'median wait', 1e-12);
  close(one.probabilityOfPurchase, 1 - r.conditionalProbabilityOfPurchases(BG, 0, 39, ONE), 'P(purchase)', 1e-12);
  const rows = r.nextPurchase(BG, 39, ROWS);
  assert.equal(rows.length, 3);
  assert.equal(rows[0].meanWaitIfAlive, null);
});

test('delta-method and bootstrap intervals from a CDNOW fit', () => {
  const fit = r.fitBgNbd(cdnow());
  const d = r.predictionIntervals(fit, { prediction: 'conditional_expected_purchases', t: 39 }, ONE);
  close(d.estimate, r.conditionalExpectedPurchases(fit.params, 39, ONE), 'estimate', 1e-14);
  assert.ok(d.lower < d.estimate && d.estimate < d.upper && d.standardError > 0);
  const opts = { method: 'bootstrap', draws: 400, seed: 5 };
  const b = r.predictionIntervals(fit, { prediction: 'dert', discountRate: 0.01 }, ROWS, opts);
  assert.deepEqual(b, r.predictionIntervals(fit, { prediction: 'dert', discountRate: 0.01 }, ROWS, opts));
  assert.equal(b.length, 3);
  const gg = { params: { p: 6.25, q: 3.74, gamma: 15.44 }, covariance: [0.1, 0, 0, 0, 0.01, 0, 0, 0, 0.5] };
  const clv = r.predictiveClvIntervals(fit, gg, { ...ONE, monetaryValue: 30 }, { timeUnit: 'week' });
  close(clv.estimate, r.predictiveClv(fit.params, gg.params, { ...ONE, monetaryValue: 30 }, { timeUnit: 'week' }), 'CLV', 1e-14);
});

test('bad arguments are typed errors', () => {
  const code = (f) => {
    try {
      f();
    } catch (e) {
      return e.code;
    }
    return 'no error';
  };
  assert.equal(code(() => r.dert(PARETO, 0, ONE)), 'invalid_parameter');
  assert.equal(code(() => r.conditionalProbabilityOfPurchases(PARETO, 100001, 1, ONE)), 'invalid_parameter');
  assert.equal(code(() => r.conditionalProbabilityOfPurchases(PARETO, 1.5, 1, ONE)), 'invalid_input');
  assert.equal(code(() => r.probabilityAliveAt(PARETO, -1, ONE)), 'invalid_parameter');
  assert.equal(code(() => r.dert(PARETO, 0.1, { frequency: [1], recency: [5], T: [3] })), 'invalid_rows');
  assert.equal(code(() => r.predictionIntervals({ params: BG, covariance: null }, { prediction: 'probability_alive' }, ONE)), 'invalid_input');
  const fit = { params: BG, covariance: new Array(16).fill(0) };
  assert.equal(code(() => r.predictionIntervals(fit, { prediction: 'probability_alive' }, ONE, { method: 'bootstrap', draws: 10001 })), 'invalid_parameter');
  assert.equal(code(() => r.predictionIntervals(fit, { prediction: 'probability_alive' }, ONE, { method: 'jackknife' })), 'unknown_code');
});
