// Shooting for most likely paths (src/solve/shoot.ts): closed forms for the
// Ornstein–Uhlenbeck process and the drift–diffusion model (paper Eq. 19), and
// the conserved quantities along the paths: H (time translation) and the angular
// momentum x p_y − y p_x of the isotropic 2D OU process (rotation, Eq. 16).
import { describe, expect, it } from 'vitest';
import { type ModelKernels, compileHamiltonianHessian, compileModel } from '../../src/compile/model-kernels.ts';
import { buildLagrangian } from '../../src/lagrangian/lagrangian.ts';
import { buildModel } from '../../src/model/build.ts';
import { type Residual, type ShootResult, dampedNewton, shoot, shootAtEnergy, shootMultiple, straightLineMomentum } from '../../src/solve/shoot.ts';

function kernelsOf(spec: object, action: 'eq8' | 'om' = 'eq8') {
  const lagr = buildLagrangian(buildModel(spec), action);
  return { lagr, kernels: compileModel(lagr) };
}

/** H along the recorded path. */
function hamiltonianAlong(kernels: ModelKernels, r: ShootResult): number[] {
  const out = new Float64Array(1);
  return r.t.map((t, i) => {
    kernels.hamiltonian.run(Float64Array.from([...r.x[i], ...r.p[i], t]), out);
    return out[0];
  });
}
function maxDeviation(values: number[]): number {
  return Math.max(...values.map((v) => Math.abs(v - values[0])));
}

describe('shoot: 1D Ornstein–Uhlenbeck', () => {
  const k = 1.3;
  const D = 0.4;
  const { lagr, kernels } = kernelsOf({ name: 'ou', state: ['x'], params: { k, D }, drift: ['-k*x'], diffusion: 'D' });
  const [x0, x1, T] = [1, -0.5, 3];
  const exact = (t: number) => (x0 * Math.sinh(k * (T - t)) + x1 * Math.sinh(k * t)) / Math.sinh(k * T);
  const exactVelocity = (t: number) => (k * (-x0 * Math.cosh(k * (T - t)) + x1 * Math.cosh(k * t))) / Math.sinh(k * T);

  it('matches the closed form, p = (ẋ − f)/2D, and conserves H', () => {
    const r = shoot(kernels, [x0], [x1], T);
    expect(r.converged).toBe(true);
    expect(r.residual).toBeLessThan(1e-10);
    expect(r.t[0]).toBe(0);
    expect(r.t[r.t.length - 1]).toBe(T);
    expect(r.t.length).toBeGreaterThan(10);
    const xErr = Math.max(...r.t.map((t, i) => Math.abs(r.x[i][0] - exact(t))));
    expect(xErr).toBeLessThan(1e-8);
    const pErr = Math.max(...r.t.map((t, i) => Math.abs(r.p[i][0] - (exactVelocity(t) + k * exact(t)) / (2 * D))));
    expect(pErr).toBeLessThan(1e-8);
    const H = hamiltonianAlong(kernels, r);
    expect(maxDeviation(H)).toBeLessThan(1e-9 * Math.abs(H[0]));
  });

  it('gives the same p0 with every Jacobian (variational with symbolic or differenced ∇²H, central differences)', () => {
    const hessian = compileHamiltonianHessian(lagr);
    const exactP0 = (exactVelocity(0) + k * x0) / (2 * D);
    for (const options of [{}, { hessian }, { jacobian: 'central' as const }]) {
      const r = shoot(kernels, [x0], [x1], T, { ...options, p0: [0] });
      expect(r.converged).toBe(true);
      expect(r.iterations).toBeLessThanOrEqual(6);
      expect(Math.abs(r.p0[0] - exactP0)).toBeLessThan(1e-10);
    }
  });

  it('the action S = ∫ L dt rides along: k/(2D)·(x₁ − e^{−kT}x₀)²/(1 − e^{−2kT}) to 1e-10', () => {
    const r = shoot(kernels, [x0], [x1], T);
    const S = ((k / (2 * D)) * (x1 - Math.exp(-k * T) * x0) ** 2) / (1 - Math.exp(-2 * k * T));
    expect(Math.abs(r.action - S) / S).toBeLessThan(1e-10);
  });

  it('multiple shooting from a poor guess (straight line, p = 0) at 7 cuts: the closed-form path, momenta and action', () => {
    const cuts = Array.from({ length: 8 }, (_, j) => (j * T) / 7);
    const r = shootMultiple(kernels, [x0], [x1], { t: cuts, x: cuts.map((t) => [x0 + ((x1 - x0) * t) / T]), p: cuts.map(() => [0]) }, { hessian: compileHamiltonianHessian(lagr) });
    expect(r.converged).toBe(true);
    for (let j = 1; j < r.t.length; j++) expect(r.t[j]).toBeGreaterThan(r.t[j - 1]);
    expect(r.t[r.t.length - 1]).toBe(T);
    expect(Math.max(...r.t.map((t, i) => Math.abs(r.x[i][0] - exact(t))))).toBeLessThan(1e-8);
    expect(Math.max(...r.t.map((t, i) => Math.abs(r.p[i][0] - (exactVelocity(t) + k * exact(t)) / (2 * D))))).toBeLessThan(1e-8);
    const S = ((k / (2 * D)) * (x1 - Math.exp(-k * T) * x0) ** 2) / (1 - Math.exp(-2 * k * T));
    expect(Math.abs(r.action - S) / S).toBeLessThan(1e-9);
  });

  it('fixed-energy shooting on (p₀, T): H(x₀, p₀) = E, reaches x₁, and the duration solves the closed form', () => {
    const single = shoot(kernels, [x0], [x1], T);
    const E = hamiltonianAlong(kernels, single)[0];
    const r = shootAtEnergy(kernels, [x0], [x1], E, { p0: [single.p0[0] * 1.05], T: T * 0.9 }, { hessian: compileHamiltonianHessian(lagr) });
    expect(r.converged).toBe(true);
    expect(Math.abs(r.T - T)).toBeLessThan(1e-8);
    expect(Math.abs(r.p0[0] - single.p0[0])).toBeLessThan(1e-8);
    expect(Math.abs(r.action - single.action)).toBeLessThan(1e-9);
  });

  it('is linear in p0, so Newton converges at once: one step, and one more for the Jacobian integrated to 1e-7', () => {
    const r = shoot(kernels, [x0], [x1], T, { hessian: compileHamiltonianHessian(lagr), p0: [5] });
    expect(r.converged).toBe(true);
    expect(r.iterations).toBeLessThanOrEqual(2);
  });
});

describe('shoot: drift–diffusion model (paper Eq. 19)', () => {
  const v = 0.5;
  const sigma = 0.8;
  const { kernels } = kernelsOf({ name: 'ddm', state: ['x'], params: { v, sigma }, drift: ['v'], noise: 'sigma' });
  const [x0, x1, T] = [-0.2, 1, 2.5];
  const pExact = ((x1 - x0) / T - v) / sigma ** 2;

  it('the straight-line guess is already the answer', () => {
    expect(straightLineMomentum(kernels, [x0], [x1], T)[0]).toBeCloseTo(pExact, 14);
    const r = shoot(kernels, [x0], [x1], T);
    expect(r.converged).toBe(true);
    expect(r.iterations).toBe(0);
  });

  it('is a straight line with constant momentum ((x₁−x₀)/T − v)/σ², from any guess', () => {
    const r = shoot(kernels, [x0], [x1], T, { p0: [-3] });
    expect(r.converged).toBe(true);
    expect(r.iterations).toBeGreaterThan(0);
    r.t.forEach((t, i) => {
      expect(Math.abs(r.x[i][0] - (x0 + ((x1 - x0) * t) / T))).toBeLessThan(1e-10);
      expect(Math.abs(r.p[i][0] - pExact)).toBeLessThan(1e-10);
    });
  });
});

describe('shoot: 2D Ornstein–Uhlenbeck (paper Fig. 1b)', () => {
  const spec = { name: 'ou2d', state: ['x', 'y'], params: { k: 1, D: 0.5 }, drift: ['-k*x', '-k*y'], diffusion: 'D' };
  const { lagr, kernels } = kernelsOf(spec);
  const from = [0.8, -0.4];
  const to = [-0.4, 0.8];
  const T = 8;

  it('converges; H and the angular momentum x p_y − y p_x are conserved', () => {
    const r = shoot(kernels, from, to, T);
    expect(r.converged).toBe(true);
    expect(r.residual).toBeLessThan(1e-10);
    const H = hamiltonianAlong(kernels, r);
    expect(maxDeviation(H)).toBeLessThan(1e-9 * Math.abs(H[0]));
    const J = r.x.map(([x, y], i) => x * r.p[i][1] - y * r.p[i][0]);
    // J = x ẏ − y ẋ = (from × to)/sinh T for this path: small (3.2e-4) but not zero.
    const exactJ = (from[0] * to[1] - from[1] * to[0]) / Math.sinh(T);
    expect(Math.abs(J[0] - exactJ)).toBeLessThan(1e-9);
    expect(maxDeviation(J)).toBeLessThan(1e-8);
    expect(maxDeviation(J)).toBeLessThan(1e-5 * Math.abs(exactJ));
  });

  it('matches the closed form componentwise', () => {
    const r = shoot(kernels, from, to, T, { hessian: compileHamiltonianHessian(lagr) });
    const s = (t: number, a: number, b: number) => (a * Math.sinh(T - t) + b * Math.sinh(t)) / Math.sinh(T);
    r.t.forEach((t, i) => {
      expect(Math.abs(r.x[i][0] - s(t, from[0], to[0]))).toBeLessThan(1e-8);
      expect(Math.abs(r.x[i][1] - s(t, from[1], to[1]))).toBeLessThan(1e-8);
    });
  });
});

describe('shoot: nonlinear and time-dependent models', () => {
  it('double well: a transition over the barrier conserves H, for both actions', () => {
    for (const action of ['eq8', 'om'] as const) {
      const { lagr, kernels } = kernelsOf({ name: 'dw', state: ['x'], params: { D: 0.1 }, drift: ['x - x^3'], diffusion: 'D' }, action);
      const r = shoot(kernels, [-1], [1], 6);
      expect(r.converged, action).toBe(true);
      const H = hamiltonianAlong(kernels, r);
      expect(maxDeviation(H)).toBeLessThan(1e-9 * Math.max(1, Math.abs(H[0])));
      const symbolic = shoot(kernels, [-1], [1], 6, { hessian: compileHamiltonianHessian(lagr) });
      const central = shoot(kernels, [-1], [1], 6, { jacobian: 'central' });
      expect(Math.abs(symbolic.p0[0] - r.p0[0])).toBeLessThan(1e-9);
      expect(Math.abs(central.p0[0] - r.p0[0])).toBeLessThan(1e-9);
    }
  });

  it('2D nonlinear model with state-dependent noise: variational and central Jacobians agree', () => {
    const { lagr, kernels } = kernelsOf({
      name: 'nl',
      state: ['x', 'y'],
      params: { a: 0.3 },
      drift: ['y - x^3', '-x - a*y'],
      diffusion: ['0.2 + 0.1*x^2', '0.3'],
    });
    const from = [0.5, 0];
    const to = [-0.3, 0.4];
    const runs = [
      shoot(kernels, from, to, 2),
      shoot(kernels, from, to, 2, { hessian: compileHamiltonianHessian(lagr) }),
      shoot(kernels, from, to, 2, { jacobian: 'central' }),
    ];
    for (const r of runs) {
      expect(r.converged).toBe(true);
      expect(Math.hypot(r.p0[0] - runs[0].p0[0], r.p0[1] - runs[0].p0[1])).toBeLessThan(1e-8);
    }
    const H = hamiltonianAlong(kernels, runs[0]);
    expect(maxDeviation(H)).toBeLessThan(1e-9 * Math.max(1, Math.abs(H[0])));
  });

  it('uses t0 for time-dependent drift', () => {
    const { kernels } = kernelsOf({ name: 'forced', state: ['x'], params: { k: 1 }, drift: ['-k*(x - sin(t))'], diffusion: 0.5 });
    const a = shoot(kernels, [0], [0.5], 2, { t0: 0 });
    const b = shoot(kernels, [0], [0.5], 2, { t0: 1 });
    expect(a.converged && b.converged).toBe(true);
    expect(b.t[0]).toBe(1);
    expect(b.t[b.t.length - 1]).toBe(3);
    expect(Math.abs(a.p0[0] - b.p0[0])).toBeGreaterThan(1e-3);
  });
});

describe('shoot: failures and bad input', () => {
  const { kernels } = kernelsOf({ name: 'ou', state: ['x'], params: { k: 1, D: 0.5 }, drift: ['-k*x'], diffusion: 'D' });

  it('reports non-convergence instead of throwing', () => {
    const r = shoot(kernels, [1], [2], 3, { p0: [50], maxIterations: 0 });
    expect(r.converged).toBe(false);
    expect(r.iterations).toBe(0);
    expect(r.residual).toBeGreaterThan(1);
    expect(r.x.length).toBe(r.t.length);
    // failedPath: false skips integrating the failed shot's path (a caller about to try multiple shooting).
    const bare = shoot(kernels, [1], [2], 3, { p0: [50], maxIterations: 0, failedPath: false });
    expect(bare.converged).toBe(false);
    expect(bare.t).toEqual([0]);
    expect(bare.x).toEqual([[1]]);
    expect(bare.residual).toBe(Infinity);
    // A shot that converges is recorded whatever failedPath says.
    const good = shoot(kernels, [1], [2], 3, { failedPath: false });
    expect(good.converged).toBe(true);
    expect(good.t.length).toBeGreaterThan(2);
  });

  it('does not iterate where rounding p0 alone misses the end point (x(T) ~ sinh(kT)·p0 at kT = 40)', () => {
    // ∂x(T)/∂p0 = 2D sinh(kT)/k ≈ 1.2e17: one ulp of p0 moves x(T) by about 26.
    const r = shoot(kernels, [1], [2], 40);
    expect(r.converged).toBe(false);
    expect(r.iterations).toBe(0);
    // The same problem at kT = 20 (∂x/∂p0 ≈ 2.4e8, ulp effect ~1e-8 > tol 1e-10) is unreachable too; at kT = 10 it converges.
    expect(shoot(kernels, [1], [2], 20).iterations).toBe(0);
    expect(shoot(kernels, [1], [2], 10).converged).toBe(true);
  });

  it('reports a flow that blows up as not converged', () => {
    const { kernels: blow } = kernelsOf({ name: 'b', state: ['x'], drift: ['x^2'], diffusion: 1 });
    const r = shoot(blow, [1], [2], 3, { p0: [0], maxIterations: 3, maxSteps: 2000 });
    expect(r.converged).toBe(false);
  });

  /** The kernels with a count of ∇H evaluations (each right-hand side of the flow is one). */
  function counted(k: ModelKernels): { kernels: ModelKernels; calls: () => number } {
    let calls = 0;
    const run = k.hamiltonianGradient.run;
    const hamiltonianGradient = { ...k.hamiltonianGradient, run: (input: Float64Array, out: Float64Array) => (calls++, run(input, out)) };
    return { kernels: { ...k, hamiltonianGradient }, calls: () => calls };
  }

  it('gives up a guess from a solved path whose flow fails (rescue: false) without the accurate residual or the rescue', () => {
    // ẋ = x² from 1 blows up at t = 1, before T = 3: with p0 = 0 every integration fails.
    const { kernels: blow } = kernelsOf({ name: 'b', state: ['x'], drift: ['x^2'], diffusion: 1 });
    const rescued = counted(blow);
    expect(shoot(rescued.kernels, [1], [2], 3, { p0: [0], maxIterations: 3, maxSteps: 2000, failedPath: false }).converged).toBe(false);
    const given = counted(blow);
    const r = shoot(given.kernels, [1], [2], 3, { p0: [0], maxIterations: 3, maxSteps: 2000, rescue: false, failedPath: false });
    expect(r.converged).toBe(false);
    expect(r.iterations).toBe(0);
    // One failed tangent integration (at most maxSteps steps of 7 evaluations) against the rescue's dozens of flows.
    expect(given.calls()).toBeLessThanOrEqual(7 * 2000 + 2);
    expect(rescued.calls()).toBeGreaterThan(5 * given.calls());
  });

  it('rejects bad arguments', () => {
    expect(() => shoot(kernels, [1, 2], [0], 1)).toThrow(RangeError);
    expect(() => shoot(kernels, [1], [0], 0)).toThrow(/T must be positive/);
    expect(() => shoot(kernels, [1], [0], 1, { p0: [NaN] })).toThrow(RangeError);
  });
});

describe('dampedNewton: gives up where Newton stalls', () => {
  // r(z) = z with a Jacobian three times too large (an inaccurate, ill-conditioned one): each
  // step shrinks the residual only to 2/3, so a fresh Jacobian is taken every time.
  const residual = (z: Float64Array): Residual => ({ r: Float64Array.from(z), norm: Math.abs(z[0]) });
  it('stops after three fresh Jacobians in a row whose steps shrink the residual less than twofold', () => {
    let jacobians = 0;
    const jacobian = (_z: Float64Array, jac: Float64Array): boolean => {
      jacobians++;
      jac[0] = 3;
      return true;
    };
    const jac = Float64Array.of(3);
    const r = dampedNewton(Float64Array.of(1), residual(Float64Array.of(1)), jac, { residual, jacobian }, 1e-10, 50);
    expect(r.converged).toBe(false);
    expect(r.iterations).toBe(3);
    expect(jacobians).toBe(2); // the first Jacobian was given
  });
  it('converges where the steps contract well', () => {
    const jacobian = (_z: Float64Array, jac: Float64Array): boolean => {
      jac[0] = 1.2; // 20 % off: each step shrinks the residual sixfold
      return true;
    };
    const r = dampedNewton(Float64Array.of(1), residual(Float64Array.of(1)), Float64Array.of(1.2), { residual, jacobian }, 1e-10, 50);
    expect(r.converged).toBe(true);
    expect(Math.abs(r.z[0])).toBeLessThan(1e-10);
  });
});
