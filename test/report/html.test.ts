// The HTML report (issue 7, item 1): self-contained, every formula rendered by
// KaTeX without error, and its numbers equal to `derive --json` and `solve --json`.
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.ts';

const root = join(import.meta.dirname, '..', '..');
const dir = mkdtempSync(join(tmpdir(), 'noether-report-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const cli = (args: string[]) => runCli(args);
/** A string matched literally in a RegExp (descriptions hold `*`, `(`, `^`, …). */
const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

describe('noether report', () => {
  const examples = readdirSync(join(root, 'examples')).filter((f) => f.endsWith('.yaml'));
  it.each(examples)('%s: a self-contained page with every formula rendered', async (file) => {
    const html = join(dir, `${file}.html`);
    const r = await cli(['report', join(root, 'examples', file), '-o', html]);
    expect(r.code, r.stderr).toBe(0);
    const text = readFileSync(html, 'utf8');
    expect(text.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(text).not.toMatch(/katex-error|ParseError/);
    // Offline: no external resources at all.
    expect(text).not.toMatch(/<(script|link)[^>]+(src|href)=["']https?:/);
    expect(text).not.toMatch(/https?:\/\/(?!www\.w3\.org)/);
    // KaTeX's HTML rendering with its stylesheet, and MathML beside it for screen readers.
    expect(text).toContain('class="katex-html"');
    expect(text).toContain('<math');
    expect(text).toContain('<svg');
    // The fonts the page uses are inlined as woff2 data: URLs; no font file is referenced.
    expect(text).toMatch(/font-family:KaTeX_Main;font-style:normal;font-weight:400;src:url\(data:font\/woff2;base64,/);
    expect(text).not.toMatch(/url\(fonts\//);
    expect(text.length).toBeLessThan(800_000);
  });

  it('its numbers are those of derive --json and solve --json', async () => {
    const model = join(root, 'examples', 'ou2d.yaml');
    const args = ['--from', '[0.8, -0.4]', '--to', '[-0.4, 0.8]', '--T', '8'];
    const html = join(dir, 'ou2d-check.html');
    expect((await cli(['report', model, '-o', html, ...args])).code).toBe(0);
    const page = readFileSync(html, 'utf8');
    const derived = JSON.parse((await cli(['derive', model, '--format', 'json'])).stdout) as {
      symmetries: Array<{ rule: string; description: string; status: string; counterexample: { deltaL: number } | null }>;
    };
    // The rows include the generators discovery added (ou2d: six, described by τ and ξ, e.g. `ξ = (exp(t), 0)`).
    expect(derived.symmetries.filter((s) => s.rule === 'discovered')).toHaveLength(6);
    for (const s of derived.symmetries) {
      const row = new RegExp(`<td>${escapeRegExp(s.description)}</td><td class="${s.status}">${s.status}</td>`);
      expect(page, s.description).toMatch(row);
      if (s.counterexample) expect(page).toContain(`δL = ${Number(s.counterexample.deltaL.toPrecision(6))} at`);
    }
    const solved = JSON.parse((await cli(['solve', model, ...args, '--json'])).stdout) as { action: number; quantities: Array<{ symbol: string; relativeDrift: number }> };
    expect(page).toContain(`action S = ${Number(solved.action.toPrecision(8))}`);
    // The path is drawn over the drift field, with its ends and the fixed point at the origin marked.
    for (const label of ['start', 'end', 'stable fixed point']) expect(page).toContain(`>${label}</text>`);
    expect(page.match(/<line /g)?.length ?? 0).toBeGreaterThan(100);
    for (const q of solved.quantities) expect(page).toContain(`<td>${q.symbol}</td>`);
    for (const q of solved.quantities) expect(page).toContain(q.relativeDrift.toExponential(2));
  });

  it('needs -o, and leaves no partial file on a bad model', async () => {
    expect((await cli(['report', join(root, 'examples', 'ou2d.yaml')])).code).toBe(2);
    const out = join(dir, 'bad.html');
    const r = await cli(['report', join(root, 'test', 'fixtures', 'bad-models', 'unknown-function.yaml'), '-o', out]);
    expect(r.code).toBe(3);
    expect(readdirSync(dir).some((f) => f.startsWith('bad.html'))).toBe(false);
  });
});
