// The same seed gives the same output for 1 and 2 workers (path i always uses
// stream i, and results are combined in path order), for plain, conditioned and
// histogram runs, Milstein, Cholesky noise, and kernels that call the runtime
// special functions (shipped to workers as source).

import { describe, expect, it } from 'vitest';
import { buildModel } from '../../src/model/build.ts';
import { loadModelFile } from '../../src/model/file.ts';
import type { Model } from '../../src/model/types.ts';
import { type EnsembleResult, type SimulationOptions, simulate } from '../../src/simulate/simulate.ts';
import type { Scheme } from '../../src/simulate/noise.ts';

const TIMEOUT = 120_000;

/** Everything but timing and the worker count. */
function comparable(r: EnsembleResult): unknown {
  const { wallSeconds: _w, workers: _k, ...rest } = r;
  return { ...rest, histogram: r.histogram ? { ...r.histogram, counts: Array.from(r.histogram.counts) } : undefined };
}

async function sameForWorkerCounts(model: Model, options: SimulationOptions & { scheme?: Scheme }): Promise<EnsembleResult> {
  // Small chunks, so that both workers get several.
  const chunkPaths = Math.max(1, Math.ceil(options.paths / 16));
  const one = await simulate(model, { chunkPaths, ...options, workers: 1 });
  const two = await simulate(model, { chunkPaths, ...options, workers: 2 });
  expect(two.workers).toBe(2);
  expect(comparable(two)).toEqual(comparable(one));
  return one;
}

describe('same seed, 1 or 2 workers: identical output', () => {
  it('plain ensemble (attractor3, many chunks)', async () => {
    const r = await sameForWorkerCounts(loadModelFile('examples/attractor3.yaml'), { from: [0.5, 0.5], T: 4, dt: 0.01, paths: 3000, seed: 42 });
    expect(r.paths).toBe(3000);
  }, TIMEOUT);

  it('conditioned ensemble (ddm): the same accepted paths', async () => {
    const r = await sameForWorkerCounts(loadModelFile('examples/ddm.yaml'), {
      from: [0],
      T: 1,
      dt: 0.01,
      paths: 300,
      seed: 5,
      condition: { to: [-1], tol: 0.05 },
      keepSamples: true,
      chunkPaths: 500,
    });
    expect(r.paths).toBe(300);
  }, TIMEOUT);

  it('histogram with a pilot range (ou2d)', async () => {
    await sameForWorkerCounts(loadModelFile('examples/ou2d.yaml'), { from: [1, 1], T: 10, dt: 0.01, paths: 500, seed: 9, histogram: { bins: [25, 20] } });
  }, TIMEOUT);

  it('Milstein with multiplicative noise', async () => {
    const m = buildModel({ name: 'm', state: ['x', 'y'], params: { s: 0.3 }, drift: ['-x + y', '-y'], noise: ['s*sqrt(1+x^2)', 's*(2 + cos(y))'] });
    await sameForWorkerCounts(m, { scheme: 'milstein', from: [0.5, 0], T: 2, dt: 0.01, paths: 600, seed: 3 });
  }, TIMEOUT);

  it('state-dependent full D (Cholesky at every step) and runtime special functions (erf, Bessel) in workers', async () => {
    const m = buildModel({
      name: 'special',
      state: ['x', 'y'],
      params: { k: 2 },
      drift: ['-x + erf(y)', '-y + besselI1(k*x)/besselI0(k*x)'],
      diffusion: [['1 + x^2/10', '0.2'], ['0.2', '1']],
    });
    await sameForWorkerCounts(m, { from: [0.1, -0.2], T: 2, dt: 0.01, paths: 400, seed: 77 });
  }, TIMEOUT);

  it('a different seed gives different paths', async () => {
    const m = loadModelFile('examples/ou2d.yaml');
    const a = await simulate(m, { from: [1, 0], T: 1, dt: 0.1, paths: 10, seed: 1, workers: 1 });
    const b = await simulate(m, { from: [1, 0], T: 1, dt: 0.1, paths: 10, seed: 2, workers: 1 });
    expect(a.final.mean).not.toEqual(b.final.mean);
  });
});

describe('chunking', () => {
  it('the statistics do not depend on the chunk size', async () => {
    const m = loadModelFile('examples/attractor3.yaml');
    const options = { from: [0.5, 0.5], T: 2, dt: 0.01, paths: 200, seed: 42, workers: 1 } as const;
    const a = await simulate(m, { ...options, chunkPaths: 7 });
    const b = await simulate(m, { ...options, chunkPaths: 200 });
    expect(comparable(a)).toEqual(comparable(b));
  });
});
