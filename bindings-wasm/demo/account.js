// Shopper account page: everything is computed client side from the
// shopper's own history by the retention-wasm package.
import { init, EventLog, shopperView, loyaltyProgramme, RetentionError } from '../pkg/index.js';

const app = document.getElementById('app');
const money = (x) => x.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  for (const c of children) e.append(c);
  return e;
}

async function main() {
  await init();
  const data = await (await fetch('shopper.json')).json();
  const customer = new URLSearchParams(location.search).get('customer') ?? 'ana';
  // The shopper's own events only, as the storefront would have them.
  const log = EventLog.fromEvents(data.events.filter((e) => e.customer === customer));
  const view = shopperView(log, customer, { asOf: data.asOf, rfm: { thresholds: data.rfmThresholds } });
  log.free();

  const { tier, light, lifecycle, rfm } = view;
  app.replaceChildren();
  app.append(el('p', { class: 'muted' }, `Signed in as ${customer} · as of ${data.asOf.slice(0, 10)}`));

  const tierCard = el('section', { class: 'card', 'data-testid': 'tier' },
    el('h2', {}, 'Loyalty'),
    el('span', { class: `badge tier-${tier.name}`, 'data-testid': 'tier-name' }, tier.name),
    ' ',
    el('span', { 'data-testid': 'points', 'data-value': String(view.points) }, `${Math.floor(view.points)} points`));
  if (tier.next) {
    const pct = Math.round(tier.next.fraction * 1000) / 10;
    tierCard.append(
      el('div', { class: 'progress', 'data-testid': 'progress', 'data-fraction': String(tier.next.fraction) },
        Object.assign(el('div'), { style: `width:${pct}%` })),
      el('p', { 'data-testid': 'next-tier', 'data-missing': String(tier.next.missing), 'data-next': tier.next.name },
        `Spend ${money(tier.next.missing)} more to reach ${tier.next.name} (${pct}% of the way).`));
  } else {
    tierCard.append(el('p', { 'data-testid': 'next-tier' }, 'Top tier reached.'));
  }
  app.append(tierCard);

  // The programme's ways to earn and redeem, as the core lists them.
  const programme = loyaltyProgramme();
  const pts = (x) => `${x.toLocaleString('en-US')} point${x === 1 ? '' : 's'}`;
  const label = {
    signup: () => 'Create an account',
    order: (w) => `Place an order at ${w.tier}`,
    referral: () => 'Refer a friend',
    referred: () => 'Join through a friend\'s link',
    tier_entry: (w) => `Reach ${w.tier}`,
  };
  const earn = el('ul', { class: 'ways', 'data-testid': 'earn' }, ...programme.earn.map((w) => {
    const li = el('li', { 'data-action': w.action, 'data-points': String(w.points) },
      el('span', {}, label[w.action](w)),
      el('strong', {}, w.perUnit ? `${pts(w.points)} per 1.00` : pts(w.points)));
    if (w.action === 'order' && w.tier === tier.name) li.dataset.current = 'true';
    return li;
  }));
  const redeem = el('ul', { class: 'ways', 'data-testid': 'redeem' }, ...programme.redeem.map((r) => {
    const ok = view.points >= r.points;
    return el('li', { 'data-points': String(r.points), 'data-affordable': String(ok), class: ok ? 'ok' : '' },
      el('span', {}, r.name),
      el('strong', {}, ok ? pts(r.points) : `${pts(r.points)} · ${pts(Math.ceil(r.points - view.points))} to go`));
  }));
  app.append(el('section', { class: 'card', 'data-testid': 'ways' },
    el('h2', {}, 'Ways to earn'), earn, el('h2', {}, 'Ways to redeem'), redeem));

  const risk = el('section', { class: 'card', 'data-testid': 'risk' },
    el('h2', {}, 'Churn risk'),
    el('span', { class: `badge light-${light.light}`, 'data-testid': 'light', 'data-risk': String(light.risk) },
      `${light.light.toUpperCase()} · risk ${light.risk.toFixed(2)}`),
    el('ul', { 'data-testid': 'reasons' }, ...light.reasons.map((r) => el('li', {}, r))));
  app.append(risk);

  if (light.light === 'red') {
    app.append(el('section', { class: 'card offer', 'data-testid': 'offer' },
      el('h2', {}, 'We miss you!'),
      el('p', {}, 'Here is 15% off your next order: WEMISSYOU15')));
  }

  app.append(el('section', { class: 'card', 'data-testid': 'segment' },
    el('h2', {}, 'Your segment'),
    el('p', {}, 'RFM segment: ', el('strong', { 'data-testid': 'rfm-segment' }, rfm.segment),
      ` (R ${rfm.r ?? '–'} · F ${rfm.f ?? '–'} · M ${rfm.m ?? '–'})`),
    el('p', {}, 'Lifecycle stage: ', el('strong', { 'data-testid': 'stage' }, lifecycle.label))));
  document.body.dataset.ready = 'true';
}

main().catch((e) => {
  app.replaceChildren(el('p', { 'data-testid': 'error' },
    e instanceof RetentionError ? `${e.code}: ${e.message}` : String(e)));
  document.body.dataset.ready = 'error';
});
