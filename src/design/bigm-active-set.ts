/**
 * Algorithm 1's subproblem (23) solved by an active set over its W~_{s,k} blocks, so that
 * the SDP carries the few blocks that serve a user instead of one per (transmitter, user).
 *
 * Why the answer is (23)'s. A left-out pair keeps its association variable a_{s,k} and all
 * of its rows (formulation.ts, NodeSpec.blocks), so the restricted SDP is (23) with
 * W~_{s,k} = 0, and its solution is feasible for (23). It is optimal for (23) when the dual
 * slack Z_{s,k} = c - A^T y of every left-out block is positive semidefinite: then (x, y)
 * with the left-out blocks at zero satisfies the optimality conditions of the full SDP
 * (primal and dual feasible, <Z_{s,k}, 0> = 0). Each left-out block is priced by the
 * smallest eigenvalue of that slack (priceUserBlocks, from the rows' matrices); blocks that
 * could lower the objective by more than the solver's own tolerance are added and the SDP
 * solved again. So each solve of (23) has the optimum of (23) with every block, to the
 * solver's tolerance (test/design/bigm-active-set.test.ts).
 *
 * Infeasible the same way. When the restricted SDP is infeasible, its certified Farkas ray y
 * (b^T y > 0, -A^T y in the cone of the blocks it has) proves (23) infeasible as well when
 * -A^T y is also positive semidefinite on every left-out block: for any feasible point of
 * (23), b^T y = -sum <-A^T y, x_block> <= 0, a contradiction. Blocks where it is not (priced by
 * blocksRayFails, with a margin for its rounding) are added and the SDP solved
 * again. Before, every left-out block was added at once: Scheme 3 on the 19-BS hexagon (K = 60,
 * N = 16), infeasible, took all 1080 blocks (16.6M non-zeros, 209 s and 4.4 GB) to say so;
 * with the ray, two SDPs and 4.4 s.
 *
 * Only for large subproblems (MIN_BLOCKS). Algorithm 1 from the neutral start amplifies the
 * solver's tolerance: the first (23) leaves a degenerate (every a_{s,k} costs the same), and
 * which point of that face the interior-point method ends at decides, through the penalty's
 * linearisation (1 - 2 a^(t)), where the next a goes. Solving the same full (23) to a gap of
 * 1e-10 instead of 1e-8 already moves later iterates of a by up to 0.57 on 3 of 10 paper
 * drops; the active set (a different SDP with the same optimum) changed the final design on
 * 5 of 10 (docs/benchmarks.md). At the paper's scale (S = 4, K = 5: 15 blocks of order 8)
 * the full SDP is cheap, so it is kept there and Algorithm 1's paper results do not move.
 *
 * Unlike the relaxation's active set (relaxation.ts) no bound is needed here, only the
 * solution, so no price is paid into an objective.
 */
import type { DesignData } from './data.ts';
import { buildFormulation, type Formulation, type NodeSpec } from './formulation.ts';
import { priceUserBlocks } from './block-pricing.ts';
import { BlockActiveSet, byGain, MAX_ROUNDS } from './block-active-set.ts';
import { runSdp, type SdpOutcome } from './sdp.ts';

export interface ActiveSetSolve {
  f: Formulation;
  sdp: SdpOutcome;
  /** Solves (rounds of the active set). */
  rounds: number;
  /** W~ blocks in the last SDP, and in (23) with every block. */
  activeBlocks: number;
  totalBlocks: number;
  /**
   * The last SDP, with blocks left out, is infeasible and its Farkas ray also holds on every
   * left-out block (blocksRayFails): (23) with every block is infeasible.
   */
  rayProvesAll?: boolean;
}

/**
 * A left-out block is added when W watts in it would lower the (scaled) objective by more
 * than this fraction of the objective's size: W the BS's budget P, the most a block can carry.
 */
const PRICE_TOL = 1e-9;
/** (23) with fewer W~ blocks than this is solved whole (see the module comment). */
export const MIN_BLOCKS = 40;

/**
 * Solves the big-M SDP of `spec` (every candidate of `spec.candidates` may carry a block)
 * starting from the blocks of `initial` (per user, a subset of its candidates).
 * Returns the last SDP with its formulation; its status is the SDP's status. Its lower bound
 * is not certified (`certifyBound` false): Algorithm 1 uses the point and the dual y alone,
 * and certifying the bound was 15 % of `proposed` on the 19-BS city network.
 */
export function solveBigMByActiveSet(data: DesignData, spec: NodeSpec, initial: number[][]): ActiveSetSolve {
  const set = new BlockActiveSet(spec.candidates, initial);
  for (let round = 1; ; round++) {
    const blocks = set.blocks();
    const left = set.left();
    const f = buildFormulation(data, left.length > 0 ? { ...spec, blocks } : spec);
    const sdp = runSdp(f.problem, { certifyBound: false });
    const done = (): ActiveSetSolve => ({ f, sdp, rounds: round, activeBlocks: set.total - left.length, totalBlocks: set.total });
    if (left.length === 0) return done();
    if (sdp.status === 'infeasible') {
      // Proven for (23) when the Farkas ray holds on every left-out block too (see the module
      // comment); otherwise the blocks it fails on are added and (23) solved again.
      if (set.provenInfeasible(f, data, sdp.y, left, round)) return { ...done(), rayProvesAll: true };
      continue;
    }
    if (sdp.status === 'failed' && round < MAX_ROUNDS) {
      // Without some blocks (23) may be harder: take them all.
      set.add(left);
      continue;
    }
    if (sdp.status !== 'optimal') return done();
    const lmin = priceUserBlocks(f, data, sdp.y, left);
    const tol = PRICE_TOL * Math.max(1, Math.abs(sdp.dualObjective));
    const worth = left.filter(({ k }, i) => (data.P / f.userUnit[k]!) * lmin[i]! < -tol);
    if (worth.length === 0) return done();
    set.add(round >= MAX_ROUNDS ? left : worth);
  }
}

/**
 * The first active set of a user: its `strongest` candidates by channel gain ||h_{s,k}||,
 * and every candidate whose block carried power in the previous solve (`previous`, W per
 * pair) above `1e-6` of that solve's largest. Every candidate when (23) has fewer than
 * MIN_BLOCKS blocks.
 */
export function initialBlocks(data: DesignData, candidates: number[][], previous?: (s: number, k: number) => number, strongest = 2): number[][] {
  if (candidates.reduce((acc, c) => acc + c.length, 0) < MIN_BLOCKS) return candidates.map((c) => c.slice());
  let top = 0;
  if (previous) candidates.forEach((cands, k) => cands.forEach((s) => (top = Math.max(top, previous(s, k)))));
  return candidates.map((cands, k) => {
    const ranked = byGain(data, cands, k);
    const keep = new Set(ranked.slice(0, strongest));
    if (previous) for (const s of cands) if (previous(s, k) > 1e-6 * top) keep.add(s);
    return cands.filter((s) => keep.has(s));
  });
}
