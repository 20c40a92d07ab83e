// Vector models (issue 13, item 1): vector states, vector and matrix parameters
// and one vector expression per state entry are expanded into the component
// model a person would write by hand — checked against that hand-written model —
// with shape mistakes named by operand and shape.
import { describe, expect, it } from 'vitest';
import { createAnalyzer } from '../../src/api/analyzer.ts';
import type { NoetherError } from '../../src/errors.ts';
import { compileScalar } from '../../src/expr/evaluate.ts';
import { buildModel } from '../../src/model/build.ts';
import type { Model, ModelSpec } from '../../src/model/types.ts';
import { Rng } from '../../src/random/rng.ts';
import { readModelFile } from '../../src/model/file.ts';
import { readArrayParams } from '../../src/model/vectors.ts';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { noetherErrorOf } from '../helpers/errors.ts';

const W = [[0, 0.5, -0.2], [0.3, 0, 0.1], [-0.4, 0.2, 0]];
const b = [0.1, 0, -0.1];
const RNN: ModelSpec = { name: 'rnn3', state: { x: 3 }, params: { W, b, D: 0.05 }, drift: '-x + W*tanh(x) + b', diffusion: 'D' };
/** The same network written by components, by hand. */
const RNN_BY_HAND: ModelSpec = {
  name: 'rnn3-components',
  state: ['x_1', 'x_2', 'x_3'],
  params: { D: 0.05 },
  drift: [0, 1, 2].map((i) => `-x_${i + 1} + ${W[i].map((w, j) => `(${w})*tanh(x_${j + 1})`).join(' + ')} + (${b[i]})`),
  diffusion: 'D',
};

/** max |f_vector − f_hand| over seeded points (components in the same order, parameters at their values). */
function driftDifference(a: Model, c: Model, seed = 1): number {
  const names = [...a.state, 't', ...a.params.map((p) => p.name)];
  const index = new Map(names.map((s, i) => [s, i]));
  const fa = a.drift.map((e) => compileScalar(e, (s) => index.get(s)));
  const fc = c.drift.map((e) => compileScalar(e, (s) => index.get(s)));
  const rng = new Rng(seed);
  let worst = 0;
  for (let k = 0; k < 20; k++) {
    const point = [...a.state.map(() => rng.between(-2, 2)), rng.between(0, 1), ...a.params.map((p) => p.value)];
    fa.forEach((f, i) => (worst = Math.max(worst, Math.abs(f(point) - fc[i](point)))));
  }
  return worst;
}

/** One parameter file of test/fixtures/vectors, read as a model's params would be. */
function readModelFileParam(file: string): unknown {
  const dir = mkdtempSync(join(tmpdir(), 'noether-param-'));
  try {
    const source = join(process.cwd(), 'test/fixtures/vectors', file);
    writeFileSync(join(dir, 'm.yaml'), `name: m\nstate: [x]\nparams: {P: {file: '${source}'}}\ndrift: "-x"\ndiffusion: 0.5\n`);
    return (readModelFile(join(dir, 'm.yaml')).params as Record<string, unknown>).P;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const errorOf = (spec: unknown): NoetherError => noetherErrorOf(() => buildModel(spec));

describe('vector models', () => {
  it('state {x: 3}, W, b and "-x + W*tanh(x) + b": the components x_1 … x_3 and the drift of the hand-written model', () => {
    const vector = buildModel(RNN);
    const hand = buildModel(RNN_BY_HAND);
    expect(vector.state).toEqual(['x_1', 'x_2', 'x_3']);
    expect(vector.params.map((p) => p.name)).toEqual(['D']); // W and b are numbers in the expressions
    expect(driftDifference(vector, hand)).toBeLessThan(1e-14);
  });

  it('the Lagrangian, its symmetries and a solved path are those of the hand-written model', () => {
    const [vector, hand] = [createAnalyzer(RNN), createAnalyzer(RNN_BY_HAND)];
    expect(vector.lagrangian().lagrangian.expr).toBe(hand.lagrangian().lagrangian.expr);
    const statuses = (a: typeof vector) => a.derivation().symmetries.map((s) => [s.description, s.status]);
    expect(statuses(vector)).toEqual(statuses(hand));
    const request = { from: [0.5, 0, -0.5], to: [-0.2, 0.4, 0.1], T: 2 };
    expect(vector.path(request).action).toBeCloseTo(hand.path(request).action, 12);
  });

  it('a vector next to a scalar, norm() and dot(), a matrix parameter: rotation in the (x_1, x_2) plane is exact', () => {
    const spec: ModelSpec = { name: 'radial', state: [{ x: 2 }, 'y'], params: { k: 1, D: 0.5, A: [[0, -1], [1, 0]] }, drift: ['-k*x*norm(x)^2 + A*x', '-y + dot(x, x)'], diffusion: 'D' };
    const hand: ModelSpec = { name: 'radial-components', state: ['x_1', 'x_2', 'y'], params: { k: 1, D: 0.5 }, drift: ['-k*x_1*(x_1^2 + x_2^2) - x_2', '-k*x_2*(x_1^2 + x_2^2) + x_1', '-y + x_1^2 + x_2^2'], diffusion: 'D' };
    expect(driftDifference(buildModel(spec), buildModel(hand))).toBeLessThan(1e-13);
    const rotation = createAnalyzer(spec).derivation().symmetries.find((s) => s.description === 'rotation in the (x_1, x_2) plane');
    expect(rotation?.status).toBe('exact');
  });

  it('D as a matrix parameter or a vector parameter (its diagonal)', () => {
    const full = buildModel({ ...RNN, params: { W, b, S: [[0.1, 0.02, 0], [0.02, 0.1, 0], [0, 0, 0.1]] }, diffusion: 'S' });
    expect(full.diffusion.structure).toBe('full');
    const diagonal = buildModel({ ...RNN, params: { W, b, d: [0.1, 0.2, 0.3] }, diffusion: 'd' });
    expect(diagonal.diffusion.structure).toBe('diagonal');
  });

  it('a one-component vector takes a scalar drift per entry, as in the component syntax', () => {
    const m = buildModel({ name: 'one', state: [{ x: 1 }, 'y'], params: { D: 0.5 }, drift: ['-x_1 + y', '-y'], diffusion: 'D' });
    const hand = buildModel({ name: 'one-components', state: ['x_1', 'y'], params: { D: 0.5 }, drift: ['-x_1 + y', '-y'], diffusion: 'D' });
    expect(m.drift.map((e) => e.key)).toEqual(hand.drift.map((e) => e.key));
    // The vector name itself is a one-component vector expression there.
    const byName = buildModel({ name: 'one', state: [{ x: 1 }, 'y'], params: { D: 0.5 }, drift: ['-x', '-y'], diffusion: 'D' });
    expect(byName.drift[0].key).toBe(buildModel({ ...hand.spec, drift: ['-x_1', '-y'] }).drift[0].key);
  });

  it('a constant beyond double range in a vector expression is refused like in a scalar one', () => {
    const err = errorOf({ ...RNN, drift: '-10^400*x' });
    expect([err.code, err.where.path]).toEqual(['limit', 'drift']);
    expect(err.message).toMatch(/about 1e400\) does not fit a double/);
  });

  it('a network of 256 units is accepted, 257 are refused with the limit', () => {
    const n256 = buildModel({ name: 'n256', state: { x: 256 }, params: { W: { random: 'normal', scale: 0.1, seed: 1, shape: [256, 256] }, D: 0.05 }, drift: '-x + W*tanh(x)', diffusion: 'D' });
    expect([n256.state.length, n256.state[255]]).toEqual([256, 'x_256']);
    const err = errorOf({ ...RNN, state: { x: 257 }, params: { D: 0.5 }, drift: '-x' });
    expect([err.code, err.where.path]).toEqual(['limit', 'state']);
    expect(err.message).toMatch(/at most 256 state variables; got 257/);
  });

  it('the component syntax keeps working with a vector state', () => {
    const m = buildModel({ ...RNN, drift: ['-x_1', '-x_2', '-x_3'] });
    expect(m.drift.map((e) => e.key)).toEqual(buildModel({ ...RNN_BY_HAND, drift: ['-x_1', '-x_2', '-x_3'] }).drift.map((e) => e.key));
  });

  it('shape mistakes name both operands and their shapes, with the column', () => {
    let err = errorOf({ ...RNN, params: { W: [[1, 2], [3, 4], [5, 6]], b, D: 0.05 } });
    expect([err.code, err.where.path, err.where.column]).toEqual(['expression', 'drift', 7]);
    expect(err.message).toContain('cannot multiply: W is 3×2, tanh(x) has 3 components (the product needs 2 components)');
    err = errorOf({ ...RNN, drift: '-x + x*x' });
    expect(err.message).toMatch(/x has 3 components, x has 3 components; use dot\(a, b\)/);
    err = errorOf({ ...RNN, drift: 'tanh(W)' });
    expect([err.code, err.where.path]).toEqual(['shape', 'drift']);
    expect(err.message).toMatch(/the drift of x needs 3 components, but this expression is 3×3/);
    err = errorOf({ ...RNN, drift: ['-x', '-x', '-x'] });
    expect(err.message).toMatch(/'x' is a vector \(x_1 … x_3\)/);
    err = errorOf({ ...RNN, params: { W: [[1, 2, 3], [4, 5]], b, D: 0.05 } });
    expect([err.code, err.where.path]).toEqual(['shape', 'params.W[1]']);
    err = errorOf({ ...RNN, state: { x: 0 } });
    expect([err.code, err.where.path]).toEqual(['schema', 'state.x']);
    err = errorOf({ ...RNN, params: { W, b, d: [0.1, 0.2] }, diffusion: 'd' });
    expect([err.code, err.where.path]).toEqual(['shape', 'diffusion']);
    expect(err.message).toMatch(/d has 2 components; as the diagonal of D it needs 3/);
    err = errorOf({ ...RNN, params: { W, b, x: [1, 2, 3], D: 0.05 } });
    expect([err.code, err.where.path]).toEqual(['name', 'params.x']);
  });

  it('matrices and vectors from files beside the model: .npy (float64, float32) and CSV give the inline model', () => {
    const inline = buildModel(RNN);
    const fromFiles = buildModel(readModelFile('test/fixtures/vectors/rnn-files.yaml'));
    expect(driftDifference(fromFiles, inline)).toBeLessThan(1e-14);
    const csv = readModelFile('test/fixtures/vectors/rnn-files.yaml');
    const withCsv = buildModel({ ...csv, params: { ...(csv.params as object), W: readModelFileParam('W.csv') } } as ModelSpec);
    expect(driftDifference(withCsv, inline)).toBeLessThan(1e-14);
    // float32 entries are the float32 roundings of 0.1 and −0.1.
    const b32 = readModelFileParam('b32.npy') as number[];
    expect(b32).toEqual([Math.fround(0.1), 0, Math.fround(-0.1)]);
  });

  it('a missing or malformed data file names the model file, the parameter and the line', () => {
    const dir = mkdtempSync(join(tmpdir(), 'noether-vectors-'));
    try {
      const model = (W: string): string => {
        writeFileSync(join(dir, 'm.yaml'), `name: m\nstate: {x: 2}\nparams: {W: {file: ${W}}}\ndrift: "-W*x"\ndiffusion: 0.5\n`);
        return join(dir, 'm.yaml');
      };
      let err = noetherErrorOf(() => readModelFile(model('nope.csv')));
      expect([err.code, err.where.path, err.where.file]).toEqual(['file', 'params.W', join(dir, 'm.yaml')]);
      expect(err.message).toMatch(/cannot read nope\.csv .*no such file/);
      writeFileSync(join(dir, 'bad.csv'), '1, 2\n3, x\n');
      err = noetherErrorOf(() => readModelFile(model('bad.csv')));
      expect(err.message).toMatch(/params\.W: bad\.csv: line 2, column 2: 'x' is not a finite number/);
      writeFileSync(join(dir, 'ragged.csv'), '1, 2\n3\n4, 5\n');
      expect(noetherErrorOf(() => readModelFile(model('ragged.csv'))).message).toMatch(/row 2 has 1 numbers, row 1 has 2/);
      writeFileSync(join(dir, 'fake.npy'), 'not numpy');
      expect(noetherErrorOf(() => readModelFile(model('fake.npy'))).message).toMatch(/not a \.npy file/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('seeded random matrices: the same numbers for the same spec, N(0, s²) entries, errors by field', () => {
    const spec = (seed: number): ModelSpec => ({ ...RNN, state: { x: 64 }, params: { W: { random: 'normal', scale: 0.1, seed, shape: [64, 64] } as never, D: 0.05 }, drift: '-x + W*tanh(x)' });
    const a = buildModel(spec(3));
    expect(a.drift.map((e) => e.key)).toEqual(buildModel(spec(3)).drift.map((e) => e.key));
    expect(a.drift[0].key).not.toBe(buildModel(spec(4)).drift[0].key);
    // The weights themselves: mean ≈ 0 and standard deviation ≈ 0.1 over 4096 draws.
    const lib = readArrayParams({ W: { random: 'normal', scale: 0.1, seed: 3, shape: [64, 64] } }).arrays.get('W');
    const w = (lib?.entries ?? []).map((e) => (e.kind === 'num' ? e.value.toNumber() : NaN));
    expect(w).toHaveLength(4096);
    const mean = w.reduce((p, q) => p + q, 0) / w.length;
    const sd = Math.sqrt(w.reduce((p, q) => p + (q - mean) ** 2, 0) / w.length);
    expect(Math.abs(mean)).toBeLessThan(4 * 0.1 / 64);
    expect(Math.abs(sd - 0.1)).toBeLessThan(0.005);
    const err = errorOf({ ...RNN, params: { W: { random: 'gauss', shape: [3, 3] } as never, b, D: 0.05 } });
    expect([err.code, err.where.path]).toEqual(['schema', 'params.W.random']);
    expect(errorOf({ ...RNN, params: { W: { random: 'normal', shape: [3, 0] } as never, b, D: 0.05 } }).where.path).toBe('params.W.shape');
  });
});
