// Quantiles by multiple selection agree with sorting (type 7 interpolation).

import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/random/rng.ts';
import { quantileSorted, quantilesOf, sampleGrid, stepsFor, thinSteps } from '../../src/simulate/simulate.ts';

describe('quantilesOf', () => {
  const rng = new Rng(12);
  const levels = [0, 0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99, 1];
  it.each([1, 2, 3, 10, 25, 100, 1001, 20000])('equals sorting for %i values (with ties)', (m) => {
    for (const ties of [false, true]) {
      const values = Float64Array.from({ length: m }, () => (ties ? Math.floor(rng.between(0, 7)) : rng.normal()));
      const sorted = Float64Array.from(values).sort();
      expect(quantilesOf(Float64Array.from(values), levels)).toEqual(levels.map((q) => quantileSorted(sorted, q)));
    }
  });
  it('gives NaN for no values', () => {
    expect(quantilesOf(new Float64Array(0), [0.5])).toEqual([NaN]);
  });
});

describe('grids', () => {
  it('steps: T/⌈T/dt⌉, robust to rounding of T/dt', () => {
    expect(stepsFor(1, 0.1)).toEqual({ steps: 10, h: 0.1 });
    expect(stepsFor(1, 0.3)).toEqual({ steps: 4, h: 0.25 });
    expect(stepsFor(0.3, 0.1).steps).toBe(3);
  });
  it('output grid: at most the requested points, on steps, first and last included', () => {
    expect(sampleGrid(100, 101)).toEqual(Array.from({ length: 101 }, (_, i) => i));
    expect(sampleGrid(10, 101)).toHaveLength(11);
    expect(sampleGrid(1000, 3)).toEqual([0, 500, 1000]);
  });
  it('thinned steps include the last step', () => {
    expect(thinSteps(10, 3)).toEqual([0, 3, 6, 9, 10]);
    expect(thinSteps(9, 3)).toEqual([0, 3, 6, 9]);
  });
});
