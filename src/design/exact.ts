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
 * The search is written once as a generator that hands out batches of independent
 * subproblems (the root relaxations; a node's rounding and its two children) and receives
 * their results: `solveExact` runs a batch one after the other, `solveExactWith` hands it
 * to an asynchronous runner (exact-pool.ts: worker threads).
 */
import { channelGain, type DesignData } from './data.ts';
import { othersThan, solveRelaxation, type RelaxationResult } from './relaxation.ts';
import { OPTIMALITY_GAP, relativeGap, solveFixed, type FixedSolution } from './fixed.ts';

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
  return task.kind === 'relaxation'
    ? solveRelaxation(data, task.r, task.candidates, limit, { target: task.target })
    : solveFixed(data, task.r, task.association, { deadline: limit });
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

interface Node {
  r: number;
  candidates: number[][];
  bound: number;
  /** Power share of each candidate in the relaxation, [k][index in candidates[k]]. */
  shares?: number[][];
}

type NodeOutcome = { kind: 'infeasible' } | { kind: 'failed' } | { kind: 'bounded'; node: Node };

type Batch = Generator<ExactTask[], ExactResult, ExactTaskResult[]>;

function* search(data: DesignData, opts: ExactOptions): Batch {
  const start = performance.now();
  const timeLimit = opts.timeLimit ?? Infinity;
  const hardDeadline = start + timeLimit * 1000;
  // Until an incumbent exists the search stops earlier, so that the rounding after it
  // (below) still has time to find a design before the hard deadline.
  const searchDeadline = start + SEARCH_SHARE * timeLimit * 1000;
  const deadlineNow = (): number => (best ? hardDeadline : searchDeadline);
  const outOfTime = (): boolean => performance.now() >= deadlineNow() || (opts.shouldStop?.() ?? false);
  const limitNow = (): number | undefined => (Number.isFinite(deadlineNow()) ? deadlineNow() : undefined);
  const relGap = opts.relGap ?? 1e-6;
  const together = (opts.parallel ?? 1) > 1;
  const { S, K } = data;

  let upper = Infinity;
  let best: { r: number; association: number[]; sol: FixedSolution } | undefined;
  const fixedCache = new Map<string, FixedSolution>();
  let nodes = 0;
  let leaves = 0;
  let failedNodes = 0;
  /** Lower bound of everything pruned by bound or closed (the final LB takes their min). */
  let closedBound = Infinity;
  const fixedKey = (r: number, association: number[]): string => `${r}|${association.join(',')}`;

  /** Keeps a solved `fixed` (unless it was cut by the deadline) and updates the incumbent. */
  const recordFixed = (r: number, association: number[], sol: FixedSolution): void => {
    if (sol.status === 'failed' && outOfTime()) return; // not cached: it did not finish
    fixedCache.set(fixedKey(r, association), sol);
    if (sol.status === 'optimal' && sol.objective! < upper) {
      upper = sol.objective!;
      best = { r, association: association.slice(), sol };
    }
  };

  /**
   * Solves a batch of node evaluations (relaxations, or `fixed` for leaves) and roundings;
   * cached `fixed` solves are answered without a task.
   */
  function* solveBatch(
    items: ({ r: number; candidates: number[][] } | { r: number; association: number[] })[],
  ): Generator<ExactTask[], ExactTaskResult[], ExactTaskResult[]> {
    const tasks: ExactTask[] = [];
    const slot: number[] = [];
    const out: (ExactTaskResult | undefined)[] = items.map(() => undefined);
    const pending = new Map<string, number>();
    items.forEach((it, i) => {
      const association = 'association' in it ? it.association : it.candidates.every((c) => c.length === 1) ? it.candidates.map((c) => c[0]!) : undefined;
      if (association) {
        const key = fixedKey(it.r, association);
        const hit = fixedCache.get(key);
        if (hit) return void (out[i] = hit);
        if (pending.has(key)) return void (slot[i] = pending.get(key)!);
        pending.set(key, tasks.length);
        slot[i] = tasks.length;
        tasks.push({ kind: 'fixed', r: it.r, association, deadline: limitNow() });
      } else if ('candidates' in it) {
        slot[i] = tasks.length;
        // With an incumbent, the node only needs to know whether its bound prunes it.
        const target = Number.isFinite(upper) ? upper * (1 - relGap) : undefined;
        tasks.push({ kind: 'relaxation', r: it.r, candidates: it.candidates, deadline: limitNow(), target });
      }
    });
    // Every task gets its share of the time left (with more tasks than threads, the last ones
    // would otherwise start when the first ones have used it all).
    const left = (limitNow() ?? Infinity) - performance.now();
    const threads = Math.max(1, opts.parallel ?? 1);
    if (Number.isFinite(left) && tasks.length > threads) for (const t of tasks) t.budget = left / Math.ceil(tasks.length / threads);
    const results = tasks.length > 0 ? yield tasks : [];
    tasks.forEach((t, j) => {
      if (t.kind === 'fixed') recordFixed(t.r, t.association, results[j] as FixedSolution);
    });
    return items.map((_, i) => out[i] ?? results[slot[i]!]!);
  }

  const outcomeOf = (r: number, candidates: number[][], parentBound: number, res: ExactTaskResult): NodeOutcome => {
    nodes++;
    if (candidates.every((c) => c.length === 1)) {
      leaves++;
      const sol = res as FixedSolution;
      if (sol.status === 'infeasible') return { kind: 'infeasible' };
      if (sol.status !== 'optimal') return { kind: 'failed' };
      // without a certified bound a leaf only bounds itself by -Infinity (it then stays open)
      return { kind: 'bounded', node: { r, candidates, bound: Math.min(sol.bound ?? -Infinity, sol.objective!) } };
    }
    const rel = res as RelaxationResult;
    if (rel.status === 'infeasible') return { kind: 'infeasible' };
    // Stopped at the deadline: open, with whatever bound its last dual point certified.
    if (rel.status === 'stopped') return { kind: 'bounded', node: { r, candidates, bound: Math.max(parentBound, rel.bound) } };
    if (rel.status !== 'optimal') {
      failedNodes++;
      return { kind: 'bounded', node: { r, candidates, bound: parentBound } };
    }
    return { kind: 'bounded', node: { r, candidates, bound: Math.max(parentBound, rel.bound), shares: rel.shares } };
  };

  const open: Node[] = [];
  let anyFeasibleRoot = false;
  let interrupted = false;
  const receivers = opts.receivers ?? Array.from({ length: S }, (_, r) => r);
  let unexplored = 0;

  // --- roots: one relaxation per receiver, all in one batch -----------------------------
  const roots = outOfTime() ? [] : receivers.map((r) => ({ r, candidates: Array.from({ length: K }, () => othersThan(S, r)) }));
  if (roots.length < receivers.length) {
    interrupted = true;
    unexplored += receivers.length - roots.length;
  }
  opts.onProgress?.(0, `exact: ${roots.length} root relaxations`);
  const rootResults = yield* solveBatch(roots);
  roots.forEach((root, i) => {
    const floor = powerFloor(data, root.r);
    const out = outcomeOf(root.r, root.candidates, floor, rootResults[i]!);
    if (out.kind === 'failed' && outOfTime()) {
      interrupted = true;
      unexplored++;
      return;
    }
    if (out.kind === 'infeasible') return;
    anyFeasibleRoot = true;
    if (out.kind === 'failed') {
      // its receiver's subtree stays unsearched: only the power floor bounds it (as below for a
      // root the deadline left unsolved), or the bound would leave that receiver out
      failedNodes++;
      closedBound = Math.min(closedBound, floor);
    }
    if (out.kind === 'bounded') open.push(out.node);
  });

  // --- best-first expansion -------------------------------------------------------------
  const pruned = (bound: number): boolean => bound >= upper * (1 - relGap);
  while (open.length > 0 && !interrupted) {
    if (outOfTime()) {
      interrupted = true;
      break;
    }
    let bi = 0;
    for (let i = 1; i < open.length; i++) if (open[i]!.bound < open[bi]!.bound) bi = i;
    const node = open.splice(bi, 1)[0]!;
    if (pruned(node.bound) || node.candidates.every((c) => c.length === 1)) {
      // Pruned, or a leaf whose fixed solve failed numerically (it stays unresolved).
      closedBound = Math.min(closedBound, node.bound);
      continue;
    }
    // Incumbent from rounding the node (nodes are expanded in bound order, so this rounds
    // the most promising relaxations first): every user to its strongest candidate.
    const rounding = node.shares ? { r: node.r, association: node.candidates.map((c, k) => c[argmax(node.shares![k]!)]!) } : undefined;
    const k = branchingUser(node!);
    const cands = node.candidates[k]!;
    const sStar = node.shares ? cands[argmax(node.shares[k]!)]! : cands[0]!;
    // Binary branching: user k served by its strongest relaxed candidate s*, or by another.
    const children = [[sStar], cands.filter((s) => s !== sStar)].map((split) => ({
      r: node.r,
      candidates: node.candidates.map((c, kk) => (kk === k ? split : c)),
    }));
    opts.onProgress?.(0, `exact: ${nodes} nodes, bound ${node.bound.toExponential(4)} W, best ${upper.toExponential(4)} W`);
    let childResults: ExactTaskResult[] | undefined;
    if (rounding && together) {
      const res = yield* solveBatch([rounding, ...children]);
      childResults = res.slice(1);
    } else if (rounding) {
      yield* solveBatch([rounding]);
    }
    if (pruned(node.bound)) {
      closedBound = Math.min(closedBound, node.bound);
      continue;
    }
    childResults ??= yield* solveBatch(children);
    children.forEach((child, i) => {
      const out = outcomeOf(child.r, child.candidates, node.bound, childResults![i]!);
      if (out.kind === 'bounded') {
        if (pruned(out.node.bound)) closedBound = Math.min(closedBound, out.node.bound);
        else open.push(out.node);
      } else if (out.kind === 'failed') {
        failedNodes++;
        closedBound = Math.min(closedBound, node.bound);
      }
    });
  }

  // Stopped before any incumbent: round the best relaxation seen (or, with none, give every
  // user its strongest channel at the receiver with the lowest bound) once more, in the time
  // the search left before the hard deadline, so that a stopped search still returns a
  // design when one is easy to find.
  if (!best && interrupted && !(opts.shouldStop?.() ?? false) && performance.now() < hardDeadline) {
    const seed = open.filter((n) => n.shares).sort((x, y) => x.bound - y.bound)[0];
    const lowest = open.slice().sort((x, y) => x.bound - y.bound)[0];
    const r = seed ? seed.r : (lowest?.r ?? receivers[0]!);
    const association = seed ? seed.candidates.map((c, k) => c[argmax(seed.shares![k]!)]!) : strongestAssociation(data, r!);
    opts.onProgress?.(0, `exact: stopped without a design, rounding at receiver BS${r + 1}`);
    const deadline = Number.isFinite(hardDeadline) ? hardDeadline : undefined;
    const sol = ((yield [{ kind: 'fixed', r, association, deadline }]) as FixedSolution[])[0]!;
    fixedCache.set(fixedKey(r!, association), sol!);
    if (sol!.status === 'optimal') {
      upper = sol!.objective!;
      best = { r, association, sol };
    }
  }

  let lower = Math.min(closedBound, upper);
  for (const n of open) lower = Math.min(lower, n.bound);
  // A receiver whose root relaxation was never solved is bounded only by its power floor.
  if (unexplored > 0) for (const r of receivers) if (!open.some((n) => n.r === r)) lower = Math.min(lower, powerFloor(data, r));
  const seconds = (performance.now() - start) / 1000;
  const common = { nodes, leaves, fixedSolves: fixedCache.size, failedNodes, seconds };
  if (!anyFeasibleRoot && failedNodes === 0 && !interrupted) {
    return { status: 'infeasible', upperBound: Infinity, lowerBound: Infinity, ...common };
  }
  const found = best as { r: number; association: number[]; sol: FixedSolution } | undefined;
  if (!found) {
    // No feasible association found: proven infeasible only if nothing failed or remains.
    const proven = !interrupted && failedNodes === 0;
    return {
      status: proven ? 'infeasible' : interrupted ? 'time_limit' : 'incomplete',
      upperBound: Infinity,
      lowerBound: proven ? Infinity : lower,
      ...common,
    };
  }
  // `optimal` only with the certified gap within tolerance (bounds are certified, see fixed.ts).
  const gapOk = relativeGap(upper, lower) <= Math.max(relGap, OPTIMALITY_GAP) * (1 + 1e-9);
  // A search stopped by the deadline whose bound already closes the gap is optimal all the same.
  const status = failedNodes === 0 && gapOk ? 'optimal' : interrupted ? 'time_limit' : 'incomplete';
  return {
    status,
    receiver: found.r,
    association: found.association,
    best: found.sol,
    upperBound: upper,
    lowerBound: lower,
    ...common,
  };
}

/** Share of the time limit the search may use before it has an incumbent (see search). */
const SEARCH_SHARE = 0.8;

/**
 * A lower bound on the power of every design with receiver r that needs no solve: user k's
 * SINR (9) needs |h_{s,k}^H w_k|^2 >= Gamma_k sigma_k^2 from its serving BS s != r, and
 * |h^H w|^2 <= ||h||^2 ||w||^2, so ||w_k||^2 >= Gamma_k sigma_k^2 / max_{s != r} ||h_{s,k}||^2;
 * the sum over the users (sensing power and interference only add to it). The root bound
 * of a receiver whose relaxation did not finish.
 */
export function powerFloor(data: DesignData, r: number): number {
  let floor = 0;
  for (let k = 0; k < data.K; k++) {
    let best = 0;
    for (let s = 0; s < data.S; s++) {
      if (s === r) continue;
      best = Math.max(best, channelGain(data, s, k));
    }
    floor += (data.gamma[k]! * data.sigma2[k]!) / best;
  }
  return floor;
}

/** The undecided user whose relaxed service is most split (smallest largest share). */
function branchingUser(node: Node): number {
  let best = -1;
  let bestScore = Infinity;
  node.candidates.forEach((c, k) => {
    if (c.length < 2) return;
    const score = node.shares ? Math.max(...node.shares[k]!) : 1;
    if (score < bestScore) {
      bestScore = score;
      best = k;
    }
  });
  return best;
}

/** Every user to the BS (other than r) with the strongest channel ||h_{s,k}||. */
function strongestAssociation(data: DesignData, r: number): number[] {
  return Array.from({ length: data.K }, (_, k) => {
    let best = -1;
    let bestGain = -1;
    for (let s = 0; s < data.S; s++) {
      if (s === r) continue;
      const g = channelGain(data, s, k);
      if (g > bestGain) {
        bestGain = g;
        best = s;
      }
    }
    return best;
  });
}

function argmax(v: number[]): number {
  let bi = 0;
  for (let i = 1; i < v.length; i++) if (v[i]! > v[bi]!) bi = i;
  return bi;
}
