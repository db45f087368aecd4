import type { ConeKernel } from './cone.ts';
import { clipChange } from './nonneg.ts';
import { Arena } from '../../linalg/arena.ts';
import { centralityWasm, fusedConeOp, coneIo, type ConeIo, hStepWasm, scalingWasm } from '../../linalg/wasm-kernels.ts';
import { opCounts } from '../../linalg/op-counts.ts';
import { negInto } from '../../linalg/vector-ops.ts';
import { residentHolds, type ResidentCone as Resident, slotOf as slot, type VectorSpace } from '../../linalg/wasm-vectors.ts';
import { type CM, cmAlloc, cmCopy, cChol, cMul, cMulHN, cMulNHHerm, cSandwich, HEigWorkspace, hvecToCm } from './hermitian-kernels.ts';

const ISQRT2 = Math.SQRT1_2;

/**
 * Complex Hermitian PSD cone of order n on hvec vectors, in native complex arithmetic
 * (about twice as fast as the real 2n embedding on the ISAC blocks; see docs/solver.md).
 * The NT scaling mirrors PsdCone with ^H for ^T: X = L1 L1^H, Z = L2 L2^H,
 * L2^H L1 = U Lam V^H, C = L1 V Lam^{-1/2}, T = L2 U Lam^{-1/2}, G = C C^H:
 * W(X) = T^H X T = Lam = C^H Z C, D(U) = G U G.
 */
export class HpsdCone implements ConeKernel {
  readonly dim: number;
  readonly degree: number;
  readonly n: number;
  /** NT scaling point (Hermitian): D(U) = G U G. Public for the Schur complement. */
  readonly G: CM;
  private readonly L1: CM;
  private readonly L2: CM;
  private readonly S: CM;
  private readonly C: CM;
  private readonly Ch: CM;
  private readonly Th: CM;
  /** Eigenvectors V of S^H S at the last scaling (for T). */
  private readonly V: CM;
  private tReady = false;
  private readonly wdx: CM;
  private readonly wdz: CM;
  private readonly swdx: CM;
  private readonly swdz: CM;
  private readonly t1: CM;
  private readonly t2: CM;
  private readonly t3: CM;
  /** lambda \ d of the last rhs (scaled space). */
  private readonly ud: CM;
  private readonly lam: Float64Array;
  /** sqrt(lam), once per scaling: the n^2 loops below divided by Math.sqrt(lam[j]) per entry (same values, so the same bits). */
  private readonly sqrtLam: Float64Array;
  /** x at the last scaling (for the affine rhs, which is exactly -x). */
  private readonly xv: Float64Array;
  private readonly ws: HEigWorkspace;
  /** Scratch vector of the cone's dimension. */
  private readonly sv: Float64Array;
  /** The factors and scaling above, in the order the WebAssembly scaling writes them (scalingWasm). */
  private readonly scaling: readonly CM[];
  /** The operands of the fused WebAssembly operations (coneIo). */
  private readonly io: ConeIo;
  /** Where the matrices live in the run's vector space (null: the cone's own arena). */
  private readonly res: Resident | null;

  /**
   * With `space` (a run's vector space in WebAssembly memory, src/linalg/wasm-vectors.ts), the
   * scaling, the scaled direction and rhs live there, and the fused operations run on them in
   * place, one call each without copies through JavaScript (wasm/kernels.ts scalingAt and
   * after: the same operations, the same bits).
   */
  constructor(n: number, space?: VectorSpace) {
    this.n = n;
    this.dim = n * n;
    this.degree = n;
    const nn = n * n;
    const k = space?.coneKernels ?? null;
    // the scaling block in hScaling's order (L1, L2, S, V, C, C^H, G, lambda, sqrt(lambda)), then wdx, wdz, ud
    const block = k && space ? space.f64(20 * nn + 2 * n) : null;
    // every other workspace from one arena (src/linalg/arena.ts): 16 complex matrices (6 when
    // the block holds ten), the eigensolver's, and five real vectors (three)
    const arena = new Arena((block ? 14 : 34) * nn + HEigWorkspace.doubles(n) + (block ? 0 : 2 * n) + 8);
    const cm = (at: number): CM => (block ? { re: block.subarray(at, at + nn), im: block.subarray(at + nn, at + 2 * nn) } : cmAlloc(n, arena));
    this.L1 = cm(0);
    this.L2 = cm(2 * nn);
    this.S = cm(4 * nn);
    this.V = cm(6 * nn);
    this.C = cm(8 * nn);
    this.Ch = cm(10 * nn);
    this.G = cm(12 * nn);
    this.lam = block ? block.subarray(14 * nn, 14 * nn + n) : arena.f64(n);
    this.sqrtLam = block ? block.subarray(14 * nn + n, 14 * nn + 2 * n) : arena.f64(n);
    this.wdx = cm(14 * nn + 2 * n);
    this.wdz = cm(16 * nn + 2 * n);
    this.ud = cm(18 * nn + 2 * n);
    this.res =
      k && block && space?.holds(block)
        ? { k, buf: block.buffer, sc: slot(block), wdx: slot(this.wdx.re), wdz: slot(this.wdz.re), ud: slot(this.ud.re) }
        : null;
    this.Th = cmAlloc(n, arena);
    this.swdx = cmAlloc(n, arena);
    this.swdz = cmAlloc(n, arena);
    this.t1 = cmAlloc(n, arena);
    this.t2 = cmAlloc(n, arena);
    this.t3 = cmAlloc(n, arena);
    this.xv = arena.f64(n * n);
    this.ws = new HEigWorkspace(n, arena);
    this.sv = arena.f64(this.dim);
    this.scaling = [this.L1, this.L2, this.S, this.V, this.C, this.Ch, this.G];
    this.io = coneIo(this.G, this.C, this.Ch, this.wdx, this.wdz, this.ud, this.lam);
  }

  /** The f64 slot of the cone's scaling block in the vector space (null: not placed there). */
  get residentSlot(): number | null {
    return this.res ? this.res.sc : null;
  }

  /** The cone's part of a scaling its group ran in WebAssembly (cone-group.ts): x remembered, T to be made again. */
  afterGroupScaling(x: Float64Array, off: number): void {
    this.xv.set(x.subarray(off, off + this.dim));
    this.tReady = false;
  }

  /** Full Hermitian matrix of hvec v[off ..]. */
  private load(v: Float64Array, off: number, m: CM): void {
    hvecToCm(v, off, this.n, m);
  }

  /** hvec of the Hermitian part of m into v[off ..]. */
  private store(m: CM, v: Float64Array, off: number): void {
    const n = this.n;
    const { re, im } = m;
    let k = off;
    for (let j = 0; j < n; j++) {
      v[k++] = re[j * n + j];
      for (let i = j + 1; i < n; i++) {
        v[k++] = ISQRT2 * (re[i * n + j] + re[j * n + i]);
        v[k++] = ISQRT2 * (im[i * n + j] - im[j * n + i]);
      }
    }
  }

  unit(v: Float64Array, off: number): void {
    v.fill(0, off, off + this.dim);
    for (let j = 0; j < this.n; j++) v[off + j * (2 * this.n - j)] = 1;
  }

  updateScaling(x: Float64Array, z: Float64Array, off: number): boolean {
    const n = this.n;
    this.xv.set(x.subarray(off, off + this.dim));
    // one WebAssembly call (same bits); counted as the calls below count themselves
    const r = this.res;
    const stage =
      r && residentHolds(r, x, z)
        ? r.k.scalingAt(1, n, this.dim, slot(x) + off, slot(z) + off, r.sc)
        : scalingWasm(true, x, z, off, n, this.dim, this.scaling, this.lam, this.sqrtLam);
    if (stage !== null) {
      if (stage >= 2) {
        opCounts.complexProducts += 2;
        opCounts.complexEigVectors++;
      }
      if (stage < 4) return false;
      opCounts.complexProducts += 2;
      this.tReady = false;
      return true;
    }
    this.load(x, off, this.L1);
    if (!cChol(this.L1, n)) return false;
    this.load(z, off, this.L2);
    if (!cChol(this.L2, n)) return false;
    cMulHN(this.L2, this.L1, this.S, n); // S = L2^H L1
    cMulHN(this.S, this.S, this.t1, n); // S^H S = V Lam^2 V^H
    if (!this.ws.eig(this.t1, true)) return false;
    const lam = this.lam;
    for (let i = 0; i < n; i++) {
      const ev = this.ws.d[i];
      if (!(ev > 0) || !Number.isFinite(ev)) return false;
      lam[i] = Math.sqrt(ev);
    }
    const sqrtLam = this.sqrtLam;
    for (let i = 0; i < n; i++) sqrtLam[i] = Math.sqrt(lam[i]);
    const V = this.ws.v;
    cmCopy(V, this.V);
    this.tReady = false;
    cMul(this.L1, V, this.C, n); // L1 V
    const { re: cr, im: ci } = this.C;
    const { re: hr, im: hi } = this.Ch;
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        const r = sqrtLam[j];
        cr[i * n + j] /= r;
        ci[i * n + j] /= r;
        hr[j * n + i] = cr[i * n + j];
        hi[j * n + i] = -ci[i * n + j];
      }
    }
    cMulNHHerm(this.C, this.C, this.G, n);
    return true;
  }

  /**
   * T^H (W v = T^H v T), formed only when a projection needs W of an x-space vector: the
   * step lengths use the scaled direction dxFromDz forms, so most iterations never do.
   */
  private ensureT(): void {
    if (this.tReady) return;
    const n = this.n;
    const lam = this.lam;
    cMul(this.S, this.V, this.t1, n); // S V = U Lam
    cMul(this.L2, this.t1, this.t2, n); // L2 U Lam
    const { re: tr, im: ti } = this.Th;
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        // T = L2 U Lam^{-1/2} = (L2 U Lam) Lam^{-3/2}; keep T^H
        const s = 1 / (lam[j] * this.sqrtLam[j]);
        tr[j * n + i] = this.t2.re[i * n + j] * s;
        ti[j * n + i] = -this.t2.im[i * n + j] * s;
      }
    }
    this.tReady = true;
  }

  applyD(v: Float64Array, out: Float64Array, off: number): void {
    // one WebAssembly call for the load, the sandwich and the store (same bits)
    const r = this.res;
    if (r && residentHolds(r, v, out)) {
      r.k.applyDAt(1, this.n, this.dim, r.sc, slot(v) + off, slot(out) + off);
      opCounts.complexProducts += 2;
      return;
    }
    if (fusedConeOp('hApplyD', this.n, this.dim, this.io.applyD, v, out, off)) {
      opCounts.complexProducts += 2;
      return;
    }
    this.load(v, off, this.t1);
    cSandwich(this.G, this.t1, this.t3, this.t2, this.n);
    this.store(this.t3, out, off);
  }

  /** Largest alpha with Lam + alpha Y >= 0, or `enough` once that is known to be at least as large. */
  private stepOf(Y: CM, enough: number): number {
    const n = this.n;
    const r = this.res;
    if (r) {
      const step = r.k.stepAt(1, n, slot(Y.re), r.sc, enough);
      if (r.k.STEP_EIG.value === 1) opCounts.complexEigValues++;
      return step;
    }
    const fast = hStepWasm(Y, this.sqrtLam, n, enough);
    if (fast !== null) return fast;
    const s = this.t2;
    const sqrtLam = this.sqrtLam;
    for (let i = 0; i < n; i++) {
      const li = 1 / sqrtLam[i];
      for (let j = 0; j < n; j++) {
        const f = li / sqrtLam[j];
        s.re[i * n + j] = Y.re[i * n + j] * f;
        s.im[i * n + j] = Y.im[i * n + j] * f;
      }
    }
    if (enough < Infinity && stepAtLeast(s, enough, this.t3, n)) return enough;
    if (!this.ws.eig(s, false)) return 0;
    const e = this.ws.d[0];
    // a NaN eigenvalue is a failure (blocked), never "unbounded"
    if (Number.isNaN(e)) return 0;
    return e < 0 ? -1 / e : Infinity;
  }

  maxStep(_dx?: Float64Array, _dz?: Float64Array, _off?: number, enough = Infinity): number {
    return Math.min(this.stepOf(this.wdx, enough), this.stepOf(this.wdz, enough));
  }

  correctDir(w: Float64Array, out: Float64Array, off: number): void {
    const n = this.n;
    const r = this.res;
    if (r && residentHolds(r, w, out)) {
      r.k.correctDirAt(1, n, this.dim, r.sc, r.wdx, r.wdz, slot(w) + off, slot(out) + off);
      opCounts.complexProducts += 4;
      return;
    }
    if (fusedConeOp('hCorrectDir', n, this.dim, this.io.correctDir, w, out, off)) {
      opCounts.complexProducts += 4;
      return;
    }
    this.load(w, off, this.t1);
    cSandwich(this.Ch, this.t1, this.t3, this.t2, n); // u = W^{-H} w = C^H w C
    const u = this.t3;
    for (let k = 0; k < n * n; k++) {
      this.wdx.re[k] += u.re[k];
      this.wdx.im[k] += u.im[k];
      this.wdz.re[k] -= u.re[k];
      this.wdz.im[k] -= u.im[k];
    }
    cSandwich(this.C, u, this.t1, this.t2, n); // D w = W^{-1} u = C u C^H
    this.store(this.t1, out, off);
  }

  addToDx(v: Float64Array, off: number): void {
    const n = this.n;
    this.ensureT();
    this.load(v, off, this.t1);
    cSandwich(this.Th, this.t1, this.t3, this.t2, n); // W v = T^H v T
    for (let k = 0; k < n * n; k++) {
      this.wdx.re[k] += this.t3.re[k];
      this.wdx.im[k] += this.t3.im[k];
    }
  }

  saveDir(): void {
    cmCopy(this.wdx, this.swdx);
    cmCopy(this.wdz, this.swdz);
  }

  restoreDir(): void {
    cmCopy(this.swdx, this.wdx);
    cmCopy(this.swdz, this.wdz);
  }

  rhs(sigmaMu: number, corrector: boolean, out: Float64Array, off: number): void {
    const n = this.n;
    const lam = this.lam;
    const U = this.t1;
    const { re: ur, im: ui } = U;
    const r = this.res;
    if ((corrector || sigmaMu !== 0) && r && residentHolds(r, out)) {
      r.k.rhsAt(1, n, sigmaMu, corrector ? 1 : 0, this.dim, r.sc, r.ud, r.wdx, r.wdz, slot(out) + off);
      opCounts.complexProducts += corrector ? 3 : 2;
      return;
    }
    if ((corrector || sigmaMu !== 0) && fusedConeOp('hRhs', n, this.dim, corrector ? this.io.corrector : this.io.centring, null, out, off, sigmaMu)) {
      opCounts.complexProducts += corrector ? 3 : 2;
      return;
    }
    if (corrector) {
      cMul(this.wdx, this.wdz, U, n);
      // d = sigmaMu I - Lam^2 - (PQ + (PQ)^H) / 2, then U = Lam \ d (entrywise 2 d / (l_i + l_j))
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < i; j++) {
          const dr = -0.5 * (ur[i * n + j] + ur[j * n + i]);
          const di = -0.5 * (ui[i * n + j] - ui[j * n + i]);
          const f = 2 / (lam[i] + lam[j]);
          ur[i * n + j] = dr * f;
          ui[i * n + j] = di * f;
          ur[j * n + i] = dr * f;
          ui[j * n + i] = -di * f;
        }
        ur[i * n + i] = (sigmaMu - lam[i] * lam[i] - ur[i * n + i]) / lam[i];
        ui[i * n + i] = 0;
      }
    } else {
      ur.fill(0);
      ui.fill(0);
      for (let i = 0; i < n; i++) ur[i * n + i] = (sigmaMu - lam[i] * lam[i]) / lam[i];
      if (sigmaMu === 0) {
        // affine rhs: W^{-1}(-lambda) = -x, no product needed
        this.ud.re.set(ur);
        this.ud.im.set(ui);
        negInto(this.xv, out, off, this.dim);
        return;
      }
    }
    this.ud.re.set(U.re);
    this.ud.im.set(U.im);
    // out = W^{-1}(U) = C U C^H
    cSandwich(this.C, U, this.t3, this.t2, n);
    this.store(this.t3, out, off);
  }

  dxFromDz(dz: Float64Array, out: Float64Array, off: number): void {
    const n = this.n;
    const r = this.res;
    if (r && residentHolds(r, dz, out)) {
      r.k.dxFromDzAt(1, n, this.dim, r.sc, r.ud, r.wdx, r.wdz, slot(dz) + off, slot(out) + off);
      opCounts.complexProducts += 4;
      return;
    }
    if (fusedConeOp('hDxFromDz', n, this.dim, this.io.dxFromDz, dz, out, off)) {
      opCounts.complexProducts += 4;
      return;
    }
    this.load(dz, off, this.t1);
    cSandwich(this.Ch, this.t1, this.wdz, this.t2, n); // W^{-H} dZ = C^H dZ C
    for (let i = 0; i < n * n; i++) {
      this.wdx.re[i] = this.ud.re[i] - this.wdz.re[i];
      this.wdx.im[i] = this.ud.im[i] - this.wdz.im[i];
    }
    cSandwich(this.C, this.wdx, this.t1, this.t2, n);
    this.store(this.t1, out, off);
  }

  directionState(): readonly Float64Array[] {
    return [this.wdx.re, this.wdx.im, this.wdz.re, this.wdz.im, this.ud.re, this.ud.im];
  }

  centrality(alpha: number, lo: number, hi: number, out: Float64Array, off: number): void {
    const n = this.n;
    const lam = this.lam;
    // one WebAssembly call (same bits), counted as the calls below count themselves
    const r = this.res;
    const stage =
      r && residentHolds(r, out)
        ? r.k.centralityAt(1, n, alpha, lo, hi, this.dim, r.sc, r.ud, r.wdx, r.wdz, slot(out) + off)
        : centralityWasm(true, n, this.dim, this.io.centrality, alpha, lo, hi, out, off);
    if (stage !== null) {
      opCounts.complexProducts++;
      opCounts.complexEigVectors++;
      if (stage === 2) opCounts.complexProducts += 2;
      return;
    }
    const P = this.t1;
    const Q = this.t2;
    const V = this.t3;
    for (let k = 0; k < n * n; k++) {
      P.re[k] = alpha * this.wdx.re[k];
      P.im[k] = alpha * this.wdx.im[k];
      Q.re[k] = alpha * this.wdz.re[k];
      Q.im[k] = alpha * this.wdz.im[k];
    }
    for (let i = 0; i < n; i++) {
      P.re[i * n + i] += lam[i];
      Q.re[i * n + i] += lam[i];
    }
    // V = (P Q + (P Q)^H) / 2; the eigensolver reads the lower triangle
    cMul(P, Q, V, n);
    const { re: vr, im: vi } = V;
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < i; j++) {
        vr[i * n + j] = 0.5 * (vr[i * n + j] + vr[j * n + i]);
        vi[i * n + j] = 0.5 * (vi[i * n + j] - vi[j * n + i]);
      }
    }
    if (!this.ws.eig(V, true)) return;
    const d = this.ws.d;
    const { re: er, im: ei } = this.ws.v;
    // U = lambda \ t, t = sum_k change_k q_k q_k^H over the eigenvalues outside [lo, hi] (lower triangle)
    const { re: ur, im: ui } = this.t1;
    ur.fill(0);
    ui.fill(0);
    let any = false;
    for (let k = 0; k < n; k++) {
      const c = clipChange(d[k], lo, hi);
      if (c === 0) continue;
      any = true;
      for (let i = 0; i < n; i++) {
        const ar = c * er[i * n + k];
        const ai = c * ei[i * n + k];
        for (let j = 0; j <= i; j++) {
          // c q_i conj(q_j)
          const br = er[j * n + k];
          const bi = ei[j * n + k];
          ur[i * n + j] += ar * br + ai * bi;
          ui[i * n + j] += ai * br - ar * bi;
        }
      }
    }
    if (!any) return;
    const { re: dr, im: di } = this.ud;
    for (let i = 0; i < n; i++) {
      for (let j = 0; j <= i; j++) {
        const f = 2 / (lam[i] + lam[j]);
        const a = ur[i * n + j] * f;
        const b = j < i ? ui[i * n + j] * f : 0;
        ur[i * n + j] = a;
        ui[i * n + j] = b;
        ur[j * n + i] = a;
        ui[j * n + i] = -b;
        dr[i * n + j] += a;
        di[i * n + j] += b;
        if (j < i) {
          dr[j * n + i] += a;
          di[j * n + i] -= b;
        }
      }
    }
    cSandwich(this.C, this.t1, this.t3, this.t2, n);
    this.store(this.t3, this.sv, 0);
    for (let k = 0; k < this.dim; k++) out[off + k] += this.sv[k];
  }
}

/**
 * I + alpha S >= 0 (S Hermitian, lower triangle read) by a Cholesky factorisation into `work`:
 * then the step along S is at least alpha. Most cones do not limit a step, and for them this
 * replaces the eigenvalue solve of the step length by a factorisation a fifth of its cost.
 */
function stepAtLeast(S: CM, alpha: number, work: CM, n: number): boolean {
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      work.re[i * n + j] = alpha * S.re[i * n + j] + (i === j ? 1 : 0);
      work.im[i * n + j] = i === j ? 0 : alpha * S.im[i * n + j];
    }
  }
  return cChol(work, n);
}
