// Loyalty programmes through the npm door, on hand-built timelines (the
// same as the core's tests/loyalty_programme.rs): earned-basis tiers,
// grace periods, expiry by inactivity, referrals on both sides, the
// widget's ways to earn and redeem.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as r from 'retention-wasm';

before(async () => {
  await r.init();
});

const day = (n) => new Date(Date.UTC(2024, 0, 1 + n, 12)).toISOString();

test('redeeming never lowers a tier on the points-earned basis', () => {
  const log = r.EventLog.fromEvents([
    { customer: 'ana', timestamp: day(0), amount: 1200 },
    { customer: 'ana', timestamp: day(1), type: 'points_redeemed', amount: 1200 },
  ]);
  const loyalty = { welcomePoints: 0, expiryDays: null, tierBasis: 'points_earned' };
  const s = r.tierStatus(log, 'ana', { asOf: day(2), loyalty });
  // 1200 points earned ≥ Silver's 500, < Gold's 1500; the balance is 0.
  assert.deepEqual([s.name, s.value, s.downgradeAt], ['Silver', 1200, null]);
  assert.equal(r.pointsLedger(log, 'ana', { asOf: day(2), loyalty }).balance, 0);
  log.free();
});

test('grace period: the tier is kept until downgradeAt', () => {
  const log = r.EventLog.fromEvents([{ customer: 'ana', timestamp: day(0), amount: 600 }]);
  const loyalty = { termDays: 100, graceDays: 30 };
  const s = r.tierStatus(log, 'ana', { asOf: day(110), loyalty });
  assert.deepEqual([s.name, s.value], ['Silver', 0]);
  assert.equal(new Date(s.downgradeAt).toISOString(), day(130));
  assert.equal(r.tierStatus(log, 'ana', { asOf: day(130), loyalty }).name, 'Bronze');
  log.free();
});

test('expiry by inactivity and referral rewards for both sides', () => {
  const log = r.EventLog.fromEvents([
    { customer: 'ana', timestamp: day(5), type: 'referral', detail: 'ben' },
    { customer: 'ben', timestamp: day(6), type: 'signup' },
  ]);
  const loyalty = { refereeBonus: 50, expiryDays: null, inactivityDays: 30 };
  const ben = r.pointsLedger(log, 'ben', { asOf: day(10), loyalty });
  assert.deepEqual(ben.entries.map((e) => [e.kind, e.points]), [['referred', 50], ['welcome', 100]]);
  assert.equal(r.pointsLedger(log, 'ana', { asOf: day(10), loyalty }).balance, 250);
  // ben's last activity is day 6: everything expires at day 36.
  const later = r.pointsLedger(log, 'ben', { asOf: day(40), loyalty });
  assert.deepEqual([later.balance, later.entries.at(-1).kind], [0, 'inactivity']);
  log.free();
});

test('loyaltyProgramme lists the ways to earn and redeem; bad options are typed errors', () => {
  const p = r.loyaltyProgramme({ refereeBonus: 50, rewards: [{ name: 'Mug', points: 800 }, { name: '5 off', points: 500 }] });
  assert.deepEqual(p.earn.map((w) => [w.action, w.points, w.tier]), [
    ['signup', 100, null],
    ['order', 1, 'Bronze'],
    ['order', 1.25, 'Silver'],
    ['order', 1.5, 'Gold'],
    ['order', 2, 'Platinum'],
    ['referral', 250, null],
    ['referred', 50, null],
  ]);
  assert.deepEqual(p.redeem.map((x) => x.name), ['5 off', 'Mug']);
  assert.equal(p.tierTerm, 'rolling');
  assert.throws(() => r.loyaltyProgramme({ tierTerm: 'weekly' }), (e) => e instanceof r.RetentionError && e.field === 'tier_term' && e.accepted.includes('calendar_year'));
  assert.throws(() => r.loyaltyProgramme({ rewards: [{ name: 'x', points: 0 }] }),
    (e) => e instanceof r.RetentionError && e.field === 'rewards.points');
});
