/**
 * Symmetric eigenvalue decomposition: Householder tridiagonalisation followed by the
 * implicit QL algorithm (the EISPACK tred2/tql2 pair, as in JAMA), on row-major
 * Float64Array. Workspace is owned by an `EigWorkspace` so repeated calls allocate
 * nothing.
 */
import { realEigWasm } from './wasm-kernels.ts';

/** Scratch arrays of one matrix order for `eigSym`, reused across calls so they allocate nothing. */
export class EigWorkspace {
  readonly n: number;
  /** Eigenvalues, ascending, after a call. */
  readonly d: Float64Array;
  /** Off-diagonal scratch. */
  readonly e: Float64Array;
  /** Eigenvectors after `eigSym(..., true)`, as rows: row j (v[j*n .. j*n+n)) belongs to d[j]. */
  readonly v: Float64Array;
  constructor(n: number) {
    this.n = n;
    this.d = new Float64Array(n);
    this.e = new Float64Array(n);
    this.v = new Float64Array(n * n);
  }
}

/**
 * Eigen-decomposition of the symmetric n x n matrix `a` (read only; lower triangle
 * is used). Results in `ws.d` (ascending) and, when `vectors`, `ws.v`.
 * Returns false if QL failed to converge (NaN input).
 */
export function eigSym(a: Float64Array, ws: EigWorkspace, vectors: boolean): boolean {
  return realEigWasm(a, ws.n, vectors, ws.d, ws.v) ?? eigSymTs(a, ws, vectors);
}

function eigSymTs(a: Float64Array, ws: EigWorkspace, vectors: boolean): boolean {
  const n = ws.n;
  const V = ws.v;
  const d = ws.d;
  const e = ws.e;
  if (n === 0) return true;
  for (let i = 0; i < n; i++)
    for (let j = 0; j <= i; j++) {
      V[i * n + j] = a[i * n + j];
      V[j * n + i] = a[i * n + j];
    }
  const scaled = scaleUpTiny([V], n * n);
  tred2(V, d, e, n, vectors);
  // QL rotates pairs of eigenvector columns: hold them as rows so that is contiguous
  if (vectors)
    for (let i = 0; i < n; i++)
      for (let j = 0; j < i; j++) {
        const t = V[i * n + j];
        V[i * n + j] = V[j * n + i];
        V[j * n + i] = t;
      }
  if (!tql2(V, d, e, n, vectors)) return false;
  if (scaled) for (let i = 0; i < n; i++) d[i] *= SUBNORMAL_DOWN;
  return true;
}

/**
 * A matrix whose largest entry is below 2^-500 (subnormal data included) is scaled up by 2^600
 * before the eigensolver runs on it, and its eigenvalues down again: with entries that small the
 * rotations' hypot and the Householder norms lose their precision, and the eigenvectors came
 * back of norm sqrt(2) (found by test/conic/hpsd2.test.ts). Powers of two: exact both ways (up
 * to the rounding of an eigenvalue that is itself subnormal); matrices of any larger scale are
 * untouched. The WebAssembly twins (wasm/kernels.ts eig, rEig) do the same.
 */
const SUBNORMAL_TINY = 2 ** -500;
const SUBNORMAL_UP = 2 ** 600;
export const SUBNORMAL_DOWN = 2 ** -600;

/**
 * Scales the first len entries of every array of `parts` (one matrix: a real one, or the real
 * and imaginary parts of a complex one) by 2^600 when all are below 2^-500 (and not all zero);
 * whether it did.
 */
export function scaleUpTiny(parts: readonly Float64Array[], len: number): boolean {
  let m = 0;
  for (const a of parts) for (let t = 0; t < len; t++) m = Math.max(m, Math.abs(a[t]));
  if (!(m > 0 && m < SUBNORMAL_TINY)) return false;
  for (const a of parts) for (let t = 0; t < len; t++) a[t] *= SUBNORMAL_UP;
  return true;
}

/**
 * Householder reduction to tridiagonal form (JAMA's tred2). Its WebAssembly twin
 * (wasm/kernels.ts) runs the product A d, the rank-2 update and the back-transformation along
 * rows instead of down these columns, with every entry the same expression and every sum in the
 * same order: the same bits.
 */
function tred2(V: Float64Array, d: Float64Array, e: Float64Array, n: number, vectors: boolean): void {
  for (let j = 0; j < n; j++) d[j] = V[(n - 1) * n + j];
  for (let i = n - 1; i > 0; i--) {
    let scale = 0;
    let h = 0;
    for (let k = 0; k < i; k++) scale += Math.abs(d[k]);
    if (scale === 0) {
      e[i] = d[i - 1];
      for (let j = 0; j < i; j++) {
        d[j] = V[(i - 1) * n + j];
        V[i * n + j] = 0;
        V[j * n + i] = 0;
      }
    } else {
      for (let k = 0; k < i; k++) {
        d[k] /= scale;
        h += d[k] * d[k];
      }
      let f = d[i - 1];
      let g = Math.sqrt(h);
      if (f > 0) g = -g;
      e[i] = scale * g;
      h -= f * g;
      d[i - 1] = f - g;
      for (let j = 0; j < i; j++) e[j] = 0;
      for (let j = 0; j < i; j++) {
        f = d[j];
        V[j * n + i] = f;
        g = e[j] + V[j * n + j] * f;
        for (let k = j + 1; k <= i - 1; k++) {
          const vkj = V[k * n + j];
          g += vkj * d[k];
          e[k] += vkj * f;
        }
        e[j] = g;
      }
      f = 0;
      for (let j = 0; j < i; j++) {
        e[j] /= h;
        f += e[j] * d[j];
      }
      const hh = f / (h + h);
      for (let j = 0; j < i; j++) e[j] -= hh * d[j];
      for (let j = 0; j < i; j++) {
        f = d[j];
        g = e[j];
        for (let k = j; k <= i - 1; k++) V[k * n + j] -= f * e[k] + g * d[k];
        d[j] = V[(i - 1) * n + j];
        V[i * n + j] = 0;
      }
    }
    d[i] = h;
  }
  if (vectors) {
    for (let i = 0; i < n - 1; i++) {
      V[(n - 1) * n + i] = V[i * n + i];
      V[i * n + i] = 1;
      const h = d[i + 1];
      if (h !== 0) {
        for (let k = 0; k <= i; k++) d[k] = V[k * n + i + 1] / h;
        for (let j = 0; j <= i; j++) {
          let g = 0;
          for (let k = 0; k <= i; k++) g += V[k * n + i + 1] * V[k * n + j];
          for (let k = 0; k <= i; k++) V[k * n + j] -= g * d[k];
        }
      }
      for (let k = 0; k <= i; k++) V[k * n + i + 1] = 0;
    }
    for (let j = 0; j < n; j++) {
      d[j] = V[(n - 1) * n + j];
      V[(n - 1) * n + j] = 0;
    }
    V[(n - 1) * n + n - 1] = 1;
  } else {
    // Without accumulation the diagonal of the tridiagonal form is still on V's diagonal.
    for (let j = 0; j < n; j++) d[j] = V[j * n + j];
  }
  e[0] = 0;
}

/**
 * The least value of tql2's deflation scale: eps times the largest |d_i| + |e_i| of the
 * whole tridiagonal. JAMA's test compares e[l] with the largest |d| + |e| met so far only;
 * when the leading entries are tiny against the rest (a zero diagonal entry next to a
 * denormal off-diagonal, as a step-length matrix can have), an off-diagonal of 1e-322
 * then counted as significant and (d[l+1] - d[l]) / (2 e[l]) overflowed into NaN
 * eigenvalues. Floored, such entries deflate at once, and every shift stays below 1/eps^2;
 * wherever the running value is already above the floor (any matrix whose leading entries
 * are not negligible) nothing changes, to the bit.
 */
function deflationFloor(d: Float64Array, e: Float64Array, n: number, eps: number): number {
  let norm = 0;
  for (let i = 0; i < n; i++) norm = Math.max(norm, Math.abs(d[i]) + Math.abs(e[i]));
  return eps * norm;
}

function tql2(V: Float64Array, d: Float64Array, e: Float64Array, n: number, vectors: boolean): boolean {
  for (let i = 1; i < n; i++) e[i - 1] = e[i];
  e[n - 1] = 0;
  let f = 0;
  let tst1 = 0;
  const eps = 2.220446049250313e-16;
  const floor = deflationFloor(d, e, n, eps);
  for (let l = 0; l < n; l++) {
    tst1 = Math.max(tst1, Math.abs(d[l]) + Math.abs(e[l]), floor);
    let m = l;
    while (m < n) {
      if (Math.abs(e[m]) <= eps * tst1) break;
      m++;
    }
    if (m === n) m = n - 1;
    if (m > l) {
      let iter = 0;
      do {
        if (++iter > 60) return false;
        let g = d[l];
        let p = (d[l + 1] - g) / (2 * e[l]);
        let r = hypot(p, 1);
        if (p < 0) r = -r;
        d[l] = e[l] / (p + r);
        d[l + 1] = e[l] * (p + r);
        const dl1 = d[l + 1];
        let h = g - d[l];
        for (let i = l + 2; i < n; i++) d[i] -= h;
        f += h;
        p = d[m];
        let c = 1;
        let c2 = c;
        let c3 = c;
        const el1 = e[l + 1];
        let s = 0;
        let s2 = 0;
        for (let i = m - 1; i >= l; i--) {
          c3 = c2;
          c2 = c;
          s2 = s;
          g = c * e[i];
          h = c * p;
          r = hypot(p, e[i]);
          e[i + 1] = s * r;
          s = e[i] / r;
          c = p / r;
          p = c * d[i] - s * g;
          d[i + 1] = h + s * (c * g + s * d[i]);
          if (vectors) {
            const r0 = i * n;
            const r1 = r0 + n;
            for (let k = 0; k < n; k++) {
              const hk = V[r1 + k];
              const vk = V[r0 + k];
              V[r1 + k] = s * vk + c * hk;
              V[r0 + k] = c * vk - s * hk;
            }
          }
        }
        p = (-s * s2 * c3 * el1 * e[l]) / dl1;
        e[l] = s * p;
        d[l] = c * p;
        if (!Number.isFinite(p)) return false;
      } while (Math.abs(e[l]) > eps * tst1);
    }
    d[l] = d[l] + f;
    e[l] = 0;
    if (!Number.isFinite(d[l])) return false;
  }
  // Sort ascending (selection sort: n is small and swaps move whole columns).
  for (let i = 0; i < n - 1; i++) {
    let k = i;
    let p = d[i];
    for (let j = i + 1; j < n; j++)
      if (d[j] < p) {
        k = j;
        p = d[j];
      }
    if (k !== i) {
      d[k] = d[i];
      d[i] = p;
      if (vectors)
        for (let j = 0; j < n; j++) {
          const t = V[i * n + j];
          V[i * n + j] = V[k * n + j];
          V[k * n + j] = t;
        }
    }
  }
  return true;
}

/** Smallest eigenvalue of the symmetric matrix `a` (values-only path). NaN on failure. */
export function minEig(a: Float64Array, ws: EigWorkspace): number {
  if (ws.n === 0) return Infinity;
  if (!eigSym(a, ws, false)) return NaN;
  return ws.d[0];
}

/**
 * Eigen-decomposition of the real symmetric tridiagonal matrix with diagonal `d` and
 * subdiagonal `sub` (sub[k] = T[k+1][k]), in place: `d` becomes the eigenvalues
 * (ascending). When `vt` is given (n x n, row-major, usually the identity) the rotations
 * are applied to its rows, so on return row j of vt (as a combination of the initial
 * rows) is the eigenvector of d[j]. `e` is scratch of length n. False on no convergence.
 */
export function tridiagEig(d: Float64Array, sub: Float64Array, e: Float64Array, n: number, vt: Float64Array | null): boolean {
  if (n === 0) return true;
  e[0] = 0;
  for (let k = 1; k < n; k++) e[k] = sub[k - 1];
  return tql2(vt ?? new Float64Array(0), d, e, n, vt !== null);
}

/** sqrt(a^2 + b^2) without overflow; Math.hypot is several times slower in V8. */
function hypot(a: number, b: number): number {
  const x = Math.abs(a);
  const y = Math.abs(b);
  if (x > y) {
    const t = y / x;
    return x * Math.sqrt(1 + t * t);
  }
  if (y === 0) return 0;
  const t = x / y;
  return y * Math.sqrt(1 + t * t);
}
