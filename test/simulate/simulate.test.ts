// Statistical checks of the integrators with fixed seeds, every tolerance from
// a standard error: exact Brownian increments, Ornstein–Uhlenbeck stationary
// variance and autocorrelation, the weak order of Euler–Maruyama, the strong
// orders of Euler–Maruyama and Milstein, Cholesky noise, and histograms.

import { describe, expect, it } from 'vitest';
import { buildModel } from '../../src/model/build.ts';
import { loadModelFile } from '../../src/model/file.ts';
import type { ModelSpec } from '../../src/model/types.ts';
import { Rng } from '../../src/random/rng.ts';
import { compileSimulation, runSimulation, simulate } from '../../src/simulate/simulate.ts';

const model = (spec: ModelSpec) => buildModel(spec);
const TIMEOUT = 120_000;

describe('random increments', () => {
  it('a path of dx = dW is the running sum of √h · normals of stream i (path i uses stream i)', async () => {
    const r = await simulate(model({ name: 'bm', state: ['x'], drift: [0], noise: 1 }), {
      from: [0.25],
      T: 1,
      dt: 1 / 64,
      paths: 5,
      samples: 65,
      seed: 99,
      workers: 1,
      keepSamples: true,
    });
    const samples = r.samples as Float64Array;
    const sq = Math.sqrt(1 / 64);
    for (let p = 0; p < 5; p++) {
      expect(r.indices?.[p]).toBe(p);
      const rng = new Rng(99, p);
      let x = 0.25;
      for (let k = 0; k <= 64; k++) {
        expect(samples[p * 65 + k]).toBe(x);
        x += rng.zigguratNormal() * sq;
      }
    }
  });
});

describe('Ornstein–Uhlenbeck process dx = −kx dt + √(2D) dW', () => {
  // k = 1, D = 0.5: stationary variance D/k = 0.5, autocorrelation e^{−k|s|}.
  // 20000 paths from x = 0 over T = 7 with h = 0.005, sampled every 0.5. Bias:
  // the EM chain's stationary variance is (D/k)/(1 − kh/2), 0.25% high, a quarter
  // of a standard error (1%); by t = 5 the start is forgotten up to e^{−10}.
  const n = 20000;
  const ou = model({ name: 'ou1d', state: ['x'], params: { k: 1, D: 0.5 }, drift: ['-k*x'], diffusion: 'D' });
  const run = simulate(ou, {
    from: [0],
    T: 7,
    dt: 0.005,
    paths: n,
    samples: 15,
    seed: 7,
    keepSamples: true,
  });

  it('stationary variance D/k within 3 standard errors', async () => {
    const r = await run;
    expect(r.paths).toBe(n);
    expect(r.t[10]).toBeCloseTo(5, 12);
    for (const s of [10, 12, 14]) {
      const v = r.std[s][0] ** 2;
      const se = 0.5 * Math.sqrt(2 / (n - 1)); // Var of a sample variance of normals: 2σ⁴/(n−1)
      expect(Math.abs(v - 0.5), `t = ${r.t[s]}: variance ${v}`).toBeLessThan(3 * se);
      expect(Math.abs(r.mean[s][0])).toBeLessThan(3 * Math.sqrt(0.5 / n));
    }
  }, TIMEOUT);

  it('autocorrelation e^{−|s|} within 3 standard errors', async () => {
    const r = await run;
    const x = r.samples as Float64Array;
    const S = r.t.length;
    const col = (s: number): Float64Array => Float64Array.from({ length: n }, (_, p) => x[p * S + s]);
    const a = col(10); // t = 5
    for (const [s, lag] of [
      [11, 0.5],
      [12, 1],
      [14, 2],
    ]) {
      const b = col(s);
      const rho = correlation(a, b);
      const expected = Math.exp(-lag);
      const se = (1 - expected ** 2) / Math.sqrt(n); // large-sample standard error of a correlation coefficient
      expect(Math.abs(rho - expected), `lag ${lag}: correlation ${rho}, expected ${expected}`).toBeLessThan(3 * se);
    }
  }, TIMEOUT);
});

describe('weak order 1 of Euler–Maruyama', () => {
  // dx = μx dt + σ√(1 + x²) dW, μ = 1, σ = 0.2, x₀ = 1, T = 1: the drift is linear
  // and the noise a martingale, so E x(T) = e^{μT} exactly, and the EM chain has
  // E X_N = (1 + μh)^N exactly. The weak error e^{μT} − (1 + μh)^N halves with h
  // (ratios 1.916 and 1.958 at h = 0.1, 0.05, 0.025). 200000 paths: standard
  // error ≈ 0.0013 on each mean.
  const spec: ModelSpec = { name: 'linear-drift', state: ['x'], params: { mu: 1, s: 0.2 }, drift: ['mu*x'], noise: 's*sqrt(1+x^2)' };
  const n = 200_000;

  it('the error against E x(T) = e^{μT} halves when dt halves, within statistical error', async () => {
    const sim = compileSimulation(model(spec));
    const hs = [0.1, 0.05, 0.025];
    const errors: { e: number; se: number; exact: number }[] = [];
    for (const h of hs) {
      const r = await runSimulation(sim, { from: [1], T: 1, dt: h, paths: n, samples: 2, seed: 11, quantiles: [] });
      const mean = r.final.mean[0];
      const se = r.final.std[0] / Math.sqrt(n);
      const chain = (1 + h) ** Math.round(1 / h);
      // The ensemble mean estimates the chain's exact mean.
      expect(Math.abs(mean - chain), `h = ${h}: mean ${mean}, EM chain mean ${chain}`).toBeLessThan(3 * se);
      errors.push({ e: Math.E - mean, se, exact: Math.E - chain });
    }
    for (let i = 0; i + 1 < errors.length; i++) {
      const [a, b] = [errors[i], errors[i + 1]];
      const ratio = a.e / b.e;
      const expected = a.exact / b.exact;
      // Error propagation for a ratio of independent estimates.
      const se = ratio * Math.hypot(a.se / a.e, b.se / b.e);
      expect(Math.abs(ratio - expected), `ratio ${ratio}, expected ${expected} ± ${se}`).toBeLessThan(3 * se);
      expect(ratio).toBeGreaterThan(1.7);
      expect(ratio).toBeLessThan(2.3);
    }
  }, TIMEOUT);
});

describe('strong orders: Euler–Maruyama 1/2, Milstein 1 (diagonal noise)', () => {
  // x = sinh(asinh(x₀) + aW) solves dx = a²/2 x dt + a√(1 + x²) dW, so the exact
  // end state of each path follows from its Brownian path, the sum of the √h-scaled
  // normals of its stream.
  const a = 1;
  const spec: ModelSpec = { name: 'sinh', state: ['x'], params: { a }, drift: ['a^2/2*x'], noise: 'a*sqrt(1+x^2)' };
  const n = 2000;

  const strongError = async (scheme: 'euler' | 'milstein', steps: number): Promise<number> => {
    const r = await simulate(model(spec), { scheme, from: [0.5], T: 1, dt: 1 / steps, paths: n, samples: 2, seed: 3, keepSamples: true, quantiles: [], workers: 1 });
    const x = r.samples as Float64Array;
    let sum = 0;
    for (let p = 0; p < n; p++) {
      const rng = new Rng(3, p);
      let W = 0;
      for (let k = 0; k < steps; k++) W += rng.zigguratNormal() * Math.sqrt(1 / steps);
      sum += Math.abs(x[p * 2 + 1] - Math.sinh(Math.asinh(0.5) + a * W));
    }
    return sum / n;
  };

  it('observed orders over h = 1/16 … 1/256', async () => {
    const order = async (scheme: 'euler' | 'milstein'): Promise<number> => {
      const e1 = await strongError(scheme, 16);
      const e2 = await strongError(scheme, 256);
      return Math.log(e1 / e2) / Math.log(16);
    };
    const em = await order('euler');
    const mil = await order('milstein');
    expect(em, `Euler–Maruyama strong order ${em}`).toBeGreaterThan(0.4);
    expect(em).toBeLessThan(0.65);
    expect(mil, `Milstein strong order ${mil}`).toBeGreaterThan(0.9);
    expect(mil).toBeLessThan(1.15);
  }, TIMEOUT);

  it('Milstein is Euler–Maruyama for additive noise (same numbers)', async () => {
    const m = loadModelFile('examples/ou2d.yaml');
    const opts = { from: [1, -1], T: 1, dt: 0.01, paths: 50, seed: 5, workers: 1 } as const;
    const em = await simulate(m, { ...opts, scheme: 'euler' });
    const mil = await simulate(m, { ...opts, scheme: 'milstein' });
    expect(mil.mean).toEqual(em.mean);
    expect(mil.noise.strongOrder).toBe(1);
  });
});

describe('noise from a full diffusion matrix: G = chol(2D)', () => {
  it('constant D: Cov x(T) = 2DT for dx = G dW', async () => {
    const n = 40000;
    const r = await simulate(model({ name: 'c', state: ['x', 'y'], params: { a: 1, b: 0.3, c: 0.8 }, drift: [0, 0], diffusion: [['a', 'b'], ['b', 'c']] }), {
      from: [0, 0],
      T: 2,
      dt: 0.1,
      paths: n,
      samples: 2,
      seed: 21,
    });
    const expected = [
      [4, 1.2],
      [1.2, 3.2],
    ];
    expectCovariance(r.final.covariance, expected, n);
  }, TIMEOUT);

  it('time-dependent full D, factorised at every step: Cov x(1) = 2∫D dt', async () => {
    // D(t) = [[1, t/(2(1+t²))], [·, 1]]: ∫₀¹ D₀₁ dt = ln 2 / 4.
    const n = 40000;
    const r = await simulate(model({ name: 't', state: ['x', 'y'], drift: [0, 0], diffusion: [['1', 't/(2*(1+t^2))'], ['t/(2*(1+t^2))', '1']] }), {
      from: [0, 0],
      T: 1,
      dt: 0.001,
      paths: n,
      samples: 2,
      seed: 22,
    });
    expect(r.noise.source).toBe('cholesky');
    expectCovariance(
      r.final.covariance,
      [
        [2, Math.LN2 / 2],
        [Math.LN2 / 2, 2],
      ],
      n,
    );
  }, TIMEOUT);
});

describe('stationary density histogram', () => {
  it('2D OU: counts every binned state; the mass within one standard deviation is that of the normal law', async () => {
    const paths = 400;
    const r = await simulate(loadModelFile('examples/ou2d.yaml'), {
      from: [1, 1],
      T: 40,
      dt: 0.01,
      paths,
      seed: 8,
      histogram: { bins: [40, 40], ranges: [[-3, 3], [-3, 3]], burnIn: 5, every: 10 },
    });
    const hg = r.histogram;
    expect(hg).toBeDefined();
    if (!hg) return;
    // Steps 500, 510, …, 4000 of each path.
    expect(hg.total + hg.outside).toBe(paths * 351);
    expect(hg.edges[0][0]).toBe(-3);
    expect(hg.edges[0][40]).toBe(3);
    // Marginal of x: mass in [−σ, σ), σ = √(D/k) = √0.5, against 0.6827. The samples
    // are correlated in time (lag 0.1 vs correlation time 1), so allow 5 standard
    // errors of the 400·35 effectively independent states.
    const sigma = Math.SQRT1_2;
    let inside = 0;
    for (let a = 0; a < 40; a++) {
      const mid = hg.edges[0][a] + 0.075;
      if (Math.abs(mid) < sigma) for (let b = 0; b < 40; b++) inside += hg.counts[a * 40 + b];
    }
    // Bins of width 0.15 centred inside |x| < σ cover [−0.75, 0.75): mass erf(0.75/σ/√2) ≈ 0.7111 under N(0, σ²).
    const expected = 0.7111;
    const effective = paths * 35;
    const se = Math.sqrt((expected * (1 - expected)) / effective);
    expect(Math.abs(inside / (hg.total + hg.outside) - expected)).toBeLessThan(5 * se);
  }, TIMEOUT);

  it('takes the range from a pilot when none is given', async () => {
    const r = await simulate(loadModelFile('examples/attractor3.yaml'), { from: [0.1, 0.1], T: 20, dt: 0.01, paths: 100, seed: 4, histogram: { bins: [30, 30] } });
    const hg = r.histogram;
    expect(hg?.ranges[0][0]).toBeLessThan(hg?.ranges[0][1] as number);
    expect(hg?.outside).toBeLessThan(0.02 * ((hg?.total ?? 0) + (hg?.outside ?? 0)));
  }, TIMEOUT);
});

describe('raw paths', () => {
  it('onPaths receives every stride-th state and the last one, in path order, equal to the output grid', async () => {
    const batches: { t: readonly number[]; indices: readonly number[]; values: Float64Array }[] = [];
    const r = await simulate(loadModelFile('examples/ou2d.yaml'), {
      from: [1, 0],
      T: 1,
      dt: 0.1,
      paths: 30,
      samples: 11,
      stride: 3,
      seed: 2,
      keepSamples: true,
      workers: 2,
      onPaths: (b) => batches.push({ t: b.t, indices: b.indices, values: Float64Array.from(b.values) }),
    });
    const t = batches[0].t;
    expect(t.map((x) => Number(x.toFixed(12)))).toEqual([0, 0.3, 0.6, 0.9, 1]);
    const indices = batches.flatMap((b) => b.indices);
    expect(indices).toEqual(Array.from({ length: 30 }, (_, i) => i));
    const samples = r.samples as Float64Array;
    let p = 0;
    for (const b of batches) {
      for (let a = 0; a < b.indices.length; a++, p++) {
        // Thinned state k is step 3k (last: step 10); the grid has every step here.
        [0, 3, 6, 9, 10].forEach((step, k) => {
          for (let i = 0; i < 2; i++) expect(b.values[(a * 5 + k) * 2 + i]).toBe(samples[(p * 11 + step) * 2 + i]);
        });
      }
    }
  });
});

describe('divergence', () => {
  it('counts paths that blow up and leaves them out of the statistics', async () => {
    // dx = x³ dt + dW blows up in finite time from x = 2.
    const r = await simulate(model({ name: 'blowup', state: ['x'], drift: ['x^3'], noise: 1 }), { from: [2], T: 2, dt: 0.01, paths: 20, seed: 1, workers: 1 });
    expect(r.diverged).toBe(20);
    expect(r.paths).toBe(0);
    expect(r.final.mean[0]).toBeNaN();
  });
});

function correlation(a: Float64Array, b: Float64Array): number {
  const n = a.length;
  const ma = a.reduce((s, x) => s + x, 0) / n;
  const mb = b.reduce((s, x) => s + x, 0) / n;
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < n; i++) {
    sab += (a[i] - ma) * (b[i] - mb);
    saa += (a[i] - ma) ** 2;
    sbb += (b[i] - mb) ** 2;
  }
  return sab / Math.sqrt(saa * sbb);
}

/** Each entry of a sample covariance within 3 standard errors: Var sᵢⱼ ≈ (σᵢᵢσⱼⱼ + σᵢⱼ²)/(n − 1) for normal data. */
function expectCovariance(actual: number[][], expected: number[][], n: number): void {
  for (let i = 0; i < expected.length; i++) {
    for (let j = 0; j < expected.length; j++) {
      const se = Math.sqrt((expected[i][i] * expected[j][j] + expected[i][j] ** 2) / (n - 1));
      expect(Math.abs(actual[i][j] - expected[i][j]), `Cov[${i}][${j}] = ${actual[i][j]}, expected ${expected[i][j]}`).toBeLessThan(3 * se);
    }
  }
}
