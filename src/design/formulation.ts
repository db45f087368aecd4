/**
 * The rank-relaxed beamforming SDP that every method solves, in one parametrised builder:
 *
 *   minimise   sum tr(W~_{s,k}) + sum tr(R~_s)  [+ Algorithm 1's penalty on a]
 *   subject to SINR (9) per user, power C1 per BS, CRLB via C2a (as an LMI) and the
 *              Schur-complement LMI (12), optional big-M coupling (18)-(21).
 *
 * - `fixed` (13): one receiver, one candidate BS per user.
 * - branch-and-bound relaxations: one receiver, several candidate BSs per user, no a.
 * - Algorithm 1's subproblem (23): big-M mode with association variables a and the
 *   linearised penalty (17).
 * R~_s = b_s R_s is the covariance actually transmitted (for binary b it is R_s); with it
 * the subproblem is linear for any fixed b.
 *
 Scaling (so that the interior-point method sees numbers near one, and its residual
 * tolerance, relative to ||b||, means the same for every row):
 * - each matrix variable has its own power unit: user k's W~ is measured in
 *   u_k = Gamma_k sigma_k^2 / max_s ||h_{s,k}||^2 (the interference-free MRT power that
 *   meets its target), sensing covariances in u_R = the isotropic power at which the
 *   position information reaches 2/eps; both clipped to [1e-9 P, P];
 * - every SINR row divided by sigma_k^2, power rows by P, so each inequality reads
 *   (terms of order one) <= 1;
 * - nuisance parameters rescaled from alpha to alpha/|alpha| (a congruence of the FIM
 *   with diag(1, 1, |alpha|..): it leaves the Schur complement (7) unchanged);
 * - the LMI multiplied by kappa = eps / 2 and J' = kappa J (J ~ (2/eps) I at the bound),
 *   so tr(J^-1) <= eps becomes tr(J'^-1) <= 2 and every LMI entry is of order one;
 * - the objective in units of u_obj = sum of the block units.
 */
import { ConicBuilder, hvecIndex, readHermitian, type BlockRef } from './conic-builder.ts';
import type { ConicProblem } from '../conic/types.ts';
import type { DesignData, FimLinear } from './data.ts';
import { eigHermitian2, mulV2 } from './hermitian2.ts';

export interface ReceiverTerm {
  r: number;
  /** 1 - b_r: weight of this receiver's LMI in C2c (12). */
  weight: number;
  /** Transmitters whose echo enters the FIM (all others, or BS1 only for scheme 3). */
  transmitters: number[];
}

export interface BigM {
  /** Previous association iterate a^(t) as [k][s]. */
  aPrev: number[][];
  /** Penalty factor mu, in W. */
  mu: number;
  /** b_s (fixed in this subproblem). */
  b: number[];
  /** Keep the paper's C10a-C10d literally (W variables, three LMIs per pair) instead of tr(W~) <= a P. */
  literalC10?: boolean;
}

export interface NodeSpec {
  receivers: ReceiverTerm[];
  /** BSs with a dedicated sensing covariance variable. */
  sensingTx: number[];
  /** Candidate serving BSs of each user. */
  candidates: number[][];
  bigM?: BigM;
  /**
   * Relative safety margin on the SINR and CRLB targets, so that a point meeting the
   * solver's tolerances also meets the model's re-evaluation. Default 1e-7.
   */
  margin?: number;
}

export interface Formulation {
  problem: ConicProblem;
  /** W~_{s,k} blocks, key `${s},${k}`. */
  W: Map<string, BlockRef>;
  R: Map<number, BlockRef>;
  /** Association variables (big-M mode), key `${s},${k}` -> column. */
  a: Map<string, number>;
  /** Power unit (W) of user k's W~ blocks. */
  userUnit: number[];
  /** Power unit (W) of the sensing covariances. */
  sensingUnit: number;
  /** Unit (W) of the objective: solver objective * objectiveUnit = W. */
  objectiveUnit: number;
  /** Constant part of the objective (penalty constants), in W. */
  constant: number;
  /** LMI scale kappa (J' = kappa J). */
  kappa: number;
  /** Top-left 4x4 block [[J', I], [I, T]]. */
  X4: BlockRef;
  nuisanceScale: number[];
}

/**
 * The common nuisance rescaling d_q, the LMI scale kappa and the position information per
 * watt of isotropic transmission, for a set of receivers.
 */
export function lmiScaling(data: DesignData, fims: FimLinear[], terms: ReceiverTerm[]) {
  const T = fims[0].transmitters.length;
  const d = new Array<number>(T).fill(0);
  for (const f of fims) for (let q = 0; q < T; q++) d[q] = Math.max(d[q], f.alphaAbs[q]);
  for (let q = 0; q < T; q++) if (!(d[q] > 0)) d[q] = 1;
  // Position information of Q = I/N (1 W) at every transmitter: sum_q tr(C_00 + C_11) / N.
  let infoPerWatt = 0;
  const n = data.N;
  fims.forEach((f, idx) => {
    for (let q = 0; q < T; q++) {
      const V = f.V[q];
      let g00 = 0;
      let g11 = 0;
      let g01r = 0;
      let g01i = 0;
      for (let e = 0; e < n; e++) {
        const ar = V[2 * e];
        const ai = V[2 * e + 1];
        const br = V[2 * n + 2 * e];
        const bi = V[2 * n + 2 * e + 1];
        g00 += ar * ar + ai * ai;
        g11 += br * br + bi * bi;
        g01r += ar * br + ai * bi; // conj(a) b
        g01i += ar * bi - ai * br;
      }
      for (let i = 0; i < 2; i++) {
        const M = f.coef(i, i, q);
        if (!M) continue;
        // tr(V M V^H) = tr(M G), G = V^H V = [[g00, g01], [conj g01, g11]]
        const t = M[0] * g00 + M[6] * g11 + 2 * (M[2] * g01r + M[3] * g01i);
        infoPerWatt += (terms[idx].weight * Math.abs(t)) / n;
      }
    }
  });
  const kappa = data.epsilon / 2;
  return { d, kappa, infoPerWatt };
}

function clampUnit(u: number, P: number): number {
  if (!(u > 0) || !Number.isFinite(u)) return P;
  return u;
}

/** u_k = Gamma_k sigma_k^2 / max_s ||h_{s,k}||^2 over the user's candidates. */
function userUnits(data: DesignData, candidates: number[][]): number[] {
  return candidates.map((cands, k) => {
    let best = 0;
    for (const s of cands) {
      const h = data.channel(s, k);
      let g = 0;
      for (let i = 0; i < h.length; i++) g += h[i] * h[i];
      best = Math.max(best, g);
    }
    return clampUnit((data.gamma[k] * data.sigma2[k]) / best, data.P);
  });
}

export function buildFormulation(data: DesignData, spec: NodeSpec): Formulation {
  const { N, K } = data;
  const margin = spec.margin ?? 1e-7;
  const b = new ConicBuilder();

  // --- variables -----------------------------------------------------------------
  const W = new Map<string, BlockRef>();
  for (let k = 0; k < K; k++) for (const s of spec.candidates[k]) W.set(`${s},${k}`, b.addHpsd(N));
  const R = new Map<number, BlockRef>();
  for (const s of spec.sensingTx) R.set(s, b.addHpsd(N));

  const fims = spec.receivers.map((t) => data.fim(t.r, t.transmitters));
  const { d, kappa, infoPerWatt } = lmiScaling(data, fims, spec.receivers);
  const userUnit = userUnits(data, spec.candidates);
  const sensingUnit = clampUnit(2 / data.epsilon / infoPerWatt, data.P);
  let objectiveUnit = sensingUnit;
  for (const u of userUnit) objectiveUnit += u;
  const unitOf = (key: string): number => userUnit[Number(key.split(',')[1])];
  const T = fims[0].transmitters.length;
  for (const f of fims) {
    if (f.transmitters.length !== T) throw new Error('receivers of one LMI must have equally many transmitters');
  }
  const D = 2 + 2 * T;
  const Z = b.addPsd(D);
  const X4 = b.addPsd(4);

  const aCols = new Map<string, number>();
  const bigM = spec.bigM;
  let aBlock: BlockRef | undefined;
  if (bigM) {
    const pairs: string[] = [];
    for (let k = 0; k < K; k++) for (const s of spec.candidates[k]) pairs.push(`${s},${k}`);
    aBlock = b.addNonneg(pairs.length);
    pairs.forEach((key, i) => aCols.set(key, aBlock!.offset + i));
  }

  // Slack variables for the inequality rows, one nonneg block.
  const txSet = new Set<number>();
  for (const key of W.keys()) txSet.add(Number(key.split(',')[0]));
  for (const s of R.keys()) txSet.add(s);
  const powerBs = [...txSet].sort((x, y) => x - y);
  let nSlack = K + powerBs.length + 1;
  if (bigM && !bigM.literalC10) nSlack += aCols.size;
  if (bigM) for (const key of aCols.keys()) if (bigM.b[Number(key.split(',')[0])] < 1) nSlack++;
  const slack = b.addNonneg(nSlack);
  let nextSlack = 0;
  const takeSlack = (): number => slack.offset + nextSlack++;

  // --- objective -----------------------------------------------------------------
  for (const [key, blk] of W) b.addCostTrace(blk, unitOf(key) / objectiveUnit);
  for (const blk of R.values()) b.addCostTrace(blk, sensingUnit / objectiveUnit);
  let constant = 0;
  if (bigM) {
    for (const [key, col] of aCols) {
      const [s, k] = key.split(',').map(Number);
      const prev = bigM.aPrev[k][s];
      b.addCost(col, (bigM.mu / objectiveUnit) * (1 - 2 * prev));
      constant += bigM.mu * prev * prev;
    }
  }

  // --- SINR (9), divided by sigma_k^2, powers in units of P ---------------------------
  for (let k = 0; k < K; k++) {
    const row = b.row(1);
    const g = data.gamma[k] * (1 + margin);
    const inv = 1 / data.sigma2[k];
    for (let kk = 0; kk < K; kk++) {
      for (const s of spec.candidates[kk]) {
        const h = data.channel(s, k);
        const coefficient = (kk === k ? inv / g : -inv) * userUnit[kk];
        b.addLowRank(row, W.get(`${s},${kk}`)!, h, [1], coefficient);
      }
    }
    for (const [s, blk] of R) b.addLowRank(row, blk, data.channel(s, k), [1], -inv * sensingUnit);
    b.add(row, takeSlack(), -1);
  }

  // --- power C1 -------------------------------------------------------------------------
  for (const s of powerBs) {
    const row = b.row(1);
    for (const [key, blk] of W) if (Number(key.split(',')[0]) === s) b.addTrace(row, blk, unitOf(key) / data.P);
    const rb = R.get(s);
    if (rb) b.addTrace(row, rb, sensingUnit / data.P);
    b.add(row, takeSlack(), 1);
  }

  // --- CRLB: [[J', I], [I, T]] >= 0, tr T <= eps / kappa, and the LMI (12) ------------------
  const fixEntry = (i: number, j: number, value: number): void => {
    const row = b.row(value);
    b.addEntry(row, X4, i, j, 1);
  };
  fixEntry(2, 0, 1);
  fixEntry(3, 1, 1);
  fixEntry(2, 1, 0);
  fixEntry(3, 0, 0);
  {
    const row = b.row((data.epsilon * (1 - margin)) / kappa);
    b.addEntry(row, X4, 2, 2, 1);
    b.addEntry(row, X4, 3, 3, 1);
    b.add(row, takeSlack(), 1);
  }
  const totalWeight = spec.receivers.reduce((acc, t) => acc + t.weight, 0);
  const nuisanceScale = (i: number): number => (i < 2 ? 1 : d[(i - 2) % T]);
  for (let j = 0; j < D; j++) {
    for (let i = j; i < D; i++) {
      const row = b.row(0);
      b.addEntry(row, Z, i, j, 1);
      if (i < 2) b.addEntry(row, X4, i, j, totalWeight);
      const dij = nuisanceScale(i) * nuisanceScale(j);
      spec.receivers.forEach((term, idx) => {
        const f = fims[idx];
        for (let q = 0; q < T; q++) {
          const M = f.coef(j, i, q);
          if (!M) continue;
          const { values, U } = eigHermitian2(M);
          if (values[0] === 0 && values[1] === 0) continue;
          const VU = mulV2(f.V[q], U, N);
          const scale = -term.weight * kappa * dij;
          const s = f.transmitters[q];
          for (let k = 0; k < K; k++) {
            const blk = W.get(`${s},${k}`);
            if (blk) b.addLowRank(row, blk, VU, values, scale * userUnit[k]);
          }
          const rb = R.get(s);
          if (rb) b.addLowRank(row, rb, VU, values, scale * sensingUnit);
        }
      });
    }
  }

  // --- big-M association coupling ---------------------------------------------------
  if (bigM && aBlock) {
    for (let k = 0; k < K; k++) {
      const row = b.row(1);
      for (const s of spec.candidates[k]) b.add(row, aCols.get(`${s},${k}`)!, 1);
    }
    for (const [key, col] of aCols) {
      const s = Number(key.split(',')[0]);
      if (bigM.b[s] < 1) {
        const row = b.row(bigM.b[s]);
        b.add(row, col, 1);
        b.add(row, takeSlack(), 1);
      }
      const wb = W.get(key)!;
      const u = unitOf(key);
      if (!bigM.literalC10) {
        // tr(W~) <= a P (divided by P): equivalent to C10a-C10d at the optimum (see test/design/bigm.test.ts).
        const row = b.row(0);
        b.addTrace(row, wb, u / data.P);
        b.add(row, col, -1);
        b.add(row, takeSlack(), 1);
      } else {
        literalC10(b, wb, col, data.P / u, N);
      }
    }
  }
  if (nextSlack !== nSlack) throw new Error(`internal: slack count ${nextSlack} != ${nSlack}`);

  const nuis: number[] = [];
  for (let i = 0; i < D; i++) nuis.push(nuisanceScale(i));
  const problem = b.build();
  // The penalty (mu = 3e4 W against powers of ~0.1 W) would make the cost vector huge;
  // keep its largest entry at one (a pure change of the objective's unit).
  let cmax = 0;
  for (let i = 0; i < problem.c.length; i++) cmax = Math.max(cmax, Math.abs(problem.c[i]));
  if (cmax > 1) {
    for (let i = 0; i < problem.c.length; i++) problem.c[i] /= cmax;
    objectiveUnit *= cmax;
  }
  return { problem, W, R, a: aCols, userUnit, sensingUnit, objectiveUnit, constant, kappa, X4, nuisanceScale: nuis };
}

/** W~_{s,k} of a solution, in W (interleaved row-major N x N). */
export function readW(f: Formulation, x: Float64Array, s: number, k: number): Float64Array {
  const m = readHermitian(x, f.W.get(`${s},${k}`)!);
  const u = f.userUnit[k];
  for (let i = 0; i < m.length; i++) m[i] *= u;
  return m;
}

/** R~_s of a solution, in W. */
export function readR(f: Formulation, x: Float64Array, s: number): Float64Array {
  const m = readHermitian(x, f.R.get(s)!);
  for (let i = 0; i < m.length; i++) m[i] *= f.sensingUnit;
  return m;
}

/**
 * The paper's C10a-C10d with a W variable per pair:
 * a P I - W~ >= 0, W~ - W + (1 - a) P I >= 0, W - W~ >= 0, W >= 0.
 */
function literalC10(b: ConicBuilder, wt: BlockRef, aCol: number, budget: number, n: number): void {
  const Wv = b.addHpsd(n);
  const S1 = b.addHpsd(n);
  const S2 = b.addHpsd(n);
  const S3 = b.addHpsd(n);
  for (let e = 0; e < n * n; e++) {
    const isDiag = isHvecDiagonal(n, e);
    // S1 = a P I - W~
    let row = b.row(0);
    b.add(row, S1.offset + e, 1);
    b.add(row, wt.offset + e, 1);
    if (isDiag) b.add(row, aCol, -budget);
    // S2 = W~ - W + (1 - a) P I
    row = b.row(isDiag ? budget : 0);
    b.add(row, S2.offset + e, 1);
    b.add(row, wt.offset + e, -1);
    b.add(row, Wv.offset + e, 1);
    if (isDiag) b.add(row, aCol, budget);
    // S3 = W - W~
    row = b.row(0);
    b.add(row, S3.offset + e, 1);
    b.add(row, Wv.offset + e, -1);
    b.add(row, wt.offset + e, 1);
  }
}

function isHvecDiagonal(n: number, e: number): boolean {
  for (let j = 0; j < n; j++) if (hvecIndex(n, j, j) === e) return true;
  return false;
}
