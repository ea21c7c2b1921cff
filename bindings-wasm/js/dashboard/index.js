// retention-wasm/dashboard: the entry point of the merchant-dashboard module.
//
// The dashboard .wasm (pkg/dashboard/, the retention-wasm crate built with
// its `dashboard` feature) holds every storefront export plus the analytics
// too large for the storefront module's budget. This entry:
// - re-exports the storefront wrapper (../index.js) unchanged: each function
//   is wrapped once, there;
// - makes its init() load this directory's .wasm instead of the storefront
//   one (a page loads one module: importing this entry anywhere in an app,
//   before init(), selects the dashboard module for both entries);
// - adds the dashboard functions, built on the storefront wrapper's shared
//   argument and result helpers (`_internal`, not part of the API).
import load, * as glue from './retention_wasm.js';
import { _internal as h } from '../index.js';

export * from '../index.js';

const NAME = 'retention-wasm/dashboard';

h.useModule({
  raw: glue,
  load,
  file: () => new URL('./retention_wasm_bg.wasm', import.meta.url),
  name: NAME,
});

const wasm = () => h.exported(NAME);

// ---------------------------------------------------------------------------
// Buy-till-you-die models with covariates (src/dashboard/covariates.rs).

/**
 * Fits Pareto/NBD, BG/NBD or GGompertz/NBD (`kind`: 'pareto_nbd', 'bg_nbd', 'ggom_nbd') with
 * time-invariant covariates (CLVTools' parameterisation). `data` holds frequency / recency / T (and
 * weights) and the covariate columns named in `options.trans` / `options.life`. Returns the
 * parameter summary table (name, estimate, stdError, lower, upper) with logLikelihood, aic and bic.
 */
export function fitCovariates(kind, data, options) {
  if (!h.isObject(data)) throw h.invalid('data', 'expected { frequency, recency, T, ...covariate columns }');
  const { frequency, recency, T, weights: w } = data;
  const { cols, weights } = h.fitColumns({ frequency, recency, T, weights: w }, ['frequency', 'recency', 'T']);
  const o = h.isObject(options) ? options : {};
  const [names, values] = covariateColumns(data, [...(o.trans ?? []), ...(o.life ?? [])], cols.frequency.length);
  return h.table(h.call(() => wasm().fitCovariateModel(kind, cols.frequency, cols.recency, cols.T, names, values,
    weights, h.json(options))));
}

/**
 * Fits Gamma-Gamma with covariates in the spend process (customer i's scale γ·exp(spend·zᵢ)). `data`
 * holds frequency / monetaryValue (and weights) and the covariate columns named in `options.spend`.
 * Returns the parameter summary table (p, q, gamma, spend.X) with logLikelihood, aic and bic.
 */
export function fitGammaGammaCovariates(data, options) {
  if (!h.isObject(data)) throw h.invalid('data', 'expected { frequency, monetaryValue, ...covariate columns }');
  const { frequency, monetaryValue, weights: w } = data;
  const { cols, weights } = h.fitColumns({ frequency, monetaryValue, weights: w }, ['frequency', 'monetaryValue']);
  const o = h.isObject(options) ? options : {};
  const [names, values] = covariateColumns(data, o.spend ?? [], cols.frequency.length);
  return h.table(h.call(() => wasm().fitGammaGammaCovariates(cols.frequency, cols.monetaryValue, names, values,
    weights, h.json(options))));
}

// The distinct named columns of `data`, packed one after another (n values each).
function covariateColumns(data, wanted, n) {
  const names = [...new Set(wanted)];
  const values = new Float64Array(names.length * n);
  names.forEach((name, k) => {
    const col = h.floats(data[name] ?? null, name);
    if (col.length !== n) throw h.invalid(name, `expected ${n} values, got ${col.length}`);
    values.set(col, k * n);
  });
  return [names, values];
}

// ---------------------------------------------------------------------------
// Holdout evaluation (src/dashboard/evaluation.rs).

/**
 * Customers by number of repeat purchases in the calibration period (0, 1, …, maxFrequency − 1 and
 * an open last bucket), observed against the model's expectation Σ P(X(T) = n) at each customer's
 * age: `{ frequency, open, actual, expected }`.
 */
export function periodTransactions(model, data, options) {
  const m = h.modelArg(model);
  const { cols, weights } = h.fitColumns(data, ['frequency', 'recency', 'T']);
  return h.table(h.call(() => wasm().periodTransactions(m, cols.frequency, cols.recency, cols.T, weights,
    h.json(options))));
}

// ---------------------------------------------------------------------------
// Contractual retention models: sBG and BdW (src/dashboard/contractual.rs).

// Survivor counts (an array of cohorts, or { label: counts }) as the export
// takes them: each cohort's length, all counts in one column, the labels.
function survivorColumns(survivors) {
  let labels;
  let cohorts;
  if (Array.isArray(survivors)) {
    cohorts = survivors;
  } else if (h.isObject(survivors)) {
    labels = Object.keys(survivors);
    cohorts = labels.map((k) => survivors[k]);
  } else {
    throw h.invalid('survivors', 'expected an array of cohorts (arrays of survivor counts) or { label: counts }');
  }
  const cols = cohorts.map((c, i) => h.floats(c, `survivors[${i}]`));
  const lengths = Uint32Array.from(cols, (c) => c.length);
  const counts = new Float64Array(cols.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of cols) {
    counts.set(c, at);
    at += c.length;
  }
  return [lengths, counts, labels];
}

/**
 * Fits the sBG or the BdW by maximum likelihood to survivor counts (`survivors`: one array of
 * counts per cohort, from age 0, or `{ label: counts }`). `options`: `model` ('sbg' | 'bdw'),
 * `pooling` ('pooled' | 'per_cohort') and the fit options. Returns an array of fits (one when pooled).
 */
export function fitContractual(survivors, options) {
  const [lengths, counts, labels] = survivorColumns(survivors);
  const { model, pooling, ...rest } = h.isObject(options) ? options : {};
  return h.result(() => wasm().fitContractual(lengths, counts, labels, model, pooling, h.json(rest)));
}

/**
 * The predictive cohort matrix: observed cells kept (Wilson intervals), immature ones projected
 * by the fitted model with prediction intervals, `projected` marking them.
 */
export function predictiveCohortMatrix(survivors, options) {
  const [lengths, counts, labels] = survivorColumns(survivors);
  return h.result(() => wasm().predictiveCohortMatrix(lengths, counts, labels, h.json(options)));
}

/**
 * The predictive cohort matrix straight from an event log: `options.asOf` (required),
 * `options.survivors` ({ period, utcOffsetSeconds, qualifying, maxAge }, the core's
 * SurvivorOptions) and the matrix options.
 */
export function predictiveCohortMatrixFromLog(log, options) {
  const l = h.rawOf(log);
  const [ms, rest] = h.splitAsOf(options);
  const { survivors, ...matrix } = rest;
  return h.result(() => wasm().predictiveCohortMatrixFromLog(l, ms, h.json(survivors, 'survivors'), h.json(matrix)));
}

/**
 * Every prediction of a fitted sBG or BdW (`model`: a fit of fitContractual, or its `params`
 * { model, alpha, beta, c }) over `options.ages` ages (default 36): `{ params, discountRate,
 * margin, expectedLifetime (null when infinite), discountedExpectedLifetime, age, survival,
 * retentionRate, churnProbability, discountedExpectedResidualLifetime, residualValue }`, the
 * per-age arrays indexed by age (DERL and residual value of a subscriber after that many renewals;
 * retention rate and churn null at age 0). `options`: `ages`, `discountRate` (default 0.10 per
 * period), `margin` (per period, default 1).
 */
export function predictContractual(model, options) {
  const params = h.isObject(model) && h.isObject(model.params) ? model.params : model;
  if (!h.isObject(params)) throw h.invalid('model', 'expected a fit of fitContractual or its params { model, alpha, beta, c }');
  return h.result(() => wasm().predictContractual(h.json(params, 'params'), h.json(options)));
}

/**
 * One customer's P(alive) at ages 0, 1, … periods (`options.unit`: day by default, in the model's
 * time unit) since the period of her first order, given her order instants (Dates, ms or ISO text):
 * lifetimes' calculate_alive_path. A Float64Array of max(periods, span) + 1 values.
 */
export function alivePath(model, orders, periods, options) {
  const m = h.modelArg(model);
  if (!Array.isArray(orders)) throw h.invalid('orders', 'expected an array of order instants');
  const ms = Float64Array.from(orders, (t) => h.instant(t, 'orders'));
  const n = h.countArg(periods, 'periods');
  return h.call(() => wasm().alivePath(m, ms, n, h.json(options)));
}

/**
 * The density of a mixing distribution of the model (`process`: 'purchase' or 'dropout') on `points`
 * values from 0 to its 99th percentile, with its mean and variance (lifetimes' rate-heterogeneity
 * plots): `{ distribution, mean, variance, upper, x, density }`.
 */
export function heterogeneity(model, process, points) {
  const m = h.modelArg(model);
  if (typeof process !== 'string') throw h.invalid('process', 'expected "purchase" or "dropout"');
  const n = h.countArg(points, 'points');
  return h.result(() => wasm().heterogeneity(m, process, n));
}

// ---------------------------------------------------------------------------
// Holdout evaluation of a transaction model (src/dashboard/holdout.rs).

/** Actual and expected repeat transactions per period of a log's orders, cumulative and incremental. */
export function trackingSeries(model, log, periods, options) {
  const m = h.modelArg(model);
  const l = h.rawOf(log);
  const n = h.countArg(periods, 'periods');
  return h.table(h.call(() => wasm().trackingSeries(m, l, n, h.json(options))));
}

// { frequencyCal, recencyCal, TCal, frequencyHoldout, durationHoldout } as columns and a number.
function holdoutSplit(split) {
  if (!h.isObject(split) || typeof split.durationHoldout !== 'number') {
    throw h.invalid('split', 'expected { frequencyCal, recencyCal, TCal, frequencyHoldout } columns and a number durationHoldout');
  }
  const fields = ['frequencyCal', 'recencyCal', 'TCal', 'frequencyHoldout'];
  h.onlyKeysOf(split, [...fields, 'durationHoldout']);
  return [...fields.map((f) => h.floats(split[f], f)), split.durationHoldout];
}

/** Mean actual against expected holdout purchases by calibration frequency (or recency, age, time since the last purchase). */
export function conditionalHoldoutTable(model, split, options) {
  const m = h.modelArg(model);
  const cols = holdoutSplit(split);
  return h.table(h.call(() => wasm().conditionalHoldoutTable(m, ...cols, h.json(options))));
}

/** Customer-level accuracy of the holdout predictions: MAE, RMSE, correlation and the totals. */
export function holdoutMetrics(model, split) {
  const m = h.modelArg(model);
  const cols = holdoutSplit(split);
  return h.result(() => wasm().holdoutMetrics(m, ...cols));
}

/** Mean absolute percentage error of a cumulative tracking series (rows with actual > 0). */
export function trackingMape(actualCumulative, expectedCumulative) {
  const a = h.floats(actualCumulative, 'actualCumulative');
  const e = h.floats(expectedCumulative, 'expectedCumulative');
  return h.call(() => wasm().trackingMape(a, e));
}

// ---------------------------------------------------------------------------
// Cohort retention and properties (src/dashboard/cohorts.rs).

/**
 * Sets customer properties on `log` (in place; returns it): `data` holds the customer ids under
 * `options.customer` (default 'customer') and one array of values per property key, e.g.
 * `{ customer: [1, 2], country: ['DE', 'FR'] }`. Values are text (whole numbers as their decimal
 * text; null or undefined: no value).
 */
export function setCustomerProperties(log, data, options = {}) {
  if (!h.isObject(data)) throw h.invalid('data', 'expected { customer: [ids], key: [values], ... }');
  const idKey = h.isObject(options) && options.customer !== undefined ? options.customer : 'customer';
  const l = h.rawOf(log);
  const ids = h.cellsOf(data[idKey], idKey);
  for (const key of Object.keys(data)) {
    if (key === idKey) continue;
    const v = h.cellsOf(data[key], key);
    h.call(() => wasm().setCustomerProperty(l, key, ids.tags, ids.numbers, ids.codes, ids.dictionary,
      v.tags, v.numbers, v.codes, v.dictionary));
  }
  return log;
}

/**
 * Sets event properties on `log` (in place; returns it): one array per key with a value per input
 * row (the events or columns the log was built from, in their order), e.g. `{ channel: [...] }`.
 */
export function setEventProperties(log, data) {
  if (!h.isObject(data)) throw h.invalid('data', 'expected { key: [values], ... }');
  const l = h.rawOf(log);
  for (const key of Object.keys(data)) {
    const v = h.cellsOf(data[key], key);
    h.call(() => wasm().setEventProperty(l, key, v.tags, v.numbers, v.codes, v.dictionary));
  }
  return log;
}

/**
 * Cohort retention (`options.asOf` required): start and return events, first-time or recurring,
 * calendar ages or rolling windows (`rollingDays`), brackets (`[{ first, last }]`), a breakdown by a
 * customer property or a property of the first order, mean rows, revenue retention and Wilson
 * intervals. Returns `{ breakdown, columns, level, unstarted, cells, means }`.
 */
export function cohortRetention(log, options) {
  const l = h.rawOf(log);
  const [asOf, rest] = h.splitAsOf(options);
  return h.result(() => wasm().cohortRetention(l, asOf, h.json(rest)));
}

// Lifecycle per period and stickiness (src/dashboard/lifecycle.rs).

// [start, end, rest] of { start, end, ...options }.
function startEnd(options) {
  const [start, rest] = h.splitAsOf(options, 'start');
  const [end, more] = h.splitAsOf(rest, 'end');
  return [start, end, more];
}

/**
 * New, returning, resurrecting and dormant customers for every period from the one containing
 * `options.start` to the one containing `options.end` (PostHog's lifecycle); `options.period` (default
 * 'month'; 'week_sun' etc. for other week starts) and `options.timeZone` (an IANA name such as
 * 'America/New_York') or `options.utcOffsetSeconds`.
 */
export function lifecycleCounts(log, options) {
  const l = h.rawOf(log);
  const [start, end, rest] = startEnd(options);
  return h.table(h.call(() => wasm().lifecycleCounts(l, start, end, h.json(rest))));
}

/**
 * Stickiness over the periods from the one containing `options.start` to the one containing
 * `options.end` (default period 'month'): customers by number of active periods, the mean active
 * customers per period and their ratio to the customers active in the range (DAU/MAU-style).
 */
export function stickiness(log, options) {
  const l = h.rawOf(log);
  const [start, end, rest] = startEnd(options);
  return h.result(() => wasm().stickiness(l, start, end, h.json(rest)));
}

// Churn survival (src/api.rs, dashboard feature: analytics, not needed by a storefront page).

/** Kaplan–Meier curve of the customers' time to churn (days since their start of life), with bounds,
 * life-table counts, the median and its bounds. */
export function churnSurvival(log, options) {
  return h.perCustomer('churnSurvival', log, options);
}
