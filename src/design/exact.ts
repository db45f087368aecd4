/**
 * `exact`: the global optimum of problem (8) by branch and bound over the receiving BS
 * and the association.
 *
 * A node fixes the receiver r and, for every user, a set of candidate serving BSs. Its
 * lower bound is the rank-relaxed SDP in which user k may be served by every candidate
 * at once (one W~_{s,k} per candidate; the SINR numerator sums over them, interference
 * counts every W~). Any binary association inside the node maps to a feasible point of
 * that SDP (W~_{s,k} = W_k at the chosen BS, zero elsewhere), so the bound is valid; and
 * by Theorem 1 the SDP of a node with one candidate per user is exactly problem (13), so
 * leaves are solved exactly. The bound is the SDP's certified lower bound (conic/certify.ts:
 * the dual point's objective minus the priced shift of its slack onto the cone), so pruning
 * never rests on solver tolerances; a node is `infeasible` only with a proven certificate,
 * and the result is `optimal` only when the final gap is within tolerance. Nodes are expanded best bound first; before a node
 * is expanded its relaxation is rounded (every user to its strongest candidate) and `fixed`
 * gives an incumbent. Branching is binary: the most split user is served by its strongest
 * relaxed candidate, or by one of the others.
 *
 * The search (exact-search.ts) is written once as a generator that hands out batches of
 * independent subproblems (the root relaxations; a node's rounding and its two children) and
 * receives their results: `solveExact` runs a batch one after the other, `solveExactWith`
 * hands it to an asynchronous runner (exact-pool.ts: worker threads).
 */
import type { DesignData } from './data.ts';
import { solveRelaxation, type RelaxationResult } from './relaxation.ts';
import { solveFixed, type FixedSolution } from './fixed.ts';
import { search } from './exact-search.ts';
import { holdNormalMemory } from '../conic/kkt-wasm.ts';

export { powerFloor } from './exact-search.ts';

export interface ExactOptions {
  timeLimit?: number | undefined;
  /** Restrict the search to these receiving BSs (default: all). */
  receivers?: number[] | undefined;
  /** Relative optimality gap at which a node is pruned (the reported gap is at most this). Default 1e-6. */
  relGap?: number | undefined;
  /**
   * Subproblems solved at once (worker threads of `solveExactWith`). With 1 a node's
   * rounding is solved before its children (the rounding may close the node); with more,
   * together.
   */
  parallel?: number | undefined;
  shouldStop?: (() => boolean) | undefined;
  onProgress?: ((fraction: number, message: string) => void) | undefined;
}

export interface ExactResult {
  status: 'optimal' | 'infeasible' | 'time_limit' | 'incomplete';
  receiver?: number;
  association?: number[];
  best?: FixedSolution;
  upperBound: number;
  lowerBound: number;
  nodes: number;
  leaves: number;
  fixedSolves: number;
  failedNodes: number;
  seconds: number;
}

/**
 * One independent subproblem of the search. `deadline` is a performance.now() time of the
 * thread that runs the search (absent: no limit); a runner on another thread converts it.
 */
export type ExactTask =
  | { kind: 'relaxation'; r: number; candidates: number[][]; deadline?: number | undefined; budget?: number | undefined; target?: number | undefined }
  | { kind: 'fixed'; r: number; association: number[]; deadline?: number | undefined; budget?: number | undefined };

export type ExactTaskResult = RelaxationResult | FixedSolution;

/**
 * Solves one task here (also the body of a worker thread, with the deadline in its clock).
 * A task with a `budget` (ms) stops that long after it starts if the deadline comes later:
 * a batch queued behind busy threads gets its share of the time, not what the first tasks left.
 */
export function runExactTask(data: DesignData, task: ExactTask, deadline = task.deadline): ExactTaskResult {
  const end = task.budget === undefined ? deadline : Math.min(deadline ?? Infinity, performance.now() + task.budget);
  const limit = end !== undefined && Number.isFinite(end) ? end : undefined;
  // Already past the deadline (queued behind slower tasks): do not even build the SDP.
  if (limit !== undefined && performance.now() >= limit) {
    return task.kind === 'relaxation' ? { status: 'stopped', bound: -Infinity } : { status: 'failed', message: 'not started: the deadline had passed' };
  }
  // a relaxation's active set solves several SDPs: one instance of the normal equations for them
  return holdNormalMemory(() =>
    task.kind === 'relaxation'
      ? solveRelaxation(data, task.r, task.candidates, limit, { target: task.target })
      : solveFixed(data, task.r, task.association, { deadline: limit }),
  );
}

/** Runs the search with every batch solved here, one task after the other. */
export function solveExact(data: DesignData, opts: ExactOptions = {}): ExactResult {
  const gen = search(data, { ...opts, parallel: 1 });
  let step = gen.next();
  while (!step.done) {
    const tasks = step.value;
    step = gen.next(
      tasks.map((t, i) => {
        const res = runExactTask(data, t);
        reportTask(opts, t, i + 1, tasks.length);
        return res;
      }),
    );
  }
  return step.value;
}

/** Progress after one subproblem of a batch (the roots batch alone can take minutes). */
export function reportTask(opts: ExactOptions, t: ExactTask, done: number, of: number): void {
  const what = t.kind === 'relaxation' ? `relaxation (receiver BS${t.r + 1})` : `fixed (receiver BS${t.r + 1})`;
  opts.onProgress?.(0, `exact: ${what} solved, ${done}/${of} of this batch`);
}

/** Runs the search with each batch handed to `run` (which may solve its tasks in parallel). */
export async function solveExactWith(data: DesignData, opts: ExactOptions, run: (tasks: ExactTask[]) => Promise<ExactTaskResult[]>): Promise<ExactResult> {
  const gen = search(data, opts);
  let step = gen.next();
  while (!step.done) step = gen.next(await run(step.value));
  return step.value;
}
