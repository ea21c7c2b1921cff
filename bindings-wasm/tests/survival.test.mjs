// The customers' churn curve (churnSurvival): hand-computed Kaplan–Meier values.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as r from 'retention-wasm/dashboard';

before(async () => {
  await r.init();
});

const asOf = Date.UTC(2024, 11, 31);
const ago = (d) => asOf - d * 86_400_000;

// Lives (days, orders basis with 90 inactive days): customer 1 churned after
// 100, 2 is alive after 100, 3 churned at once (one order 91 days ago), 4
// churned after 10; 5 has no order and no life.
function shop() {
  return r.EventLog.fromEvents([
    { customer: 1, timestamp: ago(300), amount: 10 },
    { customer: 1, timestamp: ago(200), amount: 10 },
    { customer: 2, timestamp: ago(100), amount: 10 },
    { customer: 2, timestamp: ago(10), amount: 10 },
    { customer: 3, timestamp: ago(91), amount: 10 },
    { customer: 4, timestamp: ago(400), amount: 10 },
    { customer: 4, timestamp: ago(390), amount: 10 },
    { customer: 5, timestamp: ago(5), type: 'session' },
  ]);
}

test('the churn curve is the product-limit estimate of the lives', () => {
  const log = shop();
  const s = r.churnSurvival(log, { asOf });
  assert.deepEqual(Array.from(s.timeline), [0, 10, 100]);
  const want = [3 / 4, (3 / 4) * (2 / 3), (3 / 4) * (2 / 3) * (1 / 2)];
  s.survival.forEach((v, i) => assert.ok(Math.abs(v - want[i]) < 1e-15, `${v} != ${want[i]}`));
  assert.deepEqual(Array.from(s.atRisk), [4, 3, 2]);
  assert.deepEqual(Array.from(s.observed), [1, 1, 1]);
  assert.equal(s.customers, 4);
  assert.equal(s.churned, 3);
  assert.equal(s.medianDays, 10);
  assert.equal(s.medianBounds.length, 2);
  for (let i = 0; i < 3; i++) assert.ok(s.lower[i] <= s.survival[i] && s.survival[i] <= s.upper[i]);
  // Linear Greenwood bounds at t = 0: S ± z S sqrt(d / (n (n - d))), clipped to [0, 1].
  const lin = r.churnSurvival(log, { asOf, transform: 'linear', alpha: 0.1 });
  const half = 1.6448536269514722 * 0.75 * Math.sqrt(1 / (4 * 3));
  assert.equal(lin.upper[0], 1);
  assert.ok(Math.abs(lin.lower[0] - (0.75 - half)) < 1e-12);
  // A longer inactivity window: customer 3 is alive (censored at 91 days).
  const patient = r.churnSurvival(log, { asOf: new Date(asOf), inactiveDays: 120 });
  assert.equal(patient.churned, 2);
  log.free();
});

test('bad options and empty shops are typed errors', () => {
  const log = shop();
  assert.throws(() => r.churnSurvival(log, { asOf, basis: 'subscriptions', inactiveDays: 30 }),
    (e) => e instanceof r.RetentionError && e.code === 'invalid_parameter' && e.field === 'inactive_days');
  assert.throws(() => r.churnSurvival(log, { asOf, alpha: 2 }), (e) => e.code === 'invalid_parameter' && e.field === 'alpha');
  assert.throws(() => r.churnSurvival(log, { asOf, transform: 'cubic' }), (e) => e.code === 'unknown_code');
  assert.throws(() => r.churnSurvival(log, { asOf, bins: 3 }), (e) => e.code === 'invalid_input' && e.field === 'options');
  assert.throws(() => r.churnSurvival(log, { asOf, basis: 'subscriptions' }), (e) => e.code === 'empty_input');
  assert.throws(() => r.churnSurvival(log, {}), (e) => e.code === 'invalid_input');
  log.free();
});
