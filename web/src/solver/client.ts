/**
 * Runs solves in a Web Worker. `cancel` terminates the worker (the solver is synchronous
 * inside it); the next solve starts a fresh one.
 */
import type { DesignJson } from '../../../src/design/api.ts';
import { WorkerSession } from '../app/worker-session.ts';
import type { SolverKernels, SolveRequest, WorkerReply } from './protocol.ts';

export class CancelledError extends Error {
  constructor() {
    super('cancelled');
  }
}

export class SolverClient {
  private readonly session = new WorkerSession<WorkerReply>(
    () => new Worker(new URL('./worker.ts', import.meta.url), { type: 'module' }),
    'solver',
    () => new CancelledError(),
  );

  solve(req: Omit<SolveRequest, 'id'>, onProgress: (fraction: number, message: string) => void): Promise<{ design: DesignJson; kernels: SolverKernels }> {
    return this.session.request<{ design: DesignJson; kernels: SolverKernels }>(
      (id) => ({ ...req, id }) satisfies SolveRequest,
      (m, resolve, reject) => {
        if (m.type === 'progress') onProgress(m.fraction, m.message);
        else if (m.type === 'done') resolve({ design: m.design, kernels: m.kernels });
        else reject(new Error(m.message));
      },
    );
  }

  cancel(): void {
    this.session.cancel();
  }
}
