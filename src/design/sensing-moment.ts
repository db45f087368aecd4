/**
 * Sensing moments. Every FIM entry of target t reads transmitter s's covariance Q_s only
 * through Y = V^H Q_s V, V = [a_t, D a_t] (fim.ts: F_ij = sum_s tr(V M_ij V^H Q_s)). The SDP
 * carries Y (in an orthonormal basis B of span V, V = B G) as a small variable of its own,
 * tied to the covariances by one row per real coordinate of Y, and the LMI rows (12) read Y
 * instead of every W~ and R~ block of BS s.
 *
 * Why: with T transmitters, 3 + 6T rows of each target's LMI used to touch the large blocks
 * (the position entries, and each transmitter's position-gain and gain-gain entries); now 4T
 * moment rows do, each on one BS's blocks only, and the LMI rows meet each other only through
 * small blocks (a sparse Schur complement). The reformulation is exact: Y is defined by
 * equalities, and the cone Y >= 0 it is given is implied (Y = B^H Q_s B with Q_s >= 0), so it
 * removes no feasible point; Y lies in the interior whenever Q_s does.
 *
 * The price is a degeneracy: at an optimum where Q_s is singular on span V (a BS with one
 * beam and no sensing covariance), Y and its dual slack (zero, as the cone is implied) both
 * vanish. What was tried against it is in docs/solver.md ("Several targets").
 */
import type { BlockRef } from './conic-builder.ts';
import { cmat, dotH, mul, mulBH, norm2sq } from '../linalg/complex.ts';
import { eigHermitian2, mulV2 } from './hermitian2.ts';

/** The moment variable of one (transmitter, target) pair. */
export interface SensingMoment {
  /** The r x r Hermitian PSD block holding Y' = B^H Q_s B / u_obj. */
  block: BlockRef;
  /** Orthonormal basis B of span V in the BS's subspace coordinates (d x r, column-major interleaved). */
  B: Float64Array;
  /** V = B G: G is r x 2, row-major interleaved (upper triangular). */
  G: Float64Array;
  /** Numerical rank of V (2, or 1 when D a_t is parallel to a_t, e.g. one antenna). */
  rank: number;
  /** Watts per unit of the block (it holds B^H Q_s B / unit): the objective's unit u_obj. */
  unit: number;
}

/** Columns whose remaining norm is below this fraction of the first column's are dropped. */
const RANK_TOL = 1e-10;

/**
 * Orthonormal basis of span V (d x 2, column-major interleaved) by Gram-Schmidt, with V = B G.
 */
export function momentBasis(V: Float64Array, d: number): { B: Float64Array; G: Float64Array; rank: number } {
  const v0 = V.subarray(0, 2 * d);
  const v1 = V.subarray(2 * d, 4 * d);
  const r00 = Math.sqrt(norm2sq(v0));
  if (!(r00 > 0)) throw new RangeError('sensing basis: a_t is zero');
  const q0 = v0.map((x) => x / r00);
  const [r01r, r01i] = dotH(q0, v1);
  const w = new Float64Array(2 * d);
  for (let i = 0; i < d; i++) {
    w[2 * i] = v1[2 * i]! - (q0[2 * i]! * r01r - q0[2 * i + 1]! * r01i);
    w[2 * i + 1] = v1[2 * i + 1]! - (q0[2 * i]! * r01i + q0[2 * i + 1]! * r01r);
  }
  const r11 = Math.sqrt(norm2sq(w));
  if (!(r11 > RANK_TOL * r00)) return { B: q0, G: Float64Array.from([r00, 0, r01r, r01i]), rank: 1 };
  const B = new Float64Array(4 * d);
  B.set(q0);
  for (let i = 0; i < 2 * d; i++) B[2 * d + i] = w[i]! / r11;
  return { B, G: Float64Array.from([r00, 0, r01r, r01i, 0, 0, r11, 0]), rank: 2 };
}

/** G M G^H (r x r, row-major interleaved) for a 2 x 2 Hermitian M: tr(V M V^H Q) = tr(G M G^H B^H Q B). */
export function momentCoefficient(mo: Pick<SensingMoment, 'G' | 'rank'>, M: Float64Array): Float64Array {
  const G = cmat(mo.rank, 2, mo.G);
  return mulBH(mul(G, cmat(2, 2, M)), G).data;
}

/**
 * The real coordinates of an r x r Hermitian Y as tr(E Y) for a basis of Hermitian E
 * (E_00, E_11, E_01 + E_10, i(E_10 - E_01)), each with its eigen-factor in the BS's
 * coordinates (tr(E B^H X B) = tr((B U) diag(w) (B U)^H X)) for the rows on the large blocks.
 */
export function momentRows(mo: Pick<SensingMoment, 'B' | 'rank'>, d: number): { E: Float64Array; V: Float64Array; w: number[] }[] {
  const r = mo.rank;
  const basis: Float64Array[] = [];
  const unit = (re: number[], im: number[]) => {
    const E = new Float64Array(2 * r * r);
    re.forEach((v, e) => (E[2 * e] = v));
    im.forEach((v, e) => (E[2 * e + 1] = v));
    return E;
  };
  if (r === 1) basis.push(unit([1], [0]));
  else basis.push(unit([1, 0, 0, 0], []), unit([0, 0, 0, 1], []), unit([0.5, 0.5, 0.5, 0.5], []), unit([0.5, 0, 0, 0.5], [0, -0.5, 0.5, 0]));
  return basis.map((E) => {
    if (r === 1) return { E, V: mo.B.slice(0, 2 * d), w: [1] };
    const { values, U } = eigHermitian2(E);
    const keep = [0, 1].filter((c) => values[c] !== 0);
    const BU = mulV2(mo.B, U, d);
    const V = new Float64Array(2 * d * keep.length);
    keep.forEach((c, slot) => V.set(BU.subarray(2 * d * c, 2 * d * (c + 1)), 2 * d * slot));
    return { E, V, w: keep.map((c) => values[c]!) };
  });
}
