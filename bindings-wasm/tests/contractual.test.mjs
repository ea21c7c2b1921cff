// Contractual retention models through the dashboard module (retention-wasm/dashboard): the sBG
// estimates Fader & Hardie (2007) publish for their Table 1 data
// (/work/shared/data/retention_fader_hardie_2007.csv, copied to
// retention-core/tests/fixtures), the filled cohort matrix, the one call from an event log against
// the observed cohort matrix, typed errors, and the issue's browser budget (fit BdW to 36 cohorts
// of 36 periods and fill the matrix with intervals in under 50 ms).
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as r from 'retention-wasm/dashboard';

function segments() {
  const lines = readFileSync(new URL('../../retention-core/tests/fixtures/retention_fader_hardie_2007.csv', import.meta.url), 'utf8')
    .trim().split('\n').slice(1);
  const regular = [];
  const highEnd = [];
  for (const line of lines) {
    const [, reg, high] = line.split(',').map(Number);
    regular.push(reg);
    highEnd.push(high);
  }
  return { regular, highEnd };
}

before(async () => {
  await r.init();
});

test('published sBG estimates on years 1-7 (Fader & Hardie 2007)', () => {
  const { regular, highEnd } = segments();
  const [high] = r.fitContractual([highEnd.slice(0, 8)]);
  assert.ok(Math.abs(high.params.alpha - 0.668) < 5e-4, JSON.stringify(high.params));
  assert.ok(Math.abs(high.params.beta - 3.806) < 5e-4);
  assert.ok(Math.abs(high.logLikelihood + 1611.2) < 0.05);
  assert.deepEqual(high.parameterNames, ['alpha', 'beta']);
  const fits = r.fitContractual({ regular: regular.slice(0, 8), high: highEnd.slice(0, 8) }, { pooling: 'per_cohort' });
  assert.ok(Math.abs(fits[0].params.alpha - 0.704) < 5e-4 && Math.abs(fits[0].params.beta - 1.182) < 5e-4);
  const [bdw] = r.fitContractual([highEnd.slice(0, 8)], { model: 'bdw' });
  assert.ok(bdw.logLikelihood >= high.logLikelihood - 1e-6, 'the BdW nests the sBG');
});

test('the filled matrix keeps observed cells and projects years 8-12 within a few percent', () => {
  const { highEnd } = segments();
  const m = r.predictiveCohortMatrix({ high: highEnd.slice(0, 8) }, { ages: 13 });
  assert.deepEqual(m.labels, ['high']);
  assert.deepEqual(m.projected[0], [...new Array(8).fill(false), ...new Array(5).fill(true)]);
  for (let t = 0; t < 13; t++) {
    if (t < 8) assert.equal(m.share[0][t], highEnd[t] / 1000);
    else assert.ok(Math.abs(m.share[0][t] * 1000 - highEnd[t]) / highEnd[t] < 0.045, `${t}`);
    assert.ok(m.lower[0][t] <= m.share[0][t] && m.share[0][t] <= m.upper[0][t]);
  }
  assert.equal(m.level, 0.9);
  assert.equal(m.method, 'delta');
});

test('one call from an event log agrees with the observed return-on-or-after matrix', () => {
  const log = r.sampleLog({ seed: 7, customers: 400 });
  const m = r.predictiveCohortMatrixFromLog(log, { asOf: '2025-01-01', method: 'bootstrap', draws: 200, seed: 1 });
  const observed = r.cohorts(log, { asOf: '2025-01-01', mode: 'return_on_or_after' });
  let projected = 0;
  m.labels.forEach((label, i) => {
    const row = observed.labels.indexOf(label);
    assert.ok(row >= 0, label);
    m.share[i].forEach((share, t) => {
      if (m.projected[i][t]) {
        projected += 1;
        assert.equal(observed.retention[row][t] ?? null, null);
      } else {
        assert.equal(share, observed.retention[row][t]);
      }
    });
  });
  assert.ok(projected > 0);
});

test('bad input is a RetentionError naming the field', () => {
  assert.throws(() => r.fitContractual([[100, 90, 95]]), (e) => e instanceof r.RetentionError && e.code === 'invalid_rows');
  assert.throws(() => r.fitContractual([[100, 90.5]]), (e) => e.code === 'invalid_rows' && e.issues[0].field === 'survivors');
  assert.throws(() => r.predictiveCohortMatrix([[100, 90, 80]], { ages: 1e6 }), (e) => e.code === 'invalid_parameter');
  assert.throws(() => r.predictiveCohortMatrix([[100, 90, 80]], { model: 'weibull' }), (e) => e.code === 'unknown_code');
  assert.throws(() => r.predictiveCohortMatrix([[100, 90, 80]], { colour: 'red' }), (e) => e.code === 'invalid_input');
  assert.throws(() => r.predictiveCohortMatrix('nope'), (e) => e.code === 'invalid_input');
});

test('BdW fit and filled 36 x 36 matrix with intervals in under 50 ms', () => {
  // Survivors round(1000 S(t)) of a BdW (alpha 0.9, beta 2.5, c 0.8), cohort i observed for 36 - i ages.
  const [truth] = r.fitContractual([[1000, 700, 560, 480, 420, 380, 350]], { model: 'bdw' });
  const m0 = r.predictiveCohortMatrix([[1000, 700, 560, 480, 420, 380, 350]], { model: 'bdw', ages: 36 });
  const curve = m0.share[0];
  const cohorts = Array.from({ length: 36 }, (_, i) => curve.slice(0, 36 - i).map((s) => Math.round(1000 * s)));
  assert.ok(truth.params.c > 0);
  r.predictiveCohortMatrix(cohorts, { model: 'bdw' }); // warm-up
  const runs = 10;
  const start = performance.now();
  for (let k = 0; k < runs; k++) {
    const m = r.predictiveCohortMatrix(cohorts, { model: 'bdw' });
    assert.equal(m.share.length, 36);
  }
  const ms = (performance.now() - start) / runs;
  console.log(`BdW fit + filled 36 x 36 matrix: ${ms.toFixed(2)} ms per call`);
  assert.ok(ms < 50, `${ms} ms`);
});

test('every contractual_model and cohort_pooling code is accepted; a wrong one lists them', () => {
  const v = r.vocabulary();
  const data = [[1000, 869, 743, 653, 593], [1000, 880, 760, 690]];
  for (const model of v.contractual_model) r.predictiveCohortMatrix(data, { model, ages: 6 });
  for (const pooling of v.cohort_pooling) r.fitContractual(data, { pooling });
  assert.throws(() => r.fitContractual(data, { pooling: 'nope' }),
    (e) => e.code === 'unknown_code' && v.cohort_pooling.every((c) => e.message.includes(c)));
});

// ₂F₁(1, b; c; z) = Σ_k (b)_k / (c)_k z^k, summed until the terms vanish (z < 1).
function hyp2f1One(b, c, z) {
  let term = 1;
  let sum = 1;
  for (let k = 0; k < 100000 && term > 1e-17 * sum; k++) {
    term *= ((b + k) / (c + k)) * z;
    sum += term;
  }
  return sum;
}

const close = (got, want, rel, what) => assert.ok(Math.abs(got - want) <= rel * Math.abs(want), `${what}: ${got} vs ${want}`);

test('predictContractual: hand-computed sBG values and the Fader & Hardie (2010) closed forms', () => {
  // α = β = 1: S(t) = 1/(1 + t), E[T] infinite, DEL = (1 + d) ln((1 + d)/d),
  // DERL after 0 renewals = (−ln(1 − δ) − δ)/δ² with δ = 1/(1 + d).
  const p = r.predictContractual({ model: 'sbg', alpha: 1, beta: 1, c: 1 }, { ages: 6, discountRate: 0.1, margin: 30 });
  p.survival.forEach((s, t) => close(s, 1 / (1 + t), 1e-13, `S(${t})`));
  assert.deepEqual(p.age, [0, 1, 2, 3, 4, 5]);
  assert.equal(p.retentionRate[0], null);
  assert.equal(p.churnProbability[0], null);
  close(p.churnProbability[1], 0.5, 1e-13, 'P(T = 1)');
  close(p.retentionRate[3], 3 / 4, 1e-13, 'r(3)');
  assert.equal(p.expectedLifetime, null);
  close(p.discountedExpectedLifetime, 1.1 * Math.log(11), 1e-9, 'DEL');
  const delta = 1 / 1.1;
  close(p.discountedExpectedResidualLifetime[0], (-Math.log(1 - delta) - delta) / delta ** 2, 1e-9, 'DERL(0)');
  p.residualValue.forEach((v, n) => close(v, 30 * p.discountedExpectedResidualLifetime[n], 1e-14, `value(${n})`));
  assert.equal(p.discountRate, 0.1);
  assert.equal(p.margin, 30);

  // The regular segment's estimates (α 0.704, β 1.182), d = 0.1: r(t) = (β + t − 1)/(α + β + t − 1),
  // DEL = ₂F₁(1, β; α + β; δ), DERL(n) = (β + n)/(α + β + n) ₂F₁(1, β + n + 1; α + β + n + 1; δ).
  const [a, b] = [0.704, 1.182];
  const q = r.predictContractual({ params: { model: 'sbg', alpha: a, beta: b, c: 1 } }, { ages: 24 });
  assert.equal(q.discountRate, 0.1, 'the core default');
  for (let t = 1; t < 24; t++) close(q.retentionRate[t], (b + t - 1) / (a + b + t - 1), 1e-12, `r(${t})`);
  close(q.discountedExpectedLifetime, hyp2f1One(b, a + b, delta), 1e-9, 'DEL');
  for (let n = 0; n < 24; n++) {
    const want = ((b + n) / (a + b + n)) * hyp2f1One(b + n + 1, a + b + n + 1, delta);
    close(q.discountedExpectedResidualLifetime[n], want, 1e-9, `DERL(${n})`);
  }
  // α = 3, β = 2: E[T] = (α + β − 1)/(α − 1) = 2; with d = 0 DEL is E[T].
  const u = r.predictContractual({ model: 'sbg', alpha: 3, beta: 2, c: 1 }, { ages: 3, discountRate: 0 });
  close(u.expectedLifetime, 2, 1e-9, 'E[T]');
  close(u.discountedExpectedLifetime, 2, 1e-9, 'DEL at d = 0');
});

test('predictContractual agrees with the Python door on the same parameters', () => {
  // Written by fixtures/contractual_predictions.py with the Python door's pointwise functions
  // (each DERL its own infinite sum; the npm export sums once and recurs).
  const fixture = JSON.parse(readFileSync(new URL('./fixtures/contractual_predictions.json', import.meta.url), 'utf8'));
  for (const c of fixture.cases) {
    const p = r.predictContractual(c.params, { ages: c.ages, discountRate: c.discount_rate, margin: c.margin });
    for (let t = 0; t < c.ages; t++) {
      close(p.survival[t], c.survival[t], 1e-12, `S(${t})`);
      if (t > 0) close(p.retentionRate[t], c.retention_rate[t], 1e-12, `r(${t})`);
      if (t > 0) close(p.churnProbability[t], c.churn_probability[t], 1e-10, `P(T = ${t})`);
      close(p.discountedExpectedResidualLifetime[t], c.derl[t], 1e-8, `DERL(${t}) ${JSON.stringify(c.params)}`);
      close(p.residualValue[t], c.residual_value[t], 1e-8, `value(${t})`);
    }
    close(p.discountedExpectedLifetime, c.del, 1e-8, 'DEL');
    if (c.expected_lifetime === null) assert.equal(p.expectedLifetime, null);
    else close(p.expectedLifetime, c.expected_lifetime, 1e-8, 'E[T]');
  }
});

test('predictContractual: bad input is a typed error', () => {
  const sbg = { model: 'sbg', alpha: 1, beta: 1, c: 1 };
  assert.throws(() => r.predictContractual(sbg, { ages: 0 }), (e) => e.code === 'invalid_parameter' && e.message.includes('ages'));
  assert.throws(() => r.predictContractual(sbg, { ages: 100001 }), (e) => e.code === 'invalid_parameter');
  assert.throws(() => r.predictContractual(sbg, { discountRate: -1 }), (e) => e.code === 'invalid_parameter');
  assert.throws(() => r.predictContractual(sbg, { discountRate: 0 }), (e) => e.code === 'invalid_parameter', 'α ≤ 1: infinite sums');
  assert.throws(() => r.predictContractual(sbg, { margin: -2 }), (e) => e.code === 'invalid_parameter');
  assert.throws(() => r.predictContractual({ ...sbg, alpha: -1 }), (e) => e.code === 'invalid_parameter');
  assert.throws(() => r.predictContractual({ ...sbg, c: 2 }), (e) => e.code === 'invalid_parameter');
  assert.throws(() => r.predictContractual({ ...sbg, model: 'weibull' }), (e) => e.code === 'unknown_code');
  assert.throws(() => r.predictContractual(sbg, { horizon: 3 }), (e) => e.code === 'invalid_input');
  assert.throws(() => r.predictContractual(null), (e) => e.code === 'invalid_input');
});
