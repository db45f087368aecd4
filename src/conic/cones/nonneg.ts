import type { ConeKernel } from './cone.ts';

/** Nonnegative orthant: W = diag(sqrt(z / x)), lambda = sqrt(x z), D = diag(x / z). */
export class NonnegCone implements ConeKernel {
  readonly dim: number;
  readonly degree: number;
  private readonly x: Float64Array;
  private readonly z: Float64Array;
  private readonly dx: Float64Array;
  private readonly dz: Float64Array;
  /** d of the last rhs (lambda \ d = d / lambda). */
  private readonly d: Float64Array;

  constructor(dim: number) {
    this.dim = dim;
    this.degree = dim;
    this.x = new Float64Array(dim);
    this.z = new Float64Array(dim);
    this.dx = new Float64Array(dim);
    this.dz = new Float64Array(dim);
    this.d = new Float64Array(dim);
  }

  unit(v: Float64Array, off: number): void {
    v.fill(1, off, off + this.dim);
  }

  updateScaling(x: Float64Array, z: Float64Array, off: number): boolean {
    for (let i = 0; i < this.dim; i++) {
      const xi = x[off + i];
      const zi = z[off + i];
      if (!(xi > 0 && zi > 0 && xi < Infinity && zi < Infinity)) return false;
      this.x[i] = xi;
      this.z[i] = zi;
    }
    return true;
  }

  /** The point of the last updateScaling (D = x / z), for the conjugate gradients in WebAssembly (kkt-wasm.ts pcg). */
  point(): { x: Float64Array; z: Float64Array } {
    return { x: this.x, z: this.z };
  }

  /** The diagonal of D (x_i / z_i), for the Schur complement. */
  weight(i: number): number {
    return this.x[i] / this.z[i];
  }

  applyD(v: Float64Array, out: Float64Array, off: number): void {
    for (let i = 0; i < this.dim; i++) out[off + i] = (v[off + i] * this.x[i]) / this.z[i];
  }

  maxStep(dx: Float64Array, dz: Float64Array, off: number): number {
    let a = Infinity;
    for (let i = 0; i < this.dim; i++) {
      const u = dx[off + i];
      const w = dz[off + i];
      this.dx[i] = u;
      this.dz[i] = w;
      if (u < 0) a = Math.min(a, -this.x[i] / u);
      if (w < 0) a = Math.min(a, -this.z[i] / w);
    }
    return a;
  }

  rhs(sigmaMu: number, corrector: boolean, out: Float64Array, off: number): void {
    // W^{-1}(lambda \ d) = d / z since W lambda = z.
    for (let i = 0; i < this.dim; i++) {
      let d = sigmaMu - this.x[i] * this.z[i];
      if (corrector) d -= this.dx[i] * this.dz[i];
      this.d[i] = d;
      out[off + i] = d / this.z[i];
    }
  }

  dxFromDz(dz: Float64Array, out: Float64Array, off: number): void {
    for (let i = 0; i < this.dim; i++) out[off + i] = (this.d[i] - this.x[i] * dz[off + i]) / this.z[i];
  }

  correctDir(w: Float64Array, out: Float64Array, off: number): void {
    this.applyD(w, out, off);
  }

  /** maxStep reads dx directly: nothing cached. */
  addToDx(): void {}
  saveDir(): void {}
  restoreDir(): void {}

  directionState(): readonly Float64Array[] {
    return [this.dx, this.dz, this.d];
  }

  centrality(alpha: number, lo: number, hi: number, out: Float64Array, off: number): void {
    for (let i = 0; i < this.dim; i++) {
      const v = (this.x[i] + alpha * this.dx[i]) * (this.z[i] + alpha * this.dz[i]);
      const t = clipChange(v, lo, hi);
      if (t === 0) continue;
      this.d[i] += t;
      out[off + i] += t / this.z[i];
    }
  }
}

/** Gondzio's change of one complementarity product v towards [lo, hi] (a large one by at most hi). */
export function clipChange(v: number, lo: number, hi: number): number {
  if (v < lo) return lo - v;
  if (v > hi) return Math.max(hi - v, -hi);
  return 0;
}
