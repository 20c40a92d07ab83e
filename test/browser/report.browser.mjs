#!/usr/bin/env node
// Browser test of the HTML report (issue 14, item 3): `noether report` for the 2D OU
// example, opened from a file in headless Chromium with playwright-core and no
// network. Checks that KaTeX's HTML rendering (not MathML) is what shows: the
// embedded KaTeX fonts load, every formula's HTML part has a size while its MathML
// part is visually hidden, the dot accents of ẋ, ẏ are drawn in a KaTeX font, and
// no request leaves the file. A screenshot goes to test/browser/report.png.
//
// Run after a build: node test/browser/report.browser.mjs   (CHROMIUM=/path/to/chromium)

import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const EXECUTABLE = process.env.CHROMIUM ?? '/usr/bin/chromium';
const SCREENSHOT = join(ROOT, 'test', 'browser', 'report.png');
const dir = mkdtempSync(join(tmpdir(), 'noether-report-browser-'));
const file = join(dir, 'ou2d.html');
execFileSync(process.execPath, [join(ROOT, 'dist', 'cli.js'), 'report', join(ROOT, 'examples', 'ou2d.yaml'), '--from', '[0.8, -0.4]', '--to', '[-0.4, 0.8]', '--T', '8', '-o', file], { stdio: 'inherit' });

const browser = await chromium.launch({ executablePath: EXECUTABLE, headless: true, args: ['--no-sandbox', '--disable-gpu', '--no-first-run'], timeout: 30_000 });
const failures = [];
try {
  const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
  const requests = [];
  page.on('request', (req) => requests.push(req.url()));
  page.on('pageerror', (err) => failures.push(`page error: ${err.message}`));
  await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
  const facts = await page.evaluate(async () => {
    await document.fonts.ready;
    const loaded = [...document.fonts].filter((f) => f.status === 'loaded').map((f) => `${f.family} ${f.style} ${f.weight}`);
    const formulas = [...document.querySelectorAll('.katex')];
    const sizes = formulas.map((k) => {
      const html = k.querySelector('.katex-html')?.getBoundingClientRect();
      const mathml = k.querySelector('.katex-mathml')?.getBoundingClientRect();
      return { html: html ? html.width * html.height : 0, mathml: mathml ? mathml.width * mathml.height : 0 };
    });
    // ẋ: KaTeX draws \dot as an .accent-body holding the dot glyph above the letter.
    const dots = [...document.querySelectorAll('.katex-html .accent-body')].map((body) => {
      // The accent body itself is zero-width by design; the glyph inside it has the size.
      const e = body.querySelector('.mord') ?? body;
      const r = e.getBoundingClientRect();
      return { text: e.textContent, width: r.width, height: r.height, font: getComputedStyle(e).fontFamily };
    });
    return { loaded, count: formulas.length, sizes, dots };
  });
  if (!facts.loaded.some((f) => f.startsWith('KaTeX_Main'))) failures.push(`KaTeX_Main did not load (loaded: ${facts.loaded.join(', ') || 'none'})`);
  if (!facts.loaded.some((f) => f.startsWith('KaTeX_Math'))) failures.push('KaTeX_Math did not load');
  if (facts.count < 10) failures.push(`only ${facts.count} formulas on the page`);
  const hidden = facts.sizes.filter((s) => !(s.html > 20 && s.mathml <= 1));
  if (hidden.length > 0) failures.push(`${hidden.length} formulas without a visible HTML rendering (or with visible MathML)`);
  const dots = facts.dots.filter((d) => d.text.trim() !== '');
  if (dots.length < 4) failures.push(`expected the dot accents of ẋ and ẏ, found ${dots.length}`);
  for (const d of dots) if (!(d.width > 0 && d.height > 0 && /KaTeX/.test(d.font))) failures.push(`a dot accent is not drawn in a KaTeX font: ${JSON.stringify(d)}`);
  const outside = requests.filter((u) => !u.startsWith('file:') && !u.startsWith('data:'));
  if (outside.length > 0) failures.push(`requests left the file: ${outside.join(', ')}`);
  await page.screenshot({ path: SCREENSHOT, fullPage: false });
  console.log(`✓ report: ${facts.count} formulas in KaTeX HTML, ${dots.length} dot accents, fonts loaded: ${facts.loaded.length}, requests outside the file: ${outside.length}`);
} finally {
  await browser.close();
  rmSync(dir, { recursive: true, force: true });
}
if (failures.length > 0) {
  console.error(`✗ report browser test failed:\n  ${failures.join('\n  ')}`);
  process.exit(1);
}
