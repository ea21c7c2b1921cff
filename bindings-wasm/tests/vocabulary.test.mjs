// One vocabulary and one set of defaults: the npm package accepts and
// returns exactly the Rust core's codes (vocabulary() and defaults() come
// from the core itself), and a wrong code names the accepted ones.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as r from 'retention-wasm';

before(async () => {
  await r.init();
});

const day = (n) => Date.UTC(2024, 0, 1) + n * 86_400_000;

function shop() {
  const events = [];
  for (let c = 1; c <= 6; c++) {
    for (let k = 0; k < 3; k++) events.push({ customer: c, timestamp: day(7 * k + c), amount: 10 * c });
  }
  events.push({ customer: 1, timestamp: day(40), type: 'subscription', amount: 20, detail: 'new' });
  events.push({ customer: 2, timestamp: day(41), type: 'survey', score: 9, detail: 'nps' });
  return r.EventLog.fromEvents(events);
}

const BG = { r: 0.24, alpha: 4.4, a: 0.79, b: 2.4 };
const PARAMS = {
  bg_nbd: BG, mbg_nbd: BG, pareto_nbd: { r: 0.55, alpha: 10.6, s: 0.6, beta: 11.7 },
  ggom_nbd: { r: 0.55, alpha: 10.6, b: 0.01, s: 0.6, beta: 0.1 },
};
const ONE = { frequency: 2, recency: 30, T: 38 };

// For each vocabulary an option takes: a call that passes the code.
const ACCEPTED = {
  activity_basis: (log, c) => r.periodActivity(log, { start: day(0), end: day(30), basis: c }),
  clv_time_unit: (log, c) => r.predictiveClv({ model: 'bg_nbd', ...BG }, { p: 6.25, q: 3.74, gamma: 15.44 },
    { ...ONE, monetaryValue: 20 }, { timeUnit: c }),
  duplicate_policy: (log, c) => r.EventLog.fromEvents([{ customer: 1, timestamp: day(1), amount: 1 }], { duplicates: c }),
  frequency_basis: (log, c) => r.rfm(log, { asOf: day(60), frequency: c }),
  monetary_basis: (log, c) => r.rfm(log, { asOf: day(60), monetary: c }),
  orders_after_end: (log, c) => r.modelInput(log, { observationEnd: day(60), afterEnd: c }),
  period: (log, c) => r.cohorts(log, { asOf: day(60), period: c }),
  qualifying_events: (log, c) => r.cohorts(log, { asOf: day(60), qualifying: c }),
  retention_mode: (log, c) => r.cohorts(log, { asOf: day(60), mode: c }),
  revenue_basis: (log, c) => r.cohorts(log, { asOf: day(60), revenue: c }),
  risk_source: (log, c) => r.trafficLight(0.5, { source: c }),
  survey_kind: (log, c) => r.surveyAnswers(log, { start: day(0), end: day(60), kind: c }),
  tier_basis: (log, c) => r.tierForValue(100, { tierBasis: c }),
  tier_term: (log, c) => r.tierForValue(100, { tierTerm: c }),
  time_unit: (log, c) => r.modelInput(log, { observationEnd: day(60), unit: c }),
  interval_method: (log, c) => r.predictionIntervals({ params: { model: 'bg_nbd', ...BG }, covariance: [0.001, 0, 0, 0, 0, 0.01, 0, 0, 0, 0, 0.001, 0, 0, 0, 0, 0.01] },
    { prediction: 'probability_alive' }, ONE, { method: c, draws: 20 }),
  transaction_model: (log, c) => r.probabilityAlive({ model: c, ...(PARAMS[c] ?? BG) }, ONE),
};

// Read from event rows (`type` and `detail`).
const FROM_EVENTS = ['event_type', 'severity', 'subscription_change'];
// Spelled in results.
const RETURNED = ['lifecycle_stage', 'light', 'ledger_entry_kind', 'earn_action', 'health_component', 'optim_method',
  'issue_kind', 'error_code'];
// Not part of the npm package: survival models beyond the customers'
// churn curve and rule segments are Python and Rust only; both churn variants come back as separate rates;
// optimiser attempts only in error messages.
const ELSEWHERE = ['cox_residual_kind', 'cox_ties', 'cox_time_transform', 'logrank_weighting', 'nelson_aalen_ties', 'operator', 'parametric_family', 'summary_field',
  'churn_variant', 'attempt_outcome'];

// How input crosses into the core: the wrapper tags each cell with its
// `cell_kind`; instants given as numbers are in milliseconds (`instant_unit`
// "ms"), fixed by the package.
const INPUT = ['cell_kind', 'instant_unit'];

// Accepted by the dashboard entry only (retention-wasm/dashboard; tested in
// contractual, covariates, dashboard_evaluation, dashboard_cohorts, evaluation and survival
// .test.mjs).
const DASHBOARD = ['contractual_model', 'cohort_pooling', 'covariate_model', 'mixing_process', 'holdout_group_by',
  'km_confidence_transform', 'breakdown_source', 'start_event', 'return_event', 'return_count'];

test('every vocabulary is accepted, read from rows, returned, or named as not part of this package', () => {
  const names = Object.keys(r.vocabulary()).sort();
  assert.deepEqual(names, [...Object.keys(ACCEPTED), ...FROM_EVENTS, ...RETURNED, ...ELSEWHERE, ...INPUT, ...DASHBOARD].sort());
});

test('every code of every option is accepted and a wrong one names the accepted codes', () => {
  const log = shop();
  for (const [name, call] of Object.entries(ACCEPTED)) {
    const codes = r.vocabulary()[name];
    for (const code of codes) call(log, code);
    let caught = null;
    try {
      call(log, 'no_such_code');
    } catch (e) {
      caught = e;
    }
    assert.ok(caught instanceof r.RetentionError, `${name}: ${caught}`);
    for (const code of codes) assert.ok(caught.message.includes(code), `${name}: ${caught.message}`);
    // As an argument or inside an options object: the same typed error.
    assert.equal(caught.code, 'unknown_code', name);
    assert.deepEqual(caught.accepted, [...codes], name);
    assert.equal(caught.value, 'no_such_code', name);
  }
  log.free();
});

test('the EVENT_TYPES constant (usable before init) is the core vocabulary in code order', () => {
  assert.deepEqual([...r.EVENT_TYPES], [...r.vocabulary().event_type]);
});

test('event rows take every event type, severity and subscription change', () => {
  const v = r.vocabulary();
  const events = v.event_type.filter((t) => !['support_ticket', 'survey', 'subscription', 'order', 'refund',
    'referral', 'points_earned', 'points_redeemed'].includes(t)).map((type) => ({ customer: 9, timestamp: day(1), type }));
  events.push({ customer: 9, timestamp: day(2), type: 'order', amount: 5 });
  events.push({ customer: 9, timestamp: day(3), type: 'refund', amount: 1 });
  events.push({ customer: 9, timestamp: day(3), type: 'referral', detail: '10' });
  events.push({ customer: 9, timestamp: day(4), type: 'points_earned', amount: 10 });
  events.push({ customer: 9, timestamp: day(5), type: 'points_redeemed', amount: 5 });
  for (const severity of v.severity) events.push({ customer: 9, timestamp: day(6), type: 'support_ticket', detail: severity, resolved: false });
  events.push({ customer: 9, timestamp: day(7), type: 'survey', detail: 'nps', score: 8 });
  const delta = { new: 10, expansion: 5, contraction: -2, churn: -13, reactivation: 4 };
  v.subscription_change.forEach((change, i) => events.push({ customer: 9, timestamp: day(8 + i), type: 'subscription', detail: change, amount: delta[change] }));
  const log = r.EventLog.fromEvents(events);
  assert.deepEqual([...new Set(log.toColumns().type)].sort(), [...v.event_type].sort());
  log.free();
});

test('results are spelled with the core codes', () => {
  const v = r.vocabulary();
  const log = r.sampleLog({ seed: 3, customers: 300 });
  const asOf = r.sampleAsOf();
  const stages = new Set(r.lifecycleStages(log, { asOf }).stage);
  assert.ok([...stages].every((s) => v.lifecycle_stage.includes(s)) && stages.has('at_risk'), [...stages].join());
  assert.ok(r.trafficLights(log, { asOf }).light.every((l) => v.light.includes(l)));
  const id = log.customers()[0];
  const ledger = r.pointsLedger(log, id, { asOf });
  assert.ok(ledger.entries.every((e) => v.ledger_entry_kind.includes(e.kind)));
  const view = r.shopperView(log, id, { asOf });
  assert.ok(view.health.components.every((c) => v.health_component.includes(c.component)));
  assert.ok(v.lifecycle_stage.includes(view.lifecycle.stage));
  const input = r.modelInput(log, { observationEnd: asOf, unit: 'week' });
  const fit = r.fitBgNbd(input);
  assert.ok(v.optim_method.includes(fit.method));
  assert.ok(v.transaction_model.includes(fit.params.model));
  try {
    r.nps([11]);
    assert.fail('expected a throw');
  } catch (e) {
    assert.ok(v.error_code.includes(e.code));
    assert.ok(e.issues.every((i) => v.issue_kind.includes(i.kind)));
  }
  log.free();
});

test('defaults come from the core and equal what the package documents', () => {
  const d = r.defaults();
  assert.equal(d.fit.maxIterations, 500);
  assert.equal(d.fit.tolerance, 1e-8);
  assert.equal(d.cohort.mode, 'return_on');
  assert.equal(d.cohort.calendar.period, 'month');
  assert.deepEqual(d.loyalty.tiers.map((t) => t.name), ['Bronze', 'Silver', 'Gold', 'Platinum']);
  assert.equal(d.loyalty.tierBasis, 'spend');
  assert.equal(d.lights.amber, 0.33);
  // An option left out is the core default: the same answer as passing it.
  const log = shop();
  const a = r.cohorts(log, { asOf: day(60) });
  const b = r.cohorts(log, { asOf: day(60), period: d.calendar.period, mode: d.cohort.mode,
    qualifying: d.cohort.qualifying, revenue: d.cohort.revenue });
  assert.deepEqual(a, b);
  log.free();
});
