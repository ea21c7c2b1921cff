// retention-wasm: the hand-written ESM entry point of the npm package.
//
// It wraps the wasm-bindgen output (retention_wasm.js, --target web) with:
// - init(): loads the .wasm (fetch in browsers, the file system in node);
// - EventLog.fromEvents / EventLog.fromColumns: plain objects or typed arrays
//   converted to the core's cell layouts (no checks here: the core reads
//   every cell and reports every bad one at once, as in every door);
// - instants as Date, milliseconds since the epoch, or ISO 8601 strings;
// - results: the core's own result structs, keys turned into camelCase by one
//   generic rule (camelKeys), instants as RFC 3339 UTC strings; per-row
//   results are the core's tables, expanded by one generic rule (table,
//   in results.js with the key-case rule);
// - RetentionError: every failure is one of these, with code, field, row,
//   value and issues.
//
// It is also the shared wrapper of the merchant-dashboard module
// (retention-wasm/dashboard, js/dashboard/index.js), which re-exports
// everything here, adds its own functions with the helpers of `_internal`
// and, on import, makes init() load its module instead of this one (a
// superset of it: a page loads one .wasm, whichever entries it imports).
import wasmInit, * as storefront from './retention_wasm.js';
import { camelKeys, table } from './results.js';

/** Error thrown by every function of the package. */
export class RetentionError extends Error {
  constructor(code, message, { field = null, row = null, value = null, issues = [] } = {}) {
    super(message);
    this.name = 'RetentionError';
    this.code = code;
    this.field = field;
    this.row = row;
    this.value = value;
    this.issues = issues;
  }
}

// Errors created on the wasm side are plain Errors named "RetentionError"
// carrying the same fields; give them the class's prototype.
function adopt(e) {
  if (e instanceof Error && e.name === 'RetentionError' && !(e instanceof RetentionError)) {
    Object.setPrototypeOf(e, RetentionError.prototype);
  }
  return e;
}

function call(f) {
  try {
    return f();
  } catch (e) {
    throw adopt(e);
  }
}

function invalid(field, message) {
  return new RetentionError('invalid_input', `invalid \`${field}\`: ${message}`, { field });
}

let ready = null;
let initialized = false;

// The wasm module init() loads: its wasm-bindgen output, init function, the
// .wasm file's URL (read from the file system in node) and its name.
let glue = {
  raw: storefront,
  load: wasmInit,
  file: () => new URL('./retention_wasm_bg.wasm', import.meta.url),
  name: 'retention-wasm',
};
let raw = null;

// Selects the dashboard module (called when retention-wasm/dashboard is
// imported). After init() it is too late: that module's functions then
// throw `not_initialized` (see `exported`).
function useModule(module) {
  if (!initialized && !ready) glue = module;
}

/**
 * Loads the WebAssembly module. Call (and await) once before anything else.
 * `input` is optional: a URL, Response, BufferSource or WebAssembly.Module.
 */
export async function init(input) {
  if (initialized) return;
  if (!ready) {
    ready = (async () => {
      let source = input;
      if (source === undefined && typeof process !== 'undefined' && process.versions?.node
          && typeof window === 'undefined') {
        const fs = await import(/* webpackIgnore: true */ 'node:fs/promises');
        source = await fs.readFile(glue.file());
      }
      await glue.load(source === undefined ? undefined : { module_or_path: source });
      raw = glue.raw;
      initialized = true;
    })();
    ready.catch(() => { ready = null; });
  }
  return ready;
}

/** Synchronous initialisation from the module's bytes or a compiled module. */
export function initSync(module) {
  if (initialized) return;
  glue.raw.initSync({ module });
  raw = glue.raw;
  initialized = true;
}

function wasm() {
  if (!initialized) {
    throw new RetentionError('not_initialized', 'call `await init()` before using retention-wasm');
  }
  return raw;
}

// The loaded module, checked to be `name`'s (a dashboard function called
// after init() loaded the storefront module fails here, not in wasm-bindgen).
function exported(name) {
  const w = wasm();
  if (glue.name !== name) {
    throw new RetentionError('not_initialized',
      `init() loaded the ${glue.name} module; import '${name}' before calling init() to use its functions`);
  }
  return w;
}

/** Package version. */
export function version() {
  return wasm().version();
}

let vocabularies = null;

/** Every vocabulary of codes, `{ name: [code, …] }` (e.g. `retention_mode`): the
 * codes options take and results are spelled with, the same in every language. */
export function vocabulary() {
  if (vocabularies === null) {
    vocabularies = Object.freeze(Object.fromEntries(
      wasm().vocabulary().map(([name, codes]) => [name, Object.freeze(codes)])));
  }
  return vocabularies;
}

// Calls a wasm export that returns a core result and applies the key-case rule.
function result(f) {
  return camelKeys(call(f));
}

// Calls a wasm export (log, instant, options) that returns a core table.
function perCustomer(name, log, options, at = 'asOf') {
  const l = rawOf(log);
  const [ms, rest] = splitAsOf(options, at);
  return table(call(() => wasm()[name](l, ms, json(rest))));
}

/** The default of every option, as the core defines it (an option left out means this value). */
export function defaults() {
  return result(() => wasm().defaults());
}

export const EVENT_TYPES = Object.freeze([
  'signup', 'order', 'refund', 'session', 'email_open', 'email_click',
  'support_ticket', 'survey', 'referral', 'subscription', 'points_earned', 'points_redeemed',
]);

/** Milliseconds since the epoch from a Date, a number or ISO 8601 text (the
 * core's rule: a date-time without an offset is UTC); NaN if none. */
function toMillis(x) {
  if (typeof x === 'number') return x;
  if (x instanceof Date) return x.getTime();
  if (typeof x === 'string') return wasm().parseInstant(x);
  return NaN;
}

function instant(x, field) {
  const ms = toMillis(x);
  if (!Number.isFinite(ms)) {
    throw invalid(field, `${describe(x)} is not a Date, a number of milliseconds or an ISO 8601 date or date-time`);
  }
  return ms;
}

function describe(x) {
  try {
    return String(x);
  } catch {
    return typeof x;
  }
}

function isTypedArray(x) {
  return ArrayBuffer.isView(x) && !(x instanceof DataView);
}

function isObject(x) {
  return x !== null && typeof x === 'object';
}

// The input keys, in the core's column order (customer_id, timestamp, event,
// amount, items, score, detail, resolved): a key's index is its slot.
const FIELDS = ['customer', 'timestamp', 'type', 'amount', 'items', 'score', 'detail', 'resolved'];
const TIMESTAMP = 1;
const NO_CODE = 0xffffffff;
// Cell tags: the index of each kind in the core's `cell_kind` vocabulary.
let TAG = null;

function tags() {
  if (TAG === null) TAG = Object.fromEntries(vocabulary().cell_kind.map((k, i) => [k, i]));
  return TAG;
}

// One column's cells as the core's mixed layout: a type conversion only
// (JS type to cell kind; a Date's time value as a number in the timestamp
// column); which cells are valid is decided by the core.
class CellColumn {
  // Buffers are allocated at the first present cell: most event objects
  // leave most fields out.
  constructor(n, dates) {
    this.n = n;
    this.dates = dates;
    this.used = false;
  }

  alloc() {
    this.used = true;
    this.textTag = tags().text;
    this.tags = new Uint8Array(this.n);
    this.numbers = new Float64Array(this.n).fill(NaN);
    this.codes = new Uint32Array(this.n).fill(NO_CODE);
    // Which kinds of cells occur (numbers only, text only: simpler layouts).
    this.onlyNumbers = true;
    this.onlyText = true;
    this.dictionary = [];
    this.index = new Map();
  }

  text(i, tag, s) {
    // Runs of one text (a customer's id, an event name) skip the map.
    let k = s === this.last ? this.lastCode : this.index.get(s);
    if (k === undefined) {
      k = this.dictionary.length;
      this.dictionary.push(s);
      this.index.set(s, k);
    }
    this.last = s;
    this.lastCode = k;
    this.tags[i] = tag;
    this.codes[i] = k;
    this.onlyNumbers = false;
    if (tag !== this.textTag) this.onlyText = false;
  }

  put(i, v, T) {
    if (v === undefined || v === null) return;
    if (!this.used) this.alloc();
    if (typeof v === 'number') {
      this.tags[i] = T.number;
      this.numbers[i] = v;
      this.onlyText = false;
      // A NaN number is a bad cell, not a missing one.
      if (v !== v) this.onlyNumbers = false;
    } else if (typeof v === 'string') this.text(i, T.text, v);
    else if (this.dates && v instanceof Date) {
      this.tags[i] = T.number;
      this.numbers[i] = v.getTime();
      this.onlyText = false;
      if (this.numbers[i] !== this.numbers[i]) this.onlyNumbers = false;
    } else {
      if (v === true) this.tags[i] = T.true;
      else if (v === false) this.tags[i] = T.false;
      else this.text(i, T.other, describe(v));
      this.onlyNumbers = false;
      this.onlyText = false;
    }
  }
}

// One array's cells in the mixed layout, for the dashboard's property
// columns (a type conversion only; the core reads the cells).
function cellsOf(values, field) {
  if (!Array.isArray(values)) throw invalid(field, 'expected an array of values');
  const c = new CellColumn(values.length, false);
  c.alloc();
  const T = tags();
  values.forEach((v, i) => c.put(i, v, T));
  return c;
}

function cellColumns(n, dates) {
  return FIELDS.map((_, k) => new CellColumn(n, dates && k === TIMESTAMP));
}

// Hands the columns to the wasm side; unused optional columns are left out.
function rawColumns(w, columns) {
  const out = new w.RawColumns();
  columns.forEach((c, slot) => {
    if (c === null || (slot > TIMESTAMP && c instanceof CellColumn && !c.used)) return;
    if (c instanceof CellColumn && !c.used) c.alloc();
    if (!(c instanceof CellColumn)) out.numbers(slot, c);
    else if (c.onlyNumbers) out.numbers(slot, c.numbers);
    else if (c.onlyText) out.coded(slot, c.codes, c.dictionary);
    else out.mixed(slot, c.tags, c.numbers, c.codes, c.dictionary);
  });
  return out;
}

let rawOf;

/** A validated, columnar event log held in wasm memory. */
export class EventLog {
  #raw;

  constructor(token, inner) {
    if (token !== EventLog) throw new TypeError('use EventLog.fromEvents or EventLog.fromColumns');
    this.#raw = inner;
  }

  static {
    rawOf = (log, field = 'log') => {
      if (!(log instanceof EventLog)) throw invalid(field, 'expected an EventLog');
      if (log.#raw === null) throw invalid(field, 'this EventLog was freed');
      return log.#raw;
    };
  }

  /** Builds a log from an array of event objects. */
  static fromEvents(events, options = {}) {
    const w = wasm();
    if (!Array.isArray(events)) throw invalid('events', 'expected an array of event objects');
    const n = events.length;
    const T = tags();
    const columns = cellColumns(n, true);
    const [c0, c1, c2, c3, c4, c5, c6, c7] = columns;
    for (let i = 0; i < n; i++) {
      const e = events[i];
      if (!isObject(e)) {
        throw new RetentionError('invalid_input', `invalid \`events\`: row ${i}: ${describe(e)} is not an event object`,
          { field: 'events', row: i, value: describe(e) });
      }
      c0.put(i, e.customer, T);
      c1.put(i, e.timestamp, T);
      c2.put(i, e.type, T);
      c3.put(i, e.amount, T);
      c4.put(i, e.items, T);
      c5.put(i, e.score, T);
      c6.put(i, e.detail, T);
      c7.put(i, e.resolved, T);
    }
    return EventLog.#build(w, columns, options);
  }

  /** Builds a log from columns (arrays or typed arrays of equal length). */
  static fromColumns(columns, options = {}) {
    const w = wasm();
    if (!isObject(columns)) throw invalid('columns', 'expected an object of columns');
    for (const key of Object.keys(columns)) {
      if (!FIELDS.includes(key)) throw invalid(key, `unknown column (expected ${FIELDS.join(', ')})`);
    }
    for (const f of FIELDS.slice(0, 2)) {
      if (columns[f] == null) throw invalid(f, `the ${f} column is required`);
    }
    const n = columns.customer.length;
    const T = tags();
    const out = FIELDS.map((f, k) => {
      const c = columns[f];
      if (c == null) return null;
      if (!(Array.isArray(c) || isTypedArray(c))) throw invalid(f, 'a column must be an array or a typed array');
      if (c instanceof BigInt64Array || c instanceof BigUint64Array || typeof c[0] === 'bigint') {
        throw invalid(f, 'BigInt columns are not supported; use numbers');
      }
      if (c.length !== n) {
        throw new RetentionError('length_mismatch', `column \`${f}\` has ${c.length} values but ${n} were expected`,
          { field: f, value: String(c.length) });
      }
      if (isTypedArray(c)) return c instanceof Float64Array ? c : Float64Array.from(c);
      const cells = new CellColumn(n, k === TIMESTAMP);
      for (let i = 0; i < n; i++) cells.put(i, c[i], T);
      return cells;
    });
    return EventLog.#build(w, out, options);
  }

  static #build(w, columns, options) {
    if (!isObject(options)) throw invalid('options', 'expected an options object');
    for (const key of Object.keys(options)) {
      if (key !== 'duplicates') throw invalid(key, 'unknown option (expected duplicates)');
    }
    const duplicates = options.duplicates;
    if (duplicates !== undefined && typeof duplicates !== 'string') throw invalid('duplicates', 'expected "keep", "drop" or "reject"');
    const raw = rawColumns(w, columns);
    try {
      return new EventLog(EventLog, call(() => raw.build(duplicates)));
    } finally {
      raw.free();
    }
  }

  /** Number of events. */
  get length() {
    return rawOf(this, 'this').length;
  }

  /** Distinct customer ids, sorted (numbers before strings). */
  customers() {
    return rawOf(this, 'this').customers();
  }

  /** Rows dropped as exact duplicates (with `duplicates: "drop"`). */
  get duplicatesDropped() {
    return rawOf(this, 'this').duplicatesDropped();
  }

  /** The events in log order (customer, then time). */
  toColumns() {
    return call(() => rawOf(this, 'this').toColumns());
  }

  /** Releases the wasm memory; the log is unusable afterwards. */
  free() {
    if (this.#raw !== null) {
      this.#raw.free();
      this.#raw = null;
    }
  }
}

function splitAsOf(options, name = 'asOf') {
  if (!isObject(options)) throw invalid('options', `expected an options object with \`${name}\``);
  const { [name]: at, ...rest } = options;
  return [instant(at, name), rest];
}

// The key-case rule: JS spells keys in camelCase, the core in snake_case.
const snake = (key) => key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

// Options cross as JSON text with snake_case keys, so that the wasm side
// reads the core's option structs directly and rejects unknown keys.
// Non-finite numbers become strings there and are rejected as such.
function json(o, field = 'options') {
  if (o === undefined || o === null) return undefined;
  if (!isObject(o) || Array.isArray(o)) throw invalid(field, 'expected an options object');
  try {
    return JSON.stringify(o, function (k, v) {
      if (typeof v === 'number' && !Number.isFinite(v)) return String(v);
      if (typeof v === 'bigint') return `${v}n`;
      if (isObject(v) && !Array.isArray(v) && !(v instanceof Date)) {
        const out = {};
        for (const key of Object.keys(v)) out[snake(key)] = v[key];
        return out;
      }
      return v;
    });
  } catch (e) {
    throw invalid(field, `cannot be read as plain data (${e.message})`);
  }
}

function customerArg(customer) {
  if (typeof customer === 'string' || (typeof customer === 'number' && Number.isSafeInteger(customer))) return customer;
  throw invalid('customer', 'a customer id must be a safe integer or a string');
}

/** Per-customer summaries as columns. */
export function summaries(log) {
  const l = rawOf(log);
  return table(call(() => wasm().summaries(l)));
}

/** RFM values, scores (1..bins, 0 = no orders), segments, thresholds and segment sizes. */
export function rfm(log, options) {
  return perCustomer('rfm', log, options);
}

/** The default RFM segment table. */
export function defaultSegments() {
  return result(() => wasm().defaultSegments());
}

/** Lifecycle stage of every customer. */
export function lifecycleStages(log, options) {
  return perCustomer('lifecycleStages', log, options);
}

/** Health-score churn risk and traffic light of every customer, with the counts per colour. */
export function trafficLights(log, options) {
  return perCustomer('trafficLights', log, options);
}

/** The traffic light for one risk score in [0, 1]. */
export function trafficLight(risk, options) {
  if (typeof risk !== 'number') throw invalid('risk', 'must be a number in [0, 1]');
  return result(() => wasm().trafficLight(risk, json(options)));
}

/** The loyalty tier and progress a trailing spend (or points balance) gives. */
export function tierForValue(value, loyalty) {
  if (typeof value !== 'number') throw invalid('value', 'must be a number');
  return result(() => wasm().tierForValue(value, json(loyalty, 'loyalty')));
}

/** The programme's ways to earn and redeem and its tiers, for a storefront widget. */
export function loyaltyProgramme(loyalty) {
  return result(() => wasm().loyaltyProgramme(json(loyalty, 'loyalty')));
}

/** A customer's loyalty tier and progress at `asOf`. */
export function tierStatus(log, customer, options) {
  const l = rawOf(log);
  const id = customerArg(customer);
  const [asOf, rest] = splitAsOf(options);
  onlyKeys(rest, ['loyalty']);
  return result(() => wasm().tierStatus(l, id, asOf, json(rest.loyalty, 'loyalty')));
}

/** A customer's points ledger at `asOf`. */
export function pointsLedger(log, customer, options) {
  const l = rawOf(log);
  const id = customerArg(customer);
  const [asOf, rest] = splitAsOf(options);
  onlyKeys(rest, ['loyalty']);
  return result(() => wasm().pointsLedger(l, id, asOf, json(rest.loyalty, 'loyalty')));
}

/** One shopper's storefront view: tier, points, risk badge, lifecycle, RFM segment. */
export function shopperView(log, customer, options) {
  const l = rawOf(log);
  const id = customerArg(customer);
  const [asOf, rest] = splitAsOf(options);
  return result(() => wasm().shopperView(l, id, asOf, json(rest)));
}

function onlyKeys(o, keys) {
  for (const k of Object.keys(o)) {
    if (!keys.includes(k)) throw invalid(k, `unknown option (expected asOf, ${keys.join(', ')})`);
  }
}

/** Acquisition-cohort matrices (retention, churn, revenue, LTV); null cells are incomplete periods. */
export function cohorts(log, options) {
  const l = rawOf(log);
  const [asOf, rest] = splitAsOf(options);
  return result(() => wasm().cohorts(l, asOf, json(rest)));
}


/** The seeded sample shop as an event log. */
export function sampleLog(options = {}) {
  if (!isObject(options)) throw invalid('options', 'expected an options object');
  const o = { ...options };
  if (o.asOf !== undefined) o.asOf = instant(o.asOf, 'asOf');
  return new EventLog(EventLog, call(() => wasm().sampleLog(json(o))));
}

/** The sample shop's default `asOf` as a Date. */
export function sampleAsOf() {
  return new Date(wasm().sampleAsOf());
}

// ---------------------------------------------------------------------------
// Buy-till-you-die models.

const HISTORY_KEYS = ['customerId', 'frequency', 'recency', 'T', 'monetaryValue', 'weights'];

function modelArg(model) {
  if (!isObject(model) || typeof model.model !== 'string') {
    const models = vocabulary().transaction_model;
    throw invalid('model', `expected model parameters with \`model\` one of ${models.map((m) => `"${m}"`).join(', ')}`);
  }
  return json(model, 'model');
}

function spendArg(spend) {
  if (!isObject(spend)) throw invalid('spend', 'expected Gamma-Gamma parameters { p, q, gamma }');
  return json(spend, 'spend');
}

// A numeric column as a Float64Array (typed arrays pass through or are
// converted; arrays must hold numbers only).
function floats(x, field) {
  if (x instanceof Float64Array) return x;
  if (isTypedArray(x)) {
    if (x instanceof BigInt64Array || x instanceof BigUint64Array) throw invalid(field, 'BigInt columns are not supported; use numbers');
    return Float64Array.from(x);
  }
  if (!Array.isArray(x)) throw invalid(field, 'expected a number, an array of numbers or a typed array');
  const out = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) {
    const v = x[i];
    if (typeof v !== 'number') throw new RetentionError('invalid_input', `invalid \`${field}\`: value ${describe(v)} at index ${i} is not a number`, { field, row: i, value: describe(v) });
    out[i] = v;
  }
  return out;
}

// { frequency, recency, T[, monetaryValue, weights] }: all numbers (one
// customer) or all columns of equal length.
function historyArg(h, fields, what = 'history') {
  if (!isObject(h)) throw invalid(what, `expected an object with ${fields.join(', ')}`);
  for (const k of Object.keys(h)) {
    if (!HISTORY_KEYS.includes(k)) throw invalid(k, `unknown field (expected ${fields.join(', ')})`);
  }
  const single = typeof h[fields[0]] === 'number';
  const cols = {};
  for (const f of fields) {
    const v = h[f];
    if (v === undefined) throw invalid(f, 'is required');
    if (single) {
      if (typeof v !== 'number') throw invalid(f, 'expected a number, like the other fields');
      cols[f] = new Float64Array([v]);
    } else {
      if (typeof v === 'number') throw invalid(f, 'expected a column, like the other fields');
      cols[f] = floats(v, f);
    }
  }
  const n = cols[fields[0]].length;
  for (const f of fields) {
    if (cols[f].length !== n) {
      throw new RetentionError('length_mismatch', `column \`${f}\` has ${cols[f].length} values but ${n} were expected`,
        { field: f, value: String(cols[f].length) });
    }
  }
  return { single, cols };
}

function oneOrColumn(single, out) {
  return single ? out[0] : out;
}

/** P(alive) of one customer (numbers) or of every row (columns). */
export function probabilityAlive(model, history) {
  const m = modelArg(model);
  const { single, cols } = historyArg(history, ['frequency', 'recency', 'T']);
  const out = call(() => wasm().probabilityAlive(m, cols.frequency, cols.recency, cols.T, single));
  return oneOrColumn(single, out);
}

/** Expected repeat purchases of a new customer in (0, t], for one t or each of several. */
export function expectedPurchases(model, t) {
  const m = modelArg(model);
  const single = typeof t === 'number';
  const ts = single ? new Float64Array([t]) : floats(t, 't');
  return oneOrColumn(single, call(() => wasm().expectedPurchases(m, ts)));
}

/** Expected purchases in the next `t` time units of one customer or of every row. */
export function conditionalExpectedPurchases(model, t, history) {
  const m = modelArg(model);
  if (typeof t !== 'number') throw invalid('t', 'must be a number ≥ 0 (in the model\'s time unit)');
  const { single, cols } = historyArg(history, ['frequency', 'recency', 'T']);
  const out = call(() => wasm().conditionalExpectedPurchases(m, t, cols.frequency, cols.recency, cols.T, single));
  return oneOrColumn(single, out);
}

/** Gamma-Gamma conditional expected average spend per transaction. */
export function expectedAverageSpend(spend, history) {
  const s = spendArg(spend);
  const { single, cols } = historyArg(history, ['frequency', 'monetaryValue']);
  return oneOrColumn(single, call(() => wasm().expectedAverageSpend(s, cols.frequency, cols.monetaryValue)));
}

/** Gamma-Gamma population mean spend per transaction, pγ/(q − 1). */
export function populationAverageSpend(spend) {
  const s = spendArg(spend);
  return call(() => wasm().populationAverageSpend(s));
}

/** Predictive CLV (Gamma-Gamma spend × discounted expected purchases) of one customer or every row. */
export function predictiveClv(model, spend, history, options) {
  const m = modelArg(model);
  const s = spendArg(spend);
  const { single, cols } = historyArg(history, ['frequency', 'recency', 'T', 'monetaryValue']);
  const out = call(() => wasm().predictiveClv(m, s, cols.frequency, cols.recency, cols.T, cols.monetaryValue, json(options)));
  return oneOrColumn(single, out);
}

function fitColumns(data, fields) {
  const { single, cols } = historyArg(data, fields, 'data');
  if (single) throw invalid('data', 'fitting needs columns (one value per customer)');
  const weights = data.weights === undefined || data.weights === null ? undefined : floats(data.weights, 'weights');
  return { cols, weights };
}

function fitTransaction(kind, data, options) {
  const { cols, weights } = fitColumns(data, ['frequency', 'recency', 'T']);
  return result(() => wasm().fitTransactionModel(kind, cols.frequency, cols.recency, cols.T, weights, json(options)));
}

/** Fits BG/NBD by maximum likelihood on frequency / recency / T columns (e.g. from modelInput). */
export function fitBgNbd(data, options) {
  return fitTransaction('bg_nbd', data, options);
}

/** Fits MBG/NBD by maximum likelihood. */
export function fitMbgNbd(data, options) {
  return fitTransaction('mbg_nbd', data, options);
}

/** Fits Pareto/NBD by maximum likelihood. */
export function fitParetoNbd(data, options) {
  return fitTransaction('pareto_nbd', data, options);
}

/** Fits GGompertz/NBD (Bemmaor & Glady 2012) by maximum likelihood. */
export function fitGgomNbd(data, options) {
  return fitTransaction('ggom_nbd', data, options);
}

/** Fits Gamma-Gamma on frequency and mean repeat spend (rows with frequency ≥ 1 are used). */
export function fitGammaGamma(data, options) {
  const { cols, weights } = fitColumns(data, ['frequency', 'monetaryValue']);
  return result(() => wasm().fitGammaGamma(cols.frequency, cols.monetaryValue, weights, json(options)));
}

/** Frequency, recency, T and monetary value per customer of a log (the models' input). */
export function modelInput(log, options) {
  return perCustomer('modelInput', log, options, 'observationEnd');
}

function countArg(v, field) {
  if (!Number.isInteger(v) || v < 0 || v > 0xffffffff) throw invalid(field, 'must be a whole number ≥ 0');
  return v;
}

// ---------------------------------------------------------------------------
// Descriptive and survey metrics.

function countsArg(o, keys) {
  if (!isObject(o)) throw invalid('counts', `expected { ${keys.join(', ')} }`);
  onlyKeysOf(o, keys);
  return keys.map((k) => {
    if (typeof o[k] !== 'number') throw invalid(k, 'must be a whole number ≥ 0');
    return o[k];
  });
}

function onlyKeysOf(o, keys) {
  for (const k of Object.keys(o)) {
    if (!keys.includes(k)) throw invalid(k, `unknown field (expected ${keys.join(', ')})`);
  }
}

function windowArg(options, extra = []) {
  if (!isObject(options)) throw invalid('options', 'expected an options object with `start` and `end`');
  const { start, end, ...rest } = options;
  onlyKeysOf(rest, extra);
  return [instant(start, 'start'), instant(end, 'end'), rest];
}

/** Customer retention rate (E − N) / S from counts; null when S = 0. */
export function customerRetentionRate(counts) {
  const [start, end, n] = countsArg(counts, ['start', 'end', 'new']);
  return call(() => wasm().customerRetentionRate(start, end, n)) ?? null;
}

/** Churn rate lost / S from counts; null when S = 0. */
export function churnRate(counts) {
  const [lost, start] = countsArg(counts, ['lost', 'start']);
  return call(() => wasm().churnRate(lost, start)) ?? null;
}

/** Active customers at the start and end of [start, end), new, lost, retention and churn rates. */
export function periodActivity(log, options) {
  const l = rawOf(log);
  const [start, end, rest] = windowArg(options, ['windowDays', 'basis']);
  return result(() => wasm().periodActivity(l, start, end, json(rest)));
}

/** Orders in [start, end): repeat purchase rate, purchase frequency, average order value. */
export function orderStats(log, options) {
  const l = rawOf(log);
  const [start, end] = windowArg(options);
  return result(() => wasm().orderStats(l, start, end));
}

/** The MRR bridge of [start, end) from subscription events, with its ratios. */
export function mrrBridge(log, options) {
  const l = rawOf(log);
  const [start, end] = windowArg(options);
  return result(() => wasm().mrrBridge(l, start, end));
}

/** The MRR ratios of given bridge figures. */
export function mrrRatios(figures) {
  if (!isObject(figures)) throw invalid('figures', 'expected { starting, new, expansion, contraction, churned, reactivation, ending }');
  return result(() => wasm().mrrRatios(json(figures, 'figures')));
}

/** Net Promoter Score of 0–10 answers. */
export function nps(answers) {
  const a = floats(answers, 'answers');
  return result(() => wasm().nps(a));
}

/** CSAT of 1..scale answers (default scale 5, satisfied = top two boxes). */
export function csat(answers, options) {
  const a = floats(answers, 'answers');
  return result(() => wasm().csat(a, json(options)));
}

/** Customer effort score of 1..choices answers. */
export function ces(answers, options) {
  const a = floats(answers, 'answers');
  if (!isObject(options)) throw invalid('options', 'expected { choices }');
  onlyKeysOf(options, ['choices']);
  const { choices } = options;
  if (!(Number.isInteger(choices) && choices >= 0 && choices <= 4294967295)) throw invalid('choices', 'must be the number of answer options (a whole number)');
  return result(() => wasm().ces(a, choices));
}

/** Customer loyalty index: mean NPS of the recommend, repurchase and other-products questions. */
export function customerLoyaltyIndex(answers) {
  if (!isObject(answers)) throw invalid('answers', 'expected { recommend, repurchase, otherProducts }');
  onlyKeysOf(answers, ['recommend', 'repurchase', 'otherProducts']);
  const r = floats(answers.recommend ?? [], 'recommend');
  const p = floats(answers.repurchase ?? [], 'repurchase');
  const o = floats(answers.otherProducts ?? [], 'otherProducts');
  return call(() => wasm().customerLoyaltyIndex(r, p, o));
}

/** Survey answers of one kind given in [start, end), in log order. */
export function surveyAnswers(log, options) {
  const l = rawOf(log);
  const [start, end, rest] = windowArg(options, ['kind']);
  if (typeof rest.kind !== 'string') throw invalid('kind', 'expected a survey kind, e.g. "nps"');
  return call(() => wasm().surveyAnswers(l, rest.kind, start, end));
}

// --- predictions beyond calibration and intervals (src/predictions.rs) ---

function numberArg(v, field, what) {
  if (typeof v !== 'number') throw invalid(field, `must be a number (${what})`);
  return v;
}

function transactionHistory(history) {
  return historyArg(history, ['frequency', 'recency', 'T']);
}

/** P(alive) at T + tau of one customer or of every row, whatever she buys in between. */
export function probabilityAliveAt(model, tau, history) {
  const m = modelArg(model);
  numberArg(tau, 'tau', 'time after the end of observation, ≥ 0');
  const { single, cols } = transactionHistory(history);
  return oneOrColumn(single, call(() => wasm().probabilityAliveAt(m, tau, cols.frequency, cols.recency, cols.T, single, false)));
}

/** P(alive) at T + tau given no purchase in (T, T + tau]: P(alive) at age T + tau. */
export function probabilityAliveGivenNoPurchase(model, tau, history) {
  const m = modelArg(model);
  numberArg(tau, 'tau', 'time after the end of observation, ≥ 0');
  const { single, cols } = transactionHistory(history);
  return oneOrColumn(single, call(() => wasm().probabilityAliveAt(m, tau, cols.frequency, cols.recency, cols.T, single, true)));
}

/** P(exactly n purchases in the next t) of one customer or of every row. */
export function conditionalProbabilityOfPurchases(model, n, t, history) {
  const m = modelArg(model);
  numberArg(n, 'n', 'a whole number ≥ 0');
  numberArg(t, 't', 'a horizon ≥ 0 in the model\'s time unit');
  const { single, cols } = transactionHistory(history);
  return oneOrColumn(single, call(() => wasm().conditionalProbabilityOfPurchases(m, n, t, cols.frequency, cols.recency, cols.T, single)));
}

/** Discounted expected residual transactions at a continuous discount rate per time unit. */
export function dert(model, discountRate, history) {
  const m = modelArg(model);
  numberArg(discountRate, 'discountRate', 'a continuous rate > 0 per time unit');
  const { single, cols } = transactionHistory(history);
  return oneOrColumn(single, call(() => wasm().dert(m, discountRate, cols.frequency, cols.recency, cols.T, single)));
}

/** The next purchase: P(alive), P(a purchase within t), mean and median wait if alive. */
export function nextPurchase(model, t, history) {
  const m = modelArg(model);
  numberArg(t, 't', 'a horizon ≥ 0 in the model\'s time unit');
  const { single, cols } = transactionHistory(history);
  const rows = result(() => wasm().nextPurchase(m, t, cols.frequency, cols.recency, cols.T));
  return single ? rows[0] : rows;
}

function fitArg(fit, field) {
  if (!isObject(fit) || !isObject(fit.params)) throw invalid(field, 'expected a fit result ({ params, covariance, … })');
  if (!Array.isArray(fit.covariance)) throw invalid(field, 'intervals need the fit\'s covariance (null when the information was not positive definite)');
  return { params: fit.params, covariance: floats(fit.covariance, `${field}.covariance`) };
}

/** Intervals (delta method or parametric bootstrap) around a prediction of every row, from a fit's covariance. */
export function predictionIntervals(fit, prediction, history, options) {
  const f = fitArg(fit, 'fit');
  const m = modelArg(f.params);
  const p = json(prediction, 'prediction');
  if (p === undefined) throw invalid('prediction', 'expected { prediction: "probability_alive" | … }');
  const { single, cols } = transactionHistory(history);
  const rows = result(() => wasm().predictionIntervals(m, f.covariance, p, cols.frequency, cols.recency, cols.T, json(options)));
  return single ? rows[0] : rows;
}

/** Intervals around predictive CLV of every row, from both fits' covariances (taken as independent). */
export function predictiveClvIntervals(fit, spendFit, history, clvOptions, options) {
  const f = fitArg(fit, 'fit');
  const g = fitArg(spendFit, 'spendFit');
  const m = modelArg(f.params);
  const s = spendArg(g.params);
  const { single, cols } = historyArg(history, ['frequency', 'recency', 'T', 'monetaryValue']);
  const rows = result(() => wasm().clvIntervals(m, f.covariance, s, g.covariance, cols.frequency, cols.recency, cols.T,
    cols.monetaryValue, json(clvOptions), json(options)));
  return single ? rows[0] : rows;
}

// ---------------------------------------------------------------------------
// For the dashboard entry (js/dashboard/index.js) only: not part of the API,
// not declared in index.d.ts, may change in any release.

/** @internal */
export const _internal = Object.freeze({
  useModule, exported, call, result, table, invalid, isObject, json, floats, historyArg, fitColumns,
  modelArg, spendArg, countArg, oneOrColumn, onlyKeysOf, instant, splitAsOf, perCustomer,
  rawOf: (log, field) => rawOf(log, field), cellsOf,
});
