// `noether simulate`, run in-process through main(): summaries as text and as
// the EnsembleReport (--json), raw paths to CSV (complete files only),
// conditioned runs, histograms, hopeless conditioning (stopped early with an
// estimate, exit 1, no CSV), and usage and request errors (exit 2).

import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EnsembleReport, SCHEMA_VERSION } from '../../src/api/reports.ts';
import { EXIT } from '../../src/cli/io.ts';
import { type Outcome, runCli } from '../helpers/cli.ts';

const ROOT = join(import.meta.dirname, '../..');
const OU2D = join(ROOT, 'examples/ou2d.yaml');
const DDM = join(ROOT, 'examples/ddm.yaml');
const TIMEOUT = 60_000;

const run = (argv: readonly string[]): Promise<Outcome> => runCli(argv);
const report = (stdout: string): EnsembleReport => JSON.parse(stdout) as EnsembleReport;

const REPORT_KEYS = [
  'schemaVersion', 'kind', 'model', 'request', 'outcome', 'hopeless', 'scheme', 'noise', 'seed', 'workers',
  't0', 'T', 'h', 'steps', 'paths', 'acceptanceRate', 'grid', 'final', 'mostLikely', 'histogram', 'shardData', 'wallSeconds',
];

let dir: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'noether-simulate-'));
  await import('../../src/cli/commands/simulate.ts');
}, 60_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const BASE = ['simulate', OU2D, '--from', '{"x": 1, "y": 0}', '--T', '1', '--dt', '0.01', '--paths', '200'];

describe('noether simulate', () => {
  it('--help documents the options', async () => {
    const r = await run(['simulate', '--help']);
    expect(r.code).toBe(EXIT.ok);
    expect(r.stdout).toContain('Usage: noether simulate MODEL --from JSON --T t --dt h --paths n');
    for (const opt of ['--to JSON', '--tol eps', '--seed s', '--workers w', '--json', '--csv FILE', '--stride k', '--samples k', '--histogram', '--scheme']) expect(r.stdout).toContain(opt);
  });

  it('is listed in the command overview', async () => {
    const r = await run(['--help']);
    expect(r.stdout).toMatch(/^\s+simulate\s+\S/m);
  });

  it('prints a text summary', async () => {
    const r = await run(BASE);
    expect(r.code, r.stderr).toBe(EXIT.ok);
    expect(r.stderr).toBe(''); // no progress bar when stderr is not a terminal
    expect(r.stdout).toContain('Simulated ou2d: 200 paths from (1, 0)');
    expect(r.stdout).toContain('Euler–Maruyama');
    expect(r.stdout).toMatch(/Final state at t = 1: mean \(/);
    expect(r.stdout).toContain('x mean');
  }, TIMEOUT);

  it('--json prints the EnsembleReport on an output grid of at most --samples points, never the raw paths', async () => {
    const r = await run([...BASE, '--json', '--samples', '11', '--quantiles', '0.1,0.5,0.9', '--seed', '4']);
    expect(r.code, r.stderr).toBe(EXIT.ok);
    expect(r.stderr).toBe('');
    const j = report(r.stdout);
    expect(Object.keys(j).sort()).toEqual([...REPORT_KEYS].sort());
    expect(j.schemaVersion).toBe(SCHEMA_VERSION);
    expect(j.kind).toBe('ensemble');
    expect(j.model).toEqual({ name: 'ou2d', state: ['x', 'y'] });
    // The request, with every default filled in.
    expect(j.request).toEqual({ from: [1, 0], T: 1, dt: 0.01, paths: 200, t0: 0, scheme: 'euler', seed: 4, samples: 11, quantiles: [0.1, 0.5, 0.9], condition: null, shard: null });
    expect(j.outcome).toBe('complete');
    expect(j.hopeless).toBeNull();
    expect(j.seed).toBe(4);
    expect(j.scheme).toBe('euler');
    expect([j.t0, j.T, j.steps]).toEqual([0, 1, 100]);
    expect(j.h).toBeCloseTo(0.01, 15);
    expect(j.paths).toEqual({ requested: 200, simulated: 200, accepted: 200, used: 200, diverged: 0, leftDomain: 0 });
    expect(j.acceptanceRate).toBeNull();
    expect(j.mostLikely).toBeNull();
    expect(j.histogram).toBeNull();
    expect(j.grid.t).toHaveLength(11);
    expect(j.grid.mean.x).toHaveLength(11);
    expect(j.grid.mean.x[0]).toBe(1);
    expect(j.grid.mean.y[0]).toBe(0);
    expect(Object.keys(j.grid.quantiles)).toEqual(['0.1', '0.5', '0.9']);
    expect(j.grid.quantiles['0.5'].y).toHaveLength(11);
    expect(j.grid.quantilePaths).toBe(200);
    expect(Object.keys(j.final)).toEqual(['mean', 'std', 'covariance', 'min', 'max', 'quantiles']);
    expect(typeof j.wallSeconds).toBe('number');
    expect(j.noise).toMatchObject({ structure: 'additive', strongOrder: 1, weakOrder: 1 });
    // Plain data: no NaN or Infinity anywhere (undefined statistics would be null).
    expect(r.stdout).not.toMatch(/NaN|Infinity/);
    expect(JSON.stringify(j)).toBe(r.stdout.trimEnd());
    // 200 paths × 101 steps × 2 would be far longer than a summary.
    expect(r.stdout.length).toBeLessThan(20000);
  }, TIMEOUT);

  it('the same seed gives the same JSON for 1 and 2 workers', async () => {
    const strip = (text: string) => {
      const { wallSeconds: _w, workers: _k, ...rest } = JSON.parse(text);
      return rest;
    };
    const args = [...BASE, '--json', '--seed', '12', '--paths', '3000', '--T', '2'];
    const one = await run([...args, '--workers', '1']);
    const two = await run([...args, '--workers', '2']);
    expect(one.code).toBe(EXIT.ok);
    expect(two.code).toBe(EXIT.ok);
    expect(strip(two.stdout)).toEqual(strip(one.stdout));
  }, TIMEOUT);

  it('conditioned: reports the acceptance rate and the distance to the most likely path', async () => {
    const r = await run(['simulate', DDM, '--from', '{"x": 0}', '--to', '[-1]', '--tol', '0.05', '--T', '1', '--dt', '0.01', '--paths', '300', '--json']);
    expect(r.code, r.stderr).toBe(EXIT.ok);
    const j = report(r.stdout);
    expect(j).toMatchObject({ schemaVersion: SCHEMA_VERSION, kind: 'ensemble', outcome: 'complete', hopeless: null });
    expect(j.request.from).toEqual([0]);
    expect(j.request.condition).toEqual({ to: [-1], tol: 0.05, budget: null });
    expect(j.paths.used).toBe(300);
    expect(j.paths.accepted).toBeGreaterThanOrEqual(300);
    expect(j.acceptanceRate).toBeCloseTo(j.paths.accepted / j.paths.simulated, 12);
    expect(j.acceptanceRate).toBeGreaterThan(0.005);
    expect(j.acceptanceRate).toBeLessThan(0.03);
    const ml = j.mostLikely;
    expect(ml).not.toBeNull();
    expect(ml?.converged).toBe(true);
    expect(ml?.distance).toBeLessThan(4 * (ml?.maxStandardError ?? NaN) + 0.05);
    expect(ml?.path.x).toHaveLength(101);
    const text = await run(['simulate', DDM, '--from', '{"x": 0}', '--to', '[-1]', '--tol', '0.05', '--T', '1', '--dt', '0.01', '--paths', '300']);
    expect(text.stdout).toMatch(/accepted \d+ of \d+ simulated, rate [\d.]+%/);
    expect(text.stdout).toContain('Most likely path (solve');
  }, TIMEOUT);

  describe('hopeless conditioning stops early with an estimate (exit 1)', () => {
    const HOPELESS = ['simulate', DDM, '--from', '[0]', '--to', '[5]', '--tol', '0.001', '--T', '1', '--dt', '0.01', '--paths', '1000', '--budget', '100000'];
    const MESSAGE = /^noether simulate: conditioning on ending within 0\.001 of \(5\) is hopeless within the budget: .*would need at least [\d.e+]+ simulated paths.*more than the budget of 100000 paths/;

    it('--csv: the summary with the estimate on stdout, the message on stderr, and no CSV left behind', async () => {
      const file = join(dir, 'hopeless.csv');
      const r = await run([...HOPELESS, '--csv', file]);
      expect(r.code, r.stderr).toBe(EXIT.checkFailed);
      expect(r.stderr).toMatch(MESSAGE);
      expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
      expect(r.stdout).toMatch(/^Simulated ddm: 0 paths from \(0\) ending within 0\.001 of \(5\) \(accepted 0 of \d+ simulated/);
      expect(r.stdout).toMatch(/stopped early: conditioning on ending within 0\.001 of \(5\) is hopeless.*would need at least [\d.e+]+ simulated paths/);
      expect(r.stdout).toContain('No paths to summarise.');
      expect(r.stdout).not.toContain('Raw paths written');
      expect(existsSync(file)).toBe(false);
      expect(readdirSync(dir).filter((f) => f.includes('hopeless'))).toEqual([]);
      expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    }, TIMEOUT);

    it('--json: the report has outcome hopeless and the estimate; undefined statistics are null', async () => {
      const r = await run([...HOPELESS, '--json', '--samples', '5']);
      expect(r.code, r.stderr).toBe(EXIT.checkFailed);
      expect(r.stderr).toMatch(MESSAGE);
      const j = report(r.stdout);
      expect(Object.keys(j).sort()).toEqual([...REPORT_KEYS].sort());
      expect(j).toMatchObject({ schemaVersion: SCHEMA_VERSION, kind: 'ensemble', model: { name: 'ddm', state: ['x'] }, outcome: 'hopeless' });
      expect(j.request.condition).toEqual({ to: [5], tol: 0.001, budget: 100000 });
      const h = j.hopeless;
      expect(h).not.toBeNull();
      if (!h) return;
      expect(Object.keys(h).sort()).toEqual(['accepted', 'budget', 'message', 'needed', 'rate', 'simulated']);
      // The same message as on stderr.
      expect(r.stderr).toBe(`noether simulate: ${h.message}\n`);
      expect(h.budget).toBe(100000);
      // Stopped early, after a pilot: fewer paths simulated than the budget, and far fewer than needed.
      expect(h.simulated).toBeGreaterThan(0);
      expect(h.simulated).toBeLessThan(h.budget);
      expect(h.needed).toBeGreaterThan(h.budget);
      expect(h.accepted).toBe(0);
      expect(h.rate).toBe(0);
      expect(j.paths).toEqual({ requested: 1000, simulated: h.simulated, accepted: 0, used: 0, diverged: 0, leftDomain: 0 });
      expect(j.acceptanceRate).toBe(0);
      expect(j.mostLikely).toBeNull();
      // No paths: the statistics are undefined, hence null (JSON has no NaN).
      expect(j.grid.t).toHaveLength(5);
      expect(j.grid.mean.x).toEqual([null, null, null, null, null]);
      expect(j.final.mean.x).toBeNull();
      expect(r.stdout).not.toMatch(/NaN|Infinity/);
    }, TIMEOUT);

    it('--json: a run that accepted some paths reports their statistics with the estimate', async () => {
      const r = await run(['simulate', DDM, '--from', '[0]', '--to', '[-1]', '--tol', '0.05', '--T', '1', '--dt', '0.01', '--paths', '1000', '--budget', '20000', '--samples', '3', '--json']);
      expect(r.code, r.stderr).toBe(EXIT.checkFailed);
      expect(r.stderr).toMatch(/^noether simulate: conditioning on ending within 0\.05 of \(-1\) is hopeless within the budget: \d+ of \d+ simulated paths ended there .*1000 accepted paths would need about \d+ simulated paths/);
      const j = report(r.stdout);
      expect(j.outcome).toBe('hopeless');
      const h = j.hopeless;
      expect(h).not.toBeNull();
      if (!h) return;
      expect(r.stderr).toBe(`noether simulate: ${h.message}\n`);
      expect(h.accepted).toBeGreaterThan(0);
      expect(h.accepted).toBeLessThan(1000);
      expect(h.simulated).toBeLessThanOrEqual(h.budget);
      expect(h.rate).toBeCloseTo(h.accepted / h.simulated, 12);
      // The estimate: 1000 accepted paths at this rate.
      expect(Math.abs(h.needed - 1000 / h.rate)).toBeLessThanOrEqual(1);
      expect(h.needed).toBeGreaterThan(h.budget);
      // The statistics are of the paths accepted so far, which all ended within tol of -1.
      expect(j.paths).toEqual({ requested: 1000, simulated: h.simulated, accepted: h.accepted, used: h.accepted, diverged: 0, leftDomain: 0 });
      expect(j.acceptanceRate).toBe(h.rate);
      expect(j.grid.mean.x[0]).toBe(0);
      expect(j.final.min.x).toBeGreaterThanOrEqual(-1.05);
      expect(j.final.max.x).toBeLessThanOrEqual(-0.95);
      expect(Math.abs((j.final.mean.x ?? NaN) + 1)).toBeLessThanOrEqual(0.05);
      // No comparison with the most likely path for a run that stopped early.
      expect(j.mostLikely).toBeNull();
    }, TIMEOUT);
  });

  it('--csv writes the raw paths thinned by --stride, complete, with no temporary file left', async () => {
    const file = join(dir, 'paths.csv');
    const r = await run([...BASE, '--paths', '7', '--csv', file, '--stride', '10']);
    expect(r.code, r.stderr).toBe(EXIT.ok);
    expect(r.stdout).toContain(`Raw paths written to ${file}`);
    const lines = readFileSync(file, 'utf8').trimEnd().split('\n');
    expect(lines[0]).toBe('path,t,x,y');
    // 100 steps at stride 10: steps 0, 10, …, 100 → 11 rows per path.
    expect(lines).toHaveLength(1 + 7 * 11);
    expect(lines[1]).toBe('0,0,1,0');
    expect(lines[11].startsWith('0,1,')).toBe(true);
    expect(lines[12]).toBe('1,0,1,0');
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  }, TIMEOUT);

  it('--histogram --json gives the counts as a matrix', async () => {
    const r = await run(['simulate', OU2D, '--from', '[0, 0]', '--T', '5', '--dt', '0.01', '--paths', '50', '--histogram', '10,8', '--range', '{"x": [-2, 2], "y": [-2, 2]}', '--burn-in', '1', '--json']);
    expect(r.code, r.stderr).toBe(EXIT.ok);
    const j = report(r.stdout);
    expect(j).toMatchObject({ schemaVersion: SCHEMA_VERSION, kind: 'ensemble', outcome: 'complete' });
    const h = j.histogram as NonNullable<EnsembleReport['histogram']>;
    expect(h).not.toBeNull();
    expect(h.dims).toEqual(['x', 'y']);
    expect(h.bins).toEqual([10, 8]);
    expect(h.ranges).toEqual([[-2, 2], [-2, 2]]);
    expect(h.counts).toHaveLength(10);
    expect(h.counts[0]).toHaveLength(8);
    expect((h.counts as number[][]).flat().reduce((a, b) => a + b, 0)).toBe(h.total);
    expect(h.edges[0]).toHaveLength(11);
    expect(h.total + h.outside).toBe(50 * 401);
  }, TIMEOUT);

  it('--histogram B gives B bins in each dimension; --dims picks the variables', async () => {
    const args = ['simulate', OU2D, '--from', '[0, 0]', '--T', '2', '--dt', '0.01', '--paths', '20', '--burn-in', '1', '--range', '{"x": [-2, 2], "y": [-2, 2]}'];
    const two = await run([...args, '--histogram', '6', '--json']);
    expect(two.code, two.stderr).toBe(EXIT.ok);
    const h2 = report(two.stdout).histogram as NonNullable<EnsembleReport['histogram']>;
    expect(h2.dims).toEqual(['x', 'y']);
    expect(h2.bins).toEqual([6, 6]);
    expect(h2.counts).toHaveLength(6);
    expect(h2.counts[0]).toHaveLength(6);
    expect(h2.total + h2.outside).toBe(20 * 101);
    const one = await run([...args.slice(0, -2), '--range', '{"y": [-2, 2]}', '--histogram', '6', '--dims', 'y', '--json']);
    expect(one.code, one.stderr).toBe(EXIT.ok);
    const h1 = report(one.stdout).histogram as NonNullable<EnsembleReport['histogram']>;
    expect(h1.dims).toEqual(['y']);
    expect(h1.bins).toEqual([6]);
    expect(h1.edges).toEqual([[-2, -4 / 3, -2 / 3, 0, 2 / 3, 4 / 3, 2].map((e) => expect.closeTo(e, 12))]);
    expect((h1.counts as number[]).reduce((a, b) => a + b, 0)).toBe(h1.total);
    // The text summary says so too.
    const text = await run([...args, '--histogram', '6']);
    expect(text.code, text.stderr).toBe(EXIT.ok);
    expect(text.stdout).toContain('Histogram of x, y: 6 × 6 bins over x ∈ [-2, 2], y ∈ [-2, 2]');
  }, TIMEOUT);

  it('--scheme milstein on a full state-dependent D without G is refused with the reason', async () => {
    const model = join(dir, 'full.yaml');
    writeFileSync(model, 'name: full\nstate: [x, y]\ndrift: ["-x", "-y"]\ndiffusion: [["1 + x^2", "0.1"], ["0.1", "1"]]\n');
    const r = await run(['simulate', model, '--from', '[0, 0]', '--T', '1', '--dt', '0.1', '--paths', '10', '--scheme', 'milstein']);
    expect(r.code).toBe(EXIT.usage);
    expect(r.stdout).toBe('');
    // A request error, naming the option's field.
    expect(r.stderr).toMatch(/^error: scheme: the Milstein scheme needs ∂G\/∂x/);
    const em = await run(['simulate', model, '--from', '[0, 0]', '--T', '1', '--dt', '0.1', '--paths', '10']);
    expect(em.code, em.stderr).toBe(EXIT.ok);
  }, TIMEOUT);

  describe('usage errors exit 2 with a message and a pointer to --help', () => {
    const cases: [string, string[], RegExp][] = [
      ['no model', ['simulate'], /missing the model file/],
      ['missing --T and --dt', ['simulate', OU2D, '--from', '[0, 0]', '--paths', '10'], /missing --T, --dt/],
      ['bad --paths', [...BASE.slice(0, -1), '0'], /--paths must be an integer from 1/],
      ['fractional --paths', [...BASE.slice(0, -1), '2.5'], /--paths must be an integer/],
      ['not a number', ['simulate', OU2D, '--from', '[0, 0]', '--T', 'abc', '--dt', '0.1', '--paths', '10'], /--T must be a finite number; got 'abc'/],
      ['infinite --T', ['simulate', OU2D, '--from', '[0, 0]', '--T', 'Infinity', '--dt', '0.1', '--paths', '10'], /--T must be a finite number; got 'Infinity'/],
      ['bad JSON', ['simulate', OU2D, '--from', '{x: 1}', '--T', '1', '--dt', '0.1', '--paths', '10'], /--from is not valid JSON/],
      ['--tol without --to', [...BASE, '--tol', '0.1'], /give --to and --tol together/],
      ['--budget without --to', [...BASE, '--budget', '1000'], /--budget applies to conditioned runs/],
      ['--json with --csv', [...BASE, '--json', '--csv', 'x.csv'], /at most one of --json and --csv/],
      ['--stride without --csv', [...BASE, '--stride', '2'], /--stride applies to --csv/],
      ['bad scheme', [...BASE, '--scheme', 'rk4'], /--scheme must be one of euler, milstein/],
      ['bad seed', [...BASE, '--seed=-1'], /--seed must be an integer from 0 to 4294967295; got '-1'/],
      // A negative number after an option is its value, also without '='.
      ['bad seed, negative without =', [...BASE, '--seed', '-1'], /--seed must be an integer from 0 to 4294967295; got '-1'/],
      ['bad workers', [...BASE, '--workers', '0'], /--workers must be an integer from 1/],
      ['quantiles not numbers', [...BASE, '--quantiles', '0.5,x'], /--quantiles must be a finite number; got 'x'/],
      ['--range without --histogram', [...BASE, '--range', '{}'], /--range applies to --histogram/],
      ['--dims without --histogram', [...BASE, '--dims', 'x'], /--dims applies to --histogram/],
      ['--burn-in without --histogram', [...BASE, '--burn-in', '0.5'], /--burn-in applies to --histogram/],
      ['unknown option', [...BASE, '--steps', '10'], /Unknown option '--steps'/],
    ];
    it.each(cases)('%s', async (_name, argv, message) => {
      const r = await run(argv);
      expect(r.code, r.stderr).toBe(EXIT.usage);
      expect(r.stdout).toBe('');
      expect(r.stderr.startsWith('noether simulate: '), r.stderr).toBe(true);
      expect(r.stderr).toMatch(message);
      expect(r.stderr).toContain('Run `noether simulate --help` for usage.');
    });
  });

  describe('request errors exit 2 as `error: <field>: <message>`', () => {
    const FROM = ['simulate', OU2D, '--from'];
    const REST = ['--T', '1', '--dt', '0.1', '--paths', '10'];
    const cases: [string, string[], string, RegExp][] = [
      ['negative --dt', ['simulate', OU2D, '--from', '[0, 0]', '--T', '1', '--dt=-1', '--paths', '10'], 'dt', /expected a positive number; got -1$/],
      ['negative --dt without =', ['simulate', OU2D, '--from', '[0, 0]', '--T', '1', '--dt', '-1', '--paths', '10'], 'dt', /expected a positive number; got -1$/],
      ['negative --T without =', ['simulate', OU2D, '--from', '[0, 0]', '--T', '-1', '--dt', '0.1', '--paths', '10'], 'T', /expected a positive number; got -1$/],
      ['unknown state', [...FROM, '{"x": 1, "z": 0}', ...REST], 'from', /'z' is not a state variable \(state: x, y\)$/],
      ['wrong length', [...FROM, '[1]', ...REST], 'from', /expected 2 numbers \(state: x, y\); got 1$/],
      ['not a number in --from', [...FROM, '{"x": "a", "y": 0}', ...REST], 'from.x', /expected a finite number; got "a"$/],
      ['bad quantiles', [...BASE, '--quantiles', '0.5,2'], 'quantiles[1]', /expected a level in \[0, 1\]; got 2$/],
      ['negative --tol', [...BASE, '--to', '[0, 0]', '--tol', '-0.1'], 'condition.tol', /expected a positive number; got -0.1$/],
      ['wrong length of --to', [...BASE, '--to', '[0]', '--tol', '0.1'], 'condition.to', /expected 2 numbers \(state: x, y\); got 1$/],
      ['histogram with --to', [...BASE, '--to', '[0, 0]', '--tol', '0.1', '--histogram', '10'], 'histogram', /a histogram of long-run states is for plain runs, not conditioned ones$/],
      ['unknown --dims', [...BASE, '--histogram', '10', '--dims', 'z'], 'histogram.dims[0]', /'z' is not a state variable \(state: x, y\)$/],
      ['too many bin counts', [...BASE, '--histogram', '10,8,6'], 'histogram.bins', /expected one bin count or 2$/],
      ['--range outside the dims', [...BASE, '--histogram', '10', '--dims', 'x', '--range', '{"y": [0, 1]}'], 'histogram.ranges', /'y' is not a histogram dimension \(x\)$/],
      ['too many steps', ['simulate', OU2D, '--from', '[0, 0]', '--T', '1e6', '--dt', '1e-6', '--paths', '10'], 'dt', /T\/dt = 1\.00e\+12 steps per path; at most 1e\+9$/],
    ];
    it.each(cases)('%s', async (_name, argv, path, message) => {
      const r = await run(argv);
      expect(r.code, r.stderr).toBe(EXIT.usage);
      expect(r.stdout).toBe('');
      expect(r.stderr.startsWith(`error: ${path}: `), r.stderr).toBe(true);
      const lines = r.stderr.trimEnd().split('\n');
      expect(lines, r.stderr).toHaveLength(1);
      expect(lines[0].slice(`error: ${path}: `.length)).toMatch(message);
      expect(r.stderr).not.toMatch(/^\s+at /m);
    });
  });

  it('an unreadable model is invalid input: exit 3, naming the file', async () => {
    const file = join(dir, 'nope.yaml');
    const r = await run(['simulate', file, '--from', '[0, 0]', '--T', '1', '--dt', '0.1', '--paths', '10']);
    expect(r.code).toBe(EXIT.invalidInput);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`error: ${file}: cannot read the model: no such file\n`);
  });
});
