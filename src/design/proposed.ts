/**
 * `proposed`: the paper's Algorithm 1 (alternating optimisation with the penalty (16),
 * its MM surrogate (17) and the big-M reformulation (18)-(21)).
 *
 * Interpretations (the paper leaves them open; see the README):
 * - Initial point (option `init`; the paper does not give one):
 *   'relaxation' (default): for every candidate receiver solve the association
 *     relaxation (each user may be served by every transmitting BS at once, see
 *     relaxation.ts), take the receiver with the smallest relaxed power as b^(1) and the
 *     relaxed power shares of each user as a^(1);
 *   'uniform': b^(1) = (S-1)/S for every BS and a^(1) = 1/S for every pair, the centre
 *     of the relaxed C4, C5, C6;
 *   'closest': b^(1) picks the BS closest to the target, a^(1) uniform over the others.
 *   In every case the continuous block (W~, R, J) is the solution of (23) at that point.
 *   With b fixed (Schemes 1 and 3) only a^(1) is initialised, the same way.
 * - Transmitted sensing covariance R~_s = b_s R_s; with it (23) is linear for fixed b.
 * - (22): C2c is linear in b once the FIM of receiver s is evaluated with the current
 *   transmit covariances of the other BSs (at binary b every other BS transmits, so this
 *   is exact there); C2a is not part of (22) (J is held fixed, as the paper's variable
 *   blocks say). The b penalty is weighted by mu as written in (22).
 * - The simplification of C10a-C10d to tr(W~) <= a P (no W variables) keeps the optimal
 *   value of (23): test/design/bigm.test.ts checks it against the literal constraints.
 * - Stop: |f^(t) - f^(t-1)| / f^(t) <= tol (step 6, constants included); or, added, when b
 *   and a are binary to 1e-3 and round to the same decision twice in a row (f-bar is then
 *   dominated by mu times solver noise); or maxIterations. `stopReason` says which.
 * - Output: b and a rounded (receiver = argmin b, user -> argmax a over transmitters),
 *   then `fixed` is solved for them so that the design is exactly feasible.
 */
import type { DesignData } from './data.ts';
import { buildFormulation, lmiScaling, readR, readW, type Formulation, type ReceiverTerm } from './formulation.ts';
import { ConicBuilder } from './conic-builder.ts';
import { runSdp } from './sdp.ts';
import { solveFixed, type FixedSolution } from './fixed.ts';
import { projectQ, traceProduct2 } from './hermitian2.ts';
import { quadForm, traceOf } from './recover.ts';
import { othersThan, solveRelaxation } from './relaxation.ts';

export const PROPOSED_INITS = ['relaxation', 'uniform', 'closest'] as const;
export type ProposedInit = (typeof PROPOSED_INITS)[number];

export interface ProposedOptions {
  mu?: number;
  tol?: number;
  maxIterations?: number;
  init?: ProposedInit;
  /** Keep b fixed with this receiver (Schemes 1 and 3: "Algorithm 1 with b fixed"). */
  fixedReceiver?: number;
  /** Scheme 3: only this BS sends a sensing signal and only its echo enters the FIM. */
  bistaticTransmitter?: number;
  shouldStop?: () => boolean;
  onProgress?: (fraction: number, message: string) => void;
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

export type StopReason = 'tolerance' | 'binary_stable' | 'max_iterations' | 'cancelled' | 'subproblem_infeasible' | 'subproblem_failed';

export interface ProposedResult {
  status: 'optimal' | 'infeasible' | 'failed';
  receiver?: number;
  association?: number[];
  final?: FixedSolution;
  history: AoIterate[];
  converged: boolean;
  stopReason?: StopReason;
  message?: string;
}

const ON = 1e-9;

interface Block {
  Wt: Map<string, Float64Array>;
  Rbar: Map<number, Float64Array>;
  a: number[][];
  J: Float64Array; // 2x2 real, row-major, in m^-2
  power: number;
  penaltyA: number;
}

/** The BS closest to the target (Scheme 1's receiving BS). */
export function closestBs(data: DesignData): number {
  let best = 0;
  let bestD = Infinity;
  data.bsPositions.forEach((q, s) => {
    const dd = Math.hypot(q[0] - data.target[0], q[1] - data.target[1]);
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
  const { S, K } = data;
  const mu = opts.mu ?? 3e4;
  const tol = opts.tol ?? 1e-3;
  const maxIt = opts.maxIterations ?? 30;
  const bFixed = opts.fixedReceiver !== undefined;
  const bist = opts.bistaticTransmitter;

  const init = opts.init ?? 'relaxation';
  const start = initialPoint(data, init, opts.fixedReceiver, bist);
  if (start === 'infeasible') {
    return { status: 'infeasible', history: [], converged: false, message: 'every receiver\'s association relaxation is infeasible (proof of infeasibility)' };
  }
  let b = start.b;
  let a = start.a;

  const history: AoIterate[] = [];
  const penaltyB = (bNew: number[], bPrev: number[]): number =>
    bFixed ? 0 : bNew.reduce((acc, v, s) => acc + mu * ((1 - 2 * bPrev[s]) * v + bPrev[s] * bPrev[s]), 0);

  let block = solveBlock(data, b, a, mu, bist);
  if (!block) return { status: 'infeasible', history, converged: false, message: 'subproblem (23) infeasible at the initial point' };
  if ('failed' in block) return { status: 'failed', history, converged: false, message: block.failed };
  let fPrev = block.power + block.penaltyA + penaltyB(b, b);
  history.push({ iteration: 1, objective: fPrev, power: block.power, b: b.slice(), a: block.a.map((r) => r.slice()) });
  let converged = false;
  let stopReason: StopReason = 'max_iterations';
  let prevDecision = decisionKey(b, block.a);

  for (let t = 2; t <= maxIt; t++) {
    if (opts.shouldStop?.()) {
      stopReason = 'cancelled';
      break;
    }
    opts.onProgress?.(t / maxIt, `Algorithm 1: iteration ${t}, objective ${fPrev.toExponential(4)}`);
    let bNew = b;
    if (!bFixed) {
      const stepB = solveBStep(data, b, block, mu);
      if (stepB) bNew = stepB;
    }
    const next = solveBlock(data, bNew, block.a, mu, bist);
    if (!next || 'failed' in next) {
      stopReason = !next ? 'subproblem_infeasible' : 'subproblem_failed';
      break;
    }
    const f = next.power + next.penaltyA + penaltyB(bNew, b);
    history.push({ iteration: t, objective: f, power: next.power, b: bNew.slice(), a: next.a.map((r) => r.slice()) });
    const change = Math.abs(f - fPrev) / Math.max(Math.abs(f), 1e-300);
    b = bNew;
    block = next;
    fPrev = f;
    if (change <= tol) {
      converged = true;
      stopReason = 'tolerance';
      break;
    }
    // With mu = 3e4 W against powers of ~0.1 W, f-bar carries solver noise of mu times the
    // accuracy of a (~1e-7): once b and a are binary (to 1e-3) and their rounding repeats,
    // further iterations only re-solve the same problem, so stop there too.
    const decision = decisionKey(b, block.a);
    if (decision === prevDecision && binaryDistance(b, block.a) < 1e-3) {
      converged = true;
      stopReason = 'binary_stable';
      break;
    }
    prevDecision = decision;
  }

  // Round and re-solve `fixed` for an exactly feasible design.
  let receiver = 0;
  for (let s = 1; s < S; s++) if (b[s] < b[receiver]) receiver = s;
  const association = block.a.map((row) => {
    let best = -1;
    for (let s = 0; s < S; s++) if (s !== receiver && (best < 0 || row[s] > row[best])) best = s;
    return best;
  });
  const final = solveFixed(data, receiver, association, bist !== undefined ? { bistatic: { transmitter: bist } } : {});
  const status = final.status;
  return { status, receiver, association, final, history, converged, stopReason };
}

/** The rounded decision (receiver = argmin b, user -> argmax a) as a string. */
function decisionKey(b: number[], a: number[][]): string {
  let r = 0;
  for (let s = 1; s < b.length; s++) if (b[s] < b[r]) r = s;
  return `${r}|${a.map((row) => row.indexOf(Math.max(...row))).join(',')}`;
}

/** max over b and a of the distance to {0, 1}. */
function binaryDistance(b: number[], a: number[][]): number {
  let d = 0;
  for (const v of b) d = Math.max(d, Math.min(Math.abs(v), Math.abs(1 - v)));
  for (const row of a) for (const v of row) d = Math.max(d, Math.min(Math.abs(v), Math.abs(1 - v)));
  return d;
}

/** b^(1) and a^(1) for the chosen initialisation (see the module comment). */
function initialPoint(
  data: DesignData,
  init: ProposedInit,
  fixedReceiver: number | undefined,
  bist: number | undefined,
): { b: number[]; a: number[][] } | 'infeasible' {
  const { S, K } = data;
  const binary = (r: number): number[] => Array.from({ length: S }, (_, s) => (s === r ? 0 : 1));
  const uniformOver = (b: number[]): number[][] => {
    const nTx = b.filter((v) => v > ON).length;
    return Array.from({ length: K }, () => b.map((v) => (v > ON ? 1 / nTx : 0)));
  };
  if (init === 'relaxation' && bist === undefined) {
    let best: { r: number; bound: number; shares: number[][] } | undefined;
    let anyFailed = false;
    const receivers = fixedReceiver !== undefined ? [fixedReceiver] : Array.from({ length: S }, (_, r) => r);
    for (const r of receivers) {
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
        others.forEach((s, i) => (row[s] = best!.shares[k][i]));
        return row;
      });
      return { b, a };
    }
    if (!anyFailed) return 'infeasible';
  }
  if (fixedReceiver !== undefined || init === 'closest') {
    const b = binary(fixedReceiver ?? closestBs(data));
    return { b, a: uniformOver(b) };
  }
  const b = new Array(S).fill((S - 1) / S);
  return { b, a: uniformOver(b) };
}

/** Subproblem (23) for fixed b, linearised at a; null when infeasible. */
function solveBlock(
  data: DesignData,
  b: number[],
  aPrev: number[][],
  mu: number,
  bist: number | undefined,
): Block | { failed: string } | null {
  const { S, K } = data;
  const tx: number[] = [];
  for (let s = 0; s < S; s++) if (b[s] > ON) tx.push(s);
  const receivers: ReceiverTerm[] = [];
  for (let r = 0; r < S; r++) {
    if (1 - b[r] <= ON) continue;
    const others: number[] = [];
    for (let s = 0; s < S; s++) if (s !== r) others.push(s);
    receivers.push({ r, weight: 1 - b[r], transmitters: bist !== undefined ? [bist] : others });
  }
  const f = buildFormulation(data, {
    receivers,
    sensingTx: bist !== undefined ? [bist] : tx,
    candidates: Array.from({ length: K }, () => tx.slice()),
    bigM: { aPrev, mu, b },
  });
  const sdp = runSdp(f.problem);
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
    const W = readW(f, x, s, k);
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
    a[k][s] = Math.min(1, Math.max(0, x[col]));
  }
  for (let k = 0; k < K; k++) {
    for (let s = 0; s < S; s++) penaltyA += mu * ((1 - 2 * aPrev[k][s]) * a[k][s] + aPrev[k][s] * aPrev[k][s]);
  }
  // J = J' / kappa from the top-left of [[J', I], [I, T]] (svec of order 4).
  const o = f.X4.offset;
  const J = new Float64Array([x[o] / f.kappa, x[o + 1] / Math.SQRT2 / f.kappa, x[o + 1] / Math.SQRT2 / f.kappa, x[o + 4] / f.kappa]);
  return { Wt, Rbar, a, J, power, penaltyA };
}

/**
 * Subproblem (22): minimise sum b_s tr(R_s) + mu sum (1 - 2 b_s^(t)) b_s subject to C1,
 * C2c (12), C3, C5, C6 and 0 <= b <= 1, with (W~, R, J, a) fixed. Returns null when the
 * step cannot be taken (then b is kept, which is feasible for (22)).
 */
function solveBStep(data: DesignData, bPrev: number[], blk: Block, mu: number): number[] | null {
  const { S, K, N } = data;
  const unit = data.P;
  // R_s = R~_s / b_s^(t): the sensing covariance before the selection variable.
  const R: (Float64Array | null)[] = [];
  for (let s = 0; s < S; s++) {
    const Rb = blk.Rbar.get(s);
    R.push(Rb && bPrev[s] > ON ? Rb.map((v) => v / bPrev[s]) : null);
  }
  const trace = (M: Float64Array | null): number => (M ? traceOf(M, N) : 0);
  // Q^_{s'} = sum_k W~_{s',k} + R_{s'}  (every other BS transmits when s' is not the receiver).
  const Qhat: Float64Array[] = [];
  for (let s = 0; s < S; s++) {
    const Q = new Float64Array(2 * N * N);
    for (let k = 0; k < K; k++) {
      const W = blk.Wt.get(`${s},${k}`);
      if (W) for (let e = 0; e < Q.length; e++) Q[e] += W[e];
    }
    const Rs = R[s];
    if (Rs) for (let e = 0; e < Q.length; e++) Q[e] += Rs[e];
    Qhat.push(Q);
  }
  const fims = [];
  const terms: ReceiverTerm[] = [];
  for (let r = 0; r < S; r++) {
    const others: number[] = [];
    for (let s = 0; s < S; s++) if (s !== r) others.push(s);
    fims.push(data.fim(r, others));
    terms.push({ r, weight: 1, transmitters: others });
  }
  const { d, kappa } = lmiScaling(data, fims, terms);
  const T = S - 1;
  const D = 2 + 2 * T;
  const scaleOf = (i: number): number => (i < 2 ? 1 : d[(i - 2) % T]);
  // M_r = kappa * diag(d) [F^(r)(Q^) - J (+) 0] diag(d), evaluated numerically.
  const Ms = fims.map((f) => {
    const proj = f.transmitters.map((s, q) => projectQ(f.V[q], Qhat[s], N));
    const M = new Float64Array(D * D);
    for (let i = 0; i < D; i++) {
      for (let j = i; j < D; j++) {
        let v = 0;
        for (let q = 0; q < T; q++) {
          const c = f.coef(i, j, q);
          if (c) v += traceProduct2(c, proj[q]);
        }
        if (j < 2) v -= blk.J[2 * i + j];
        v *= kappa * scaleOf(i) * scaleOf(j);
        M[i * D + j] = v;
        M[j * D + i] = v;
      }
    }
    return M;
  });

  const bld = new ConicBuilder();
  const bv = bld.addNonneg(S);
  const Z = bld.addPsd(D);
  const nSlack = S /* b <= 1 */ + S /* C1 */ + K /* C3 */ + S; /* C6 */
  const slack = bld.addNonneg(nSlack);
  let next = 0;
  const take = (): number => slack.offset + next++;
  for (let s = 0; s < S; s++) bld.addCost(bv.offset + s, (trace(R[s]) + mu * (1 - 2 * bPrev[s])) / unit);
  for (let s = 0; s < S; s++) {
    const row = bld.row(1);
    bld.add(row, bv.offset + s, 1);
    bld.add(row, take(), 1);
  }
  // C1: sum_k tr W~ + b_s tr R_s <= P
  for (let s = 0; s < S; s++) {
    let tw = 0;
    for (let k = 0; k < K; k++) tw += trace(blk.Wt.get(`${s},${k}`) ?? null);
    const row = bld.row(Math.max(0, 1 - tw / unit));
    bld.add(row, bv.offset + s, trace(R[s]) / unit);
    bld.add(row, take(), 1);
  }
  // C3 divided by sigma_k^2.
  for (let k = 0; k < K; k++) {
    let fixedPart = 0;
    for (let s = 0; s < S; s++) {
      const h = data.channel(s, k);
      for (let kk = 0; kk < K; kk++) {
        const W = blk.Wt.get(`${s},${kk}`);
        if (!W) continue;
        const g = quadForm(W, h, N);
        fixedPart += kk === k ? g / data.gamma[k] : -g;
      }
    }
    const row = bld.row(1 - fixedPart / data.sigma2[k]);
    for (let s = 0; s < S; s++) {
      const Rs = R[s];
      if (Rs) bld.add(row, bv.offset + s, -quadForm(Rs, data.channel(s, k), N) / data.sigma2[k]);
    }
    bld.add(row, take(), -1);
  }
  // C5: sum_s (1 - b_s) = 1.
  {
    const row = bld.row(S - 1);
    for (let s = 0; s < S; s++) bld.add(row, bv.offset + s, 1);
  }
  // C6: b_s >= max_k a_{s,k}.
  for (let s = 0; s < S; s++) {
    let amax = 0;
    for (let k = 0; k < K; k++) amax = Math.max(amax, blk.a[k][s]);
    const row = bld.row(amax * (1 - 1e-9));
    bld.add(row, bv.offset + s, 1);
    bld.add(row, take(), -1);
  }
  // C2c: Z = sum_s (1 - b_s) M_s  <=>  Z + sum_s b_s M_s = sum_s M_s.
  for (let j = 0; j < D; j++) {
    for (let i = j; i < D; i++) {
      let rhs = 0;
      for (let s = 0; s < S; s++) rhs += Ms[s][i * D + j];
      const row = bld.row(rhs);
      bld.addEntry(row, Z, i, j, 1);
      for (let s = 0; s < S; s++) bld.add(row, bv.offset + s, Ms[s][i * D + j]);
    }
  }
  const sdp = runSdp(bld.build());
  if (sdp.status !== 'optimal') return null;
  return Array.from({ length: S }, (_, s) => Math.min(1, Math.max(0, sdp.x[bv.offset + s])));
}
