// `noether lagrangian MODEL`: the derivation in its three formats, checked against
// formulas written by hand and against mathjs as an independent evaluator and
// differentiator; LaTeX checked by rendering it with KaTeX; and the built bundle
// (dist/cli.js) run as a process for exit codes and error messages.

import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import katex from 'katex';
import { derivative, evaluate } from 'mathjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LagrangianReport, SCHEMA_VERSION } from '../../src/api/reports.ts';
import { EXIT } from '../../src/cli/io.ts';
import { toText } from '../../src/expr/print.ts';
import { type ExprTree, fromTree } from '../../src/expr/tree.ts';
import { toLatex } from '../../src/latex/latex.ts';
import { type Outcome, runCli, runOk } from '../helpers/cli.ts';
import { Rng } from '../../src/random/rng.ts';

const ROOT = join(import.meta.dirname, '../..');
const example = (name: string): string => join(ROOT, 'examples', name);
const OU2D = example('ou2d.yaml');
const ATTRACTOR3 = example('attractor3.yaml');
const DDM = example('ddm.yaml');
const CLI = join(ROOT, 'dist/cli.js');

// ---------------------------------------------------------------------------
// Helpers

const run = (...argv: string[]): Promise<Outcome> => runCli(argv);
const ok = (...argv: string[]): Promise<string> => runOk(argv);

// The LagrangianReport as a reader of the JSON sees it (mutable, so that a test can corrupt a copy).
interface Formula {
  expr: string;
  latex: string;
  tree: ExprTree;
}
interface Named extends Formula {
  name: string;
}
interface Equations {
  eulerLagrange: Named[];
  hamilton: { xdot: Named[]; pdot: Named[] };
}
interface LagrangianJSON {
  schemaVersion: string;
  kind: 'lagrangian';
  model: {
    name: string;
    description: string | null;
    state: string[];
    params: Record<string, number>;
    drift: Formula[];
    diffusion: {
      structure: string;
      matrix: Formula[][];
      dependsOnState: boolean;
      dependsOnTime: boolean;
      positiveDefinite: { evidence: string; points: number };
    };
    noise: Formula[][] | null;
    time: { interval: [number, number]; given: boolean };
  };
  action: string;
  lagrangian: Formula;
  momenta: Named[];
  energy: Formula;
  hamiltonian: Formula & { momenta: string[] };
  equationsOfMotion: Equations | null;
}

async function json(file: string, ...more: string[]): Promise<LagrangianJSON> {
  const out = await ok('lagrangian', file, '--format', 'json', ...more);
  // Typed as the library's report, so this file's view of it is checked against src/api/reports.ts.
  const report = JSON.parse(out) as LagrangianReport;
  return report;
}

/** The equations of motion, which the CLI always asks for. */
function eom(j: LagrangianJSON): Equations {
  expect(j.equationsOfMotion, 'equationsOfMotion (the CLI asks for them)').not.toBeNull();
  return j.equationsOfMotion as Equations;
}

type Scope = Record<string, number>;

const num = (expr: string, scope: Scope): number => {
  const v: unknown = evaluate(expr, { ...scope });
  expect(typeof v, `${expr} should evaluate to a number`).toBe('number');
  return v as number;
};

/** ∂expr/∂name at the point, by mathjs's own differentiator. */
const partial = (expr: string, name: string, scope: Scope): number => {
  const v: unknown = derivative(expr, name, { simplify: false }).evaluate({ ...scope });
  return v as number;
};

function expectClose(got: number, want: number, what: string, scale = 1): void {
  expect(Number.isFinite(got), `${what}: ${got}`).toBe(true);
  expect(Math.abs(got - want), `${what}: got ${got}, want ${want}`).toBeLessThanOrEqual(1e-9 * (scale + Math.abs(want)));
}

/** Points (x, ẋ) for the model's state names, with the model's parameter values. */
function points(model: LagrangianJSON['model'], count: number, seed: number): Scope[] {
  const rng = new Rng(seed);
  const out: Scope[] = [];
  for (let k = 0; k < count; k++) {
    const scope: Scope = { ...model.params };
    for (const s of model.state) {
      scope[s] = 2 * rng.uniform() - 0.5;
      scope[`${s}_dot`] = 2 * rng.uniform() - 1;
    }
    out.push(scope);
  }
  return out;
}

/** The point extended with the momenta p(x, ẋ) computed from the output's own momentum formulas. */
function withMomenta(j: LagrangianJSON, scope: Scope): Scope {
  const s = { ...scope };
  for (const p of j.momenta) s[p.name] = num(p.expr, scope);
  return s;
}

/** Every formula ({expr, latex, tree}) anywhere in the JSON output. */
function formulaFields(value: unknown, path = '$'): Array<[string, Formula]> {
  if (Array.isArray(value)) return value.flatMap((v, i) => formulaFields(v, `${path}[${i}]`));
  if (value === null || typeof value !== 'object') return [];
  const o = value as Record<string, unknown>;
  const here: Array<[string, Formula]> = typeof o.expr === 'string' && typeof o.latex === 'string' && typeof o.tree === 'object' ? [[path, o as unknown as Formula]] : [];
  return [...here, ...Object.entries(o).filter(([k]) => k !== 'tree').flatMap(([k, v]) => formulaFields(v, `${path}.${k}`))];
}

/** Each formula's exact tree rebuilds (fromTree) to the same expression: the same text and the same LaTeX. */
function checkTrees(j: LagrangianJSON): number {
  const fields = formulaFields(j);
  for (const [path, f] of fields) {
    expect(Object.keys(f).filter((k) => k !== 'name' && k !== 'momenta').sort(), path).toEqual(['expr', 'latex', 'tree']);
    const e = fromTree(f.tree);
    expect(toText(e), `${path}: text of fromTree(tree)`).toBe(f.expr);
    expect(toLatex(e), `${path}: LaTeX of fromTree(tree)`).toBe(f.latex);
  }
  return fields.length;
}

/** Every `latex` string anywhere in the JSON output. */
function latexFields(value: unknown, path = '$'): Array<[string, string]> {
  if (Array.isArray(value)) return value.flatMap((v, i) => latexFields(v, `${path}[${i}]`));
  if (value !== null && typeof value === 'object') {
    return Object.entries(value).flatMap(([k, v]) =>
      k === 'latex' && typeof v === 'string' ? [[path, v] as [string, string]] : latexFields(v, `${path}.${k}`),
    );
  }
  return [];
}

function katexRenders(s: string, displayMode = false): void {
  expect(() => katex.renderToString(s, { throwOnError: true, displayMode }), s).not.toThrow();
}

/**
 * The output must be internally consistent and obey classical mechanics, checked
 * numerically with mathjs (independent of noether's own printer and differentiator):
 * p = ∂L/∂ẋ; E = p·ẋ − L; H(x, p(x,ẋ)) = E(x,ẋ); Hamilton's ẋ = ∂H/∂p gives back ẋ
 * and ṗ = −∂H/∂x; and the accelerations solve d/dt ∂L/∂ẋ = ∂L/∂x.
 */
function checkMechanics(j: LagrangianJSON, seed: number): void {
  const { state } = j.model;
  const L = j.lagrangian.expr;
  for (const pt of points(j.model, 6, seed)) {
    const s = withMomenta(j, pt);
    const at = JSON.stringify(pt);
    // Magnitude of the terms, so tolerances are relative.
    const scale = 1 + Math.abs(num(L, pt)) + state.reduce((a, _x, i) => a + Math.abs(s[j.momenta[i].name]), 0);

    let pxdot = 0;
    state.forEach((x, i) => {
      expectClose(s[j.momenta[i].name], partial(L, `${x}_dot`, pt), `p_${x} = ∂L/∂${x}_dot at ${at}`, scale);
      pxdot += s[j.momenta[i].name] * pt[`${x}_dot`];
    });
    const E = num(j.energy.expr, pt);
    expectClose(E, pxdot - num(L, pt), `E = p·ẋ − L at ${at}`, scale * 10);
    expectClose(num(j.hamiltonian.expr, s), E, `H(x, p(x, ẋ)) = E at ${at}`, scale * 10);

    // Hamilton's equations.
    const H = j.hamiltonian.expr;
    const { hamilton, eulerLagrange } = eom(j);
    state.forEach((x, i) => {
      const p = j.hamiltonian.momenta[i];
      expectClose(num(hamilton.xdot[i].expr, s), pt[`${x}_dot`], `${x}_dot from Hamilton at ${at}`, scale);
      expectClose(num(hamilton.xdot[i].expr, s), partial(H, p, s), `${x}_dot = ∂H/∂${p} at ${at}`, scale);
      expectClose(num(hamilton.pdot[i].expr, s), -partial(H, x, s), `${p}_dot = −∂H/∂${x} at ${at}`, scale * 10);
    });

    // Euler–Lagrange: d/dt p_i = Σ_j ∂p_i/∂x_j ẋ_j + ∂p_i/∂ẋ_j ẍ_j + ∂p_i/∂t = ∂L/∂x_i.
    const acc: Scope = {};
    state.forEach((x, i) => {
      acc[x] = num(eulerLagrange[i].expr, pt);
    });
    state.forEach((x, i) => {
      const p = j.momenta[i].expr;
      let dpdt = partial(p, 't', { t: 0, ...pt });
      let size = Math.abs(dpdt);
      for (const y of state) {
        const a = partial(p, y, pt) * pt[`${y}_dot`];
        const b = partial(p, `${y}_dot`, pt) * acc[y];
        dpdt += a + b;
        size += Math.abs(a) + Math.abs(b);
      }
      const dLdx = partial(L, x, pt);
      expectClose(dpdt, dLdx, `Euler–Lagrange for ${x} at ${at}`, size + scale);
    });
  }
}

// ---------------------------------------------------------------------------
// In-process

// The first run loads the command and its heavy modules; keep that out of the per-test timeout.
beforeAll(async () => {
  await import('../../src/cli/commands/lagrangian.ts');
}, 60_000);

describe('lagrangian examples/ou2d.yaml (text)', () => {
  it('prints the Lagrangian and the equations of motion of the README', async () => {
    const out = await ok('lagrangian', OU2D);
    expect(out).toContain('  L = (x_dot + k*x)^2/(4*D) + (y_dot + k*y)^2/(4*D)\n');
    expect(out).toContain('  x_ddot = k^2*x\n');
    expect(out).toContain('  y_ddot = k^2*y\n');
    expect(out).toMatch(/^Model ou2d: state \(x, y\), parameters k = 1, D = 0\.5\n/);
    expect(out).toContain('Diffusion: isotropic, constant\n');
    expect(out).toContain('Lagrangian (paper Eq. 8):\n');
    expect(out.endsWith('\n')).toBe(true);
  });

  it('matches the example output shown in the README, line for line and in order', async () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const block = /For `examples\/ou2d\.yaml` the text output is:\s*```\n([\s\S]*?)```/.exec(readme);
    expect(block, 'README example block').not.toBeNull();
    const shown = block![1].split('\n').filter((l) => l.trim() !== '' && l.trim() !== '...');
    expect(shown.length).toBeGreaterThan(8);
    const lines = (await ok('lagrangian', OU2D)).split('\n');
    let from = 0;
    for (const line of shown) {
      const at = lines.indexOf(line, from);
      expect(at, `README line ${JSON.stringify(line)} in the output after line ${from}`).toBeGreaterThanOrEqual(0);
      from = at + 1;
    }
  });

  it('has the sections in reading order, with the text formulas equal to the JSON ones', async () => {
    const out = await ok('lagrangian', OU2D);
    const headings = out.split('\n').filter((l) => /^\S.*:$/.test(l));
    expect(headings).toEqual([
      'Lagrangian (paper Eq. 8):',
      'Momenta p = ∂L/∂ẋ (Eq. 15):',
      'Energy E = p·ẋ − L (Eq. 10):',
      'Hamiltonian H(x, p):',
      'Euler–Lagrange equations:',
      "Hamilton's equations:",
    ]);
    const j = await json(OU2D);
    const rows = out
      .split('\n')
      .filter((l) => l.startsWith('  '))
      .map((l) => l.trim());
    expect(rows).toEqual([
      `L = ${j.lagrangian.expr}`,
      ...j.momenta.map((p) => `${p.name} = ${p.expr}`),
      `E = ${j.energy.expr}`,
      `H = ${j.hamiltonian.expr}`,
      ...eom(j).eulerLagrange.map((a) => `${a.name} = ${a.expr}`),
      ...eom(j).hamilton.xdot.map((a) => `${a.name} = ${a.expr}`),
      ...eom(j).hamilton.pdot.map((a) => `${a.name} = ${a.expr}`),
    ]);
  });
});

describe('lagrangian examples/ou2d.yaml --format json', () => {
  it('is a versioned LagrangianReport of the documented shape', async () => {
    const out = await ok('lagrangian', OU2D, '--format', 'json');
    const j = JSON.parse(out) as LagrangianJSON;
    expect(Object.keys(j).sort()).toEqual(
      ['action', 'energy', 'equationsOfMotion', 'hamiltonian', 'kind', 'lagrangian', 'model', 'momenta', 'schemaVersion'].sort(),
    );
    expect(j.schemaVersion).toBe(SCHEMA_VERSION);
    expect(j.schemaVersion).toMatch(/^1\.\d+$/);
    expect(j.kind).toBe('lagrangian');
    expect(j.action).toBe('eq8');
    // The model as noether understood it (ModelSummary): every expression a formula.
    expect(Object.keys(j.model)).toEqual(expect.arrayContaining(['name', 'description', 'state', 'params', 'drift', 'diffusion', 'noise', 'time']));
    expect(j.model).toMatchObject({
      name: 'ou2d',
      description: '2D Ornstein–Uhlenbeck process, single attractor (paper Fig. 1b)',
      state: ['x', 'y'],
      params: { k: 1, D: 0.5 },
      noise: null,
      time: { given: false },
    });
    expect(j.model.drift.map((f) => f.expr)).toEqual(['-k*x', '-k*y']);
    expect(j.model.drift.map((f) => f.latex)).toEqual(['-k x', '-k y']);
    expect(j.model.diffusion).toMatchObject({ structure: 'isotropic', dependsOnState: false, dependsOnTime: false, positiveDefinite: { evidence: 'exact' } });
    // D as a 2×2 matrix, although the file gives the scalar D.
    expect(j.model.diffusion.matrix.map((row) => row.map((f) => f.expr))).toEqual([['D', '0'], ['0', 'D']]);
    expect(j.model.time.interval).toHaveLength(2);
    expect(j.model.time.interval[0]).toBeLessThan(j.model.time.interval[1]);
    expect(Object.keys(j.lagrangian).sort()).toEqual(['expr', 'latex', 'tree']);
    expect(Object.keys(j.energy).sort()).toEqual(['expr', 'latex', 'tree']);
    expect(Object.keys(j.hamiltonian).sort()).toEqual(['expr', 'latex', 'momenta', 'tree']);
    expect(j.hamiltonian).toMatchObject({ expr: expect.any(String), latex: expect.any(String), tree: expect.any(Object), momenta: ['p_x', 'p_y'] });
    // The CLI asks for the equations of motion: they are there, not null.
    const e = eom(j);
    expect(Object.keys(e).sort()).toEqual(['eulerLagrange', 'hamilton']);
    expect(Object.keys(e.hamilton).sort()).toEqual(['pdot', 'xdot']);
    const names = (xs: Named[]): string[] => xs.map((x) => x.name);
    for (const list of [j.momenta, e.eulerLagrange, e.hamilton.xdot, e.hamilton.pdot]) {
      for (const f of list) expect(Object.keys(f).sort()).toEqual(['expr', 'latex', 'name', 'tree']);
    }
    expect(names(j.momenta)).toEqual(['p_x', 'p_y']);
    expect(names(e.eulerLagrange)).toEqual(['x_ddot', 'y_ddot']);
    expect(names(e.hamilton.xdot)).toEqual(['x_dot', 'y_dot']);
    expect(names(e.hamilton.pdot)).toEqual(['p_x_dot', 'p_y_dot']);
    expect(e.eulerLagrange.map((a) => a.expr)).toEqual(['k^2*x', 'k^2*y']);
    // The exact tree of x_ddot = k^2*x (factors in canonical order).
    expect(e.eulerLagrange[0].tree).toEqual({
      kind: 'mul',
      factors: [
        { kind: 'sym', name: 'x' },
        { kind: 'pow', base: { kind: 'sym', name: 'k' }, exp: { kind: 'num', value: '2' } },
      ],
    });
    // Plain data, printed as indented JSON.
    expect(`${JSON.stringify(j, null, 2)}\n`).toBe(out);
    // -f is --format.
    expect(await ok('lagrangian', OU2D, '-f', 'json')).toBe(out);
  });

  it('every tree rebuilds (fromTree) to its formula: the same text and the same LaTeX', async () => {
    // L, 2 momenta, E, H, 2 accelerations, 2 + 2 Hamilton's equations; and the model's 2 drifts and 2×2 D.
    expect(checkTrees(await json(OU2D))).toBe(11 + 2 + 4);
  });

  it('evaluates (with mathjs) to the hand-written formulas at the model parameters', async () => {
    const j = await json(OU2D);
    const { k, D } = j.model.params;
    expect([k, D]).toEqual([1, 0.5]);
    for (const pt of points(j.model, 8, 20240601)) {
      const { x, y, x_dot: xd, y_dot: yd } = pt;
      const at = JSON.stringify(pt);
      expectClose(num(j.lagrangian.expr, pt), ((xd + k * x) ** 2 + (yd + k * y) ** 2) / (4 * D), `L at ${at}`);
      expectClose(num(j.momenta[0].expr, pt), (xd + k * x) / (2 * D), `p_x at ${at}`);
      expectClose(num(j.momenta[1].expr, pt), (yd + k * y) / (2 * D), `p_y at ${at}`);
      expectClose(num(j.energy.expr, pt), (xd ** 2 + yd ** 2 - k ** 2 * x ** 2 - k ** 2 * y ** 2) / (4 * D), `E at ${at}`);
      expectClose(num(eom(j).eulerLagrange[0].expr, pt), k ** 2 * x, `x_ddot at ${at}`);
      expectClose(num(eom(j).eulerLagrange[1].expr, pt), k ** 2 * y, `y_ddot at ${at}`);
      // H at an arbitrary (x, p), not only on p = p(x, ẋ).
      const px = 2 * pt.x_dot - 0.3;
      const py = pt.y_dot + 0.7;
      const hp = { ...pt, p_x: px, p_y: py };
      expectClose(num(j.hamiltonian.expr, hp), D * (px ** 2 + py ** 2) - k * (x * px + y * py), `H at ${JSON.stringify(hp)}`);
      expectClose(num(eom(j).hamilton.xdot[0].expr, hp), 2 * D * px - k * x, `x_dot(x, p) at ${at}`);
      expectClose(num(eom(j).hamilton.pdot[0].expr, hp), k * px, `p_x_dot(x, p) at ${at}`);
      expectClose(num(eom(j).hamilton.pdot[1].expr, hp), k * py, `p_y_dot(x, p) at ${at}`);
    }
    checkMechanics(j, 7);
  });

  it('every latex field renders with KaTeX', async () => {
    const fields = latexFields(await json(OU2D));
    // L, 2 momenta, E, H, 2 accelerations, 2 + 2 Hamilton's equations…
    expect(fields.filter(([path]) => !path.startsWith('$.model.'))).toHaveLength(11);
    // …and in the model: 2 drifts and the 2×2 D.
    expect(fields.filter(([path]) => path.startsWith('$.model.'))).toHaveLength(2 + 4);
    for (const [, s] of fields) katexRenders(s);
    const j = await json(OU2D);
    expect(j.lagrangian.latex).toBe('\\frac{\\left(\\dot{x} + k x\\right)^{2}}{4 D} + \\frac{\\left(\\dot{y} + k y\\right)^{2}}{4 D}');
  });
});

describe('lagrangian --format latex', () => {
  const LEFT = ['L', 'p_{x}', 'p_{y}', 'E', 'H', '\\ddot{x}', '\\ddot{y}', '\\dot{x}', '\\dot{y}', '\\dot{p}_{x}', '\\dot{p}_{y}'];

  it('is one align environment, a label row above each group, one row per equation equal to the JSON latex', async () => {
    const out = await ok('lagrangian', OU2D, '--format', 'latex');
    expect(out.startsWith('\\begin{align}\n')).toBe(true);
    expect(out.endsWith('\n\\end{align}\n')).toBe(true);
    const body = out.slice('\\begin{align}\n'.length, -'\n\\end{align}\n'.length);
    const lines = body.split(' \\\\\n');
    const labels = lines.filter((l) => l.startsWith('  &\\text{'));
    expect(labels.map((l) => /\\text\{([^$]*?)[ :$]/.exec(l)?.[1])).toEqual(['Lagrangian', 'Momenta', 'Energy', 'Hamiltonian', 'Euler--Lagrange', "Hamilton's"]);
    const rows = lines.filter((l) => !l.startsWith('  &\\text{'));
    // ou2d's equations are short: no line is broken.
    expect(rows).toHaveLength(LEFT.length);
    const j = await json(OU2D);
    const right = [
      j.lagrangian.latex,
      ...j.momenta.map((p) => p.latex),
      j.energy.latex,
      j.hamiltonian.latex,
      ...eom(j).eulerLagrange.map((a) => a.latex),
      ...eom(j).hamilton.xdot.map((a) => a.latex),
      ...eom(j).hamilton.pdot.map((a) => a.latex),
    ];
    rows.forEach((row, i) => expect(row).toBe(`  ${LEFT[i]} &= ${right[i]}`));
  });

  it('--document: a whole article around the same block; --document without --format latex is a usage error', async () => {
    const doc = await ok('lagrangian', OU2D, '--format', 'latex', '--document');
    expect(doc.startsWith('\\documentclass{article}\n')).toBe(true);
    expect(doc).toContain(await ok('lagrangian', OU2D, '--format', 'latex'));
    expect(doc.endsWith('\\end{document}\n')).toBe(true);
    const bad = await run('lagrangian', OU2D, '--document');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--document applies to --format latex/);
  });

  it.each([['ou2d.yaml'], ['attractor3.yaml'], ['ddm.yaml']])('%s: the whole block renders with KaTeX in display mode, and so does each row', async (name) => {
    const file = example(name);
    for (const action of ['eq8', 'om']) {
      const out = await ok('lagrangian', file, '--format', 'latex', '--action', action);
      // KaTeX accepts {align} only in display mode (it is a display environment, as in LaTeX).
      katexRenders(out, true);
      const body = out.replace(/^\\begin\{align\}\n/, '').replace(/\n\\end\{align\}\n$/, '');
      for (const row of body.split(' \\\\\n')) katexRenders(`\\begin{align}${row}\\end{align}`, true);
    }
  });
});

describe('lagrangian examples/attractor3.yaml', () => {
  it('obeys the mechanics checks (mathjs) with --action eq8 and --action om', async () => {
    checkMechanics(await json(ATTRACTOR3), 11);
    checkMechanics(await json(ATTRACTOR3, '--action', 'om'), 12);
  });

  it('the mechanics checks are not vacuous: each catches a slightly wrong formula', async () => {
    const good = await json(ATTRACTOR3, '--action', 'om');
    const corrupt: Array<(j: LagrangianJSON) => void> = [
      (j) => void (eom(j).eulerLagrange[1].expr = `(${eom(j).eulerLagrange[1].expr})*1.0001`),
      (j) => void (j.momenta[0].expr = `(${j.momenta[0].expr}) + 1e-4`),
      (j) => void (j.energy.expr = `(${j.energy.expr})*1.0001`),
      (j) => void (j.hamiltonian.expr = `(${j.hamiltonian.expr}) + 1e-4*x`),
      (j) => void (eom(j).hamilton.xdot[0].expr = `(${eom(j).hamilton.xdot[0].expr})*1.0001`),
      (j) => void (eom(j).hamilton.pdot[1].expr = `(${eom(j).hamilton.pdot[1].expr}) + 1e-4`),
    ];
    for (const f of corrupt) {
      const bad = structuredClone(good);
      f(bad);
      expect(() => checkMechanics(bad, 13), f.toString()).toThrow();
    }
  });

  it('--action om adds ½∇·f to the eq8 Lagrangian and says so', async () => {
    const eq8 = await json(ATTRACTOR3);
    const om = await json(ATTRACTOR3, '--action', 'om');
    expect(eq8.action).toBe('eq8');
    expect(om.action).toBe('om');
    expect(om.lagrangian.expr).not.toBe(eq8.lagrangian.expr);
    const { A, I, c, n, tau, sigma, mu0 } = om.model.params;
    expect({ A, I, c, n, tau, sigma, mu0 }).toEqual({ A: 0.8, I: 0.4, c: 0.5, n: 0.1, tau: 1, sigma: 0.1, mu0: 0 });
    for (const pt of points(om.model, 6, 99)) {
      const { x, y, x_dot: xd, y_dot: yd } = pt;
      const at = JSON.stringify(pt);
      // Paper Eq. 20, written out by hand: f and D = sigma^2/tau.
      const fx = (mu0 + (A / 2) * (Math.tanh((x - c) / n) + 1) - (I / 2) * (Math.tanh((y - c) / n) + 1) - x) / tau;
      const fy = (mu0 + (A / 2) * (Math.tanh((y - c) / n) + 1) - (I / 2) * (Math.tanh((x - c) / n) + 1) - y) / tau;
      const D = sigma ** 2 / tau;
      const L8 = ((xd - fx) ** 2 + (yd - fy) ** 2) / (4 * D);
      // ∇·f = Σ (A/(2n) sech²((x_i − c)/n) − 1)/tau.
      const div = ((A / (2 * n)) * (1 - Math.tanh((x - c) / n) ** 2) - 1) / tau + ((A / (2 * n)) * (1 - Math.tanh((y - c) / n) ** 2) - 1) / tau;
      expectClose(num(eq8.lagrangian.expr, pt), L8, `eq8 L at ${at}`, L8);
      expectClose(num(om.lagrangian.expr, pt), L8 + div / 2, `om L at ${at}`, L8);
      // The correction does not depend on ẋ: the momenta are the same.
      expectClose(num(om.momenta[0].expr, pt), (xd - fx) / (2 * D), `p_x at ${at}`, L8);
      expectClose(num(eq8.momenta[0].expr, pt), (xd - fx) / (2 * D), `p_x at ${at}`, L8);
      // …and the energy drops by ½∇·f.
      expectClose(num(om.energy.expr, pt), num(eq8.energy.expr, pt) - div / 2, `E at ${at}`, L8);
    }
    const text8 = await ok('lagrangian', ATTRACTOR3);
    const textOm = await ok('lagrangian', ATTRACTOR3, '--action', 'om');
    expect(text8).toContain('Lagrangian (paper Eq. 8):\n');
    expect(textOm).toContain('Lagrangian (Eq. 8 plus ½∇·f):\n');
    expect(textOm).toContain(`  L = ${om.lagrangian.expr}\n`);
    // Explicit --action eq8 is the default.
    expect(await ok('lagrangian', ATTRACTOR3, '--action', 'eq8')).toBe(text8);
  });

  it('every latex field renders with KaTeX', async () => {
    for (const action of ['eq8', 'om']) {
      const j = await json(ATTRACTOR3, '--action', action);
      const fields = latexFields(j);
      expect(fields.filter(([path]) => !path.startsWith('$.model.'))).toHaveLength(11);
      expect(fields.filter(([path]) => path.startsWith('$.model.'))).toHaveLength(2 + 4);
      for (const [, s] of fields) katexRenders(s);
      // …and every tree rebuilds to its formula.
      expect(checkTrees(j)).toBe(fields.length);
    }
  });
});

describe('lagrangian examples/ddm.yaml', () => {
  it('has x_ddot = 0: the most likely path is a straight line (paper Eq. 19)', async () => {
    const out = await ok('lagrangian', DDM);
    expect(out).toContain('  x_ddot = 0\n');
    expect(out).toContain('  p_x_dot = 0\n');
    expect(out).toMatch(/^Model ddm: state \(x\), parameters v = 0\.5, sigma = 1\n/);
    const j = await json(DDM);
    expect(eom(j).eulerLagrange).toEqual([{ name: 'x_ddot', expr: '0', latex: '0', tree: { kind: 'num', value: '0' } }]);
    expect(eom(j).hamilton.pdot).toEqual([{ name: 'p_x_dot', expr: '0', latex: '0', tree: { kind: 'num', value: '0' } }]);
    // D = sigma^2/2 from the noise sigma, with its exact rational 1/2.
    expect(j.model.diffusion.matrix.map((row) => row.map((f) => f.expr))).toEqual([['sigma^2/2']]);
    expect(j.model.diffusion.matrix[0][0].tree).toEqual({
      kind: 'mul',
      factors: [{ kind: 'num', value: '1/2' }, { kind: 'pow', base: { kind: 'sym', name: 'sigma' }, exp: { kind: 'num', value: '2' } }],
    });
    // The noise as given: G = [[sigma]].
    expect(j.model.noise?.map((row) => row.map((f) => f.expr))).toEqual([['sigma']]);
    // L, p_x, E, H, x_ddot, x_dot, p_x_dot; the drift, the 1×1 D and the 1×1 G.
    expect(checkTrees(j)).toBe(7 + 3);
    // noise sigma: D = sigma^2/2, so L = (ẋ − v)²/(2σ²).
    for (const pt of points(j.model, 4, 3)) {
      expectClose(num(j.lagrangian.expr, pt), (pt.x_dot - 0.5) ** 2 / 2, `L at ${JSON.stringify(pt)}`);
    }
    checkMechanics(j, 5);
    for (const [, s] of latexFields(j)) katexRenders(s);
  });
});

describe('hostile names', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'noether-cli-hostile-'));
  });
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('state [constructor, process] and params {toString: 1} run and print harmlessly', async () => {
    const file = join(dir, 'hostile.yaml');
    writeFileSync(
      file,
      'name: hostile\nstate: [constructor, process]\nparams: {toString: 1}\ndrift: ["-toString*constructor", "-toString*process"]\ndiffusion: 1\n',
    );
    const text = await ok('lagrangian', file);
    expect(text).toMatch(/^Model hostile: state \(constructor, process\), parameters toString = 1\n/);
    expect(text).toContain('  L = (constructor_dot + constructor*toString)^2/4 + (process_dot + process*toString)^2/4\n');
    expect(text).toContain('  constructor_ddot = constructor*toString^2\n');
    expect(text).toContain('  p_process_dot = p_process*toString\n');
    expect(text).not.toMatch(/\[object |function |undefined|NaN/);

    const j = JSON.parse(await ok('lagrangian', file, '--format', 'json')) as LagrangianJSON;
    expect(Object.hasOwn(j.model.params, 'toString')).toBe(true);
    expect(j.model.params.toString).toBe(1);
    expect(j.model.state).toEqual(['constructor', 'process']);
    expect(j.momenta.map((p) => p.name)).toEqual(['p_constructor', 'p_process']);
    for (const [, s] of latexFields(j)) katexRenders(s);
    expect(checkTrees(j)).toBe(11 + 2 + 4);

    katexRenders(await ok('lagrangian', file, '--format', 'latex', '--action', 'om'), true);
    // Nothing leaked into the prototypes.
    expect(Object.prototype.toString).toBeTypeOf('function');
    expect(({} as Record<string, unknown>).process).toBeUndefined();
    expect(String({})).toBe('[object Object]');
  });

  it('a state named __proto__ is rejected as invalid input (exit 3), not executed', async () => {
    const file = join(dir, 'proto.yaml');
    writeFileSync(file, 'name: proto\nstate: [__proto__]\ndrift: ["-__proto__"]\ndiffusion: 1\n');
    const r = await run('lagrangian', file);
    expect(r.code).toBe(EXIT.invalidInput);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(new RegExp(`^error: ${escape(file)}: state\\[0\\]: bad state name '__proto__'`));
  });
});

// ---------------------------------------------------------------------------
// The built bundle, as a process

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function spawnCli(args: string[], cwd = ROOT): SpawnSyncReturns<string> {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', timeout: 20_000 });
  if (r.error) throw r.error;
  return r;
}

/** Invalid input: exit 3, `error: ` first, nothing on stdout, no stack trace. */
function expectInvalidInput(r: SpawnSyncReturns<string>): void {
  expect(r.status, r.stderr).toBe(EXIT.invalidInput);
  expect(r.status).toBe(3);
  expect(r.stdout).toBe('');
  expect(r.stderr.startsWith('error: '), r.stderr).toBe(true);
  expect(r.stderr).not.toMatch(/^\s+at /m);
  expect(r.stderr).not.toMatch(/internal error|NoetherError|\.ts:\d+|\.js:\d+/);
}

describe('dist/cli.js as a process', () => {
  let dir: string;
  beforeAll(() => {
    if (!existsSync(CLI)) throw new Error(`${CLI} is missing: build it first with \`node scripts/build.mjs\` (npm test does)`);
    dir = mkdtempSync(join(tmpdir(), 'noether-cli-'));
  });
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('the README demo prints the same as the in-process command, exit 0', async () => {
    const r = spawnCli(['lagrangian', 'examples/ou2d.yaml']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(await ok('lagrangian', OU2D));
  });

  it('a bad expression: exit 3, one message naming the file, drift[0] and the column', () => {
    const file = join(dir, 'bad-drift.yaml');
    writeFileSync(file, 'name: bad\nstate: [x, y]\nparams: {k: 1.0}\ndrift: ["-k*z", "-k*y"]\ndiffusion: 1\n');
    const r = spawnCli(['lagrangian', file]);
    expectInvalidInput(r);
    expect(r.stderr).toMatch(new RegExp(`^error: ${escape(file)}: drift\\[0\\]: unknown symbol 'z'`));
    expect(r.stderr).toContain('drift[0]');
    expect(r.stderr).toContain('column');
    expect(r.stderr).toContain('\n    -k*z\n       ^ column 4\n');
  });

  it('reproduces the error example of the README exactly', () => {
    const sub = join(dir, 'readme');
    mkdirSync(sub, { recursive: true });
    writeFileSync(join(sub, 'model.yaml'), 'name: m\nstate: [x, y]\nparams: {k: 1.0}\ndrift: ["-k*x", "-k*z"]\ndiffusion: 1\n');
    const r = spawnCli(['lagrangian', 'model.yaml'], sub);
    expectInvalidInput(r);
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const shown = /```\n(error: model\.yaml: drift\[1\][\s\S]*?)```/.exec(readme);
    expect(shown, 'README error example').not.toBeNull();
    expect(r.stderr).toBe(shown![1]);
  });

  it('a missing file: exit 3, naming the file', () => {
    const file = join(dir, 'nope.yaml');
    const r = spawnCli(['lagrangian', file]);
    expectInvalidInput(r);
    expect(r.stderr).toBe(`error: ${file}: cannot read the model: no such file\n`);
  });

  it('--format xml: exit 2', () => {
    const r = spawnCli(['lagrangian', 'examples/ou2d.yaml', '--format', 'xml']);
    expect(r.status).toBe(EXIT.usage);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain("--format must be one of text, latex, json; got 'xml'");
    expect(r.stderr).not.toMatch(/^\s+at /m);
  });

  it('a YAML syntax error: exit 3, naming the file and the line', () => {
    const file = join(dir, 'syntax.yaml');
    // Line 4 is indented with a tab.
    writeFileSync(file, 'name: bad\nstate: [x]\ndrift: ["-x"]\n\tdiffusion: 1\n');
    const r = spawnCli(['lagrangian', file]);
    expectInvalidInput(r);
    expect(r.stderr).toMatch(new RegExp(`^error: ${escape(file)}: line 4: YAML syntax error: `));
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
  });

  it('the hostile model runs in the bundle too (exit 0)', async () => {
    const file = join(dir, 'hostile.yaml');
    writeFileSync(
      file,
      'name: hostile\nstate: [constructor, process]\nparams: {toString: 1}\ndrift: ["-toString*constructor", "-toString*process"]\ndiffusion: 1\n',
    );
    const r = spawnCli(['lagrangian', file, '--format', 'json']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const j = JSON.parse(r.stdout) as LagrangianJSON;
    expect(j).toMatchObject({ schemaVersion: SCHEMA_VERSION, kind: 'lagrangian' });
    expect(eom(j).eulerLagrange.map((a) => a.expr)).toEqual(['constructor*toString^2', 'process*toString^2']);
    // The bundle prints the same report as the library in-process.
    expect(r.stdout).toBe(await ok('lagrangian', file, '--format', 'json'));
  });

  it('`npx noether --help` works from the repo root (package.json bin → dist/cli.js)', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { bin: Record<string, string> };
    expect(pkg.bin.noether).toBe('dist/cli.js');
    expect(readFileSync(CLI, 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
    // The npx next to this node, else the one on PATH; --no-install never touches the network.
    const local = join(dirname(process.execPath), 'npx');
    const npx = existsSync(local) ? local : 'npx';
    const r = spawnSync(npx, ['--no-install', 'noether', '--help'], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
    if (r.error) throw r.error;
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('Usage: noether <command> [options]');
    expect(r.stdout).toMatch(/^\s+lagrangian\s/m);
  }, 70_000);
});

describe('lagrangian: the equations of motion of large models', () => {
  const dir = mkdtempSync(join(tmpdir(), 'noether-eom-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const network = (n: number): string => {
    const file = join(dir, `net${n}.yaml`);
    writeFileSync(file, `name: net${n}\nstate: {x: ${n}}\nparams:\n  W: {random: normal, scale: 0.3, seed: 3, shape: [${n}, ${n}]}\n  D: 0.05\ndrift: "-x + W*tanh(x)"\ndiffusion: D\n`);
    return file;
  };

  it('are left out past 16 state variables, with a note on stderr, and printed with --equations', async () => {
    const file = network(17);
    const r = await runCli(['lagrangian', file, '--format', 'json']);
    expect(r.code).toBe(EXIT.ok);
    expect(r.stderr).toBe('note: the equations of motion are left out for 17 state variables (more than 16); --equations prints them\n');
    const j = JSON.parse(r.stdout) as LagrangianReport;
    expect(j.equationsOfMotion).toBeNull();
    expect(j.momenta).toHaveLength(17);
    const full = JSON.parse(await runOk(['lagrangian', file, '--format', 'json', '--equations'])) as LagrangianReport;
    expect(full.equationsOfMotion?.eulerLagrange).toHaveLength(17);
    // The rest of the report is the same either way.
    expect({ ...full, equationsOfMotion: null }).toEqual(j);
  });

  it('are printed up to 16 state variables, and left out silently with --no-equations', async () => {
    const file = network(16);
    const j = JSON.parse(await runOk(['lagrangian', file, '--format', 'json'])) as LagrangianReport;
    expect(j.equationsOfMotion?.hamilton.pdot).toHaveLength(16);
    const text = await runOk(['lagrangian', OU2D, '--no-equations']);
    expect(text).not.toContain('Euler–Lagrange');
    expect(text).toContain('Hamiltonian H(x, p)');
    const both = await runCli(['lagrangian', OU2D, '--equations', '--no-equations']);
    expect(both.code).toBe(EXIT.usage);
    expect(both.stderr).toContain('give --equations or --no-equations, not both');
  });
});
