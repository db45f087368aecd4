/**
 * Fisher information (29) of the target position for receiving BS s, the equivalent FIM and
 * the CRLB (7), and the FIM as a linear function of the transmit covariances (for the LMI (12)).
 *
 * The paper's blocks (34)-(37) are garbled by the PDF extraction, so they are re-derived here
 * from the definitions: the FIM element (28) with constant M = sigma_r^2 I reduces to
 * F_ij = (2/sigma_r^2) Re{du^H/dxi_i du/dxi_j}; the noiseless echo (26)-(27) is
 * u = sum_{s'} alpha_{s'} vec(G_{s'} X_{s'}) with du/dp_i = sum alpha vec(G~_i X) (32),
 * du/dRe(alpha_{s'}) = vec(G X), du/dIm(alpha_{s'}) = j vec(G X); vec(A X)^H vec(B X) = L tr(B Q A^H)
 * by (1/L) X X^H = Q, and cross terms between different transmitters vanish (independent
 * signals). Hence, with k = 2L/sigma_r^2:
 *   F_{p_i p_j}       = k Re sum_{s'} |alpha|^2 tr(G~_j Q G~_i^H)
 *   F_{p_i, Re a_s'}  = k Re(conj(alpha) tr(G Q G~_i^H))
 *   F_{p_i, Im a_s'}  = k Re(j conj(alpha) tr(G Q G~_i^H))
 *   F_{aa}            = k I_2 (x) diag(tr(G Q G^H))
 * with G~_i = G_dot_i - tau_dot_i G (contract). These signs are checked against finite
 * differences of an explicit echo in test/model/fim.test.ts.
 *
 * Parameter order: [p1, p2, Re alpha_{s,s'_1..}, Im alpha_{s,s'_1..}], s' != s increasing.
 *
 * Several targets (contract, "Several targets"): their echoes are resolvable, so the FIM of
 * all parameters is block diagonal with one block of the form above per target (its own
 * position, its own gains alpha_{t,s,s'}); every function here computes the block of one
 * target, chosen by `FimOptions.target` (which must be given when there are several).
 */
import { type CMat, type CVec, adjoint, cmat, fromColumns, hermitianPart, mul, mulAH, outer, scale, sub, add, traceMul, zeros } from '../linalg/complex.ts';
import { eigh } from '../linalg/complex-decomp.ts';
import type { Point, Scenario } from './types.ts';
import { delayGradient, indexWeighted, sinTheta, sinThetaGradient, steering, steeringDerivative } from './geometry.ts';

export interface FimOptions {
  /**
   * Factor on the delay term tau_dot of G~ = G_dot - tau_dot G (default 1, the contract).
   * 0 drops it. The CRLB does not depend on it (the term lies in the span of the gain
   * parameters); the option exists to show exactly that.
   */
  delayScale?: number | undefined;
  /**
   * Which target's FIM block (0-based). Required when the scenario has several targets (a
   * silent default would drop every other target's constraint); 0 when it has one.
   */
  target?: number | undefined;
}

/** The target a FIM is computed for (see FimOptions.target). */
export function targetIndex(scn: Scenario, opts: FimOptions = {}): number {
  const T = scn.targets.length;
  const t = opts.target;
  if (t === undefined) {
    if (T !== 1) throw new RangeError(`the scenario has ${T} targets: the FIM needs FimOptions.target`);
    return 0;
  }
  if (!Number.isInteger(t) || t < 0 || t >= T) throw new RangeError(`target ${t} out of range 0..${T - 1}`);
  return t;
}

/** Transmitting BSs s' != receiver in increasing order: the order of the gain parameters. */
export function transmittersOf(S: number, receiver: number): number[] {
  return Array.from({ length: S }, (_, s) => s).filter((s) => s !== receiver);
}

/** 2 + 2(S-1). */
export function fimDimension(S: number): number {
  return 2 + 2 * (S - 1);
}

/** Names of the FIM parameters in order, e.g. `Re alpha[1][0]` (receiver 1, transmitter 0). */
export function fimParameterNames(S: number, receiver: number): string[] {
  const tx = transmittersOf(S, receiver);
  return ['p1', 'p2', ...tx.map((t) => `Re alpha[${receiver}][${t}]`), ...tx.map((t) => `Im alpha[${receiver}][${t}]`)];
}

/** Everything about link (receiver s, transmitter s') needed by the FIM. */
export interface RadarLink {
  tx: number;
  alpha: [number, number];
  /** a(theta_{r,s}) and a(theta_{t,s'}). */
  aR: CVec;
  aT: CVec;
  /** d sin(theta)/dp at the receiver and the transmitter. */
  dSinR: Point;
  dSinT: Point;
  /** d tau_{s,s'}/dp, s/m. */
  dTau: Point;
}

/** Link (receiver, tx) through target number `target`. */
export function radarLink(scn: Scenario, receiver: number, tx: number, target: number): RadarLink {
  const rx = scn.baseStations[receiver]!;
  const t = scn.baseStations[tx]!;
  const p = scn.targets[target]!.position;
  return {
    tx,
    alpha: scn.targets[target]!.radarGains[receiver]![tx]!,
    aR: steering(scn.N, sinTheta(rx.position, rx.arrayAxis, p)),
    aT: steering(scn.N, sinTheta(t.position, t.arrayAxis, p)),
    dSinR: sinThetaGradient(rx.position, rx.arrayAxis, p),
    dSinT: sinThetaGradient(t.position, t.arrayAxis, p),
    dTau: delayGradient(rx.position, t.position, p),
  };
}

function checkInputs(scn: Scenario, receiver: number, q: readonly CMat[]): void {
  if (!Number.isInteger(receiver) || receiver < 0 || receiver >= scn.S) {
    throw new RangeError(`receiver ${receiver} out of range 0..${scn.S - 1}`);
  }
  if (q.length !== scn.S) throw new RangeError(`expected ${scn.S} transmit covariances, got ${q.length}`);
  q.forEach((m, s) => {
    if (m.rows !== scn.N || m.cols !== scn.N) throw new RangeError(`Q[${s}] must be ${scn.N} x ${scn.N}`);
  });
}

function zerosReal(n: number): number[][] {
  return Array.from({ length: n }, () => new Array<number>(n).fill(0));
}

/**
 * The full FIM F^(s) (29) for receiver s given the transmit covariances Q_{s'} of every BS
 * (the receiver's own entry is ignored). Computed directly with dense N x N matrices.
 */
export function fisherInformation(scn: Scenario, receiver: number, q: readonly CMat[], opts: FimOptions = {}): number[][] {
  checkInputs(scn, receiver, q);
  const target = targetIndex(scn, opts);
  const delta = opts.delayScale ?? 1;
  const tx = transmittersOf(scn.S, receiver);
  const T = tx.length;
  const F = zerosReal(fimDimension(scn.S));
  const k = (2 * scn.L) / scn.radarNoisePower;
  tx.forEach((t, m) => {
    const link = radarLink(scn, receiver, t, target);
    const [ar, ai] = link.alpha;
    const abs2 = ar * ar + ai * ai;
    const Q = q[t];
    const G = outer(link.aR, link.aT);
    const Gt = [0, 1].map((i) => {
      const dG = add(outer(steeringDerivative(link.aR, link.dSinR[i]!), link.aT), outer(link.aR, steeringDerivative(link.aT, link.dSinT[i]!)));
      return sub(dG, scale(G, delta * link.dTau[i]!));
    });
    const GtQ = Gt.map((g) => mul(g, Q!));
    const GQ = mul(G, Q!);
    for (let i = 0; i < 2; i++) {
      for (let j = 0; j < 2; j++) F[i]![j]! += k * abs2 * traceMul(GtQ[j]!, adjoint(Gt[i]!))[0];
      const [cr, ci] = traceMul(GQ, adjoint(Gt[i]!));
      // c = conj(alpha) tr(G Q G~_i^H)
      const re = ar * cr + ai * ci;
      const im = ar * ci - ai * cr;
      F[i]![2 + m] = F[2 + m]![i] = k * re;
      F[i]![2 + T + m] = F[2 + T + m]![i] = -k * im; // Re(j c) = -Im c
    }
    const E = traceMul(GQ, adjoint(G))[0];
    F[2 + m]![2 + m] = k * E;
    F[2 + T + m]![2 + T + m] = k * E;
  });
  return F;
}

/**
 * Equivalent FIM of the position, J_e = F_pp - F_pa F_aa^+ F_pa^T (Schur complement).
 * F_aa is diagonal in theory; a gain whose information is zero (transmitter with Q a_t = 0,
 * e.g. silent) is unidentifiable and, by Cauchy-Schwarz, also uncoupled from p, so it is
 * dropped (pseudo-inverse; entries <= 1e-14 of the largest count as zero). A non-diagonal
 * F_aa (e.g. from finite differences) is pseudo-inverted through its eigendecomposition.
 */
export function equivalentFim(F: readonly (readonly number[])[]): number[][] {
  const n = F.length;
  const na = n - 2;
  let maxDiag = 0;
  let maxOff = 0;
  for (let a = 0; a < na; a++) {
    maxDiag = Math.max(maxDiag, Math.abs(F[2 + a]![2 + a]!));
    for (let b = 0; b < na; b++) if (a !== b) maxOff = Math.max(maxOff, Math.abs(F[2 + a]![2 + b]!));
  }
  const pinv = zerosReal(na);
  if (maxOff <= 1e-12 * maxDiag) {
    for (let a = 0; a < na; a++) {
      const d = F[2 + a]![2 + a]!;
      if (d > 1e-14 * maxDiag) pinv[a]![a] = 1 / d;
    }
  } else {
    const m = zeros(na, na);
    for (let a = 0; a < na; a++) for (let b = 0; b < na; b++) m.data[2 * (a * na + b)] = F[2 + a]![2 + b]!;
    const { values, vectors } = eigh(m);
    const top = Math.max(...values);
    values.forEach((l, c) => {
      if (!(l > 1e-14 * top)) return;
      for (let a = 0; a < na; a++) for (let b = 0; b < na; b++) pinv[a]![b]! += (vectors.data[2 * (a * na + c)]! * vectors.data[2 * (b * na + c)]!) / l;
    });
  }
  const J = [
    [F[0]![0]!, F[0]![1]!],
    [F[1]![0]!, F[1]![1]!],
  ];
  for (let i = 0; i < 2; i++)
    for (let j = 0; j < 2; j++) for (let a = 0; a < na; a++) for (let b = 0; b < na; b++) J[i]![j]! -= F[i]![2 + a]! * pinv[a]![b]! * F[j]![2 + b]!;
  const off = 0.5 * (J[0]![1]! + J[1]![0]!);
  J[0]![1] = J[1]![0] = off;
  return J;
}

/**
 * tr(J^{-1}) for the 2 x 2 equivalent FIM; Infinity when J is singular (no information in
 * some direction, e.g. all Q = 0): det <= 1e-12 tr(J)^2, i.e. condition number beyond ~1e12.
 */
export function crlbFromEquivalentFim(J: readonly (readonly number[])[]): number {
  const a = J[0]![0]!;
  const b = 0.5 * (J[0]![1]! + J[1]![0]!);
  const c = J[1]![1]!;
  const tr = a + c;
  const det = a * c - b * b;
  if (!(tr > 0) || !(det > 1e-12 * tr * tr)) return Infinity;
  return tr / det;
}

/** CRLB (7) in m^2 for receiver s and transmit covariances Q (Infinity when J_e is singular). */
export function crlb(scn: Scenario, receiver: number, q: readonly CMat[], opts: FimOptions = {}): number {
  return crlbFromEquivalentFim(equivalentFim(fisherInformation(scn, receiver, q, opts)));
}

/** The CRLB (7) of every target, in the order of `scn.targets` (block-diagonal FIM). */
export function crlbPerTarget(scn: Scenario, receiver: number, q: readonly CMat[], opts: Omit<FimOptions, 'target'> = {}): number[] {
  return scn.targets.map((_, target) => crlb(scn, receiver, q, { ...opts, target }));
}

// ---------------------------------------------------------------------------------------
// The FIM as a linear function of the Q_{s'}, in low-rank form.

/** C_{ij,s'} = V_{s'} m V_{s'}^H: transmitter s' contributes tr(C Q_{s'}) to F_ij. */
export interface FimCoefficientTerm {
  transmitter: number;
  /** 2 x 2 Hermitian. */
  m: CMat;
}

export interface FimCoefficientEntry {
  i: number;
  j: number;
  /** Only transmitters that contribute (others have C = 0). */
  terms: FimCoefficientTerm[];
}

export interface FimCoefficients {
  receiver: number;
  /** The target whose FIM block this is. */
  target: number;
  /** s' != receiver, increasing: the order of the gain parameters. */
  transmitters: number[];
  /** FIM size 2 + 2(S-1). */
  dim: number;
  N: number;
  /**
   * basis[s'] = V_{s'} = [a_t(theta_{s'}), D a_t(theta_{s'})] (N x 2), D = diag(0..N-1); every
   * coefficient of transmitter s' lives in span V_{s'}. null for the receiver.
   */
  basis: (CMat | null)[];
  /** Upper triangle (i <= j) in row-major order: entries for (0,0), (0,1), ..., (dim-1, dim-1). */
  entries: FimCoefficientEntry[];
}

/**
 * For every FIM entry (i <= j) and transmitter s', the Hermitian C with
 * F_ij = sum_{s'} tr(C_{ij,s'} Q_{s'}), as C = V_{s'} M V_{s'}^H with a 2 x 2 Hermitian M.
 *
 * Why it works: G = P_0 V^H and G~_i = P_i V^H with P_0 = [a_r, 0] and
 * P_i = [da_r/dp_i - tau_dot_i a_r, j pi (d sin theta_t/dp_i) a_r] (da_t/dp_i = -j pi s_i D a_t),
 * so tr(A Q B^H) = tr(P_B^H P_A V^H Q V) and Re tr(M T) = tr(Herm(M) T) for Hermitian T.
 */
export function fimCoefficients(scn: Scenario, receiver: number, opts: FimOptions = {}): FimCoefficients {
  if (!Number.isInteger(receiver) || receiver < 0 || receiver >= scn.S) {
    throw new RangeError(`receiver ${receiver} out of range 0..${scn.S - 1}`);
  }
  const target = targetIndex(scn, opts);
  const delta = opts.delayScale ?? 1;
  const tx = transmittersOf(scn.S, receiver);
  const T = tx.length;
  const dim = fimDimension(scn.S);
  const k = (2 * scn.L) / scn.radarNoisePower;
  const basis: (CMat | null)[] = scn.baseStations.map(() => null);
  const terms = new Map<string, FimCoefficientTerm[]>();
  const push = (i: number, j: number, transmitter: number, m: CMat) => {
    const key = `${i},${j}`;
    if (!terms.has(key)) terms.set(key, []);
    terms.get(key)!.push({ transmitter, m });
  };
  const zeroCol = new Float64Array(2 * scn.N);
  tx.forEach((t, mIdx) => {
    const link = radarLink(scn, receiver, t, target);
    const [ar, ai] = link.alpha;
    const abs2 = ar * ar + ai * ai;
    basis[t] = fromColumns([link.aT, indexWeighted(link.aT)]);
    const P0 = fromColumns([link.aR, zeroCol]);
    const P = [0, 1].map((i) => {
      const x = steeringDerivative(link.aR, link.dSinR[i]!);
      const dTau = delta * link.dTau[i]!;
      for (let n = 0; n < x.length; n++) x[n]! -= dTau * link.aR[n]!;
      // j pi s_i a_r
      const f = Math.PI * link.dSinT[i]!;
      const y = new Float64Array(link.aR.length);
      for (let n = 0; n < scn.N; n++) {
        y[2 * n] = -f * link.aR[2 * n + 1]!;
        y[2 * n + 1] = f * link.aR[2 * n]!;
      }
      return fromColumns([x, y]);
    });
    for (let i = 0; i < 2; i++) {
      for (let j = i; j < 2; j++) push(i, j, t, scale(hermitianPart(mulAH(P[i]!, P[j]!)), k * abs2));
      const base = mulAH(P[i]!, P0);
      // k Herm(conj(alpha) P_i^H P_0) and k Herm(j conj(alpha) P_i^H P_0); j conj(alpha) = Im a + j Re a.
      push(i, 2 + mIdx, t, hermitianPart(scale(base, k * ar, -k * ai)));
      push(i, 2 + T + mIdx, t, hermitianPart(scale(base, k * ai, k * ar)));
    }
    const e = scale(mulAH(P0, P0), k);
    push(2 + mIdx, 2 + mIdx, t, e);
    push(2 + T + mIdx, 2 + T + mIdx, t, e);
  });
  const entries: FimCoefficientEntry[] = [];
  for (let i = 0; i < dim; i++) for (let j = i; j < dim; j++) entries.push({ i, j, terms: terms.get(`${i},${j}`) ?? [] });
  return { receiver, target, transmitters: tx, dim, N: scn.N, basis, entries };
}

/** The coefficient entry for (i, j) in either order. */
export function coefficientEntry(c: FimCoefficients, i: number, j: number): FimCoefficientEntry {
  return c.entries[upperTriangleIndex(i, j, c.dim)]!;
}

/**
 * Index of entry (i, j) (either order) in the row-major upper triangle of a dim x dim matrix,
 * the order of FimCoefficients.entries: rows before min(i, j) contribute dim + (dim - 1) + ...
 */
export function upperTriangleIndex(i: number, j: number, dim: number): number {
  const a = Math.min(i, j);
  return a * dim - (a * (a - 1)) / 2 + (Math.max(i, j) - a);
}

/** Dense N x N coefficient C = V M V^H of a term. */
export function coefficientMatrix(c: FimCoefficients, term: FimCoefficientTerm): CMat {
  const v = c.basis[term.transmitter];
  if (!v) throw new RangeError(`BS ${term.transmitter} is the receiver: it has no coefficient`);
  return hermitianPart(mul(mul(v, term.m), adjoint(v)));
}

/** F_ij = sum_{s'} tr(C_{ij,s'} Q_{s'}) = sum tr(M V^H Q V), evaluated in the 2-dim subspaces. */
export function fimFromCoefficients(c: FimCoefficients, q: readonly CMat[]): number[][] {
  const reduced = c.basis.map((v, s) => (v ? mulAH(v, mul(q[s]!, v)) : cmat(2, 2)));
  const F = zerosReal(c.dim);
  for (const e of c.entries) {
    let sum = 0;
    for (const t of e.terms) sum += traceMul(t.m, reduced[t.transmitter]!)[0];
    F[e.i]![e.j] = F[e.j]![e.i] = sum;
  }
  return F;
}
