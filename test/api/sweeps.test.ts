// Sweeps in the library (noether/node's sweep, mergeSweeps): the order of the
// points of a grid, shards that merge into the whole sweep, and the checks that
// refuse shards which do not belong together.
import { describe, expect, it } from 'vitest';
import { type SweepReport, mergeSweeps, readModelFile, sweep } from '../../src/node.ts';
import { noetherErrorOf } from '../helpers/errors.ts';

const ou = readModelFile('examples/ou2d.yaml');
const request = {
  from: [1, 0],
  to: [0, 1],
  T: 2,
  params: [{ name: 'k', start: 0.5, stop: 1, count: 2 }, { name: 'D', start: 0.25, stop: 0.75, count: 3 }],
  nodes: 100,
  refine: false,
};

describe('sweep', () => {
  it('lists a grid in row-major order, the first parameter outermost, each point on its own model', async () => {
    const r = await sweep(ou, request, { file: 'examples/ou2d.yaml' });
    expect(r.total).toBe(6);
    expect(r.points.map((p) => [p.index, p.params.k, p.params.D])).toEqual([[0, 0.5, 0.25], [1, 0.5, 0.5], [2, 0.5, 0.75], [3, 1, 0.25], [4, 1, 0.5], [5, 1, 0.75]]);
    expect(r.model).toEqual({ name: 'ou2d', state: ['x', 'y'], params: { k: 1, D: 0.5 }, digest: expect.stringMatching(/^[0-9a-f]{14}$/) });
    // The action scales as 1/D at fixed k (L = (ẋ + kx)²/(4D)).
    const S = (i: number): number => r.points[i].path?.action as number;
    expect(S(0) / S(2)).toBeCloseTo(3, 10);
    expect(S(3) / S(4)).toBeCloseTo(2, 10);
    expect(JSON.parse(JSON.stringify(r))).toStrictEqual(r);
  });

  it('shards in any order merge into the whole sweep; a shard that is not one, cut short, or of another model is refused', async () => {
    const whole = await sweep(ou, request);
    const part = (index: number, count: number, spec = ou): Promise<SweepReport> => sweep(spec, { ...request, shard: { index, count } });
    const [a, b, c] = await Promise.all([part(1, 3), part(2, 3), part(3, 3)]);
    expect(a.points.map((p) => p.index)).toEqual([0, 3]);
    expect(mergeSweeps([c, a, b])).toEqual(whole);
    expect(mergeSweeps([await part(1, 1)])).toEqual(whole);
    expect(noetherErrorOf(() => mergeSweeps([whole])).message).toBe('[0]: expected the JSON report of a sweep shard (sweep --shard k/K --json or --out)');
    expect(noetherErrorOf(() => mergeSweeps([a, { ...b, points: b.points.slice(1) }, c])).message).toBe('[1]: shard 2/3 does not hold its points (i mod 3 = 1): it was cut short or edited');
    const otherModel = await part(2, 3, { ...ou, drift: ['-k*x', '-2*k*y'] });
    expect(noetherErrorOf(() => mergeSweeps([a, otherModel, c])).message).toMatch(/^\[1\]: shard 2\/3 comes from another sweep/);
    expect(noetherErrorOf(() => mergeSweeps([])).message).toBe('no shards to merge');
  });

  it('checks the request before solving anything, naming the field', async () => {
    await expect(sweep(ou, { ...request, params: [{ name: 'k', start: 0.5, stop: 1, count: 0 }] })).rejects.toMatchObject({ code: 'request', where: { path: 'params[0].count' } });
    await expect(sweep(ou, { ...request, T: undefined, E: [0.5, Number.NaN] })).rejects.toMatchObject({ where: { path: 'E[1]' } });
    await expect(sweep(ou, { ...request, params: [] })).rejects.toMatchObject({ where: { path: 'params' } });
    await expect(sweep(ou, request, { workers: 0 })).rejects.toMatchObject({ where: { path: 'workers' } });
  });
});
