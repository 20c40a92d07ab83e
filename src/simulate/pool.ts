// Runs a generated program (codegen.ts) on chunks of paths: in this thread for
// one worker, else in Node worker threads started from the program's source with
// `new Worker(source, { eval: true })` — nothing to bundle or locate on disk.
// A chunk's result depends only on its paths, never on which thread ran it.
// Node's modules are imported only when threads are asked for, so the library
// loads in a browser too (where a run uses this thread).

import type { Worker } from 'node:worker_threads';
import { type ChunkResult, instantiate } from './codegen.ts';
import { runtimeImport } from '../runtime-import.ts';

/** Imports a Node built-in, or undefined where there is none (a browser). */
async function nodeModule<T>(name: string): Promise<T | undefined> {
  try {
    return await runtimeImport<T>(`node:${name}`);
  } catch {
    return undefined;
  }
}

/** Every core in Node; 1 elsewhere. */
export async function defaultWorkerCount(): Promise<number> {
  const os = await nodeModule<typeof import('node:os')>('os');
  return os?.availableParallelism() ?? 1;
}

/** Lets the event loop run (progress output, timers) between chunks. */
const yieldToLoop: (f: () => void) => void =
  typeof globalThis.setImmediate === 'function' ? (f) => globalThis.setImmediate(f) : (f) => setTimeout(f, 0);

export interface Runner {
  readonly workers: number;
  /** Simulates paths first … first + count − 1. */
  run(first: number, count: number): Promise<ChunkResult>;
  /** Returns a result's arrays for reuse (the result must not be used afterwards). */
  release(result: ChunkResult): void;
  /** Stops the workers (pending runs are abandoned). */
  close(): Promise<void>;
}

const WORKER_MAIN = `
const { parentPort, workerData } = require('node:worker_threads');
const program = new Function(workerData.source)();
parentPort.on('message', (job) => {
  if (job.release) {
    program.release(job.release);
    return;
  }
  let r;
  try {
    r = program.ensemble(job.first, job.count);
  } catch (err) {
    parentPort.postMessage({ id: job.id, error: String(err && err.stack || err) });
    return;
  }
  const transfer = [r.indices.buffer, r.samples.buffer];
  if (r.thin) transfer.push(r.thin.buffer);
  if (r.hist) transfer.push(r.hist.buffer);
  parentPort.postMessage({ id: job.id, result: r }, transfer);
});
`;

export async function startRunner(source: string, workers: number): Promise<Runner> {
  const threads = workers > 1 ? await nodeModule<typeof import('node:worker_threads')>('worker_threads') : undefined;
  if (!threads) {
    const program = instantiate(source);
    return {
      workers: 1,
      run: (first, count) => new Promise((resolve, reject) => yieldToLoop(() => {
        try {
          resolve(program.ensemble(first, count));
        } catch (err) {
          reject(err);
        }
      })),
      release: (r) => program.release(r),
      close: async () => {},
    };
  }
  return new WorkerRunner(threads.Worker, source, workers);
}

interface Pending {
  readonly id: number;
  readonly first: number;
  readonly count: number;
  resolve(r: ChunkResult): void;
  reject(e: Error): void;
}

class WorkerRunner implements Runner {
  private readonly idle: Worker[] = [];
  private readonly all: Worker[] = [];
  private readonly queue: Pending[] = [];
  private readonly busy = new Map<Worker, Pending>();
  private readonly origin = new WeakMap<ChunkResult, Worker>();
  private nextId = 0;
  private failure: Error | undefined;
  private closed = false;

  constructor(WorkerClass: typeof Worker, source: string, readonly workers: number) {
    for (let w = 0; w < workers; w++) {
      const worker = new WorkerClass(WORKER_MAIN, { eval: true, workerData: { source } });
      worker.on('message', (msg: { id: number; result?: ChunkResult; error?: string }) => {
        const job = this.busy.get(worker);
        this.busy.delete(worker);
        this.idle.push(worker);
        if (job) {
          if (msg.error !== undefined) job.reject(new Error(`simulation worker failed: ${msg.error}`));
          else {
            const result = msg.result as ChunkResult;
            this.origin.set(result, worker);
            job.resolve(result);
          }
        }
        this.pump();
      });
      worker.on('error', (err) => this.fail(err));
      worker.on('exit', (code) => {
        if (!this.closed && code !== 0) this.fail(new Error(`simulation worker exited with code ${code}`));
      });
      this.all.push(worker);
      this.idle.push(worker);
    }
  }

  run(first: number, count: number): Promise<ChunkResult> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      this.queue.push({ id: this.nextId++, first, count, resolve, reject });
      this.pump();
    });
  }

  release(r: ChunkResult): void {
    const worker = this.origin.get(r);
    if (!worker || this.closed) return;
    const buffers = { samples: r.samples, indices: r.indices, thin: r.thin, hist: r.hist };
    const transfer: ArrayBuffer[] = [r.samples.buffer as ArrayBuffer, r.indices.buffer as ArrayBuffer];
    if (r.thin) transfer.push(r.thin.buffer as ArrayBuffer);
    if (r.hist) transfer.push(r.hist.buffer as ArrayBuffer);
    worker.postMessage({ release: buffers }, transfer);
  }

  private pump(): void {
    while (!this.closed && this.idle.length > 0 && this.queue.length > 0) {
      const worker = this.idle.pop() as Worker;
      const job = this.queue.shift() as Pending;
      this.busy.set(worker, job);
      worker.postMessage({ id: job.id, first: job.first, count: job.count });
    }
  }

  private fail(err: Error): void {
    if (this.closed) return;
    this.failure = err;
    for (const job of [...this.busy.values(), ...this.queue]) job.reject(err);
    this.busy.clear();
    this.queue.length = 0;
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.all.map((w) => w.terminate()));
  }
}
