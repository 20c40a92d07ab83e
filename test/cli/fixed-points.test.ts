// `noether fixed-points MODEL`: run in-process through main() with a capturing
// io: the table and the --json FixedPointReport, the box and time options,
// command-line usage errors and the library's request errors (both exit 2).

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCHEMA_VERSION } from '../../src/api/reports.ts';
import { EXIT } from '../../src/cli/io.ts';
import { type Outcome, runCli, runOk } from '../helpers/cli.ts';

const ROOT = join(import.meta.dirname, '../..');
const OU2D = join(ROOT, 'examples/ou2d.yaml');
const ATTRACTOR3 = join(ROOT, 'examples/attractor3.yaml');
const DDM = join(ROOT, 'examples/ddm.yaml');
const PAPER_BOX = '{"x": [-0.5, 1.5], "y": [-0.5, 1.5]}';

const run = (...argv: string[]): Promise<Outcome> => runCli(argv);
const ok = (...argv: string[]): Promise<string> => runOk(argv);

interface Output {
  schemaVersion: string;
  kind: string;
  model: { name: string; state: string[]; params: Record<string, number> };
  box: Record<string, [number, number]>;
  t: number;
  fixedPoints: { x: number[]; stability: string; eigenvalues: { re: number; im: number }[]; residual: number }[];
}

async function usageError(argv: string[], message: RegExp): Promise<void> {
  const r = await run('fixed-points', ...argv);
  expect(r.code, r.stderr).toBe(EXIT.usage);
  expect(r.stdout).toBe('');
  expect(r.stderr.startsWith('noether fixed-points: '), r.stderr).toBe(true);
  expect(r.stderr).toMatch(message);
  expect(r.stderr).toContain('Run `noether fixed-points --help` for usage.');
  expect(r.stderr).not.toMatch(/^\s+at /m);
}

/** A request the library rejects: exit 2, nothing on stdout, exactly `error: <field>: <message>` on stderr. */
async function requestError(argv: string[], path: string, message: string): Promise<void> {
  const r = await run('fixed-points', ...argv);
  expect(r.code, r.stderr).toBe(EXIT.usage);
  expect(r.stdout).toBe('');
  expect(r.stderr).toBe(`error: ${path}: ${message}\n`);
}

/** The FixedPointReport's shape (schemas/fixed-points.schema.json). */
function expectReportShape(j: Output): void {
  expect(Object.keys(j).sort()).toEqual(['schemaVersion', 'kind', 'model', 'box', 't', 'fixedPoints'].sort());
  expect(j.schemaVersion).toBe(SCHEMA_VERSION);
  expect(j.schemaVersion).toMatch(/^1\.\d+$/);
  expect(j.kind).toBe('fixed-points');
  expect(Object.keys(j.model).sort()).toEqual(['name', 'params', 'state']);
  expect(Object.keys(j.box)).toEqual(j.model.state);
  expect(typeof j.t).toBe('number');
  for (const p of j.fixedPoints) {
    expect(Object.keys(p).sort()).toEqual(['eigenvalues', 'residual', 'stability', 'x']);
    expect(p.x).toHaveLength(j.model.state.length);
    expect(p.eigenvalues).toHaveLength(j.model.state.length);
    expect(['stable', 'saddle', 'unstable', 'degenerate']).toContain(p.stability);
  }
}

let dir = '';
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'noether-fixed-points-'));
  await import('../../src/cli/commands/fixed-points.ts');
}, 60_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('noether fixed-points', () => {
  it('is listed in the command overview and has --help', async () => {
    expect(await ok('--help')).toMatch(/^\s+fixed-points\s+find and classify the fixed points of the drift$/m);
    const help = await ok('fixed-points', '--help');
    expect(help).toContain('Usage: noether fixed-points MODEL [--box JSON] [--t T] [--json]');
    expect(help).toContain('--box JSON');
  });

  it('prints a table of the 3-attractor model: three stable states and two saddles', async () => {
    const out = await ok('fixed-points', ATTRACTOR3, '--box', PAPER_BOX);
    expect(out).toContain('attractor3: 5 fixed points of the drift with x in [-0.5, 1.5], y in [-0.5, 1.5], t = 0');
    expect(out).toMatch(/^\s+x\s+y\s+stability\s+eigenvalues of df\/dx\s+residual$/m);
    expect(out).toMatch(/^\s+0\.797939\s+-0\.398969\s+stable\s+-1, -0\.95888\d/m);
    expect(out).toMatch(/^\s+-0\.398969\s+0\.797939\s+stable/m);
    expect(out).toMatch(/^\s+0\.0000181\d*\s+0\.0000181\d*\s+stable/m);
    expect(out).toMatch(/^\s+0\.535177\s+-0\.267588\s+saddle\s+-0\.999997, 2\.5431\d/m);
    expect(out).toContain('3 stable, 2 saddle');
  });

  it('prints JSON with the model, the box, t and the fixed points', async () => {
    const j = JSON.parse(await ok('fixed-points', ATTRACTOR3, '--box', PAPER_BOX, '--json')) as Output;
    expectReportShape(j);
    expect(j.schemaVersion).toBe('1.0');
    expect(j.kind).toBe('fixed-points');
    expect(j.model).toEqual({ name: 'attractor3', state: ['x', 'y'], params: { mu0: 0, A: 0.8, I: 0.4, c: 0.5, n: 0.1, tau: 1, sigma: 0.1 } });
    expect(j.box).toEqual({ x: [-0.5, 1.5], y: [-0.5, 1.5] });
    expect(j.t).toBe(0);
    expect(j.fixedPoints.map((p) => p.stability)).toEqual(['stable', 'saddle', 'stable', 'saddle', 'stable']);
    for (const p of j.fixedPoints) {
      expect(p.x).toHaveLength(2);
      expect(p.eigenvalues).toHaveLength(2);
      expect(p.residual).toBeLessThan(1e-10);
    }
  });

  it('uses [-3, 3] for every state variable left out of --box (and without --box)', async () => {
    const j = JSON.parse(await ok('fixed-points', OU2D, '--json')) as Output;
    expectReportShape(j);
    expect(j.box).toEqual({ x: [-3, 3], y: [-3, 3] });
    expect(j.fixedPoints).toHaveLength(1);
    expect(j.fixedPoints[0].stability).toBe('stable');
    expect(j.fixedPoints[0].eigenvalues).toEqual([{ re: -1, im: 0 }, { re: -1, im: 0 }]);
    const partial = JSON.parse(await ok('fixed-points', OU2D, '--json', '--box', '{"y": [-1, 2]}')) as Output;
    expectReportShape(partial);
    expect(partial.box).toEqual({ x: [-3, 3], y: [-1, 2] });
  });

  it('says so when there are no fixed points', async () => {
    const out = await ok('fixed-points', DDM);
    expect(out).toBe('ddm: 0 fixed points of the drift with x in [-3, 3], t = 0\n');
  });

  it('freezes a time-dependent drift at --t (negative times as --t -1 or --t=-1)', async () => {
    const file = join(dir, 'moving.yaml');
    writeFileSync(file, 'name: moving\nstate: [x]\ndrift: ["t - x"]\ndiffusion: 1\n');
    const at = async (...t: string[]): Promise<Output> => JSON.parse(await ok('fixed-points', file, '--json', ...t)) as Output;
    expect((await at()).fixedPoints[0].x[0]).toBeCloseTo(0, 12);
    const later = await at('--t', '0.75');
    expect(later.t).toBe(0.75);
    expect(later.fixedPoints[0].x[0]).toBeCloseTo(0.75, 12);
    expect((await at('--t=-1')).fixedPoints[0].x[0]).toBeCloseTo(-1, 12);
    const negative = await at('--t', '-1');
    expectReportShape(negative);
    expect(negative.t).toBe(-1);
    expect(negative.fixedPoints[0].x[0]).toBeCloseTo(-1, 12);
    expect(await ok('fixed-points', file, '--t', '2')).toContain('t = 2');
  });

  it('shows complex eigenvalues as a ± bi', async () => {
    const file = join(dir, 'spiral.yaml');
    writeFileSync(file, 'name: spiral\nstate: [x, y]\ndrift: ["-x - 2*y", "2*x - y"]\ndiffusion: 1\n');
    expect(await ok('fixed-points', file)).toMatch(/stable\s+-1-2i, -1\+2i/);
  });

  describe('command-line usage errors (exit 2)', () => {
    it('bad JSON in --box', async () => {
      await usageError([OU2D, '--box', '{x: [1, 2]}'], /--box is not valid JSON/);
    });
    it('a bad --t', async () => {
      await usageError([OU2D, '--t', 'soon'], /--t must be a finite number; got 'soon'/);
      await usageError([OU2D, '--t', 'Infinity'], /--t must be a finite number; got 'Infinity'/);
    });
    it('a missing model, an extra argument or an unknown option', async () => {
      await usageError([], /missing the model file/);
      await usageError([OU2D, OU2D], /unexpected argument/);
      await usageError([OU2D, '--format', 'json'], /--format/);
    });
  });

  describe('requests the library rejects (exit 2, error: <field>: <message>)', () => {
    it('a --box that is not an object by state name', async () => {
      await requestError([OU2D, '--box', '[1, 2]'], 'box', 'expected an object by state name, e.g. {"x": [-1, 1]}; got [1,2]');
      await requestError([OU2D, '--box', 'null'], 'box', 'expected an object by state name, e.g. {"x": [-1, 1]}; got null');
    });
    it('a state name the model does not have', async () => {
      await requestError([OU2D, '--box', '{"z": [-1, 1]}'], 'box', "'z' is not a state variable (state: x, y)");
    });
    it('lo >= hi, or bounds that are not two finite numbers', async () => {
      await requestError([OU2D, '--box', '{"x": [1, 1]}'], 'box.x', 'expected lo < hi; got [1, 1]');
      await requestError([OU2D, '--box', '{"x": [2, -2]}'], 'box.x', 'expected lo < hi; got [2, -2]');
      await requestError([OU2D, '--box', '{"y": [0, 1], "x": [0]}'], 'box.x', 'expected [lo, hi], two finite numbers; got [0]');
      await requestError([OU2D, '--box', '{"x": ["a", 1]}'], 'box.x', 'expected [lo, hi], two finite numbers; got ["a",1]');
    });
  });

  it('reports an unreadable model as invalid input (exit 3)', async () => {
    const r = await run('fixed-points', join(dir, 'missing.yaml'));
    expect(r.code).toBe(EXIT.invalidInput);
    expect(r.stderr).toMatch(/no such file/);
  });
});
