/**
 * The association relaxation of a node (receiver r, candidate BSs per user): every
 * candidate may serve its user at once, one W~_{s,k} per candidate. Its optimum is a
 * lower bound on every association inside the node (used by `exact`), and its power
 * shares are a natural starting point for Algorithm 1.
 *
 * Solved by an active set over the W~ blocks (active-set.ts): each user starts with its
 * few strongest candidates; after each solve the left-out blocks are priced with the dual
 * (smallest eigenvalue of their dual slack), the ones that would lower the objective are
 * added, and the rest are paid for in the bound with their power budget, so the returned
 * bound is valid for the full relaxation whatever the active set.
 */
import type { DesignData } from './data.ts';
import { buildFormulation, readW, type Formulation } from './formulation.ts';
import { runSdp, untilDeadline, type SdpOutcome } from './sdp.ts';
import { traceOf } from './recover.ts';
import type { BlockRef } from './conic-builder.ts';
import { dualSlackMin, keepCones } from './active-set.ts';

export type RelaxationResult =
  | { status: 'infeasible' }
  | { status: 'failed'; message?: string }
  /** bound: certified lower bound (W), -Infinity when none could be certified. */
  | { status: 'optimal'; bound: number; shares: number[][]; rounds: number; activeBlocks: number; totalBlocks: number };

export interface RelaxationOptions {
  /** Stop the solver at this performance.now() time (ms). */
  deadline?: number;
  /** Candidates per user in the first active set (strongest channels first); Infinity = all. Default 2. */
  initialCandidates?: number;
}

/** A left-out block counts as violated when its price exceeds this fraction of the bound. */
const PRICE_TOL = 1e-8;
const MAX_ROUNDS = 8;

/** The BS indices 0..S-1 except `r`. */
export function othersThan(S: number, r: number): number[] {
  const out: number[] = [];
  for (let s = 0; s < S; s++) if (s !== r) out.push(s);
  return out;
}

interface Pair {
  s: number;
  k: number;
  block: BlockRef;
  /** Upper bound on tr of the block's variable (in its unit): the power budget P / u_k. */
  tau: number;
}

/**
 * The convex relaxation with receiver `r` and the given candidate serving BSs per user: a lower
 * bound on every design in that set, and the relaxed association shares.
 */
export function solveRelaxation(
  data: DesignData,
  r: number,
  candidates: number[][],
  deadline?: number,
  opts: RelaxationOptions = {},
): RelaxationResult {
  const others = othersThan(data.S, r);
  const f = buildFormulation(data, {
    receivers: [{ r, weight: 1, transmitters: others }],
    sensingTx: others,
    candidates,
  });
  const pairs: Pair[] = [];
  candidates.forEach((cands, k) => {
    for (const s of cands) pairs.push({ s, k, block: f.W.get(`${s},${k}`)!, tau: data.P / f.userUnit[k] });
  });
  const active = new Uint8Array(f.problem.cones.length).fill(1);
  for (const p of pairs) active[p.block.cone] = 0;
  initialActive(data, candidates, opts.initialCandidates ?? 2, f).forEach((cone) => (active[cone] = 1));

  for (let round = 1; ; round++) {
    const left = pairs.filter((p) => !active[p.block.cone]);
    const sub = left.length > 0 ? keepCones(f.problem, active) : undefined;
    const sdp = runSdp(sub ? sub.problem : f.problem, untilDeadline(deadline ?? opts.deadline));
    if (sdp.status === 'infeasible' && left.length > 0 && round < MAX_ROUNDS) {
      // Infeasible without the left-out candidates proves nothing for the node: take them all.
      for (const p of left) active[p.block.cone] = 1;
      continue;
    }
    if (sdp.status === 'infeasible') return { status: 'infeasible' };
    if (sdp.status !== 'optimal') return { status: 'failed', message: sdp.message };
    const x = sub ? sub.expand(sdp.x) : sdp.x;
    const priced = priceLeftOut(f, sdp, left);
    if (priced.violated.length > 0 && round < MAX_ROUNDS) {
      for (const p of priced.violated) active[p.block.cone] = 1;
      continue;
    }
    // (Out of rounds with violations left, the correction still makes the bound valid, just weaker.)
    // Only a certified bound (conic/certify.ts) may prune a branch; the left-out blocks' prices are added to it.
    const bound = Number.isFinite(sdp.lowerBound) ? Math.min(sdp.lowerBound + priced.correction, sdp.primalObjective) * f.objectiveUnit : -Infinity;
    return {
      status: 'optimal',
      bound,
      shares: powerShares(f, x, candidates, data.N),
      rounds: round,
      activeBlocks: pairs.length - left.length,
      totalBlocks: pairs.length,
    };
  }
}

/** Cones of each user's `m` strongest candidates (by ||h_{s,k}||). */
function initialActive(data: DesignData, candidates: number[][], m: number, f: Formulation): number[] {
  const out: number[] = [];
  candidates.forEach((cands, k) => {
    const gain = (s: number): number => {
      const h = data.channel(s, k);
      let g = 0;
      for (let i = 0; i < h.length; i++) g += h[i] * h[i];
      return g;
    };
    const ranked = [...cands].sort((a, b) => gain(b) - gain(a));
    for (const s of ranked.slice(0, Math.max(1, m))) out.push(f.W.get(`${s},${k}`)!.cone);
  });
  return out;
}

/**
 * Prices the left-out blocks with the solve's dual: the violated ones (worth adding) and
 * the bound correction sum tau min(0, lambda_min(Z)) that keeps the bound valid.
 */
function priceLeftOut(f: Formulation, sdp: SdpOutcome, left: Pair[]): { violated: Pair[]; correction: number } {
  if (left.length === 0) return { violated: [], correction: 0 };
  // The dual y belongs to the restricted problem, whose rows are the full problem's.
  const lmin = dualSlackMin(f.problem, sdp.y, left.map((p) => p.block));
  const scale = Math.max(Math.abs(sdp.dualObjective), 1e-300);
  const violated: Pair[] = [];
  let correction = 0;
  left.forEach((p, i) => {
    const price = p.tau * Math.min(0, lmin[i]);
    correction += price;
    if (price < -PRICE_TOL * scale) violated.push(p);
  });
  return { violated, correction };
}

/** Transmit power tr(W~_{s,k}) of each candidate, normalised per user. */
function powerShares(f: Formulation, x: Float64Array, candidates: number[][], N: number): number[][] {
  return candidates.map((cands, k) => {
    const p = cands.map((s) => Math.max(traceOf(readW(f, x, s, k), N), 0));
    const total = p.reduce((a, b) => a + b, 0);
    return total > 0 ? p.map((v) => v / total) : p.map(() => 1 / p.length);
  });
}
