// Figures and other outputs written to disk (Node only): whole or not at all.

import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, extname, join } from 'node:path';
import { NoetherError } from '../errors.ts';
import { type Spec, optional, toSvg } from './render.ts';

/**
 * Renders a spec to SVG (and PNG at 2x) next to each other; files appear whole
 * or not at all. Needs the optional dependencies vega, vega-lite and
 * @resvg/resvg-js.
 *
 * @example
 * const path = createAnalyzer(ou).path({ from: [1, 0], to: [0, 1], T: 2 });
 * await renderFigure(pathSpec(path, path.model.state), 'path.svg', 'path.png');
 */
export async function renderFigure(spec: Spec, svgPath: string, pngPath?: string): Promise<void> {
  const svg = await toSvg(spec);
  writeAtomically(svgPath, svg);
  if (pngPath) writeAtomically(pngPath, await pngOf(svg));
}

/** The format a figure file is written in, from its extension. */
export function figureFormat(file: string): 'svg' | 'png' | undefined {
  const ext = extname(file).toLowerCase();
  return ext === '.svg' ? 'svg' : ext === '.png' ? 'png' : undefined;
}

/**
 * Renders a spec to one file, SVG or PNG by its extension (see figureFormat);
 * the file appears whole or not at all.
 *
 * @example
 * await writeFigure(pathSpec(path, path.model.state), 'path.png');
 */
export async function writeFigure(spec: Spec, file: string): Promise<void> {
  const format = figureFormat(file);
  if (!format) throw new NoetherError('request', `a figure is written as .svg or .png; got '${file}'`, { path: 'file' });
  const svg = await toSvg(spec);
  writeAtomically(file, format === 'svg' ? svg : await pngOf(svg));
}

/** The SVG drawn at 2× as a PNG, with the bundled fonts only. */
async function pngOf(svg: string): Promise<Uint8Array> {
  const { Resvg } = await optional<typeof import('@resvg/resvg-js')>('@resvg/resvg-js');
  return new Resvg(svg, { fitTo: { mode: 'zoom', value: 2 }, background: 'white', font: figureFonts() }).render().asPng();
}

/**
 * The fonts PNGs are drawn with: KaTeX's TrueType fonts (Computer Modern, shipped
 * with the katex dependency, as in a LaTeX paper), and no system font, so that a
 * figure's pixels do not depend on the fonts a machine happens to have. Every
 * generic family maps onto KaTeX_Main, which also has U+2212, the minus sign of
 * the tick labels (KaTeX's sans-serif lacks it); glyphs it lacks come from the others.
 */
function figureFonts(): { loadSystemFonts: false; fontFiles: string[]; defaultFontFamily: string; sansSerifFamily: string; serifFamily: string } {
  const dir = join(dirname(createRequire(import.meta.url).resolve('katex/dist/katex.min.css')), 'fonts');
  const files = ['Main-Regular', 'Main-Bold', 'Main-Italic', 'Math-Italic', 'AMS-Regular'];
  return {
    loadSystemFonts: false,
    fontFiles: files.map((f) => join(dir, `KaTeX_${f}.ttf`)),
    defaultFontFamily: 'KaTeX_Main',
    sansSerifFamily: 'KaTeX_Main',
    serifFamily: 'KaTeX_Main',
  };
}

/**
 * Writes a file through a temporary one beside it, so that it appears whole or
 * not at all (creating its folder).
 *
 * @example
 * writeAtomically('out/ou2d.tex', formatDerivation(derivation, 'latex'));
 */
export function writeAtomically(path: string, data: string | Uint8Array): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}.tmp`;
  writeFileSync(tmp, data);
  renameSync(tmp, path);
}
