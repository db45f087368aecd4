/**
 * Algorithm 1's b-step, subproblem (22): with (W~, R, a) fixed, minimise
 *   sum_s b_s tr(R_s) + mu sum_s (1 - 2 b_s^(t)) b_s
 * subject to C1, C2c (12), C3, C5, C6 and 0 <= b <= 1; J_t is a variable with C2a unless it
 * is held. Stated once (`BStep`, in the paper's terms) and compiled in one of two conic forms:
 *
 * - primal: each C2c slack Z_t is a D x D matrix variable with one equality row per entry
 *   (D = 2 + 2 (S - 1)), the form of earlier rounds;
 * - dual (inequality): b and J' are the solver's dual variables y and every constraint a cone
 *   of c - A^T y, so the Schur complement has one row per variable (S + 6T) instead of one
 *   per matrix entry (T D (D + 1) / 2).
 *
 * Why both. The primal form's rows grow as S^2 per target: on a 19-BS network with three
 * targets 2302 rows, whose factorisation was 86 % of `proposed` (79 s; 11 s in the dual form,
 * the same design). But Algorithm 1's trajectory depends on which of several optimal b a
 * degenerate b-step returns, and the two forms return different ones: the dual form
 * everywhere changed 3 of `proposed`'s decisions on 30 paper-scale drops (two to cheaper
 * designs, one to a dearer one: chance either way). So the primal form stays where it is
 * cheap, and the paper-scale and 7-BS results (the studies, the figures) stay bit for bit
 * those of earlier rounds; the form switches at DUAL_FORM_ROWS.
 */
import type { DesignData } from './data.ts';
import { lmiScaling, type ReceiverTerm } from './formulation.ts';
import { ConicBuilder, type BlockRef } from './conic-builder.ts';
import { runSdp, type SdpOutcome } from './sdp.ts';
import { projectQ, traceProduct2 } from './hermitian2.ts';
import { quadForm, traceOf } from './recover.ts';
import { othersThan } from './relaxation.ts';
import { svecIndex } from '../conic/vec.ts';
import type { ConicProblem } from '../conic/types.ts';

/** What the b-step reads of Algorithm 1's current iterate. */
export interface BStepInput {
  /** W~_{s,k}, key `${s},${k}`, interleaved N x N. */
  Wt: Map<string, Float64Array>;
  /** R~_s = b_s R_s of the last block step. */
  Rbar: Map<number, Float64Array>;
  /** a_{s,k} as [k][s]. */
  a: number[][];
  /** J_t of every target (2 x 2 row-major, m^-2), used when J is held. */
  J: Float64Array[];
}

/** Subproblem (22) in solver units: powers in P, each SINR row divided by its noise power. */
export interface BStep {
  S: number;
  /** Objective coefficient of b_s: (tr R_s + mu (1 - 2 b_s^(t))) / P. */
  cost: number[];
  /** C1: c1Coef[s] b_s <= c1Rhs[s] (the budget left by the users' beams). */
  c1Coef: number[];
  c1Rhs: number[];
  /** C3 of user k: sum_s c3Coef[k][s] b_s <= c3Margin[k] (the sensing signals' interference within the SINR margin). */
  c3Coef: number[][];
  c3Margin: number[];
  /** C6: b_s >= c6Floor[s] (max_k a_{s,k}, a hair below). */
  c6Floor: number[];
  /** C2c of each target: sum_s (1 - b_s) Ms[s] [- J'_t (+) 0] >= 0; C2a: tr(J'_t^-1) <= trBound (with J' a variable). */
  lmis: { Ms: Float64Array[]; trBound: number }[];
  /** Order of the C2c matrices, 2 + 2 (S - 1). */
  D: number;
  holdJ: boolean;
}

/** Above this many C2c entry rows (T D (D + 1) / 2) the b-step is compiled in the dual form. */
export const DUAL_FORM_ROWS = 500;

/** How far sum_s (1 - b_s) of a b-step may be from 1 (C5) for the step to be taken. */
const C5_TOL = 1e-6;

/** The b-step's statement for Algorithm 1's iterate (b^(t), blk) at penalty mu. */
export function bStepOf(data: DesignData, bPrev: number[], blk: BStepInput, mu: number, holdJ: boolean, on: number): BStep {
  const { S, K, N } = data;
  const unit = data.P;
  // R_s = R~_s / b_s^(t): the sensing covariance before the selection variable.
  const R: (Float64Array | null)[] = [];
  for (let s = 0; s < S; s++) {
    const Rb = blk.Rbar.get(s);
    R.push(Rb && bPrev[s]! > on ? Rb.map((v) => v / bPrev[s]!) : null);
  }
  const trace = (M: Float64Array | null): number => (M ? traceOf(M, N) : 0);
  const trR = R.map(trace); // enters both the cost and C1
  // Q^_{s'} = sum_k W~_{s',k} + R_{s'}  (every other BS transmits when s' is not the receiver).
  const Qhat: Float64Array[] = [];
  for (let s = 0; s < S; s++) {
    const Q = new Float64Array(2 * N * N);
    for (let k = 0; k < K; k++) {
      const W = blk.Wt.get(`${s},${k}`);
      if (W) for (let e = 0; e < Q.length; e++) Q[e]! += W[e]!;
    }
    const Rs = R[s];
    if (Rs) for (let e = 0; e < Q.length; e++) Q[e]! += Rs[e]!;
    Qhat.push(Q);
  }
  const terms: ReceiverTerm[] = [];
  for (let r = 0; r < S; r++) terms.push({ r, weight: 1, transmitters: othersThan(S, r) });
  const c3Coef: number[][] = [];
  const c3Margin: number[] = [];
  for (let k = 0; k < K; k++) {
    let fixedPart = 0;
    for (let s = 0; s < S; s++) {
      const h = data.channel(s, k);
      for (let kk = 0; kk < K; kk++) {
        const W = blk.Wt.get(`${s},${kk}`);
        if (!W) continue;
        const g = quadForm(W, h, N);
        fixedPart += kk === k ? g / data.gamma[k]! : -g;
      }
    }
    c3Margin.push(fixedPart / data.sigma2[k]! - 1);
    c3Coef.push(R.map((Rs, s) => (Rs ? quadForm(Rs, data.channel(s, k), N) / data.sigma2[k]! : 0)));
  }
  return {
    S,
    cost: trR.map((tr, s) => (tr + mu * (1 - 2 * bPrev[s]!)) / unit),
    c1Coef: trR.map((tr) => tr / unit),
    c1Rhs: Array.from({ length: S }, (_, s) => {
      let tw = 0;
      for (let k = 0; k < K; k++) tw += trace(blk.Wt.get(`${s},${k}`) ?? null);
      return Math.max(0, 1 - tw / unit);
    }),
    c3Coef,
    c3Margin,
    c6Floor: Array.from({ length: S }, (_, s) => Math.max(0, ...blk.a.map((row) => row[s]!)) * (1 - 1e-9)),
    // One C2c per target t, from M_{r,t} for every candidate receiver r.
    lmis: data.targets.map((target, t) => {
      const { Ms, kappa } = receiverLmiTerms(data, terms, t, target.epsilon, Qhat, holdJ ? blk.J[t]! : null);
      return { Ms, trBound: (target.epsilon * (1 - 1e-7)) / kappa };
    }),
    D: 2 + 2 * (S - 1),
    holdJ,
  };
}

/** A compiled b-step: the conic problem and how to read b from its solution. */
interface Compiled {
  problem: ConicProblem;
  readB(sdp: SdpOutcome): number[];
  /** The b-step's optimal value (in P) from the solution. */
  value(sdp: SdpOutcome): number;
}

/** The form `auto` picks for a b-step. */
export function bStepForm(st: BStep): 'primal' | 'dual' {
  return (st.lmis.length * st.D * (st.D + 1)) / 2 > DUAL_FORM_ROWS ? 'dual' : 'primal';
}

/**
 * Solves (22); b clamped to [0, 1], or null when the step cannot be taken (then b is kept,
 * which is feasible for (22)). `value` is the optimum in units of P.
 */
export function solveBStep(st: BStep, form: 'auto' | 'primal' | 'dual' = 'auto'): { b: number[]; value: number } | null {
  const compiled = (form === 'auto' ? bStepForm(st) : form) === 'dual' ? compileDual(st) : compilePrimal(st);
  const sdp = runSdp(compiled.problem, { certifyBound: false }); // the point is used, not a bound
  if (sdp.status !== 'optimal') return null;
  const b = compiled.readB(sdp).map((v) => Math.min(1, Math.max(0, v)));
  // C5 on the clamped b: on extreme data an `optimal` solve can return b_s well above 1, and
  // clamped that b has no receiving BS (measured: path loss -22 dB at 1 m, a 2 km disc)
  return Math.abs(b.reduce((acc, v) => acc + (1 - v), 0) - 1) <= C5_TOL ? { b, value: compiled.value(sdp) } : null;
}

/** (22) in the primal standard form: b, Z_t and [[J'_t, I], [I, T_t]] as cone variables, a slack per inequality. */
function compilePrimal(st: BStep): Compiled {
  const { S, D } = st;
  const K = st.c3Margin.length;
  const bld = new ConicBuilder();
  const bv = bld.addNonneg(S);
  const Zs = st.lmis.map(() => bld.addPsd(D));
  // [[J'_t, I], [I, T_t]], J'_t = kappa_t J_t, per target (J a variable unless held).
  const X4s = st.lmis.map(() => (st.holdJ ? undefined : bld.addPsd(4)));
  const nSlack = S /* b <= 1 */ + S /* C1 */ + K /* C3 */ + S /* C6 */ + (st.holdJ ? 0 : st.lmis.length); /* C2a */
  const slack = bld.addNonneg(nSlack);
  let next = 0;
  const take = (): number => slack.offset + next++;
  for (let s = 0; s < S; s++) bld.addCost(bv.offset + s, st.cost[s]!);
  for (let s = 0; s < S; s++) {
    const row = bld.row(1);
    bld.add(row, bv.offset + s, 1);
    bld.add(row, take(), 1);
  }
  for (let s = 0; s < S; s++) {
    const row = bld.row(st.c1Rhs[s]!);
    bld.add(row, bv.offset + s, st.c1Coef[s]!);
    bld.add(row, take(), 1);
  }
  for (let k = 0; k < K; k++) {
    const row = bld.row(-st.c3Margin[k]!);
    for (let s = 0; s < S; s++) if (st.c3Coef[k]![s]! !== 0) bld.add(row, bv.offset + s, -st.c3Coef[k]![s]!);
    bld.add(row, take(), -1);
  }
  // C5: sum_s (1 - b_s) = 1.
  {
    const row = bld.row(S - 1);
    for (let s = 0; s < S; s++) bld.add(row, bv.offset + s, 1);
  }
  for (let s = 0; s < S; s++) {
    const row = bld.row(st.c6Floor[s]!);
    bld.add(row, bv.offset + s, 1);
    bld.add(row, take(), -1);
  }
  // C2c of every target t: Z_t = sum_s (1 - b_s) M_{s,t} [- J'_t (+) 0]
  //   <=>  Z_t + sum_s b_s M_{s,t} [+ J'_t (+) 0] = sum_s M_{s,t}.
  st.lmis.forEach(({ Ms, trBound }, t) => {
    const Z = Zs[t]!;
    const X4 = X4s[t];
    for (let j = 0; j < D; j++) {
      for (let i = j; i < D; i++) {
        const row = bld.row(summed(Ms, i * D + j));
        bld.addEntry(row, Z, i, j, 1);
        if (X4 && i < 2) bld.addEntry(row, X4, i, j, 1);
        for (let s = 0; s < S; s++) bld.add(row, bv.offset + s, Ms[s]![i * D + j]!);
      }
    }
    if (X4) {
      // C2a: [[J', I], [I, T]] >= 0 and tr T <= eps_t / kappa_t, as in (23) (formulation.ts).
      const fix = (i: number, j: number, value: number): void => bld.addEntry(bld.row(value), X4, i, j, 1);
      fix(2, 0, 1);
      fix(3, 1, 1);
      fix(2, 1, 0);
      fix(3, 0, 0);
      const row = bld.row(trBound);
      bld.addEntry(row, X4, 2, 2, 1);
      bld.addEntry(row, X4, 3, 3, 1);
      bld.add(row, take(), 1);
    }
  });
  return {
    problem: bld.build(),
    readB: (sdp) => Array.from({ length: S }, (_, s) => sdp.x[bv.offset + s]!),
    value: (sdp) => sdp.primalObjective,
  };
}

/**
 * (22) in the dual (inequality) form: max -cost.b over y = (b, J'_t, T_t) with every
 * constraint G_0 + sum_i y_i G_i in a cone, written as the columns of c - A^T y (so A's row i
 * holds -G_i, c holds G_0). Off-diagonal entries of J'_t and T_t enter as twice their value
 * (the variable of E_ij + E_ji / 2), which changes nothing but their scale.
 */
function compileDual(st: BStep): Compiled {
  const { S, D } = st;
  const K = st.c3Margin.length;
  const T = st.lmis.length;
  const bld = new ConicBuilder();
  const lp = bld.addNonneg(3 * S + K + (st.holdJ ? 0 : T));
  const upper = (s: number) => lp.offset + s; // 1 - b_s >= 0
  const c1 = (s: number) => lp.offset + S + s;
  const c3 = (k: number) => lp.offset + 2 * S + k;
  const c6 = (s: number) => lp.offset + 2 * S + K + s;
  const trT = (t: number) => lp.offset + 3 * S + K + t;
  const c5 = bld.addFree(1);
  const Zs = st.lmis.map(() => bld.addPsd(D));
  const X4s = st.lmis.map(() => (st.holdJ ? undefined : bld.addPsd(4)));
  /** G_0's entry (i, j) of a matrix cone, as the cost of its svec coordinate. */
  const constant = (blk: BlockRef, i: number, j: number, g: number): void =>
    bld.addCost(blk.offset + svecIndex(blk.n, Math.max(i, j), Math.min(i, j)), i === j ? g : Math.SQRT2 * g);
  /** y_row's G_i entry (i, j) (symmetric) in a matrix cone: A = -svec(G_i). */
  const term = (row: number, blk: BlockRef, i: number, j: number, g: number): void => bld.addEntry(row, blk, i, j, -(i === j ? 1 : 2) * g);
  for (let s = 0; s < S; s++) {
    bld.addCost(upper(s), 1);
    bld.addCost(c1(s), st.c1Rhs[s]!);
    bld.addCost(c6(s), -st.c6Floor[s]!);
  }
  for (let k = 0; k < K; k++) bld.addCost(c3(k), st.c3Margin[k]!);
  bld.addCost(c5.offset, S - 1); // C5: sum_s b_s = S - 1, a free column's equality
  st.lmis.forEach(({ Ms, trBound }, t) => {
    for (let j = 0; j < D; j++) {
      for (let i = j; i < D; i++) {
        constant(Zs[t]!, i, j, summed(Ms, i * D + j));
      }
    }
    const X4 = X4s[t];
    if (!X4) return;
    constant(X4, 2, 0, 1);
    constant(X4, 3, 1, 1);
    bld.addCost(trT(t), trBound);
  });
  // b_s: its coefficient in every constraint (the rows of y in order: b, then J'_t and T_t)
  for (let s = 0; s < S; s++) {
    const row = bld.row(-st.cost[s]!);
    bld.add(row, upper(s), 1);
    bld.add(row, c1(s), st.c1Coef[s]!);
    for (let k = 0; k < K; k++) if (st.c3Coef[k]![s]! !== 0) bld.add(row, c3(k), st.c3Coef[k]![s]!);
    bld.add(row, c6(s), -1);
    bld.add(row, c5.offset, 1);
    st.lmis.forEach(({ Ms }, t) => {
      for (let j = 0; j < D; j++) for (let i = j; i < D; i++) term(row, Zs[t]!, i, j, -Ms[s]![i * D + j]!);
    });
  }
  if (!st.holdJ) {
    st.lmis.forEach((_, t) => {
      const X4 = X4s[t]!;
      for (const [i, j] of SYM2) {
        const g = i === j ? 1 : 0.5;
        const jRow = bld.row(0); // J'_t enters C2c with -1 and C2a's top-left block with +1
        term(jRow, Zs[t]!, i, j, -g);
        term(jRow, X4, i, j, g);
        const tRow = bld.row(0); // T_t: C2a's bottom-right block and tr T_t <= trBound
        term(tRow, X4, i + 2, j + 2, g);
        if (i === j) bld.add(tRow, trT(t), 1);
      }
    });
  }
  return {
    problem: bld.build(),
    readB: (sdp) => Array.from({ length: S }, (_, s) => sdp.y[s]!),
    value: (sdp) => -sdp.dualObjective,
  };
}

/** Entry e of sum_s M_{s,t}: C2c's constant side (with every b_s = 0), summed over s in order. */
function summed(Ms: Float64Array[], e: number): number {
  let sum = 0;
  for (const M of Ms) sum += M[e]!;
  return sum;
}

/** The entries (i, j), i >= j, of a symmetric 2 x 2 matrix. */
const SYM2 = [
  [0, 0],
  [1, 0],
  [1, 1],
] as const;

/**
 * M_{r,t} = kappa_t diag(d) [F_t^(r)(Q^) - J_t (+) 0] diag(d) for every receiver term r, evaluated
 * numerically at the transmit covariances Q^ (without the J_t term when J is a variable of
 * (22): then sum_s (1 - b_s) = 1 lets it enter once). C2c of target t in (22) is
 * sum_r (1 - b_r) M_{r,t} [- J'_t (+) 0] >= 0.
 */
function receiverLmiTerms(
  data: DesignData,
  terms: ReceiverTerm[],
  target: number,
  epsilon: number,
  Qhat: Float64Array[],
  heldJ: Float64Array | null,
): { Ms: Float64Array[]; kappa: number } {
  const N = data.N;
  const fims = terms.map((term) => data.fim(term.r, term.transmitters, target));
  const { d, kappa } = lmiScaling(data, fims, terms, epsilon);
  const T = fims[0]!.transmitters.length;
  const D = 2 + 2 * T;
  const scaleOf = (i: number): number => (i < 2 ? 1 : d[(i - 2) % T]!);
  const Ms = fims.map((f) => {
    const proj = f.transmitters.map((s, q) => projectQ(f.V[q]!, Qhat[s]!, N));
    const M = new Float64Array(D * D);
    for (let i = 0; i < D; i++) {
      for (let j = i; j < D; j++) {
        let v = 0;
        for (let q = 0; q < T; q++) {
          const c = f.coef(i, j, q);
          if (c) v += traceProduct2(c, proj[q]!);
        }
        if (j < 2 && heldJ) v -= heldJ[2 * i + j]!;
        v *= kappa * scaleOf(i) * scaleOf(j);
        M[i * D + j] = v;
        M[j * D + i] = v;
      }
    }
    return M;
  });
  return { Ms, kappa };
}
