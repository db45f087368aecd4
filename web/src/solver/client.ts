/**
 * Runs solves in a Web Worker. `cancel` terminates the worker (the solver is synchronous
 * inside it); the next solve starts a fresh one.
 */
import type { DesignJson } from '../../../src/design/api.ts';
import type { SolveRequest, WorkerReply } from './protocol.ts';

export class CancelledError extends Error {
  constructor() {
    super('cancelled');
  }
}

interface Pending {
  id: number;
  resolve: (d: DesignJson) => void;
  reject: (e: Error) => void;
  onProgress: (fraction: number, message: string) => void;
}

export class SolverClient {
  private worker: Worker | null = null;
  private pending: Pending | null = null;
  private nextId = 1;

  solve(req: Omit<SolveRequest, 'id'>, onProgress: Pending['onProgress']): Promise<DesignJson> {
    this.cancel();
    const id = this.nextId++;
    const worker = this.ensureWorker();
    return new Promise((resolve, reject) => {
      this.pending = { id, resolve, reject, onProgress };
      worker.postMessage({ ...req, id } satisfies SolveRequest);
    });
  }

  cancel(): void {
    if (!this.pending) return;
    this.worker?.terminate();
    this.worker = null;
    const p = this.pending;
    this.pending = null;
    p.reject(new CancelledError());
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const w = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module' });
    w.onmessage = (e: MessageEvent<WorkerReply>) => this.receive(e.data);
    w.onerror = (e: ErrorEvent) => {
      const p = this.pending;
      this.pending = null;
      this.worker?.terminate();
      this.worker = null;
      p?.reject(new Error(`the solver worker crashed: ${e.message || 'unknown error'}`));
    };
    this.worker = w;
    return w;
  }

  private receive(m: WorkerReply): void {
    const p = this.pending;
    if (!p || m.id !== p.id) return;
    if (m.type === 'progress') {
      p.onProgress(m.fraction, m.message);
      return;
    }
    this.pending = null;
    if (m.type === 'done') p.resolve(m.design);
    else p.reject(new Error(m.message));
  }
}
