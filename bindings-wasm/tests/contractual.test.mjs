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
