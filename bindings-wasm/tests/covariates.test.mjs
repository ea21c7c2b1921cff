// Models with covariates through the dashboard module (retention-wasm/dashboard): CLVTools'
// published Pareto/NBD values on its apparel data (retention-core/tests/fixtures/apparel_model_input.csv),
// BG/NBD without covariates against the plain fit, the summary table's shape, and bad input.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as r from 'retention-wasm/dashboard';

before(async () => {
  await r.init();
});

function apparel() {
  const lines = readFileSync(new URL('../../retention-core/tests/fixtures/apparel_model_input.csv', import.meta.url), 'utf8').trim().split('\n').slice(1);
  const n = lines.length;
  const cols = { frequency: new Float64Array(n), recency: new Float64Array(n), T: new Float64Array(n), Gender: new Float64Array(n), Channel: new Float64Array(n) };
  lines.forEach((line, i) => {
    const [, x, tx, t, g, c] = line.split(',').map(Number);
    cols.frequency[i] = x;
    cols.recency[i] = tx;
    cols.T[i] = t;
    cols.Gender[i] = g;
    cols.Channel[i] = c;
  });
  return cols;
}

test('Pareto/NBD with Gender and Channel matches CLVTools', () => {
  const both = ['Gender', 'Channel'];
  const out = r.fitCovariates('pareto_nbd', apparel(), { trans: both, life: both });
  assert.deepEqual(out.name, ['r', 'alpha', 's', 'beta', 'life.Gender', 'life.Channel', 'trans.Gender', 'trans.Channel']);
  assert.ok(Math.abs(out.logLikelihood - -5821.0627) < 1e-4, String(out.logLikelihood));
  const published = [1.8387, 92.9435, 0.5913, 49.505, -0.6428, 0.7902, 0.286, 0.6239];
  const se = [0.3457, 16.9749, 0.2603, 36.1445, 0.2956, 0.3058, 0.1041, 0.1049];
  published.forEach((want, i) => {
    // life.Gender: flat likelihood, CLVTools stopped 0.003 SE away (see the Rust test).
    const rel = out.name[i] === 'life.Gender' ? 2e-3 : 1e-3;
    assert.ok(Math.abs(out.estimate[i] / want - 1) < rel, `${out.name[i]}: ${out.estimate[i]}`);
    assert.ok(Math.abs(out.stdError[i] / se[i] - 1) < 1e-2, `se ${out.name[i]}: ${out.stdError[i]}`);
    assert.ok(out.lower[i] < out.estimate[i] && out.estimate[i] < out.upper[i]);
  });
  assert.ok(Math.abs(out.aic - (2 * 8 - 2 * out.logLikelihood)) < 1e-9);
});

test('constrained and penalised fits', () => {
  const both = ['Gender', 'Channel'];
  const data = apparel();
  const c = r.fitCovariates('pareto_nbd', data, { trans: both, life: both, constrained: ['Gender'] });
  assert.ok(Math.abs(c.logLikelihood - -5826.5342) < 1e-4, String(c.logLikelihood));
  assert.equal(c.name.at(-1), 'constr.Gender');
  const p = r.fitCovariates('pareto_nbd', data, { trans: both, regLambdaTrans: 5 });
  assert.deepEqual(p.name, ['r', 'alpha', 's', 'beta', 'trans.Gender', 'trans.Channel']);
  // The penalty pulls the coefficients towards 0 and lowers the likelihood.
  assert.ok(p.logLikelihood < c.logLikelihood && Math.abs(p.estimate[4]) < 0.2860);
  // Gamma-Gamma is not a transaction model: the core's typed error.
  assert.throws(() => r.fitCovariates('gamma_gamma', data, { trans: both }), (e) => e.code === 'invalid_parameter' && e.field === 'model');
});

test('BG/NBD: without covariates the plain fit, with them a nested model at least as likely', () => {
  const data = apparel();
  const plain = r.fitBgNbd({ frequency: data.frequency, recency: data.recency, T: data.T });
  const none = r.fitCovariates('bg_nbd', data, {});
  assert.deepEqual(none.name, ['r', 'alpha', 'a', 'b']);
  assert.ok(Math.abs(none.logLikelihood - plain.logLikelihood) < 1e-6, `${none.logLikelihood} vs ${plain.logLikelihood}`);
  ['r', 'alpha', 'a', 'b'].forEach((k, i) => {
    assert.ok(Math.abs(none.estimate[i] / plain.params[k] - 1) < 1e-4, `${k}: ${none.estimate[i]} vs ${plain.params[k]}`);
  });
  const both = ['Gender', 'Channel'];
  const cov = r.fitCovariates('bg_nbd', data, { trans: both, life: both });
  assert.deepEqual(cov.name, ['r', 'alpha', 'a', 'b', 'life.Gender', 'life.Channel', 'trans.Gender', 'trans.Channel']);
  // Nested at zero coefficients: the maximum can only be higher.
  assert.ok(cov.logLikelihood >= plain.logLikelihood - 1e-6);
  assert.ok(Math.abs(cov.bic - (8 * Math.log(600) - 2 * cov.logLikelihood)) < 1e-9);
});

test('bad covariate input is a typed error', () => {
  const data = apparel();
  data.Gender[3] = NaN;
  assert.throws(() => r.fitCovariates('pareto_nbd', data, { trans: ['Gender'] }), (e) => {
    assert.equal(e.code, 'invalid_rows');
    assert.deepEqual([e.issues[0].row, e.issues[0].field, e.issues[0].value], [3, 'trans_covariates', 'Gender=NaN']);
    return true;
  });
  assert.throws(() => r.fitCovariates('pareto_nbd', apparel(), { life: ['Age'] }), (e) => e.field === 'Age');
  assert.throws(() => r.fitCovariates('nope', apparel(), {}), (e) => e.code === 'unknown_code');
  assert.throws(() => r.fitCovariates('pareto_nbd', { ...apparel(), one: new Float64Array(600).fill(1) }, { life: ['one'] }),
    (e) => e.code === 'singular_matrix');
});

test('GGompertz/NBD with Gender and Channel reaches the Pareto/NBD likelihood it nests', () => {
  const both = ['Gender', 'Channel'];
  const out = r.fitCovariates('ggom_nbd', apparel(), { trans: both, life: both });
  assert.deepEqual(out.name.slice(0, 5), ['r', 'alpha', 'b', 's', 'beta']);
  assert.equal(out.name.length, 9);
  // Pareto/NBD is its b → 0 limit, whose maximum CLVTools publishes (−5821.0627).
  assert.ok(out.logLikelihood >= -5821.0627 - 0.01, String(out.logLikelihood));
});

// Gamma-Gamma input from the sample shop: frequency and mean repeat spend per customer.
function spendData() {
  const log = r.sampleLog({ seed: 11, customers: 1500 });
  const input = r.modelInput(log, { observationEnd: r.sampleAsOf(), unit: 'week' });
  log.free();
  const n = input.frequency.length;
  // A covariate unrelated to spend: every other customer.
  const z = Float64Array.from({ length: n }, (_, i) => i % 2);
  return { frequency: input.frequency, monetaryValue: input.monetaryValue, z };
}

test('Gamma-Gamma with covariates: none is the plain fit; scaling a group\'s spend shifts its coefficient by the log', () => {
  const data = spendData();
  const plain = r.fitGammaGamma({ frequency: data.frequency, monetaryValue: data.monetaryValue });
  const none = r.fitGammaGammaCovariates(data, {});
  assert.deepEqual(none.name, ['p', 'q', 'gamma']);
  assert.ok(Math.abs(none.logLikelihood - plain.logLikelihood) < 1e-6, `${none.logLikelihood} vs ${plain.logLikelihood}`);
  ['p', 'q', 'gamma'].forEach((k, i) => assert.ok(Math.abs(none.estimate[i] / plain.params[k] - 1) < 1e-4, k));

  const fit = r.fitGammaGammaCovariates(data, { spend: ['z'] });
  assert.deepEqual(fit.name, ['p', 'q', 'gamma', 'spend.z']);
  // γᵢ = γ·exp(c·zᵢ) is a scale of customer i's spend: multiplying the spend of the z = 1 group by 2
  // moves the maximum to c + ln 2 with p, q, γ unchanged; the log-likelihood of the mean spend m̄
  // drops by the Jacobian, ln 2 for each repeat buyer of that group.
  const scaled = { ...data, monetaryValue: data.monetaryValue.map((m, i) => (data.z[i] === 1 ? 2 * m : m)) };
  const moved = r.fitGammaGammaCovariates(scaled, { spend: ['z'] });
  assert.ok(Math.abs(moved.estimate[3] - (fit.estimate[3] + Math.LN2)) < 1e-4, `${moved.estimate[3]} vs ${fit.estimate[3]} + ln 2`);
  for (let k = 0; k < 3; k++) assert.ok(Math.abs(moved.estimate[k] / fit.estimate[k] - 1) < 1e-4, fit.name[k]);
  let jacobian = 0;
  data.frequency.forEach((x, i) => { if (x > 0 && data.z[i] === 1) jacobian += Math.LN2; });
  assert.ok(Math.abs(moved.logLikelihood - (fit.logLikelihood - jacobian)) < 1e-6, `${moved.logLikelihood} vs ${fit.logLikelihood - jacobian}`);
  // A penalty pulls the coefficient towards 0.
  const pen = r.fitGammaGammaCovariates(scaled, { spend: ['z'], regLambda: 1 });
  assert.ok(Math.abs(pen.estimate[3]) < Math.abs(moved.estimate[3]));
  assert.throws(() => r.fitGammaGammaCovariates(data, { spend: ['nope'] }), (e) => e.code === 'invalid_input' && e.field === 'nope');
  assert.throws(() => r.fitGammaGammaCovariates(data, { spend: ['z'], level: 1.5 }), (e) => e.code === 'invalid_parameter');
  assert.throws(() => r.fitGammaGammaCovariates(data, { spend: ['z'], what: 1 }), (e) => e.code === 'invalid_input');
});
