// PNG figures do not depend on the machine's fonts (issue 14, item 4): resvg draws
// them with KaTeX's TrueType fonts only (src/plot/files.ts), so a fixed figure has
// the same bytes everywhere. The hash below was recorded on the development machine;
// CI checks it on a clean machine with other system fonts. A change of vega,
// vega-lite or resvg (package-lock.json) or of the fonts changes it: record it again then.
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { renderFigure } from '../../src/plot/files.ts';

const dir = mkdtempSync(join(tmpdir(), 'noether-png-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A small figure with every kind of text: title, axis titles, tick labels with minus signs, a legend. */
const SPEC = {
  $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
  title: 'Energy E along the path (−x, ẋ)',
  width: 240,
  height: 160,
  data: { values: [-2, -1, 0, 1, 2].flatMap((t) => [{ t, v: t * t - 1, series: 'E' }, { t, v: -t / 2, series: 'p_x' }]) },
  mark: 'line',
  encoding: {
    x: { field: 't', type: 'quantitative', title: 'time t' },
    y: { field: 'v', type: 'quantitative', title: 'value' },
    color: { field: 'series', type: 'nominal', title: 'charge' },
  },
};

describe('PNG figures', () => {
  it('have the same bytes on every machine (fonts bundled, system fonts off)', async () => {
    const svg = join(dir, 'f.svg');
    const png = join(dir, 'f.png');
    await renderFigure(SPEC, svg, png);
    const bytes = readFileSync(png);
    // A PNG with text drawn: far larger than the same figure would be blank.
    expect(bytes.subarray(1, 4).toString()).toBe('PNG');
    expect(bytes.length).toBeGreaterThan(10_000);
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(EXPECTED);
  });
});

const EXPECTED = '0377d479616d09f7a155ae4797195f78242772360805276896676da04df5f7aa';

describe('the committed paper figures', () => {
  const figures = ['fig1a', 'fig1b', 'fig1c', 'fig2'];
  it.each(figures)('%s: an SVG under 300 kB with a legend, and its PNG', (name) => {
    const svg = readFileSync(join(import.meta.dirname, '..', '..', 'figures', `${name}.svg`), 'utf8');
    expect(svg.length).toBeLessThan(300_000);
    expect(svg).toContain('role-legend');
    // No ARIA label per mark (they made most of the bytes; titles and axes keep theirs), and no long decimals in the geometry.
    expect(svg.split('aria-label').length - 1).toBeLessThan(20);
    expect(svg).not.toMatch(/ d="[^"]*\d\.\d{3}/);
    expect(readFileSync(join(import.meta.dirname, '..', '..', 'figures', `${name}.png`)).subarray(1, 4).toString()).toBe('PNG');
  });
});
