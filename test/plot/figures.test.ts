// The paper's figures, checked as numbers rather than pictures (issue 6).
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ConditionedFigure, RingFigure, TransitionFigure } from '../../src/plot/figures.ts';
import { extremeCurves, paperFigure } from '../../src/plot/paper.ts';
import { runDemo } from '../../src/report/demo.ts';

const examples = join(import.meta.dirname, '..', '..', 'examples');

describe('Fig. 1a: DDM wrong decisions around the most likely path (Eq. 19)', () => {
  it('the conditioned mean stays within 4 standard errors (plus the end tolerance) of the straight line', async () => {
    const fig = (await paperFigure('fig1a', examples)).data as ConditionedFigure;
    expect(fig.accepted).toBe(400);
    expect(fig.acceptanceRate).toBeGreaterThan(0.005);
    // The most likely path is the straight line from 0 to -1 (paper Eq. 19).
    fig.t.forEach((t, k) => expect(fig.mostLikely[k][0]).toBeCloseTo(-t / 2, 8));
    expect(fig.distance).toBeLessThan(4 * fig.maxStandardError + fig.tol);
    expect(fig.samples.length).toBeGreaterThan(10);
    for (const p of fig.samples) expect(Math.abs(p.x[p.x.length - 1][0] + 1)).toBeLessThanOrEqual(fig.tol);
  });
});

describe('Fig. 1c: changes of mind in the 3-attractor model (Eq. 20)', () => {
  let fig: TransitionFigure;
  beforeAll(async () => {
    fig = (await paperFigure('fig1c', examples)).data as TransitionFigure;
  });
  it('has three stable states (two choices and the undecided one at the origin) and two saddles', () => {
    const stable = fig.fixedPoints.filter((p) => p.stability === 'stable');
    expect(stable).toHaveLength(3);
    expect(fig.fixedPoints.filter((p) => p.stability === 'saddle')).toHaveLength(2);
    expect(stable.some((p) => Math.hypot(p.x[0], p.x[1]) < 1e-3)).toBe(true);
    // The path ends are the two choice states.
    for (const end of [fig.from, fig.to]) expect(stable.some((p) => Math.hypot(p.x[0] - end[0], p.x[1] - end[1]) < 1e-5)).toBe(true);
  });
  it('every path converged', () => {
    for (const c of fig.curves) expect(c.converged, c.label).toBe(true);
  });
  it('the lowest-energy transition visits the undecided state; the highest goes direct', () => {
    const { lowest, highest } = extremeCurves(fig);
    expect(lowest.closestApproach).toBeLessThan(0.01);
    expect(highest.closestApproach).toBeGreaterThan(0.1);
  });
  it('closest approach grows and transit time falls as the energy rises (paper: t* decreases with E)', () => {
    const curves = [...fig.curves].sort((a, b) => a.E - b.E);
    for (let i = 1; i < curves.length; i++) {
      expect(curves[i].T).toBeLessThan(curves[i - 1].T);
      expect(curves[i].closestApproach as number).toBeGreaterThan(curves[i - 1].closestApproach as number);
    }
  });
});

describe('Fig. 1b: transitions within the 2D OU attractor', () => {
  let fig: TransitionFigure;
  beforeAll(async () => {
    fig = (await paperFigure('fig1b', examples)).data as TransitionFigure;
  });
  it('low energy (and angular momentum) passes near the attractor, high energy does not', () => {
    const { lowest, highest } = extremeCurves(fig);
    expect(lowest.closestApproach).toBeLessThan(0.15);
    expect(highest.closestApproach).toBeGreaterThan(0.5);
  });
  it('angular momentum rises with energy, and the transit time falls', () => {
    const curves = [...fig.curves].sort((a, b) => a.E - b.E);
    for (let i = 1; i < curves.length; i++) {
      expect(Math.abs(curves[i].charge as number)).toBeGreaterThan(Math.abs(curves[i - 1].charge as number));
      expect(curves[i].T).toBeLessThan(curves[i - 1].T);
    }
  });
});

describe('Fig. 2: reverse diffusion to a ring', () => {
  let fig: RingFigure;
  beforeAll(async () => {
    fig = (await paperFigure('fig2', examples)).data as RingFigure;
  });
  it('the probability-flow path is radial: zero angular momentum, ending at the nearest point of the ring', () => {
    const [x0, y0] = fig.start;
    for (const [x, y] of fig.flow.x) expect(Math.abs(x0 * y - y0 * x)).toBeLessThan(1e-9 * (1 + Math.hypot(x, y)));
    const end = fig.flow.x[fig.flow.x.length - 1];
    expect(Math.atan2(end[1], end[0])).toBeCloseTo(Math.atan2(y0, x0), 9);
    expect(Math.abs(Math.hypot(end[0], end[1]) - fig.radius)).toBeLessThan(0.25 * fig.radius);
  });
  it('the most likely path to the PF-ODE end point has zero angular momentum; |L| grows with the angular distance', () => {
    const ref = Math.atan2(fig.start[1], fig.start[0]);
    const byDistance = [...fig.curves].sort((a, b) => Math.abs(a.value - ref) - Math.abs(b.value - ref));
    expect(Math.abs(byDistance[0].charge as number)).toBeLessThan(1e-8);
    for (let i = 1; i < byDistance.length; i++) {
      const d = Math.abs(byDistance[i].value - ref);
      const dPrev = Math.abs(byDistance[i - 1].value - ref);
      if (d - dPrev < 1e-9) continue; // the same distance on the other side
      expect(Math.abs(byDistance[i].charge as number)).toBeGreaterThan(Math.abs(byDistance[i - 1].charge as number));
    }
    // Mirror images have opposite angular momenta.
    const plus = fig.curves.find((c) => Math.abs(c.value - ref - 0.8) < 1e-9);
    const minus = fig.curves.find((c) => Math.abs(c.value - ref + 0.8) < 1e-9);
    expect((plus?.charge as number) + (minus?.charge as number)).toBeCloseTo(0, 6);
  });
});

describe('demo: every charge the detector reports holds along the solved paths', () => {
  it('all examples pass', () => {
    const rows = runDemo(examples, 400);
    expect(rows.length).toBeGreaterThanOrEqual(7);
    for (const r of rows) {
      expect(r.converged, r.model).toBe(true);
      expect(r.passed, `${r.model}: drift ${r.maxRelativeDrift}`).toBe(true);
    }
    const byName = new Map(rows.map((r) => [r.model, r]));
    expect(byName.get('rnn-equivariant')?.charges).toContain('L_xy');
    expect(byName.get('rnn-elementwise')?.charges).not.toContain('L_xy');
    expect(byName.get('free-diffusion')?.symmetries.some((s) => s.startsWith('boost') && s.endsWith('(quasi)'))).toBe(true);
  });
});

describe('the ring example: exact score, finite everywhere it is defined', () => {
  it('drift is finite near the origin, far from the ring, and where R|x|/v is huge; D stays positive on the time interval', async () => {
    const { loadModelFile } = await import('../../src/model/file.ts');
    const { buildLagrangian } = await import('../../src/lagrangian/lagrangian.ts');
    const { compileModel } = await import('../../src/compile/model-kernels.ts');
    const model = loadModelFile(join(examples, 'ring-reverse-sde.yaml'));
    const k = compileModel(buildLagrangian(model));
    const f = new Float64Array(2);
    const D = new Float64Array(4);
    const [t0, t1] = model.time;
    for (const t of [t0, 0.5 * (t0 + t1), t1]) {
      for (const [x, y] of [[1e-12, 0], [0, 1e-300], [3e-8, -2e-8], [2, 0], [40, 30], [1e4, 1e4]]) {
        k.drift.run(Float64Array.from([x, y, t]), f);
        expect(Number.isFinite(f[0]) && Number.isFinite(f[1]), `f(${x}, ${y}, ${t}) = ${f}`).toBe(true);
        k.diffusion.run(Float64Array.from([x, y, t]), D);
        expect(D[0]).toBeGreaterThan(0);
      }
    }
    // At s = Smax − t1 = 0.05, v = s0² + s² ≈ 0.065 and R|x|/v ≈ 4e5 at |x| = 1.4e4:
    // far beyond where I0 overflows, yet the score pulls back towards the ring (-x/v + R/v·x/|x|).
    k.drift.run(Float64Array.from([1e4, 1e4, t1]), f);
    expect(f[0]).toBeLessThan(0);
  });
});
