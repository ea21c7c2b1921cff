// Descriptive and survey metrics through the package against the golden vectors (retention-core/tests/golden/vectors.json).
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as r from 'retention-wasm';

const vectors = JSON.parse(readFileSync(new URL('../../retention-core/tests/golden/vectors.json', import.meta.url), 'utf8'));
const m = vectors.metrics;

function close(actual, expected, what) {
  if (expected === null) {
    assert.equal(actual, null, what);
    return;
  }
  const tol = 1e-12 * Math.max(1, Math.abs(expected));
  assert.ok(Math.abs(actual - expected) <= tol, `${what}: ${actual} != ${expected}`);
}

function same(got, want, what) {
  for (const [k, x] of Object.entries(want)) close(got[k], x, `${what} ${k}`);
}

let log;
before(async () => {
  await r.init();
  log = r.sampleLog({ seed: vectors.sample.seed, customers: vectors.sample.customers });
});

test('retention and churn from counts', () => {
  assert.equal(r.customerRetentionRate({ start: 100, end: 110, new: 30 }), 0.8);
  assert.equal(r.customerRetentionRate({ start: 0, end: 5, new: 5 }), null);
  assert.equal(r.churnRate({ lost: 10, start: 100 }), 0.1);
  assert.equal(r.churnRate({ lost: 0, start: 0 }), null);
  assert.throws(() => r.churnRate({ lost: 11, start: 10 }), (e) => e instanceof r.RetentionError && e.code === 'invalid_parameter' && e.field === 'lost');
  assert.throws(() => r.churnRate({ lost: 1.5, start: 10 }), (e) => e.code === 'invalid_input');
  assert.throws(() => r.churnRate({ lost: 1, start: 10, extra: 1 }), (e) => e.code === 'invalid_input' && e.field === 'extra');
});

test('period activity of the sample shop equals the core', () => {
  const [start, end] = m.month;
  const a = r.periodActivity(log, { start: new Date(start), end: new Date(end) });
  same(a, m.activity, 'activity');
  // The core's result as is: instants are RFC 3339 UTC text.
  assert.deepEqual(a, m.activityResult);
  assert.equal(new Date(a.start).getTime(), start);
  assert.equal(new Date(a.end).getTime(), end);
  assert.equal(a.endCount, a.retained + a.new);
  const subs = r.periodActivity(log, { start, end, basis: 'subscriptions' });
  assert.ok(subs.startCount >= 0);
  assert.throws(() => r.periodActivity(log, { start: end, end: start }), (e) => e.code === 'invalid_parameter');
  assert.throws(() => r.periodActivity(log, { start, end, windowDays: 0 }), (e) => e.code === 'invalid_parameter');
});

test('monthly period activity equals the core series, instants as text', () => {
  for (const want of m.activitySeries) {
    // The result's own instants are valid input again.
    assert.deepEqual(r.periodActivity(log, { start: want.start, end: want.end }), want);
  }
});

test('order stats: repeat purchase rate, purchase frequency, AOV', () => {
  const [start, end] = m.year;
  same(r.orderStats(log, { start, end }), m.orderStats, 'order stats');
  const none = r.orderStats(log, { start: '1990-01-01', end: '1990-02-01' });
  assert.deepEqual([none.orders, none.repeatPurchaseRate, none.averageOrderValue], [0, null, null]);
});

test('MRR bridge from the log and from given figures', () => {
  const [start, end] = m.year;
  const b = r.mrrBridge(log, { start, end });
  same(b, m.mrr.figures, 'figures');
  same(b, m.mrr.ratios, 'ratios');
  const g = r.mrrRatios(m.givenMrr.figures);
  same(g, m.givenMrr.ratios, 'given ratios');
  assert.equal(r.mrrRatios({ starting: 0 }).netRevenueRetention, null);
  assert.throws(() => r.mrrRatios({ churned: -1 }), (e) => e.code === 'invalid_parameter');
  assert.throws(() => r.mrrRatios({ churn: 1 }), (e) => e.code === 'invalid_input');
});

test('NPS, CSAT, CES, CLI', () => {
  const [start, end] = m.year;
  const answers = r.surveyAnswers(log, { kind: 'nps', start, end });
  assert.equal(answers.length, m.npsAnswers);
  same(r.nps(answers), m.nps, 'nps');
  same(r.csat(r.surveyAnswers(log, { kind: 'csat', start, end })), m.csat, 'csat');
  // Spec checks: 40 % promoters, 20 % detractors → 20.
  assert.equal(r.nps([9, 10, 9, 10, 7, 8, 7, 8, 0, 6]).score, 20);
  const c = r.csat([5, 4, 3, 2, 1], { scale: 5 });
  assert.deepEqual([c.satisfied, c.score, c.mean, c.threshold], [2, 40, 3, 4]);
  assert.equal(r.csat([3, 3], { satisfiedThreshold: 3 }).score, 100);
  const ces = r.ces([7, 5, 6], { choices: 7 });
  close(ces.score, (6 / 7) * 100, 'ces');
  assert.equal(r.customerLoyaltyIndex({ recommend: [10, 0], repurchase: [9, 9], otherProducts: [7, 8] }), (0 + 100 + 0) / 3);
  const bad = (f) => assert.throws(f, (e) => e instanceof r.RetentionError && e.code === 'invalid_rows' && e.row === 1);
  bad(() => r.nps([5, 11]));
  bad(() => r.csat([5, 6]));
  bad(() => r.ces([1, 0], { choices: 7 }));
  assert.throws(() => r.nps([]), (e) => e.code === 'empty_input');
  assert.throws(() => r.nps([1, 'x']), (e) => e.code === 'invalid_input' && e.row === 1);
  assert.throws(() => r.surveyAnswers(log, { kind: 'mood', start, end }), (e) => e.code === 'unknown_code' && e.accepted.includes('nps'));
});
