/**
 * Vectorisation of matrix cones (see types.ts): `svec` for real symmetric and `hvec`
 * for complex Hermitian matrices, both isometries (<vec X, vec Y> = tr(X Y)).
 * Matrices are row-major Float64Array; complex ones as separate re/im parts.
 */

const SQRT2 = Math.SQRT2;
const ISQRT2 = 1 / Math.SQRT2;

/** Complex matrix, row-major, real and imaginary parts separately. */
export interface ComplexMatrix {
  re: Float64Array;
  im: Float64Array;
}

/** Length of svec of a real symmetric n x n matrix: n(n+1)/2. */
export const svecDim = (n: number): number => (n * (n + 1)) / 2;
/** Length of hvec of a complex Hermitian n x n matrix: n^2 real numbers. */
export const hvecDim = (n: number): number => n * n;

/** Position of (i, j), i >= j, in svec of order n. */
export const svecIndex = (n: number, i: number, j: number): number => (j * (2 * n - j + 1)) / 2 + (i - j);

/** Position of diagonal entry j in hvec of order n; the pair for (i, j), i > j, follows at +2(i-j-1)+1. */
export const hvecDiagIndex = (n: number, j: number): number => j * (2 * n - j);

/** svec of a symmetric matrix (lower triangle read). */
export function svec(x: Float64Array, n: number): Float64Array {
  const v = new Float64Array(svecDim(n));
  matToSvec(x, n, v, 0);
  return v;
}

/** The symmetric matrix of an svec vector (of its entries from `off` on). */
export function smat(v: Float64Array, n: number, off = 0): Float64Array {
  const x = new Float64Array(n * n);
  svecToMat(v, off, n, x);
  return x;
}

/** hvec of a Hermitian matrix (lower triangle read). */
export function hvec(x: ComplexMatrix, n: number): Float64Array {
  const v = new Float64Array(n * n);
  let k = 0;
  for (let j = 0; j < n; j++) {
    v[k++] = x.re[j * n + j];
    for (let i = j + 1; i < n; i++) {
      v[k++] = SQRT2 * x.re[i * n + j];
      v[k++] = SQRT2 * x.im[i * n + j];
    }
  }
  return v;
}

/** The Hermitian matrix of an hvec vector. */
export function hmat(v: Float64Array, n: number): ComplexMatrix {
  const re = new Float64Array(n * n);
  const im = new Float64Array(n * n);
  let k = 0;
  for (let j = 0; j < n; j++) {
    re[j * n + j] = v[k++];
    for (let i = j + 1; i < n; i++) {
      const a = v[k++] * ISQRT2;
      const b = v[k++] * ISQRT2;
      re[i * n + j] = a;
      re[j * n + i] = a;
      im[i * n + j] = b;
      im[j * n + i] = -b;
    }
  }
  return { re, im };
}

/** Writes smat(v[off ..]) into the n x n matrix m. */
export function svecToMat(v: Float64Array, off: number, n: number, m: Float64Array): void {
  let k = off;
  for (let j = 0; j < n; j++) {
    m[j * n + j] = v[k++];
    for (let i = j + 1; i < n; i++) {
      const a = v[k++] * ISQRT2;
      m[i * n + j] = a;
      m[j * n + i] = a;
    }
  }
}

/** Writes svec of the symmetric matrix m (symmetrised) into v[off ..]. */
export function matToSvec(m: Float64Array, n: number, v: Float64Array, off: number): void {
  let k = off;
  for (let j = 0; j < n; j++) {
    v[k++] = m[j * n + j];
    for (let i = j + 1; i < n; i++) v[k++] = ISQRT2 * (m[i * n + j] + m[j * n + i]);
  }
}

/**
 * Writes the real embedding [[Re, -Im], [Im, Re]] (order 2n) of hmat(v[off ..]) into m.
 * The embedding is an algebra homomorphism with tr(E(X) E(Y)) = 2 tr(X Y).
 */
export function hvecToEmbedded(v: Float64Array, off: number, n: number, m: Float64Array): void {
  const N = 2 * n;
  let k = off;
  for (let j = 0; j < n; j++) {
    const d = v[k++];
    m[j * N + j] = d;
    m[(j + n) * N + j + n] = d;
    m[(j + n) * N + j] = 0;
    m[j * N + j + n] = 0;
    for (let i = j + 1; i < n; i++) {
      const a = v[k++] * ISQRT2;
      const b = v[k++] * ISQRT2;
      // Re block entries
      m[i * N + j] = a;
      m[j * N + i] = a;
      m[(i + n) * N + j + n] = a;
      m[(j + n) * N + i + n] = a;
      // Im in the lower-left block, -Im in the upper-right block
      m[(i + n) * N + j] = b;
      m[(j + n) * N + i] = -b;
      m[j * N + i + n] = b;
      m[i * N + j + n] = -b;
    }
  }
}

/** Inverse of hvecToEmbedded, averaging the redundant copies (projection onto the embedding). */
export function embeddedToHvec(m: Float64Array, n: number, v: Float64Array, off: number): void {
  const N = 2 * n;
  let k = off;
  for (let j = 0; j < n; j++) {
    v[k++] = 0.5 * (m[j * N + j] + m[(j + n) * N + j + n]);
    for (let i = j + 1; i < n; i++) {
      const re = m[i * N + j] + m[j * N + i] + m[(i + n) * N + j + n] + m[(j + n) * N + i + n];
      const im = m[(i + n) * N + j] - m[(j + n) * N + i] + m[j * N + i + n] - m[i * N + j + n];
      v[k++] = (SQRT2 / 4) * re;
      v[k++] = (SQRT2 / 4) * im;
    }
  }
}
