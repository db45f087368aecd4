/**
 * Dense complex kernels for the native Hermitian PSD cone. A complex n x n matrix is a
 * pair of row-major Float64Arrays (re, im). No allocation inside; callers own buffers.
 *
 * The products, the Cholesky factorisation and the eigensolver run in WebAssembly when it is
 * available (src/linalg/wasm-kernels.ts: the same algorithms, the same bits); the
 * TypeScript bodies below are their twins and the fallback.
 */
import { SUBNORMAL_DOWN, scaleUpTiny, tridiagEig } from '../../linalg/real-eig.ts';
import { opCounts } from '../../linalg/op-counts.ts';
import { Arena } from '../../linalg/arena.ts';
import { cholWasm, eigWasm, productWasm } from '../../linalg/wasm-kernels.ts';

export interface CM {
  re: Float64Array;
  im: Float64Array;
}

/** A zero complex n x n matrix (split real and imaginary parts), from `arena` when given. */
export const cmAlloc = (n: number, arena?: Arena): CM =>
  arena ? { re: arena.f64(n * n), im: arena.f64(n * n) } : { re: new Float64Array(n * n), im: new Float64Array(n * n) };

/** Copies the complex matrix `src` into `dst` (same size). */
export function cmCopy(src: CM, dst: CM): void {
  dst.re.set(src.re);
  dst.im.set(src.im);
}

/** The full Hermitian matrix (n x n) of hvec v[off ..] into m. */
export function hvecToCm(v: Float64Array, off: number, n: number, m: CM): void {
  const { re, im } = m;
  let k = off;
  for (let j = 0; j < n; j++) {
    re[j * n + j] = v[k++];
    im[j * n + j] = 0;
    for (let i = j + 1; i < n; i++) {
      const a = v[k++] * Math.SQRT1_2;
      const b = v[k++] * Math.SQRT1_2;
      re[i * n + j] = a;
      im[i * n + j] = b;
      re[j * n + i] = a;
      im[j * n + i] = -b;
    }
  }
}

/** In-place Cholesky A = L L^H (lower triangle read, strict upper zeroed). False if not PD. */
export function cChol(a: CM, n: number): boolean {
  return cholWasm(a, n) ?? cCholTs(a, n);
}

function cCholTs(a: CM, n: number): boolean {
  const ar = a.re;
  const ai = a.im;
  for (let j = 0; j < n; j++) {
    const rj = j * n;
    let d = ar[rj + j];
    for (let k = 0; k < j; k++) d -= ar[rj + k] * ar[rj + k] + ai[rj + k] * ai[rj + k];
    if (!(d > 0) || d === Infinity) return false;
    d = Math.sqrt(d);
    ar[rj + j] = d;
    ai[rj + j] = 0;
    for (let i = j + 1; i < n; i++) {
      const ri = i * n;
      let sr = ar[ri + j];
      let si = ai[ri + j];
      // L_ij = (A_ij - sum_k L_ik conj(L_jk)) / L_jj
      for (let k = 0; k < j; k++) {
        sr -= ar[ri + k] * ar[rj + k] + ai[ri + k] * ai[rj + k];
        si -= ai[ri + k] * ar[rj + k] - ar[ri + k] * ai[rj + k];
      }
      ar[ri + j] = sr / d;
      ai[ri + j] = si / d;
    }
    for (let k = j + 1; k < n; k++) {
      ar[rj + k] = 0;
      ai[rj + k] = 0;
    }
  }
  return true;
}

/** C = A B. */
export function cMul(a: CM, b: CM, c: CM, n: number): void {
  opCounts.complexProducts++;
  if (productWasm('mul', a, b, c, n)) return;
  const { re: ar, im: ai } = a;
  const { re: br, im: bi } = b;
  const { re: cr, im: ci } = c;
  cr.fill(0, 0, n * n);
  ci.fill(0, 0, n * n);
  for (let i = 0; i < n; i++) {
    const ri = i * n;
    for (let k = 0; k < n; k++) {
      const xr = ar[ri + k];
      const xi = ai[ri + k];
      if (xr === 0 && xi === 0) continue;
      const rk = k * n;
      for (let j = 0; j < n; j++) {
        cr[ri + j] += xr * br[rk + j] - xi * bi[rk + j];
        ci[ri + j] += xr * bi[rk + j] + xi * br[rk + j];
      }
    }
  }
}

/** C = A^H B. */
export function cMulHN(a: CM, b: CM, c: CM, n: number): void {
  opCounts.complexProducts++;
  if (productWasm('mulHN', a, b, c, n)) return;
  const { re: ar, im: ai } = a;
  const { re: br, im: bi } = b;
  const { re: cr, im: ci } = c;
  cr.fill(0, 0, n * n);
  ci.fill(0, 0, n * n);
  for (let k = 0; k < n; k++) {
    const rk = k * n;
    for (let i = 0; i < n; i++) {
      // conj(A_ki)
      const xr = ar[rk + i];
      const xi = -ai[rk + i];
      if (xr === 0 && xi === 0) continue;
      const ri = i * n;
      for (let j = 0; j < n; j++) {
        cr[ri + j] += xr * br[rk + j] - xi * bi[rk + j];
        ci[ri + j] += xr * bi[rk + j] + xi * br[rk + j];
      }
    }
  }
}

/** C = A B^H when C is known Hermitian (only j <= i computed, then mirrored). */
export function cMulNHHerm(a: CM, b: CM, c: CM, n: number): void {
  opCounts.complexProducts++;
  if (productWasm('mulNHHerm', a, b, c, n)) return;
  const { re: ar, im: ai } = a;
  const { re: br, im: bi } = b;
  const { re: cr, im: ci } = c;
  for (let i = 0; i < n; i++) {
    const ri = i * n;
    for (let j = 0; j <= i; j++) {
      const rj = j * n;
      let sr = 0;
      let si = 0;
      // sum_k A_ik conj(B_jk)
      for (let k = 0; k < n; k++) {
        const xr = ar[ri + k];
        const xi = ai[ri + k];
        const yr = br[rj + k];
        const yi = bi[rj + k];
        sr += xr * yr + xi * yi;
        si += xi * yr - xr * yi;
      }
      cr[ri + j] = sr;
      ci[ri + j] = si;
      cr[rj + i] = sr;
      ci[rj + i] = -si;
    }
    ci[ri + i] = 0;
  }
}

/** Hermitian sandwich C = P S P^H (S Hermitian), tmp scratch. */
export function cSandwich(p: CM, s: CM, c: CM, tmp: CM, n: number): void {
  if (productWasm('sandwich', p, s, c, n)) {
    opCounts.complexProducts += 2;
    return;
  }
  cMul(p, s, tmp, n);
  cMulNHHerm(tmp, p, c, n);
}

/** The unit phase of the last `cabsPhase` (1 for 0). */
const PHASE = new Float64Array(2);

/**
 * |re + i im| and its unit phase (into PHASE), bit for bit sqrt(re^2 + im^2) and re / |.|
 * where the squares neither underflow nor overflow, from the scaled parts where they would:
 * an off-diagonal entry of 1e-162 squared underflows, and the phase t / |t| made of it was not
 * of unit modulus (a wrong eigenvector, and with it a wrong NT scaling of a 2 x 2 block; found
 * by test/conic/hpsd2.test.ts). wasm/kernels.ts does the same.
 */
function cabsPhase(re: number, im: number): number {
  const q = re * re + im * im;
  if (q > 1e-290 && q < 1e290) {
    const a = Math.sqrt(q);
    PHASE[0] = re / a;
    PHASE[1] = im / a;
    return a;
  }
  const s = Math.max(Math.abs(re), Math.abs(im));
  if (s === 0) {
    PHASE[0] = 1;
    PHASE[1] = 0;
    return 0;
  }
  const a = re / s;
  const b = im / s;
  const h = Math.sqrt(a * a + b * b);
  PHASE[0] = a / h;
  PHASE[1] = b / h;
  return s * h;
}

/** Workspace of the Hermitian eigensolver. */
export class HEigWorkspace {
  readonly n: number;
  /** Eigenvalues (ascending) after a call. */
  readonly d: Float64Array;
  /** Eigenvectors after `hEig(.., true)`: column j of (vr, vi) belongs to d[j]. */
  readonly v: CM;
  private readonly a: CM;
  private readonly sub: Float64Array;
  private readonly e: Float64Array;
  private readonly z: Float64Array;
  private readonly tauv: Float64Array;
  private readonly wr: Float64Array;
  private readonly wi: Float64Array;
  private readonly phr: Float64Array;
  private readonly phi: Float64Array;
  /** Doubles the workspace of order n takes from an arena. */
  static doubles(n: number): number {
    return 5 * n * n + 8 * n;
  }

  constructor(n: number, arena = new Arena(HEigWorkspace.doubles(n))) {
    this.n = n;
    this.d = arena.f64(n);
    this.v = cmAlloc(n, arena);
    this.a = cmAlloc(n, arena);
    this.sub = arena.f64(n);
    this.e = arena.f64(n);
    this.z = arena.f64(n * n);
    this.tauv = arena.f64(n);
    this.wr = arena.f64(n);
    this.wi = arena.f64(n);
    this.phr = arena.f64(n);
    this.phi = arena.f64(n);
  }

  /**
   * Eigen-decomposition of the Hermitian matrix m (lower triangle read): Householder
   * reduction to a Hermitian tridiagonal, a diagonal unitary making it real, then the
   * real QL iteration. False on failure (NaN). `counted`: false for callers outside the
   * interior-point iteration (the certificate checks), which opCounts does not measure.
   */
  eig(m: CM, vectors: boolean, counted = true): boolean {
    if (counted && vectors) opCounts.complexEigVectors++;
    else if (counted) opCounts.complexEigValues++;
    return eigWasm(m, this.n, vectors, this.d, this.v) ?? this.eigTs(m, vectors);
  }

  /** The TypeScript eigensolver (the WebAssembly one's twin, and its fallback). */
  private eigTs(m: CM, vectors: boolean): boolean {
    const n = this.n;
    const { re: ar, im: ai } = this.a;
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < i; j++) {
        ar[i * n + j] = m.re[i * n + j];
        ai[i * n + j] = m.im[i * n + j];
        ar[j * n + i] = m.re[i * n + j];
        ai[j * n + i] = -m.im[i * n + j];
      }
      ar[i * n + i] = m.re[i * n + i];
      ai[i * n + i] = 0;
    }
    // a matrix of subnormal scale is solved scaled up by 2^600 (real-eig.ts scaleUpTiny)
    const scaled = scaleUpTiny([ar, ai], n * n);
    const wr = this.wr;
    const wi = this.wi;
    // Householder vectors are kept in column k below the diagonal (entries k+1..n-1)
    for (let k = 0; k + 2 < n; k++) {
      let nx = 0;
      for (let i = k + 1; i < n; i++) nx += ar[i * n + k] ** 2 + ai[i * n + k] ** 2;
      nx = Math.sqrt(nx);
      const x0r = ar[(k + 1) * n + k];
      const x0i = ai[(k + 1) * n + k];
      const ax0 = cabsPhase(x0r, x0i);
      const pr = PHASE[0];
      const pi = PHASE[1];
      const tail = nx * nx - ax0 * ax0;
      if (nx === 0 || tail <= 1e-300 * (1 + nx * nx)) {
        this.tauv[k] = 0;
        this.sub[k] = 0;
        // subdiagonal already has a single entry; keep it as the complex off-diagonal
        this.phr[k] = x0r;
        this.phi[k] = x0i;
        continue;
      }
      const br = -pr * nx; // beta = -phase |x|
      const bi = -pi * nx;
      // v = x - beta e1 (stored in place), tau = 2 / (v^H v)
      ar[(k + 1) * n + k] = x0r - br;
      ai[(k + 1) * n + k] = x0i - bi;
      let vv = 0;
      for (let i = k + 1; i < n; i++) vv += ar[i * n + k] ** 2 + ai[i * n + k] ** 2;
      const tau = 2 / vv;
      this.tauv[k] = tau;
      this.phr[k] = br;
      this.phi[k] = bi;
      // p = tau B v on the trailing block (rows/cols k+1..), B Hermitian (full storage)
      let kr = 0;
      let ki = 0;
      for (let i = k + 1; i < n; i++) {
        let sr = 0;
        let si = 0;
        const ri = i * n;
        for (let j = k + 1; j < n; j++) {
          const vr = ar[j * n + k];
          const vi = ai[j * n + k];
          sr += ar[ri + j] * vr - ai[ri + j] * vi;
          si += ar[ri + j] * vi + ai[ri + j] * vr;
        }
        wr[i] = tau * sr;
        wi[i] = tau * si;
        // K = (tau / 2) v^H p
        const vr = ar[ri + k];
        const vi = ai[ri + k];
        kr += vr * wr[i] + vi * wi[i];
        ki += vr * wi[i] - vi * wr[i];
      }
      kr *= tau / 2;
      ki *= tau / 2;
      // w = p - K v;  B <- B - v w^H - w v^H
      for (let i = k + 1; i < n; i++) {
        const vr = ar[i * n + k];
        const vi = ai[i * n + k];
        wr[i] -= kr * vr - ki * vi;
        wi[i] -= kr * vi + ki * vr;
      }
      for (let i = k + 1; i < n; i++) {
        const ri = i * n;
        const vir = ar[ri + k];
        const vii = ai[ri + k];
        const wir = wr[i];
        const wii = wi[i];
        for (let j = k + 1; j < n; j++) {
          const vjr = ar[j * n + k];
          const vji = ai[j * n + k];
          const wjr = wr[j];
          const wji = wi[j];
          // v_i conj(w_j) + w_i conj(v_j)
          ar[ri + j] -= vir * wjr + vii * wji + wir * vjr + wii * vji;
          ai[ri + j] -= vii * wjr - vir * wji + wii * vjr - wir * vji;
        }
      }
    }
    // Hermitian tridiagonal: diagonal real, subdiagonal beta_k (or the last entry)
    const d = this.d;
    for (let i = 0; i < n; i++) d[i] = ar[i * n + i];
    if (n >= 2) {
      this.phr[n - 2] = ar[(n - 1) * n + n - 2];
      this.phi[n - 2] = ai[(n - 1) * n + n - 2];
    }
    // D = diag(delta), delta_0 = 1, delta_{k+1} = delta_k * t_k / |t_k| makes it real
    const dr = wr;
    const di = wi;
    dr[0] = 1;
    di[0] = 0;
    for (let k = 0; k + 1 < n; k++) {
      const tr = this.phr[k];
      const ti = this.phi[k];
      this.sub[k] = cabsPhase(tr, ti);
      const ur = PHASE[0];
      const ui = PHASE[1];
      dr[k + 1] = dr[k] * ur - di[k] * ui;
      di[k + 1] = dr[k] * ui + di[k] * ur;
    }
    const z = this.z;
    if (vectors) {
      z.fill(0);
      for (let i = 0; i < n; i++) z[i * n + i] = 1;
    }
    if (!tridiagEig(d, this.sub, this.e, n, vectors ? z : null)) return false;
    if (scaled) for (let i = 0; i < n; i++) d[i] *= SUBNORMAL_DOWN;
    if (!vectors) return true;
    // V = Q D Z^T-rows: start Y = D Z (z rows are eigenvectors of the real tridiagonal)
    const { re: vr, im: vi } = this.v;
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        const zz = z[j * n + i];
        vr[i * n + j] = dr[i] * zz;
        vi[i * n + j] = di[i] * zz;
      }
    }
    // apply H_k for k from last to first: Y <- (I - tau v v^H) Y on rows k+1..
    for (let k = n - 3; k >= 0; k--) {
      const tau = this.tauv[k];
      if (!(tau > 0)) continue;
      // u = v^H Y (scratch: e and phi are free once the tridiagonal is solved)
      const ur = this.e;
      const ui = this.phi;
      ur.fill(0);
      ui.fill(0);
      for (let i = k + 1; i < n; i++) {
        const a = ar[i * n + k];
        const b = -ai[i * n + k]; // conj(v_i)
        const ri = i * n;
        for (let j = 0; j < n; j++) {
          ur[j] += a * vr[ri + j] - b * vi[ri + j];
          ui[j] += a * vi[ri + j] + b * vr[ri + j];
        }
      }
      for (let i = k + 1; i < n; i++) {
        const a = tau * ar[i * n + k];
        const b = tau * ai[i * n + k];
        const ri = i * n;
        for (let j = 0; j < n; j++) {
          vr[ri + j] -= a * ur[j] - b * ui[j];
          vi[ri + j] -= a * ui[j] + b * ur[j];
        }
      }
    }
    return true;
  }
}
