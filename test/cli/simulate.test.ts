// `noether simulate`, run in-process through main(): summaries as text and JSON,
// raw paths to CSV (complete files only), conditioned runs, histograms, the
// refusal of hopeless conditioning, and usage errors (exit 2).

import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT } from '../../src/cli/io.ts';
import { type Outcome, runCli } from '../helpers/cli.ts';

const ROOT = join(import.meta.dirname, '../..');
const OU2D = join(ROOT, 'examples/ou2d.yaml');
const DDM = join(ROOT, 'examples/ddm.yaml');
const TIMEOUT = 60_000;

const run = (argv: readonly string[]): Promise<Outcome> => runCli(argv);

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

  it('--json prints a summary on an output grid of at most --samples points, never the raw paths', async () => {
    const r = await run([...BASE, '--json', '--samples', '11', '--quantiles', '0.1,0.5,0.9', '--seed', '4']);
    expect(r.code, r.stderr).toBe(EXIT.ok);
    const j = JSON.parse(r.stdout);
    expect(j.model).toBe('ou2d');
    expect(j.seed).toBe(4);
    expect(j.paths).toEqual({ requested: 200, simulated: 200, accepted: 200, used: 200, diverged: 0 });
    expect(j.acceptanceRate).toBeNull();
    expect(j.grid.t).toHaveLength(11);
    expect(j.grid.mean.x).toHaveLength(11);
    expect(j.grid.mean.x[0]).toBe(1);
    expect(Object.keys(j.grid.quantiles)).toEqual(['0.1', '0.5', '0.9']);
    expect(j.grid.quantiles['0.5'].y).toHaveLength(11);
    expect(Object.keys(j.final)).toEqual(['mean', 'std', 'covariance', 'min', 'max', 'quantiles']);
    expect(typeof j.wallSeconds).toBe('number');
    expect(j.noise).toMatchObject({ structure: 'additive', strongOrder: 1, weakOrder: 1 });
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
    const j = JSON.parse(r.stdout);
    expect(j.condition).toEqual({ to: { x: -1 }, tol: 0.05 });
    expect(j.paths.used).toBe(300);
    expect(j.acceptanceRate).toBeGreaterThan(0.005);
    expect(j.acceptanceRate).toBeLessThan(0.03);
    expect(j.mostLikely.converged).toBe(true);
    expect(j.mostLikely.distance).toBeLessThan(4 * j.mostLikely.maxStandardError + 0.05);
    expect(j.mostLikely.path.x).toHaveLength(101);
    const text = await run(['simulate', DDM, '--from', '{"x": 0}', '--to', '[-1]', '--tol', '0.05', '--T', '1', '--dt', '0.01', '--paths', '300']);
    expect(text.stdout).toMatch(/accepted \d+ of \d+ simulated, rate [\d.]+%/);
    expect(text.stdout).toContain('Most likely path (solve');
  }, TIMEOUT);

  it('refuses hopeless conditioning with an estimate (exit 3) and leaves no CSV behind', async () => {
    const file = join(dir, 'hopeless.csv');
    const r = await run(['simulate', DDM, '--from', '[0]', '--to', '[5]', '--tol', '0.001', '--T', '1', '--dt', '0.01', '--paths', '1000', '--budget', '100000', '--csv', file]);
    expect(r.code).toBe(EXIT.invalidInput);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^error: conditioning on ending within 0.001 of \(5\) is hopeless/);
    expect(r.stderr).toMatch(/would need at least [\d.e+]+ simulated paths/);
    expect(existsSync(file)).toBe(false);
    expect(readdirSync(dir).filter((f) => f.includes('hopeless'))).toEqual([]);
  }, TIMEOUT);

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
    const h = JSON.parse(r.stdout).histogram;
    expect(h.dims).toEqual(['x', 'y']);
    expect(h.counts).toHaveLength(10);
    expect(h.counts[0]).toHaveLength(8);
    expect(h.edges[0]).toHaveLength(11);
    expect(h.total + h.outside).toBe(50 * 401);
  }, TIMEOUT);

  it('--scheme milstein on a full state-dependent D without G is refused with the reason', async () => {
    const model = join(dir, 'full.yaml');
    writeFileSync(model, 'name: full\nstate: [x, y]\ndrift: ["-x", "-y"]\ndiffusion: [["1 + x^2", "0.1"], ["0.1", "1"]]\n');
    const r = await run(['simulate', model, '--from', '[0, 0]', '--T', '1', '--dt', '0.1', '--paths', '10', '--scheme', 'milstein']);
    expect(r.code).toBe(EXIT.usage);
    expect(r.stderr).toMatch(/Milstein scheme needs ∂G\/∂x/);
    const em = await run(['simulate', model, '--from', '[0, 0]', '--T', '1', '--dt', '0.1', '--paths', '10']);
    expect(em.code, em.stderr).toBe(EXIT.ok);
  }, TIMEOUT);

  describe('usage errors exit 2 with a message and a pointer to --help', () => {
    const cases: [string, string[], RegExp][] = [
      ['no model', ['simulate'], /missing the model file/],
      ['missing --T and --dt', ['simulate', OU2D, '--from', '[0, 0]', '--paths', '10'], /missing --T, --dt/],
      ['bad --paths', [...BASE.slice(0, -1), '0'], /--paths must be an integer from 1/],
      ['fractional --paths', [...BASE.slice(0, -1), '2.5'], /--paths must be an integer/],
      ['negative --dt', ['simulate', OU2D, '--from', '[0, 0]', '--T', '1', '--dt=-1', '--paths', '10'], /--dt must be a positive number/],
      ['bad JSON', ['simulate', OU2D, '--from', '{x: 1}', '--T', '1', '--dt', '0.1', '--paths', '10'], /--from is not valid JSON/],
      ['unknown state', ['simulate', OU2D, '--from', '{"x": 1, "z": 0}', '--T', '1', '--dt', '0.1', '--paths', '10'], /'z' is not a state variable/],
      ['wrong length', ['simulate', OU2D, '--from', '[1]', '--T', '1', '--dt', '0.1', '--paths', '10'], /--from needs 2 numbers/],
      ['--tol without --to', [...BASE, '--tol', '0.1'], /give --to and --tol together/],
      ['--json with --csv', [...BASE, '--json', '--csv', 'x.csv'], /at most one of --json and --csv/],
      ['--stride without --csv', [...BASE, '--stride', '2'], /--stride applies to --csv/],
      ['bad scheme', [...BASE, '--scheme', 'rk4'], /--scheme must be one of euler, milstein/],
      ['bad seed', [...BASE, '--seed=-1'], /--seed must be an integer from 0 to 4294967295/],
      ['bad workers', [...BASE, '--workers', '0'], /--workers must be an integer from 1/],
      ['bad quantiles', [...BASE, '--quantiles', '0.5,2'], /--quantiles must be/],
      ['histogram with --to', [...BASE, '--to', '[0, 0]', '--tol', '0.1', '--histogram', '10'], /--histogram is for plain runs/],
      ['--range without --histogram', [...BASE, '--range', '{}'], /--range applies to --histogram/],
      ['unknown option', [...BASE, '--steps', '10'], /Unknown option '--steps'/],
      ['too many steps', ['simulate', OU2D, '--from', '[0, 0]', '--T', '1e6', '--dt', '1e-6', '--paths', '10'], /at most 1e9/],
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
});
