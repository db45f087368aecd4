import type { ConeKernel } from './cone.ts';
import { clipChange } from './nonneg.ts';

/**
 * Second-order cone {(t, u): t >= ||u||}. NT scaling W = eta H(w), with w^T J w = 1,
 * J = diag(1, -I) and H(w) = [[w0, w1^T], [w1, I + w1 w1^T / (1 + w0)]] (a hyperbolic
 * rotation; H(w)^{-1} = H(Jw), H(w)^2 = 2 w w^T - J). W is symmetric, so W^{-T} = W^{-1}.
 */
export class SocCone implements ConeKernel {
  readonly dim: number;
  readonly degree = 1;
  /** eta and w of the scaling, public for the Schur complement. */
  eta = 1;
  readonly w: Float64Array;
  private readonly lam: Float64Array;
  private readonly wdx: Float64Array;
  private readonly wdz: Float64Array;
  private readonly tmp: Float64Array;
  private readonly tmp2: Float64Array;
  /** lambda \ d of the last rhs. */
  private readonly u: Float64Array;

  constructor(dim: number) {
    this.dim = dim;
    this.w = new Float64Array(dim);
    this.lam = new Float64Array(dim);
    this.wdx = new Float64Array(dim);
    this.wdz = new Float64Array(dim);
    this.tmp = new Float64Array(dim);
    this.tmp2 = new Float64Array(dim);
    this.u = new Float64Array(dim);
  }

  unit(v: Float64Array, off: number): void {
    v.fill(0, off, off + this.dim);
    v[off] = 1;
  }

  /** out = H(sign * w) v, sign = +1 for H(w), -1 for H(Jw) = H(w)^{-1}; out may not alias v. */
  private applyH(sign: number, v: Float64Array, voff: number, out: Float64Array, ooff: number): void {
    const n = this.dim;
    const w = this.w;
    const w0 = w[0];
    let s = 0;
    for (let i = 1; i < n; i++) s += w[i] * v[voff + i];
    s *= sign;
    const v0 = v[voff];
    out[ooff] = w0 * v0 + s;
    const c = sign * (v0 + s / (1 + w0));
    for (let i = 1; i < n; i++) out[ooff + i] = v[voff + i] + c * w[i];
  }

  updateScaling(x: Float64Array, z: Float64Array, off: number): boolean {
    const n = this.dim;
    const x0 = x[off];
    const z0 = z[off];
    let xx = 0;
    let zz = 0;
    for (let i = 1; i < n; i++) {
      xx += x[off + i] * x[off + i];
      zz += z[off + i] * z[off + i];
    }
    // (t - |u|)(t + |u|) avoids cancellation in t^2 - |u|^2.
    const xn = Math.sqrt(xx);
    const zn = Math.sqrt(zz);
    if (!(x0 > xn && z0 > zn)) return false;
    const xjx = (x0 - xn) * (x0 + xn);
    const zjz = (z0 - zn) * (z0 + zn);
    if (!(xjx > 0 && zjz > 0 && Number.isFinite(xjx) && Number.isFinite(zjz))) return false;
    const sx = Math.sqrt(xjx);
    const sz = Math.sqrt(zjz);
    // x^ = x / sx, z^ = z / sz, gamma = sqrt((1 + x^.z^) / 2), w = (z^ + J x^) / (2 gamma)
    let xz = x0 * z0;
    for (let i = 1; i < n; i++) xz += x[off + i] * z[off + i];
    const g = Math.sqrt((1 + xz / (sx * sz)) / 2);
    this.w[0] = (z0 / sz + x0 / sx) / (2 * g);
    for (let i = 1; i < n; i++) this.w[i] = (z[off + i] / sz - x[off + i] / sx) / (2 * g);
    // Re-normalise w0 so that w^T J w = 1 exactly.
    let w1 = 0;
    for (let i = 1; i < n; i++) w1 += this.w[i] * this.w[i];
    this.w[0] = Math.sqrt(1 + w1);
    this.eta = Math.sqrt(sz / sx);
    this.applyH(1, x, off, this.lam, 0);
    for (let i = 0; i < n; i++) this.lam[i] *= this.eta;
    return true;
  }

  applyD(v: Float64Array, out: Float64Array, off: number): void {
    // D = W^{-2} = eta^{-2} H(Jw)^2
    this.applyH(-1, v, off, this.tmp, 0);
    this.applyH(-1, this.tmp, 0, out, off);
    const s = 1 / (this.eta * this.eta);
    for (let i = 0; i < this.dim; i++) out[off + i] *= s;
  }

  maxStep(dx: Float64Array, dz: Float64Array, off: number): number {
    this.applyH(1, dx, off, this.wdx, 0);
    this.applyH(-1, dz, off, this.wdz, 0);
    const e = this.eta;
    for (let i = 0; i < this.dim; i++) {
      this.wdx[i] *= e;
      this.wdz[i] /= e;
    }
    return Math.min(socStep(this.lam, this.wdx, this.dim), socStep(this.lam, this.wdz, this.dim));
  }

  rhs(sigmaMu: number, corrector: boolean, out: Float64Array, off: number): void {
    const n = this.dim;
    const lam = this.lam;
    const d = this.tmp;
    // d = sigmaMu e - lam o lam - (wdx o wdz); (u o v) = (u.v, u0 v1 + v0 u1)
    let ll = 0;
    for (let i = 0; i < n; i++) ll += lam[i] * lam[i];
    d[0] = sigmaMu - ll;
    for (let i = 1; i < n; i++) d[i] = -2 * lam[0] * lam[i];
    if (corrector) {
      const a = this.wdx;
      const b = this.wdz;
      let ab = 0;
      for (let i = 0; i < n; i++) ab += a[i] * b[i];
      d[0] -= ab;
      for (let i = 1; i < n; i++) d[i] -= a[0] * b[i] + b[0] * a[i];
    }
    // u = lam \ d: u0 = (lam0 d0 - lam1.d1) / (lam0^2 - |lam1|^2), u1 = (d1 - u0 lam1) / lam0
    let l1 = 0;
    let ld = 0;
    for (let i = 1; i < n; i++) {
      l1 += lam[i] * lam[i];
      ld += lam[i] * d[i];
    }
    const l1n = Math.sqrt(l1);
    const det = (lam[0] - l1n) * (lam[0] + l1n);
    const u = this.tmp2;
    u[0] = (lam[0] * d[0] - ld) / det;
    for (let i = 1; i < n; i++) u[i] = (d[i] - u[0] * lam[i]) / lam[0];
    this.u.set(u);
    // out = W^{-1} u = eta^{-1} H(Jw) u
    this.applyH(-1, u, 0, out, off);
    const s = 1 / this.eta;
    for (let i = 0; i < n; i++) out[off + i] *= s;
  }

  dxFromDz(dz: Float64Array, out: Float64Array, off: number): void {
    const n = this.dim;
    const e = this.eta;
    // v = u - W^{-1} dz, out = W^{-1} v
    this.applyH(-1, dz, off, this.tmp, 0);
    for (let i = 0; i < n; i++) this.tmp2[i] = this.u[i] - this.tmp[i] / e;
    this.applyH(-1, this.tmp2, 0, out, off);
    for (let i = 0; i < n; i++) out[off + i] /= e;
  }

  correctDir(w: Float64Array, out: Float64Array, off: number): void {
    this.applyD(w, out, off);
  }

  /** maxStep forms W dx, W^{-T} dz from dx, dz itself (O(dim)): nothing cached. */
  addToDx(): void {}
  saveDir(): void {}
  restoreDir(): void {}

  directionState(): readonly Float64Array[] {
    return [this.wdx, this.wdz, this.u];
  }

  /**
   * Gondzio's corrector in the cone's Jordan algebra: V = (lam + alpha W dx) o (lam + alpha
   * W^{-T} dz) has the eigenvalues v0 +- |v1| with idempotents (1, +-v1 / |v1|) / 2; each
   * eigenvalue outside [lo, hi] is clipped (clipChange), t is that change, lam \ t joins the
   * last rhs and W^{-1} (lam \ t) is added to out.
   */
  centrality(alpha: number, lo: number, hi: number, out: Float64Array, off: number): void {
    const n = this.dim;
    const lam = this.lam;
    const p = this.tmp;
    const q = this.tmp2;
    for (let i = 0; i < n; i++) {
      p[i] = lam[i] + alpha * this.wdx[i];
      q[i] = lam[i] + alpha * this.wdz[i];
    }
    let v0 = 0;
    for (let i = 0; i < n; i++) v0 += p[i] * q[i];
    let nv = 0;
    for (let i = 1; i < n; i++) {
      const vi = p[0] * q[i] + q[0] * p[i];
      p[i] = vi; // p now holds v1 (p0 is read above only)
      nv += vi * vi;
    }
    nv = Math.sqrt(nv);
    const c1 = clipChange(v0 + nv, lo, hi);
    const c2 = clipChange(v0 - nv, lo, hi);
    if (c1 === 0 && c2 === 0) return;
    // t = c1 (1, v1/|v1|)/2 + c2 (1, -v1/|v1|)/2; u = lam \ t (as in rhs)
    const t0 = (c1 + c2) / 2;
    const f = nv > 0 ? (c1 - c2) / (2 * nv) : 0;
    let l1 = 0;
    let lt = 0;
    for (let i = 1; i < n; i++) {
      l1 += lam[i] * lam[i];
      lt += lam[i] * f * p[i];
    }
    const l1n = Math.sqrt(l1);
    const det = (lam[0] - l1n) * (lam[0] + l1n);
    const u0 = (lam[0] * t0 - lt) / det;
    q[0] = u0;
    for (let i = 1; i < n; i++) q[i] = (f * p[i] - u0 * lam[i]) / lam[0];
    for (let i = 0; i < n; i++) this.u[i] += q[i];
    this.applyH(-1, q, 0, p, 0);
    const s = 1 / this.eta;
    for (let i = 0; i < n; i++) out[off + i] += s * p[i];
  }
}

/** Largest alpha with lam + alpha d in the SOC (lam strictly inside). */
export function socStep(lam: Float64Array, d: Float64Array, n: number): number {
  // f(alpha) = (l0 + a d0)^2 - |l1 + a d1|^2 = c + 2 b a + a2 a^2, with c > 0
  let l1 = 0;
  let d1 = 0;
  let ld = 0;
  for (let i = 1; i < n; i++) {
    l1 += lam[i] * lam[i];
    d1 += d[i] * d[i];
    ld += lam[i] * d[i];
  }
  const l0 = lam[0];
  const d0 = d[0];
  const c = (l0 - Math.sqrt(l1)) * (l0 + Math.sqrt(l1));
  const b = l0 * d0 - ld;
  const a2 = d0 * d0 - d1;
  let alpha = Infinity;
  // t stays positive: l0 + alpha d0 > 0
  if (d0 < 0) alpha = -l0 / d0;
  if (n === 1) return alpha;
  if (a2 === 0) {
    if (b < 0) alpha = Math.min(alpha, -c / (2 * b));
  } else {
    const disc = b * b - a2 * c;
    if (a2 < 0) {
      // concave: one positive root
      const r = Math.sqrt(Math.max(disc, 0));
      // root = (-b - r) / a2 > 0; stable form c / (-b + r) when b < 0
      const root = b <= 0 ? (-b + r === 0 ? Infinity : c / (-b + r)) : (-b - r) / a2;
      alpha = Math.min(alpha, root);
    } else if (disc >= 0 && b < 0) {
      // convex with both roots positive: the smaller one
      const r = Math.sqrt(disc);
      alpha = Math.min(alpha, c / (-b + r));
    }
  }
  return alpha;
}
