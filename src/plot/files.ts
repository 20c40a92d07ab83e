// Figures and other outputs written to disk (Node only): whole or not at all.

import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
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
  if (pngPath) {
    const { Resvg } = await optional(() => import('@resvg/resvg-js'), '@resvg/resvg-js');
    const png = new Resvg(svg, { fitTo: { mode: 'zoom', value: 2 }, background: 'white', font: figureFonts() }).render().asPng();
    writeAtomically(pngPath, png);
  }
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
