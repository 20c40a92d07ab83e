// `noether solve`, run in-process through main(): fixed-T and fixed-E paths on
// the paper's models, the --json PathReport, command-line usage errors and the
// library's request errors (both exit 2).
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { SCHEMA_VERSION } from '../../src/api/reports.ts';
import { EXIT } from '../../src/cli/io.ts';
import { type Outcome, runCli } from '../helpers/cli.ts';

const ROOT = join(import.meta.dirname, '../..');
const OU2D = join(ROOT, 'examples/ou2d.yaml');
const ATTRACTOR3 = join(ROOT, 'examples/attractor3.yaml');
const DDM = join(ROOT, 'examples/ddm.yaml');
const RING = join(ROOT, 'test/fixtures/cas/models/ring.yaml');
const RING_PF = join(ROOT, 'examples/ring-pf-ode.yaml');
const FROM = '{"x": 0.8, "y": -0.4}';
const TO = '[-0.4, 0.8]';

const run = (argv: readonly string[]): Promise<Outcome> => runCli(['solve', ...argv]);

/** A usage error: exit 2, nothing on stdout, the message on stderr with a pointer to --help, no stack trace. */
async function expectUsageError(argv: string[], message: RegExp): Promise<void> {
  const r = await run(argv);
  expect(r.code, r.stderr).toBe(EXIT.usage);
  expect(r.code).toBe(2);
  expect(r.stdout).toBe('');
  expect(r.stderr.startsWith('noether solve: '), r.stderr).toBe(true);
  expect(r.stderr).toMatch(message);
  expect(r.stderr).toContain('Run `noether solve --help` for usage.');
  expect(r.stderr).not.toMatch(/^\s+at /m);
}

/**
 * A request the library rejects (NoetherError 'request', kind 'usage'): exit 2,
 * nothing on stdout, and exactly `error: <field>: <message>` on stderr — the
 * field the library names (where.path), no --help pointer, no stack trace.
 */
async function expectRequestError(argv: string[], path: string, message: string): Promise<void> {
  const r = await run(argv);
  expect(r.code, r.stderr).toBe(EXIT.usage);
  expect(r.stdout).toBe('');
  expect(r.stderr).toBe(`error: ${path}: ${message}\n`);
}

interface JsonReport {
  schemaVersion: string;
  kind: string;
  model: { name: string; state: string[] };
  request: {
    from: number[];
    to: number[];
    T: number | null;
    E: number | null;
    t0: number;
    nodes: number;
    method: string;
    polish: boolean;
    driftTolerance: number;
    refine: boolean;
  };
  t: number[];
  x: number[][];
  action: number;
  T: number;
  E: number;
  converged: boolean;
  iterations: number;
  method: string;
  gradientNorm: number;
  stationary: 'minimum' | 'saddle' | 'degenerate' | null;
  morseIndex: number | null;
  quantities: {
    name: string;
    symbol: string;
    symbolLatex: string;
    rule: string;
    status: string;
    values: number[];
    relativeDrift: number;
    drifts: number[];
    order: number | null;
    zeroOnPath: boolean;
    passed: boolean;
  }[];
  unchecked: { name: string; symbol: string; reason: string }[];
  infiniteDuration: { within: number; ends: ('from' | 'to')[] } | null;
  polished: boolean;
  polishNote: string;
  refinementNote: string;
  passed: boolean;
}

/** The request as the report echoes it: every default filled in. */
type RequestEcho = JsonReport['request'];
const DEFAULTS = { t0: 0, nodes: 1000, method: 'newton', polish: true, driftTolerance: 1e-6, refine: true } as const;

/**
 * The PathReport's shape (schemas/path.schema.json). Charge values are per node
 * on fixed-T paths (M + 1) but per interval midpoint on fixed-E paths (M):
 * `midpoints` says which. `model` and `request` are the expected echo.
 */
function expectReportShape(j: JsonReport, model: JsonReport['model'], request: RequestEcho, midpoints = false): void {
  expect(Object.keys(j).sort()).toEqual(
    ['schemaVersion', 'kind', 'model', 'request', 'E', 'T', 'action', 'converged', 'gradientNorm', 'iterations', 'method', 'passed', 'quantities', 't', 'x', 'stationary', 'morseIndex', 'unchecked', 'polished', 'polishNote', 'refinementNote', 'infiniteDuration'].sort(),
  );
  expect(j.schemaVersion).toBe(SCHEMA_VERSION);
  expect(j.schemaVersion).toMatch(/^1\.\d+$/);
  expect(j.kind).toBe('path');
  expect(j.model).toEqual(model);
  expect(Object.keys(j.request).sort()).toEqual(['from', 'to', 'T', 'E', 't0', 'nodes', 'method', 'polish', 'driftTolerance', 'refine'].sort());
  expect(j.request).toEqual(request);
  // Exactly one of T and E was given; the report's T and E hold the given one and the one found.
  expect((j.request.T === null) !== (j.request.E === null)).toBe(true);
  if (j.request.T !== null) expect(j.T).toBe(j.request.T);
  if (j.request.E !== null) expect(j.E).toBe(j.request.E);
  expect(Array.isArray(j.t)).toBe(true);
  // M + 1 nodes; a path polished by shooting is reported on the integrator's steps instead.
  if (!j.polished) expect(j.t).toHaveLength(j.request.nodes + 1);
  expect(j.polished || j.polishNote !== '').toBe(true);
  if (!j.request.polish) expect([j.polished, j.polishNote]).toEqual([false, 'off']);
  // Refined at 2M and 4M exactly when asked and the path kept its discretisation (the examples are small).
  expect(j.refinementNote).toBe(!j.request.refine ? 'off' : j.polished ? 'not needed: the path was polished by shooting' : '');
  for (const q of j.quantities) expect(q.drifts).toHaveLength(j.refinementNote === '' ? 3 : 1);
  expect(j.t[0]).toBe(j.request.t0);
  for (let k = 1; k < j.t.length; k++) expect(j.t[k]).toBeGreaterThan(j.t[k - 1]);
  // At E = 0 into a fixed point T is the time outside the balls around the fixed-point ends.
  if (j.infiniteDuration === null) expect(Math.abs(j.t[j.t.length - 1] - j.t[0] - j.T)).toBeLessThanOrEqual(1e-12 * Math.max(1, j.T));
  else expect(j.T).toBeLessThan(j.t[j.t.length - 1] - j.t[0]);
  expect(j.x).toHaveLength(j.t.length);
  for (const p of j.x) {
    expect(p).toHaveLength(model.state.length);
    expect(p.every((v) => typeof v === 'number' && Number.isFinite(v))).toBe(true);
  }
  expect(j.x[0]).toEqual(j.request.from);
  const end = j.x[j.x.length - 1];
  if (j.polished) {
    // Shooting hits the end point to integrator accuracy: gradientNorm is the miss |x(t0 + T) − to|.
    expect(Math.hypot(...end.map((v, i) => v - j.request.to[i]))).toBeLessThanOrEqual(j.gradientNorm * (1 + 1e-12));
  } else expect(end).toEqual(j.request.to);
  for (const key of ['action', 'T', 'E', 'iterations', 'gradientNorm'] as const) {
    expect(typeof j[key], key).toBe('number');
    expect(Number.isFinite(j[key]), key).toBe(true);
  }
  expect(typeof j.converged).toBe('boolean');
  expect(typeof j.passed).toBe('boolean');
  expect(typeof j.method).toBe('string');
  // The second-order certificate exists for every converged path (at fixed E: across the curve).
  if (j.converged) {
    expect(['minimum', 'saddle', 'degenerate']).toContain(j.stationary);
    expect(Number.isInteger(j.morseIndex)).toBe(true);
    expect(j.morseIndex === 0).toBe(j.stationary !== 'saddle');
    if (j.stationary === 'saddle') expect(j.passed).toBe(false);
  } else {
    expect(j.stationary).toBeNull();
    expect(j.morseIndex).toBeNull();
  }
  for (const q of j.quantities) {
    expect(Object.keys(q).sort()).toEqual(['drifts', 'name', 'order', 'passed', 'relativeDrift', 'rule', 'status', 'symbol', 'symbolLatex', 'values', 'zeroOnPath'].sort());
    expect(typeof q.name).toBe('string');
    expect(typeof q.symbol).toBe('string');
    expect(typeof q.symbolLatex).toBe('string');
    expect(q.symbolLatex.length).toBeGreaterThan(0);
    expect(typeof q.rule).toBe('string');
    expect(['exact', 'quasi']).toContain(q.status);
    expect(q.values).toHaveLength(midpoints && !j.polished ? j.t.length - 1 : j.t.length);
    expect(q.values.every((v) => typeof v === 'number' && Number.isFinite(v))).toBe(true);
    expect(typeof q.relativeDrift).toBe('number');
    expect(Array.isArray(q.drifts)).toBe(true);
    // M, 2M and 4M with refinement of a discrete path (a polished path has nothing to refine), else M only.
    expect(q.drifts).toHaveLength(j.request.refine && !j.polished ? 3 : 1);
    // The pass rule is the tolerance alone (a charge identically 0 on the path holds trivially).
    expect(q.passed).toBe(q.relativeDrift <= j.request.driftTolerance || q.zeroOnPath);
    expect(q.order === null || typeof q.order === 'number').toBe(true);
    expect(typeof q.zeroOnPath).toBe('boolean');
    expect(typeof q.passed).toBe('boolean');
  }
  for (const u of j.unchecked) expect(Object.keys(u).sort()).toEqual(['name', 'reason', 'symbol']);
  // passed: converged, not a saddle, and every checked charge within tolerance.
  expect(j.passed).toBe(j.converged && j.stationary !== 'saddle' && j.quantities.every((q) => q.passed));
}

const OU2D_MODEL = { name: 'ou2d', state: ['x', 'y'] };

/**
 * Every charge of ou2d is checked along the path: E and L_xy from the rules, then
 * the six that solving for the symmetry algebra adds (J_3 … J_8), and all pass.
 */
function expectOu2dCharges(j: JsonReport): void {
  expect(j.quantities.filter((q) => q.rule !== 'discovered').map((q) => [q.symbol, q.rule])).toEqual([['E', 'time'], ['L_xy', 'rotation']]);
  expect(j.quantities.filter((q) => q.rule === 'discovered').map((q) => q.symbol)).toEqual(['J_3', 'J_4', 'J_5', 'J_6', 'J_7', 'J_8']);
  for (const q of j.quantities) expect(q.passed, q.symbol).toBe(true);
}
const PAPER_ENDS = { from: [0.8, -0.4], to: [-0.4, 0.8] };

beforeAll(async () => {
  await import('../../src/cli/commands/solve.ts');
}, 60_000);

describe('noether solve: fixed duration and fixed energy on the paper models', () => {
  it('ou2d --T 8: exit 0, text report with E and L_xy', async () => {
    const r = await run([OU2D, '--from', FROM, '--to', TO, '--T', '8']);
    expect(r.code, r.stdout + r.stderr).toBe(EXIT.ok);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/Most likely path of ou2d: converged/);
    expect(r.stdout).toMatch(/^\s+E\s+ok/m);
    expect(r.stdout).toMatch(/^\s+L_xy\s+ok/m);
    expect(r.stdout).toContain('T = 8');
  }, 60_000);

  it('maier-stein --T 20 from the symmetric straight line: steps off the on-axis saddle (S = 0.25) to the certified minimum S ≈ 0.170', async () => {
    const r = await run([join(ROOT, 'examples/maier-stein.yaml'), '--from', '[-1,0]', '--to', '[0,0]', '--T', '20', '--json']);
    const j = JSON.parse(r.stdout) as JsonReport;
    expect(j).toMatchObject({ converged: true, stationary: 'minimum', morseIndex: 0 });
    expect(Math.abs(j.action - 0.17)).toBeLessThan(5e-4);
  }, 60_000);

  it('maier-stein --E 0 from the symmetric straight line: the certified minimum of the geometric action (0.170, not the axis at 0.25), infinite duration', async () => {
    const r = await run([join(ROOT, 'examples/maier-stein.yaml'), '--from', '[-1,0]', '--to', '[0,0]', '--E', '0', '--json']);
    expect(r.code, r.stderr).toBe(EXIT.ok);
    const j = JSON.parse(r.stdout) as JsonReport;
    expectReportShape(j, { name: 'maier-stein', state: ['u', 'v'] }, { from: [-1, 0], to: [0, 0], T: null, E: 0, ...DEFAULTS }, true);
    expect(j).toMatchObject({ converged: true, stationary: 'minimum', morseIndex: 0, polished: false, passed: true });
    expect(Math.abs(j.action - 0.17)).toBeLessThan(5e-4);
    // Both ends are fixed points (the attractor and the saddle): infinite time, T outside 1 % of the distance.
    expect(j.infiniteDuration).toEqual({ within: 0.01, ends: ['from', 'to'] });
    expect(j.T).toBeGreaterThan(1);
    expect(Math.max(...j.x.map((p) => Math.abs(p[1])))).toBeGreaterThan(0.05); // off the axis
    const text = await run([join(ROOT, 'examples/maier-stein.yaml'), '--from', '[-1,0]', '--to', '[0,0]', '--E', '0']);
    expect(text.stdout).toContain('T = ∞');
    expect(text.stdout).toMatch(/outside distance 0\.01 of them/);
  }, 60_000);

  it('ou2d --E 0.5 --json: exit 0, the documented shape, E = 0.5, T* > 0', async () => {
    const r = await run([OU2D, '--from', FROM, '--to', TO, '--E', '0.5', '--json']);
    expect(r.code, r.stdout + r.stderr).toBe(EXIT.ok);
    const j = JSON.parse(r.stdout) as JsonReport;
    expectReportShape(j, OU2D_MODEL, { ...PAPER_ENDS, T: null, E: 0.5, ...DEFAULTS }, true);
    expect(j.E).toBe(0.5);
    expect(j.T).toBeGreaterThan(0);
    expect(j.converged).toBe(true);
    expect(j.passed).toBe(true);
    expect(j.x[0]).toEqual([0.8, -0.4]);
    expect(Math.hypot(...j.x[j.x.length - 1].map((v, i) => v - [-0.4, 0.8][i]))).toBeLessThan(1e-10);
    expect(j.polished).toBe(true);
    expectOu2dCharges(j);
    for (const q of j.quantities) expect(q.relativeDrift, q.symbol).toBeLessThan(1e-9);
  }, 60_000);

  it('ou2d --T 8 --no-polish --json: the documented shape; t spans [0, 8] on M + 1 nodes', async () => {
    const r = await run([OU2D, '--from', FROM, '--to', TO, '--T', '8', '--nodes', '400', '--no-polish', '--drift-tol', '1e-3', '--json']);
    expect(r.code, r.stdout + r.stderr).toBe(EXIT.ok);
    const j = JSON.parse(r.stdout) as JsonReport;
    expectReportShape(j, OU2D_MODEL, { ...PAPER_ENDS, T: 8, E: null, ...DEFAULTS, nodes: 400, polish: false, driftTolerance: 1e-3 });
    expect(j.t).toHaveLength(401);
    expect(j.t[0]).toBe(0);
    expect(j.t[400]).toBeCloseTo(8, 12);
    expect(j.T).toBe(8);
    expect(j.method).toBe('newton');
    expect(j.gradientNorm).toBeLessThan(1e-9);
    for (const q of j.quantities) expect(q.passed).toBe(true);
  }, 60_000);

  it('attractor3 --E 0.5: exit 0', async () => {
    const r = await run([ATTRACTOR3, '--from', FROM, '--to', TO, '--E', '0.5', '--json']);
    expect(r.code, r.stdout.slice(0, 2000) + r.stderr).toBe(EXIT.ok);
    const j = JSON.parse(r.stdout) as JsonReport;
    expectReportShape(j, { name: 'attractor3', state: ['x', 'y'] }, { ...PAPER_ENDS, T: null, E: 0.5, ...DEFAULTS }, true);
    expect(j.converged).toBe(true);
    expect(j.quantities.map((q) => q.symbol)).toEqual(['E']);
  }, 60_000);

  it('attractor3 --T 8: exit 0', async () => {
    const r = await run([ATTRACTOR3, '--from', FROM, '--to', TO, '--T', '8']);
    expect(r.code, r.stdout + r.stderr).toBe(EXIT.ok);
    expect(r.stdout).toMatch(/converged/);
  }, 60_000);

  it('attractor3 --T 8 --json: converged by Newton to |∂S/∂x| < 1e-9, mean energy reported', async () => {
    const r = await run([ATTRACTOR3, '--from', FROM, '--to', TO, '--T', '8', '--json', '--no-refine', '--no-polish']);
    const j = JSON.parse(r.stdout) as JsonReport;
    expectReportShape(j, { name: 'attractor3', state: ['x', 'y'] }, { ...PAPER_ENDS, T: 8, E: null, ...DEFAULTS, refine: false, polish: false });
    expect(j.converged).toBe(true);
    expect(j.gradientNorm).toBeLessThan(1e-9);
    expect(j.method).toBe('newton');
    // --no-refine: one drift, no order, and no talk of refinement in the text.
    const text = await run([ATTRACTOR3, '--from', FROM, '--to', TO, '--T', '8', '--no-refine', '--no-polish']);
    expect(text.stdout).not.toMatch(/refinement/);
    expect(text.stdout).toMatch(/E\s+FAIL .*relative drift [0-9.]+e-[56]/);
    expect(text.stdout).toContain('pass: relative drift ≤ 0.000001');
    expect(j.E).toBeGreaterThan(0);
    for (const q of j.quantities) expect(q.drifts).toHaveLength(1);
  }, 60_000);

  it('ou2d by default: exit 0, polished by shooting, every charge constant to 1e-9', async () => {
    const r = await run([OU2D, '--from', FROM, '--to', TO, '--T', '8', '--json']);
    expect(r.code, r.stderr).toBe(EXIT.ok);
    const j = JSON.parse(r.stdout) as JsonReport;
    expectReportShape(j, OU2D_MODEL, { ...PAPER_ENDS, T: 8, E: null, ...DEFAULTS });
    expect(j.method).toBe('newton + shooting');
    expect(j.polished).toBe(true);
    for (const q of j.quantities) expect(q.relativeDrift, q.symbol).toBeLessThan(1e-9);
    expect(j.converged).toBe(true);
    expect(j.passed).toBe(true);
    expect(j.t[j.t.length - 1]).toBe(8);
  }, 60_000);

  it('ring --t0 0.2 --T 1 (time-dependent): L_xy conserved, exit 0', async () => {
    const r = await run([RING, '--from', '[2, 0]', '--to', '[0, 2]', '--t0', '0.2', '--T', '1', '--json']);
    expect(r.code, r.stdout.slice(0, 2000) + r.stderr).toBe(EXIT.ok);
    const j = JSON.parse(r.stdout) as JsonReport;
    expectReportShape(j, { name: 'ring', state: ['x', 'y'] }, { from: [2, 0], to: [0, 2], T: 1, E: null, ...DEFAULTS, t0: 0.2 });
    expect(j.t[0]).toBe(0.2);
    expect(j.t[j.t.length - 1]).toBeCloseTo(1.2, 12);
    const L = j.quantities.filter((q) => q.symbol === 'L_xy');
    expect(L).toHaveLength(1);
    expect(L[0].relativeDrift).toBeLessThan(1e-6);
    expect(L[0].passed).toBe(true);
    expect(j.passed).toBe(true);
  }, 60_000);

  it('ddm: a one-state model takes a list or an object (echoed as a list in state order)', async () => {
    for (const [from, to] of [['[0.6]', '[-1]'], ['{"x": 0.6}', '{"x": -1}']]) {
      const r = await run([DDM, '--from', from, '--to', to, '--T', '2', '--nodes', '100', '--json', '--no-refine']);
      expect(r.code, r.stderr).toBe(EXIT.ok);
      const j = JSON.parse(r.stdout) as JsonReport;
      expectReportShape(j, { name: 'ddm', state: ['x'] }, { from: [0.6], to: [-1], T: 2, E: null, ...DEFAULTS, nodes: 100, refine: false });
      expect(j.x[0]).toEqual([0.6]);
      expect(Math.abs(j.x[j.x.length - 1][0] + 1)).toBeLessThan(1e-10);
    }
  }, 60_000);

  it('--E -0.5 (a negative value without =) is read as the energy: E = -0.5 on ou2d', async () => {
    // With k = 1, D = 1/2 the region fᵀD⁻¹f + 4E ≥ 0 is |x| ≥ 1 at E = -0.5; from (2, 0) to
    // (√2, √2) (45°) the path stays outside it.
    const ends = ['--from', '[2, 0]', '--to', '[1.4142135623730951, 1.4142135623730951]'];
    const r = await run([OU2D, ...ends, '--E', '-0.5', '--json']);
    expect(r.code, r.stdout.slice(0, 2000) + r.stderr).toBe(EXIT.ok);
    expect(r.stderr).toBe('');
    const j = JSON.parse(r.stdout) as JsonReport;
    expectReportShape(j, OU2D_MODEL, { from: [2, 0], to: [Math.SQRT2, Math.SQRT2], T: null, E: -0.5, ...DEFAULTS }, true);
    expect(j.request.E).toBe(-0.5);
    expect(j.E).toBe(-0.5);
    expect(j.T).toBeGreaterThan(0);
    expect(j.converged).toBe(true);
    expect(j.passed).toBe(true);
    expectOu2dCharges(j);
    for (const q of j.quantities.filter((c) => c.symbol === 'E')) expect(q.values.every((v) => Math.abs(v + 0.5) < 1e-9)).toBe(true);
    // The same as --E=-0.5.
    const eq = await run([OU2D, ...ends, '--E=-0.5', '--json']);
    expect(eq.code).toBe(EXIT.ok);
    expect(eq.stdout).toBe(r.stdout);
  }, 60_000);

  it('--E -0.5 between the paper end points reaches the library, which says E is too low (exit 2)', async () => {
    // (0.8, -0.4) has |x|² = 0.8 < 1: the start point itself is classically forbidden at E = -0.5.
    const r = await run([OU2D, '--from', FROM, '--to', TO, '--E', '-0.5']);
    expect(r.code, r.stderr).toBe(EXIT.usage);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('error: E: the energy -0.5 is below what the path needs: fᵀD⁻¹f + 4E < 0 somewhere along it (a classically forbidden region); raise E\n');
  }, 60_000);
});

describe('noether solve: command-line usage errors (exit 2)', () => {
  it('missing --to / --from', async () => {
    await expectUsageError([OU2D, '--from', FROM, '--T', '8'], /--from and --to/);
    await expectUsageError([OU2D, '--to', TO, '--T', '8'], /--from and --to/);
  });

  it('both --T and --E, or neither', async () => {
    await expectUsageError([OU2D, '--from', FROM, '--to', TO, '--T', '8', '--E', '0.5'], /exactly one of --T .* and --E/);
    await expectUsageError([OU2D, '--from', FROM, '--to', TO], /exactly one of --T .* and --E/);
  });

  it('--T abc, --t0 abc, --E abc: not a number', async () => {
    await expectUsageError([OU2D, '--from', FROM, '--to', TO, '--T', 'abc'], /--T must be a finite number; got 'abc'/);
    await expectUsageError([OU2D, '--from', FROM, '--to', TO, '--T', '8', '--t0', 'abc'], /--t0 must be a finite number; got 'abc'/);
    await expectUsageError([OU2D, '--from', FROM, '--to', TO, '--E', 'abc'], /--E must be a finite number; got 'abc'/);
  });

  it('--nodes 1 (and 2.5, 0)', async () => {
    await expectUsageError([OU2D, '--from', FROM, '--to', TO, '--T', '8', '--nodes', '1'], /--nodes must be an integer from 2 to 1000000; got '1'/);
    await expectUsageError([OU2D, '--from', FROM, '--to', TO, '--T', '8', '--nodes', '2.5'], /--nodes must be an integer/);
    await expectUsageError([OU2D, '--from', FROM, '--to', TO, '--T', '8', '--nodes', '0'], /--nodes must be an integer/);
  });

  it('--from that is not valid JSON', async () => {
    await expectUsageError([OU2D, '--from', '{x: 1}', '--to', TO, '--T', '8'], /--from is not valid JSON/);
    await expectUsageError([OU2D, '--from', FROM, '--to', '[-0.4,', '--T', '8'], /--to is not valid JSON/);
  });

  it('an unknown --method, an unknown option, no model', async () => {
    await expectUsageError([OU2D, '--from', FROM, '--to', TO, '--T', '8', '--method', 'euler'], /--method must be one of newton, lbfgs; got 'euler'/);
    await expectUsageError([OU2D, '--from', FROM, '--to', TO, '--T', '8', '--bogus'], /bogus/);
    await expectUsageError(['--from', FROM, '--to', TO, '--T', '8'], /missing the model file/);
  });
});

describe('noether solve: requests the library rejects (exit 2, error: <field>: <message>)', () => {
  it('--T -1, --T=-1, --T 0: read as numbers, rejected as not positive', async () => {
    await expectRequestError([OU2D, '--from', FROM, '--to', TO, '--T=-1'], 'T', 'expected a positive number; got -1');
    await expectRequestError([OU2D, '--from', FROM, '--to', TO, '--T', '-1'], 'T', 'expected a positive number; got -1');
    await expectRequestError([OU2D, '--from', FROM, '--to', TO, '--T', '0'], 'T', 'expected a positive number; got 0');
    await expectRequestError([OU2D, '--from', FROM, '--to', TO, '--T', '8', '--drift-tol', '-1'], 'driftTolerance', 'expected a positive number; got -1');
  });

  it('--from with an unknown state name, a missing one, the wrong length; --to with a non-number', async () => {
    await expectRequestError([OU2D, '--from', '{"x": 0.8, "z": 1}', '--to', TO, '--T', '8'], 'from', "'z' is not a state variable (state: x, y)");
    await expectRequestError([OU2D, '--from', '{"x": 0.8}', '--to', TO, '--T', '8'], 'from', 'missing y (state: x, y)');
    await expectRequestError([OU2D, '--from', '[0.8]', '--to', TO, '--T', '8'], 'from', 'expected 2 numbers (state: x, y); got 1');
    await expectRequestError([OU2D, '--from', FROM, '--to', '{"x": "a", "y": 0}', '--T', '8'], 'to.x', 'expected a finite number; got "a"');
    await expectRequestError([OU2D, '--from', FROM, '--to', '[-0.4, null]', '--T', '8'], 'to.y', 'expected a finite number; got null');
  });

  it('--E on a time-dependent model (the ring)', async () => {
    await expectRequestError(
      [RING, '--from', '[2, 0]', '--to', '[0, 2]', '--t0', '0.2', '--E', '0.5'],
      'E',
      'fixed-energy paths need a time-independent model (the energy is not conserved otherwise); give a duration T instead',
    );
  });

  it('--method other than newton with --E', async () => {
    await expectRequestError([OU2D, '--from', FROM, '--to', TO, '--E', '0.5', '--method', 'lbfgs'], 'method', 'the method applies to fixed-duration paths (T) only');
    await expectRequestError([OU2D, '--from', FROM, '--to', TO, '--E', '0.5', '--method', 'lbfgs'], 'method', 'the method applies to fixed-duration paths (T) only');
  });

  it("a path outside the model's time interval names T when it runs past the end, t0 when it starts outside", async () => {
    await expectRequestError([RING_PF, '--from', '[2, 0]', '--to', '[0, 2]', '--T', '8'], 'T', "the path [0, 8] leaves the model's time interval [0, 1.95]");
    await expectRequestError([RING_PF, '--from', '[2, 0]', '--to', '[0, 2]', '--t0', '1.5', '--T', '1'], 'T', "the path [1.5, 2.5] leaves the model's time interval [0, 1.95]");
    await expectRequestError([RING_PF, '--from', '[2, 0]', '--to', '[0, 2]', '--t0', '-5', '--T', '1'], 't0', "the path [-5, -4] leaves the model's time interval [0, 1.95]");
  });
});

describe('noether solve: solver failures are not internal errors', () => {
  it('an energy too low for the path (f² + 4DE < 0 on it) is reported as invalid input, not a crash', async () => {
    // ou2d, from (1, 0) to (−1, 0): the straight line passes the origin, where f = 0, so E = −1 is forbidden there.
    const r = await run([OU2D, '--from', '[1, 0]', '--to', '[-1, 0]', '--E=-1', '--no-refine']);
    expect(r.code, r.stderr).not.toBe(EXIT.internal);
    expect([EXIT.usage, EXIT.invalidInput, EXIT.checkFailed]).toContain(r.code);
    // A request error (kind 'usage'): exit 2, the library's message, no --help pointer.
    expect(r.code).toBe(EXIT.usage);
    expect(r.stdout).toBe('');
    expect(r.stderr).not.toMatch(/internal error/);
    expect(r.stderr).not.toMatch(/^\s+at /m);
    expect(r.stderr).toMatch(/^error: E: the energy -1 is below what the path needs/);
  }, 60_000);
});
