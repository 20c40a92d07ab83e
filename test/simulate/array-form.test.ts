// Large drifts run in array form (src/simulate/codegen.ts): the state in a
// Float64Array and the drift as C·a(x) + c, one matrix–vector product per step
// (C's dense columns as a dense block, the rest by sparse rows). Checked against an Euler–Maruyama loop written here on the same random
// streams (path i uses stream i; the normals of a step in component order), and
// for 1 and 2 workers.

import { describe, expect, it, vi } from 'vitest';
import { buildModel } from '../../src/model/build.ts';
import type { Model } from '../../src/model/types.ts';
import { Rng } from '../../src/random/rng.ts';
import { MAX_STRAIGHT_LINE_DRIFT, type Program, compileModelForSimulation, generateProgram } from '../../src/simulate/codegen.ts';
import { planNoise } from '../../src/simulate/noise.ts';
import { simulate } from '../../src/simulate/simulate.ts';

const N = 40;
const weights = (() => {
  const rng = new Rng(11);
  return Array.from({ length: N }, () => Array.from({ length: N }, () => 0.3 * rng.normal()));
})();
const bias = Array.from({ length: N }, (_, i) => 0.01 * (i % 7) - 0.03);
const diffusion = Array.from({ length: N }, (_, i) => 0.02 + 0.001 * i);
const network = buildModel({ name: 'net40', state: { x: N }, params: { W: weights, b: bias, D: diffusion }, drift: '-x + W*tanh(x) + b', diffusion: 'D' });

describe('simulation of a dense 40-unit network', () => {
  it('goes the array way: its straight-line drift would be too long', () => {
    const compiled = compileModelForSimulation(network, planNoise(network, 'euler'), 'euler');
    expect(compiled.kernelBody.length).toBeGreaterThan(MAX_STRAIGHT_LINE_DRIFT);
    expect(compiled.atomic?.atoms).toBe(2 * N);
    // C = [−I | W]: the tanh columns are its dense block, the diagonal −x its sparse rest.
    expect(compiled.atomic?.denseColumns.length).toBe(N);
    expect(compiled.atomic?.column.length).toBe(N);
  });

  it('follows Euler–Maruyama on the same normals, to rounding', async () => {
    const x0 = Array.from({ length: N }, (_, i) => Math.sin(i));
    await expectEulerMaruyama(network, { paths: 3, steps: 50, h: 0.01, seed: 21, x0 }, (x) => {
      const t = x.map(Math.tanh);
      return {
        f: x.map((xi, i) => -xi + weights[i].reduce((s, w, j) => s + w * t[j], 0) + bias[i]),
        g: x.map((_, i) => Math.sqrt(2 * diffusion[i])),
      };
    });
  });

  it('gives the same numbers on 1 and 2 workers', async () => {
    const options = { from: Array<number>(N).fill(0.1), T: 1, dt: 0.01, paths: 64, seed: 4, chunkPaths: 8 };
    const one = await simulate(network, { ...options, workers: 1 });
    const two = await simulate(network, { ...options, workers: 2 });
    expect(two.workers).toBe(2);
    expect(two.mean).toEqual(one.mean);
    expect(two.quantiles).toEqual(one.quantiles);
  }, 120_000);
});

describe('the dense block in WebAssembly', () => {
  // 43 units: W padded to 48 rows for the product's 16-row passes.
  const n = 43;
  const W = (() => {
    const rng = new Rng(23);
    return Array.from({ length: n }, () => Array.from({ length: n }, () => 0.3 * rng.normal()));
  })();
  const model = buildModel({ name: 'net43w', state: { x: n }, params: { W, D: 0.05 }, drift: '-x + W*tanh(x)', diffusion: 'D' });
  const source = generateProgram(compileModelForSimulation(model, planNoise(model, 'euler'), 'euler'), {
    seed: 9,
    x0: Array.from({ length: n }, (_, i) => Math.sin(i)),
    t0: 0,
    h: 0.01,
    steps: 200,
    sampleSteps: [0, 100, 200],
    stride: 0,
  });
  const evaluate = (): Program => new Function(source)() as Program;

  it('gives the same bits as the JavaScript loop it replaces where WebAssembly is missing', () => {
    const wasm = evaluate();
    vi.stubGlobal('WebAssembly', undefined);
    let plain: Program;
    try {
      plain = evaluate();
    } finally {
      vi.unstubAllGlobals();
    }
    expect(wasm.wasm).toBe(true);
    expect(plain.wasm).toBe(false);
    const a = wasm.ensemble(0, 6);
    const b = plain.ensemble(0, 6);
    expect(a.accepted).toBe(6);
    expect(Array.from(a.samples.subarray(0, 6 * 3 * n))).toEqual(Array.from(b.samples.subarray(0, 6 * 3 * n)));
    // The paths moved (samples are path by path, then grid point, then unit).
    expect(a.samples[n + 5]).not.toBe(a.samples[5]);
  });
});

describe('a 43-unit network with columns few units use', () => {
  // Column j of W, for j a multiple of 5, reaches only every third unit: those atoms stay sparse.
  // 43 rows: the dense block's four-row loop leaves three rows for its tail.
  const n = 43;
  const W = (() => {
    const rng = new Rng(17);
    return Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (j % 5 === 0 && i % 3 !== 0 ? 0 : 0.25 * rng.normal())));
  })();
  const model = buildModel({ name: 'net43', state: { x: n }, params: { W, D: 0.03 }, drift: '-x + W*tanh(x)', diffusion: 'D' });

  it('splits C into dense and sparse columns, and follows Euler–Maruyama on the same normals', async () => {
    const compiled = compileModelForSimulation(model, planNoise(model, 'euler'), 'euler');
    const sparseColumns = Array.from({ length: n }, (_, j) => j).filter((j) => j % 5 === 0).length;
    expect(compiled.atomic?.denseColumns.length).toBe(n - sparseColumns);
    expect(compiled.atomic?.column.length).toBe(n + sparseColumns * Math.ceil(n / 3));
    const x0 = Array.from({ length: n }, (_, i) => 0.5 * Math.cos(i));
    await expectEulerMaruyama(model, { paths: 3, steps: 40, h: 0.01, seed: 5, x0 }, (x) => {
      const t = x.map(Math.tanh);
      return { f: x.map((xi, i) => -xi + W[i].reduce((s, w, j) => s + w * t[j], 0)), g: x.map(() => Math.sqrt(2 * 0.03)) };
    });
  });
});

describe('a coefficient kernel with more temporaries than locals (state-dependent noise, straight-line form)', () => {
  const n = 100;
  const W = (() => {
    const rng = new Rng(7);
    return Array.from({ length: n }, () => Array.from({ length: n }, () => 0.1 * rng.normal()));
  })();
  const model = buildModel({
    name: 'net100',
    state: { x: n },
    params: { W },
    drift: '-x + W*tanh(x)',
    noise: Array.from({ length: n }, (_, i) => `0.2 + 0.1*tanh(x_${i + 1})`),
  });

  it('declares the scratch array its inlined body uses, and follows Euler–Maruyama on the same normals', async () => {
    const compiled = compileModelForSimulation(model, planNoise(model, 'euler'), 'euler');
    expect(compiled.atomic).toBeUndefined();
    expect(compiled.scratch).toBeGreaterThan(8192);
    const x0 = Array.from({ length: n }, (_, i) => Math.cos(i));
    await expectEulerMaruyama(model, { paths: 2, steps: 5, h: 0.01, seed: 3, x0 }, (x) => {
      const t = x.map(Math.tanh);
      return { f: x.map((xi, i) => -xi + W[i].reduce((s, w, j) => s + w * t[j], 0)), g: t.map((ti) => 0.2 + 0.1 * ti) };
    });
  }, 120_000);
});

/**
 * The model simulated on one worker equals at every step, to rounding, Euler–Maruyama
 * with diagonal noise written here on the same streams (path p uses stream p of the
 * seed; the normals of a step in component order): x += f h + g·z√h.
 */
async function expectEulerMaruyama(
  model: Model,
  run: { paths: number; steps: number; h: number; seed: number; x0: readonly number[] },
  coefficients: (x: number[]) => { f: number[]; g: number[] },
): Promise<void> {
  const r = await simulate(model, { from: [...run.x0], T: run.steps * run.h, dt: run.h, paths: run.paths, samples: run.steps + 1, seed: run.seed, workers: 1, keepSamples: true });
  const samples = r.samples as Float64Array;
  const n = run.x0.length;
  for (let p = 0; p < run.paths; p++) {
    const rng = new Rng(run.seed, p);
    const x = [...run.x0];
    for (let k = 0; k <= run.steps; k++) {
      for (let i = 0; i < n; i++) expect(Math.abs(samples[(p * (run.steps + 1) + k) * n + i] - x[i]), `path ${p}, step ${k}, x_${i + 1}`).toBeLessThan(1e-12);
      const { f, g } = coefficients(x);
      for (let i = 0; i < n; i++) x[i] += f[i] * run.h + g[i] * (rng.zigguratNormal() * Math.sqrt(run.h));
    }
  }
}
