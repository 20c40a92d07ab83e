// Ensembles beyond one machine (issue 13, item 5): shards of a plain run, each
// simulated on its own (here: one after another, with other worker counts),
// merge into exactly the report of the whole run — means, variances, quantiles,
// final statistics and histogram counts bit for bit.
import { describe, expect, it } from 'vitest';
import { type EnsembleReport, createAnalyzer, mergeEnsembles } from '../../src/index.ts';
import { readModelFile } from '../../src/model/file.ts';
import { noetherErrorOf } from '../helpers/errors.ts';
import { runCli } from '../helpers/cli.ts';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';

/** The report without what legitimately differs between a whole run and merged shards. */
const comparable = (r: EnsembleReport): unknown => ({ ...r, workers: 0, wallSeconds: 0 });

describe('shards', () => {
  const ou = createAnalyzer(readModelFile('examples/ou2d.yaml'));
  const request = { from: [1, 0], T: 1, dt: 0.01, paths: 1003, seed: 7 };

  it('4 shards merged equal one run bit for bit (any order of the files, any worker counts)', async () => {
    const whole = await ou.simulate({ ...request, workers: 2 });
    const parts = [];
    for (const index of [3, 1, 4, 2]) parts.push(await ou.simulate({ ...request, workers: 1, shard: { index, count: 4 } }));
    // Each shard is a report of its own paths: 1003 = 250 + 251 + 251 + 251.
    expect(parts.map((p) => [p.request.shard?.index, p.paths.used])).toEqual([[3, 251], [1, 250], [4, 251], [2, 251]]);
    expect(parts.every((p) => p.shardData !== null)).toBe(true);
    const merged = mergeEnsembles(parts);
    expect(merged.shardData).toBeNull();
    expect(merged.request.shard).toBeNull();
    expect(merged.workers).toBe(4);
    expect(comparable(merged)).toEqual(comparable(whole));
    expect(merged.final.mean).toEqual(whole.final.mean); // toEqual on numbers is exact (Object.is)
  });

  it('histogram runs: 3 shards merged equal one run, counts and all (the ranges come from the whole run\'s pilot)', async () => {
    const hist = { ...request, T: 6, paths: 301, histogram: { bins: [12, 9], burnIn: 2 } };
    const whole = await ou.simulate({ ...hist, workers: 2 });
    expect(whole.histogram?.total).toBeGreaterThan(100_000); // 301 paths × 401 binned steps, most inside
    const parts: EnsembleReport[] = [];
    for (const index of [2, 3, 1]) parts.push(await ou.simulate({ ...hist, workers: 1, shard: { index, count: 3 } }));
    // Every shard bins on the whole run's ranges, and only its own paths.
    for (const p of parts) expect(p.histogram?.ranges).toEqual(whole.histogram?.ranges);
    expect(parts.reduce((n, p) => n + (p.histogram?.total ?? 0), 0)).toBe(whole.histogram?.total);
    const merged = mergeEnsembles(parts);
    expect(comparable(merged)).toEqual(comparable(whole));
    expect(merged.histogram?.counts).toEqual(whole.histogram?.counts);
    // A shard of another binning is refused.
    const other = await ou.simulate({ ...hist, histogram: { bins: [12, 10], burnIn: 2 }, workers: 1, shard: { index: 1, count: 3 } });
    expect(noetherErrorOf(() => mergeEnsembles([other, parts[0], parts[1]])).message).toMatch(/comes from another run|other bins or ranges/);
  }, 60_000);

  it('a run of one shard is the whole run', async () => {
    const whole = await ou.simulate({ ...request, workers: 1 });
    expect(comparable(mergeEnsembles([await ou.simulate({ ...request, workers: 1, shard: { index: 1, count: 1 } })]))).toEqual(comparable(whole));
  });

  it('missing, repeated or foreign shards are refused with the reason', async () => {
    const part = (index: number, seed = 7) => ou.simulate({ ...request, seed, workers: 1, shard: { index, count: 3 } });
    const [a, b, c] = [await part(1), await part(2), await part(3)];
    expect(noetherErrorOf(() => mergeEnsembles([a, c])).message).toMatch(/shards 2 of 3 are missing/);
    expect(noetherErrorOf(() => mergeEnsembles([a, b, b, c])).message).toMatch(/shard 2\/3 is given twice/);
    const foreign = await part(3, 8);
    expect(noetherErrorOf(() => mergeEnsembles([a, b, foreign])).message).toMatch(/shard 3\/3 comes from another run/);
    const whole = await ou.simulate({ ...request, workers: 1 });
    expect(noetherErrorOf(() => mergeEnsembles([whole])).message).toMatch(/expected the JSON report of a shard/);
    await expect(ou.simulate({ ...request, shard: { index: 2, count: 1 } })).rejects.toMatchObject({ code: 'request', where: { path: 'shard.index' } });
    await expect(ou.simulate({ ...request, condition: { to: [0, 0], tol: 0.5 }, shard: { index: 1, count: 2 } })).rejects.toMatchObject({ where: { path: 'shard' } });
  });

  it('the command line: simulate --shard k/4 --out, then merge, prints the JSON of one simulate --json', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'noether-shards-'));
    try {
      const args = ['simulate', 'examples/ou2d.yaml', '--from', '[1, 0]', '--T', '1', '--dt', '0.01', '--paths', '1003', '--seed', '7'];
      for (const k of [1, 2, 3, 4]) {
        const r = await runCli([...args, '--workers', '1', '--shard', `${k}/4`, '--out', join(dir, `part-${k}.json`)]);
        expect(r.code, r.stderr).toBe(0);
      }
      const merged = await runCli(['merge', ...[4, 2, 3, 1].map((k) => join(dir, `part-${k}.json`)), '--json']);
      expect(merged.code, merged.stderr).toBe(0);
      const whole = await runCli([...args, '--json']);
      expect(comparable(JSON.parse(merged.stdout))).toEqual(comparable(JSON.parse(whole.stdout)));
      const missing = await runCli(['merge', join(dir, 'part-1.json'), join(dir, 'part-3.json')]);
      expect(missing.code).toBe(2);
      expect(missing.stderr).toMatch(/shards 2, 4 of 4 are missing/);
      expect((await runCli([...args, '--shard', '5/4'])).stderr).toMatch(/shard\.index/);
      expect((await runCli([...args, '--shard', 'three'])).stderr).toMatch(/--shard expects k\/K/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it('the cluster examples: the Slurm script is valid bash, the Kubernetes manifest an Indexed Job of 16', () => {
    execFileSync('bash', ['-n', 'examples/cluster/slurm-array.sh']);
    const job = parseYaml(readFileSync('examples/cluster/k8s-indexed-job.yaml', 'utf8'));
    expect(job).toMatchObject({ kind: 'Job', spec: { completionMode: 'Indexed', completions: 16 } });
    expect(readFileSync('examples/cluster/slurm-array.sh', 'utf8')).toMatch(/--shard "\$\{SLURM_ARRAY_TASK_ID\}\/16"/);
  });
});
