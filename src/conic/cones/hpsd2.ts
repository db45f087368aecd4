import type { ConeKernel } from './cone.ts';
import { type CM, cmAlloc } from './hermitian-kernels.ts';
import { clipChange } from './nonneg.ts';
import { opCounts } from '../../linalg/op-counts.ts';
import { residentHolds, slotOf, type VectorSpace } from '../../linalg/wasm-vectors.ts';

const ISQRT2 = Math.SQRT1_2;

/**
 * A 2 x 2 complex matrix as eight doubles, row-major, (re, im) interleaved:
 * [r00, i00, r01, i01, r10, i10, r11, i11].
 */
type M2 = Float64Array;
const m2 = (): M2 => new Float64Array(8);

/** Slots of a block's state in a run's vector space (wasm/kernels.ts H2_BLOCK: the layout the constructor's views follow). */
export const H2_BLOCK = 132;

/**
 * The 2 x 2 blocks' operations of wasm/kernels.ts (h2ScalingBatch and after): `count` blocks
 * whose states lie `stride` slots apart and whose vectors are consecutive (a single block is
 * count 1); offsets in f64 slots. BATCH_COUNT: the products made where that varies by block.
 */
export interface H2Kernels {
  memory: WebAssembly.Memory;
  BATCH_WHO: WebAssembly.Global;
  BATCH_COUNT: WebAssembly.Global;
  h2ScalingBatch(count: number, sc: number, stride: number, x: number, z: number): number;
  h2ApplyDBatch(count: number, sc: number, stride: number, v: number, out: number): void;
  h2DxFromDzBatch(count: number, sc: number, stride: number, dz: number, out: number): void;
  h2CorrectDirBatch(count: number, sc: number, stride: number, w: number, out: number): void;
  h2RhsBatch(count: number, sc: number, stride: number, sigmaMu: number, corrector: number, out: number): void;
  h2StepBatch(count: number, sc: number, stride: number): number;
  h2CentralityBatch(count: number, sc: number, stride: number, alpha: number, lo: number, hi: number, out: number): void;
}

/**
 * The 2 x 2 Hermitian PSD cone: HpsdCone's algorithm (hpsd.ts: Cholesky factors, the
 * eigenbasis of S^H S, every product in that basis) in closed form.
 *
 * Why: the design SDPs carry one 2 x 2 block per sensing moment (nine with three targets), and
 * on such a block the generic kernel's cost is its machinery (copies into and out of the
 * WebAssembly kernels, a Householder-QL eigensolver, loops over n = 2): 1.4-2.3 us per scaling.
 * A second-order-cone twin of the block (the same cone up to an orthogonal map) was measured
 * faster still but lost digits near the boundary, where the blocks end (docs/solver.md); this
 * kernel stays in the eigenbasis like HpsdCone, with the eigenpairs of a 2 x 2 Hermitian
 * matrix from one Jacobi rotation. test/conic/hpsd2.test.ts checks every method against
 * HpsdCone(2) on random points and directions.
 *
 * In a run's vector space (the interior-point loop's WebAssembly memory) the state lives there
 * and the operations run in wasm/kernels.ts (h2ScalingBatch and after: this class's arithmetic
 * expression for expression), a run of such blocks in one call (cone-group.ts): a fresh process
 * otherwise runs this TypeScript interpreted for most of its first solve (a three-target paper
 * SDP's first solve 4 ms shorter, 6 %). test/linalg/wasm-vectors.test.ts compares the two
 * paths bit for bit, method by method.
 */
export class Hpsd2Cone implements ConeKernel {
  readonly dim = 4;
  readonly degree = 2;
  readonly n = 2;
  /** NT scaling point (Hermitian): D(U) = G U G. Public for the Schur complement. */
  readonly G: CM;
  private readonly L1: M2;
  private readonly L2: M2;
  private readonly S: M2;
  private readonly V: M2;
  private readonly C: M2;
  private readonly Ch: M2;
  private readonly Th = m2();
  private readonly g: M2;
  private tReady = false;
  private readonly wdx: M2;
  private readonly wdz: M2;
  private readonly swdx = m2();
  private readonly swdz = m2();
  private readonly ud: M2;
  private readonly t1 = m2();
  private readonly t2 = m2();
  private readonly t3 = m2();
  private readonly lam: Float64Array;
  /** Eigenvalues of the last `eig`, ascending, and their vectors as the columns of `ev`. */
  private readonly ew: Float64Array;
  private readonly ev: M2;
  private readonly xv: Float64Array;
  /** An hvec scratch (centrality's contribution before it is added to out). */
  private readonly hv = new Float64Array(4);
  /** Where the state lives in a run's vector space (null: in the cone's own arrays). */
  private readonly res: { k: H2Kernels; buf: ArrayBufferLike; sc: number } | null;

  /**
   * With `space` (a run's vector space in WebAssembly memory, src/linalg/wasm-vectors.ts), the
   * state lives there in wasm/kernels.ts' layout (H2_BLOCK) and the operations on vectors of the
   * space run there, as one call (cone-group.ts calls a run of such blocks at once): the same
   * operations, the same bits (test/conic/hpsd2.test.ts).
   */
  constructor(space?: VectorSpace) {
    const k = (space?.coneKernels ?? null) as unknown as H2Kernels | null;
    const block = k && space ? space.f64(H2_BLOCK) : null;
    const at = (o: number, len: number) => (block ? block.subarray(o, o + len) : new Float64Array(len));
    this.G = block ? { re: block.subarray(0, 4), im: block.subarray(4, 8) } : cmAlloc(2);
    this.L1 = at(8, 8);
    this.L2 = at(16, 8);
    this.S = at(24, 8);
    this.V = at(32, 8);
    this.C = at(40, 8);
    this.Ch = at(48, 8);
    this.g = at(56, 8);
    this.wdx = at(64, 8);
    this.wdz = at(72, 8);
    this.ud = at(80, 8);
    this.lam = at(88, 2);
    this.ew = at(90, 2);
    this.ev = at(92, 8);
    this.xv = at(100, 4);
    this.res = k && block && space?.holds(block) ? { k, buf: block.buffer, sc: slotOf(block) } : null;
  }

  /** The f64 slot of the cone's state in the vector space (null: not placed there). */
  get residentSlot(): number | null {
    return this.res ? this.res.sc : null;
  }

  /** The resident state's kernels when the arrays live in its memory (then the operation runs there), else null. */
  private here(a: Float64Array, b?: Float64Array): H2Kernels | null {
    const r = this.res;
    return r && residentHolds(r, a, b) ? r.k : null;
  }

  /** The cone's part of a scaling its group ran in WebAssembly (cone-group.ts): x is remembered there, T to be made again. */
  afterGroupScaling(_x: Float64Array, _off: number): void {
    this.tReady = false;
  }

  unit(v: Float64Array, off: number): void {
    v[off] = 1;
    v[off + 1] = 0;
    v[off + 2] = 0;
    v[off + 3] = 1;
  }

  updateScaling(x: Float64Array, z: Float64Array, off: number): boolean {
    const wk = this.here(x, z);
    if (wk) {
      const failed = wk.h2ScalingBatch(1, this.res!.sc, 0, slotOf(x) + off, slotOf(z) + off);
      opCounts.complexProducts += wk.BATCH_COUNT.value as number;
      this.tReady = false;
      return failed === 0;
    }
    for (let k = 0; k < 4; k++) this.xv[k] = x[off + k];
    if (!chol(x, off, this.L1) || !chol(z, off, this.L2)) return false;
    mulHN(this.L2, this.L1, this.S); // S = L2^H L1
    mulHN(this.S, this.S, this.t1); // S^H S = V Lam^2 V^H
    if (!this.eig(this.t1, true)) return false;
    for (let i = 0; i < 2; i++) {
      const e = this.ew[i];
      if (!(e > 0) || !Number.isFinite(e)) return false;
      this.lam[i] = Math.sqrt(e);
    }
    this.V.set(this.ev);
    this.tReady = false;
    mul(this.L1, this.V, this.C); // C = L1 V Lam^-1/2
    for (let i = 0; i < 2; i++) {
      for (let j = 0; j < 2; j++) {
        const r = Math.sqrt(this.lam[j]);
        this.C[4 * i + 2 * j] /= r;
        this.C[4 * i + 2 * j + 1] /= r;
      }
    }
    adjoint(this.C, this.Ch);
    mulNH(this.C, this.C, this.g); // G = C C^H
    const G = this.G;
    for (let e = 0; e < 4; e++) {
      G.re[e] = this.g[2 * e];
      G.im[e] = this.g[2 * e + 1];
    }
    return true;
  }

  /** T^H (W v = T^H v T), T = L2 U Lam^-1/2 with S V = U Lam, formed only when addToDx needs it. */
  private ensureT(): void {
    if (this.tReady) return;
    mul(this.S, this.V, this.t1); // U Lam
    mul(this.L2, this.t1, this.t2);
    const th = this.Th;
    for (let i = 0; i < 2; i++) {
      for (let j = 0; j < 2; j++) {
        const s = 1 / (this.lam[j] * Math.sqrt(this.lam[j]));
        th[4 * j + 2 * i] = this.t2[4 * i + 2 * j] * s;
        th[4 * j + 2 * i + 1] = -this.t2[4 * i + 2 * j + 1] * s;
      }
    }
    this.tReady = true;
  }

  applyD(v: Float64Array, out: Float64Array, off: number): void {
    const wk = this.here(v, out);
    if (wk) {
      wk.h2ApplyDBatch(1, this.res!.sc, 0, slotOf(v) + off, slotOf(out) + off);
      opCounts.complexProducts += 2;
      return;
    }
    load(v, off, this.t1);
    sandwichH(this.g, this.t1, this.t2, this.t3); // G U G (G Hermitian)
    store(this.t2, out, off);
  }

  /** Largest alpha with Lam + alpha Y >= 0 (Y Hermitian): -1 / (smallest eigenvalue of Lam^-1/2 Y Lam^-1/2). */
  private stepOf(Y: M2): number {
    const l0 = this.lam[0];
    const l1 = this.lam[1];
    const p = Y[0] / l0;
    const r = Y[6] / l1;
    const f = 1 / Math.sqrt(l0 * l1);
    const e = minEig(p, r, Y[4] * f, Y[5] * f);
    // a NaN eigenvalue is a failure (blocked), never "unbounded" (as the generic kernel)
    if (Number.isNaN(e)) return 0;
    return e < 0 ? -1 / e : Infinity;
  }

  /** From the cached scaled direction (dxFromDz, correctDir, addToDx), as HpsdCone. */
  maxStep(_dx?: Float64Array, _dz?: Float64Array, _off?: number): number {
    if (this.res) return this.res.k.h2StepBatch(1, this.res.sc, 0);
    return Math.min(this.stepOf(this.wdx), this.stepOf(this.wdz));
  }

  correctDir(w: Float64Array, out: Float64Array, off: number): void {
    const wk = this.here(w, out);
    if (wk) {
      wk.h2CorrectDirBatch(1, this.res!.sc, 0, slotOf(w) + off, slotOf(out) + off);
      opCounts.complexProducts += 4;
      return;
    }
    load(w, off, this.t1);
    sandwich(this.Ch, this.t1, this.t3, this.t2); // u = C^H w C
    for (let k = 0; k < 8; k++) {
      this.wdx[k] += this.t3[k];
      this.wdz[k] -= this.t3[k];
    }
    sandwich(this.C, this.t3, this.t1, this.t2); // D w = C u C^H
    store(this.t1, out, off);
  }

  addToDx(v: Float64Array, off: number): void {
    this.ensureT();
    load(v, off, this.t1);
    sandwich(this.Th, this.t1, this.t3, this.t2); // W v = T^H v T
    for (let k = 0; k < 8; k++) this.wdx[k] += this.t3[k];
  }

  saveDir(): void {
    this.swdx.set(this.wdx);
    this.swdz.set(this.wdz);
  }

  restoreDir(): void {
    this.wdx.set(this.swdx);
    this.wdz.set(this.swdz);
  }

  rhs(sigmaMu: number, corrector: boolean, out: Float64Array, off: number): void {
    const wk = this.here(out);
    if (wk) {
      wk.h2RhsBatch(1, this.res!.sc, 0, sigmaMu, corrector ? 1 : 0, slotOf(out) + off);
      opCounts.complexProducts += wk.BATCH_COUNT.value as number;
      return;
    }
    const lam = this.lam;
    const U = this.t1;
    if (corrector) {
      mul(this.wdx, this.wdz, U);
      // d = sigmaMu I - Lam^2 - (PQ + (PQ)^H) / 2, then U = Lam \ d (2 d_ij / (l_i + l_j))
      const dr = -0.5 * (U[4] + U[2]);
      const di = -0.5 * (U[5] - U[3]);
      const f = 2 / (lam[1] + lam[0]);
      U[4] = dr * f;
      U[5] = di * f;
      U[2] = dr * f;
      U[3] = -di * f;
      U[0] = (sigmaMu - lam[0] * lam[0] - U[0]) / lam[0];
      U[1] = 0;
      U[6] = (sigmaMu - lam[1] * lam[1] - U[6]) / lam[1];
      U[7] = 0;
    } else {
      U.fill(0);
      U[0] = (sigmaMu - lam[0] * lam[0]) / lam[0];
      U[6] = (sigmaMu - lam[1] * lam[1]) / lam[1];
      if (sigmaMu === 0) {
        // affine rhs: W^-1 (-lambda) = -x
        this.ud.set(U);
        for (let k = 0; k < 4; k++) out[off + k] = -this.xv[k];
        return;
      }
    }
    this.ud.set(U);
    sandwich(this.C, U, this.t3, this.t2); // W^-1 U = C U C^H
    store(this.t3, out, off);
  }

  dxFromDz(dz: Float64Array, out: Float64Array, off: number): void {
    const wk = this.here(dz, out);
    if (wk) {
      wk.h2DxFromDzBatch(1, this.res!.sc, 0, slotOf(dz) + off, slotOf(out) + off);
      opCounts.complexProducts += 4;
      return;
    }
    load(dz, off, this.t1);
    sandwich(this.Ch, this.t1, this.wdz, this.t2); // W^-H dZ = C^H dZ C
    for (let k = 0; k < 8; k++) this.wdx[k] = this.ud[k] - this.wdz[k];
    sandwich(this.C, this.wdx, this.t1, this.t2);
    store(this.t1, out, off);
  }

  directionState(): readonly Float64Array[] {
    return [this.wdx, this.wdz, this.ud];
  }

  centrality(alpha: number, lo: number, hi: number, out: Float64Array, off: number): void {
    const wk = this.here(out);
    if (wk) {
      wk.h2CentralityBatch(1, this.res!.sc, 0, alpha, lo, hi, slotOf(out) + off);
      opCounts.complexProducts += wk.BATCH_COUNT.value as number;
      return;
    }
    const lam = this.lam;
    const P = this.t1;
    const Q = this.t2;
    for (let k = 0; k < 8; k++) {
      P[k] = alpha * this.wdx[k];
      Q[k] = alpha * this.wdz[k];
    }
    P[0] += lam[0];
    P[6] += lam[1];
    Q[0] += lam[0];
    Q[6] += lam[1];
    const V = this.t3;
    mul(P, Q, V);
    // (P Q + (P Q)^H) / 2, lower triangle
    V[4] = 0.5 * (V[4] + V[2]);
    V[5] = 0.5 * (V[5] - V[3]);
    if (!this.eig(V, true)) return;
    // t = sum_k change_k q_k q_k^H (lower triangle) over the eigenvalues outside [lo, hi]
    const t = this.t1;
    t.fill(0);
    let any = false;
    const ev = this.ev;
    for (let k = 0; k < 2; k++) {
      const c = clipChange(this.ew[k], lo, hi);
      if (c === 0) continue;
      any = true;
      for (let i = 0; i < 2; i++) {
        const ar = c * ev[4 * i + 2 * k];
        const ai = c * ev[4 * i + 2 * k + 1];
        for (let j = 0; j <= i; j++) {
          const br = ev[4 * j + 2 * k];
          const bi = ev[4 * j + 2 * k + 1];
          t[4 * i + 2 * j] += ar * br + ai * bi;
          t[4 * i + 2 * j + 1] += ai * br - ar * bi;
        }
      }
    }
    if (!any) return;
    // U = lambda \ t (2 t_ij / (l_i + l_j)), added to the last rhs
    const u = this.t2;
    const f = 2 / (lam[1] + lam[0]);
    u[0] = t[0] / lam[0];
    u[1] = 0;
    u[6] = t[6] / lam[1];
    u[7] = 0;
    u[4] = t[4] * f;
    u[5] = t[5] * f;
    u[2] = u[4];
    u[3] = -u[5];
    for (let k = 0; k < 8; k++) this.ud[k] += u[k];
    sandwich(this.C, u, this.t3, this.t1);
    store(this.t3, this.hv, 0);
    for (let k = 0; k < 4; k++) out[off + k] += this.hv[k];
  }

  /**
   * Eigenpairs of the Hermitian [[p, conj(q)], [q, r]] (the lower triangle of m: p = m00,
   * q = m10, r = m11) by one Jacobi rotation: ascending into ew, vectors as the columns of ev.
   */
  private eig(m: M2, vectors: boolean): boolean {
    const p = m[0];
    const r = m[6];
    const qr = m[4];
    const qi = m[5];
    if (!Number.isFinite(p + r + qr + qi)) return false;
    const aq = Math.hypot(qr, qi);
    const ev = this.ev;
    // diagonal to working precision: the rotation would move the eigenvalues by aq^2 / |p - r|
    // (or mix equal ones, which every use here is invariant to), and the phase q / aq of a
    // denormal q is not of unit modulus
    if (!(aq > 1e-30 * (Math.abs(p) + Math.abs(r)))) {
      const first = p <= r ? 0 : 1;
      this.ew[0] = first === 0 ? p : r;
      this.ew[1] = first === 0 ? r : p;
      if (vectors) {
        ev.fill(0);
        ev[4 * first] = 1; // column 0 is e_first
        ev[4 * (1 - first) + 2] = 1; // column 1 is the other unit vector
      }
      return true;
    }
    // [[p, aq], [aq, r]] = R diag(p - t aq, r + t aq) R^T with R = [[c, s], [-s, c]]
    const tau = (r - p) / (2 * aq);
    const t = (tau >= 0 ? 1 : -1) / (Math.abs(tau) + Math.sqrt(1 + tau * tau));
    const c = 1 / Math.sqrt(1 + t * t);
    const s = t * c;
    const ea = p - t * aq;
    const eb = r + t * aq;
    // m = D [[p, aq], [aq, r]] D^H with D = diag(1, q / aq); eigenvectors D (c, -s), D (s, c)
    const ur = qr / aq;
    const ui = qi / aq;
    const aFirst = ea <= eb;
    this.ew[0] = aFirst ? ea : eb;
    this.ew[1] = aFirst ? eb : ea;
    if (vectors) {
      const ka = aFirst ? 0 : 1;
      const kb = 1 - ka;
      ev[2 * ka] = c;
      ev[2 * ka + 1] = 0;
      ev[4 + 2 * ka] = -s * ur;
      ev[4 + 2 * ka + 1] = -s * ui;
      ev[2 * kb] = s;
      ev[2 * kb + 1] = 0;
      ev[4 + 2 * kb] = c * ur;
      ev[4 + 2 * kb + 1] = c * ui;
    }
    return true;
  }
}

/** The smallest eigenvalue of [[p, conj(q)], [q, r]], q = qr + i qi. */
function minEig(p: number, r: number, qr: number, qi: number): number {
  const h = 0.5 * (p - r);
  const rad = Math.sqrt(h * h + qr * qr + qi * qi);
  const mean = 0.5 * (p + r);
  // mean - rad cancels only when mean > 0; then mean + rad does not, and the smaller is det / it
  return mean > 0 ? (p * r - (qr * qr + qi * qi)) / (mean + rad) : mean - rad;
}

/** Cholesky L L^H of the hvec v[off ..] (2 x 2) into L (lower, strict upper zero); false if not PD. */
function chol(v: Float64Array, off: number, L: M2): boolean {
  const a = v[off];
  if (!(a > 0) || a === Infinity) return false;
  const l00 = Math.sqrt(a);
  const br = (v[off + 1] * ISQRT2) / l00;
  const bi = (v[off + 2] * ISQRT2) / l00;
  const d = v[off + 3] - (br * br + bi * bi);
  if (!(d > 0) || d === Infinity) return false;
  L[0] = l00;
  L[1] = 0;
  L[2] = 0;
  L[3] = 0;
  L[4] = br;
  L[5] = bi;
  L[6] = Math.sqrt(d);
  L[7] = 0;
  return true;
}

/** The Hermitian matrix of hvec v[off ..]. */
function load(v: Float64Array, off: number, m: M2): void {
  const a = v[off + 1] * ISQRT2;
  const b = v[off + 2] * ISQRT2;
  m[0] = v[off];
  m[1] = 0;
  m[4] = a;
  m[5] = b;
  m[2] = a;
  m[3] = -b;
  m[6] = v[off + 3];
  m[7] = 0;
}

/** hvec of the Hermitian part of m into v[off ..]. */
function store(m: M2, v: Float64Array, off: number): void {
  v[off] = m[0];
  v[off + 1] = ISQRT2 * (m[4] + m[2]);
  v[off + 2] = ISQRT2 * (m[5] - m[3]);
  v[off + 3] = m[6];
}

/**
 * One entry of a 2 x 2 complex product, sum_k x_k y_k over k = 0, 1 (the factors already
 * conjugated where the product asks for it), summed from 0 as a loop over k would.
 */
function entry(xr0: number, xi0: number, yr0: number, yi0: number, xr1: number, xi1: number, yr1: number, yi1: number, c: M2, e: number): void {
  let sr = 0;
  let si = 0;
  sr += xr0 * yr0 - xi0 * yi0;
  si += xr0 * yi0 + xi0 * yr0;
  sr += xr1 * yr1 - xi1 * yi1;
  si += xr1 * yi1 + xi1 * yr1;
  c[e] = sr;
  c[e + 1] = si;
}

// The three products, written out entry by entry: the loops over i, j, k with the index
// arithmetic and the conjugation tests ran interpreted for most of a first solve (the 2 x 2
// cones' products were 2.5 of its ~70 sampled ms). Each entry is the loop's sum, term for term.
// Counted as one dense product each (opCounts), as the generic kernels' are, so per-block
// counts stay comparable.

/** c = a b. */
export function mul(a: M2, b: M2, c: M2): void {
  opCounts.complexProducts++;
  entry(a[0], a[1], b[0], b[1], a[2], a[3], b[4], b[5], c, 0);
  entry(a[0], a[1], b[2], b[3], a[2], a[3], b[6], b[7], c, 2);
  entry(a[4], a[5], b[0], b[1], a[6], a[7], b[4], b[5], c, 4);
  entry(a[4], a[5], b[2], b[3], a[6], a[7], b[6], b[7], c, 6);
}

/** c = a^H b. */
export function mulHN(a: M2, b: M2, c: M2): void {
  opCounts.complexProducts++;
  entry(a[0], -a[1], b[0], b[1], a[4], -a[5], b[4], b[5], c, 0);
  entry(a[0], -a[1], b[2], b[3], a[4], -a[5], b[6], b[7], c, 2);
  entry(a[2], -a[3], b[0], b[1], a[6], -a[7], b[4], b[5], c, 4);
  entry(a[2], -a[3], b[2], b[3], a[6], -a[7], b[6], b[7], c, 6);
}

/** c = a b^H. */
export function mulNH(a: M2, b: M2, c: M2): void {
  opCounts.complexProducts++;
  entry(a[0], a[1], b[0], -b[1], a[2], a[3], b[2], -b[3], c, 0);
  entry(a[0], a[1], b[4], -b[5], a[2], a[3], b[6], -b[7], c, 2);
  entry(a[4], a[5], b[0], -b[1], a[6], a[7], b[2], -b[3], c, 4);
  entry(a[4], a[5], b[4], -b[5], a[6], a[7], b[6], -b[7], c, 6);
}

/** out = a^H. */
function adjoint(a: M2, out: M2): void {
  for (let i = 0; i < 2; i++) {
    for (let j = 0; j < 2; j++) {
      out[4 * j + 2 * i] = a[4 * i + 2 * j];
      out[4 * j + 2 * i + 1] = -a[4 * i + 2 * j + 1];
    }
  }
}

/** c = p s p^H (tmp: scratch). */
function sandwich(p: M2, s: M2, c: M2, tmp: M2): void {
  mul(p, s, tmp);
  mulNH(tmp, p, c);
}

/** c = h s h for a Hermitian h (tmp: scratch). */
function sandwichH(h: M2, s: M2, c: M2, tmp: M2): void {
  mul(h, s, tmp);
  mul(tmp, h, c);
}
