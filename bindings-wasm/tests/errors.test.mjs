// Malformed input gives RetentionErrors with code, field, row, value and
// issues, and the module keeps working afterwards.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as r from 'retention-wasm';

before(async () => {
  await r.init();
});

function throwsRetention(f, code, check = () => {}) {
  let caught;
  try {
    f();
  } catch (e) {
    caught = e;
  }
  assert.ok(caught, 'expected a throw');
  assert.ok(caught instanceof r.RetentionError, `not a RetentionError: ${caught}`);
  assert.ok(caught instanceof Error);
  assert.equal(caught.name, 'RetentionError');
  assert.equal(caught.code, code, caught.message);
  check(caught);
  return caught;
}

test('every bad row is reported at once, with row, field, value and kind', () => {
  throwsRetention(() => r.EventLog.fromEvents([
    { customer: 1, timestamp: '2024-01-01', amount: 10 },
    { customer: 2, timestamp: 'yesterday', amount: 10 },
    { customer: 3, timestamp: '2024-01-01', amount: -5 },
    { customer: 4, timestamp: '2024-01-01', amount: NaN },
    { customer: 5, timestamp: '2024-01-01', type: 'purchase', amount: 1 },
    { customer: 6.5, timestamp: 0, amount: 1 },
    { customer: 7, timestamp: 0, type: 'survey', score: 11, detail: 'nps' },
    { customer: 8, timestamp: true, amount: 1 },
    { customer: 'nine', timestamp: 0, amount: 1 },
  ]), 'invalid_rows', (e) => {
    assert.deepEqual(e.issues.map((i) => [i.row, i.field, i.kind, i.value]), [
      [1, 'timestamp', 'unparseable', 'yesterday'],
      [2, 'amount', 'negative', '-5'],
      [3, 'amount', 'not_finite', 'NaN'],
      [4, 'event', 'unknown_kind', 'purchase'],
      [5, 'customer_id', 'not_integer', '6.5'],
      [6, 'score', 'out_of_range', '11'],
      [7, 'timestamp', 'unparseable', 'true'],
      [8, 'customer_id', 'unparseable', 'nine'],
    ]);
    assert.equal(e.row, 1);
    assert.equal(e.field, 'timestamp');
    assert.equal(e.value, 'yesterday');
    assert.equal(e.issues[1].value, '-5');
  });
});

test('a row that is not an object is invalid_input naming the row', () => {
  throwsRetention(() => r.EventLog.fromEvents([{ customer: 1, timestamp: 0, amount: 1 }, null]), 'invalid_input',
    (e) => assert.deepEqual([e.field, e.row, e.value], ['events', 1, 'null']));
});

test('ISO text follows the core rule in every door: no offset means UTC', () => {
  const log = r.EventLog.fromEvents([
    { customer: 1, timestamp: '2024-01-01T10:00:00', type: 'session' },
    { customer: 1, timestamp: '2024-01-01 12:00+02:00', type: 'session' },
    { customer: 1, timestamp: '2024-01-02', type: 'session' },
  ]);
  assert.deepEqual([...log.toColumns().timestamp], [
    Date.UTC(2024, 0, 1, 10), Date.UTC(2024, 0, 1, 10), Date.UTC(2024, 0, 2),
  ]);
  log.free();
});

test('wrong shapes and types are invalid_input, bad parameters invalid_parameter', () => {
  const log = r.EventLog.fromEvents([{ customer: 'a', timestamp: '2024-01-01', amount: 10 }]);
  throwsRetention(() => r.EventLog.fromEvents('nope'), 'invalid_input');
  throwsRetention(() => r.EventLog.fromColumns({ customer: [1, 2], timestamp: [0] }), 'length_mismatch',
    (e) => assert.equal(e.field, 'timestamp'));
  throwsRetention(() => r.EventLog.fromColumns({ customer: [1], timestamp: [0], colour: [1] }), 'invalid_input');
  throwsRetention(() => r.rfm(log, { asOf: '2024-02-01', bins: 'five' }), 'invalid_input');
  throwsRetention(() => r.rfm(log, { asOf: '2024-02-01', bins: 12 }), 'invalid_parameter',
    (e) => assert.equal(e.field, 'bins'));
  throwsRetention(() => r.rfm(log, { asOf: '2024-02-01', binz: 3 }), 'invalid_input');
  throwsRetention(() => r.rfm(log, {}), 'invalid_input', (e) => assert.equal(e.field, 'asOf'));
  throwsRetention(() => r.rfm(log, { asOf: '2023-01-01' }), 'invalid_rows',
    (e) => assert.equal(e.issues[0].kind, 'after_as_of'));
  throwsRetention(() => r.rfm({}, { asOf: 0 }), 'invalid_input', (e) => assert.equal(e.field, 'log'));
  throwsRetention(() => r.shopperView(log, 'zed', { asOf: '2024-02-01' }), 'unknown_customer',
    (e) => assert.equal(e.value, 'zed'));
  throwsRetention(() => r.shopperView(log, { id: 1 }, { asOf: '2024-02-01' }), 'invalid_input');
  throwsRetention(() => r.tierForValue(-1), 'invalid_parameter');
  throwsRetention(() => r.tierForValue(10, { tiers: [{ name: 'A', threshold: 5 }] }), 'invalid_parameter');
  throwsRetention(() => r.tierForValue(10, { tiers: [] }), 'empty_input');
  throwsRetention(() => r.trafficLight(1.5), 'invalid_parameter', (e) => assert.equal(e.field, 'risk'));
  throwsRetention(() => r.trafficLight(0.5, { amber: 0.8, red: 0.2 }), 'invalid_parameter');
  throwsRetention(() => r.trafficLights(log, { asOf: '2024-02-01', weights: { recency: -1 } }), 'invalid_parameter');
  throwsRetention(() => r.pointsLedger(r.EventLog.fromEvents([
    { customer: 1, timestamp: '2024-01-01', type: 'points_redeemed', amount: 10 },
  ]), 1, { asOf: '2024-02-01' }), 'insufficient_points');
  throwsRetention(() => r.sampleLog({ customers: 1e9 }), 'invalid_input');
  log.free();
  throwsRetention(() => r.summaries(log), 'invalid_input', (e) => assert.match(e.message, /freed/));
  // Still usable.
  const again = r.EventLog.fromEvents([{ customer: 'a', timestamp: '2024-01-01', amount: 600 }]);
  assert.equal(r.tierStatus(again, 'a', { asOf: '2024-02-01' }).name, 'Silver');
});

test('fromEvents: event names are read by the core (case and blanks ignored)', () => {
  const events = [
    { customer: 'b', timestamp: '2024-01-02', amount: 5, items: 2 },
    { customer: 'a', timestamp: 1_700_000_000_000, type: 'survey', score: 9, detail: 'nps' },
    { customer: 'a', timestamp: new Date('2024-02-01T00:00:00Z'), type: 'support_ticket', detail: 'minor', resolved: false },
    { customer: 'b', timestamp: '2024-03-02', type: 'refund', amount: 1, score: null },
  ];
  const fast = r.EventLog.fromEvents(events);
  // ' Order' is read as 'order' by the core.
  const slow = r.EventLog.fromEvents([{ ...events[0], type: ' Order' }, ...events.slice(1)]);
  assert.deepEqual(fast.toColumns(), slow.toColumns());
  const as = { asOf: '2024-06-01' };
  assert.deepEqual(r.shopperView(fast, 'a', as), r.shopperView(slow, 'a', as));
  fast.free();
  slow.free();
});
