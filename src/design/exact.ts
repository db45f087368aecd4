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
 */
import type { DesignData } from './data.ts';
import { othersThan, solveRelaxation } from './relaxation.ts';
import { OPTIMALITY_GAP, relativeGap, solveFixed, type FixedSolution } from './fixed.ts';

export interface ExactOptions {
  timeLimit?: number;
  /** Restrict the search to these receiving BSs (default: all). */
  receivers?: number[];
  /** Relative optimality gap at which a node is pruned (the reported gap is at most this). Default 1e-6. */
  relGap?: number;
  shouldStop?: () => boolean;
  onProgress?: (fraction: number, message: string) => void;
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

interface Node {
  r: number;
  candidates: number[][];
  bound: number;
  /** Power share of each candidate in the relaxation, [k][index in candidates[k]]. */
  shares?: number[][];
}

type NodeOutcome = { kind: 'infeasible' } | { kind: 'failed' } | { kind: 'bounded'; node: Node };

/**
 * The global optimum of problem (8): branch and bound over the receiving BS and the association
 * with convex-relaxation lower bounds; returns the best design, the proven bound and the search
 * statistics.
 */
export function solveExact(data: DesignData, opts: ExactOptions = {}): ExactResult {
  const start = performance.now();
  const elapsed = (): number => (performance.now() - start) / 1000;
  const timeLimit = opts.timeLimit ?? Infinity;
  const deadline = start + timeLimit * 1000;
  const outOfTime = (): boolean => performance.now() >= deadline || (opts.shouldStop?.() ?? false);
  const relGap = opts.relGap ?? 1e-6;
  const { S, K } = data;

  let upper = Infinity;
  let best: { r: number; association: number[]; sol: FixedSolution } | undefined;
  const fixedCache = new Map<string, FixedSolution>();
  let nodes = 0;
  let leaves = 0;
  let failedNodes = 0;
  /** Lower bound of everything pruned by bound or closed (the final LB takes their min). */
  let closedBound = Infinity;

  const tryFixed = (r: number, association: number[]): FixedSolution => {
    const key = `${r}|${association.join(',')}`;
    let sol = fixedCache.get(key);
    if (!sol) {
      sol = solveFixed(data, r, association, { deadline });
      if (sol.status === 'failed' && outOfTime()) return sol; // not cached: it did not finish
      fixedCache.set(key, sol);
      if (sol.status === 'optimal' && sol.objective! < upper) {
        upper = sol.objective!;
        best = { r, association: association.slice(), sol };
      }
    }
    return sol;
  };

  const evaluateNode = (r: number, candidates: number[][], parentBound: number): NodeOutcome => {
    nodes++;
    if (candidates.every((c) => c.length === 1)) {
      leaves++;
      const sol = tryFixed(r, candidates.map((c) => c[0]));
      if (sol.status === 'infeasible') return { kind: 'infeasible' };
      if (sol.status !== 'optimal') return { kind: 'failed' };
      // without a certified bound a leaf only bounds itself by -Infinity (it then stays open)
      return { kind: 'bounded', node: { r, candidates, bound: Math.min(sol.bound ?? -Infinity, sol.objective!) } };
    }
    const rel = solveRelaxation(data, r, candidates, deadline);
    if (rel.status === 'infeasible') return { kind: 'infeasible' };
    if (rel.status !== 'optimal') {
      failedNodes++;
      return { kind: 'bounded', node: { r, candidates, bound: parentBound } };
    }
    const bound = Math.max(parentBound, rel.bound);
    return { kind: 'bounded', node: { r, candidates, bound, shares: rel.shares } };
  };

  const open: Node[] = [];
  let anyFeasibleRoot = false;
  let interrupted = false;
  const receivers = opts.receivers ?? Array.from({ length: S }, (_, r) => r);
  let unexplored = 0;
  for (const r of receivers) {
    if (outOfTime()) {
      interrupted = true;
      unexplored++;
      continue;
    }
    const others = othersThan(S, r);
    const out = evaluateNode(r, Array.from({ length: K }, () => others.slice()), 0);
    if (out.kind === 'failed' && outOfTime()) {
      interrupted = true;
      unexplored++;
      continue;
    }
    if (out.kind === 'infeasible') continue;
    anyFeasibleRoot = true;
    if (out.kind === 'failed') failedNodes++;
    if (out.kind === 'bounded') open.push(out.node);
  }

  while (open.length > 0 && !interrupted) {
    if (outOfTime()) {
      interrupted = true;
      break;
    }
    // Best-first: the node with the smallest bound.
    let bi = 0;
    for (let i = 1; i < open.length; i++) if (open[i].bound < open[bi].bound) bi = i;
    const node = open.splice(bi, 1)[0];
    if (node.bound >= upper * (1 - relGap)) {
      closedBound = Math.min(closedBound, node.bound);
      continue;
    }
    if (node.candidates.every((c) => c.length === 1)) {
      // A leaf whose fixed solve failed numerically: it stays unresolved.
      closedBound = Math.min(closedBound, node.bound);
      continue;
    }
    // Incumbent from rounding the node to be expanded (nodes are expanded in bound order, so
    // this rounds the most promising relaxations first): every user to its strongest candidate.
    if (node.shares) {
      tryFixed(node.r, node.candidates.map((c, k) => c[argmax(node.shares![k])]));
      if (node.bound >= upper * (1 - relGap)) {
        closedBound = Math.min(closedBound, node.bound);
        continue;
      }
    }
    const k = branchingUser(node);
    opts.onProgress?.(0, `exact: ${nodes} nodes, bound ${node.bound.toExponential(4)} W, best ${upper.toExponential(4)} W`);
    // Binary branching: user k served by its strongest relaxed candidate s*, or by another.
    const cands = node.candidates[k];
    const sStar = node.shares ? cands[argmax(node.shares[k])] : cands[0];
    const splits = [[sStar], cands.filter((s) => s !== sStar)];
    for (const split of splits) {
      const child = node.candidates.map((c, kk) => (kk === k ? split : c));
      const out = evaluateNode(node.r, child, node.bound);
      if (out.kind === 'bounded') {
        if (out.node.bound >= upper * (1 - relGap)) closedBound = Math.min(closedBound, out.node.bound);
        else open.push(out.node);
      } else if (out.kind === 'failed') {
        failedNodes++;
        closedBound = Math.min(closedBound, node.bound);
      }
    }
  }

  // Stopped before any incumbent: round the best relaxation seen (or, with none, give every
  // user its strongest channel) once more without the deadline, so that a stopped search still
  // returns a design when one is easy to find. This may overrun the limit by one subproblem.
  if (!best && interrupted) {
    const seed = open.filter((n) => n.shares).sort((x, y) => x.bound - y.bound)[0];
    const r = seed ? seed.r : receivers[0];
    const association = seed ? seed.candidates.map((c, k) => c[argmax(seed.shares![k])]) : strongestAssociation(data, r);
    const sol = solveFixed(data, r, association);
    fixedCache.set(`${r}|${association.join(',')}`, sol);
    if (sol.status === 'optimal') {
      upper = sol.objective!;
      best = { r, association, sol };
    }
  }

  let lower = Math.min(closedBound, upper);
  for (const n of open) lower = Math.min(lower, n.bound);
  // A receiver whose root relaxation was never solved is bounded only by 0.
  if (unexplored > 0) lower = 0;
  const seconds = elapsed();
  const common = { nodes, leaves, fixedSolves: fixedCache.size, failedNodes, seconds };
  if (!anyFeasibleRoot && failedNodes === 0 && !interrupted) {
    return { status: 'infeasible', upperBound: Infinity, lowerBound: Infinity, ...common };
  }
  if (!best) {
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
  const status = interrupted ? 'time_limit' : failedNodes > 0 || !gapOk ? 'incomplete' : 'optimal';
  return {
    status,
    receiver: best.r,
    association: best.association,
    best: best.sol,
    upperBound: upper,
    lowerBound: lower,
    ...common,
  };
}

/** The undecided user whose relaxed service is most split (smallest largest share). */
function branchingUser(node: Node): number {
  let best = -1;
  let bestScore = Infinity;
  node.candidates.forEach((c, k) => {
    if (c.length < 2) return;
    const score = node.shares ? Math.max(...node.shares[k]) : 1;
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
      const h = data.channel(s, k);
      let g = 0;
      for (let i = 0; i < h.length; i++) g += h[i] * h[i];
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
  for (let i = 1; i < v.length; i++) if (v[i] > v[bi]) bi = i;
  return bi;
}
