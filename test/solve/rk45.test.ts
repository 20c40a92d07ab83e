// The Dormand–Prince 5(4) integrator (src/solve/rk45.ts): closed-form
// solutions, the tableau's order conditions, the error–tolerance relation,
// backwards integration, recording and failures.
import { describe, expect, it } from 'vitest';
import { DORMAND_PRINCE, IntegrationError, type Rhs, integrate } from '../../src/solve/rk45.ts';

const decay = (k: number): Rhs => (_t, y, dy) => {
  dy[0] = -k * y[0];
};
/** x'' = −ω² x as (x, v). */
const oscillator = (w: number): Rhs => (_t, y, dy) => {
  dy[0] = y[1];
  dy[1] = -w * w * y[0];
};

describe('Dormand–Prince tableau', () => {
  const { a, b, bHat, c, e } = DORMAND_PRINCE;
  const sum = (v: readonly number[]): number => v.reduce((s, x) => s + x, 0);
  const dot = (u: readonly number[], v: readonly number[]): number => u.reduce((s, x, i) => s + x * (v[i] ?? 0), 0);
  const Ac = (w: readonly number[]): number[] => a.map((row) => dot(row, w));

  it('row sums equal c', () => {
    a.forEach((row, i) => expect(sum(row)).toBeCloseTo(c[i], 14));
  });

  it('weights sum to 1, the last stage is FSAL and e = b − b̂', () => {
    expect(sum(b)).toBeCloseTo(1, 14);
    expect(sum(bHat)).toBeCloseTo(1, 14);
    expect(a[6]).toEqual(b.slice(0, 6));
    expect(c[6]).toBe(1);
    e.forEach((ei, i) => expect(ei).toBeCloseTo(b[i] - bHat[i], 15));
  });

  it('b satisfies the order conditions up to order 5, b̂ up to order 4 but not 5', () => {
    const c2 = c.map((x) => x * x);
    const c3 = c.map((x) => x ** 3);
    const c4 = c.map((x) => x ** 4);
    const cc = (u: readonly number[], v: readonly number[]) => u.map((x, i) => x * v[i]);
    // (tree condition, exact value) for the 17 trees of order ≤ 5
    const conditions = (w: readonly number[]): Array<[number, number]> => [
      [sum(w), 1],
      [dot(w, c), 1 / 2],
      [dot(w, c2), 1 / 3],
      [dot(w, Ac(c)), 1 / 6],
      [dot(w, c3), 1 / 4],
      [dot(w, cc(c, Ac(c))), 1 / 8],
      [dot(w, Ac(c2)), 1 / 12],
      [dot(w, Ac(Ac(c))), 1 / 24],
      [dot(w, c4), 1 / 5],
      [dot(w, cc(c2, Ac(c))), 1 / 10],
      [dot(w, cc(Ac(c), Ac(c))), 1 / 20],
      [dot(w, cc(c, Ac(c2))), 1 / 15],
      [dot(w, Ac(c3)), 1 / 20],
      [dot(w, cc(c, Ac(Ac(c)))), 1 / 30],
      [dot(w, Ac(cc(c, Ac(c)))), 1 / 40],
      [dot(w, Ac(Ac(c2))), 1 / 60],
      [dot(w, Ac(Ac(Ac(c)))), 1 / 120],
    ];
    for (const [got, want] of conditions(b)) expect(got).toBeCloseTo(want, 14);
    const hat = conditions(bHat);
    for (const [got, want] of hat.slice(0, 8)) expect(got).toBeCloseTo(want, 14);
    expect(hat.slice(8).some(([got, want]) => Math.abs(got - want) > 1e-6)).toBe(true);
  });

  it('fixed steps with b and b̂ converge with orders 5 and 4', () => {
    // y' = y cos t, y(0) = 1: y = exp(sin t); non-autonomous to exercise c.
    const f = (t: number, y: number) => y * Math.cos(t);
    const exact = Math.exp(Math.sin(2));
    const run = (steps: number, w: readonly number[]): number => {
      const h = 2 / steps;
      let y = 1;
      for (let s = 0; s < steps; s++) {
        const t = s * h;
        const k: number[] = [];
        for (let i = 0; i < 7; i++) k.push(f(t + c[i] * h, y + h * dot(a[i], k)));
        y += h * dot(w, k);
      }
      return Math.abs(y - exact);
    };
    const order = (w: readonly number[], n: number) => Math.log2(run(n, w) / run(2 * n, w));
    // 40 → 80 steps: observed 5.09 and 3.86
    expect(order(b, 40)).toBeGreaterThan(4.8);
    expect(order(b, 40)).toBeLessThan(5.3);
    expect(order(bHat, 40)).toBeGreaterThan(3.7);
    expect(order(bHat, 40)).toBeLessThan(4.3);
  });
});

describe('integrate', () => {
  it('exponential decay at rtol 1e-10', () => {
    const r = integrate(decay(0.7), 0, Float64Array.of(2), 10, { rtol: 1e-10, atol: 1e-14 });
    expect(r.t).toBe(10);
    expect(Math.abs(r.y[0] - 2 * Math.exp(-7))).toBeLessThan(1e-8 * 2 * Math.exp(-7));
    expect(r.steps).toBeGreaterThan(10);
    expect(r.evaluations).toBe(6 * (r.steps + r.rejected) + 2);
  });

  it('nextStep, the step proposed before the last was clipped, starts a like integration without the step-size start-up', () => {
    const w = 2;
    const scratch = integrate(oscillator(w), 0, Float64Array.of(1, 0.5), 0.3, { rtol: 1e-11, atol: 1e-13 });
    expect(scratch.nextStep).toBeGreaterThan(0);
    // The same segment again, from a slightly moved start (as a shooting Newton step moves it).
    const again = integrate(oscillator(w), 0, Float64Array.of(1.001, 0.5), 0.3, { rtol: 1e-11, atol: 1e-13, h0: scratch.nextStep });
    const fresh = integrate(oscillator(w), 0, Float64Array.of(1.001, 0.5), 0.3, { rtol: 1e-11, atol: 1e-13 });
    expect(again.evaluations).toBeLessThan(fresh.evaluations);
    const x = 1.001 * Math.cos(w * 0.3) + (0.5 / w) * Math.sin(w * 0.3);
    expect(Math.abs(again.y[0] - x)).toBeLessThan(1e-10);
    expect(integrate(oscillator(w), 0, Float64Array.of(1, 0.5), 0).nextStep).toBe(0);
  });

  it('harmonic oscillator at rtol 1e-10 over ten periods', () => {
    const w = 2;
    const T = 10 * Math.PI; // ten periods of cos 2t
    const r = integrate(oscillator(w), 0, Float64Array.of(1, 0.5), T, { rtol: 1e-10, atol: 1e-12 });
    const x = Math.cos(w * T) + (0.5 / w) * Math.sin(w * T);
    const v = -w * Math.sin(w * T) + 0.5 * Math.cos(w * T);
    expect(Math.abs(r.y[0] - x)).toBeLessThan(1e-8);
    expect(Math.abs(r.y[1] - v)).toBeLessThan(1e-8);
  });

  it('error falls in proportion to the tolerance; steps grow like tol^(−1/5)', () => {
    const tols = [1e-4, 1e-6, 1e-8, 1e-10];
    const T = 20;
    const exact = [Math.cos(T), -Math.sin(T)];
    const runs = tols.map((tol) => {
      const r = integrate(oscillator(1), 0, Float64Array.of(1, 0), T, { rtol: tol, atol: tol });
      return { err: Math.hypot(r.y[0] - exact[0], r.y[1] - exact[1]), steps: r.steps };
    });
    for (let i = 1; i < runs.length; i++) {
      expect(runs[i].err).toBeLessThan(runs[i - 1].err);
      expect(runs[i].steps).toBeGreaterThan(runs[i - 1].steps);
    }
    // log-log slopes over the whole range
    const slope = (a: number, b: number) => Math.log(b / a) / Math.log(tols[tols.length - 1] / tols[0]);
    const errSlope = slope(runs[0].err, runs[runs.length - 1].err);
    const stepSlope = slope(runs[0].steps, runs[runs.length - 1].steps);
    expect(errSlope).toBeGreaterThan(0.8);
    expect(errSlope).toBeLessThan(1.2);
    expect(stepSlope).toBeGreaterThan(-0.26);
    expect(stepSlope).toBeLessThan(-0.15);
    for (let i = 0; i < runs.length; i++) expect(runs[i].err).toBeLessThan(100 * tols[i]);
  });

  it('integrates backwards', () => {
    const r = integrate(decay(0.7), 10, Float64Array.of(2 * Math.exp(-7)), 0, { rtol: 1e-10, atol: 1e-14, record: true });
    expect(r.t).toBe(0);
    expect(Math.abs(r.y[0] - 2)).toBeLessThan(1e-8 * 2);
    const ts = r.ts!;
    for (let i = 1; i < ts.length; i++) expect(ts[i]).toBeLessThan(ts[i - 1]);
    // oscillator there and back
    const fwd = integrate(oscillator(1.3), 0.5, Float64Array.of(0.2, -1), 7.5, { rtol: 1e-11, atol: 1e-13 });
    const back = integrate(oscillator(1.3), 7.5, fwd.y, 0.5, { rtol: 1e-11, atol: 1e-13 });
    expect(back.t).toBe(0.5);
    expect(Math.abs(back.y[0] - 0.2)).toBeLessThan(1e-9);
    expect(Math.abs(back.y[1] + 1)).toBeLessThan(1e-9);
  });

  it('records t0, every accepted step and t1 exactly', () => {
    const t1 = 3.1;
    const r = integrate(decay(1), 0.1, Float64Array.of(1), t1, { rtol: 1e-9, record: true });
    expect(r.ts!.length).toBe(r.steps + 1);
    expect(r.ys!.length).toBe(r.steps + 1);
    expect(r.ts![0]).toBe(0.1);
    expect(r.ts![r.ts!.length - 1]).toBe(t1);
    expect(r.ys![r.ys!.length - 1]).toEqual(r.y);
    r.ts!.forEach((t, i) => expect(Math.abs(r.ys![i][0] - Math.exp(-(t - 0.1)))).toBeLessThan(1e-8));
    // copies, not views of the working arrays
    expect(new Set(r.ys!).size).toBe(r.ys!.length);
  });

  it('ends exactly at t1 with a given first step, and does not modify y0', () => {
    const y0 = Float64Array.of(1);
    const r = integrate(decay(1), 0, y0, 1, { h0: 0.3, rtol: 1e-3, atol: 1e-3 });
    expect(r.t).toBe(1);
    expect(y0[0]).toBe(1);
    const same = integrate(decay(1), 2, y0, 2, { record: true });
    expect(same).toMatchObject({ t: 2, steps: 0, ts: [2] });
    expect(same.y[0]).toBe(1);
  });

  it('reuses its stage arrays (no allocation per step)', () => {
    const yArrays = new Set<Float64Array>();
    const dyArrays = new Set<Float64Array>();
    const r = integrate(
      (t, y, dy) => {
        yArrays.add(y);
        dyArrays.add(dy);
        oscillator(1)(t, y, dy);
      },
      0,
      Float64Array.of(1, 0),
      50,
      { rtol: 1e-10 },
    );
    expect(r.steps).toBeGreaterThan(100);
    expect(yArrays.size).toBeLessThanOrEqual(3);
    expect(dyArrays.size).toBeLessThanOrEqual(7);
  });

  it('errorComponents limits the error norm to the leading components', () => {
    // A stiff-ish trailing component would force tiny steps if it were controlled.
    const rhs: Rhs = (_t, y, dy) => {
      dy[0] = -y[0];
      dy[1] = Math.cos(200 * y[0]);
    };
    const all = integrate(rhs, 0, Float64Array.of(1, 0), 5, { rtol: 1e-8 });
    const lead = integrate(rhs, 0, Float64Array.of(1, 0), 5, { rtol: 1e-8, errorComponents: 1 });
    const alone = integrate(decay(1), 0, Float64Array.of(1), 5, { rtol: 1e-8 });
    expect(lead.steps).toBeLessThan(all.steps);
    expect(lead.steps).toBe(alone.steps);
    expect(lead.y[0]).toBe(alone.y[0]);
  });

  it('throws a clear error when maxSteps is exceeded', () => {
    const run = () => integrate(oscillator(1), 0, Float64Array.of(1, 0), 1000, { rtol: 1e-10, maxSteps: 50 });
    expect(run).toThrow(IntegrationError);
    expect(run).toThrow(/maxSteps \(50\) exceeded at t = [\d.e+-]+ before reaching t1 = 1000/);
  });

  it('throws on a blow-up instead of looping', () => {
    // y' = y², y(0) = 1 blows up at t = 1.
    const run = () => integrate((_t, y, dy) => void (dy[0] = y[0] * y[0]), 0, Float64Array.of(1), 2, { rtol: 1e-8 });
    expect(run).toThrow(IntegrationError);
  });

  it('rejects bad options', () => {
    expect(() => integrate(decay(1), 0, Float64Array.of(1), 1, { rtol: 0, atol: 0 })).toThrow(RangeError);
    expect(() => integrate(decay(1), 0, Float64Array.of(1), Infinity)).toThrow(RangeError);
    expect(() => integrate(decay(1), 0, Float64Array.of(1), 1, { h0: 0 })).toThrow(RangeError);
  });
});
