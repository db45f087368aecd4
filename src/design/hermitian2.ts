/**
 * Closed-form helpers for the 2 x 2 Hermitian matrices that carry the FIM
 * coefficients (C = V M V^H with V spanning {a_t, D a_t}).
 * Layout: interleaved row-major, 8 numbers [m00r, m00i, m01r, m01i, m10r, m10i, m11r, m11i].
 */

/** Eigen-decomposition M = U diag(l) U^H; U columns interleaved column-major (8 numbers). */
export function eigHermitian2(M: Float64Array): { values: [number, number]; U: Float64Array } {
  const a = M[0]!;
  const d = M[6]!;
  const br = M[2];
  const bi = M[3]!;
  const babs = Math.hypot(br!, bi);
  const mean = (a + d) / 2;
  const half = (a - d) / 2;
  const rad = Math.hypot(half, babs);
  const l1 = mean + rad;
  const l2 = mean - rad;
  const U = new Float64Array(8);
  if (babs <= 1e-15 * Math.max(Math.abs(a!), Math.abs(d!)) || babs === 0) {
    // Diagonal to working precision (also the degenerate case a = d with a tiny b, where the
    // eigenvector formula below would return the same vector twice): order by value.
    if (a >= d) {
      U[0] = 1;
      U[6] = 1;
    } else {
      U[2] = 1;
      U[4] = 1;
    }
    return { values: [Math.max(a!, d), Math.min(a!, d)], U };
  }
  // Eigenvector of l1 for [[a, b], [conj b, d]]: (b, l1 - a) or (l1 - d, conj b), the better
  // conditioned of the two; the second column is its orthogonal complement
  // (-conj u1, conj u0), orthonormal by construction.
  let x0r = br;
  let x0i = bi;
  let x1r = l1 - a;
  let x1i = 0;
  if (Math.abs(l1 - a) < Math.abs(l1 - d)) {
    x0r = l1 - d;
    x0i = 0;
    x1r = br!;
    x1i = -bi;
  }
  const nrm = Math.hypot(x0r!, x0i, x1r, x1i);
  U[0] = x0r! / nrm;
  U[1] = x0i! / nrm;
  U[2] = x1r / nrm;
  U[3] = x1i / nrm;
  U[4] = -U[2];
  U[5] = U[3];
  U[6] = U[0];
  U[7] = -U[1];
  return { values: [l1, l2], U };
}

/** V U for V (n x 2, column-major interleaved) and U (2 x 2, column-major interleaved). */
export function mulV2(V: Float64Array, U: Float64Array, n: number): Float64Array {
  const out = new Float64Array(4 * n);
  for (let c = 0; c < 2; c++) {
    const u0r = U[4 * c]!;
    const u0i = U[4 * c + 1]!;
    const u1r = U[4 * c + 2]!;
    const u1i = U[4 * c + 3]!;
    for (let i = 0; i < n; i++) {
      const v0r = V[2 * i]!;
      const v0i = V[2 * i + 1]!;
      const v1r = V[2 * n + 2 * i]!;
      const v1i = V[2 * n + 2 * i + 1]!;
      out[2 * n * c + 2 * i] = v0r * u0r - v0i * u0i + v1r * u1r - v1i * u1i;
      out[2 * n * c + 2 * i + 1] = v0r * u0i + v0i * u0r + v1r * u1i + v1i * u1r;
    }
  }
  return out;
}

/**
 * P = V^H Q V (2 x 2 Hermitian, interleaved row-major) for Q Hermitian n x n
 * (interleaved row-major) and V (n x 2, column-major interleaved).
 */
export function projectQ(V: Float64Array, Q: Float64Array, n: number): Float64Array {
  const QV = new Float64Array(4 * n); // column-major n x 2
  for (let c = 0; c < 2; c++) {
    for (let i = 0; i < n; i++) {
      let sr = 0;
      let si = 0;
      for (let j = 0; j < n; j++) {
        const qr = Q[2 * (i * n + j)]!;
        const qi = Q[2 * (i * n + j) + 1]!;
        const vr = V[2 * n * c + 2 * j]!;
        const vi = V[2 * n * c + 2 * j + 1]!;
        sr += qr * vr - qi * vi;
        si += qr * vi + qi * vr;
      }
      QV[2 * n * c + 2 * i] = sr;
      QV[2 * n * c + 2 * i + 1] = si;
    }
  }
  const P = new Float64Array(8);
  for (let r = 0; r < 2; r++) {
    for (let c = 0; c < 2; c++) {
      let sr = 0;
      let si = 0;
      for (let i = 0; i < n; i++) {
        // conj(V[i][r]) * QV[i][c]
        const vr = V[2 * n * r + 2 * i]!;
        const vi = -V[2 * n * r + 2 * i + 1]!;
        const xr = QV[2 * n * c + 2 * i]!;
        const xi = QV[2 * n * c + 2 * i + 1]!;
        sr += vr * xr - vi * xi;
        si += vr * xi + vi * xr;
      }
      P[2 * (2 * r + c)] = sr;
      P[2 * (2 * r + c) + 1] = si;
    }
  }
  return P;
}

/** Re tr(M P) for 2 x 2 matrices in interleaved row-major layout. */
export function traceProduct2(M: Float64Array, P: Float64Array): number {
  let s = 0;
  for (let i = 0; i < 2; i++) {
    for (let k = 0; k < 2; k++) {
      // M[i][k] * P[k][i]
      const mr = M[2 * (2 * i + k)]!;
      const mi = M[2 * (2 * i + k) + 1]!;
      const pr = P[2 * (2 * k + i)]!;
      const pi = P[2 * (2 * k + i) + 1]!;
      s += mr * pr - mi * pi;
    }
  }
  return s;
}
