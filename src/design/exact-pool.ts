/**
 * `exact` on worker threads (Node only; the browser app and the study engine, which is
 * already parallel over trials, use the one-thread search). Every worker builds the
 * design data of the scenario once (from `workerData`) and then solves the relaxations
 * and `fixed` subproblems that the search hands out in batches (exact.ts).
 *
 * Deadlines travel as wall-clock epoch milliseconds, because performance.now() has a
 * different origin in every thread.
 */
import { Piscina } from 'piscina';
import type { Scenario } from '../model/types.ts';
import type { DesignData } from './data.ts';
import { reportTask, solveExactWith, type ExactOptions, type ExactResult, type ExactTask, type ExactTaskResult } from './exact.ts';
import { sdpStats } from './sdp.ts';
import { workerCap } from '../workers.ts';

// From the sources (tests, tsx) worker threads need tsx registered first (exact-worker.mjs);
// compiled (dist/), the worker body is plain JavaScript.
const WORKER_ENTRY = new URL(import.meta.url.endsWith('.ts') ? '../design/exact-worker.mjs' : '../design/exact-worker.js', import.meta.url).href;

/** What a worker receives: the task with its deadline on the shared wall clock. */
export type WireTask = Omit<ExactTask, 'deadline'> & { deadlineEpoch?: number };
/** What it sends back: the result and its solver statistics. */
export interface WireResult {
  result: ExactTaskResult;
  stats: { calls: number; iterations: number; seconds: number };
}

/**
 * `exact` with its relaxations and `fixed` subproblems solved on `threads` worker threads;
 * the same search, bounds and certificates as the one-thread `exact`, only the solves are spread.
 */
export async function solveExactParallel(scn: Scenario, data: DesignData, opts: ExactOptions, requested: number): Promise<ExactResult> {
  // no more threads than cores: a caller's 1e11 would otherwise try to start them all
  const threads = Math.min(requested, workerCap());
  const pool = new Piscina({
    filename: WORKER_ENTRY,
    workerData: { scenario: scn },
    minThreads: threads,
    maxThreads: threads,
    concurrentTasksPerWorker: 1,
    idleTimeout: 1000,
  });
  const toWire = (t: ExactTask): WireTask => {
    const { deadline, ...rest } = t;
    return deadline === undefined ? rest : { ...rest, deadlineEpoch: Date.now() + (deadline - performance.now()) };
  };
  try {
    return await solveExactWith(data, { ...opts, parallel: threads }, async (tasks) => {
      let done = 0;
      const out = await Promise.all(
        tasks.map(async (t) => {
          const res = (await pool.run(toWire(t))) as WireResult;
          reportTask(opts, t, ++done, tasks.length);
          return res;
        }),
      );
      for (const o of out) {
        sdpStats.calls += o.stats.calls;
        sdpStats.iterations += o.stats.iterations;
        sdpStats.seconds += o.stats.seconds;
      }
      return out.map((o) => o.result);
    });
  } finally {
    await pool.destroy();
  }
}
