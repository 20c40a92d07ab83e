// dist/cli.js starts the CLI bundle with V8's code cache (src/cli/launch.ts):
// the build's cache is used, a cache made from another bundle is not, and the
// output is the same either way.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, rmSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');
const DIST = join(ROOT, 'dist');

function cli(script: string, args: string[], cache?: string, nodeFlags: string[] = []): { status: number | null; stdout: string; stderr: string } {
  const env = { ...process.env, NOETHER_CODE_CACHE: cache ?? '' };
  const r = spawnSync(process.execPath, [...nodeFlags, script, ...args], { cwd: ROOT, encoding: 'utf8', env, maxBuffer: 1 << 26 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('the code cache of the CLI bundle', () => {
  let dir: string;
  beforeAll(() => {
    if (!existsSync(join(DIST, 'noether.cjs.cache'))) throw new Error('dist/noether.cjs.cache is missing: build first with `node scripts/build.mjs` (npm test does)');
    dir = mkdtempSync(join(tmpdir(), 'noether-launch-'));
  });
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('the build wrote a cache that V8 accepts', () => {
    const r = cli(join(DIST, 'cli.js'), ['--version'], 'check');
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('code cache: used\n');
  });

  it('a bundle changed after its cache was written is compiled afresh (stale), and runs', () => {
    for (const f of ['cli.js', 'noether.cjs', 'noether.cjs.cache']) copyFileSync(join(DIST, f), join(dir, f));
    const later = new Date(Date.now() + 60_000);
    utimesSync(join(dir, 'noether.cjs'), later, later);
    const r = cli(join(dir, 'cli.js'), ['--version'], 'check');
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('code cache: stale\n');
    rmSync(join(dir, 'noether.cjs.cache'));
    expect(cli(join(dir, 'cli.js'), ['--version'], 'check').stderr).toBe('code cache: absent\n');
  });

  it('under other V8 flags V8 rejects the cache, and the bundle runs as usual', () => {
    const r = cli(join(DIST, 'cli.js'), ['--version'], 'check', ['--stack-size=2000']);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(cli(join(DIST, 'cli.js'), ['--version']).stdout);
    expect(r.stderr).toBe('code cache: rejected\n');
  });

  it('solve prints the same with the cache as without it', () => {
    const args = ['solve', 'examples/attractor3.yaml', '--from', '[0.8,-0.4]', '--to', '[-0.4,0.8]', '--T', '8', '--nodes', '200', '--json'];
    const cached = cli(join(DIST, 'cli.js'), args);
    const fresh = cli(join(DIST, 'cli.js'), args, 'off');
    expect(cached.status).toBe(0);
    expect(cached.stdout.length).toBeGreaterThan(1000);
    expect(cached.stdout).toBe(fresh.stdout);
  });
});
