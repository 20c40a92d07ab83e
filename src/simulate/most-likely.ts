// How far a conditioned ensemble's mean path lies from the most likely path
// between the same end points (solveFixedTime, src/solve/fixed-time.ts): the
// largest Euclidean distance over the output grid, with the standard error of
// the ensemble mean there for scale.

import { compileLagrangianKernels } from '../compile/model-kernels.ts';
import type { LagrangianResult } from '../lagrangian/lagrangian.ts';
import { solveFixedTime } from '../solve/fixed-time.ts';
import type { EnsembleResult } from './simulate.ts';

export interface MostLikelyComparison {
  /** max over the output grid of |mean(t) − x*(t)|. */
  readonly distance: number;
  /** Where the maximum is. */
  readonly at: number;
  /** √(Σᵢ SEᵢ²) of the ensemble mean at that time, and its largest value over the grid. */
  readonly standardError: number;
  readonly maxStandardError: number;
  /** The most likely path on the output grid (S × N), its action, and whether the solver converged. */
  readonly path: number[][];
  readonly action: number;
  readonly converged: boolean;
}

export function compareWithMostLikely(lagr: LagrangianResult, result: EnsembleResult, options: { readonly nodes?: number } = {}): MostLikelyComparison {
  if (!result.condition) throw new RangeError('compareWithMostLikely needs a conditioned ensemble (a target state)');
  const kernels = compileLagrangianKernels(lagr.lagrangian, lagr);
  const m = options.nodes ?? 1000;
  const sol = solveFixedTime(kernels, result.from, result.condition.to, result.T, { nodes: m, t0: result.t0 });
  const n = result.state.length;
  const path = result.t.map((t) => {
    const u = Math.min(m, Math.max(0, ((t - result.t0) / result.T) * m));
    const k = Math.min(m - 1, Math.floor(u));
    const f = u - k;
    return Array.from({ length: n }, (_, i) => (1 - f) * sol.x[k][i] + f * sol.x[k + 1][i]);
  });
  let distance = -1;
  let at = 0;
  let standardError = 0;
  let maxStandardError = 0;
  result.t.forEach((t, s) => {
    const d = Math.hypot(...result.mean[s].map((x, i) => x - path[s][i]));
    const se = Math.hypot(...result.standardError[s]);
    if (se > maxStandardError) maxStandardError = se;
    if (d > distance) {
      distance = d;
      at = t;
      standardError = se;
    }
  });
  return { distance, at, standardError, maxStandardError, path, action: sol.action, converged: sol.converged };
}
