/**
 * Runs tool requests in a Web Worker, one at a time per client: a new request or `cancel`
 * terminates the worker of the previous one (its answer is no longer wanted).
 */
import type { ToolKind, ToolReplies, ToolReply, ToolRequests } from './protocol.ts';

export class SupersededError extends Error {
  constructor() {
    super('superseded');
  }
}

export class ToolClient {
  private worker: Worker | null = null;
  private pending: { id: number; resolve: (v: unknown) => void; reject: (e: Error) => void; onProgress?: (m: string) => void } | null = null;
  private nextId = 1;

  run<K extends ToolKind>(kind: K, payload: ToolRequests[K], onProgress?: (message: string) => void): Promise<ToolReplies[K]> {
    this.cancel();
    const id = this.nextId++;
    const worker = this.ensureWorker();
    return new Promise((resolve, reject) => {
      this.pending = { id, resolve: resolve as (v: unknown) => void, reject, onProgress };
      worker.postMessage({ id, kind, payload });
    });
  }

  busy(): boolean {
    return this.pending !== null;
  }

  cancel(): void {
    if (!this.pending) return;
    this.worker?.terminate();
    this.worker = null;
    const p = this.pending;
    this.pending = null;
    p.reject(new SupersededError());
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const w = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module' });
    w.onmessage = (e: MessageEvent<ToolReply>) => this.receive(e.data);
    w.onerror = (e: ErrorEvent) => {
      const p = this.pending;
      this.pending = null;
      this.worker?.terminate();
      this.worker = null;
      p?.reject(new Error(`the tools worker crashed: ${e.message || 'unknown error'}`));
    };
    this.worker = w;
    return w;
  }

  private receive(m: ToolReply): void {
    const p = this.pending;
    if (!p || m.id !== p.id) return;
    if (m.type === 'progress') {
      p.onProgress?.(m.message);
      return;
    }
    this.pending = null;
    if (m.type === 'done') p.resolve(m.value);
    else p.reject(new Error(m.message));
  }
}
