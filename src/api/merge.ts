// Shards of one ensemble, run anywhere (`simulate --shard k/K`), merged into the
// report of the whole run: the shards' paths are added in path order, as the
// whole run adds them, so every statistic is the same number, bit for bit.
// Histogram counts add up (every shard bins on the whole run's ranges: the pilot
// that sets them is the run's first 64 paths, whichever shard runs it).
// Shards of a sweep (`sweep --shard k/K`) merge by putting their points in order.

import { NoetherError } from '../errors.ts';
import { type EnsembleResult, mergeShards } from '../simulate/simulate.ts';
import { base64ToFloat64, ensembleReport } from './project.ts';
import type { EnsembleReport, SweepReport } from './reports.ts';
import { assembleSweep } from './sweep.ts';

/**
 * The report of the whole run from the reports of all its shards (any order).
 * Every shard must come from the same request (apart from `shard`) and each of
 * 1 … K exactly once; `workers` is the sum over the shards.
 *
 * @example
 * const a = createAnalyzer(ou);
 * const request = { from: [1, 0], T: 1, dt: 0.01, paths: 1000, workers: 1 };
 * const parts = await Promise.all([1, 2].map((index) => a.simulate({ ...request, shard: { index, count: 2 } })));
 * mergeEnsembles(parts).final.mean; // the same as a.simulate(request).final.mean
 */
export function mergeEnsembles(parts: readonly EnsembleReport[]): EnsembleReport {
  const fail = (detail: string, path = ''): never => {
    throw new NoetherError('request', detail, path ? { path } : {});
  };
  if (parts.length === 0) fail('no shards to merge');
  parts.forEach((p, i) => {
    if (p?.kind !== 'ensemble' || p.request?.shard === null || p.request?.shard === undefined || !p.shardData) fail('expected the JSON report of a shard (simulate --shard k/K --json or --out)', `[${i}]`);
  });
  const first = parts[0];
  const count = first.request.shard?.count as number;
  const same = (p: EnsembleReport): string => JSON.stringify({ model: p.model, request: { ...p.request, shard: p.request.shard?.count }, scheme: p.scheme, noise: p.noise, t: p.grid.t });
  const reference = same(first);
  parts.forEach((p, i) => {
    if (same(p) !== reference) fail(`shard ${p.request.shard?.index}/${p.request.shard?.count} comes from another run (model, request or grid differ from the first file's)`, `[${i}]`);
  });
  const byIndex = new Map<number, EnsembleReport>();
  for (const p of parts) {
    const index = p.request.shard?.index as number;
    if (byIndex.has(index)) fail(`shard ${index}/${count} is given twice`);
    byIndex.set(index, p);
  }
  const missing = Array.from({ length: count }, (_, i) => i + 1).filter((k) => !byIndex.has(k));
  if (missing.length > 0) fail(`shards ${missing.join(', ')} of ${count} are missing`);
  const ordered = Array.from({ length: count }, (_, i) => byIndex.get(i + 1) as EnsembleReport);

  const n = first.model.state.length;
  const S = first.grid.t.length;
  const shardParts = ordered.map((p, i) => {
    const samples = base64ToFloat64((p.shardData as NonNullable<EnsembleReport['shardData']>).samples);
    if (!samples || samples.length !== p.paths.used * S * n) fail(`shard ${i + 1}/${count}: its samples do not hold ${p.paths.used} paths of ${S} × ${n} values`);
    return { simulated: p.paths.simulated, diverged: p.paths.diverged, leftDomain: p.paths.leftDomain, samples: samples as Float64Array };
  });
  const stats = mergeShards(shardParts, n, S, first.request.paths, first.request.quantiles);
  const histogram = first.histogram ? mergedHistogram(ordered, first.model.state, fail) : undefined;
  const report = ensembleReport(
    first.model,
    { ...first.request, shard: null },
    {
      state: first.model.state,
      scheme: first.scheme,
      noise: first.noise,
      seed: first.seed,
      workers: ordered.reduce((w, p) => w + p.workers, 0),
      from: [...first.request.from],
      t0: first.t0,
      T: first.T,
      h: first.h,
      steps: first.steps,
      acceptanceRate: null,
      condition: null,
      t: [...first.grid.t],
      wallSeconds: ordered.reduce((w, p) => w + p.wallSeconds, 0),
      ...stats,
      ...(histogram ? { histogram } : {}),
    },
    undefined,
    undefined,
  );
  return report;
}

/**
 * The report of a whole sweep from the reports of all its shards (any order):
 * the same report, point for point, as the sweep run in one go. Every shard
 * must come from the same model and request (apart from `shard`), each of
 * 1 … K exactly once, holding exactly its own points.
 *
 * @example
 * const request = { from: [1, 0], to: [0, 1], T: 2, params: [{ name: 'k', start: 0.5, stop: 1.5, count: 5 }] };
 * const parts = await Promise.all([1, 2].map((index) => sweep(spec, { ...request, shard: { index, count: 2 } })));
 * mergeSweeps(parts); // equals await sweep(spec, request)
 */
export function mergeSweeps(parts: readonly SweepReport[]): SweepReport {
  const fail = (detail: string, path = ''): never => {
    throw new NoetherError('request', detail, path ? { path } : {});
  };
  if (parts.length === 0) fail('no shards to merge');
  parts.forEach((p, i) => {
    if (p?.kind !== 'sweep' || p.request?.shard === null || p.request?.shard === undefined || !Array.isArray(p.points)) fail('expected the JSON report of a sweep shard (sweep --shard k/K --json or --out)', `[${i}]`);
  });
  const first = parts[0];
  const count = first.request.shard?.count as number;
  const same = (p: SweepReport): string => JSON.stringify({ version: p.schemaVersion, model: p.model, request: { ...p.request, shard: p.request.shard?.count }, total: p.total });
  const reference = same(first);
  parts.forEach((p, i) => {
    if (same(p) !== reference) fail(`shard ${p.request.shard?.index}/${p.request.shard?.count} comes from another sweep (model, grid or request differ from the first file's)`, `[${i}]`);
  });
  const byIndex = new Map<number, SweepReport>();
  parts.forEach((p, i) => {
    const index = p.request.shard?.index as number;
    if (byIndex.has(index)) fail(`shard ${index}/${count} is given twice`, `[${i}]`);
    byIndex.set(index, p);
  });
  const missing = Array.from({ length: count }, (_, i) => i + 1).filter((k) => !byIndex.has(k));
  if (missing.length > 0) fail(`shards ${missing.join(', ')} of ${count} are missing`);
  for (const [k, p] of byIndex) {
    const own = Array.from({ length: first.total }, (_, i) => i).filter((i) => i % count === k - 1);
    const held = p.points.map((x) => x.index);
    if (held.length !== own.length || held.some((x, j) => x !== own[j])) fail(`shard ${k}/${count} does not hold its points (i mod ${count} = ${k - 1}): it was cut short or edited`, `[${parts.indexOf(p)}]`);
  }
  return assembleSweep(first.model, { ...first.request, shard: null }, first.total, parts.flatMap((p) => p.points));
}

/** The histograms of the shards (same layout), summed. */
function mergedHistogram(ordered: readonly EnsembleReport[], state: readonly string[], fail: (detail: string) => never): NonNullable<EnsembleResult['histogram']> {
  const layout = (p: EnsembleReport): string => JSON.stringify(p.histogram && { dims: p.histogram.dims, bins: p.histogram.bins, ranges: p.histogram.ranges });
  const reference = layout(ordered[0]);
  ordered.forEach((p, i) => {
    if (layout(p) !== reference) fail(`shard ${i + 1}/${ordered.length}: its histogram has other bins or ranges than shard 1's`);
  });
  const h = ordered[0].histogram as NonNullable<EnsembleReport['histogram']>;
  const counts = new Float64Array(h.bins.reduce((a, b) => a * b, 1));
  let outside = 0;
  for (const p of ordered) {
    const part = p.histogram as NonNullable<EnsembleReport['histogram']>;
    (part.counts.flat() as number[]).forEach((c, b) => (counts[b] += c));
    outside += part.outside;
  }
  return {
    dims: h.dims.map((d) => state.indexOf(d)),
    bins: [...h.bins],
    ranges: h.ranges.map(([lo, hi]): [number, number] => [lo, hi]),
    edges: h.edges.map((e) => [...e]),
    counts,
    total: counts.reduce((a, c) => a + c, 0),
    outside,
  };
}

