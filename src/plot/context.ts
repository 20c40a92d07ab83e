// What a 2D path figure is drawn over: the drift's direction field and the fixed
// points in a box around the paths, clipped to the model's domain.

import type { Analyzer } from '../api/analyzer.ts';
import type { PathContext } from './render.ts';

/** The drift field (15 × 15 cells) and the fixed points around paths of a 2D model, at time t. */
export function surroundings(analyzer: Analyzer, paths: ReadonlyArray<readonly (readonly number[])[]>, t: number): PathContext {
  const { state, domain } = analyzer.model;
  const bounds = [0, 1].map((i) => {
    let [lo, hi] = [Infinity, -Infinity];
    for (const x of paths) for (const p of x) [lo, hi] = [Math.min(lo, p[i]), Math.max(hi, p[i])];
    const margin = 0.15 * (hi - lo) || 0.5;
    const [dlo, dhi] = domain[state[i]];
    const inset = 1e-3 * (hi - lo + 2 * margin);
    return [dlo === null ? lo - margin : Math.max(lo - margin, dlo + inset), dhi === null ? hi + margin : Math.min(hi + margin, dhi - inset)] as [number, number];
  });
  const field = analyzer.driftField({ axes: [state[0], state[1]], lo: [bounds[0][0], bounds[1][0]], hi: [bounds[0][1], bounds[1][1]], nx: 15, ny: 15, t });
  const { fixedPoints } = analyzer.fixedPoints({ box: { [state[0]]: bounds[0], [state[1]]: bounds[1] }, t });
  return { field, fixedPoints };
}
