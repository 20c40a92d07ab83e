// Figures of your own model (issue 14, item 5): `noether figure MODEL … -o FILE` and
// `solve --plot FILE`, in SVG and PNG, for 1D, 2D and projected N > 2 models, with
// clear errors for what cannot be drawn.
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.ts';

const root = join(import.meta.dirname, '..', '..');
const example = (name: string): string => join(root, 'examples', name);
const dir = mkdtempSync(join(tmpdir(), 'noether-figure-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('noether figure MODEL', () => {
  it('a fixed-E family of a 2D model: paths coloured by E over the drift field, fixed points and ends marked (SVG)', async () => {
    const out = join(dir, 'family.svg');
    const r = await runCli(['figure', example('attractor3.yaml'), '--from', '[0.8, -0.4]', '--to', '[-0.4, 0.8]', '--E', '0.01,0.1,1', '-o', out]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/3 paths of attractor3, E = 0.01: S = [\d.]+; E = 0.1/);
    const svg = readFileSync(out, 'utf8');
    for (const text of ['energy E', 'start', 'end', 'saddle fixed point', 'stable fixed point']) expect(svg).toContain(`>${text}</text>`);
    // The direction field: 15 × 15 arrows (a rule and a head each).
    expect(svg.split('<line').length - 1).toBeGreaterThan(200);
  });

  it('a PNG of a 1D model against t, and a projection of a 4-unit network on the axes asked for', async () => {
    const png = join(dir, 'ddm.png');
    const r = await runCli(['figure', example('ddm.yaml'), '--from', '[0]', '--to', '[-1]', '--T', '1,2', '-o', png]);
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(png).subarray(1, 4).toString()).toBe('PNG');
    const svg = join(dir, 'rnn.svg');
    const p = await runCli(['figure', example('rnn-vector.yaml'), '--from', '[0, 0, 0, 0]', '--to', '[0.5, 0, -0.5, 0]', '--T', '2', '--axes', 'x_1,x_3', '-o', svg]);
    expect(p.code, p.stderr).toBe(0);
    expect(readFileSync(svg, 'utf8')).toContain('projection on x_1, x_3');
  });

  it('refuses what it cannot draw, before solving and without writing a file', async () => {
    const cases: Array<[string[], RegExp]> = [
      [['-o', join(dir, 'bad.pdf'), '--from', '[0]', '--to', '[1]', '--T', '1'], /\.svg or \.png; got '.*bad\.pdf'/],
      [['--from', '[0]', '--to', '[1]', '--T', '1'], /-o FILE/],
      [['-o', join(dir, 'x.svg'), '--from', '[0]', '--to', '[1]'], /exactly one of --T and --E/],
      [['-o', join(dir, 'x.svg'), '--from', '[0]', '--to', '[1]', '--T', '1,oops'], /T/],
    ];
    for (const [args, message] of cases) {
      const r = await runCli(['figure', example('ddm.yaml'), ...args]);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(message);
    }
    const axes = await runCli(['figure', example('rnn-vector.yaml'), '--from', '[0,0,0,0]', '--to', '[1,0,0,0]', '--T', '1', '--axes', 'x_1,x_9', '-o', join(dir, 'y.svg')]);
    expect(axes.code).toBe(2);
    expect(axes.stderr).toMatch(/--axes: give two different state variables, e.g. --axes x_1,x_2/);
    expect(readdirSync(dir).filter((f) => /^(bad|x|y)\./.test(f))).toEqual([]);
  });
});

describe('noether solve --plot', () => {
  it('draws the solved path next to the usual output', async () => {
    const out = join(dir, 'solve.svg');
    const r = await runCli(['solve', example('ou2d.yaml'), '--from', '[1, -0.5]', '--to', '[-0.5, 1]', '--T', '2', '--plot', out]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('Conserved quantities along the path');
    expect(readFileSync(out, 'utf8')).toContain('>stable fixed point</text>');
    const bad = await runCli(['solve', example('ou2d.yaml'), '--from', '[1, 0.5]', '--to', '[0, 1]', '--T', '2', '--plot', join(dir, 'p.jpg')]);
    expect(bad.code).toBe(2);
  });
});

describe('noether simulate --plot', () => {
  it('a conditioned 1D ensemble: samples, their mean and the most likely path (PNG); a 2D one in the plane (SVG)', async () => {
    const png = join(dir, 'ddm-ensemble.png');
    const r = await runCli(['simulate', example('ddm.yaml'), '--from', '[0]', '--T', '2', '--dt', '0.01', '--paths', '100', '--to', '[-1]', '--tol', '0.05', '--plot', png, '--workers', '1']);
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(png).subarray(1, 4).toString()).toBe('PNG');
    const svg = join(dir, 'ou-ensemble.svg');
    const p = await runCli(['simulate', example('ou2d.yaml'), '--from', '[1, 0]', '--T', '2', '--dt', '0.01', '--paths', '200', '--plot', svg, '--workers', '1']);
    expect(p.code, p.stderr).toBe(0);
    const text = readFileSync(svg, 'utf8');
    expect(text).toContain('>ou2d: 60 of 200 sample paths</text>');
    expect(text).toContain('>ensemble mean (200 paths)</text>');
    const bad = await runCli(['simulate', example('ou2d.yaml'), '--from', '[1, 0]', '--T', '2', '--dt', '0.01', '--paths', '20', '--plot', join(dir, 'e.gif')]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--plot: a figure is written as \.svg or \.png/);
  });
});
