// Large drifts run in array form (src/simulate/codegen.ts): the state in a
// Float64Array and the drift as C·a(x) + c, one sparse matrix–vector product per
// step. Checked against an Euler–Maruyama loop written here on the same random
// streams (path i uses stream i; the normals of a step in component order), and
// for 1 and 2 workers.

import { describe, expect, it } from 'vitest';
import { buildModel } from '../../src/model/build.ts';
import { Rng } from '../../src/random/rng.ts';
import { MAX_STRAIGHT_LINE_DRIFT, compileModelForSimulation } from '../../src/simulate/codegen.ts';
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
  });

  it('follows Euler–Maruyama on the same normals, to rounding', async () => {
    const steps = 50;
    const h = 0.01;
    const x0 = Array.from({ length: N }, (_, i) => Math.sin(i));
    const r = await simulate(network, { from: x0, T: steps * h, dt: h, paths: 3, samples: steps + 1, seed: 21, workers: 1, keepSamples: true });
    const samples = r.samples as Float64Array;
    for (let p = 0; p < 3; p++) {
      const rng = new Rng(21, p);
      const x = [...x0];
      for (let k = 0; k <= steps; k++) {
        for (let i = 0; i < N; i++) expect(Math.abs(samples[(p * (steps + 1) + k) * N + i] - x[i]), `path ${p}, step ${k}, x_${i + 1}`).toBeLessThan(1e-12);
        const t = x.map(Math.tanh);
        const f = x.map((xi, i) => -xi + weights[i].reduce((s, w, j) => s + w * t[j], 0) + bias[i]);
        for (let i = 0; i < N; i++) x[i] += f[i] * h + Math.sqrt(2 * diffusion[i]) * (rng.zigguratNormal() * Math.sqrt(h));
      }
    }
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
