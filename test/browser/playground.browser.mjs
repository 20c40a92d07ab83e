#!/usr/bin/env node
// Browser test of the playground (web/): builds the static site, serves web/dist
// on 127.0.0.1, and drives it in headless Chromium with playwright-core:
//   1. the default page loads and typesets charges (the time is printed);
//   2. the ou2d example shows time translation and rotation as exact;
//   3. a bad drift expression is reported next to its field, with the column;
//   4. a drift that breaks rotation (ẏ = −2ky) turns its verdict to broken, with a counterexample;
//   5. two clicks on the plot solve a most likely path: it is drawn and the charge drift is reported;
//   6. the T slider and the fixed-energy mode re-solve the path;
// and fails on any console error. A screenshot goes to test/browser/screenshot.png.
//
// Run: npm run test:browser   (CHROMIUM=/path/to/chromium to use another browser binary)

import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { dirname, extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { build } from 'vite';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const DIST = join(ROOT, 'web', 'dist');
const SCREENSHOT = join(ROOT, 'test', 'browser', 'screenshot.png');
const FAILURE_SHOT = join(ROOT, 'test', 'browser', 'screenshot-failure.png');
const EXECUTABLE = process.env.CHROMIUM ?? '/usr/bin/chromium';
const TOTAL_MS = 180_000;
const STEP_MS = 30_000;

const started = Date.now();
let browser;
let server;
let page;
const consoleErrors = [];

const watchdog = setTimeout(() => void fail(new Error(`the whole test took longer than ${TOTAL_MS / 1000} s`), 'watchdog'), TOTAL_MS);

async function cleanup() {
  clearTimeout(watchdog);
  await browser?.close().catch(() => {});
  await new Promise((resolve) => (server ? server.close(() => resolve()) : resolve()));
}

async function fail(err, step) {
  console.error(`\n✗ FAILED${step ? ` in step "${step}"` : ''}: ${err?.message ?? err}`);
  if (consoleErrors.length > 0) console.error(`console errors:\n  ${consoleErrors.join('\n  ')}`);
  if (page) {
    await page.screenshot({ path: FAILURE_SHOT, fullPage: true }).then(
      () => console.error(`screenshot of the failure: ${FAILURE_SHOT}`),
      () => {},
    );
  }
  await cleanup();
  process.exit(1);
}

async function step(name, fn) {
  const t = Date.now();
  try {
    const out = await fn();
    console.log(`✓ ${name} (${Date.now() - t} ms)`);
    return out;
  } catch (err) {
    await fail(err, name);
  }
}

function check(cond, message) {
  if (!cond) throw new Error(message);
}

// ------------------------------------------------------------------ build and serve

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
};

function serve(dir) {
  return new Promise((resolve) => {
    const s = createServer(async (req, res) => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      const rel = normalize(decodeURIComponent(url.pathname)).replace(/^([/\\])+/, '');
      const file = join(dir, rel === '' ? 'index.html' : rel);
      if (file !== dir && !file.startsWith(dir + sep)) {
        res.writeHead(403).end();
        return;
      }
      try {
        const body = await readFile(file);
        res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-store' });
        res.end(body);
      } catch {
        res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      }
    });
    s.listen(0, '127.0.0.1', () => resolve(s));
  });
}

await step('build the site (vite build)', async () => {
  await build({ configFile: join(ROOT, 'web', 'vite.config.ts'), logLevel: 'warn' });
});

const url = await step('serve web/dist', async () => {
  server = await serve(DIST);
  const { port } = server.address();
  return `http://127.0.0.1:${port}/`;
});

await step(`launch Chromium (${EXECUTABLE})`, async () => {
  browser = await chromium.launch({
    executablePath: EXECUTABLE,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    timeout: STEP_MS,
  });
  const context = await browser.newContext({ viewport: { width: 1440, height: 1000 }, deviceScaleFactor: 1 });
  page = await context.newPage();
  page.setDefaultTimeout(STEP_MS);
  page.on('console', (msg) => {
    if (msg.type() === 'error') consoleErrors.push(`[console] ${msg.text()}`);
  });
  page.on('pageerror', (err) => consoleErrors.push(`[page error] ${err.message}`));
  page.on('requestfailed', (req) => consoleErrors.push(`[request failed] ${req.url()} ${req.failure()?.errorText ?? ''}`));
  page.on('response', (res) => {
    if (res.status() >= 400) consoleErrors.push(`[HTTP ${res.status()}] ${res.url()}`);
  });
});

// ------------------------------------------------------------------ the page

const loadMs = await step('load the page and typeset the first charges', async () => {
  const t = Date.now();
  await page.goto(url, { waitUntil: 'domcontentloaded' });
  await page.waitForSelector('.sym .charge .katex', { state: 'visible' });
  const wall = Date.now() - t;
  const inPage = await page.evaluate(() => Number(document.documentElement.dataset.firstCharges));
  console.log(`  first typeset charges after ${wall} ms (wall clock from navigation; ${inPage} ms after navigation start in the page)`);
  return wall;
});

const badge = (rule) => page.locator(`.sym[data-rule="${rule}"] .badge`).first();

await step('load example ou2d: time translation and rotation are exact', async () => {
  await page.selectOption('#example', 'ou2d');
  await page.waitForFunction(() => {
    const b = (r) => document.querySelector(`.sym[data-rule="${r}"] .badge`)?.textContent;
    return document.querySelector('#status')?.dataset.kind === 'ok' && b('time') === 'exact' && b('rotation') === 'exact';
  });
  check((await page.locator('.model-card h2').textContent())?.includes('ou2d'), 'the results are not about ou2d');
  const ev = await page.locator('.sym[data-rule="rotation"] .evidence').textContent();
  check(ev === 'symbolic', `rotation's evidence is '${ev}', expected 'symbolic'`);
  const charges = await page.locator('.sym .charge').count();
  check(charges >= 2, `expected at least 2 conserved charges (E and L_xy), found ${charges}`);
  const translation = await badge('translation').textContent();
  check(translation === 'broken', `translation along x should be broken for ou2d; got ${translation}`);
  check((await page.locator('.sym[data-rule="translation"] .counterexample .katex').count()) > 0, 'no counterexample shown for a broken translation');
});

const drift1 = page.locator('[data-path="drift[1]"]');

await step('a bad expression is reported next to its field', async () => {
  await drift1.fill('-2*k*');
  const err = page.locator('.section[data-path="drift"] .field-error');
  await err.waitFor({ state: 'visible' });
  const text = (await err.textContent()) ?? '';
  check(/column \d+/.test(text), `the error does not give the column: "${text}"`);
  check(await drift1.evaluate((e) => e.classList.contains('invalid')), 'the drift[1] input is not marked invalid');
  check((await page.locator('#status').getAttribute('data-kind')) === 'error', 'the status does not show the error');
  check((await page.locator('.results .stale-banner').isVisible()), 'the last results are not marked out of date');
});

await step('break rotation with ẏ = −2ky: the rotation verdict turns broken', async () => {
  await drift1.fill('-2*k*y');
  await page.waitForFunction(() => document.querySelector('.sym[data-rule="rotation"] .badge')?.textContent === 'broken');
  check((await page.locator('.field-error').count()) === 0, 'an error is still shown after fixing the expression');
  check((await badge('time').textContent()) === 'exact', 'time translation should stay exact');
  check((await page.locator('.sym[data-rule="rotation"] .counterexample .katex').count()) > 0, 'no counterexample for the broken rotation');
  const yaml = await page.locator('#yaml').inputValue();
  check(yaml.includes('-2*k*y'), 'the YAML text did not follow the form edit');
});

const pathD = () => page.locator('svg.plot .ml-path').getAttribute('d');
/** Waits for a drawn path that differs from `previous` and was solved for the end points and T or E now shown. */
async function waitForNewPath(previous) {
  await page.waitForFunction(
    (prev) => {
      const d = document.querySelector('svg.plot .ml-path')?.getAttribute('d') ?? '';
      const r = document.querySelector('#path-result');
      const mode = document.querySelector('input[name="mode"]:checked')?.value;
      const problem = mode === 'T' ? `T=${Number(document.querySelector('#T').value)}` : `E=${Number(document.querySelector('#E').value)}`;
      return (
        d.length > 20 &&
        d !== prev &&
        r?.dataset.state === 'done' &&
        r.dataset.from === document.querySelector('#from').value &&
        r.dataset.to === document.querySelector('#to').value &&
        r.dataset.problem === problem
      );
    },
    previous,
  );
  return pathD();
}

await step('click two points: a path is drawn and the charge drift is reported', async () => {
  // The default end points of the model give a first path; wait for it.
  let d = await waitForNewPath('');
  const area = await page.locator('rect.plot-area').boundingBox();
  check(area, 'no plot area');
  await page.mouse.click(area.x + 0.22 * area.width, area.y + 0.7 * area.height);
  d = await waitForNewPath(d);
  await page.mouse.click(area.x + 0.78 * area.width, area.y + 0.28 * area.height);
  d = await waitForNewPath(d);
  const from = (await page.locator('#from').inputValue()).split(',').map(Number);
  const to = (await page.locator('#to').inputValue()).split(',').map(Number);
  check(from[0] < 0 && from[1] < 0 && to[0] > 0 && to[1] > 0, `the clicked end points are wrong: start (${from}), end (${to})`);
  const row = page.locator('table.charges tr[data-symbol="E"]');
  await row.waitFor();
  const drift = Number(await row.locator('td.drift').textContent());
  check(Number.isFinite(drift) && drift < 1e-6, `the energy's relative drift along the path is ${drift}`);
  check((await row.locator('td.pass').count()) === 1, 'the energy is not reported as conserved');
  check((await page.locator('.stat.conv.ok').count()) === 1, 'the solver did not report convergence');
  return d;
});

await step('change T, then solve at fixed energy', async () => {
  let d = await pathD();
  await page.fill('#T', '2.5');
  await page.press('#T', 'Enter');
  d = await waitForNewPath(d);
  const T = await page.locator('.stats').textContent();
  check(T?.includes('2.5'), `the duration 2.5 is not reported: ${T}`);
  await page.check('input[name="mode"][value="E"]');
  d = await waitForNewPath(d);
  check((await page.locator('table.charges tr[data-symbol="E"] td.pass').count()) === 1, 'the energy is not conserved on the fixed-E path');
});

await step('screenshot', async () => {
  const d = await pathD();
  await page.check('input[name="mode"][value="T"]');
  await waitForNewPath(d);
  await page.screenshot({ path: SCREENSHOT, fullPage: true });
  console.log(`  saved ${SCREENSHOT}`);
});

await step('no console errors', async () => {
  check(consoleErrors.length === 0, `${consoleErrors.length} console error(s):\n  ${consoleErrors.join('\n  ')}`);
});

await cleanup();
console.log(`\nplayground browser test passed in ${((Date.now() - started) / 1000).toFixed(1)} s; first typeset charges after ${loadMs} ms`);
