/**
 * Runs tool requests in a Web Worker, one at a time per client: a new request or `cancel`
 * terminates the worker of the previous one (its answer is no longer wanted).
 */
import { WorkerSession } from '../app/worker-session.ts';
import type { ToolKind, ToolReplies, ToolReply, ToolRequests } from './protocol.ts';

export class SupersededError extends Error {
  constructor() {
    super('superseded');
  }
}

export class ToolClient {
  private readonly session = new WorkerSession<ToolReply>(
    () => new Worker(new URL('./worker.ts', import.meta.url), { type: 'module' }),
    'tools',
    () => new SupersededError(),
  );

  run<K extends ToolKind>(kind: K, payload: ToolRequests[K], onProgress?: (message: string) => void): Promise<ToolReplies[K]> {
    return this.session.request<ToolReplies[K]>(
      (id) => ({ id, kind, payload }),
      (m, resolve, reject) => {
        if (m.type === 'progress') onProgress?.(m.message);
        else if (m.type === 'done') resolve(m.value as ToolReplies[K]);
        else reject(new Error(m.message));
      },
    );
  }

  busy(): boolean {
    return this.session.busy();
  }

  cancel(): void {
    this.session.cancel();
  }
}
