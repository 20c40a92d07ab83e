// Shooting on Hamilton's equations (src/solve/shoot.ts) and the discretised
// Newton solver (src/solve/fixed-time.ts) find the same most likely path: the
// discrete path converges to the shooting path at O(h²) at the grid times, and
// the discrete action to the action ∫ L dt = ∫ pᵀDp dt of the shooting path.
// Also `solveAndCheck(..., { method: 'shoot' })`, which polishes by shooting.
import { describe, expect, it } from 'vitest';
import { solveAndCheck } from '../../src/check/path-report.ts';
import { type ModelKernels, compileHamiltonianHessian, compileModel } from '../../src/compile/model-kernels.ts';
import { buildLagrangian } from '../../src/lagrangian/lagrangian.ts';
import { loadModelFile } from '../../src/model/file.ts';
import { derive } from '../../src/noether/derive.ts';
import { integrate } from '../../src/solve/rk45.ts';
import { type ShootResult, momentumAt, shoot } from '../../src/solve/shoot.ts';
import { type PathSolution, solveFixedTime } from '../../src/solve/fixed-time.ts';
import { builtinRules } from '../../src/symmetry/rules.ts';

/** Hamilton's equations plus dS/dt = L = pᵀDp = ½ p·(∂H/∂p − f), on y = [x, p, S]. */
function flowWithAction(kernels: ModelKernels) {
  const n = kernels.n;
  const hin = new Float64Array(2 * n + 1);
  const grad = new Float64Array(2 * n);
  const sin = new Float64Array(n + 1);
  const f = new Float64Array(n);
  return (t: number, y: Float64Array, dy: Float64Array): void => {
    for (let i = 0; i < 2 * n; i++) hin[i] = y[i];
    hin[2 * n] = t;
    kernels.hamiltonianGradient.run(hin, grad);
    for (let i = 0; i < n; i++) sin[i] = y[i];
    sin[n] = t;
    kernels.drift.run(sin, f);
    let L = 0;
    for (let i = 0; i < n; i++) {
      dy[i] = grad[n + i];
      dy[n + i] = -grad[i];
      L += 0.5 * y[n + i] * (grad[n + i] - f[i]);
    }
    dy[2 * n] = L;
  };
}

/** The shooting path at the given times (integrating from the last recorded state before each), and its action. */
function sampleShooting(kernels: ModelKernels, r: ShootResult, times: readonly number[]): { x: number[][]; action: number } {
  const n = kernels.n;
  const rhs = flowWithAction(kernels);
  const opts = { rtol: 1e-12, atol: 1e-14 };
  const x: number[][] = [];
  let i = 0;
  for (const t of times) {
    while (i < r.t.length - 2 && r.t[i + 1] <= t) i++;
    const y0 = Float64Array.from([...r.x[i], ...r.p[i], 0]);
    const y = t === r.t[i] ? y0 : integrate(rhs, r.t[i], y0, t, opts).y;
    x.push(Array.from(y.subarray(0, n)));
  }
  const whole = integrate(rhs, r.t[0], Float64Array.from([...r.x[0], ...r.p[0], 0]), r.t[r.t.length - 1], opts).y;
  return { x, action: whole[2 * n] };
}

/** Shooting seeded with the momentum of the discrete path's first interval. */
function shootFrom(kernels: ModelKernels, hessian: ReturnType<typeof compileHamiltonianHessian>, d: PathSolution, from: number[], to: number[], T: number): ShootResult {
  const h = d.t[1] - d.t[0];
  const mid = d.x[0].map((a, i) => 0.5 * (a + d.x[1][i]));
  const v = d.x[0].map((a, i) => (d.x[1][i] - a) / h);
  return shoot(kernels, from, to, T, { p0: Array.from(momentumAt(kernels, mid, v, h / 2)), hessian });
}

describe.each([
  ['examples/ou2d.yaml', 'the 2D Ornstein–Uhlenbeck process'],
  ['examples/attractor3.yaml', 'the 3-attractor network'],
])('%s (%s), T = 8: shooting and the discretised solver agree', (file) => {
  const lagr = buildLagrangian(loadModelFile(file));
  const kernels = compileModel(lagr);
  const hessian = compileHamiltonianHessian(lagr);
  const from = [0.8, -0.4];
  const to = [-0.4, 0.8];
  const T = 8;

  it('the discrete path converges to the shooting path at O(h²) (< 1e-4 at M = 1000), and the discrete action to the shooting action', () => {
    const Ms = [500, 1000, 2000];
    const pathErrors: number[] = [];
    const actionErrors: number[] = [];
    let reference: ShootResult | undefined;
    for (const m of Ms) {
      const d = solveFixedTime(kernels, from, to, T, { nodes: m });
      expect(d.converged, `M = ${m}: ${d.method}, |g| = ${d.gradientNorm}`).toBe(true);
      const s = shootFrom(kernels, hessian, d, from, to, T);
      expect(s.converged).toBe(true);
      expect(s.residual).toBeLessThan(1e-10);
      expect(s.iterations).toBeLessThan(10);
      // The shooting solution does not depend on the seed (up to its tolerance).
      if (reference) expect(Math.max(...s.p0.map((p, i) => Math.abs(p - reference!.p0[i])))).toBeLessThan(1e-7);
      else reference = s;
      const sampled = sampleShooting(kernels, s, d.t);
      // The end point reached by re-integration is the target.
      expect(Math.hypot(...sampled.x[m].map((v, i) => v - to[i]))).toBeLessThan(1e-8);
      pathErrors.push(Math.max(...d.x.map((p, j) => Math.hypot(...p.map((v, i) => v - sampled.x[j][i])))));
      actionErrors.push(Math.abs(d.action - sampled.action));
    }
    expect(pathErrors[1], `max |x_discrete − x_shooting| at M = 1000`).toBeLessThan(1e-4);
    const order = (e: number[]) => e.slice(1).map((v, i) => Math.log2(e[i] / v));
    for (const p of order(pathErrors)) expect(Math.abs(p - 2), `path errors ${pathErrors.join(', ')}`).toBeLessThan(0.2);
    for (const p of order(actionErrors)) expect(Math.abs(p - 2), `action errors ${actionErrors.join(', ')}`).toBeLessThan(0.2);
  }, 120_000);

  it('solveAndCheck polishes by default: converged, reaches the end point, the same path, every charge conserved to 1e-9', () => {
    const derivation = derive(lagr, builtinRules());
    const r = solveAndCheck(lagr, derivation, { from, to, T, nodes: 1000 });
    expect(r.converged).toBe(true);
    expect(r.method).toBe('newton + shooting');
    expect(r.gradientNorm).toBeLessThan(1e-10); // here: the end-point residual
    expect(r.t[0]).toBe(0);
    expect(r.t[r.t.length - 1]).toBe(T);
    expect(Math.hypot(...r.x[r.x.length - 1].map((v, i) => v - to[i]))).toBeLessThan(1e-10);
    for (const q of r.quantities) {
      expect(q.relativeDrift, q.symbol).toBeLessThan(1e-9);
      expect(q.values).toHaveLength(r.t.length);
      expect(q.drifts).toHaveLength(1);
    }
    expect(r.passed).toBe(true);
    // The same path as the discrete one, interpolated linearly at the recorded times.
    const d = solveFixedTime(kernels, from, to, T, { nodes: 1000 });
    const h = T / 1000;
    let worst = 0;
    for (let j = 0; j < r.t.length; j++) {
      const a = Math.min(Math.floor(r.t[j] / h), 999);
      const f = r.t[j] / h - a;
      const interp = d.x[a].map((v, i) => (1 - f) * v + f * d.x[a + 1][i]);
      worst = Math.max(worst, Math.hypot(...r.x[j].map((v, i) => v - interp[i])));
    }
    // Linear interpolation of the discrete path adds ≤ h²/8 max|ẍ|.
    expect(worst).toBeLessThan(2e-4);
  }, 120_000);
});
