// Conditioned ensembles of the drift–diffusion model (examples/ddm.yaml: dx = v dt
// + σ dW, v = 0.5, σ = 1) ending at the wrong bound x = −1. Given x(T) = y the
// process is a Brownian bridge, whose mean x₀ + (y − x₀) t/T does not depend on
// the drift: the conditioned mean is the straight line of paper Eq. 19, which is
// also the most likely path. Euler–Maruyama is exact in law here (constant
// coefficients), so the only errors are statistical and the window |y + 1| ≤ ε.

import { describe, expect, it } from 'vitest';
import { buildLagrangian } from '../../src/lagrangian/lagrangian.ts';
import { loadModelFile } from '../../src/model/file.ts';
import { compareWithMostLikely } from '../../src/simulate/most-likely.ts';
import { simulate } from '../../src/simulate/simulate.ts';

const DDM = loadModelFile('examples/ddm.yaml');
const TIMEOUT = 120_000;

describe('DDM conditioned on a wrong decision', () => {
  const tol = 0.05;
  const paths = 2000;
  const run = (x0: number) =>
    simulate(DDM, { from: [x0], T: 1, dt: 0.01, paths, seed: 19, condition: { to: [-1], tol } });

  it.each([0, -0.5])('from x = %d to x = −1: the mean path is the straight line of Eq. 19 within 4 standard errors + ε', async (x0) => {
    const r = await run(x0);
    expect(r.paths).toBe(paths);
    expect(r.acceptedTotal).toBeGreaterThanOrEqual(paths);
    // P(|x(1) + 1| ≤ 0.05) for x(1) ~ N(x₀ + 0.5, 1): ≈ 0.1 φ(1.5 + x₀).
    const rate = r.acceptanceRate as number;
    const phi = (z: number): number => Math.exp(-z * z / 2) / Math.sqrt(2 * Math.PI);
    const expectedRate = 2 * tol * phi(1.5 + x0);
    expect(Math.abs(rate - expectedRate)).toBeLessThan(4 * Math.sqrt(expectedRate / r.simulated) + 0.01 * expectedRate);

    let distance = 0;
    let seMax = 0;
    r.t.forEach((t, s) => {
      const line = x0 + (-1 - x0) * t; // Eq. 19 with T = 1
      distance = Math.max(distance, Math.abs(r.mean[s][0] - line));
      seMax = Math.max(seMax, r.standardError[s][0]);
    });
    // The end states lie within ε of −1, so the bridge mean deviates from the line by at most ε·t/T.
    const endOffset = Math.abs(r.final.mean[0] + 1);
    expect(endOffset).toBeLessThanOrEqual(tol);
    const tolerance = 4 * seMax + endOffset;
    // Recorded with seed 19: from 0, distance 0.020 with max SE 0.011 (tolerance 0.045); from −0.5, 0.011 with 0.011 (0.044).
    expect(distance, `max |mean − line| = ${distance}, tolerance ${tolerance} (4 × SE ${seMax} + ${endOffset})`).toBeLessThan(tolerance);

    // The same distance measured against the most likely path from the solver.
    const cmp = compareWithMostLikely(buildLagrangian(DDM), r);
    expect(cmp.converged).toBe(true);
    r.t.forEach((t, s) => expect(cmp.path[s][0]).toBeCloseTo(x0 + (-1 - x0) * t, 9));
    expect(cmp.distance).toBeCloseTo(distance, 9);
    expect(cmp.distance).toBeLessThan(4 * cmp.maxStandardError + endOffset);
  }, TIMEOUT);

  it('the pointwise quantiles are those of the Brownian bridge, N(line, σ² t(T − t)/T)', async () => {
    const r = await run(0);
    const s = 50; // t = 0.5
    const sd = Math.sqrt(0.5 * 0.5);
    const q95 = r.quantiles.find((q) => q.level === 0.95)?.x[s][0] as number;
    const q05 = r.quantiles.find((q) => q.level === 0.05)?.x[s][0] as number;
    // 1.645 sd around −0.5; a quantile's standard error is √(q(1−q)/n)/density ≈ 0.025 here.
    expect(Math.abs(q95 - (r.mean[s][0] + 1.645 * sd))).toBeLessThan(0.1);
    expect(Math.abs(q05 - (r.mean[s][0] - 1.645 * sd))).toBeLessThan(0.1);
    expect(Math.abs(r.std[s][0] - sd)).toBeLessThan(4 * sd / Math.sqrt(2 * paths));
  }, TIMEOUT);
});

describe('hopeless conditioning', () => {
  it('stops after the pilot with an estimate of the paths needed', async () => {
    // x(1) ~ N(0.5, 1): ending within 1e-3 of 5 has probability ≈ 3e-8.
    // An outcome, not an error: the result says why it stopped and what it would take.
    const r = await simulate(DDM, { from: [0], T: 1, dt: 0.01, paths: 1000, seed: 1, condition: { to: [5], tol: 1e-3, budget: 1_000_000, pilot: 5000 } });
    const est = r.hopeless;
    expect(est).toBeDefined();
    if (!est) return;
    expect(est.message).toMatch(/hopeless/);
    expect(est.message).toMatch(/none of \d+ simulated paths/);
    expect(est.message).toMatch(/would need at least/);
    expect(est.accepted).toBe(0);
    expect(r.paths).toBe(0);
    expect(est.simulated).toBe(r.simulated);
    expect(est.simulated).toBeGreaterThanOrEqual(5000);
    expect(est.simulated).toBeLessThan(20000);
    expect(est.needed).toBeGreaterThan(1_000_000);
  });

  it('gives the estimated rate when some paths were accepted but too few', async () => {
    const r = await simulate(DDM, { from: [0], T: 1, dt: 0.01, paths: 10000, seed: 1, condition: { to: [-1], tol: 0.05, budget: 100_000, pilot: 20000 } });
    const est = r.hopeless;
    expect(est).toBeDefined();
    if (!est) return;
    expect(est.accepted).toBeGreaterThan(0);
    // The paths accepted so far are summarised.
    expect(r.paths).toBe(est.accepted);
    // Rate ≈ 1.3%: 10000 paths need ≈ 770000 simulated.
    expect(est.needed).toBeGreaterThan(500_000);
    expect(est.needed).toBeLessThan(1_100_000);
    expect(est.message).toMatch(/would need about/);
  });
});
