// End to end: serve bindings-wasm/ on localhost, open the demo pages in
// Debian's Chromium (headless, driven by playwright-core), check the rendered
// values against the numbers the Rust core computed (retention-core/tests/golden/vectors.json), and
// save screenshots in artifacts/ at the repository root.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { readFile, mkdir } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { chromium } from 'playwright-core';
// The dashboard entry: every storefront export plus the analytics the merchant page shows.
import * as r from 'retention-wasm/dashboard';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..');
const artifacts = path.resolve(root, '..', 'artifacts');
const vectors = JSON.parse(await readFile(path.join(root, '..', 'retention-core', 'tests', 'golden', 'vectors.json'), 'utf8'));
const executablePath = process.env.CHROMIUM ?? '/usr/bin/chromium';

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css', '.json': 'application/json', '.wasm': 'application/wasm',
};

let server;
let base;
let browser;

before(async () => {
  server = createServer(async (req, res) => {
    const url = new URL(req.url, 'http://localhost');
    const file = path.normalize(path.join(root, decodeURIComponent(url.pathname)));
    if (!file.startsWith(root + path.sep) || file.includes(`${path.sep}node_modules${path.sep}`)) {
      res.writeHead(403).end();
      return;
    }
    try {
      const body = await readFile(file.endsWith(path.sep) ? path.join(file, 'index.html') : file);
      res.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream' }).end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${server.address().port}`;
  await mkdir(artifacts, { recursive: true });
  assert.ok(existsSync(executablePath), `Chromium not found at ${executablePath}`);
  browser = await chromium.launch({
    executablePath,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
});

after(async () => {
  await browser?.close();
  await new Promise((resolve) => server?.close(resolve));
});

async function open(page) {
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  return errors;
}

test('account page shows the core\'s tier, progress, risk badge, reasons and segment', async () => {
  const shopper = JSON.parse(await readFile(path.join(root, 'demo', 'shopper.json'), 'utf8'));
  assert.deepEqual(shopper.events, vectors.small.events, 'demo/shopper.json must hold the vector events');
  for (const id of ['ana', 'ben']) {
    const want = vectors.small.shoppers[id];
    const page = await browser.newPage({ viewport: { width: 900, height: 900 } });
    const errors = await open(page);
    await page.goto(`${base}/demo/account.html?customer=${id}`);
    await page.waitForSelector('body[data-ready]', { timeout: 20000 });
    assert.equal(await page.getAttribute('body', 'data-ready'), 'true', await page.textContent('#app'));
    assert.equal(await page.textContent('[data-testid=tier-name]'), want.tier);
    const next = page.locator('[data-testid=next-tier]');
    assert.equal(await next.getAttribute('data-next'), want.nextTier);
    assert.equal(Number(await next.getAttribute('data-missing')), want.missing);
    assert.match(await next.textContent(), new RegExp(`reach ${want.nextTier}`));
    assert.equal(Number(await page.getAttribute('[data-testid=progress]', 'data-fraction')), want.fraction);
    const width = await page.$eval('[data-testid=progress] > div', (d) => d.style.width);
    assert.equal(width, `${Math.round(want.fraction * 1000) / 10}%`);
    assert.equal(Number(await page.getAttribute('[data-testid=points]', 'data-value')), want.points);
    const light = page.locator('[data-testid=light]');
    assert.equal(Number(await light.getAttribute('data-risk')), want.risk);
    assert.equal(await light.textContent(), `${want.light.toUpperCase()} · risk ${want.risk.toFixed(2)}`);
    assert.deepEqual(await page.locator('[data-testid=reasons] li').allTextContents(), want.reasons);
    assert.equal(await page.locator('[data-testid=offer]').count(), want.light === 'red' ? 1 : 0);
    assert.equal(await page.textContent('[data-testid=rfm-segment]'), want.segment);
    assert.equal(await page.textContent('[data-testid=stage]'), want.stage);
    // Ways to earn and redeem: the core's programme list, drawn row by row.
    await r.init();
    const programme = r.loyaltyProgramme();
    const earn = await page.locator('[data-testid=earn] li').evaluateAll(
      (lis) => lis.map((li) => [li.dataset.action, Number(li.dataset.points), li.dataset.current === 'true']));
    assert.deepEqual(earn, programme.earn.map((w) => [w.action, w.points, w.action === 'order' && w.tier === want.tier]));
    assert.ok(earn.some(([, , current]) => current), 'the order rule of the shopper\'s tier is highlighted');
    const redeem = await page.locator('[data-testid=redeem] li').evaluateAll(
      (lis) => lis.map((li) => [Number(li.dataset.points), li.dataset.affordable === 'true']));
    assert.deepEqual(redeem, programme.redeem.map((w) => [w.points, want.points >= w.points]));
    assert.ok((await page.locator('[data-testid=ways]').boundingBox()).height > 100, 'ways card drawn');
    await page.screenshot({ path: path.join(artifacts, `account-${id}.png`), fullPage: true });
    assert.deepEqual(errors, []);
    await page.close();
  }
});

test('merchant page shows the core\'s cohort retention, the predictive matrix, RFM segment sizes and highest-risk customers', async () => {
  const s = vectors.sample;
  const page = await browser.newPage({ viewport: { width: 1100, height: 1000 } });
  const errors = await open(page);
  await page.goto(`${base}/demo/merchant.html?seed=${s.seed}&customers=${s.customers}`);
  await page.waitForSelector('body[data-ready]', { timeout: 30000 });
  assert.equal(await page.getAttribute('body', 'data-ready'), 'true', await page.textContent('#app'));
  for (const { name, customers } of s.segmentSizes) {
    const shown = await page.locator(`[data-segment="${name}"]`).textContent();
    assert.equal(Number(shown), customers, name);
  }
  const rows = page.locator('[data-testid=heatmap] tr[data-cohort]');
  assert.equal(await rows.count(), s.cohorts.labels.length);
  for (let i = 0; i < s.cohorts.labels.length; i++) {
    const row = rows.nth(i);
    assert.equal(await row.getAttribute('data-cohort'), s.cohorts.labels[i]);
    assert.equal(Number(await row.locator('[data-testid=size]').textContent()), s.cohorts.sizes[i]);
    const cells = await row.locator('td:not([data-testid=size])').evaluateAll(
      (tds) => tds.map((td) => (td.dataset.value === undefined ? null : Number(td.dataset.value))));
    const want = s.cohorts.retention[i].slice(0, 13);
    assert.deepEqual(cells.slice(0, want.length), want, s.cohorts.labels[i]);
  }
  // The at-risk table shows rows of the package's traffic-light table.
  await r.init();
  const log = r.sampleLog({ seed: s.seed, customers: s.customers });
  const lights = r.trafficLights(log, { asOf: s.asOf });
  log.free();
  const top = Array.from(lights.risk.keys()).sort((a, b) => lights.risk[b] - lights.risk[a]).slice(0, 5);
  const shown = await page.locator('[data-testid=at-risk] tr[data-customer]').evaluateAll(
    (trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent)));
  assert.deepEqual(shown, top.map((i) => [String(lights.customerId[i]), lights.light[i], lights.risk[i].toFixed(2),
    lights.lightReasons[i].slice(1).join('; ')]));
  for (const [light, n] of Object.entries(s.lightCounts)) {
    assert.equal(await page.textContent(`[data-light=${light}]`), `${light} ${n}`);
  }
  // The predictive matrix: the package's matrix from the same log, every cell drawn, the projected
  // ones marked (class, data-projected) with their interval in the tooltip.
  const log2 = r.sampleLog({ seed: s.seed, customers: s.customers });
  const want = r.predictiveCohortMatrixFromLog(log2, { asOf: s.asOf, survivors: { period: 'month', maxAge: 12 }, ages: 13 });
  log2.free();
  const cells = await page.locator('[data-testid=predictive] tr[data-cohort]').evaluateAll((trs) => trs.map((tr) => ({
    cohort: tr.dataset.cohort,
    cells: [...tr.querySelectorAll('td:not([data-testid=size])')].map((td) => ({
      value: Number(td.dataset.value), lower: Number(td.dataset.lower), upper: Number(td.dataset.upper),
      projected: td.dataset.projected === 'true', marked: td.classList.contains('projected'), title: td.title,
    })),
  })));
  assert.deepEqual(cells.map((c) => c.cohort), want.labels);
  let projected = 0;
  cells.forEach((row, i) => {
    assert.equal(row.cells.length, 13, row.cohort);
    row.cells.forEach((c, t) => {
      assert.equal(c.value, want.share[i][t]);
      assert.equal(c.projected, want.projected[i][t]);
      assert.equal(c.marked, c.projected);
      assert.ok(c.lower <= c.value && c.value <= c.upper);
      assert.match(c.title, c.projected ? /projected .*90% interval .*sBG/ : /observed .*Wilson/);
      projected += c.projected ? 1 : 0;
    });
  });
  assert.ok(projected > 0, 'some cells are projected');
  await page.screenshot({ path: path.join(artifacts, 'merchant.png'), fullPage: true });
  const table = page.locator('[data-testid=predictive]');
  await table.scrollIntoViewIfNeeded();
  await table.locator('td.projected').first().hover();
  await table.screenshot({ path: path.join(artifacts, 'merchant-predictive.png') });
  assert.deepEqual(errors, []);
  await page.close();
});

test('benchmark (figure only): BdW fit to 36 monthly cohorts of 36 periods and the filled matrix with intervals, in Chromium', async () => {
  const page = await browser.newPage();
  const errors = await open(page);
  await page.goto(`${base}/demo/merchant.html`);
  await page.waitForSelector('body[data-ready]', { timeout: 30000 });
  const { ms, cells, runs } = await page.evaluate(async () => {
    const d = await import('/pkg/dashboard/index.js');
    await d.init();
    // Survivors round(1000 S(t)) of a BdW (α 0.9, β 2.5, c 0.8), cohort i observed for 36 − i ages.
    const curve = d.predictContractual({ model: 'bdw', alpha: 0.9, beta: 2.5, c: 0.8 }, { ages: 36 }).survival;
    const cohorts = Array.from({ length: 36 }, (_, i) => curve.slice(0, 36 - i).map((x) => Math.round(1000 * x)));
    d.predictiveCohortMatrix(cohorts, { model: 'bdw' }); // warm-up
    const n = 20;
    let last;
    const t0 = performance.now();
    for (let k = 0; k < n; k++) last = d.predictiveCohortMatrix(cohorts, { model: 'bdw' });
    return { ms: (performance.now() - t0) / n, cells: last.share.flat().length, runs: n };
  });
  console.log(`Chromium: BdW fit + filled 36 x 36 matrix with delta intervals: ${ms.toFixed(2)} ms per call (mean of ${runs})`);
  assert.equal(cells, 36 * 36);
  assert.ok(ms < 1000, `sanity bound only: ${ms} ms`);
  assert.deepEqual(errors, []);
  await page.close();
});
