// The building blocks of the path checks (src/check/conservation.ts): drift and
// order measures, the Legendre map ẋ = f + 2Dp and its inverse, and charge
// values on fixed-duration paths with the discrete Legendre momenta.
import { describe, expect, it } from 'vitest';
import {
  chargesAtMidpoints,
  chargesOnFixedTimePath,
  observedOrder,
  relativeDrift,
  velocityFromMomentum,
} from '../../src/check/conservation.ts';
import { compileCharges, compileModel } from '../../src/compile/model-kernels.ts';
import { buildLagrangian } from '../../src/lagrangian/lagrangian.ts';
import { momentumAt } from '../../src/solve/shoot.ts';
import { buildModel } from '../../src/model/build.ts';
import { loadModelFile } from '../../src/model/file.ts';
import { Rng } from '../../src/random/rng.ts';
import { solveFixedTime } from '../../src/solve/fixed-time.ts';

describe('relativeDrift and observedOrder', () => {
  it('relativeDrift is (max − min)/max|value|, 0 for constant or empty traces', () => {
    expect(relativeDrift([1, 1, 1])).toBe(0);
    expect(relativeDrift([])).toBe(0);
    expect(relativeDrift([0, 0])).toBe(0);
    expect(relativeDrift([2, 1, -3])).toBeCloseTo(5 / 3, 15);
    expect(relativeDrift([-1, -1.001])).toBeCloseTo(0.001 / 1.001, 15);
  });

  it('observedOrder is log₂ of the last ratio, null when refinement does not reduce the drift', () => {
    expect(observedOrder([1e-3, 2.5e-4])).toBeCloseTo(2, 12);
    expect(observedOrder([1, 1e-3, 1.25e-4])).toBeCloseTo(3, 12);
    expect(observedOrder([1e-12, 1.1e-12])).toBeNull();
    expect(observedOrder([1e-12, 0.9e-12])).toBeNull();
    expect(observedOrder([1e-3])).toBeNull();
    expect(observedOrder([0, 0])).toBeNull();
  });
});

describe('the Legendre map ẋ = f + 2Dp and p = ½D⁻¹(ẋ − f)', () => {
  it('are inverse to each other and p = ∂L/∂ẋ (full constant D, state-dependent D, time-dependent D)', () => {
    const rng = new Rng(42);
    const files = ['test/fixtures/cas/models/fullconst2d.yaml', 'test/fixtures/cas/models/ring.yaml', 'examples/attractor3.yaml'];
    for (const file of files) {
      const kernels = compileModel(buildLagrangian(loadModelFile(file)));
      const n = kernels.n;
      const grad = new Float64Array(2 * n);
      for (let trial = 0; trial < 5; trial++) {
        const x = Array.from({ length: n }, () => rng.between(0.3, 1.5));
        const v = Array.from({ length: n }, () => rng.between(-1, 1));
        const t = rng.between(0.2, 1);
        const p = Array.from(momentumAt(kernels, x, v, t));
        const back = velocityFromMomentum(kernels, x, p, t);
        for (let i = 0; i < n; i++) expect(Math.abs(back[i] - v[i]), file).toBeLessThan(1e-12 * Math.max(1, Math.abs(v[i])));
        kernels.lagrangianGradient.run(Float64Array.from([...x, ...v, t]), grad);
        for (let i = 0; i < n; i++) expect(Math.abs(p[i] - grad[n + i]), file).toBeLessThan(1e-10 * Math.max(1, Math.abs(p[i])));
      }
    }
  });
});

describe('charges on paths', () => {
  const k = 1.2;
  const D = 0.4;
  const lagr = buildLagrangian(buildModel({ name: 'ou1d', state: ['x'], params: { k, D }, drift: ['-k*x'], diffusion: 'D' }));
  const kernels = compileModel(lagr);
  const energy = compileCharges([lagr.energy], lagr);
  const [x0, x1, T] = [1, -0.5, 3];
  const exactV = (t: number) => (k * (-x0 * Math.cosh(k * (T - t)) + x1 * Math.cosh(k * t))) / Math.sinh(k * T);
  const exactE = (exactV(0) ** 2 - k * k * x0 * x0) / (4 * D);

  it('chargesOnFixedTimePath: on a solved path, E from the discrete Legendre momenta is constant and O(h²) from the exact E', () => {
    const errors: number[] = [];
    for (const m of [100, 200]) {
      const r = solveFixedTime(kernels, [x0], [x1], T, { nodes: m });
      const [trace] = chargesOnFixedTimePath(kernels, energy, r);
      expect(trace.values).toHaveLength(m + 1);
      expect(trace.relativeDrift).toBeLessThan(1e-9);
      errors.push(Math.abs(trace.values[0] - exactE));
    }
    expect(errors[0] / errors[1]).toBeGreaterThan(3.5);
    expect(errors[0] / errors[1]).toBeLessThan(4.5);
  });

  it('chargesOnFixedTimePath: off a solution (a straight line), the momenta differ and E drifts', () => {
    const m = 100;
    const path = { t: Array.from({ length: m + 1 }, (_, j) => (j * T) / m), x: Array.from({ length: m + 1 }, (_, j) => [x0 + ((x1 - x0) * j) / m]) };
    const [trace] = chargesOnFixedTimePath(kernels, energy, path);
    expect(trace.relativeDrift).toBeGreaterThan(1e-2);
  });

  it('chargesAtMidpoints: finite-difference velocities at interval midpoints', () => {
    // x(t) = t², ẋ = 2t: E = (4t² − k²t⁴)/(4D) at the midpoints, where Δx/Δt = 2t̄ exactly.
    const ts = [0, 0.1, 0.3, 0.35, 1];
    const path = { t: ts, x: ts.map((t) => [t * t]) };
    const [trace] = chargesAtMidpoints(energy, path);
    expect(trace.values).toHaveLength(4);
    for (let j = 0; j < 4; j++) {
      const tm = 0.5 * (ts[j] + ts[j + 1]);
      const xm = 0.5 * (ts[j] ** 2 + ts[j + 1] ** 2);
      expect(trace.values[j]).toBeCloseTo((4 * tm * tm - k * k * xm * xm) / (4 * D), 12);
    }
  });
});
