/**
 * The association relaxation of a node (receiver r, candidate BSs per user): every
 * candidate may serve its user at once, one W~_{s,k} per candidate. Its optimum is a
 * lower bound on every association inside the node (used by `exact`), and its power
 * shares are a natural starting point for Algorithm 1.
 *
 * Solved by an active set over the W~ blocks: each user starts with its few strongest
 * candidates (the SDP is built with those blocks only); after each solve the left-out
 * blocks are priced with the dual (block-pricing.ts: priceUserBlocks, the smallest eigenvalue
 * of each block's dual slack), the ones that would lower the objective are added, and the
 * rest are paid for in the bound with their power budget (active-set.ts explains why), so
 * the returned bound is valid for the full relaxation whatever the active set. An infeasible
 * restricted SDP proves the node infeasible when its Farkas ray holds on the left-out blocks
 * too (bigm-active-set.ts explains the argument); otherwise the blocks it fails on are added.
 */
import type { DesignData } from './data.ts';
import { buildFormulation, readW, type Formulation, type NodeSpec } from './formulation.ts';
import { blocksRayFails, priceUserBlocks } from './block-pricing.ts';
import { BlockActiveSet, byGain, MAX_ROUNDS, type Pair } from './block-active-set.ts';
import { runSdp, untilDeadline, type SdpOutcome } from './sdp.ts';
import { traceOf } from './recover.ts';
import { bestCappedBound, repairDual } from './stopped-bound.ts';
import { refineDual } from '../conic/certify.ts';

export type RelaxationResult =
  | { status: 'infeasible' }
  | { status: 'failed'; message?: string }
  /** bound: certified lower bound (W), -Infinity when none could be certified. */
  | { status: 'optimal'; bound: number; shares: number[][]; rounds: number; activeBlocks: number; totalBlocks: number }
  /**
   * Stopped at the deadline: the certified bound of the solver's last dual point (W, valid for
   * the full relaxation, usually weaker than its optimum; -Infinity when none), no shares.
   */
  | { status: 'stopped'; bound: number };

export interface RelaxationOptions {
  /** Stop the solver at this performance.now() time (ms). */
  deadline?: number;
  /** Candidates per user in the first active set (strongest channels first); Infinity = all. Default 2. */
  initialCandidates?: number;
  /** The exact subspace restriction (formulation.ts); default true, false only to measure it. */
  subspace?: boolean | undefined;
  /**
   * Only a bound is needed, and only whether it reaches this value (W, e.g. the incumbent of a
   * branch and bound): the solver stops as soon as its dual point certifies `bound >= target`
   * for the full relaxation (left-out blocks priced too), status `stopped` with that bound.
   */
  target?: number | undefined;
  /** Use the early stop only for SDPs with at least this many cones (default 40). */
  earlyStopMinCones?: number | undefined;
}

/** A left-out block counts as violated when its price exceeds this fraction of the bound. */
const PRICE_TOL = 1e-8;
/** SDPs with fewer cones than this are solved to full accuracy even with a target (see below). */
const EARLY_STOP_MIN_CONES = 40;

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
export function solveRelaxation(data: DesignData, r: number, candidates: number[][], deadline?: number, opts: RelaxationOptions = {}): RelaxationResult {
  const others = othersThan(data.S, r);
  const first = Math.max(1, opts.initialCandidates ?? 2);
  const set = new BlockActiveSet(
    candidates,
    candidates.map((cands, k) => byGain(data, cands, k).slice(0, first)),
  );
  for (let round = 1; ; round++) {
    // Each user's candidates in the caller's order (the shares are reported in it).
    const inSdp = set.blocks();
    const left = set.left();
    const spec = { receivers: [{ r, weight: 1, transmitters: others }], sensingTx: others, candidates: inSdp, subspace: opts.subspace };
    const f = buildFormulation(data, spec);
    // Early stop only for large SDPs: on small ones its checks cost more than the iterations
    // they save (paper scale: 6% fewer iterations, 8% more time).
    const large = f.problem.cones.length >= (opts.earlyStopMinCones ?? EARLY_STOP_MIN_CONES);
    const target = large && opts.target !== undefined && Number.isFinite(opts.target) ? opts.target / f.objectiveUnit : undefined;
    const earlyStop = target === undefined ? {} : { earlyStop: { target, bound: (y: Float64Array) => boundFromDual(f, data, y, left, target) } };
    const sdp = runSdp(f.problem, { ...untilDeadline(deadline ?? opts.deadline), ...earlyStop });
    // The certificate proved bound >= target: that is all a pruned node needs.
    if (sdp.solverStatus === 'bound_reached') return { status: 'stopped', bound: opts.target! };
    if (sdp.status === 'infeasible' && left.length > 0) {
      // Infeasible without the left-out candidates proves the node infeasible only when the
      // Farkas ray also holds on their blocks; otherwise the blocks it fails on are added.
      if (set.provenInfeasible(f, data, sdp.y, left, round)) return { status: 'infeasible' };
      continue;
    }
    if (sdp.status === 'infeasible') return { status: 'infeasible' };
    if (sdp.solverStatus === 'time_limit') return { status: 'stopped', bound: stoppedBound(f, data, sdp, left) };
    if (sdp.status !== 'optimal') {
      // SINR and power alone, a relaxation of the node, may still prove it infeasible (infeasibleWithoutCrlb, below)
      if (infeasibleWithoutCrlb(data, spec, deadline ?? opts.deadline, left)) return { status: 'infeasible' };
      return sdp.message === undefined ? { status: 'failed' } : { status: 'failed', message: sdp.message };
    }
    const priced = priceLeftOut(f, data, sdp, left);
    if (priced.violated.length > 0 && round < MAX_ROUNDS) {
      set.add(priced.violated);
      continue;
    }
    // (Out of rounds with violations left, the prices still make the bound valid, just weaker.)
    // Only a certified bound (conic/certify.ts) may prune a branch; the left-out blocks' prices are added to it.
    const bound = Number.isFinite(sdp.lowerBound) ? Math.min(sdp.lowerBound + priced.correction, sdp.primalObjective) * f.objectiveUnit : -Infinity;
    return {
      status: 'optimal',
      bound,
      shares: powerShares(f, sdp.x, candidates, inSdp, data.N),
      rounds: round,
      activeBlocks: set.total - left.length,
      totalBlocks: set.total,
    };
  }
}

/**
 * The bound of a solve stopped at its deadline, from its last dual point (stopped-bound.ts:
 * valid for the full relaxation, with the W~ and R~ blocks sized by their BS's budget P),
 * plus the left-out blocks' prices with the same sizes. -Infinity when not certified.
 */
function stoppedBound(f: Formulation, data: DesignData, sdp: SdpOutcome, left: Pair[]): number {
  // The solver's y, and y moved so that c - A^T y is near its interior z (smaller deficits).
  const ys = sdp.z.length === f.problem.c.length ? [sdp.y, refineDual(f.problem, sdp.y, sdp.z)] : [sdp.y];
  return Math.max(...ys.map((y) => boundFromDual(f, data, y, left) * f.objectiveUnit));
}

/**
 * The bound (solver units) that a dual point y of the restricted SDP certifies for the full
 * relaxation (stopped-bound.ts), its cap tried at `cap` too when given.
 */
function boundFromDual(f: Formulation, data: DesignData, y0: Float64Array, left: Pair[], cap?: number): number {
  // Size of a block in its own unit: at most P / u; cost per unit of size: u / objectiveUnit.
  const perUnit = (u: number) => ({ budget: data.P / u, cost: f.pricing.costPerUnit * u });
  const sized = new Map<number, { budget: number; cost: number }>();
  for (const [key, blk] of f.W) sized.set(blk.offset, perUnit(f.userUnit[Number(key.split(',')[1])]!));
  for (const blk of f.R.values()) sized.set(blk.offset, perUnit(f.sensingUnit));
  const rep = repairDual(f.problem, y0, sized);
  if (!rep) return -Infinity;
  const lmin = left.length > 0 ? priceUserBlocks(f, data, rep.y, left) : new Float64Array(0);
  const priced = rep.priced.slice();
  left.forEach((pair, i) => lmin[i]! < 0 && priced.push({ deficit: -lmin[i]!, ...perUnit(f.userUnit[pair.k]!) }));
  return bestCappedBound(rep.by, priced, cap);
}

/**
 * Prices the left-out blocks with the solve's dual: the violated ones (worth adding) and
 * the bound correction sum tau min(0, lambda_min(Z)) that keeps the bound valid, with tau
 * the most tr(W~_{s,k}) can be (in the block's unit) at the full relaxation's optimum: its
 * BS's budget P, or the power of the restricted optimum when that is less.
 */
function priceLeftOut(f: Formulation, data: DesignData, sdp: SdpOutcome, left: Pair[]) {
  const violated: Pair[] = [];
  let correction = 0;
  if (left.length === 0) return { violated, correction };
  const lmin = priceUserBlocks(f, data, sdp.y, left);
  const scale = Math.max(Math.abs(sdp.dualObjective), 1e-300);
  // The restricted optimum is feasible for the full relaxation, so the full optimum spends at
  // most that much power (W), on any one block too: a tighter tau than the budget P when it is
  // smaller (1e-6 of slack for the solver's primal tolerance).
  const powerCap = Math.min(data.P, sdp.primalObjective * f.objectiveUnit * (1 + 1e-6));
  left.forEach((p, i) => {
    const price = (powerCap / f.userUnit[p.k]!) * Math.min(0, lmin[i]!);
    correction += price;
    if (price < -PRICE_TOL * scale) violated.push(p);
  });
  return { violated, correction };
}

/** Transmit power tr(W~_{s,k}) of each candidate (0 when left out), normalised per user. */
function powerShares(f: Formulation, x: Float64Array, candidates: number[][], inSdp: number[][], N: number): number[][] {
  return candidates.map((cands, k) => {
    const p = cands.map((s) => (inSdp[k]!.includes(s) ? Math.max(traceOf(readW(f, x, s, k), N), 0) : 0));
    const total = p.reduce((a, b) => a + b, 0);
    return total > 0 ? p.map((v) => v / total) : p.map(() => 1 / p.length);
  });
}

/**
 * A node (or a `fixed` problem (13)) whose own SDP failed can still be settled one way: the SINR
 * constraints (9) and the power budgets without the CRLB constraints are a relaxation of it,
 * so a certificate that they are infeasible (checked on the data, as every certificate, and
 * holding on every left-out block: block-pricing.ts blocksRayFails) proves it infeasible too.
 * Where the CRLB bound is extremely loose (crlbMax 6.7e9 m^2), the LMI's scale can spoil the
 * solver's Farkas ray of the whole problem (extreme scenario 57184: "the cone violation of
 * A^T y costs 2.18 b^T y") while the SINR targets alone are already out of reach. The
 * relaxation's SDP when it is so proved, else null: the failure stands.
 */
export function infeasibleWithoutCrlb(data: DesignData, spec: NodeSpec, deadline: number | undefined, left: readonly Pair[] = []): SdpOutcome | null {
  const f = buildFormulation(data, { ...spec, crlb: false });
  const sdp = runSdp(f.problem, untilDeadline(deadline));
  const proved = sdp.status === 'infeasible' && (left.length === 0 || blocksRayFails(f, data, sdp.y, left).length === 0);
  return proved ? sdp : null;
}
