// The storefront module leaves out the tz database (its 300 KiB gzipped budget): a named time zone
// is a typed error naming the zone and pointing to the dashboard module; fixed offsets work.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as r from 'retention-wasm';

before(async () => {
  await r.init();
});

test('storefront cohorts: fixed offsets and week starts work, named zones throw', () => {
  // Sat 9 Mar 2024 23:30 in UTC−5 and Sun 10 Mar 00:30: different weeks from Sunday.
  const log = r.EventLog.fromEvents([
    { customer: 1, timestamp: '2024-03-10T04:30:00Z', type: 'order', amount: 1 },
    { customer: 2, timestamp: '2024-03-10T05:30:00Z', type: 'order', amount: 1 },
  ]);
  const m = r.cohorts(log, { asOf: '2024-04-01', period: 'week_sun', utcOffsetSeconds: -5 * 3600 });
  assert.deepEqual(m.labels, ['2024-03-03', '2024-03-10']);
  assert.deepEqual(m.calendar, { period: 'week_sun', utcOffsetSeconds: -18000 });
  assert.throws(() => r.cohorts(log, { asOf: '2024-04-01', timeZone: 'America/New_York' }),
    (e) => e instanceof r.RetentionError && e.code === 'invalid_parameter' && e.field === 'time_zone'
      && /America\/New_York/.test(e.message) && /dashboard/.test(e.message));
});
