// Holdout evaluation through the package: the tracking series of a small
// log and the conditional holdout table, against hand computations from the
// package's own model predictions (themselves checked against the core's
// golden vectors in models.test.mjs).
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as r from 'retention-wasm/dashboard';

const model = { model: 'bg_nbd', r: 0.25, alpha: 4, a: 0.8, b: 2.5 };

function close(actual, expected, what) {
  assert.ok(Math.abs(actual - expected) <= 1e-12 * Math.max(1, Math.abs(expected)), `${what}: ${actual} != ${expected}`);
}

before(async () => {
  await r.init();
});

test('tracking series: cohorts by first-order day, repeat days counted once', () => {
  const day = (d) => `2024-01-0${d}T12:00:00Z`;
  // Day 0 = 1 Jan. Customer 1: days 0, 0, 2, 5; customer 2: days 1, 2; customer 3: day 4.
  const log = r.EventLog.fromEvents([
    { customer: 1, timestamp: day(1), type: 'order', amount: 1 },
    { customer: 1, timestamp: day(1), type: 'order', amount: 1 },
    { customer: 1, timestamp: day(3), type: 'order', amount: 1 },
    { customer: 1, timestamp: day(6), type: 'order', amount: 1 },
    { customer: 2, timestamp: day(2), type: 'order', amount: 1 },
    { customer: 2, timestamp: day(3), type: 'order', amount: 1 },
    { customer: 3, timestamp: day(5), type: 'order', amount: 1 },
  ], { duplicates: 'keep' });
  const s = r.trackingSeries(model, log, 6);
  const e = (t) => r.expectedPurchases(model, t);
  const expected = [e(1), e(2) + e(1), e(3) + e(2), e(4) + e(3), e(5) + e(4) + e(1), e(6) + e(5) + e(2)];
  assert.deepEqual(Array.from(s.actualCumulative), [0, 0, 2, 2, 2, 3]);
  expected.forEach((v, k) => close(s.expectedCumulative[k], v, `row ${k}`));
  close(s.expectedIncremental[4], expected[4] - expected[3], 'incremental');
  assert.equal(s.periodStart[0], Date.parse('2024-01-01T00:00:00Z'));
  const weekly = r.trackingSeries(model, log, 6, { multiplier: 2 });
  assert.equal(weekly.period.length, 3);
  close(weekly.expectedCumulative[1], e(2) + e(1.5), 'two days per unit');
  assert.throws(() => r.trackingSeries(model, log, 6, { multiplier: 7 }), (err) => err.code === 'invalid_parameter');
  assert.throws(() => r.trackingSeries(model, log, 6, { unit: 'fortnight' }), (err) => err.code === 'unknown_code');
  log.free();
});

test('conditional holdout table: group means of actual and expected holdout purchases', () => {
  const split = {
    frequencyCal: [0, 1, 1, 3], recencyCal: [0, 2, 5, 8], TCal: [10, 10, 10, 12], frequencyHoldout: [0, 1, 3, 2],
    durationHoldout: 6,
  };
  const pred = r.conditionalExpectedPurchases(model, 6, { frequency: split.frequencyCal, recency: split.recencyCal, T: split.TCal });
  const t = r.conditionalHoldoutTable(model, split);
  assert.deepEqual(Array.from(t.value), [0, 1, 3]);
  assert.deepEqual(Array.from(t.customers), [1, 2, 1]);
  assert.deepEqual(Array.from(t.actualMean), [0, 2, 2]);
  close(t.expectedMean[1], (pred[1] + pred[2]) / 2, 'frequency 1');
  const bySince = r.conditionalHoldoutTable(model, split, { groupBy: 'time_since_last_purchase', maxGroups: 2 });
  assert.deepEqual(Array.from(bySince.value), [4, 5]);
  assert.throws(() => r.conditionalHoldoutTable(model, { ...split, frequencyHoldout: [0, 1, 3] }),
    (err) => err.code === 'length_mismatch');
  assert.throws(() => r.conditionalHoldoutTable(model, { ...split, frequencyHoldout: [0, -1, 3, 2] }),
    (err) => err.code === 'invalid_rows');
  // Every grouping code is accepted; a wrong one names them.
  const codes = r.vocabulary().holdout_group_by;
  for (const groupBy of codes) assert.ok(r.conditionalHoldoutTable(model, split, { groupBy }).value.length > 0, groupBy);
  assert.throws(() => r.conditionalHoldoutTable(model, split, { groupBy: 'no_such_code' }),
    (err) => err.code === 'unknown_code' && err.value === 'no_such_code' && codes.every((c) => err.accepted.includes(c)));
});

test('holdout metrics and tracking MAPE: hand computations from the package\'s own predictions', () => {
  const split = {
    frequencyCal: [0, 1, 1, 3], recencyCal: [0, 2, 5, 8], TCal: [10, 10, 10, 12], frequencyHoldout: [0, 1, 3, 2],
    durationHoldout: 6,
  };
  const pred = r.conditionalExpectedPurchases(model, 6, { frequency: split.frequencyCal, recency: split.recencyCal, T: split.TCal });
  const actual = split.frequencyHoldout;
  const err = actual.map((a, i) => pred[i] - a);
  const m = r.holdoutMetrics(model, split);
  assert.equal(m.customers, 4);
  assert.equal(m.actualTotal, 6);
  close(m.expectedTotal, pred.reduce((s, v) => s + v, 0), 'expected total');
  close(m.mae, err.reduce((s, v) => s + Math.abs(v), 0) / 4, 'MAE');
  close(m.rmse, Math.sqrt(err.reduce((s, v) => s + v * v, 0) / 4), 'RMSE');
  const mean = (v) => v.reduce((s, x) => s + x, 0) / v.length;
  const [mp, ma] = [mean(Array.from(pred)), mean(actual)];
  const cov = actual.reduce((s, a, i) => s + (pred[i] - mp) * (a - ma), 0);
  const sp = Math.sqrt(Array.from(pred).reduce((s, p) => s + (p - mp) ** 2, 0));
  const sa = Math.sqrt(actual.reduce((s, a) => s + (a - ma) ** 2, 0));
  assert.ok(Math.abs(m.correlation - cov / (sp * sa)) < 1e-12, `correlation ${m.correlation}`);
  assert.equal(r.holdoutMetrics(model, { ...split, frequencyHoldout: [1, 1, 1, 1] }).correlation, null);
  assert.throws(() => r.holdoutMetrics(model, { ...split, frequencyHoldout: [0, 1, 3] }), (e) => e.code === 'length_mismatch');
  // MAPE over the rows with actual > 0: (|12 − 10|/10 + |18 − 20|/20) / 2.
  close(r.trackingMape([0, 10, 20], [1, 12, 18]), 15, 'MAPE (percent)');
  assert.throws(() => r.trackingMape([1, 2], [1]), (e) => e.code === 'length_mismatch');
});
