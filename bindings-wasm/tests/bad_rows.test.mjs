// The shared bad-row corpus (retention-core/tests/corpus/bad_rows.json)
// through the npm package: the rows as event objects (the package's keys
// `customer` and `type` for the canonical `customer_id` and `event`). Rust
// (through CSV text) and Python (through a DataFrame) read the same file and
// must report the same issues: row, field, kind and value.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as r from 'retention-wasm';

const corpus = JSON.parse(readFileSync(new URL('../../retention-core/tests/corpus/bad_rows.json', import.meta.url), 'utf8'));

before(async () => {
  await r.init();
});

function events() {
  return corpus.rows.map(({ customer_id: customer, event: type, ...rest }) => {
    const e = { customer, type, ...rest };
    for (const k of Object.keys(e)) if (e[k] === null) delete e[k];
    return e;
  });
}

function issuesOf(f) {
  try {
    f();
  } catch (e) {
    assert.ok(e instanceof r.RetentionError, String(e));
    assert.equal(e.code, 'invalid_rows', e.message);
    return e.issues.map(({ row, field, kind, value }) => ({ row, field, kind, value }));
  }
  assert.fail('the corpus was accepted');
}

test('event objects give the issues every door gives', () => {
  assert.deepEqual(issuesOf(() => r.EventLog.fromEvents(events())), corpus.issues);
});

test('columns give the same issues', () => {
  const rows = events();
  const column = (k) => rows.map((e) => e[k] ?? null);
  const columns = {};
  for (const k of ['customer', 'timestamp', 'type', 'amount', 'items', 'score', 'detail', 'resolved']) columns[k] = column(k);
  assert.deepEqual(issuesOf(() => r.EventLog.fromColumns(columns)), corpus.issues);
});
