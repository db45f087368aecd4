/**
 * The scans of A that a solve runs once, in WebAssembly (wasm/kernels.ts cp*, userResiduals,
 * startRowNorms, prepRows, csrTranspose): the certificate's rows' parts unit by unit with their
 * lower coefficients (certify.ts rowParts), its dual slack c - A^T y with its rounding bound
 * (dualSlack) and its rows with a single entry (pinnedColumns); an answer's residuals on the
 * user's data (solve.ts); the start's row norms per cone (ipm.ts startScales); and the internal
 * form's rows and A^T (prepare.ts). The same operations in the same order as their TypeScript
 * twins, so the same bits (test/conic/scans-wasm.test.ts).
 *
 * Why: running once per solve, in a fresh process these loops ran interpreted, every double
 * boxed, with a boxed object per part: about 4 of the 45-50 ms of the command line's first
 * paper solve (CPU profiles), and 0.8 of its 5.4 MB of allocation (docs/solver.md, "Less boxing
 * in a first solve").
 */
import { kernelScratch, SCAN_MIN, ScratchLayout } from '../linalg/wasm-kernels.ts';
import type { Cone, SparseRows } from './types.ts';

/** A unit of the certificate (certify.ts): a cone, or one column of a free or nonnegative cone. */
export interface ScanUnit {
  kind: Cone['kind'];
  off: number;
  /** Matrix order (psd/hpsd), else 0. */
  n: number;
}

/** The row and column of every vec entry of a matrix unit (certify.ts layout). */
export interface ScanLayout {
  row: Int32Array;
  col: Int32Array;
}

/** Every row's parts (rows' parts from partPtr[i]), each with its entries from[p] .. from[p + 1] - 1 of idx / val. */
export interface PartScan {
  partPtr: Int32Array;
  unit: Int32Array;
  from: Int32Array;
  /** 1 where a matrix unit's part has only diagonal entries. */
  diag: Int32Array;
  /** lo of +a (2 p) and of -a (2 p + 1). */
  lo: Float64Array;
  /** Local indices and values of the nonzero entries, grouped by part. */
  idx: Int32Array;
  val: Float64Array;
}

interface ScanExports {
  memory: WebAssembly.Memory;
  cpUnits(kind: number, off: number, n: number, layout: number, count: number, start: number, order: number, g: number): void;
  cpRowParts(
    rows: number,
    rowPtr: number,
    colIdx: number,
    values: number,
    unitOf: number,
    idx: number,
    val: number,
    partPtr: number,
    partUnit: number,
    partFrom: number,
    partDiag: number,
    lo: number,
  ): number;
  cpDualSlack(
    rows: number,
    n: number,
    rowPtr: number,
    colIdx: number,
    values: number,
    c: number,
    cScale: number,
    y: number,
    v: number,
    mag: number,
    cnt: number,
    err: number,
  ): void;
  cpSingletons(rows: number, rowPtr: number, colIdx: number, values: number, col: number, val: number): void;
  userResiduals(
    rows: number,
    n: number,
    rowPtr: number,
    colIdx: number,
    values: number,
    b: number,
    c: number,
    x: number,
    y: number,
    z: number,
    r: number,
    s: number,
  ): void;
  startRowNorms(
    rows: number,
    K: number,
    rowPtr: number,
    colIdx: number,
    values: number,
    owner: number,
    b: number,
    rowNorm: number,
    maxRatio: number,
    maxNorm: number,
  ): void;
  prepRows(m: number, uPtr: number, uCol: number, uVal: number, colMap: number, rowPtr: number, cols: number, vals: number): number;
  csrTranspose(rows: number, cols: number, rowPtr: number, colIdx: number, values: number, colPtr: number, rowIdx: number, tvalues: number, next: number): void;
}

const KIND_CODE: Record<Cone['kind'], number> = { free: 0, nonneg: 1, soc: 2, psd: 3, hpsd: 4 };

/** The kernels' exports with `bytes` of memory, or null (off, unavailable, too large). */
function scratch(bytes: number): ScanExports | null {
  return kernelScratch(bytes) as unknown as ScanExports | null;
}

/** certify.ts rowParts' scan in WebAssembly, or null when not taken there (small A, no WebAssembly). */
export function rowPartsWasm(A: SparseRows, units: readonly ScanUnit[], unitOf: Int32Array, layoutOf: (u: ScanUnit) => ScanLayout): PartScan | null {
  const nnz = A.rowPtr[A.rows];
  if (nnz < SCAN_MIN) return null;
  const nu = units.length;
  const at = new ScratchLayout();
  const rows = rowsRoom(at, A);
  const unitOfAt = at.i32(unitOf.length);
  const unitAt = { kind: at.i32(nu), off: at.i32(nu), n: at.i32(nu), layout: at.i32(nu) };
  const count = at.i32(nu);
  const start = at.i32(nu);
  const order = at.i32(nu);
  // each distinct layout once
  const layoutAt = new Map<ScanLayout, number>();
  let maxN = 0;
  for (const u of units) {
    if (u.kind !== 'psd' && u.kind !== 'hpsd') continue;
    const L = layoutOf(u);
    if (!layoutAt.has(L)) layoutAt.set(L, at.i32(2 * L.row.length));
    maxN = Math.max(maxN, u.n);
  }
  const idx = at.i32(nnz);
  const partPtr = at.i32(A.rows + 1);
  const partUnit = at.i32(nnz);
  const partFrom = at.i32(nnz + 1);
  const partDiag = at.i32(nnz);
  const val = at.f64(nnz);
  const lo = at.f64(2 * nnz);
  const g = at.f64(3 * maxN);
  const k = scratch(at.bytes);
  if (k === null) return null;
  putRows(k, A, rows);
  const ints = new Int32Array(k.memory.buffer);
  const f64s = new Float64Array(k.memory.buffer);
  ints.set(unitOf, unitOfAt / 4);
  for (const [L, byte] of layoutAt) {
    ints.set(L.row, byte / 4);
    ints.set(L.col, byte / 4 + L.row.length);
  }
  units.forEach((u, i) => {
    ints[unitAt.kind / 4 + i] = KIND_CODE[u.kind];
    ints[unitAt.off / 4 + i] = u.off;
    ints[unitAt.n / 4 + i] = u.n;
    ints[unitAt.layout / 4 + i] = u.kind === 'psd' || u.kind === 'hpsd' ? layoutAt.get(layoutOf(u))! : 0;
  });
  ints.fill(0, count / 4, count / 4 + nu);
  k.cpUnits(unitAt.kind, unitAt.off, unitAt.n, unitAt.layout, count, start, order, g);
  const parts = k.cpRowParts(A.rows, rows.rowPtr, rows.colIdx, rows.values, unitOfAt, idx, val, partPtr, partUnit, partFrom, partDiag, lo);
  // copies: the memory is the next kernel call's scratch
  return {
    partPtr: ints.slice(partPtr / 4, partPtr / 4 + A.rows + 1),
    unit: ints.slice(partUnit / 4, partUnit / 4 + parts),
    from: ints.slice(partFrom / 4, partFrom / 4 + parts + 1),
    diag: ints.slice(partDiag / 4, partDiag / 4 + parts),
    lo: f64s.slice(lo / 8, lo / 8 + 2 * parts),
    idx: ints.slice(idx / 4, idx / 4 + nnz),
    val: f64s.slice(val / 8, val / 8 + nnz),
  };
}

/** A's byte offsets in a scratch layout: row pointers and columns (i32), values (f64). */
interface RowsAt {
  rowPtr: number;
  colIdx: number;
  values: number;
}

/** Room for A's rows (the first of a layout: the caller adds its own arrays after them). */
function rowsRoom(at: ScratchLayout, A: SparseRows): RowsAt {
  const nnz = A.rowPtr[A.rows];
  return { rowPtr: at.i32(A.rows + 1), colIdx: at.i32(nnz), values: at.f64(nnz) };
}

/** Copies A's rows into the memory at `to`. */
function putRows(k: ScanExports, A: SparseRows, to: RowsAt): void {
  const nnz = A.rowPtr[A.rows];
  new Int32Array(k.memory.buffer).set(A.rowPtr.subarray(0, A.rows + 1), to.rowPtr / 4);
  new Int32Array(k.memory.buffer).set(A.colIdx.subarray(0, nnz), to.colIdx / 4);
  new Float64Array(k.memory.buffer).set(A.values.subarray(0, nnz), to.values / 8);
}

/** certify.ts dualSlack in WebAssembly into v, mag and err (length c.length); false when not taken there. */
export function dualSlackWasm(A: SparseRows, c: Float64Array, cScale: number, y: Float64Array, v: Float64Array, mag: Float64Array, err: Float64Array): boolean {
  if (A.rowPtr[A.rows] < SCAN_MIN) return false;
  const n = c.length;
  const at = new ScratchLayout();
  const rows = rowsRoom(at, A);
  const cAt = at.f64(n);
  const yAt = at.f64(A.rows);
  const vAt = at.f64(n);
  const magAt = at.f64(n);
  const cnt = at.f64(n);
  const errAt = at.f64(n);
  const k = scratch(at.bytes);
  if (k === null) return false;
  putRows(k, A, rows);
  const f64s = new Float64Array(k.memory.buffer);
  f64s.set(c, cAt / 8);
  f64s.set(y.subarray(0, A.rows), yAt / 8);
  k.cpDualSlack(A.rows, n, rows.rowPtr, rows.colIdx, rows.values, cAt, cScale, yAt, vAt, magAt, cnt, errAt);
  v.set(f64s.subarray(vAt / 8, vAt / 8 + n));
  mag.set(f64s.subarray(magAt / 8, magAt / 8 + n));
  err.set(f64s.subarray(errAt / 8, errAt / 8 + n));
  return true;
}

/** certify.ts pinnedColumns' scan: each row's single nonzero column (-1: none or several) and its value; null when not taken there. */
export function singletonsWasm(A: SparseRows): { col: Int32Array; val: Float64Array } | null {
  if (A.rowPtr[A.rows] < SCAN_MIN) return null;
  const at = new ScratchLayout();
  const rows = rowsRoom(at, A);
  const col = at.i32(A.rows);
  const val = at.f64(A.rows);
  const k = scratch(at.bytes);
  if (k === null) return null;
  putRows(k, A, rows);
  k.cpSingletons(A.rows, rows.rowPtr, rows.colIdx, rows.values, col, val);
  return { col: new Int32Array(k.memory.buffer).slice(col / 4, col / 4 + A.rows), val: new Float64Array(k.memory.buffer).slice(val / 8, val / 8 + A.rows) };
}

/**
 * solve.ts' residuals of an answer on the user's data: r = A x - b into r (rows) and
 * s = z + A^T y - c into s (n); false when not taken there.
 */
export function userResidualsWasm(
  A: SparseRows,
  b: Float64Array,
  c: Float64Array,
  x: Float64Array,
  y: Float64Array,
  z: Float64Array,
  r: Float64Array,
  s: Float64Array,
): boolean {
  if (A.rowPtr[A.rows] < SCAN_MIN) return false;
  const n = c.length;
  const at = new ScratchLayout();
  const rows = rowsRoom(at, A);
  const [bAt, yAt, rAt] = [at.f64(A.rows), at.f64(A.rows), at.f64(A.rows)];
  const [cAt, xAt, zAt, sAt] = [at.f64(n), at.f64(n), at.f64(n), at.f64(n)];
  const k = scratch(at.bytes);
  if (k === null) return false;
  putRows(k, A, rows);
  const f64s = new Float64Array(k.memory.buffer);
  f64s.set(b.subarray(0, A.rows), bAt / 8);
  f64s.set(y.subarray(0, A.rows), yAt / 8);
  f64s.set(c.subarray(0, n), cAt / 8);
  f64s.set(x.subarray(0, n), xAt / 8);
  f64s.set(z.subarray(0, n), zAt / 8);
  k.userResiduals(A.rows, n, rows.rowPtr, rows.colIdx, rows.values, bAt, cAt, xAt, yAt, zAt, rAt, sAt);
  r.set(f64s.subarray(rAt / 8, rAt / 8 + A.rows));
  s.set(f64s.subarray(sAt / 8, sAt / 8 + n));
  return true;
}

/**
 * ipm.ts startScales' scan of the rows (`owner`: the cone of every column, K cones): each
 * cone's largest (1 + |b_i|) / (1 + ||row i on it||) into maxRatio and largest row norm on it
 * into maxNorm; false when not taken there.
 */
export function startRowNormsWasm(A: SparseRows, owner: Int32Array, b: Float64Array, K: number, maxRatio: Float64Array, maxNorm: Float64Array): boolean {
  if (A.rowPtr[A.rows] < SCAN_MIN) return false;
  const at = new ScratchLayout();
  const rows = rowsRoom(at, A);
  const ownerAt = at.i32(owner.length);
  const [bAt, rowNorm, ratioAt, normAt] = [at.f64(A.rows), at.f64(K), at.f64(K), at.f64(K)];
  const k = scratch(at.bytes);
  if (k === null) return false;
  putRows(k, A, rows);
  new Int32Array(k.memory.buffer).set(owner, ownerAt / 4);
  const f64s = new Float64Array(k.memory.buffer);
  f64s.set(b.subarray(0, A.rows), bAt / 8);
  k.startRowNorms(A.rows, K, rows.rowPtr, rows.colIdx, rows.values, ownerAt, bAt, rowNorm, ratioAt, normAt);
  maxRatio.set(f64s.subarray(ratioAt / 8, ratioAt / 8 + K));
  maxNorm.set(f64s.subarray(normAt / 8, normAt / 8 + K));
  return true;
}

/**
 * prepare.ts prepareShape's copy of the user's rows when no cone is free: each row without its
 * zeros, columns mapped through colMap, into rowPtr, cols and vals (at least as long as A's
 * entries); the number of entries, or null when a row's columns do not increase strictly (the
 * caller merges and sorts it) or when not taken to WebAssembly.
 */
export function prepRowsWasm(A: SparseRows, colMap: Int32Array, rowPtr: Int32Array, cols: Int32Array, vals: Float64Array): number | null {
  if (A.rowPtr[A.rows] < SCAN_MIN) return null;
  const at = new ScratchLayout();
  const rows = rowsRoom(at, A);
  const mapAt = at.i32(colMap.length);
  const ptrAt = at.i32(A.rows + 1);
  const colsAt = at.i32(A.rowPtr[A.rows]);
  const valsAt = at.f64(A.rowPtr[A.rows]);
  const k = scratch(at.bytes);
  if (k === null) return null;
  putRows(k, A, rows);
  new Int32Array(k.memory.buffer).set(colMap, mapAt / 4);
  const nnz = k.prepRows(A.rows, rows.rowPtr, rows.colIdx, rows.values, mapAt, ptrAt, colsAt, valsAt);
  if (nnz < 0) return null;
  rowPtr.set(new Int32Array(k.memory.buffer, ptrAt, A.rows + 1));
  cols.set(new Int32Array(k.memory.buffer, colsAt, nnz));
  vals.set(new Float64Array(k.memory.buffer, valsAt, nnz));
  return nnz;
}

/** prepare.ts transpose in WebAssembly (the same arrays), or null when not taken there. */
export function transposeWasm(A: SparseRows): { colPtr: Int32Array; rowIdx: Int32Array; values: Float64Array } | null {
  const nnz = A.rowPtr[A.rows];
  if (nnz < SCAN_MIN || A.rowPtr[0] !== 0) return null;
  const at = new ScratchLayout();
  const rows = rowsRoom(at, A);
  const [colPtr, rowIdx, next] = [at.i32(A.cols + 1), at.i32(nnz), at.i32(A.cols)];
  const values = at.f64(nnz);
  const k = scratch(at.bytes);
  if (k === null) return null;
  putRows(k, A, rows);
  k.csrTranspose(A.rows, A.cols, rows.rowPtr, rows.colIdx, rows.values, colPtr, rowIdx, values, next);
  return {
    colPtr: new Int32Array(k.memory.buffer).slice(colPtr / 4, colPtr / 4 + A.cols + 1),
    rowIdx: new Int32Array(k.memory.buffer).slice(rowIdx / 4, rowIdx / 4 + nnz),
    values: new Float64Array(k.memory.buffer).slice(values / 8, values / 8 + nnz),
  };
}
