/**
 * Facial reduction, one step, for problems whose primal has no interior. SDPLIB's QAP
 * relaxations are such problems: every feasible x of `qap6` has 11 null directions forced by
 * its rows. There the interior-point iterates leave that face by the square root of their
 * residuals, and the objective moves with them (`qap6`: -381.4236 against -381.4384;
 * docs/solver.md, "Facial reduction").
 *
 * A certificate is u with W = A^T u in the dual cone and b^T u = 0: every feasible x then has
 * <W, x> = b^T u = 0, so each PSD block x_j lies in the null space of W_j. It is found in three
 * steps, and nothing is reduced unless all three succeed:
 *  1. an auxiliary problem, solved by this solver (its dual, `auxiliary`):
 *        find u:  A^T u in K,  b^T u = 0,  <I, A^T u> = 1;
 *     its interior-point answer lies in the relative interior of the certificates, so W has
 *     the largest range any certificate has, and its eigenvalues split into a null part and a
 *     range part (qap6: 26 at |lambda| <= 4.4e-9 of the largest, 11 equal to it to two digits).
 *     The split must be clean (NULL, RANGE);
 *  2. that range is only as accurate as the interior-point answer, and a face that far off
 *     moves qap6's optimum over it by 1e-6 relative; so the range gets a rational basis B (the
 *     reduced row echelon form, each entry rounded to a fraction of denominator <= QMAX);
 *  3. B's span is certified by the data: least squares finds u' and M > 0 with
 *     A^T u' = B^T M B on the block, A^T u' = 0 elsewhere and b^T u' = 0, all to CERTIFY.
 * Combinatorial relaxations have such rational faces (qap6's: each row and each column of the
 * assignment sums to the homogenising entry); a face without one is left alone.
 * face-problem.ts restricts the problem to the face and lifts its answer back.
 */
import type { Cone, ConicProblem, SolverResult, SolverSettings } from './types.ts';
import { smat, svecDim, svecIndex } from './vec.ts';
import { coneDim, mulAt, transpose } from './prepare.ts';
import { EigWorkspace, eigSym } from '../linalg/real-eig.ts';
import { cholesky, cholSolve, norm2 } from '../linalg/real-dense.ts';

/** W's eigenvalues at most NULL of its largest in magnitude form the face; all others must be at least RANGE of it. */
const NULL = 1e-6;
const RANGE = 1e-3;
/** The largest denominator of the rational basis, and how close its entries must be to fractions. */
const QMAX = 64;
const ROUND = 1e-5;
/** Residuals of the certificate's least squares, relative to its largest term, within which B's span is certified. */
const CERTIFY = 1e-10;
/** Refinement steps of that least squares against its own residual (they undo the regularisation's pull). */
const REFINE_STEPS = 5;
/**
 * The certificate's least squares and the dependence test are dense: only problems up to
 * these sizes are reduced (qap6: 703 coordinates, 229 rows, 229 + 66 unknowns).
 */
export const FACE_MAX_COORDS = 2000;
export const FACE_MAX_ROWS = 1000;
const FACE_MAX_UNKNOWNS = 800;

type Solve = (p: ConicProblem, s: Partial<SolverSettings>) => SolverResult;

/**
 * One cone of the problem; `face` is set on a reduced PSD block: a basis (rows, r x n) of its
 * face, sparse and rational (faceBasis), not orthonormal.
 */
export interface FacePart {
  cone: Cone;
  /** Offset of the cone's coordinates in x. */
  off: number;
  dim: number;
  face?: Float64Array[];
}

export interface Face {
  parts: FacePart[];
  /** x's dimension minus the reduced problem's. */
  removed: number;
}

/** Cone kinds this reduction knows (PSD, nonnegative, free; at least one PSD block) and sizes it takes. */
export function faceEligible(p: ConicProblem): boolean {
  const kinds = p.cones.every((k) => k.kind === 'psd' || k.kind === 'nonneg' || k.kind === 'free');
  return kinds && p.cones.some((k) => k.kind === 'psd') && p.c.length <= FACE_MAX_COORDS && p.A.rows <= FACE_MAX_ROWS;
}

function partsOf(p: ConicProblem): FacePart[] {
  let off = 0;
  return p.cones.map((cone) => {
    const part = { cone, off, dim: coneDim(cone) };
    off += part.dim;
    return part;
  });
}

/**
 * The auxiliary problem (step 1), posed so that its dual carries the certificate: the dual of
 * min c'^T v s.t. A' v = 0, v in K', is max 0 s.t. c' - A'^T y in K', and with
 *   A' = [-A, b, -t] (t_i the trace of row i's PSD blocks plus the sum of its nonnegative
 *   coordinates), K' = K x free x free, c' = (0, 0, -1),
 * the dual constraints read A^T y in K, b^T y = 0 and t^T y = 1: y is a certificate, and the
 * problem has A's rows and sparsity (an auxiliary with a row per coordinate of x, 705 rows
 * for qap6, made its whole solve 1.71 s instead of 0.76 s).
 */
function auxiliary(p: ConicProblem, parts: FacePart[]): ConicProblem {
  const { A, b } = p;
  const n = A.cols;
  const trace = new Float64Array(n);
  for (const part of parts) {
    if (part.cone.kind === 'psd') for (let i = 0; i < part.cone.n; i++) trace[part.off + svecIndex(part.cone.n, i, i)] = 1;
    else if (part.cone.kind === 'nonneg') trace.fill(1, part.off, part.off + part.dim);
  }
  const rowPtr = new Int32Array(A.rows + 1);
  const colIdx: number[] = [];
  const values: number[] = [];
  for (let i = 0; i < A.rows; i++) {
    let t = 0;
    for (let k = A.rowPtr[i]; k < A.rowPtr[i + 1]; k++) {
      colIdx.push(A.colIdx[k]);
      values.push(-A.values[k]);
      t += A.values[k] * trace[A.colIdx[k]];
    }
    if (b[i] !== 0) {
      colIdx.push(n);
      values.push(b[i]);
    }
    if (t !== 0) {
      colIdx.push(n + 1);
      values.push(-t);
    }
    rowPtr[i + 1] = colIdx.length;
  }
  const c = new Float64Array(n + 2);
  c[n + 1] = -1;
  const cones: Cone[] = [...p.cones, { kind: 'free', dim: 2 }];
  return {
    c,
    A: { rows: A.rows, cols: n + 2, rowPtr, colIdx: Int32Array.from(colIdx), values: Float64Array.from(values) },
    b: new Float64Array(A.rows),
    cones,
  };
}

/** The face a certificate from the auxiliary problem exposes, made rational and certified (steps 1-3), or null. */
export function findFace(p: ConicProblem, solve: Solve, settings: Partial<SolverSettings>): { face: Face | null; iterations: number } {
  const r = solve(auxiliary(p, partsOf(p)), { ...settings, certifyBound: false, facialReduction: false, earlyStop: undefined });
  if (r.status !== 'optimal') return { face: null, iterations: r.iterations };
  return { face: faceOf(p, r.y), iterations: r.iterations };
}

/** Steps 2 and 3 for the approximate certificate u: every PSD block whose W_j has a range is reduced, or null is returned. */
export function faceOf(p: ConicProblem, u: Float64Array): Face | null {
  const parts = partsOf(p);
  const W = new Float64Array(p.A.cols);
  mulAt(transpose(p.A), u, W); // A^T u
  const spectra = parts.map((part) => (part.cone.kind === 'psd' ? eigOf(W, part.off, part.cone.n) : null));
  let top = 0;
  for (const ws of spectra) if (ws) top = Math.max(top, ...ws.d.map(Math.abs));
  if (!(top > 0) || spectra.includes(undefined)) return null;
  let removed = 0;
  for (const [j, part] of parts.entries()) {
    const ws = spectra[j];
    if (!ws) continue;
    if (!ws.d.every((v) => Math.abs(v) <= NULL * top || v >= RANGE * top)) return null;
    const range: Float64Array[] = [];
    for (let a = 0; a < ws.n; a++) if (Math.abs(ws.d[a]) > NULL * top) range.push(ws.v.slice(a * ws.n, (a + 1) * ws.n));
    if (range.length === 0) continue;
    const echelon = rationalBasis(range, ws.n);
    if (!echelon || !certifiesRange(p, parts, j, echelon.rows)) return null;
    part.face = faceBasis(echelon.rows, echelon.pivots, ws.n);
    removed += part.dim - svecDim(part.face.length);
  }
  return removed > 0 ? { parts, removed } : null;
}

/** Eigenvalues and vectors of a PSD block's coordinates of v; undefined when the eigensolver fails. */
function eigOf(v: Float64Array, off: number, n: number): EigWorkspace | undefined {
  const ws = new EigWorkspace(n);
  return eigSym(smat(v, n, off), ws, true) ? ws : undefined;
}

/** The fraction p/q with q <= QMAX first met among x's continued-fraction convergents within ROUND of x, or NaN. */
function nearFraction(x: number): number {
  // plain assignments: this runs per entry of the echelon form, interpreted (no destructuring)
  let h0 = 0;
  let h1 = 1;
  let k0 = 1;
  let k1 = 0;
  let f = x;
  for (let it = 0; it < 40; it++) {
    const a = Math.floor(f);
    const h = a * h1 + h0;
    h0 = h1;
    h1 = h;
    const k = a * k1 + k0;
    k0 = k1;
    k1 = k;
    if (k1 > QMAX) break;
    if (Math.abs(x - h1 / k1) <= ROUND * Math.max(1, Math.abs(x))) return h1 / k1;
    const rest = f - a;
    if (!(rest > 1e-15)) break;
    f = 1 / rest;
  }
  return Number.NaN;
}

/**
 * The reduced row echelon form of the span of `rows` (k x n), pivots by complete pivoting, each
 * entry rounded to nearFraction, and each row's pivot column (a unit column of the form: the
 * pivot is d / d and the other rows' entries f - f * 1, exactly 1 and 0, which the rounding
 * keeps); null when an entry is not near a fraction.
 */
export function rationalBasis(rows: Float64Array[], n: number): { rows: Float64Array[]; pivots: number[] } | null {
  const R = rows.map((r) => Float64Array.from(r));
  const usedCol = new Uint8Array(n);
  const pivots: number[] = [];
  for (let s = 0; s < R.length; s++) {
    let best = 0;
    let bi = -1;
    let bj = -1;
    for (let i = s; i < R.length; i++)
      for (let j = 0; j < n; j++)
        if (!usedCol[j] && Math.abs(R[i][j]) > best) {
          best = Math.abs(R[i][j]);
          bi = i;
          bj = j;
        }
    if (bi < 0) return null;
    pivots.push(bj);
    [R[s], R[bi]] = [R[bi], R[s]];
    const piv = R[s];
    const d = piv[bj];
    for (let j = 0; j < n; j++) piv[j] /= d;
    for (let i = 0; i < R.length; i++) {
      const f = R[i][bj];
      if (i !== s && f !== 0) for (let j = 0; j < n; j++) R[i][j] -= f * piv[j];
    }
    usedCol[bj] = 1;
  }
  for (const r of R)
    for (let j = 0; j < n; j++) {
      r[j] = nearFraction(r[j]);
      if (Number.isNaN(r[j])) return null;
    }
  return { rows: R, pivots };
}

/**
 * A basis (rows) of the null space of the rational reduced row echelon form B with pivot
 * columns `pivots` (rationalBasis): one row per column f that is not a pivot,
 * e_f - sum_s B[s][f] e_pivot(s) (B v = 0 exactly, since B's pivot columns are unit vectors). Rational and as sparse as B: restricted to it, qap6's rows
 * keep 5711 nonzeros, where an orthonormal basis of the same face made every row dense (50670
 * of 145 x 351) and the face solve 5-6 times slower. When its Gram matrix V V^T is badly
 * conditioned (an echelon form with large entries; GRAM_COND), the basis is orthonormalised.
 */
export function faceBasis(B: Float64Array[], pivots: readonly number[], n: number): Float64Array[] {
  const isPivot = new Uint8Array(n);
  for (const j of pivots) isPivot[j] = 1;
  const V: Float64Array[] = [];
  for (let f = 0; f < n; f++) {
    if (isPivot[f]) continue;
    const v = new Float64Array(n);
    v[f] = 1;
    B.forEach((row, s) => {
      v[pivots[s]] = -row[f];
    });
    V.push(v);
  }
  return wellConditioned(V, n) ? V : orthonormalised(V, n);
}

/** The largest condition number of the Gram matrix V V^T at which a face basis is kept as it is. */
const GRAM_COND = 1e8;

/** Whether V V^T's Cholesky pivots stay within GRAM_COND of each other (squared: the pivots are square roots). */
function wellConditioned(V: Float64Array[], n: number): boolean {
  const r = V.length;
  const G = gram(V, n);
  if (!cholesky(G, r)) return false;
  let lo = Infinity;
  let hi = 0;
  for (let a = 0; a < r; a++) {
    lo = Math.min(lo, G[a * r + a]);
    hi = Math.max(hi, G[a * r + a]);
  }
  return hi * hi <= GRAM_COND * lo * lo;
}

/** V V^T (r x r, row-major) for the rows V of length n. */
export function gram(V: Float64Array[], n: number): Float64Array {
  const r = V.length;
  const G = new Float64Array(r * r);
  for (let a = 0; a < r; a++)
    for (let b = 0; b <= a; b++) {
      let s = 0;
      for (let t = 0; t < n; t++) s += V[a][t] * V[b][t];
      G[a * r + b] = G[b * r + a] = s;
    }
  return G;
}

/** Gram-Schmidt, twice, of `rows`: an orthonormal basis of their span. */
function orthonormalised(rows: Float64Array[], n: number): Float64Array[] {
  const q: Float64Array[] = [];
  for (const row of rows) {
    const v = Float64Array.from(row);
    for (let pass = 0; pass < 2; pass++)
      for (const e of q) {
        let d = 0;
        for (let t = 0; t < n; t++) d += e[t] * v[t];
        for (let t = 0; t < n; t++) v[t] -= d * e[t];
      }
    const nv = norm2(v);
    if (nv > 1e-8 * norm2(row)) q.push(v.map((x) => x / nv));
  }
  return q;
}

/**
 * Step 3: are there u' and M > 0 (tr M = 1) with A^T u' = B^T M B on block j, A^T u' = 0 on
 * every other coordinate and b^T u' = 0? Least squares by the normal equations (regularised by
 * 1e-13 of their trace, then refined), every residual within CERTIFY of the largest term.
 */
function certifiesRange(p: ConicProblem, parts: FacePart[], j: number, B: Float64Array[]): boolean {
  const m = p.A.rows;
  const k = B.length;
  const cols = m + svecDim(k);
  if (cols > FACE_MAX_UNKNOWNS) return false;
  const Q = sparseRows(certificateSystem(p, parts[j], B), cols);
  const rowsQ = Q.ptr.length - 1;
  const rhs = new Float64Array(rowsQ);
  rhs[rowsQ - 1] = 1;
  const G = new Float64Array(cols * cols);
  const g = new Float64Array(cols);
  for (let r = 0; r < rowsQ; r++)
    for (let s = Q.ptr[r]; s < Q.ptr[r + 1]; s++) {
      const a = Q.idx[s];
      const qa = Q.val[s];
      g[a] += qa * rhs[r];
      for (let t = Q.ptr[r]; t <= s; t++) G[a * cols + Q.idx[t]] += qa * Q.val[t];
    }
  let trace = 0;
  for (let a = 0; a < cols; a++) trace += G[a * cols + a];
  for (let a = 0; a < cols; a++) {
    G[a * cols + a] += 1e-13 * trace;
    for (let c = 0; c < a; c++) G[c * cols + a] = G[a * cols + c];
  }
  if (!cholesky(G, cols)) return false;
  cholSolve(G, cols, g);
  const e = new Float64Array(rowsQ);
  for (let step = 0; ; step++) {
    const fit = residual(Q, g, rhs, e);
    if (fit.worst <= CERTIFY * Math.max(fit.largest, 1)) break;
    if (step === REFINE_STEPS) return false;
    const h = new Float64Array(cols);
    for (let r = 0; r < rowsQ; r++) for (let s = Q.ptr[r]; s < Q.ptr[r + 1]; s++) h[Q.idx[s]] += Q.val[s] * e[r];
    cholSolve(G, cols, h);
    for (let a = 0; a < cols; a++) g[a] += h[a];
  }
  const ws = new EigWorkspace(k);
  return eigSym(smat(g, k, m), ws, false) && ws.d[0] > 1e-8 * ws.d[k - 1];
}

/**
 * The least squares' matrix (dense, row-major): a row per coordinate of x, then b^T u = 0 and
 * tr M = 1 (the right-hand side is 0 but for that last 1); columns u (A^T's) then M's svec
 * coordinates (-svec(B^T E B) on the block, E the svec basis matrix).
 */
function certificateSystem(p: ConicProblem, part: FacePart, B: Float64Array[]): Float64Array {
  const m = p.A.rows;
  const n = (part.cone as { n: number }).n;
  const k = B.length;
  const cols = m + svecDim(k);
  const rowsQ = p.c.length + 2;
  const Q = new Float64Array(rowsQ * cols);
  for (let i = 0; i < m; i++) for (let t = p.A.rowPtr[i]; t < p.A.rowPtr[i + 1]; t++) Q[p.A.colIdx[t] * cols + i] = p.A.values[t];
  for (let b = 0; b < k; b++)
    for (let a = b; a < k; a++) {
      const col = m + svecIndex(k, a, b);
      // M's svec coordinate s: M = s E_aa, or s (E_ab + E_ba) / sqrt 2
      for (let jj = 0; jj < n; jj++)
        for (let ii = jj; ii < n; ii++) {
          const e = a === b ? B[a][ii] * B[a][jj] : Math.SQRT1_2 * (B[a][ii] * B[b][jj] + B[b][ii] * B[a][jj]);
          Q[(part.off + svecIndex(n, ii, jj)) * cols + col] -= ii === jj ? e : Math.SQRT2 * e;
        }
    }
  for (let i = 0; i < m; i++) Q[p.c.length * cols + i] = p.b[i];
  for (let a = 0; a < k; a++) Q[(p.c.length + 1) * cols + m + svecIndex(k, a, a)] = 1;
  return Q;
}

/** The nonzeros of the dense row-major matrix Q (`cols` columns), row by row in column order. */
interface SparseRows {
  ptr: Int32Array;
  idx: Int32Array;
  val: Float64Array;
}

function sparseRows(Q: Float64Array, cols: number): SparseRows {
  const rows = Q.length / cols;
  const ptr = new Int32Array(rows + 1);
  const idx: number[] = [];
  const val: number[] = [];
  for (let r = 0; r < rows; r++) {
    for (let a = 0; a < cols; a++)
      if (Q[r * cols + a] !== 0) {
        idx.push(a);
        val.push(Q[r * cols + a]);
      }
    ptr[r + 1] = idx.length;
  }
  return { ptr, idx: Int32Array.from(idx), val: Float64Array.from(val) };
}

/** e = rhs - Q g; its largest entry and the largest single term of Q g. */
function residual(Q: SparseRows, g: Float64Array, rhs: Float64Array, e: Float64Array): { worst: number; largest: number } {
  let worst = 0;
  let largest = 0;
  for (let r = 0; r < rhs.length; r++) {
    let s = rhs[r];
    for (let t = Q.ptr[r]; t < Q.ptr[r + 1]; t++) {
      const term = Q.val[t] * g[Q.idx[t]];
      s -= term;
      largest = Math.max(largest, Math.abs(term));
    }
    e[r] = s;
    worst = Math.max(worst, Math.abs(s));
  }
  return { worst, largest };
}
