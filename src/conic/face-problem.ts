/**
 * The problem over a face (facial-reduction.ts) and its answer lifted back. Each reduced PSD
 * block x_j = V^T R_j V (V: rows spanning the face, r x n, sparse and not orthonormal) becomes
 * a PSD block of order r (a nonnegative coordinate when r = 1, nothing when r = 0); the other
 * cones stay.
 * Rows that become dependent on the face are dropped: the lifted answer is checked against
 * all of them by the caller.
 */
import type { Cone, ConicProblem, SolverResult } from './types.ts';
import { type Face, type FacePart, gram } from './facial-reduction.ts';
import { cholesky, dot, norm2 } from '../linalg/real-dense.ts';
import { matToSvec, smat, svecDim } from './vec.ts';
import { dualSlack } from './certify.ts';
import { mulA } from './prepare.ts';

/**
 * A row whose restriction keeps less than this part of its norm against the rows before it is
 * dependent on the face (qap6's dependent rows keep at most 1.4e-14 of their norm, the others
 * 0.037 and more; qap5's 9e-15 and 0.084).
 */
const DEPENDENT = 1e-8;

/** Q M P^T for basis rows Q (a x n), P (b x n) and the n x n matrix M: a x b, row-major. */
function between(Q: Float64Array[], M: Float64Array, P: Float64Array[], n: number): Float64Array {
  const nb = P.length;
  const MP = new Float64Array(nb * n); // row b: M p_b
  for (let b = 0; b < nb; b++) {
    const v = P[b];
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let k = 0; k < n; k++) s += M[i * n + k] * v[k];
      MP[b * n + i] = s;
    }
  }
  const out = new Float64Array(Q.length * nb);
  for (let a = 0; a < Q.length; a++) {
    const q = Q[a];
    for (let b = 0; b < nb; b++) {
      let s = 0;
      for (let i = 0; i < n; i++) s += q[i] * MP[b * n + i];
      out[a * nb + b] = s;
    }
  }
  return out;
}

/**
 * V^T R V (n x n) for the face rows V (r x n) and R (r x r): Q R Q^T with Q = V^T's rows, n r^2
 * + n^2 r work (the sum over pairs of face rows took r^2 n^2).
 */
function lifted(R: Float64Array, V: Float64Array[], n: number): Float64Array {
  const Q = Array.from({ length: n }, (_, i) => Float64Array.from(V, (v) => v[i]));
  return between(Q, R, Q, V.length);
}

/** The Cholesky factor L of the face basis' Gram matrix V V^T = L L^T (r x r, row-major, lower). */
function gramFactor(V: Float64Array[], n: number): Float64Array {
  const L = gram(V, n);
  if (!cholesky(L, V.length)) throw new Error('face basis: its Gram matrix is not positive definite');
  return L;
}

/** G^-1 D G^-1 for G = L L^T and the symmetric D (r x r, row-major): L^-T (L^-1 D L^-T) L^-1. */
function congruenceByInverse(L: Float64Array, D: Float64Array, r: number): Float64Array {
  return congruence(L, congruence(L, D, r, 'inverse'), r, 'inverseTransposed');
}

/** The reduced problem's length of each part: svec of the face's order, or the part's own dimension. */
const reducedDim = (part: FacePart): number => (part.face ? svecDim(part.face.length) : part.dim);

/** Where each coordinate of x lies: its part, its (i, j) in a PSD block, and each part's offset in the reduced coordinates. */
interface Layout {
  part: Int32Array;
  i: Int32Array;
  j: Int32Array;
  at: number[];
  /** Per reduced part, per coordinate i of its block: the basis rows a with V[a][i] != 0, and those values. */
  cols: (SparseColumn[] | undefined)[];
}

interface SparseColumn {
  rows: number[];
  vals: number[];
}

/** V's columns as sparse lists (the nonzeros of each coordinate across the basis rows). */
function columnsOf(V: Float64Array[], n: number): SparseColumn[] {
  const cols = Array.from({ length: n }, (): SparseColumn => ({ rows: [], vals: [] }));
  V.forEach((v, a) => {
    v.forEach((x, i) => {
      if (x === 0) return;
      cols[i].rows.push(a);
      cols[i].vals.push(x);
    });
  });
  return cols;
}

function layoutOf(face: Face, n: number): Layout {
  const L: Layout = { part: new Int32Array(n), i: new Int32Array(n), j: new Int32Array(n), at: [], cols: [] };
  let at = 0;
  face.parts.forEach((part, k) => {
    L.at.push(at);
    at += reducedDim(part);
    L.cols.push(part.face ? columnsOf(part.face, (part.cone as { n: number }).n) : undefined);
    L.part.fill(k, part.off, part.off + part.dim);
    if (part.cone.kind !== 'psd') return;
    let e = part.off;
    for (let j = 0; j < part.cone.n; j++)
      for (let i = j; i < part.cone.n; i++) {
        L.i[e] = i;
        L.j[e++] = j;
      }
  });
  return L;
}

/**
 * The sparse vector (idx, val) on x's coordinates (a row of A, or c) in the reduced
 * coordinates. A reduced block's entry m = M_ij adds m (v_i v_j^T + v_j v_i^T) (once on the
 * diagonal) to V M V^T, v_i the face basis' column i: work per nonzero is the product of the
 * two columns' nonzeros (the basis is sparse), where the product V M V^T of a dense M took
 * most of qap6's restriction.
 */
function restrictSparse(idx: ArrayLike<number>, val: ArrayLike<number>, face: Face, L: Layout, dim: number): Float64Array {
  const out = new Float64Array(dim);
  const acc: (Float64Array | undefined)[] = [];
  for (let k = 0; k < idx.length; k++) {
    const e = idx[k];
    const pk = L.part[e];
    const part = face.parts[pk];
    const cols = L.cols[pk];
    if (!part.face || !cols) {
      out[L.at[pk] + e - part.off] += val[k];
      continue;
    }
    const r = part.face.length;
    const R = (acc[pk] ??= new Float64Array(r * r));
    // plain loops: this runs once per solve, mostly before V8 optimises it (no destructuring)
    const ci = cols[L.i[e]];
    const cj = cols[L.j[e]];
    const m = ci === cj ? val[k] : val[k] * Math.SQRT1_2;
    for (let s = 0; s < ci.rows.length; s++) {
      const a = ci.rows[s];
      const va = m * ci.vals[s];
      for (let t = 0; t < cj.rows.length; t++) {
        const b = cj.rows[t];
        const w = va * cj.vals[t];
        R[a * r + b] += w;
        if (ci !== cj) R[b * r + a] += w;
      }
    }
  }
  acc.forEach((R, pk) => {
    if (R) matToSvec(R, face.parts[pk].face!.length, out, L.at[pk]);
  });
  return out;
}

/** The nonzeros of a dense vector, as restrictSparse takes them. */
function nonzeros(v: Float64Array): { idx: number[]; val: number[] } {
  const idx: number[] = [];
  const val: number[] = [];
  v.forEach((x, e) => {
    if (x === 0) return;
    idx.push(e);
    val.push(x);
  });
  return { idx, val };
}

function reducedCones(face: Face): Cone[] {
  return face.parts.flatMap((part): Cone[] => {
    if (!part.face) return [part.cone];
    const r = part.face.length;
    return r > 1 ? [{ kind: 'psd', n: r }] : r === 1 ? [{ kind: 'nonneg', dim: 1 }] : [];
  });
}

/**
 * Rows reduced one by one against the independent rows before them, by Gaussian elimination
 * with the largest entry as each kept row's pivot. The reduced rows are sparse (qap6: ~40
 * nonzeros of 351) and so are the pivot rows, where Gram-Schmidt's orthonormal basis is dense
 * (it took 70-100 ms of qap6's restriction, this ~5). The remainder is w minus a combination of
 * the rows before it, so its norm bounds w's distance from their span from above: a row
 * judged dependent (remainder within DEPENDENT of its norm) is one Gram-Schmidt would drop too.
 */
export class RowEliminator {
  private readonly pivotRows: { col: number; idx: Int32Array; val: Float64Array }[] = [];

  constructor(private readonly dim: number) {}

  /** Whether w is independent of the rows kept so far; if so it is kept (w is overwritten). */
  keep(w: Float64Array): boolean {
    let n0 = 0;
    for (let e = 0; e < this.dim; e++) n0 += w[e] * w[e];
    for (const p of this.pivotRows) {
      const f = w[p.col];
      if (f === 0) continue;
      for (let t = 0; t < p.idx.length; t++) w[p.idx[t]] -= f * p.val[t];
      w[p.col] = 0;
    }
    let left = 0;
    let col = -1;
    let top = 0;
    for (let e = 0; e < this.dim; e++) {
      left += w[e] * w[e];
      if (Math.abs(w[e]) > top) {
        col = e;
        top = Math.abs(w[e]);
      }
    }
    if (!(n0 > 0 && Math.sqrt(left) > DEPENDENT * Math.sqrt(n0))) return false;
    const idx: number[] = [];
    const val: number[] = [];
    const d = w[col];
    for (let e = 0; e < this.dim; e++)
      if (w[e] !== 0 && e !== col) {
        idx.push(e);
        val.push(w[e] / d);
      }
    this.pivotRows.push({ col, idx: Int32Array.from(idx), val: Float64Array.from(val) });
    return true;
  }
}

/**
 * The problem over the face with the rows that stay independent there (RowEliminator,
 * DEPENDENT), and their indices; or with the rows `only`, as they are.
 */
export function restrictProblem(p: ConicProblem, face: Face, only?: readonly number[]): { reduced: ConicProblem; rows: number[] } {
  const dim = p.c.length - face.removed;
  const { A } = p;
  const L = layoutOf(face, p.c.length);
  const independent = new RowEliminator(dim);
  const rows: number[] = [];
  const kept: Float64Array[] = [];
  for (const i of only ?? Array.from({ length: A.rows }, (_, i) => i)) {
    const from = A.rowPtr[i];
    const to = A.rowPtr[i + 1];
    const ri = restrictSparse(A.colIdx.subarray(from, to), A.values.subarray(from, to), face, L, dim);
    if (!only && !independent.keep(Float64Array.from(ri))) continue;
    rows.push(i);
    kept.push(ri);
  }
  const rowPtr = new Int32Array(rows.length + 1);
  const colIdx: number[] = [];
  const values: number[] = [];
  kept.forEach((ri, t) => {
    ri.forEach((v, e) => {
      if (v === 0) return;
      colIdx.push(e);
      values.push(v);
    });
    rowPtr[t + 1] = colIdx.length;
  });
  const Ar = { rows: rows.length, cols: dim, rowPtr, colIdx: Int32Array.from(colIdx), values: Float64Array.from(values) };
  const cn = nonzeros(p.c);
  return { reduced: { c: restrictSparse(cn.idx, cn.val, face, L, dim), A: Ar, b: Float64Array.from(rows, (i) => p.b[i]), cones: reducedCones(face) }, rows };
}

/**
 * x on the original coordinates (V^T R V per reduced block), and z0 with each reduced block's
 * face part V z0 V^T replaced by the reduced dual slack zr: z0 + P^T (zr - V z0 V^T) P with
 * P = G^-1 V, G = V V^T (V P^T = I: the basis is not orthonormal).
 */
function liftPoints(face: Face, xr: Float64Array, z0: Float64Array, zr: Float64Array): { x: Float64Array; z: Float64Array } {
  const x = new Float64Array(z0.length);
  const z = Float64Array.from(z0);
  let at = 0;
  for (const part of face.parts) {
    if (part.face) {
      const V = part.face;
      const r = V.length;
      const n = (part.cone as { n: number }).n;
      matToSvec(lifted(smat(xr, r, at), V, n), n, x, part.off);
      const Z = smat(z0, n, part.off);
      const D = smat(zr, r, at);
      const now = between(V, Z, V, n);
      for (let e = 0; e < r * r; e++) D[e] -= now[e];
      const add = lifted(congruenceByInverse(gramFactor(V, n), D, r), V, n);
      for (let e = 0; e < n * n; e++) Z[e] += add[e];
      matToSvec(Z, n, z, part.off);
    } else x.set(xr.subarray(at, at + part.dim), part.off);
    at += reducedDim(part);
  }
  return { x, z };
}

/**
 * The reduced answer on the original problem. x is V^T R V on each reduced block: feasible and
 * optimal to the reduced solve's accuracy, since the face holds every feasible x. y is the
 * reduced dual on the kept rows (0 on the dropped ones), z = c - A^T y with each reduced block's
 * face part replaced by the reduced dual slack: in the cone on the face but not on its
 * complement. Without a primal interior the full problem's dual optimum is not attained: the
 * dual points that approach it go to infinity along the certificate (for qap6 a shift of
 * ~4e12 u puts c - A^T y in the cone, and b^T u's rounding then moves b^T y by 0.007). So the
 * dual point is the face problem's, and the lower bound the reduced solve's, certified on the
 * reduced data (the face problem's optimum is the problem's: the face is certified).
 * Objectives, residuals and gap on the given data.
 */
export function liftResult(p: ConicProblem, face: Face, rows: number[], red: SolverResult): SolverResult {
  const y = new Float64Array(p.A.rows);
  rows.forEach((i, t) => {
    y[i] = red.y[t];
  });
  const zy = dualSlack(p, y, 1).v; // c - A^T y
  const { x, z } = liftPoints(face, red.x, zy, red.z);
  const Ax = new Float64Array(p.A.rows);
  mulA(p.A, x, Ax);
  const cx = dot(p.c, x, x.length);
  const by = dot(p.b, y, y.length);
  return {
    ...red,
    x,
    y,
    z,
    primalObjective: cx,
    dualObjective: by,
    relGap: Math.abs(cx - by) / Math.max(1, Math.abs(cx), Math.abs(by)),
    primalResidual: norm2(Ax.map((v, i) => v - p.b[i])) / (1 + norm2(p.b)),
    dualResidual: norm2(zy.map((v, e) => v - z[e])) / (1 + norm2(p.c)),
    certificateResidual: NaN,
  };
}

/**
 * The face problem once more, over an orthonormal basis of each reduced block's face and with
 * the same rows, and the reduced answer in its coordinates: Q = L^-1 V for V V^T = L L^T, so
 * V = L Q, x = V^T R V = Q^T (L^T R L) Q, and the dual slack on the face V Z V^T becomes
 * L^-1 (V Z V^T) L^-T. For the certificate of the face solve's bound: cone membership does
 * not depend on the basis, but refineDual's least squares does, and in the sparse basis the
 * QAP relaxations' dual slack keeps deficits of ~1e-9 that no size bound can price (their
 * rows bound no trace); in the orthonormal one it has none.
 */
export function orthonormalView(p: ConicProblem, face: Face, rows: readonly number[], red: SolverResult): { problem: ConicProblem; result: SolverResult } {
  const x = Float64Array.from(red.x);
  const z = Float64Array.from(red.z);
  let at = 0;
  const parts = face.parts.map((part): FacePart => {
    const here = at;
    at += reducedDim(part);
    if (!part.face) return part;
    const V = part.face;
    const r = V.length;
    const n = (part.cone as { n: number }).n;
    const L = gramFactor(V, n);
    matToSvec(congruence(L, smat(red.x, r, here), r, 'transposed'), r, x, here);
    matToSvec(congruence(L, smat(red.z, r, here), r, 'inverse'), r, z, here);
    return { ...part, face: orthonormalRows(L, V, n) };
  });
  const { reduced } = restrictProblem(p, { parts, removed: face.removed }, rows);
  return { problem: reduced, result: { ...red, x, z } };
}

/** Q = L^-1 V (forward substitution on V's rows; L lower triangular, row-major). */
function orthonormalRows(L: Float64Array, V: Float64Array[], n: number): Float64Array[] {
  const r = V.length;
  const Q: Float64Array[] = [];
  for (let a = 0; a < r; a++) {
    const q = Float64Array.from(V[a]);
    for (let b = 0; b < a; b++) for (let t = 0; t < n; t++) q[t] -= L[a * r + b] * Q[b][t];
    for (let t = 0; t < n; t++) q[t] /= L[a * r + a];
    Q.push(q);
  }
  return Q;
}

/**
 * For the lower triangular L (row-major) and a symmetric M (r x r): L^T M L ('transposed'),
 * L^-1 M L^-T ('inverse') or L^-T M L^-1 ('inverseTransposed'). One side at a time: T = op(L) M,
 * then op(L) T^T = op(L) M op(L)^T.
 */
function congruence(L: Float64Array, M: Float64Array, r: number, kind: 'transposed' | 'inverse' | 'inverseTransposed'): Float64Array {
  const col = new Float64Array(r);
  const side = (X: Float64Array): Float64Array => {
    const out = new Float64Array(r * r);
    for (let b = 0; b < r; b++) {
      for (let a = 0; a < r; a++) col[a] = X[a * r + b];
      if (kind === 'transposed')
        for (let a = 0; a < r; a++) {
          let s = 0;
          for (let k = a; k < r; k++) s += L[k * r + a] * col[k];
          out[a * r + b] = s;
        }
      else if (kind === 'inverse')
        for (let a = 0; a < r; a++) {
          let s = col[a];
          for (let k = 0; k < a; k++) s -= L[a * r + k] * out[k * r + b];
          out[a * r + b] = s / L[a * r + a];
        }
      else
        for (let a = r - 1; a >= 0; a--) {
          let s = col[a];
          for (let k = a + 1; k < r; k++) s -= L[k * r + a] * out[k * r + b];
          out[a * r + b] = s / L[a * r + a];
        }
    }
    return out;
  };
  const T = side(M);
  const Tt = new Float64Array(r * r);
  for (let a = 0; a < r; a++) for (let b = 0; b < r; b++) Tt[a * r + b] = T[b * r + a];
  return side(Tt);
}
