// cohortRetention and properties through the dashboard module, on the hand-computed shop of the
// core's tests (retention-core/tests/cohort_retention.rs): the same cells in JS.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as r from 'retention-wasm/dashboard';

before(async () => {
  await r.init();
});

const events = [
  { customer: 1, timestamp: '2023-12-20T12:00:00Z', type: 'signup' },
  { customer: 1, timestamp: '2024-01-05T12:00:00Z', amount: 20 },
  { customer: 1, timestamp: '2024-02-03T12:00:00Z', amount: 15 },
  { customer: 1, timestamp: '2024-03-10T12:00:00Z', amount: 5 },
  { customer: 2, timestamp: '2024-01-09T12:00:00Z', amount: 10 },
  { customer: 2, timestamp: '2024-01-20T12:00:00Z', type: 'refund', amount: 4 },
  { customer: 3, timestamp: '2024-02-02T12:00:00Z', amount: 30 },
  { customer: 3, timestamp: '2024-02-20T12:00:00Z', amount: 10 },
  { customer: 3, timestamp: '2024-03-01T12:00:00Z', amount: 6 },
  { customer: 4, timestamp: '2024-01-01T12:00:00Z', type: 'session' },
];
const channel = [null, 'web', 'app', 'web', 'app', null, 'web', 'web', 'app', null];
const asOf = '2024-04-15T00:00:00Z';

function shop() {
  const log = r.EventLog.fromEvents(events);
  r.setEventProperties(log, { channel });
  return r.setCustomerProperties(log, { customer: [1, 2, 3], country: ['DE', 'FR', 'DE'] });
}

const row = (res, cohort, breakdown = null, total = breakdown === null) =>
  res.cells.filter((c) => c.cohort === cohort && c.total === total && c.breakdown === breakdown).map((c) => c.retention);

test('cohortRetention: monthly cohorts, means, revenue retention', () => {
  const res = r.cohortRetention(shop(), { asOf });
  assert.deepEqual(res.columns.map((c) => c.label), ['0', '1', '2']);
  assert.equal(res.unstarted, 1);
  assert.deepEqual(row(res, '2024-01'), [1, 0.5, 0.5]);
  assert.deepEqual(row(res, '2024-02'), [1, 1, null]);
  const jan1 = res.cells.find((c) => c.total && c.cohort === '2024-01' && c.firstAge === 1);
  assert.ok(Math.abs(jan1.revenueRetention - 15 / 26) < 1e-12);
  assert.ok(jan1.lower < 0.5 && jan1.upper > 0.5);
  const m1 = res.means.find((m) => m.total && m.firstAge === 1);
  assert.equal(m1.simpleMean, 0.75);
  assert.ok(Math.abs(m1.weightedMean - 2 / 3) < 1e-12);
});

test('cohortRetention: breakdowns by country and by first-order channel', () => {
  const log = shop();
  const byCountry = r.cohortRetention(log, { asOf, breakdown: 'country' });
  assert.deepEqual(row(byCountry, '2024-01', 'DE'), [1, 1, 1]);
  assert.deepEqual(row(byCountry, '2024-01', 'FR'), [1, 0, 0]);
  const byChannel = r.cohortRetention(log, { asOf, breakdown: 'channel', breakdownSource: 'first_order' });
  assert.deepEqual(row(byChannel, '2024-01', 'app'), [1, 0, 0]);
  assert.deepEqual(row(byChannel, '2024-02', 'web'), [1, 1, null]);
});

test('cohortRetention: signup to first order, rolling windows, day brackets', () => {
  const log = shop();
  const signup = r.cohortRetention(log, { asOf, start: 'signup', returning: 'first_order', count: 'first_time' });
  assert.deepEqual(row(signup, '2023-12'), [0, 1, 0, 0]);
  const rolling = r.cohortRetention(log, { asOf, rollingDays: 30 });
  assert.deepEqual(row(rolling, '2024-01'), [1, 0, 0.5]);
  const brackets = r.cohortRetention(log, {
    asOf, rollingDays: 1, brackets: [{ first: 1, last: 3 }, { first: 4, last: 10 }, { first: 11, last: 30 }],
  });
  assert.deepEqual(brackets.columns.map((c) => c.label), ['1-3', '4-10', '11-30']);
  assert.deepEqual(row(brackets, '2024-01'), [0, 0, 0.5]);
});

test('cohortRetention: typed errors', () => {
  const log = shop();
  assert.throws(() => r.cohortRetention(log, { asOf, breakdown: 'plan' }),
    (e) => e instanceof r.RetentionError && e.code === 'invalid_parameter');
  assert.throws(() => r.cohortRetention(log, { asOf, start: 'visit' }), (e) => e.code === 'unknown_code');
  assert.throws(() => r.cohortRetention(log, { asOf, rollingDays: 0 }), (e) => e.code === 'invalid_parameter');
  assert.throws(() => r.setCustomerProperties(log, { customer: [9], plan: ['pro'] }),
    (e) => e.code === 'unknown_customer');
  assert.throws(() => r.setEventProperties(log, { channel: ['web'] }), (e) => e.code === 'length_mismatch');
});
