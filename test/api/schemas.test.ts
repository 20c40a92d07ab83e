// The published shape of the reports: schemas/*.schema.json are exactly what
// the TypeScript types generate (scripts/schemas.mjs), every `--json` output of
// every command on every example validates against its schema, and every
// report the library returns is plain data (JSON round-trips it unchanged).
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import { describe, expect, it } from 'vitest';
import { analyze, createAnalyzer } from '../../src/index.ts';
import { buildModel } from '../../src/model/build.ts';
import { readModelFile } from '../../src/model/file.ts';
import { SCHEMAS, generateSchemas } from '../../scripts/schemas.mjs';
import { runCli } from '../helpers/cli.ts';

const ROOT = join(import.meta.dirname, '../..');
const EXAMPLES = readdirSync(join(ROOT, 'examples'))
  .filter((f) => f.endsWith('.yaml'))
  .sort()
  .map((f) => `examples/${f}`);

const ajv = new Ajv({ allErrors: true, strict: true });
const validators = new Map<string, ValidateFunction>();
function validator(name: string): ValidateFunction {
  let v = validators.get(name);
  if (!v) {
    v = ajv.compile(JSON.parse(readFileSync(join(ROOT, 'schemas', `${name}.schema.json`), 'utf8')));
    validators.set(name, v);
  }
  return v;
}
function expectValid(name: string, value: unknown, what: string): void {
  const v = validator(name);
  const ok = v(value);
  expect(ok ? [] : v.errors?.slice(0, 5).map((e) => `${e.instancePath} ${e.message} ${JSON.stringify(e.params)}`), `${what} against schemas/${name}.schema.json`).toEqual([]);
}
/** Exactly plain data: JSON gives it back unchanged (no NaN, Infinity, undefined, bigint, class or typed array). */
function expectPlain(value: unknown, what: string): void {
  expect(JSON.parse(JSON.stringify(value)), what).toStrictEqual(value);
}
async function json(argv: string[]): Promise<unknown> {
  const r = await runCli(argv);
  expect(r.stderr, argv.join(' ')).toBe('');
  expect(r.code, argv.join(' ')).toBe(0);
  return JSON.parse(r.stdout);
}

describe('schemas/', () => {
  it('is exactly what the report types generate (npm run schemas)', () => {
    const generated = generateSchemas();
    const committed = readdirSync(join(ROOT, 'schemas')).sort();
    expect(committed).toEqual(Object.keys(generated).sort());
    for (const [file, text] of Object.entries(generated)) {
      expect(readFileSync(join(ROOT, 'schemas', file), 'utf8'), `schemas/${file} is stale: run npm run schemas`).toBe(text);
    }
    expect(Object.values(SCHEMAS).sort()).toEqual(committed.map((f) => f.replace('.schema.json', '')).sort());
  });

  it('rejects what is not a report: the validators are not vacuous', () => {
    const v = validator('path');
    expect(v({})).toBe(false);
    expect(validator('derivation')({ schemaVersion: '1.0', kind: 'path' })).toBe(false);
  });
});

describe.each(EXAMPLES)('every --json output for %s validates', (file) => {
  it('lagrangian --format json, derive --format json (and derive --action om)', async () => {
    const lagrangian = await json(['lagrangian', file, '--format', 'json']);
    expectValid('lagrangian', lagrangian, `lagrangian ${file}`);
    const derivation = (await json(['derive', file, '--format', 'json'])) as { symmetries: Array<{ generator: { dt: string; dx: string[] }; status: string }> };
    expectValid('derivation', derivation, `derive ${file}`);
    expectValid('derivation', await json(['derive', file, '--format', 'json', '--action', 'om']), `derive --action om ${file}`);
    // check --json on the first symmetry's generator: the same verdict, in a CheckReport.
    const first = derivation.symmetries[0];
    const r = await runCli(['check', file, '--json', '--generator', JSON.stringify({ dt: first.generator.dt, dx: first.generator.dx })]);
    const check = JSON.parse(r.stdout) as { symmetry: { status: string } };
    expectValid('check', check, `check ${file}`);
    expect(check.symmetry.status).toBe(first.status);
    expect(r.code).toBe(first.status === 'broken' ? 1 : 0);
  });

  it('fixed-points --json and solve --json (fixed T)', async () => {
    const spec = readModelFile(join(ROOT, file));
    const n = buildModel(spec).state.length; // components of vector states too
    expectValid('fixed-points', await json(['fixed-points', file, '--json']), `fixed-points ${file}`);
    // Models with a domain (x > 0) get ends inside it.
    const from = JSON.stringify(Array.from({ length: n }, (_, i) => (spec.domain ? 1 : i === 0 ? 1 : 0)));
    const to = JSON.stringify(Array.from({ length: n }, (_, i) => (spec.domain ? 1.5 : i === n - 1 ? (n === 1 ? -1 : 1) : 0)));
    const time = (spec.time as [number, number] | undefined) ?? [0, 10];
    const T = String(Math.min(1, 0.9 * (time[1] - time[0])));
    const r = await runCli(['solve', file, '--from', from, '--to', to, '--T', T, '--no-refine', '--nodes', '200', '--json']);
    expect(r.stderr).toBe('');
    expectValid('path', JSON.parse(r.stdout), `solve ${file}`);
  });
});

describe('solve, simulate and the library: the other report shapes', () => {
  it('solve --E (fixed energy) , --no-polish and --method lbfgs', async () => {
    const from = '{"x": 1, "y": 0}';
    const to = '{"x": 0, "y": 1}';
    expectValid('path', await json(['solve', 'examples/ou2d.yaml', '--from', from, '--to', to, '--E', '0.5', '--no-refine', '--json']), 'solve --E');
    expectValid('path', await json(['solve', 'examples/ou2d.yaml', '--from', from, '--to', to, '--T', '3', '--no-polish', '--method', 'lbfgs', '--drift-tol', '1e-3', '--nodes', '50', '--no-refine', '--json']), 'solve --no-polish --method lbfgs');
  });

  it('simulate --json: plain, conditioned, with a histogram, and hopeless (exit 1, the estimate in the report)', async () => {
    const base = ['simulate', 'examples/ddm.yaml', '--from', '[0]', '--T', '1', '--dt', '0.01', '--workers', '1', '--json'];
    expectValid('ensemble', await json([...base, '--paths', '200']), 'simulate');
    expectValid('ensemble', await json([...base, '--paths', '50', '--to', '[-1]', '--tol', '0.1']), 'simulate --to');
    expectValid('ensemble', await json([...base, '--paths', '100', '--histogram', '20']), 'simulate --histogram');
    const one = (await json([...base, '--paths', '1'])) as { final: { std: Record<string, number | null> } };
    expectValid('ensemble', one, 'simulate --paths 1');
    expect(one.final.std.x).toBeNull(); // a standard deviation of one path is undefined, and says so
    const hopeless = await runCli([...base, '--paths', '100', '--to', '[5]', '--tol', '0.001', '--budget', '3000']);
    expect(hopeless.code).toBe(1);
    expect(hopeless.stderr).toMatch(/hopeless/);
    const report = JSON.parse(hopeless.stdout) as { outcome: string; hopeless: { needed: number } };
    expectValid('ensemble', report, 'simulate (hopeless)');
    expect(report.outcome).toBe('hopeless');
    expect(report.hopeless.needed).toBeGreaterThan(3000);
  });

  it('sweep --json: a parameter grid, an energy list with a point that cannot be solved, a shard', async () => {
    const base = ['sweep', 'examples/ou2d.yaml', '--from', '[1.5, -0.4]', '--to', '[-0.4, 1.5]', '--nodes', '100', '--no-refine', '--json'];
    expectValid('sweep', await json([...base, '--T', '2', '--param', 'k=0.5:1:2', '--param', 'D=0.5:0.5:1']), 'sweep --param');
    const energies = await runCli([...base, '--E', '-0.5,0.5']);
    expect(energies.code).toBe(1); // E = −0.5 is below what the path needs: that point carries its error
    expectValid('sweep', JSON.parse(energies.stdout), 'sweep --E');
    expectValid('sweep', await json([...base, '--E', '0.5,1', '--shard', '2/2']), 'sweep --shard');
  });

  it('analyze() and every Analyzer method return plain data that validates', async () => {
    const spec = readModelFile(join(ROOT, 'examples/ou2d.yaml'));
    const dir = mkdtempSync(join(tmpdir(), 'noether-schemas-'));
    try {
      const report = await analyze(spec, {
        equationsOfMotion: true,
        path: { from: [1, 0], to: [0, 1], T: 2, nodes: 200, refine: false },
        fixedPoints: true,
        ensemble: { from: [1, 0], T: 0.5, dt: 0.01, paths: 50, workers: 1 },
      });
      expectPlain(report, 'analyze()');
      expectValid('analysis', report, 'analyze()');
      const a = createAnalyzer(spec);
      const field = a.driftField({ axes: ['x', 'y'], lo: [-1, -1], hi: [1, 1], nx: 4, ny: 3 });
      expectPlain(field, 'driftField');
      expectValid('drift-field', field, 'driftField');
      expect(field.u).toHaveLength(3);
      expect(field.u[0]).toHaveLength(4);
      const check = a.check({ dx: ['-y', 'x'] });
      expectPlain(check, 'check');
      expectValid('check', check, 'check');
      for (const r of [a.lagrangian(), a.derivation(), a.fixedPoints(), a.path({ from: [1, 0], to: [0, 1], E: 0.3, nodes: 100, refine: false })]) {
        expectPlain(r, r.kind);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
