// The two entries share one wrapper and one loaded module: here the storefront module is loaded
// first, so the dashboard entry imported afterwards re-exports working storefront functions, while
// its own functions say which import is missing (a page loads one .wasm; see js/dashboard/index.js).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as store from 'retention-wasm';

test('the dashboard entry imported after init() of the storefront module', async () => {
  await store.init();
  const dash = await import('retention-wasm/dashboard');
  // The same wrapper: one class, one state.
  assert.equal(dash.EventLog, store.EventLog);
  assert.equal(dash.RetentionError, store.RetentionError);
  await dash.init();
  assert.equal(dash.version(), store.version());
  const bg = { model: 'bg_nbd', r: 0.25, alpha: 4, a: 0.8, b: 2.5 };
  assert.ok(dash.expectedPurchases(bg, 10) > 0);
  assert.throws(() => dash.periodTransactions(bg, { frequency: [0, 1], recency: [0, 1], T: [3, 3] }), (e) => {
    assert.ok(e instanceof store.RetentionError);
    assert.equal(e.code, 'not_initialized');
    assert.match(e.message, /import 'retention-wasm\/dashboard' before calling init\(\)/);
    return true;
  });
});
