// periodTransactions through the dashboard module (retention-wasm/dashboard): the calibration
// frequency histogram against the model's Σ P(X(T) = n), on CDNOW
// (retention-core/tests/fixtures/cdnow_customers_summary.csv), checked by properties that need no
// stored numbers: the observed column is the data's histogram, each customer's probabilities sum to
// one, and with the open bucket far out in the tail the PMF's mean equals the closed-form expected
// purchases E[X(T)] (a different core formula, exported as expectedPurchases); and against lifetimes
// 0.11.3's own P(X(T) = n) (fixtures/period_transactions_cdnow.json, with the command that wrote it).
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as r from 'retention-wasm/dashboard';
import * as store from 'retention-wasm';

// Fader, Hardie & Lee (2005) BG/NBD estimates on CDNOW, and Pareto/NBD near the maximum.
const bg = { model: 'bg_nbd', r: 0.2426, alpha: 4.4136, a: 0.7929, b: 2.4259 };
const pareto = { model: 'pareto_nbd', r: 0.5534, alpha: 10.5802, s: 0.6061, beta: 11.6562 };

function cdnow() {
  const lines = readFileSync(new URL('../../retention-core/tests/fixtures/cdnow_customers_summary.csv', import.meta.url), 'utf8')
    .trim().split('\n').slice(1);
  const n = lines.length;
  const cols = { frequency: new Float64Array(n), recency: new Float64Array(n), T: new Float64Array(n) };
  lines.forEach((line, i) => {
    const [, x, tx, t] = line.split(',').map(Number);
    cols.frequency[i] = x;
    cols.recency[i] = tx;
    cols.T[i] = t;
  });
  return cols;
}

before(async () => {
  await r.init();
});

test('both entries imported: init() loaded the dashboard module for both', () => {
  assert.equal(store.init, r.init);
  assert.equal(store.version(), r.version());
  const t = store.expectedPurchases(bg, 39);
  assert.ok(r.periodTransactions(bg, { frequency: [1], recency: [2], T: [39] }).expected[1] > 0 && t > 0);
});

test('observed buckets are the histogram, expected ones sum to the customers', () => {
  const data = cdnow();
  for (const model of [bg, pareto]) {
    const t = r.periodTransactions(model, data);
    assert.deepEqual(Array.from(t.frequency), [0, 1, 2, 3, 4, 5, 6, 7]);
    assert.deepEqual(t.open, [false, false, false, false, false, false, false, true]);
    const histogram = new Array(8).fill(0);
    for (const x of data.frequency) histogram[Math.min(x, 7)] += 1;
    assert.deepEqual(Array.from(t.actual), histogram);
    const total = t.expected.reduce((a, b) => a + b, 0);
    assert.ok(Math.abs(total - 2357) < 1e-9, `${model.model}: ${total}`);
    assert.ok(t.expected.every((e) => e > 0));
  }
});

test('the PMF\'s mean equals the closed-form expected purchases', () => {
  const data = cdnow();
  for (const model of [bg, pareto]) {
    const t = r.periodTransactions(model, data, { maxFrequency: 400 });
    const mean = t.frequency.reduce((acc, n, k) => acc + n * t.expected[k], 0);
    const closed = r.expectedPurchases(model, data.T).reduce((a, b) => a + b, 0);
    assert.ok(Math.abs(mean / closed - 1) < 1e-9, `${model.model}: ${mean} vs ${closed}`);
    assert.ok(t.expected[400] < 1e-6);
  }
});

test('expected buckets equal lifetimes\' probability_of_n_purchases_up_to_time sums', () => {
  const ref = JSON.parse(readFileSync(new URL('./fixtures/period_transactions_cdnow.json', import.meta.url), 'utf8'));
  const data = cdnow();
  for (const [name, { params, expected }] of Object.entries(ref.models)) {
    const t = r.periodTransactions(params, data, { maxFrequency: ref.max_frequency });
    expected.forEach((want, k) => {
      assert.ok(Math.abs(t.expected[k] / want - 1) < 1e-9, `${name} bucket ${k}: ${t.expected[k]} vs lifetimes ${want}`);
    });
  }
});

test('weights count identical rows', () => {
  const one = { frequency: [0, 2, 2, 5], recency: [0, 3, 3, 9], T: [10, 10, 10, 12] };
  const weighted = { frequency: [0, 2, 5], recency: [0, 3, 9], T: [10, 10, 12], weights: [1, 2, 1] };
  const a = r.periodTransactions(bg, one, { maxFrequency: 3 });
  const b = r.periodTransactions(bg, weighted, { maxFrequency: 3 });
  assert.deepEqual(Array.from(a.actual), [1, 0, 2, 1]);
  assert.deepEqual(Array.from(b.actual), Array.from(a.actual));
  a.expected.forEach((e, k) => assert.ok(Math.abs(e - b.expected[k]) < 1e-12));
});

test('bad input is a typed error', () => {
  const data = { frequency: [0, 1.5], recency: [0, 1], T: [3, 3] };
  assert.throws(() => r.periodTransactions(bg, data), (e) => e.code === 'invalid_rows' && e.row === 1 && e.field === 'frequency');
  const ok = { frequency: [0, 1], recency: [0, 1], T: [3, 3] };
  assert.throws(() => r.periodTransactions(bg, ok, { maxFrequency: 1001 }), (e) => e.code === 'invalid_parameter' && e.field === 'max_frequency');
  assert.throws(() => r.periodTransactions(bg, ok, { maxFrequency: 0 }), (e) => e.code === 'invalid_parameter');
  assert.throws(() => r.periodTransactions(bg, ok, { nope: 1 }), (e) => e.code === 'invalid_input');
  assert.throws(() => r.periodTransactions({ model: 'nope' }, ok), (e) => e.code === 'unknown_code');
  assert.throws(() => r.periodTransactions(bg, { ...ok, T: [3] }), (e) => e.code === 'length_mismatch');
});
