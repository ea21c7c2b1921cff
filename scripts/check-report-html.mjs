// Opens the HTML report (`cargo run --example report -- --html PATH`) in
// headless Chromium (Debian's, driven by the npm package's playwright-core)
// and fails unless: no console error or page error, no request leaves the
// file (the page is self-contained), and every chart is drawn (its <svg>
// exists with at least the expected number of visible marks). Saves a
// full-page screenshot.
//
// Usage: node scripts/check-report-html.mjs report.html artifacts/report.png
import { createRequire } from 'node:module';
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL, fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(path.join(here, '..', 'bindings-wasm', 'package.json'));
const { chromium } = require('playwright-core');

const [page_path, shot] = process.argv.slice(2);
if (!page_path || !shot) {
  console.error('usage: node scripts/check-report-html.mjs report.html screenshot.png');
  process.exit(2);
}
const executablePath = process.env.CHROMIUM ?? '/usr/bin/chromium';
if (!existsSync(executablePath)) {
  console.error(`Chromium not found at ${executablePath}`);
  process.exit(1);
}

// Chart id -> fewest marks it must draw on the sample shop.
const CHARTS = {
  'cohort-heatmap': 24,
  'retention-curves': 2,
  lifecycle: 24,
  'mrr-waterfall': 7,
  'rfm-grid': 25,
  survival: 1,
  'churn-lights': 3,
};

const browser = await chromium.launch({
  executablePath,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const problems = [];
try {
  const page = await browser.newPage({ viewport: { width: 1200, height: 1600 } });
  const url = pathToFileURL(path.resolve(page_path)).href;
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`console error: ${m.text()}`); });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('request', (r) => { if (r.url() !== url) problems.push(`request outside the page: ${r.url()}`); });
  const response = await page.goto(url, { waitUntil: 'load' });
  if (response && !response.ok()) problems.push(`load failed: ${response.status()}`);
  const drawn = await page.evaluate(() => [...document.querySelectorAll('figure[data-chart]')].map((f) => {
    const svg = f.querySelector('svg');
    const marks = svg ? [...svg.querySelectorAll('.mark')] : [];
    const visible = marks.filter((m) => { const b = m.getBBox(); return b.width > 0 || b.height > 0; });
    const box = svg?.getBoundingClientRect();
    return { id: f.dataset.chart, svg: !!svg, marks: visible.length, width: box?.width ?? 0, height: box?.height ?? 0 };
  }));
  for (const [id, fewest] of Object.entries(CHARTS)) {
    const c = drawn.find((d) => d.id === id);
    if (!c) problems.push(`chart ${id} missing`);
    else if (!c.svg || c.width < 100 || c.height < 100) problems.push(`chart ${id}: no visible svg (${c.width}x${c.height})`);
    else if (c.marks < fewest) problems.push(`chart ${id}: ${c.marks} marks drawn, expected at least ${fewest}`);
    else console.log(`  ${id}: ${c.marks} marks, ${Math.round(c.width)}x${Math.round(c.height)} px`);
  }
  mkdirSync(path.dirname(path.resolve(shot)), { recursive: true });
  await page.screenshot({ path: shot, fullPage: true });
  console.log(`screenshot: ${shot}`);
} finally {
  await browser.close();
}
if (problems.length) {
  for (const p of problems) console.error(p);
  process.exit(1);
}
