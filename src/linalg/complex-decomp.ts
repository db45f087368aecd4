/**
 * Decompositions of small dense complex matrices (layout: see complex.ts):
 * Hermitian eigendecomposition (cyclic Jacobi), Cholesky, inverse, PSD square root.
 */
import { type CMat, clone, zeros, identity, hermitianPart, mul, adjoint } from './complex.ts';

export interface Eigh {
  /** Eigenvalues in ascending order. */
  values: Float64Array;
  /** Unitary V (columns = eigenvectors, same order): A = V diag(values) V^H. */
  vectors: CMat;
}

/**
 * Eigendecomposition of a Hermitian matrix by the cyclic complex Jacobi method.
 * Jacobi is chosen over Householder+QL for its accuracy (backward error ~ n eps ||A||,
 * small eigenvalues to high relative accuracy) at the sizes used here (n <= 32).
 * Only the Hermitian part of `a` is used.
 */
export function eigh(a: CMat): Eigh {
  if (a.rows !== a.cols) throw new Error('eigh: not square');
  const n = a.rows;
  const A = hermitianPart(a).data;
  const V = identity(n).data;
  let frob = 0;
  for (let k = 0; k < A.length; k++) frob += A[k] * A[k];
  frob = Math.sqrt(frob);
  const floor = 1e-30 * frob;
  const idx = (i: number, j: number) => 2 * (i * n + j);

  for (let sweep = 0; sweep < 100; sweep++) {
    let rotated = 0;
    for (let p = 0; p < n - 1; p++) {
      for (let q = p + 1; q < n; q++) {
        const pr = A[idx(p, q)];
        const pi = A[idx(p, q) + 1];
        const m = Math.hypot(pr, pi);
        const app = A[idx(p, p)];
        const aqq = A[idx(q, q)];
        // Negligible against both diagonal entries (relative) or against ||A|| (absolute floor).
        if (m <= floor || (Math.abs(app) + 100 * m === Math.abs(app) && Math.abs(aqq) + 100 * m === Math.abs(aqq))) {
          continue;
        }
        rotated++;
        // Phase e = conj(a_pq)/|a_pq| makes the pivot real; then a real rotation zeroes it.
        const er = pr / m;
        const ei = -pi / m;
        const theta = (aqq - app) / (2 * m);
        const t = (theta >= 0 ? 1 : -1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        // J (columns p, q): J_pp = c, J_qp = -s e, J_pq = s, J_qq = c e.
        const jqpR = -s * er;
        const jqpI = -s * ei;
        const jqqR = c * er;
        const jqqI = c * ei;
        // A <- A J and V <- V J (column update).
        for (const M of [A, V]) {
          for (let k = 0; k < n; k++) {
            const kpR = M[idx(k, p)];
            const kpI = M[idx(k, p) + 1];
            const kqR = M[idx(k, q)];
            const kqI = M[idx(k, q) + 1];
            M[idx(k, p)] = c * kpR + (kqR * jqpR - kqI * jqpI);
            M[idx(k, p) + 1] = c * kpI + (kqR * jqpI + kqI * jqpR);
            M[idx(k, q)] = s * kpR + (kqR * jqqR - kqI * jqqI);
            M[idx(k, q) + 1] = s * kpI + (kqR * jqqI + kqI * jqqR);
          }
        }
        // A <- J^H A (row update): row p' = c row p + conj(J_qp) row q, row q' = s row p + conj(J_qq) row q.
        for (let k = 0; k < n; k++) {
          const pkR = A[idx(p, k)];
          const pkI = A[idx(p, k) + 1];
          const qkR = A[idx(q, k)];
          const qkI = A[idx(q, k) + 1];
          A[idx(p, k)] = c * pkR + (jqpR * qkR + jqpI * qkI);
          A[idx(p, k) + 1] = c * pkI + (jqpR * qkI - jqpI * qkR);
          A[idx(q, k)] = s * pkR + (jqqR * qkR + jqqI * qkI);
          A[idx(q, k) + 1] = s * pkI + (jqqR * qkI - jqqI * qkR);
        }
        A[idx(p, q)] = A[idx(p, q) + 1] = A[idx(q, p)] = A[idx(q, p) + 1] = 0;
        A[idx(p, p) + 1] = A[idx(q, q) + 1] = 0;
      }
    }
    if (rotated === 0) break;
  }

  const order = Array.from({ length: n }, (_, i) => i).sort((i, j) => A[idx(i, i)] - A[idx(j, j)]);
  const values = new Float64Array(n);
  const vectors = zeros(n, n);
  order.forEach((src, dst) => {
    values[dst] = A[idx(src, src)];
    for (let k = 0; k < n; k++) {
      vectors.data[idx(k, dst)] = V[idx(k, src)];
      vectors.data[idx(k, dst) + 1] = V[idx(k, src) + 1];
    }
  });
  return { values, vectors };
}

/** Smallest and largest eigenvalue of a Hermitian matrix. */
export function eigRange(a: CMat): { min: number; max: number } {
  const { values } = eigh(a);
  return values.length === 0 ? { min: 0, max: 0 } : { min: values[0], max: values[values.length - 1] };
}

/**
 * Cholesky factor L (lower triangular, real positive diagonal) with A = L L^H.
 * Throws when A is not (numerically) positive definite.
 */
export function cholesky(a: CMat): CMat {
  if (a.rows !== a.cols) throw new Error('cholesky: not square');
  const n = a.rows;
  const A = a.data;
  const L = zeros(n, n);
  const l = L.data;
  const idx = (i: number, j: number) => 2 * (i * n + j);
  for (let j = 0; j < n; j++) {
    let d = A[idx(j, j)];
    for (let k = 0; k < j; k++) d -= l[idx(j, k)] ** 2 + l[idx(j, k) + 1] ** 2;
    if (!(d > 0)) throw new Error(`cholesky: matrix not positive definite (pivot ${j} = ${d})`);
    const ljj = Math.sqrt(d);
    l[idx(j, j)] = ljj;
    for (let i = j + 1; i < n; i++) {
      // l_ij = (a_ij - sum_k l_ik conj(l_jk)) / l_jj
      let re = A[idx(i, j)];
      let im = A[idx(i, j) + 1];
      for (let k = 0; k < j; k++) {
        const xr = l[idx(i, k)];
        const xi = l[idx(i, k) + 1];
        const yr = l[idx(j, k)];
        const yi = -l[idx(j, k) + 1];
        re -= xr * yr - xi * yi;
        im -= xr * yi + xi * yr;
      }
      l[idx(i, j)] = re / ljj;
      l[idx(i, j) + 1] = im / ljj;
    }
  }
  return L;
}

/** A^{-1} by Gauss-Jordan elimination with partial pivoting. Throws when A is singular. */
export function inverse(a: CMat): CMat {
  if (a.rows !== a.cols) throw new Error('inverse: not square');
  const n = a.rows;
  const A = clone(a).data;
  const X = identity(n).data;
  const idx = (i: number, j: number) => 2 * (i * n + j);
  for (let col = 0; col < n; col++) {
    let piv = col;
    let best = -1;
    for (let r = col; r < n; r++) {
      const m = Math.hypot(A[idx(r, col)], A[idx(r, col) + 1]);
      if (m > best) {
        best = m;
        piv = r;
      }
    }
    if (!(best > 0) || !Number.isFinite(best)) throw new Error('inverse: matrix is singular');
    if (piv !== col) {
      for (const M of [A, X]) {
        for (let j = 0; j < 2 * n; j++) {
          const t = M[2 * col * n + j];
          M[2 * col * n + j] = M[2 * piv * n + j];
          M[2 * piv * n + j] = t;
        }
      }
    }
    // Scale the pivot row by 1/pivot.
    const pr = A[idx(col, col)];
    const pi = A[idx(col, col) + 1];
    const den = pr * pr + pi * pi;
    const ir = pr / den;
    const ii = -pi / den;
    for (const M of [A, X]) {
      for (let j = 0; j < n; j++) {
        const xr = M[idx(col, j)];
        const xi = M[idx(col, j) + 1];
        M[idx(col, j)] = xr * ir - xi * ii;
        M[idx(col, j) + 1] = xr * ii + xi * ir;
      }
    }
    for (let r = 0; r < n; r++) {
      if (r === col) continue;
      const fr = A[idx(r, col)];
      const fi = A[idx(r, col) + 1];
      if (fr === 0 && fi === 0) continue;
      for (const M of [A, X]) {
        for (let j = 0; j < n; j++) {
          const xr = M[idx(col, j)];
          const xi = M[idx(col, j) + 1];
          M[idx(r, j)] -= fr * xr - fi * xi;
          M[idx(r, j) + 1] -= fr * xi + fi * xr;
        }
      }
    }
  }
  return { rows: n, cols: n, data: X };
}

/** V diag(f(lambda)) V^H for a Hermitian A. */
export function hermitianFunction(a: CMat, f: (lambda: number) => number): CMat {
  const { values, vectors } = eigh(a);
  const n = a.rows;
  const scaled = zeros(n, n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const fj = f(values[j]);
      scaled.data[2 * (i * n + j)] = vectors.data[2 * (i * n + j)] * fj;
      scaled.data[2 * (i * n + j) + 1] = vectors.data[2 * (i * n + j) + 1] * fj;
    }
  }
  return hermitianPart(mul(scaled, adjoint(vectors)));
}

/** Principal square root of a PSD matrix (negative round-off eigenvalues clipped to 0). */
export function sqrtmPsd(a: CMat): CMat {
  return hermitianFunction(a, (l) => Math.sqrt(Math.max(l, 0)));
}
