// Merchant dashboard: cohort retention heatmap, the predictive cohort matrix
// (immature cells projected by the sBG, with 90 % intervals), RFM segment
// sizes, the highest-risk customers and the traffic-light counts for the
// generated sample shop, computed in the page by retention-wasm's dashboard
// module (which holds every storefront export too).
import {
  init, sampleLog, sampleAsOf, cohorts, rfm, trafficLights, predictiveCohortMatrixFromLog,
} from '../pkg/dashboard/index.js';

const app = document.getElementById('app');

function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  for (const c of children) e.append(c);
  return e;
}

function heat(x) {
  // white → blue by retention share
  const t = Math.min(1, Math.max(0, x));
  const c = (a, b) => Math.round(a + (b - a) * Math.sqrt(t));
  return `rgb(${c(240, 33)},${c(244, 82)},${c(255, 219)})`;
}

async function main() {
  await init();
  const params = new URLSearchParams(location.search);
  const seed = Number(params.get('seed') ?? 7);
  const customers = Number(params.get('customers') ?? 400);
  const t0 = performance.now();
  const log = sampleLog({ seed, customers });
  const asOf = sampleAsOf();
  const m = cohorts(log, { asOf, period: 'month', maxAge: 12 });
  const scores = rfm(log, { asOf });
  const lights = trafficLights(log, { asOf });
  // Survivors as in the heatmap's return-on-or-after sense; 13 ages (M0..M12) fill the triangle.
  const projected = predictiveCohortMatrixFromLog(log, { asOf, survivors: { period: 'month', maxAge: 12 }, ages: 13 });
  const ms = performance.now() - t0;
  const events = log.length;
  log.free();

  app.replaceChildren(el('p', { class: 'muted', 'data-testid': 'meta' },
    `Sample shop: seed ${seed}, ${customers} customers, ${events} events, as of ${asOf.toISOString().slice(0, 10)}; computed in ${ms.toFixed(0)} ms.`));

  const ages = Math.max(...m.retention.map((r) => r.length));
  const head = el('tr', {}, el('th', {}, 'cohort'), el('th', {}, 'size'),
    ...Array.from({ length: ages }, (_, k) => el('th', {}, `M${k}`)));
  const rows = m.labels.map((label, i) => el('tr', { 'data-cohort': label },
    el('th', {}, label), el('td', { 'data-testid': 'size' }, String(m.sizes[i])),
    ...Array.from({ length: ages }, (_, k) => {
      const x = m.retention[i][k];
      if (x === null || x === undefined) return el('td', { class: 'na' }, '–');
      return el('td', { style: `background:${heat(x)};color:${x > 0.5 ? '#fff' : '#1d2733'}`, 'data-value': String(x) },
        `${(x * 100).toFixed(0)}%`);
    })));
  app.append(el('section', { class: 'card' }, el('h2', {}, 'Monthly cohort retention (share ordering again at age Mk)'),
    el('table', { class: 'heat', 'data-testid': 'heatmap' }, head, ...rows)));

  app.append(predictiveSection(projected));

  const max = Math.max(...scores.segmentSizes.map((s) => s.customers), 1);
  const bars = el('div', { class: 'bars', 'data-testid': 'segments' });
  for (const s of scores.segmentSizes) {
    bars.append(el('span', {}, s.name),
      Object.assign(el('div', { class: 'bar' }), { style: `width:${(100 * s.customers) / max}%` }),
      el('span', { 'data-segment': s.name }, String(s.customers)));
  }
  app.append(el('section', { class: 'card' }, el('h2', {}, 'RFM segments'), bars));

  // The highest-risk customers: rows of the traffic-light table (row i of
  // every column is the same customer).
  const top = Array.from(lights.risk.keys()).sort((a, b) => lights.risk[b] - lights.risk[a]).slice(0, 5);
  app.append(el('section', { class: 'card' }, el('h2', {}, 'Highest churn risk'),
    el('table', { 'data-testid': 'at-risk' }, el('tr', {}, el('th', {}, 'customer'), el('th', {}, 'light'),
      el('th', {}, 'risk'), el('th', {}, 'why')),
    ...top.map((i) => el('tr', { 'data-customer': String(lights.customerId[i]) },
      el('td', {}, String(lights.customerId[i])),
      el('td', {}, el('span', { class: `badge light-${lights.light[i]}` }, lights.light[i])),
      el('td', {}, lights.risk[i].toFixed(2)),
      el('td', {}, lights.lightReasons[i].slice(1).join('; ')))))));

  const c = lights.counts;
  app.append(el('section', { class: 'card', 'data-testid': 'lights' }, el('h2', {}, 'Churn-risk traffic light'),
    el('span', { class: 'badge light-green', 'data-light': 'green' }, `green ${c.green}`), ' ',
    el('span', { class: 'badge light-amber', 'data-light': 'amber' }, `amber ${c.amber}`), ' ',
    el('span', { class: 'badge light-red', 'data-light': 'red' }, `red ${c.red}`)));
  document.body.dataset.ready = 'true';
}

const pct = (x) => `${(x * 100).toFixed(0)}%`;

// The filled matrix: observed cells as in the heatmap, projected ones hatched
// and in italics; every cell's interval in its tooltip (title) and data-*.
function predictiveSection(m) {
  const ages = Math.max(...m.share.map((r) => r.length));
  const fit = m.fits[0];
  const head = el('tr', {}, el('th', {}, 'cohort'), el('th', {}, 'size'),
    ...Array.from({ length: ages }, (_, k) => el('th', {}, `M${k}`)));
  const rows = m.labels.map((label, i) => el('tr', { 'data-cohort': label },
    el('th', {}, label), el('td', { 'data-testid': 'size' }, String(m.sizes[i])),
    ...Array.from({ length: ages }, (_, k) => {
      const [x, lo, hi, proj] = [m.share[i][k], m.lower[i][k], m.upper[i][k], m.projected[i][k]];
      const what = proj ? 'projected' : 'observed';
      const interval = `${Math.round(m.level * 100)}% interval ${pct(lo)}–${pct(hi)}`;
      return el('td', {
        class: proj ? 'projected' : 'observed',
        style: `background:${heat(x)};color:${x > 0.5 ? '#fff' : '#1d2733'}`,
        title: `${label} M${k}: ${what} ${(x * 100).toFixed(1)}% (${interval}${proj ? ', sBG' : ', Wilson'})`,
        'data-value': String(x), 'data-lower': String(lo), 'data-upper': String(hi), 'data-projected': String(proj),
      }, pct(x));
    })));
  const p = fit.params;
  return el('section', { class: 'card' },
    el('h2', {}, 'Projected cohort retention (share active at Mk or later; sBG, pooled)'),
    el('p', { class: 'muted', 'data-testid': 'predictive-fit' },
      `Hatched italic cells are projections; hover a cell for its ${Math.round(m.level * 100)}% interval. `
      + `α = ${p.alpha.toFixed(3)}, β = ${p.beta.toFixed(3)}, log-likelihood ${fit.logLikelihood.toFixed(1)}.`),
    el('table', { class: 'heat', 'data-testid': 'predictive' }, head, ...rows));
}

main().catch((e) => {
  app.replaceChildren(el('p', { 'data-testid': 'error' }, `${e.code ?? e.name}: ${e.message}`));
  document.body.dataset.ready = 'error';
});
