// The positive side of model building: diffusion structure, dependence flags,
// positive-definiteness evidence, TypeScript specs and the example models.

import { readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Expr } from '../../src/expr/expr.ts';
import { evaluate } from '../../src/expr/evaluate.ts';
import { toText } from '../../src/expr/print.ts';
import { buildModel } from '../../src/model/build.ts';
import { PD_SAMPLES } from '../../src/model/diffusion.ts';
import { parseModelText } from '../../src/model/load.ts';
import { loadModelFile } from '../../src/model/file.ts';
import type { Model, ModelSpec } from '../../src/model/types.ts';

const MODELS = fileURLToPath(new URL('../fixtures/cas/models/', import.meta.url));

/** Builds a model from YAML text. */
function yaml(text: string): Model {
  return buildModel(parseModelText(text, 'inline.yaml'), { file: 'inline.yaml' });
}

/** A 2-D model with the given diffusion/noise lines. */
function model2d(lines: string, params = '{k: 1.0, a: 0.5, b: 0.3, c: 0.8, s: 0.7}'): Model {
  return yaml(`name: m\nstate: [x, y]\nparams: ${params}\ndrift: ["-k*x", "-k*y"]\n${lines}\n`);
}

/** Values of the state, t and the parameters at a point, by name. */
function at(model: Model, point: Record<string, number>): Map<string, number> {
  return new Map<string, number>([...model.params.map((p): [string, number] => [p.name, p.value]), ['t', 0.7], ...Object.entries(point)]);
}

/** D evaluated numerically at a point. */
function dAt(model: Model, point: Record<string, number>): number[][] {
  const values = at(model, point);
  return model.diffusion.matrix.map((row) => row.map((d: Expr) => evaluate(d, values)));
}

function expectMatrixClose(actual: number[][], expected: number[][]): void {
  expect(actual.length).toBe(expected.length);
  actual.forEach((row, i) => {
    expect(row.length).toBe(expected[i].length);
    row.forEach((v, j) => expect(v, `D[${i}][${j}]`).toBeCloseTo(expected[i][j], 12));
  });
}

describe('diffusion structure', () => {
  it('a scalar diffusion is isotropic: D = d·I', () => {
    const m = model2d('diffusion: a');
    expect(m.diffusion.structure).toBe('isotropic');
    expect(m.diffusion.matrix.map((r) => r.map(toText))).toEqual([
      ['a', '0'],
      ['0', 'a'],
    ]);
    expect(m.noise).toBeUndefined();
  });

  it('a list of diffusion entries is diagonal', () => {
    const m = model2d('diffusion: [a, "b + x^2"]');
    expect(m.diffusion.structure).toBe('diagonal');
    expectMatrixClose(dAt(m, { x: 2, y: -1 }), [
      [0.5, 0],
      [0, 0.3 + 4],
    ]);
  });

  it('a list of equal diffusion entries is isotropic', () => {
    expect(model2d('diffusion: [a, a]').diffusion.structure).toBe('isotropic');
  });

  it('a diffusion matrix with off-diagonal entries is full', () => {
    const m = model2d('diffusion: [[a, b], [b, c]]');
    expect(m.diffusion.structure).toBe('full');
    expectMatrixClose(dAt(m, { x: 0, y: 0 }), [
      [0.5, 0.3],
      [0.3, 0.8],
    ]);
  });

  it('a full matrix whose off-diagonals are zero becomes diagonal', () => {
    expect(model2d('diffusion: [[a, 0], [0, c]]').diffusion.structure).toBe('diagonal');
    // Zero symbolically, not only literally.
    const m = model2d('diffusion: [[a, "b*x - x*b"], ["(y - y)*a", "c*(1 + y^2)"]]');
    expect(m.diffusion.structure).toBe('diagonal');
    expect(toText(m.diffusion.matrix[0][1])).toBe('0');
    expect(toText(m.diffusion.matrix[1][0])).toBe('0');
    // And one with equal diagonal entries is isotropic.
    expect(model2d('diffusion: [[a, 0], [0, a]]').diffusion.structure).toBe('isotropic');
  });

  it('a scalar noise s gives the isotropic D = s²/2', () => {
    const m = model2d('noise: s');
    expect(m.diffusion.structure).toBe('isotropic');
    expectMatrixClose(dAt(m, { x: 1, y: 2 }), [
      [0.7 ** 2 / 2, 0],
      [0, 0.7 ** 2 / 2],
    ]);
  });

  it('a list of noise entries gives the diagonal D = diag(g_i²/2)', () => {
    const m = model2d('noise: [s, "a*(1 + x^2)"]');
    expect(m.diffusion.structure).toBe('diagonal');
    const x = 1.3;
    expectMatrixClose(dAt(m, { x, y: -0.4 }), [
      [0.7 ** 2 / 2, 0],
      [0, (0.5 * (1 + x * x)) ** 2 / 2],
    ]);
  });

  it('a 2×3 noise matrix G gives the full D = G Gᵀ/2, entry by entry', () => {
    const m = model2d('noise:\n  - [s, "a*x", 0]\n  - [0, b, "s*(1 + y^2)"]');
    expect(m.diffusion.structure).toBe('full');
    expect(m.noise).toHaveLength(2);
    for (const row of m.noise!) expect(row).toHaveLength(3);
    for (const [x, y] of [
      [0.9, -1.7],
      [-2.2, 0.3],
    ]) {
      const { s, a, b } = { s: 0.7, a: 0.5, b: 0.3 };
      const g = [
        [s, a * x, 0],
        [0, b, s * (1 + y * y)],
      ];
      const expected = g.map((gi) => g.map((gj) => gi.reduce((acc, gik, k) => acc + gik * gj[k], 0) / 2));
      expectMatrixClose(dAt(m, { x, y }), expected);
      // The Expr G stored on the model evaluates to the same G.
      const values = at(m, { x, y });
      expectMatrixClose(
        m.noise!.map((r) => r.map((e) => evaluate(e, values))),
        g,
      );
    }
  });
});

describe('dependence and positive definiteness', () => {
  it('a constant D depends on neither state nor time and is checked exactly', () => {
    const m = model2d('diffusion: [[a, b], [b, c]]');
    expect(m.diffusion.dependsOnState).toBe(false);
    expect(m.diffusion.dependsOnTime).toBe(false);
    expect(m.diffusion.positiveDefinite.evidence).toBe('exact');
  });

  it('a constant D without parameters but with irrational entries is checked exactly', () => {
    const m = model2d('diffusion: [["sqrt(2)", "exp(-1)"], ["exp(-1)", "sqrt(3)"]]');
    expect(m.diffusion.dependsOnState).toBe(false);
    expect(m.diffusion.positiveDefinite.evidence).toBe('exact');
  });

  it('a constant D with parameters inside functions is checked with the parameter values', () => {
    // exp(-a), sqrt(a) with a = 0.5: positive definite (det = sqrt(2)·sqrt(1/2) - e^-1 > 0).
    for (const lines of ['diffusion: "exp(-a)"', 'diffusion: [["sqrt(2)", "exp(-a)"], ["exp(-a)", "sqrt(a)"]]', 'noise: "exp(a)"']) {
      const m = model2d(lines);
      expect(m.diffusion.dependsOnState, lines).toBe(false);
      expect(m.diffusion.positiveDefinite.evidence, lines).toBe('exact');
    }
  });

  it('a constant D with pi or e is checked exactly', () => {
    const quarter = model2d('diffusion: "pi/4"');
    expect(quarter.diffusion.structure).toBe('isotropic');
    expect(quarter.diffusion.positiveDefinite.evidence).toBe('exact');
    expectMatrixClose(dAt(quarter, {}), [
      [Math.PI / 4, 0],
      [0, Math.PI / 4],
    ]);
    const full = model2d('diffusion: [[e, 1], [1, pi]]');
    expect(full.diffusion.structure).toBe('full');
    expect(full.diffusion.positiveDefinite.evidence).toBe('exact');
    const noise = model2d('noise: pi');
    expectMatrixClose(dAt(noise, {}), [
      [Math.PI ** 2 / 2, 0],
      [0, Math.PI ** 2 / 2],
    ]);
  });

  it('a state-dependent D is checked at sample points', () => {
    const m = model2d('diffusion: ["a*(1 + x^2)", c]');
    expect(m.diffusion.dependsOnState).toBe(true);
    expect(m.diffusion.dependsOnTime).toBe(false);
    expect(m.diffusion.positiveDefinite).toEqual({ evidence: 'sampled', points: PD_SAMPLES });
  });

  it('a time-dependent D is checked at sample points', () => {
    const m = model2d('diffusion: "a*(1 + t^2)"');
    expect(m.diffusion.dependsOnState).toBe(false);
    expect(m.diffusion.dependsOnTime).toBe(true);
    expect(m.diffusion.positiveDefinite).toEqual({ evidence: 'sampled', points: PD_SAMPLES });
  });

  it('a state-dependent noise makes D state-dependent', () => {
    const m = model2d('noise: [[s, "a*x"], [0, s]]');
    expect(m.diffusion.dependsOnState).toBe(true);
    expect(m.diffusion.dependsOnTime).toBe(false);
    expect(m.diffusion.positiveDefinite.evidence).toBe('sampled');
  });

  it('the drift may depend on x and t without making D depend on them', () => {
    const m = yaml('name: m\nstate: [x]\nparams: {D: 0.5}\ndrift: "-x + sin(t)"\ndiffusion: D\n');
    expect(m.diffusion.dependsOnState).toBe(false);
    expect(m.diffusion.dependsOnTime).toBe(false);
    expect(m.diffusion.positiveDefinite.evidence).toBe('exact');
  });
});

describe('specs', () => {
  it('a TypeScript object spec gives the same model as YAML', () => {
    const spec: ModelSpec = {
      name: 'ou2d',
      description: 'Isotropic two-dimensional Ornstein-Uhlenbeck process.',
      state: ['x', 'y'],
      params: { k: 1.0, D: 0.5 },
      drift: ['-k*x', '-k*y'],
      diffusion: 'D',
    };
    const fromObject = buildModel(spec);
    const fromFile = loadModelFile(join(MODELS, 'ou2d.yaml'));
    expect(fromObject.name).toBe(fromFile.name);
    expect(fromObject.description).toBe(fromFile.description);
    expect(fromObject.state).toEqual(fromFile.state);
    expect(fromObject.params).toEqual(fromFile.params);
    expect(fromObject.drift.map((e) => e.key)).toEqual(fromFile.drift.map((e) => e.key));
    expect(fromObject.diffusion).toEqual(fromFile.diffusion);
    expect(fromObject.file).toBeUndefined();
    expect(fromFile.file).toBe(join(MODELS, 'ou2d.yaml'));
    expect(fromObject.spec).toEqual(spec);
  });

  it('a TypeScript spec may give numbers as entries', () => {
    const m = buildModel({ name: 'n', state: ['x', 'y'], drift: [0, '-y'], noise: [[1, 0.5], [0, 2]] });
    expect(toText(m.drift[0])).toBe('0');
    expect(m.diffusion.structure).toBe('full');
    expectMatrixClose(dAt(m, {}), [
      [(1 + 0.25) / 2, 0.5],
      [0.5, 2],
    ]);
  });

  it('for N = 1 the drift may be a scalar', () => {
    const a = yaml('name: m\nstate: [x]\nparams: {k: 2, D: 1}\ndrift: "-k*x"\ndiffusion: D\n');
    const b = yaml('name: m\nstate: [x]\nparams: {k: 2, D: 1}\ndrift: ["-k*x"]\ndiffusion: D\n');
    expect(a.drift).toHaveLength(1);
    expect(a.drift[0].key).toBe(b.drift[0].key);
    const c = buildModel({ name: 'c', state: ['x'], drift: 0.3, diffusion: 1 });
    expect(c.drift).toHaveLength(1);
    expect(evaluate(c.drift[0], new Map())).toBe(0.3);
  });
});

describe('the example models', () => {
  const files = readdirSync(MODELS)
    .filter((f) => f.endsWith('.yaml'))
    .sort();
  const structure: Record<string, string> = {
    attractor3: 'isotropic',
    ddm: 'isotropic',
    fullconst2d: 'full',
    fullnoise2x3: 'full',
    multiplicative1d: 'isotropic',
    ou1d: 'isotropic',
    ou2d: 'isotropic',
    ring: 'isotropic',
    timedep3d: 'diagonal',
  };

  it('are all there', () => {
    expect(files.length).toBeGreaterThanOrEqual(Object.keys(structure).length);
  });

  it.each(files)('%s loads', (f) => {
    const file = join(MODELS, f);
    const m = loadModelFile(file);
    const name = basename(f, '.yaml');
    expect(m.name).toBe(name);
    expect(m.file).toBe(file);
    expect(m.drift).toHaveLength(m.state.length);
    expect(m.diffusion.matrix).toHaveLength(m.state.length);
    for (const row of m.diffusion.matrix) expect(row).toHaveLength(m.state.length);
    if (structure[name]) expect(m.diffusion.structure).toBe(structure[name]);
    const constant = !m.diffusion.dependsOnState && !m.diffusion.dependsOnTime;
    expect(m.diffusion.positiveDefinite.evidence).toBe(constant ? 'exact' : 'sampled');
  });
});

describe('time interval', () => {
  it('bounds the sampling of t, so a D positive only on the interval is accepted', async () => {
    const { buildModel } = await import('../../src/model/build.ts');
    const spec = { name: 'rev', state: ['x'], params: { S: 2 }, drift: ['-x'], diffusion: 'S - t' };
    expect(() => buildModel(spec)).toThrow(/not positive definite/);
    const m = buildModel({ ...spec, time: [0, 1.9] });
    expect(m.time).toEqual([0, 1.9]);
    expect(m.timeGiven).toBe(true);
    expect(m.diffusion.positiveDefinite.evidence).toBe('sampled');
  });
  it('rejects a malformed interval, naming the field', async () => {
    const { buildModel } = await import('../../src/model/build.ts');
    const base = { name: 'm', state: ['x'], drift: ['-x'], diffusion: 1 };
    for (const time of [[1, 0], [0], ['0', 1], [0, Infinity]]) {
      expect(() => buildModel({ ...base, time } as never)).toThrow(/time: expected/);
    }
  });
});
