/**
 * The problem over a face (facial-reduction.ts) and its answer lifted back. Each reduced PSD
 * block x_j = V^T R_j V (V: orthonormal rows spanning the face, r x n) becomes a PSD block of
 * order r (a nonnegative coordinate when r = 1, nothing when r = 0); the other cones stay.
 * Rows that become dependent on the face are dropped: the lifted answer is checked against
 * all of them by the caller.
 */
import type { Cone, ConicProblem, SolverResult } from './types.ts';
import type { Face, FacePart } from './facial-reduction.ts';
import { matToSvec, smat, svecDim } from './vec.ts';
import { dualSlack } from './certify.ts';
import { mulA } from './prepare.ts';

/**
 * A row whose restriction keeps less than this part of its norm against the rows before it is
 * dependent on the face (qap6's: dependent rows keep ~1e-15 of their norm, the others 0.2 and
 * more).
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

/** The reduced problem's length of each part: svec of the face's order, or the part's own dimension. */
const reducedDim = (part: FacePart): number => (part.face ? svecDim(part.face.length) : part.dim);

/** Where each coordinate of x lies: its part, its (i, j) in a PSD block, and each part's offset in the reduced coordinates. */
interface Layout {
  part: Int32Array;
  i: Int32Array;
  j: Int32Array;
  at: number[];
}

function layoutOf(face: Face, n: number): Layout {
  const L: Layout = { part: new Int32Array(n), i: new Int32Array(n), j: new Int32Array(n), at: [] };
  let at = 0;
  face.parts.forEach((part, k) => {
    L.at.push(at);
    at += reducedDim(part);
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
 * diagonal) to V M V^T, v_i the face basis' column i: r^2 work per nonzero, where the product
 * V M V^T of a dense M took most of qap6's restriction.
 */
function restrictSparse(idx: ArrayLike<number>, val: ArrayLike<number>, face: Face, L: Layout, dim: number): Float64Array {
  const out = new Float64Array(dim);
  const acc: (Float64Array | undefined)[] = [];
  for (let k = 0; k < idx.length; k++) {
    const e = idx[k];
    const pk = L.part[e];
    const part = face.parts[pk];
    if (!part.face) {
      out[L.at[pk] + e - part.off] += val[k];
      continue;
    }
    const V = part.face;
    const r = V.length;
    const R = (acc[pk] ??= new Float64Array(r * r));
    const i = L.i[e];
    const j = L.j[e];
    const m = i === j ? val[k] : val[k] * Math.SQRT1_2;
    for (let a = 0; a < r; a++) {
      const ai = V[a][i];
      const aj = V[a][j];
      for (let b = 0; b < r; b++) R[a * r + b] += i === j ? m * ai * V[b][j] : m * (ai * V[b][j] + aj * V[b][i]);
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

/** w minus its projections on the orthonormal rows `basis` (one Gram-Schmidt pass); the norm left. */
function orthogonalise(w: Float64Array, basis: Float64Array[], dim: number): number {
  for (const q of basis) {
    let d = 0;
    for (let e = 0; e < dim; e++) d += q[e] * w[e];
    for (let e = 0; e < dim; e++) w[e] -= d * q[e];
  }
  let s = 0;
  for (let e = 0; e < dim; e++) s += w[e] * w[e];
  return Math.sqrt(s);
}

/** The problem over the face with the rows that stay independent there (Gram-Schmidt, DEPENDENT), and their indices. */
export function restrictProblem(p: ConicProblem, face: Face): { reduced: ConicProblem; rows: number[] } {
  const dim = p.c.length - face.removed;
  const { A } = p;
  const L = layoutOf(face, p.c.length);
  const basis: Float64Array[] = [];
  const rows: number[] = [];
  const kept: Float64Array[] = [];
  for (let i = 0; i < A.rows; i++) {
    const [from, to] = [A.rowPtr[i], A.rowPtr[i + 1]];
    const ri = restrictSparse(A.colIdx.subarray(from, to), A.values.subarray(from, to), face, L, dim);
    const w = Float64Array.from(ri);
    const n0 = Math.hypot(...ri);
    // a second pass only when the first cancelled most of the row ("twice is enough")
    let nw = orthogonalise(w, basis, dim);
    if (nw < 0.5 * n0) nw = orthogonalise(w, basis, dim);
    if (!(n0 > 0 && nw > DEPENDENT * n0)) continue;
    basis.push(w.map((x) => x / nw));
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
 * face part V z0 V^T replaced by the reduced dual slack zr (z0 + V^T (zr - V z0 V^T) V).
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
      const add = lifted(D, V, n);
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
  const cx = p.c.reduce((s, v, e) => s + v * x[e], 0);
  const by = p.b.reduce((s, v, i) => s + v * y[i], 0);
  return {
    ...red,
    x,
    y,
    z,
    primalObjective: cx,
    dualObjective: by,
    relGap: Math.abs(cx - by) / Math.max(1, Math.abs(cx), Math.abs(by)),
    primalResidual: Math.hypot(...Ax.map((v, i) => v - p.b[i])) / (1 + Math.hypot(...p.b)),
    dualResidual: Math.hypot(...zy.map((v, e) => v - z[e])) / (1 + Math.hypot(...p.c)),
    certificateResidual: NaN,
  };
}
