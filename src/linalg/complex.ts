/**
 * Small dense complex linear algebra.
 *
 * Layout: a complex matrix `A` (rows x cols) is a `Float64Array` of length 2*rows*cols,
 * row-major and interleaved: `A_{ij} = data[2*(i*cols + j)] + 1j * data[2*(i*cols + j) + 1]`.
 * A complex vector is a bare `Float64Array` of length 2n, `x_i = v[2i] + 1j*v[2i+1]`.
 *
 * Everything allocates a fresh result; the sizes here (N <= 32, a few dozen parameters)
 * make clarity worth more than in-place tricks.
 */

/** Dense complex matrix, row-major interleaved re/im (see the module comment). */
export interface CMat {
  readonly rows: number;
  readonly cols: number;
  readonly data: Float64Array;
}

/** Complex vector, interleaved re/im: length 2n. */
export type CVec = Float64Array;

/** Complex scalar as [re, im] (the JSON representation of the contract). */
export type Cplx = readonly [number, number];

/** A complex rows x cols matrix over interleaved (re, im) storage, zero or wrapping `data`. */
export function cmat(rows: number, cols: number, data?: Float64Array): CMat {
  if (data && data.length !== 2 * rows * cols) {
    throw new Error(`cmat: data length ${data.length} != 2*${rows}*${cols}`);
  }
  return { rows, cols, data: data ?? new Float64Array(2 * rows * cols) };
}

/** A zero complex matrix (square when `cols` is omitted). */
export function zeros(rows: number, cols = rows): CMat {
  return cmat(rows, cols);
}

/** The complex n x n identity. */
export function identity(n: number): CMat {
  const m = zeros(n, n);
  for (let i = 0; i < n; i++) m.data[2 * (i * n + i)] = 1;
  return m;
}

/** Builds a matrix from nested [re, im] rows (the contract's JSON form). */
export function fromPairs(rows: readonly (readonly Cplx[])[]): CMat {
  const r = rows.length;
  const c = r === 0 ? 0 : rows[0].length;
  const m = zeros(r, c);
  for (let i = 0; i < r; i++) {
    if (rows[i].length !== c) throw new Error('fromPairs: ragged rows');
    for (let j = 0; j < c; j++) {
      m.data[2 * (i * c + j)] = rows[i][j][0];
      m.data[2 * (i * c + j) + 1] = rows[i][j][1];
    }
  }
  return m;
}

/** Nested [re, im] rows, for JSON output. */
export function toPairs(a: CMat): [number, number][][] {
  const out: [number, number][][] = [];
  for (let i = 0; i < a.rows; i++) {
    const row: [number, number][] = [];
    for (let j = 0; j < a.cols; j++) {
      const k = 2 * (i * a.cols + j);
      row.push([a.data[k], a.data[k + 1]]);
    }
    out.push(row);
  }
  return out;
}

/** A complex vector from [re, im] pairs. */
export function vecFromPairs(v: readonly Cplx[]): CVec {
  const out = new Float64Array(2 * v.length);
  v.forEach(([re, im], i) => {
    out[2 * i] = re;
    out[2 * i + 1] = im;
  });
  return out;
}

/** A complex vector as [re, im] pairs (the JSON contract's form). */
export function vecToPairs(v: CVec): [number, number][] {
  const out: [number, number][] = [];
  for (let i = 0; i < v.length / 2; i++) out.push([v[2 * i], v[2 * i + 1]]);
  return out;
}

/** Real part of entry (i, j). */
export function getRe(a: CMat, i: number, j: number): number {
  return a.data[2 * (i * a.cols + j)];
}

/** Imaginary part of entry (i, j). */
export function getIm(a: CMat, i: number, j: number): number {
  return a.data[2 * (i * a.cols + j) + 1];
}

/** Sets entry (i, j) to re + i·im. */
export function set(a: CMat, i: number, j: number, re: number, im: number): void {
  a.data[2 * (i * a.cols + j)] = re;
  a.data[2 * (i * a.cols + j) + 1] = im;
}

/** A copy of a complex matrix. */
export function clone(a: CMat): CMat {
  return cmat(a.rows, a.cols, a.data.slice());
}

/** A^H (conjugate transpose). */
export function adjoint(a: CMat): CMat {
  const out = zeros(a.cols, a.rows);
  for (let i = 0; i < a.rows; i++) {
    for (let j = 0; j < a.cols; j++) {
      const s = 2 * (i * a.cols + j);
      const d = 2 * (j * a.rows + i);
      out.data[d] = a.data[s];
      out.data[d + 1] = -a.data[s + 1];
    }
  }
  return out;
}

/** a + b (same shapes). */
export function add(a: CMat, b: CMat): CMat {
  sameShape(a, b, 'add');
  const out = zeros(a.rows, a.cols);
  for (let k = 0; k < a.data.length; k++) out.data[k] = a.data[k] + b.data[k];
  return out;
}

/** a - b (same shapes). */
export function sub(a: CMat, b: CMat): CMat {
  sameShape(a, b, 'sub');
  const out = zeros(a.rows, a.cols);
  for (let k = 0; k < a.data.length; k++) out.data[k] = a.data[k] - b.data[k];
  return out;
}

/** (re + j im) * A. */
export function scale(a: CMat, re: number, im = 0): CMat {
  const out = zeros(a.rows, a.cols);
  for (let k = 0; k < a.data.length; k += 2) {
    const x = a.data[k];
    const y = a.data[k + 1];
    out.data[k] = re * x - im * y;
    out.data[k + 1] = re * y + im * x;
  }
  return out;
}

/** A B. */
export function mul(a: CMat, b: CMat): CMat {
  if (a.cols !== b.rows) throw new Error(`mul: ${a.rows}x${a.cols} by ${b.rows}x${b.cols}`);
  const out = zeros(a.rows, b.cols);
  const A = a.data;
  const B = b.data;
  const C = out.data;
  for (let i = 0; i < a.rows; i++) {
    for (let k = 0; k < a.cols; k++) {
      const ar = A[2 * (i * a.cols + k)];
      const ai = A[2 * (i * a.cols + k) + 1];
      if (ar === 0 && ai === 0) continue;
      for (let j = 0; j < b.cols; j++) {
        const br = B[2 * (k * b.cols + j)];
        const bi = B[2 * (k * b.cols + j) + 1];
        C[2 * (i * b.cols + j)] += ar * br - ai * bi;
        C[2 * (i * b.cols + j) + 1] += ar * bi + ai * br;
      }
    }
  }
  return out;
}

/** A^H B. */
export function mulAH(a: CMat, b: CMat): CMat {
  if (a.rows !== b.rows) throw new Error(`mulAH: ${a.rows}x${a.cols}^H by ${b.rows}x${b.cols}`);
  return mul(adjoint(a), b);
}

/** A B^H. */
export function mulBH(a: CMat, b: CMat): CMat {
  return mul(a, adjoint(b));
}

/** tr(A). */
export function trace(a: CMat): [number, number] {
  if (a.rows !== a.cols) throw new Error('trace: not square');
  let re = 0;
  let im = 0;
  for (let i = 0; i < a.rows; i++) {
    re += a.data[2 * (i * a.cols + i)];
    im += a.data[2 * (i * a.cols + i) + 1];
  }
  return [re, im];
}

/** tr(A B) in O(n^2), without forming the product. */
export function traceMul(a: CMat, b: CMat): [number, number] {
  if (a.cols !== b.rows || a.rows !== b.cols) throw new Error('traceMul: shapes');
  let re = 0;
  let im = 0;
  for (let i = 0; i < a.rows; i++) {
    for (let k = 0; k < a.cols; k++) {
      const ar = a.data[2 * (i * a.cols + k)];
      const ai = a.data[2 * (i * a.cols + k) + 1];
      const br = b.data[2 * (k * b.cols + i)];
      const bi = b.data[2 * (k * b.cols + i) + 1];
      re += ar * br - ai * bi;
      im += ar * bi + ai * br;
    }
  }
  return [re, im];
}

/**
 * Frobenius norm without overflow or underflow (scaled by the largest entry first, as
 * LAPACK's dnrm2 does): entries up to 1e308 give a finite norm, so that tolerances relative
 * to it keep their meaning. NaN or Infinity entries give NaN / Infinity.
 */
export function normF(a: CMat): number {
  let m = 0;
  for (let k = 0; k < a.data.length; k++) {
    const v = Math.abs(a.data[k]);
    if (!(v <= m)) m = v; // also catches NaN
  }
  if (m === 0 || !Number.isFinite(m)) return m;
  let s = 0;
  for (let k = 0; k < a.data.length; k++) {
    const v = a.data[k] / m;
    s += v * v;
  }
  return m * Math.sqrt(s);
}

/** Largest deviation from Hermitian symmetry, max |A_ij - conj(A_ji)|. */
export function hermitianDefect(a: CMat): number {
  if (a.rows !== a.cols) return Infinity;
  let worst = 0;
  for (let i = 0; i < a.rows; i++) {
    for (let j = i; j < a.cols; j++) {
      const dr = getRe(a, i, j) - getRe(a, j, i);
      const di = getIm(a, i, j) + getIm(a, j, i);
      worst = Math.max(worst, Math.hypot(dr, di));
    }
  }
  return worst;
}

/** Hermitian up to `relTol` times the Frobenius norm (an all-zero matrix is Hermitian). */
export function isHermitian(a: CMat, relTol = 1e-9): boolean {
  return a.rows === a.cols && hermitianDefect(a) <= relTol * normF(a);
}

/** (A + A^H) / 2: removes round-off asymmetry before an eigendecomposition. */
export function hermitianPart(a: CMat): CMat {
  return scale(add(a, adjoint(a)), 0.5);
}

/** x^H A y (for a Hermitian A and x = y the result is real up to round-off). */
export function quadForm(x: CVec, a: CMat, y: CVec = x): [number, number] {
  const n = a.rows;
  if (x.length !== 2 * n || y.length !== 2 * a.cols) throw new Error('quadForm: shapes');
  let re = 0;
  let im = 0;
  for (let i = 0; i < n; i++) {
    // (A y)_i
    let tr = 0;
    let ti = 0;
    for (let j = 0; j < a.cols; j++) {
      const ar = a.data[2 * (i * a.cols + j)];
      const ai = a.data[2 * (i * a.cols + j) + 1];
      tr += ar * y[2 * j] - ai * y[2 * j + 1];
      ti += ar * y[2 * j + 1] + ai * y[2 * j];
    }
    // conj(x_i) * (A y)_i
    re += x[2 * i] * tr + x[2 * i + 1] * ti;
    im += x[2 * i] * ti - x[2 * i + 1] * tr;
  }
  return [re, im];
}

/** x y^H (outer product). */
export function outer(x: CVec, y: CVec = x): CMat {
  const r = x.length / 2;
  const c = y.length / 2;
  const out = zeros(r, c);
  for (let i = 0; i < r; i++) {
    for (let j = 0; j < c; j++) {
      const xr = x[2 * i];
      const xi = x[2 * i + 1];
      const yr = y[2 * j];
      const yi = -y[2 * j + 1];
      out.data[2 * (i * c + j)] = xr * yr - xi * yi;
      out.data[2 * (i * c + j) + 1] = xr * yi + xi * yr;
    }
  }
  return out;
}

/** x^H y. */
export function dotH(x: CVec, y: CVec): [number, number] {
  if (x.length !== y.length) throw new Error('dotH: lengths');
  let re = 0;
  let im = 0;
  for (let i = 0; i < x.length; i += 2) {
    re += x[i] * y[i] + x[i + 1] * y[i + 1];
    im += x[i] * y[i + 1] - x[i + 1] * y[i];
  }
  return [re, im];
}

/** ||x||_2^2. */
export function norm2sq(x: CVec): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i] * x[i];
  return s;
}

/** A x. */
export function matVec(a: CMat, x: CVec): CVec {
  return mul(a, colMat(x)).data;
}

/** The vector as an n x 1 matrix (shares the buffer). */
export function colMat(x: CVec): CMat {
  return cmat(x.length / 2, 1, x);
}

/** Column j of A as a vector. */
export function column(a: CMat, j: number): CVec {
  const out = new Float64Array(2 * a.rows);
  for (let i = 0; i < a.rows; i++) {
    out[2 * i] = a.data[2 * (i * a.cols + j)];
    out[2 * i + 1] = a.data[2 * (i * a.cols + j) + 1];
  }
  return out;
}

/** Matrix whose columns are the given vectors. */
export function fromColumns(cols: readonly CVec[]): CMat {
  const c = cols.length;
  const r = c === 0 ? 0 : cols[0].length / 2;
  const out = zeros(r, c);
  cols.forEach((v, j) => {
    if (v.length !== 2 * r) throw new Error('fromColumns: ragged');
    for (let i = 0; i < r; i++) {
      out.data[2 * (i * c + j)] = v[2 * i];
      out.data[2 * (i * c + j) + 1] = v[2 * i + 1];
    }
  });
  return out;
}

/** Complex scalar helpers on [re, im] pairs. */
export function cmul(a: Cplx, b: Cplx): [number, number] {
  return [a[0] * b[0] - a[1] * b[1], a[0] * b[1] + a[1] * b[0]];
}

/** Complex conjugate of a scalar. */
export function cconj(a: Cplx): [number, number] {
  return [a[0], -a[1]];
}

/** Squared modulus |a|^2 of a complex scalar. */
export function cabs2(a: Cplx): number {
  return a[0] * a[0] + a[1] * a[1];
}

function sameShape(a: CMat, b: CMat, op: string): void {
  if (a.rows !== b.rows || a.cols !== b.cols) {
    throw new Error(`${op}: ${a.rows}x${a.cols} vs ${b.rows}x${b.cols}`);
  }
}
