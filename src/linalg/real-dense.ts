/**
 * Real dense kernels on row-major Float64Array matrices (n x n unless stated).
 * Written for the conic solver: no allocation inside, callers own all buffers.
 */
import { opCounts } from './op-counts.ts';
import { cholSolveWasm, realCholWasm, realProductWasm } from './wasm-kernels.ts';
import { slotOf, vectorKernels } from './wasm-vectors.ts';

/**
 * In-place Cholesky A = L L^T of a symmetric positive definite matrix (row-major,
 * reads the lower triangle, writes L into it; the strict upper triangle is zeroed).
 * Returns false when a pivot is not positive (A not numerically PD).
 */
export function cholesky(a: Float64Array, n: number): boolean {
  return realCholWasm(a, n) ?? choleskyTs(a, n);
}

function choleskyTs(a: Float64Array, n: number): boolean {
  for (let i = 0; i < n; i++) {
    const ri = i * n;
    for (let j = 0; j <= i; j++) {
      const rj = j * n;
      let s = a[ri + j];
      let k = 0;
      for (; k + 3 < j; k += 4) {
        s -= a[ri + k] * a[rj + k] + a[ri + k + 1] * a[rj + k + 1] + a[ri + k + 2] * a[rj + k + 2] + a[ri + k + 3] * a[rj + k + 3];
      }
      for (; k < j; k++) s -= a[ri + k] * a[rj + k];
      if (j < i) {
        a[ri + j] = s / a[rj + j];
      } else {
        if (!(s > 0)) return false;
        a[ri + i] = Math.sqrt(s);
      }
    }
    for (let j = i + 1; j < n; j++) a[ri + j] = 0;
  }
  return true;
}

/**
 * Cholesky for the normal equations: a pivot below `tiny` times its row's original
 * diagonal entry marks a row (numerically) dependent on the previous ones; it is
 * replaced by a huge value, which zeroes that component of the solution (the SeDuMi /
 * LOQO device). Relative to the own diagonal, so row scaling does not matter. Works in
 * place on the lower triangle, row by row, with the dot products on contiguous rows.
 * Returns the number of replaced pivots, or -1 when the matrix has NaN/Inf.
 */
export function choleskyNormal(a: Float64Array, n: number, tiny: number, rowRel = true): number {
  let maxDiag = 0;
  for (let i = 0; i < n; i++) maxDiag = Math.max(maxDiag, Math.abs(a[i * n + i]));
  if (!Number.isFinite(maxDiag)) return -1;
  const floor = 1e-300 + 1e-30 * maxDiag;
  let fixed = 0;
  // Two rows at a time share the loads of row j (register blocking).
  let i = 0;
  for (; i + 1 < n; i += 2) {
    const r0 = i * n;
    const r1 = r0 + n;
    for (let j = 0; j < i; j++) {
      const rj = j * n;
      let s0 = a[r0 + j];
      let s1 = a[r1 + j];
      let k = 0;
      for (; k + 1 < j; k += 2) {
        const l0 = a[rj + k];
        const l1 = a[rj + k + 1];
        s0 -= a[r0 + k] * l0 + a[r0 + k + 1] * l1;
        s1 -= a[r1 + k] * l0 + a[r1 + k + 1] * l1;
      }
      for (; k < j; k++) {
        s0 -= a[r0 + k] * a[rj + k];
        s1 -= a[r1 + k] * a[rj + k];
      }
      const d = a[rj + j];
      a[r0 + j] = s0 / d;
      a[r1 + j] = s1 / d;
    }
    // diagonal of row i
    let s = a[r0 + i];
    const th0 = tiny * (rowRel ? a[r0 + i] : maxDiag) + floor;
    const th1 = tiny * (rowRel ? a[r1 + i + 1] : maxDiag) + floor;
    for (let k = 0; k < i; k++) s -= a[r0 + k] * a[r0 + k];
    if (!(s > th0)) {
      a[r0 + i] = 1e64;
      fixed++;
    } else a[r0 + i] = Math.sqrt(s);
    // entry (i+1, i)
    let t = a[r1 + i];
    for (let k = 0; k < i; k++) t -= a[r1 + k] * a[r0 + k];
    a[r1 + i] = t / a[r0 + i];
    let u = a[r1 + i + 1];
    for (let k = 0; k <= i; k++) u -= a[r1 + k] * a[r1 + k];
    if (!(u > th1)) {
      a[r1 + i + 1] = 1e64;
      fixed++;
    } else a[r1 + i + 1] = Math.sqrt(u);
  }
  for (; i < n; i++) {
    const ri = i * n;
    for (let j = 0; j < i; j++) {
      const rj = j * n;
      let s = a[ri + j];
      for (let k = 0; k < j; k++) s -= a[ri + k] * a[rj + k];
      a[ri + j] = s / a[rj + j];
    }
    let s = a[ri + i];
    const th = tiny * (rowRel ? s : maxDiag) + floor;
    for (let k = 0; k < i; k++) s -= a[ri + k] * a[ri + k];
    if (!(s > th)) {
      a[ri + i] = 1e64;
      fixed++;
    } else a[ri + i] = Math.sqrt(s);
  }
  for (let r = 0; r < n; r++) {
    const v = a[r * n + r];
    if (!Number.isFinite(v)) return -1;
  }
  return fixed;
}

/**
 * Solves L L^T x = b in place (b becomes x), L from `cholesky` (row-major lower); from order
 * CHOL_SOLVE_MIN on in WebAssembly when it is available (the same loop, the same bits).
 */
export function cholSolve(l: Float64Array, n: number, b: Float64Array): void {
  if (cholSolveWasm(l, n, b)) return;
  cholSolveTs(l, n, b);
}

/** cholSolve's TypeScript loop (the fallback, and the reference of its WebAssembly twin). */
export function cholSolveTs(l: Float64Array, n: number, b: Float64Array): void {
  for (let i = 0; i < n; i++) {
    const ri = i * n;
    let s = b[i];
    for (let k = 0; k < i; k++) s -= l[ri + k] * b[k];
    b[i] = s / l[ri + i];
  }
  for (let i = n - 1; i >= 0; i--) {
    const s = b[i] / l[i * n + i];
    b[i] = s;
    if (s !== 0) for (let k = 0; k < i; k++) b[k] -= l[i * n + k] * s;
  }
}

/**
 * C = A B (all n x n row-major; C must not alias A or B). Register-blocked: two rows of
 * C and four rows of B per pass, so each loaded B entry feeds two multiply-adds
 * (about 1.5x faster than the plain i-k-j loop in V8).
 */
export function matMul(a: Float64Array, b: Float64Array, c: Float64Array, n: number): void {
  opCounts.realProducts++;
  if (realProductWasm('rMul', a, b, c, n)) return;
  c.fill(0, 0, n * n);
  let i = 0;
  for (; i + 1 < n; i += 2) {
    const r0 = i * n;
    const r1 = r0 + n;
    let k = 0;
    for (; k + 3 < n; k += 4) {
      const a00 = a[r0 + k];
      const a01 = a[r0 + k + 1];
      const a02 = a[r0 + k + 2];
      const a03 = a[r0 + k + 3];
      const a10 = a[r1 + k];
      const a11 = a[r1 + k + 1];
      const a12 = a[r1 + k + 2];
      const a13 = a[r1 + k + 3];
      const b0 = k * n;
      const b1 = b0 + n;
      const b2 = b1 + n;
      const b3 = b2 + n;
      for (let j = 0; j < n; j++) {
        const x0 = b[b0 + j];
        const x1 = b[b1 + j];
        const x2 = b[b2 + j];
        const x3 = b[b3 + j];
        c[r0 + j] += a00 * x0 + a01 * x1 + a02 * x2 + a03 * x3;
        c[r1 + j] += a10 * x0 + a11 * x1 + a12 * x2 + a13 * x3;
      }
    }
    for (; k < n; k++) {
      const a0 = a[r0 + k];
      const a1 = a[r1 + k];
      const bk = k * n;
      for (let j = 0; j < n; j++) {
        const x = b[bk + j];
        c[r0 + j] += a0 * x;
        c[r1 + j] += a1 * x;
      }
    }
  }
  for (; i < n; i++) {
    const ri = i * n;
    for (let k = 0; k < n; k++) {
      const aik = a[ri + k];
      if (aik === 0) continue;
      const rk = k * n;
      for (let j = 0; j < n; j++) c[ri + j] += aik * b[rk + j];
    }
  }
}

/** C = A^T B (C must not alias A or B), unrolled like matMul. */
export function matMulTN(a: Float64Array, b: Float64Array, c: Float64Array, n: number): void {
  opCounts.realProducts++;
  if (realProductWasm('rMulTN', a, b, c, n)) return;
  c.fill(0, 0, n * n);
  let k = 0;
  for (; k + 3 < n; k += 4) {
    const r0 = k * n;
    const r1 = r0 + n;
    const r2 = r1 + n;
    const r3 = r2 + n;
    for (let i = 0; i < n; i++) {
      const a0 = a[r0 + i];
      const a1 = a[r1 + i];
      const a2 = a[r2 + i];
      const a3 = a[r3 + i];
      if (a0 === 0 && a1 === 0 && a2 === 0 && a3 === 0) continue;
      const ri = i * n;
      for (let j = 0; j < n; j++) c[ri + j] += a0 * b[r0 + j] + a1 * b[r1 + j] + a2 * b[r2 + j] + a3 * b[r3 + j];
    }
  }
  for (; k < n; k++) {
    const rk = k * n;
    for (let i = 0; i < n; i++) {
      const aki = a[rk + i];
      if (aki === 0) continue;
      const ri = i * n;
      for (let j = 0; j < n; j++) c[ri + j] += aki * b[rk + j];
    }
  }
}

/** Dot product of rows i and j of row-major matrices a and b (length n), 4 accumulators. */
function rowDot(a: Float64Array, ra: number, b: Float64Array, rb: number, n: number): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let k = 0;
  for (; k + 3 < n; k += 4) {
    s0 += a[ra + k] * b[rb + k];
    s1 += a[ra + k + 1] * b[rb + k + 1];
    s2 += a[ra + k + 2] * b[rb + k + 2];
    s3 += a[ra + k + 3] * b[rb + k + 3];
  }
  for (; k < n; k++) s0 += a[ra + k] * b[rb + k];
  return s0 + s1 + s2 + s3;
}

/** C = A B^T (C must not alias A or B): c_ij = dot(row i of A, row j of B). */
export function matMulNT(a: Float64Array, b: Float64Array, c: Float64Array, n: number): void {
  opCounts.realProducts++;
  if (realProductWasm('rMulNT', a, b, c, n)) return;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) c[i * n + j] = rowDot(a, i * n, b, j * n, n);
  }
}

/**
 * C = A B^T when the result is known to be symmetric: only j <= i is computed, in 2 x 2
 * blocks of dot products that share their loads.
 */
export function matMulNTSym(a: Float64Array, b: Float64Array, c: Float64Array, n: number): void {
  opCounts.realProducts++;
  if (realProductWasm('rMulNTSym', a, b, c, n)) return;
  let i = 0;
  for (; i + 1 < n; i += 2) {
    const ra0 = i * n;
    const ra1 = ra0 + n;
    for (let j = 0; j <= i; j += 2) {
      const rb0 = j * n;
      const rb1 = rb0 + n;
      let s00 = 0;
      let s01 = 0;
      let s10 = 0;
      let s11 = 0;
      for (let k = 0; k < n; k++) {
        const x0 = a[ra0 + k];
        const x1 = a[ra1 + k];
        const y0 = b[rb0 + k];
        const y1 = b[rb1 + k];
        s00 += x0 * y0;
        s01 += x0 * y1;
        s10 += x1 * y0;
        s11 += x1 * y1;
      }
      c[ra0 + j] = s00;
      c[rb0 + i] = s00;
      c[ra1 + j] = s10;
      c[rb0 + i + 1] = s10;
      c[ra0 + j + 1] = s01;
      c[rb1 + i] = s01;
      c[ra1 + j + 1] = s11;
      c[rb1 + i + 1] = s11;
    }
  }
  for (; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      const v = rowDot(a, i * n, b, j * n, n);
      c[i * n + j] = v;
      c[j * n + i] = v;
    }
  }
}

/** C = A A^T, symmetric (C must not alias A). */
export function matMulAAT(a: Float64Array, c: Float64Array, n: number): void {
  matMulNTSym(a, a, c, n);
}

/** Symmetric sandwich C = P S P^T (S symmetric), `tmp` n x n scratch; 1.5 n^3 flops. */
export function sandwich(p: Float64Array, s: Float64Array, c: Float64Array, tmp: Float64Array, n: number): void {
  if (realProductWasm('rSandwich', p, s, c, n)) {
    opCounts.realProducts += 2;
    return;
  }
  matMul(p, s, tmp, n);
  matMulNTSym(tmp, p, c, n);
}

/** Replaces C by (C + C^T) / 2. */
export function symmetrize(c: Float64Array, n: number): void {
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < i; j++) {
      const v = 0.5 * (c[i * n + j] + c[j * n + i]);
      c[i * n + j] = v;
      c[j * n + i] = v;
    }
  }
}

/** Dot product of the first n entries. */
export function dot(a: Float64Array, b: Float64Array, n: number): number {
  // in the run's WebAssembly vector space: the same sum there (wasm-vectors.ts)
  const k = vectorKernels(a, b);
  if (k) return k.vDot(slotOf(a), slotOf(b), n);
  let s = 0;
  for (let i = 0; i < n; i++) s += a[i] * b[i];
  return s;
}

/** Euclidean norm of the first n entries. */
export function norm2(a: Float64Array, n = a.length): number {
  const k = vectorKernels(a);
  if (k) return Math.sqrt(k.vDot(slotOf(a), slotOf(a), n));
  let s = 0;
  for (let i = 0; i < n; i++) s += a[i] * a[i];
  return Math.sqrt(s);
}

/** Largest absolute value among the first n entries. */
export function normInf(a: Float64Array, n = a.length): number {
  let s = 0;
  for (let i = 0; i < n; i++) s = Math.max(s, Math.abs(a[i]));
  return s;
}
