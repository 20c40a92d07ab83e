// `noether sweep` (issue 13, item 5): most likely paths over a parameter grid
// and/or an energy list, checked against the closed-form action of the 1D
// Ornstein–Uhlenbeck process, sharded and merged back into exactly the whole
// sweep's JSON, the same for any number of worker threads (the built bundle,
// spawned), and the messages for bad input.

import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SweepReport } from '../../src/api/reports.ts';
import { EXIT } from '../../src/cli/io.ts';
import { type Outcome, runCli } from '../helpers/cli.ts';

const ROOT = join(import.meta.dirname, '../..');
const CLI = join(ROOT, 'dist/cli.js');
const OU2D = join(ROOT, 'examples/ou2d.yaml');
const TIMEOUT = 120_000;

let dir: string;
let OU1: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'noether-sweep-'));
  // dx = −a x dt + √(2D) dW.
  OU1 = join(dir, 'ou1.yaml');
  writeFileSync(OU1, 'name: ou1\nstate: [x]\nparams: {a: 1, D: 0.5}\ndrift: "-a*x"\ndiffusion: D\n');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const run = (...argv: string[]): Promise<Outcome> => runCli(['sweep', ...argv]);
const report = (r: Outcome): SweepReport => JSON.parse(r.stdout) as SweepReport;

/**
 * The 1D OU action at fixed duration T, by hand: the Euler–Lagrange equation is
 * ẍ = a²x, so x = A e^{at} + B e^{−at} with x(0) = x0, x(T) = x1, which gives
 * A = (x1 − x0 e^{−aT}) / (2 sinh aT) and B = x0 − A. Then ẋ + a x = 2aA e^{at},
 * and S = ∫ (ẋ + ax)²/(4D) dt = a A² (e^{2aT} − 1)/(2D)
 *       = a (x1 − x0 e^{−aT})² / (2D (1 − e^{−2aT})),
 * the exponent of the Gaussian transition density, as it should be. The energy
 * E = (ẋ² − a²x²)/(4D) = −a²AB/D.
 */
function ouFixedT(a: number, D: number, x0: number, x1: number, T: number): { S: number; E: number } {
  const A = (x1 - x0 * Math.exp(-a * T)) / (2 * Math.sinh(a * T));
  return { S: (a * (x1 - x0 * Math.exp(-a * T)) ** 2) / (2 * D * (1 - Math.exp(-2 * a * T))), E: (-a * a * A * (x0 - A)) / D };
}

/**
 * The 1D OU path at fixed energy E from x0 to x1 > x0 > 0, by hand: E = (ẋ² − a²x²)/(4D)
 * gives ẋ = √(a²x² + c), c = 4DE (real on [x0, x1] when a²x0² + c ≥ 0). With
 * G(x) = ln(ax + √(a²x² + c)): T = ∫ dx/ẋ = (G(x1) − G(x0))/a, and
 * S = ∫ L dt = ∫ p dx − E T, p = (ẋ + ax)/(2D), ∫ √(a²x² + c) dx = x√(a²x² + c)/2 + c G(x)/(2a).
 */
function ouFixedE(a: number, D: number, x0: number, x1: number, E: number): { S: number; T: number } {
  const c = 4 * D * E;
  const G = (x: number): number => Math.log(a * x + Math.sqrt(a * a * x * x + c));
  const F = (x: number): number => (x / 2) * Math.sqrt(a * a * x * x + c) + (c / (2 * a)) * G(x) + (a * x * x) / 2;
  const T = (G(x1) - G(x0)) / a;
  return { S: (F(x1) - F(x0)) / (2 * D) - E * T, T };
}

describe('noether sweep', () => {
  it('--help documents the options and the JSON; the command is listed', async () => {
    const r = await run('--help');
    expect(r.code).toBe(EXIT.ok);
    for (const opt of ['--param NAME=a:b:n', '--E LIST', '--T t', '--workers w', '--shard k/K', '--out FILE', '--json', '--nodes M', 'schemas/sweep.schema.json', 'maxDrift', 'stationary']) {
      expect(r.stdout).toContain(opt);
    }
    expect((await runCli(['--help'])).stdout).toMatch(/^\s+sweep\s+\S/m);
  });

  it('a parameter sweep at fixed T: the action at every point is the closed form of the 1D OU process', async () => {
    const r = await run(OU1, '--from', '[1]', '--to', '[-0.5]', '--T', '1.5', '--param', 'a=0.5:1.5:5', '--nodes', '200', '--json');
    expect(r.code, r.stderr).toBe(EXIT.ok);
    expect(r.stderr).toBe('');
    const j = report(r);
    expect(j.kind).toBe('sweep');
    expect(j.model).toMatchObject({ name: 'ou1', state: ['x'], params: { a: 1, D: 0.5 } });
    expect(j.request).toMatchObject({ from: [1], to: [-0.5], T: 1.5, E: null, nodes: 200, shard: null });
    expect(j.request.params).toEqual([{ name: 'a', start: 0.5, stop: 1.5, count: 5, values: [0.5, 0.75, 1, 1.25, 1.5] }]);
    expect(j.total).toBe(5);
    expect(j.passed).toBe(true);
    expect(j.points.map((p) => [p.index, p.params.a, p.E, p.error])).toEqual([0.5, 0.75, 1, 1.25, 1.5].map((a, i) => [i, a, null, null]));
    for (const p of j.points) {
      const want = ouFixedT(p.params.a, 0.5, 1, -0.5, 1.5);
      const path = p.path as NonNullable<typeof p.path>;
      expect(Math.abs(path.action - want.S) / want.S, `a = ${p.params.a}`).toBeLessThan(1e-9);
      expect(Math.abs(path.E - want.E) / Math.abs(want.E), `a = ${p.params.a}`).toBeLessThan(1e-8);
      expect(path).toMatchObject({ T: 1.5, converged: true, stationary: 'minimum', morseIndex: 0, infiniteDuration: false, failedCharges: [], passed: true });
      // Every charge (E and those found by solving for the algebra) held to integrator accuracy.
      expect(path.maxDrift?.relativeDrift).toBeLessThan(1e-9);
    }
  }, TIMEOUT);

  it('an energy list (negative values included) at several parameter values: T and S in closed form; a forbidden energy is that point\'s error', async () => {
    const r = await run(OU1, '--from', '[1]', '--to', '[2]', '--E', '-0.6,-0.3,0,0.2,1', '--param', 'a=1:1.5:2', '--nodes', '200', '--json');
    // a = 1 cannot reach E = −0.6 (a²x0² + 4DE < 0): the sweep reports it and exits 1.
    expect(r.code, r.stderr).toBe(EXIT.checkFailed);
    expect(r.stderr).toBe('');
    const j = report(r);
    expect(j.request.E).toEqual([-0.6, -0.3, 0, 0.2, 1]);
    expect(j.request.T).toBeNull();
    expect(j.total).toBe(10);
    expect(j.passed).toBe(false);
    // Energies innermost.
    expect(j.points.map((p) => [p.params.a, p.E])).toEqual([1, 1.5].flatMap((a) => [-0.6, -0.3, 0, 0.2, 1].map((E) => [a, E])));
    const [forbidden, ...rest] = j.points;
    expect(forbidden.path).toBeNull();
    expect(forbidden.error).toEqual({ code: 'request', message: expect.stringMatching(/^E: the energy -0\.6 is below what the path needs/) });
    for (const p of rest) {
      const want = ouFixedE(p.params.a, 0.5, 1, 2, p.E as number);
      const path = p.path as NonNullable<typeof p.path>;
      expect(p.error).toBeNull();
      expect(Math.abs(path.T - want.T) / want.T, `a = ${p.params.a}, E = ${p.E}`).toBeLessThan(1e-9);
      expect(Math.abs(path.action - want.S) / want.S, `a = ${p.params.a}, E = ${p.E}`).toBeLessThan(1e-9);
      expect(path).toMatchObject({ E: p.E, converged: true, passed: true });
    }
  }, TIMEOUT);

  it('prints a table: one row per point, the error in its row, and a summary line', async () => {
    const r = await run(OU1, '--from', '[1]', '--to', '[2]', '--E', '-0.6,0.2', '--param', 'a=1:2:2', '--nodes', '200');
    expect(r.code).toBe(EXIT.checkFailed);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe('Sweep of ou1: 4 points, a from 1 to 2 (2 values), E = -0.6, 0.2; from (1) to (2)');
    expect(lines[2].split(/\s+/).filter(Boolean)).toEqual(['#', 'a', 'E', 'T', 'action', 'S', 'converged', 'stationary', 'iterations', 'max', 'drift', 'ok']);
    expect(lines[3]).toMatch(/^ {2}0 {2}1 {2}-0\.6 {2}error: E: the energy -0\.6 is below what the path needs/);
    expect(lines[4]).toMatch(/^ {2}1 {2}1 {2}0\.2 {3}0\.629607 {2}3\.00601 +yes +minimum +\d+ +\d\.\d\de-\d+ \(\w+\) +yes$/);
    expect(r.stdout).toContain('3 of 4 points passed (converged, not a saddle, every charge\'s relative drift ≤ 0.000001); 1 could not be solved.');
  }, TIMEOUT);

  it('shards 1/2 and 2/2, merged, print exactly the JSON of the whole sweep (and its exit status)', async () => {
    const args = [OU1, '--from', '[1]', '--to', '[2]', '--E', '-0.6,0,1', '--param', 'a=0.5:1.5:3', '--nodes', '200'];
    const whole = await run(...args, '--json');
    expect(whole.code).toBe(EXIT.checkFailed); // E = −0.6 is out of reach for a = 0.5 and 1
    const parts = [1, 2].map((k) => join(dir, `part-${k}.json`));
    for (const [k, out] of parts.entries()) {
      const r = await run(...args, '--shard', `${k + 1}/2`, '--out', out);
      expect(r.stderr).toBe('');
      expect(r.stdout).toContain(`shard ${k + 1} of 2`);
    }
    const merged = await runCli(['merge', parts[1], parts[0], '--json']);
    expect(merged.stderr).toBe('');
    expect(merged.stdout).toBe(whole.stdout);
    expect(merged.code).toBe(whole.code);
    // Each shard holds the points i with i mod 2 = k − 1.
    const part = await runCli(['merge', parts[0], parts[0]]);
    expect(part.code).toBe(EXIT.usage);
    expect(part.stderr).toBe(`error: ${parts[0]}: shard 1/2 is given twice\n`);
    const missing = await runCli(['merge', parts[1]]);
    expect(missing.stderr).toBe('error: shards 1 of 2 are missing\n');
    // A shard of another sweep (another grid) is refused, naming its file.
    const other = join(dir, 'other.json');
    await run(OU1, '--from', '[1]', '--to', '[2]', '--E', '-0.6,0,1', '--param', 'a=0.5:1.5:4', '--nodes', '200', '--shard', '2/2', '--out', other);
    expect((await runCli(['merge', parts[0], other])).stderr).toBe(`error: ${other}: shard 2/2 comes from another sweep (model, grid or request differ from the first file's)\n`);
    // Text output of the merged sweep is the whole sweep's table.
    expect((await runCli(['merge', ...parts])).stdout).toBe((await run(...args)).stdout);
  }, TIMEOUT);

  it('merge refuses to mix the shards of a sweep with a simulation\'s', async () => {
    const sim = join(dir, 'sim.json');
    expect((await runCli(['simulate', OU2D, '--from', '[1, 0]', '--T', '0.1', '--dt', '0.01', '--paths', '10', '--workers', '1', '--shard', '1/1', '--out', sim])).code).toBe(0);
    const part = join(dir, 'mix.json');
    await run(OU1, '--from', '[1]', '--to', '[2]', '--E', '1', '--shard', '1/1', '--nodes', '100', '--out', part);
    const r = await runCli(['merge', part, sim]);
    expect(r.code).toBe(EXIT.usage);
    expect(r.stderr).toMatch(/the files mix the shards of a sweep with other reports/);
  }, TIMEOUT);

  describe('bad input: a clear message naming the option, exit 2, no output, no stack trace', () => {
    const base = [OU2D, '--from', '[1, 0]', '--to', '[0, 1]', '--T', '2'];
    it.each([
      [['--param', 'k=0.5:1.5'], "noether sweep: --param expects NAME=start:stop:count, e.g. k=0.5:1.5:21; got 'k=0.5:1.5'"],
      [['--param', 'z=0.5:1.5:3'], "noether sweep: --param z=0.5:1.5:3: 'z' is not a parameter of the model (the model's scalar parameters: k, D)"],
      [['--param', 'k=0.5:1.5:0'], "noether sweep: --param k=0.5:1.5:0: the count must be a whole number of at least 1; got '0'"],
      [['--param', 'k=0.5:1.5:2.5'], "noether sweep: --param k=0.5:1.5:2.5: the count must be a whole number of at least 1; got '2.5'"],
      [['--param', 'k=x:1.5:3'], "noether sweep: --param k=x:1.5:3: the start must be a finite number; got 'x'"],
      [['--param', 'k=0.5:1.5:1'], 'noether sweep: --param k=0.5:1.5:1: one value needs start = stop; got start 0.5, stop 1.5'],
      [['--param', 'k=1:2:2', '--param', 'k=1:3:2'], "noether sweep: --param k=1:3:2: 'k' is swept twice"],
      [['--param', 'k=1:2:1000', '--param', 'D=1:2:1001'], 'noether sweep: --param: the sweep has 1001000 points; at most 1000000'],
      [[], 'noether sweep: nothing to sweep: give --param NAME=a:b:n (e.g. --param k=0.5:1.5:21) or a list of energies --E'],
      [['--param', 'k=1:2:2', '--E', '0.5'], 'noether sweep: give exactly one of --T (fixed duration) and --E (a list of energies)'],
      [['--param', 'k=1:2:2', '--workers', '0'], "noether sweep: --workers must be an integer from 1 to 1024; got '0'"],
      [['--param', 'k=1:2:2', '--shard', 'two'], "noether sweep: --shard expects k/K, e.g. 3/16; got 'two'"],
    ])('%j', async (extra, message) => {
      const out = join(dir, 'never.json');
      const r = await run(...base, ...extra, '--out', out);
      expect(r.code, r.stderr).toBe(EXIT.usage);
      expect(r.stdout).toBe('');
      expect(r.stderr).toBe(`${message}\nRun \`noether sweep --help\` for usage.\n`);
      expect(existsSync(out)).toBe(false);
    });

    it('a vector or matrix parameter is named with its shape', async () => {
      const r = await run(join(ROOT, 'examples/rnn-vector.yaml'), '--from', '[0,0,0,0]', '--to', '[0.5,0,-0.5,0]', '--T', '2', '--param', 'W=0:1:3');
      expect(r.code).toBe(EXIT.usage);
      expect(r.stderr).toContain("noether sweep: --param W=0:1:3: W is a 4×4 matrix; a sweep varies a scalar parameter (the model's scalar parameters: D)");
    });

    it('mistakes shared by every point are refused before anything is solved, as `solve` refuses them', async () => {
      const cases: [string[], string][] = [
        [[OU2D, '--from', '[1]', '--to', '[0, 1]', '--T', '2', '--param', 'k=1:2:2'], 'error: from: expected 2 numbers (state: x, y); got 1\n'],
        [[OU2D, '--from', '[1, 0]', '--to', '[0, 1]', '--T', '-2', '--param', 'k=1:2:2'], 'error: T: expected a positive number; got -2\n'],
        [[OU2D, '--from', '[1, 0]', '--to', '[0, 1]', '--T', '2', '--param', 'k=1:2:2', '--shard', '3/2'], 'error: shard.index: expected an integer from 1 to 2; got 3\n'],
        [[OU2D, '--from', '[1, 0]', '--to', '[0, 1]', '--T', '2', '--param', 'k=1:2:2', '--shard', '1/3'], 'error: shard.count: expected an integer from 1 to 2; got 3\n'],
      ];
      for (const [argv, stderr] of cases) {
        const r = await run(...argv);
        expect(r.code, argv.join(' ')).toBe(EXIT.usage);
        expect(r.stdout).toBe('');
        expect(r.stderr).toBe(stderr);
      }
      const missing = await run(join(dir, 'nope.yaml'), '--from', '[1]', '--to', '[2]', '--E', '1');
      expect(missing.code).toBe(EXIT.invalidInput);
      expect(missing.stderr).toMatch(/nope\.yaml: cannot read the model: no such file/);
    });

    it('a parameter value that makes the model invalid is that point\'s error, named as the model names it', async () => {
      const r = await run(OU2D, '--from', '[1, 0]', '--to', '[0, 1]', '--T', '2', '--param', 'D=-0.5:0.5:2', '--nodes', '100', '--no-refine', '--json');
      expect(r.code).toBe(EXIT.checkFailed);
      const [bad, good] = report(r).points;
      expect(bad.error).toEqual({ code: 'diffusion', message: expect.stringMatching(/ou2d\.yaml: diffusion: D is not positive definite/) });
      expect(good.path?.passed).toBe(true);
    });
  });
});

describe('dist/cli.js sweep on worker threads', () => {
  const spawnCli = (args: string[]): { status: number | null; stdout: string; stderr: string } => {
    const r = spawnSync(process.execPath, [CLI, ...args], { cwd: ROOT, encoding: 'utf8', timeout: 100_000 });
    if (r.error) throw r.error;
    return r;
  };
  beforeAll(() => {
    if (!existsSync(CLI)) throw new Error(`${CLI} is missing: build it first with \`node scripts/build.mjs\` (npm test does)`);
  });

  it('gives the same JSON, byte for byte, on 1 and 3 workers, and in-process', async () => {
    const args = ['sweep', OU1, '--from', '[1]', '--to', '[2]', '--E', '-0.6,0,1', '--param', 'a=0.5:1.5:3', '--nodes', '200', '--json'];
    const one = spawnCli([...args, '--workers', '1']);
    const three = spawnCli([...args, '--workers', '3']);
    expect(one.stderr).toBe('');
    expect(three.stderr).toBe('');
    expect(one.status).toBe(EXIT.checkFailed);
    expect(three.status).toBe(EXIT.checkFailed);
    expect(JSON.parse(three.stdout).points).toHaveLength(9);
    expect(three.stdout).toBe(one.stdout);
    expect((await runCli(args)).stdout).toBe(one.stdout);
  }, TIMEOUT);
});
