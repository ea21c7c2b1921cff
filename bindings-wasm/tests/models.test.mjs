// Buy-till-you-die models through the package against the golden vectors (retention-core/tests/golden/vectors.json) (computed
// by retention-core natively) and the published CDNOW values.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as r from 'retention-wasm';

const vectors = JSON.parse(readFileSync(new URL('../../retention-core/tests/golden/vectors.json', import.meta.url), 'utf8'));
const v = vectors.models;

// wasm's libm and the native one may differ in the last bits; iterative
// fits amplify that, hence the looser tolerance for fitted parameters.
function close(actual, expected, what, rel = 1e-10) {
  const tol = rel * Math.max(1, Math.abs(expected));
  assert.ok(Math.abs(actual - expected) <= tol, `${what}: ${actual} != ${expected}`);
}

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

test('BG/NBD at the published CDNOW estimates: P(alive) 0.7266, 39-week expectation 1.226', () => {
  const c = v.customer;
  const alive = r.probabilityAlive(v.bgNbd, c);
  assert.equal(typeof alive, 'number');
  assert.equal(alive.toFixed(4), '0.7266');
  close(alive, v.bgNbdPredictions.probabilityAlive, 'P(alive)');
  const e = r.conditionalExpectedPurchases(v.bgNbd, 39, c);
  assert.equal(e.toFixed(3), '1.226');
  close(e, v.bgNbdPredictions.conditional39, 'E[Y(39)]');
  const published = [0.0532, 0.1506, 1.0437, 1.8576];
  const unconditional = r.expectedPurchases(v.bgNbd, v.horizons);
  assert.ok(unconditional instanceof Float64Array);
  unconditional.forEach((x, i) => {
    close(x, v.bgNbdPredictions.expected[i], `E[X(${v.horizons[i]})]`);
    assert.ok(Math.abs(x - published[i]) < 1e-3, `published E[X(${v.horizons[i]})]`);
  });
  close(r.expectedPurchases(v.bgNbd, 32), v.bgNbdPredictions.expected[2], 'E[X(32)] scalar');
});

test('Pareto/NBD and MBG/NBD predictions equal the core', () => {
  for (const [model, want] of [[v.paretoNbd, v.paretoNbdPredictions], [v.mbgNbd, v.mbgNbdPredictions]]) {
    close(r.probabilityAlive(model, v.customer), want.probabilityAlive, `${model.model} P(alive)`);
    close(r.conditionalExpectedPurchases(model, 39, v.customer), want.conditional39, `${model.model} E[Y(39)]`);
    Array.from(r.expectedPurchases(model, v.horizons)).forEach((x, i) => close(x, want.expected[i], `${model.model} E[X]`));
  }
});

test('columns: P(alive), conditional expectation and predictive CLV per customer', () => {
  const all = cdnow();
  const n = v.head.probabilityAlive.length;
  const head = { frequency: all.frequency.subarray(0, n), recency: Array.from(all.recency.subarray(0, n)), T: all.T.subarray(0, n) };
  const alive = r.probabilityAlive(v.bgNbd, head);
  assert.ok(alive instanceof Float64Array);
  alive.forEach((x, i) => close(x, v.head.probabilityAlive[i], `P(alive) ${i}`));
  r.conditionalExpectedPurchases(v.bgNbd, 39, head).forEach((x, i) => close(x, v.head.conditional39[i], `E ${i}`));
  const clv = r.predictiveClv(v.bgNbd, v.gammaGamma, { ...head, monetaryValue: v.head.monetaryValue }, { timeUnit: 'week' });
  clv.forEach((x, i) => close(x, v.head.clv[i], `CLV ${i}`));
  const one = r.predictiveClv(v.bgNbd, v.gammaGamma, { ...v.customer, monetaryValue: 25 },
    { timeUnit: 'week', horizonMonths: 12, monthlyDiscountRate: 0.01 });
  close(one, v.clv25, 'CLV of one customer');
  close(r.expectedAverageSpend(v.gammaGamma, { frequency: 2, monetaryValue: 25 }), v.spend25, 'spend');
  close(r.populationAverageSpend(v.gammaGamma), (6.25 * 15.44) / 2.74, 'population spend');
});

test('fitting CDNOW recovers the published estimates', () => {
  const data = cdnow();
  const bg = r.fitBgNbd(data);
  assert.equal(bg.params.model, 'bg_nbd');
  for (const [k, published] of [['r', 0.2426], ['alpha', 4.4136], ['a', 0.7929], ['b', 2.4259]]) {
    close(bg.params[k], v.bgNbdFit[k], `BG/NBD ${k}`, 1e-5);
    assert.ok(Math.abs(bg.params[k] - published) <= 3e-4, `published ${k}: ${bg.params[k]}`);
  }
  close(bg.logLikelihood, v.bgNbdFit.logLikelihood, 'BG/NBD log-likelihood', 1e-9);
  assert.ok(Math.abs(bg.logLikelihood - -9582.43) < 0.01);
  assert.deepEqual(bg.parameterNames, ['r', 'alpha', 'a', 'b']);
  assert.equal(bg.standardErrors.length, 4);
  assert.equal(bg.covariance.length, 16);
  assert.ok(bg.standardErrors.every((se) => se > 0) && bg.rows === 2357 && bg.totalWeight === 2357);
  assert.equal(typeof bg.method, 'string');
  // The fit's params feed the predictions directly.
  assert.equal(r.probabilityAlive(bg.params, v.customer).toFixed(3), '0.727');

  const pareto = r.fitParetoNbd(data);
  for (const k of ['r', 'alpha', 's', 'beta']) close(pareto.params[k], v.paretoNbdFit[k], `Pareto/NBD ${k}`, 1e-5);
  close(pareto.logLikelihood, v.paretoNbdFit.logLikelihood, 'Pareto/NBD log-likelihood', 1e-9);
});

test('model input from an event log, and a Gamma-Gamma fit on it', () => {
  const s = vectors.sample;
  const m = vectors.metrics.modelInput;
  const log = r.sampleLog({ seed: s.seed, customers: s.customers });
  const input = r.modelInput(log, { observationEnd: s.asOf, unit: 'week' });
  assert.equal(input.customerId.length, m.customers);
  for (const k of ['frequency', 'recency', 'T', 'monetaryValue']) {
    assert.ok(input[k] instanceof Float64Array);
    m[k].forEach((x, i) => close(input[k][i], x, `${k} ${i}`));
  }
  const gg = r.fitGammaGamma(input);
  for (const k of ['p', 'q', 'gamma']) close(gg.params[k], vectors.metrics.gammaGammaFit[k], `Gamma-Gamma ${k}`, 1e-5);
  // BG/NBD on the same input, then P(alive) for every customer.
  const bg = r.fitBgNbd(input);
  const alive = r.probabilityAlive(bg.params, input);
  assert.equal(alive.length, input.customerId.length);
  assert.ok(alive.every((p) => p >= 0 && p <= 1));
  log.free();
});

test('model errors are RetentionErrors with codes', () => {
  const e = (f) => {
    try {
      f();
    } catch (err) {
      assert.ok(err instanceof r.RetentionError, String(err));
      return err;
    }
    assert.fail('no error');
  };
  assert.equal(e(() => r.probabilityAlive({ model: 'bg_nbd', r: -1, alpha: 1, a: 1, b: 1 }, v.customer)).code, 'invalid_parameter');
  assert.equal(e(() => r.probabilityAlive({ model: 'bg_nbd', r: 1, alpha: 1, a: 1, b: 1, c: 2 }, v.customer)).code, 'invalid_input');
  const wrong = e(() => r.probabilityAlive({ model: 'nope' }, v.customer));
  assert.deepEqual([wrong.code, wrong.field, wrong.value], ['unknown_code', 'transaction_model', 'nope']);
  assert.equal(e(() => r.probabilityAlive(v.bgNbd, { frequency: 2, recency: 40, T: 38 })).code, 'invalid_rows');
  const rows = e(() => r.probabilityAlive(v.bgNbd, { frequency: [1, 2, -1], recency: [1, 1, 1], T: [5, 5, 5] }));
  assert.equal(rows.code, 'invalid_rows');
  assert.equal(rows.row, 2);
  assert.equal(e(() => r.probabilityAlive(v.bgNbd, { frequency: [1, 2], recency: [1], T: [5, 5] })).code, 'length_mismatch');
  assert.equal(e(() => r.probabilityAlive(v.bgNbd, { frequency: 1, recency: 0, t: 3 })).field, 't');
  assert.equal(e(() => r.fitBgNbd({ frequency: [], recency: [], T: [] })).code, 'empty_input');
  const nc = e(() => r.fitBgNbd(cdnow(), { maxIterations: 0 }));
  assert.deepEqual([nc.code, nc.field], ['fit_not_converged', 'BG/NBD']);
  assert.equal(e(() => r.populationAverageSpend({ p: 1, q: 0.5, gamma: 1 })).code, 'invalid_parameter');
  assert.equal(e(() => r.predictiveClv(v.bgNbd, v.gammaGamma, { ...v.customer, monetaryValue: 1 }, { horizonMonths: 0 })).code, 'invalid_parameter');
});
