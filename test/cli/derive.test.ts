// `noether derive` and `noether check`: help, formats, exit codes and messages,
// user rule folders (--rules), in-process through main() and as the built bundle
// (dist/cli.js) spawned as a process.

import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CheckReport, DerivationReport, ExprTree, SymmetryReport } from '../../src/api/reports.ts';
import { EXIT } from '../../src/cli/io.ts';
import { toText } from '../../src/expr/print.ts';
import { fromTree } from '../../src/expr/tree.ts';
import { type Outcome, runCli, runOk } from '../helpers/cli.ts';

const ROOT = join(import.meta.dirname, '../..');
const example = (name: string): string => join(ROOT, 'examples', name);
const OU2D = example('ou2d.yaml');
const ATTRACTOR3 = example('attractor3.yaml');
const DDM = example('ddm.yaml');
const EXAMPLES = [DDM, OU2D, ATTRACTOR3];
const CLI = join(ROOT, 'dist/cli.js');
const FORMATS = ['text', 'latex', 'markdown', 'json'] as const;

// ---------------------------------------------------------------------------
// Helpers

const run = (...argv: string[]): Promise<Outcome> => runCli(argv);
const ok = (...argv: string[]): Promise<string> => runOk(argv);

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** No stack trace, no internal error, no source locations. */
function expectNoTrace(stderr: string): void {
  expect(stderr).not.toMatch(/^\s+at /m);
  expect(stderr).not.toMatch(/internal error|NoetherError|UsageError|\.ts:\d+|\.js:\d+/);
}

// The JSON outputs are the reports of src/api/reports.ts: `derive --format json`
// prints a DerivationReport, `check --json` a CheckReport.
type SymmetryJSON = SymmetryReport;
type DeriveJSON = DerivationReport;
type CheckJSON = CheckReport;

/** A formula {expr, latex, tree}: the tree is the expression itself, so printed it is the text. */
function expectFormula(f: { expr: string | null; latex: string | null; tree: unknown }, what: string): void {
  expect(typeof f.expr, what).toBe('string');
  expect(typeof f.latex, what).toBe('string');
  expect(f.tree, what).toEqual(expect.any(Object));
  expect(toText(fromTree(f.tree as ExprTree)), what).toBe(f.expr);
}

/** The documented shape of one symmetry (what `check --json` prints in `symmetry` and `derive --format json` lists). */
function expectSymmetryShape(s: SymmetryJSON, n: number): void {
  const what = `${s.rule} ${JSON.stringify(s.params)}`;
  expect(s).toMatchObject({
    rule: expect.any(String),
    description: expect.any(String),
    params: expect.any(Object),
    generator: { dt: expect.any(String), dx: expect.any(Array), latex: { dt: expect.any(String), dx: expect.any(Array) }, tree: { dt: expect.any(Object), dx: expect.any(Array) } },
    status: expect.stringMatching(/^(exact|quasi|broken)$/),
    evidence: expect.stringMatching(/^(symbolic|numeric)$/),
    evidenceSummary: expect.any(String),
  });
  // Every field is present: absent values are null, never left out.
  for (const k of ['points', 'bound', 'holdsFor', 'reason', 'counterexample', 'gauge', 'quantity']) expect(Object.hasOwn(s, k), `${what}: ${k}`).toBe(true);
  expect(Object.keys(s).sort()).toEqual(
    ['bound', 'counterexample', 'description', 'evidence', 'evidenceSummary', 'gauge', 'generator', 'holdsFor', 'params', 'points', 'quantity', 'reason', 'rule', 'status'],
  );
  // Only an undecided verdict has a reason; only numeric evidence of zero has a bound.
  expect(s.reason, what).toBeNull();
  if (!(s.evidence === 'numeric' && s.status !== 'broken')) expect(s.bound, what).toBeNull();
  else expect(s.bound, what).toBeLessThan(1e-60);
  expect(s.generator.dx).toHaveLength(n);
  expect(s.generator.latex.dx).toHaveLength(n);
  expect(s.generator.tree.dx).toHaveLength(n);
  // The generator's trees are its expressions.
  expect(toText(fromTree(s.generator.tree.dt)), what).toBe(s.generator.dt);
  s.generator.tree.dx.forEach((t, i) => expect(toText(fromTree(t)), what).toBe(s.generator.dx[i]));
  // The evidence: numeric evidence has its points, symbolic evidence says for which parameter values it holds.
  if (s.evidence === 'numeric') {
    expect(s.holdsFor, what).toBeNull();
    if (s.status !== 'broken') {
      expect(s.points, what).toBeGreaterThan(0);
      expect(s.evidenceSummary, what).toBe(`numeric (${s.points} points)`);
    }
  } else {
    expect(s.points, what).toBeNull();
    if (s.status !== 'broken') {
      expect(s.holdsFor, what).toMatch(/^(all parameter values|these parameter values)$/);
      expect(s.evidenceSummary, what).toMatch(/^symbolic/);
    }
  }
  if (s.status === 'broken') {
    expect(s.quantity).toBeNull();
    expect(s.gauge).toBeNull();
    expect(s.counterexample).toMatchObject({ point: expect.any(Object), deltaL: expect.any(Number) });
    expect(s.evidenceSummary, what).toBe('counterexample');
  } else {
    expect(s.counterexample).toBeNull();
    if (s.status === 'exact') expect(s.gauge).toBeNull();
    else {
      expect(s.gauge).toMatchObject({ expr: expect.anything() });
      expect(Object.keys(s.gauge!).sort()).toEqual(['expr', 'integral', 'latex', 'note', 'tree']);
      // Closed-form K here: no named integral.
      expect(s.gauge!.integral, what).toBeNull();
      expectFormula(s.gauge!, `${what}: gauge`);
    }
    expect(s.quantity).toMatchObject({ name: expect.any(String), symbol: expect.any(String), expr: expect.any(String), latex: expect.any(String) });
    expect(Object.keys(s.quantity!).sort()).toEqual(['expr', 'latex', 'momentum', 'name', 'symbol', 'symbolLatex', 'tree', 'vectorLatex']);
    expectFormula(s.quantity!, `${what}: quantity`);
    expect(s.quantity!.vectorLatex === null || typeof s.quantity!.vectorLatex === 'string').toBe(true);
    // p·ξ exactly for exact symmetries with τ = 0 and ξ free of t.
    const pForm = s.status === 'exact' && s.generator.dt === '0' && !s.generator.dx.some((e) => /\bt\b/.test(e));
    expect(s.quantity!.momentum !== null, `${what}: momentum`).toBe(pForm);
    if (s.quantity!.momentum) {
      expectFormula(s.quantity!.momentum, `${what}: momentum`);
      expect(s.quantity!.momentum.momenta).toHaveLength(s.generator.dx.length);
    }
  }
}

/**
 * The symmetry algebra solved for, and the generators discovery added (rule
 * `discovered`): after every rule instance, each one a basis element whose
 * charge J_k is named by its position k in the basis.
 */
function expectAlgebraShape(j: DeriveJSON): void {
  const discovered = j.symmetries.flatMap((s, i) => (s.rule === 'discovered' ? [i] : []));
  const a = j.algebra;
  if (a === null) {
    // Discovery turned off: the rules only.
    expect(discovered).toEqual([]);
    return;
  }
  for (const k of ['dimension', 'complete', 'searched', 'basis', 'note']) expect(Object.hasOwn(a, k), `algebra.${k}`).toBe(true);
  expect(typeof a.complete).toBe('boolean');
  expect(typeof a.searched).toBe('string');
  expect(a.note === null || typeof a.note === 'string').toBe(true);
  // An incomplete answer says why.
  if (!a.complete) expect(a.note).toEqual(expect.any(String));
  // The basis: distinct indices into symmetries, each an exact or quasi-symmetry; as many as the dimension when complete.
  expect(new Set(a.basis).size).toBe(a.basis.length);
  for (const i of a.basis) {
    expect(Number.isInteger(i) && i >= 0 && i < j.symmetries.length, `basis index ${i}`).toBe(true);
    expect(['exact', 'quasi'], `basis index ${i}`).toContain(j.symmetries[i].status);
  }
  if (a.dimension !== null) {
    expect(Number.isInteger(a.dimension)).toBe(true);
    expect(a.dimension).toBeGreaterThanOrEqual(a.basis.length);
  }
  if (a.complete) expect(a.basis).toHaveLength(a.dimension!);
  // The discovered generators come after every rule instance, and each is in the basis with its charge J_k.
  if (discovered.length > 0) expect(discovered).toEqual(Array.from({ length: discovered.length }, (_, n) => j.symmetries.length - discovered.length + n));
  for (const i of discovered) {
    const s = j.symmetries[i];
    const k = a.basis.indexOf(i) + 1;
    expect(k, s.description).toBeGreaterThan(0);
    expect(s.params).toEqual({});
    expect(s.quantity, s.description).toMatchObject({ name: 'Noether charge', symbol: `J_${k}`, symbolLatex: `J_{${k}}`, vectorLatex: null });
  }
}

/** The top of a DerivationReport: version, kind, the model summary and the Lagrangian as formulas. */
function expectDerivationShape(j: DeriveJSON): void {
  expect(Object.keys(j).sort()).toEqual(['action', 'algebra', 'kind', 'lagrangian', 'model', 'rules', 'schemaVersion', 'symmetries']);
  expect(j.schemaVersion).toBe('1.0');
  expect(j.kind).toBe('derivation');
  expect(j.model).toMatchObject({ name: expect.any(String), state: expect.any(Array), params: expect.any(Object), drift: expect.any(Array) });
  expect(j.model.description === null || typeof j.model.description === 'string').toBe(true);
  expect(j.model.drift).toHaveLength(j.model.state.length);
  j.model.drift.forEach((f, i) => expectFormula(f, `drift[${i}]`));
  expect(Object.keys(j.lagrangian).sort()).toEqual(['expr', 'latex', 'tree']);
  expectFormula(j.lagrangian, 'lagrangian');
  for (const r of j.rules) expect(Object.keys(r).sort()).toEqual(['file', 'reason', 'rule', 'status']);
  for (const s of j.symmetries) expectSymmetryShape(s, j.model.state.length);
  expectAlgebraShape(j);
}

/** The envelope of a CheckReport around its one symmetry. */
function expectCheckShape(j: CheckJSON, model: { name: string; state: string[] }, action = 'eq8'): void {
  expect(Array.isArray(j)).toBe(false);
  expect(Object.keys(j).sort()).toEqual(['action', 'kind', 'model', 'schemaVersion', 'symmetry']);
  expect(j).toMatchObject({ schemaVersion: '1.0', kind: 'check', action });
  expect(j.model).toEqual(model);
  expectSymmetryShape(j.symmetry, model.state.length);
}

// The first run loads the commands and their heavy modules; keep that out of the per-test timeout.
beforeAll(async () => {
  await import('../../src/cli/commands/derive.ts');
  await import('../../src/cli/commands/check.ts');
}, 60_000);

// ---------------------------------------------------------------------------
// derive

describe('derive', () => {
  it('--help and -h: exit 0, the usage on stdout', async () => {
    for (const flag of ['--help', '-h']) {
      const out = await ok('derive', flag);
      expect(out.startsWith('Usage: noether derive MODEL [--format text|latex|markdown|json]')).toBe(true);
      for (const opt of ['--format', '--snippet', '--rules', '--action', '--no-discover']) expect(out).toContain(opt);
    }
  });

  it('is listed in the top-level help', async () => {
    expect(await ok('--help')).toMatch(/^\s+derive\s+find the symmetries/m);
  });

  // The dimension of each example's symmetry algebra: ddm the 5 of free diffusion in 1D and ou2d
  // 8 (as free diffusion in 2D), both solved completely; attractor3 time translation only.
  const DIMENSION: Record<string, number> = { [DDM]: 5, [OU2D]: 8, [ATTRACTOR3]: 1 };
  const COMPLETE = new Set([DDM, OU2D]);

  describe.each(EXAMPLES.map((f) => [f.slice(ROOT.length + 1), f]))('%s', (_name, file) => {
    it.each(FORMATS)('--format %s: exit 0, nothing on stderr', async (format) => {
      const out = await ok('derive', file, '--format', format);
      expect(out.endsWith('\n')).toBe(true);
      switch (format) {
        case 'text':
          expect(out).toMatch(/^Model \w+: \d+ generators tested\nL = /);
          expect(out).toMatch(/^symmetry\s+status\s+evidence$/m);
          expect(out).toContain('Conserved quantities:\n  E = ');
          expect(out).toMatch(new RegExp(`^Symmetry algebra \\(solved for: point symmetries .*\\): dimension ${DIMENSION[file]}, ${COMPLETE.has(file) ? 'complete' : '(complete|possibly incomplete)'}`, 'm'));
          break;
        case 'latex':
          expect(out.startsWith('\\documentclass{article}\n')).toBe(true);
          expect(out.endsWith('\\end{document}\n')).toBe(true);
          expect(out).toContain('\\begin{align}\n');
          break;
        case 'markdown':
          expect(out).toMatch(/^## Symmetries and conserved quantities of `\w+`\n/);
          expect(out).toContain('| symmetry | status | evidence | conserved quantity |\n');
          break;
        case 'json': {
          const j = JSON.parse(out) as DeriveJSON;
          expectDerivationShape(j);
          expect(j.action).toBe('eq8');
          expect(j.symmetries.length).toBeGreaterThan(0);
          // Only the built-in rules, all loaded.
          expect(j.rules.map((r) => r.rule).sort()).toEqual(['boost', 'rotation', 'scaling', 'time', 'translation']);
          for (const r of j.rules) expect(r).toMatchObject({ status: 'loaded', reason: null });
          expect(j.algebra).toMatchObject({ dimension: DIMENSION[file], ...(COMPLETE.has(file) ? { complete: true } : {}) });
          // The rules' exact and quasi-symmetries come first in the basis (attractor3: time only).
          if (file === ATTRACTOR3) expect(j.algebra!.basis).toEqual([0]);
          break;
        }
      }
    });
  });

  it('text is the default format, and -f is --format', async () => {
    expect(await ok('derive', OU2D)).toBe(await ok('derive', OU2D, '--format', 'text'));
    expect(await ok('derive', OU2D, '-f', 'json')).toBe(await ok('derive', OU2D, '--format', 'json'));
  });

  it('ou2d text: energy and angular momentum conserved, the rest broken with a counterexample; discovery adds J_3 … J_8', async () => {
    const out = await ok('derive', OU2D);
    expect(out).toMatch(/^time translation\s+exact\s+symbolic$/m);
    expect(out).toMatch(/^rotation in the \(x, y\) plane\s+exact\s+symbolic$/m);
    expect(out).toMatch(/^translation along x\s+broken\s+counterexample$/m);
    expect(out).toContain('  E = (x_dot^2 + y_dot^2 - k^2*x^2 - k^2*y^2)/(4*D)    (energy; time translation)\n');
    expect(out).toContain('  L_xy = (x*y_dot - x_dot*y)/(2*D)    (angular momentum; rotation in the (x, y) plane)\n');
    expect(out).toMatch(/^ {2}translation along x: δL = -?\d[\d.e+-]* at x = -?[\d.]+, y = -?[\d.]+, x_dot = -?[\d.]+, y_dot = -?[\d.]+, t = [\d.]+$/m);
    // 7 rule instances and 6 discovered generators; the algebra is E, L_xy and those six.
    expect(out).toMatch(/^Model ou2d: 13 generators tested\n/);
    expect(out).toMatch(/^translation with a time profile: ξ = \(exp\(-t\), 0\)\s+exact\s+symbolic \(at these parameter values\)$/m);
    expect(out).toMatch(/^translation with a time profile: ξ = \(exp\(t\), 0\)\s+quasi\s+symbolic \(at these parameter values\)$/m);
    expect(out).toMatch(/^Symmetry algebra \(solved for: point symmetries .*\): dimension 8, complete/m);
    expect(out).toContain('\n  E: time translation (exact)\n  L_xy: rotation in the (x, y) plane (exact)\n  J_3: τ = exp(2*t), ξ = (x*exp(2*t), y*exp(2*t)) (quasi)\n');
    // Found at k = 1, D = 1/2 and written there (J_7 = 2 p_x e^{-t}).
    expect(out).toContain('  J_7 = (x_dot + x)*exp(-t)    (Noether charge; translation with a time profile: ξ = (exp(-t), 0))\n');
  });

  it('ddm text: the boost is a quasi-symmetry with its gauge term K; discovery adds the special conformal one', async () => {
    const out = await ok('derive', DDM);
    expect(out).toMatch(/^boost along x\s+quasi\s+symbolic$/m);
    expect(out).toContain('Quasi-symmetries (δL = dK/dt):\n  boost along x: K = (x - t*v)/sigma^2\n');
    expect(out).toContain('  B_x = (t*x_dot - x)/sigma^2    (boost charge; boost along x)\n');
    // τ = t²/2, ξ = tx/2: quasi for every v and σ, the fifth basis element of the algebra of free diffusion.
    expect(out).toMatch(/^special conformal: τ = t\^2\/2, ξ = \(t\*x\/2\)\s+quasi\s+symbolic$/m);
    expect(out).toMatch(/^Symmetry algebra \(solved for: point symmetries .*\): dimension 5, complete/m);
    expect(out).toContain('  J_5: τ = t^2/2, ξ = (t*x/2) (quasi)\n');
    expect(out).toContain('  J_5 = (2*t*x*x_dot - t^2*x_dot^2 - x^2)/(4*sigma^2)    (Noether charge; special conformal: τ = t^2/2, ξ = (t*x/2))\n');
  });

  it('--no-discover: the rules only, the same instances in the same order, algebra null and no algebra section', async () => {
    for (const file of [DDM, OU2D]) {
      const full = JSON.parse(await ok('derive', file, '--format', 'json')) as DeriveJSON;
      const rulesOnly = JSON.parse(await ok('derive', file, '--format', 'json', '--no-discover')) as DeriveJSON;
      expectDerivationShape(rulesOnly);
      expect(rulesOnly.algebra).toBeNull();
      expect(rulesOnly.symmetries).toEqual(full.symmetries.filter((s) => s.rule !== 'discovered'));
      expect(full.symmetries.length).toBeGreaterThan(rulesOnly.symmetries.length);
      const text = await ok('derive', file, '--no-discover');
      expect(text).toMatch(new RegExp(`^Model \\w+: ${rulesOnly.symmetries.length} generators tested\n`));
      expect(text).not.toContain('Symmetry algebra');
      expect(text).not.toMatch(/^ {2}J_\d/m);
    }
  });

  it('--format xml: exit 2 with the allowed formats, nothing on stdout', async () => {
    const r = await run('derive', OU2D, '--format', 'xml');
    expect(r.code).toBe(EXIT.usage);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain("--format must be one of text, latex, markdown, json; got 'xml'");
    expect(r.stderr).toContain('noether derive --help');
    expectNoTrace(r.stderr);
  });

  it('--snippet prints only the align block, which is the one in the document', async () => {
    for (const file of EXAMPLES) {
      const snippet = await ok('derive', file, '--format', 'latex', '--snippet');
      expect(snippet.startsWith('\\begin{align}\n'), snippet).toBe(true);
      expect(snippet.endsWith('\\end{align}\n'), snippet).toBe(true);
      expect(snippet.match(/\\begin\{/g)).toHaveLength(1);
      expect(snippet).not.toMatch(/\\documentclass|\\section|\\usepackage|\\begin\{document\}|\\begin\{equation\}/);
      const doc = await ok('derive', file, '--format', 'latex');
      expect(doc).toContain(snippet.trimEnd());
    }
  });

  it('missing model: exit 2; unreadable model: exit 3 naming the file', async () => {
    const r = await run('derive');
    expect(r.code).toBe(EXIT.usage);
    expect(r.stderr).toContain('missing the model file');
    const missing = join(ROOT, 'examples', 'nope.yaml');
    const r2 = await run('derive', missing);
    expect(r2.code).toBe(EXIT.invalidInput);
    expect(r2.stdout).toBe('');
    expect(r2.stderr).toBe(`error: ${missing}: cannot read the model: no such file\n`);
  });

  it('--action om is accepted, --action foo is a usage error', async () => {
    const j = JSON.parse(await ok('derive', OU2D, '--format', 'json', '--action', 'om')) as DeriveJSON;
    expectDerivationShape(j);
    expect(j.action).toBe('om');
    const r = await run('derive', OU2D, '--action', 'foo');
    expect(r.code).toBe(EXIT.usage);
    expect(r.stderr).toContain("--action must be one of eq8, om; got 'foo'");
  });
});

// ---------------------------------------------------------------------------
// check

describe('check', () => {
  it('--help: exit 0, the usage on stdout', async () => {
    const out = await ok('check', '--help');
    expect(out.startsWith('Usage: noether check MODEL --generator JSON')).toBe(true);
    expect(out).toContain('Exit status: 0 if exact or quasi, 1 if broken or undecided');
  });

  it('ou2d, rotation as a list: exit 0, exact, with the angular momentum', async () => {
    const out = await ok('check', OU2D, '--generator', '{"dx":["-y","x"]}');
    expect(out).toMatch(/^claimed generator: exact \(symbolic\)\n/);
    expect(out).toContain('  generator: dt = 0, dx = [-y, x]\n');
    expect(out).toContain('  conserved: J = (x*y_dot - x_dot*y)/(2*D)\n');
  });

  it('ou2d --json: one symmetry object in the documented shape', async () => {
    const out = await ok('check', OU2D, '--generator', '{"dx":["-y","x"]}', '--json');
    const j = JSON.parse(out) as CheckJSON;
    expectCheckShape(j, { name: 'ou2d', state: ['x', 'y'] });
    const s = j.symmetry;
    expect(s).toMatchObject({
      rule: 'claim',
      params: {},
      generator: { dt: '0', dx: ['-y', 'x'] },
      status: 'exact',
      evidence: 'symbolic',
      points: null,
      holdsFor: 'all parameter values',
      evidenceSummary: 'symbolic',
      counterexample: null,
      gauge: null,
      quantity: { name: 'Noether charge', symbol: 'J', symbolLatex: 'J', expr: '(x*y_dot - x_dot*y)/(2*D)' },
    });
    // The same object derive lists for the built-in rotation, apart from the rule's own naming.
    const derived = (JSON.parse(await ok('derive', OU2D, '--format', 'json')) as DeriveJSON).symmetries.find((x) => x.rule === 'rotation')!;
    expect(s.quantity!.expr).toBe(derived.quantity!.expr);
    expect(s.quantity!.latex).toBe(derived.quantity!.latex);
    expect(s.quantity!.tree).toEqual(derived.quantity!.tree);
    expect(s.generator).toEqual(derived.generator);
    expect(Object.keys(s).sort()).toEqual(Object.keys(derived).sort());
    expect(Object.keys(s.quantity!).sort()).toEqual(Object.keys(derived.quantity!).sort());
  });

  it('ddm boost --json: quasi, gauge.expr a string', async () => {
    const j = JSON.parse(await ok('check', DDM, '--generator', '{"dx":["t"]}', '--json')) as CheckJSON;
    expectCheckShape(j, { name: 'ddm', state: ['x'] });
    const s = j.symmetry;
    expect(s.status).toBe('quasi');
    expect(typeof s.gauge!.expr).toBe('string');
    expect(typeof s.gauge!.latex).toBe('string');
    expect(s.gauge!.note).toBeNull();
    // The gauge term is the one the text output shows: K = (x - t*v)/sigma^2.
    expect(s.gauge!.expr).toBe('(x - t*v)/sigma^2');
    expect(toText(fromTree(s.gauge!.tree!))).toBe(s.gauge!.expr);
    expect(s.quantity!.expr).toBe('(t*x_dot - x)/sigma^2');
    expect(toText(fromTree(s.quantity!.tree))).toBe('(t*x_dot - x)/sigma^2');
  });

  it('attractor3, rotation as a mapping: exit 1, broken, with a counterexample', async () => {
    const r = await run('check', ATTRACTOR3, '--generator', '{"dx":{"x":"-y","y":"x"}}');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(EXIT.checkFailed);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^claimed generator: broken \(counterexample\)\n/);
    expect(r.stdout).toMatch(/\n {2}δL = -?\d[\d.e+-]* at x = [\d.-]+, y = [\d.-]+, x_dot = [\d.-]+, y_dot = [\d.-]+, t = [\d.-]+\n/);
    expect(r.stdout).not.toContain('conserved');

    const j = await run('check', ATTRACTOR3, '--generator', '{"dx":{"x":"-y","y":"x"}}', '--json');
    expect(j.code).toBe(1);
    const c = JSON.parse(j.stdout) as CheckJSON;
    expectCheckShape(c, { name: 'attractor3', state: ['x', 'y'] });
    const s = c.symmetry;
    expect(s).toMatchObject({ status: 'broken', evidenceSummary: 'counterexample', quantity: null, gauge: null, generator: { dx: ['-y', 'x'] } });
    expect(Object.keys(s.counterexample!.point).sort()).toEqual(['t', 'x', 'x_dot', 'y', 'y_dot']);
    expect(s.counterexample!.deltaL).not.toBe(0);
  });

  it('without --generator: exit 2, saying what is missing with an example', async () => {
    const r = await run('check', OU2D);
    expect(r.code).toBe(EXIT.usage);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('missing --generator, e.g. --generator \'{"dx": ["-y", "x"]}\'');
    expectNoTrace(r.stderr);
  });

  it('malformed --generator JSON: exit 2, saying the JSON is invalid', async () => {
    const r = await run('check', OU2D, '--generator', '{"dx":["-y","x"]');
    expect(r.code).toBe(EXIT.usage);
    expect(r.stdout).toBe('');
    // A CLI-level argument mistake: the message, then the pointer to --help.
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^noether check: --generator is not valid JSON: \S/);
    expect(lines[1]).toBe('Run `noether check --help` for usage.');
    expectNoTrace(r.stderr);
  });

  it.each([
    ['["-y", "x"]', /^error: generator: a generator is an object such as \{"dt": "0", "dx": \["-y", "x"\]\}\n$/],
    ['{"dx": ["-y"]}', /^error: generator\.dx: needs 2 entries \(one per state variable: x, y\); got 1\n$/],
    ['{"dx": {"z": "1"}}', /^error: generator\.dx: 'z' is not a state variable \(state: x, y\)\n$/],
    ['{"dy": ["-y", "x"]}', /^error: generator: unknown field 'dy' \(fields: dt, dx\)\n$/],
    ['{"dx": [true, "x"]}', /^error: generator\.dx\[0\]: expected an expression/],
    ['{"dx": "x"}', /^error: generator\.dx: must be a list or a mapping from state names to expressions\n$/],
  ])('--generator %s: exit 2 with a message naming the field and the problem', async (gen, message) => {
    const r = await run('check', OU2D, '--generator', gen);
    expect(r.code, r.stderr).toBe(EXIT.usage);
    expect(r.stdout).toBe('');
    // A request error: `error: <path>: <message>`, one line, no pointer to --help.
    expect(r.stderr).toMatch(message);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expectNoTrace(r.stderr);
  });

  it('an unknown symbol in --generator: exit 3, naming the symbol, the entry and the column', async () => {
    const r = await run('check', OU2D, '--generator', '{"dx":["-z","x"]}');
    expect(r.code).toBe(EXIT.invalidInput);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^error: generator\.dx\[0\]: unknown symbol 'z'; expected one of: x \(state variable\), y \(state variable\)/);
    expect(r.stderr).toContain('\n    -z\n     ^ column 2\n');
    expectNoTrace(r.stderr);
    // Entries given by name are named by name.
    const m = await run('check', OU2D, '--generator', '{"dx":{"y":"x+z"}}');
    expect(m.code).toBe(EXIT.invalidInput);
    expect(m.stdout).toBe('');
    expect(m.stderr).toMatch(/^error: generator\.dx\.y: unknown symbol 'z'/);
    expect(m.stderr).toContain('\n    x+z\n      ^ column 3\n');
    expectNoTrace(m.stderr);
  });
});

// ---------------------------------------------------------------------------
// --rules DIR

describe('derive --rules DIR (user rules)', () => {
  let dir: string;
  let good: string;
  let mixed: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'noether-rules-'));
    good = join(dir, 'good');
    mixed = join(dir, 'mixed');
    for (const d of [good, mixed]) {
      mkdirSync(d, { recursive: true });
      writeFileSync(
        join(d, 'hyperbolic.yaml'),
        '# Hyperbolic rotation (a Lorentz-like boost in the plane)\nname: hyperbolic\ndescription: hyperbolic rotation in the ($a, $b) plane\nover: planes\ndx: {$a: "$b", $b: "$a"}\ncharge:\n  name: hyperbolic charge\n  symbol: H_$a$b\n  latex: "H_{$a $b}"\n',
      );
    }
    writeFileSync(join(mixed, 'bad-over.yaml'), 'name: sideways\nover: sideways\ndx: {$a: "1"}\n');
    writeFileSync(join(mixed, 'bad-syntax.yml'), 'name: [oops\n');
    writeFileSync(join(mixed, 'notes.txt'), 'not a rule: ignored, not warned about\n');
  });
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('the rule\'s instances appear in every format', async () => {
    const text = await ok('derive', OU2D, '--rules', good);
    // 7 built-in instances, 1 of the user rule, 6 discovered.
    expect(text).toMatch(/^Model ou2d: 14 generators tested\n/);
    expect(text).toMatch(/^hyperbolic rotation in the \(x, y\) plane\s+broken\s+counterexample$/m);
    const j = JSON.parse(await ok('derive', OU2D, '--rules', good, '--format', 'json')) as DeriveJSON;
    const h = j.symmetries.filter((s) => s.rule === 'hyperbolic');
    expect(h).toHaveLength(1);
    expectSymmetryShape(h[0], 2);
    expect(h[0]).toMatchObject({ params: { plane: ['x', 'y'] }, generator: { dt: '0', dx: ['y', 'x'] }, status: 'broken' });
    // After the built-in families, and before the generators discovery added (the last rule instance).
    const instances = j.symmetries.filter((s) => s.rule !== 'discovered');
    expect(instances).toHaveLength(8);
    expect(instances.at(-1)!.rule).toBe('hyperbolic');
    expect(j.symmetries.slice(8).map((s) => s.rule)).toEqual(Array(6).fill('discovered'));
    expectDerivationShape(j);
    expect(j.rules).toContainEqual({ file: join(good, 'hyperbolic.yaml'), status: 'loaded', rule: 'hyperbolic', reason: null });
    expect(await ok('derive', OU2D, '--rules', good, '--format', 'markdown')).toContain('| hyperbolic rotation in the (x, y) plane | broken |');
  });

  it('a user rule that holds: exact, with the rule\'s own charge name and symbols', async () => {
    // The rotation under another name: its charge must be the angular momentum.
    const rot = join(dir, 'rot');
    mkdirSync(rot, { recursive: true });
    writeFileSync(join(rot, 'spin.yaml'), 'name: spin\ndescription: spin in the ($a, $b) plane\nover: planes\ndx: {$a: "-$b", $b: "$a"}\ncharge: {name: spin, symbol: S_$a$b, latex: "S_{$a $b}"}\n');
    const j = JSON.parse(await ok('derive', OU2D, '--rules', rot, '--format', 'json')) as DeriveJSON;
    const spin = j.symmetries.find((s) => s.rule === 'spin')!;
    expect(spin).toMatchObject({ status: 'exact', quantity: { name: 'spin', symbol: 'S_xy', symbolLatex: 'S_{x y}' } });
    expectSymmetryShape(spin, 2);
    expect(spin.quantity!.expr).toBe(j.symmetries.find((s) => s.rule === 'rotation')!.quantity!.expr);
    expect(spin.quantity!.tree).toEqual(j.symmetries.find((s) => s.rule === 'rotation')!.quantity!.tree);
    // A user rule has no vector notation of the paper.
    expect(spin.quantity!.vectorLatex).toBeNull();
    // (Not the last row: the discovered charges follow it.)
    expect(await ok('derive', OU2D, '--rules', rot, '--format', 'latex', '--snippet')).toMatch(/^ {2}&\\text\{From the spin in the \(x, y\) plane:\} \\notag \\\\\n {2}S_\{x y\} &= .*( \\\\)?$/m);
    // The spin is the rotation again: it does not enlarge the algebra (dimension 8, not a basis element; the same six discovered).
    expectDerivationShape(j);
    expect(j.algebra).toMatchObject({ dimension: 8, complete: true });
    expect(j.algebra!.basis).not.toContain(j.symmetries.indexOf(spin));
    expect(j.algebra!.basis).toContain(j.symmetries.findIndex((s) => s.rule === 'rotation'));
    expect(j.symmetries.filter((s) => s.rule === 'discovered')).toHaveLength(6);
  });

  it('a rule with a built-in\'s name replaces the built-in', async () => {
    const over = join(dir, 'override');
    mkdirSync(over, { recursive: true });
    writeFileSync(join(over, 'boost.yaml'), 'name: boost\ndescription: my boost along $a\nover: axes\ndx: {$a: "2*t"}\n');
    const j = JSON.parse(await ok('derive', DDM, '--rules', over, '--format', 'json')) as DeriveJSON;
    const boosts = j.symmetries.filter((s) => s.rule === 'boost');
    expect(boosts).toHaveLength(1);
    expect(boosts[0]).toMatchObject({ description: 'my boost along x', generator: { dx: ['2*t'] }, status: 'quasi' });
    expectSymmetryShape(boosts[0], 1);
    // The report names the file the rule came from.
    expect(j.rules).toContainEqual({ file: join(over, 'boost.yaml'), status: 'loaded', rule: 'boost', reason: null });
  });

  it('bad rule files: a warning on stderr naming each file and what is wrong; the run exits 0', async () => {
    const r = await run('derive', OU2D, '--rules', mixed);
    expect(r.code).toBe(EXIT.ok);
    expect(r.stdout).toMatch(/^hyperbolic rotation in the \(x, y\) plane\s+broken/m);
    const warnings = r.stderr.trimEnd().split('\n');
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toBe(`warning: rule file ${join(mixed, 'bad-over.yaml')} skipped: over: expected none, axes or planes; got sideways`);
    expect(warnings[1]).toMatch(new RegExp(`^warning: rule file ${escape(join(mixed, 'bad-syntax.yml'))} skipped: syntax error: `));
    expect(r.stderr).not.toContain('notes.txt');
    expectNoTrace(r.stderr);
    // The text output lists them too; JSON reports them as skipped with the reason.
    expect(r.stdout).toContain(`Rules skipped:\n  ${join(mixed, 'bad-over.yaml')}: over: expected none, axes or planes; got sideways\n`);
    const j = JSON.parse((await run('derive', OU2D, '--rules', mixed, '--format', 'json')).stdout) as DeriveJSON;
    expect(j.rules.filter((x) => x.status === 'skipped').map((x) => x.file)).toEqual([join(mixed, 'bad-over.yaml'), join(mixed, 'bad-syntax.yml')]);
    // A skipped file has its reason (the one the warning gives) and no rule.
    expect(j.rules.find((x) => x.file === join(mixed, 'bad-over.yaml'))).toEqual({
      file: join(mixed, 'bad-over.yaml'),
      status: 'skipped',
      rule: null,
      reason: 'over: expected none, axes or planes; got sideways',
    });
    expect(j.rules.find((x) => x.file === join(mixed, 'bad-syntax.yml'))).toMatchObject({ status: 'skipped', rule: null, reason: expect.stringMatching(/^syntax error: /) });
  });

  it('a missing rules folder: exit 3 naming it', async () => {
    const nope = join(dir, 'nope');
    const r = await run('derive', OU2D, '--rules', nope);
    expect(r.code).toBe(EXIT.invalidInput);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(new RegExp(`^error: ${escape(nope)}: cannot read the rules folder`));
    expectNoTrace(r.stderr);
  });
});

// ---------------------------------------------------------------------------
// The built bundle, as a process

function spawnCli(args: string[], cwd = ROOT): SpawnSyncReturns<string> {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', timeout: 30_000 });
  if (r.error) throw r.error;
  return r;
}

describe('dist/cli.js as a process', () => {
  let dir: string;
  beforeAll(() => {
    if (!existsSync(CLI)) throw new Error(`${CLI} is missing: build it first with \`node scripts/build.mjs\` (npm test does)`);
    dir = mkdtempSync(join(tmpdir(), 'noether-derive-cli-'));
  });
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('derive --help and check --help: exit 0', () => {
    for (const cmd of ['derive', 'check']) {
      const r = spawnCli([cmd, '--help']);
      expect(r.status, r.stderr).toBe(0);
      expect(r.stdout.startsWith(`Usage: noether ${cmd} MODEL`)).toBe(true);
    }
  });

  it('derive ou2d in all 4 formats prints the same as in-process, exit 0', async () => {
    for (const format of FORMATS) {
      const r = spawnCli(['derive', 'examples/ou2d.yaml', '--format', format]);
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      expect(r.stdout).toBe(await ok('derive', OU2D, '--format', format));
    }
  });

  it('--snippet: only the align block', () => {
    const r = spawnCli(['derive', 'examples/ddm.yaml', '--format', 'latex', '--snippet']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^\\begin\{align\}\n[\s\S]*\n\\end\{align\}\n$/);
    expect(r.stdout).not.toContain('\\documentclass');
  });

  it('--format xml: exit 2', () => {
    const r = spawnCli(['derive', 'examples/ou2d.yaml', '--format', 'xml']);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain("--format must be one of text, latex, markdown, json; got 'xml'");
    expectNoTrace(r.stderr);
  });

  it('check: exit 0 when exact, 1 when broken', () => {
    const exact = spawnCli(['check', 'examples/ou2d.yaml', '--generator', '{"dx":["-y","x"]}']);
    expect(exact.status, exact.stderr).toBe(0);
    expect(exact.stdout).toContain('exact');
    const broken = spawnCli(['check', 'examples/attractor3.yaml', '--generator', '{"dx":{"x":"-y","y":"x"}}']);
    expect(broken.status, broken.stderr).toBe(1);
    expect(broken.stdout).toContain('broken');
    expect(broken.stdout).toContain('δL = ');
  });

  it('check with an unknown symbol: exit 3, one clear message, no stack trace', () => {
    const r = spawnCli(['check', 'examples/ou2d.yaml', '--generator', '{"dx":["-z","x"]}']);
    expect(r.status).toBe(3);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^error: generator\.dx\[0\]: unknown symbol 'z'/);
    expect(r.stderr).toContain('^ column 2');
    expectNoTrace(r.stderr);
  });

  it('check with malformed JSON: exit 2, no stack trace', () => {
    const r = spawnCli(['check', 'examples/ou2d.yaml', '--generator', '{dx: [-y, x]}']);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^noether check: --generator is not valid JSON/);
    expect(r.stderr).toContain('\nRun `noether check --help` for usage.\n');
    expectNoTrace(r.stderr);
  });

  it('--rules with a bad file: warning on stderr naming it, exit 0', () => {
    writeFileSync(join(dir, 'hyperbolic.yaml'), 'name: hyperbolic\nover: planes\ndx: {$a: "$b", $b: "$a"}\n');
    writeFileSync(join(dir, 'broken.yaml'), 'name: broken\ndx: {$a: "1"}\n');
    const r = spawnCli(['derive', 'examples/ou2d.yaml', '--rules', dir]);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^hyperbolic\s+broken\s+counterexample$/m);
    expect(r.stderr).toBe(`warning: rule file ${join(dir, 'broken.yaml')} skipped: dx.$a: $a needs over: axes or planes\n`);
  });
});
