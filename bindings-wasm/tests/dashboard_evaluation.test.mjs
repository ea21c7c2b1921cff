// alivePath and heterogeneity through the dashboard module (retention-wasm/dashboard), against
// hand computations: the path is P(alive) of the history known at each age (probabilityAlive, itself
// checked against the core's golden vectors), the densities are closed-form gamma and beta densities.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as r from 'retention-wasm/dashboard';

const bg = { model: 'bg_nbd', r: 0.25, alpha: 4, a: 0.8, b: 2.5 };

before(async () => {
  await r.init();
});

test('alivePath: P(alive) of the history known at each age', () => {
  // Orders on days 0 (twice), 3 and 7 since 1 Jan 2024: one purchase day per period counts once.
  const orders = ['2024-01-01T09:00:00Z', new Date('2024-01-01T18:00:00Z'), Date.parse('2024-01-04T12:00:00Z'), '2024-01-08'];
  const path = r.alivePath(bg, orders, 10);
  assert.ok(path instanceof Float64Array);
  assert.equal(path.length, 11);
  for (let age = 0; age <= 10; age++) {
    const [x, tx] = age < 3 ? [0, 0] : age < 7 ? [1, 3] : [2, 7];
    const want = r.probabilityAlive(bg, { frequency: x, recency: tx, T: age });
    assert.ok(Math.abs(path[age] - want) < 1e-15, `age ${age}: ${path[age]} vs ${want}`);
  }
  // The path covers the whole history even when `periods` is shorter; weekly periods.
  assert.equal(r.alivePath(bg, orders, 2).length, 8);
  const weekly = r.alivePath(bg, orders, 3, { unit: 'week' });
  assert.equal(weekly.length, 4);
  assert.throws(() => r.alivePath(bg, [], 3), (e) => e.code === 'empty_input');
  assert.throws(() => r.alivePath(bg, ['not a date'], 3), (e) => e.code === 'invalid_input' && e.field === 'orders');
  assert.throws(() => r.alivePath(bg, orders, 20001), (e) => e.code === 'invalid_parameter' && e.field === 'periods');
  assert.throws(() => r.alivePath(bg, orders, 3, { unit: 'fortnight' }), (e) => e.code === 'unknown_code');
});

test('heterogeneity: gamma and beta densities on a grid to the 99th percentile', () => {
  // Purchase rate λ ~ Gamma(2, 4): density 16 x e^(−4x), CDF 1 − e^(−4x)(1 + 4x).
  const pareto = { model: 'pareto_nbd', r: 2, alpha: 4, s: 1.5, beta: 3 };
  const g = r.heterogeneity(pareto, 'purchase', 101);
  assert.equal(g.distribution, 'gamma');
  assert.ok(Math.abs(g.mean - 0.5) < 1e-15 && Math.abs(g.variance - 0.125) < 1e-15);
  assert.ok(Math.abs(1 - Math.exp(-4 * g.upper) * (1 + 4 * g.upper) - 0.99) < 1e-9, String(g.upper));
  assert.equal(g.x.length, 101);
  assert.equal(g.x[0], 0);
  assert.ok(Math.abs(g.x[100] - g.upper) < 1e-12);
  g.x.forEach((x, k) => assert.ok(Math.abs(g.density[k] - 16 * x * Math.exp(-4 * x)) < 1e-12, `x = ${x}`));
  // Dropout probability p ~ Beta(2, 3) of BG/NBD: density 12 p (1 − p)², mean 0.4, variance 0.04.
  const b = r.heterogeneity({ model: 'bg_nbd', r: 0.5, alpha: 3, a: 2, b: 3 }, 'dropout', 11);
  assert.equal(b.distribution, 'beta');
  assert.ok(Math.abs(b.mean - 0.4) < 1e-15 && Math.abs(b.variance - 0.04) < 1e-15);
  b.x.forEach((p, k) => assert.ok(Math.abs(b.density[k] - 12 * p * (1 - p) ** 2) < 1e-12, `p = ${p}`));
  // A shape below 1: infinite density at 0 is null.
  assert.equal(r.heterogeneity(bg, 'purchase', 5).density[0], null);
  assert.throws(() => r.heterogeneity(bg, 'purchase', 1), (e) => e.code === 'invalid_parameter' && e.field === 'points');
  assert.throws(() => r.heterogeneity(bg, 'purchase', 100001), (e) => e.code === 'invalid_parameter');
  assert.throws(() => r.heterogeneity(bg, 'spend', 10), (e) => e.code === 'unknown_code');
});
