import type { ConeKernel } from './cone.ts';
import { cholesky, matMul, matMulTN, matMulNT, matMulAAT, sandwich, symmetrize } from '../../linalg/real-dense.ts';
import { EigWorkspace, eigSym, minEig } from '../../linalg/real-eig.ts';
import { clipChange } from './nonneg.ts';
import { svecToMat, matToSvec, hvecToEmbedded, embeddedToHvec } from '../vec.ts';
import { centralityWasm, fusedConeOp, coneIo, type ConeIo, rStepWasm, scalingWasm } from '../../linalg/wasm-kernels.ts';
import { opCounts } from '../../linalg/op-counts.ts';
import { negInto } from '../../linalg/vector-ops.ts';
import { residentHolds, type ResidentCone as Resident, slotOf as slot, type VectorSpace } from '../../linalg/wasm-vectors.ts';

/**
 * Real PSD cone of order N, working on full N x N matrices. The same kernel serves
 * the complex Hermitian cone through the real embedding [[Re, -Im], [Im, Re]] (order
 * 2n); only the (un)vectorisation differs.
 *
 * NT scaling after Todd-Toh-Tutuncu / CVXOPT: T and C = T^{-T} with
 *   W(X) = T^T X T = Lam = C^T Z C = W^{-T}(Z)   (Lam diagonal),  D(U) = G U G, G = C C^T.
 * From Cholesky factors X = L1 L1^T, Z = L2 L2^T and the SVD L2^T L1 = U Lam V^T:
 *   C = L1 V Lam^{-1/2},  T = L2 U Lam^{-1/2}.
 * (T from U = S V Lam^{-1}: the algebraically equal Z L1 V Lam^{-3/2} cancels badly.)
 * Updating the scaling in the scaled space instead (CVXOPT) was tried and took more
 * iterations on SDPLIB; see docs/solver.md.
 * T and C are also kept transposed so every product is a row-major sandwich P S P^T.
 */
export class PsdCone implements ConeKernel {
  readonly dim: number;
  readonly degree: number;
  /** Matrix order of the kernel (2n for the Hermitian embedding). */
  readonly N: number;
  readonly complex: boolean;
  /** NT scaling point: D(U) = G U G. Public for the Schur complement. */
  readonly G: Float64Array;
  private readonly n: number;
  private readonly L1: Float64Array;
  private readonly L2: Float64Array;
  private readonly S: Float64Array;
  private readonly Tt: Float64Array;
  /** Eigenvectors of S^T S (rows) at the last scaling, for T. */
  private readonly Vt: Float64Array;
  private tReady = false;
  private readonly C: Float64Array;
  private readonly Ct: Float64Array;
  private readonly Cn: Float64Array;
  private readonly Tn: Float64Array;
  private readonly lam: Float64Array;
  /** sqrt(lam), once per scaling (the n^2 loops took Math.sqrt(lam[j]) per entry: same values, same bits). */
  private readonly sqrtLam: Float64Array;
  /** x at the last scaling (for the affine rhs, which is exactly -x). */
  private readonly xv: Float64Array;
  private readonly wdx: Float64Array;
  private readonly wdz: Float64Array;
  private readonly swdx: Float64Array;
  private readonly swdz: Float64Array;
  private readonly t1: Float64Array;
  private readonly t2: Float64Array;
  private readonly t3: Float64Array;
  /** lambda \ d of the last rhs (scaled space). */
  private readonly ud: Float64Array;
  private readonly ws: EigWorkspace;
  /** Scratch vector of the cone's dimension. */
  private readonly sv: Float64Array;
  /** The factors and scaling above, in the order the WebAssembly scaling writes them (scalingWasm; C is Cn's copy). */
  private readonly scaling: readonly Float64Array[];
  /** The operands of the fused WebAssembly operations (coneIo). */
  private readonly io: ConeIo;
  /** Where the matrices live in the run's vector space (null: arrays of their own). */
  private readonly res: Resident | null;

  /**
   * `n` is the order of the matrices in the problem; `complex` selects hpsd / hvec. With
   * `space` (a run's vector space in WebAssembly memory) a real cone's scaling, scaled direction
   * and rhs live there and its fused operations run in place (wasm/kernels.ts scalingAt and
   * after: the same operations, the same bits), as HpsdCone's do.
   */
  constructor(n: number, complex: boolean, space?: VectorSpace) {
    this.n = n;
    this.complex = complex;
    this.N = complex ? 2 * n : n;
    this.dim = complex ? n * n : (n * (n + 1)) / 2;
    this.degree = n;
    const NN = this.N * this.N;
    const k = complex ? null : (space?.coneKernels ?? null);
    // the scaling block in rScaling's order (L1, L2, S, V^T, C, C^T, G, lambda, sqrt(lambda)), then wdx, wdz, ud
    const block = k && space ? space.f64(10 * NN + 2 * this.N) : null;
    const mk = () => new Float64Array(NN);
    const at = (i: number) => (block ? block.subarray(i, i + NN) : mk());
    this.L1 = at(0);
    this.L2 = at(NN);
    this.S = at(2 * NN);
    this.Vt = at(3 * NN);
    this.Cn = at(4 * NN);
    this.Ct = at(5 * NN);
    this.G = at(6 * NN);
    this.lam = block ? block.subarray(7 * NN, 7 * NN + this.N) : new Float64Array(this.N);
    this.sqrtLam = block ? block.subarray(7 * NN + this.N, 7 * NN + 2 * this.N) : new Float64Array(this.N);
    this.wdx = at(7 * NN + 2 * this.N);
    this.wdz = at(8 * NN + 2 * this.N);
    this.ud = at(9 * NN + 2 * this.N);
    this.res =
      k && block && space?.holds(block) ? { k, buf: block.buffer, sc: slot(block), wdx: slot(this.wdx), wdz: slot(this.wdz), ud: slot(this.ud) } : null;
    this.Tt = mk();
    this.C = mk();
    this.Tn = mk();
    this.swdx = mk();
    this.swdz = mk();
    this.t1 = mk();
    this.t2 = mk();
    this.t3 = mk();
    this.xv = new Float64Array(this.dim);
    this.ws = new EigWorkspace(this.N);
    this.sv = new Float64Array(this.dim);
    this.scaling = [this.L1, this.L2, this.S, this.Vt, this.Cn, this.Ct, this.G];
    this.io = coneIo(this.G, this.C, this.Ct, this.wdx, this.wdz, this.ud, this.lam);
  }

  /** The f64 slot of the cone's scaling block in the vector space (null: not placed there). */
  get residentSlot(): number | null {
    return this.res ? this.res.sc : null;
  }

  /**
   * The cone's part of a scaling its group ran in WebAssembly (cone-group.ts): x remembered, C
   * copied from the new C (unchanged when the scaling failed, so the copy changes nothing
   * then), T to be made again.
   */
  afterGroupScaling(x: Float64Array, off: number): void {
    this.xv.set(x.subarray(off, off + this.dim));
    this.C.set(this.Cn);
    this.tReady = false;
  }

  private load(v: Float64Array, off: number, m: Float64Array): void {
    if (this.complex) hvecToEmbedded(v, off, this.n, m);
    else svecToMat(v, off, this.n, m);
  }

  private store(m: Float64Array, v: Float64Array, off: number): void {
    if (this.complex) embeddedToHvec(m, this.n, v, off);
    else matToSvec(m, this.n, v, off);
  }

  unit(v: Float64Array, off: number): void {
    v.fill(0, off, off + this.dim);
    if (this.complex) {
      for (let j = 0; j < this.n; j++) v[off + j * (2 * this.n - j)] = 1;
    } else {
      let k = off;
      for (let j = 0; j < this.n; j++) {
        v[k] = 1;
        k += this.n - j;
      }
    }
  }

  /**
   * NT factors of the pair whose Cholesky factors are in L1, L2 (destroyed): writes
   * lam and Cn = L1 V Lam^{-1/2} (T = L2 U Lam^{-1/2} later, by ensureT). False if not positive definite.
   */
  private ntFactors(): boolean {
    const N = this.N;
    matMulTN(this.L2, this.L1, this.S, N); // S = L2^T L1
    matMulTN(this.S, this.S, this.t1, N); // S^T S = V Lam^2 V^T
    symmetrize(this.t1, N);
    if (!eigSym(this.t1, this.ws, true)) return false;
    const lam = this.lam;
    for (let i = 0; i < N; i++) {
      const ev = this.ws.d[i];
      if (!(ev > 0) || !Number.isFinite(ev)) return false;
      lam[i] = Math.sqrt(ev);
    }
    const sqrtLam = this.sqrtLam;
    for (let i = 0; i < N; i++) sqrtLam[i] = Math.sqrt(lam[i]);
    const vt = this.ws.v; // rows are the eigenvectors
    this.Vt.set(vt);
    this.tReady = false;
    matMulNT(this.L1, vt, this.Cn, N); // L1 V
    for (let i = 0; i < N; i++) {
      for (let j = 0; j < N; j++) this.Cn[i * N + j] /= sqrtLam[j];
    }
    return true;
  }

  /**
   * T^T (W v = T^T v T), formed only when a projection needs W of an x-space vector: the
   * step lengths use the scaled direction dxFromDz forms, so most iterations never do.
   */
  private ensureT(): void {
    if (this.tReady) return;
    const N = this.N;
    const lam = this.lam;
    matMulNT(this.S, this.Vt, this.t1, N); // S V = U Lam
    matMul(this.L2, this.t1, this.Tn, N); // L2 U Lam
    for (let i = 0; i < N; i++) {
      for (let j = 0; j < N; j++) this.Tt[j * N + i] = this.Tn[i * N + j] / (lam[j] * this.sqrtLam[j]);
    }
    this.tReady = true;
  }

  /** Derived quantities of C: its transpose and G. */
  private finishScaling(): void {
    const N = this.N;
    for (let i = 0; i < N; i++) {
      for (let j = 0; j < N; j++) this.Ct[j * N + i] = this.C[i * N + j];
    }
    matMulAAT(this.C, this.G, N);
  }

  updateScaling(x: Float64Array, z: Float64Array, off: number): boolean {
    const N = this.N;
    this.xv.set(x.subarray(off, off + this.dim));
    // one WebAssembly call (same bits; svec only), counted as the calls below count themselves
    const r = this.res;
    const stage =
      r && residentHolds(r, x, z)
        ? r.k.scalingAt(0, N, this.dim, slot(x) + off, slot(z) + off, r.sc)
        : this.complex
          ? null
          : scalingWasm(false, x, z, off, N, this.dim, this.scaling, this.lam, this.sqrtLam);
    if (stage !== null) {
      if (stage >= 2) opCounts.realProducts += 2;
      if (stage < 4) return false;
      opCounts.realProducts += 2;
      this.C.set(this.Cn);
      this.tReady = false;
      return true;
    }
    this.load(x, off, this.L1);
    if (!cholesky(this.L1, N)) return false;
    this.load(z, off, this.L2);
    if (!cholesky(this.L2, N)) return false;
    if (!this.ntFactors()) return false;
    this.C.set(this.Cn);
    this.finishScaling();
    return true;
  }

  applyD(v: Float64Array, out: Float64Array, off: number): void {
    const N = this.N;
    // one WebAssembly call for the load, the sandwich and the store (same bits; svec only)
    const r = this.res;
    if (r && residentHolds(r, v, out)) {
      r.k.applyDAt(0, N, this.dim, r.sc, slot(v) + off, slot(out) + off);
      opCounts.realProducts += 2;
      return;
    }
    if (!this.complex && fusedConeOp('rApplyD', N, this.dim, this.io.applyD, v, out, off)) {
      opCounts.realProducts += 2;
      return;
    }
    this.load(v, off, this.t1);
    sandwich(this.G, this.t1, this.t3, this.t2, N);
    this.store(this.t3, out, off);
  }

  /** Largest alpha with Lam + alpha Y >= 0, Y symmetric (scaled by Lam^{-1/2} both sides). */
  private stepOf(Y: Float64Array, enough: number): number {
    const N = this.N;
    const r = this.res;
    if (r) return r.k.stepAt(0, N, slot(Y), r.sc, enough);
    const fast = rStepWasm(Y, this.sqrtLam, N, enough);
    if (fast !== null) return fast;
    const s = this.t2;
    const sqrtLam = this.sqrtLam;
    for (let i = 0; i < N; i++) {
      const li = 1 / sqrtLam[i];
      for (let j = 0; j < N; j++) s[i * N + j] = (Y[i * N + j] * li) / sqrtLam[j];
    }
    if (enough < Infinity) {
      // I + enough S >= 0 (a Cholesky factorisation): the step is at least `enough`
      const w = this.t3;
      for (let k = 0; k < N * N; k++) w[k] = enough * s[k];
      for (let i = 0; i < N; i++) w[i * N + i] += 1;
      if (cholesky(w, N)) return enough;
    }
    const e = minEig(s, this.ws);
    if (Number.isNaN(e)) return 0;
    return e < 0 ? -1 / e : Infinity;
  }

  maxStep(_dx?: Float64Array, _dz?: Float64Array, _off?: number, enough = Infinity): number {
    return Math.min(this.stepOf(this.wdx, enough), this.stepOf(this.wdz, enough));
  }

  correctDir(w: Float64Array, out: Float64Array, off: number): void {
    const N = this.N;
    const r = this.res;
    if (r && residentHolds(r, w, out)) {
      r.k.correctDirAt(0, N, this.dim, r.sc, r.wdx, r.wdz, slot(w) + off, slot(out) + off);
      opCounts.realProducts += 4;
      return;
    }
    if (!this.complex && fusedConeOp('rCorrectDir', N, this.dim, this.io.correctDir, w, out, off)) {
      opCounts.realProducts += 4;
      return;
    }
    this.load(w, off, this.t1);
    sandwich(this.Ct, this.t1, this.t3, this.t2, N); // u = W^{-T} w = C^T w C
    const u = this.t3;
    for (let k = 0; k < N * N; k++) {
      this.wdx[k] += u[k];
      this.wdz[k] -= u[k];
    }
    sandwich(this.C, u, this.t1, this.t2, N); // D w = W^{-1} u = C u C^T
    this.store(this.t1, out, off);
  }

  addToDx(v: Float64Array, off: number): void {
    const N = this.N;
    this.ensureT();
    this.load(v, off, this.t1);
    sandwich(this.Tt, this.t1, this.t3, this.t2, N); // W v = T^T v T
    for (let k = 0; k < N * N; k++) this.wdx[k] += this.t3[k];
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
    const N = this.N;
    const lam = this.lam;
    const U = this.t1;
    const r = this.res;
    if ((corrector || sigmaMu !== 0) && r && residentHolds(r, out)) {
      r.k.rhsAt(0, N, sigmaMu, corrector ? 1 : 0, this.dim, r.sc, r.ud, r.wdx, r.wdz, slot(out) + off);
      opCounts.realProducts += corrector ? 3 : 2;
      return;
    }
    if (
      !this.complex &&
      (corrector || sigmaMu !== 0) &&
      fusedConeOp('rRhs', N, this.dim, corrector ? this.io.corrector : this.io.centring, null, out, off, sigmaMu)
    ) {
      opCounts.realProducts += corrector ? 3 : 2;
      return;
    }
    if (corrector) {
      matMul(this.wdx, this.wdz, U, N);
      // d = sigmaMu I - Lam^2 - (P Q + Q P) / 2 with P Q in U; then U = Lam \ d
      for (let i = 0; i < N; i++) {
        for (let j = 0; j < i; j++) {
          const d = -0.5 * (U[i * N + j] + U[j * N + i]);
          const u = (2 * d) / (lam[i] + lam[j]);
          U[i * N + j] = u;
          U[j * N + i] = u;
        }
        const d = sigmaMu - lam[i] * lam[i] - U[i * N + i];
        U[i * N + i] = d / lam[i];
      }
    } else {
      U.fill(0);
      for (let i = 0; i < N; i++) U[i * N + i] = (sigmaMu - lam[i] * lam[i]) / lam[i];
      if (sigmaMu === 0) {
        // affine rhs: W^{-1}(-lambda) = -x, no product needed
        this.ud.set(U);
        negInto(this.xv, out, off, this.dim);
        return;
      }
    }
    this.ud.set(U);
    // out = W^{-1}(U) = C U C^T
    sandwich(this.C, U, this.t3, this.t2, N);
    this.store(this.t3, out, off);
  }

  dxFromDz(dz: Float64Array, out: Float64Array, off: number): void {
    const N = this.N;
    const r = this.res;
    if (r && residentHolds(r, dz, out)) {
      r.k.dxFromDzAt(0, N, this.dim, r.sc, r.ud, r.wdx, r.wdz, slot(dz) + off, slot(out) + off);
      opCounts.realProducts += 4;
      return;
    }
    if (!this.complex && fusedConeOp('rDxFromDz', N, this.dim, this.io.dxFromDz, dz, out, off)) {
      opCounts.realProducts += 4;
      return;
    }
    this.load(dz, off, this.t1);
    sandwich(this.Ct, this.t1, this.wdz, this.t2, N); // W^{-T} dZ = C^T dZ C
    for (let i = 0; i < N * N; i++) this.wdx[i] = this.ud[i] - this.wdz[i];
    sandwich(this.C, this.wdx, this.t1, this.t2, N);
    this.store(this.t1, out, off);
  }

  directionState(): readonly Float64Array[] {
    return [this.wdx, this.wdz, this.ud];
  }

  centrality(alpha: number, lo: number, hi: number, out: Float64Array, off: number): void {
    const N = this.N;
    const lam = this.lam;
    // one WebAssembly call (same bits; svec only), counted as the calls below count themselves
    const r = this.res;
    const stage =
      r && residentHolds(r, out)
        ? r.k.centralityAt(0, N, alpha, lo, hi, this.dim, r.sc, r.ud, r.wdx, r.wdz, slot(out) + off)
        : this.complex
          ? null
          : centralityWasm(false, N, this.dim, this.io.centrality, alpha, lo, hi, out, off);
    if (stage !== null) {
      opCounts.realProducts++;
      if (stage === 2) opCounts.realProducts += 2;
      return;
    }
    const P = this.t1;
    const Q = this.t2;
    const V = this.t3;
    for (let k = 0; k < N * N; k++) {
      P[k] = alpha * this.wdx[k];
      Q[k] = alpha * this.wdz[k];
    }
    for (let i = 0; i < N; i++) {
      P[i * N + i] += lam[i];
      Q[i * N + i] += lam[i];
    }
    matMul(P, Q, V, N);
    symmetrize(V, N);
    if (!eigSym(V, this.ws, true)) return;
    const d = this.ws.d;
    const vt = this.ws.v;
    // U = lambda \ t with t = sum_k change_k q_k q_k^T over the eigenvalues outside [lo, hi]
    const U = this.t1;
    U.fill(0);
    let any = false;
    for (let k = 0; k < N; k++) {
      const c = clipChange(d[k], lo, hi);
      if (c === 0) continue;
      any = true;
      const q = k * N;
      for (let i = 0; i < N; i++) {
        const ci = c * vt[q + i];
        for (let j = 0; j <= i; j++) U[i * N + j] += ci * vt[q + j];
      }
    }
    if (!any) return;
    for (let i = 0; i < N; i++) {
      for (let j = 0; j <= i; j++) {
        const u = (2 * U[i * N + j]) / (lam[i] + lam[j]);
        U[i * N + j] = u;
        U[j * N + i] = u;
        this.ud[i * N + j] += u;
        if (j < i) this.ud[j * N + i] += u;
      }
    }
    sandwich(this.C, U, this.t3, this.t2, N);
    this.store(this.t3, this.sv, 0);
    for (let k = 0; k < this.dim; k++) out[off + k] += this.sv[k];
  }
}
