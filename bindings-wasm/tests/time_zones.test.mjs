// Named time zones, week starts, lifecycle counts and stickiness through the dashboard module, on
// hand-built orders at the local-midnight and DST boundaries of Asia/Shanghai (UTC+8, no DST) and
// America/New_York (2024: spring forward 10 March 02:00 EST, fall back 3 November 02:00 EDT). One
// order per customer, so each customer is "new" in exactly the local period of its order.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as r from 'retention-wasm/dashboard';

before(async () => {
  await r.init();
});

const oneOrderEach = (instants) =>
  r.EventLog.fromEvents(instants.map((timestamp, i) => ({ customer: i + 1, timestamp, type: 'order', amount: 1 })));

// { ISO start of the period: new customers } for the periods with any.
function newByPeriod(log, options) {
  const lc = r.lifecycleCounts(log, options);
  const out = {};
  lc.periodStart.forEach((ms, i) => {
    if (lc.new[i]) out[new Date(ms).toISOString()] = lc.new[i];
  });
  return out;
}

test('Asia/Shanghai: local days, ISO weeks and months', () => {
  const log = oneOrderEach(['2024-01-31T15:59:59Z', '2024-01-31T16:00:00Z', '2024-02-04T15:59:00Z', '2024-02-04T16:00:00Z']);
  const timeZone = 'Asia/Shanghai';
  assert.deepEqual(newByPeriod(log, { start: '2024-01-31T00:00Z', end: '2024-02-05T00:00Z', period: 'day', timeZone }), {
    '2024-01-30T16:00:00.000Z': 1,
    '2024-01-31T16:00:00.000Z': 1,
    '2024-02-03T16:00:00.000Z': 1,
    '2024-02-04T16:00:00.000Z': 1,
  });
  assert.deepEqual(newByPeriod(log, { start: '2024-01-20', end: '2024-02-10', period: 'week', timeZone }), {
    '2024-01-28T16:00:00.000Z': 3,
    '2024-02-04T16:00:00.000Z': 1,
  });
  assert.deepEqual(newByPeriod(log, { start: '2024-01-01', end: '2024-02-28', timeZone }), {
    '2023-12-31T16:00:00.000Z': 1,
    '2024-01-31T16:00:00.000Z': 3,
  });
  // The same orders in UTC months.
  assert.deepEqual(newByPeriod(log, { start: '2024-01-01', end: '2024-02-28' }), {
    '2024-01-01T00:00:00.000Z': 2,
    '2024-02-01T00:00:00.000Z': 2,
  });
});

test('America/New_York across spring forward and fall back, weeks from Sunday', () => {
  const timeZone = 'America/New_York';
  const spring = oneOrderEach([
    '2024-03-10T04:59:59Z', // Sat 9 Mar 23:59:59 EST
    '2024-03-10T05:00:00Z', // Sun 10 Mar 00:00 EST
    '2024-03-10T06:59:59Z', // 01:59:59 EST
    '2024-03-10T07:00:00Z', // 03:00 EDT
    '2024-03-11T03:59:59Z', // Sun 10 Mar 23:59:59 EDT
    '2024-03-11T04:00:00Z', // Mon 11 Mar 00:00 EDT
  ]);
  assert.deepEqual(newByPeriod(spring, { start: '2024-03-09T12:00Z', end: '2024-03-11T12:00Z', period: 'day', timeZone }), {
    '2024-03-09T05:00:00.000Z': 1,
    '2024-03-10T05:00:00.000Z': 4,
    '2024-03-11T04:00:00.000Z': 1,
  });
  assert.deepEqual(newByPeriod(spring, { start: '2024-03-01', end: '2024-03-20', period: 'week_sun', timeZone }), {
    '2024-03-03T05:00:00.000Z': 1,
    '2024-03-10T05:00:00.000Z': 5,
  });
  const fall = oneOrderEach([
    '2024-11-03T03:59:59Z', // Sat 2 Nov 23:59:59 EDT
    '2024-11-03T05:30:00Z', // 01:30 EDT
    '2024-11-03T06:30:00Z', // 01:30 EST
    '2024-11-04T04:59:59Z', // Sun 3 Nov 23:59:59 EST
    '2024-11-04T05:00:00Z', // Mon 4 Nov 00:00 EST
    '2024-11-01T03:59:59Z', // Thu 31 Oct 23:59:59 EDT
    '2024-11-01T04:00:00Z', // Fri 1 Nov 00:00 EDT
  ]);
  assert.deepEqual(newByPeriod(fall, { start: '2024-11-02T12:00Z', end: '2024-11-04T12:00Z', period: 'day', timeZone }), {
    '2024-11-02T04:00:00.000Z': 1,
    '2024-11-03T04:00:00.000Z': 3,
    '2024-11-04T05:00:00.000Z': 1,
  });
  assert.deepEqual(newByPeriod(fall, { start: '2024-10-15', end: '2024-12-15', period: 'month', timeZone }), {
    '2024-10-01T04:00:00.000Z': 1,
    '2024-11-01T04:00:00.000Z': 6,
  });
  // Cohorts take the zone too: the calendar reports it.
  const m = r.cohorts(fall, { asOf: '2025-01-01', timeZone, period: 'week_sun' });
  assert.deepEqual(m.calendar, { period: 'week_sun', utcOffsetSeconds: 0, zone: timeZone });
});

test('hand-computed lifecycle counts and stickiness', () => {
  // Days 1..6 of January 2024 (UTC). A: 1, 2, 3; B: 2, 4, 5; C: 5; E: 31 Dec, 3.
  const rows = [[1, 1], [1, 2], [1, 3], [2, 2], [2, 4], [2, 5], [3, 5], [5, 0], [5, 3]];
  const log = r.EventLog.fromEvents(rows.map(([customer, d]) => ({
    customer, timestamp: Date.parse('2023-12-31T10:00:00Z') + d * 86400000, type: 'order', amount: 1,
  })));
  const lc = r.lifecycleCounts(log, { start: '2024-01-01', end: '2024-01-06', period: 'day' });
  const got = Array.from(lc.new, (_, i) => [lc.new[i], lc.returning[i], lc.resurrecting[i], lc.dormant[i]]);
  assert.deepEqual(got, [[1, 0, 0, 1], [1, 1, 0, 0], [0, 1, 1, 1], [0, 0, 1, 2], [1, 1, 0, 0], [0, 0, 0, 2]]);
  const s = r.stickiness(log, { start: '2024-01-01', end: '2024-01-05', period: 'day' });
  // Days 1-5: A active on 3 (1, 2, 3), B on 3 (2, 4, 5), C on 1 (5), E on 1 (3): 8 customer-days.
  assert.deepEqual(s.customersByActivePeriods, [2, 0, 2, 0, 0]);
  assert.equal(s.customers, 4);
  assert.ok(Math.abs(s.meanActive - 1.6) < 1e-15);
  assert.ok(Math.abs(s.ratio - 0.4) < 1e-15);
});

test('bad zones and options are typed errors', () => {
  const log = oneOrderEach(['2024-01-01T00:00Z']);
  const range = { start: '2024-01-01', end: '2024-02-01' };
  assert.throws(() => r.lifecycleCounts(log, { ...range, timeZone: 'Mars/Olympus' }),
    (e) => e instanceof r.RetentionError && e.code === 'invalid_parameter' && e.field === 'time_zone' && /Mars\/Olympus/.test(e.message));
  assert.throws(() => r.stickiness(log, { ...range, timeZone: 'Asia/Shanghai', utcOffsetSeconds: 3600 }),
    (e) => e.code === 'invalid_parameter' && e.field === 'time_zone');
  assert.throws(() => r.stickiness(log, { ...range, period: 'fortnight' }), (e) => e.code === 'unknown_code');
  assert.throws(() => r.stickiness(log, { start: '1800-01-01', end: '2100-01-01', period: 'day' }), (e) => e.code === 'invalid_parameter');
  assert.throws(() => r.lifecycleCounts(log, { ...range, colour: 'red' }), (e) => e instanceof r.RetentionError);
});
