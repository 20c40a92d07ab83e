// `noether solve`, run in-process through main(): fixed-T and fixed-E paths on
// the paper's models, the --json report, and usage errors (exit 2).
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { EXIT } from '../../src/cli/io.ts';
import { type Outcome, runCli } from '../helpers/cli.ts';

const ROOT = join(import.meta.dirname, '../..');
const OU2D = join(ROOT, 'examples/ou2d.yaml');
const ATTRACTOR3 = join(ROOT, 'examples/attractor3.yaml');
const DDM = join(ROOT, 'examples/ddm.yaml');
const RING = join(ROOT, 'test/fixtures/cas/models/ring.yaml');
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

interface JsonReport {
  t: number[];
  x: number[][];
  action: number;
  T: number;
  E: number;
  converged: boolean;
  iterations: number;
  method: string;
  gradientNorm: number;
  quantities: {
    name: string;
    symbol: string;
    rule: string;
    status: string;
    values: number[];
    relativeDrift: number;
    drifts: number[];
    order: number | null;
    passed: boolean;
  }[];
  passed: boolean;
}

/**
 * The report's shape. Charge values are per node on fixed-T paths (M + 1) but per
 * interval midpoint on fixed-E paths (M): `midpoints` says which.
 */
function expectReportShape(j: JsonReport, midpoints = false): void {
  expect(Object.keys(j).sort()).toEqual(['E', 'T', 'action', 'converged', 'gradientNorm', 'iterations', 'method', 'passed', 'quantities', 't', 'x'].sort());
  expect(Array.isArray(j.t)).toBe(true);
  expect(j.x).toHaveLength(j.t.length);
  for (const p of j.x) expect(p.every((v) => typeof v === 'number' && Number.isFinite(v))).toBe(true);
  for (const key of ['action', 'T', 'E', 'iterations', 'gradientNorm'] as const) expect(typeof j[key], key).toBe('number');
  expect(typeof j.converged).toBe('boolean');
  expect(typeof j.passed).toBe('boolean');
  expect(typeof j.method).toBe('string');
  for (const q of j.quantities) {
    expect(Object.keys(q).sort()).toEqual(['drifts', 'name', 'order', 'passed', 'relativeDrift', 'rule', 'status', 'symbol', 'values'].sort());
    expect(typeof q.name).toBe('string');
    expect(typeof q.symbol).toBe('string');
    expect(typeof q.rule).toBe('string');
    expect(['exact', 'quasi']).toContain(q.status);
    expect(q.values).toHaveLength(midpoints ? j.t.length - 1 : j.t.length);
    expect(typeof q.relativeDrift).toBe('number');
    expect(Array.isArray(q.drifts)).toBe(true);
    expect(q.order === null || typeof q.order === 'number').toBe(true);
    expect(typeof q.passed).toBe('boolean');
  }
}

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

  it('ou2d --E 0.5 --json: exit 0, the documented shape, E = 0.5, T* > 0', async () => {
    const r = await run([OU2D, '--from', FROM, '--to', TO, '--E', '0.5', '--json']);
    expect(r.code, r.stdout + r.stderr).toBe(EXIT.ok);
    const j = JSON.parse(r.stdout) as JsonReport;
    expectReportShape(j, true);
    expect(j.E).toBe(0.5);
    expect(j.T).toBeGreaterThan(0);
    expect(j.converged).toBe(true);
    expect(j.passed).toBe(true);
    expect(j.x[0]).toEqual([0.8, -0.4]);
    expect(j.x[j.x.length - 1]).toEqual([-0.4, 0.8]);
    expect(j.quantities.map((q) => q.symbol).sort()).toEqual(['E', 'L_xy']);
    for (const q of j.quantities) expect(q.drifts).toHaveLength(3);
  }, 60_000);

  it('ou2d --T 8 --json: the documented shape; t spans [0, 8] on M + 1 nodes', async () => {
    const r = await run([OU2D, '--from', FROM, '--to', TO, '--T', '8', '--nodes', '400', '--json']);
    expect(r.code, r.stdout + r.stderr).toBe(EXIT.ok);
    const j = JSON.parse(r.stdout) as JsonReport;
    expectReportShape(j);
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
    expectReportShape(j, true);
    expect(j.converged).toBe(true);
    expect(j.quantities.map((q) => q.symbol)).toEqual(['E']);
  }, 60_000);

  it('attractor3 --T 8: exit 0', async () => {
    const r = await run([ATTRACTOR3, '--from', FROM, '--to', TO, '--T', '8']);
    expect(r.code, r.stdout + r.stderr).toBe(EXIT.ok);
    expect(r.stdout).toMatch(/converged/);
  }, 60_000);

  it('attractor3 --T 8 --json: converged by Newton to |∂S/∂x| < 1e-9, mean energy reported', async () => {
    const r = await run([ATTRACTOR3, '--from', FROM, '--to', TO, '--T', '8', '--json', '--no-refine']);
    const j = JSON.parse(r.stdout) as JsonReport;
    expectReportShape(j);
    expect(j.converged).toBe(true);
    expect(j.gradientNorm).toBeLessThan(1e-9);
    expect(j.method).toBe('newton');
    expect(j.E).toBeGreaterThan(0);
    for (const q of j.quantities) expect(q.drifts).toHaveLength(1);
  }, 60_000);

  it('--method shoot on ou2d: exit 0, polished by shooting', async () => {
    const r = await run([OU2D, '--from', FROM, '--to', TO, '--T', '8', '--method', 'shoot', '--json']);
    expect(r.code, r.stderr).toBe(EXIT.ok);
    const j = JSON.parse(r.stdout) as JsonReport;
    expectReportShape(j);
    expect(j.method).toBe('newton + shooting');
    expect(j.t[j.t.length - 1]).toBe(8);
  }, 60_000);

  it('ring --t0 0.2 --T 1 (time-dependent): L_xy conserved, exit 0', async () => {
    const r = await run([RING, '--from', '[2, 0]', '--to', '[0, 2]', '--t0', '0.2', '--T', '1', '--json']);
    expect(r.code, r.stdout.slice(0, 2000) + r.stderr).toBe(EXIT.ok);
    const j = JSON.parse(r.stdout) as JsonReport;
    expectReportShape(j);
    expect(j.t[0]).toBe(0.2);
    expect(j.t[j.t.length - 1]).toBeCloseTo(1.2, 12);
    const L = j.quantities.filter((q) => q.symbol === 'L_xy');
    expect(L).toHaveLength(1);
    expect(L[0].relativeDrift).toBeLessThan(1e-6);
    expect(L[0].passed).toBe(true);
    expect(j.passed).toBe(true);
  }, 60_000);

  it('ddm: a one-state model takes a list or an object', async () => {
    for (const [from, to] of [['[0.6]', '[-1]'], ['{"x": 0.6}', '{"x": -1}']]) {
      const r = await run([DDM, '--from', from, '--to', to, '--T', '2', '--nodes', '100', '--json', '--no-refine']);
      expect(r.code, r.stderr).toBe(EXIT.ok);
      const j = JSON.parse(r.stdout) as JsonReport;
      expect(j.x[0]).toEqual([0.6]);
      expect(j.x[100]).toEqual([-1]);
    }
  }, 60_000);
});

describe('noether solve: usage errors (exit 2)', () => {
  it('missing --to / --from', async () => {
    await expectUsageError([OU2D, '--from', FROM, '--T', '8'], /--from and --to/);
    await expectUsageError([OU2D, '--to', TO, '--T', '8'], /--from and --to/);
  });

  it('both --T and --E, or neither', async () => {
    await expectUsageError([OU2D, '--from', FROM, '--to', TO, '--T', '8', '--E', '0.5'], /exactly one of --T .* and --E/);
    await expectUsageError([OU2D, '--from', FROM, '--to', TO], /exactly one of --T .* and --E/);
  });

  it('--T -1, --T=-1, --T 0, --T abc', async () => {
    await expectUsageError([OU2D, '--from', FROM, '--to', TO, '--T=-1'], /--T must be a positive number; got '-1'/);
    await expectUsageError([OU2D, '--from', FROM, '--to', TO, '--T', '-1'], /--T/);
    await expectUsageError([OU2D, '--from', FROM, '--to', TO, '--T', '0'], /--T must be a positive number; got '0'/);
    await expectUsageError([OU2D, '--from', FROM, '--to', TO, '--T', 'abc'], /--T must be a positive number/);
  });

  it('--nodes 1 (and 2.5, 0)', async () => {
    await expectUsageError([OU2D, '--from', FROM, '--to', TO, '--T', '8', '--nodes', '1'], /--nodes must be an integer from 2 to 1000000; got '1'/);
    await expectUsageError([OU2D, '--from', FROM, '--to', TO, '--T', '8', '--nodes', '2.5'], /--nodes must be an integer/);
    await expectUsageError([OU2D, '--from', FROM, '--to', TO, '--T', '8', '--nodes', '0'], /--nodes must be an integer/);
  });

  it('--from with an unknown state name, a missing one, the wrong length, bad JSON, a non-number', async () => {
    await expectUsageError([OU2D, '--from', '{"x": 0.8, "z": 1}', '--to', TO, '--T', '8'], /--from: 'z' is not a state variable \(state: x, y\)/);
    await expectUsageError([OU2D, '--from', '{"x": 0.8}', '--to', TO, '--T', '8'], /--from: missing y/);
    await expectUsageError([OU2D, '--from', '[0.8]', '--to', TO, '--T', '8'], /--from needs 2 numbers/);
    await expectUsageError([OU2D, '--from', '{x: 1}', '--to', TO, '--T', '8'], /--from is not valid JSON/);
    await expectUsageError([OU2D, '--from', FROM, '--to', '{"x": "a", "y": 0}', '--T', '8'], /--to: x must be a finite number/);
  });

  it('--E on a time-dependent model (the ring)', async () => {
    await expectUsageError([RING, '--from', '[2, 0]', '--to', '[0, 2]', '--t0', '0.2', '--E', '0.5'], /time-independent model/);
  });

  it('--method with --E, an unknown --method, an unknown option, no model', async () => {
    await expectUsageError([OU2D, '--from', FROM, '--to', TO, '--E', '0.5', '--method', 'lbfgs'], /--method applies to fixed-duration paths/);
    await expectUsageError([OU2D, '--from', FROM, '--to', TO, '--T', '8', '--method', 'euler'], /--method must be one of newton, lbfgs, shoot/);
    await expectUsageError([OU2D, '--from', FROM, '--to', TO, '--T', '8', '--bogus'], /bogus/);
    await expectUsageError(['--from', FROM, '--to', TO, '--T', '8'], /missing the model file/);
  });
});

describe('noether solve: solver failures are not internal errors', () => {
  it('an energy too low for the path (f² + 4DE < 0 on it) is reported as invalid input, not a crash', async () => {
    // ou2d, from (1, 0) to (−1, 0): the straight line passes the origin, where f = 0, so E = −1 is forbidden there.
    const r = await run([OU2D, '--from', '[1, 0]', '--to', '[-1, 0]', '--E=-1', '--no-refine']);
    expect(r.code, r.stderr).not.toBe(EXIT.internal);
    expect([EXIT.usage, EXIT.invalidInput, EXIT.checkFailed]).toContain(r.code);
    expect(r.stderr).not.toMatch(/internal error/);
    expect(r.stderr).toMatch(/E = -1/);
  }, 60_000);
});
