/**
 * The exact subspace restriction of the beamforming SDPs.
 *
 * Claim. Let U_s (N x d, orthonormal columns) span the channels h_{s,k} of BS s to every
 * user k and the sensing subspace V_s = span{a_t, D a_t} of BS s toward the target (for
 * every receiver whose FIM uses BS s's echo). Then every SDP of the design layer
 * ((13), the association relaxation, (23)) has the same optimal value when each matrix
 * variable of BS s is restricted to W_{s,k} = U_s W'_{s,k} U_s^H, R_s = U_s R'_s U_s^H with
 * W', R' >= 0 of order d = rank U_s <= min(N, K + 2T) (T targets: a_t and D a_t each).
 *
 * Proof. Let P = U_s U_s^H (the orthogonal projector onto span U_s) and X any of BS s's
 * matrix variables. Every constraint and the objective see X only through
 *   - h_{s,k}^H X h_{s,k} (the SINR rows (9): signal and interference at user k),
 *   - tr(V_s M V_s^H X) for 2 x 2 Hermitian M (every FIM entry, hence C2a/C2c (12)),
 *   - tr(X) (the objective, the power rows C1, the big-M rows tr(W~) <= a P).
 * Since P h = h and P V_s = V_s, replacing X by P X P leaves the first two kinds of terms
 * unchanged (h^H P X P h = h^H X h, tr(V M V^H P X P) = tr(P V M V^H P X) = tr(V M V^H X)),
 * and tr(P X P) = tr(X) - tr((I - P) X (I - P)) <= tr(X) because X >= 0 (so is P X P).
 * Hence for any feasible point, projecting every matrix variable onto its BS's subspace
 * gives a feasible point (equalities unchanged, "<= budget" rows can only loosen) whose
 * objective is not larger: some optimum lies in the restricted set, and the restricted
 * problem's optimal value equals the full one (a restriction can only be >= it). So the
 * restricted problem's dual bound is a valid lower bound for the full problem, and a
 * design recovered from a restricted optimum is optimal for the full problem.
 * In restricted coordinates h^H (U W' U^H) h = g^H W' g with g = U^H h, tr(C U W' U^H) =
 * tr((U^H C U) W'), tr(U W' U^H) = tr(W'): the SDP keeps its form with N replaced by d,
 * channels by U^H h and sensing bases by U^H V.
 *
 * Order (`spanOf(.., { ordered: true })`): the basis is built in the order of the vectors and
 * kept explicit even when it spans the whole space, so a vector given first has coordinates
 * only on the first basis columns. The design SDPs pass each BS's sensing directions first
 * (formulation.ts): a sensing moment row then touches only the leading 2 x 2 (first target),
 * 4 x 4 (second), ... entries of every block instead of all d x d, which halves A's non-zeros
 * on the paper case with three targets and cuts the network-scale relaxation's time by a
 * quarter (docs/solver.md). Any orthonormal basis gives the same SDP up to a unitary
 * congruence of every block, which the interior-point method's iterates do not see.
 *
 * Numerics: the basis is built by Gram-Schmidt (twice, on normalised vectors); a vector
 * whose remainder is below 1e-12 of its norm is treated as already in the span. That
 * remainder is then dropped from the restricted model, which changes the optimal value by
 * a relative ~1e-24; designs are exact in any case, because the recovered W = U W' U^H is
 * evaluated through the same U^H h and U^H V as the restricted SDP.
 */

/** An orthonormal basis U (N x d, column-major interleaved complex); `U === null` means the identity (d = N). */
export interface Subspace {
  N: number;
  d: number;
  U: Float64Array | null;
  /**
   * Ordered bases only: for each vector given to spanOf, the number of leading basis columns
   * that span it (and every vector before it). Its coordinates beyond are rounding only.
   */
  leading?: Map<Float64Array, number>;
}

const DROP = 1e-12;

/** The identity "restriction" (the full space). */
export function fullSpace(N: number): Subspace {
  return { N, d: N, U: null };
}

/**
 * Orthonormal basis of the span of `vectors` (each an interleaved complex N-vector, or
 * N x c column-major), or the identity when the span is the whole space (unless `ordered`:
 * see the file comment).
 */
export function spanOf(N: number, vectors: readonly Float64Array[], opts: { ordered?: boolean } = {}): Subspace {
  const ordered = opts.ordered === true;
  const cols: Float64Array[] = [];
  const lastColumn: number[] = [];
  for (const v of vectors) {
    const c = v.length / (2 * N);
    for (let j = 0; j < c; j++) cols.push(v.subarray(2 * N * j, 2 * N * (j + 1)));
    lastColumn.push(cols.length);
  }
  const basisAfter: number[] = [];
  if (cols.length >= N && !ordered) {
    // Generic case of K + 2T >= N: nothing to gain; skip the orthogonalisation.
    return fullSpace(N);
  }
  const basis: Float64Array[] = [];
  for (const col of cols) {
    const nrm = Math.sqrt(normSq(col));
    if (!(nrm > 0)) continue;
    const r = new Float64Array(2 * N);
    for (let i = 0; i < r.length; i++) r[i] = col[i]! / nrm;
    // Classical Gram-Schmidt, twice ("twice is enough" for orthogonality to working precision).
    for (let pass = 0; pass < 2; pass++) {
      for (const q of basis) {
        // r -= q (q^H r)
        let cr = 0;
        let ci = 0;
        for (let i = 0; i < N; i++) {
          cr += q[2 * i]! * r[2 * i]! + q[2 * i + 1]! * r[2 * i + 1]!;
          ci += q[2 * i]! * r[2 * i + 1]! - q[2 * i + 1]! * r[2 * i]!;
        }
        for (let i = 0; i < N; i++) {
          r[2 * i]! -= q[2 * i]! * cr - q[2 * i + 1]! * ci;
          r[2 * i + 1]! -= q[2 * i]! * ci + q[2 * i + 1]! * cr;
        }
      }
    }
    const rest = Math.sqrt(normSq(r));
    if (rest > DROP) {
      for (let i = 0; i < r.length; i++) r[i]! /= rest;
      basis.push(r);
    }
    basisAfter.push(basis.length);
  }
  if (basis.length >= N && !ordered) return fullSpace(N);
  const U = new Float64Array(2 * N * basis.length);
  basis.forEach((q, j) => U.set(q, 2 * N * j));
  if (!ordered) return { N, d: basis.length, U };
  const leading = new Map<Float64Array, number>();
  vectors.forEach((v, i) => leading.set(v, lastColumn[i]! > 0 ? basisAfter[lastColumn[i]! - 1]! : 0));
  return { N, d: basis.length, U, leading };
}

/** U^H X for X (N x c, column-major interleaved): d x c, column-major interleaved. */
export function project(sub: Subspace, X: Float64Array): Float64Array {
  const { N, d, U } = sub;
  if (!U) return X;
  const c = X.length / (2 * N);
  const out = new Float64Array(2 * d * c);
  for (let j = 0; j < c; j++) {
    const xo = 2 * N * j;
    for (let p = 0; p < d; p++) {
      const uo = 2 * N * p;
      let sr = 0;
      let si = 0;
      for (let i = 0; i < N; i++) {
        const ur = U[uo + 2 * i]!;
        const ui = U[uo + 2 * i + 1]!;
        const xr = X[xo + 2 * i]!;
        const xi = X[xo + 2 * i + 1]!;
        // conj(u) x
        sr += ur * xr + ui * xi;
        si += ur * xi - ui * xr;
      }
      out[2 * d * j + 2 * p] = sr;
      out[2 * d * j + 2 * p + 1] = si;
    }
  }
  return out;
}

/**
 * U^H X for a vector X given to an ordered spanOf: the coordinates beyond the columns that
 * span X are set to exactly 0 (they are rounding), so rows built from them stay sparse.
 */
export function projectSpanned(sub: Subspace, X: Float64Array): Float64Array {
  const out = project(sub, X);
  const lead = sub.leading?.get(X);
  if (lead === undefined) return out;
  const d = sub.d;
  const c = out.length / (2 * d);
  for (let j = 0; j < c; j++) out.fill(0, 2 * (d * j + lead), 2 * d * (j + 1));
  return out;
}

/** U W' U^H for W' (d x d, row-major interleaved): N x N, row-major interleaved. */
export function lift(sub: Subspace, Wp: Float64Array): Float64Array {
  const { N, d, U } = sub;
  if (!U) return Wp;
  // T = U W' (N x d, row-major), then out = T U^H.
  const T = new Float64Array(2 * N * d);
  for (let i = 0; i < N; i++) {
    for (let q = 0; q < d; q++) {
      let sr = 0;
      let si = 0;
      for (let p = 0; p < d; p++) {
        const ur = U[2 * N * p + 2 * i]!;
        const ui = U[2 * N * p + 2 * i + 1]!;
        const wr = Wp[2 * (p * d + q)]!;
        const wi = Wp[2 * (p * d + q) + 1]!;
        sr += ur * wr - ui * wi;
        si += ur * wi + ui * wr;
      }
      T[2 * (i * d + q)] = sr;
      T[2 * (i * d + q) + 1] = si;
    }
  }
  const out = new Float64Array(2 * N * N);
  for (let i = 0; i < N; i++) {
    for (let j = 0; j < N; j++) {
      let sr = 0;
      let si = 0;
      for (let q = 0; q < d; q++) {
        const tr = T[2 * (i * d + q)]!;
        const ti = T[2 * (i * d + q) + 1]!;
        // T_iq conj(U_jq)
        const ur = U[2 * N * q + 2 * j]!;
        const ui = -U[2 * N * q + 2 * j + 1]!;
        sr += tr * ur - ti * ui;
        si += tr * ui + ti * ur;
      }
      out[2 * (i * N + j)] = sr;
      out[2 * (i * N + j) + 1] = si;
    }
  }
  return out;
}

function normSq(v: Float64Array): number {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i]! * v[i]!;
  return s;
}
