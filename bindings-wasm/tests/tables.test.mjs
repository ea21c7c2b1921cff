// Per-customer results are the core's tables, converted by one rule per
// column type (README, "Per-customer results are the core's tables"): the
// keys are the core's column names in camelCase, in the core's order.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as r from 'retention-wasm';

let log;
let asOf;

before(async () => {
  await r.init();
  log = r.sampleLog({ seed: 11, customers: 60 });
  asOf = r.sampleAsOf();
});

// Every column (extras such as segmentSizes excepted) has one value per customer.
function rows(t, extras = []) {
  const n = t.customerId.length;
  for (const [k, v] of Object.entries(t)) {
    if (!extras.includes(k)) assert.equal(v.length, n, `${k} has one value per customer`);
  }
  return n;
}

test('summaries: the core summary table', () => {
  const t = r.summaries(log);
  assert.deepEqual(Object.keys(t), ['customerId', 'firstOrder', 'lastOrder', 'orders', 'refundCount', 'revenue',
    'refunds', 'netRevenue', 'firstSeen', 'lastSeen', 'lifespanDays']);
  const n = rows(t);
  assert.equal(n, 60);
  assert.deepEqual(t.customerId, log.customers());
  for (const k of Object.keys(t).slice(1)) assert.ok(t[k] instanceof Float64Array, k);
  for (let i = 0; i < n; i++) {
    // Instants are milliseconds; NaN exactly when there is no order.
    assert.equal(Number.isNaN(t.firstOrder[i]), t.orders[i] === 0);
    if (t.orders[i] > 0) assert.ok(t.lastOrder[i] >= t.firstOrder[i] && t.firstSeen[i] <= t.firstOrder[i]);
  }
});

test('rfm: scores as Uint8Array (0 = no orders), segments as text, extras beside the columns', () => {
  const t = r.rfm(log, { asOf });
  assert.deepEqual(Object.keys(t), ['customerId', 'recencyDays', 'frequency', 'monetary', 'r', 'f', 'm', 'segment',
    'thresholds', 'segmentSizes']);
  const n = rows(t, ['thresholds', 'segmentSizes']);
  assert.ok(t.r instanceof Uint8Array && t.recencyDays instanceof Float64Array);
  assert.ok(t.segment.every((s) => typeof s === 'string'));
  for (let i = 0; i < n; i++) assert.equal(t.r[i] === 0, Number.isNaN(t.recencyDays[i]));
  for (const { name, customers } of t.segmentSizes) {
    assert.equal(t.segment.filter((s) => s === name).length, customers, name);
  }
});

test('lifecycleStages: stage codes and the inactivity flag', () => {
  const t = r.lifecycleStages(log, { asOf });
  assert.deepEqual(Object.keys(t), ['customerId', 'stage', 'daysSinceLastOrder', 'typicalGapDays', 'inactiveWarning']);
  rows(t);
  assert.ok(t.stage.every((s) => r.vocabulary().lifecycle_stage.includes(s)));
  assert.ok(t.inactiveWarning.every((b) => typeof b === 'boolean'));
});

test('trafficLights: the health reasons, the light and its reasons, counts', () => {
  const t = r.trafficLights(log, { asOf });
  assert.deepEqual(Object.keys(t), ['customerId', 'risk', 'reasons', 'light', 'lightReasons', 'counts']);
  const n = rows(t, ['counts']);
  for (let i = 0; i < n; i++) {
    // The light's reasons: the risk line, the score's own reasons, then
    // open tickets (said once, in the light's words).
    assert.equal(t.lightReasons[i][0], `health-score risk ${t.risk[i].toFixed(2)}`);
    const own = t.reasons[i].filter((x) => !x.includes('ticket'));
    assert.deepEqual(t.lightReasons[i].slice(1, 1 + own.length), own);
  }
  for (const c of ['green', 'amber', 'red']) assert.equal(t.counts[c], t.light.filter((l) => l === c).length);
  // One customer's row is the shopper view's light.
  const view = r.shopperView(log, t.customerId[3], { asOf });
  assert.equal(view.light.light, t.light[3]);
  assert.equal(view.light.reasons[0], t.lightReasons[3][0]);
});

test('modelInput: columns that the fits take as they are', () => {
  const t = r.modelInput(log, { observationEnd: asOf, unit: 'week' });
  assert.deepEqual(Object.keys(t), ['customerId', 'frequency', 'recency', 'T', 'monetaryValue']);
  rows(t);
  assert.ok(Number.isFinite(r.fitBgNbd(t).logLikelihood));
});

test('a log of one customer without orders gives one-row tables', () => {
  const one = r.EventLog.fromEvents([{ customer: 'x', timestamp: '2024-01-01', type: 'session' }]);
  const t = r.trafficLights(one, { asOf: '2024-02-01' });
  assert.deepEqual(t.customerId, ['x']);
  assert.equal(t.lightReasons[0][0], `health-score risk ${t.risk[0].toFixed(2)}`);
  const s = r.summaries(one);
  assert.ok(Number.isNaN(s.firstOrder[0]) && Number.isNaN(s.lifespanDays[0]));
  assert.equal(s.orders[0], 0);
  one.free();
});

test('text lists are built on first read and are plain properties after', () => {
  const t = r.trafficLights(log, { asOf });
  const d = Object.getOwnPropertyDescriptor(t, 'lightReasons');
  assert.ok(d.enumerable && typeof d.get === 'function');
  const copy = JSON.parse(JSON.stringify({ ...t, risk: Array.from(t.risk) }));
  assert.deepEqual(copy.lightReasons, t.lightReasons);
  assert.ok(Array.isArray(Object.getOwnPropertyDescriptor(t, 'lightReasons').value));
  t.reasons = 'replaced';
  assert.equal(t.reasons, 'replaced');
  assert.deepEqual(Object.keys(t), ['customerId', 'risk', 'reasons', 'light', 'lightReasons', 'counts']);
});
