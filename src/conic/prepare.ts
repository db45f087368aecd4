/**
 * Validation of a ConicProblem and its translation into the internal form the IPM
 * works on: free variables split as x = x+ - x- (two nonnegative parts, appended as
 * one nonneg cone in place of the free one), A also held by columns, one kernel per cone.
 *
 * In two steps, `prepareShape` (everything but the kernels) and `withKernels`, because the
 * interior-point loop sizes its vector space from the shape and then makes each matrix cone's
 * kernel once, in that space (ipm.ts runIpm); `prepare` does both for everyone else.
 */
import { InputError } from '../errors.ts';
import type { ConicProblem, Cone, LowRankHint, SparseRows } from './types.ts';
import type { ConeKernel } from './cones/cone.ts';
import { NonnegCone } from './cones/nonneg.ts';
import { SocCone } from './cones/soc.ts';
import { PsdCone } from './cones/psd.ts';
import { HpsdCone } from './cones/hpsd.ts';
import { Hpsd2Cone } from './cones/hpsd2.ts';
import { csrValidWasm, fusedNeed } from '../linalg/wasm-kernels.ts';
import { prepRowsWasm, transposeWasm } from './scans-wasm.ts';
import type { VectorSpace } from '../linalg/wasm-vectors.ts';

/** An internal cone before its kernel is made. */
export interface ConeShape {
  kind: 'nonneg' | 'soc' | 'psd' | 'hpsd';
  /** Offset and length in the internal x. */
  off: number;
  dim: number;
  /** Matrix order for psd/hpsd. */
  n: number;
  /** Index of the user's cone this came from. */
  source: number;
}

export interface InternalCone extends ConeShape {
  kernel: ConeKernel;
}

/** Compressed sparse columns of the internal A. */
export interface SparseCols {
  colPtr: Int32Array;
  rowIdx: Int32Array;
  values: Float64Array;
}

export interface Prepared {
  m: number;
  /** Internal number of variables (free ones counted twice). */
  n: number;
  c: Float64Array;
  b: Float64Array;
  A: SparseRows;
  At: SparseCols;
  cones: InternalCone[];
  /** Low-rank hints by internal cone index. */
  lowRank: Map<number, LowRankHint[]>;
  /** User cones and, per user cone, its offset in the user's x and the internal one. */
  userCones: Cone[];
  userOff: Int32Array;
  intOff: Int32Array;
  userN: number;
  /** Internal column of each user column, and the negated twin of a free one (-1 if none). */
  colMap: Int32Array;
  twin: Int32Array;
}

/**
 * Number of entries of a cone in the vectorised variable (n(n+1)/2 for a real PSD block, n^2 for
 * a Hermitian one).
 */
export function coneDim(k: Cone): number {
  switch (k.kind) {
    case 'free':
    case 'nonneg':
    case 'soc':
      return k.dim;
    case 'psd':
      return (k.n * (k.n + 1)) / 2;
    case 'hpsd':
      return k.n * k.n;
  }
}

function checkInt(v: number, what: string, min: number): void {
  if (!Number.isInteger(v) || v < min) throw new InputError(`${what} must be an integer >= ${min}, got ${v}`);
}

/**
 * Checks a conic problem's shapes, cone sizes and finiteness; throws InputError naming the
 * offending field.
 */
export function validate(p: ConicProblem): void {
  const { A, b, c, cones } = p;
  let n = 0;
  cones.forEach((k, i) => {
    if (k.kind === 'psd' || k.kind === 'hpsd') checkInt(k.n, `cones[${i}].n`, 1);
    else if (k.kind === 'free' || k.kind === 'nonneg' || k.kind === 'soc') checkInt(k.dim, `cones[${i}].dim`, k.kind === 'soc' ? 1 : 0);
    else throw new InputError(`cones[${i}]: unknown kind ${(k as { kind: string }).kind}`);
    n += coneDim(k);
  });
  if (c.length !== n) throw new InputError(`c has length ${c.length} but the cones have total dimension ${n}`);
  if (A.cols !== n) throw new InputError(`A has ${A.cols} columns but the cones have total dimension ${n}`);
  if (A.rows !== b.length) throw new InputError(`A has ${A.rows} rows but b has length ${b.length}`);
  if (A.rowPtr.length !== A.rows + 1) throw new InputError('A.rowPtr must have rows + 1 entries');
  const nnz = A.rowPtr[A.rows];
  if (A.colIdx.length < nnz || A.values.length < nnz) throw new InputError('A.colIdx / A.values shorter than rowPtr says');
  // the scan in WebAssembly when A is large enough (it runs once or twice per solve, so
  // interpreted in a fresh process); the loops below then only run to name a fault
  if (!csrValidWasm(A.rows, n, A.rowPtr, A.colIdx, A.values, c, b)) checkEntries(A, b, c, n);
  for (const [h, hint] of (p.lowRank ?? []).entries()) {
    const k = cones[hint.cone];
    if (!k || (k.kind !== 'psd' && k.kind !== 'hpsd')) throw new InputError(`lowRank[${h}]: cone ${hint.cone} is not psd/hpsd`);
    if (!(hint.row >= 0 && hint.row < A.rows)) throw new InputError(`lowRank[${h}]: row ${hint.row} out of range`);
    checkInt(hint.rank, `lowRank[${h}].rank`, 1);
    const len = k.n * hint.rank * (k.kind === 'hpsd' ? 2 : 1);
    if (hint.factors.length !== len) throw new InputError(`lowRank[${h}]: factors must have length ${len}`);
    if (hint.weights.length !== hint.rank) throw new InputError(`lowRank[${h}]: weights must have length rank`);
  }
}

/** validate's scan of A's entries, c and b in TypeScript: throws on the first fault. */
function checkEntries(A: ConicProblem['A'], b: Float64Array, c: Float64Array, n: number): void {
  for (let i = 0; i < A.rows; i++) {
    if (A.rowPtr[i + 1] < A.rowPtr[i]) throw new InputError(`A.rowPtr decreases at row ${i}`);
    for (let k = A.rowPtr[i]; k < A.rowPtr[i + 1]; k++) {
      const j = A.colIdx[k];
      if (!(j >= 0 && j < n)) throw new InputError(`A row ${i}: column index ${j} out of range`);
      if (!Number.isFinite(A.values[k])) throw new InputError(`A row ${i}: non-finite value`);
    }
  }
  for (let i = 0; i < n; i++) if (!Number.isFinite(c[i])) throw new InputError(`c[${i}] is not finite`);
  for (let i = 0; i < b.length; i++) if (!Number.isFinite(b[i])) throw new InputError(`b[${i}] is not finite`);
}

/** The internal form without the cones' kernels (`withKernels` makes them), and how Hermitian cones are to be handled. */
export interface PreparedShape extends Omit<Prepared, 'cones'> {
  cones: ConeShape[];
  hermitian: 'native' | 'embedded';
}

/** `hermitian`: native complex kernel for hpsd cones, or the real 2n embedding. */
export function prepare(p: ConicProblem, hermitian: 'native' | 'embedded' = 'native'): Prepared {
  return withKernels(prepareShape(p, hermitian));
}

/**
 * Which cones keep their matrices in a vector space's memory when it has the cones' kernels
 * (src/linalg/wasm-vectors.ts): the 2 x 2 Hermitian blocks in closed form ('h2'), the native
 * Hermitian and the real PSD cones whose fused operations fit WebAssembly ('hermitian',
 * 'real'); null for the others (nonnegative, second-order, embedded Hermitian cones).
 */
export function residentKind(k: ConeShape, hermitian: 'native' | 'embedded'): 'h2' | 'hermitian' | 'real' | null {
  if (k.kind === 'hpsd' && hermitian === 'native') return k.n === 2 ? 'h2' : fusedNeed(k.n) > 0 ? 'hermitian' : null;
  return k.kind === 'psd' && fusedNeed(k.n) > 0 ? 'real' : null;
}

/**
 * The internal form with one kernel per cone; the matrix cones that `residentKind` names are
 * made in `space` when it has the cones' kernels, else in arrays of their own.
 */
export function withKernels(shape: PreparedShape, space?: VectorSpace): Prepared {
  const { hermitian, ...rest } = shape;
  const inSpace = space?.coneKernels ? space : undefined;
  const cones = shape.cones.map((k): InternalCone => {
    const at = residentKind(k, hermitian) === null ? undefined : inSpace;
    let kernel: ConeKernel;
    if (k.kind === 'nonneg') kernel = new NonnegCone(k.dim);
    else if (k.kind === 'soc') kernel = new SocCone(k.dim);
    // 2 x 2 blocks (the sensing moments) in closed form: the same algorithm, without the generic machinery
    else if (k.kind === 'hpsd' && hermitian === 'native') kernel = k.n === 2 ? new Hpsd2Cone(at) : new HpsdCone(k.n, at);
    else kernel = new PsdCone(k.n, k.kind === 'hpsd', at);
    return { kind: k.kind, off: k.off, dim: k.dim, n: k.n, kernel, source: k.source };
  });
  return { ...rest, cones };
}

/** The internal form of a validated copy of `p` (prepare), without the cones' kernels. */
export function prepareShape(p: ConicProblem, hermitian: 'native' | 'embedded' = 'native'): PreparedShape {
  validate(p);
  const userCones = p.cones;
  const userOff = new Int32Array(userCones.length);
  const intOff = new Int32Array(userCones.length);
  // internal column of each user column; free columns also get a negated twin
  let uo = 0;
  let io = 0;
  const cones: ConeShape[] = [];
  const userN = p.c.length;
  const colMap = new Int32Array(userN);
  const twin = new Int32Array(userN).fill(-1);
  userCones.forEach((k, idx) => {
    // Sizes as small integers (| 0): a size that arrives as a boxed double (an array of
    // numbers parsed next to real data can be stored as doubles) makes every kernel that
    // indexes with it deoptimise to float index arithmetic: SDPLIB arch0's third solve in one
    // process took 7.2 s instead of 4.2 s.
    const d = coneDim(k) | 0;
    userOff[idx] = uo;
    intOff[idx] = io;
    if (k.kind === 'free') {
      for (let t = 0; t < d; t++) {
        colMap[uo + t] = io + t;
        twin[uo + t] = io + d + t;
      }
      if (d > 0) cones.push({ kind: 'nonneg', off: io, dim: 2 * d, n: 0, source: idx });
      io += 2 * d;
    } else {
      for (let t = 0; t < d; t++) colMap[uo + t] = io + t;
      const n = k.kind === 'psd' || k.kind === 'hpsd' ? k.n | 0 : 0;
      if (d > 0) cones.push({ kind: k.kind, off: io, dim: d, n, source: idx });
      io += d;
    }
    uo += d;
  });
  const n = io;
  const m = p.b.length;
  const c = new Float64Array(n);
  for (let j = 0; j < userN; j++) {
    c[colMap[j]] = p.c[j];
    if (twin[j] >= 0) c[twin[j]] = -p.c[j];
  }
  // internal rows: merged duplicates, sorted columns; at most two entries (a free column's
  // twin) per user entry, so typed arrays of that size hold them (growing JS arrays were a
  // fifth of this function on the paper-scale SDPs)
  const rowPtr = new Int32Array(m + 1);
  // the user's arrays as locals: this loop runs interpreted in a fresh process, where every
  // `p.A.x` is two property loads per entry
  const { rowPtr: uPtr, colIdx: uCol, values: uVal } = p.A;
  const noFree = twin.every((t) => t < 0);
  // without free cones the rows keep at most their own entries: arrays of A's size, which are
  // then A's own when no entry is dropped (a large network's A is tens of MB, and every new
  // page costs this VM 13 us: docs/solver.md, "Page faults")
  const cap = (noFree ? 1 : 2) * uPtr[m];
  const colsTmp = new Int32Array(cap);
  const valsTmp = new Float64Array(cap);
  let nnz = 0;
  const acc = new Map<number, number>();
  // the builder's rows in WebAssembly when it can copy them all (sorted rows, no free cone)
  const copied = noFree ? prepRowsWasm(p.A, colMap, rowPtr, colsTmp, valsTmp) : null;
  if (copied !== null) nnz = copied;
  for (let i = 0; i < m && copied === null; i++) {
    if (noFree) {
      // the builder's rows: already sorted, no duplicates, no twins (the same result as
      // below), copied while checking that; a row that is not is copied again below
      const start = nnz;
      let sorted = true;
      for (let k = uPtr[i]; k < uPtr[i + 1]; k++) {
        if (k > uPtr[i] && !(uCol[k] > uCol[k - 1])) {
          sorted = false;
          break;
        }
        const v = uVal[k];
        if (v === 0) continue;
        colsTmp[nnz] = colMap[uCol[k]];
        valsTmp[nnz++] = v;
      }
      if (sorted) {
        rowPtr[i + 1] = nnz;
        continue;
      }
      nnz = start;
    }
    acc.clear();
    for (let k = uPtr[i]; k < uPtr[i + 1]; k++) {
      const j = uCol[k];
      const v = uVal[k];
      if (v === 0) continue;
      acc.set(colMap[j], (acc.get(colMap[j]) ?? 0) + v);
      if (twin[j] >= 0) acc.set(twin[j], (acc.get(twin[j]) ?? 0) - v);
    }
    const keys = [...acc.keys()].sort((a, b) => a - b);
    for (const j of keys) {
      const v = acc.get(j)!;
      if (v === 0) continue;
      colsTmp[nnz] = j;
      valsTmp[nnz++] = v;
    }
    rowPtr[i + 1] = nnz;
  }
  const full = nnz === cap;
  const A: SparseRows = { rows: m, cols: n, rowPtr, colIdx: full ? colsTmp : colsTmp.slice(0, nnz), values: full ? valsTmp : valsTmp.slice(0, nnz) };
  const lowRank = new Map<number, LowRankHint[]>();
  for (const h of p.lowRank ?? []) {
    const ci = cones.findIndex((k) => k.source === h.cone);
    if (ci < 0) continue;
    const list = lowRank.get(ci) ?? [];
    list.push(h);
    lowRank.set(ci, list);
  }
  return { m, n, c, b: Float64Array.from(p.b), A, At: transpose(A), cones, lowRank, userCones, userOff, intOff, userN, colMap, twin, hermitian };
}

/** Column-compressed copy of a row-compressed sparse matrix. */
export function transpose(A: SparseRows): SparseCols {
  const inWasm = transposeWasm(A);
  if (inWasm) return inWasm;
  const nnz = A.rowPtr[A.rows];
  const colPtr = new Int32Array(A.cols + 1);
  for (let k = 0; k < nnz; k++) colPtr[A.colIdx[k] + 1]++;
  for (let j = 0; j < A.cols; j++) colPtr[j + 1] += colPtr[j];
  const next = colPtr.slice(0, A.cols);
  const rowIdx = new Int32Array(nnz);
  const values = new Float64Array(nnz);
  for (let i = 0; i < A.rows; i++) {
    for (let k = A.rowPtr[i]; k < A.rowPtr[i + 1]; k++) {
      const j = A.colIdx[k];
      const q = next[j]++;
      rowIdx[q] = i;
      values[q] = A.values[k];
    }
  }
  return { colPtr, rowIdx, values };
}

/** y = A x (internal CSR), the arrays hoisted (the interior-point loop's TypeScript path). */
export function mulA(A: SparseRows, x: Float64Array, y: Float64Array): void {
  const { rowPtr, colIdx, values } = A;
  const m = A.rows;
  let k = rowPtr[0];
  for (let i = 0; i < m; i++) {
    const end = rowPtr[i + 1];
    let s = 0;
    for (; k < end; k++) s += values[k] * x[colIdx[k]];
    y[i] = s;
  }
}

/** x = A^T y, using the column form (each x_j one dot product). */
export function mulAt(At: SparseCols, y: Float64Array, x: Float64Array): void {
  const { colPtr, rowIdx, values } = At;
  const n = colPtr.length - 1;
  let k = colPtr[0];
  for (let j = 0; j < n; j++) {
    const end = colPtr[j + 1];
    let s = 0;
    for (; k < end; k++) s += values[k] * y[rowIdx[k]];
    x[j] = s;
  }
}
