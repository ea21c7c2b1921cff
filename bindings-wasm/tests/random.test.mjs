// Randomly generated, malformed input from JS: every call either succeeds or
// throws a RetentionError (never a wasm trap, a TypeError or a string), and
// the module keeps computing the right answers afterwards.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as r from 'retention-wasm';

before(async () => {
  await r.init();
});

// xorshift32, seeded: the same inputs on every run.
function rng(seed) {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13; s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5; s >>>= 0;
    return s / 4294967296;
  };
}

function junkValue(rand, depth = 0) {
  const pick = Math.floor(rand() * 22);
  switch (pick) {
    case 0: return undefined;
    case 1: return null;
    case 2: return NaN;
    case 3: return Infinity;
    case 4: return -Infinity;
    case 5: return -1;
    case 6: return 1e308;
    case 7: return Math.floor(rand() * 20);
    case 8: return rand() * 1000;
    case 9: return '';
    case 10: return 'order';
    case 11: return ['order', 'refund', 'survey', 'support_ticket', 'referral', 'subscription', 'points_redeemed', 'nps', 'critical', 'churn'][Math.floor(rand() * 10)];
    case 12: return '2024-02-30';
    case 13: return new Date(Math.floor(rand() * 2e12));
    case 14: return true;
    case 15: return 10n;
    case 16: return Symbol('x');
    case 17: return depth < 2 ? [junkValue(rand, depth + 1)] : [];
    case 18: return depth < 2 ? { a: junkValue(rand, depth + 1) } : {};
    case 19: return () => 1;
    case 20: return '\u0000\uffff😀';
    default: return 2 ** 53 + 2;
  }
}

function junkEvent(rand) {
  if (rand() < 0.05) return junkValue(rand);
  const e = {};
  for (const f of ['customer', 'timestamp', 'type', 'amount', 'items', 'score', 'detail', 'resolved']) {
    if (rand() < 0.6) e[f] = junkValue(rand);
  }
  if (rand() < 0.05) e.extra = 1;
  return e;
}

function junkOptions(rand) {
  if (rand() < 0.2) return junkValue(rand);
  const o = {};
  const keys = ['asOf', 'bins', 'thresholds', 'segments', 'frequency', 'monetary', 'weights', 'windowDays', 'amber', 'red',
    'loyalty', 'risk', 'rfm', 'period', 'maxAge', 'mode', 'tiers', 'customers', 'seed', 'binz'];
  for (const k of keys) if (rand() < 0.2) o[k] = junkValue(rand);
  if (rand() < 0.7) o.asOf = rand() < 0.5 ? '2024-06-01' : junkValue(rand);
  return o;
}

function expectRetentionOrOk(f, what) {
  try {
    return f();
  } catch (e) {
    assert.ok(e instanceof r.RetentionError, `${what}: threw ${e?.constructor?.name}: ${e?.message ?? e}`);
    assert.equal(typeof e.code, 'string');
    assert.ok(Array.isArray(e.issues));
    return undefined;
  }
}

test('random malformed input never traps the module', () => {
  const rand = rng(20240601);
  const good = r.EventLog.fromEvents([
    { customer: 1, timestamp: '2024-01-01', amount: 10 },
    { customer: 1, timestamp: '2024-03-01', amount: 20 },
    { customer: 2, timestamp: '2024-02-01', amount: 5 },
  ]);
  const calls = [
    (o) => r.rfm(good, o),
    (o) => r.trafficLights(good, o),
    (o) => r.lifecycleStages(good, o),
    (o) => r.cohorts(good, o),
    (o) => r.shopperView(good, 1, o),
    (o) => r.tierStatus(good, junkValue(rand), o),
    (o) => r.pointsLedger(good, 1, o),
    (o) => r.tierForValue(junkValue(rand), o),
    (o) => r.trafficLight(junkValue(rand), o),
    (o) => r.summaries(o),
    (o) => r.sampleLog(rand() < 0.5 ? { customers: Math.floor(rand() * 30), seed: junkValue(rand) } : o),
  ];
  for (let round = 0; round < 1500; round++) {
    const n = Math.floor(rand() * 12);
    const events = Array.from({ length: n }, () => junkEvent(rand));
    const log = expectRetentionOrOk(() => r.EventLog.fromEvents(events, rand() < 0.1 ? junkOptions(rand) : {}), `fromEvents #${round}`);
    log?.free();
    const cols = {};
    for (const f of ['customer', 'timestamp', 'type', 'amount', 'score', 'detail', 'resolved', 'items']) {
      if (rand() < 0.7) {
        const len = rand() < 0.9 ? n : n + 1;
        const typed = rand() < 0.3;
        const arr = Array.from({ length: len }, () => junkValue(rand));
        cols[f] = typed ? new Float64Array(arr.map((x) => (typeof x === 'number' ? x : NaN))) : arr;
      }
    }
    const fromCols = expectRetentionOrOk(() => r.EventLog.fromColumns(rand() < 0.05 ? junkValue(rand) : cols), `fromColumns #${round}`);
    fromCols?.free();
    const call = calls[Math.floor(rand() * calls.length)];
    const out = expectRetentionOrOk(() => call(junkOptions(rand)), `call #${round}`);
    if (out instanceof r.EventLog) out.free();
  }
  // The module still works and still gives the right answers.
  const scores = r.rfm(good, { asOf: '2024-06-01', bins: 2 });
  assert.deepEqual(scores.customerId, [1, 2]);
  assert.equal(r.tierForValue(1000).next.missing, 500);
  assert.equal(r.shopperView(good, 1, { asOf: '2024-06-01' }).tier.name, 'Bronze');
  good.free();
});
