/**
 * A sensible number of worker threads (a study's trials, `exact`'s subproblems): they are
 * CPU-bound, so threads beyond the cores this process may use only compete for them (and each
 * costs tens of MB); `--workers 1000000` would otherwise try to start a million threads. The
 * cap is the cores available to this process (its CPU affinity, e.g. a Slurm allocation) or
 * SLURM_CPUS_PER_TASK, whichever is larger.
 */
import { availableParallelism } from 'node:os';

/** The largest number of worker threads a study or `exact` may start here (see the file comment). */
export function workerCap(env: NodeJS.ProcessEnv = process.env): number {
  const slurm = Number(env.SLURM_CPUS_PER_TASK);
  return Math.max(1, availableParallelism(), Number.isSafeInteger(slurm) ? slurm : 0);
}

/** `requested` capped at {@link workerCap}; says so through `log` (naming `option`) when it caps. */
export function capWorkers(requested: number, log: (message: string) => void, cap = workerCap(), option = '--workers'): number {
  if (requested <= cap) return requested;
  log(`netisac: ${option} ${requested} capped at ${cap}, the CPU cores available to this run (more threads would only compete for them)`);
  return cap;
}
