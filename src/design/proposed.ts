/**
 * `proposed`: the paper's Algorithm 1 (alternating optimisation with the penalty (16),
 * its MM surrogate (17) and the big-M reformulation (18)-(21)).
 *
 * Interpretations (the paper leaves them open; see the README):
 * - Initial point (option `init`; the paper's Algorithm 1 says "initialize" without a value):
 *   'uniform' (default, the paper's neutral start): b^(1) = (S-1)/S for every BS and
 *     a^(1) = 1/S for every pair, the centre of the relaxed C4, C5, C6;
 *   'relaxation' (the variant "Alg. 1 + relaxation start"): for every candidate receiver
 *     solve the association relaxation (each user may be served by every transmitting BS at
 *     once, see relaxation.ts), take the receiver with the smallest relaxed power as b^(1)
 *     and the relaxed power shares of each user as a^(1). From a binary b the b-step (22)
 *     never moves the receiver (any move costs 2 mu - tr R_s > 0), so this variant's
 *     receiver is the relaxations' choice and Algorithm 1 only rounds the association;
 *   'closest': b^(1) picks the BS closest to the target (several targets: to their
 *     centroid, the same rule as Scheme 1), a^(1) uniform over the others.
 *   In every case the continuous block (W~, R, J) is the solution of (23) at that point.
 *   With b fixed (Schemes 1 and 3) only a^(1) is initialised, the same way.
 * - Transmitted sensing covariance R~_s = b_s R_s; with it (23) is linear for fixed b.
 * - (22): C2c is linear in b once the FIM of receiver s is evaluated with the current
 *   transmit covariances of the other BSs (at binary b every other BS transmits, so this
 *   is exact there). J is a variable of (22) as well, with C2a: by C5, sum_s (1 - b_s) = 1,
 *   so C2c reads sum_s (1 - b_s) [F^(s)] - J (+) 0 >= 0, jointly linear in (b, J), and J is
 *   not in the objective, so optimising it in both blocks keeps the surrogate non-increasing.
 *   Holding J at its value from (23) (`holdJ`, the paper's block list taken literally) pins b
 *   to the CRLB mix the beams were designed for, and b creeps by ~1e-3 per iteration.
 *   The b penalty is weighted by mu as written in (22). Several targets: one C2c (and, with
 *   J a variable, one C2a) per target, each with its own J_t.
 * - The simplification of C10a-C10d to tr(W~) <= a P (no W variables) keeps the optimal
 *   value of (23): test/design/bigm.test.ts checks it against the literal constraints.
 * - Step 6 (stop) is measured on the transmit power f, the part of f-bar that is not the
 *   penalty: |f^(t) - f^(t-1)| / f^(t) <= tol, and only once b and a are binary to
 *   `binaryTol`. The surrogate itself is dominated by the constants mu sum (a^(t))^2 +
 *   mu sum (b^(t))^2 (~1e5 W against ~0.1-1 W of power), so its relative change says
 *   nothing about the design; at a binary point the penalty vanishes and f-bar = f, so the
 *   two tests agree where the algorithm has converged.
 * - Stall: from the neutral start b is held by C6 (b_s >= a_{s,k}, and the penalty pushes
 *   every a_{s,k} > 1/2 up to b_s) and by C2c, so the AO can reach a fractional point where
 *   the power no longer changes. There b is rounded (receiver = argmin b; if (23) is
 *   infeasible with that receiver, the next smallest b, and so on) and the AO goes on from
 *   that binary b (`snappedAt` records the iteration); a second stall stops it.
 * - Also stop when b and a are binary to 1e-3 and round to the same decision twice in a row
 *   (f-bar is then dominated by mu times solver noise); or at maxIterations. `stopReason`
 *   says which.
 * - Optional mu continuation (`muStart`, `muGrowth`): mu^(t) = min(mu, muStart muGrowth^(t-1));
 *   no stop before mu^(t) = mu.
 * - Output: b and a rounded (receiver = argmin b, user -> argmax a over transmitters),
 *   then `fixed` is solved for them so that the design is exactly feasible.
 */
import type { DesignData } from './data.ts';
import { readR, readW, targetInformation, type Formulation, type ReceiverTerm } from './formulation.ts';
import { initialBlocks, solveBigMByActiveSet } from './bigm-active-set.ts';
import { solveFixed, type FixedSolution } from './fixed.ts';
import { bStepOf, solveBStep } from './b-step.ts';
import { traceOf } from './recover.ts';
import { othersThan, solveRelaxation } from './relaxation.ts';

export const PROPOSED_INITS = ['relaxation', 'uniform', 'closest'] as const;
export type ProposedInit = (typeof PROPOSED_INITS)[number];

export interface ProposedOptions {
  /** Penalty factor mu, W (paper: 3e4). */
  mu?: number | undefined;
  /** mu continuation: first value (default: mu, i.e. no continuation). */
  muStart?: number | undefined;
  /** mu continuation: factor per iteration (default 10). */
  muGrowth?: number | undefined;
  /** Step 6 tolerance on the relative change of the transmit power (paper: 1e-3). */
  tol?: number | undefined;
  /** b and a count as binary within this distance of {0, 1} (default 1e-3). */
  binaryTol?: number | undefined;
  maxIterations?: number | undefined;
  /** Initial point (default 'uniform', the paper's neutral start). */
  init?: ProposedInit | undefined;
  /** Hold J at its value from (23) in the b-step (22) (default false: J is a variable of (22) too). */
  holdJ?: boolean | undefined;
  /** Keep b fixed with this receiver (Schemes 1 and 3: "Algorithm 1 with b fixed"). */
  fixedReceiver?: number | undefined;
  /** Scheme 3: only this BS sends a sensing signal and only its echo enters the FIM. */
  bistaticTransmitter?: number | undefined;
  shouldStop?: (() => boolean) | undefined;
  onProgress?: ((fraction: number, message: string) => void) | undefined;
}

export interface AoIterate {
  iteration: number;
  /** Surrogate objective f-bar (W, constants included). */
  objective: number;
  /** Transmit power part of the objective (W). */
  power: number;
  b: number[];
  a: number[][];
}

export type StopReason = 'tolerance' | 'binary_stable' | 'stalled' | 'max_iterations' | 'cancelled' | 'subproblem_infeasible' | 'subproblem_failed';

export interface ProposedResult {
  status: 'optimal' | 'infeasible' | 'failed';
  receiver?: number;
  association?: number[];
  final?: FixedSolution;
  history: AoIterate[];
  converged: boolean;
  stopReason?: StopReason;
  /** Iteration at which a stalled fractional b was rounded (see the module comment). */
  snappedAt?: number;
  /** b-steps (22) the solver could not solve (b was kept). */
  bStepFailures?: number;
  message?: string;
}

const ON = 1e-9;

interface Block {
  Wt: Map<string, Float64Array>;
  Rbar: Map<number, Float64Array>;
  a: number[][];
  /** J_t of every target: 2x2 real, row-major, in m^-2. */
  J: Float64Array[];
  power: number;
  penaltyA: number;
}

/**
 * Scheme 1's receiving BS: the BS closest to the target, or with several targets to their
 * centroid (the point that weighs every target equally; ties: lowest index).
 */
export function closestBs(data: DesignData): number {
  const cx = data.targets.reduce((acc, t) => acc + t.position[0], 0) / data.targets.length;
  const cy = data.targets.reduce((acc, t) => acc + t.position[1], 0) / data.targets.length;
  let best = 0;
  let bestD = Infinity;
  data.bsPositions.forEach((q, s) => {
    const dd = Math.hypot(q[0] - cx, q[1] - cy);
    if (dd < bestD) {
      bestD = dd;
      best = s;
    }
  });
  return best;
}

/**
 * The paper's Algorithm 1 (penalty, MM surrogate, big-M, alternating optimisation), then `fixed`
 * at its rounded receiver and association so that the result is exactly feasible.
 */
export function solveProposed(data: DesignData, opts: ProposedOptions = {}): ProposedResult {
  const { S } = data;
  const muFinal = opts.mu ?? 3e4;
  const muGrowth = opts.muGrowth ?? 10;
  const muAt = (t: number): number => Math.min(muFinal, (opts.muStart ?? muFinal) * muGrowth ** (t - 1));
  const tol = opts.tol ?? 1e-3;
  const binaryTol = opts.binaryTol ?? 1e-3;
  const maxIt = opts.maxIterations ?? 30;
  const bFixed = opts.fixedReceiver !== undefined;
  const bist = opts.bistaticTransmitter;

  const init = opts.init ?? 'uniform';
  const start = initialPoint(data, init, opts.fixedReceiver, bist, opts.onProgress);
  if (start === 'infeasible') {
    return { status: 'infeasible', history: [], converged: false, message: "every receiver's association relaxation is infeasible (proof of infeasibility)" };
  }
  let b = start.b;

  const history: AoIterate[] = [];
  const penaltyB = (bNew: number[], bPrev: number[], mu: number): number =>
    bFixed ? 0 : bNew.reduce((acc, v, s) => acc + mu * ((1 - 2 * bPrev[s]!) * v + bPrev[s]! * bPrev[s]!), 0);

  let mu = muAt(1);
  let block = solveBlock(data, b, start.a, mu, bist);
  if (!block) return { status: 'infeasible', history, converged: false, message: startInfeasibleWhy(start.kind) };
  if ('failed' in block) {
    // Subproblem (23) broke down numerically before the first iterate (extreme data: a user
    // noise of -138 dBm with a path loss of -66 dB at 1 m on one antenna): the initial point's
    // rounded decision is solved instead, so the answer is a design or a proof, not `failed`.
    const final = roundAndSolve(data, b, start.a, bist);
    return { status: final.final.status, ...final, history, converged: false, stopReason: 'subproblem_failed', bStepFailures: 0 };
  }
  history.push({
    iteration: 1,
    objective: block.power + block.penaltyA + penaltyB(b, b, mu),
    power: block.power,
    b: b.slice(),
    a: block.a.map((r) => r.slice()),
  });
  let converged = false;
  let stopReason: StopReason = 'max_iterations';
  let prevDecision = decisionKey(b, block.a);
  let snappedAt: number | undefined;
  let snapNext = false;
  let bStepFailures = 0;

  for (let t = 2; t <= maxIt; t++) {
    if (opts.shouldStop?.()) {
      stopReason = 'cancelled';
      break;
    }
    mu = muAt(t);
    opts.onProgress?.(t / maxIt, `Algorithm 1: iteration ${t}, power ${block.power.toExponential(4)} W`);
    let bNew = b;
    let next: ReturnType<typeof solveBlock>;
    if (snapNext) {
      // Round the stalled b: the receivers in increasing order of b, the first whose (23) is feasible.
      snapNext = false;
      next = null;
      for (const r of byIncreasing(b)) {
        bNew = binaryAt(S, r);
        next = solveBlock(data, bNew, block.a, mu, bist, block);
        if (next) break;
      }
    } else {
      if (!bFixed) {
        const stepB = solveBStep(bStepOf(data, b, block, mu, opts.holdJ ?? false, ON));
        if (stepB) bNew = stepB.b;
        else bStepFailures++;
      }
      next = solveBlock(data, bNew, block.a, mu, bist, block);
    }
    if (!next || 'failed' in next) {
      stopReason = !next ? 'subproblem_infeasible' : 'subproblem_failed';
      break;
    }
    const f = next.power + next.penaltyA + penaltyB(bNew, b, mu);
    history.push({ iteration: t, objective: f, power: next.power, b: bNew.slice(), a: next.a.map((r) => r.slice()) });
    const powerChange = Math.abs(next.power - block.power) / Math.max(next.power, 1e-300);
    b = bNew;
    block = next;
    const finalMu = mu === muFinal;
    const binary = binaryDistance(b, block.a) <= binaryTol;
    if (finalMu && binary && powerChange <= tol) {
      converged = true;
      stopReason = 'tolerance';
      break;
    }
    // With mu = 3e4 W against powers of ~0.1 W, f-bar carries solver noise of mu times the
    // accuracy of a (~1e-7): once b and a are binary (to 1e-3) and their rounding repeats,
    // further iterations only re-solve the same problem, so stop there too.
    const decision = decisionKey(b, block.a);
    if (finalMu && decision === prevDecision && binary) {
      converged = true;
      stopReason = 'binary_stable';
      break;
    }
    prevDecision = decision;
    if (finalMu && !binary && powerChange <= tol) {
      const bBinary = binaryDistance(b, []) <= binaryTol;
      if (bFixed || bBinary || snappedAt !== undefined) {
        stopReason = 'stalled';
        break;
      }
      snapNext = true;
      snappedAt = t + 1;
    }
  }

  const rounded = roundAndSolve(data, b, block.a, bist);
  const out: ProposedResult = { status: rounded.final.status, ...rounded, history, converged, stopReason, bStepFailures };
  if (snappedAt !== undefined) out.snappedAt = snappedAt;
  return out;
}

/** Rounds (b, a) to a receiver (argmin b) and an association (argmax a) and solves `fixed` there for an exactly feasible design. */
function roundAndSolve(data: DesignData, b: number[], a: number[][], bist: number | undefined) {
  const receiver = argmin(b);
  const association = a.map((row) => {
    let best = -1;
    for (let s = 0; s < data.S; s++) if (s !== receiver && (best < 0 || row[s]! > row[best]!)) best = s;
    return best;
  });
  const final = solveFixed(data, receiver, association, bist !== undefined ? { bistatic: { transmitter: bist } } : {});
  return { receiver, association, final };
}

/** The index of the smallest entry (the first on ties): the receiver a b vector rounds to. */
function argmin(b: number[]): number {
  let r = 0;
  for (let s = 1; s < b.length; s++) if (b[s]! < b[r]!) r = s;
  return r;
}

/** The BS indices ordered by increasing b (ties by index). */
function byIncreasing(b: number[]): number[] {
  return b.map((_, s) => s).sort((x, y) => b[x]! - b[y]! || x - y);
}

/** b with BS r receiving (0) and every other BS transmitting (1). */
function binaryAt(S: number, r: number): number[] {
  return Array.from({ length: S }, (_, s) => (s === r ? 0 : 1));
}

/** The rounded decision (receiver = argmin b, user -> argmax a) as a string. */
function decisionKey(b: number[], a: number[][]): string {
  const r = argmin(b);
  return `${r}|${a.map((row) => row.indexOf(Math.max(...row))).join(',')}`;
}

/** max over b and a of the distance to {0, 1}. */
function binaryDistance(b: number[], a: number[][]): number {
  let d = 0;
  for (const v of b) d = Math.max(d, Math.min(Math.abs(v), Math.abs(1 - v)));
  for (const row of a) for (const v of row) d = Math.max(d, Math.min(Math.abs(v), Math.abs(1 - v)));
  return d;
}

/**
 * Why Algorithm 1 stopped before its first iterate: subproblem (23) has no solution at the
 * start. (23) at a start is no relaxation of problem (13) (at the uniform start each
 * receiver's FIM counts with weight 1 - b_r = 1/S), so this proves nothing, and the message
 * says what would decide it. Measured on the 37-BS hexagon (bench/network-cases.ts, N = 8,
 * one target): at K = 50 and 60 the uniform start stops here, and the association relaxations
 * of `--init relaxation` then prove the scenario infeasible (19 s); at K = 40 the uniform start
 * runs and rounds to an infeasible decision, and `--init relaxation` finds a design.
 */
function startInfeasibleWhy(kind: StartKind): string {
  const where = {
    relaxation: "the association relaxation's point",
    uniform: 'the uniform point (every b = (S-1)/S, a uniform)',
    receiver: 'its fixed receiving BS with a uniform over the other BSs',
    bistatic: 'its fixed bistatic pair with a uniform over the other BSs',
  }[kind];
  const decides =
    kind === 'relaxation' || kind === 'bistatic'
      ? '`exact` decides'
      : '`--init relaxation` starts from the association relaxation, which proves infeasibility or gives a start; `exact` decides';
  return `subproblem (23) infeasible at the initial point: Algorithm 1 cannot start from ${where}; not a proof that no design exists (${decides})`;
}

/**
 * Where Algorithm 1 starts: the association relaxation's b and a, the uniform point, a fixed
 * receiver, or Scheme 3's fixed pair (which has no relaxation start).
 */
type StartKind = 'relaxation' | 'uniform' | 'receiver' | 'bistatic';

/** b^(1) and a^(1) for the chosen initialisation (see the module comment). */
function initialPoint(
  data: DesignData,
  init: ProposedInit,
  fixedReceiver: number | undefined,
  bist: number | undefined,
  onProgress?: (fraction: number, message: string) => void,
): { b: number[]; a: number[][]; kind: StartKind } | 'infeasible' {
  const { S, K } = data;
  const binary = (r: number): number[] => binaryAt(S, r);
  const uniformOver = (b: number[]): number[][] => {
    const nTx = b.filter((v) => v > ON).length;
    return Array.from({ length: K }, () => b.map((v) => (v > ON ? 1 / nTx : 0)));
  };
  if (init === 'relaxation' && bist === undefined) {
    let best: { r: number; bound: number; shares: number[][] } | undefined;
    let anyFailed = false;
    const receivers = fixedReceiver !== undefined ? [fixedReceiver] : Array.from({ length: S }, (_, r) => r);
    for (const [i, r] of receivers.entries()) {
      // one relaxation per receiver (37 of them, 10 s, on the 37-BS hexagon): said while it runs
      onProgress?.(0, `Algorithm 1: relaxation start, receiver BS${r + 1} (${i + 1} of ${receivers.length})`);
      const cands = Array.from({ length: K }, () => othersThan(S, r));
      const rel = solveRelaxation(data, r, cands);
      if (rel.status === 'optimal' && (!best || rel.bound < best.bound)) best = { r, bound: rel.bound, shares: rel.shares };
      if (rel.status === 'failed') anyFailed = true;
    }
    if (best) {
      const b = binary(best.r);
      const others = othersThan(S, best.r);
      const a = Array.from({ length: K }, (_, k) => {
        const row = new Array<number>(S).fill(0);
        others.forEach((s, i) => (row[s] = best!.shares[k]![i]!));
        return row;
      });
      return { b, a, kind: 'relaxation' };
    }
    if (!anyFailed) return 'infeasible';
  }
  if (fixedReceiver !== undefined || init === 'closest') {
    const b = binary(fixedReceiver ?? closestBs(data));
    return { b, a: uniformOver(b), kind: bist === undefined ? 'receiver' : 'bistatic' };
  }
  const b = new Array(S).fill((S - 1) / S);
  return { b, a: uniformOver(b), kind: 'uniform' };
}

/**
 * Subproblem (23) for fixed b, linearised at a; null when infeasible. Solved by an active set
 * over the W~ blocks (bigm-active-set.ts: same solution, fewer blocks), started from each
 * user's strongest channels and the blocks that carried power in the previous solve `prev`.
 */
function solveBlock(data: DesignData, b: number[], aPrev: number[][], mu: number, bist: number | undefined, prev?: Block): Block | { failed: string } | null {
  const { S, K } = data;
  const tx: number[] = [];
  for (let s = 0; s < S; s++) if (b[s]! > ON) tx.push(s);
  const receivers: ReceiverTerm[] = [];
  for (let r = 0; r < S; r++) {
    if (1 - b[r]! <= ON) continue;
    const others: number[] = [];
    for (let s = 0; s < S; s++) if (s !== r) others.push(s);
    receivers.push({ r, weight: 1 - b[r]!, transmitters: bist !== undefined ? [bist] : others });
  }
  // a b-step that left no BS receiving (solveBStep guards C5; this guards what reaches here)
  if (receivers.length === 0) return { failed: 'subproblem (23) has no receiving BS at this b' };
  const candidates = Array.from({ length: K }, () => tx.slice());
  const previous = prev && ((s: number, k: number): number => (prev.Wt.has(`${s},${k}`) ? traceOf(prev.Wt.get(`${s},${k}`)!, data.N) : 0));
  const spec = { receivers, sensingTx: bist !== undefined ? [bist] : tx, candidates, bigM: { aPrev, mu, b } };
  const { f, sdp } = solveBigMByActiveSet(data, spec, initialBlocks(data, candidates, previous));
  if (sdp.status === 'infeasible') return null;
  if (sdp.status !== 'optimal') return { failed: sdp.message ?? 'subproblem (23) failed' };
  return readBlock(f, sdp.x, data, aPrev, mu);
}

function readBlock(f: Formulation, x: Float64Array, data: DesignData, aPrev: number[][], mu: number): Block {
  const { S, K, N } = data;
  const Wt = new Map<string, Float64Array>();
  let power = 0;
  for (const key of f.W.keys()) {
    const [s, k] = key.split(',').map(Number);
    const W = readW(f, x, s!, k!);
    Wt.set(key, W);
    power += traceOf(W, N);
  }
  const Rbar = new Map<number, Float64Array>();
  for (const s of f.R.keys()) {
    const R = readR(f, x, s);
    Rbar.set(s, R);
    power += traceOf(R, N);
  }
  const a = Array.from({ length: K }, () => new Array<number>(S).fill(0));
  let penaltyA = 0;
  for (const [key, col] of f.a) {
    const [s, k] = key.split(',').map(Number);
    a[k!]![s!] = Math.min(1, Math.max(0, x[col]!));
  }
  for (let k = 0; k < K; k++) {
    for (let s = 0; s < S; s++) penaltyA += mu * ((1 - 2 * aPrev[k]![s]!) * a[k]![s]! + aPrev[k]![s]! * aPrev[k]![s]!);
  }
  const J = targetInformation(f, x);
  return { Wt, Rbar, a, J, power, penaltyA };
}
