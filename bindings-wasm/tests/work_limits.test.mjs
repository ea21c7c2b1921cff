// Arguments that set the amount of work have a documented limit and a typed
// error beyond it (issue 17): predictive CLV over u32::MAX months used to
// abort the module (`RuntimeError: unreachable` after a failed 34 GB
// allocation).
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as r from 'retention-wasm';

const BG = { model: 'bg_nbd', r: 0.2426, alpha: 4.4136, a: 0.7929, b: 2.4259 };
const GG = { p: 6.25, q: 3.74, gamma: 15.44 };
const ROWS = { frequency: [2, 0], recency: [30.43, 0], T: [38.86, 38.86], monetaryValue: [22.35, 0] };

before(async () => {
  await r.init();
});

function thrown(f) {
  try {
    f();
  } catch (err) {
    return err;
  }
  assert.fail('expected a thrown error');
}

test('predictive CLV beyond MAX_HORIZON_MONTHS (1200) is an invalid_parameter error', () => {
  for (const horizonMonths of [2 ** 32 - 1, 1201]) {
    const err = thrown(() => r.predictiveClv(BG, GG, ROWS, { horizonMonths }));
    assert.ok(err instanceof r.RetentionError, String(err));
    assert.deepEqual([err.code, err.field], ['invalid_parameter', 'horizon_months']);
  }
  // The module still works afterwards, and a century is a finite answer.
  const century = r.predictiveClv(BG, GG, ROWS, { horizonMonths: 1200 });
  const year = r.predictiveClv(BG, GG, ROWS, {});
  century.forEach((c, i) => assert.ok(Number.isFinite(c) && c >= year[i], `${c} ${year[i]}`));
});
