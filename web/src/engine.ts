// Talks to the pipeline worker. One request runs at a time; of the waiting
// ones only the latest of each kind is kept (a slider drag sends many). A new
// model while the worker is busy restarts the worker: a derivation cannot be
// interrupted, and its result would be stale anyway.

import type { FieldView, Request, Response, SolveRequest } from './protocol.ts';

type Kind = Request['type'];
const PRIORITY: Kind[] = ['analyze', 'field', 'solve'];

export interface EngineEvents {
  onResponse(r: Response): void;
  /** The worker itself failed (not a request): shown as a general error. */
  onCrash(message: string): void;
  onBusy(busy: boolean, kind?: Kind): void;
}

export class Engine {
  private worker: Worker;
  private inFlight: Request | undefined;
  private readonly waiting = new Map<Kind, Request>();
  private nextId = 1;

  constructor(private readonly events: EngineEvents) {
    this.worker = this.spawn();
  }

  analyze(text: string): number {
    // Requests about the old model are void.
    this.waiting.clear();
    if (this.inFlight) this.restart();
    return this.enqueue({ type: 'analyze', id: this.nextId++, text });
  }

  field(view: FieldView): number {
    return this.enqueue({ type: 'field', id: this.nextId++, view });
  }

  solve(request: SolveRequest): number {
    return this.enqueue({ type: 'solve', id: this.nextId++, request });
  }

  /** Drops a waiting request of this kind (e.g. a path whose end points were cleared). */
  cancel(kind: Kind): void {
    this.waiting.delete(kind);
  }

  get busy(): boolean {
    return this.inFlight !== undefined;
  }

  private enqueue(r: Request): number {
    this.waiting.set(r.type, r);
    this.pump();
    return r.id;
  }

  private pump(): void {
    if (this.inFlight) return;
    const kind = PRIORITY.find((k) => this.waiting.has(k));
    if (!kind) {
      this.events.onBusy(false);
      return;
    }
    const r = this.waiting.get(kind) as Request;
    this.waiting.delete(kind);
    this.inFlight = r;
    this.events.onBusy(true, kind);
    this.worker.postMessage(r);
  }

  private spawn(): Worker {
    const w = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module', name: 'noether' });
    w.onmessage = (e: MessageEvent<Response>) => {
      if (w !== this.worker) return;
      const r = e.data;
      if (this.inFlight && r.id === this.inFlight.id) this.inFlight = undefined;
      this.events.onResponse(r);
      this.pump();
    };
    w.onerror = (e: ErrorEvent) => {
      if (w !== this.worker) return;
      e.preventDefault();
      const failed = this.inFlight;
      this.inFlight = undefined;
      this.restart();
      this.events.onCrash(`the computation stopped unexpectedly${failed ? ` (${failed.type})` : ''}: ${e.message || 'worker error'}`);
      this.pump();
    };
    return w;
  }

  private restart(): void {
    this.worker.terminate();
    this.inFlight = undefined;
    this.worker = this.spawn();
  }
}
