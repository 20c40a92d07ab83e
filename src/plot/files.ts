// Figures and other outputs written to disk (Node only): whole or not at all.

import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
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
    const png = new Resvg(svg, { fitTo: { mode: 'zoom', value: 2 }, background: 'white', font: { loadSystemFonts: true } }).render().asPng();
    writeAtomically(pngPath, png);
  }
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
