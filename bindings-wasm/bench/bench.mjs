// Node benchmark of the built package (prints figures; never fails on timing).
//
// 1. Merchant: RFM and traffic light for 100,000 customers from 1,000,000
//    order events given as typed-array columns (log construction included);
//    then, apart, reading every customer's reason lists (built on first read).
// 2. Storefront: one shopper's tier, progress and risk (shopperView) from a
//    1,000-event history given as plain objects (log construction included).
//
// Run: node bench/bench.mjs (after bash build.sh).
import { performance } from 'node:perf_hooks';
import * as r from 'retention-wasm';

await r.init();

function rng(seed) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const DAY = 86_400_000;
const asOf = Date.UTC(2025, 0, 1);
const rand = rng(42);

// 1M orders over 100k customers, two years.
const N = 1_000_000;
const C = 100_000;
const customer = new Float64Array(N);
const timestamp = new Float64Array(N);
const amount = new Float64Array(N);
for (let i = 0; i < N; i++) {
  customer[i] = i % C;
  timestamp[i] = asOf - Math.floor(rand() * 730 * DAY) - 1000;
  amount[i] = Math.round(rand() * 20000) / 100;
}

function time(label, f, reps = 1) {
  f(); // warm-up
  const t0 = performance.now();
  let out;
  for (let i = 0; i < reps; i++) out = f();
  const ms = (performance.now() - t0) / reps;
  return [ms, out];
}

const runs = [];
for (let rep = 0; rep < 3; rep++) {
  const t0 = performance.now();
  const log = r.EventLog.fromColumns({ customer, timestamp, amount });
  const t1 = performance.now();
  const scores = r.rfm(log, { asOf });
  const t2 = performance.now();
  const lights = r.trafficLights(log, { asOf });
  const t3 = performance.now();
  // Reason lists are built when first read: reading them is timed apart.
  void [lights.lightReasons, lights.reasons];
  const t4 = performance.now();
  runs.push({ build: t1 - t0, rfm: t2 - t1, lights: t3 - t2, total: t3 - t0, reasons: t4 - t3, customers: scores.customerId.length, red: lights.counts.red });
  log.free();
}
runs.sort((a, b) => a.total - b.total);
const best = runs[0];
const median = runs[1];
console.log(`merchant: ${median.customers} customers, ${N} events (median of 3 runs)`);
console.log(`  log from typed columns ${median.build.toFixed(0)} ms, RFM ${median.rfm.toFixed(0)} ms, traffic lights ${median.lights.toFixed(0)} ms`);
console.log(`  reading every customer's reasons (lightReasons, reasons) afterwards ${median.reasons.toFixed(0)} ms`);
console.log(`  total ${median.total.toFixed(0)} ms (best ${best.total.toFixed(0)} ms; target < 1000 ms)`);

// One shopper, 1,000 events.
const events = [];
const shopperRand = rng(7);
for (let i = 0; i < 1000; i++) {
  const t = asOf - Math.floor(shopperRand() * 700 * DAY) - 1000;
  const k = shopperRand();
  if (k < 0.6) events.push({ customer: 'shopper-1', timestamp: t, type: 'order', amount: Math.round(shopperRand() * 10000) / 100 });
  else if (k < 0.9) events.push({ customer: 'shopper-1', timestamp: t, type: 'session' });
  else if (k < 0.97) events.push({ customer: 'shopper-1', timestamp: t, type: 'email_open' });
  else events.push({ customer: 'shopper-1', timestamp: t, type: 'support_ticket', detail: 'minor', resolved: shopperRand() < 0.5 });
}
const [perCall, view] = time('shopper', () => {
  const log = r.EventLog.fromEvents(events);
  const v = r.shopperView(log, 'shopper-1', { asOf });
  log.free();
  return v;
}, 500);
const [viewOnly] = time('fromEvents', () => {
  r.EventLog.fromEvents(events).free();
}, 500);
console.log(`storefront: 1,000-event history → tier ${view.tier.name}, progress ${(view.tier.next?.fraction ?? 1).toFixed(2)}, light ${view.light.light}`);
console.log(`  fromEvents + shopperView ${(perCall * 1000).toFixed(0)} µs per shopper (of which fromEvents ≈ ${(viewOnly * 1000).toFixed(0)} µs; target < 1000 µs)`);
