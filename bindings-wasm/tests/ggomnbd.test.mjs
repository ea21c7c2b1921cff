// GGompertz/NBD (code 'ggom_nbd') through the package: fitted on CDNOW (weeks,
// 39-week calibration) it reproduces Bemmaor & Glady (2012, Table 2):
// log-likelihood -9594.98, r 0.553, alpha 10.578; the maximum is in the
// Pareto/NBD limit b -> 0 with beta / b = Pareto/NBD's beta, so its
// predictions equal Pareto/NBD's.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as r from 'retention-wasm';

function cdnow() {
  const lines = readFileSync(new URL('../../retention-core/tests/fixtures/cdnow_customers_summary.csv', import.meta.url), 'utf8').trim().split('\n').slice(1);
  const n = lines.length;
  const frequency = new Float64Array(n);
  const recency = new Float64Array(n);
  const T = new Float64Array(n);
  lines.forEach((line, i) => {
    const f = line.split(',').map(Number);
    frequency[i] = f[1];
    recency[i] = f[2];
    T[i] = f[3];
  });
  return { frequency, recency, T };
}

before(async () => {
  await r.init();
});

test('GGompertz/NBD fit on CDNOW: published values and the Pareto/NBD limit', () => {
  const data = cdnow();
  const g = r.fitGgomNbd(data);
  assert.equal(g.params.model, 'ggom_nbd');
  assert.deepEqual(g.parameterNames, ['r', 'alpha', 'b', 's', 'beta']);
  assert.ok(Math.abs(g.logLikelihood - -9594.98) <= 0.01, `${g.logLikelihood}`);
  assert.ok(Math.abs(g.params.r - 0.553) <= 5e-4, `r ${g.params.r}`);
  assert.ok(Math.abs(g.params.alpha - 10.578) <= 5e-4, `alpha ${g.params.alpha}`);
  assert.ok(Math.abs(g.params.beta / g.params.b / 11.669 - 1) <= 1e-3);
  const p = r.fitParetoNbd(data).params;
  const ga = r.probabilityAlive(g.params, data);
  const pa = r.probabilityAlive(p, data);
  const gc = r.conditionalExpectedPurchases(g.params, 39, data);
  const pc = r.conditionalExpectedPurchases(p, 39, data);
  for (let i = 0; i < ga.length; i++) {
    assert.ok(Math.abs(ga[i] - pa[i]) <= 1e-4, `P(alive) row ${i}: ${ga[i]} vs ${pa[i]}`);
    assert.ok(Math.abs(gc[i] - pc[i]) <= 1e-4 * Math.max(1, pc[i]), `CET row ${i}: ${gc[i]} vs ${pc[i]}`);
  }
});

test('GGompertz/NBD with given parameters; bad parameters are typed errors', () => {
  const m = { model: 'ggom_nbd', r: 0.8, alpha: 5, b: 0.1, s: 0.7, beta: 2 };
  const e = r.expectedPurchases(m, 39);
  assert.ok(Number.isFinite(e) && e > 0);
  const one = r.probabilityAlive(m, { frequency: 2, recency: 30, T: 38 });
  assert.ok(one > 0 && one < 1);
  assert.throws(() => r.probabilityAlive({ ...m, b: 0 }, { frequency: 2, recency: 30, T: 38 }), (err) => err instanceof r.RetentionError && err.code === 'invalid_parameter');
  assert.throws(() => r.probabilityAlive({ model: 'ggom_nbd', r: 0.8, alpha: 5, s: 0.7, beta: 2 }, { frequency: 2, recency: 30, T: 38 }),
    (err) => err instanceof r.RetentionError);
});
