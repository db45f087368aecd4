/**
 * The branch and bound of `exact` (exact.ts explains the method) as a generator that hands
 * out batches of independent subproblems and receives their results, so that the same search
 * runs one task after the other or on worker threads. The search's state (incumbent, open
 * nodes, closed bound, counters) is one object; each phase is one method: the root
 * relaxations, the expansion of one node, the rounding of a stopped search, the result.
 */
import { channelGain, type DesignData } from './data.ts';
import { othersThan, type RelaxationResult } from './relaxation.ts';
import { OPTIMALITY_GAP, relativeGap, type FixedSolution } from './fixed.ts';
import type { ExactOptions, ExactResult, ExactTask, ExactTaskResult } from './exact.ts';

interface Node {
  r: number;
  candidates: number[][];
  bound: number;
  /** Power share of each candidate in the relaxation, [k][index in candidates[k]]. */
  shares?: number[][];
}

type NodeOutcome = { kind: 'infeasible' } | { kind: 'failed' } | { kind: 'bounded'; node: Node };

/** What a node's evaluation asks for: its relaxation, or `fixed` at one association. */
type Item = { r: number; candidates: number[][] } | { r: number; association: number[] };

type Incumbent = { r: number; association: number[]; sol: FixedSolution };

export type Batch = Generator<ExactTask[], ExactResult, ExactTaskResult[]>;
type SubBatch<T> = Generator<ExactTask[], T, ExactTaskResult[]>;

/** Share of the time limit the search may use before it has an incumbent (see `deadlineNow`). */
const SEARCH_SHARE = 0.8;

/** The search: roots, best-first expansion, a last rounding when stopped without a design. */
export function* search(data: DesignData, opts: ExactOptions): Batch {
  const s = new Search(data, opts);
  yield* s.solveRoots();
  while (s.open.length > 0 && !s.interrupted) {
    if (s.outOfTime()) {
      s.interrupted = true;
      break;
    }
    yield* s.expand(s.takeLowest());
  }
  yield* s.roundWhenStopped();
  return s.result();
}

class Search {
  private readonly start = performance.now();
  private readonly hardDeadline: number;
  /**
   * Until an incumbent exists the search stops earlier, so that the rounding after it
   * (roundWhenStopped) still has time to find a design before the hard deadline.
   */
  private readonly searchDeadline: number;
  private readonly relGap: number;
  /** A node's rounding is solved with its children (more than one thread), not before them. */
  private readonly together: boolean;
  private readonly receivers: number[];

  private upper = Infinity;
  private best: Incumbent | undefined;
  private readonly fixedCache = new Map<string, FixedSolution>();
  private nodes = 0;
  private leaves = 0;
  private failedNodes = 0;
  /** Lower bound of everything pruned by bound or closed (the final bound takes their min). */
  private closedBound = Infinity;
  readonly open: Node[] = [];
  private anyFeasibleRoot = false;
  interrupted = false;
  /** Receivers whose root relaxation the deadline left unsolved. */
  private unexplored = 0;

  constructor(
    private readonly data: DesignData,
    private readonly opts: ExactOptions,
  ) {
    const timeLimit = opts.timeLimit ?? Infinity;
    this.hardDeadline = this.start + timeLimit * 1000;
    this.searchDeadline = this.start + SEARCH_SHARE * timeLimit * 1000;
    this.relGap = opts.relGap ?? 1e-6;
    this.together = (opts.parallel ?? 1) > 1;
    // A receiver whose users' power floor alone exceeds what the other BSs may transmit has no
    // design: left out without a solve (its relaxation's certificate can fail where this cannot).
    this.receivers = (opts.receivers ?? Array.from({ length: data.S }, (_, r) => r)).filter((r) => !beyondBudget(data, r));
  }

  private deadlineNow(): number {
    return this.best ? this.hardDeadline : this.searchDeadline;
  }

  outOfTime(): boolean {
    return performance.now() >= this.deadlineNow() || (this.opts.shouldStop?.() ?? false);
  }

  private limitNow(): number | undefined {
    const d = this.deadlineNow();
    return Number.isFinite(d) ? d : undefined;
  }

  private pruned(bound: number): boolean {
    return bound >= this.upper * (1 - this.relGap);
  }

  /** Closes a node (pruned, or its subtree given up): its bound still bounds the result. */
  private close(bound: number): void {
    this.closedBound = Math.min(this.closedBound, bound);
  }

  /** Removes and returns the open node with the lowest bound (best first). */
  takeLowest(): Node {
    const { open } = this;
    let bi = 0;
    for (let i = 1; i < open.length; i++) if (open[i]!.bound < open[bi]!.bound) bi = i;
    return open.splice(bi, 1)[0]!;
  }

  /** Keeps a solved `fixed` (unless it was cut by the deadline) and updates the incumbent. */
  private recordFixed(r: number, association: number[], sol: FixedSolution): void {
    if (sol.status === 'failed' && this.outOfTime()) return; // not cached: it did not finish
    this.fixedCache.set(fixedKey(r, association), sol);
    if (sol.status === 'optimal' && sol.objective! < this.upper) {
      this.upper = sol.objective!;
      this.best = { r, association: association.slice(), sol };
    }
  }

  /**
   * Solves a batch of node evaluations (relaxations, or `fixed` for leaves) and roundings;
   * cached `fixed` solves are answered without a task.
   */
  private *solveBatch(items: Item[]): SubBatch<ExactTaskResult[]> {
    const tasks: ExactTask[] = [];
    const slot: number[] = [];
    const out: (ExactTaskResult | undefined)[] = items.map(() => undefined);
    const pending = new Map<string, number>();
    items.forEach((it, i) => {
      const association = 'association' in it ? it.association : it.candidates.every((c) => c.length === 1) ? it.candidates.map((c) => c[0]!) : undefined;
      if (association) {
        const key = fixedKey(it.r, association);
        const hit = this.fixedCache.get(key);
        if (hit) return void (out[i] = hit);
        if (pending.has(key)) return void (slot[i] = pending.get(key)!);
        pending.set(key, tasks.length);
        slot[i] = tasks.length;
        tasks.push({ kind: 'fixed', r: it.r, association, deadline: this.limitNow() });
      } else if ('candidates' in it) {
        slot[i] = tasks.length;
        // With an incumbent, the node only needs to know whether its bound prunes it.
        const target = Number.isFinite(this.upper) ? this.upper * (1 - this.relGap) : undefined;
        tasks.push({ kind: 'relaxation', r: it.r, candidates: it.candidates, deadline: this.limitNow(), target });
      }
    });
    this.shareTime(tasks);
    const results = tasks.length > 0 ? yield tasks : [];
    tasks.forEach((t, j) => {
      if (t.kind === 'fixed') this.recordFixed(t.r, t.association, results[j] as FixedSolution);
    });
    return items.map((_, i) => out[i] ?? results[slot[i]!]!);
  }

  /**
   * Every task gets its share of the time left (with more tasks than threads, the last ones
   * would otherwise start when the first ones have used it all).
   */
  private shareTime(tasks: ExactTask[]): void {
    const left = (this.limitNow() ?? Infinity) - performance.now();
    const threads = Math.max(1, this.opts.parallel ?? 1);
    if (Number.isFinite(left) && tasks.length > threads) for (const t of tasks) t.budget = left / Math.ceil(tasks.length / threads);
  }

  /** A node's evaluation read as infeasible, failed, or bounded (an open node with its bound). */
  private outcomeOf(r: number, candidates: number[][], parentBound: number, res: ExactTaskResult): NodeOutcome {
    this.nodes++;
    if (candidates.every((c) => c.length === 1)) {
      this.leaves++;
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
      this.failedNodes++;
      return { kind: 'bounded', node: { r, candidates, bound: parentBound } };
    }
    return { kind: 'bounded', node: { r, candidates, bound: Math.max(parentBound, rel.bound), shares: rel.shares } };
  }

  /** One relaxation per receiver, all in one batch; their nodes open the search. */
  *solveRoots(): SubBatch<void> {
    const { data, receivers } = this;
    const roots = this.outOfTime() ? [] : receivers.map((r) => ({ r, candidates: Array.from({ length: data.K }, () => othersThan(data.S, r)) }));
    if (roots.length < receivers.length) {
      this.interrupted = true;
      this.unexplored += receivers.length - roots.length;
    }
    this.opts.onProgress?.(0, `exact: ${roots.length} root relaxations`);
    const results = yield* this.solveBatch(roots);
    roots.forEach((root, i) => {
      const floor = powerFloor(data, root.r);
      const out = this.outcomeOf(root.r, root.candidates, floor, results[i]!);
      if (out.kind === 'failed' && this.outOfTime()) {
        this.interrupted = true;
        this.unexplored++;
        return;
      }
      if (out.kind === 'infeasible') return;
      this.anyFeasibleRoot = true;
      if (out.kind === 'failed') {
        // its receiver's subtree stays unsearched: only the power floor bounds it (as for a
        // root the deadline left unsolved), or the bound would leave that receiver out
        this.failedNodes++;
        this.close(floor);
      }
      if (out.kind === 'bounded') this.open.push(out.node);
    });
  }

  /**
   * Expands one node: its rounding (an incumbent; nodes come in bound order, so the most
   * promising relaxations are rounded first: every user to its strongest candidate), then its
   * two children. Binary branching: the most split user k served by its strongest relaxed
   * candidate s*, or by one of the others.
   */
  *expand(node: Node): SubBatch<void> {
    if (this.pruned(node.bound) || node.candidates.every((c) => c.length === 1)) {
      // Pruned, or a leaf whose fixed solve failed numerically (it stays unresolved).
      this.close(node.bound);
      return;
    }
    const shares = node.shares;
    const rounding = shares ? { r: node.r, association: node.candidates.map((c, k) => c[argmax(shares[k]!)]!) } : undefined;
    const k = branchingUser(node);
    const cands = node.candidates[k]!;
    const sStar = shares ? cands[argmax(shares[k]!)]! : cands[0]!;
    const children = [[sStar], cands.filter((s) => s !== sStar)].map((split) => ({
      r: node.r,
      candidates: node.candidates.map((c, kk) => (kk === k ? split : c)),
    }));
    this.opts.onProgress?.(0, `exact: ${this.nodes} nodes, bound ${node.bound.toExponential(4)} W, best ${this.upper.toExponential(4)} W`);
    let childResults: ExactTaskResult[] | undefined;
    if (rounding && this.together) childResults = (yield* this.solveBatch([rounding, ...children])).slice(1);
    else if (rounding) yield* this.solveBatch([rounding]);
    if (this.pruned(node.bound)) {
      this.close(node.bound);
      return;
    }
    childResults ??= yield* this.solveBatch(children);
    children.forEach((child, i) => {
      const out = this.outcomeOf(child.r, child.candidates, node.bound, childResults![i]!);
      if (out.kind === 'bounded') {
        if (this.pruned(out.node.bound)) this.close(out.node.bound);
        else this.open.push(out.node);
      } else if (out.kind === 'failed') {
        this.failedNodes++;
        this.close(node.bound);
      }
    });
  }

  /**
   * Stopped before any incumbent: rounds the best relaxation seen (or, with none, gives every
   * user its strongest channel at the receiver with the lowest bound) once more, in the time
   * the search left before the hard deadline, so that a stopped search still returns a design
   * when one is easy to find.
   */
  *roundWhenStopped(): SubBatch<void> {
    const { opts, open } = this;
    if (this.best || !this.interrupted || (opts.shouldStop?.() ?? false) || performance.now() >= this.hardDeadline) return;
    const seed = open.filter((n) => n.shares).sort((x, y) => x.bound - y.bound)[0];
    const lowest = open.slice().sort((x, y) => x.bound - y.bound)[0];
    const r = seed ? seed.r : (lowest?.r ?? this.receivers[0]!);
    const association = seed ? seed.candidates.map((c, k) => c[argmax(seed.shares![k]!)]!) : strongestAssociation(this.data, r);
    opts.onProgress?.(0, `exact: stopped without a design, rounding at receiver BS${r + 1}`);
    const deadline = Number.isFinite(this.hardDeadline) ? this.hardDeadline : undefined;
    const sol = ((yield [{ kind: 'fixed', r, association, deadline }]) as FixedSolution[])[0]!;
    this.fixedCache.set(fixedKey(r, association), sol);
    if (sol.status === 'optimal') {
      this.upper = sol.objective!;
      this.best = { r, association, sol };
    }
  }

  /** The lower bound of everything not proven infeasible: closed and open nodes, unsolved receivers. */
  private lowerBound(): number {
    let lower = Math.min(this.closedBound, this.upper);
    for (const n of this.open) lower = Math.min(lower, n.bound);
    // A receiver whose root relaxation was never solved is bounded only by its power floor.
    if (this.unexplored > 0) for (const r of this.receivers) if (!this.open.some((n) => n.r === r)) lower = Math.min(lower, powerFloor(this.data, r));
    return lower;
  }

  result(): ExactResult {
    const { interrupted, failedNodes, upper } = this;
    const lower = this.lowerBound();
    const seconds = (performance.now() - this.start) / 1000;
    const common = { nodes: this.nodes, leaves: this.leaves, fixedSolves: this.fixedCache.size, failedNodes, seconds };
    if (!this.anyFeasibleRoot && failedNodes === 0 && !interrupted) {
      return { status: 'infeasible', upperBound: Infinity, lowerBound: Infinity, ...common };
    }
    const found = this.best;
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
    const gapOk = relativeGap(upper, lower) <= Math.max(this.relGap, OPTIMALITY_GAP) * (1 + 1e-9);
    // A search stopped by the deadline whose bound already closes the gap is optimal all the same.
    const status = failedNodes === 0 && gapOk ? 'optimal' : interrupted ? 'time_limit' : 'incomplete';
    return { status, receiver: found.r, association: found.association, best: found.sol, upperBound: upper, lowerBound: lower, ...common };
  }
}

function fixedKey(r: number, association: number[]): string {
  return `${r}|${association.join(',')}`;
}

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

/**
 * Whether receiver r is infeasible by its power floor alone: every design with receiver r
 * transmits at least powerFloor(data, r) in total, and the S - 1 transmitting BSs at most
 * (S - 1) P. The relative margin 1e-9 is far above the floor's rounding (a sum of K positive
 * quotients, relative error below K eps), so a receiver at the limit is kept and solved. Extreme
 * campaign scenario 57121: receiver 3's floor is 0.684 W against 6 x 0.0665 W, while its
 * relaxation ended `failed` (its Farkas ray did not hold on the data).
 */
function beyondBudget(data: DesignData, r: number): boolean {
  return powerFloor(data, r) > (data.S - 1) * data.P * (1 + 1e-9);
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
