// Sweeps on every core (Node): the points of a sweep (sweep.ts) are handed to
// worker threads a group at a time (a group shares parameter values, so one
// derivation) and put back in index order, so the report is the same for any
// number of workers. A worker runs this very module: loaded in a thread started
// for a sweep, it serves points instead of starting threads (see the end).

import { availableParallelism } from 'node:os';
import { type MessagePort, Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import type { ModelSpec } from '../model/types.ts';
import type { SweepPoint, SweepReport } from './reports.ts';
import { type SweepRequest, integerIn } from './requests.ts';
import { type SweepModelOptions, type SweepPlan, planSweep, pointSolver, sweepReport } from './sweep.ts';

export interface SweepOptions extends SweepModelOptions {
  /**
   * Worker threads (default: every core). A worker loads the file this module was
   * loaded from: an application that bundles noether/node into its own file should
   * pass 1.
   */
  readonly workers?: number;
  /** Called as points are solved: done of total (this run's points). */
  readonly onProgress?: (done: number, total: number) => void;
}

/** What a worker is started with. */
interface Setup {
  readonly role: typeof ROLE;
  readonly spec: ModelSpec;
  readonly request: SweepRequest;
  readonly options: SweepModelOptions;
}

type Reply = { readonly points: SweepPoint[] } | { readonly error: string };

const ROLE = 'noether sweep worker';

/**
 * The most likely path at every point of a sweep (or of one shard of it), on
 * worker threads; a point that cannot be solved carries its error. Mistakes
 * shared by every point throw a NoetherError naming the field, before anything
 * is solved.
 *
 * @example
 * const report = await sweep(readModelFile('examples/ou2d.yaml'), {
 *   from: [1, 0], to: [0, 1], T: 2, params: [{ name: 'k', start: 0.5, stop: 1.5, count: 5 }],
 * });
 * report.points.map((p) => p.path?.action); // S at k = 0.5, 0.75, 1, 1.25, 1.5
 */
export async function sweep(spec: ModelSpec, request: SweepRequest, options: SweepOptions = {}): Promise<SweepReport> {
  const { workers: asked, onProgress, ...modelOptions } = options;
  const plan = planSweep(spec, request, modelOptions);
  const todo = plan.groups.reduce((n, g) => n + g.length, 0);
  const points: SweepPoint[] = [];
  const solved = (batch: readonly SweepPoint[]): void => {
    points.push(...batch);
    onProgress?.(points.length, todo);
  };
  const workers = Math.min(asked === undefined ? availableParallelism() : integerIn(asked, 'workers', 1, 1024), plan.groups.length);
  // Node cannot run TypeScript in a worker: from the sources (the tests) every point runs in this thread.
  if (workers > 1 && !import.meta.url.endsWith('.ts')) {
    await onThreads(plan, { role: ROLE, spec, request, options: modelOptions }, workers, solved);
  } else {
    const solve = pointSolver(plan);
    for (const group of plan.groups) {
      solved(group.map(solve));
      // Let progress output and signals through between groups.
      await new Promise((resolve) => setImmediate(resolve));
    }
  }
  return sweepReport(plan, points);
}

async function onThreads(plan: SweepPlan, setup: Setup, workers: number, solved: (points: readonly SweepPoint[]) => void): Promise<void> {
  const queue = [...plan.groups];
  const threads = Array.from({ length: workers }, () => new Worker(new URL(import.meta.url), { workerData: setup }));
  try {
    await Promise.all(threads.map((thread) => new Promise<void>((resolve, reject) => {
      const next = (): void => {
        const group = queue.shift();
        if (group === undefined) resolve();
        else thread.postMessage(group);
      };
      thread.on('message', (reply: Reply) => {
        if ('error' in reply) reject(new Error(`sweep worker failed: ${reply.error}`));
        else {
          solved(reply.points);
          next();
        }
      });
      thread.on('error', reject);
      thread.on('exit', (code) => reject(new Error(`sweep worker exited early (code ${code})`)));
      next();
    })));
  } finally {
    await Promise.all(threads.map((t) => t.terminate()));
  }
}

/** In a worker: plan the sweep as the main thread did, then solve the groups it sends. */
function serve(setup: Setup, port: MessagePort): void {
  const solve = pointSolver(planSweep(setup.spec, setup.request, setup.options));
  port.on('message', (group: number[]) => {
    let reply: Reply;
    try {
      reply = { points: group.map(solve) };
    } catch (err) {
      reply = { error: String((err as Error)?.stack ?? err) };
    }
    port.postMessage(reply);
  });
}

if (!isMainThread && parentPort && (workerData as Partial<Setup> | null)?.role === ROLE) serve(workerData as Setup, parentPort);
