// The package (imported by name, as users do) against the golden vectors (retention-core/tests/golden/vectors.json), which a
// Rust test computes with retention-core directly.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as r from 'retention-wasm';

const vectors = JSON.parse(readFileSync(new URL('../../retention-core/tests/golden/vectors.json', import.meta.url), 'utf8'));

function close(actual, expected, what) {
  const tol = 1e-12 * Math.max(1, Math.abs(expected));
  assert.ok(Math.abs(actual - expected) <= tol, `${what}: ${actual} != ${expected}`);
}

before(async () => {
  await r.init();
});

test('small shop from event objects: shopper views, ledger and tier equal the core', () => {
  const v = vectors.small;
  const log = r.EventLog.fromEvents(v.events);
  assert.equal(log.length, v.events.length);
  for (const [id, want] of Object.entries(v.shoppers)) {
    const got = r.shopperView(log, id, { asOf: v.asOf, rfm: { thresholds: v.rfmThresholds } });
    assert.equal(got.tier.name, want.tier, id);
    close(got.tier.value, want.tierValue, `${id} tier value`);
    assert.equal(got.tier.next?.name ?? null, want.nextTier, id);
    close(got.tier.next.missing, want.missing, `${id} missing`);
    close(got.tier.next.fraction, want.fraction, `${id} fraction`);
    close(got.points, want.points, `${id} points`);
    close(got.health.risk, want.risk, `${id} risk`);
    close(got.light.risk, want.risk, `${id} light risk`);
    assert.equal(got.light.light, want.light, id);
    assert.deepEqual(got.light.reasons, want.reasons, id);
    assert.equal(got.lifecycle.label, want.stage, id);
    assert.equal(got.rfm.segment, want.segment, id);
    assert.deepEqual([got.rfm.r, got.rfm.f, got.rfm.m], want.rfm, id);
  }
  const ledger = r.pointsLedger(log, 'ana', { asOf: v.asOf });
  close(ledger.balance, v.anaLedger.balance, 'balance');
  close(ledger.earned, v.anaLedger.earned, 'earned');
  close(ledger.redeemed, v.anaLedger.redeemed, 'redeemed');
  const tier = r.tierStatus(log, 'ben', { asOf: new Date(v.asOf) });
  assert.equal(tier.name, v.benTier.name);
  close(tier.value, v.benTier.value, 'ben tier value');
  log.free();
});

test('small shop: whole ledgers, tiers and lifecycle statuses equal the core (instants as text)', () => {
  const v = vectors.small;
  const w = v.results;
  const log = r.EventLog.fromEvents(v.events);
  assert.deepEqual(r.pointsLedger(log, 'ana', { asOf: v.asOf }), w.anaLedger);
  assert.deepEqual(r.pointsLedger(log, 'ben', { asOf: v.asOf }), w.benLedger);
  assert.deepEqual(r.tierStatus(log, 'ana', { asOf: v.asOf }), w.anaTier);
  assert.deepEqual(r.tierStatus(log, 'ben', { asOf: v.asOf }), w.benTier);
  for (const [id, want] of Object.entries(w.lifecycle)) {
    const got = r.shopperView(log, id, { asOf: v.asOf });
    assert.deepEqual(got.lifecycle, want, id);
    assert.equal(got.customer, id);
  }
  log.free();
});

test('the same events as columns give the same views', () => {
  const v = vectors.small;
  const col = (f) => v.events.map((e) => e[f] ?? null);
  const log = r.EventLog.fromColumns({
    customer: col('customer'), timestamp: col('timestamp'), type: col('type'),
    amount: col('amount'), score: col('score'), detail: col('detail'), resolved: col('resolved'),
  });
  const got = r.shopperView(log, 'ana', { asOf: v.asOf, rfm: { thresholds: v.rfmThresholds } });
  close(got.health.risk, v.shoppers.ana.risk, 'risk');
  assert.equal(got.rfm.segment, v.shoppers.ana.segment);
  log.free();
});

function checkSample(log, s) {
  assert.equal(log.length, s.events);
  const n = s.netRevenue.length;
  const sum = r.summaries(log);
  assert.equal(sum.customerId.length, s.customers);
  for (let i = 0; i < n; i++) {
    close(sum.netRevenue[i], s.netRevenue[i], `net revenue ${i}`);
    assert.equal(sum.orders[i], s.orders[i]);
  }
  const scores = r.rfm(log, { asOf: s.asOf });
  assert.deepEqual(scores.segment.slice(0, n), s.segment);
  assert.deepEqual(Array.from(scores.r.slice(0, n)), s.r);
  assert.deepEqual(Array.from(scores.f.slice(0, n)), s.f);
  assert.deepEqual(Array.from(scores.m.slice(0, n)), s.m);
  assert.deepEqual(scores.thresholds, s.thresholds);
  assert.deepEqual(scores.segmentSizes, s.segmentSizes);
  const lights = r.trafficLights(log, { asOf: s.asOf });
  for (let i = 0; i < n; i++) close(lights.risk[i], s.risk[i], `risk ${i}`);
  assert.deepEqual(lights.light.slice(0, n), s.light);
  assert.deepEqual(lights.counts, s.lightCounts);
}

test('sample shop: summaries, RFM and traffic lights equal the core', () => {
  const s = vectors.sample;
  const log = r.sampleLog({ seed: s.seed, customers: s.customers });
  assert.equal(r.sampleAsOf().getTime(), s.asOf);
  checkSample(log, s);
  log.free();
});

test('sample shop round-trips through typed-array columns', () => {
  const s = vectors.sample;
  const log = r.sampleLog({ seed: s.seed, customers: s.customers });
  const c = log.toColumns();
  assert.ok(c.timestamp instanceof Float64Array);
  // Rebuild from columns. toColumns has one value column; the sample has
  // orders, refunds, sessions, tickets, surveys..., so only order rows are
  // rebuilt exactly here and compared on order-based numbers.
  const keep = c.type.map((t, i) => (t === 'order' || t === 'refund' ? i : -1)).filter((i) => i >= 0);
  const codes = new Uint8Array(keep.map((i) => r.EVENT_TYPES.indexOf(c.type[i])));
  const orders = r.EventLog.fromColumns({
    customer: new Float64Array(keep.map((i) => c.customer[i])),
    timestamp: new Float64Array(keep.map((i) => c.timestamp[i])),
    type: codes,
    amount: new Float64Array(keep.map((i) => c.value[i])),
  });
  const a = r.rfm(orders, { asOf: s.asOf });
  const b = r.rfm(log, { asOf: s.asOf });
  const withOrders = b.customerId.filter((_, i) => b.r[i] > 0);
  assert.deepEqual(a.customerId, withOrders);
  orders.free();
  log.free();
});

test('tier and light helpers', () => {
  const t = r.tierForValue(1000);
  assert.equal(t.name, 'Silver');
  assert.deepEqual(t.next, { index: 2, name: 'Gold', threshold: 1500, missing: 500, fraction: 0.5 });
  assert.equal(r.tierForValue(9000).next, null);
  const l = r.trafficLight(0.1, { openCriticalTickets: 1 });
  assert.equal(l.light, 'red');
  assert.equal(l.reasons[0], 'health-score risk 0.10');
  assert.equal(r.trafficLight(0.9, { source: 'probability_alive' }).reasons[0], 'P(alive) 0.10');
  assert.equal(r.defaultSegments()[0].name, 'Champions');
});

test('sample shop: monthly cohort retention equals the core', () => {
  const s = vectors.sample;
  const log = r.sampleLog({ seed: s.seed, customers: s.customers });
  const m = r.cohorts(log, { asOf: s.asOf, period: 'month' });
  assert.deepEqual(m.labels, s.cohorts.labels);
  assert.deepEqual(m.sizes, s.cohorts.sizes);
  assert.equal(m.retention.length, s.cohorts.retention.length);
  m.retention.forEach((row, i) => row.forEach((x, k) => {
    const want = s.cohorts.retention[i][k];
    if (want === null) assert.equal(x, null);
    else close(x, want, `cell ${i},${k}`);
  }));
  log.free();
});
