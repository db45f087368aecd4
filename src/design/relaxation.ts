/**
 * The association relaxation of a node (receiver r, candidate BSs per user): every
 * candidate may serve its user at once, one W~_{s,k} per candidate. Its optimum is a
 * lower bound on every association inside the node (used by `exact`), and its power
 * shares are a natural starting point for Algorithm 1.
 */
import type { DesignData } from './data.ts';
import { buildFormulation, readW, type Formulation } from './formulation.ts';
import { runSdp, untilDeadline } from './sdp.ts';
import { traceOf } from './recover.ts';

export type RelaxationResult =
  | { status: 'infeasible' }
  | { status: 'failed'; message?: string }
  /** bound: certified lower bound (W), -Infinity when none could be certified. */
  | { status: 'optimal'; bound: number; shares: number[][] };

/** The BS indices 0..S-1 except `r`. */
export function othersThan(S: number, r: number): number[] {
  const out: number[] = [];
  for (let s = 0; s < S; s++) if (s !== r) out.push(s);
  return out;
}

/**
 * The convex relaxation with receiver `r` and the given candidate serving BSs per user: a lower
 * bound on every design in that set, and the relaxed association shares.
 */
export function solveRelaxation(data: DesignData, r: number, candidates: number[][], deadline?: number): RelaxationResult {
  const others = othersThan(data.S, r);
  const f = buildFormulation(data, {
    receivers: [{ r, weight: 1, transmitters: others }],
    sensingTx: others,
    candidates,
  });
  const sdp = runSdp(f.problem, untilDeadline(deadline));
  if (sdp.status === 'infeasible') return { status: 'infeasible' };
  if (sdp.status !== 'optimal') return { status: 'failed', message: sdp.message };
  // Only a certified bound (conic/certify.ts) may prune a branch.
  const bound = Number.isFinite(sdp.lowerBound) ? Math.min(sdp.lowerBound, sdp.primalObjective) * f.objectiveUnit : -Infinity;
  return { status: 'optimal', bound, shares: powerShares(f, sdp.x, candidates, data.N) };
}

/** Transmit power tr(W~_{s,k}) of each candidate, normalised per user. */
function powerShares(f: Formulation, x: Float64Array, candidates: number[][], N: number): number[][] {
  return candidates.map((cands, k) => {
    const p = cands.map((s) => Math.max(traceOf(readW(f, x, s, k), N), 0));
    const total = p.reduce((a, b) => a + b, 0);
    return total > 0 ? p.map((v) => v / total) : p.map(() => 1 / p.length);
  });
}
