// A figure of an ensemble from `simulate`: a few sample paths (grey), the
// ensemble mean (dashed) and, for a run conditioned on its end state, the most
// likely path it was compared with. x against t for one variable; in the plane
// of the first two state variables otherwise.

import type { EnsembleReport } from '../api/reports.ts';
import { type Spec, samplesAndCurves } from './render.ts';

/** Sample paths shown at most, and points kept per path. */
const SHOWN = 60;
const POINTS = 200;

/** Keeps the first SHOWN paths of an ensemble's batches, about POINTS states each. */
export class SampleCollector {
  readonly paths: Array<{ t: number[]; x: number[][] }> = [];
  constructor(private readonly n: number) {}

  add(batch: { readonly t: readonly number[]; readonly indices: readonly number[]; readonly values: Float64Array }): void {
    const K = batch.t.length;
    const stride = Math.max(1, Math.floor(K / POINTS));
    for (let p = 0; p < batch.indices.length && this.paths.length < SHOWN; p++) {
      const t: number[] = [];
      const x: number[][] = [];
      for (let k = 0; k < K; k += stride) {
        t.push(batch.t[k]);
        x.push(Array.from(batch.values.subarray((p * K + k) * this.n, (p * K + k + 1) * this.n)));
      }
      this.paths.push({ t, x });
    }
  }
}

export function ensembleSpec(samples: ReadonlyArray<{ t: readonly number[]; x: readonly (readonly number[])[] }>, report: EnsembleReport, state: readonly string[]): Spec {
  const plane = state.length >= 2;
  const [a, b] = [state[0], state[1]];
  const at = (series: Readonly<Record<string, ReadonlyArray<number | null>>>, k: number) => (plane ? { x: series[a][k], y: series[b][k] } : { x: report.grid.t[k], y: series[a][k] });
  const grey = samples.flatMap((p, i) => p.t.map((t, k) => ({ path: i, order: k, ...(plane ? { x: p.x[k][0], y: p.x[k][1] } : { x: t, y: p.x[k][0] }) })));
  const lines = [
    ...report.grid.t.map((_, k) => ({ order: k, curve: `ensemble mean (${report.paths.used} paths)`, ...at(report.grid.mean, k) })),
    ...(report.mostLikely ? report.grid.t.map((_, k) => ({ order: k, curve: 'most likely path', ...at(report.mostLikely?.path as Record<string, number[]>, k) })) : []),
  ].filter((p) => p.x !== null && p.y !== null);
  const axes = { x: { field: 'x', type: 'quantitative', title: plane ? a : 't', scale: { zero: false } }, y: { field: 'y', type: 'quantitative', title: plane ? b : a, scale: { zero: false } } };
  const projected = state.length > 2 ? ` (projection on ${a}, ${b})` : '';
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: `${report.model.name}: ${samples.length} of ${report.paths.used} sample paths${projected}`,
    width: 420,
    height: plane ? 420 : 280,
    layer: samplesAndCurves(grey, lines, axes),
  };
}
